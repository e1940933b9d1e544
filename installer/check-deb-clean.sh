#!/usr/bin/env bash
# Does the .deb declare everything a clean system lacks? Installs it into a minimal Debian 12
# (debootstrap --variant=minbase: no X, no GTK, no fonts) with apt-get --no-install-recommends, so
# only its Depends come along, then starts the installed app there against an Xvfb display of the
# host, waits for its window, takes a screenshot and purges the package again. Needs root, debootstrap and the Debian archive;
# slow (minutes), so not part of test-all.sh / CI:
#
#   sudo installer/check-deb-clean.sh [path/to/pastiche_*.deb]   # default: the newest built one
#
# The fresh minbase root is kept as target/check-deb-clean/minbase.tar.gz and unpacked anew each
# run. Outputs in target/check-deb-clean/: summary.txt, screenshot.png, app.log, pulled-in.txt (the
# packages the .deb brought in). Environment: SUITE (bookworm), MIRROR (the first Debian archive
# in this machine's apt sources), SETTLE (10 s), TIMEOUT (120 s).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/target/check-deb-clean"
CHROOT="$OUT/root"
SUITE="${SUITE:-bookworm}"
SETTLE="${SETTLE:-10}"
TIMEOUT="${TIMEOUT:-120}"
if [[ -z "${MIRROR:-}" ]]; then
  MIRROR=$(grep -rhoE '^(URIs:|deb) +[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
             | awk '{print $2}' | head -1 || true)
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
fi

[[ $EUID -eq 0 ]] || { echo "check-deb-clean.sh needs root (debootstrap, chroot)." >&2; exit 2; }
DEB="${1:-$(ls -t "$ROOT"/target/jpackage/deb/pastiche_*.deb 2>/dev/null | head -1)}"
[[ -f "$DEB" ]] || { echo "no .deb: build it with mvn -B -Pinstaller -DskipTests package" >&2; exit 2; }
DEB=$(readlink -f "$DEB")
command -v debootstrap > /dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }
for t in Xvfb xwininfo /usr/bin/import; do
  command -v "$t" > /dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb x11-utils imagemagick; break; }
done

mkdir -p "$OUT"
mounted=()
xvfb_pid=""
cleanup() {
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

# 1. a fresh minimal Debian
if [[ -d "$CHROOT" ]]; then
  if grep -q " $CHROOT/" /proc/mounts; then echo "still mounted under $CHROOT" >&2; exit 1; fi
  rm -rf "$CHROOT"
fi
if [[ ! -f "$OUT/minbase.tar.gz" ]]; then
  echo "== debootstrap --variant=minbase $SUITE ($MIRROR)"
  debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
    || { tail -20 "$OUT/debootstrap.log"; exit 1; }
  tar -C "$CHROOT" -czf "$OUT/minbase.tar.gz" .
else
  echo "== unpacking the saved minbase root"
  mkdir -p "$CHROOT" && tar -C "$CHROOT" -xzf "$OUT/minbase.tar.gz"
fi
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
for m in proc sys dev; do
  mount --bind "/$m" "$CHROOT/$m"; mounted+=("$CHROOT/$m")
done
chroot "$CHROOT" dpkg-query -W -f='${Package}\n' | sort > "$OUT/before.txt"

# 2. install the .deb with its Depends only
echo "== apt-get install --no-install-recommends $(basename "$DEB") in the minimal root"
cp "$DEB" "$CHROOT/tmp/"
chroot "$CHROOT" apt-get update -qq
chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$DEB")" > "$OUT/apt.log" 2>&1 || { tail -30 "$OUT/apt.log"; exit 1; }
chroot "$CHROOT" dpkg-query -W -f='${Package}\n' | sort > "$OUT/after.txt"
comm -13 "$OUT/before.txt" "$OUT/after.txt" > "$OUT/pulled-in.txt"
echo "   $(wc -l < "$OUT/pulled-in.txt") packages came in with it (pulled-in.txt)"

# 3. start it on an Xvfb display of the host (its socket bound into the root)
disp=77
while [[ -e /tmp/.X11-unix/X$disp ]]; do disp=$((disp + 1)); done
Xvfb ":$disp" -ac -nolisten tcp -screen 0 1440x900x24 > "$OUT/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$disp ]] && break; sleep 0.1; done
mkdir -p "$CHROOT/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$CHROOT/tmp/.X11-unix"; mounted+=("$CHROOT/tmp/.X11-unix")

photo=$(cd "$CHROOT" && find opt/pastiche/lib/app/assets/samples -maxdepth 1 -type f -iname '*.jpg' 2>/dev/null | sort | head -1 || true)
[[ -n "$photo" ]] && photo="/$photo"
echo "== starting /opt/pastiche/bin/Pastiche $photo in the minimal root"
t0=$(date +%s.%N)
chroot "$CHROOT" env -i DISPLAY=":$disp" HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
  /opt/pastiche/bin/Pastiche ${photo:+"$photo"} > "$OUT/app.log" 2>&1 &
pid=$!
win=""; t1=""
deadline=$(( $(date +%s) + TIMEOUT ))
while (( $(date +%s) < deadline )) && kill -0 "$pid" 2>/dev/null; do
  for id in $(xwininfo -display ":$disp" -root -tree 2>/dev/null | grep -i '"[^"]*pastiche[^"]*"' | awk '{print $1}'); do
    if xwininfo -display ":$disp" -id "$id" 2>/dev/null | grep -q 'Map State: IsViewable'; then win=$id; break; fi
  done
  if [[ -n "$win" ]]; then t1=$(date +%s.%N); break; fi
  sleep 0.1
done
[[ -n "$win" ]] && sleep "$SETTLE"
/usr/bin/import -display ":$disp" -window root "$OUT/screenshot.png" || true
alive=no; kill -0 "$pid" 2>/dev/null && alive=yes
kill "$pid" 2>/dev/null || true; sleep 1; kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true

echo "== apt-get purge pastiche in the minimal root"
removed=no
if chroot "$CHROOT" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pastiche > "$OUT/purge.log" 2>&1 \
   && [[ ! -e "$CHROOT/opt/pastiche" && ! -e "$CHROOT/usr/share/applications/org.pastiche.Pastiche.desktop" \
         && ! -e "$CHROOT/usr/bin/pastiche" && ! -e "$CHROOT/usr/share/applications/defaults.list" \
         && ! -e "$CHROOT/root/.cache/Microsoft" ]]; then
  removed=yes
fi

{
  echo "deb:          $DEB"
  echo "root:         debootstrap --variant=minbase $SUITE, then apt-get install --no-install-recommends"
  echo "pulled in:    $(wc -l < "$OUT/pulled-in.txt") packages"
  if [[ -n "$t1" ]]; then
    echo "window:       mapped after $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s; running after ${SETTLE} s: $alive"
  else
    echo "window:       none within ${TIMEOUT} s"
  fi
  echo "uninstalled:  $removed (apt-get purge; /opt/pastiche, desktop entry, /usr/bin/pastiche gone; no defaults.list, nothing in ~/.cache/Microsoft)"
  echo "screenshot:   $OUT/screenshot.png"
  echo "app log:      $OUT/app.log"
} | tee "$OUT/summary.txt"
if [[ $removed != yes ]]; then echo "check-deb-clean: FAILED to uninstall; purge.log:"; tail -20 "$OUT/purge.log"; exit 1; fi
if [[ -z "$t1" || $alive != yes ]]; then
  echo "check-deb-clean: FAILED; app.log:"; tail -30 "$OUT/app.log"; exit 1
fi
echo "check-deb-clean: OK"
