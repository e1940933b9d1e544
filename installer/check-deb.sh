#!/usr/bin/env bash
# End-to-end check of the Linux package, as a Linux user would try it. Slow (minutes), needs root, and
# changes the system while it runs, so it is not part of test-all.sh / CI:
#
#   sudo installer/check-deb.sh                 # builds the .deb first (mvn -Pinstaller), timed
#   SKIP_BUILD=1 sudo installer/check-deb.sh    # reuses target/jpackage/deb/pastiche_*.deb
#   OLD_DEB=old/pastiche_0.1.0-1_amd64.deb SKIP_BUILD=1 sudo installer/check-deb.sh   # + upgrade from it
#
# 1. lintian on the .deb (target/check-deb/lintian.txt) and the control file (Depends each once);
# 2. installs it with apt-get (Depends resolved; after OLD_DEB if given: an upgrade) and checks the
#    files: launcher, runtime with jdk.management, ONNX Runtime's libraries in $APPDIR/native, menu
#    entry (desktop-file-validate), hicolor icons, AppStream metainfo (appstreamcli validate), man
#    page, machine-readable copyright, changelog; and that Pastiche took no default: nothing in
#    defaults.list / mimeapps.list, xdg-mime's default for image/jpeg unchanged, only "Open with";
# 3. runs every subcommand of the installed app (--help, --version, help, styles, styles --check,
#    stylize, bench, bench --megapixels) and the window without a display (one sentence);
# 4. a fresh user (a throwaway account, so that Java's home from the password database is new):
#    first start of the window from the desktop entry's Exec line with a photo, timed until the
#    window is mapped (and the CPU it used), a screenshot; a second start; a start of the bare
#    launcher (no ORT_DISABLE_TELEMETRY: the launcher relaunches itself once);
# 5. telemetry: every run of 3 and 4 under strace (network calls only, --seccomp-bpf, so the start
#    times include little tracing; all threads and children): no DNS
#    query, no connection other than the X display; nothing under the user's
#    ~/.cache/Microsoft; no /tmp/onnxruntime-java* folder of that user left;
# 6. removes the package (apt-get purge) and checks that nothing of it is left (files, defaults).
#
# Results in target/check-deb/: summary.txt (the figures for installer/README.md), lintian.txt,
# telemetry.txt, screenshot.png, window.png, app.log, cli.log, strace/*.txt.
# Environment: SKIP_BUILD=1, OLD_DEB=path, SETTLE (10 s after the window appears), TIMEOUT (90 s),
# KEEP_INSTALLED=1 (skip the removal).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/check-deb"
PKG=pastiche
APP_ID=org.pastiche.Pastiche
OPT=/opt/pastiche
LAUNCHER="$OPT/bin/Pastiche"
DESKTOP="/usr/share/applications/$APP_ID.desktop"
SETTLE="${SETTLE:-10}"
TIMEOUT="${TIMEOUT:-90}"
USER_NAME=pastiche-check

[[ $EUID -eq 0 ]] || { echo "check-deb.sh installs a package: run it as root (sudo)." >&2; exit 2; }
cd "$ROOT"
rm -rf "$OUT"; mkdir -p "$OUT/strace"

need=()
for t in Xvfb:xvfb xauth:xauth /usr/bin/import:imagemagick xwininfo:x11-utils xprop:x11-utils bc:bc strace:strace \
         lintian:lintian appstreamcli:appstream desktop-file-validate:desktop-file-utils xdg-mime:xdg-utils man:man-db; do
  command -v "${t%%:*}" > /dev/null || need+=("${t##*:}")
