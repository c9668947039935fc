"""Route53 as AWS behaves where this collection depends on it (moto 5.2.5 differs).

ChangeResourceRecordSets
- A record is identified by name, type and SetIdentifier. DELETE removes
  exactly that record, and only when the request carries its current values
  (TTL, ResourceRecords, AliasTarget, GeoLocation, HealthCheckId, ...);
  otherwise InvalidChangeBatch "... but it was not found" / "... but the values
  provided do not match the current values". moto deleted every record with
  the SetIdentifier, across all names and types of the zone.
- CREATE of a record that exists fails with InvalidChangeBatch (moto decided
  from a journal of past changes), and so do CREATE and UPSERT of a name
  outside the zone (moto accepted "xexample.com" in "example.com"), of a CNAME
  next to other types at one name, of records of one name and type that mix
  routing policies or lack a SetIdentifier, and of two geolocation records of
  one name and type for the same location. Every change needs exactly one of
  AliasTarget or TTL + ResourceRecords (InvalidInput); a HealthCheckId must
  name an existing health check (NoSuchHealthCheck).
- The batch is atomic: the changes are applied in order to a copy of the zone,
  which replaces the zone's records only when every change succeeded.
- Record names (and alias target DNS names) are stored as AWS returns them:
  lower case, with a trailing dot, characters other than a-z 0-9 - _ as \\ooo
  octal escapes ("*" -> "\\052").
- ListResourceRecordSets sorts records of one name and type by SetIdentifier
  and pages with StartRecordIdentifier / NextRecordIdentifier.
- A new zone's SOA record carries its value (moto stored the repr of a dict).

Health checks
- CLOUDWATCH_METRIC checks keep AlarmIdentifier and InsufficientDataHealthStatus
  (Create, Get, List, Update) and do not carry the HTTP fields (Port,
  RequestInterval, FailureThreshold, ...) that do not apply to them; Create
  without AlarmIdentifier is InvalidInput.
- CreateHealthCheck is idempotent on CallerReference: the same reference and
  configuration returns the existing check; a different configuration, or the
  reference of a deleted check, fails with HealthCheckAlreadyExists (409).
  The response carries the Location header.
- UpdateHealthCheck increments HealthCheckVersion, refuses a stale
  HealthCheckVersion (HealthCheckVersionMismatch, 409) and applies
  ResetElements.
- DeleteHealthCheck of an unknown id is NoSuchHealthCheck (moto answered 200)
  and drops the check's tags; ChangeTagsForResource on an unknown health check
  is NoSuchHealthCheck.
- Health checks are evaluated against the local data plane and
  GetHealthCheckStatus reports what the checkers saw (localaws.dataplane.health;
  moto always answered Success).

Changes take time, as on AWS: ChangeResourceRecordSets answers a change id of
its own, and GetChange answers PENDING until ``change_delay`` seconds have
passed, then INSYNC (default 0; env ``LOCALAWS_ROUTE53_CHANGE_DELAY``). Ids
this layer did not hand out (moto's fixed ones) stay INSYNC, as moto answers.

TestDNSAnswer (moto lacks it) answers from the live records with Route53's
routing: geolocation as the global hostname's data plane decides it, for AWS's
default resolver in us-east-1 (US, Virginia) or, with a ResolverIP this layer
cannot place (EDNS0 client subnets are ignored), the '*' record; an alias
answers 127.0.0.1, the local data plane; NXDOMAIN when the name has no record.

Data plane: a request whose Host is the name of alias records to API Gateway
domains is answered by the region Route53 would pick (localaws.dataplane.geo).

Control hook for tests (not an AWS operation): a SigV4-style POST to the Route53
endpoint at ``/2013-04-01/localaws/configure`` with a JSON body
``{"change_delay": seconds, "health_check_interval": seconds}`` changes the
settings and answers them (an empty object only reads them);
``health_check_interval`` (env ``LOCALAWS_ROUTE53_HEALTH_CHECK_INTERVAL``)
replaces every check's RequestInterval, 0 or null restores it.
"""

import copy
import datetime
import json
import os
import random
import re
import string
import threading
import time

from localaws import dataplane
from localaws.dataplane import geo, health

