#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: acm_dns_certificate
short_description: Request a DNS-validated ACM certificate and publish its validation records in Route53
version_added: 0.1.0
description:
  - Requests a public AWS Certificate Manager certificate for O(domain_name) (plus O(subject_alternative_names)),
    validated by DNS, in the connection region, and writes the validation CNAME record(s) ACM asks for into a
    Route53 hosted zone.
  - The certificate is identified by its names (domain and SANs) and the ownership tag C(managed-by=multiregion.appsync),
    set in the request call itself, so a run that stopped halfway never leads to a second certificate. An untagged
    certificate for the same names is adopted (and tagged) only with O(adopt_untagged=true); two owned certificates
    for the same names make the module fail and name both ARNs.
  - ACM certificates cannot change their names. Other O(subject_alternative_names) identify another certificate,
    which is requested; the old one stays until removed with O(state=absent) and its own names.
  - ACM asks for the same validation record for a given name in every region of an account, so one record serves
    every region's certificate of that name. The record is written with C(UPSERT) only when it is missing or differs,
    so regions share it instead of fighting over it.
  - With O(wait=true) the module waits, at most O(wait_timeout) seconds, for the certificate to be C(ISSUED).
    A certificate that fails validation, or does not issue in time, fails the module with a message naming the
    validation record(s) ACM expected.
  - O(state=absent) deletes the certificate only when nothing uses it (C(InUseBy) empty; otherwise the module fails
    naming the users), and deletes a validation record only when no other certificate that needs it remains, neither in
    the connection region nor in any of O(other_regions). ACM lists a resource in C(InUseBy) for a while after it
    stopped using the certificate (for example a custom domain just deleted), so with O(wait=true) the module waits up
    to 120 seconds (at most O(wait_timeout)) for C(InUseBy) to empty.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  domain_name:
    description:
      - The fully qualified domain name of the certificate, for example V(api.example.com) or V(*.example.com).
    type: str
    required: true
  subject_alternative_names:
    description:
      - Further names the certificate covers. Together with O(domain_name) they identify the certificate.
    type: list
    elements: str
    default: []
  hosted_zone_name:
    description:
      - The name of the public Route53 hosted zone the validation records go into.
      - When a public and a private zone carry this name (split-horizon DNS), the public one is used; a name that only
        private zones carry is refused, naming them (ACM validates through public DNS).
      - At least one of O(hosted_zone_name) and O(hosted_zone_id) is required with O(state=present). With O(state=absent)
        and neither, validation records are left alone.
    type: str
  hosted_zone_id:
    description:
      - The id of the public Route53 hosted zone the validation records go into (a private zone is refused). See
        O(hosted_zone_name).
      - Given together with O(hosted_zone_name), the two are taken as they are and no hosted zone is read (one call
        less per run); the caller vouches that the id is the public zone of that name, as the preflight role reads it
        once per run. Neither a private zone nor the id of another zone is then refused here.
    type: str
  validation_record_ttl:
    description:
      - TTL in seconds of the validation records this module writes.
    type: int
    default: 300
  other_regions:
    description:
      - Regions whose certificates may share the validation records, checked with O(state=absent) before a record
        is deleted. The connection region is always checked. Roles pass every region of the inventory.
      - A certificate in a region left out of this list is not seen, and may lose its validation record.
    type: list
    elements: str
    default: []
  state:
    description:
      - Whether the certificate (and its validation records) should exist.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description:
      - Wait for the certificate to be C(ISSUED).
      - The module always waits, within O(wait_timeout), for ACM to publish the validation records it needs to write.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, at most.
    type: int
    default: 600
notes:
  - Route53 and ACM are called with the module's connection settings; ACM in the connection region and in
    each of O(other_regions).
extends_documentation_fragment:
  - multiregion.appsync.ownership
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A certificate for the global hostname in this region
  multiregion.appsync.acm_dns_certificate:
    region: eu-central-1
    domain_name: api.example.com
    hosted_zone_name: example.com
    tags:
      app: orders
  register: cert

- name: The same name in another region shares the one validation record
  multiregion.appsync.acm_dns_certificate:
    region: us-east-1
    domain_name: api.example.com
    hosted_zone_name: example.com

