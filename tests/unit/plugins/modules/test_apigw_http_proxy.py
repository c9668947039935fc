# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import pytest

from ansible_collections.multiregion.appsync.plugins.modules import apigw_http_proxy as module

URL = "https://abc.appsync-api.eu-central-1.amazonaws.com/graphql"


def params(**overrides):
    base = {"state": "present", "target_url": URL, "routes": ["POST /"], "request_headers": {"x-api-key": "k"},
            "integration_timeout_ms": 30000, "domain_name": None, "certificate_arn": None, "api_mapping_key": "graphql",
            "wait_timeout": 300, "cors": None, "health_route": None}
    base.update(overrides)
    return base


def test_good_params():
    assert module.validate_params(params(routes=["POST /", "GET /items/{id}", "$default"])) is None
    assert module.validate_params(params(api_mapping_key="")) is None
    assert module.validate_params(params(state="absent", target_url=None, routes=[])) is None


@pytest.mark.parametrize("overrides,fragment", [
    ({"target_url": "ftp://x"}, "target_url"),
    ({"routes": ["FETCH /"]}, "routes: 'FETCH /'"),
    ({"routes": ["POST"]}, "routes: 'POST'"),
    ({"routes": []}, "routes"),
    ({"request_headers": {"bad header": "v"}}, "request_headers: 'bad header'"),
    ({"request_headers": {"x-api-key": ""}}, "request_headers: x-api-key"),
    ({"integration_timeout_ms": 40000}, "integration_timeout_ms"),
    ({"domain_name": "api.example.com"}, "certificate_arn"),
    ({"api_mapping_key": "/graphql"}, "api_mapping_key"),
    ({"api_mapping_key": "a//b"}, "api_mapping_key"),
    ({"wait_timeout": 0}, "wait_timeout"),
])
def test_bad_params_name_the_option(overrides, fragment):
    assert fragment in module.validate_params(params(**overrides))


def test_api_result_returns_header_names_never_values():
    api = {"ApiId": "a1", "Name": "n", "ApiEndpoint": "https://a1.execute-api.eu-central-1.amazonaws.com", "Tags": {"k": "v"}}
    integration = {"IntegrationId": "i1", "IntegrationUri": URL,
                   "RequestParameters": {"overwrite:header.x-api-key": "secret", "overwrite:header.gone": "",
                                         "append:querystring.q": "x"}}
    result = module.api_result(api, {"proxy": integration}, ["POST /"], {"StageName": "$default", "AutoDeploy": True})
    assert result["integration"]["request_headers"] == ["x-api-key"]
    assert "secret" not in repr(result)
    assert result["api_id"] == "a1" and result["routes"] == ["POST /"]
    assert result["stage"]["auto_deploy"] is True and result["stage"]["access_log_settings"] is None


class FakeClient:
    """Answers reads from fixed data; any other call is a write and fails the test."""

    def __init__(self, integrations):
        self.integrations = integrations
        self.calls = []

    def get_integrations(self, **kwargs):
        self.calls.append("get_integrations")
        return {"Items": self.integrations}

    def __getattr__(self, name):
        raise AssertionError("unexpected call %s" % name)


def fake_module(check_mode, **overrides):
    return SimpleNamespace(params=params(**overrides), check_mode=check_mode)


def with_client(ansible_module, client):
    """The module, its clients (the creates' one too) being client."""
    ansible_module.client = lambda service, **kwargs: client
    return ansible_module


def test_check_mode_predicts_an_integration_update_without_writing():
    current = {"IntegrationId": "i1", "IntegrationType": "HTTP_PROXY", "IntegrationMethod": "ANY", "IntegrationUri": URL,
               "PayloadFormatVersion": "1.0", "TimeoutInMillis": 30000, "RequestParameters": {"overwrite:header.x-api-key": "k"}}
    client = FakeClient([current])
    actions = []
    desired = module.gw.build_integration("https://new/graphql", {"x-api-key": "k"}, 30000)
    result = module.ensure_integrations(fake_module(True), client, "a1", {"proxy": desired}, actions)[0]["proxy"]
    assert actions == ["update integration"]
    assert result["IntegrationUri"] == "https://new/graphql"
    assert client.calls == ["get_integrations"]


def test_unchanged_integration_is_not_written():
    desired = module.gw.build_integration(URL, {"x-api-key": "k"}, 30000)
    client = FakeClient([dict(desired, IntegrationId="i1")])
    actions = []
    module.ensure_integrations(with_client(fake_module(False), client), client, "a1", {"proxy": desired}, actions)
    assert actions == []


