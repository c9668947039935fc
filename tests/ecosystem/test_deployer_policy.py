"""policies/deployer.json grants exactly what the deployment calls, on its own resources.

- Every operation the local AWS recorded over a full cycle (site, site again, verify,
  teardown with the table; data/cycle-operations.txt) maps to IAM actions the policy
  grants (OPERATION_ACTIONS), on a resource of this deployment.
- Every granted action is needed: by a recorded operation, by a code path the cycle
  does not take (an update, the health checks), or by an authorization AWS checks
  without a call of its own (EXTRA_ACTIONS, each with its reason).
- Every action name is one the Service Authorization Reference lists (VALID_ACTIONS),
  which is what catches a misspelt name where the local AWS's enforcement
  (test_deployer_policy_enforced.py) does not look: conditions, iam:PassRole, and the
  grants of code paths the cycle does not take.
- The scoped statements match this app's table, roles and domain, and no other app's.
"""

import json
import re
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parents[2]
POLICY = json.loads((TOP / "policies/deployer.json").read_text(encoding="utf-8"))
CYCLE = [line for line in (TOP / "tests/ecosystem/data/cycle-operations.txt").read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]

# Action names per the Service Authorization Reference, the services' pages:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsappsync.html
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
# (only the names this collection could need; a name outside this table fails the test).
VALID_ACTIONS = {
    "appsync": {
        "CreateGraphqlApi", "GetGraphqlApi", "UpdateGraphqlApi", "DeleteGraphqlApi", "ListGraphqlApis",
        "StartSchemaCreation", "GetSchemaCreationStatus", "GetIntrospectionSchema", "CreateApiKey", "ListApiKeys",
        "UpdateApiKey", "DeleteApiKey", "CreateDataSource", "GetDataSource", "UpdateDataSource", "DeleteDataSource",
        "ListDataSources", "CreateFunction", "GetFunction", "UpdateFunction", "DeleteFunction", "ListFunctions",
        "CreateResolver", "GetResolver", "UpdateResolver", "DeleteResolver", "ListResolvers", "ListTypes",
        "TagResource", "UntagResource", "ListTagsForResource", "GraphQL",
    },
    # API Gateway (REST and HTTP APIs alike) authorizes by HTTP verb on a resource path.
    "apigateway": {"GET", "POST", "PUT", "PATCH", "DELETE"},
    "acm": {
        "RequestCertificate", "DescribeCertificate", "ListCertificates", "DeleteCertificate",
        "ListTagsForCertificate", "AddTagsToCertificate", "RemoveTagsFromCertificate", "GetCertificate",
    },
    "dynamodb": {
        "CreateTable", "DescribeTable", "UpdateTable", "DeleteTable", "ListTables", "DescribeContinuousBackups",
        "UpdateContinuousBackups", "ListTagsOfResource", "TagResource", "UntagResource", "CreateTableReplica",
        "DeleteTableReplica", "Scan", "Query", "GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
        "CreateGlobalTable", "UpdateGlobalTable", "DescribeTimeToLive",
    },
    "iam": {
        "GetRole", "CreateRole", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "TagRole", "UntagRole",
        "ListRoleTags", "ListRolePolicies", "GetRolePolicy", "PutRolePolicy", "DeleteRolePolicy",
        "ListAttachedRolePolicies", "AttachRolePolicy", "DetachRolePolicy", "ListInstanceProfilesForRole",
        "PassRole", "CreateServiceLinkedRole",
    },
    "route53": {
        "GetHostedZone", "ListHostedZones", "ListHostedZonesByName", "ListResourceRecordSets",
        "ChangeResourceRecordSets", "GetChange", "CreateHealthCheck", "GetHealthCheck", "UpdateHealthCheck",
        "DeleteHealthCheck", "ListHealthChecks", "ChangeTagsForResource", "ListTagsForResource",
        "ListTagsForResources",
    },
}

