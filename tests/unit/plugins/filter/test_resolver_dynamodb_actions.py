# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.resolver_dynamodb_actions import FilterModule


def actions():
    return FilterModule().filters()["resolver_dynamodb_actions"]


@pytest.mark.parametrize(
    "code,expected",
    [
        ("return { operation: 'GetItem', key: {} };", ["dynamodb:GetItem"]),
        ('return {operation:\n  "PutItem"};', ["dynamodb:PutItem"]),
        ("return ddb.remove({ key });", ["dynamodb:DeleteItem"]),
        ("return ddb.sync ({});", ["dynamodb:Query", "dynamodb:Scan"]),
        ("return { operation: 'TransactWriteItems' };",
         ["dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]),
        ("return { operation: 'BatchPutItem' }; // and { operation: 'BatchDeleteItem' }", ["dynamodb:BatchWriteItem"]),
    ],
)
def test_operations_and_helpers_give_their_actions(code, expected):
    assert actions()(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "return myddb.get({});",  # not the ddb helper
        "return { operation: 'Invoke' };",  # a Lambda operation
        "const x = 'no request';",
    ],
)
def test_code_without_dynamodb_requests_gives_nothing(code):
    assert actions()(code) == []


def test_several_resolvers_are_merged_sorted_and_unique():
    codes = ["return ddb.get({});", "return { operation: 'GetItem' };", "return ddb.put({});"]
    assert actions()(codes) == ["dynamodb:GetItem", "dynamodb:PutItem"]


@pytest.mark.parametrize("bad", [None, 3, [1, "x"], {"a": "b"}])
def test_non_code_is_refused(bad):
    with pytest.raises(AnsibleFilterError, match="expects a string or a list"):
        actions()(bad)
