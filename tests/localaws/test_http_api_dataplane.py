"""The HTTP API data plane through the running local AWS (localaws/dataplane/http_api.py).

The deployed shape is built with boto3; requests name it in their Host header;
the HTTP_PROXY integration reaches an echo server on loopback (or, chained,
another HTTP API in-process), which shows what the proxy forwarded.
"""

import json

import pytest
from dataplane_helpers import call, deploy_http_api, echoed
# the shared fixture, used by name:
from dataplane_helpers import upstream  # noqa: F401 pylint: disable=unused-import

REGION_HEADER = "x-localaws-region"
NOT_FOUND = {"message": "Not Found"}
CORS = {"AllowOrigins": ["https://app.example.com"], "AllowMethods": ["POST"],
        "AllowHeaders": ["content-type", "x-api-key", "authorization"], "ExposeHeaders": ["x-localaws-region"],
        "MaxAge": 600}


@pytest.fixture
def proxy(client_factory, unique, upstream):
    """An HTTP API on us-east-1 with the collection's shape: POST / -> upstream, x-api-key inserted, custom domain."""
    return deploy_http_api(client_factory, "us-east-1", unique, upstream.url("/graphql"),
                           routes=("POST /", "GET /health"), cors=CORS,
                           parameters={"overwrite:header.x-api-key": "da2-regional-key"},
                           domain="%s.example.com" % unique)


def test_execute_api_host_default_stage_forwards_with_the_key_overwritten(endpoint, proxy):
    headers = {"x-api-key": "from-client", "content-type": "application/json"}
    answer = call(endpoint, "POST", proxy["host"], "/?debug=1", headers, b'{"query":"{a}"}')
    seen = echoed(answer)
    assert seen["method"] == "POST" and seen["path"] == "/graphql" and seen["query"] == "debug=1"
    assert seen["headers"]["x-api-key"] == "da2-regional-key"
    assert seen["body"] == '{"query":"{a}"}'
    assert answer[1][REGION_HEADER] == "us-east-1"


def test_custom_domain_mapping_key_is_stripped_before_routing(endpoint, proxy, unique):
    domain = "%s.example.com" % unique
    assert echoed(call(endpoint, "POST", domain, "/graphql", body=b"{}"))["path"] == "/graphql"
    assert echoed(call(endpoint, "GET", domain + ".localhost:5500", "/graphql/health"))["method"] == "GET"


@pytest.mark.parametrize("method, path", [("GET", "/"), ("POST", "/other"), ("DELETE", "/health")])
def test_unmatched_route_is_api_gateways_404(endpoint, proxy, method, path):
    status, headers, body = call(endpoint, method, proxy["host"], path)
    assert (status, json.loads(body)) == (404, NOT_FOUND)
    assert headers[REGION_HEADER] == "us-east-1"


def test_path_outside_every_mapping_is_404(endpoint, proxy, unique):
    status, _headers, body = call(endpoint, "POST", "%s.example.com" % unique, "/nothere")
    assert (status, json.loads(body)) == (404, NOT_FOUND)


def test_named_stage_is_the_first_path_segment(client_factory, endpoint, unique, upstream):
    deployed = deploy_http_api(client_factory, "eu-central-1", unique, upstream.url("/up"), routes=("ANY /{proxy+}",))
    client_factory("apigatewayv2", "eu-central-1").create_stage(ApiId=deployed["api_id"], StageName="prod")
    assert call(endpoint, "GET", deployed["host"], "/prod/a/b")[1][REGION_HEADER] == "eu-central-1"
    assert echoed(call(endpoint, "GET", deployed["host"], "/prod/a/b"))["path"] == "/up"
    client_factory("apigatewayv2", "eu-central-1").delete_stage(ApiId=deployed["api_id"], StageName="$default")
    status, _headers, body = call(endpoint, "GET", deployed["host"], "/a/b")
    assert (status, json.loads(body)) == (404, NOT_FOUND)


def test_greedy_path_variable_goes_into_the_integration_uri(client_factory, endpoint, unique, upstream):
    deployed = deploy_http_api(client_factory, "us-east-1", unique, upstream.url("/base/{proxy}"),
                               routes=("ANY /{proxy+}",),
                               parameters={"append:header.x-trail": "proxy", "remove:header.x-secret": "''"})
    seen = echoed(call(endpoint, "PUT", deployed["host"], "/items/7", {"x-trail": "client", "x-secret": "s"}))
    assert (seen["method"], seen["path"]) == ("PUT", "/base/items/7")
    assert seen["headers"]["x-trail"] == "client,proxy" and "x-secret" not in seen["headers"]


def test_proxy_forwards_in_process_to_another_data_plane_host(client_factory, endpoint, unique, upstream):
    """A proxy whose integration names another local endpoint reaches it through dispatch(), not the network."""
    inner = deploy_http_api(client_factory, "us-east-1", unique + "in", upstream.url("/inner"),
                            parameters={"overwrite:header.x-inner": "yes"})
    outer = deploy_http_api(client_factory, "us-east-1", unique + "out", "https://%s/" % inner["host"],
                            parameters={"overwrite:header.x-api-key": "outer-key"})
    seen = echoed(call(endpoint, "POST", outer["host"], "/", body=b"{}"))
    assert seen["path"] == "/inner"
    assert seen["headers"]["x-api-key"] == "outer-key" and seen["headers"]["x-inner"] == "yes"


