"""A power study of at least 10,000 simulated trials on a Dask cluster, timed.

By default it starts a `LocalCluster` of `--workers` single-threaded worker processes on this
machine; `--scheduler ADDRESS` (e.g. `tcp://10.0.0.5:8786`) runs the same code on a real cluster
instead. The trials go to Dask through `Client.get_executor()`, the `concurrent.futures` interface
that `iptcore.simulate.power` takes, and each trial's seed comes from its number, so the study is
the one a serial run gives (`--check N` reruns the first N trials of each size here and compares).

The default analysis is `completers` (a few milliseconds a trial); the mixed model (`--analysis
mmrm`) takes about half a second a trial at 100 per arm, so 10,000 MMRM trials take over an hour
on two cores.

    python benchmarks/power_dask.py [--trials 2500] [--sizes 20,40,60,80] [--analysis completers]
        [--workers 2] [--scheduler ADDRESS] [--check 50]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from iptcore.simulate import power


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=2_500, help="trials per sample size")
    parser.add_argument("--sizes", default="20,40,60,80", help="sample sizes per arm")
    parser.add_argument("--analysis", default="completers")
    parser.add_argument("--protocol", default="ipt-b")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler's address")
    parser.add_argument("--check", type=int, default=50, help="trials per size to rerun serially")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    sizes = [int(n) for n in args.sizes.split(",")]
    study = {
        "trials": args.trials,
        "seed": args.seed,
        "analysis": args.analysis,
        "protocol": args.protocol,
    }
    print("load average before the run: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.scheduler is None:
        cluster = LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
        where = f"LocalCluster of {args.workers} worker processes"
    else:
        cluster, client = None, Client(args.scheduler)
        where = f"the cluster at {args.scheduler}"
    try:
        executor = client.get_executor()
        power(sizes[:1], **{**study, "trials": 8}, executor=executor)  # warm the workers
        start = time.perf_counter()
        result = power(sizes, **study, executor=executor, trials_per_task=100)
        elapsed = time.perf_counter() - start
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    total = len(sizes) * args.trials
    print(
        f"{total:,} simulated trials ({args.analysis}, protocol {args.protocol}) on {where}: "
        f"{elapsed:.1f} s, {1000 * elapsed / total:.2f} ms a trial"
    )
    print(result.describe())
    if args.check:
        serial = power(sizes, **{**study, "trials": args.check})
        same = all(
            np.array_equal(p.p_values[: args.check], q.p_values, equal_nan=True)
            for p, q in zip(result.points, serial.points, strict=True)
        )
        print(f"the first {args.check} trials of each size rerun serially: identical: {same}")


if __name__ == "__main__":
    main()
