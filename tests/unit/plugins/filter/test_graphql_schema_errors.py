# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.graphql_schema_errors import FilterModule


def schema_filter():
    return FilterModule().filters()["graphql_schema_errors"]


def test_valid_schema_gives_no_errors():
    assert schema_filter()("type Query { now: AWSDateTime @aws_api_key }") == []


def test_errors_have_line_and_column():
    assert schema_filter()("type Query {\n  a: Strin\n}\n") == ["line 2, column 6: Unknown type 'Strin'. Did you mean 'String'?"]


def test_non_string_input_is_refused():
    with pytest.raises(AnsibleFilterError, match="expects the schema text"):
        schema_filter()(["type Query { a: Int }"])
