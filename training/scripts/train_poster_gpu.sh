#!/usr/bin/env bash
# Issue 10: train the gongnongbing poster network within a few minutes where a GPU is at hand.
# From the repository root: bash training/scripts/train_poster_gpu.sh [ITERS]
#   (DEVICE=cpu THREADS=1 VAL_PHOTOS=1 VAL_SIZE=256 EVAL_N=2 for a CPU check of a few steps)
# Renders the targets of all 200 training photos (CPU, cached under training/cache/poster/768 with the
# renderer's pre-palette image; the renderer is numpy, ~1 s a photo; `cache --parts` re-renders an older
# cache that lacks it), trains on the GPU at batch 16 / 256 px crops into training/runs/gongnongbing-gpu
# (resumable: runs/gongnongbing-gpu/state.pt; best.pt = best validated), then measures it on the val
# photos at 768 px. Session 10's recipe (reports/gongnongbing/poster_figures.md, top section): the network
# draws the renderer's pre-palette image (its L0-smoothed photo, outlines ink: --target smooth; L1 +
# gradient L1, border, rare-colour and outline weights) from the shipped model's trunk
# (poster_import), and the export appends the renderer's own colour rule as a 128^3 lookup table and its 5x5 mode filter.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERS="${1:-4000}"
DEVICE="${DEVICE:-cuda}"; THREADS="${THREADS:-8}"
RUN="${RUN:-runs/gongnongbing-gpu}"
python3 -m pastiche_lab.poster_train cache --parts
[ -f runs/gongnongbing-import/init.pt ] || \
    python3 -m pastiche_lab.poster_import ../models/gongnongbing.onnx --out runs/gongnongbing-import/init.pt
python3 -m pastiche_lab.poster_train train --device "$DEVICE" --threads "$THREADS" --batch "${BATCH:-16}" \
    --crop "${CROP:-256}" --iters "$ITERS" --val-every "${VAL_EVERY:-500}" --target smooth \
    --init runs/gongnongbing-import/init.pt --smooth 7,15 --lr 5e-4 --schedule cosine-iters \
    --grad-weight 0.5 --edge-weight 4 --balance 0.5 --line-weight 5 \
    --rich 0.4 --rich-colours vermilion,deep_red,golden,cream,skin,skin_shadow,deep_blue,pale_blue \
    --val-photos "${VAL_PHOTOS:-6}" --val-size "${VAL_SIZE:-768}" --val-score colour-line --run-dir "$RUN"
python3 -m pastiche_lab.poster_train evaluate --size 768 --photos-n "${EVAL_N:-20}" --threads "$THREADS" \
    --snap-blur 5 --lut 128 --lut-mode 5 --checkpoint "$RUN/state.pt" --out "$RUN/poster_eval.json"
echo "ship with: cd training && python3 -m pastiche_lab.poster_train export --lut 128 --lut-mode 5 --snap-blur 5 --checkpoint $RUN/state.pt"
