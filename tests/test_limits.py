"""Tests of iptcore.limits: the documented limits, their clear errors, and the large case they allow.

The promise: documented limits (file size, people, events, measures, sessions) with clear errors,
and a case with 10,000 people and 10,000 events loads, classifies and deidentifies. The timing of
that case is measured by ``benchmarks/large_case.py``, not here (no timing assertions in tests).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs
import pytest

from iptcore import CaseError, IptError, ProtocolError, classify, dump_case, load_case
from iptcore.caseio import DEFAULT_MAX_BYTES
from iptcore.errors import Problem
from iptcore.limits import DEFAULT_LIMITS, Limits

FORMAT = "iptcore.case/1"
#: How deep JSON inside extensions may nest: the limit documented in iptcore.limits.
MAX_JSON_DEPTH = 64


def _doc(**more: Any) -> dict[str, Any]:
    """A small valid fictional case document with ``more`` keys."""
    return {"format": FORMAT, "id": "fictional-limits", "assessed": "2026-03-02",
            "onset": "2025-12-01", **more}  # fmt: skip


def _people(n: int) -> list[dict[str, Any]]:
    return [{"id": f"p{i}", "role": "friend", "closeness": 1 + i % 4} for i in range(n)]


def _events(n: int) -> list[dict[str, Any]]:
    start = date(2026, 3, 2)
    return [
        {"date": (start - timedelta(days=i % 2000)).isoformat(), "kind": "illness"}
        for i in range(n)
    ]


# -- the documented values ---------------------------------------------------------------------


def test_the_defaults_are_the_documented_ones() -> None:
    """The limits table of iptcore.limits' docstring, value by value."""
    assert attrs.asdict(DEFAULT_LIMITS) == {
        "max_bytes": 10_000_000,
        "max_people": 100_000,
        "max_ties": 100_000,
        "max_events": 100_000,
        "max_measures": 100_000,
        "max_notes": 1_000,
        "max_text": 10_000,
        "max_sessions": 1_000,
        "max_steps": 2_000,
    }
    assert Limits() == DEFAULT_LIMITS


def test_the_byte_limit_is_load_cases() -> None:
    """One number for the file size: load_case's default is the documented limit, and a
    ``limits`` value's max_bytes applies unless max_bytes is given."""
    assert DEFAULT_LIMITS.max_bytes == DEFAULT_MAX_BYTES
    text = json.dumps(_doc(patient={"name": "x" * 200}))
    with pytest.raises(CaseError, match=r"\(max_bytes\)"):
        load_case(text, limits=Limits(max_bytes=100))
    assert load_case(text, limits=Limits(max_bytes=100), max_bytes=len(text)).patient is not None


def test_the_limits_hold_the_largest_measured_case_ten_times() -> None:
    """The counts stay at least ten times the 10,000 people and events of the benchmark case."""
    for name in ("max_people", "max_ties", "max_events", "max_measures"):
        assert getattr(DEFAULT_LIMITS, name) >= 10 * 10_000


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10", None])
@pytest.mark.parametrize("name", ["max_bytes", "max_people", "max_text", "max_sessions"])
def test_a_limit_must_be_a_positive_whole_number(name: str, bad: object) -> None:
    with pytest.raises(IptError) as info:
        Limits(**{name: bad})
    assert str(info.value) == f"{name}: must be a whole number of 1 or more, got {bad!r}"


def test_evolve_changes_one_limit_and_refuses_unknown_ones() -> None:
    more = DEFAULT_LIMITS.evolve(max_people=500_000)
    assert more.max_people == 500_000
    assert more.max_events == DEFAULT_LIMITS.max_events
    assert DEFAULT_LIMITS.max_people == 100_000
    with pytest.raises(IptError, match="Limits has no limit max_friends: max_bytes, max_people"):
        DEFAULT_LIMITS.evolve(max_friends=3)
    with pytest.raises(IptError, match="max_events: must be a whole number"):
        DEFAULT_LIMITS.evolve(max_events=0)


# -- document_problems: sizes of the raw document ----------------------------------------------


