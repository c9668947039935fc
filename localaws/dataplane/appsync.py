"""The AppSync data plane: POST /graphql on ``<host>.appsync-api.<region>.amazonaws.com``.

The host is the one GetGraphqlApi gives in ``uris.GRAPHQL``. A request is
authorised as AppSync does it (API_KEY: the ``x-api-key`` must be one of the
API's keys and not expired, else HTTP 401 ``UnauthorizedException``; AWS_IAM:
a SigV4 ``Authorization`` header, signature not checked, as everywhere in the
local AWS; other providers cannot be verified here and are refused), then
parsed, validated and executed by graphql-core against the API's live schema.
Each field with a resolver runs it (APPSYNC_JS UNIT or PIPELINE, in V8 through
appsync_js; VTL is refused with a clear error), against its data source
(AMAZON_DYNAMODB through appsync_dynamodb, NONE). ``@aws_api_key`` /
``@aws_iam`` / ... on a field, else on its type, else the API's default
provider, decide who may read it. Errors come back in AppSync's shape, with
partial data.

Realtime (subscriptions) fits this layer as a second host pattern,
``<host>.appsync-realtime-api.<region>.amazonaws.com``, handled beside
``handle`` with the same ``find_api``/``authorize``: the WebSocket upgrade
needs the server to hand the connection over (the router's Request/Response
are one-shot), and a mutation executed by ``execute`` publishes its result
to the subscriptions whose ``@aws_subscribe(mutations: [...])`` names it, which
is why execution goes through one ``Execution`` object per request.
"""

import json
import re
import threading
import time
import uuid
from datetime import timezone
from functools import lru_cache

from graphql import (FieldNode, GraphQLError, OperationType, StringValueNode, build_schema, default_field_resolver,
                     execute, get_operation_ast, parse, validate, value_from_ast_untyped)

from localaws import dataplane
from localaws.dataplane import appsync_dynamodb, appsync_js

HOST_RE = re.compile(r"^([a-z0-9]{26})\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$")
JSON_HEADERS = {"Content-Type": "application/json; charset=UTF-8", "Access-Control-Allow-Origin": "*"}
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "*", "Access-Control-Max-Age": "86400"}
AUTH_DIRECTIVES = {"aws_api_key": "API_KEY", "aws_iam": "AWS_IAM", "aws_oidc": "OPENID_CONNECT",
                   "aws_cognito_user_pools": "AMAZON_COGNITO_USER_POOLS", "aws_auth": "AMAZON_COGNITO_USER_POOLS",
                   "aws_lambda": "AWS_LAMBDA"}
NOT_AUTHORIZED = "You are not authorized to make this call."
NO_AUTH_HEADER = "Valid authorization header not provided."
VTL_UNSUPPORTED = "VTL resolvers are not supported by the local AWS: use the APPSYNC_JS runtime."
SIGV4_RE = re.compile(r"^AWS4-HMAC-SHA256 Credential=([^/]+)/")
# Test hook (set through the AppSync control route of localaws/extensions/appsync.py):
# seconds added to the clock that API key expiry is checked against.
SETTINGS = {"clock_offset": 0.0}
_SETTINGS_LOCK = threading.Lock()


class FieldError(Exception):
    """An error that resolves the field to null (util.error, data source or runtime failure)."""

    def __init__(self, message, error_type, data=None, error_info=None):
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.data = data
        self.error_info = error_info


def configure(changes):
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ValueError("unknown settings: %s" % ", ".join(sorted(unknown)))
    with _SETTINGS_LOCK:
        SETTINGS.update({key: float(value) for key, value in changes.items()})
        return dict(SETTINGS)


def now():
    return time.time() + SETTINGS["clock_offset"]


# --- routing -----------------------------------------------------------------

def find_api(host_id, region):
    """(account_id, GraphqlAPI) whose GRAPHQL uri names host_id in region, or (None, None)."""
    from moto.appsync.models import appsync_backends  # pylint: disable=import-outside-toplevel

    from localaws.extensions.appsync import graphql_host  # pylint: disable=import-outside-toplevel

    for account_id, regions in list(appsync_backends.items()):
        backend = dict(regions.items()).get(region)
        for api in list(backend.graphql_apis.values()) if backend else []:
            if graphql_host(api.api_id) == host_id:
                return account_id, api
    return None, None


