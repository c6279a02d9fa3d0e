"""Time :func:`iptcore.load_case` against a pydantic v2 model of the same case format.

The yardstick is what an app developer would write instead: ``benchmarks/pydantic_case.py``, with
the same field and cross-field rules. Both read the same fictional documents in this process
(eight people with names and notes, a dispute, two events, a tie, a PHQ-9), already parsed;
``json.loads`` of the same documents is printed for scale. Needs the ``bench`` extra
(``pip install 'iptcore[bench]'``).

    python benchmarks/caseio_vs_pydantic.py [--cases 3000] [--repeat 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pydantic_case import CaseModel

from iptcore import load_case

ROLES = ["partner", "spouse", "parent", "child", "sibling", "friend", "coworker", "boss", "other"]
CONTACTS = ["daily", "weekly", "monthly", "rarely", "never"]
CHANGES = ["new_job", "job_loss", "relocation", "separation", "retirement", "illness"]
NAMES = ["Ada", "Bo", "Cyd", "Dee", "Eli", "Fen", "Gus", "Hal", "Ivy", "Jo"]  # fictional


def document(rng: random.Random, index: int) -> dict[str, Any]:
    """A fictional case: 8 named people with notes, a dispute, two events, a tie, a PHQ-9."""
    people = []
    for i in range(8):
        person: dict[str, Any] = {
            "id": f"p{i}",
            "role": rng.choice(ROLES),
            "closeness": rng.randint(1, 4),
            "name": f"{rng.choice(NAMES)} (fictional)",
            "contact": rng.choice(CONTACTS),
            "confidant": rng.random() < 0.3,
            "satisfying": ["walks together", "phone calls"],
            "unsatisfying": ["arguments about money"],
        }
        people.append(person)
    people[1]["dispute"] = {"since": "2025-06-10", "stage": "impasse", "conflict": "covert"}
    return {
        "format": "iptcore.case/1",
        "id": f"bench-{index}",
        "assessed": "2026-01-15",
        "onset": "2025-11-01",
        "patient": {"name": "A. Fictional", "born": 1980},
        "people": people,
        "ties": [{"between": ["p1", "p2"], "kind": "close"}],
        "events": [
            {"date": "2025-03-03", "kind": "death", "person": "p0", "mourning": "ongoing"},
            {"date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "kind": "new_job"},
        ],
        "measures": [
            {
                "date": "2026-01-15",
                "instrument": "phq9",
                "items": [rng.randint(0, 3) for _ in range(9)],
            }
        ],
    }


def per_case(
    runs: dict[str, tuple[Callable[[Any], object], list[Any]]], repeat: int
) -> dict[str, float]:
    """The best of ``repeat`` passes of each run over its documents, in microseconds per document.

    The passes take turns and count the CPU time of this process, so that other work on a shared
    machine weighs on neither."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, (run, docs) in runs.items():
            start = time.process_time()
            for doc in docs:
                run(doc)
            best[name] = min(best[name], (time.process_time() - start) / len(docs) * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = [document(rng, i) for i in range(args.cases)]
    texts = [json.dumps(doc) for doc in docs]
    for doc in docs[:10]:  # the two agree on what they accept
        load_case(doc)
        CaseModel.model_validate(doc)

    best = per_case(
        {
            "ours": (load_case, docs),
            "theirs": (CaseModel.model_validate, docs),
            "parse": (json.loads, texts),
        },
        args.repeat,
    )
    ours, theirs, parse = best["ours"], best["theirs"], best["parse"]
    print(f"{args.cases} fictional cases (8 people, a dispute, 2 events, a tie, a PHQ-9)")
    print(f"load_case (dict)               : {ours:7.1f} us/case")
    print(f"pydantic v2 model (dict)       : {theirs:7.1f} us/case")
    print(f"json.loads (text)              : {parse:7.1f} us/case")
    print(f"ratio load_case / pydantic     : {ours / theirs:7.2f}x")


if __name__ == "__main__":
    main()
