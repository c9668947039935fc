#!/usr/bin/env bash
# ansible-lint (production profile, offline) and yamllint over the checkout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export PATH=$top/.venv/bin:$PATH
export ANSIBLE_COLLECTIONS_PATH=$top/.collections
export ANSIBLE_HOME=$top/.cache/ansible-home
yamllint -s .
ansible-lint --offline -c .ansible-lint
