"""DynamoDB global tables version 2019.11.21 (moto 5.2.5 ignores ReplicaUpdates).

What this layer adds, in moto's server mode:

- UpdateTable ``ReplicaUpdates`` ``Create`` makes a replica table appear in the
  other region with the same key schema, attribute definitions, GSIs, LSIs,
  billing mode and a NEW_AND_OLD_IMAGES stream; ``Delete`` removes it.
  ``Create`` and ``Update`` take the replica region's ``KMSMasterKeyId``
  (the replica of a KMS-encrypted table is encrypted with it, else with its
  region's default key); other ``Update`` fields are accepted (nothing to model).
- The replicas of one table form a replication group. DescribeTable (and the
  TableDescription of CreateTable/UpdateTable/DeleteTable) in every region of
  the group lists the *other* members under ``Replicas`` (``RegionName``,
  ``ReplicaStatus``) and carries ``GlobalTableVersion``.
- Replica changes take time, as on AWS: a new replica is CREATING (its own
  TableStatus CREATING) and a removed one DELETING for ``replica_delay``
  seconds (env ``LOCALAWS_DYNAMODB_REPLICA_DELAY`` read at install time,
  default 1), during which every other member's TableStatus is UPDATING.
  States are settled lazily, at the start of each DynamoDB request.
- UpdateTable on a table that is not ACTIVE fails with ResourceInUseException;
  a request with more than one replica change, a replica change mixed with
  other changes, a replica without a NEW_AND_OLD_IMAGES stream, a replica that
  exists already, an unknown region, removing a replica that has deletion
  protection, or disabling the stream of a replicated table: ValidationException.
- Items are replicated: the members of a group share one item store, so an
  item written in one region (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
  TransactWriteItems, PartiQL) is readable at once in the others (eventual
  consistency that happens to be immediate). Stream records stay in the region
  that was written.
- DeleteTable in one region (deletion protection respected, as moto does)
  removes that member from its group; the others stay replicas of each other.
- UpdateTable ``SSESpecification`` is applied (moto ignored it), and every
  secondary index carries its ``IndexArn`` (moto left it out).
- The legacy 2017.11.29 calls answer like AWS for a table that is not a legacy
  global table (moto answered 500): DescribeGlobalTable
  GlobalTableNotFoundException, ListGlobalTables empty, CreateGlobalTable /
  UpdateGlobalTable a ValidationException naming this layer.

Control hook for tests (not an AWS operation): a SigV4-style request to the
DynamoDB endpoint with ``X-Amz-Target: LocalAwsDynamoDB_20120810.Configure`` and a JSON
body ``{"replica_delay": seconds}`` changes the settings and answers them; an
empty body only reads them.
"""

import json
import os
import threading
import time

REPLICA_DELAY_ENV = "LOCALAWS_DYNAMODB_REPLICA_DELAY"
DEFAULT_REPLICA_DELAY = 1.0
GLOBAL_TABLE_VERSION = "2019.11.21"
CONTROL_TARGET = "LocalAwsDynamoDB_20120810.Configure"  # moto routes on the "_<version>" part
NEW_AND_OLD_IMAGES = "NEW_AND_OLD_IMAGES"
OTHER_UPDATE_KEYS = ("GlobalSecondaryIndexUpdates", "ProvisionedThroughput", "BillingMode", "StreamSpecification",
                     "SSESpecification", "DeletionProtectionEnabled", "WarmThroughput", "OnDemandThroughput")

SETTINGS = {"replica_delay": DEFAULT_REPLICA_DELAY}
_LOCK = threading.RLock()
# (account_id, table_name) -> ReplicaGroup; a table name belongs to at most one
# group per account (AWS requires the same name in every replica region).
_GROUPS = {}


