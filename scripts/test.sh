#!/usr/bin/env bash
# The project's test entry point (`make test` runs `scripts/test.sh all`).
#   scripts/test.sh lint | sanity | units | integration [TARGET...] | molecule [SCENARIO...] | ecosystem | faults [PYTEST ARGS] | all
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

run_lint() {
  echo "== ansible-lint (production profile) and yamllint"
  scripts/lint.sh
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
  if [ $# -eq 0 ] && [ "${INTEGRATION_SHARDS:-2}" -gt 1 ]; then
    run_integration_sharded "${INTEGRATION_SHARDS:-2}"
    return
  fi
  echo "== ansible-test integration against the local AWS ($AWS_ENDPOINT_URL_LOCAL)"
  localaws_up
  export INTEGRATION_CONFIG=$top/.cache/integration_config.$LOCALAWS_PORT.yml
  cat > "$INTEGRATION_CONFIG" <<YAML
---
aws_endpoint_url: $AWS_ENDPOINT_URL_LOCAL
aws_access_key: testing
aws_secret_key: testing
aws_region: us-east-1
resource_prefix: it$(date +%s | tail -c 6)$RANDOM
YAML
  scripts/ansible-test.sh integration --local --python 3.11 --color no "$@"
}

# All targets, dealt round-robin into N shards run side by side, each with its
# own local AWS (port LOCALAWS_PORT+1+i) and ansible-test tree: targets assert on
# the request log, so shards must not share a server. Support targets (setup_*)
# are hidden from ansible-test and run only inside the targets that need them.
run_integration_sharded() {
  local shards=$1 i=0 failed=0 pids=() targets=()
  mapfile -t targets < <(ls tests/integration/targets | grep -v '^setup_')
  mkdir -p .cache/integration
  for ((i = 0; i < shards; i++)); do
    local mine=()
    for ((t = i; t < ${#targets[@]}; t += shards)); do mine+=("${targets[t]}"); done
    echo "== integration shard $i: ${mine[*]}"
    LOCALAWS_PORT=$((LOCALAWS_PORT + 1 + i)) BUILD_ID=integration-$i INTEGRATION_SHARDS=1 \
      scripts/test.sh integration "${mine[@]}" > ".cache/integration/shard-$i.log" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < shards; i++)); do
    if wait "${pids[i]}"; then
      echo "== integration shard $i passed"
      grep -E "^Running .* integration test role|PLAY RECAP|^testhost" ".cache/integration/shard-$i.log" || true
    else
      failed=1
      echo "== integration shard $i FAILED; its log:"
      cat ".cache/integration/shard-$i.log"
    fi
  done
  return $failed
}

run_molecule() {
  echo "== molecule scenarios against the local AWS"
  localaws_up
  scripts/molecule.sh "$@"
}

# The reliability suite (tests/reliability): deployments under faults, lost
# answers, killed runs, bad input, check mode, secrets, data kept, concurrency.
# Its own local AWS on LOCALAWS_PORT (the timeout cases start one on port+1);
# figures go to docs/reliability.md.
run_faults() {
  echo "== reliability suite against the local AWS ($AWS_ENDPOINT_URL_LOCAL); figures in docs/reliability.md"
  localaws_up
  RELIABILITY_FIGURES=docs/reliability.md PYTHONPATH=$top/.collections:$top \
    python -m pytest -q -p no:cacheprovider tests/reliability "$@"
}

# What a user meets outside the checkout: the docs site, the changelog, the
# EE build context, the deployer policy, the README quickstart followed
# literally, and the built collection installed and deployed. Its local AWS
# runs on LOCALAWS_PORT+7 (its own state; the scripts start and stop it).
run_ecosystem() {
  echo "== ecosystem: docs, changelog, execution environment, policy, quickstart, installed collection"
  scripts/docs.sh lint
  antsibull-changelog lint
  # The architecture picture, the EE context (make ee), the deployer policy.
  LOCALAWS_PORT=$((LOCALAWS_PORT + 7)) python -m pytest -q -p no:cacheprovider tests/ecosystem
  LOCALAWS_PORT=$((LOCALAWS_PORT + 7)) tests/ecosystem/quickstart.sh
  LOCALAWS_PORT=$((LOCALAWS_PORT + 7)) tests/ecosystem/installed.sh
}

case "${1:-all}" in
  sanity) shift; run_sanity "$@" ;;
  units) shift; run_units "$@" ;;
  integration) shift; run_integration "$@" ;;
  molecule) shift; run_molecule "$@" ;;
  faults) shift; run_faults "$@" ;;
  lint) shift; run_lint ;;
  ecosystem) shift; run_ecosystem ;;
  all)
    run_lint
    run_sanity
    run_units
    run_integration
    run_molecule
    run_ecosystem
    run_faults
    echo "== all tests passed"
    ;;
  *) echo "usage: $0 lint|sanity|units|integration|molecule|ecosystem|faults|all [ARGS...]" >&2; exit 2 ;;
esac
