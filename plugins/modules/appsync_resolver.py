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
  - Before any change the module reads the API's live schema and fails when it has no object
    type O(type_name) with a field O(field_name).
author:
  - multiregion.appsync contributors (@multiregion)
options:
  api_id:
    description:
      - The ID of the AppSync GraphQL API.
    type: str
    required: true
  type_name:
    description:
      - The GraphQL type of the field, for example V(Query) or V(Mutation).
    type: str
    required: true
  field_name:
    description:
      - The field the resolver resolves.
    type: str
    required: true
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
extends_documentation_fragment:
  - multiregion.appsync.appsync_code
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A JavaScript resolver on the items table
  multiregion.appsync.appsync_resolver:
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: getItem
    data_source_name: items
    code_file: "{{ role_path }}/files/resolvers/Query.getItem.js"

- name: A VTL resolver
  multiregion.appsync.appsync_resolver:
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: version
    data_source_name: none
    request_template: '{"version": "2018-05-29", "payload": "1.0"}'
    response_template: "$util.toJson($ctx.result)"

- name: A pipeline resolver
  multiregion.appsync.appsync_resolver:
    api_id: "{{ api.api.api_id }}"
    type_name: Mutation
    field_name: putItem
    kind: PIPELINE
    pipeline_functions: [validate_item, save_item]
    code: |
      export function request(ctx) { return {}; }
      export function response(ctx) { return ctx.prev.result; }

- name: Remove a resolver
  multiregion.appsync.appsync_resolver:
    api_id: "{{ api.api.api_id }}"
    type_name: Query
    field_name: getItem
    state: absent
"""

RETURN = r"""
resolver:
  description: The resolver as AppSync describes it (empty after a deletion).
  returned: always
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

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_resolver
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import to_snake
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import resolvers as appsync


def check_references(module, client):
    """Fail (before any write) on a missing type/field, data source or function; return function ids."""
    params = module.params
    api_id = params["api_id"]
    error = appsync.check_field(appsync.get_introspection_schema(client, api_id), params["type_name"], params["field_name"])
    if error:
        module.fail_json(msg="type_name/field_name %s.%s: cannot be resolved on API %s: %s" % (params["type_name"], params["field_name"], api_id, error))
    if params["kind"] == "UNIT" and appsync.get_data_source(client, api_id, params["data_source_name"]) is None:
        module.fail_json(msg="data_source_name=%s: no such data source on API %s" % (params["data_source_name"], api_id))
    if params["kind"] != "PIPELINE":
        return None
    function_ids, error = appsync.resolve_function_ids(appsync.list_functions(client, api_id), params["pipeline_functions"])
    if error:
        module.fail_json(msg=error)
    return function_ids


def ensure_present(module, client, current, code):
    params = module.params
    function_ids = check_references(module, client)
    request = appsync.build_resolver_request(params, code, function_ids, current)
    return appsync.apply_request(
        module, current, request, appsync.resolver_changes(current, request),
        create=lambda: appsync.create_resolver(client, params["api_id"], params["type_name"], request),
        update=lambda: appsync.update_resolver(client, params["api_id"], params["type_name"], request),
        predicted=dict(request, typeName=params["type_name"]),
    )


def ensure_absent(module, client, current):
    if current is None:
        return False, None, {}, {}
    if not module.check_mode:
        appsync.delete_resolver(client, module.params["api_id"], module.params["type_name"], module.params["field_name"])
    return True, None, to_snake(appsync.resolver_changes(current, {})[0]), {}


def main():
    argument_spec = dict(
        api_id=dict(type="str", required=True),
        type_name=dict(type="str", required=True),
        field_name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        kind=dict(type="str", default="UNIT", choices=["UNIT", "PIPELINE"]),
        data_source_name=dict(type="str"),
        pipeline_functions=dict(type="list", elements="str"),
        **appsync.code_argument_spec()
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["code", "code_file"]],
    )
    params = module.params
    code = appsync.load_code(module, appsync.check_resolver_options)

    appsync.converge(
        module, "resolver",
        lambda client: appsync.get_resolver(client, params["api_id"], params["type_name"], params["field_name"]),
        lambda client, current: ensure_present(module, client, current, code),
        lambda client, current: ensure_absent(module, client, current),
        normalize_resolver,
    )


if __name__ == "__main__":
    main()
