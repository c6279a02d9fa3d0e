"""Adherence of a recorded course to IPT: what each phase expects, what was done and when, and drift.

A course records what happened in each held session (:meth:`iptcore.Course.hold`: the protocol's
tasks done, the catalogue techniques used, techniques of other models by name). :func:`adherence`
compares that with what the protocol expects, phase by phase:

- **once-tasks** of a phase, due by its end: in the initial phase the assessment of suicide risk
  [GUIDE; KROENKE2001], the diagnosis, the sick role, the medication question, the interpersonal
  inventory, the timeline, the formulation offered (the ``formulation`` task) and accepted by the
  patient before the middle phase (:meth:`iptcore.Course.accept_formulation`), and the contract
  [FOCUS; COMP; MARKOWITZ-SWARTZ2007]; in the termination phase the ending and its feelings, the
  consolidation of gains (the graduation) and the relapse plan [COMP]. Done later than its phase, a
  task earns :attr:`FidelitySpec.late_credit`.
- **every-session tasks**: the middle phase links mood to interpersonal events in each session
  [COMP]; IPT-A and group IPT review work-at-home tasks [COMP; CASEBOOK]; maintenance watches for
  prodromes [FRANK1990]. The credit is the share of the phase's sessions that did it.
- **the focus area's strategies** in the middle (and maintenance) phase: the share of sessions that
  used at least one of the techniques the catalogue emphasises for the focus
  (:class:`~iptcore.techniques.Emphasis`, [GUIDE ch. 10]).
- **the end raised** at least two sessions before it [COMP] (:data:`~iptcore.protocols.RAISE_END`),
  counted in the termination phase.

Techniques of other models recorded in a session (``other_techniques``) are **drift**: each phase's
value is lowered by :attr:`FidelitySpec.drift_penalty` times the share of its sessions with drift.
Each is named with its model and source (:data:`OTHER_MODEL_TECHNIQUES`: cognitive restructuring
[BECK1979], transference interpretation [HOGLEND2008], ...). Catalogue techniques are reported as
fitting the focus or another problem area.

The value of a phase is the weighted share of its expectations met, times the drift factor; the
overall value is the mean of the phases' values weighted by the sessions held in each (every session
counts the same) unless :attr:`FidelitySpec.phase_weights` says otherwise. Rating the adherence of IPT
sessions against a list of the manual's interventions follows the Collaborative Study Psychotherapy
Rating Scale of the NIMH Treatment of Depression Collaborative Research Program [HOLLON1988;
HILL1992]; the weights, the credit for late tasks and the drift penalty are iptcore's choices, not
published values, and are data (:class:`FidelitySpec`) a service changes with :func:`attrs.evolve`.

What is scored is what was *recorded*: a supervisor's check of recordings with a rating scale
(:mod:`iptcore.ratings`) is the standard; this report is a checklist beside it. Adherence says how
closely the manual was followed, not how good the therapy was: across psychotherapies, adherence and
outcome were barely related (mean r = .02, not significantly different from zero, with significant
heterogeneity) [WEBB2010].

>>> from datetime import date
>>> from iptcore import Course, plan_course
>>> from iptcore.vignettes import vignette
>>> plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
>>> course = Course.begin(vignette("demo"), plan).hold(                 # fictional
...     tasks=["suicide_risk", "diagnosis", "sick_role", "inventory", "timeline", "formulation",
...            "contract"]
... ).accept_formulation()
>>> report = adherence(course)
>>> report.phase("initial").value, [i.id for i in report.phase("initial").missing]
(0.875, ['medication'])
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import attrs

from iptcore import _checks
from iptcore.errors import IptError
from iptcore.protocols import AREA_STRATEGIES, MIN_TERMINATION_NOTICE, RAISE_END, Protocol
from iptcore.techniques import TECHNIQUES, Catalogue, Family
from iptcore.terms import Phase, ProblemArea

if TYPE_CHECKING:
    from iptcore.course import Course

__all__ = [
    "DEFAULT_SPEC",
    "FOCUS_STRATEGIES",
    "OTHER_MODEL_TECHNIQUES",
    "Fidelity",
    "FidelitySpec",
    "ItemCheck",
    "OtherTechnique",
    "PhaseFidelity",
    "TechniqueUse",
    "adherence",
]

#: The id of the per-session item "the focus area's strategies" (middle and maintenance phases).
FOCUS_STRATEGIES: Final = "focus_strategies"

_ORDER: Final = (
    Phase.ENGAGEMENT,
    Phase.INITIAL,
    Phase.MIDDLE,
    Phase.TERMINATION,
    Phase.MAINTENANCE,
)
_WORK: Final = frozenset({Phase.MIDDLE, Phase.MAINTENANCE})


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class OtherTechnique:
    """A technique of another model of therapy, as a session may record it by name."""

    name: str
    model: str
    source: str
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_strings)

    def matches(self, name: str) -> bool:
        """Whether ``name`` (any case, compared by ``str.casefold``, so that "MASSE" is "Maße";
        spaces, hyphens or underscores alike) is this technique."""
        wanted = _normal(name)
        return wanted == _normal(self.name) or wanted in {_normal(a) for a in self.aliases}


#: Techniques of other models that IPT does not use, each with its model and source. A name that is
#: not here is still drift (the session recorded it as another model's); the report says it is not
#: in this table.
OTHER_MODEL_TECHNIQUES: Final = (
    OtherTechnique(
        name="cognitive restructuring",
        model="cognitive therapy (CBT)",
        source="Beck et al. 1979 [BECK1979]",
        aliases=("challenging automatic thoughts", "cognitive disputation"),
    ),
    OtherTechnique(
        name="thought record",
        model="cognitive therapy (CBT)",
        source="Beck et al. 1979 [BECK1979]",
        aliases=("thought records", "daily record of dysfunctional thoughts"),
    ),
    OtherTechnique(
        name="activity scheduling",
        model="cognitive therapy (CBT)",
        source="Beck et al. 1979 [BECK1979]",
        aliases=("activity schedule",),
    ),
    OtherTechnique(
        name="behavioural activation",
        model="behavioural activation (CBT)",
        source="Jacobson et al. 1996 [JACOBSON1996]",
        aliases=("behavioral activation",),
    ),
    OtherTechnique(
        name="transference interpretation",
        model="psychodynamic psychotherapy",
        source="Høglend et al. 2008 [HOGLEND2008]; IPT stays with current relationships [COMP]",
        aliases=("interpretation of the transference", "transference interpretations"),
    ),
)


def _sessions(n: int) -> str:
    return "1 session" if n == 1 else f"{n} sessions"


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().casefold())


def _pairs(value: object, name: str) -> tuple[tuple[Any, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    if isinstance(items, str) or not isinstance(items, Iterable):
        raise IptError(f"{name}: must be a mapping of id to weight, got {value!r}")
    out = []
    for pair in items:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise IptError(f"{name}: must be a mapping of id to weight, got {value!r}")
        key, weight = pair
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise IptError(f"{name}[{key!r}]: must be a number, got {weight!r}")
        if not math.isfinite(weight) or weight < 0:
            raise IptError(f"{name}[{key!r}]: must be a finite number of 0 or more, got {weight!r}")
        out.append((key, float(weight)))
    return tuple(sorted(out, key=lambda p: str(p[0])))


def _weights(value: object) -> tuple[tuple[str, float], ...]:
    return tuple((str(k), w) for k, w in _pairs(value, "weights"))


def _phase_pairs(value: object) -> tuple[tuple[Phase, float], ...] | None:
    if value is None:
        return None
    pairs = _pairs(value, "phase_weights")
    out = []
    for key, weight in pairs:
        if key not in Phase._value2member_map_:
            raise IptError(f"phase_weights: {key!r} is not a phase ({', '.join(Phase)})")
        out.append((Phase(key), weight))
    return tuple(out)


def _share(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise IptError(f"{attribute.name}: must be a number from 0 to 1, got {value!r}")


def _notice(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise IptError(f"{attribute.name}: must be a whole number of 1 or more, got {value!r}")


def _words_set(value: object) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise IptError(f"optional_tasks: must be a set of task ids, got {value!r}")
    return frozenset(value)


def _others(value: object) -> tuple[OtherTechnique, ...]:
    out = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else None
    if out is None or not all(isinstance(o, OtherTechnique) for o in out):
        raise IptError(f"other_models: must be OtherTechnique values, got {value!r}")
    return out


@attrs.frozen(kw_only=True)
class FidelitySpec:
    """What a course is expected to hold, and how :func:`adherence` scores it.

    A service changes it with :func:`attrs.evolve`, e.g.
    ``attrs.evolve(DEFAULT_SPEC, weights={"sick_role": 2, "formulation": 2})``.

    Its fields:

    - ``optional_tasks``: task ids never expected: ``next_treatment`` ("if symptoms persist"
      [COMP]) and ``school`` ("where needed" [MUFSON2004]) are conditional.
    - ``weights``: item id -> weight within its phase (1 when not given). The items are the task
      ids, :data:`FOCUS_STRATEGIES` and ``raise_end``. Equal weights are iptcore's choice: no
      published weighting of the IPT tasks was found.
    - ``phase_weights``: phase -> weight in the overall value; ``None`` (default) weighs each phase
      by its sessions held, so that every session counts the same (iptcore's choice).
    - ``late_credit``: the credit of a once-task done after its phase (0.5, iptcore's choice).
    - ``drift_penalty``: how much a phase's value falls when every one of its sessions used another
      model's technique (0.5: half; iptcore's choice).
    - ``notice``: how many sessions before the last the end must be raised: "at least two to four
      sessions before it occurs" [COMP], so 2 by default.
    - ``other_models``: the named techniques of other models (:data:`OTHER_MODEL_TECHNIQUES`).
    """

    optional_tasks: frozenset[str] = attrs.field(
        default=frozenset({"next_treatment", "school"}), converter=_words_set
    )
    weights: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_weights)
    phase_weights: tuple[tuple[Phase, float], ...] | None = attrs.field(
        default=None, converter=_phase_pairs
    )
    late_credit: float = attrs.field(default=0.5, validator=_share)
    drift_penalty: float = attrs.field(default=0.5, validator=_share)
    notice: int = attrs.field(default=MIN_TERMINATION_NOTICE, validator=_notice)
    other_models: tuple[OtherTechnique, ...] = attrs.field(
        default=OTHER_MODEL_TECHNIQUES, converter=_others
    )

    def weight(self, item: str) -> float:
        """The weight of ``item`` in its phase."""
        return dict(self.weights).get(item, 1.0)

    def other(self, name: str) -> OtherTechnique | None:
        """The other model's technique ``name`` is, or ``None``."""
        return next((o for o in self.other_models if o.matches(name)), None)


#: The default expectations and weights.
DEFAULT_SPEC: Final = FidelitySpec()


# --------------------------------------------------------------------------------------------
# The report's values
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ItemCheck:
    """One expectation of a phase and what the course shows of it.

    ``credit`` is 1 when met, 0 when missing, in between when late or done in some of the
    sessions, ``None`` while it is not yet due (the phase is still under way). ``done_in`` holds
    the (session number, date) of each session that recorded it.
    """

    id: str
    phase: Phase
    text: str
    source: str
    expected: str
    weight: float
    credit: float | None
    done_in: tuple[tuple[int, date], ...]
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "id": self.id,
            "phase": self.phase.value,
            "text": self.text,
            "source": self.source,
            "expected": self.expected,
            "weight": self.weight,
            "credit": self.credit,
            "done_in": [{"session": n, "date": d.isoformat()} for n, d in self.done_in],
            "evidence": self.evidence,
        }


