#!/usr/bin/env bash
# What mutual TLS costs the data plane: ring all-reduce bus bandwidth, 2 ranks on loopback, 4/16/64 MiB float32,
# plain TCP and TLS alternating in the same run (runs x medians of reps all-reduces each):
#   bash bench/distributed/tls-cost.sh [runs] [reps]
# Prints a markdown table: medians over the runs with min–max, and TLS's bandwidth as a fraction of plain's.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}; reps=${2:-10}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bench="dotnet bench/DistGrad.Benchmarks.Distributed/bin/Release/net10.0/DistGrad.Benchmarks.Distributed.dll"
dotnet build bench/DistGrad.Benchmarks.Distributed -c Release -v quiet -nologo >/dev/null
for run in $(seq "$runs"); do
  echo "run $run of $runs..." >&2
  $bench allreduce --reps "$reps" >> "$out/plain.jsonl"
  $bench allreduce --reps "$reps" --tls >> "$out/tls.jsonl"
done
python3 - "$out" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
def by_size(name):
    sizes = {}
    for line in open(os.path.join(d, name)):
        if line.strip().startswith("{"):
            r = json.loads(line)
            sizes.setdefault(r["mib"], []).append(r["busbw_gbs"])
    return sizes
plain, tls = by_size("plain.jsonl"), by_size("tls.jsonl")
def cell(v): return f"{statistics.median(v):.2f} GB/s ({min(v):.2f}–{max(v):.2f})"
print("| all-reduce busbw, 2 ranks | plain TCP | mutual TLS | TLS / plain |")
print("| --- | --- | --- | --- |")
for mib in sorted(plain):
    p, t = plain[mib], tls[mib]
    print(f"| {mib} MiB | {cell(p)} | {cell(t)} | {statistics.median(t) / statistics.median(p):.2f} |")
PY
