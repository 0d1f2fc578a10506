#!/usr/bin/env bash
# Node 24 beside the machine's Node, from the npm registry's `node` package, which brings the real
# binary with its headers (shared/platform.md). Installs NODE24_VERSION (default: the newest 24.x)
# into NODE24_PREFIX (default /opt/node24) unless a matching version is already there, and prints
# its home directory: "$home/bin" goes first in PATH, and npm_config_nodedir="$home" makes native
# modules build against its headers.
set -euo pipefail
version="${NODE24_VERSION:-24}"
prefix="${NODE24_PREFIX:-/opt/node24}"

case "$version" in
  24 | 24.*) ;;
  *) echo "NODE24_VERSION must be 24 or a 24.x version, not '$version'." >&2; exit 1 ;;
esac

home_in_prefix() {
  local homes=("$prefix"/node_modules/node/node_modules/node-linux-*)
  if [ -x "${homes[0]}/bin/node" ]; then echo "${homes[0]}"; fi
}

# "24" accepts any v24.x; "24.18" any v24.18.x; "24.18.1" only itself.
matches_version() {
  local installed
  installed="$("$1/bin/node" --version 2>/dev/null)" || return 1
  [ "$installed" = "v$version" ] || [[ "$installed" == "v$version".* ]]
}

home="$(home_in_prefix)"
if [ -z "$home" ] || ! matches_version "$home"; then
  echo "Installing Node $version into $prefix…" >&2
  mkdir -p "$prefix"
  (
    cd "$prefix"
    [ -f package.json ] || echo '{ "private": true }' >package.json
    # The package's preinstall script links in the platform binary; newer npm runs approved scripts only.
    npm pkg set allowScripts.node=true --json >&2
    npm install --no-audit --no-fund "node@$version" >&2
  )
  home="$(home_in_prefix)"
fi
if [ -z "$home" ] || ! matches_version "$home" || [ ! -f "$home/include/node/node.h" ]; then
  echo "Node $version is not usable in $prefix (binary or headers missing); remove $prefix and run this again." >&2
  exit 1
fi
echo "$home"
