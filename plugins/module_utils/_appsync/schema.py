# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""GraphQL schemas as AppSync reads them: local validation and comparison.

Pure functions over SDL text (graphql-core only, no AWS):

- schema_errors(sdl): every problem AppSync would reject, as
  "line L, column C: message" strings (empty list: valid). AppSync's own
  scalars (AWSDateTime, AWSJSON, ...) and directives (@aws_api_key, ...)
  count as known.
- normalize_sdl(sdl): a canonical text of the schema: comments, whitespace,
  the order of definitions, fields, arguments, enum values, interfaces and
  applied directives, the quoting of descriptions, AppSync's predefined
  scalar/directive declarations and a `schema {}` block naming the default
  root types do not matter; everything else does.
- schema_digest(sdl): sha256 of normalize_sdl(sdl), the record of the last
  upload that appsync_api keeps on the API (every SDL printer loses something,
  so the desired schema is compared with what was last sent, not with what the
  service prints).
- drifted_types(live, desired): the types whose shape differs in what every
  SDL printer keeps (see schema_shape): the drift made outside the module that
  the digest cannot see.
- upload_needed(...): the decision that combines both.
"""

import hashlib

try:
    from graphql import GraphQLError
    from graphql import build_ast_schema
    from graphql import parse
    from graphql import print_ast
    from graphql import validate_schema
    from graphql.language import ast as gql_ast
    from graphql.validation.validate import validate_sdl

    HAS_GRAPHQL = True
    GRAPHQL_IMPORT_ERROR = None
except ImportError as e:  # pragma: no cover - reported by the callers
    HAS_GRAPHQL = False
    GRAPHQL_IMPORT_ERROR = e

APPSYNC_SCALARS = (
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

# AppSync's directives, as its documentation declares them.
APPSYNC_DIRECTIVES_SDL = """
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
"""
APPSYNC_DIRECTIVES = (
    "aws_api_key",
    "aws_iam",
    "aws_oidc",
    "aws_cognito_user_pools",
    "aws_lambda",
    "aws_subscribe",
    "aws_auth",
)
GRAPHQL_BUILTIN_SCALARS = ("String", "Int", "Float", "Boolean", "ID")
GRAPHQL_BUILTIN_DIRECTIVES = ("deprecated", "include", "skip", "specifiedBy", "defer", "stream", "oneOf")
DEFAULT_ROOT_TYPES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}

# Lists inside a definition whose order carries no meaning.
_UNORDERED = ("fields", "arguments", "values", "interfaces", "types", "locations", "operation_types")


def _format_error(error):
    message = error.message
    if error.locations:
        loc = error.locations[0]
        return "line %d, column %d: %s" % (loc.line, loc.column, message)
    return message


def _prelude(defined_names, defined_directives):
    """AppSync's predefined scalars and directives the user did not declare."""
    parts = ["scalar %s" % name for name in APPSYNC_SCALARS if name not in defined_names]
    prelude = parse(APPSYNC_DIRECTIVES_SDL + "\n".join(parts), no_location=True)
    return [
        d
        for d in prelude.definitions
        if not (isinstance(d, gql_ast.DirectiveDefinitionNode) and d.name.value in defined_directives)
    ]


def schema_errors(sdl):
    """Problems of an SDL document as "line L, column C: message" strings."""
    if not isinstance(sdl, str):
        return ["the schema must be a string, got %s" % type(sdl).__name__]
    if not sdl.strip():
        return ["the schema is empty"]
    try:
        document = parse(sdl)
    except GraphQLError as e:
        return [_format_error(e)]
    names = set()
    directive_names = set()
    for definition in document.definitions:
        if isinstance(definition, gql_ast.DirectiveDefinitionNode):
            directive_names.add(definition.name.value)
        elif isinstance(definition, gql_ast.TypeDefinitionNode):
            names.add(definition.name.value)
    full = gql_ast.DocumentNode(definitions=tuple(document.definitions) + tuple(_prelude(names, directive_names)))
    errors = [_format_error(e) for e in validate_sdl(full)]
    if errors:
        return errors
    schema = build_ast_schema(full, assume_valid_sdl=True)
    return [_format_error(e) for e in validate_schema(schema)]


def _is_predefined(definition):
    if isinstance(definition, gql_ast.ScalarTypeDefinitionNode):
        return definition.name.value in APPSYNC_SCALARS + GRAPHQL_BUILTIN_SCALARS
    if isinstance(definition, gql_ast.DirectiveDefinitionNode):
        # AppSync takes no custom directives: any aws_* declaration in a live
        # schema is the service's own (the list grows over time).
        name = definition.name.value
        return name in APPSYNC_DIRECTIVES + GRAPHQL_BUILTIN_DIRECTIVES or name.startswith("aws_")
    if isinstance(definition, gql_ast.SchemaDefinitionNode):
        if definition.directives or definition.description:
            return False
        named = dict((op.operation.value, op.type.name.value) for op in definition.operation_types)
        return all(DEFAULT_ROOT_TYPES[op] == type_name for op, type_name in named.items())
    return False


