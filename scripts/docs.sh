#!/usr/bin/env bash
# `make docs`: the collection's documentation site, built offline with
# antsibull-docs (pinned in requirements.txt) and Sphinx:
#   scripts/docs.sh [build]   RST of every module, filter and role (with examples) and the guides
#                             of docs/docsite into .cache/docs/rst, HTML into docs/site/build/html
#   scripts/docs.sh lint      antsibull-docs lint-collection-docs --plugin-docs (run by make test)
# Sources: docs/site/{conf.py,antsibull-docs.cfg,index.rst}, docs/docsite/ (extra docs, links).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/bootstrap.sh
export PATH=$top/.venv/bin:$PATH ANSIBLE_HOME=$top/.cache/ansible-home
# antsibull-docs copies each dependency with `git ls-files` when it sits inside a
# git work tree, which .collections does (ignored, so nothing would be copied), and
# when a collection is found on two paths, which copy it takes depends on the order
# ansible-galaxy happens to list them in. So the docs see one collections path: copies
# of amazon.aws and community.aws in a repository of their own (no enclosing work
# tree, such as a TMPDIR inside a checkout, can hide their files), and this checkout.
deps=$(mktemp -d)
trap 'rm -rf "$deps"' EXIT
git init -q "$deps"
mkdir -p "$deps/ansible_collections/multiregion"
cp -r .collections/ansible_collections/amazon .collections/ansible_collections/community "$deps/ansible_collections/"
ln -s "$top" "$deps/ansible_collections/multiregion/appsync"
export ANSIBLE_COLLECTIONS_PATH=$deps

case "${1:-build}" in
  lint)
    antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .
    echo "docs: lint-collection-docs clean"
    ;;
  build)
    rst=.cache/docs/rst
    rm -rf "$rst" docs/site/build
    mkdir -p "$rst"
    chmod og-w "$rst"
    cp docs/site/index.rst "$rst/index.rst"
    antsibull-docs --config-file docs/site/antsibull-docs.cfg collection --use-current --fail-on-error \
      --dest-dir "$rst" multiregion.appsync
    sphinx-build -M html "$rst" docs/site/build -c docs/site -q
    echo "docs: open docs/site/build/html/index.html"
    ;;
  *) echo "usage: $0 [build|lint]" >&2; exit 2 ;;
esac
