"""The HTTP API data plane: API Gateway v2 HTTP APIs answering as API Gateway does.

A request reaches an HTTP API by one of two host names:

- ``<apiId>.execute-api.<region>.amazonaws.com``: the API's own endpoint; the
  first path segment names a stage (``/prod/...``), else the ``$default``
  stage serves the whole path. Disabled endpoints answer 403.
- a custom domain name (``api.example.com``) in the region the request is
  routed to (by the global hostname's Route53 records, localaws.dataplane.geo,
  or the only region holding that domain); the longest API mapping key that
  prefixes the path (whole segments) picks the API and stage, and is stripped.

Then the live routes are matched as API Gateway matches them (exact path, then
path variables, then greedy ``{proxy+}``; a named method before ``ANY``;
``$default`` last); no match is ``404 {"message":"Not Found"}``. An HTTP_PROXY
integration forwards the request through ``dataplane.dispatch`` in-process with
the integration's RequestParameters applied (overwrite/append/remove of
headers and query strings, overwrite:path); an upstream no handler claims is
reached over the network only when it is on loopback (else 500 Internal Server
Error), one slower than TimeoutInMillis is 503 Service Unavailable, and so is a
proxy loop after MAX_IN_PROCESS_HOPS.

CORS (the API's CorsConfiguration) is answered as API Gateway does: preflight
OPTIONS requests are answered by API Gateway itself (204, with the CORS headers
only when origin and method are allowed), and the configured CORS headers
replace the integration's on every other request that carries an Origin.

Every answer carries ``x-localaws-region`` (REGION_HEADER): the region whose
API served it, so a client of the global hostname can see who answered.
"""

import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from localaws import dataplane

REGION_HEADER = "x-localaws-region"
EXECUTE_API_HOST = re.compile(r"^(?P<api_id>[a-z0-9]+)\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$")
REGIONAL_DOMAIN_HOST = re.compile(r"^d-[a-z0-9]+\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$")
DEFAULT_STAGE = "$default"
DEFAULT_ROUTE = "$default"
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length", "host"}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
CORS_RESPONSE_HEADERS = ("access-control-allow-origin", "access-control-allow-credentials",
                         "access-control-expose-headers", "access-control-allow-methods",
                         "access-control-allow-headers", "access-control-max-age")
_VARIABLE = re.compile(r"\$\{([^}]+)\}|\$((?:request|context|stageVariables)(?:\.[A-Za-z0-9_-]+)+)")
MAX_IN_PROCESS_HOPS = 8
_FORWARDING = threading.local()
DEFAULT_TIMEOUT_MS = 30000  # HTTP APIs' integration timeout when TimeoutInMillis is not set


def message(status, text):
    """API Gateway's JSON error answer."""
    return dataplane.Response(status, {"content-type": "application/json"}, json.dumps({"message": text}).encode())


def not_found():
    return message(404, "Not Found")


# ------------------------------------------------------------------ finding the API


def backends():
    """(region, backend) of every API Gateway v2 backend that exists."""
    from moto.apigatewayv2.models import apigatewayv2_backends  # pylint: disable=import-outside-toplevel

    for _account, by_region in list(apigatewayv2_backends.items()):
        for region, backend in list(by_region.items()):
            yield region, backend


def domain_regions(domain_name):
    """{region: backend} of the regions holding a custom domain of that name."""
    return {region: backend for region, backend in backends() if domain_name in backend.domain_names}


def gateway_domain_owner(gateway_domain_name):
    """(region, backend, domain name) whose configuration carries that ApiGatewayDomainName, or None."""
    for region, backend in backends():
        for name, domain in list(backend.domain_names.items()):
            for config in domain.domain_name_configurations or []:
                if (config.get("apiGatewayDomainName") or "").lower() == gateway_domain_name:
                    return region, backend, name
    return None


