#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_api
short_description: Manage an AWS AppSync GraphQL API, its schema and its API key
version_added: 0.1.0
description:
  - Creates, updates or deletes an AWS AppSync GraphQL API identified by its name and the
    ownership tag C(managed-by=multiregion.appsync), which the module sets in the creation call,
    so a run that stopped halfway never leads to a duplicate.
  - AppSync does not keep API names unique. An untagged API of the same name is adopted (and tagged)
    only with O(adopt_untagged=true). When two APIs of the name carry the ownership tag, the module fails
    and names both ids.
  - The schema (O(schema) or O(schema_file)) is parsed and validated locally with graphql-core before any
    AWS call; AppSync's scalars (V(AWSDate), V(AWSTime), V(AWSDateTime), V(AWSTimestamp), V(AWSEmail), V(AWSJSON),
    V(AWSURL), V(AWSPhone), V(AWSIPAddress)) and directives (V(@aws_api_key), V(@aws_iam), V(@aws_oidc),
    V(@aws_cognito_user_pools), V(@aws_lambda), V(@aws_subscribe), V(@aws_auth)) are known.
    An invalid schema fails with its line and column and nothing is written.
  - The schema is uploaded only when it has to be, whatever the way the service prints SDL (AppSync
    implementations keep or drop descriptions and applied directives, turn comments into descriptions, space
    directive arguments differently). The module records the sha256 of the normalised schema it uploaded
    in the tag C(multiregion.appsync:schema-sha256) and uploads when the desired schema's digest differs from
    it, or when the live schema read with GetIntrospectionSchema differs from the desired one in what every
    printer keeps (types, fields, arguments and their types, input fields, enum values, interfaces and union
    members), which is how a schema changed outside the module is found (RV(schema_drift)).
    A change made outside the module to descriptions or applied directives only is not seen.
  - Comments, whitespace, the order of definitions, fields, arguments, enum values
    and applied directives, and the quoting of descriptions do not count as differences.
  - The digest tag is the module's own record. O(tags) and O(purge_tags) never touch it and RV(api.tags)
    does not list it (see RV(api.schema_digest)).
  - With O(api_key=true) the module manages one API key (recognised by its description), created with an
    expiry of O(api_key_expiry_days) days and renewed in place with UpdateApiKey (same key) when fewer than
    O(api_key_renew_days) days remain, or when it would outlive O(api_key_expiry_days). AWS rounds the expiry down
    to the hour.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description:
      - The name of the API.
    type: str
    required: true
  state:
    description:
      - Whether the API should exist.
    type: str
    choices: [present, absent]
    default: present
  authentication_type:
    description:
      - The primary authentication type.
      - V(OPENID_CONNECT) needs O(openid_connect_config), V(AMAZON_COGNITO_USER_POOLS) needs O(user_pool_config),
        V(AWS_LAMBDA) needs O(lambda_authorizer_config).
    type: str
    choices: [API_KEY, AWS_IAM, OPENID_CONNECT, AMAZON_COGNITO_USER_POOLS, AWS_LAMBDA]
    default: API_KEY
  openid_connect_config:
    description:
      - OpenID Connect settings of the primary authentication type. Unset keeps the current value.
    type: dict
    suboptions:
      issuer:
        description: The issuer URL.
        type: str
        required: true
      client_id:
        description: The client identifier of the relying party.
        type: str
      iat_ttl:
        description: Milliseconds a token is valid after being issued.
        type: int
      auth_ttl:
        description: Milliseconds a token is valid after being authenticated.
        type: int
  user_pool_config:
    description:
      - Amazon Cognito user pool settings of the primary authentication type. Unset keeps the current value.
    type: dict
    suboptions:
      user_pool_id:
        description: The user pool id.
        type: str
        required: true
      aws_region:
        description: The AWS region of the user pool.
        type: str
        required: true
      default_action:
        description: The action when a request matches no Cognito group rule.
        type: str
        choices: [ALLOW, DENY]
        default: ALLOW
      app_id_client_regex:
        description: A regular expression matching the client ids allowed.
        type: str
  lambda_authorizer_config:
    description:
      - AWS Lambda authorizer settings of the primary authentication type. Unset keeps the current value.
    type: dict
    suboptions:
      authorizer_uri:
        description: The ARN of the Lambda function (or alias) that authorizes requests.
        type: str
        required: true
      authorizer_result_ttl_in_seconds:
        description: Seconds a response is cached (0 disables caching).
        type: int
      identity_validation_expression:
        description: A regular expression that tokens must match before the authorizer is called.
        type: str
  additional_authentication_providers:
    description:
      - Further authentication types accepted by the API, besides O(authentication_type).
      - Unset leaves the current providers alone; V([]) removes them all.
      - The order does not matter. A provider is told apart from the others by its authentication type and,
        for V(AMAZON_COGNITO_USER_POOLS), V(OPENID_CONNECT) and V(AWS_LAMBDA), its user pool id, issuer or
        authorizer ARN; the settings AppSync fills in with its defaults are taken from the live provider of
        the same identity.
    type: list
    elements: dict
    suboptions:
      authentication_type:
        description: The authentication type of this provider.
        type: str
        required: true
        choices: [API_KEY, AWS_IAM, OPENID_CONNECT, AMAZON_COGNITO_USER_POOLS, AWS_LAMBDA]
      openid_connect_config:
        description: OpenID Connect settings, for V(OPENID_CONNECT); the sub-options of O(openid_connect_config).
        type: dict
      user_pool_config:
        description:
          - Cognito user pool settings, for V(AMAZON_COGNITO_USER_POOLS); keys V(user_pool_id), V(aws_region),
            V(app_id_client_regex).
        type: dict
      lambda_authorizer_config:
        description: Lambda authorizer settings, for V(AWS_LAMBDA); the sub-options of O(lambda_authorizer_config).
        type: dict
  xray_enabled:
    description:
      - Whether AWS X-Ray tracing is enabled.
    type: bool
    default: false
  log_config:
    description:
      - Field-level logging to CloudWatch Logs. Unset leaves the current configuration alone;
        set O(log_config.field_log_level=NONE) to stop logging.
    type: dict
    suboptions:
      field_log_level:
        description: The field logging level.
        type: str
        choices: [NONE, ERROR, ALL, INFO, DEBUG]
        required: true
      cloudwatch_logs_role_arn:
        description: The ARN of the role AppSync assumes to write to CloudWatch Logs.
        type: str
        required: true
      exclude_verbose_content:
        description: Leave headers, context and evaluated mapping templates out of the logs.
        type: bool
        default: false
  schema:
    description:
      - The GraphQL schema (SDL text). Unset leaves the live schema alone.
      - Mutually exclusive with O(schema_file).
    type: str
  schema_file:
    description:
      - Path of a file holding the GraphQL schema (SDL), read on the host that runs the module.
      - Mutually exclusive with O(schema).
    type: path
  api_key:
    description:
      - Whether the module manages one API key on the API.
      - V(false) leaves API keys alone (none is created, renewed or deleted).
      - V(true) needs V(API_KEY) as O(authentication_type) or among O(additional_authentication_providers).
    type: bool
    default: true
  api_key_expiry_days:
    description:
      - Days from creation (or renewal) until the managed key expires, 1 to 365.
      - At V(365), the key is asked for 365 days minus one hour (rounded down to the hour), so that a controller
        clock up to an hour ahead of AWS's never asks for more than AppSync allows.
      - AppSync's own default (7 days) is a known cause of outages; this module's default is AppSync's maximum.
    type: int
    default: 365
  api_key_renew_days:
    description:
      - Renew the managed key (same key, new expiry) when fewer than this many days remain.
      - Must be lower than O(api_key_expiry_days).
    type: int
    default: 30
  wait:
    description:
      - Wait for the schema creation to finish (and fail when AppSync reports it FAILED).
      - With V(false), a run made while AppSync is still processing the upload of the desired schema
        (the one whose digest is recorded) uploads nothing and reports RV(schema_changed=false) with
        RV(schema_status=PROCESSING).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the schema creation, and at most for another run on this controller that is creating the
        same API or key (see the notes).
    type: int
    default: 300
