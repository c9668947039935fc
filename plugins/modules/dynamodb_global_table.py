#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: dynamodb_global_table
version_added: 0.1.0
short_description: A DynamoDB table in its main region and its replicas (global tables version 2019.11.21)
description:
  - Manages one DynamoDB table in the connection region, the B(main) region of the global table - its key schema,
    billing mode, stream, point-in-time recovery, deletion protection, server-side encryption, tags and global
    secondary indexes - and its set of replicas in other regions (global tables version 2019.11.21, replicas added and
    removed through C(UpdateTable) C(ReplicaUpdates); the legacy 2017.11.29 calls are never used).
  - The table always streams C(NEW_AND_OLD_IMAGES), which replicas need.
  - "Replicas are changed one at a time, as AWS requires: before each change the module waits until the table, its
    indexes and every replica are C(ACTIVE); a change refused with C(ResourceInUseException) or
    C(LimitExceededException) (another change of the table started meanwhile, for example from another host) is retried
    after the table is idle again, and what is still needed is decided afresh each time. So several hosts may ask for
    their own replica at the same time: all of them succeed."
  - Callable from any region's play - a region host ensures its own replica with O(region) set to the main region and
    O(replicas) listing its own region. The module then only adds; it never removes a replica unless
    O(purge_replicas=true).
  - Settings other than replicas are applied to the table in the main region; replicas take the key schema, indexes,
    billing mode and stream from it.
  - AWS keeps deletion protection and point-in-time recovery per replica (and creates a replica with both off); every
    replica listed in O(replicas) gets O(replica_deletion_protection) and O(replica_point_in_time_recovery), set in its
    own region (C(UpdateTable) and C(UpdateContinuousBackups) there). A replica being removed has its own deletion
    protection turned off first - only that replica's.
  - Refused before any write, as AWS would refuse them later, when a replica is added - O(billing_mode=PROVISIONED) with
    replicas (AWS needs the write capacity auto scaled, which this module does not manage), and a customer managed key
    (O(sse.kms_key_id)) with replicas unless O(replica_kms_keys) gives each replica region its own key.
  - With O(state=absent) the table is deleted only when O(confirm_deletion) equals O(name), its deletion protection is
    off or O(deletion_protection=false) (turned off just before the deletion), and it has no replicas - or
    O(purge_replicas=true), which removes the replicas first (one at a time, each replica's own deletion protection
    turned off just before it is removed).
  - Every wait is bounded by O(wait_timeout) (one budget for the whole run).
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description: Name of the table (the same in every replica region).
    type: str
    required: true
  state:
    description: Whether the table exists.
    type: str
    choices: [present, absent]
    default: present
  hash_key:
    description:
      - The partition key. Required to create the table; when given for an existing table it must match the live
        key schema (a key schema never changes).
    type: dict
    suboptions:
      name:
        description: Attribute name.
        type: str
        required: true
      type:
        description: Attribute type (string, number, binary).
        type: str
        choices: [S, N, B]
        default: S
  range_key:
    description: The sort key, if any. When O(hash_key) is given for an existing table it must match the live one.
    type: dict
    suboptions:
      name:
        description: Attribute name.
        type: str
        required: true
      type:
        description: Attribute type (string, number, binary).
        type: str
        choices: [S, N, B]
        default: S
  billing_mode:
    description: How the table is billed. V(PAY_PER_REQUEST) is the simplest for replicas.
    type: str
    choices: [PAY_PER_REQUEST, PROVISIONED]
    default: PAY_PER_REQUEST
  provisioned_throughput:
    description: Capacity of the table and of each global secondary index; required with O(billing_mode=PROVISIONED) only.
    type: dict
    suboptions:
      read_capacity_units:
        description: Read capacity units.
        type: int
        required: true
      write_capacity_units:
        description: Write capacity units.
        type: int
        required: true
  global_secondary_indexes:
    description:
      - The complete set of global secondary indexes. Missing ones are created and others deleted, one per request.
        An index whose keys or projection differ cannot change in place and fails the task (give it a new name).
      - Not set means leave the indexes alone.
    type: list
    elements: dict
    suboptions:
      name:
        description: Index name.
        type: str
        required: true
      hash_key:
        description: The index partition key.
        type: dict
        required: true
        suboptions:
          name:
            description: Attribute name.
            type: str
            required: true
          type:
            description: Attribute type.
            type: str
            choices: [S, N, B]
            default: S
      range_key:
        description: The index sort key, if any.
        type: dict
        suboptions:
          name:
            description: Attribute name.
            type: str
            required: true
          type:
            description: Attribute type.
            type: str
            choices: [S, N, B]
            default: S
      projection:
        description: Attributes copied into the index.
        type: dict
        suboptions:
          type:
            description: Projection type.
            type: str
            choices: [ALL, KEYS_ONLY, INCLUDE]
            default: ALL
          non_key_attributes:
            description: Attributes projected with O(global_secondary_indexes[].projection.type=INCLUDE).
            type: list
            elements: str
  point_in_time_recovery:
    description: Whether point-in-time recovery (continuous backups) is on for the table in the main region.
    type: bool
    default: true
  deletion_protection:
    description:
      - Whether the table in the main region has deletion protection.
      - With O(state=absent), a protected table is refused unless this is V(false); then its protection is turned off
        just before the deletion, after every other check (O(confirm_deletion), replicas without O(purge_replicas))
        has passed and the replicas are removed, so a refused deletion leaves the protection on.
      - Replicas have their own setting, O(replica_deletion_protection).
    type: bool
    default: true
  replica_deletion_protection:
    description:
      - Whether each replica listed in O(replicas) has deletion protection, set in the replica's region.
      - Not set means the value of O(deletion_protection). Replicas not listed in O(replicas) are left alone.
    type: bool
  replica_point_in_time_recovery:
    description:
      - Whether point-in-time recovery is on for each replica listed in O(replicas), set in the replica's region.
      - Not set means the value of O(point_in_time_recovery). Replicas not listed in O(replicas) are left alone.
    type: bool
  replica_kms_keys:
    description:
      - With a customer managed key in O(sse.kms_key_id), the key of each replica region (a KMS key belongs to one
        region), as a dict of region to key - key ARN, key id, alias name C(alias/...) or alias ARN, resolved in that region.
      - Required for every region of O(replicas) other than the connection region when O(sse.kms_key_id) is set;
        only used then. A new replica is created with its key; an existing one encrypted with another key is moved to it.
    type: dict
  sse:
    description:
      - Server-side encryption with KMS. Not set means leave it alone (DynamoDB always encrypts, by default with an AWS
        owned key).
    type: dict
    suboptions:
      enabled:
        description: V(true) for a KMS key (the AWS managed key, or O(sse.kms_key_id)); V(false) for the AWS owned key.
        type: bool
        default: true
      kms_key_id:
        description:
          - The customer managed KMS key (key ARN, key id, alias name C(alias/...) or alias ARN).
          - An alias is resolved to its key with KMS DescribeKey (C(kms:DescribeKey) permission) before it is compared
            with the table's key.
        type: str
  replicas:
    description:
      - Regions that hold a replica of the table. The connection (main) region may be listed; it is ignored.
      - Without O(purge_replicas=true) missing replicas are added and nothing is removed.
      - Not set means leave the replica set alone.
      - A listed replica that AWS reports as unusable for good (for example V(CREATION_FAILED) or V(REGION_DISABLED))
        fails the run, naming the region and status, instead of being waited for; such a replica outside
        O(replicas) only gets a warning.
    type: list
    elements: str
  purge_replicas:
    description:
      - With O(state=present), remove replicas in regions not listed in O(replicas) (needs O(replicas)).
      - With O(state=absent), remove every replica before the table.
    type: bool
    default: false
  confirm_deletion:
    description: Must equal O(name) for O(state=absent) to delete the table.
    type: str
  wait:
    description:
      - Wait for the table and all its replicas to be C(ACTIVE) after the last change (or for the table to be gone).
      - Between two changes the module always waits, as AWS requires.
    type: bool
    default: true
  wait_timeout:
    description: Seconds the whole run may spend waiting.
    type: int
    default: 900
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Tables created by this module carry the tag C(managed-by=multiregion.appsync); O(purge_tags) never removes it.
  - Replicas are listed from the main region's C(DescribeTable); each C(DescribeTable) lists the replicas other than its
    own region.
