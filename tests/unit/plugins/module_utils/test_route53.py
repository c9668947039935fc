# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from botocore.exceptions import ClientError

from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as r53
from ansible_collections.multiregion.appsync.plugins.module_utils import route53_geo

NAME = "api.example.com"
TARGET = {"DNSName": "d-abc.execute-api.eu-central-1.amazonaws.com.", "HostedZoneId": "Z1U9ULNL0V5AJ3"}


def record(rtype="A", set_id="app-eu", geo=None, dns="d-abc.execute-api.eu-central-1.amazonaws.com.", hc=None, name="api.example.com.", evaluate=True):
    rec = {
        "Name": name,
        "Type": rtype,
        "SetIdentifier": set_id,
        "GeoLocation": geo or {"ContinentCode": "EU"},
        "AliasTarget": {"HostedZoneId": "Z1U9ULNL0V5AJ3", "DNSName": dns, "EvaluateTargetHealth": evaluate},
    }
    if hc:
        rec["HealthCheckId"] = hc
    return rec


# ---- validation -----------------------------------------------------------

@pytest.mark.parametrize("geo, expected", [
    ({"continent_code": "EU"}, {"ContinentCode": "EU"}),
    ({"continent_code": "eu"}, {"ContinentCode": "EU"}),
    ({"country_code": "DE"}, {"CountryCode": "DE"}),
    ({"country_code": "ua"}, {"CountryCode": "UA"}),
    ({"country_code": "*"}, {"CountryCode": "*"}),
    ({"country_code": "US", "subdivision_code": "TX"}, {"CountryCode": "US", "SubdivisionCode": "TX"}),
    ({"country_code": "US", "subdivision_code": "DC"}, {"CountryCode": "US", "SubdivisionCode": "DC"}),
    ({"country_code": "US", "subdivision_code": "PR"}, {"CountryCode": "US", "SubdivisionCode": "PR"}),
    ({"continent_code": "AN", "country_code": None, "subdivision_code": None}, {"ContinentCode": "AN"}),
])
def test_validate_geo_location_accepts(geo, expected):
    assert route53_geo.validate_geo_location(geo) == expected


@pytest.mark.parametrize("geo, fragments", [
    ({"continent_code": "XX"}, ["geo_location.continent_code", "'XX'"]),
    ({"continent_code": "EUR"}, ["continent_code", "'EUR'"]),
    ({"country_code": "ZZ"}, ["geo_location.country_code", "'ZZ'"]),
    ({"country_code": "UK"}, ["country_code", "'UK'"]),  # ISO uses GB
    ({"country_code": "US", "subdivision_code": "XY"}, ["subdivision_code", "'XY'"]),
    ({"country_code": "US", "subdivision_code": "AE"}, ["subdivision_code", "'AE'"]),  # military code, not a place
    ({"country_code": "DE", "subdivision_code": "BY"}, ["subdivision_code", "'BY'", "'DE'"]),
    ({"country_code": "*", "subdivision_code": "TX"}, ["subdivision_code", "'TX'"]),
    ({"subdivision_code": "TX"}, ["subdivision_code", "'TX'", "country_code"]),
    ({"continent_code": "EU", "country_code": "DE"}, ["continent_code", "'EU'"]),
    ({}, ["geo_location"]),
    ({"continent_code": "", "country_code": None}, ["geo_location"]),
])
def test_validate_geo_location_rejects_one_line(geo, fragments):
    with pytest.raises(route53_geo.GeoLocationError) as err:
        route53_geo.validate_geo_location(geo)
    msg = str(err.value)
    assert "\n" not in msg
    for fragment in fragments:
        assert fragment in msg


