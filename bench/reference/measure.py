"""Timing and output shared by the PyTorch reference benchmarks.

Mirrors DistGrad's BenchmarkDotNet settings (bench/DistGrad.Benchmarks/Micro/ShortRunConfig.cs): a pilot
sizes each iteration to about 150 ms, then 2 warmup and 7 measured iterations; the figure is the median
time of one call. Results are JSON lines of the same shape DistGrad writes, joined by workload name.
"""
import json
import statistics
import time

ITERATION_SECONDS = 0.15
WARMUPS = 2
ITERATIONS = 7


def median_ns(fn, setup=None, iterations=ITERATIONS):
    """Median nanoseconds of one fn() call. With setup, it runs untimed before every single call."""
    if setup is not None:
        for _ in range(WARMUPS):
            setup()
            fn()
        samples = []
        for _ in range(iterations):
            setup()
            start = time.perf_counter_ns()
            fn()
            samples.append(time.perf_counter_ns() - start)
        return statistics.median(samples)

    start = time.perf_counter_ns()
    fn()
    single = max(time.perf_counter_ns() - start, 1)
    calls = max(1, int(ITERATION_SECONDS * 1e9 / single))
    samples = []
    for i in range(WARMUPS + iterations):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        if i >= WARMUPS:
            samples.append((time.perf_counter_ns() - start) / calls)
    return statistics.median(samples)


def emit(out, workload, value, unit):
    """Prints a measurement and appends it as a JSON line to out (a path, or None)."""
    line = json.dumps({"side": "pytorch", "workload": workload, "value": value, "unit": unit}, ensure_ascii=False)
    print(f"{workload}: {value:.4g} {unit}", flush=True)
    if out:
        with open(out, "a", encoding="utf-8") as f:
            f.write(line + "\n")
