"""Route53: record changes and health checks as AWS answers them (localaws/extensions/route53.py)."""

import pytest
from botocore.exceptions import ClientError

APIGW_ZONE = "Z1U9ULNL0V5AJ3"


@pytest.fixture
def route53(client_factory):
    return client_factory("route53")


@pytest.fixture
def zone(route53, unique):
    """(zone id, zone name without trailing dot) of a fresh public zone."""
    name = unique + ".example.com"
    zone_id = route53.create_hosted_zone(Name=name, CallerReference=unique)["HostedZone"]["Id"].split("/")[-1]
    return zone_id, name


def geo_record(name, set_identifier, record_type="A", continent="EU", target="d-abc.execute-api.eu-central-1.amazonaws.com"):
    return {"Name": name, "Type": record_type, "SetIdentifier": set_identifier, "GeoLocation": {"ContinentCode": continent},
            "AliasTarget": {"HostedZoneId": APIGW_ZONE, "DNSName": target, "EvaluateTargetHealth": True}}


def change(route53, zone_id, *changes):
    return route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": a, "ResourceRecordSet": r} for a, r in changes]})


def records(route53, zone_id):
    """{(name, type, set identifier): record} of every record but NS and SOA."""
    listed = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return dict(((r["Name"], r["Type"], r.get("SetIdentifier")), r) for r in listed if r["Type"] not in ("NS", "SOA"))


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    return error.value.response["Error"]["Code"], error.value.response["Error"]["Message"], \
        error.value.response["ResponseMetadata"]["HTTPStatusCode"]


# ---------------------------------------------------------------------------
# ChangeResourceRecordSets
# ---------------------------------------------------------------------------

def test_delete_removes_only_the_record_with_that_name_type_and_set_identifier(route53, zone):
    zone_id, name = zone
    api, other = "api." + name, "other." + name
    change(route53, zone_id, ("CREATE", geo_record(api, "eu")), ("CREATE", geo_record(api, "eu", "AAAA")),
           ("CREATE", geo_record(other, "eu")), ("CREATE", geo_record(api, "us", continent="NA")))
    change(route53, zone_id, ("DELETE", geo_record(api, "eu")))
    assert sorted(records(route53, zone_id)) == [(api + ".", "A", "us"), (api + ".", "AAAA", "eu"), (other + ".", "A", "eu")]


def test_delete_of_a_missing_record_is_invalid_change_batch(route53, zone):
    zone_id, name = zone
    api = "api." + name
    change(route53, zone_id, ("CREATE", geo_record(api, "eu")))
    for missing in (geo_record(api, "us"), geo_record(api, "eu", "AAAA"), geo_record("other." + name, "eu")):
        code, message, status = error_of(change, route53, zone_id, ("DELETE", missing))
        assert (code, status) == ("InvalidChangeBatch", 400)
        assert "but it was not found" in message
    assert list(records(route53, zone_id)) == [(api + ".", "A", "eu")]


@pytest.mark.parametrize("field,value", [
    ("GeoLocation", {"ContinentCode": "AS"}),
    ("AliasTarget", {"HostedZoneId": APIGW_ZONE, "DNSName": "d-other.execute-api.eu-central-1.amazonaws.com",
                     "EvaluateTargetHealth": True}),
    ("AliasTarget", {"HostedZoneId": APIGW_ZONE, "DNSName": "d-abc.execute-api.eu-central-1.amazonaws.com",
                     "EvaluateTargetHealth": False}),
])
def test_delete_needs_the_current_values(route53, zone, field, value):
    zone_id, name = zone
    record = geo_record("api." + name, "eu")
    change(route53, zone_id, ("CREATE", record))
    code, message, dummy = error_of(change, route53, zone_id, ("DELETE", dict(record, **{field: value})))
    assert code == "InvalidChangeBatch"
    assert "do not match the current values" in message
    assert len(records(route53, zone_id)) == 1
    # Names compare case-insensitively and with or without the trailing dot, as on AWS.
    change(route53, zone_id, ("DELETE", dict(record, Name=record["Name"].upper() + ".")))
    assert records(route53, zone_id) == {}


