#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_geo_record
version_added: 0.1.0
short_description: One region's geolocation alias record (and its health check) under a global hostname
description:
  - Manages the Route53 geolocation alias records of one set identifier (one region of the deployment)
    under the global hostname O(record_name) - an V(A) record, and an V(AAAA) record when asked through O(record_types).
  - The location is a continent, a country (optionally with a subdivision), or the default location
    (O(geo_location.country_code=*)) that answers clients no other record matches.
  - Records are matched by name, type and set identifier. Records with other set identifiers or other names
    are never read for change, changed or deleted. V(A)/V(AAAA) records of this set identifier whose type is not in
    O(record_types) are deleted.
  - Geolocation codes are checked against the lists Route53 accepts before any AWS call; a code AWS would reject
    fails with a one-line message naming the option and the value.
  - A location another set identifier already answers with one of O(record_types) fails before any write, naming that
    set identifier (Route53 takes one record per name, type and location); so does a CNAME at O(record_name), or a
    record of one of O(record_types) there without geolocation (simple, weighted, latency, failover), which Route53
    keeps no geolocation record beside.
  - With O(default_set_identifier) the module also keeps the default (C(*)) records of O(record_name) under that set
    identifier, aliasing the same target with the same types (the region that answers the clients no location matches),
    in the same change batch; with O(state=absent) it removes them too.
  - The record is changed with a single UPSERT only when it differs from what is wanted; with O(wait) the
    module waits (bounded by O(wait_timeout)) until Route53 reports the change INSYNC.
  - "Health checks: with O(health_check) the module creates, owns and updates one Route53 health check for this
    record and set identifier, tags it (C(managed-by), C(multiregion.appsync:record),
    C(multiregion.appsync:set-identifier), C(Name)) and attaches it to the records (a check is this module's when its
    CallerReference starts with C(mras-) and its tags name this record and set identifier); when the check fails Route53 stops
    answering with this record and clients fall through to the next matching location, ultimately the C(*) default record.
    Without O(health_check) the records carry no health check and the check this module attached to them is detached
    and deleted. The health checks are listed only when O(health_check) is given or one of the records carries a
    check, and always with O(state=absent): a check left unattached by a run that stopped between its writes is
    deleted then (or adopted when O(health_check) is given again)."
  - "Which check to choose. Route53 health checkers send plain C(GET) requests (no body, no custom headers), while the AppSync
    GraphQL endpoint only answers C(POST) requests with a JSON body, so no Route53 HTTP(S) check can run a GraphQL query.
    (1) O(evaluate_target_health=true) on an alias to the API Gateway custom domain sees only API Gateway itself failing
    in the region, never AppSync or DynamoDB.
    (2) V(HTTPS) or V(HTTPS_STR_MATCH) against this region's endpoint (the regional API Gateway endpoint, never the global
    hostname) sees DNS, TLS and API Gateway reachability, and sees AppSync only through a C(GET) route of the proxy whose
    integration really reaches AppSync (for example a Lambda integration that runs a C({__typename}) query); a C(GET) route
    proxied straight to the AppSync URL gets a 4xx and would always be unhealthy.
    (3) V(CLOUDWATCH_METRIC) on a CloudWatch alarm (for example over C(AWS/AppSync) C(5XXError) for the API, or over a
    CloudWatch Synthetics canary that POSTs a query) sees AppSync failing as clients see it, after the alarm's period;
    it sees nothing without traffic (choose O(health_check.insufficient_data_health_status)) and the alarm itself is not
    created by this module."
author:
  - multiregion.appsync contributors (@multiregion)