def test_a_proxy_forwarding_to_itself_ends_as_service_unavailable(client_factory, endpoint, unique):
    gateway = client_factory("apigatewayv2")
    deployed = deploy_http_api(client_factory, "us-east-1", unique, "https://placeholder.invalid/")
    integration = gateway.get_integrations(ApiId=deployed["api_id"])["Items"][0]
    gateway.update_integration(ApiId=deployed["api_id"], IntegrationId=integration["IntegrationId"],
                               IntegrationUri="https://%s/" % deployed["host"])
    status, _headers, body = call(endpoint, "POST", deployed["host"], "/")
    assert (status, json.loads(body)) == (503, {"message": "Service Unavailable"})


def test_unreachable_integration_is_500(client_factory, endpoint, unique):
    deployed = deploy_http_api(client_factory, "us-east-1", unique, "https://nowhere.invalid/graphql")
    status, _headers, body = call(endpoint, "POST", deployed["host"], "/")
    assert (status, json.loads(body)) == (500, {"message": "Internal Server Error"})


def test_integration_slower_than_its_timeout_is_503(client_factory, endpoint, unique, upstream):
    deployed = deploy_http_api(client_factory, "us-east-1", unique, upstream.url("/slow"), timeout_ms=200)
    upstream.delay["/slow"] = 1
    status, _headers, body = call(endpoint, "POST", deployed["host"], "/")
    assert (status, json.loads(body)) == (503, {"message": "Service Unavailable"})


def test_disabled_execute_api_endpoint_is_forbidden(client_factory, endpoint, proxy):
    client_factory("apigatewayv2").update_api(ApiId=proxy["api_id"], DisableExecuteApiEndpoint=True)
    status, _headers, body = call(endpoint, "POST", proxy["host"], "/")
    assert (status, json.loads(body)) == (403, {"message": "Forbidden"})


def test_regional_domain_endpoint_refuses_its_own_name_as_host(endpoint, proxy):
    status, _headers, body = call(endpoint, "POST", proxy["target"], "/graphql")
    assert (status, json.loads(body)) == (403, {"message": "Forbidden"})


# ---------------------------------------------------------------------------
# CORS
# ---------------------------------------------------------------------------

def test_cors_configuration_is_stored_by_create_and_update(client_factory, proxy):
    client = client_factory("apigatewayv2")
    assert client.get_api(ApiId=proxy["api_id"])["CorsConfiguration"]["AllowOrigins"] == ["https://app.example.com"]
    client.update_api(ApiId=proxy["api_id"], CorsConfiguration=dict(CORS, AllowOrigins=["https://other.example.com"]))
    assert client.get_api(ApiId=proxy["api_id"])["CorsConfiguration"]["AllowOrigins"] == ["https://other.example.com"]


def test_preflight_from_an_allowed_origin_is_answered_by_api_gateway(endpoint, proxy, upstream):
    before = len(upstream.seen)
    status, headers, body = call(endpoint, "OPTIONS", proxy["host"], "/", {
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key"})
    assert (status, body) == (204, b"")
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert headers["access-control-allow-methods"] == "POST"
    assert headers["access-control-allow-headers"] == "content-type,x-api-key,authorization"
    assert headers["access-control-max-age"] == "600"
    assert len(upstream.seen) == before  # no OPTIONS route, and the integration never saw it


@pytest.mark.parametrize("origin, method", [("https://evil.example.com", "POST"), ("https://app.example.com", "PUT")])
def test_refused_preflight_gets_no_cors_headers(endpoint, proxy, origin, method):
    status, headers, _body = call(endpoint, "OPTIONS", proxy["host"], "/", {
        "Origin": origin, "Access-Control-Request-Method": method})
    assert status == 204
    assert not [h for h in headers if h.startswith("access-control-")]


def test_cors_request_carries_the_configured_headers_not_the_backends(endpoint, proxy):
    _status, headers, _body = call(endpoint, "POST", proxy["host"], "/", {"Origin": "https://app.example.com"}, b"{}")
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert headers["access-control-expose-headers"] == "x-localaws-region"
    _status, headers, _body = call(endpoint, "POST", proxy["host"], "/", {"Origin": "https://evil.example.com"}, b"{}")
    assert "access-control-allow-origin" not in headers


def test_without_cors_configuration_options_goes_to_the_routes(client_factory, endpoint, unique, upstream):
    deployed = deploy_http_api(client_factory, "us-east-1", unique, upstream.url("/graphql"))
    status, _headers, body = call(endpoint, "OPTIONS", deployed["host"], "/", {
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"})
    assert (status, json.loads(body)) == (404, NOT_FOUND)


def test_data_plane_requests_are_not_logged_as_aws_calls(endpoint, control, proxy):
    before = control("requests")["count"]
    call(endpoint, "POST", proxy["host"], "/", body=b"{}")
    call(endpoint, "GET", proxy["host"], "/missing")
    assert control("requests")["count"] == before
