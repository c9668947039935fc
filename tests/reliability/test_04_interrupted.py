"""Interrupted runs: site.yml and teardown.yml killed (SIGKILL of the whole process
group, and of the groups of its workers, which ansible starts in sessions of their
own) at seeded points, then rerun.

The points are stages of the deployment: "the k-th AWS write applied", k drawn
(seeded) one in each equal slice of the writes a full run of the same playbook
makes (measured first). The kills are chained to keep the suite fast: from an
empty account, each run after a kill is itself killed when the writes applied
since the chain began reach the next point (a rerun redoes nothing that is done,
so the count goes on where the killed run stopped), and after every kill the
state is read back: never two of anything. The run after the last kill must
converge with exactly one of each resource per region, every owned resource
tagged.
"""

import random

import pytest
from conftest import app_name
from harness import Deployment, duplicates, expected, REGIONS, untagged_owned

SEED = 1404
SITE_KILLS = 10
TEARDOWN_KILLS = 3
ONE_EACH = ("appsync_apis", "api_keys", "data_sources", "http_apis", "integrations", "domains", "certificates",
            "records", "health_checks", "iam_roles")


def _points(total, count, rng):
    """count kill points spread over (0, 95% of total): one drawn in each of count equal slices
    (the margin: a chain may need a write or two fewer than a cold run)."""
    width = total * 0.95 / count
    return [max(1, int(width * (n + rng.random()))) for n in range(count)]


@pytest.fixture(scope="module")
def interrupted(aws, workdir, measured):
    rng = random.Random(SEED)
    aws.set_faults([])
    if "site" not in measured or "teardown_writes" not in measured:  # run alone: measure here
        probe = Deployment(aws, app_name("intm"), workdir, extra_vars={"geo_dns_health_check_enabled": True})
        measured["site"] = probe.run("site.yml")
        assert measured["site"].rc == 0, measured["site"].output[-3000:]
        measured["teardown_writes"] = len(probe.run("teardown.yml").applied_writes)
    full_site = measured["site"]
    # the kills start from an empty account: a deployment of its own
    deployment = Deployment(aws, app_name("intr"), workdir, extra_vars={"geo_dns_health_check_enabled": True})
    site_points = _points(len(full_site.applied_writes), SITE_KILLS, rng)
    record = {"deployment": deployment, "site_calls": len(full_site.calls), "site_seconds": full_site.seconds,
              "site_writes": len(full_site.applied_writes), "teardown_writes": measured["teardown_writes"],
              "site": [], "teardown": []}
    chain = aws.count()
    for point in site_points:
        run = deployment.run_killed_at_write(point, chain, "site.yml")
        record["site"].append((point, run, deployment.counts(), untagged_owned(deployment.census())))
    record["site_converge"] = deployment.run("site.yml")
    record["site_census"] = deployment.census()
    teardown_points = _points(record["teardown_writes"], TEARDOWN_KILLS, rng)
    chain = aws.count()
    for point in teardown_points:
        run = deployment.run_killed_at_write(point, chain, "teardown.yml")
        record["teardown"].append((point, run, deployment.counts(), untagged_owned(deployment.census())))
    record["teardown_converge"] = deployment.run("teardown.yml")
    record["teardown_counts"] = deployment.counts()
    return record


def _row(kind, point, run, counts, untagged):
    dupes = duplicates(counts)
    return (kind, point, "killed" if run.killed else "finished rc %d" % run.rc, "%.0f s" % run.seconds,
            len(run.applied_writes), ", ".join("%s %s x%d" % d for d in dupes) or "none", len(untagged))


def test_killed_site_runs_never_leave_two_of_anything(interrupted, figures):
    rows = [_row("site.yml", *entry) for entry in interrupted["site"]]
    rows += [_row("teardown.yml", *entry) for entry in interrupted["teardown"]]
    figures.table("Interrupted runs", ("playbook", "killed at the k-th write of the chain", "outcome", "time",
                                       "writes applied by this run", "duplicates after the kill", "owned but untagged"), rows,
                  note="A full site.yml (the first cold run of the suite) makes %d AWS calls of which %d writes applied "
                       "(%.0f s), a full teardown.yml %d writes; "
                       "seed %d; the points were drawn one per equal slice of those writes, each run after a kill "
                       "killed when the chain's writes reached the next point."
                       % (interrupted["site_calls"], interrupted["site_writes"], interrupted["site_seconds"],
                          interrupted["teardown_writes"], SEED))
    assert sum(1 for _point, run, _c, _u in interrupted["site"] if run.killed) == SITE_KILLS
    assert [(point, duplicates(counts)) for point, _run, counts, _u in interrupted["site"] if duplicates(counts)] == []


def test_the_rerun_after_the_kills_converges_with_one_of_each(interrupted, figures):
    rerun, census = interrupted["site_converge"], interrupted["site_census"]
    assert rerun.rc == 0, rerun.output[-3000:]
    counts = {region: {kind: len(census[region][kind]) for kind in ONE_EACH} for region in REGIONS}
    figures.add("Interrupted runs", "The site.yml after the %d kills: exit %d in %.0f s; one of each of %s in every "
                "region: %s; owned but untagged: %d."
                % (len(interrupted["site"]), rerun.rc, rerun.seconds, ", ".join(ONE_EACH),
                   counts == {region: expected(ONE_EACH) for region in REGIONS}, len(untagged_owned(census))))
    assert counts == {region: expected(ONE_EACH) for region in REGIONS}
    assert untagged_owned(census) == []


def test_killed_teardowns_then_a_rerun_remove_everything_but_the_table(interrupted, figures):
    rerun, counts = interrupted["teardown_converge"], interrupted["teardown_counts"]
    assert sum(1 for _point, run, _c, _u in interrupted["teardown"] if run.killed) == TEARDOWN_KILLS
    assert [duplicates(c) for _p, _r, c, _u in interrupted["teardown"] if duplicates(c)] == []
    assert rerun.rc == 0, rerun.output[-3000:]
    left = {region: {kind: n for kind, n in kinds.items() if n} for region, kinds in counts.items()}
    figures.add("Interrupted runs", "The teardown.yml after %d kills: exit %d; left: %s; the table stays: %s."
                % (len(interrupted["teardown"]), rerun.rc, left, interrupted["deployment"].table() is not None))
    assert left == {region: {} for region in REGIONS}
    assert interrupted["deployment"].table() is not None
