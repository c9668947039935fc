#!/usr/bin/env bash
# The end of `make demo`: GraphQL through the global hostname as clients in
# three places, each answer printed with the region that served it.
#   scripts/demo-queries.sh LOCAL_ENDPOINT OUTPUTS_FILE
# A write as a client in Europe; the same item read as a client in Australia
# (another region, after replication: retried for at most
# DEMO_REPLICATION_TIMEOUT seconds, default 30); the items listed as a client in
# California. Exits non-zero when a call fails or the item never shows up.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
endpoint=$1 outputs=$2
timeout=${DEMO_REPLICATION_TIMEOUT:-30}
python=$top/.venv/bin/python
global_url=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["global_url"])' "$outputs")
id="demo-$(date +%s)"

call() {  # call LOCATION QUERY VARIABLES -> one JSON line {status, region, answer}
  "$python" "$top/examples/client/graphql_query.py" "$global_url" "$2" --variables "$3" \
    --local-endpoint "$endpoint" --location "$1"
}

show() {  # show WHO JSON_LINE
  "$python" -c 'import json, sys; r = json.loads(sys.argv[2]); print("demo: %s -> answered by %s: %s" % (sys.argv[1], r["region"], json.dumps(r["answer"])))' "$1" "$2"
}

echo "demo: GraphQL through the global hostname $global_url (local AWS at $endpoint)"
written=$(call continent=EU 'mutation Put($input: PutItemInput!) { putItem(input: $input) { id name updatedAt } }' \
  "{\"input\": {\"id\": \"$id\", \"name\": \"written by a client in Europe\"}}")
show "a client in Europe writes item $id" "$written"

deadline=$((SECONDS + timeout))
while true; do
  read=$(call country=AU 'query Get($id: ID!) { getItem(id: $id) { id name } }' "{\"id\": \"$id\"}" || true)
  if grep -q "\"id\": \"$id\"" <<< "$read"; then break; fi
  if [ $SECONDS -ge $deadline ]; then
    show "a client in Australia reads item $id (not replicated within ${timeout} s)" "$read"
    exit 1
  fi
  sleep 1
done
show "a client in Australia reads item $id" "$read"

listed=$(call "country=US;subdivision=CA" 'query List { listItems(limit: 5) { items { id name } } }' '{}')
show "a client in California lists items" "$listed"
