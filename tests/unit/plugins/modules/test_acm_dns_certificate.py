# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from types import SimpleNamespace

import pytest

from ansible_collections.multiregion.appsync.plugins.modules import acm_dns_certificate as module


def params(**overrides):
    base = {"domain_name": "api.example.com", "subject_alternative_names": [], "other_regions": [],
            "wait_timeout": 600, "validation_record_ttl": 300}
    base.update(overrides)
    return base


def test_good_params():
    assert module.validate_params(params(subject_alternative_names=["*.example.com"], other_regions=["eu-central-1"])) is None


@pytest.mark.parametrize("overrides,fragment", [
    ({"domain_name": "not a domain"}, "domain_name: 'not a domain'"),
    ({"subject_alternative_names": ["ok.example.com", "bad_name..com"]}, "subject_alternative_names: 'bad_name..com'"),
    ({"other_regions": ["Europe"]}, "other_regions: 'Europe'"),
    ({"wait_timeout": 0}, "wait_timeout"),
    ({"validation_record_ttl": -1}, "validation_record_ttl"),
    # ACM refuses a trailing dot, and find_certificate would never match the name ACM keeps.
    ({"domain_name": "api.example.com."}, "domain_name: 'api.example.com.' is not a valid domain name (ACM takes no trailing dot)"),
    ({"subject_alternative_names": ["www.example.com."]}, "subject_alternative_names: 'www.example.com.'"),
])
def test_bad_params_name_the_option(overrides, fragment):
    assert fragment in module.validate_params(params(**overrides))


def test_names_outside_zone():
    names = ["api.example.com", "*.example.com", "www.example.net"]
    assert module.names_outside_zone(names, "example.com.") == ["www.example.net"]


def test_summary_of():
    certificate = {"CertificateArn": "arn:c", "DomainName": "api.example.com", "SubjectAlternativeNames": ["b", "a"]}
    assert module.summary_of(certificate, {"k": "v"}) == {
        "arn": "arn:c", "domain_name": "api.example.com", "subject_alternative_names": ["a", "b"], "tags": {"k": "v"}}
    assert module.summary_of(None, {}) is None


class Failed(Exception):
    pass


def test_wait_for_polls_a_certificate_not_found_yet(monkeypatch):
    # Right after RequestCertificate, DescribeCertificate can still answer ResourceNotFoundException (None here).
    answers = [None, {"CertificateArn": "arn1", "Status": "PENDING_VALIDATION"}]
    monkeypatch.setattr(module.acm_utils, "describe_certificate", lambda acm, arn: answers.pop(0))
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    fake = type("FakeModule", (), {"fail_json": lambda self, msg: pytest.fail(msg)})()
    certificate = module.wait_for(fake, None, "arn1", lambda c: True, module.time.monotonic() + 60)
    assert certificate["CertificateArn"] == "arn1" and answers == []


def test_wait_for_fails_when_never_found(monkeypatch):
    monkeypatch.setattr(module.acm_utils, "describe_certificate", lambda acm, arn: None)

    def fail_json(self, msg):
        raise Failed(msg)
    fake = type("FakeModule", (), {"fail_json": fail_json})()
    with pytest.raises(Failed, match="certificate arn1"):
        module.wait_for(fake, None, "arn1", lambda c: True, module.time.monotonic() - 1)


# ---- hosted zone: the one resolver (module_utils/route53.py) ----------------

SPLIT = [{"Id": "PRIV", "Name": "example.com.", "Config": {"PrivateZone": True}},
         {"Id": "PUB", "Name": "example.com.", "Config": {"PrivateZone": False}}]


class ZoneModule:
    def __init__(self, **params):
        self.params = dict({"hosted_zone_id": None, "hosted_zone_name": "example.com"}, **params)

    def fail_json(self, msg):
        raise Failed(msg)


def test_validation_records_go_into_the_public_zone_of_a_split_horizon_pair(monkeypatch):
    monkeypatch.setattr(module.route53_utils, "find_hosted_zones", lambda client, name: list(SPLIT))
    assert module.resolve_zone(ZoneModule(), None) == ("PUB", "example.com.")


