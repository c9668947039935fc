# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.client_location import client_location


@pytest.mark.parametrize("geo,expected", [
    ({"continent_code": "EU"}, "continent=EU"),
    ({"country_code": "AU"}, "country=AU"),
    ({"country_code": "US", "subdivision_code": "CA"}, "country=US;subdivision=CA"),
    ({"country_code": "*"}, ""),
])
def test_client_location(geo, expected):
    assert client_location(geo) == expected


def test_client_location_wants_a_dict():
    with pytest.raises(AnsibleFilterError, match="geo_location dict"):
        client_location("EU")
