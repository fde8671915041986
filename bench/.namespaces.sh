# Sourced by the bench scripts that need two network namespaces: `bench_namespaces TAG NET` creates them, joined by a
# veth pair with 10.NET.0.1/24 in the first and 10.NET.0.2/24 in the second, and removes everything on exit (also on
# failure or Ctrl-C): it kills the processes listed in `pids` (and waits for them), deletes the files listed in
# `leftovers`, both namespaces and the temporary directory. It sets id (8 random hex digits), ns1 and ns2
# (wfxTAG-ID-1 and -2), tmp, and empty pids and leftovers. TAG is one letter, so that interface names fit in 15
# characters.

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for p in "${leftovers[@]}"; do rm -f "$p"; done
  ip netns del "$ns1" 2>/dev/null || true
  ip netns del "$ns2" 2>/dev/null || true
  rm -rf "$tmp"
}

bench_namespaces() {
  local tag=$1 net=$2
  id=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
  ns1="wfx$tag-$id-1"
  ns2="wfx$tag-$id-2"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/wfx-$tag.XXXXXX")"
  pids=()
  leftovers=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  ip netns add "$ns1"
  ip netns add "$ns2"
  ip -n "$ns1" link set lo up
  ip -n "$ns2" link set lo up
  ip -n "$ns1" link add "wf${tag}v${id}a" type veth peer name "wf${tag}v${id}b" netns "$ns2"
  ip -n "$ns1" addr add "10.$net.0.1/24" dev "wf${tag}v${id}a"
  ip -n "$ns2" addr add "10.$net.0.2/24" dev "wf${tag}v${id}b"
  ip -n "$ns1" link set "wf${tag}v${id}a" up
  ip -n "$ns2" link set "wf${tag}v${id}b" up
}