notes:
  - "The key value is returned in RV(api_key.value) (on AppSync, the key id is the key itself); register the
    result with C(no_log: true). It never appears in C(--diff) output."
  - Requires C(graphql-core) (3.2) on the host that runs the module when O(schema) or O(schema_file) is given.
  - CreateGraphqlApi and CreateApiKey have no idempotency token, so the module never repeats them blindly. When an
    answer is lost (a 5xx or a dropped connection), the API (by name and ownership tag) or the managed key is looked
    for before it is created again. On one controller, that look and the create are serialised across runs by a lock
    file under the temporary directory (C(multiregion.appsync-locks/)), and a run that finds an API or key another run
    made meanwhile adopts and converges it. Runs on two controllers are not serialised.
  - A O(log_config.cloudwatch_logs_role_arn) created just before can be refused while IAM propagates it; those
    refusals are retried for about a minute at most.
requirements:
  - graphql-core >= 3.2
extends_documentation_fragment:
  - multiregion.appsync.ownership
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: An API with API key authentication, the schema from a file, a one-year key
  multiregion.appsync.appsync_api:
    region: eu-west-1
    name: items-api
    schema_file: files/schema.graphql
    tags:
      app: items
  register: api
  no_log: true

- name: Also accept IAM callers, trace with X-Ray and log errors
  multiregion.appsync.appsync_api:
    region: eu-west-1
    name: items-api
    additional_authentication_providers:
      - authentication_type: AWS_IAM
    xray_enabled: true
    log_config:
      field_log_level: ERROR
      cloudwatch_logs_role_arn: "{{ logs_role.iam_role.arn }}"
  no_log: true

