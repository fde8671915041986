# --- WireFX package integration (shared by the .deb and .rpm scripts; inlined at build time) ---
# The package payload is /opt/wirefx only (jpackage); these functions put the system-wide pieces in place from
# /opt/wirefx/lib/share and take them away again, so that a removal leaves no file behind.
wirefx_app=/opt/wirefx
wirefx_share=/opt/wirefx/lib/share
wirefx_commands="wirefx wirefx-service wirefx-userspace wirefx-ui"
wirefx_files="/usr/lib/systemd/system/wirefx.service /usr/lib/sysusers.d/wirefx.conf
/usr/share/applications/wirefx.desktop /etc/xdg/autostart/wirefx-ui.desktop
/usr/share/icons/hicolor/scalable/apps/wirefx.svg /usr/share/bash-completion/completions/wirefx
/usr/share/zsh/vendor-completions/_wirefx /usr/share/man/man1/wirefx.1.gz /usr/share/man/man8/wirefx-service.8.gz"

wirefx_systemd_running() { [ -d /run/systemd/system ]; }

wirefx_integrate() {
  for c in $wirefx_commands; do ln -sfn "$wirefx_app/bin/$c" "/usr/bin/$c"; done
  install -D -m 0644 "$wirefx_share/wirefx.service" /usr/lib/systemd/system/wirefx.service
  install -D -m 0644 "$wirefx_share/sysusers.conf" /usr/lib/sysusers.d/wirefx.conf
  install -D -m 0644 "$wirefx_share/wirefx.desktop" /usr/share/applications/wirefx.desktop
  install -D -m 0644 "$wirefx_share/wirefx-ui-autostart.desktop" /etc/xdg/autostart/wirefx-ui.desktop
  install -D -m 0644 "$wirefx_share/wirefx.svg" /usr/share/icons/hicolor/scalable/apps/wirefx.svg
  if [ -f "$wirefx_share/wirefx.bash" ]; then
    install -D -m 0644 "$wirefx_share/wirefx.bash" /usr/share/bash-completion/completions/wirefx
  fi
  if [ -f "$wirefx_share/_wirefx" ]; then
    install -D -m 0644 "$wirefx_share/_wirefx" /usr/share/zsh/vendor-completions/_wirefx
  fi
  if [ -f "$wirefx_share/wirefx.1" ]; then
    mkdir -p /usr/share/man/man1
    gzip -9nc "$wirefx_share/wirefx.1" >/usr/share/man/man1/wirefx.1.gz
  fi
  if [ -f "$wirefx_share/wirefx-service.8" ]; then
    mkdir -p /usr/share/man/man8
    gzip -9nc "$wirefx_share/wirefx-service.8" >/usr/share/man/man8/wirefx-service.8.gz
  fi
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q 2>/dev/null || true; fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t /usr/share/icons/hicolor 2>/dev/null || true
  fi
}

wirefx_disintegrate() {
  for c in $wirefx_commands; do
    if [ -L "/usr/bin/$c" ]; then rm -f "/usr/bin/$c"; fi
  done
  for f in $wirefx_files; do rm -f "$f"; done
  for d in /usr/share/zsh/vendor-completions /usr/share/bash-completion/completions /usr/lib/sysusers.d; do
    rmdir --ignore-fail-on-non-empty "$d" 2>/dev/null || true
  done
  if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q 2>/dev/null || true; fi
}

# Groups: wirefx (operators) and wirefx-admin, through sysusers.d where systemd-sysusers exists.
wirefx_groups() {
  if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers /usr/lib/sysusers.d/wirefx.conf || true
  fi
  for g in wirefx wirefx-admin; do
    getent group "$g" >/dev/null 2>&1 || groupadd --system "$g"
  done
}

# The desktop user who installed the package (sudo: SUDO_USER; pkexec: PKEXEC_UID) joins the operator group, so
# the tray app and the CLI work after the next login. Admin rights stay an explicit decision.
wirefx_add_installing_user() {
  user=""
  if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    user=$SUDO_USER
  elif [ -n "${PKEXEC_UID:-}" ] && [ "$PKEXEC_UID" != 0 ]; then
    user=$(getent passwd "$PKEXEC_UID" | cut -d: -f1)
  fi
  if [ -n "$user" ] && getent passwd "$user" >/dev/null 2>&1; then
    if ! id -nG "$user" | tr ' ' '\n' | grep -qx wirefx; then
      usermod -a -G wirefx "$user"
      echo "wirefx: added $user to the group wirefx (log in again to use it)"
    fi
  else
    echo "wirefx: to let a user start and stop tunnels: sudo usermod -aG wirefx USER (wirefx-admin to import and edit)"
  fi
}

# Enabled and (re)started where systemd runs; a restart after an upgrade restores every tunnel that was up.
wirefx_start_service() {
  if command -v systemctl >/dev/null 2>&1; then
    if wirefx_systemd_running; then systemctl daemon-reload || true; fi
    systemctl enable wirefx.service >/dev/null 2>&1 || true
  fi
  if wirefx_systemd_running; then
    systemctl restart wirefx.service || echo "wirefx: the service did not start: journalctl -u wirefx" >&2
  else
    echo "wirefx: systemd is not running here, so the service was not started; start it as root with"
    echo "        wirefx-service   (it stays in the foreground; see /opt/wirefx/docs/service.md)"
  fi
}

wirefx_stop_service() {
  if wirefx_systemd_running; then
    systemctl stop wirefx.service >/dev/null 2>&1 || true
  fi
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable wirefx.service >/dev/null 2>&1 || true
  fi
  if wirefx_systemd_running; then systemctl daemon-reload || true; fi
}

# Purge: the tunnel configurations and the service's state. The groups stay (files may still name them).
wirefx_purge() {
  rm -rf /etc/wirefx /var/lib/wirefx /run/wirefx
}
# --- end of WireFX package integration ---
