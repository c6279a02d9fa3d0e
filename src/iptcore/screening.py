"""Suitability and safety: :func:`screen` turns what was assessed into cautions for the clinician.

IPT is a treatment for unipolar depression, and "every IPT manual evaluates suicidality at intake"
[GUIDE]. What the case records (``patient.screening``, and the risk items of the measures) becomes a
tuple of :class:`Caution` s, each with a code, a message saying what a clinician would do, and its
published source:

- ``bipolar``: IPT alone is not the indicated treatment; interpersonal and social rhythm therapy
  (IPSRT) with medication is the adaptation for bipolar disorder [FRANK2005];
- ``psychotic_features``: psychotic depression calls for medication; IPT alone is not indicated
  [GUIDE];
- ``substance_dependence`` and ``cognitive_impairment``: active dependence and marked cognitive
  impairment call for other or adapted treatment [GUIDE];
- ``suicide_risk``: a clinician's assessment of ``moderate`` or ``high`` risk (safety first: urgent
  clinical review) [GUIDE], or a risk item of a measure endorsed (PHQ-9 item 9 above 0
  [KROENKE2001; SIMON2013]; HAM-D item 3 above 0 [HAMILTON1960]);
- ``suicide_risk_not_assessed``: no ``screening.suicide_risk`` and no answered PHQ-9 item 9 or HAM-D
  item 3 [GUIDE].

A key of ``patient.screening`` that is absent means *not assessed*; only suicide risk is raised
when it is not assessed, since it is the one every session 1 assesses. The library tells; it
decides nothing: :func:`~iptcore.classify`, :func:`~iptcore.formulate`,
:func:`~iptcore.plan_course` (given the case) and a course's progress carry the same cautions as
warnings, and go on.

>>> from datetime import date
>>> from iptcore import Case, Patient, PatientScreening, screen
>>> answers = PatientScreening(bipolar=True, suicide_risk="low")
>>> case = Case(id="fictional-s", assessed=date(2026, 3, 2), onset=date(2025, 12, 1),
...             patient=Patient(screening=answers))
>>> [c.code for c in screen(case).cautions]
['bipolar']
>>> print(screen(case).cautions[0].source)
[FRANK2005]
"""

from __future__ import annotations

from typing import Any

import attrs

from iptcore import _checks
from iptcore.case import Case, PatientScreening, SuicideRisk
from iptcore.measures import INSTRUMENTS

__all__ = ["Caution", "Screening", "caution_lines", "screen"]


@attrs.frozen(kw_only=True)
class Caution:
    """One thing a clinician should act on before or while giving IPT: ``code`` (a stable word),
    ``message`` (what was found and what a clinician would do) and ``source`` (the short keys of
    the bibliography)."""

    code: str
    message: str
    source: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message} {self.source}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"code": self.code, "message": self.message, "source": self.source}


@attrs.frozen(kw_only=True)
class Screening:
    """The result of :func:`screen`: the case's id and its :class:`Caution` s, most urgent first
    (suicide risk, then suitability in the order the case format lists it)."""

    case_id: str
    cautions: tuple[Caution, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the cautions, in order."""
        return tuple(c.code for c in self.cautions)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Each caution as one line, as classify, formulate, plan_course and a course carry it."""
        return tuple(str(c) for c in self.cautions)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"case_id": self.case_id, "cautions": [c.to_dict() for c in self.cautions]}


# The suitability answers: (field, which is also the code; message; source), in the order of the
# case format.
_SUITABILITY: tuple[tuple[str, str, str], ...] = (
    (
        "bipolar",
        (
            "bipolar disorder is recorded: IPT is a treatment for unipolar depression; the indicated "
            "adaptation is interpersonal and social rhythm therapy (IPSRT) with medication"
        ),
        "[FRANK2005]",
    ),
    (
        "psychotic_features",
        (
            "psychotic features are recorded: psychotic depression calls for medication; IPT alone is "
            "not the indicated treatment"
        ),
        "[GUIDE]",
    ),
    (
        "substance_dependence",
        (
            "active substance dependence is recorded: it calls for its own treatment first, or an "
            "adapted one"
        ),
        "[GUIDE]",
    ),
    (
        "cognitive_impairment",
        "marked cognitive impairment is recorded: it calls for other or adapted treatment",
        "[GUIDE]",
    ),
)
_URGENT = frozenset({SuicideRisk.MODERATE, SuicideRisk.HIGH})
_NOT_ASSESSED = Caution(
    code="suicide_risk_not_assessed",
    message="suicide risk is not assessed (no screening.suicide_risk, no answered PHQ-9 item 9 or "
    "HAM-D item 3): assess it in session 1, as every IPT manual does at intake",
    source="[GUIDE]",
)


_NOTHING_ASKED = PatientScreening()
_ONLY_NOT_ASSESSED = (_NOT_ASSESSED,)
_NOT_ASSESSED_LINES = (str(_NOT_ASSESSED),)


def _measure_risk(case: Case) -> tuple[list[Caution], bool]:
    """The measures' own risk flags (an item above its threshold) and whether any risk item was
    answered at all."""
    cautions: list[Caution] = []
    answered = False
    for m in sorted(case.measures, key=lambda m: (m.date, m.instrument.value)):
        for flag in INSTRUMENTS[m.instrument].flags:
            if flag.name != "suicide_risk":
                continue
            answer = m.items[flag.item - 1]
            if answer is None:
                continue
            answered = True
            if answer > flag.above:
                cautions.append(
                    Caution(
                        code="suicide_risk",
                        message=f"{m.instrument.value} on {m.date}: {flag.message}; safety first",
                        source=flag.source,
                    )
                )
    return cautions, answered


def caution_lines(case: Case) -> tuple[str, ...]:
    """``screen(case).warnings``, as :func:`~iptcore.classify` carries them; the common answer
    (nothing assessed, no measures) is built once."""
    patient = case.patient
    if (patient is None or patient.screening is None) and not case.measures:
        return _NOT_ASSESSED_LINES
    return screen(case).warnings


def screen(case: Case) -> Screening:
    """The suitability and safety cautions of ``case`` (see the module's introduction).

    Raises:
        IptError: when ``case`` is not a :class:`~iptcore.Case`.
    """
    _checks.argument("case", case, Case)
    answers = case.patient.screening if case.patient is not None else None
    if answers is None:
        if not case.measures:  # nothing assessed at all: the one answer, built once
            return Screening(case_id=case.id, cautions=_ONLY_NOT_ASSESSED)
        answers = _NOTHING_ASKED
    cautions: list[Caution] = []
    risk = answers.suicide_risk
    if risk in _URGENT:
        cautions.append(
            Caution(
                code="suicide_risk",
                message=f"suicide risk assessed as {risk}: safety first, an urgent clinical "
                "review before anything else",
                source="[GUIDE]",
            )
        )
    from_measures, answered = _measure_risk(case)
    cautions += from_measures
    if risk is None and not answered:
        cautions.append(_NOT_ASSESSED)
    cautions += [
        Caution(code=field, message=message, source=source)
        for field, message, source in _SUITABILITY
        if getattr(answers, field) is True
    ]
    return Screening(case_id=case.id, cautions=tuple(cautions))