def test_code_lists():
    assert len(route53_geo.COUNTRIES) == 249
    assert set(route53_geo.CONTINENTS) == {"AF", "AN", "AS", "EU", "NA", "OC", "SA"}
    assert {"GB", "DE", "US", "AU", "UA", "JP", "BR"} <= route53_geo.COUNTRIES
    assert "UK" not in route53_geo.COUNTRIES and "EU" not in route53_geo.COUNTRIES
    assert len([s for s in route53_geo.US_SUBDIVISIONS if s not in ("DC", "AS", "FM", "GU", "MH", "MP", "PR", "PW", "VI")]) == 50


def test_names():
    assert r53.normalize_name("API.Example.com.") == "api.example.com"
    assert r53.normalize_name("\\052.example.com.") == "*.example.com"
    assert r53.normalize_name("a\\989.example.com") == "a\\989.example.com"  # not an octal escape: kept, no traceback
    assert r53.fqdn("api.example.com") == "api.example.com."
    assert r53.name_in_zone("api.example.com", "example.com.")
    assert r53.name_in_zone("example.com.", "example.com")
    assert not r53.name_in_zone("api.badexample.com", "example.com")


def test_alias_targets():
    assert r53.validate_alias_target({"dns_name": "D-ABC.example.net", "hosted_zone_id": "Z1"}) == {"DNSName": "d-abc.example.net.", "HostedZoneId": "Z1"}
    with pytest.raises(r53.AliasTargetError, match="alias_target.hosted_zone_id"):
        r53.validate_alias_target({"dns_name": "x", "hosted_zone_id": ""})
    # a custom domain's target is read by apigatewayv2.alias_target; route53 only puts it in API form
    assert r53.api_alias_target("d-xyz.execute-api.eu-west-1.amazonaws.com", "ZLY8HYME6SFDD") == {
        "DNSName": "d-xyz.execute-api.eu-west-1.amazonaws.com.", "HostedZoneId": "ZLY8HYME6SFDD"}


# ---- records --------------------------------------------------------------

def test_build_record():
    rec = r53.build_record("API.example.com", "AAAA", "app-eu", {"ContinentCode": "EU"}, TARGET, True, "hc-1")
    assert rec == {
        "Name": "api.example.com.",
        "Type": "AAAA",
        "SetIdentifier": "app-eu",
        "GeoLocation": {"ContinentCode": "EU"},
        "AliasTarget": {"HostedZoneId": "Z1U9ULNL0V5AJ3", "DNSName": "d-abc.execute-api.eu-central-1.amazonaws.com.", "EvaluateTargetHealth": True},
        "HealthCheckId": "hc-1",
    }
    assert "HealthCheckId" not in r53.build_record(NAME, "A", "app-eu", {"ContinentCode": "EU"}, TARGET, False)


def test_records_differ_ignores_case_and_trailing_dot():
    desired = r53.build_record(NAME, "A", "app-eu", {"ContinentCode": "EU"}, TARGET, True)
    current = record(dns="D-ABC.execute-api.eu-central-1.amazonaws.com", name="API.example.com")
    assert not r53.records_differ(current, desired)


@pytest.mark.parametrize("change", [
    {"geo": {"CountryCode": "DE"}},
    {"dns": "d-other.execute-api.eu-central-1.amazonaws.com."},
    {"hc": "hc-9"},
    {"evaluate": False},
])
def test_records_differ(change):
    desired = r53.build_record(NAME, "A", "app-eu", {"ContinentCode": "EU"}, TARGET, True)
    assert r53.records_differ(record(**change), desired)
    assert r53.records_differ(None, desired)


