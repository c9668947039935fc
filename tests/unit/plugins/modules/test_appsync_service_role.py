# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import json

import pytest
from botocore.exceptions import ClientError

from ansible_collections.multiregion.appsync.plugins.modules import appsync_service_role as module

TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/items"


def params(**overrides):
    base = {"name": "myapp-appsync-ds-eu-west-1", "path": None, "description": None, "source_account": None,
            "source_arn": None, "inline_policies": None, "purge_inline_policies": True, "tags": None,
            "purge_tags": True}
    base.update(overrides)
    return base


def policy(actions, resources=TABLE):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]}


# ---- bad input: one line naming the option ---------------------------------------------


def test_good_params():
    assert module.validate_params(params(path="/appsync/", description="Role of myapp", source_account="123456789012",
                                         source_arn="arn:aws:appsync:eu-west-1:123456789012:apis/*")) is None


@pytest.mark.parametrize("overrides, start", [
    ({"name": "my role"}, "name: role name must match pattern"),
    ({"name": "r" * 65}, "name: Length of role name may not exceed 64"),
    ({"path": "appsync"}, "path: role path must begin and end with /"),
    ({"description": "d" * 1001}, "description: at most 1000 characters"),
    ({"description": "emoji \U0001F600"}, "description: "),
    ({"source_account": "1234"}, "source_account: an account id is 12 digits, got '1234'"),
    ({"source_arn": "appsync:apis/*"}, "source_arn: not an ARN"),
])
def test_bad_params_name_the_option(overrides, start):
    assert module.validate_params(params(**overrides)).startswith(start)


def test_inline_policies_accept_dicts_and_json_strings():
    documents = module.build_inline_policies({"a": policy("dynamodb:GetItem"), "b": json.dumps(policy("dynamodb:Query"))})
    assert documents == {"a": policy("dynamodb:GetItem"), "b": policy("dynamodb:Query")}
    assert module.build_inline_policies(None) is None


@pytest.mark.parametrize("policies, message", [
    ({"bad name": policy("s3:GetObject")}, "inline_policies: 'bad name' is not a valid policy name"),
    ({"p": "{not json"}, "inline_policies.p: not valid JSON"),
    ({"p": {"Version": "2012-10-17"}}, "inline_policies.p: a policy document is an object with a Statement"),
    ({"p": "[1, 2]"}, "inline_policies.p: a policy document is an object with a Statement"),
])
def test_bad_inline_policies_name_the_entry(policies, message):
    with pytest.raises(ValueError) as error:
        module.build_inline_policies(policies)
    assert str(error.value).startswith(message)


# ---- trust policy -------------------------------------------------------------------------


