#!/bin/sh
# Removes WireFX from this Mac: stops and unloads the service (its tunnels go down), removes the app, the launchd
# files, the commands and the logs. --purge also removes the tunnel configurations. Run: sudo wirefx-uninstall
set -e
[ "$(id -u)" = 0 ] || { echo "run it with sudo" >&2; exit 1; }
launchctl bootout system/io.wirefx.service 2>/dev/null || true
rm -f /Library/LaunchDaemons/io.wirefx.service.plist /Library/LaunchAgents/io.wirefx.tray.plist
rm -f /usr/local/bin/wirefx /usr/local/bin/wirefx-service /usr/local/bin/wirefx-uninstall
rm -rf /Applications/WireFX.app /Library/Logs/WireFX
pkgutil --forget io.wirefx.app >/dev/null 2>&1 || true
if [ "${1:-}" = --purge ]; then
  rm -rf "/Library/Application Support/WireFX"
fi
echo "WireFX removed"
