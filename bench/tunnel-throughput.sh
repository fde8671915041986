#!/usr/bin/env bash
# tunnel-throughput.sh — TCP throughput (iperf3) and ping RTT through a WireGuard tunnel between two fresh network
# namespaces joined by a veth pair, for three pairs in one run:
#   WireFX <-> WireFX, WireFX <-> wireguard-go, wireguard-go <-> wireguard-go
# Both ends are userspace daemons configured with stock wg(8); the iperf3 client runs in the first namespace and
# sends to the second. Per pair: TCP with one stream and with PARALLEL_MORE streams, UDP packets per second with
# 1400-byte datagrams (iperf3 -u -b 0, what the receiver got), CPU-seconds per Gbit of both daemons together over the
# one-stream TCP transfer (utime + stime from /proc/PID/stat), the first daemon's RSS right after the transfers and
# again after the idle time, and both daemons' CPU while the tunnel sits idle for IDLE seconds (on-CPU time of all
# their threads from /proc/PID/task/*/schedstat, exact to the nanosecond). The LAST line is the ratio WireFX/wireguard-go
# (WireFX<->WireFX Mbit/s divided by wireguard-go<->wireguard-go Mbit/s, one stream).
#
# Needs root, iproute2, wg, wireguard-go, iperf3, ping. Touches nothing outside its own namespaces (and its own
# uniquely named UAPI sockets in /var/run/wireguard); everything is removed on exit, also on failure or Ctrl-C.
#
# Environment: DURATION (iperf3 seconds, default 10), PINGS (default 30), WIREFX_JAVA_OPTS (extra JVM options),
# PARALLEL (iperf3 -P streams of the main TCP run, default 1), PARALLEL_MORE (streams of the second TCP run, default 4;
# 0 skips it), UDP (1 = measure UDP pps, default 1), IDLE (seconds of idle CPU measurement, default 5), PAIRS (subset to
# run, default "fx-fx fx-go go-go"; the ratio lines need fx-fx and go-go).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DURATION=${DURATION:-10}
PINGS=${PINGS:-30}
PARALLEL=${PARALLEL:-1}
PARALLEL_MORE=${PARALLEL_MORE:-4}
UDP=${UDP:-1}
IDLE=${IDLE:-5}
HZ=$(getconf CLK_TCK)
PAIRS=${PAIRS:-fx-fx fx-go go-go}
[ "$(id -u)" = 0 ] || { echo "tunnel-throughput: needs root (network namespaces)" >&2; exit 2; }
for t in ip wg wireguard-go iperf3 ping jq; do
  command -v "$t" >/dev/null || { echo "tunnel-throughput: $t is not installed" >&2; exit 2; }
done

dpids=() # the current pair's two daemons

# Build the jars once, before any timing (the launcher would do it on first use).
"$here/bin/wirefx-userspace" --version >/dev/null

source "$here/bench/.namespaces.sh"
bench_namespaces b 203

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
  dpids+=("$pid")
  leftovers+=("/var/run/wireguard/$name.sock")
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
  dpids=()
}

