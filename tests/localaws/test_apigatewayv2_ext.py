"""API Gateway v2 custom domain names: the fields and calls the layer adds over moto."""

import re

import pytest
from botocore.exceptions import ClientError

GATEWAY_NAME = re.compile(r"^d-[a-z0-9]{10}\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$")


def _api_with_stage(client, unique):
    api_id = client.create_api(Name=unique, ProtocolType="HTTP")["ApiId"]
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return api_id


@pytest.mark.parametrize("region,zone_id", [("us-east-1", "Z1UJRXOUMOOFQ8"), ("eu-central-1", "Z1U9ULNL0V5AJ3"),
                                            ("ap-southeast-2", "Z2RPCDW04V8134")])
def test_domain_name_carries_alias_target_fields(client_factory, unique, region, zone_id):
    client = client_factory("apigatewayv2", region)
    name = unique + ".example.com"
    created = client.create_domain_name(
        DomainName=name,
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:%s:123456789012:certificate/x" % region,
                                   "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}],
    )["DomainNameConfigurations"][0]
    match = GATEWAY_NAME.match(created["ApiGatewayDomainName"])
    assert match and match.group("region") == region
    assert created["HostedZoneId"] == zone_id
    assert created["DomainNameStatus"] == "AVAILABLE"
    read = client.get_domain_name(DomainName=name)["DomainNameConfigurations"][0]
    assert read["ApiGatewayDomainName"] == created["ApiGatewayDomainName"]
    listed = [d for d in client.get_domain_names()["Items"] if d["DomainName"] == name]
    assert listed[0]["DomainNameConfigurations"][0]["HostedZoneId"] == zone_id
    client.delete_domain_name(DomainName=name)


def test_defaults_filled_like_aws(client_factory, unique):
    client = client_factory("apigatewayv2", "us-west-2")
    config = client.create_domain_name(DomainName=unique + ".example.com",
                                       DomainNameConfigurations=[{"CertificateArn": "arn:x"}])["DomainNameConfigurations"][0]
    assert config["EndpointType"] == "REGIONAL"
    assert config["SecurityPolicy"] == "TLS_1_2"
    assert config["HostedZoneId"] == "Z2OJLYMUO9EFXC"


def test_unmodelled_region_is_a_clear_bad_request(client_factory, unique):
    client = client_factory("apigatewayv2", "ap-east-2")
    with pytest.raises(ClientError) as error:
        client.create_domain_name(DomainName=unique + ".example.com", DomainNameConfigurations=[{"CertificateArn": "arn:x"}])
    assert error.value.response["Error"]["Code"] == "BadRequestException"
    assert "ap-east-2" in error.value.response["Error"]["Message"]


def test_delete_domain_name_with_mappings_removes_them(client_factory, unique):
    client = client_factory("apigatewayv2", "us-east-1")
    name = unique + ".example.com"
    api_id = _api_with_stage(client, unique)
    client.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": "arn:x"}])
    client.create_api_mapping(DomainName=name, ApiId=api_id, Stage="$default", ApiMappingKey="graphql")
    client.create_api_mapping(DomainName=name, ApiId=api_id, Stage="$default", ApiMappingKey="other")
    client.delete_domain_name(DomainName=name)
    with pytest.raises(ClientError) as error:
        client.get_domain_name(DomainName=name)
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    # Recreated under the same name, the domain starts with no mappings and a new target.
    client.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": "arn:x"}])
    assert client.get_api_mappings(DomainName=name)["Items"] == []
    client.delete_domain_name(DomainName=name)
    client.delete_api(ApiId=api_id)


def test_update_api_mapping(client_factory, unique):
    client = client_factory("apigatewayv2", "eu-central-1")
    name = unique + ".example.com"
    first = _api_with_stage(client, unique)
    second = _api_with_stage(client, unique + "b")
    client.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": "arn:x"}])
    mapping_id = client.create_api_mapping(DomainName=name, ApiId=first, Stage="$default", ApiMappingKey="graphql")["ApiMappingId"]
    updated = client.update_api_mapping(DomainName=name, ApiMappingId=mapping_id, ApiId=second, ApiMappingKey="v2")
    assert (updated["ApiId"], updated["ApiMappingKey"], updated["Stage"]) == (second, "v2", "$default")
    read = client.get_api_mapping(DomainName=name, ApiMappingId=mapping_id)
    assert (read["ApiId"], read["ApiMappingKey"]) == (second, "v2")
    with pytest.raises(ClientError) as error:
        client.update_api_mapping(DomainName=name, ApiMappingId="nope0", ApiId=second)
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    client.delete_domain_name(DomainName=name)


def test_update_domain_name_keeps_alias_target(client_factory, unique):
    client = client_factory("apigatewayv2", "us-east-1")
    name = unique + ".example.com"
    before = client.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": "arn:first"}])
    after = client.update_domain_name(DomainName=name,
                                      DomainNameConfigurations=[{"CertificateArn": "arn:second", "EndpointType": "REGIONAL"}])
    old, new = before["DomainNameConfigurations"][0], after["DomainNameConfigurations"][0]
    assert new["CertificateArn"] == "arn:second"
    assert new["ApiGatewayDomainName"] == old["ApiGatewayDomainName"]
    assert client.get_domain_name(DomainName=name)["DomainNameConfigurations"][0]["CertificateArn"] == "arn:second"
    client.delete_domain_name(DomainName=name)


def test_update_stage(client_factory, unique):
    client = client_factory("apigatewayv2", "us-east-1")
    api_id = _api_with_stage(client, unique)
    updated = client.update_stage(
        ApiId=api_id, StageName="$default",
        DefaultRouteSettings={"ThrottlingBurstLimit": 50, "ThrottlingRateLimit": 20.0},
        AccessLogSettings={"DestinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:x", "Format": "$context.requestId"},
    )
    assert updated["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 50
    read = client.get_stage(ApiId=api_id, StageName="$default")
    assert read["AutoDeploy"] is True
    assert read["DefaultRouteSettings"]["ThrottlingRateLimit"] == 20.0
    assert read["AccessLogSettings"]["Format"] == "$context.requestId"
    client.delete_api(ApiId=api_id)


def test_domain_tags_follow_tag_and_untag_resource(client_factory, unique):
    client = client_factory("apigatewayv2")
    name = unique + ".example.com"
    arn = client.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": "arn:x"}],
                                    Tags={"app": "a"})["DomainNameArn"]
    client.tag_resource(ResourceArn=arn, Tags={"managed-by": "multiregion.appsync"})
    assert client.get_domain_name(DomainName=name)["Tags"] == {"app": "a", "managed-by": "multiregion.appsync"}
    client.untag_resource(ResourceArn=arn, TagKeys=["app"])
    assert client.get_domain_name(DomainName=name)["Tags"] == {"managed-by": "multiregion.appsync"}
    assert client.get_tags(ResourceArn=arn)["Tags"] == {"managed-by": "multiregion.appsync"}
    client.delete_domain_name(DomainName=name)
