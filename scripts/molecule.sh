#!/usr/bin/env bash
# Run the molecule scenarios under extensions/molecule against the local AWS that
# scripts/test.sh started (LOCALAWS_PORT). Molecule's summary table can say
# "Successful" for a failed step, so only its exit code is trusted, per scenario.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/extensions"
export PATH=$top/.venv/bin:$PATH
export ANSIBLE_CONFIG=$top/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH=$top/.collections
export ANSIBLE_HOME=$top/.cache/ansible-home
export MOLECULE_EPHEMERAL_DIRECTORY_BASE=$top/.cache/molecule
# The scenarios read the outputs file where a checkout writes it.
export APPSYNC_OUTPUTS_DIR=$top/outputs
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
# Plain output in logs (CI reads them as text).
export NO_COLOR=1 PY_COLORS=0 ANSIBLE_NOCOLOR=1
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
  for dir in molecule/*/molecule.yml; do
    [ -e "$dir" ] && scenarios+=("$(basename "$(dirname "$dir")")")
  done
fi
if [ ${#scenarios[@]} -eq 0 ]; then
  echo "molecule: no scenarios under extensions/molecule yet"
  exit 0
fi
failed=()
for scenario in "${scenarios[@]}"; do
  echo "-- molecule test -s $scenario"
  start=$SECONDS
  molecule test -s "$scenario" || failed+=("$scenario")
  echo "-- molecule test -s $scenario: $((SECONDS - start)) s"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "molecule: failed scenarios: ${failed[*]}" >&2
  exit 1
fi
echo "molecule: ${#scenarios[@]} scenario(s) passed: ${scenarios[*]}"
