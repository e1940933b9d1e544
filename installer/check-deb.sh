#!/usr/bin/env bash
# End-to-end check of the Linux installer (issue 6). Slow (a few minutes), needs root, and changes the
# system while it runs, so it is not part of test-all.sh / .ci/run:
#
#   sudo installer/check-deb.sh [PHOTO]      # builds the .deb first
#   SKIP_BUILD=1 sudo installer/check-deb.sh  # reuses target/jpackage/deb/pastiche_*.deb
#
# 1. builds the app-image and the .deb (mvn -Pinstaller), unless SKIP_BUILD=1;
# 2. installs the .deb with dpkg -i (apt-get -f install if Depends are missing) and checks the
#    desktop entry, the MIME registration and the models/assets folders;
# 3. starts the installed launcher under xvfb-run with PHOTO on the command line (what "Open with
#    Pastiche" does), measures the time until a window titled Pastiche is mapped, waits SETTLE
#    seconds, and takes a screenshot with ImageMagick's import;
# 4. uninstalls with dpkg -r and checks that /opt/pastiche and the desktop files are gone.
#
# PHOTO defaults to the first file in the installed assets/samples, else a picture drawn here.
# The app is started twice with a fresh HOME: the first start (JavaFX unpacks its natives) is timed
# and photographed, the second is only timed.
# Outputs go to target/check-deb/: screenshot.png (screen), window.png, window-small.png (256
# colours, for docs/screenshots), app.log, summary.txt.
# Environment: SKIP_BUILD=1, SETTLE=seconds after the window appears (default 10),
# TIMEOUT=seconds to wait for the window (default 90), KEEP_INSTALLED=1 skips the uninstall.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/check-deb"
PKG=pastiche
APPDIR_INSTALLED=/opt/pastiche
LAUNCHER="$APPDIR_INSTALLED/bin/Pastiche"
SETTLE="${SETTLE:-10}"
TIMEOUT="${TIMEOUT:-90}"

# ---------------------------------------------------------------------------------------------
# Inner part: runs inside xvfb-run (DISPLAY is set). Args: photo. Writes $OUT/inside.env.
# ---------------------------------------------------------------------------------------------
if [[ "${1:-}" == "--inside-xvfb" ]]; then
  photo="$2"
  : > "$OUT/app.log"
  # A fresh home: the first start is what a new user sees (JavaFX unpacks its natives to
  # ~/.openjfx/cache, preferences are created); the second start reuses them.
  export HOME="$OUT/home"
  rm -rf "$HOME"; mkdir -p "$HOME"
  : > "$OUT/inside.env"
  for run in 1 2; do
    echo "--- start $run" >> "$OUT/app.log"
    t0=$(date +%s.%N)
    "$LAUNCHER" "$photo" >> "$OUT/app.log" 2>&1 &
    pid=$!
    win="" ; t1="" ; exited="" ; cpu=""
    deadline=$(( $(date +%s) + TIMEOUT ))
    while (( $(date +%s) < deadline )); do
      if ! kill -0 "$pid" 2>/dev/null; then exited=yes; break; fi
      for id in $(xwininfo -root -tree 2>/dev/null | grep -i '"[^"]*pastiche[^"]*"' | awk '{print $1}'); do
        if xwininfo -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then win=$id; break; fi
      done
      if [[ -n "$win" ]]; then
        t1=$(date +%s.%N)
        # CPU seconds the app used until then (utime + stime, in clock ticks): less load-dependent
        cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat")
        break
      fi
      sleep 0.1
    done
    secs=""
    [[ -n "$t1" ]] && secs=$(printf '%.1f' "$(echo "$t1 - $t0" | bc)")
    echo "start${run}_seconds='$secs'" >> "$OUT/inside.env"
    echo "start${run}_cpu='$cpu'" >> "$OUT/inside.env"
    if [[ $run == 1 ]]; then
      if [[ -n "$win" ]]; then
        sleep "$SETTLE"   # let the photo load and the first preview render
        /usr/bin/import -window "$win" "$OUT/window.png" || true
        # a small copy (256 colours) for docs/screenshots
        /usr/bin/convert "$OUT/window.png" -strip -colors 256 "PNG8:$OUT/window-small.png" || true
      else
        sleep 2
      fi
      /usr/bin/import -window root "$OUT/screenshot.png" || true
      title="" ; wmclass=""
      if [[ -n "$win" ]]; then
        title=$(xwininfo -id "$win" | sed -n 's/^xwininfo: Window id: [^ ]* //p')
        wmclass=$(xprop -id "$win" WM_CLASS 2>/dev/null | sed 's/^WM_CLASS(STRING) = //' || true)
      fi
      alive=no
      kill -0 "$pid" 2>/dev/null && alive=yes
      {
        echo "window_id='$win'"
        echo "window_title='${title//\'/}'"
        echo "wm_class='${wmclass//\'/}'"
        echo "exited_early='$exited'"
        echo "alive_after_settle='$alive'"
      } >> "$OUT/inside.env"
    fi
    # (not right after the window maps: JavaFX killed mid-startup may print an NPE from its pipeline)
    [[ $run == 2 && -n "$win" ]] && sleep 3
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; sleep 1; kill -9 "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    [[ -n "$win" ]] || break
    sleep 1
  done
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------------------------
[[ $EUID -eq 0 ]] || { echo "check-deb.sh installs a package: run it as root (sudo)." >&2; exit 2; }
mkdir -p "$OUT"
rm -f "$OUT/screenshot.png" "$OUT/window.png" "$OUT/window-small.png" "$OUT/inside.env" "$OUT/summary.txt"
cd "$ROOT"

