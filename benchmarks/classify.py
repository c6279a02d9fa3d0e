"""Time :func:`iptcore.classify` against a plain-dict floor that only decides, and its cost per person.

The floor is the same default rules (the case format's Version 1.1) written in plain Python over
dicts, with dates already parsed: no objects, no evidence, no rationale, no screening; only the
focus and the ranked candidates (area, anchor, person, stage). It is what pure Python needs at
least to reach the same decisions; iptcore, which also builds every candidate's evidence and
rationale, the checks and the screening cautions, aims to stay within 4x of it, and linear in the
size of the inventory (the cost per person for 800 people no higher than for 8).

Measured with ``--cases 3000`` on a machine of two cores shared with other work (load averages of
3.5 to 5): 3.3-3.4x; counted in machine instructions under valgrind (callgrind), 2.8x.

Run: ``python benchmarks/classify.py [--cases 10000] [--seed 1]``. Every generated case is fictional.
Both implementations are checked to agree on every case before anything is timed.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import random
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from iptcore import Case, Dispute, Event, Patient, Person, classify

ROLES = ("partner", "spouse", "parent", "child", "sibling", "friend", "coworker", "neighbour")
CONTACTS = ("daily", "weekly", "monthly", "rarely", "never", None)
KINDS = ("death", "separation", "divorce", "new_job", "job_loss", "relocation", "retirement",
         "illness", "pregnancy", "birth_of_child", "graduation", "financial_change",
         "pregnancy_loss")  # fmt: skip
COPING = ("difficult", "adjusting", None)
STAGES = ("renegotiation", "impasse", "dissolution", None)
MOURNING = ("ongoing", "avoided", "prolonged", "resolved", None)


def generate(rng: random.Random, n_people: int, index: int) -> dict[str, Any]:
    """One fictional case as a plain dict (dates as ``date``): people, disputes and events."""
    assessed = date(2020, 1, 1) + timedelta(days=rng.randrange(2500))
    onset = assessed - timedelta(days=rng.randrange(400))
    people = []
    for i in range(n_people):
        person: dict[str, Any] = {
            "id": f"p{i}",
            "role": rng.choice(ROLES),
            "closeness": rng.randint(1, 4),
            "contact": rng.choice(CONTACTS),
            "confidant": rng.random() < 0.1 or None,
        }
        if rng.random() < 0.08:
            since = onset - timedelta(days=rng.randrange(-30, 3000))
            since = min(since, assessed)
            ended = None
            if rng.random() < 0.3:
                ended = since + timedelta(days=rng.randrange(0, max(1, (assessed - since).days)))
            person["dispute"] = {
                "since": since,
                "expectations": rng.choice(("nonreciprocal", "reciprocal", None)),
                "stage": rng.choice(STAGES),
                "ended": ended,
            }
        people.append(person)
    events = []
    # A person dies at most once, and not one with a dispute (which may not begin after a death).
    mortal = [p["id"] for p in people if "dispute" not in p]
    rng.shuffle(mortal)
    for _ in range(rng.randrange(0, max(2, n_people // 2))):
        kind = rng.choice(KINDS) if n_people else rng.choice(KINDS[1:])
        if kind == "death" and not mortal:
            kind = "relocation"
        when = onset - timedelta(days=rng.randrange(-200, 900))
        event: dict[str, Any] = {"date": min(when, assessed), "kind": kind, "person": None}
        if kind == "death":
            event["person"] = mortal.pop()
        elif kind in ("separation", "divorce") and rng.random() < 0.7:
            event["person"] = f"p{rng.randrange(n_people)}"
        if kind == "death":
            event["mourning"] = rng.choice(MOURNING)
        else:
            event["coping"] = rng.choice(COPING)
        events.append(event)
    rng.shuffle(events)
    priority = rng.choice((None, None, None, "grief", "role_dispute", "role_transition"))
    isolation = rng.choice((None, None, "longstanding", "recent"))
    return {"id": f"bench-{index}", "assessed": assessed, "onset": onset, "people": people,
            "events": events, "priority": priority, "isolation": isolation}  # fmt: skip


def to_case(d: dict[str, Any]) -> Case:
    """The iptcore Case of a generated dict."""
    people = []
    for p in d["people"]:
        dispute = p.get("dispute")
        people.append(
            Person(
                id=p["id"],
                role=p["role"],
                closeness=p["closeness"],
                contact=p["contact"],
                confidant=p["confidant"],
                dispute=Dispute(**dispute) if dispute else None,
            )
        )
    events = tuple(Event(**e) for e in d["events"])
    return Case(id=d["id"], assessed=d["assessed"], onset=d["onset"], people=tuple(people),
                events=events, priority=d["priority"],
                patient=Patient(isolation=d["isolation"]))  # fmt: skip


# -- the floor: the default rules (Version 1.1) over plain dicts, decisions only ---------------

_RANK = {"grief": 0, "role_dispute": 1, "role_transition": 2, "interpersonal_deficits": 3}
_IN_TOUCH = ("daily", "weekly", "monthly")
_ENDINGS = ("separation", "divorce")


def _window_start(onset: date, months: int = 12) -> date:
    year, month = divmod(onset.year * 12 + onset.month - 1 - months, 12)
    return date(year, month + 1, min(onset.day, calendar.monthrange(year, month + 1)[1]))


def plain_classify(d: dict[str, Any]) -> dict[str, Any]:
    """The default rules over a dict case: the focus and the ranked candidates, each a bare
    (area, anchor, person, stage) tuple: the least work that reaches iptcore's decisions."""
    onset, _assessed, events, people = d["onset"], d["assessed"], d["events"], d["people"]
    start = _window_start(onset)
    closeness = {p["id"]: p["closeness"] for p in people}
    found: list[tuple[Any, ...]] = []
    late: list[tuple[Any, ...]] = []
    disputed = set()
    ending = {e["person"] for e in events if e["kind"] in _ENDINGS}
    for p in people:
        dispute = p.get("dispute")
        if not dispute or p["closeness"] > 3:
            continue
        if (dispute["expectations"] or "nonreciprocal") != "nonreciprocal":
            continue
        if dispute["ended"] is None or dispute["ended"] >= onset:
            disputed.add(p["id"])
            stage = dispute["stage"] or ("dissolution" if p["id"] in ending else None)
            found.append(("role_dispute", dispute["since"], p["id"], stage))
    dead = set()
    for e in events:
        when, kind = e["date"], e["kind"]
        if kind == "death":
            dead.add(e["person"])
            mourning = e.get("mourning") or "ongoing"
            if closeness.get(e["person"]) not in (1, 2) or mourning == "resolved":
                continue
            if start <= when or mourning in ("avoided", "prolonged"):
                found.append(("grief", when, e["person"], None))
            else:
                late.append(("grief", when, e["person"], None))
        elif when < start or (e.get("coping") == "adjusting" and kind != "pregnancy_loss"):
            continue
        elif kind == "pregnancy_loss":
            found.append(("grief", when, None, None))
        elif not (kind in _ENDINGS and e["person"] in disputed):
            found.append(("role_transition", when, e["person"], None))
    if not found and not late and d["isolation"] != "recent":
        touching = [p for p in people if p["contact"] in _IN_TOUCH and p["id"] not in dead]
        close = sum(1 for p in touching if p["closeness"] in (1, 2))
        if close < 2 and not any(p["confidant"] for p in touching):
            found.append(("interpersonal_deficits", onset, None, None))

    def key(f: tuple[Any, ...]) -> tuple[Any, ...]:
        anchor = f[1]
        after = anchor > onset
        day = anchor.toordinal()
        return (after, day if after else -day, _RANK[f[0]], f[2] or "")

    found.sort(key=key)
    late.sort(key=lambda f: (-f[1].toordinal(), f[2] or ""))
    found += late
    priority = d["priority"]
    if priority and any(f[0] == priority for f in found):
        found.sort(key=lambda f: f[0] != priority)
    return {"focus": (found[0][0],) if found else (), "candidates": found}


