#!/usr/bin/env bash
# Time from launch to the tray app's first frame, with and without its AOT cache, alternating in the same run:
#   measure-ui-startup.sh IMAGE_DIR [RUNS [CACHE]]   (IMAGE_DIR: the jpackage image, e.g. /opt/wirefx or
#                                                    installers/target/packages/work/image/wirefx; CACHE: another
#                                                    cache file made with the same class path, instead of the image's)
# Runs the wirefx-ui launcher's Java with its class path and options (-XX:AOTCache=… removed for the runs without)
# and --measure-startup on a private Xvfb display; no service needs to run (the window shows its banner).
set -euo pipefail
image=$1 runs=${2:-5} cache=${3:-}
cfg="$image/lib/app/wirefx-ui.cfg"
[ -f "$cfg" ] || { echo "measure-ui-startup: no $cfg" >&2; exit 2; }
cp=$(grep '^app.classpath=' "$cfg" | sed "s|^app.classpath=\$APPDIR|$image/lib/app|" | paste -sd:)
mapfile -t with < <(grep '^java-options=' "$cfg" | sed -e 's/^java-options=//' -e "s|\$APPDIR|$image/lib/app|g")
mapfile -t without < <(printf '%s\n' "${with[@]}" | grep -v '^-XX:AOTCache=')
if [ -n "$cache" ]; then
  with=("${without[@]}" "-XX:AOTCache=$cache" -Xlog:aot=off -Xlog:cds=off)
fi
[ "${#with[@]}" != "${#without[@]}" ] || { echo "measure-ui-startup: $cfg maps no AOT cache" >&2; exit 2; }
for n in $(seq 150 199); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null' EXIT
for _ in $(seq 1 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
once() {   # options...: prints the milliseconds to the first frame
  WIREFX_UI_LAUNCH_MS=$(date +%s%3N) DISPLAY=":$n" WIREFX_SOCKET=/nonexistent/wirefx.sock \
    "$image/lib/runtime/bin/java" "$@" -cp "$cp" io.wirefx.ui.Main --measure-startup 2>&1 \
    | sed -n 's/^wirefx-ui: first frame \([0-9]*\) ms after launch$/\1/p'
}
once "${without[@]}" >/dev/null   # warms the file cache
a=() b=()
for _ in $(seq 1 "$runs"); do
  a+=("$(once "${with[@]}")")
  b+=("$(once "${without[@]}")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2))}'; }
echo "with the AOT cache:    ${a[*]} ms (median $(median "${a[@]}"))"
echo "without the AOT cache: ${b[*]} ms (median $(median "${b[@]}"))"
