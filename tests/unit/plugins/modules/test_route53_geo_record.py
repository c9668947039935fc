# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import botocore.exceptions
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

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
            "health_check": None, "default_set_identifier": None, "expected_set_identifiers": None, "wait": True, "wait_timeout": 300,
        }
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = diff
        self.region = region
        self.clients = {}

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def fail_json_aws(self, e, msg=None, **kwargs):
        raise Failed(msg)

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


def test_alias_target_apigw_domain_missing(warnings_seen):
    module = FakeModule(apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw(error=not_found())
    with pytest.raises(Failed, match="no API Gateway custom domain of that name in eu-central-1"):
        mod.resolve_alias_target(module)
    check = FakeModule(check_mode=True, apigw_domain_name=NAME)
    check.clients["apigatewayv2"] = FakeApigw(error=not_found())
    assert mod.resolve_alias_target(check) is None
    assert warnings_seen == ["apigw_domain_name %s does not exist yet in eu-central-1; the alias target is unknown" % NAME]


def test_a_warning_comes_once_and_without_a_deprecation(aws, run_main, monkeypatch):
    # AnsibleAWSModule.warn (amazon.aws 10) would also pass it to exit_json: deprecated in ansible-core 2.19
    monkeypatch.setattr(mod, "resolve_zone", lambda module, client: ZONE)
    result = run_main(mod, FakeApigw(error=not_found()), hosted_zone_id=ZONE["Id"], record_name=NAME, set_identifier=SET_ID,
                      geo_location={"continent_code": "EU"}, apigw_domain_name=NAME, region="eu-central-1",
                      _ansible_check_mode=True)
    assert result["changed"] and aws["writes"] == []
    assert [w["event"]["msg"] for w in result["warnings"]] == ["apigw_domain_name %s does not exist yet in eu-central-1; the alias target is unknown" % NAME]
    assert "deprecations" not in result


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
    return {"Id": check_id, "CallerReference": r53.CALLER_REFERENCE_PREFIX + "ref", "HealthCheckConfig": dict(HC_CONFIG, **config),
            "HealthCheckVersion": 4}


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


def test_validate_params_set_identifier_length():
    with pytest.raises(Failed, match="set_identifier"):
        mod.validate_params(FakeModule(set_identifier="x" * 129, alias_target={"dns_name": "d.example.net", "hosted_zone_id": "Z1"}))


# ---- ensure_present / ensure_absent with the Route53 calls replaced ----------

ZONE = {"Id": "Z1", "Name": "example.com."}
TARGET = {"dns_name": "d-abc.execute-api.eu-central-1.amazonaws.com", "hosted_zone_id": "Z1U9ULNL0V5AJ3"}


def aws_record(rtype="A", set_id=SET_ID, geo=None, dns="d-abc.execute-api.eu-central-1.amazonaws.com.", name="api.example.com.", hc=None):
    rec = {"Name": name, "Type": rtype, "SetIdentifier": set_id, "GeoLocation": geo or {"ContinentCode": "EU"},
           "AliasTarget": {"HostedZoneId": "Z1U9ULNL0V5AJ3", "DNSName": dns, "EvaluateTargetHealth": True}}
    if hc:
        rec["HealthCheckId"] = hc
    return rec


@pytest.fixture
def aws(monkeypatch):
    """A fake Route53 state; `writes` logs every write the module makes."""
    state = {"records": [], "checks": [], "tags": {}, "writes": []}

    monkeypatch.setattr(r53, "list_record_sets_for_name", lambda client, zone_id, name: list(state["records"]))
    monkeypatch.setattr(r53, "list_health_checks", lambda client: list(state["checks"]))
    monkeypatch.setattr(r53, "health_check_tags_by_id", lambda client, ids: dict(state["tags"]))

    def change(client, zone_id, changes, comment=None):
        state["writes"].append(("change", changes))
        return {"Id": "/change/1", "Status": "INSYNC"}

    monkeypatch.setattr(r53, "change_record_sets", change)
    monkeypatch.setattr(r53, "wait_for_change", lambda client, info, timeout: info)
    monkeypatch.setattr(r53, "delete_health_check", lambda client, check_id: state["writes"].append(("delete_check", check_id)))
    monkeypatch.setattr(r53, "create_health_check", lambda client, ref, config: state["writes"].append(("create_check", config))
                        or {"Id": "new-id", "CallerReference": ref, "HealthCheckConfig": config, "HealthCheckVersion": 1})
    monkeypatch.setattr(r53, "update_health_check", lambda *a: pytest.fail("no update expected"))
    monkeypatch.setattr(r53, "tag_health_check", lambda client, check_id, tags: state["writes"].append(("tag", check_id)))
    return state


def present(module):
    geo, hc = mod.validate_params(module)
    return mod.ensure_present(module, None, ZONE, geo, hc)


def test_present_creates_and_diffs(aws):
    foreign = [aws_record(set_id="app-us", geo={"ContinentCode": "NA"}), aws_record(name="other.example.com.")]
    aws["records"] = list(foreign)
    module = FakeModule(diff=True, alias_target=TARGET, record_types=["A", "AAAA"])
    result = present(module)
    assert result["changed"]
    (kind, changes), = aws["writes"]
    assert kind == "change"
    assert [(c["Action"], c["ResourceRecordSet"]["Type"], c["ResourceRecordSet"]["SetIdentifier"]) for c in changes] == [
        ("UPSERT", "A", SET_ID), ("UPSERT", "AAAA", SET_ID)]
    assert result["diff"]["before"] == {"records": [], "health_check": None}
    assert [r["type"] for r in result["diff"]["after"]["records"]] == ["A", "AAAA"]
    assert result["record"]["types"] == ["A", "AAAA"] and result["change_id"] == "/change/1"


def test_present_returns_the_coverage_after_its_change_without_another_read(aws):
    aws["records"] = [aws_record(set_id="app-us", geo={"ContinentCode": "NA"}), aws_record(geo={"CountryCode": "DE"})]
    module = FakeModule(alias_target=TARGET, expected_set_identifiers=["app-us", SET_ID, "app-jp"])
    coverage = present(module)["coverage"]
    assert coverage["continents"] == {"NA": "app-us", "EU": SET_ID} and coverage["countries"] == {}
    assert coverage["missing"] == ["app-jp"] and coverage["default"] is None
    # check mode predicts the same coverage, without a write
    assert present(FakeModule(check_mode=True, alias_target=TARGET, expected_set_identifiers=["app-us", SET_ID, "app-jp"]))["coverage"] == coverage
    assert [kind for kind, _changes in aws["writes"]] == ["change"]


DEFAULT_ID = "app-default"


def test_present_keeps_the_default_records_in_the_same_batch(aws):
    aws["records"] = [aws_record(set_id="app-us", geo={"ContinentCode": "NA"})]
    result = present(FakeModule(diff=True, alias_target=TARGET, record_types=["A", "AAAA"], default_set_identifier=DEFAULT_ID,
                                expected_set_identifiers=["app-us", SET_ID]))
    (kind, changes), = aws["writes"]
    assert [(c["Action"], c["ResourceRecordSet"]["Type"], c["ResourceRecordSet"]["SetIdentifier"],
             c["ResourceRecordSet"]["GeoLocation"]) for c in changes] == [
        ("UPSERT", "A", SET_ID, {"ContinentCode": "EU"}), ("UPSERT", "AAAA", SET_ID, {"ContinentCode": "EU"}),
        ("UPSERT", "A", DEFAULT_ID, {"CountryCode": "*"}), ("UPSERT", "AAAA", DEFAULT_ID, {"CountryCode": "*"})]
    default = [c["ResourceRecordSet"] for c in changes if c["ResourceRecordSet"]["SetIdentifier"] == DEFAULT_ID]
    assert all(r["AliasTarget"]["DNSName"].rstrip(".") == TARGET["dns_name"] and "HealthCheckId" not in r for r in default)
    assert result["default_record"]["set_identifier"] == DEFAULT_ID and result["default_record"]["types"] == ["A", "AAAA"]
    assert result["coverage"]["default"] == DEFAULT_ID and result["coverage"]["continents"] == {"NA": "app-us", "EU": SET_ID}
    assert result["diff"]["before"]["default_records"] == [] and len(result["diff"]["after"]["default_records"]) == 2


def test_present_with_the_default_records_as_wanted_writes_nothing(aws):
    aws["records"] = [aws_record(), aws_record(set_id=DEFAULT_ID, geo={"CountryCode": "*"})]
    result = present(FakeModule(alias_target=TARGET, default_set_identifier=DEFAULT_ID))
    assert not result["changed"] and aws["writes"] == []
    # the default records moving to another target: one UPSERT of them only
    aws["records"] = [aws_record(), aws_record(set_id=DEFAULT_ID, geo={"CountryCode": "*"}, dns="d-old.execute-api.us-east-1.amazonaws.com.")]
    assert present(FakeModule(alias_target=TARGET, default_set_identifier=DEFAULT_ID))["changed"]
    (kind, changes), = aws["writes"]
    assert [(c["Action"], c["ResourceRecordSet"]["SetIdentifier"]) for c in changes] == [("UPSERT", DEFAULT_ID)]


def test_present_default_records_taken_by_another_set_identifier_fails_before_any_write(aws):
    aws["records"] = [aws_record(set_id="someone-default", geo={"CountryCode": "*"})]
    with pytest.raises(Failed, match="^geo_location default of api.example.com is already answered by set identifier someone-default"):
        present(FakeModule(alias_target=TARGET, default_set_identifier=DEFAULT_ID))
    assert aws["writes"] == []


def test_present_a_record_of_another_routing_policy_at_the_name_fails_before_any_write(aws):
    simple = {"Name": "api.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.1"}]}
    aws["records"] = [simple]
    hc = {"type": "HTTPS", "fqdn": "abc.execute-api.eu-central-1.amazonaws.com", "resource_path": "/health", "port": 443,
          "search_string": None, "request_interval": 30, "failure_threshold": 3, "alarm_name": None, "alarm_region": None,
          "insufficient_data_health_status": "LastKnownStatus"}
    for check_mode in (True, False):
        with pytest.raises(Failed, match="^api.example.com already has a record of type A; Route53 keeps no geolocation record beside"):
            present(FakeModule(check_mode=check_mode, alias_target=TARGET, health_check=hc))
    assert aws["writes"] == []  # not even the health check
    aws["records"] = [dict(simple, Type="CNAME")]
    with pytest.raises(Failed, match="already has a record of type CNAME;"):
        present(FakeModule(alias_target=TARGET, record_types=["AAAA"]))
    assert aws["writes"] == []


