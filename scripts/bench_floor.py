"""The floor of the benchmark: a minimal plain-boto3 deployment of the same resources.

Given an inventory's regions, it makes what playbooks/site.yml makes (table and
replicas, per region an IAM role, an AppSync API with schema, key, data source
and resolvers, a DNS-validated certificate, an HTTP API proxy on a custom domain,
a geolocation record, plus the `*` record) the simplest way: one call after
another, no reads it does not need, no idempotence. It is what a deployment
tool is measured against, never shipped.

    python scripts/bench_floor.py ENDPOINT APP_NAME ZONE MAIN_REGION:GEO [REGION:GEO ...]
GEO is continent=XX or country=XX.
"""

import json
import os
import sys
import time

import boto3

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = os.path.join(TOP, "roles", "graphql_api", "files")
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "appsync.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
POLL = 0.2


def client(endpoint, service, region):
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def wait_until(check, what, timeout=600):
    deadline = time.time() + timeout
    while not check():
        if time.time() > deadline:
            raise SystemExit("floor: timed out waiting for %s" % what)
        time.sleep(POLL)


def table_active(ddb, name):
    table = ddb.describe_table(TableName=name)["Table"]
    return table["TableStatus"] == "ACTIVE" and all(
        replica.get("ReplicaStatus") == "ACTIVE" for replica in table.get("Replicas", []))


def make_table(endpoint, name, main, others):
    ddb = client(endpoint, "dynamodb", main)
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                     DeletionProtectionEnabled=True)
    wait_until(lambda: table_active(ddb, name), "table %s" % name)
    for region in others:
        ddb.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": region}}])
        wait_until(lambda: table_active(ddb, name), "replica %s" % region)


def make_api(endpoint, app, region, table):
    iam = client(endpoint, "iam", region)
    role = iam.create_role(RoleName="%s-ds-%s" % (app, region), AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    appsync = client(endpoint, "appsync", region)
    api = appsync.create_graphql_api(name="%s-api" % app, authenticationType="API_KEY")["graphqlApi"]
    with open(os.path.join(FILES, "schema.graphql"), "rb") as handle:
        appsync.start_schema_creation(apiId=api["apiId"], definition=handle.read())
    wait_until(lambda: appsync.get_schema_creation_status(apiId=api["apiId"])["status"] != "PROCESSING", "schema")
    appsync.create_api_key(apiId=api["apiId"], expires=int(time.time()) + 300 * 86400)
    appsync.create_data_source(apiId=api["apiId"], name="items", type="AMAZON_DYNAMODB",
                               serviceRoleArn=role["Arn"],
                               dynamodbConfig={"tableName": table, "awsRegion": region})
    for name in sorted(os.listdir(os.path.join(FILES, "resolvers"))):
        type_name, field_name, _ext = name.split(".")
        with open(os.path.join(FILES, "resolvers", name), encoding="utf-8") as handle:
            appsync.create_resolver(apiId=api["apiId"], typeName=type_name, fieldName=field_name,
                                    dataSourceName="items", kind="UNIT", code=handle.read(),
                                    runtime={"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"})
    return api["uris"]["GRAPHQL"]


def make_certificate(endpoint, region, domain, zone_id):
    acm = client(endpoint, "acm", region)
    arn = acm.request_certificate(DomainName=domain, ValidationMethod="DNS")["CertificateArn"]

    def record():
        options = acm.describe_certificate(CertificateArn=arn)["Certificate"].get("DomainValidationOptions", [])
        return options[0].get("ResourceRecord") if options else None

    wait_until(lambda: record() is not None, "validation record")
    found = record()
    client(endpoint, "route53", region).change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": found["Name"], "Type": "CNAME", "TTL": 300,
                                                   "ResourceRecords": [{"Value": found["Value"]}]}}]})
    wait_until(lambda: acm.describe_certificate(CertificateArn=arn)["Certificate"]["Status"] == "ISSUED", "certificate")
    return arn


def make_proxy(endpoint, app, region, domain, graphql_url, certificate_arn):
    gw = client(endpoint, "apigatewayv2", region)
    api = gw.create_api(Name="%s-proxy" % app, ProtocolType="HTTP")
    integration = gw.create_integration(ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="POST",
                                        IntegrationUri=graphql_url, PayloadFormatVersion="1.0")
    gw.create_route(ApiId=api["ApiId"], RouteKey="POST /", Target="integrations/" + integration["IntegrationId"])
    gw.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    created = gw.create_domain_name(DomainName=domain, DomainNameConfigurations=[
        {"CertificateArn": certificate_arn, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}])
    gw.create_api_mapping(DomainName=domain, ApiId=api["ApiId"], Stage="$default", ApiMappingKey="graphql")
    config = created["DomainNameConfigurations"][0]
    return {"DNSName": config["ApiGatewayDomainName"], "HostedZoneId": config["HostedZoneId"],
            "EvaluateTargetHealth": False}


def make_record(endpoint, region, zone_id, name, set_identifier, geo, alias):
    client(endpoint, "route53", region).change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": name, "Type": "A", "SetIdentifier": set_identifier,
                                                   "GeoLocation": geo, "AliasTarget": alias}}]})


def parse_geo(text):
    key, value = text.split("=")
    return {"continent": {"ContinentCode": value}, "country": {"CountryCode": value}}[key]


def deploy(endpoint, app, zone, hosts):
    regions = [host.split(":")[0] for host in hosts]
    main = regions[0]
    domain = "api." + zone
    zones = client(endpoint, "route53", main).list_hosted_zones_by_name(DNSName=zone)["HostedZones"]
    zone_id = zones[0]["Id"].split("/")[-1]
    table = "%s-items" % app
    make_table(endpoint, table, main, regions[1:])
    for host in hosts:
        region, geo = host.split(":")
        graphql_url = make_api(endpoint, app, region, table)
        certificate_arn = make_certificate(endpoint, region, domain, zone_id)
        alias = make_proxy(endpoint, app, region, domain, graphql_url, certificate_arn)
        make_record(endpoint, region, zone_id, domain, "%s-%s" % (app, region), parse_geo(geo), alias)
        if region == main:
            make_record(endpoint, region, zone_id, domain, "%s-default" % app, {"CountryCode": "*"}, alias)


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    endpoint, app, zone = argv[:3]
    start = time.time()
    deploy(endpoint, app, zone, argv[3:])
    print("%.3f" % (time.time() - start))


if __name__ == "__main__":
    main(sys.argv[1:])
