"""Stateful tests of the course: random sequences of steps against a model.

Hypothesis drives a :class:`~hypothesis.stateful.RuleBasedStateMachine` through legal and illegal
steps (hold, miss, move, renegotiate, change focus, hold with measures and goal changes, terminate,
drop out, start maintenance). Beside the course it keeps a *model*: a few numbers that say what the
course should be (the protocol, the contracted count, the next session due, whether the course has
ended, whether a focus is agreed, the last date, the sessions behind it). Before each step the model
predicts whether the protocol allows it, from the rules as the sources state them (not from
``TRANSITIONS``, so that the table is checked too):

- a session is held, missed or moved, the contract renegotiated or the course dropped only while a
  session is due;
- "the time frame is fixed at the outset and any change is renegotiated explicitly" [COMP; ISIPT]:
  renegotiation needs a reason, a new count the protocol allows, and must keep the phase of every
  session already held;
- the end is raised "at least two to four sessions before it occurs" [COMP]: a new count leaves room
  for the notice at least two sessions before the end;
- the focus is agreed in the initial phase: a change of focus after it is refused, and the initial
  phase cannot end without one; the formulation is "explicitly accepted by the patient" before the
  middle phase [MARKOWITZ-SWARTZ2007]: no middle or termination session is held without the
  acceptance, a new focus needs it again, and it may be recorded late (once) when the last initial
  session was missed;
- a missed session is lost and the plan stays (keep_end, the default: "the time frame is fixed at
  the outset" [COMP; ISIPT]), or is made up a cadence step later (keep_count);
- termination cannot be skipped [COMP]: terminate only after the last session or in maintenance;
- a session after the last one needs a maintenance contract (Frank et al. 1990, 1991), which
  follows the last session;
- dates go forward: a session is held or moved after the last one and before the next planned;
- a course treats what was assessed: no session is held or moved to a day before the case's
  assessment (as no plan begins before it).

The invariants after every step: an illegal step raised ``ProtocolError`` (a bad argument
``IptError``) and the course is exactly what it was; the state is the model's; dates strictly
increase; the phases of the sessions held never go back (the state goes back from termination to
middle only by renegotiating a longer contract before any termination session is held); the
session count matches the contract; the history replays to the same course; the course
round-trips through JSON.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from iptcore import (
    PROTOCOLS,
    CaseError,
    Course,
    IptError,
    Phase,
    ProblemArea,
    ProtocolError,
    formulate,
    plan_course,
)
from iptcore.course import SessionStatus, State
from iptcore.courseio import dump_course, load_course
from iptcore.protocols import MIN_TERMINATION_NOTICE, MissRule, Protocol
from iptcore.rules import classify
from iptcore.vignettes import vignette

CASE = vignette("demo")  # fictional
RESULT = classify(CASE)
MONDAY = date(2026, 3, 9)

# The built-in acute protocols, and two variants users may define: the keep_count miss rule (a
# missed session is made up, the end moves) and an initial phase of four sessions (some services).
ACUTE: tuple[Protocol, ...] = (
    PROTOCOLS["ipt"],
    PROTOCOLS["ipt-b"],
    PROTOCOLS["ipt-a"],
    PROTOCOLS["group"],
    PROTOCOLS["ipc"],
    attrs.evolve(PROTOCOLS["ipc"], name="ipc-keep-count", on_miss=MissRule.KEEP_COUNT),
    attrs.evolve(PROTOCOLS["ipt"], name="ipt-keep-count", on_miss=MissRule.KEEP_COUNT),
    attrs.evolve(PROTOCOLS["ipt"], name="ipt-uk", initial_sessions=4),
)
_DUE = frozenset(
    {State.ENGAGEMENT, State.INITIAL, State.MIDDLE, State.TERMINATION, State.MAINTENANCE}
)
_PHASE_ORDER = {Phase.ENGAGEMENT: 0, Phase.INITIAL: 1, Phase.MIDDLE: 2, Phase.TERMINATION: 3}

PHQ9_ITEMS = st.lists(st.integers(0, 3), min_size=9, max_size=9)  # fictional answers
BAD_ITEMS = st.one_of(
    st.lists(st.integers(0, 3), min_size=8, max_size=8),  # one item short
    st.lists(st.integers(4, 9), min_size=9, max_size=9),  # out of range
)
DAYS = st.integers(-10, 12)
REASONS = st.sampled_from(["fictional reason", "", "   "])


def snapshot(course: Course) -> tuple[object, ...]:
    """Everything a course shows, as plain values: its file and every derived view."""
    return (
        json.dumps(dump_course(course), sort_keys=True),
        course.state,
        course.plan,
        course.contracts,
        course.records,
        course.goals,
        course.focus,
        course.next_session,
        course.legal_steps,
        len(course.history),
    )


@attrs.define
class Model:
    """What the course should be, in a few numbers."""

    protocol: Protocol
    count: int
    next_number: int
    focused: bool
    contract: int = 0
    maintenance: bool = False
    ended: State | None = None
    last_date: date | None = None  # of the last session held or missed, or of the end
    last_record: date | None = None  # of the last session held or missed
    accepted: bool = False  # the formulation of the current focus accepted by the patient
    assessed: date = CASE.assessed  # no session comes before the assessment
    lost: list[tuple[int, int]] = attrs.field(factory=list)  # (contract, number) missed and lost
    steps: int = 0
    records: list[tuple[int, int, Phase, SessionStatus]] = attrs.field(factory=list)

    def phase(self, number: int, count: int | None = None) -> Phase:
        """The phase of session ``number``: the protocol's phase boundaries [COMP; ISIPT]."""
        p, n = self.protocol, self.count if count is None else count
        if p.maintenance:
            return Phase.MAINTENANCE
        if number == 0:
            return Phase.ENGAGEMENT
        if number <= p.initial_sessions:
            return Phase.INITIAL
        if number > n - p.termination_sessions:
            return Phase.TERMINATION
        return Phase.MIDDLE

    @property
    def state(self) -> State:
        if self.ended is not None:
            return self.ended
        if self.next_number > self.count:
            return State.FINISHED
        return State(self.phase(self.next_number).value)

    @property
    def needs_acceptance(self) -> bool:
        """Whether the next session is a middle or termination one and the formulation is not
        accepted [MARKOWITZ-SWARTZ2007]."""
        return not self.accepted and self.state in (State.MIDDLE, State.TERMINATION)

    def in_order(self, day: date) -> bool:
        """Whether a session may fall on ``day``: after the last one, and not before the case
        was assessed."""
        return day >= self.assessed and (self.last_date is None or day > self.last_date)

    @property
    def due(self) -> bool:
        """Whether a session is due (the course has not ended, and not every session is behind)."""
        return self.state in _DUE

    def count_ok(self, new: int) -> bool:
        """Whether a contract of ``new`` sessions is legal now [COMP; ISIPT]."""
        p = self.protocol
        if new < p.min_sessions or (p.max_sessions is not None and new > p.max_sessions):
            return False
        if new < self.next_number:  # sessions already behind the course
            return False
        behind = range(max(1, p.first_number), self.next_number)
        if any(self.phase(n) is not self.phase(n, new) for n in behind):
            return False
        if p.maintenance:
            return True
        notice = max(1, new - p.termination_notice)
        # "at least two to four sessions before it occurs" [COMP]
        return max(notice, self.next_number) <= new - MIN_TERMINATION_NOTICE


