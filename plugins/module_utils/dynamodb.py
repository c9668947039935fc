# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DynamoDB code for dynamodb_global_table (global tables version 2019.11.21).

Pure helpers (no boto3; unit-tested): option validation, CreateTable
parameters, the next UpdateTable changes a live table needs (one kind of change
per request, as AWS requires), the replica reconciliation plan, the deletion
guard, and the snake_case views returned to the user.

Client wrappers: one per API call, each carrying the retry decorator inside
DynamoDBErrorHandler, which turns botocore errors into AnsibleDynamoDBError.

Waiting: ``wait_idle`` polls DescribeTable until the table, its indexes and all
its replicas are ACTIVE, bounded by a deadline. ``apply_when_idle`` makes one
change at a time: it waits until the table is idle, asks a ``decide`` function
what (if anything) is still needed on the fresh description, and retries
through ResourceInUseException / LimitExceededException, re-deciding each time,
so several hosts asking for changes of the same table at once all succeed.
A LimitExceededException about a daily quota (throughput decreases, billing
mode switches) does not clear up within a run and fails at once.
"""

import datetime
import random
import re
import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import plan_tag_changes
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after
from ansible_collections.multiregion.appsync.plugins.module_utils.regions import is_region_name

STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES"
KEY_TYPES = ("S", "N", "B")
BILLING_MODES = ("PAY_PER_REQUEST", "PROVISIONED")
PROJECTION_TYPES = ("ALL", "KEYS_ONLY", "INCLUDE")
TABLE_NAME_RE = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")
# What AWS gives a replica it creates: deletion protection off, point-in-time recovery off.
NEW_REPLICA_SETTINGS = {"deletion_protection": False, "point_in_time_recovery": False}
# UpdateTable answers these while another change of the table is in progress
# (from this host or another one): wait for the table to be idle and retry.
BUSY_CODES = ("ResourceInUseException", "LimitExceededException")
# LimitExceededException also reports the quotas that last for the rest of the UTC day
# ("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given
# UTC day ...", "... limited to once in 1 day(s)"); the concurrent-operation kind
# ("Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted
# simultaneously") shares the prefix but names no day, and clears up by itself.
DAILY_QUOTA_RE = re.compile(r"\bday", re.IGNORECASE)
DYNAMODB_RETRY_CODES = ["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded"]
# Table and replica waits poll DescribeTable (a cheap read, in the module's own
# process) every 1 s, growing to 2 s: a replica that turns ACTIVE is seen within
# 2 s, and the next one in the chain requested about as soon, where a 5 s cap
# added up to twice 5-7 s per replica on the deployment's critical path
# (docs/performance.md).
POLL_FIRST = 1.0
POLL_MAX = 2.0


class DynamoDBValidationError(ValueError):
    """One-line message naming the option and the value at fault."""


class AnsibleDynamoDBError(AnsibleAWSError):
    pass


class DynamoDBErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleDynamoDBError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException", "TableNotFoundException"])


dynamodb_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=DYNAMODB_RETRY_CODES)
# Right after a table is created, PITR can answer ContinuousBackupsUnavailableException for a while.
pitr_retry = AWSRetry.jittered_backoff(catch_extra_error_codes=DYNAMODB_RETRY_CODES + ["ContinuousBackupsUnavailableException"])


def _error_field(error, field):
    inner = getattr(error, "exception", None) or error
    response = getattr(inner, "response", None) or {}
    return response.get("Error", {}).get(field)


def error_code(error):
    """The AWS error code of an AnsibleAWSError wrapping a ClientError (or of a ClientError), else None."""
    return _error_field(error, "Code")


def is_daily_quota(error):
    """True for a LimitExceededException about a quota that resets only with the next UTC day."""
    return error_code(error) == "LimitExceededException" and bool(DAILY_QUOTA_RE.search(_error_field(error, "Message") or ""))


def is_busy(error):
    """True for the errors that mean "another change of the table is in progress": wait and retry."""
    return error_code(error) in BUSY_CODES and not is_daily_quota(error)


def daily_quota_error(name, kwargs, error):
    """The one-line DynamoDBValidationError for a change refused until the next UTC day."""
    option = "billing_mode" if "BillingMode" in kwargs else "provisioned_throughput"
    return DynamoDBValidationError("%s: DynamoDB refuses this change of table %s for the rest of the UTC day (%s)"
                                   % (option, name, " ".join((_error_field(error, "Message") or "").split())))


# ---------------------------------------------------------------------------
# Validation and desired state (pure)
# ---------------------------------------------------------------------------

def _key_schema(hash_key, range_key):
    schema = [{"AttributeName": hash_key["name"], "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key["name"], "KeyType": "RANGE"})
    return schema


def _attribute_types(params):
    """{attribute name: type} of every key attribute (table and GSIs); raises on a conflict."""
    types = {}
    sources = [("hash_key", params.get("hash_key")), ("range_key", params.get("range_key"))]
    for index in params.get("global_secondary_indexes") or []:
        sources.append(("global_secondary_indexes[%s].hash_key" % index["name"], index.get("hash_key")))
        sources.append(("global_secondary_indexes[%s].range_key" % index["name"], index.get("range_key")))
    for option, key in sources:
        if not key:
            continue
        known = types.get(key["name"])
        if known is not None and known != key["type"]:
            raise DynamoDBValidationError(
                "%s: attribute %r has type %s here but %s elsewhere" % (option, key["name"], key["type"], known))
        types[key["name"]] = key["type"]
    return types


def validate_params(params, main_region=None):
    """Check the options before any AWS call; raises DynamoDBValidationError.

    main_region: the connection region (listed in replicas, it is not a replica).
    """
    name = params["name"]
    if not TABLE_NAME_RE.match(name or ""):
        raise DynamoDBValidationError("name: %r is not a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)" % name)
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
        raise DynamoDBValidationError("wait_timeout: must be at least 1 second, got %s" % params["wait_timeout"])
    if params.get("state", "present") != "present":
        return
    for option in ("hash_key", "range_key"):
        key = params.get(option)
        if key is not None and not key.get("name"):
            raise DynamoDBValidationError("%s.name: must not be empty" % option)
    if params.get("range_key") and params.get("hash_key") and params["range_key"]["name"] == params["hash_key"]["name"]:
        raise DynamoDBValidationError("range_key.name: %r is already the hash key" % params["range_key"]["name"])
    throughput = params.get("provisioned_throughput")
    if params.get("billing_mode") == "PROVISIONED" and not throughput:
        raise DynamoDBValidationError("provisioned_throughput: required with billing_mode=PROVISIONED")
    if params.get("billing_mode") == "PAY_PER_REQUEST" and throughput:
        raise DynamoDBValidationError("provisioned_throughput: only used with billing_mode=PROVISIONED")
    seen = set()
    for index in params.get("global_secondary_indexes") or []:
        label = "global_secondary_indexes[%s]" % index.get("name")
        if not index.get("name"):
            raise DynamoDBValidationError("global_secondary_indexes: every index needs a name")
        if index["name"] in seen:
            raise DynamoDBValidationError("%s: index name given twice" % label)
        seen.add(index["name"])
        projection = index.get("projection") or {}
        if projection.get("type", "ALL") == "INCLUDE" and not projection.get("non_key_attributes"):
            raise DynamoDBValidationError("%s.projection.non_key_attributes: required with projection type INCLUDE" % label)
        if projection.get("type", "ALL") != "INCLUDE" and projection.get("non_key_attributes"):
            raise DynamoDBValidationError("%s.projection.non_key_attributes: only used with projection type INCLUDE" % label)
    _attribute_types(params)
    sse = params.get("sse")
    if sse and sse.get("kms_key_id") and not sse.get("enabled", True):
        raise DynamoDBValidationError("sse.kms_key_id: only used with sse.enabled=true")
    for replica in params.get("replicas") or []:
        if not is_region_name(replica):
            raise DynamoDBValidationError("replicas: %r is not an AWS region name" % replica)
    if params.get("purge_replicas") and params.get("replicas") is None:
        raise DynamoDBValidationError(
            "purge_replicas: true needs replicas (the complete replica set) with state=present")
    _validate_global_table_settings(params, main_region)


def _validate_global_table_settings(params, main_region):
    """Refuse the table settings AWS refuses for a table with replicas, before any write."""
    others = [r for r in params.get("replicas") or [] if r != main_region]
    if params.get("billing_mode") == "PROVISIONED" and others:
        raise DynamoDBValidationError(
            "billing_mode: PROVISIONED with replicas (%s) is refused: AWS adds a replica to a PROVISIONED table only "
            "when its write capacity is auto scaled, which this module does not manage; use PAY_PER_REQUEST"
            % ", ".join(sorted(others)))
    replica_keys = params.get("replica_kms_keys") or {}
    for region, key in sorted(replica_keys.items()):
        if not is_region_name(region):
            raise DynamoDBValidationError("replica_kms_keys: %r is not an AWS region name" % region)
        if not key:
            raise DynamoDBValidationError("replica_kms_keys.%s: needs a KMS key id, alias or ARN" % region)
    customer_key = (params.get("sse") or {}).get("kms_key_id")
    if replica_keys and not customer_key:
        raise DynamoDBValidationError("replica_kms_keys: only used with sse.kms_key_id (a customer managed key)")
    missing = sorted(r for r in others if r not in replica_keys)
    if customer_key and missing:
        raise DynamoDBValidationError(
            "replica_kms_keys: sse.kms_key_id is a customer managed KMS key, which belongs to one region; "
            "give each replica region its own key (missing: %s)" % ", ".join(missing))


def _projection(projection):
    projection = projection or {}
    result = {"ProjectionType": projection.get("type") or "ALL"}
    if result["ProjectionType"] == "INCLUDE":
        result["NonKeyAttributes"] = list(projection.get("non_key_attributes") or [])
    return result


def _throughput(throughput):
    return {"ReadCapacityUnits": throughput["read_capacity_units"], "WriteCapacityUnits": throughput["write_capacity_units"]}


def build_gsi(index, params):
    """A GlobalSecondaryIndexes entry (CreateTable / UpdateTable Create) for one option entry."""
    gsi = {
        "IndexName": index["name"],
        "KeySchema": _key_schema(index["hash_key"], index.get("range_key")),
        "Projection": _projection(index.get("projection")),
    }
    if params.get("billing_mode") == "PROVISIONED":
        gsi["ProvisionedThroughput"] = _throughput(params["provisioned_throughput"])
    return gsi


def build_sse(sse):
    """SSESpecification for the sse option (None = leave alone)."""
    if sse is None:
        return None
    if not sse.get("enabled", True):
        return {"Enabled": False}
    spec = {"Enabled": True, "SSEType": "KMS"}
    if sse.get("kms_key_id"):
        spec["KMSMasterKeyId"] = sse["kms_key_id"]
    return spec


def build_create_params(params):
    """CreateTable kwargs: key schema, billing, stream NEW_AND_OLD_IMAGES, GSIs, SSE, protection, tags."""
    types = _attribute_types(params)
    kwargs = {
        "TableName": params["name"],
        "KeySchema": _key_schema(params["hash_key"], params.get("range_key")),
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in sorted(types.items())],
        "BillingMode": params.get("billing_mode") or "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW_TYPE},
        "DeletionProtectionEnabled": bool(params.get("deletion_protection")),
        "Tags": ansible_dict_to_boto3_tag_list(desired_tags(params.get("tags") or {})),
    }
    if kwargs["BillingMode"] == "PROVISIONED":
        kwargs["ProvisionedThroughput"] = _throughput(params["provisioned_throughput"])
    if params.get("global_secondary_indexes"):
        kwargs["GlobalSecondaryIndexes"] = [build_gsi(i, params) for i in params["global_secondary_indexes"]]
    sse = build_sse(params.get("sse"))
    if sse and sse["Enabled"]:
        kwargs["SSESpecification"] = sse
    return kwargs


def check_key_schema(description, params):
    """Raise when hash_key/range_key differ from the live table's (a key schema never changes)."""
    if not params.get("hash_key"):
        return
    types = {a["AttributeName"]: a["AttributeType"] for a in description.get("AttributeDefinitions", [])}
    live = {k["KeyType"]: {"name": k["AttributeName"], "type": types.get(k["AttributeName"])}
            for k in description.get("KeySchema", [])}
    for option, key_type in (("hash_key", "HASH"), ("range_key", "RANGE")):
        wanted = params.get(option)
        wanted = {"name": wanted["name"], "type": wanted["type"]} if wanted else None
        if wanted != live.get(key_type):
            raise DynamoDBValidationError(
                "%s: %s differs from the live table's %s; a table's key schema cannot change"
                % (option, _key_text(wanted), _key_text(live.get(key_type))))