options:
  state:
    description: Whether the records (and the health check this module made for them) exist.
    type: str
    choices: [present, absent]
    default: present
  hosted_zone_name:
    description:
      - Name of the public hosted zone holding O(record_name). At least one of O(hosted_zone_name) and O(hosted_zone_id) is
        required.
      - When a public and a private zone carry this name (split-horizon DNS), the public one is used; a name that only
        private zones carry is refused, naming them. When several public zones carry it, give O(hosted_zone_id).
    type: str
  hosted_zone_id:
    description:
      - Id of the public hosted zone holding O(record_name) (with or without the C(/hostedzone/) prefix). A private
        zone is refused.
      - Given together with O(hosted_zone_name), the two are taken as they are and no hosted zone is read (one call
        less per run); the caller vouches that the id is the public zone of that name, as the preflight role reads it
        once per run. Neither a private zone nor the id of another zone is then refused here.
    type: str
  record_name:
    description: The global hostname, for example C(api.example.com).
    type: str
    required: true
  set_identifier:
    description:
      - Identifies this region's records among the geolocation records of O(record_name); must stay stable across runs.
      - The roles use C(<app_name>-<region>) and C(<app_name>-default).
    type: str
    required: true
  geo_location:
    description:
      - The location this record answers. Required with O(state=present).
      - Give O(geo_location.continent_code), or O(geo_location.country_code) with optional O(geo_location.subdivision_code).
    type: dict
    suboptions:
      continent_code:
        description: One of V(AF), V(AN), V(AS), V(EU), V(NA), V(OC), V(SA).
        type: str
      country_code:
        description: ISO 3166-1 alpha-2 country code, or V(*) for the default record.
        type: str
      subdivision_code:
        description:
          - A subdivision of O(geo_location.country_code). Route53 accepts subdivisions for the United States only
            (the 50 states, V(DC) and the possessions V(AS), V(FM), V(GU), V(MH), V(MP), V(PR), V(PW), V(VI)).
        type: str
  alias_target:
    description:
      - The alias target given directly. Mutually exclusive with O(apigw_domain_name); one of them is required with O(state=present).
    type: dict
    suboptions:
      dns_name:
        description: DNS name of the target, for example the regional domain name of an API Gateway custom domain.
        type: str
        required: true
      hosted_zone_id:
        description: Hosted zone id of the target (for API Gateway, the regional API Gateway hosted zone id).
        type: str
        required: true
  apigw_domain_name:
    description:
      - An API Gateway v2 custom domain name in the connection region; the module reads its
        C(ApiGatewayDomainName) and C(HostedZoneId) (first domain name configuration) and aliases to them.
      - Compared as a DNS name - case and a trailing dot do not matter (V(API.Example.com.) reads V(api.example.com)).
      - In check mode a domain name that does not exist yet gives a warning, a predicted change and C(alias_target=None) in the returned records.
    type: str
  evaluate_target_health:
    description: Whether Route53 evaluates the health of the alias target (for API Gateway, API Gateway itself only).
    type: bool
    default: true
  record_types:
    description: The record types to keep; add V(AAAA) when the target serves IPv6.
    type: list
    elements: str
    choices: [A, AAAA]
    default: [A]
  health_check:
    description:
      - A health check to create, own and attach (see the description for which type sees what).
      - V(Type) and O(health_check.request_interval) cannot change on an existing health check; changing them creates a
        new check, attaches it and deletes the old one. The other fields are updated in place.
    type: dict
    suboptions:
      type:
        description: Kind of health check.
        type: str
        required: true
        choices: [HTTPS, HTTPS_STR_MATCH, CLOUDWATCH_METRIC]
      fqdn:
        description:
          - Host name checked by V(HTTPS) and V(HTTPS_STR_MATCH) checks (also sent as Host header and SNI).
          - Must be this region's endpoint, not O(record_name).
        type: str
      resource_path:
        description: Path requested by HTTPS checks.
        type: str
        default: /
      port:
        description: Port of HTTPS checks.
        type: int
        default: 443
      search_string:
        description: String that must appear in the first 5120 bytes of the response (V(HTTPS_STR_MATCH)).
        type: str
      request_interval:
        description: Seconds between checks (V(10) or V(30)); cannot be changed on an existing check.
        type: int
        default: 30
      failure_threshold:
        description: Consecutive failures (1-10) before the endpoint is unhealthy.
        type: int
        default: 3
      alarm_name:
        description: CloudWatch alarm name (V(CLOUDWATCH_METRIC)).
        type: str
      alarm_region:
        description: Region of the CloudWatch alarm (V(CLOUDWATCH_METRIC)); defaults to the connection region.
        type: str
      insufficient_data_health_status:
        description: Status while the alarm has insufficient data (V(CLOUDWATCH_METRIC)).
        type: str
        choices: [Healthy, Unhealthy, LastKnownStatus]
        default: LastKnownStatus
  default_set_identifier:
    description:
      - Also keep the default (C(*)) records under this set identifier, which must differ from O(set_identifier). They
        take the same alias target, O(record_types) and O(evaluate_target_health) as this set identifier's records, and
        no health check. One module run and one change batch for both. O(geo_location) must then be another location
        than C(*).
      - So when this set identifier's health check fails, its location's clients fall through to a broader location's
        record, at last to the default records, which answer from the same target; where no broader record of another
        region covers its location, the default region has no region to fail over to.
      - The roles use C(<app_name>-default) on the default region.
    type: str
  expected_set_identifiers:
    description:
      - Set identifiers that should have a record under O(record_name) (for example one per region); those without one
        appear in C(coverage.missing).
    type: list
    elements: str
  wait:
    description: Wait until Route53 reports the change INSYNC.
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for INSYNC.
    type: int
    default: 300
