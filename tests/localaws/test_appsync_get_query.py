"""AppSync answers GraphQL sent as GET (query string), as a Route53 health check through the proxy sends it."""

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlparse

import pytest

SCHEMA = "type Query { hello(name: String): String }\nschema { query: Query }\n"


@pytest.fixture
def api(client_factory, unique):
    appsync = client_factory("appsync")
    created = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]
    appsync.start_schema_creation(apiId=created["apiId"], definition=SCHEMA.encode())
    appsync.create_data_source(apiId=created["apiId"], name="none", type="NONE")
    appsync.create_resolver(apiId=created["apiId"], typeName="Query", fieldName="hello", dataSourceName="none",
                            runtime={"name": "APPSYNC_JS", "runtimeVersion": "1.0.0"},
                            code="export function request(ctx) { return {payload: 'hi ' + ctx.args.name}; }\n"
                                 "export function response(ctx) { return ctx.result; }\n")
    created["key"] = appsync.create_api_key(apiId=created["apiId"])["apiKey"]["id"]
    yield created
    appsync.delete_graphql_api(apiId=created["apiId"])


def _get(endpoint, api, params, key):
    request = urllib.request.Request(endpoint + "/graphql?" + urlencode(params), method="GET",
                                     headers={"Host": urlparse(api["uris"]["GRAPHQL"]).netloc, "x-api-key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_get_query_is_executed_and_answered_in_compact_json(endpoint, api):
    status, body = _get(endpoint, api, {"query": "{__typename}"}, api["key"])
    assert status == 200
    assert b'"__typename":"Query"' in body  # the bytes an HTTPS_STR_MATCH health check searches
    status, body = _get(endpoint, api, {"query": "query Q($n: String) { hello(name: $n) }", "variables": json.dumps({"n": "you"}),
                                        "operationName": "Q"}, api["key"])
    assert status == 200 and json.loads(body) == {"data": {"hello": "hi you"}}


def test_a_get_query_needs_the_key_too(endpoint, api):
    status, body = _get(endpoint, api, {"query": "{__typename}"}, "da2-wrongwrongwrongwrongwrong")
    assert status == 401 and json.loads(body)["errors"][0]["errorType"] == "UnauthorizedException"
