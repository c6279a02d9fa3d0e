"""Tests for the course as it happens (iptcore.course) and its file (iptcore.courseio)."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from iptcore import (
    PROTOCOLS,
    CaseError,
    Course,
    GoalStatus,
    IptError,
    Phase,
    PlannedSession,
    ProblemArea,
    ProtocolError,
    classify,
    formulate,
    plan_course,
    screen,
)
from iptcore.case import Measure
from iptcore.course import (
    START_STATES,
    TRANSITIONS,
    SessionStatus,
    State,
    Step,
    StepKind,
)
from iptcore.courseio import dump_course, dump_plan, load_course
from iptcore.draw import state_diagram
from iptcore.goals import Goal
from iptcore.limits import DEFAULT_LIMITS
from iptcore.plan import build_sessions
from iptcore.techniques import TECHNIQUES, Technique
from iptcore.vignettes import vignette

MONDAY = date(2026, 3, 9)
CASE = vignette("demo")  # fictional
RESULT = classify(CASE)
PHQ9_LOW = {"phq9": [0, 0, 1, 0, 0, 1, 0, 0, 0]}  # fictional answers
PHQ9_RISK = {"phq9": [2, 2, 2, 1, 1, 1, 1, 1, 1]}  # item 9 above 0


def snapshot(course: Course) -> tuple[object, ...]:
    """Everything a course shows, as plain values (its file text plus its derived views)."""
    return (
        json.dumps(dump_course(course), sort_keys=True),
        course.state,
        course.plan,
        course.records,
        course.goals,
        course.focus,
        len(course.history),
    )


def begin(protocol: str = "ipt", sessions: int | None = None, *, focus: bool = True) -> Course:
    plan = plan_course(protocol, start=MONDAY, sessions=sessions, focus=RESULT if focus else ())
    return Course.begin(CASE, plan, formulation=formulate(CASE, RESULT) if focus else None)


def hold_next(course: Course) -> Course:
    """Hold the next session, the formulation accepted first while the initial phase lasts (it
    must be before the middle phase [MARKOWITZ-SWARTZ2007])."""
    if not course.formulation_accepted and course.state in (State.ENGAGEMENT, State.INITIAL):
        course = course.accept_formulation()
    return course.hold()


#: More sessions than any course of these tests has: a course still due after this many holds is
#: a failure, not a loop without end.
MOST_HOLDS = 100


def hold_all(course: Course) -> Course:
    for _ in range(MOST_HOLDS):
        if course.next_session is None:
            return course
        course = hold_next(course)
    raise AssertionError(f"still a session due after {MOST_HOLDS} held")


def held_until(course: Course, phase: Phase) -> Course:
    for _ in range(MOST_HOLDS):
        if course.next_session is None or course.next_session.phase is phase:
            return course
        course = hold_next(course)
    raise AssertionError(f"no {phase.value} session after {MOST_HOLDS} held")


# -- beginning -----------------------------------------------------------------------------------


def test_begin_takes_focus_and_goals_from_the_classification() -> None:
    """The course starts from the case's classification and the formulation's goals [GUIDE]."""
    course = begin()
    assert course.state is State.INITIAL
    assert tuple(f.area for f in course.focus) == RESULT.focus
    assert course.goals
    assert {g.area for g in course.goals} <= set(RESULT.focus)
    assert course.plan.session(4).techniques  # the plan got the focus's techniques
    assert course.history == (course,)


def test_start_states() -> None:
    """Session 0 (IPT-B, group) starts in engagement; IPT-M in maintenance [WHO; Frank et al.]."""
    assert begin("ipt-b").state is State.ENGAGEMENT
    assert begin("group").state is State.ENGAGEMENT
    assert begin("maintenance", 3).state is State.MAINTENANCE
    assert {begin(n).state for n in ("ipt", "ipt-a", "ipc")} == {State.INITIAL}
    assert {State.ENGAGEMENT, State.INITIAL, State.MAINTENANCE} == START_STATES


def test_begin_refuses_a_plan_of_another_focus() -> None:
    """A plan made for one focus and a classification that says another do not mix."""
    plan = plan_course(start=MONDAY, focus=["grief"])
    with pytest.raises(IptError, match="focus"):
        Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))


# -- the phase follows the sessions held ---------------------------------------------------------


@pytest.mark.parametrize("name", ["ipt", "ipt-b", "ipt-a", "group", "ipc"])
def test_phase_follows_the_sessions_held(name: str) -> None:
    """Each protocol's phases come in order as sessions are held, then the course is finished."""
    course = begin(name)
    seen = []
    for _ in range(MOST_HOLDS):
        if course.next_session is None:
            break
        seen.append(course.state.value)
        course = hold_next(course)
    assert course.state is State.FINISHED
    assert seen == [s.phase.value for s in course.plan.sessions]
    assert [r.number for r in course.records] == [s.number for s in course.plan.sessions]
    assert course.phase is Phase.TERMINATION


# -- the illegal steps: each raises ProtocolError and leaves the course as it was --------------------


def _finished() -> Course:
    return hold_all(begin("ipc", 3))


def _middle() -> Course:
    return held_until(begin(), Phase.MIDDLE)


def _termination() -> Course:
    return held_until(begin(), Phase.TERMINATION).hold()


ILLEGAL: list[tuple[str, Callable[[], Course], Callable[[Course], Course], str]] = [
    # [COMP]: termination cannot be skipped
    ("terminate in the middle", _middle, lambda c: c.terminate(), "cannot be skipped"),
    ("terminate in termination", _termination, lambda c: c.terminate(), "cannot be skipped"),
    # Frank et al. 1990, 1991: a session after the last one needs a maintenance contract
    ("hold after the last", _finished, lambda c: c.hold(), "maintenance contract"),
    ("miss after the last", _finished, lambda c: c.miss(reason="ill"), "legal steps"),
    # [MARKOWITZ-SWARTZ2007]: the focus is agreed in the initial phase
    ("focus in the middle", _middle, lambda c: c.change_focus(["grief"]), "initial phase"),
    ("focus when finished", _finished, lambda c: c.change_focus(["grief"]), "initial phase"),
    # [COMP; ISIPT]: 12-16 sessions; changes renegotiated explicitly, with a reason
    (
        "renegotiate out of range",
        _middle,
        lambda c: c.renegotiate(sessions=20, reason="more"),
        "12-16",
    ),
    (
        "renegotiate without reason",
        _middle,
        lambda c: c.renegotiate(sessions=12, reason=""),
        "reason",
    ),
    (
        "renegotiate same count",
        _middle,
        lambda c: c.renegotiate(sessions=16, reason="x"),
        "already",
    ),
    # [COMP]: the end is raised at least two sessions before it
    (
        "renegotiate too late",
        lambda: hold_next(hold_next(hold_next(begin("ipc", 6)))),
        lambda c: c.renegotiate(sessions=5, reason="money"),
        "too late to end after session 5",
    ),
    (
        "renegotiate rewriting a held phase",
        _termination,
        lambda c: c.renegotiate(sessions=15, reason="holiday"),
        "already behind",
    ),
    # the initial phase ends with a focus (Markowitz & Swartz 2007)
    (
        "middle without focus",
        lambda: begin(focus=False).hold().hold(),
        lambda c: c.hold(),
        "focus",
    ),
    # dates stay in order
    ("hold before the last", lambda: begin().hold(), lambda c: c.hold(date=MONDAY), "not after"),
    (
        "hold on the next one's date",
        begin,
        lambda c: c.hold(date=MONDAY + timedelta(weeks=1)),
        "move the later sessions",
    ),
    ("move into the past", lambda: begin().hold(), lambda c: c.move(to=MONDAY), "not after"),
    (
        "move past the next",
        begin,
        lambda c: c.move(to=MONDAY + timedelta(weeks=2)),
        "shift_rest",
    ),
    (
        "maintenance mid-course",
        _middle,
        lambda c: c.start_maintenance(start=date(2027, 1, 1)),
        "follows the last session",
    ),
    (
        "maintenance of an acute protocol",
        _finished,
        lambda c: c.start_maintenance(start=date(2027, 1, 1), protocol="ipt"),
        "not a maintenance protocol",
    ),
    (
        "maintenance before the last session",
        _finished,
        lambda c: c.start_maintenance(start=MONDAY),
        "not after",
    ),
    (
        "a step after drop-out",
        lambda: begin().hold().drop_out(reason="moved away"),
        lambda c: c.hold(),
        "none",
    ),
]


@pytest.mark.parametrize(("name", "setup", "step", "match"), ILLEGAL, ids=[i[0] for i in ILLEGAL])
def test_illegal_step_leaves_the_course_unchanged(
    name: str, setup: Callable[[], Course], step: Callable[[Course], Course], match: str
) -> None:
    """An illegal step raises ProtocolError and the course is exactly as it was."""
    course = setup()
    before = snapshot(course)
    with pytest.raises(ProtocolError, match=match):
        step(course)
    assert snapshot(course) == before
    assert course == Course(
        case=course.case,
        contract=course.contract,
        initial_goals=course.initial_goals,
        steps=course.steps,
    )


def test_every_refusal_matches_the_table() -> None:
    """The table is what the code reads: a step outside a state's row is refused by name."""
    finished = _finished()
    for kind in StepKind:
        if kind in TRANSITIONS[State.FINISHED]:
            continue
        assert kind not in finished.legal_steps
    assert set(finished.legal_steps) == set(TRANSITIONS[State.FINISHED])


# -- missing, moving, renegotiating --------------------------------------------------------------


def test_missed_session_is_lost_and_the_end_kept() -> None:
    """Default rule: "the time frame is fixed at the outset" [COMP; ISIPT]: the session is lost,
    the plan (dates, numbers, end) stays, and the next planned session is due."""
    course = begin().hold()
    missed = course.miss(reason="flu")
    assert missed.plan == course.plan
    assert missed.next_session is not None
    assert missed.next_session.number == 3
    assert missed.next_session.date == MONDAY + timedelta(weeks=2)
    assert missed.records[-1].status is SessionStatus.MISSED
    assert missed.records[-1].reason == "flu"
    assert missed.records[-1].number == 2
    assert missed.progress().remaining == 14
    # The last session missed: every contracted session is behind, the course is finished.
    last = held_until(begin("ipc", 3), Phase.TERMINATION).miss(reason="away")
    assert last.state is State.FINISHED


def test_keep_count_rule_makes_the_session_up_and_moves_the_end() -> None:
    """With on_miss keep_count the count is kept and the end moves one cadence step."""
    keep_count = attrs.evolve(PROTOCOLS["ipt"], on_miss="keep_count")
    course = Course.begin(
        CASE,
        plan_course(keep_count, start=MONDAY, focus=RESULT),
        formulation=formulate(CASE, RESULT),
    ).hold()
    end = course.plan.end
    missed = course.miss(reason="flu")
    assert missed.plan.count == 16
    assert missed.plan.end == end + timedelta(weeks=1)
    assert missed.next_session is not None
    assert missed.next_session.number == 2
    assert missed.next_session.date == MONDAY + timedelta(weeks=2)
    assert missed.hold().records[-1].date == MONDAY + timedelta(weeks=2)


def test_missed_session_passes_over_skipped_dates() -> None:
    """A made-up session (on_miss keep_count) does not land on a day in skip."""
    keep_count = attrs.evolve(PROTOCOLS["ipt"], on_miss="keep_count")
    plan = plan_course(keep_count, start=MONDAY, focus=RESULT, skip=[MONDAY + timedelta(weeks=2)])
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).hold().miss(reason="flu")
    assert course.next_session is not None
    assert course.next_session.date == MONDAY + timedelta(weeks=3)


def test_move_one_session_or_the_rest() -> None:
    """A move keeps the other dates, or with shift_rest moves the rest along the cadence."""
    course = begin().hold()
    one = course.move(to=MONDAY + timedelta(weeks=1, days=2))
    assert one.plan.session(2).date == MONDAY + timedelta(weeks=1, days=2)
    assert one.plan.session(3).date == course.plan.session(3).date
    rest = course.move(to=MONDAY + timedelta(weeks=1, days=3), shift_rest=True)
    assert rest.plan.session(3).date == MONDAY + timedelta(weeks=2, days=3)
    assert rest.plan.end == course.plan.end + timedelta(days=3)


def test_renegotiation_is_explicit_and_replans_the_end() -> None:
    """[COMP; ISIPT]: a different count is a step with its reason; the end is raised anew."""
    course = held_until(begin(sessions=12), Phase.MIDDLE)
    longer = course.renegotiate(sessions=16, reason="slow start after a bereavement")
    assert longer.plan.count == 16
    assert longer.plan.end == course.plan.end + timedelta(weeks=4)
    assert longer.steps[-1].reason == "slow start after a bereavement"
    assert [s.phase for s in longer.plan.sessions][-3:] == [Phase.TERMINATION] * 3
    raised = [s.number for s in longer.plan.sessions if "Raise the end" in "\n".join(s.agenda)]
    assert raised == [12]
    assert longer.plan.sessions[:3] == course.plan.sessions[:3]  # the sessions held stay


def test_late_renegotiation_raises_the_end_in_the_next_session() -> None:
    """When the planned notice session is behind, the end is raised in the next one [COMP]."""
    course = begin(sessions=16)
    for _ in range(10):
        course = hold_next(course)
    shorter = course.renegotiate(sessions=13, reason="moving away")
    notice = [s.number for s in shorter.plan.sessions if "Raise the end" in "\n".join(s.agenda)]
    assert notice[-1] == 11
    assert notice[-1] <= 13 - 2