CHANGE_DELAY_ENV = "LOCALAWS_ROUTE53_CHANGE_DELAY"
HEALTH_CHECK_INTERVAL_ENV = "LOCALAWS_ROUTE53_HEALTH_CHECK_INTERVAL"
CONTROL_PATH = r"{0}/(?P<api_version>[\d_-]+)/localaws/configure$"
TEST_DNS_ANSWER_PATH = r"{0}/(?P<api_version>[\d_-]+)/testdnsanswer$"
# Where TestDNSAnswer's default resolver is (us-east-1, Northern Virginia), and what an alias answers here.
RESOLVER_LOCATION = {"continent": "NA", "country": "US", "subdivision": "VA"}
LOCAL_ADDRESS = "127.0.0.1"
GEO_PRIORITY = 30  # before the HTTP API handler: the global hostname is also each region's custom domain
SETTINGS = {"change_delay": 0.0}  # seconds a record change stays PENDING
_CHANGES = {}  # change id -> (submitted, INSYNC from), epoch seconds
_CHANGE_ID_CHARS = string.ascii_uppercase + string.digits
_random = random.SystemRandom()
_INSTALLED = []
_LOCK = threading.RLock()
_PLAIN = re.compile(r"[a-z0-9_.-]")
_ESCAPE = re.compile(r"\\(\d{3})")
# UpdateHealthCheck ResetElements -> moto's HealthCheck attribute.
RESETTABLE = {"ChildHealthChecks": "children", "FullyQualifiedDomainName": "fqdn", "Regions": "regions",
              "ResourcePath": "resource_path"}
NOT_FOR_CLOUDWATCH_METRIC = ("IPAddress", "Port", "ResourcePath", "FullyQualifiedDomainName", "SearchString",
                             "RequestInterval", "FailureThreshold", "MeasureLatency", "EnableSNI", "Regions")


def canonical_name(name):
    """A DNS name as Route53 stores and returns it."""
    if not name:
        return name
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), name).lower().rstrip(".")
    return "".join(c if _PLAIN.match(c) else "\\%03o" % ord(c) for c in decoded) + "."


def _value(resource_record):
    return resource_record["Value"] if isinstance(resource_record, dict) else resource_record


def record_values(record):
    """What a DELETE must repeat of a record (API form), normalised for comparison."""
    alias = record.get("AliasTarget")
    ttl = record.get("TTL")
    return {
        "TTL": None if ttl is None else int(ttl),
        "ResourceRecords": sorted(_value(r) for r in record.get("ResourceRecords") or []),
        "AliasTarget": None if not alias else (alias.get("HostedZoneId"), canonical_name(alias.get("DNSName")),
                                               bool(alias.get("EvaluateTargetHealth"))),
        "GeoLocation": dict(record.get("GeoLocation") or {}),
        "Weight": record.get("Weight"),
        "Region": record.get("Region"),
        "Failover": record.get("Failover"),
        "HealthCheckId": record.get("HealthCheckId"),
        "MultiValueAnswer": bool(record.get("MultiValueAnswer")),
    }


def api_form(rrset):
    """A moto RecordSet as the ResourceRecordSet dict of the API."""
    return {
        "Name": rrset.name, "Type": rrset.type, "SetIdentifier": rrset.set_identifier, "TTL": rrset.ttl,
        "ResourceRecords": [{"Value": _value(v)} for v in rrset.records or []], "AliasTarget": rrset.alias_target,
        "GeoLocation": rrset.geo_location, "Weight": rrset.weight, "Region": rrset.region, "Failover": rrset.failover,
        "HealthCheckId": rrset.health_check_id, "MultiValueAnswer": rrset.multi_value_answer,
    }


def describe_record(record):
    text = "[name='%s', type='%s'" % (record["Name"], record.get("Type"))
    if record.get("SetIdentifier") is not None:
        text += ", set-identifier='%s'" % record["SetIdentifier"]
    return text + "]"


def routing_policy(record):
    for key, policy in (("GeoLocation", "geolocation"), ("Region", "latency"), ("Failover", "failover"),
                        ("MultiValueAnswer", "multivalue")):
        if record.get(key):
            return policy
    return "weighted" if record.get("Weight") is not None else "simple"


