# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure helpers for data sources, functions and resolvers: option checks,
request builders and the (before, after) of what the modules manage.

No AWS calls: the modules feed them module options and the resources read
back, and send what they build through the wrappers in calls.py.
"""

import re

NAME_RE = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
DEFAULT_RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}
VTL_FUNCTION_VERSION = "2018-05-29"


def check_name(option, value):
    """An error message when value is not a valid AppSync resource name, else None."""
    if value is None or NAME_RE.match(value):
        return None
    return "%s=%r is not a valid AppSync name (letters, digits and _, not starting with a digit)" % (option, value)


def check_field(introspection, type_name, field_name):
    """An error message when the schema lacks the object type or its field, else None.

    introspection: the JSON document of GetIntrospectionSchema (with or without
    a top-level "data"), or None when the API has no schema.
    """
    schema = (introspection or {}).get("data", introspection or {}).get("__schema") or {}
    types = {t.get("name"): t for t in schema.get("types") or []}
    graphql_type = types.get(type_name)
    if graphql_type is None or graphql_type.get("kind") not in (None, "OBJECT"):
        return "the API's schema has no object type %s" % type_name
    if field_name not in [f.get("name") for f in graphql_type.get("fields") or []]:
        return "type %s of the API's schema has no field %s" % (type_name, field_name)
    return None


def code_source(code, code_file):
    """The resolver/function code from a string or a file's text (None when neither).

    Raises ValueError naming code_file when the file cannot be read as UTF-8 text.
    """
    if code_file is None:
        return code
    try:
        with open(code_file, "r", encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError("code_file=%s: cannot be read as UTF-8 text: %s" % (code_file, e)) from e


def _drop_none(mapping):
    return dict((k, v) for k, v in mapping.items() if v is not None)


# Settings the modules do not manage. Update* replaces the whole resource, so
# they are carried over from the live one and an update never resets them.
RESOLVER_PRESERVED = ("syncConfig", "cachingConfig", "metricsConfig")
FUNCTION_PRESERVED = ("syncConfig",)
DATA_SOURCE_PRESERVED = ("metricsConfig",)


def _carry_over(request, current, fields):
    for field in fields:
        if (current or {}).get(field) is not None and field not in request:
            request[field] = current[field]
    return request


def build_runtime(runtime, code):
    """AppSyncRuntime for the request: the option, or APPSYNC_JS 1.0.0 when code is set."""
    if runtime:
        return {"name": runtime.get("name") or DEFAULT_RUNTIME["name"],
                "runtimeVersion": runtime.get("runtime_version") or DEFAULT_RUNTIME["runtimeVersion"]}
    return dict(DEFAULT_RUNTIME) if code is not None else None


def data_source_type(params):
    """The type option, or the one implied by the *_config option given (NONE without)."""
    if params.get("type"):
        return params["type"]
    for option, kind in (("dynamodb_config", "AMAZON_DYNAMODB"), ("http_config", "HTTP"), ("lambda_config", "AWS_LAMBDA")):
        if params.get(option):
            return kind
    return "NONE"


def build_data_source_request(params, connection_region, current=None):
    """The Create/UpdateDataSource arguments (minus apiId) wanted by the module options.

    description and service_role_arn left out (None) keep the current values, except
    that a NONE data source has no role.
    """
    kind = data_source_type(params)
    request = {"name": params["name"], "type": kind, "description": params.get("description"),
               "serviceRoleArn": params.get("service_role_arn")}
    current = current or {}
    if request["description"] is None:
        request["description"] = current.get("description")
    if request["serviceRoleArn"] is None and kind != "NONE":
        request["serviceRoleArn"] = current.get("serviceRoleArn")
    dynamodb = params.get("dynamodb_config")
    if kind == "AMAZON_DYNAMODB" and dynamodb:
        request["dynamodbConfig"] = {
            "tableName": dynamodb["table_name"],
            "awsRegion": dynamodb.get("table_region") or connection_region,
            "useCallerCredentials": bool(dynamodb.get("use_caller_credentials")),
            "versioned": bool(dynamodb.get("versioned")),
        }
        if request["dynamodbConfig"]["versioned"] and current.get("dynamodbConfig", {}).get("deltaSyncConfig"):
            request["dynamodbConfig"]["deltaSyncConfig"] = current["dynamodbConfig"]["deltaSyncConfig"]
    if kind == "HTTP" and params.get("http_config"):
        request["httpConfig"] = {"endpoint": params["http_config"]["endpoint"]}
        # SigV4 signing settings are not managed: keep them
        if (current.get("httpConfig") or {}).get("authorizationConfig"):
            request["httpConfig"]["authorizationConfig"] = current["httpConfig"]["authorizationConfig"]
    if kind == "AWS_LAMBDA" and params.get("lambda_config"):
        request["lambdaConfig"] = {"lambdaFunctionArn": params["lambda_config"]["lambda_function_arn"]}
    return _carry_over(_drop_none(request), current, DATA_SOURCE_PRESERVED)


def check_data_source_options(params):
    """A one-line error for inconsistent data source options, else None."""
    kind = data_source_type(params)
    wanted = {"AMAZON_DYNAMODB": "dynamodb_config", "HTTP": "http_config", "AWS_LAMBDA": "lambda_config"}
    for option in ("dynamodb_config", "http_config", "lambda_config"):
        if params.get(option) and wanted.get(kind) != option:
            return "%s cannot be used with type=%s" % (option, kind)
    if kind in wanted and not params.get(wanted[kind]):
        return "type=%s requires %s" % (kind, wanted[kind])
    return check_name("name", params.get("name"))


DATA_SOURCE_DEFAULTS = {"dynamodbConfig": {"useCallerCredentials": False, "versioned": False}}


def _comparable_data_source(data_source):
    """Only what the module manages, with AWS's defaults filled in."""
    result = {}
    for key in ("name", "type", "description", "serviceRoleArn"):
        if data_source.get(key) not in (None, ""):
            result[key] = data_source[key]
    for key, subkeys in (("dynamodbConfig", ("tableName", "awsRegion", "useCallerCredentials", "versioned")),
                         ("httpConfig", ("endpoint",)), ("lambdaConfig", ("lambdaFunctionArn",))):
        if data_source.get(key):
            merged = dict(DATA_SOURCE_DEFAULTS.get(key, {}), **data_source[key])
            result[key] = dict((k, merged.get(k)) for k in subkeys)
    return result


