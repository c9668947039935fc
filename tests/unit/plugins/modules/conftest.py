# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module test shares: creation locks (module_utils creation) in the
test's own tmp_path, no real waits between a lost answer and the look for it, the
warnings the modules give, and a way to run a module's main() against a fake client."""

import json
import tempfile
import time
from types import SimpleNamespace

import pytest
from ansible.module_utils import _internal
from ansible.module_utils import basic
from ansible.module_utils.common import warnings

from ansible_collections.multiregion.appsync.plugins.module_utils import creation
from ansible_collections.multiregion.appsync.plugins.module_utils import reporting


@pytest.fixture(autouse=True)
def creation_locks_in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(creation, "time", SimpleNamespace(monotonic=time.monotonic, sleep=lambda seconds: None))
    monkeypatch.setattr(creation, "SETTLE_SECONDS", 0)


@pytest.fixture
def warnings_seen(monkeypatch):
    """The warnings the module under test gives (module_utils reporting.warn), in order."""
    seen = []
    monkeypatch.setattr(reporting, "_record_warning", seen.append)
    return seen


@pytest.fixture
def run_main(monkeypatch, capsys):
    """run(module, client, **args): the JSON result of module.main() given these
    arguments, with every client it asks for being client."""

    def run(module, client, **args):
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode())
        monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
        # as in the module's own process: not the controller (whose imports other tests made), nothing recorded yet
        monkeypatch.setattr(_internal, "is_controller", False)
        monkeypatch.setattr(warnings, "_global_warnings", {})
        monkeypatch.setattr(warnings, "_global_deprecations", {})
        monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, **kwargs: client)
        with pytest.raises(SystemExit):
            module.main()
        return json.loads(capsys.readouterr().out)

    return run
