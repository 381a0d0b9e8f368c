#!/usr/bin/env bash
# Distributed benchmarks, DistGrad beside PyTorch 1.13 (gloo, DDP) in the same run, with ratios:
#   bash bench/distributed/compare.sh [--quick]
# 1. all-reduce bus bandwidth, 2 ranks on loopback, 4/16/64 MiB (DistGrad's TCP data plane vs gloo);
# 2. data-parallel MLP, 2 workers x 1 thread, one epoch of full Fashion-MNIST (vs DDP, 2 processes x 1 thread);
# 3. scaling on the CNN: 2 workers x 1 thread vs 1 worker x 1 thread (DistGrad alone).
# Needs /usr/bin/python3 with torch (apt-get install -y python3-torch) and the full dataset
# (apt-get install -y dataset-fashion-mnist). --quick runs fewer steps (a smoke test, not for the table).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=${1:-}
out=$(mktemp -d)
data=/usr/share/datasets/fashion-mnist
bench="dotnet bench/DistGrad.Benchmarks.Distributed/bin/Release/net10.0/DistGrad.Benchmarks.Distributed.dll"
dotnet build bench/DistGrad.Benchmarks.Distributed -c Release -v quiet -nologo >/dev/null

reps=10; mlp_steps=0; cnn_steps=150
if [[ "$quick" == "--quick" ]]; then reps=3; mlp_steps=50; cnn_steps=20; fi
mlp_args=(--dataset fashion-mnist --data-dir "$data" --model mlp --data-parallel 2 --threads-per-worker 1 --batch-size 128)
[[ $mlp_steps -gt 0 ]] && mlp_args+=(--steps "$mlp_steps")

echo "all-reduce..." >&2
/usr/bin/python3 bench/reference/allreduce_gloo.py --reps "$reps" > "$out/allreduce_gloo.jsonl"
$bench allreduce --reps "$reps" > "$out/allreduce_distgrad.jsonl"
echo "data-parallel MLP..." >&2
/usr/bin/python3 bench/reference/ddp_mlp.py --model mlp --world 2 --steps "$mlp_steps" --data "$data" > "$out/ddp.jsonl"
$bench train "${mlp_args[@]}" > "$out/dp_distgrad.jsonl"
echo "CNN scaling..." >&2
$bench train --dataset fashion-mnist --data-dir "$data" --model cnn --batch-size 64 --lr 0.05 --threads-per-worker 1 \
  --data-parallel 1 --local-nodes 1 --steps "$cnn_steps" > "$out/cnn1.jsonl"
$bench train --dataset fashion-mnist --data-dir "$data" --model cnn --batch-size 64 --lr 0.05 --threads-per-worker 1 \
  --data-parallel 2 --steps "$cnn_steps" > "$out/cnn2.jsonl"

python3 - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
def rows(name): return [json.loads(l) for l in open(os.path.join(d, name)) if l.strip().startswith("{")]
print("| workload | DistGrad | PyTorch 1.13 | ratio (DistGrad / PyTorch, higher is better) |")
print("| --- | --- | --- | --- |")
gloo = {r["mib"]: r for r in rows("allreduce_gloo.jsonl")}
for r in rows("allreduce_distgrad.jsonl"):
    g = gloo[r["mib"]]
    print(f"| all-reduce busbw, 2 ranks, {r['mib']} MiB | {r['busbw_gbs']:.2f} GB/s | {g['busbw_gbs']:.2f} GB/s (gloo) | {r['busbw_gbs'] / g['busbw_gbs']:.2f} |")
ours, ddp = rows("dp_distgrad.jsonl")[0], rows("ddp.jsonl")[0]
print(f"| MLP data parallel, 2 workers x 1 thread | {ours['samples_per_second']:.0f} samples/s | {ddp['samples_per_second']:.0f} samples/s (DDP) | {ours['samples_per_second'] / ddp['samples_per_second']:.2f} |")
one, two = rows("cnn1.jsonl")[0], rows("cnn2.jsonl")[0]
print(f"| CNN scaling, 2 workers vs 1 (x 1 thread) | {two['samples_per_second']:.0f} vs {one['samples_per_second']:.0f} samples/s | | {two['samples_per_second'] / one['samples_per_second']:.2f}x (target 1.7x) |")
PY
rm -rf "$out"
