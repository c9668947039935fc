# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ACM for acm_dns_certificate, and the pure logic of its DNS validation records.

Client wrappers carry the retry decorator, one per API call; the pure helpers
(build_*, record_serves, *_records) take plain dicts and are unit-tested. The
Route53 calls themselves are module_utils/route53.py's.

The validation CNAME ACM asks for is the same for a given name in every region
of an account, so one record serves every region's certificate of that name.
"""

import uuid

try:
    import botocore  # pylint: disable=unused-import
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.multiregion.appsync.plugins.module_utils.route53 import fqdn
from ansible_collections.multiregion.appsync.plugins.module_utils.route53 import normalize_name

# ListCertificates returns only RSA_1024/RSA_2048 certificates unless asked.
ALL_KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]
# Certificates in these states never issue nor renew: they need no validation record.
DEAD_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED")
# AWSRetry knows most throttling codes but not ACM's ThrottlingException. A certificate
# just detached from a resource stays "in use" for a while.
ACM_RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])
ACM_DELETE_RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ResourceInUseException"])


class AnsibleAcmError(AnsibleAWSError):
    pass


class AcmErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAcmError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---------------------------------------------------------------- ACM calls


@AcmErrorHandler.list_error_handler("list certificates", [])
@ACM_RETRY
def list_certificates(client):
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(Includes={"keyTypes": ALL_KEY_TYPES}).build_full_result()["CertificateSummaryList"]


@AcmErrorHandler.list_error_handler("describe certificate")
@ACM_RETRY
def describe_certificate(client, arn):
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@AcmErrorHandler.list_error_handler("list certificate tags", {})
@ACM_RETRY
def list_certificate_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=arn).get("Tags", []))


def new_idempotency_token():
    """ACM answers a RequestCertificate repeated with the same token (within an hour) with the
    first certificate: a request resent after a lost response does not make a duplicate.
    One token per run, not per name, so a certificate deleted and requested again is new."""
    return uuid.uuid4().hex  # 32 word characters, ACM's limit


@AcmErrorHandler.common_error_handler("request certificate")
@ACM_RETRY
def request_certificate(client, domain_name, subject_alternative_names, tags, idempotency_token):
    """idempotency_token: made once per run (new_idempotency_token), so a resent request cannot make a second certificate."""
    params = dict(DomainName=domain_name, ValidationMethod="DNS", Tags=ansible_dict_to_boto3_tag_list(tags),
                  IdempotencyToken=idempotency_token)
    if subject_alternative_names:
        params["SubjectAlternativeNames"] = list(subject_alternative_names)
    return client.request_certificate(**params)["CertificateArn"]


@AcmErrorHandler.common_error_handler("tag certificate")
@ACM_RETRY
def add_certificate_tags(client, arn, tags):
    client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@AcmErrorHandler.common_error_handler("untag certificate")
@ACM_RETRY
def remove_certificate_tags(client, arn, keys):
    client.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": k} for k in keys])


@AcmErrorHandler.deletion_error_handler("delete certificate")
@ACM_DELETE_RETRY
def delete_certificate(client, arn):
    client.delete_certificate(CertificateArn=arn)
    return True


# ------------------------------------------------------------- pure helpers


def same_name(left, right):
    """Same DNS name once case, trailing dot and Route53's octal escapes (\\052 for *) are set aside."""
    return normalize_name(left) == normalize_name(right)


def validation_record_set(record_sets, record):
    """The plain (no routing policy) record set of record's name and type among record_sets, or None."""
    for record_set in record_sets:
        if same_name(record_set["Name"], record["name"]) and record_set["Type"] == record["type"] \
                and not record_set.get("SetIdentifier"):
            return record_set
    return None


def certificate_names(domain_name, subject_alternative_names):
    """All names a certificate covers: the domain plus SANs, in order, no duplicates."""
    names = []
    for name in [domain_name] + list(subject_alternative_names or []):
        if name.lower() not in names:
            names.append(name.lower())
    return names


def matches_request(summary_or_cert, domain_name, subject_alternative_names):
    """A certificate (summary or description) for exactly these names?"""
    current_domain = summary_or_cert.get("DomainName", "")
    sans = summary_or_cert.get("SubjectAlternativeNames")
    if sans is None:
        sans = summary_or_cert.get("SubjectAlternativeNameSummaries", [])
    if current_domain.lower() != domain_name.lower():
        return False
    return set(certificate_names(current_domain, sans)) == set(certificate_names(domain_name, subject_alternative_names))


def validation_records(certificate):
    """The DNS validation records a described certificate asks for, sorted, deduplicated.

    A name and its wildcard share one record. Options without a ResourceRecord
    yet (ACM adds them a few seconds after the request) are skipped.
    """
    records = {}
    for option in certificate.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if option.get("ValidationMethod", "DNS") != "DNS" or not record:
            continue
        key = fqdn(record["Name"])
        records[key] = {"name": key, "type": record["Type"], "value": record["Value"]}
    return [records[k] for k in sorted(records)]


def records_pending(certificate):
    """True while a DNS validation option still lacks its ResourceRecord."""
    options = certificate.get("DomainValidationOptions") or []
    if not options:
        return True
    return any(o.get("ValidationMethod", "DNS") == "DNS" and not o.get("ResourceRecord") for o in options)


def build_record_change(action, record, ttl):
    return {
        "Action": action,
        "ResourceRecordSet": {
            "Name": record["name"],
            "Type": record["type"],
            "TTL": ttl,
            "ResourceRecords": [{"Value": record["value"]}],
        },
    }


def record_serves(existing, record, ttl):
    """True when the existing record set already serves record (value and TTL)."""
    if existing is None:
        return False
    values = [fqdn(r["Value"]) for r in existing.get("ResourceRecords", [])]
    return values == [fqdn(record["value"])] and existing.get("TTL") == ttl and existing["Type"] == record["type"]


def record_names_of(certificate):
    return set(r["name"] for r in validation_records(certificate))


def describe_failure(certificate, records):
    """One line naming the certificate's failure and the record(s) ACM expected."""
    reasons = [o.get("ValidationStatus") for o in certificate.get("DomainValidationOptions") or []]
    expected = "; ".join("%s %s %s" % (r["name"], r["type"], r["value"]) for r in records) or "(none published)"
    return "certificate %s for %s is %s%s; ACM expected the validation record(s): %s" % (
        certificate.get("CertificateArn"), certificate.get("DomainName"), certificate.get("Status"),
        " (%s)" % certificate["FailureReason"] if certificate.get("FailureReason") else
        (" (%s)" % ", ".join(sorted(set(r for r in reasons if r))) if any(reasons) else ""),
        expected)


def normalize_certificate(certificate, tags):
    """A described certificate -> the module's `certificate` return value."""
    if certificate is None:
        return None
    result = camel_dict_to_snake_dict(certificate)
    result.update({
        "arn": certificate.get("CertificateArn"),
        "status": certificate.get("Status"),
        "domain_name": certificate.get("DomainName"),
        "subject_alternative_names": list(certificate.get("SubjectAlternativeNames") or []),
        "validation_records": validation_records(certificate),
        "in_use_by": list(certificate.get("InUseBy") or []),
        "tags": dict(tags or {}),
    })
    return result
