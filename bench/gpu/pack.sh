#!/usr/bin/env bash
# Builds the GPU check as a self-contained linux-x64 program (the GPU machine has no .NET SDK) and packs it with
# the Fashion-MNIST subset, run.sh and the PyTorch reference into bench/gpu/out/distgrad-gpu-linux-x64.tar.xz.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$here/out"
stage="$out/distgrad-gpu"
archive="$out/distgrad-gpu-linux-x64.tar.xz"

rm -rf "$stage" "$archive"
mkdir -p "$stage"
echo "pack.sh: publishing bench/DistGrad.Benchmarks.Gpu (self-contained, linux-x64)"
dotnet publish "$repo/bench/DistGrad.Benchmarks.Gpu/DistGrad.Benchmarks.Gpu.csproj" \
  -c Release -r linux-x64 --self-contained true -p:PublishTrimmed=false -o "$stage/bin" --nologo -v quiet
test -x "$stage/bin/distgrad-gpu" || { echo "pack.sh: publish produced no bin/distgrad-gpu" >&2; exit 1; }

mkdir -p "$stage/bin/data"
cp -r "$repo/data/fashion-mnist-subset" "$stage/bin/data/"
cp "$here/run.sh" "$here/torch_reference.py" "$here/README.md" "$stage/"
chmod +x "$stage/run.sh"

echo "pack.sh: compressing (xz)"
tar -C "$out" -cJf "$archive" distgrad-gpu
echo "pack.sh: $archive ($(du -h "$archive" | cut -f1))"
