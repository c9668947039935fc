# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

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
