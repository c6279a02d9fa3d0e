"""Time `load_case` + `dump_case` on generated cases against `json.loads` + `json.dumps`.

Both run in this process on the same documents: the baseline is the
cost of JSON alone, so the ratio is what iptcore's checking and model building add.

    python benchmarks/caseio.py [--cases 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

from iptcore import dump_case, load_case

ROLES = ["partner", "spouse", "parent", "child", "sibling", "friend", "coworker", "boss", "other"]
CONTACTS = ["daily", "weekly", "monthly", "rarely", "never"]
CHANGES = ["new_job", "job_loss", "relocation", "separation", "retirement", "illness", "pregnancy"]


def document(rng: random.Random, index: int) -> dict[str, Any]:
    """A realistic fictional case: 8 people, 4 events, 2 measures."""
    people = []
    for i in range(8):
        person: dict[str, Any] = {
            "id": f"p{i}",
            "role": rng.choice(ROLES),
            "closeness": rng.randint(1, 4),
            "contact": rng.choice(CONTACTS),
            "confidant": rng.random() < 0.3,
        }
        if i > 0 and rng.random() < 0.2:  # p0 dies below; no dispute begins after a death
            person["dispute"] = {"since": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"}
        people.append(person)
    events: list[dict[str, Any]] = [
        {
            "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "kind": rng.choice(CHANGES),
        }
        for _ in range(3)
    ]
    events.append({"date": "2025-03-03", "kind": "death", "person": "p0", "mourning": "ongoing"})
    return {
        "format": "iptcore.case/1",
        "id": f"bench-{index}",
        "assessed": "2026-01-15",
        "onset": "2025-11-01",
        "people": people,
        "ties": [{"between": ["p1", "p2"], "kind": "close"}],
        "events": events,
        "measures": [
            {
                "date": "2026-01-15",
                "instrument": "phq9",
                "items": [rng.randint(0, 3) for _ in range(9)],
            },
            {
                "date": "2026-01-15",
                "instrument": "gad7",
                "items": [rng.randint(0, 3) for _ in range(7)],
            },
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [json.dumps(document(rng, i)) for i in range(args.cases)]

    start = time.perf_counter()
    for text in texts:
        json.dumps(json.loads(text))
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for text in texts:
        json.dumps(dump_case(load_case(text)))
    ours = time.perf_counter() - start

    n = args.cases
    print(f"{n} cases of 8 people, 4 events, 2 measures")
    print(
        f"json.loads + json.dumps         : {baseline:7.3f} s  ({baseline / n * 1e6:7.1f} us/case)"
    )
    print(f"load_case + dump_case (+ json)  : {ours:7.3f} s  ({ours / n * 1e6:7.1f} us/case)")
    print(f"ratio                           : {ours / baseline:7.1f}x")


if __name__ == "__main__":
    main()
