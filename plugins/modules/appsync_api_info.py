#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: appsync_api_info
short_description: List AWS AppSync GraphQL APIs with their API keys, data sources and resolvers
version_added: 0.1.0
description:
  - Lists the AppSync GraphQL APIs of the region, or those of one name, or one API by id, changing nothing.
  - For each API it can add the expiry of its API keys (never the keys themselves), its data sources
    and its resolvers.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  name:
    description:
      - Only the APIs with this name (AppSync does not keep names unique; see RV(apis[].owned)).
    type: str
  api_id:
    description:
      - Only the API with this id.
    type: str
  include:
    description:
      - What to read besides the APIs themselves.
    type: list
    elements: str
    choices: [api_keys, data_sources, resolvers]
    default: [api_keys, data_sources, resolvers]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Every API of the region, without details
  multiregion.appsync.appsync_api_info:
    region: eu-west-1
    include: []
  register: all_apis

- name: The API named items-api with its keys' expiry, data sources and resolvers
  multiregion.appsync.appsync_api_info:
    region: eu-west-1
    name: items-api
  register: items

- name: Warn when a key expires within 30 days
  ansible.builtin.debug:
    msg: "key {{ item.id_hint }} expires {{ item.expires_at }}"
  loop: "{{ items.apis | map(attribute='api_keys') | flatten }}"
  when: item.expires < (now(utc=true).timestamp() + 30 * 86400)
"""

RETURN = r"""
apis:
  description: The APIs found (empty when none matches).
  returned: always
  type: list
  elements: dict
  contains:
    api_id:
      description: The API id.
      type: str
    arn:
      description: The API ARN.
      type: str
    name:
      description: The API name.
      type: str
    authentication_type:
      description: The primary authentication type.
      type: str
    uris:
      description: The endpoints (C(graphql), C(realtime)).
      type: dict
    xray_enabled:
      description: Whether X-Ray tracing is on.
      type: bool
    tags:
      description: The API's tags, without the schema digest tag C(multiregion.appsync:schema-sha256).
      type: dict
    schema_digest:
      description: The sha256 of the normalised schema appsync_api last uploaded, when recorded.
      type: str
    owned:
      description: Whether the API carries this collection's ownership tag.
      type: bool
    api_keys:
      description:
        - The API keys, when V(api_keys) is included. AppSync's key id is the key itself, so only its
          last 4 characters are returned, as C(id_hint).
      type: list
      elements: dict
      contains:
        id_hint:
          description: The last 4 characters of the key, prefixed with C(...).
          type: str
        expires:
          description: Expiry, seconds since the epoch.
          type: int
        expires_at:
          description: Expiry, ISO 8601 UTC.
          type: str
        description:
          description: The key description (C(managed by multiregion.appsync) for the key appsync_api manages).
          type: str
        managed:
          description: Whether this is the key appsync_api manages.
          type: bool
    data_sources:
      description: The data sources (snake_case), when V(data_sources) is included.
      type: list
      elements: dict
    resolvers:
      description: The resolvers of every object type (snake_case), when V(resolvers) is included.
      type: list
      elements: dict
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import api as api_utils
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import calls
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync import keys as key_utils
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import AnsibleAppSyncError
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_api
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_data_source
from ansible_collections.multiregion.appsync.plugins.module_utils._appsync.common import normalize_resolver
from ansible_collections.multiregion.appsync.plugins.module_utils.ownership import is_owned

INCLUDE = ["api_keys", "data_sources", "resolvers"]


def is_object_type(type_info):
    """True for a ListTypes entry (SDL format) that defines or extends an object type."""
    pattern = r"^\s*(extend\s+)?type\s+%s\b" % re.escape(type_info.get("name", ""))
    return bool(re.search(pattern, type_info.get("definition") or "", re.MULTILINE))


def select_apis(apis, name=None, api_id=None):
    return [a for a in apis if (name is None or a.get("name") == name) and (api_id is None or a.get("apiId") == api_id)]


def describe_api(client, api, include):
    result = normalize_api(api)
    result["owned"] = is_owned(api.get("tags"))
    api_id = api["apiId"]
    if "api_keys" in include:
        keys = key_utils.list_api_keys(client, api_id)
        result["api_keys"] = [
            dict(key_utils.masked_key(k), managed=k.get("description") == key_utils.MANAGED_KEY_DESCRIPTION) for k in keys
        ]
    if "data_sources" in include:
        result["data_sources"] = [normalize_data_source(d) for d in calls.list_data_sources(client, api_id)]
    if "resolvers" in include:
        resolvers = []
        for type_info in calls.list_types(client, api_id):
            if is_object_type(type_info):
                resolvers.extend(normalize_resolver(r) for r in calls.list_resolvers(client, api_id, type_info["name"]))
        result["resolvers"] = resolvers
    return result


def main():
    argument_spec = dict(
        name=dict(type="str"),
        api_id=dict(type="str"),
        include=dict(type="list", elements="str", choices=INCLUDE, default=INCLUDE),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("appsync")
    params = module.params
    try:
        if params["api_id"] is not None:
            api = api_utils.get_graphql_api(client, params["api_id"])
            apis = select_apis([api] if api else [], name=params["name"])
        else:
            apis = select_apis(api_utils.list_graphql_apis(client), name=params["name"])
        result = [describe_api(client, api, params["include"]) for api in api_utils.with_tags(client, apis)]
    except AnsibleAppSyncError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, apis=result)


if __name__ == "__main__":
    main()
