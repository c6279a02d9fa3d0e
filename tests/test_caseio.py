"""The case file: load_case, dump_case and case_schema (the case format: the public API)."""

from __future__ import annotations

import contextlib
import copy
import enum
import errno
import json
import os
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import CaseError, IptError, case_schema, dump_case, load_case
from iptcore.caseio import converter, read_document
from iptcore.testing import case_documents, cases

DOC: dict[str, Any] = {
    "format": "iptcore.case/1",
    "id": "fictional-7",
    "assessed": "2026-01-10",
    "onset": "2025-11-01",
    "patient": {"name": "Fictional Person", "born": 1980, "pronouns": "she/her"},
    "people": [
        {
            "id": "a",
            "role": "spouse",
            "closeness": 1,
            "contact": "daily",
            "confidant": False,
            "knows_about_depression": True,
            "satisfying": ["shared meals"],
            "unsatisfying": ["silence"],
            "wants_changed": ["talk more"],
            "dispute": {
                "since": "2025-06-01",
                "expectations": "nonreciprocal",
                "conflict": "covert",
                "stage": "impasse",
                "ended": "2025-12-01",
            },
        },
        {"id": "b", "role": "friend", "closeness": 3, "name": "Fictional Friend"},
    ],
    "ties": [{"between": ["a", "b"], "kind": "conflict"}],
    "events": [
        {"date": "2025-10-01", "kind": "death", "person": "b", "mourning": "avoided"},
        {"date": "2025-09-01", "kind": "other_change", "description": "moved flat"},
    ],
    "measures": [
        {"date": "2026-01-10", "instrument": "phq9", "items": [1, 2, 3, 0, None, 1, 1, 1, 1]}
    ],
    "priority": "grief",
    "extensions": {"app": {"x": [1, 2.5, {"y": None}]}, "empty": {}},
}

# Dates are checked by the schema's "format": "date", which asserts only with a format checker.
SCHEMA = jsonschema.Draft202012Validator(
    case_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def problems_of(source: object) -> list[tuple[str, str]]:
    with pytest.raises(CaseError) as excinfo:
        load_case(source)
    return [(p.path, p.message) for p in excinfo.value.problems]


def problems(source: object) -> list[Any]:
    with pytest.raises(CaseError) as excinfo:
        load_case(source)
    return list(excinfo.value.problems)


def paths_of(source: object) -> list[str]:
    return [path for path, _ in problems_of(source)]


def with_(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``doc`` with ``path`` (dotted, [i] for lists) set to ``value``."""
    out = copy.deepcopy(doc)
    holder: Any = out
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        holder = holder[int(part)] if isinstance(holder, list) else holder[part]
    last = parts[-1]
    if isinstance(holder, list):
        holder[int(last)] = value
    else:
        holder[last] = value
    return out


def test_every_field_round_trips() -> None:
    """dump_case gives back exactly what was read, every field included (the public API)."""
    case = load_case(DOC)
    assert dump_case(case) == DOC
    assert case.people[0].dispute is not None
    assert case.people[0].dispute.stage == "impasse"


def test_sources_dict_text_bytes_path(tmp_path: Path) -> None:
    """load_case reads a dict, JSON str or bytes, or an os.PathLike (the public API)."""
    text = json.dumps(DOC)
    file = tmp_path / "case.json"
    file.write_text(text, encoding="utf-8")
    expected = load_case(DOC)
    assert load_case(text) == expected
    assert load_case(text.encode()) == expected
    assert load_case(b"\xef\xbb\xbf" + text.encode()) == expected  # a UTF-8 byte order mark
    assert load_case(file) == expected


def test_missing_file_is_a_case_error(tmp_path: Path) -> None:
    """Any invalid input raises CaseError and nothing else (the public API)."""
    [(path, message)] = problems_of(tmp_path / "nope.json")
    assert path == ""
    assert "cannot read the file" in message


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ("id", "has space", "id"),
        ("assessed", "2026-02-30", "assessed"),
        ("assessed", "10/01/2026", "assessed"),
        ("onset", "2026-01-11", "onset"),
        ("patient.born", 1899, "patient.born"),
        ("patient.born", 2027, "patient.born"),
        ("patient.name", None, "patient.name"),
        ("people[1].closeness", 1.0, "people[1].closeness"),
        ("people[1].closeness", "1", "people[1].closeness"),
        ("people[1].closeness", True, "people[1].closeness"),
        ("people[1].role", "pal", "people[1].role"),
        ("people[1].id", "a", "people[1].id"),
        ("people[0].dispute.ended", "2025-05-01", "people[0].dispute.ended"),
        ("people[0].dispute.since", "2026-02-01", "people[0].dispute.since"),
        ("people[0].satisfying", ["ok", 3], "people[0].satisfying[1]"),
        ("ties[0].between", ["a", "zed"], "ties[0]"),
        ("ties[0].between", ["a", "a"], "ties[0].between"),
        ("events[0].person", "zed", "events[0].person"),
        ("events[0].date", "2026-01-11", "events[0].date"),
        ("events[1].mourning", "avoided", "events[1].mourning"),
        ("events[1].kind", "job_loss", "events[1].description"),
        ("measures[0].items", [0] * 8, "measures[0].items"),
        ("measures[0].items", [0] * 8 + [4], "measures[0].items[8]"),
        ("measures[0].instrument", "bdi2", "measures[0].instrument"),
        ("priority", "loneliness", "priority"),
        ("extensions", [], "extensions"),
    ],
)
def test_each_rule_reports_its_path(path: str, value: Any, where: str) -> None:
    """A problem is reported at the path of the field that breaks the rule (the case format)."""
    doc = with_(DOC, path, value)
    if path == "events[1].kind":  # a job loss with a description but no mourning is fine ...
        doc["events"][1].pop("description")  # ... so drop the description other kinds may omit
        doc = with_(doc, "events[1].kind", "other_change")
    assert where in paths_of(doc)


def test_unknown_keys_at_their_own_path() -> None:
    """An unknown key is reported at its own path: colour, people[1].shoe (the case format)."""
    doc = with_(with_(DOC, "colour", "blue"), "people[1].shoe", 42)
    assert paths_of(doc) == ["colour", "people[1].shoe"]


def test_every_problem_is_listed() -> None:
    """CaseError.problems lists every problem found, not only the first (the public API)."""
    doc = with_(with_(with_(DOC, "onset", "2027-01-01"), "people[0].closeness", 0), "x", 1)
    assert sorted(paths_of(doc)) == ["onset", "people[0].closeness", "x"]


def test_required_fields() -> None:
    """format, id, assessed and onset are required (the case format)."""
    assert paths_of({}) == ["format", "id", "assessed", "onset"]


@pytest.mark.parametrize("fmt", ["iptcore.case/2", "iptcore.case/10"])
def test_newer_major_format_names_both_versions(fmt: str) -> None:
    """Another major version is refused with a clear error naming both versions."""
    [(path, message)] = problems_of({**DOC, "format": fmt})
    assert path == "format"
    assert fmt in message
    assert "iptcore.case/1" in message


@pytest.mark.parametrize("fmt", ["iptcore.case/0", "case", 1, None])
def test_other_formats_refused(fmt: object) -> None:
    """format must be "iptcore.case/1" (the case format)."""
    assert paths_of({**DOC, "format": fmt}) == ["format"]


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "iptcore.case/1", "format": "iptcore.case/1"}',
        "[" * 100_000,
        "{" * 100_000,
        '{"x": ' + "9" * 5000 + "}",
        "",
        "not json",
        "[]",
        "null",
    ],
)
def test_hostile_json_text(text: str) -> None:
    """Duplicate keys, NaN and Infinity, deep nesting and non-objects are refused (the case format)."""
    assert paths_of(text) == [""]
    assert paths_of(text.encode()) == [""]


@pytest.mark.parametrize(
    "text", ['{"x": NaN}', '{"x": Infinity}', '{"x": -Infinity}', '{"x": 1e999}']
)
def test_numbers_json_does_not_allow_are_refused_where_they_are(text: str) -> None:
    """NaN, Infinity and numbers too large to be finite are no JSON numbers (the case format)."""
    assert paths_of(text) == ["x"]
    assert paths_of(text.encode()) == ["x"]


def test_a_repeated_key_and_a_number_json_does_not_allow_are_reported_where_they_are() -> None:
    """A key given twice is a problem of the object that holds it, NaN or Infinity of the value,
    each at its JSON path, all of them at once (they were all at ``""``, the first one alone)."""
    text = (
        '{"format": "iptcore.case/1", "id": "fictional-1", "assessed": "2026-03-02", '
        '"onset": "2025-12-01", "people": [{"id": "a", "role": "friend", "closeness": NaN}, '
        '{"id": "b", "role": "friend", "closeness": 1, "name": "B", "name": "C", "name": "D"}], '
        '"extensions": {"x": [1, -Infinity, 1e400], "a.b": {"y": 1, "y": 2}}}'
    )
    assert [str(p) for p in problems(text)] == [
        "people[0].closeness: NaN is not allowed: JSON numbers must be finite",
        "people[1]: the key 'name' is given 3 times in one object",
        "extensions.x[1]: -Infinity is not allowed: JSON numbers must be finite",
        "extensions.x[2]: the number 1e400 is too large to be finite",
        "extensions[\"a.b\"]: the key 'y' is given twice in one object",
    ]
    assert [str(p) for p in problems('{"id": 1, "id": 2}')] == [
        "the key 'id' is given twice in one object"
    ]


def test_plan_and_course_files_report_repeated_keys_and_nan_where_they_are() -> None:
    """The plan and course files are read as case files are: the same problems at their paths."""
    from datetime import date

    from iptcore import Course, dump_course, dump_plan, load_course, load_plan, plan_course
    from iptcore.vignettes import vignette

    plan = plan_course("ipt", start=date(2026, 3, 9), focus=["grief"])
    text = json.dumps(dump_plan(plan)).replace('"number": 2,', '"number": NaN,', 1)
    text = text.replace('"remaining": 12', '"remaining": 12, "remaining": 12', 1)
    with pytest.raises(CaseError) as info:
        load_plan(text)
    assert [p.path for p in info.value.problems] == ["sessions[1].number", "sessions[3]"]
    course = Course.begin(vignette("widow"), plan).miss(reason="ill (fictional)")
    text = json.dumps(dump_course(course)).replace('"kind": "miss"', '"kind": "miss", "kind": 1')
    with pytest.raises(CaseError) as info:
        load_course(text)
    assert [str(p) for p in info.value.problems] == [
        "steps[0]: the key 'kind' is given twice in one object"
    ]


def test_a_syntax_error_is_told_by_line_and_column() -> None:
    """Where JSON itself is broken there is no path: the line and column say where."""
    assert problems_of('{"a": NaN, "a": 1,\n "b": }') == [
        ("", "is not valid JSON: Expecting value (line 2, column 7)")
    ]


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_JSON_VALUES, st.integers(min_value=1, max_value=400))
def test_json_size_is_the_size_json_writes(value: Any, most: int) -> None:
    """json_size is the byte count of compact UTF-8 JSON (escapes, letters outside ASCII and
    outside the Basic Multilingual Plane, numbers as json writes them), exact up to ``most`` and
    above ``most`` exactly when the JSON is."""
    from iptcore.caseio import json_size

    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    assert json_size(value, size) == size
    measured = json_size(value, most)
    assert measured == size if size <= most else most < measured <= size


@pytest.mark.parametrize("source", [None, 42, 1.5, True, ["a"], object(), b"\xff\xfe\x00"])
def test_non_case_sources(source: object) -> None:
    """Whatever is passed gets CaseError, never another exception."""
    assert paths_of(source) == [""]


def test_size_limit_is_a_setting() -> None:
    """A size limit, default 10 MB, that the caller can set."""
    big = " " * 10_000_001
    [(_, message)] = problems_of(big)
    assert "10,000,000" in message
    text = json.dumps(DOC)
    with pytest.raises(CaseError, match="max_bytes"):
        load_case(text, max_bytes=100)
    assert load_case(text, max_bytes=len(text)).id == "fictional-7"


def test_deep_extensions_refused() -> None:
    """Nesting inside extensions is limited, so hostile input cannot exhaust the stack."""
    deep: Any = 1
    for _ in range(500):
        deep = [deep]
    assert paths_of({**DOC, "extensions": {"d": deep}}) == ["extensions"]


def test_dump_case_needs_a_case() -> None:
    """dump_case refuses anything but a Case with the library's error for a wrong argument."""
    with pytest.raises(IptError):
        dump_case(DOC)  # type: ignore[arg-type]


def test_converter_structures_through_the_checked_walk() -> None:
    """The one converter knows the model both ways."""
    from iptcore import Case

    assert converter().structure(DOC, Case) == load_case(DOC)
    with pytest.raises(CaseError):
        converter().structure({**DOC, "id": ""}, Case)


# -- properties ---------------------------------------------------------------------------------


@given(cases())
def test_round_trip(case: Any) -> None:
    """load_case(dump_case(c)) == c for every valid case (the public API)."""
    doc = dump_case(case)
    assert load_case(doc) == case
    assert load_case(json.dumps(doc)) == case


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else k))
        return out or {path: {}}
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}[{i}]"))
        return out or {path: []}
    return {path: value}


