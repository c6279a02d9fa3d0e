"""A simulation study: two arms, an executor, a dataframe, a parameter sweep, and pictures.

Every case here is simulated (fictional). The model and its calibration are described in the
documentation's "Simulation" page; this script shows how a researcher uses it:

1. simulate an IPT arm and a control arm with one seed, and compare them;
2. run the same cohort on an executor (Dask when it is installed, else a process pool) and check
   that the result is identical, bit for bit, to the serial one;
3. look at the cases as a pandas dataframe;
4. sweep one parameter of the model and see what it does to the outcomes;
5. follow one fictional case through a simulated course, session by session, with five seeds;
6. record what it takes to reproduce the study.

Run it:  python examples/simulation_study.py
With --pictures DIR it also writes the trajectories, the sweep and the single courses as SVG files.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import numpy as np

import iptcore
from iptcore import SimulationParams, simulate_case, simulate_cohort
from iptcore.vignettes import vignette

SEED = 20260302
N = 20_000  # cases per arm: a rate's sampling error is then about 0.35 percentage points
COLUMNS = ("baseline", "end", "sessions_attended", "dropped_out", "area")


def identical(a: Any, b: Any) -> bool:
    """Two cohorts with the same cases, bit for bit."""
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in COLUMNS)


def on_an_executor(n: int) -> tuple[str, Any]:
    """The cohort drawn on Dask's executor when Dask is installed, else on a process pool."""
    try:
        from distributed import Client
    except ImportError:
        with ProcessPoolExecutor(max_workers=2) as pool:
            return "a process pool (2 workers)", simulate_cohort(n, seed=SEED, executor=pool)
    with Client(n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        return "Dask (2 workers)", simulate_cohort(n, seed=SEED, executor=client.get_executor())


def main(pictures: Path | None = None) -> None:
    print("== 1. Two arms, one seed")
    ipt = simulate_cohort(N, seed=SEED)
    control = simulate_cohort(N, seed=SEED, arm="control")
    print(ipt.describe())
    print(control.describe())
    print(
        f"Hedges' g, IPT vs control: {ipt.effect_size(control):.2f} (published: 0.60, Cuijpers et al. 2016)"
    )

    print("\n== 2. The same cohort on an executor")
    where, parallel = on_an_executor(200_000)
    serial = simulate_cohort(200_000, seed=SEED)
    print(f"200,000 cases on {where}: identical to the serial run: {identical(parallel, serial)}")

    print("\n== 3. The cases as a dataframe")
    try:
        frame = ipt.to_dataframe()
    except iptcore.IptError as error:  # pandas is the "dataframe" extra
        print(error)
    else:
        by_area = frame.groupby("area", observed=True)[
            ["response", "remission", "dropped_out"]
        ].mean()
        print(by_area.round(3).to_string())

    print("\n== 4. A sweep of the middle phase's weekly change")
    base = SimulationParams()
    values = (0.05, 0.07, 0.095, 0.12)
    sweep = {
        v: simulate_cohort(N, seed=SEED, params=attrs.evolve(base, change_middle=v)) for v in values
    }
    print("change_middle  remission  response  g vs control")
    for value, cohort in sweep.items():
        s = cohort.summary()
        mark = "  (default)" if value == base.change_middle else ""
        print(
            f"{value:>13}  {s['remission_rate']:>9.1%}  {s['response_rate']:>8.1%}"
            f"  {cohort.effect_size(control):>12.2f}{mark}"
        )

    print("\n== 5. One case, session by session")
    ravi = vignette("dispute")  # a fictional teaching case: a role dispute with his brother
    runs = [simulate_case(ravi, seed=seed) for seed in range(5)]
    print(runs[0].describe())
    for run in runs:
        left = " (dropped out)" if run.dropped_out else ""
        print(
            f"seed {run.seed}: baseline {run.baseline}, end {run.end}{left}, remission {run.remission}"
        )

    print("\n== 6. What it takes to reproduce this study")
    again = simulate_cohort(N, seed=SEED)
    record = {
        "iptcore": iptcore.__version__,
        "numpy": np.__version__,
        "seed": SEED,
        "n": N,
        "params": base.to_dict(),
    }
    print(f"rerun with the same seed is identical: {identical(again, ipt)}")
    print(f"record: {json.dumps(record)[:100]}...")

    if pictures is not None:
        draw(pictures, ipt, control, sweep, runs)


def draw(folder: Path, ipt: Any, control: Any, sweep: dict[float, Any], runs: list[Any]) -> None:
    """The pictures, with the plot extra (matplotlib)."""
    from iptcore.draw import plot

    figure = plot.trajectories(ipt, control, labels=["IPT", "control"], cases=4000)
    figure.savefig(folder / "simulation-trajectories.svg", metadata={"Date": None})
    figure = plot.sweep(sweep, parameter="change_middle", control=control)
    figure.savefig(folder / "simulation-sweep.svg", metadata={"Date": None})
    figure = plot.trajectories(*runs, title="One fictional case, five simulated courses")
    figure.savefig(folder / "simulation-courses.svg", metadata={"Date": None})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pictures", type=Path, help="also write the pictures (SVG) into this folder"
    )
    main(parser.parse_args().pictures)