# -- timing ------------------------------------------------------------------------------------


def _best(
    runs: Sequence[tuple[Callable[[Any], object], Sequence[Any]]], repeat: int = 5, chunk: int = 250
) -> list[float]:
    """Seconds of each (function, items) run over every item, robust to a busy machine.

    The items are timed in chunks; the runs take turns on each chunk, ``repeat`` times, and each
    chunk counts its fastest time: a burst of other work slows one timing, not the total. The time
    is this process's CPU time (:func:`time.process_time`), not the wall clock: while other
    processes hold the cores, the wall clock also counts the waits, and a longer chunk is likelier
    to wait in every repeat, which put classify at 4-6x the floor at load averages of 5-6 where
    its CPU time is 3.3x. The garbage collector is paused while timing, as :mod:`timeit` does.
    """
    gc.collect()
    gc.disable()
    try:
        return _chunked(runs, repeat, chunk)
    finally:
        gc.enable()


def _chunked(
    runs: Sequence[tuple[Callable[[Any], object], Sequence[Any]]], repeat: int, chunk: int
) -> list[float]:
    totals = [0.0] * len(runs)
    size = max(len(items) for _, items in runs)
    for start in range(0, size, chunk):
        best = [float("inf")] * len(runs)
        for _ in range(repeat):
            for i, (run, items) in enumerate(runs):
                part = items[start : start + chunk]
                t0 = time.process_time()
                for item in part:
                    run(item)
                best[i] = min(best[i], time.process_time() - t0)
        totals = [t + b for t, b in zip(totals, best, strict=True)]
    return totals


def _agree(dicts: Sequence[dict[str, Any]], cases: Sequence[Case]) -> None:
    for d, c in zip(dicts, cases, strict=True):
        floor = plain_classify(d)
        focus, found = floor["focus"], floor["candidates"]
        result = classify(c)
        ours = [
            (f.area.value, f.anchor, f.person, f.stage and f.stage.value) for f in result.candidates
        ]
        same = tuple(a.value for a in result.focus) == focus and sorted(ours, key=repr) == sorted(
            found, key=repr
        )
        if not same or [o[:2] for o in ours] != [f[:2] for f in found]:
            raise SystemExit(f"disagree on {d['id']}: {result.describe()}\nfloor: {focus} {found}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    dicts = [generate(rng, 8, i) for i in range(args.cases)]
    cases = [to_case(d) for d in dicts]
    _agree(dicts, cases)
    ours, floor = _best([(classify, cases), (plain_classify, dicts)])
    n = args.cases
    print(f"classify, {n} cases of 8 people:       {ours / n * 1e6:6.1f} us/case")
    print(f"plain-dict floor (decisions only):       {floor / n * 1e6:6.1f} us/case")
    print(f"ratio classify / floor: {ours / floor:.2f}x (target: within 4x)")

    per_person = {}
    for size, count in ((8, n), (800, max(10, n // 100))):
        raw = [generate(rng, size, i) for i in range(count)]
        group = [to_case(d) for d in raw]
        _agree(raw, group)
        per_person[size] = _best([(classify, group)], chunk=max(1, 2000 // size))[0] / (
            count * size
        )
    a, b = per_person[8], per_person[800]
    print(f"cost per person: {a * 1e6:.2f} us at 8 people, {b * 1e6:.2f} us at 800 people "
          f"(ratio 800/8: {b / a:.2f}; linear when <= 1)")  # fmt: skip


if __name__ == "__main__":
    main()