def focus_ok(areas: list[ProblemArea]) -> bool:
    """One, at most two areas, none twice, deficits never beside another [GUIDE]."""
    return (
        1 <= len(areas) <= 2
        and len(set(areas)) == len(areas)
        and not (ProblemArea.INTERPERSONAL_DEFICITS in areas and len(areas) > 1)
    )


class CourseMachine(RuleBasedStateMachine):
    """A course and its model, stepped together."""

    course: Course
    model: Model

    # -- starting --------------------------------------------------------------------------------
    @initialize(
        protocol=st.sampled_from(ACUTE),
        focused=st.sampled_from([True, True, False]),
        skip=st.lists(st.integers(1, 12), max_size=2),
        data=st.data(),
    )
    def begin(
        self, protocol: Protocol, focused: bool, skip: list[int], data: st.DataObject
    ) -> None:
        """A course of any count the protocol allows, with or without a focus and holidays."""
        top = protocol.max_sessions or protocol.min_sessions + 4
        count = data.draw(st.integers(protocol.min_sessions, top), label="sessions")
        holidays = [MONDAY + timedelta(weeks=w) for w in skip]
        plan = plan_course(
            protocol, start=MONDAY, sessions=count, skip=holidays, focus=RESULT if focused else ()
        )
        self.course = Course.begin(
            CASE, plan, formulation=formulate(CASE, RESULT) if focused else None
        )
        self.model = Model(
            protocol=protocol,
            count=count,
            next_number=protocol.first_number,
            focused=focused,
        )

    # -- helpers ------------------------------------------------------------------------------------
    def _planned(self, number: int) -> date | None:
        plan = self.course.plan
        return plan.session(number).date if number <= plan.count else None

    def _refused(self, step: Any, error: type[IptError] = ProtocolError) -> None:
        """``step`` raises ``error`` (an argument error: an IptError but not a ProtocolError) and
        leaves the course exactly as it was."""
        event(f"refused: {'protocol' if error is ProtocolError else 'argument'} error")
        before = snapshot(self.course)
        with pytest.raises(IptError) as info:
            step(self.course)
        if error is ProtocolError:
            assert isinstance(info.value, ProtocolError), info.value
        else:
            assert not isinstance(info.value, ProtocolError), info.value
        assert snapshot(self.course) == before

    def _taken(self, step: Any) -> None:
        """``step`` is legal: it returns a course one step longer."""
        before = self.course
        after = step(before)
        event(f"taken: {after.steps[-1].kind.value}, to {after.state.value}")
        assert after.steps[:-1] == before.steps
        self.course = after
        self.model.steps += 1

    def _behind(self, status: SessionStatus) -> None:
        m = self.model
        m.records.append((m.contract, m.next_number, m.phase(m.next_number), status))

    # -- the steps ------------------------------------------------------------------------------------
    @rule(
        days=st.one_of(st.none(), DAYS),
        items=st.one_of(st.none(), PHQ9_ITEMS, BAD_ITEMS),
        goal=st.sampled_from([None, "known", "no-such-goal"]),
    )
    def hold(self, days: int | None, items: list[int] | None, goal: str | None) -> None:
        """Hold the next session, on its date or a few days off, maybe with measures and goals."""
        m = self.model
        planned = self._planned(m.next_number) if m.due else None
        when = None if days is None or planned is None else planned + timedelta(days=days)
        measures = {} if items is None else {"phq9": items}
        goals = None
        if goal == "known" and self.course.goals:
            goals = {self.course.goals[0].id: "active"}
        elif goal == "no-such-goal":
            goals = {"no-such-goal": "active"}

        def step(c: Course) -> Course:
            return c.hold(date=when, measures=measures, goals=goals)

        if not m.due:
            # Frank et al. 1990, 1991: a session after the last one needs a maintenance contract
            self._refused(step)
            return
        if items is not None and (len(items) != 9 or max(items) > 3):
            self._refused(step, IptError)  # a measure that cannot be scored
            return
        if goal == "no-such-goal":
            self._refused(step, CaseError)  # bad data, refused as the measures are
            return
        day = planned if when is None else when
        assert day is not None
        following = self._planned(m.next_number + 1)
        last_initial = m.next_number == m.count or m.phase(m.next_number + 1) is not Phase.INITIAL
        if (
            not m.in_order(day)
            or (following is not None and day >= following)
            or (m.phase(m.next_number) is Phase.INITIAL and last_initial and not m.focused)
            or m.needs_acceptance
        ):
            self._refused(step)
            return
        self._taken(step)
        self._behind(SessionStatus.HELD)
        m.next_number += 1
        m.last_date = m.last_record = day
        if items is not None:
            assert self.course.records[-1].measures[0].items == tuple(items)

    @rule(times=st.integers(1, 6))
    def hold_as_planned(self, times: int) -> None:
        """Hold up to ``times`` sessions on their planned dates (so that runs reach the end)."""
        for _ in range(times):
            m = self.model
            if (
                m.due
                and not m.needs_acceptance
                and (
                    m.phase(m.next_number) is not Phase.INITIAL
                    or m.focused
                    or (m.next_number < m.count and m.phase(m.next_number + 1) is Phase.INITIAL)
                )
            ):
                day = self._planned(m.next_number)
                self._taken(lambda c: c.hold())
                self._behind(SessionStatus.HELD)
                m.next_number += 1
                m.last_date = m.last_record = day
            else:
                self._refused(lambda c: c.hold())
                return

    @rule(reason=REASONS)
    def miss(self, reason: str) -> None:
        """Miss the next session: lost (keep_end) or made up later (keep_count) [COMP; ISIPT]."""
        m = self.model

        def step(c: Course) -> Course:
            return c.miss(reason=reason)

        if not m.due:
            self._refused(step)
            return
        if not reason.strip():
            self._refused(step, IptError)  # a missed session says why
            return
        keep_end = m.protocol.on_miss is MissRule.KEEP_END
        missed = self._planned(m.next_number)
        self._taken(step)
        self._behind(SessionStatus.MISSED)
        m.last_date = m.last_record = missed
        if keep_end:
            m.lost.append((m.contract, m.next_number))
            m.next_number += 1

    @rule(days=DAYS, shift_rest=st.booleans())
    def move(self, days: int, shift_rest: bool) -> None:
        """Move the next session a few days, alone or with the rest of the course."""
        m = self.model
        planned = self._planned(m.next_number) if m.due else None
        to = (planned or MONDAY) + timedelta(days=days)

        def step(c: Course) -> Course:
            return c.move(to=to, shift_rest=shift_rest)

        if not m.due:
            self._refused(step)
            return
        following = self._planned(m.next_number + 1)
        if not m.in_order(to) or (not shift_rest and following is not None and to >= following):
            self._refused(step)
            return
        self._taken(step)

    @rule(change=st.integers(-6, 6), reason=REASONS)
    def renegotiate(self, change: int, reason: str) -> None:
        """Renegotiate the count: explicitly, with a reason, within the protocol [COMP; ISIPT]."""
        m = self.model
        sessions = m.count + change

        def step(c: Course) -> Course:
            return c.renegotiate(sessions=sessions, reason=reason)

        if m.due and sessions < 0:
            self._refused(step, IptError)  # not a count at all
            return
        if not m.due or not reason.strip() or sessions == m.count or not m.count_ok(sessions):
            self._refused(step)
            return
        self._taken(step)
        m.count = sessions

    @rule(areas=st.lists(st.sampled_from(ProblemArea), max_size=3))
    def change_focus(self, areas: list[ProblemArea]) -> None:
        """Agree a new focus: in the initial phase only [FOCUS; COMP; MARKOWITZ-SWARTZ2007]."""
        m = self.model

        def step(c: Course) -> Course:
            return c.change_focus(areas)

        if m.state not in (State.ENGAGEMENT, State.INITIAL):
            self._refused(step)
            return
        if not areas:
            self._refused(step, IptError)
            return
        if not focus_ok(areas):
            self._refused(step)  # [GUIDE]: one, at most two; deficits alone
            return
        self._taken(step)
        m.focused, m.accepted = True, False
        assert [f.area for f in self.course.focus] == areas

    @rule(revision=st.sampled_from(["", "the dispute first, as the patient sees it"]))
    def accept_formulation(self, revision: str) -> None:
        """The patient accepts the formulation (or a revision): in the engagement and initial
        phases, or once later when the last initial session was missed [MARKOWITZ-SWARTZ2007]."""
        m = self.model

        def step(c: Course) -> Course:
            return c.accept_formulation(revision=revision)

        early = m.state in (State.ENGAGEMENT, State.INITIAL)
        if not m.focused or not (early or m.needs_acceptance):
            self._refused(step)
            return
        self._taken(step)
        m.accepted = True
        assert self.course.formulation_accepted

    @rule(days=st.one_of(st.none(), st.integers(-3, 30)))
    def terminate(self, days: int | None) -> None:
        """Close the course: after the last session or in maintenance; never skipped [COMP]. Its
        date, the last session's by default, is not before the last session."""
        m = self.model
        when = None if days is None else (m.last_date or MONDAY) + timedelta(days=days)

        def step(c: Course) -> Course:
            return c.terminate(date=when, reason="fictional")

        if m.state not in (State.FINISHED, State.MAINTENANCE) or (
            when is not None and m.last_date is not None and when < m.last_date
        ):
            self._refused(step)
            return
        self._taken(step)
        m.ended = State.CLOSED
        m.last_date = when or m.last_date

    # Legal drop-outs only once a run is under way, so that most runs go deep; refusals any time.
    @precondition(lambda self: self.model.steps >= 12 or not self.model.due)
    @rule(reason=REASONS, days=st.one_of(st.none(), st.integers(-3, 30)))
    def drop_out(self, reason: str, days: int | None) -> None:
        """The patient stops before the end; dated the last session's day by default, and never
        before it, nor, with nothing held, before the first planned session."""
        m = self.model
        when = None if days is None else (m.last_date or MONDAY) + timedelta(days=days)

        def step(c: Course) -> Course:
            return c.drop_out(reason=reason, date=when)

        if not m.due:
            self._refused(step)
            return
        if not reason.strip():
            self._refused(step, IptError)
            return
        if when is not None and m.last_date is not None and when < m.last_date:
            self._refused(step)
            return
        first = self.course.plan.sessions[0].date
        if when is not None and m.last_date is None and when < first:
            self._refused(step)  # nothing held: a course cannot end before its first session
            return
        self._taken(step)
        m.ended = State.DROPPED
        m.last_date = when or m.last_date or self.course.plan.start

    @rule(days=st.integers(-5, 60), sessions=st.integers(1, 3))
    def start_maintenance(self, days: int, sessions: int) -> None:
        """A monthly maintenance contract after the last session (Frank et al. 1990, 1991)."""
        m = self.model
        start = (m.last_date or MONDAY) + timedelta(days=days)

        def step(c: Course) -> Course:
            return c.start_maintenance(start=start, sessions=sessions)

        if m.state not in (State.FINISHED, State.CLOSED) or (
            m.last_date is not None and start <= m.last_date
        ):
            self._refused(step)
            return
        self._taken(step)
        m.protocol = PROTOCOLS["maintenance"]
        m.count, m.next_number, m.contract = sessions, 1, m.contract + 1
        m.maintenance, m.ended = True, None

    # -- invariants ------------------------------------------------------------------------------------
    @invariant()
    def state_is_the_models(self) -> None:
        """The course is where the model says: its state, count, next session and step count."""
        course, m = self.course, self.model
        assert course.state is m.state
        assert len(course.steps) == m.steps
        assert len(course.contracts) == m.contract + 1
        assert course.plan.protocol.name == m.protocol.name
        upcoming = course.next_session
        if m.due:
            assert upcoming is not None
            assert upcoming.number == m.next_number
        else:
            assert upcoming is None

    @invariant()
    def session_count_matches_the_contract(self) -> None:
        """The plan holds exactly the contracted sessions; those behind are the ones held, but for
        the sessions missed and lost."""
        course, m = self.course, self.model
        plan = course.plan
        assert plan.count == m.count
        assert plan.protocol.allows(plan.count)
        numbers = [s.number for s in plan.sessions]
        assert numbers == list(range(plan.protocol.first_number, m.count + 1))
        held = [
            r for r in course.records if r.contract == m.contract and r.status is SessionStatus.HELD
        ]
        behind = range(plan.protocol.first_number, min(m.next_number, m.count + 1))
        assert [r.number for r in held] == [n for n in behind if (m.contract, n) not in m.lost]

    @invariant()
    def dates_strictly_increase(self) -> None:
        """Sessions held and missed, then the sessions planned, all in strictly increasing order."""
        course = self.course
        records = [r.date for r in course.records]
        assert all(a < b for a, b in itertools.pairwise(records))
        for plan in course.contracts:
            assert all(a.date < b.date for a, b in itertools.pairwise(plan.sessions))
        upcoming = course.next_session
        if upcoming is not None and self.model.last_date is not None:
            assert upcoming.date > self.model.last_date
        if records:
            assert records[-1] == self.model.last_record
        if course.state in (State.CLOSED, State.DROPPED):
            ended = course.steps[-1].date
            assert ended is not None
            assert not records or ended >= records[-1]

    @invariant()
    def phases_never_go_back(self) -> None:
        """The sessions behind the course are the model's, and their phases never go back."""
        course = self.course
        got = [(r.contract, r.number, r.phase, r.status) for r in course.records]
        assert got == self.model.records
        for contract in range(len(course.contracts)):
            order = [
                _PHASE_ORDER.get(r.phase, 9)
                for r in course.records
                if r.contract == contract and r.status is SessionStatus.HELD
            ]
            assert order == sorted(order)

    @invariant()
    def history_replays_to_the_same_course(self) -> None:
        """The steps replayed from the start give the same course; its history is every value."""
        course = self.course
        replayed = Course(
            case=course.case,
            contract=course.contract,
            initial_goals=course.initial_goals,
            steps=course.steps,
        )
        assert replayed == course
        assert snapshot(replayed) == snapshot(course)
        history = course.history
        assert len(history) == len(course.steps) + 1
        assert history[-1] == course
        assert [len(h.steps) for h in history] == list(range(len(course.steps) + 1))

    @invariant()
    def round_trips_through_json(self) -> None:
        """The course file written as strict JSON text reads back to the same course."""
        course = self.course
        text = json.dumps(dump_course(course), allow_nan=False)
        loaded = load_course(json.loads(text))
        assert loaded == course
        assert snapshot(loaded) == snapshot(course)


# Half the profile's examples, at least 30, of up to the profile's steps (Hypothesis's 50; the
# mutation profile's 10: a walk that is checked whole at every step costs the square of its steps).
CourseMachine.TestCase.settings = settings(
    max_examples=max(30, settings.default.max_examples // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCourseMachine = CourseMachine.TestCase
