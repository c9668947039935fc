"""IAM enforcement for the REST services, as AWS authorizes them (moto 5.2.5 cannot).

With enforcement on (POST /moto-api/reset-auth 0), moto recomputes each
request's SigV4 signature and evaluates the caller's policies. For AppSync,
API Gateway v2 and Route53 it got both wrong:

- The signature. moto signs its copy of the request over ``body or data``,
  and for a request without a body ``data`` is the parsed query string, or,
  when there is none, the request's headers: every GET and DELETE of a REST
  service was hashed over that dict urlencoded, not over the empty payload
  the client signed, and failed with SignatureDoesNotMatch whatever the
  policy. The signed payload is now the body as sent; only a form-encoded
  body (the query protocol's, which werkzeug parses away) is still rebuilt
  from the form.
- The resource. moto evaluates every statement against "*", so a statement
  scoped to an ARN never matched. AppSync and Route53 requests are now
  evaluated against the ARN of the resource the request path names, as in the
  Service Authorization Reference: ``arn:aws:appsync:<region>:<account>:apis/
  <id>[/datasources/<name> | /functions/<id> | /types/<type>[/resolvers/
  <field>]]`` (a collection or an API's own sub-path, such as apikeys or
  schemacreation, is the enclosing resource's), the ARN in the path for
  TagResource and friends; ``arn:aws:route53:::hostedzone/<id>`` (and
  healthcheck/, change/, delegationset/), each listed resource for
  ListTagsForResources; "*" for the calls that take no resource (CreateGraphqlApi,
  ListHostedZonesByName, ...).
- API Gateway's actions. API Gateway authorizes an HTTP verb on a resource
  path, not an operation name: ``apigateway:<VERB>`` on
  ``arn:aws:apigateway:<region>::<path without /v2>`` (the path as sent, so a
  tag call's resource ARN stays URL-encoded, as the reference writes it).
  moto asked for ``apigateway:<Operation>`` on "*".
- The refusal. moto answered these services' AccessDenied in the query
  protocol's XML, which their clients cannot parse (Route53's read an empty
  code). AppSync and API Gateway now answer 403 AccessDeniedException in JSON,
  Route53 403 AccessDenied in its own XML, the message naming the action and
  the resource as AWS does.
"""

import re
from urllib.parse import unquote

import xmltodict
from moto import settings
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.appsync.responses import AppSyncResponse
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import JsonRESTError
from moto.iam import access_control
from moto.route53.responses import Route53
from werkzeug.exceptions import HTTPException

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
ROUTE53_XMLNS = "https://route53.amazonaws.com/doc/2013-04-01/"
# AppSync resource types (Service Authorization Reference) and the path segments naming them.
APPSYNC_NAMED = {"datasources", "functions", "types", "resolvers"}
APPSYNC_PATH = re.compile(r"^/v1/apis/(?P<api>[^/]+)(?P<rest>(?:/[^/]+)*)$")
APPSYNC_TAGS_PATH = re.compile(r"^/v1/tags/(?P<arn>[^/]+)$")
ROUTE53_TYPED = {"hostedzone", "healthcheck", "change", "delegationset"}
ROUTE53_PATH = re.compile(r"^/[\d-]+/(?:tags/)?(?P<type>[a-z]+)/(?P<id>[^/]+)")
ROUTE53_TAG_LIST_PATH = re.compile(r"^/[\d-]+/tags/(?P<type>[a-z]+)$")
MOTO_CREATE_AWS_REQUEST = access_control.IAMRequestBase._create_aws_request  # pylint: disable=protected-access


def _create_aws_request(self):
    """moto's copy of the request, signed over the body the client sent."""
    request = MOTO_CREATE_AWS_REQUEST(self)
    content_type = self._headers.get("Content-Type", "")  # pylint: disable=protected-access
    if not self._body and not content_type.startswith(FORM_CONTENT_TYPE):  # pylint: disable=protected-access
        request.data = b""
    return request


