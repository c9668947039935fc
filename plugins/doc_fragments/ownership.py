# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Identity by name + ownership tag, for resources whose names AWS does not keep unique
    # (see plugins/module_utils/ownership.py).
    DOCUMENTATION = r"""
options:
  adopt_untagged:
    description:
      - The module finds its resource by name (a certificate by its domain names) and the ownership tag
        C(managed-by=multiregion.appsync), which it sets in the call that creates the resource.
      - When no resource of that name carries the ownership tag, O(adopt_untagged=true) adopts the one untagged
        resource of that name (the module adds the ownership tag and manages it from then on) instead of creating
        a new one. Several untagged candidates make the module fail and name their ids.
    type: bool
    default: false
notes:
  - The ownership tag C(managed-by=multiregion.appsync) is never removed, whatever O(purge_tags) says.
"""