class Failed(Exception):
    pass


def test_domain_waiting_for_its_owner_fails_at_once_naming_the_status(monkeypatch):
    def fail_json(msg):
        raise Failed(msg)
    monkeypatch.setattr(module.time, "sleep", lambda seconds: pytest.fail("no wait expected for a blocked domain"))
    ansible_module = fake_module(False)
    ansible_module.fail_json = fail_json
    domain = {"DomainName": "api.example.com", "DomainNameConfigurations": [
        {"EndpointType": "REGIONAL", "DomainNameStatus": "PENDING_CERTIFICATE_REIMPORT", "DomainNameStatusMessage": "reimport it"}]}
    with pytest.raises(Failed, match="domain_name: custom domain api.example.com is PENDING_CERTIFICATE_REIMPORT.*reimport it"):
        module.wait_for_domain(ansible_module, FakeClient([]), "api.example.com", domain)


class FakeGateway:
    """A stateful HTTP API service for the create paths; lose_create_answers makes CreateApi apply and then fail."""

    def __init__(self, apis=None, lose_create_answers=0, domain=None):
        self.apis = {a["ApiId"]: a for a in apis or []}
        self.lose_create_answers = lose_create_answers
        self.domain = domain
        self.writes = []

    def _lost(self):
        from botocore.exceptions import ClientError
        return ClientError({"Error": {"Code": "InternalFailure", "Message": "lost"}, "ResponseMetadata": {"HTTPStatusCode": 500}},
                           "CreateApi")

    def get_apis(self, **kwargs):
        return {"Items": list(self.apis.values())}

    def create_api(self, Name, ProtocolType, Tags, **kwargs):
        api_id = "api%d" % (len(self.apis) + 1)
        self.apis[api_id] = {"ApiId": api_id, "Name": Name, "ProtocolType": ProtocolType, "Tags": dict(Tags),
                             "CreatedDate": "2026-01-01T00:00:%02d" % len(self.apis)}
        self.writes.append(("create_api", api_id))
        if self.lose_create_answers:
            self.lose_create_answers -= 1
            raise self._lost()
        return dict(self.apis[api_id])

    def delete_api(self, ApiId):
        self.writes.append(("delete_api", ApiId))
        del self.apis[ApiId]

    def untag_resource(self, ResourceArn, TagKeys):
        self.writes.append(("untag_resource", ResourceArn, tuple(TagKeys)))
        if "/domainnames/" in ResourceArn:
            self.domain["Tags"] = {k: v for k, v in self.domain["Tags"].items() if k not in TagKeys}
            return
        api = self.apis[ResourceArn.rsplit("/", 1)[-1]]
        api["Tags"] = {k: v for k, v in api["Tags"].items() if k not in TagKeys}

    def tag_resource(self, ResourceArn, Tags):
        self.writes.append(("tag_resource", ResourceArn, dict(Tags)))
        self.domain["Tags"] = dict(self.domain["Tags"], **Tags)

    meta = SimpleNamespace(partition="aws", region_name="eu-central-1", endpoint_url=None,
                           service_model=SimpleNamespace(service_name="apigatewayv2"))


def owned(api_id, created, token=None):
    tags = {"managed-by": "multiregion.appsync"}
    if token:
        tags[module.gw.CREATION_TOKEN_TAG_KEY] = token
    return {"ApiId": api_id, "Name": "n", "ProtocolType": "HTTP", "CreatedDate": created, "Tags": tags}


def fail_test(msg):
    pytest.fail(msg)


def present_module(check_mode=False, **overrides):
    ansible_module = fake_module(check_mode, **overrides)
    ansible_module.params.update(name="n", description=None, tags={"app": "a"}, purge_tags=True, adopt_untagged=False)
    ansible_module.fail_json = fail_test
    return ansible_module


def test_a_lost_create_api_answer_leaves_one_api_without_its_token():
    gateway = FakeGateway(lose_create_answers=1)
    actions = []
    api, adopted = module.create_api(with_client(present_module(), gateway), gateway, actions)
    assert adopted is None
    assert [w[0] for w in gateway.writes] == ["create_api", "untag_resource"]
    assert list(gateway.apis) == [api["ApiId"]]
    assert gateway.apis[api["ApiId"]]["Tags"] == {"app": "a", "managed-by": "multiregion.appsync"}
    assert api["Tags"] == {"app": "a", "managed-by": "multiregion.appsync"} and actions == ["create API"]


def test_a_lost_answer_seen_late_is_removed_by_the_same_run(monkeypatch):
    gateway = FakeGateway(lose_create_answers=1)
    hidden = {}

    def late_listing(**kwargs):
        # GetApis does not show the first API until the second one exists (eventual consistency)
        if len(gateway.apis) < 2:
            hidden.update(gateway.apis)
            return {"Items": []}
        return {"Items": list(gateway.apis.values())}
    gateway.get_apis = late_listing
    api, _adopted = module.create_api(with_client(present_module(), gateway), gateway, [])
    assert api["ApiId"] == "api1"
    assert ("delete_api", "api2") in gateway.writes and list(gateway.apis) == ["api1"]


def test_an_api_another_run_made_meanwhile_is_adopted_not_created_again():
    theirs = owned("api7", "2026-01-01T00:00:01")
    gateway = FakeGateway(apis=[theirs])
    actions = []
    api, adopted = module.create_api(with_client(present_module(), gateway), gateway, actions)
    assert api is None and adopted["ApiId"] == "api7"
    assert gateway.writes == [] and actions == []


def test_duplicates_of_one_run_are_reduced_to_the_oldest():
    gateway = FakeGateway(apis=[owned("api2", "2026-01-01T00:00:09", "t1"), owned("api1", "2026-01-01T00:00:01", "t1")])
    actions = []
    api, adopted = module.find_api(present_module(), gateway, actions)
    assert api["ApiId"] == "api1" and not adopted
    assert actions == ["delete duplicate API api2"] and list(gateway.apis) == ["api1"]


def test_duplicates_in_check_mode_are_predicted_not_deleted():
    gateway = FakeGateway(apis=[owned("api2", "2026-01-01T00:00:09", "t1"), owned("api1", "2026-01-01T00:00:01", "t1")])
    actions = []
    module.find_api(present_module(check_mode=True), gateway, actions)
    assert actions == ["delete duplicate API api2"] and gateway.writes == []


def test_owned_duplicates_of_different_runs_still_fail_naming_both():
    gateway = FakeGateway(apis=[owned("api2", "2026-01-01T00:00:09"), owned("api1", "2026-01-01T00:00:01")])
    ansible_module = present_module()

    def fail_json(msg):
        raise Failed(msg)
    ansible_module.fail_json = fail_json
    with pytest.raises(Failed, match="2 HTTP API resources named 'n'.*api1, api2"):
        module.find_api(ansible_module, gateway, [])
    assert gateway.writes == []


DOMAIN_ARN = "arn:aws:apigateway:eu-central-1::/domainnames/api.example.com"


def test_an_adopted_domain_gains_the_ownership_tag_and_keeps_the_users_tags():
    domain = {"DomainName": "api.example.com", "DomainNameArn": DOMAIN_ARN, "Tags": {"team": "x"}}
    gateway = FakeGateway(domain=domain)
    actions = []
    ansible_module = present_module(adopt_untagged=True)
    ansible_module.params["tags"] = None
    after = module.ensure_domain_tags(ansible_module, gateway, domain, True, actions)
    assert actions == ["tag custom domain api.example.com"]
    assert after["Tags"] == domain["Tags"] == {"team": "x", "managed-by": "multiregion.appsync"}


def test_domain_tags_converge_and_settle():
    domain = {"DomainName": "api.example.com", "DomainNameArn": DOMAIN_ARN,
              "Tags": {"old": "1", "app": "b", "managed-by": "multiregion.appsync"}}
    gateway = FakeGateway(domain=domain)
    actions = []
    after = module.ensure_domain_tags(present_module(), gateway, domain, False, actions)
    assert actions == ["untag custom domain api.example.com", "tag custom domain api.example.com"]
    assert after["Tags"] == domain["Tags"] == {"app": "a", "managed-by": "multiregion.appsync"}
    again = []
    module.ensure_domain_tags(present_module(), gateway, domain, False, again)
    assert again == []