notes:
  - The option O(region) is only the connection region (where O(apigw_domain_name) is read); the record is global.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Europe is answered by eu-central-1's API Gateway custom domain
  multiregion.appsync.route53_geo_record:
    region: eu-central-1
    hosted_zone_name: example.com
    record_name: api.example.com
    set_identifier: myapp-eu-central-1
    geo_location:
      continent_code: EU
    apigw_domain_name: api.example.com
    record_types: [A, AAAA]

- name: The default record, with an alias given directly
  multiregion.appsync.route53_geo_record:
    region: us-east-1
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    record_name: api.example.com
    set_identifier: myapp-default
    geo_location:
      country_code: "*"
    alias_target:
      dns_name: d-abcdefghij.execute-api.us-east-1.amazonaws.com
      hosted_zone_id: Z1UJRXOUMOOFQ8

- name: North America from us-east-1, which also answers the clients no location matches (the default records)
  multiregion.appsync.route53_geo_record:
    region: us-east-1
    hosted_zone_name: example.com
    record_name: api.example.com
    set_identifier: myapp-us-east-1
    default_set_identifier: myapp-default
    geo_location:
      continent_code: NA
    apigw_domain_name: api.example.com
    expected_set_identifiers: [myapp-us-east-1, myapp-eu-central-1]
  register: records

- name: Texas, with a health check on a CloudWatch alarm over AppSync 5XX errors
  multiregion.appsync.route53_geo_record:
    region: us-east-2
    hosted_zone_name: example.com
    record_name: api.example.com
    set_identifier: myapp-us-east-2
    geo_location:
      country_code: US
      subdivision_code: TX
    apigw_domain_name: api.example.com
    health_check:
      type: CLOUDWATCH_METRIC
      alarm_name: myapp-appsync-5xx
      insufficient_data_health_status: Healthy

- name: Remove this region's records and health check
  multiregion.appsync.route53_geo_record:
    region: eu-central-1
    hosted_zone_name: example.com
    record_name: api.example.com
    set_identifier: myapp-eu-central-1
    state: absent
"""

RETURN = r"""
record:
  description: The records of this set identifier (one entry for all types); None when absent.
  returned: always
  type: dict
  contains:
    name:
      description: Record name, without trailing dot.
      type: str
      sample: api.example.com
    type:
      description: The first record type.
      type: str
      sample: A
    types:
      description: All record types of this set identifier.
      type: list
      elements: str
      sample: [A, AAAA]
    set_identifier:
      description: The set identifier.
      type: str
      sample: myapp-eu-central-1
    geo_location:
      description: continent_code, or country_code and subdivision_code.
      type: dict
      sample: {continent_code: EU}
    alias_target:
      description: dns_name, hosted_zone_id, evaluate_target_health.
      type: dict
      sample: {dns_name: d-abc.execute-api.eu-central-1.amazonaws.com, hosted_zone_id: Z1U9ULNL0V5AJ3, evaluate_target_health: true}
    health_check_id:
      description: Id of the attached health check, or None.
      type: str
records:
  description: One entry per record type, each shaped like RV(record) without RV(record.types).
  returned: always
  type: list
  elements: dict
default_record:
  description: The default (C(*)) records of O(default_set_identifier), shaped like RV(record); None without that option or when absent.
  returned: always
  type: dict
