"""AppSync data sources, functions, resolvers and types for moto 5.2.5.

moto answers 404 for data sources and functions and 500 (NotImplemented) for
resolvers. This adds them in server mode: URL routes in moto.appsync.urls,
handlers on AppSyncResponse (moto picks the operation from botocore's model and
calls the method of the same snake_case name), state on AppSyncBackend, kept on
each GraphqlAPI object so it goes away with the API. Shapes follow botocore's
appsync service model; ARNs extend the API's own ARN.

Also: GRAPHQL and REALTIME uris shaped like AppSync's (moto gives a fixed
placeholder); GetType / ListTypes built from the API's schema with graphql-core (moto's
GetType only knows object types, has no definition and fails on unknown names);
GetIntrospectionSchema in SDL format that, like AppSync, gives back the schema
with its descriptions and applied directives (moto prints it from an
introspection, which loses both and adds its own prelude scalars); and the
AppSync scalars/directives moto's schema prelude lacks.
"""

import hashlib
import json
import os
import re
import uuid

from graphql import GraphQLError, GraphQLObjectType, build_schema, parse, print_ast, print_type
from graphql.language import REMOVE, StringValueNode, TokenKind, TypeDefinitionNode, TypeExtensionNode, Visitor, visit
from graphql.utilities import introspection_from_schema
from moto.appsync import models, urls
from moto.appsync.models import AppSyncBackend
from moto.appsync.responses import AppSyncResponse
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, EmptyResult

from localaws.dataplane import appsync as dataplane_appsync
from localaws.dataplane import appsync_js

NAME_RE = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
API = r"{0}/v1/apis/(?P<apiId>[^/]+)"
ROUTES = (
    API + "/datasources$",
    API + "/datasources/(?P<name>[^/]+)$",
    API + "/functions$",
    API + "/functions/(?P<functionId>[^/]+)$",
    API + "/functions/(?P<functionId>[^/]+)/resolvers$",
    API + "/types$",
    API + "/types/(?P<typeName>[^/]+)/resolvers$",
    API + "/types/(?P<typeName>[^/]+)/resolvers/(?P<fieldName>[^/]+)$",
    r"{0}/v1/dataplane-evaluatecode$",
)
# Test hook, not an AWS operation: POST {"clock_offset": seconds} moves the data
# plane's clock (API key expiry); an empty body only reads the settings.
CONTROL_ROUTE = r"{0}/v1/localaws/dataplane$"
# AppSync scalars and directives that moto's AWS_CUSTOM_GRAPHQL prelude lacks.
DECLARED_RE = re.compile(r"^(scalar \w+|directive @\w+)", re.MULTILINE)
EXTRA_PRELUDE = ("scalar AWSDate", "directive @aws_lambda on FIELD_DEFINITION | OBJECT")
DATA_SOURCE_FIELDS = ("description", "type", "serviceRoleArn", "dynamodbConfig", "lambdaConfig",
                      "elasticsearchConfig", "openSearchServiceConfig", "httpConfig",
                      "relationalDatabaseConfig", "eventBridgeConfig", "metricsConfig")
FUNCTION_FIELDS = ("name", "description", "dataSourceName", "requestMappingTemplate",
                   "responseMappingTemplate", "functionVersion", "syncConfig", "maxBatchSize",
                   "runtime", "code")
RESOLVER_FIELDS = ("dataSourceName", "requestMappingTemplate", "responseMappingTemplate", "kind",
                   "pipelineConfig", "syncConfig", "cachingConfig", "maxBatchSize", "runtime",
                   "code", "metricsConfig")


class NotFoundException(ServiceException):
    code = "NotFoundException"


class BadRequestException(ServiceException):
    code = "BadRequestException"


class CodeErrorException(BadRequestException):
    """AppSync's answer to code its APPSYNC_JS runtime refuses."""

    def __init__(self, code_errors):
        super().__init__("The code contains one or more errors.")
        self.reason = "CODE_ERROR"
        self.detail = {"codeErrors": code_errors}


# --- backend -----------------------------------------------------------------

