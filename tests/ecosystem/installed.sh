#!/usr/bin/env bash
# The collection installed, not checked out: `ansible-galaxy collection build`,
# the tarball checked for what it must not ship, installed with --offline into a
# fresh collections path that holds only amazon.aws and community.aws (copied
# from .collections: no Galaxy), then `ansible-playbook multiregion.appsync.site`
# (its rerun's zero writes are the molecule default scenario's), `multiregion.appsync.verify` and
# `multiregion.appsync.teardown` (the table too) run from a directory outside the
# checkout against the local AWS (started here on LOCALAWS_PORT, stopped by PID on
# exit). Checks the outputs file lands in that directory, not in the installed
# tree, and that the cycle calls no operation policies/deployer.json was not
# derived from (tests/ecosystem/data/cycle-operations.txt).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
work=$(mktemp -d /tmp/appsync-installed.XXXXXX)
trap '"$top/scripts/localaws-stop" || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
fail() { echo "installed: $*" >&2; exit 1; }
venv=$top/.venv/bin

# A user's environment: no checkout config, no checkout collections.
export HOME=$work/home PATH=$venv:/usr/local/bin:/usr/bin:/bin
unset ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH ANSIBLE_HOME ANSIBLE_ROLES_PATH AWS_PROFILE AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing NO_COLOR=1 ANSIBLE_NOCOLOR=1
mkdir -p "$HOME" "$work/dist" "$work/collections/ansible_collections" "$work/project/inventory/group_vars"

ansible-galaxy collection build "$top" --output-path "$work/dist" > "$work/build.log"
tarball=$(ls "$work"/dist/multiregion-appsync-*.tar.gz)
shipped=$(tar -tzf "$tarball")
for unwanted in localaws/ scripts/ tests/output/ tests/localaws/ ansible.cfg .venv/ .collections/ .cache/ outputs/ docs/site/build/ Makefile; do
  if grep -q "^$unwanted" <<< "$shipped"; then fail "the tarball ships $unwanted"; fi
done
for wanted in playbooks/site.yml playbooks/verify.yml playbooks/teardown.yml roles/outputs/defaults/main.yml \
  plugins/modules/appsync_api.py meta/runtime.yml MANIFEST.json; do
  grep -qx "$wanted" <<< "$shipped" || fail "the tarball lacks $wanted"
done

cp -r "$top/.collections/ansible_collections/amazon" "$top/.collections/ansible_collections/community" \
  "$work/collections/ansible_collections/"
export ANSIBLE_COLLECTIONS_PATH=$work/collections
ansible-galaxy collection install --offline -p "$work/collections" "$tarball" > "$work/install.log" 2>&1 \
  || { cat "$work/install.log"; fail "ansible-galaxy collection install failed"; }
installed=$work/collections/ansible_collections/multiregion/appsync
[ -f "$installed/MANIFEST.json" ] && [ ! -L "$installed" ] || fail "not installed as a collection at $installed"
listed=$(ansible-galaxy collection list multiregion.appsync 2>/dev/null)
grep -qx "# $work/collections/ansible_collections" <<< "$listed" || fail "multiregion.appsync does not resolve to the installed copy"

cd "$work/project"
cat > inventory/hosts.yml <<'YAML'
regions:
  hosts:
    us-east-1: {main: true, geo_location: {continent_code: NA}}
    ap-southeast-2: {geo_location: {country_code: AU}}
YAML
cat > inventory/group_vars/all.yml <<YAML
app_name: installed-test
hosted_zone_name: installed.example
api_domain_name: api.installed.example
aws_endpoint_url: http://127.0.0.1:$LOCALAWS_PORT
YAML
(cd "$top" && scripts/localaws-start > /dev/null)
run() {
  local start=$SECONDS
  "$@" > "$work/run.log" 2>&1 || { cat "$work/run.log"; fail "failed: $*"; }
  echo "installed: $((SECONDS - start)) s: ${*:1:2}"
}
run ansible-playbook -i inventory "$top/scripts/demo-hosted-zone.yml"
log=$top/.cache/localaws/$LOCALAWS_PORT.requests.jsonl
after_zone=$(wc -l < "$log")
run ansible-playbook multiregion.appsync.site -i inventory
out=$work/project/outputs/installed-test.json
[ -f "$out" ] || fail "no outputs file in the working directory ($out)"
[ ! -e "$installed/outputs" ] && [ ! -e "$work/collections/ansible_collections/multiregion/outputs" ] \
  || fail "the run wrote into the installed collection"
python3 -c "import json,sys; assert sorted(json.load(open(sys.argv[1]))['regions']) == ['ap-southeast-2', 'us-east-1']" "$out" \
  || fail "outputs file lacks a region"
run ansible-playbook multiregion.appsync.verify -i inventory
run ansible-playbook multiregion.appsync.teardown -i inventory -e delete_table=true -e confirm_delete_table=installed-test-items
[ ! -f "$out" ] || fail "teardown left the outputs file of its regions"
# The deployer policy is derived from the operations of this cycle: a new one must
# be added to tests/ecosystem/data/cycle-operations.txt and policies/deployer.json.
new_operations=$(tail -n +"$((after_zone + 1))" "$log" | python3 -c '
import json, sys
seen = {"%s:%s" % (e["service"], e["operation"]) for e in map(json.loads, sys.stdin)}
known = {l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")}
print(" ".join(sorted(seen - known)))' "$top/tests/ecosystem/data/cycle-operations.txt")
[ -z "$new_operations" ] || fail "the cycle called operations the deployer policy was not derived from: $new_operations"
echo "installed: built $(basename "$tarball") ($(wc -l <<< "$shipped") files), installed offline, deployed and torn down from $work/project"