def test_select_owned_records_never_takes_others():
    sets = [
        record("A"), record("AAAA"),
        record("A", set_id="app-us"),
        record("A", name="other.example.com."),
        {"Name": "api.example.com.", "Type": "TXT", "SetIdentifier": "app-eu", "TTL": 60, "ResourceRecords": [{"Value": '"x"'}]},
        {"Name": "api.example.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]},
    ]
    owned = r53.select_owned_records(sets, NAME, "app-eu")
    assert sorted(owned) == ["A", "AAAA"]
    assert all(r["SetIdentifier"] == "app-eu" and r["Name"] == "api.example.com." for r in owned.values())


def test_plan_record_changes():
    desired_a = r53.build_record(NAME, "A", "app-eu", {"ContinentCode": "EU"}, TARGET, True)
    current_aaaa = record("AAAA", dns="d-old.example.net.")
    # nothing to do
    assert r53.plan_record_changes({"A": record("A")}, {"A": desired_a}) == []
    # create A, delete the AAAA no longer wanted with its exact current content
    changes = r53.plan_record_changes({"AAAA": current_aaaa}, {"A": desired_a})
    assert changes == [
        {"Action": "UPSERT", "ResourceRecordSet": desired_a},
        {"Action": "DELETE", "ResourceRecordSet": current_aaaa},
    ]
    # absent: delete everything owned
    assert [c["Action"] for c in r53.plan_record_changes({"A": record("A"), "AAAA": record("AAAA")}, {})] == ["DELETE", "DELETE"]


def test_record_to_ansible_and_summary():
    out = r53.record_to_ansible(record(hc="hc-1"))
    assert out == {
        "name": "api.example.com",
        "type": "A",
        "set_identifier": "app-eu",
        "geo_location": {"continent_code": "EU"},
        "alias_target": {"dns_name": "d-abc.execute-api.eu-central-1.amazonaws.com", "hosted_zone_id": "Z1U9ULNL0V5AJ3", "evaluate_target_health": True},
        "health_check_id": "hc-1",
    }
    summary = r53.summarize_records({"AAAA": record("AAAA"), "A": record("A")})
    assert summary["types"] == ["A", "AAAA"] and summary["type"] == "A"
    assert r53.summarize_records({}) is None
    assert route53_geo.geo_location_to_ansible({"CountryCode": "US", "SubdivisionCode": "TX"}) == {"country_code": "US", "subdivision_code": "TX"}


# ---- health checks --------------------------------------------------------

def https_check(**kw):
    hc = {"type": "HTTPS_STR_MATCH", "fqdn": "abc.execute-api.eu-central-1.amazonaws.com", "resource_path": "/health",
          "port": 443, "search_string": "ok", "request_interval": 30, "failure_threshold": 3}
    hc.update(kw)
    return hc


def test_validate_health_check_https():
    config = r53.validate_health_check(https_check(), NAME)
    assert config == {
        "Type": "HTTPS_STR_MATCH", "FullyQualifiedDomainName": "abc.execute-api.eu-central-1.amazonaws.com", "Port": 443,
        "ResourcePath": "/health", "RequestInterval": 30, "FailureThreshold": 3, "EnableSNI": True, "SearchString": "ok",
    }
    assert "SearchString" not in r53.validate_health_check(https_check(type="HTTPS", search_string=None), NAME)


def test_validate_health_check_cloudwatch():
    config = r53.validate_health_check({"type": "CLOUDWATCH_METRIC", "alarm_name": "app-5xx"}, NAME, default_alarm_region="eu-west-1")
    assert config == {"Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Region": "eu-west-1", "Name": "app-5xx"},
                      "InsufficientDataHealthStatus": "LastKnownStatus"}


