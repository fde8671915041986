#!/usr/bin/env bash
# Builds the macOS installer: a jlink runtime, a jpackage WireFX.app (the tray app as its main launcher; the CLI,
# the service and the tray start-up launcher beside it in Contents/MacOS), the launchd daemon plist and the
# uninstall script in Contents/Resources, then WireFX-VERSION.pkg whose postinstall puts the plist into
# /Library/LaunchDaemons and loads it, links the commands into /usr/local/bin, and registers the tray app as a
# login item for every user (LaunchAgent).
#   build-pkg.sh VERSION JARS_DIR OUT_DIR
set -euo pipefail
version=$1 jars=$2 out=$3
here="$(cd "$(dirname "$0")" && pwd)"
jdk="${JAVA_HOME:?JAVA_HOME must name a JDK 25}"
work="$out/work"
rm -rf "$work"
mkdir -p "$work/input" "$work/javafx" "$work/resources"
for jar in "$jars"/*.jar; do
  case "${jar##*/}" in
    javafx-*-mac*.jar) cp "$jar" "$work/javafx/" ;;
    javafx-*) ;;
    *) cp "$jar" "$work/input/" ;;
  esac
done
mods=$("$jdk/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$work/input"/*.jar 2>/dev/null \
  | tail -n1)
"$jdk/bin/jlink" --add-modules "$mods,java.desktop,java.xml,java.scripting,jdk.unsupported,java.logging" \
  --strip-debug --no-header-files --no-man-pages --compress zip-9 --output "$work/runtime"

ui_opts='--module-path $APPDIR/javafx --add-modules javafx.controls,javafx.fxml --enable-native-access=javafx.graphics -XX:TieredStopAtLevel=1 -XX:+UseSerialGC'
printf 'main-class=io.wirefx.daemon.cli.CliMain\njava-options=--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC\n' \
  >"$work/wirefx.properties"
printf 'main-class=io.wirefx.daemon.service.ServiceMain\njava-options=--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xms16m -Xmx128m -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000\n' \
  >"$work/wirefx-service.properties"
printf 'main-class=io.wirefx.ui.Main\njava-options=%s -Dwirefx.ui.hidden=true\n' "$ui_opts" >"$work/wirefx-tray.properties"
"$jdk/bin/jpackage" --type app-image --name WireFX --dest "$work/image" --app-version "$version" --vendor WireFX \
  --mac-package-identifier io.wirefx.app \
  --input "$work/input" --main-jar "$(cd "$work/input" && ls wirefx-desktop-ui-*.jar)" --main-class io.wirefx.ui.Main \
  --java-options "$ui_opts" --runtime-image "$work/runtime" \
  --add-launcher wirefx="$work/wirefx.properties" \
  --add-launcher wirefx-service="$work/wirefx-service.properties" \
  --add-launcher wirefx-tray="$work/wirefx-tray.properties"
app="$work/image/WireFX.app"
cp -r "$work/javafx" "$app/Contents/app/javafx"
install -m 0644 "$here/io.wirefx.service.plist" "$here/io.wirefx.tray.plist" "$app/Contents/Resources/"
install -m 0755 "$here/uninstall.sh" "$app/Contents/Resources/wirefx-uninstall.sh"

install -m 0755 "$here/postinstall" "$work/resources/postinstall"
install -m 0755 "$here/preinstall" "$work/resources/preinstall"
"$jdk/bin/jpackage" --type pkg --app-image "$app" --name WireFX --app-version "$version" --vendor WireFX \
  --mac-package-identifier io.wirefx.app --resource-dir "$work/resources" --dest "$out"
pkg=$(ls "$out"/WireFX-*.pkg)
mb=$(( ($(stat -f %z "$pkg") + 1048575) / 1048576 ))
echo "$(basename "$pkg"): $mb MB"
[ "$mb" -le 70 ] || { echo "the .pkg is larger than 70 MB" >&2; exit 1; }
