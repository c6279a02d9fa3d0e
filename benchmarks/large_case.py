"""Time one large case through load, classify and deidentify, and show that each stays linear.

"a case with 10,000 people and 10,000 events loads, classifies and deidentifies in
linear time (benchmark prints the figures)". For each size n (1,000, 2,000, 5,000 and 10,000 by
default) one fictional case of n people and n events (plus n/10 ties and n/100 measures) is written
as JSON text, then timed through

- ``load_case(text)``: parsing and every check of the case format;
- ``classify(case)``: the default rules;
- ``case.deidentify(seed=...)``: pseudonyms, the date shift, and the checked copy.

Each stage prints its time and its cost per item (people + events): linear time shows as a
per-item cost that stays about the same as n grows. The last lines give, for each stage, the ratio
of the per-item cost at the largest size to that at the smallest: about 1 when linear, about 10
when quadratic over 1,000 to 10,000.

A second table times what ``iptcore show`` and a timeline cost at 1,000, 10,000 and 100,000
(``--scale-sizes``; 100,000 is the limit of people, ties and events):

- ``show``: ``load_case(text).inventory.describe()`` on a case of n people and n ties (the shape
  of the largest inventory the limits allow: a 9 MB file at 100,000), as ``iptcore show`` does;
- ``timeline``: ``timeline_svg(case, classify(case))`` on the case of n people and n events above.

Its last lines give the per-item cost at 10,000 and at 100,000 over that at 1,000.

Timing: each stage runs ``--repeat`` times and counts its fastest run; the garbage collector is
paused while timing, as :mod:`timeit` does (``--gc`` keeps it running).

Run: ``python benchmarks/large_case.py [--sizes 1000 2000 5000 10000] [--scale-sizes 1000 10000
100000] [--repeat 3] [--seed 0]``.
Every generated case is fictional.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from iptcore import classify, load_case
from iptcore.caseio import DEFAULT_MAX_BYTES
from iptcore.draw import timeline_svg

ROLES = ("partner", "spouse", "parent", "child", "sibling", "relative", "friend", "coworker",
         "boss", "neighbour", "classmate", "community", "other")  # fmt: skip
CONTACTS = ("daily", "weekly", "monthly", "rarely", "never")
CHANGES = ("separation", "divorce", "new_job", "job_loss", "promotion", "retirement", "relocation",
           "illness", "injury", "became_caregiver", "financial_change", "other_change")  # fmt: skip
MOURNING = ("ongoing", "avoided", "prolonged", "resolved")
ASSESSED = date(2026, 3, 2)
ONSET = date(2025, 12, 1)


def document(n_people: int, n_events: int, *, seed: int = 0) -> dict[str, Any]:
    """A fictional case document with ``n_people`` people and ``n_events`` events.

    Every person has a name and notes, one in twelve a dispute; events spread over the six years
    before assessment, one in eight a death of someone in the inventory.
    """
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    for i in range(n_people):
        person: dict[str, Any] = {
            "id": f"p{i:05d}",
            "name": f"Fictional Person {i}",
            "role": rng.choice(ROLES),
            "closeness": rng.randint(1, 4),
            "contact": rng.choice(CONTACTS),
            "satisfying": [f"walks with person {i}"],
            "unsatisfying": [f"argues with person {i}"],
        }
        if i % 12 == 0:
            since = ASSESSED - timedelta(days=rng.randrange(30, 2000))
            person["dispute"] = {"since": since.isoformat(), "stage": rng.choice(("impasse", None))}
            if person["dispute"]["stage"] is None:
                del person["dispute"]["stage"]
        people.append(person)
    events: list[dict[str, Any]] = []
    for i in range(n_events):
        when = ASSESSED - timedelta(days=rng.randrange(0, 6 * 365))
        # Each death is a different person, never one with a dispute (every twelfth has one):
        # a person dies once, and no dispute begins after a death.
        k = i // 8
        if n_people and i % 8 == 0 and k < n_people * 11 // 12:
            event: dict[str, Any] = {
                "date": when.isoformat(),
                "kind": "death",
                "person": f"p{k + k // 11 + 1:05d}",
                "mourning": rng.choice(MOURNING),
            }
        else:
            event = {"date": when.isoformat(), "kind": rng.choice(CHANGES)}
            if event["kind"] == "other_change" or i % 5 == 0:
                event["description"] = f"something changed at place {i}"
            if n_people and event["kind"] in ("separation", "divorce"):
                event["person"] = f"p{rng.randrange(n_people):05d}"
        events.append(event)
    ties = [
        {"between": [f"p{i:05d}", f"p{i + 1:05d}"], "kind": rng.choice(("close", "conflict"))}
        for i in range(0, n_people - 1, 10)
    ]
    measures = [
        {
            "date": (ASSESSED - timedelta(days=7 * k)).isoformat(),
            "instrument": "phq9",
            "items": [rng.randint(0, 3) for _ in range(9)],
        }
        for k in range(max(1, n_people // 100))
    ]
    return {
        "format": "iptcore.case/1",
        "id": f"large-{n_people}",
        "assessed": ASSESSED.isoformat(),
        "onset": ONSET.isoformat(),
        "patient": {"name": "Fictional Patient", "born": 1980, "pronouns": "they/them"},
        "people": people,
        "ties": ties,
        "events": events,
        "measures": measures,
    }


def _fastest(run: Callable[[], object], repeat: int, *, collect: bool) -> float:
    """The fastest of ``repeat`` runs, in seconds, with the collector paused unless ``collect``."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        if not collect:
            gc.disable()
        try:
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def measure(n: int, *, repeat: int, seed: int, collect: bool) -> dict[str, float]:
    """Seconds to load, classify and deidentify a case of ``n`` people and ``n`` events."""
    text = json.dumps(document(n, n, seed=seed))
    if len(text.encode()) > DEFAULT_MAX_BYTES:
        raise SystemExit(f"the case of {n} is {len(text):,} bytes, over load_case's limit")
    case = load_case(text)
    if len(case.people) != n or len(case.events) != n:
        raise SystemExit("the generated case lost people or events")
    result = classify(case)
    key = f"benchmark key {seed}"  # fictional; a real key comes from new_key()
    copy = case.deidentify(seed=key)
    if classify(copy).focus != result.focus:
        raise SystemExit("the deidentified copy classifies differently")
    return {
        "bytes": float(len(text)),
        "load": _fastest(lambda: load_case(text), repeat, collect=collect),
        "classify": _fastest(lambda: classify(case), repeat, collect=collect),
        "deidentify": _fastest(lambda: case.deidentify(seed=key), repeat, collect=collect),
    }


