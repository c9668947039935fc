"""DynamoDB global tables 2019.11.21 through UpdateTable ReplicaUpdates, called through boto3."""

import json
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

MAIN, OTHER, THIRD = "us-east-1", "eu-west-1", "ap-southeast-2"
STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


@pytest.fixture
def replica_delay(endpoint):
    """Set the extension's replica delay through its control hook; restore 1 s after."""

    def configure(payload):
        request = urllib.request.Request(
            endpoint + "/",
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dynamodb/aws4_request, "
                                 "SignedHeaders=host, Signature=0",
                "X-Amz-Target": "LocalAwsDynamoDB_20120810.Configure",
                "Content-Type": "application/x-amz-json-1.0",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def set_delay(seconds):
        return configure({"replica_delay": seconds})

    yield set_delay
    configure({"replica_delay": 1})


@pytest.fixture
def ddb(client_factory):
    clients = {}

    def get(region):
        if region not in clients:
            clients[region] = client_factory("dynamodb", region)
        return clients[region]

    return get


def make_table(client, name, stream="default", gsi=True, **extra):
    stream = STREAM if stream == "default" else stream
    params = dict(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **extra
    )
    if gsi:
        params["AttributeDefinitions"].append({"AttributeName": "owner", "AttributeType": "S"})
        params["GlobalSecondaryIndexes"] = [{
            "IndexName": "by-owner",
            "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }]
    if stream is not None:
        params["StreamSpecification"] = stream
    return client.create_table(**params)["TableDescription"]


def add_replica(client, name, region):
    return client.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": region}}])["TableDescription"]


def wait_active(client, name, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        table = client.describe_table(TableName=name)["Table"]
        if table["TableStatus"] == "ACTIVE" and all(r["ReplicaStatus"] == "ACTIVE" for r in table.get("Replicas", [])):
            return table
        time.sleep(0.3)
    raise AssertionError("table %s not ACTIVE within %s s" % (name, timeout))


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_control_hook_sets_and_reads_the_delay(replica_delay):
    assert replica_delay(2.5) == {"replica_delay": 2.5}
    assert replica_delay(0) == {"replica_delay": 0.0}


def test_replica_is_created_in_the_other_region_then_active(ddb, unique, replica_delay):
    replica_delay(1.5)
    make_table(ddb(MAIN), unique)
    answer = add_replica(ddb(MAIN), unique, OTHER)
    assert answer["TableStatus"] == "UPDATING"
    assert answer["Replicas"] == [{"RegionName": OTHER, "ReplicaStatus": "CREATING"}]

    main = ddb(MAIN).describe_table(TableName=unique)["Table"]
    assert main["TableStatus"] == "UPDATING"
    assert main["GlobalTableVersion"] == "2019.11.21"
    assert main["Replicas"] == [{"RegionName": OTHER, "ReplicaStatus": "CREATING"}]
    replica = ddb(OTHER).describe_table(TableName=unique)["Table"]
    assert replica["TableStatus"] == "CREATING"
    assert replica["Replicas"] == [{"RegionName": MAIN, "ReplicaStatus": "ACTIVE"}]
    assert replica["KeySchema"] == main["KeySchema"]
    assert replica["AttributeDefinitions"] == main["AttributeDefinitions"]
    assert [i["IndexName"] for i in replica["GlobalSecondaryIndexes"]] == ["by-owner"]
    assert replica["GlobalSecondaryIndexes"][0]["IndexArn"] == replica["TableArn"] + "/index/by-owner"
    assert main["GlobalSecondaryIndexes"][0]["IndexArn"] == main["TableArn"] + "/index/by-owner"
    assert replica["StreamSpecification"] == STREAM
    assert replica["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert replica["TableArn"] != main["TableArn"] and ":%s:" % OTHER in replica["TableArn"]

    main = wait_active(ddb(MAIN), unique)
    assert main["Replicas"] == [{"RegionName": OTHER, "ReplicaStatus": "ACTIVE"}]
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["TableStatus"] == "ACTIVE"
    assert unique in ddb(OTHER).list_tables()["TableNames"]


def test_replica_changes_are_refused_while_the_table_is_not_active(ddb, unique, replica_delay):
    replica_delay(3)
    make_table(ddb(MAIN), unique)
    add_replica(ddb(MAIN), unique, OTHER)
    with pytest.raises(ClientError) as excinfo:
        add_replica(ddb(MAIN), unique, THIRD)
    assert error_code(excinfo) == "ResourceInUseException"
    with pytest.raises(ClientError) as excinfo:  # any UpdateTable, from any member
        ddb(OTHER).update_table(TableName=unique, DeletionProtectionEnabled=True)
    assert error_code(excinfo) == "ResourceInUseException"
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).delete_table(TableName=unique)
    assert error_code(excinfo) == "ResourceInUseException"
    with pytest.raises(ClientError):
        ddb(THIRD).describe_table(TableName=unique)


def test_one_replica_change_per_request(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique)
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Create": {"RegionName": OTHER}},
                                                                 {"Create": {"RegionName": THIRD}}])
    assert error_code(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).update_table(TableName=unique, DeletionProtectionEnabled=True,
                               ReplicaUpdates=[{"Create": {"RegionName": OTHER}}])
    assert error_code(excinfo) == "ValidationException"
    assert "Replicas" not in ddb(MAIN).describe_table(TableName=unique)["Table"]
    with pytest.raises(ClientError):
        ddb(OTHER).describe_table(TableName=unique)


@pytest.mark.parametrize("stream", [None, {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}])
def test_replica_needs_new_and_old_images_stream(ddb, unique, replica_delay, stream):
    replica_delay(0)
    make_table(ddb(MAIN), unique, stream=stream)
    with pytest.raises(ClientError) as excinfo:
        add_replica(ddb(MAIN), unique, OTHER)
    assert error_code(excinfo) == "ValidationException"
    assert "NEW_AND_OLD_IMAGES" in str(excinfo.value)
    with pytest.raises(ClientError):
        ddb(OTHER).describe_table(TableName=unique)


def test_duplicate_existing_or_unknown_replica_region_refused(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique)
    for region in (MAIN, "mars-north-1"):
        with pytest.raises(ClientError) as excinfo:
            add_replica(ddb(MAIN), unique, region)
        assert error_code(excinfo) == "ValidationException"
    make_table(ddb(THIRD), unique)  # an unrelated table of that name
    with pytest.raises(ClientError) as excinfo:
        add_replica(ddb(MAIN), unique, THIRD)
    assert error_code(excinfo) == "ValidationException"
    add_replica(ddb(MAIN), unique, OTHER)
    with pytest.raises(ClientError) as excinfo:
        add_replica(ddb(MAIN), unique, OTHER)
    assert error_code(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).update_table(TableName=unique, StreamSpecification={"StreamEnabled": False})
    assert error_code(excinfo) == "ValidationException"


def test_items_written_in_one_region_are_read_in_the_others(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique)
    add_replica(ddb(MAIN), unique, OTHER)
    wait_active(ddb(MAIN), unique)
    add_replica(ddb(OTHER), unique, THIRD)  # a replica can add replicas too
    wait_active(ddb(MAIN), unique)
    assert {r["RegionName"] for r in ddb(THIRD).describe_table(TableName=unique)["Table"]["Replicas"]} == {MAIN, OTHER}
    key = {"pk": {"S": "a"}, "sk": {"S": "1"}}

    ddb(MAIN).put_item(TableName=unique, Item=dict(key, owner={"S": "me"}, n={"N": "1"}))
    for region in (OTHER, THIRD):
        assert ddb(region).get_item(TableName=unique, Key=key)["Item"]["n"] == {"N": "1"}
    assert ddb(OTHER).query(TableName=unique, IndexName="by-owner", KeyConditionExpression="#o = :o",
                            ExpressionAttributeNames={"#o": "owner"},
                            ExpressionAttributeValues={":o": {"S": "me"}})["Count"] == 1

    ddb(OTHER).update_item(TableName=unique, Key=key, UpdateExpression="SET n = :v",
                           ExpressionAttributeValues={":v": {"N": "2"}})
    assert ddb(MAIN).get_item(TableName=unique, Key=key)["Item"]["n"] == {"N": "2"}

    ddb(THIRD).batch_write_item(RequestItems={unique: [
        {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"S": "1"}}}},
        {"DeleteRequest": {"Key": key}},
    ]})
    assert "Item" not in ddb(MAIN).get_item(TableName=unique, Key=key)
    assert ddb(MAIN).scan(TableName=unique)["Count"] == 1

    ddb(MAIN).transact_write_items(TransactItems=[
        {"Put": {"TableName": unique, "Item": {"pk": {"S": "c"}, "sk": {"S": "1"}}}},
        {"Delete": {"TableName": unique, "Key": {"pk": {"S": "b"}, "sk": {"S": "1"}}}},
    ])
    assert [i["pk"]["S"] for i in ddb(OTHER).scan(TableName=unique)["Items"]] == ["c"]

    ddb(OTHER).delete_item(TableName=unique, Key={"pk": {"S": "c"}, "sk": {"S": "1"}})
    assert ddb(THIRD).scan(TableName=unique)["Count"] == 0
    assert ddb(MAIN).describe_table(TableName=unique)["Table"]["ItemCount"] == 0


