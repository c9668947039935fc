"""IAM enforcement for AppSync, API Gateway v2 and Route53 (localaws/extensions/iam_enforcement.py).

Each test creates a principal holding one policy, turns moto's enforcement on
(POST /moto-api/reset-auth 0) and off again afterwards: the server is shared.
Against plain moto 5.2.5 every GET and DELETE here fails its signature check,
every scoped statement fails to match, and API Gateway asks for apigateway:<Operation>.
"""

import json
import urllib.request
from contextlib import contextmanager

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ALL = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]


@pytest.fixture
def principal(client_factory, endpoint, unique):
    """principal(statements) -> client factory for a new user holding only those statements."""
    iam = client_factory("iam")
    count = iter(range(100))

    def make(statements):
        name = "%s-%d" % (unique, next(count))
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="only",
                            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        session = boto3.session.Session(aws_access_key_id=key["AccessKeyId"],
                                        aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
        return lambda service: session.client(service, endpoint_url=endpoint,
                                              config=Config(retries={"max_attempts": 1}))

    return make


@pytest.fixture
def enforced(endpoint):
    """A context in which the server enforces IAM; off again whatever happens."""

    def reset_auth(count):
        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=str(count).encode(), method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request, timeout=10).close()

    @contextmanager
    def context():
        reset_auth(0)
        try:
            yield
        finally:
            reset_auth(float("inf"))

    yield context
    reset_auth(float("inf"))


def refusal(call, **params):
    with pytest.raises(ClientError) as refused:
        call(**params)
    response = refused.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def test_calls_without_a_body_pass_the_signature_check(principal, enforced, client_factory, unique):
    zone = client_factory("route53").create_hosted_zone(Name=unique + ".example", CallerReference=unique)
    zone_id = zone["HostedZone"]["Id"].split("/")[-1]
    api_id = client_factory("apigatewayv2").create_api(Name=unique, ProtocolType="HTTP")["ApiId"]
    client = principal(ALL)
    with enforced():
        client("appsync").list_graphql_apis()
        client("route53").list_hosted_zones_by_name(DNSName=unique + ".example")
        client("route53").get_hosted_zone(Id=zone_id)
        client("apigatewayv2").get_apis()
        client("apigatewayv2").delete_api(ApiId=api_id)


def test_route53_is_authorized_on_the_hosted_zone_the_path_names(principal, enforced, client_factory, unique):
    route53 = client_factory("route53")
    mine, other = (route53.create_hosted_zone(Name="%s.%s.example" % (label, unique), CallerReference=label + unique)
                   ["HostedZone"]["Id"].split("/")[-1] for label in ("mine", "other"))
    client = principal([{"Effect": "Allow", "Action": "route53:ListResourceRecordSets",
                         "Resource": "arn:aws:route53:::hostedzone/" + mine}])
    with enforced():
        client("route53").list_resource_record_sets(HostedZoneId=mine)
        status, code, message = refusal(client("route53").list_resource_record_sets, HostedZoneId=other)
        not_granted = refusal(client("route53").list_hosted_zones_by_name)
    assert (status, code) == (403, "AccessDenied")
    assert message.endswith("route53:ListResourceRecordSets on resource: arn:aws:route53:::hostedzone/" + other)
    assert not_granted[:2] == (403, "AccessDenied")


def test_route53_list_tags_for_resources_needs_every_listed_resource(principal, enforced, client_factory, unique):
    route53 = client_factory("route53")
    config = {"Type": "HTTPS", "FullyQualifiedDomainName": unique + ".example", "ResourcePath": "/health"}
    checks = [route53.create_health_check(CallerReference=unique + label, HealthCheckConfig=config)["HealthCheck"]["Id"]
              for label in ("a", "b")]
    client = principal([{"Effect": "Allow", "Action": "route53:ListTagsForResources",
                         "Resource": "arn:aws:route53:::healthcheck/" + checks[0]}])
    with enforced():
        client("route53").list_tags_for_resources(ResourceType="healthcheck", ResourceIds=checks[:1])
        status, code, message = refusal(client("route53").list_tags_for_resources, ResourceType="healthcheck",
                                        ResourceIds=checks)
    assert (status, code) == (403, "AccessDenied")
    assert message.endswith("on resource: arn:aws:route53:::healthcheck/" + checks[1])


def test_appsync_is_authorized_on_the_api_and_its_data_sources(principal, enforced, client_factory, unique):
    appsync = client_factory("appsync")
    mine, other = (appsync.create_graphql_api(name=unique + label, authenticationType="API_KEY")["graphqlApi"]
                   for label in ("mine", "other"))
    appsync.create_data_source(apiId=mine["apiId"], name="items", type="NONE")
    client = principal([
        {"Effect": "Allow", "Action": ["appsync:GetGraphqlApi", "appsync:TagResource", "appsync:ListApiKeys"],
         "Resource": mine["arn"]},
        {"Effect": "Allow", "Action": "appsync:GetDataSource", "Resource": mine["arn"] + "/datasources/items"},
    ])
    with enforced():
        client("appsync").get_graphql_api(apiId=mine["apiId"])
        client("appsync").list_api_keys(apiId=mine["apiId"])
        client("appsync").tag_resource(resourceArn=mine["arn"], tags={"owner": unique})
        client("appsync").get_data_source(apiId=mine["apiId"], name="items")
        status, code, message = refusal(client("appsync").get_graphql_api, apiId=other["apiId"])
        not_granted = refusal(client("appsync").delete_graphql_api, apiId=mine["apiId"])
    assert (status, code) == (403, "AccessDeniedException")
    assert message.endswith("appsync:GetGraphqlApi on resource: " + other["arn"])
    assert not_granted[:2] == (403, "AccessDeniedException")


def test_api_gateway_authorizes_the_http_verb_on_the_resource_path(principal, enforced, client_factory, unique):
    apigateway = client_factory("apigatewayv2")
    api = apigateway.create_api(Name=unique, ProtocolType="HTTP")
    api_arn = "arn:aws:apigateway:us-east-1::/apis/" + api["ApiId"]
    client = principal([
        {"Effect": "Allow", "Action": "apigateway:GET",
         "Resource": ["arn:aws:apigateway:*::/apis", "arn:aws:apigateway:*::/apis/*"]},
        {"Effect": "Allow", "Action": "apigateway:POST", "Resource": "arn:aws:apigateway:*::/tags/*"},
    ])
    with enforced():
        client("apigatewayv2").get_apis()
        client("apigatewayv2").get_routes(ApiId=api["ApiId"])
        client("apigatewayv2").tag_resource(ResourceArn=api_arn, Tags={"owner": unique})
        status, code, message = refusal(client("apigatewayv2").delete_api, ApiId=api["ApiId"])
        elsewhere = refusal(client("apigatewayv2").get_domain_name, DomainName=unique + ".example")
    assert (status, code) == (403, "AccessDeniedException")
    assert message.endswith("apigateway:DELETE on resource: " + api_arn)
    assert elsewhere[2].endswith("apigateway:GET on resource: arn:aws:apigateway:us-east-1::/domainnames/%s.example"
                                 % unique)
