"""Drive the playbooks against one local AWS and read back what they left.

Every deployment of the suite has its own app_name and hostname
(<app_name>.example.com), so tests share one local AWS without seeing each
other's resources; the hosted zone example.com is made once per session.
"""

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

import boto3
from botocore.config import Config

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLBACKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
ZONE = "example.com"
REGIONS = ("us-east-1", "eu-central-1", "ap-southeast-2")
MAIN_REGION = "us-east-1"

OWNER = ("managed-by", "multiregion.appsync")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "MODULE FAILURE", "The full traceback is")

# What one region of the sample deployment holds once converged: one of each
# resource, but two integrations (the proxy's POST / and its GET /health route).
EXPECTED_PER_REGION = {"appsync_apis": 1, "api_keys": 1, "functions": 0, "data_sources": 1, "http_apis": 1,
                       "integrations": 2, "domains": 1, "certificates": 1, "records": 1, "health_checks": 1,
                       "iam_roles": 1}


def expected(kinds):
    """EXPECTED_PER_REGION for these kinds only."""
    return {kind: EXPECTED_PER_REGION[kind] for kind in kinds}


class LocalAws:
    """The control endpoint of one running local AWS."""

    def __init__(self, port):
        self.port = int(port)
        self.endpoint = "http://127.0.0.1:%d" % self.port

    def control(self, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(self.endpoint + "/_localaws/" + path, data=data,
                                         method="POST" if data is not None else "GET")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def count(self):
        return self.control("requests")["count"]

    def entries(self, since):
        return self.control("requests?since=%d" % since)["entries"]

    def faults(self, since):
        return self.control("faults?since=%d" % since)

    def set_faults(self, rules, seed=None):
        self.control("config", {"faults": rules, "seed": seed})

    def client(self, service, region=MAIN_REGION):
        return boto3.client(service, region_name=region, endpoint_url=self.endpoint,
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(retries={"max_attempts": 10, "mode": "standard"}))


@dataclass
class Run:
    """One ansible-playbook run: exit code, output, task results and its AWS calls."""

    args: list
    rc: int
    output: str
    seconds: float
    tasks: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    faults: dict = field(default_factory=dict)
    killed: bool = False

    @property
    def writes(self):
        return [c for c in self.calls if c["access"] == "write"]

    @property
    def applied_writes(self):
        """Writes moto carried out (faults that refused the call excluded)."""
        return [c for c in self.writes if c["fault"] not in ("throttle", "5xx")]

    def failed_messages(self):
        return [t for t in self.tasks if t["status"] == "failed"]

    def changed_by_task(self):
        """{(host, task name): changed} of every task that ran (not skipped)."""
        return {(t["host"], t["task"]): t["changed"] for t in self.tasks if t["status"] in ("ok", "changed")}

    def has_traceback(self):
        return any(marker in self.output for marker in TRACEBACK_MARKERS)


class Deployment:
    """One deployment (app_name) over the local inventory's three regions."""

    def __init__(self, aws, app_name, workdir, inventory=None, extra_vars=None):
        self.aws = aws
        self.app_name = app_name
        self.domain = "%s.%s" % (app_name, ZONE)
        self.workdir = workdir
        self.inventory = inventory or os.path.join(TOP, "inventories", "local")
        self.outputs_file = os.path.join(workdir, "%s.json" % app_name)
        self.extra_vars = {"app_name": app_name, "api_domain_name": self.domain, "outputs_file": self.outputs_file}
        self.extra_vars.update(extra_vars or {})
        self.regions = REGIONS

    def env(self, task_log):
        env = dict(os.environ)
        env.update({
            "ANSIBLE_CONFIG": os.path.join(TOP, "ansible.cfg"),
            "ANSIBLE_HOME": os.path.join(TOP, ".cache", "ansible-home"),
            "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS,
            "ANSIBLE_CALLBACKS_ENABLED": "task_log",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_NOCOLOR": "1",
            "RELIABILITY_TASK_LOG": task_log,
            "LOCALAWS_PORT": str(self.aws.port),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "PATH": os.path.join(TOP, ".venv", "bin") + os.pathsep + env.get("PATH", ""),
        })
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
        return env

    def command(self, playbook, *args, extra_vars=None):
        values = dict(self.extra_vars)
        values.update(extra_vars or {})
        return ["ansible-playbook", "-i", self.inventory, os.path.join(TOP, "playbooks", playbook),
                "-e", json.dumps(values)] + list(args)

    def start(self, playbook, *args, extra_vars=None):
        """Start a run in its own process group; returns (process, task log, request index, started)."""
        task_log = tempfile.NamedTemporaryFile(prefix="tasks-", suffix=".jsonl", dir=self.workdir, delete=False).name
        command = self.command(playbook, *args, extra_vars=extra_vars)
        output = open(task_log + ".out", "w+", encoding="utf-8")  # pylint: disable=consider-using-with
        since = self.aws.count()
        process = subprocess.Popen(command, cwd=TOP, env=self.env(task_log), stdout=output,  # pylint: disable=consider-using-with
                                   stderr=subprocess.STDOUT, start_new_session=True)
        return {"process": process, "task_log": task_log, "output": output, "since": since,
                "began": time.monotonic(), "command": command}

    def finish(self, started, killed=False):
        process = started["process"]
        rc = process.wait()
        seconds = time.monotonic() - started["began"]
        started["output"].seek(0)
        output = started["output"].read()
        started["output"].close()
        tasks = []
        if os.path.exists(started["task_log"]):
            with open(started["task_log"], encoding="utf-8") as handle:
                tasks = [json.loads(line) for line in handle if line.strip()]
        return Run(args=started["command"], rc=rc, output=output, seconds=seconds, tasks=tasks,
                   calls=self.aws.entries(started["since"]), faults=self.aws.faults(started["since"]), killed=killed)

    def run(self, playbook="site.yml", *args, extra_vars=None):
        return self.finish(self.start(playbook, *args, extra_vars=extra_vars))

    def run_killed_at_write(self, writes, since, playbook="site.yml", *args, extra_vars=None):
        """Run, SIGKILL its process tree once `writes` AWS writes were applied since log index
        `since` and this run applied at least one (a point the last run overshot moves on)."""
        started = self.start(playbook, *args, extra_vars=extra_vars)
        process, killed, index = started["process"], False, since
        seen = own = 0
        while process.poll() is None:
            entries = self.aws.entries(index)
            for number, entry in enumerate(entries, start=index):
                if entry["access"] == "write" and entry["fault"] not in ("throttle", "5xx"):
                    seen += 1
                    own += number >= started["since"]
            index += len(entries)
            if seen >= writes and own:
                kill_tree(process.pid)
                killed = True
                break
            time.sleep(0.05)
        return self.finish(started, killed=killed)

    # What the deployment left, read back by listing.
    def census(self):
        """{region: {kind: [resource dicts with 'id' and 'owned']}}."""
        zone_id = zone_id_of(self.aws)
        route53 = self.aws.client("route53")
        records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
        checks = route53.list_health_checks()["HealthChecks"]
        check_tags = health_check_tags(route53, [c["Id"] for c in checks])
        roles = self.aws.client("iam").list_roles()["Roles"]
        result = {}
        for region in self.regions:
            set_id = "%s-%s" % (self.app_name, region)
            kinds = appsync_census(self.aws.client("appsync", region), self.app_name)
            kinds.update(http_api_census(self.aws.client("apigatewayv2", region), self.app_name + "-proxy", self.domain))
            kinds["certificates"] = certificate_census(self.aws.client("acm", region), self.domain)
            kinds["records"] = [{"id": r["SetIdentifier"], "owned": True} for r in records
                                if r["Name"].rstrip(".") == self.domain and r.get("SetIdentifier") == set_id]
            kinds["health_checks"] = [
                {"id": c["Id"], "owned": tags_owned(check_tags.get(c["Id"]))} for c in checks
                if set_id in (check_tags.get(c["Id"]) or {}).values()
                or (not check_tags.get(c["Id"]) and c["CallerReference"].startswith("mras-")
                    and c["HealthCheckConfig"].get("FullyQualifiedDomainName", "").endswith(region + ".amazonaws.com"))]
            kinds["iam_roles"] = [{"id": r["RoleName"], "owned": True} for r in roles
                                  if r["RoleName"] == "%s-appsync-ds-%s" % (self.app_name, region)]
            result[region] = kinds
        return result

    def counts(self):
        """{region: {kind: number}} from census()."""
        return {region: {kind: len(items) for kind, items in kinds.items()} for region, kinds in self.census().items()}

    def table(self, region=MAIN_REGION):
        try:
            return self.aws.client("dynamodb", region).describe_table(TableName=self.app_name + "-items")["Table"]
        except self.aws.client("dynamodb", region).exceptions.ResourceNotFoundException:
            return None


def _children():
    """{pid: [child pids]} of every process, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="utf-8") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    return children


def kill_tree(pid):
    """SIGKILL pid's process group and every descendant's: ansible-playbook's
    workers start their own sessions, so killing the group alone orphans them."""
    children, pending, tree = _children(), [pid], []
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    groups = set()
    for member in tree:
        try:
            groups.add(os.getpgid(member))
        except OSError:
            pass
    for group in groups:
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            pass


def zone_id_of(aws):
    zones = aws.client("route53").list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"]
    return [z["Id"] for z in zones if z["Name"].rstrip(".") == ZONE][0]


def tags_owned(tags):
    return (tags or {}).get(OWNER[0]) == OWNER[1]


def health_check_tags(route53, ids):
    tags = {}
    for start in range(0, len(ids), 10):
        if not ids[start:start + 10]:
            continue
        sets = route53.list_tags_for_resources(ResourceType="healthcheck", ResourceIds=ids[start:start + 10])
        for tag_set in sets["ResourceTagSets"]:
            tags[tag_set["ResourceId"]] = {t["Key"]: t["Value"] for t in tag_set.get("Tags", [])}
    return tags


def appsync_census(appsync, name):
    apis = [api for api in appsync.list_graphql_apis()["graphqlApis"] if api["name"] == name]
    kinds = {"appsync_apis": [{"id": api["apiId"], "owned": tags_owned(api.get("tags"))} for api in apis],
             "api_keys": [], "functions": [], "data_sources": []}
    for api in apis:
        kinds["api_keys"] += [{"id": key["id"], "owned": True} for key in appsync.list_api_keys(apiId=api["apiId"])["apiKeys"]]
        kinds["functions"] += [{"id": f["functionId"], "owned": True} for f in appsync.list_functions(apiId=api["apiId"])["functions"]]
        kinds["data_sources"] += [{"id": d["name"], "owned": True} for d in appsync.list_data_sources(apiId=api["apiId"])["dataSources"]]
    return kinds


def http_api_census(gateway, name, domain):
    apis = [api for api in gateway.get_apis()["Items"] if api["Name"] == name]
    kinds = {"http_apis": [{"id": api["ApiId"], "owned": tags_owned(api.get("Tags"))} for api in apis], "integrations": []}
    for api in apis:
        kinds["integrations"] += [{"id": i["IntegrationId"], "owned": True}
                                  for i in gateway.get_integrations(ApiId=api["ApiId"])["Items"]]
    kinds["domains"] = [{"id": d["DomainName"], "owned": tags_owned(d.get("Tags"))}
                        for d in gateway.get_domain_names()["Items"] if d["DomainName"] == domain]
    return kinds


def certificate_census(acm, domain):
    found = []
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        if summary["DomainName"] != domain:
            continue
        tags = {t["Key"]: t.get("Value") for t in acm.list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"]}
        found.append({"id": summary["CertificateArn"], "owned": tags_owned(tags)})
    return found


def ensure_zone(aws):
    route53 = aws.client("route53")
    zones = route53.list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"]
    if not any(z["Name"].rstrip(".") == ZONE for z in zones):
        route53.create_hosted_zone(Name=ZONE, CallerReference="reliability-%d" % time.time(),
                                   HostedZoneConfig={"Comment": "reliability suite", "PrivateZone": False})


def duplicates(counts):
    """[(region, kind, n)] where a kind has more resources than a converged region holds (EXPECTED_PER_REGION)."""
    return [(region, kind, n) for region, kinds in counts.items() for kind, n in kinds.items()
            if n > max(1, EXPECTED_PER_REGION.get(kind, 1))]


def untagged_owned(census):
    """[(region, kind, id)] of resources that are ours by name but lack the ownership tag."""
    return [(region, kind, item["id"]) for region, kinds in census.items() for kind, items in kinds.items()
            for item in items if not item["owned"]]
