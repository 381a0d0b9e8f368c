#!/usr/bin/env bash
# On the GPU machine, from the unpacked package: checks the ILGPU kernels on CUDA against the CPU backend, then
# times GEMM 4096² fp32 and one MLP epoch on Fashion-MNIST on CUDA and on the CPU, beside PyTorch CUDA, and prints
# a markdown table. Extra arguments go to the .NET program (e.g. --device cuda:1, --gemm 2048, --skip-cpu-epoch).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin/distgrad-gpu"
[[ -x "$bin" ]] || { echo "run.sh: $bin is missing: unpack distgrad-gpu-linux-x64.tar.xz and run run.sh from its folder" >&2; exit 1; }

if [[ -n "${DATA:-}" ]]; then
  data="$DATA"
elif [[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz || -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte ]]; then
  data=/usr/share/datasets/fashion-mnist
else
  data="$here/bin/data/fashion-mnist-subset"
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "run.sh: no nvidia-smi"

echo "== DistGrad on ILGPU (data: $data) =="
dotnet_status=0
DOTNET_gcServer=0 "$bin" gpu --data "$data" "$@" 2>&1 | tee "$logs/dotnet.txt" || dotnet_status=$?

echo "== PyTorch reference =="
torch_status=0
if command -v python3 >/dev/null; then
  python3 "$here/torch_reference.py" --data "$data" 2>&1 | tee "$logs/torch.txt" || torch_status=$?
else
  echo "run.sh: no python3" | tee "$logs/torch.txt"
  torch_status=127
fi

value() { awk -v k="$1" '$1 == "RESULT" && $2 == k { print $3 }' "$logs/dotnet.txt" "$logs/torch.txt" | tail -n 1; }
or_dash() { local v; v="$(value "$1")"; echo "${v:--}"; }
ratio() { awk -v a="$(value "$1")" -v b="$(value "$2")" 'BEGIN { if (a != "" && b != "" && b + 0 != 0) printf "%.2f", a / b; else printf "-" }'; }

echo
echo "## DistGrad ILGPU vs PyTorch ($(or_dash torch_device), PyTorch $(or_dash torch_version))"
echo
echo "| measure | DistGrad cuda | DistGrad cpu | PyTorch cuda | DistGrad cuda / PyTorch |"
echo "| --- | --- | --- | --- | --- |"
echo "| GEMM $(or_dash gemm_size)² fp32, GFLOP/s (TF32 off) | $(or_dash gemm_gflops_device) | $(or_dash gemm_gflops_cpu) | $(or_dash torch_gemm_gflops) | $(ratio gemm_gflops_device torch_gemm_gflops) |"
echo "| MLP epoch, $(or_dash mlp_samples) samples, s | $(or_dash mlp_epoch_s_device) | $(or_dash mlp_epoch_s_cpu) | $(or_dash torch_mlp_epoch_s) | $(ratio mlp_epoch_s_device torch_mlp_epoch_s) |"
echo "| MLP epoch mean loss | $(or_dash mlp_loss_device) | $(or_dash mlp_loss_cpu) | $(or_dash torch_mlp_loss) | |"
echo "| kernel checks failed | $(or_dash checks_failed) | | | |"
echo
echo "exit status: distgrad-gpu $dotnet_status, torch_reference.py $torch_status"
[[ $dotnet_status -eq 0 && $torch_status -eq 0 ]]