@attrs.frozen(kw_only=True)
class TechniqueUse:
    """A technique used in the course: whether it fits the focus, another area or another model."""

    name: str
    id: str | None
    fit: str  # "focus", "other_area" or "other_model"
    model: str
    source: str
    sessions: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "name": self.name,
            "id": self.id,
            "fit": self.fit,
            "model": self.model,
            "source": self.source,
            "sessions": list(self.sessions),
        }


@attrs.frozen(kw_only=True)
class PhaseFidelity:
    """The adherence of one phase: its value (0-1, ``None`` when nothing is scored yet), the
    expectations checked, the sessions held and those with drift."""

    phase: Phase
    value: float | None
    sessions: tuple[int, ...]
    items: tuple[ItemCheck, ...]
    drift_sessions: tuple[int, ...]
    complete: bool

    @property
    def missing(self) -> tuple[ItemCheck, ...]:
        """The expectations not met at all."""
        return tuple(i for i in self.items if i.credit == 0)

    @property
    def partial(self) -> tuple[ItemCheck, ...]:
        """The expectations met late or in some sessions only."""
        return tuple(i for i in self.items if i.credit is not None and 0 < i.credit < 1)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "phase": self.phase.value,
            "value": self.value,
            "sessions": list(self.sessions),
            "complete": self.complete,
            "drift_sessions": list(self.drift_sessions),
            "items": [i.to_dict() for i in self.items],
        }


