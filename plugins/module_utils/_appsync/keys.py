# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one API key this collection manages on an AppSync API.

AppSync keeps an API key for 1 to 365 days, rounded down to the hour, and
UpdateApiKey sets a new expiry on the same key (same value). The pure
functions decide when to renew and what expiry to ask for; the wrappers
below them call AWS (CreateApiKey retries only refusals: see common.create_once).
"""

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AppSyncErrorHandler
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import all_pages
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import appsync_retry
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import create_retry
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_api_key

# The managed key is recognised by its description.
MANAGED_KEY_DESCRIPTION = "managed by multiregion.appsync"
DAY = 86400
HOUR = 3600
MIN_EXPIRY_DAYS = 1
MAX_EXPIRY_DAYS = 365


def key_option_errors(expiry_days, renew_days):
    """One-line messages for api_key_expiry_days / api_key_renew_days out of range."""
    errors = []
    if not MIN_EXPIRY_DAYS <= expiry_days <= MAX_EXPIRY_DAYS:
        errors.append(
            "api_key_expiry_days must be between %d and %d (AppSync's limits), got %d" % (MIN_EXPIRY_DAYS, MAX_EXPIRY_DAYS, expiry_days)
        )
    elif renew_days < 0 or renew_days >= expiry_days:
        errors.append(
            "api_key_renew_days must be at least 0 and lower than api_key_expiry_days (%d), got %d: "
            "otherwise every run would renew the key" % (expiry_days, renew_days)
        )
    return errors


# AppSync checks the 365-day ceiling against its own clock: a controller clock
# minutes ahead would ask for a moment past it (ApiKeyValidityOutOfBoundsException).
CEILING_MARGIN = HOUR


def desired_expiry(now, expiry_days):
    """Epoch seconds to send as `expires`: expiry_days from now, on the hour.

    AppSync rounds down to the hour; rounding ourselves keeps the value we
    report equal to the one AWS stores. At the ceiling, at most 365 days minus
    CEILING_MARGIN, so a clock up to an hour ahead of AWS's stays inside it.
    A 1-day key rounded down would be shorter than AppSync's minimum, so it is
    rounded up instead.
    """
    now = int(now)
    latest = now + MAX_EXPIRY_DAYS * DAY - CEILING_MARGIN
    expires = min(now + expiry_days * DAY, latest) // HOUR * HOUR
    if expires < now + MIN_EXPIRY_DAYS * DAY:
        expires += HOUR
    return expires


def renewal_needed(expires, now, expiry_days, renew_days):
    """True when the key must get a new expiry.

    - fewer than renew_days remain (including an already expired key);
    - or it lives longer than expiry_days from now (the option was lowered);
      an hour of slack absorbs AWS's rounding.
    """
    remaining = int(expires) - int(now)
    if remaining < renew_days * DAY:
        return True
    return remaining > expiry_days * DAY + HOUR


def pick_managed_key(keys):
    """The managed key among ListApiKeys' apiKeys (the latest expiring), or None."""
    managed = [k for k in keys if k.get("description") == MANAGED_KEY_DESCRIPTION]
    if not managed:
        return None
    return sorted(managed, key=lambda k: (k.get("expires") or 0, k.get("id") or ""))[-1]


def masked_key(key):
    """A key for listings: AppSync's key id is the key itself, so only its
    last 4 characters are kept (id_hint), with the expiry."""
    if key is None:
        return None
    result = normalize_api_key(key)
    result.pop("id")
    result["id_hint"] = "..." + key["id"][-4:]
    if key.get("deletes"):
        result["deletes"] = int(key["deletes"])
    return result


@AppSyncErrorHandler.list_error_handler("list API keys", default_value=[])
@appsync_retry
def list_api_keys(client, api_id):
    return all_pages(client.list_api_keys, "apiKeys", apiId=api_id)


@AppSyncErrorHandler.common_error_handler("create API key")
@create_retry
def create_api_key(client, api_id, expires):
    return client.create_api_key(apiId=api_id, description=MANAGED_KEY_DESCRIPTION, expires=expires)["apiKey"]


@AppSyncErrorHandler.common_error_handler("renew API key")
@appsync_retry
def update_api_key(client, api_id, key_id, expires):
    return client.update_api_key(apiId=api_id, id=key_id, description=MANAGED_KEY_DESCRIPTION, expires=expires)["apiKey"]