def _state(api):
    """Data sources, functions and resolvers of one GraphqlAPI (kept on it)."""
    return api.__dict__.setdefault("localaws_state", {"data_sources": {}, "functions": {}, "resolvers": {}})


def _api(backend, api_id):
    api = backend.graphql_apis.get(api_id)
    if api is None:
        raise NotFoundException("GraphQL API %s not found." % api_id)
    return api


def _pick(params, fields):
    return {k: params[k] for k in fields if params.get(k) is not None}


def _check_name(kind, name):
    if not name or not NAME_RE.match(name):
        raise BadRequestException("%s name %r must match %s." % (kind, name, NAME_RE.pattern))


def _data_source_body(params):
    body = _pick(params, DATA_SOURCE_FIELDS)
    if body.get("type") == "AMAZON_DYNAMODB":
        if not body.get("dynamodbConfig", {}).get("tableName"):
            raise BadRequestException("dynamodbConfig.tableName is required for AMAZON_DYNAMODB data sources.")
        body["dynamodbConfig"] = dict({"useCallerCredentials": False, "versioned": False}, **body["dynamodbConfig"])
    return body


def create_data_source(self, api_id, name, params):
    api = _api(self, api_id)
    _check_name("Data source", name)
    sources = _state(api)["data_sources"]
    if name in sources:
        raise BadRequestException("Data source with name %s already exists." % name)
    sources[name] = dict(_data_source_body(params), name=name, dataSourceArn="%s/datasources/%s" % (api.arn, name))
    return sources[name]


def get_data_source(self, api_id, name):
    source = _state(_api(self, api_id))["data_sources"].get(name)
    if source is None:
        raise NotFoundException("No data source found named %s." % name)
    return source


def update_data_source(self, api_id, name, params):
    source = get_data_source(self, api_id, name)
    kept = {k: source[k] for k in ("name", "dataSourceArn")}
    source.clear()
    source.update(_data_source_body(params), **kept)
    return source


def delete_data_source(self, api_id, name):
    get_data_source(self, api_id, name)
    del _state(_api(self, api_id))["data_sources"][name]


def _check_code(params):
    runtime = params.get("runtime")
    if not runtime or runtime.get("name") != "APPSYNC_JS":
        return
    if not params.get("code"):
        raise BadRequestException("The code parameter is required for the APPSYNC_JS runtime.")
    try:
        appsync_js.check(params["code"])
    except appsync_js.CodeErrors as error:
        raise CodeErrorException(error.errors) from None


def create_function(self, api_id, params):
    api = _api(self, api_id)
    _check_name("Function", params.get("name"))
    get_data_source(self, api_id, params.get("dataSourceName"))
    _check_code(params)
    function_id = uuid.uuid4().hex[:26]
    function = dict(_pick(params, FUNCTION_FIELDS), functionId=function_id,
                    functionArn="%s/functions/%s" % (api.arn, function_id))
    _state(api)["functions"][function_id] = function
    return function


def get_function(self, api_id, function_id):
    function = _state(_api(self, api_id))["functions"].get(function_id)
    if function is None:
        raise NotFoundException("No function found with id %s." % function_id)
    return function


def update_function(self, api_id, function_id, params):
    function = get_function(self, api_id, function_id)
    _check_name("Function", params.get("name"))
    get_data_source(self, api_id, params.get("dataSourceName"))
    _check_code(params)
    kept = {k: function[k] for k in ("functionId", "functionArn")}
    function.clear()
    function.update(_pick(params, FUNCTION_FIELDS), **kept)
    return function


def delete_function(self, api_id, function_id):
    get_function(self, api_id, function_id)
    resolvers = _state(_api(self, api_id))["resolvers"].values()
    if any(function_id in r.get("pipelineConfig", {}).get("functions", []) for r in resolvers):
        raise BadRequestException("Cannot delete a function which is currently used by a resolver.")
    del _state(_api(self, api_id))["functions"][function_id]


def _check_field(self, api, type_name, field_name):
    schema = _schema(api)
    graphql_type = schema.type_map.get(type_name) if schema else None
    if not isinstance(graphql_type, GraphQLObjectType):
        raise NotFoundException("Type %s not found." % type_name)
    if field_name not in graphql_type.fields:
        raise BadRequestException("No field named %s found on type %s." % (field_name, type_name))


