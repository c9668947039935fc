# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import (
    APPSYNC_DIRECTIVES,
    APPSYNC_SCALARS,
    drifted_types,
    normalize_or_none,
    normalize_sdl,
    schema_digest,
    schema_errors,
    schema_shape,
    upload_needed,
)

BASE = '''
# The items API
"""An item"""
type Item @aws_api_key @aws_iam {
  id: ID!
  name: String
  created: AWSDateTime
}

enum Color { RED GREEN }

type Query {
  getItem(id: ID!): Item
  listItems(limit: Int, nextToken: String): [Item]
}

type Mutation {
  putItem(id: ID!, name: String = "x"): Item
}

type Subscription {
  onPutItem: Item @aws_subscribe(mutations: ["putItem"])
}

schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}
'''

REORDERED = '''
type Subscription { onPutItem: Item @aws_subscribe(mutations: ["putItem"]) }
type Mutation { putItem(name: String = "x", id: ID!): Item }
type Query {
  listItems(nextToken: String, limit: Int): [Item]   # reordered arguments
  getItem(id: ID!): Item
}
enum Color { GREEN RED }
"An item"
type Item @aws_iam @aws_api_key { created: AWSDateTime, name: String, id: ID! }
scalar AWSDateTime
directive @aws_api_key on FIELD_DEFINITION | OBJECT
'''


def test_valid_schema_has_no_errors():
    assert schema_errors(BASE) == []
    assert schema_errors(REORDERED) == []


def test_whitespace_order_comments_and_aws_prelude_do_not_matter():
    assert normalize_sdl(BASE) == normalize_sdl(REORDERED)


@pytest.mark.parametrize(
    "change",
    [
        ("name: String\n", "name: String!\n"),  # nullability
        ("name: String\n", "title: String\n"),  # renamed field
        ("limit: Int,", "limit: Int, offset: Int,"),  # new argument
        ('name: String = "x"', 'name: String = "y"'),  # default value
        ("@aws_api_key @aws_iam", "@aws_iam"),  # auth directive removed
        ('"""An item"""', '"""An Item"""'),  # description
        ("enum Color { RED GREEN }", "enum Color { RED GREEN BLUE }"),
    ],
)
def test_a_real_change_is_a_difference(change):
    changed = BASE.replace(*change)
    assert changed != BASE
    assert schema_errors(changed) == []
    assert normalize_sdl(BASE) != normalize_sdl(changed)


def test_a_schema_block_naming_other_roots_matters():
    renamed = BASE.replace("type Query {", "type Q {").replace("query: Query", "query: Q")
    assert normalize_sdl(BASE) != normalize_sdl(renamed)


def test_none_and_broken_schemas_normalise_to_none():
    assert normalize_or_none(None) is None
    assert normalize_or_none("type {") is None
    assert normalize_or_none(BASE) == normalize_sdl(BASE)


def test_syntax_error_has_line_and_column():
    errors = schema_errors("type Query {\n  a: Int\n  b: Int!!\n}\n")
    assert errors == ["line 3, column 10: Syntax Error: Expected Name, found '!'."]


def test_unknown_type_and_directive_have_line_and_column():
    errors = schema_errors("type Query {\n  a: Strin\n  b: Int @nope\n}\n")
    assert errors == [
        "line 2, column 6: Unknown type 'Strin'. Did you mean 'String'?",
        "line 3, column 10: Unknown directive '@nope'.",
    ]
    assert schema_errors("type Query {\n  a: Strin\n}\n") == ["line 2, column 6: Unknown type 'Strin'. Did you mean 'String'?"]


def test_schema_level_errors_are_reported():
    assert schema_errors("type Item { id: ID }") == ["Query root type must be provided."]
    errors = schema_errors("type Query { a: Int }\ninterface Node { id: ID! }\ntype Thing implements Node {\n  name: String\n}\n")
    assert errors == ["line 2, column 18: Interface field Node.id expected but Thing does not provide it."]


def test_empty_and_non_string():
    assert schema_errors("  \n") == ["the schema is empty"]
    assert schema_errors(None) == ["the schema must be a string, got NoneType"]


@pytest.mark.parametrize("scalar", APPSYNC_SCALARS)
def test_every_appsync_scalar_is_known(scalar):
    assert schema_errors("type Query { a: %s }" % scalar) == []


def test_appsync_scalars_are_not_graphql_builtins():
    # The prelude is what makes them known: a made-up AWS-looking scalar is not.
    assert schema_errors("type Query { a: AWSDecimal }") != []


@pytest.mark.parametrize("directive", APPSYNC_DIRECTIVES)
def test_every_appsync_directive_is_known(directive):
    usage = {
        "aws_subscribe": '@aws_subscribe(mutations: ["m"])',
        "aws_cognito_user_pools": '@aws_cognito_user_pools(cognito_groups: ["admins"])',
        "aws_auth": '@aws_auth(cognito_groups: ["admins"])',
    }.get(directive, "@" + directive)
    sdl = "type Query { a: Int %s }\ntype Mutation { m: Int }" % usage
    assert schema_errors(sdl) == []


