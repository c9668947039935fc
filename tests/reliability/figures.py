"""The one writer of docs/reliability.md: what was measured, where and when."""

import datetime
import fcntl
import json
import os
import platform
import subprocess
from importlib import metadata

from harness import TOP

HEADER = """# Reliability figures

Written by `make test-faults` (`scripts/test.sh faults`, the pytest suite in
`tests/reliability/`; `make test` runs it). Every point is asserted by a test,
whose outcome is listed at the end. Deployments are the local inventory's three
regions (us-east-1 main, eu-central-1, ap-southeast-2) on one local AWS. A run of
part of the suite (`scripts/test.sh faults -k ...`) replaces only the sections it
measured; each section says when and at which commit it was measured.
"""
STATE = os.path.join(TOP, ".cache", "reliability-figures.json")


def _machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    versions = {}
    for package in ("ansible-core", "boto3", "botocore", "moto", "pytest"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "?"
    amazon = os.path.join(TOP, ".collections", "ansible_collections", "amazon", "aws", "MANIFEST.json")
    try:
        with open(amazon, encoding="utf-8") as handle:
            versions["amazon.aws"] = json.load(handle)["collection_info"]["version"]
    except (OSError, KeyError, ValueError):
        versions["amazon.aws"] = "?"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=TOP, capture_output=True, text=True, check=False).stdout.strip()
    return [
        ("date (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("commit", commit or "?"),
        ("machine", "%s, %d cores (%s)" % (cpu or platform.machine(), os.cpu_count() or 0, platform.platform())),
        ("python", platform.python_version()),
    ] + sorted(versions.items())


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows])


class Figures:
    """Sections of texts and tables in the order the tests record them."""

    def __init__(self):
        self.sections = {}
        self.rows = {}  # (section, header) -> rows of the one table row() grows

    def add(self, section, text):
        self.sections.setdefault(section, []).append(text.rstrip() + "\n")

    def table(self, section, header, rows, note=""):
        self.add(section, (note.rstrip() + "\n\n" if note else "") + _table(header, rows))

    def row(self, section, header, row):
        """Add a row to the section's table of that header (one table, however many tests add to it)."""
        key = (section, tuple(header))
        if key not in self.rows:
            self.rows[key] = []
            self.sections.setdefault(section, []).append(key)
        self.rows[key].append(row)

    def write(self, path, outcomes):
        """Merge this run's sections and outcomes into the saved ones, then render path."""
        machine = _machine()
        stamp = "measured %s at commit %s" % (machine[0][1], machine[1][1])
        os.makedirs(os.path.dirname(STATE), exist_ok=True)
        with open(STATE + ".lock", "w", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with open(STATE, encoding="utf-8") as handle:
                    state = json.load(handle)
            except (OSError, ValueError):
                state = {"sections": {}, "outcomes": {}}
            for section, texts in self.sections.items():
                rendered = [_table(text[1], self.rows[text]) if isinstance(text, tuple) else text for text in texts]
                state["sections"][section] = {"stamp": stamp, "texts": rendered}
            state["outcomes"].update({name: list(value) for name, value in outcomes.items()})
            state["machine"] = machine
            with open(STATE, "w", encoding="utf-8") as handle:
                json.dump(state, handle)
            self._render(path, state)

    @staticmethod
    def _render(path, state):
        parts = [HEADER, "## Where\n", "\n".join("- %s: %s" % tuple(item) for item in state["machine"]) + "\n"]
        for section, saved in state["sections"].items():
            parts.append("## %s\n" % section)
            parts.append("_%s_\n" % saved["stamp"])
            parts.extend(text + "\n" for text in saved["texts"])
        parts.append("## Test outcomes\n")
        parts.append("| test | module | outcome | seconds |\n|---|---|---|---|")
        parts.extend("| %s | %s | %s | %.1f |" % (name, module, outcome, seconds)
                     for name, (module, outcome, seconds) in sorted(state["outcomes"].items(), key=lambda i: (i[1][0], i[0])))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(parts) + "\n")
