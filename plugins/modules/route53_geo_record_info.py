#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_geo_record_info
version_added: 0.1.0
short_description: Geolocation records of a hostname and the coverage they give
description:
  - Reads every geolocation record of O(record_name) (all types and set identifiers) and reports which set identifier
    answers each continent, country and subdivision, whether a default (C(*)) record exists, locations claimed by more
    than one set identifier, and expected set identifiers that have no record.
  - Read only; supports check mode.
author:
  - multiregion.appsync contributors (@multiregion)
options:
  hosted_zone_name:
    description:
      - Name of the public hosted zone holding O(record_name). At least one of O(hosted_zone_name) and O(hosted_zone_id) is
        required.
      - When a public and a private zone carry this name (split-horizon DNS), the public one is read; a name that only
        private zones carry is refused, naming them. When several public zones carry it, give O(hosted_zone_id).
    type: str
  hosted_zone_id:
    description:
      - Id of the public hosted zone (with or without the C(/hostedzone/) prefix). A private zone is refused.
      - Given together with O(hosted_zone_name), the two are taken as they are and no hosted zone is read (one call
        less per run); the caller vouches that the id is the public zone of that name, as the preflight role reads it
        once per run. Neither a private zone nor the id of another zone is then refused here.
    type: str
  record_name:
    description: The global hostname.
    type: str
    required: true
  expected_set_identifiers:
    description: Set identifiers that should have a record (for example one per region plus the default); those without appear in RV(coverage.missing).
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Which region answers which location
  multiregion.appsync.route53_geo_record_info:
    region: us-east-1
    hosted_zone_name: example.com
    record_name: api.example.com
    expected_set_identifiers: [myapp-us-east-1, myapp-eu-central-1, myapp-default]
  register: geo

- name: Every region has a record and there is a default
  ansible.builtin.assert:
    that:
      - geo.coverage.missing == []
      - geo.coverage.default is not none
      - geo.coverage.overlaps == []
"""

RETURN = r"""
records:
  description: The geolocation A and AAAA records of the hostname (those clients are answered with), in listing order.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Record name without trailing dot.
      type: str
    type:
      description: Record type.
      type: str
      sample: A
    set_identifier:
      description: Set identifier.
      type: str
    geo_location:
      description: continent_code, or country_code (and subdivision_code).
      type: dict
    alias_target:
      description: dns_name, hosted_zone_id, evaluate_target_health; None for a non-alias record.
      type: dict
    health_check_id:
      description: Attached health check id or None.
      type: str
coverage:
  description: Who answers what.
  returned: always
  type: dict
  contains:
    continents:
      description: Continent code -> set identifier.
      type: dict
      sample: {EU: myapp-eu-central-1}
    countries:
      description: Country code -> set identifier.
      type: dict
      sample: {AU: myapp-ap-southeast-2}
    subdivisions:
      description: C(<country>-<subdivision>) -> set identifier.
      type: dict
      sample: {US-TX: myapp-us-east-2}
    default:
      description: Set identifier of the C(*) default record, or None.
      type: str
    has_default:
      description: Whether a C(*) default record exists.
      type: bool
    overlaps:
      description:
        - Locations claimed by more than one set identifier, over the V(A) and V(AAAA) records (C(location) as C(continent:EU),
          C(country:DE), C(subdivision:US-TX) or C(default); C(set_identifiers) sorted).
        - Route53 refuses two records of the same type for one location, so on AWS an entry means the location's
          V(A) and V(AAAA) records belong to different set identifiers, and IPv4 and IPv6 clients there reach different
          regions. The same type twice is reported as well, as a safeguard.
        - For an overlapping location, RV(coverage.continents), RV(coverage.countries), RV(coverage.subdivisions) and
          RV(coverage.default) name the first set identifier in sort order.
      type: list
      elements: dict
      sample: [{location: "continent:EU", set_identifiers: [a, b]}]
    missing:
      description: Expected set identifiers with no record.
      type: list
      elements: str
hosted_zone_id:
  description: Id of the hosted zone, without prefix.
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.multiregion.appsync.plugins.module_utils import route53 as r53


def resolve_zone_id(module, client):
    """The id of the public hosted zone of hosted_zone_id / hosted_zone_name (route53.resolve_hosted_zone)."""
    try:
        return r53.resolve_hosted_zone(client, module.params["hosted_zone_id"], module.params["hosted_zone_name"])["Id"]
    except r53.HostedZoneError as e:
        module.fail_json(msg=str(e))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            hosted_zone_name=dict(type="str"),
            hosted_zone_id=dict(type="str"),
            record_name=dict(type="str", required=True),
            expected_set_identifiers=dict(type="list", elements="str"),
        ),
        supports_check_mode=True,
        required_one_of=[["hosted_zone_name", "hosted_zone_id"]],
    )
    client = module.client("route53")
    try:
        zone_id = resolve_zone_id(module, client)
        record_sets = r53.list_record_sets_for_name(client, zone_id, module.params["record_name"])
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    geo_records = r53.geolocation_records(record_sets, module.params["record_name"])
    module.exit_json(
        changed=False,
        hosted_zone_id=zone_id,
        records=[r53.record_to_ansible(r) for r in geo_records],
        coverage=r53.compute_coverage(geo_records, module.params["expected_set_identifiers"]),
    )


if __name__ == "__main__":
    main()