def test_user_declared_appsync_scalar_is_tolerated():
    assert schema_errors("scalar AWSJSON\ntype Query { a: AWSJSON }") == []


def test_service_directive_declarations_in_a_live_schema_do_not_matter():
    # a live schema may declare directives AppSync added after this list was written
    live = BASE + '''
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
directive @defer(label: String, if: Boolean) on FRAGMENT_SPREAD | INLINE_FRAGMENT
'''
    assert normalize_sdl(live) == normalize_sdl(BASE)
    assert normalize_sdl(BASE + "\ndirective @mine on FIELD_DEFINITION\n") != normalize_sdl(BASE)


# ---- idempotence whatever the service's SDL printer -----------------------------------

# BASE as printers of other AppSync implementations give it back.
PRINTED_BARE = '''
type Item {
  id: ID!
  name: String
  created: AWSDateTime
}

enum Color { RED GREEN }

type Query {
  getItem(id: ID!): Item
  listItems(limit: Int, nextToken: String): [Item]
}

type Mutation {
  putItem(id: ID!, name: String = "x"): Item
}

type Subscription {
  onPutItem: Item
}
'''
PRINTED_COMMENTS_AS_DESCRIPTIONS = BASE.replace("# The items API\n", "").replace('"""An item"""', '"""The items API\nAn item"""')
PRINTED_SPACED = BASE.replace('@aws_subscribe(mutations: ["putItem"])', '@aws_subscribe(mutations:["putItem"])')
PRINTED = {"keep": BASE, "bare": PRINTED_BARE, "comments_as_descriptions": PRINTED_COMMENTS_AS_DESCRIPTIONS, "spaced_arguments": PRINTED_SPACED}


def test_the_digest_is_the_same_for_the_same_schema_however_written():
    assert schema_digest(BASE) == schema_digest(REORDERED)
    assert len(schema_digest(BASE)) == 64
    assert schema_digest(BASE) != schema_digest(BASE.replace('"""An item"""', '"""An Item"""'))


@pytest.mark.parametrize("style", sorted(PRINTED))
def test_no_upload_when_the_recorded_digest_matches_whatever_the_printer(style):
    assert drifted_types(PRINTED[style], BASE) == []
    assert not upload_needed(PRINTED[style], BASE, schema_digest(BASE))


def test_without_a_record_only_an_identical_live_text_avoids_the_upload():
    assert not upload_needed(BASE, REORDERED, None)
    assert not upload_needed(PRINTED_SPACED, BASE, None)
    assert upload_needed(PRINTED_BARE, BASE, None)


def test_a_changed_desired_schema_is_uploaded_even_if_only_its_description_changed():
    changed = BASE.replace('"""An item"""', '"""An Item"""')
    assert upload_needed(PRINTED_BARE, changed, schema_digest(BASE))


@pytest.mark.parametrize(
    "old, new, drifted",
    [
        ("  name: String\n", "  name: String\n  colour: String\n", ["Item"]),  # field added outside
        ("  name: String\n", "  name: String!\n", ["Item"]),  # field type
        ("getItem(id: ID!)", "getItem(id: ID)", ["Query"]),  # argument type
        ("enum Color { RED GREEN }", "enum Color { RED }", ["Color"]),  # enum value
        ("type Subscription {\n  onPutItem: Item\n}\n", "", ["Subscription"]),  # type removed
    ],
)
def test_drift_made_outside_is_seen_in_a_bare_print(old, new, drifted):
    live = PRINTED_BARE.replace(old, new)
    assert live != PRINTED_BARE
    assert drifted_types(live, BASE) == drifted
    assert upload_needed(live, BASE, schema_digest(BASE))


def test_shape_covers_interfaces_unions_inputs_and_roots():
    sdl = "interface Node { id: ID! }\ntype A implements Node { id: ID! }\nunion U = A\ninput In { x: Int }\ntype Query { a(i: In): U }"
    shape = schema_shape(sdl)
    assert shape["A"]["interfaces"] == {"Node"}
    assert shape["U"]["members"] == {"A"}
    assert shape["In"]["fields"] == {"x": "Int"}
    assert shape["Query"]["fields"] == {"a": ("U", (("i", "In"),))}
    assert shape["schema"]["query"] == "Query"
    assert drifted_types(sdl, sdl.replace("union U = A", "union U = A | Query")) == ["U"]
    assert drifted_types(sdl, sdl.replace("input In { x: Int }", "input In { x: Int! }")) == ["In"]
    assert drifted_types(sdl, sdl.replace("implements Node ", "")) == ["A"]
    assert drifted_types(sdl, "schema { query: A }\n" + sdl) == ["schema"]
    # extensions merge into their type; AppSync's scalar declarations do not count
    assert drifted_types("type Query { a: Int }\nextend type Query { b: Int }\nscalar AWSDate", "type Query { b: Int a: Int }") == []


def test_a_missing_or_broken_live_schema_is_replaced():
    assert upload_needed(None, BASE, schema_digest(BASE))
    assert upload_needed("type {", BASE, schema_digest(BASE))
