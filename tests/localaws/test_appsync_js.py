"""The APPSYNC_JS checker and module rewriting, in-process (no server)."""

import pytest

from localaws.dataplane import appsync_js


def errors_of(code):
    with pytest.raises(appsync_js.CodeErrors) as excinfo:
        appsync_js.check(code)
    return [(e["errorType"], e["value"], e["location"]["line"]) for e in excinfo.value.errors]


def test_keywords_as_property_names_are_accepted():
    appsync_js.check("export function request(ctx) {\n  const o = { class: ctx.args.do, try: 1, catch: ctx.x?.finally };\n"
                     "  for (const k in o) { if (Object.hasOwn(o, k)) { break; } }\n  return o.catch;\n}\n")


def test_error_lines_are_the_sources_lines_after_a_multi_line_import():
    code = "import {\n  util,\n  runtime as r,\n} from '@aws-appsync/utils';\n\nexport function request(ctx) {\n  return { a: ; };\n}\n"
    (error,) = errors_of(code)
    assert error[0] == "PARSER_ERROR" and error[2] == 7


def test_aliased_and_namespace_imports_work():
    code = ("import { util as u, runtime as r } from '@aws-appsync/utils';\n"
            "import * as d from '@aws-appsync/utils/dynamodb';\n"
            "export const request = (ctx) => d.get({ key: { id: u.autoId() } });\n"
            "export function response(ctx) { r.earlyReturn(1); }\n")
    answer = appsync_js.evaluate(code, "request", {"arguments": {}})
    assert answer["value"]["operation"] == "GetItem"
    assert appsync_js.evaluate(code, "response", {})["earlyReturn"] is True


@pytest.mark.parametrize("code, message", [
    ("import _ from 'lodash';\nexport function request(ctx) {}", "Only named or namespace imports are supported."),
    ("import { x } from 'lodash';\nexport function request(ctx) {}", "Cannot find module 'lodash'."),
    ("function request(ctx) {}\nexport default request;", "Only export function/const/let/var declarations are supported."),
    ("export function request(ctx) { outer: for (const a of []) { continue outer; } }", "Continue statements are not supported."),
    ("export function request(ctx) { return ~ctx.args.n; }", "Unary operator '~' is not supported."),
])
def test_refused_modules_and_statements(code, message):
    assert message in [value for _type, value, _line in errors_of(code)]


def test_unexported_handler_is_an_error_at_run_time():
    answer = appsync_js.evaluate("export function request(ctx) { return {}; }", "response", {})
    assert answer["error"]["message"] == "The code does not export a response function."


def test_module_state_does_not_leak_between_calls():
    code = "const seen = [];\nexport function request(ctx) { seen.push(1); return seen.length; }\n"
    assert [appsync_js.evaluate(code, "request", {})["value"] for _call in range(3)] == [1, 1, 1]


def test_transform_filters_are_json_text():
    code = ("import { util } from '@aws-appsync/utils';\n"
            "export function request(ctx) {\n"
            "  return JSON.parse(util.transform.toDynamoDBFilterExpression({ or: [{ a: { eq: 1 } }, { b: { beginsWith: 'x' } }] }));\n"
            "}\n")
    expression = appsync_js.evaluate(code, "request", {})["value"]
    assert expression["expression"] == "((#filter_a = :filter_1)) OR ((begins_with(#filter_b, :filter_2)))"
    assert expression["expressionNames"] == {"#filter_a": "a", "#filter_b": "b"}
    assert expression["expressionValues"] == {":filter_1": {"N": "1"}, ":filter_2": {"S": "x"}}
