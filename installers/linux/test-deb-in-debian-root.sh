#!/usr/bin/env bash
# The .deb in a fresh Debian root, the way a user gets it (run by LinuxPackagesTest, as root, inside
# `unshare --mount`, so every mount below vanishes with the process):
#   test-deb-in-debian-root.sh CACHE_DIR WORK_DIR WIREFX.deb
# 1. a minimal Debian bookworm root from debootstrap (the tarball is cached in CACHE_DIR, and so are the .debs apt
#    downloads), unpacked fresh into WORK_DIR/root;
# 2. `apt-get install ./OLD.deb` there: the declared dependencies must be enough;
# 3. `wirefx genkey | wirefx pubkey` with the bundled runtime;
# 4. the service (chroot) in a private network namespace; import, up, ping a wireguard-go peer in another
#    namespace; upgrade to a newer build (the same payload repacked with a higher version, so the upgrade path of
#    the maintainer scripts runs), restart the service: the tunnel comes back and pings; down;
# 5. remove (the commands are gone, the configurations stay), purge: no file named *wirefx* is left.
# Prints "STEP ..." lines and "PASS" at the end; exits non-zero with "FAIL: why" otherwise.
set -euo pipefail
cache=$1 work=$2 old_deb=$3
suite=bookworm
mirror=${WIREFX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
id=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
ns_svc="wfxpkg-$id-s" ns_peer="wfxpkg-$id-p" peer_if="wfxp$id"
root="$work/root"
service_pid=

step() { echo "STEP $*"; }
fail() { echo "FAIL: $*"; exit 1; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

cleanup() {
  set +e
  [ -n "$service_pid" ] && { kill -TERM "$service_pid"; wait "$service_pid"; }
  ip netns delete "$ns_svc" 2>/dev/null
  ip netns delete "$ns_peer" 2>/dev/null   # ends wireguard-go (its interface goes)
  rm -f "/var/run/wireguard/$peer_if.sock"
}
trap cleanup EXIT

mkdir -p "$cache/apt-archives/partial" "$work"
tarball="$cache/debian-$suite-minbase.tar"
if [ ! -s "$tarball" ]; then
  step "debootstrap $suite (cached afterwards in $tarball)"
  rm -rf "$cache/bootstrap"
  debootstrap --variant=minbase "$suite" "$cache/bootstrap" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; fail "debootstrap"; }
  tar -C "$cache/bootstrap" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$cache/bootstrap"
fi
step "fresh root from $tarball"
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$old_deb" "$root/tmp/old.deb"
# The newer build: the same files with the version's release part raised by one.
rm -rf "$work/repack"
dpkg-deb -R "$old_deb" "$work/repack"
old_version=$(sed -n 's/^Version: //p' "$work/repack/DEBIAN/control")
sed -i "s/^Version: .*/Version: ${old_version}1/" "$work/repack/DEBIAN/control"
dpkg-deb -Zxz -z1 -b "$work/repack" "$root/tmp/new.deb" >/dev/null
rm -rf "$work/repack"

step "apt-get install ./wirefx.deb (with its declared dependencies only)"
in_root apt-get -q update >/dev/null
in_root apt-get install -y -q --no-install-recommends /tmp/old.deb >"$work/install.log" 2>&1 \
  || { tail -30 "$work/install.log"; fail "installing the package"; }
grep -i 'wirefx:' "$work/install.log" || true
for c in wirefx wirefx-service wirefx-userspace wirefx-ui; do
  [ -L "$root/usr/bin/$c" ] && [ -x "$root$(readlink "$root/usr/bin/$c")" ] || fail "/usr/bin/$c is missing"
done
for f in /usr/lib/systemd/system/wirefx.service /usr/lib/sysusers.d/wirefx.conf \
  /usr/share/applications/wirefx.desktop /etc/xdg/autostart/wirefx-ui.desktop \
  /usr/share/icons/hicolor/scalable/apps/wirefx.svg /usr/share/bash-completion/completions/wirefx \
  /usr/share/zsh/vendor-completions/_wirefx /usr/share/man/man1/wirefx.1.gz \
  /usr/share/man/man8/wirefx-service.8.gz; do
  [ -f "$root$f" ] || fail "$f is missing"
done
in_root getent group wirefx >/dev/null || fail "group wirefx is missing"
in_root getent group wirefx-admin >/dev/null || fail "group wirefx-admin is missing"
grep -q 'systemd is not running here' "$work/install.log" || fail "no message about the service not being started"

step "wirefx genkey | wirefx pubkey (bundled runtime)"
in_root sh -c 'wirefx genkey > /tmp/key && wirefx pubkey < /tmp/key' >"$work/pub" || fail "genkey | pubkey"
[ "$(cat "$work/pub")" = "$(wg pubkey <"$root/tmp/key")" ] || fail "pubkey differs from wg pubkey"
echo "public key $(cat "$work/pub")"
ldd_missing=$(in_root sh -c 'export LD_LIBRARY_PATH=/opt/wirefx/lib/runtime/lib:/opt/wirefx/lib/runtime/lib/server
  for f in /opt/wirefx/lib/runtime/lib/*.so /opt/wirefx/lib/runtime/lib/server/*.so; do
  ldd "$f" | grep "not found" | sed "s|^|$f: |"; done' || true)
[ -z "$ldd_missing" ] || fail "runtime libraries without their dependencies: $ldd_missing"

step "service in namespace $ns_svc, wireguard-go peer in $ns_peer"
ip netns add "$ns_svc"
ip netns add "$ns_peer"
ip -n "$ns_svc" link add veth-s type veth peer name veth-p netns "$ns_peer"
ip -n "$ns_svc" addr add 192.0.2.1/24 dev veth-s
ip -n "$ns_peer" addr add 192.0.2.2/24 dev veth-p
for ns in "$ns_svc" "$ns_peer"; do ip -n "$ns" link set lo up; done
ip -n "$ns_svc" link set veth-s up
ip -n "$ns_peer" link set veth-p up

start_service() {
  ip netns exec "$ns_svc" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    /usr/bin/wirefx-service >>"$work/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 600); do
    in_root wirefx list >/dev/null 2>&1 && return 0
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$work/service.log"
  fail "the service did not start"
}
stop_service() {
  kill -TERM "$service_pid"
  wait "$service_pid" || true
  service_pid=
}
start_service

peer_key=$(wg genkey)
ip netns exec "$ns_peer" wireguard-go "$peer_if" >/dev/null 2>&1 || fail "wireguard-go"
ip netns exec "$ns_peer" wg set "$peer_if" private-key <(echo "$peer_key") listen-port 51820 \
  peer "$(cat "$work/pub")" allowed-ips 10.88.0.1/32
ip -n "$ns_peer" addr add 10.88.0.2/24 dev "$peer_if"
ip -n "$ns_peer" link set "$peer_if" up
cat >"$root/tmp/wfxpkg.conf" <<EOF
[Interface]
PrivateKey = $(cat "$root/tmp/key")
Address = 10.88.0.1/24

[Peer]
PublicKey = $(wg pubkey <<<"$peer_key")
AllowedIPs = 10.88.0.2/32
Endpoint = 192.0.2.2:51820
EOF
in_root wirefx import /tmp/wfxpkg.conf || fail "import"
in_root wirefx up wfxpkg || { tail -20 "$work/service.log"; fail "up"; }
ip netns exec "$ns_svc" ping -c 3 -i 0.3 -W 5 10.88.0.2 | grep -E 'time=|rtt' || fail "no ping reply through the tunnel"

step "upgrade to the newer build, restart the service: the tunnel comes back"
in_root apt-get install -y -q --no-install-recommends /tmp/new.deb >"$work/upgrade.log" 2>&1 \
  || { tail -30 "$work/upgrade.log"; fail "upgrading"; }
in_root dpkg-query -W -f='${Version}\n' wirefx
[ -f "$root/etc/wirefx/tunnels/wfxpkg.conf" ] || fail "the upgrade lost the stored tunnel"
stop_service
start_service
for _ in $(seq 1 300); do
  in_root wirefx list | grep -q 'wfxpkg .*RUNNING' && break
  sleep 0.1
done
in_root wirefx list
in_root wirefx list | grep -q 'wfxpkg .*RUNNING' || fail "the tunnel was not restored after the upgrade"
ip netns exec "$ns_svc" ping -c 3 -i 0.3 -W 5 10.88.0.2 | grep -E 'time=|rtt' || fail "no ping after the upgrade"
in_root wirefx down wfxpkg || fail "down"
ip -n "$ns_svc" -o link show | grep -q ': wfxpkg[:@]' && fail "the interface is still there after down"
stop_service

step "remove: commands gone, configurations kept"
in_root apt-get remove -y -q wirefx >"$work/remove.log" 2>&1 || { tail -30 "$work/remove.log"; fail "remove"; }
[ ! -L "$root/usr/bin/wirefx" ] || fail "/usr/bin/wirefx is still there after remove"
[ ! -e "$root/opt/wirefx" ] || fail "/opt/wirefx is still there after remove"
[ -f "$root/etc/wirefx/tunnels/wfxpkg.conf" ] || fail "remove deleted the configurations (only purge should)"

step "purge: nothing named *wirefx* is left"
in_root apt-get purge -y -q wirefx >"$work/purge.log" 2>&1 || { tail -30 "$work/purge.log"; fail "purge"; }
left=$(find "$root" -xdev \( -path "$root/proc" -o -path "$root/dev" -o -path "$root/tmp" \
  -o -path "$root/var/cache/apt/archives" \) -prune -o -iname '*wirefx*' -print)
[ -z "$left" ] || fail "left after purge: $left"
echo PASS