def test_change_focus_in_the_initial_phase() -> None:
    """The focus and its techniques change while the initial phase lasts [MARKOWITZ-SWARTZ2007]."""
    course = begin(focus=False).hold()
    assert course.focus == ()
    focused = course.change_focus(["grief"], reason="the death came out in session 1")
    assert [f.area for f in focused.focus] == [ProblemArea.GRIEF]
    assert focused.plan.session(4).techniques[0] == "encouragement_of_affect"
    assert focused.plan.session(1) == course.plan.session(1)  # held: unchanged
    assert held_until(focused, Phase.MIDDLE).state is State.MIDDLE
    from_result = course.change_focus(RESULT, formulation=formulate(CASE, RESULT))
    assert from_result.goals == formulate(CASE, RESULT).goals  # the goals given, as given
    assert course.change_focus(RESULT).goals == course.goals  # none given: none derived
    with pytest.raises(
        IptError, match=r"formulation: the new focus \(grief\) is not the formulation's"
    ):
        course.change_focus(["grief"], formulation=formulate(CASE, RESULT))
    with pytest.raises(ProtocolError, match="at most two"):
        course.change_focus(["grief", "role_dispute", "role_transition"])


def test_maintenance_after_the_last_session() -> None:
    """IPT-M: a monthly contract after the acute course (Frank et al. 1990, 1991)."""
    finished = _finished()
    maintained = finished.start_maintenance(start=date(2026, 5, 31), sessions=3)
    assert maintained.state is State.MAINTENANCE
    assert [s.date for s in maintained.plan.sessions] == [
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
    ]
    assert maintained.plan.focus == finished.focus
    assert len(maintained.contracts) == 2
    held = maintained.hold(measures=PHQ9_LOW)
    assert held.records[-1].contract == 1
    assert held.records[-1].phase is Phase.MAINTENANCE
    assert held.terminate(reason="remitted for a year").state is State.CLOSED
    assert hold_all(held).state is State.FINISHED
    closed = finished.terminate(reason="done")
    assert closed.start_maintenance(start=date(2026, 9, 1)).state is State.MAINTENANCE


def test_drop_out_is_recorded() -> None:
    """A patient who stops is a drop-out, not a termination."""
    course = begin().hold().drop_out(reason="moved away")
    assert course.state is State.DROPPED
    assert course.next_session is None
    assert course.legal_steps == ()
    with pytest.raises(IptError, match="reason"):
        begin().drop_out(reason=" ")


@pytest.mark.parametrize(
    ("step", "match"),
    [
        (lambda c: c.hold(date="2026-02-30"), "date"),
        (lambda c: c.hold(measures={"phq9": [1, 2]}), "phq9"),
        (lambda c: c.hold(measures=3), "measures"),
        (lambda c: c.hold(techniques=["mind_reading"]), "techniques"),
        (lambda c: c.hold(goals={"nope": "active"}), "goal"),
        (lambda c: c.hold(goals={"x": "done-ish"}), "goals"),
        (lambda c: c.hold(notes=7), "notes"),
        (lambda c: c.miss(reason=""), "reason"),
        (lambda c: c.move(to=None), "to"),
        (lambda c: c.renegotiate(sessions="12", reason="x"), "sessions"),
    ],
)
def test_bad_arguments_are_ipt_errors(step: Callable[[Course], Course], match: str) -> None:
    """Bad input is an IptError naming the argument; the course is unchanged."""
    course = begin()
    before = snapshot(course)
    with pytest.raises(IptError, match=match):
        step(course)
    assert snapshot(course) == before


# -- progress ------------------------------------------------------------------------------------


def test_progress_goals_trajectory_and_risk_warning() -> None:
    """Goal statuses, response and remission, and the PHQ-9 item 9 flag
    [KROENKE2001; SIMON2013]; the case's screening cautions come first."""
    course = begin().accept_formulation()
    goal = course.goals[0].id
    course = course.hold(measures=PHQ9_RISK, goals={goal: "active"})
    for _ in range(4):
        course = course.hold()
    course = course.hold(measures=PHQ9_LOW, goals={goal: "achieved"})
    progress = course.progress()
    assert progress.held == 6
    assert progress.remaining == 10
    assert progress.goals[0].status.value == "achieved"
    phq9 = next(t for t in progress.trajectories if t.instrument.value == "phq9")
    assert phq9.baseline.date == CASE.assessed  # the case's measure is the baseline
    assert phq9.latest.response
    assert phq9.latest.remission
    risk = [w for w in progress.warnings if "session 1 " in w]
    assert len(risk) == 1
    assert "risk assessment" in risk[0]
    assert progress.warnings[: len(screen(CASE).warnings)] == screen(CASE).warnings
    assert course.warnings == progress.warnings
    assert json.loads(json.dumps(progress.to_dict()))["held"] == 6
    assert "WARNING" in course.describe()


# -- history and the file ------------------------------------------------------------------------


def test_history_keeps_every_value() -> None:
    """Every step is a new Course value kept in the history."""
    course = begin().hold().miss(reason="flu").hold()
    history = course.history
    assert len(history) == 4
    assert [len(c.steps) for c in history] == [0, 1, 2, 3]
    assert history[-1] is course
    assert history[1].records[-1].status is SessionStatus.HELD


def test_course_round_trips_through_json_with_its_history() -> None:
    """A course reads back from its file equal, with the same history."""
    course = begin().hold(measures=PHQ9_RISK, techniques=["clarification"], notes="fictional")
    course = course.miss(reason="flu").move(to=MONDAY + timedelta(weeks=2, days=1))
    course = course.renegotiate(sessions=14, reason="summer")
    doc = json.loads(json.dumps(dump_course(course)))
    assert doc["format"] == "iptcore.course/1"
    loaded = load_course(doc)
    assert loaded == course
    assert loaded.history == course.history
    assert loaded.plan == course.plan
    assert dump_course(course) == doc


def test_course_file_with_maintenance_and_focus_change() -> None:
    """Every kind of step is written and read back."""
    course = begin(focus=False).change_focus(["role_dispute"], reason="agreed")
    course = hold_all(course).start_maintenance(start=date(2027, 1, 4), sessions=2)
    course = course.hold().terminate(reason="well")
    assert load_course(json.dumps(dump_course(course))) == course
    dropped = begin().drop_out(reason="no reply", date=MONDAY)
    assert load_course(dump_course(dropped)) == dropped


def test_course_file_problems_have_paths() -> None:
    """The course file is strict; an illegal step in it is a problem at its path."""
    course = begin().hold().hold()
    doc = dump_course(course)
    doc["steps"].append({"kind": "terminate", "date": "2026-04-01"})
    doc["steps"][0]["colour"] = "red"
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [p.path for p in info.value.problems] == ["steps[0].colour"]
    del doc["steps"][0]["colour"]
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [p.path for p in info.value.problems] == ["steps[2]"]
    assert "cannot be skipped" in info.value.problems[0].message
    doc["case"]["onset"] = "soon"
    doc["format"] = "iptcore.course/9"
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert {p.path for p in info.value.problems} >= {"case.onset", "format"}


@pytest.mark.parametrize(
    ("step", "path"),
    [
        ({"kind": "hold"}, "steps[0].number"),
        ({"kind": "hold", "number": 1, "date": "2026-03-09", "sessions": 3}, "steps[0].sessions"),
        ({"kind": "wait"}, "steps[0].kind"),
        (
            {"kind": "hold", "number": 1, "date": "2026-03-09", "goal_status": []},
            "steps[0].goal_status",
        ),
        ({"kind": "hold", "number": 1, "date": "09/03/2026"}, "steps[0].date"),
    ],
)
def test_bad_steps_in_the_file(step: dict[str, Any], path: str) -> None:
    """Each malformed step is reported at its path."""
    doc = dump_course(begin())
    doc["steps"] = [step]
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert path in [p.path for p in info.value.problems]


def test_step_value_checks_its_fields() -> None:
    """A Step has exactly the fields of its kind."""
    with pytest.raises(IptError, match="needs"):
        Step(kind="hold", number=1)
    with pytest.raises(IptError, match="has no sessions"):
        Step(kind="miss", number=1, reason="x", sessions=3)
    with pytest.raises(IptError, match="kind"):
        Step(kind="pause")
    with pytest.raises(IptError, match="focus"):
        Step(kind="change_focus")


def test_a_course_pickles_as_its_fields() -> None:
    """Process pools pickle courses: only the case, contract, goals and steps travel."""
    import pickle

    case = attrs.evolve(CASE, extensions=None)  # a case's extensions are read-only mappings
    course = Course.begin(
        case, plan_course(start=MONDAY, focus=RESULT), formulation=formulate(case, RESULT)
    )
    course = course.hold().miss(reason="flu")
    again = pickle.loads(pickle.dumps(course))
    assert again == course
    assert again.plan == course.plan
    assert len(again.history) == 3


# -- the state diagram ---------------------------------------------------------------------------


def test_state_diagram_is_drawn_from_the_table() -> None:
    """The docs' diagram is generated from TRANSITIONS, edge for edge (h11 style)."""
    mermaid = state_diagram()
    edges = {line.strip() for line in mermaid.splitlines()[1:]}
    for source, row in TRANSITIONS.items():
        for kind, targets in row.items():
            for target in targets:
                assert any(
                    e.startswith(f"{source.value} --> {target.value}:") and kind.value in e
                    for e in edges
                )
    assert "[*] --> initial" in edges
    dot = state_diagram("dot")
    assert dot.startswith("digraph course {")
    assert 'finished -> maintenance [label="start_maintenance"];' in dot
    with pytest.raises(IptError, match="fmt"):
        state_diagram("svg")


# -- properties ----------------------------------------------------------------------------------

ACTIONS = st.lists(
    st.one_of(
        *[st.just(("hold", None))] * 6,
        st.just(("miss", None)),
        st.tuples(st.just("move"), st.integers(1, 9)),
        st.tuples(st.just("shift"), st.integers(1, 9)),
        st.tuples(st.just("renegotiate"), st.integers(6, 17)),
        st.tuples(st.just("focus"), st.sampled_from(list(ProblemArea))),
        st.just(("terminate", None)),
        st.just(("drop", None)),
        st.just(("maintain", None)),
    ),
    max_size=30,
)


def _act(course: Course, action: tuple[str, Any]) -> Course:
    name, arg = action
    upcoming = course.next_session
    base = upcoming.date if upcoming is not None else MONDAY
    if name == "hold":
        return course.hold()
    if name == "miss":
        return course.miss(reason="fictional")
    if name in ("move", "shift"):
        return course.move(to=base + timedelta(days=arg), shift_rest=name == "shift")
    if name == "renegotiate":
        return course.renegotiate(sessions=arg, reason="fictional")
    if name == "focus":
        return course.change_focus([arg])
    if name == "terminate":
        return course.terminate()
    if name == "drop":
        return course.drop_out(reason="fictional")
    last = course.records[-1].date if course.records else MONDAY
    return course.start_maintenance(start=last + timedelta(days=20), sessions=2)


@given(protocol=st.sampled_from(["ipt", "ipt-b", "ipc", "group"]), actions=ACTIONS)
def test_random_walks_keep_the_invariants(protocol: str, actions: list[tuple[str, Any]]) -> None:
    """Under any sequence of steps: refused steps change nothing; dates stay in order; the count
    stays in the protocol's range; every state change is one the table allows; JSON round-trips."""
    course = begin(protocol)
    for action in actions:
        before = course
        snapshot = (course.state, course.plan, course.records)
        try:
            course = _act(course, action)
        except IptError:
            assert course is before
            assert (course.state, course.plan, course.records) == snapshot
            continue
        assert course.state in TRANSITIONS[before.state][course.steps[-1].kind]
        plan = course.plan
        assert plan.protocol.allows(plan.count)
        assert all(a.date < b.date for a, b in itertools.pairwise(plan.sessions))
        assert all(a.date < b.date for a, b in itertools.pairwise(course.records))
    assert load_course(json.loads(json.dumps(dump_course(course)))) == course
    assert course.history[-1] == course


def test_a_course_cannot_end_before_its_first_session() -> None:
    """With nothing held, a drop-out dated before the first planned session is
    refused, and the course is left as it was (an illegal step raises ProtocolError)."""
    from datetime import date

    from iptcore import Course, ProtocolError, classify, plan_course
    from iptcore.vignettes import vignette

    case = vignette("demo")
    result = classify(case)
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=result)
    course = Course.begin(case, plan, formulation=formulate(case, result))
    before = course
    with pytest.raises(ProtocolError, match="before the first session"):
        course.drop_out(reason="moved away", date=date(2020, 1, 1))
    assert course == before
    assert course.drop_out(reason="moved away", date=date(2026, 3, 9)).history


# --------------------------------------------------------------------------------------------
# What a held session records: tasks, other models' techniques, homework
# --------------------------------------------------------------------------------------------


def _short_course() -> Course:
    plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
    return Course.begin(vignette("demo"), plan)


def test_a_held_session_keeps_the_tasks_techniques_and_homework_recorded() -> None:
    course = _short_course().hold(
        tasks=["sick_role", "inventory"],
        techniques=["clarification"],
        other_techniques=["cognitive restructuring"],
        homework="write down one conversation",
    )
    record = course.records[0]
    assert record.tasks == ("sick_role", "inventory")
    assert record.other_techniques == ("cognitive restructuring",)
    assert record.homework == "write down one conversation"
    assert load_course(json.dumps(dump_course(course))) == course