def test_a_private_only_zone_fails_naming_it(monkeypatch):
    monkeypatch.setattr(module.route53_utils, "find_hosted_zones", lambda client, name: SPLIT[:1])
    with pytest.raises(Failed, match=r"^hosted_zone_name example.com: only a private hosted zone has that name \(PRIV\)"):
        module.resolve_zone(ZoneModule(), None)
    monkeypatch.setattr(module.route53_utils, "get_hosted_zone", lambda client, zone_id: dict(SPLIT[0]))
    with pytest.raises(Failed, match="^hosted_zone_id PRIV: example.com. is a private hosted zone"):
        module.resolve_zone(ZoneModule(hosted_zone_id="PRIV", hosted_zone_name=None), None)


def test_zone_id_and_name_given_together_are_taken_as_they_are(monkeypatch):
    monkeypatch.setattr(module.route53_utils, "find_hosted_zones", lambda client, name: pytest.fail("ListHostedZonesByName called"))
    monkeypatch.setattr(module.route53_utils, "get_hosted_zone", lambda client, zone_id: pytest.fail("GetHostedZone called"))
    assert module.resolve_zone(ZoneModule(hosted_zone_id="/hostedzone/PUB"), None) == ("PUB", "example.com.")


def test_no_zone_option_leaves_records_alone():
    assert module.resolve_zone(ZoneModule(hosted_zone_name=None), None) == (None, None)


def test_tags_converge_through_the_shared_plan(monkeypatch):
    calls = []
    monkeypatch.setattr(module.acm_utils, "add_certificate_tags", lambda client, arn, tags: calls.append(("add", tags)))
    monkeypatch.setattr(module.acm_utils, "remove_certificate_tags", lambda client, arn, keys: calls.append(("remove", keys)))
    fake = ZoneModule(tags={"app": "x"}, purge_tags=True)
    fake.check_mode = False
    changed, after = module.ensure_tags(fake, None, "arn", {"managed-by": "multiregion.appsync", "old": "1"}, False)
    assert changed is True
    assert calls == [("remove", ["old"]), ("add", {"app": "x"})]
    assert after == {"managed-by": "multiregion.appsync", "app": "x"}


class NewCertificateACM:
    """RequestCertificate succeeds; ListTagsForCertificate does not find the certificate yet (eventual consistency)."""

    meta = SimpleNamespace(region_name="us-east-1", endpoint_url="https://acm.us-east-1.amazonaws.com",
                           service_model=SimpleNamespace(service_name="acm"))

    def __init__(self):
        self.calls = []

    def request_certificate(self, **kwargs):
        self.calls.append(("request_certificate", kwargs))
        return {"CertificateArn": "arn:new"}

    def list_tags_for_certificate(self, CertificateArn):
        from botocore.exceptions import ClientError
        raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "not found"}}, "ListTagsForCertificate")