@pytest.mark.parametrize("hc, fragment", [
    (https_check(fqdn="API.example.com."), "health_check.fqdn"),
    (https_check(fqdn=None), "health_check.fqdn is required"),
    (https_check(search_string=None), "health_check.search_string is required"),
    (https_check(type="HTTPS"), "needs type HTTPS_STR_MATCH"),
    (https_check(request_interval=20), "request_interval 20"),
    (https_check(failure_threshold=11), "failure_threshold 11"),
    (https_check(resource_path="health"), "resource_path 'health'"),
    ({"type": "CLOUDWATCH_METRIC"}, "alarm_name is required"),
    ({"type": "CLOUDWATCH_METRIC", "alarm_name": "a", "fqdn": "x.example.net"}, "health_check.fqdn does not apply"),
    ({"type": "TCP"}, "health_check.type 'TCP'"),
])
def test_validate_health_check_rejects(hc, fragment):
    with pytest.raises(r53.HealthCheckError) as err:
        r53.validate_health_check(hc, NAME, default_alarm_region="us-east-1")
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_plan_health_check_update():
    desired = r53.validate_health_check(https_check(), NAME)
    current = dict(desired, Inverted=False, Disabled=False, MeasureLatency=False, FullyQualifiedDomainName="ABC.execute-api.eu-central-1.amazonaws.com")
    assert r53.plan_health_check_update(current, desired) == ("none", None)
    assert r53.plan_health_check_update(current, dict(desired, SearchString="healthy", FailureThreshold=5)) == (
        "update", {"SearchString": "healthy", "FailureThreshold": 5})
    assert r53.plan_health_check_update(current, dict(desired, RequestInterval=10)) == ("replace", None)
    assert r53.plan_health_check_update(current, r53.validate_health_check({"type": "CLOUDWATCH_METRIC", "alarm_name": "a"}, NAME, "us-east-1"))[0] == "replace"
    cw = r53.validate_health_check({"type": "CLOUDWATCH_METRIC", "alarm_name": "a"}, NAME, "us-east-1")
    assert r53.plan_health_check_update(cw, dict(cw, AlarmIdentifier={"Region": "us-east-1", "Name": "b"})) == (
        "update", {"AlarmIdentifier": {"Region": "us-east-1", "Name": "b"}})


def test_health_check_identity():
    tags = r53.health_check_tags("API.example.com.", "app-eu")
    assert tags == {"managed-by": "multiregion.appsync", r53.TAG_RECORD: "api.example.com", r53.TAG_SET_IDENTIFIER: "app-eu", "Name": "app-eu api.example.com"}
    prefix = r53.caller_reference_prefix(NAME, "app-eu")
    assert prefix == r53.caller_reference_prefix("API.example.com.", "app-eu")
    assert prefix != r53.caller_reference_prefix(NAME, "app-us")
    ref1, ref2 = r53.new_caller_reference(NAME, "app-eu"), r53.new_caller_reference(NAME, "app-eu")
    assert ref1.startswith(prefix) and ref2.startswith(prefix) and ref1 != ref2
    assert len(ref1) <= 64

    checks = [
        {"Id": "tagged", "CallerReference": "whatever"},
        {"Id": "other-set", "CallerReference": "x"},
        {"Id": "foreign-owner", "CallerReference": "y"},
        {"Id": "untagged-ours", "CallerReference": prefix + "abc"},
        {"Id": "untagged-other", "CallerReference": r53.caller_reference_prefix(NAME, "app-us") + "abc"},
        {"Id": "untagged-unknown", "CallerReference": "z"},
    ]
    tags_by_id = {
        "tagged": tags,
        "other-set": r53.health_check_tags(NAME, "app-us"),
        "foreign-owner": dict(tags, **{"managed-by": "someone-else"}),
        # a tagged check keeps its identity from its tags even if its reference carries our prefix
    }
    owned = r53.select_owned_health_checks(checks, tags_by_id, NAME, "app-eu")
    assert [c["Id"] for c in owned] == ["tagged", "untagged-ours"]


# ---- coverage -------------------------------------------------------------

def test_compute_coverage():
    records = [
        record("A", "app-us", {"ContinentCode": "NA"}),
        record("AAAA", "app-us", {"ContinentCode": "NA"}),
        record("A", "app-eu", {"ContinentCode": "EU"}),
        record("A", "app-eu2", {"ContinentCode": "EU"}),
        record("A", "app-au", {"CountryCode": "AU"}),
        record("A", "app-tx", {"CountryCode": "US", "SubdivisionCode": "TX"}),
        record("A", "app-default", {"CountryCode": "*"}),
    ]
    cov = r53.compute_coverage(records, ["app-us", "app-eu", "app-jp", "app-default"])
    assert cov["continents"] == {"NA": "app-us", "EU": "app-eu"}
    assert cov["countries"] == {"AU": "app-au"}
    assert cov["subdivisions"] == {"US-TX": "app-tx"}
    assert cov["default"] == "app-default" and cov["has_default"] is True
    assert cov["overlaps"] == [{"location": "continent:EU", "set_identifiers": ["app-eu", "app-eu2"]}]
    assert cov["missing"] == ["app-jp"]


