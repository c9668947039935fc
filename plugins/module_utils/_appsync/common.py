# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every AppSync module shares: errors, retries, response normalisation.

Public names (kept stable for the other AppSync modules):
  AnsibleAppSyncError, AppSyncErrorHandler, APPSYNC_RETRY_CODES, appsync_retry,
  appsync_retry_decorator, role_propagation_retry, create_retry, creation_client, creation_target,
  all_pages, to_snake, epoch_to_iso, SCHEMA_DIGEST_TAG,
  normalize_api, normalize_api_key, normalize_data_source, normalize_function,
  normalize_resolver.
"""

import datetime
import re

try:
    import botocore.config
except ImportError:
    pass  # the modules report a missing botocore

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.multiregion.appsync.plugins.module_utils.creation import CreationTarget

# AppSync answers ConcurrentModificationException ("schema is currently being
# altered") for a while after a schema update, and LimitExceededException (HTTP
# 429, "try your request again") or TooManyRequestsException when throttling;
# all are refusals that clear up by themselves. InternalFailureException is not
# retried: the request may have gone through, and a repeated Create* (no
# idempotency token) would make a duplicate.
APPSYNC_RETRY_CODES = ["ConcurrentModificationException", "TooManyRequestsException", "LimitExceededException"]


# The tag in which appsync_api records the digest of the schema it last
# uploaded (see schema.schema_digest). It is the module's bookkeeping, not a
# user tag: tags/purge_tags never touch it and results list it apart.
SCHEMA_DIGEST_TAG = "multiregion.appsync:schema-sha256"


class AnsibleAppSyncError(AnsibleAWSError):
    pass


class AppSyncErrorHandler(AWSErrorHandler):
    """amazon.aws-style handlers: common_error_handler, list_error_handler
    (NotFoundException -> default value), deletion_error_handler
    (NotFoundException -> False); failures raise AnsibleAppSyncError."""

    _CUSTOM_EXCEPTION = AnsibleAppSyncError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


def appsync_retry_decorator(**kwargs):
    """AWSRetry.jittered_backoff that also retries APPSYNC_RETRY_CODES."""
    extra = list(APPSYNC_RETRY_CODES) + list(kwargs.pop("catch_extra_error_codes", None) or [])
    return AWSRetry.jittered_backoff(catch_extra_error_codes=extra, **kwargs)


# The decorator on one private wrapper per API call.
appsync_retry = appsync_retry_decorator()

# IAM is eventually consistent: for a few seconds after a role is created,
# AppSync may refuse a call that passes it (a data source's serviceRoleArn,
# the API's logConfig.cloudWatchLogsRoleArn) because it cannot yet see,
# pass or assume the role: AccessDeniedException "Failed to assume ... role
# ..., please retry", or AccessDeniedException/BadRequestException naming the
# role (iam:PassRole, cannot be assumed, does not exist, is not valid). Such a
# refusal wrote nothing, so it is retried, for about a minute at most, in the
# wrappers of the calls that pass a role only. Any other BadRequestException
# (e.g. "Service role arn not specified.") is the caller's mistake and fails
# at once.
ROLE_PROPAGATION_CODES = ("AccessDeniedException", "BadRequestException")
ROLE_PROPAGATION_MESSAGE = re.compile(
    r"\brole\b.*\b(assume[ds]?|pass|does not exist|not found|is not valid|invalid|retry)\b"
    r"|\b(assume|iam:PassRole)\b.*\brole\b|iam:PassRole",
    re.IGNORECASE,
)
ROLE_PROPAGATION = "RolePropagation"  # the code RolePropagationRetry gives those refusals


def is_role_propagation_error(error):
    """True for a ClientError by which AppSync refuses a role IAM has not propagated yet."""
    response = getattr(error, "response", None) or {}
    details = response.get("Error") or {}
    return details.get("Code") in ROLE_PROPAGATION_CODES and bool(ROLE_PROPAGATION_MESSAGE.search(details.get("Message") or ""))


class RolePropagationRetry(AWSRetry):
    """AWSRetry that also sees the role-propagation refusals (by code and message)."""

    @staticmethod
    def status_code_from_exception(error):
        return ROLE_PROPAGATION if is_role_propagation_error(error) else AWSRetry.status_code_from_exception(error)


# For the wrappers of calls that pass a role: AppSync's transient errors, plus
# role propagation for up to about a minute (8 tries, full jitter, 2 s doubling to 16 s).
role_propagation_retry = RolePropagationRetry.jittered_backoff(
    retries=8, delay=2, max_delay=16, catch_extra_error_codes=list(APPSYNC_RETRY_CODES) + [ROLE_PROPAGATION]
)


# ---- creates AWS does not make idempotent -------------------------------------
#
# CreateGraphqlApi, CreateApiKey and CreateFunction take no client token: when
# AWS applies one but its answer is lost (a 5xx, a dropped connection), a
# repeat makes a duplicate. So the SDK never repeats them (creation_client),
# their wrappers retry only refusals, which wrote nothing (create_retry), and
# creation.create_once looks for what a lost answer (or another run) may have
# made before creating again.

NO_SDK_RETRY = {"retries": {"mode": "standard", "total_max_attempts": 1}}


def creation_client(module):
    """An AppSync client whose SDK sends each call once (for the creates only)."""
    return module.client("appsync", config=botocore.config.Config(**NO_SDK_RETRY))


class RefusalRetry(RolePropagationRetry):
    """Retries only the refusals named (throttling, conflicts, role propagation),
    never AWSRetry's defaults: a 5xx may come after the create was applied."""

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code in (catch_extra_error_codes or ())