_DEFAULTS = [
    ("people", "dispute", "expectations", "nonreciprocal"),
    ("people", "dispute", "conflict", "overt"),
]


@given(case_documents(), st.data())
def test_every_value_comes_back(doc: dict[str, Any], data: st.DataObject) -> None:
    """Nothing given is lost: every value of a valid file comes back at the same place, explicit
    defaults included; empty lists of people, ties, events, measures and notes are the
    only things dump_case may leave out."""
    doc = copy.deepcopy(doc)
    for person in doc.get("people", []):  # write some defaults out explicitly
        dispute = person.get("dispute")
        if dispute is not None and data.draw(st.booleans()):
            for _, _, key, value in _DEFAULTS:
                dispute.setdefault(key, value)
    for event in doc.get("events", []):
        if event["kind"] == "death" and data.draw(st.booleans()):
            event.setdefault("mourning", "ongoing")
    before = _leaves(doc)
    after = _leaves(dump_case(load_case(json.loads(json.dumps(doc)))))
    assert after == before


@given(case_documents())
def test_schema_accepts_what_load_case_accepts(doc: dict[str, Any]) -> None:
    """Every document load_case accepts is valid under case_schema() (the case format)."""
    SCHEMA.validate(doc)


_FIELD_BREAKERS: list[tuple[str, Any]] = [
    ("id", ""),
    ("id", "a b"),
    ("assessed", "2026-02-30"),
    ("assessed", 20260101),
    ("people[1].closeness", 5),
    ("people[1].closeness", True),
    ("people[1].role", "pal"),
    ("people[1].contact", "hourly"),
    ("people[0].dispute.stage", "truce"),
    ("people[0].dispute", {"stage": "impasse"}),
    ("people[0].satisfying", "one string"),
    ("ties[0].between", ["a"]),
    ("ties[0].between", ["a", "a"]),
    ("ties[0].kind", "friendly"),
    ("events[0].kind", "birthday"),
    ("events[1].mourning", "avoided"),
    ("events[1].description", 3),
    ("measures[0].items", [0] * 10),
    ("measures[0].items", [0, 0, 0, 0, 0, 0, 0, 0, 4]),
    ("measures[0].items", [0, 0, 0, 0, 0, 0, 0, 0, 1.5]),
    ("priority", "sadness"),
    ("extensions", "text"),
    ("format", "iptcore.case/2"),
    ("patient", []),
    ("patient.born", 1850),
    ("unknown", 1),
    ("people[1].unknown", 1),
]


@pytest.mark.parametrize(("path", "value"), _FIELD_BREAKERS)
def test_schema_refuses_what_load_case_refuses(path: str, value: Any) -> None:
    """Documents that break a field rule are refused by both load_case and the schema; only the
    cross-field rules (dates in order, unique ids, references) are load_case's alone."""
    doc = with_(DOC, path, value)
    with pytest.raises(CaseError):
        load_case(doc)
    assert not SCHEMA.is_valid(doc)


def test_integral_floats_are_the_one_known_difference() -> None:
    """JSON Schema counts 2.0 as an integer; the case format refuses it (the case format: "1.0 ...
    refused where an integer is required"), so load_case is stricter there, as documented."""
    doc = with_(DOC, "people[1].closeness", 2.0)
    with pytest.raises(CaseError):
        load_case(doc)
    assert SCHEMA.is_valid(doc)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_case_error(data: bytes) -> None:
    """Arbitrary bytes get CaseError, never another exception."""
    with contextlib.suppress(CaseError):
        load_case(data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON)
def test_arbitrary_json_values_only_case_error(value: Any) -> None:
    """Arbitrary JSON values, as Python objects and as text, get only CaseError."""
    for source in (value, json.dumps(value)):
        with contextlib.suppress(CaseError):
            load_case(source)