# cpu_ticks: utime + stime of both daemons of the pair, in clock ticks
cpu_ticks() {
  local p t=0 v
  for p in "${dpids[@]}"; do
    v=$(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')
    t=$((t + v))
  done
  echo "$t"
}

# cpu_ns: on-CPU nanoseconds of the current pair's daemons, all their threads (schedstat: exact, not tick-sampled)
cpu_ns() {
  local p t=0 f v
  for p in "${dpids[@]}"; do
    for f in /proc/"$p"/task/*/schedstat; do
      read -r v _ <"$f" 2>/dev/null && t=$((t + v))
    done
  done
  echo "$t"
}

# tcp_run STREAMS TAG: iperf3 TCP through the tunnel; prints the receiver's Mbit/s
tcp_run() {
  local streams=$1 tag=$2 spid
  ip netns exec "$ns2" iperf3 -s -1 -B 10.77.0.2 -p 5299 >"$tmp/$tag-iperf-s.log" 2>&1 &
  spid=$!
  pids+=("$spid")
  sleep 0.5
  ip netns exec "$ns1" iperf3 -c 10.77.0.2 -p 5299 -t "$DURATION" -P "$streams" -f m >"$tmp/$tag-iperf.log" 2>&1 \
    || { echo "iperf3 failed:" >&2; cat "$tmp/$tag-iperf.log" >&2; exit 1; }
  wait "$spid" 2>/dev/null || true
  # The receiver's total: the SUM line for several streams, else the single stream's line.
  grep 'receiver' "$tmp/$tag-iperf.log" | tail -n1 | sed -n 's|.* \([0-9.]*\) Mbits/sec.*|\1|p'
}

# udp_pps TAG: 1400-byte UDP datagrams as fast as iperf3 sends them; prints datagrams per second the receiver got
udp_pps() {
  local tag=$1 spid
  ip netns exec "$ns2" iperf3 -s -1 -J -B 10.77.0.2 -p 5299 >"$tmp/$tag-udp-s.json" 2>&1 &
  spid=$!
  pids+=("$spid")
  sleep 0.5
  ip netns exec "$ns1" iperf3 -c 10.77.0.2 -p 5299 -u -b 0 -l 1400 -t "$DURATION" >"$tmp/$tag-udp.log" 2>&1 \
    || { echo "iperf3 -u failed:" >&2; cat "$tmp/$tag-udp.log" >&2; exit 1; }
  wait "$spid" 2>/dev/null || true
  jq -r '.end.sum | ((.packets - .lost_packets) / .seconds) | floor' "$tmp/$tag-udp-s.json" 2>/dev/null || echo n/a
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

  local rtt cold mbps more=n/a pps=n/a t0 t1 cpu rss rss_idle idle
  cold=$(ping_rtt)
  t0=$(cpu_ticks)
  mbps=$(tcp_run "$PARALLEL" "$n")
  t1=$(cpu_ticks)
  # CPU-seconds of both daemons per Gbit moved
  cpu=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v m="$mbps" -v d="$DURATION" \
    'BEGIN { g = m * d / 1000; printf "%.2f", (g > 0 ? t / hz / g : 0) }')
  rtt=$(ping_rtt)   # again after the transfer
  [ "$PARALLEL_MORE" -gt 0 ] && more=$(tcp_run "$PARALLEL_MORE" "$n-more")
  [ "$UDP" = 1 ] && pps=$(udp_pps "$n")
  rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${dpids[0]}/status")
  t0=$(cpu_ns)
  sleep "$IDLE"
  t1=$(cpu_ns)
  idle=$(awk -v t="$((t1 - t0))" -v s="$IDLE" 'BEGIN { printf "%.2f", 100 * t / 1e9 / s }')
  rss_idle=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/${dpids[0]}/status")
  stop_daemons
  printf '%-30s %9s Mbit/s   ping RTT avg/median %s ms after the transfer, %s ms before (%s pings each)\n' \
    "$(label "$a") <-> $(label "$b"):" "$mbps" "$rtt" "$cold" "$PINGS"
  printf '%-30s %9s Mbit/s with -P %s, UDP %s pps (1400 B), %s CPU-s/Gbit (both daemons), RSS %s MiB (%s MiB idle), idle CPU %s %%\n' \
    "" "$more" "$PARALLEL_MORE" "$pps" "$cpu" "$rss" "$rss_idle" "$idle"
  MBPS=$mbps
  MORE=$more
  PPS=$pps
  CPU=$cpu
  RTT=$rtt
  COLD=$cold
}

echo "tunnel-throughput: iperf3 -t $DURATION -P $PARALLEL (and -P $PARALLEL_MORE, -u -l 1400), $(nproc) CPUs, $(uname -r), $(wireguard-go --version | head -n1)"
fx_fx=
go_go=
for pair in $PAIRS; do
  case "$pair" in
    fx-fx) run_pair wirefx wirefx 1; fx_fx=$MBPS; fx_rtt=$RTT; fx_cold=$COLD; fx_more=$MORE; fx_pps=$PPS; fx_cpu=$CPU ;;
    fx-go) run_pair wirefx wggo 2 ;;
    go-go) run_pair wggo wggo 3; go_go=$MBPS; go_rtt=$RTT; go_cold=$COLD; go_more=$MORE; go_pps=$PPS; go_cpu=$CPU ;;
    *) echo "tunnel-throughput: unknown pair $pair (fx-fx, fx-go, go-go)" >&2; exit 2 ;;
  esac
done
if [ -n "$fx_fx" ] && [ -n "$go_go" ]; then
  # median RTTs: below 1.00 means WireFX<->WireFX answers faster than wireguard-go<->wireguard-go
  awk -v a="${fx_rtt#*/}" -v b="${go_rtt#*/}" -v c="${fx_cold#*/}" -v d="${go_cold#*/}" 'BEGIN {
    printf "ping RTT ratio WireFX/wireguard-go (median): %.2f after the transfer, %.2f before\n",
      (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
  awk -v a="$fx_more" -v b="$go_more" -v c="$fx_pps" -v d="$go_pps" -v e="$fx_cpu" -v f="$go_cpu" -v p="$PARALLEL_MORE" 'BEGIN {
    printf "ratios WireFX/wireguard-go: %.2f with -P %s, %.2f UDP pps, %.2f CPU-s/Gbit\n",
      (b > 0 ? a / b : 0), p, (d > 0 ? c / d : 0), (f > 0 ? e / f : 0) }'
  awk -v a="$fx_fx" -v b="$go_go" 'BEGIN { printf "ratio WireFX/wireguard-go: %.2f\n", (b > 0 ? a / b : 0) }'
fi