def _key_text(key):
    return "%s (%s)" % (key["name"], key["type"]) if key else "none"


def _sse_enabled(description):
    return (description.get("SSEDescription") or {}).get("Status") in ("ENABLED", "ENABLING", "UPDATING")


def is_kms_alias(key_id):
    """True for "alias/name" or an alias ARN: DescribeTable reports the key's ARN, never the alias."""
    return bool(key_id) and (key_id.startswith("alias/") or ":alias/" in key_id)


def _sse_key_matches(description, kms_key_id):
    arn = (description.get("SSEDescription") or {}).get("KMSMasterKeyArn")
    return arn is None or arn == kms_key_id or arn.endswith("/" + kms_key_id)


def table_updates(description, params):
    """Every UpdateTable change the live table needs, each a kwargs dict (without TableName).

    One kind of change per request, in order: billing/throughput, stream,
    GSI deletions, GSI creations, SSE, deletion protection. The caller applies
    the first, waits for the table to be ACTIVE, and asks again. Raises
    DynamoDBValidationError for what cannot be changed in place.
    """
    return (_billing_updates(description, params) + _stream_updates(description, params)
            + _index_updates(description, params) + _sse_updates(description, params)
            + _protection_updates(description, params))


def _billing_updates(description, params):
    billing = params.get("billing_mode") or "PAY_PER_REQUEST"
    live_billing = (description.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED"
    if billing == live_billing:
        if billing != "PROVISIONED":
            return []
        live = description.get("ProvisionedThroughput") or {}
        wanted = _throughput(params["provisioned_throughput"])
        return [{"ProvisionedThroughput": wanted}] if any(live.get(k) != v for k, v in wanted.items()) else []
    update = {"BillingMode": billing}
    if billing == "PROVISIONED":
        if live_replicas(description):
            raise DynamoDBValidationError(
                "billing_mode: table %s has replicas (%s) and AWS keeps a global table PROVISIONED only with its write "
                "capacity auto scaled, which this module does not manage; keep PAY_PER_REQUEST"
                % (params["name"], ", ".join(live_replicas(description))))
        update["ProvisionedThroughput"] = _throughput(params["provisioned_throughput"])
        live_indexes = [i["IndexName"] for i in description.get("GlobalSecondaryIndexes") or []]
        kept = [n for n in live_indexes if params.get("global_secondary_indexes") is None
                or n in {i["name"] for i in params["global_secondary_indexes"]}]
        if kept:
            update["GlobalSecondaryIndexUpdates"] = [
                {"Update": {"IndexName": n, "ProvisionedThroughput": _throughput(params["provisioned_throughput"])}}
                for n in sorted(kept)]
    return [update]


def _stream_updates(description, params):
    stream = description.get("StreamSpecification") or {}
    if not stream.get("StreamEnabled"):
        return [{"StreamSpecification": {"StreamEnabled": True, "StreamViewType": STREAM_VIEW_TYPE}}]
    if stream.get("StreamViewType") == STREAM_VIEW_TYPE:
        return []
    if description.get("Replicas"):
        raise DynamoDBValidationError(
            "table %s streams %s but replicas need %s, and the stream of a table with replicas cannot be changed"
            % (params["name"], stream.get("StreamViewType"), STREAM_VIEW_TYPE))
    return [{"StreamSpecification": {"StreamEnabled": False}}]


def _index_updates(description, params):
    """GSI deletions, then creations (each with the attribute definitions it needs)."""
    if params.get("global_secondary_indexes") is None:
        return []
    live_indexes = {i["IndexName"]: i for i in description.get("GlobalSecondaryIndexes") or []}
    wanted = {i["name"]: i for i in params["global_secondary_indexes"]}
    updates = [{"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": name}}]}
               for name in sorted(set(live_indexes) - set(wanted))]
    types = _attribute_types(dict(params, hash_key=None, range_key=None))
    for name in sorted(wanted):
        gsi = build_gsi(wanted[name], params)
        live = live_indexes.get(name)
        if live is None:
            # the live definitions plus the new index's keys (some APIs replace the list)
            attributes = dict((a["AttributeName"], a["AttributeType"]) for a in description.get("AttributeDefinitions") or [])
            for key in gsi["KeySchema"]:
                attributes.setdefault(key["AttributeName"], types[key["AttributeName"]])
            updates.append({
                "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in sorted(attributes.items())],
                "GlobalSecondaryIndexUpdates": [{"Create": gsi}],
            })
        elif live.get("KeySchema") != gsi["KeySchema"] or \
                _comparable_projection(live.get("Projection")) != _comparable_projection(gsi["Projection"]):
            raise DynamoDBValidationError(
                "global_secondary_indexes[%s]: key schema or projection differs from the live index; "
                "an index cannot change in place: give the new index another name" % name)
    return updates


