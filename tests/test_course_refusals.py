"""The refusals of a course as a user and a log read them, word for word, and the dates a
renegotiated contract keeps (iptcore.course).

Every case, plan and goal here is fictional (the demo vignette).
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from iptcore import CaseError, Course, IptError, ProtocolError, classify, formulate, plan_course
from iptcore.course import Step, goal_problems, unknown_techniques
from iptcore.goals import Goal
from iptcore.vignettes import vignette

MONDAY = date(2026, 3, 9)
CASE = vignette("demo")  # fictional
RESULT = classify(CASE)

#: Two goals with one id, and a goal about a person the case does not have (fictional).
FIRST = Goal(id="dispute.settle", area="role_dispute", text="Settle it.", source="[GUIDE]")
TWIN = Goal(id="dispute.settle", area="role_dispute", text="Settle it again.", source="[GUIDE]")
STRANGER = Goal(
    id="dispute.nobody",
    area="role_dispute",
    text="Talk it over.",
    source="[GUIDE]",
    person="nobody",
)
BAD_GOALS = (FIRST, TWIN, STRANGER)

#: What goal_problems says of BAD_GOALS, in full and redacted, at their paths in the list.
DUPLICATE = "[1].id: 'dispute.settle' is the id of the goal at [0] too"
DUPLICATE_REDACTED = "[1].id: is the id of another goal too"
NOBODY = "[2].person: names nobody: no person 'nobody'"
NOBODY_REDACTED = "[2].person: names nobody of the case"


def begin(protocol: str = "ipt", sessions: int | None = None) -> Course:
    """A course of the demo case, its focus and goals those of its classification [GUIDE]."""
    plan = plan_course(protocol, start=MONDAY, sessions=sessions, focus=RESULT)
    return Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))


def course_refusal(where: str, *, redacted: bool) -> str:
    """The message of a course refused for BAD_GOALS at ``where`` (``initial_goals``,
    ``steps[1].goals``): both problems, in the list's order."""
    one, two = (DUPLICATE_REDACTED, NOBODY_REDACTED) if redacted else (DUPLICATE, NOBODY)
    return f"invalid course, 2 problems: {where}{one}; {where}{two}"


# -- what is not a tuple of steps ------------------------------------------------------------------


@pytest.mark.parametrize("steps", [5, (5,), [5]])
def test_steps_that_are_not_a_tuple_of_steps_are_refused_naming_the_field(steps: object) -> None:
    """``Course(steps=5)`` (no tuple at all) and ``steps=(5,)`` (a tuple of something else) are
    refused alike, naming the field and what it takes."""
    plan = plan_course("ipt", start=MONDAY, focus=RESULT)
    with pytest.raises(IptError) as caught:
        Course(case=CASE, contract=plan, steps=steps)
    assert type(caught.value) is IptError
    assert str(caught.value) == "steps: must be a tuple of Step"


def test_a_course_whose_last_step_is_replaced_by_a_non_step_is_refused_naming_the_field() -> None:
    """A course is a frozen value: ``attrs.evolve`` with its last step replaced by something that
    is no Step is refused as a course built so would be, naming the field."""
    course = begin().accept_formulation().change_focus(["role_dispute"])
    with pytest.raises(IptError) as caught:
        attrs.evolve(course, steps=(course.steps[0], 5))
    assert type(caught.value) is IptError
    assert str(caught.value) == "steps: must be a tuple of Step"


# -- goals: one id each, about people of the case ----------------------------------------------------


def test_goal_problems_say_each_problem_in_full_and_redacted() -> None:
    """A goal's id is unique (a held session changes a status by id) and a goal about a person
    names one of the case's people [GUIDE]: the user reads the id and the person quoted, a log
    reads the rule alone."""
    problems = goal_problems(BAD_GOALS, CASE)
    assert [str(p) for p in problems] == [DUPLICATE, NOBODY]
    assert [str(p.redacted()) for p in problems] == [DUPLICATE_REDACTED, NOBODY_REDACTED]


def test_a_course_built_with_bad_initial_goals_is_an_invalid_course() -> None:
    """``Course(initial_goals=...)`` with a repeated id and a goal about nobody of the case: one
    refusal of the course with both problems at their paths [GUIDE], its redacted form quoting
    neither the id nor the person."""
    plan = plan_course("ipt", start=MONDAY, focus=RESULT)
    with pytest.raises(CaseError) as caught:
        Course(case=CASE, contract=plan, initial_goals=BAD_GOALS)
    error = caught.value
    assert error.subject == "course"
    assert str(error) == course_refusal("initial_goals", redacted=False)
    assert str(error.redacted()) == course_refusal("initial_goals", redacted=True)
    assert [p.redacted().message for p in error.problems] == [
        "is the id of another goal too",
        "names nobody of the case",
    ]


def test_the_goals_of_a_later_change_of_focus_are_refused_at_their_step() -> None:
    """A course built from its steps, the second a new focus with bad goals: the problems are
    at ``steps[1].goals`` [GUIDE], in full and redacted."""
    course = begin().accept_formulation().change_focus(["role_dispute"])
    bad = attrs.evolve(course.steps[1], goals=BAD_GOALS)
    with pytest.raises(CaseError) as caught:
        Course(
            case=CASE,
            contract=course.contract,
            initial_goals=course.initial_goals,
            steps=(course.steps[0], bad),
        )
    assert str(caught.value) == course_refusal("steps[1].goals", redacted=False)
    assert str(caught.value.redacted()) == course_refusal("steps[1].goals", redacted=True)


