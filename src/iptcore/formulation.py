"""The interpersonal formulation: what the therapist says to close the initial phase of IPT.

Its shape (IPT_REFERENCE.md section 2, task 6; Markowitz & Swartz 2007): you have depression, a
treatable illness and not your fault (the sick role [FOCUS; IPTUK]); it began when <event> (the link
is association, not cause: "it does not matter whether social difficulties precipitated the
depressive episode or result from it" [FOCUS]); we call that <problem area>; let us spend the next
<n> weeks on it ("12-16 weekly individual sessions", fixed at the outset [COMP; ISIPT]). The goals
come from the manual's table (:mod:`iptcore.goals`), specialised by the findings of the focus.

:func:`formulate` builds it from a case and its :class:`~iptcore.rules.Classification`; ``str()`` of
the :class:`Formulation` is the statement a therapist reads aloud, in the second person and plain
words (no jargon beyond the area's name).

>>> from datetime import date
>>> from iptcore import Case, Event, Person, classify, formulate
>>> case = Case(id="fictional-3", assessed=date(2026, 2, 10), onset=date(2025, 11, 3),   # fictional
...             people=(Person(id="w", role="spouse", closeness=1, name="Walter"),),
...             events=(Event(date=date(2025, 8, 10), kind="death", person="w"),))
>>> formulation = formulate(case, classify(case))
>>> print(formulation.onset_link)
Your depression began in November 2025, about three months after Walter died in August 2025.
>>> [goal.id for goal in formulation.goals]
['grief.mourn.w', 'grief.reconnect.w']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

from iptcore.case import Case, Measure
from iptcore.errors import IptError
from iptcore.findings import Classification, Finding
from iptcore.goals import Goal, GoalStatus, goals_for, happened, who
from iptcore.terms import ProblemArea

__all__ = ["AREA_MEANINGS", "Formulation", "formulate"]

#: What each area means, in words for the patient (IPT_REFERENCE.md section 4, in plain words).
AREA_MEANINGS: Mapping[ProblemArea, str] = MappingProxyType(
    {
        ProblemArea.GRIEF: "the pain of losing someone close to you",
        ProblemArea.ROLE_DISPUTE: "a disagreement with someone who matters to you, where you each "
        "expect different things",
        ProblemArea.ROLE_TRANSITION: "the struggle to adjust to a change in your life",
        ProblemArea.INTERPERSONAL_DEFICITS: "having too few people close to you to lean on",
    }
)

#: Diagnosis and sick role: depression "is a treatable illness, not the patient's fault; the role
#: carries the duty to work at recovery" (Parsons) [FOCUS; IPTUK].
DIAGNOSIS = "You have depression."
SICK_ROLE = (
    "Depression is a common illness, and it can be treated. It is not your fault, and it is not a "
    "weakness. While you recover, it is all right to expect a little less of yourself; your part is "
    "to keep coming and to work with me on getting better."
)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")  # fmt: skip
_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve")  # fmt: skip


def _month(day: date) -> str:
    """``"March 2026"``: in English whatever the locale (no strftime)."""
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _count(n: int, unit: str) -> str:
    word = _NUMBERS[n - 1] if 1 <= n <= 12 else str(n)
    return f"{'a' if n == 1 else word} {unit}{'' if n == 1 else 's'}"


def _span(days: int) -> str:
    """A length of time in plain words: ``"a few weeks"``, ``"about three months"``."""
    if days < 10:
        return "a few days"
    if days < 45:
        return "a few weeks"
    months = round(days / 30.44)
    if months < 24:
        return f"about {_count(months, 'month')}"
    return f"about {_count(round(days / 365.25), 'year')}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _what(case: Case, finding: Finding) -> str:
    """The finding's event as a past-tense clause (``"Walter died"``), for grief and transitions."""
    if finding.area is ProblemArea.GRIEF:
        return f"{who(case, finding.person)} died"
    if finding.area is ProblemArea.ROLE_TRANSITION:
        return happened(case, finding)
    return finding.evidence.summary


