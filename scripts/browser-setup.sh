#!/usr/bin/env bash
# The browser of the example page's test: Debian's `chromium`, installed when
# missing (apt-get update once, then apt-get install -y chromium; as root, or
# through sudo). Prints the browser's path. Fails, and so fails the test, when
# it cannot be installed: the test is never skipped.
set -euo pipefail
find_browser() { command -v chromium || command -v chromium-browser; }
if find_browser; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo > /dev/null || { echo "browser-setup: chromium is missing and installing it needs root (or sudo)" >&2; exit 1; }
  sudo=sudo
fi
echo "browser-setup: installing the Debian package chromium" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
find_browser || { echo "browser-setup: chromium is still missing after apt-get install" >&2; exit 1; }