def test_trust_policy_lets_appsync_assume_the_role():
    assert module.build_trust_policy() == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "appsync.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def test_trust_policy_conditions():
    statement = module.build_trust_policy("123456789012", "arn:aws:appsync:eu-west-1:123456789012:apis/*")["Statement"][0]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"},
                                      "ArnLike": {"aws:SourceArn": "arn:aws:appsync:eu-west-1:123456789012:apis/*"}}
    assert module.build_trust_policy(source_account="123456789012")["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_trust_policy_as_iam_returns_it_is_the_same():
    # What IAM gives back for the role iam_role made with the roles' old trust policy: other key order.
    returned = {"Statement": [{"Action": "sts:AssumeRole", "Principal": {"Service": "appsync.amazonaws.com"},
                               "Effect": "Allow"}], "Version": "2012-10-17"}
    assert module.same_policy(returned, module.build_trust_policy())
    assert not module.same_policy(returned, module.build_trust_policy(source_account="123456789012"))


# ---- policies compared by meaning ---------------------------------------------------------


@pytest.mark.parametrize("current, wanted", [
    (policy(["dynamodb:GetItem"]), policy("dynamodb:GetItem")),                      # one Action: list or string
    (policy(["dynamodb:Query", "dynamodb:GetItem"]), policy(["dynamodb:GetItem", "dynamodb:Query"])),  # order
    (policy("dynamodb:GetItem", [TABLE]), policy("dynamodb:GetItem", TABLE)),        # one Resource
    (json.loads(json.dumps(policy("dynamodb:GetItem"), sort_keys=True)), policy("dynamodb:GetItem")),  # key order
])
def test_same_policy_by_meaning(current, wanted):
    assert module.same_policy(current, wanted)


def test_different_policies():
    assert not module.same_policy(policy("dynamodb:GetItem"), policy(["dynamodb:GetItem", "dynamodb:PutItem"]))
    assert not module.same_policy(policy("dynamodb:GetItem"), policy("dynamodb:GetItem", TABLE + "/index/*"))
    assert not module.same_policy(None, policy("dynamodb:GetItem"))


def test_plan_policy_changes():
    current = {"keep": policy(["dynamodb:GetItem"]), "change": policy("dynamodb:Query"), "other": policy("s3:GetObject")}
    wanted = {"keep": policy("dynamodb:GetItem"), "change": policy("dynamodb:Scan"), "new": policy("dynamodb:PutItem")}
    assert module.plan_policy_changes(current, wanted, purge=True) == (
        {"change": policy("dynamodb:Scan"), "new": policy("dynamodb:PutItem")}, ["other"])
    assert module.plan_policy_changes(current, wanted, purge=False)[1] == []
    assert module.plan_policy_changes(current, None, purge=True) == ({}, [])
    assert module.plan_policy_changes(current, dict(current), purge=True) == ({}, [])


def test_policies_after():
    current = {"a": policy("s3:GetObject"), "b": policy("s3:PutObject")}
    assert module.policies_after(current, {"c": policy("sqs:SendMessage")}, ["a"]) == {
        "b": policy("s3:PutObject"), "c": policy("sqs:SendMessage")}


# ---- requests and results -----------------------------------------------------------------


def test_create_request():
    request = module.build_create_request(params(description="d"), module.build_trust_policy(), {"managed-by": "x"})
    assert request == {"RoleName": "myapp-appsync-ds-eu-west-1", "Path": "/", "Description": "d",
                       "AssumeRolePolicyDocument": json.dumps(module.build_trust_policy()),
                       "Tags": [{"Key": "managed-by", "Value": "x"}]}
    assert "Description" not in module.build_create_request(params(path="/a/"), {}, {})
    assert module.build_create_request(params(path="/a/"), {}, {})["Path"] == "/a/"


def test_path_conflict():
    role = {"RoleName": "r", "Path": "/old/"}
    assert module.path_conflict(role, None) is None
    assert module.path_conflict(role, "/old/") is None
    assert module.path_conflict(role, "/new/").startswith("path: role r exists under path /old/, not /new/")


def test_normalize_role():
    role = {"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "RoleId": "AROA1", "Path": "/",
            "AssumeRolePolicyDocument": module.build_trust_policy(), "MaxSessionDuration": 3600,
            "Tags": [{"Key": "stale", "Value": "x"}]}
    result = module.normalize_role(role, {"app": "myapp"}, {"p": policy("dynamodb:GetItem")})
    assert result["arn"] == "arn:aws:iam::123456789012:role/r"
    assert result["role_name"] == "r" and result["role_id"] == "AROA1" and result["max_session_duration"] == 3600
    assert result["tags"] == {"app": "myapp"}
    # IAM's document keys stay as they are (Statement, not statement).
    assert result["assume_role_policy_document"] == module.build_trust_policy()
    assert result["inline_policies"] == {"p": policy("dynamodb:GetItem")}
    assert "assume_role_policy_document_raw" not in result
    assert module.normalize_role(None, {}, {}) == {}


def test_role_summary_shows_what_the_module_manages():
    role = {"RoleName": "r", "Path": "/", "Description": "d", "AssumeRolePolicyDocument": {"Statement": []},
            "RoleId": "AROA1"}
    assert module.role_summary(role, {"a": "b"}, {"p": {}}) == {
        "path": "/", "description": "d", "assume_role_policy_document": {"Statement": []}, "tags": {"a": "b"},
        "inline_policies": {"p": {}}}
    assert module.role_summary(None, {}, {}) == {}


# ---- flow, with a fake client (what the module decides; the writes it makes) --------------


class FakeIAM:
    """Just enough of an IAM client: the role, its inline policies, and the write calls made."""

    def __init__(self, role=None, policies=None):
        self.role = role
        self.policies = dict(policies or {})
        self.writes = []

    def get_paginator(self, name):
        assert name == "list_role_policies"
        fake = self

        class Paginator:
            def paginate(self, RoleName):
                return type("Pages", (), {"build_full_result": lambda s: {"PolicyNames": sorted(fake.policies)}})()
        return Paginator()

    def get_role_policy(self, RoleName, PolicyName):
        return {"PolicyDocument": self.policies[PolicyName]}

    def __getattr__(self, name):
        def write(**kwargs):
            self.writes.append(name)
            return {"Role": dict(kwargs, Arn="arn:aws:iam::123456789012:role/" + kwargs.get("RoleName", ""),
                                 AssumeRolePolicyDocument=json.loads(kwargs.get("AssumeRolePolicyDocument", "{}")))}
        return write


class FakeModule:
    def __init__(self, check_mode=False, **overrides):
        self.params = params(**overrides)
        self.check_mode = check_mode


def existing_role(**extra):
    role = {"RoleName": "myapp-appsync-ds-eu-west-1", "Path": "/", "Arn": "arn:aws:iam::123456789012:role/r",
            "AssumeRolePolicyDocument": json.loads(json.dumps(module.build_trust_policy(), sort_keys=True)),
            "Tags": [{"Key": "managed-by", "Value": "multiregion.appsync"}, {"Key": "app", "Value": "myapp"}]}
    role.update(extra)
    return role


def test_rerun_with_the_same_options_writes_nothing():
    client = FakeIAM(existing_role(Description="d"), {"dynamodb-table-access": policy(["dynamodb:GetItem"])})
    fake = FakeModule(description="d", tags={"app": "myapp"},
                      inline_policies={"dynamodb-table-access": policy("dynamodb:GetItem")})
    changed, role, before, after = module.ensure_present(fake, client, client.role, fake.params["inline_policies"])
    assert not changed and client.writes == [] and before == after
    assert role["inline_policies"] == {"dynamodb-table-access": policy(["dynamodb:GetItem"])}


def test_update_in_check_mode_predicts_without_writing():
    client = FakeIAM(existing_role(), {"old": policy("s3:GetObject")})
    fake = FakeModule(check_mode=True, description="new", tags={"app": "other"},
                      inline_policies={"dynamodb-table-access": policy("dynamodb:GetItem")})
    changed, role, before, after = module.ensure_present(fake, client, client.role, fake.params["inline_policies"])
    assert changed and client.writes == []
    assert before["inline_policies"] == {"old": policy("s3:GetObject")}
    assert after["inline_policies"] == {"dynamodb-table-access": policy("dynamodb:GetItem")}
    assert after["tags"] == {"app": "other", "managed-by": "multiregion.appsync"}
    assert after["description"] == "new" and role["description"] == "new"


def test_update_writes_only_what_differs():
    client = FakeIAM(existing_role(), {"old": policy("s3:GetObject")})
    fake = FakeModule(tags={"app": "other"}, inline_policies={"dynamodb-table-access": policy("dynamodb:GetItem")})
    changed = module.ensure_present(fake, client, client.role, fake.params["inline_policies"])[0]
    assert changed and client.writes == ["tag_role", "put_role_policy", "delete_role_policy"]


def test_trust_policy_brought_back():
    client = FakeIAM(existing_role(AssumeRolePolicyDocument=policy("sts:AssumeRole", "*")))
    fake = FakeModule()
    assert module.ensure_present(fake, client, client.role, None)[0]
    assert client.writes == ["update_assume_role_policy"]


def test_create_in_check_mode_writes_nothing_and_has_no_arn():
    client = FakeIAM()
    fake = FakeModule(check_mode=True, tags={}, inline_policies={"p": policy("dynamodb:GetItem")})
    changed, role, before, after = module.ensure_present(fake, client, None, fake.params["inline_policies"])
    assert changed and client.writes == [] and before == {}
    assert "arn" not in role and role["role_name"] == "myapp-appsync-ds-eu-west-1"
    assert after["tags"] == {"managed-by": "multiregion.appsync"} and after["inline_policies"] == {"p": policy("dynamodb:GetItem")}


def test_create_then_policies():
    client = FakeIAM()
    fake = FakeModule(inline_policies={"p": policy("dynamodb:GetItem")})
    changed, role = module.ensure_present(fake, client, None, fake.params["inline_policies"])[:2]
    assert changed and client.writes == ["create_role", "put_role_policy"] and role["arn"].endswith(":role/" + fake.params["name"])


def test_path_conflict_fails_before_any_write():
    client = FakeIAM(existing_role(Path="/other/"))
    with pytest.raises(module.AnsibleIAMError) as error:
        module.ensure_present(FakeModule(path="/"), client, client.role, None)
    assert error.value.message.startswith("path: ") and client.writes == []


def test_absent_deletes_policies_then_role_and_check_mode_does_not():
    client = FakeIAM(existing_role(), {"a": policy("s3:GetObject"), "b": policy("s3:PutObject")})
    changed, role, before, after = module.ensure_absent(FakeModule(check_mode=True), client, client.role)
    assert changed and client.writes == [] and set(before["inline_policies"]) == {"a", "b"} and after == {}
    assert module.ensure_absent(FakeModule(), client, client.role)[0]
    assert client.writes == ["delete_role_policy", "delete_role_policy", "delete_role"]
    assert module.ensure_absent(FakeModule(), FakeIAM(), None) == (False, {}, {}, {})


class RefusingIAM(FakeIAM):
    """FakeIAM whose named write answers an IAM error code (the call is still recorded)."""

    def __init__(self, refused, code, role=None, policies=None):
        super().__init__(role, policies)
        self.refused, self.code = refused, code

    def get_role(self, RoleName):
        return {"Role": self.role}

    def __getattr__(self, name):
        if name != self.refused:
            return super().__getattr__(name)

        def refuse(**kwargs):
            self.writes.append(name)
            raise ClientError({"Error": {"Code": self.code, "Message": "refused"}}, name)
        return refuse


def test_a_role_another_run_created_meanwhile_is_read_back_and_converged():
    client = RefusingIAM("create_role", "EntityAlreadyExists", role=existing_role())
    fake = FakeModule(inline_policies={"p": policy("dynamodb:GetItem")})
    changed, role = module.ensure_present(fake, client, None, fake.params["inline_policies"])[:2]
    assert changed and client.writes == ["create_role", "put_role_policy"] and role["arn"] == existing_role()["Arn"]


def test_a_role_with_managed_policies_attached_is_refused_in_one_line():
    client = RefusingIAM("delete_role", "DeleteConflict", role=existing_role())
    with pytest.raises(module.AnsibleIAMError) as error:
        module.ensure_absent(FakeModule(), client, client.role)
    assert error.value.message.startswith("name: role myapp-appsync-ds-eu-west-1 still has managed policies attached")
    assert client.writes == ["delete_role"]


def test_other_create_errors_are_not_taken_for_an_existing_role():
    client = RefusingIAM("create_role", "LimitExceeded")
    with pytest.raises(module.AnsibleIAMError):
        module.ensure_present(FakeModule(), client, None, None)
    assert client.writes == ["create_role"]