def test_replica_delete_then_gone(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique)
    add_replica(ddb(MAIN), unique, OTHER)
    wait_active(ddb(MAIN), unique)
    replica_delay(1)
    answer = ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Delete": {"RegionName": OTHER}}])
    assert answer["TableDescription"]["Replicas"] == [{"RegionName": OTHER, "ReplicaStatus": "DELETING"}]
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["TableStatus"] == "DELETING"
    main = wait_active(ddb(MAIN), unique)
    assert "Replicas" not in main
    with pytest.raises(ClientError) as excinfo:
        ddb(OTHER).describe_table(TableName=unique)
    assert error_code(excinfo) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:  # nothing left to delete
        ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Delete": {"RegionName": OTHER}}])
    assert error_code(excinfo) == "ValidationException"


def test_deletion_protection_is_respected(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique, DeletionProtectionEnabled=True)
    add_replica(ddb(MAIN), unique, OTHER)
    wait_active(ddb(MAIN), unique)
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["DeletionProtectionEnabled"] is False
    ddb(OTHER).update_table(TableName=unique, DeletionProtectionEnabled=True)
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Delete": {"RegionName": OTHER}}])
    assert error_code(excinfo) == "ValidationException"
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).delete_table(TableName=unique)
    assert error_code(excinfo) == "ValidationException"
    assert ddb(MAIN).describe_table(TableName=unique)["Table"]["Replicas"][0]["ReplicaStatus"] == "ACTIVE"

    ddb(OTHER).update_table(TableName=unique, DeletionProtectionEnabled=False)
    ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Delete": {"RegionName": OTHER}}])
    wait_active(ddb(MAIN), unique)
    ddb(MAIN).update_table(TableName=unique, DeletionProtectionEnabled=False)
    ddb(MAIN).delete_table(TableName=unique)
    with pytest.raises(ClientError):
        ddb(MAIN).describe_table(TableName=unique)