class ReplicaGroup:
    """The regions holding replicas of one table, with each member's state."""

    def __init__(self, account_id, name):
        self.account_id = account_id
        self.name = name
        self.members = {}  # region -> {"status": CREATING|ACTIVE|DELETING, "until": epoch seconds}

    def add(self, region, status="ACTIVE", until=0.0):
        self.members[region] = {"status": status, "until": until}

    def busy(self):
        return any(member["status"] != "ACTIVE" for member in self.members.values())

    def table_status(self, region):
        """TableStatus of the member in region, from the group's state."""
        own = self.members[region]["status"]
        if own != "ACTIVE":
            return own
        return "UPDATING" if self.busy() else "ACTIVE"

    def replicas_seen_from(self, region):
        return [
            {"RegionName": other, "ReplicaStatus": state["status"]}
            for other, state in sorted(self.members.items())
            if other != region
        ]


def install():
    """Patch moto's DynamoDB handler and table model (idempotent)."""
    from moto.dynamodb.models.table import Table  # pylint: disable=import-outside-toplevel
    from moto.dynamodb.responses import DynamoHandler  # pylint: disable=import-outside-toplevel

    delay = os.environ.get(REPLICA_DELAY_ENV)
    if delay not in (None, ""):
        SETTINGS["replica_delay"] = float(delay)
    if getattr(DynamoHandler, "_localaws_global_tables", False):
        return
    DynamoHandler._localaws_global_tables = True  # pylint: disable=protected-access

    original_dispatch = DynamoHandler._dispatch  # pylint: disable=protected-access
    original_call_action = DynamoHandler.call_action
    original_update_table = DynamoHandler.update_table
    original_delete_table = DynamoHandler.delete_table
    original_describe = Table.describe

    def _dispatch(self, request, full_url=None, headers=None):
        if request.headers.get("X-Amz-Target") == CONTROL_TARGET:
            return _configure(request.get_data())
        return original_dispatch(self, request, full_url, headers)

    def call_action(self):
        settle()
        return original_call_action(self)

    def update_table(self):
        with _LOCK:
            return _update_table(self, original_update_table)

    def delete_table(self):
        with _LOCK:
            return _delete_table(self, original_delete_table)

    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        _add_index_arns(result[base_key])
        _decorate(self, result[base_key])
        return result

    DynamoHandler._dispatch = _dispatch  # pylint: disable=protected-access
    DynamoHandler.call_action = call_action
    DynamoHandler.update_table = update_table
    DynamoHandler.delete_table = delete_table
    DynamoHandler.describe_global_table = _describe_global_table
    DynamoHandler.list_global_tables = _list_global_tables
    DynamoHandler.create_global_table = _legacy_write
    DynamoHandler.update_global_table = _legacy_write
    Table.describe = describe


def _configure(body):
    changes = json.loads(body or b"{}")
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        payload = {"__type": "ValidationException", "message": "unknown settings: %s" % ", ".join(sorted(unknown))}
        return 400, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(payload)
    with _LOCK:
        SETTINGS.update({key: float(value) for key, value in changes.items()})
        payload = dict(SETTINGS)
    return 200, {"Content-Type": "application/x-amz-json-1.0"}, json.dumps(payload)


def _backends():
    from moto.dynamodb.models import dynamodb_backends  # pylint: disable=import-outside-toplevel

    return dynamodb_backends


def settle(now=None):
    """Finish replica changes whose delay has passed."""
    now = time.time() if now is None else now
    with _LOCK:
        for key, group in list(_GROUPS.items()):
            for region, state in list(group.members.items()):
                if state["status"] == "ACTIVE" or state["until"] > now:
                    continue
                if state["status"] == "CREATING":
                    group.members[region] = {"status": "ACTIVE", "until": 0.0}
                elif state["status"] == "DELETING":
                    _backends()[group.account_id][region].tables.pop(group.name, None)
                    del group.members[region]
            # a member whose table vanished some other way leaves the group
            for region in list(group.members):
                if group.name not in _backends()[group.account_id][region].tables:
                    del group.members[region]
            if len(group.members) < 2 and not group.busy():
                del _GROUPS[key]


def group_of(table):
    group = _GROUPS.get((table.account_id, table.name))
    if group is not None and table.region_name in group.members:
        return group
    return None


