#!/usr/bin/env bash
# The project's test entry point (`make test` runs `scripts/test.sh all`).
#   scripts/test.sh sanity | units | integration [TARGET...] | molecule [SCENARIO...] | all
# Integration and molecule runs start a local AWS on 127.0.0.1:${LOCALAWS_PORT:-5500}
# and stop it (by PID) on exit. Exits non-zero on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
export AWS_ENDPOINT_URL_LOCAL="http://127.0.0.1:$LOCALAWS_PORT"
export PATH=$top/.venv/bin:$PATH
started=""

localaws_up() {
  [ -n "$started" ] && return 0
  scripts/localaws-start > /dev/null
  started=yes
  trap 'scripts/localaws-stop' EXIT
}

run_sanity() {
  echo "== ansible-test sanity"
  scripts/ansible-test.sh sanity --venv --python 3.11 --color no "$@"
}

run_units() {
  echo "== pytest: unit tests and the local AWS's own tests"
  localaws_up
  PYTHONPATH=$top/.collections:$top python -m pytest -q -p no:cacheprovider tests/unit tests/localaws "$@"
}

run_integration() {
  echo "== ansible-test integration against the local AWS ($AWS_ENDPOINT_URL_LOCAL)"
  localaws_up
  cat > tests/integration/integration_config.yml <<YAML
---
aws_endpoint_url: $AWS_ENDPOINT_URL_LOCAL
aws_access_key: testing
aws_secret_key: testing
aws_region: us-east-1
resource_prefix: it$(date +%s | tail -c 6)$RANDOM
YAML
  scripts/ansible-test.sh integration --local --python 3.11 --color no "$@"
}

run_molecule() {
  echo "== molecule scenarios against the local AWS"
  localaws_up
  scripts/molecule.sh "$@"
}

case "${1:-all}" in
  sanity) shift; run_sanity "$@" ;;
  units) shift; run_units "$@" ;;
  integration) shift; run_integration "$@" ;;
  molecule) shift; run_molecule "$@" ;;
  all)
    run_sanity
    run_units
    run_integration
    run_molecule
    echo "== all tests passed"
    ;;
  *) echo "usage: $0 sanity|units|integration|molecule|all [ARGS...]" >&2; exit 2 ;;
esac
