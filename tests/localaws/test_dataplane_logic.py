"""The HTTP API and geolocation data planes' decisions, without a server (localaws/dataplane/)."""

from types import SimpleNamespace

import pytest

from localaws import dataplane
from localaws.dataplane import geo, health, http_api
from localaws.dataplane.continents import continent_of


def route(key, target="integrations/i"):
    return SimpleNamespace(route_key=key, target=target)


ROUTES = [route("POST /"), route("GET /health"), route("GET /items/{id}"), route("ANY /items/{id}"),
          route("ANY /{proxy+}"), route("GET /items/special"), route("$default")]


@pytest.mark.parametrize("method, path, key, params", [
    ("POST", "/", "POST /", {}),
    ("GET", "/health", "GET /health", {}),
    ("GET", "/items/special", "GET /items/special", {}),
    ("GET", "/items/7", "GET /items/{id}", {"id": "7"}),
    ("DELETE", "/items/7", "ANY /items/{id}", {"id": "7"}),
    ("GET", "/a/b/c", "ANY /{proxy+}", {"proxy": "a/b/c"}),
    ("GET", "/", "$default", {}),
])
def test_routes_match_most_specific_first_then_default(method, path, key, params):
    found, found_params = http_api.match_route(ROUTES, method, path)
    assert (found.route_key, found_params) == (key, params)


def test_no_route_and_no_default_matches_nothing():
    assert http_api.match_route([route("POST /")], "GET", "/")[0] is None
    assert http_api.match_route([route("POST /")], "POST", "/graphql")[0] is None


@pytest.mark.parametrize("path, key, rest", [
    ("/graphql", "graphql", "/"),
    ("/graphql/x", "graphql", "/x"),
    ("/graphqlx", "", "/graphqlx"),
    ("/v1/graphql/", "v1/graphql", "/"),
])
def test_longest_mapping_key_on_whole_segments_is_stripped(path, key, rest):
    mappings = [SimpleNamespace(api_mapping_key=k) for k in ("graphql", "", "v1/graphql", "v1")]
    mapping, found_rest = http_api.pick_mapping(mappings, path)
    assert (mapping.api_mapping_key, found_rest) == (key, rest)


def test_no_mapping_key_prefix_means_no_mapping():
    assert http_api.pick_mapping([SimpleNamespace(api_mapping_key="graphql")], "/other") == (None, "/other")


def test_mapping_values_read_request_context_and_stage_variables():
    request = dataplane.Request("POST", "h", "/p", "q=1", {"x-in": "v"})
    value = http_api.mapping_value("k ${request.header.x-in} ${request.querystring.q} ${context.stage} "
                                   "${stageVariables.s} ${request.path.id} $request.path", request, "/items/7",
                                   {"id": "7"}, {"stage": "prod"}, {"s": "S"})
    assert value == "k v 1 prod S 7 /items/7"
    assert http_api.mapping_value("$request.header.x-in", request, "/", {}, {}, {}) == "v"


def test_proxy_request_applies_header_query_and_path_mappings():
    integration = SimpleNamespace(
        integration_uri="https://up.example.com/base/{proxy}?fixed=1", integration_method="ANY",
        request_parameters={"overwrite:header.x-api-key": "secret", "append:header.x-trail": "b",
                            "remove:header.x-drop": "''", "overwrite:querystring.q": "new",
                            "remove:querystring.gone": "''"})
    request = dataplane.Request("PUT", "api.example.com", "/a", "q=old&gone=1&keep=2",
                                {"x-api-key": "client", "x-trail": "a", "x-drop": "1", "host": "api.example.com"})
    upstream, _target = http_api.proxy_request(integration, request, "/a/b", {"proxy": "a/b"}, {}, {})
    assert (upstream.method, upstream.host, upstream.path) == ("PUT", "up.example.com", "/base/a/b")
    assert upstream.headers["x-api-key"] == "secret" and upstream.headers["x-trail"] == "a,b"
    assert "x-drop" not in upstream.headers and upstream.headers["host"] == "up.example.com"
    assert sorted(upstream.query.split("&")) == ["fixed=1", "keep=2", "q=new"]
    integration.request_parameters = {"overwrite:path": "/v2$request.path"}
    assert http_api.proxy_request(integration, request, "/a", {}, {}, {})[0].path == "/v2/a"


