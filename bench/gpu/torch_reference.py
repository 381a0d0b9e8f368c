#!/usr/bin/env python3
"""PyTorch CUDA reference for bench/gpu/run.sh: torch.mm 4096^2 in fp32 with TF32 off, and one epoch of the
README's MLP on Fashion-MNIST set up as DistGrad's gpu command does it (data moved to the GPU first, batches
picked by index_select). Prints "RESULT key value" lines."""
import argparse
import gzip
import os
import struct
import sys
import time

import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = f.read(4)
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic[3])]
        data = f.read()
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape(dims)


def locate(directory, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    sys.exit(f"torch_reference.py: no {stem}[.gz] in {directory}")


def gemm_gflops(n, repeats, device):
    g = torch.Generator().manual_seed(1)
    a = torch.randn(n, n, generator=g).to(device)
    b = torch.randn(n, n, generator=g).to(device)
    torch.mm(a, b)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    torch.cuda.synchronize()
    return 2.0 * n ** 3 * repeats / (time.perf_counter() - start) / 1e9


def mlp_epoch(directory, device, max_samples=None):
    x = read_idx(locate(directory, "train-images-idx3-ubyte")).float().div_(255).reshape(-1, 784)
    y = read_idx(locate(directory, "train-labels-idx1-ubyte")).long()
    count = x.shape[0] if max_samples is None else min(max_samples, x.shape[0])
    x, y = x[:count].to(device), y[:count].to(device)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    order = torch.randperm(count, generator=torch.Generator().manual_seed(0))
    torch.cuda.synchronize()
    start = time.perf_counter()
    total = torch.zeros((), device=device)
    batches = 0
    for i in range(0, count, 128):
        index = order[i:i + 128].to(device)
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x.index_select(0, index)), y.index_select(0, index))
        loss.backward()
        optimizer.step()
        total += loss.detach()
        batches += 1
    mean = total.item() / batches
    torch.cuda.synchronize()
    return time.perf_counter() - start, mean, count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--gemm", type=int, default=4096)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("torch_reference.py: PyTorch sees no CUDA device")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    device = torch.device("cuda:0")
    print(f"RESULT torch_version {torch.__version__}")
    print(f"RESULT torch_device {torch.cuda.get_device_name(0).replace(' ', '_')}")
    print(f"RESULT torch_gemm_gflops {gemm_gflops(args.gemm, 10, device):.1f}")
    mlp_epoch(args.data, device, max_samples=256)  # warm-up: cuBLAS handles, allocator
    seconds, loss, count = mlp_epoch(args.data, device)
    print(f"RESULT torch_mlp_samples {count}")
    print(f"RESULT torch_mlp_epoch_s {seconds:.3f}")
    print(f"RESULT torch_mlp_loss {loss:.5f}")


if __name__ == "__main__":
    main()