def _resolver_body(self, api_id, params):
    body = _pick(params, RESOLVER_FIELDS)
    body.setdefault("kind", "UNIT")
    if body["kind"] == "PIPELINE":
        for function_id in body.get("pipelineConfig", {}).get("functions", []):
            get_function(self, api_id, function_id)
    elif body.get("dataSourceName"):
        get_data_source(self, api_id, body["dataSourceName"])
    _check_code(body)
    return body


def create_resolver(self, api_id, type_name, field_name, params):
    api = _api(self, api_id)
    _check_field(self, api, type_name, field_name)
    resolvers = _state(api)["resolvers"]
    if (type_name, field_name) in resolvers:
        raise BadRequestException("Only one resolver is allowed per field.")
    resolvers[(type_name, field_name)] = dict(
        _resolver_body(self, api_id, params), typeName=type_name, fieldName=field_name,
        resolverArn="%s/types/%s/resolvers/%s" % (api.arn, type_name, field_name))
    return resolvers[(type_name, field_name)]


def get_resolver(self, api_id, type_name, field_name):
    resolver = _state(_api(self, api_id))["resolvers"].get((type_name, field_name))
    if resolver is None:
        raise NotFoundException("No resolver found for %s.%s." % (type_name, field_name))
    return resolver


def update_resolver(self, api_id, type_name, field_name, params):
    resolver = get_resolver(self, api_id, type_name, field_name)
    kept = {k: resolver[k] for k in ("typeName", "fieldName", "resolverArn")}
    body = _resolver_body(self, api_id, params)
    resolver.clear()
    resolver.update(body, **kept)
    return resolver


def delete_resolver(self, api_id, type_name, field_name):
    get_resolver(self, api_id, type_name, field_name)
    del _state(_api(self, api_id))["resolvers"][(type_name, field_name)]


def _schema(api):
    """The API's schema as a graphql-core GraphQLSchema, or None."""
    schema = api.graphql_schema
    if schema is None or schema.status != "SUCCESS":
        return None
    try:
        return build_schema(schema.definition + models.AWS_CUSTOM_GRAPHQL)
    except (GraphQLError, TypeError):
        return None


def _user_type_names(api):
    """Names of the types the API's own schema defines or extends, in order."""
    nodes = parse(api.graphql_schema.definition).definitions
    names = [d.name.value for d in nodes if isinstance(d, (TypeDefinitionNode, TypeExtensionNode))]
    return sorted(set(names), key=names.index)


def _type(api, schema, name, type_format):
    if type_format == "SDL":
        definition = print_type(schema.type_map[name])
    elif type_format == "JSON":
        types = introspection_from_schema(schema, descriptions=True)["__schema"]["types"]
        definition = json.dumps(next(t for t in types if t["name"] == name))
    else:
        raise BadRequestException("Invalid format %s given." % type_format)
    return {"name": name, "description": schema.type_map[name].description, "arn": "%s/types/%s" % (api.arn, name),
            "definition": definition, "format": type_format}


def get_type(self, api_id, type_name, type_format):
    api = _api(self, api_id)
    schema = _schema(api)
    if schema is None or type_name not in _user_type_names(api):
        raise NotFoundException("Type %s not found." % type_name)
    return _type(api, schema, type_name, type_format)


def list_types(self, api_id, type_format):
    api = _api(self, api_id)
    schema = _schema(api)
    if schema is None:
        return []
    return [_type(api, schema, name, type_format) for name in _user_type_names(api)]


# --- responses ---------------------------------------------------------------

MOTO_GET_INTROSPECTION_SCHEMA = AppSyncResponse.get_introspection_schema


def _page(response, key, items):
    """Offset pagination: nextToken is the index of the next item."""
    start = int(response._get_param("nextToken") or 0)
    size = int(response._get_param("maxResults") or 25)
    result = {key: list(items)[start:start + size]}
    if start + size < len(items):
        result["nextToken"] = str(start + size)
    return ActionResult(result)


def _params(response):
    return dict(response.params or {})


