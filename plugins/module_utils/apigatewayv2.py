# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API Gateway v2 (HTTP APIs) for apigw_http_proxy.

Client wrappers carry the retry decorator, one per API call; the build_* and
plan_* helpers are pure (plain dicts in, plain dicts out) and unit-tested.

CreateApi and CreateIntegration are not idempotent on AWS: a request resent
after its answer was lost makes a second resource. Their wrappers therefore
carry no retry decorator and take a client whose SDK retries are off
(NO_SDK_RETRY); creation.create_once() looks for what a failed attempt (or
another run on this controller) may have made before it tries again. The other
creates (custom domain, API mapping, route, stage) are unique by name or key,
so AWS refuses a resent one (or a concurrent run's) with ConflictException,
which create_or_find_on_conflict() turns into a read.
"""

try:
    import botocore  # pylint: disable=unused-import
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.multiregion.appsync.plugins.module_utils.creation import CreationTarget
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import answer_lost

DEFAULT_STAGE = "$default"
HEADER_PARAMETER = "overwrite:header.%s"
RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=["TooManyRequestsException"])
# A custom domain is usable once AVAILABLE. UPDATING passes by itself; the PENDING_*
# states wait for the owner (reimport the certificate, verify ownership): waiting is futile.
DOMAIN_TRANSIENT_STATUSES = ("UPDATING",)
DOMAIN_BLOCKED_STATUSES = ("PENDING_CERTIFICATE_REIMPORT", "PENDING_OWNERSHIP_VERIFICATION")
# botocore config of the client that sends the non-idempotent creates: one attempt, no SDK resend.
NO_SDK_RETRY = {"retries": {"total_max_attempts": 1}}
THROTTLING_CODES = ("TooManyRequestsException", "ThrottlingException", "Throttling")
# Tag a new API carries until its creating run has removed any duplicate it made.
CREATION_TOKEN_TAG_KEY = "multiregion.appsync/creation-token"
# The health route's integration is told apart from the proxy's by this description.
HEALTH_INTEGRATION_DESCRIPTION = "multiregion.appsync health check: GET query to AppSync"
HEALTH_QUERY_PARAMETER = "overwrite:querystring.query"
CORS_FIELDS = ("AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge", "AllowCredentials")


class AnsibleApiGatewayV2Error(AnsibleAWSError):
    pass


class ApiGatewayV2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleApiGatewayV2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


def creation_client(module):
    """An API Gateway v2 client whose SDK sends each call once, for the creates only: made when one is
    (a run that creates nothing makes no second client)."""
    return module.client("apigatewayv2", config=NO_SDK_RETRY)


def _paginate(client, method, key="Items", **params):
    """All items of a GetXxx call, following NextToken."""
    items = []
    while True:
        response = getattr(client, method)(**params)
        items.extend(response.get(key, []))
        token = response.get("NextToken")
        if not token:
            return items
        params["NextToken"] = token


# ---------------------------------------------------------------- APIs


@ApiGatewayV2ErrorHandler.list_error_handler("list HTTP APIs", [])
@RETRY
def get_apis(client):
    return _paginate(client, "get_apis")


@ApiGatewayV2ErrorHandler.list_error_handler("read HTTP API")
@RETRY
def get_api(client, api_id):
    return client.get_api(ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create HTTP API")
def create_api(create_client, name, description, tags, cors_configuration):
    """One attempt (no retry: see the module docstring); create_client has NO_SDK_RETRY."""
    params = dict(Name=name, ProtocolType="HTTP", Tags=tags)
    if description is not None:
        params["Description"] = description
    if cors_configuration:
        params["CorsConfiguration"] = cors_configuration
    return create_client.create_api(**params)


@ApiGatewayV2ErrorHandler.common_error_handler("update HTTP API")
@RETRY
def update_api(client, api_id, changes):
    return client.update_api(ApiId=api_id, **changes)


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete HTTP API")
@RETRY
def delete_api(client, api_id):
    client.delete_api(ApiId=api_id)
    return True


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete CORS configuration")
@RETRY
def delete_cors_configuration(client, api_id):
    client.delete_cors_configuration(ApiId=api_id)
    return True


@ApiGatewayV2ErrorHandler.common_error_handler("tag API Gateway resource")
@RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags)


@ApiGatewayV2ErrorHandler.common_error_handler("untag API Gateway resource")
@RETRY
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


# -------------------------------------------------- integrations, routes, stages


@ApiGatewayV2ErrorHandler.list_error_handler("list integrations", [])
@RETRY
def get_integrations(client, api_id):
    return _paginate(client, "get_integrations", ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create integration")
def create_integration(create_client, api_id, integration):
    """One attempt (no retry: see the module docstring); create_client has NO_SDK_RETRY."""
    return create_client.create_integration(ApiId=api_id, **integration)


@ApiGatewayV2ErrorHandler.common_error_handler("update integration")
@RETRY
def update_integration(client, api_id, integration_id, changes):
    return client.update_integration(ApiId=api_id, IntegrationId=integration_id, **changes)


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete integration")
@RETRY
def delete_integration(client, api_id, integration_id):
    client.delete_integration(ApiId=api_id, IntegrationId=integration_id)
    return True


@ApiGatewayV2ErrorHandler.list_error_handler("list routes", [])
@RETRY
def get_routes(client, api_id):
    return _paginate(client, "get_routes", ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create route")
@RETRY
def create_route(client, api_id, route_key, target):
    return client.create_route(ApiId=api_id, RouteKey=route_key, Target=target)


@ApiGatewayV2ErrorHandler.common_error_handler("update route")
@RETRY
def update_route(client, api_id, route_id, target):
    return client.update_route(ApiId=api_id, RouteId=route_id, Target=target)


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete route")
@RETRY
def delete_route(client, api_id, route_id):
    client.delete_route(ApiId=api_id, RouteId=route_id)
    return True


@ApiGatewayV2ErrorHandler.list_error_handler("read stage")
@RETRY
def get_stage(client, api_id, stage_name=DEFAULT_STAGE):
    return client.get_stage(ApiId=api_id, StageName=stage_name)


@ApiGatewayV2ErrorHandler.common_error_handler("create stage")
@RETRY
def create_stage(client, api_id, stage):
    return client.create_stage(ApiId=api_id, **stage)


@ApiGatewayV2ErrorHandler.common_error_handler("update stage")
@RETRY
def update_stage(client, api_id, stage_name, changes):
    return client.update_stage(ApiId=api_id, StageName=stage_name, **changes)


# ------------------------------------------------- custom domains and mappings


@ApiGatewayV2ErrorHandler.list_error_handler("list custom domain names", [])
@RETRY
def get_domain_names(client):
    return _paginate(client, "get_domain_names")


@ApiGatewayV2ErrorHandler.list_error_handler("read custom domain name")
@RETRY
def get_domain_name(client, domain_name):
    return client.get_domain_name(DomainName=domain_name)


@ApiGatewayV2ErrorHandler.common_error_handler("create custom domain name")
@RETRY
def create_domain_name(client, domain_name, configuration, tags):
    return client.create_domain_name(DomainName=domain_name, DomainNameConfigurations=[configuration], Tags=tags)


@ApiGatewayV2ErrorHandler.common_error_handler("update custom domain name")
@RETRY
def update_domain_name(client, domain_name, configuration):
    return client.update_domain_name(DomainName=domain_name, DomainNameConfigurations=[configuration])


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete custom domain name")
@RETRY
def delete_domain_name(client, domain_name):
    client.delete_domain_name(DomainName=domain_name)
    return True


@ApiGatewayV2ErrorHandler.list_error_handler("list API mappings", [])
@RETRY
def get_api_mappings(client, domain_name):
    return _paginate(client, "get_api_mappings", DomainName=domain_name)


@ApiGatewayV2ErrorHandler.common_error_handler("create API mapping")
@RETRY
def create_api_mapping(client, domain_name, api_id, key, stage=DEFAULT_STAGE):
    return client.create_api_mapping(DomainName=domain_name, ApiId=api_id, ApiMappingKey=key, Stage=stage)


@ApiGatewayV2ErrorHandler.common_error_handler("update API mapping")
@RETRY
def update_api_mapping(client, domain_name, mapping_id, api_id, key, stage=DEFAULT_STAGE):
    return client.update_api_mapping(DomainName=domain_name, ApiMappingId=mapping_id, ApiId=api_id,
                                     ApiMappingKey=key, Stage=stage)


@ApiGatewayV2ErrorHandler.deletion_error_handler("delete API mapping")
@RETRY
def delete_api_mapping(client, domain_name, mapping_id):
    client.delete_api_mapping(DomainName=domain_name, ApiMappingId=mapping_id)
    return True


# ----------------------------------------------------- creates and lost answers


def creation_target(client, kind, name, *details):
    """The creation.CreationTarget of a create here (its lock; lock timeouts raise AnsibleApiGatewayV2Error)."""
    return CreationTarget(client, kind, name, details, error=AnsibleApiGatewayV2Error)


def is_transient(cause):
    """True for a throttled, 5xx or unanswered call (the botocore error of a failed create): worth
    another attempt, after a look for its effect. These creates have no retry decorator, so throttling counts."""
    response = getattr(cause, "response", None)
    if response is None:
        return cause is not None  # no answer at all: connection dropped, read timeout
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    return answer_lost(cause) or status == 429 or (response.get("Error") or {}).get("Code") in THROTTLING_CODES


def create_or_find_on_conflict(create, find):
    """create(), or find() when AWS says it exists: a resent create whose first answer was lost."""
    try:
        return create()
    except is_ansible_aws_error_code("ConflictException"):
        found = find()
        if found is None:
            raise
        return found


# ------------------------------------------------------------- pure helpers


def header_parameters(request_headers):
    """request_headers {name: value} -> integration RequestParameters (header names lower-cased)."""
    return {HEADER_PARAMETER % name.lower(): value for name, value in (request_headers or {}).items()}


def build_integration(target_url, request_headers, timeout_ms):
    """The HTTP_PROXY integration to target_url; RequestParameters overwrite the given headers."""
    return {
        "IntegrationType": "HTTP_PROXY",
        "IntegrationMethod": "ANY",
        "IntegrationUri": target_url,
        "PayloadFormatVersion": "1.0",
        "TimeoutInMillis": timeout_ms,
        "RequestParameters": header_parameters(request_headers),
    }


def compare_integration(current, desired):
    """Changes to send with UpdateIntegration ({} when current already matches).

    A request parameter to drop is sent with an empty value, which is how API
    Gateway removes a parameter mapping; empty values read back count as absent.
    """
    changes = {}
    for key in ("IntegrationType", "IntegrationMethod", "IntegrationUri", "PayloadFormatVersion", "TimeoutInMillis"):
        if current.get(key) != desired[key]:
            changes[key] = desired[key]
    have = {k: v for k, v in (current.get("RequestParameters") or {}).items() if v}
    want = desired["RequestParameters"]
    if have != want:
        params = dict(want)
        params.update({k: "" for k in have if k not in want})
        changes["RequestParameters"] = params
    return changes


def build_health_integration(target_url, request_headers, timeout_ms, query):
    """The health route's integration: GET target_url?query=<query> with the proxy's headers.

    AppSync answers GraphQL queries sent as GET with the query in the query string,
    so a Route53 check (which can only GET) reaches AppSync through the proxy.
    """
    integration = build_integration(target_url, request_headers, timeout_ms)
    integration["IntegrationMethod"] = "GET"
    integration["Description"] = HEALTH_INTEGRATION_DESCRIPTION
    integration["RequestParameters"][HEALTH_QUERY_PARAMETER] = query
    return integration


def is_health_integration(integration):
    return integration.get("Description") == HEALTH_INTEGRATION_DESCRIPTION


def proxy_integrations(integrations, health):
    """The HTTP_PROXY integrations of one kind (health or proxy), oldest id first."""
    return sorted((i for i in integrations if i.get("IntegrationType") == "HTTP_PROXY" and is_health_integration(i) == health),
                  key=lambda i: i["IntegrationId"])


def pick_integration(integrations, health=False):
    """The proxy's (or the health route's) integration: the first of its kind by id."""
    candidates = proxy_integrations(integrations, health)
    return candidates[0] if candidates else None


def surplus_integrations(integrations, kept_ids):
    """HTTP_PROXY integrations other than kept_ids: duplicates of a lost CreateIntegration answer, or gone kinds."""
    return [i["IntegrationId"] for i in proxy_integrations(integrations, False) + proxy_integrations(integrations, True)
            if i["IntegrationId"] not in kept_ids]


def integration_target(integration_id):
    return "integrations/%s" % integration_id


def health_route_key(path):
    return "GET %s" % path


def route_path_to(routes, integration):
    """The path of the first route that targets integration (None if none does)."""
    if not integration:
        return None
    target = integration_target(integration["IntegrationId"])
    keys = sorted(r["RouteKey"] for r in routes if r.get("Target") == target)
    return keys[0].split(" ", 1)[-1] if keys else None


def plan_routes(current_routes, targets):
    """Plan for routes, targets = {route key: target}: (to_create [keys], to_update [(route_id, key)], to_delete [(route_id, key)])."""
    by_key = {r["RouteKey"]: r for r in current_routes}
    to_create = [k for k in targets if k not in by_key]
    to_update = [(by_key[k]["RouteId"], k) for k in targets if k in by_key and by_key[k].get("Target") != targets[k]]
    to_delete = [(r["RouteId"], r["RouteKey"]) for r in current_routes if r["RouteKey"] not in targets]
    return to_create, to_update, sorted(to_delete, key=lambda item: item[1])


def build_cors_configuration(cors):
    """The CorsConfiguration for the module's cors option; None when no origin is allowed (CORS off)."""
    if not cors or not cors.get("allow_origins"):
        return None
    configuration = {
        "AllowOrigins": sorted(cors["allow_origins"]),
        "AllowMethods": sorted(m.upper() for m in cors.get("allow_methods") or []),
        "AllowHeaders": sorted(h.lower() for h in cors.get("allow_headers") or []),
        "ExposeHeaders": sorted(h.lower() for h in cors.get("expose_headers") or []),
        "AllowCredentials": bool(cors.get("allow_credentials")),
    }
    if cors.get("max_age") is not None:
        configuration["MaxAge"] = cors["max_age"]
    return configuration


