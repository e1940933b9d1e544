#!/usr/bin/env bash
# Background queue of the model lab (resumable: rerun it, finished stages are skipped and
# fine-tuning continues up to --minutes). Usage (from the repo root):
#   nohup nice -n 10 training/scripts/queue.sh > training/runs/queue.log 2>&1 &
set -u
cd "$(dirname "$0")/.."
T=${THREADS:-2}
M=${MINUTES:-35}
for s in ${STYLES:-candy picasso starry-night mosaic udnie rain-princess sunflowers wheatfield}; do
  python3 -m pastiche_lab.pipeline --style "$s" --threads "$T" --minutes "$M" || echo "FAILED $s"
done
