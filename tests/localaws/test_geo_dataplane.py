"""The global hostname through the running local AWS: Route53 geolocation, health checks, GetChange.

Each region gets the deployed shape (HTTP API, custom domain = the global
hostname, mapping "graphql"); geolocation alias records point the hostname at
the regions' API Gateway domain names; the answer's x-localaws-region names
the region that served.
"""

import json
import time
import uuid

import pytest
from dataplane_helpers import call, deploy_http_api, route53_configure
# the shared fixture, used by name:
from dataplane_helpers import upstream  # noqa: F401 pylint: disable=unused-import

LOCATION_HEADER = "x-localaws-location"
LOCATION_QUERY = "localaws-location"
REGION_HEADER = "x-localaws-region"
FAST_CHECKS = 0.2  # seconds between health check probes in these tests
# GeoLocation of each record -> region answering it.
LOCATIONS = {
    "na": ({"ContinentCode": "NA"}, "us-east-1"),
    "us-ca": ({"CountryCode": "US", "SubdivisionCode": "CA"}, "us-west-2"),
    "au": ({"CountryCode": "AU"}, "ap-southeast-2"),
    "eu": ({"ContinentCode": "EU"}, "eu-central-1"),
    "default": ({"CountryCode": "*"}, "eu-west-1"),
}


@pytest.fixture
def route53(client_factory):
    return client_factory("route53")


@pytest.fixture
def fast_health_checks(endpoint):
    route53_configure(endpoint, {"health_check_interval": FAST_CHECKS})
    yield
    route53_configure(endpoint, {"health_check_interval": 0})


def zone_for(route53, unique):
    name = unique + ".example.com"
    zone_id = route53.create_hosted_zone(Name=name, CallerReference=unique)["HostedZone"]["Id"].split("/")[-1]
    return zone_id, "api." + name


def geo_alias(hostname, set_id, location, deployed, check_id=None):
    record = {"Name": hostname, "Type": "A", "SetIdentifier": set_id, "GeoLocation": location,
              "AliasTarget": {"HostedZoneId": deployed["zone"], "DNSName": deployed["target"],
                              "EvaluateTargetHealth": True}}
    if check_id:
        record["HealthCheckId"] = check_id
    return record


def upsert(route53, zone_id, *records):
    return route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
        "Changes": [{"Action": "UPSERT", "ResourceRecordSet": r} for r in records]})["ChangeInfo"]


def served_by(endpoint, hostname, location=None, query=None):
    headers = {LOCATION_HEADER: location} if location else {}
    path = "/graphql" + ("?" + query if query else "")
    status, answer_headers, body = call(endpoint, "POST", hostname, path, headers, b"{}")
    assert status == 200, body
    return answer_headers[REGION_HEADER]


@pytest.fixture
def world(client_factory, route53, unique, upstream):
    """Five regions behind one hostname; returns (zone id, hostname, {set id: deployed})."""
    zone_id, hostname = zone_for(route53, unique)
    deployed = {}
    for set_id, (location, region) in LOCATIONS.items():
        deployed[set_id] = deploy_http_api(client_factory, region, unique, upstream.url("/" + region),
                                           routes=("POST /", "GET /health"), domain=hostname)
    upsert(route53, zone_id, *[geo_alias(hostname, s, LOCATIONS[s][0], d) for s, d in deployed.items()])
    return zone_id, hostname, deployed


@pytest.mark.parametrize("location, region", [
    ("country=US;subdivision=CA", "us-west-2"),
    ("country=US;subdivision=NY", "us-east-1"),
    ("country=US", "us-east-1"),
    ("country=CA", "us-east-1"),
    ("continent=NA", "us-east-1"),
    ("country=AU", "ap-southeast-2"),
    ("continent=OC", "eu-west-1"),
    ("country=DE", "eu-central-1"),
    ("continent=EU", "eu-central-1"),
    ("country=JP", "eu-west-1"),
    (None, "eu-west-1"),
])
def test_location_is_answered_by_the_most_specific_record(endpoint, world, location, region):
    _zone, hostname, _deployed = world
    assert served_by(endpoint, hostname, location) == region


def test_browser_location_query_parameter_is_read_and_stripped(endpoint, world, upstream):
    _zone, hostname, _deployed = world
    assert served_by(endpoint, hostname + ".localhost:5500", query="a=1&%s=continent%%3DEU" % LOCATION_QUERY) \
        == "eu-central-1"
    assert upstream.seen[-1]["query"] == "a=1" and upstream.seen[-1]["path"] == "/eu-central-1"
    assert LOCATION_HEADER not in upstream.seen[-1]["headers"]


def test_bad_location_is_400_naming_the_header(endpoint, world):
    _zone, hostname, _deployed = world
    status, _headers, body = call(endpoint, "POST", hostname, "/graphql", {LOCATION_HEADER: "planet=mars"})
    assert status == 400 and LOCATION_HEADER in json.loads(body)["message"]


