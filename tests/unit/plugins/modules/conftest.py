# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module test shares: creation locks (module_utils creation) in the
test's own tmp_path, and no real waits between a lost answer and the look for it."""

import tempfile
import time
from types import SimpleNamespace

import pytest

from ansible_collections.multiregion.appsync.plugins.module_utils import creation


@pytest.fixture(autouse=True)
def creation_locks_in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(creation, "time", SimpleNamespace(monotonic=time.monotonic, sleep=lambda seconds: None))
    monkeypatch.setattr(creation, "SETTLE_SECONDS", 0)
