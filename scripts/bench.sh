#!/usr/bin/env bash
# Benchmark (never a test): converge the local inventory on a fresh local AWS,
# then converge again, then again under injected throttling; report wall time,
# AWS calls and write calls of each run from the local AWS's request log.
#   scripts/bench.sh [FAULT_RATE]   (default 0.2)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export PATH=$top/.venv/bin:$PATH
export LOCALAWS_PORT=${LOCALAWS_PORT:-5590}
export ANSIBLE_CONFIG=$top/ansible.cfg ANSIBLE_HOME=$top/.cache/ansible-home
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
fault_rate=${1:-0.2}
endpoint=$(scripts/localaws-start)
trap 'scripts/localaws-stop' EXIT
out=.cache/bench
mkdir -p "$out"

count() { python -c "import json,sys,urllib.request; print(json.load(urllib.request.urlopen('$endpoint/_localaws/requests'))['count'])"; }
summary() {
  python - "$endpoint" "$1" <<'PY'
import collections, json, sys, urllib.request
entries = json.load(urllib.request.urlopen(sys.argv[1] + "/_localaws/requests?since=" + sys.argv[2]))["entries"]
writes = collections.Counter(e["service"] + ":" + e["operation"] for e in entries if e["access"] == "write" and not e["fault"])
faults = sum(1 for e in entries if e["fault"])
print("calls=%d writes=%d faults_injected=%d %s" % (len(entries), sum(writes.values()), faults, dict(writes) if writes else ""))
PY
}
run() {
  local label=$1; shift
  local start; start=$(count)
  local began; began=$(date +%s%N)
  ansible-playbook -i inventories/local playbooks/site.yml "$@" > "$out/$label.log" 2>&1 || { echo "$label: FAILED (see $out/$label.log)"; tail -20 "$out/$label.log"; exit 1; }
  printf '%-26s %6.1f s  %s\n' "$label" "$(( ($(date +%s%N) - began) / 1000000 ))e-3" "$(summary "$start")"
}

ansible-playbook scripts/demo-hosted-zone.yml > "$out/zone.log" 2>&1
run first-converge
run second-converge
python -c "import json,urllib.request; urllib.request.urlopen(urllib.request.Request('$endpoint/_localaws/config', data=json.dumps({'fault_rate': $fault_rate, 'fault_kind': 'throttle', 'seed': 42}).encode(), method='POST'))"
run "converge-throttled-$fault_rate"
