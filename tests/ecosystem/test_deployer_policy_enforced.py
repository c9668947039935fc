"""The deployer policy, enforced by the local AWS.

moto 5.2.5 checks a request's signature and its action against the caller's IAM
policies once enforcement is on (POST /moto-api/reset-auth 0, the server-mode form
of INITIAL_NO_AUTH_ACTION_COUNT). localaws/extensions/iam_enforcement.py makes that
hold for AppSync, API Gateway v2 and Route53 as AWS authorizes them: the resource a
request's path names (API Gateway's verb-style apigateway:GET|POST|PATCH|DELETE on
its resource path). For DynamoDB, IAM and ACM moto still evaluates every statement
against the resource "*", so their statements' Resource is collapsed to "*" and
their Condition dropped (moto has no request context for iam:PassedToService);
that scoping is checked in test_deployer_policy.py. The other statements keep their
resources, the placeholders replaced by this app's name, domain and hosted zone.

A principal holding only the policy replays every operation the recorded cycle
makes, and is refused what the deployment never does: listing tables, creating
users, importing certificates, deleting an AppSync API key, replacing an HTTP API (PUT),
another domain name, another hosted zone.
"""

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

TOP = Path(__file__).resolve().parents[2]
PORT = os.environ.get("LOCALAWS_PORT", "5500")
ENDPOINT = f"http://127.0.0.1:{PORT}"
APP = "enforced"
ZONE = "enforced.example"
DOMAIN = "api.enforced.example"
# Services whose requests moto evaluates against the resource "*" only.
UNSCOPED = ("acm", "dynamodb", "iam")


