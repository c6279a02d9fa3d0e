"""Coverage-guided fuzzing of the plan file loader (:func:`iptcore.load_plan`) with atheris.

The promise checked: whatever the input, ``load_plan`` returns a ``CoursePlan`` or raises
``CaseError`` (with every problem and its path) and nothing else. When it accepts a file, the plan
round-trips: ``load_plan(dump_plan(p)) == p``, through strict JSON text (``allow_nan=False``) as
well, and its ``describe()`` and each session's ``to_dict()`` work and give text and JSON-ready
values.

Run (see fuzz/README.md)::

    pip install atheris
    python fuzz/plan_fuzz.py --seed-corpus /tmp/iptcore-fuzz/plan
    nice -n 10 timeout 660 python fuzz/plan_fuzz.py -max_total_time=600 \
        -artifact_prefix=/tmp/iptcore-fuzz/artifacts/plan- /tmp/iptcore-fuzz/plan

Half of the mutations are structural (``load_case_fuzz.make_mutator``): a value, key, date or list
item of the parsed plan is changed, so that the checks behind the JSON parser are reached.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import timedelta
from typing import Any

import atheris

with atheris.instrument_imports(include=["iptcore"]):
    from iptcore import CaseError, IptError, classify, dump_plan, load_plan, plan_course
    from iptcore.vignettes import VIGNETTES, vignette

from course_fuzz import run  # the directory of this script
from load_case_fuzz import require, require_problems


def check(data: bytes) -> None:
    """One fuzz input: ``CaseError`` or a plan that round-trips; anything else is a finding."""
    try:
        plan = load_plan(data)
    except CaseError as exc:
        require_problems(exc)
        return
    dumped = dump_plan(plan)
    require(load_plan(dumped) == plan, "load_plan(dump_plan(p)) != p")
    text = json.dumps(dumped, allow_nan=False)
    require(load_plan(text) == plan, "the dumped JSON text loads to another plan")
    require(isinstance(plan.describe(), str), "describe() is not text")
    json.dumps([s.to_dict() for s in plan.sessions], allow_nan=False)


# -- the seed corpus: plans of every protocol for the vignettes (fictional) ---------------------------


def _seed_documents() -> list[dict[str, Any]]:
    rng = random.Random(20260309)
    docs = []
    names = sorted(VIGNETTES)
    protocols = ["ipt", "ipt-b", "ipc", "group", "ipt-a", "maintenance"]
    for i in range(90):
        case = vignette(names[i % len(names)])
        protocol = protocols[i % len(protocols)]
        start = case.assessed + timedelta(days=rng.randint(1, 30))
        skip = [start + timedelta(days=7 * rng.randint(1, 6))] if i % 4 == 0 else []
        focus: Any = classify(case) if i % 3 else ()
        sessions = rng.choice([None, None, 3, 8, 12])
        try:
            plan = plan_course(protocol, start=start, sessions=sessions, skip=skip, focus=focus)
        except IptError:  # a count or a focus the protocol does not allow
            plan = plan_course(protocol, start=start)
        docs.append(dump_plan(plan))
    return docs


def main(argv: list[str]) -> None:
    run(argv, check, _seed_documents, "plans", 32768)


if __name__ == "__main__":
    main(sys.argv)