def test_record_sets_after_replaces_only_this_set_identifiers_records():
    ours_a, ours_aaaa = record("A", "app-eu", {"ContinentCode": "EU"}), record("AAAA", "app-eu", {"ContinentCode": "EU"})
    theirs = record("A", "app-us", {"ContinentCode": "NA"})
    other_name = record("A", "app-eu", {"ContinentCode": "EU"}, name="other.example.com.")
    wanted = record("A", "app-eu", {"CountryCode": "DE"})
    after = r53.record_sets_after([ours_a, theirs, ours_aaaa, other_name], "API.example.com", "app-eu", {"A": wanted})
    assert after == [theirs, other_name, wanted]
    assert r53.record_sets_after([ours_a, theirs], NAME, "app-eu", {}) == [theirs]


def test_coverage_counts_the_a_and_aaaa_records_only():
    # another tool's geolocation TXT record at the name answers no client: no overlap
    txt = dict(record("A", "other-tool", {"ContinentCode": "EU"}), Type="TXT")
    records = r53.geolocation_records([record("A", "app-eu"), txt], NAME)
    assert [r["SetIdentifier"] for r in records] == ["app-eu"]
    assert r53.compute_coverage(records)["overlaps"] == []


def test_compute_coverage_empty():
    cov = r53.compute_coverage([], ["a"])
    assert cov == {"continents": {}, "countries": {}, "subdivisions": {}, "default": None, "has_default": False, "overlaps": [], "missing": ["a"]}
    assert r53.compute_coverage([], None)["missing"] == []


def test_compute_coverage_overlap_across_record_types():
    # What AWS accepts: EU's A record from one region, its AAAA record from another.
    records = [
        record("A", "app-eu", {"ContinentCode": "EU"}),
        record("AAAA", "app-us", {"ContinentCode": "EU"}),
        record("A", "app-us", {"ContinentCode": "NA"}),
        record("AAAA", "app-us", {"ContinentCode": "NA"}),
    ]
    cov = r53.compute_coverage(records)
    assert cov["overlaps"] == [{"location": "continent:EU", "set_identifiers": ["app-eu", "app-us"]}]
    assert cov["continents"] == {"EU": "app-eu", "NA": "app-us"}


def test_resolve_hosted_zone_by_name(monkeypatch):
    zones = {"one.example": [{"Id": "Z1", "Name": "one.example."}], "none.example": [],
             "two.example": [{"Id": "Z2", "Name": "two.example."}, {"Id": "Z1", "Name": "two.example."}]}
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: zones[name])
    assert r53.resolve_hosted_zone(None, zone_name="one.example")["Id"] == "Z1"
    with pytest.raises(r53.HostedZoneError, match="^hosted_zone_name none.example: no such hosted zone$"):
        r53.resolve_hosted_zone(None, zone_name="none.example")
    with pytest.raises(r53.HostedZoneError, match=r"^hosted_zone_name two.example names 2 hosted zones \(Z1, Z2\); give hosted_zone_id$"):
        r53.resolve_hosted_zone(None, zone_name="two.example")


PUBLIC = {"Id": "/hostedzone/PUB", "Name": "example.com.", "Config": {"PrivateZone": False}}
PRIVATE = {"Id": "/hostedzone/PRIV", "Name": "example.com.", "Config": {"PrivateZone": True}}


def test_split_horizon_picks_the_public_zone_whatever_the_order():
    other = {"Id": "/hostedzone/OTHER", "Name": "example.net.", "Config": {"PrivateZone": False}}
    assert r53.select_public_zone([PRIVATE, PUBLIC, other], "example.com")["Id"] == "/hostedzone/PUB"
    assert r53.select_public_zone([PUBLIC, PRIVATE], "Example.COM.")["Id"] == "/hostedzone/PUB"


