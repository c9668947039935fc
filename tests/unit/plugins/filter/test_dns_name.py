# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.filter.dns_name import dns_name


@pytest.mark.parametrize("name, expected", [
    ("API.Example.com.", "api.example.com"),
    ("example.com", "example.com"),
    ("\\052.example.com.", "*.example.com"),
    ("", ""),
    (None, ""),
])
def test_dns_name_is_compared_as_the_modules_compare_it(name, expected):
    assert dns_name(name) == expected


def test_dns_name_refuses_a_non_string():
    with pytest.raises(AnsibleFilterError, match="^dns_name expects a string, got int$"):
        dns_name(3)