def _sse_updates(description, params):
    sse = params.get("sse")
    if sse is None:
        return []
    wanted_on = bool(sse.get("enabled", True))
    if wanted_on != _sse_enabled(description) or (
            wanted_on and sse.get("kms_key_id") and not _sse_key_matches(description, sse["kms_key_id"])):
        return [{"SSESpecification": build_sse(sse)}]
    return []


def _protection_updates(description, params):
    wanted = params.get("deletion_protection")
    if wanted is None or bool(description.get("DeletionProtectionEnabled")) == bool(wanted):
        return []
    return [{"DeletionProtectionEnabled": bool(wanted)}]


def _comparable_projection(projection):
    """A Projection with AWS's default type and the non-key attributes as a set:
    DescribeTable does not promise to keep the order they were given in."""
    projection = dict(projection or {})
    projection.setdefault("ProjectionType", "ALL")
    if projection["ProjectionType"] != "INCLUDE":
        projection.pop("NonKeyAttributes", None)
    else:
        projection["NonKeyAttributes"] = sorted(projection.get("NonKeyAttributes") or [])
    return projection


def pitr_enabled(continuous_backups):
    description = (continuous_backups or {}).get("PointInTimeRecoveryDescription") or {}
    return description.get("PointInTimeRecoveryStatus") in ("ENABLED", "ENABLING")