def test_a_private_only_zone_is_refused_naming_it():
    message = r"^hosted_zone_name example.com: only a private hosted zone has that name \(PRIV\); .*create the public zone example.com\."
    with pytest.raises(r53.HostedZoneError, match=message):
        r53.select_public_zone([PRIVATE], "example.com")
    with pytest.raises(r53.HostedZoneError, match=r"names 2 hosted zones \(A, B\); give hosted_zone_id"):
        r53.select_public_zone([dict(PUBLIC, Id="/hostedzone/B"), dict(PUBLIC, Id="/hostedzone/A"), PRIVATE], "example.com")


def test_resolve_hosted_zone_by_id_refuses_a_private_zone(monkeypatch):
    zones = {"PUB": dict(PUBLIC, Id="PUB"), "PRIV": dict(PRIVATE, Id="PRIV"), "NONE": None}
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: pytest.fail("no lookup by name expected"))
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: zones[zone_id])
    assert r53.resolve_hosted_zone(None, zone_id="/hostedzone/PUB")["Id"] == "PUB"
    with pytest.raises(r53.HostedZoneError, match="^hosted_zone_id PRIV: example.com. is a private hosted zone"):
        r53.resolve_hosted_zone(None, zone_id="PRIV")
    with pytest.raises(r53.HostedZoneError, match="^hosted_zone_id /hostedzone/NONE: no such hosted zone$"):
        r53.resolve_hosted_zone(None, zone_id="/hostedzone/NONE")


def test_resolve_hosted_zone_given_id_and_name_reads_nothing(monkeypatch):
    # The preflight role read the zone once for the run: the modules take its id and name as they are.
    monkeypatch.setattr(r53, "find_hosted_zones", lambda client, name: pytest.fail("ListHostedZonesByName called"))
    monkeypatch.setattr(r53, "get_hosted_zone", lambda client, zone_id: pytest.fail("GetHostedZone called"))
    assert r53.resolve_hosted_zone(None, zone_id="/hostedzone/PUB", zone_name="Example.com") == {"Id": "PUB", "Name": "example.com."}


def test_every_validation_error_says_what_it_is_and_shares_one_base():
    for error in (route53_geo.GeoLocationError, r53.AliasTargetError, r53.HealthCheckError, r53.HostedZoneError):
        assert issubclass(error, r53.Route53ValidationError)
    with pytest.raises(route53_geo.GeoLocationError):
        route53_geo.validate_geo_location({"continent_code": "XX"})
    with pytest.raises(r53.HealthCheckError):
        r53.validate_health_check({"type": "TCP"}, NAME)


@pytest.mark.parametrize("name,zone,expected", [
    ("_x.api.example.com.", "example.com", True),
    ("example.com", "example.com.", True),
    ("API.Example.COM", "example.com", True),
    ("_x.badexample.com.", "example.com", False),
    ("_x.example.org.", "example.com", False),
])
def test_name_in_zone(name, zone, expected):
    # (was acm.in_zone, a wrapper only its test called)
    assert r53.name_in_zone(name, zone) is expected


def test_submit_changes_waits_only_when_asked(monkeypatch):
    calls = []
    monkeypatch.setattr(r53, "change_record_sets", lambda client, zone_id, changes, comment=None: calls.append(comment) or {"Id": "/change/C1"})
    monkeypatch.setattr(r53, "wait_for_change", lambda client, info, timeout: calls.append(("wait", timeout)))
    assert r53.submit_changes(None, "Z1", [{}], "why", False, 30) == "/change/C1"
    assert calls == ["why"]
    assert r53.submit_changes(None, "Z1", [{}], "why", True, 30) == "/change/C1"
    assert calls == ["why", "why", ("wait", 30)]


