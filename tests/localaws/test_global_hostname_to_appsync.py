"""The whole path a client takes: global hostname -> Route53 geolocation -> a region's proxy -> its AppSync API.

Runs when the AppSync data plane (localaws/dataplane/appsync.py) is present;
the proxy reaches it in-process through dataplane.dispatch().
"""

import json
from urllib.parse import urlparse

import pytest
from dataplane_helpers import call, deploy_http_api

pytest.importorskip("localaws.dataplane.appsync")

LOCATION_HEADER = "x-localaws-location"
REGION_HEADER = "x-localaws-region"
SCHEMA = "type Query { echo(text: String!): String }\nschema { query: Query }\n"
ECHO = ("export function request(ctx) {\n"
        "  return { payload: ctx.args.text + ':' + ctx.request.headers['x-api-key'] };\n}\n"
        "export function response(ctx) { return ctx.result; }\n")
REGIONS = {"eu": ({"ContinentCode": "EU"}, "eu-central-1"), "default": ({"CountryCode": "*"}, "us-east-1")}


def appsync_api(client_factory, region, name):
    """An API_KEY AppSync API with one NONE-backed resolver; returns (GRAPHQL uri, key)."""
    appsync = client_factory("appsync", region)
    api = appsync.create_graphql_api(name=name, authenticationType="API_KEY")["graphqlApi"]
    appsync.start_schema_creation(apiId=api["apiId"], definition=SCHEMA.encode())
    key = appsync.create_api_key(apiId=api["apiId"])["apiKey"]["id"]
    appsync.create_data_source(apiId=api["apiId"], name="none", type="NONE")
    appsync.create_resolver(apiId=api["apiId"], typeName="Query", fieldName="echo", dataSourceName="none",
                            runtime={"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}, code=ECHO)
    return api["uris"]["GRAPHQL"], key


@pytest.fixture
def deployment(client_factory, unique):
    """Two regions as site.yml builds them: AppSync API, proxy inserting its key, custom domain, geo records."""
    route53 = client_factory("route53")
    zone_id = route53.create_hosted_zone(Name=unique + ".example.com",
                                         CallerReference=unique)["HostedZone"]["Id"].split("/")[-1]
    hostname = "api.%s.example.com" % unique
    proxies, changes = {}, []
    for set_id, (location, region) in REGIONS.items():
        uri, key = appsync_api(client_factory, region, unique)
        proxies[region] = deploy_http_api(client_factory, region, unique, uri, domain=hostname,
                                          parameters={"overwrite:header.x-api-key": key})
        proxies[region]["key"] = key
        changes.append({"Action": "CREATE", "ResourceRecordSet": {
            "Name": hostname, "Type": "A", "SetIdentifier": set_id, "GeoLocation": location,
            "AliasTarget": {"HostedZoneId": proxies[region]["zone"], "DNSName": proxies[region]["target"],
                            "EvaluateTargetHealth": True}}})
        proxies[region]["graphql_host"] = urlparse(uri).netloc
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    return hostname, proxies


def query(endpoint, host, path="/graphql", headers=None):
    body = json.dumps({"query": 'query { echo(text: "hi") }'}).encode()
    status, answer_headers, answer = call(endpoint, "POST", host, path,
                                          dict({"content-type": "application/json"}, **(headers or {})), body)
    return status, answer_headers.get(REGION_HEADER), json.loads(answer)


@pytest.mark.parametrize("location, region", [("continent=EU", "eu-central-1"), ("country=FR", "eu-central-1"),
                                              ("country=JP", "us-east-1"), (None, "us-east-1")])
def test_a_client_anywhere_is_answered_by_its_regions_appsync_with_the_key_the_proxy_inserted(
        endpoint, deployment, location, region):
    hostname, proxies = deployment
    status, served, answer = query(endpoint, hostname, headers={LOCATION_HEADER: location} if location else {})
    assert (status, served) == (200, region)
    assert answer == {"data": {"echo": "hi:%s" % proxies[region]["key"]}}


def test_appsync_without_the_proxy_wants_a_key(endpoint, deployment):
    _hostname, proxies = deployment
    status, _served, answer = query(endpoint, proxies["eu-central-1"]["graphql_host"])
    assert status == 401 and answer["errors"][0]["errorType"] == "UnauthorizedException"