def moto_policy(hosted_zone_id):
    """deployer.json for this app; Resource '*' and no Condition where moto cannot evaluate them."""
    text = (TOP / "policies/deployer.json").read_text(encoding="utf-8")
    for placeholder, value in (("APP_NAME", APP), ("API_DOMAIN_NAME", DOMAIN), ("HOSTED_ZONE_ID", hosted_zone_id)):
        text = text.replace(placeholder, value)
    policy = json.loads(text)
    for statement in policy["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if {action.split(":")[0] for action in actions} & set(UNSCOPED):
            statement["Resource"] = "*"
            statement.pop("Condition", None)
    return json.dumps(policy)


def set_enforcement(count):
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/reset-auth", data=str(count).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


class Deployer:
    """Clients of the principal holding only the policy, and what its admin made beforehand."""

    def __init__(self, session, zone_id, other_zone_id):
        self.session = session
        self.zone_id = zone_id
        self.other_zone_id = other_zone_id

    def __call__(self, service, region="us-east-1"):
        return self.session.client(service, endpoint_url=ENDPOINT, region_name=region)


@pytest.fixture(scope="module")
def deployer():
    env = dict(os.environ, LOCALAWS_PORT=PORT)
    subprocess.run([str(TOP / "scripts/localaws-start")], check=True, capture_output=True, env=env)
    try:
        admin = {"endpoint_url": ENDPOINT, "region_name": "us-east-1",
                 "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        route53 = boto3.client("route53", **admin)
        zone_id, other_zone_id = (
            route53.create_hosted_zone(Name=name, CallerReference=name)["HostedZone"]["Id"].split("/")[-1]
            for name in (ZONE, "other-app.example"))
        iam = boto3.client("iam", **admin)
        iam.create_user(UserName="deployer")
        iam.put_user_policy(UserName="deployer", PolicyName="deployer", PolicyDocument=moto_policy(zone_id))
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        set_enforcement(0)
        session = boto3.session.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                        region_name="us-east-1")
        yield Deployer(session, zone_id, other_zone_id)
    finally:
        subprocess.run([str(TOP / "scripts/localaws-stop")], check=False, env=env)


def recorded_operations():
    lines = (TOP / "tests/ecosystem/data/cycle-operations.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def replay_cycle(client):
    """The recorded cycle's calls, in the deployment's order (one region), then teardown's."""
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
    table_arn = call("dynamodb", "DescribeTable", TableName=table)["Table"]["TableArn"]
    call("dynamodb", "UpdateContinuousBackups", TableName=table,
         PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    call("dynamodb", "DescribeContinuousBackups", TableName=table)
    call("dynamodb", "ListTagsOfResource", ResourceArn=table_arn)
    call("dynamodb", "UpdateTable", TableName=table, DeletionProtectionEnabled=False)

    role = f"{APP}-appsync-ds-us-east-1"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "appsync.amazonaws.com"}}]}
    role_arn = call("iam", "CreateRole", RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    call("iam", "GetRole", RoleName=role)
    call("iam", "PutRolePolicy", RoleName=role, PolicyName="dynamodb-table-access", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": table_arn}]}))
    call("iam", "ListRolePolicies", RoleName=role)
    call("iam", "GetRolePolicy", RoleName=role, PolicyName="dynamodb-table-access")

    call("appsync", "ListGraphqlApis")
    api = call("appsync", "CreateGraphqlApi", name=APP, authenticationType="API_KEY",
               tags={"multiregion.appsync:app": APP})["graphqlApi"]
    api_id = api["apiId"]
    call("appsync", "GetGraphqlApi", apiId=api_id)
    call("appsync", "StartSchemaCreation", apiId=api_id, definition=b"type Query { item(id: ID!): String }")
    call("appsync", "GetSchemaCreationStatus", apiId=api_id)
    call("appsync", "GetIntrospectionSchema", apiId=api_id, format="SDL")
    call("appsync", "TagResource", resourceArn=api["arn"], tags={"multiregion.appsync:schema-sha256": "0" * 64})
    call("appsync", "ListApiKeys", apiId=api_id)
    call("appsync", "CreateApiKey", apiId=api_id, expires=int(time.time()) + 30 * 86400)
    call("appsync", "CreateDataSource", apiId=api_id, name="items", type="AMAZON_DYNAMODB", serviceRoleArn=role_arn,
         dynamodbConfig={"tableName": table, "awsRegion": "us-east-1"})
    call("appsync", "GetDataSource", apiId=api_id, name="items")
    call("appsync", "CreateResolver", apiId=api_id, typeName="Query", fieldName="item", dataSourceName="items",
         runtime={"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"},
         code="export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }")
    call("appsync", "GetResolver", apiId=api_id, typeName="Query", fieldName="item")
    call("appsync", "ListResolvers", apiId=api_id, typeName="Query")

    certificate = call("acm", "RequestCertificate", DomainName=DOMAIN, ValidationMethod="DNS")["CertificateArn"]
    call("acm", "DescribeCertificate", CertificateArn=certificate)
    call("acm", "ListCertificates")
    call("acm", "ListTagsForCertificate", CertificateArn=certificate)

    call("apigatewayv2", "GetApis")
    http_api = call("apigatewayv2", "CreateApi", Name=APP, ProtocolType="HTTP",
                    Tags={"multiregion.appsync:app": APP, "multiregion.appsync:creation-token": "t"})
    http_api_id = http_api["ApiId"]
    call("apigatewayv2", "UntagResource", ResourceArn=f"arn:aws:apigateway:us-east-1::/apis/{http_api_id}",
         TagKeys=["multiregion.appsync:creation-token"])
    call("apigatewayv2", "GetIntegrations", ApiId=http_api_id)
    integration = call("apigatewayv2", "CreateIntegration", ApiId=http_api_id, IntegrationType="HTTP_PROXY",
                       IntegrationMethod="POST", IntegrationUri=api["uris"]["GRAPHQL"], PayloadFormatVersion="1.0")
    call("apigatewayv2", "GetRoutes", ApiId=http_api_id)
    call("apigatewayv2", "CreateRoute", ApiId=http_api_id, RouteKey="POST /graphql",
         Target="integrations/" + integration["IntegrationId"])
    try:
        call("apigatewayv2", "GetStage", ApiId=http_api_id, StageName="$default")
    except ClientError as error:
        assert error.response["Error"]["Code"] == "NotFoundException", error.response["Error"]
        call("apigatewayv2", "CreateStage", ApiId=http_api_id, StageName="$default", AutoDeploy=True)
    try:
        call("apigatewayv2", "GetDomainName", DomainName=DOMAIN)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "NotFoundException", error.response["Error"]
    domain = call("apigatewayv2", "CreateDomainName", DomainName=DOMAIN, DomainNameConfigurations=[
        {"CertificateArn": certificate, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}])
    call("apigatewayv2", "GetApiMappings", DomainName=DOMAIN)
    mapping = call("apigatewayv2", "CreateApiMapping", DomainName=DOMAIN, ApiId=http_api_id, Stage="$default")

    call("route53", "ListHostedZonesByName", DNSName=ZONE)
    call("route53", "ListHealthChecks")
    target = domain["DomainNameConfigurations"][0]
    record = {"Name": DOMAIN + ".", "Type": "A", "SetIdentifier": "us-east-1", "GeoLocation": {"CountryCode": "*"},
              "AliasTarget": {"HostedZoneId": target["HostedZoneId"], "DNSName": target["ApiGatewayDomainName"],
                              "EvaluateTargetHealth": True}}
    call("route53", "ChangeResourceRecordSets", HostedZoneId=client.zone_id,
         ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]})
    call("route53", "ListResourceRecordSets", HostedZoneId=client.zone_id)

    # teardown
    call("route53", "ChangeResourceRecordSets", HostedZoneId=client.zone_id,
         ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]})
    call("apigatewayv2", "DeleteApiMapping", DomainName=DOMAIN, ApiMappingId=mapping["ApiMappingId"])
    call("apigatewayv2", "DeleteDomainName", DomainName=DOMAIN)
    call("apigatewayv2", "DeleteApi", ApiId=http_api_id)
    call("appsync", "DeleteGraphqlApi", apiId=api_id)
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
    ("appsync", "delete_api_key", {"apiId": "abcdefghijklmnopqrstuvwxyz", "id": "da2-key"}),
    ("apigatewayv2", "reimport_api", {"ApiId": "abcdef1234", "Body": "{}"}),
    ("apigatewayv2", "delete_domain_name", {"DomainName": "api.other-app.example"}),
    ("route53", "list_hosted_zones", {}),
    ("route53", "change_resource_record_sets", {"HostedZoneId": "OTHER_ZONE", "ChangeBatch": {"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": "api.other-app.example.", "Type": "A", "TTL": 60,
                                                   "ResourceRecords": [{"Value": "192.0.2.1"}]}}]}}),
])
def test_what_the_deployment_never_does_is_refused(deployer, service, operation, params):
    if params.get("HostedZoneId") == "OTHER_ZONE":
        params = dict(params, HostedZoneId=deployer.other_zone_id)
    with pytest.raises(ClientError) as refused:
        getattr(deployer(service), operation)(**params)
    # moto answers DynamoDB's and ACM's denials in the query protocol's XML: botocore
    # then puts the whole document in Error.Message. AppSync and API Gateway answer
    # AccessDeniedException, Route53 AccessDenied (localaws.extensions.iam_enforcement).
    error = refused.value.response["Error"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "AccessDenied" in error.get("Code", "") + error.get("Message", ""), error
