"""`make bench`: how long users wait, as ratios to a plain-boto3 floor (a benchmark, never a test).

For 1, 3, 5 and 8 regions, on a fresh local AWS each time: a cold site.yml, a
no-op rerun, and scripts/bench_floor.py (the same resources, plain boto3) in the
same run on the same server; module invocations (a callback), AWS calls, reads
and writes (the request log) and wall time of each, median of --repeats runs.
Then the critical path with modelled AWS waits (certificate 30 s, replica 60 s,
Route53 change 10 s) against the inherent chain (table, then replicas one after
another). Writes docs/performance.md (or --output).

    .venv/bin/python scripts/bench.py [--sizes 1,3,5,8] [--repeats 3] [--no-waits]
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import urllib.request

import boto3

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(TOP, ".cache", "bench")
# Eight regions on distinct, non-overlapping locations; the first is the main one.
REGIONS = [
    ("us-east-1", "continent", "NA"), ("eu-central-1", "continent", "EU"), ("ap-southeast-2", "country", "AU"),
    ("sa-east-1", "continent", "SA"), ("ap-northeast-1", "country", "JP"), ("ap-south-1", "country", "IN"),
    ("af-south-1", "continent", "AF"), ("eu-west-1", "country", "IE"),
]
ZONE = "example.com"
WAITS = {"acm": 30, "replica": 60, "route53": 10}
# docs/performance.md from this heading on is written by hand (the changes and
# their measured effect): a new run keeps it.
KEPT_HEADING = "## Changes and their effect"


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd, env=None, log=None, check=True):
    """(wall seconds, CPU seconds of the command and its children)."""
    began, cpu = time.time(), children_cpu()
    with open(log or os.devnull, "w", encoding="utf-8") as out:
        code = subprocess.call(cmd, cwd=TOP, env=env, stdout=out, stderr=subprocess.STDOUT)
    if check and code:
        raise SystemExit("bench: %s failed (exit %d), see %s" % (" ".join(cmd[:3]), code, log))
    return time.time() - began, children_cpu() - cpu


class LocalAws:
    """One fresh local AWS on its own port, with the modelled waits given."""

    def __init__(self, port, waits=None):
        self.port = port
        self.endpoint = "http://127.0.0.1:%d" % port
        self.env = dict(os.environ, LOCALAWS_PORT=str(port), AWS_ACCESS_KEY_ID="testing",
                        AWS_SECRET_ACCESS_KEY="testing")
        if waits:
            self.env.update(MOTO_ACM_VALIDATION_WAIT=str(waits["acm"]),
                            LOCALAWS_DYNAMODB_REPLICA_DELAY=str(waits["replica"]),
                            LOCALAWS_ROUTE53_CHANGE_DELAY=str(waits["route53"]))
        self.env.pop("AWS_PROFILE", None)

    def __enter__(self):
        run(["scripts/localaws-start"], env=self.env)
        return self

    def __exit__(self, *_):
        run(["scripts/localaws-stop"], env=self.env, check=False)

    def requests(self, since=0):
        with urllib.request.urlopen("%s/_localaws/requests?since=%d" % (self.endpoint, since)) as answer:
            return json.load(answer)

    def make_zone(self, name):
        boto3.client("route53", region_name="us-east-1", endpoint_url=self.endpoint, aws_access_key_id="testing",
                     aws_secret_access_key="testing").create_hosted_zone(Name=name, CallerReference=name)


def write_inventory(path, size, app):
    os.makedirs(os.path.join(path, "group_vars"), exist_ok=True)
    lines = ["---", "regions:", "  hosts:"]
    for index, (region, kind, code) in enumerate(REGIONS[:size]):
        lines.append("    %s:" % region)
        if index == 0:
            lines.append("      main: true")
        lines.append("      geo_location: {%s_code: %s}" % (kind, code))
    with open(os.path.join(path, "hosts.yml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    with open(os.path.join(path, "group_vars", "all.yml"), "w", encoding="utf-8") as handle:
        handle.write("---\napp_name: %s\nhosted_zone_name: %s\napi_domain_name: api.%s\n"
                     "aws_endpoint_url: \"http://127.0.0.1:{{ lookup('ansible.builtin.env', 'LOCALAWS_PORT') }}\"\n"
                     % (app, ZONE, ZONE))


def measure(aws, label, cmd, env, log):
    """Wall time, calls, reads and writes of one command against the server."""
    since = aws.requests()["count"]
    counts = os.path.join(CACHE, label + ".counts.json")
    env = dict(env, MODULE_COUNTS_FILE=counts)
    wall, cpu = run(cmd, env=env, log=log)
    entries = aws.requests(since)["entries"]
    result = {"wall": wall, "cpu": cpu, "calls": len(entries),
              "reads": sum(1 for e in entries if e["access"] == "read"),
              "writes": sum(1 for e in entries if e["access"] == "write")}
    if os.path.exists(counts):
        with open(counts, encoding="utf-8") as handle:
            result["modules"] = json.load(handle)["modules"]
        os.unlink(counts)
    return result


def playbook_env(aws):
    return dict(aws.env, ANSIBLE_CONFIG=os.path.join(TOP, "ansible.cfg"),
                ANSIBLE_HOME=os.path.join(TOP, ".cache", "ansible-home"),
                ANSIBLE_CALLBACK_PLUGINS=os.path.join(TOP, "scripts", "bench_callback"),
                ANSIBLE_CALLBACKS_ENABLED="module_counts",
                PATH=os.path.join(TOP, ".venv", "bin") + os.pathsep + os.environ.get("PATH", ""))


def one_size(size, repeat, port):
    """Cold deploy, no-op rerun and the boto3 floor for `size` regions on one fresh server."""
    app = "bench%d" % size
    inventory = os.path.join(CACHE, "inventory-%d" % size)
    write_inventory(inventory, size, app)
    site = [os.path.join(TOP, ".venv", "bin", "ansible-playbook"), "-i", inventory, "playbooks/site.yml"]
    with LocalAws(port) as aws:
        aws.make_zone(ZONE)
        aws.make_zone("floor." + ZONE)
        env = playbook_env(aws)
        log = os.path.join(CACHE, "%d-%d" % (size, repeat))
        cold = measure(aws, "cold", site, env, log + "-cold.log")
        noop = measure(aws, "noop", site, env, log + "-noop.log")
        latency = query_latency(aws, REGIONS[:size])
        hosts = ["%s:%s=%s" % (region, kind, code) for region, kind, code in REGIONS[:size]]
        floor = measure(aws, "floor", [sys.executable, "scripts/bench_floor.py", aws.endpoint, "floor%d" % size,
                                       "floor." + ZONE] + hosts, aws.env, log + "-floor.log")
    return {"cold": cold, "noop": noop, "floor": floor, "latency": latency}


def query_latency(aws, regions, count=30):
    """Latency of GraphQL queries through the global hostname, as clients in each region's location."""
    seconds = []
    for index in range(count):
        _region, kind, code = regions[index % len(regions)]
        request = urllib.request.Request(
            aws.endpoint + "/graphql", data=json.dumps({"query": "{ listItems(limit: 1) { items { id } } }"}).encode(),
            headers={"Host": "api." + ZONE, "Content-Type": "application/json",
                     "x-localaws-location": "%s=%s" % (kind, code)}, method="POST")
        began = time.time()
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()
        seconds.append(time.time() - began)
    seconds.sort()
    return {"median_ms": 1000 * statistics.median(seconds), "p95_ms": 1000 * seconds[int(0.95 * (len(seconds) - 1))]}