def tag_changes(current_tags, params):
    """(tags to set, keys to unset) for the tags/purge_tags options (ownership.plan_tag_changes)."""
    return plan_tag_changes(current_tags, params.get("tags"), params.get("purge_tags", True))


# ---------------------------------------------------------------------------
# Replicas (pure)
# ---------------------------------------------------------------------------

def live_replicas(description):
    """Regions holding a replica that is not on its way out, sorted."""
    return sorted(r["RegionName"] for r in (description or {}).get("Replicas") or []
                  if r.get("ReplicaStatus") != "DELETING")


def plan_replicas(main_region, desired, live, purge=False):
    """Reconcile the wanted replica set with the live one.

    main_region: the table's own region (ignored when listed in desired).
    desired: region names, or None (leave the replica set alone).
    live: region names of the live replicas.
    Returns {add, keep, remove, unmanaged}: regions to add; live and wanted;
    to remove (only with purge); live, unwanted but kept because purge is off.
    """
    live = sorted(set(live) - {main_region})
    if desired is None:
        return {"add": [], "keep": live, "remove": [], "unmanaged": []}
    wanted = sorted(set(desired) - {main_region})
    extra = [r for r in live if r not in wanted]
    return {
        "add": [r for r in wanted if r not in live],
        "keep": [r for r in live if r in wanted],
        "remove": extra if purge else [],
        "unmanaged": [] if purge else extra,
    }


