#!/usr/bin/env bash
# Shows the tray app on a real StatusNotifierItem host and a real notification server, and writes
# docs/screenshots/tray-sni-menu.png and docs/screenshots/notifications.png.
#
# The host is Xfce's panel (its status tray renders StatusNotifierItems and their com.canonical.dbusmenu menus
# through libdbusmenu, as GNOME's AppIndicator extension and KDE do), the notification server xfce4-notifyd, all on
# a private Xvfb display and session bus. The UI talks to a real wirefx-service running in a private network
# namespace, whose tunnel "home" reaches a wireguard-go peer in a second namespace. Nothing outside the two
# namespaces, the display and the temporary directory is touched; everything is removed on exit.
#
# Needs root and: apt-get install xvfb xfce4-panel xfce4-notifyd xdotool imagemagick dbus-x11 wireguard-go
#                 wireguard-tools iproute2
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/docs/screenshots}"
mkdir -p "$out"
display=":${WIREFX_SHOT_DISPLAY:-91}"
work=$(mktemp -d /tmp/wirefx-shots.XXXXXX)
ns=wfxshot$$ peer=wfxpeer$$
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
  sleep 1
  ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns pids "$peer" 2>/dev/null | xargs -r kill 2>/dev/null || true
  sleep 1
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$peer" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

W="$here/bin/wirefx"
export WIREFX_SOCKET="$work/wirefx.sock"

# Two namespaces joined by a veth pair; the service in one, a wireguard-go peer in the other.
ip netns add "$ns"; ip netns add "$peer"
ip -n "$ns" link set lo up; ip -n "$peer" link set lo up
ip link add wfxs0 netns "$ns" type veth peer name wfxp0 netns "$peer"
ip -n "$ns" addr add 192.0.2.1/24 dev wfxs0; ip -n "$ns" link set wfxs0 up
ip -n "$peer" addr add 192.0.2.10/24 dev wfxp0; ip -n "$peer" link set wfxp0 up
mkdir -p "$work/state" "$work/run"
ip netns exec "$ns" "$here/bin/wirefx-service" --state-dir "$work/state" --socket "$WIREFX_SOCKET" \
  --runtime-dir "$work/run" --uapi-dir none >"$work/service.log" 2>&1 &
pids+=($!)

peer_key=$("$W" genkey); client_key=$("$W" genkey)
echo "$peer_key" >"$work/peer.key"; chmod 600 "$work/peer.key"
WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1 ip netns exec "$peer" wireguard-go wgp0 2>/dev/null
ip netns exec "$peer" wg set wgp0 private-key "$work/peer.key" listen-port 51820 \
  peer "$(echo "$client_key" | "$W" pubkey)" allowed-ips 10.66.0.2/32
ip -n "$peer" addr add 10.66.0.1/24 dev wgp0; ip -n "$peer" link set wgp0 up

conf() { # NAME ADDRESS PEERKEY ALLOWED ENDPOINT
  printf '[Interface]\nPrivateKey = %s\nAddress = %s\n\n[Peer]\nPublicKey = %s\nAllowedIPs = %s\nEndpoint = %s\nPersistentKeepalive = 25\n' \
    "$2" "$3" "$4" "$5" "$6" >"$work/$1.conf"
}
conf home "$client_key" 10.66.0.2/24 "$(echo "$peer_key" | "$W" pubkey)" 10.66.0.0/24 192.0.2.10:51820
conf office "$("$W" genkey)" 10.67.0.2/24 "$("$W" genkey | "$W" pubkey)" 10.67.0.0/24 192.0.2.20:51820
conf travel "$("$W" genkey)" 10.68.0.2/24 "$("$W" genkey | "$W" pubkey)" 10.68.0.0/24 192.0.2.30:51820
for _ in $(seq 50); do [ -S "$WIREFX_SOCKET" ] && break; sleep 0.2; done
"$W" import "$work/home.conf" "$work/office.conf" "$work/travel.conf"

# The desktop: Xvfb, a session bus, the panel with its status tray, the notification server.
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
sleep 2
export DISPLAY="$display" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml"
cp /etc/xdg/xfce4/panel/default.xml "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml"
eval "$(dbus-launch --sh-syntax)"
xfce4-panel >"$work/panel.log" 2>&1 &
pids+=($!)
/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd >"$work/notifyd.log" 2>&1 &
pids+=($!)
sleep 3

"$here/bin/wirefx-ui" >"$work/ui.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do grep -q "registered with org.kde.StatusNotifierWatcher" "$work/ui.log" && break; sleep 0.5; done
grep -q "registered with org.kde.StatusNotifierWatcher" "$work/ui.log" || { cat "$work/ui.log"; exit 1; }
sleep 2
xdotool key ctrl+w   # close the window: the app stays in the tray, and notifications are shown while unfocused
sleep 1

# Where the default Xfce panel on a 1280x800 screen puts the status tray's first item, and the menu's second row.
icon_x=1128 icon_y=12
"$W" up home
sleep 2
import -window root "$work/notify.png"
convert "$work/notify.png" -crop 420x200+860+0 +repage "$out/notifications.png"
ip netns exec "$ns" ping -c 2 -q 10.66.0.1 >/dev/null
sleep 6   # let the notifications expire
xdotool mousemove "$icon_x" "$icon_y" click 3
sleep 1.5
import -window root "$work/menu.png"
convert "$work/menu.png" -crop 420x200+860+0 +repage "$out/tray-sni-menu.png"
# A click on "office" in the host's menu starts that tunnel through the service (EventGroup from libdbusmenu).
xdotool mousemove 1013 67 click 1
for _ in $(seq 20); do "$W" list | grep -q '^office *RUNNING' && break; sleep 0.5; done
"$W" list
"$W" list | grep -q '^office *RUNNING' || { echo "the menu click did not start office" >&2; exit 1; }
echo "wrote $out/tray-sni-menu.png and $out/notifications.png"