def _sort_key(node):
    name = getattr(node, "name", None)
    return (node.kind, name.value if name is not None else "", print_ast(node))


def _canonical(node):
    """Sort the unordered lists of a node in place, recursively."""
    if isinstance(node, (list, tuple)):
        for child in node:
            _canonical(child)
        return node
    if not isinstance(node, gql_ast.Node):
        return node
    for key in node.keys:
        if key == "loc":
            continue
        value = getattr(node, key, None)
        if key == "description" and value is not None:
            setattr(node, key, gql_ast.StringValueNode(value=value.value.strip(), block=False))
            continue
        if isinstance(value, (list, tuple)):
            _canonical(value)
            if key in _UNORDERED or key == "directives" or (key == "arguments" and isinstance(node, gql_ast.DirectiveNode)):
                value = tuple(sorted(value, key=_sort_key))
            setattr(node, key, value)
        elif isinstance(value, gql_ast.Node):
            _canonical(value)
    return node


def normalize_sdl(sdl):
    """Canonical SDL text; raises graphql's GraphQLError on a syntax error."""
    document = parse(sdl, no_location=True)
    definitions = [d for d in document.definitions if not _is_predefined(d)]
    for definition in definitions:
        _canonical(definition)
    definitions.sort(key=_sort_key)
    return print_ast(gql_ast.DocumentNode(definitions=tuple(definitions))).strip() + "\n"


def normalize_or_none(sdl):
    """normalize_sdl, or None when sdl is None or not parsable (e.g. a broken live schema)."""
    if sdl is None:
        return None
    try:
        return normalize_sdl(sdl)
    except GraphQLError:
        return None


def schema_digest(sdl):
    """Hex sha256 of the normalised SDL: equal for the same schema however written."""
    return hashlib.sha256(normalize_sdl(sdl).encode("utf-8")).hexdigest()


def _type_text(type_node):
    return print_ast(type_node)


def _fields_shape(fields):
    return dict(
        (f.name.value, (_type_text(f.type), tuple(sorted((a.name.value, _type_text(a.type)) for a in f.arguments or ()))))
        for f in fields or ()
    )


def _type_shape(shape, definition):
    """Merge one type definition or extension into shape (a dict per type name)."""
    kind = definition.kind.rsplit("_", 1)[0]  # object_type_definition / _extension -> object_type
    entry = shape.setdefault(definition.name.value, {"kind": kind, "fields": {}, "interfaces": set(), "members": set(), "values": set()})
    if isinstance(definition, (gql_ast.InputObjectTypeDefinitionNode, gql_ast.InputObjectTypeExtensionNode)):
        entry["fields"].update((f.name.value, _type_text(f.type)) for f in definition.fields or ())
    elif hasattr(definition, "fields"):
        entry["fields"].update(_fields_shape(definition.fields))
    entry["interfaces"].update(i.name.value for i in getattr(definition, "interfaces", None) or ())
    entry["members"].update(t.name.value for t in getattr(definition, "types", None) or ())
    entry["values"].update(v.name.value for v in getattr(definition, "values", None) or ())


def schema_shape(sdl):
    """What every SDL printer keeps of a schema, per type name: its kind, its
    fields with their types and their arguments' types, input fields, enum
    values, interfaces and union members; under "schema" the root types.
    Descriptions, applied directives, default values, comments and order are
    left out: printers differ on those. Raises GraphQLError on a syntax error."""
    roots = dict(DEFAULT_ROOT_TYPES)
    shape = {}
    for definition in parse(sdl, no_location=True).definitions:
        if isinstance(definition, (gql_ast.SchemaDefinitionNode, gql_ast.SchemaExtensionNode)):
            roots.update((op.operation.value, op.type.name.value) for op in definition.operation_types or ())
        elif isinstance(definition, (gql_ast.TypeDefinitionNode, gql_ast.TypeExtensionNode)) and not _is_predefined(definition):
            _type_shape(shape, definition)
    shape["schema"] = roots
    return shape


def drifted_types(live_sdl, desired_sdl):
    """Sorted names of the types (or "schema" for the root types) that differ
    between two schemas in what every printer keeps; [] when none."""
    live, desired = schema_shape(live_sdl), schema_shape(desired_sdl)
    return sorted(name for name in set(live) | set(desired) if live.get(name) != desired.get(name))


def upload_needed(live_sdl, desired_sdl, stored_digest):
    """True when the desired schema must be uploaded.

    stored_digest: the schema_digest recorded at the last upload (None when
    there is no record or it cannot be trusted). The live schema is replaced
    when it is missing or unparsable, or drifted from the desired one in what
    every printer keeps; a printer may drop descriptions and directives, so
    beyond that the record decides, unless the live text is the desired one.
    """
    live = normalize_or_none(live_sdl)
    if live is None:
        return True
    if live == normalize_sdl(desired_sdl):
        return False
    if drifted_types(live_sdl, desired_sdl):
        return True
    return stored_digest != schema_digest(desired_sdl)
