#!/usr/bin/env bash
# The collection installed, not checked out: `ansible-galaxy collection build`,
# the tarball checked for what it must not ship, installed with --offline into a
# fresh collections path that holds only amazon.aws and community.aws (copied
# from .collections: no Galaxy), then `ansible-playbook multiregion.appsync.site`
# and `multiregion.appsync.teardown` run from a directory outside the checkout
# against the local AWS (started here on LOCALAWS_PORT, stopped by PID on exit).
# Checks the outputs file lands in that directory, not in the installed tree.
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
  vars:
    ansible_connection: local
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
YAML
cat > inventory/group_vars/all.yml <<YAML
app_name: installed-test
hosted_zone_name: installed.example
api_domain_name: api.installed.example
aws_endpoint_url: http://127.0.0.1:$LOCALAWS_PORT
YAML
(cd "$top" && scripts/localaws-start > /dev/null)
run() { "$@" > "$work/run.log" 2>&1 || { cat "$work/run.log"; fail "failed: $*"; }; }
run ansible-playbook -i inventory "$top/scripts/demo-hosted-zone.yml"
run ansible-playbook multiregion.appsync.site -i inventory
out=$work/project/outputs/installed-test.json
[ -f "$out" ] || fail "no outputs file in the working directory ($out)"
[ ! -e "$installed/outputs" ] && [ ! -e "$work/collections/ansible_collections/multiregion/outputs" ] \
  || fail "the run wrote into the installed collection"
python3 -c "import json,sys; assert sorted(json.load(open(sys.argv[1]))['regions']) == ['ap-southeast-2', 'us-east-1']" "$out" \
  || fail "outputs file lacks a region"
run ansible-playbook multiregion.appsync.teardown -i inventory
[ ! -f "$out" ] || fail "teardown left the outputs file of its regions"
echo "installed: built $(basename "$tarball") ($(wc -l <<< "$shipped") files), installed offline, deployed and torn down from $work/project"
