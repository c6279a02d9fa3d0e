"""Regression tests: one per finding of the fuzzers and property tests.

Each test's docstring names its finding as fuzz/README.md lists it (F1, F2, ...), with the harness
and the crash file it came from. A finding that is reported but not yet fixed is marked
``xfail(strict=True)``, so that the fix turns it into a plain test by failing loudly until the
marker is removed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date
from typing import Any

import pytest

from iptcore import CaseError, Course, IptError, dump_case, load_case, plan_course
from iptcore.courseio import dump_course, dump_plan, load_course, load_plan
from iptcore.vignettes import VIGNETTES, document, vignette

MONDAY = date(2026, 3, 9)


def _session(number: int, day: str, phase: str) -> dict[str, Any]:
    return {
        "number": number,
        "date": day,
        "phase": phase,
        "agenda": [],
        "techniques": [],
        "remaining": 0,
    }


def _maintained_course(start: date = date(2026, 5, 1)) -> Course:
    """A fictional IPC course held to its end, then a maintenance contract of two monthly sessions
    from ``start``."""
    plan = plan_course("ipc", start=MONDAY, sessions=3, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).accept_formulation().hold().hold().hold()
    return course.start_maintenance(start=start, sessions=2)


def _run_limited(code: str, *, megabytes: int = 1500, seconds: int = 120) -> str:
    """Run ``code`` in a fresh interpreter with its address space capped, so that a regression of a
    memory finding fails this test instead of exhausting the machine; its stdout."""
    guard = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({megabytes} << 20, {megabytes} << 20))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", guard + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="the memory cap needs POSIX resource limits")
def test_f1_plan_file_with_a_huge_session_number_is_refused_without_exhausting_memory() -> None:
    """F1 (course_fuzz.py, crash file course-run1-oom-5e60713b): a plan whose last session was
    numbered 2147483648 made ``CoursePlan`` build ``list(range(1, 2**31 + 1))`` to compare the
    numbers, and loading the course file ran out of memory (libFuzzer's 2 GB limit). The plan is
    refused with a CaseError naming the numbering."""
    out = _run_limited(
        """
        from iptcore import CaseError
        from iptcore.courseio import load_plan
        session = {"date": "2026-03-16", "phase": "maintenance", "agenda": [], "techniques": [],
                   "remaining": 0}
        doc = {"format": "iptcore.plan/1", "protocol": "maintenance", "sessions": [
            {**session, "number": 1, "date": "2026-03-09"}, {**session, "number": 2**31}]}
        try:
            load_plan(doc)
        except CaseError as error:
            print(error.problems[0].path, "|", error.problems[0].message)
        """
    )
    assert out.startswith("sessions | must be numbered 1..n in order"), out


def test_f1_course_file_with_a_huge_maintenance_session_number_is_a_case_error() -> None:
    """F1, as the fuzzer found it: the huge number inside a course file's start_maintenance step
    (``steps[i].plan.sessions``) is a problem at that path, not a MemoryError."""
    doc = dump_course(_maintained_course())
    doc["steps"][-1]["plan"]["sessions"][-1]["number"] = 2**31
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [p.path for p in info.value.problems] == [
        f"steps[{len(doc['steps']) - 1}].plan.sessions"
    ]


def test_f2_course_file_renegotiated_past_the_calendar_is_a_case_error() -> None:
    """F2 (found while minimising F1): a course file renegotiating a monthly maintenance contract
    to 10,000,000 sessions ran the dates past year 9999, and ``load_course`` leaked the
    ``ValueError: year 10000 is out of range`` of date arithmetic. It is a CaseError now. (Counts
    that large are now refused by the session limit first, so the contract here starts in 9999.)"""
    doc = dump_course(_maintained_course(start=date(9999, 1, 1)))
    doc["steps"].append({"kind": "renegotiate", "sessions": 24, "reason": "fictional"})
    with pytest.raises(CaseError, match="past 9999-12-31"):
        load_course(json.dumps(doc))


@pytest.mark.parametrize(
    "step",
    [
        pytest.param(
            lambda: plan_course("ipt", start=date(9999, 12, 1), focus=["grief"]), id="weekly plan"
        ),
        pytest.param(lambda: plan_course("maintenance", start=date(9999, 1, 1)), id="monthly plan"),
        pytest.param(
            lambda: Course.begin(vignette("demo"), plan_course(start=MONDAY, focus=["grief"])).move(
                to=date(9999, 12, 25), shift_rest=True
            ),
            id="move the rest",
        ),
        pytest.param(
            lambda: _maintained_course(start=date(9999, 1, 1)).renegotiate(
                sessions=24, reason="fictional"
            ),
            id="renegotiate",
        ),
    ],
)
def test_f2_dates_past_the_calendar_are_ipt_errors(step: Any) -> None:
    """F2 from Python: planning, moving or renegotiating past ``date.max`` raised the bare
    OverflowError or ValueError of date arithmetic (``protocols.Cadence.slots``); it is an IptError
    that says why."""
    with pytest.raises(IptError, match="past 9999-12-31"):
        step()


def test_f1_plan_numbering_is_still_checked() -> None:
    """The fix of F1 keeps the rule: sessions numbered 1..n in order, nothing skipped or repeated."""
    doc = {
        "format": "iptcore.plan/1",
        "protocol": "ipc",
        "sessions": [
            _session(1, "2026-03-09", "initial"),
            _session(3, "2026-03-16", "middle"),
            _session(4, "2026-03-23", "termination"),
        ],
    }
    with pytest.raises(CaseError, match=r"numbered 1\.\.n in order"):
        load_plan(doc)


def test_f4_vignette_documents_are_read_only() -> None:
    """F4 (the module-level state check of tests/test_concurrency.py): ``VIGNETTES`` was a
    read-only mapping of plain dicts, so ``VIGNETTES["demo"]["people"].clear()`` changed the demo
    case for every caller in the process (``vignette("demo")``, ``python -m iptcore demo``). The
    documents are read-only all the way down; ``document()`` still gives a fresh, writable copy."""
    demo = VIGNETTES["demo"]
    with pytest.raises(TypeError):
        demo["id"] = "changed"  # type: ignore[index]
    assert isinstance(demo["people"], tuple)
    with pytest.raises(AttributeError):
        demo["people"].clear()  # type: ignore[attr-defined]
    copy = document("demo")
    copy["people"].clear()
    copy["id"] = "changed"
    assert document("demo")["id"] == "demo-maya"
    assert len(document("demo")["people"]) == len(demo["people"])
    assert vignette("demo") == load_case(document("demo"))
    assert json.loads(json.dumps(document("demo"))) == document("demo")


def test_f3_lone_surrogates_are_refused() -> None:
    """F3 (load_case_fuzz.py with IPTCORE_FUZZ_STRICT=1, crash file strict-crash-90f31ec5): the JSON
    escape ``\\ud800`` gives a string with a lone surrogate, which ``load_case`` accepted. The case
    then cannot be written as UTF-8 ("It is JSON (UTF-8)", the case format):
    ``json.dumps(dump_case(case), ensure_ascii=False).encode()`` raises UnicodeEncodeError, and so
    does any app that stores the dump as UTF-8 text. It should be a CaseError at the field's path
    (``iptcore.testing.texts`` already leaves surrogates out for this reason). The command line
    shows it: ``iptcore validate`` says the file is valid, then ``iptcore show`` fails with a
    UnicodeEncodeError traceback."""
    text = (
        '{"format": "iptcore.case/1", "id": "fictional-1", "assessed": "2026-03-02", '
        '"onset": "2025-12-01", "patient": {"name": "\\ud800"}}'
    )
    with pytest.raises(CaseError) as info:
        load_case(text)
    assert [p.path for p in info.value.problems] == ["patient.name"]


def test_f3_fix_keeps_characters_outside_the_basic_plane() -> None:
    """F3's fix refuses lone surrogates only: a surrogate *pair* escape (``\\ud83d\\ude00``,
    one character outside the Basic Multilingual Plane) is text like any other, in a field and in
    ``extensions``, and round-trips through UTF-8 JSON."""
    text = (
        '{"format": "iptcore.case/1", "id": "fictional-1", "assessed": "2026-03-02", '
        '"onset": "2025-12-01", "patient": {"name": "Maya \\ud83d\\ude00"}, '
        '"extensions": {"note": "\\ud83d\\ude00"}}'
    )
    case = load_case(text)
    assert case.patient is not None
    assert case.patient.name == "Maya \U0001f600"
    written = json.dumps(dump_case(case), ensure_ascii=False).encode("utf-8")
    assert load_case(written) == case


# --------------------------------------------------------------------------------------------
# Hostile plan and course files
# --------------------------------------------------------------------------------------------


def _demo_course() -> Course:
    return Course.begin(vignette("demo"), plan_course(start=MONDAY, focus=["grief"])).hold()


def _only_problem(call: Any, path: str) -> str:
    with pytest.raises(CaseError) as info:
        call()
    (problem,) = info.value.problems
    assert problem.path == path, info.value
    assert len(problem.message) < 200, problem.message
    return problem.message


def test_format_versions_of_thousands_of_digits_are_newer_major_versions() -> None:
    doc = dump_course(_demo_course())
    huge = {**doc, "format": "iptcore.course/" + "9" * 5000}
    assert "newer major version" in _only_problem(lambda: load_course(huge), "format")
    plan = {**doc["contract"], "format": "iptcore.plan/" + "9" * 5000}
    assert "newer major version" in _only_problem(lambda: load_plan(plan), "format")
    nested = {**doc, "contract": plan}
    assert "newer major version" in _only_problem(lambda: load_course(nested), "contract.format")


def test_a_step_of_a_huge_count_of_sessions_is_refused_at_its_path() -> None:
    doc = dump_course(_demo_course())
    doc["steps"].append({"kind": "renegotiate", "sessions": 10**5000, "reason": "fictional"})
    message = _only_problem(lambda: load_course(doc), "steps[1].sessions")
    assert "max_sessions" in message


@pytest.mark.parametrize("count", ["min_sessions", "max_sessions", "default_sessions"])
def test_a_custom_protocols_huge_session_counts_are_refused_at_their_paths(count: str) -> None:
    doc = dump_plan(plan_course(start=MONDAY, focus=["grief"]))
    doc["protocol"] = {
        "name": "fictional",
        "title": "A fictional protocol",
        "min_sessions": 1,
        "max_sessions": 20,
        "default_sessions": 12,
        count: 10**5000,
    }
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    (problem,) = [p for p in info.value.problems if p.path == f"protocol.{count}"]
    assert "5,001 digits" in problem.message, problem


@pytest.mark.parametrize(
    ("notes", "words"),
    [
        ("a\ud800b", "lone surrogate"),
        ("x" * 50_000_000, r"more than the limit of 10,000 \(max_text\)"),
    ],
)
def test_the_api_refuses_notes_that_the_course_file_cannot_hold(notes: str, words: str) -> None:
    course = Course.begin(vignette("demo"), plan_course(start=MONDAY, focus=["grief"]))
    with pytest.raises(IptError, match=words):
        course.hold(notes=notes)
    with pytest.raises(IptError, match=words):
        course.miss(reason=notes)


def test_notes_at_the_text_limit_round_trip_through_the_course_file() -> None:
    course = Course.begin(vignette("demo"), plan_course(start=MONDAY, focus=["grief"]))
    held = course.hold(notes="é" * 10_000)
    assert load_course(json.dumps(dump_course(held))) == held