def data_source_changes(current, request):
    """(before, after) of the managed fields; equal when no update is needed."""
    return _comparable_data_source(current or {}), _comparable_data_source(request)


def resolve_function_ids(functions, names):
    """Map pipeline function names to ids; returns (ids, error message or None)."""
    ids = []
    for name in names or []:
        matches = sorted(f["functionId"] for f in functions if f.get("name") == name)
        if not matches:
            return None, "pipeline_functions: no function named %s on this API" % name
        if len(matches) > 1:
            return None, "pipeline_functions: %d functions are named %s (%s); rename all but one" % (
                len(matches), name, ", ".join(matches))
        ids.append(matches[0])
    return ids, None


def check_code_options(params, code):
    """One-line errors shared by resolvers and functions, else None."""
    if code is not None and (params.get("request_template") is not None or params.get("response_template") is not None):
        return "code/code_file (APPSYNC_JS) and request_template/response_template (VTL) are mutually exclusive"
    if params.get("runtime") and code is None:
        return "runtime requires code or code_file"
    runtime = params.get("runtime") or {}
    if runtime.get("name") not in (None, "APPSYNC_JS"):
        return "runtime.name=%s is not supported (APPSYNC_JS)" % runtime.get("name")
    return None


def build_resolver_request(params, code, function_ids=None, current=None):
    """The Create/UpdateResolver arguments (minus apiId and typeName).

    max_batch_size left out (None) keeps the current value.
    """
    kind = params.get("kind") or "UNIT"
    request = {
        "fieldName": params["field_name"],
        "kind": kind,
        "dataSourceName": params.get("data_source_name") if kind == "UNIT" else None,
        "pipelineConfig": {"functions": list(function_ids or [])} if kind == "PIPELINE" else None,
        "runtime": build_runtime(params.get("runtime"), code),
        "code": code,
        "requestMappingTemplate": params.get("request_template"),
        "responseMappingTemplate": params.get("response_template"),
        "maxBatchSize": params.get("max_batch_size"),
    }
    if request["maxBatchSize"] is None and (current or {}).get("maxBatchSize"):
        request["maxBatchSize"] = current["maxBatchSize"]
    return _carry_over(_drop_none(request), current, RESOLVER_PRESERVED)


