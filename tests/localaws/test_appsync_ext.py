"""AppSync data sources, functions, resolvers and types, called like a client would."""

import json

import pytest
from botocore.exceptions import ClientError

SCHEMA = """
"An item."
type Item @aws_api_key {
  id: ID!
  name: String
  createdAt: AWSDateTime
  day: AWSDate
}
type Query {
  getItem(id: ID!): Item
  listItems: [Item]
}
type Mutation {
  putItem(id: ID!, name: String): Item
}
schema { query: Query mutation: Mutation }
"""
JS = "export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n"
RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def appsync(client_factory):
    return client_factory("appsync")


@pytest.fixture
def api(appsync, unique):
    created = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]
    appsync.start_schema_creation(apiId=created["apiId"], definition=SCHEMA.encode())
    yield created
    appsync.delete_graphql_api(apiId=created["apiId"])


@pytest.fixture
def table_source(appsync, api):
    return appsync.create_data_source(
        apiId=api["apiId"], name="items", type="AMAZON_DYNAMODB", serviceRoleArn="arn:aws:iam::123456789012:role/r",
        dynamodbConfig={"tableName": "items", "awsRegion": "eu-west-1"})["dataSource"]


def test_data_source_lifecycle(appsync, api, table_source):
    api_id = api["apiId"]
    assert table_source["dataSourceArn"] == api["arn"] + "/datasources/items"
    assert table_source["dynamodbConfig"] == {"tableName": "items", "awsRegion": "eu-west-1",
                                              "useCallerCredentials": False, "versioned": False}
    assert appsync.get_data_source(apiId=api_id, name="items")["dataSource"] == table_source

    updated = appsync.update_data_source(apiId=api_id, name="items", type="AMAZON_DYNAMODB", description="d",
                                         dynamodbConfig={"tableName": "other", "awsRegion": "us-east-1", "versioned": True})
    assert updated["dataSource"]["dynamodbConfig"]["tableName"] == "other"
    assert updated["dataSource"]["dynamodbConfig"]["versioned"] is True
    assert "serviceRoleArn" not in updated["dataSource"]
    assert updated["dataSource"]["dataSourceArn"] == table_source["dataSourceArn"]

    appsync.create_data_source(apiId=api_id, name="none", type="NONE")
    listed = appsync.list_data_sources(apiId=api_id)["dataSources"]
    assert sorted(s["name"] for s in listed) == ["items", "none"]
    pages = list(appsync.get_paginator("list_data_sources").paginate(apiId=api_id, PaginationConfig={"PageSize": 1}))
    assert [len(p["dataSources"]) for p in pages] == [1, 1]

    appsync.delete_data_source(apiId=api_id, name="items")
    with pytest.raises(ClientError) as excinfo:
        appsync.get_data_source(apiId=api_id, name="items")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_data_source_errors(appsync, api, table_source):
    with pytest.raises(ClientError) as excinfo:
        appsync.create_data_source(apiId=api["apiId"], name="items", type="NONE")
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        appsync.create_data_source(apiId=api["apiId"], name="bad-name", type="NONE")
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        appsync.list_data_sources(apiId="nosuchapi")
    assert error_code(excinfo) == ("NotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        appsync.delete_data_source(apiId=api["apiId"], name="missing")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_unit_resolver_lifecycle(appsync, api, table_source):
    api_id = api["apiId"]
    created = appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="getItem",
                                      dataSourceName="items", runtime=RUNTIME, code=JS)["resolver"]
    assert created["resolverArn"] == api["arn"] + "/types/Query/resolvers/getItem"
    assert created["kind"] == "UNIT" and created["code"] == JS and created["runtime"] == RUNTIME
    assert appsync.get_resolver(apiId=api_id, typeName="Query", fieldName="getItem")["resolver"] == created

    updated = appsync.update_resolver(apiId=api_id, typeName="Query", fieldName="getItem", dataSourceName="items",
                                      requestMappingTemplate="{}", responseMappingTemplate="$util.toJson($ctx.result)")
    assert "code" not in updated["resolver"] and updated["resolver"]["requestMappingTemplate"] == "{}"

    appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="listItems", dataSourceName="items",
                            runtime=RUNTIME, code=JS)
    appsync.create_resolver(apiId=api_id, typeName="Mutation", fieldName="putItem", dataSourceName="items",
                            runtime=RUNTIME, code=JS)
    listed = appsync.list_resolvers(apiId=api_id, typeName="Query")["resolvers"]
    assert sorted(r["fieldName"] for r in listed) == ["getItem", "listItems"]

    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="getItem", dataSourceName="items",
                                runtime=RUNTIME, code=JS)
    assert error_code(excinfo) == ("BadRequestException", 400)

    appsync.delete_resolver(apiId=api_id, typeName="Query", fieldName="getItem")
    with pytest.raises(ClientError) as excinfo:
        appsync.get_resolver(apiId=api_id, typeName="Query", fieldName="getItem")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_resolver_needs_schema_field_data_source_and_code(appsync, api, table_source):
    api_id = api["apiId"]
    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Nope", fieldName="getItem", dataSourceName="items",
                                runtime=RUNTIME, code=JS)
    assert error_code(excinfo) == ("NotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="nope", dataSourceName="items",
                                runtime=RUNTIME, code=JS)
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="getItem", dataSourceName="missing",
                                runtime=RUNTIME, code=JS)
    assert error_code(excinfo) == ("NotFoundException", 404)
    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="getItem", dataSourceName="items",
                                runtime=RUNTIME)
    assert error_code(excinfo) == ("BadRequestException", 400)