def _comparable_cors(configuration):
    configuration = configuration or {}
    return (
        sorted(configuration.get("AllowOrigins") or []),
        sorted(m.upper() for m in configuration.get("AllowMethods") or []),
        sorted(h.lower() for h in configuration.get("AllowHeaders") or []),
        sorted(h.lower() for h in configuration.get("ExposeHeaders") or []),
        configuration.get("MaxAge"),
        bool(configuration.get("AllowCredentials")),
    )


def plan_cors(current, desired):
    """'update', 'delete' or None: what brings the API's CorsConfiguration to desired (None = no CORS).

    Header names compare case-insensitively and methods upper-cased, as API Gateway treats them.
    """
    if not desired:
        return "delete" if current and current.get("AllowOrigins") else None
    return None if _comparable_cors(current) == _comparable_cors(desired) else "update"


def build_route_settings(throttling):
    """throttling {burst_limit, rate_limit} -> DefaultRouteSettings (only the limits given)."""
    settings = {}
    if throttling:
        if throttling.get("burst_limit") is not None:
            settings["ThrottlingBurstLimit"] = throttling["burst_limit"]
        if throttling.get("rate_limit") is not None:
            settings["ThrottlingRateLimit"] = float(throttling["rate_limit"])
    return settings


def build_access_log(access_log):
    if not access_log:
        return None
    return {"DestinationArn": access_log["destination_arn"], "Format": access_log["format"]}


