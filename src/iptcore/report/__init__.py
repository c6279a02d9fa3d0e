"""The case report: one self-contained HTML page a clinician can print and a learner can read.

:func:`case_report` puts on one page what iptcore knows of a case: the closeness circle and the
timeline (:mod:`iptcore.draw`), the classification with every candidate's evidence, rationale and
source, the cautions, the formulation, the plan's sessions (and, for a course, what became of each)
and the symptom trajectory over the instruments' severity bands. It needs the optional extra
``report`` (Jinja2): ``pip install "iptcore[report]"``.

The page stands alone: the pictures are inline SVG, the styles are in the page, there is no script
and nothing is loaded from elsewhere, so it can be mailed, archived or printed (print styles keep
sections and tables whole on paper). It is accessible markup: one ``h1`` and a heading per section,
every picture ``role="img"`` with a title and a description said in words, every table with a
caption and header cells with their ``scope`` (WCAG 2.1 [WCAG21]).

Case text is untrusted input (a name, a note or a description can hold anything): the template
engine escapes every value (Jinja2 autoescaping), so markup in a case shows as text. The pictures
are the one part inserted as markup; they are iptcore's own SVG, whose functions escape every text
they take from the case.

>>> from iptcore.vignettes import vignette
>>> page = case_report(vignette("demo"))   # fictional
>>> page.startswith("<!DOCTYPE html>"), page.count("<section")
(True, 7)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from iptcore import _checks
from iptcore.case import Case
from iptcore.course import Course
from iptcore.errors import IptError
from iptcore.findings import Classification
from iptcore.formulation import Formulation, formulate
from iptcore.measures import score
from iptcore.plan import CoursePlan
from iptcore.rules import DEFAULT_RULES, RuleSet, classify
from iptcore.techniques import TECHNIQUES

__all__ = ["CautionLike", "case_report"]

_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")
_SECTIONS = (
    ("inventory", "Interpersonal inventory"),
    ("timeline", "Timeline"),
    ("classification", "Problem areas"),
    ("cautions", "Cautions"),
    ("formulation", "Formulation"),
    ("sessions", "Sessions"),
    ("trajectory", "Symptom trajectory"),
)


class CautionLike(Protocol):
    """What the report reads of a caution: a screening result's ``code``, ``message`` and ``source``."""

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def source(self) -> str: ...


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError as missing:
        raise ImportError(
            "iptcore.report needs the 'report' extra: pip install \"iptcore[report]\""
        ) from missing
    return jinja2.Environment(
        loader=jinja2.PackageLoader("iptcore.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _inline(svg: str) -> Any:
    """iptcore's own SVG, as markup to insert: the XML declaration dropped (it is not HTML)."""
    from markupsafe import Markup

    # The one value not escaped: iptcore's own SVG, whose functions escape every text of the case.
    return Markup(_DECLARATION.sub("", svg))


def _words(value: object) -> str:
    return str(value).replace("_", " ")


def _person(case: Case, person_id: str | None) -> str:
    if person_id is None:
        return ""
    for p in case.people:
        if p.id == person_id:
            return f"{p.name} ({p.id})" if p.name else p.id
    return person_id


def _inventory(case: Case) -> list[dict[str, Any]]:
    deaths = {e.person: e.date for e in case.events if e.kind.value == "death" and e.person}
    rows = []
    for p in sorted(case.people, key=lambda p: (p.closeness, p.id)):
        notes = [f"died {deaths[p.id]}"] if p.id in deaths else []
        if p.confidant:
            notes.append("confidant")
        if p.dispute is not None:
            stage = f", {p.dispute.stage.value}" if p.dispute.stage else ""
            ended = f" to {p.dispute.ended}" if p.dispute.ended else ""
            notes.append(f"dispute since {p.dispute.since}{ended}{stage}")
        rows.append(
            {
                "who": _person(case, p.id),
                "role": _words(p.role.value),
                "ring": p.closeness,
                "contact": _words(p.contact.value) if p.contact else "",
                "notes": notes,
                "satisfying": p.satisfying,
                "unsatisfying": p.unsatisfying,
                "wants_changed": p.wants_changed,
            }
        )
    return rows


def _classification(case: Case, classification: Classification) -> dict[str, Any]:
    label = classification.rules.labels
    return {
        "rules": classification.rules.name,
        "window": classification.rules.window_months,
        "focus": [label[a] for a in classification.focus],
        "candidates": [
            {
                "rank": n,
                "area": label[f.area],
                "anchor": f.anchor.isoformat(),
                "person": _person(case, f.person),
                "stage": f"{f.stage.value} ({f.stage_basis})" if f.stage else "",
                "evidence": f.evidence.summary,
                "rationale": f.rationale,
                "rule": f.rule,
                "source": f.source,
                "prompt": f.prompt or "",
                "modifiers": ", ".join(_words(m) for m in f.modifiers),
            }
            for n, f in enumerate(classification.candidates, 1)
        ],
        "quiet": [
            {"rule": c.rule, "looked_for": c.looked_for, "source": c.source}
            for c in classification.checked
            if not c.found
        ],
    }


def _cautions(case: Case, classification: Classification, screening: object) -> dict[str, Any]:
    """The screening's cautions (``screen(case)``'s unless given); the warnings and item flags
    iptcore raises always."""
    from iptcore.measures import instrument_spec
    from iptcore.screening import Screening, screen

    if screening is None:
        screening = screen(case)
    if isinstance(screening, Screening):
        screening = screening.cautions
    screened = None
    if screening is not None:
        if isinstance(screening, str | bytes) or not isinstance(screening, Iterable):
            raise IptError(f"screening: must be an iterable of cautions, got {screening!r}")
        screened = []
        for i, c in enumerate(screening):
            try:
                screened.append({"code": c.code, "message": c.message, "source": c.source})
            except AttributeError:
                raise IptError(
                    f"screening[{i}]: must have code, message and source, got {c!r}"
                ) from None
    flags = []
    for m in case.measures:
        spec = instrument_spec(m.instrument)
        raised = score(m.instrument, m.items).flags
        flags += [
            {
                "what": f"{spec.title}, {m.date.isoformat()}",
                "message": f.message,
                "source": f.source,
            }
            for f in spec.flags
            if f.name in raised or f.not_assessed in raised
        ]
    return {"screened": screened, "warnings": classification.warnings, "flags": flags}


def _formulation(formulation: Formulation) -> dict[str, Any]:
    return {
        "paragraphs": [
            {
                "text": " ".join(line for line in part.splitlines() if not line.startswith("- ")),
                "items": [line[2:] for line in part.splitlines() if line.startswith("- ")],
            }
            for part in formulation.statement.split("\n\n")
        ],
        "goals": [
            {"text": g.text, "status": _words(g.status.value), "source": g.source, "id": g.id}
            for g in formulation.goals
        ],
        "severity": formulation.severity,
        "notes": formulation.notes,
        "sessions": formulation.sessions,
        "end": formulation.end,
    }


def _sessions(plan: CoursePlan | None, course: Course | None) -> dict[str, Any] | None:
    if course is not None:
        plan = course.plan
    if plan is None:
        return None
    status: dict[int, str] = {}
    if course is not None:
        contract = len(course.contracts) - 1
        for r in course.records:
            if r.contract == contract:
                word = f"{r.status.value} {r.date}" + (f" ({r.reason})" if r.reason else "")
                before = status.get(r.number)
                status[r.number] = f"{before}; {word}" if before else word
        if course.state.value in ("closed", "dropped"):
            for s in plan.sessions:
                status.setdefault(s.number, f"not held: course {course.state.value}")
    rows = []
    for s in plan.sessions:
        found = [TECHNIQUES.get(t) for t in s.techniques]
        rows.append(
            {
                "number": s.number,
                "date": s.date.isoformat(),
                "phase": s.phase.value,
                "agenda": s.agenda,
                "techniques": [
                    t.name if t else tid for t, tid in zip(found, s.techniques, strict=True)
                ],
                "status": status.get(s.number, "planned" if course is not None else ""),
            }
        )
    return {
        "title": plan.protocol.title,
        "focus": [str(f) for f in plan.focus],
        "rows": rows,
        "course": course is not None,
        "state": course.state.value if course is not None else "",
    }


def _trajectories(case: Case, course: Course | None, case_id: str) -> list[dict[str, Any]]:
    from iptcore.draw.trajectory import trajectory_svg
    from iptcore.measures import instrument_spec
    from iptcore.trajectory import track_measures

    measures = list(case.measures)
    if course is not None:
        measures += [m for r in course.records for m in r.measures if m not in measures]
    measures.sort(key=lambda m: m.date)
    out = []
    for n, t in enumerate(track_measures(measures)):
        spec = instrument_spec(t.instrument)
        out.append(
            {
                "title": spec.title,
                "svg": _inline(trajectory_svg(t, element_id=f"iptcore-trajectory-{case_id}-{n}")),
                "describe": t.describe().splitlines()[-1],
                "points": [
                    {
                        "date": p.date.isoformat(),
                        "total": p.total,
                        "band": _words(p.band),
                        "change": "" if p is t.baseline else f"{p.change:+d}",
                        "response": "yes" if p.response else "no",
                        "remission": "yes" if p.remission else "no",
                    }
                    for p in t.points
                ],
            }
        )
    return out


def _refuse_with_copy(**given: object) -> None:
    for name, value in given.items():
        if value is not None:
            raise IptError(
                f"{name}: with deidentify=True the report derives everything from the "
                "deidentified copy; to show a plan, course or screening, make them from "
                "case.deidentify(seed=...) and pass that copy with deidentify=False"
            )


def case_report(
    case: Case,
    *,
    classification: Classification | None = None,
    formulation: Formulation | None = None,
    plan: CoursePlan | None = None,
    course: Course | None = None,
    screening: Iterable[CautionLike] | None = None,
    deidentify: bool = False,
    seed: int | str | bytes | None = None,
    rules: RuleSet | None = None,
) -> str:
    """The case report, as the text of one self-contained HTML page.

    Args:
        case: the case.
        classification: its classification; by default ``classify(case, rules)``.
        formulation: its formulation; by default ``formulate(case, classification)``.
        plan: the course plan whose sessions to list; none by default.
        course: the course as it happens, instead of ``plan``: its current plan, what became of
            each session, and the measures taken in sessions.
        screening: the suitability and safety cautions: a :class:`~iptcore.Screening` or any
            values with ``code``, ``message`` and ``source``; by default
            :func:`iptcore.screen` of the case shown. The
            classification's warnings and the instruments' item flags (such as PHQ-9 item 9
            [KROENKE2001]) are shown either way.
        deidentify: render the deidentified copy (:meth:`iptcore.Case.deidentify`) instead of the
            case: names and free text gone, ids pseudonymous, dates shifted.
        seed: the deidentification key, required with ``deidentify=True``.
        rules: the rule set for the default classification (:data:`iptcore.DEFAULT_RULES`).

    Raises:
        ImportError: when the ``report`` extra (Jinja2) is not installed.
        IptError: for a bad argument, naming it; with ``deidentify=True``, for anything derived
            from the original case (it would show what the copy hides).
    """
    env = _jinja()
    from iptcore.draw import closeness_svg, timeline_svg

    _checks.argument("case", case, Case)
    if not isinstance(deidentify, bool):
        raise IptError(f"deidentify: must be True or False, got {deidentify!r}")
    rules = DEFAULT_RULES if rules is None else rules
    _checks.argument("rules", rules, RuleSet)
    if deidentify:
        if seed is None:
            raise IptError("seed: deidentify=True needs the deidentification key, seed=")
        _refuse_with_copy(
            classification=classification,
            formulation=formulation,
            plan=plan,
            course=course,
            screening=screening,
        )
        case = case.deidentify(seed=seed)  # type: ignore[arg-type]  # it takes str and bytes too
    elif seed is not None:
        raise IptError("seed: is the deidentification key; give it with deidentify=True")
    for name, value, kind in (
        ("classification", classification, Classification),
        ("formulation", formulation, Formulation),
        ("plan", plan, CoursePlan),
        ("course", course, Course),
    ):
        if value is not None and not isinstance(value, kind):
            raise IptError(
                f"{name}: must be an iptcore.{kind.__name__}, got {type(value).__name__}"
            )
    if plan is not None and course is not None:
        raise IptError("plan: give a plan or a course (which has its plan), not both")
    if course is not None and course.case != case:
        raise IptError("course: is the course of another case")
    if classification is None:
        classification = classify(case, rules)
    elif classification.case_id != case.id:
        raise IptError(f"classification: is of case {classification.case_id!r}, not {case.id!r}")
    if formulation is None:
        formulation = formulate(case, classification)
    elif formulation.case_id != case.id:
        raise IptError(f"formulation: is of case {formulation.case_id!r}, not {case.id!r}")
    page = env.get_template("case.html.j2").render(
        case=case,
        deidentified=deidentify,
        patient=_patient(case),
        sections=_SECTIONS,
        closeness=_inline(closeness_svg(case)),
        timeline=_inline(timeline_svg(case, classification)),
        people=_inventory(case),
        events=[
            {
                "date": e.date.isoformat(),
                "kind": _words(e.kind.value),
                "person": _person(case, e.person),
                "description": e.description or "",
            }
            for e in sorted(case.events, key=lambda e: e.date)
        ],
        classification=_classification(case, classification),
        cautions=_cautions(case, classification, screening),
        formulation=_formulation(formulation),
        sessions=_sessions(plan, course),
        trajectories=_trajectories(case, course, case.id),
    )
    text: str = page
    return text


def _patient(case: Case) -> Sequence[tuple[str, str]]:
    rows = [
        ("Case", case.id),
        ("Onset", case.onset.isoformat()),
        ("Assessed", case.assessed.isoformat()),
    ]
    p = case.patient
    if p is not None:
        rows += [
            (k, str(v))
            for k, v in (("Name", p.name), ("Born", p.born), ("Pronouns", p.pronouns))
            if v
        ]
    if case.priority is not None:
        rows.append(("Priority", _words(case.priority.value)))
    return rows