def _json(status, payload, headers=None):
    headers = dict(JSON_HEADERS, **{"x-amzn-RequestId": str(uuid.uuid4())}, **(headers or {}))
    return dataplane.Response(status, headers, json.dumps(payload).encode())


def _unauthorized(message):
    return _json(401, {"errors": [{"errorType": "UnauthorizedException", "message": message}]},
                 {"x-amzn-ErrorType": "UnauthorizedException"})


def _malformed(message):
    return _json(400, {"errors": [{"errorType": "MalformedHttpRequestException", "message": message}]},
                 {"x-amzn-ErrorType": "MalformedHttpRequestException"})


def handle(request):
    """The data-plane handler (registered from the appsync extension's install())."""
    match = HOST_RE.match(dataplane.target_host(request.host))
    if not match:
        return None
    account_id, api = find_api(*match.groups())
    if api is None:
        return _json(404, {"errors": [{"errorType": "NotFoundException",
                                       "message": "No GraphQL API is served at %s." % request.host}]})
    if request.path.rstrip("/") != "/graphql":
        return _json(404, {"errors": [{"errorType": "NotFoundException", "message": "Not Found"}]})
    if request.method == "OPTIONS":
        return dataplane.Response(200, dict(CORS_HEADERS))
    if request.method != "POST":
        return _malformed("Only POST is supported on /graphql.")
    caller = authorize(api, account_id, request.headers)
    if isinstance(caller, dataplane.Response):
        return caller
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return _malformed("Unable to parse the JSON document.")
    if not isinstance(body, dict) or not isinstance(body.get("query"), str) \
            or not isinstance(body.get("variables") or {}, dict):
        return _malformed("The request body must be a JSON object with a query string and a variables object.")
    execution = Execution(api, account_id, caller, request.headers)
    return _json(200, execution.run(body["query"], body.get("variables") or {}, body.get("operationName")))


# --- authorization -------------------------------------------------------------

def providers_of(api):
    """The API's authentication types, default first."""
    extra = [p.get("authenticationType") for p in api.additional_authentication_providers or [] if isinstance(p, dict)]
    return [api.authentication_type or "API_KEY"] + extra


def _key_valid(api, value):
    key = api.api_keys.get(value)
    if key is None:
        return False
    return key.expires.replace(tzinfo=timezone.utc).timestamp() > now()


def authorize(api, account_id, headers):
    """The caller as {"provider", "identity"}, or AppSync's 401 Response."""
    providers = providers_of(api)
    api_key = headers.get("x-api-key")
    authorization = headers.get("authorization")
    if api_key is not None and "API_KEY" in providers:
        if _key_valid(api, api_key):
            return {"provider": "API_KEY", "identity": None}
        return _unauthorized(NOT_AUTHORIZED)
    if authorization:
        signed = SIGV4_RE.match(authorization)
        if signed and "AWS_IAM" in providers:
            return {"provider": "AWS_IAM", "identity": {
                "accountId": account_id, "accessKey": signed.group(1), "username": signed.group(1),
                "userArn": None, "sourceIp": [], "cognitoIdentityPoolId": None, "cognitoIdentityId": None,
                "cognitoIdentityAuthType": None, "cognitoIdentityAuthProvider": None}}
        return _unauthorized(NOT_AUTHORIZED)
    return _unauthorized(NO_AUTH_HEADER if api_key is None else NOT_AUTHORIZED)


def _directive_providers(node):
    names = [d.name.value for d in (node.directives if node is not None else None) or []]
    return {AUTH_DIRECTIVES[name] for name in names if name in AUTH_DIRECTIVES}


def field_allowed(api, parent_type, field, provider):
    """AppSync's rule: the field's auth directives, else its type's, else the default provider."""
    allowed = _directive_providers(field.ast_node)
    if not allowed:
        allowed = _directive_providers(parent_type.ast_node)
        for extension in parent_type.extension_ast_nodes or ():
            allowed |= _directive_providers(extension)
    if not allowed:
        allowed = {providers_of(api)[0]}
    return provider in allowed