def _onset_link(case: Case, finding: Finding | None) -> str:
    """ "Your depression began when ...": the primary finding's event linked to onset [FOCUS]."""
    began = f"Your depression began in {_month(case.onset)}"
    if finding is None:
        return f"{began}."
    area, anchor = finding.area, finding.anchor
    before = (case.onset - anchor).days  # > 0: the anchor came first
    if area is ProblemArea.INTERPERSONAL_DEFICITS:
        return f"{began}, at a time when few people were close to you and in touch often."
    if area is ProblemArea.ROLE_DISPUTE:
        dispute = f"you and {who(case, finding.person)}"
        if before >= 0:
            return (
                f"{began}, at a time when {dispute} had been disagreeing about what you expect of "
                f"each other since {_month(anchor)}."
            )
        return (
            f"{began}. Since {_month(anchor)}, {dispute} have been disagreeing about what you "
            "expect of each other, and that makes it harder to get better."
        )
    what = _what(case, finding)
    if area is ProblemArea.GRIEF and before > 366:
        return f"{began}. {_capital(what)} in {_month(anchor)}, and the grief may not yet have had its time."
    if before >= 7:
        return f"{began}, {_span(before)} after {what} in {_month(anchor)}."
    if before > -7:
        return f"{began}, around the time {what}."
    return (
        f"{began}. Since then, {what} in {_month(anchor)}, and that makes it harder to get better."
    )


def _second(case: Case, finding: Finding, label: str) -> str:
    """The second area of the focus, in one or two sentences."""
    if finding.area is ProblemArea.ROLE_DISPUTE:
        what = (
            f"you and {who(case, finding.person)} have disagreed about what you expect of each "
            f"other since {_month(finding.anchor)}"
        )
    else:
        what = f"{_what(case, finding)} in {_month(finding.anchor)}"
    meaning = AREA_MEANINGS[finding.area]
    return f"There is a second thing: {what}. We call that “{label}”: {meaning}."