def request_count(updates):
    """How many UpdateTable requests table_updates' list takes: replacing a
    stream takes two (off, then on with the new view type)."""
    return len(updates) + sum(1 for update in updates if update.get("StreamSpecification") == {"StreamEnabled": False})


def next_table_update(params):
    """decide() for the table's own settings: the first change table_updates still finds, or None."""

    def decide(description):
        updates = table_updates(description, params)
        return updates[0] if updates else None

    return decide


def replica_create_update(region, kms_key=None):
    """decide() for adding a replica (with its region's KMS key, if any): the UpdateTable change, or None once it is there."""

    def decide(description):
        if region in live_replicas(description):
            return None
        create = {"RegionName": region}
        if kms_key:
            create["KMSMasterKeyId"] = kms_key
        return {"ReplicaUpdates": [{"Create": create}]}

    return decide


def replica_kms_key_update(region, kms_key):
    """decide() for moving an existing replica to its region's KMS key (asked once: the key is read in the replica's region)."""

    def decide(description):
        if region not in live_replicas(description):
            return None
        return {"ReplicaUpdates": [{"Update": {"RegionName": region, "KMSMasterKeyId": kms_key}}]}

    return decide


def deletion_protection_update(enabled):
    """decide() for a table's own deletion protection (the main table, or a replica read in its region)."""

    def decide(description):
        if bool(description.get("DeletionProtectionEnabled")) == enabled:
            return None
        return {"DeletionProtectionEnabled": enabled}

    return decide


def wanted_replica_settings(params):
    """{deletion_protection, point_in_time_recovery} every listed replica gets, each defaulting to the main table's."""
    wanted = {}
    for setting, fallback in (("deletion_protection", "deletion_protection"),
                              ("point_in_time_recovery", "point_in_time_recovery")):
        value = params.get("replica_" + setting)
        value = params.get(fallback) if value is None else value
        if value is not None:
            wanted[setting] = bool(value)
    return wanted


def replica_settings(description, continuous_backups):
    """A replica's own settings, from DescribeTable / DescribeContinuousBackups in its region (None: no table there)."""
    if description is None:
        return None
    return {
        "deletion_protection": bool(description.get("DeletionProtectionEnabled")),
        "point_in_time_recovery": pitr_enabled(continuous_backups),
        "kms_master_key_arn": (description.get("SSEDescription") or {}).get("KMSMasterKeyArn"),
    }


def replica_setting_changes(current, wanted):
    """{setting: value} of wanted that current lacks; current None is a replica still to be made (NEW_REPLICA_SETTINGS)."""
    current = current or NEW_REPLICA_SETTINGS
    return dict((key, value) for key, value in wanted.items() if current.get(key) != value)