health_check:
  description: The health check this module owns for the record (snake_case GetHealthCheck result plus tags), or None.
  returned: always
  type: dict
  sample:
    id: 0f1e2d3c-aaaa-bbbb-cccc-0123456789ab
    caller_reference: mras-0123456789abcdef01234567-00112233445566778899aabbccddeeff
    health_check_config: {type: HTTPS, fully_qualified_domain_name: abc.execute-api.eu-central-1.amazonaws.com, port: 443}
    health_check_version: 1
    tags: {managed-by: multiregion.appsync}
coverage:
  description:
    - Who answers what under O(record_name) once this run's change is made, computed from the records the module listed
      for its own change (no extra call), with C(coverage.missing) naming the O(expected_set_identifiers) without a record.
    - Shaped as the C(coverage) that M(multiregion.appsync.route53_geo_record_info) returns, where its keys are described.
    - Records other runs change at the same time are seen as they were when listed; read them back with
      M(multiregion.appsync.route53_geo_record_info) when other set identifiers change in parallel.
  returned: always
  type: dict
  sample: {continents: {EU: myapp-eu-central-1}, countries: {}, subdivisions: {}, default: myapp-default, has_default: true,
           overlaps: [], missing: []}
hosted_zone_id:
  description: Id of the hosted zone, without prefix.
  returned: always
  type: str
change_id:
  description:
    - Id of the Route53 change submitted, when one was.
    - V(null) when a batch resent after a lost answer found its deletions already made and nothing else to change.
  returned: when changed and not in check mode
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils import apigatewayv2 as gw
from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as r53
from ansible_collections.multiregion.appsync.plugins.module_utils.reporting import warn


def resolve_alias_target(module):
    """API AliasTarget (without EvaluateTargetHealth); None only in check mode for a domain not made yet."""
    if module.params["alias_target"]:
        return r53.validate_alias_target(module.params["alias_target"])
    name = module.params["apigw_domain_name"]
    domain = gw.get_domain_name(module.client("apigatewayv2"), name)  # None when missing; other errors raise
    if domain is None:
        if module.check_mode:
            warn("apigw_domain_name %s does not exist yet in %s; the alias target is unknown" % (name, module.region))
            return None
        module.fail_json(msg="apigw_domain_name %s: no API Gateway custom domain of that name in %s" % (name, module.region))
    target = gw.alias_target(domain)
    if not target or not target.get("hosted_zone_id"):
        module.fail_json(msg="apigw_domain_name %s in %s has no ApiGatewayDomainName/HostedZoneId to alias to" % (name, module.region))
    return r53.api_alias_target(target["dns_name"], target["hosted_zone_id"])


def resolve_zone(module, client):
    """The public hosted zone of hosted_zone_id / hosted_zone_name (route53.resolve_hosted_zone), holding record_name."""
    try:
        zone = r53.resolve_hosted_zone(client, module.params["hosted_zone_id"], module.params["hosted_zone_name"])
    except r53.HostedZoneError as e:
        module.fail_json(msg=str(e))
    if not r53.name_in_zone(module.params["record_name"], zone["Name"]):
        module.fail_json(msg="record_name %s is not inside hosted zone %s" % (module.params["record_name"], r53.normalize_name(zone["Name"])))
    return zone


def find_owned_health_checks(module, client):
    """(checks, tags_by_id) owned for this record + set identifier.

    Only checks this collection made (CallerReference prefix) have their tags read:
    ListTagsForResources takes 10 ids a call and Route53 allows 5 calls a second per
    account, shared by every region's run.
    """
    checks = [c for c in r53.list_health_checks(client) if (c.get("CallerReference") or "").startswith(r53.CALLER_REFERENCE_PREFIX)]
    tags = r53.health_check_tags_by_id(client, [c["Id"] for c in checks]) if checks else {}
    owned = r53.select_owned_health_checks(checks, tags, module.params["record_name"], module.params["set_identifier"])
    return owned, tags


def may_own_health_check(hc_config, current):
    """Whether ListHealthChecks is worth a call: a health check is wanted, or one of our records points at one
    (a region that turned its health check off: that check is detached, then deleted). Otherwise no check
    of ours serves the record; one left by a run that died between writes goes with state=absent."""
    return hc_config is not None or any(record.get("HealthCheckId") for record in current.values())