@given(case_documents(max_people=3, max_events=3), st.data())
def test_mutated_documents_only_case_error(doc: dict[str, Any], data: st.DataObject) -> None:
    """Valid documents with one value replaced by any JSON value load or raise CaseError."""
    leaves = [p for p in _leaves(doc) if p]
    path = data.draw(st.sampled_from(leaves))
    try:
        mutated = with_(doc, path, data.draw(_JSON))
    except (IndexError, KeyError, TypeError):
        return
    with contextlib.suppress(CaseError):
        load_case(mutated)


# --------------------------------------------------------------------------------------------
# Hostile input: files that are not files, integers past Python's text limit, sizes past an index
# --------------------------------------------------------------------------------------------


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Opening a FIFO with no writer blocks forever; the loader looks at what the path is first."""
    import os

    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    with pytest.raises(CaseError, match="a FIFO \\(named pipe\\), not a regular file"):
        load_case(fifo)


@pytest.mark.parametrize(("where", "kind"), [("/dev/zero", "a device"), (".", "a directory")])
def test_what_is_not_a_regular_file_is_named_for_what_it_is(where: str, kind: str) -> None:
    with pytest.raises(CaseError) as info:
        load_case(Path(where))
    (problem,) = info.value.problems
    assert f"it is {kind}, not a regular file" in problem.message
    assert "bytes" not in problem.message


@pytest.mark.parametrize("max_bytes", [2**63, 2**63 - 1, 10**30])
def test_a_huge_max_bytes_reads_the_file(tmp_path: Path, max_bytes: int) -> None:
    from iptcore.limits import Limits

    path = tmp_path / "case.json"
    path.write_text(json.dumps(DOC))
    assert load_case(path, max_bytes=max_bytes) == load_case(DOC)
    assert load_case(path, limits=Limits(max_bytes=max_bytes)) == load_case(DOC)


def _refused_abridged(call: Any, path: str) -> str:
    with pytest.raises(CaseError) as info:
        call()
    (problem,) = [p for p in info.value.problems if p.path == path]
    assert len(problem.message) < 200, problem.message
    return problem.message


def test_a_format_version_of_thousands_of_digits_is_a_newer_major_version() -> None:
    message = _refused_abridged(
        lambda: load_case({**DOC, "format": "iptcore.case/" + "9" * 5000}), "format"
    )
    assert "newer major version" in message


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"patient": {"born": 10**5000}}, "patient.born"),
        ({"people": [{"id": "a", "role": "friend", "closeness": 10**5000}]}, "people[0].closeness"),
        (
            {"people": [{"id": "a", "role": "friend", "closeness": -(10**5000)}]},
            "people[0].closeness",
        ),
        ({"extensions": {"app": [1, 10**5000]}}, "extensions"),
    ],
)
def test_an_integer_past_pythons_text_limit_is_a_problem_quoted_short(
    change: dict[str, Any], path: str
) -> None:
    message = _refused_abridged(lambda: load_case({**DOC, **change}), path)
    assert "5,001 digits" in message


def test_integers_in_extensions_are_within_a_documented_number_of_digits() -> None:
    MAX_INT_DIGITS = 4_000  # the documented limit (iptcore.limits)
    largest = 10**MAX_INT_DIGITS - 1
    case = load_case({**DOC, "extensions": {"n": largest, "m": -largest}})
    assert json.loads(json.dumps(dump_case(case)))["extensions"]["n"] == largest
    assert repr(case)
    with pytest.raises(CaseError, match=f"at most {MAX_INT_DIGITS:,} digits"):
        load_case({**DOC, "extensions": {"n": largest + 1}})


# --------------------------------------------------------------------------------------------
# Every problem at once, each at a path that reads one way
# --------------------------------------------------------------------------------------------


def _paths(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(doc)
    return [p.path for p in info.value.problems]


def test_references_are_checked_in_the_same_pass_as_a_broken_id() -> None:
    doc = copy.deepcopy(DOC)
    doc["people"][0]["id"] = "bad id"
    doc["events"] = [{"date": "2025-12-01", "kind": "death", "person": "nobody"}]
    doc["ties"] = [{"between": ["b", "nobody"], "kind": "close"}]
    paths = _paths(doc)
    assert {"people[0].id", "events[0].person", "ties[0]"} <= set(paths), paths


def test_every_bad_item_of_a_list_is_a_problem() -> None:
    doc = {
        **DOC,
        "measures": [
            {"date": "2026-01-01", "instrument": "gad7", "items": [1.0, True, "x", 9, 0, 0, 0]}
        ],
    }
    assert _paths(doc) == [f"measures[0].items[{i}]" for i in range(4)]


@pytest.mark.parametrize(
    ("key", "path"),
    [("", 'people[0][""]'), ("a.b[0]", 'people[0]["a.b[0]"]'), ("shoe", "people[0].shoe")],
)
def test_an_unknown_key_is_quoted_when_it_is_not_a_plain_name(key: str, path: str) -> None:
    doc = copy.deepcopy(DOC)
    doc["people"][0][key] = 1
    assert _paths(doc) == [path]


@pytest.mark.parametrize("ids", [["Jon", "jon"], ["jon", "JON"], ["a", "A"]])
def test_ids_that_differ_only_in_case_are_one_id(ids: list[str]) -> None:
    doc = {**DOC, "people": [{"id": i, "role": "friend", "closeness": 2} for i in ids]}
    doc.pop("ties", None)
    doc.pop("events", None)
    assert _paths(doc) == ["people[1].id"]


@pytest.mark.parametrize("pid", [".", ".."])
def test_dot_ids_are_refused(pid: str) -> None:
    doc = {**DOC, "id": pid}
    assert _paths(doc) == ["id"]


def test_a_person_dies_once_and_disputes_nothing_after() -> None:
    doc = copy.deepcopy(DOC)
    doc["people"][0]["dispute"] = {"since": "2025-10-01"}
    doc["events"] = [
        {"date": "2025-09-01", "kind": "death", "person": "a"},
        {"date": "2025-09-02", "kind": "death", "person": "a"},
    ]
    assert _paths(doc) == ["events[1]", "people[0].dispute.since"]


def test_the_schema_refuses_a_trailing_newline_as_load_case_does() -> None:
    schema = case_schema()
    for change in ({"id": "jon\n"}, {"assessed": "2026-01-10\n"}):
        doc = {**DOC, **change}
        assert not jsonschema.Draft202012Validator(schema).is_valid(doc)
        with pytest.raises(CaseError):
            load_case(doc)


def test_a_file_name_as_str_says_to_pass_a_path(tmp_path: Path, monkeypatch: Any) -> None:
    # A str is JSON text by contract: the file is not read, the error says how to name a file.
    (tmp_path / "case.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CaseError) as err:
        load_case("case.json")
    (problem,) = err.value.problems
    assert problem.path == ""
    assert "pathlib.Path" in problem.message
    assert "'case.json'" in problem.message
    # Text that is not a file name keeps the JSON parser's own words.
    with pytest.raises(CaseError, match="Expecting value") as err:
        load_case("other.json")
    assert "pathlib.Path" not in str(err.value)


# --------------------------------------------------------------------------------------------
# The case file in its exact words (folded from the former mutation-test files of the case
# format's reader and field kinds): every refusal at its path and in the words an app developer
# reads, the published schema compared whole, and the byte limit at its boundary.
# --------------------------------------------------------------------------------------------

GOLDEN_SCHEMA = Path(__file__).with_name("case_schema_v1.json")
BASE: dict[str, Any] = {
    "format": "iptcore.case/1",
    "id": "fictional-1",
    "assessed": "2026-03-02",
    "onset": "2025-12-01",
}
CASE_FIELDS = "id, assessed, onset, patient, people, ties, events, measures, priority, extensions"
PERSON_FIELDS = (
    "id, role, closeness, name, contact, confidant, knows_about_depression, satisfying, "
    "unsatisfying, wants_changed, dispute"
)
SOURCE = (
    "expected a case as a dict, JSON text (str or bytes) or a path to a JSON file (os.PathLike)"
)
FORMAT = "format: must be 'iptcore.case/1', the format this iptcore reads, got"
FRIEND: dict[str, Any] = {"id": "a", "role": "friend", "closeness": 1}
ID_WORDS = "must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', got"
CONTACTS = "daily, weekly, monthly, rarely, never"
UTF8 = "which is not Unicode text and cannot be written as UTF-8"


def _doc(**more: Any) -> dict[str, Any]:
    return {**BASE, **more}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in BASE.items() if k != key}


def _problems(source: object, **options: Any) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(source, **options)
    return [str(p) for p in info.value.problems]


def test_the_schema_is_the_published_one() -> None:
    """The case format: case_schema() "returns the same rules as a JSON Schema (draft 2020-12) for
    apps in other languages": the contract, compared whole with the published file. A deliberate
    change regenerates it (``json.dumps(case_schema(), indent=2, ensure_ascii=False)``), says why
    in the changelog, and has its diff read."""
    assert case_schema() == json.loads(GOLDEN_SCHEMA.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        ([1, 2], [f"{SOURCE}, got list"]),
        (None, [f"{SOURCE}, got None"]),
        (3, [f"{SOURCE}, got int"]),
        ('"text"', ["a case must be a JSON object, got 'text'"]),
        ("null", ["a case must be a JSON object, got null"]),
        ("[1]", ["a case must be a JSON object, got a list"]),
        (_without("format"), ['format: is required: "iptcore.case/1"']),
        (_doc(format="iptcore.case"), [f"{FORMAT} 'iptcore.case'"]),
        (_doc(format="iptcore.case/1.2"), [f"{FORMAT} 'iptcore.case/1.2'"]),
        (_doc(format="iptcore.case/0"), [f"{FORMAT} 'iptcore.case/0'"]),
        (_doc(format=1), [f"{FORMAT} 1"]),
        (_doc(format="x" * 70), [f"{FORMAT} '{'x' * 37}...'"]),
        (
            _doc(format="iptcore.case/2"),
            [
                (
                    "format: this case is iptcore.case/2, a newer major version than this iptcore "
                    "reads (iptcore.case/1); upgrade iptcore to read it"
                )
            ],
        ),
        (_doc(colour="red"), [f"colour: is not a field of a case (the fields are: {CASE_FIELDS})"]),
        (
            _doc(people=[{**FRIEND, "shoe": 1}]),
            [f"people[0].shoe: is not a field of a person (the fields are: {PERSON_FIELDS})"],
        ),
        (_without("id"), ["id: is required"]),
        (
            _doc(people=[{}]),
            [
                "people[0].id: is required",
                "people[0].role: is required",
                "people[0].closeness: is required",
            ],
        ),
        (_doc(people={"id": "a"}), ["people: must be a list, got an object"]),
        (_doc(people=None), ["people: must be a list, got null"]),
        (_doc(people=True), ["people: must be a list, got true"]),
        (_doc(people=False), ["people: must be a list, got false"]),
        (_doc(people=""), ["people: must be a list, got ''"]),
        (_doc(people="x" * 40), [f"people: must be a list, got '{'x' * 40}'"]),
        (_doc(people="y" * 41), [f"people: must be a list, got '{'y' * 37}...'"]),
        (_doc(people=7), ["people: must be a list, got 7"]),
        (_doc(people=1.5), ["people: must be a list, got 1.5"]),
        (_doc(people=[["a"]]), ["people[0]: must be an object (a person), got a list"]),
        (_doc(people=[5]), ["people[0]: must be an object (a person), got 5"]),
        (
            _doc(people=["x" * 80]),
            [f"people[0]: must be an object (a person), got '{'x' * 37}...'"],
        ),
        (_doc(patient="Maya"), ["patient: must be an object (the patient), got 'Maya'"]),
        (
            _doc(people=[{**FRIEND, "dispute": 5}]),
            ["people[0].dispute: must be an object (a dispute), got 5"],
        ),
        (_doc(people=[FRIEND], ties=3), ["ties: must be a list, got 3"]),
        (_doc(people=[{**FRIEND, "dispute": {}}]), ["people[0].dispute.since: is required"]),
        (
            _doc(
                people=[FRIEND, {"id": "b"}],
                events=[{"date": "2025-01-01", "kind": "death", "person": "zz"}],
            ),
            [
                "people[1].role: is required",
                "people[1].closeness: is required",
                "events[0].person: names nobody: no person 'zz'",
            ],
        ),
        (
            _doc(
                people=[FRIEND],
                events=[{"date": "2025-01-01", "kind": "death", "person": "zz"}],
                measures=[{"date": "2026-01-01", "instrument": "phq9", "items": [0] * 8}],
            ),
            [
                "measures[0].items: phq9 has 9 items, got 8",
                "events[0].person: names nobody: no person 'zz'",
            ],
        ),
        (
            _doc(people=[FRIEND], events=[{"date": "2025-01-01", "kind": "illness", "x": 1}]),
            [
                (
                    "events[0].x: is not a field of an event (the fields are: date, kind, person, "
                    "mourning, description, coping)"
                )
            ],
        ),
        (
            _doc(people=7, events=[5]),
            ["people: must be a list, got 7", "events[0]: must be an object (an event), got 5"],
        ),
        ('{"a": 1, "a": 2}', ["the key 'a' is given twice in one object"]),
        ('{"a": NaN}', ["a: NaN is not allowed: JSON numbers must be finite"]),
        ('{"a": -Infinity}', ["a: -Infinity is not allowed: JSON numbers must be finite"]),
        ('{"a": 1e999}', ["a: the number 1e999 is too large to be finite"]),
        ('{"a": 1' + "0" * 50 + "e999}", [f"a: the number 1{'0' * 39} is too large to be finite"]),
        ('{"a": ', ["is not valid JSON: Expecting value (line 1, column 7)"]),
        ("[" * 100_000, ["is not a case: its brackets nest far too deeply"]),
        (b"\xff\xfe", ["is not UTF-8 text: byte 0 cannot be decoded"]),
        (
            b'{"format": "iptcore.case/1", "id": "b"}',
            ["assessed: is required", "onset: is required"],
        ),
    ],
)
def test_every_refusal_is_in_words_at_its_path(source: object, problems: list[str]) -> None:
    """The public API: "Any invalid input raises CaseError ... CaseError.problems lists every
    problem found (not only the first), each with .path ... and .message"; a value is quoted
    short and in JSON's words (long texts cut to 40 characters)."""
    assert _problems(source) == problems


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"id": "a b"}, f"id: {ID_WORDS} 'a b'"),
        ({"id": 5}, f"id: {ID_WORDS} 5"),
        ({"id": "."}, "id: must be an id, and '.' names a folder, not a person"),
        ({"assessed": "2026-3-2"}, "assessed: must be a date written YYYY-MM-DD, got '2026-3-2'"),
        ({"assessed": None}, "assessed: must be a date written YYYY-MM-DD, got null"),
        ({"assessed": "2026-02-30"}, "assessed: '2026-02-30' is not a real calendar date"),
        ({"patient": {"born": 1899}}, "patient.born: must be at least 1900, got 1899"),
        ({"patient": {"name": 3}}, "patient.name: must be a string, got 3"),
        (
            {"patient": {"name": "a\ud800b"}},
            f"patient.name: holds a lone surrogate (\\ud800) at character 1, {UTF8}",
        ),
        (
            {"priority": "sorrow"},
            (
                "priority: must be one of grief, role_dispute, role_transition, "
                "interpersonal_deficits, got 'sorrow'"
            ),
        ),
        ({"extensions": [1]}, "extensions: must be a JSON object, got a list"),
    ],
)
def test_each_kind_of_value_is_refused_in_its_words(changes: dict[str, Any], problem: str) -> None:
    """The case format's kinds of value (id, date, integer, text, enum, JSON object), each
    refusal in the exact words an app developer reads."""
    assert _problems(_doc(**changes)) == [problem]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"closeness": 1.0}, "closeness: must be a whole number (a JSON integer), got 1.0"),
        ({"closeness": True}, "closeness: must be a whole number (a JSON integer), got true"),
        ({"closeness": 0}, "closeness: must be between 1 and 4, got 0"),
        ({"closeness": 5}, "closeness: must be between 1 and 4, got 5"),
        ({"confidant": "true"}, "confidant: must be true or false, got 'true'"),
        ({"satisfying": "note"}, "satisfying: must be a list of strings, got 'note'"),
        ({"satisfying": ["ok", 3]}, "satisfying[1]: must be a string, got 3"),
        (
            {"satisfying": ["ok", "\udfff"]},
            f"satisfying[1]: holds a lone surrogate (\\udfff) at character 0, {UTF8}",
        ),
        ({"contact": "often"}, f"contact: must be one of {CONTACTS}, got 'often'"),
        ({"contact": 1}, f"contact: must be one of {CONTACTS}, got 1"),
    ],
)
def test_each_kind_of_a_persons_value_is_refused_in_its_words(
    changes: dict[str, Any], problem: str
) -> None:
    assert _problems(_doc(people=[{**FRIEND, **changes}])) == [f"people[0].{problem}"]


