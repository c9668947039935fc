"""API Gateway v2 custom domain names as AWS serves them (moto 5.2.5 lacks parts).

- Every DomainNameConfiguration carries ``ApiGatewayDomainName``
  (``d-<10 chars>.execute-api.<region>.amazonaws.com``, fixed for the life of
  the domain), ``HostedZoneId`` (API Gateway's regional hosted zone in that
  region, the alias target zone a Route53 record points at),
  ``DomainNameStatus`` AVAILABLE (or env ``LOCALAWS_APIGATEWAYV2_DOMAIN_STATUS``,
  e.g. UPDATING for a domain that never settles), and ``EndpointType`` REGIONAL /
  ``SecurityPolicy`` TLS_1_2 when the caller left them out.
- DeleteDomainName removes the domain's API mappings, as AWS does (moto
  crashed mutating the dict it iterates).
- UpdateApiMapping, UpdateDomainName and UpdateStage work (moto answered 500).
- TagResource / UntagResource / GetTags on a custom domain's ARN act on the
  domain's tags, as GetDomainName reports them (moto kept them apart).
- The HTTP API data plane (localaws.dataplane.http_api) answers requests to
  the APIs' execute-api hosts and custom domains. CorsConfiguration is stored
  by moto itself on CreateApi/UpdateApi (DeleteCorsConfiguration clears it).

The zone id table models AWS (published in the API Gateway endpoints page of
the AWS General Reference). A region missing from it gets a BadRequest naming
this layer, never a made-up id. Clients (the collection's modules) read these
fields from the API and never carry such a table themselves.
"""

import datetime
import json
import os
import random
import string
from urllib.parse import unquote

from localaws import dataplane
from localaws.dataplane import http_api

# API Gateway regional endpoint hosted zone ids ("Amazon API Gateway endpoints
# and quotas", AWS General Reference).
REGIONAL_HOSTED_ZONE_IDS = {
    "us-east-1": "Z1UJRXOUMOOFQ8",
    "us-east-2": "ZOJJZC49E0EPZ",
    "us-west-1": "Z2MUQ32089INYE",
    "us-west-2": "Z2OJLYMUO9EFXC",
    "af-south-1": "Z2DHW2332DAMTN",
    "ap-east-1": "Z3FD1VL90ND7K5",
    "ap-south-1": "Z3VO1THU9YC4UR",
    "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-northeast-2": "Z20JF4UZKIW1U8",
    "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
    "ca-central-1": "Z19DQILCV0OWEC",
    "eu-central-1": "Z1U9ULNL0V5AJ3",
    "eu-west-1": "ZLY8HYME6SFDD",
    "eu-west-2": "ZJ5UAJN8Y3Z2Q",
    "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-north-1": "Z3UWIKFBOOGXPP",
    "eu-south-1": "Z3BT4WSQ9TDYZV",
    "me-south-1": "Z20ZBPC0SS8806",
    "sa-east-1": "ZCMLWB8V5SYIT",
    "us-gov-east-1": "Z3SE9ATJYCRCZJ",
    "us-gov-west-1": "Z1K6XKP9SAGWDV",
}
DOMAIN_STATUS_ENV = "LOCALAWS_APIGATEWAYV2_DOMAIN_STATUS"
_ID_CHARS = string.ascii_lowercase + string.digits
_random = random.SystemRandom()
# UpdateStage fields set as given: request key -> moto Stage attribute.
STAGE_FIELDS = (("accessLogSettings", "access_log_settings"), ("autoDeploy", "auto_deploy"),
                ("description", "description"), ("routeSettings", "route_settings"),
                ("stageVariables", "stage_variables"), ("clientCertificateId", "client_certificate_id"))
HTTP_API_PRIORITY = 40
_INSTALLED = []


def regional_hosted_zone_id(region):
    """API Gateway's regional hosted zone id for region, or None if not modelled."""
    return REGIONAL_HOSTED_ZONE_IDS.get(region)


def new_gateway_domain_name(region):
    return "d-%s.execute-api.%s.amazonaws.com" % ("".join(_random.choice(_ID_CHARS) for dummy in range(10)), region)