@pytest.mark.parametrize("accepted_first", [False, True])
def test_a_course_whose_last_change_of_focus_gets_bad_goals_is_refused_at_that_step(
    accepted_first: bool,
) -> None:
    """``change_focus`` itself refuses bad goals before it takes the step ("invalid goals");
    a course value whose last step is replaced with ``attrs.evolve`` by a change of focus with
    bad goals is refused as the course built from those steps is, at that step's index (0 when
    it is the only step, 1 after an accepted formulation) [GUIDE]."""
    start = begin()
    if accepted_first:
        start = start.accept_formulation()
    course = start.change_focus(["role_dispute"])
    last = len(course.steps) - 1
    bad = attrs.evolve(course.steps[last], goals=BAD_GOALS)
    with pytest.raises(CaseError) as caught:
        attrs.evolve(course, steps=(*course.steps[:last], bad))
    where = f"steps[{last}].goals"
    assert str(caught.value) == course_refusal(where, redacted=False)
    assert str(caught.value.redacted()) == course_refusal(where, redacted=True)
    with pytest.raises(CaseError) as caught:
        start.change_focus(["role_dispute"], goals=BAD_GOALS)
    assert str(caught.value) == (f"invalid goals, 2 problems: goals{DUPLICATE}; goals{NOBODY}")


# -- a step refused while a course is replayed ---------------------------------------------------------


def test_a_replayed_count_outside_the_protocol_is_refused_at_its_step_with_no_redacted_form() -> (
    None
):
    """IPC allows 3-6 sessions [KLERMAN1987]: a course built with a renegotiation to 20 is
    refused at ``steps[0]``; the protocol's refusal quotes the count and gives no redacted form,
    so the course's refusal gives none either (none is made up from the missing one)."""
    plan = plan_course("ipc", start=MONDAY, focus=RESULT)
    step = Step(kind="renegotiate", sessions=20, reason="fictional: a longer contract")
    with pytest.raises(ProtocolError) as caught:
        Course(case=CASE, contract=plan, steps=(step,))
    assert str(caught.value) == "steps[0]: sessions: ipc allows 3-6 sessions, got 20"
    assert caught.value.redacted_message is None


def test_a_replayed_illegal_step_keeps_its_redacted_rule_at_its_step() -> None:
    """Termination cannot be skipped [COMP]: a course built with a terminate step in the initial
    phase is refused at its step, and the redacted form keeps the rule and the step."""
    plan = plan_course("ipc", start=MONDAY, focus=RESULT)
    step = Step(kind="terminate", date=MONDAY)
    with pytest.raises(ProtocolError) as caught:
        Course(case=CASE, contract=plan, steps=(step,))
    assert str(caught.value) == (
        "steps[0]: cannot terminate in state initial: termination cannot be skipped; hold the "
        "remaining sessions, renegotiate a shorter contract, or record drop_out"
    )
    assert caught.value.redacted_message == "steps[0]: cannot terminate in state initial"


# -- techniques --------------------------------------------------------------------------------------


def test_an_unknown_technique_is_refused_with_the_hint_about_other_techniques() -> None:
    """A technique of another model (CBT's "mind reading") is no IPT technique [GUIDE]: the
    user is told where it goes (other_techniques), the log only that it names none."""
    with pytest.raises(CaseError) as caught:
        begin().hold(techniques=["clarification", "mind_reading"])
    assert str(caught.value) == (
        "invalid session, 1 problem: techniques[1]: no technique 'mind_reading' in the "
        "catalogue (a technique of another model goes in other_techniques)"
    )
    assert str(caught.value.redacted()) == (
        "invalid session, 1 problem: techniques[1]: names no technique of the catalogue"
    )
    (problem,) = unknown_techniques(["mind_reading"])
    assert problem.message == (
        "no technique 'mind_reading' in the catalogue "
        "(a technique of another model goes in other_techniques)"
    )


# -- renegotiation keeps the dates as they stand -------------------------------------------------------


def test_a_shorter_contract_keeps_the_dates_of_the_sessions_it_keeps() -> None:
    """IPC, weekly on Mondays, 6 sessions [KLERMAN1987]: session 1 moved to Wednesday 11 March,
    then the contract renegotiated to 3 sessions [COMP; ISIPT]. Sessions 2 and 3 keep their
    planned Mondays (16 and 23 March: 9 March plus one and two weeks, by hand); none is
    recomputed a week after the moved session."""
    course = begin("ipc", sessions=6)
    assert [s.date for s in course.plan.sessions][:3] == [
        date(2026, 3, 9),
        date(2026, 3, 16),
        date(2026, 3, 23),
    ]
    shorter = course.move(to="2026-03-11").renegotiate(
        sessions=3, reason="fictional: three sessions agreed"
    )
    assert [s.date for s in shorter.plan.sessions] == [
        date(2026, 3, 11),
        date(2026, 3, 16),
        date(2026, 3, 23),
    ]


def test_a_contract_shortened_at_the_end_of_the_calendar_adds_no_date() -> None:
    """Maintenance IPT is monthly [FRANK1990]: a contract of 30 November and 30 December 9999,
    its first session moved to 29 December and the contract cut to that one session. Nothing is
    added, so no session a month later (past 9999-12-31, the last date there is) is asked for."""
    plan = plan_course("maintenance", start=date(9999, 11, 30), sessions=2, focus=RESULT)
    assert [s.date for s in plan.sessions] == [date(9999, 11, 30), date(9999, 12, 30)]
    course = Course.begin(CASE, plan, formulation=formulate(CASE, RESULT))
    shorter = course.move(to="9999-12-29").renegotiate(
        sessions=1, reason="fictional: one session agreed"
    )
    assert [s.date for s in shorter.plan.sessions] == [date(9999, 12, 29)]
    assert shorter.state.value == "maintenance"