def test_a_task_the_protocol_does_not_have_is_refused_by_hold_and_in_a_file() -> None:
    with pytest.raises(IptError, match=r"tasks\[1\]: 'graduation' is not a task of ipc"):
        _short_course().hold(tasks=["sick_role", "graduation"])
    doc = dump_course(_short_course().hold(tasks=["sick_role"]))
    doc["steps"][0]["tasks"] = ["graduation"]
    with pytest.raises(CaseError) as caught:
        load_course(doc)
    assert caught.value.problems[0].path == "steps[0]"
    assert "'graduation' is not a task of ipc" in caught.value.problems[0].message


def test_raise_end_is_a_task_of_acute_protocols_only() -> None:
    assert "raise_end" in PROTOCOLS["ipt"].task_ids
    assert "raise_end" not in PROTOCOLS["maintenance"].task_ids


@pytest.mark.parametrize(
    ("field", "value"),
    [("tasks", "sick_role"), ("other_techniques", [""]), ("homework", 3)],
)
def test_bad_session_records_name_the_field(field: str, value: object) -> None:
    with pytest.raises(IptError, match=field):
        _short_course().hold(**{field: value})  # type: ignore[arg-type]


def test_a_technique_of_another_model_in_techniques_points_to_other_techniques() -> None:
    with pytest.raises(IptError, match="other_techniques"):
        _short_course().hold(techniques=["cognitive restructuring"])


def test_only_a_held_session_records_tasks() -> None:
    with pytest.raises(IptError, match="a miss step has no tasks"):
        Step(kind="miss", number=1, reason="ill", tasks=("sick_role",))


# -- the formulation is an offer: accepted before the middle phase --------------------------------


def test_the_middle_phase_needs_the_formulation_accepted() -> None:
    """The formulation is "explicitly accepted by the patient" before the middle phase
    [MARKOWITZ-SWARTZ2007]: a middle-phase session without it is refused, by rule and source, and
    the course is unchanged; once accepted, it goes on."""
    course = begin().hold().hold().hold()
    assert course.state is State.MIDDLE
    assert not course.formulation_accepted
    before = snapshot(course)
    with pytest.raises(ProtocolError, match=r"accepted by the patient.*\[MARKOWITZ-SWARTZ2007\]"):
        course.hold()
    assert snapshot(course) == before
    accepted = course.accept_formulation(revision="the patient put the move before the new job")
    assert accepted.formulation_accepted
    assert accepted.steps[-1].notes == "the patient put the move before the new job"
    assert accepted.hold().records[-1].phase is Phase.MIDDLE
    with pytest.raises(ProtocolError, match="already accepted"):
        accepted.accept_formulation()


def test_a_new_focus_is_offered_again() -> None:
    """A change of focus is a new formulation, to be accepted again [MARKOWITZ-SWARTZ2007]."""
    course = begin().accept_formulation().hold()
    changed = course.change_focus(["role_dispute"], reason="the patient chose the dispute")
    assert not changed.formulation_accepted
    with pytest.raises(ProtocolError, match="accept_formulation"):
        changed.hold().hold().hold()
    assert changed.accept_formulation().hold().hold().hold().state is State.MIDDLE


def test_the_acceptance_is_written_and_read_back() -> None:
    """The course file keeps the acceptance step and its revision."""
    course = begin().accept_formulation(revision="agreed, with the dispute second").hold()
    again = load_course(json.dumps(dump_course(course)))
    assert again == course
    assert again.formulation_accepted


def test_step_dates_may_be_iso_text() -> None:
    """hold, move, terminate, drop_out and start_maintenance take ISO dates as the case file does."""
    course = begin()
    planned = course.next_session
    assert planned is not None
    held = course.hold(date=planned.date.isoformat())
    assert held.records[-1].date == planned.date
    following = held.next_session
    assert following is not None
    moved = held.move(to=(following.date + timedelta(days=1)).isoformat())
    assert moved.next_session == attrs.evolve(following, date=following.date + timedelta(days=1))
    assert held.drop_out(reason="moved away", date=planned.date.isoformat()) == held.drop_out(
        reason="moved away", date=planned.date
    )
    finished = hold_all(begin())
    end = finished.plan.end
    assert finished.terminate(date=end.isoformat()) == finished.terminate(date=end)
    closed = finished.terminate()
    again = closed.start_maintenance(start="2026-09-01", skip=["2026-10-01"])
    assert again.plan.start == date(2026, 9, 1)
    with pytest.raises(IptError, match=r"^date: '2026-02-30' is not a real calendar date$"):
        course.hold(date="2026-02-30")


def test_goal_status_in_either_spelling_is_written_with_underscores() -> None:
    """hold(goals=...) takes FHIR's hyphens or iptcore's underscores; the file has underscores,
    and a file written with hyphens still loads."""
    course = begin().accept_formulation()
    goal = course.goals[0].id
    hyphen = course.hold(goals={goal: "in-progress"})
    assert hyphen == course.hold(goals={goal: "in_progress"})
    assert hyphen.progress().goals[0].status is GoalStatus.IN_PROGRESS
    doc = dump_course(hyphen)
    text = json.dumps(doc)
    assert "in_progress" in text
    assert "in-progress" not in text
    old = json.loads(text.replace("in_progress", "in-progress"))
    assert load_course(old) == hyphen


def test_bad_session_data_is_a_case_error_with_its_path() -> None:
    """An unknown technique, goal or measure is the user's bad data: CaseError with the argument's
    path, like a bad case; a total alone is refused with the reason."""
    course = begin().accept_formulation()
    cases = [
        ({"techniques": ["clarification", "mind_reading"]}, "techniques[1]"),
        ({"goals": {"nope": "active"}}, "goals['nope']"),
        ({"measures": {"phq10": [0] * 9}}, "measures.phq10.instrument"),
        ({"measures": {"phq9": [0, 1]}}, "measures.phq9.items"),
        ({"measures": {"phq9": 12}}, "measures.phq9"),
    ]
    for kwargs, path in cases:
        with pytest.raises(CaseError) as err:
            course.hold(**kwargs)
        assert [p.path for p in err.value.problems] == [path], kwargs
    with pytest.raises(CaseError, match="a total alone cannot be recorded") as err:
        course.hold(measures={"phq9": 12})
    assert "tuple" not in str(err.value)
    assert course.hold(measures={"phq9": [0, 0, 1, 0, 0, 1, 0, 0, 0]}) == course.hold(
        measures={"phq9": (0, 0, 1, 0, 0, 1, 0, 0, 0)}
    )


def test_a_plan_before_the_assessment_is_refused() -> None:
    """A course treats what was assessed: its first session cannot come before the assessment."""
    early = plan_course(start=CASE.assessed - timedelta(days=7), focus=RESULT)
    with pytest.raises(IptError, match=r"^plan: .*2026-02-23.*2026-03-02") as err:
        Course.begin(CASE, early, formulation=formulate(CASE, RESULT))
    assert not isinstance(err.value, ProtocolError)
    same_day = plan_course(start=CASE.assessed, focus=RESULT)
    assert Course.begin(CASE, same_day).plan.start == CASE.assessed


# -- a step's fields refused in the one form (folded from the tests of the validators that every
# value class shares) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notes": 3}, "notes: must be a string, got 3"),
        (
            {"notes": "x" * 10_001},
            "notes: is 10,001 characters, more than the limit of 10,000 (max_text)",
        ),
        (
            {"homework": "a\ud800"},
            (
                "homework: holds a lone surrogate (\\ud800) at character 1, which is not "
                "Unicode text and cannot be written as UTF-8"
            ),
        ),
        ({"number": -1}, "number: must be a whole number, got -1"),
        ({"number": True}, "number: must be a whole number, got True"),
        ({"date": "2026-03-09"}, "date: must be a datetime.date, got '2026-03-09'"),
    ],
)
def test_a_steps_fields_are_refused_in_the_one_form(
    changes: dict[str, object], message: str
) -> None:
    """A held session's free texts are Unicode text within max_text, as the course file holds
    them (so that whatever a step accepts, the file reloads); its number is a whole number of 0
    or more and its date a datetime.date (not a datetime)."""
    from datetime import datetime

    fields: dict[str, object] = {"kind": "hold", "number": 1, "date": MONDAY, **changes}
    with pytest.raises(IptError) as info:
        Step(**fields)  # type: ignore[arg-type]
    assert str(info.value) == message
    with pytest.raises(IptError) as info:
        Step(kind="hold", number=1, date=datetime(2026, 3, 9, 9))
    assert str(info.value) == (
        "date: must be a datetime.date, got datetime.datetime(2026, 3, 9, 9, 0)"
    )
    longest = Step(kind="hold", number=0, date=MONDAY, notes="x" * 10_000, homework="Zoë")
    assert (longest.number, len(longest.notes), longest.homework) == (0, 10_000, "Zoë")


# -- replay: each step changes a date or two, never rebuilds the plan ------------------------------


def _sessions_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the PlannedSession values made from now on (one item per value)."""
    made: list[int] = []
    init = PlannedSession.__init__

    def counted(self: PlannedSession, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(PlannedSession, "__init__", counted)
    return made


def test_replaying_steps_makes_sessions_in_linear_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """A step of a course changes a date or two of its plan: taking N steps, or reading a file of
    N steps, on a plan of S sessions makes about N + S session values, not N x S (each step
    rebuilt the whole plan: 2,000 moves on a 1,000-session plan took most of a minute to read)."""
    sessions = steps = 200
    plan = plan_course("maintenance", start=MONDAY, sessions=sessions)
    first = plan.start
    made = _sessions_made(monkeypatch)
    course = Course.begin(CASE, plan)
    for i in range(steps):
        course = course.move(to=first + timedelta(days=i % 2), reason="fictional")
    for _ in range(steps // 4):
        course = course.hold()
    assert course.plan.count == sessions
    assert len(made) <= 2 * (sessions + steps)
    doc = dump_course(course)
    made.clear()
    loaded = load_course(doc)
    assert loaded.plan == course.plan
    assert len(made) <= 2 * (sessions + steps)


# -- a problem in a course file is where its cause is ---------------------------------------------


def _problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_course(doc)
    return [str(p) for p in info.value.problems]


def test_an_unknown_goal_in_a_course_file_is_at_the_step_that_names_it() -> None:
    """A held session's change of status names a goal the course does not have: the problem is at
    that step's goal_status, under the goal's id, not at the course's goals."""
    course = hold_next(hold_next(begin()))
    known = [g.id for g in course.goals]
    doc = dump_course(hold_next(course))
    doc["steps"][-1]["goal_status"] = {"no.such.goal": "active"}
    step = len(doc["steps"]) - 1
    assert _problems(doc) == [
        f'steps[{step}].goal_status["no.such.goal"]: no such goal; the goals are {known}'
    ]
    doc["steps"][-1]["goal_status"] = {known[0]: "done", "also_not_one": "active"}
    assert [p.split(":")[0] for p in _problems(doc)] == [f'steps[{step}].goal_status["{known[0]}"]']


def test_an_unknown_goal_in_a_course_file_is_logged_without_its_id() -> None:
    """The redacted form of a step's unknown goal (what a log keeps) hides the id the file made up
    and names the rule: the path's key is ``[?]``, the message says no goal of the course."""
    course = hold_next(hold_next(begin()))
    doc = dump_course(hold_next(course))
    doc["steps"][-1]["goal_status"] = {"no.such.goal": "active"}
    step = len(doc["steps"]) - 1
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [str(p) for p in info.value.redacted().problems] == [
        f"steps[{step}].goal_status[?]: names no goal of the course"
    ]


def _late_plan(protocol: str = "ipt") -> Any:
    return plan_course(protocol, start=date(9999, 9, 27), sessions=12, focus=["grief"])


def test_dates_past_the_calendar_are_at_the_field_that_sets_them() -> None:
    """A step that would put sessions after 9999-12-31 is refused at the field that moves them:
    a move's ``to``, a renegotiation's ``sessions``; a missed session made up later, at its step;
    a plan, at its ``start``."""
    course = Course.begin(CASE, _late_plan())
    past = "the sessions would run past 9999-12-31, the last date a datetime.date holds"
    with pytest.raises(IptError) as info:
        course.move(to=date(9999, 12, 20), shift_rest=True)
    assert str(info.value) == f"to: {past}"
    with pytest.raises(IptError) as info:
        course.renegotiate(sessions=16, reason="fictional")
    assert str(info.value) == f"sessions: {past}"
    with pytest.raises(IptError) as info:
        plan_course("ipt", start=date(9999, 12, 1))
    assert str(info.value) == f"start: {past}"
    doc = dump_course(course)
    doc["steps"] = [{"kind": "move", "number": 1, "to": "9999-12-20", "shift_rest": True}]
    assert _problems(doc) == [f"steps[0].to: {past}"]
    doc["steps"] = [{"kind": "renegotiate", "sessions": 16, "reason": "fictional"}]
    assert _problems(doc) == [f"steps[0].sessions: {past}"]
    keep_count = attrs.evolve(PROTOCOLS["ipt"], name="ipt-keep-count", on_miss="keep_count")
    late = plan_course(keep_count, start=date(9999, 10, 11), sessions=12, focus=["grief"])
    doc = dump_course(Course.begin(CASE, late))
    doc["steps"] = [{"kind": "miss", "number": 1, "reason": "fictional"}]
    assert _problems(doc) == [f"steps[0]: {past}"]


# -- no session before the assessment ------------------------------------------------------------