class VerbIAMRequest(access_control.IAMRequest):
    """API Gateway's authorization: the action is the request's HTTP verb."""

    def __init__(self, *, method, action, **kwargs):  # pylint: disable=unused-argument
        super().__init__(method=method, action=method, **kwargs)


def appsync_resource(response):
    """The ARN of the AppSync resource the request path names ("*" when none)."""
    path = response.raw_path
    tagged = APPSYNC_TAGS_PATH.match(path)
    if tagged:
        return unquote(tagged.group("arn"))
    match = APPSYNC_PATH.match(path)
    if not match:
        return "*"
    arn = "arn:%s:appsync:%s:%s:apis/%s" % (response.partition, response.region, response.current_account,
                                            match.group("api"))
    segments = [unquote(part) for part in match.group("rest").split("/")[1:]]
    for kind, name in zip(segments[::2], segments[1::2]):
        if kind not in APPSYNC_NAMED:
            break
        arn += "/%s/%s" % (kind, name)
    return arn


def route53_resources(response):
    """The ARNs of the Route53 resources the request names (["*"] when none)."""
    path = response.raw_path
    listed = ROUTE53_TAG_LIST_PATH.match(path)
    if listed and listed.group("type") in ROUTE53_TYPED:
        ids = response._get_param("ResourceIds") or []  # pylint: disable=protected-access
        return ["arn:%s:route53:::%s/%s" % (response.partition, listed.group("type"), resource_id)
                for resource_id in ids] or ["*"]
    match = ROUTE53_PATH.match(path)
    if match and match.group("type") in ROUTE53_TYPED:
        return ["arn:%s:route53:::%s/%s" % (response.partition, match.group("type"), unquote(match.group("id")))]
    return ["*"]


def apigateway_resource(response):
    """arn:aws:apigateway:<region>::<path>, the path as sent without the /v2 version prefix."""
    path = response.raw_path
    path = path[len("/v2"):] if path.startswith("/v2/") else path
    return "arn:%s:apigateway:%s::%s" % (response.partition, response.region, path)


def _enforcing():
    return ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT


def _authorize(response, resources, iam_request_cls, refusal):
    """moto's check, once per resource; a refusal in the service's own error shape."""
    for resource in resources if _enforcing() else resources[:1]:
        try:
            response._authenticate_and_authorize_action(iam_request_cls, resource)  # pylint: disable=protected-access
        except HTTPException as error:
            if not hasattr(error, "error_type"):
                raise
            raise refusal(error, resource) from None


def _json_refusal(error, resource):
    code = "AccessDeniedException" if error.error_type == "AccessDenied" else error.error_type
    refusal = JsonRESTError(code, _message(error, resource))
    refusal.code = error.code
    return refusal


def _route53_refusal(error, resource):
    document = {"ErrorResponse": {"@xmlns": ROUTE53_XMLNS, "Error": {
        "Type": "Sender", "Code": error.error_type, "Message": _message(error, resource)}}}
    refusal = HTTPException(description=xmltodict.unparse(document, full_document=True))
    refusal.code = error.code
    return refusal


def _message(error, resource):
    if error.error_type == "AccessDenied" and resource != "*":
        return "%s on resource: %s" % (error.message, resource)
    return error.message


def _appsync_authorize(self, resource="*"):  # pylint: disable=unused-argument
    _authorize(self, [appsync_resource(self)], access_control.IAMRequest, _json_refusal)


def _apigateway_authorize(self, resource="*"):  # pylint: disable=unused-argument
    _authorize(self, [apigateway_resource(self)], VerbIAMRequest, _json_refusal)


def _route53_authorize(self, resource="*"):  # pylint: disable=unused-argument
    _authorize(self, route53_resources(self), access_control.IAMRequest, _route53_refusal)


def install():
    access_control.IAMRequestBase._create_aws_request = _create_aws_request  # pylint: disable=protected-access
    for response_cls, authorize in ((AppSyncResponse, _appsync_authorize),
                                    (ApiGatewayV2Response, _apigateway_authorize),
                                    (Route53, _route53_authorize)):
        response_cls._authenticate_and_authorize_normal_action = authorize  # pylint: disable=protected-access
