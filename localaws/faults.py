"""AWS-shaped error responses for fault injection.

Each protocol gets the error format its botocore parser reads, so a client sees
the service's real throttling error (and retries it) or a real 5xx.
"""

import json

from localaws.operations import service_model

THROTTLE_CODES = {
    "dynamodb": "ThrottlingException",
    "dynamodbstreams": "ThrottlingException",
    "acm": "ThrottlingException",
    "logs": "ThrottlingException",
    "appsync": "TooManyRequestsException",
    "apigatewayv2": "TooManyRequestsException",
    "route53": "Throttling",
    "iam": "Throttling",
    "sts": "Throttling",
}
XML_ERROR = (
    "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message>"
    "</Error><RequestId>localaws-fault</RequestId></ErrorResponse>"
)


def fault_response(service, kind):
    """Return (status, headers, body) for a 'throttle' or '5xx' fault of service."""
    try:
        protocol = service_model(service).metadata["protocol"]
    except Exception:  # pylint: disable=broad-exception-caught
        protocol = "json"
    if kind == "throttle":
        code, message = THROTTLE_CODES.get(service, "ThrottlingException"), "Rate exceeded (localaws fault injection)"
        status = 429 if protocol == "rest-json" else 400
    else:
        code, message, status = "InternalFailure", "Internal failure (localaws fault injection)", 500
    if protocol in ("query", "rest-xml"):
        body = XML_ERROR.format(kind="Sender" if status < 500 else "Receiver", code=code, message=message)
        return status, [("Content-Type", "text/xml")], body.encode()
    if protocol == "smithy-rpc-v2-cbor":
        return 503, [("smithy-protocol", "rpc-v2-cbor")], b""
    body = {"__type": code, "message": message} if protocol == "json" else {"message": message}
    headers = [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-ErrorType", code)]
    return status, headers, json.dumps(body).encode()