def test_no_session_is_held_or_moved_before_the_assessment() -> None:
    """A course treats what was assessed: its sessions, as its plan (Course.begin), come on or
    after the case's assessment. Holding or moving the first session to 0001-01-01 is refused,
    and the course is unchanged; the day of the assessment itself is allowed."""
    course = begin()
    assessed = CASE.assessed
    before = snapshot(course)
    for step in (
        lambda c: c.hold(date=date(1, 1, 1)),
        lambda c: c.move(to=date(1, 1, 1)),
        lambda c: c.move(to=assessed - timedelta(days=1), shift_rest=True),
    ):
        with pytest.raises(ProtocolError, match=rf"is before the case was assessed \({assessed}\)"):
            step(course)
        assert snapshot(course) == before
    assert course.hold(date=assessed).records[0].date == assessed
    assert course.move(to=assessed).next_session == attrs.evolve(
        course.plan.sessions[0], date=assessed
    )


def test_a_course_file_before_the_assessment_is_refused_at_its_path() -> None:
    """In a course file the same rule is a problem at the step, and a contract whose first session
    comes before the assessment is refused at ``contract``, as Course.begin refuses it."""
    doc = dump_course(begin())
    doc["steps"] = [{"kind": "hold", "number": 1, "date": "0001-01-01"}]
    (problem,) = _problems(doc)
    assert problem.startswith(
        "steps[0]: cannot hold in state initial: the date 0001-01-01 is before"
    )
    doc["steps"] = [{"kind": "move", "number": 1, "to": "0001-01-01", "shift_rest": True}]
    (problem,) = _problems(doc)
    assert problem.startswith("steps[0]: cannot move in state initial: the new date 0001-01-01")
    early = plan_course(start=CASE.assessed - timedelta(days=7), focus=RESULT)
    doc = dump_course(begin())
    doc["contract"] = dump_plan(early)
    refusal = (
        f"contract: its first session, {early.start}, is before the case's assessment, "
        f"{CASE.assessed}; plan the course from the assessment on"
    )
    assert _problems(doc) == [refusal]
    with pytest.raises(IptError, match=r"^contract: its first session"):
        Course(case=CASE, contract=early)


# -- a course file holds only what the API could have built ------------------------------------------


def _initial_doc() -> tuple[Course, dict[str, Any]]:
    """A course in its initial phase, one session held, and its file."""
    course = begin().accept_formulation().hold()
    return course, dump_course(course)


FOCUS_OF_THREE = [{"area": "grief"}, {"area": "role_dispute"}, {"area": "role_transition"}]


@pytest.mark.parametrize(
    ("step", "path", "words"),
    [
        pytest.param(
            {"kind": "change_focus", "focus": FOCUS_OF_THREE}, "focus", "at most two", id="three"
        ),
        pytest.param(
            {"kind": "change_focus", "focus": [{"area": "grief"}, {"area": "grief"}]},
            "focus",
            "the same problem area twice",
            id="repeated",
        ),
        pytest.param(
            {
                "kind": "change_focus",
                "focus": [{"area": "grief"}, {"area": "interpersonal_deficits"}],
            },
            "focus",
            "never a focus beside another area",
            id="deficits beside grief",
        ),
        pytest.param({"kind": "miss", "number": 2}, "reason", "must say why", id="miss, no reason"),
        pytest.param(
            {"kind": "miss", "number": 2, "reason": "  "}, "reason", "must say why", id="blank"
        ),
        pytest.param(
            {"kind": "drop_out", "date": "2026-03-20"}, "reason", "must say why", id="drop out"
        ),
        pytest.param(
            {"kind": "hold", "number": 2, "date": "2026-03-16", "techniques": ["mind_reading"]},
            "techniques[0]",
            "no technique 'mind_reading' in the catalogue",
            id="unknown technique",
        ),
        pytest.param(
            {
                "kind": "hold",
                "number": 2,
                "date": "2026-03-16",
                "measures": [{"date": "2026-03-17", "instrument": "phq9", "items": [0] * 9}],
            },
            "measures[0].date",
            "is 2026-03-17, not the session's 2026-03-16",
            id="measure of another day",
        ),
        pytest.param(
            {
                "kind": "hold",
                "number": 2,
                "date": "2026-03-16",
                "measures": [{"date": "2026-03-16", "instrument": "phq9", "items": [None] * 9}],
            },
            "measures[0]",
            "prorated with at most 1 missing item",
            id="measure that cannot be scored",
        ),
        pytest.param(
            {"kind": "change_focus", "focus": [{"area": "grief"}], "techniques": ["clarification"]},
            "techniques",
            "not the techniques the catalogue gives the focus",
            id="techniques not looked up",
        ),
    ],
)
def test_a_course_file_step_the_api_refuses_is_refused(
    step: dict[str, Any], path: str, words: str
) -> None:
    """Each step here is one that Course's methods refuse (the focus rules [GUIDE], a miss or
    drop-out that says why, the catalogue's techniques, a session's own measures, the techniques
    looked up for a new focus): the file is refused too, at the step's field."""
    _, doc = _initial_doc()
    doc["steps"].append(step)
    where = f"steps[{len(doc['steps']) - 1}].{path}"
    problems = _problems(doc)
    assert [p.split(": ", 1)[0] for p in problems] == [where], problems
    assert words in problems[0]


def _goal_json(goal: Goal) -> dict[str, Any]:
    out = {"id": goal.id, "area": goal.area.value, "text": goal.text, "source": goal.source}
    if goal.person is not None:
        out["person"] = goal.person
    return {**out, "status": goal.status.value}


def test_goals_with_a_repeated_id_or_an_unknown_person_are_refused_everywhere() -> None:
    """A course's goals have distinct ids and are about people of its case: Course.begin,
    change_focus, Course(...) and the course file refuse the others alike, at their paths."""
    course, doc = _initial_doc()
    goal = course.goals[0]
    stranger = attrs.evolve(goal, id="transition.with.nobody", person="nobody")
    plan = course.contract
    looked_up = list(course.change_focus(["role_transition"]).steps[-1].techniques)
    for goals, path, words in (
        ([goal, goal], "goals[1].id", f"{goal.id!r} is the id of the goal at [0] too"),
        ([stranger], "goals[0].person", "names nobody: no person 'nobody'"),
    ):
        with pytest.raises(CaseError) as info:
            Course.begin(CASE, plan, goals=goals)
        assert [str(p) for p in info.value.problems] == [f"{path}: {words}"]
        with pytest.raises(CaseError) as info:
            Course(case=CASE, contract=plan, initial_goals=goals)
        assert [p.path for p in info.value.problems] == [f"initial_{path}"]
        with pytest.raises(CaseError) as info:
            course.change_focus(["role_transition"], goals=goals)
        assert [str(p) for p in info.value.problems] == [f"{path}: {words}"]
        bad = json.loads(json.dumps(doc))
        bad["goals"] = [_goal_json(g) for g in goals]
        assert _problems(bad) == [f"{path}: {words}"]
        bad = json.loads(json.dumps(doc))
        new_focus = {
            "kind": "change_focus",
            "focus": [{"area": "role_transition"}],
            "techniques": looked_up,
            "goals": [_goal_json(g) for g in goals],
        }
        bad["steps"].append(new_focus)
        step = len(bad["steps"]) - 1
        assert _problems(bad) == [f"steps[{step}].{path}: {words}"]


def test_a_maintenance_contract_keeps_the_courses_focus() -> None:
    """start_maintenance plans the course's focus: a file whose maintenance plan has another one
    is refused at the step."""
    course = hold_all(begin()).start_maintenance(start=date(2027, 1, 4), sessions=2)
    doc = dump_course(course)
    grief = plan_course("maintenance", start=date(2027, 1, 4), sessions=2, focus=["grief"])
    assert course.focus != grief.focus
    doc["steps"][-1]["plan"] = dump_plan(grief)
    (problem,) = _problems(doc)
    assert problem.startswith(f"steps[{len(doc['steps']) - 1}]: cannot start maintenance")
    assert "is not the course's" in problem


def test_load_course_checks_techniques_against_the_catalogue_the_course_used() -> None:
    """A course may use a catalogue of the user's own (hold(catalogue=...)); its file is read with
    that catalogue, and a technique not in it is refused at its path."""
    without = TECHNIQUES.drop("clarification")
    course = begin().accept_formulation().hold(techniques=["clarification"])
    doc = dump_course(course)
    assert load_course(doc) == course
    with pytest.raises(CaseError) as info:
        load_course(doc, catalogue=without)
    assert [p.path for p in info.value.problems] == ["steps[1].techniques[0]"]
    mine = begin().accept_formulation().hold(techniques=["clarification"], catalogue=TECHNIQUES)
    assert load_course(dump_course(mine), catalogue=TECHNIQUES) == mine


# -- renegotiated sessions pass over the holidays, as planned ones do --------------------------------


def test_renegotiating_more_sessions_passes_over_the_skipped_dates() -> None:
    """The skip dates hold no session: plan_course passes over them ("a session that falls on one
    moves one cadence step later"), and so does a contract renegotiated to more sessions. A
    12-session weekly plan from Monday 9 March 2026 ends on 25 May; with a holiday on 1 June, the
    four sessions added by renegotiating to 16 fall on 8, 15, 22 and 29 June."""
    holiday = date(2026, 6, 1)
    plan = plan_course("ipt", start=MONDAY, sessions=12, skip=[holiday], focus=RESULT)
    assert plan.end == date(2026, 5, 25)
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))
    longer = course.renegotiate(sessions=16, reason="a fictional request for more time")
    added = [s.date for s in longer.plan.sessions if s.number > 12]
    assert added == [date(2026, 6, 8), date(2026, 6, 15), date(2026, 6, 22), date(2026, 6, 29)]
    assert holiday not in [s.date for s in longer.plan.sessions]
    assert load_course(dump_course(longer)).plan == longer.plan


# -- the course file holds what the API builds, and only that ---------------------------------------

STEPS = st.lists(
    st.one_of(
        *[st.tuples(st.just("hold"), st.integers(-2, 2))] * 5,
        st.tuples(st.just("measure"), st.lists(st.integers(0, 3), min_size=9, max_size=9)),
        st.tuples(st.just("goal"), st.sampled_from(["active", "achieved", "in-progress"])),
        st.tuples(st.just("tasks"), st.sampled_from(["sick_role", "inventory", "raise_end"])),
        st.tuples(st.just("accept"), st.sampled_from(["", "the move first"])),
        st.tuples(st.just("miss"), st.just("fictional")),
        st.tuples(st.sampled_from(["move", "shift"]), st.integers(-3, 9)),
        st.tuples(st.just("renegotiate"), st.integers(-3, 3)),
        st.tuples(
            st.just("focus"),
            st.lists(st.sampled_from(list(ProblemArea)), min_size=1, max_size=2, unique=True),
        ),
        st.tuples(st.just("terminate"), st.integers(0, 3)),
        st.tuples(st.just("drop"), st.just("fictional")),
        st.tuples(st.just("maintain"), st.integers(1, 40)),
    ),
    min_size=10,
    max_size=40,
)


def _take(course: Course, step: tuple[str, Any]) -> Course:
    """One step of a walk through the API; a step the API refuses raises, as it does."""
    name, arg = step
    upcoming = course.next_session
    base = upcoming.date if upcoming is not None else MONDAY
    last = course.records[-1].date if course.records else MONDAY
    if name == "hold":
        return course.hold(date=base + timedelta(days=arg), techniques=["clarification"])
    if name == "measure":
        return course.hold(measures={"phq9": arg}, notes="fictional")
    if name == "goal":
        return course.hold(goals={g.id: arg for g in course.goals[:1]}, homework="fictional")
    if name == "tasks":
        return course.hold(tasks=[arg], other_techniques=["behavioural activation"])
    if name == "accept":
        return course.accept_formulation(revision=arg)
    if name == "miss":
        return course.miss(reason=arg)
    if name in ("move", "shift"):
        return course.move(to=base + timedelta(days=arg), shift_rest=name == "shift")
    if name == "renegotiate":
        return course.renegotiate(sessions=course.plan.count + arg, reason="fictional")
    if name == "focus":
        return course.change_focus(arg, reason="fictional", per_area=2)
    if name == "terminate":
        return course.terminate(date=last + timedelta(days=arg))
    if name == "drop" and len(course.steps) >= 12:  # late, so that most walks go deep
        return course.drop_out(reason=arg)
    if name != "maintain":
        return hold_next(course)
    return course.start_maintenance(start=last + timedelta(days=arg), sessions=3, per_area=1)


@st.composite
def walked_courses(draw: st.DrawFn) -> Course:
    """A course walked at random through the API, from a plan made by plan_course."""
    protocol = draw(st.sampled_from(["ipt", "ipt-b", "ipc", "group", "maintenance"]))
    focused = draw(st.booleans())
    plan = plan_course(
        protocol,
        start=MONDAY,
        skip=draw(st.lists(st.sampled_from([MONDAY + timedelta(weeks=w) for w in (2, 5, 20)]))),
        focus=RESULT if focused else (),
        per_area=draw(st.sampled_from([1, 4, None])),
    )
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT) if focused else None)
    for step in draw(STEPS):
        try:
            course = _take(course, step)
        except IptError:  # refused: the next session held instead, if it can be
            with contextlib.suppress(IptError):
                course = _onwards(course)
    return course


def _onwards(course: Course) -> Course:
    """The next session held, the formulation accepted first where it must be."""
    if not course.formulation_accepted:
        with contextlib.suppress(ProtocolError):
            course = course.accept_formulation()
    return course.hold()


