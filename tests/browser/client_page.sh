#!/usr/bin/env bash
# The example client page (examples/client/index.html) in headless Chromium
# against a deployment on the local data plane (the molecule `dataplane`
# scenario runs it in its verify step):
#   tests/browser/client_page.sh LOCAL_ENDPOINT GLOBAL_HOST LOCATION REGION ALLOWED_PORT REFUSED_PORT
# The page is served from http://127.0.0.1:ALLOWED_PORT (an origin in the
# proxy's CORS allow-list) and calls http://GLOBAL_HOST.localhost:<port>/graphql
# as a client in LOCATION: the preflight must pass, a mutation and a query must
# round-trip, answered by REGION. Served from REFUSED_PORT (not allowed), the
# same page must get no answer it may read. The DOMs and a screenshot are kept
# in tests/output/browser/. Chromium is installed when missing
# (scripts/browser-setup.sh); when it cannot be, this test fails.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
endpoint=$1 host=$2 location=$3 region=$4 allowed_port=$5 refused_port=$6
out=$top/tests/output/browser
mkdir -p "$out"
chromium=$("$top/scripts/browser-setup.sh")
python=$top/.venv/bin/python
profile=$(mktemp -d)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$profile"
}
trap cleanup EXIT

for port in "$allowed_port" "$refused_port"; do
  "$python" -m http.server --bind 127.0.0.1 --directory "$top/examples/client" "$port" > "$out/server-$port.log" 2>&1 &
  servers+=($!)
done
for i in 0 1; do  # each server up and serving this page (not some other program on that port)
  port=$([ $i -eq 0 ] && echo "$allowed_port" || echo "$refused_port")
  for _ in $(seq 1 50); do
    kill -0 "${servers[i]}" 2> /dev/null || { echo "browser: FAILED: cannot serve the page on 127.0.0.1:$port:"; cat "$out/server-$port.log"; exit 1; }
    "$python" -c 'import sys, urllib.request
page = urllib.request.urlopen("http://127.0.0.1:%s/index.html" % sys.argv[1], timeout=1).read()
sys.exit(b"multiregion.appsync example client" not in page)' "$port" 2> /dev/null && break
    sleep 0.2
  done
done

page_url() {  # page_url PORT
  "$python" -c 'import sys; from urllib.parse import urlencode, urlsplit
endpoint, host, location, port = sys.argv[1:5]
graphql = "http://%s.localhost:%s/graphql" % (host, urlsplit(endpoint).port)
print("http://127.0.0.1:%s/index.html?%s" % (port, urlencode({"url": graphql, "location": location, "run": "1"})))' \
    "$endpoint" "$host" "$location" "$1"
}

browse() {  # browse URL CHROMIUM_ARGS...
  local url=$1
  shift
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --disable-dev-shm-usage --user-data-dir="$profile" --virtual-time-budget=20000 "$@" "$url" \
    2> "$out/chromium.log"
}

allowed=$(page_url "$allowed_port")
browse "$allowed" --dump-dom > "$out/allowed-origin.html"
browse "$allowed" --screenshot="$out/client-page.png" --window-size=1000,1000 > /dev/null
browse "$(page_url "$refused_port")" --dump-dom > "$out/refused-origin.html"

failed=0
check() {  # check FILE PATTERN WHAT
  if grep -q -- "$2" "$1"; then echo "browser: ok: $3"; else echo "browser: FAILED: $3 (no '$2' in $1)"; failed=1; fi
}
check "$out/allowed-origin.html" 'data-result="ok"' "from an allowed origin, the preflight passed and a mutation and a query round-tripped"
check "$out/allowed-origin.html" "data-region=\"$region\"" "answered by $region as a client in $location"
check "$out/allowed-origin.html" 'data-step="put" data-status="200"' "the mutation's answer was readable (HTTP 200)"
check "$out/refused-origin.html" 'data-result="failed"' "from a refused origin, the page got no answer"
check "$out/refused-origin.html" 'data-status="blocked"' "the browser blocked it (CORS)"
[ -s "$out/client-page.png" ] && echo "browser: screenshot $out/client-page.png" || { echo "browser: FAILED: no screenshot"; failed=1; }
exit $failed
