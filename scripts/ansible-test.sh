#!/usr/bin/env bash
# Run ansible-test on a copy of this checkout laid out as ansible-test requires:
#   $ANSIBLE_TEST_ROOT/${BUILD_ID:-default}/ansible_collections/multiregion/appsync
#   (a copy, not a symlink) with amazon.aws and community.aws as siblings. It lies
#   outside the checkout: inside it, ansible-test would list files through our git.
# HOME points into that build dir so ansible-test's venvs and caches stay there;
# the pip bootstrap stand-in is put where ansible-test looks first.
# Usage: scripts/ansible-test.sh sanity --venv --python 3.11 ...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
root=${ANSIBLE_TEST_ROOT:-${TMPDIR:-/tmp}/multiregion-appsync-test-$(printf %s "$top" | sha1sum | cut -c1-8)}
build=$root/${BUILD_ID:-default}
tree=$build/ansible_collections
mkdir -p "$build"
# One run per build dir at a time: each run lays the tree anew.
exec 9> "$build.lock"
flock 9
mkdir -p "$tree/multiregion/appsync" "$build/home/.ansible/test/cache"
for dep in amazon/aws community/aws; do
  [ -d "$tree/$dep" ] || { mkdir -p "$tree/$(dirname $dep)"; cp -a ".collections/ansible_collections/$dep" "$tree/$dep"; }
done
# A fresh copy of tracked and untracked-but-not-ignored files, as in the work tree.
rm -rf "$tree/multiregion/appsync"
mkdir -p "$tree/multiregion/appsync"
git ls-files -z --cached --others --exclude-standard | \
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done | \
  xargs -0 -r cp -a --parents -t "$tree/multiregion/appsync/"
# Written per run by scripts/test.sh: the local AWS endpoint for integration targets.
if [ -n "${INTEGRATION_CONFIG:-}" ]; then
  cp "$INTEGRATION_CONFIG" "$tree/multiregion/appsync/tests/integration/integration_config.yml"
fi
for version in 24_2; do
  cp scripts/get_pip_standin.py "$build/home/.ansible/test/cache/get_pip_$version.py"
done
cd "$tree/multiregion/appsync"
export HOME=$build/home
export PATH=$top/.venv/bin:$PATH
exec "$top/.venv/bin/ansible-test" "$@"
