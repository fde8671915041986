#!/usr/bin/env bash
# Builds the Linux packages: a jlink runtime with only the modules WireFX needs, a jpackage application image
# (/opt/wirefx: launchers, runtime, jars, JavaFX, the systemd unit and desktop files), then a .deb and an .rpm of
# that image with WireFX's own maintainer scripts (scripts/). Run by the installers module's "packages" profile:
#   build-packages.sh VERSION JARS_DIR OUT_DIR
# JARS_DIR holds wirefx-daemon, wirefx-desktop-ui and all their runtime jars (JavaFX as its -linux jars).
# WIREFX_PACKAGE_RELEASE sets the package release (default: UTC date and time, so each build upgrades the last);
# WIREFX_PACKAGE_TYPES (default "deb rpm") limits the types; a type whose tool (dpkg-deb, rpmbuild) is missing is
# skipped with a message.
set -euo pipefail
version=$1 jars=$2 out=$3
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
jdk="${JAVA_HOME:?JAVA_HOME must name a JDK 25}"
app_version="${version%%-*}"                              # 0.1.0-SNAPSHOT -> 0.1.0
release="${WIREFX_PACKAGE_RELEASE:-$(date -u +%Y%m%d%H%M%S)}"
types="${WIREFX_PACKAGE_TYPES:-deb rpm}"
work="$out/work"
rm -rf "$work"
mkdir -p "$work/input" "$work/javafx" "$out"

say() { echo "build-packages: $*" >&2; }

# Inputs: the application jars on the class path, the JavaFX platform jars on the module path.
for jar in "$jars"/*.jar; do
  case "${jar##*/}" in
    javafx-*-linux.jar) cp "$jar" "$work/javafx/" ;;
    javafx-*) ;;                                             # the empty non-platform JavaFX jars
    *) cp "$jar" "$work/input/" ;;
  esac
done
main_jar=$(cd "$work/input" && ls wirefx-daemon-*.jar)

# The runtime: the modules jdeps finds in the application jars, plus what JavaFX's modules require.
mods=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$work/input"/*.jar 2>/dev/null \
  | tail -n1)