def _per_area(ids: tuple[str, ...], focus: Any, protocol: Any) -> int | None:
    """The per_area with which lookup_techniques gives ``ids`` for the focus (the test fails when
    none does: the API could not have given them)."""
    from iptcore.plan import lookup_techniques

    for per_area in [*range(1, 40), None]:
        if lookup_techniques(focus, protocol, per_area=per_area) == ids:
            return per_area
    raise AssertionError(f"no per_area gives the techniques {ids}")


def _planned(plan: Any, focus: Any) -> Any:
    """``plan`` made again by plan_course, as the API makes a contract."""
    per_area = _per_area(plan.techniques, plan.focus, plan.protocol) if plan.focus else 4
    return plan_course(
        plan.protocol,
        start=plan.start,
        sessions=plan.count,
        skip=plan.skip,
        focus=focus,
        per_area=per_area,
    )


def through_the_api(course: Course) -> Course:
    """``course`` built again from its contract, goals and steps by the API's own methods, each
    step from the fields of its record: it raises if the API refuses any of them."""
    contract = course.contract
    again = Course.begin(
        course.case, _planned(contract, contract.focus), goals=course.initial_goals
    )
    for step in course.steps:
        kind = step.kind
        if kind is StepKind.HOLD:
            again = again.hold(
                date=step.date,
                measures=step.measures,
                techniques=step.techniques,
                tasks=step.tasks,
                other_techniques=step.other_techniques,
                homework=step.homework,
                notes=step.notes,
                goals=dict(step.goal_status) or None,
            )
        elif kind is StepKind.MISS:
            again = again.miss(reason=step.reason)
        elif kind is StepKind.MOVE:
            assert step.to is not None
            again = again.move(to=step.to, shift_rest=step.shift_rest, reason=step.reason)
        elif kind is StepKind.RENEGOTIATE:
            assert step.sessions is not None
            again = again.renegotiate(sessions=step.sessions, reason=step.reason)
        elif kind is StepKind.CHANGE_FOCUS:
            per_area = _per_area(step.techniques, step.focus, again.plan.protocol)
            again = again.change_focus(
                step.focus, reason=step.reason, goals=step.goals, per_area=per_area
            )
        elif kind is StepKind.ACCEPT_FORMULATION:
            again = again.accept_formulation(revision=step.notes)
        elif kind is StepKind.TERMINATE:
            again = again.terminate(date=step.date, reason=step.reason)
        elif kind is StepKind.DROP_OUT:
            again = again.drop_out(date=step.date, reason=step.reason)
        else:
            plan = step.plan
            assert plan is not None
            per_area = _per_area(plan.techniques, again.focus, plan.protocol) if plan.focus else 4
            again = again.start_maintenance(
                start=plan.start,
                sessions=plan.count,
                protocol=plan.protocol,
                skip=plan.skip,
                reason=step.reason,
                per_area=per_area,
            )
    return again


@given(course=walked_courses())
def test_a_course_built_through_the_api_round_trips_through_its_file(course: Course) -> None:
    """Whatever the API accepts, the file holds: the course reads back equal, and is one the API
    builds again from its own record."""
    event(f"{len(course.steps) // 10 * 10}+ steps, state {course.state.value}")
    text = json.dumps(dump_course(course), allow_nan=False)
    loaded = load_course(text)
    assert loaded == course
    assert snapshot(loaded) == snapshot(course)
    assert through_the_api(loaded) == course


def _mutate(doc: dict[str, Any], data: st.DataObject) -> str:
    """One hand edit of the file ``doc``, in place: a value of the contract, the goals or the
    steps changed, a key dropped, a step dropped, repeated or swapped; what it did, in words."""
    places: list[tuple[Any, Any, str]] = []

    def walk(node: Any, path: str) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            where = f"{path}.{key}" if isinstance(node, dict) else f"{path}[{key}]"
            places.append((node, key, where))
            if isinstance(value, dict | list):
                walk(value, where)

    region = data.draw(
        st.sampled_from(
            ["contract", "contract.sessions", "goals", "steps", "steps", "assessed"]
            + ["new step"] * 3
        ),
        label="region",
    )
    if region == "new step":
        count = len(doc["steps"])
        early = st.integers(0, min(count, 3))  # where a change of focus is still legal
        at = data.draw(st.one_of(early, st.integers(0, count)), label="at")
        step = data.draw(_written_steps(doc, at), label="step")
        doc["steps"].insert(at, step)
        return f"inserted {step} at steps[{at}]"
    if region == "assessed":  # the day before which no session comes
        places.append((doc["case"], "assessed", "case.assessed"))
    elif region == "contract":
        places += [(doc["contract"], key, f"contract.{key}") for key in doc["contract"]]
        walk(doc["contract"]["focus"], "contract.focus")
    elif region == "contract.sessions":
        walk(doc["contract"]["sessions"], region)
    elif region == "steps" and doc["steps"]:
        # One step, then one of its fields: each field of each kind of step is as likely.
        i = data.draw(st.integers(0, len(doc["steps"]) - 1), label="step")
        step = doc["steps"][i]
        key = data.draw(st.sampled_from(sorted(step)), label="field")
        places += [(doc["steps"], i, f"steps[{i}]"), (step, key, f"steps[{i}].{key}")]
        if isinstance(step[key], dict | list):
            walk(step[key], f"steps[{i}].{key}")
    else:
        places.append((doc, region, region))
        walk(doc[region], region)
    node, key, where = data.draw(st.sampled_from(places), label="place")
    old = node[key]
    wild = st.one_of(
        st.sampled_from([None, True, False, 0, 1, 2, -1, 99, "", " ", "fictional", [], {}]),
        st.sampled_from([a.value for a in ProblemArea] + ["clarification", "mind_reading"]),
    )
    # A value of the same kind, near the old one (a day or a few later, one more, another word):
    # the edits that most often leave a file the API could have written.
    if isinstance(old, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", old):
        near = st.integers(-7, 7).map(lambda d: date.fromisoformat(old) + timedelta(days=d))
        near = near.map(date.isoformat)
    elif isinstance(old, bool):
        near = st.just(not old)
    elif isinstance(old, int):
        near = st.integers(old - 2, old + 2)
    elif isinstance(old, str) and "techniques" in where:
        near = st.sampled_from(["clarification", "role_playing", "mind_reading", ""])
    elif isinstance(old, str):
        near = st.sampled_from(["", " ", "another fictional reason", "in-progress", "achieved"])
    else:
        near = wild
    choices = st.one_of(near, near, wild)
    how = data.draw(st.sampled_from(["set", "set", "set", "drop", "repeat", "swap"]), label="how")
    if how == "drop" or (how in ("repeat", "swap") and not isinstance(node, list)):
        del node[key]
        return f"dropped {where}"
    if how == "repeat":
        node.insert(key, json.loads(json.dumps(old)))
        return f"repeated {where}"
    if how == "swap":
        other = data.draw(st.integers(0, len(node) - 1), label="other")
        node[key], node[other] = node[other], node[key]
        return f"swapped {where} with [{other}]"
    node[key] = data.draw(choices, label="value")
    return f"set {where} to {node[key]!r}"


def _written_steps(doc: dict[str, Any], at: int) -> st.SearchStrategy[dict[str, Any]]:
    """Steps as a hand edit might write them at ``steps[at]``: of every kind, most numbered and
    dated as the session then due, often with what the API refuses (a focus of three areas or of
    one area twice, a miss that does not say why, a technique of another model)."""
    before = load_course({**doc, "steps": doc["steps"][:at]})  # the course that the step follows
    upcoming = before.next_session
    due = (upcoming.number, upcoming.date) if upcoming is not None else (1, MONDAY)
    number = st.sampled_from([due[0], due[0], due[0] - 1, due[0] + 1])
    day = st.sampled_from([0, 0, 0, -1, 1, -8, 8]).map(
        lambda d: (due[1] + timedelta(days=d)).isoformat()
    )
    reason = st.sampled_from(["", " ", "fictional"])
    areas = st.lists(st.sampled_from([a.value for a in ProblemArea]), min_size=1, max_size=3)
    protocol = before.contract.protocol

    def new_focus(words: list[str]) -> dict[str, Any]:
        from iptcore.plan import FocusArea, lookup_techniques

        focus = [FocusArea(area=w) for w in words]
        techniques = lookup_techniques(focus, protocol, per_area=2)
        return {"kind": "change_focus", "focus": [{"area": w} for w in words],
                "techniques": list(techniques)}  # fmt: skip

    return st.one_of(
        st.builds(lambda n, d: {"kind": "hold", "number": n, "date": d}, number, day),
        *[
            st.builds(
                lambda n, d, t: {"kind": "hold", "number": n, "date": d, "techniques": [t]},
                number,
                day,
                st.sampled_from(["clarification", "mind_reading"]),
            )
        ]
        * 3,
        st.builds(lambda n, r: {"kind": "miss", "number": n, "reason": r}, number, reason),
        st.builds(
            lambda n, d, b: {"kind": "move", "number": n, "to": d, "shift_rest": b},
            number,
            day,
            st.booleans(),
        ),
        st.builds(lambda d, r: {"kind": "drop_out", "date": d, "reason": r}, day, reason),
        st.builds(lambda d: {"kind": "terminate", "date": d}, day),
        st.builds(
            lambda k, r: {"kind": "renegotiate", "sessions": k, "reason": r},
            st.integers(2, 17),
            reason,
        ),
        st.just({"kind": "accept_formulation"}),
        areas.map(new_focus),
        areas.map(new_focus),
        areas.map(new_focus),
    )


@given(course=walked_courses(), data=st.data())
def test_a_hand_edited_course_file_holds_what_the_api_builds_or_is_refused(
    course: Course, data: st.DataObject
) -> None:
    """The reverse: a course file edited by hand either reads as a course that the API builds
    again, step by step, from the file's own record, or is refused with a CaseError whose every
    problem has a path; never anything else."""
    doc = json.loads(json.dumps(dump_course(course)))
    edit = _mutate(doc, data)
    refused: tuple[Any, ...] = ()
    try:
        loaded = load_course(doc)
    except CaseError as exc:
        refused = exc.problems
    if refused:
        event("refused")
        assert all(isinstance(p.path, str) and p.message for p in refused), edit
        return
    event("loaded: the API builds it again" if loaded != course else "loaded: the same course")
    assert through_the_api(loaded) == loaded, edit
    assert load_course(json.dumps(dump_course(loaded))) == loaded, edit


def test_a_hand_edited_course_file_reports_every_problem_at_once() -> None:
    """A repeated goal, a miss that does not say why and a technique of another model, in one
    file: three problems in one CaseError, each at its path, before any step is replayed."""
    course = hold_next(hold_next(hold_next(begin())))
    doc = json.loads(json.dumps(dump_course(course)))
    doc["goals"].append(doc["goals"][0])
    doc["steps"][1] = {"kind": "miss", "number": 1}
    doc["steps"][2]["techniques"] = ["mind_reading"]
    assert [p.split(": ", 1)[0] for p in _problems(doc)] == [
        "steps[1].reason",
        "steps[2].techniques[0]",
        "goals[3].id",
    ]


# -- a session's refusals, for logs: the redacted form quotes nothing of the input ---------------

SECRET = "mary.smith"  # a fictional value that a log must never keep


def _redacted(exc: IptError) -> str:
    """What a log keeps of a refusal: its redacted form."""
    if isinstance(exc, CaseError):
        return str(exc.redacted())
    assert exc.redacted_message is not None, f"no redacted form for {exc}"
    return exc.redacted_message


_STATUSES = ", ".join(s.value for s in GoalStatus)
_TASKS = ", ".join(sorted(PROTOCOLS["ipc"].task_ids))
_SESSION = "invalid session, 1 problem: "


@pytest.mark.parametrize(
    ("kwargs", "log"),
    [
        ({"goals": {SECRET: "active"}}, _SESSION + "goals[?]: names no goal of the course"),
        ({"goals": {"g": SECRET}}, f"goals[?]: must be one of {_STATUSES}"),
        ({"goals": [SECRET]}, "goals: must be a mapping of goal id to status"),
        ({"techniques": [SECRET]}, _SESSION + "techniques[0]: names no technique of the catalogue"),
        ({"techniques": SECRET}, "techniques: must be a list of technique ids"),
        ({"tasks": SECRET}, "tasks: must be a list of strings"),
        ({"tasks": ["sick_role", SECRET]}, f"tasks[1]: is not a task of ipc ({_TASKS})"),
        ({"other_techniques": SECRET}, "other_techniques: must be a list of strings"),
        ({"homework": [SECRET]}, "homework: must be a string, got a list"),
        ({"notes": [SECRET]}, "notes: must be a string, got a list"),
        ({"measures": SECRET}, "measures: must be a mapping of instrument to items"),
        ({"measures": [SECRET]}, _SESSION + "measures[0]: must be a Measure, got a string"),
        (
            {"measures": {"phq9": SECRET}},
            _SESSION
            + "measures.phq9: must be a list of the item answers; a total alone cannot be recorded",
        ),
        (
            {"measures": {SECRET: [0, 1]}},
            _SESSION + "measures[?].instrument: must be one of phq9, gad7, hamd17, got a string",
        ),
        (
            {"measures": {SECRET: "12"}},
            _SESSION
            + "measures[?]: must be a list of the item answers; a total alone cannot be recorded",
        ),
    ],
)
def test_a_session_refusal_has_a_redacted_form_without_the_input(
    kwargs: dict[str, Any], log: str
) -> None:
    """A refusal of :meth:`Course.hold` shows the user what was wrong, value included, and its
    redacted form (what the errors module says to log) keeps the path and the rule alone: no id,
    no word of the notes, nothing the input made up."""
    with pytest.raises(IptError) as caught:
        _short_course().hold(**kwargs)
    assert SECRET in str(caught.value)
    assert _redacted(caught.value) == log


def test_a_session_measure_of_another_day_is_refused_without_the_dates_in_the_log() -> None:
    course = _short_course()
    other = Measure(date=date(2025, 1, 2), instrument="phq9", items=[0] * 9)  # fictional
    with pytest.raises(CaseError) as caught:
        course.hold(measures=[other])
    assert "2025-01-02" in str(caught.value)
    assert str(caught.value.redacted()) == (
        "invalid session, 1 problem: measures[0]: is not dated the session's date"
    )


def test_every_unknown_technique_and_goal_of_a_session_is_reported_at_once() -> None:
    """Every problem at once: two unknown techniques are two problems, two unknown goals two."""
    with pytest.raises(CaseError) as caught:
        _short_course().hold(techniques=["clarification", "mind_reading", "role_playing", "x"])
    assert [p.path for p in caught.value.problems] == ["techniques[1]", "techniques[3]"]
    with pytest.raises(CaseError) as caught:
        _short_course().hold(goals={"a": "active", "b": "achieved"})
    assert [p.path for p in caught.value.problems] == ["goals['a']", "goals['b']"]


def test_every_problem_of_a_session_is_reported_at_once() -> None:
    """Measures, techniques and goals are checked together: one call shows every problem."""
    measures = {"phq9": [0, 1], "gad7": "12", "hamd17": [0] * 17}
    with pytest.raises(CaseError) as caught:
        _short_course().hold(measures=measures, techniques=["x"], goals={"g": "active"})
    assert [p.path for p in caught.value.problems] == [
        "measures.phq9.items",
        "measures.gad7",
        "techniques[0]",
        "goals['g']",
    ]
    wrong_day = Measure(date=date(2025, 1, 2), instrument="gad7", items=[0] * 7)  # fictional
    with pytest.raises(CaseError) as caught:
        _short_course().hold(measures=["phq9", wrong_day])
    assert [p.path for p in caught.value.problems] == ["measures[0]", "measures[1]"]


@pytest.mark.parametrize(
    ("items", "log"),
    [
        (
            [0] * 8 + [987],
            "measures.phq9.items[8]: item 9 is outside the instrument's range of scores",
        ),
        ([None] * 8 + [2], "measures.phq9: phq9 is prorated with at most 1 missing item"),
    ],
)
def test_a_session_measure_that_cannot_be_scored_keeps_its_answers_out_of_the_log(
    items: list[int | None], log: str
) -> None:
    """The answers of a measure are the patient's: the refusal quotes them for the user, and its
    redacted form names the instrument's rule alone."""
    with pytest.raises(CaseError) as caught:
        _short_course().hold(measures={"phq9": items})
    assert "987" in str(caught.value) or "items 1, 2, 3, 4, 5, 6, 7 and 8" in str(caught.value)
    assert str(caught.value.redacted()) == f"invalid session, 1 problem: {log}"


# -- what a course shows people: describe() and progress(), written from their definitions ------


def _course_with_a_miss() -> Course:
    """A fictional IPC course of three sessions: session 1 held with a PHQ-9 whose item 9 is above
    0 and a goal set active, session 2 missed (IPC's contract keeps its end: no make-up)."""
    plan = plan_course("ipc", start=MONDAY, sessions=3, focus=RESULT)
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).accept_formulation()
    first = course.goals[0].id
    return course.hold(measures=PHQ9_RISK, goals={first: "active"}).miss(reason="ill")


