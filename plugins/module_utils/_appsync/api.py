# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AppSync GraphQL APIs: identity, desired configuration, comparison, AWS calls.

Pure helpers (no boto3): build_api_config turns module options into the
CreateGraphqlApi/UpdateGraphqlApi parameters, api_config_of reads the same
shape back from a GraphqlApi, fields_to_update names what differs,
candidates_named feeds ownership.select_owned, build_diff_view is what
`--diff` shows. The wrappers below carry the retry and error handling;
CreateGraphqlApi retries only refusals (see common.create_once), the calls
that may pass a logging role retry role propagation.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AppSyncErrorHandler
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import all_pages
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import appsync_retry
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import create_retry
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import role_propagation_retry

# option name -> AWS field name, per configuration block
_OIDC = (("issuer", "issuer"), ("client_id", "clientId"), ("iat_ttl", "iatTTL"), ("auth_ttl", "authTTL"))
_USER_POOL = (
    ("user_pool_id", "userPoolId"),
    ("aws_region", "awsRegion"),
    ("default_action", "defaultAction"),
    ("app_id_client_regex", "appIdClientRegex"),
)
_LAMBDA = (
    ("authorizer_uri", "authorizerUri"),
    ("authorizer_result_ttl_in_seconds", "authorizerResultTtlInSeconds"),
    ("identity_validation_expression", "identityValidationExpression"),
)
_LOG = (
    ("field_log_level", "fieldLogLevel"),
    ("cloudwatch_logs_role_arn", "cloudWatchLogsRoleArn"),
    ("exclude_verbose_content", "excludeVerboseContent"),
)
_AUTH_BLOCKS = (
    ("openid_connect_config", "openIDConnectConfig", _OIDC),
    ("user_pool_config", "userPoolConfig", _USER_POOL),
    ("lambda_authorizer_config", "lambdaAuthorizerConfig", _LAMBDA),
)
# Fields of UpdateGraphqlApi this module manages (besides name and authenticationType).
MANAGED_FIELDS = (
    "authenticationType",
    "additionalAuthenticationProviders",
    "xrayEnabled",
    "logConfig",
    "openIDConnectConfig",
    "userPoolConfig",
    "lambdaAuthorizerConfig",
)
# Settings this module does not manage, carried over in UpdateGraphqlApi so an
# update never resets them.
PRESERVED_FIELDS = (
    "introspectionConfig",
    "queryDepthLimit",
    "resolverCountLimit",
    "enhancedMetricsConfig",
    "ownerContact",
    "mergedApiExecutionRoleArn",
)
# Configuration block each authentication type needs.
AUTH_TYPE_BLOCK = {
    "OPENID_CONNECT": "openid_connect_config",
    "AMAZON_COGNITO_USER_POOLS": "user_pool_config",
    "AWS_LAMBDA": "lambda_authorizer_config",
}


def _block(options, mapping, drop=()):
    if options is None:
        return None
    return dict((aws, options[opt]) for opt, aws in mapping if opt not in drop and options.get(opt) is not None)


def build_provider(provider):
    """One additional_authentication_providers item -> AWS shape."""
    result = {"authenticationType": provider["authentication_type"]}
    for option, field, mapping in _AUTH_BLOCKS:
        # An additional user pool provider has no default action.
        block = _block(provider.get(option), mapping, drop=("default_action",))
        if block:
            result[field] = block
    return result


def auth_option_errors(params):
    """One-line messages for authentication settings AppSync would refuse."""
    errors = []
    entries = [("authentication_type", params["authentication_type"], params)]
    for index, provider in enumerate(params.get("additional_authentication_providers") or []):
        entries.append(("additional_authentication_providers[%d].authentication_type" % index, provider["authentication_type"], provider))
        if provider["authentication_type"] == params["authentication_type"]:
            errors.append(
                "additional_authentication_providers[%d] repeats the primary authentication_type %s" % (index, provider["authentication_type"])
            )
    required = {"openid_connect_config": ("issuer",), "user_pool_config": ("user_pool_id", "aws_region"), "lambda_authorizer_config": ("authorizer_uri",)}
    for index, provider in enumerate(params.get("additional_authentication_providers") or []):
        for option, _field, mapping in _AUTH_BLOCKS:
            block = provider.get(option)
            if not block:
                continue
            where = "additional_authentication_providers[%d].%s" % (index, option)
            known = [opt for opt, _aws in mapping if opt != "default_action"]
            unknown = sorted(set(block) - set(known))
            if unknown:
                errors.append("%s has unknown keys %s (known: %s)" % (where, ", ".join(unknown), ", ".join(known)))
            missing = [key for key in required[option] if block.get(key) is None]
            if missing:
                errors.append("%s needs %s" % (where, ", ".join(missing)))
    primary_block = AUTH_TYPE_BLOCK.get(params["authentication_type"])
    for auth_type, block in sorted(AUTH_TYPE_BLOCK.items()):
        if params.get(block) is not None and block != primary_block:
            errors.append(
                "%s is only used with authentication_type=%s, got authentication_type=%s "
                "(an additional provider's settings go in additional_authentication_providers)" % (block, auth_type, params["authentication_type"])
            )
    for where, auth_type, source in entries:
        block = AUTH_TYPE_BLOCK.get(auth_type)
        if block and not source.get(block):
            errors.append("%s=%s needs %s" % (where, auth_type, block if source is params else where.rsplit(".", 1)[0] + "." + block))
    return errors