fx_mods=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps \
  --module-path "$work/javafx" --add-modules javafx.controls,javafx.fxml "$work/javafx"/*.jar 2>/dev/null \
  | tail -n1 | tr ',' '\n' | grep -v '^javafx\.' | paste -sd, || true)
mods="$mods,${fx_mods:-java.desktop,java.xml,java.scripting,jdk.unsupported},jdk.unsupported,java.logging"
mods=$(tr ',' '\n' <<<"$mods" | grep -v '^$' | sort -u | paste -sd,)
say "jlink runtime with $mods"
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress zip-0 \
  --output "$work/runtime"

# Launchers: the CLI is the main one (the package is named after it); the others are additional launchers.
cat >"$work/wirefx-service.properties" <<'PROPS'
main-class=io.wirefx.daemon.service.ServiceMain
java-options=--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms16m -Xmx128m -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 -XX:TrimNativeHeapInterval=30000
PROPS
ui_opts='--module-path $APPDIR/javafx --add-modules javafx.controls,javafx.fxml --enable-native-access=javafx.graphics -XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
printf 'main-class=io.wirefx.ui.Main\njava-options=%s\n' "$ui_opts" >"$work/wirefx-ui.properties"
printf 'main-class=io.wirefx.ui.Main\njava-options=%s -Dwirefx.ui.hidden=true\n' "$ui_opts" \
  >"$work/wirefx-tray.properties"

say "jpackage application image"
"$jdk/bin/jpackage" --type app-image --name wirefx --dest "$work/image" \
  --app-version "$app_version" --vendor WireFX --description "WireGuard VPN for the desktop, in Java" \
  --input "$work/input" --main-jar "$main_jar" --main-class io.wirefx.daemon.cli.CliMain \
  --java-options '--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC' \
  --runtime-image "$work/runtime" \
  --add-launcher wirefx-service="$work/wirefx-service.properties" \
  --add-launcher wirefx-ui="$work/wirefx-ui.properties" \
  --add-launcher wirefx-tray="$work/wirefx-tray.properties"

image="$work/image/wirefx"
cp -r "$work/javafx" "$image/lib/app/javafx"
# wirefx-userspace: the drop-in for wireguard-go detaches like it (a shell script around the JVM launcher).
install -m 0755 "$repo/bin/wirefx-userspace" "$image/bin/wirefx-userspace"
install -m 0644 "$repo/bin/.wirefx-env" "$image/bin/.wirefx-env"
share="$image/lib/share"
mkdir -p "$share" "$image/docs"
install -m 0644 "$repo/installers/systemd/wirefx.service" "$share/wirefx.service"
install -m 0644 "$here/share/"* "$share/"
install -m 0644 "$repo/docs/service.md" "$image/docs/service.md"
# bash and zsh completion and the man pages wirefx(1) and wirefx-service(8), generated from the picocli models.
"$image/lib/runtime/bin/java" -cp "$image/lib/app/*" io.wirefx.daemon.cli.CliDocs "$share"

# Start-up: JDK 25 AOT caches (JEP 483/514) from training runs of the CLI, the service and the tray app, with the
# class path and options of their launchers; the launchers then map them (the cache stays valid when the image moves
# to /opt/wirefx; a missing or unusable cache only costs the speed-up, its messages are turned off). The service's
# training run needs root (it refuses to start otherwise); the tray app's runs under Xvfb with trayer as the tray,
# against the service's training run where there is one, until its tray icon is up.
train_jvm=()
train_start() {   # launcher main-class args...: starts a training run in the background (with the JVM options in
                  # train_jvm); its pid in train_pid
  local name=$1 main=$2 cp opts=() log="$work/train-$1.log"
  shift 2
  cp=$(grep '^app.classpath=' "$image/lib/app/$name.cfg" | sed "s|^app.classpath=\$APPDIR|$image/lib/app|" | paste -sd:)
  mapfile -t opts < <(grep '^java-options=' "$image/lib/app/$name.cfg" | sed -e 's/^java-options=//' \
    -e "s|\$APPDIR|$image/lib/app|g")
  "$image/lib/runtime/bin/java" "${opts[@]}" "${train_jvm[@]}" -XX:AOTCacheOutput="$image/lib/app/$name.aot" \
    -Xlog:aot=warning -cp "$cp" "$main" "$@" >"$log" 2>&1 &
  train_pid=$!
}
train_wait() {   # launcher pid pattern: until the run's log shows the pattern (or the run ended; at most 60 s)
  local log="$work/train-$1.log"
  for _ in $(seq 1 600); do
    { grep -q -- "$3" "$log" || ! kill -0 "$2" 2>/dev/null; } && return 0
    sleep 0.1
  done
}
train_finish() {   # launcher pid [also...]: SIGTERM, then the cache is used by the launcher and the others named
  local name=$1 pid=$2 log="$work/train-$1.log" l
  shift 2
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  if grep -q 'AOTCache creation is complete' "$log" && [ -s "$image/lib/app/$name.aot" ]; then
    for l in "$name" "$@"; do
      printf 'java-options=-XX:AOTCache=$APPDIR/%s.aot\njava-options=-Xlog:aot=off\njava-options=-Xlog:cds=off\n' \
        "$name" >>"$image/lib/app/$l.cfg"
    done
    say "AOT cache for $name${*:+ (also $*)}: $(( $(stat -c %s "$image/lib/app/$name.aot") / 1048576 )) MB"
  else
    rm -f "$image/lib/app/$name.aot"
    say "no AOT cache for $name (training run failed: $log)"
  fi
}
train_ui() {   # socket: wirefx-ui on a private Xvfb display with trayer, until the tray icon is installed
  local n display xvfb tray
  if ! command -v Xvfb >/dev/null || ! command -v trayer >/dev/null; then
    say "no AOT cache for wirefx-ui (Xvfb and trayer are needed for its training run)"
    return
  fi
  for n in $(seq 150 199); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  display=":$n"
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/train-xvfb.log" 2>&1 &
  xvfb=$!
  for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
  DISPLAY=$display trayer --edge top --align right --widthtype request --height 28 --SetDockType true \
    >"$work/train-trayer.log" 2>&1 &
  tray=$!
  sleep 1
  train_jvm=(-Dwirefx.ui.trace=true)
  DISPLAY=$display GDK_BACKEND=x11 WIREFX_SOCKET=$1 train_start wirefx-ui io.wirefx.ui.Main
  train_jvm=()
  local ui=$train_pid
  train_wait wirefx-ui "$ui" 'tray installed'
  sleep 2   # the tray menu and the tunnel list settle
  grep -q 'tray installed' "$work/train-wirefx-ui.log" || say "the tray app's training run did not reach its tray"
  train_finish wirefx-ui "$ui" wirefx-tray
  kill "$tray" "$xvfb" 2>/dev/null || true
  wait "$tray" "$xvfb" 2>/dev/null || true
}
printf '[Interface]\nPrivateKey = %s\nAddress = 10.0.0.1/24\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.0.0.2/32\n' \
  "$("$image/bin/wirefx" genkey)" "$("$image/bin/wirefx" genkey | "$image/bin/wirefx" pubkey)" >"$work/train0.conf"
train_start wirefx io.wirefx.daemon.cli.CliMain check "$work/train0.conf"
wait "$train_pid" || true
train_finish wirefx "$train_pid"
if [ "$(id -u)" = 0 ]; then
  svc="$work/train-service"
  train_start wirefx-service io.wirefx.daemon.service.ServiceMain --state-dir "$svc/tunnels" \
    --socket "$svc/s.sock" --runtime-dir "$svc/run" --uapi-dir none
  service=$train_pid
  train_wait wirefx-service "$service" '\] ready on '
  WIREFX_SOCKET="$svc/s.sock" "$image/bin/wirefx" import "$work/train0.conf" >/dev/null \
    || say "the training tunnel was not imported (the tray app trains with an empty list)"
  train_ui "$svc/s.sock"
  train_finish wirefx-service "$service"
else
  say "no AOT cache for wirefx-service (its training run needs root)"
  train_ui /nonexistent/wirefx.sock
fi

# Maintainer scripts: one set of functions shared by the .deb and .rpm entry points.
expand() {   # template -> script with the functions inlined
  sed -e "/^# @FUNCTIONS@$/{r $here/scripts/functions.sh" -e 'd}' "$1"
}

size_ok() {
  local f=$1 mb
  mb=$(( ($(stat -c %s "$f") + 1048575) / 1048576 ))
  say "$(basename "$f"): $mb MB"
  [ "$mb" -le 70 ] || { say "$(basename "$f") is larger than 70 MB"; exit 1; }
}

common=(--app-image "$image" --name wirefx --app-version "$app_version" --linux-app-release "$release"
  --vendor WireFX --description "WireGuard VPN for the desktop, in Java" --dest "$out"
  --about-url https://github.com/wirefx/wirefx)

for type in $types; do
  case "$type" in
    deb)
      command -v dpkg-deb >/dev/null || { say "dpkg-deb is missing: no .deb"; continue; }
      res="$work/resources-deb"
      mkdir -p "$res"
      for s in preinst postinst prerm postrm; do expand "$here/scripts/deb-$s" >"$res/$s"; done
      cp "$here/scripts/deb-control" "$res/control"
      rm -f "$out"/wirefx_*.deb
      say "jpackage .deb"
      "$jdk/bin/jpackage" --type deb "${common[@]}" --resource-dir "$res" \
        --linux-deb-maintainer wirefx@localhost --linux-app-category net \
        --linux-package-deps "libgtk-3-0 | libgtk-3-0t64, iproute2, passwd"
      size_ok "$(ls "$out"/wirefx_*.deb)"
      ;;
    rpm)
      command -v rpmbuild >/dev/null || { say "rpmbuild is missing: no .rpm"; continue; }
      res="$work/resources-rpm"
      mkdir -p "$res"
      expand "$here/scripts/rpm.spec" >"$res/wirefx.spec"
      rm -f "$out"/wirefx-*.rpm
      say "jpackage .rpm"
      "$jdk/bin/jpackage" --type rpm "${common[@]}" --resource-dir "$res" \
        --linux-app-category Applications/Internet --linux-rpm-license-type "Apache-2.0" --linux-package-deps "gtk3, iproute, shadow-utils"
      size_ok "$(ls "$out"/wirefx-*.rpm)"
      ;;
    *) say "unknown package type $type"; exit 2 ;;
  esac
done
