"""The AMAZON_DYNAMODB data source: an APPSYNC_JS request object run against the local table.

The request (``{operation: 'GetItem', key, ...}``, AppSync's JS resolver
reference for DynamoDB) becomes the low-level DynamoDB call and is handed to
moto's own DynamoDB handler in-process, in the data source's region, so moto's
key, expression and condition checks apply and the call is not an AWS API
call in the request log. A global table's replicas share one item store
(localaws/extensions/dynamodb.py), so a write through one region's API is read
through another's. Results come back as AppSync gives them to ``ctx.result``:
plain JSON items, ``{items, nextToken, scannedCount}`` for Query and Scan.
"""

import base64
import json
import uuid
from decimal import Decimal

from localaws.extensions import dynamodb as dynamodb_extension

# AppSync operation -> moto DynamoHandler method
OPERATIONS = {"GetItem": "get_item", "PutItem": "put_item", "UpdateItem": "update_item",
              "DeleteItem": "delete_item", "Query": "query", "Scan": "scan"}


class DataSourceError(Exception):
    """A DynamoDB error as AppSync puts it in ``ctx.error`` (message, type)."""

    def __init__(self, message, error_type):
        super().__init__(message)
        self.message = message
        self.error_type = error_type


def from_dynamodb(value):
    """A typed DynamoDB value ({"S": "x"}) as plain JSON."""
    (kind, inner), = value.items()
    if kind == "S" or kind == "B" or kind == "BOOL":
        return inner
    if kind == "N":
        return _number(inner)
    if kind == "NULL":
        return None
    if kind == "M":
        return plain_item(inner)
    if kind == "L":
        return [from_dynamodb(item) for item in inner]
    if kind == "NS":
        return [_number(item) for item in inner]
    return list(inner)  # SS, BS


def _number(text):
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() and "e" not in text.lower() and "." not in text \
        else float(number)


def plain_item(item):
    return None if item is None else {key: from_dynamodb(value) for key, value in item.items()}


def _encode_token(last_key):
    return base64.b64encode(json.dumps(last_key, sort_keys=True).encode()).decode() if last_key else None


def _decode_token(token):
    try:
        return json.loads(base64.b64decode(token))
    except (ValueError, TypeError):
        raise DataSourceError("Invalid nextToken", "DynamoDB:ValidationException") from None


def _expression(params, part, key, merged):
    """Add one AppSync expression object ({expression, expressionNames, expressionValues})."""
    if not part:
        return
    params[key] = part["expression"]
    merged["names"].update(part.get("expressionNames") or {})
    merged["values"].update(part.get("expressionValues") or {})


def build_params(table, request):
    """The DynamoDB API parameters for an AppSync DynamoDB request object."""
    if not isinstance(request, dict):
        raise DataSourceError("The request handler must return a DynamoDB request object, got %s."
                              % json.dumps(request), "DynamoDB:ValidationException")
    operation = request.get("operation")
    if operation not in OPERATIONS:
        raise DataSourceError("Unsupported operation '%s' (the local AWS serves %s)."
                              % (operation, ", ".join(OPERATIONS)), "DynamoDB:LocalAwsUnsupported")
    params = {"TableName": table}
    merged = {"names": {}, "values": {}}
    if operation in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        params["Key"] = request.get("key") or {}
    if operation == "PutItem":
        params["Item"] = dict(request.get("attributeValues") or {}, **params.pop("Key"))
    if operation == "UpdateItem":
        _expression(params, request.get("update"), "UpdateExpression", merged)
        params["ReturnValues"] = "ALL_NEW"
    if operation == "DeleteItem":
        params["ReturnValues"] = "ALL_OLD"
    if operation == "Query":
        _expression(params, request.get("query"), "KeyConditionExpression", merged)
    if operation in ("Query", "Scan"):
        _expression(params, request.get("filter"), "FilterExpression", merged)
        for source, target in (("index", "IndexName"), ("limit", "Limit"), ("select", "Select"),
                               ("scanIndexForward", "ScanIndexForward"), ("segment", "Segment"),
                               ("totalSegments", "TotalSegments")):
            if request.get(source) is not None:
                params[target] = request[source]
        if request.get("nextToken"):
            params["ExclusiveStartKey"] = _decode_token(request["nextToken"])
    if operation in ("GetItem", "Query", "Scan"):
        if request.get("consistentRead") is not None:
            params["ConsistentRead"] = request["consistentRead"]
        _expression(params, request.get("projection"), "ProjectionExpression", merged)
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        _expression(params, request.get("condition"), "ConditionExpression", merged)
    if merged["names"]:
        params["ExpressionAttributeNames"] = merged["names"]
    if merged["values"]:
        params["ExpressionAttributeValues"] = merged["values"]
    return operation, params


def _call(account_id, region, operation, params):
    """Run one DynamoDB operation through moto's handler, in-process."""
    from moto.dynamodb.responses import DynamoHandler  # pylint: disable=import-outside-toplevel

    dynamodb_extension.settle()
    handler = DynamoHandler()
    handler.current_account = account_id
    handler.region = region
    handler.params = params
    handler.body = params
    method = getattr(handler, OPERATIONS[operation])
    try:
        result = method()
    except Exception as error:  # moto raises its service errors; AppSync hands them to ctx.error
        raise _data_source_error(error) from None
    return json.loads(json.dumps(result.result, default=str))


def _data_source_error(error):
    """moto's error as AppSync words a DynamoDB error in ctx.error."""
    code = getattr(error, "code", None)
    status = code if isinstance(code, int) else 400
    name = getattr(error, "error_type", None) or (code if isinstance(code, str) else type(error).__name__)
    message = "%s (Service: DynamoDb, Status Code: %s, Request ID: %s)" % (
        getattr(error, "message", None) or str(error), status, uuid.uuid4().hex.upper())
    return DataSourceError(message, "DynamoDB:%s" % str(name).rsplit("#", 1)[-1])


def invoke(account_id, region, table, request):
    """ctx.result for the request, or DataSourceError."""
    operation, params = build_params(table, request)
    answer = _call(account_id, region, operation, params)
    if operation == "GetItem":
        return plain_item(answer.get("Item"))
    if operation == "PutItem":
        return plain_item(params["Item"])
    if operation == "UpdateItem":
        return plain_item(answer.get("Attributes"))
    if operation == "DeleteItem":
        return plain_item(answer.get("Attributes"))
    return {"items": [plain_item(item) for item in answer.get("Items", [])],
            "nextToken": _encode_token(answer.get("LastEvaluatedKey")),
            "scannedCount": answer.get("ScannedCount", 0)}