CORS = {"allowOrigins": ["https://app.example.com", "http://*"], "allowMethods": ["POST"],
        "allowHeaders": ["content-type", "x-api-key"], "exposeHeaders": ["x-localaws-region"], "maxAge": 300}


def preflight_request(origin, method="POST"):
    return dataplane.Request("OPTIONS", "h", "/", "", {"origin": origin, "access-control-request-method": method})


def test_preflight_from_an_allowed_origin_gets_the_configured_headers():
    answer = http_api.preflight(CORS, preflight_request("https://app.example.com"))
    assert answer.status == 204
    assert answer.headers == {"access-control-allow-origin": "https://app.example.com",
                              "access-control-allow-methods": "POST",
                              "access-control-allow-headers": "content-type,x-api-key",
                              "access-control-max-age": "300"}
    assert http_api.preflight(CORS, preflight_request("http://localhost:8000")).headers


@pytest.mark.parametrize("origin, method", [("https://evil.example.com", "POST"), ("https://app.example.com", "DELETE")])
def test_refused_preflight_is_204_without_cors_headers(origin, method):
    answer = http_api.preflight(CORS, preflight_request(origin, method))
    assert (answer.status, answer.headers) == (204, {})


@pytest.mark.parametrize("country, continent", [("DE", "EU"), ("US", "NA"), ("AU", "OC"), ("JP", "AS"), ("BR", "SA"),
                                                ("ZA", "AF"), ("AQ", "AN"), ("XX", None)])
def test_continent_of_country(country, continent):
    assert continent_of(country) == continent


@pytest.mark.parametrize("text, location", [
    ("continent=EU", {"continent": "EU"}),
    ("country=de", {"country": "DE", "continent": "EU"}),
    ("country=US;subdivision=CA", {"country": "US", "subdivision": "CA", "continent": "NA"}),
    ("", {}),
])
def test_parse_location(text, location):
    assert geo.parse_location(text) == location


@pytest.mark.parametrize("text", ["continent=XX", "planet=mars", "subdivision=CA", "country"])
def test_bad_location_is_refused_naming_the_header(text):
    with pytest.raises(geo.LocationError, match=geo.LOCATION_HEADER):
        geo.parse_location(text)


def geo_record(set_id, check=None, **location):
    return {"SetIdentifier": set_id, "GeoLocation": location, "HealthCheckId": check}


RECORDS = [geo_record("default", CountryCode="*"), geo_record("na", "hc-na", ContinentCode="NA"),
           geo_record("us", "hc-us", CountryCode="US"),
           geo_record("ca", "hc-ca", CountryCode="US", SubdivisionCode="CA")]


@pytest.mark.parametrize("text, unhealthy, chosen", [
    ("country=US;subdivision=CA", set(), "ca"),
    ("country=US;subdivision=NY", set(), "us"),
    ("country=CA", set(), "na"),
    ("country=JP", set(), "default"),
    ("", set(), "default"),
    ("country=US;subdivision=CA", {"hc-ca"}, "us"),
    ("country=US;subdivision=CA", {"hc-ca", "hc-us"}, "na"),
    ("country=US;subdivision=CA", {"hc-ca", "hc-us", "hc-na"}, "default"),
])
def test_geolocation_precedence_skips_unhealthy_records(text, unhealthy, chosen):
    record = geo.choose_record(RECORDS, geo.parse_location(text), lambda check: check not in unhealthy)
    assert record["SetIdentifier"] == chosen


