"""The course's state machine as a table, in the spirit of h11's ``_state.py``: states, steps, replay.

A course's state is the phase of the next session due, or how it ended (:class:`State`). Which steps
(:class:`StepKind`) are legal in which state, and the states each may lead to, is one table,
:data:`TRANSITIONS`, read by :func:`legal_or_raise` for every step and drawn by
:func:`state_diagram`. A step taken is a :class:`Step` value and a session held or missed a
:class:`SessionRecord`; replaying the steps one at a time, by one pure function from what the steps
so far add up to and the next step to what they add up to after it, gives the plan as it now
stands, the sessions held and missed, and the state. An illegal step raises
:class:`~iptcore.ProtocolError` and leaves what came before it untouched.

The rules that need more than the state sit beside the code that enforces them, each with its source:

- "the time frame is fixed at the outset and any change is renegotiated explicitly" [COMP; ISIPT];
- the focus is agreed in the initial phase (formulation and contract, IPT_REFERENCE.md s. 2), which
  ends with "the interpersonal formulation around one problem area, explicitly accepted by the
  patient" (Markowitz & Swartz 2007);
- termination cannot be skipped, and the end is raised "at least two to four sessions before it
  occurs" [COMP];
- a missed session is made up one cadence step later, or lost with the end kept (the protocol's
  ``on_miss``): the contract fixes the count [COMP];
- a session after the last one needs a maintenance contract (IPT-M; Frank et al. 1990, 1991).

:class:`~iptcore.course.Course`, the value users hold, is built on this module, and
``iptcore.course`` re-exports its public names: import them from there.

>>> [kind.value for kind in TRANSITIONS[State.FINISHED]]
['terminate', 'start_maintenance']
>>> legal_or_raise(StepKind.HOLD, State.CLOSED)
Traceback (most recent call last):
...
iptcore.errors.ProtocolError: cannot hold in state closed: a session after the last one needs a maintenance contract: start_maintenance first (Frank et al. 1990, 1991)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from iptcore import checks
from iptcore.case import Measure
from iptcore.errors import IptError, ProtocolError
from iptcore.formulation import Goal, GoalStatus
from iptcore.plan import CoursePlan, FocusArea, PlannedSession, build_sessions
from iptcore.protocols import MIN_TERMINATION_NOTICE, MissRule, schedule
from iptcore.terms import Phase

__all__ = [
    "START_STATES",
    "TRANSITIONS",
    "SessionRecord",
    "SessionStatus",
    "State",
    "Step",
    "StepKind",
    "legal_or_raise",
    "state_diagram",
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
    TERMINATE = "terminate"
    START_MAINTENANCE = "start_maintenance"
    DROP_OUT = "drop_out"


_S, _K = State, StepKind


def _row(**steps: Iterable[State]) -> Mapping[StepKind, frozenset[State]]:
    return MappingProxyType({StepKind(k): frozenset(v) for k, v in steps.items()})


#: The legal steps in each state and the states they may lead to (the data decides which). Read by
#: :meth:`Course` for every step and drawn by :func:`state_diagram`.
TRANSITIONS: Mapping[State, Mapping[StepKind, frozenset[State]]] = MappingProxyType(
    {
        _S.ENGAGEMENT: _row(
            hold=[_S.INITIAL],
            miss=[_S.ENGAGEMENT],
            move=[_S.ENGAGEMENT],
            renegotiate=[_S.ENGAGEMENT],
            change_focus=[_S.ENGAGEMENT],
            drop_out=[_S.DROPPED],
        ),
        # The focus is agreed in the initial phase, with the formulation (IPT_REFERENCE.md s. 2).
        _S.INITIAL: _row(
            hold=[_S.INITIAL, _S.MIDDLE, _S.TERMINATION],
            miss=[_S.INITIAL],
            move=[_S.INITIAL],
            renegotiate=[_S.INITIAL],
            change_focus=[_S.INITIAL],
            drop_out=[_S.DROPPED],
        ),
        _S.MIDDLE: _row(
            hold=[_S.MIDDLE, _S.TERMINATION],
            miss=[_S.MIDDLE, _S.TERMINATION],
            move=[_S.MIDDLE],
            renegotiate=[_S.MIDDLE, _S.TERMINATION],
            drop_out=[_S.DROPPED],
        ),
        _S.TERMINATION: _row(
            hold=[_S.TERMINATION, _S.FINISHED],
            miss=[_S.TERMINATION],
            move=[_S.TERMINATION],
            renegotiate=[_S.TERMINATION, _S.MIDDLE],
            drop_out=[_S.DROPPED],
        ),
        _S.MAINTENANCE: _row(
            hold=[_S.MAINTENANCE, _S.FINISHED],
            miss=[_S.MAINTENANCE],
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
            "(IPT_REFERENCE.md s. 2)"
            for s in (_S.MIDDLE, _S.TERMINATION, _S.MAINTENANCE, _S.FINISHED, _S.CLOSED)
        },
        **{
            (_K.START_MAINTENANCE, s): "a maintenance contract follows the last session of a course"
            for s in (_S.ENGAGEMENT, _S.INITIAL, _S.MIDDLE, _S.TERMINATION, _S.MAINTENANCE)
        },
    }
)


def state_diagram(fmt: str = "mermaid") -> str:
    """The state diagram of :data:`TRANSITIONS` as Mermaid (``"mermaid"``) or Graphviz (``"dot"``).

    >>> text = state_diagram()
    >>> text.splitlines()[0], "middle --> termination: hold, miss, renegotiate" in text
    ('stateDiagram-v2', True)
    """
    edges: dict[tuple[State, State], list[str]] = {}
    for source, row in TRANSITIONS.items():
        for kind, targets in row.items():
            for target in sorted(targets, key=list(State).index):
                edges.setdefault((source, target), []).append(kind.value)
    ends = [s for s, row in TRANSITIONS.items() if not row or set(row) == {_K.START_MAINTENANCE}]
    if fmt == "mermaid":
        lines = ["stateDiagram-v2"]
        lines += [f"    [*] --> {s.value}" for s in State if s in START_STATES]
        lines += [f"    {a.value} --> {b.value}: {', '.join(k)}" for (a, b), k in edges.items()]
        lines += [f"    {s.value} --> [*]" for s in ends]
    elif fmt == "dot":
        lines = ["digraph course {", "    rankdir=LR;", '    start [shape=point, label=""];']
        lines += [f"    start -> {s.value};" for s in State if s in START_STATES]
        lines += [
            f'    {a.value} -> {b.value} [label="{", ".join(k)}"];' for (a, b), k in edges.items()
        ]
        lines.append("}")
    else:
        raise IptError(f"fmt: must be 'mermaid' or 'dot', got {fmt!r}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Steps and records: values, as kept in the course and in its JSON
# --------------------------------------------------------------------------------------------


def _to_kind(value: Any) -> Any:
    return checks.word(StepKind, value)


_TEXT = checks.text(form=checks.COLON)
_DAY = checks.instance_of(date, "a datetime.date", form=checks.COLON, optional=True)
_COUNT = attrs.validators.optional(checks.whole(0, must="a whole number", form=checks.COLON))


# The fields each kind of step needs; every other field keeps its default.
_NEEDS: Mapping[StepKind, frozenset[str]] = MappingProxyType(
    {
        _K.HOLD: frozenset({"number", "date"}),
        _K.MISS: frozenset({"number"}),
        _K.MOVE: frozenset({"number", "to"}),
        _K.RENEGOTIATE: frozenset({"sessions"}),
        _K.CHANGE_FOCUS: frozenset({"focus"}),
        _K.TERMINATE: frozenset({"date"}),
        _K.START_MAINTENANCE: frozenset({"plan"}),
        _K.DROP_OUT: frozenset({"date"}),
    }
)
_MAY: Mapping[StepKind, frozenset[str]] = MappingProxyType(
    {
        _K.HOLD: frozenset({"measures", "techniques", "notes", "goal_status"}),
        _K.MISS: frozenset({"reason"}),
        _K.RENEGOTIATE: frozenset({"reason"}),
        _K.DROP_OUT: frozenset({"reason"}),
        _K.MOVE: frozenset({"shift_rest", "reason"}),
        _K.CHANGE_FOCUS: frozenset({"techniques", "goals", "reason"}),
        _K.TERMINATE: frozenset({"reason"}),
        _K.START_MAINTENANCE: frozenset({"reason"}),
    }
)


@attrs.frozen(kw_only=True)
class Step:
    """One step of a course, as kept in :attr:`Course.steps` and in the course file.

    ``kind`` says which fields it has (the others keep their defaults): ``hold`` a ``number``, a
    ``date``, the ``measures`` taken, the ``techniques`` used, ``notes`` and ``goal_status`` changes
    (goal id, status); ``miss`` a ``number`` and a ``reason``; ``move`` a ``number``, the date moved
    ``to`` and ``shift_rest``; ``renegotiate`` the new count of ``sessions`` and a ``reason``;
    ``change_focus`` the ``focus``, its ``techniques`` (looked up when the step was taken) and maybe
    new ``goals``; ``terminate`` and ``drop_out`` a ``date``; ``start_maintenance`` the ``plan``.
    """

    kind: StepKind = attrs.field(converter=_to_kind)
    number: int | None = attrs.field(default=None, validator=_COUNT)
    date: date | None = attrs.field(default=None, validator=_DAY)
    to: _Date | None = attrs.field(default=None, validator=_DAY)
    shift_rest: bool = False
    sessions: int | None = attrs.field(default=None, validator=_COUNT)
    measures: tuple[Measure, ...] = attrs.field(default=(), converter=checks.as_tuple)
    techniques: tuple[str, ...] = attrs.field(default=(), converter=checks.as_tuple)
    notes: str = attrs.field(default="", validator=_TEXT)
    goal_status: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=checks.as_tuple)
    focus: tuple[FocusArea, ...] = attrs.field(default=(), converter=checks.as_tuple)
    goals: tuple[Goal, ...] | None = attrs.field(default=None, converter=checks.as_tuple)
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


class SessionStatus(StrEnum):
    """What became of a planned session."""

    HELD = "held"
    MISSED = "missed"


@attrs.frozen(kw_only=True)
class SessionRecord:
    """A session as it happened: held or missed, under which contract (0 = the first)."""

    contract: int
    number: int
    date: date
    phase: Phase
    status: SessionStatus
    measures: tuple[Measure, ...] = ()
    techniques: tuple[str, ...] = ()
    notes: str = ""
    reason: str = ""


# --------------------------------------------------------------------------------------------
# Replaying steps: one pure function from (track, step) to the next track
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Track:
    """What the steps so far add up to."""

    contracts: tuple[CoursePlan, ...]
    focus: tuple[FocusArea, ...]
    goals: tuple[Goal, ...]
    records: tuple[SessionRecord, ...] = ()
    next_index: int = 0  # index in plan.sessions of the next session due
    last_date: date | None = None
    ended: State | None = None  # CLOSED or DROPPED

    @property
    def plan(self) -> CoursePlan:
        return self.contracts[-1]

    @property
    def next(self) -> PlannedSession | None:
        sessions = self.plan.sessions
        return sessions[self.next_index] if self.next_index < len(sessions) else None

    @property
    def state(self) -> State:
        if self.ended is not None:
            return self.ended
        upcoming = self.next
        return State.FINISHED if upcoming is None else State(upcoming.phase.value)


def _start_track(contract: CoursePlan, goals: tuple[Goal, ...]) -> _Track:
    return _Track(contracts=(contract,), focus=contract.focus, goals=goals)


def _refuse(kind: StepKind, state: State, why: str) -> ProtocolError:
    return ProtocolError(f"cannot {kind.value.replace('_', ' ')} in state {state.value}: {why}")


def legal_or_raise(kind: StepKind, state: State) -> None:
    """Raise :class:`~iptcore.ProtocolError` unless ``kind`` is legal in ``state`` (the table)."""
    if kind not in TRANSITIONS[state]:
        hint = _HINTS.get((kind, state), f"the legal steps are {_legal_words(state)}")
        raise _refuse(kind, state, hint)


def _legal_words(state: State) -> str:
    return ", ".join(k.value for k in TRANSITIONS[state]) or "none (the course has ended)"


def _after_last(track: _Track, when: date, kind: StepKind, what: str) -> None:
    if track.last_date is not None and when <= track.last_date:
        raise _refuse(kind, track.state, f"{what} {when} is not after {track.last_date}")


def _replan(
    track: _Track,
    dates: list[date],
    *,
    keep: int,
    notice_from: int,
    focus: tuple[FocusArea, ...] | None = None,
    techniques: tuple[str, ...] | None = None,
) -> CoursePlan:
    """The current plan with new dates (and maybe a new focus) for the sessions from ``keep`` on."""
    plan = track.plan
    chosen = plan.focus if focus is None else focus
    ids = plan.techniques if techniques is None else techniques
    built = build_sessions(
        plan.protocol, dates, focus=chosen, techniques=ids, notice_from=notice_from
    )
    sessions = plan.sessions[:keep] + built[keep:]
    return attrs.evolve(plan, sessions=sessions, focus=chosen, techniques=ids)


def _dates_notice(track: _Track) -> int:
    """``notice_from`` for a change of dates only: re-raise the end only if it is still ahead."""
    plan, upcoming = track.plan, track.next
    notice = plan.protocol.notice_session(plan.count)
    if upcoming is None or notice is None or notice >= upcoming.number:
        return 0
    return plan.count + 1


def _check_new_count(track: _Track, sessions: int, kind: StepKind) -> None:
    """The rules a contract of ``sessions`` must keep, given the sessions already behind it."""
    plan, state = track.plan, track.state
    protocol = plan.protocol
    protocol.check_count(sessions)
    upcoming = track.next
    first_open = upcoming.number if upcoming is not None else plan.count + 1
    if sessions < first_open:
        raise _refuse(kind, state, f"{first_open - 1} sessions are already behind the course")
    for s in plan.sessions[: track.next_index]:
        if s.number and protocol.phase_of(s.number, sessions) is not s.phase:
            raise _refuse(
                kind,
                state,
                f"session {s.number}, already behind the course, would become a "
                f"{protocol.phase_of(s.number, sessions).value} session",
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
    new = _HANDLERS[step.kind](track, step)
    if new.state not in TRANSITIONS[state][step.kind]:  # a bug in the table or a handler
        raise AssertionError(f"{step.kind} led from {state} to {new.state}")
    return new


def _given(value: _T | None) -> _T:
    if value is None:  # a Step always has the fields its kind needs
        raise AssertionError("a step lacks a field its kind needs")
    return value


def _next(track: _Track, step: Step) -> PlannedSession:
    upcoming = track.next
    if upcoming is None or step.number != upcoming.number:
        raise _refuse(step.kind, track.state, f"session {step.number} is not the next session due")
    return upcoming


def _with_plan(track: _Track, plan: CoursePlan, **changes: Any) -> _Track:
    return attrs.evolve(track, contracts=(*track.contracts[:-1], plan), **changes)


def _record(
    track: _Track, session: PlannedSession, status: SessionStatus, **more: Any
) -> tuple[SessionRecord, ...]:
    record = SessionRecord(
        contract=len(track.contracts) - 1,
        number=session.number,
        date=more.pop("date", session.date),
        phase=session.phase,
        status=status,
        **more,
    )
    return (*track.records, record)


def _hold(track: _Track, step: Step) -> _Track:
    upcoming, when = _next(track, step), _given(step.date)
    _after_last(track, when, step.kind, "the date")
    sessions, index = track.plan.sessions, track.next_index
    following = sessions[index + 1] if index + 1 < len(sessions) else None
    if following is not None and when >= following.date:
        raise _refuse(
            step.kind,
            track.state,
            f"{when} is not before session {following.number} ({following.date}); "
            "move the later sessions first",
        )
    last_initial = following is None or following.phase is not Phase.INITIAL
    if upcoming.phase is Phase.INITIAL and last_initial and not track.focus:
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
            raise IptError(f"goals: no goal {unknown[0]!r}; the goals are {known}")

        goals = tuple(
            attrs.evolve(g, status=GoalStatus(changes[g.id])) if g.id in changes else g
            for g in goals
        )
    held = attrs.evolve(upcoming, date=when)
    plan = attrs.evolve(track.plan, sessions=(*sessions[:index], held, *sessions[index + 1 :]))
    records = _record(
        track,
        held,
        SessionStatus.HELD,
        measures=step.measures,
        techniques=step.techniques,
        notes=step.notes,
    )
    return _with_plan(
        track, plan, goals=goals, records=records, next_index=index + 1, last_date=when
    )


def _miss(track: _Track, step: Step) -> _Track:
    upcoming = _next(track, step)
    plan, index = track.plan, track.next_index
    protocol = plan.protocol
    dates = [s.date for s in plan.sessions]
    if protocol.on_miss is MissRule.KEEP_COUNT:
        # Made up one cadence step later, and the end moves: the contract fixes the count [COMP].
        anchor = plan.start.day
        later = protocol.cadence.after(upcoming.date, anchor_day=anchor)
        rest = schedule(
            protocol.cadence, later, len(dates) - index, skip=plan.skip, anchor_day=anchor
        )
        new = _replan(track, [*dates[:index], *rest], keep=index, notice_from=_dates_notice(track))
    else:
        _check_new_count(track, plan.count - 1, step.kind)
        new = _replan(
            track, dates[:index] + dates[index + 1 :], keep=index, notice_from=upcoming.number
        )
    records = _record(track, upcoming, SessionStatus.MISSED, reason=step.reason)
    return _with_plan(track, new, records=records, last_date=upcoming.date)


def _move(track: _Track, step: Step) -> _Track:
    upcoming = _next(track, step)
    to: date = _given(step.to)
    _after_last(track, to, step.kind, "the new date")
    plan, index = track.plan, track.next_index
    dates = [s.date for s in plan.sessions]
    if step.shift_rest:
        cadence = plan.protocol.cadence
        after = cadence.after(to, anchor_day=to.day)
        rest = schedule(cadence, after, len(dates) - index - 1, skip=plan.skip, anchor_day=to.day)
        dates = [*dates[:index], to, *rest]
    elif index + 1 < len(dates) and to >= dates[index + 1]:
        raise _refuse(
            step.kind,
            track.state,
            f"{to} is not before session {upcoming.number + 1} ({dates[index + 1]}); "
            "use shift_rest=True to move the later sessions too",
        )
    else:
        dates[index] = to
    return _with_plan(track, _replan(track, dates, keep=index, notice_from=_dates_notice(track)))


def _renegotiate(track: _Track, step: Step) -> _Track:
    plan, sessions = track.plan, _given(step.sessions)
    if not step.reason.strip():
        # "the time frame is fixed at the outset and any change is renegotiated explicitly"
        # [COMP; ISIPT]
        raise _refuse(step.kind, track.state, "a renegotiated contract needs its reason")
    if sessions == plan.count:
        raise _refuse(step.kind, track.state, f"the contract is already {sessions} sessions")
    _check_new_count(track, sessions, step.kind)
    protocol, anchor = plan.protocol, plan.start.day
    dates = [s.date for s in plan.sessions][: sessions + 1 - protocol.first_number]
    missing = sessions + 1 - protocol.first_number - len(dates)
    if missing > 0:
        after = protocol.cadence.after(dates[-1], anchor_day=anchor)
        dates += schedule(protocol.cadence, after, missing, skip=plan.skip, anchor_day=anchor)
    upcoming = _given(track.next)  # the table allows renegotiate only before the end
    new = _replan(track, dates, keep=track.next_index, notice_from=upcoming.number)
    return _with_plan(track, new)


def _change_focus(track: _Track, step: Step) -> _Track:
    dates = [s.date for s in track.plan.sessions]
    new = _replan(
        track,
        dates,
        keep=track.next_index,
        notice_from=_dates_notice(track),
        focus=step.focus,
        techniques=step.techniques,
    )
    areas = {f.area for f in step.focus}
    kept = tuple(g for g in track.goals if g.area in areas)
    return _with_plan(
        track, new, focus=step.focus, goals=kept if step.goals is None else step.goals
    )


def _end(track: _Track, step: Step, ended: State) -> _Track:
    when = _given(step.date)
    if track.last_date is not None and when < track.last_date:
        raise _refuse(step.kind, track.state, f"{when} is before {track.last_date}")
    if track.last_date is None and track.plan.sessions and when < track.plan.sessions[0].date:
        # Nothing held yet: a course cannot end before its first planned session.
        first = track.plan.sessions[0].date
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
    _after_last(track, plan.start, step.kind, "the first maintenance session")
    return attrs.evolve(track, contracts=(*track.contracts, plan), next_index=0, ended=None)


_HANDLERS: Mapping[StepKind, Callable[[_Track, Step], _Track]] = MappingProxyType(
    {
        _K.HOLD: _hold,
        _K.MISS: _miss,
        _K.MOVE: _move,
        _K.RENEGOTIATE: _renegotiate,
        _K.CHANGE_FOCUS: _change_focus,
        _K.TERMINATE: _terminate,
        _K.START_MAINTENANCE: _start_maintenance,
        _K.DROP_OUT: _drop_out,
    }
)
