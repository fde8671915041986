#!/usr/bin/env bash
# service-memory.sh — the tunnel service's own footprint with one running tunnel: bin/wirefx-service (as the packages
# run it) in a fresh network namespace, one full tunnel started through the CLI to a wireguard-go peer in a second
# namespace, a TCP transfer (iperf3, DURATION seconds) through it, then REST seconds with no client connected.
# Prints the service's RSS right after the transfer and after the rest, its on-CPU time over the last IDLE seconds of
# the rest (all threads, bench/idle-threads.sh), and with BREAKDOWN=1 the JVM's own account of the resident
# memory at rest by kind (jcmd System.map; that turns on native memory tracking, which costs a few MiB itself). The
# LAST line is the RSS in MiB.
#
# Needs root, iproute2, wg, wireguard-go, iperf3, jq. Touches nothing outside its own namespaces and a temporary
# directory (the service's state, runtime and socket paths and its UAPI directory all live there); everything is
# removed on exit, also on failure or Ctrl-C.
#
# Environment: DURATION (default 5), REST (default 60), IDLE (default 30, at most REST), BREAKDOWN (1: by kind),
# WIREFX_JAVA_OPTS (extra JVM options for the service, after the packaged ones).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-5}
REST=${REST:-60}
IDLE=${IDLE:-30}
BREAKDOWN=${BREAKDOWN:-0}
[ "$IDLE" -le "$REST" ] || { echo "service-memory: IDLE must not exceed REST" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "service-memory: needs root (network namespaces)" >&2; exit 2; }
for t in ip wg wireguard-go iperf3 jq; do
  command -v "$t" >/dev/null || { echo "service-memory: $t is not installed" >&2; exit 2; }
done

"$here/bin/wirefx-service" --version >/dev/null # builds the jars once, before anything is measured

source "$here/bench/.namespaces.sh"
bench_namespaces m 204

key1=$("$here/bin/wirefx" genkey)
key2=$("$here/bin/wirefx" genkey)
pub1=$(printf '%s' "$key1" | "$here/bin/wirefx" pubkey)
pub2=$(printf '%s' "$key2" | "$here/bin/wirefx" pubkey)

# The peer: wireguard-go in the second namespace, configured with wg(8).
peer="wfm${id}"
leftovers+=("/var/run/wireguard/$peer.sock")
ip netns exec "$ns2" env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$peer" >"$tmp/peer.log" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do [ -S "/var/run/wireguard/$peer.sock" ] && break; sleep 0.1; done
printf '%s' "$key2" >"$tmp/peer.key"
ip netns exec "$ns2" wg set "$peer" private-key "$tmp/peer.key" listen-port 51820 \
  peer "$pub1" allowed-ips 10.205.0.1/32
ip -n "$ns2" addr add 10.205.0.2/24 dev "$peer"
ip -n "$ns2" link set "$peer" up
ip netns exec "$ns2" iperf3 -s -1 >"$tmp/iperf3-server.log" 2>&1 &
pids+=("$!")

# The service in the first namespace, with every path of its own.
sock="$tmp/run/wirefx.sock"
[ "$BREAKDOWN" = 1 ] && export WIREFX_JAVA_OPTS="${WIREFX_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
ip netns exec "$ns1" "$here/bin/wirefx-service" --state-dir "$tmp/state" --runtime-dir "$tmp/run" \
  --socket "$sock" --uapi-dir "$tmp/uapi" >"$tmp/service.log" 2>&1 &
jvm=$! # ip netns exec and the launcher both exec: this is the JVM
pids+=("$jvm")
for _ in $(seq 600); do grep -q '] ready' "$tmp/service.log" && break; sleep 0.1; done
grep -q '] ready' "$tmp/service.log" || { cat "$tmp/service.log" >&2; echo "service-memory: no service" >&2; exit 1; }

cat >"$tmp/wfm0.conf" <<EOF
[Interface]
PrivateKey = $key1
Address = 10.205.0.1/24

[Peer]
PublicKey = $pub2
AllowedIPs = 0.0.0.0/0
Endpoint = 10.204.0.2:51820
EOF
export WIREFX_SOCKET="$sock"
"$here/bin/wirefx" import "$tmp/wfm0.conf" >/dev/null
"$here/bin/wirefx" up wfm0 >/dev/null

ip netns exec "$ns1" iperf3 -c 10.205.0.2 -t "$DURATION" -J >"$tmp/iperf3.json"
mbit=$(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$tmp/iperf3.json")

rss() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$jvm/status"; }
after_transfer=$(rss)
sleep $((REST - IDLE))
idle=$("$here/bench/idle-threads.sh" "$jvm" "$IDLE" | tail -n1 | sed -E 's/^ +//; s/ +in all over [0-9]+ s/ over the last '"$IDLE"' s/')
at_rest=$(rss)

jcmd=$(dirname "$(readlink -f "/proc/$jvm/exe")")/jcmd
printf 'wirefx-service, one full tunnel to wireguard-go: %s Mbit/s for %s s, then %s s at rest\n' "$mbit" "$DURATION" "$REST"
printf 'on-CPU at rest: %s\n' "$idle"
if [ "$BREAKDOWN" = 1 ]; then
  # Resident MiB by kind, as the JVM names its mappings (JAVAHEAP, CODE, META, CLASS, STACK, CDS, ...; "-" is the
  # C heap and everything else the JVM did not map itself, "file" the mapped jars and libraries).
  "$jcmd" "$jvm" System.map 2>/dev/null | awk '
    /^0x/ { kind = $8; if ($NF != "-" && kind == "-") kind = "file"; r[kind] += $4 }
    END { for (k in r) if (r[k] >= 1048576) printf "  %-9s %6.1f MiB\n", k, r[k] / 1048576 }' | sort -k2 -rn
  "$jcmd" "$jvm" GC.heap_info 2>/dev/null | sed -nE 's/^(\S+) +total ([0-9]+)K, used ([0-9]+)K.*/  \1: \2 KiB committed, \3 KiB used/p'
fi
printf 'RSS %s MiB after the transfer, %s MiB at rest\n' "$after_transfer" "$at_rest"