def test_every_bad_item_score_is_refused_in_words_and_the_rest_still_checked() -> None:
    """The case format, Measure: items are whole numbers or null; every bad one is named at its
    index counted from 0, and the scores that could be read are still checked against the
    instrument (PHQ-9 items are scored 0-3 [KROENKE2001])."""
    items = [1.0, True, "x", 9, None, 0, 0, 0, 0]
    measure = {"date": "2026-01-01", "instrument": "phq9", "items": items}
    assert _problems(_doc(measures=[measure])) == [
        "measures[0].items[0]: must be a whole number or null, got 1.0",
        "measures[0].items[1]: must be a whole number or null, got true",
        "measures[0].items[2]: must be a whole number or null, got 'x'",
        "measures[0].items[3]: item 4 of phq9 is scored 0-3, got 9",
    ]
    measure["items"] = {"1": 2}
    assert _problems(_doc(measures=[measure])) == [
        "measures[0].items: must be a list of item scores, got an object"
    ]


def test_valid_values_of_each_kind_are_read() -> None:
    """An id of every allowed character, a leap day, the outer ring, any Unicode text, a list of
    notes, a contact word and a missing item score are all read as given."""
    person = {
        **FRIEND,
        "id": "a.b_c-1",
        "closeness": 4,
        "name": "Zoë 😀",
        "contact": "weekly",
        "satisfying": ["a", "b"],
    }
    case = load_case(
        _doc(
            assessed="2024-02-29",
            onset="2024-02-29",
            people=[person],
            measures=[
                {"date": "2024-02-29", "instrument": "phq9", "items": [0, None, 3] + [0] * 6}
            ],
        )
    )
    read = case.people[0]
    assert (read.id, read.closeness, read.name, read.satisfying) == (
        "a.b_c-1",
        4,
        "Zoë 😀",
        ("a", "b"),
    )
    assert read.contact == "weekly"
    assert case.assessed.isoformat() == "2024-02-29"
    assert case.measures[0].items[:3] == (0, None, 3)


