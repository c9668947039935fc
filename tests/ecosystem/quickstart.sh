#!/usr/bin/env bash
# Follows README.md's "My own inventory on the local AWS" literally, from a
# fresh directory outside the checkout: the block between the
# `<!-- quickstart:begin -->` and `<!-- quickstart:end -->` markers runs as it
# is, with only its first line (CHECKOUT=...) pointing at this checkout. Then
# checks what the README promises: the outputs file in ./outputs of that
# directory, every region in it, and the local AWS gone after `make down`.
# Uses LOCALAWS_PORT (default 5500); stops the local AWS on any failure.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
work=$(mktemp -d /tmp/appsync-quickstart.XXXXXX)
trap '"$top/scripts/down.sh" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

block=$(sed -n '/<!-- quickstart:begin -->/,/<!-- quickstart:end -->/p' "$top/README.md" | sed '1,/^```sh$/d; /^```$/,$d')
first=$(head -1 <<< "$block")
case "$first" in
  CHECKOUT=*) ;;
  *) echo "quickstart: the README block must start with CHECKOUT=...; got: $first" >&2; exit 1 ;;
esac
{ echo "CHECKOUT=$top"; tail -n +2 <<< "$block"; } > "$work/quickstart.sh"

cd "$work"
# A new user's shell: none of the checkout's environment.
env -i HOME="$work" PATH=/usr/local/bin:/usr/bin:/bin LOCALAWS_PORT="$LOCALAWS_PORT" TERM=dumb \
  bash -euo pipefail "$work/quickstart.sh" > "$work/quickstart.log" 2>&1 \
  || { cat "$work/quickstart.log"; echo "quickstart: the README's commands failed (log above)" >&2; exit 1; }

fail() { cat "$work/quickstart.log"; echo "quickstart: $*" >&2; exit 1; }
out=$work/my-app/outputs/my-app.json
[ -f "$out" ] || fail "no outputs file at my-app/outputs/my-app.json"
[ "$(stat -c %a "$out")" = 600 ] || fail "outputs file is not mode 0600"
python3 - "$out" <<'PY' || fail "outputs file lacks a region or a key"
import json, sys
doc = json.load(open(sys.argv[1]))
assert sorted(doc["regions"]) == ["eu-west-1", "us-east-1"], doc["regions"].keys()
assert all(r["api_key"] and r["graphql_url"] for r in doc["regions"].values())
PY
grep -q "failed=0" "$work/quickstart.log" || fail "no successful PLAY RECAP"
if grep -q "failed=[1-9]" "$work/quickstart.log"; then fail "a play failed"; fi
[ ! -f "$top/.cache/localaws/$LOCALAWS_PORT.pid" ] || fail "make down left the local AWS running"
echo "quickstart: README commands passed from $work ($(grep -c '^PLAY RECAP' "$work/quickstart.log") playbook runs)"