def r_create_data_source(self):
    params = _params(self)
    return ActionResult({"dataSource": self.appsync_backend.create_data_source(
        self._get_param("apiId"), params.get("name"), params)})


def r_get_data_source(self):
    return ActionResult({"dataSource": self.appsync_backend.get_data_source(self._get_param("apiId"), self._get_param("name"))})


def r_list_data_sources(self):
    api = _api(self.appsync_backend, self._get_param("apiId"))
    return _page(self, "dataSources", list(_state(api)["data_sources"].values()))


def r_update_data_source(self):
    return ActionResult({"dataSource": self.appsync_backend.update_data_source(
        self._get_param("apiId"), self._get_param("name"), _params(self))})


def r_delete_data_source(self):
    self.appsync_backend.delete_data_source(self._get_param("apiId"), self._get_param("name"))
    return EmptyResult()


def r_create_function(self):
    return ActionResult({"functionConfiguration": self.appsync_backend.create_function(
        self._get_param("apiId"), _params(self))})


def r_get_function(self):
    return ActionResult({"functionConfiguration": self.appsync_backend.get_function(
        self._get_param("apiId"), self._get_param("functionId"))})


def r_list_functions(self):
    api = _api(self.appsync_backend, self._get_param("apiId"))
    return _page(self, "functions", list(_state(api)["functions"].values()))


def r_update_function(self):
    return ActionResult({"functionConfiguration": self.appsync_backend.update_function(
        self._get_param("apiId"), self._get_param("functionId"), _params(self))})


def r_delete_function(self):
    self.appsync_backend.delete_function(self._get_param("apiId"), self._get_param("functionId"))
    return EmptyResult()


def r_list_resolvers_by_function(self):
    api_id, function_id = self._get_param("apiId"), self._get_param("functionId")
    self.appsync_backend.get_function(api_id, function_id)
    resolvers = _state(_api(self.appsync_backend, api_id))["resolvers"].values()
    return _page(self, "resolvers", [r for r in resolvers if function_id in r.get("pipelineConfig", {}).get("functions", [])])


def r_create_resolver(self):
    params = _params(self)
    return ActionResult({"resolver": self.appsync_backend.create_resolver(
        self._get_param("apiId"), self._get_param("typeName"), params.get("fieldName"), params)})


def r_get_resolver(self):
    return ActionResult({"resolver": self.appsync_backend.get_resolver(
        self._get_param("apiId"), self._get_param("typeName"), self._get_param("fieldName"))})


def r_list_resolvers(self):
    api = _api(self.appsync_backend, self._get_param("apiId"))
    type_name = self._get_param("typeName")
    return _page(self, "resolvers", [r for r in _state(api)["resolvers"].values() if r["typeName"] == type_name])


def r_update_resolver(self):
    return ActionResult({"resolver": self.appsync_backend.update_resolver(
        self._get_param("apiId"), self._get_param("typeName"), self._get_param("fieldName"), _params(self))})


def r_delete_resolver(self):
    self.appsync_backend.delete_resolver(self._get_param("apiId"), self._get_param("typeName"), self._get_param("fieldName"))
    return EmptyResult()


# --- GetIntrospectionSchema in SDL: the printing styles of AppSync implementations
#
# AppSync implementations print the same schema differently: "keep" gives it
# back with its descriptions and applied directives (comments dropped), "bare"
# drops descriptions and applied directives, "comments_as_descriptions" turns
# the `#` comments right above a definition into its description,
# "spaced_arguments" prints applied directives' arguments without spaces
# (`@aws_subscribe(mutations:["a","b"])`). The style is read from env
# LOCALAWS_APPSYNC_SDL_STYLE at install time and changed at run time through
# the control hook (not an AWS operation): a SigV4-style POST to the AppSync
# endpoint's /v1/localaws/configure with the JSON body {"sdl_style": style}
# answers the settings; an empty body only reads them.

SDL_STYLES = ("keep", "bare", "comments_as_descriptions", "spaced_arguments")
SDL_STYLE_ENV = "LOCALAWS_APPSYNC_SDL_STYLE"
SDL_SETTINGS = {"sdl_style": "keep"}
SDL_CONTROL_ROUTE = "{0}/v1/localaws/configure$"
DIRECTIVE_ARGUMENTS_RE = re.compile(r"(@\w+)\(([^)]*)\)")


