#!/usr/bin/env bash
# `make up INVENTORY=<dir or file>`: bring the local AWS up for any inventory and
# leave it running until `make down`:
#   1. start the local AWS in the background on 127.0.0.1:${LOCALAWS_PORT:-5500}
#      (already running: reused, with its state);
#   2. create the inventory's hosted_zone_name on it (the one prerequisite);
#   3. write the shell environment to use it to .cache/local-aws.env (PATH with
#      .venv/bin, ANSIBLE_CONFIG and ANSIBLE_COLLECTIONS_PATH of this checkout,
#      dummy AWS credentials, LOCAL_AWS=<endpoint URL>) and print it with the
#      playbook commands to run, from any directory.
# A relative INVENTORY is taken from the directory this script is called from.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
inventory=${1:-${INVENTORY:-$top/inventories/local}}
[ -e "$inventory" ] || { echo "up: no inventory at $inventory" >&2; exit 2; }
inventory=$(cd "$(dirname "$inventory")" && pwd)/$(basename "$inventory")
cd "$top"
scripts/bootstrap.sh
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
envfile=$top/.cache/local-aws.env
mkdir -p "$top/.cache"
endpoint=$(scripts/localaws-start)
cat > "$envfile" <<ENV
# The local AWS of $top (written by make up; removed by make down).
export PATH="$top/.venv/bin:\$PATH"
export ANSIBLE_CONFIG="$top/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$top/.collections"
export ANSIBLE_HOME="$top/.cache/ansible-home"
export LOCALAWS_PORT=$LOCALAWS_PORT
export LOCAL_AWS=$endpoint
# The local AWS accepts any credentials, but boto3 needs some to sign requests.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
ENV
# shellcheck source=/dev/null
. "$envfile"
ansible-playbook -i "$inventory" scripts/demo-hosted-zone.yml -e "aws_endpoint_url=$endpoint" > .cache/local-aws.zone.log \
  || { cat .cache/local-aws.zone.log; echo "up: creating the hosted zone failed; the local AWS stays up (make down stops it)" >&2; exit 1; }
cat <<MSG
up: the local AWS runs at $endpoint (pid $(cat ".cache/localaws/$LOCALAWS_PORT.pid")), hosted zone created for $inventory.
up: it keeps running, with its state, until: make -C $top down$([ "$LOCALAWS_PORT" = 5500 ] || echo " LOCALAWS_PORT=$LOCALAWS_PORT")

In your shell (from any directory):
  . $envfile
  ansible-playbook multiregion.appsync.site -i $inventory -e aws_endpoint_url=\$LOCAL_AWS
  ansible-playbook multiregion.appsync.verify -i $inventory -e aws_endpoint_url=\$LOCAL_AWS
  ansible-playbook multiregion.appsync.teardown -i $inventory -e aws_endpoint_url=\$LOCAL_AWS
The outputs file (URLs and API keys) is written to ./outputs/<app_name>.json of the directory you run from.
Request log: curl -s \$LOCAL_AWS/_localaws/requests | python3 -m json.tool
MSG
