"""Lost answers: 10% of successful write answers never arrive (5% replaced by a
5xx, 5% a dropped connection), so the SDK retries writes AWS already applied.

Target (issue 14): a three-region deployment converges within two runs with
exactly one of each resource. Which creates are safe against a lost answer is
being fixed in the modules (AppSync creates, HTTP API creates); the assertion of
exactly one is made for the kinds whose fix is on this branch (PROTECTED) and for
the kinds AWS itself keeps unique by name; the other kinds' counts are measured
and written to docs/reliability.md. Convergence is asserted once every kind is
protected.
"""

import pytest
from conftest import app_name
from harness import Deployment, expected, REGIONS

SEED = 1402
LOST = [{"kind": "lost-5xx", "rate": 0.05}, {"kind": "lost-drop", "rate": 0.05}]
# Kinds AWS keeps unique (a name per account/region, an UPSERT, a CallerReference
# or IdempotencyToken the SDK resends with its retry): a lost answer cannot
# duplicate them (health checks: CallerReference; certificates: IdempotencyToken).
UNIQUE_BY_AWS = ("data_sources", "domains", "records", "iam_roles", "health_checks", "certificates")
# Kinds whose creates AWS does not make idempotent, protected against lost answers
# by the modules: the AppSync creates go through _appsync common.create_once, the
# HTTP API creates through apigatewayv2.create_once_or_find (no blind SDK retry,
# then found by name and tag, or content, before another attempt).
PROTECTED = ("appsync_apis", "api_keys", "functions", "http_apis", "integrations")
AT_RISK = ("appsync_apis", "api_keys", "functions", "http_apis", "integrations")
# The creates behind the at-risk kinds: the deterministic measurement loses the
# first answers of each (one per region) and nothing else.
AT_RISK_CREATES = ("CreateGraphqlApi", "CreateApiKey", "CreateFunction", "CreateApi", "CreateIntegration",
                   "CreateHealthCheck", "RequestCertificate")
FIRST_CREATES_LOST = [{"kind": "lost-5xx", "rate": 1.0, "operations": [operation], "limit": len(REGIONS)}
                      for operation in AT_RISK_CREATES]
EXPECTED = expected(UNIQUE_BY_AWS + AT_RISK)


def _two_runs(aws, workdir, prefix, rules):
    deployment = Deployment(aws, app_name(prefix), workdir, extra_vars={"geo_dns_health_check_enabled": True})
    aws.set_faults(rules, seed=SEED)
    try:
        runs = [deployment.run("site.yml")]
        runs.append(deployment.run("site.yml"))
    finally:
        aws.set_faults([])
    return deployment, runs, deployment.counts()


@pytest.fixture(scope="module")
def lost_runs(aws, workdir):
    return _two_runs(aws, workdir, "lost", LOST)


@pytest.fixture(scope="module")
def first_creates_lost(aws, workdir):
    return _two_runs(aws, workdir, "lostc", FIRST_CREATES_LOST)


def _first_failure(run):
    failed = run.failed_messages()
    if not failed:
        return ""
    return ("%s: %s" % (failed[0]["task"].split(" : ")[-1], (failed[0]["msg"].splitlines() or [""])[0]))[:220].replace("|", "/")


def _record(figures, title, note, runs, counts):
    rows = [("run %d" % (n + 1), "rc %d" % run.rc, "%.0f s" % run.seconds, run.faults["total"],
             ", ".join("%s %d" % (s, sum(k.values())) for s, k in sorted(run.faults["by_service"].items())),
             _first_failure(run)) for n, run in enumerate(runs)]
    figures.table(title, ("run", "exit", "time", "answers lost", "lost per service", "first failure"), rows,
                  note=note + " Health checks enabled. Creates protected on this commit: %s." % (", ".join(PROTECTED) or "none"))
    kinds = sorted(EXPECTED)
    figures.table(title, ["region"] + kinds,
                  [[region] + ["%d%s" % (counts[region][kind], "" if counts[region][kind] == EXPECTED[kind] else " (!)")
                               for kind in kinds] for region in REGIONS],
                  note="Resources left after the two runs, counted by listing (expected: one each, no functions; "
                       "(!) marks a difference).")


def test_lost_answers_measured(lost_runs, figures):
    _deployment, runs, counts = lost_runs
    assert runs[0].faults["total"] > 0, "no answer was lost: the test would pass without faults"
    _record(figures, "Lost answers: 10% of successful write answers lost",
            "Seed %d; 5%% of successful writes answered 500 after moto applied them, 5%% with the connection dropped."
            % SEED, runs, counts)
    assert not any(run.has_traceback() for run in runs)


def test_first_answers_of_the_creates_lost_measured(first_creates_lost, figures):
    _deployment, runs, counts = first_creates_lost
    assert runs[0].faults["total"] > 0
    _record(figures, "Lost answers: the first answers of every non-idempotent create lost",
            "The first %d successful answers of each of %s answered 500 (then every answer arrives)."
            % (len(REGIONS), ", ".join(AT_RISK_CREATES)), runs, counts)
    assert not any(run.has_traceback() for run in runs)


@pytest.mark.parametrize("kind", UNIQUE_BY_AWS + PROTECTED)
@pytest.mark.parametrize("measurement", ["lost_runs", "first_creates_lost"])
def test_kinds_safe_against_lost_answers_end_with_exactly_one(request, measurement, kind):
    _deployment, _runs, counts = request.getfixturevalue(measurement)
    assert {region: counts[region][kind] for region in REGIONS} == {region: EXPECTED[kind] for region in REGIONS}


@pytest.mark.parametrize("measurement", ["lost_runs", "first_creates_lost"])
def test_deployment_converges_within_two_runs_once_every_create_is_protected(request, measurement):
    _deployment, runs, counts = request.getfixturevalue(measurement)
    if set(AT_RISK) - set(PROTECTED):
        pytest.skip("creates not yet protected on this commit: %s (figures recorded)"
                    % ", ".join(sorted(set(AT_RISK) - set(PROTECTED))))
    assert runs[-1].rc == 0, runs[-1].output[-3000:]
    assert {region: dict(counts[region]) for region in REGIONS} == {region: EXPECTED for region in REGIONS}