def validate_params(module):
    """Everything AWS would reject, before any call. Returns (geo, health_check_config)."""
    params = module.params
    if params["apigw_domain_name"]:
        # a DNS name (case-insensitive): read it as Route53 and ACM return names, lower case without the final dot
        params["apigw_domain_name"] = r53.normalize_name(params["apigw_domain_name"])
    for option in ("set_identifier", "default_set_identifier"):
        if params[option] is not None and not 1 <= len(params[option]) <= 128:
            module.fail_json(msg="%s %r must be 1 to 128 characters long" % (option, params[option]))
    if params["default_set_identifier"] == params["set_identifier"]:
        module.fail_json(msg="default_set_identifier %r must differ from set_identifier" % params["default_set_identifier"])
    if params["wait"] and params["wait_timeout"] < 1:
        module.fail_json(msg="wait_timeout must be at least 1, got %d" % params["wait_timeout"])
    try:
        if params["state"] == "absent":
            return None, None
        if not params["geo_location"]:
            module.fail_json(msg="geo_location is required with state=present")
        geo = r53.validate_geo_location(params["geo_location"])
        if params["default_set_identifier"] and r53.geo_location_key(geo) == r53.geo_location_key(r53.DEFAULT_LOCATION):
            module.fail_json(msg="geo_location country_code '*' is the default records' location (default_set_identifier %r); "
                                 "give this region's record a continent, country or subdivision" % params["default_set_identifier"])
        if params["alias_target"]:
            r53.validate_alias_target(params["alias_target"])
        if not params["record_types"]:
            module.fail_json(msg="record_types must name at least one of A, AAAA")
        hc = None
        if params["health_check"]:
            hc = r53.validate_health_check(params["health_check"], params["record_name"], default_alarm_region=module.region)
    except r53.Route53ValidationError as e:
        module.fail_json(msg=str(e))
    return geo, hc


def ensure_health_check(module, client, desired_config, owned, tags_by_id):
    """Create/update/replace the owned check. Returns (check or None, changed, to_delete ids, before)."""
    record_name, set_id = module.params["record_name"], module.params["set_identifier"]
    want_tags = r53.health_check_tags(record_name, set_id)
    current = owned[0] if owned else None
    before = r53.health_check_to_ansible(current, tags_by_id.get(current["Id"]) if current else None)
    if desired_config is None:
        return None, bool(owned), [c["Id"] for c in owned], before

    action, updates = ("create", None)
    if current is not None:
        action, updates = r53.plan_health_check_update(current["HealthCheckConfig"], desired_config)
    changed = action != "none"
    check = current
    if action == "update":
        if not module.check_mode:
            check = r53.update_health_check(client, current["Id"], current.get("HealthCheckVersion", 1), updates)
        else:
            check = dict(current, HealthCheckConfig=dict(current["HealthCheckConfig"], **updates))
    elif action in ("create", "replace"):
        if module.check_mode:
            check = {"Id": None, "HealthCheckConfig": desired_config}
        else:
            check = r53.create_health_check(client, r53.new_caller_reference(record_name, set_id), desired_config)
    to_delete = [c["Id"] for c in owned if check is None or c["Id"] != check["Id"]]
    tags = tags_by_id.get(check["Id"], {}) if check.get("Id") else {}
    if any(tags.get(k) != v for k, v in want_tags.items()):
        changed = True
        if not module.check_mode:
            r53.tag_health_check(client, check["Id"], want_tags)
    check_out = r53.health_check_to_ansible(check, dict(tags, **want_tags))
    return check_out, changed or bool(to_delete), to_delete, before


def coverage_after(module, record_sets, desired_by_set_identifier):
    """Coverage of record_name once each set identifier's records are as given ({set identifier: {type: record}})."""
    params = module.params
    after = record_sets
    for set_identifier, desired in desired_by_set_identifier.items():
        after = r53.record_sets_after(after, params["record_name"], set_identifier, desired)
    return r53.compute_coverage(r53.geolocation_records(after, params["record_name"]), params["expected_set_identifiers"])


