# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""resolver_dynamodb_actions: the DynamoDB IAM actions APPSYNC_JS resolvers use.

Documentation: resolver_dynamodb_actions.yml next to this file. Read from the
code so that the data source's role is allowed exactly what the resolvers do.
"""

import re

from ansible.errors import AnsibleFilterError

# AppSync DynamoDB request operations -> the IAM actions they need.
IAM_ACTIONS_BY_OPERATION = {
    "GetItem": ["dynamodb:GetItem"],
    "PutItem": ["dynamodb:PutItem"],
    "UpdateItem": ["dynamodb:UpdateItem"],
    "DeleteItem": ["dynamodb:DeleteItem"],
    "Query": ["dynamodb:Query"],
    "Scan": ["dynamodb:Scan"],
    "Sync": ["dynamodb:Query", "dynamodb:Scan"],
    "BatchGetItem": ["dynamodb:BatchGetItem"],
    "BatchPutItem": ["dynamodb:BatchWriteItem"],
    "BatchDeleteItem": ["dynamodb:BatchWriteItem"],
    "TransactGetItems": ["dynamodb:GetItem"],
    "TransactWriteItems": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
}
# The @aws-appsync/utils/dynamodb helpers (ddb.get(...)) -> the operation each sends.
OPERATION_BY_HELPER = {
    "get": "GetItem",
    "put": "PutItem",
    "update": "UpdateItem",
    "remove": "DeleteItem",
    "query": "Query",
    "scan": "Scan",
    "sync": "Sync",
}
OPERATION_FIELD = re.compile(r"""operation\s*:\s*['"]([A-Za-z]+)['"]""")
HELPER_CALL = re.compile(r"(?<![A-Za-z0-9_$])ddb\.(%s)\s*\(" % "|".join(OPERATION_BY_HELPER))


def resolver_operations(code):
    """The AppSync DynamoDB operations one resolver's code sends (known ones only)."""
    found = OPERATION_FIELD.findall(code) + [OPERATION_BY_HELPER[name] for name in HELPER_CALL.findall(code)]
    return sorted(set(found) & set(IAM_ACTIONS_BY_OPERATION))


def resolver_dynamodb_actions(codes):
    """Sorted IAM actions for the operations a resolver's code (a string) or several (a list) send."""
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, (list, tuple)) or not all(isinstance(code, str) for code in codes):
        raise AnsibleFilterError("resolver_dynamodb_actions expects a string or a list of strings (resolver code)")
    operations = set()
    for code in codes:
        operations.update(resolver_operations(code))
    return sorted({action for operation in operations for action in IAM_ACTIONS_BY_OPERATION[operation]})


class FilterModule:
    def filters(self):
        return {"resolver_dynamodb_actions": resolver_dynamodb_actions}