# API Gateway v2 operation -> (verb, resource path); the action is apigateway:<verb> on
# arn:aws:apigateway:<region>::<path> (Service Authorization Reference, API Gateway V2).
APIGATEWAYV2 = {
    "CreateApi": ("POST", "/apis"),
    "GetApis": ("GET", "/apis"),
    "GetApi": ("GET", "/apis/{id}"),
    "UpdateApi": ("PATCH", "/apis/{id}"),
    "DeleteApi": ("DELETE", "/apis/{id}"),
    "CreateIntegration": ("POST", "/apis/{id}/integrations"),
    "GetIntegrations": ("GET", "/apis/{id}/integrations"),
    "UpdateIntegration": ("PATCH", "/apis/{id}/integrations/{id}"),
    "DeleteIntegration": ("DELETE", "/apis/{id}/integrations/{id}"),
    "DeleteCorsConfiguration": ("DELETE", "/apis/{id}/cors"),
    "CreateRoute": ("POST", "/apis/{id}/routes"),
    "GetRoutes": ("GET", "/apis/{id}/routes"),
    "UpdateRoute": ("PATCH", "/apis/{id}/routes/{id}"),
    "DeleteRoute": ("DELETE", "/apis/{id}/routes/{id}"),
    "CreateStage": ("POST", "/apis/{id}/stages"),
    "GetStage": ("GET", "/apis/{id}/stages/{name}"),
    "UpdateStage": ("PATCH", "/apis/{id}/stages/{name}"),
    "CreateDomainName": ("POST", "/domainnames"),
    "GetDomainName": ("GET", "/domainnames/{domain}"),
    "UpdateDomainName": ("PATCH", "/domainnames/{domain}"),
    "DeleteDomainName": ("DELETE", "/domainnames/{domain}"),
    "CreateApiMapping": ("POST", "/domainnames/{domain}/apimappings"),
    "GetApiMappings": ("GET", "/domainnames/{domain}/apimappings"),
    "UpdateApiMapping": ("PATCH", "/domainnames/{domain}/apimappings/{id}"),
    "DeleteApiMapping": ("DELETE", "/domainnames/{domain}/apimappings/{id}"),
    "TagResource": ("POST", "/tags/{arn}"),
    "UntagResource": ("DELETE", "/tags/{arn}"),
    "GetTags": ("GET", "/tags/{arn}"),
}

# What the cycle does not call but the code can (update paths on drift, key renewal,
# pipeline functions, health checks with geo_dns_health_check_enabled, tag changes).
UNRECORDED_CODE_PATHS = {
    "appsync:UpdateGraphqlApi", "appsync:UpdateApiKey", "appsync:UpdateDataSource", "appsync:DeleteDataSource",
    "appsync:ListDataSources", "appsync:CreateFunction", "appsync:UpdateFunction", "appsync:DeleteFunction",
    "appsync:ListFunctions", "appsync:UpdateResolver", "appsync:DeleteResolver",
    "appsync:ListTypes", "appsync:TagResource", "appsync:UntagResource", "appsync:ListTagsForResource",
    "apigateway:PATCH",  # UpdateApi/Integration/Route/Stage/DomainName/ApiMapping on drift
    "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
    "dynamodb:TagResource", "dynamodb:UntagResource",
    "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
    "route53:GetHostedZone", "route53:GetChange", "route53:CreateHealthCheck", "route53:UpdateHealthCheck",
    "route53:DeleteHealthCheck", "route53:ChangeTagsForResource", "route53:ListTagsForResource",
    "route53:ListTagsForResources",
}
# Authorizations AWS checks without an API call of their own.
EXTRA_ACTIONS = {
    "iam:PassRole": "CreateDataSource/UpdateDataSource hand the data source's role to AppSync",
    "iam:CreateServiceLinkedRole": "the first replica creates AWSServiceRoleForDynamoDBReplication",
    "dynamodb:CreateTableReplica": "UpdateTable ReplicaUpdates Create, in the replica's region",
    "dynamodb:DeleteTableReplica": "UpdateTable ReplicaUpdates Delete, in the replica's region",
    "dynamodb:Scan": "creating a replica (DynamoDB global tables security, 2019.11.21)",
    "dynamodb:Query": "creating a replica",
    "dynamodb:GetItem": "creating a replica",
    "dynamodb:PutItem": "creating a replica",
    "dynamodb:UpdateItem": "creating a replica",
    "dynamodb:DeleteItem": "creating a replica",
    "dynamodb:BatchWriteItem": "creating a replica",
}


