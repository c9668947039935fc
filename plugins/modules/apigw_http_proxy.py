#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: apigw_http_proxy
short_description: An API Gateway HTTP API that proxies to a URL, with a regional custom domain
version_added: 0.1.0
description:
  - Manages an Amazon API Gateway v2 HTTP API that forwards O(routes) (by default C(POST /)) through one
    C(HTTP_PROXY) integration to O(target_url), typically the region's AWS AppSync GraphQL URL, with a C($default)
    stage that deploys automatically, optional throttling limits and access logging.
  - With O(domain_name), also the REGIONAL custom domain (ACM certificate O(certificate_arn), TLS 1.2) and its API
    mapping O(api_mapping_key). The alias target a Route53 record needs (C(ApiGatewayDomainName) and C(HostedZoneId))
    is read from API Gateway and returned under RV(domain.alias_target).
  - The API is identified by O(name) and the ownership tag C(managed-by=multiregion.appsync), set in the creation
    call. An untagged API of the same name is adopted (and tagged) only with O(adopt_untagged=true); two owned APIs of
    the name make the module fail and name both ids. Everything is updated in place; a new O(target_url) never
    recreates the API, so its id and default endpoint stay.
  - B(API keys.) O(request_headers) become integration request parameters C(overwrite:header.<name>) with a static
    value. With C(x-api-key) set to the region's AppSync API key, each region's proxy inserts its own region's key, so
    clients of the one global hostname need no per-region key. The trade-off is that the global endpoint then needs
    no key at all, so anyone who can reach it can call the API (protect it with throttling, a WAF, or an authorizer).
    The alternative is OIDC or Cognito user pool tokens (AppSync C(OPENID_CONNECT) or C(AMAZON_COGNITO_USER_POOLS)), whose
    C(Authorization) header passes through the proxy unchanged and is valid in every region.
  - B(Subscriptions.) GraphQL subscriptions use WebSockets to AppSync's realtime endpoint, which this HTTP proxy
    does not carry. Clients subscribe at the region's realtime URL directly; pass it as O(realtime_url) to have it
    returned alongside the proxy's URLs.
  - O(state=absent) removes the API mapping, then the custom domain (when no other API is mapped to it), then the
    API, and tolerates any of them being gone already. Without O(domain_name), it removes the API's mappings on every
    custom domain of the region (leaving the domains) before the API.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description:
      - The name of the HTTP API.
    type: str
    required: true
  state:
    description:
      - Whether the proxy should exist.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The API's description. Unset leaves it alone.
    type: str
  target_url:
    description:
      - The URL requests are forwarded to, for example the AppSync GraphQL URL
        V(https://abc.appsync-api.eu-central-1.amazonaws.com/graphql). Required with O(state=present).
    type: str
  routes:
    description:
      - Route keys sent to the integration, V(METHOD /path) or V($default). Routes of the API not listed are removed.
    type: list
    elements: str
    default: ["POST /"]
  request_headers:
    description:
      - Headers the proxy sets (overwrites) on every forwarded request, name to static value; for example
        C(x-api-key) with the region's AppSync key. They become the integration's C(overwrite:header.<name>) request parameters.
        See the description for the trade-off of inserting an API key.
      - Values are not logged. A value starting with C($) is read by API Gateway as a mapping expression.
      - Headers previously set and no longer listed are removed. Unset means none.
    type: dict
  integration_timeout_ms:
    description:
      - The integration timeout in milliseconds (50 to 30000).
    type: int
    default: 30000
  throttling:
    description:
      - Default route throttling of the C($default) stage. Unset leaves the current limits alone.
    type: dict
    suboptions:
      burst_limit:
        description: Burst limit (requests).
        type: int
      rate_limit:
        description: Steady-state rate limit (requests per second).
        type: float
  access_log:
    description:
      - Access logging of the C($default) stage. Unset leaves the current setting alone.
    type: dict
    suboptions:
      destination_arn:
        description: ARN of the CloudWatch Logs log group (or Firehose stream) receiving the logs.
        type: str
        required: true
      format:
        description: Log line format, for example C($context.requestId $context.status).
        type: str
        required: true
  domain_name:
    description:
      - The custom domain, normally the global hostname (for example V(api.example.com)). Unset leaves custom domains
        alone.
      - An existing custom domain that lacks the ownership tag is managed (and removed with O(state=absent)) only with
        O(adopt_untagged=true).
    type: str
  certificate_arn:
    description:
      - ARN of the ACM certificate for O(domain_name), in the connection region. Required with O(domain_name).
    type: str
  api_mapping_key:
    description:
      - The path under O(domain_name) that reaches the API; V("") maps the root.
    type: str
    default: graphql
  realtime_url:
    description:
      - The AppSync realtime (WebSocket) URL of the region, returned as RV(realtime_url) for clients' subscriptions,
        which do not go through this proxy.
    type: str
  wait:
    description:
      - Wait for the custom domain to be C(AVAILABLE).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait, at most.
    type: int
    default: 300
notes:
  - Tags go on the API (and on the custom domain when the module creates it).
  - Subscriptions (WebSockets to AppSync's realtime endpoint) do not go through this proxy.
extends_documentation_fragment:
  - multiregion.appsync.ownership
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Proxy the region's AppSync API behind the global hostname
  multiregion.appsync.apigw_http_proxy:
    region: eu-central-1
    name: orders-eu-central-1
    target_url: "{{ api.api.uris.graphql }}"
    realtime_url: "{{ api.api.uris.realtime }}"
    request_headers:
      x-api-key: "{{ api.api_key.value }}"
    throttling:
      burst_limit: 100
      rate_limit: 50
    domain_name: api.example.com
    certificate_arn: "{{ cert.certificate.arn }}"
    tags:
      app: orders
  register: proxy

- name: Point the region's geolocation record at it
  amazon.aws.route53:
    zone: example.com
    record: api.example.com
    type: A
    identifier: orders-eu-central-1
    geo_location:
      continent_code: EU
    alias: true
    alias_hosted_zone_id: "{{ proxy.domain.alias_target.hosted_zone_id }}"
    value: "{{ proxy.domain.alias_target.dns_name }}"

- name: Remove it (mapping, domain, API)
  multiregion.appsync.apigw_http_proxy:
    region: eu-central-1
    name: orders-eu-central-1
    domain_name: api.example.com
    state: absent
"""

RETURN = r"""
api:
  description: The HTTP API. C(None) after O(state=absent). In check mode before creation, C(api_id) is C(None).
  returned: always
  type: dict
  contains:
    api_id:
      description: The API id.
      type: str
      sample: a1b2c3d4e5
    name:
      description: The API name.
      type: str
    api_endpoint:
      description: The API's default endpoint.
      type: str
      sample: https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com
    tags:
      description: The API's tags.
      type: dict
    routes:
      description: The route keys.
      type: list
      elements: str
      sample: ["POST /"]
    integration:
      description: The HTTP_PROXY integration (integration_id, integration_uri, integration_method,
        payload_format_version, timeout_in_millis, request_headers = the names of the headers set; values never returned).
      type: dict
    stage:
      description: The C($default) stage (stage_name, auto_deploy, default_route_settings, access_log_settings).
      type: dict
domain:
  description: The custom domain; C(None) without O(domain_name) or after O(state=absent).
  returned: always
  type: dict
  contains:
    domain_name:
      description: The custom domain name.
      type: str
    url:
      description: The proxy's URL under the custom domain.
      type: str
      sample: https://api.example.com/graphql
    api_mapping_key:
      description: The API mapping key.
      type: str
    api_mapping_id:
      description: The API mapping id.
      type: str
    alias_target:
      description: What a Route53 alias record points at, read from API Gateway.
      type: dict
      contains:
        dns_name:
          description: C(ApiGatewayDomainName).
          type: str
          sample: d-abcdefghij.execute-api.eu-central-1.amazonaws.com
        hosted_zone_id:
          description: C(HostedZoneId).
          type: str
          sample: Z1U9ULNL0V5AJ3
    status:
      description: C(DomainNameStatus), C(AVAILABLE) once usable.
      type: str
    certificate_arn:
      description: The certificate in use.
      type: str
realtime_url:
  description: O(realtime_url) as given; subscriptions connect there, not through the proxy.
  returned: always
  type: str
actions:
  description: The changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["update integration"]
"""

import re
import time

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.multiregion.appsync.plugins.module_utils import apigatewayv2 as gw
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import OwnershipError
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import desired_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import is_owned
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import owner_tags
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import select_owned

ROUTE_RE = re.compile(r"^(\$default|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /\S*)$")
HEADER_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
MAPPING_KEY_RE = re.compile(r"^([A-Za-z0-9_.$-]+(/[A-Za-z0-9_.$-]+)*)?$")
POLL_SECONDS = 2


def validate_params(params):
    """Return a one-line error for bad input, or None."""
    if params["state"] == "present":
        if not re.match(r"^https?://[^/\s]+", params["target_url"] or ""):
            return "target_url: %r is not an http(s) URL" % params["target_url"]
        for route in params["routes"]:
            if not ROUTE_RE.match(route or ""):
                return "routes: %r is not a route key ('METHOD /path' or '$default')" % route
        if not params["routes"]:
            return "routes: at least one route is needed"
        for name, value in (params["request_headers"] or {}).items():
            if not HEADER_RE.match(name):
                return "request_headers: %r is not a header name" % name
            if value is None or str(value) == "":
                return "request_headers: %s has an empty value" % name
        if not 50 <= params["integration_timeout_ms"] <= 30000:
            return "integration_timeout_ms: must be 50..30000, got %d" % params["integration_timeout_ms"]
        if params["domain_name"] and not params["certificate_arn"]:
            return "certificate_arn: required with domain_name %s" % params["domain_name"]
    if not MAPPING_KEY_RE.match(params["api_mapping_key"] or ""):
        return "api_mapping_key: %r must not start or end with '/' nor hold '//' or spaces" % params["api_mapping_key"]
    if params["wait_timeout"] < 1:
        return "wait_timeout: must be at least 1, got %d" % params["wait_timeout"]
    return None


def find_api(module, client):
    """(api, adopted) for our API named name, or (None, False)."""
    name = module.params["name"]
    candidates = [{"id": a["ApiId"], "tags": a.get("Tags") or {}, "api": a} for a in gw.get_apis(client) if a.get("Name") == name]
    try:
        chosen, adopted = select_owned(candidates, "HTTP API", name, module.params["adopt_untagged"])
    except OwnershipError as error:
        module.fail_json(msg=str(error))
    if chosen is None:
        return None, False
    if chosen["api"].get("ProtocolType") != "HTTP":
        module.fail_json(msg="name: API %s (%s) is a %s API, not HTTP" % (name, chosen["id"], chosen["api"].get("ProtocolType")))
    return chosen["api"], adopted


class Proxy:
    """One run of the module: the plan, the writes (skipped in check mode) and what it saw."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.check = module.check_mode
        self.changed = False
        self.writes = []
        self.seen = {}

    def write(self, description, func, *args, **kwargs):
        """Record a change; call func unless in check mode. Returns func's result or None."""
        self.changed = True
        self.writes.append(description)
        if self.check:
            return None
        return func(*args, **kwargs)

    # ----------------------------------------------------------------- present

    def present(self):
        params = self.params
        api, adopted = find_api(self.module, self.client)
        if api is None:
            created = self.write("create API", gw.create_api, self.client, params["name"], params["description"],
                                 desired_tags(params["tags"] or {}))
            api = created or {"ApiId": None, "Name": params["name"], "ApiEndpoint": None, "Tags": desired_tags(params["tags"] or {})}
        else:
            api = self.ensure_api_settings(api, adopted)
        api_id = api["ApiId"]

        desired_integration = gw.build_integration(params["target_url"], params["request_headers"], params["integration_timeout_ms"])
        integration = self.ensure_integration(api_id, desired_integration)
        routes = self.ensure_routes(api_id, integration.get("IntegrationId"))
        stage = self.ensure_stage(api_id)
        domain, mapping = (None, None)
        if params["domain_name"]:
            domain, mapping = self.ensure_domain(api_id)
        after = summarize(api, integration, routes, stage, domain)
        before = {}
        if self.seen.get("api") is not None:
            before = summarize(self.seen["api"], self.seen.get("integration") or {}, self.seen.get("routes"),
                               self.seen.get("stage"), self.seen.get("domain"))
        return self.result(api, integration, routes, stage, domain, mapping), before, after

    def ensure_api_settings(self, api, adopted):
        params = self.params
        self.seen["api"] = api
        if params["description"] is not None and api.get("Description", "") != params["description"]:
            updated = self.write("update API description", gw.update_api, self.client, api["ApiId"], Description=params["description"])
            api = dict(api, Description=params["description"]) if updated is None else dict(updated, Tags=api.get("Tags") or {})
        current = api.get("Tags") or {}
        wanted = desired_tags(params["tags"])
        if wanted is None:
            wanted = dict(current)
            if adopted:
                wanted.update(owner_tags())
        to_add, to_remove = compare_aws_tags(current, wanted, params["purge_tags"])
        to_remove = [k for k in to_remove if k not in owner_tags()]
        if to_add or to_remove:
            arn = gw.api_arn(self.client, api["ApiId"])
            if to_remove:
                self.write("untag API", gw.untag_resource, self.client, arn, to_remove)
            if to_add:
                self.write("tag API", gw.tag_resource, self.client, arn, to_add)
            tags = {k: v for k, v in current.items() if k not in to_remove}
            tags.update(to_add)
            api = dict(api, Tags=tags)
        return api

    def ensure_integration(self, api_id, desired):
        current = gw.pick_integration(gw.get_integrations(self.client, api_id)) if api_id else None
        self.seen["integration"] = current
        if current is None:
            created = self.write("create integration", gw.create_integration, self.client, api_id, desired)
            return created or dict(desired, IntegrationId=None)
        changes = gw.compare_integration(current, desired)
        if not changes:
            return current
        updated = self.write("update integration", gw.update_integration, self.client, api_id, current["IntegrationId"], changes)
        return updated or dict(current, **desired)

    def ensure_routes(self, api_id, integration_id):
        target = gw.integration_target(integration_id)
        current = gw.get_routes(self.client, api_id) if api_id else []
        self.seen["routes"] = sorted(r["RouteKey"] for r in current)
        to_create, to_update, to_delete = gw.compare_routes(current, self.params["routes"], target)
        for route_id, key in to_delete:
            self.write("delete route %s" % key, gw.delete_route, self.client, api_id, route_id)
        for route_id, key in to_update:
            self.write("point route %s at the integration" % key, gw.update_route, self.client, api_id, route_id, target)
        for key in to_create:
            self.write("create route %s" % key, gw.create_route, self.client, api_id, key, target)
        return sorted(self.params["routes"])

    def ensure_stage(self, api_id):
        params = self.params
        current = gw.get_stage(self.client, api_id) if api_id else None
        self.seen["stage"] = current
        if current is None:
            desired = gw.build_stage(params["throttling"], params["access_log"])
            created = self.write("create $default stage", gw.create_stage, self.client, api_id, desired)
            return created or desired
        changes = gw.compare_stage(current, params["throttling"], params["access_log"])
        if not changes:
            return current
        updated = self.write("update $default stage", gw.update_stage, self.client, api_id, gw.DEFAULT_STAGE, changes)
        return updated or dict(current, **changes)

    def ensure_domain(self, api_id):
        params = self.params
        name, key = params["domain_name"], params["api_mapping_key"]
        configuration = gw.build_domain_configuration(params["certificate_arn"])
        domain = gw.get_domain_name(self.client, name)
        self.seen["domain"] = domain
        if domain is None:
            domain = self.write("create custom domain %s" % name, gw.create_domain_name, self.client, name, configuration,
                                desired_tags(params["tags"] or {}))
            mappings = []
        else:
            if not is_owned(domain.get("Tags")) and not params["adopt_untagged"]:
                self.module.fail_json(msg="domain_name: custom domain %s exists without the ownership tag %s; set adopt_untagged to manage it"
                                      % (name, owner_tags()))
            if not gw.compare_domain(domain, params["certificate_arn"]):
                updated = self.write("update custom domain %s" % name, gw.update_domain_name, self.client, name, configuration)
                domain = updated or domain
            mappings = gw.get_api_mappings(self.client, name)
        create, update, delete = gw.plan_mappings(mappings, api_id, key)
        mapping = next((m for m in mappings if m.get("ApiMappingKey", "") == key), None)
        for mapping_id in delete:
            self.write("delete API mapping %s" % mapping_id, gw.delete_api_mapping, self.client, name, mapping_id)
        if create:
            mapping = self.write("create API mapping %s" % key, gw.create_api_mapping, self.client, name, api_id, key)
        elif update:
            mapping = self.write("update API mapping %s" % key, gw.update_api_mapping, self.client, name, update, api_id, key) or mapping
        if domain is not None and params["wait"] and not self.check:
            domain = self.wait_for_domain(name, domain)
        return domain, mapping

    def wait_for_domain(self, name, domain):
        deadline = time.monotonic() + self.params["wait_timeout"]
        while gw.domain_wait_state(domain) == "wait":
            if time.monotonic() >= deadline:
                self.module.fail_json(msg="timed out after %d s waiting for custom domain %s to be AVAILABLE (status %s: %s)" % (
                    self.params["wait_timeout"], name, gw.domain_configuration(domain).get("DomainNameStatus"),
                    gw.domain_configuration(domain).get("DomainNameStatusMessage", "")))
            time.sleep(POLL_SECONDS)
            domain = gw.get_domain_name(self.client, name) or domain
        if gw.domain_wait_state(domain) == "blocked":
            config = gw.domain_configuration(domain)
            self.module.fail_json(msg="domain_name: custom domain %s is %s and will not become AVAILABLE without your action: %s" % (
                name, config.get("DomainNameStatus"), config.get("DomainNameStatusMessage", "")))
        return domain

    def result(self, api, integration, routes, stage, domain, mapping):
        params = self.params
        domain_result = None
        if params["domain_name"]:
            config = gw.domain_configuration(domain)
            domain_result = {
                "domain_name": params["domain_name"],
                "url": gw.domain_url(params["domain_name"], params["api_mapping_key"]),
                "api_mapping_key": params["api_mapping_key"],
                "api_mapping_id": (mapping or {}).get("ApiMappingId"),
                "alias_target": gw.alias_target(domain),
                "status": config.get("DomainNameStatus"),
                "certificate_arn": config.get("CertificateArn", params["certificate_arn"]),
            }
        return dict(changed=self.changed, api=api_result(api, integration, routes, stage), domain=domain_result,
                    realtime_url=params["realtime_url"], actions=self.writes)

    # ------------------------------------------------------------------ absent

    def absent(self):
        params = self.params
        api, dummy = find_api(self.module, self.client)
        api_id = api["ApiId"] if api else None
        before = summarize(api, None, None, None, None)
        if params["domain_name"]:
            name = params["domain_name"]
            domain = gw.get_domain_name(self.client, name)
            if domain is not None:
                before = dict(before or {}, domain_name=name)
                mappings = gw.get_api_mappings(self.client, name)
                ours = [m for m in mappings if api_id and m.get("ApiId") == api_id]
                for mapping in ours:
                    self.write("delete API mapping %s" % mapping["ApiMappingId"], gw.delete_api_mapping, self.client, name,
                               mapping["ApiMappingId"])
                others = [m for m in mappings if m not in ours]
                if others:
                    self.module.warn("custom domain %s kept: other APIs are mapped to it (%s)"
                                     % (name, ", ".join(sorted(m.get("ApiId", "?") for m in others))))
                elif not is_owned(domain.get("Tags")) and not params["adopt_untagged"]:
                    self.module.warn("custom domain %s kept: it lacks the ownership tag (set adopt_untagged to remove it)" % name)
                else:
                    self.write("delete custom domain %s" % name, gw.delete_domain_name, self.client, name)
        elif api_id:
            # Without domain_name, mappings of the API on any custom domain go first (the domains stay).
            for domain in gw.get_domain_names(self.client):
                for mapping in gw.get_api_mappings(self.client, domain["DomainName"]):
                    if mapping.get("ApiId") == api_id:
                        self.write("delete API mapping %s" % mapping["ApiMappingId"], gw.delete_api_mapping, self.client,
                                   domain["DomainName"], mapping["ApiMappingId"])
        if api_id:
            self.write("delete API %s" % api_id, gw.delete_api, self.client, api_id)
        return dict(changed=self.changed, api=None, domain=None, realtime_url=params["realtime_url"], actions=self.writes), before, {}


def api_result(api, integration, routes, stage):
    integration = integration or {}
    stage = stage or {}
    header_names = sorted(k[len(gw.HEADER_PARAMETER % ""):] for k, v in (integration.get("RequestParameters") or {}).items()
                          if v and k.startswith(gw.HEADER_PARAMETER % ""))
    return {
        "api_id": api.get("ApiId"),
        "name": api.get("Name"),
        "api_endpoint": api.get("ApiEndpoint"),
        "protocol_type": api.get("ProtocolType", "HTTP"),
        "description": api.get("Description"),
        "tags": dict(api.get("Tags") or {}),
        "routes": routes,
        "integration": {
            "integration_id": integration.get("IntegrationId"),
            "integration_type": integration.get("IntegrationType"),
            "integration_uri": integration.get("IntegrationUri"),
            "integration_method": integration.get("IntegrationMethod"),
            "payload_format_version": integration.get("PayloadFormatVersion"),
            "timeout_in_millis": integration.get("TimeoutInMillis"),
            "request_headers": header_names,
        },
        "stage": {
            "stage_name": stage.get("StageName", gw.DEFAULT_STAGE),
            "auto_deploy": stage.get("AutoDeploy"),
            "default_route_settings": {
                "throttling_burst_limit": (stage.get("DefaultRouteSettings") or {}).get("ThrottlingBurstLimit"),
                "throttling_rate_limit": (stage.get("DefaultRouteSettings") or {}).get("ThrottlingRateLimit"),
            },
            "access_log_settings": {
                "destination_arn": (stage.get("AccessLogSettings") or {}).get("DestinationArn"),
                "format": (stage.get("AccessLogSettings") or {}).get("Format"),
            } if stage.get("AccessLogSettings") else None,
        },
    }


def summarize(api, integration, routes, stage, domain):
    """The diff view (no header values)."""
    if api is None:
        return {}
    summary = {"name": api.get("Name"), "tags": dict(api.get("Tags") or {})}
    if integration is not None:
        full = api_result(api, integration, routes, stage)
        summary.update(target_url=integration.get("IntegrationUri"), request_headers=full["integration"]["request_headers"],
                       routes=routes, stage=full["stage"])
    if domain is not None:
        summary["domain_name"] = domain.get("DomainName")
        summary["certificate_arn"] = gw.domain_configuration(domain).get("CertificateArn")
    return summary


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        target_url=dict(type="str"),
        routes=dict(type="list", elements="str", default=["POST /"]),
        request_headers=dict(type="dict", no_log=True),
        integration_timeout_ms=dict(type="int", default=30000),
        throttling=dict(type="dict", options=dict(burst_limit=dict(type="int"), rate_limit=dict(type="float"))),
        access_log=dict(type="dict", options=dict(destination_arn=dict(type="str", required=True),
                                                  format=dict(type="str", required=True))),
        domain_name=dict(type="str"),
        certificate_arn=dict(type="str"),
        api_mapping_key=dict(type="str", default="graphql", no_log=False),
        realtime_url=dict(type="str"),
        adopt_untagged=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[["state", "present", ["target_url"]]],
    )
    error = validate_params(module.params)
    if error:
        module.fail_json(msg=error)
    client = module.client("apigatewayv2", retry_decorator=AWSRetry.jittered_backoff())
    proxy = Proxy(module, client)
    try:
        if module.params["state"] == "present":
            result, before, after = proxy.present()
        else:
            result, before, after = proxy.absent()
    except gw.AnsibleApiGatewayV2Error as e:
        module.fail_json_aws_error(e)
    if module._diff:
        result["diff"] = {"before": before or {}, "after": after or {}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