def check_resolver_options(params, code):
    kind = params.get("kind") or "UNIT"
    if kind == "UNIT" and not params.get("data_source_name"):
        return "kind=UNIT requires data_source_name"
    if kind == "UNIT" and params.get("pipeline_functions"):
        return "pipeline_functions requires kind=PIPELINE"
    if kind == "PIPELINE" and params.get("data_source_name"):
        return "data_source_name cannot be used with kind=PIPELINE (name the functions in pipeline_functions)"
    if kind == "PIPELINE" and not params.get("pipeline_functions"):
        return "kind=PIPELINE requires pipeline_functions"
    return check_code_options(params, code)


RESOLVER_KEYS = ("fieldName", "kind", "dataSourceName", "pipelineConfig", "runtime", "code",
                 "requestMappingTemplate", "responseMappingTemplate", "maxBatchSize")
FUNCTION_KEYS = ("name", "description", "dataSourceName", "runtime", "code", "requestMappingTemplate",
                 "responseMappingTemplate", "functionVersion", "maxBatchSize")


def _comparable(resource, keys):
    result = dict((k, resource.get(k)) for k in keys if resource.get(k) not in (None, ""))
    if result.get("maxBatchSize") == 0:  # AppSync reports 0 for "no batching"
        del result["maxBatchSize"]
    return result


def resolver_changes(current, request):
    """(before, after) of the managed resolver fields; equal when no update is needed."""
    before = _comparable(current or {}, RESOLVER_KEYS)
    if before and "kind" not in before:
        before["kind"] = "UNIT"
    # Only what the live resolver's kind uses: AWS may report an empty
    # pipelineConfig on a UNIT resolver.
    before.pop("pipelineConfig" if before.get("kind") == "UNIT" else "dataSourceName", None)
    return before, _comparable(request, RESOLVER_KEYS)


def build_function_request(params, code, current=None):
    """The Create/UpdateFunction arguments (minus apiId and functionId)."""
    request = {
        "name": params["name"],
        "description": params.get("description"),
        "dataSourceName": params.get("data_source_name"),
        "runtime": build_runtime(params.get("runtime"), code),
        "code": code,
        "requestMappingTemplate": params.get("request_template"),
        "responseMappingTemplate": params.get("response_template"),
        "functionVersion": None if code is not None else (params.get("function_version") or VTL_FUNCTION_VERSION),
        "maxBatchSize": params.get("max_batch_size"),
    }
    current = current or {}
    if request["description"] is None:
        request["description"] = current.get("description")
    if request["maxBatchSize"] is None and current.get("maxBatchSize"):
        request["maxBatchSize"] = current["maxBatchSize"]
    return _carry_over(_drop_none(request), current, FUNCTION_PRESERVED)


def function_changes(current, request):
    """(before, after) of the managed function fields; equal when no update is needed."""
    before, after = _comparable(current or {}, FUNCTION_KEYS), _comparable(request, FUNCTION_KEYS)
    if "functionVersion" not in after:  # APPSYNC_JS functions have no VTL version
        before.pop("functionVersion", None)
    return before, after
