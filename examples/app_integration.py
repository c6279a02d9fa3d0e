"""App integration: validate a submitted case, show its problems by field, fix it, classify, export.

What a clinical app does around iptcore, end to end, with a fictional case:

1. the front end checks the form against the JSON Schema (``case_schema()``), if it likes;
2. the server reads the submitted JSON with ``load_case``: a ``CaseError`` lists *every* problem
   with its JSON path, which the app turns into messages beside its form fields;
3. the corrected case is classified, formulated and planned;
4. the app stores the case file itself (iptcore does no input or output): here a temporary folder;
5. it exports JSON for its API, and a deidentified copy for research.

Run it:  python examples/app_integration.py
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from iptcore import (
    CaseError,
    case_schema,
    classify,
    dump_case,
    dump_plan,
    formulate,
    load_case,
    plan_course,
)
from iptcore.deidentify import new_key

# What the form posted: JSON text with five mistakes (the case is fictional).
SUBMITTED = """
{
  "format": "iptcore.case/1",
  "id": "fictional-ravi",
  "assessed": "2026-01-19",
  "onset": "2026-10-15",
  "patient": {"name": "Ravi (fictional)", "born": 1978},
  "people": [
    {"id": "priya", "role": "wife", "closeness": 1, "contact": "daily", "confidant": true},
    {"id": "anil", "role": "sibling", "closeness": "2", "contact": "weekly",
     "dispute": {"since": "2025-09-01", "stage": "renegociation"}}
  ],
  "measures": [
    {"date": "2025-09-31", "instrument": "phq9", "items": [2, 2, 1, 2, 1, 1, 1, 1, 0]}
  ]
}
"""

# The form's own labels for the fields it shows; iptcore's paths are the keys.
LABELS = {
    "onset": "Onset of this episode",
    "role": "Relationship",
    "closeness": "Closeness (ring 1-4)",
    "stage": "Stage of the dispute",
    "date": "Date",
}


def form_messages(error: CaseError) -> dict[str, list[str]]:
    """The problems of a CaseError by JSON path: what an app shows beside each form field.

    A path like ``people[1].dispute.stage`` names the field; the last key picks the label.
    The path ``""`` is the document as a whole (a message at the top of the form).
    """
    messages: dict[str, list[str]] = defaultdict(list)
    for problem in error.problems:
        messages[problem.path].append(problem.message)
    return dict(messages)


def path_parts(path: str) -> list[str | int]:
    """``people[1].dispute.stage`` -> ``["people", 1, "dispute", "stage"]``, for nested forms."""
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", path)]


def fix(document: dict[str, Any]) -> dict[str, Any]:
    """What the user corrects after reading the messages."""
    document["onset"] = "2025-10-15"
    document["people"][0]["role"] = "spouse"
    document["people"][1]["closeness"] = 2
    document["people"][1]["dispute"]["stage"] = "renegotiation"
    document["measures"][0]["date"] = "2026-01-19"
    return document


def main(pictures: Path | None = None) -> None:
    document = json.loads(SUBMITTED)

    print("== 1. The front end: the JSON Schema")
    schema = case_schema()
    print(f"{schema['title']}: required {', '.join(schema['required'])}")
    try:
        import jsonschema  # optional: only to show what a front end in any language can check
    except ImportError:
        print("(install jsonschema to check the form in the same way a front end would)")
    else:
        found = sorted(
            e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(document)
        )
        print(f"the schema alone finds {len(found)} problem(s); load_case finds them all:")

    print("\n== 2. The server: every problem, by field")
    try:
        load_case(SUBMITTED)
    except CaseError as error:
        for path, messages in form_messages(error).items():
            parts = path_parts(path)
            label = LABELS.get(str(parts[-1]), str(parts[-1])) if parts else "The case"
            for message in messages:
                print(f"{path:<24} [{label}] {message}")
    else:
        raise SystemExit("the submitted case should have been refused")

    print("\n== 3. Fixed, then classified, formulated and planned")
    case = load_case(fix(document))
    classification = classify(case)
    formulation = formulate(case, classification)
    plan = plan_course("ipt", start=date(2026, 1, 26), sessions=12, focus=classification)
    print("focus:", ", ".join(area.value for area in classification.focus))
    print(formulation.goals[0].text)
    print(f"{plan.count} sessions, {plan.start} to {plan.end}")

    print("\n== 4. The app stores the case file (iptcore itself reads and writes no files)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{case.id}.json"
        # UTF-8, no \u escapes: the file takes the bytes load_case's max_bytes counts.
        text = json.dumps(dump_case(case), ensure_ascii=False, separators=(",", ":"))
        path.write_text(text, encoding="utf-8")
        again = load_case(path)  # a path, JSON text or a dict
        print(f"stored {path.name} ({path.stat().st_size} bytes); read back equal: {again == case}")

    print("\n== 5. Export: JSON for the app's API, and a deidentified copy for research")
    export = {
        "case": dump_case(case),
        "classification": classification.to_dict(),
        "formulation": formulation.to_dict(),
        "plan": dump_plan(plan),
    }
    text = json.dumps(export, ensure_ascii=False)
    print(f"export: {len(text)} characters of JSON with keys {', '.join(export)}")
    key = new_key()  # keep the key apart from the data (a secrets store): it can undo the shift
    research = case.deidentify(seed=key)
    print(
        f"deidentified: id {research.id[:5]}..., names {research.patient.name}, "
        f"people {[p.id[:7] + '...' for p in research.people]}"
    )
    print(
        "same focus after deidentification:",
        classify(research).focus == classification.focus,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=Path, help="unused: this example draws no pictures")
    main(parser.parse_args().pictures)