def replica_key_outdated(current, kms_key):
    """True when an existing replica is encrypted with another key than the one replica_kms_keys gives its region."""
    if not kms_key or current is None:
        return False
    arn = current.get("kms_master_key_arn")
    return not (arn == kms_key or (arn or "").endswith("/" + kms_key))


def replica_delete_update(region):
    """decide() for removing a replica: the UpdateTable change, or None once it is gone."""

    def decide(description):
        if region not in [r["RegionName"] for r in description.get("Replicas") or []]:
            return None
        return {"ReplicaUpdates": [{"Delete": {"RegionName": region}}]}

    return decide


def deletion_refusal(name, confirm, description, purge_replicas, keep_protection=True):
    """Why state=absent must not delete (a one-line message), or None.

    keep_protection false: a protected table may go (its protection is turned off
    just before the deletion, once nothing else refuses it).
    """
    if confirm != name:
        return "confirm_deletion: must equal the table name %r to delete the table (got %r)" % (name, confirm)
    if description is None:
        return None
    if description.get("DeletionProtectionEnabled") and keep_protection:
        return ("table %s has deletion protection on; give deletion_protection=false with state=absent to turn it off "
                "and delete the table" % name)
    replicas = live_replicas(description)
    if replicas and not purge_replicas:
        return ("table %s has replicas in %s; set purge_replicas=true to delete them with the table"
                % (name, ", ".join(replicas)))
    return None


# ---------------------------------------------------------------------------
# Views returned to the user (pure)
# ---------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return dict((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def normalize_table(description, continuous_backups=None, tags=None, replica_states=None):
    """DescribeTable's Table -> the module's `table` return (snake_case, tags a plain dict).

    replica_states: {region: replica_settings(...)}, read in each replica's region.
    """
    if description is None:
        return None
    table = camel_dict_to_snake_dict(_plain(description))
    table.update({
        "stream_arn": description.get("LatestStreamArn"),
        "latest_stream_arn": description.get("LatestStreamArn"),
        "billing_mode": (description.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED",
        "deletion_protection_enabled": bool(description.get("DeletionProtectionEnabled")),
        "point_in_time_recovery": pitr_enabled(continuous_backups),
        "replicas": [_replica_view(r["RegionName"], r.get("ReplicaStatus"), replica_states)
                     for r in sorted(description.get("Replicas") or [], key=lambda r: r["RegionName"])],
        "tags": dict(tags or {}),
    })
    return table


def _replica_view(region, status, replica_states):
    """One `replicas` entry; with replica_states ({region: replica_settings}), the replica's own settings too."""
    view = {"region_name": region, "replica_status": status}
    if replica_states is not None:
        settings = replica_states.get(region) or {}
        view["deletion_protection"] = settings.get("deletion_protection")
        view["point_in_time_recovery"] = settings.get("point_in_time_recovery")
    return view


def state_view(description, continuous_backups, tags, replica_states=None):
    """The comparable state shown in --diff (replica_states as for normalize_table)."""
    if description is None:
        return {}
    stream = description.get("StreamSpecification") or {}
    return {
        "billing_mode": (description.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED",
        "stream_view_type": stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        "global_secondary_indexes": sorted(i["IndexName"] for i in description.get("GlobalSecondaryIndexes") or []),
        "sse_enabled": _sse_enabled(description),
        "deletion_protection": bool(description.get("DeletionProtectionEnabled")),
        "point_in_time_recovery": pitr_enabled(continuous_backups),
        "replicas": live_replicas(description),
        "replica_settings": _replica_settings_view(replica_states),
        "tags": dict(tags or {}),
    }


def _replica_settings_view(replica_states):
    return dict((region, {"deletion_protection": state["deletion_protection"],
                          "point_in_time_recovery": state["point_in_time_recovery"]})
                for region, state in sorted((replica_states or {}).items()) if state is not None)


def desired_view(before, params, plan):
    """state_view after the options are applied, from the state before and the replica plan."""
    after = dict(before)
    after["billing_mode"] = params.get("billing_mode") or "PAY_PER_REQUEST"
    after["stream_view_type"] = STREAM_VIEW_TYPE
    if params.get("global_secondary_indexes") is not None:
        after["global_secondary_indexes"] = sorted(i["name"] for i in params["global_secondary_indexes"])
    if params.get("sse") is not None:
        after["sse_enabled"] = bool(params["sse"].get("enabled", True))
    if params.get("deletion_protection") is not None:
        after["deletion_protection"] = bool(params["deletion_protection"])
    if params.get("point_in_time_recovery") is not None:
        after["point_in_time_recovery"] = bool(params["point_in_time_recovery"])
    after["replicas"] = sorted(set(before.get("replicas", [])) - set(plan["remove"]) | set(plan["add"]))
    after["replica_settings"] = _desired_replica_settings(before.get("replica_settings") or {}, params, plan)
    to_set, to_unset = tag_changes(before.get("tags"), params)
    after["tags"] = tags_after(before.get("tags"), to_set, to_unset)
    return after


def _desired_replica_settings(before, params, plan):
    """replica_settings after the run: listed replicas take the wanted settings, removed ones are gone."""
    settings = dict((region, dict(state)) for region, state in before.items() if region not in plan["remove"])
    if params.get("replicas") is None:
        return settings
    wanted = wanted_replica_settings(params)
    for region in plan["add"] + plan["keep"]:
        settings[region] = dict(settings.get(region) or NEW_REPLICA_SETTINGS, **wanted)
    return settings


def predicted_table(params, plan):
    """The `table` return of a check-mode run that would create the table."""
    return {
        "table_name": params["name"],
        "table_arn": None,
        "table_status": "CREATING",
        "stream_arn": None,
        "latest_stream_arn": None,
        "billing_mode": params.get("billing_mode") or "PAY_PER_REQUEST",
        "deletion_protection_enabled": bool(params.get("deletion_protection")),
        "point_in_time_recovery": bool(params.get("point_in_time_recovery")),
        "replicas": [dict(wanted_replica_settings(params), region_name=r, replica_status="CREATING") for r in plan["add"]],
        "tags": desired_tags(params.get("tags") or {}),
    }


# ---------------------------------------------------------------------------
# Client wrappers: one per API call
# ---------------------------------------------------------------------------

@DynamoDBErrorHandler.list_error_handler("describe table", None)
@dynamodb_retry
def describe_table(client, name):
    return client.describe_table(TableName=name)["Table"]


@DynamoDBErrorHandler.common_error_handler("create table")
@dynamodb_retry
def create_table(client, **kwargs):
    return client.create_table(**kwargs)["TableDescription"]


@DynamoDBErrorHandler.common_error_handler("update table")
@dynamodb_retry
def update_table(client, **kwargs):
    return client.update_table(**kwargs)["TableDescription"]


@DynamoDBErrorHandler.deletion_error_handler("delete table")
@dynamodb_retry
def delete_table(client, name):
    client.delete_table(TableName=name)
    return True


@DynamoDBErrorHandler.common_error_handler("read the KMS key named by sse.kms_key_id")
@dynamodb_retry
def kms_key_arn(kms_client, key_id):
    """The ARN of the KMS key an alias (or id) names, as DescribeTable reports it."""
    return kms_client.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]


@DynamoDBErrorHandler.list_error_handler("describe point-in-time recovery", None)
@pitr_retry
def describe_continuous_backups(client, name):
    return client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]


