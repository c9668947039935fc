# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.geo_location_errors import FilterModule


def geo_filter():
    return FilterModule().filters()["geo_location_errors"]


@pytest.mark.parametrize("geo", [{"continent_code": "EU"}, {"country_code": "AU"}, {"country_code": "US", "subdivision_code": "TX"}])
def test_locations_route53_accepts(geo):
    assert geo_filter()(geo) == []


@pytest.mark.parametrize(
    "geo,fragment",
    [
        ({"continent_code": "XX"}, "continent_code 'XX'"),
        ({"country_code": "ZZ"}, "country_code 'ZZ' is not an ISO 3166-1"),
        ({"country_code": "DE", "subdivision_code": "BY"}, "subdivision_code 'BY'"),
        ({}, "needs continent_code"),
    ],
)
def test_locations_route53_refuses_name_the_option_and_value(geo, fragment):
    errors = geo_filter()(geo, "eu-central-1 geo_location")
    assert len(errors) == 1
    assert errors[0].startswith("eu-central-1 geo_location")
    assert fragment in errors[0]


def test_non_dict_is_refused():
    with pytest.raises(AnsibleFilterError, match="expects a dict"):
        geo_filter()("EU")