def median_of(runs, phase, key):
    return statistics.median(r[phase][key] for r in runs if key in r[phase])


def with_waits(size, port):
    """Cold deploy under modelled AWS waits, against the inherent chain."""
    app = "waits%d" % size
    inventory = os.path.join(CACHE, "inventory-waits-%d" % size)
    write_inventory(inventory, size, app)
    site = [os.path.join(TOP, ".venv", "bin", "ansible-playbook"), "-i", inventory, "playbooks/site.yml"]
    with LocalAws(port, WAITS) as aws:
        aws.make_zone(ZONE)
        env = playbook_env(aws)
        cold = measure(aws, "waits-cold", site, env, os.path.join(CACHE, "waits-cold.log"))
        noop = measure(aws, "waits-noop", site, env, os.path.join(CACHE, "waits-noop.log"))
    chain = WAITS["replica"] * (size - 1)
    return {"size": size, "cold": cold, "noop": noop, "chain": chain, "bound": chain + noop["wall"]}


def versions():
    def version(module):
        try:
            return __import__(module).__version__
        except (ImportError, AttributeError):
            return "?"
    import ansible.release  # pylint: disable=import-outside-toplevel

    return "ansible-core %s, moto %s, boto3 %s, Python %s" % (
        ansible.release.__version__, version("moto"), version("boto3"), platform.python_version())