"""

EXAMPLES = r"""
- name: The table in the main region, with replicas in two other regions
  multiregion.appsync.dynamodb_global_table:
    region: us-east-1
    name: myapp-items
    hash_key: {name: pk, type: S}
    range_key: {name: sk, type: S}
    global_secondary_indexes:
      - name: by-owner
        hash_key: {name: owner, type: S}
    replicas: [eu-central-1, ap-southeast-2]
    tags:
      app: myapp

- name: From a region host's play, ensure that region's replica (adds only)
  multiregion.appsync.dynamodb_global_table:
    region: "{{ main_region }}"
    name: myapp-items
    replicas: ["{{ inventory_hostname }}"]

- name: Replicas of a table encrypted with a customer managed key, each with its region's key, unprotected
  multiregion.appsync.dynamodb_global_table:
    region: us-east-1
    name: myapp-items
    sse:
      kms_key_id: alias/myapp
    replicas: [eu-central-1]
    replica_kms_keys:
      eu-central-1: alias/myapp
    replica_deletion_protection: false

- name: Drop the replicas not listed
  multiregion.appsync.dynamodb_global_table:
    region: us-east-1
    name: myapp-items
    replicas: [eu-central-1]
    purge_replicas: true

- name: Delete the table and its replicas (each one's deletion protection turned off just before it goes)
  multiregion.appsync.dynamodb_global_table:
    region: us-east-1
    name: myapp-items
    state: absent
    confirm_deletion: myapp-items
    purge_replicas: true
    deletion_protection: false
"""

RETURN = r"""
table:
  description: The table in the main region as DescribeTable shows it (snake_case), with the fields below; V(null) once deleted.
  returned: always
  type: dict
  contains:
    table_name:
      description: Table name.
      type: str
      sample: myapp-items
    table_arn:
      description: ARN of the table in the main region (V(null) in check mode before it exists).
      type: str
      sample: arn:aws:dynamodb:us-east-1:123456789012:table/myapp-items
    table_status:
      description: C(ACTIVE), C(UPDATING), C(CREATING)...
      type: str
      sample: ACTIVE
    stream_arn:
      description: ARN of the table's latest stream.
      type: str
    latest_stream_arn:
      description: Same as RV(table.stream_arn).
      type: str
    billing_mode:
      description: Billing mode.
      type: str
      sample: PAY_PER_REQUEST
    deletion_protection_enabled:
      description: Whether deletion protection is on.
      type: bool
    point_in_time_recovery:
      description: Whether point-in-time recovery is on.
      type: bool
    replicas:
      description: Replicas in other regions.
      type: list
      elements: dict
      contains:
        region_name:
          description: Region of the replica.
          type: str
          sample: eu-central-1
        replica_status:
          description: C(CREATING), C(ACTIVE), C(DELETING)...
          type: str
          sample: ACTIVE
        deletion_protection:
          description:
            - Whether the replica has deletion protection, read in its region.
            - V(null) when unreadable, and for a replica the run does not manage when O(replicas) is set (neither listed
              nor removed; not read, so that a region's run costs the same however many replicas the table has).
          type: bool
        point_in_time_recovery:
          description:
            - Whether point-in-time recovery is on for the replica, read in its region.
            - V(null) as for RV(table.replicas[].deletion_protection).
          type: bool
    tags:
      description: Tags of the table in the main region.
      type: dict
      sample: {"app": "myapp", "managed-by": "multiregion.appsync"}
replica_plan:
  description: How the replica set was (or, in check mode, would be) reconciled.
  returned: always
  type: dict
  contains:
    add:
      description: Regions whose replica was added (check mode - would be added).
      type: list
      elements: str
    keep:
      description: Wanted regions that already held a replica.
      type: list
      elements: str
    remove:
      description: Regions whose replica was removed (only with O(purge_replicas=true)).
      type: list
      elements: str
    unmanaged:
      description: Live replicas not listed in O(replicas), kept because O(purge_replicas=false).
      type: list
      elements: str
"""

import time

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils import dynamodb as ddb
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after
from ansible_collections.multiregion.appsync.plugins.module_utils.reporting import warn

KEY_OPTIONS = dict(
    name=dict(type="str", required=True),
    type=dict(type="str", choices=list(ddb.KEY_TYPES), default="S"),
)


def _deadline(module):
    return time.monotonic() + module.params["wait_timeout"]


class RegionalClients:
    """DynamoDB clients of the replica regions, made once per region in a run."""

    def __init__(self, module):
        self._module = module
        self._clients = {}

    def __call__(self, region):
        if region not in self._clients:
            self._clients[region] = self._module.client("dynamodb", region=region)
        return self._clients[region]


def _read_extras(client, description, known_tags=None):
    """(continuous backups, tags); known_tags (when not None) are taken instead of ListTagsOfResource,
    which is eventually consistent and may answer the tags before a CreateTable/TagResource."""
    if description is None:
        return None, {}
    backups = ddb.describe_continuous_backups(client, description["TableName"])
    tags = known_tags if known_tags is not None else ddb.list_tags(client, description["TableArn"])
    return backups, tags


def _readable_replicas(description):
    """Live replicas whose region can be read (not failed for good)."""
    failed = set(r["RegionName"] for r in (description or {}).get("Replicas") or []
                 if r.get("ReplicaStatus") in ddb.FAILED_REPLICA_STATES)
    return [r for r in ddb.live_replicas(description) if r not in failed]


def read_replica(regional, name, region):
    """A replica's own settings, read in its region (None while no table is there)."""
    client = regional(region)
    description = ddb.describe_table(client, name)
    if description is None:
        return None
    return ddb.replica_settings(description, ddb.describe_continuous_backups(client, name))


def _replicas_to_read(params, replicas, readable):
    """The readable replicas whose own settings this run reads (two reads in each one's region).

    With O(replicas) set only those the run manages - listed, or removed - so that a region's
    run for its own replica costs the same however many replicas the table has; without it,
    every one (the table's whole picture, read once per run).
    """
    if params["replicas"] is None:
        return readable
    managed = set(replicas["add"]) | set(replicas["keep"]) | set(replicas["remove"])
    return [region for region in readable if region in managed]


def read_replicas(regional, name, regions, known=None):
    """{region: replica settings}, reusing the entries of known."""
    known = known or {}
    return dict((region, known[region] if region in known else read_replica(regional, name, region)) for region in regions)


def _create(module, client):
    """CreateTable; True if this run created it (another host may have just done so)."""
    try:
        ddb.create_table(client, **ddb.build_create_params(module.params))
        return True
    except ddb.AnsibleDynamoDBError as error:
        if ddb.error_code(error) != "ResourceInUseException":
            raise
    return False


def resolve_kms_aliases(module):
    """Replace the aliases in sse.kms_key_id and replica_kms_keys (each in its own region) with their keys' ARNs,
    which is what DescribeTable reports."""
    params = module.params
    if params["state"] != "present":
        return
    sse = params.get("sse") or {}
    if ddb.is_kms_alias(sse.get("kms_key_id")):
        kms = module.client("kms")
        sse["kms_key_id"] = ddb.kms_key_arn(kms, sse["kms_key_id"])
    replica_keys = params.get("replica_kms_keys") or {}
    for region in sorted(set(params.get("replicas") or []) - {module.region}):
        if ddb.is_kms_alias(replica_keys.get(region)):
            kms = module.client("kms", region=region)
            replica_keys[region] = ddb.kms_key_arn(kms, replica_keys[region])


def plan_changes(module, client, regional, description, created=False):
    """Everything the live table and its replicas need, read before any write (raises on what cannot change).

    created: this run made the table, with the tags of build_create_params, which count as its tags.
    """
    params = module.params
    updates = ddb.table_updates(description, params)
    backups, tags = _read_extras(client, description, desired_tags(params["tags"] or {}) if created else None)
    replicas = ddb.plan_replicas(module.region, params["replicas"], ddb.live_replicas(description), params["purge_replicas"])
    readable = _readable_replicas(description)
    states = read_replicas(regional, params["name"], _replicas_to_read(params, replicas, readable))
    # listed replicas; one failed for good is reported at the end, never written to
    managed = replicas["add"] + [r for r in replicas["keep"] if r in readable] if params["replicas"] is not None else []
    wanted = ddb.wanted_replica_settings(params)
    keys = params.get("replica_kms_keys") or {}
    return {
        "description": description, "backups": backups, "tags": tags, "replica_states": states,
        "updates": updates,
        "pitr": ddb.pitr_enabled(backups) != params["point_in_time_recovery"],
        "tags_to_set_unset": ddb.tag_changes(tags, params),
        "replicas": replicas,
        "replica_settings": _replica_setting_changes(states, managed, wanted),
        "replica_keys": dict((r, keys[r]) for r in replicas["keep"] if r in managed
                             and ddb.replica_key_outdated(states.get(r), keys.get(r))),
    }


def _replica_setting_changes(states, regions, wanted):
    """{region: {setting: value}} of the listed replicas whose settings differ from wanted."""
    changes = dict((region, ddb.replica_setting_changes(states.get(region), wanted)) for region in regions)
    return dict((region, change) for region, change in changes.items() if change)


def is_pending(plan):
    to_set, to_unset = plan["tags_to_set_unset"]
    return bool(plan["updates"] or plan["pitr"] or to_set or to_unset or plan["replicas"]["add"]
                or plan["replicas"]["remove"] or plan["replica_settings"] or plan["replica_keys"])


def apply_table_settings(module, client, plan, deadline):
    """UpdateTable changes of the main table, then its PITR and tags; True if any was made."""
    params, name, changed = module.params, module.params["name"], False
    # One kind of change per request, the table ACTIVE in between; at most one
    # request per change found, so a comparison that never settles cannot loop.
    for _request in range(ddb.request_count(plan["updates"])):
        made = ddb.apply_when_idle(client, name, ddb.next_table_update(params), deadline)[1]
        changed = changed or made
        if not made:
            break
    if plan["pitr"]:
        ddb.update_continuous_backups(client, name, params["point_in_time_recovery"])
        changed = True
    to_set, to_unset = plan["tags_to_set_unset"]
    arn = plan["description"]["TableArn"]
    if to_unset:
        ddb.untag_table(client, arn, to_unset)
    if to_set:
        ddb.tag_table(client, arn, to_set)
    return changed or bool(to_set or to_unset)


def unprotect_replica(regional, name, region, deadline):
    """Turn off the deletion protection of the replica in region (and only there), which AWS needs before removing it."""
    client = regional(region)
    description = ddb.describe_table(client, name)
    if description is None or not description.get("DeletionProtectionEnabled"):
        return False
    return ddb.apply_when_idle(client, name, ddb.deletion_protection_update(False), deadline)[1]


def remove_replicas(client, regional, name, regions, deadline):
    """Remove each replica, its own deletion protection off first; True if any change was made."""
    changed = False
    for region in regions:  # one replica at a time
        unprotected = unprotect_replica(regional, name, region, deadline)
        removed = ddb.apply_when_idle(client, name, ddb.replica_delete_update(region), deadline)[1]
        changed = changed or unprotected or removed
    return changed


def apply_replica_set(module, client, regional, plan, deadline):
    """Replica removals, additions (with their region's KMS key) and key changes, one at a time."""
    name, keys = module.params["name"], module.params.get("replica_kms_keys") or {}
    changed = remove_replicas(client, regional, name, plan["replicas"]["remove"], deadline)
    decisions = [ddb.replica_create_update(r, keys.get(r)) for r in plan["replicas"]["add"]]
    decisions += [ddb.replica_kms_key_update(r, key) for r, key in sorted(plan["replica_keys"].items())]
    for decide in decisions:
        made = ddb.apply_when_idle(client, name, decide, deadline)[1]
        changed = changed or made
    return changed


def apply_replica_settings(module, client, regional, plan, deadline):
    """Deletion protection and PITR of every listed replica, set in its own region. Returns the regions written.

    A replica just added is waited for (the main table idle again) first: its
    table appears in its region, and takes these changes, once it is ACTIVE.
    """
    name, wanted = module.params["name"], ddb.wanted_replica_settings(module.params)
    written = []
    if plan["replicas"]["add"] and wanted:
        ddb.wait_idle(client, name, deadline)
    for region in sorted(set(plan["replica_settings"]) | set(plan["replicas"]["add"])):
        replica_client = regional(region)
        new = region in plan["replicas"]["add"]  # its region may not list the table for a moment
        made = False
        if "deletion_protection" in wanted:
            decide = ddb.deletion_protection_update(wanted["deletion_protection"])
            made = ddb.apply_when_idle(replica_client, name, decide, deadline, expect_exists=new)[1]
        if "point_in_time_recovery" in wanted:
            ddb.wait_idle(replica_client, name, deadline, expect_exists=new)  # a new replica takes no PITR change while CREATING
            backups = ddb.describe_continuous_backups(replica_client, name)
            if ddb.pitr_enabled(backups) != wanted["point_in_time_recovery"]:
                ddb.update_continuous_backups(replica_client, name, wanted["point_in_time_recovery"])
                made = True
        if made:
            written.append(region)
    return written


def check_replicas_usable(module, description, plan, result):
    """Fail naming a listed replica that is unusable for good; warn about such a replica left alone."""
    params = module.params
    wanted = plan["replicas"]["add"] + (plan["replicas"]["keep"] if params["replicas"] is not None else [])
    failure = ddb.failed_replicas(description, wanted)
    if failure:
        module.fail_json(msg=failure, **result)
    unmanaged_failure = ddb.failed_replicas(description, [r for r in ddb.live_replicas(description) if r not in wanted])
    if unmanaged_failure:
        warn(unmanaged_failure)


def predict_creation(module):
    """The check-mode result for a table that does not exist yet."""
    params = module.params
    plan = ddb.plan_replicas(module.region, params["replicas"], [], params["purge_replicas"])
    result = {"changed": True, "table": ddb.predicted_table(params, plan), "replica_plan": plan}
    if module._diff:
        result["diff"] = {"before": {}, "after": ddb.desired_view({"tags": {}}, params, plan)}
    return result


def ensure_table(module, client, deadline):
    """(description, created): the live table, made first when missing (None in check mode)."""
    params = module.params
    description = ddb.describe_table(client, params["name"])
    if description is not None:
        ddb.check_key_schema(description, params)
        return description, False
    if not params["hash_key"]:
        module.fail_json(msg="hash_key: required to create table %s in %s" % (params["name"], module.region))
    if module.check_mode:
        return None, False
    created = _create(module, client)
    # created by us or, a moment ago, by another host: DescribeTable may not find it yet
    return ddb.wait_idle(client, params["name"], deadline, expect_exists=True), created


def read_after_changes(module, client, regional, plan, written, deadline):
    """(description, backups, tags, replica states) after the writes: re-read only what they changed."""
    params, name = module.params, module.params["name"]
    description = ddb.wait_idle(client, name, deadline) if params["wait"] else ddb.describe_table(client, name)
    # the tags written (or sent with CreateTable), not a read-back that may still answer the old set
    tags = tags_after(plan["tags"], *plan["tags_to_set_unset"])
    backups = _read_extras(client, description, tags)[0] if plan["pitr"] else plan["backups"]
    fresh = dict((r, s) for r, s in plan["replica_states"].items() if r not in written and r not in plan["replicas"]["add"])
    regions = _replicas_to_read(params, plan["replicas"], _readable_replicas(description))
    return description, backups, tags, read_replicas(regional, name, regions, known=fresh)


def ensure_present(module, client):
    params, name = module.params, module.params["name"]
    regional = RegionalClients(module)
    deadline = _deadline(module)
    description, created = ensure_table(module, client, deadline)
    if description is None:
        return predict_creation(module)
    plan = plan_changes(module, client, regional, description, created)
    before_view = {} if created else ddb.state_view(description, plan["backups"], plan["tags"], plan["replica_states"])

    if module.check_mode:
        result = {"changed": is_pending(plan), "replica_plan": plan["replicas"],
                  "table": ddb.normalize_table(description, plan["backups"], plan["tags"], plan["replica_states"])}
        if module._diff:
            result["diff"] = {"before": before_view, "after": ddb.desired_view(before_view, params, plan["replicas"])}
        return result

    changed = apply_table_settings(module, client, plan, deadline)
    changed = apply_replica_set(module, client, regional, plan, deadline) or changed
    written = apply_replica_settings(module, client, regional, plan, deadline)
    changed = created or changed or bool(written)

    if changed:
        description, backups, tags, states = read_after_changes(module, client, regional, plan, written, deadline)
    else:  # nothing written: the state read for the plan is the state now
        description, backups, tags, states = plan["description"], plan["backups"], plan["tags"], plan["replica_states"]
    result = {"changed": changed, "table": ddb.normalize_table(description, backups, tags, states),
              "replica_plan": plan["replicas"]}
    if module._diff:
        result["diff"] = {"before": before_view, "after": ddb.state_view(description, backups, tags, states)}
    check_replicas_usable(module, description, plan, result)
    return result


def ensure_absent(module, client):
    params = module.params
    name = params["name"]
    regional = RegionalClients(module)
    description = ddb.describe_table(client, name)
    refusal = ddb.deletion_refusal(name, params["confirm_deletion"], description, params["purge_replicas"],
                                   keep_protection=params["deletion_protection"])
    if refusal:
        module.fail_json(msg=refusal)
    empty_plan = {"add": [], "keep": [], "remove": [], "unmanaged": []}
    if description is None or description.get("TableStatus") == "DELETING":
        return {"changed": False, "table": None, "replica_plan": empty_plan}
    plan = ddb.plan_replicas(module.region, [], ddb.live_replicas(description), purge=True)
    result = {"changed": True, "table": None, "replica_plan": dict(plan, keep=[])}
    if module._diff:
        backups, tags = _read_extras(client, description)
        states = read_replicas(regional, name, _readable_replicas(description))
        result["diff"] = {"before": ddb.state_view(description, backups, tags, states), "after": {}}
    if module.check_mode:
        return result
    deadline = _deadline(module)
    replicas_removed = remove_replicas(client, regional, name, plan["remove"], deadline)
    if description.get("DeletionProtectionEnabled"):  # asked off (deletion_refusal): once idle, after the replicas' removal
        ddb.apply_when_idle(client, name, ddb.deletion_protection_update(False), deadline)
    table_deleted = ddb.delete_when_idle(client, name, deadline)
    result["changed"] = replicas_removed or table_deleted
    if params["wait"]:
        ddb.wait_gone(client, name, deadline)
    return result


def argument_spec():
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        hash_key=dict(type="dict", options=KEY_OPTIONS, no_log=False),
        range_key=dict(type="dict", options=KEY_OPTIONS, no_log=False),
        billing_mode=dict(type="str", choices=list(ddb.BILLING_MODES), default="PAY_PER_REQUEST"),
        provisioned_throughput=dict(type="dict", options=dict(
            read_capacity_units=dict(type="int", required=True),
            write_capacity_units=dict(type="int", required=True),
        )),
        global_secondary_indexes=dict(type="list", elements="dict", options=dict(
            name=dict(type="str", required=True),
            hash_key=dict(type="dict", required=True, options=KEY_OPTIONS, no_log=False),
            range_key=dict(type="dict", options=KEY_OPTIONS, no_log=False),
            projection=dict(type="dict", options=dict(
                type=dict(type="str", choices=list(ddb.PROJECTION_TYPES), default="ALL"),
                non_key_attributes=dict(type="list", elements="str", no_log=False),
            )),
        )),
        point_in_time_recovery=dict(type="bool", default=True),
        deletion_protection=dict(type="bool", default=True),
        sse=dict(type="dict", options=dict(
            enabled=dict(type="bool", default=True),
            kms_key_id=dict(type="str"),
        )),
        replicas=dict(type="list", elements="str"),
        replica_deletion_protection=dict(type="bool"),
        replica_point_in_time_recovery=dict(type="bool"),
        replica_kms_keys=dict(type="dict", no_log=False),
        purge_replicas=dict(type="bool", default=False),
        confirm_deletion=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )


def main():
    module = AnsibleAWSModule(argument_spec=argument_spec(), supports_check_mode=True)
    try:
        ddb.validate_params(module.params, main_region=module.region)
    except ddb.DynamoDBValidationError as error:
        module.fail_json(msg=str(error))
    client = module.client("dynamodb")
    try:
        resolve_kms_aliases(module)
        if module.params["state"] == "present":
            result = ensure_present(module, client)
        else:
            result = ensure_absent(module, client)
    except ddb.DynamoDBValidationError as error:
        module.fail_json(msg=str(error))
    except AnsibleAWSError as error:
        module.fail_json_aws_error(error)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