- name: Remove one region's certificate; the record stays while another region's certificate needs it
  multiregion.appsync.acm_dns_certificate:
    region: eu-central-1
    domain_name: api.example.com
    hosted_zone_name: example.com
    other_regions: [us-east-1, ap-southeast-2]
    state: absent
"""

RETURN = r"""
certificate:
  description:
    - The certificate as ACM describes it, in snake_case, plus the keys below. C(None) after O(state=absent).
    - In check mode, before the certificate exists, only O(domain_name) and O(subject_alternative_names) are known;
      RV(certificate.arn) is then the placeholder V(pending-creation.invalid) (a name under the reserved domain C(.invalid)).
  returned: always
  type: dict
  contains:
    arn:
      description: The certificate's ARN (V(pending-creation.invalid) in check mode for a certificate still to be requested).
      type: str
      sample: arn:aws:acm:eu-central-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), C(FAILED), ...
      type: str
      sample: ISSUED
    domain_name:
      description: The certificate's domain name.
      type: str
      sample: api.example.com
    subject_alternative_names:
      description: Every name the certificate covers (ACM includes the domain name).
      type: list
      elements: str
      sample: [api.example.com]
    validation_records:
      description: The DNS records ACM asks for.
      type: list
      elements: dict
      contains:
        name:
          description: Record name.
          type: str
        type:
          description: Record type (C(CNAME)).
          type: str
        value:
          description: Record value.
          type: str
    in_use_by:
      description: ARNs of the resources that use the certificate.
      type: list
      elements: str
    tags:
      description: The certificate's tags.
      type: dict
      sample: {"managed-by": "multiregion.appsync"}
validation_records_removed:
  description: Validation records deleted from the hosted zone (O(state=absent)).
  returned: when O(state=absent)
  type: list
  elements: dict
validation_records_kept:
  description: Validation records kept because another certificate still needs them (O(state=absent)), with that
    certificate's region and ARN under C(needed_by).
  returned: when O(state=absent)
  type: list
  elements: dict
