"""Coverage-guided fuzzing of the course file loader (:func:`iptcore.courseio.load_course`).

The promise checked: whatever the input, ``load_course`` returns a ``Course`` or raises ``CaseError``
(with every problem and its path) and nothing else. When it accepts a file, the course must be
sound:

- it round-trips: ``load_course(dump_course(c)) == c``, through strict JSON text as well;
- its history replays: one value per step plus the start, the last equal to the course, and each
  change of state one that ``TRANSITIONS`` allows for that step's kind;
- the dates of the sessions held and of the plan strictly increase; the count is one the protocol
  allows; the phases of the sessions held never go back within a contract;
- ``describe()``, ``progress()`` and ``to_dict()`` work and give JSON-ready values.

Run (see fuzz/README.md)::

    pip install atheris
    python fuzz/course_fuzz.py --seed-corpus /tmp/iptcore-fuzz/course
    nice -n 10 timeout 660 python fuzz/course_fuzz.py -max_total_time=600 \
        -artifact_prefix=/tmp/iptcore-fuzz/artifacts/course- /tmp/iptcore-fuzz/course

Half of the mutations are structural (``load_case_fuzz.make_mutator``): a value, key, date or list
item of the parsed file is changed, so that the replay of the steps is reached, not only the parser.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import atheris

with atheris.instrument_imports(include=["iptcore"]):
    from iptcore.course import TRANSITIONS, Course, SessionStatus
    from iptcore.courseio import dump_course, load_course
    from iptcore.errors import CaseError, IptError
    from iptcore.formulation import formulate
    from iptcore.plan import plan_course
    from iptcore.rules import classify
    from iptcore.terms import Phase
    from iptcore.vignettes import VIGNETTES, vignette

from load_case_fuzz import make_mutator, require, require_problems, write_seed_corpus

_ORDER = {Phase.ENGAGEMENT: 0, Phase.INITIAL: 1, Phase.MIDDLE: 2, Phase.TERMINATION: 3}


def _sound(course: Course) -> None:
    """The invariants of an accepted course (the module docstring)."""
    dumped = dump_course(course)
    require(load_course(dumped) == course, "load_course(dump_course(c)) != c")
    text = json.dumps(dumped, allow_nan=False)
    require(load_course(text) == course, "the dumped JSON text loads to another course")
    history = course.history
    require(len(history) == len(course.steps) + 1, "history has not one value per step")
    require(history[-1] == course, "the history does not end with the course")
    for before, after, step in zip(history, history[1:], course.steps, strict=False):
        allowed = TRANSITIONS[before.state].get(step.kind, frozenset())
        require(after.state in allowed, f"{step.kind} led from {before.state} to {after.state}")
    records = course.records
    require(
        all(a.date < b.date for a, b in itertools.pairwise(records)),
        "the sessions held and missed are not in date order",
    )
    for plan in course.contracts:
        require(plan.protocol.allows(plan.count), f"{plan.count} sessions outside the protocol")
        require(
            all(a.date < b.date for a, b in itertools.pairwise(plan.sessions)),
            "the plan's dates are not in order",
        )
    for contract in range(len(course.contracts)):
        phases = [
            _ORDER.get(r.phase, 9)
            for r in records
            if r.contract == contract and r.status is SessionStatus.HELD
        ]
        require(phases == sorted(phases), f"the phases held went back: {phases}")
    upcoming = course.next_session
    if upcoming is not None and records and records[-1].contract == len(course.contracts) - 1:
        require(upcoming.date > records[-1].date, "the next session is not after the last")
    require(isinstance(course.describe(), str), "describe() is not text")
    json.dumps(course.progress().to_dict(), allow_nan=False)


def check(data: bytes) -> None:
    """One fuzz input: ``CaseError`` or a sound course; anything else is a finding."""
    try:
        course = load_course(data)
    except CaseError as exc:
        require_problems(exc)
        return
    _sound(course)


# -- the seed corpus: courses walked at random from the vignettes (fictional) ------------------------


def _act(course: Course, rng: random.Random) -> Course:
    upcoming = course.next_session
    base = upcoming.date if upcoming is not None else date(2026, 3, 9)
    last = course.records[-1].date if course.records else base
    kind = rng.choice(["hold"] * 4 + ["measure", "goal", "miss", "move", "shift", "renegotiate",
                       "focus", "terminate", "drop", "maintain"])  # fmt: skip
    if kind == "hold" or (kind == "drop" and rng.random() < 0.8):  # a drop-out ends the walk
        return course.hold()
    if kind == "measure":
        return course.hold(measures={"phq9": [rng.randint(0, 3) for _ in range(9)]})
    if kind == "goal":
        return course.hold(goals={g.id: "active" for g in course.goals[:1]}, notes="fictional")
    if kind == "miss":
        return course.miss(reason="fictional")
    if kind in ("move", "shift"):
        return course.move(to=base + timedelta(days=rng.randint(1, 9)), shift_rest=kind == "shift")
    if kind == "renegotiate":
        return course.renegotiate(sessions=rng.randint(3, 16), reason="fictional")
    if kind == "focus":
        return course.change_focus([rng.choice(["grief", "role_dispute", "role_transition"])])
    if kind == "terminate":
        return course.terminate(reason="fictional")
    if kind == "drop":
        return course.drop_out(reason="fictional")
    return course.start_maintenance(start=last + timedelta(days=20), sessions=2)


def _walk(course: Course, rng: random.Random, steps: int) -> Course:
    for _ in range(steps):
        try:
            course = _act(course, rng)
        except IptError:
            continue
    return course


def _seed_documents() -> list[dict[str, Any]]:
    rng = random.Random(20260309)
    docs = []
    names = sorted(VIGNETTES)
    for i in range(120):
        case = vignette(names[i % len(names)])
        protocol = ["ipt", "ipt-b", "ipc", "group", "ipt-a"][i % 5]
        start = case.assessed + timedelta(days=rng.randint(1, 30))
        result = classify(case) if i % 3 else None
        if result is not None and result.focus:
            plan = plan_course(protocol, start=start, focus=result)
            course = Course.begin(case, plan, formulation=formulate(case, result))
        else:
            course = Course.begin(case, plan_course(protocol, start=start))
        docs.append(dump_course(_walk(course, rng, rng.randint(0, 40))))
    return docs


def _words(docs: list[dict[str, Any]]) -> list[str]:
    """Every key and every short string value of the seed courses: the mutator's vocabulary."""
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            words.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and len(node) <= 32:
            words.add(node)

    for doc in docs:
        walk(doc)
    return sorted(words)


def run(
    argv: list[str],
    target: Callable[[bytes], None],
    seeds: Callable[[], list[dict[str, Any]]],
    noun: str,
    max_len: int,
) -> None:
    """Write the seed corpus (``--seed-corpus DIR``) or fuzz ``target`` with the structural
    mutator, whose vocabulary is the words of the first seeds."""
    if len(argv) >= 3 and argv[1] == "--seed-corpus":
        count = write_seed_corpus(argv[2], seeds())
        print(f"wrote {count} seed {noun} to {argv[2]}")
        return
    words = _words(seeds()[:30])
    if not any(a.startswith("-max_len=") for a in argv):
        argv = [*argv, f"-max_len={max_len}"]
    atheris.Setup(argv, target, custom_mutator=make_mutator(words))
    atheris.Fuzz()


def main(argv: list[str]) -> None:
    # A course file holds its case, plan and every step: inputs up to 64 KB.
    run(argv, check, _seed_documents, "courses", 65536)


if __name__ == "__main__":
    main(sys.argv)
