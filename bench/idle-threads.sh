#!/usr/bin/env bash
# idle-threads.sh PID [SECONDS] — where a running process spends its CPU: the on-CPU time of each of its threads over
# SECONDS (default 60), from /proc/PID/task/*/schedstat (exact, not tick-sampled), the busiest first, named after the
# JVM's thread names where jcmd can list them (else the kernel's 15-character comm). The last line is the total in
# ms and as a share of one core. Used for the idle figures in docs/benchmarks.md: start a daemon with a tunnel, let
# it settle, then run this (as root, or as the daemon's user).
set -euo pipefail
pid=${1:?usage: idle-threads.sh PID [SECONDS]}
secs=${2:-60}
[ -d "/proc/$pid" ] || { echo "idle-threads: no process $pid" >&2; exit 2; }

snapshot() {
  local t v
  for t in /proc/"$pid"/task/*; do
    read -r v _ <"$t/schedstat" 2>/dev/null && echo "${t##*/} $v"
  done | sort
}

names=$(mktemp)
trap 'rm -f "$names"' EXIT
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
if command -v "$jcmd" >/dev/null 2>&1; then
  "$jcmd" "$pid" Thread.print 2>/dev/null \
    | sed -nE 's/^"([^"]+)".* nid=(0x[0-9a-f]+|[0-9]+) .*/\2 \1/p' \
    | while read -r nid name; do printf '%d %s\n' "$nid" "$name"; done >"$names" || true
fi

before=$(snapshot)
sleep "$secs"
after=$(snapshot)
join <(echo "$before") <(echo "$after") | while read -r tid a b; do
  d=$((b - a))
  [ "$d" -gt 0 ] || continue
  name=$(awk -v t="$tid" '$1 == t { $1 = ""; sub(/^ /, ""); print; exit }' "$names")
  [ -n "$name" ] || name=$(cat "/proc/$pid/task/$tid/comm" 2>/dev/null || echo "?")
  printf '%10.1f ms  %s\n' "$(awk -v d="$d" 'BEGIN { print d / 1e6 }')" "$name"
done | sort -rn
join <(echo "$before") <(echo "$after") \
  | awk -v s="$secs" '{ t += $3 - $2 } END { printf "%10.1f ms  in all over %d s (%.3f %% of one core)\n", t / 1e6, s, 100 * t / 1e9 / s }'
