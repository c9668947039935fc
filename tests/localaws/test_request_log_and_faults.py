"""The request log and fault injection, exercised through boto3 like a client."""

import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError


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
    client = client_factory("dynamodb")
    client.list_tables()  # not named: answered normally
    with pytest.raises(ClientError) as error:  # named: refused
        client.describe_table(TableName="any")
    assert error.value.response["Error"]["Code"] == "ThrottlingException"


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


def _post_config(endpoint, payload):
    request = urllib.request.Request(endpoint + "/_localaws/config", data=json.dumps(payload).encode(), method="POST")
    return urllib.request.urlopen(request, timeout=5)


def test_several_fault_kinds_at_once_each_at_its_own_rate(client_factory, control):
    control("config", {"seed": 11, "faults": [
        {"kind": "throttle", "rate": 0.2, "services": ["dynamodb"]},
        {"kind": "5xx", "rate": 0.05, "services": ["dynamodb"]},
        {"kind": "5xx", "rate": 0.5, "services": ["appsync"]},
    ]})
    start = control("requests")["count"]
    dynamodb, route53 = client_factory("dynamodb", retries=0), client_factory("route53", retries=0)
    outcomes = {"ThrottlingException": 0, "InternalFailure": 0, "ok": 0}
    for _attempt in range(400):
        try:
            dynamodb.list_tables()
            outcomes["ok"] += 1
        except ClientError as error:
            outcomes[error.response["Error"]["Code"]] += 1
    for _attempt in range(20):
        route53.list_hosted_zones()  # no rule names route53: never refused
    assert 50 <= outcomes["ThrottlingException"] <= 110, outcomes  # 20% of 400 = 80
    assert 8 <= outcomes["InternalFailure"] <= 35, outcomes  # 5% of 400 = 20
    counts = control("faults?since=%d" % start)
    assert counts["by_service"] == {"dynamodb": {"throttle": outcomes["ThrottlingException"],
                                                 "5xx": outcomes["InternalFailure"]}}
    assert counts["total"] == outcomes["ThrottlingException"] + outcomes["InternalFailure"]


def test_lost_answer_applies_the_write_then_answers_5xx(client_factory, control, unique):
    control("config", {"faults": [{"kind": "lost-5xx", "rate": 1.0, "services": ["appsync"]}]})
    appsync = client_factory("appsync", "eu-west-1", retries=0)
    with pytest.raises(ClientError) as error:
        appsync.create_graphql_api(name=unique, authenticationType="API_KEY")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    appsync.list_graphql_apis()  # reads are answered: only writes lose answers
    control("config", {"faults": []})
    names = [api["name"] for api in appsync.list_graphql_apis()["graphqlApis"]]
    assert names.count(unique) == 1, "the write was not applied before its answer was lost"
    assert control("faults")["by_service"]["appsync"]["lost-5xx"] >= 1


def test_lost_answer_retried_by_the_sdk_makes_a_duplicate(client_factory, control, unique):
    """What a blind SDK retry (retries=1: two attempts) of a create does when its answers are lost."""
    control("config", {"seed": 3, "faults": [{"kind": "lost-5xx", "rate": 1.0, "services": ["appsync"],
                                             "operations": ["CreateGraphqlApi"]}]})
    appsync = client_factory("appsync", "ca-central-1", retries=1)
    with pytest.raises(ClientError):
        appsync.create_graphql_api(name=unique, authenticationType="API_KEY")
    names = [api["name"] for api in appsync.list_graphql_apis()["graphqlApis"]]
    assert names.count(unique) == 2


def test_lost_answer_by_dropped_connection(client_factory, control, unique):
    control("config", {"faults": [{"kind": "lost-drop", "rate": 1.0, "services": ["dynamodb"]}]})
    dynamodb = client_factory("dynamodb", "sa-east-1", retries=0)
    with pytest.raises(ConnectionClosedError):
        dynamodb.create_table(TableName=unique, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    control("config", {"faults": []})
    assert dynamodb.describe_table(TableName=unique)["Table"]["TableName"] == unique
    assert control("faults")["by_service"]["dynamodb"]["lost-drop"] >= 1


def test_failed_writes_keep_their_own_answer(client_factory, control, unique):
    control("config", {"faults": [{"kind": "lost-5xx", "rate": 1.0}]})
    with pytest.raises(ClientError) as error:
        client_factory("dynamodb", retries=0).delete_table(TableName=unique)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_rule_with_a_limit_injects_at_most_that_many_faults(client_factory, control):
    control("config", {"faults": [{"kind": "throttle", "rate": 1.0, "services": ["dynamodb"], "limit": 2}]})
    dynamodb = client_factory("dynamodb", retries=0)
    codes = []
    for _attempt in range(4):
        try:
            dynamodb.list_tables()
            codes.append("ok")
        except ClientError as error:
            codes.append(error.response["Error"]["Code"])
    assert codes == ["ThrottlingException", "ThrottlingException", "ok", "ok"]


@pytest.mark.parametrize("rules", [
    [{"kind": "5xx", "rate": 0.1, "limit": -1}],
    {"kind": "throttle"},
    [{"kind": "melt", "rate": 0.1}],
    [{"kind": "5xx", "rate": 1.5}],
    [{"kind": "5xx", "rate": 0.1, "services": "dynamodb"}],
    [{"kind": "5xx", "rate": 0.1, "when": "always"}],
])
def test_malformed_fault_rules_are_refused(endpoint, rules):
    with pytest.raises(urllib.error.HTTPError) as error:
        _post_config(endpoint, {"faults": rules})
    assert error.value.code == 400
