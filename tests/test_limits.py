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
from hypothesis import given, settings

from iptcore import CaseError, IptError, ProtocolError, classify, dump_case, load_case
from iptcore.caseio import DEFAULT_MAX_BYTES
from iptcore.errors import Problem
from iptcore.limits import DEFAULT_LIMITS, Limits
from iptcore.testing import case_documents

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


# -- the byte limit of a dict: the JSON it would be written as -------------------------------------


def _compact(doc: Any) -> bytes:
    """``doc`` written as the limit measures it: compact JSON, in UTF-8, nothing escaped to ASCII."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _too_big(call: Callable[[], object]) -> str:
    """The one problem of a document refused by max_bytes, at the document's path."""
    with pytest.raises(CaseError) as info:
        call()
    [problem] = info.value.problems
    assert problem.path == ""
    assert problem.message.endswith("(max_bytes)"), problem.message
    return problem.message


def test_a_dict_is_measured_as_the_compact_utf8_json_it_stands_for() -> None:
    """max_bytes bounds a dict as it bounds its text: the bytes of its compact JSON in UTF-8, a
    letter outside ASCII counted as the two bytes UTF-8 writes it in (not six, as a ``\\u``
    escape). A dict and its text are accepted and refused alike, at the same size."""
    doc = _doc(
        patient={"name": "Zoë Ångström (fictional)"},
        people=[{"id": "p", "role": "friend", "closeness": 1, "name": "Jürgen Åsa"}],
    )
    size = len(_compact(doc))
    assert size < len(json.dumps(doc, separators=(",", ":")))  # the same with ASCII escapes
    for source in (doc, _compact(doc), _compact(doc).decode()):
        assert load_case(source, max_bytes=size).id == "fictional-limits"
        assert load_case(source, limits=Limits(max_bytes=size)).id == "fictional-limits"
        message = _too_big(lambda: load_case(source, max_bytes=size - 1))  # noqa: B023
        assert f"{size:,} bytes" in message
        assert f"the limit of {size - 1:,}" in message


@settings(max_examples=60, deadline=None)
@given(case_documents())
def test_any_case_document_is_measured_to_the_byte(doc: dict[str, Any]) -> None:
    """For every valid document (texts of any Unicode, control characters that JSON escapes in six
    bytes among them): accepted at exactly its compact UTF-8 size, refused one byte below, as a
    dict and as text alike."""
    text = _compact(doc)
    size = len(text)
    assert load_case(doc, max_bytes=size) == load_case(text, max_bytes=size)
    _too_big(lambda: load_case(doc, max_bytes=size - 1))
    _too_big(lambda: load_case(text, max_bytes=size - 1))


def _fullest(n: int, text: str) -> dict[str, Any]:
    """A fictional case as large as its fields allow: every optional field given, ids of 64
    characters and the longest words; its free texts are ``text`` (control characters are six
    bytes each as JSON, ``\\u0001``), its notes lists of ``text`` unless it is empty."""
    notes = [text, text] if text else []

    def pid(i: int) -> str:
        return f"{i:064d}"

    people = [
        {"id": pid(i), "role": "ex_partner", "closeness": 4, "name": text, "contact": "monthly",
         "confidant": False, "knows_about_depression": False, "satisfying": notes,
         "unsatisfying": notes, "wants_changed": notes,
         "dispute": {"since": "2025-06-01", "expectations": "nonreciprocal",
                     "conflict": "covert", "stage": "renegotiation", "ended": "2025-09-01"}}
        for i in range(n)
    ]  # fmt: skip
    flags = ("bipolar", "psychotic_features", "substance_dependence", "cognitive_impairment")
    screening = dict.fromkeys(flags, False)
    return _doc(
        id="f" * 64,
        patient={"name": text, "born": 1980, "pronouns": text, "isolation": "longstanding",
                 "screening": {**screening, "suicide_risk": "moderate"}},
        people=people,
        ties=[{"between": [pid(i), pid(i + 1)], "kind": "conflict"} for i in range(n - 1)] * 5,
        events=[{"date": "2025-10-01", "kind": "new_relationship", "person": pid(0),
                 "description": text, "coping": "difficult"}],
        measures=[{"date": "2026-03-02", "instrument": "hamd17", "items": [None] * 17}] * n,
        priority="interpersonal_deficits",
        extensions={"app": {"note": text, "scores": [1, 2.5, None]}},
    )  # fmt: skip


