"""A certificate that never validates, a replica that stays CREATING and a domain
stuck UPDATING: each wait ends within its wait_timeout, with a message that names
the resource and says what to do.

They run against a second local AWS (port LOCALAWS_PORT+1) started with
MOTO_ACM_VALIDATION_WAIT, LOCALAWS_DYNAMODB_REPLICA_DELAY and
LOCALAWS_APIGATEWAYV2_DOMAIN_STATUS set so that nothing ever settles.
"""

import pytest
from conftest import start_server
from harness import Deployment, LocalAws

WAIT_TIMEOUT = 6
SLACK = 20  # module start-up and the last poll, on a loaded 2-core machine
STUCK = {"MOTO_ACM_VALIDATION_WAIT": "1000000", "LOCALAWS_DYNAMODB_REPLICA_DELAY": "1000000",
         "LOCALAWS_APIGATEWAYV2_DOMAIN_STATUS": "UPDATING"}
CASES = [
    ("A certificate that never validates", "never.example.com"),
    ("A replica that stays CREATING", "stuck-items"),
    ("A custom domain that stays UPDATING", "stuck.example.com"),
]
# Words of an instruction: the message tells the user what to do next.
ADVICE = ("wait_timeout", "raise", "retry", "rerun", "check ", "create ", "delete ", "contact")
# Messages that today name the resource but give no advice (module fixes belong to
# their owners; see docs/reliability.md): recorded as xfail with the reason until
# the message says what to do.
KNOWN_ADVICE_GAPS = {}


@pytest.fixture(scope="module")
def stuck_run(aws, workdir):
    port = aws.port + 1
    stop = start_server(port, STUCK)
    try:
        deployment = Deployment(LocalAws(port), "timeouts", workdir)
        run = deployment.run("../tests/reliability/playbooks/timeouts.yml",
                             extra_vars={"timeouts_wait_timeout": WAIT_TIMEOUT})
    finally:
        stop()
    return run


def _task(run, name):
    found = [t for t in run.tasks if t["task"].endswith(name)]
    assert found, "task %r did not run:\n%s" % (name, run.output[-3000:])
    return found[0]


@pytest.mark.parametrize("name,resource", CASES, ids=[c[0] for c in CASES])
def test_wait_ends_within_its_timeout_naming_the_resource(stuck_run, figures, name, resource):
    task = _task(stuck_run, name)
    advised = any(word in task["msg"].lower() for word in ADVICE)
    figures.row("Timeouts (wait_timeout %d s)" % WAIT_TIMEOUT, ("case", "outcome", "seconds", "advice", "message"),
                (name, "failed" if task["status"] == "ignored" else task["status"], task["seconds"],
                 "yes" if advised else "no: " + KNOWN_ADVICE_GAPS.get(name, "?"), task["msg"].replace("|", "/")[:300]))
    assert task["status"] == "ignored", task  # it failed (ignore_errors), it did not hang or pass
    assert task["seconds"] <= WAIT_TIMEOUT + SLACK
    assert resource in task["msg"], task["msg"]
    assert "\n" not in task["msg"].strip()
    assert not stuck_run.has_traceback()
    if not advised and name in KNOWN_ADVICE_GAPS:
        pytest.xfail(KNOWN_ADVICE_GAPS[name])
    assert advised, task["msg"]
