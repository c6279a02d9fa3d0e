"""Tests for the plan and course files (iptcore.courseio): what the loaders refuse, in which
words, and what the writers write; each expectation is written from the code's definition."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest

from iptcore import CaseError, Course, IptError, State, classify, formulate, plan_course
from iptcore.course import Step
from iptcore.courseio import (
    COURSE_FORMAT,
    PLAN_FORMAT,
    dump_course,
    dump_plan,
    load_course,
    load_plan,
)
from iptcore.limits import DEFAULT_LIMITS
from iptcore.techniques import TECHNIQUES
from iptcore.vignettes import vignette

MONDAY = date(2026, 3, 9)
CASE = vignette("demo")  # fictional
RESULT = classify(CASE)


def begin(*, focus: bool = True) -> Course:
    """A fictional IPT course of the demo case, from Monday 2026-03-09."""
    plan = plan_course("ipt", start=MONDAY, focus=RESULT if focus else ())
    return Course.begin(CASE, plan, formulation=formulate(CASE, RESULT) if focus else None)


def hold_all(course: Course) -> Course:
    """Hold every session, the formulation accepted first while the initial phase lasts (at most
    100: a course still due then is a failure, not a loop without end)."""
    for _ in range(100):
        if course.next_session is None:
            return course
        if not course.formulation_accepted and course.state in (State.ENGAGEMENT, State.INITIAL):
            course = course.accept_formulation()
        course = course.hold()
    raise AssertionError("still a session due after 100 held")


def _plan_doc() -> dict[str, Any]:
    """The file of a fictional 3-session IPC plan."""
    return dump_plan(plan_course("ipc", start=MONDAY, sessions=3))


def _refusal(load: Any, *args: Any, **kwargs: Any) -> CaseError:
    with pytest.raises(CaseError) as caught:
        load(*args, **kwargs)
    return caught.value


# -- the arguments of the loaders -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_bytes", "message"),
    [
        (0, "max_bytes: must be a positive integer, got 0"),
        (-5, "max_bytes: must be a positive integer, got -5"),
        (True, "max_bytes: must be a positive integer, got True"),
        ("10", "max_bytes: must be a positive integer, got '10'"),
        (2.5, "max_bytes: must be a positive integer, got 2.5"),
    ],
)
def test_a_max_bytes_that_is_not_a_positive_integer_is_an_ipt_error_naming_it(
    max_bytes: Any, message: str
) -> None:
    """A bad max_bytes is a Python argument refused by name, not a problem of the file."""
    for load, doc in ((load_plan, _plan_doc()), (load_course, dump_course(begin()))):
        with pytest.raises(IptError) as caught:
            load(doc, max_bytes=max_bytes)
        assert str(caught.value) == message
        assert not isinstance(caught.value, CaseError)


def test_a_max_bytes_of_one_is_allowed_and_bounds_the_file() -> None:
    """1 is the smallest max_bytes: a one-byte file is read (and refused for what it holds)."""
    error = _refusal(load_plan, "1", max_bytes=1)
    assert str(error) == "invalid plan file, 1 problem: a plan must be a JSON object, got 1"
    error = _refusal(load_course, "2", max_bytes=1)
    assert str(error) == "invalid course file, 1 problem: a course must be a JSON object, got 2"


@pytest.mark.parametrize("load", [load_plan, load_course])
def test_a_catalogue_that_is_not_a_catalogue_is_an_ipt_error_naming_its_type(load: Any) -> None:
    with pytest.raises(IptError) as caught:
        load({}, catalogue="TECHNIQUES")
    assert str(caught.value) == "catalogue: must be an iptcore Catalogue, got str"
    assert not isinstance(caught.value, CaseError)


# -- a document that is not an object -------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "source", "message", "redacted"),
    [
        (
            load_plan,
            "1",
            "invalid plan file, 1 problem: a plan must be a JSON object, got 1",
            "invalid plan file, 1 problem: a plan must be a JSON object, got an integer",
        ),
        (
            load_plan,
            '"fictional"',
            "invalid plan file, 1 problem: a plan must be a JSON object, got 'fictional'",
            "invalid plan file, 1 problem: a plan must be a JSON object, got a string",
        ),
        (
            load_course,
            "[]",
            "invalid course file, 1 problem: a course must be a JSON object, got a list",
            "invalid course file, 1 problem: a course must be a JSON object, got a list",
        ),
    ],
)
def test_a_file_that_is_not_an_object_is_one_problem_of_the_whole_document(
    load: Any, source: str, message: str, redacted: str
) -> None:
    """The problem is at path "" (the document as a whole); its redacted form names the kind of
    value only."""
    error = _refusal(load, source)
    assert str(error) == message
    assert [p.to_dict()["path"] for p in error.problems] == [""]
    assert str(error.redacted()) == redacted


# -- the format ----------------------------------------------------------------------------------


def test_a_format_that_is_not_a_string_is_refused_with_its_value() -> None:
    """format: 3 is refused in the one form (never a TypeError), quoting 3 for the user only."""
    error = _refusal(load_plan, {**_plan_doc(), "format": 3})
    assert str(error) == f"invalid plan file, 1 problem: format: must be {PLAN_FORMAT!r}, got 3"
    assert str(error.redacted()) == (
        f"invalid plan file, 1 problem: format: must be {PLAN_FORMAT!r}, got an integer"
    )
    doc = dump_course(begin())
    error = _refusal(load_course, {**doc, "format": ["iptcore.course/1"]})
    assert [str(p) for p in error.problems] == [f"format: must be {COURSE_FORMAT!r}, got a list"]


def test_another_format_is_refused_quoting_it() -> None:
    """A minor version of the same major, or another file's format, is not this format."""
    for other in ("iptcore.case/1", "iptcore.plan/1.0"):
        error = _refusal(load_plan, {**_plan_doc(), "format": other})
        assert [str(p) for p in error.problems] == [
            f"format: must be {PLAN_FORMAT!r}, got {other!r}"
        ]
        assert [str(p) for p in error.redacted().problems] == [
            f"format: must be {PLAN_FORMAT!r}, got a string"
        ]