def test_records_are_read_live(endpoint, route53, world):
    zone_id, hostname, deployed = world
    upsert(route53, zone_id, geo_alias(hostname, "eu", LOCATIONS["eu"][0], deployed["au"]))
    assert served_by(endpoint, hostname, "continent=EU") == "ap-southeast-2"


def test_records_come_from_one_zone_the_newest_of_that_name(endpoint, route53, world, unique):
    _zone, hostname, deployed = world
    newer = route53.create_hosted_zone(Name=unique + ".example.com", CallerReference=unique + "-newer")
    newer_id = newer["HostedZone"]["Id"].split("/")[-1]
    upsert(route53, newer_id, geo_alias(hostname, "default", LOCATIONS["default"][0], deployed["au"]))
    assert served_by(endpoint, hostname, "continent=EU") == "ap-southeast-2"  # the older zone's EU record is not seen


def test_no_matching_record_and_no_default_is_no_answer(endpoint, route53, world):
    zone_id, hostname, deployed = world
    default = geo_alias(hostname, "default", LOCATIONS["default"][0], deployed["default"])
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
        "Changes": [{"Action": "DELETE", "ResourceRecordSet": default}]})
    status, _headers, body = call(endpoint, "POST", hostname, "/graphql", {LOCATION_HEADER: "country=JP"})
    assert status == 503 and "no record" in json.loads(body)["message"]


# ---------------------------------------------------------------------------
# Health checks
# ---------------------------------------------------------------------------

def http_check(route53, fqdn, path="/health", failure_threshold=2, check_type="HTTPS", search=None):
    config = {"Type": check_type, "FullyQualifiedDomainName": fqdn, "Port": 443, "ResourcePath": path,
              "RequestInterval": 10, "FailureThreshold": failure_threshold}
    if search:
        config["SearchString"] = search
    return route53.create_health_check(CallerReference=uuid.uuid4().hex, HealthCheckConfig=config)["HealthCheck"]["Id"]


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def statuses(route53, check_id):
    return {o["StatusReport"]["Status"].split(":")[0]
            for o in route53.get_health_check_status(HealthCheckId=check_id)["HealthCheckObservations"]}


@pytest.mark.usefixtures("fast_health_checks")
def test_failing_region_moves_its_clients_to_the_next_record_and_back(client_factory, endpoint, route53, world):
    zone_id, hostname, deployed = world
    eu = deployed["eu"]
    check_id = http_check(route53, eu["host"])
    upsert(route53, zone_id, geo_alias(hostname, "eu", LOCATIONS["eu"][0], eu, check_id))
    assert wait_until(lambda: statuses(route53, check_id) == {"Success"})
    assert served_by(endpoint, hostname, "country=DE") == "eu-central-1"

    gateway = client_factory("apigatewayv2", "eu-central-1")
    health_route = [r for r in gateway.get_routes(ApiId=eu["api_id"])["Items"] if r["RouteKey"] == "GET /health"][0]
    gateway.delete_route(ApiId=eu["api_id"], RouteId=health_route["RouteId"])
    assert wait_until(lambda: served_by(endpoint, hostname, "country=DE") == "eu-west-1")
    assert statuses(route53, check_id) == {"Failure"}

    gateway.create_route(ApiId=eu["api_id"], RouteKey="GET /health", Target=health_route["Target"])
    assert wait_until(lambda: served_by(endpoint, hostname, "country=DE") == "eu-central-1")
    assert statuses(route53, check_id) == {"Success"}


@pytest.mark.usefixtures("fast_health_checks")
def test_check_on_a_route_the_proxy_lacks_is_unhealthy(endpoint, route53, world):
    zone_id, hostname, deployed = world
    check_id = http_check(route53, deployed["na"]["host"], path="/", failure_threshold=1)
    upsert(route53, zone_id, geo_alias(hostname, "na", LOCATIONS["na"][0], deployed["na"], check_id))
    assert wait_until(lambda: statuses(route53, check_id) == {"Failure"})
    assert wait_until(lambda: served_by(endpoint, hostname, "country=US") == "eu-west-1")


@pytest.mark.usefixtures("fast_health_checks")
def test_string_match_and_unknown_host_checks(route53, world):
    _zone, _hostname, deployed = world
    matching = http_check(route53, deployed["au"]["host"], check_type="HTTPS_STR_MATCH", search="ap-southeast-2",
                          failure_threshold=1)
    missing = http_check(route53, deployed["au"]["host"], check_type="HTTPS_STR_MATCH", search="not-in-the-body",
                         failure_threshold=1)
    nowhere = http_check(route53, "nothing.example.invalid", failure_threshold=1)
    assert wait_until(lambda: statuses(route53, missing) == {"Failure"} and statuses(route53, nowhere) == {"Failure"})
    assert statuses(route53, matching) == {"Success"}