def complete_configurations(configurations, region, previous=None):
    """Return configurations with the fields AWS fills in.

    previous: the configurations before an update; their ApiGatewayDomainName
    is kept for an unchanged endpoint type, as AWS does.
    """
    from moto.apigatewayv2.exceptions import BadRequestException  # pylint: disable=import-outside-toplevel

    zone_id = regional_hosted_zone_id(region)
    if zone_id is None:
        raise BadRequestException("localaws: no API Gateway regional hosted zone id modelled for region %s" % region)
    kept = {c.get("endpointType", "REGIONAL"): c.get("apiGatewayDomainName") for c in (previous or [])}
    completed = []
    for config in configurations or [{}]:
        config = dict(config)
        config.setdefault("endpointType", "REGIONAL")
        config.setdefault("securityPolicy", "TLS_1_2")
        config["apiGatewayDomainName"] = kept.get(config["endpointType"]) or new_gateway_domain_name(region)
        config["hostedZoneId"] = zone_id
        config["domainNameStatus"] = os.environ.get(DOMAIN_STATUS_ENV) or "AVAILABLE"
        config.setdefault("domainNameStatusMessage", "")
        completed.append(config)
    return completed


def install():
    """Patch moto's API Gateway v2 backend and response handler in-process; serve the HTTP API data plane."""
    from moto.apigatewayv2 import models, responses, urls  # pylint: disable=import-outside-toplevel

    _install_domain_tags(models.ApiGatewayV2Backend, responses.ApiGatewayV2Response, urls)
    _install_domain_names(models.ApiGatewayV2Backend, responses.ApiGatewayV2Response)
    _install_api_mappings(models.ApiGatewayV2Backend, responses.ApiGatewayV2Response)
    _install_stages(models.ApiGatewayV2Backend, responses.ApiGatewayV2Response)
    if not _INSTALLED:
        _INSTALLED.append(True)
        dataplane.register(http_api.handle, HTTP_API_PRIORITY)


def _install_domain_names(backend_cls, response_cls):
    """AWS's target fields on every configuration; Update works; Delete drops the domain's mappings."""
    from moto.apigatewayv2.exceptions import DomainNameNotFound  # pylint: disable=import-outside-toplevel

    original_create_domain_name = backend_cls.create_domain_name

    def create_domain_name(self, domain_name, domain_name_configurations, mutual_tls_authentication, tags):
        configurations = complete_configurations(domain_name_configurations, self.region_name)
        return original_create_domain_name(self, domain_name, configurations, mutual_tls_authentication, tags)

    def delete_domain_name(self, domain_name):
        if domain_name not in self.domain_names:
            raise DomainNameNotFound
        for mapping_id in [i for i, m in self.api_mappings.items() if m.domain_name == domain_name]:
            del self.api_mappings[mapping_id]
        del self.domain_names[domain_name]

    def update_domain_name(self, domain_name, domain_name_configurations, mutual_tls_authentication):
        domain = self.get_domain_name(domain_name)
        if domain_name_configurations is not None:
            domain.domain_name_configurations = complete_configurations(
                domain_name_configurations, self.region_name, previous=domain.domain_name_configurations)
        if mutual_tls_authentication is not None:
            domain.mutual_tls_authentication = mutual_tls_authentication
        return domain

    def response_update_domain_name(self):
        params = json.loads(self.body or "{}")
        domain = self.apigatewayv2_backend.update_domain_name(
            domain_name=self.path.split("/")[-1],
            domain_name_configurations=params.get("domainNameConfigurations"),
            mutual_tls_authentication=params.get("mutualTlsAuthentication"),
        )
        return 200, {}, json.dumps(domain.to_json())

    backend_cls.create_domain_name = create_domain_name
    backend_cls.delete_domain_name = delete_domain_name
    backend_cls.update_domain_name = update_domain_name
    response_cls.update_domain_name = response_update_domain_name