def _add_index_arns(description):
    """AWS gives every secondary index an IndexArn (<table arn>/index/<name>); moto does not."""
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for index in description.get(key) or []:
            index.setdefault("IndexArn", "%s/index/%s" % (description["TableArn"], index["IndexName"]))


def _decorate(table, description):
    group = group_of(table)
    if group is None:
        return
    description["TableStatus"] = group.table_status(table.region_name)
    description["Replicas"] = group.replicas_seen_from(table.region_name)
    description["GlobalTableVersion"] = GLOBAL_TABLE_VERSION


def _errors():
    from moto.dynamodb import exceptions  # pylint: disable=import-outside-toplevel

    return exceptions


def _update_table(handler, original):
    errors = _errors()
    body = handler.body
    name = body["TableName"]
    table = handler.dynamodb_backend.get_table(name)
    group = group_of(table)
    status = group.table_status(table.region_name) if group else "ACTIVE"
    if status != "ACTIVE":
        raise errors.ResourceInUseException(
            "Attempt to change a resource which is still in use: Table is being %s: %s"
            % ("updated" if status == "UPDATING" else status.lower(), name))
    replica_updates = body.get("ReplicaUpdates")
    if replica_updates:
        if any(body.get(key) not in (None, [], {}) for key in OTHER_UPDATE_KEYS):
            raise errors.MockValidationException(
                "One or more parameter values were invalid: ReplicaUpdates cannot be combined with other table updates")
        if len(replica_updates) != 1:
            raise errors.MockValidationException(
                "One or more parameter values were invalid: only one replica update is allowed per request, got %d"
                % len(replica_updates))
        _replica_update(handler, table, replica_updates[0])
        return _result(table)
    stream = body.get("StreamSpecification")
    if group and stream is not None and not stream.get("StreamEnabled", True):
        raise errors.MockValidationException(
            "Table %s has replicas: its stream cannot be disabled while it is a global table" % name)
    result = original(handler)
    sse = body.get("SSESpecification")
    if sse is not None:
        table.sse_specification = dict(sse)
        if sse.get("Enabled") and "KMSMasterKeyId" not in table.sse_specification:
            table.sse_specification["KMSMasterKeyId"] = table._get_default_encryption_key(  # pylint: disable=protected-access
                table.account_id, table.region_name)
        result = _result(table)
    return result


def _result(table):
    from moto.dynamodb.responses import DynamoResult  # pylint: disable=import-outside-toplevel

    return DynamoResult(table.describe())


def _replica_update(handler, table, update):
    errors = _errors()
    kinds = [kind for kind in ("Create", "Update", "Delete") if update.get(kind)]
    if len(kinds) != 1:
        raise errors.MockValidationException(
            "One or more parameter values were invalid: a replica update needs exactly one of Create, Update, Delete")
    kind = kinds[0]
    region = update[kind].get("RegionName")
    account = _backends()[table.account_id]
    if region not in account.regions:
        raise errors.MockValidationException("Invalid region: %r is not a DynamoDB region" % region)
    group = group_of(table)
    if kind == "Create":
        _create_replica(table, region, group, update[kind].get("KMSMasterKeyId"))
        return
    if group is None or region not in group.members or region == table.region_name:
        raise errors.MockValidationException(
            "Cannot %s replica in region %s: table %s has no replica there" % (kind.lower(), region, table.name))
    if kind == "Update" and update[kind].get("KMSMasterKeyId"):
        replica = account[region].tables[table.name]
        replica.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": update[kind]["KMSMasterKeyId"]}
    if kind == "Delete":
        replica = account[region].tables.get(table.name)
        if replica is not None and replica.deletion_protection_enabled:
            raise errors.MockValidationException(
                "1 validation error detected: Replica %s in %s can't be deleted while DeletionProtectionEnabled is set to True"
                % (table.name, region))
        group.members[region] = {"status": "DELETING", "until": time.time() + SETTINGS["replica_delay"]}