def handle(request):
    """The dataplane handler: execute-api hosts and custom domains held by exactly one region."""
    match = EXECUTE_API_HOST.match(request.host)
    if match:
        return serve_execute_api(match.group("region"), match.group("api_id"), request)
    if REGIONAL_DOMAIN_HOST.match(request.host):
        # A regional domain endpoint answers only for the custom domain names it serves (SNI/Host).
        return message(403, "Forbidden") if gateway_domain_owner(request.host) else None
    if request.host.endswith(".amazonaws.com"):
        return None
    regions = domain_regions(request.host)
    if len(regions) == 1:
        region, backend = next(iter(regions.items()))
        return serve_domain(region, backend, request.host, request)
    if regions:
        return message(421, "localaws: custom domain %s exists in %s and no Route53 alias record names one of "
                       "them; address a region through its API's execute-api host" % (request.host, ", ".join(sorted(regions))))
    return None


def serve_execute_api(region, api_id, request):
    backend = dict(backends()).get(region)
    api = backend.apis.get(api_id) if backend else None
    if api is None or api.protocol_type != "HTTP":
        return message(404, "localaws: no HTTP API %s in %s" % (api_id, region))
    if api.disable_execute_api_endpoint:
        return message(403, "Forbidden")
    segments = request.path.lstrip("/").split("/", 1)
    if segments[0] and segments[0] in api.stages and segments[0] != DEFAULT_STAGE:
        return serve_api(region, api, api.stages[segments[0]], "/" + (segments[1] if len(segments) > 1 else ""), request)
    if DEFAULT_STAGE in api.stages:
        return serve_api(region, api, api.stages[DEFAULT_STAGE], request.path, request)
    return with_region(not_found(), region)


def pick_mapping(mappings, path):
    """(mapping, rest of path) of the longest API mapping key that prefixes path, or (None, path)."""
    best = None
    for mapping in mappings:
        key = (mapping.api_mapping_key or "").strip("/")
        if key in ("", "(none)", "$default"):
            key = ""
        if key and not (path == "/" + key or path.startswith("/" + key + "/")):
            continue
        if best is None or len(key) > len(best[1]):
            best = (mapping, key)
    if best is None:
        return None, path
    rest = path[len(best[1]) + 1:] if best[1] else path
    return best[0], rest or "/"


def serve_domain(region, backend, domain_name, request):
    """Serve request as the custom domain domain_name of region (Host is preserved)."""
    mappings = [m for m in list(backend.api_mappings.values()) if m.domain_name == domain_name]
    mapping, path = pick_mapping(mappings, request.path)
    api = backend.apis.get(mapping.api_id) if mapping else None
    stage = api.stages.get(mapping.stage) if api else None
    if stage is None:
        return with_region(not_found(), region)
    return serve_api(region, api, stage, path, request)


# ------------------------------------------------------------------ routes


def route_pattern(path):
    """(regex, rank) of a route path; lower rank is more specific (exact, variables, greedy)."""
    parts, rank = [], 0
    for segment in path.strip("/").split("/") if path.strip("/") else []:
        variable = re.fullmatch(r"\{([^}]+)\}", segment)
        if variable and variable.group(1).endswith("+"):
            parts.append("(?P<%s>.+)" % _group(variable.group(1)[:-1]))
            rank = 2
        elif variable:
            parts.append("(?P<%s>[^/]+)" % _group(variable.group(1)))
            rank = max(rank, 1)
        else:
            parts.append(re.escape(segment))
    return re.compile("^/" + "/".join(parts) + "$"), rank


def _group(name):
    return "v_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def match_route(routes, method, path):
    """(route, path parameters) API Gateway picks for method and path, or (None, {})."""
    candidates = []
    for route in routes:
        key = route.route_key or ""
        if key == DEFAULT_ROUTE:
            candidates.append(((3, 0, 0, 0), route, {}))
            continue
        route_method, dummy, route_path = key.partition(" ")
        if route_method not in (method, "ANY"):
            continue
        regex, rank = route_pattern(route_path)
        found = regex.match(path)
        if not found:
            continue
        literal = sum(1 for s in route_path.split("/") if s and not s.startswith("{"))
        names = [s.strip("{}+") for s in route_path.split("/") if s.startswith("{")]
        params = {name: found.group(_group(name)) for name in names}
        candidates.append(((rank, -literal, -len(route_path), route_method == "ANY"), route, params))
    if not candidates:
        return None, {}
    _order, route, params = min(candidates, key=lambda c: c[0])
    return route, params


