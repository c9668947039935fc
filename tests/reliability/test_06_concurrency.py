"""Two site.yml runs of the same inventory at once, on one controller: they end
with one of each resource, never duplicates. The creates AWS does not make
idempotent (and the certificate request, whose two runs' tokens differ) are
serialised across the runs by module_utils/creation's lock file, and the second
run adopts what the first made; a run may also fail, but only cleanly: one line,
no traceback, and a rerun converges. A rerun after them writes nothing.

Rounds: the two runs started together, then the second started a few seconds
into the first (it meets the first in the middle of its creates)."""

import os
import time

import pytest
from conftest import app_name
from harness import Deployment, duplicates, expected, REGIONS, untagged_owned

ONE_EACH = ("appsync_apis", "api_keys", "data_sources", "http_apis", "integrations", "domains", "certificates",
            "records", "iam_roles")
# Seconds between the two starts, one round each; RELIABILITY_CONCURRENCY_OFFSETS="0,5,0" for more.
OFFSETS = [float(s) for s in os.environ.get("RELIABILITY_CONCURRENCY_OFFSETS", "0,5").split(",")]
SERIALISED = ("What is serialised: find-then-create of the AppSync API, its managed API key, data sources, functions and "
              "resolvers, the HTTP API and its integrations, and the ACM certificate request, by "
              "`plugins/module_utils/creation.py`: an exclusive `fcntl.flock` on "
              "`<tempdir>/multiregion.appsync-locks/<sha256 of service, region, endpoint, kind, identity>.lock`; inside "
              "the lock the module looks again, adopts (and converges) what the other run made, or creates and holds the "
              "lock until the new resource is listed. The other creates are unique by name and answer a second create "
              "with a conflict that is read as \"exists, adopt\" (custom domain, API mapping, route, stage); Route53 "
              "records are UPSERTs; the table's replica changes are re-decided while DynamoDB answers the table is busy, "
              "and a replica another run added counts as done; appsync_service_role reads back and converges "
              "a role another run made (EntityAlreadyExists). Not serialised: the optional health checks (geo_dns_health_check_enabled), whose "
              "duplicate a later run removes; runs on two controllers.")


def one_round(aws, workdir, offset):
    deployment = Deployment(aws, app_name("conc"), workdir)
    first = deployment.start("site.yml")
    time.sleep(offset)
    second = deployment.start("site.yml")
    runs = [deployment.finish(first), deployment.finish(second)]
    census = deployment.census()
    rerun = deployment.run("site.yml")
    return {"offset": offset, "runs": runs, "census": census, "rerun": rerun, "final": deployment.census()}


@pytest.fixture(scope="module")
def rounds(aws, workdir):
    aws.set_faults([])
    return [one_round(aws, workdir, offset) for offset in OFFSETS]


def counts_of(census):
    return {region: {kind: len(items) for kind, items in kinds.items()} for region, kinds in census.items()}


def one_each(census):
    return {region: {kind: len(census[region][kind]) for kind in ONE_EACH} for region in REGIONS}


def first_failure(run):
    failed = run.failed_messages() or [{"task": "?", "msg": "rc %d" % run.rc}]
    return failed[0]["task"].split(" : ")[-1], str(failed[0].get("msg") or "")


def test_two_runs_at_once_never_make_duplicates(rounds, figures):
    rows = []
    for outcome in rounds:
        runs, counts = outcome["runs"], counts_of(outcome["census"])
        failures = [first_failure(run) for run in runs if run.rc]
        rows.append(["%.0f s" % outcome["offset"], " / ".join(str(run.rc) for run in runs),
                     " / ".join("%.0f s" % run.seconds for run in runs),
                     "; ".join("%s: %s" % (task, msg.splitlines()[0][:160] if msg else "") for task, msg in failures) or "both converged",
                     duplicates(counts) or "none", len(untagged_owned(outcome["census"]))])
    figures.table("Concurrency", ["second run started after", "exits", "times", "failures", "duplicates", "owned but untagged"],
                  rows, note=SERIALISED + "\n\nTwo site.yml runs of one inventory, %d rounds (a fresh app_name each):"
                  % len(rounds))
    for outcome in rounds:
        counts = counts_of(outcome["census"])
        assert duplicates(counts) == [], outcome["offset"]
        assert untagged_owned(outcome["census"]) == []
        for run in outcome["runs"]:
            assert not run.has_traceback(), run.output[-3000:]
            if run.rc:
                task, msg = first_failure(run)
                assert msg and "\n" not in msg.strip(), "%s: %r" % (task, msg)
        if any(run.rc == 0 for run in outcome["runs"]):
            assert one_each(outcome["census"]) == {region: expected(ONE_EACH) for region in REGIONS}


def test_a_run_after_them_converges_without_a_write(rounds, figures):
    figures.add("Concurrency", "The site.yml after each round: exits %s, writes %s; one of each of %s per region: %s."
                % ([o["rerun"].rc for o in rounds], [len(o["rerun"].writes) for o in rounds], ", ".join(ONE_EACH),
                   [one_each(o["final"]) == {region: expected(ONE_EACH) for region in REGIONS} for o in rounds]))
    for outcome in rounds:
        rerun = outcome["rerun"]
        assert rerun.rc == 0, rerun.output[-3000:]
        assert [(c["service"], c["operation"]) for c in rerun.writes] == []
        assert one_each(outcome["final"]) == {region: expected(ONE_EACH) for region in REGIONS}
        assert untagged_owned(outcome["final"]) == []