def conflict(record, others, zone_name):
    """Why record (API form, canonical name) cannot join the others (API forms) at its name, or None."""
    for other in others:
        if canonical_name(other["Name"]) != record["Name"]:
            continue
        if "CNAME" in (record["Type"], other["Type"]) and record["Type"] != other["Type"]:
            return ("RRSet of type %s with DNS name %s is not permitted as it conflicts with other records with the same "
                    "DNS name in zone %s" % (record["Type"], record["Name"], zone_name))
        if other["Type"] != record["Type"]:
            continue
        if routing_policy(other) != routing_policy(record) or not (other["SetIdentifier"] and record.get("SetIdentifier")):
            return ("RRSet of type %s with DNS name %s is not permitted because a conflicting RRSet of type %s with the "
                    "same DNS name already exists in zone %s" % (record["Type"], record["Name"], other["Type"], zone_name))
        if record.get("GeoLocation") and other["GeoLocation"] == record["GeoLocation"]:
            return ("RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created because a RRSet with the same "
                    "GeoLocation already exists (SetIdentifier %s)"
                    % (record["Name"], record["Type"], record["SetIdentifier"], other["SetIdentifier"]))
    return None


def _same_record(rrset, name, record_type, set_identifier):
    return canonical_name(rrset.name) == name and rrset.type == record_type and rrset.set_identifier == set_identifier


def validate_change(backend, zone, action, record):
    """The checks of one change that involve no other record; record's Name made canonical."""
    # pylint: disable=import-outside-toplevel
    from moto.route53.exceptions import InvalidActionValue, InvalidInput, NoSuchHealthCheck, Route53ClientError
    from moto.route53.utils import validate_domain_name

    if action not in ("CREATE", "UPSERT", "DELETE"):
        raise InvalidActionValue(action)
    validate_domain_name(record["Name"], code="InvalidChangeBatch")
    record["Name"] = name = canonical_name(record["Name"])
    zone_name = canonical_name(zone.name)
    if name != zone_name and not name.endswith("." + zone_name):
        raise Route53ClientError("InvalidChangeBatch", "RRSet with DNS name %s is not permitted in zone %s" % (name, zone_name))
    has_values = record.get("TTL") is not None and bool(record.get("ResourceRecords"))
    if bool(record.get("AliasTarget")) == has_values:
        raise InvalidInput("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
                           "TrafficPolicyInstanceId], but found %s in Change with [Action=%s, Name=%s, Type=%s, SetIdentifier=%s]"
                           % ("more than one" if has_values else "none", action, name, record.get("Type"),
                              record.get("SetIdentifier") or "null"))
    if action != "DELETE" and record.get("HealthCheckId") and record["HealthCheckId"] not in backend.health_checks:
        raise NoSuchHealthCheck(record["HealthCheckId"])


def apply_change(backend, zone, rrsets, change):
    """rrsets after one change (a new list); raises moto's Route53 errors as AWS does."""
    # pylint: disable=import-outside-toplevel
    from moto.route53.exceptions import Route53ClientError
    from moto.route53.models import RecordSet

    action = change.get("Action")
    record = copy.deepcopy(change["ResourceRecordSet"])
    validate_change(backend, zone, action, record)
    matches = [i for i, r in enumerate(rrsets) if _same_record(r, record["Name"], record.get("Type"), record.get("SetIdentifier"))]
    rest = [r for i, r in enumerate(rrsets) if i not in matches]
    if action == "CREATE" and matches:
        raise Route53ClientError("InvalidChangeBatch", "Tried to create resource record set %s but it already exists"
                                 % describe_record(record))
    if action == "DELETE":
        if not matches:
            raise Route53ClientError("InvalidChangeBatch", "Tried to delete resource record set %s but it was not found"
                                     % describe_record(record))
        if record_values(api_form(rrsets[matches[0]])) != record_values(record):
            raise Route53ClientError("InvalidChangeBatch", "Tried to delete resource record set %s but the values provided "
                                     "do not match the current values" % describe_record(record))
        return rest
    problem = conflict(record, [api_form(r) for r in rest], canonical_name(zone.name))
    if problem:
        raise Route53ClientError("InvalidChangeBatch", problem)
    if "ResourceRecords" in record:
        record["ResourceRecords"] = [_value(r) for r in record["ResourceRecords"]]
    if record.get("AliasTarget"):
        record["AliasTarget"]["DNSName"] = canonical_name(record["AliasTarget"]["DNSName"])
    return rest + [RecordSet(record)]


