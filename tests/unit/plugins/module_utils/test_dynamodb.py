# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import datetime

import pytest
from botocore.exceptions import ClientError

from ansible_collections.multiregion.appsync.plugins.module_utils import dynamodb as ddb

MAIN = "us-east-1"


def params(**overrides):
    base = {
        "name": "items",
        "state": "present",
        "hash_key": {"name": "pk", "type": "S"},
        "range_key": {"name": "sk", "type": "S"},
        "billing_mode": "PAY_PER_REQUEST",
        "provisioned_throughput": None,
        "global_secondary_indexes": [
            {"name": "by-owner", "hash_key": {"name": "owner", "type": "S"}, "range_key": None,
             "projection": {"type": "ALL", "non_key_attributes": None}},
        ],
        "point_in_time_recovery": True,
        "deletion_protection": True,
        "sse": None,
        "replicas": None,
        "purge_replicas": False,
        "confirm_deletion": None,
        "tags": {"app": "x"},
        "purge_tags": True,
        "wait": True,
        "wait_timeout": 900,
    }
    base.update(overrides)
    return base


def live(**overrides):
    """A DescribeTable Table that matches params() exactly."""
    base = {
        "TableName": "items",
        "TableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/items",
        "TableStatus": "ACTIVE",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "owner", "AttributeType": "S"},
                                 {"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0},
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "LatestStreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/items/stream/2026",
        "GlobalSecondaryIndexes": [{"IndexName": "by-owner", "IndexStatus": "ACTIVE",
                                    "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}],
        "DeletionProtectionEnabled": True,
        "CreationDateTime": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
    }
    base.update(overrides)
    return base


def replicas(*pairs):
    return [{"RegionName": region, "ReplicaStatus": status} for region, status in pairs]


# --------------------------------------------------------------------------- replica plan

def test_plan_adds_missing_and_keeps_present():
    plan = ddb.plan_replicas(MAIN, ["eu-west-1", "ap-southeast-2"], ["eu-west-1"])
    assert plan == {"add": ["ap-southeast-2"], "keep": ["eu-west-1"], "remove": [], "unmanaged": []}


def test_plan_never_removes_without_purge():
    plan = ddb.plan_replicas(MAIN, ["eu-west-1"], ["eu-west-1", "ap-southeast-2"])
    assert plan["remove"] == []
    assert plan["unmanaged"] == ["ap-southeast-2"]
    assert plan["keep"] == ["eu-west-1"]


def test_plan_removes_unlisted_with_purge():
    plan = ddb.plan_replicas(MAIN, ["eu-west-1"], ["eu-west-1", "ap-southeast-2", "sa-east-1"], purge=True)
    assert plan == {"add": [], "keep": ["eu-west-1"], "remove": ["ap-southeast-2", "sa-east-1"], "unmanaged": []}


def test_plan_ignores_the_main_region_on_both_sides():
    plan = ddb.plan_replicas(MAIN, [MAIN, "eu-west-1"], [MAIN], purge=True)
    assert plan == {"add": ["eu-west-1"], "keep": [], "remove": [], "unmanaged": []}


def test_plan_none_leaves_the_replica_set_alone_even_with_purge():
    plan = ddb.plan_replicas(MAIN, None, ["eu-west-1"], purge=True)
    assert plan == {"add": [], "keep": ["eu-west-1"], "remove": [], "unmanaged": []}


def test_plan_from_a_region_host_only_adds_its_own_region():
    plan = ddb.plan_replicas(MAIN, ["ap-southeast-2"], ["eu-west-1"])
    assert plan["add"] == ["ap-southeast-2"] and plan["remove"] == [] and plan["unmanaged"] == ["eu-west-1"]


def test_live_replicas_leave_out_those_being_deleted():
    description = live(Replicas=replicas(("eu-west-1", "ACTIVE"), ("sa-east-1", "DELETING"), ("ap-south-1", "CREATING")))
    assert ddb.live_replicas(description) == ["ap-south-1", "eu-west-1"]
    assert ddb.live_replicas(None) == []


def test_replica_decisions_stop_once_done():
    create = ddb.replica_create_update("eu-west-1")
    assert create(live()) == {"ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]}
    assert create(live(Replicas=replicas(("eu-west-1", "CREATING")))) is None
    delete = ddb.replica_delete_update("eu-west-1")
    assert delete(live(Replicas=replicas(("eu-west-1", "ACTIVE")))) == {"ReplicaUpdates": [{"Delete": {"RegionName": "eu-west-1"}}]}
    assert delete(live()) is None


# --------------------------------------------------------------------------- validation

@pytest.mark.parametrize("overrides, fragment", [
    ({"name": "ab"}, "name:"),
    ({"billing_mode": "PROVISIONED"}, "provisioned_throughput: required"),
    ({"provisioned_throughput": {"read_capacity_units": 1, "write_capacity_units": 1}}, "only used with billing_mode=PROVISIONED"),
    ({"range_key": {"name": "pk", "type": "S"}}, "range_key.name"),
    ({"global_secondary_indexes": [
        {"name": "a", "hash_key": {"name": "pk", "type": "N"}, "range_key": None, "projection": None}]},
     "attribute 'pk' has type"),
    ({"global_secondary_indexes": [
        {"name": "a", "hash_key": {"name": "x", "type": "S"}, "range_key": None, "projection": {"type": "INCLUDE"}}]},
     "non_key_attributes: required"),
    ({"global_secondary_indexes": [
        {"name": "a", "hash_key": {"name": "x", "type": "S"}, "range_key": None, "projection": None},
        {"name": "a", "hash_key": {"name": "y", "type": "S"}, "range_key": None, "projection": None}]},
     "given twice"),
    ({"replicas": ["eu-west-1", "Europe"]}, "replicas: 'Europe'"),
    ({"purge_replicas": True}, "purge_replicas"),
    ({"sse": {"enabled": False, "kms_key_id": "k"}}, "sse.kms_key_id"),
    ({"wait_timeout": 0}, "wait_timeout"),
])
def test_validation_names_the_option(overrides, fragment):
    with pytest.raises(ddb.DynamoDBValidationError) as excinfo:
        ddb.validate_params(params(**overrides))
    assert fragment in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_valid_params_pass():
    ddb.validate_params(params(replicas=["eu-west-1", MAIN], purge_replicas=True))
    ddb.validate_params(params(state="absent", hash_key=None, billing_mode="PROVISIONED"))


# --------------------------------------------------------------------------- create

def test_create_params_carry_stream_protection_owner_tag_and_indexes():
    kwargs = ddb.build_create_params(params())
    assert kwargs["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert kwargs["DeletionProtectionEnabled"] is True
    assert kwargs["BillingMode"] == "PAY_PER_REQUEST" and "ProvisionedThroughput" not in kwargs
    assert {"Key": "managed-by", "Value": "multiregion.appsync"} in kwargs["Tags"]
    assert {"Key": "app", "Value": "x"} in kwargs["Tags"]
    assert kwargs["AttributeDefinitions"] == live()["AttributeDefinitions"]
    assert kwargs["KeySchema"] == live()["KeySchema"]
    assert kwargs["GlobalSecondaryIndexes"] == [{"IndexName": "by-owner",
                                                 "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}]
    assert "SSESpecification" not in kwargs


def test_create_params_provisioned_and_sse():
    throughput = {"read_capacity_units": 5, "write_capacity_units": 3}
    kwargs = ddb.build_create_params(params(billing_mode="PROVISIONED", provisioned_throughput=throughput,
                                            sse={"enabled": True, "kms_key_id": "key-1"}, range_key=None, tags=None))
    assert kwargs["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}
    assert kwargs["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 3}
    assert kwargs["SSESpecification"] == {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "key-1"}
    assert kwargs["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert kwargs["Tags"] == [{"Key": "managed-by", "Value": "multiregion.appsync"}]


def test_key_schema_cannot_change():
    ddb.check_key_schema(live(), params())
    ddb.check_key_schema(live(), params(hash_key=None))
    with pytest.raises(ddb.DynamoDBValidationError, match="range_key"):
        ddb.check_key_schema(live(), params(range_key=None))
    with pytest.raises(ddb.DynamoDBValidationError, match="hash_key: pk \\(N\\)"):
        ddb.check_key_schema(live(), params(hash_key={"name": "pk", "type": "N"}))


# --------------------------------------------------------------------------- updates

def test_up_to_date_table_needs_no_update():
    assert ddb.table_updates(live(), params()) == []
    assert ddb.table_updates(live(), params(global_secondary_indexes=None, deletion_protection=None)) == []


def test_stream_is_enabled_or_replaced():
    assert ddb.table_updates(live(StreamSpecification=None), params()) == [
        {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}]
    keys_only = live(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert ddb.table_updates(keys_only, params()) == [{"StreamSpecification": {"StreamEnabled": False}}]
    keys_only["Replicas"] = replicas(("eu-west-1", "ACTIVE"))
    with pytest.raises(ddb.DynamoDBValidationError, match="KEYS_ONLY"):
        ddb.table_updates(keys_only, params())


def test_indexes_created_and_deleted_one_per_request():
    wanted = [{"name": "by-date", "hash_key": {"name": "day", "type": "N"}, "range_key": {"name": "sk", "type": "S"},
               "projection": {"type": "KEYS_ONLY", "non_key_attributes": None}}]
    updates = ddb.table_updates(live(), params(global_secondary_indexes=wanted))
    assert updates[0] == {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "by-owner"}}]}
    create = updates[1]
    assert create["GlobalSecondaryIndexUpdates"][0]["Create"]["IndexName"] == "by-date"
    assert create["GlobalSecondaryIndexUpdates"][0]["Create"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    # the live definitions are kept, the new key attribute added
    assert create["AttributeDefinitions"] == [
        {"AttributeName": "day", "AttributeType": "N"}, {"AttributeName": "owner", "AttributeType": "S"},
        {"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}]
    assert len(updates) == 2


def test_changed_index_is_refused():
    changed = [{"name": "by-owner", "hash_key": {"name": "owner", "type": "S"}, "range_key": None,
                "projection": {"type": "KEYS_ONLY", "non_key_attributes": None}}]
    with pytest.raises(ddb.DynamoDBValidationError, match=r"global_secondary_indexes\[by-owner\]"):
        ddb.table_updates(live(), params(global_secondary_indexes=changed))


def test_protection_sse_and_billing_updates():
    assert ddb.table_updates(live(), params(deletion_protection=False)) == [{"DeletionProtectionEnabled": False}]
    assert ddb.table_updates(live(), params(sse={"enabled": True, "kms_key_id": None})) == [
        {"SSESpecification": {"Enabled": True, "SSEType": "KMS"}}]
    encrypted = live(SSEDescription={"Status": "ENABLED", "KMSMasterKeyArn": "arn:aws:kms:us-east-1:1:key/abc"})
    assert ddb.table_updates(encrypted, params(sse={"enabled": True, "kms_key_id": "abc"})) == []
    assert ddb.table_updates(encrypted, params(sse={"enabled": True, "kms_key_id": "other"})) == [
        {"SSESpecification": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "other"}}]
    assert ddb.table_updates(encrypted, params(sse={"enabled": False, "kms_key_id": None})) == [
        {"SSESpecification": {"Enabled": False}}]
    throughput = {"read_capacity_units": 5, "write_capacity_units": 5}
    to_provisioned = ddb.table_updates(live(), params(billing_mode="PROVISIONED", provisioned_throughput=throughput))
    assert to_provisioned == [{
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by-owner", "ProvisionedThroughput": {
            "ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}}],
    }]
    provisioned = live(BillingModeSummary={"BillingMode": "PROVISIONED"},
                       ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 5})
    assert ddb.table_updates(provisioned, params(billing_mode="PROVISIONED", provisioned_throughput=throughput)) == [
        {"ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}]


def test_next_table_update_is_the_first_pending_one():
    decide = ddb.next_table_update(params(deletion_protection=False))
    assert decide(live(StreamSpecification=None))["StreamSpecification"]["StreamEnabled"] is True
    assert decide(live(DeletionProtectionEnabled=False)) is None


def test_tags_never_purge_the_owner_tag():
    current = {"managed-by": "multiregion.appsync", "old": "1", "app": "y"}
    assert ddb.tag_changes(current, params()) == ({"app": "x"}, ["old"])
    to_set, to_unset = ddb.tag_changes(current, params(tags={}))
    assert to_set == {} and sorted(to_unset) == ["app", "old"]
    assert ddb.tag_changes(current, params(tags=None)) == ({}, [])
    assert ddb.tag_changes(current, params(purge_tags=False)) == ({"app": "x"}, [])
    assert ddb.tag_changes({}, params()) == ({"app": "x", "managed-by": "multiregion.appsync"}, [])


def test_pitr_status():
    assert ddb.pitr_enabled({"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}})
    assert not ddb.pitr_enabled({"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}})
    assert not ddb.pitr_enabled(None)


# --------------------------------------------------------------------------- deletion guard

def test_deletion_needs_confirmation_naming_the_table():
    assert "confirm_deletion" in ddb.deletion_refusal("items", None, live(DeletionProtectionEnabled=False), False)
    assert "confirm_deletion" in ddb.deletion_refusal("items", "other", None, False)
    assert ddb.deletion_refusal("items", "items", None, False) is None


def test_deletion_refused_under_protection_and_with_replicas():
    assert "deletion protection" in ddb.deletion_refusal("items", "items", live(), True)
    with_replicas = live(DeletionProtectionEnabled=False, Replicas=replicas(("eu-west-1", "ACTIVE")))
    assert "eu-west-1" in ddb.deletion_refusal("items", "items", with_replicas, False)
    assert ddb.deletion_refusal("items", "items", with_replicas, True) is None
    leaving = live(DeletionProtectionEnabled=False, Replicas=replicas(("eu-west-1", "DELETING")))
    assert ddb.deletion_refusal("items", "items", leaving, False) is None


# --------------------------------------------------------------------------- views

def test_normalize_table_returns_the_agreed_keys():
    backups = {"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "ENABLED"}}
    table = ddb.normalize_table(live(Replicas=replicas(("sa-east-1", "CREATING"), ("eu-west-1", "ACTIVE"))),
                                backups, {"app": "x"})
    assert table["table_name"] == "items"
    assert table["table_arn"].endswith(":table/items")
    assert table["table_status"] == "ACTIVE"
    assert table["stream_arn"] == table["latest_stream_arn"] == live()["LatestStreamArn"]
    assert table["billing_mode"] == "PAY_PER_REQUEST"
    assert table["deletion_protection_enabled"] is True
    assert table["point_in_time_recovery"] is True
    assert table["replicas"] == [{"region_name": "eu-west-1", "replica_status": "ACTIVE"},
                                 {"region_name": "sa-east-1", "replica_status": "CREATING"}]
    assert table["tags"] == {"app": "x"}
    assert table["creation_date_time"] == "2026-01-01T00:00:00+00:00"
    assert ddb.normalize_table(None) is None


def test_desired_view_applies_options_and_plan():
    before = ddb.state_view(live(Replicas=replicas(("eu-west-1", "ACTIVE"))), None, {"managed-by": "multiregion.appsync"})
    plan = ddb.plan_replicas(MAIN, ["sa-east-1"], before["replicas"], purge=True)
    after = ddb.desired_view(before, params(deletion_protection=False), plan)
    assert after["replicas"] == ["sa-east-1"]
    assert after["deletion_protection"] is False
    assert after["point_in_time_recovery"] is True
    assert after["tags"] == {"app": "x", "managed-by": "multiregion.appsync"}
    assert before["point_in_time_recovery"] is False


# --------------------------------------------------------------------------- waiting and busy retries

def client_error(code, operation="UpdateTable"):
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.01)


class ScriptedClient:
    """describe_table answers from a list (last one repeats); update_table raises from a list, then succeeds."""

    def __init__(self, descriptions, update_errors=()):
        self.descriptions = list(descriptions)
        self.update_errors = list(update_errors)
        self.updates = []

    def describe_table(self, TableName):
        description = self.descriptions.pop(0) if len(self.descriptions) > 1 else self.descriptions[0]
        return {"Table": description}

    def update_table(self, **kwargs):
        self.updates.append(kwargs)
        if self.update_errors:
            raise self.update_errors.pop(0)
        return {"TableDescription": live(TableStatus="UPDATING")}


def test_busy_table_is_retried_until_the_change_goes_through():
    clock = FakeClock()
    client = ScriptedClient([live(TableStatus="UPDATING"), live()],
                            [client_error("ResourceInUseException"), client_error("LimitExceededException")])
    description, made = ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=100,
                                            clock=clock, sleep=clock.sleep, rng=lambda: 0.5)
    assert made is True
    assert len(client.updates) == 3
    assert client.updates[-1] == {"TableName": "items", "ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]}
    assert description["TableStatus"] == "UPDATING"
    assert clock.sleeps  # it waited between attempts


def test_change_made_meanwhile_by_another_host_is_not_repeated():
    clock = FakeClock()
    client = ScriptedClient([live(), live(Replicas=replicas(("eu-west-1", "CREATING"))),
                             live(Replicas=replicas(("eu-west-1", "ACTIVE")))],
                            [client_error("ResourceInUseException")])
    made = ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=100,
                               clock=clock, sleep=clock.sleep, rng=lambda: 0.5)[1]
    assert made is False
    assert len(client.updates) == 1


def test_refusal_because_another_host_made_the_same_change_is_success():
    clock = FakeClock()
    client = ScriptedClient([live(), live(Replicas=replicas(("eu-west-1", "CREATING")))],
                            [client_error("ValidationException")])
    description, made = ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=100,
                                            clock=clock, sleep=clock.sleep)
    assert made is False
    assert description["Replicas"][0]["RegionName"] == "eu-west-1"
    assert len(client.updates) == 1


def test_other_errors_are_not_retried():
    clock = FakeClock()
    client = ScriptedClient([live()], [client_error("ValidationException")])
    with pytest.raises(ddb.AnsibleDynamoDBError) as excinfo:
        ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=100,
                            clock=clock, sleep=clock.sleep)
    assert ddb.error_code(excinfo.value) == "ValidationException"
    assert len(client.updates) == 1


def test_busy_retries_stop_at_the_deadline():
    clock = FakeClock()
    client = ScriptedClient([live()], [client_error("ResourceInUseException")] * 1000)
    with pytest.raises(ddb.AnsibleDynamoDBError):
        ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=20,
                            clock=clock, sleep=clock.sleep, rng=lambda: 0.5)
    assert clock.now <= 20 + ddb.POLL_MAX * 1.5
    assert 1 < len(client.updates) < 1000


def test_a_replica_turning_active_is_seen_within_two_seconds():
    """On the critical path: a 60 s replica is noticed by 62 s, not up to a poll cap later."""
    clock = FakeClock()
    creating, active = live(Replicas=replicas(("eu-west-1", "CREATING"))), live(Replicas=replicas(("eu-west-1", "ACTIVE")))

    class Replica:
        def describe_table(self, **_params):
            return {"Table": active if clock.now >= 60 else creating}

    assert ddb.wait_idle(Replica(), "items", 600, clock=clock, sleep=clock.sleep)["Replicas"][0]["ReplicaStatus"] == "ACTIVE"
    assert 60 <= clock.now <= 62


def test_wait_idle_waits_for_replicas_and_is_bounded():
    clock = FakeClock()
    client = ScriptedClient([live(TableStatus="UPDATING", Replicas=replicas(("eu-west-1", "CREATING"))),
                             live(Replicas=replicas(("eu-west-1", "CREATING"))),
                             live(Replicas=replicas(("eu-west-1", "ACTIVE")))])
    assert ddb.wait_idle(client, "items", 100, clock=clock, sleep=clock.sleep)["Replicas"][0]["ReplicaStatus"] == "ACTIVE"
    assert len(clock.sleeps) == 2
    stuck = ScriptedClient([live(Replicas=replicas(("eu-west-1", "CREATING")))])
    with pytest.raises(ddb.AnsibleDynamoDBError, match="replica eu-west-1 CREATING"):
        ddb.wait_idle(stuck, "items", clock.now + 10, clock=clock, sleep=clock.sleep)


def test_is_idle_needs_indexes_active_too():
    assert ddb.is_idle(live())
    creating_index = live(GlobalSecondaryIndexes=[dict(live()["GlobalSecondaryIndexes"][0], IndexStatus="CREATING")])
    assert not ddb.is_idle(creating_index)
    assert not ddb.is_idle(live(Replicas=replicas(("eu-west-1", "DELETING"))))


def test_include_projection_compares_non_key_attributes_in_any_order():
    wanted = [{"name": "by-owner", "hash_key": {"name": "owner", "type": "S"}, "range_key": None,
               "projection": {"type": "INCLUDE", "non_key_attributes": ["title", "body"]}}]
    index = dict(live()["GlobalSecondaryIndexes"][0],
                 Projection={"ProjectionType": "INCLUDE", "NonKeyAttributes": ["body", "title"]})
    assert ddb.table_updates(live(GlobalSecondaryIndexes=[index]), params(global_secondary_indexes=wanted)) == []
    index["Projection"]["NonKeyAttributes"] = ["body", "author"]
    with pytest.raises(ddb.DynamoDBValidationError, match=r"global_secondary_indexes\[by-owner\]"):
        ddb.table_updates(live(GlobalSecondaryIndexes=[index]), params(global_secondary_indexes=wanted))


@pytest.mark.parametrize("status", ["CREATION_FAILED", "REGION_DISABLED", "INACCESSIBLE_ENCRYPTION_CREDENTIALS"])
def test_a_replica_failed_for_good_does_not_hold_the_wait_and_is_reported(status):
    table = live(Replicas=replicas(("eu-west-1", status), ("ap-southeast-2", "ACTIVE")))
    clock = FakeClock()
    assert ddb.wait_idle(ScriptedClient([table]), "items", clock.now + 10, clock=clock, sleep=clock.sleep) == table
    assert clock.sleeps == []
    message = ddb.failed_replicas(table, ["eu-west-1", "ap-southeast-2"])
    assert message.startswith("replicas: ") and "eu-west-1 (%s)" % status in message
    assert "ap-southeast-2" not in message
    assert ddb.failed_replicas(table, ["ap-southeast-2"]) is None


def test_request_count_counts_a_stream_replacement_twice():
    assert ddb.request_count([]) == 0
    assert ddb.request_count([{"DeletionProtectionEnabled": False}]) == 1
    assert ddb.request_count([{"StreamSpecification": {"StreamEnabled": False}}, {"DeletionProtectionEnabled": False}]) == 3
    assert ddb.request_count([{"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}]) == 1


# --------------------------------------------------------------------------- global-table settings AWS refuses (issue 10 item 4)

THROUGHPUT = {"read_capacity_units": 5, "write_capacity_units": 5}


@pytest.mark.parametrize("overrides, fragment", [
    ({"billing_mode": "PROVISIONED", "provisioned_throughput": THROUGHPUT, "replicas": ["eu-west-1"]},
     "billing_mode: PROVISIONED with replicas (eu-west-1) is refused: AWS adds a replica to a PROVISIONED table only "
     "when its write capacity is auto scaled"),
    ({"sse": {"enabled": True, "kms_key_id": "alias/k"}, "replicas": ["eu-west-1", "sa-east-1"],
      "replica_kms_keys": {"eu-west-1": "alias/k"}},
     "replica_kms_keys: sse.kms_key_id is a customer managed KMS key, which belongs to one region; "
     "give each replica region its own key (missing: sa-east-1)"),
    ({"replica_kms_keys": {"eu-west-1": "alias/k"}}, "replica_kms_keys: only used with sse.kms_key_id"),
    ({"sse": {"enabled": True, "kms_key_id": "k"}, "replica_kms_keys": {"Europe": "k"}}, "replica_kms_keys: 'Europe'"),
    ({"sse": {"enabled": True, "kms_key_id": "k"}, "replica_kms_keys": {"eu-west-1": ""}}, "replica_kms_keys.eu-west-1"),
])
def test_global_table_settings_aws_refuses_fail_before_any_call_naming_the_option(overrides, fragment):
    with pytest.raises(ddb.DynamoDBValidationError) as excinfo:
        ddb.validate_params(params(**overrides), main_region=MAIN)
    assert fragment in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_global_table_settings_allowed():
    # the main region listed is not a replica; the AWS managed key needs no per-region key
    ddb.validate_params(params(billing_mode="PROVISIONED", provisioned_throughput=THROUGHPUT, replicas=[MAIN]),
                        main_region=MAIN)
    ddb.validate_params(params(sse={"enabled": True, "kms_key_id": None}, replicas=["eu-west-1"]), main_region=MAIN)
    ddb.validate_params(params(sse={"enabled": True, "kms_key_id": "k"}, replicas=["eu-west-1"],
                               replica_kms_keys={"eu-west-1": "k2", "sa-east-1": "k3"}), main_region=MAIN)


def test_wanted_replica_settings_default_to_the_main_tables():
    assert ddb.wanted_replica_settings(params()) == {"deletion_protection": True, "point_in_time_recovery": True}
    assert ddb.wanted_replica_settings(params(replica_deletion_protection=False, point_in_time_recovery=False)) == {
        "deletion_protection": False, "point_in_time_recovery": False}
    assert ddb.wanted_replica_settings(params(deletion_protection=None, point_in_time_recovery=None)) == {}


def test_replica_setting_changes_count_a_new_replica_as_unprotected_without_pitr():
    wanted = {"deletion_protection": True, "point_in_time_recovery": True}
    assert ddb.replica_setting_changes(None, wanted) == wanted
    live_settings = ddb.replica_settings(live(DeletionProtectionEnabled=True), None)
    assert ddb.replica_setting_changes(live_settings, wanted) == {"point_in_time_recovery": True}
    assert ddb.replica_settings(None, None) is None


def test_replica_key_outdated():
    current = {"kms_master_key_arn": "arn:aws:kms:eu-west-1:1:key/abc"}
    assert not ddb.replica_key_outdated(current, "abc")
    assert not ddb.replica_key_outdated(current, "arn:aws:kms:eu-west-1:1:key/abc")
    assert ddb.replica_key_outdated(current, "other")
    assert not ddb.replica_key_outdated(current, None)
    assert not ddb.replica_key_outdated(None, "abc")


def test_table_update_sections_split_by_aspect_keep_the_order():
    table = live(StreamSpecification=None, DeletionProtectionEnabled=False)
    updates = ddb.table_updates(table, params(sse={"enabled": True, "kms_key_id": None}))
    assert [sorted(u) for u in updates] == [["StreamSpecification"], ["SSESpecification"], ["DeletionProtectionEnabled"]]


class NotYetVisibleClient(ScriptedClient):
    """describe_table answers ResourceNotFoundException for the None entries of the script."""

    def describe_table(self, TableName):
        description = super().describe_table(TableName)["Table"]
        if description is None:
            raise client_error("ResourceNotFoundException", "DescribeTable")
        return {"Table": description}


def test_wait_idle_polls_a_table_just_created_that_describe_table_does_not_find_yet():
    clock = FakeClock()
    client = NotYetVisibleClient([None, None, live()])
    assert ddb.wait_idle(client, "items", 100, expect_exists=True, clock=clock, sleep=clock.sleep) == live()
    assert len(clock.sleeps) == 2
    with pytest.raises(ddb.AnsibleDynamoDBError, match="disappeared"):
        ddb.wait_idle(NotYetVisibleClient([None]), "items", 100, clock=clock, sleep=clock.sleep)
    with pytest.raises(ddb.AnsibleDynamoDBError, match="not visible yet.*raise wait_timeout"):
        ddb.wait_idle(NotYetVisibleClient([None]), "items", clock.now + 10, expect_exists=True, clock=clock, sleep=clock.sleep)


def limit_exceeded(message):
    return ClientError({"Error": {"Code": "LimitExceededException", "Message": message}}, "UpdateTable")


DAILY_DECREASE = ("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "
                  "After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most "
                  "once every 3600 seconds. Number of decreases today: 4.")
CONCURRENT = "Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted simultaneously"


def test_a_daily_quota_fails_at_once_naming_the_option():
    clock = FakeClock()
    client = ScriptedClient([live()], [limit_exceeded(DAILY_DECREASE)] * 5)
    throughput = {"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}
    with pytest.raises(ddb.DynamoDBValidationError, match="^provisioned_throughput: .*rest of the UTC day.*decreases today: 4"):
        ddb.apply_when_idle(client, "items", lambda description: throughput, deadline=100, clock=clock, sleep=clock.sleep)
    assert len(client.updates) == 1
    assert clock.sleeps == []
    switch = ScriptedClient([live()], [limit_exceeded("Subscriber limit exceeded: Update to PayPerRequest mode "
                                                      "are limited to once in 1 day(s).")])
    with pytest.raises(ddb.DynamoDBValidationError, match="^billing_mode: "):
        ddb.apply_when_idle(switch, "items", lambda description: {"BillingMode": "PAY_PER_REQUEST"}, deadline=100,
                            clock=clock, sleep=clock.sleep)


def test_the_concurrent_operations_limit_is_still_retried():
    clock = FakeClock()
    client = ScriptedClient([live()], [limit_exceeded(CONCURRENT), limit_exceeded("Subscriber limit exceeded: Only 1 "
                                                                                  "online index can be created or deleted simultaneously per table")])
    made = ddb.apply_when_idle(client, "items", ddb.replica_create_update("eu-west-1"), deadline=100,
                               clock=clock, sleep=clock.sleep, rng=lambda: 0.5)[1]
    assert made is True
    assert len(client.updates) == 3
