# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import apigatewayv2 as gw

URL = "https://abc.appsync-api.eu-central-1.amazonaws.com/graphql"


def test_build_integration_maps_headers():
    integration = gw.build_integration(URL, {"X-Api-Key": "da2-k"}, 29000)
    assert integration == {
        "IntegrationType": "HTTP_PROXY",
        "IntegrationMethod": "ANY",
        "IntegrationUri": URL,
        "PayloadFormatVersion": "1.0",
        "TimeoutInMillis": 29000,
        "RequestParameters": {"overwrite:header.x-api-key": "da2-k"},
    }
    assert gw.build_integration(URL, None, 30000)["RequestParameters"] == {}


def test_compare_integration_no_change():
    desired = gw.build_integration(URL, {"x-api-key": "k"}, 30000)
    current = dict(desired, IntegrationId="i1", ConnectionType="INTERNET")
    assert gw.compare_integration(current, desired) == {}


def test_compare_integration_new_url_and_key():
    current = dict(gw.build_integration(URL, {"x-api-key": "old"}, 30000), IntegrationId="i1")
    desired = gw.build_integration("https://new/graphql", {"x-api-key": "new"}, 30000)
    assert gw.compare_integration(current, desired) == {
        "IntegrationUri": "https://new/graphql",
        "RequestParameters": {"overwrite:header.x-api-key": "new"},
    }


def test_compare_integration_removes_a_header_with_an_empty_value():
    current = dict(gw.build_integration(URL, {"x-api-key": "k", "x-other": "o"}, 30000), IntegrationId="i1")
    desired = gw.build_integration(URL, {"x-other": "o"}, 30000)
    assert gw.compare_integration(current, desired) == {
        "RequestParameters": {"overwrite:header.x-other": "o", "overwrite:header.x-api-key": ""}}
    # an emptied parameter read back counts as absent
    current["RequestParameters"] = {"overwrite:header.x-other": "o", "overwrite:header.x-api-key": ""}
    assert gw.compare_integration(current, desired) == {}


def test_pick_integration():
    integrations = [{"IntegrationId": "b", "IntegrationType": "HTTP_PROXY"}, {"IntegrationId": "a", "IntegrationType": "AWS_PROXY"},
                    {"IntegrationId": "c", "IntegrationType": "HTTP_PROXY"}]
    assert gw.pick_integration(integrations)["IntegrationId"] == "b"
    assert gw.pick_integration([]) is None


def test_plan_routes():
    target = gw.integration_target("i1")
    current = [
        {"RouteId": "r1", "RouteKey": "POST /", "Target": target},
        {"RouteId": "r2", "RouteKey": "GET /", "Target": "integrations/old"},
        {"RouteId": "r3", "RouteKey": "ANY /{proxy+}", "Target": target},
    ]
    to_create, to_update, to_delete = gw.plan_routes(current, dict.fromkeys(["POST /", "GET /", "PUT /"], target))
    assert to_create == ["PUT /"]
    assert to_update == [("r2", "GET /")]
    assert to_delete == [("r3", "ANY /{proxy+}")]
    assert gw.plan_routes(current[:1], {"POST /": target}) == ([], [], [])


