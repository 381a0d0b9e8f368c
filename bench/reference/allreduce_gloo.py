"""All-reduce bus bandwidth of PyTorch's gloo backend: 2 processes on loopback, float32 buffers.

/usr/bin/python3 bench/reference/allreduce_gloo.py [--sizes-mib 4,16,64] [--reps 10]
Prints one JSON object per size: {"impl": "gloo", "mib": 4, "algbw_gbs": ..., "busbw_gbs": ...} (medians).
"""
import argparse
import json
import os
import socket
import statistics
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank, world, port, sizes, reps, queue):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    for mib in sizes:
        x = torch.ones(mib * 1024 * 1024 // 4)
        for _ in range(2):
            dist.all_reduce(x)
        times = []
        for _ in range(reps):
            dist.barrier()
            t0 = time.perf_counter()
            dist.all_reduce(x)
            times.append(time.perf_counter() - t0)
        if rank == 0:
            t = statistics.median(times)
            algbw = mib * 1024 * 1024 / t / 1e9
            queue.put({"impl": "gloo", "mib": mib, "algbw_gbs": algbw, "busbw_gbs": algbw * 2 * (world - 1) / world})
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mib", default="4,16,64")
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes_mib.split(",")]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    port = free_port()
    procs = [ctx.Process(target=worker, args=(r, 2, port, sizes, args.reps, queue)) for r in range(2)]
    for p in procs:
        p.start()
    for _ in sizes:
        print(json.dumps(queue.get()), flush=True)
    for p in procs:
        p.join()


if __name__ == "__main__":
    main()