done
if (( ${#need[@]} )); then
  echo "== installing tools: ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
fi

build_s=""
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building the app-image and the .deb (mvn -B -Pinstaller -DskipTests package)"
  t0=$(date +%s.%N)
  mvn -B -q -Pinstaller -DskipTests package
  build_s=$(printf '%.0f' "$(echo "$(date +%s.%N) - $t0" | bc)")
fi
DEB=$(ls -t target/jpackage/deb/${PKG}_*.deb | head -1)
IMAGE=target/jpackage/image/Pastiche
echo "== package: $DEB"

fail=0
check() { if eval "$2"; then echo "  ok   $1"; else echo "  FAIL $1"; fail=1; fi; }
installed() { dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; }
no_pastiche_default() {   # $1: a defaults/mimeapps file
  [[ ! -f "$1" ]] || ! grep -qi 'pastiche' "$1"
}

# ---- 1. lintian, control file ----------------------------------------------------------------
echo "== lintian"
lintian --tag-display-limit 0 "$DEB" > "$OUT/lintian.txt" 2>&1 || true
grep -E '^[EWI]: ' "$OUT/lintian.txt" | awk '{print $1, $3}' | sort | uniq -c | sort -rn > "$OUT/lintian-summary.txt" || true
sed 's/^/  /' "$OUT/lintian-summary.txt"
dpkg-deb -f "$DEB" > "$OUT/control.txt"
deps=$(dpkg-deb -f "$DEB" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | grep -v '^$' | sort)
check "Depends names each package once" "[[ -z \"\$(uniq -d <<< \"\$deps\")\" ]]"
check "Description has a long part" "[[ \$(dpkg-deb -f $DEB Description | wc -l) -gt 3 ]]"
check "Homepage and a maintainer address" "dpkg-deb -f $DEB Homepage | grep -q '^https://' && dpkg-deb -f $DEB Maintainer | grep -q '<.*@.*>'"
dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|' > "$OUT/files.txt"
dpkg-deb -e "$DEB" "$OUT/control"
check "no maintainer script runs xdg-mime / xdg-desktop-menu (they write defaults.list)" "! grep -qsE 'xdg-mime|xdg-desktop-menu' $OUT/control/*"

# ---- 2. install ------------------------------------------------------------------------------
if dpkg-query -W "$PKG" > /dev/null 2>&1; then
  echo "== removing an installed $PKG first"; dpkg --purge "$PKG" > /dev/null
fi
rm -f /usr/share/applications/defaults.list.check-backup
[[ -f /usr/share/applications/defaults.list ]] && cp /usr/share/applications/defaults.list /usr/share/applications/defaults.list.check-backup
jpeg_default_before=$(XDG_DATA_DIRS=/usr/share HOME=/nonexistent xdg-mime query default image/jpeg 2>/dev/null || true)
if [[ -n "${OLD_DEB:-}" ]]; then
  echo "== installing the old package $OLD_DEB (to check the upgrade)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(readlink -f "$OLD_DEB")" > "$OUT/apt-old.log" 2>&1 || { tail "$OUT/apt-old.log"; fail=1; }
  echo "  info old package's defaults.list: $(grep -c pastiche /usr/share/applications/defaults.list 2>/dev/null || echo 0) pastiche lines"
fi
echo "== apt-get install $DEB"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(readlink -f "$DEB")" > "$OUT/apt.log" 2>&1 || { tail -20 "$OUT/apt.log"; }
check "$PKG installed" installed

echo "== installed files"
check "launcher $LAUNCHER" "[[ -x $LAUNCHER ]]"
check "/usr/bin/pastiche starts the launcher with telemetry off" "[[ -x /usr/bin/pastiche ]] && grep -q '^ORT_DISABLE_TELEMETRY=1' /usr/bin/pastiche && grep -q '^exec $LAUNCHER \"\$@\"' /usr/bin/pastiche"
check "trimmed runtime (no javac)" "[[ -d $OPT/lib/runtime && ! -e $OPT/lib/runtime/bin/javac ]]"
check "runtime has jdk.management" "grep -q 'jdk.management' $OPT/lib/runtime/release"
check "ONNX Runtime libraries in \$APPDIR/native" "[[ -f $OPT/lib/app/native/libonnxruntime.so && -f $OPT/lib/app/native/libonnxruntime4j_jni.so ]]"
check "launcher options: models dir, native path" "grep -q 'pastiche.models.dir=\$APPDIR/models' $OPT/lib/app/Pastiche.cfg && grep -q 'onnxruntime.native.path=\$APPDIR/native' $OPT/lib/app/Pastiche.cfg"
check "native code stripped" "! file $OPT/bin/Pastiche $OPT/lib/runtime/lib/server/libjvm.so | grep -q 'not stripped'"
check "desktop entry $DESKTOP" "[[ -f $DESKTOP ]]"
check "desktop-file-validate" "desktop-file-validate $DESKTOP"
check "desktop entry: Exec with the photos (%F)" "grep -q '^Exec=/usr/bin/pastiche %F\$' $DESKTOP"
check "desktop entry: image types for Open with" "grep -q '^MimeType=image/jpeg;image/png;image/bmp;image/gif;image/tiff;image/webp;' $DESKTOP"
check "desktop entry: theme icon name" "grep -q '^Icon=$APP_ID\$' $DESKTOP"
for s in 16 22 24 32 48 64 128 256 512; do
  f=/usr/share/icons/hicolor/${s}x${s}/apps/$APP_ID.png
  check "icon ${s}x${s}" "[[ -f $f ]] && file $f | grep -q '$s x $s'"
done
check "icon scalable (SVG)" "[[ -f /usr/share/icons/hicolor/scalable/apps/$APP_ID.svg ]]"
check "metainfo installed" "[[ -f /usr/share/metainfo/$APP_ID.metainfo.xml ]]"
appstreamcli validate --no-net "/usr/share/metainfo/$APP_ID.metainfo.xml" > "$OUT/appstream.txt" 2>&1 || true
check "appstreamcli validate" "appstreamcli validate --no-net /usr/share/metainfo/$APP_ID.metainfo.xml > /dev/null 2>&1"
check "metainfo: screenshots and a description" "grep -q '<screenshot' /usr/share/metainfo/$APP_ID.metainfo.xml && grep -q '<description>' /usr/share/metainfo/$APP_ID.metainfo.xml"
check "man page: man -w pastiche" "[[ \"\$(man -w pastiche 2>/dev/null)\" == /usr/share/man/man1/pastiche.1.gz ]]"
check "man page renders with every command" "man -P cat pastiche 2>/dev/null | grep -qE 'pastiche +stylize' && man -P cat pastiche 2>/dev/null | grep -qE 'pastiche +bench'"
C=/usr/share/doc/$PKG/copyright
check "copyright: machine-readable" "head -1 $C | grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'"
check "copyright: no unknown licence; the non-commercial style named" "! grep -qi 'License: Unknown' $C && grep -q 'models/picasso' $C && grep -q 'LicenseRef-research-non-commercial' $C"
check "changelog.Debian.gz" "zcat /usr/share/doc/$PKG/changelog.Debian.gz | head -1 | grep -q '^pastiche ('"
if [[ -f /usr/share/applications/mimeinfo.cache ]]; then
  check "Open with: mimeinfo.cache lists Pastiche for image/jpeg" "grep -q '^image/jpeg=.*$APP_ID.desktop' /usr/share/applications/mimeinfo.cache"
fi
echo "== defaults"
for f in /usr/share/applications/defaults.list /usr/share/applications/mimeapps.list /etc/xdg/mimeapps.list; do
  check "no Pastiche default in $f" "no_pastiche_default $f"
done
jpeg_default_after=$(XDG_DATA_DIRS=/usr/share HOME=/nonexistent xdg-mime query default image/jpeg 2>/dev/null || true)
check "xdg-mime default for image/jpeg unchanged ('$jpeg_default_before')" "[[ '$jpeg_default_after' == '$jpeg_default_before' ]]"
if [[ -n "${OLD_DEB:-}" ]]; then
  check "upgrade removed the old package's defaults" "[[ ! -f /usr/share/applications/defaults.list ]] || ! grep -q pastiche /usr/share/applications/defaults.list"
fi

# ---- 3 + 4. runs, as a fresh throwaway user ----------------------------------------------------
userdel -r "$USER_NAME" > /dev/null 2>&1 || true
useradd --create-home --home-dir "/home/$USER_NAME" --shell /bin/bash "$USER_NAME"
UHOME=$(getent passwd "$USER_NAME" | cut -d: -f6)
as_user() { runuser -u "$USER_NAME" -- env -i HOME="$UHOME" USER="$USER_NAME" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
traced() {   # $1: name; rest: command (as the user), network system calls of every thread and child logged
  local name=$1; shift
  strace -f -qq --seccomp-bpf -e trace=connect,sendto,sendmsg,sendmmsg -o "$OUT/strace/$name.txt" \
    runuser -u "$USER_NAME" -- env -i HOME="$UHOME" USER="$USER_NAME" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}
tmp_before=$(find /tmp -maxdepth 1 -name 'onnxruntime-java*' -user "$USER_NAME" 2>/dev/null | wc -l)
PHOTO=$(find $OPT/lib/app/assets/samples -maxdepth 1 -name '*.jpg' | sort | head -1)
work="$UHOME/check"; as_user mkdir -p "$work"; cp "$PHOTO" "$work/photo.jpg"; chown "$USER_NAME" "$work/photo.jpg"

echo "== every subcommand of the installed app (as $USER_NAME, under strace)"
: > "$OUT/cli.log"
cli() {   # $1: name, $2: expected exit status, rest: arguments to pastiche
  local name=$1 want=$2; shift 2
  local rc=0
  echo "--- pastiche $*" >> "$OUT/cli.log"
  traced "cli-$name" /usr/bin/pastiche "$@" >> "$OUT/cli.log" 2>&1 || rc=$?
  check "pastiche $* (exit $rc)" "[[ $rc == $want ]]"
}
cli help 0 --help
check "--help says that pastiche FILE opens the window" "grep -q 'pastiche \[FILE...\] without a command opens the window' $OUT/cli.log"
cli version 0 --version
cli help-cmd 0 help stylize
cli styles 0 styles
cli styles-check 0 styles --check
cli stylize 0 stylize --style candy --max-size 256 --output "$work/out.png" "$work/photo.jpg"
check "stylize wrote a PNG" "file $work/out.png | grep -q 'PNG image data'"
cli bench 0 bench --style candy --runs 1
cli bench-mp 0 bench --style candy --megapixels 0.3
check "bench prints peak RSS (jdk.management)" "grep -q 'peak RSS' $OUT/cli.log"
check "no NoClassDefFoundError anywhere" "! grep -q NoClassDefFoundError $OUT/cli.log"
rc=0; nodisp=$(as_user /usr/bin/pastiche "$work/photo.jpg" 2>&1) || rc=$?
echo "--- pastiche photo.jpg without a display (exit $rc)" >> "$OUT/cli.log"; echo "$nodisp" >> "$OUT/cli.log"
check "without a display: one sentence pointing to the command line (exit $rc)" \
  "[[ $rc == 1 && \$(wc -l <<< \"\$nodisp\") == 1 ]] && grep -q 'pastiche --help' <<< \"\$nodisp\""

echo "== the window, first start of a fresh user"
disp=91; while [[ -e /tmp/.X11-unix/X$disp ]]; do disp=$((disp + 1)); done
Xvfb ":$disp" -ac -nolisten tcp -screen 0 1440x900x24 > "$OUT/xvfb.log" 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$disp ]] && break; sleep 0.1; done
exec_line=$(sed -n 's/^Exec=//p' "$DESKTOP" | sed "s|%F|$work/photo.jpg|")
: > "$OUT/app.log"
window() {   # $1: name; $2: "shot" to take screenshots; rest: the command. Sets secs, cpu, win.
  local name=$1 shot=$2; shift 2
  echo "--- $name: $*" >> "$OUT/app.log"
  local t0; t0=$(date +%s.%N)
  strace -f -qq --seccomp-bpf -e trace=connect,sendto,sendmsg,sendmmsg -o "$OUT/strace/gui-$name.txt" \
    runuser -u "$USER_NAME" -- env -i HOME="$UHOME" USER="$USER_NAME" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    DISPLAY=":$disp" "$@" >> "$OUT/app.log" 2>&1 &
  local spid=$!
  win=""; secs=""; cpu=""
  local deadline=$(( $(date +%s) + TIMEOUT ))
  while (( $(date +%s) < deadline )) && kill -0 "$spid" 2>/dev/null; do
    for id in $(xwininfo -display ":$disp" -root -tree 2>/dev/null | grep -i '"[^"]*pastiche[^"]*"' | awk '{print $1}'); do
      if xwininfo -display ":$disp" -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then win=$id; break; fi
    done
    if [[ -n "$win" ]]; then
      secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
      # CPU seconds (user + system) of every process of the user until now: the JVM(s) of the app
      cpu=$(for p in $(pgrep -u "$USER_NAME"); do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done \
            | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.1f", s / hz }')
      break
    fi
    sleep 0.1
  done
  if [[ -n "$win" && $shot == shot ]]; then
    sleep "$SETTLE"
    /usr/bin/import -display ":$disp" -window "$win" "$OUT/window.png" || true
    /usr/bin/import -display ":$disp" -window root "$OUT/screenshot.png" || true
    xprop -display ":$disp" -id "$win" WM_CLASS >> "$OUT/app.log" 2>&1 || true
  elif [[ -n "$win" ]]; then
    sleep 3
  fi
  pkill -TERM -u "$USER_NAME" || true
  for _ in $(seq 50); do pgrep -u "$USER_NAME" > /dev/null || break; sleep 0.1; done
  pkill -KILL -u "$USER_NAME" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
window first shot $exec_line
first_s=$secs; first_cpu=$cpu
check "first start: a window (${first_s:-none} s)" "[[ -n '$first_s' ]]"
# shellcheck disable=SC2086
window second no $exec_line
second_s=$secs; second_cpu=$cpu
window bare no "$LAUNCHER" "$work/photo.jpg"
bare_s=$secs; bare_cpu=$cpu
check "bare launcher (relaunches itself with telemetry off): a window (${bare_s:-none} s)" "[[ -n '$bare_s' ]]"
kill "$xvfb_pid" 2>/dev/null || true

# ---- 5. telemetry ----------------------------------------------------------------------------
echo "== telemetry"
{
  echo "network system calls of every run (strace -f -e trace=connect,sendto,sendmsg,sendmmsg):"
  for f in "$OUT"/strace/*.txt; do
    n_dns=$(grep -cE 'htons\(53\)|sin_port=htons\(53\)' "$f" || true)
    n_inet=$(grep -E '^[0-9]+ +connect\(' "$f" | grep -cE 'AF_INET6?' || true)
    n_events=$(grep -c 'events' "$f" || true)
    printf '  %-22s DNS (port 53): %s, connect() to AF_INET/AF_INET6: %s, "events" in a packet: %s\n' \
      "$(basename "$f" .txt)" "$n_dns" "$n_inet" "$n_events"
  done
  echo "fresh home $UHOME after all runs:"
  (cd "$UHOME" && find . -maxdepth 3 | sort | sed 's/^/  /')
} > "$OUT/telemetry.txt"
cat "$OUT/telemetry.txt"
check "no DNS query and no internet connection in any run" "! grep -hE 'htons\(53\)|AF_INET' $OUT/strace/*.txt | grep -q ."
check "nothing written under ~/.cache/Microsoft of the fresh user" "[[ ! -e $UHOME/.cache/Microsoft ]]"
tmp_after=$(find /tmp -maxdepth 1 -name 'onnxruntime-java*' -user "$USER_NAME" 2>/dev/null | wc -l)
check "no /tmp/onnxruntime-java* folder left ($tmp_before before, $tmp_after after)" "[[ $tmp_after == $tmp_before ]]"
installed_kb=$(du -sk "$OPT" | cut -f1)
runtime_kb=$(du -sk "$OPT/lib/runtime" | cut -f1)
jar_kb=$(du -sk "$OPT/lib/app/pastiche.jar" | cut -f1)
native_kb=$(du -sk "$OPT/lib/app/native" | cut -f1)
models_kb=$(du -sk "$OPT/lib/app/models" | cut -f1)
assets_kb=$(du -sk "$OPT/lib/app/assets" | cut -f1)
userdel -r "$USER_NAME" > /dev/null 2>&1 || true

# ---- 6. removal ------------------------------------------------------------------------------
if [[ "${KEEP_INSTALLED:-0}" != 1 ]]; then
  echo "== apt-get purge $PKG"
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PKG" > "$OUT/purge.log" 2>&1
  check "$PKG no longer known to dpkg" "! dpkg-query -W $PKG > /dev/null 2>&1"
  left=$(while read -r f; do [[ -n "$f" && "$f" != / && ! -d "$f" && -e "$f" || -L "$f" ]] && echo "$f"; done < "$OUT/files.txt" || true)
  check "every file of the package removed" "[[ -z \"\$left\" ]]"
  check "/opt/pastiche removed" "[[ ! -e $OPT ]]"
  for f in /usr/share/applications/defaults.list /usr/share/applications/mimeapps.list; do
    if [[ -f /usr/share/applications/defaults.list.check-backup && $f == */defaults.list ]]; then
      # as before; or gone where it held nothing but the header (the stub 0.1.0-1 left behind)
      check "defaults.list as before (or the old stub removed)" "cmp -s $f /usr/share/applications/defaults.list.check-backup || { [[ ! -e $f ]] && ! grep -qv -e '^\[Default Applications\]\$' -e '^[[:space:]]*\$' /usr/share/applications/defaults.list.check-backup; }"
    else
      check "no $f left behind" "[[ ! -e $f ]]"
    fi
  done
  if [[ -f /usr/share/applications/mimeinfo.cache ]]; then
    check "mimeinfo.cache forgot Pastiche" "! grep -q $APP_ID /usr/share/applications/mimeinfo.cache"
  fi
fi
rm -f /usr/share/applications/defaults.list.check-backup

mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
{
  echo "deb:            $DEB  $(mib $(( $(stat -c %s "$DEB") / 1024 )))"
  echo "build:          ${build_s:-not built here (SKIP_BUILD=1)} s (mvn -B -Pinstaller -DskipTests package, $(nproc) cores)"
  echo "installed:      $OPT  $(mib "$installed_kb")  (control: Installed-Size $(dpkg-deb -f "$DEB" Installed-Size) KiB)"
  echo "  runtime:      $(mib "$runtime_kb");  pastiche.jar: $(mib "$jar_kb");  native (ONNX Runtime): $(mib "$native_kb")"
  echo "  models:       $(mib "$models_kb");  assets: $(mib "$assets_kb")"
  [[ -d "$IMAGE" ]] && echo "app-image:      $IMAGE  $(mib "$(du -sk "$IMAGE" | cut -f1)")"
  echo "photo:          $PHOTO"
  echo "start (fresh user $USER_NAME, home from the password database, the desktop entry's Exec line):"
  echo "  first start:  ${first_s:-no window} s wall, ${first_cpu:-?} s CPU until the window is mapped"
  echo "  second start: ${second_s:-no window} s wall, ${second_cpu:-?} s CPU"
  echo "  bare $LAUNCHER (relaunches itself once): ${bare_s:-no window} s wall, ${bare_cpu:-?} s CPU (both JVMs)"
  echo "  (load average before: $load_before; $(nproc) cores)"
  echo "lintian:        $(grep -c '^E: ' "$OUT/lintian.txt" || true) errors, $(grep -c '^W: ' "$OUT/lintian.txt" || true) warnings (lintian-summary.txt)"
  echo "telemetry:      $OUT/telemetry.txt"
  echo "screenshot:     $OUT/screenshot.png (screen), $OUT/window.png (window)"
} | tee "$OUT/summary.txt"
if (( fail )); then echo "check-deb: FAILED"; exit 1; fi
echo "check-deb: OK"
