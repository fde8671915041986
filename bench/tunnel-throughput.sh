#!/usr/bin/env bash
# tunnel-throughput.sh — TCP throughput (iperf3) and ping RTT through a WireGuard tunnel between two fresh network
# namespaces joined by a veth pair, for three pairs in one run:
#   WireFX <-> WireFX, WireFX <-> wireguard-go, wireguard-go <-> wireguard-go
# Both ends are userspace daemons configured with stock wg(8); the iperf3 client runs in the first namespace and
# sends to the second. The LAST line is the ratio WireFX/wireguard-go (WireFX<->WireFX Mbit/s divided by
# wireguard-go<->wireguard-go Mbit/s).
#
# Needs root, iproute2, wg, wireguard-go, iperf3, ping. Touches nothing outside its own namespaces (and its own
# uniquely named UAPI sockets in /var/run/wireguard); everything is removed on exit, also on failure or Ctrl-C.
#
# Environment: DURATION (iperf3 seconds, default 10), PINGS (default 30), WIREFX_JAVA_OPTS (extra JVM options),
# PARALLEL (iperf3 -P streams, default 1), PAIRS (subset to run, default "fx-fx fx-go go-go"; the ratio line needs
# fx-fx and go-go).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-10}
PINGS=${PINGS:-30}
PARALLEL=${PARALLEL:-1}
PAIRS=${PAIRS:-fx-fx fx-go go-go}
[ "$(id -u)" = 0 ] || { echo "tunnel-throughput: needs root (network namespaces)" >&2; exit 2; }
for t in ip wg wireguard-go iperf3 ping; do
  command -v "$t" >/dev/null || { echo "tunnel-throughput: $t is not installed" >&2; exit 2; }
done

id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
ns1="wfxb-$id-1"
ns2="wfxb-$id-2"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wfx-bench.XXXXXX")"
pids=()
socks=()

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${socks[@]}"; do rm -f "$p"; done
  ip netns del "$ns1" 2>/dev/null || true
  ip netns del "$ns2" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build the jars once, before any timing (the launcher would do it on first use).
"$here/bin/wirefx-userspace" --version >/dev/null

ip netns add "$ns1"
ip netns add "$ns2"
ip -n "$ns1" link set lo up
ip -n "$ns2" link set lo up
ip -n "$ns1" link add "wfbv${id}a" type veth peer name "wfbv${id}b" netns "$ns2"
ip -n "$ns1" addr add 10.203.0.1/24 dev "wfbv${id}a"
ip -n "$ns2" addr add 10.203.0.2/24 dev "wfbv${id}b"
ip -n "$ns1" link set "wfbv${id}a" up
ip -n "$ns2" link set "wfbv${id}b" up

# start_daemon IMPL NS IFNAME LOG: starts a foreground daemon in NS and waits for its UAPI socket.
start_daemon() {
  local impl=$1 ns=$2 name=$3 log=$4 pid i
  if [ "$impl" = wirefx ]; then
    ip netns exec "$ns" "$here/bin/wirefx-userspace" -f "$name" >"$log" 2>&1 &
  else
    ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$name" >"$log" 2>&1 &
  fi
  pid=$!
  pids+=("$pid")
  socks+=("/var/run/wireguard/$name.sock")
  for i in $(seq 1 600); do
    [ -S "/var/run/wireguard/$name.sock" ] && ip -n "$ns" link show "$name" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$impl $name exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  echo "$impl $name: no socket after 30 s" >&2; cat "$log" >&2; exit 1
}

stop_daemons() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

# ping_rtt: "AVG/MEDIAN" in ms over PINGS echo requests 0.2 s apart (the median shrugs off a lone scheduling spike)
ping_rtt() {
  ip netns exec "$ns1" ping -n -c "$PINGS" -i 0.2 10.77.0.2 \
    | sed -n 's|.* time=\([0-9.]*\) ms.*|\1|p' | sort -n \
    | awk '{ v[NR] = $1; s += $1 } END { if (NR == 0) { print "n/a"; exit }
             m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
             printf "%.3f/%.3f\n", s / NR, m }'
}

label() { [ "$1" = wirefx ] && echo WireFX || echo wireguard-go; }

