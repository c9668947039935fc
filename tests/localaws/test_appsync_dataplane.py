"""The AppSync data plane: GraphQL POSTed to an API's GRAPHQL uri, as a client sends it."""

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from botocore.exceptions import ClientError

from localaws import dataplane
from localaws.dataplane import appsync as dataplane_appsync

RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}
SCHEMA = """
type Note @aws_api_key {
  id: ID!
  text: String
  tags: [String]
  shout: String
}
type NotePage @aws_api_key { items: [Note] nextToken: String }
type Query {
  echo(text: String!): String
  note(id: ID!): Note
  notes(limit: Int, nextToken: String, tag: String): NotePage
  byOwner(owner: String!): NotePage
  failing: String
  partial: String
  required: String!
  vtl: String
  pipeline(text: String!): String
  iamOnly: String @aws_iam
  keyOrIam: String @aws_api_key @aws_iam
  headers: String
  secret: String
  json(value: AWSJSON): AWSJSON
}
type Mutation {
  addNote(id: ID!, text: String, owner: String, tags: [String]): Note
  addNoteOnce(id: ID!, text: String): Note
  removeNote(id: ID!): Note
}
schema { query: Query mutation: Mutation }
"""
PASS = "export function request(ctx) { return {payload: ctx.args}; }\n" \
       "export function response(ctx) { return ctx.result; }\n"
IMPORT = "import { util, runtime } from '@aws-appsync/utils';\n"
DDB_IMPORT = "import * as ddb from '@aws-appsync/utils/dynamodb';\n"
RESOLVE_RESULT = "export function response(ctx) {\n  if (ctx.error) { util.error(ctx.error.message, ctx.error.type); }\n" \
                 "  return ctx.result;\n}\n"


def _call(endpoint, host, body, headers):
    request = urllib.request.Request(endpoint + "/graphql", data=body, method="POST",
                                     headers=dict({"Host": host, "Content-Type": "application/json"}, **headers))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def graphql(endpoint):
    """POST a GraphQL request to an API's GRAPHQL uri through the local AWS (Host header)."""

    def call(api, query, variables=None, key=None, headers=None):
        headers = dict(headers or {})
        if key is not None:
            headers["x-api-key"] = key
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return _call(endpoint, urlparse(api["uris"]["GRAPHQL"]).netloc, body, headers)

    return call


@pytest.fixture
def appsync(client_factory):
    return client_factory("appsync")


@pytest.fixture
def dynamodb(client_factory):
    return client_factory("dynamodb")