def test_present_moves_this_region_off_the_default_location_while_the_default_records_take_it(aws):
    aws["records"] = [aws_record(geo={"CountryCode": "*"})]  # this region once answered `*` itself
    result = present(FakeModule(alias_target=TARGET, default_set_identifier=DEFAULT_ID))
    (kind, changes), = aws["writes"]
    assert [(c["ResourceRecordSet"]["SetIdentifier"], c["ResourceRecordSet"]["GeoLocation"]) for c in changes] == [
        (SET_ID, {"ContinentCode": "EU"}), (DEFAULT_ID, {"CountryCode": "*"})]
    assert result["coverage"]["default"] == DEFAULT_ID and result["coverage"]["overlaps"] == []


def test_the_default_location_with_default_set_identifier_is_refused():
    with pytest.raises(Failed, match="^geo_location country_code '\\*' is the default records' location"):
        mod.validate_params(FakeModule(alias_target=TARGET, geo_location={"country_code": "*"}, default_set_identifier=DEFAULT_ID))


def test_default_set_identifier_must_differ():
    with pytest.raises(Failed, match="^default_set_identifier 'app-eu-central-1' must differ from set_identifier$"):
        mod.validate_params(FakeModule(alias_target=TARGET, default_set_identifier=SET_ID))


def test_absent_removes_the_default_records_too(aws):
    ours, default = aws_record(), aws_record(set_id=DEFAULT_ID, geo={"CountryCode": "*"})
    aws["records"] = [ours, default, aws_record(set_id="app-us", geo={"ContinentCode": "NA"})]
    result = mod.ensure_absent(FakeModule(state="absent", default_set_identifier=DEFAULT_ID), None, ZONE)
    assert result["changed"] and result["coverage"]["default"] is None
    assert aws["writes"] == [("change", [{"Action": "DELETE", "ResourceRecordSet": r} for r in (ours, default)])]