"""

import re
import time

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils import acm as acm_utils
from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as route53_utils
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import CreationTarget
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OwnershipError
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import plan_tag_changes
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import select_owned
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import PENDING
from ansible_collections.multiregion.appsync.plugins.module_utils.regions import is_region_name
from ansible_collections.multiregion.appsync.plugins.module_utils.reporting import warn

DOMAIN_RE = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", re.IGNORECASE)
POLL_SECONDS = 2
IN_USE_GRACE_SECONDS = 120


def validate_params(params):
    """Return a one-line error for bad input, or None."""
    for name in [params["domain_name"]] + list(params["subject_alternative_names"] or []):
        if not DOMAIN_RE.match(name or ""):
            option = "domain_name" if name == params["domain_name"] else "subject_alternative_names"
            hint = " (ACM takes no trailing dot)" if (name or "").endswith(".") else ""
            return "%s: %r is not a valid domain name%s" % (option, name, hint)
    for region in params["other_regions"] or []:
        if not is_region_name(region):
            return "other_regions: %r is not a region name" % region
    if params["wait_timeout"] < 1:
        return "wait_timeout: must be at least 1, got %d" % params["wait_timeout"]
    if params["validation_record_ttl"] < 0:
        return "validation_record_ttl: must not be negative, got %d" % params["validation_record_ttl"]
    return None


def names_outside_zone(names, zone_name):
    """Certificate names whose validation record cannot go into zone_name."""
    return [n for n in names if not route53_utils.name_in_zone(n[2:] if n.startswith("*.") else n, zone_name)]


def resolve_zone(module, route53):
    """(zone_id, zone_name) of the public zone hosted_zone_id / hosted_zone_name name (route53.resolve_hosted_zone),
    or (None, None) when neither is given."""
    zone_id, zone_name = module.params["hosted_zone_id"], module.params["hosted_zone_name"]
    if not (zone_id or zone_name):
        return None, None
    try:
        zone = route53_utils.resolve_hosted_zone(route53, zone_id, zone_name)
    except route53_utils.HostedZoneError as error:
        module.fail_json(msg=str(error))
    return zone["Id"], zone["Name"]


def find_certificate(module, acm, domain_name, sans):
    """(described certificate, tags, adopted) of our certificate for these names, or (None, {}, False)."""
    candidates = []
    for summary in acm_utils.list_certificates(acm):
        if summary.get("DomainName", "").lower() != domain_name.lower():
            continue
        described = acm_utils.describe_certificate(acm, summary["CertificateArn"])
        if described is None or not acm_utils.matches_request(described, domain_name, sans):
            continue
        tags = acm_utils.list_certificate_tags(acm, described["CertificateArn"])
        candidates.append({"id": described["CertificateArn"], "tags": tags, "certificate": described})
    try:
        chosen, adopted = select_owned(candidates, "ACM certificate", domain_name, module.params["adopt_untagged"])
    except OwnershipError as error:
        module.fail_json(msg=str(error))
    if chosen is None:
        return None, {}, False
    return chosen["certificate"], chosen["tags"], adopted


def request_once(module, acm, domain_name, sans):
    """(certificate, tags, adopted, requested): RequestCertificate under a lock on the names, so that
    a concurrent run on this controller adopts the certificate instead of requesting a second one
    (their idempotency tokens differ). A resent request is safe (same token): no lost-answer look."""
    tags = desired_tags(module.params["tags"] or {})
    token = acm_utils.new_idempotency_token()
    made = create_once(
        lambda: ({"CertificateArn": acm_utils.request_certificate(acm, domain_name, sans, tags, token)}, tags, False),
        lambda: [found for found in [find_certificate(module, acm, domain_name, sans)] if found[0] is not None],
        lambda found: found[0]["CertificateArn"],
        CreationTarget(acm, "ACM certificate", domain_name, sorted(sans or [])),
        retryable=lambda cause: False, timeout=module.params["wait_timeout"])
    return made.resources[0] + (made.created,)


def wait_for(module, acm, arn, done, deadline, certificate=None):
    """Describe the certificate until done(certificate) or the deadline; returns the last description.

    certificate: a description made earlier in this run; when it satisfies done, ACM is not asked
    again. Otherwise the certificate is described at once, then every POLL_SECONDS.
    A certificate not found yet is polled again: right after RequestCertificate ACM
    can answer ResourceNotFoundException for a moment (eventual consistency).
    """
    if certificate is not None and done(certificate):
        return certificate
    certificate = acm_utils.describe_certificate(acm, arn)
    while (certificate is None or not done(certificate)) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        certificate = acm_utils.describe_certificate(acm, arn)
    if certificate is None:
        module.fail_json(msg="certificate %s: ACM did not find it within wait_timeout" % arn)
    return certificate


def fail_if_dead(module, certificate, hint):
    if certificate.get("Status") in acm_utils.DEAD_STATUSES:
        module.fail_json(msg=acm_utils.describe_failure(certificate, acm_utils.validation_records(certificate)) + hint)


def summary_of(certificate, tags):
    if certificate is None:
        return None
    return {
        "arn": certificate.get("CertificateArn"),
        "domain_name": certificate.get("DomainName"),
        "subject_alternative_names": sorted(certificate.get("SubjectAlternativeNames") or []),
        "tags": dict(tags or {}),
    }


def ensure_tags(module, acm, arn, current, adopted):
    """Bring the certificate's tags to the desired set (ownership.plan_tag_changes); returns (changed, tags after)."""
    to_add, to_remove = plan_tag_changes(current, module.params["tags"], module.params["purge_tags"], adopted=adopted)
    if not to_add and not to_remove:
        return False, current
    if not module.check_mode:
        if to_remove:
            acm_utils.remove_certificate_tags(acm, arn, to_remove)
        if to_add:
            acm_utils.add_certificate_tags(acm, arn, to_add)
    return True, tags_after(current, to_add, to_remove)


