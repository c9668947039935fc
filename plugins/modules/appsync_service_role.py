#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_service_role
version_added: 0.2.0
short_description: Manage the IAM role an AWS AppSync data source assumes
description:
  - Creates, updates in place and deletes an IAM role that C(appsync.amazonaws.com) may assume, with its inline
    policies, for example the role of an AppSync data source (its C(service_role_arn)).
  - The module writes the role's trust policy itself; O(source_account) and O(source_arn) narrow it to one account's
    AppSync APIs (the confused deputy protection AWS recommends).
  - IAM role names are unique in an account, so O(name) identifies the role. Roles created by this module carry the
    tag C(managed-by=multiregion.appsync); O(purge_tags) never removes it.
  - Policy documents are compared by meaning, not as text (a single C(Action) and a one-element list are the same,
    so are reordered keys or statements), so a rerun makes no write call.
  - IAM cannot move a role to another path; a role found under another O(path) is reported, not changed.
  - IAM is global; the connection region only picks the endpoint. A role just created can be refused by AppSync for a
    few seconds (IAM propagation); M(multiregion.appsync.appsync_data_source) retries those refusals.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description:
      - The name of the role (up to 64 letters, digits and C(+=,.@_-)).
    type: str
    required: true
  state:
    description:
      - Whether the role should exist. V(absent) deletes its inline policies, then the role; a role that still has
        managed policies attached, or is in an instance profile, is refused with a message saying so.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - The path of the role, for example V(/appsync/). Defaults to V(/) for a new role; left as it is when omitted.
    type: str
  description:
    description:
      - A description of the role (up to 1000 characters). Left as it is when omitted.
    type: str
  source_account:
    description:
      - The 12-digit account whose AppSync APIs alone may assume the role (trust policy condition C(aws:SourceAccount)).
    type: str
  source_arn:
    description:
      - The ARN, wildcards allowed, of the AppSync API(s) that alone may assume the role (trust policy condition
        C(aws:SourceArn), matched with C(ArnLike)), for example V(arn:aws:appsync:eu-west-1:123456789012:apis/*).
    type: str
  inline_policies:
    description:
      - The role's inline policies, policy name to policy document (a dict, or a JSON string).
      - Left as they are when omitted. See O(purge_inline_policies) for the role's other inline policies.
    type: dict
  purge_inline_policies:
    description:
      - With O(inline_policies) set, delete the role's inline policies not named there.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The role of a DynamoDB data source, allowed two actions on one table
  multiregion.appsync.appsync_service_role:
    region: eu-west-1
    name: myapp-appsync-ds-eu-west-1
    description: AppSync data source of myapp in eu-west-1
    inline_policies:
      dynamodb-table-access:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:PutItem]
            Resource: "{{ table.table.arn }}"
    tags:
      app: myapp
  register: role

- name: The data source, with the role
  multiregion.appsync.appsync_data_source:
    region: eu-west-1
    api_id: "{{ api.api.api_id }}"
    name: items
    service_role_arn: "{{ role.role.arn }}"
    dynamodb_config:
      table_name: myapp-items

- name: A role only this account's AppSync APIs in eu-west-1 may assume
  multiregion.appsync.appsync_service_role:
    region: eu-west-1
    name: myapp-appsync-logs
    path: /appsync/
    source_account: "123456789012"
    source_arn: arn:aws:appsync:eu-west-1:123456789012:apis/*
    inline_policies:
      logs: "{{ lookup('ansible.builtin.file', 'logs-policy.json') }}"

- name: Remove the role and its inline policies
  multiregion.appsync.appsync_service_role:
    region: eu-west-1
    name: myapp-appsync-ds-eu-west-1
    state: absent
"""

RETURN = r"""
role:
  description: The role (empty after a deletion); predicted in check mode.
  returned: always
  type: dict
  contains:
    arn:
      description: The ARN of the role, for a data source's C(service_role_arn) (absent when only predicted in check mode).
      type: str
      sample: arn:aws:iam::123456789012:role/myapp-appsync-ds-eu-west-1
    role_name:
      description: The name.
      type: str
      sample: myapp-appsync-ds-eu-west-1
    role_id:
      description: The stable id IAM gave the role (absent when only predicted in check mode).
      type: str
      sample: AROA0123456789EXAMPLE
    path:
      description: The path.
      type: str
      sample: /
    description:
      description: The description.
      type: str
      returned: when set
    create_date:
      description: When the role was created (absent when only predicted in check mode).
      type: str
      sample: "2026-12-01T10:00:00+00:00"
    max_session_duration:
      description: Longest session, in seconds, IAM gives the role.
      type: int
      sample: 3600
    assume_role_policy_document:
      description: The trust policy (keys as IAM writes them).
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
               "Principal": {"Service": "appsync.amazonaws.com"}}]}
    tags:
      description: The tags.
      type: dict
      sample: {"app": "myapp", "managed-by": "multiregion.appsync"}
    inline_policies:
      description: The inline policies, name to document (keys as IAM writes them).
      type: dict
      sample: {"dynamodb-table-access": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
               "Action": ["dynamodb:GetItem"], "Resource": ["arn:aws:dynamodb:eu-west-1:123456789012:table/items"]}]}}
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import is_ansible_aws_error_code
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_iam_role
from ansible_collections.amazon.aws.plugins.module_utils.iam import list_iam_role_policies
from ansible_collections.amazon.aws.plugins.module_utils.iam import normalize_iam_role
from ansible_collections.amazon.aws.plugins.module_utils.iam import validate_iam_identifiers
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import plan_tag_changes
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after

APPSYNC_SERVICE = "appsync.amazonaws.com"
# IAM answers ConcurrentModification when two writes to one entity overlap; it wrote nothing.
IAM_RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=["ConcurrentModification"])
# IAM is eventually consistent: right after CreateRole, a write to the new role
# may still answer NoSuchEntity for a moment.
IAM_NEW_ROLE_RETRY = AWSRetry.jittered_backoff(
    retries=6, delay=1, max_delay=8, catch_extra_error_codes=["ConcurrentModification", "NoSuchEntity"]
)
POLICY_NAME = re.compile(r"[\w+=,.@-]{1,128}")
ACCOUNT_ID = re.compile(r"\d{12}")
# IAM's pattern for descriptions: tab, newlines, printable ASCII and Latin-1.
DESCRIPTION = re.compile(r"[\t\n\r\u0020-\u007e\u00a1-\u00ff]{0,1000}")


# ---------------------------------------------------------------- IAM calls
# GetRole and ListRolePolicies are amazon.aws module_utils.iam's get_iam_role and list_iam_role_policies.


@IAMErrorHandler.list_error_handler("get role policy")
@IAM_RETRY
def get_role_policy(client, role_name, policy_name):
    """The inline policy's document (botocore has decoded IAM's URL-encoded JSON), None when missing."""
    return client.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]


@IAMErrorHandler.common_error_handler("create role")
@IAM_RETRY
def create_role(client, request):
    return client.create_role(**request)["Role"]


@IAMErrorHandler.common_error_handler("update role trust policy")
@IAM_RETRY
def update_assume_role_policy(client, role_name, document):
    client.update_assume_role_policy(RoleName=role_name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.common_error_handler("update role description")
@IAM_RETRY
def update_role_description(client, role_name, description):
    client.update_role(RoleName=role_name, Description=description)


@IAMErrorHandler.common_error_handler("tag role")
@IAM_RETRY
def tag_role(client, role_name, tags):
    client.tag_role(RoleName=role_name, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag role")
@IAM_RETRY
def untag_role(client, role_name, keys):
    client.untag_role(RoleName=role_name, TagKeys=list(keys))


@IAMErrorHandler.common_error_handler("put role policy")
@IAM_NEW_ROLE_RETRY
def put_role_policy(client, role_name, policy_name, document):
    client.put_role_policy(RoleName=role_name, PolicyName=policy_name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.deletion_error_handler("delete role policy")
@IAM_RETRY
def delete_role_policy(client, role_name, policy_name):
    client.delete_role_policy(RoleName=role_name, PolicyName=policy_name)
    return True


@IAMErrorHandler.deletion_error_handler("delete role")
@IAM_RETRY
def delete_role(client, role_name):
    client.delete_role(RoleName=role_name)
    return True


# ------------------------------------------------------------- pure helpers


def validate_params(params):
    """A one-line error naming the option for bad input, or None."""
    problem = validate_iam_identifiers("role", name=params["name"])
    if problem:
        return "name: %s, got %r" % (problem, params["name"])
    problem = validate_iam_identifiers("role", path=params.get("path"))
    if problem:
        return "path: %s, got %r" % (problem, params["path"])
    description = params.get("description")
    if description is not None and not DESCRIPTION.fullmatch(description):
        return "description: at most 1000 characters, tab, newlines, printable ASCII or Latin-1"
    if params.get("source_account") is not None and not ACCOUNT_ID.fullmatch(params["source_account"]):
        return "source_account: an account id is 12 digits, got %r" % params["source_account"]
    if params.get("source_arn") is not None and not params["source_arn"].startswith("arn:"):
        return "source_arn: not an ARN: %r" % params["source_arn"]
    return None


def build_inline_policies(inline_policies):
    """inline_policies as name -> policy document dict (None stays None); raises
    ValueError naming the bad entry."""
    if inline_policies is None:
        return None
    documents = {}
    for name, document in inline_policies.items():
        if not POLICY_NAME.fullmatch(name):
            raise ValueError("inline_policies: %r is not a valid policy name (1-128 letters, digits, +=,.@_-)" % name)
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError as e:
                raise ValueError("inline_policies.%s: not valid JSON (%s)" % (name, e)) from e
        if not isinstance(document, dict) or not document.get("Statement"):
            raise ValueError("inline_policies.%s: a policy document is an object with a Statement" % name)
        documents[name] = document
    return documents


def build_trust_policy(source_account=None, source_arn=None):
    """The trust policy letting AppSync (optionally only for one account / API ARN) assume the role."""
    statement = {"Effect": "Allow", "Principal": {"Service": APPSYNC_SERVICE}, "Action": "sts:AssumeRole"}
    condition = {}
    if source_account:
        condition["StringEquals"] = {"aws:SourceAccount": source_account}
    if source_arn:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def same_policy(current, wanted):
    """True when two policy documents mean the same (amazon.aws compare_policies)."""
    return current is not None and not compare_policies(current, wanted)


def plan_policy_changes(current, wanted, purge):
    """(name -> document to put, names to delete) that bring the inline policies
    current to wanted (None: leave them alone); purge deletes those not wanted."""
    if wanted is None:
        return {}, []
    to_put = dict((name, doc) for name, doc in wanted.items() if not same_policy(current.get(name), doc))
    to_delete = sorted(name for name in current if name not in wanted) if purge else []
    return to_put, to_delete


def policies_after(current, to_put, to_delete):
    after = dict((name, doc) for name, doc in current.items() if name not in to_delete)
    after.update(to_put)
    return after


def build_create_request(params, trust, tags):
    request = {
        "RoleName": params["name"],
        "Path": params.get("path") or "/",
        "AssumeRolePolicyDocument": json.dumps(trust),
        "Tags": ansible_dict_to_boto3_tag_list(tags),
    }
    if params.get("description") is not None:
        request["Description"] = params["description"]
    return request


def path_conflict(role, path):
    """One line when the role lives under another path than asked (IAM cannot move a role), else None."""
    if path is None or role.get("Path") == path:
        return None
    return "path: role %s exists under path %s, not %s; IAM cannot move a role (delete it, or give its path)" % (
        role["RoleName"], role.get("Path"), path)


def role_summary(role, tags, inline_policies):
    """What --diff shows of a role: the settings this module manages."""
    if role is None:
        return {}
    return {
        "path": role.get("Path"),
        "description": role.get("Description"),
        "assume_role_policy_document": role.get("AssumeRolePolicyDocument"),
        "tags": dict(tags),
        "inline_policies": dict(inline_policies),
    }


def normalize_role(role, tags, inline_policies):
    """The module's `role` result: amazon.aws normalize_iam_role, with tags and inline policies."""
    if role is None:
        return {}
    result = normalize_iam_role(dict(role, Tags=ansible_dict_to_boto3_tag_list(tags)))
    result["inline_policies"] = dict(inline_policies)
    return result


# ------------------------------------------------------------------- module


def read_inline_policies(client, role_name):
    """name -> document of the role's inline policies (one gone meanwhile is left out)."""
    documents = {}
    for name in list_iam_role_policies(client, role_name):
        document = get_role_policy(client, role_name, name)
        if document is not None:
            documents[name] = document
    return documents


def create(client, request):
    """CreateRole; when the SDK's repeat after a lost answer (or another run) met the
    role already made, that role, read back."""
    try:
        return create_role(client, request)
    except is_ansible_aws_error_code("EntityAlreadyExists"):
        return get_iam_role(client, request["RoleName"])


def put_and_delete_policies(client, role_name, to_put, to_delete):
    for name in sorted(to_put):
        put_role_policy(client, role_name, name, to_put[name])
    for name in to_delete:
        delete_role_policy(client, role_name, name)


def ensure_created(module, client, trust, wanted_policies):
    """(changed, role, tags, inline policies) of a role that does not exist yet."""
    params = module.params
    tags = desired_tags(params["tags"] or {})
    request = build_create_request(params, trust, tags)
    policies = wanted_policies or {}
    role = dict(request, AssumeRolePolicyDocument=trust)
    if not module.check_mode:
        role = create(client, request)
        put_and_delete_policies(client, params["name"], policies, [])
    return True, role, tags, policies


def ensure_updated(module, client, current, current_tags, current_policies, trust, wanted_policies):
    """(changed, role, tags, inline policies) of an existing role brought to the options."""
    params = module.params
    name = current["RoleName"]
    new_trust = not same_policy(current.get("AssumeRolePolicyDocument"), trust)
    description = params["description"]
    new_description = description is not None and description != current.get("Description", "")
    tags_to_set, tags_to_unset = plan_tag_changes(current_tags, params["tags"], params["purge_tags"])
    to_put, to_delete = plan_policy_changes(current_policies, wanted_policies, params["purge_inline_policies"])
    changed = bool(new_trust or new_description or tags_to_set or tags_to_unset or to_put or to_delete)
    if changed and not module.check_mode:
        if new_trust:
            update_assume_role_policy(client, name, trust)
        if new_description:
            update_role_description(client, name, description)
        if tags_to_unset:
            untag_role(client, name, tags_to_unset)
        if tags_to_set:
            tag_role(client, name, tags_to_set)
        put_and_delete_policies(client, name, to_put, to_delete)
    role = dict(current)
    if new_trust:
        role["AssumeRolePolicyDocument"] = trust
    if new_description:
        role["Description"] = description
    return (changed, role, tags_after(current_tags, tags_to_set, tags_to_unset),
            policies_after(current_policies, to_put, to_delete))


def ensure_present(module, client, current, wanted_policies):
    """(changed, role result, diff before, diff after)."""
    params = module.params
    trust = build_trust_policy(params["source_account"], params["source_arn"])
    if current is None:
        changed, role, tags, policies = ensure_created(module, client, trust, wanted_policies)
        return changed, normalize_role(role, tags, policies), {}, role_summary(role, tags, policies)
    error = path_conflict(current, params["path"])
    if error:
        raise AnsibleIAMError(message=error)
    current_tags = boto3_tag_list_to_ansible_dict(current.get("Tags") or [])
    current_policies = read_inline_policies(client, current["RoleName"])
    changed, role, tags, policies = ensure_updated(module, client, current, current_tags, current_policies,
                                                   trust, wanted_policies)
    return (changed, normalize_role(role, tags, policies), role_summary(current, current_tags, current_policies),
            role_summary(role, tags, policies))


def ensure_absent(module, client, current):
    """(changed, role result, diff before, diff after): inline policies, then the role."""
    if current is None:
        return False, {}, {}, {}
    name = current["RoleName"]
    policies = read_inline_policies(client, name)
    before = role_summary(current, boto3_tag_list_to_ansible_dict(current.get("Tags") or []), policies)
    if not module.check_mode:
        put_and_delete_policies(client, name, {}, sorted(policies))
        try:
            delete_role(client, name)
        except is_ansible_aws_error_code("DeleteConflict") as error:
            raise AnsibleIAMError(
                message="name: role %s still has managed policies attached or is in an instance profile;"
                        " detach or remove those first" % name, exception=error.exception) from error
    return True, {}, before, {}


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        path=dict(type="str"),
        description=dict(type="str"),
        source_account=dict(type="str"),
        source_arn=dict(type="str"),
        inline_policies=dict(type="dict"),
        purge_inline_policies=dict(type="bool", default=True),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    error = validate_params(module.params)
    if error:
        module.fail_json(msg=error)
    try:
        wanted_policies = build_inline_policies(module.params["inline_policies"])
    except ValueError as e:
        module.fail_json(msg=str(e))
    client = module.client("iam")
    try:
        current = get_iam_role(client, module.params["name"])
        if module.params["state"] == "present":
            changed, role, before, after = ensure_present(module, client, current, wanted_policies)
        else:
            changed, role, before, after = ensure_absent(module, client, current)
    except AnsibleIAMError as e:
        module.fail_json_aws_error(e)
    result = dict(changed=changed, role=role)
    if module._diff:
        result["diff"] = dict(before=before, after=after)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