def test_absent_returns_the_coverage_without_its_records(aws):
    aws["records"] = [aws_record(set_id="app-us", geo={"ContinentCode": "NA"}), aws_record()]
    coverage = mod.ensure_absent(FakeModule(state="absent", expected_set_identifiers=[SET_ID]), None, ZONE)["coverage"]
    assert coverage["continents"] == {"NA": "app-us"} and coverage["missing"] == [SET_ID]


def test_present_unchanged_makes_no_write(aws):
    aws["records"] = [aws_record(dns="D-ABC.execute-api.eu-central-1.amazonaws.com")]
    result = present(FakeModule(diff=True, alias_target=TARGET))
    assert not result["changed"] and aws["writes"] == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_present_check_mode_predicts_without_writing(aws):
    aws["records"] = [aws_record()]
    result = present(FakeModule(check_mode=True, diff=True, alias_target=TARGET,
                                geo_location={"country_code": "US", "subdivision_code": "TX"}))
    assert result["changed"] and aws["writes"] == []
    assert result["diff"]["before"]["records"][0]["geo_location"] == {"continent_code": "EU"}
    assert result["diff"]["after"]["records"][0]["geo_location"] == {"country_code": "US", "subdivision_code": "TX"}


def test_present_drops_unwanted_aaaa_with_exact_record(aws):
    current_aaaa = aws_record("AAAA")
    aws["records"] = [aws_record("A"), current_aaaa]
    result = present(FakeModule(alias_target=TARGET))
    assert result["changed"]
    assert aws["writes"] == [("change", [{"Action": "DELETE", "ResourceRecordSet": current_aaaa}])]


