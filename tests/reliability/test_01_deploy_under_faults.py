"""One three-region deployment, walked: check mode on an empty account, a cold run
and a rerun under 20% throttling + 5% 5xx, check mode on the deployed account;
then its secrets, its data-source policy, and the data kept through teardowns.
"""

import glob
import json
import os
import re
import stat

import pytest
from conftest import app_name
from harness import Deployment, duplicates, expected, MAIN_REGION, REGIONS, untagged_owned

FAULTS = [{"kind": "throttle", "rate": 0.2}, {"kind": "5xx", "rate": 0.05}]
SEED = 1401
ONE_EACH = ("appsync_apis", "api_keys", "data_sources", "http_apis", "integrations", "domains",
            "certificates", "records", "health_checks", "iam_roles")
SECTION = "Faults: 20% throttling + 5% 5xx"


@pytest.fixture(scope="module")
def walk(aws, workdir, measured):
    """Run the four site.yml runs once; tests assert on their records."""
    deployment = Deployment(aws, app_name("flt"), workdir, extra_vars={"geo_dns_health_check_enabled": True})
    aws.set_faults([])
    runs = {"check_empty": deployment.run("site.yml", "--check", "--diff")}
    aws.set_faults(FAULTS, seed=SEED)
    # --diff as with the check run: a task that shows a diff runs in both.
    runs["cold"] = deployment.run("site.yml", "--diff")
    measured["site"] = runs["cold"]
    runs["rerun"] = deployment.run("site.yml", "-vvv")
    aws.set_faults([])
    runs["check_deployed"] = deployment.run("site.yml", "--check", "--diff")
    return deployment, runs


def _absorbed(run):
    return {service: sum(kinds.values()) for service, kinds in sorted(run.faults["by_service"].items())}


def test_cold_deploy_under_faults_converges(walk, figures):
    deployment, runs = walk
    cold = runs["cold"]
    assert cold.rc == 0, cold.output[-3000:]
    assert cold.faults["total"] > 0, "no fault was injected: the test would pass without faults"
    counts = deployment.counts()
    assert {region: {kind: counts[region][kind] for kind in ONE_EACH} for region in REGIONS} == \
        {region: expected(ONE_EACH) for region in REGIONS}
    assert untagged_owned(deployment.census()) == []
    rows = []
    for name in ("cold", "rerun"):
        run = runs[name]
        for service, kinds in sorted(run.faults["by_service"].items()):
            rows.append((name, service, kinds.get("throttle", 0), kinds.get("5xx", 0),
                         len([c for c in run.calls if c["service"] == service])))
    figures.table(SECTION, ("run", "service", "throttled", "5xx", "calls (faults included)"), rows,
                  note="Faults absorbed per service (retries by botocore/AWSRetry); seed %d. Cold run %.0f s, "
                       "%d calls, %d faults; rerun %.0f s, %d calls, %d faults, %d writes."
                       % (SEED, cold.seconds, len(cold.calls), cold.faults["total"], runs["rerun"].seconds,
                          len(runs["rerun"].calls), runs["rerun"].faults["total"], len(runs["rerun"].writes)))


def test_rerun_under_faults_is_clean(walk):
    _deployment, runs = walk
    rerun = runs["rerun"]
    assert rerun.rc == 0, rerun.output[-3000:]
    assert rerun.faults["total"] > 0
    assert [(c["service"], c["operation"]) for c in rerun.writes] == []
    assert [key for key, changed in rerun.changed_by_task().items() if changed] == []


def _outcomes(run):
    """{(host, task): 'changed' | 'ok' | 'skipped'} of every task the run reached."""
    return {(t["host"], t["task"]): t["status"] for t in run.tasks if t["status"] in ("ok", "changed", "skipped")}