def test_a_newer_major_version_says_to_upgrade_and_its_log_form_quotes_no_version() -> None:
    error = _refusal(load_plan, {**_plan_doc(), "format": "iptcore.plan/2"})
    assert str(error) == (
        "invalid plan file, 1 problem: format: this file is iptcore.plan/2, a newer major version "
        "than this iptcore reads (iptcore.plan/1); upgrade iptcore to read it"
    )
    assert str(error.redacted()) == (
        "invalid plan file, 1 problem: format: is a newer major version than this iptcore reads "
        "(iptcore.plan/1)"
    )
    error = _refusal(load_course, {**dump_course(begin()), "format": "iptcore.course/37"})
    assert [str(p) for p in error.redacted().problems] == [
        "format: is a newer major version than this iptcore reads (iptcore.course/1)"
    ]
    assert "37" not in str(error.redacted())


# -- the protocol of a plan file ------------------------------------------------------------------


def test_a_protocol_name_that_is_not_built_in_lists_the_built_in_ones() -> None:
    doc = {"format": PLAN_FORMAT, "protocol": "ipt-z", "sessions": []}  # fictional name
    error = _refusal(load_plan, doc)
    names = "ipt, ipt-b, ipt-a, group, ipc, maintenance"
    assert str(error) == (
        f"invalid plan file, 1 problem: protocol: names no built-in protocol ({names}), got 'ipt-z'"
    )
    assert str(error.redacted()) == (
        f"invalid plan file, 1 problem: protocol: names no built-in protocol ({names})"
    )


# -- the course file ----------------------------------------------------------------------------


def test_a_course_files_case_must_be_an_object() -> None:
    """The case of a course file is an object, read as a case file; anything else is refused at
    ``case`` in a course file's error, the redacted form naming the kind of value."""
    doc = dump_course(begin())
    error = _refusal(load_course, {**doc, "case": 3})
    assert str(error) == ("invalid course file, 1 problem: case: must be an object (a case), got 3")
    assert str(error.redacted()) == (
        "invalid course file, 1 problem: case: must be an object (a case), got an integer"
    )
    error = _refusal(load_course, {**doc, "case": None})
    assert [str(p) for p in error.problems] == ["case: must be an object (a case), got null"]


def test_a_course_file_of_exactly_max_steps_steps_is_read_step_by_step() -> None:
    """max_steps is the most steps allowed: a file of exactly that many is not refused for its
    count, each of its steps is read (here each one refused for what it is)."""
    most = DEFAULT_LIMITS.max_steps
    doc = {**dump_course(begin()), "steps": [0] * most}
    error = _refusal(load_course, doc)
    assert len(error.problems) == most
    assert str(error.problems[0]) == "steps[0]: must be an object (a step), got 0"
    assert str(error.problems[-1]) == f"steps[{most - 1}]: must be an object (a step), got 0"
    error = _refusal(load_course, {**doc, "steps": [0] * (most + 1)})
    assert [str(p) for p in error.problems] == [
        f"steps: {most + 1:,} steps is more than the limit of {most:,} (max_steps)"
    ]


def test_a_new_focus_in_a_course_file_is_checked_against_the_catalogue_given() -> None:
    """A change of focus looked up in a catalogue of the user's own reads back with that
    catalogue, and is refused with the built-in one (which gives the focus other techniques)."""
    without = TECHNIQUES.drop("communication_analysis")  # a dispute's first technique
    course = begin(focus=False).change_focus(["role_dispute"], catalogue=without)
    doc = dump_course(course)
    assert load_course(doc, catalogue=without) == course
    error = _refusal(load_course, doc)
    assert [p.path for p in error.problems] == ["steps[0].techniques"]
    assert error.problems[0].message.startswith(
        "are not the techniques the catalogue gives the focus"
    )


def test_dump_course_names_the_step_whose_maintenance_plan_no_file_holds() -> None:
    """A maintenance contract that plan_course never makes (an agenda edited) cannot be written:
    the refusal names the step's plan, ``steps[i].plan``."""
    finished = hold_all(begin())
    planned = plan_course("maintenance", start=date(2027, 1, 4), sessions=2, focus=finished.focus)
    first = attrs.evolve(planned.sessions[0], agenda=("fictional item",))
    edited = attrs.evolve(planned, sessions=(first, *planned.sessions[1:]))
    step = Step(kind="start_maintenance", plan=edited)
    course = Course(
        case=CASE,
        contract=finished.contract,
        initial_goals=finished.initial_goals,
        steps=(*finished.steps, step),
    )
    where = f"steps[{len(course.steps) - 1}].plan"
    with pytest.raises(IptError) as caught:
        dump_course(course)
    assert str(caught.value).startswith(
        f"{where}: sessions[0].agenda: is not the agenda of session 1 as planned (item 0 is "
        "'fictional item'"
    )