def render(results, waits, repeats):
    rows = []
    for size, runs in sorted(results.items()):
        floor = median_of(runs, "floor", "wall")
        cold, noop = median_of(runs, "cold", "wall"), median_of(runs, "noop", "wall")
        resources = median_of(runs, "floor", "writes")
        rows.append("| %d | %.1f s | %.1f s (%.1fx) | %.1f s (%.1fx) | %d / %d / %d | %d / %d / %d | %.2f |" % (
            size, floor, cold, cold / floor, noop, noop / floor,
            median_of(runs, "cold", "modules"), median_of(runs, "cold", "reads"), median_of(runs, "cold", "writes"),
            median_of(runs, "noop", "modules"), median_of(runs, "noop", "reads"), median_of(runs, "noop", "writes"),
            median_of(runs, "noop", "reads") / resources))
    sizes = sorted(results)
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (scripts/bench.py) on %s, %d cores, %s; %s. Median of %d run(s) per size, each"
        " on a fresh local AWS. The floor is scripts/bench_floor.py: the same resources made with plain boto3, one"
        " call after another, on the same server in the same run. A benchmark, never a test: these figures are not"
        " asserted anywhere." % (datetime.date.today().isoformat(), os.cpu_count(), platform.platform(terse=True),
                                 versions(), repeats),
        "",
        "| regions | boto3 floor | cold site.yml (x floor) | no-op rerun (x floor) | cold: modules / reads / writes"
        " | no-op: modules / reads / writes | no-op reads per resource |",
        "|---|---|---|---|---|---|---|",
    ] + rows
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        lines += ["", "wall(%d regions) / wall(%d region): cold %.2f, no-op %.2f." % (
            last, first, median_of(results[last], "cold", "wall") / median_of(results[first], "cold", "wall"),
            median_of(results[last], "noop", "wall") / median_of(results[first], "noop", "wall"))]
    lines += ["", "GraphQL through the global hostname (30 `listItems` queries after the no-op rerun, clients in each"
              " region's location in turn; global hostname -> Route53 records -> that region's proxy -> AppSync ->"
              " DynamoDB, all in the local AWS): " + "; ".join(
                  "%d region(s): median %.1f ms, p95 %.1f ms" % (size, median_of(runs, "latency", "median_ms"),
                                                                 median_of(runs, "latency", "p95_ms"))
                  for size, runs in sorted(results.items()) if all("latency" in r for r in runs)) + "."]
    lines += ["", "Resources per deployment = the floor's write calls (one per resource it makes); the no-op reads"
              " per resource divide the rerun's read calls by that number."]
    lines += ["", "Where the time goes: CPU seconds of ansible-playbook and every process it started (its forked"
              " workers and the module runs; the local AWS not included), on %d cores." % os.cpu_count(), "",
              "| regions | cold: wall / CPU | no-op: wall / CPU | no-op CPU per module run |", "|---|---|---|---|"]
    lines += ["| %d | %.1f s / %.1f s | %.1f s / %.1f s | %.2f s |" % (
        size, median_of(runs, "cold", "wall"), median_of(runs, "cold", "cpu"), median_of(runs, "noop", "wall"),
        median_of(runs, "noop", "cpu"), median_of(runs, "noop", "cpu") / median_of(runs, "noop", "modules"))
        for size, runs in sorted(results.items()) if all("cpu" in r["noop"] for r in runs)]
    if waits:
        lines += [
            "",
            "## With modelled AWS waits (%d regions)" % waits["size"],
            "",
            "The local AWS issues a certificate %d s after its validation record exists, makes a replica ACTIVE %d s"
            " after it is requested, and reports a Route53 change INSYNC after %d s. The inherent chain is the"
            " replicas, one after another as AWS requires (%d x %d s = %d s); the bound is that chain plus one no-op"
            " rerun (%.1f s)." % (
                WAITS["acm"], WAITS["replica"], WAITS["route53"], waits["size"] - 1,
                WAITS["replica"], waits["chain"], waits["noop"]["wall"]),
            "",
            "| cold site.yml | inherent chain | chain + no-op rerun | cold / bound |",
            "|---|---|---|---|",
            "| %.1f s | %d s | %.1f s | %.2f |" % (
                waits["cold"]["wall"], waits["chain"], waits["bound"], waits["cold"]["wall"] / waits["bound"]),
        ]
    return "\n".join(lines) + "\n"


def kept_sections(path):
    """The hand-written part of an earlier output (from KEPT_HEADING on), which a new run keeps."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return ""
    start = text.find(KEPT_HEADING)
    return "\n" + text[start:] if start >= 0 else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="1,3,5,8")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALAWS_PORT", "5590")))
    parser.add_argument("--waits-size", type=int, default=3)
    parser.add_argument("--no-waits", action="store_true")
    parser.add_argument("--output", default=os.path.join(TOP, "docs", "performance.md"))
    args = parser.parse_args(argv)
    os.makedirs(CACHE, exist_ok=True)
    results = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        results[size] = []
        for repeat in range(args.repeats):
            results[size].append(one_size(size, repeat, args.port))
            print("bench: %d region(s), run %d: %s" % (size, repeat + 1, json.dumps(results[size][-1])), flush=True)
    waits = None if args.no_waits else with_waits(args.waits_size, args.port)
    if waits:
        print("bench: modelled waits: %s" % json.dumps(waits), flush=True)
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    kept = kept_sections(args.output)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(render(results, waits, args.repeats) + kept)
    with open(os.path.join(CACHE, "results.json"), "w", encoding="utf-8") as handle:
        json.dump({"sizes": results, "waits": waits}, handle, indent=1)
    print("bench: wrote %s" % args.output)


if __name__ == "__main__":
    main()