def build_stage(throttling, access_log):
    stage = {"StageName": DEFAULT_STAGE, "AutoDeploy": True}
    settings = build_route_settings(throttling)
    if settings:
        stage["DefaultRouteSettings"] = settings
    log = build_access_log(access_log)
    if log:
        stage["AccessLogSettings"] = log
    return stage


def compare_stage(current, throttling, access_log):
    """Changes for UpdateStage; throttling / access_log None leave those settings alone."""
    changes = {}
    if current.get("AutoDeploy") is not True:
        changes["AutoDeploy"] = True
    if throttling is not None:
        settings = build_route_settings(throttling)
        have = current.get("DefaultRouteSettings") or {}
        if any(have.get(k) != v for k, v in settings.items()):
            merged = dict(have)
            merged.update(settings)
            changes["DefaultRouteSettings"] = merged
    if access_log is not None:
        log = build_access_log(access_log)
        have = current.get("AccessLogSettings") or None
        if log is not None and (have or {}) != log:
            changes["AccessLogSettings"] = log
    return changes


def build_domain_configuration(certificate_arn):
    return {"CertificateArn": certificate_arn, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}


def domain_configuration(domain):
    """The REGIONAL configuration of a DomainName response (the only kind this module makes)."""
    configurations = (domain or {}).get("DomainNameConfigurations") or []
    regional = [c for c in configurations if c.get("EndpointType", "REGIONAL") == "REGIONAL"]
    return regional[0] if regional else (configurations[0] if configurations else {})