@pytest.mark.parametrize("n", [1, 2, 100])
@pytest.mark.parametrize("text", ["", "\x01" * 40])
def test_the_fullest_case_is_measured_to_the_byte(n: int, text: str) -> None:
    """The byte limit holds to the byte where a document is as large as its fields allow."""
    doc = _fullest(n, text)
    size = len(_compact(doc))
    assert load_case(doc, max_bytes=size).id == "f" * 64
    _too_big(lambda: load_case(doc, max_bytes=size - 1))


def test_what_a_dict_loads_as_is_written_and_read_back_under_the_same_limits() -> None:
    """Whatever load_case accepts, its file holds: a case read from a dict, written as compact
    UTF-8 JSON, reads back under the same limits. A dict past max_bytes is refused as its file
    would be (it was accepted, and its file was not: 16 MB read from a dict under a 10 MB limit)."""
    names = ["Ælfrida Østergård", "José Núñez", "Łucja Żak", "Dvořák Ŝtefan"]  # fictional
    people = [
        {"id": f"p{i}", "role": "friend", "closeness": 1 + i % 4, "name": names[i % 4] * 5,
         "satisfying": ["walks by the fjord", "café mornings"]}
        for i in range(300)
    ]  # fmt: skip
    doc = _doc(people=people)
    limits = Limits(max_bytes=len(_compact(doc)))
    case = load_case(doc, limits=limits)
    written = _compact(dump_case(case))
    assert load_case(written, limits=limits) == case
    bigger = {**doc, "people": [*people, {"id": "one-more", "role": "friend", "closeness": 2}]}
    _too_big(lambda: load_case(bigger, limits=limits))
    with pytest.raises(CaseError, match=r"\(max_bytes\)"):
        load_case(_compact(bigger), limits=limits)


def test_a_file_whose_numbers_iptcore_writes_longer_is_measured_as_iptcore_writes_it() -> None:
    """``1e15`` in ``extensions`` is four characters of the file and ``1000000000000000.0`` as
    json writes it again: a file at the limit would dump to one past it, so it is refused, with
    the size it would be written at."""
    text = _compact(_doc(extensions={"readings": [1e15] * 50})).replace(
        b"1000000000000000.0", b"1e15"
    )
    size = len(_compact(json.loads(text)))
    assert size > len(text)
    message = _too_big(lambda: load_case(text, max_bytes=len(text)))
    assert f"{size:,} bytes" in message
    assert load_case(text, max_bytes=size).extensions == {"readings": (1e15,) * 50}


def test_a_dict_that_holds_one_list_many_times_is_refused_by_its_size_before_it_is_read() -> None:
    """A dict built in Python may hold one value many times (YAML anchors make such dicts): it
    counts as often as it is written. 100 people sharing 1,000 notes of 850 characters are 85 MB
    of JSON: refused by their size before any entry is read (their ids, all the same, are not
    reported)."""
    notes = ["a fictional note " * 50] * 1_000
    same = {"id": "same", "role": "friend", "closeness": 1, "satisfying": notes}
    message = _too_big(lambda: load_case(_doc(people=[same] * 100)))
    assert "at least" in message


def test_extensions_that_repeat_one_value_are_measured_without_unfolding_it() -> None:
    """A list holding one list twice, 22 levels deep, is 4 million strings of JSON (48 MB) in a
    few hundred bytes of memory: measured once per distinct value, and refused by its size."""
    value: Any = "fictional"
    for _ in range(22):
        value = [value, value]
    _too_big(lambda: load_case(_doc(extensions={"x": value})))


def test_plan_and_course_files_have_the_byte_limit_of_case_files() -> None:
    """load_plan and load_course take max_bytes as load_case does (10 MB by default), and measure
    a dict as the compact UTF-8 JSON it stands for."""
    from iptcore import Course, dump_course, dump_plan, load_course, load_plan, plan_course
    from iptcore.caseio import read_document
    from iptcore.vignettes import vignette

    plan = plan_course("ipt", start=date(2026, 3, 9), focus=["grief"])
    course = Course.begin(vignette("widow"), plan).miss(reason="ill (fictional: Zoë's note)")
    for load, doc in ((load_plan, dump_plan(plan)), (load_course, dump_course(course))):
        size = len(_compact(doc))
        for source in (doc, _compact(doc)):
            assert load(source, max_bytes=size) is not None
            _too_big(lambda: load(source, max_bytes=size - 1))  # noqa: B023
    assert read_document({"x": "é"}, 10) == {"x": "é"}  # {"x":"é"}: é is two bytes
    _too_big(lambda: read_document({"x": "é"}, 9))
    _too_big(lambda: read_document({"x": "a" * DEFAULT_MAX_BYTES}))


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
