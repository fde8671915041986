#!/bin/bash
# Installs the WireFX service on macOS from a built checkout (run with sudo from the checkout's root):
# copies bin/ and the service's jars (lib/) to /Library/Application Support/WireFX, creates the wirefx and wirefx-admin groups,
# adds the invoking user to wirefx, and bootstraps the launchd job. Undo with installers/macos/uninstall.sh.
set -eu
[ "$(id -u)" = 0 ] || { echo "run with sudo" >&2; exit 1; }
src="$(cd "$(dirname "$0")/../.." && pwd)"
dest="/Library/Application Support/WireFX"
label=io.wirefx.service
install -d -m 0755 "$dest"
install -d -m 0700 "$dest/tunnels"
rm -rf "$dest/bin" "$dest/lib"
cp -R "$src/bin" "$dest/bin"
install -d -m 0755 "$dest/lib"
daemon="$src/tunnel-service/daemon/target"
ls "$daemon"/wirefx-daemon-*.jar >/dev/null 2>&1 || (cd "$src" && ./mvnw -B -q -DskipTests package -pl tunnel-service/daemon -am)
cp "$daemon"/wirefx-daemon-*[0-9T].jar "$daemon"/lib/*.jar "$dest/lib/"
install -d -m 0755 /Library/Logs/WireFX
dseditgroup -o read wirefx-admin >/dev/null 2>&1 || dseditgroup -o create -r "WireFX administrators" wirefx-admin
dseditgroup -o read wirefx >/dev/null 2>&1 || dseditgroup -o create -r "WireFX operators" wirefx
[ -n "${SUDO_USER:-}" ] && dseditgroup -o edit -a "$SUDO_USER" -t user wirefx
install -m 0644 -o root -g wheel "$src/installers/macos/$label.plist" "/Library/LaunchDaemons/$label.plist"
launchctl bootout "system/$label" 2>/dev/null || true
launchctl bootstrap system "/Library/LaunchDaemons/$label.plist"
echo "WireFX service installed; log: /Library/Logs/WireFX/wirefx-service.log"
