"""GetIntrospectionSchema (SDL) printed in each style an AppSync implementation may use.

The style is a setting of the AppSync extension, changed at run time through
its control hook (POST /v1/localaws/configure on the AppSync endpoint).
"""

import json
import urllib.request

import pytest

SCHEMA = '''
"""A stored item"""
type Item @aws_api_key @aws_iam {
  # The item's key
  id: ID!
  "The item's name"
  name: String
}

# Reads
type Query {
  getItem(id: ID!): Item
}

type Mutation {
  putItem(id: ID!, name: String): Item
}

type Subscription {
  onPutItem: Item @aws_subscribe(mutations: ["putItem", "putItems"])
}
'''


@pytest.fixture
def sdl_style(endpoint):
    """Set the extension's SDL style through its control hook; restore "keep" after."""

    def configure(payload):
        request = urllib.request.Request(
            endpoint + "/v1/localaws/configure",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/appsync/aws4_request, "
                                 "SignedHeaders=host, Signature=0",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    yield configure
    configure({"sdl_style": "keep"})


@pytest.fixture
def printed(client_factory, unique):
    appsync = client_factory("appsync")
    api_id = appsync.create_graphql_api(name=unique, authenticationType="API_KEY")["graphqlApi"]["apiId"]
    appsync.start_schema_creation(apiId=api_id, definition=SCHEMA.encode())

    def read(**kwargs):
        return appsync.get_introspection_schema(apiId=api_id, format="SDL", **kwargs)["schema"].read().decode()

    yield read
    appsync.delete_graphql_api(apiId=api_id)


def test_the_hook_reads_and_sets_the_style(sdl_style):
    assert sdl_style({}) == {"sdl_style": "keep"}
    assert sdl_style({"sdl_style": "bare"}) == {"sdl_style": "bare"}
    assert sdl_style({}) == {"sdl_style": "bare"}


def test_an_unknown_style_is_refused(sdl_style):
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        sdl_style({"sdl_style": "fancy"})
    assert excinfo.value.code == 400
    assert sdl_style({}) == {"sdl_style": "keep"}


def test_keep_prints_descriptions_and_directives(sdl_style, printed):
    sdl_style({"sdl_style": "keep"})
    text = printed()
    assert '"""A stored item"""\ntype Item @aws_api_key @aws_iam {' in text
    assert '@aws_subscribe(mutations: ["putItem", "putItems"])' in text
    assert "#" not in text


def test_bare_drops_descriptions_and_applied_directives(sdl_style, printed):
    sdl_style({"sdl_style": "bare"})
    text = printed()
    assert "type Item {" in text and "putItem(id: ID!, name: String): Item" in text
    assert "@aws" not in text and '"' not in text


def test_comments_become_descriptions(sdl_style, printed):
    sdl_style({"sdl_style": "comments_as_descriptions"})
    text = printed()
    assert '"Reads"\ntype Query {' in text
    assert '"The item\'s key"\n  id: ID!' in text
    assert '"The item\'s name"\n  name: String' in text
    assert '"""A stored item"""' in text and "@aws_api_key" in text


def test_spaced_arguments_space_directive_arguments_differently(sdl_style, printed):
    sdl_style({"sdl_style": "spaced_arguments"})
    text = printed()
    assert '@aws_subscribe(mutations:["putItem","putItems"])' in text
    assert "putItem(id: ID!, name: String): Item" in text


def test_include_directives_false_still_drops_directives(sdl_style, printed):
    sdl_style({"sdl_style": "comments_as_descriptions"})
    assert "@aws" not in printed(includeDirectives=False)