- name: Remove the API
  multiregion.appsync.appsync_api:
    region: eu-west-1
    name: items-api
    state: absent
"""

RETURN = r"""
api:
  description: The API (after the change; in check mode, the predicted configuration). None when absent.
  returned: always
  type: dict
  contains:
    api_id:
      description:
        - The API id.
        - In check mode, for an API still to be created, the placeholder V(pending-creation.invalid) (a name under
          the reserved domain C(.invalid)), as in RV(api.arn) and RV(api.uris). Given as O(multiregion.appsync.appsync_data_source#module:api_id)
          (or to M(multiregion.appsync.appsync_resolver) and M(multiregion.appsync.appsync_function)) in check mode,
          it predicts everything under the API created; a real run refuses it.
      type: str
      sample: "abcdefghij0123456789klmnop"
    arn:
      description: The API ARN (V(pending-creation.invalid) in check mode for an API still to be created).
      type: str
    name:
      description: The API name.
      type: str
    authentication_type:
      description: The primary authentication type.
      type: str
      sample: API_KEY
    additional_authentication_providers:
      description: The additional authentication providers.
      type: list
      elements: dict
    uris:
      description: The endpoints of the API.
      type: dict
      contains:
        graphql:
          description:
            - The GraphQL endpoint.
            - V(https://pending-creation.invalid/graphql) in check mode for an API still to be created.
          type: str
        realtime:
          description:
            - The real-time (websocket) endpoint.
            - V(wss://pending-creation.invalid/graphql) in check mode for an API still to be created.
          type: str
    xray_enabled:
      description: Whether X-Ray tracing is on.
      type: bool
    log_config:
      description: The logging configuration, when set.
      type: dict
    tags:
      description: The API's tags, ownership tag included, schema digest tag left out.
      type: dict
    schema_digest:
      description: The sha256 of the normalised schema last uploaded by this module (its tag C(multiregion.appsync:schema-sha256)).
      type: str
      returned: when recorded
api_key:
  description: The managed API key; None when O(api_key=false) or O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description:
        - The key id, which on AppSync is the key itself.
        - In check mode, for a key still to be created, the placeholder V(secret.pending-creation.invalid).
      type: str
    value:
      description:
        - The key to send in C(x-api-key) (the same string as RV(api_key.id)).
        - In check mode, for a key still to be created, the placeholder V(secret.pending-creation.invalid)
          (not a part of the other placeholders, which a C(no_log) option holding it would otherwise mask).
      type: str
    expires:
      description: Expiry, in seconds since the epoch.
      type: int
    expires_at:
      description: Expiry, ISO 8601 UTC.
      type: str
      sample: "2027-11-28T14:00:00Z"
    description:
      description: The key description, which marks it as managed.
      type: str
schema_status:
  description:
    - The schema creation status (V(SUCCESS), V(ACTIVE), V(PROCESSING), ...) when O(schema) or O(schema_file)
      is given; V(NOT_APPLICABLE) in check mode for an API still to create; None otherwise.
    - V(PROCESSING) with RV(schema_changed=false) (O(wait=false) only) means the desired schema was uploaded
      by an earlier run and AppSync is still processing it.
  returned: always
  type: str
  sample: SUCCESS
schema_changed:
  description: Whether the schema was (or, in check mode, would be) uploaded.
  returned: always
  type: bool
schema_drift:
  description:
    - The types (V(schema) for the root types) of the live schema that differ from the desired one in what every
      SDL printer keeps, when the schema was (or would be) uploaded; a change made outside the module shows here.
  returned: always
  type: list
  elements: str
  sample: [Item]
changes:
  description:
    - The AppSync names of the API settings that were (or would be) updated, V([create]) when the API is created,
      V([delete]) when it is deleted. Tag, schema and key changes are reported by C(changed), RV(schema_changed) and
      C(diff).
  returned: always
  type: list
  elements: str
  sample: [xrayEnabled]
"""

import time

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import api as api_utils
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import keys as key_utils
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import SCHEMA_DIGEST_TAG
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_client
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import creation_target
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_api
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_api_key
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import user_tags
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import GRAPHQL_IMPORT_ERROR
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import HAS_GRAPHQL
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import drifted_types
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import normalize_or_none
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import normalize_sdl
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import schema_digest
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import schema_errors
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.schema import upload_needed
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import as_list
from ansible_collections.multiregion.appsync.plugins.module_utils.creation import create_once
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OwnershipError
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import plan_tag_changes
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import select_owned
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import tags_after
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import PENDING
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import PENDING_SECRET
from ansible_collections.multiregion.appsync.plugins.module_utils.pending import pending_url
from ansible_collections.multiregion.appsync.plugins.module_utils.reporting import warn

AUTH_TYPES = ["API_KEY", "AWS_IAM", "OPENID_CONNECT", "AMAZON_COGNITO_USER_POOLS", "AWS_LAMBDA"]
SCHEMA_POLL_SECONDS = 2


def load_schema(module):
    """The desired SDL text, validated; None when the schema is not managed."""
    params = module.params
    if params["schema"] is None and params["schema_file"] is None:
        return None
    if not HAS_GRAPHQL:
        module.fail_json(msg="schema and schema_file need the graphql-core Python library", exception=str(GRAPHQL_IMPORT_ERROR))
    if params["schema_file"] is not None:
        source = "schema_file %s" % params["schema_file"]
        try:
            with open(params["schema_file"], encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as e:
            module.fail_json(msg="cannot read schema_file %s: %s" % (params["schema_file"], e))
    else:
        source, text = "schema", params["schema"]
    errors = schema_errors(text)
    if errors:
        module.fail_json(msg="%s is not a valid AppSync schema: %s" % (source, "; ".join(errors)), schema_errors=errors)
    return text


def validate_options(module):
    """One-line failures for bad input, before any AWS call."""
    params = module.params
    if not params["name"].strip():
        module.fail_json(msg="name: must not be empty")
    if params["state"] == "absent":
        return
    errors = api_utils.auth_option_errors(params)
    if params["api_key"]:
        errors.extend(key_utils.key_option_errors(params["api_key_expiry_days"], params["api_key_renew_days"]))
        auth_types = [params["authentication_type"]] + [p["authentication_type"] for p in params["additional_authentication_providers"] or []]
        if "API_KEY" not in auth_types:
            errors.append("api_key=true needs API_KEY as authentication_type or among additional_authentication_providers (or set api_key: false)")
    if params["wait_timeout"] < 0:
        errors.append("wait_timeout must be 0 or more, got %d" % params["wait_timeout"])
    if errors:
        module.fail_json(msg="; ".join(errors))


def find_api(module, client):
    named = [api for api in api_utils.list_graphql_apis(client) if api.get("name") == module.params["name"]]
    candidates = api_utils.candidates_named(api_utils.with_tags(client, named), module.params["name"])
    try:
        found, adopted = select_owned(candidates, "AppSync API", module.params["name"], adopt=module.params["adopt_untagged"])
    except OwnershipError as e:
        module.fail_json(msg=str(e))
    if found is None:
        return None, False
    # ListGraphqlApis and GetGraphqlApi return the same GraphqlApi shape.
    found = dict(found)
    found.pop("id")
    return found, adopted


def tag_changes(module, current_tags, adopted):
    """(tags to set, keys to remove) for the API's user tags (ownership.plan_tag_changes);
    the schema digest is never among them."""
    return plan_tag_changes(user_tags(current_tags), module.params["tags"], module.params["purge_tags"], adopted)


def wait_for_schema(module, client, api_id):
    """Poll GetSchemaCreationStatus until it settles; fail on FAILED or timeout."""
    deadline = time.time() + module.params["wait_timeout"]
    while True:
        status = api_utils.get_schema_creation_status(client, api_id)
        if status.get("status") == "FAILED":
            module.fail_json(msg="AppSync rejected the schema of API %s: %s" % (api_id, status.get("details")), schema_status="FAILED")
        if status.get("status") != "PROCESSING":
            return status.get("status")
        if time.time() >= deadline:
            module.fail_json(msg="timed out after %ds waiting for the schema creation of API %s" % (module.params["wait_timeout"], api_id))
        time.sleep(SCHEMA_POLL_SECONDS)


def trusted_digest(stored_digest, status):
    """The recorded schema digest, unless the last schema creation FAILED after
    it was recorded (a run with wait=false records it before AppSync is done)."""
    return None if status == "FAILED" else stored_digest


def upload_in_progress(status, stored_digest, desired_sdl):
    """True while AppSync is still processing an upload of the desired schema
    itself (a wait=false run recorded its digest): until it settles the live
    schema is the previous one, and uploading again would be a needless write."""
    return status == "PROCESSING" and stored_digest == schema_digest(desired_sdl)


def ensure_schema(module, client, api_id, desired_sdl, stored_digest=None):
    """Upload the desired schema when schema.upload_needed says so.

    stored_digest: the API's SCHEMA_DIGEST_TAG. Returns (changed, status,
    before, after, drift): before/after the normalised live and desired
    schemas (the same text when nothing is uploaded: the printer, not the
    schema, makes them differ), drift the types changed outside the module.
    """
    desired = normalize_sdl(desired_sdl)
    live_sdl = api_utils.get_live_schema(client, api_id) if api_id else None
    status = None
    # A recorded digest means a schema creation was started, so it has a status
    # even while AppSync has no live schema to show yet.
    if live_sdl is not None or (api_id and stored_digest is not None):
        status = api_utils.get_schema_creation_status(client, api_id).get("status")
        if status == "PROCESSING" and module.params["wait"]:
            # A previous run's upload is still being processed: let it settle, then compare.
            status = wait_for_schema(module, client, api_id)
            live_sdl = api_utils.get_live_schema(client, api_id)
    if upload_in_progress(status, stored_digest, desired_sdl) or not upload_needed(live_sdl, desired_sdl, trusted_digest(stored_digest, status)):
        return False, status, desired, desired, []
    live = normalize_or_none(live_sdl)  # an unparsable live schema is replaced
    drift = drifted_types(live_sdl, desired_sdl) if live is not None else []
    if module.check_mode:
        return True, "NOT_APPLICABLE" if not api_id else "PROCESSING", live, desired, drift
    status = api_utils.start_schema_creation(client, api_id, desired_sdl)
    if module.params["wait"]:
        status = wait_for_schema(module, client, api_id)
    return True, status, live, desired, drift


def record_schema_digest(module, client, api, digest):
    """Tag the API with the digest of the schema just converged; True when the
    tag changes (written only outside check mode)."""
    tags = api.get("tags") or {}
    if tags.get(SCHEMA_DIGEST_TAG) == digest:
        return False
    if not module.check_mode:
        api_utils.tag_resource(client, api["arn"], {SCHEMA_DIGEST_TAG: digest})
    api["tags"] = dict(tags, **{SCHEMA_DIGEST_TAG: digest})
    return True


def create_key(module, client, api_id, expires):
    """CreateApiKey, safe against a lost answer and a concurrent run: the SDK
    does not repeat it, and the managed key is looked for (under a lock on this
    API's key) before one is created again. Returns a creation.Creation."""
    once = creation_client(module)
    return create_once(
        lambda: key_utils.create_api_key(once, api_id, expires),
        lambda: as_list(key_utils.pick_managed_key(key_utils.list_api_keys(client, api_id))),
        lambda key: key["id"],
        creation_target(client, "managed API key of AppSync API", api_id),
        timeout=module.params["wait_timeout"],
    )


def create_api(module, client, config, tags):
    """CreateGraphqlApi, safe against a lost answer and a concurrent run: the SDK
    does not repeat it, and the API is looked for by name and ownership tag
    (under a lock on the name) before it is created again. Returns a creation.Creation."""
    once = creation_client(module)
    return create_once(
        lambda: api_utils.create_graphql_api(once, config, tags),
        lambda: as_list(find_api(module, client)[0]),
        lambda api: api["apiId"],
        creation_target(client, "AppSync API", module.params["name"]),
        timeout=module.params["wait_timeout"],
    )


def ensure_key(module, client, api_id):
    """Returns (changed, before, after) as normalize_api_key dicts with values."""
    params = module.params
    now = int(time.time())
    existing = key_utils.pick_managed_key(key_utils.list_api_keys(client, api_id)) if api_id else None
    before = normalize_api_key(existing, include_value=True)
    if existing and not key_utils.renewal_needed(existing["expires"], now, params["api_key_expiry_days"], params["api_key_renew_days"]):
        return False, before, before
    expires = key_utils.desired_expiry(now, params["api_key_expiry_days"])
    if module.check_mode:
        predicted = dict(existing or {"id": PENDING_SECRET, "description": key_utils.MANAGED_KEY_DESCRIPTION}, expires=expires)
        return True, before, normalize_api_key(predicted, include_value=True)
    if existing:
        key = key_utils.update_api_key(client, api_id, existing["id"], expires)
        return True, before, normalize_api_key(key, include_value=True)
    made = create_key(module, client, api_id, expires)
    # A key another run made while this one waited for the lock is fresh: adopted as it is.
    return made.created, before, normalize_api_key(made.resources[0], include_value=True)


def predicted_api(api):
    """The API a check-mode run would create, with the placeholders (module_utils
    pending) of what only AWS assigns, so that the tasks after it predict their own change."""
    return dict(api, apiId=PENDING, arn=PENDING,
                uris={"GRAPHQL": pending_url("https", "/graphql"), "REALTIME": pending_url("wss", "/graphql")})


def ensure_present(module, client, desired_sdl):
    params = module.params
    current, adopted = find_api(module, client)
    created = None
    if current is None and not module.check_mode:
        made = create_api(module, client, api_utils.build_api_config(params, None), desired_tags(params["tags"] or {}))
        # Made by another run while this one waited for the lock: converged below like one found.
        created, current = (made.resources[0], None) if made.created else (None, made.resources[0])
    changed = False
    changes = []
    current_config = api_utils.api_config_of(current) if current else None
    desired_config = api_utils.build_api_config(params, current)
    current_tags = dict(current.get("tags") or {}) if current else None

    if current is None:
        changed = True
        changes = ["create"]
        after_tags = desired_tags(params["tags"] or {})
        # in check mode no apiId yet: ensure_schema and ensure_key read nothing
        api = created if created is not None else dict(desired_config, tags=after_tags)
    else:
        api = current
        changes = api_utils.fields_to_update(current_config, desired_config)
        to_set, to_remove = tag_changes(module, current_tags, adopted)
        after_tags = tags_after(current_tags, to_set, to_remove)
        if changes or to_set or to_remove:
            changed = True
        if not module.check_mode:
            if changes:
                api_utils.update_graphql_api(client, current["apiId"], api_utils.build_update_params(current, desired_config))
            if to_remove:
                api_utils.untag_resource(client, current["arn"], to_remove)
            if to_set:
                api_utils.tag_resource(client, current["arn"], to_set)
            if changed:
                api = api_utils.get_graphql_api(client, current["apiId"])
        else:
            api = dict(current, **desired_config)
            api["tags"] = after_tags
    api_id = api.get("apiId")

    schema_status, schema_changed, live_schema, new_schema, drift = None, False, None, None, []
    if desired_sdl is not None:
        stored_digest = (api.get("tags") or {}).get(SCHEMA_DIGEST_TAG)
        schema_changed, schema_status, live_schema, new_schema, drift = ensure_schema(module, client, api_id, desired_sdl, stored_digest)
        if drift:
            warn("the live schema of API %s was changed outside this module (types %s); the desired schema %s"
                 % (api_id, ", ".join(drift), "would be uploaded again" if module.check_mode else "was uploaded again"))
        digest_changed = record_schema_digest(module, client, api, schema_digest(desired_sdl))
        changed = changed or schema_changed or digest_changed

    key_before = key_after = None
    if params["api_key"]:
        key_changed, key_before, key_after = ensure_key(module, client, api_id)
        changed = changed or key_changed

    result = dict(
        changed=changed,
        api=normalize_api(api if api_id else predicted_api(api)),
        api_key=key_after,
        schema_status=schema_status,
        schema_changed=schema_changed,
        schema_drift=drift,
        changes=changes,
    )
    if module._diff:
        result["diff"] = dict(
            before=api_utils.build_diff_view(current_config, current_tags, live_schema, key_before) if current else {},
            # AppSync's defaults for unset settings, as fields_to_update sees them;
            # the tags as they end up, schema digest included
            after=api_utils.build_diff_view(
                api_utils.merge_live_defaults(desired_config, current_config or {}), api.get("tags") or after_tags, new_schema, key_after
            ),
        )
    return result


def ensure_absent(module, client):
    current, _adopted = find_api(module, client)
    result = dict(changed=False, api=None, api_key=None, schema_status=None, schema_changed=False, schema_drift=[], changes=[])
    if current is None:
        return result
    result["changed"] = True
    result["changes"] = ["delete"]
    if not module.check_mode:
        api_utils.delete_graphql_api(client, current["apiId"])
    if module._diff:
        result["diff"] = dict(
            before=api_utils.build_diff_view(api_utils.api_config_of(current), dict(current.get("tags") or {}), None, None),
            after={},
        )
    return result


def main():
    provider_spec = dict(
        authentication_type=dict(type="str", required=True, choices=AUTH_TYPES),
        openid_connect_config=dict(type="dict"),
        user_pool_config=dict(type="dict"),
        lambda_authorizer_config=dict(type="dict"),
    )
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        authentication_type=dict(type="str", default="API_KEY", choices=AUTH_TYPES),
        openid_connect_config=dict(
            type="dict",
            options=dict(
                issuer=dict(type="str", required=True),
                client_id=dict(type="str"),
                iat_ttl=dict(type="int"),
                auth_ttl=dict(type="int"),
            ),
        ),
        user_pool_config=dict(
            type="dict",
            options=dict(
                user_pool_id=dict(type="str", required=True),
                aws_region=dict(type="str", required=True),
                default_action=dict(type="str", default="ALLOW", choices=["ALLOW", "DENY"]),
                app_id_client_regex=dict(type="str"),
            ),
        ),
        lambda_authorizer_config=dict(
            type="dict",
            options=dict(
                authorizer_uri=dict(type="str", required=True),
                authorizer_result_ttl_in_seconds=dict(type="int"),
                identity_validation_expression=dict(type="str"),
            ),
        ),
        additional_authentication_providers=dict(type="list", elements="dict", options=provider_spec),
        xray_enabled=dict(type="bool", default=False),
        log_config=dict(
            type="dict",
            options=dict(
                field_log_level=dict(type="str", required=True, choices=["NONE", "ERROR", "ALL", "INFO", "DEBUG"]),
                cloudwatch_logs_role_arn=dict(type="str", required=True),
                exclude_verbose_content=dict(type="bool", default=False),
            ),
        ),
        schema=dict(type="str"),
        schema_file=dict(type="path"),
        api_key=dict(type="bool", default=True),
        api_key_expiry_days=dict(type="int", default=365, no_log=False),
        api_key_renew_days=dict(type="int", default=30, no_log=False),
        adopt_untagged=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["schema", "schema_file"]],
        supports_check_mode=True,
    )
    validate_options(module)
    desired_sdl = load_schema(module) if module.params["state"] == "present" else None
    client = module.client("appsync")
    try:
        if module.params["state"] == "present":
            result = ensure_present(module, client, desired_sdl)
        else:
            result = ensure_absent(module, client)
    except AnsibleAppSyncError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
