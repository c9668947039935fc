# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.exceptions
import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as r53
from ansible_collections.multiregion.appsync.plugins.modules import route53_geo_record as mod

NAME = "api.example.com"
SET_ID = "app-eu-central-1"


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, check_mode=False, diff=False, region="eu-central-1", **params):
        self.params = {
            "state": "present", "hosted_zone_name": "example.com", "hosted_zone_id": None, "record_name": NAME,
            "set_identifier": SET_ID, "geo_location": {"continent_code": "EU", "country_code": None, "subdivision_code": None},
            "alias_target": None, "apigw_domain_name": None, "evaluate_target_health": True, "record_types": ["A"],
            "health_check": None, "wait": True, "wait_timeout": 300,
        }
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.region = region
        self.warnings = []
        self.clients = {}

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def fail_json_aws(self, e, msg=None, **kwargs):
        raise Failed(msg)

    def warn(self, msg):
        self.warnings.append(msg)

    def client(self, service, **kwargs):
        return self.clients[service]


def not_found(operation="GetDomainName"):
    return botocore.exceptions.ClientError({"Error": {"Code": "NotFoundException", "Message": "nope"}}, operation)


class FakeApigw:
    def __init__(self, response=None, error=None):
        self.response, self.error = response, error

    def get_domain_name(self, DomainName):
        if self.error:
            raise self.error
        return self.response


# ---- validation before any call -------------------------------------------

def test_validate_params_bad_continent_is_one_line():
    module = FakeModule(geo_location={"continent_code": "XX"}, alias_target={"dns_name": "d.example.net", "hosted_zone_id": "Z1"})
    with pytest.raises(Failed) as err:
        mod.validate_params(module)
    assert str(err.value) == "geo_location.continent_code 'XX' is not a Route53 continent code (AF AN AS EU NA OC SA)"


def test_validate_params_returns_geo_and_check():
    module = FakeModule(alias_target={"dns_name": "d.example.net", "hosted_zone_id": "Z1"},
                        health_check={"type": "CLOUDWATCH_METRIC", "alarm_name": "app-5xx", "alarm_region": None,
                                      "insufficient_data_health_status": "Healthy"})
    geo, hc = mod.validate_params(module)
    assert geo == {"ContinentCode": "EU"}
    assert hc["AlarmIdentifier"] == {"Region": "eu-central-1", "Name": "app-5xx"}
    assert hc["InsufficientDataHealthStatus"] == "Healthy"


def test_validate_params_needs_geo_when_present():
    with pytest.raises(Failed, match="geo_location is required"):
        mod.validate_params(FakeModule(geo_location=None))
    assert mod.validate_params(FakeModule(state="absent", geo_location=None)) == (None, None)


def test_validate_params_health_check_on_global_hostname():
    health_check = {"type": "HTTPS", "fqdn": NAME, "resource_path": "/", "port": 443, "request_interval": 30, "failure_threshold": 3}
    module = FakeModule(apigw_domain_name=NAME, health_check=health_check)
    with pytest.raises(Failed, match="health_check.fqdn 'api.example.com' is the geolocation hostname"):
        mod.validate_params(module)


# ---- alias target ----------------------------------------------------------

def test_alias_target_direct():
    module = FakeModule(alias_target={"dns_name": "D-1.example.net", "hosted_zone_id": "Z1"})
    assert mod.resolve_alias_target(module) == {"DNSName": "d-1.example.net.", "HostedZoneId": "Z1"}


