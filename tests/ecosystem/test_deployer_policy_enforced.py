"""The deployer policy, enforced by the local AWS where moto models IAM.

moto 5.2.5 checks a request's signature and its `service:Operation` action against
the caller's IAM policies once enforcement is on (POST /moto-api/reset-auth 0, the
server-mode form of INITIAL_NO_AUTH_ACTION_COUNT). It does so for the JSON and query
protocol services here, DynamoDB, IAM and ACM; requests to the REST ones (AppSync,
API Gateway v2, Route53) fail its signature check whatever the policy (checked:
SignatureDoesNotMatch for a principal allowed route53:*), and it evaluates every
statement against the resource "*", so this test
collapses each statement's Resource to "*" and drops its Condition (the scoping is
checked in test_deployer_policy.py). A principal holding only the policy replays
every operation the recorded cycle makes on those four services, and is refused
what the deployment never does (listing tables, creating users, importing
certificates).
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

TOP = Path(__file__).resolve().parents[2]
ENFORCED = ("acm", "dynamodb", "iam")
PORT = os.environ.get("LOCALAWS_PORT", "5500")
ENDPOINT = f"http://127.0.0.1:{PORT}"
APP = "enforced"


def moto_policy():
    """deployer.json as moto can evaluate it: every Resource '*', no Condition."""
    policy = json.loads((TOP / "policies/deployer.json").read_text(encoding="utf-8"))
    for statement in policy["Statement"]:
        statement["Resource"] = "*"
        statement.pop("Condition", None)
    return json.dumps(policy)


def set_enforcement(count):
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/reset-auth", data=str(count).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def deployer():
    env = dict(os.environ, LOCALAWS_PORT=PORT)
    subprocess.run([str(TOP / "scripts/localaws-start")], check=True, capture_output=True, env=env)
    try:
        admin = {"endpoint_url": ENDPOINT, "region_name": "us-east-1",
                 "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="deployer")
        iam.put_user_policy(UserName="deployer", PolicyName="deployer", PolicyDocument=moto_policy())
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        set_enforcement(0)
        session = boto3.session.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                        region_name="us-east-1")
        yield lambda service: session.client(service, endpoint_url=ENDPOINT)
    finally:
        subprocess.run([str(TOP / "scripts/localaws-stop")], check=False, env=env)


def recorded_operations():
    lines = (TOP / "tests/ecosystem/data/cycle-operations.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line.split(":")[0] in ENFORCED}


def replay_cycle(client):
    """The recorded cycle's calls on the enforced services, in the deployment's order."""
    called = set()

    def call(service, operation, **params):
        method = "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
        called.add(f"{service}:{operation}")
        return getattr(client(service), method)(**params)

    table = f"{APP}-items"
    call("dynamodb", "CreateTable", TableName=table, BillingMode="PAY_PER_REQUEST",
         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
         StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    arn = call("dynamodb", "DescribeTable", TableName=table)["Table"]["TableArn"]
    call("dynamodb", "UpdateContinuousBackups", TableName=table,
         PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    call("dynamodb", "DescribeContinuousBackups", TableName=table)
    call("dynamodb", "ListTagsOfResource", ResourceArn=arn)
    call("dynamodb", "UpdateTable", TableName=table, DeletionProtectionEnabled=False)

    role = f"{APP}-appsync-ds-us-east-1"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "appsync.amazonaws.com"}}]}
    call("iam", "CreateRole", RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    call("iam", "GetRole", RoleName=role)
    call("iam", "PutRolePolicy", RoleName=role, PolicyName="dynamodb-table-access", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": arn}]}))
    call("iam", "ListRolePolicies", RoleName=role)
    call("iam", "GetRolePolicy", RoleName=role, PolicyName="dynamodb-table-access")

    certificate = call("acm", "RequestCertificate", DomainName="api.enforced.example",
                       ValidationMethod="DNS")["CertificateArn"]
    call("acm", "DescribeCertificate", CertificateArn=certificate)
    call("acm", "ListCertificates")
    call("acm", "ListTagsForCertificate", CertificateArn=certificate)

    # teardown
    call("acm", "DeleteCertificate", CertificateArn=certificate)
    call("iam", "DeleteRolePolicy", RoleName=role, PolicyName="dynamodb-table-access")
    call("iam", "DeleteRole", RoleName=role)
    call("dynamodb", "DeleteTable", TableName=table)
    return called


def test_the_policy_alone_lets_the_cycle_through(deployer):
    called = replay_cycle(deployer)
    assert recorded_operations() <= called, recorded_operations() - called


@pytest.mark.parametrize("service, operation, params", [
    ("dynamodb", "list_tables", {}),
    ("iam", "create_user", {"UserName": "intruder"}),
    ("acm", "import_certificate", {"Certificate": b"x", "PrivateKey": b"y"}),
])
def test_what_the_deployment_never_does_is_refused(deployer, service, operation, params):
    with pytest.raises(ClientError) as refused:
        getattr(deployer(service), operation)(**params)
    # moto answers the JSON services' denials in the query protocol's XML: botocore
    # then puts the whole document in Error.Message.
    error = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "AccessDenied" in error.get("Code", "") + error.get("Message", ""), error