def test_functions_and_pipeline_resolver(appsync, api, table_source):
    api_id = api["apiId"]
    function = appsync.create_function(apiId=api_id, name="fetch", dataSourceName="items",
                                       runtime=RUNTIME, code=JS)["functionConfiguration"]
    assert function["functionArn"] == "%s/functions/%s" % (api["arn"], function["functionId"])
    fid = function["functionId"]
    assert appsync.get_function(apiId=api_id, functionId=fid)["functionConfiguration"] == function
    assert [f["name"] for f in appsync.list_functions(apiId=api_id)["functions"]] == ["fetch"]
    updated = appsync.update_function(apiId=api_id, functionId=fid, name="fetch2", dataSourceName="items",
                                      runtime=RUNTIME, code=JS)["functionConfiguration"]
    assert updated["name"] == "fetch2" and updated["functionId"] == fid

    resolver = appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="getItem", kind="PIPELINE",
                                       pipelineConfig={"functions": [fid]}, runtime=RUNTIME, code=JS)["resolver"]
    assert resolver["pipelineConfig"] == {"functions": [fid]} and "dataSourceName" not in resolver
    by_function = appsync.list_resolvers_by_function(apiId=api_id, functionId=fid)["resolvers"]
    assert [r["fieldName"] for r in by_function] == ["getItem"]
    with pytest.raises(ClientError) as excinfo:
        appsync.delete_function(apiId=api_id, functionId=fid)
    assert error_code(excinfo) == ("BadRequestException", 400)
    with pytest.raises(ClientError) as excinfo:
        appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="listItems", kind="PIPELINE",
                                pipelineConfig={"functions": ["nosuchfunction"]}, runtime=RUNTIME, code=JS)
    assert error_code(excinfo) == ("NotFoundException", 404)

    appsync.delete_resolver(apiId=api_id, typeName="Query", fieldName="getItem")
    appsync.delete_function(apiId=api_id, functionId=fid)
    with pytest.raises(ClientError) as excinfo:
        appsync.get_function(apiId=api_id, functionId=fid)
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_types_and_introspection(appsync, api):
    api_id = api["apiId"]
    query = appsync.get_type(apiId=api_id, typeName="Query", format="SDL")["type"]
    assert query["arn"] == api["arn"] + "/types/Query"
    assert "getItem(id: ID!): Item" in query["definition"]
    item = json.loads(appsync.get_type(apiId=api_id, typeName="Item", format="JSON")["type"]["definition"])
    assert [f["name"] for f in item["fields"]] == ["id", "name", "createdAt", "day"]
    names = [t["name"] for t in appsync.list_types(apiId=api_id, format="SDL")["types"]]
    assert names == ["Item", "Query", "Mutation"]
    with pytest.raises(ClientError) as excinfo:
        appsync.get_type(apiId=api_id, typeName="Nope", format="SDL")
    assert error_code(excinfo) == ("NotFoundException", 404)
    sdl = appsync.get_introspection_schema(apiId=api_id, format="SDL")["schema"].read().decode()
    assert "putItem(id: ID!, name: String): Item" in sdl
    assert '"An item."\ntype Item @aws_api_key {' in sdl
    assert "BigInt" not in sdl
    bare = appsync.get_introspection_schema(apiId=api_id, format="SDL", includeDirectives=False)["schema"].read().decode()
    assert "type Item {" in bare and "@aws_api_key" not in bare
    introspection = json.loads(appsync.get_introspection_schema(apiId=api_id, format="JSON")["schema"].read())
    assert "Query" in [t["name"] for t in introspection["__schema"]["types"]]


def test_resources_go_with_their_api(appsync, unique):
    api_id = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]["apiId"]
    appsync.create_data_source(apiId=api_id, name="none", type="NONE")
    appsync.delete_graphql_api(apiId=api_id)
    with pytest.raises(ClientError) as excinfo:
        appsync.get_data_source(apiId=api_id, name="none")
    assert error_code(excinfo) == ("NotFoundException", 404)


def test_api_uris_are_shaped_like_appsync(client_factory, unique):
    appsync = client_factory("appsync", "eu-west-1")
    created = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]
    uris = appsync.get_graphql_api(apiId=created["apiId"])["graphqlApi"]["uris"]
    assert uris == created["uris"]
    assert uris["GRAPHQL"].startswith("https://") and uris["GRAPHQL"].endswith(".appsync-api.eu-west-1.amazonaws.com/graphql")
    assert uris["REALTIME"].startswith("wss://") and ".appsync-realtime-api.eu-west-1." in uris["REALTIME"]
    listed = [a for a in appsync.list_graphql_apis()["graphqlApis"] if a["apiId"] == created["apiId"]]
    assert listed[0]["uris"] == uris
