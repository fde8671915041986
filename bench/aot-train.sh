#!/usr/bin/env bash
# aot-train.sh [OUTPUT] — writes the JDK's AOT cache (JEP 483 classes loaded and linked, JEP 515 method profiles) for
# the WireFX tunnel daemon by running a real tunnel for a few seconds, so that a later start with
# -XX:AOTCache=OUTPUT finds its classes ready and compiles the packet path from production-like profiles at once.
#
# The training: two fresh network namespaces joined by a veth pair, a WireFX daemon (bin/wirefx-userspace -f) in
# each, configured with wg(8); the first daemon runs with -XX:AOTCacheOutput=OUTPUT. Traffic through the tunnel:
# handshakes, pings of several sizes both ways (IPv4 and IPv6), a short TCP transfer (TUN offloads, UDP GSO) when
# iperf3 is installed, timer rounds, a UAPI get/set; then the first daemon is stopped with SIGTERM and the JVM
# writes the cache as it exits.
#
# OUTPUT defaults to tunnel-service/daemon/target/wirefx-daemon.aot. The cache is only valid for the same JDK, the
# same class path (the same jars) and compatible JVM options: run this again whenever any of them changes. The JVM
# options of the training are WIREFX_JAVA_OPTS (as the launchers pass them). Packaging calls this at build or
# install time; nothing else on the host is touched (everything is removed on exit, also on failure).
#
# Needs root, iproute2, wg, ping (iperf3 optional). Environment: TRAIN_SECONDS (ping phase, default 4).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:-$here/tunnel-service/daemon/target/wirefx-daemon.aot}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
TRAIN_SECONDS=${TRAIN_SECONDS:-4}
[ "$(id -u)" = 0 ] || { echo "aot-train: needs root (network namespaces)" >&2; exit 2; }
for t in ip wg ping; do
  command -v "$t" >/dev/null || { echo "aot-train: $t is not installed" >&2; exit 2; }
done

"$here/bin/wirefx-userspace" --version >/dev/null   # builds the jars if they are missing

source "$here/bench/.namespaces.sh"
bench_namespaces t 204
if1="wft${id}1"
if2="wft${id}2"
leftovers+=("/var/run/wireguard/$if1.sock" "/var/run/wireguard/$if2.sock")

# start NS IFNAME LOG [JVM options...]: a foreground daemon in NS; waits for its UAPI socket, prints its pid
start() {
  local ns=$1 name=$2 log=$3 pid i
  shift 3
  # The class-data-sharing archive of the launcher cannot be combined with an AOT cache: off for the training.
  ip netns exec "$ns" env WIREFX_CDS=0 WIREFX_JAVA_OPTS="${WIREFX_JAVA_OPTS:-} $*" \
    "$here/bin/wirefx-userspace" -f "$name" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for i in $(seq 1 1200); do
    [ -S "/var/run/wireguard/$name.sock" ] && ip -n "$ns" link show "$name" >/dev/null 2>&1 && { TRAINED=$pid; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "aot-train: daemon $name exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  echo "aot-train: daemon $name: no socket after 60 s" >&2; cat "$log" >&2; exit 1
}

mkdir -p "$(dirname "$out")"
rm -f "$out" "$out.tmp"
start "$ns1" "$if1" "$tmp/1.log" "-XX:AOTCacheOutput=$out.tmp"
trained=$TRAINED
start "$ns2" "$if2" "$tmp/2.log"

(umask 077; wg genkey >"$tmp/k1"; wg genkey >"$tmp/k2"; wg genpsk >"$tmp/psk")
p1=$(wg pubkey <"$tmp/k1"); p2=$(wg pubkey <"$tmp/k2")
ip netns exec "$ns1" wg set "$if1" private-key "$tmp/k1" listen-port 51831 \
  peer "$p2" allowed-ips 10.78.0.2/32,fd78::2/128 endpoint 10.204.0.2:51832
ip netns exec "$ns2" wg set "$if2" private-key "$tmp/k2" listen-port 51832 \
  peer "$p1" allowed-ips 10.78.0.1/32,fd78::1/128 endpoint 10.204.0.1:51831 persistent-keepalive 1
ip -n "$ns1" addr add 10.78.0.1/24 dev "$if1"
ip -n "$ns2" addr add 10.78.0.2/24 dev "$if2"
ip -n "$ns1" -6 addr add fd78::1/64 dev "$if1" nodad
ip -n "$ns2" -6 addr add fd78::2/64 dev "$if2" nodad
ip -n "$ns1" link set "$if1" up
ip -n "$ns2" link set "$if2" up

ok=0
for i in $(seq 1 30); do
  if ip netns exec "$ns1" ping -n -q -c 1 -W 1 10.78.0.2 >/dev/null 2>&1; then ok=1; break; fi
done
[ $ok = 1 ] || { echo "aot-train: no handshake" >&2; tail -20 "$tmp/1.log" "$tmp/2.log" >&2; exit 1; }

# Light traffic as an idle tunnel sees it (each packet wakes the reader), both directions, several sizes.
count=$((TRAIN_SECONDS * 25))
pings=()
ip netns exec "$ns1" ping -n -q -c "$count" -i 0.04 -s 56 10.78.0.2 >/dev/null & pings+=($!)
ip netns exec "$ns2" ping -n -q -c "$count" -i 0.04 -s 1200 10.78.0.1 >/dev/null & pings+=($!)
ip netns exec "$ns1" ping -n -q -c "$count" -i 0.04 -s 100 fd78::2 >/dev/null & pings+=($!)
for p in "${pings[@]}"; do wait "$p" || true; done
# A new session (a fresh handshake with a preshared key) and the UAPI's get and set.
ip netns exec "$ns1" wg set "$if1" peer "$p2" preshared-key "$tmp/psk"
ip netns exec "$ns2" wg set "$if2" peer "$p1" preshared-key "$tmp/psk"
ip netns exec "$ns1" wg show "$if1" >/dev/null
ip netns exec "$ns1" ping -n -q -c 20 -i 0.05 10.78.0.2 >/dev/null || true
# Bulk: both directions, a few seconds each.
if command -v iperf3 >/dev/null; then
  for dir in "" "-R"; do
    ip netns exec "$ns2" iperf3 -s -1 -B 10.78.0.2 -p 5298 >/dev/null 2>&1 &
    spid=$!
    pids+=("$spid")
    sleep 0.5
    ip netns exec "$ns1" iperf3 -c 10.78.0.2 -p 5298 -t 2 $dir >/dev/null 2>&1 || true
    wait "$spid" 2>/dev/null || true
  done
fi
# Light traffic again after the bulk (what the first pings of the next start look like).
ip netns exec "$ns1" ping -n -q -c "$count" -i 0.04 10.78.0.2 >/dev/null || true

kill -TERM "$trained"
wait "$trained" 2>/dev/null || true
[ -s "$out.tmp" ] || { echo "aot-train: the JVM wrote no cache:" >&2; tail -20 "$tmp/1.log" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "aot-train: wrote $out ($(du -h "$out" | cut -f1))"