STAGES = ("load", "classify", "deidentify")


def crowd(n: int) -> dict[str, Any]:
    """A fictional case document of ``n`` people on the four rings and ``n`` ties between them."""
    return {
        "format": "iptcore.case/1",
        "id": f"crowd-{n}",
        "assessed": ASSESSED.isoformat(),
        "onset": ONSET.isoformat(),
        "people": [{"id": f"p{i}", "role": "friend", "closeness": 1 + i % 4} for i in range(n)],
        "ties": [
            {"between": [f"p{i % n}", f"p{(i * 7 + 1) % n}"], "kind": "close"} for i in range(n)
        ],
    }


def measure_scale(n: int, *, repeat: int, seed: int, collect: bool) -> dict[str, float]:
    """Seconds for ``iptcore show``'s work on n people and n ties, and for the timeline of n
    events."""
    text = json.dumps(crowd(n), separators=(",", ":"))
    case = load_case(json.dumps(document(n, n, seed=seed)), max_bytes=1_000_000_000)
    result = classify(case)
    return {
        "show": _fastest(lambda: load_case(text).inventory.describe(), repeat, collect=collect),
        "timeline": _fastest(lambda: timeline_svg(case, result), repeat, collect=collect),
    }


SCALE_STAGES = ("show", "timeline")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument("--scale-sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gc", action="store_true", help="keep the garbage collector running")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    results = {n: measure(n, repeat=args.repeat, seed=args.seed, collect=args.gc) for n in sizes}

    gc_note = "collector running" if args.gc else "collector paused"
    print(f"one case of n people and n events; fastest of {args.repeat} runs, {gc_note}")
    print(f"{'n':>6} {'JSON':>9} | " + " | ".join(f"{s:>10} s  us/item" for s in STAGES))
    for n, r in results.items():
        items = 2 * n
        cells = " | ".join(f"{r[s]:12.3f} {r[s] / items * 1e6:8.2f}" for s in STAGES)
        print(f"{n:>6} {r['bytes'] / 1e6:7.2f}MB | {cells}")
    small, large = sizes[0], sizes[-1]
    for stage in STAGES:
        a = results[small][stage] / (2 * small)
        b = results[large][stage] / (2 * large)
        print(
            f"{stage:<10} per-item cost at {large} / at {small}: {b / a:5.2f} "
            f"(about 1 when linear; about {large / small:.0f} when quadratic)"
        )

    scale = sorted(set(args.scale_sizes))
    timed = {
        n: measure_scale(n, repeat=args.repeat, seed=args.seed, collect=args.gc) for n in scale
    }
    print()
    print("show: n people and n ties; timeline: n people and n events; per item: per n")
    print(f"{'n':>6} | " + " | ".join(f"{s:>10} s  us/item" for s in SCALE_STAGES))
    for n, r in timed.items():
        cells = " | ".join(f"{r[s]:12.3f} {r[s] / n * 1e6:8.2f}" for s in SCALE_STAGES)
        print(f"{n:>6} | {cells}")
    base = scale[0]
    for stage in SCALE_STAGES:
        for n in scale[1:]:
            ratio = (timed[n][stage] / n) / (timed[base][stage] / base)
            print(
                f"{stage:<10} per-item cost at {n} / at {base}: {ratio:5.2f} "
                f"(about 1 when linear; about {n / base:.0f} when quadratic)"
            )


if __name__ == "__main__":
    main()
