#!/usr/bin/env bash
# `make ee`: the execution environment's build context, offline: this collection
# built (ansible-galaxy collection build) into .cache/ee-collection, then
# `ansible-builder create` of execution-environment.yml into .cache/ee
# (Containerfile, _build/requirements.txt, requirements.yml, the tarball).
# No image is built: that needs a container engine (podman build -f .cache/ee/Containerfile .cache/ee).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export PATH=$top/.venv/bin:$PATH ANSIBLE_HOME=$top/.cache/ansible-home
rm -rf .cache/ee .cache/ee-collection
mkdir -p .cache/ee-collection
ansible-galaxy collection build . --output-path .cache/ee-collection > /dev/null
mv .cache/ee-collection/multiregion-appsync-*.tar.gz .cache/ee-collection/multiregion-appsync.tar.gz
ansible-builder create -f execution-environment.yml -c .cache/ee --output-filename Containerfile
echo "ee: build context in .cache/ee (podman build -f .cache/ee/Containerfile -t multiregion-appsync-ee .cache/ee)"
