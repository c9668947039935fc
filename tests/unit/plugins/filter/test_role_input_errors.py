# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pathlib

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.role_input_errors import FilterModule

ROLES = pathlib.Path(__file__).parents[4] / "roles"


def errors():
    return FilterModule().filters()["role_input_errors"]


def options_of(role):
    specs = yaml.safe_load((ROLES / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    merged = {}
    for entry in specs.values():
        merged.update(entry.get("options", {}))
    return merged


RULES = {"graphql_api_key_expiry_days": {"min": 1, "max": 365},
         "graphql_api_name": {"match": "^[A-Za-z0-9_-]{1,65}$", "why": "an AppSync API name"}}


def test_valid_inputs_pass():
    values = {"graphql_api_key_expiry_days": "30", "graphql_api_xray_enabled": "yes", "graphql_api_name": "my-api"}
    assert errors()(values, options_of("graphql_api"), "us-east-1", RULES) == []


def test_out_of_range_value_names_host_variable_and_value():
    assert errors()({"graphql_api_key_expiry_days": 400}, options_of("graphql_api"), "eu-central-1", RULES) == [
        "eu-central-1: graphql_api_key_expiry_days: 400 is out of range (1..365)"]


def test_pattern_rule_says_why():
    [line] = errors()({"graphql_api_name": "no spaces"}, options_of("graphql_api"), "us-east-1", RULES)
    assert line.startswith("us-east-1: graphql_api_name: 'no spaces' must match")
    assert "an AppSync API name" in line


@pytest.mark.parametrize(
    "role,values,fragment",
    [
        ("graphql_api", {"graphql_api_key_expiry_days": "a year"}, "graphql_api_key_expiry_days: argument 'graphql_api_key_expiry_days' is of type"),
        ("global_table", {"global_table_billing_mode": "ON_DEMAND"}, "global_table_billing_mode: value of global_table_billing_mode must be one of"),
        ("global_table", {"global_table_hash_key": {"name": "pk", "type": "X"}}, "global_table_hash_key: value of type must be one of"),
        ("geo_dns", {"geo_dns_record_types": "A"}, None),  # a string is a one-element list
    ],
)
def test_argument_spec_checks(role, values, fragment):
    problems = errors()(values, options_of(role), "ap-southeast-2")
    if fragment is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert problems[0].startswith("ap-southeast-2: ")
        assert fragment in problems[0]


def test_every_problem_one_line_and_other_variables_ignored():
    values = {"graphql_api_key_expiry_days": 0, "graphql_api_name": "bad name", "ansible_host": "x", "app_name": "a"}
    problems = errors()(values, options_of("graphql_api"), "us-east-1", RULES)
    assert [line.split(": ")[1] for line in problems] == ["graphql_api_key_expiry_days", "graphql_api_name"]


def test_non_dicts_are_refused():
    with pytest.raises(AnsibleFilterError, match="expects a dict"):
        errors()(["x"], {}, "us-east-1")
