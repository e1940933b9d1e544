#!/usr/bin/env bash
# Issue 11: fine-tune all shipped teacher-derived students at once on one GPU, from the folder that
# scripts/gpu_bundle.py builds (training/gpu/, carried to the GPU machine), one pipeline process per
# student side by side, each for MINUTES of fine-tuning (cosine over that time; best validated student on
# 6 val photos at 384 and 768 px, the goal score), plus the full-trunk candy from its slimmed teacher.
# Then packs each run's student.pt and logs into $OUT/students.tar, its last.pt into $OUT/last.tar
# (without $OUT: training/gpu-back/).
#   bash training/scripts/finetune_all_gpu.sh                      (there: DEVICE=cuda, 16 cores)
#   DEVICE=cpu MINUTES=0.3 BATCH=1 CROP=64 VAL_SIZES=128 JOBS="candy picasso" bash training/scripts/finetune_all_gpu.sh
#                                                                  (here: the CPU check, a few steps)
set -uo pipefail
cd "$(dirname "$0")/.."
DEVICE="${DEVICE:-cuda}"; MINUTES="${MINUTES:-6}"; BATCH="${BATCH:-8}"; CROP="${CROP:-256}"
VAL_SIZES="${VAL_SIZES:-384 768}"; VAL_EVERY="${VAL_EVERY:-200}"; THREADS="${THREADS:-1}"
JOBS="${JOBS:-candy mosaic udnie rain-princess picasso starry-night sunflowers wheatfield candy-trunk}"
RUNS="${RUNS:-gpu/runs}"; BACK="${OUT:-gpu-back}"
[ -d gpu/data ] || { echo "no training/gpu: run scripts/gpu_bundle.py build first"; exit 2; }
mkdir -p cache/photos "$RUNS" gpu/data/photos/kodak   # no test photos travel: an empty Kodak folder
[ -e cache/photos/pool ] || ln -s ../../gpu/pool cache/photos/pool
COMMON=(--data gpu/data --device "$DEVICE" --threads "$THREADS" --photometric 0.5 --pool --max-side 768
        --scales 0.9 1.6 --crop "$CROP" --batch "$BATCH" --vgg-every 2 --w-phase 1 --w-style 6 --w-low 8
        --w-ssim 4 --w-lowchroma 16 --lowchroma-pool 8 --val-photos 6 --val-size $VAL_SIZES --score goal
        --val-every "$VAL_EVERY" --stop-after finetune --minutes "$MINUTES")
LIMIT=$(python3 -c "print(int($MINUTES * 60 + 60))")   # photo loading and the last validation
[ "$DEVICE" = cuda ] && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
for job in $JOBS; do
  if [ "$job" = candy-trunk ]; then   # from the slimmed teacher (search.json from the bundle), feature matching on
    mkdir -p "$RUNS/$job" && cp -n gpu/runs/candy-trunk/search.json "$RUNS/$job/"
    args=(--style candy --lr 2e-4 --w-feat 1)
  else
    args=(--style "$job" --init "gpu/inits/$job.pt" --lr 1e-4)
  fi
  timeout "$LIMIT" python3 -m pastiche_lab.pipeline "${args[@]}" --run-dir "$RUNS/$job" "${COMMON[@]}" \
    > "$RUNS/$job.out" 2>&1 &
done
wait
for job in $JOBS; do   # one summary line each: the last iteration's log, the best validated, any error
  echo "== $job"; grep -E "^[0-9:]+ it [0-9]+ " "$RUNS/$job.out" | tail -1 | cut -c1-160
  grep -E "fine-tune done|Error" "$RUNS/$job.out" | tail -2 | cut -c1-220
done
python3 scripts/gpu_bundle.py pack "$RUNS" "$BACK" && ls -la "$BACK"