@pytest.mark.parametrize("text", ["jon\n", "2026-01-01\n", ".", "..", "a\nb"])
def test_the_schemas_patterns_refuse_what_load_case_refuses(text: str) -> None:
    """Python's ``$`` matches before a final newline, ECMA 262's does not: the published patterns
    say ``(?!\\n)$`` so that a validator in either dialect refuses ``"jon\\n"`` as load_case does;
    ``...`` is an id, ``.`` and ``..`` are not."""
    import re

    defs = case_schema()["$defs"]
    for name in ("id", "date"):
        assert re.search(defs[name]["pattern"], text) is None, (name, text)
    assert _problems(_doc(id=text))[0].startswith("id: must be an id")
    assert load_case(_doc(id="...")).id == "..."
    assert re.search(defs["id"]["pattern"], "...")


def test_a_byte_order_mark_is_skipped() -> None:
    """RFC 8259 lets parsers skip a byte order mark: it is not data."""
    assert load_case("\ufeff" + json.dumps(BASE)).id == "fictional-1"


def test_the_format_problem_comes_with_the_limits_problems() -> None:
    """A case past its limits is refused at once, with the problems already found."""
    from iptcore.limits import Limits

    doc = _doc(format="bad", people=[FRIEND] * 3)
    assert _problems(doc, limits=Limits(max_people=2)) == [
        f"{FORMAT} 'bad'",
        "people: has 3 people, more than the limit of 2 (max_people)",
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_bytes": 0}, "max_bytes: must be a positive integer, got 0"),
        ({"max_bytes": True}, "max_bytes: must be a positive integer, got True"),
        ({"max_bytes": "10"}, "max_bytes: must be a positive integer, got '10'"),
        ({"limits": 3}, "limits: must be a Limits value, got 3"),
    ],
)
def test_bad_options_are_refused_by_name(options: dict[str, Any], message: str) -> None:
    """A wrong argument in a Python call is an IptError, not a problem of the document."""
    with pytest.raises(IptError) as info:
        load_case(BASE, **options)
    assert str(info.value) == message
    assert not isinstance(info.value, CaseError)


def test_max_bytes_allows_exactly_its_size() -> None:
    """The byte limit (max_bytes) is the largest size allowed, for text, bytes and files."""
    text = json.dumps(BASE)
    size = len(text)
    assert load_case(text, max_bytes=size).id == "fictional-1"
    assert load_case(text.encode(), max_bytes=size).id == "fictional-1"
    with pytest.raises(CaseError) as info:
        load_case(text, max_bytes=size - 1)
    assert str(info.value) == (
        f"invalid case, 1 problem: is {size:,} bytes, more than the limit of {size - 1:,} "
        "(max_bytes)"
    )
    assert [p.path for p in info.value.problems] == [""]  # the document as a whole
    with pytest.raises(CaseError, match=rf"is {size:,} bytes, more than the limit of {size - 1:,}"):
        load_case(text.encode(), max_bytes=size - 1)


def test_max_bytes_counts_utf8_bytes_not_characters() -> None:
    """A text of few characters but many UTF-8 bytes is measured in bytes."""
    text = json.dumps(_doc(patient={"name": "é" * 50}), ensure_ascii=False)
    size = len(text.encode("utf-8"))
    assert len(text) < size
    with pytest.raises(
        CaseError, match=rf"is {size:,} bytes, more than the limit of {len(text):,}"
    ):
        load_case(text, max_bytes=len(text))


def test_max_bytes_of_one_is_allowed() -> None:
    """max_bytes is any positive whole number: 1 is the smallest."""
    assert _problems("1", max_bytes=1) == ["a case must be a JSON object, got 1"]


def test_a_file_is_read_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    data = json.dumps(BASE).encode()
    path.write_bytes(data)
    assert load_case(path, max_bytes=len(data)).id == "fictional-1"
    with pytest.raises(
        CaseError, match=rf"is {len(data):,} bytes, more than the limit of {len(data) - 1:,}"
    ):
        load_case(path, max_bytes=len(data) - 1)
    big = tmp_path / "big.json"
    big.write_bytes(data + b" " * 1000)
    with pytest.raises(CaseError, match=rf"is {len(data) + 1000:,} bytes, more than the limit"):
        load_case(big, max_bytes=len(data) + 10)


def test_a_file_above_the_default_size_reads_with_a_larger_limit(tmp_path: Path) -> None:
    """max_bytes applies to the file and to its text alike: a file larger than the default
    10 MB is read when the caller allows it."""
    from iptcore.caseio import DEFAULT_MAX_BYTES

    path = tmp_path / "large.json"
    size = DEFAULT_MAX_BYTES + 10
    path.write_bytes(json.dumps(BASE).encode().ljust(size))
    assert load_case(path, max_bytes=size).id == "fictional-1"


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    assert _problems(missing) == [
        f"cannot read the file {str(missing)!r}: No such file or directory"
    ]


def test_a_file_that_is_not_utf8_is_refused_in_words(tmp_path: Path) -> None:
    """The case format: "It is JSON (UTF-8)"; a file is read as bytes, so other text is refused
    by name rather than by the platform's decoder."""
    path = tmp_path / "latin1.json"
    path.write_bytes('{"id": "caf\xe9"}'.encode("latin-1"))
    assert _problems(path) == ["is not UTF-8 text: byte 11 cannot be decoded"]


def test_dump_case_names_what_it_was_given() -> None:
    """The docstring's promise: a wrong argument is an IptError (no document is at fault)."""
    with pytest.raises(IptError) as info:
        dump_case({"id": "x"})  # type: ignore[arg-type]
    assert str(info.value) == "dump_case needs a Case, got dict"
    assert not isinstance(info.value, CaseError)


def test_dump_case_writes_plain_json_builtins() -> None:
    """An enum comes back as its word, a plain str: what json.dumps and other languages expect."""
    case = load_case(
        _doc(
            people=[
                {
                    **FRIEND,
                    "contact": "weekly",
                    "dispute": {"since": "2025-05-01", "stage": "impasse"},
                }
            ],
            events=[{"date": "2025-06-01", "kind": "death", "person": FRIEND["id"]}],
            measures=[{"date": "2026-01-05", "instrument": "phq9", "items": [1] * 9}],
            priority="grief",
        )
    )
    doc = dump_case(case)
    person = doc["people"][0]
    words = [
        person["role"],
        person["contact"],
        person["dispute"]["stage"],
        doc["events"][0]["kind"],
        doc["measures"][0]["instrument"],
        doc["priority"],
    ]
    assert [type(w) for w in words] == [str] * 6
    assert words == [FRIEND["role"], "weekly", "impasse", "death", "phq9", "grief"]