def _install_api_mappings(backend_cls, response_cls):
    """UpdateApiMapping, validated as AWS validates it (moto answered 500)."""
    # pylint: disable=import-outside-toplevel
    from moto.apigatewayv2.exceptions import ApiMappingNotFound, BadRequestException, DomainNameNotFound

    def update_api_mapping(self, domain_name, api_mapping_id, api_id, api_mapping_key, stage):
        if domain_name not in self.domain_names:
            raise DomainNameNotFound
        mapping = self.api_mappings.get(api_mapping_id)
        if mapping is None or mapping.domain_name != domain_name:
            raise ApiMappingNotFound
        if api_id is not None:
            if api_id not in self.apis:
                raise BadRequestException("Invalid API identifier specified %s" % api_id)
            mapping.api_id = api_id
        if api_mapping_key is not None:
            if api_mapping_key.startswith("/") or "//" in api_mapping_key or api_mapping_key.endswith("/"):
                raise BadRequestException("API mapping key should not start or end with a '/' or have consecutive '/'s.")
            mapping.api_mapping_key = api_mapping_key
        if stage is not None:
            mapping.stage = stage
        return mapping

    def response_update_api_mapping(self):
        params = json.loads(self.body or "{}")
        parts = self.path.split("/")
        mapping = self.apigatewayv2_backend.update_api_mapping(
            domain_name=parts[-3],
            api_mapping_id=parts[-1],
            api_id=params.get("apiId"),
            api_mapping_key=params.get("apiMappingKey"),
            stage=params.get("stage"),
        )
        return 200, {}, json.dumps(mapping.to_json())

    backend_cls.update_api_mapping = update_api_mapping
    response_cls.update_api_mapping = response_update_api_mapping


def _install_stages(backend_cls, response_cls):
    """UpdateStage merges DefaultRouteSettings and sets the other fields (moto answered 500)."""

    def update_stage(self, api_id, stage_name, changes):
        stage = self.get_stage(api_id, stage_name)
        if "defaultRouteSettings" in changes:
            merged = dict(stage.default_route_settings or {})
            merged.update(changes["defaultRouteSettings"] or {})
            stage.default_route_settings = merged
        for key, attribute in STAGE_FIELDS:
            if key in changes:
                setattr(stage, attribute, changes[key])
        stage.updated = datetime.datetime.now()
        return stage

    def response_update_stage(self):
        parts = self.path.split("/")
        stage = self.apigatewayv2_backend.update_stage(parts[-3], unquote(parts[-1]), json.loads(self.body or "{}"))
        return 200, {}, json.dumps(stage.to_json())

    backend_cls.update_stage = update_stage
    response_cls.update_stage = response_update_stage


def _install_domain_tags(backend_cls, response_cls, urls):
    """TagResource / UntagResource / GetTags on a custom domain's ARN act on the tags GetDomainName reports."""
    original_tag_resource = backend_cls.tag_resource
    original_untag_resource = backend_cls.untag_resource
    original_get_tags = backend_cls.get_tags

    def domain_of(self, arn):
        return next((d for d in self.domain_names.values() if d.domain_name_arn == arn), None)

    def tag_resource(self, resource_arn, tags):
        domain = domain_of(self, resource_arn)
        if domain is None:
            return original_tag_resource(self, resource_arn, tags)
        domain.tags = dict(domain.tags or {}, **(tags or {}))
        return None

    def untag_resource(self, resource_arn, tag_keys):
        domain = domain_of(self, resource_arn)
        if domain is None:
            return original_untag_resource(self, resource_arn, tag_keys)
        domain.tags = {k: v for k, v in (domain.tags or {}).items() if k not in tag_keys}
        return None

    def get_tags(self, resource_id):
        domain = domain_of(self, resource_id)
        return original_get_tags(self, resource_id) if domain is None else dict(domain.tags or {})

    urls.url_paths.setdefault("{0}/v2/tags/(?P<resource_arn_pt1>[^/]+)/domainnames/(?P<resource_arn_pt2>[^/]+)$",
                              response_cls.dispatch)
    backend_cls.tag_resource = tag_resource
    backend_cls.untag_resource = untag_resource
    backend_cls.get_tags = get_tags
