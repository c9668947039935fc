# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route53 code shared by route53_geo_record, route53_geo_record_info and acm_dns_certificate.

The one hosted-zone resolver (resolve_hosted_zone: the public zone of a name,
also when a private zone shares it). Pure helpers (no boto3; unit-tested):
building and comparing geolocation alias records (the geolocation codes and
their validation are in route53_geo.py),
planning the change batch, health check configuration and identity, and the
coverage report. Client wrappers: one per API call, each carrying the retry
decorator (PriorRequestNotComplete included) inside Route53ErrorHandler, which
turns botocore errors into AnsibleRoute53Error.
"""

import hashlib
import time
import uuid

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OWNER_TAG_KEY
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import owner_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import DEFAULT_COUNTRY
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import Route53ValidationError
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import geo_location_key
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import geo_location_to_ansible
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import normalize_name
# re-exported for route53_geo_record
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import validate_geo_location  # noqa: F401 pylint: disable=unused-import

RECORD_TYPES = ("A", "AAAA")
# The API GeoLocation of the default records, which answer the clients no location matches.
DEFAULT_LOCATION = {"CountryCode": DEFAULT_COUNTRY}

# Health checks
HEALTH_CHECK_TYPES = ("HTTPS", "HTTPS_STR_MATCH", "CLOUDWATCH_METRIC")
HTTP_CHECK_TYPES = ("HTTPS", "HTTPS_STR_MATCH")
# Fields AWS cannot change on an existing health check: a change replaces it.
HEALTH_CHECK_IMMUTABLE = ("Type", "RequestInterval", "MeasureLatency")
# Fields UpdateHealthCheck takes (those this module sets).
HEALTH_CHECK_MUTABLE = (
    "FullyQualifiedDomainName",
    "Port",
    "ResourcePath",
    "SearchString",
    "FailureThreshold",
    "EnableSNI",
    "AlarmIdentifier",
    "InsufficientDataHealthStatus",
)
TAG_RECORD = "multiregion.appsync:record"
TAG_SET_IDENTIFIER = "multiregion.appsync:set-identifier"
CALLER_REFERENCE_PREFIX = "mras-"

ROUTE53_RETRY_CODES = ["PriorRequestNotComplete", "Throttling", "ThrottlingException"]


class AliasTargetError(Route53ValidationError):
    """An incomplete alias_target."""


class HealthCheckError(Route53ValidationError):
    """A health_check Route53 would refuse, or one that would check the wrong endpoint."""


class HostedZoneError(Route53ValidationError):
    """hosted_zone_id / hosted_zone_name name no zone, several, or a private zone only."""


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NoSuchHealthCheck", "NoSuchHostedZone", "NoSuchChange"])


route53_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=ROUTE53_RETRY_CODES)


# ---------------------------------------------------------------------------
# Names and validation
# ---------------------------------------------------------------------------

def fqdn(name):
    return normalize_name(name) + "."


def bare_zone_id(zone_id):
    """A hosted zone id without the /hostedzone/ prefix some answers and users give it (alias targets included)."""
    return zone_id.split("/")[-1] if zone_id else zone_id


def name_in_zone(record_name, zone_name):
    record = normalize_name(record_name)
    zone = normalize_name(zone_name)
    return record == zone or record.endswith("." + zone)


def validate_alias_target(alias_target):
    """alias_target dict (dns_name, hosted_zone_id) -> API form without EvaluateTargetHealth."""
    if not alias_target.get("dns_name"):
        raise AliasTargetError("alias_target.dns_name is required")
    if not alias_target.get("hosted_zone_id"):
        raise AliasTargetError("alias_target.hosted_zone_id is required")
    return api_alias_target(alias_target["dns_name"], alias_target["hosted_zone_id"])


def api_alias_target(dns_name, hosted_zone_id):
    """API AliasTarget (without EvaluateTargetHealth) for a target name and its hosted zone."""
    return {"DNSName": fqdn(dns_name), "HostedZoneId": bare_zone_id(hosted_zone_id)}


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------

def build_record(name, record_type, set_identifier, geo_location, alias_target, evaluate_target_health, health_check_id=None):
    """The ResourceRecordSet this module wants (API form)."""
    record = {
        "Name": fqdn(name),
        "Type": record_type,
        "SetIdentifier": set_identifier,
        "GeoLocation": dict(geo_location),
        "AliasTarget": {
            "HostedZoneId": alias_target["HostedZoneId"],
            "DNSName": fqdn(alias_target["DNSName"]),
            "EvaluateTargetHealth": bool(evaluate_target_health),
        },
    }
    if health_check_id:
        record["HealthCheckId"] = health_check_id
    return record


def comparable_record(record):
    """What decides whether an UPSERT is needed, normalised (case, trailing dots)."""
    if record is None:
        return None
    alias = record.get("AliasTarget") or {}
    return {
        "Name": normalize_name(record.get("Name")),
        "Type": record.get("Type"),
        "SetIdentifier": record.get("SetIdentifier"),
        "GeoLocation": dict((k, v.upper()) for k, v in (record.get("GeoLocation") or {}).items() if v),
        "AliasTarget": {
            "HostedZoneId": bare_zone_id(alias.get("HostedZoneId")),
            "DNSName": normalize_name(alias.get("DNSName")),
            "EvaluateTargetHealth": bool(alias.get("EvaluateTargetHealth")),
        } if alias else None,
        "ResourceRecords": sorted(r.get("Value") for r in record.get("ResourceRecords") or []) or None,
        "TTL": record.get("TTL"),
        "HealthCheckId": record.get("HealthCheckId"),
    }


def records_differ(current, desired):
    return comparable_record(current) != comparable_record(desired)


def select_owned_records(record_sets, name, set_identifier):
    """{type: record} for the A/AAAA records at name whose SetIdentifier is ours.

    Records with other names or other set identifiers are never returned.
    """
    owned = {}
    wanted = normalize_name(name)
    for record in record_sets:
        if normalize_name(record.get("Name")) != wanted:
            continue
        if record.get("SetIdentifier") != set_identifier:
            continue
        if record.get("Type") not in RECORD_TYPES:
            continue
        owned[record["Type"]] = record
    return owned


def location_conflicts(record_sets, name, set_identifiers, geo_location, record_types):
    """[(type, set identifier)] of other set identifiers' records at name for the same location and a wanted type.

    set_identifiers: those whose records the one change batch replaces (so what
    they hold now is no conflict). Route53 refuses a second record of one name
    and type for a location: found here, the module fails before any write (and
    check mode does not predict a change AWS would refuse).
    """
    wanted, location = normalize_name(name), geo_location_key(geo_location)
    return sorted(
        (record["Type"], record.get("SetIdentifier"))
        for record in record_sets
        if normalize_name(record.get("Name")) == wanted and record.get("SetIdentifier") not in set_identifiers
        and record.get("Type") in record_types and geo_location_key(record.get("GeoLocation")) == location
    )


def routing_conflicts(record_sets, name, record_types):
    """[(type, set identifier or None)] of the records at name that no geolocation record of record_types may sit beside.

    Route53 refuses geolocation records beside a CNAME of the name, and beside a
    record of the same name and type without geolocation (simple, weighted,
    latency, failover...), whatever its set identifier.
    """
    wanted = normalize_name(name)
    return sorted(
        (record["Type"], record.get("SetIdentifier"))
        for record in record_sets
        if normalize_name(record.get("Name")) == wanted
        and (record["Type"] == "CNAME" or (record["Type"] in record_types and not record.get("GeoLocation")))
    )


def plan_record_changes(current, desired):
    """Change list to go from current {type: record} to desired {type: record}.

    UPSERT a desired record that is missing or differs; DELETE (with the exact
    current record, as AWS requires) an owned record whose type is no longer wanted.
    """
    changes = []
    for record_type in sorted(desired):
        if records_differ(current.get(record_type), desired[record_type]):
            changes.append({"Action": "UPSERT", "ResourceRecordSet": desired[record_type]})
    for record_type in sorted(current):
        if record_type not in desired:
            changes.append({"Action": "DELETE", "ResourceRecordSet": current[record_type]})
    return changes


def record_to_ansible(record):
    if record is None:
        return None
    alias = record.get("AliasTarget") or {}
    return {
        "name": normalize_name(record.get("Name")),
        "type": record.get("Type"),
        "set_identifier": record.get("SetIdentifier"),
        "geo_location": geo_location_to_ansible(record.get("GeoLocation")),
        "alias_target": {
            "dns_name": normalize_name(alias.get("DNSName")),
            "hosted_zone_id": alias.get("HostedZoneId"),
            "evaluate_target_health": bool(alias.get("EvaluateTargetHealth")),
        } if alias else None,
        "health_check_id": record.get("HealthCheckId"),
    }


def summarize_records(records_by_type):
    """The `record` return value: one dict for all types of one set identifier."""
    if not records_by_type:
        return None
    types = sorted(records_by_type)
    first = record_to_ansible(records_by_type[types[0]])
    first["type"] = types[0]
    first["types"] = types
    return first


# ---------------------------------------------------------------------------
# Health checks
# ---------------------------------------------------------------------------

def validate_health_check(health_check, record_name, default_alarm_region=None):
    """health_check option -> API HealthCheckConfig. Raises HealthCheckError."""
    check_type = health_check.get("type")
    if check_type not in HEALTH_CHECK_TYPES:
        raise HealthCheckError("health_check.type %r is not one of %s" % (check_type, ", ".join(HEALTH_CHECK_TYPES)))
    config = {"Type": check_type}
    if check_type in HTTP_CHECK_TYPES:
        target = health_check.get("fqdn")
        if not target:
            raise HealthCheckError("health_check.fqdn is required for a %s health check" % check_type)
        if normalize_name(target) == normalize_name(record_name):
            raise HealthCheckError(
                "health_check.fqdn %r is the geolocation hostname itself: Route53 health checkers would resolve it "
                "from their own locations and check other regions; give this region's endpoint" % target)
        config["FullyQualifiedDomainName"] = normalize_name(target)
        config["Port"] = health_check.get("port") or 443
        path = health_check.get("resource_path") or "/"
        if not path.startswith("/"):
            raise HealthCheckError("health_check.resource_path %r must start with /" % path)
        config["ResourcePath"] = path
        config["RequestInterval"] = health_check.get("request_interval") or 30
        if config["RequestInterval"] not in (10, 30):
            raise HealthCheckError("health_check.request_interval %r must be 10 or 30" % config["RequestInterval"])
        config["FailureThreshold"] = health_check.get("failure_threshold") or 3
        if not 1 <= config["FailureThreshold"] <= 10:
            raise HealthCheckError("health_check.failure_threshold %r must be between 1 and 10" % config["FailureThreshold"])
        config["EnableSNI"] = True
        if check_type == "HTTPS_STR_MATCH":
            if not health_check.get("search_string"):
                raise HealthCheckError("health_check.search_string is required for an HTTPS_STR_MATCH health check")
            if len(health_check["search_string"]) > 255:
                raise HealthCheckError("health_check.search_string is longer than 255 characters")
            config["SearchString"] = health_check["search_string"]
        elif health_check.get("search_string"):
            raise HealthCheckError("health_check.search_string needs type HTTPS_STR_MATCH, not %s" % check_type)
    else:
        if not health_check.get("alarm_name"):
            raise HealthCheckError("health_check.alarm_name is required for a CLOUDWATCH_METRIC health check")
        alarm_region = health_check.get("alarm_region") or default_alarm_region
        if not alarm_region:
            raise HealthCheckError("health_check.alarm_region is required for a CLOUDWATCH_METRIC health check")
        config["AlarmIdentifier"] = {"Region": alarm_region, "Name": health_check["alarm_name"]}
        config["InsufficientDataHealthStatus"] = health_check.get("insufficient_data_health_status") or "LastKnownStatus"
        for option in ("fqdn", "search_string"):
            if health_check.get(option):
                raise HealthCheckError("health_check.%s does not apply to a CLOUDWATCH_METRIC health check" % option)
    return config


def plan_health_check_update(current_config, desired_config):
    """('replace', None) | ('update', {field: value}) | ('none', None)."""
    for field in HEALTH_CHECK_IMMUTABLE:
        if field in desired_config and current_config.get(field) != desired_config[field]:
            return "replace", None
    if current_config.get("Type") != desired_config.get("Type"):
        return "replace", None
    updates = {}
    for field in HEALTH_CHECK_MUTABLE:
        if field not in desired_config:
            continue
        current = current_config.get(field)
        wanted = desired_config[field]
        if field == "FullyQualifiedDomainName":
            current = normalize_name(current)
        if current != wanted:
            updates[field] = wanted
    if updates:
        return "update", updates
    return "none", None


def health_check_tags(record_name, set_identifier):
    tags = owner_tags()
    tags[TAG_RECORD] = normalize_name(record_name)
    tags[TAG_SET_IDENTIFIER] = set_identifier
    tags["Name"] = "%s %s" % (set_identifier, normalize_name(record_name))
    return tags


def caller_reference_prefix(record_name, set_identifier):
    digest = hashlib.sha256(("%s|%s" % (normalize_name(record_name), set_identifier)).encode("utf-8")).hexdigest()
    return "%s%s-" % (CALLER_REFERENCE_PREFIX, digest[:24])


def new_caller_reference(record_name, set_identifier):
    """Unique per create attempt (AWS keeps a deleted check's reference), and
    stable across retries of that one CreateHealthCheck call; the prefix names the record."""
    return caller_reference_prefix(record_name, set_identifier) + uuid.uuid4().hex


def select_owned_health_checks(checks, tags_by_id, record_name, set_identifier):
    """Health checks made by this module for (record_name, set_identifier).

    Tagged ones match on the owner, record and set-identifier tags; an untagged
    one matches on the CallerReference prefix (a run that died between
    CreateHealthCheck and ChangeTagsForResource).
    """
    want = health_check_tags(record_name, set_identifier)
    prefix = caller_reference_prefix(record_name, set_identifier)
    owned = []
    for check in checks:
        tags = tags_by_id.get(check["Id"]) or {}
        if tags:
            if all(tags.get(key) == want[key] for key in (OWNER_TAG_KEY, TAG_RECORD, TAG_SET_IDENTIFIER)):
                owned.append(check)
        elif (check.get("CallerReference") or "").startswith(prefix):
            owned.append(check)
    return owned


def health_check_to_ansible(check, tags=None):
    if not check:
        return None
    result = camel_dict_to_snake_dict(check)
    if tags is not None:
        result["tags"] = dict(tags)
    return result


# ---------------------------------------------------------------------------
# Coverage report
# ---------------------------------------------------------------------------

def geolocation_records(record_sets, name):
    """The geolocation A/AAAA records at name (what clients are answered with), in listing order."""
    wanted = normalize_name(name)
    return [r for r in record_sets if normalize_name(r.get("Name")) == wanted and r.get("GeoLocation") and r.get("Type") in RECORD_TYPES]


def record_sets_after(record_sets, name, set_identifier, desired):
    """The record sets listed at name, with this set identifier's A/AAAA records replaced by desired ({type: record}).

    What Route53 holds once a run's changes are made, from the listing it already read (no second call).
    """
    wanted = normalize_name(name)
    kept = [r for r in record_sets if not (normalize_name(r.get("Name")) == wanted and r.get("SetIdentifier") == set_identifier
                                           and r.get("Type") in RECORD_TYPES)]
    return kept + [desired[t] for t in sorted(desired)]


def compute_coverage(records, expected_set_identifiers=None):
    """Which set identifier answers each location.

    records: API ResourceRecordSets with GeoLocation. Returns a dict with
    continents/countries/subdivisions {code: set_identifier}, default (set
    identifier of the '*' record or None), has_default, overlaps and missing
    (expected set identifiers without a record).

    overlaps: locations claimed by more than one set identifier, over the A and AAAA
    records. Route53 refuses two records of one name and type for the same location,
    so on AWS an overlap is a location whose A and AAAA records belong to different
    set identifiers: IPv4 and IPv6 clients there reach different regions. The same
    type twice is kept as a safeguard (a zone edited outside Route53's checks).
    The maps then name the first set identifier in sort order.
    """
    claims = {}
    for record in records:
        key = geo_location_key(record.get("GeoLocation"))
        if key is None:
            continue
        claims.setdefault(key, set()).add(record.get("SetIdentifier"))
    coverage = {"continents": {}, "countries": {}, "subdivisions": {}, "default": None, "overlaps": []}
    for key in sorted(claims):
        owners = sorted(s for s in claims[key] if s is not None)
        if not owners:
            continue
        if len(owners) > 1:
            coverage["overlaps"].append({"location": key, "set_identifiers": owners})
        if key == "default":
            coverage["default"] = owners[0]
            continue
        kind, code = key.split(":", 1)
        bucket = {"continent": "continents", "country": "countries", "subdivision": "subdivisions"}[kind]
        coverage[bucket][code] = owners[0]
    coverage["has_default"] = coverage["default"] is not None
    present = set(r.get("SetIdentifier") for r in records)
    coverage["missing"] = [s for s in (expected_set_identifiers or []) if s not in present]
    return coverage


# ---------------------------------------------------------------------------
# Client wrappers (one per API call, retried inside the error handler)
# ---------------------------------------------------------------------------

@Route53ErrorHandler.common_error_handler("list hosted zones by name")
@route53_retry
def _list_hosted_zones_by_name(client, **params):
    return client.list_hosted_zones_by_name(**params)


def is_private_zone(zone):
    return bool((zone.get("Config") or {}).get("PrivateZone"))


def select_public_zone(zones, zone_name):
    """The one public hosted zone named zone_name among zones (ListHostedZonesByName entries).

    A public and a private zone may share a name (split-horizon DNS): records
    for the internet, and ACM's validation records, belong in the public one.
    Raises HostedZoneError naming hosted_zone_name when none, only private
    ones, or several public zones have that name.
    """
    named = [z for z in zones if normalize_name(z["Name"]) == normalize_name(zone_name)]
    if not named:
        raise HostedZoneError("hosted_zone_name %s: no such hosted zone" % zone_name)
    public = [z for z in named if not is_private_zone(z)]
    if not public:
        raise HostedZoneError(
            "hosted_zone_name %s: only a private hosted zone has that name (%s); records there answer only inside its "
            "VPCs, not on the internet: create the public zone %s"
            % (zone_name, ", ".join(sorted(_zone_id(z) for z in named)), fqdn(zone_name)))
    if len(public) > 1:
        raise HostedZoneError("hosted_zone_name %s names %d hosted zones (%s); give hosted_zone_id"
                              % (zone_name, len(public), ", ".join(sorted(_zone_id(z) for z in public))))
    return public[0]


def _zone_id(zone):
    return bare_zone_id(zone["Id"])


def resolve_hosted_zone(client, zone_id=None, zone_name=None):
    """The public hosted zone that hosted_zone_id or hosted_zone_name names ({Id without /hostedzone/, Name, Config}).

    The one zone resolver of route53_geo_record, route53_geo_record_info and
    acm_dns_certificate. Raises HostedZoneError naming the option (and the zone).
    Both given: the zone as the caller read it (the preflight role, once per run),
    {Id, Name} without a call; the caller vouches that it is the public zone of that name.
    """
    if zone_id and zone_name:
        return {"Id": bare_zone_id(zone_id), "Name": fqdn(zone_name)}
    if zone_id:
        zone = get_hosted_zone(client, bare_zone_id(zone_id))
        if zone is None:
            raise HostedZoneError("hosted_zone_id %s: no such hosted zone" % zone_id)
        if is_private_zone(zone):
            raise HostedZoneError("hosted_zone_id %s: %s is a private hosted zone; records there answer only inside its "
                                  "VPCs, not on the internet: give a public zone" % (zone_id, fqdn(zone["Name"])))
        return zone
    return select_public_zone(find_hosted_zones(client, zone_name), zone_name)


def find_hosted_zones(client, zone_name):
    """Hosted zones named zone_name: list of {Id (without /hostedzone/), Name, Config}."""
    wanted = normalize_name(zone_name)
    found = []
    params = {"DNSName": fqdn(zone_name)}
    while True:
        page = _list_hosted_zones_by_name(client, **params)
        for zone in page.get("HostedZones", []):
            if normalize_name(zone["Name"]) != wanted:
                return found
            found.append(dict(zone, Id=_zone_id(zone)))
        if not page.get("IsTruncated"):
            return found
        params = {"DNSName": page["NextDNSName"], "HostedZoneId": page["NextHostedZoneId"]}


@Route53ErrorHandler.list_error_handler("get hosted zone")
@route53_retry
def get_hosted_zone(client, zone_id):
    zone = client.get_hosted_zone(Id=zone_id)["HostedZone"]
    return dict(zone, Id=_zone_id(zone))


@Route53ErrorHandler.common_error_handler("list resource record sets")
@route53_retry
def _list_resource_record_sets(client, **params):
    return client.list_resource_record_sets(**params)


def list_record_sets_for_name(client, zone_id, name):
    """All record sets at exactly `name` (every type and set identifier)."""
    wanted = normalize_name(name)
    params = {"HostedZoneId": zone_id, "StartRecordName": fqdn(name)}
    records = []
    while True:
        page = _list_resource_record_sets(client, **params)
        for record in page.get("ResourceRecordSets", []):
            if normalize_name(record["Name"]) != wanted:
                return records
            records.append(record)
        if not page.get("IsTruncated"):
            return records
        params = {"HostedZoneId": zone_id, "StartRecordName": page["NextRecordName"]}
        if page.get("NextRecordType"):
            params["StartRecordType"] = page["NextRecordType"]
        if page.get("NextRecordIdentifier"):
            params["StartRecordIdentifier"] = page["NextRecordIdentifier"]


@Route53ErrorHandler.common_error_handler("change resource record sets")
@route53_retry
def _change_resource_record_sets(client, zone_id, changes, comment=None):
    batch = {"Changes": changes}
    if comment:
        batch["Comment"] = comment
    return client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch=batch)["ChangeInfo"]


def _is_delete_not_found(error):
    """InvalidChangeBatch "Tried to delete resource record set ... but it was not found"."""
    response = getattr(error.exception, "response", None) or {}
    details = response.get("Error", {})
    return details.get("Code") == "InvalidChangeBatch" and "not found" in (details.get("Message") or "")


def _record_set_present(client, zone_id, record_set):
    """True while a record set of this name, type and set identifier is in the zone."""
    return any(r["Type"] == record_set["Type"] and r.get("SetIdentifier") == record_set.get("SetIdentifier")
               for r in list_record_sets_for_name(client, zone_id, record_set["Name"]))


def change_record_sets(client, zone_id, changes, comment=None):
    """ChangeResourceRecordSets; returns its ChangeInfo, or None when nothing was left to change.

    A batch resent after a lost answer (a 5xx or a dropped connection; the SDK and
    AWSRetry resend) is refused when its DELETE already went through: "Tried to
    delete ... but it was not found". The zone is read again: when every DELETE's
    record set is gone, the DELETEs are done and only the UPSERTs (safe to resend)
    are submitted again; otherwise the refusal stands.
    """
    deletes = [c["ResourceRecordSet"] for c in changes if c["Action"] == "DELETE"]
    others = [c for c in changes if c["Action"] != "DELETE"]
    try:
        return _change_resource_record_sets(client, zone_id, changes, comment)
    except AnsibleRoute53Error as error:
        if (not _is_delete_not_found(error) or not deletes or any(c["Action"] != "UPSERT" for c in others)
                or any(_record_set_present(client, zone_id, r) for r in deletes)):
            raise
    if not others:
        return None
    return _change_resource_record_sets(client, zone_id, others, comment)


@Route53ErrorHandler.common_error_handler("get change")
@route53_retry
def get_change(client, change_id):
    return client.get_change(Id=change_id)["ChangeInfo"]


def submit_changes(client, zone_id, changes, comment, wait, timeout):
    """ChangeResourceRecordSets, then (with wait) GetChange until INSYNC; returns the change id
    (None when a resent batch found its DELETEs already made and nothing else to change)."""
    info = change_record_sets(client, zone_id, changes, comment=comment)
    if info is None:
        return None
    if wait:
        wait_for_change(client, info, timeout)
    return info["Id"]


def wait_for_change(client, change_info, timeout, delay=5, sleep=time.sleep, clock=time.monotonic):
    """Poll GetChange until INSYNC; return the last ChangeInfo. Raises AnsibleRoute53Error on timeout."""
    deadline = clock() + timeout
    info = change_info
    while info.get("Status") != "INSYNC":
        if clock() >= deadline:
            raise AnsibleRoute53Error(message="Timeout after %ss waiting for Route53 change %s to be INSYNC (status %s)"
                                      % (timeout, info.get("Id"), info.get("Status")))
        sleep(delay)
        info = get_change(client, info["Id"])
    return info


@Route53ErrorHandler.common_error_handler("list health checks")
@route53_retry
def _list_health_checks(client, **params):
    return client.list_health_checks(**params)


def list_health_checks(client):
    checks = []
    params = {}
    while True:
        page = _list_health_checks(client, **params)
        checks.extend(page.get("HealthChecks", []))
        if not page.get("IsTruncated"):
            return checks
        params = {"Marker": page["NextMarker"]}


@Route53ErrorHandler.common_error_handler("list tags of health checks")
@route53_retry
def _list_tags_for_resources(client, ids):
    return client.list_tags_for_resources(ResourceType="healthcheck", ResourceIds=ids)


def health_check_tags_by_id(client, ids):
    """{health check id: tags dict}; ListTagsForResources takes 10 ids a call."""
    result = {}
    ids = list(ids)
    for start in range(0, len(ids), 10):
        page = _list_tags_for_resources(client, ids[start:start + 10])
        for tag_set in page.get("ResourceTagSets", []):
            result[tag_set["ResourceId"]] = boto3_tag_list_to_ansible_dict(tag_set.get("Tags") or [])
    return result


@Route53ErrorHandler.common_error_handler("create health check")
@route53_retry
def create_health_check(client, caller_reference, config):
    return client.create_health_check(CallerReference=caller_reference, HealthCheckConfig=config)["HealthCheck"]


@Route53ErrorHandler.common_error_handler("update health check")
@route53_retry
def update_health_check(client, check_id, version, updates):
    return client.update_health_check(HealthCheckId=check_id, HealthCheckVersion=version, **updates)["HealthCheck"]


@Route53ErrorHandler.deletion_error_handler("delete health check")
@route53_retry
def delete_health_check(client, check_id):
    client.delete_health_check(HealthCheckId=check_id)
    return True


@Route53ErrorHandler.common_error_handler("tag health check")
@route53_retry
def tag_health_check(client, check_id, tags):
    client.change_tags_for_resource(ResourceType="healthcheck", ResourceId=check_id,
                                    AddTags=ansible_dict_to_boto3_tag_list(tags))
