#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_data_source
version_added: 0.1.0
short_description: Manage the data sources of an AWS AppSync GraphQL API
description:
  - Creates, updates in place and deletes one data source of an AppSync GraphQL API.
  - Data source names are unique within an API, so O(api_id) and O(name) identify it.
  - The API is looked up only when the data source is not found (to tell a missing API from a missing data
    source), so a rerun reads the data source alone.
  - Supports C(AMAZON_DYNAMODB), C(NONE), C(HTTP) and C(AWS_LAMBDA) data sources.
  - A role created just before (IAM propagates new roles in a few seconds) can be refused for a moment;
    the module retries those refusals, for about a minute at most, and fails at once on any other.
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
      - The name of the data source (letters, digits and underscores, not starting with a digit).
    type: str
    required: true
  state:
    description:
      - Whether the data source should exist.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - The type of the data source.
      - Defaults to V(AMAZON_DYNAMODB) when O(dynamodb_config) is given, V(HTTP) with O(http_config),
        V(AWS_LAMBDA) with O(lambda_config), and V(NONE) otherwise.
    type: str
    choices: [AMAZON_DYNAMODB, NONE, HTTP, AWS_LAMBDA]
  description:
    description:
      - A description of the data source. Left as it is when omitted.
    type: str
  service_role_arn:
    description:
      - The ARN of the IAM role AppSync assumes to reach the data source.
      - Left as it is when omitted (a V(NONE) data source has no role).
      - In check mode, V(pending-creation.invalid) stands for a role still to be created; a real run refuses it.
    type: str
  dynamodb_config:
    description:
      - The DynamoDB table of an V(AMAZON_DYNAMODB) data source.
    type: dict
    suboptions:
      table_name:
        description: The name of the table.
        type: str
        required: true
      table_region:
        description: The region of the table. Defaults to the connection region.
        type: str
      versioned:
        description: Whether conflict detection and resolution (versioning) is enabled.
        type: bool
        default: false
      use_caller_credentials:
        description: Whether AppSync calls DynamoDB with the caller's IAM credentials.
        type: bool
        default: false
  http_config:
    description:
      - The endpoint of an V(HTTP) data source.
    type: dict
    suboptions:
      endpoint:
        description: The HTTP(S) endpoint URL.
        type: str
        required: true
  lambda_config:
    description:
      - The function of an V(AWS_LAMBDA) data source.
    type: dict
    suboptions:
      lambda_function_arn:
        description: The ARN of the Lambda function.
        type: str
        required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The items table as a data source
  multiregion.appsync.appsync_data_source:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: items
    service_role_arn: "{{ role_arn }}"
    dynamodb_config:
      table_name: items

- name: A data source for local resolvers
  multiregion.appsync.appsync_data_source:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: none
    type: NONE

- name: Remove a data source
  multiregion.appsync.appsync_data_source:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: old_source
    state: absent
"""

RETURN = r"""
data_source:
  description: The data source as AppSync describes it (empty after a deletion).
  returned: always
  type: dict
  contains:
    name:
      description: The name.
      type: str
      sample: items
    data_source_arn:
      description: The ARN (absent when only predicted in check mode).
      type: str
      sample: arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz/datasources/items
    type:
      description: The type.
      type: str
      sample: AMAZON_DYNAMODB
    description:
      description: The description.
      type: str
      returned: when set
    service_role_arn:
      description: The service role ARN.
      type: str
      returned: when set
    dynamodb_config:
      description: The DynamoDB settings.
      type: dict
      returned: for AMAZON_DYNAMODB data sources
      sample: {"table_name": "items", "aws_region": "us-east-1", "versioned": false, "use_caller_credentials": false}
    http_config:
      description: The HTTP settings.
      type: dict
      returned: for HTTP data sources
    lambda_config:
      description: The Lambda settings.
      type: dict
      returned: for AWS_LAMBDA data sources
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import builders
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import calls
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import flow
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_client
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_target
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_data_source
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import to_snake
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import as_list
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import converged
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import unequal
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import placeholder_error


def create_data_source(module, client, request):
    """CreateDataSource through a client whose SDK does not repeat it: after a
    lost answer the data source is read back instead of failing as a duplicate;
    one made by another run meanwhile (under a lock on the name) is adopted and
    brought to request."""
    api_id = module.params["api_id"]
    once = creation_client(module)
    made = create_once(
        lambda: calls.create_data_source(once, api_id, request),
        lambda: as_list(calls.get_data_source(client, api_id, request["name"])),
        lambda data_source: data_source["name"],
        creation_target(client, "AppSync data source", request["name"], api_id),
    )
    return converged(made, lambda found: unequal(builders.data_source_changes(found, request)),
                     lambda: calls.update_data_source(client, api_id, request))


def ensure_present(module, client, current):
    api_id = module.params["api_id"]
    request = builders.build_data_source_request(module.params, module.region, current)
    return flow.apply_request(
        module, current, request, builders.data_source_changes(current, request),
        create=lambda: create_data_source(module, client, request),
        update=lambda: calls.update_data_source(client, api_id, request),
    )


def ensure_absent(module, client, current):
    if current is None:
        return False, None, {}, {}
    if not module.check_mode:
        calls.delete_data_source(client, module.params["api_id"], module.params["name"])
    return True, None, to_snake(builders.data_source_changes(current, {})[0]), {}


def main():
    argument_spec = dict(
        api_id=dict(type="str", required=True),
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        type=dict(type="str", choices=["AMAZON_DYNAMODB", "NONE", "HTTP", "AWS_LAMBDA"]),
        description=dict(type="str"),
        service_role_arn=dict(type="str"),
        dynamodb_config=dict(type="dict", options=dict(
            table_name=dict(type="str", required=True),
            table_region=dict(type="str"),
            versioned=dict(type="bool", default=False),
            use_caller_credentials=dict(type="bool", default=False),
        )),
        http_config=dict(type="dict", options=dict(endpoint=dict(type="str", required=True))),
        lambda_config=dict(type="dict", options=dict(lambda_function_arn=dict(type="str", required=True))),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    if params["state"] == "present":
        error = builders.check_data_source_options(params) or placeholder_error(params, ["service_role_arn"], module.check_mode)
        if error:
            module.fail_json(msg=error)
    try:
        result = flow.converge(
            module, module.client("appsync"), "data_source",
            lambda client: calls.get_data_source(client, params["api_id"], params["name"]),
            lambda client, current, api_exists: ensure_present(module, client, current),
            lambda client, current: ensure_absent(module, client, current),
            normalize_data_source,
        )
    except AnsibleAppSyncError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
