# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""geo_location_errors: what Route53 would refuse in a geo_location, before any write.

Documentation: geo_location_errors.yml next to this file. Uses the same checks
as the route53_geo_record module, so the preflight and the module agree.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import GeoLocationError
from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import validate_geo_location


def geo_location_errors(geo, option="geo_location"):
    """[] when Route53 accepts the location, else one one-line message naming option and value."""
    if not isinstance(geo, dict):
        raise AnsibleFilterError("geo_location_errors expects a dict, got %s" % type(geo).__name__)
    try:
        validate_geo_location(geo, option)
    except GeoLocationError as error:
        return [str(error)]
    return []


class FilterModule:
    def filters(self):
        return {"geo_location_errors": geo_location_errors}