class _StripDirectives(Visitor):
    def enter_directive(self, *_args):
        return REMOVE


def _described_nodes(document):
    """Every node of the document that can carry a description."""
    found = []

    class Collect(Visitor):
        def enter(self, node, *_args):
            if "description" in node.keys:
                found.append(node)

    visit(document, Collect())
    return found


def _comments_above(node):
    """The text of the `#` comment lines right before a node, or None."""
    lines = []
    token = node.loc.start_token.prev
    while token is not None and token.kind == TokenKind.COMMENT:
        lines.insert(0, token.value.strip())
        token = token.prev
    return "\n".join(lines) or None


def _space_directive_arguments(text):
    return DIRECTIVE_ARGUMENTS_RE.sub(lambda m: "%s(%s)" % (m.group(1), re.sub(r"\s*([:,])\s*", r"\1", m.group(2))), text)


def print_sdl(definition, style, include_directives=True):
    """The schema's SDL as an AppSync implementation printing in style gives it back."""
    document = parse(definition)
    for node in _described_nodes(document):
        if style == "bare":
            node.description = None
        elif style == "comments_as_descriptions" and node.description is None:
            comments = _comments_above(node)
            if comments:
                node.description = StringValueNode(value=comments, block="\n" in comments)
    if style == "bare" or not include_directives:
        document = visit(document, _StripDirectives())
    text = print_ast(document)
    return _space_directive_arguments(text) if style == "spaced_arguments" else text


def configure_sdl_style(request, _full_url, _headers):
    """The control hook: set and/or read SDL_SETTINGS."""
    try:
        payload = json.loads(request.data or b"{}")
    except ValueError:
        payload = None
    style = payload.get("sdl_style") if isinstance(payload, dict) else None
    if not isinstance(payload, dict) or (style is not None and style not in SDL_STYLES):
        message = "sdl_style must be one of %s" % ", ".join(SDL_STYLES)
        return 400, {"Content-Type": "application/json"}, json.dumps({"message": message})
    if style is not None:
        SDL_SETTINGS["sdl_style"] = style
    return 200, {"Content-Type": "application/json"}, json.dumps(SDL_SETTINGS)


def install_sdl_styles():
    style = os.environ.get(SDL_STYLE_ENV)
    if style:
        if style not in SDL_STYLES:
            raise ValueError("%s must be one of %s, got %r" % (SDL_STYLE_ENV, ", ".join(SDL_STYLES), style))
        SDL_SETTINGS["sdl_style"] = style
    urls.url_paths.setdefault(SDL_CONTROL_ROUTE, configure_sdl_style)


def r_get_introspection_schema(self):
    if self._get_param("format") != "SDL":
        return MOTO_GET_INTROSPECTION_SCHEMA(self)
    schema = self.appsync_backend.get_graphql_schema(self._get_param("apiId"))
    include_directives = self._get_bool_param("includeDirectives", True)
    return ActionResult({"schema": print_sdl(schema.definition, SDL_SETTINGS["sdl_style"], include_directives)})


def r_evaluate_code(self):
    """EvaluateCode: one handler of APPSYNC_JS code run on the local runtime, shaped as AWS answers."""
    params = _params(self)
    if (params.get("runtime") or {}).get("name") != "APPSYNC_JS":
        raise BadRequestException("Only the APPSYNC_JS runtime is supported.")
    function = params.get("function") or "request"
    if function not in ("request", "response"):
        raise BadRequestException("function must be request or response.")
    try:
        context = json.loads(params.get("context") or "{}")
    except ValueError:
        raise BadRequestException("The context is not valid JSON.") from None
    if not isinstance(context, dict):
        raise BadRequestException("The context must be a JSON object.")
    try:
        answer = appsync_js.evaluate(params.get("code") or "", function, context,
                                     int(dataplane_appsync.now() * 1000))
    except appsync_js.CodeErrors as error:
        return ActionResult({"error": {"message": str(error), "codeErrors": error.errors}, "logs": []})
    result = {"logs": answer["logs"], "stash": json.dumps(answer["stash"]),
              "outErrors": json.dumps([{"errorType": e["type"], "message": e["message"], "data": e["data"],
                                        "errorInfo": e["errorInfo"]} for e in answer["errors"]])}
    if answer["error"]:
        result["error"] = {"message": answer["error"]["message"]}
    else:
        result["evaluationResult"] = json.dumps(answer["value"])
    return ActionResult(result)