def test_a_new_certificate_is_reported_with_the_tags_sent_with_the_request(monkeypatch):
    issued = {"CertificateArn": "arn:new", "DomainName": "api.example.com", "Status": "ISSUED",
              "DomainValidationOptions": [{"DomainName": "api.example.com", "ValidationMethod": "DNS",
                                           "ResourceRecord": {"Name": "_x.api.example.com.", "Type": "CNAME",
                                                              "Value": "_y.acm-validations.aws."}}]}
    served = {"Name": "_x.api.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "_y.acm-validations.aws."}]}
    monkeypatch.setattr(module, "resolve_zone", lambda module_, route53: ("Z1", "example.com."))
    monkeypatch.setattr(module, "find_certificate", lambda module_, acm, domain_name, sans: (None, {}, False))
    monkeypatch.setattr(module.acm_utils, "describe_certificate", lambda acm, arn: dict(issued))
    monkeypatch.setattr(module.route53_utils, "list_record_sets_for_name", lambda client, zone_id, name: [served])
    fake = ZoneModule(tags={"app": "x"}, subject_alternative_names=[], wait=False, wait_timeout=60,
                      validation_record_ttl=300, domain_name="api.example.com")
    fake.check_mode = False
    acm = NewCertificateACM()
    result, before, after = module.ensure_present(fake, acm, None)
    wanted = {"app": "x", "managed-by": "multiregion.appsync"}
    assert result["changed"] is True
    assert result["certificate"]["tags"] == wanted
    assert after["tags"] == wanted and before is None
    assert acm.calls[0][1]["Tags"] == [{"Key": "app", "Value": "x"}, {"Key": "managed-by", "Value": "multiregion.appsync"}]


# ---- DescribeCertificate: once per run when the first description suffices ----------------

VALIDATION = {"Name": "_x.api.example.com.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}
SERVED = {"Name": "_x.api.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "_y.acm-validations.aws."}]}


class CountingACM:
    """An ACM holding one owned certificate for api.example.com; its statuses answer DescribeCertificate in turn
    (the last one again and again). Counts the calls."""

    meta = NewCertificateACM.meta

    def __init__(self, *statuses):
        self.statuses = list(statuses)
        self.calls = []

    def get_paginator(self, name):
        calls = self.calls
        page = {"CertificateSummaryList": [{"CertificateArn": "arn:c", "DomainName": "api.example.com"}]}
        return SimpleNamespace(paginate=lambda **kwargs: SimpleNamespace(
            build_full_result=lambda: calls.append(name) or page))

    def describe_certificate(self, CertificateArn):
        self.calls.append("describe_certificate")
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"Certificate": {"CertificateArn": CertificateArn, "DomainName": "api.example.com", "Status": status,
                                "SubjectAlternativeNames": ["api.example.com"],
                                "DomainValidationOptions": [{"DomainName": "api.example.com", "ValidationMethod": "DNS",
                                                             "ResourceRecord": dict(VALIDATION)}]}}

    def list_tags_for_certificate(self, CertificateArn):
        self.calls.append("list_tags_for_certificate")
        return {"Tags": [{"Key": "managed-by", "Value": "multiregion.appsync"}]}


def ensure_present_against(monkeypatch, acm, wait):
    monkeypatch.setattr(module, "resolve_zone", lambda module_, route53: ("Z1", "example.com."))
    monkeypatch.setattr(module.route53_utils, "list_record_sets_for_name", lambda client, zone_id, name: [dict(SERVED)])
    monkeypatch.setattr(module.time, "sleep", lambda seconds: None)
    fake = ZoneModule(tags={}, purge_tags=True, adopt_untagged=False, subject_alternative_names=[], wait=wait,
                      wait_timeout=60, validation_record_ttl=300, domain_name="api.example.com")
    fake.check_mode = False
    return module.ensure_present(fake, acm, None)


@pytest.mark.parametrize("wait", [True, False])
def test_an_issued_certificate_is_described_once(monkeypatch, wait):
    acm = CountingACM("ISSUED")
    result, before, after = ensure_present_against(monkeypatch, acm, wait)
    assert result["changed"] is False and result["certificate"]["status"] == "ISSUED"
    assert acm.calls == ["list_certificates", "describe_certificate", "list_tags_for_certificate"]


def test_a_pending_certificate_is_polled_until_issued(monkeypatch):
    acm = CountingACM("PENDING_VALIDATION", "PENDING_VALIDATION", "ISSUED")
    result = ensure_present_against(monkeypatch, acm, True)[0]
    assert result["certificate"]["status"] == "ISSUED"
    assert acm.calls.count("describe_certificate") == 3


def test_wait_for_asks_nothing_when_the_description_in_hand_is_done(monkeypatch):
    monkeypatch.setattr(module.acm_utils, "describe_certificate", lambda acm, arn: pytest.fail("described again"))
    in_hand = {"CertificateArn": "arn1", "Status": "ISSUED"}
    assert module.wait_for(None, None, "arn1", lambda c: c["Status"] == "ISSUED", module.time.monotonic() + 60, in_hand) is in_hand
