# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Warnings of this collection's modules: warn()."""

from ansible.module_utils.common.warnings import warn as _record_warning


def warn(message):
    """Return a warning with the module's result, shown once and with nothing else.

    Not AnsibleAWSModule.warn: amazon.aws 10 also passes the warnings it saw to
    exit_json, which ansible-core 2.19 reports as deprecated, a DEPRECATION line
    after each warning. AnsibleModule.warn records the warning with this call.
    """
    _record_warning(message)