@attrs.frozen(kw_only=True)
class Fidelity:
    """The adherence report of a course: a value per phase and overall, with the evidence."""

    case: str
    protocol: str
    focus: tuple[str, ...]
    phases: tuple[PhaseFidelity, ...]
    overall: float | None
    techniques: tuple[TechniqueUse, ...]
    homework_sessions: tuple[int, ...]
    homework_expected: bool
    spec: FidelitySpec = attrs.field(eq=False, repr=False)

    def phase(self, phase: Phase | str) -> PhaseFidelity:
        """The report of ``phase`` (a :class:`~iptcore.Phase` or its word)."""
        for each in self.phases:
            if each.phase == phase:
                return each
        known = ", ".join(p.phase.value for p in self.phases)
        raise IptError(f"phase: the course has no {phase!r} phase (it has: {known})")

    @property
    def drift(self) -> tuple[TechniqueUse, ...]:
        """The techniques of other models used."""
        return tuple(t for t in self.techniques if t.fit == "other_model")

    def summary(self) -> str:
        """The report in plain words, for a supervisor."""
        overall = "not yet scored" if self.overall is None else f"{self.overall:.2f}"
        focus = ", ".join(self.focus) or "none agreed"
        lines = [
            f"Adherence of case {self.case} to {self.protocol}, focus {focus}: {overall} overall."
        ]
        for p in self.phases:
            value = "not scored yet" if p.value is None else f"{p.value:.2f}"
            span = _span(p.sessions)
            lines.append(f"{p.phase.value.capitalize()} phase ({span}): {value}.")
            done = [i for i in p.items if i.credit == 1]
            if done:
                lines.append("  Done: " + "; ".join(i.evidence for i in done) + ".")
            if p.partial:
                lines.append("  In part: " + "; ".join(i.evidence for i in p.partial) + ".")
            if p.missing:
                lines.append("  Missing: " + "; ".join(i.evidence for i in p.missing) + ".")
            pending = [i for i in p.items if i.credit is None]
            if pending:
                lines.append("  Not yet due: " + ", ".join(i.id for i in pending) + ".")
            if p.drift_sessions:
                lines.append(
                    f"  Drift: another model's technique in {len(p.drift_sessions)} of "
                    f"{len(p.sessions)} sessions ({_span(p.drift_sessions)})."
                )
        for t in self.drift:
            lines.append(
                f"Drift: {t.name} ({t.model}; {t.source or 'not in iptcore table'}) in "
                f"{_span(t.sessions)}."
            )
        off = [t for t in self.techniques if t.fit == "other_area"]
        if off:
            lines.append(
                "IPT techniques of another problem area: "
                + "; ".join(f"{t.name} ({_span(t.sessions)})" for t in off)
                + "."
            )
        if self.homework_sessions and not self.homework_expected:
            lines.append(
                f"Homework was set in {_span(self.homework_sessions)}; {self.protocol} sets no "
                "formal homework [COMP; CASEBOOK] (noted, not scored)."
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "case_id": self.case,
            "protocol": self.protocol,
            "focus": list(self.focus),
            "overall": self.overall,
            "phases": [p.to_dict() for p in self.phases],
            "techniques": [t.to_dict() for t in self.techniques],
            "homework_sessions": list(self.homework_sessions),
            "homework_expected": self.homework_expected,
            "summary": self.summary(),
        }


