#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: apigw_http_proxy
short_description: An API Gateway HTTP API that proxies to a URL, with a regional custom domain
version_added: 0.1.0
description:
  - Manages an Amazon API Gateway v2 HTTP API that forwards O(routes) (by default C(POST /)) through one
    C(HTTP_PROXY) integration to O(target_url), typically the region's AWS AppSync GraphQL URL, with a C($default)
    stage that deploys automatically, optional throttling limits and access logging.
  - With O(domain_name), also the REGIONAL custom domain (ACM certificate O(certificate_arn), TLS 1.2) and its API
    mapping O(api_mapping_key). The alias target a Route53 record needs (C(ApiGatewayDomainName) and C(HostedZoneId))
    is read from API Gateway and returned under RV(domain.alias_target).
  - The API is identified by O(name) and the ownership tag C(managed-by=multiregion.appsync), set in the creation
    call. An untagged API of the same name is adopted (and tagged) only with O(adopt_untagged=true); two owned APIs of
    the name make the module fail and name both ids. Everything is updated in place; a new O(target_url) never
    recreates the API, so its id and default endpoint stay.
  - B(API keys.) O(request_headers) become integration request parameters C(overwrite:header.<name>) with a static
    value. With C(x-api-key) set to the region's AppSync API key, each region's proxy inserts its own region's key, so
    clients of the one global hostname need no per-region key. The trade-off is that the global endpoint then needs
    no key at all, so anyone who can reach it can call the API (protect it with throttling, a WAF, or an authorizer).
    The alternative is OIDC or Cognito user pool tokens (AppSync C(OPENID_CONNECT) or C(AMAZON_COGNITO_USER_POOLS)), whose
    C(Authorization) header passes through the proxy unchanged and is valid in every region.
  - B(Subscriptions.) GraphQL subscriptions use WebSockets to AppSync's realtime endpoint, which this HTTP proxy
    does not carry. Clients subscribe at the region's realtime URL directly; pass it as O(realtime_url) to have it
    returned alongside the proxy's URLs.
  - B(CORS.) With O(cors), API Gateway answers browsers' preflight C(OPTIONS) requests itself and adds the
    C(Access-Control-*) headers to the proxied answers, from the API's C(CorsConfiguration); an origin not listed gets
    no CORS headers, so the browser refuses the answer. O(cors.allow_origins=[]) removes the configuration (CORS off).
  - B(Health route.) A Route53 health check can only send C(GET) (or check a CloudWatch alarm), while the proxy's GraphQL
    route is C(POST /). With O(health_route), the API gets a C(GET <path>) route whose own C(HTTP_PROXY) integration
    sends C(GET <target_url>?query=<query>) (default C({__typename})) with the same O(request_headers). AppSync executes
    GraphQL queries sent as GET, so the check passes only when API Gateway, the proxy's key and AppSync all answer, and
    C({__typename}) touches no data source. Point an C(HTTPS_STR_MATCH) check at RV(api.api_endpoint) with that path and
    the search string C("__typename":"Query"). A CloudWatch alarm on AppSync's C(5XXError) was not chosen, as it sees
    nothing without traffic and misses a broken proxy or key.
  - B(Lost answers.) CreateApi and CreateIntegration are not idempotent, so a request resent after its answer was lost makes
    a second resource. They are sent once per attempt with the SDK's retries off; after a failed attempt the module looks
    for what it may have made (the API by name and a per-run creation token tag, removed again once the run has kept one;
    the integration by content) before trying again. Owned APIs of the name that carry one creation token were made by
    one interrupted run; the oldest is kept and the others deleted. Integrations that no route uses are deleted.
  - B(Concurrent runs.) On one controller, the look for an API or integration and its create are serialised across
    runs by a lock file under the temporary directory (C(multiregion.appsync-locks/)); a run that finds one another run
    made meanwhile adopts and converges it. Waiting for that lock is bounded by O(wait_timeout). Runs on two
    controllers are not serialised.
  - O(state=absent) removes the API mapping, then the custom domain (when no other API is mapped to it), then the
    API, and tolerates any of them being gone already. Without O(domain_name), it removes the API's mappings on every
    custom domain of the region (leaving the domains) before the API.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description:
      - The name of the HTTP API.
    type: str
    required: true
  state:
    description:
      - Whether the proxy should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The API's description. Unset leaves it alone.
    type: str
  target_url:
    description:
      - The URL requests are forwarded to, for example the AppSync GraphQL URL
        V(https://abc.appsync-api.eu-central-1.amazonaws.com/graphql). Required with O(state=present).
      - In check mode, the placeholder URL of an AppSync API still to be created
        (RV(multiregion.appsync.appsync_api#module:api.uris.graphql)) is taken as a new target; a real run refuses it.
    type: str
  routes:
    description:
      - Route keys sent to the integration, V(METHOD /path) or V($default). Routes of the API not listed are removed.
    type: list
    elements: str
    default: ["POST /"]
  request_headers:
    description:
      - Headers the proxy sets (overwrites) on every forwarded request, name to static value; for example
        C(x-api-key) with the region's AppSync key. They become the integration's C(overwrite:header.<name>) request parameters.
        See the description for the trade-off of inserting an API key.
      - Values are not logged. A value starting with C($) is read by API Gateway as a mapping expression.
      - Headers previously set and no longer listed are removed. Unset means none.
    type: dict
  integration_timeout_ms:
    description:
      - The integration timeout in milliseconds (50 to 30000).
    type: int
    default: 30000
  cors:
    description:
      - The HTTP API's CORS configuration, for browser apps on other origins. Unset leaves the current configuration
        alone; an empty O(cors.allow_origins) removes it.
    type: dict
    suboptions:
      allow_origins:
        description:
          - Origins allowed to call the API, for example V(https://app.example.com); V(*) allows every origin.
            Empty means no CORS configuration.
        type: list
        elements: str
        required: true
      allow_methods:
        description:
          - Methods allowed (C(OPTIONS) preflights are answered by API Gateway whatever this lists).
        type: list
        elements: str
        default: [POST]
      allow_headers:
        description:
          - Request headers a browser may send (case-insensitive).
        type: list
        elements: str
        default: [content-type, x-api-key, authorization]
      expose_headers:
        description:
          - Response headers the browser's script may read.
        type: list
        elements: str
        default: []
      max_age:
        description:
          - Seconds a browser may cache a preflight answer (-1 to 86400). Unset sends no C(Access-Control-Max-Age).
        type: int
      allow_credentials:
        description:
          - Allow cookies and C(Authorization) credentials; refused with the origin V(*).
        type: bool
        default: false
  health_route:
    description:
      - A C(GET) route for Route53 health checks that runs a cheap GraphQL query on the target through the proxy (see the
        description). Unset means no health route (one the module made before is removed).
    type: dict
    suboptions:
      path:
        description: The route's path.
        type: str
        default: /health
      query:
        description: The GraphQL query sent as C(?query=) to O(target_url).
        type: str
        default: "{__typename}"
  throttling:
    description:
      - Default route throttling of the C($default) stage. Unset leaves the current limits alone.
    type: dict
    suboptions:
      burst_limit:
        description: Burst limit (requests).
        type: int
      rate_limit:
        description: Steady-state rate limit (requests per second).
        type: float
  access_log:
    description:
      - Access logging of the C($default) stage. Unset leaves the current setting alone.
    type: dict
    suboptions:
      destination_arn:
        description: ARN of the CloudWatch Logs log group (or Firehose stream) receiving the logs.
        type: str
        required: true
      format:
        description: Log line format, for example C($context.requestId $context.status).
        type: str
        required: true
  domain_name:
    description:
      - The custom domain, normally the global hostname (for example V(api.example.com)). Unset leaves custom domains
        alone.
      - An existing custom domain that lacks the ownership tag is managed (and removed with O(state=absent)) only with
        O(adopt_untagged=true).
    type: str
  certificate_arn:
    description:
      - ARN of the ACM certificate for O(domain_name), in the connection region. Required with O(domain_name).
      - In check mode, the placeholder of a certificate still to be requested
        (RV(multiregion.appsync.acm_dns_certificate#module:certificate.arn)) is taken as a new certificate; a real run refuses it.
    type: str
  api_mapping_key:
    description:
      - The path under O(domain_name) that reaches the API; V("") maps the root.
    type: str
    default: graphql
  realtime_url:
    description:
      - The AppSync realtime (WebSocket) URL of the region, returned as RV(realtime_url) for clients' subscriptions,
        which do not go through this proxy.
    type: str
  wait:
    description:
      - Wait for the custom domain to be C(AVAILABLE).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, at most (for the custom domain, and for another run's creation lock).
    type: int
    default: 300
notes:
  - O(tags) go on the API and on the custom domain, and converge on both (O(purge_tags)); an adopted API or custom domain
    gains the ownership tag. The ownership tag is never removed.
  - Subscriptions (WebSockets to AppSync's realtime endpoint) do not go through this proxy.
extends_documentation_fragment:
  - multiregion.appsync.ownership
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# region is the connection region: the HTTP API, its custom domain and the certificate are regional.
- name: Proxy the region's AppSync API behind the global hostname
  multiregion.appsync.apigw_http_proxy:
    region: eu-central-1
    name: orders-eu-central-1
    target_url: "{{ api.api.uris.graphql }}"
    realtime_url: "{{ api.api.uris.realtime }}"
    request_headers:
      x-api-key: "{{ api.api_key.value }}"
    throttling:
      burst_limit: 100
      rate_limit: 50
    cors:
      allow_origins: [https://app.example.com]
      max_age: 600
    health_route:
      path: /health
    domain_name: api.example.com
    certificate_arn: "{{ cert.certificate.arn }}"
    tags:
      app: orders
  register: proxy

- name: A health check that reaches AppSync through the proxy
  multiregion.appsync.route53_geo_record:
    region: eu-central-1
    hosted_zone_name: example.com
    record_name: api.example.com
    set_identifier: orders-eu-central-1
    geo_location:
      continent_code: EU
    apigw_domain_name: api.example.com
    health_check:
      type: HTTPS_STR_MATCH
      fqdn: "{{ proxy.api.api_endpoint | urlsplit('hostname') }}"
      resource_path: "{{ proxy.api.health_route.path }}"
      search_string: '"__typename":"Query"'

- name: CORS off again
  multiregion.appsync.apigw_http_proxy:
    region: eu-central-1
    name: orders-eu-central-1
    target_url: "{{ api.api.uris.graphql }}"
    cors:
      allow_origins: []

- name: Point the region's geolocation record at it
  amazon.aws.route53:
    zone: example.com
    record: api.example.com
    type: A
    identifier: orders-eu-central-1
    geo_location:
      continent_code: EU
    alias: true
    alias_hosted_zone_id: "{{ proxy.domain.alias_target.hosted_zone_id }}"
    value: "{{ proxy.domain.alias_target.dns_name }}"

- name: Remove it (mapping, domain, API)
  multiregion.appsync.apigw_http_proxy:
    region: eu-central-1
    name: orders-eu-central-1
    domain_name: api.example.com
    state: absent
"""

RETURN = r"""
api:
  description:
    - The HTTP API. C(None) after O(state=absent).
    - In check mode, for an API still to be created, RV(api.api_id) is the placeholder V(pending-creation.invalid)
      (a name under the reserved domain C(.invalid)) and RV(api.api_endpoint) V(https://pending-creation.invalid).
  returned: always
  type: dict
  contains:
    api_id:
      description: The API id.
      type: str
      sample: a1b2c3d4e5
    name:
      description: The API name.
      type: str
    api_endpoint:
      description: The API's default endpoint.
      type: str
      sample: https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com
    tags:
      description: The API's tags.
      type: dict
    routes:
      description: The route keys.
      type: list
      elements: str
      sample: ["POST /"]
    integration:
      description: The HTTP_PROXY integration (integration_id, integration_uri, integration_method,
        payload_format_version, timeout_in_millis, request_headers = the names of the headers set; values never returned).
      type: dict
    health_route:
      description: The health route (path, query, integration_id); C(None) without O(health_route).
      type: dict
      sample: {path: /health, query: "{__typename}", integration_id: abc1234}
    cors:
      description: The CORS configuration (allow_origins, allow_methods, allow_headers, expose_headers, max_age,
        allow_credentials); C(None) when CORS is off.
      type: dict
    stage:
      description: The C($default) stage (stage_name, auto_deploy, default_route_settings, access_log_settings).
      type: dict
domain:
  description: The custom domain; C(None) without O(domain_name) or after O(state=absent).
  returned: always
  type: dict
  contains:
    domain_name:
      description: The custom domain name.
      type: str
    url:
      description: The proxy's URL under the custom domain.
      type: str
      sample: https://api.example.com/graphql
    api_mapping_key:
      description: The API mapping key.
      type: str
    api_mapping_id:
      description: The API mapping id.
      type: str
    alias_target:
      description: What a Route53 alias record points at, read from API Gateway.
      type: dict
      contains:
        dns_name:
          description: C(ApiGatewayDomainName).
          type: str
          sample: d-abcdefghij.execute-api.eu-central-1.amazonaws.com
        hosted_zone_id:
          description: C(HostedZoneId).
          type: str
          sample: Z1U9ULNL0V5AJ3
    status:
      description: C(DomainNameStatus), C(AVAILABLE) once usable.
      type: str
    certificate_arn:
      description: The certificate in use.
      type: str
    tags:
      description: The custom domain's tags.
      type: dict
realtime_url:
  description: O(realtime_url) as given; subscriptions connect there, not through the proxy.
  returned: always
  type: str
actions:
  description: The changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["update integration"]
"""

import re
import time
import uuid

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils import apigatewayv2 as gw
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import as_list
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OwnershipError
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import is_owned
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import owner_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import plan_tag_changes
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import select_owned
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import PENDING
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import pending_url
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import placeholder_error
from ansible_collections.multiregion.appsync.plugins.module_utils.reporting import warn

ROUTE_RE = re.compile(r"^(\$default|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /\S*)$")
HEADER_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
MAPPING_KEY_RE = re.compile(r"^([A-Za-z0-9_.$-]+(/[A-Za-z0-9_.$-]+)*)?$")
PATH_RE = re.compile(r"^/[A-Za-z0-9_.~/-]*$")
ORIGIN_RE = re.compile(r"^(\*|https?://[^/\s*]+|https?://\*\.[^/\s*]+)$")
CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")
POLL_SECONDS = 2


def validate_params(params):
    """Return a one-line error for bad input, or None."""
    if params["state"] == "present":
        if not re.match(r"^https?://[^/\s]+", params["target_url"] or ""):
            return "target_url: %r is not an http(s) URL" % params["target_url"]
        for route in params["routes"]:
            if not ROUTE_RE.match(route or ""):
                return "routes: %r is not a route key ('METHOD /path' or '$default')" % route
        if not params["routes"]:
            return "routes: at least one route is needed"
        for name, value in (params["request_headers"] or {}).items():
            if not HEADER_RE.match(name):
                return "request_headers: %r is not a header name" % name
            if value is None or str(value) == "":
                return "request_headers: %s has an empty value" % name
        if not 50 <= params["integration_timeout_ms"] <= 30000:
            return "integration_timeout_ms: must be 50..30000, got %d" % params["integration_timeout_ms"]
        if params["domain_name"] and not params["certificate_arn"]:
            return "certificate_arn: required with domain_name %s" % params["domain_name"]
        error = validate_health_route(params.get("health_route"), params["routes"]) or validate_cors(params.get("cors"))
        if error:
            return error
    if not MAPPING_KEY_RE.match(params["api_mapping_key"] or ""):
        return "api_mapping_key: %r must not start or end with '/' nor hold '//' or spaces" % params["api_mapping_key"]
    if params["wait_timeout"] < 1:
        return "wait_timeout: must be at least 1, got %d" % params["wait_timeout"]
    return None


def validate_health_route(health_route, routes):
    if not health_route:
        return None
    if not PATH_RE.match(health_route["path"] or ""):
        return "health_route.path: %r is not a path starting with '/'" % health_route["path"]
    if gw.health_route_key(health_route["path"]) in routes:
        return "health_route.path: %s is also in routes; the health route needs a route of its own" % health_route["path"]
    if not (health_route["query"] or "").strip():
        return "health_route.query: must not be empty"
    return None


def validate_cors(cors):
    """What API Gateway would refuse in a CorsConfiguration, before any call."""
    if not cors:
        return None
    for origin in cors["allow_origins"] or []:
        if not ORIGIN_RE.match(origin or ""):
            return "cors.allow_origins: %r is not '*' nor an origin like https://app.example.com" % origin
    for method in cors["allow_methods"] or []:
        if (method or "").upper() not in CORS_METHODS:
            return "cors.allow_methods: %r is not one of %s" % (method, ", ".join(CORS_METHODS))
    for option in ("allow_headers", "expose_headers"):
        for name in cors[option] or []:
            if name != "*" and not HEADER_RE.match(name or ""):
                return "cors.%s: %r is not a header name" % (option, name)
    if cors["max_age"] is not None and not -1 <= cors["max_age"] <= 86400:
        return "cors.max_age: must be -1..86400 seconds, got %d" % cors["max_age"]
    if cors["allow_credentials"] and "*" in (cors["allow_origins"] or []):
        return "cors.allow_credentials: not allowed with the origin '*' (browsers refuse it); list the origins"
    return None


def write(module, actions, description, call, *args):
    """Record a change and make it, unless in check mode. Returns call's result or None."""
    actions.append(description)
    if module.check_mode:
        return None
    return call(*args)


# ---------------------------------------------------------------------- the API


def named_apis(client, name):
    return [a for a in gw.get_apis(client) if a.get("Name") == name]


def find_api(module, client, actions):
    """(api, adopted) for our API named name, or (None, False).

    Owned duplicates made by one run (one creation token) are reduced to the oldest.
    """
    name = module.params["name"]
    apis = named_apis(client, name)
    kept, extras = gw.duplicates_of_one_run([a for a in apis if is_owned(a.get("Tags"))])
    for extra in extras:
        write(module, actions, "delete duplicate API %s" % extra["ApiId"], gw.delete_api, client, extra["ApiId"])
    if extras:
        apis = [a for a in apis if a not in extras]
    candidates = [{"id": a["ApiId"], "tags": a.get("Tags") or {}, "api": a} for a in apis]
    try:
        chosen, adopted = select_owned(candidates, "HTTP API", name, module.params["adopt_untagged"])
    except OwnershipError as error:
        module.fail_json(msg=str(error))
    if chosen is None:
        return None, False
    if chosen["api"].get("ProtocolType") != "HTTP":
        module.fail_json(msg="name: API %s (%s) is a %s API, not HTTP" % (name, chosen["id"], chosen["api"].get("ProtocolType")))
    return chosen["api"], adopted


def create_api(module, client, actions):
    """(API made, None) or (None, API another run made while this one waited for the lock).

    Made once, safe against a lost answer (found by this call's creation token)
    and against a concurrent run on this controller (found by name and tag
    under a lock on the name): see module_utils creation.
    """
    params = module.params
    tags = desired_tags(params["tags"] or {})
    cors = gw.build_cors_configuration(params["cors"])
    if module.check_mode:
        actions.append("create API")
        # no ApiId: nothing of the API is read; its endpoint is the check-mode placeholder
        return {"ApiId": None, "Name": params["name"], "ApiEndpoint": pending_url(), "Tags": tags, "CorsConfiguration": cors}, None
    token = uuid.uuid4().hex
    create_client = gw.creation_client(module)
    made = create_once(
        lambda: gw.create_api(create_client, params["name"], params["description"], dict(tags, **gw.creation_token_tags(token)), cors),
        lambda: [a for a in named_apis(client, params["name"]) if (a.get("Tags") or {}).get(gw.CREATION_TOKEN_TAG_KEY) == token],
        lambda a: a["ApiId"], gw.creation_target(client, "HTTP API", params["name"]),
        retryable=gw.is_transient, timeout=params["wait_timeout"],
        existing=lambda: as_list(find_api(module, client, actions)[0]))
    if not made.created:
        return None, made.resources[0]
    actions.append("create API")
    api, extras = gw.oldest_first(made.resources)
    for extra in extras:
        gw.delete_api(client, extra["ApiId"])
    gw.untag_resource(client, gw.api_arn(client, api["ApiId"]), [gw.CREATION_TOKEN_TAG_KEY])
    return dict(api, Tags=tags), None


def ensure_api_settings(module, client, api, adopted, actions):
    """Description, CORS and tags of an existing API; returns the API as it is afterwards."""
    params = module.params
    if params["description"] is not None and api.get("Description", "") != params["description"]:
        updated = write(module, actions, "update API description", gw.update_api, client, api["ApiId"], {"Description": params["description"]})
        api = dict(api, Description=params["description"]) if updated is None else dict(updated, Tags=api.get("Tags") or {})
    if params["cors"] is not None:
        api = ensure_cors(module, client, api, actions)
    current = gw.user_tags(api.get("Tags"))
    to_set, to_remove = plan_tag_changes(current, params["tags"], params["purge_tags"], adopted)
    if to_set or to_remove:
        arn = gw.api_arn(client, api["ApiId"])
        if to_remove:
            write(module, actions, "untag API", gw.untag_resource, client, arn, to_remove)
        if to_set:
            write(module, actions, "tag API", gw.tag_resource, client, arn, to_set)
    return dict(api, Tags=tags_after(current, to_set, to_remove))


def ensure_cors(module, client, api, actions):
    desired = gw.build_cors_configuration(module.params["cors"])
    plan = gw.plan_cors(api.get("CorsConfiguration"), desired)
    if plan == "update":
        write(module, actions, "update CORS configuration", gw.update_api, client, api["ApiId"], {"CorsConfiguration": desired})
    elif plan == "delete":
        write(module, actions, "delete CORS configuration", gw.delete_cors_configuration, client, api["ApiId"])
    return dict(api, CorsConfiguration=desired) if plan else api


# ------------------------------------------------- integrations, routes, stage


def desired_integrations(params):
    """{kind: integration} the API needs: the proxy's, and the health route's when asked for."""
    wanted = {"proxy": gw.build_integration(params["target_url"], params["request_headers"], params["integration_timeout_ms"])}
    if params["health_route"]:
        wanted["health"] = gw.build_health_integration(params["target_url"], params["request_headers"],
                                                       params["integration_timeout_ms"], params["health_route"]["query"])
    return wanted


def ensure_integrations(module, client, api_id, wanted, actions):
    """({kind: integration} after the run, the integrations read before it)."""
    current = gw.get_integrations(client, api_id) if api_id else []
    result = {}
    for kind, desired in wanted.items():
        label = "integration" if kind == "proxy" else "health integration"
        existing = gw.pick_integration(current, health=(kind == "health"))
        if existing is None:
            result[kind] = create_integration(module, client, api_id, desired, label, actions)
            continue
        changes = gw.compare_integration(existing, desired)
        if changes:
            updated = write(module, actions, "update %s" % label, gw.update_integration, client, api_id, existing["IntegrationId"], changes)
            existing = updated or dict(existing, **desired)
        result[kind] = existing
    return result, current


def create_integration(module, client, api_id, desired, label, actions):
    """Create an integration once, safe against a lost answer (a failed attempt's integration is
    found by content) and a concurrent run (one of its kind made meanwhile is adopted and updated)."""
    if module.check_mode:
        actions.append("create %s" % label)
        return dict(desired, IntegrationId=None)
    health = gw.is_health_integration(desired)

    def made_by_this_call():
        return [i for i in gw.get_integrations(client, api_id)
                if gw.is_health_integration(i) == health and not gw.compare_integration(i, desired)]
    create_client = gw.creation_client(module)
    made = create_once(lambda: gw.create_integration(create_client, api_id, desired), made_by_this_call,
                       lambda i: i["IntegrationId"], gw.creation_target(client, "HTTP API " + label, api_id),
                       retryable=gw.is_transient, timeout=module.params["wait_timeout"],
                       existing=lambda: as_list(gw.pick_integration(gw.get_integrations(client, api_id), health=health)))
    kept, *extras = sorted(made.resources, key=lambda i: i["IntegrationId"])
    if not made.created:
        changes = gw.compare_integration(kept, desired)
        if changes:
            actions.append("update %s" % label)
            kept = gw.update_integration(client, api_id, kept["IntegrationId"], changes) or dict(kept, **desired)
        return kept
    actions.append("create %s" % label)
    for extra in extras:
        gw.delete_integration(client, api_id, extra["IntegrationId"])
    return kept


def route_targets(params, integrations):
    """{route key: target} of every route the API needs."""
    targets = {key: gw.integration_target(integrations["proxy"].get("IntegrationId")) for key in params["routes"]}
    if "health" in integrations:
        targets[gw.health_route_key(params["health_route"]["path"])] = gw.integration_target(integrations["health"].get("IntegrationId"))
    return targets


def ensure_routes(module, client, api_id, targets, actions):
    """(route keys after the run, the routes before it)."""
    current = gw.get_routes(client, api_id) if api_id else []
    to_create, to_update, to_delete = gw.plan_routes(current, targets)
    for route_id, key in to_delete:
        write(module, actions, "delete route %s" % key, gw.delete_route, client, api_id, route_id)
    for route_id, key in to_update:
        write(module, actions, "point route %s at its integration" % key, gw.update_route, client, api_id, route_id, targets[key])
    for key in to_create:
        write(module, actions, "create route %s" % key, create_route, client, api_id, key, targets[key])
    return sorted(targets), current


def create_route(client, api_id, key, target):
    return gw.create_or_find_on_conflict(lambda: gw.create_route(client, api_id, key, target),
                                         lambda: next((r for r in gw.get_routes(client, api_id) if r["RouteKey"] == key), None))


def remove_surplus_integrations(module, client, api_id, before, integrations, actions):
    """Integrations no route uses any more: duplicates left by a lost CreateIntegration answer, a dropped health route."""
    kept = [i.get("IntegrationId") for i in integrations.values()]
    for integration_id in gw.surplus_integrations(before, kept):
        write(module, actions, "delete unused integration %s" % integration_id, gw.delete_integration, client, api_id, integration_id)


def ensure_stage(module, client, api_id, actions):
    """(stage after the run, stage before it)."""
    params = module.params
    current = gw.get_stage(client, api_id) if api_id else None
    if current is None:
        desired = gw.build_stage(params["throttling"], params["access_log"])
        created = write(module, actions, "create $default stage", gw.create_or_find_on_conflict,
                        lambda: gw.create_stage(client, api_id, desired), lambda: gw.get_stage(client, api_id))
        return created or desired, None
    changes = gw.compare_stage(current, params["throttling"], params["access_log"])
    if not changes:
        return current, current
    updated = write(module, actions, "update $default stage", gw.update_stage, client, api_id, gw.DEFAULT_STAGE, changes)
    return updated or dict(current, **changes), current


# ------------------------------------------------------ custom domain, mapping


def read_domain(module, client):
    """(the custom domain or None, adopted): refuses an untagged one before any write, unless adopt_untagged."""
    name = module.params["domain_name"]
    domain = gw.get_domain_name(client, name)
    if domain is None or is_owned(domain.get("Tags")):
        return domain, False
    if not module.params["adopt_untagged"]:
        module.fail_json(msg="domain_name: custom domain %s exists without the ownership tag %s; set adopt_untagged to manage it"
                         % (name, owner_tags()))
    return domain, True


def ensure_domain(module, client, api_id, current, adopted, actions):
    """(domain after the run, its mapping); current is read_domain()'s."""
    params = module.params
    name, key = params["domain_name"], params["api_mapping_key"]
    configuration = gw.build_domain_configuration(params["certificate_arn"])
    if current is None:
        tags = desired_tags(params["tags"] or {})
        domain = write(module, actions, "create custom domain %s" % name, gw.create_or_find_on_conflict,
                       lambda: gw.create_domain_name(client, name, configuration, tags), lambda: gw.get_domain_name(client, name))
        domain = dict(domain or {"DomainName": name}, Tags=tags)
        mappings = []
    else:
        domain = current
        if not gw.compare_domain(domain, params["certificate_arn"]):
            updated = write(module, actions, "update custom domain %s" % name, gw.update_domain_name, client, name, configuration)
            domain = dict(updated or domain, Tags=domain.get("Tags"))
        domain = ensure_domain_tags(module, client, domain, adopted, actions)
        mappings = gw.get_api_mappings(client, name)
    mapping = ensure_mapping(module, client, name, mappings, api_id, key, actions)
    if params["wait"] and not module.check_mode:
        domain = dict(wait_for_domain(module, client, name, domain), Tags=domain.get("Tags"))
    return domain, mapping


def ensure_domain_tags(module, client, domain, adopted, actions):
    """Tags of an existing custom domain converge like the API's; an adopted one gains the ownership tag."""
    params = module.params
    current = domain.get("Tags") or {}
    to_set, to_remove = plan_tag_changes(current, params["tags"], params["purge_tags"], adopted)
    name = domain["DomainName"]
    if to_remove:
        write(module, actions, "untag custom domain %s" % name, gw.untag_resource, client, domain["DomainNameArn"], to_remove)
    if to_set:
        write(module, actions, "tag custom domain %s" % name, gw.tag_resource, client, domain["DomainNameArn"], to_set)
    return dict(domain, Tags=tags_after(current, to_set, to_remove))


def ensure_mapping(module, client, name, mappings, api_id, key, actions):
    create, update, delete = gw.plan_mappings(mappings, api_id, key)
    mapping = next((m for m in mappings if m.get("ApiMappingKey", "") == key), None)
    for mapping_id in delete:
        write(module, actions, "delete API mapping %s" % mapping_id, gw.delete_api_mapping, client, name, mapping_id)
    if create:
        mapping = write(module, actions, "create API mapping %s" % key, gw.create_or_find_on_conflict,
                        lambda: gw.create_api_mapping(client, name, api_id, key),
                        lambda: next((m for m in gw.get_api_mappings(client, name) if m.get("ApiMappingKey", "") == key), None))
    elif update:
        mapping = write(module, actions, "update API mapping %s" % key, gw.update_api_mapping, client, name, update, api_id, key) or mapping
    return mapping


def wait_for_domain(module, client, name, domain):
    deadline = time.monotonic() + module.params["wait_timeout"]
    while gw.domain_wait_state(domain) == "wait":
        if time.monotonic() >= deadline:
            module.fail_json(msg="timed out after %d s waiting for custom domain %s to be AVAILABLE (status %s: %s);"
                             " API Gateway is still updating it: rerun later or raise wait_timeout" % (
                                 module.params["wait_timeout"], name, gw.domain_configuration(domain).get("DomainNameStatus"),
                                 gw.domain_configuration(domain).get("DomainNameStatusMessage", "")))
        time.sleep(POLL_SECONDS)
        domain = gw.get_domain_name(client, name) or domain
    if gw.domain_wait_state(domain) == "blocked":
        config = gw.domain_configuration(domain)
        module.fail_json(msg="domain_name: custom domain %s is %s and will not become AVAILABLE without your action: %s" % (
            name, config.get("DomainNameStatus"), config.get("DomainNameStatusMessage", "")))
    return domain


# ------------------------------------------------------------------ the flows


def ensure_present(module, client):
    params = module.params
    actions = []
    found, adopted = find_api(module, client, actions)
    domain_before, domain_adopted = read_domain(module, client) if params["domain_name"] else (None, False)
    if found is None:
        api, found = create_api(module, client, actions)  # found: made by another run meanwhile
    if found is not None:
        api = ensure_api_settings(module, client, found, adopted, actions)
    api_id = api["ApiId"]

    integrations, integrations_before = ensure_integrations(module, client, api_id, desired_integrations(params), actions)
    routes, routes_before = ensure_routes(module, client, api_id, route_targets(params, integrations), actions)
    remove_surplus_integrations(module, client, api_id, integrations_before, integrations, actions)
    stage, stage_before = ensure_stage(module, client, api_id, actions)
    domain, mapping = (None, None)
    if params["domain_name"]:
        domain, mapping = ensure_domain(module, client, api_id, domain_before, domain_adopted, actions)

    health_path = params["health_route"]["path"] if params["health_route"] else None
    after = summarize(api, integrations, routes, stage, domain, health_path)
    before = {}
    if found is not None:
        health_before = gw.pick_integration(integrations_before, health=True)
        before = summarize(found, {"proxy": gw.pick_integration(integrations_before) or {}, "health": health_before},
                           sorted(r["RouteKey"] for r in routes_before), stage_before, domain_before,
                           gw.route_path_to(routes_before, health_before))
    shown = api if api_id else dict(api, ApiId=PENDING)  # check mode, an API still to be created
    result = dict(changed=bool(actions), api=api_result(shown, integrations, routes, stage, health_path),
                  domain=domain_result(params, domain, mapping), realtime_url=params["realtime_url"], actions=actions)
    return result, before, after


def domain_result(params, domain, mapping):
    if not params["domain_name"]:
        return None
    config = gw.domain_configuration(domain)
    return {
        "domain_name": params["domain_name"],
        "url": gw.domain_url(params["domain_name"], params["api_mapping_key"]),
        "api_mapping_key": params["api_mapping_key"],
        "api_mapping_id": (mapping or {}).get("ApiMappingId"),
        "alias_target": gw.alias_target(domain),
        "status": config.get("DomainNameStatus"),
        "certificate_arn": config.get("CertificateArn", params["certificate_arn"]),
        "tags": dict((domain or {}).get("Tags") or {}),
    }


def remove_domain(module, client, name, api_id, actions):
    """The API's mappings on the domain, then the domain unless others use it or it is not ours. Returns whether it existed."""
    domain = gw.get_domain_name(client, name)
    if domain is None:
        return False
    mappings = gw.get_api_mappings(client, name)
    ours = [m for m in mappings if api_id and m.get("ApiId") == api_id]
    for mapping in ours:
        write(module, actions, "delete API mapping %s" % mapping["ApiMappingId"], gw.delete_api_mapping, client, name, mapping["ApiMappingId"])
    others = [m for m in mappings if m not in ours]
    if others:
        warn("custom domain %s kept: other APIs are mapped to it (%s)" % (name, ", ".join(sorted(m.get("ApiId", "?") for m in others))))
    elif not is_owned(domain.get("Tags")) and not module.params["adopt_untagged"]:
        warn("custom domain %s kept: it lacks the ownership tag (set adopt_untagged to remove it)" % name)
    else:
        write(module, actions, "delete custom domain %s" % name, gw.delete_domain_name, client, name)
    return True


def remove_api_mappings(module, client, api_id, actions):
    """Without domain_name: the API's mappings on every custom domain of the region (the domains stay)."""
    for domain in gw.get_domain_names(client):
        for mapping in gw.get_api_mappings(client, domain["DomainName"]):
            if mapping.get("ApiId") == api_id:
                write(module, actions, "delete API mapping %s" % mapping["ApiMappingId"], gw.delete_api_mapping, client,
                      domain["DomainName"], mapping["ApiMappingId"])


def ensure_absent(module, client):
    params = module.params
    actions = []
    api, dummy = find_api(module, client, actions)
    api_id = api["ApiId"] if api else None
    before = summarize(api, None, None, None, None)
    if params["domain_name"]:
        if remove_domain(module, client, params["domain_name"], api_id, actions):
            before = dict(before or {}, domain_name=params["domain_name"])
    elif api_id:
        remove_api_mappings(module, client, api_id, actions)
    if api_id:
        write(module, actions, "delete API %s" % api_id, gw.delete_api, client, api_id)
    return dict(changed=bool(actions), api=None, domain=None, realtime_url=params["realtime_url"], actions=actions), before, {}


# ---------------------------------------------------------------- the results


def header_names(integration):
    prefix = gw.HEADER_PARAMETER % ""
    return sorted(k[len(prefix):] for k, v in ((integration or {}).get("RequestParameters") or {}).items() if v and k.startswith(prefix))


def integration_result(integration):
    integration = integration or {}
    return {
        "integration_id": integration.get("IntegrationId"),
        "integration_type": integration.get("IntegrationType"),
        "integration_uri": integration.get("IntegrationUri"),
        "integration_method": integration.get("IntegrationMethod"),
        "payload_format_version": integration.get("PayloadFormatVersion"),
        "timeout_in_millis": integration.get("TimeoutInMillis"),
        "request_headers": header_names(integration),
    }


def health_route_result(health, path):
    if not health:
        return None
    return {"path": path, "query": (health.get("RequestParameters") or {}).get(gw.HEALTH_QUERY_PARAMETER),
            "integration_id": health.get("IntegrationId")}


def cors_result(api):
    configuration = api.get("CorsConfiguration")
    if not configuration or not configuration.get("AllowOrigins"):
        return None
    return {
        "allow_origins": list(configuration.get("AllowOrigins") or []),
        "allow_methods": list(configuration.get("AllowMethods") or []),
        "allow_headers": list(configuration.get("AllowHeaders") or []),
        "expose_headers": list(configuration.get("ExposeHeaders") or []),
        "max_age": configuration.get("MaxAge"),
        "allow_credentials": bool(configuration.get("AllowCredentials")),
    }


def api_result(api, integrations, routes, stage, health_path=None):
    """The api return value; integrations = {kind: integration}."""
    integrations = integrations or {}
    stage = stage or {}
    return {
        "api_id": api.get("ApiId"),
        "name": api.get("Name"),
        "api_endpoint": api.get("ApiEndpoint"),
        "protocol_type": api.get("ProtocolType", "HTTP"),
        "description": api.get("Description"),
        "tags": gw.user_tags(api.get("Tags")),
        "cors": cors_result(api),
        "routes": routes,
        "integration": integration_result(integrations.get("proxy")),
        "health_route": health_route_result(integrations.get("health"), health_path),
        "stage": {
            "stage_name": stage.get("StageName", gw.DEFAULT_STAGE),
            "auto_deploy": stage.get("AutoDeploy"),
            "default_route_settings": {
                "throttling_burst_limit": (stage.get("DefaultRouteSettings") or {}).get("ThrottlingBurstLimit"),
                "throttling_rate_limit": (stage.get("DefaultRouteSettings") or {}).get("ThrottlingRateLimit"),
            },
            "access_log_settings": {
                "destination_arn": (stage.get("AccessLogSettings") or {}).get("DestinationArn"),
                "format": (stage.get("AccessLogSettings") or {}).get("Format"),
            } if stage.get("AccessLogSettings") else None,
        },
    }


def summarize(api, integrations, routes, stage, domain, health_path=None):
    """The diff view (no header values)."""
    if api is None:
        return {}
    summary = {"name": api.get("Name"), "tags": gw.user_tags(api.get("Tags")), "cors": cors_result(api)}
    if integrations is not None:
        full = api_result(api, integrations, routes, stage, health_path)
        summary.update(target_url=full["integration"]["integration_uri"], request_headers=full["integration"]["request_headers"],
                       routes=routes, health_route=full["health_route"], stage=full["stage"])
    if domain is not None:
        summary["domain_name"] = domain.get("DomainName")
        summary["certificate_arn"] = gw.domain_configuration(domain).get("CertificateArn")
        summary["domain_tags"] = dict(domain.get("Tags") or {})
    return summary


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        target_url=dict(type="str"),
        routes=dict(type="list", elements="str", default=["POST /"]),
        request_headers=dict(type="dict", no_log=True),
        integration_timeout_ms=dict(type="int", default=30000),
        cors=dict(type="dict", options=dict(
            allow_origins=dict(type="list", elements="str", required=True),
            allow_methods=dict(type="list", elements="str", default=["POST"]),
            allow_headers=dict(type="list", elements="str", default=["content-type", "x-api-key", "authorization"]),
            expose_headers=dict(type="list", elements="str", default=[]),
            max_age=dict(type="int"),
            allow_credentials=dict(type="bool", default=False),
        )),
        health_route=dict(type="dict", options=dict(
            path=dict(type="str", default="/health"),
            query=dict(type="str", default="{__typename}"),
        )),
        throttling=dict(type="dict", options=dict(burst_limit=dict(type="int"), rate_limit=dict(type="float"))),
        access_log=dict(type="dict", options=dict(destination_arn=dict(type="str", required=True),
                                                  format=dict(type="str", required=True))),
        domain_name=dict(type="str"),
        certificate_arn=dict(type="str"),
        api_mapping_key=dict(type="str", default="graphql", no_log=False),
        realtime_url=dict(type="str"),
        adopt_untagged=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[["state", "present", ["target_url"]]],
    )
    error = validate_params(module.params) or placeholder_error(module.params, ["target_url", "certificate_arn"], module.check_mode)
    if error:
        module.fail_json(msg=error)
    client = module.client("apigatewayv2")
    try:
        if module.params["state"] == "present":
            result, before, after = ensure_present(module, client)
        else:
            result, before, after = ensure_absent(module, client)
    except gw.AnsibleApiGatewayV2Error as e:
        module.fail_json_aws_error(e)
    if module._diff:
        result["diff"] = {"before": before or {}, "after": after or {}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