def test_present_removes_owned_check_after_detaching(aws):
    aws["records"] = [aws_record(hc="old-id")]
    aws["checks"] = [existing()]
    aws["tags"] = owned_tags()
    result = present(FakeModule(alias_target=TARGET))
    assert result["changed"] and result["health_check"] is None
    assert [w[0] for w in aws["writes"]] == ["change", "delete_check"]
    assert "HealthCheckId" not in aws["writes"][0][1][0]["ResourceRecordSet"]


def test_present_refuses_two_owned_checks(aws):
    aws["checks"] = [existing("a"), existing("b")]
    aws["tags"] = dict(owned_tags("a"), **owned_tags("b"))
    hc = {"type": "HTTPS", "fqdn": "abc.execute-api.eu-central-1.amazonaws.com", "resource_path": "/", "port": 443,
          "request_interval": 30, "failure_threshold": 3, "search_string": None}
    with pytest.raises(Failed, match="2 health checks are tagged for .*: a, b"):
        present(FakeModule(alias_target=TARGET, health_check=hc))
    assert aws["writes"] == []


def test_present_creates_check_and_attaches_it(aws):
    hc = {"type": "HTTPS", "fqdn": "abc.execute-api.eu-central-1.amazonaws.com", "resource_path": "/", "port": 443,
          "request_interval": 30, "failure_threshold": 3, "search_string": None}
    result = present(FakeModule(alias_target=TARGET, health_check=hc))
    assert [w[0] for w in aws["writes"]] == ["create_check", "tag", "change"]
    assert aws["writes"][2][1][0]["ResourceRecordSet"]["HealthCheckId"] == "new-id"
    assert result["record"]["health_check_id"] == "new-id"


def test_absent_deletes_only_ours(aws):
    ours = [aws_record("A", hc="old-id"), aws_record("AAAA", hc="old-id")]
    aws["records"] = ours + [aws_record(set_id="app-us", geo={"ContinentCode": "NA"})]
    aws["checks"] = [existing(), existing("someone-elses")]
    aws["tags"] = dict(owned_tags(), **{"someone-elses": {"managed-by": "other"}})
    result = mod.ensure_absent(FakeModule(state="absent", diff=True), None, ZONE)
    assert result["changed"]
    assert aws["writes"] == [("change", [{"Action": "DELETE", "ResourceRecordSet": r} for r in ours]), ("delete_check", "old-id")]
    assert len(result["diff"]["before"]["records"]) == 2 and result["diff"]["after"] == {"records": [], "health_check": None}