@pytest.fixture
def table(dynamodb, unique):
    dynamodb.create_table(
        TableName=unique, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "owner", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "byOwner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}])
    yield unique
    dynamodb.delete_table(TableName=unique)


def resolver(appsync, api, type_name, field, code, source="none", **extra):
    if source is not None:
        extra["dataSourceName"] = source
    return appsync.create_resolver(apiId=api["apiId"], typeName=type_name, fieldName=field,
                                   runtime=RUNTIME, code=code, **extra)["resolver"]


@pytest.fixture
def api(appsync, unique, table):
    created = appsync.create_graphql_api(name=unique, authenticationType="API_KEY",
                                         additionalAuthenticationProviders=[{"authenticationType": "AWS_IAM"}])
    created = created["graphqlApi"]
    api_id = created["apiId"]
    appsync.start_schema_creation(apiId=api_id, definition=SCHEMA.encode())
    created["key"] = appsync.create_api_key(apiId=api_id)["apiKey"]["id"]
    appsync.create_data_source(apiId=api_id, name="none", type="NONE")
    appsync.create_data_source(apiId=api_id, name="notes", type="AMAZON_DYNAMODB",
                               dynamodbConfig={"tableName": table, "awsRegion": "us-east-1"})
    resolver(appsync, created, "Query", "echo", IMPORT + "export function request(ctx) {\n"
             "  return { payload: `${ctx.args.text}:${ctx.info.fieldName}:${ctx.info.parentTypeName}` };\n}\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Query", "note", IMPORT + "export function request(ctx) {\n"
             "  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }) };\n}\n"
             + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Query", "notes", IMPORT + DDB_IMPORT + "export function request(ctx) {\n"
             "  const filter = ctx.args.tag ? { tags: { contains: ctx.args.tag } } : undefined;\n"
             "  return ddb.scan({ limit: ctx.args.limit, nextToken: ctx.args.nextToken, filter });\n}\n"
             + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Query", "byOwner", IMPORT + DDB_IMPORT + "export function request(ctx) {\n"
             "  return ddb.query({ index: 'byOwner', query: { owner: { eq: ctx.args.owner } }, projection: ['id'] });\n}\n"
             + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Mutation", "addNote", IMPORT + DDB_IMPORT + "export function request(ctx) {\n"
             "  const { id, ...rest } = ctx.args;\n  return ddb.put({ key: { id }, item: rest });\n}\n"
             + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Mutation", "addNoteOnce", IMPORT + "export function request(ctx) {\n"
             "  return { operation: 'PutItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }),\n"
             "    attributeValues: util.dynamodb.toMapValues({ text: ctx.args.text }),\n"
             "    condition: { expression: 'attribute_not_exists(id)' } };\n}\n" + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Mutation", "removeNote", IMPORT + DDB_IMPORT + "export function request(ctx) {\n"
             "  return ddb.remove({ key: { id: ctx.args.id } });\n}\n" + RESOLVE_RESULT, "notes")
    resolver(appsync, created, "Query", "failing", IMPORT + "export function request(ctx) {\n"
             "  util.error('it failed', 'MyError', { why: 'test' }, { hint: 1 });\n}\n"
             "export function response(ctx) { return 'never'; }\n")
    resolver(appsync, created, "Query", "partial", IMPORT + "export function request(ctx) { return {payload: 'kept'}; }\n"
             "export function response(ctx) {\n  util.appendError('also this', 'Warn');\n  return ctx.result;\n}\n")
    resolver(appsync, created, "Query", "required", IMPORT + "export function request(ctx) { return {}; }\n"
             "export function response(ctx) { util.error('no value'); }\n")
    resolver(appsync, created, "Query", "iamOnly", "export function request(ctx) { return {payload: 'iam'}; }\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Query", "keyOrIam", "export function request(ctx) { return {payload: 'ok'}; }\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Query", "headers", "export function request(ctx) {\n"
             "  return { payload: ctx.request.headers['x-custom'] + ':' + (ctx.identity === null) };\n}\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Note", "shout", IMPORT + "export function request(ctx) {\n"
             "  return { payload: util.str.toUpper(ctx.source.text ?? '') + '!' };\n}\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Query", "json", "export function request(ctx) {\n"
             "  return { payload: { got: ctx.args.value, type: typeof ctx.args.value } };\n}\n"
             "export function response(ctx) { return ctx.result; }\n")
    resolver(appsync, created, "Query", "secret", IMPORT + "export function request(ctx) { util.unauthorized(); }\n"
             "export function response(ctx) { return 'leaked'; }\n")
    appsync.create_resolver(apiId=api_id, typeName="Query", fieldName="vtl", dataSourceName="none",
                            requestMappingTemplate='{"version": "2018-05-29", "payload": "x"}',
                            responseMappingTemplate="$util.toJson($ctx.result)")
    yield created
    appsync.delete_graphql_api(apiId=api_id)


def test_queries_and_mutations_run_the_live_resolvers_against_dynamodb(graphql, api, dynamodb, table):
    key = api["key"]
    assert graphql(api, '{ echo(text: "hi") }', key=key) == (200, {"data": {"echo": "hi:echo:Query"}})
    status, body = graphql(api, 'mutation($tags: [String]) { a: addNote(id: "a", text: "one", owner: "ann", tags: $tags)'
                                ' { id text tags } b: addNote(id: "b", text: "two", owner: "ann") { id } }',
                           {"tags": ["red", "blue"]}, key=key)
    assert (status, body) == (200, {"data": {"a": {"id": "a", "text": "one", "tags": ["red", "blue"]}, "b": {"id": "b"}}})
    stored = dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"]
    assert stored == {"id": {"S": "a"}, "text": {"S": "one"}, "owner": {"S": "ann"},
                      "tags": {"L": [{"S": "red"}, {"S": "blue"}]}}
    assert graphql(api, '{ note(id: "a") { id text } missing: note(id: "zz") { id } }', key=key) == (
        200, {"data": {"note": {"id": "a", "text": "one"}, "missing": None}})
    assert graphql(api, '{ byOwner(owner: "ann") { items { id text } } }', key=key)[1] == {
        "data": {"byOwner": {"items": [{"id": "a", "text": None}, {"id": "b", "text": None}]}}}
    assert graphql(api, '{ notes(tag: "red") { items { id } } }', key=key)[1] == {
        "data": {"notes": {"items": [{"id": "a"}]}}}
    assert graphql(api, 'mutation { removeNote(id: "b") { id text } }', key=key)[1] == {
        "data": {"removeNote": {"id": "b", "text": "two"}}}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "b"}})
    assert graphql(api, 'mutation { removeNote(id: "b") { id } }', key=key)[1] == {"data": {"removeNote": None}}


def test_field_resolvers_of_a_type_get_their_parent_as_source(graphql, api):
    graphql(api, 'mutation { addNote(id: "s1", text: "quiet") { id } }', key=api["key"])
    assert graphql(api, '{ note(id: "s1") { shout } }', key=api["key"])[1] == {"data": {"note": {"shout": "QUIET!"}}}


def test_aws_json_is_json_text_on_the_wire_and_a_value_in_resolvers(graphql, api):
    expected = {"data": {"json": '{"got":{"a":[1,2]},"type":"object"}'}}
    assert graphql(api, "query($v: AWSJSON) { json(value: $v) }", {"v": '{"a": [1, 2]}'}, key=api["key"])[1] == expected
    assert graphql(api, '{ json(value: "{\\"a\\": [1, 2]}") }', key=api["key"])[1] == expected


def test_util_unauthorized_refuses_the_field(graphql, api):
    status, body = graphql(api, "{ secret }", key=api["key"])
    assert status == 200 and body["data"] == {"secret": None}
    assert [(e["errorType"], e["message"]) for e in body["errors"]] == [
        ("Unauthorized", "Not Authorized to access secret on type Query")]


def test_scan_pages_with_limit_and_next_token(graphql, api):
    for name in "cdefg":
        graphql(api, 'mutation($id: ID!) { addNote(id: $id) { id } }', {"id": name}, key=api["key"])
    seen, token = [], None
    for _page in range(10):
        page = graphql(api, 'query($t: String) { notes(limit: 2, nextToken: $t) { items { id } nextToken } }',
                       {"t": token}, key=api["key"])[1]["data"]["notes"]
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        token = page["nextToken"]
        if token is None:
            break
    assert sorted(seen) == list("cdefg")


def test_condition_failure_is_the_resolvers_error_with_partial_data(graphql, api):
    query = 'mutation { addNoteOnce(id: "once", text: "x") { id } }'
    assert graphql(api, query, key=api["key"])[1] == {"data": {"addNoteOnce": {"id": "once"}}}
    status, body = graphql(api, '{ echo(text: "still") }', key=api["key"])
    status, body = graphql(api, query, key=api["key"])
    assert status == 200
    assert body["data"] == {"addNoteOnce": None}
    (error,) = body["errors"]
    assert error["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert error["message"].startswith("The conditional request failed")
    assert error["path"] == ["addNoteOnce"]


def test_errors_have_appsyncs_shape(graphql, api):
    status, body = graphql(api, '{ echo(text: "ok")\n  failing\n  partial }', key=api["key"])
    assert status == 200
    assert body["data"] == {"echo": "ok:echo:Query", "failing": None, "partial": "kept"}
    errors = sorted(body["errors"], key=lambda e: e["message"])
    assert errors == [
        {"path": ["partial"], "data": None, "errorType": "Warn", "errorInfo": None,
         "locations": [{"line": 3, "column": 3, "sourceName": None}], "message": "also this"},
        {"path": ["failing"], "data": {"why": "test"}, "errorType": "MyError", "errorInfo": {"hint": 1},
         "locations": [{"line": 2, "column": 3, "sourceName": None}], "message": "it failed"},
    ]


def test_non_null_field_error_nulls_the_parent(graphql, api):
    status, body = graphql(api, "{ echo(text: \"x\") required }", key=api["key"])
    assert status == 200 and body["data"] is None
    assert [(e["path"], e["message"]) for e in body["errors"]] == [(["required"], "no value")]


def test_invalid_query_is_a_validation_error(graphql, api):
    status, body = graphql(api, "{ nope }", key=api["key"])
    assert status == 200 and body["data"] is None
    (error,) = body["errors"]
    assert "nope" in error["message"] and error["locations"] == [{"line": 1, "column": 3, "sourceName": None}]
    assert error["errorType"] == "ValidationError"


def test_syntax_errors_are_located(graphql, api):
    status, body = graphql(api, '{ note(id: }', key=api["key"])
    assert status == 200 and body["data"] is None
    assert [(e["errorType"], e["locations"]) for e in body["errors"]] == [
        ("InvalidSyntax", [{"line": 1, "column": 12, "sourceName": None}])]


def test_vtl_resolvers_are_refused_clearly(graphql, api):
    status, body = graphql(api, "{ vtl }", key=api["key"])
    assert status == 200 and body["data"] == {"vtl": None}
    assert body["errors"][0]["message"] == "VTL resolvers are not supported by the local AWS: use the APPSYNC_JS runtime."


def test_missing_unknown_and_expired_keys_get_401(graphql, api, endpoint):
    unauthorized = {"errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call."}]}
    assert graphql(api, "{ echo(text: \"x\") }") == (401, {"errors": [{
        "errorType": "UnauthorizedException", "message": "Valid authorization header not provided."}]})
    assert graphql(api, "{ echo(text: \"x\") }", key="da2-unknown") == (401, unauthorized)
    assert graphql(api, "{ echo(text: \"x\") }", key=api["key"])[0] == 200
    _configure_clock(endpoint, 8 * 86400)  # the default key lives 7 days
    try:
        assert graphql(api, "{ echo(text: \"x\") }", key=api["key"]) == (401, unauthorized)
    finally:
        _configure_clock(endpoint, 0)
    assert graphql(api, "{ echo(text: \"x\") }", key=api["key"])[0] == 200


def _configure_clock(endpoint, offset):
    """The local AWS's data-plane clock hook (a SigV4-style request to the AppSync endpoint)."""
    request = urllib.request.Request(
        endpoint + "/v1/localaws/dataplane", data=json.dumps({"clock_offset": offset}).encode(), method="POST",
        headers={"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/appsync/aws4_request, "
                                  "SignedHeaders=host, Signature=0", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["clock_offset"] == offset


def test_auth_directives_decide_who_reads_a_field(graphql, api):
    status, body = graphql(api, "{ keyOrIam iamOnly }", key=api["key"])
    assert status == 200
    assert body["data"] == {"keyOrIam": "ok", "iamOnly": None}
    (error,) = body["errors"]
    assert (error["errorType"], error["message"], error["path"]) == (
        "Unauthorized", "Not Authorized to access iamOnly on type Query", ["iamOnly"])
    signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/appsync/aws4_request, "
                               "SignedHeaders=host, Signature=0"}
    status, body = graphql(api, "{ iamOnly echo(text: \"x\") }", headers=signed)
    assert body["data"] == {"iamOnly": "iam", "echo": None}
    assert [e["path"] for e in body["errors"]] == [["echo"]]


def test_headers_reach_the_resolver_and_api_key_identity_is_null(graphql, api):
    assert graphql(api, "{ headers }", key=api["key"], headers={"x-custom": "abc"})[1] == {"data": {"headers": "abc:true"}}


def test_pipeline_runs_functions_with_stash_prev_and_early_return(appsync, graphql, api):
    api_id = api["apiId"]
    first_code = (IMPORT + "export function request(ctx) {\n  ctx.stash.seen = [ctx.prev.result];\n"
                  "  return { payload: ctx.args.text + '-1' };\n}\nexport function response(ctx) { return ctx.result; }\n")
    skipped_code = (IMPORT + "export function request(ctx) {\n  ctx.stash.seen.push(ctx.prev.result);\n"
                    "  runtime.earlyReturn(ctx.prev.result + '-early');\n}\n"
                    "export function response(ctx) { return 'not reached'; }\n")
    first = appsync.create_function(apiId=api_id, name="first", dataSourceName="none", runtime=RUNTIME,
                                    code=first_code)["functionConfiguration"]
    skipped = appsync.create_function(apiId=api_id, name="skipped", dataSourceName="none", runtime=RUNTIME,
                                      code=skipped_code)["functionConfiguration"]
    resolver(appsync, api, "Query", "pipeline", IMPORT + "export function request(ctx) { return 'before'; }\n"
             "export function response(ctx) {\n  return ctx.prev.result + '|' + ctx.stash.seen.join(',');\n}\n",
             source=None, kind="PIPELINE",
             pipelineConfig={"functions": [first["functionId"], skipped["functionId"]]})
    assert graphql(api, '{ pipeline(text: "t") }', key=api["key"])[1] == {
        "data": {"pipeline": "t-1-early|before,t-1"}}


@pytest.mark.parametrize("code, message", [
    ("export function request(ctx) {\n  try { return {}; } catch (e) { return {}; }\n}", "Try statements are not supported."),
    ("export function request(ctx) { throw new Error('x'); }", "Throw statements are not supported."),
    ("class A {}\nexport function request(ctx) { return {}; }", "Classes are not supported."),
    ("export function request(ctx) { while (ctx) { break; } }", "While loops are not supported."),
    ("export function request(ctx) { do { } while (false); }", "Do-while loops are not supported."),
    ("export function request(ctx) { for (let i = 0; i < 2; i = i + 1) {} }", "For loops are not supported: use for-of or for-in."),
    ("export async function request(ctx) { return {}; }", "Async functions are not supported."),
    ("function* g() {}\nexport function request(ctx) { return {}; }", "Generator functions are not supported."),
    ("export function request(ctx) { return ctx.args.a.match(/x+/); }", "Regex literals are not supported."),
    ("export function request(ctx) { let i = 0; i++; return {}; }", "Unary operator '++' is not supported."),
    ("export function request(ctx) { return 'a' in ctx.args; }", "The in operator is not supported: use Object.hasOwn."),
])
def test_refused_code_is_refused_at_create_and_update(appsync, api, code, message):
    api_id = api["apiId"]
    with pytest.raises(ClientError) as excinfo:
        resolver(appsync, api, "Query", "pipeline", code)
    error = excinfo.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("BadRequestException", 400)
    assert error["Error"]["Message"] == "The code contains one or more errors."
    assert error["reason"] == "CODE_ERROR"
    assert message in [e["value"] for e in error["detail"]["codeErrors"]]
    assert all(e["errorType"] == "LINT_ERROR" for e in error["detail"]["codeErrors"])
    with pytest.raises(ClientError):
        appsync.create_function(apiId=api_id, name="bad", dataSourceName="none", runtime=RUNTIME, code=code)
    with pytest.raises(ClientError):
        appsync.update_resolver(apiId=api_id, typeName="Query", fieldName="echo", dataSourceName="none",
                                runtime=RUNTIME, code=code)
    assert appsync.get_resolver(apiId=api_id, typeName="Query", fieldName="echo")["resolver"]["code"] != code


def test_syntax_errors_are_parser_errors_with_a_location(appsync, api):
    with pytest.raises(ClientError) as excinfo:
        resolver(appsync, api, "Query", "pipeline", "export function request(ctx) {\n  return { a: ; };\n}\n")
    (error,) = excinfo.value.response["detail"]["codeErrors"]
    assert error["errorType"] == "PARSER_ERROR"
    assert error["location"]["line"] == 2
    assert "SyntaxError" in error["value"]
    function = appsync.create_function(apiId=api["apiId"], name="ok", dataSourceName="none", runtime=RUNTIME,
                                       code=PASS)["functionConfiguration"]
    with pytest.raises(ClientError) as excinfo:
        appsync.update_function(apiId=api["apiId"], functionId=function["functionId"], name="ok",
                                dataSourceName="none", runtime=RUNTIME, code="export function request(ctx) { return 'x }")
    assert excinfo.value.response["detail"]["codeErrors"][0]["errorType"] == "PARSER_ERROR"


def test_a_write_in_one_region_is_read_through_the_replicas_api(client_factory, graphql, unique):
    east, west = client_factory("dynamodb", "us-east-1"), client_factory("dynamodb", "eu-west-1")
    east.create_table(TableName=unique, BillingMode="PAY_PER_REQUEST",
                      KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                      StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    east.update_table(TableName=unique, ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])
    apis = {}
    try:
        for region in ("us-east-1", "eu-west-1"):
            appsync = client_factory("appsync", region)
            created = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]
            appsync.start_schema_creation(apiId=created["apiId"], definition=SCHEMA.encode())
            created["key"] = appsync.create_api_key(apiId=created["apiId"])["apiKey"]["id"]
            appsync.create_data_source(apiId=created["apiId"], name="notes", type="AMAZON_DYNAMODB",
                                       dynamodbConfig={"tableName": unique, "awsRegion": region})
            resolver(appsync, created, "Mutation", "addNote", IMPORT + DDB_IMPORT + "export function request(ctx) {\n"
                     "  return ddb.put({ key: { id: ctx.args.id }, item: { text: ctx.args.text } });\n}\n"
                     + RESOLVE_RESULT, "notes")
            resolver(appsync, created, "Query", "note", DDB_IMPORT + "export function request(ctx) {\n"
                     "  return ddb.get({ key: { id: ctx.args.id } });\n}\n"
                     "export function response(ctx) { return ctx.result; }\n", "notes")
            apis[region] = (appsync, created)
        east_api, west_api = apis["us-east-1"][1], apis["eu-west-1"][1]
        written = graphql(east_api, 'mutation { addNote(id: "x1", text: "from east") { id } }', key=east_api["key"])
        assert written == (200, {"data": {"addNote": {"id": "x1"}}})
        deadline = time.time() + 10
        while True:
            read = graphql(west_api, '{ note(id: "x1") { text } }', key=west_api["key"])
            if read[1]["data"]["note"] or time.time() > deadline:
                break
            time.sleep(0.2)
        assert read == (200, {"data": {"note": {"text": "from east"}}})
    finally:
        for appsync, created in apis.values():
            appsync.delete_graphql_api(apiId=created["apiId"])
        _delete_global_table(east, west, unique)


def _delete_global_table(east, west, name):
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            west.delete_table(TableName=name)
            break
        except ClientError:
            time.sleep(0.3)
    while time.time() < deadline:
        try:
            east.delete_table(TableName=name)
            return
        except ClientError:
            time.sleep(0.3)


def test_unknown_host_paths_and_methods(endpoint, api):
    host = urlparse(api["uris"]["GRAPHQL"]).netloc
    assert _call(endpoint, "zzzzzzzzzzzzzzzzzzzzzzzzzz.appsync-api.us-east-1.amazonaws.com", b"{}", {})[0] == 404
    status, body = _call(endpoint, host + ".localhost:1234", b"not json", {"x-api-key": api["key"]})
    assert status == 400 and body["errors"][0]["errorType"] == "MalformedHttpRequestException"
    request = urllib.request.Request(endpoint + "/graphql", method="OPTIONS", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"


def test_data_plane_calls_are_not_aws_api_calls_in_the_request_log(control, graphql, api):
    before = control("requests")["count"]
    graphql(api, 'mutation { addNote(id: "logged") { id } }', key=api["key"])
    graphql(api, '{ note(id: "logged") { id } }', key=api["key"])
    assert control("requests")["count"] == before


def test_the_handler_claims_only_appsync_hosts():
    assert dataplane_appsync.handle(dataplane.Request("POST", "api.example.com", "/graphql")) is None
    assert dataplane_appsync.handle(dataplane.Request("POST", "abc.execute-api.us-east-1.amazonaws.com")) is None