# --- execution -----------------------------------------------------------------

@lru_cache(maxsize=64)
def _schema(definition, prelude):
    schema = build_schema(definition + prelude)
    _aws_json(schema.type_map.get("AWSJSON"))
    return schema


def _aws_json(scalar):
    """AWSJSON as AppSync treats it: JSON text on the wire, the parsed value in resolvers."""
    if scalar is None:
        return
    scalar.serialize = lambda value: value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    scalar.parse_value = lambda value: json.loads(value) if isinstance(value, str) else value
    scalar.parse_literal = lambda node, _variables=None: json.loads(node.value) if isinstance(node, StringValueNode) \
        else value_from_ast_untyped(node)


def schema_of(api):
    from moto.appsync import models  # pylint: disable=import-outside-toplevel

    schema = api.graphql_schema
    if schema is None or schema.status != "SUCCESS":
        return None
    return _schema(schema.definition, models.AWS_CUSTOM_GRAPHQL)


def _location(node):
    if node is None or node.loc is None:
        return []
    location = node.loc.source.get_location(node.loc.start)
    return [{"line": location.line, "column": location.column, "sourceName": None}]


def error_entry(message, error_type=None, path=None, nodes=(), data=None, error_info=None):
    """One error in AppSync's shape."""
    locations = [loc for node in nodes for loc in _location(node)]
    return {"path": path, "data": data, "errorType": error_type, "errorInfo": error_info,
            "locations": locations, "message": message}


def _state(api):
    return api.__dict__.get("localaws_state") or {"data_sources": {}, "functions": {}, "resolvers": {}}


def _selection_list(info):
    names = []

    def walk(selection_set, prefix):
        for selection in selection_set.selections if selection_set else []:
            if not isinstance(selection, FieldNode):
                walk(getattr(selection, "selection_set", None), prefix)
            elif not selection.name.value.startswith("__"):
                names.append(prefix + selection.name.value)
                walk(selection.selection_set, prefix + selection.name.value + "/")

    for node in info.field_nodes:
        walk(node.selection_set, "")
    return names


