#!/usr/bin/env bash
# The CPU speed comparison in one command: DistGrad's micro benchmarks (BenchmarkDotNet) and MLP epoch,
# then PyTorch 1.13's (bench/reference), then a markdown table of the ratios.
#
#   bash bench/run-all.sh            # everything, about 10 minutes on 2 cores
#   FILTER=gemm bash bench/run-all.sh  # only workloads whose name contains "gemm" (the epoch is skipped)
#
# Results: bench/results/{distgrad,pytorch}.jsonl and bench/results/compare.md (the table with the machine).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-/usr/bin/python3}
DATA=${DATA:-/usr/share/datasets/fashion-mnist}
FILTER=${FILTER:-}
RESULTS=bench/results
mkdir -p "$RESULTS"
rm -f "$RESULTS/distgrad.jsonl" "$RESULTS/pytorch.jsonl"

# PyTorch's OpenMP threads (and OpenBLAS's) spin while they wait for work; on a machine shared with other
# jobs the spinning threads starve each other and a training step takes 25x longer. Waiting passively
# keeps PyTorch's figures meaningful there; set OMP_WAIT_POLICY=ACTIVE to measure the default on an idle machine.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build bench/DistGrad.Benchmarks -c Release -v quiet -nologo
BENCH="dotnet bench/DistGrad.Benchmarks/bin/Release/net10.0/DistGrad.Benchmarks.dll"

echo "== DistGrad micro benchmarks"
$BENCH micro --out "$RESULTS/distgrad.jsonl" > "$RESULTS/distgrad-micro.log" 2>&1 \
  || { tail -40 "$RESULTS/distgrad-micro.log"; exit 1; }
if [[ -n "$FILTER" ]]; then
  # BenchmarkDotNet filters by type and method, not by workload name: keep the matching lines instead.
  grep -i -- "$FILTER" "$RESULTS/distgrad.jsonl" > "$RESULTS/filtered.jsonl" || true
  mv "$RESULTS/filtered.jsonl" "$RESULTS/distgrad.jsonl"
fi

echo "== PyTorch micro benchmarks"
"$PYTHON" bench/reference/micro.py --out "$RESULTS/pytorch.jsonl" --filter "$FILTER"

if [[ -z "$FILTER" ]]; then
  echo "== MLP epoch, DistGrad"
  $BENCH epoch --data "$DATA" --out "$RESULTS/distgrad.jsonl"
  echo "== MLP epoch, PyTorch"
  "$PYTHON" bench/reference/epoch.py --data "$DATA" --out "$RESULTS/pytorch.jsonl"
fi

{
  echo "Measured $(date -u +%Y-%m-%d) on $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores;" \
    "DistGrad on .NET $(dotnet --version), PyTorch $("$PYTHON" -c 'import torch; print(torch.__version__)') with 2 threads" \
    "on $(dpkg-query -W -f '${Package} ${Version}' libopenblas0-openmp 2>/dev/null || echo 'an unknown BLAS')," \
    "OMP_WAIT_POLICY=$OMP_WAIT_POLICY. Medians."
  echo
  $BENCH report "$RESULTS/distgrad.jsonl" "$RESULTS/pytorch.jsonl"
} > "$RESULTS/compare.md"
cat "$RESULTS/compare.md"