def _compare(check, real):
    """Mismatches, 'host | task: check X, real Y', for every task, per host,
    whose outcome (changed, ok or skipped; a task not reached counts as skipped)
    differs between the check run and the real run that follows."""
    predicted, happened = _outcomes(check), _outcomes(real)
    wrong = []
    for host, task in sorted(set(predicted) | set(happened)):
        outcome = (predicted.get((host, task), "skipped"), happened.get((host, task), "skipped"))
        if outcome[0] != outcome[1]:
            line = "%s | %s: check %s, real %s" % ((host, task) + outcome)
            wrong.append(line)
    return wrong


def _changed_per_host(run):
    counts = {}
    for (host, _task), outcome in _outcomes(run).items():
        counts[host] = counts.get(host, 0) + (outcome == "changed")
    return counts


def _hosts_changed(run):
    return sorted(host for host, count in _changed_per_host(run).items() if count)


def _record_check_mode(figures, label, check, real, wrong):
    predicted, happened = _changed_per_host(check), _changed_per_host(real)
    figures.row("Check mode", ("account", "run", "calls", "writes", "tasks changed (per host)", "tasks changed in all",
                               "mismatches with the real run, task by task"),
                (label, "`site.yml --check --diff`", len(check.calls), len(check.writes),
                 ", ".join("%s %d" % item for item in sorted(predicted.items())), sum(predicted.values()),
                 len(wrong)))
    figures.row("Check mode", ("account", "run", "calls", "writes", "tasks changed (per host)", "tasks changed in all",
                               "mismatches with the real run, task by task"),
                (label, "`site.yml` that follows", len(real.calls), len(real.writes),
                 ", ".join("%s %d" % item for item in sorted(happened.items())), sum(happened.values()), "-"))
    if label == "empty":
        figures.add("Check mode", "Each check run (no faults) is compared, task by task and per host (changed, ok or "
                    "skipped), with the real run that follows it: the suite's cold run and its rerun, under %s (seed %d), "
                    "whose calls include the refused ones." % (SECTION.split(": ", 1)[1], SEED))
    if wrong:
        figures.add("Check mode", "%s account: mismatches: %s." % (label, "; ".join(wrong)))


def test_check_mode_on_an_empty_account_writes_nothing_and_predicts_the_real_run(walk, figures):
    _deployment, runs = walk
    check, real = runs["check_empty"], runs["cold"]
    assert check.rc == 0, check.output[-3000:]
    wrong = _compare(check, real)
    _record_check_mode(figures, "empty", check, real, wrong)
    assert check.writes == []
    assert wrong == []
    assert _hosts_changed(check) == _hosts_changed(real) == sorted(REGIONS)


def test_check_mode_on_the_deployed_account_writes_nothing_and_predicts_no_change(walk, figures):
    _deployment, runs = walk
    check, real = runs["check_deployed"], runs["rerun"]
    assert check.rc == 0, check.output[-3000:]
    wrong = _compare(check, real)
    _record_check_mode(figures, "deployed", check, real, wrong)
    assert check.writes == []
    assert wrong == []
    assert _hosts_changed(check) == _hosts_changed(real) == []


def _api_diff_shown(run):
    """The regions whose 'Show what changes on the API' task printed a diff with the API's name."""
    section = run.output.split("Show what changes on the API (--diff)] ", 1)[-1].split("\nTASK [", 1)[0]
    return sorted(re.findall(r"^ok: \[([a-z0-9-]+)\] => \n\s+msg:\n\s+after:\n(?:.*\n)*?\s+name: ", section, re.M))


def test_check_diff_shows_the_api_changes_that_no_log_hides(walk):
    _deployment, runs = walk
    assert _api_diff_shown(runs["check_empty"]) == sorted(REGIONS), runs["check_empty"].output[-3000:]
    assert _api_diff_shown(runs["check_deployed"]) == []


# Secrets
def _key_values(deployment):
    census = deployment.census()
    return [key["id"] for region in REGIONS for key in census[region]["api_keys"]]


def test_outputs_file_is_owner_only_and_holds_the_keys(walk):
    deployment, _runs = walk
    mode = stat.S_IMODE(os.stat(deployment.outputs_file).st_mode)
    assert mode == 0o600, oct(mode)
    with open(deployment.outputs_file, encoding="utf-8") as handle:
        text = handle.read()
    keys = _key_values(deployment)
    assert len(keys) == len(REGIONS) and all(key in text for key in keys)