def test_geolocation_records_filters_name_and_kind():
    sets = [record("A"), record("A", name="other.example.com."),
            {"Name": "api.example.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]}]
    assert r53.geolocation_records(sets, NAME) == [record("A")]


# ---- client helpers with a fake client ------------------------------------

class FakeClient:
    def __init__(self, pages=None, changes=None):
        self.pages = list(pages or [])
        self.changes = list(changes or [])
        self.calls = []

    def list_resource_record_sets(self, **params):
        self.calls.append(params)
        return self.pages.pop(0)

    def get_change(self, Id):
        self.calls.append(Id)
        return {"ChangeInfo": self.changes.pop(0)}


def test_list_record_sets_for_name_pages_and_stops_at_next_name():
    client = FakeClient(pages=[
        {"ResourceRecordSets": [record("A", "a")], "IsTruncated": True,
         "NextRecordName": "api.example.com.", "NextRecordType": "A", "NextRecordIdentifier": "b"},
        {"ResourceRecordSets": [record("A", "b"), record("A", "c", name="other.example.com.")], "IsTruncated": True,
         "NextRecordName": "zzz.example.com.", "NextRecordType": "A"},
    ])
    found = r53.list_record_sets_for_name(client, "Z1", NAME)
    assert [r["SetIdentifier"] for r in found] == ["a", "b"]
    assert client.calls[0] == {"HostedZoneId": "Z1", "StartRecordName": "api.example.com."}
    assert client.calls[1]["StartRecordIdentifier"] == "b"
    assert len(client.calls) == 2


def test_wait_for_change_polls_until_insync():
    client = FakeClient(changes=[{"Id": "/change/1", "Status": "PENDING"}, {"Id": "/change/1", "Status": "INSYNC"}])
    sleeps = []
    info = r53.wait_for_change(client, {"Id": "/change/1", "Status": "PENDING"}, 60, sleep=sleeps.append, clock=lambda: 0)
    assert info["Status"] == "INSYNC" and len(sleeps) == 2


def test_wait_for_change_is_bounded():
    now = [0]

    def clock():
        return now[0]

    def sleep(seconds):
        now[0] += seconds

    client = FakeClient(changes=[{"Id": "/change/1", "Status": "PENDING"}] * 10)
    with pytest.raises(r53.AnsibleRoute53Error, match="Timeout after 12s"):
        r53.wait_for_change(client, {"Id": "/change/1", "Status": "PENDING"}, 12, delay=5, sleep=sleep, clock=clock)
    assert len(client.calls) == 3


def test_location_conflicts_same_name_type_and_location_only():
    sets = [
        record("A", "mine"),
        record("A", "other"),
        record("AAAA", "other-v6"),
        record("A", "elsewhere", {"ContinentCode": "NA"}),
        record("A", "other-name", name="www.example.com."),
        record("A", "default", {"CountryCode": "*"}),
    ]
    assert r53.location_conflicts(sets, NAME, ["mine"], {"ContinentCode": "EU"}, ["A"]) == [("A", "other")]
    assert r53.location_conflicts(sets, NAME, ["mine"], {"ContinentCode": "EU"}, ["A", "AAAA"]) == [("A", "other"), ("AAAA", "other-v6")]
    assert r53.location_conflicts(sets, NAME, ["default"], {"CountryCode": "*"}, ["A"]) == []
    assert r53.location_conflicts(sets, NAME, ["new"], {"CountryCode": "*"}, ["A"]) == [("A", "default")]
    # the batch replaces what its own set identifiers hold: no conflict with them
    assert r53.location_conflicts(sets, NAME, ["mine", "default"], {"CountryCode": "*"}, ["A"]) == []


def test_routing_conflicts_are_a_cname_or_a_wanted_type_without_geolocation():
    simple = {"Name": "api.example.com.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": "192.0.2.1"}]}
    weighted = dict(simple, SetIdentifier="app-eu", Weight=10)
    cname = {"Name": "API.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "x.example.net"}]}
    aaaa = dict(simple, Type="AAAA", ResourceRecords=[{"Value": "2001:db8::1"}])
    txt = dict(simple, Type="TXT", ResourceRecords=[{"Value": '"v"'}])
    geo = record("A", "app-us", {"ContinentCode": "NA"})
    elsewhere = dict(simple, Name="www.example.com.")
    assert r53.routing_conflicts([geo, txt, aaaa, elsewhere], NAME, ["A"]) == []
    assert r53.routing_conflicts([geo, simple, aaaa], NAME, ["A", "AAAA"]) == [("A", None), ("AAAA", None)]
    assert r53.routing_conflicts([weighted], NAME, ["A"]) == [("A", "app-eu")]
    assert r53.routing_conflicts([cname], NAME, ["AAAA"]) == [("CNAME", None)]


def test_an_alias_zone_id_with_its_prefix_compares_as_the_bare_id():
    listed = record("A", "app-eu")
    listed["AliasTarget"]["HostedZoneId"] = "/hostedzone/Z1U9ULNL0V5AJ3"
    wanted = r53.build_record(NAME, "A", "app-eu", {"ContinentCode": "EU"},
                              r53.api_alias_target("d-abc.execute-api.eu-central-1.amazonaws.com", "/hostedzone/Z1U9ULNL0V5AJ3"), True)
    assert wanted["AliasTarget"]["HostedZoneId"] == "Z1U9ULNL0V5AJ3"
    assert not r53.records_differ(listed, wanted)


class ResentDeleteClient:
    """ChangeResourceRecordSets refuses the DELETE-only batch as a resend after a lost answer would be refused:
    the first attempt already deleted the record set, so the listing no longer has it."""

    def __init__(self, listing, refusals=1):
        self.listing = listing
        self.refusals = refusals
        self.submitted = []

    def change_resource_record_sets(self, HostedZoneId, ChangeBatch):
        self.submitted.append([c["Action"] for c in ChangeBatch["Changes"]])
        if self.refusals:
            self.refusals -= 1
            raise ClientError({"Error": {"Code": "InvalidChangeBatch", "Message": (
                "[Tried to delete resource record set [name='api.example.com.', type='A', set-identifier='app-eu'] "
                "but it was not found]")}}, "ChangeResourceRecordSets")
        return {"ChangeInfo": {"Id": "/change/C2", "Status": "PENDING"}}

    def list_resource_record_sets(self, **params):
        return {"ResourceRecordSets": list(self.listing), "IsTruncated": False}


def test_a_resent_delete_of_a_record_set_already_gone_is_done():
    client = ResentDeleteClient(listing=[record("AAAA")])  # the A record set is gone, its AAAA sibling stays
    changes = [{"Action": "DELETE", "ResourceRecordSet": record("A")}]
    assert r53.change_record_sets(client, "Z1", changes, "why") is None
    assert client.submitted == [["DELETE"]]
    assert r53.submit_changes(ResentDeleteClient(listing=[]), "Z1", changes, "why", True, 30) is None


def test_after_a_resent_delete_only_the_upserts_are_sent_again():
    client = ResentDeleteClient(listing=[record("AAAA")])
    changes = [{"Action": "DELETE", "ResourceRecordSet": record("A")},
               {"Action": "UPSERT", "ResourceRecordSet": record("AAAA")}]
    assert r53.change_record_sets(client, "Z1", changes)["Id"] == "/change/C2"
    assert client.submitted == [["DELETE", "UPSERT"], ["UPSERT"]]


def test_a_delete_refused_while_the_record_set_is_still_there_stays_an_error():
    client = ResentDeleteClient(listing=[record("A")])  # e.g. its value changed meanwhile: not ours to delete
    with pytest.raises(r53.AnsibleRoute53Error):
        r53.change_record_sets(client, "Z1", [{"Action": "DELETE", "ResourceRecordSet": record("A")}])
    assert client.submitted == [["DELETE"]]
