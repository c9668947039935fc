# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""role_input_errors: what the roles would refuse in the inputs an inventory sets.

Documentation: role_input_errors.yml next to this file. The preflight checks
every host's inputs against the roles' own argument specs (types, choices,
suboptions) plus value rules (ranges, patterns) before any write, so a value a
role refuses never fails a run halfway.
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

# Keys of a role's argument spec that are documentation, not validation.
DOC_KEYS = ("description", "version_added")


def _validation_spec(option):
    """The option's spec without its documentation keys (suboptions included)."""
    spec = {key: value for key, value in option.items() if key not in DOC_KEYS}
    if isinstance(spec.get("options"), dict):
        spec["options"] = {name: _validation_spec(sub) for name, sub in spec["options"].items()}
    spec.pop("default", None)  # defaults are templates of other variables; only given values are checked
    return spec


def _type_errors(name, value, option):
    result = ArgumentSpecValidator({name: _validation_spec(option)}).validate({name: value})
    return [str(error) for error in result.errors], result.validated_parameters.get(name, value)


def _rule_errors(name, value, rule):
    errors = []
    if "min" in rule and value < rule["min"] or "max" in rule and value > rule["max"]:
        errors.append("%r is out of range (%s..%s)" % (value, rule.get("min", ""), rule.get("max", "")))
    if "match" in rule and not re.match(rule["match"], str(value)):
        errors.append("%r must match %s%s" % (value, rule["match"], " (%s)" % rule["why"] if rule.get("why") else ""))
    return errors


def role_input_errors(values, options, prefix, rules=None):
    """One line '<prefix>: <variable>: <problem>' per problem in values (the inputs set), [] when all pass."""
    if not isinstance(values, dict) or not isinstance(options, dict):
        raise AnsibleFilterError("role_input_errors expects a dict of values and a dict of argument spec options")
    rules = rules or {}
    problems = []
    for name in sorted(values):
        if name not in options:
            continue
        errors, value = _type_errors(name, values[name], options[name])
        if not errors and name in rules:
            errors = _rule_errors(name, value, rules[name])
        problems.extend("%s: %s: %s" % (prefix, name, error) for error in errors)
    return problems


class FilterModule:
    def filters(self):
        return {"role_input_errors": role_input_errors}
