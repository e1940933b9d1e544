#!/usr/bin/env bash
# Does Pastiche send or write anything for ONNX Runtime's telemetry? Runs the built jar as a person
# would (a fresh home, no ORT_DISABLE_TELEMETRY in the environment), long enough for ONNX Runtime's
# upload (it looks up its events host about 10 s after it starts), with the network system calls of
# every thread and child traced; then the same with the relaunch switched off (-Dpastiche.relaunch=false)
# as a control, inside a network namespace without any network (unshare -n), so that nothing leaves
# the machine: the control must show what the check looks for (the device id, DNS look-ups of the
# events host), the real run none of it. No installation; needs strace (and root or unprivileged
# user namespaces for unshare).
#
#   installer/check-telemetry.sh [JAR]     # default target/pastiche.jar (mvn -DskipTests package)
#
# Output: target/check-telemetry/report.txt (+ the logs and strace files of both runs).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$(readlink -f "${1:-$ROOT/target/pastiche.jar}")"
OUT="$ROOT/target/check-telemetry"
rm -rf "$OUT"; mkdir -p "$OUT"
command -v strace > /dev/null || { echo "needs strace (apt-get install strace)" >&2; exit 2; }
UNSHARE=(unshare -n)
[[ $EUID -eq 0 ]] || UNSHARE=(unshare -r -n)

run() {   # $1: name; rest: prefix (e.g. unshare) and extra JVM options; sets the name's results
  local name=$1; shift
  local home="$OUT/$name-home" tmp="$OUT/$name-tmp" pre=() opts=()
  mkdir -p "$home" "$tmp"
  while (( $# )); do case $1 in -D*) opts+=("$1") ;; *) pre+=("$1") ;; esac; shift; done
  local t0; t0=$(date +%s)
  env -u ORT_DISABLE_TELEMETRY -u XDG_CACHE_HOME HOME="$home" "${pre[@]}" \
    strace -f -qq --seccomp-bpf -e trace=connect,sendto,sendmsg,sendmmsg -o "$OUT/$name.strace" \
    java -Duser.home="$home" -Djava.io.tmpdir="$tmp" -Djava.util.prefs.userRoot="$home/prefs" "${opts[@]}" \
    -jar "$JAR" bench --style candy --megapixels 1 > "$OUT/$name.log" 2>&1 || true
  local secs=$(( $(date +%s) - t0 ))
  local dns events files tmpdirs
  dns=$(grep -cE 'htons\(53\)' "$OUT/$name.strace" || true)
  events=$(grep -cE '\\6mobile\\6events' "$OUT/$name.strace" || true)
  files=$(cd "$home" && find .cache -type f 2>/dev/null | grep -c Microsoft || true)
  tmpdirs=$(find "$tmp" -maxdepth 1 -name 'onnxruntime-java*' | wc -l)
  printf '%-8s %3s s  DNS look-ups (connect/send to port 53): %s, naming mobile.events.data.microsoft.com: %s; files under ~/.cache/Microsoft: %s; /tmp/onnxruntime-java* left: %s\n' \
    "$name" "$secs" "$dns" "$events" "$files" "$tmpdirs" | tee -a "$OUT/report.txt"
  { (cd "$home" && find .cache -path '*Microsoft*' -type f 2>/dev/null || true) | sed 's/^/           /'; } | tee -a "$OUT/report.txt"
  eval "${name}_dns=$dns ${name}_files=$files ${name}_tmp=$tmpdirs"
}

echo "java -jar $(basename "$JAR") bench --style candy --megapixels 1, fresh home, no ORT_DISABLE_TELEMETRY:" | tee "$OUT/report.txt"
run pastiche
run control "${UNSHARE[@]}" -Dpastiche.relaunch=false
ok=1
(( pastiche_dns == 0 && pastiche_files == 0 && pastiche_tmp == 0 )) || ok=0
(( control_dns > 0 || control_files > 0 )) || { echo "the control showed nothing: the check cannot see telemetry here" | tee -a "$OUT/report.txt"; ok=0; }
if (( ok )); then echo "check-telemetry: OK" | tee -a "$OUT/report.txt"; else echo "check-telemetry: FAILED" | tee -a "$OUT/report.txt"; exit 1; fi