def sort_key(rrset):
    from moto.route53.models import reverse_domain_name  # pylint: disable=import-outside-toplevel

    return reverse_domain_name(canonical_name(rrset.name)), rrset.type or "", rrset.set_identifier or ""


def deleted_references(backend):
    """CallerReferences of the backend's deleted health checks (AWS keeps them for days)."""
    return backend.__dict__.setdefault("deleted_health_check_references", set())


def args_from_config(config):
    """CreateHealthCheck's HealthCheckConfig -> moto's health_check_args."""
    return {
        "ip_address": config.get("IPAddress"), "port": config.get("Port"), "type": config["Type"],
        "resource_path": config.get("ResourcePath"), "fqdn": config.get("FullyQualifiedDomainName"),
        "search_string": config.get("SearchString"), "request_interval": config.get("RequestInterval"),
        "failure_threshold": config.get("FailureThreshold"), "health_threshold": config.get("HealthThreshold"),
        "measure_latency": config.get("MeasureLatency"), "inverted": config.get("Inverted"),
        "disabled": config.get("Disabled"), "enable_sni": config.get("EnableSNI"),
        "children": config.get("ChildHealthChecks", []), "regions": config.get("Regions", []),
        "alarm_identifier": config.get("AlarmIdentifier"),
        "insufficient_data_health_status": config.get("InsufficientDataHealthStatus"),
        "requested_config": copy.deepcopy(config),
    }


# UpdateHealthCheck request parameters -> moto's health_check_args.
UPDATE_HEALTH_CHECK_PARAMS = (
    ("ip_address", "IPAddress"), ("port", "Port"), ("resource_path", "ResourcePath"),
    ("fqdn", "FullyQualifiedDomainName"), ("search_string", "SearchString"), ("failure_threshold", "FailureThreshold"),
    ("health_threshold", "HealthThreshold"), ("inverted", "Inverted"), ("disabled", "Disabled"),
    ("enable_sni", "EnableSNI"), ("children", "ChildHealthChecks"), ("regions", "Regions"),
    ("alarm_identifier", "AlarmIdentifier"), ("insufficient_data_health_status", "InsufficientDataHealthStatus"),
    ("health_check_version", "HealthCheckVersion"), ("reset_elements", "ResetElements"),
)


def new_change(delay):
    """ChangeInfo of a change submitted now; it stays PENDING for delay seconds."""
    change_id = "C" + "".join(_random.choice(_CHANGE_ID_CHARS) for dummy in range(13))
    now = time.time()
    with _LOCK:
        _CHANGES[change_id] = (now, now + delay)
    return change_info(change_id)


def change_info(change_id):
    """ChangeInfo of a change this layer handed out (PENDING until its delay passed), else None."""
    with _LOCK:
        times = _CHANGES.get(change_id)
    if times is None:
        return None
    submitted, insync = times
    return {"Id": "/change/%s" % change_id, "Status": "PENDING" if time.time() < insync else "INSYNC",
            "SubmittedAt": datetime.datetime.fromtimestamp(submitted, tz=datetime.timezone.utc)}


def configure(changes):
    """Apply control-hook settings; returns the settings. Raises ValueError on an unknown or bad one."""
    unknown = set(changes) - {"change_delay", "health_check_interval"}
    if unknown:
        raise ValueError("unknown settings: %s" % ", ".join(sorted(unknown)))
    with _LOCK:
        if "change_delay" in changes:
            SETTINGS["change_delay"] = float(changes["change_delay"])
        if "health_check_interval" in changes:
            value = changes["health_check_interval"]
            health.SETTINGS["interval"] = float(value) if value else None
    health.reschedule()
    return current_settings()


