# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import re

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import acm

RECORD_VALUE = "_c9edd76ee4a0e2a74388032f3861cc50.ykybfrwcxw.acm-validations.aws."


def option(name, record_name=None, status="PENDING_VALIDATION"):
    result = {"DomainName": name, "ValidationMethod": "DNS", "ValidationStatus": status}
    if record_name:
        result["ResourceRecord"] = {"Name": record_name, "Type": "CNAME", "Value": RECORD_VALUE}
    return result


def test_validation_records_are_deduplicated_sorted_and_skip_unpublished():
    certificate = {"DomainValidationOptions": [
        option("www.example.com", "_b.www.example.com."),
        option("example.com", "_a.example.com."),
        option("*.example.com", "_A.example.com"),  # a wildcard shares its base name's record
        option("late.example.com"),
    ]}
    assert acm.validation_records(certificate) == [
        {"name": "_a.example.com.", "type": "CNAME", "value": RECORD_VALUE},
        {"name": "_b.www.example.com.", "type": "CNAME", "value": RECORD_VALUE},
    ]
    assert acm.records_pending(certificate) is True
    certificate["DomainValidationOptions"].pop()
    assert acm.records_pending(certificate) is False
    assert acm.records_pending({"DomainValidationOptions": []}) is True


@pytest.mark.parametrize("existing,expected", [
    (None, False),
    ({"Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": RECORD_VALUE}]}, True),
    ({"Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": RECORD_VALUE.rstrip(".").upper()}]}, True),
    ({"Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": RECORD_VALUE}]}, False),
    ({"Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "other.acm-validations.aws."}]}, False),
    ({"Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": RECORD_VALUE}, {"Value": "x."}]}, False),
])
def test_record_serves(existing, expected):
    record = {"name": "_a.example.com.", "type": "CNAME", "value": RECORD_VALUE}
    assert acm.record_serves(existing, record, 300) is expected


def test_build_record_change():
    record = {"name": "_a.example.com.", "type": "CNAME", "value": RECORD_VALUE}
    assert acm.build_record_change("UPSERT", record, 120) == {
        "Action": "UPSERT",
        "ResourceRecordSet": {"Name": "_a.example.com.", "Type": "CNAME", "TTL": 120, "ResourceRecords": [{"Value": RECORD_VALUE}]},
    }


def test_certificate_names_and_matches_request():
    assert acm.certificate_names("API.example.com", ["www.example.com", "api.example.com"]) == ["api.example.com", "www.example.com"]
    described = {"DomainName": "api.example.com", "SubjectAlternativeNames": ["api.example.com", "www.example.com"]}
    assert acm.matches_request(described, "api.example.com", ["www.example.com"])
    assert not acm.matches_request(described, "api.example.com", [])
    assert not acm.matches_request(described, "www.example.com", ["api.example.com"])
    summary = {"DomainName": "api.example.com", "SubjectAlternativeNameSummaries": ["api.example.com"]}
    assert acm.matches_request(summary, "api.example.com", [])


def test_describe_failure_names_the_expected_record():
    certificate = {"CertificateArn": "arn:cert", "DomainName": "api.example.com", "Status": "FAILED",
                   "FailureReason": "CAA_ERROR", "DomainValidationOptions": [option("api.example.com", "_a.api.example.com.")]}
    message = acm.describe_failure(certificate, acm.validation_records(certificate))
    assert "arn:cert" in message and "FAILED (CAA_ERROR)" in message
    assert "_a.api.example.com. CNAME " + RECORD_VALUE in message
    assert "(none published)" in acm.describe_failure(dict(certificate, DomainValidationOptions=[]), [])


def test_normalize_certificate():
    certificate = {"CertificateArn": "arn:cert", "DomainName": "api.example.com", "Status": "ISSUED",
                   "SubjectAlternativeNames": ["api.example.com"], "InUseBy": ["arn:lb"],
                   "DomainValidationOptions": [option("api.example.com", "_a.api.example.com.", "SUCCESS")]}
    result = acm.normalize_certificate(certificate, {"managed-by": "multiregion.appsync"})
    assert result["arn"] == "arn:cert"
    assert result["status"] == "ISSUED"
    assert result["in_use_by"] == ["arn:lb"]
    assert result["validation_records"][0]["name"] == "_a.api.example.com."
    assert result["tags"] == {"managed-by": "multiregion.appsync"}
    assert result["certificate_arn"] == "arn:cert"
    assert acm.normalize_certificate(None, {}) is None


def test_validation_record_set_picks_the_plain_record_of_that_type():
    record = {"name": "_a.api.example.com.", "type": "CNAME", "value": RECORD_VALUE}
    plain = {"Name": "_a.api.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": RECORD_VALUE}]}
    sets = [
        {"Name": "_a.api.example.com.", "Type": "TXT", "TTL": 300, "ResourceRecords": [{"Value": '"x"'}]},
        dict(plain, SetIdentifier="weighted"),
        plain,
    ]
    assert acm.validation_record_set(sets, record) is plain
    assert acm.validation_record_set(sets[:2], record) is None


def test_same_name_reads_route53_escapes_case_and_trailing_dot():
    assert acm.same_name("\\052.Example.com.", "*.example.com")
    assert acm.same_name("_X.example.com", "_x.example.com.")
    assert not acm.same_name("a.example.com", "b.example.com")


def test_request_certificate_sends_the_idempotency_token():
    sent = []

    class Client:
        def request_certificate(self, **params):
            sent.append(params)
            return {"CertificateArn": "arn1"}
    token = acm.new_idempotency_token()
    assert re.match(r"^\w{1,32}$", token) and token != acm.new_idempotency_token()
    assert acm.request_certificate(Client(), "api.example.com", ["www.example.com"], {"k": "v"}, token) == "arn1"
    assert sent[0]["IdempotencyToken"] == token
    assert sent[0]["SubjectAlternativeNames"] == ["www.example.com"] and sent[0]["ValidationMethod"] == "DNS"
