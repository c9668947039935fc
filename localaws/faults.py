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
# Kinds that refuse a call before moto sees it, and kinds that lose the answer of
# a write moto has applied (see localaws.server).
REFUSING_KINDS = ("throttle", "5xx")
LOST_KINDS = ("lost-5xx", "lost-drop")
RULE_KEYS = {"kind", "rate", "services", "operations", "limit"}
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


def lost_answer_response(service):
    """The 5xx that replaces the answer of a write moto has applied."""
    return fault_response(service, "5xx")


def validate_rules(rules):
    """Raise ValueError unless rules is a list of well-formed fault rules."""
    if not isinstance(rules, list):
        raise ValueError("faults: a list of rules, got %r" % (rules,))
    for rule in rules:
        if not isinstance(rule, dict) or set(rule) - RULE_KEYS or "kind" not in rule:
            raise ValueError("faults: each rule is {kind, rate, services, operations, limit}, got %r" % (rule,))
        if rule["kind"] not in REFUSING_KINDS + LOST_KINDS:
            raise ValueError("faults: unknown kind %r (one of %s)" % (rule["kind"], ", ".join(REFUSING_KINDS + LOST_KINDS)))
        rate = rule.get("rate", 0)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError("faults: rate must be a number from 0 to 1, got %r" % (rate,))
        limit = rule.get("limit")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
            raise ValueError("faults: limit must be a whole number of faults, got %r" % (limit,))
        for key in ("services", "operations"):
            if not isinstance(rule.get(key, []), list):
                raise ValueError("faults: %s must be a list, got %r" % (key, rule[key]))
