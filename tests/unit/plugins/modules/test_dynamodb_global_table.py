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
        self.replica_clients = {}

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def client(self, service, region=None, **kwargs):
        """The DynamoDB client of a replica region: a replica protected, with PITR on, unless a test set another."""
        assert service == "dynamodb"
        if region not in self.replica_clients:
            self.replica_clients[region] = FakeDynamoDB([described(TableArn=ARN.replace("us-east-1", region))])
        return self.replica_clients[region]


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


def test_absent_turns_the_protection_off_just_before_the_deletion_when_asked():
    protected = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    # a replica without purge_replicas: refused before any write, the protection left on
    client = FakeDynamoDB([protected])
    with pytest.raises(Failed, match="eu-west-1"):
        mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", deletion_protection=False), client)
    assert client.writes() == []
    # check mode predicts the deletion, writes nothing
    client = FakeDynamoDB([described()])
    assert mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", deletion_protection=False, check_mode=True),
                             client)["changed"]
    assert client.writes() == []
    client = FakeDynamoDB([described(), described(), described(DeletionProtectionEnabled=False), None])  # read, idle, idle, gone
    result = mod.ensure_absent(FakeModule(state="absent", confirm_deletion="items", deletion_protection=False), client)
    assert result["changed"] and client.writes() == ["update_table", "delete_table"]
    assert client.calls[[call[0] for call in client.calls].index("update_table")][1] == {"TableName": "items", "DeletionProtectionEnabled": False}


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
    assert result["table"]["replicas"] == [{"region_name": "eu-west-1", "replica_status": "ACTIVE",
                                            "deletion_protection": True, "point_in_time_recovery": True}]


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
    mod.resolve_kms_aliases(module)
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
    mod.resolve_kms_aliases(module)
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


def test_a_failed_replica_left_alone_is_a_warning_not_a_failure(warnings_seen):
    table = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "REGION_DISABLED"}])
    module = FakeModule()  # replicas unset: the replica set is left alone
    result = mod.ensure_present(module, FakeDynamoDB([table]))
    assert result["changed"] is False
    assert len(warnings_seen) == 1 and "eu-west-1 (REGION_DISABLED)" in warnings_seen[0]


# --------------------------------------------------------------------------- replicas' own settings (issue 10 item 3)