def test_describe_lists_each_session_held_missed_or_planned_then_the_progress() -> None:
    course = _course_with_a_miss()
    progress = course.progress()
    lines = course.describe().splitlines()
    assert lines[:7] == [
        f"Course of case {CASE.id}: Interpersonal counselling (IPC), state termination",
        "Focus: role transition",
        "",
        "  1  2026-03-09  initial      held",
        "  2  2026-03-16  middle       missed (ill)",
        "  3  2026-03-23  termination  planned",
        "",
    ]
    assert lines[7:] == progress.describe().splitlines()
    ended = course.hold().terminate()
    assert [line for line in ended.describe().splitlines() if "planned" in line] == []


def test_progress_counts_sessions_and_shows_goals_trajectories_and_warnings() -> None:
    course = _course_with_a_miss()
    progress = course.progress()
    assert (progress.state, progress.held, progress.missed, progress.remaining) == (
        State.TERMINATION,
        1,
        1,
        1,
    )
    goals = course.goals
    assert [g.status for g in goals] == [GoalStatus.ACTIVE] + [GoalStatus.PROPOSED] * (
        len(goals) - 1
    )
    # The risk answer of session 1 is a warning, named by the session and its date.
    assert [w.split(": ")[0] for w in progress.warnings] == ["session 1 (2026-03-09), phq9"]
    assert progress.describe().splitlines() == [
        "Sessions: 1 held, 1 missed, 1 to come (state termination)",
        *(f"Goal {g.id} [{g.status.value}]: {g.text}" for g in goals),
        *"\n".join(t.describe() for t in progress.trajectories).splitlines(),
        *(f"WARNING: {w}" for w in progress.warnings),
    ]
    assert progress.to_dict() == {
        "state": "termination",
        "held": 1,
        "missed": 1,
        "remaining": 1,
        "goals": [
            {"id": g.id, "area": "role_transition", "text": g.text, "status": g.status.value}
            for g in goals
        ],
        "trajectories": [t.to_dict() for t in progress.trajectories],
        "warnings": list(progress.warnings),
    }
    assert json.loads(json.dumps(progress.to_dict())) == progress.to_dict()


def test_a_session_that_answers_the_risk_item_settles_the_intake_caution() -> None:
    """Suicide risk not assessed at intake is a caution [GUIDE] until a session answers PHQ-9
    item 9 (a 0 included); a session that leaves it unanswered says so, and the caution stays."""
    phq9 = CASE.measures[0]
    unassessed = attrs.evolve(CASE, measures=(attrs.evolve(phq9, items=(*phq9.items[:8], None)),))
    plan = plan_course("ipc", start=MONDAY, sessions=3, focus=["role_dispute"])
    course = Course.begin(unassessed, plan)
    caution = list(screen(unassessed).warnings)
    assert [w.split(":")[0] for w in caution] == ["suicide_risk_not_assessed"]
    assert course.progress().warnings == tuple(caution)
    assert course.hold(measures={"phq9": [0] * 9}).progress().warnings == ()
    assert course.hold(measures={"gad7": [0] * 7}).progress().warnings == tuple(caution)
    unanswered = course.hold(measures={"phq9": [0] * 8 + [None]}).progress().warnings
    assert unanswered == (
        *caution,
        "session 1 (2026-03-09), phq9: item 9 was not answered: suicide risk not assessed",
    )


def test_a_measure_of_the_case_that_cannot_be_scored_is_a_warning_and_the_rest_are_tracked() -> (
    None
):
    """A case may hold a measure with more missing items than its proration allows: progress
    says it was not scored, where and why, and tracks every other measure."""
    phq9, hamd = CASE.measures
    partial = attrs.evolve(
        CASE, measures=(attrs.evolve(phq9, items=(None, None, *phq9.items[2:])), hamd)
    )
    progress = Course.begin(partial, begin().plan).progress()
    assert progress.warnings[0] == (
        "the assessment (2026-03-02): phq9 not scored: phq9 is prorated with at most 1 missing "
        "item; items 1 and 2 are missing"
    )
    assert [t.instrument.value for t in progress.trajectories] == ["hamd17"]


def test_a_finished_course_has_no_session_to_come() -> None:
    done = _course_with_a_miss().hold()
    assert done.next_session is None
    assert (done.progress().held, done.progress().missed, done.progress().remaining) == (2, 1, 0)


def test_moving_a_session_is_bounded_by_the_next_and_the_last_may_move_later() -> None:
    plan = plan_course("ipc", start=MONDAY, sessions=3, focus=RESULT)
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).accept_formulation()
    second = course.hold()
    with pytest.raises(ProtocolError) as caught:
        second.move(to="2026-03-23")
    assert str(caught.value) == (
        "cannot move in state middle: 2026-03-23 is not before session 3 (2026-03-23); use "
        "shift_rest=True to move the later sessions too"
    )
    assert second.move(to="2026-03-22").plan.session(2).date == date(2026, 3, 22)
    last = second.hold()
    assert last.move(to="2026-04-01").plan.end == date(2026, 4, 1)  # nothing after it


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to": "2026-02-30"}, "to: '2026-02-30' is not a real calendar date"),
        ({"to": "2026-03-17", "reason": 3}, "reason: must be a string, got 3"),
        ({"to": "2026-03-17", "shift_rest": "yes"}, "shift_rest: must be True or False, got 'yes'"),
    ],
)
def test_a_bad_move_names_its_argument(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(IptError) as caught:
        begin().hold().move(**kwargs)
    assert str(caught.value) == message


def test_a_monthly_course_moved_with_its_rest_keeps_the_new_day_of_the_month() -> None:
    """Maintenance IPT is monthly [FRANK1990]: moving session 1 to the 31st with shift_rest moves
    the rest to the 31st of each month, or its last day where it has none."""
    plan = plan_course("maintenance", start=MONDAY, sessions=4, focus=RESULT)
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))
    moved = course.move(to="2026-03-31", shift_rest=True)
    assert [s.date.isoformat() for s in moved.plan.sessions] == [
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
    ]


@pytest.mark.parametrize(
    ("focus", "message"),
    [
        ((), "plan: its focus (none) is not the formulation's (role_transition)"),
        (
            ["role_dispute", "role_transition"],
            (
                "plan: its focus (role_dispute, role_transition) is not the formulation's "
                "(role_transition)"
            ),
        ),
    ],
)
def test_a_formulation_must_have_the_plans_focus(focus: list[str], message: str) -> None:
    """The formulation offered is about the contract's focus [MARKOWITZ-SWARTZ2007]: the refusal
    names both, area by area, or says that the plan has none."""
    plan = plan_course("ipt", start=MONDAY, focus=focus)
    with pytest.raises(IptError) as caught:
        Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))
    assert str(caught.value) == message


def test_a_course_files_goal_status_is_an_object_of_known_statuses_and_its_log_form_hides_ids() -> (
    None
):
    """A held session's goal_status is an object of goal id to status: anything else, or a status
    that is none of the goal statuses, is refused with the value for the user, and the redacted
    form hides the goal id (the input's own key) and the value."""
    doc = dump_course(begin())
    doc["steps"] = [{"kind": "hold", "number": 1, "date": "2026-03-09", "goal_status": ["g"]}]
    with pytest.raises(CaseError) as caught:
        load_course(doc)
    assert [str(p) for p in caught.value.problems] == [
        "steps[0].goal_status: must be an object of goal id to status, got a list"
    ]
    doc["steps"][0]["goal_status"] = {"mary.smith": "finished"}
    with pytest.raises(CaseError) as caught:
        load_course(doc)
    words = ", ".join(s.value for s in GoalStatus)
    assert [str(p) for p in caught.value.problems] == [
        f"steps[0].goal_status[\"mary.smith\"]: must be one of {words}, got 'finished'"
    ]
    assert [str(p) for p in caught.value.redacted().problems] == [
        f"steps[0].goal_status[?]: must be one of {words}, got a string"
    ]


# -- contracts changed as the course goes: renegotiation, focus, maintenance ----------------------


def _maintenance(sessions: int, start: date = date(2027, 1, 31)) -> Course:
    """A fictional maintenance contract, monthly [FRANK1990], begun on the 31st."""
    plan = plan_course("maintenance", start=start, sessions=sessions, focus=RESULT)
    return Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))


def test_a_contract_cannot_be_renegotiated_below_the_sessions_behind_it() -> None:
    """Two maintenance sessions held: a contract of 2 would end behind the course; of 3 it ends
    with the next session."""
    course = _maintenance(6).hold().hold()
    with pytest.raises(ProtocolError) as caught:
        course.renegotiate(sessions=2, reason="the patient is well")
    assert str(caught.value) == (
        "cannot renegotiate in state maintenance: 2 sessions are already behind the course"
    )
    assert course.renegotiate(sessions=3, reason="the patient is well").plan.count == 3


def test_a_longer_monthly_contract_keeps_the_day_of_its_first_session() -> None:
    """The sessions added by a renegotiation follow the cadence from the first session's day:
    the 31st, or the month's last day where it has none."""
    longer = _maintenance(3).renegotiate(sessions=5, reason="two more months agreed")
    assert [s.date.isoformat() for s in longer.plan.sessions] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
    one_more = _maintenance(3).renegotiate(sessions=4, reason="one more month agreed")
    assert one_more.plan.end == date(2027, 4, 30)


