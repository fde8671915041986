#!/bin/bash
# Runs the WireFX service as a launchd daemon on the CI Mac (as root): bootstrap a job with a test label, talk to it
# over its socket (import, list, up, down), check the utun it made, bootout, and check everything is gone.
set -euo pipefail
cd "$(dirname "$0")/../.."
label=io.wirefx.ci
work=/tmp/wirefx-ci
sock=/var/run/wirefx-ci/wirefx.sock
rm -rf "$work" && mkdir -p "$work/tunnels" && chmod 700 "$work/tunnels"

# the jars come from the workflow's `./mvnw -B verify` (run as the runner's user, not as root)
ls tunnel-service/daemon/target/wirefx-daemon-*[0-9T].jar tunnel-service/daemon/target/lib >/dev/null
classpath="$(ls tunnel-service/daemon/target/wirefx-daemon-*[0-9T].jar):$PWD/tunnel-service/daemon/target/lib/*"

cat > "$work/$label.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>Label</key><string>$label</string>
  <key>ProgramArguments</key><array>
    <string>$PWD/bin/wirefx-service</string>
    <string>--state-dir</string><string>$work/tunnels</string>
    <string>--socket</string><string>$sock</string>
    <string>--runtime-dir</string><string>/var/run/wirefx-ci</string>
    <string>--uapi-dir</string><string>none</string>
  </array>
  <key>EnvironmentVariables</key><dict>
    <key>JAVA_HOME</key><string>$JAVA_HOME</string>
    <key>WIREFX_CLASSPATH</key><string>$classpath</string>
  </dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
  <key>StandardOutPath</key><string>$work/service.log</string>
  <key>StandardErrorPath</key><string>$work/service.log</string>
</dict></plist>
PLIST
plutil -lint "$work/$label.plist"
plutil -lint installers/macos/io.wirefx.service.plist

cleanup() { launchctl bootout "system/$label" 2>/dev/null || true; }
trap cleanup EXIT
launchctl bootstrap system "$work/$label.plist"
for _ in $(seq 1 60); do [ -S "$sock" ] && break; sleep 1; done
[ -S "$sock" ] || { echo "service socket never appeared"; exit 1; }
launchctl print "system/$label" | grep -q 'state = running'

cat > "$work/ci.conf" <<CONF
[Interface]
PrivateKey = $(bin/wirefx genkey)
Address = 10.197.0.1/24
Table = off

[Peer]
PublicKey = $(bin/wirefx genkey | bin/wirefx pubkey)
AllowedIPs = 10.197.0.2/32
CONF
wirefx() { WIREFX_SOCKET="$sock" bin/wirefx "$@"; }
wirefx import "$work/ci.conf"
wirefx list | tee /dev/stderr | grep -q '^ci'
wirefx up ci
wirefx show ci
utun=""
for i in $(ifconfig -l); do
  case "$i" in utun*) ifconfig "$i" | grep -q 'inet 10.197.0.1 ' && utun="$i" ;; esac
done
[ -n "$utun" ] || { echo "no utun interface with the tunnel's address"; ifconfig; exit 1; }
echo "the service brought ci up on $utun"
wirefx down ci
sleep 1
if ifconfig "$utun" >/dev/null 2>&1; then echo "$utun still exists after down"; exit 1; fi

launchctl bootout "system/$label"
trap - EXIT
for _ in $(seq 1 30); do launchctl print "system/$label" >/dev/null 2>&1 || break; sleep 1; done
if launchctl print "system/$label" >/dev/null 2>&1; then echo "job still loaded after bootout"; exit 1; fi
[ ! -e /var/run/wirefx-ci/ci.journal ] || { echo "journal left behind"; exit 1; }
echo "launchd service test passed"