def current_settings():
    return {"change_delay": SETTINGS["change_delay"], "health_check_interval": health.SETTINGS["interval"]}


def _settings_from_environment():
    if os.environ.get(CHANGE_DELAY_ENV):
        SETTINGS["change_delay"] = float(os.environ[CHANGE_DELAY_ENV])
    if os.environ.get(HEALTH_CHECK_INTERVAL_ENV):
        health.SETTINGS["interval"] = float(os.environ[HEALTH_CHECK_INTERVAL_ENV])


def control_endpoint(request, full_url, headers):  # pylint: disable=unused-argument
    """POST {api_version}/localaws/configure: the control hook (not an AWS operation)."""
    try:
        payload = configure(json.loads(request.get_data() or b"{}"))
    except (ValueError, TypeError) as error:
        return 400, {"Content-Type": "application/json"}, json.dumps({"message": str(error)})
    return 200, {"Content-Type": "application/json"}, json.dumps(payload)


def dns_answer(zone, record_name, record_type, resolver_ip):
    """TestDNSAnswer's answer from the live records of zone (API form, without the echoed name and type).

    Without ResolverIP, AWS asks from a resolver in us-east-1 (US, Virginia);
    a given resolver (or EDNS0 client subnet) cannot be placed here, so it gets
    the '*' record, as an address Route53 cannot place does. Alias records to
    API Gateway answer 127.0.0.1, where the local data plane serves them.
    """
    name = canonical_name(record_name)
    at_name = [api_form(r) for r in zone.rrsets if canonical_name(r.name) == name]
    records = [r for r in at_name if r["Type"] == record_type]
    geo_records = [r for r in records if r.get("GeoLocation")]
    if geo_records:
        chosen = geo.choose_record(geo_records, {} if resolver_ip else RESOLVER_LOCATION, health.is_healthy)
        records = [chosen] if chosen else []
    elif records:
        records = [next((r for r in records if not r.get("HealthCheckId") or health.is_healthy(r["HealthCheckId"])),
                        records[0])]
    data = []
    for record in records:
        data += [LOCAL_ADDRESS] if record.get("AliasTarget") else [_value(v) for v in record["ResourceRecords"] or []]
    nameservers = [r for r in zone.rrsets if r.type == "NS" and canonical_name(r.name) == canonical_name(zone.name)]
    return {"Nameserver": (_value(nameservers[0].records[0]) if nameservers and nameservers[0].records else "localhost"),
            "RecordData": data, "ResponseCode": "NOERROR" if at_name else "NXDOMAIN", "Protocol": "UDP"}


def install():
    """Patch moto's Route53 in-process; serve the global hostname and start the health checkers."""
    # pylint: disable=import-outside-toplevel
    from moto.route53 import models, responses, urls

    _settings_from_environment()
    _install_record_changes(models.Route53Backend, responses.Route53, models.RecordSet)
    _install_change_status(responses.Route53)
    _install_health_check_model(models.HealthCheck)
    _install_health_check_lifecycle(models.Route53Backend, responses.Route53)
    _install_health_check_updates(models.Route53Backend, responses.Route53)
    urls.url_paths[CONTROL_PATH] = control_endpoint
    urls.url_paths[TEST_DNS_ANSWER_PATH] = responses.Route53.dispatch
    if not _INSTALLED:
        _INSTALLED.append(True)
        dataplane.register(geo.handle, GEO_PRIORITY)
        health.start()