def _span(numbers: Iterable[int]) -> str:
    """``sessions 1-3, 5`` for people."""
    listed = set(numbers)
    if not listed:
        return "no sessions"
    return f"{'session' if len(listed) == 1 else 'sessions'} {_checks.runs(listed)}"


def _label(item_id: str) -> str:
    return item_id.replace("_", " ")


# --------------------------------------------------------------------------------------------
# Reading the course
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Held:
    number: int
    date: date
    phase: Phase
    protocol: Protocol
    tasks: tuple[str, ...]
    techniques: tuple[str, ...]
    other_techniques: tuple[str, ...]
    homework: str


def _held(course: Course) -> list[_Held]:
    out = []
    for r in course.records:
        if r.status.value != "held":
            continue
        out.append(
            _Held(
                number=r.number,
                date=r.date,
                phase=r.phase,
                protocol=course.contracts[r.contract].protocol,
                tasks=r.tasks,
                techniques=r.techniques,
                other_techniques=r.other_techniques,
                homework=r.homework,
            )
        )
    return out


def _focus_ids(course: Course, catalogue: Catalogue) -> tuple[str, ...]:
    """The techniques the catalogue emphasises for the focus (all that suit it, without one)."""
    ids: list[str] = []
    for f in course.focus:
        keys = {(f.area, None), (f.area, f.stage)}
        found = [i for e in catalogue.emphasis if (e.area, e.stage) in keys for i in e.techniques]
        if not found:
            found = [
                t.id
                for t in catalogue.for_area(f.area, Phase.MIDDLE)
                if t.family is not Family.ADJUNCTIVE
            ]
        ids += [i for i in found if i not in ids]
    return tuple(ids)