@pytest.mark.parametrize(
    ("key", "entry", "limit", "noun"),
    [
        ("people", {}, "max_people", "people"),
        ("ties", {}, "max_ties", "ties"),
        ("events", {}, "max_events", "events"),
        ("measures", {}, "max_measures", "measures"),
    ],
)
def test_each_list_is_limited_at_its_own_path(
    key: str, entry: object, limit: str, noun: str
) -> None:
    """A list of the case format longer than its limit is reported at the list's path."""
    limits = Limits(**{limit: 3})
    assert limits.document_problems({key: [entry] * 3}) == []  # the limit itself is allowed
    assert limits.document_problems({key: [entry] * 4}) == [
        Problem(path=key, message=f"has 4 {noun}, more than the limit of 3 ({limit})")
    ]


def test_large_counts_are_written_with_thousands_separators() -> None:
    problems = Limits(max_events=1_000).document_problems({"events": [0] * 1_001})
    assert [str(p) for p in problems] == [
        "events: has 1,001 events, more than the limit of 1,000 (max_events)"
    ]


def test_every_long_text_is_reported_where_it_is() -> None:
    """Names, pronouns, notes and descriptions are the free text of the case format."""
    limits = Limits(max_text=4)
    doc = {
        "patient": {"name": "Fictional", "pronouns": "they/them", "born": 1990},
        "people": [
            {"id": "longer-than-four", "name": "Abcd"},
            {
                "name": "Abcde",
                "satisfying": ["ok", "too long"],
                "unsatisfying": ["12345"],
                "wants_changed": ["fine", "again too long"],
            },
        ],
        "events": [{"description": "okay"}, {"description": "moved away"}],
    }
    assert [p.path for p in limits.document_problems(doc)] == [
        "patient.name",
        "patient.pronouns",
        "people[1].name",
        "people[1].satisfying[1]",
        "people[1].unsatisfying[0]",
        "people[1].wants_changed[1]",
        "events[1].description",
    ]
    assert str(limits.document_problems({"patient": {"name": "Fictional"}})[0]) == (
        "patient.name: is 9 characters, more than the limit of 4 (max_text)"
    )


def test_a_text_at_the_limit_is_allowed() -> None:
    limits = Limits(max_text=5)
    doc = {"patient": {"name": "12345"}, "people": [{"satisfying": ["12345"]}],
           "events": [{"description": "12345"}]}  # fmt: skip
    assert limits.document_problems(doc) == []


def test_each_note_is_measured_by_itself() -> None:
    """max_text bounds one note, not a list of them; entries that are not text do not hide a long
    one beside them."""
    limits = Limits(max_text=5)
    assert limits.document_problems({"people": [{"satisfying": ["12345"] * 10}]}) == []
    doc = {"people": [{"satisfying": [3, "123456", None, "12345"]}]}
    assert [p.path for p in limits.document_problems(doc)] == ["people[0].satisfying[1]"]


def test_too_many_notes_are_one_problem() -> None:
    limits = Limits(max_notes=2, max_text=1)
    doc = {"people": [{"satisfying": ["long", "long", "long"]}, {"unsatisfying": ["a", "b"]}]}
    assert limits.document_problems(doc) == [
        Problem(
            path="people[0].satisfying",
            message="has 3 notes, more than the limit of 2 (max_notes)",
        )
    ]


def test_an_overlong_list_is_not_walked() -> None:
    """A list past its limit is refused as a whole: its entries are not read one by one."""
    limits = Limits(max_people=1, max_events=1, max_text=1)
    doc = {"people": [{"name": "long"}, {"name": "long"}], "events": [{"description": "xx"}] * 2}
    assert [p.path for p in limits.document_problems(doc)] == ["people", "events"]


def test_values_of_the_wrong_type_are_left_to_the_format() -> None:
    """Only sizes are checked here; load_case reports the wrong types by name."""
    limits = Limits(max_text=1, max_people=1, max_notes=1)
    doc = {
        "people": "everyone",
        "patient": {"name": 12345},
        "events": [7, {"description": ["a", "list"]}],
        "measures": {"a": 1},
    }
    assert limits.document_problems(doc) == []
    other = {"patient": "x", "people": [3, {"satisfying": "long"}]}
    assert Limits(max_text=1, max_notes=1).document_problems(other) == []


def test_check_document_raises_every_problem() -> None:
    limits = Limits(max_people=1, max_text=2)
    with pytest.raises(CaseError) as info:
        limits.check_document({"people": _people(2), "patient": {"name": "Abc"}})
    assert [p.path for p in info.value.problems] == ["people", "patient.name"]
    limits.check_document({"people": _people(1)})  # within the limits: no error


