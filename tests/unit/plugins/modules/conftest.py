# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module test shares: creation locks (module_utils creation) in the
test's own tmp_path, no real waits between a lost answer and the look for it, and
a way to run a module's main() against a fake client."""

import json
import tempfile
import time
from types import SimpleNamespace

import pytest
from ansible.module_utils import basic

from ansible_collections.multiregion.appsync.plugins.module_utils import creation


@pytest.fixture(autouse=True)
def creation_locks_in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(creation, "time", SimpleNamespace(monotonic=time.monotonic, sleep=lambda seconds: None))
    monkeypatch.setattr(creation, "SETTLE_SECONDS", 0)


@pytest.fixture
def run_main(monkeypatch, capsys):
    """run(module, client, **args): the JSON result of module.main() given these
    arguments, with every client it asks for being client."""

    def run(module, client, **args):
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode())
        monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
        monkeypatch.setattr(module.AnsibleAWSModule, "client", lambda self, service, **kwargs: client)
        with pytest.raises(SystemExit):
            module.main()
        return json.loads(capsys.readouterr().out)

    return run