def test_dump_leaves_out_what_the_case_does_not_have() -> None:
    """The case format round trip: optional fields not given come back absent, not null."""
    import attrs

    case = load_case(_doc(people=[FRIEND]))
    assert dump_case(case) == _doc(people=[FRIEND])
    assert dump_case(attrs.evolve(case, people=())) == BASE


# --------------------------------------------------------------------------------------------
# Parse-level refusals, files, sizes and unknown keys in their exact words and redacted forms
# (from the surviving mutants of the case format's reader): what a user reads, and what a log
# keeps of it.
# --------------------------------------------------------------------------------------------


def _error(source: object, **options: Any) -> CaseError:
    with pytest.raises(CaseError) as info:
        load_case(source, **options)
    return info.value


def _redacted(error: CaseError) -> list[str]:
    return [str(p) for p in error.redacted().problems]


def test_values_json_does_not_allow_are_redacted_to_the_rule() -> None:
    """The case format: no NaN, no Infinity, no number too large to be finite, no key given
    twice, each refused at its JSON path. Errors have a redacted form for logs: paths and rules,
    nothing from the input (not the constant, the number or the key)."""
    text = (
        '{"format": "iptcore.case/1", "id": "jon", "assessed": "2026-03-02", '
        '"onset": "2025-12-01", "people": ['
        '{"id": "m", "role": "friend", "closeness": NaN}, '
        '{"id": "jon", "role": "friend", "closeness": -Infinity}, '
        '{"id": "k", "role": "friend", "closeness": 1e999, "name": "A", "name": "B"}, '
        '{"id": "p", "role": "friend", "role": "friend", "role": "friend", "closeness": 1}]}'
    )
    error = _error(text)
    assert [str(p) for p in error.problems] == [
        "people[0].closeness: NaN is not allowed: JSON numbers must be finite",
        "people[1].closeness: -Infinity is not allowed: JSON numbers must be finite",
        "people[2]: the key 'name' is given twice in one object",
        "people[2].closeness: the number 1e999 is too large to be finite",
        "people[3]: the key 'role' is given 3 times in one object",
    ]
    assert _redacted(error) == [
        "people[0].closeness: a constant is not allowed: JSON numbers must be finite",
        "people[1].closeness: a constant is not allowed: JSON numbers must be finite",
        "people[2]: a key is given twice in one object",
        "people[2].closeness: a number is too large to be finite",
        "people[3]: a key is given 3 times in one object",
    ]


@pytest.mark.parametrize(
    ("text", "path", "redacted"),
    [
        (
            '{"format": "iptcore.case/1", "extensions": {"mary.smith": NaN}}',
            'extensions["mary.smith"]',
            "extensions[?]: a constant is not allowed: JSON numbers must be finite",
        ),
        (
            '{"format": "iptcore.case/1", "marysmith": 1e999}',
            "marysmith",
            "[?]: a number is too large to be finite",
        ),
        (
            '{"format": "iptcore.case/1", "extensions": {"jon": {"a": 1, "a": 2}}}',
            "extensions.jon",
            "extensions[?]: a key is given twice in one object",
        ),
        (
            '{"format": "iptcore.case/1", "extensions": {"people": [{"id": NaN}]}}',
            "extensions.people[0].id",
            "extensions[?][0][?]: a constant is not allowed: JSON numbers must be finite",
        ),
        (
            '{"format": "iptcore.case/1", "people": [{"id": "m", "jon": [NaN]}]}',
            "people[0].jon[0]",
            "people[0][?][0]: a constant is not allowed: JSON numbers must be finite",
        ),
    ],
)
def test_a_refusal_found_while_parsing_hides_the_inputs_own_keys(
    text: str, path: str, redacted: str
) -> None:
    """Errors have a redacted form for logs: paths and rules, nothing from the input, a key of
    the input's own shown as ``[?]`` (the case format: errors). The keys of ``extensions`` and
    unknown keys are the input's own, even when the refusal is found while the text is parsed,
    before its fields are read; the format's own field names stay."""
    error = _error(text)
    assert [p.path for p in error.problems] == [path]
    assert _redacted(error) == [redacted]


def test_a_file_that_cannot_be_opened_is_redacted_without_its_name(tmp_path: Path) -> None:
    """A file that cannot be read is named, with the system's reason, at the document's path "".
    Errors have a redacted form for logs: paths and rules, nothing from the input (a file may be
    named after its patient: the redacted form keeps the reason, not the name)."""
    missing = tmp_path / "jon-fictional.json"
    error = _error(missing)
    [problem] = error.problems
    assert (problem.path, problem.message) == (
        "",
        f"cannot read the file {str(missing)!r}: No such file or directory",
    )
    assert _redacted(error) == ["cannot read the file: No such file or directory"]


def test_a_directory_is_refused_as_the_whole_document_and_redacted_without_its_name(
    tmp_path: Path,
) -> None:
    """What is not a regular file is refused by its kind, as a problem of the document as a whole
    (path ""). Errors have a redacted form for logs: paths and rules, nothing from the input (the
    kind of file, not its name)."""
    folder = tmp_path / "jon-fictional"
    folder.mkdir()
    error = _error(folder)
    [problem] = error.problems
    assert problem.path == ""
    assert str(problem) == f"cannot read {str(folder)!r}: it is a directory, not a regular file"
    assert _redacted(error) == ["cannot read the file: it is a directory, not a regular file"]