def test_the_default_limits_allow_a_valid_large_document() -> None:
    assert DEFAULT_LIMITS.document_problems(_doc(people=_people(10_000))) == []


# -- load_case ------------------------------------------------------------------------------------


def test_load_case_refuses_a_case_past_its_limits_before_reading_it() -> None:
    """Limits with clear errors; the hostile list is not read entry by entry,
    so its other problems (here: ids that repeat) are not reported."""
    doc = _doc(people=[{"id": "same", "role": "friend", "closeness": 1}] * 4)
    with pytest.raises(CaseError) as info:
        load_case(doc, limits=Limits(max_people=3))
    assert [str(p) for p in info.value.problems] == [
        "people: has 4 people, more than the limit of 3 (max_people)"
    ]
    text = json.dumps(_doc(patient={"name": "x" * 11}))
    with pytest.raises(CaseError, match=r"patient\.name: is 11 characters, more than the limit"):
        load_case(text, limits=Limits(max_text=10))


def test_load_case_refuses_a_file_past_max_bytes() -> None:
    """The file-size limit (max_bytes, 10 MB by default) names itself in the error."""
    text = json.dumps(_doc(patient={"name": "x" * 200}))
    with pytest.raises(CaseError, match=r"more than the limit of 100 \(max_bytes\)"):
        load_case(text, max_bytes=100)
    assert load_case(text, max_bytes=len(text)).patient is not None


def test_extensions_nest_at_most_the_documented_depth() -> None:
    """The documented depth (64) bounds extensions, so hostile nesting cannot exhaust the stack:
    objects or lists nested exactly that deep are read, one level more is refused."""

    def nested(depth: int, empty: Any) -> Any:
        inner: Any = empty
        for _ in range(depth):
            inner = {"a": inner} if isinstance(empty, dict) else [inner]
        return inner

    deepest = nested(MAX_JSON_DEPTH, {})  # the innermost object at depth 64
    assert load_case(_doc(extensions=deepest)).extensions == deepest
    with pytest.raises(CaseError) as info:
        load_case(_doc(extensions=nested(MAX_JSON_DEPTH + 1, {})))
    assert [str(p) for p in info.value.problems] == [
        f"extensions: nests deeper than {MAX_JSON_DEPTH} levels"
    ]
    lists = {"a": nested(MAX_JSON_DEPTH - 1, [])}  # the innermost list at depth 64
    assert load_case(_doc(extensions=lists)).extensions is not None
    with pytest.raises(CaseError, match=f"nests deeper than {MAX_JSON_DEPTH} levels"):
        load_case(_doc(extensions={"a": nested(MAX_JSON_DEPTH, [])}))


def _large_document(n: int) -> dict[str, Any]:
    """A fictional case of ``n`` named people with notes and ``n`` events, a death among them."""
    people = [
        {"id": f"p{i:05d}", "name": f"Fictional Person {i}", "role": "friend",
         "closeness": 1 + i % 4, "contact": "weekly", "satisfying": [f"walks with {i}"]}
        for i in range(n)
    ]  # fmt: skip
    events = _events(n)
    events[0] = {"date": "2025-12-01", "kind": "death", "person": "p00000"}
    for i in range(1, n, 97):
        events[i]["description"] = f"a change at place {i}"
    return _doc(people=people, events=events, patient={"name": "Fictional Patient"})


def test_a_case_of_ten_thousand_people_and_events_loads_classifies_and_deidentifies() -> None:
    """A case with 10,000 people and 10,000 events loads, classifies and deidentifies
    (benchmarks/large_case.py times it); the copy keeps no name or note."""
    text = json.dumps(_large_document(10_000))
    assert len(text.encode()) < DEFAULT_LIMITS.max_bytes
    case = load_case(text)
    assert (len(case.people), len(case.events)) == (10_000, 10_000)
    result = classify(case)
    assert result.focus[0].value == "grief"
    copy = case.deidentify(seed=20260302)
    assert classify(copy).focus == result.focus
    dumped = json.dumps(dump_case(copy))
    for secret in ("Fictional", "walks with", "a change at place", '"p00000"', "2025-12-01"):
        assert secret not in dumped


# -- sessions ---------------------------------------------------------------------------------------