def _complete(course: Course, phase: Phase, held: list[_Held]) -> bool:
    """Whether ``phase`` is behind the course: a later phase was reached, or the course ended there
    as planned (a course the patient dropped out of leaves its last phase unfinished, not failed)."""
    if any(_ORDER.index(h.phase) > _ORDER.index(phase) for h in held):
        return True
    if course.state.value == "dropped":
        return False
    upcoming = course.next_session
    return upcoming is None or _ORDER.index(upcoming.phase) > _ORDER.index(phase)


def _once(
    task_id: str,
    text: str,
    source: str,
    phase: Phase,
    held: list[_Held],
    complete: bool,
    spec: FidelitySpec,
) -> ItemCheck:
    done = [h for h in held if task_id in h.tasks]
    in_time = [h for h in done if _ORDER.index(h.phase) <= _ORDER.index(phase)]
    when = tuple((h.number, h.date) for h in done)
    label = _label(task_id)
    credit: float | None
    if in_time:
        credit, evidence = 1.0, f"{label} (session {in_time[0].number})"
    elif done:
        credit = spec.late_credit
        evidence = f"{label} late (session {done[0].number}, after the {phase.value} phase)"
    elif complete:
        credit, evidence = 0.0, f"{label}: never recorded"
    else:
        credit, evidence = None, f"{label} not yet recorded"
    return ItemCheck(
        id=task_id,
        phase=phase,
        text=text,
        source=source,
        expected=f"once, by the end of the {phase.value} phase",
        weight=spec.weight(task_id),
        credit=credit,
        done_in=when,
        evidence=evidence,
    )


def _every(
    item_id: str,
    text: str,
    source: str,
    phase: Phase,
    sessions: list[_Held],
    did: Any,
    spec: FidelitySpec,
    expected: str = "in every session of the phase",
) -> ItemCheck:
    done = [h for h in sessions if did(h)]
    lacking = [h.number for h in sessions if not did(h)]
    label = _label(item_id)
    evidence = f"{label} in {len(done)} of {len(sessions)} sessions"
    if lacking:
        evidence += f" (not in {_span(lacking)})"
    return ItemCheck(
        id=item_id,
        phase=phase,
        text=text,
        source=source,
        expected=expected,
        weight=spec.weight(item_id),
        credit=len(done) / len(sessions),
        done_in=tuple((h.number, h.date) for h in done),
        evidence=evidence,
    )


