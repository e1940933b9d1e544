#!/usr/bin/env bash
# Background queue of the model lab (resumable: rerun it, finished stages are skipped and
# fine-tuning continues up to --minutes). Usage (from the repo root):
#   STYLES="candy starry-night" MINUTES=45 nohup nice -n 10 training/scripts/queue.sh > training/runs/q1.log 2>&1 &
# AFTER=<pid> waits for that process first. One thread per process: under CPU oversubscription
# two OpenMP threads were 13x slower than one on this machine.
set -u
cd "$(dirname "$0")/.."
T=${THREADS:-1}
M=${MINUTES:-35}
if [ -n "${AFTER:-}" ]; then
  while kill -0 "$AFTER" 2>/dev/null; do sleep 20; done
fi
for s in ${STYLES:-candy picasso starry-night mosaic udnie rain-princess sunflowers wheatfield}; do
  python3 -m pastiche_lab.pipeline --style "$s" --threads "$T" --minutes "$M" ${EXTRA:-} || echo "FAILED $s"
done
