"""The four problem areas of IPT, each worked from the inventory to the formulation to the plan.

Each vignette is fictional (``iptcore.vignettes``); three follow the shape of published teaching
cases, with invented details. For each one this prints the interpersonal inventory, the problem
area the rules find and why (with the manual's source), the formulation a therapist would put to
the patient, and the first sessions of the middle phase with the techniques they emphasise.

Run it:  python examples/teaching_vignettes.py [NAME ...]
With --pictures DIR it also writes each vignette's closeness circle and timeline as SVG files.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from iptcore import TECHNIQUES, classify, formulate, plan_course
from iptcore.draw import closeness_svg, timeline_svg
from iptcore.vignettes import vignette

#: One vignette per problem area, then one where two areas meet.
AREAS = {
    "widow": "grief",
    "dispute": "role dispute",
    "transition": "role transition",
    "deficits": "interpersonal deficits",
    "perinatal": "two areas: a role transition and a role dispute at impasse",
}


def work(name: str, pictures: Path | None) -> None:
    case = vignette(name)
    print(
        f"\n{'=' * 100}\n{name}: {AREAS[name]}  ({case.patient.name}, case {case.id})\n{'=' * 100}"
    )

    print("\n-- Inventory")
    print(case.inventory.describe())

    print("\n-- Problem area")
    classification = classify(case)
    print("focus:", " then ".join(area.value for area in classification.focus))
    for finding in classification.candidates[:2]:
        print(" ", finding.rationale)
        if finding.prompt:
            print("  to do:", finding.prompt)

    print("\n-- Formulation (what the therapist proposes to the patient)")
    print(formulate(case, classification))

    print("\n-- Plan")
    plan = plan_course("ipt", start=case.assessed + timedelta(days=7), focus=classification)
    print(f"{plan.protocol.title}: {plan.count} sessions, {plan.start} to {plan.end}")
    middle = [s for s in plan.sessions if s.phase.value == "middle"]
    print(f"middle phase: sessions {middle[0].number}-{middle[-1].number}; emphasised techniques:")
    for technique_id in middle[0].techniques:
        technique = TECHNIQUES[technique_id]
        print(f"  - {technique.name} {technique.source}")

    if pictures is not None:
        (pictures / f"vignette-{name}-closeness.svg").write_text(
            closeness_svg(case.inventory), encoding="utf-8"
        )
        (pictures / f"vignette-{name}-timeline.svg").write_text(
            timeline_svg(case, classification), encoding="utf-8"
        )


def main(names: list[str], pictures: Path | None = None) -> None:
    print("Every person, name and date below is fictional.")
    for name in names or list(AREAS):
        work(name, pictures)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"of {', '.join(AREAS)} (default: all)"
    )
    parser.add_argument(
        "--pictures", type=Path, help="also write the pictures (SVG) into this folder"
    )
    args = parser.parse_args()
    unknown = sorted(set(args.names) - set(AREAS))
    if unknown:
        parser.error(f"no vignette {', '.join(unknown)}; choose from {', '.join(AREAS)}")
    main(args.names, args.pictures)
