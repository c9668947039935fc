"""The short ACM validation wait: a DNS-validated certificate issues in seconds."""

import time


def test_dns_validated_certificate_issues_quickly(client_factory, unique):
    acm = client_factory("acm", "eu-central-1")
    arn = acm.request_certificate(DomainName=unique + ".example.com", ValidationMethod="DNS")["CertificateArn"]
    pending = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert pending["Status"] == "PENDING_VALIDATION"
    assert pending["DomainValidationOptions"][0]["ResourceRecord"]["Type"] == "CNAME"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED":
            return
        time.sleep(0.5)
    raise AssertionError("certificate not ISSUED within 15 s")