def test_delete_of_a_value_record_needs_ttl_and_values(route53, zone):
    zone_id, name = zone
    record = {"Name": "_v." + name, "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "x.acm-validations.aws."}]}
    change(route53, zone_id, ("CREATE", record))
    assert error_of(change, route53, zone_id, ("DELETE", dict(record, TTL=60)))[0] == "InvalidChangeBatch"
    assert error_of(change, route53, zone_id, ("DELETE", dict(record, ResourceRecords=[{"Value": "y."}])))[0] == "InvalidChangeBatch"
    assert error_of(change, route53, zone_id, ("DELETE", {"Name": record["Name"], "Type": "CNAME"}))[0] == "InvalidInput"
    change(route53, zone_id, ("DELETE", record))
    assert records(route53, zone_id) == {}


def test_change_batch_is_atomic(route53, zone):
    zone_id, name = zone
    kept = geo_record("api." + name, "eu")
    change(route53, zone_id, ("CREATE", kept))
    code = error_of(change, route53, zone_id, ("UPSERT", geo_record("api." + name, "us", continent="NA")),
                    ("DELETE", kept), ("DELETE", geo_record("api." + name, "ap", continent="AS")))[0]
    assert code == "InvalidChangeBatch"
    assert list(records(route53, zone_id)) == [("api." + name + ".", "A", "eu")]


def test_changes_of_one_batch_apply_in_order(route53, zone):
    zone_id, name = zone
    old = {"Name": "www." + name, "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "old.example.org"}]}
    new = dict(old, ResourceRecords=[{"Value": "new.example.org"}])
    change(route53, zone_id, ("CREATE", old))
    change(route53, zone_id, ("DELETE", old), ("CREATE", new))
    assert records(route53, zone_id)[("www." + name + ".", "CNAME", None)]["ResourceRecords"] == [{"Value": "new.example.org"}]


def test_create_of_an_existing_record_fails_and_upsert_replaces(route53, zone):
    zone_id, name = zone
    change(route53, zone_id, ("CREATE", geo_record("api." + name, "eu")))
    code, message, dummy = error_of(change, route53, zone_id, ("CREATE", geo_record("API." + name + ".", "eu")))
    assert code == "InvalidChangeBatch" and "already exists" in message
    change(route53, zone_id, ("UPSERT", geo_record("api." + name, "eu", continent="AF")))
    listed = records(route53, zone_id)
    assert [r["GeoLocation"] for r in listed.values()] == [{"ContinentCode": "AF"}]


def test_names_are_stored_as_aws_returns_them(route53, zone):
    zone_id, name = zone
    change(route53, zone_id, ("CREATE", geo_record("Api." + name.upper(), "eu", target="D-ABC.execute-api.eu-central-1.amazonaws.com")),
           ("CREATE", {"Name": "*." + name, "Type": "TXT", "TTL": 60, "ResourceRecords": [{"Value": '"x"'}]}))
    listed = records(route53, zone_id)
    assert sorted(listed) == [("\\052." + name + ".", "TXT", None), ("api." + name + ".", "A", "eu")]
    assert listed[("api." + name + ".", "A", "eu")]["AliasTarget"]["DNSName"] == "d-abc.execute-api.eu-central-1.amazonaws.com."


def test_record_outside_the_zone_is_rejected(route53, zone):
    zone_id, name = zone
    code, message, dummy = error_of(change, route53, zone_id, ("CREATE", geo_record("x" + name, "eu")))
    assert code == "InvalidChangeBatch" and "not permitted in zone" in message


def test_two_geolocation_records_cannot_claim_one_location(route53, zone):
    zone_id, name = zone
    change(route53, zone_id, ("CREATE", geo_record("api." + name, "eu")))
    code, message, dummy = error_of(change, route53, zone_id, ("UPSERT", geo_record("api." + name, "eu2")))
    assert code == "InvalidChangeBatch" and "same GeoLocation" in message
    # Another type, or another location, is fine; so is moving the location in one batch.
    change(route53, zone_id, ("UPSERT", geo_record("api." + name, "eu2", "AAAA")),
           ("UPSERT", geo_record("api." + name, "eu", continent="AF")), ("UPSERT", geo_record("api." + name, "eu2")))
    assert len(records(route53, zone_id)) == 3


def test_conflicting_records_at_one_name_are_rejected(route53, zone):
    zone_id, name = zone
    api = "api." + name
    simple = {"Name": api, "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]}
    cname = {"Name": api, "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "example.org"}]}
    weighted = dict(simple, SetIdentifier="w", Weight=0)
    change(route53, zone_id, ("CREATE", geo_record(api, "eu")))
    for record in (simple, cname, weighted):
        code, message, dummy = error_of(change, route53, zone_id, ("CREATE", record))
        assert code == "InvalidChangeBatch" and "not permitted" in message
    assert len(records(route53, zone_id)) == 1


def test_record_with_an_unknown_health_check_is_rejected(route53, zone):
    zone_id, name = zone
    record = dict(geo_record("api." + name, "eu"), HealthCheckId="00000000-0000-0000-0000-000000000000")
    assert error_of(change, route53, zone_id, ("UPSERT", record))[0] == "NoSuchHealthCheck"


def test_listing_pages_through_set_identifiers(route53, zone):
    zone_id, name = zone
    api = "api." + name
    identifiers = ["r%d" % i for i in range(5)]
    change(route53, zone_id, *[("CREATE", geo_record(api, i, continent=c)) for i, c in zip(identifiers, ["AF", "AS", "EU", "NA", "OC"])])
    seen = []
    params = {"HostedZoneId": zone_id, "StartRecordName": api, "MaxItems": "2"}
    while True:
        page = route53.list_resource_record_sets(**params)
        seen.extend(r.get("SetIdentifier") for r in page["ResourceRecordSets"])
        if not page["IsTruncated"]:
            break
        params.update(StartRecordName=page["NextRecordName"], StartRecordType=page["NextRecordType"],
                      StartRecordIdentifier=page["NextRecordIdentifier"])
    assert seen == identifiers


def test_soa_record_carries_its_value(route53, zone):
    zone_id, name = zone
    listed = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    soa = [r for r in listed if r["Type"] == "SOA"][0]
    assert soa["ResourceRecords"][0]["Value"].startswith("ns-")
    assert len(soa["ResourceRecords"][0]["Value"].split()) == 7


# ---------------------------------------------------------------------------
# Health checks
# ---------------------------------------------------------------------------

def alarm_config(name="appsync-5xx", status="Healthy"):
    return {"Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Region": "eu-central-1", "Name": name},
            "InsufficientDataHealthStatus": status}


def test_cloudwatch_metric_check_keeps_alarm_fields(route53, unique):
    created = route53.create_health_check(CallerReference=unique, HealthCheckConfig=alarm_config())
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    check_id = created["HealthCheck"]["Id"]
    assert created["Location"].endswith("/healthcheck/" + check_id)
    expected = {"Type": "CLOUDWATCH_METRIC", "Inverted": False, "Disabled": False,
                "AlarmIdentifier": {"Region": "eu-central-1", "Name": "appsync-5xx"}, "InsufficientDataHealthStatus": "Healthy"}
    assert created["HealthCheck"]["HealthCheckConfig"] == expected
    assert route53.get_health_check(HealthCheckId=check_id)["HealthCheck"]["HealthCheckConfig"] == expected
    listed = [c for c in route53.list_health_checks()["HealthChecks"] if c["Id"] == check_id]
    assert listed[0]["HealthCheckConfig"] == expected
    updated = route53.update_health_check(HealthCheckId=check_id, HealthCheckVersion=1, InsufficientDataHealthStatus="Unhealthy",
                                          AlarmIdentifier={"Region": "eu-central-1", "Name": "other"})["HealthCheck"]
    assert updated["HealthCheckConfig"]["AlarmIdentifier"] == {"Region": "eu-central-1", "Name": "other"}
    assert updated["HealthCheckConfig"]["InsufficientDataHealthStatus"] == "Unhealthy"
    read = route53.get_health_check(HealthCheckId=check_id)["HealthCheck"]
    assert read["HealthCheckConfig"]["InsufficientDataHealthStatus"] == "Unhealthy"
    assert read["HealthCheckVersion"] == 2
    route53.delete_health_check(HealthCheckId=check_id)


def test_cloudwatch_metric_check_needs_an_alarm(route53, unique):
    code = error_of(route53.create_health_check, CallerReference=unique, HealthCheckConfig={"Type": "CLOUDWATCH_METRIC"})[0]
    assert code == "InvalidInput"


def test_https_check_keeps_its_fields(route53, unique):
    config = {"Type": "HTTPS", "FullyQualifiedDomainName": "abc.execute-api.eu-central-1.amazonaws.com", "Port": 443,
              "ResourcePath": "/health", "RequestInterval": 10, "FailureThreshold": 2, "EnableSNI": True}
    check = route53.create_health_check(CallerReference=unique, HealthCheckConfig=config)["HealthCheck"]
    assert dict((k, check["HealthCheckConfig"].get(k)) for k in config) == config
    assert "AlarmIdentifier" not in check["HealthCheckConfig"]
    route53.delete_health_check(HealthCheckId=check["Id"])


def test_caller_reference_is_idempotent(route53, unique):
    first = route53.create_health_check(CallerReference=unique, HealthCheckConfig=alarm_config())
    again = route53.create_health_check(CallerReference=unique, HealthCheckConfig=alarm_config())
    assert again["HealthCheck"]["Id"] == first["HealthCheck"]["Id"]
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert len([c for c in route53.list_health_checks()["HealthChecks"] if c["CallerReference"] == unique]) == 1
    code, dummy, status = error_of(route53.create_health_check, CallerReference=unique,
                                   HealthCheckConfig=alarm_config(status="Unhealthy"))
    assert (code, status) == ("HealthCheckAlreadyExists", 409)
    route53.delete_health_check(HealthCheckId=first["HealthCheck"]["Id"])
    # AWS keeps a deleted check's CallerReference: even the same settings fail.
    code, dummy, status = error_of(route53.create_health_check, CallerReference=unique, HealthCheckConfig=alarm_config())
    assert (code, status) == ("HealthCheckAlreadyExists", 409)


def test_update_checks_and_increments_the_version(route53, unique):
    check_id = route53.create_health_check(CallerReference=unique, HealthCheckConfig=alarm_config())["HealthCheck"]["Id"]
    route53.update_health_check(HealthCheckId=check_id, HealthCheckVersion=1, Inverted=True)
    code, dummy, status = error_of(route53.update_health_check, HealthCheckId=check_id, HealthCheckVersion=1, Disabled=True)
    assert (code, status) == ("HealthCheckVersionMismatch", 409)
    check = route53.get_health_check(HealthCheckId=check_id)["HealthCheck"]
    assert check["HealthCheckVersion"] == 2
    assert check["HealthCheckConfig"]["Inverted"] is True and check["HealthCheckConfig"]["Disabled"] is False
    route53.delete_health_check(HealthCheckId=check_id)


def test_update_resets_elements(route53, unique):
    config = {"Type": "HTTPS", "FullyQualifiedDomainName": "abc.execute-api.eu-central-1.amazonaws.com", "ResourcePath": "/health"}
    check_id = route53.create_health_check(CallerReference=unique, HealthCheckConfig=config)["HealthCheck"]["Id"]
    updated = route53.update_health_check(HealthCheckId=check_id, ResetElements=["ResourcePath"], FailureThreshold=5)["HealthCheck"]
    assert "ResourcePath" not in updated["HealthCheckConfig"]
    assert updated["HealthCheckConfig"]["FailureThreshold"] == 5
    assert updated["HealthCheckConfig"]["FullyQualifiedDomainName"] == config["FullyQualifiedDomainName"]
    route53.delete_health_check(HealthCheckId=check_id)


def test_unknown_health_check_is_no_such_health_check(route53, unique):
    check_id = route53.create_health_check(CallerReference=unique, HealthCheckConfig=alarm_config())["HealthCheck"]["Id"]
    route53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=check_id, AddTags=[{"Key": "k", "Value": "v"}])
    route53.delete_health_check(HealthCheckId=check_id)
    code, dummy, status = error_of(route53.delete_health_check, HealthCheckId=check_id)
    assert (code, status) == ("NoSuchHealthCheck", 404)
    code = error_of(route53.change_tags_for_resource, ResourceType="healthcheck", ResourceId=check_id,
                    AddTags=[{"Key": "k", "Value": "v"}])[0]
    assert code == "NoSuchHealthCheck"
