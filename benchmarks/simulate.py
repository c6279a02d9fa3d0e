"""Time `simulate_cohort` against a numpy floor, measure its peak memory and its speed-up on workers.

Three figures, all measured in this process:

- the ratio of `simulate_cohort(n)` (n = 1,000,000 by default) to a numpy *floor*: the same count
  of normal variates as n cases of 16 weekly steps (n x 16) drawn, accumulated, clipped to the
  HAM-D range and reduced to response, remission and dropout rates. The floor is run whole and in
  blocks of the simulator's block size; the faster of the two is the floor. Target: within 2x.
- the peak memory of `simulate_cohort(n)` (tracemalloc, which sees numpy's buffers; and the
  process's peak RSS). Target: under 1 GB for a million cases.
- the speed-up of a `ProcessPoolExecutor` of 2 workers over the serial run (the pool is started
  and warmed before the clock starts, as a long-lived pool would be).

And for the trial and its power:

- one simulated trial analysed by MMRM at n = 200 per arm (`--trial-n`), against the baseline of
  simulating the same two cohorts of 200 with their trajectories (what the trial needs before
  the model is fitted), in this process;
- a power point of 1,000 trials (`--power-trials`, analysis `--power-analysis`, completers by
  default: MMRM takes about half a second a trial, so 1,000 MMRM trials take many minutes) on a
  process pool of 2 workers, with its speed-up over a pool of 1 worker;
- the peak memory of `simulate_cohort(10_000_000)` (`--big-n`; tracemalloc and the peak RSS):
  the cohort is simulated in blocks, and the target is under 1 GB.

    python benchmarks/simulate.py [--n 1000000] [--repeat 5] [--workers 2] [--seed 1]
        [--trial-n 200] [--power-trials 1000] [--power-n 100] [--power-analysis completers]
        [--big-n 10000000]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from iptcore import simulate_cohort
from iptcore.simulate import BLOCK_SIZE, power, simulate_trial

WEEKS = 16
TOP = 52  # the HAM-D-17 maximum
BASELINE = 19.0


def _floor_part(rng: np.random.Generator, n: int) -> tuple[int, int, int]:
    steps = rng.standard_normal((n, WEEKS))
    scores = np.clip(BASELINE + np.cumsum(steps, axis=1), 0, TOP)
    end = scores[:, -1]
    return (
        int(np.count_nonzero(2 * end <= BASELINE)),
        int(np.count_nonzero(end <= 7)),
        int(np.count_nonzero(scores.min(axis=1) <= 0)),
    )


def floor_whole(n: int, seed: int) -> tuple[float, float, float]:
    """The floor on one (n, 16) array."""
    counts = _floor_part(np.random.default_rng(seed), n)
    return counts[0] / n, counts[1] / n, counts[2] / n


def floor_blocked(n: int, seed: int) -> tuple[float, float, float]:
    """The floor in blocks of BLOCK_SIZE cases (cache-friendly, bounded memory)."""
    rng = np.random.default_rng(seed)
    totals = np.zeros(3, dtype=np.int64)
    for start in range(0, n, BLOCK_SIZE):
        totals += _floor_part(rng, min(BLOCK_SIZE, n - start))
    return totals[0] / n, totals[1] / n, totals[2] / n


def best(run: Callable[[], Any], repeat: int) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_bytes(run: Callable[[], Any]) -> int:
    """The peak of memory traced while ``run`` runs (numpy reports its buffers to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trial-n", type=int, default=200)
    parser.add_argument("--power-trials", type=int, default=1000)
    parser.add_argument("--power-n", type=int, default=100)
    parser.add_argument("--power-analysis", default="completers")
    parser.add_argument("--big-n", type=int, default=10_000_000)
    args = parser.parse_args()
    n, seed, repeat = args.n, args.seed, args.repeat
    # Other processes on the machine slow the wall clock, the workers' speed-up most of all.
    print("load average before the run: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    whole = best(lambda: floor_whole(n, seed), repeat)
    blocked = best(lambda: floor_blocked(n, seed), repeat)
    floor = min(whole, blocked)
    simulated = best(lambda: simulate_cohort(n, seed=seed), repeat)
    cohort = simulate_cohort(n, seed=seed)
    print(f"simulate_cohort({n:,}): {simulated:.3f} s")
    print(f"numpy floor ({n:,} x {WEEKS} normals): whole {whole:.3f} s, blocked {blocked:.3f} s")
    print(f"ratio to the floor: {simulated / floor:.2f}x (target: within 2x)")

    memory = peak_bytes(lambda: simulate_cohort(n, seed=seed))
    floor_memory = peak_bytes(lambda: floor_whole(n, seed))
    print(
        f"peak traced memory: simulate_cohort {memory / 2**20:.1f} MiB "
        f"(floor, whole: {floor_memory / 2**20:.1f} MiB); target under 1 GB"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process so far: {rss:.0f} MiB")

    cpu = time.process_time()
    simulate_cohort(n, seed=seed)
    serial_cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        simulate_cohort(BLOCK_SIZE * args.workers, seed=0, executor=pool, blocks_per_task=1)
        pooled = best(lambda: simulate_cohort(n, seed=seed, executor=pool), repeat)
        same = np.array_equal(simulate_cohort(n, seed=seed, executor=pool).end, cohort.end)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The workers' CPU over the warm-up, the timed runs and the check (repeat + 1 runs in all).
    worker_cpu = (after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime) / (
        repeat + 1
    )
    print(
        f"{args.workers} workers (ProcessPoolExecutor): {pooled:.3f} s, speed-up "
        f"{simulated / pooled:.2f}x over serial; identical to serial: {same}"
    )
    print(
        f"CPU per run: serial {serial_cpu:.3f} s, the {args.workers} workers together "
        f"{worker_cpu:.3f} s; on {args.workers} otherwise idle cores the speed-up would be about "
        f"{serial_cpu / max(worker_cpu / args.workers, 1e-9):.2f}x"
    )
    s = cohort.summary()
    print(
        f"summary: remission {s['remission_rate']:.3f}, response {s['response_rate']:.3f}, "
        f"dropout {s['dropout_rate']:.3f}"
    )
    trial_and_power(args)
    big_memory(args.big_n, seed)


def trial_and_power(args: argparse.Namespace) -> None:
    """One MMRM trial against its cohorts, and a power point on 2 workers against 1."""
    n, seed = args.trial_n, args.seed
    simulate_trial(n, seed=seed).mmrm()  # warm: scipy imported
    cohorts = best(
        lambda: (
            simulate_cohort(n, seed=seed, keep_trajectories=True),
            simulate_cohort(n, seed=seed, arm="control", keep_trajectories=True),
        ),
        args.repeat,
    )
    mmrm = best(lambda: simulate_trial(n, seed=seed).mmrm(), min(args.repeat, 3))
    cpu = time.process_time()
    simulate_trial(n, seed=seed).mmrm()
    mmrm_cpu = time.process_time() - cpu
    print(
        f"one trial at n = {n} per arm analysed by MMRM: {mmrm:.3f} s (CPU {mmrm_cpu:.3f} s); "
        f"simulating its two cohorts with trajectories: {cohorts * 1000:.2f} ms; ratio "
        f"{mmrm / cohorts:.0f}x"
    )
    study = {
        "trials": args.power_trials,
        "seed": seed,
        "analysis": args.power_analysis,
        "protocol": "ipt-b",
    }
    timings = {}
    results = {}
    cpus = {}
    for workers in (1, args.workers):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            power([args.power_n], **{**study, "trials": 4 * workers}, executor=pool)  # warm
            start = time.perf_counter()
            results[workers] = power([args.power_n], **study, executor=pool)
            timings[workers] = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus[workers] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    one, many = results[1].points[0], results[args.workers].points[0]
    same = np.array_equal(one.p_values, many.p_values, equal_nan=True)
    print(
        f"power point, {args.power_trials:,} trials of {args.power_analysis} at n = "
        f"{args.power_n} per arm (IPT-B): power {many.power:.3f} (Monte Carlo SE "
        f"{many.mc_se:.3f}); 1 worker {timings[1]:.2f} s, {args.workers} workers "
        f"{timings[args.workers]:.2f} s, speed-up {timings[1] / timings[args.workers]:.2f}x; "
        f"identical: {same}"
    )
    print(
        f"CPU of the workers (with start-up and warm-up): 1 worker {cpus[1]:.2f} s, "
        f"{args.workers} workers together {cpus[args.workers]:.2f} s; on {args.workers} otherwise "
        f"idle cores the speed-up would be about "
        f"{args.workers * cpus[1] / max(cpus[args.workers], 1e-9):.2f}x"
    )


def big_memory(n: int, seed: int) -> None:
    """Peak memory of a cohort of ``n`` cases (10 million by default)."""
    start = time.perf_counter()
    memory = peak_bytes(lambda: simulate_cohort(n, seed=seed))
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"simulate_cohort({n:,}): peak traced memory {memory / 2**20:.0f} MiB (the result "
        f"itself {10 * n / 2**20:.0f} MiB), peak RSS of this process {rss:.0f} MiB, "
        f"{elapsed:.1f} s under tracemalloc; target under 1 GB"
    )


if __name__ == "__main__":
    main()