def ensure_present(module, acm, route53):
    params = module.params
    domain_name, sans = params["domain_name"], params["subject_alternative_names"]
    deadline = time.monotonic() + params["wait_timeout"]
    zone_id, zone_name = resolve_zone(module, route53)
    outside = names_outside_zone(acm_utils.certificate_names(domain_name, sans), zone_name)
    if outside:
        option = "domain_name" if domain_name.lower() in outside else "subject_alternative_names"
        module.fail_json(msg="%s: %s not in hosted zone %s; their validation records cannot go there"
                         % (option, ", ".join(outside), zone_name))

    certificate, tags, adopted = find_certificate(module, acm, domain_name, sans)
    before = summary_of(certificate, tags)
    requested = False
    if certificate is None:
        if module.check_mode:
            predicted = {"arn": PENDING, "status": None, "domain_name": domain_name,
                         "subject_alternative_names": acm_utils.certificate_names(domain_name, sans),
                         "validation_records": [], "in_use_by": [], "tags": desired_tags(params["tags"] or {})}
            return dict(changed=True, certificate=predicted), before, summary_of_predicted(predicted)
        certificate, tags, adopted, requested = request_once(module, acm, domain_name, sans)
    arn = certificate["CertificateArn"]
    if requested:
        # the tags went in with RequestCertificate; no read-back: ACM may not know the certificate yet
        changed = True
    else:  # found, or requested by another run meanwhile
        fail_if_dead(module, certificate, "; remove it with state=absent to request a new one")
        changed, tags = ensure_tags(module, acm, arn, tags, adopted)

    # A certificate requested just now is described afresh (ACM adds its records a few seconds later);
    # one found by find_certificate was described in this run already.
    certificate = wait_for(module, acm, arn, lambda c: not acm_utils.records_pending(c), deadline,
                           None if requested else certificate)
    if acm_utils.records_pending(certificate):
        module.fail_json(msg="ACM published no DNS validation record for %s within %d s" % (arn, params["wait_timeout"]))
    records = acm_utils.validation_records(certificate)
    changes = []
    for record in records:
        existing = acm_utils.validation_record_set(route53_utils.list_record_sets_for_name(route53, zone_id, record["name"]), record)
        if not acm_utils.record_serves(existing, record, params["validation_record_ttl"]):
            changes.append(acm_utils.build_record_change("UPSERT", record, params["validation_record_ttl"]))
    if changes:
        changed = True
        if not module.check_mode:
            route53_utils.change_record_sets(route53, zone_id, changes, "ACM DNS validation for %s" % domain_name)

    if params["wait"] and not module.check_mode:
        certificate = wait_for(module, acm, arn, lambda c: c.get("Status") != "PENDING_VALIDATION", deadline, certificate)
        if certificate.get("Status") == "PENDING_VALIDATION":
            module.fail_json(msg="timed out after %d s waiting for ISSUED: %s; check that the record resolves publicly"
                             " (the zone is the domain's delegated public zone), then rerun or raise wait_timeout" % (
                                 params["wait_timeout"], acm_utils.describe_failure(certificate, records)))
    fail_if_dead(module, certificate, "")
    after = summary_of(certificate, tags)
    after["validation_records"] = records
    if before is not None:
        before["validation_records"] = records if not changes else []
    return dict(changed=changed, certificate=acm_utils.normalize_certificate(certificate, tags)), before, after


def summary_of_predicted(predicted):
    return {"arn": None, "domain_name": predicted["domain_name"],
            "subject_alternative_names": sorted(predicted["subject_alternative_names"]), "tags": predicted["tags"]}


def certificates_needing(region, acm, record_names, names, skip_arn):
    """(region, arn) of live certificates in one region that use any of record_names."""
    bases = set(n[2:] if n.startswith("*.") else n for n in names)
    needing = []
    for summary in acm_utils.list_certificates(acm):
        if summary.get("CertificateArn") == skip_arn or summary.get("Status") in acm_utils.DEAD_STATUSES:
            continue
        summary_names = [summary.get("DomainName", "")] + list(summary.get("SubjectAlternativeNameSummaries")
                                                               or summary.get("SubjectAlternativeNames") or [])
        summary_bases = set(n.lower()[2:] if n.startswith("*.") else n.lower() for n in summary_names)
        if not (summary_bases & bases) and not summary.get("HasAdditionalSubjectAlternativeNames"):
            continue
        described = acm_utils.describe_certificate(acm, summary["CertificateArn"])
        if described is None or described.get("Status") in acm_utils.DEAD_STATUSES:
            continue
        for name in acm_utils.record_names_of(described) & set(record_names):
            needing.append({"region": region, "arn": described["CertificateArn"], "record": name})
    return needing