def test_api_keys_never_appear_in_output_or_request_log(walk, aws, figures):
    deployment, runs = walk
    keys = _key_values(deployment)
    assert keys
    failing = deployment.run("site.yml", "-vvv", "--limit", "eu-central-1",
                             extra_vars={"regional_endpoint_wait_timeout": 0})
    assert failing.rc != 0, "the run meant to fail (wait_timeout 0) succeeded"
    outputs = dict(runs, failing=failing)
    logs = sorted(glob.glob(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                                         ".cache", "localaws", "%d.requests.jsonl" % aws.port)))
    texts = {name: run.output for name, run in outputs.items()}
    texts.update({"request log " + os.path.basename(path): open(path, encoding="utf-8").read() for path in logs})
    leaks = [(name, key[:6] + "...") for name, text in texts.items() for key in keys if key in text]
    figures.add("Secrets", "API key values searched for in %d outputs (check/--diff, --diff, -vvv, check/--diff, -vvv failure: "
                "%r) and the request log: %d leaks. Outputs file mode 0600."
                % (len(texts), failing.failed_messages()[0]["msg"][:120] if failing.failed_messages() else "", len(leaks)))
    assert leaks == []


RESOLVERS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                         "roles", "graphql_api", "files", "resolvers")
HELPERS = {"get": "GetItem", "put": "PutItem", "update": "UpdateItem", "remove": "DeleteItem", "query": "Query", "scan": "Scan"}


def _resolver_actions():
    actions = set()
    for path in glob.glob(os.path.join(RESOLVERS, "*.js")):
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        actions.update(re.findall(r"operation:\s*['\"](\w+)['\"]", source))
        actions.update(HELPERS[name] for name in re.findall(r"ddb\.(\w+)\(", source) if name in HELPERS)
    return {"dynamodb:" + action for action in actions}


