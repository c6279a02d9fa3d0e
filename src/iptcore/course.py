"""The course as it happens: the :class:`Course` value users hold, and its :class:`Progress`.

A :class:`Course` is a value: the case, the contracted plan, the goals agreed and the steps taken.
Everything else (the plan as it now stands, the sessions held and missed, the state) is derived by
replaying the steps, so that a course carries its own history and reads back from JSON exactly. Each
step (:meth:`~Course.hold`, :meth:`~Course.miss`, :meth:`~Course.move`, :meth:`~Course.renegotiate`,
:meth:`~Course.change_focus`, :meth:`~Course.accept_formulation`, :meth:`~Course.terminate`,
:meth:`~Course.start_maintenance`,
:meth:`~Course.drop_out`) checks its arguments and returns a new course; an illegal one raises
:class:`~iptcore.ProtocolError`, and the course it was tried on, being a value, is unchanged.
:meth:`~Course.progress` reads the measures' trajectories (response and remission
[CASACALENDA2002; LOWE2004]), the case's screening cautions (:func:`iptcore.screen`) and the
instruments' warnings (a PHQ-9 item 9 above 0 [KROENKE2001]).

The state machine is :mod:`iptcore.course`: which steps are legal in which state is one table,
:data:`TRANSITIONS`, read by the code and drawn by :func:`state_diagram`, and the replay of the steps
holds the rules that need more than the state, each with its source. Its public names (``State``,
``StepKind``, ``TRANSITIONS``, ``START_STATES``, ``Step``, ``SessionRecord``, ``SessionStatus``,
``state_diagram``) are re-exported here.

The front door imports ``Course, CoursePlan, PlannedSession, plan_course`` from here.

>>> from datetime import date
>>> from iptcore.vignettes import vignette
>>> plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
>>> course = Course.begin(vignette("demo"), plan)               # fictional
>>> course = course.hold(measures={"phq9": [2, 2, 1, 2, 1, 1, 1, 1, 0]})
>>> course.hold()
Traceback (most recent call last):
...
iptcore.errors.ProtocolError: cannot hold in state middle: the middle phase needs the formulation explicitly accepted by the patient (Markowitz & Swartz 2007 [MARKOWITZ-SWARTZ2007]); record accept_formulation first, with the revision agreed if there was one
>>> course = course.accept_formulation()
>>> course.state.value, course.next_session.number
('middle', 2)
>>> course.terminate(reason="feels better")
Traceback (most recent call last):
...
iptcore.errors.ProtocolError: cannot terminate in state middle: termination cannot be skipped; hold the remaining sessions, renegotiate a shorter contract, or record drop_out
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from iptcore import _checks
from iptcore._fields import a_date, key_path
from iptcore.case import Case, Measure
from iptcore.errors import HIDDEN_KEY, CaseError, IptError, Problem, ProtocolError
from iptcore.formulation import Formulation
from iptcore.goals import Goal, GoalStatus
from iptcore.limits import DEFAULT_LIMITS
from iptcore.measures import Instrument, Score, instrument_spec, score
from iptcore.plan import (
    DEFAULT_PER_AREA,
    CoursePlan,
    FocusArea,
    PlannedSession,
    SessionRecipe,
    focus_areas,
    lookup_techniques,
    plan_course,
)
from iptcore.protocols import MIN_TERMINATION_NOTICE, MissRule, Protocol, schedule
from iptcore.screening import screen
from iptcore.techniques import TECHNIQUES, Catalogue
from iptcore.terms import Phase, ProblemArea
from iptcore.trajectory import Trajectory, track_scores

__all__ = [
    "START_STATES",
    "TRANSITIONS",
    "Course",
    "Progress",
    "SessionRecord",
    "SessionStatus",
    "State",
    "Step",
    "StepKind",
    "goal_problems",
    "legal_or_raise",
    "unknown_techniques",
]

_T = TypeVar("_T")
_Date = date  # for annotations in classes that have a field named ``date``


class State(StrEnum):
    """Where a course stands: the phase of the next session due, or how it ended."""

    ENGAGEMENT = "engagement"
    INITIAL = "initial"
    MIDDLE = "middle"
    TERMINATION = "termination"
    MAINTENANCE = "maintenance"
    FINISHED = "finished"  # every contracted session is behind it
    CLOSED = "closed"
    DROPPED = "dropped"


class StepKind(StrEnum):
    """The steps of a course."""

    HOLD = "hold"
    MISS = "miss"
    MOVE = "move"
    RENEGOTIATE = "renegotiate"
    CHANGE_FOCUS = "change_focus"
    ACCEPT_FORMULATION = "accept_formulation"
    TERMINATE = "terminate"
    START_MAINTENANCE = "start_maintenance"
    DROP_OUT = "drop_out"


_S, _K = State, StepKind


def _row(**steps: Iterable[State]) -> Mapping[StepKind, frozenset[State]]:
    # Runs at import only, for TRANSITIONS (which the tests check step by step against the
    # protocol): mutation testing cannot reach it.
    # pragma: no mutate block
    return MappingProxyType({StepKind(k): frozenset(v) for k, v in steps.items()})


#: The legal steps in each state and the states they may lead to (the data decides which). Read by
#: :meth:`Course` for every step and drawn by :func:`state_diagram`.
TRANSITIONS: Mapping[State, Mapping[StepKind, frozenset[State]]] = MappingProxyType(
    {
        _S.ENGAGEMENT: _row(
            hold=[_S.INITIAL],
            miss=[_S.ENGAGEMENT, _S.INITIAL],
            move=[_S.ENGAGEMENT],
            renegotiate=[_S.ENGAGEMENT],
            change_focus=[_S.ENGAGEMENT],
            accept_formulation=[_S.ENGAGEMENT],
            drop_out=[_S.DROPPED],
        ),
        # The focus is agreed in the initial phase, with the formulation; the patient accepts it
        # (or a revision) before the middle phase [MARKOWITZ-SWARTZ2007]: no middle or
        # termination session is held without that acceptance (see _apply), which may still be
        # recorded there when the last initial session was missed.
        _S.INITIAL: _row(
            hold=[_S.INITIAL, _S.MIDDLE, _S.TERMINATION],
            miss=[_S.INITIAL, _S.MIDDLE, _S.TERMINATION],
            move=[_S.INITIAL],
            renegotiate=[_S.INITIAL],
            change_focus=[_S.INITIAL],
            accept_formulation=[_S.INITIAL],
            drop_out=[_S.DROPPED],
        ),
        _S.MIDDLE: _row(
            hold=[_S.MIDDLE, _S.TERMINATION],
            miss=[_S.MIDDLE, _S.TERMINATION],
            move=[_S.MIDDLE],
            renegotiate=[_S.MIDDLE, _S.TERMINATION],
            accept_formulation=[_S.MIDDLE],
            drop_out=[_S.DROPPED],
        ),
        _S.TERMINATION: _row(
            hold=[_S.TERMINATION, _S.FINISHED],
            miss=[_S.TERMINATION, _S.FINISHED],
            move=[_S.TERMINATION],
            renegotiate=[_S.TERMINATION, _S.MIDDLE],
            accept_formulation=[_S.TERMINATION],
            drop_out=[_S.DROPPED],
        ),
        _S.MAINTENANCE: _row(
            hold=[_S.MAINTENANCE, _S.FINISHED],
            miss=[_S.MAINTENANCE, _S.FINISHED],
            move=[_S.MAINTENANCE],
            renegotiate=[_S.MAINTENANCE],
            terminate=[_S.CLOSED],
            drop_out=[_S.DROPPED],
        ),
        # After the last session: close, or a maintenance contract (Frank et al. 1990, 1991).
        _S.FINISHED: _row(terminate=[_S.CLOSED], start_maintenance=[_S.MAINTENANCE]),
        _S.CLOSED: _row(start_maintenance=[_S.MAINTENANCE]),
        _S.DROPPED: _row(),
    }
)

#: The states a course can start in: a session 0, session 1, or a maintenance-only contract.
START_STATES = frozenset({State.ENGAGEMENT, State.INITIAL, State.MAINTENANCE})

# Why a step is refused in a state, for the message (the table says that it is).
_HINTS: Mapping[tuple[StepKind, State], str] = MappingProxyType(
    {
        **{
            (_K.HOLD, s): "a session after the last one needs a maintenance contract: "
            "start_maintenance first (Frank et al. 1990, 1991)"
            for s in (_S.FINISHED, _S.CLOSED)
        },
        **{
            (_K.TERMINATE, s): "termination cannot be skipped; hold the remaining sessions, "
            "renegotiate a shorter contract, or record drop_out"
            for s in (_S.ENGAGEMENT, _S.INITIAL, _S.MIDDLE, _S.TERMINATION)
        },
        **{
            (_K.CHANGE_FOCUS, s): "the focus is agreed in the initial phase and kept after it "
            "[MARKOWITZ-SWARTZ2007]"
            for s in (_S.MIDDLE, _S.TERMINATION, _S.MAINTENANCE, _S.FINISHED, _S.CLOSED)
        },
        **{
            (_K.START_MAINTENANCE, s): "a maintenance contract follows the last session of a course"
            for s in (_S.ENGAGEMENT, _S.INITIAL, _S.MIDDLE, _S.TERMINATION, _S.MAINTENANCE)
        },
    }
)


def _to_kind(value: Any) -> Any:
    return _checks.word(StepKind, value)


# The free texts of a step: what the course file holds (Unicode text within max_text).
_TEXT = _checks.free_text(DEFAULT_LIMITS.max_text, form=_checks.COLON)
_DAY = _checks.instance_of(date, "a datetime.date", form=_checks.COLON, optional=True)
_COUNT = attrs.validators.optional(_checks.whole(0, must="a whole number", form=_checks.COLON))


# The fields each kind of step needs; every other field keeps its default.
_NEEDS: Mapping[StepKind, frozenset[str]] = MappingProxyType(
    {
        _K.HOLD: frozenset({"number", "date"}),
        _K.MISS: frozenset({"number"}),
        _K.MOVE: frozenset({"number", "to"}),
        _K.RENEGOTIATE: frozenset({"sessions"}),
        _K.CHANGE_FOCUS: frozenset({"focus"}),
        _K.ACCEPT_FORMULATION: frozenset(),
        _K.TERMINATE: frozenset({"date"}),
        _K.START_MAINTENANCE: frozenset({"plan"}),
        _K.DROP_OUT: frozenset({"date"}),
    }
)
_MAY: Mapping[StepKind, frozenset[str]] = MappingProxyType(
    {
        _K.HOLD: frozenset(
            {
                "measures",
                "techniques",
                "tasks",
                "other_techniques",
                "homework",
                "notes",
                "goal_status",
            }
        ),
        _K.MISS: frozenset({"reason"}),
        _K.RENEGOTIATE: frozenset({"reason"}),
        _K.DROP_OUT: frozenset({"reason"}),
        _K.MOVE: frozenset({"shift_rest", "reason"}),
        _K.CHANGE_FOCUS: frozenset({"techniques", "goals", "reason"}),
        _K.ACCEPT_FORMULATION: frozenset({"notes"}),
        _K.TERMINATE: frozenset({"reason"}),
        _K.START_MAINTENANCE: frozenset({"reason"}),
    }
)


@attrs.frozen(kw_only=True)
class Step:
    """One step of a course, as kept in :attr:`Course.steps` and in the course file.

    ``kind`` says which fields it has (the others keep their defaults): ``hold`` a ``number``, a
    ``date``, the ``measures`` taken, the ``techniques`` used (catalogue ids), the phase ``tasks``
    done (the protocol's task ids), the ``other_techniques`` used from other models (by name), the
    ``homework`` set, ``notes`` and ``goal_status`` changes (goal id, status); ``miss`` a ``number`` and a ``reason``; ``move`` a ``number``, the date moved
    ``to`` and ``shift_rest``; ``renegotiate`` the new count of ``sessions`` and a ``reason``;
    ``change_focus`` the ``focus``, its ``techniques`` (looked up when the step was taken) and maybe
    new ``goals``; ``accept_formulation`` maybe ``notes`` (the revision agreed with the patient);
    ``terminate`` and ``drop_out`` a ``date``; ``start_maintenance`` the ``plan``.
    """

    kind: StepKind = attrs.field(converter=_to_kind)
    number: int | None = attrs.field(default=None, validator=_COUNT)
    date: date | None = attrs.field(default=None, validator=_DAY)
    to: _Date | None = attrs.field(default=None, validator=_DAY)
    shift_rest: bool = False
    sessions: int | None = attrs.field(default=None, validator=_COUNT)
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    techniques: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    tasks: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    other_techniques: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    homework: str = attrs.field(default="", validator=_TEXT)
    notes: str = attrs.field(default="", validator=_TEXT)
    goal_status: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_checks.as_tuple)
    focus: tuple[FocusArea, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    goals: tuple[Goal, ...] | None = attrs.field(default=None, converter=_checks.as_tuple)
    plan: CoursePlan | None = None
    reason: str = attrs.field(default="", validator=_TEXT)

    def __attrs_post_init__(self) -> None:
        kind: Any = self.kind
        if not isinstance(kind, StepKind):
            kinds = ", ".join(k.value for k in StepKind)
            raise IptError(f"kind: must be one of {kinds}, got {self.kind!r}")
        needs, may = _NEEDS[self.kind], _MAY.get(self.kind, frozenset())
        for field in attrs.fields(Step):
            name = field.name
            value = getattr(self, name)
            given = value != field.default
            if name in needs and not given:
                raise IptError(f"{name}: a {self.kind.value} step needs it")
            if given and name != "kind" and name not in needs and name not in may:
                raise IptError(f"{name}: a {self.kind.value} step has no {name}")
        if not all(isinstance(m, Measure) for m in self.measures):
            raise IptError("measures: must be Measure values")
        if not all(isinstance(t, str) for t in self.techniques):
            raise IptError("techniques: must be technique ids (strings)")
        for name in ("tasks", "other_techniques"):
            for i, word in enumerate(getattr(self, name)):
                if not isinstance(word, str) or not word.strip():
                    raise IptError(f"{name}[{i}]: must be a non-empty string, got {word!r}")
        if not all(isinstance(f, FocusArea) for f in self.focus):
            raise IptError("focus: must be FocusArea values")
        if not all(isinstance(g, Goal) for g in self.goals or ()):
            raise IptError("goals: must be Goal values")
        if not all(
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            for pair in self.goal_status
        ):
            raise IptError("goal_status: must be (goal id, status) pairs")
        if self.plan is not None and not isinstance(self.plan, CoursePlan):
            raise IptError(f"plan: must be a CoursePlan, got {self.plan!r}")
        if self.kind is StepKind.CHANGE_FOCUS:
            focus_areas(self.focus)  # one, at most two, none twice, deficits alone [GUIDE]
        if self.kind in (StepKind.MISS, StepKind.DROP_OUT) and not self.reason.strip():
            raise IptError("reason: must say why")
        if self.kind is StepKind.HOLD:
            _session_measures(self.measures, _given(self.date))


class SessionStatus(StrEnum):
    """What became of a planned session."""

    HELD = "held"
    MISSED = "missed"


@attrs.frozen(kw_only=True)
class SessionRecord:
    """A session as it happened: held or missed, under which contract (0 = the first).

    A held session keeps what was done in it: the ``measures`` taken, the catalogue ``techniques``
    used, the protocol's ``tasks`` done, the ``other_techniques`` used from other models, the
    ``homework`` set and free ``notes`` (:mod:`iptcore.fidelity` reads them).
    """

    contract: int
    number: int
    date: date
    phase: Phase
    status: SessionStatus
    measures: tuple[Measure, ...] = ()
    techniques: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    other_techniques: tuple[str, ...] = ()
    homework: str = ""
    notes: str = ""
    reason: str = ""


# --------------------------------------------------------------------------------------------
# Replaying steps: one pure function from (track, step) to the next track
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Schedule:
    """The current contract's plan as it stands, made when it is read.

    A step changes a date or two (a session held or moved) or the rest of the plan (a
    renegotiated count, a new focus, the later sessions moved along): the schedule keeps every
    date, the sessions already made (``kept``, the first ones) and the
    :class:`~iptcore.plan.SessionRecipe` that makes the others, so that a step copies the tuple of
    dates and makes the one session it reads, instead of making and checking a plan of every
    session again. The plan itself is made once, when it is read (:attr:`plan`).
    """

    base: CoursePlan  # the contract as agreed: its protocol, skip dates and warnings
    dates: tuple[date, ...]  # every session's date as it stands
    kept: tuple[PlannedSession, ...]  # the first sessions as they stand
    recipe: SessionRecipe | None  # the sessions after ``kept``; None when kept holds them all
    focus: tuple[FocusArea, ...]
    techniques: tuple[str, ...]
    _made: list[CoursePlan] = attrs.field(factory=list, init=False, eq=False, repr=False)

    @classmethod
    def of(cls, plan: CoursePlan) -> _Schedule:
        """The schedule of ``plan`` as it was agreed."""
        return cls(
            base=plan,
            dates=tuple(s.date for s in plan.sessions),
            kept=plan.sessions,
            recipe=None,
            focus=plan.focus,
            techniques=plan.techniques,
        )

    @property
    def protocol(self) -> Protocol:
        return self.base.protocol

    @property
    def count(self) -> int:
        return self.base.protocol.first_number + len(self.dates) - 1

    def phase(self, index: int) -> Phase:
        """The phase of the session at ``index``, without making it."""
        if index < len(self.kept):
            return self.kept[index].phase
        return self.protocol.phase_of(self.protocol.first_number + index, self.count)

    def session(self, index: int) -> PlannedSession:
        """The session at ``index`` as it stands."""
        if index < len(self.kept):
            return self.kept[index]
        return _given(self.recipe).session(index)

    def first(self, count: int) -> tuple[PlannedSession, ...]:
        """The first ``count`` sessions as they stand."""
        if count <= len(self.kept):
            return self.kept[:count]
        recipe = _given(self.recipe)
        return self.kept + tuple(recipe.session(i) for i in range(len(self.kept), count))

    @property
    def plan(self) -> CoursePlan:
        """The plan as it stands, made once."""
        if not self._made:
            sessions = self.first(len(self.dates))
            self._made.append(
                attrs.evolve(
                    self.base, sessions=sessions, focus=self.focus, techniques=self.techniques
                )
            )
        return self._made[0]

    def held(self, index: int, when: date) -> _Schedule:
        """The schedule with the session at ``index`` held on ``when``."""
        held = attrs.evolve(self.session(index), date=when)
        if index < len(self.kept):
            kept = (*self.kept[:index], held, *self.kept[index + 1 :])
        else:
            kept = (*self.first(index), held)
        return _Schedule(
            base=self.base,
            dates=(*self.dates[:index], when, *self.dates[index + 1 :]),
            kept=kept,
            recipe=self.recipe if len(kept) < len(self.dates) else None,
            focus=self.focus,
            techniques=self.techniques,
        )

    def replanned(
        self,
        dates: list[date],
        *,
        keep: int,
        notice_from: int = 1,
        focus: tuple[FocusArea, ...] | None = None,
        techniques: tuple[str, ...] | None = None,
    ) -> _Schedule:
        """The schedule with new ``dates`` (and maybe a new focus) for the sessions from ``keep``
        on; the first ``keep`` stay as they stand. The end is raised in the protocol's notice
        session, or in ``notice_from`` if that comes later (a count renegotiated after the notice
        session); a notice session already behind the course is not made again, so a change of
        dates or focus after it raises the end no second time."""
        chosen = self.focus if focus is None else focus
        ids = self.techniques if techniques is None else techniques
        recipe = SessionRecipe(
            protocol=self.protocol,
            dates=tuple(dates),
            focus=chosen,
            techniques=ids,
            notice_from=notice_from,
        )
        return _Schedule(
            base=self.base,
            dates=recipe.dates,
            kept=self.first(keep),
            recipe=recipe if keep < len(dates) else None,
            focus=chosen,
            techniques=ids,
        )


@attrs.frozen(kw_only=True)
class _Track:
    """What the steps so far add up to."""

    done: tuple[CoursePlan, ...]  # the earlier contracts' plans, as they ended
    schedule: _Schedule  # the current contract's
    assessed: date  # the case's assessment: no session comes before it
    focus: tuple[FocusArea, ...]
    goals: tuple[Goal, ...]
    records: tuple[SessionRecord, ...] = ()
    next_index: int = 0  # index in the schedule of the next session due
    last_date: date | None = None
    ended: State | None = None  # CLOSED or DROPPED
    accepted: bool = False  # the patient accepted the formulation (or a revision)

    @property
    def plan(self) -> CoursePlan:
        return self.schedule.plan

    @property
    def contracts(self) -> tuple[CoursePlan, ...]:
        return (*self.done, self.schedule.plan)

    @property
    def due(self) -> bool:
        """Whether a session of the contract is still ahead (the course may have ended)."""
        return self.next_index < len(self.schedule.dates)

    @property
    def next(self) -> PlannedSession | None:
        return self.schedule.session(self.next_index) if self.due else None

    @property
    def next_number(self) -> int:
        return self.schedule.protocol.first_number + self.next_index

    @property
    def state(self) -> State:
        if self.ended is not None:
            return self.ended
        if not self.due:
            return State.FINISHED
        return State(self.schedule.phase(self.next_index).value)


def _start_track(contract: CoursePlan, goals: tuple[Goal, ...], assessed: date) -> _Track:
    return _Track(
        done=(),
        schedule=_Schedule.of(contract),
        assessed=assessed,
        focus=contract.focus,
        goals=goals,
    )


def _refuse(kind: StepKind, state: State, why: str) -> ProtocolError:
    # The reason may quote a date or a number of the course: the redacted form leaves it out.
    rule = f"cannot {kind.value.replace('_', ' ')} in state {state.value}"
    return ProtocolError(f"{rule}: {why}", redacted_message=rule)


def legal_or_raise(kind: StepKind, state: State) -> None:
    """Raise :class:`~iptcore.ProtocolError` unless ``kind`` is legal in ``state`` (the table)."""
    if kind not in TRANSITIONS[state]:
        hint = _HINTS.get((kind, state), f"the legal steps are {_legal_words(state)}")
        raise _refuse(kind, state, hint)


def _legal_words(state: State) -> str:
    return ", ".join(k.value for k in TRANSITIONS[state]) or "none (the course has ended)"


def _after_last(track: _Track, when: date, kind: StepKind, what: str) -> None:
    """A session's date comes after the last session and not before the case's assessment: a
    course treats what was assessed (as its plan does, :meth:`Course.begin`)."""
    if when < track.assessed:
        why = f"{what} {when} is before the case was assessed ({track.assessed})"
        raise _refuse(kind, track.state, why)
    if track.last_date is not None and when <= track.last_date:
        raise _refuse(kind, track.state, f"{what} {when} is not after {track.last_date}")


def _dates(
    protocol: Protocol,
    last: date,
    count: int,
    *,
    skip: tuple[date, ...],
    anchor_day: int,
    field: str,
) -> tuple[date, ...]:
    """``count`` dates on the protocol's cadence after ``last``, passing over ``skip``.

    Dates past 9999-12-31 are refused at ``field``, the step's field that moves them there (``""``
    for the step itself).
    """
    try:
        start = protocol.cadence.after(last, anchor_day=anchor_day)
        return schedule(protocol.cadence, start, count, skip=skip, anchor_day=anchor_day)
    except IptError as exc:  # past the calendar
        raise IptError(str(Problem(path=field, message=str(exc)))) from None


def _check_new_count(track: _Track, sessions: int, kind: StepKind) -> None:
    """The rules a contract of ``sessions`` must keep, given the sessions already behind it."""
    schedule, state = track.schedule, track.state
    protocol = schedule.protocol
    protocol.check_count(sessions)
    # A count is renegotiated only while a session is due (TRANSITIONS): the next one is open.
    first_open = track.next_number
    if sessions < first_open:
        raise _refuse(kind, state, f"{first_open - 1} sessions are already behind the course")
    for index in range(track.next_index):
        number = protocol.first_number + index
        if number and protocol.phase_of(number, sessions) is not schedule.phase(index):
            raise _refuse(
                kind,
                state,
                f"session {number}, already behind the course, would become a "
                f"{protocol.phase_of(number, sessions).value} session",
            )
    notice = protocol.notice_session(sessions)
    if notice is not None and max(notice, first_open) > sessions - MIN_TERMINATION_NOTICE:
        raise _refuse(
            kind,
            state,
            f"too late to end after session {sessions}: the end is raised at least "
            f"{MIN_TERMINATION_NOTICE} sessions before it [COMP]",
        )


def _apply(track: _Track, step: Step) -> _Track:
    """The track after ``step``; :class:`~iptcore.ProtocolError` if the step is illegal."""
    state = track.state
    legal_or_raise(step.kind, state)
    if step.kind is StepKind.HOLD and state in _AGREED_PHASES and not track.accepted:
        raise _refuse(step.kind, state, _NOT_ACCEPTED)
    new = _HANDLERS[step.kind](track, step)
    if new.state not in TRANSITIONS[state][step.kind]:  # a bug in the table or a handler
        raise AssertionError(f"{step.kind} led from {state} to {new.state}")
    return new


# The phases whose sessions need the formulation accepted, and why a hold there is refused.
_AGREED_PHASES = frozenset({State.MIDDLE, State.TERMINATION})
_NOT_ACCEPTED = (
    "the middle phase needs the formulation explicitly accepted by the patient "
    "(Markowitz & Swartz 2007 [MARKOWITZ-SWARTZ2007]); record accept_formulation first, with the "
    "revision agreed if there was one"
)


def _given(value: _T | None) -> _T:
    if value is None:  # a Step always has the fields its kind needs
        raise AssertionError("a step lacks a field its kind needs")
    return value


def _next(track: _Track, step: Step) -> int:
    """The index of the session ``step`` names, which must be the next one due."""
    if not track.due or step.number != track.next_number:
        raise _refuse(step.kind, track.state, f"session {step.number} is not the next session due")
    return track.next_index


def _record(
    track: _Track, index: int, status: SessionStatus, when: date, **more: Any
) -> tuple[SessionRecord, ...]:
    schedule = track.schedule
    record = SessionRecord(
        contract=len(track.done),
        number=schedule.protocol.first_number + index,
        date=when,
        phase=schedule.phase(index),
        status=status,
        **more,
    )
    return (*track.records, record)


def _hold(track: _Track, step: Step) -> _Track:
    index, when = _next(track, step), _given(step.date)
    _after_last(track, when, step.kind, "the date")
    schedule = track.schedule
    dates = schedule.dates
    if index + 1 < len(dates) and when >= dates[index + 1]:
        raise _refuse(
            step.kind,
            track.state,
            f"{when} is not before session {track.next_number + 1} ({dates[index + 1]}); "
            "move the later sessions first",
        )
    last_initial = index + 1 == len(dates) or schedule.phase(index + 1) is not Phase.INITIAL
    if schedule.phase(index) is Phase.INITIAL and last_initial and not track.focus:
        # The initial phase ends with "the interpersonal formulation around one problem area,
        # explicitly accepted by the patient" (Markowitz & Swartz 2007) and a contract naming it.
        raise _refuse(
            step.kind, track.state, "the initial phase ends with a focus: change_focus first"
        )
    goals = track.goals
    if step.goal_status:
        changes = dict(step.goal_status)
        known = [g.id for g in goals]
        unknown = [g for g in changes if g not in known]
        if unknown:
            raise CaseError(
                [
                    Problem(
                        path=key_path(gid),
                        message=_no_goal(known),
                        redacted_path=HIDDEN_KEY,
                        redacted_message="names no goal of the course",
                    ).within("goal_status")
                    for gid in unknown
                ],
                subject="course",
            )

        goals = tuple(
            attrs.evolve(g, status=GoalStatus(changes[g.id])) if g.id in changes else g
            for g in goals
        )
    bad_task = _unknown_task(schedule.protocol, step.tasks)
    if bad_task is not None:
        raise _refuse(step.kind, track.state, str(bad_task))
    records = _record(
        track,
        index,
        SessionStatus.HELD,
        when,
        measures=step.measures,
        techniques=step.techniques,
        tasks=step.tasks,
        other_techniques=step.other_techniques,
        homework=step.homework,
        notes=step.notes,
    )
    return attrs.evolve(
        track,
        schedule=schedule.held(index, when),
        goals=goals,
        records=records,
        next_index=index + 1,
        last_date=when,
    )


def _miss(track: _Track, step: Step) -> _Track:
    index = _next(track, step)
    schedule = track.schedule
    protocol, dates = schedule.protocol, schedule.dates
    missed = dates[index]
    records = _record(track, index, SessionStatus.MISSED, missed, reason=step.reason)
    if protocol.on_miss is MissRule.KEEP_COUNT:
        # Made up one cadence step later, and the end moves, keeping the count.
        anchor, skip = dates[0].day, schedule.base.skip
        rest = _dates(protocol, missed, len(dates) - index, skip=skip, anchor_day=anchor, field="")
        new = schedule.replanned([*dates[:index], *rest], keep=index)
        return attrs.evolve(track, schedule=new, records=records, last_date=missed)
    # The time frame is fixed at the outset [COMP; ISIPT]: the session is lost, the plan (its
    # dates, numbers, phases and end) stays, and the next planned session is due.
    return attrs.evolve(track, records=records, next_index=index + 1, last_date=missed)


def _move(track: _Track, step: Step) -> _Track:
    index = _next(track, step)
    to: date = _given(step.to)
    _after_last(track, to, step.kind, "the new date")
    schedule = track.schedule
    dates = list(schedule.dates)
    if step.shift_rest:
        rest = _dates(
            schedule.protocol,
            to,
            len(dates) - index - 1,
            skip=schedule.base.skip,
            anchor_day=to.day,
            field="to",
        )
        dates = [*dates[:index], to, *rest]
    elif index + 1 < len(dates) and to >= dates[index + 1]:
        raise _refuse(
            step.kind,
            track.state,
            f"{to} is not before session {track.next_number + 1} ({dates[index + 1]}); "
            "use shift_rest=True to move the later sessions too",
        )
    else:
        dates[index] = to
    new = schedule.replanned(dates, keep=index)
    return attrs.evolve(track, schedule=new)


def _renegotiate(track: _Track, step: Step) -> _Track:
    schedule, sessions = track.schedule, _given(step.sessions)
    if not step.reason.strip():
        # "the time frame is fixed at the outset and any change is renegotiated explicitly"
        # [COMP; ISIPT]
        raise _refuse(step.kind, track.state, "a renegotiated contract needs its reason")
    if sessions == schedule.count:
        raise _refuse(step.kind, track.state, f"the contract is already {sessions} sessions")
    _check_new_count(track, sessions, step.kind)
    protocol, anchor = schedule.protocol, schedule.dates[0].day
    dates = list(schedule.dates[: sessions + 1 - protocol.first_number])
    missing = sessions + 1 - protocol.first_number - len(dates)
    if missing > 0:
        skip = schedule.base.skip
        dates += _dates(
            protocol, dates[-1], missing, skip=skip, anchor_day=anchor, field="sessions"
        )
    # The table allows renegotiate only while a session is due.
    new = schedule.replanned(dates, keep=track.next_index, notice_from=track.next_number)
    return attrs.evolve(track, schedule=new)


def _change_focus(track: _Track, step: Step) -> _Track:
    new = track.schedule.replanned(
        list(track.schedule.dates),
        keep=track.next_index,
        focus=step.focus,
        techniques=step.techniques,
    )
    areas = {f.area for f in step.focus}
    kept = tuple(g for g in track.goals if g.area in areas)
    # A new focus is a new formulation: the patient accepts it again [MARKOWITZ-SWARTZ2007].
    return attrs.evolve(
        track,
        schedule=new,
        focus=step.focus,
        goals=kept if step.goals is None else step.goals,
        accepted=False,
    )


def _accept_formulation(track: _Track, step: Step) -> _Track:
    if not track.focus:
        raise _refuse(
            step.kind, track.state, "there is no focus to accept yet: agree one with change_focus"
        )
    if track.accepted and track.state in _AGREED_PHASES:
        raise _refuse(step.kind, track.state, "the formulation is already accepted")
    return attrs.evolve(track, accepted=True)


def _end(track: _Track, step: Step, ended: State) -> _Track:
    when = _given(step.date)
    if track.last_date is not None and when < track.last_date:
        raise _refuse(step.kind, track.state, f"{when} is before {track.last_date}")
    first = track.schedule.dates[0]
    if track.last_date is None and when < first:
        # Nothing held yet: a course cannot end before its first planned session.
        raise _refuse(step.kind, track.state, f"{when} is before the first session ({first})")
    return attrs.evolve(track, ended=ended, last_date=when)


def _terminate(track: _Track, step: Step) -> _Track:
    return _end(track, step, State.CLOSED)


def _drop_out(track: _Track, step: Step) -> _Track:
    return _end(track, step, State.DROPPED)


def _start_maintenance(track: _Track, step: Step) -> _Track:
    plan = _given(step.plan)
    if not plan.protocol.maintenance:
        raise _refuse(
            step.kind,
            track.state,
            f"{plan.protocol.name} is not a maintenance protocol (a new acute course is a new Course)",
        )
    if plan.focus != track.focus:
        raise _refuse(
            step.kind,
            track.state,
            f"its plan's focus ({_area_words(plan.areas)}) is not the course's "
            f"({_area_words(f.area for f in track.focus)}): a maintenance contract goes on with "
            "the course's focus (Frank et al. 1990, 1991)",
        )
    _after_last(track, plan.start, step.kind, "the first maintenance session")
    return attrs.evolve(
        track,
        done=track.contracts,
        schedule=_Schedule.of(plan),
        next_index=0,
        ended=None,
    )


_HANDLERS: Mapping[StepKind, Callable[[_Track, Step], _Track]] = MappingProxyType(
    {
        _K.HOLD: _hold,
        _K.MISS: _miss,
        _K.MOVE: _move,
        _K.RENEGOTIATE: _renegotiate,
        _K.CHANGE_FOCUS: _change_focus,
        _K.ACCEPT_FORMULATION: _accept_formulation,
        _K.TERMINATE: _terminate,
        _K.START_MAINTENANCE: _start_maintenance,
        _K.DROP_OUT: _drop_out,
    }
)


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
        ProtocolError: when ``steps`` hold an illegal step (with its index: ``steps[3]: ...``).
        CaseError: for bad data in a step (an unknown goal), at its path (``steps[3]....``).
        IptError: for fields of the wrong type; a contract whose first session comes before the
            case's assessment; a step past 9999-12-31 (at its path).
    """

    case: Case = attrs.field()
    contract: CoursePlan = attrs.field()
    initial_goals: tuple[Goal, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    steps: tuple[Step, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    _previous: Course | None = attrs.field(default=None, eq=False, repr=False, alias="_previous")
    _track: _Track = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        _checks.argument("case", self.case, Case)
        _checks.argument("contract", self.contract, CoursePlan)
        if not isinstance(self.steps, tuple):
            raise IptError("steps: must be a tuple of Step")
        goals: Any = self.initial_goals
        if not isinstance(goals, tuple) or not all(isinstance(g, Goal) for g in goals):
            raise IptError("initial_goals: must be a tuple of Goal")
        previous = self._previous
        if (
            previous is not None
            and self.steps
            and previous.contract is self.contract
            and previous.case is self.case
            and previous.initial_goals is self.initial_goals
            and previous.steps == self.steps[:-1]
        ):
            # One step after a course already replayed (each step of the API): that step alone.
            if not isinstance(self.steps[-1], Step):
                raise IptError("steps: must be a tuple of Step")
            self._refuse_bad_goals(len(self.steps) - 1)
            track = _apply(previous._track, self.steps[-1])
        else:
            if not all(isinstance(s, Step) for s in self.steps):
                raise IptError("steps: must be a tuple of Step")
            object.__setattr__(self, "_previous", None)
            self._refuse_bad_goals(0)
            _from_the_assessment(self.contract, self.case, "contract")
            track = _start_track(self.contract, self.initial_goals, self.case.assessed)
            for i, step in enumerate(self.steps):
                try:
                    track = _apply(track, step)
                except CaseError as exc:
                    where = f"steps[{i}]"
                    problems = [p.within(where) for p in exc.problems]
                    raise CaseError(problems, subject=exc.subject) from None
                except ProtocolError as exc:
                    bare = exc.redacted_message
                    raise ProtocolError(
                        f"steps[{i}]: {exc}",
                        redacted_message=None if bare is None else f"steps[{i}]: {bare}",
                    ) from None
                except IptError as exc:
                    where = f"steps[{i}]"
                    raise IptError(str(Problem.of_message(str(exc)).within(where))) from None
        object.__setattr__(self, "_track", track)

    def _refuse_bad_goals(self, first: int) -> None:
        """The rules of a course's goals (:func:`goal_problems`) for the goals agreed (when
        ``first`` is 0) and those of each new focus from step ``first`` on."""
        lists = [("initial_goals", self.initial_goals)] if first == 0 else []
        lists += [
            (f"steps[{i}].goals", step.goals)
            for i, step in enumerate(self.steps[first:], start=first)
            if step.goals
        ]
        problems = [
            p.within(where) for where, goals in lists for p in goal_problems(goals, self.case)
        ]
        if problems:
            raise CaseError(problems, subject="course")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle what the course is, not its replayed state nor the chain of its earlier values.
        return (_restore, (self.case, self.contract, self.initial_goals, self.steps))

    @classmethod
    def begin(
        cls,
        case: Case,
        plan: CoursePlan,
        *,
        formulation: Formulation | None = None,
        goals: Iterable[Goal] | None = None,
    ) -> Course:
        """A course of ``plan`` for ``case``: the focus is the plan's, the goals the formulation's.

        Each step of the pipeline takes what the previous one produced: :func:`~iptcore.plan_course`
        put the focus and its techniques into the plan, and :func:`~iptcore.formulate` wrote the
        goals; the course holds them as given and derives neither again.

        Args:
            case: the case.
            plan: the contracted plan (:func:`~iptcore.plan_course`); its focus may be empty while
                none is agreed (set it later with :meth:`change_focus`).
            formulation: the formulation offered to the patient; its goals become the course's.
                Its focus must be the plan's.
            goals: the goals, for a caller that keeps them apart from a formulation; not with
                ``formulation``.

        Raises:
            IptError: when the formulation's focus and the plan's disagree; a plan whose first
                session is before the case's assessment; bad input.
        """
        _checks.argument("case", case, Case)
        _checks.argument("plan", plan, CoursePlan)
        _from_the_assessment(plan, case, "plan")
        chosen = _given_goals(formulation, goals, plan.areas, "plan: its focus") or ()
        _check_goals(chosen, case, "goals" if formulation is None else "formulation.goals", "goals")
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
        if len(self.steps) >= DEFAULT_LIMITS.max_steps:  # what the course file holds
            raise IptError(f"steps: {DEFAULT_LIMITS.steps_over(len(self.steps) + 1)}")
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
        date: date | str | None = None,
        measures: object = (),
        techniques: Iterable[str] = (),
        tasks: Iterable[str] = (),
        other_techniques: Iterable[str] = (),
        homework: str = "",
        notes: str = "",
        goals: Mapping[str, str] | None = None,
        catalogue: Catalogue | None = None,
    ) -> Course:
        """The course with the next session held, and what was done in it.

        Args:
            date: when it was held (a :class:`datetime.date` or its ISO text, as every date
                argument of a course); its planned date by default. It must come after the last
                session and before the next one planned.
            measures: the measures taken: ``{"phq9": [items...]}``, or :class:`~iptcore.Measure`
                values of that date.
            techniques: the ids of the techniques used (checked against ``catalogue``).
            tasks: the ids of the protocol's phase tasks done (:attr:`Protocol.task_ids
                <iptcore.Protocol.task_ids>`: ``"sick_role"``, ``"inventory"``, ...,
                ``"raise_end"``).
            other_techniques: techniques of other models used, by name (``"cognitive
                restructuring"``): :mod:`iptcore.fidelity` reports them as drift.
            homework: the work-at-home task set, as free text.
            notes: free text (:func:`iptcore.deidentify.strip_course_text` drops it).
            goals: goal id -> new status (the :class:`~iptcore.GoalStatus` words).

        Raises:
            ProtocolError: no session is due (a session after the last one needs
                :meth:`start_maintenance`); the last initial session without a focus; a date out
                of order.
            CaseError: an unknown technique or goal; a measure that does not fit its instrument
                (each with the argument's path, such as ``techniques[1]`` or
                ``measures.phq9.items``); a total alone (a measure keeps its items).
            IptError: an argument of the wrong type; a date that is not a date.
        """
        upcoming = self._due(StepKind.HOLD)
        when = upcoming.date if date is None else a_date(date, "date")
        done = _names(tasks, "tasks")
        unknown = _unknown_task(self._track.schedule.protocol, done)
        if unknown is not None:
            raise unknown
        changes = _goal_status(goals)
        known = [g.id for g in self.goals]
        unknown_goals = [
            Problem(
                path=f"goals[{gid!r}]",
                message=_no_goal(known),
                redacted_path=f"goals{HIDDEN_KEY}",
                redacted_message="names no goal of the course",
            )
            for gid, _status in changes
            if gid not in known
        ]
        # Every problem of the measures, the techniques and the goals at once.
        problems: list[Problem] = []
        try:
            measured = _measures(measures, when)
        except CaseError as exc:
            problems.extend(exc.problems)
        try:
            ids = _technique_ids(techniques, catalogue)
        except CaseError as exc:
            problems.extend(exc.problems)
        problems.extend(unknown_goals)
        if problems:
            raise CaseError(problems, subject="session")
        return self._then(
            Step(
                kind=StepKind.HOLD,
                number=upcoming.number,
                date=when,
                measures=measured,
                techniques=ids,
                tasks=done,
                other_techniques=_names(other_techniques, "other_techniques"),
                homework=_words(homework, "homework"),
                notes=_words(notes, "notes"),
                goal_status=changes,
            )
        )

    def miss(self, *, reason: str) -> Course:
        """The course with the next session missed, rescheduled per the protocol's ``on_miss``.

        By default (``keep_count``) the session is made up one cadence step later and the end moves;
        with ``keep_end`` it is lost, if the shorter course is still a legal one.
        """
        upcoming = self._due(StepKind.MISS)
        why = _words(reason, "reason")
        return self._then(Step(kind=StepKind.MISS, number=upcoming.number, reason=why))

    def move(self, *, to: date | str, shift_rest: bool = False, reason: str = "") -> Course:
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
                to=a_date(to, "to"),
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
        formulation: Formulation | None = None,
        goals: Iterable[Goal] | None = None,
        catalogue: Catalogue | None = None,
        per_area: int | None = DEFAULT_PER_AREA,
    ) -> Course:
        """The course with a new focus (legal in the initial phase only [COMP]).

        ``focus`` is what :func:`~iptcore.plan_course` takes as its focus (a classification, areas,
        findings). The goals are those given, as ``goals`` or as the revised ``formulation``'s
        (whose focus must be the new one); with neither, the current goals of the areas kept.
        """
        legal_or_raise(StepKind.CHANGE_FOCUS, self.state)
        areas = focus_areas(focus)
        if not areas:
            raise IptError("focus: name at least one problem area")
        chosen = _given_goals(
            formulation, goals, tuple(f.area for f in areas), "formulation: the new focus"
        )
        if chosen is not None:
            where = "goals" if formulation is None else "formulation.goals"
            _check_goals(chosen, self.case, where, "goals")
        ids = lookup_techniques(areas, self._track.schedule.protocol, catalogue, per_area=per_area)
        return self._then(
            Step(
                kind=StepKind.CHANGE_FOCUS,
                focus=areas,
                techniques=ids,
                goals=chosen,
                reason=_words(reason, "reason"),
            )
        )

    def accept_formulation(self, *, revision: str = "") -> Course:
        """The course with the formulation accepted by the patient, or revised together and then
        accepted (``revision`` says how, in words).

        The formulation is offered, not imposed: it is "explicitly accepted by the patient" before
        the middle phase [MARKOWITZ-SWARTZ2007], so holding a middle or termination session
        without this step raises :class:`~iptcore.ProtocolError`. Legal in the engagement and
        initial phases (again, for a revision), and once in the middle or termination phase when
        it is still missing (the last initial session was missed); a :meth:`change_focus` needs
        it again.
        """
        legal_or_raise(StepKind.ACCEPT_FORMULATION, self.state)
        return self._then(
            Step(kind=StepKind.ACCEPT_FORMULATION, notes=_words(revision, "revision"))
        )

    @property
    def formulation_accepted(self) -> bool:
        """Whether the patient has accepted the formulation of the current focus."""
        return self._track.accepted

    def terminate(self, *, date: date | str | None = None, reason: str = "") -> Course:
        """The course closed: legal after the last session (or during maintenance).

        Termination cannot be skipped: before the last session this is a
        :class:`~iptcore.ProtocolError`; renegotiate a shorter contract or record :meth:`drop_out`.
        """
        legal_or_raise(StepKind.TERMINATE, self.state)
        when = self._track.last_date if date is None else a_date(date, "date")
        return self._then(
            Step(
                kind=StepKind.TERMINATE,
                date=when or self._track.schedule.dates[-1],
                reason=_words(reason, "reason"),
            )
        )

    def drop_out(self, *, reason: str, date: date | str | None = None) -> Course:
        """The course stopped by the patient before its end (``date`` by default the last session's)."""
        legal_or_raise(StepKind.DROP_OUT, self.state)
        when = self._track.last_date if date is None else a_date(date, "date")
        why = _words(reason, "reason")
        return self._then(
            Step(kind=StepKind.DROP_OUT, date=when or self._track.schedule.dates[0], reason=why)
        )

    def start_maintenance(
        self,
        *,
        start: date | str,
        sessions: int | None = None,
        protocol: object = "maintenance",
        skip: Iterable[date | str] = (),
        reason: str = "",
        catalogue: Catalogue | None = None,
        per_area: int | None = DEFAULT_PER_AREA,
    ) -> Course:
        """The course with a maintenance contract after its last session (IPT-M, monthly by default).

        A session after the last one needs this contract (Frank et al. 1990, 1991); the focus goes
        on. The plan is :func:`~iptcore.plan_course`'s of the course's focus, its techniques
        looked up in ``catalogue`` with ``per_area``.
        """
        legal_or_raise(StepKind.START_MAINTENANCE, self.state)
        plan = plan_course(
            protocol,  # type: ignore[arg-type]
            start=start,
            sessions=sessions,
            skip=skip,
            focus=self.focus,
            catalogue=catalogue,
            per_area=per_area,
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


def _from_the_assessment(plan: CoursePlan, case: Case, name: str) -> None:
    """Refuse a contract whose first session comes before the case's assessment, naming it."""
    if plan.start < case.assessed:
        raise IptError(
            f"{name}: its first session, {plan.start}, is before the case's assessment, "
            f"{case.assessed}; plan the course from the assessment on"
        )


def _restore(
    case: Case, contract: CoursePlan, goals: tuple[Goal, ...], steps: tuple[Step, ...]
) -> Course:
    return Course(case=case, contract=contract, initial_goals=goals, steps=steps)


def _words(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise IptError(
            f"{name}: must be a string, got {value!r}",
            redacted_message=f"{name}: must be a string, got {_checks.kind_of(value)}",
        )
    return value


def _no_goal(known: list[str]) -> str:
    return f"no such goal; the goals are {known}"


#: The redacted form of a refusal whose raiser gave none: its message may quote the input.
_WITHHELD = "is refused (the reason is withheld from the redacted form: it may quote the input)"


def _within(problem: Problem, where: str, hidden: str | None) -> Problem:
    """``problem`` seen from the session argument ``where``; ``hidden`` is ``where`` with the
    input's own key hidden, where it holds one."""
    located = problem.within(where)
    if hidden is None:
        return located
    inner = problem.path if problem.redacted_path is None else problem.redacted_path
    return attrs.evolve(located, redacted_path=Problem(path=inner, message="").within(hidden).path)


def _session_problem(
    path: str, message: str, *, redacted: str | None, redacted_path: str | None = None
) -> Problem:
    """A problem of an argument to a session (an unknown id, a measure that does not fit), at the
    argument's path, as for a bad case. ``redacted`` is the message with nothing from the input
    (``None``: the reason is withheld), ``redacted_path`` the path with the input's own key
    hidden, where it holds one."""
    bare = _WITHHELD if redacted is None else redacted
    return Problem(path=path, message=message, redacted_path=redacted_path, redacted_message=bare)


def _session_measures(measures: tuple[Measure, ...], when: date) -> None:
    """The measures of a session held on ``when``: of that day, and each one that can be scored
    (a total alone is no measure, nor one missing more items than its proration allows)."""
    for i, measure in enumerate(measures):
        if measure.date != when:
            raise IptError(
                f"measures[{i}].date: is {measure.date}, not the session's {when}",
                redacted_message=f"measures[{i}].date: is not the session's date",
            )
        try:
            score(measure.instrument, measure.items)
        except IptError as exc:  # a Measure is checked when made: only scoring itself can refuse
            bare = exc.redacted_message
            raise IptError(
                f"measures[{i}]: {exc}",
                redacted_message=f"measures[{i}]: {_WITHHELD if bare is None else bare}",
            ) from None


def _measures(value: object, when: date) -> tuple[Measure, ...]:
    """The measures of a session held on ``when``; every problem of them at once, as a
    :class:`CaseError` of subject ``session``."""
    items: list[tuple[str, object]] = []
    problems: list[Problem] = []
    if isinstance(value, Mapping):
        items = [(str(key), answers) for key, answers in value.items()]
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        for i, m in enumerate(value):
            if not isinstance(m, Measure):
                problems.append(
                    _session_problem(
                        f"measures[{i}]",
                        f"must be a Measure, got {m!r}",
                        redacted=f"must be a Measure, got {_checks.kind_of(m)}",
                    )
                )
            elif m.date != when:
                problems.append(
                    _session_problem(
                        f"measures[{i}]",
                        f"is dated {m.date}, not the session's {when}",
                        redacted="is not dated the session's date",
                    )
                )
            else:
                items.append((m.instrument.value, m.items))
    else:
        raise IptError(
            f"measures: must be a mapping of instrument to items, got {value!r}",
            redacted_message="measures: must be a mapping of instrument to items",
        )
    out = []
    for instrument, answers in items:
        where = f"measures.{instrument}"
        # An instrument of the library is a word of the format; any other key is the input's own.
        hidden = None if instrument in Instrument._value2member_map_ else f"measures{HIDDEN_KEY}"
        if not isinstance(answers, list | tuple):
            problems.append(
                _session_problem(
                    where,
                    "must be a list of the item answers (integers, null for one not answered), "
                    f"got {answers!r}; a total alone cannot be recorded: a measure keeps its items, "
                    "from which iptcore scores the total, prorates a missing answer and flags a "
                    "risk item (PHQ-9 item 9)",
                    redacted="must be a list of the item answers; a total alone cannot be recorded",
                    redacted_path=hidden,
                )
            )
            continue
        try:
            measure = Measure(date=when, instrument=instrument, items=list(answers))  # type: ignore[arg-type]
            score(measure.instrument, measure.items)  # a measure that cannot be scored is refused
        except CaseError as exc:
            problems.extend(_within(p, where, hidden) for p in exc.problems)
        except IptError as exc:  # a score refused: the instrument is one of the library's
            problems.append(_session_problem(where, str(exc), redacted=exc.redacted_message))
        else:
            out.append(measure)
    if problems:
        raise CaseError(problems, subject="session")
    return tuple(out)


def _technique_ids(value: Iterable[str], catalogue: Catalogue | None) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise IptError(
            f"techniques: must be a list of technique ids, got {value!r}",
            redacted_message="techniques: must be a list of technique ids",
        )
    ids = tuple(value)
    problems = [p.within("techniques") for p in unknown_techniques(ids, catalogue)]
    if problems:
        raise CaseError(problems, subject="session")
    return ids


def unknown_techniques(ids: Iterable[object], catalogue: Catalogue | None = None) -> list[Problem]:
    """The ids of ``ids`` that name no technique of ``catalogue`` (:data:`iptcore.TECHNIQUES` by
    default), each a problem at its index (``[1]``): what :meth:`Course.hold` refuses, and
    :func:`iptcore.load_course` in a file.

    >>> [p.path for p in unknown_techniques(["clarification", "mind_reading", "role_playing"])]
    ['[1]']
    """
    chosen = TECHNIQUES if catalogue is None else catalogue
    return [
        Problem(
            path=f"[{i}]",
            message=f"no technique {tid!r} in the catalogue "
            "(a technique of another model goes in other_techniques)",
            redacted_message="names no technique of the catalogue",
        )
        for i, tid in enumerate(ids)
        if not isinstance(tid, str) or tid not in chosen
    ]


def _unknown_task(protocol: Protocol, tasks: tuple[str, ...]) -> IptError | None:
    """The refusal of ``tasks`` when they are not all the protocol's task ids, or ``None``."""
    known = protocol.task_ids
    for i, task in enumerate(tasks):
        if task not in known:
            words = ", ".join(sorted(known))
            return IptError(
                f"tasks[{i}]: {task!r} is not a task of {protocol.name} ({words})",
                redacted_message=f"tasks[{i}]: is not a task of {protocol.name} ({words})",
            )
    return None


def _names(value: Iterable[str], name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise IptError(
            f"{name}: must be a list of strings, got {value!r}",
            redacted_message=f"{name}: must be a list of strings",
        )
    return tuple(value)


def _goal_status(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise IptError(
            f"goals: must be a mapping of goal id to status, got {value!r}",
            redacted_message="goals: must be a mapping of goal id to status",
        )

    out = []
    for gid, status in value.items():
        if not isinstance(status, str) or status not in GoalStatus._value2member_map_:
            words = ", ".join(s.value for s in GoalStatus)
            raise IptError(
                f"goals[{gid!r}]: must be one of {words}, got {status!r}",
                redacted_message=f"goals{HIDDEN_KEY}: must be one of {words}",
            )
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
    or PHQ-9 < 5 [CASACALENDA2002; LOWE2004].
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


_INTAKE = "the assessment"


def _progress(course: Course) -> Progress:
    dated: list[tuple[str, Measure]] = [(_INTAKE, m) for m in course.case.measures]
    for r in course.records:
        dated += [(f"session {r.number}", m) for m in r.measures]
    warnings: list[str] = []
    series: list[tuple[date, Score]] = []
    risk_answered = False
    for where, measure in dated:
        try:
            scored = score(measure.instrument, measure.items)
        except IptError as exc:
            warnings.append(
                f"{where} ({measure.date}): {measure.instrument.value} not scored: {exc}"
            )
            continue
        series.append((measure.date, scored))
        if where == _INTAKE:  # its flags are the screening's (below)
            continue
        for flag in instrument_spec(scored.instrument).flags:
            if flag.name == "suicide_risk" and flag.not_assessed not in scored.flags:
                risk_answered = True
            if flag.name in scored.flags:
                text = f"{flag.message} {flag.source}"
            elif flag.not_assessed in scored.flags:
                text = (
                    f"item {flag.item} was not answered: {flag.name.replace('_', ' ')} not assessed"
                )
            else:
                continue
            warnings.append(f"{where} ({measure.date}), {scored.instrument.value}: {text}")
    # The case's screening cautions come first, as classify and formulate carry them (the intake
    # measures' flags among them); a risk item answered in a session assesses what intake did not.
    cautions = [
        w
        for w in screen(course.case).warnings
        if not (risk_answered and w.startswith("suicide_risk_not_assessed"))
    ]
    warnings = cautions + warnings
    trajectories = track_scores(series)
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


def goal_problems(goals: Iterable[Goal], case: Case) -> list[Problem]:
    """Why ``goals`` cannot be the goals of a course of ``case``: every problem, at its index in
    the list (``[1].id``).

    A held session changes a goal's status by the goal's id, so the ids are distinct; a goal about
    a person (a death, a dispute: :func:`iptcore.goals.goals_for`) names one of the case's people.
    What :meth:`Course.begin`, :meth:`Course.change_focus`, ``Course(...)`` and
    :func:`iptcore.load_course` refuse alike.
    """
    people = {p.id for p in case.people}
    seen: dict[str, int] = {}
    problems = []
    for j, goal in enumerate(goals):
        if goal.id in seen:
            message = f"{goal.id!r} is the id of the goal at [{seen[goal.id]}] too"
            problems.append(
                Problem(
                    path=f"[{j}].id",
                    message=message,
                    redacted_message="is the id of another goal too",
                )
            )
        seen.setdefault(goal.id, j)
        if goal.person is not None and goal.person not in people:
            message = f"names nobody: no person {goal.person!r}"
            problems.append(
                Problem(
                    path=f"[{j}].person",
                    message=message,
                    redacted_message="names nobody of the case",
                )
            )
    return problems


def _check_goals(goals: Iterable[Goal], case: Case, where: str, subject: str) -> None:
    problems = [p.within(where) for p in goal_problems(goals, case)]
    if problems:
        raise CaseError(problems, subject=subject)


def _area_words(areas: Iterable[ProblemArea]) -> str:
    return ", ".join(a.value for a in areas) or "none"


def _given_goals(
    formulation: object, goals: object, focus: tuple[ProblemArea, ...], where: str
) -> tuple[Goal, ...] | None:
    """The goals given, as a formulation's (whose focus must be ``focus``) or as goals; ``None``
    when neither is given. ``where`` names the side that must agree, for the message."""
    if formulation is None:
        return None if goals is None else _checks.tuple_from(Goal, "goals", goals)
    if goals is not None:
        raise IptError("goals: give the goals or a formulation, not both")
    formulation = _checks.argument("formulation", formulation, Formulation)
    if formulation.focus != focus:
        raise IptError(
            f"{where} ({_area_words(focus)}) is not the formulation's "
            f"({_area_words(formulation.focus)})"
        )
    return formulation.goals
