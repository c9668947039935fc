#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_resolver
version_added: 0.1.0
short_description: Manage the resolvers of an AWS AppSync GraphQL API
description:
  - Creates, updates in place and deletes the resolver of one field of an AppSync GraphQL API.
  - V(UNIT) resolvers call one data source, V(PIPELINE) resolvers run AppSync functions
    (see M(multiregion.appsync.appsync_function)) in order.
  - Code runs on the V(APPSYNC_JS) runtime (O(code) or O(code_file)); VTL resolvers use
    O(request_template) and O(response_template) instead.
  - Before it creates or updates a resolver the module reads the API's live schema and fails when it has no object
    type O(type_name) with a field O(field_name), or when O(data_source_name) does not exist. A resolver that is
    already as desired is not checked again, and the API is looked up only when none of the resolvers is found,
    so a rerun reads the resolvers only (and the functions of a pipeline).
  - O(resolvers) converges several resolvers of the API in one call, reading the schema and the
    functions once, and the resolvers of a type holding several of them in one ListResolvers.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  api_id:
    description:
      - The ID of the AppSync GraphQL API.
      - In check mode, an API that does not exist, or the placeholder V(pending-creation.invalid) that
        M(multiregion.appsync.appsync_api) returns in check mode for an API it would create, holds nothing yet;
        the module reports C(changed) and the diff of a creation, reads nothing under it (its schema, data sources
        and functions are checked in the real run) and writes nothing. A real run refuses the placeholder.
    type: str
    required: true
  type_name:
    description:
      - The GraphQL type of the field, for example V(Query) or V(Mutation).
      - Required (with O(field_name)) unless O(resolvers) is given.
    type: str
  field_name:
    description:
      - The field the resolver resolves.
      - Required (with O(type_name)) unless O(resolvers) is given.
    type: str
  state:
    description:
      - Whether the resolver should exist.
    type: str
    choices: [present, absent]
    default: present
  kind:
    description:
      - V(UNIT) calls O(data_source_name); V(PIPELINE) runs O(pipeline_functions).
    type: str
    choices: [UNIT, PIPELINE]
    default: UNIT
  data_source_name:
    description:
      - The data source of a V(UNIT) resolver (required with O(kind=UNIT)).
    type: str
  pipeline_functions:
    description:
      - The names of the AppSync functions a V(PIPELINE) resolver runs, in order.
      - Each name must match exactly one function of the API.
    type: list
    elements: str
  resolvers:
    description:
      - Several resolvers of the API, converged in one call (one module run instead of one per resolver).
        Each item takes the options of a single resolver. O(state) applies to all of them.
      - Every resolver is checked (schema field, data source, functions) before the first write.
      - Mutually exclusive with O(type_name) and O(field_name); the top-level resolver options are then unused.
    type: list
    elements: dict
    suboptions:
      type_name:
        description: The GraphQL type of the field.
        type: str
        required: true
      field_name:
        description: The field the resolver resolves.
        type: str
        required: true
      kind:
        description: V(UNIT) or V(PIPELINE), as O(kind).
        type: str
        choices: [UNIT, PIPELINE]
        default: UNIT
      data_source_name:
        description: The data source of a V(UNIT) resolver, as O(data_source_name).
        type: str
      pipeline_functions:
        description: The functions of a V(PIPELINE) resolver, in order, as O(pipeline_functions).
        type: list
        elements: str
      runtime:
        description: The runtime of the code, as O(runtime).
        type: dict
        suboptions:
          name:
            description: The runtime name.
            type: str
            choices: [APPSYNC_JS]
            default: APPSYNC_JS
          runtime_version:
            description: The runtime version.
            type: str
            default: 1.0.0
      code:
        description: The APPSYNC_JS code, as O(code); mutually exclusive with O(resolvers[].code_file).
        type: str
      code_file:
        description: A file with the APPSYNC_JS code, as O(code_file).
        type: path
      request_template:
        description: The VTL request mapping template, as O(request_template).
        type: str
      response_template:
        description: The VTL response mapping template, as O(response_template).
        type: str
      max_batch_size:
        description: The maximum batch size, as O(max_batch_size).
        type: int