def compare_domain(domain, certificate_arn):
    """True when the domain already has the desired REGIONAL configuration."""
    config = domain_configuration(domain)
    desired = build_domain_configuration(certificate_arn)
    return all(config.get(k) == v for k, v in desired.items())


def plan_mappings(mappings, api_id, key):
    """Plan for the domain's API mappings: (create: bool, update: mapping id or None, delete: [ids]).

    The mapping with `key` must point to api_id's $default stage; other mappings of
    api_id on this domain (a former key) go away; other APIs' mappings stay.
    """
    by_key = [m for m in mappings if m.get("ApiMappingKey", "") == key]
    create = not by_key
    update = None
    if by_key and (by_key[0].get("ApiId") != api_id or by_key[0].get("Stage") != DEFAULT_STAGE):
        update = by_key[0]["ApiMappingId"]
    delete = sorted(m["ApiMappingId"] for m in mappings if m.get("ApiId") == api_id and m.get("ApiMappingKey", "") != key)
    return create, update, delete


def alias_target(domain):
    """{dns_name, hosted_zone_id} of a DomainName response, read from the API."""
    config = domain_configuration(domain)
    if not config.get("ApiGatewayDomainName"):
        return None
    return {"dns_name": config["ApiGatewayDomainName"], "hosted_zone_id": config.get("HostedZoneId")}