def test_build_stage():
    assert gw.build_stage(None, None) == {"StageName": "$default", "AutoDeploy": True}
    stage = gw.build_stage({"burst_limit": 10, "rate_limit": 5}, {"destination_arn": "arn:log", "format": "$context.requestId"})
    assert stage["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.0}
    assert stage["AccessLogSettings"] == {"DestinationArn": "arn:log", "Format": "$context.requestId"}


def test_compare_stage():
    current = {"StageName": "$default", "AutoDeploy": True,
               "DefaultRouteSettings": {"DetailedMetricsEnabled": False, "ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 5.0}}
    assert gw.compare_stage(current, None, None) == {}
    assert gw.compare_stage(current, {"burst_limit": 10, "rate_limit": 5}, None) == {}
    assert gw.compare_stage(current, {"burst_limit": 20, "rate_limit": None}, None) == {
        "DefaultRouteSettings": {"DetailedMetricsEnabled": False, "ThrottlingBurstLimit": 20, "ThrottlingRateLimit": 5.0}}
    assert gw.compare_stage(dict(current, AutoDeploy=False), None, None) == {"AutoDeploy": True}
    log = {"destination_arn": "arn:log", "format": "$context.requestId"}
    assert gw.compare_stage(current, None, log) == {"AccessLogSettings": {"DestinationArn": "arn:log", "Format": "$context.requestId"}}
    with_log = dict(current, AccessLogSettings={"DestinationArn": "arn:log", "Format": "$context.requestId"})
    assert gw.compare_stage(with_log, None, log) == {}


def domain(**config):
    base = {"CertificateArn": "arn:cert", "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2",
            "ApiGatewayDomainName": "d-abcdefghij.execute-api.eu-central-1.amazonaws.com", "HostedZoneId": "ZONE",
            "DomainNameStatus": "AVAILABLE"}
    base.update(config)
    return {"DomainName": "api.example.com", "DomainNameConfigurations": [base]}


def test_compare_domain():
    assert gw.compare_domain(domain(), "arn:cert")
    assert not gw.compare_domain(domain(), "arn:other")
    assert not gw.compare_domain(domain(SecurityPolicy="TLS_1_0"), "arn:cert")


def test_alias_target_is_read_from_the_domain():
    assert gw.alias_target(domain()) == {"dns_name": "d-abcdefghij.execute-api.eu-central-1.amazonaws.com", "hosted_zone_id": "ZONE"}
    assert gw.alias_target(domain(ApiGatewayDomainName=None)) is None
    assert gw.alias_target(None) is None


def test_plan_mappings():
    assert gw.plan_mappings([], "api1", "graphql") == (True, None, [])
    ours = {"ApiMappingId": "m1", "ApiId": "api1", "ApiMappingKey": "graphql", "Stage": "$default"}
    assert gw.plan_mappings([ours], "api1", "graphql") == (False, None, [])
    stale = dict(ours, ApiId="old")
    assert gw.plan_mappings([stale], "api1", "graphql") == (False, "m1", [])
    former_key = dict(ours, ApiMappingId="m0", ApiMappingKey="v1")
    other_api = {"ApiMappingId": "m9", "ApiId": "api9", "ApiMappingKey": "other", "Stage": "$default"}
    assert gw.plan_mappings([former_key, other_api], "api1", "graphql") == (True, None, ["m0"])


def test_domain_url():
    assert gw.domain_url("api.example.com", "graphql") == "https://api.example.com/graphql"
    assert gw.domain_url("api.example.com", "") == "https://api.example.com/"


def test_api_arn_reads_partition_and_region_from_the_client():
    client = SimpleNamespace(meta=SimpleNamespace(partition="aws-cn", region_name="cn-north-1"))
    assert gw.api_arn(client, "a1") == "arn:aws-cn:apigateway:cn-north-1::/apis/a1"


def test_domain_wait_state_waits_only_for_updating():
    def domain(status):
        return {"DomainNameConfigurations": [{"EndpointType": "REGIONAL", "DomainNameStatus": status}]}
    assert gw.domain_wait_state(domain("UPDATING")) == "wait"
    assert gw.domain_wait_state(domain("AVAILABLE")) == "ready"
    # These need the owner's action (reimport the certificate, verify ownership): no futile wait.
    assert gw.domain_wait_state(domain("PENDING_CERTIFICATE_REIMPORT")) == "blocked"
    assert gw.domain_wait_state(domain("PENDING_OWNERSHIP_VERIFICATION")) == "blocked"
    assert gw.domain_wait_state(None) == "ready"


CORS = {"allow_origins": ["https://b.example.com", "https://a.example.com"], "allow_methods": ["post"],
        "allow_headers": ["Content-Type", "x-api-key"], "expose_headers": [], "max_age": 600, "allow_credentials": False}


def test_build_cors_configuration_sorts_and_normalises():
    assert gw.build_cors_configuration(CORS) == {
        "AllowOrigins": ["https://a.example.com", "https://b.example.com"], "AllowMethods": ["POST"],
        "AllowHeaders": ["content-type", "x-api-key"], "ExposeHeaders": [], "AllowCredentials": False, "MaxAge": 600}
    assert gw.build_cors_configuration(dict(CORS, allow_origins=[])) is None
    assert "MaxAge" not in gw.build_cors_configuration(dict(CORS, max_age=None))


def test_plan_cors():
    desired = gw.build_cors_configuration(CORS)
    assert gw.plan_cors(None, desired) == "update"
    # API Gateway may hand back other case and order: not a change
    read_back = dict(desired, AllowHeaders=["X-Api-Key", "Content-Type"], AllowMethods=["post"])
    assert gw.plan_cors(read_back, desired) is None
    assert gw.plan_cors(dict(desired, MaxAge=60), desired) == "update"
    assert gw.plan_cors(desired, None) == "delete"
    assert gw.plan_cors(None, None) is None


def test_health_integration_is_a_get_with_the_query_and_the_proxy_headers():
    health = gw.build_health_integration(URL, {"x-api-key": "k"}, 30000, "{__typename}")
    assert health["IntegrationMethod"] == "GET" and health["IntegrationUri"] == URL
    assert health["RequestParameters"] == {"overwrite:header.x-api-key": "k", "overwrite:querystring.query": "{__typename}"}
    assert gw.is_health_integration(health)
    assert not gw.is_health_integration(gw.build_integration(URL, None, 30000))


def test_pick_and_surplus_integrations_tell_the_kinds_apart():
    health = dict(gw.build_health_integration(URL, None, 30000, "{__typename}"), IntegrationId="h1")
    integrations = [{"IntegrationId": "p2", "IntegrationType": "HTTP_PROXY"}, health,
                    {"IntegrationId": "p1", "IntegrationType": "HTTP_PROXY"}, {"IntegrationId": "x", "IntegrationType": "AWS_PROXY"}]
    assert gw.pick_integration(integrations)["IntegrationId"] == "p1"
    assert gw.pick_integration(integrations, health=True)["IntegrationId"] == "h1"
    # a duplicate made by a lost CreateIntegration answer goes; other integration types are not the module's
    assert gw.surplus_integrations(integrations, ["p1", "h1"]) == ["p2"]
    assert gw.surplus_integrations(integrations, ["p1"]) == ["p2", "h1"]


def test_route_path_to():
    routes = [{"RouteKey": "POST /", "Target": "integrations/p1"}, {"RouteKey": "GET /health", "Target": "integrations/h1"}]
    assert gw.route_path_to(routes, {"IntegrationId": "h1"}) == "/health"
    assert gw.route_path_to(routes, None) is None
    assert gw.route_path_to(routes, {"IntegrationId": "zz"}) is None


def client_error(code, status):
    from botocore.exceptions import ClientError
    return gw.AnsibleApiGatewayV2Error(message="Failed", exception=ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "CreateApi"))


def test_is_transient():
    from botocore.exceptions import EndpointConnectionError
    assert gw.is_transient(client_error("InternalFailure", 500).exception)
    assert gw.is_transient(client_error("TooManyRequestsException", 429).exception)
    assert gw.is_transient(EndpointConnectionError(endpoint_url="x"))
    assert not gw.is_transient(client_error("BadRequestException", 400).exception)


def test_creation_target_raises_api_gateway_errors():
    client = SimpleNamespace(meta=SimpleNamespace(region_name="us-east-1", endpoint_url="http://127.0.0.1:5500",
                                                  service_model=SimpleNamespace(service_name="apigatewayv2")))
    target = gw.creation_target(client, "HTTP API", "app-proxy")
    assert target.error is gw.AnsibleApiGatewayV2Error and str(target) == "HTTP API app-proxy in us-east-1"


def test_create_or_find_on_conflict():
    def conflict():
        raise client_error("ConflictException", 409)
    assert gw.create_or_find_on_conflict(conflict, lambda: {"RouteId": "r1"}) == {"RouteId": "r1"}
    with pytest.raises(gw.AnsibleApiGatewayV2Error):
        gw.create_or_find_on_conflict(conflict, lambda: None)


def test_duplicates_of_one_run():
    token = {gw.CREATION_TOKEN_TAG_KEY: "t1", "managed-by": "multiregion.appsync"}
    older = {"ApiId": "b", "CreatedDate": "2026-01-01T00:00:00", "Tags": token}
    newer = {"ApiId": "a", "CreatedDate": "2026-01-01T00:00:05", "Tags": token}
    assert gw.duplicates_of_one_run([newer, older]) == (older, [newer])
    other_run = dict(newer, Tags=dict(token, **{gw.CREATION_TOKEN_TAG_KEY: "t2"}))
    assert gw.duplicates_of_one_run([other_run, older]) == (None, [])
    untokened = [dict(older, Tags={}), dict(newer, Tags={})]
    assert gw.duplicates_of_one_run(untokened) == (None, [])
    assert gw.duplicates_of_one_run([older]) == (None, [])
    assert gw.user_tags(token) == {"managed-by": "multiregion.appsync"}
