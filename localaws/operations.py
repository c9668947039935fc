"""Name the AWS service, region and operation of a raw HTTP request.

Used by the request log and by fault injection; works from what every SigV4
client sends (Authorization credential scope, X-Amz-Target, Action, REST path)
and botocore's service models, so it needs no per-service table.
"""

import re
from functools import lru_cache
from urllib.parse import parse_qs

import botocore.session

READ_PREFIXES = ("Get", "List", "Describe", "Head", "Query", "Scan", "BatchGet", "Test", "Evaluate")
# Signing names whose endpoint carries more than one botocore service.
SIGNING_NAME_SERVICES = {"apigateway": ("apigatewayv2", "apigateway"), "monitoring": ("cloudwatch",)}
SCOPE_RE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@lru_cache(maxsize=None)
def service_model(name):
    return botocore.session.get_session().get_service_model(name)


@lru_cache(maxsize=None)
def _rest_routes(name):
    """(method, regex, literal length, operation) per operation of a REST service."""
    routes = []
    for op_name in service_model(name).operation_names:
        http = service_model(name).operation_model(op_name).http
        uri = http["requestUri"].split("?")[0]
        pattern = re.sub(r"\\{[^}]+\\\+\\}", "(.+)", re.escape(uri))
        pattern = re.sub(r"\\{[^}]+\\}", "([^/]+)", pattern)
        literal = len(re.sub(r"{[^}]+}", "", uri))
        routes.append((http["method"], re.compile("^" + pattern.rstrip("/") + "/?$"), literal, op_name))
    return routes


def _rest_operation(name, method, path):
    matches = [(lit, op) for (m, rx, lit, op) in _rest_routes(name) if m == method and rx.match(path)]
    if not matches:  # a decoded ARN in the path carries slashes
        matches = [(lit, op) for (m, rx, lit, op) in _rest_routes(name)
                   if m == method and re.match(rx.pattern.replace("([^/]+)", "(.+)"), path)]
    return max(matches)[1] if matches else None


def _service_for(signing_name, path):
    candidates = SIGNING_NAME_SERVICES.get(signing_name, (signing_name,))
    if signing_name == "apigateway":
        return candidates[0] if path.startswith("/v2/") else candidates[1]
    return candidates[0]


def describe(environ, body):
    """Return (service, region, operation) for a WSGI request; parts may be None."""
    scope = SCOPE_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not scope:
        return None, None, None
    region, signing_name = scope.groups()
    path = environ.get("PATH_INFO", "")
    service = _service_for(signing_name, path)
    if service == "dynamodb" and environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDBStreams"):
        service = "dynamodbstreams"
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return service, region, target.rsplit(".", 1)[-1]
    if "/operation/" in path:
        return service, region, path.rsplit("/", 1)[-1]
    action = parse_qs(environ.get("QUERY_STRING", "")).get("Action") or parse_qs(body.decode("utf-8", "replace")).get("Action")
    if action:
        return service, region, action[0]
    try:
        protocol = service_model(service).metadata["protocol"]
    except Exception:  # pylint: disable=broad-exception-caught
        return service, region, None
    if protocol.startswith("rest"):
        return service, region, _rest_operation(service, environ.get("REQUEST_METHOD", "GET"), path)
    return service, region, None


def access_of(operation):
    """'read' for operations that change nothing, 'write' otherwise."""
    return "read" if operation and operation.startswith(READ_PREFIXES) else "write"
