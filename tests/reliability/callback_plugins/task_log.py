# Copyright: contributors to multiregion.appsync
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: one JSON line per task result, for the reliability suite.

ansible-core 2.19 ships no json callback; this one runs beside the normal stdout
callback and appends {host, task, action, status, changed, msg} to the file named
by $RELIABILITY_TASK_LOG, so a check run can be compared task by task with the
real run that follows.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_log
type: aggregate
short_description: one JSON line per task result (reliability tests only)
description: Appends every task result to the file named by RELIABILITY_TASK_LOG.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_log"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._task_started = time.monotonic()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_started = time.monotonic()

    def _write(self, result, status):
        path = os.environ.get("RELIABILITY_TASK_LOG")
        if not path:
            return
        outcome = result._result  # pylint: disable=protected-access
        entry = {
            "host": result._host.get_name(),  # pylint: disable=protected-access
            "task": result._task.get_name(),  # pylint: disable=protected-access
            "action": result._task.action,  # pylint: disable=protected-access
            "status": status,
            "changed": bool(outcome.get("changed")),
            "msg": self._message(outcome) if status in ("failed", "ignored") else "",
            "seconds": round(time.monotonic() - self._task_started, 2),
        }
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    @staticmethod
    def _message(outcome):
        """The failure's message; a loop's first failed item's when the loop only says 'One or more items failed'."""
        for item in outcome.get("results") or []:
            if isinstance(item, dict) and item.get("failed"):
                outcome = item
                break
        message = outcome.get("msg") or outcome.get("module_stderr") or ""
        if isinstance(message, list):  # an assert's fail_msg given as a list: one line each
            message = "\n".join(str(line) for line in message)
        return str(message)[:4000]

    def v2_runner_on_ok(self, result):
        self._write(result, "changed" if result._result.get("changed") else "ok")  # pylint: disable=protected-access

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._write(result, "failed")