def operation_actions(entry):
    """IAM actions one recorded `service:Operation` needs."""
    service, operation = entry.split(":")
    if service == "apigatewayv2":
        return {"apigateway:" + APIGATEWAYV2[operation][0]}
    return {f"{service}:{operation}"}


def statements_granting(action):
    return [s for s in POLICY["Statement"] if s["Effect"] == "Allow" and action in as_list(s["Action"])]


def as_list(value):
    return value if isinstance(value, list) else [value]


def granted():
    return {action for s in POLICY["Statement"] for action in as_list(s["Action"])}


def matches(pattern, arn):
    """IAM's wildcard match: '*' spans any characters, '/' included."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), arn) is not None


def test_every_action_name_is_in_the_service_authorization_reference():
    for action in granted():
        service, name = action.split(":")
        assert name in VALID_ACTIONS.get(service, set()), f"{action} is not an IAM action name"


def test_every_recorded_operation_is_granted():
    assert len(CYCLE) > 40
    for entry in CYCLE:
        for action in operation_actions(entry):
            assert statements_granting(action), f"{entry} needs {action}, which the policy does not grant"


def test_every_granted_action_is_needed():
    needed = set().union(*map(operation_actions, CYCLE)) | UNRECORDED_CODE_PATHS | set(EXTRA_ACTIONS)
    assert granted() - needed == set()


def test_code_paths_beyond_the_cycle_are_listed_with_what_the_code_calls():
    calls = set()
    for path in (TOP / "plugins").rglob("*.py"):
        calls.update(re.findall(r"client\.([a-z_]+)\(", path.read_text(encoding="utf-8")))
    camel = {"".join(word.title() for word in call.split("_")) for call in calls} - {"GetPaginator"}
    recorded = {entry.split(":")[1] for entry in CYCLE}
    for operation in camel - recorded:
        actions = ({"apigateway:" + APIGATEWAYV2[operation][0]} if operation in APIGATEWAYV2
                   else {a for a in UNRECORDED_CODE_PATHS if a.endswith(":" + operation)})
        if operation == "DescribeKey":
            continue  # kms: only for a table encrypted with a KMS alias, which the roles never set
        assert actions, f"the code calls {operation}; say which action it needs"
        assert all(statements_granting(a) for a in actions), operation


@pytest.mark.parametrize("resource, granted_to_app", [
    ("arn:aws:dynamodb:eu-central-1:111122223333:table/APP_NAME-items", True),
    ("arn:aws:dynamodb:eu-central-1:111122223333:table/APP_NAME-items/index/by-owner", True),
    ("arn:aws:dynamodb:eu-central-1:111122223333:table/other-app-items", False),
    ("arn:aws:iam::111122223333:role/APP_NAME-appsync-ds-eu-central-1", True),
    ("arn:aws:iam::111122223333:role/admin", False),
    ("arn:aws:apigateway:eu-central-1::/domainnames/API_DOMAIN_NAME/apimappings/abc123", True),
    ("arn:aws:apigateway:eu-central-1::/domainnames/other.example.com", False),
    ("arn:aws:route53:::hostedzone/HOSTED_ZONE_ID", True),
    ("arn:aws:route53:::hostedzone/Z0THERZONE", False),
])
def test_scoped_statements_cover_this_app_only(resource, granted_to_app):
    service = resource.split(":")[2]
    writes = {"dynamodb": "dynamodb:DeleteTable", "iam": "iam:DeleteRole", "apigateway": "apigateway:DELETE",
              "route53": "route53:ChangeResourceRecordSets"}[service]
    allowed = any(matches(pattern, resource) for s in statements_granting(writes) for pattern in as_list(s["Resource"]))
    assert allowed is granted_to_app


def test_only_actions_without_resource_types_use_a_wildcard_resource():
    unscoped = {a for s in POLICY["Statement"] if s["Resource"] == "*" for a in as_list(s["Action"])}
    # These take no resource ARN in the Service Authorization Reference.
    assert unscoped == {"appsync:CreateGraphqlApi", "appsync:ListGraphqlApis", "acm:RequestCertificate",
                        "acm:ListCertificates", "route53:ListHostedZonesByName", "route53:ListHealthChecks",
                        "route53:CreateHealthCheck"}