extends_documentation_fragment:
  - multiregion.appsync.appsync_code
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A JavaScript resolver on the items table
  multiregion.appsync.appsync_resolver:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: getItem
    data_source_name: items
    code_file: "{{ role_path }}/files/resolvers/Query.getItem.js"

- name: A VTL resolver
  multiregion.appsync.appsync_resolver:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: version
    data_source_name: none
    request_template: '{"version": "2018-05-29", "payload": "1.0"}'
    response_template: "$util.toJson($ctx.result)"

- name: A pipeline resolver
  multiregion.appsync.appsync_resolver:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    type_name: Mutation
    field_name: putItem
    kind: PIPELINE
    pipeline_functions: [validate_item, save_item]
    code: |
      export function request(ctx) { return {}; }
      export function response(ctx) { return ctx.prev.result; }

- name: Every resolver of the API in one call, each from its file
  multiregion.appsync.appsync_resolver:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    resolvers:
      - type_name: Query
        field_name: getItem
        data_source_name: items
        code_file: "{{ role_path }}/files/resolvers/Query.getItem.js"
      - type_name: Mutation
        field_name: putItem
        data_source_name: items
        code_file: "{{ role_path }}/files/resolvers/Mutation.putItem.js"

- name: Remove a resolver
  multiregion.appsync.appsync_resolver:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: getItem
    state: absent
"""

RETURN = r"""
resolvers:
  description:
    - With O(resolvers), each resolver as RV(resolver) describes one, in the order of O(resolvers). The C(diff) is
      then keyed C(Type.field).
  returned: when O(resolvers) is given
  type: list
  elements: dict
resolver:
  description: The resolver as AppSync describes it (empty after a deletion).
  returned: unless O(resolvers) is given
  type: dict
  contains:
    type_name:
      description: The type.
      type: str
      sample: Query
    field_name:
      description: The field.
      type: str
      sample: getItem
    resolver_arn:
      description: The ARN (absent when only predicted in check mode).
      type: str
      sample: arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz/types/Query/resolvers/getItem
    kind:
      description: V(UNIT) or V(PIPELINE).
      type: str
      sample: UNIT
    data_source_name:
      description: The data source of a UNIT resolver.
      type: str
      returned: for UNIT resolvers
      sample: items
    pipeline_config:
      description: The function ids of a PIPELINE resolver.
      type: dict
      returned: for PIPELINE resolvers
      sample: {"functions": ["abcdefghijklmnopqrstuvwxyz"]}
    runtime:
      description: The runtime of the code.
      type: dict
      returned: for APPSYNC_JS resolvers
      sample: {"name": "APPSYNC_JS", "runtime_version": "1.0.0"}
    code:
      description: The resolver code.
      type: str
      returned: for APPSYNC_JS resolvers
    request_mapping_template:
      description: The VTL request template.
      type: str
      returned: for VTL resolvers
    response_mapping_template:
      description: The VTL response template.
      type: str
      returned: for VTL resolvers
"""

from collections import Counter

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import builders
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import calls
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import flow
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_client
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_target
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_resolver
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import to_snake
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import as_list
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import converged
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import unequal
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import PENDING


def resolver_options(params):
    """The options of each resolver to converge: the O(resolvers) items (with
    api_id and state), or the module's own options."""
    if params["resolvers"] is None:
        return [params]
    return [dict(item, api_id=params["api_id"], state=params["state"]) for item in params["resolvers"]]


def where(params, index):
    """The prefix naming a resolver of O(resolvers) in messages ("" for the single form)."""
    return "" if params["resolvers"] is None else "resolvers[%d]: " % index


