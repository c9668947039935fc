"""The request log and fault injection, exercised through boto3 like a client."""

import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError


def _entries_since(control, start):
    return control("requests?since=%d" % start)["entries"]


def test_request_log_names_service_region_operation_and_access(client_factory, control, unique):
    start = control("requests")["count"]
    appsync = client_factory("appsync", "eu-central-1")
    api_id = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]["apiId"]
    appsync.get_graphql_api(apiId=api_id)
    client_factory("dynamodb", "ap-southeast-2").list_tables()
    client_factory("route53").list_hosted_zones()
    seen = [(e["service"], e["region"], e["operation"], e["access"]) for e in _entries_since(control, start)]
    assert seen == [
        ("appsync", "eu-central-1", "CreateGraphqlApi", "write"),
        ("appsync", "eu-central-1", "GetGraphqlApi", "read"),
        ("dynamodb", "ap-southeast-2", "ListTables", "read"),
        ("route53", "us-east-1", "ListHostedZones", "read"),
    ]


def test_apigatewayv2_is_told_apart_from_apigateway(client_factory, control):
    start = control("requests")["count"]
    client_factory("apigatewayv2").get_apis()
    assert [(e["service"], e["operation"]) for e in _entries_since(control, start)] == [("apigatewayv2", "GetApis")]


@pytest.mark.parametrize(
    "service,call,code",
    [
        ("dynamodb", lambda c: c.list_tables(), "ThrottlingException"),
        ("route53", lambda c: c.list_hosted_zones(), "Throttling"),
        ("appsync", lambda c: c.list_graphql_apis(), "TooManyRequestsException"),
        ("acm", lambda c: c.list_certificates(), "ThrottlingException"),
        ("iam", lambda c: c.list_roles(), "Throttling"),
    ],
)
def test_throttling_fault_is_the_services_real_error(client_factory, control, service, call, code):
    control("config", {"fault_rate": 1.0, "fault_kind": "throttle", "fault_services": [service]})
    with pytest.raises(ClientError) as error:
        call(client_factory(service))
    assert error.value.response["Error"]["Code"] == code


def test_botocore_retries_through_partial_throttling(client_factory, control):
    control("config", {"fault_rate": 0.5, "fault_services": ["dynamodb"], "seed": 7})
    start = control("requests")["count"]
    client = client_factory("dynamodb", retries=10)
    for _attempt in range(6):
        client.list_tables()
    faults = [e for e in _entries_since(control, start) if e["fault"]]
    assert faults, "a 50% fault rate over 6+ calls injected nothing"


def test_5xx_fault(client_factory, control):
    control("config", {"fault_rate": 1.0, "fault_kind": "5xx", "fault_services": ["appsync"]})
    with pytest.raises(ClientError) as error:
        client_factory("appsync").list_graphql_apis()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_faults_limited_to_named_operations(client_factory, control):
    control("config", {"fault_rate": 1.0, "fault_services": ["dynamodb"], "fault_operations": ["DescribeTable"]})
    client_factory("dynamodb").list_tables()  # not named: answered normally


def test_delay_per_operation(client_factory, control):
    control("config", {"delays": {"dynamodb:ListTables": 0.6}})
    began = time.monotonic()
    client_factory("dynamodb").list_tables()
    assert time.monotonic() - began >= 0.6


def test_unknown_setting_is_refused(endpoint):
    request = urllib.request.Request(endpoint + "/_localaws/config", data=json.dumps({"nope": 1}).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 400