def test_a_file_the_system_fails_to_read_is_named_and_redacted_to_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the file is read (a disk's I/O error) is refused like one at opening: the
    file named, with the system's reason. Errors have a redacted form for logs: paths and rules,
    nothing from the input; an error without a reason of its own (whose words may quote the
    name) is withheld from it as "the system refused it"."""
    path = tmp_path / "jon-fictional.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")

    def failing(error: OSError) -> CaseError:
        def read(fd: int, n: int) -> bytes:
            raise error

        with monkeypatch.context() as patch:
            patch.setattr(os, "read", read)
            return _error(path)

    io_error = failing(OSError(errno.EIO, "Input/output error"))
    assert [str(p) for p in io_error.problems] == [
        f"cannot read the file {str(path)!r}: Input/output error"
    ]
    assert _redacted(io_error) == ["cannot read the file: Input/output error"]
    bare = failing(OSError(f"fictional failure reading {path}"))
    assert [str(p) for p in bare.problems] == [
        f"cannot read the file {str(path)!r}: fictional failure reading {path}"
    ]
    assert _redacted(bare) == ["cannot read the file: the system refused it"]


def test_a_file_that_grows_while_it_is_read_is_refused_at_one_byte_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """max_bytes bounds what is read, not only the size the system gave before the read: a file
    that grows while it is read is read at most one byte past the limit, and refused by that
    byte, as "at least" that size: how large it grew is not known."""
    path = tmp_path / "case.json"
    data = json.dumps(BASE, separators=(",", ":")).encode()
    path.write_bytes(data)
    real_read = os.read
    appended = False

    def read(fd: int, n: int) -> bytes:
        nonlocal appended
        chunk = real_read(fd, n)
        if not appended:  # another program appends to the file once it is being read
            appended = True
            with path.open("ab") as grown:
                grown.write(b" " * 1000)
        return chunk

    with monkeypatch.context() as patch:
        patch.setattr(os, "read", read)
        error = _error(path, max_bytes=len(data))
    assert [str(p) for p in error.problems] == [
        f"is at least {len(data) + 1:,} bytes, more than the limit of {len(data):,} (max_bytes)"
    ]


def test_a_dict_is_measured_as_the_compact_json_it_stands_for() -> None:
    """read_document: a dict is measured as ``json.dumps(doc, ensure_ascii=False,
    separators=(",", ":"))`` in UTF-8, any Mapping as the object it stands for, and refused past
    max_bytes in those words."""
    patient = {"name": "Zoë Fictional"}
    size = len(
        json.dumps(_doc(patient=patient), ensure_ascii=False, separators=(",", ":")).encode()
    )
    doc = _doc(patient=MappingProxyType(patient))
    assert load_case(doc, max_bytes=size).patient is not None
    assert load_case(MappingProxyType(doc), max_bytes=size).id == "fictional-1"
    for source in (doc, MappingProxyType(doc)):
        assert _problems(source, max_bytes=size - 1) == [
            (
                f"is {size:,} bytes as compact JSON in UTF-8, more than the limit of "
                f"{size - 1:,} (max_bytes)"
            )
        ]


def test_extensions_past_the_limit_are_refused_by_the_bytes_counted_until_passing_it() -> None:
    """A dict's extensions (which may hold anything) are measured before its entries are read,
    and counted only until they pass max_bytes: "at least" that many bytes (here, one text,
    the whole of them)."""
    extensions = {"x": "y" * 100}
    counted = len(json.dumps(extensions, separators=(",", ":")))
    assert _problems(_doc(extensions=extensions), max_bytes=50) == [
        (
            f"is at least {counted:,} bytes as compact JSON in UTF-8, more than the limit of 50 "
            "(max_bytes)"
        )
    ]


def test_a_text_whose_numbers_json_writes_longer_is_measured_as_written() -> None:
    """Whatever is accepted can be written as compact JSON and read again under the same
    max_bytes: a text within the limit whose float json writes longer (1e15 is
    1000000000000000.0) is measured as written, and refused in those words."""
    text = json.dumps(_doc(extensions={"n": 1}), separators=(",", ":")).replace(":1}", ":1e15}")
    written = len(json.dumps(json.loads(text), separators=(",", ":")))
    assert written > len(text)
    for source in (text, text.encode()):
        assert _problems(source, max_bytes=len(text)) == [
            (
                f"is {written:,} bytes as compact JSON in UTF-8, more than the limit of "
                f"{len(text):,} (max_bytes)"
            )
        ]
    assert load_case(text, max_bytes=written).extensions == {"n": 1e15}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "{fictional",
            (
                "is not valid JSON: Expecting property name enclosed in double quotes "
                "(line 1, column 2)"
            ),
        ),
        (
            " {fictional",
            (
                "is not valid JSON: Expecting property name enclosed in double quotes "
                "(line 1, column 3)"
            ),
        ),
        ("fictional\ncase.json", "is not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_text_that_opens_an_object_or_has_lines_is_never_taken_for_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, problem: str
) -> None:
    """A plain str is always JSON text. Text that opens an object (after any spaces) or holds a
    newline is JSON gone wrong, not a file's name, even when a file of that name exists: the
    parser's words say where it breaks, and no file is mentioned."""
    (tmp_path / text).write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    error = _error(text)
    assert [str(p) for p in error.problems] == [problem]
    assert _redacted(error) == [problem]


# A fictional app's own keys, in the older style of a str enum, whose str() is "_Colour.GREY"
# where JSON writes its text (a StrEnum's str() is its text).
class _Colour(str, enum.Enum):  # noqa: UP042
    GREY = "grey blue"


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("x" * 59 + " ", '["' + "x" * 59 + ' "]'),  # 60 characters: quoted whole
        ("x" * 60 + " ", '["' + "x" * 57 + '..."]'),  # 61: cut to 57 and "..."
        ('a"b\\c', '["a\\"b\\\\c"]'),  # quotes and backslashes escaped as JSON escapes them
        (1, '["1"]'),  # a dict built in Python may have a key that is no string
        (_Colour.GREY, '["grey blue"]'),  # a str as JSON writes it, not as str() words it
    ],
)
def test_an_unknown_key_is_quoted_as_json_writes_it_and_at_most_60_characters(
    key: object, path: str
) -> None:
    """An unknown key is reported at its own path, quoted as JSON quotes it and abridged to at
    most 60 characters. Errors have a redacted form for logs: paths and rules, nothing from the
    input (the key the input made up is shown as [?])."""
    doc: dict[Any, Any] = {**BASE, key: 1}
    error = _error(doc)
    fields = f"is not a field of a case (the fields are: {CASE_FIELDS})"
    assert [str(p) for p in error.problems] == [f"{path}: {fields}"]
    assert _redacted(error) == [f"[?]: {fields}"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-500, "-500"),
        (10**20 - 1, "99999999999999999999"),
        (-(10**20) + 1, "-99999999999999999999"),
        (10**20, "an integer of about 21 digits"),
        (-(10**20), "-an integer of about 21 digits"),
        (10**40, "an integer of about 41 digits"),
    ],
)
def test_an_integer_is_quoted_whole_up_to_20_digits_and_by_its_length_beyond(
    value: int, shown: str
) -> None:
    """A message quotes the value it refuses, short: an integer of up to 20 digits as written,
    a longer one by its sign and its number of digits. Errors have a redacted form for logs:
    paths and rules, nothing from the input (the kind of value, not the value)."""
    error = _error(_doc(people=value))
    assert [str(p) for p in error.problems] == [f"people: must be a list, got {shown}"]
    assert _redacted(error) == ["people: must be a list, got an integer"]


NEWER = "a newer major version than this iptcore reads (iptcore.case/1)"


@pytest.mark.parametrize(
    ("fmt", "problem", "redacted"),
    [
        (
            "iptcore.case/10",
            f"format: this case is iptcore.case/10, {NEWER}; upgrade iptcore to read it",
            f"format: is {NEWER}",
        ),
        (
            "iptcore.case/0000000000000000002",
            (
                f"format: this case is iptcore.case/0000000000000000002, {NEWER}; upgrade "
                "iptcore to read it"
            ),
            f"format: is {NEWER}",
        ),
        (
            "iptcore.case/0000000000000000001",
            f"{FORMAT} 'iptcore.case/0000000000000000001'",
            f"{FORMAT} a string",
        ),
    ],
)
def test_a_newer_major_version_is_told_by_its_number_not_its_digits(
    fmt: str, problem: str, redacted: str
) -> None:
    """The case format: a newer major version is refused as one, naming both versions; a major
    version is a number, so 10 is newer than 1 and nineteen digits of leading zeros and a 1 are
    not (the format is then refused as not the one this iptcore reads). Errors have a redacted
    form for logs: paths and rules, nothing from the input."""
    error = _error(_doc(format=fmt))
    assert [str(p) for p in error.problems] == [problem]
    assert _redacted(error) == [redacted]


# --------------------------------------------------------------------------------------------
# Sizes as json writes them, nesting past Python's stack, and the last refusals in their words and
# redacted forms (from the second pass over the case format's surviving mutants).
# --------------------------------------------------------------------------------------------


def test_an_integer_past_pythons_digit_limit_is_not_valid_json_redacted_to_the_rule() -> None:
    """A JSON text may hold an integer of more digits than Python converts (4,300): it is no
    valid JSON to read, refused at the document in Python's own words; the redacted form for logs
    says the rule alone, nothing of the text."""
    digits = "1" * 5000
    with pytest.raises(ValueError, match="digits") as python:
        int(digits)
    text = json.dumps(BASE)[:-1] + f', "extensions": {{"n": {digits}}}}}'
    for source in (text, text.encode()):
        error = _error(source)
        assert [(p.path, p.message) for p in error.problems] == [
            ("", f"is not valid JSON: {python.value}")
        ]
        assert _redacted(error) == ["is not valid JSON"]


def test_a_date_that_is_no_real_calendar_date_is_redacted_to_the_rule() -> None:
    """The case format: a date is written YYYY-MM-DD and is a real calendar date. Errors have a
    redacted form for logs: paths and rules, nothing from the input (not the date)."""
    error = _error(_doc(onset="2025-02-29"))
    assert [str(p) for p in error.problems] == ["onset: '2025-02-29' is not a real calendar date"]
    assert _redacted(error) == ["onset: is not a real calendar date"]


class _People(list[Any]):
    """A fictional app's own list type: a list all the same."""


def test_a_list_of_a_subclass_of_list_is_read_as_the_list_it_is() -> None:
    """A document built in Python may give a list as an instance of a subclass of list: it is a
    list, read entry by entry like any other."""
    case = load_case(_doc(people=_People([FRIEND])))
    assert [person.id for person in case.people] == ["a"]
    assert dump_case(case) == _doc(people=[FRIEND])


def test_a_mapping_nested_past_pythons_stack_is_refused_as_too_deep() -> None:
    """Whatever is passed, the only error is CaseError: a mapping nested so deep that reading it
    exhausts Python's stack (here a fictional case wrapped in ten thousand ChainMaps, each of
    which looks its keys up in the one inside) is refused at the document, not with a
    RecursionError."""
    from collections import ChainMap

    doc: ChainMap[str, Any] = ChainMap(BASE)
    for _ in range(10_000):
        doc = ChainMap(doc)
    error = _error(doc)
    assert [(p.path, p.message) for p in error.problems] == [
        ("", "is not a case: it nests far too deeply")
    ]
    assert _redacted(error) == ["is not a case: it nests far too deeply"]