def build_api_config(params, current=None):
    """Desired CreateGraphqlApi/UpdateGraphqlApi fields from module options.

    Options left unset (None) keep the current value, so an update always
    sends the complete configuration.
    """
    current = current or {}
    config = {"name": params["name"], "authenticationType": params["authentication_type"]}
    providers = params.get("additional_authentication_providers")
    if providers is not None:
        config["additionalAuthenticationProviders"] = [build_provider(p) for p in providers]
    elif current.get("additionalAuthenticationProviders"):
        config["additionalAuthenticationProviders"] = current["additionalAuthenticationProviders"]
    config["xrayEnabled"] = bool(params.get("xray_enabled"))
    if params.get("log_config") is not None:
        config["logConfig"] = _block(params["log_config"], _LOG)
    elif current.get("logConfig"):
        config["logConfig"] = current["logConfig"]
    # The primary type's settings block: only that one is sent, so changing the
    # primary type drops the old type's settings instead of sending both.
    primary_block = AUTH_TYPE_BLOCK.get(params["authentication_type"])
    for option, field, mapping in _AUTH_BLOCKS:
        if option != primary_block:
            continue
        if params.get(option) is not None:
            drop = () if option == "user_pool_config" else ("default_action",)
            config[field] = _block(params[option], mapping, drop=drop)
        elif current.get(field):
            config[field] = current[field]
    return config


def api_config_of(api):
    """The managed fields of a GraphqlApi as AppSync returns it."""
    config = {"name": api.get("name"), "authenticationType": api.get("authenticationType"), "xrayEnabled": bool(api.get("xrayEnabled"))}
    for field in MANAGED_FIELDS:
        if field in ("authenticationType", "xrayEnabled"):
            continue
        if api.get(field):
            config[field] = api[field]
    if "logConfig" in config:
        config["logConfig"] = dict(config["logConfig"])
        # AppSync reports excludeVerboseContent false when it was never set.
        config["logConfig"].setdefault("excludeVerboseContent", False)
    return config


def build_update_params(current, desired):
    """UpdateGraphqlApi parameters: the desired configuration plus the current
    values of the settings this module leaves alone."""
    params = merge_live_defaults(desired, current)
    for field in PRESERVED_FIELDS:
        if current.get(field) is not None:
            params.setdefault(field, current[field])
    return params


def _normalized(config):
    config = dict(config)
    if "logConfig" in config:
        config["logConfig"] = dict(config["logConfig"])
        config["logConfig"].setdefault("excludeVerboseContent", False)
    if not config.get("additionalAuthenticationProviders"):
        config.pop("additionalAuthenticationProviders", None)
    return config


# Numeric/boolean settings AppSync fills in with its default when they are not
# sent: left unset in the options, they take the live value.
DEFAULTED_KEYS = ("iatTTL", "authTTL", "authorizerResultTtlInSeconds", "excludeVerboseContent")
_BLOCKS = ("openIDConnectConfig", "userPoolConfig", "lambdaAuthorizerConfig", "logConfig")


def _with_live_defaults(desired, current):
    """desired with the DEFAULTED_KEYS it lacks taken from current, per block."""
    desired = dict(desired)
    for field in _BLOCKS:
        if isinstance(desired.get(field), dict) and isinstance(current.get(field), dict):
            block = dict(desired[field])
            for key in DEFAULTED_KEYS:
                if key not in block and key in current[field]:
                    block[key] = current[field][key]
            desired[field] = block
    return desired


def merge_live_defaults(desired, current):
    """desired with AppSync's defaults for unset DEFAULTED_KEYS taken from the
    live configuration, in the top-level blocks and in each additional
    provider of the same type at the same position."""
    desired = _with_live_defaults(desired, current)
    current_providers = current.get("additionalAuthenticationProviders") or []
    desired_providers = desired.get("additionalAuthenticationProviders")
    if desired_providers and len(current_providers) == len(desired_providers):
        desired["additionalAuthenticationProviders"] = [
            _with_live_defaults(d, c) if d.get("authenticationType") == c.get("authenticationType") else d
            for d, c in zip(desired_providers, current_providers)
        ]
    return desired


