#!/usr/bin/env bash
# better-sqlite3 has no prebuilt binary reachable here (only the npm registry is), so `npm ci`
# compiles it: that needs python3, make and a C++ compiler. Installs them when missing and apt-get
# is usable; otherwise says how.
set -euo pipefail
command -v python3 >/dev/null 2>&1 && command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing python3, make and g++ to build better-sqlite3…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 make g++ >/dev/null
  exit 0
fi
echo "npm ci builds better-sqlite3 from source: run 'sudo apt-get install python3 make g++'." >&2
exit 1
