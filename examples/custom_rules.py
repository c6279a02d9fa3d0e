"""Custom rules: a service's variant of the classification rules, and a rule of its own.

The default rules are those of the case format, each with its source. A rule
set is a value: a service copies it with other settings (``evolve``), adds a rule (``extend``) or
uses a shipped variant (WHO group IPT's names, Stuart & Robertson's three areas), and passes it to
``classify``. This script runs five rule sets over the fictional vignettes and one more fictional
case, and prints which focus each finds.

Run it:  python examples/custom_rules.py
With --pictures DIR it also writes the extra case's timeline with the six-month window shaded.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from iptcore import (
    DEFAULT_RULES,
    STUART_RULES,
    Case,
    Event,
    Finding,
    Person,
    Rule,
    RuleSet,
    classify,
)
from iptcore.draw import timeline_svg
from iptcore.findings import Evidence
from iptcore.rules import WHO_RULES
from iptcore.vignettes import vignette


def caregiving(case: Case, rules: RuleSet) -> Iterator[Finding | str]:
    """A service's own rule (fictional): caring daily for a parent counts as a role transition."""
    for person in case.people:
        if person.role == "parent" and person.contact == "daily":
            yield Finding(
                area="role_transition",
                anchor=case.onset,
                person=person.id,
                rule="local.caregiving",
                source="[local]",
                rationale=f"Rule local.caregiving [local]: {person.id} is a parent in daily contact.",
                evidence=Evidence(
                    kind="inventory",
                    date=case.onset,
                    days_from_onset=0,
                    summary=f"daily contact with {person.id}, a parent",
                ),
            )
        elif person.role == "parent":
            yield f"{person.id}: a parent, not in daily contact"


SIX_MONTHS = DEFAULT_RULES.evolve(window_months=6, name="six-month window")
CAREGIVING = Rule(
    id="local.caregiving",
    area="role_transition",
    source="[local]",
    quote="a service's own rule (fictional)",
    looks_for="a parent in daily contact",
    find=caregiving,
)

RULE_SETS: dict[str, RuleSet] = {
    "default": DEFAULT_RULES,
    "6-month window": SIX_MONTHS,
    "6 months + caregiving": SIX_MONTHS.extend(CAREGIVING, name="local"),
    "one area only": DEFAULT_RULES.evolve(max_focus=1, name="one area"),
    "WHO names": WHO_RULES,
    "Stuart (3 areas)": STUART_RULES,
}

# One more fictional case: a move eight months before onset, and a father cared for every day.
LEA = Case(
    id="fictional-lea",
    assessed=date(2026, 4, 20),
    onset=date(2026, 1, 10),
    people=(
        Person(id="dad", role="parent", closeness=1, contact="daily"),
        Person(id="kim", role="friend", closeness=3, contact="rarely"),
    ),
    events=(Event(date=date(2025, 5, 12), kind="relocation", description="moved back home"),),
)


def focus_words(case: Case, rules: RuleSet) -> str:
    result = classify(case, rules)
    if not result.focus:
        return "(none)"
    return " + ".join(rules.labels[area] for area in result.focus)


def main(pictures: Path | None = None) -> None:
    print("Every case below is fictional.\n")
    print("The six-month variant, as its rule table reads:")
    print(" ", SIX_MONTHS.words("transition.life_change"))

    cases = [vignette(name) for name in ("widow", "dispute", "transition", "deficits", "perinatal")]
    cases.append(LEA)
    print("\nThe focus under the default rules, and every variant that finds another:")
    for case in cases:
        default = focus_words(case, DEFAULT_RULES)
        others = {name: focus_words(case, rules) for name, rules in RULE_SETS.items()}
        differ = [f"{name}: {words}" for name, words in others.items() if words != default]
        print(f"  {case.id:<20} {default}")
        for line in differ or ["(the same under every variant)"]:
            print(f"  {'':<20}   {line}")
    print("\nWhy the six-month window finds no life change for fictional-lea:")
    for check in classify(LEA, SIX_MONTHS).checked:
        for note in check.notes:
            print(f"  {check.rule}: {note}")
    print("What the service's own rule finds:")
    print(" ", classify(LEA, RULE_SETS["6 months + caregiving"]).candidates[0].rationale)
    print("And what Stuart's variant adds to each finding:")
    for finding in classify(LEA, STUART_RULES).candidates:
        print(f"  {finding.area.value}: modifiers {', '.join(finding.modifiers) or 'none'}")

    if pictures is not None:
        svg = timeline_svg(LEA, classify(LEA, SIX_MONTHS))
        (pictures / "custom-rules-timeline.svg").write_text(svg, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pictures", type=Path, help="also write the picture (SVG) into this folder"
    )
    main(parser.parse_args().pictures)