def _severity(case: Case) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The latest score of each instrument ("plus a severity scale" [FOCUS]), and notes on risk:
    "any answer above 0 [on PHQ-9 item 9] needs a risk assessment" (Kroenke et al. 2001; Simon et
    al. 2013)."""
    from iptcore.measures import score

    latest: dict[str, Measure] = {}
    for m in sorted(case.measures, key=lambda m: (m.date, repr(m.items))):
        latest[m.instrument.value] = m
    lines, notes = [], []
    for name in sorted(latest):
        m = latest[name]
        try:
            result = score(m.instrument, m.items)
        except IptError as exc:
            lines.append(f"{m.date}: {name} not scored ({exc})")
            continue
        lines.append(f"{m.date}: {result.describe()}")
        if "suicide_risk" in result.flags:
            notes.append(f"{name} on {m.date} flags suicide risk: assess risk before anything else")
    return tuple(lines), tuple(notes)


@attrs.frozen(kw_only=True)
class Formulation:
    """The interpersonal formulation of a case: ``str()`` is the statement read to the patient.

    ``findings`` holds the best finding of each focus area (primary first) and ``labels`` their
    names; ``onset_link`` and ``areas`` are the sentences that link the depression to them;
    ``goals`` the goals of the focus areas; ``severity`` the latest scores and ``notes`` what the
    therapist should check (the classification's warnings and prompts). Neither is read aloud.
    """

    case_id: str
    focus: tuple[ProblemArea, ...]
    labels: tuple[str, ...]
    findings: tuple[Finding, ...]
    diagnosis: str = DIAGNOSIS
    sick_role: str = SICK_ROLE
    onset_link: str
    areas: tuple[str, ...]
    weeks: int
    goals: tuple[Goal, ...]
    severity: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        # The checks a hand-built formulation needs; formulate() always passes them.
        if not (
            isinstance(self.weeks, int) and not isinstance(self.weeks, bool) and self.weeks > 0
        ):
            raise IptError(f"Formulation.weeks must be a whole number of weeks, got {self.weeks!r}")
        if not all(isinstance(g, Goal) for g in self.goals) or not isinstance(self.goals, tuple):
            raise IptError(f"Formulation.goals must be a tuple of Goal, got {self.goals!r}")
        if len(self.labels) != len(self.focus):
            raise IptError("Formulation.labels must name each area of the focus")

    @property
    def statement(self) -> str:
        """The plain-language statement, in the order the manual gives (IPT_REFERENCE.md s. 2)."""
        parts = [f"{self.diagnosis} {self.sick_role}", " ".join((self.onset_link, *self.areas))]
        if self.focus:
            this = "these two things" if len(self.focus) == 2 else "this"
            plan = f"I suggest we spend the next {self.weeks} weeks working on {this}, meeting once a week."
        else:
            plan = f"I suggest we meet once a week for the next {self.weeks} weeks."
        if self.goals:
            plan += " Together we will aim to:\n" + "\n".join(f"- {g.text}" for g in self.goals)
        return "\n\n".join((*parts, plan))

    def __str__(self) -> str:
        return self.statement

    def goal(self, goal_id: str) -> Goal:
        """The goal with id ``goal_id``; :class:`IptError` naming the ids if there is none."""
        for g in self.goals:
            if g.id == goal_id:
                return g
        raise IptError(f"no goal {goal_id!r}; the goals are {', '.join(g.id for g in self.goals)}")

    def with_goal_status(self, goal_id: str, status: GoalStatus | str) -> Formulation:
        """A copy with the status of goal ``goal_id`` changed (a FHIR Goal code)."""
        changed = self.goal(goal_id).with_status(status)
        goals = tuple(changed if g.id == goal_id else g for g in self.goals)
        return attrs.evolve(self, goals=goals)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the statement, its parts, the goals with their status."""
        return {
            "case": self.case_id,
            "focus": [a.value for a in self.focus],
            "labels": list(self.labels),
            "statement": self.statement,
            "diagnosis": self.diagnosis,
            "sick_role": self.sick_role,
            "onset_link": self.onset_link,
            "areas": list(self.areas),
            "weeks": self.weeks,
            "goals": [g.to_dict() for g in self.goals],
            "severity": list(self.severity),
            "notes": list(self.notes),
        }

    def describe(self) -> str:
        """The statement, then for the therapist: goals with status and source, scores, notes."""
        lines = [f"Formulation of case {self.case_id} ({self.weeks} weeks)", "", self.statement]
        if self.goals:
            lines += ["", "Goals (status, id, the manual's words, source):"]
            lines += [f"  [{g.status}] {g.id}: {g.manual} {g.source}" for g in self.goals]
        if self.severity:
            lines += ["", "Severity: " + "; ".join(self.severity)]
        if self.notes:
            lines += ["", "To check:"] + [f"  ! {n}" for n in self.notes]
        return "\n".join(lines)


def _weeks(weeks: int | None) -> int:
    if weeks is None:
        from iptcore.protocols import PROTOCOLS

        # "IPT (standard): 12-16 weekly (default 16)" [COMP; ISIPT]
        return int(PROTOCOLS["ipt"].default_sessions)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 520:
        raise IptError(f"formulate: weeks must be a whole number of weeks, 1-520, got {weeks!r}")
    return weeks


def formulate(
    case: Case, classification: Classification, *, weeks: int | None = None
) -> Formulation:
    """The interpersonal formulation of ``case`` from its classification.

    Args:
        case: the case that was classified.
        classification: ``classify(case)`` (or with another rule set, whose labels it uses).
        weeks: the proposed length of treatment; ``None`` for the standard protocol's 16 weeks.

    Returns:
        The :class:`Formulation`; its goals all have status ``proposed``.

    Raises:
        IptError: when the arguments are not a Case and its Classification, the classification is
            of another case, or ``weeks`` is not a whole number from 1 to 520.
    """
    if not isinstance(case, Case):
        raise IptError(f"formulate: case must be a Case, got {type(case).__name__}")
    if not isinstance(classification, Classification):
        raise IptError(
            f"formulate: classification must be a Classification, got "
            f"{type(classification).__name__}"
        )
    if (classification.case_id, classification.onset) != (case.id, case.onset):
        raise IptError(
            f"formulate: the classification is of case {classification.case_id!r} (onset "
            f"{classification.onset}), not of {case.id!r} (onset {case.onset})"
        )
    n_weeks = _weeks(weeks)
    findings = tuple(f for f in map(classification.finding, classification.focus) if f)
    labels = tuple(classification.label(a) for a in classification.focus)
    areas = []
    if findings:
        meaning = AREA_MEANINGS[findings[0].area]
        areas.append(f"In this treatment we call this “{labels[0]}”: {meaning}.")
        areas += [
            _second(case, f, label) for f, label in zip(findings[1:], labels[1:], strict=True)
        ]
    else:
        areas.append(
            "We have not yet found one problem in your relationships or your life to focus on, "
            "so we will keep looking together at the people who matter to you and at what has "
            "changed."
        )
    severity, risk = _severity(case)
    notes = [*risk, *classification.warnings]
    notes += [f"{f.rule}: {f.prompt}" for f in findings if f.prompt]
    return Formulation(
        case_id=case.id,
        focus=classification.focus,
        labels=labels,
        findings=findings,
        onset_link=_onset_link(case, findings[0] if findings else None),
        areas=tuple(areas),
        weeks=n_weeks,
        goals=tuple(g for f in findings for g in goals_for(case, f)),
        severity=severity,
        notes=tuple(notes),
    )