def managed_set_identifiers(module):
    """This region's set identifier, then the default records' one when asked."""
    params = module.params
    return [params["set_identifier"]] + ([params["default_set_identifier"]] if params["default_set_identifier"] else [])


def fail_on_conflicts(module, record_sets, geo):
    """One line naming what Route53 would refuse the change batch for, before any write (check mode included)."""
    params = module.params
    name, managed = r53.normalize_name(params["record_name"]), managed_set_identifiers(module)
    blocking = r53.routing_conflicts(record_sets, name, params["record_types"])
    if blocking:
        module.fail_json(msg="%s already has %s; Route53 keeps no geolocation record beside a CNAME, or beside a record of the "
                             "same type without geolocation: remove it or choose another record_name"
                         % (name, ", ".join("a record of type %s (set identifier %s)" % (rtype, other) if other else "a record of type %s" % rtype
                                            for rtype, other in blocking)))
    locations = [geo] + ([r53.DEFAULT_LOCATION] if params["default_set_identifier"] else [])
    for location in locations:
        conflicts = r53.location_conflicts(record_sets, name, managed, location, params["record_types"])
        if conflicts:
            module.fail_json(msg="geo_location %s of %s is already answered by %s; Route53 takes one record per location and type"
                             % (r53.geo_location_key(location), name,
                                ", ".join("set identifier %s (%s)" % (other, rtype) for rtype, other in conflicts)))


def ensure_present(module, client, zone, geo, hc_config):
    params = module.params
    alias = resolve_alias_target(module)
    record_sets = r53.list_record_sets_for_name(client, zone["Id"], params["record_name"])
    fail_on_conflicts(module, record_sets, geo)
    current = r53.select_owned_records(record_sets, params["record_name"], params["set_identifier"])
    default_sid = params["default_set_identifier"]
    current_default = r53.select_owned_records(record_sets, params["record_name"], default_sid) if default_sid else {}
    owned_checks, tags_by_id = find_owned_health_checks(module, client) if may_own_health_check(hc_config, current) else ([], {})
    if len(owned_checks) > 1 and hc_config is not None:
        module.fail_json(msg="%d health checks are tagged for %s %s: %s; delete all but one"
                         % (len(owned_checks), params["set_identifier"], params["record_name"],
                            ", ".join(sorted(c["Id"] for c in owned_checks))))
    check, hc_changed, hc_delete, hc_before = ensure_health_check(module, client, hc_config, owned_checks, tags_by_id)

    alias_known = alias is not None
    if not alias_known:  # check mode, target domain not made yet: the records will change
        alias = {"DNSName": "unknown.invalid.", "HostedZoneId": "unknown"}
    desired = dict(
        (t, r53.build_record(params["record_name"], t, params["set_identifier"], geo, alias,
                             params["evaluate_target_health"], check["id"] if check else None))
        for t in params["record_types"]
    )
    desired_default = dict(
        (t, r53.build_record(params["record_name"], t, default_sid, r53.DEFAULT_LOCATION, alias, params["evaluate_target_health"]))
        for t in params["record_types"]
    ) if default_sid else {}
    changes = r53.plan_record_changes(current, desired) + r53.plan_record_changes(current_default, desired_default)
    result = {"changed": bool(changes) or hc_changed, "hosted_zone_id": zone["Id"]}
    if changes and not module.check_mode:
        result["change_id"] = r53.submit_changes(client, zone["Id"], changes, "multiregion.appsync route53_geo_record %s" % params["set_identifier"],
                                                 params["wait"], params["wait_timeout"])
    if not module.check_mode:
        for check_id in hc_delete:
            r53.delete_health_check(client, check_id)
    result["records"] = [r53.record_to_ansible(desired[t]) for t in sorted(desired)]
    result["record"] = r53.summarize_records(desired)
    result["default_record"] = r53.summarize_records(desired_default)
    if not alias_known:
        for entry in result["records"] + [result["record"]] + ([result["default_record"]] if default_sid else []):
            entry["alias_target"] = None
    result["health_check"] = check
    result["coverage"] = coverage_after(module, record_sets, dict(zip(managed_set_identifiers(module), (desired, desired_default))))
    if module._diff:
        result["diff"] = {
            "before": {"records": [r53.record_to_ansible(current[t]) for t in sorted(current)], "health_check": hc_before},
            "after": {"records": result["records"], "health_check": check},
        }
        if default_sid:
            result["diff"]["before"]["default_records"] = [r53.record_to_ansible(current_default[t]) for t in sorted(current_default)]
            result["diff"]["after"]["default_records"] = [r53.record_to_ansible(desired_default[t]) for t in sorted(desired_default)]
    return result


