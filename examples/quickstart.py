"""Quick start: from a case file to a classified case and a planned course, in one page.

The case is fictional: Maya, 34, moved 300 km for a new job as team lead in October 2025 and has
argued with her partner Jon since September. Her depression began in December.

Run it:  python examples/quickstart.py
With --pictures DIR it also writes the closeness circle and the timeline as SVG files there
(the documentation is built that way).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from iptcore import classify, formulate, load_case, plan_course
from iptcore.draw import closeness_svg, timeline_svg

# A case file (iptcore.case/1) as an app would store it. Every name and date is fictional.
CASE = {
    "format": "iptcore.case/1",
    "id": "fictional-maya",
    "assessed": "2026-03-02",
    "onset": "2025-12-01",
    "patient": {"name": "Maya (fictional)", "born": 1991, "pronouns": "she/her"},
    "people": [
        {
            "id": "jon",
            "role": "partner",
            "closeness": 1,
            "name": "Jon",
            "contact": "daily",
            "knows_about_depression": True,
            "dispute": {"since": "2025-09-20"},
        },
        {
            "id": "rosa",
            "role": "parent",
            "closeness": 2,
            "name": "Rosa",
            "contact": "weekly",
            "confidant": True,
        },
        {
            "id": "lena",
            "role": "friend",
            "closeness": 2,
            "name": "Lena",
            "contact": "rarely",
            "confidant": True,
        },
        {"id": "tom", "role": "boss", "closeness": 3, "name": "Tom", "contact": "daily"},
    ],
    "events": [
        {"date": "2025-09-27", "kind": "relocation", "description": "moved 300 km for the job"},
        {"date": "2025-10-06", "kind": "new_job", "description": "team lead in a new city"},
    ],
    "measures": [
        {"date": "2026-03-02", "instrument": "phq9", "items": [2, 2, 2, 3, 1, 2, 1, 1, 0]},
    ],
}


def main(pictures: Path | None = None) -> None:
    """Load, look, classify, formulate and plan; print each step."""
    case = load_case(CASE)  # a dict, JSON text, or a path to a file

    print("== The interpersonal inventory")
    print(case.inventory.describe())

    print("\n== The problem areas")
    classification = classify(case)
    print("focus:", ", ".join(area.value for area in classification.focus))
    for rank, finding in enumerate(classification.candidates, start=1):
        print(f"{rank}. {finding.rationale}")

    print("\n== The formulation, in the words a therapist would use with the patient")
    print(formulate(case, classification))

    print("\n== The course")
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classification)
    print(f"{plan.count} weekly sessions, {plan.start} to {plan.end}")
    for session in plan.sessions:
        print(f"  {session.number:>2}  {session.date}  {session.phase.value}")
    print("Session 4 techniques:", ", ".join(plan.session(4).techniques))

    if pictures is not None:
        (pictures / "quickstart-closeness.svg").write_text(
            closeness_svg(case.inventory), encoding="utf-8"
        )
        (pictures / "quickstart-timeline.svg").write_text(
            timeline_svg(case, classification), encoding="utf-8"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pictures", type=Path, help="also write the pictures (SVG) into this folder"
    )
    main(parser.parse_args().pictures)