def _install_record_changes(backend_cls, response_cls, record_cls):
    """Atomic, AWS-validated ChangeResourceRecordSets; AWS's names, SOA value and paging in List."""
    # pylint: disable=import-outside-toplevel
    from moto.core.responses import ActionResult
    from moto.route53.exceptions import InvalidInput
    from moto.route53.utils import validate_domain_name

    original_create_zone = backend_cls.create_hosted_zone

    def create_hosted_zone(self, *args, **kwargs):
        zone = original_create_zone(self, *args, **kwargs)
        for rrset in zone.rrsets:
            rrset.records = [_value(v) for v in rrset.records or []]
        return zone

    def change_resource_record_sets(self, zoneid, change_list):
        zone = self.get_hosted_zone(zoneid)
        with _LOCK:
            rrsets = list(zone.rrsets)
            for change in change_list:
                rrsets = apply_change(self, zone, rrsets, change)
            zone.rrsets = rrsets

    def list_resource_record_sets(self, zone_id, start_type, start_name, start_identifier, max_items):
        if start_name:
            validate_domain_name(start_name)
        records = sorted(self.get_hosted_zone(zone_id).rrsets, key=sort_key)
        if start_name:
            start = sort_key(record_cls({"Name": start_name, "Type": start_type, "SetIdentifier": start_identifier}))
            records = [r for r in records if sort_key(r) >= start]
        following = records[max_items] if len(records) > max_items else None
        return records[:max_items], following

    def response_list_resource_record_sets(self):
        start_type = self._get_param("StartRecordType")
        start_name = self._get_param("StartRecordName")
        start_identifier = self._get_param("StartRecordIdentifier")
        max_items = self._get_int_param("MaxItems", 300)
        if (start_type and not start_name) or (start_identifier and not start_type):
            raise InvalidInput("The input is not valid")
        records, following = self.backend.list_resource_record_sets(
            self._get_param("HostedZoneId"), start_type, start_name, start_identifier, max_items)
        result = {"ResourceRecordSets": records, "IsTruncated": following is not None, "MaxItems": max_items}
        if following is not None:
            result.update(NextRecordName=following.name, NextRecordType=following.type,
                          NextRecordIdentifier=following.set_identifier)
        return ActionResult(result)

    backend_cls.create_hosted_zone = create_hosted_zone
    backend_cls.change_resource_record_sets = change_resource_record_sets
    backend_cls.list_resource_record_sets = list_resource_record_sets
    response_cls.list_resource_record_sets = response_list_resource_record_sets


def _install_change_status(response_cls):
    """ChangeResourceRecordSets answers a change id of its own, PENDING for change_delay; GetChange reads it.

    TestDNSAnswer (moto lacks it) answers from the records a change made.
    """
    from moto.core.responses import ActionResult  # pylint: disable=import-outside-toplevel

    original_change = response_cls.change_resource_record_sets
    original_get_change = response_cls.get_change

    def response_change_resource_record_sets(self):
        original_change(self)
        return ActionResult({"ChangeInfo": new_change(SETTINGS["change_delay"])})

    def response_get_change(self):
        info = change_info(self._get_param("Id").split("/")[-1])
        return ActionResult({"ChangeInfo": info}) if info else original_get_change(self)

    def response_test_dns_answer(self):
        zone = self.backend.get_hosted_zone(self._get_param("HostedZoneId"))
        name, record_type = self._get_param("RecordName"), self._get_param("RecordType")
        answer = dns_answer(zone, name, record_type, self._get_param("ResolverIP"))
        return ActionResult(dict(answer, RecordName=name, RecordType=record_type))

    response_cls.change_resource_record_sets = response_change_resource_record_sets
    response_cls.get_change = response_get_change
    response_cls.test_dns_answer = response_test_dns_answer


def _install_health_check_model(check_cls):
    """CLOUDWATCH_METRIC fields kept, HTTP fields dropped from their config."""
    original_check_init = check_cls.__init__
    original_check_config = check_cls.health_check_config.fget

    def check_init(self, health_check_id, caller_reference, health_check_args):
        original_check_init(self, health_check_id, caller_reference, health_check_args)
        for key in ("alarm_identifier", "insufficient_data_health_status", "requested_config"):
            setattr(self, key, health_check_args.get(key))

    def check_config(self):
        config = original_check_config(self)
        if self.type_ != "CLOUDWATCH_METRIC":
            return config
        for key in NOT_FOR_CLOUDWATCH_METRIC:
            config.pop(key, None)
        config["AlarmIdentifier"] = self.alarm_identifier
        config["InsufficientDataHealthStatus"] = self.insufficient_data_health_status
        return config

    check_cls.__init__ = check_init
    check_cls.health_check_config = property(check_config)


