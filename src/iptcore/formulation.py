"""The interpersonal formulation: what the therapist offers the patient to close the initial phase.

Its shape [MARKOWITZ-SWARTZ2007]: you have depression, a treatable illness and not your fault (the
sick role [FOCUS]); it began when <event> (the link is association, not cause: "it does not matter
whether social difficulties precipitated the depressive episode or result from it" [FOCUS]); we call
that <problem area>; let us meet <n> times, <weekly>, until <end> (the time frame is fixed at the
outset [COMP; ISIPT]); does this fit how you see it? The formulation is an offer: the patient
accepts it, or revises it with the therapist, before the middle phase begins [MARKOWITZ-SWARTZ2007],
which :meth:`iptcore.Course.accept_formulation` records. The goals come from the manual's table
(:mod:`iptcore.goals`), specialised by the findings of the focus.

:func:`formulate` builds it from a case and its :class:`~iptcore.Classification`, with the length
and end date of the plan (or the protocol) it is given; ``str()`` of the :class:`Formulation` is the
statement a therapist reads aloud, in the second person and plain words: the patient hears "social
isolation" where the manual says "interpersonal deficits", a term the Guide itself calls confusing
[GUIDE; WHO].

>>> from datetime import date
>>> from iptcore import Case, Event, Person, classify, formulate
>>> case = Case(id="fictional-3", assessed=date(2026, 2, 10), onset=date(2025, 11, 3),   # fictional
...             people=(Person(id="w", role="spouse", closeness=1, name="Walter"),),
...             events=(Event(date=date(2025, 8, 10), kind="death", person="w"),))
>>> formulation = formulate(case, classify(case))
>>> print(formulation.onset_link)
Your depression began in November 2025, about three months after Walter died in August 2025.
>>> print(formulation.statement.splitlines()[-1])
Does this fit how you see it? We can change it together before we go on.
>>> [goal.id for goal in formulation.goals]
['grief.mourn.w', 'grief.reconnect.w']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from iptcore import _checks
from iptcore.case import Case, EventKind, Measure
from iptcore.errors import IptError
from iptcore.findings import Classification, Finding
from iptcore.goals import Goal, GoalStatus, goals_for, happened, who
from iptcore.screening import screen
from iptcore.terms import ProblemArea

if TYPE_CHECKING:
    from iptcore.plan import CoursePlan
    from iptcore.protocols import Protocol

__all__ = ["AREA_MEANINGS", "PATIENT_WORDS", "Formulation", "formulate"]

#: What each area means, in words for the patient (the four areas of the Guide, in plain words).
AREA_MEANINGS: Mapping[ProblemArea, str] = MappingProxyType(
    {
        ProblemArea.GRIEF: "the pain of losing someone close to you",
        ProblemArea.ROLE_DISPUTE: "a disagreement with someone who matters to you, where you each "
        "expect different things",
        ProblemArea.ROLE_TRANSITION: "the struggle to adjust to a change in your life",
        ProblemArea.INTERPERSONAL_DEFICITS: "feeling alone for a long time, with few people close "
        "to you to lean on",
    }
)

#: The names the patient hears where the manual's name is jargon: "interpersonal deficits" is a
#: term the Guide calls "somewhat confusing" [GUIDE]; WHO group IPT says "loneliness / social
#: isolation" [WHO]. The therapist-facing reports keep the rule set's labels.
PATIENT_WORDS: Mapping[str, str] = MappingProxyType({"interpersonal deficits": "social isolation"})

#: The question that ends the statement: the formulation is offered for the patient's agreement
#: [MARKOWITZ-SWARTZ2007].
QUESTION = "Does this fit how you see it? We can change it together before we go on."

#: Diagnosis and sick role: depression "is a treatable illness, not the patient's fault; the role
#: carries the duty to work at recovery" (Parsons) [FOCUS].
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
        event = finding.evidence.event
        if event is not None and event.kind is EventKind.PREGNANCY_LOSS:
            return "you lost the pregnancy"
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
    return f"There is a second thing: {what}. We call that “{_spoken(label)}”: {meaning}."


def _spoken(label: str) -> str:
    """The name the patient hears for an area (:data:`PATIENT_WORDS`)."""
    return PATIENT_WORDS.get(label, label)


def _severity(case: Case) -> tuple[str, ...]:
    """The latest score of each instrument ("plus a severity scale" [FOCUS]); the risk items are
    the screening cautions' (:func:`iptcore.screen`)."""
    from iptcore.measures import score

    latest: dict[str, Measure] = {}
    for m in sorted(case.measures, key=lambda m: (m.date, repr(m.items))):
        latest[m.instrument.value] = m
    lines = []
    for name in sorted(latest):
        m = latest[name]
        try:
            result = score(m.instrument, m.items)
        except IptError as exc:
            lines.append(f"{m.date}: {name} not scored ({exc})")
            continue
        lines.append(f"{m.date}: {result.describe()}")
    return tuple(lines)