def load_codes(params):
    """Each resolver's code, its options checked; raises naming the option."""
    codes = []
    for index, options in enumerate(resolver_options(params)):
        try:
            codes.append(flow.load_code(options, builders.check_resolver_options))
        except AnsibleAppSyncError as e:
            raise AnsibleAppSyncError(message=where(params, index) + e.message) from e
    return codes


class References:
    """What the resolvers name on the API, each read once per run: the pipeline
    functions (their ids are part of the request compared), and the type/field
    and data source, checked only before a write (an unchanged resolver is
    not re-checked, so a rerun reads no schema and no data source). For an API
    still to be created (check mode) there is nothing to read: every function
    id is the check-mode placeholder."""

    def __init__(self, module, client, api_exists):
        self.module, self.client, self.api_exists = module, client, api_exists
        self.api_id = module.params["api_id"]
        self.read = {}

    def _once(self, key, reader):
        if key not in self.read:
            self.read[key] = reader()
        return self.read[key]

    def function_ids(self, options, prefix):
        """The pipeline's function ids (None for UNIT); fails on a missing function."""
        if options["kind"] != "PIPELINE":
            return None
        if not self.api_exists:
            return [PENDING] * len(options["pipeline_functions"] or [])
        functions = self._once("functions", lambda: calls.list_functions(self.client, self.api_id))
        function_ids, error = builders.resolve_function_ids(functions, options["pipeline_functions"])
        if error:
            self.module.fail_json(msg=prefix + error)
        return function_ids

    def check(self, options, prefix):
        """Fail (before any write) on a missing type/field or data source."""
        if not self.api_exists:
            return
        api_id, type_name, field_name = self.api_id, options["type_name"], options["field_name"]
        error = builders.check_field(self._once("schema", lambda: calls.get_introspection_schema(self.client, api_id)), type_name, field_name)
        if error:
            self.module.fail_json(msg="%stype_name/field_name %s.%s: cannot be resolved on API %s: %s" % (prefix, type_name, field_name, api_id, error))
        source = options["data_source_name"]
        if options["kind"] == "UNIT" and self._once(("source", source), lambda: calls.get_data_source(self.client, api_id, source)) is None:
            self.module.fail_json(msg="%sdata_source_name=%s: no such data source on API %s" % (prefix, source, api_id))


def read_resolvers(module, client):
    """The live resolver (None when missing) of each resolver to converge: one
    ListResolvers for a type with several of them, GetResolver otherwise."""
    options = resolver_options(module.params)
    per_type = Counter(o["type_name"] for o in options)
    listed = {}

    def live(o):
        if per_type[o["type_name"]] == 1:
            return calls.get_resolver(client, o["api_id"], o["type_name"], o["field_name"])
        if o["type_name"] not in listed:
            listed[o["type_name"]] = dict((r["fieldName"], r) for r in calls.list_resolvers(client, o["api_id"], o["type_name"]))
        return listed[o["type_name"]].get(o["field_name"])

    return [live(o) for o in options]


def create_resolver(module, client, options, request):
    """CreateResolver through a client whose SDK does not repeat it: after a
    lost answer the resolver is read back instead of failing as a duplicate;
    one another run made meanwhile (under a lock on its field) is adopted and
    brought to request."""
    api_id, type_name, field_name = options["api_id"], options["type_name"], options["field_name"]
    once = creation_client(module)
    made = create_once(
        lambda: calls.create_resolver(once, api_id, type_name, request),
        lambda: as_list(calls.get_resolver(client, api_id, type_name, field_name)),
        lambda resolver: resolver["fieldName"],
        creation_target(client, "AppSync resolver", "%s.%s" % (type_name, field_name), api_id),
    )
    return converged(made, lambda found: unequal(builders.resolver_changes(found, request)),
                     lambda: calls.update_resolver(client, api_id, type_name, request))


