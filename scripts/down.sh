#!/usr/bin/env bash
# `make down`: stop the local AWS that `make up` started on ${LOCALAWS_PORT:-5500}
# (by its PID; its state goes with it) and remove .cache/local-aws.env if it
# describes that port.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export LOCALAWS_PORT=${LOCALAWS_PORT:-5500}
pidfile=.cache/localaws/$LOCALAWS_PORT.pid
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  state="stopped (its state is gone)"
else
  state="was not running"
fi
scripts/localaws-stop
if grep -qx "export LOCALAWS_PORT=$LOCALAWS_PORT" .cache/local-aws.env 2>/dev/null; then
  rm -f .cache/local-aws.env .cache/local-aws.zone.log
fi
echo "down: the local AWS on port $LOCALAWS_PORT $state"
