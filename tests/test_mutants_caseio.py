"""Tests that kill the mutants that survived in caseio.py, the case file's reader, writer and schema.

The module's own tests check what load_case accepts and refuses; the mutation run showed what they
left open, pinned down here:

- the JSON Schema as a whole (``tests/case_schema_v1.json``): the case format makes it the format's
  contract for apps in other languages, so any change to it must be deliberate (regenerate the file
  with ``json.dumps(case_schema(), indent=2, ensure_ascii=False)`` and say why in the changelog);
  the schema's builders run when test modules are imported, so only a test that calls
  ``case_schema()`` itself lets the mutation run see them;
- every refusal of ``load_case`` in its exact words and at its path (the public API: "CaseError.problems
  lists every problem found ... each with .path ... and .message");
- the byte limit at its boundary, for text, bytes and files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from iptcore import Case, CaseError, IptError, Person, case_schema, caseio, dump_case, load_case
from iptcore.limits import Limits

GOLDEN = Path(__file__).with_name("case_schema_v1.json")
BASE = {
    "format": "iptcore.case/1",
    "id": "fictional-1",
    "assessed": "2026-03-02",
    "onset": "2025-12-01",
}
FIELDS = "id, assessed, onset, patient, people, ties, events, measures, priority, extensions"
SOURCE = (
    "expected a case as a dict, JSON text (str or bytes) or a path to a JSON file (os.PathLike)"
)
FORMAT = "format: must be 'iptcore.case/1', the format this iptcore reads, got"
FRIEND = {"id": "a", "role": "friend", "closeness": 1}


def test_the_schema_is_the_published_one() -> None:
    """The case format: case_schema() "returns the same rules as a JSON Schema (draft 2020-12) for
    apps in other languages": the contract, compared whole with the published file."""
    assert case_schema() == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_each_class_has_its_field_table() -> None:
    """The loader reads each class's fields from its attrs fields: required fields are those
    without a default; lists of models are marked as many (the case format: Person and Case)."""
    person = caseio._field_specs(Person)
    assert list(person) == [
        "id",
        "role",
        "closeness",
        "name",
        "contact",
        "confidant",
        "knows_about_depression",
        "satisfying",
        "unsatisfying",
        "wants_changed",
        "dispute",
    ]
    assert [k for k, s in person.items() if s.required] == ["id", "role", "closeness"]
    assert person["dispute"].model is caseio.Dispute
    assert person["dispute"].many is False
    assert person["role"].kind is not None
    assert person["role"].model is None
    assert person["id"].key == "id"
    case = caseio._field_specs(Case)
    assert list(case) == FIELDS.split(", ")  # the inventory cache is not a field of the file
    assert case["people"].many is True
    assert case["people"].model is Person
    assert [k for k, s in case.items() if s.required] == ["id", "assessed", "onset"]


def _doc(**more: Any) -> dict[str, Any]:
    return {**BASE, **more}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in BASE.items() if k != key}


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
        (_doc(colour="red"), [f"colour: is not a field of a case (the fields are: {FIELDS})"]),
        (_without("id"), ["id: is required"]),
        (_doc(people={"id": "a"}), ["people: must be a list, got an object"]),
        (_doc(people=None), ["people: must be a list, got null"]),
        (_doc(people="all"), ["people: must be a list, got 'all'"]),
        (_doc(people=7), ["people: must be a list, got 7"]),
        (_doc(people=[["a"]]), ["people[0]: must be an object (a person), got a list"]),
        (_doc(people=[5]), ["people[0]: must be an object (a person), got 5"]),
        (
            _doc(people=["x" * 80]),
            [f"people[0]: must be an object (a person), got '{'x' * 37}...'"],
        ),
        (_doc(patient="Maya"), ["patient: must be an object (the patient), got 'Maya'"]),
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
            _doc(people=[{**FRIEND, "closeness": 9}]),
            ["people[0].closeness: must be between 1 and 4, got 9"],
        ),
        (
            _doc(people=7, events=[5]),
            [
                "people: must be a list, got 7",
                "events[0]: must be an object (an event), got 5",
            ],
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
    problem found (not only the first), each with .path ... and .message"."""
    with pytest.raises(CaseError) as info:
        load_case(source)
    assert [str(p) for p in info.value.problems] == problems


def test_a_byte_order_mark_is_skipped() -> None:
    """RFC 8259 lets parsers skip a byte order mark: it is not data."""
    assert load_case("\ufeff" + json.dumps(BASE)).id == "fictional-1"


def test_the_format_problem_comes_with_the_limits_problems() -> None:
    """A case past its limits is refused at once, with the problems already found."""
    doc = _doc(format="bad", people=[FRIEND] * 3)
    with pytest.raises(CaseError) as info:
        load_case(doc, limits=Limits(max_people=2))
    assert [str(p) for p in info.value.problems] == [
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
    with pytest.raises(
        CaseError,
        match=rf"^invalid case, 1 problem: is {size:,} bytes, more than the limit of {size - 1:,} \(max_bytes\)$",
    ):
        load_case(text, max_bytes=size - 1)
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


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(CaseError) as info:
        load_case(missing)
    assert [str(p) for p in info.value.problems] == [
        f"cannot read the file {str(missing)!r}: No such file or directory"
    ]


def test_dump_case_wants_a_case() -> None:
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
    case = load_case(_doc(people=[FRIEND]))
    assert dump_case(case) == _doc(people=[FRIEND])
    assert dump_case(attrs.evolve(case, people=())) == BASE


def test_problems_of_the_document_as_a_whole_have_the_empty_path() -> None:
    """The public API: a problem's path is "" for the document as a whole."""
    with pytest.raises(CaseError) as info:
        load_case(json.dumps(BASE), max_bytes=10)
    assert [p.path for p in info.value.problems] == [""]


def test_max_bytes_of_one_is_allowed() -> None:
    """max_bytes is any positive whole number: 1 is the smallest."""
    with pytest.raises(CaseError) as info:
        load_case("1", max_bytes=1)
    assert [str(p) for p in info.value.problems] == ["a case must be a JSON object, got 1"]


def test_a_file_that_is_not_utf8_is_refused_in_words(tmp_path: Path) -> None:
    """The case format: "It is JSON (UTF-8)"; a file is read as bytes, so other text is refused
    by name rather than by the platform's decoder."""
    path = tmp_path / "latin1.json"
    path.write_bytes('{"id": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert [str(p) for p in info.value.problems] == ["is not UTF-8 text: byte 11 cannot be decoded"]


def test_a_file_above_the_default_size_reads_with_a_larger_limit(tmp_path: Path) -> None:
    """max_bytes applies to the file and to its text alike: a file larger than the default
    10 MB is read when the caller allows it."""
    path = tmp_path / "large.json"
    size = caseio.DEFAULT_MAX_BYTES + 10
    path.write_bytes(json.dumps(BASE).encode().ljust(size))
    assert load_case(path, max_bytes=size).id == "fictional-1"
