# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not shipped): count task results per action, written as JSON at the end.

Enabled by scripts/bench.py with ANSIBLE_CALLBACKS_ENABLED=module_counts and
MODULE_COUNTS_FILE=<path>; skipped results are not counted.
"""

import collections
import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: module_counts
type: aggregate
short_description: count task results per action (benchmark helper)
description: Writes a JSON object of result counts per action to the file named by MODULE_COUNTS_FILE.
"""

# Actions that run on the controller only: not module invocations.
CONTROLLER_ACTIONS = {"ansible.builtin.set_fact", "ansible.builtin.assert", "ansible.builtin.debug",
                      "ansible.builtin.include_tasks", "ansible.builtin.import_tasks", "set_fact", "assert",
                      "debug", "ansible.builtin.include_role", "ansible.builtin.meta", "meta",
                      "ansible.builtin.validate_argument_spec", "validate_argument_spec", "ansible.builtin.fail", "fail"}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "module_counts"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.counts = collections.Counter()

    def _count(self, result):
        self.counts[result._task.action] += 1  # pylint: disable=protected-access

    def v2_runner_on_ok(self, result):
        self._count(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count(result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("MODULE_COUNTS_FILE")
        if not path:
            return
        modules = {action: n for action, n in self.counts.items() if action not in CONTROLLER_ACTIONS}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"modules": sum(modules.values()), "by_action": dict(self.counts)}, handle, indent=1)
