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
            "wait_timeout": 300}
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
    result = module.api_result(api, integration, ["POST /"], {"StageName": "$default", "AutoDeploy": True})
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


def make_proxy(client, check_mode, **overrides):
    fake_module = SimpleNamespace(params=params(**overrides), check_mode=check_mode)
    return module.Proxy(fake_module, client)


def test_check_mode_predicts_an_integration_update_without_writing():
    current = {"IntegrationId": "i1", "IntegrationType": "HTTP_PROXY", "IntegrationMethod": "ANY", "IntegrationUri": URL,
               "PayloadFormatVersion": "1.0", "TimeoutInMillis": 30000, "RequestParameters": {"overwrite:header.x-api-key": "k"}}
    client = FakeClient([current])
    proxy = make_proxy(client, True)
    desired = module.gw.build_integration("https://new/graphql", {"x-api-key": "k"}, 30000)
    result = proxy.ensure_integration("a1", desired)
    assert proxy.changed and proxy.writes == ["update integration"]
    assert result["IntegrationUri"] == "https://new/graphql"
    assert client.calls == ["get_integrations"]


def test_unchanged_integration_is_not_written():
    desired = module.gw.build_integration(URL, {"x-api-key": "k"}, 30000)
    client = FakeClient([dict(desired, IntegrationId="i1")])
    proxy = make_proxy(client, False)
    proxy.ensure_integration("a1", desired)
    assert not proxy.changed and proxy.writes == []


class Failed(Exception):
    pass


def test_domain_waiting_for_its_owner_fails_at_once_naming_the_status(monkeypatch):
    def fail_json(msg):
        raise Failed(msg)
    monkeypatch.setattr(module.time, "sleep", lambda seconds: pytest.fail("no wait expected for a blocked domain"))
    proxy = make_proxy(FakeClient([]), False)
    proxy.module.fail_json = fail_json
    domain = {"DomainName": "api.example.com", "DomainNameConfigurations": [
        {"EndpointType": "REGIONAL", "DomainNameStatus": "PENDING_CERTIFICATE_REIMPORT", "DomainNameStatusMessage": "reimport it"}]}
    with pytest.raises(Failed, match="domain_name: custom domain api.example.com is PENDING_CERTIFICATE_REIMPORT.*reimport it"):
        proxy.wait_for_domain("api.example.com", domain)
