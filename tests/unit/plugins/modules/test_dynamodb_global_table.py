# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy

import pytest
import yaml
from botocore.exceptions import ClientError

from ansible_collections.multiregion.appsync.plugins.module_utils import dynamodb as ddb
from ansible_collections.multiregion.appsync.plugins.modules import dynamodb_global_table as mod

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/items"
READS = ("describe_table", "describe_continuous_backups", "list_tags_of_resource")


# --------------------------------------------------------------------------- documentation vs argument_spec

def _compare(doc_options, spec, path=""):
    for name, spec_entry in spec.items():
        doc = doc_options.get(name)
        assert doc is not None, "option %s%s is not documented" % (path, name)
        assert doc.get("type", "str") == spec_entry.get("type", "str"), path + name
        assert doc.get("default") == spec_entry.get("default"), path + name
        assert bool(doc.get("required")) == bool(spec_entry.get("required")), path + name
        assert doc.get("choices") == spec_entry.get("choices"), path + name
        assert doc.get("elements") == spec_entry.get("elements"), path + name
        assert sorted(doc.get("aliases") or []) == sorted(spec_entry.get("aliases") or []), path + name
        if spec_entry.get("options"):
            _compare(doc["suboptions"], spec_entry["options"], path + name + ".")
    assert set(doc_options) <= set(spec), "documented but not in argument_spec: %s" % (set(doc_options) - set(spec))


def test_documentation_matches_argument_spec():
    doc = yaml.safe_load(mod.DOCUMENTATION)
    spec = mod.argument_spec()
    # tags/purge_tags come from the amazon.aws.tags fragment, documented there
    assert "amazon.aws.tags" in doc["extends_documentation_fragment"]
    fragment = {"tags": {"type": "dict", "aliases": ["resource_tags"]}, "purge_tags": {"type": "bool", "default": True}}
    _compare(dict(doc["options"], **fragment), spec)
    assert "region" not in spec


def test_interface_defaults():
    spec = mod.argument_spec()
    assert spec["billing_mode"]["default"] == "PAY_PER_REQUEST"
    assert spec["deletion_protection"]["default"] is True
    assert spec["point_in_time_recovery"]["default"] is True
    assert spec["purge_replicas"]["default"] is False
    assert spec["wait_timeout"]["default"] == 900
    assert "default" not in spec["replicas"]


# --------------------------------------------------------------------------- ensure_present / ensure_absent with a fake client

class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, check_mode=False, diff=False, **overrides):
        self.params = {name: entry.get("default") for name, entry in mod.argument_spec().items()}
        self.params.update({"name": "items", "hash_key": {"name": "pk", "type": "S"}})
        self.params.update(overrides)
        self.check_mode = check_mode
        self._diff = diff
        self.region = "us-east-1"

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


def described(**overrides):
    table = {
        "TableName": "items",
        "TableArn": ARN,
        "TableStatus": "ACTIVE",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "LatestStreamArn": ARN + "/stream/1",
        "DeletionProtectionEnabled": True,
    }
    table.update(overrides)
    return table


class FakeDynamoDB:
    """Records every call; describe_table answers from a script (the last entry repeats)."""

    def __init__(self, tables, update_errors=()):
        self.tables = list(tables)
        self.update_errors = list(update_errors)
        self.calls = []
        self.tags = {"managed-by": "multiregion.appsync"}

    def writes(self):
        return [call[0] for call in self.calls if call[0] not in READS]

    def describe_table(self, TableName):
        self.calls.append(("describe_table", TableName))
        table = self.tables.pop(0) if len(self.tables) > 1 else self.tables[0]
        if table is None:
            raise ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "nope"}}, "DescribeTable")
        return {"Table": copy.deepcopy(table)}

    def describe_continuous_backups(self, TableName):
        self.calls.append(("describe_continuous_backups", TableName))
        return {"ContinuousBackupsDescription": {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}}}

    def list_tags_of_resource(self, ResourceArn):
        self.calls.append(("list_tags_of_resource", ResourceArn))
        return {"Tags": [{"Key": k, "Value": v} for k, v in self.tags.items()]}

    def update_table(self, **kwargs):
        self.calls.append(("update_table", kwargs))
        if self.update_errors:
            raise self.update_errors.pop(0)
        return {"TableDescription": described(TableStatus="UPDATING")}

    def __getattr__(self, name):  # any other (write) call
        def call(**kwargs):
            self.calls.append((name, kwargs))
            return {}

        return call


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch):
    monkeypatch.setattr(ddb, "POLL_FIRST", 0.001)


def test_absent_without_confirmation_fails_before_any_write():
    client = FakeDynamoDB([described(DeletionProtectionEnabled=False)])
    with pytest.raises(Failed, match="confirm_deletion"):
        mod.ensure_absent(FakeModule(state="absent"), client)
    assert client.writes() == []


def test_absent_refused_under_deletion_protection():
    client = FakeDynamoDB([described()])
    with pytest.raises(Failed, match="deletion protection"):
        mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", purge_replicas=True), client)
    assert client.writes() == []