# ------------------------------------------------------------------ CORS


def origin_allowed(cors, origin):
    for allowed in cors.get("allowOrigins") or []:
        if allowed == "*" or allowed.lower() == origin.lower():
            return True
        if allowed.endswith("://*") and origin.lower().startswith(allowed[:-1].lower()):
            return True
    return False


def _listed(values, wanted):
    values = [v.upper() for v in values or []]
    return "*" in values or wanted.upper() in values


def allow_origin_value(cors, origin):
    return "*" if "*" in (cors.get("allowOrigins") or []) and not cors.get("allowCredentials") else origin


def preflight(cors, request):
    """API Gateway's own answer to a CORS preflight: 204, CORS headers only when allowed."""
    origin = request.headers.get("origin", "")
    wanted_method = request.headers.get("access-control-request-method", "")
    headers = {}
    if origin_allowed(cors, origin) and _listed(cors.get("allowMethods"), wanted_method):
        headers["access-control-allow-origin"] = allow_origin_value(cors, origin)
        methods = cors.get("allowMethods") or []
        headers["access-control-allow-methods"] = wanted_method if "*" in methods else ",".join(methods)
        allowed_headers = cors.get("allowHeaders") or []
        if "*" in allowed_headers:
            requested = request.headers.get("access-control-request-headers")
            if requested:
                headers["access-control-allow-headers"] = requested
        elif allowed_headers:
            headers["access-control-allow-headers"] = ",".join(h.lower() for h in allowed_headers)
        if cors.get("maxAge") is not None:
            headers["access-control-max-age"] = str(cors["maxAge"])
        if cors.get("allowCredentials"):
            headers["access-control-allow-credentials"] = "true"
    return dataplane.Response(204, headers, b"")


def with_cors(cors, request, response):
    """response with the integration's CORS headers replaced by the configured ones."""
    headers = {k: v for k, v in response.headers.items() if k.lower() not in CORS_RESPONSE_HEADERS}
    origin = request.headers.get("origin")
    if origin and origin_allowed(cors, origin):
        headers["access-control-allow-origin"] = allow_origin_value(cors, origin)
        if cors.get("allowCredentials"):
            headers["access-control-allow-credentials"] = "true"
        if cors.get("exposeHeaders"):
            headers["access-control-expose-headers"] = ",".join(cors["exposeHeaders"])
    return dataplane.Response(response.status, headers, response.body)


def is_preflight(request):
    return (request.method == "OPTIONS" and "origin" in request.headers
            and "access-control-request-method" in request.headers)


# ------------------------------------------------------------------ serving


def serve_api(region, api, stage, path, request):
    """Answer request (path relative to the stage or mapping) from api's live routes."""
    cors = api.cors_configuration
    if cors and is_preflight(request):
        return with_region(preflight(cors, request), region)
    route, params = match_route(list(api.routes.values()), request.method, path)
    integration = None
    if route is not None and (route.target or "").startswith("integrations/"):
        integration = api.integrations.get(route.target.split("/", 1)[1])
    if integration is None:
        response = not_found()
    elif integration.integration_type != "HTTP_PROXY":
        response = message(500, "localaws: integration type %s is not served by the local data plane"
                           % integration.integration_type)
    else:
        context = {"apiId": api.api_id, "stage": stage.name, "domainName": request.host, "httpMethod": request.method,
                   "path": path, "requestId": str(uuid.uuid4()), "routeKey": route.route_key}
        upstream = proxy_request(integration, request, path, params, context, stage.stage_variables or {})
        response = forward(upstream, (integration.timeout_in_millis or DEFAULT_TIMEOUT_MS) / 1000.0)
    if cors:
        response = with_cors(cors, request, response)
    return with_region(response, region)


def with_region(response, region):
    headers = dict(response.headers)
    headers[REGION_HEADER] = region
    headers.setdefault("apigw-requestid", uuid.uuid4().hex[:16])
    return dataplane.Response(response.status, headers, response.body)


