#!/usr/bin/env bash
# Create .venv (pinned Python deps) and .collections (amazon.aws and community.aws
# from the pinned `ansible` wheel, plus this checkout as multiregion.appsync).
# Idempotent: does nothing when both are already in place for the current pins.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSIBLE_WHEEL_VERSION=12.3.0
PYTHON=${PYTHON:-python3}
stamp=.venv/.bootstrap-$(cat requirements.txt constraints.txt | sha1sum | cut -c1-12)-$ANSIBLE_WHEEL_VERSION

if [ ! -f "$stamp" ]; then
  echo "bootstrap: creating .venv (pinned requirements)"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt 2> >(grep -v "^WARNING: Location" >&2)
  rm -f .venv/.bootstrap-*
  rm -rf .collections/ansible_collections/amazon .collections/ansible_collections/community
fi

if [ ! -d .collections/ansible_collections/amazon/aws ] || [ ! -d .collections/ansible_collections/community/aws ]; then
  echo "bootstrap: extracting amazon.aws and community.aws from ansible==$ANSIBLE_WHEEL_VERSION"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  .venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps -d "$tmp" "ansible==$ANSIBLE_WHEEL_VERSION" 2> >(grep -v "^WARNING: Location" >&2)
  .venv/bin/python - "$tmp" <<'PY'
import glob
import sys
import zipfile

wheel = zipfile.ZipFile(glob.glob(sys.argv[1] + "/ansible-*.whl")[0])
wanted = ("ansible_collections/amazon/aws/", "ansible_collections/community/aws/")
wheel.extractall(".collections", [n for n in wheel.namelist() if n.startswith(wanted)])
PY
fi

mkdir -p .collections/ansible_collections/multiregion
ln -sfn ../../.. .collections/ansible_collections/multiregion/appsync
touch "$stamp"
