# -*- coding: utf-8 -*-
# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Loading the collection's filters imports no AWS SDK and no graphql-core.

ansible-core loads every filter plugin of the collection in each task worker that
uses one of them (one forked worker per task and region); an SDK import there
costs a fifth of a second of CPU per task and region.
"""

import os
import subprocess
import sys

FILTERS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "filter")
HEAVY = ("botocore", "boto3", "graphql")


def test_every_filter_plugin_loads_without_heavy_imports():
    names = sorted(f[:-3] for f in os.listdir(FILTERS) if f.endswith(".py") and not f.startswith("_"))
    assert "geo_location_errors" in names and "graphql_schema_errors" in names
    script = (
        "import importlib, sys\n"
        "for name in %r:\n"
        "    importlib.import_module('ansible_collections.multiregion.appsync.plugins.filter.' + name)\n"
        "print(' '.join(sorted(m for m in %r if m in sys.modules)))\n" % (names, HEAVY))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    loaded = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []
