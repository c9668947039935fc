# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import re
from pathlib import Path

from ansible.module_utils import _internal
from ansible.module_utils.common import warnings

from ansible_collections.multiregion.appsync.plugins.module_utils import reporting

MODULES = Path(__file__).resolve().parents[4] / "plugins" / "modules"


def test_warn_records_the_warning_with_ansible_core_only(monkeypatch):
    monkeypatch.setattr(_internal, "is_controller", False)
    monkeypatch.setattr(warnings, "_global_warnings", {})
    monkeypatch.setattr(warnings, "_global_deprecations", {})
    reporting.warn("left alone")
    assert warnings.get_warning_messages() == ("left alone",)
    assert warnings.get_deprecations() == []


def test_no_module_warns_through_the_aws_module():
    # AnsibleAWSModule.warn would add a DEPRECATION line to each warning (see reporting.warn)
    callers = [path.name for path in sorted(MODULES.glob("*.py")) if re.search(r"\bmodule\.warn\(", path.read_text())]
    assert sorted(MODULES.glob("*.py")) and callers == []
