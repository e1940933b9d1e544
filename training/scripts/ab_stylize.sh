#!/bin/bash
# The whole `stylize --stroke-scale native` process of an older build against this one, alternating, one line a run:
# "NAME wall user sys JVM/catalog/session/decode/inference/encode (ms, from --verbose) load". docs/engine.md, "Sixth round".
#   training/scripts/ab_stylize.sh BASE_LAUNCHER ROUNDS PHOTO [OUT_EXT] [STYLE] [BASE_MODELS NEW_MODELS]
# (BASE_MODELS, NEW_MODELS: --models folders for each side, e.g. this build against itself with two sets of
# networks: training/scripts/ab_stylize.sh ./pastiche 8 p.png png candy /work/speed9-base-models models; "Seventh round")
# e.g. setsid bash -c 'echo -10 > /proc/self/autogroup; training/scripts/ab_stylize.sh /tmp/sp8/base/pastiche 8 /tmp/sp8/photo-2mp.png png'
set -u
base=$1; rounds=$2; photo=$3; ext=${4:-png}; style=${5:-candy}; base_models=${6:-}; new_models=${7:-}
new="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/pastiche"
tmp=$(mktemp -d)
for i in $(seq "$rounds"); do
  for name in base new; do
    if [ $name = base ]; then launcher=$base; models=$base_models; else launcher=$new; models=$new_models; fi
    /usr/bin/time -f "$name %e %U %S" -o "$tmp/t" "$launcher" stylize ${models:+--models="$models"} --force \
        --stroke-scale native -s "$style" --verbose \
        -o "$tmp/out-$name.$ext" "$photo" > "$tmp/v" 2>&1
    echo "$(cat "$tmp/t") $(grep -E '^  (JVM start|catalog|session|decode|inference|encode)' "$tmp/v" \
        | awk '{for(i=1;i<=NF;i++) if ($i ~ /^[0-9]+$/) {printf "%s/", $i; break}}') load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
cmp -s "$tmp/out-base.$ext" "$tmp/out-new.$ext" && echo "the last outputs: the same bytes" || echo "the last outputs differ"
rm -rf "$tmp"