@DynamoDBErrorHandler.common_error_handler("update point-in-time recovery")
@pitr_retry
def update_continuous_backups(client, name, enabled):
    return client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled})


@DynamoDBErrorHandler.list_error_handler("list table tags", {})
@dynamodb_retry
def list_tags(client, arn):
    tags = []
    kwargs = {"ResourceArn": arn}
    while True:
        page = client.list_tags_of_resource(**kwargs)
        tags.extend(page.get("Tags", []))
        if not page.get("NextToken"):
            return boto3_tag_list_to_ansible_dict(tags)
        kwargs["NextToken"] = page["NextToken"]


@DynamoDBErrorHandler.common_error_handler("tag table")
@dynamodb_retry
def tag_table(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@DynamoDBErrorHandler.common_error_handler("untag table")
@dynamodb_retry
def untag_table(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(keys))


# ---------------------------------------------------------------------------
# Waiting and one-change-at-a-time application
# ---------------------------------------------------------------------------

# Replica states that never turn ACTIVE by themselves: waiting for them would
# only end at wait_timeout, so they count as settled and are reported instead.
FAILED_REPLICA_STATES = ("CREATION_FAILED", "REGION_DISABLED", "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
                         "ARCHIVING", "ARCHIVED", "REPLICATION_NOT_AUTHORIZED")


def is_idle(description):
    """True when the table and its indexes are ACTIVE and every replica is ACTIVE or failed for good."""
    if description.get("TableStatus") != "ACTIVE":
        return False
    if any(i.get("IndexStatus", "ACTIVE") != "ACTIVE" for i in description.get("GlobalSecondaryIndexes") or []):
        return False
    return all(r.get("ReplicaStatus") in ("ACTIVE",) + FAILED_REPLICA_STATES for r in description.get("Replicas") or [])


def failed_replicas(description, regions):
    """One-line message about the replicas among regions in a FAILED_REPLICA_STATES state, else None."""
    failed = ["%s (%s)" % (r["RegionName"], r["ReplicaStatus"]) for r in sorted(
        (description or {}).get("Replicas") or [], key=lambda r: r["RegionName"])
        if r["RegionName"] in regions and r.get("ReplicaStatus") in FAILED_REPLICA_STATES]
    if not failed:
        return None
    return ("replicas: the replica of table %s in %s is not usable; fix the cause in that region "
            "(or remove the replica with purge_replicas=true)" % (description["TableName"], ", ".join(failed)))


def _busy_text(description):
    parts = ["table %s" % description.get("TableStatus")]
    parts.extend("replica %s %s" % (r["RegionName"], r.get("ReplicaStatus")) for r in description.get("Replicas") or []
                 if r.get("ReplicaStatus") != "ACTIVE")
    return ", ".join(parts)


def wait_idle(client, name, deadline, expect_exists=False, clock=time.monotonic, sleep=time.sleep):
    """Poll until the table is idle (see is_idle); returns its description. Bounded by deadline.

    expect_exists: the table was just created (or is a replica just added in
    this region), so ResourceNotFoundException means "not visible yet": right
    after CreateTable, DescribeTable is eventually consistent and may not find it.
    """
    delay = POLL_FIRST
    while True:
        description = describe_table(client, name)
        if description is None and not expect_exists:
            raise AnsibleDynamoDBError(message="table %s disappeared while waiting for it" % name)
        if description is not None and is_idle(description):
            return description
        if clock() >= deadline:
            state = _busy_text(description) if description is not None else "not visible yet"
            raise AnsibleDynamoDBError(
                message="timeout waiting for table %s to be ACTIVE (%s); raise wait_timeout" % (name, state))
        sleep(min(delay, max(0.0, deadline - clock())))
        delay = min(delay * 1.5, POLL_MAX)


def wait_gone(client, name, deadline, clock=time.monotonic, sleep=time.sleep):
    delay = POLL_FIRST
    while describe_table(client, name) is not None:
        if clock() >= deadline:
            raise AnsibleDynamoDBError(message="timeout waiting for table %s to be deleted; raise wait_timeout" % name)
        sleep(min(delay, max(0.0, deadline - clock())))
        delay = min(delay * 1.5, POLL_MAX)


def apply_when_idle(client, name, decide, deadline, expect_exists=False, clock=time.monotonic, sleep=time.sleep,
                    rng=random.random):
    """Make the change decide(description) asks for, once the table is idle.

    decide gets a fresh description each time and returns UpdateTable kwargs,
    or None when nothing is needed any more (another host may have made the
    change meanwhile). ResourceInUseException / LimitExceededException (the
    table became busy between our read and our write) are retried until the
    deadline; a daily quota raises DynamoDBValidationError at once; any other
    error is raised unless a fresh read shows the change is no longer needed
    (another host made it). expect_exists as for wait_idle. Returns (description, changed).
    """
    delay = POLL_FIRST
    while True:
        description = wait_idle(client, name, deadline, expect_exists=expect_exists, clock=clock, sleep=sleep)
        kwargs = decide(description)
        if kwargs is None:
            return description, False
        try:
            return update_table(client, TableName=name, **kwargs), True
        except AnsibleDynamoDBError as error:
            if is_daily_quota(error):
                raise daily_quota_error(name, kwargs, error)
            if not is_busy(error):
                # e.g. "replica already exists": fine if another host just made the same change
                fresh = describe_table(client, name)
                if fresh is not None and decide(fresh) is None:
                    return fresh, False
                raise
            if clock() >= deadline:
                raise
        sleep(min(delay * (0.5 + rng()), max(0.0, deadline - clock())))
        delay = min(delay * 1.5, POLL_MAX)


def delete_when_idle(client, name, deadline, clock=time.monotonic, sleep=time.sleep, rng=random.random):
    """DeleteTable once the table is idle, retrying while it is busy. Returns False if already gone."""
    delay = POLL_FIRST
    while True:
        description = describe_table(client, name)
        if description is None:
            return False
        if is_idle(description):
            try:
                return delete_table(client, name)
            except AnsibleDynamoDBError as error:
                if not is_busy(error):
                    raise
        if clock() >= deadline:
            raise AnsibleDynamoDBError(
                message="timeout waiting for table %s to be idle before deleting it (%s); raise wait_timeout"
                % (name, _busy_text(description)))
        sleep(min(delay * (0.5 + rng()), max(0.0, deadline - clock())))
        delay = min(delay * 1.5, POLL_MAX)
