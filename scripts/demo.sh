#!/usr/bin/env bash
# `make demo`: start the local AWS, create the hosted zone the deployment expects
# (the one prerequisite), run playbooks/site.yml over inventories/local (three
# regions on three continents), whose last play prints every region's URLs and
# the continent/country -> region map and writes outputs/<app_name>.json (0600,
# with the API keys); then stop the local AWS (by PID), whatever happened.
# Extra arguments go to ansible-playbook (e.g. -v, --check, --limit eu-central-1).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export PATH=$top/.venv/bin:$PATH
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
export ANSIBLE_CONFIG=$top/ansible.cfg
export ANSIBLE_HOME=$top/.cache/ansible-home
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
unset AWS_PROFILE AWS_SESSION_TOKEN
endpoint=$(scripts/localaws-start)
trap 'scripts/localaws-stop' EXIT
echo "demo: local AWS at $endpoint"
start=$SECONDS
ansible-playbook -i inventories/local scripts/demo-hosted-zone.yml
ansible-playbook -i inventories/local playbooks/site.yml "$@"
echo "demo: deployed in $((SECONDS - start)) s; URLs and API keys in outputs/appsync-demo.json (mode 0600)"
echo "demo: done; the local AWS stops now (its state goes with it); to keep one up: make up INVENTORY=..."
