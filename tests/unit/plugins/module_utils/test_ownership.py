# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import ownership
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import (
    OwnershipError,
    desired_tags,
    owner_tags,
    select_owned,
)

OURS = owner_tags()


def test_picks_the_owned_one_among_same_names():
    found, adopted = select_owned([{"id": "a", "tags": {}}, {"id": "b", "tags": OURS}], "AppSync API", "x")
    assert found["id"] == "b"
    assert adopted is False


def test_two_owned_is_an_error_naming_both():
    with pytest.raises(OwnershipError, match="a, b"):
        select_owned([{"id": "b", "tags": OURS}, {"id": "a", "tags": OURS}], "AppSync API", "x")


def test_untagged_is_not_ours_unless_adopting():
    assert select_owned([{"id": "a", "tags": {}}], "AppSync API", "x") == (None, False)
    assert select_owned([{"id": "a", "tags": {}}], "AppSync API", "x", adopt=True) == ({"id": "a", "tags": {}}, True)


def test_adopting_refuses_to_guess():
    with pytest.raises(OwnershipError, match="cannot adopt"):
        select_owned([{"id": "a", "tags": None}, {"id": "b", "tags": {}}], "AppSync API", "x", adopt=True)


def test_desired_tags_keeps_none_and_adds_owner():
    assert desired_tags(None) is None
    assert desired_tags({"env": "prod"}) == dict(OURS, env="prod")


def test_plan_tag_changes_leaves_user_tags_alone_when_tags_is_none():
    assert ownership.plan_tag_changes({"team": "a"}, None, True) == ({}, [])


def test_plan_tag_changes_tags_an_adopted_resource_even_when_tags_is_none():
    assert ownership.plan_tag_changes({"team": "a"}, None, True, adopted=True) == (ownership.owner_tags(), [])


def test_plan_tag_changes_purges_user_tags_but_never_the_ownership_tag():
    current = dict(ownership.owner_tags(), team="a", old="x")
    to_set, to_remove = ownership.plan_tag_changes(current, {"team": "b"}, True)
    assert to_set == {"team": "b"}
    assert to_remove == ["old"]
    assert ownership.tags_after(current, to_set, to_remove) == dict(ownership.owner_tags(), team="b")


def test_plan_tag_changes_keeps_unlisted_tags_without_purge():
    assert ownership.plan_tag_changes({"old": "x"}, {"team": "b"}, False) == (dict(ownership.owner_tags(), team="b"), [])
