#!/bin/bash
# wg-quick (Homebrew's wireguard-tools) with bin/wirefx-userspace as WG_QUICK_USERSPACE_IMPLEMENTATION: wg-quick
# runs "wirefx-userspace utun", reads the utun it got from WG_TUN_NAME_FILE, configures it, and wg(8) talks to the
# UAPI socket /var/run/wireguard/utunN.sock. Table = off: nothing touches the runner's routes.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=/tmp/wirefx-ci
mkdir -p "$work"
conf="$work/wfxq0.conf"
cat > "$conf" <<CONF
[Interface]
PrivateKey = $(bin/wirefx genkey)
Address = 10.196.0.1/24
Table = off

[Peer]
PublicKey = $(bin/wirefx genkey | bin/wirefx pubkey)
AllowedIPs = 10.196.0.2/32
CONF
chmod 600 "$conf"
export WG_QUICK_USERSPACE_IMPLEMENTATION="$PWD/bin/wirefx-userspace"
export LOG_LEVEL=verbose
wg-quick up "$conf" 2>&1 | tee "$work/userspace.log"
utun="$(cat /var/run/wireguard/wfxq0.name)"
echo "wg-quick got $utun"
wg show "$utun" | tee -a "$work/userspace.log" | grep -q 'listening port'
ifconfig "$utun" | grep -q 'inet 10.196.0.1 '
wg-quick down "$conf"
[ ! -e "/var/run/wireguard/$utun.sock" ]
echo "wg-quick userspace test passed"