def test_alias_target_from_apigw_domain():
    module = FakeModule(apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw({"DomainName": NAME, "DomainNameConfigurations": [
        {"ApiGatewayDomainName": "d-xyz.execute-api.eu-central-1.amazonaws.com", "HostedZoneId": "Z1U9ULNL0V5AJ3"}]})
    assert mod.resolve_alias_target(module) == {"DNSName": "d-xyz.execute-api.eu-central-1.amazonaws.com.", "HostedZoneId": "Z1U9ULNL0V5AJ3"}


def test_alias_target_apigw_domain_without_target_fields_fails():
    module = FakeModule(apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw({"DomainName": NAME, "DomainNameConfigurations": [{"EndpointType": "REGIONAL"}]})
    with pytest.raises(Failed, match="no ApiGatewayDomainName/HostedZoneId"):
        mod.resolve_alias_target(module)


def test_alias_target_apigw_domain_missing():
    module = FakeModule(apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw(error=not_found())
    with pytest.raises(Failed, match="no API Gateway custom domain of that name in eu-central-1"):
        mod.resolve_alias_target(module)
    check = FakeModule(check_mode=True, apigw_domain_name=NAME)
    check.clients["apigatewayv2"] = FakeApigw(error=not_found())
    assert mod.resolve_alias_target(check) is None
    assert check.warnings


# ---- health check lifecycle (r53 client calls replaced) ----------------------

HC_CONFIG = {"Type": "HTTPS", "FullyQualifiedDomainName": "abc.execute-api.eu-central-1.amazonaws.com", "Port": 443,
             "ResourcePath": "/", "RequestInterval": 30, "FailureThreshold": 3, "EnableSNI": True}


@pytest.fixture
def calls(monkeypatch):
    log = []

    def create(client, ref, config):
        log.append(("create", ref, config))
        return {"Id": "new-id", "CallerReference": ref, "HealthCheckConfig": config, "HealthCheckVersion": 1}

    def update(client, check_id, version, updates):
        log.append(("update", check_id, version, updates))
        return {"Id": check_id, "HealthCheckConfig": dict(HC_CONFIG, **updates), "HealthCheckVersion": version + 1}

    def tag(client, check_id, tags):
        log.append(("tag", check_id))

    monkeypatch.setattr(r53, "create_health_check", create)
    monkeypatch.setattr(r53, "update_health_check", update)
    monkeypatch.setattr(r53, "tag_health_check", tag)
    return log


def existing(check_id="old-id", **config):
    return {"Id": check_id, "CallerReference": "ref", "HealthCheckConfig": dict(HC_CONFIG, **config), "HealthCheckVersion": 4}


def owned_tags(check_id="old-id"):
    return {check_id: r53.health_check_tags(NAME, SET_ID)}


def test_health_check_create_tags_in_the_same_run(calls):
    check, changed, to_delete, before = mod.ensure_health_check(FakeModule(), None, HC_CONFIG, [], {})
    assert changed and to_delete == [] and before is None
    assert [c[0] for c in calls] == ["create", "tag"]
    assert calls[0][1].startswith(r53.caller_reference_prefix(NAME, SET_ID))
    assert check["id"] == "new-id" and check["tags"]["managed-by"] == "multiregion.appsync"


def test_health_check_unchanged_makes_no_call(calls):
    check, changed, to_delete, _before = mod.ensure_health_check(FakeModule(), None, HC_CONFIG, [existing()], owned_tags())
    assert not changed and to_delete == [] and calls == []
    assert check["id"] == "old-id"


def test_health_check_update_in_place(calls):
    check, changed, to_delete, before = mod.ensure_health_check(
        FakeModule(), None, dict(HC_CONFIG, FailureThreshold=5), [existing()], owned_tags())
    assert changed and to_delete == []
    assert calls == [("update", "old-id", 4, {"FailureThreshold": 5})]
    assert check["health_check_config"]["failure_threshold"] == 5
    assert before["health_check_config"]["failure_threshold"] == 3


def test_health_check_replace_on_immutable_change(calls):
    check, changed, to_delete, _before = mod.ensure_health_check(
        FakeModule(), None, dict(HC_CONFIG, RequestInterval=10), [existing()], owned_tags())
    assert changed and to_delete == ["old-id"] and check["id"] == "new-id"
    assert [c[0] for c in calls] == ["create", "tag"]


def test_health_check_removed_when_not_wanted(calls):
    check, changed, to_delete, before = mod.ensure_health_check(FakeModule(), None, None, [existing()], owned_tags())
    assert check is None and changed and to_delete == ["old-id"] and before["id"] == "old-id"
    assert calls == []


def test_health_check_check_mode_makes_no_call(calls):
    for owned, config in (([], HC_CONFIG), ([existing()], dict(HC_CONFIG, FailureThreshold=5)), ([existing()], dict(HC_CONFIG, RequestInterval=10))):
        check, changed, _to_delete, _before = mod.ensure_health_check(FakeModule(check_mode=True), None, config, owned, owned_tags())
        assert changed
    assert calls == []


def test_health_check_untagged_leftover_gets_tagged(calls):
    check, changed, to_delete, _before = mod.ensure_health_check(FakeModule(), None, HC_CONFIG, [existing()], {})
    assert changed and to_delete == [] and check["id"] == "old-id"
    assert calls == [("tag", "old-id")]
