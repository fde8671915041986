#!/bin/bash
# Stops and removes the WireFX launchd job (tunnels go down, their network changes are undone). Keeps the
# tunnels in /Library/Application Support/WireFX/tunnels and the groups unless --purge is given.
set -eu
[ "$(id -u)" = 0 ] || { echo "run with sudo" >&2; exit 1; }
label=io.wirefx.service
launchctl bootout "system/$label" 2>/dev/null || true
rm -f "/Library/LaunchDaemons/$label.plist"
if [ "${1:-}" = --purge ]; then
  rm -rf "/Library/Application Support/WireFX" /Library/Logs/WireFX
  dseditgroup -o delete wirefx 2>/dev/null || true
  dseditgroup -o delete wirefx-admin 2>/dev/null || true
fi