@pytest.mark.parametrize("overrides,fragment", [
    ({"cors": {"allow_origins": ["app.example.com"], "allow_methods": ["POST"], "allow_headers": [], "expose_headers": [],
               "max_age": None, "allow_credentials": False}}, "cors.allow_origins: 'app.example.com'"),
    ({"cors": {"allow_origins": ["*"], "allow_methods": ["POST"], "allow_headers": [], "expose_headers": [],
               "max_age": None, "allow_credentials": True}}, "cors.allow_credentials"),
    ({"cors": {"allow_origins": ["https://a.example.com"], "allow_methods": ["FETCH"], "allow_headers": [], "expose_headers": [],
               "max_age": None, "allow_credentials": False}}, "cors.allow_methods: 'FETCH'"),
    ({"cors": {"allow_origins": ["https://a.example.com"], "allow_methods": ["POST"], "allow_headers": ["bad header"],
               "expose_headers": [], "max_age": None, "allow_credentials": False}}, "cors.allow_headers"),
    ({"cors": {"allow_origins": ["https://a.example.com"], "allow_methods": ["POST"], "allow_headers": [], "expose_headers": [],
               "max_age": 90000, "allow_credentials": False}}, "cors.max_age"),
    ({"health_route": {"path": "health", "query": "{__typename}"}}, "health_route.path: 'health'"),
    ({"health_route": {"path": "/", "query": "{__typename}"}, "routes": ["POST /", "GET /"]}, "health_route.path: / is also in routes"),
    ({"health_route": {"path": "/health", "query": " "}}, "health_route.query"),
])
def test_bad_cors_and_health_route_name_the_option(overrides, fragment):
    assert fragment in module.validate_params(params(**overrides))


def test_good_cors_and_health_route():
    cors = {"allow_origins": ["https://a.example.com", "http://127.0.0.1:8080"], "allow_methods": ["POST", "options"],
            "allow_headers": ["content-type", "x-api-key", "authorization"], "expose_headers": [], "max_age": 600,
            "allow_credentials": False}
    assert module.validate_params(params(cors=cors, health_route={"path": "/health", "query": "{__typename}"})) is None
    assert module.validate_params(params(cors=dict(cors, allow_origins=[]))) is None


# -------------------------------------------------------------- reads of a no-op (issue 13 item 2)

CERTIFICATE = "arn:aws:acm:eu-central-1:123456789012:certificate/c1"


class UpToDateGateway:
    """An HTTP API proxy with its custom domain, all as wanted: counts every read; any other call is a write and fails."""

    def __init__(self):
        proxy = module.gw.build_integration(URL, {"x-api-key": "k"}, 30000)
        self.answers = {
            "get_apis": {"Items": [dict(owned("api1", "2026-01-01T00:00:01"), Tags={"app": "a", "managed-by": "multiregion.appsync"})]},
            "get_integrations": {"Items": [dict(proxy, IntegrationId="i1")]},
            "get_routes": {"Items": [{"RouteId": "r1", "RouteKey": "POST /", "Target": "integrations/i1"}]},
            "get_stage": module.gw.build_stage(None, None),
            "get_domain_name": {"DomainName": "api.example.com", "DomainNameArn": DOMAIN_ARN,
                                "Tags": {"app": "a", "managed-by": "multiregion.appsync"},
                                "DomainNameConfigurations": [dict(module.gw.build_domain_configuration(CERTIFICATE),
                                                                  DomainNameStatus="AVAILABLE", HostedZoneId="Z1",
                                                                  ApiGatewayDomainName="d-1.execute-api.eu-central-1.amazonaws.com")]},
            "get_api_mappings": {"Items": [{"ApiMappingId": "m1", "ApiMappingKey": "graphql", "ApiId": "api1", "Stage": "$default"}]},
        }
        self.calls = []

    def __getattr__(self, name):
        if name not in self.answers:
            raise AssertionError("unexpected call %s" % name)

        def read(**kwargs):
            self.calls.append(name)
            return self.answers[name]
        return read


def test_a_no_op_reads_each_part_once_and_the_custom_domain_once():
    gateway = UpToDateGateway()
    ansible_module = present_module(domain_name="api.example.com", certificate_arn=CERTIFICATE, throttling=None, access_log=None,
                                    realtime_url=None, wait=True)
    ansible_module.client = lambda service, **kwargs: pytest.fail("a no-op made a client for creates")
    result, before, after = module.ensure_present(ansible_module, gateway)
    assert result["changed"] is False and result["actions"] == []
    assert sorted(gateway.calls) == ["get_api_mappings", "get_apis", "get_domain_name", "get_integrations", "get_routes", "get_stage"]
    assert result["domain"]["alias_target"] == {"dns_name": "d-1.execute-api.eu-central-1.amazonaws.com", "hosted_zone_id": "Z1"}
    assert before == after
