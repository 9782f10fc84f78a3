#!/usr/bin/env bash
# One call on a lent GPU machine (many cores, one card, no internet): the missing runs of an experiment's
# reference profile as parallel processes (one shard and one wasm thread each, so the results are the
# same bits as on any other machine), and beside them the GPU measurements (bench/webgpu-profile.js, the
# kernel profile; bench/compute.js, webgpu against PyTorch on CUDA). At the deadline unfinished runs are
# stopped (their checkpoints keep every finished step); the finished result JSONs, the checkpoints and the
# logs come back packed in one archive (the device tool returns at most 8 files).
#
# Here:   make offline-bundle && mkdir -p .device/data && cp -r $BAL_DATA_DIR/mnist .device/data/
#         (.device/ in .git/info/exclude; the bundle must be made from a clean commit: its provenance)
# There:  tools/device-run.sh build/offline-bundle .device/data "$OUT" 480 gal-mnist
#         (device tool: carry build/offline-bundle and .device; timeout_s above SECONDS + ~60)
# Back:   tar xJf <files_at>/runs.tar.xz   (into the checkout: reference-results/<experiment>/...),
#         then `make reference EXPERIMENT=<experiment>` resumes what did not finish from its checkpoint.
set -uo pipefail
bundle=${1:?usage: tools/device-run.sh BUNDLE_DIR DATA_DIR OUT_DIR SECONDS EXPERIMENT}
data=$(cd "${2:?DATA_DIR}" && pwd)
out=${3:?OUT_DIR}
seconds=${4:?SECONDS}
experiment=${5:?EXPERIMENT}
cd "$(dirname "$0")/.."
logs=$(mktemp -d)/device-logs   # packed into the archive: $OUT may hold only a few files
mkdir -p "$out" "$logs"
start=$(date +%s)
deadline=$(( start + seconds ))
"$bundle/unpack.sh" > "$logs/unpack.log" 2>&1 || { cat "$logs/unpack.log"; exit 1; }
export PATH=/opt/bal-node:$PATH BAL_DATA_DIR=$data BAL_NO_DOWNLOAD=1
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; lscpu | grep -E "Model name|^CPU\(s\)"; } > "$logs/machine.txt" 2>&1
total=$(BAL_BACKEND=wasm node -e "const {experimentByName}=require('./build/src/experiments/registry'); console.log(experimentByName('$experiment').load('reference').sweep.runs.length)")
echo "device-run: $experiment reference, $total runs as $total shards (finished ones exit at once), $(( deadline - $(date +%s) )) s left" | tee "$logs/plan.txt"
pids=()
for ((i = 0; i < total; i++)); do
  BAL_BACKEND=wasm BAL_WASM_THREADS=1 timeout --signal=TERM $(( deadline - $(date +%s) )) \
    node build/src/cli.js run "$experiment" --profile reference --shard "$i/$total" > "$logs/run-$i.log" 2>&1 &
  pids+=($!)
done
# The GPU measurements, one after the other, beside the runs.
(
  timeout $(( deadline - $(date +%s) - 10 )) node build/bench/webgpu-profile.js --reps 5 --json "$out/profile.json" > "$out/profile.md" 2>&1
  timeout $(( deadline - $(date +%s) - 10 )) node build/bench/compute.js --backends webgpu --reps 3 --force > "$out/bench.md" 2>&1
) &
gpu=$!
wait "${pids[@]}"
wait "$gpu"
dir=reference-results/$experiment
tar cJf "$out/runs.tar.xz" "$dir"/*.json -C "$(dirname "$logs")" device-logs
grep -h "running\|finished\|Error" "$logs"/run-*.log | tail -40
echo "device-run: done in $(( $(date +%s) - start )) s"
