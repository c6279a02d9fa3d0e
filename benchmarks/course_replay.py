"""Time reading course files of many steps: the cost of one step, at 100 steps and at 2,000.

A course file holds its steps, and `load_course` replays them. A step's cost is the time to read
the file with its steps less the time to read it with one step (the case, the contracted plan and
the plan as it stands, made once when it is read), divided by the other steps. Each step changes a date or two of the plan (a session moved or held), so
replay is linear when a step costs the same at the 2,000th as at the 100th (the first ratio printed,
about 1), and it does not rebuild the plan when a step costs about the same on a plan of 1,000
sessions as on one of 10 (the second ratio; it grows towards 100 when each step rebuilds the plan).

The workloads, on a monthly maintenance plan (fictional case): `move`, the next session moved back
and forth a day (the course file that once took 45.6 s to read at 2,000 steps); `move+hold`, each
session moved a day and then held; `shift`, the next session moved with the rest of the plan
(such a step gives every later session a new date, so it costs a little per later session: the
second ratio stays above 1 there).

    python benchmarks/course_replay.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from iptcore import Course, dump_course, load_course, plan_course
from iptcore.vignettes import vignette

START = date(2026, 3, 9)
CASE = vignette("demo")  # fictional


def document(sessions: int, steps: int, workload: str) -> dict[str, Any]:
    """A course file of ``steps`` steps of ``workload`` on a plan of ``sessions`` sessions."""
    plan = plan_course("maintenance", start=START, sessions=sessions, focus=["grief"])
    doc = dump_course(Course.begin(CASE, plan))
    dates = [s.date for s in plan.sessions]
    out: list[dict[str, Any]] = []
    for i in range(steps):
        if workload == "move":
            to = dates[0] + timedelta(days=i % 2)
            out.append({"kind": "move", "number": 1, "to": to.isoformat()})
        elif workload == "shift":
            to = dates[0] + timedelta(days=i % 2)
            out.append({"kind": "move", "number": 1, "to": to.isoformat(), "shift_rest": True})
        else:  # move+hold: session i // 2 + 1 moved a day later, then held there
            index = i // 2
            when = dates[index] + timedelta(days=1)
            if i % 2 == 0:
                out.append({"kind": "move", "number": index + 1, "to": when.isoformat()})
            else:
                out.append({"kind": "hold", "number": index + 1, "date": when.isoformat()})
    doc["steps"] = out
    return doc


def best(call: Callable[[], object], repeat: int) -> float:
    """The best time of ``call`` over ``repeat`` runs, in seconds."""
    return min(_timed(call) for _ in range(repeat))


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'workload':<10} {'sessions':>8} {'steps':>6} {'us/step':>9}")
    for workload in ("move", "move+hold", "shift"):
        cost: dict[tuple[int, int], float] = {}
        for sessions, steps in ((1_000, 100), (1_000, 2_000), (10, 100)):
            if workload == "move+hold" and steps > 2 * sessions:
                steps = 2 * sessions
            # The file as read, with its plan made (the plan is made when it is first read).
            one, doc = document(sessions, 1, workload), document(sessions, steps, workload)
            base = best(lambda one=one: load_course(one).plan, args.repeat)
            total = best(lambda doc=doc: load_course(doc).plan, args.repeat)
            cost[sessions, steps] = (total - base) / (steps - 1) * 1e6
            print(f"{workload:<10} {sessions:>8} {steps:>6} {cost[sessions, steps]:>9.1f}")
        long = cost[1_000, 2_000]
        print(f"  per step, 2,000 steps / 100 steps:     {long / cost[1_000, 100]:.2f}")
        small = next(v for (s, _), v in cost.items() if s == 10)
        print(f"  per step, 1,000 sessions / 10 sessions: {cost[1_000, 100] / small:.2f}")


if __name__ == "__main__":
    main()
