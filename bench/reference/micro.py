#!/usr/bin/env python3
"""PyTorch 1.13 reference for DistGrad's micro benchmarks (bench/DistGrad.Benchmarks/Micro): the same
workloads under the same names, on 2 threads.

Usage: /usr/bin/python3 bench/reference/micro.py [--out FILE.jsonl] [--filter SUBSTRING]
"""
import argparse

import torch
import torch.nn.functional as F

from measure import emit, median_ns

# Same order and names as GemmCase.All(): (name, M, K, N, transpose A, transpose B).
GEMM_CASES = [
    ("256", 256, 256, 256, False, False),
    ("512", 512, 512, 512, False, False),
    ("1024", 1024, 1024, 1024, False, False),
    ("2048", 2048, 2048, 2048, False, False),
    ("fc1.fwd 128x784.(256x784)T", 128, 784, 256, False, True),
    ("fc1.wgrad (128x256)T.128x784", 256, 128, 784, True, False),
    ("fc2.fwd 128x256.(128x256)T", 128, 256, 128, False, True),
    ("fc2.dgrad 128x128.128x256", 128, 128, 256, False, False),
    ("fc2.wgrad (128x128)T.128x256", 128, 128, 256, True, False),
    ("fc3.fwd 128x128.(10x128)T", 128, 128, 10, False, True),
    ("fc3.dgrad 128x10.10x128", 128, 10, 128, False, False),
    ("fc3.wgrad (128x10)T.128x128", 10, 128, 128, True, False),
]

CHAIN_OPS = 1000


def gemm_workloads():
    for name, m, k, n, ta, tb in GEMM_CASES:
        a = torch.randn(k, m).t() if ta else torch.randn(m, k)
        b = torch.randn(n, k).t() if tb else torch.randn(k, n)
        yield f"gemm {name}", (lambda a=a, b=b: a.matmul(b)), None


def elementwise_workloads():
    x, y = torch.randn(1 << 20), torch.randn(1 << 20)
    matrix, row = torch.randn(128, 256), torch.randn(256)
    yield "mul 1M", lambda: x * y, None
    yield "add 1M", lambda: x + y, None
    yield "mul scalar 1M", lambda: x * 1.5, None
    yield "add broadcast [128,256]+[256]", lambda: matrix + row, None


def reduction_workloads():
    x, matrix = torch.randn(1 << 20), torch.randn(1024, 1024)
    yield "sum 1M", lambda: x.sum(), None
    yield "mean 1M", lambda: x.mean(), None
    yield "max 1M", lambda: x.max(), None
    yield "sum dim0 [1024,1024]", lambda: matrix.sum(0), None
    yield "sum dim1 [1024,1024]", lambda: matrix.sum(1), None
    yield "argmax dim1 [1024,1024]", lambda: matrix.argmax(1), None


def softmax_cross_entropy_workloads():
    small = torch.randn(128, 10, requires_grad=True)
    small_target = torch.randint(0, 10, (128,))
    large = torch.randn(1024, 1000, requires_grad=True)
    large_target = torch.randint(0, 1000, (1024,))

    def forward_backward(logits, target):
        logits.grad = None
        F.cross_entropy(logits, target).backward()
        return logits.grad

    yield "softmax [128,10]", lambda: small.detach().softmax(1), None
    yield "softmax [1024,1000]", lambda: large.detach().softmax(1), None
    yield "cross_entropy fwd+bwd [128,10]", lambda: forward_backward(small, small_target), None
    yield "cross_entropy fwd+bwd [1024,1000]", lambda: forward_backward(large, large_target), None


def conv_workloads():
    x = torch.randn(64, 32, 14, 14, requires_grad=True)
    w = torch.randn(32, 32, 3, 3, requires_grad=True)
    b = torch.randn(32, requires_grad=True)

    def forward():
        with torch.no_grad():
            return F.conv2d(x, w, b, padding=1)

    def forward_backward():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, padding=1).sum().backward()
        return w.grad

    yield "conv2d fwd [64,32,14,14] k3x3x32", forward, None
    yield "conv2d fwd+bwd [64,32,14,14] k3x3x32", forward_backward, None


def chain(leaf, addend):
    """The 1,000-op chain of bench/DistGrad.Benchmarks/AutogradChain.cs: x * 1.0001, x + w, tanh(x) in turn, then a sum."""
    x = leaf
    for i in range(CHAIN_OPS):
        r = i % 3
        x = x * 1.0001 if r == 0 else x + addend if r == 1 else torch.tanh(x)
    return x.sum()


def autograd_workloads():
    addend = torch.full([16], 0.01)
    yield "autograd chain forward (1000 ops, 16 elements)", lambda: chain(torch.full([16], 0.5, requires_grad=True), addend), None

    graph = {}

    def record():
        graph["leaf"] = torch.full([16], 0.5, requires_grad=True)
        graph["out"] = chain(graph["leaf"], addend)

    def backward():
        graph["out"].backward()
        return graph["leaf"].grad

    yield "autograd chain backward (1000 ops, 16 elements)", backward, record


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=None)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    suites = [gemm_workloads, elementwise_workloads, reduction_workloads, softmax_cross_entropy_workloads, conv_workloads, autograd_workloads]
    for suite in suites:
        for name, fn, setup in suite():
            if args.filter.lower() in name.lower():
                # One call per sample when a graph must be recorded first, so more samples (as DistGrad's [IterationCount(40)]).
                value = median_ns(fn, setup, iterations=40) if setup else median_ns(fn)
                emit(args.out, name, value, "ns")


if __name__ == "__main__":
    main()