def fields_to_update(current, desired):
    """Sorted names of the top-level fields whose values differ."""
    current = _normalized(current)
    desired = _normalized(merge_live_defaults(desired, current))
    keys = set(current) | set(desired)
    return sorted(k for k in keys if current.get(k) != desired.get(k))


def candidates_named(apis, name):
    """The APIs called name, shaped for ownership.select_owned."""
    return [dict(api, id=api["apiId"], tags=api.get("tags") or {}) for api in apis if api.get("name") == name]


def build_diff_view(config, tags, schema, api_key):
    """What --diff shows for one side: never the key (its id is its value)."""
    view = {}
    if config is not None:
        view.update(
            {
                "name": config.get("name"),
                "authentication_type": config.get("authenticationType"),
                "additional_authentication_providers": config.get("additionalAuthenticationProviders") or [],
                "xray_enabled": config.get("xrayEnabled"),
                "log_config": config.get("logConfig"),
                "openid_connect_config": config.get("openIDConnectConfig"),
                "user_pool_config": config.get("userPoolConfig"),
                "lambda_authorizer_config": config.get("lambdaAuthorizerConfig"),
            }
        )
    if tags is not None:
        view["tags"] = tags
    if schema is not None:
        view["schema"] = schema
    if api_key is not None:
        view["api_key"] = {"expires_at": api_key.get("expires_at")}
    return view


# ---- AWS calls -------------------------------------------------------------


@AppSyncErrorHandler.list_error_handler("list GraphQL APIs", default_value=[])
@appsync_retry
def list_graphql_apis(client):
    return all_pages(client.list_graphql_apis, "graphqlApis")


@AppSyncErrorHandler.list_error_handler("get GraphQL API")
@appsync_retry
def get_graphql_api(client, api_id):
    return client.get_graphql_api(apiId=api_id)["graphqlApi"]


@AppSyncErrorHandler.common_error_handler("create GraphQL API")
@create_retry
def create_graphql_api(client, config, tags):
    return client.create_graphql_api(tags=tags, **config)["graphqlApi"]


@AppSyncErrorHandler.common_error_handler("update GraphQL API")
@role_propagation_retry
def update_graphql_api(client, api_id, config):
    return client.update_graphql_api(apiId=api_id, **config)["graphqlApi"]


@AppSyncErrorHandler.deletion_error_handler("delete GraphQL API")
@appsync_retry
def delete_graphql_api(client, api_id):
    client.delete_graphql_api(apiId=api_id)
    return True


@AppSyncErrorHandler.list_error_handler("list the tags of a GraphQL API", default_value={})
@appsync_retry
def list_tags(client, arn):
    return client.list_tags_for_resource(resourceArn=arn).get("tags") or {}


def with_tags(client, apis):
    """The APIs with their tags: read with ListTagsForResource for any API
    whose listing left them out."""
    return [api if "tags" in api else dict(api, tags=list_tags(client, api["arn"])) for api in apis]


@AppSyncErrorHandler.common_error_handler("tag GraphQL API")
@appsync_retry
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags)


@AppSyncErrorHandler.common_error_handler("untag GraphQL API")
@appsync_retry
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=keys)


@AppSyncErrorHandler.common_error_handler("read the schema creation status")
@appsync_retry
def get_schema_creation_status(client, api_id):
    return client.get_schema_creation_status(apiId=api_id)


@AppSyncErrorHandler.common_error_handler("start the schema creation")
@appsync_retry
def start_schema_creation(client, api_id, definition):
    return client.start_schema_creation(apiId=api_id, definition=definition.encode("utf-8"))["status"]


@appsync_retry
def read_introspection_schema(client, api_id, schema_format="SDL", include_directives=True):
    """GetIntrospectionSchema's bytes (errors are left to the caller's handler)."""
    return client.get_introspection_schema(apiId=api_id, format=schema_format, includeDirectives=include_directives)["schema"].read()


@AppSyncErrorHandler.common_error_handler("read the live schema")
def get_live_schema(client, api_id):
    """The live schema as SDL text, or None when the API has none yet.

    AppSync answers GraphQLSchemaException (or NotFoundException) for an API
    whose schema was never created.
    """
    try:
        return read_introspection_schema(client, api_id).decode("utf-8")
    except is_boto3_error_code(["GraphQLSchemaException", "NotFoundException"]):
        return None