def test_all_matching_records_unhealthy_answers_the_most_specific():
    records = [geo_record("eu", "hc-eu", ContinentCode="EU"), geo_record("default", "hc-default", CountryCode="*")]
    assert geo.choose_record(records, {"continent": "EU"}, lambda check: False)["SetIdentifier"] == "eu"
    assert geo.choose_record(records[:1], {"continent": "NA"}, lambda check: True) is None


def test_location_query_parameter_is_read_and_stripped():
    request = dataplane.Request("POST", "api.example.com", "/graphql", "a=1&localaws-location=continent%3DEU", {})
    location, stripped = geo.request_location(request)
    assert location == {"continent": "EU"} and stripped.query == "a=1"
    header_request = dataplane.Request("POST", "h", "/", "", {geo.LOCATION_HEADER: "country=DE"})
    location, stripped = geo.request_location(header_request)
    assert location == {"country": "DE", "continent": "EU"} and geo.LOCATION_HEADER not in stripped.headers


# ---------------------------------------------------------------------------
# Health checks (localaws/dataplane/health.py)
# ---------------------------------------------------------------------------

def fake_check(check_id="hc", check_type="HTTPS", **fields):
    values = {"id": check_id, "type_": check_type, "fqdn": "abc.execute-api.us-east-1.amazonaws.com",
              "ip_address": None, "resource_path": "/health", "search_string": None, "disabled": False,
              "inverted": False, "children": None, "health_threshold": None, "failure_threshold": 3}
    values.update(fields)
    return SimpleNamespace(**values)


def test_failure_threshold_consecutive_results_flip_the_state():
    state = health.CheckState()
    for success, healthy in [(False, True), (False, True), (True, True), (False, True), (False, True),
                             (False, False), (True, False), (True, False), (True, True)]:
        state.record(success, "report", 3)
        assert state.healthy is healthy


@pytest.fixture
def only_handler(monkeypatch):
    """Replace the data plane's handlers by one answering the given Response for host abc...."""
    monkeypatch.setattr(dataplane, "_HANDLERS", [])

    def install(response):
        seen = []

        def handler(request):
            seen.append(request)
            return response if request.host.startswith("abc.") else None
        dataplane.register(handler)
        return seen
    return install


@pytest.mark.parametrize("status, check_type, search, success", [
    (200, "HTTPS", None, True), (302, "HTTP", None, True), (404, "HTTPS", None, False), (500, "HTTPS", None, False),
    (200, "HTTPS_STR_MATCH", "region", True), (200, "HTTPS_STR_MATCH", "absent", False), (404, "TCP", None, True),
])
def test_probe_judges_the_data_planes_answer(only_handler, status, check_type, search, success):
    seen = only_handler(dataplane.Response(status, {}, b'{"region": "us-east-1"}'))
    result, report = health.probe(fake_check(check_type=check_type, search_string=search))
    assert result is success and report.startswith("Success" if success else "Failure")
    assert (seen[0].method, seen[0].path, seen[0].headers["host"]) == \
        ("GET", "/health", "abc.execute-api.us-east-1.amazonaws.com")


def test_probe_of_a_host_nobody_serves_fails(only_handler):
    only_handler(dataplane.Response(200))
    assert health.probe(fake_check(fqdn="nowhere.example.com"))[0] is False


def test_disabled_inverted_and_calculated_checks(monkeypatch):
    monkeypatch.setattr(health, "_STATES", {})
    health.state_of("down").healthy = False
    health.state_of("off").healthy = False
    checks = {"down": fake_check("down"), "up": fake_check("up"), "off": fake_check("off", disabled=True),
              "flipped": fake_check("flipped", inverted=True),
              "two": fake_check("two", "CALCULATED", children=["down", "up"], health_threshold=2),
              "one": fake_check("one", "CALCULATED", children=["down", "up"], health_threshold=1)}
    assert [health.is_healthy(c, checks) for c in ("down", "up", "off", "flipped", "two", "one", "unknown")] == \
        [False, True, True, False, False, True, True]