def test_delete_table_in_one_region_leaves_the_others(ddb, unique, replica_delay):
    replica_delay(0)
    make_table(ddb(MAIN), unique)
    add_replica(ddb(MAIN), unique, OTHER)
    wait_active(ddb(MAIN), unique)
    ddb(MAIN).put_item(TableName=unique, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
    ddb(MAIN).delete_table(TableName=unique)
    remaining = ddb(OTHER).describe_table(TableName=unique)["Table"]
    assert remaining["TableStatus"] == "ACTIVE" and "Replicas" not in remaining
    assert remaining["ItemCount"] == 1


def test_sse_update_is_applied(ddb, unique):
    make_table(ddb(MAIN), unique, gsi=False)
    assert "SSEDescription" not in ddb(MAIN).describe_table(TableName=unique)["Table"]
    ddb(MAIN).update_table(TableName=unique, SSESpecification={"Enabled": True, "SSEType": "KMS"})
    assert ddb(MAIN).describe_table(TableName=unique)["Table"]["SSEDescription"]["Status"] == "ENABLED"


def test_legacy_global_table_calls_answer_like_aws(ddb, unique):
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).describe_global_table(GlobalTableName=unique)
    assert error_code(excinfo) == "GlobalTableNotFoundException"
    assert ddb(MAIN).list_global_tables()["GlobalTables"] == []
    with pytest.raises(ClientError) as excinfo:
        ddb(MAIN).create_global_table(GlobalTableName=unique, ReplicationGroup=[{"RegionName": MAIN}])
    assert error_code(excinfo) == "ValidationException"


def test_a_replicas_protection_and_pitr_are_its_own(ddb, unique, replica_delay):
    # AWS keeps both per replica: set in the replica's region, read back there, the main table unchanged.
    replica_delay(0)
    make_table(ddb(MAIN), unique, gsi=False, DeletionProtectionEnabled=True)
    add_replica(ddb(MAIN), unique, OTHER)
    wait_active(ddb(MAIN), unique)
    assert ddb(OTHER).describe_continuous_backups(TableName=unique)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    ddb(OTHER).update_table(TableName=unique, DeletionProtectionEnabled=True)
    ddb(OTHER).update_continuous_backups(TableName=unique,
                                         PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["DeletionProtectionEnabled"] is True
    assert ddb(OTHER).describe_continuous_backups(TableName=unique)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert ddb(MAIN).describe_continuous_backups(TableName=unique)["ContinuousBackupsDescription"][
        "PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    ddb(OTHER).update_table(TableName=unique, DeletionProtectionEnabled=False)
    assert ddb(MAIN).describe_table(TableName=unique)["Table"]["DeletionProtectionEnabled"] is True
    ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Delete": {"RegionName": OTHER}}])
    wait_active(ddb(MAIN), unique)
    ddb(MAIN).update_table(TableName=unique, DeletionProtectionEnabled=False)
    ddb(MAIN).delete_table(TableName=unique)


def test_a_replica_takes_its_regions_kms_key_on_create_and_update(ddb, unique, replica_delay):
    replica_delay(0)
    main_key = "arn:aws:kms:%s:123456789012:key/main" % MAIN
    make_table(ddb(MAIN), unique, gsi=False,
               SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": main_key})
    own = "arn:aws:kms:%s:123456789012:key/own" % OTHER
    ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Create": {"RegionName": OTHER, "KMSMasterKeyId": own}}])
    wait_active(ddb(MAIN), unique)
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == own
    assert ddb(MAIN).describe_table(TableName=unique)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == main_key
    moved = "arn:aws:kms:%s:123456789012:key/moved" % OTHER
    ddb(MAIN).update_table(TableName=unique, ReplicaUpdates=[{"Update": {"RegionName": OTHER, "KMSMasterKeyId": moved}}])
    assert ddb(OTHER).describe_table(TableName=unique)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == moved