@pytest.mark.parametrize(
    ("sessions", "reason", "error", "message"),
    [
        (
            13,
            "",
            ProtocolError,
            "cannot renegotiate in state initial: a renegotiated contract needs its reason",
        ),
        ("13", "x", IptError, "sessions: must be a whole number, got '13'"),
        (True, "x", IptError, "sessions: must be a whole number, got True"),
        (13, 3, IptError, "reason: must be a string, got 3"),
    ],
)
def test_a_renegotiation_names_what_is_wrong(
    sessions: object, reason: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        begin().renegotiate(sessions=sessions, reason=reason)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_change_of_focus_keeps_the_goals_of_the_areas_kept_and_records_its_reason() -> None:
    """Adding an area keeps the goals agreed for the area that stays; the step records the reason
    given (none by default), and an empty focus is refused by name."""
    course = begin(sessions=12)
    (area,) = RESULT.focus
    both = course.change_focus([area, "role_dispute"])
    assert both.goals == course.goals
    assert both.steps[-1].reason == ""
    other = course.change_focus(["role_dispute"], reason="the patient chose the dispute")
    assert other.goals == ()
    assert other.steps[-1].reason == "the patient chose the dispute"
    with pytest.raises(IptError) as caught:
        course.change_focus([])
    assert str(caught.value) == "focus: name at least one problem area"
    with pytest.raises(IptError) as caught:
        course.change_focus(["role_dispute"], reason=["why"])  # type: ignore[arg-type]
    assert str(caught.value) == "reason: must be a string, got ['why']"


def test_a_step_is_refused_after_the_course_has_ended_saying_that_nothing_is_legal() -> None:
    dropped = begin().drop_out(reason="moved away")
    with pytest.raises(ProtocolError) as caught:
        dropped.hold()
    assert str(caught.value) == (
        "cannot hold in state dropped: the legal steps are none (the course has ended)"
    )
    closed = hold_all(begin()).terminate()
    with pytest.raises(ProtocolError) as caught:
        closed.miss(reason="ill")
    assert str(caught.value) == "cannot miss in state closed: the legal steps are start_maintenance"


def test_a_maintenance_contract_is_planned_with_the_arguments_given() -> None:
    """start_maintenance plans the contract as plan_course would, from the arguments given: the
    skip dates, the catalogue and per_area for the techniques; the step keeps its reason (none by
    default)."""
    finished = hold_all(begin())
    start = finished.plan.end + timedelta(days=14)  # 2026-07-06
    kept = finished.start_maintenance(start=start, sessions=3, skip=[date(2026, 8, 6)], per_area=1)
    assert [s.date for s in kept.plan.sessions] == [
        date(2026, 7, 6),
        date(2026, 9, 6),
        date(2026, 10, 6),
    ]
    assert kept.steps[-1].reason == ""
    ours = TECHNIQUES.drop("decision_analysis")
    expected = plan_course(
        "maintenance", start=start, sessions=3, focus=finished.focus, catalogue=ours
    ).techniques
    mine = finished.start_maintenance(start=start, sessions=3, catalogue=ours)
    assert mine.plan.techniques == expected
    assert "decision_analysis" not in expected
    assert (
        kept.plan.techniques
        == plan_course("maintenance", start=start, focus=finished.focus, per_area=1).techniques
    )


def test_a_maintenance_contract_starts_after_the_last_session_and_keeps_the_focus() -> None:
    finished = hold_all(begin())
    with pytest.raises(ProtocolError) as caught:
        finished.start_maintenance(start=finished.plan.end)
    assert str(caught.value) == (
        "cannot start maintenance in state finished: the first maintenance session 2026-06-22 "
        "is not after 2026-06-22"
    )
    maintained = finished.start_maintenance(start=date(2026, 7, 6), sessions=3)
    doc = dump_course(maintained)
    grief = plan_course("maintenance", start=date(2026, 7, 6), sessions=3, focus=["grief"])
    doc["steps"][-1]["plan"] = dump_plan(grief)
    with pytest.raises(CaseError) as refused:
        load_course(doc)
    last = len(doc["steps"]) - 1
    assert [str(p) for p in refused.value.problems] == [
        (
            f"steps[{last}]: cannot start maintenance in state finished: its plan's focus (grief) "
            "is not the course's (role_transition): a maintenance contract goes on with the "
            "course's focus (Frank et al. 1990, 1991)"
        )
    ]


def test_a_change_of_focus_looks_its_techniques_up_as_plan_course_does() -> None:
    course = begin(sessions=12)
    ours = TECHNIQUES.drop("decision_analysis")
    for kwargs in ({"per_area": 1}, {"catalogue": ours}, {}):
        changed = course.change_focus(["role_dispute"], **kwargs)  # type: ignore[arg-type]
        planned = plan_course("ipt", start=MONDAY, sessions=12, focus=["role_dispute"], **kwargs)
        assert changed.plan.techniques == planned.techniques
    assert course.change_focus(["role_dispute"], per_area=1).plan.techniques == (
        "communication_analysis",
    )


def test_ending_a_course_records_its_date_and_reason_as_given_or_by_default() -> None:
    """terminate and drop_out take the date given, else the last session's; with nothing held, the
    end of the contract (terminate) or its first session (drop_out). The reason is kept, none by
    default for terminate."""
    maintenance = _maintenance(3)
    closed = maintenance.terminate()
    assert (closed.steps[-1].date, closed.steps[-1].reason) == (date(2027, 3, 31), "")
    assert maintenance.hold().terminate().steps[-1].date == date(2027, 1, 31)
    assert maintenance.hold().terminate(date="2027-02-03").steps[-1].date == date(2027, 2, 3)
    dropped = begin().drop_out(reason="moved away")
    assert (dropped.steps[-1].date, dropped.steps[-1].reason) == (MONDAY, "moved away")
    assert begin().hold().drop_out(reason="moved away").steps[-1].date == MONDAY


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (
            lambda c: c.terminate(date="2027-02-30"),
            "date: '2027-02-30' is not a real calendar date",
        ),
        (lambda c: c.terminate(reason=3), "reason: must be a string, got 3"),
        (
            lambda c: c.drop_out(reason="x", date="2027-02-30"),
            "date: '2027-02-30' is not a real calendar date",
        ),
        (lambda c: c.drop_out(reason=4), "reason: must be a string, got 4"),
    ],
)
def test_a_bad_end_names_its_argument(end: Callable[[Course], Course], message: str) -> None:
    with pytest.raises(IptError) as caught:
        end(_maintenance(3))
    assert str(caught.value) == message


def test_the_course_file_holds_a_new_focus_with_its_goals_and_refuses_what_no_file_holds() -> None:
    course = begin(sessions=12)
    goal = Goal(
        id="dispute.settle",
        area="role_dispute",
        text="Settle the quarrel with your sister.",  # fictional
        source="[GUIDE]",
    )
    changed = course.change_focus(["role_dispute"], goals=[goal])
    doc = json.loads(json.dumps(dump_course(changed)))
    assert doc["steps"][-1]["goals"] == [
        {
            "id": "dispute.settle",
            "area": "role_dispute",
            "text": "Settle the quarrel with your sister.",
            "source": "[GUIDE]",
            "status": "proposed",
        }
    ]
    assert load_course(doc) == changed
    with pytest.raises(IptError) as caught:
        dump_course(3)  # type: ignore[arg-type]
    assert str(caught.value) == "dump_course needs a Course, got int"
    plan = begin().plan
    edited = attrs.evolve(
        plan, sessions=(attrs.evolve(plan.sessions[0], agenda=("x",)), *plan.sessions[1:])
    )
    with pytest.raises(IptError) as caught:
        dump_course(Course.begin(CASE, edited))
    assert str(caught.value).startswith(
        "contract: sessions[0].agenda: is not the agenda of session 1 as planned (item 0 is 'x'"
    )
    assert str(caught.value).endswith(
        "; a plan file holds a plan as plan_course makes it (the plan of a course as it stands, "
        "its sessions held and moved, is kept in the course file)"
    )


def test_a_missed_monthly_session_made_up_keeps_the_day_of_the_first() -> None:
    """Under keep_count a missed session is made up one cadence step later [COMP]; on a monthly
    contract begun on the 31st the dates keep the 31st, or the month's last day."""
    keep_count = attrs.evolve(PROTOCOLS["maintenance"], name="m-keep-count", on_miss="keep_count")
    plan = plan_course(keep_count, start=date(2027, 1, 31), sessions=3, focus=RESULT)
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).miss(reason="ill")
    assert [s.date.isoformat() for s in course.plan.sessions] == [
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]
    assert [(r.number, r.status, r.reason) for r in course.records] == [
        (1, SessionStatus.MISSED, "ill")
    ]


def test_a_missed_session_is_the_last_date_of_the_course() -> None:
    """A course's steps come in date order: after a session missed on 9 March, neither an end
    nor a session can be dated before it, under either rule for misses."""
    missed = _short_course().miss(reason="ill")  # IPC keeps its end: the session is lost
    with pytest.raises(ProtocolError) as caught:
        missed.drop_out(reason="moved", date="2026-03-08")
    assert str(caught.value) == "cannot drop out in state middle: 2026-03-08 is before 2026-03-09"
    keep_count = attrs.evolve(PROTOCOLS["ipt"], name="ipt-keep-count", on_miss="keep_count")
    plan = plan_course(keep_count, start=MONDAY, focus=RESULT)
    made_up = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).miss(reason="ill")
    with pytest.raises(ProtocolError) as caught:
        made_up.drop_out(reason="moved", date="2026-03-08")
    assert str(caught.value) == "cannot drop out in state initial: 2026-03-08 is before 2026-03-09"


def test_an_ended_course_is_dated_and_what_follows_comes_after_it() -> None:
    finished = hold_all(begin())
    with pytest.raises(ProtocolError) as caught:
        finished.terminate(date="2026-06-01")
    assert (
        str(caught.value) == "cannot terminate in state finished: 2026-06-01 is before 2026-06-22"
    )
    closed = finished.terminate(date="2026-07-01")
    with pytest.raises(ProtocolError) as caught:
        closed.start_maintenance(start="2026-06-30")
    assert str(caught.value) == (
        "cannot start maintenance in state closed: the first maintenance session 2026-06-30 is "
        "not after 2026-07-01"
    )


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            lambda: held_until(begin(), Phase.MIDDLE).accept_formulation(),
            "cannot accept formulation in state middle: the formulation is already accepted",
        ),
        (
            lambda: Course.begin(CASE, plan_course("ipt", start=MONDAY)).accept_formulation(),
            (
                "cannot accept formulation in state initial: there is no focus to accept yet: agree "
                "one with change_focus"
            ),
        ),
        (lambda: begin().accept_formulation(revision=3), "revision: must be a string, got 3"),
        (lambda: begin().miss(reason=3), "reason: must be a string, got 3"),
    ],
)
def test_accepting_the_formulation_and_missing_a_session_say_what_is_wrong(
    step: Callable[[], Course], message: str
) -> None:
    with pytest.raises(IptError) as caught:
        step()
    assert str(caught.value) == message


def test_a_session_checks_its_techniques_against_the_catalogue_given() -> None:
    """A technique of the user's own catalogue is recorded when that catalogue is given, and
    refused (every unknown one, as a session's problem) against the built-in one."""
    mine = Technique(
        id="walk_and_talk",
        name="Walk and talk",
        family="communication_analysis",
        areas=["role_transition", "role_dispute"],
        phases=["initial", "middle", "termination"],
        description="talk while walking",
        source="a fictional source",
    )
    ours = TECHNIQUES.add(mine)
    held = _short_course().hold(techniques=["walk_and_talk"], catalogue=ours)
    assert held.records[0].techniques == ("walk_and_talk",)
    with pytest.raises(CaseError) as caught:
        _short_course().hold(techniques=["walk_and_talk"])
    assert str(caught.value).startswith("invalid session, 1 problem: techniques[0]: no technique")
    with pytest.raises(IptError) as not_a_list:
        _short_course().hold(techniques="clarification")
    assert not_a_list.value.redacted_message == "techniques: must be a list of technique ids"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, f: Course.begin(3, p), "case: must be an iptcore.Case, got int"),
        (lambda p, f: Course.begin(CASE, 3), "plan: must be an iptcore.CoursePlan, got int"),
        (
            lambda p, f: Course.begin(CASE, p, formulation=3),
            "formulation: must be an iptcore.Formulation, got int",
        ),
        (
            lambda p, f: Course.begin(CASE, p, formulation=f, goals=[]),
            "goals: give the goals or a formulation, not both",
        ),
        (lambda p, f: Course.begin(CASE, p, goals=3), "goals: must be a list of Goal, got 3"),
    ],
)
def test_begin_names_the_argument_that_is_wrong(make: Any, message: str) -> None:
    plan = plan_course("ipt", start=MONDAY, focus=RESULT)
    with pytest.raises(IptError) as caught:
        make(plan, formulate(CASE, RESULT))
    assert str(caught.value) == message


def test_begin_refuses_goals_about_nobody_of_the_case_at_their_path() -> None:
    """A goal about a person names one of the case's people [GUIDE], given directly or in the
    formulation: the problem is at the goal's path within the argument given."""
    plan = plan_course("ipt", start=MONDAY, focus=RESULT)
    stranger = Goal(
        id="transition.x", area="role_transition", text="t", source="[GUIDE]", person="nobody"
    )
    with pytest.raises(CaseError) as caught:
        Course.begin(CASE, plan, goals=[stranger])
    assert str(caught.value) == (
        "invalid goals, 1 problem: goals[0].person: names nobody: no person 'nobody'"
    )
    formulation = attrs.evolve(formulate(CASE, RESULT), goals=(stranger,))
    with pytest.raises(CaseError) as caught:
        Course.begin(CASE, plan, formulation=formulation)
    assert str(caught.value) == (
        "invalid goals, 1 problem: formulation.goals[0].person: names nobody: no person 'nobody'"
    )