def test_absent_refused_while_replicas_exist_unless_purged():
    table = described(DeletionProtectionEnabled=False, Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    client = FakeDynamoDB([table])
    with pytest.raises(Failed, match="eu-west-1"):
        mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items"), client)
    assert client.writes() == []
    client = FakeDynamoDB([table, table, described(DeletionProtectionEnabled=False), None])  # read, wait, delete, gone
    result = mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", purge_replicas=True), client)
    assert result["changed"] is True
    assert client.writes() == ["update_table", "delete_table"]
    assert client.calls[[call[0] for call in client.calls].index("update_table")][1]["ReplicaUpdates"] == [
        {"Delete": {"RegionName": "eu-west-1"}}]


def test_absent_check_mode_writes_nothing():
    client = FakeDynamoDB([described(DeletionProtectionEnabled=False)])
    result = mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", check_mode=True), client)
    assert result["changed"] is True
    assert client.writes() == []


def test_create_in_check_mode_only_reads():
    client = FakeDynamoDB([None])
    result = mod.ensure_present(FakeModule(check_mode=True, replicas=["eu-west-1"]), client)
    assert result["changed"] is True
    assert result["replica_plan"]["add"] == ["eu-west-1"]
    assert result["table"]["table_arn"] is None
    assert client.writes() == []


def test_up_to_date_table_is_unchanged_with_zero_writes():
    client = FakeDynamoDB([described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])])
    result = mod.ensure_present(FakeModule(replicas=["eu-west-1"], diff=True), client)
    assert result["changed"] is False
    assert client.writes() == []
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["table"]["replicas"] == [{"region_name": "eu-west-1", "replica_status": "ACTIVE"}]


def test_replica_added_meanwhile_by_another_host_is_success_without_change():
    busy = ClientError({"Error": {"Code": "ResourceInUseException", "Message": "in use"}}, "UpdateTable")
    mine = described()
    theirs = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    client = FakeDynamoDB([mine, mine, theirs], update_errors=[busy])
    result = mod.ensure_present(FakeModule(replicas=["eu-west-1"]), client)
    assert result["changed"] is False
    assert client.writes() == ["update_table"]


def test_missing_hash_key_for_a_new_table_fails_before_writes():
    client = FakeDynamoDB([None])
    with pytest.raises(Failed, match="hash_key"):
        mod.ensure_present(FakeModule(hash_key=None), client)
    assert client.writes() == []


def test_a_change_that_never_shows_up_is_requested_once_not_in_a_loop():
    # The table keeps reading back the old value (e.g. a comparison AWS never satisfies):
    # one UpdateTable per change found, never an endless series of writes.
    client = FakeDynamoDB([described()])
    original = client.update_table

    def update_table(**kwargs):
        assert len(client.writes()) < 3, "UpdateTable repeated: %s" % client.writes()
        return original(**kwargs)

    client.update_table = update_table
    result = mod.ensure_present(FakeModule(deletion_protection=False, wait=False), client)
    assert result["changed"] is True
    assert client.writes() == ["update_table"]


def test_a_failed_replica_fails_the_run_naming_it_instead_of_waiting():
    table = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "CREATION_FAILED"}])
    client = FakeDynamoDB([table])
    with pytest.raises(Failed, match=r"replicas: .*eu-west-1 \(CREATION_FAILED\)"):
        mod.ensure_present(FakeModule(replicas=["eu-west-1"], wait_timeout=1), client)
    assert client.writes() == []


class FakeKMS:
    def __init__(self):
        self.calls = []

    def describe_key(self, KeyId):
        self.calls.append(KeyId)
        return {"KeyMetadata": {"KeyId": "abc", "Arn": "arn:aws:kms:us-east-1:123456789012:key/abc"}}


@pytest.mark.parametrize("alias", ["alias/items", "arn:aws:kms:us-east-1:123456789012:alias/items"])
def test_a_kms_alias_is_compared_as_the_key_arn_so_a_rerun_is_unchanged(alias):
    # DescribeTable reports the key's ARN, never the alias: without resolving it every run would re-encrypt
    kms = FakeKMS()
    module = FakeModule(sse={"enabled": True, "kms_key_id": alias})
    module.client = lambda service, **kwargs: kms
    mod.resolve_kms_alias(module)
    assert kms.calls == [alias]
    assert module.params["sse"]["kms_key_id"] == "arn:aws:kms:us-east-1:123456789012:key/abc"
    encrypted = described(SSEDescription={"Status": "ENABLED", "SSEType": "KMS",
                                          "KMSMasterKeyArn": "arn:aws:kms:us-east-1:123456789012:key/abc"})
    client = FakeDynamoDB([encrypted])
    assert mod.ensure_present(module, client)["changed"] is False
    assert client.writes() == []


def test_a_key_id_or_arn_needs_no_kms_call():
    module = FakeModule(sse={"enabled": True, "kms_key_id": "abc"})
    module.client = None  # any call fails
    mod.resolve_kms_alias(module)
    assert module.params["sse"]["kms_key_id"] == "abc"
    assert not ddb.is_kms_alias("arn:aws:kms:us-east-1:123456789012:key/abc")
    assert not ddb.is_kms_alias(None)


def test_a_stream_of_another_view_type_is_replaced_in_two_requests():
    keys_only = described(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    off = described(StreamSpecification={"StreamEnabled": False})
    client = FakeDynamoDB([keys_only, keys_only, off, described()])
    result = mod.ensure_present(FakeModule(), client)
    assert result["changed"] is True
    updates = [call[1] for call in client.calls if call[0] == "update_table"]
    assert updates == [
        {"TableName": "items", "StreamSpecification": {"StreamEnabled": False}},
        {"TableName": "items", "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}},
    ]


def test_a_failed_replica_left_alone_is_a_warning_not_a_failure():
    table = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "REGION_DISABLED"}])
    module = FakeModule()  # replicas unset: the replica set is left alone
    warnings = []
    module.warn = warnings.append
    result = mod.ensure_present(module, FakeDynamoDB([table]))
    assert result["changed"] is False
    assert len(warnings) == 1 and "eu-west-1 (REGION_DISABLED)" in warnings[0]