def _formulation(course: Course, base: ItemCheck) -> ItemCheck:
    """The formulation item: offered (``base``, the ``formulation`` task) and accepted by the
    patient (the course's ``accept_formulation`` step) before the middle phase
    [MARKOWITZ-SWARTZ2007].

    The course holds no middle or termination session without the acceptance, so an offer not yet
    accepted is not yet due: the acceptance may still be recorded before the first middle session.
    A change of focus needs it again (:attr:`iptcore.Course.formulation_accepted` says).
    """
    if course.formulation_accepted:
        if base.credit:
            return attrs.evolve(base, evidence=f"{base.evidence}, accepted by the patient")
        return attrs.evolve(base, evidence=f"{base.evidence} (its acceptance was recorded)")
    if base.credit:
        return attrs.evolve(
            base,
            credit=None,
            evidence=f"{base.evidence}, not yet accepted by the patient (due before the middle "
            "phase)",
        )
    return base


def _raise_end(
    course: Course, held: list[_Held], complete: bool, spec: FidelitySpec
) -> ItemCheck | None:
    acute = [h for h in held if h.protocol is course.contracts[0].protocol]
    if not acute or course.contracts[0].protocol.maintenance:
        return None
    last = course.contracts[0].count
    deadline = last - spec.notice
    done = [h for h in acute if RAISE_END.id in h.tasks]
    on_time = [h for h in done if h.number <= deadline]
    credit: float | None
    if on_time:
        h = on_time[0]
        credit = 1.0
        evidence = (
            f"the end raised in session {h.number}, {_sessions(last - h.number)} before the last"
        )
    elif done:
        h = done[0]
        credit = spec.late_credit
        evidence = f"the end raised late, in session {h.number}, {last - h.number} before the last"
    elif complete:
        credit, evidence = 0.0, f"raise end: never done (due by session {deadline})"
    elif max(h.number for h in acute) >= deadline:
        credit, evidence = 0.0, f"raise end: overdue (due by session {deadline})"
    else:
        credit, evidence = None, "the end not yet raised"
    return ItemCheck(
        id=RAISE_END.id,
        phase=Phase.TERMINATION,
        text=RAISE_END.text,
        source=RAISE_END.source,
        expected=(
            f"by session {deadline}, at least {_sessions(spec.notice)} before the last ({last})"
        ),
        weight=spec.weight(RAISE_END.id),
        credit=credit,
        done_in=tuple((h.number, h.date) for h in done),
        evidence=evidence,
    )


def _strategy_text(course: Course) -> tuple[str, str]:
    areas: list[ProblemArea] = [f.area for f in course.focus]
    texts = [AREA_STRATEGIES[a].text for a in areas if a in AREA_STRATEGIES]
    sources = sorted({AREA_STRATEGIES[a].source for a in areas if a in AREA_STRATEGIES})
    text = "The focus area's strategies: " + ("; ".join(texts) or "the focus agreed")
    return text, "; ".join(sources) or "[GUIDE]"


def _phase_report(
    course: Course,
    phase: Phase,
    held: list[_Held],
    focus_ids: tuple[str, ...],
    spec: FidelitySpec,
) -> PhaseFidelity:
    sessions = [h for h in held if h.phase is phase]
    complete = _complete(course, phase, held)
    items: list[ItemCheck] = []
    if sessions:
        protocol = sessions[0].protocol
        for task in protocol.tasks_for(phase):
            if task.id in spec.optional_tasks:
                continue
            if task.every:
                items.append(
                    _every(
                        task.id,
                        task.text,
                        task.source,
                        phase,
                        sessions,
                        lambda h, t=task.id: t in h.tasks,
                        spec,
                    )
                )
                continue
            item = _once(task.id, task.text, task.source, phase, held, complete, spec)
            if task.id == "formulation":
                item = _formulation(course, item)
            items.append(item)
        if phase in _WORK and course.focus:
            text, source = _strategy_text(course)
            names = ", ".join(focus_ids)
            items.append(
                _every(
                    FOCUS_STRATEGIES,
                    text,
                    f"{source}; the catalogue's emphasis ({names}) [GUIDE ch. 10]",
                    phase,
                    sessions,
                    lambda h: any(t in focus_ids for t in h.techniques),
                    spec,
                    expected=f"in every session of the phase, one of: {names}",
                )
            )
        if phase is Phase.TERMINATION:
            end = _raise_end(course, held, complete, spec)
            if end is not None:
                items.append(end)
    drift = tuple(h.number for h in sessions if h.other_techniques)
    scored = [i for i in items if i.credit is not None]
    total = sum(i.weight for i in scored)
    value: float | None = None
    if sessions and total > 0:
        base = sum(i.weight * (i.credit or 0.0) for i in scored) / total
        value = base * (1 - spec.drift_penalty * len(drift) / len(sessions))
    return PhaseFidelity(
        phase=phase,
        value=value,
        sessions=tuple(h.number for h in sessions),
        items=tuple(items),
        drift_sessions=drift,
        complete=complete,
    )