def _role_policy(aws, deployment, region):
    """The data-source role's inline statements in region: (actions, resources), and the resources it may name."""
    iam = aws.client("iam")
    role = "%s-appsync-ds-%s" % (deployment.app_name, region)
    assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
    table = aws.client("dynamodb", region).describe_table(TableName=deployment.app_name + "-items")["Table"]
    allowed_resources = {table["TableArn"]} | {index["IndexArn"] for index in table.get("GlobalSecondaryIndexes", [])}
    allowed_resources |= {table["TableArn"] + "/index/*"}
    statements = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        document = json.loads(document) if isinstance(document, str) else document
        statements += document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    actions, resources = set(), set()
    for statement in statements:
        assert statement["Effect"] == "Allow" and "NotAction" not in statement and "NotResource" not in statement
        actions |= set([statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"])
        resources |= set([statement["Resource"]] if isinstance(statement["Resource"], str) else statement["Resource"])
    return actions, resources, table["TableArn"], allowed_resources


def test_data_source_role_allows_only_the_resolvers_actions_on_the_table(walk, aws, figures):
    deployment, _runs = walk
    wanted_actions = _resolver_actions()
    assert wanted_actions
    for region in REGIONS:
        actions, resources, table_arn, allowed_resources = _role_policy(aws, deployment, region)
        assert actions == wanted_actions, (region, sorted(actions))
        assert table_arn in resources and resources <= allowed_resources, (region, sorted(resources))
    figures.add("Secrets", "Data-source role policy (read back from IAM, every region): actions exactly %s on the "
                "table ARN (and its index ARNs) only." % ", ".join(sorted(wanted_actions)))


def test_first_run_limited_to_a_replica_region_gives_its_role_the_table(aws, workdir, calm):
    """`--limit eu-central-1` on a new account: this region's run creates the main table, so the replica
    runs in the foreground and the data-source role gets the replica's ARN (a read racing the background
    creation could find no table and leave the role without its policy)."""
    deployment = Deployment(aws, app_name("lim"), workdir)
    run = deployment.run("site.yml", "--limit", "eu-central-1")
    assert run.rc == 0, run.output[-3000:]
    actions, resources, table_arn, allowed_resources = _role_policy(aws, deployment, "eu-central-1")
    assert actions == _resolver_actions() and table_arn in resources and resources <= allowed_resources, sorted(resources)
    waited = [t for t in run.tasks if t["task"].endswith("Wait for this region's replica (started by tasks/main.yml)")]
    assert [t["status"] for t in waited] in ([], ["skipped"]), waited
    rerun = deployment.run("site.yml", "--limit", "eu-central-1")
    assert rerun.rc == 0 and not any(rerun.changed_by_task().values()), rerun.changed_by_task()
    assert rerun.writes == [], rerun.writes


# No data lost
ITEMS = [{"id": {"S": "kept-%d" % n}, "payload": {"S": "value %d" % n}} for n in range(5)]


def _items(aws, deployment, region=MAIN_REGION):
    dynamodb = aws.client("dynamodb", region)
    found = dynamodb.scan(TableName=deployment.app_name + "-items", ConsistentRead=True)["Items"]
    return sorted(item["id"]["S"] for item in found if item["id"]["S"].startswith("kept-"))


def _outputs_regions(deployment):
    with open(deployment.outputs_file, encoding="utf-8") as handle:
        return sorted(json.load(handle)["regions"])


def test_teardowns_keep_the_table_and_its_items(walk, aws, figures, measured):
    deployment, _runs = walk
    for item in ITEMS:
        aws.client("dynamodb").put_item(TableName=deployment.app_name + "-items", Item=item)
    wanted = sorted(item["id"]["S"] for item in ITEMS)

    wrong = deployment.run("teardown.yml", extra_vars={"delete_table": True, "confirm_delete_table": "nope"})
    assert wrong.rc != 0 and wrong.writes == []
    assert any("confirm_delete_table" in task["msg"] for task in wrong.failed_messages()), wrong.output[-2000:]
    assert deployment.counts()["eu-central-1"]["appsync_apis"] == 1

    # A teardown that keeps the API (--skip-tags graphql_api) keeps the region's outputs entry; the full one drops it.
    kept = deployment.run("teardown.yml", "--limit", "ap-southeast-2", "--skip-tags", "graphql_api,global_table")
    assert kept.rc == 0, kept.output[-3000:]
    assert "ap-southeast-2" in _outputs_regions(deployment) and deployment.counts()["ap-southeast-2"]["appsync_apis"] == 1
    one = deployment.run("teardown.yml", "--limit", "ap-southeast-2")
    assert one.rc == 0, one.output[-3000:]
    assert _outputs_regions(deployment) == ["eu-central-1", "us-east-1"]
    counts = deployment.counts()
    assert counts["ap-southeast-2"]["appsync_apis"] == 0 and counts["eu-central-1"]["appsync_apis"] == 1
    replicas = sorted(r["RegionName"] for r in deployment.table()["Replicas"])
    assert "ap-southeast-2" not in replicas and "eu-central-1" in replicas, replicas
    assert deployment.table("eu-central-1") is not None

    everything = deployment.run("teardown.yml")
    assert everything.rc == 0, everything.output[-3000:]
    measured["teardown_writes"] = len(kept.applied_writes) + len(one.applied_writes) + len(everything.applied_writes)
    left = {region: {kind: n for kind, n in kinds.items() if n} for region, kinds in deployment.counts().items()}
    assert left == {region: {} for region in REGIONS}
    assert not os.path.exists(deployment.outputs_file)
    assert deployment.table() is not None and _items(aws, deployment) == wanted
    assert duplicates(deployment.counts()) == []
    figures.add("No data lost", "%d items written to the table; a teardown with a wrong confirmation failed with %d writes; "
                "teardown --limit ap-southeast-2 left replicas %s; the full teardown (no delete flags) left the table and "
                "all %d items (read back by Scan)." % (len(ITEMS), len(wrong.writes), replicas, len(wanted)))
