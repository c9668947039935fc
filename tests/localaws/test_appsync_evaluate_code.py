"""EvaluateCode on the local AWS: AWS's request and response shapes, the local APPSYNC_JS runtime."""

import json
import re

import pytest

RUNTIME = {"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"}


@pytest.fixture
def evaluate(client_factory):
    appsync = client_factory("appsync")

    def call(code, context, function="request"):
        return appsync.evaluate_code(runtime=RUNTIME, code=code, context=json.dumps(context), function=function)

    return call


def test_result_stash_logs_and_appended_errors(evaluate):
    code = ("import { util } from '@aws-appsync/utils';\n"
            "export function request(ctx) {\n"
            "  ctx.stash.started = true;\n"
            "  console.log('args', ctx.args);\n"
            "  util.appendError('soft', 'Soft', { a: 1 });\n"
            "  return { payload: ctx.arguments.x * 2, source: ctx.source, prev: ctx.prev.result };\n"
            "}\n")
    answer = evaluate(code, {"arguments": {"x": 21}, "source": {"id": "s"}, "prev": {"result": "p"}, "stash": {"k": 1}})
    assert json.loads(answer["evaluationResult"]) == {"payload": 42, "source": {"id": "s"}, "prev": "p"}
    assert json.loads(answer["stash"]) == {"k": 1, "started": True}
    assert len(answer["logs"]) == 1 and 'args {"x":21}' in answer["logs"][0]
    assert json.loads(answer["outErrors"]) == [{"errorType": "Soft", "message": "soft", "data": {"a": 1}, "errorInfo": None}]
    assert "error" not in answer


def test_response_function_sees_result_and_error(evaluate):
    code = ("import { util } from '@aws-appsync/utils';\n"
            "export function request(ctx) { return {}; }\n"
            "export function response(ctx) {\n"
            "  if (ctx.error) { util.error(ctx.error.message, ctx.error.type); }\n"
            "  return ctx.result;\n}\n")
    ok = evaluate(code, {"arguments": {}, "result": {"id": 1}}, "response")
    assert json.loads(ok["evaluationResult"]) == {"id": 1}
    failed = evaluate(code, {"arguments": {}, "error": {"message": "boom", "type": "DynamoDB:X"}}, "response")
    assert failed["error"]["message"] == "boom"
    assert "evaluationResult" not in failed


def test_early_return_gives_its_data(evaluate):
    code = ("import { runtime } from '@aws-appsync/utils';\n"
            "export function request(ctx) { runtime.earlyReturn({ early: ctx.args.v ?? 'none' }); }\n")
    assert json.loads(evaluate(code, {"arguments": {}})["evaluationResult"]) == {"early": "none"}


def test_util_surface(evaluate):
    code = ("import { util } from '@aws-appsync/utils';\n"
            "export function request(ctx) {\n"
            "  return {\n"
            "    id: util.autoId(),\n"
            "    iso: util.time.nowISO8601(),\n"
            "    seconds: util.time.nowEpochSeconds(),\n"
            "    millis: util.time.nowEpochMilliSeconds(),\n"
            "    day: util.time.nowFormatted('yyyy-MM-dd'),\n"
            "    fixed: util.time.epochMilliSecondsToFormatted(0, \"yyyy-MM-dd'T'HH:mm:ssZ\", '+01:00'),\n"
            "    map: util.dynamodb.toMapValues({ s: 'x', n: 1.5, b: true, z: null, l: [1], m: { k: 'v' } }),\n"
            "    json: util.dynamodb.toMapValuesJson({ s: 'x' }),\n"
            "    one: util.dynamodb.toDynamoDB(7),\n"
            "    b64: util.base64Encode('hé'),\n"
            "    nulls: [util.isNull(null), util.isNullOrEmpty(''), util.defaultIfNull(null, 'd')],\n"
            "  };\n}\n")
    result = json.loads(evaluate(code, {"arguments": {}})["evaluationResult"])
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", result["id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", result["iso"])
    assert abs(result["millis"] / 1000 - result["seconds"]) < 2
    assert result["iso"].startswith(result["day"])
    assert result["fixed"] == "1970-01-01T01:00:00+0100"
    assert result["map"] == {"s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"BOOL": True}, "z": {"NULL": True},
                             "l": {"L": [{"N": "1"}]}, "m": {"M": {"k": {"S": "v"}}}}
    assert json.loads(result["json"]) == {"s": {"S": "x"}}
    assert result["one"] == {"N": "7"}
    assert result["b64"] == "aMOp"
    assert result["nulls"] == [True, True, "d"]


def test_dynamodb_module_helpers(evaluate):
    code = ("import { put, update, remove, get, query, operations } from '@aws-appsync/utils/dynamodb';\n"
            "export function request(ctx) {\n"
            "  return [\n"
            "    get({ key: { id: 'a' }, projection: ['name'] }),\n"
            "    put({ key: { id: 'a' }, item: { id: 'a', name: 'n' }, condition: { id: { attributeExists: false } } }),\n"
            "    update({ key: { id: 'a' }, update: { name: 'm', count: operations.increment(2), old: operations.remove() } }),\n"
            "    remove({ key: { id: 'a' } }),\n"
            "    query({ query: { owner: { eq: 'o' } }, limit: 5, index: 'byOwner' }),\n"
            "  ];\n}\n")
    got, put, update, remove, query = json.loads(evaluate(code, {"arguments": {}})["evaluationResult"])
    assert got["operation"] == "GetItem" and got["key"] == {"id": {"S": "a"}}
    assert list(got["projection"]["expressionNames"].values()) == ["name"]
    assert put["operation"] == "PutItem" and put["attributeValues"] == {"name": {"S": "n"}}
    assert "attribute_not_exists" in put["condition"]["expression"]
    assert update["operation"] == "UpdateItem"
    assert update["update"]["expression"].startswith("SET ") and " REMOVE " in update["update"]["expression"]
    assert remove == {"operation": "DeleteItem", "key": {"id": {"S": "a"}}}
    assert query["operation"] == "Query" and query["index"] == "byOwner" and query["limit"] == 5
    assert list(query["query"]["expressionValues"].values()) == [{"S": "o"}]


def test_refused_code_comes_back_as_code_errors(evaluate):
    answer = evaluate("export function request(ctx) {\n  while (true) {}\n}\n", {"arguments": {}})
    assert answer["error"]["message"] == "The code contains one or more errors."
    (error,) = answer["error"]["codeErrors"]
    assert error == {"errorType": "LINT_ERROR", "value": "While loops are not supported.",
                     "location": {"line": 2, "column": 2, "span": 5}}
    assert "evaluationResult" not in answer


def test_runtime_errors_are_the_error(evaluate):
    answer = evaluate("export function request(ctx) { return ctx.args.missing.deeper; }", {"arguments": {}})
    assert "Cannot read properties of undefined" in answer["error"]["message"]