def test_absent_again_and_check_mode_write_nothing(aws):
    assert not mod.ensure_absent(FakeModule(state="absent"), None, ZONE)["changed"]
    aws["records"] = [aws_record()]
    assert mod.ensure_absent(FakeModule(state="absent", check_mode=True), None, ZONE)["changed"]
    assert aws["writes"] == []


def test_present_check_mode_unknown_apigw_domain(aws):
    module = FakeModule(check_mode=True, apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw(error=not_found())
    result = present(module)
    assert result["changed"] and aws["writes"] == []
    assert result["record"]["alias_target"] is None and result["records"][0]["alias_target"] is None


def test_present_location_taken_by_another_set_identifier_fails_before_any_write(aws):
    # Route53 refuses a second A record for EU at this name: fail naming both, in check mode too.
    aws["records"] = [aws_record(set_id="app-eu2"), aws_record("AAAA", set_id="app-eu3")]
    for check_mode in (True, False):
        with pytest.raises(Failed, match=r"^geo_location continent:EU of api.example.com is already answered by set identifier app-eu2 \(A\);"):
            present(FakeModule(check_mode=check_mode, alias_target=TARGET, health_check={"type": "HTTPS", "fqdn": "x.example.net"}))
    assert aws["writes"] == []
    # Another type for the same location is what Route53 allows (and coverage reports as an overlap).
    aws["records"] = [aws_record("AAAA", set_id="app-eu3")]
    assert present(FakeModule(alias_target=TARGET))["changed"]


def test_only_checks_made_by_the_collection_have_their_tags_read(monkeypatch):
    checks = [existing("ours"), {"Id": "manual", "CallerReference": "console-123", "HealthCheckConfig": HC_CONFIG}]
    asked = []
    monkeypatch.setattr(r53, "list_health_checks", lambda client: list(checks))
    monkeypatch.setattr(r53, "health_check_tags_by_id", lambda client, ids: asked.append(list(ids)) or owned_tags("ours"))
    owned, _tags = mod.find_owned_health_checks(FakeModule(), None)
    assert asked == [["ours"]] and [c["Id"] for c in owned] == ["ours"]
    checks.pop(0)
    assert mod.find_owned_health_checks(FakeModule(), None) == ([], {}) and asked == [["ours"]]


def test_alias_target_apigw_other_errors_are_raised_for_main():
    module = FakeModule(apigw_domain_name=NAME)
    denied = botocore.exceptions.ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetDomainName")
    module.clients["apigatewayv2"] = FakeApigw(error=denied)
    with pytest.raises(AnsibleAWSError, match="custom domain name"):
        mod.resolve_alias_target(module)


def test_validate_params_wait_timeout_before_any_write():
    # Checked up front: a zero timeout would otherwise fail only after ChangeResourceRecordSets.
    with pytest.raises(Failed, match="^wait_timeout must be at least 1, got 0$"):
        mod.validate_params(FakeModule(wait_timeout=0, alias_target={"dns_name": "d.example.net", "hosted_zone_id": "Z1"}))
    assert mod.validate_params(FakeModule(wait=False, wait_timeout=0, alias_target={"dns_name": "d.example.net", "hosted_zone_id": "Z1"}))


# ---- hosted zone: the one resolver, public zone of a split-horizon pair --------

SPLIT = [{"Id": "PRIV", "Name": "example.com.", "Config": {"PrivateZone": True}},
         {"Id": "PUB", "Name": "example.com.", "Config": {"PrivateZone": False}}]


def test_split_horizon_writes_into_the_public_zone(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: list(SPLIT))
    assert mod.resolve_zone(FakeModule(), None)["Id"] == "PUB"


def test_a_private_only_zone_fails_naming_it(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: SPLIT[:1])
    with pytest.raises(Failed, match=r"^hosted_zone_name example.com: only a private hosted zone has that name \(PRIV\)"):
        mod.resolve_zone(FakeModule(), None)


def test_a_private_zone_by_id_fails_naming_it(monkeypatch):
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: dict(SPLIT[0]))
    with pytest.raises(Failed, match="^hosted_zone_id PRIV: example.com. is a private hosted zone"):
        mod.resolve_zone(FakeModule(hosted_zone_id="PRIV", hosted_zone_name=None), None)