class Execution:
    """One GraphQL request against one API: its caller, its errors, its data-source calls."""

    def __init__(self, api, account_id, caller, headers):
        self.api = api
        self.account_id = account_id
        self.caller = caller
        self.headers = dict(headers)
        self.errors = []
        self.variables = {}

    def run(self, query, variables, operation_name):
        schema = schema_of(self.api)
        if schema is None:
            return {"data": None, "errors": [error_entry("The API has no valid schema.", "SchemaNotFound")]}
        try:
            document = parse(query)
        except GraphQLError as error:
            return {"data": None, "errors": [self._graphql_error(error, "InvalidSyntax")]}
        problems = validate(schema, document)
        if problems:
            return {"data": None, "errors": [self._graphql_error(e, "ValidationError") for e in problems]}
        operation = get_operation_ast(document, operation_name)
        if operation is not None and operation.operation == OperationType.SUBSCRIPTION:
            return {"data": None, "errors": [error_entry(
                "Subscriptions are served on the API's REALTIME endpoint, not on /graphql.", "ValidationError")]}
        self.variables = variables
        result = execute(schema, document, variable_values=variables, operation_name=operation_name,
                         field_resolver=self.resolve)
        errors = [self._graphql_error(e) for e in result.errors or []] + self.errors
        answer = {"data": result.data}
        if errors:
            answer["errors"] = errors
        return answer

    @staticmethod
    def _graphql_error(error, default_type=None):
        original = error.original_error
        if isinstance(original, FieldError):
            return {"path": error.path, "data": original.data, "errorType": original.error_type,
                    "errorInfo": original.error_info, "locations": _locations_of(error), "message": original.message}
        return {"path": error.path, "data": None, "errorType": default_type, "errorInfo": None,
                "locations": _locations_of(error), "message": error.message}

    # graphql-core calls this for every field
    def resolve(self, source, info, **args):
        field = info.parent_type.fields[info.field_name]
        if not field_allowed(self.api, info.parent_type, field, self.caller["provider"]):
            raise FieldError("Not Authorized to access %s on type %s" % (info.field_name, info.parent_type.name),
                             "Unauthorized")
        resolver = _state(self.api)["resolvers"].get((info.parent_type.name, info.field_name))
        if resolver is None:
            return default_field_resolver(source, info, **args)
        return self._run_resolver(resolver, source, info, args)

    def _context(self, source, info, args):
        return {"arguments": args, "source": source, "identity": self.caller["identity"], "stash": {},
                "prev": None, "request": {"headers": self.headers, "domainName": None},
                "info": {"fieldName": info.field_name, "parentTypeName": info.parent_type.name,
                         "variables": self.variables, "selectionSetList": _selection_list(info)}}

    def _evaluate(self, code, function, context, info):
        """Run one handler; appended errors are kept, util.error raises FieldError."""
        answer = appsync_js.evaluate(code, function, context, int(now() * 1000))
        path = info.path.as_list()
        for entry in answer["errors"]:
            self.errors.append(error_entry(entry["message"], entry["type"], path, info.field_nodes,
                                           entry["data"], entry["errorInfo"]))
        context["stash"] = answer["stash"]
        error = answer["error"]
        if error:
            raise FieldError(error["message"], "Code" if answer.get("runtimeError") else error["type"],
                             error.get("data"), error.get("errorInfo"))
        return answer

    def _run_resolver(self, resolver, source, info, args):
        context = self._context(source, info, args)
        code = _js_code(resolver)
        if resolver.get("kind") == "PIPELINE":
            before = self._evaluate(code, "request", context, info)
            if before["earlyReturn"]:
                return before["value"]
            context["prev"] = {"result": before["value"]}
            for function_id in resolver.get("pipelineConfig", {}).get("functions", []):
                function = _state(self.api)["functions"][function_id]
                context["prev"] = {"result": self._run_unit(function, context, info)}
            context["result"] = context["prev"]["result"]
            return self._evaluate(code, "response", context, info)["value"]
        return self._run_unit(resolver, context, info)

    def _run_unit(self, unit, context, info):
        """A UNIT resolver or a pipeline function: request, data source, response (stash carried on)."""
        code = _js_code(unit)
        context.pop("result", None)
        context.pop("error", None)
        request = self._evaluate(code, "request", context, info)
        if request["earlyReturn"]:
            return request["value"]
        result, error = self._data_source(unit.get("dataSourceName"), request["value"])
        context["result"] = result
        if error:
            context["error"] = error
        value = self._evaluate(code, "response", context, info)["value"]
        context.pop("error", None)
        return value

    def _data_source(self, name, request):
        """(ctx.result, ctx.error) of the data source for the request object."""
        source = _state(self.api)["data_sources"].get(name)
        if source is None:
            raise FieldError("No data source found named %s." % name, "DataSourceNotFound")
        if source["type"] == "NONE":
            return (request.get("payload") if isinstance(request, dict) else request), None
        if source["type"] == "AMAZON_DYNAMODB":
            config = source["dynamodbConfig"]
            try:
                return appsync_dynamodb.invoke(self.account_id, config.get("awsRegion") or self.api.region,
                                               config["tableName"], request or {}), None
            except appsync_dynamodb.DataSourceError as error:
                return None, {"message": error.message, "type": error.error_type}
        raise FieldError("Data sources of type %s are not supported by the local AWS." % source["type"],
                         "LocalAwsUnsupported")


def _locations_of(error):
    return [{"line": loc.line, "column": loc.column, "sourceName": None} for loc in error.locations or []]


def _js_code(unit):
    runtime = unit.get("runtime") or {}
    if runtime.get("name") != "APPSYNC_JS" or not unit.get("code"):
        raise FieldError(VTL_UNSUPPORTED, "LocalAwsUnsupported")
    return unit["code"]


def register():
    """Route AppSync hosts here; V8 and the runtime load now, not on the first request."""
    dataplane.register(handle, priority=20)
    appsync_js.engine()
