"""One simulated case, session by session, through a real :class:`~iptcore.Course`.

:func:`simulate_case` classifies the case (:func:`iptcore.classify`), plans a course of the protocol
with its focus (:func:`iptcore.plan_course`) and then takes the course's own steps as each session
falls due: ``hold`` with a measure, ``miss`` (made up per the protocol's miss rule), or
``drop_out``, ending with ``terminate`` once the contracted sessions are done. The numbers come from
the trajectory model of :mod:`iptcore.simulate._model` (``docs/simulation.md``), applied one session at a
time; a script can force events ("misses session 5", "the dispute moves to impasse at session 6") for
a test or a teacher to see the course respond. The result, a :class:`SimulatedCourse`, holds the
:class:`~iptcore.Course` and the simulation's view of each session.

>>> from iptcore.vignettes import vignette
>>> run = simulate_case(vignette("dispute"), seed=5, script={6: "impasse"})      # fictional
>>> [(s.number, s.stage.value, s.score) for s in run.sessions[4:7]]
[(5, 'renegotiation', 20), (6, 'impasse', 21), (7, 'impasse', 19)]
>>> run.course.state.value, run.end, run.remission
('closed', 12, False)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs
import numpy as np

from iptcore import _checks
from iptcore._checks import quote
from iptcore.case import Case, Measure
from iptcore.course import Course
from iptcore.courseio import dump_course
from iptcore.errors import IptError
from iptcore.fidelity import DEFAULT_SPEC
from iptcore.findings import Classification
from iptcore.formulation import formulate
from iptcore.limits import DEFAULT_LIMITS
from iptcore.measures import INSTRUMENTS, Instrument, is_remission, is_response, score
from iptcore.plan import PlannedSession, plan_course
from iptcore.protocols import Protocol
from iptcore.rules import DEFAULT_RULES, RuleSet, classify
from iptcore.simulate._model import (
    MAX_LOG_GROWTH,
    SimulationParams,
    baseline_severity,
    case_draws,
    responsiveness,
    seed_number,
    whole_number,
)
from iptcore.simulate.items import draw_items
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "SCRIPT_ACTIONS",
    "Attendance",
    "SimulatedCourse",
    "SimulatedSession",
    "simulate_case",
]

#: What a script can make happen when a session falls due: the case misses it, drops out, or
#: its dispute moves to a stage [GUIDE] (renegotiation, impasse, dissolution).
SCRIPT_ACTIONS: Final = ("miss", "drop_out", *(stage.value for stage in DisputeStage))


class Attendance(StrEnum):
    """What became of a session when it fell due."""

    HELD = "held"
    MISSED = "missed"
    DROPPED_OUT = "dropped_out"


@attrs.frozen(kw_only=True)
class SimulatedSession:
    """One session as it fell due in a simulated course.

    ``severity`` is the model's latent severity after the session (before measurement noise);
    ``score`` the total measured, ``None`` when the session was not held; ``stage`` the dispute's
    stage at the time (``None`` without a dispute in the focus); ``scripted`` the script's actions.
    """

    number: int
    date: date
    phase: Phase
    attendance: Attendance
    severity: float
    score: int | None
    stage: DisputeStage | None
    scripted: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "phase": self.phase.value,
            "attendance": self.attendance.value,
            "severity": round(self.severity, 3),
            "score": self.score,
            "stage": None if self.stage is None else self.stage.value,
            "scripted": list(self.scripted),
        }


@attrs.frozen(kw_only=True)
class SimulatedCourse:
    """One simulated case through a course: its classification, its :class:`~iptcore.Course` (every
    step taken, as a course app would record it) and the simulation's view of each session.

    ``case`` is the case simulated: the one given, with a simulated baseline measure added at
    ``assessed`` when it had none on the instrument.
    """

    case: Case
    classification: Classification
    course: Course
    params: SimulationParams
    seed: int
    baseline: int
    responsiveness: float
    sessions: tuple[SimulatedSession, ...]

    @property
    def instrument(self) -> Instrument:
        """The instrument of every score."""
        return self.params.instrument

    @property
    def end(self) -> int:
        """The last observed score (the baseline when no session was held)."""
        held = [s.score for s in self.sessions if s.score is not None]
        return held[-1] if held else self.baseline

    @property
    def dropped_out(self) -> bool:
        """Whether the case dropped out before the end of the course."""
        return any(s.attendance is Attendance.DROPPED_OUT for s in self.sessions)

    @property
    def response(self) -> bool:
        """At least a 50% reduction from baseline (:func:`iptcore.is_response`)."""
        return is_response(self.baseline, self.end)

    @property
    def remission(self) -> bool:
        """The end score counts as remission (:func:`iptcore.is_remission`)."""
        return is_remission(self.instrument, self.end)

    def describe(self) -> str:
        """The course for people: one line per session as it fell due, then the outcome."""
        title = INSTRUMENTS[self.instrument].title
        focus = ", ".join(str(f) for f in self.course.focus) or "none"
        lines = [
            (
                f"Simulated course of case {self.case.id} (seed {self.seed}): "
                f"{self.course.plan.protocol.title}, focus {focus}"
            ),
            f"  baseline {title} {self.baseline}; responsiveness {self.responsiveness:.2f}",
        ]
        for s in self.sessions:
            score = "" if s.score is None else f"  {title} {s.score}"
            notes = f"  [{', '.join(s.scripted)}]" if s.scripted else ""
            lines.append(
                f"  {s.number:>3}  {s.date.isoformat()}  {s.phase.value:<11}  "
                f"{s.attendance.value:<11}{score}{notes}".rstrip()
            )
        outcome = "dropped out" if self.dropped_out else f"course {self.course.state.value}"
        lines.append(
            f"  end {title} {self.end}: {outcome}; response {'yes' if self.response else 'no'}, "
            f"remission {'yes' if self.remission else 'no'}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: the simulation's sessions and outcome, and the course file."""
        return {
            "case_id": self.case.id,
            "seed": self.seed,
            "instrument": self.instrument.value,
            "baseline": self.baseline,
            "end": self.end,
            "responsiveness": round(self.responsiveness, 4),
            "dropped_out": self.dropped_out,
            "response": self.response,
            "remission": self.remission,
            "sessions": [s.to_dict() for s in self.sessions],
            "course": dump_course(self.course),
        }