def domain_wait_state(domain):
    """'wait' while the domain is UPDATING, 'blocked' while it needs its owner's action, else 'ready'."""
    status = domain_configuration(domain).get("DomainNameStatus")
    if status in DOMAIN_TRANSIENT_STATUSES:
        return "wait"
    if status in DOMAIN_BLOCKED_STATUSES:
        return "blocked"
    return "ready"


def domain_url(domain_name, key):
    return "https://%s/%s" % (domain_name, key) if key else "https://%s/" % domain_name


def creation_token_tags(token):
    return {CREATION_TOKEN_TAG_KEY: token}


def duplicates_of_one_run(apis):
    """(kept, extras) when every API carries the same creation token, else (None, []).

    Same-named APIs with one token were made by one run retrying a create whose
    answer was lost: the oldest is kept (the one that run went on with), the others
    are empty copies. APIs without a common token are not ours to choose between.
    """
    tokens = set((a.get("Tags") or {}).get(CREATION_TOKEN_TAG_KEY) for a in apis)
    if len(apis) < 2 or len(tokens) != 1 or None in tokens:
        return None, []
    return oldest_first(apis)


def oldest_first(apis):
    """(oldest API, the others): the one a run that made several went on with."""
    ordered = sorted(apis, key=lambda a: (str(a.get("CreatedDate", "")), a["ApiId"]))
    return ordered[0], ordered[1:]


def user_tags(tags):
    """Tags without the creation token (which is not the user's to converge)."""
    return {k: v for k, v in (tags or {}).items() if k != CREATION_TOKEN_TAG_KEY}


def api_arn(client, api_id):
    """The ARN TagResource needs. Partition and region come from the client.

    Built because no call gives it: botocore's apigatewayv2 model has no ARN in
    CreateApi/GetApi/GetApis/UpdateApi (only DomainName responses carry DomainNameArn).
    """
    return "arn:%s:apigateway:%s::/apis/%s" % (client.meta.partition, client.meta.region_name, api_id)