def ensure_absent(module, client, zone):
    params = module.params
    record_sets = r53.list_record_sets_for_name(client, zone["Id"], params["record_name"])
    current = r53.select_owned_records(record_sets, params["record_name"], params["set_identifier"])
    default_sid = params["default_set_identifier"]
    current_default = r53.select_owned_records(record_sets, params["record_name"], default_sid) if default_sid else {}
    owned_checks, tags_by_id = find_owned_health_checks(module, client)
    changes = r53.plan_record_changes(current, {}) + r53.plan_record_changes(current_default, {})
    result = {"changed": bool(changes or owned_checks), "hosted_zone_id": zone["Id"],
              "record": None, "records": [], "default_record": None, "health_check": None,
              "coverage": coverage_after(module, record_sets, dict((sid, {}) for sid in managed_set_identifiers(module)))}
    if changes and not module.check_mode:
        result["change_id"] = r53.submit_changes(client, zone["Id"], changes,
                                                 "multiregion.appsync route53_geo_record %s absent" % params["set_identifier"],
                                                 params["wait"], params["wait_timeout"])
    if not module.check_mode:
        for check in owned_checks:
            r53.delete_health_check(client, check["Id"])
    if module._diff:
        result["diff"] = {
            "before": {"records": [r53.record_to_ansible(current[t]) for t in sorted(current)],
                       "health_check": r53.health_check_to_ansible(owned_checks[0], tags_by_id.get(owned_checks[0]["Id"])) if owned_checks else None},
            "after": {"records": [], "health_check": None},
        }
        if default_sid:
            result["diff"]["before"]["default_records"] = [r53.record_to_ansible(current_default[t]) for t in sorted(current_default)]
            result["diff"]["after"]["default_records"] = []
    return result


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        hosted_zone_name=dict(type="str"),
        hosted_zone_id=dict(type="str"),
        record_name=dict(type="str", required=True),
        set_identifier=dict(type="str", required=True),
        geo_location=dict(type="dict", options=dict(
            continent_code=dict(type="str"),
            country_code=dict(type="str"),
            subdivision_code=dict(type="str"),
        )),
        alias_target=dict(type="dict", options=dict(
            dns_name=dict(type="str", required=True),
            hosted_zone_id=dict(type="str", required=True),
        )),
        apigw_domain_name=dict(type="str"),
        evaluate_target_health=dict(type="bool", default=True),
        record_types=dict(type="list", elements="str", choices=["A", "AAAA"], default=["A"]),
        health_check=dict(type="dict", options=dict(
            type=dict(type="str", required=True, choices=["HTTPS", "HTTPS_STR_MATCH", "CLOUDWATCH_METRIC"]),
            fqdn=dict(type="str"),
            resource_path=dict(type="str", default="/"),
            port=dict(type="int", default=443),
            search_string=dict(type="str"),
            request_interval=dict(type="int", default=30),
            failure_threshold=dict(type="int", default=3),
            alarm_name=dict(type="str"),
            alarm_region=dict(type="str"),
            insufficient_data_health_status=dict(type="str", choices=["Healthy", "Unhealthy", "LastKnownStatus"], default="LastKnownStatus"),
        )),
        default_set_identifier=dict(type="str"),
        expected_set_identifiers=dict(type="list", elements="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["hosted_zone_name", "hosted_zone_id"]],
        mutually_exclusive=[["alias_target", "apigw_domain_name"]],
        required_if=[["state", "present", ["alias_target", "apigw_domain_name"], True]],
    )
    geo, hc_config = validate_params(module)
    client = module.client("route53")
    try:
        zone = resolve_zone(module, client)
        if module.params["state"] == "present":
            result = ensure_present(module, client, zone, geo, hc_config)
        else:
            result = ensure_absent(module, client, zone)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