def mapping_value(template, request, path, params, context, stage_variables):
    """A RequestParameters value with its $request / $context / $stageVariables references filled in."""
    query = dict(parse_qsl(request.query, keep_blank_values=True))

    def lookup(reference):
        parts = reference.split(".", 2)
        if parts[:2] == ["request", "path"] and len(parts) == 2:
            return path
        if len(parts) == 3 and parts[0] == "request":
            source = {"header": request.headers, "querystring": query, "path": params}.get(parts[1], {})
            return source.get(parts[2].lower() if parts[1] == "header" else parts[2], "")
        if parts[0] == "context":
            return str(context.get(".".join(parts[1:]), ""))
        if parts[0] == "stageVariables":
            return str(stage_variables.get(".".join(parts[1:]), ""))
        return ""

    return _VARIABLE.sub(lambda m: lookup(m.group(1) or m.group(2)), template)


def proxy_request(integration, request, path, params, context, stage_variables):
    """(request an HTTP_PROXY integration sends upstream, its split IntegrationUri)."""
    target = urlsplit(integration.integration_uri)
    upstream_path = target.path or "/"
    for name, value in params.items():
        upstream_path = upstream_path.replace("{%s+}" % name, value).replace("{%s}" % name, quote(value))
    headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP}
    headers["x-forwarded-proto"] = "https"
    query = parse_qsl(request.query, keep_blank_values=True) + parse_qsl(target.query, keep_blank_values=True)
    for key, template in sorted((integration.request_parameters or {}).items()):
        value = mapping_value(template, request, path, params, context, stage_variables)
        query, upstream_path = apply_parameter(key, value, headers, query, upstream_path)
    method = request.method if (integration.integration_method or "ANY") == "ANY" else integration.integration_method
    headers["host"] = target.netloc
    return dataplane.Request(method=method, host=(target.hostname or "").lower(), path=upstream_path,
                             query=urlencode(query), headers=headers, body=request.body), target


def apply_parameter(key, value, headers, query, upstream_path):
    """One RequestParameters entry ('overwrite:header.x-api-key', ...); returns (query, path), edits headers."""
    action, dummy, place = key.partition(":")
    kind, dummy, name = place.partition(".")
    if kind == "path" and action == "overwrite":
        upstream_path = value if value.startswith("/") else "/" + value
    elif kind == "header":
        name = name.lower()
        if action == "remove":
            headers.pop(name, None)
        elif action == "append" and headers.get(name):
            headers[name] = headers[name] + "," + value
        else:
            headers[name] = value
    elif kind == "querystring":
        if action != "append":
            query = [(k, v) for k, v in query if k != name]
        if action != "remove":
            query = query + [(name, value)]
    return query, upstream_path


def forward(upstream, timeout):
    """The upstream's answer: in-process when a data-plane handler claims it, over loopback, else 500.

    An upstream slower than the integration's timeout is 503 Service Unavailable, as API Gateway answers.
    """
    request, target = upstream
    depth = getattr(_FORWARDING, "depth", 0)
    if depth >= MAX_IN_PROCESS_HOPS:
        return message(503, "Service Unavailable")  # a proxy loop: on AWS it runs into the integration timeout
    _FORWARDING.depth = depth + 1
    try:
        answer = dataplane.dispatch(request)
    finally:
        _FORWARDING.depth = depth
    if answer is not None:
        return answer
    if request.host not in LOOPBACK_HOSTS:
        return message(500, "Internal Server Error")
    url = "%s://%s%s%s" % (target.scheme or "http", target.netloc, request.path, "?" + request.query if request.query else "")
    outgoing = urllib.request.Request(url, data=request.body or None, method=request.method, headers=request.headers)
    try:
        with urllib.request.urlopen(outgoing, timeout=timeout) as reply:
            return dataplane.Response(reply.status, _response_headers(reply.headers), reply.read())
    except urllib.error.HTTPError as error:
        return dataplane.Response(error.code, _response_headers(error.headers), error.read())
    except TimeoutError:
        return message(503, "Service Unavailable")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return message(503, "Service Unavailable")
        return message(500, "Internal Server Error")
    except OSError:
        return message(500, "Internal Server Error")


def _response_headers(headers):
    """An upstream's headers without those this server sets itself."""
    return {k.lower(): v for k, v in headers.items() if k.lower() not in HOP_BY_HOP and k.lower() not in ("date", "server")}