# run_pair IMPL1 IMPL2 N: prints a report line and sets MBPS and RTT.
run_pair() {
  local a=$1 b=$2 n=$3
  local if1="wfb${id}${n}1" if2="wfb${id}${n}2"
  local k1 k2 p1 p2
  k1="$tmp/$n-1.key"; k2="$tmp/$n-2.key"
  (umask 077; wg genkey >"$k1"; wg genkey >"$k2")
  p1=$(wg pubkey <"$k1"); p2=$(wg pubkey <"$k2")
  start_daemon "$a" "$ns1" "$if1" "$tmp/$n-1.log"
  start_daemon "$b" "$ns2" "$if2" "$tmp/$n-2.log"
  ip netns exec "$ns1" wg set "$if1" private-key "$k1" listen-port 51821 \
    peer "$p2" allowed-ips 10.77.0.2/32 endpoint 10.203.0.2:51822
  ip netns exec "$ns2" wg set "$if2" private-key "$k2" listen-port 51822 \
    peer "$p1" allowed-ips 10.77.0.1/32 endpoint 10.203.0.1:51821
  ip -n "$ns1" addr add 10.77.0.1/24 dev "$if1"
  ip -n "$ns2" addr add 10.77.0.2/24 dev "$if2"
  ip -n "$ns1" link set "$if1" up
  ip -n "$ns2" link set "$if2" up
  local ok=0 i
  for i in $(seq 1 20); do
    if ip netns exec "$ns1" ping -n -q -c 1 -W 1 10.77.0.2 >/dev/null 2>&1; then ok=1; break; fi
  done
  [ $ok = 1 ] || { echo "no handshake for $(label "$a") <-> $(label "$b")" >&2; tail -20 "$tmp/$n-1.log" "$tmp/$n-2.log" >&2; exit 1; }

  local rtt cold mbps
  cold=$(ping_rtt)
  ip netns exec "$ns2" iperf3 -s -1 -B 10.77.0.2 -p 5299 >"$tmp/$n-iperf-s.log" 2>&1 &
  local spid=$!
  pids+=("$spid")
  sleep 0.5
  ip netns exec "$ns1" iperf3 -c 10.77.0.2 -p 5299 -t "$DURATION" -P "$PARALLEL" -f m >"$tmp/$n-iperf.log" 2>&1 \
    || { echo "iperf3 failed:" >&2; cat "$tmp/$n-iperf.log" >&2; exit 1; }
  # The receiver's total: the SUM line for several streams, else the single stream's line.
  mbps=$(grep 'receiver' "$tmp/$n-iperf.log" | tail -n1 | sed -n 's|.* \([0-9.]*\) Mbits/sec.*|\1|p')
  wait "$spid" 2>/dev/null || true
  rtt=$(ping_rtt)   # again after the transfer
  stop_daemons
  printf '%-30s %9s Mbit/s   ping RTT avg/median %s ms after the transfer, %s ms before (%s pings each)\n' \
    "$(label "$a") <-> $(label "$b"):" "$mbps" "$rtt" "$cold" "$PINGS"
  MBPS=$mbps
  RTT=$rtt
  COLD=$cold
}

echo "tunnel-throughput: iperf3 -t $DURATION -P $PARALLEL, $(nproc) CPUs, $(uname -r), $(wireguard-go --version | head -n1)"
fx_fx=
go_go=
for pair in $PAIRS; do
  case "$pair" in
    fx-fx) run_pair wirefx wirefx 1; fx_fx=$MBPS; fx_rtt=$RTT; fx_cold=$COLD ;;
    fx-go) run_pair wirefx wggo 2 ;;
    go-go) run_pair wggo wggo 3; go_go=$MBPS; go_rtt=$RTT; go_cold=$COLD ;;
    *) echo "tunnel-throughput: unknown pair $pair (fx-fx, fx-go, go-go)" >&2; exit 2 ;;
  esac
done
if [ -n "$fx_fx" ] && [ -n "$go_go" ]; then
  # median RTTs: below 1.00 means WireFX<->WireFX answers faster than wireguard-go<->wireguard-go
  awk -v a="${fx_rtt#*/}" -v b="${go_rtt#*/}" -v c="${fx_cold#*/}" -v d="${go_cold#*/}" 'BEGIN {
    printf "ping RTT ratio WireFX/wireguard-go (median): %.2f after the transfer, %.2f before\n",
      (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
  awk -v a="$fx_fx" -v b="$go_go" 'BEGIN { printf "ratio WireFX/wireguard-go: %.2f\n", (b > 0 ? a / b : 0) }'
fi
