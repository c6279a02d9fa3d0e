"""The course as it happens: the :class:`Course` value users hold, and its :class:`Progress`.

A :class:`Course` is a value: the case, the contracted plan, the goals agreed and the steps taken.
Everything else (the plan as it now stands, the sessions held and missed, the state) is derived by
replaying the steps, so that a course carries its own history and reads back from JSON exactly. Each
step (:meth:`~Course.hold`, :meth:`~Course.miss`, :meth:`~Course.move`, :meth:`~Course.renegotiate`,
:meth:`~Course.change_focus`, :meth:`~Course.terminate`, :meth:`~Course.start_maintenance`,
:meth:`~Course.drop_out`) checks its arguments and returns a new course; an illegal one raises
:class:`~iptcore.ProtocolError`, and the course it was tried on, being a value, is unchanged.
:meth:`~Course.progress` reads the measures' trajectories (response and remission, IPT_REFERENCE.md
s. 6) and the instruments' warnings (a PHQ-9 item 9 above 0: Kroenke et al. 2001).

The state machine is :mod:`iptcore.coursestate`: which steps are legal in which state is one table,
:data:`TRANSITIONS`, read by the code and drawn by :func:`state_diagram`, and the replay of the steps
holds the rules that need more than the state, each with its source. Its public names (``State``,
``StepKind``, ``TRANSITIONS``, ``START_STATES``, ``Step``, ``SessionRecord``, ``SessionStatus``,
``state_diagram``) are re-exported here.

The front door imports ``Course, CoursePlan, PlannedSession, plan_course`` from here.

>>> from datetime import date
>>> from iptcore.vignettes import vignette
>>> plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
>>> course = Course.begin(vignette("demo"), None, plan)               # fictional
>>> course = course.hold(measures={"phq9": [2, 2, 1, 2, 1, 1, 1, 1, 0]})
>>> course.state.value, course.next_session.number
('middle', 2)
>>> course.terminate(reason="feels better")
Traceback (most recent call last):
...
iptcore.errors.ProtocolError: cannot terminate in state middle: termination cannot be skipped; hold the remaining sessions, renegotiate a shorter contract, or record drop_out
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

import iptcore.coursestate as _coursestate
from iptcore import checks
from iptcore.case import Case, Measure
from iptcore.coursestate import (
    START_STATES,
    SessionRecord,
    SessionStatus,
    State,
    Step,
    StepKind,
    _apply,
    _given,
    _start_track,
    _Track,
    state_diagram,
)
from iptcore.coursestate import (
    legal_or_raise as legal_or_raise,  # was defined here; kept importable
)
from iptcore.errors import CaseError, IptError, ProtocolError
from iptcore.formulation import Goal, GoalStatus, formulate
from iptcore.measures import Score, instrument_spec, score
from iptcore.plan import (
    DEFAULT_PER_AREA,
    CoursePlan,
    FocusArea,
    PlannedSession,
    build_sessions,
    focus_areas,
    lookup_techniques,
    plan_course,
)
from iptcore.rules import Classification
from iptcore.techniques import TECHNIQUES, Catalogue
from iptcore.terms import Phase
from iptcore.trajectory import Trajectory, track

__all__ = [
    "START_STATES",
    "TRANSITIONS",
    "Course",
    "CoursePlan",
    "FocusArea",
    "PlannedSession",
    "Progress",
    "SessionRecord",
    "SessionStatus",
    "State",
    "Step",
    "StepKind",
    "plan_course",
    "state_diagram",
]

# Bound again, not only imported, because the docs' ``autodata:: iptcore.course.TRANSITIONS`` reads
# the type and the ``#:`` comment from this module's source.
#: The legal steps in each state and the states they may lead to (the data decides which). Read by
#: :meth:`Course` for every step and drawn by :func:`state_diagram`; defined in
#: ``iptcore.coursestate``, the course's state machine.
TRANSITIONS: Mapping[State, Mapping[StepKind, frozenset[State]]] = _coursestate.TRANSITIONS


# --------------------------------------------------------------------------------------------
# The course
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Course:
    """A course as it happens: the case, the contracted plan, the goals agreed and the steps taken.

    Build one with :meth:`begin` (or directly); take steps with :meth:`hold`, :meth:`miss`,
    :meth:`move`, :meth:`renegotiate`, :meth:`change_focus`, :meth:`terminate`,
    :meth:`start_maintenance` and :meth:`drop_out`, each returning a new course. :attr:`plan` is the
    plan as it stands now, :attr:`records` the sessions held and missed, :attr:`state` the row of
    :data:`TRANSITIONS` that says which steps are legal next, :attr:`history` every earlier value.

    Raises:
        ProtocolError: when ``steps`` hold an illegal step (with its index).
        IptError: for fields of the wrong type.
    """

    case: Case = attrs.field()
    contract: CoursePlan = attrs.field()
    initial_goals: tuple[Goal, ...] = attrs.field(default=(), converter=checks.as_tuple)
    steps: tuple[Step, ...] = attrs.field(default=(), converter=checks.as_tuple)
    _previous: Course | None = attrs.field(default=None, eq=False, repr=False, alias="_previous")
    _track: _Track = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.case, Case):
            raise IptError(f"case: must be a Case, got {type(self.case).__name__}")
        if not isinstance(self.contract, CoursePlan):
            raise IptError(f"contract: must be a CoursePlan, got {type(self.contract).__name__}")
        if not isinstance(self.steps, tuple) or not all(isinstance(s, Step) for s in self.steps):
            raise IptError("steps: must be a tuple of Step")
        if not isinstance(self.initial_goals, tuple):
            raise IptError("initial_goals: must be a tuple of Goal")
        previous = self._previous
        if (
            previous is not None
            and previous.steps == self.steps[:-1]
            and previous.contract is self.contract
            and previous.case is self.case
            and previous.initial_goals is self.initial_goals
            and self.steps
        ):
            track = _apply(previous._track, self.steps[-1])
        else:
            object.__setattr__(self, "_previous", None)
            track = _start_track(self.contract, self.initial_goals)
            for i, step in enumerate(self.steps):
                try:
                    track = _apply(track, step)
                except ProtocolError as exc:
                    raise ProtocolError(f"steps[{i}]: {exc}") from None
        object.__setattr__(self, "_track", track)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle what the course is, not its replayed state nor the chain of its earlier values.
        return (_restore, (self.case, self.contract, self.initial_goals, self.steps))

    @classmethod
    def begin(
        cls,
        case: Case,
        classification: Any,
        plan: CoursePlan,
        *,
        goals: Iterable[Goal] | None = None,
        catalogue: Catalogue | None = None,
    ) -> Course:
        """A course of ``plan`` for ``case``, with the focus and goals of ``classification``.

        Args:
            case: the case.
            classification: the :class:`~iptcore.Classification` of the case, or ``None`` while no
                focus is agreed. Its focus goes into the plan when the plan has none.
            plan: the contracted plan (:func:`plan_course`).
            goals: the goals; by default those of :func:`iptcore.formulate` for the classification.
            catalogue: the technique catalogue for the focus; :data:`iptcore.TECHNIQUES` by default.

        Raises:
            IptError: when the plan's focus and the classification's disagree, or for bad input.
        """
        if not isinstance(plan, CoursePlan):
            raise IptError(f"plan: must be a CoursePlan, got {type(plan).__name__}")
        chosen: tuple[Goal, ...] = ()
        if classification is not None:
            areas = focus_areas(classification)
            if not plan.focus and areas:
                ids = lookup_techniques(areas, plan.protocol, catalogue)
                plan = attrs.evolve(
                    plan,
                    sessions=build_sessions(
                        plan.protocol, [s.date for s in plan.sessions], focus=areas, techniques=ids
                    ),
                    focus=areas,
                    techniques=ids,
                )
            elif areas and tuple(f.area for f in areas) != plan.areas:
                raise IptError(
                    f"plan: its focus ({', '.join(a.value for a in plan.areas) or 'none'}) is not "
                    f"the classification's ({', '.join(f.area.value for f in areas) or 'none'})"
                )
            if goals is None and areas:
                chosen = tuple(formulate(case, classification).goals)
        if goals is not None:
            chosen = tuple(goals)
        return cls(case=case, contract=plan, initial_goals=chosen)

    # -- reading --------------------------------------------------------------------------------
    @property
    def state(self) -> State:
        """The course's state: the phase of the next session due, or ``finished``/``closed``/``dropped``."""
        return self._track.state

    @property
    def phase(self) -> Phase | None:
        """The phase the sessions held have reached: that of the next session due, or of the last."""
        upcoming = self._track.next
        if upcoming is not None:
            return upcoming.phase
        held = [r for r in self._track.records if r.status is SessionStatus.HELD]
        return held[-1].phase if held else None

    @property
    def plan(self) -> CoursePlan:
        """The plan of the current contract as it stands now (dates moved, count renegotiated)."""
        return self._track.plan

    @property
    def contracts(self) -> tuple[CoursePlan, ...]:
        """Every contract's plan as it stands: the acute one, then any maintenance contracts."""
        return self._track.contracts

    @property
    def focus(self) -> tuple[FocusArea, ...]:
        """The focus now."""
        return self._track.focus

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The goals now, with their statuses."""
        return self._track.goals

    @property
    def records(self) -> tuple[SessionRecord, ...]:
        """The sessions held and missed, in order."""
        return self._track.records

    @property
    def next_session(self) -> PlannedSession | None:
        """The next session due, or ``None`` once the contract's sessions are all behind."""
        return None if self._track.ended is not None else self._track.next

    @property
    def legal_steps(self) -> tuple[StepKind, ...]:
        """The steps :data:`TRANSITIONS` allows now."""
        return tuple(TRANSITIONS[self.state])

    @property
    def history(self) -> tuple[Course, ...]:
        """Every value of the course, from the start to this one (one per step, plus the start)."""
        chain: list[Course] = []
        current: Course | None = self
        while current is not None:
            chain.append(current)
            current = current._previous
        if len(chain) == len(self.steps) + 1:
            return tuple(reversed(chain))
        course = Course(case=self.case, contract=self.contract, initial_goals=self.initial_goals)
        out = [course]
        for step in self.steps:
            out.append(course._then(step))
            course = out[-1]
        return tuple(out)

    # -- steps ----------------------------------------------------------------------------------
    def _then(self, step: Step) -> Course:
        return Course(
            case=self.case,
            contract=self.contract,
            initial_goals=self.initial_goals,
            steps=(*self.steps, step),
            _previous=self,
        )

    def _due(self, kind: StepKind) -> PlannedSession:
        legal_or_raise(kind, self.state)
        return _given(self._track.next)

    def hold(
        self,
        *,
        date: date | None = None,
        measures: object = (),
        techniques: Iterable[str] = (),
        notes: str = "",
        goals: Mapping[str, str] | None = None,
        catalogue: Catalogue | None = None,
    ) -> Course:
        """The course with the next session held.

        Args:
            date: when it was held; its planned date by default. It must come after the last
                session and before the next one planned.
            measures: the measures taken: ``{"phq9": [items...]}``, or :class:`~iptcore.Measure`
                values of that date.
            techniques: the ids of the techniques used (checked against ``catalogue``).
            notes: free text.
            goals: goal id -> new status (the :class:`~iptcore.GoalStatus` words).

        Raises:
            ProtocolError: no session is due (a session after the last one needs
                :meth:`start_maintenance`); the last initial session without a focus; a date out
                of order.
            IptError: bad measures, an unknown technique or goal, a date that is not a date.
        """
        upcoming = self._due(StepKind.HOLD)
        when = upcoming.date if date is None else _a_date(date, "date")
        return self._then(
            Step(
                kind=StepKind.HOLD,
                number=upcoming.number,
                date=when,
                measures=_measures(measures, when),
                techniques=_technique_ids(techniques, catalogue),
                notes=_words(notes, "notes"),
                goal_status=_goal_status(goals),
            )
        )

    def miss(self, *, reason: str) -> Course:
        """The course with the next session missed, rescheduled per the protocol's ``on_miss``.

        By default (``keep_count``) the session is made up one cadence step later and the end moves;
        with ``keep_end`` it is lost, if the shorter course is still a legal one.
        """
        upcoming = self._due(StepKind.MISS)
        why = _words(reason, "reason", required=True)
        return self._then(Step(kind=StepKind.MISS, number=upcoming.number, reason=why))

    def move(self, *, to: date, shift_rest: bool = False, reason: str = "") -> Course:
        """The course with the next session moved to ``to``.

        Without ``shift_rest`` the date must stay before the following session; with it, the later
        sessions follow the cadence from ``to``.
        """
        upcoming = self._due(StepKind.MOVE)
        if not isinstance(shift_rest, bool):
            raise IptError(f"shift_rest: must be True or False, got {shift_rest!r}")
        return self._then(
            Step(
                kind=StepKind.MOVE,
                number=upcoming.number,
                to=_a_date(to, "to"),
                shift_rest=shift_rest,
                reason=_words(reason, "reason"),
            )
        )

    def renegotiate(self, *, sessions: int, reason: str) -> Course:
        """The course with the contract renegotiated to ``sessions`` numbered sessions.

        "The time frame is fixed at the outset and any change is renegotiated explicitly"
        [COMP; ISIPT]: a reason is required. The new count must be the protocol's, keep the phases of
        the sessions already held, and leave room to raise the end two sessions before it [COMP].
        """
        legal_or_raise(StepKind.RENEGOTIATE, self.state)
        if isinstance(sessions, bool) or not isinstance(sessions, int):
            raise IptError(f"sessions: must be a whole number, got {sessions!r}")
        why = _words(reason, "reason")
        return self._then(Step(kind=StepKind.RENEGOTIATE, sessions=sessions, reason=why))

    def change_focus(
        self,
        focus: object,
        *,
        reason: str = "",
        goals: Iterable[Goal] | None = None,
        catalogue: Catalogue | None = None,
        per_area: int | None = DEFAULT_PER_AREA,
    ) -> Course:
        """The course with a new focus (legal in the initial phase only; IPT_REFERENCE.md s. 2).

        ``focus`` is what :func:`~iptcore.plan.focus_areas` takes (a classification, areas, findings).
        The goals are ``goals``; by default those of a classification's formulation, or the current
        goals of the areas kept.
        """
        legal_or_raise(StepKind.CHANGE_FOCUS, self.state)
        areas = focus_areas(focus)
        if not areas:
            raise IptError("focus: name at least one problem area")
        chosen: tuple[Goal, ...] | None = None if goals is None else tuple(goals)

        if chosen is None and isinstance(focus, Classification):
            chosen = tuple(formulate(self.case, focus).goals)
        ids = lookup_techniques(areas, self.plan.protocol, catalogue, per_area=per_area)
        return self._then(
            Step(
                kind=StepKind.CHANGE_FOCUS,
                focus=areas,
                techniques=ids,
                goals=chosen,
                reason=_words(reason, "reason"),
            )
        )

    def terminate(self, *, date: date | None = None, reason: str = "") -> Course:
        """The course closed: legal after the last session (or during maintenance).

        Termination cannot be skipped: before the last session this is a
        :class:`~iptcore.ProtocolError`; renegotiate a shorter contract or record :meth:`drop_out`.
        """
        legal_or_raise(StepKind.TERMINATE, self.state)
        when = self._track.last_date if date is None else _a_date(date, "date")
        return self._then(
            Step(
                kind=StepKind.TERMINATE, date=when or self.plan.end, reason=_words(reason, "reason")
            )
        )

    def drop_out(self, *, reason: str, date: date | None = None) -> Course:
        """The course stopped by the patient before its end (``date`` by default the last session's)."""
        legal_or_raise(StepKind.DROP_OUT, self.state)
        when = self._track.last_date if date is None else _a_date(date, "date")
        why = _words(reason, "reason", required=True)
        return self._then(Step(kind=StepKind.DROP_OUT, date=when or self.plan.start, reason=why))

    def start_maintenance(
        self,
        *,
        start: date,
        sessions: int | None = None,
        protocol: object = "maintenance",
        skip: Iterable[date] = (),
        reason: str = "",
        catalogue: Catalogue | None = None,
    ) -> Course:
        """The course with a maintenance contract after its last session (IPT-M, monthly by default).

        A session after the last one needs this contract (Frank et al. 1990, 1991); the focus goes on.
        """
        legal_or_raise(StepKind.START_MAINTENANCE, self.state)
        plan = plan_course(
            protocol,  # type: ignore[arg-type]
            start=start,
            sessions=sessions,
            skip=skip,
            focus=self.focus,
            catalogue=catalogue,
        )
        return self._then(
            Step(kind=StepKind.START_MAINTENANCE, plan=plan, reason=_words(reason, "reason"))
        )

    # -- progress and output --------------------------------------------------------------------
    @property
    def warnings(self) -> tuple[str, ...]:
        """What needs attention now: flags such as a PHQ-9 suicide-risk answer, with the session."""
        return self.progress().warnings

    def progress(self) -> Progress:
        """Goal statuses, the measures' trajectories (response, remission) and warnings."""
        return _progress(self)

    def describe(self) -> str:
        """The course for people: its state, each session as planned, held or missed, progress."""
        plan = self.plan
        lines = [
            f"Course of case {self.case.id}: {plan.protocol.title}, state {self.state.value}",
            f"Focus: {', '.join(str(f) for f in self.focus) or 'not yet agreed'}",
            "",
        ]
        for contract, each in enumerate(self.contracts):
            done = {(r.number, r.date): r for r in self.records if r.contract == contract}
            for r in sorted(done.values(), key=lambda r: r.date):
                what = "held" if r.status is SessionStatus.HELD else f"missed ({r.reason})"
                lines.append(f"{r.number:>3}  {r.date.isoformat()}  {r.phase.value:<11}  {what}")
            if contract == len(self.contracts) - 1 and self._track.ended is None:
                for s in each.sessions[self._track.next_index :]:
                    lines.append(
                        f"{s.number:>3}  {s.date.isoformat()}  {s.phase.value:<11}  planned"
                    )
        lines += ["", self.progress().describe()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready course file (``iptcore.course/1``); see :func:`~iptcore.coursefile.dump_course`."""
        from iptcore.coursefile import dump_course

        return dump_course(self)


def _restore(
    case: Case, contract: CoursePlan, goals: tuple[Goal, ...], steps: tuple[Step, ...]
) -> Course:
    return Course(case=case, contract=contract, initial_goals=goals, steps=steps)


def _a_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise IptError(f"{name}: must be a datetime.date, got {value!r}")
    return value


def _words(value: object, name: str, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise IptError(f"{name}: must be a string, got {value!r}")
    if required and not value.strip():
        raise IptError(f"{name}: must say why")
    return value


def _measures(value: object, when: date) -> tuple[Measure, ...]:
    items: list[tuple[object, object]]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = []
        for i, m in enumerate(value):
            if not isinstance(m, Measure):
                raise IptError(f"measures[{i}]: must be a Measure, got {m!r}")
            if m.date != when:
                raise IptError(f"measures[{i}]: is dated {m.date}, not the session's {when}")
            items.append((m.instrument, m.items))
    else:
        raise IptError(f"measures: must be a mapping of instrument to items, got {value!r}")
    out = []
    for instrument, answers in items:
        listed = list(answers) if isinstance(answers, list | tuple) else answers
        try:
            measure = Measure(date=when, instrument=instrument, items=listed)  # type: ignore[arg-type]
            score(
                measure.instrument, measure.items
            )  # a measure that cannot be scored is refused now
        except CaseError as exc:
            problems = "; ".join(str(p) for p in exc.problems)
            raise IptError(f"measures: {instrument}: {problems}") from None
        except IptError as exc:
            raise IptError(f"measures: {instrument}: {exc}") from None
        out.append(measure)
    return tuple(out)


def _technique_ids(value: Iterable[str], catalogue: Catalogue | None) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise IptError(f"techniques: must be a list of technique ids, got {value!r}")
    ids = tuple(value)
    if catalogue is None:
        catalogue = TECHNIQUES
    for i, tid in enumerate(ids):
        if not isinstance(tid, str) or tid not in catalogue:
            raise IptError(f"techniques[{i}]: no technique {tid!r} in the catalogue")
    return ids


def _goal_status(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise IptError(f"goals: must be a mapping of goal id to status, got {value!r}")

    out = []
    for gid, status in value.items():
        if not isinstance(status, str) or status not in GoalStatus._value2member_map_:
            words = ", ".join(s.value for s in GoalStatus)
            raise IptError(f"goals[{gid!r}]: must be one of {words}, got {status!r}")
        out.append((str(gid), GoalStatus(status).value))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Progress:
    """How a course is going: sessions, goals, each measure's trajectory, and warnings.

    ``trajectories`` run from the case's measures (the baseline at assessment) through the sessions'
    (:func:`iptcore.trajectory.track`): response is at least a 50% reduction, remission HAM-D <= 7
    or PHQ-9 < 5 (IPT_REFERENCE.md s. 6).
    """

    state: State
    held: int
    missed: int
    remaining: int
    goals: tuple[Goal, ...]
    trajectories: tuple[Trajectory, ...]
    warnings: tuple[str, ...]

    def describe(self) -> str:
        """A few lines for people."""
        lines = [
            (
                f"Sessions: {self.held} held, {self.missed} missed, {self.remaining} to come "
                f"(state {self.state.value})"
            )
        ]
        lines += [f"Goal {g.id} [{g.status.value}]: {g.text}" for g in self.goals]
        lines += [t.describe() for t in self.trajectories]
        lines += [f"WARNING: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "state": self.state.value,
            "held": self.held,
            "missed": self.missed,
            "remaining": self.remaining,
            "goals": [
                {"id": g.id, "area": g.area.value, "text": g.text, "status": g.status.value}
                for g in self.goals
            ],
            "trajectories": [t.to_dict() for t in self.trajectories],
            "warnings": list(self.warnings),
        }


def _progress(course: Course) -> Progress:
    dated: list[tuple[str, Measure]] = [("the assessment", m) for m in course.case.measures]
    for r in course.records:
        dated += [(f"session {r.number}", m) for m in r.measures]
    warnings: list[str] = []
    series: dict[Any, list[tuple[date, Score]]] = {}
    for where, measure in dated:
        try:
            scored = score(measure.instrument, measure.items)
        except IptError as exc:
            warnings.append(
                f"{where} ({measure.date}): {measure.instrument.value} not scored: {exc}"
            )
            continue
        series.setdefault(scored.instrument, []).append((measure.date, scored))
        for flag in instrument_spec(scored.instrument).flags:
            if flag.name in scored.flags:
                text = f"{flag.message} ({flag.source})"
            elif flag.not_assessed in scored.flags:
                text = (
                    f"item {flag.item} was not answered: {flag.name.replace('_', ' ')} not assessed"
                )
            else:
                continue
            warnings.append(f"{where} ({measure.date}), {scored.instrument.value}: {text}")
    trajectories = tuple(track(instrument, points) for instrument, points in series.items())
    held = sum(r.status is SessionStatus.HELD for r in course.records)
    upcoming = course.next_session
    remaining = 0 if upcoming is None else course.plan.count - upcoming.number + 1
    return Progress(
        state=course.state,
        held=held,
        missed=len(course.records) - held,
        remaining=remaining,
        goals=course.goals,
        trajectories=trajectories,
        warnings=tuple(warnings),
    )
