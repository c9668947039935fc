# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Identity of resources whose names AWS does not keep unique.

AppSync APIs, HTTP APIs and ACM certificates can share a name (or domain). The
resources this collection creates carry OWNER_TAG; a lookup by name keeps only
those, may adopt a single untagged one when asked, and refuses to guess when
more than one candidate remains.
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

OWNER_TAG_KEY = "managed-by"
OWNER_TAG_VALUE = "multiregion.appsync"


class OwnershipError(Exception):
    """More than one resource could be ours; the message names their ids."""


def owner_tags():
    """The tag every resource created by this collection carries."""
    return {OWNER_TAG_KEY: OWNER_TAG_VALUE}


def is_owned(tags):
    return (tags or {}).get(OWNER_TAG_KEY) == OWNER_TAG_VALUE


def desired_tags(tags):
    """User tags plus the ownership tag; None (leave tags alone) stays None."""
    if tags is None:
        return None
    merged = dict(tags)
    merged.update(owner_tags())
    return merged


def select_owned(candidates, kind, name, adopt=False):
    """Pick the one resource that is ours among same-named candidates.

    candidates: dicts with at least "id" and "tags". Returns (resource, adopted):
    (None, False) when none is ours and adoption is off or impossible.
    Raises OwnershipError when two or more are owned, or when adopting and
    several untagged candidates exist.
    """
    owned = [c for c in candidates if is_owned(c.get("tags"))]
    if len(owned) > 1:
        raise OwnershipError(
            "%d %s resources named %r carry %s=%s: %s; delete or retag all but one"
            % (len(owned), kind, name, OWNER_TAG_KEY, OWNER_TAG_VALUE, ", ".join(sorted(c["id"] for c in owned)))
        )
    if owned:
        return owned[0], False
    if not adopt or not candidates:
        return None, False
    if len(candidates) > 1:
        raise OwnershipError(
            "cannot adopt: %d untagged %s resources are named %r: %s"
            % (len(candidates), kind, name, ", ".join(sorted(c["id"] for c in candidates)))
        )
    return candidates[0], True


def plan_tag_changes(current, tags, purge_tags, adopted=False):
    """(tags to set, keys to remove) that bring a resource's tags to the wanted set.

    tags=None leaves the user's tags alone (only an adopted resource gains the
    ownership tag); the ownership tag is never removed.
    """
    current = current or {}
    wanted = desired_tags(tags)
    if wanted is None:
        wanted = dict(current)
        if adopted:
            wanted.update(owner_tags())
    to_set, to_remove = compare_aws_tags(current, wanted, purge_tags)
    return to_set, [key for key in to_remove if key != OWNER_TAG_KEY]


def tags_after(current, to_set, to_remove):
    """The tags a resource carries once plan_tag_changes' changes are applied."""
    after = {key: value for key, value in (current or {}).items() if key not in to_remove}
    after.update(to_set)
    return after
