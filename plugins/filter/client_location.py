# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""client_location: a geo_location as the local AWS's x-localaws-location header value.

Documentation: client_location.yml next to this file. verify_data.yml sends it to
ask the global hostname for the answer a client in that location gets.
"""

from ansible.errors import AnsibleFilterError


def client_location(geo):
    """continent=EU, country=DE or country=US;subdivision=CA; '' for the default ('*') location."""
    if not isinstance(geo, dict):
        raise AnsibleFilterError("client_location expects a geo_location dict, got %s" % type(geo).__name__)
    if geo.get("continent_code"):
        return "continent=%s" % geo["continent_code"]
    country = geo.get("country_code")
    if not country or country == "*":
        return ""
    if geo.get("subdivision_code"):
        return "country=%s;subdivision=%s" % (country, geo["subdivision_code"])
    return "country=%s" % country


class FilterModule:
    def filters(self):
        return {"client_location": client_location}