def test_zone_id_and_name_given_together_are_taken_as_they_are(monkeypatch):
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: pytest.fail("ListHostedZonesByName called"))
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: pytest.fail("GetHostedZone called"))
    assert mod.resolve_zone(FakeModule(hosted_zone_id="PUB"), None) == {"Id": "PUB", "Name": "example.com."}
    with pytest.raises(Failed, match="^record_name api.example.com is not inside hosted zone example.net$"):
        mod.resolve_zone(FakeModule(hosted_zone_id="PUB", hosted_zone_name="example.net"), None)


def test_alias_target_from_apigw_domain_uses_the_regional_configuration():
    # apigatewayv2.alias_target is the one reader of a custom domain's target
    module = FakeModule(apigw_domain_name=NAME)
    module.clients["apigatewayv2"] = FakeApigw({"DomainName": NAME, "DomainNameConfigurations": [
        {"EndpointType": "EDGE", "ApiGatewayDomainName": "d-edge.cloudfront.net", "HostedZoneId": "Z2FDTNDATAQYW2"},
        {"EndpointType": "REGIONAL", "ApiGatewayDomainName": "d-xyz.execute-api.eu-central-1.amazonaws.com",
         "HostedZoneId": "Z1U9ULNL0V5AJ3"}]})
    assert mod.resolve_alias_target(module) == {"DNSName": "d-xyz.execute-api.eu-central-1.amazonaws.com.",
                                                "HostedZoneId": "Z1U9ULNL0V5AJ3"}


class RecordingApigw(FakeApigw):
    def __init__(self, response):
        super().__init__(response)
        self.asked = []

    def get_domain_name(self, DomainName):
        self.asked.append(DomainName)
        return super().get_domain_name(DomainName)


def test_apigw_domain_name_is_read_as_the_dns_name_api_gateway_keeps():
    module = FakeModule(apigw_domain_name="API.Example.com.")
    apigw = RecordingApigw({"DomainName": NAME, "DomainNameConfigurations": [
        {"ApiGatewayDomainName": "d-xyz.execute-api.eu-central-1.amazonaws.com", "HostedZoneId": "Z1U9ULNL0V5AJ3"}]})
    module.clients["apigatewayv2"] = apigw
    mod.validate_params(module)
    assert module.params["apigw_domain_name"] == "api.example.com"
    assert mod.resolve_alias_target(module)["DNSName"] == "d-xyz.execute-api.eu-central-1.amazonaws.com."
    assert apigw.asked == ["api.example.com"]


# ---- ListHealthChecks only when a check of ours can serve the record -------------------------

def test_no_health_check_wanted_nor_attached_lists_none(aws, monkeypatch):
    monkeypatch.setattr(r53, "list_health_checks", lambda client: pytest.fail("ListHealthChecks called"))
    aws["records"] = [aws_record()]
    assert not present(FakeModule(alias_target=TARGET))["changed"] and aws["writes"] == []
    aws["records"] = []
    assert present(FakeModule(alias_target=TARGET))["changed"]


def test_a_region_that_turns_its_health_check_off_lists_and_deletes_it(aws, monkeypatch):
    listed = []
    monkeypatch.setattr(r53, "list_health_checks", lambda client: listed.append("ListHealthChecks") or list(aws["checks"]))
    aws["records"] = [aws_record(hc="old-id"), aws_record("AAAA")]
    aws["checks"] = [existing()]
    aws["tags"] = owned_tags()
    result = present(FakeModule(alias_target=TARGET, record_types=["A", "AAAA"]))
    assert listed == ["ListHealthChecks"] and result["changed"] and result["health_check"] is None
    assert [w[0] for w in aws["writes"]] == ["change", "delete_check"]


def test_may_own_health_check():
    assert not mod.may_own_health_check(None, {})
    assert not mod.may_own_health_check(None, {"A": aws_record()})
    assert mod.may_own_health_check(None, {"A": aws_record(), "AAAA": aws_record("AAAA", hc="x")})
    assert mod.may_own_health_check({"Type": "HTTPS"}, {})