def dataplane_control(request, _full_url, _headers):
    """The control route's handler (moto URL handler signature)."""
    try:
        settings = dataplane_appsync.configure(json.loads(request.get_data() or b"{}"))
    except (ValueError, TypeError) as error:
        return 400, {"Content-Type": "application/json"}, json.dumps({"message": str(error)})
    return 200, {"Content-Type": "application/json"}, json.dumps(settings)


def r_get_type(self):
    return ActionResult({"type": self.appsync_backend.get_type(
        self._get_param("apiId"), self._get_param("typeName"), self._get_param("format"))})


def r_list_types(self):
    return _page(self, "types", self.appsync_backend.list_types(self._get_param("apiId"), self._get_param("format")))


BACKEND_METHODS = (create_data_source, get_data_source, update_data_source, delete_data_source,
                   create_function, get_function, update_function, delete_function,
                   create_resolver, get_resolver, update_resolver, delete_resolver, get_type, list_types)
RESPONSE_METHODS = (r_create_data_source, r_get_data_source, r_list_data_sources, r_update_data_source,
                    r_delete_data_source, r_create_function, r_get_function, r_list_functions,
                    r_update_function, r_delete_function, r_list_resolvers_by_function,
                    r_create_resolver, r_get_resolver, r_list_resolvers, r_update_resolver,
                    r_delete_resolver, r_get_introspection_schema, r_get_type, r_list_types, r_evaluate_code)


def graphql_host(api_id):
    """The first label of the API's GRAPHQL and REALTIME hosts (26 characters, as AppSync's).

    It starts with a letter: the server's data-plane router leaves hosts that
    start with a digit (IP addresses) to moto.
    """
    digest = hashlib.sha256(api_id.encode()).hexdigest()[:26]
    return "ghijklmnopqrstuv"[int(digest[0], 16)] + digest[1:]


def _uris(api_id, region):
    """AppSync-shaped endpoint URIs: moto answers a fixed "http://graphql.uri" and no REALTIME."""
    host = graphql_host(api_id)
    return {
        "GRAPHQL": "https://%s.appsync-api.%s.amazonaws.com/graphql" % (host, region),
        "REALTIME": "wss://%s.appsync-realtime-api.%s.amazonaws.com/graphql" % (host, region),
    }


def _with_real_uris(method):
    def wrapper(self):
        result = method(self)
        body = result.result
        for api in body.get("graphqlApis") or [body.get("graphqlApi") or {}]:
            if api.get("apiId"):
                api["uris"] = _uris(api["apiId"], self.region)
        return result

    wrapper.__name__ = method.__name__
    return wrapper


GRAPHQL_API_RESPONSES = ("create_graphql_api", "get_graphql_api", "update_graphql_api", "list_graphql_apis")


def install():
    install_sdl_styles()
    for name in GRAPHQL_API_RESPONSES:
        setattr(AppSyncResponse, name, _with_real_uris(getattr(AppSyncResponse, name)))
    for function in BACKEND_METHODS:
        setattr(AppSyncBackend, function.__name__, function)
    for function in RESPONSE_METHODS:
        setattr(AppSyncResponse, function.__name__[2:], function)
    for route in ROUTES:
        urls.url_paths.setdefault(route, AppSyncResponse.dispatch)
    urls.url_paths.setdefault(CONTROL_ROUTE, dataplane_control)
    dataplane_appsync.register()
    known = set(DECLARED_RE.findall(models.AWS_CUSTOM_GRAPHQL))
    for declaration in EXTRA_PRELUDE:
        if DECLARED_RE.match(declaration).group(1) not in known:
            models.AWS_CUSTOM_GRAPHQL += declaration + "\n"
