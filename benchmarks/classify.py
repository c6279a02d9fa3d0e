"""Time :func:`iptcore.classify` against a plain-dict floor, and its cost per person.

The floor is the same default rules (CASE_FORMAT.md) written in plain Python over dicts, with dates
already parsed: no objects, no evidence, no rationale. It is what pure Python needs at least to get
the same focus and candidates; iptcore's target is to stay within 4x of it, and linear in the size of
the inventory (the cost per person for 800 people no higher than for 8).

Run: ``python benchmarks/classify.py [--cases 10000] [--seed 1]``. Every generated case is fictional.
Both implementations are checked to agree on every case before anything is timed.
"""

from __future__ import annotations

import argparse
import calendar
import functools
import gc
import random
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from iptcore import Case, Dispute, Event, Person, classify

ROLES = ("partner", "spouse", "parent", "child", "sibling", "friend", "coworker", "neighbour")
CONTACTS = ("daily", "weekly", "monthly", "rarely", "never", None)
KINDS = ("death", "separation", "divorce", "new_job", "job_loss", "relocation", "retirement",
         "illness", "pregnancy", "birth_of_child", "graduation", "financial_change")  # fmt: skip
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
    for _ in range(rng.randrange(0, max(2, n_people // 2))):
        kind = rng.choice(KINDS) if n_people else rng.choice(KINDS[1:])
        when = onset - timedelta(days=rng.randrange(-200, 900))
        event: dict[str, Any] = {"date": min(when, assessed), "kind": kind, "person": None}
        if kind == "death" or (kind in ("separation", "divorce") and rng.random() < 0.7):
            event["person"] = f"p{rng.randrange(n_people)}"
        if kind == "death":
            event["mourning"] = rng.choice(MOURNING)
        events.append(event)
    rng.shuffle(events)
    priority = rng.choice((None, None, None, "grief", "role_dispute", "role_transition"))
    return {"id": f"bench-{index}", "assessed": assessed, "onset": onset, "people": people,
            "events": events, "priority": priority}  # fmt: skip


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
                dispute=Dispute(**dispute) if dispute else None,
            )
        )
    events = tuple(Event(**e) for e in d["events"])
    return Case(id=d["id"], assessed=d["assessed"], onset=d["onset"], people=tuple(people),
                events=events, priority=d["priority"])  # fmt: skip


# -- the floor: the default rules of CASE_FORMAT.md over plain dicts ---------------------------

_RANK = {"grief": 0, "role_dispute": 1, "role_transition": 2, "interpersonal_deficits": 3}


def _window_start(onset: date, months: int = 12) -> date:
    year, month = divmod(onset.year * 12 + onset.month - 1 - months, 12)
    return date(year, month + 1, min(onset.day, calendar.monthrange(year, month + 1)[1]))


def plain_classify(d: dict[str, Any], *, decision_only: bool = False) -> dict[str, Any]:
    """The default rules over a dict case: focus, ranked candidates, what was checked, warnings.

    Each candidate is a dict as CASE_FORMAT.md asks: "its evidence (the event or person that
    triggered it, its dates) and a one-sentence rationale that names the rule and its source".
    With ``decision_only`` the candidates are bare (area, anchor, person, stage) tuples: the least
    work that reaches the same focus.
    """
    onset, assessed, events = d["onset"], d["assessed"], d["events"]
    start = _window_start(onset)
    closeness = {p["id"]: p["closeness"] for p in d["people"]}
    found: list[Any] = []

    def add(area: str, rule: str, source: str, when: date, person: Any, **more: Any) -> None:
        if decision_only:
            found.append((area, when, person, more.get("stage")))
            return
        days = (when - onset).days
        found.append(
            {
                "area": area,
                "anchor": when,
                "person": person,
                "stage": more.get("stage"),
                "evidence": {"date": when, "days_from_onset": days, **more},
                "rationale": f"Rule {rule} {source}: {area} anchored {when}, {days} days from onset.",
            }
        )

    for e in events:
        when = e["date"]
        if e["kind"] == "death":
            mourning = e.get("mourning") or "ongoing"
            close = closeness.get(e["person"]) in (1, 2) and mourning != "resolved"
            if close and (start <= when <= assessed or mourning in ("avoided", "prolonged")):
                add("grief", "grief.death", "[ISIPT; GUIDE]", when, e["person"], event=e)
        elif start <= when <= assessed:
            add("role_transition", "transition.life_change", "[ISIPT; CASEBOOK]", when,
                e["person"], event=e)  # fmt: skip
    ending = {e["person"] for e in events if e["kind"] in ("separation", "divorce")}
    for p in d["people"]:
        dispute = p.get("dispute")
        if not dispute or (dispute["expectations"] or "nonreciprocal") != "nonreciprocal":
            continue
        if dispute["ended"] is None or dispute["ended"] >= onset:
            stage = dispute["stage"] or ("dissolution" if p["id"] in ending else None)
            add("role_dispute", "dispute.nonreciprocal", "[ISIPT; GUIDE]", dispute["since"],
                p["id"], dispute=dispute, stage=stage)  # fmt: skip
    checked: list[str] = []
    if not found:
        touch = sum(
            1
            for p in d["people"]
            if p["closeness"] in (1, 2) and p["contact"] in ("daily", "weekly", "monthly")
        )
        if touch < 2:
            add("interpersonal_deficits", "deficits.isolation", "[GUIDE]", onset, None, touch=touch)
        elif not decision_only:
            checked = ["grief: none", "role dispute: none", "role transition: none",
                       f"deficits: {touch} close people in touch"]  # fmt: skip

    def area_of(f: Any) -> str:
        return str(f[0] if decision_only else f["area"])

    def key(f: Any) -> tuple[Any, ...]:
        anchor, person = (f[1], f[2]) if decision_only else (f["anchor"], f["person"])
        after = anchor > onset
        day = anchor.toordinal()
        return (after, day if after else -day, _RANK[area_of(f)], person or "")

    found.sort(key=key)
    priority, warnings = d["priority"], []
    if priority and any(area_of(f) == priority for f in found):
        found.sort(key=lambda f: area_of(f) != priority)
    elif priority:
        warnings.append(f"priority {priority} names no candidate area")
    focus: tuple[str, ...] = ()
    if found:
        first = area_of(found[0])
        focus = (first,)
        if first != "interpersonal_deficits":
            second = [
                area_of(f) for f in found if area_of(f) not in (first, "interpersonal_deficits")
            ]
            focus = (first, second[0]) if second else focus
    return {"focus": focus, "candidates": found, "checked": checked, "warnings": warnings}


# -- timing ------------------------------------------------------------------------------------


def _best(
    runs: Sequence[tuple[Callable[[Any], object], Sequence[Any]]], repeat: int = 5, chunk: int = 250
) -> list[float]:
    """Wall-clock seconds of each (function, items) run over every item, robust to a busy machine.

    The items are timed in chunks; the runs take turns on each chunk, ``repeat`` times, and each
    chunk counts its fastest time: a burst of other work slows one timing, not the total. The
    garbage collector is paused while timing, as :mod:`timeit` does.
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
                t0 = time.perf_counter()
                for item in part:
                    run(item)
                best[i] = min(best[i], time.perf_counter() - t0)
        totals = [t + b for t, b in zip(totals, best, strict=True)]
    return totals


def _agree(dicts: Sequence[dict[str, Any]], cases: Sequence[Case]) -> None:
    for d, c in zip(dicts, cases, strict=True):
        floor = plain_classify(d, decision_only=True)
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
    bare_run = functools.partial(plain_classify, decision_only=True)
    ours, floor, bare = _best([(classify, cases), (plain_classify, dicts), (bare_run, dicts)])
    n = args.cases
    print(f"classify, {n} cases of 8 people:      {ours / n * 1e6:6.1f} us/case")
    print(f"plain-dict floor (evidence, rationale): {floor / n * 1e6:6.1f} us/case")
    print(f"plain-dict decision only (no evidence): {bare / n * 1e6:6.1f} us/case")
    print(f"ratio classify / floor: {ours / floor:.2f}x (target: within 4x); "
          f"/ decision only: {ours / bare:.2f}x")  # fmt: skip

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