@pytest.mark.parametrize(
    ("value", "written"),
    [(float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity")],
)
def test_json_size_counts_a_float_json_does_not_allow_as_json_writes_it(
    value: float, written: str
) -> None:
    """json_size: the bytes of a value as json.dumps writes it, which writes NaN, Infinity and
    -Infinity as those words (every reader refuses them; they are counted all the same)."""
    from iptcore.caseio import json_size

    assert json.dumps(value) == written
    assert json_size(value, 100) == len(written)
    assert json_size([value, value], 100) == 2 * len(written) + len("[,]")


def test_json_size_counts_an_integer_past_pythons_digit_limit_by_its_digits() -> None:
    """json_size: an integer of more digits than Python writes as text (4,300) is counted by its
    number of digits, found from its bits: 10**5000 is a one and 5,000 zeros."""
    from iptcore.caseio import json_size

    assert json_size(10**5000, 10**6) == 5001
    assert json_size({"n": 10**5000}, 10**6) == len('{"n":}') + 5001


def test_json_size_counts_what_is_no_json_value_as_nothing() -> None:
    """json_size: a value that is no JSON value (a set) takes no bytes of its own, only its
    place's key and colon (its reader refuses it)."""
    from iptcore.caseio import json_size

    assert json_size({1, 2}, 100) == 0
    assert json_size({"a": {1, 2}}, 100) == len('{"a":}')
    assert json_size([{1}, {2}], 100) == len("[,]")


def test_extensions_with_a_key_that_is_no_string_are_measured_then_refused_in_words() -> None:
    """A dict's extensions are measured before they are read (they may hold anything), a key
    that is no string among them: the key is then refused in words at its place, not with a
    TypeError. Errors have a redacted form for logs: paths and rules, nothing from the input
    (the kind of the key, not the key)."""
    error = _error(_doc(extensions={1: "x"}))
    assert [str(p) for p in error.problems] == ["extensions: has a key that is not a string: 1"]
    assert _redacted(error) == ["extensions: has a key that is not a string: an integer"]


def test_json_size_is_above_most_exactly_when_the_json_is() -> None:
    """json_size: the bytes, or as soon as they are known to be more than ``most``, a number
    above it: [1,1] is five bytes, within a most of five and past a most of four, even though
    the count is four after the first item."""
    from iptcore.caseio import json_size

    assert json.dumps([1, 1], separators=(",", ":")) == "[1,1]"
    assert json_size([1, 1], 5) == 5
    assert json_size([1, 1], 4) == 5


def test_json_size_measures_a_list_given_twice_once_and_counts_it_whole() -> None:
    """json_size: each distinct list or object is measured once (by identity): given again, it
    is counted whole by the size measured the first time, so that the count passes ``most`` by
    the whole of it, and an object that holds a list counts its own bytes and the list's."""
    from iptcore.caseio import json_size

    ones = [1] * 10  # [1,1,1,1,1,1,1,1,1,1]: 21 bytes
    twice = {"a": ones, "b": ones}  # {"a":<21>,"b":<21>}: 53 bytes
    assert json_size(twice, 100) == 53
    # 32 bytes are counted before the second "b": past a most of 40 by the whole list.
    assert json_size(twice, 40) == 53
    person = {"x": 1, "s": [1]}  # {"x":1,"s":[1]}: 15 bytes
    assert json_size([person, person], 100) == len("[,]") + 2 * 15


def test_json_size_follows_lists_256_levels_deep_and_counts_deeper_ones_as_empty() -> None:
    """json_size follows lists and objects 256 levels deep, far below what any file allows
    (extensions nest at most 64 levels); a list deeper than that is refused by its reader, and
    counted as the two bytes of an empty list."""
    from iptcore.caseio import json_size

    value: list[Any] = ["x" * 10]  # level 257: ["xxxxxxxxxx"], 14 bytes, counted as []
    for _ in range(256):
        value = [value]
    assert json_size(value, 10_000) == 256 * len("[]") + len("[]")
    nested: list[Any] = ["x" * 10]  # 256 levels: followed to the bottom, every byte counted
    for _ in range(255):
        nested = [nested]
    assert json_size(nested, 10_000) == 255 * len("[]") + len('["xxxxxxxxxx"]')
    assert json_size(nested, 10_000) == len(json.dumps(nested, separators=(",", ":")))


@pytest.mark.parametrize(
    ("key", "written"),
    [(1, '"1"'), (-25, '"-25"'), (1.5, '"1.5"'), (True, '"true"'), (None, '"null"')],
)
def test_a_key_that_is_no_string_is_measured_as_json_writes_it(key: object, written: str) -> None:
    """read_document: a dict is measured as the compact JSON it stands for, so that whatever is
    accepted can be written that way and read again; json writes a key that is a number, a
    boolean or null as a string ({1: 2} is '{"1":2}')."""
    doc = {key: 2}
    text = json.dumps(doc, separators=(",", ":"))
    assert text == "{" + written + ":2}"
    assert read_document(doc, max_bytes=len(text)) == doc
    for source in (doc, text):
        with pytest.raises(CaseError) as info:
            read_document(source, max_bytes=len(text) - 1)
        assert "more than the limit of" in str(info.value)


# --------------------------------------------------------------------------------------------
# Sizes at their edges, and the words of the refusals the format group's last run left untested
# --------------------------------------------------------------------------------------------


def _compact_bytes(doc: Any) -> int:
    """The size of ``doc`` as read_document's docstring defines it: compact JSON in UTF-8."""
    return len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def test_a_dict_past_the_limit_is_refused_as_compact_json_counted_until_it_passed() -> None:
    """A dict is measured as the compact JSON it stands for, counted until it passes the limit:
    its refusal says so ("at least", "as compact JSON in UTF-8"), at the document's path."""
    doc = {"a": "x" * 100}
    assert _compact_bytes(doc) == 108
    with pytest.raises(CaseError) as refused:
        read_document(doc, max_bytes=50)
    (problem,) = refused.value.problems
    assert problem.path == ""
    size = int(problem.message.split()[3].replace(",", ""))
    assert 50 < size <= 108
    assert problem.message == (
        f"is at least {size:,} bytes as compact JSON in UTF-8, more than the limit of 50 "
        "(max_bytes)"
    )


def test_a_str_that_names_a_file_is_told_to_come_as_a_path(tmp_path: Path) -> None:
    """A str is JSON text; one that is not JSON but names an existing file gets the advice to
    pass a pathlib.Path, and its redacted form leaves the name out."""
    path = tmp_path / "fictional-case.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    with pytest.raises(CaseError) as refused:
        load_case(str(path))
    advice = "pass a file's path as a pathlib.Path (or another os.PathLike)"
    assert [str(p) for p in refused.value.problems] == [
        f"is not valid JSON: a str is JSON text, and {str(path)!r} names a file; {advice}"
    ]
    assert _redacted(refused.value) == [
        f"is not valid JSON: a str is JSON text, and this one names a file; {advice}"
    ]


def test_extensions_exactly_at_the_limit_pass_their_own_check_and_the_whole_is_measured() -> None:
    """``extensions`` whose compact JSON is exactly ``max_bytes`` are not past the limit by
    themselves (the limit is "at most"); the whole case, larger, is then measured in full and
    refused by its exact size, not as "at least" the extensions' size."""
    limit = 200
    doc = {**BASE, "extensions": {"k": "x" * (limit - 8)}}
    assert _compact_bytes(doc["extensions"]) == limit
    with pytest.raises(CaseError) as refused:
        load_case(doc, max_bytes=limit)
    size = _compact_bytes(doc)
    assert [str(p) for p in refused.value.problems] == [
        f"is {size:,} bytes as compact JSON in UTF-8, more than the limit of {limit:,} (max_bytes)"
    ]


def test_the_cattrs_converter_measures_a_case_as_load_case_does() -> None:
    """``converter().structure(doc, Case)`` reads a dict as load_case does, size included: a case
    whose extensions pass the default limit of 10 MB as compact JSON is refused."""
    from iptcore import Case

    big = {**BASE, "extensions": {"k": ["x" * 1_000_000] * 11}}
    with pytest.raises(CaseError, match=r"bytes as compact JSON in UTF-8, more than the limit"):
        converter().structure(big, Case)
    assert converter().structure(dict(BASE), Case).id == "fictional-1"