def ensure_absent(module, acm, route53):
    params = module.params
    domain_name, sans = params["domain_name"], params["subject_alternative_names"]
    zone_id = resolve_zone(module, route53)[0]
    certificate, tags = find_certificate(module, acm, domain_name, sans)[:2]
    result = dict(changed=False, certificate=None, validation_records_removed=[], validation_records_kept=[])
    if certificate is None:
        return result, None, None
    if certificate.get("InUseBy") and params["wait"]:
        # ACM keeps listing a resource in InUseBy for a while after it let go of the certificate.
        deadline = time.monotonic() + min(params["wait_timeout"], IN_USE_GRACE_SECONDS)
        certificate = wait_for(module, acm, certificate["CertificateArn"], lambda c: not c.get("InUseBy"), deadline, certificate)
    if certificate.get("InUseBy"):
        module.fail_json(msg="certificate %s is in use by %s; remove those first" % (
            certificate["CertificateArn"], ", ".join(certificate["InUseBy"])))
    arn = certificate["CertificateArn"]
    records = acm_utils.validation_records(certificate)
    before = summary_of(certificate, tags)
    before["validation_records"] = records

    result["changed"] = True
    if not module.check_mode:
        acm_utils.delete_certificate(acm, arn)

    if zone_id and records:
        names = acm_utils.certificate_names(domain_name, certificate.get("SubjectAlternativeNames") or sans)
        record_names = [r["name"] for r in records]
        needing = certificates_needing(module.region, acm, record_names, names, arn)
        for region in params["other_regions"]:
            if region != module.region:
                other = module.client("acm", region=region)
                needing += certificates_needing(region, other, record_names, names, arn)
        changes = []
        for record in records:
            users = [{"region": n["region"], "arn": n["arn"]} for n in needing if n["record"] == record["name"]]
            if users:
                result["validation_records_kept"].append(dict(record, needed_by=users))
                continue
            existing = acm_utils.validation_record_set(route53_utils.list_record_sets_for_name(route53, zone_id, record["name"]), record)
            if existing is None:
                continue
            if [acm_utils.fqdn(r["Value"]) for r in existing.get("ResourceRecords", [])] != [acm_utils.fqdn(record["value"])]:
                warn("validation record %s holds another value; left alone" % record["name"])
                continue
            changes.append({"Action": "DELETE", "ResourceRecordSet": existing})
            result["validation_records_removed"].append(record)
        if changes and not module.check_mode:
            route53_utils.change_record_sets(route53, zone_id, changes, "ACM DNS validation for %s no longer needed" % domain_name)
    after = {"validation_records": [r for r in records if r not in result["validation_records_removed"]]}
    return result, before, after


def main():
    argument_spec = dict(
        domain_name=dict(type="str", required=True),
        subject_alternative_names=dict(type="list", elements="str", default=[]),
        hosted_zone_name=dict(type="str"),
        hosted_zone_id=dict(type="str"),
        validation_record_ttl=dict(type="int", default=300),
        other_regions=dict(type="list", elements="str", default=[]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
        adopt_untagged=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[["state", "present", ["hosted_zone_name", "hosted_zone_id"], True]],
    )
    error = validate_params(module.params)
    if error:
        module.fail_json(msg=error)
    acm = module.client("acm")
    route53 = module.client("route53")
    try:
        if module.params["state"] == "present":
            result, before, after = ensure_present(module, acm, route53)
        else:
            result, before, after = ensure_absent(module, acm, route53)
    except AnsibleAWSError as e:  # AnsibleAcmError, AnsibleRoute53Error
        module.fail_json_aws_error(e)
    if module._diff:
        result["diff"] = {"before": before or {}, "after": after or {}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