class FakeReplicaRegion(FakeDynamoDB):
    """A replica's table in its own region: UpdateTable and UpdateContinuousBackups change what it reads back."""

    def __init__(self, protected=False, pitr=False, table=None):
        super().__init__([table or described(DeletionProtectionEnabled=protected)])
        self.pitr = "ENABLED" if pitr else "DISABLED"

    def describe_continuous_backups(self, TableName):
        self.calls.append(("describe_continuous_backups", TableName))
        return {"ContinuousBackupsDescription": {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": self.pitr}}}

    def update_table(self, **kwargs):
        self.calls.append(("update_table", kwargs))
        if "DeletionProtectionEnabled" in kwargs:
            self.tables[0]["DeletionProtectionEnabled"] = kwargs["DeletionProtectionEnabled"]
        return {"TableDescription": copy.deepcopy(self.tables[0])}

    def update_continuous_backups(self, TableName, PointInTimeRecoverySpecification):
        self.calls.append(("update_continuous_backups", PointInTimeRecoverySpecification))
        self.pitr = "ENABLED" if PointInTimeRecoverySpecification["PointInTimeRecoveryEnabled"] else "DISABLED"


def with_replica(*regions):
    return described(Replicas=[{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in regions])


def writes_by_region(module):
    return dict((region, fake.writes()) for region, fake in sorted(module.replica_clients.items()) if fake.writes())


def test_a_listed_replica_gets_protection_and_pitr_in_its_own_region_then_a_rerun_writes_nothing():
    module = FakeModule(replicas=["eu-west-1"], diff=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False, pitr=False)
    client = FakeDynamoDB([with_replica("eu-west-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert client.writes() == []  # nothing on the main table
    replica = module.replica_clients["eu-west-1"]
    assert [c for c in replica.calls if c[0] in ("update_table", "update_continuous_backups")] == [
        ("update_table", {"TableName": "items", "DeletionProtectionEnabled": True}),
        ("update_continuous_backups", {"PointInTimeRecoveryEnabled": True})]
    assert result["table"]["replicas"] == [{"region_name": "eu-west-1", "replica_status": "ACTIVE",
                                            "deletion_protection": True, "point_in_time_recovery": True}]
    assert result["diff"]["before"]["replica_settings"] == {
        "eu-west-1": {"deletion_protection": False, "point_in_time_recovery": False}}
    assert result["diff"]["after"]["replica_settings"] == {
        "eu-west-1": {"deletion_protection": True, "point_in_time_recovery": True}}

    rerun = FakeModule(replicas=["eu-west-1"])
    rerun.replica_clients["eu-west-1"] = replica
    replica.calls = []
    result = mod.ensure_present(rerun, FakeDynamoDB([with_replica("eu-west-1")]))
    assert result["changed"] is False
    assert replica.writes() == []


def test_replica_settings_in_check_mode_are_predicted_without_writes():
    module = FakeModule(replicas=["eu-west-1"], check_mode=True, diff=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False, pitr=True)
    client = FakeDynamoDB([with_replica("eu-west-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert client.writes() == [] and writes_by_region(module) == {}
    assert result["diff"]["after"]["replica_settings"]["eu-west-1"] == {
        "deletion_protection": True, "point_in_time_recovery": True}


def test_replica_options_override_the_main_tables_settings():
    module = FakeModule(replicas=["eu-west-1"], replica_deletion_protection=False, replica_point_in_time_recovery=False)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=True, pitr=True)
    result = mod.ensure_present(module, FakeDynamoDB([with_replica("eu-west-1")]))
    assert result["changed"] is True
    assert [c[1] for c in module.replica_clients["eu-west-1"].calls if c[0] != "describe_table"
            and c[0] != "describe_continuous_backups"] == [
        {"TableName": "items", "DeletionProtectionEnabled": False}, {"PointInTimeRecoveryEnabled": False}]
    assert result["table"]["deletion_protection_enabled"] is True  # the main table keeps its own


def test_replicas_not_listed_are_left_alone():
    module = FakeModule()  # replicas unset
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False, pitr=False)
    result = mod.ensure_present(module, FakeDynamoDB([with_replica("eu-west-1")]))
    assert result["changed"] is False
    assert writes_by_region(module) == {}
    assert result["table"]["replicas"][0]["deletion_protection"] is False


def test_a_new_replica_gets_its_settings_once_it_is_active():
    module = FakeModule(replicas=["eu-west-1"])
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False, pitr=False)
    client = FakeDynamoDB([described(), described(), with_replica("eu-west-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert client.writes() == ["update_table"]
    assert writes_by_region(module) == {"eu-west-1": ["update_table", "update_continuous_backups"]}


def test_a_replica_removed_has_its_own_protection_turned_off_first_and_only_its_own():
    module = FakeModule(replicas=["eu-west-1"], purge_replicas=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=True, pitr=True)
    module.replica_clients["sa-east-1"] = FakeReplicaRegion(protected=True, pitr=True)
    client = FakeDynamoDB([with_replica("eu-west-1", "sa-east-1")] * 2 + [with_replica("eu-west-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert writes_by_region(module) == {"sa-east-1": ["update_table"]}
    assert module.replica_clients["sa-east-1"].tables[0]["DeletionProtectionEnabled"] is False
    assert module.replica_clients["eu-west-1"].tables[0]["DeletionProtectionEnabled"] is True
    updates = [call[1] for call in client.calls if call[0] == "update_table"]
    assert updates == [{"TableName": "items", "ReplicaUpdates": [{"Delete": {"RegionName": "sa-east-1"}}]}]


def test_absent_turns_off_a_replicas_protection_before_removing_it():
    table = described(DeletionProtectionEnabled=False, Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    module = FakeModule(state="absent", confirm_deletion="items", purge_replicas=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=True)
    client = FakeDynamoDB([table, table, described(DeletionProtectionEnabled=False), None])
    mod.ensure_absent(module, client)
    assert writes_by_region(module) == {"eu-west-1": ["update_table"]}
    assert module.replica_clients["eu-west-1"].tables[0]["DeletionProtectionEnabled"] is False


# --------------------------------------------------------------------------- changed after deleting replicas (issue 10 item 10)

def test_absent_is_changed_when_it_removed_replicas_even_if_the_table_went_meanwhile():
    # The replica is removed; by the time DeleteTable would run, another host deleted the table:
    # the run still changed something (the replica), it must say so.
    table = described(DeletionProtectionEnabled=False, Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"}])
    module = FakeModule(state="absent", confirm_deletion="items", purge_replicas=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False)
    client = FakeDynamoDB([table, table, None])
    result = mod.ensure_absent(module, client)
    assert client.writes() == ["update_table"]
    assert result["changed"] is True


# --------------------------------------------------------------------------- what AWS refuses for global tables (issue 10 item 4)

def test_a_replica_gets_its_regions_kms_key_on_creation_and_an_existing_one_is_moved_to_it():
    key_main = "arn:aws:kms:us-east-1:123456789012:key/main"
    key_eu = "arn:aws:kms:eu-west-1:123456789012:key/eu"
    key_sa = "arn:aws:kms:sa-east-1:123456789012:key/sa"
    encrypted = {"SSEDescription": {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key_main}}
    module = FakeModule(replicas=["eu-west-1", "sa-east-1"], sse={"enabled": True, "kms_key_id": key_main},
                        replica_kms_keys={"eu-west-1": key_eu, "sa-east-1": key_sa})
    stale = dict(described(), SSEDescription={"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": "arn:old"})
    module.replica_clients["sa-east-1"] = FakeReplicaRegion(protected=True, pitr=True, table=stale)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=True, pitr=True)
    main = described(**encrypted)
    client = FakeDynamoDB([dict(main, Replicas=[{"RegionName": "sa-east-1", "ReplicaStatus": "ACTIVE"}])])
    mod.ensure_present(module, client)
    updates = [call[1]["ReplicaUpdates"] for call in client.calls if call[0] == "update_table"]
    assert updates == [[{"Create": {"RegionName": "eu-west-1", "KMSMasterKeyId": key_eu}}],
                       [{"Update": {"RegionName": "sa-east-1", "KMSMasterKeyId": key_sa}}]]


def test_replica_kms_aliases_are_resolved_in_their_own_region():
    regions = []

    class RegionalKMS:
        def __init__(self, region):
            self.region = region

        def describe_key(self, KeyId):
            regions.append((self.region, KeyId))
            return {"KeyMetadata": {"Arn": "arn:aws:kms:%s:123456789012:key/k" % self.region}}

    module = FakeModule(replicas=["eu-west-1", "us-east-1"], sse={"enabled": True, "kms_key_id": "k1"},
                        replica_kms_keys={"eu-west-1": "alias/items", "sa-east-1": "alias/unused"})
    module.client = lambda service, region=None, **kwargs: RegionalKMS(region)
    mod.resolve_kms_aliases(module)
    assert regions == [("eu-west-1", "alias/items")]
    assert module.params["replica_kms_keys"]["eu-west-1"] == "arn:aws:kms:eu-west-1:123456789012:key/k"


def test_switching_a_replicated_table_to_provisioned_is_refused_before_any_write():
    throughput = {"read_capacity_units": 5, "write_capacity_units": 5}
    client = FakeDynamoDB([with_replica("eu-west-1")])
    with pytest.raises(ddb.DynamoDBValidationError, match="^billing_mode: .*auto scaled"):
        mod.ensure_present(FakeModule(billing_mode="PROVISIONED", provisioned_throughput=throughput), client)
    assert client.writes() == []


# --------------------------------------------------------------------------- eventual consistency right after CreateTable

class CreatingDynamoDB(FakeDynamoDB):
    """CreateTable succeeds; describe_table answers from the script (None = ResourceNotFoundException);
    ListTagsOfResource answers the empty set it may give right after the create (eventually consistent)."""

    def __init__(self, tables):
        super().__init__(tables)
        self.tags = {}

    def create_table(self, **kwargs):
        self.calls.append(("create_table", kwargs))
        return {"TableDescription": described(TableStatus="CREATING")}


def test_a_new_table_not_yet_visible_to_describe_table_is_waited_for_not_reported_gone():
    # before CreateTable: missing; after it, DescribeTable misses it twice (eventual consistency), then ACTIVE
    client = CreatingDynamoDB([None, None, None, described()])
    result = mod.ensure_present(FakeModule(), client)
    assert result["changed"] is True
    assert result["table"]["table_status"] == "ACTIVE"
    assert client.writes() == ["create_table"]


def test_a_new_table_is_reported_with_the_tags_it_was_created_with_and_not_tagged_again():
    module = FakeModule(tags={"app": "myapp"}, diff=True)
    client = CreatingDynamoDB([None, described()])
    result = mod.ensure_present(module, client)
    wanted = {"app": "myapp", "managed-by": "multiregion.appsync"}
    assert client.writes() == ["create_table"]  # no TagResource for the stale empty tag set
    assert result["table"]["tags"] == wanted
    assert result["diff"]["after"]["tags"] == wanted


def test_tags_written_are_reported_as_written_not_as_read_back():
    client = FakeDynamoDB([described()])  # ListTagsOfResource keeps answering the old set
    result = mod.ensure_present(FakeModule(tags={"app": "myapp"}), client)
    assert client.writes() == ["tag_resource"]
    assert result["table"]["tags"] == {"app": "myapp", "managed-by": "multiregion.appsync"}


def test_a_replica_just_added_and_not_yet_visible_in_its_region_is_waited_for():
    module = FakeModule(replicas=["eu-west-1"], deletion_protection=False, point_in_time_recovery=False)
    replica_table = described(TableArn=ARN.replace("us-east-1", "eu-west-1"), DeletionProtectionEnabled=False)
    module.replica_clients["eu-west-1"] = FakeDynamoDB([None, None, replica_table])
    client = FakeDynamoDB([described(DeletionProtectionEnabled=False), described(DeletionProtectionEnabled=False),
                           with_replica("eu-west-1")])
    client.describe_continuous_backups = lambda TableName: {
        "ContinuousBackupsDescription": {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}}
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert [call[1]["ReplicaUpdates"] for call in client.calls if call[0] == "update_table"] == [
        [{"Create": {"RegionName": "eu-west-1"}}]]


# --------------------------------------------------------------------------- reads of a no-op (issue 13 item 1)

def calls_named(fake):
    return [call[0] for call in fake.calls]


def test_a_no_op_reads_the_main_table_once_and_nothing_again():
    client = FakeDynamoDB([described()])
    result = mod.ensure_present(FakeModule(diff=True), client)
    assert result["changed"] is False
    assert calls_named(client) == ["describe_table", "describe_continuous_backups", "list_tags_of_resource"]
    assert result["table"]["point_in_time_recovery"] is True
    assert result["diff"]["before"] == result["diff"]["after"]


def test_a_regions_run_for_its_replica_reads_that_replica_only_however_many_the_table_has():
    # Each region's run (replicas: [itself]) used to read every replica's table and PITR in its region:
    # reads growing with the square of the number of regions over a deployment.
    others = ["ap-southeast-2", "eu-central-1", "sa-east-1", "us-west-2"]
    module = FakeModule(replicas=["eu-west-1"], diff=True)
    client = FakeDynamoDB([with_replica("eu-west-1", *others)])
    result = mod.ensure_present(module, client)
    assert result["changed"] is False
    assert calls_named(client) == ["describe_table", "describe_continuous_backups", "list_tags_of_resource"]
    assert sorted(module.replica_clients) == ["eu-west-1"]
    assert calls_named(module.replica_clients["eu-west-1"]) == ["describe_table", "describe_continuous_backups"]
    replicas = dict((r["region_name"], r) for r in result["table"]["replicas"])
    assert replicas["eu-west-1"]["deletion_protection"] is True and replicas["eu-west-1"]["point_in_time_recovery"] is True
    assert all(replicas[r]["deletion_protection"] is None for r in others)  # not read, not reported as off
    assert sorted(replicas) == sorted(others + ["eu-west-1"])
    assert list(result["diff"]["before"]["replica_settings"]) == ["eu-west-1"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_the_listed_replica_converges_and_the_others_are_neither_read_nor_written():
    module = FakeModule(replicas=["eu-west-1"], diff=True)
    module.replica_clients["eu-west-1"] = FakeReplicaRegion(protected=False, pitr=False)
    module.replica_clients["sa-east-1"] = FakeReplicaRegion(protected=False, pitr=False)
    client = FakeDynamoDB([with_replica("eu-west-1", "sa-east-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert writes_by_region(module) == {"eu-west-1": ["update_table", "update_continuous_backups"]}
    assert module.replica_clients["sa-east-1"].calls == []
    assert result["diff"]["before"]["replica_settings"] == {
        "eu-west-1": {"deletion_protection": False, "point_in_time_recovery": False}}
    assert result["diff"]["after"]["replica_settings"] == {
        "eu-west-1": {"deletion_protection": True, "point_in_time_recovery": True}}
    # the main table's PITR and tags were not written: read once, not again after the replica's writes
    assert calls_named(client).count("describe_continuous_backups") == 1
    assert calls_named(client).count("list_tags_of_resource") == 1

    replica = module.replica_clients["eu-west-1"]
    replica.calls = []
    rerun = FakeModule(replicas=["eu-west-1"])
    rerun.replica_clients = {"eu-west-1": replica}
    result = mod.ensure_present(rerun, FakeDynamoDB([with_replica("eu-west-1", "sa-east-1")]))
    assert result["changed"] is False
    assert calls_named(replica) == ["describe_table", "describe_continuous_backups"]


def test_a_replica_to_remove_is_read_for_the_diff_and_unprotected_in_check_mode_without_writes():
    module = FakeModule(replicas=["eu-west-1"], purge_replicas=True, check_mode=True, diff=True)
    module.replica_clients["sa-east-1"] = FakeReplicaRegion(protected=True, pitr=True)
    client = FakeDynamoDB([with_replica("eu-west-1", "sa-east-1")])
    result = mod.ensure_present(module, client)
    assert result["changed"] is True
    assert client.writes() == [] and writes_by_region(module) == {}
    assert result["diff"]["before"]["replica_settings"]["sa-east-1"] == {
        "deletion_protection": True, "point_in_time_recovery": True}
    assert "sa-east-1" not in result["diff"]["after"]["replica_settings"]
    assert result["diff"]["after"]["replicas"] == ["eu-west-1"]


def test_the_main_tables_pitr_turned_on_is_read_back_after_the_write():
    client = FakeReplicaRegion(protected=True, pitr=False)  # the main table: PITR off, turned on by the run
    result = mod.ensure_present(FakeModule(), client)
    assert result["changed"] is True
    assert client.writes() == ["update_continuous_backups"]
    assert calls_named(client).count("describe_continuous_backups") == 2
    assert result["table"]["point_in_time_recovery"] is True


def test_an_empty_replica_list_reads_no_replica_and_only_warns_about_a_failed_one(warnings_seen):
    # The global_table role's main-region task: each region's own run ensures its replica.
    table = described(Replicas=[{"RegionName": "eu-west-1", "ReplicaStatus": "ACTIVE"},
                                {"RegionName": "sa-east-1", "ReplicaStatus": "CREATION_FAILED"}])
    module = FakeModule(replicas=[])
    client = FakeDynamoDB([table])
    result = mod.ensure_present(module, client)
    assert result["changed"] is False and client.writes() == []
    assert module.replica_clients == {}
    assert calls_named(client) == ["describe_table", "describe_continuous_backups", "list_tags_of_resource"]
    assert result["replica_plan"]["unmanaged"] == ["eu-west-1", "sa-east-1"]
    assert len(warnings_seen) == 1 and "sa-east-1 (CREATION_FAILED)" in warnings_seen[0]
