# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

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


def test_compare_routes():
    target = gw.integration_target("i1")
    current = [
        {"RouteId": "r1", "RouteKey": "POST /", "Target": target},
        {"RouteId": "r2", "RouteKey": "GET /", "Target": "integrations/old"},
        {"RouteId": "r3", "RouteKey": "ANY /{proxy+}", "Target": target},
    ]
    to_create, to_update, to_delete = gw.compare_routes(current, ["POST /", "GET /", "PUT /"], target)
    assert to_create == ["PUT /"]
    assert to_update == [("r2", "GET /")]
    assert to_delete == [("r3", "ANY /{proxy+}")]
    assert gw.compare_routes(current[:1], ["POST /"], target) == ([], [], [])


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
