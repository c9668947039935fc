# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dns_name: a DNS name as the collection's modules compare it (lower case, no final dot).

Documentation: dns_name.yml next to this file. The roles use it to tell whether a
zone or domain name is the one the preflight (or another role) read.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.multiregion.appsync.plugins.module_utils.route53_geo import normalize_name


def dns_name(name):
    """The name in lower case without its final dot; '' for none or ''."""
    if name is None:
        return ""
    if not isinstance(name, str):
        raise AnsibleFilterError("dns_name expects a string, got %s" % type(name).__name__)
    return normalize_name(name)


class FilterModule:
    def filters(self):
        return {"dns_name": dns_name}