need=()
command -v xvfb-run > /dev/null || need+=(xvfb xauth)
[[ -x /usr/bin/import && -x /usr/bin/convert ]] || need+=(imagemagick)
command -v xwininfo > /dev/null || need+=(x11-utils)
command -v bc > /dev/null || need+=(bc)
dpkg -s libgtk-3-0 > /dev/null 2>&1 || need+=(libgtk-3-0)
if (( ${#need[@]} )); then
  echo "== installing tools: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building the app-image and the .deb (mvn -Pinstaller)"
  mvn -B -q -Pinstaller -DskipTests package
fi
DEB=$(ls -t target/jpackage/deb/${PKG}_*.deb | head -1)
IMAGE=target/jpackage/image/Pastiche
echo "== package: $DEB"
dpkg-deb -f "$DEB" Package Version Architecture Installed-Size Depends

fail=0
check() { if eval "$2"; then echo "  ok   $1"; else echo "  FAIL $1"; fail=1; fi; }
installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; }
if dpkg-query -W "$PKG" > /dev/null 2>&1; then
  echo "== removing an installed $PKG first"
  dpkg --purge "$PKG"
fi

echo "== dpkg -i"
if ! dpkg -i "$DEB"; then
  echo "== resolving Depends with apt-get -f install"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq
fi
check "$PKG installed" installed

echo "== installed files"
check "launcher $LAUNCHER" "[[ -x $LAUNCHER ]]"
check "trimmed runtime" "[[ -d $APPDIR_INSTALLED/lib/runtime && ! -e $APPDIR_INSTALLED/lib/runtime/bin/javac ]]"
check "models/ in \$APPDIR" "[[ -d $APPDIR_INSTALLED/lib/app/models ]]"
check "assets/ in \$APPDIR" "[[ -d $APPDIR_INSTALLED/lib/app/assets ]]"
check "java-options point at \$APPDIR/models" "grep -q 'pastiche.models.dir=\$APPDIR/models' $APPDIR_INSTALLED/lib/app/Pastiche.cfg"
check "desktop entry in /usr/share/applications" "[[ -f /usr/share/applications/pastiche-Pastiche.desktop ]]"
check "desktop entry: Graphics category" "grep -q '^Categories=Graphics;' /usr/share/applications/pastiche-Pastiche.desktop"
check "desktop entry: Exec passes files (%F)" "grep -q '^Exec=$LAUNCHER %F' /usr/share/applications/pastiche-Pastiche.desktop"
check "desktop entry: image MIME types" "grep -q '^MimeType=image/jpeg;image/png;image/bmp;image/gif;image/tiff;image/webp' /usr/share/applications/pastiche-Pastiche.desktop"
check "/usr/bin/pastiche links to the launcher" "[[ \"\$(readlink /usr/bin/pastiche)\" == $LAUNCHER ]]"
check "MIME info registered" "[[ -f /usr/share/mime/packages/pastiche-Pastiche-MimeInfo.xml ]]"
if [[ -f /usr/share/applications/mimeinfo.cache ]]; then
  check "mimeinfo.cache offers Pastiche for image/jpeg" "grep -q '^image/jpeg=.*pastiche-Pastiche.desktop' /usr/share/applications/mimeinfo.cache"
fi
if command -v desktop-file-validate > /dev/null; then
  check "desktop-file-validate" "desktop-file-validate /usr/share/applications/pastiche-Pastiche.desktop"
fi
check "command line: pastiche --version" "/usr/bin/pastiche --version > $OUT/cli.log 2>&1"
echo "  info $(head -1 "$OUT/cli.log")"
models=$(ls "$APPDIR_INSTALLED/lib/app/models" | grep -c '\.onnx$' || true)
samples=$(ls "$APPDIR_INSTALLED/lib/app/assets/samples" 2>/dev/null | wc -l || true)
echo "  info models/*.onnx installed: $models, assets/samples: $samples"

photo="${1:-}"
if [[ -z "$photo" ]]; then
  photo=$(find "$APPDIR_INSTALLED/lib/app/assets/samples" -maxdepth 1 -type f \
            \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) 2>/dev/null | sort | head -1 || true)
fi
if [[ -z "$photo" ]]; then
  photo="$OUT/photo.jpg"   # no sample shipped: draw a "photo" (sky, sun, hills)
  /usr/bin/convert -size 960x640 gradient:'#6fa8dc-#fce5cd' \
    -fill '#ffd966' -draw 'circle 720,170 720,240' \
    -fill '#6aa84f' -draw 'ellipse 250,640 520,260 180,360' \
    -fill '#38761d' -draw 'ellipse 760,660 480,220 180,360' "$photo"
fi
photo=$(readlink -f "$photo")
echo "== starting $LAUNCHER $photo under xvfb-run"
export OUT TIMEOUT SETTLE LAUNCHER
load=$(cut -d' ' -f1-3 /proc/loadavg)
xvfb-run -a -s "-screen 0 1440x900x24" bash "$0" --inside-xvfb "$photo"
# shellcheck disable=SC1091
source "$OUT/inside.env"

echo "== uninstall"
installed_kb=$(du -sk "$APPDIR_INSTALLED" | cut -f1)
if [[ "${KEEP_INSTALLED:-0}" != 1 ]]; then
  dpkg -r "$PKG"
  check "dpkg -r: $PKG no longer installed" "! installed"
  check "/opt/pastiche removed" "[[ ! -e $APPDIR_INSTALLED ]]"
  check "desktop entry removed" "[[ ! -e /usr/share/applications/pastiche-Pastiche.desktop ]]"
  check "/usr/bin/pastiche removed" "[[ ! -e /usr/bin/pastiche ]]"
  check "MIME info removed" "[[ ! -e /usr/share/mime/packages/pastiche-Pastiche-MimeInfo.xml ]]"
  dpkg --purge "$PKG"   # jpackage's postrm keeps the package known to dpkg until it is purged
  check "dpkg --purge: dpkg forgot $PKG" "! dpkg-query -W $PKG > /dev/null 2>&1"
fi

mb() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
{
  echo "deb:            $DEB  $(mb $(( $(stat -c %s "$DEB") / 1024 )))"
  echo "installed:      $APPDIR_INSTALLED  $(mb "$installed_kb")"
  [[ -d "$IMAGE" ]] && echo "app-image:      $IMAGE  $(mb "$(du -sk "$IMAGE" | cut -f1)")"
  echo "photo:          $photo"
  echo "window:         ${window_title:-none}  (WM_CLASS ${wm_class:-?})"
  echo "start time:     first start ${start1_seconds:-no window} s (${start1_cpu:-?} s CPU), second start ${start2_seconds:-?} s (${start2_cpu:-?} s CPU)"
  echo "                (launcher started until a Pastiche window is mapped; load average before: $load; $(nproc) cores)"
  echo "exited early:   ${exited_early:-no}; still running after ${SETTLE}s: ${alive_after_settle}"
  echo "screenshot:     $OUT/screenshot.png (screen), $OUT/window.png and window-small.png (window)"
  echo "app log:        $OUT/app.log"
} | tee "$OUT/summary.txt"
if [[ -z "${start1_seconds:-}" ]]; then
  echo "NOTE: no Pastiche window appeared; app.log says:"; tail -20 "$OUT/app.log"
  fail=1
fi
if (( fail )); then echo "check-deb: FAILED"; exit 1; fi
echo "check-deb: OK"
