#!/usr/bin/env python3
"""PyTorch 1.13 reference for DistGrad's end-to-end benchmark (bench/DistGrad.Benchmarks/EpochBenchmark.cs):
one epoch of the MLP 784-256-128-10, batch 128, SGD lr 0.1 momentum 0.9, over Fashion-MNIST's 60,000
training images, on 2 threads. Loading is not timed; peak RSS is the process's VmHWM.

Batches are drawn by indexing the in-memory tensors with a shuffled permutation, not through
torch.utils.data.DataLoader, whose per-sample collation would time Python rather than PyTorch.

Usage: /usr/bin/python3 bench/reference/epoch.py [--data DIR] [--out FILE.jsonl]
"""
import argparse
import time

import torch
import torch.nn as nn

from measure import emit
from train_fashion_mnist import load, mlp


def peak_rss_mib():
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    x_train, y_train = load(args.data, True)
    model = mlp()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    model.train()
    start = time.perf_counter()
    order = torch.randperm(len(y_train))
    for i in range(0, len(y_train), 128):
        idx = order[i:i + 128]
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
        last_loss = loss.item()
    seconds = time.perf_counter() - start

    samples = len(y_train)
    peak = peak_rss_mib()
    print(f"pytorch mlp epoch samples={samples} seconds={seconds:.2f} samples_per_s={samples / seconds:.0f} peak_rss_mib={peak:.0f} last_loss={last_loss:.4f}")
    emit(args.out, "mlp epoch wall time", seconds, "s")
    emit(args.out, "mlp epoch throughput", samples / seconds, "samples/s")
    emit(args.out, "mlp epoch peak RSS", peak, "MiB")


if __name__ == "__main__":
    main()