def _refused_past_the_limit(call: Callable[[], object], pattern: str) -> None:
    """A size past a limit in a Python call is an IptError, never a ProtocolError: a size is no
    step that the IPT protocol forbids."""
    with pytest.raises(IptError, match=pattern) as info:
        call()
    assert not isinstance(info.value, ProtocolError)


def test_check_sessions_allows_up_to_the_limit() -> None:
    """A plan or course has at most max_sessions numbered sessions (1,000 by default)."""
    assert DEFAULT_LIMITS.check_sessions(1_000) == 1_000
    assert Limits(max_sessions=3).check_sessions(3) == 3
    _refused_past_the_limit(
        lambda: Limits(max_sessions=3).check_sessions(4),
        r"^sessions: 4 sessions is more than the limit of 3",
    )
    _refused_past_the_limit(
        lambda: DEFAULT_LIMITS.check_sessions(1_001, name="count"),
        r"^count: 1,001 sessions .* 1,000 \(max_sessions\)$",
    )


@pytest.mark.parametrize("bad", [True, 2.0, "3", None])
def test_check_sessions_wants_a_whole_number(bad: object) -> None:
    with pytest.raises(IptError, match="sessions: must be a whole number of sessions"):
        DEFAULT_LIMITS.check_sessions(bad)  # type: ignore[arg-type]


def test_a_plan_has_at_most_max_sessions() -> None:
    """Maintenance IPT has no upper bound (Frank et al. 1990, 1991): the documented limit of
    1,000 sessions still holds, with an error that names it, and 1,000 plan."""
    from iptcore import plan_course

    start = date(2026, 3, 9)
    assert plan_course("maintenance", start=start, sessions=1_000).count == 1_000
    _refused_past_the_limit(
        lambda: plan_course("maintenance", start=start, sessions=1_001),
        r"^sessions: 1,001 sessions .* \(max_sessions\)$",
    )
    _refused_past_the_limit(
        lambda: plan_course("maintenance", start=start, sessions=10**12), "max_sessions"
    )


def test_a_protocol_cannot_default_past_the_session_limit() -> None:
    from iptcore import PROTOCOLS

    with pytest.raises(IptError, match=r"default_sessions: 1001 is more than the limit of 1000"):
        attrs.evolve(PROTOCOLS["maintenance"], default_sessions=1_001)
    assert attrs.evolve(PROTOCOLS["maintenance"], default_sessions=1_000).default_sessions == 1_000


def test_a_course_cannot_be_renegotiated_past_the_session_limit() -> None:
    from iptcore import Course, plan_course
    from iptcore.vignettes import vignette

    plan = plan_course("maintenance", start=date(2026, 3, 9), sessions=12)
    course = Course.begin(vignette("demo"), plan)
    _refused_past_the_limit(
        lambda: course.renegotiate(sessions=5_000, reason="a fictional request"), "max_sessions"
    )


def test_a_course_file_past_the_session_limit_is_a_problem_at_its_path() -> None:
    """In a file, a size past max_sessions is a CaseError at the path of the count."""
    from iptcore import Course, dump_course, load_course, plan_course
    from iptcore.vignettes import vignette

    plan = plan_course("maintenance", start=date(2026, 3, 9), sessions=12)
    doc = dump_course(Course.begin(vignette("demo"), plan))
    doc["steps"] = [{"kind": "renegotiate", "sessions": 5_000, "reason": "a fictional request"}]
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [str(p) for p in info.value.problems] == [
        "steps[0].sessions: 5,000 sessions is more than the limit of 1,000 (max_sessions)"
    ]


def test_a_session_count_past_pythons_text_limit_is_refused_in_short_words() -> None:
    message = DEFAULT_LIMITS.sessions_over(10**5000)
    assert "5,001 digits" in message
    assert len(message) < 120


def test_a_course_file_of_more_steps_than_max_steps_is_refused_before_replay() -> None:
    from iptcore import Course, plan_course
    from iptcore.courseio import dump_course, load_course
    from iptcore.vignettes import vignette

    course = Course.begin(vignette("demo"), plan_course(start=date(2026, 3, 9), focus=["grief"]))
    doc = dump_course(course)
    doc["steps"] = [{"kind": "miss", "number": 1, "reason": "fictional"}] * 2_001
    with pytest.raises(CaseError) as info:
        load_course(doc)
    assert [str(p) for p in info.value.problems] == [
        "steps: 2,001 steps is more than the limit of 2,000 (max_steps)"
    ]