@attrs.frozen(kw_only=True)
class Formulation:
    """The interpersonal formulation of a case: ``str()`` is the statement read to the patient.

    ``findings`` holds the best finding of each focus area (primary first) and ``labels`` their
    names (the rule set's, for the therapist); ``onset_link`` and ``areas`` are the sentences that
    link the depression to them, in the patient's words; ``sessions``, ``cadence`` and ``end`` the
    time frame offered (from the plan or the protocol); ``goals`` the goals of the focus areas.
    Not read aloud: ``severity`` (the latest scores), ``warnings`` (the screening cautions,
    :func:`iptcore.screen`) and ``notes`` (the classification's other warnings and prompts).
    """

    case_id: str
    focus: tuple[ProblemArea, ...]
    labels: tuple[str, ...]
    findings: tuple[Finding, ...]
    diagnosis: str = DIAGNOSIS
    sick_role: str = SICK_ROLE
    onset_link: str
    areas: tuple[str, ...]
    sessions: int
    cadence: str = "weekly"
    end: date | None = None
    goals: tuple[Goal, ...]
    severity: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        # The checks a hand-built formulation needs; formulate() always passes them.
        if not (
            isinstance(self.sessions, int)
            and not isinstance(self.sessions, bool)
            and self.sessions > 0
        ):
            raise IptError(f"sessions: must be a whole number of sessions, got {self.sessions!r}")
        if self.cadence not in _CADENCE_WORDS:
            raise IptError(f"cadence: must be weekly or monthly, got {self.cadence!r}")
        if self.end is not None and not isinstance(self.end, date):
            raise IptError(f"end: must be a datetime.date or None, got {self.end!r}")
        if not all(isinstance(g, Goal) for g in self.goals) or not isinstance(self.goals, tuple):
            raise IptError(f"goals: must be a tuple of Goal, got {self.goals!r}")
        if len(self.labels) != len(self.focus):
            raise IptError("labels: must name each area of the focus")

    @property
    def time_frame(self) -> str:
        """The time frame offered, in words: ``"12 sessions, once a week, until 25 May 2026"``."""
        text = f"{self.sessions} session{'s' if self.sessions != 1 else ''}, "
        text += _CADENCE_WORDS[self.cadence]
        return text + (f", until {_day(self.end)}" if self.end is not None else "")

    @property
    def statement(self) -> str:
        """The plain-language statement, in the order of the manual [MARKOWITZ-SWARTZ2007], ending
        with the question that offers it for the patient's agreement."""
        parts = [f"{self.diagnosis} {self.sick_role}", " ".join((self.onset_link, *self.areas))]
        if self.focus:
            this = "these two things" if len(self.focus) == 2 else "this"
            plan = f"I suggest we meet for {self.time_frame}, working on {this}."
        else:
            plan = f"I suggest we meet for {self.time_frame}."
        if self.goals:
            plan += " Together we will aim to:\n" + "\n".join(f"- {g.text}" for g in self.goals)
        return "\n\n".join((*parts, plan, QUESTION))

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
            "case_id": self.case_id,
            "focus": [a.value for a in self.focus],
            "labels": list(self.labels),
            "statement": self.statement,
            "diagnosis": self.diagnosis,
            "sick_role": self.sick_role,
            "onset_link": self.onset_link,
            "areas": list(self.areas),
            "sessions": self.sessions,
            "cadence": self.cadence,
            "end": self.end.isoformat() if self.end is not None else None,
            "goals": [g.to_dict() for g in self.goals],
            "severity": list(self.severity),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def describe(self) -> str:
        """The statement, then for the therapist: goals with status and source, scores, notes."""
        lines = [f"Formulation of case {self.case_id} ({self.time_frame})", "", self.statement]
        if self.goals:
            lines += ["", "Goals (status, id, the manual's words, source):"]
            lines += [f"  [{g.status}] {g.id}: {g.manual} {g.source}" for g in self.goals]
        if self.severity:
            lines += ["", "Severity: " + "; ".join(self.severity)]
        if self.warnings:
            lines += ["", "Cautions (screening):"] + [f"  ! {w}" for w in self.warnings]
        if self.notes:
            lines += ["", "To check:"] + [f"  ! {n}" for n in self.notes]
        return "\n".join(lines)