# The techniques of other models a simulated session drifts to (iptcore.fidelity names their
# source, Beck et al. 1979).
_DRIFT: Final = ("cognitive restructuring", "thought record")
_WORK_PHASES: Final = frozenset({Phase.MIDDLE, Phase.MAINTENANCE})


class _Work:
    """What each held session of a simulated course records, drawn with a chosen adherence."""

    def __init__(self, protocol: Protocol, sessions: Iterable[Any]) -> None:
        listed = list(sessions)
        # Each phase's once-tasks are due spread over its sessions, in order, as the planner
        # spreads them on the agenda; a task is tried once, at the first session held on or after
        # its due session.
        self.due: list[tuple[int, str]] = []
        for phase in Phase:
            numbers = [s.number for s in listed if s.phase is phase]
            once = [
                t.id
                for t in protocol.tasks_for(phase)
                if not t.every and t.id not in DEFAULT_SPEC.optional_tasks
            ]
            for k, task in enumerate(once):
                if numbers:
                    self.due.append((numbers[k * len(numbers) // len(once)], task))
        self.tried: set[str] = set()
        self.end_raised = False

    def session(self, course: Course, seed: int, attempt: int, adherence: float) -> dict[str, Any]:
        due = course.next_session
        if due is None:  # pragma: no cover - a session is held only when one is due
            raise AssertionError("no session is due")
        rng = case_draws(seed, 2, due.number, attempt)
        protocol = course.plan.protocol
        tasks: list[str] = []
        for number, task in self.due:
            if number <= due.number and task not in self.tried:
                self.tried.add(task)
                if rng.random() < adherence:
                    tasks.append(task)
        tasks += [
            t.id for t in protocol.tasks_for(due.phase) if t.every and rng.random() < adherence
        ]
        notice = protocol.notice_session(course.plan.count)
        if notice is not None and due.number >= notice and not self.end_raised:
            self.end_raised = True
            if rng.random() < adherence:
                tasks.append("raise_end")
        techniques: list[str] = []
        others: list[str] = []
        if due.phase in _WORK_PHASES and due.techniques:
            if rng.random() < adherence:
                techniques.append(str(rng.choice(list(due.techniques[:2]))))
            else:
                others.append(str(rng.choice(list(_DRIFT))))
        return {"tasks": tasks, "techniques": techniques, "other_techniques": others}


def _script(value: object) -> dict[int, tuple[str, ...]]:
    """``{session: action or actions}`` checked: whole session numbers, known actions."""
    if not isinstance(value, Mapping):
        raise IptError(f"script: must map session numbers to actions, got {quote(value)}")
    out: dict[int, tuple[str, ...]] = {}
    for number, actions in value.items():
        whole_number("script", number, 0)
        # Read the actions once: an iterator is consumed by reading it.
        if isinstance(actions, str):
            listed: tuple[object, ...] | None = (actions,)
        elif isinstance(actions, Iterable):
            listed = tuple(actions)
        else:
            listed = None
        if listed is None or not all(isinstance(a, str) and a in SCRIPT_ACTIONS for a in listed):
            known = ", ".join(SCRIPT_ACTIONS)
            raise IptError(f"script[{number}]: actions must be among {known}, got {quote(actions)}")
        out[int(number)] = tuple(str(a) for a in listed)
    return out


def _baseline(case: Case, params: SimulationParams, seed: int) -> tuple[Case, int]:
    """The case's latest score on the instrument, or a drawn one added to the case at ``assessed``."""
    taken = [m for m in case.measures if m.instrument is params.instrument]
    for measure in sorted(taken, key=lambda m: m.date, reverse=True):
        try:
            return case, score(measure.instrument, measure.items).total
        except IptError:
            continue  # too many items missing to score: try an earlier one, else draw
    z = case_draws(seed, 0).standard_normal(1)
    total = int(np.rint(baseline_severity(params, z))[0])
    items = draw_items(params.instrument, [total], case_draws(seed, 0, 2))[0]
    measure = Measure(
        date=case.assessed,
        instrument=params.instrument,
        items=tuple(int(item) for item in items),
    )
    return attrs.evolve(case, measures=(*case.measures, measure)), total


def _closes_initial_phase(course: Course, due: PlannedSession) -> bool:
    """Whether the formulation, not yet accepted, is to be accepted when ``due`` is held: in the
    last session before the middle phase, or in the first one held after it if that was missed."""
    if course.formulation_accepted or due.phase is Phase.MAINTENANCE:
        return False
    if due.phase not in _BEFORE_MIDDLE:
        return True
    sessions = course.plan.sessions
    index = sessions.index(due)
    following = sessions[index + 1] if index + 1 < len(sessions) else None
    return following is None or following.phase not in _BEFORE_MIDDLE


_BEFORE_MIDDLE = frozenset({Phase.ENGAGEMENT, Phase.INITIAL})

# The most steps a simulated course takes before a session falls due: that session may need two
# (the formulation accepted, then the session held) and the end one more (terminate, or a later
# drop_out), all within what a course holds (max_steps).
_ROOM: Final = DEFAULT_LIMITS.max_steps - 3
_OUT_OF_STEPS: Final = (
    f"the course reached the {DEFAULT_LIMITS.max_steps:,} steps a course holds (max_steps), "
    "its missed sessions made up one after another (simulated)"
)


def simulate_case(
    case: Case,
    *,
    seed: int,
    protocol: str | Protocol = "ipt",
    instrument: Instrument | str | None = None,
    params: SimulationParams | None = None,
    start: date | None = None,
    sessions: int | None = None,
    focus: object = None,
    rules: RuleSet | None = None,
    script: Mapping[int, str | Iterable[str]] | None = None,
    adherence: float | None = None,
) -> SimulatedCourse:
    """Simulate one case through a full course: classification, plan, then each session as it
    falls due, held, missed or dropped, each held session with its measure.

    The model is the cohort's (``docs/simulation.md``) followed step by step through a real
    :class:`~iptcore.Course`: a session held changes the case's log-severity by the mean of its
    phase, scaled by the case's responsiveness, its focus area's effect and its dispute's stage,
    plus a random step, and is measured with noise; a missed session follows the protocol's miss
    rule (by default ``keep_end``: it is lost and the plan, its end included, stays [COMP; ISIPT];
    under ``keep_count`` it is made up a cadence step later and the end moves); the case may drop
    out at any session due. Every time a session falls due draws its own numbers, so a scripted
    event changes only what it touches.

    Any miss rate below 1 is simulated, in work linear in the sessions that fall due. Under
    ``keep_count`` a course of ``k`` sessions falls due ``k / (1 - miss_rate)`` times on average,
    one step of the course each; a course holds at most ``max_steps`` steps
    (:mod:`iptcore.limits`, 2,000), so a simulated course that would take more ends at the session
    due there, the case taken to drop out, with a reason that says so.

    Args:
        case: the case; it is classified with ``rules`` (the default rules when ``None``).
        seed: a whole number of 0 or more.
        protocol: a name of :data:`iptcore.PROTOCOLS` or a :class:`~iptcore.Protocol`.
        instrument: the scale; by default that of ``params``, or else of the case's latest measure,
            or else the HAM-D-17. The baseline is the case's latest score on it, or a drawn one.
        params: the model's parameters (:class:`SimulationParams`).
        start: the date of the first session; a week after ``case.assessed`` by default.
        sessions: the number of numbered sessions; the protocol's default when ``None``.
        focus: the focus to work on instead of the classification's (a problem area or a list).
        script: forced events by session number, applied the first time that session falls due:
            ``"miss"``, ``"drop_out"``, or a dispute stage (``"impasse"``: the dispute moves to
            impasse from that session on), e.g. ``{5: "miss", 6: "impasse"}``.
        adherence: with a number from 0 to 1, each held session records its work as a course app
            would (:meth:`~iptcore.Course.hold`): each task the protocol expects is done with this
            probability (a phase's once-tasks spread over its sessions, the every-session tasks in
            each, the end raised in the notice session), and each focus-work session uses one of
            the focus's techniques with this probability or else a technique of another model
            (cognitive restructuring or a thought record: drift). ``None`` (the default) records
            no work. Its draws have their own random stream, so the scores are the same at any
            adherence: the model assumes adherence does not change the outcome
            (``docs/fidelity.md``).

    Raises:
        IptError: for bad arguments, a case with no problem area found and no ``focus``, or a
            script that names a session outside the course or a dispute stage without a dispute.
        ProtocolError: for a ``focus`` or a session count the protocol does not allow.

    >>> from iptcore.vignettes import vignette
    >>> run = simulate_case(vignette("widow"), seed=4, params=SimulationParams(miss_rate=0.0))
    >>> run.course.state.value, run.baseline, len(run.sessions)                  # fictional
    ('closed', 20, 16)
    >>> forced = simulate_case(vignette("widow"), seed=4, script={5: "miss"})
    >>> [(s.number, s.attendance.value) for s in forced.sessions[4:7]]
    [(5, 'missed'), (6, 'held'), (7, 'held')]
    """
    _checks.argument("case", case, Case)
    seed = seed_number(seed)
    if params is None:
        if instrument is None:
            latest = max(case.measures, key=lambda m: m.date, default=None)
            instrument = Instrument.HAMD17 if latest is None else latest.instrument
        params = SimulationParams(instrument=instrument)
    elif not isinstance(params, SimulationParams):
        raise IptError(f"params: must be a SimulationParams, got {type(params).__name__}")
    elif instrument is not None and SimulationParams(instrument=instrument).instrument is not (
        params.instrument
    ):
        raise IptError(
            f"params: they are for {params.instrument.value} but instrument is {instrument!r}"
        )
    planned = _script({} if script is None else script)
    if adherence is not None and (
        isinstance(adherence, bool)
        or not isinstance(adherence, int | float)
        or not 0 <= adherence <= 1
    ):
        raise IptError(f"adherence: must be a number from 0 to 1, or None, got {adherence!r}")
    classification = classify(case, DEFAULT_RULES if rules is None else rules)
    if start is None:
        if case.assessed > date.max - timedelta(days=7):
            raise IptError(
                f"case {case.id}: assessed {case.assessed.isoformat()}, so its sessions would "
                "run past 9999-12-31"
            )
        start = case.assessed + timedelta(days=7)
    # The plan normalises the focus (the classification's or the one given) once; the
    # simulation reads the areas from it.
    plan = plan_course(
        protocol,
        start=start,
        sessions=sessions,
        focus=classification if focus is None else focus,
    )
    areas = plan.focus
    if not areas:
        raise IptError(
            f"case {case.id}: classify found no problem area; pass focus= to simulate one"
        )
    numbers = range(plan.sessions[0].number, plan.count + 1)
    stages = {
        a for actions in planned.values() for a in actions if a in DisputeStage._value2member_map_
    }
    dispute = next((f for f in areas if f.area is ProblemArea.ROLE_DISPUTE), None)
    for number in planned:
        if number not in numbers:
            raise IptError(
                f"script: session {number} is not in this course ({numbers.start}-{plan.count})"
            )
    if stages and dispute is None:
        raise IptError("script: a dispute stage needs a role dispute in the focus")

    case, baseline = _baseline(case, params, seed)
    formulation = formulate(case, classification) if focus is None else None
    course = Course.begin(case, plan, formulation=formulation)
    theta = float(responsiveness(params, case_draws(seed, 0, 1).standard_normal(1))[0])
    effect = dict(params.area_effect)[areas[0].area]
    stage_effect = dict(params.stage_effect)
    stage = None if dispute is None else dispute.stage
    top = INSTRUMENTS[params.instrument].max_total
    log_severity = math.log(max(baseline, 0.5))  # a baseline of 0 has nowhere to go but up
    ceiling = log_severity + MAX_LOG_GROWTH
    attempts: dict[int, int] = {}
    done: list[SimulatedSession] = []
    work = _Work(plan.protocol, plan.sessions) if adherence is not None else None
    while course.next_session is not None:
        due = course.next_session
        if len(course.steps) > _ROOM:
            # A protocol that makes up each missed session falls due k / (1 - miss_rate) times on
            # average: where the course would take more steps than it holds, it ends.
            course = course.drop_out(reason=_OUT_OF_STEPS, date=due.date)
            done.append(
                SimulatedSession(
                    number=due.number,
                    date=due.date,
                    phase=due.phase,
                    attendance=Attendance.DROPPED_OUT,
                    severity=math.exp(log_severity),
                    score=None,
                    stage=stage,
                )
            )
            break
        attempt = attempts.get(due.number, 0)
        attempts[due.number] = attempt + 1
        actions = planned.get(due.number, ()) if attempt == 0 else ()
        for action in actions:
            if action in DisputeStage._value2member_map_:
                stage = DisputeStage(action)
        rng = case_draws(seed, 1, due.number, attempt)
        leave, skip = rng.random(2)
        step, noise = rng.standard_normal(2)
        total: int | None = None
        if "drop_out" in actions or leave < params.dropout(due.phase):
            attendance = Attendance.DROPPED_OUT  # the course ends: next_session becomes None
            course = course.drop_out(reason="dropped out (simulated)", date=due.date)
        elif "miss" in actions or skip < params.miss_rate:
            attendance = Attendance.MISSED
            why = "missed (scripted)" if "miss" in actions else "missed"
            course = course.miss(reason=why)
        else:
            attendance = Attendance.HELD
            rate = theta * effect * (1.0 if stage is None else stage_effect[stage])
            log_severity -= rate * params.change(due.phase) + params.walk_sd * float(step)
            log_severity = min(log_severity, ceiling)  # every score up there is the maximum
            noisy = math.exp(log_severity) + params.measurement_sd * float(noise)
            total = min(top, max(0, round(noisy)))  # round half to even, as the cohort's rint
            # The risk item answered at the published rate for the total's severity.
            items = draw_items(params.instrument, [total], rng)[0].tolist()
            if _closes_initial_phase(course, due):
                # The formulation is offered in the last initial session and accepted before the
                # middle phase [MARKOWITZ-SWARTZ2007]; the simulated patient accepts it.
                course = course.accept_formulation()
            record = {} if work is None else work.session(course, seed, attempt, adherence or 0.0)
            course = course.hold(
                measures={params.instrument.value: items},
                notes="" if stage is None else f"dispute at {stage.value}",
                **record,
            )
        done.append(
            SimulatedSession(
                number=due.number,
                date=due.date,
                phase=due.phase,
                attendance=attendance,
                severity=math.exp(log_severity),
                score=total,
                stage=stage,
                scripted=actions,
            )
        )
    if course.state == "finished":
        course = course.terminate(reason="the contracted sessions are done")
    return SimulatedCourse(
        case=case,
        classification=classification,
        course=course,
        params=params,
        seed=seed,
        baseline=baseline,
        responsiveness=theta,
        sessions=tuple(done),
    )