def _create_replica(table, region, group, kms_key=None):
    errors = _errors()
    stream = table.stream_specification or {}
    if not stream.get("StreamEnabled") or stream.get("StreamViewType") != NEW_AND_OLD_IMAGES:
        raise errors.MockValidationException(
            "Table %s needs a stream with StreamViewType %s to have replicas" % (table.name, NEW_AND_OLD_IMAGES))
    if region == table.region_name or (group is not None and region in group.members):
        raise errors.MockValidationException(
            "Failed to create a the new replica of table with name: '%s' because one or more replicas already existed as tables."
            % table.name)
    target = _backends()[table.account_id][region]
    if table.name in target.tables:
        raise errors.MockValidationException(
            "Failed to create a the new replica of table with name: '%s' because one or more replicas already existed as tables."
            % table.name)
    sse = None
    if table.sse_specification and table.sse_specification.get("Enabled"):
        sse = {key: value for key, value in table.sse_specification.items() if key != "KMSMasterKeyId"}
        if kms_key:  # the replica region's own key (a KMS key belongs to one region)
            sse["KMSMasterKeyId"] = kms_key
    replica = target.create_table(
        table.name,
        schema=[dict(key) for key in table.schema],
        throughput={key: value for key, value in table.throughput.items() if key != "NumberOfDecreasesToday"}
        if table.billing_mode == "PROVISIONED" else None,
        attr=[dict(attr) for attr in table.attr],
        global_indexes=[_index_spec(index, with_throughput=table.billing_mode == "PROVISIONED")
                        for index in table.global_indexes],
        indexes=[_index_spec(index) for index in table.indexes],
        streams={"StreamEnabled": True, "StreamViewType": NEW_AND_OLD_IMAGES},
        billing_mode=table.billing_mode,
        sse_specification=sse,
        tags=[],
        deletion_protection_enabled=False,
        warm_throughput=None,
    )
    replica.items = table.items  # one item store for the whole group
    if group is None:
        group = ReplicaGroup(table.account_id, table.name)
        group.add(table.region_name)
        _GROUPS[(table.account_id, table.name)] = group
    group.add(region, "CREATING", time.time() + SETTINGS["replica_delay"])


def _index_spec(index, with_throughput=False):
    spec = {"IndexName": index.name, "KeySchema": [dict(key) for key in index.schema],
            "Projection": dict(index.projection)}
    if with_throughput and getattr(index, "throughput", None):
        spec["ProvisionedThroughput"] = {key: value for key, value in index.throughput.items()
                                         if key in ("ReadCapacityUnits", "WriteCapacityUnits")}
    return spec


def _delete_table(handler, original):
    errors = _errors()
    name = handler.body["TableName"]
    table = handler.dynamodb_backend.get_table(name)
    group = group_of(table)
    if group is not None:
        status = group.table_status(table.region_name)
        if status != "ACTIVE":
            raise errors.ResourceInUseException(
                "Attempt to change a resource which is still in use: Table is being %s: %s"
                % ({"CREATING": "created", "DELETING": "deleted"}.get(status, "updated"), name))
    result = original(handler)  # raises when deletion protection is on
    if group is not None:
        del group.members[table.region_name]
    return result


def _describe_global_table(handler):
    from moto.dynamodb.exceptions import DynamodbException  # pylint: disable=import-outside-toplevel

    name = handler.body.get("GlobalTableName")
    raise DynamodbException("com.amazonaws.dynamodb.v20120810#GlobalTableNotFoundException",
                            "Global table not found: Global table with name: '%s' does not exist." % name)


def _list_global_tables(handler):  # pylint: disable=unused-argument
    from moto.core.responses import ActionResult  # pylint: disable=import-outside-toplevel

    return ActionResult({"GlobalTables": []})


def _legacy_write(handler):  # pylint: disable=unused-argument
    raise _errors().MockValidationException(
        "localaws models global tables version 2019.11.21 only (UpdateTable ReplicaUpdates); "
        "version 2017.11.29 calls are not supported")