def test_a_session_is_held_before_the_next_one_and_the_initial_phase_ends_with_a_focus() -> None:
    with pytest.raises(ProtocolError) as caught:
        begin().hold(date=MONDAY + timedelta(weeks=1))
    assert str(caught.value) == (
        "cannot hold in state initial: 2026-03-16 is not before session 2 (2026-03-16); move "
        "the later sessions first"
    )
    last_but_one = held_until(begin(), Phase.TERMINATION).hold()
    with pytest.raises(ProtocolError) as caught:
        last_but_one.hold(date=last_but_one.plan.end)
    assert "is not before session 16" in str(caught.value)
    no_focus = Course.begin(CASE, plan_course("ipt", start=MONDAY)).hold().hold()
    with pytest.raises(ProtocolError) as caught:
        no_focus.hold()
    assert str(caught.value) == (
        "cannot hold in state initial: the initial phase ends with a focus: change_focus first"
    )


def test_a_session_held_on_another_day_is_recorded_on_it_with_nothing_else_by_default() -> None:
    moved = begin().accept_formulation().hold().move(to="2026-03-17", shift_rest=True)
    held = moved.hold(date="2026-03-18")
    assert held.plan.session(2).date == date(2026, 3, 18)
    record = held.records[-1]
    assert (record.date, record.homework, record.notes, record.measures) == (
        date(2026, 3, 18),
        "",
        "",
        (),
    )


def test_a_course_built_from_steps_refuses_an_unknown_goal_as_a_course_problem() -> None:
    plan = plan_course("ipt", start=MONDAY, focus=RESULT)
    step = Step(kind="hold", number=1, date=MONDAY, goal_status=(("nope", "active"),))
    with pytest.raises(CaseError) as caught:
        Course(case=CASE, contract=plan, steps=(step,))
    assert str(caught.value) == (
        "invalid course, 1 problem: steps[0].goal_status.nope: no such goal; the goals are []"
    )
    with pytest.raises(CaseError) as caught:
        begin().hold(goals={"x": "active"})
    known = [g.id for g in begin().goals]
    assert str(caught.value) == (
        f"invalid session, 1 problem: goals['x']: no such goal; the goals are {known}"
    )


def test_a_total_alone_is_refused_saying_why_and_every_instrument_is_checked() -> None:
    """A measure keeps its items [KROENKE2001]: a total alone is refused with the reason, and a
    bad instrument does not hide the next one's problem."""
    with pytest.raises(CaseError) as caught:
        _short_course().hold(measures={"gad7": 12, "phq9": [0, 1]})
    assert [str(p) for p in caught.value.problems] == [
        (
            "measures.gad7: must be a list of the item answers (integers, null for one not answered), "
            "got 12; a total alone cannot be recorded: a measure keeps its items, from which iptcore "
            "scores the total, prorates a missing answer and flags a risk item (PHQ-9 item 9)"
        ),
        "measures.phq9.items: phq9 has 9 items, got 2",
    ]
    assert str(caught.value).startswith("invalid session, 2 problems: ")


def test_a_course_takes_max_steps_steps_and_refuses_one_more() -> None:
    """A course holds at most ``max_steps`` steps, what its file holds (iptcore.limits): the
    2,000th step is taken, the 2,001st refused by name, the course unchanged."""
    most = DEFAULT_LIMITS.max_steps
    course = _maintenance(1)
    first = course.plan.start
    for k in range(1, most + 1):
        course = course.move(to=first + timedelta(days=k), shift_rest=True)
    assert len(course.steps) == most
    with pytest.raises(IptError) as caught:
        course.move(to=first + timedelta(days=most + 1), shift_rest=True)
    assert str(caught.value) == (
        f"steps: {most + 1:,} steps is more than the limit of {most:,} (max_steps)"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "wait"}, "kind: must be one of " + ", ".join(k.value for k in StepKind) + ", got 'wait'"),
        ({"kind": "hold", "number": 1, "date": MONDAY, "measures": ("x",)}, "measures: must be Measure values"),
        ({"kind": "hold", "number": 1, "date": MONDAY, "techniques": (3,)}, "techniques: must be technique ids (strings)"),
        ({"kind": "change_focus", "focus": ("grief",)}, "focus: must be FocusArea values"),
        ({"kind": "change_focus", "focus": (), "goals": ("g",)}, "focus: a change_focus step needs it"),
        ({"kind": "hold", "number": 1, "date": MONDAY, "goal_status": (("a",),)}, "goal_status: must be (goal id, status) pairs"),
        ({"kind": "hold", "number": 1, "date": MONDAY, "goal_status": (("a", 1),)}, "goal_status: must be (goal id, status) pairs"),
        ({"kind": "hold", "number": 1, "date": MONDAY, "goal_status": ["a", "b"]}, "goal_status: must be (goal id, status) pairs"),
        ({"kind": "start_maintenance", "plan": 3}, "plan: must be a CoursePlan, got 3"),
        ({"kind": "miss", "number": 1, "reason": "ill", "date": MONDAY}, "date: a miss step has no date"),
    ],
)  # fmt: skip
def test_a_step_built_by_hand_names_the_field_that_is_wrong(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(IptError) as caught:
        Step(**fields)
    assert str(caught.value) == message


def test_a_change_focus_step_needs_goal_values() -> None:
    with pytest.raises(IptError) as caught:
        Step(kind="change_focus", focus=begin().plan.focus, goals=("g",))  # type: ignore[arg-type]
    assert str(caught.value) == "goals: must be Goal values"


def test_a_held_steps_measures_are_of_its_day_and_can_be_scored_with_redacted_forms() -> None:
    """A hold step's measures are taken that day and can be scored: the refusal quotes the date
    or the answers for the user, and its redacted form neither."""
    other_day = Measure(date=date(2025, 1, 2), instrument="phq9", items=[0] * 9)  # fictional
    with pytest.raises(IptError) as caught:
        Step(kind="hold", number=1, date=MONDAY, measures=(other_day,))
    assert str(caught.value) == "measures[0].date: is 2025-01-02, not the session's 2026-03-09"
    assert caught.value.redacted_message == "measures[0].date: is not the session's date"
    unanswered = Measure(date=MONDAY, instrument="phq9", items=[None] * 8 + [1])
    with pytest.raises(IptError) as caught:
        Step(kind="hold", number=1, date=MONDAY, measures=(unanswered,))
    assert str(caught.value) == (
        "measures[0]: phq9 is prorated with at most 1 missing item; items 1, 2, 3, 4, 5, 6, 7 and "
        "8 are missing"
    )
    assert caught.value.redacted_message == (
        "measures[0]: phq9 is prorated with at most 1 missing item"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"case": 3}, "case: must be an iptcore.Case, got int"),
        ({"contract": 3}, "contract: must be an iptcore.CoursePlan, got int"),
        ({"steps": [3]}, "steps: must be a tuple of Step"),
        ({"initial_goals": [3]}, "initial_goals: must be a tuple of Goal"),
    ],
)
def test_a_course_built_by_hand_names_the_field_that_is_wrong(
    fields: dict[str, Any], message: str
) -> None:
    """Bug: goals that were not Goal values raised AttributeError, not the error naming them."""
    given = {"case": CASE, "contract": plan_course("ipt", start=MONDAY, focus=RESULT), **fields}
    with pytest.raises(IptError) as caught:
        Course(**given)
    assert str(caught.value) == message


def test_plan_course_names_skip_when_it_is_not_a_list_of_dates() -> None:
    with pytest.raises(IptError) as caught:
        plan_course("ipt", start=MONDAY, skip="2026-03-16")  # type: ignore[arg-type]
    assert str(caught.value) == "skip: must be a list of dates, got '2026-03-16'"


def test_build_sessions_raises_the_end_in_the_notice_session_or_later_when_asked() -> None:
    """The end is raised in the protocol's notice session [COMP], or in ``notice_from`` if that
    comes later (a contract renegotiated after it)."""
    dates = [s.date for s in plan_course("ipc", start=MONDAY, sessions=6).sessions]

    def raised(**kwargs: Any) -> list[int]:
        sessions = build_sessions(PROTOCOLS["ipc"], dates, **kwargs)
        return [s.number for s in sessions if any("Raise the end" in a for a in s.agenda)]

    assert raised() == [PROTOCOLS["ipc"].notice_session(6)] == [4]
    assert raised(notice_from=5) == [5]


def test_a_missed_step_after_the_end_lists_the_steps_still_legal() -> None:
    finished = hold_all(begin())
    with pytest.raises(ProtocolError) as caught:
        finished.miss(reason="ill")
    assert str(caught.value) == (
        "cannot miss in state finished: the legal steps are terminate, start_maintenance"
    )


def test_a_two_session_monthly_contract_renegotiated_longer_goes_back_to_the_31st() -> None:
    """The session added after 28 February keeps the contract's day, the 31st, not the 28th."""
    longer = _maintenance(2).renegotiate(sessions=3, reason="one more month agreed")
    assert [s.date.isoformat() for s in longer.plan.sessions] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
    ]


def test_a_change_of_focus_replans_the_sessions_for_the_new_focus() -> None:
    """The sessions to come work on the new focus: the plan's focus and each middle session's
    agenda item are the new area's [MARKOWITZ-SWARTZ2007]."""
    changed = begin(sessions=12).change_focus(["role_dispute"], reason="the patient chose it")
    assert [f.area for f in changed.plan.focus] == [ProblemArea.ROLE_DISPUTE]
    middle = changed.plan.session(5)
    assert any(item.startswith("Focus on role dispute") for item in middle.agenda)
    assert not any(item.startswith("Focus on role transition") for item in middle.agenda)


def test_a_maintenance_contract_begins_with_its_first_session_and_keeps_its_reason() -> None:
    finished = hold_all(begin())
    maintained = finished.start_maintenance(
        start=date(2026, 7, 6), sessions=3, reason="recurrent depression: monthly IPT-M agreed"
    )
    assert maintained.next_session is not None
    assert maintained.next_session.number == 1
    assert maintained.steps[-1].reason == "recurrent depression: monthly IPT-M agreed"
    assert maintained.hold().records[-1].number == 1
    with pytest.raises(IptError) as caught:
        finished.start_maintenance(start=date(2026, 7, 6), reason=3)  # type: ignore[arg-type]
    assert str(caught.value) == "reason: must be a string, got 3"


def test_a_move_keeps_no_reason_unless_one_is_given() -> None:
    course = begin().hold()
    assert course.move(to="2026-03-17").steps[-1].reason == ""
    assert course.move(to="2026-03-17", reason="a holiday").steps[-1].reason == "a holiday"


def test_a_new_focus_with_goals_about_nobody_is_refused_at_their_path() -> None:
    course = begin(sessions=12)
    stranger = Goal(
        id="dispute.x", area="role_dispute", text="t", source="[GUIDE]", person="nobody"
    )
    with pytest.raises(CaseError) as caught:
        course.change_focus(["role_dispute"], goals=[stranger])
    assert str(caught.value) == (
        "invalid goals, 1 problem: goals[0].person: names nobody: no person 'nobody'"
    )
    formulation = attrs.evolve(formulate(CASE, RESULT), goals=(stranger,))
    with pytest.raises(CaseError) as caught:
        course.change_focus(list(formulation.focus), formulation=formulation)
    assert str(caught.value) == (
        "invalid goals, 1 problem: formulation.goals[0].person: names nobody: no person 'nobody'"
    )


def test_describe_lists_the_sessions_of_each_contract_and_plans_only_the_current_one() -> None:
    """A course with a maintenance contract after the acute one: the acute sessions held, then
    the maintenance sessions, held or planned; no session of an earlier contract is planned."""
    maintained = hold_all(begin()).start_maintenance(start=date(2026, 7, 6), sessions=2).hold()
    lines = maintained.describe().split("\n")
    assert lines[1] == "Focus: role transition"
    planned = [line for line in lines if line.endswith("planned")]
    assert planned == ["  2  2026-08-06  maintenance  planned"]
    assert sum(line.endswith("held") for line in lines) == 17
    none = Course.begin(CASE, plan_course("ipt", start=MONDAY))
    assert none.describe().split("\n")[1] == "Focus: not yet agreed"
    # Two areas (a focus of two is allowed) are named in order, a comma between them.
    two = none.change_focus(["grief", "role_dispute"])
    assert two.describe().split("\n")[1] == "Focus: grief, role dispute"


def test_a_session_moved_with_the_rest_still_raises_the_end_where_the_protocol_says() -> None:
    """IPC's three-session contract raises the end in session 1, its termination notice of two
    sessions before the last [KLERMAN1987; WEISSMAN2014]: moving session 1 and the rest keeps it
    there, with the new last date."""
    moved = _short_course().move(to="2026-03-10", shift_rest=True)
    raised = [s for s in moved.plan.sessions if any("Raise the end" in a for a in s.agenda)]
    assert [s.number for s in raised] == [1]
    assert "the course ends with session 3 on 2026-03-24" in " ".join(raised[0].agenda)


def test_accepting_the_formulation_records_no_revision_unless_one_is_given() -> None:
    assert begin().accept_formulation().steps[-1].notes == ""


def test_sessions_added_to_a_monthly_contract_keep_its_day_of_the_month() -> None:
    """Maintenance IPT is monthly [FRANK1990]: a contract that starts on the 31st keeps to the
    31st where a month has one (the 30th in April and June), and so do the sessions a
    renegotiation adds after session 2 of April 30, rather than drifting to the 30th."""
    plan = plan_course("maintenance", start=date(2026, 3, 31), sessions=2, focus=RESULT)
    assert [s.date for s in plan.sessions] == [date(2026, 3, 31), date(2026, 4, 30)]
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT)).hold()
    longer = course.renegotiate(sessions=4, reason="fictional: two more sessions agreed")
    assert [s.date for s in longer.plan.sessions] == [
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]
