"""Fixtures of the reliability suite: one local AWS, its zone, the figures.

scripts/test.sh faults starts the local AWS on $LOCALAWS_PORT and sets
RELIABILITY_FIGURES=docs/reliability.md; run alone, the suite starts (and stops)
its own server on $LOCALAWS_PORT and writes no figures unless that is set.
"""

import os
import subprocess
import urllib.request
import uuid

import pytest

from figures import Figures
from harness import TOP, LocalAws, ensure_zone

OUTCOMES = {}


def _answers(port):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/_localaws/config" % port, timeout=2).close()
        return True
    except OSError:
        return False


def start_server(port, env=None):
    """Start a local AWS on port (scripts/localaws-start); returns a stop() callable."""
    full_env = dict(os.environ, LOCALAWS_PORT=str(port), **(env or {}))
    subprocess.run([os.path.join(TOP, "scripts", "localaws-start")], cwd=TOP, env=full_env, check=True,
                   stdout=subprocess.DEVNULL)

    def stop():
        subprocess.run([os.path.join(TOP, "scripts", "localaws-stop")], cwd=TOP, env=full_env, check=False)

    return stop


@pytest.fixture(scope="session")
def aws():
    port = os.environ.get("LOCALAWS_PORT", "5500")
    stop = None if _answers(port) else start_server(port)
    server = LocalAws(port)
    server.control("config", {"faults": [], "fault_rate": 0.0, "seed": None, "delays": {}})
    ensure_zone(server)
    yield server
    if stop:
        stop()


@pytest.fixture
def calm(aws):
    """No faults before and after the test."""
    aws.set_faults([])
    yield aws
    aws.set_faults([])


@pytest.fixture(scope="session")
def measured():
    """Writes of a full site.yml and teardown.yml with health checks, recorded by the
    first test that makes them (test_01), reused to place the kill points of test_04."""
    return {}


@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("reliability"))


@pytest.fixture(scope="session")
def figures():
    collected = Figures()
    yield collected
    target = os.environ.get("RELIABILITY_FIGURES")
    if target:
        collected.write(os.path.join(TOP, target) if not os.path.isabs(target) else target, OUTCOMES)


def app_name(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:6])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # pylint: disable=unused-argument
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = "xfail (%s)" % report.wasxfail[:200] if hasattr(report, "wasxfail") else report.outcome
        if report.skipped and not hasattr(report, "wasxfail") and isinstance(report.longrepr, tuple):
            outcome = "skipped (%s)" % str(report.longrepr[2])[:200]
        OUTCOMES[item.nodeid.split("::", 1)[-1]] = (item.module.__name__, outcome.replace("|", "/"), report.duration)