create_retry = RefusalRetry.jittered_backoff(
    retries=8, delay=2, max_delay=16, catch_extra_error_codes=list(APPSYNC_RETRY_CODES) + [ROLE_PROPAGATION]
)


def creation_target(client, kind, name, *details):
    """The creation.CreationTarget of an AppSync create (its lock; lock timeouts raise AnsibleAppSyncError)."""
    return CreationTarget(client, kind, name, details, error=AnsibleAppSyncError)


def all_pages(call, result_key, **params):
    """Every item of a paginated AppSync List* call, following nextToken
    (AWS pages these lists; moto answers in one page)."""
    items = []
    while True:
        page = call(**params)
        items.extend(page.get(result_key) or [])
        if not page.get("nextToken"):
            return items
        params["nextToken"] = page["nextToken"]


def to_snake(resource, ignore_list=("tags",)):
    """camel_dict_to_snake_dict that leaves tag keys (and None) alone."""
    if resource is None:
        return None
    return camel_dict_to_snake_dict(resource, ignore_list=list(ignore_list))


def epoch_to_iso(epoch):
    """Epoch seconds -> ISO 8601 UTC string ('2026-01-31T00:00:00Z'); None stays None."""
    if epoch is None:
        return None
    moment = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def user_tags(tags):
    """An API's tags without SCHEMA_DIGEST_TAG (the ownership tag stays)."""
    return dict((k, v) for k, v in (tags or {}).items() if k != SCHEMA_DIGEST_TAG)


def normalize_api(api):
    """A GraphqlApi as returned by AppSync -> snake_case, tags a plain dict
    without the schema digest, which (when recorded) is schema_digest."""
    if api is None:
        return None
    result = to_snake(api)
    tags = api.get("tags") or {}
    result["tags"] = user_tags(tags)
    if SCHEMA_DIGEST_TAG in tags:
        result["schema_digest"] = tags[SCHEMA_DIGEST_TAG]
    return result


def normalize_api_key(key, include_value=False):
    """An ApiKey -> {id, expires, expires_at, description[, value]}."""
    if key is None:
        return None
    result = {
        "id": key.get("id"),
        "expires": key.get("expires"),
        "expires_at": epoch_to_iso(key.get("expires")),
        "description": key.get("description"),
    }
    if include_value:
        result["value"] = key.get("id")
    return result


def normalize_data_source(data_source):
    """A DataSource -> snake_case dict (name, data_source_arn, type, ...)."""
    return to_snake(data_source)


def normalize_function(function):
    """A FunctionConfiguration -> snake_case dict (function_id, function_arn, name, ...)."""
    return to_snake(function)


def normalize_resolver(resolver):
    """A Resolver -> snake_case dict; pipeline_config.functions stays a list of ids."""
    return to_snake(resolver)