@pytest.mark.usefixtures("fast_health_checks")
def test_cloudwatch_metric_check_follows_its_alarm(client_factory, endpoint, route53, world, unique):
    zone_id, hostname, deployed = world
    cloudwatch = client_factory("cloudwatch", "ap-southeast-2")
    cloudwatch.put_metric_alarm(AlarmName=unique, MetricName="5XXError", Namespace="AWS/AppSync", Statistic="Sum",
                                Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
    check_id = route53.create_health_check(CallerReference=unique, HealthCheckConfig={
        "Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Region": "ap-southeast-2", "Name": unique},
        "InsufficientDataHealthStatus": "Healthy"})["HealthCheck"]["Id"]
    upsert(route53, zone_id, geo_alias(hostname, "au", LOCATIONS["au"][0], deployed["au"], check_id))
    assert served_by(endpoint, hostname, "country=AU") == "ap-southeast-2"
    cloudwatch.set_alarm_state(AlarmName=unique, StateValue="ALARM", StateReason="test")
    assert served_by(endpoint, hostname, "country=AU") == "eu-west-1"
    assert statuses(route53, check_id) == {"Failure"}
    cloudwatch.set_alarm_state(AlarmName=unique, StateValue="OK", StateReason="test")
    assert served_by(endpoint, hostname, "country=AU") == "ap-southeast-2"


# ---------------------------------------------------------------------------
# GetChange
# ---------------------------------------------------------------------------

def test_change_is_insync_at_once_by_default(route53, world):
    zone_id, hostname, deployed = world
    info = upsert(route53, zone_id, geo_alias(hostname, "eu", LOCATIONS["eu"][0], deployed["eu"]))
    assert info["Status"] == "INSYNC"
    assert route53.get_change(Id=info["Id"])["ChangeInfo"]["Status"] == "INSYNC"


def test_change_is_pending_for_the_configured_delay(endpoint, route53, world):
    zone_id, hostname, deployed = world
    assert route53_configure(endpoint, {"change_delay": 1.5})["change_delay"] == 1.5
    try:
        started = time.monotonic()
        info = upsert(route53, zone_id, geo_alias(hostname, "eu", LOCATIONS["eu"][0], deployed["eu"]))
        assert info["Status"] == "PENDING"
        assert route53.get_change(Id=info["Id"])["ChangeInfo"]["Status"] == "PENDING"
        assert wait_until(lambda: route53.get_change(Id=info["Id"])["ChangeInfo"]["Status"] == "INSYNC", timeout=5)
        assert time.monotonic() - started >= 1.4
    finally:
        route53_configure(endpoint, {"change_delay": 0})
    assert upsert(route53, zone_id, geo_alias(hostname, "eu", LOCATIONS["eu"][0], deployed["au"]))["Status"] == "INSYNC"


def test_control_hook_refuses_unknown_settings(endpoint):
    with pytest.raises(AssertionError, match="unknown settings"):
        route53_configure(endpoint, {"nope": 1})


# ---------------------------------------------------------------------------
# TestDNSAnswer
# ---------------------------------------------------------------------------

def test_dns_answer_routes_geolocation_for_the_default_resolver_in_virginia(route53, world):
    zone_id, hostname, deployed = world
    answer = route53.test_dns_answer(HostedZoneId=zone_id, RecordName=hostname, RecordType="A")
    assert (answer["ResponseCode"], answer["RecordData"], answer["Protocol"]) == ("NOERROR", ["127.0.0.1"], "UDP")
    upsert(route53, zone_id, {"Name": hostname, "Type": "A", "SetIdentifier": "us-va",
                              "GeoLocation": {"CountryCode": "US", "SubdivisionCode": "VA"},
                              "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.7"}]})
    assert route53.test_dns_answer(HostedZoneId=zone_id, RecordName=hostname, RecordType="A")["RecordData"] \
        == ["192.0.2.7"]
    placed_elsewhere = route53.test_dns_answer(HostedZoneId=zone_id, RecordName=hostname, RecordType="A",
                                               ResolverIP="198.51.100.1")
    assert placed_elsewhere["RecordData"] == ["127.0.0.1"]  # the '*' alias, not the Virginia record


def test_dns_answer_of_simple_and_missing_records(route53, unique):
    zone_id, hostname = zone_for(route53, unique)
    validation = {"Name": "_x." + hostname, "Type": "CNAME", "TTL": 300,
                  "ResourceRecords": [{"Value": "_y.acm-validations.aws."}]}
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
        "Changes": [{"Action": "CREATE", "ResourceRecordSet": validation}]})
    answer = route53.test_dns_answer(HostedZoneId=zone_id, RecordName="_x." + hostname, RecordType="CNAME")
    assert (answer["ResponseCode"], answer["RecordData"]) == ("NOERROR", ["_y.acm-validations.aws."])
    assert answer["Nameserver"]
    missing = route53.test_dns_answer(HostedZoneId=zone_id, RecordName="nothing." + hostname, RecordType="A")
    assert (missing["ResponseCode"], missing["RecordData"]) == ("NXDOMAIN", [])
