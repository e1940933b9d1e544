#!/usr/bin/env bash
# Issue 10: train the gongnongbing poster network within a few minutes where a GPU is at hand.
# From the repository root: bash training/scripts/train_poster_gpu.sh [ITERS]
# Renders the targets of all 200 training photos (CPU, cached under training/cache/poster/768; the
# renderer is numpy, ~1-3 s a photo), trains on the GPU at batch 16 / 256 px crops into
# training/runs/gongnongbing-gpu (resumable: runs/gongnongbing-gpu/state.pt; best.pt = best validated), then measures it on the val photos at 768 px.
set -euo pipefail
cd "$(dirname "$0")/.."
ITERS="${1:-4000}"
python3 -m pastiche_lab.poster_train cache
# the shipped recipe (reports/gongnongbing/poster_figures.md): colour-balanced L1 + gradient L1, palette CE,
# ink and outline weights, rare-colour crops; best.pt = the best colour-and-line validation score
python3 -m pastiche_lab.poster_train train --device cuda --threads 8 --batch 16 --crop 256 \
    --iters "$ITERS" --val-every 500 --edge-weight 4 --grad-weight 0.5 --balance 0.5 --ink-weight 2 --line-weight 3 \
    --ce-weight 0.1 --ce-temp 0.01 --ce-balance 0.5 --ce-balance-max 4 --ce-class-scale skin_shadow=0.5,skin=2 \
    --rich 0.4 --rich-colours vermilion,deep_red,golden,cream,skin,skin_shadow,deep_blue,pale_blue \
    --val-photos 6 --val-size 768 --val-score colour-line --run-dir runs/gongnongbing-gpu
python3 -m pastiche_lab.poster_train evaluate --size 768 --photos-n 20 \
    --snap-blur 5 --checkpoint runs/gongnongbing-gpu/best.pt --out runs/gongnongbing-gpu/poster_eval.json
echo "ship with: cd training && python3 -m pastiche_lab.poster_train export --snap-blur 5 --checkpoint runs/gongnongbing-gpu/best.pt"
