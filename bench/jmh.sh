#!/usr/bin/env bash
# Runs the JMH benchmarks of tunnel-service/bench and prints one comparable figure per benchmark.
#   bench/jmh.sh                 # all benchmarks
#   bench/jmh.sh Transport       # a regex of benchmark names
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -DskipTests package -pl tunnel-service/bench -am >&2
t=tunnel-service/bench/target
out=$(mktemp)
"$JAVA_HOME/bin/java" -cp "$t/classes:$t/lib/*" org.openjdk.jmh.Main -rf json -rff "$out" "${1:-.*}" >&2
# One line per benchmark: name, ops/s, and for transport the payload Gbit/s of 1420-byte packets.
"$JAVA_HOME/bin/java" "$here/bench/JmhSummary.java" "$out"
