"""PyTorch DDP on the MLP (784-256-128-10): 2 processes x 1 thread, gloo on loopback, one epoch of
Fashion-MNIST, global batch 128 (64 per rank), SGD lr 0.1 momentum 0.9, as `coordinator train
--data-parallel 2 --threads-per-worker 1`.

/usr/bin/python3 bench/reference/ddp_mlp.py [--model mlp|cnn] [--world 2] [--steps N] [--data DIR]
Prints one JSON object: {"impl": "pytorch-ddp", "model": ..., "world": 2, "samples_per_second": ...}.
"""
import argparse
import gzip
import json
import os
import socket
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP


def load(directory):
    def read(name, offset):
        path = os.path.join(directory, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)
    x = read("train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    y = read("train-labels-idx1-ubyte", 8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def model_of(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10))


def worker(rank, world, port, args, queue):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    x, y = load(args.data)
    model = model_of(args.model)
    ddp = DDP(model) if world > 1 else model
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    per_rank = args.batch // world
    steps = args.steps or len(x) // args.batch
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    dist.barrier()
    t0 = time.perf_counter()
    for s in range(steps):
        start = (s % (len(x) // args.batch)) * args.batch + rank * per_rank
        idx = order[start:start + per_rank]
        opt.zero_grad()
        F.cross_entropy(ddp(x[idx]), y[idx]).backward()
        opt.step()
    dist.barrier()
    seconds = time.perf_counter() - t0
    if rank == 0:
        queue.put({"impl": "pytorch-ddp", "model": args.model, "world": world, "steps": steps,
                   "seconds": seconds, "samples_per_second": steps * args.batch / seconds})
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="mlp")
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=0)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    procs = [ctx.Process(target=worker, args=(r, args.world, port, args, queue)) for r in range(args.world)]
    for p in procs:
        p.start()
    print(json.dumps(queue.get()), flush=True)
    for p in procs:
        p.join()


if __name__ == "__main__":
    main()