def _install_health_check_lifecycle(backend_cls, response_cls):
    """Create idempotent on CallerReference (and refused for a deleted one), Delete and tags as AWS."""
    # pylint: disable=import-outside-toplevel
    from moto.core.responses import ActionResult
    from moto.route53.exceptions import InvalidInput, NoSuchHealthCheck, Route53ClientError

    original_create_check = backend_cls.create_health_check
    original_change_tags = backend_cls.change_tags_for_resource

    def create_health_check(self, caller_reference, health_check_args):
        if caller_reference in deleted_references(self):
            raise Route53ClientError("HealthCheckAlreadyExists", "A health check with caller reference %s was deleted; "
                                     "use another CallerReference" % caller_reference)
        for check in self.health_checks.values():
            if check.caller_reference == caller_reference:
                if getattr(check, "requested_config", None) != health_check_args.get("requested_config"):
                    raise Route53ClientError("HealthCheckAlreadyExists", "A different health check has already been "
                                             "created with the specified caller reference.")
                return check
        if health_check_args["type"] == "CLOUDWATCH_METRIC" and not health_check_args.get("alarm_identifier"):
            raise InvalidInput("AlarmIdentifier is required for health checks of type CLOUDWATCH_METRIC")
        return original_create_check(self, caller_reference, health_check_args)

    def delete_health_check(self, health_check_id):
        check = self.get_health_check(health_check_id)
        deleted_references(self).add(check.caller_reference)
        self.resource_tags.pop(health_check_id, None)
        del self.health_checks[health_check_id]

    def change_tags_for_resource(self, resource_type, resource_id, add_tags, remove_tag_keys):
        if resource_type == "healthcheck" and resource_id not in self.health_checks:
            raise NoSuchHealthCheck(resource_id)
        return original_change_tags(self, resource_type, resource_id, add_tags, remove_tag_keys)

    def response_create_health_check(self):
        check = self.backend.create_health_check(self._get_param("CallerReference"),
                                                 args_from_config(self._get_param("HealthCheckConfig")))
        return ActionResult({"HealthCheck": check,
                             "Location": "https://route53.amazonaws.com/2013-04-01/healthcheck/%s" % check.id})

    backend_cls.create_health_check = create_health_check
    backend_cls.delete_health_check = delete_health_check
    backend_cls.change_tags_for_resource = change_tags_for_resource
    response_cls.create_health_check = response_create_health_check


def _install_health_check_updates(backend_cls, response_cls):
    """UpdateHealthCheck with versions and ResetElements; GetHealthCheckStatus from the local checkers."""
    # pylint: disable=import-outside-toplevel
    from moto.core.responses import ActionResult
    from moto.route53.exceptions import InvalidInput, Route53ClientError

    original_update_check = backend_cls.update_health_check

    def update_health_check(self, health_check_id, health_check_args):
        check = self.get_health_check(health_check_id)
        version = health_check_args.get("health_check_version")
        if version is not None and int(version) != check.health_check_version:
            raise Route53ClientError("HealthCheckVersionMismatch", "The value of HealthCheckVersion in the request (%s) "
                                     "doesn't match the current version %s" % (version, check.health_check_version))
        resets = health_check_args.get("reset_elements") or []
        if any(element not in RESETTABLE for element in resets):
            raise InvalidInput("ResetElements may name only %s" % ", ".join(sorted(RESETTABLE)))
        original_update_check(self, health_check_id, health_check_args)
        for key in ("alarm_identifier", "insufficient_data_health_status"):
            if health_check_args.get(key) is not None:
                setattr(check, key, health_check_args[key])
        for element in resets:
            setattr(check, RESETTABLE[element], None)
        check.health_check_version += 1
        return check

    def response_update_health_check(self):
        args = {name: self._get_param(param) for name, param in UPDATE_HEALTH_CHECK_PARAMS}
        check = self.backend.update_health_check(self._get_param("HealthCheckId"), args)
        return ActionResult({"HealthCheck": check})

    def response_get_health_check_status(self):
        check = self.backend.get_health_check(self._get_param("HealthCheckId"))
        return ActionResult({"HealthCheckObservations": health.observations(check)})

    backend_cls.update_health_check = update_health_check
    response_cls.update_health_check = response_update_health_check
    response_cls.get_health_check_status = response_get_health_check_status
