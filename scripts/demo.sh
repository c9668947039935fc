#!/usr/bin/env bash
# `make demo`: start the local AWS, create the hosted zone the deployment expects,
# run playbooks/site.yml over inventories/local (three regions), print the outputs,
# stop the local AWS (by PID), whatever happened.
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
ansible-playbook scripts/demo-hosted-zone.yml
ansible-playbook -i inventories/local playbooks/site.yml "$@"
echo "demo: done; the local AWS stops now (its state goes with it)"