def _techniques(
    course: Course, held: list[_Held], catalogue: Catalogue, spec: FidelitySpec
) -> tuple[TechniqueUse, ...]:
    areas = {f.area for f in course.focus}
    used: dict[str, list[int]] = {}
    for h in held:
        for t in h.techniques:
            used.setdefault(t, []).append(h.number)
    out = []
    for tid, numbers in used.items():
        technique = catalogue.get(tid)
        if technique is None:
            fit, name, source = "other_area", tid, "not in the catalogue given"
        else:
            name, source = technique.name, technique.source
            fit = "focus" if not areas or technique.areas & areas else "other_area"
        out.append(
            TechniqueUse(
                name=name, id=tid, fit=fit, model="IPT", source=source, sessions=tuple(numbers)
            )
        )
    others: dict[str, list[int]] = {}
    for h in held:
        for name in h.other_techniques:
            others.setdefault(name, []).append(h.number)
    for name, numbers in others.items():
        known = spec.other(name)
        out.append(
            TechniqueUse(
                name=name if known is None else known.name,
                id=None,
                fit="other_model",
                model="another model" if known is None else known.model,
                source="" if known is None else known.source,
                sessions=tuple(numbers),
            )
        )
    return tuple(out)


def adherence(
    course: Course, *, spec: FidelitySpec = DEFAULT_SPEC, catalogue: Catalogue | None = None
) -> Fidelity:
    """The adherence report of ``course``: per phase and overall, with the evidence behind each.

    The module docstring says what is expected in each phase, how it is scored and where each
    expectation comes from. Phases without a held session are left out; a phase still under way,
    or cut short by the patient's dropping out, scores what was due so far (a once-task not done is
    "not yet due", not missing).

    Args:
        course: an :class:`iptcore.Course` whose held sessions recorded their tasks and
            techniques (:meth:`~iptcore.Course.hold`).
        spec: the expectations and weights (:data:`DEFAULT_SPEC`).
        catalogue: the technique catalogue the course used (:data:`~iptcore.TECHNIQUES`).

    Raises:
        IptError: if ``course`` is not a Course or ``spec`` not a FidelitySpec.
    """
    from iptcore.course import Course

    _checks.argument("course", course, Course)
    _checks.argument("spec", spec, FidelitySpec, "an iptcore.fidelity.FidelitySpec")
    chosen = TECHNIQUES if catalogue is None else catalogue
    _checks.argument("catalogue", chosen, Catalogue)
    held = _held(course)
    focus_ids = _focus_ids(course, chosen)
    present = [p for p in _ORDER if any(h.phase is p for h in held)]
    phases = tuple(_phase_report(course, p, held, focus_ids, spec) for p in present)
    weights: dict[Phase, float] | None = (
        dict(spec.phase_weights) if spec.phase_weights is not None else None
    )
    scored = [
        (p.value, len(p.sessions) if weights is None else weights.get(p.phase, 0.0))
        for p in phases
        if p.value is not None
    ]
    total = sum(w for _, w in scored)
    overall = sum(v * w for v, w in scored) / total if total > 0 else None
    protocol = course.contracts[0].protocol
    return Fidelity(
        case=course.case.id,
        protocol=protocol.title,
        focus=tuple(str(f) for f in course.focus),
        phases=phases,
        overall=overall,
        techniques=_techniques(course, held, chosen, spec),
        homework_sessions=tuple(h.number for h in held if h.homework),
        homework_expected=protocol.homework,
        spec=spec,
    )
