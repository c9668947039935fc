#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_function
version_added: 0.1.0
short_description: Manage the functions of an AWS AppSync GraphQL API
description:
  - Creates, updates in place and deletes one AppSync function, the step of a V(PIPELINE) resolver
    (see M(multiregion.appsync.appsync_resolver)).
  - AppSync identifies functions by a generated id; this module identifies them by O(name) within
    the API and fails, naming their ids, when several functions share that name.
  - Code runs on the V(APPSYNC_JS) runtime (O(code) or O(code_file)); VTL functions use
    O(request_template) and O(response_template) instead.
  - Before it creates or updates the function the module checks that O(data_source_name) exists; the API is
    looked up only when no function of the name is found. A rerun that changes nothing reads the functions only.
  - CreateFunction has no idempotency token, so the module never repeats it blindly. When its answer is
    lost (a 5xx or a dropped connection), the function is looked for by name before it is created again.
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
  name:
    description:
      - The name of the function (letters, digits and underscores, not starting with a digit).
    type: str
    required: true
  state:
    description:
      - Whether the function should exist. A function still used by a resolver cannot be deleted.
    type: str
    choices: [present, absent]
    default: present
  data_source_name:
    description:
      - The data source the function calls (required with O(state=present)).
    type: str
  description:
    description:
      - A description of the function. Left as it is when omitted.
    type: str
  function_version:
    description:
      - The VTL version of a VTL function. Defaults to V(2018-05-29) for VTL functions; unused with code.
    type: str
extends_documentation_fragment:
  - multiregion.appsync.appsync_code
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A function that stores an item
  multiregion.appsync.appsync_function:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: save_item
    data_source_name: items
    code_file: "{{ role_path }}/files/functions/save_item.js"

- name: Remove a function
  multiregion.appsync.appsync_function:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: save_item
    state: absent
"""

RETURN = r"""
function:
  description: The function as AppSync describes it (empty after a deletion).
  returned: always
  type: dict
  contains:
    function_id:
      description: The id (absent when only predicted in check mode).
      type: str
      sample: abcdefghijklmnopqrstuvwxyz
    function_arn:
      description: The ARN (absent when only predicted in check mode).
      type: str
      sample: arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz/functions/abcdefghijklmnopqrstuvwxyz
    name:
      description: The name.
      type: str
      sample: save_item
    data_source_name:
      description: The data source.
      type: str
      sample: items
    runtime:
      description: The runtime of the code.
      type: dict
      returned: for APPSYNC_JS functions
      sample: {"name": "APPSYNC_JS", "runtime_version": "1.0.0"}
    code:
      description: The function code.
      type: str
      returned: for APPSYNC_JS functions
    request_mapping_template:
      description: The VTL request template.
      type: str
      returned: for VTL functions
    response_mapping_template:
      description: The VTL response template.
      type: str
      returned: for VTL functions
    function_version:
      description: The VTL version.
      type: str
      returned: for VTL functions
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import builders
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import calls
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import flow
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_client
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_target
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_function
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import to_snake
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import as_list
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import converged
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import unequal


def find_function(module, client):
    """The function of this name, None when there is none; fails when several share it."""
    name = module.params["name"]
    matches = [f for f in calls.list_functions(client, module.params["api_id"]) if f.get("name") == name]
    if len(matches) > 1:
        module.fail_json(msg="%d AppSync functions are named %s: %s; delete or rename all but one" % (
            len(matches), name, ", ".join(sorted(f["functionId"] for f in matches))))
    return matches[0] if matches else None


def create_function(module, client, request):
    """CreateFunction, safe against a lost answer and a concurrent run: the SDK
    does not repeat it, and the function is looked for by name (under a lock on
    the name) before it is created again; one another run made is adopted and
    brought to request."""
    api_id = module.params["api_id"]
    once = creation_client(module)
    made = create_once(
        lambda: calls.create_function(once, api_id, request),
        lambda: as_list(find_function(module, client)),
        lambda function: function["functionId"],
        creation_target(client, "AppSync function", module.params["name"], api_id),
    )
    return converged(made, lambda found: unequal(builders.function_changes(found, request)),
                     lambda: calls.update_function(client, api_id, made.resources[0]["functionId"], request))


def ensure_present(module, client, current, code, api_exists):
    """The function converged; before a write its data source must exist, unless
    the API itself is still to be created (check mode), when there is nothing to
    read. A function already as desired is not checked again (a rerun reads no data source)."""
    params = module.params
    request = builders.build_function_request(params, code, current)
    changes = builders.function_changes(current, request)
    if api_exists and flow.needs_write(current, changes) and calls.get_data_source(client, params["api_id"], params["data_source_name"]) is None:
        module.fail_json(msg="data_source_name=%s: no such data source on API %s" % (params["data_source_name"], params["api_id"]))
    return flow.apply_request(
        module, current, request, changes,
        create=lambda: create_function(module, client, request),
        update=lambda: calls.update_function(client, params["api_id"], current["functionId"], request),
    )


def ensure_absent(module, client, current):
    if current is None:
        return False, None, {}, {}
    if not module.check_mode:
        calls.delete_function(client, module.params["api_id"], current["functionId"])
    return True, None, to_snake(builders.function_changes(current, {})[0]), {}


def main():
    argument_spec = dict(
        api_id=dict(type="str", required=True),
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        data_source_name=dict(type="str"),
        description=dict(type="str"),
        function_version=dict(type="str"),
        **flow.code_argument_spec()
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[["code", "code_file"]],
        required_if=[["state", "present", ["data_source_name"]]],
    )
    try:
        code = flow.load_code(module.params, lambda p, c: builders.check_name("name", p["name"]) or builders.check_code_options(p, c))
        result = flow.converge(
            module, module.client("appsync"), "function",
            lambda client: find_function(module, client),
            lambda client, current, api_exists: ensure_present(module, client, current, code, api_exists),
            lambda client, current: ensure_absent(module, client, current),
            normalize_function,
        )
    except AnsibleAppSyncError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