def apply_resolver(module, client, options, current, request):
    """flow.apply_request for one resolver."""
    return flow.apply_request(
        module, current, request, builders.resolver_changes(current, request),
        create=lambda: create_resolver(module, client, options, request),
        update=lambda: calls.update_resolver(client, options["api_id"], options["type_name"], request),
        predicted=dict(request, typeName=options["type_name"]),
    )


def combined(module, outcomes):
    """One (changed, resource, before, after) for the module: the resolver's own
    in the single form; for O(resolvers), the list of resolvers and diffs keyed Type.field."""
    if module.params["resolvers"] is None:
        return outcomes[0]
    names = ["%s.%s" % (o["type_name"], o["field_name"]) for o in resolver_options(module.params)]
    return (
        any(outcome[0] for outcome in outcomes),
        [outcome[1] for outcome in outcomes],
        dict((name, outcome[2]) for name, outcome in zip(names, outcomes) if outcome[2]),
        dict((name, outcome[3]) for name, outcome in zip(names, outcomes) if outcome[3]),
    )


def ensure_present(module, client, currents, codes, api_exists):
    references = References(module, client, api_exists)
    planned = []
    for index, (options, current, code) in enumerate(zip(resolver_options(module.params), currents, codes)):
        prefix = where(module.params, index)
        request = builders.build_resolver_request(options, code, references.function_ids(options, prefix), current)
        if flow.needs_write(current, builders.resolver_changes(current, request)):
            references.check(options, prefix)
        planned.append((options, current, request))
    # every resolver to write is checked before the first write
    return combined(module, [apply_resolver(module, client, options, current, request) for options, current, request in planned])


def remove_resolver(module, client, options, current):
    if current is None:
        return False, None, {}, {}
    if not module.check_mode:
        calls.delete_resolver(client, options["api_id"], options["type_name"], options["field_name"])
    return True, None, to_snake(builders.resolver_changes(current, {})[0]), {}


def ensure_absent(module, client, currents):
    outcomes = [remove_resolver(module, client, options, current) for options, current in zip(resolver_options(module.params), currents)]
    return combined(module, outcomes)


def normalize_resolvers(module):
    """The normalizer of the module's result: one resolver, or the list for O(resolvers)."""
    if module.params["resolvers"] is None:
        return normalize_resolver
    return lambda resolvers: [normalize_resolver(r) or {} for r in resolvers or []]


def main():
    resolver_spec = dict(
        type_name=dict(type="str", required=True),
        field_name=dict(type="str", required=True),
        kind=dict(type="str", default="UNIT", choices=["UNIT", "PIPELINE"]),
        data_source_name=dict(type="str"),
        pipeline_functions=dict(type="list", elements="str"),
        **flow.code_argument_spec()
    )
    argument_spec = dict(
        api_id=dict(type="str", required=True),
        type_name=dict(type="str"),
        field_name=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        kind=dict(type="str", default="UNIT", choices=["UNIT", "PIPELINE"]),
        data_source_name=dict(type="str"),
        pipeline_functions=dict(type="list", elements="str"),
        resolvers=dict(type="list", elements="dict", options=resolver_spec, mutually_exclusive=[["code", "code_file"]]),
        **flow.code_argument_spec()
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["code", "code_file"], ["resolvers", "type_name"], ["resolvers", "field_name"]],
        required_one_of=[["resolvers", "type_name"]],
        required_together=[["type_name", "field_name"]],
    )
    params = module.params
    if params["resolvers"] == []:
        module.fail_json(msg="resolvers must name at least one resolver")
    try:
        codes = load_codes(params)
        result = flow.converge(
            module, module.client("appsync"), "resolver" if params["resolvers"] is None else "resolvers",
            lambda client: read_resolvers(module, client),
            lambda client, currents, api_exists: ensure_present(module, client, currents, codes, api_exists),
            lambda client, currents: ensure_absent(module, client, currents),
            normalize_resolvers(module),
            nothing=[None] * len(resolver_options(params)),
        )
    except AnsibleAppSyncError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
