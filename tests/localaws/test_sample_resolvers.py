"""The collection's own resolvers (roles/graphql_api/files) on the APPSYNC_JS runtime.

The EvaluateCode tests use boto3 only, so they run unchanged against AWS (point
the client at AWS instead of the local endpoint). The round trip deploys the
sample API with boto3 and POSTs GraphQL to its GRAPHQL uri, as a client does.
"""

import json
import os
import re
import urllib.request
from urllib.parse import urlparse

import pytest

FILES = os.path.join(os.path.dirname(__file__), "..", "..", "roles", "graphql_api", "files")
RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}
RESOLVERS = (("Query", "getItem"), ("Query", "listItems"), ("Mutation", "putItem"), ("Mutation", "deleteItem"))
ISO8601 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def code_of(type_name, field):
    with open(os.path.join(FILES, "resolvers", "%s.%s.js" % (type_name, field)), encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture
def evaluate(client_factory):
    appsync = client_factory("appsync")

    def call(type_name, field, context, function="request"):
        answer = appsync.evaluate_code(runtime=RUNTIME, code=code_of(type_name, field),
                                       context=json.dumps(context), function=function)
        assert "codeErrors" not in answer.get("error", {}), answer["error"]
        return answer

    return call


def result(answer):
    assert "error" not in answer, answer["error"]
    return json.loads(answer["evaluationResult"])


def test_get_item_request_reads_by_id(evaluate):
    assert result(evaluate("Query", "getItem", {"arguments": {"id": "a1"}})) == {
        "operation": "GetItem", "key": {"id": {"S": "a1"}}}


def test_delete_item_request_deletes_by_id(evaluate):
    assert result(evaluate("Mutation", "deleteItem", {"arguments": {"id": "a1"}})) == {
        "operation": "DeleteItem", "key": {"id": {"S": "a1"}}}


def test_put_item_request_keeps_created_at_and_generates_ids(evaluate):
    given = result(evaluate("Mutation", "putItem", {"arguments": {"input": {"id": "a1", "name": "n", "description": "d"}}}))
    assert given["operation"] == "UpdateItem" and given["key"] == {"id": {"S": "a1"}}
    update = given["update"]
    assert "#createdAt = if_not_exists(#createdAt, :now)" in update["expression"]
    assert update["expressionValues"][":name"] == {"S": "n"}
    assert update["expressionValues"][":description"] == {"S": "d"}
    assert re.fullmatch(ISO8601, update["expressionValues"][":now"]["S"])
    generated = result(evaluate("Mutation", "putItem", {"arguments": {"input": {"name": "n"}}}))
    assert re.fullmatch(r"[0-9a-f-]{36}", generated["key"]["id"]["S"])
    assert generated["update"]["expressionValues"][":description"] == {"NULL": True}


@pytest.mark.parametrize("arguments, expected", [
    ({}, {"operation": "Scan", "limit": 20}),
    ({"limit": 5}, {"operation": "Scan", "limit": 5}),
    ({"limit": 500, "nextToken": "tok"}, {"operation": "Scan", "limit": 100, "nextToken": "tok"}),
])
def test_list_items_request_bounds_the_page(evaluate, arguments, expected):
    assert result(evaluate("Query", "listItems", {"arguments": arguments})) == expected


def test_list_items_response_always_has_items(evaluate):
    page = {"items": [{"id": "a"}], "nextToken": "n", "scannedCount": 1}
    assert result(evaluate("Query", "listItems", {"arguments": {}, "result": page}, "response")) == {
        "items": [{"id": "a"}], "nextToken": "n"}
    assert result(evaluate("Query", "listItems", {"arguments": {}, "result": {}}, "response")) == {
        "items": [], "nextToken": None}


@pytest.mark.parametrize("type_name, field", RESOLVERS)
def test_responses_pass_results_and_raise_data_source_errors(evaluate, type_name, field):
    failed = evaluate(type_name, field, {"arguments": {}, "error": {"message": "throttled", "type": "DynamoDB:X"}},
                      "response")
    assert failed["error"]["message"] == "throttled"
    if field != "listItems":
        item = {"id": "a", "name": "n"}
        assert result(evaluate(type_name, field, {"arguments": {}, "result": item}, "response")) == item


@pytest.fixture
def sample_api(client_factory, unique):
    """The sample API as the graphql_api role deploys it, with boto3."""
    appsync, dynamodb = client_factory("appsync"), client_factory("dynamodb")
    dynamodb.create_table(TableName=unique, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    api = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]
    with open(os.path.join(FILES, "schema.graphql"), "rb") as handle:
        appsync.start_schema_creation(apiId=api["apiId"], definition=handle.read())
    api["key"] = appsync.create_api_key(apiId=api["apiId"])["apiKey"]["id"]
    appsync.create_data_source(apiId=api["apiId"], name="items", type="AMAZON_DYNAMODB",
                               dynamodbConfig={"tableName": unique, "awsRegion": "us-east-1"})
    for type_name, field in RESOLVERS:
        appsync.create_resolver(apiId=api["apiId"], typeName=type_name, fieldName=field, dataSourceName="items",
                                runtime=RUNTIME, code=code_of(type_name, field))
    yield api
    appsync.delete_graphql_api(apiId=api["apiId"])
    dynamodb.delete_table(TableName=unique)


def post(endpoint, api, query, variables=None):
    request = urllib.request.Request(
        endpoint + "/graphql", method="POST", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Host": urlparse(api["uris"]["GRAPHQL"]).netloc, "Content-Type": "application/json",
                 "x-api-key": api["key"]})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_round_trip_through_the_graphql_uri(endpoint, sample_api):
    fields = "id name description createdAt updatedAt"
    created = post(endpoint, sample_api, "mutation($in: PutItemInput!) { putItem(input: $in) { %s } }" % fields,
                   {"in": {"name": "first", "description": "one"}})["data"]["putItem"]
    assert created["name"] == "first" and created["createdAt"] == created["updatedAt"]
    updated = post(endpoint, sample_api, "mutation($in: PutItemInput!) { putItem(input: $in) { %s } }" % fields,
                   {"in": {"id": created["id"], "name": "renamed"}})["data"]["putItem"]
    assert updated["id"] == created["id"] and updated["name"] == "renamed" and updated["description"] is None
    assert updated["createdAt"] == created["createdAt"]
    got = post(endpoint, sample_api, "query($id: ID!) { getItem(id: $id) { id name } }", {"id": created["id"]})
    assert got == {"data": {"getItem": {"id": created["id"], "name": "renamed"}}}
    for name in ("second", "third"):
        post(endpoint, sample_api, 'mutation { putItem(input: {name: "%s"}) { id } }' % name)
    names, token = [], None
    while True:
        page = post(endpoint, sample_api, "query($t: String) { listItems(limit: 2, nextToken: $t) { items { name } nextToken } }",
                    {"t": token})["data"]["listItems"]
        names += [item["name"] for item in page["items"]]
        token = page["nextToken"]
        if not token:
            break
    assert sorted(names) == ["renamed", "second", "third"]
    deleted = post(endpoint, sample_api, "mutation($id: ID!) { deleteItem(id: $id) { id } }", {"id": created["id"]})
    assert deleted == {"data": {"deleteItem": {"id": created["id"]}}}
    assert post(endpoint, sample_api, "mutation($id: ID!) { deleteItem(id: $id) { id } }", {"id": created["id"]}) == {
        "data": {"deleteItem": None}}
    assert post(endpoint, sample_api, "query($id: ID!) { getItem(id: $id) { id } }", {"id": created["id"]}) == {
        "data": {"getItem": None}}