_CADENCE_WORDS: Mapping[str, str] = MappingProxyType(
    {"weekly": "once a week", "monthly": "once a month"}
)


def _day(day: date) -> str:
    """``"25 May 2026"``: in English whatever the locale (no strftime)."""
    return f"{day.day} {_month(day)}"


def _time_frame(plan: object, protocol: object) -> tuple[int, str, date | None]:
    """(sessions, cadence, end) from the plan, else the protocol (a name or a Protocol), else the
    standard protocol: "12-16 weekly individual sessions", fixed at the outset [COMP; ISIPT]."""
    from iptcore.plan import CoursePlan
    from iptcore.protocols import PROTOCOLS, Protocol, resolve

    if plan is not None:
        plan = _checks.argument("plan", plan, CoursePlan)
        if protocol is not None:
            raise IptError("formulate: give a plan or a protocol, not both (the plan has one)")
        return plan.count, plan.protocol.cadence.value, plan.end
    if protocol is None:
        chosen = PROTOCOLS["ipt"]
    elif isinstance(protocol, str | Protocol):
        chosen = resolve(protocol)
    else:
        raise IptError(
            f"formulate: protocol must be a protocol name or a Protocol, got {protocol!r}"
        )
    return int(chosen.default_sessions), chosen.cadence.value, None


def formulate(
    case: Case,
    classification: Classification,
    *,
    plan: CoursePlan | None = None,
    protocol: Protocol | str | None = None,
) -> Formulation:
    """The interpersonal formulation of ``case`` from its classification: an offer to the patient.

    Args:
        case: the case that was classified.
        classification: ``classify(case)`` (or with another rule set, whose labels it uses in the
            therapist's reports; the patient hears plain words, :data:`PATIENT_WORDS`).
        plan: the planned course (:func:`~iptcore.plan_course`): the statement offers its number
            of sessions, its cadence and its end date.
        protocol: without a plan, a protocol (a name of :data:`~iptcore.PROTOCOLS` or a
            :class:`~iptcore.Protocol`) whose default length is offered; the standard protocol's
            when neither is given.

    Returns:
        The :class:`Formulation`; its goals all have status ``proposed``; its ``warnings`` the
        screening cautions of the case (:func:`iptcore.screen`).

    Raises:
        IptError: when the arguments are not a Case and its Classification, the classification is
            of another case, or the plan or protocol is not one.
    """
    _checks.argument("case", case, Case)
    _checks.argument("classification", classification, Classification)
    if (classification.case_id, classification.onset) != (case.id, case.onset):
        raise IptError(
            f"formulate: the classification is of case {classification.case_id!r} (onset "
            f"{classification.onset}), not of {case.id!r} (onset {case.onset})"
        )
    sessions, cadence, end = _time_frame(plan, protocol)
    findings = tuple(f for f in map(classification.finding, classification.focus) if f)
    labels = tuple(classification.label(a) for a in classification.focus)
    areas = []
    if findings:
        meaning = AREA_MEANINGS[findings[0].area]
        areas.append(f"In this treatment we call this “{_spoken(labels[0])}”: {meaning}.")
        areas += [
            _second(case, f, label) for f, label in zip(findings[1:], labels[1:], strict=True)
        ]
    else:
        areas.append(
            "We have not yet found one problem in your relationships or your life to focus on, "
            "so we will keep looking together at the people who matter to you and at what has "
            "changed."
        )
    cautions = screen(case).warnings
    notes = [w for w in classification.warnings if w not in cautions]
    notes += [f"{f.rule}: {f.prompt}" for f in findings if f.prompt]
    return Formulation(
        case_id=case.id,
        focus=classification.focus,
        labels=labels,
        findings=findings,
        onset_link=_onset_link(case, findings[0] if findings else None),
        areas=tuple(areas),
        sessions=sessions,
        cadence=cadence,
        end=end,
        goals=tuple(g for f in findings for g in goals_for(case, f)),
        severity=_severity(case),
        warnings=cautions,
        notes=tuple(notes),
    )
