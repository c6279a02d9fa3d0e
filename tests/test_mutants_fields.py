"""Tests that kill the mutants that survived in fields.py, the case format's field kinds.

the case format defines each kind of value (id, date, integer, enum, ...); fields.py reads it from
JSON, checks it in Python and describes it in the JSON Schema. The module's own tests check which
values are accepted; these pin down what the mutation run showed they left open: the exact words of
every refusal (the briefing: a clear message naming what was wrong), the boundaries of the short
descriptions and of the nesting limit, and the schema fragments. ``mutation/README.md`` has the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pytest

from iptcore._fields import (
    ID_PATTERN,
    MAX_JSON_DEPTH,
    Broken,
    Invalid,
    Kind,
    describe,
    freeze_json,
    schema_defs,
    thaw_json,
)
from iptcore.case import Contact

ID = Kind(name="id")
DATE = Kind(name="date")
RING = Kind(name="int", low=1, high=4)
AT_LEAST = Kind(name="int", low=1900)
AT_MOST = Kind(name="int", high=9)
ANY_INT = Kind(name="int")
FLAG = Kind(name="bool")
TEXT = Kind(name="str")
TEXTS = Kind(name="strs")
CONTACT = Kind(name="enum", enum=Contact)
ITEMS = Kind(name="items")
JSON = Kind(name="json")
CHOICES = "daily, weekly, monthly, rarely, never"
UTF8 = "which is not Unicode text and cannot be written as UTF-8"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        ("x" * 40, repr("x" * 40)),  # 40 characters are shown whole
        ("y" * 41, repr("y" * 37 + "...")),  # longer ones are cut to 37 and "..."
        ("", "''"),
        (7, "7"),
        (1.5, "1.5"),
        ({"a": 1}, "an object"),
        ([1], "a list"),
        ((1,), "a list"),
        ({1}, "a set"),
        (b"x", "a bytes"),
    ],
)
def test_values_are_described_shortly_and_safely(raw: object, words: str) -> None:
    """An error shows the bad value in JSON's words, long texts cut to 40 characters."""
    assert describe(raw) == words


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (ID, "a b", "must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', got 'a b'"),
        (ID, 5, "must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', got 5"),
        (DATE, "2026-3-2", "must be a date written YYYY-MM-DD, got '2026-3-2'"),
        (DATE, None, "must be a date written YYYY-MM-DD, got null"),
        (DATE, "2026-02-30", "'2026-02-30' is not a real calendar date"),
        (ANY_INT, 1.0, "must be a whole number (a JSON integer), got 1.0"),
        (ANY_INT, True, "must be a whole number (a JSON integer), got true"),
        (RING, 0, "must be between 1 and 4, got 0"),
        (RING, 5, "must be between 1 and 4, got 5"),
        (AT_LEAST, 1899, "must be at least 1900, got 1899"),
        (AT_MOST, 10, "must be at most 9, got 10"),
        (FLAG, "true", "must be true or false, got 'true'"),
        (TEXT, 3, "must be a string, got 3"),
        (
            TEXT,
            "a\ud800b",
            "holds a lone surrogate (\\ud800) at character 1, " + UTF8,
        ),
        (TEXTS, "note", "must be a list of strings, got 'note'"),
        (CONTACT, "often", f"must be one of {CHOICES}, got 'often'"),
        (CONTACT, 1, f"must be one of {CHOICES}, got 1"),
        (ITEMS, {"1": 2}, "must be a list of item scores, got an object"),
        (JSON, [1], "must be a JSON object, got a list"),
    ],
)
def test_every_refusal_says_what_was_wrong(kind: Kind, raw: object, message: str) -> None:
    """the case format's kinds, each refusal in the exact words an app developer reads."""
    with pytest.raises(Invalid) as info:
        kind.from_json(raw)
    assert str(info.value) == message
    assert not kind.accepts(raw)


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (ID, "a.b_c-1", "a.b_c-1"),
        (DATE, "2024-02-29", date(2024, 2, 29)),
        (RING, 4, 4),
        (TEXT, "Zoë 😀", "Zoë 😀"),
        (TEXTS, ["a", "b"], ("a", "b")),
        (CONTACT, "weekly", Contact.WEEKLY),
        (ITEMS, [0, None, 3], (0, None, 3)),
    ],
)
def test_valid_values_are_read(kind: Kind, raw: object, value: object) -> None:
    assert kind.from_json(raw) == value
    assert kind.accepts(raw)


def test_an_unknown_kind_is_a_bug_of_the_table() -> None:
    with pytest.raises(AssertionError, match=r"^unknown field kind 'colour'$"):
        Kind(name="colour").from_json(1)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (DATE, datetime(2026, 3, 2, 9), "must be a datetime.date (not a datetime), got a datetime"),
        (DATE, "2026-03-02", "must be a datetime.date (not a datetime), got '2026-03-02'"),
        (CONTACT, "weekly", f"must be one of {CHOICES}, got 'weekly'"),
        (TEXTS, ["a"], "must be a tuple, got a list"),
        (ITEMS, [1], "must be a tuple, got a list"),
        (JSON, [1], "must be a mapping of JSON values, got a list"),
        (JSON, {"a": float("nan")}, "holds NaN or Infinity, which JSON does not allow"),
        (RING, 9, "must be between 1 and 4, got 9"),
    ],
)
def test_python_values_are_checked_by_the_same_rules(
    kind: Kind, value: object, message: str
) -> None:
    """A model built in Python is checked like one read from JSON (the case format; the public API:
    "can be built directly in Python with the same checks as load_case")."""
    with pytest.raises(Invalid) as info:
        kind.check(value)
    assert str(info.value) == message


def test_python_values_that_are_valid_pass() -> None:
    DATE.check(date(2026, 3, 2))
    CONTACT.check(Contact.DAILY)
    TEXTS.check(("a",))
    ITEMS.check((1, None))
    JSON.check({"a": [1, {"b": None}]})
    RING.check(2)


@pytest.mark.parametrize(
    ("kind", "value", "converted"),
    [
        (CONTACT, "daily", Contact.DAILY),
        (CONTACT, "often", "often"),
        (CONTACT, ["daily"], ["daily"]),
        (Kind(name="enum"), "daily", "daily"),  # an enum kind without its class converts nothing
        (TEXTS, ["a"], ("a",)),
        (ITEMS, [1], (1,)),
        (TEXT, ["a"], ["a"]),  # only list kinds turn lists into tuples
        (ID, {"a": 1}, {"a": 1}),  # only the json kind freezes mappings
        (JSON, {"a": float("inf")}, {"a": float("inf")}),  # not JSON: left for check to refuse
    ],
)
def test_convert_turns_only_its_own_kind_of_value(kind: Kind, value: Any, converted: Any) -> None:
    assert kind.convert(value) == converted
    assert type(kind.convert(value)) is type(converted)


def test_convert_freezes_json_objects() -> None:
    frozen = JSON.convert({"a": [1, {"b": 2}]})
    assert isinstance(frozen, Mapping)
    assert not isinstance(frozen, dict)  # read-only
    assert frozen["a"][0] == 1
    assert dict(frozen["a"][1]) == {"b": 2}
    assert thaw_json(frozen) == {"a": [1, {"b": 2}]}


# -- JSON inside extensions ---------------------------------------------------------------------


def _nested(depth: int) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    inner = doc
    for _ in range(depth):
        inner["a"] = {}
        inner = inner["a"]
    return doc


def test_nesting_is_limited_at_the_documented_depth() -> None:
    """fields.MAX_JSON_DEPTH: objects nested exactly that deep are read, one more is refused."""
    freeze_json(_nested(MAX_JSON_DEPTH))
    with pytest.raises(Invalid, match=rf"^nests deeper than {MAX_JSON_DEPTH} levels$"):
        freeze_json(_nested(MAX_JSON_DEPTH + 1))
    lists: Any = []
    for _ in range(MAX_JSON_DEPTH - 1):
        lists = [lists]
    freeze_json({"a": lists})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": float("nan")}, "holds NaN or Infinity, which JSON does not allow"),
        ({1: "a"}, "has a key that is not a string: 1"),
        ({"a": {1, 2}}, "holds a set, which is not a JSON value"),
        (
            {"\ud800": 1},
            "holds a lone surrogate (\\ud800) at character 0, " + UTF8,
        ),
    ],
)
def test_what_is_not_json_is_refused_in_words(value: dict[Any, Any], message: str) -> None:
    with pytest.raises(Invalid) as info:
        freeze_json(value)
    assert str(info.value) == message


def test_json_values_come_back_as_given() -> None:
    value = {"n": None, "t": True, "i": 3, "f": 1.5, "s": "é", "l": [1, [2]], "o": {"k": "v"}}
    assert thaw_json(freeze_json(value)) == value


# -- the schema fragments -----------------------------------------------------------------------


def test_each_kind_has_its_schema_fragment() -> None:
    """case_schema() (the case format: "the same rules as a JSON Schema (draft 2020-12)") is
    made of these fragments."""
    assert ID.schema() == {"$ref": "#/$defs/id"}
    assert DATE.schema() == {"$ref": "#/$defs/date"}
    assert RING.schema() == {"type": "integer", "minimum": 1, "maximum": 4}
    assert AT_LEAST.schema() == {"type": "integer", "minimum": 1900}
    assert AT_MOST.schema() == {"type": "integer", "maximum": 9}
    assert ANY_INT.schema() == {"type": "integer"}
    assert FLAG.schema() == {"type": "boolean"}
    assert TEXT.schema() == {"type": "string"}
    assert TEXTS.schema() == {"type": "array", "items": {"type": "string"}}
    assert CONTACT.schema() == {"enum": ["daily", "weekly", "monthly", "rarely", "never"]}
    assert ITEMS.schema() == {"type": "array", "items": {"type": ["integer", "null"]}}
    assert JSON.schema() == {"type": "object"}
    described = Kind(name="str", description="a note")
    assert described.schema() == {"type": "string", "description": "a note"}


def test_the_shared_definitions_are_ids_and_dates() -> None:
    """The case format: "id: 1-64 characters of ASCII letters, digits, ., _, -"; "date: ISO 8601
    calendar date, YYYY-MM-DD"."""
    assert schema_defs() == {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "date": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\\n)$",
            "format": "date",
        },
    }
    assert ID_PATTERN == "^(?!\\.\\.?(?!\\n)$)[A-Za-z0-9._-]{1,64}(?!\\n)$"


@pytest.mark.parametrize("text", ["jon\n", "2026-01-01\n", ".", "..", "a\nb"])
def test_the_schemas_patterns_refuse_what_load_case_refuses(text: str) -> None:
    """Python's ``$`` matches before a final newline, ECMA 262's does not: the patterns say
    ``(?!\\n)$`` so that a validator in either dialect refuses ``"jon\\n"`` as load_case does."""
    import re

    for name, pattern in (("id", ID_PATTERN), ("date", schema_defs()["date"]["pattern"])):
        assert re.search(pattern, text) is None, (name, text)
    assert not ID.accepts(text)
    assert ID.accepts("...")
    assert re.search(ID_PATTERN, "...")


@pytest.mark.parametrize(
    ("kind", "raw", "problems"),
    [
        (TEXTS, ["ok", 3], ["[1]: must be a string, got 3"]),
        (
            TEXTS,
            ["ok", "\udfff"],
            ["[1]: holds a lone surrogate (\\udfff) at character 0, " + UTF8],
        ),
        (
            ITEMS,
            [1.0, True, "x", 9, None],
            [
                "[0]: must be a whole number or null, got 1.0",
                "[1]: must be a whole number or null, got true",
                "[2]: must be a whole number or null, got 'x'",
            ],
        ),
        (ITEMS, [0, None, 1.5], ["[2]: must be a whole number or null, got 1.5"]),
    ],
)
def test_every_bad_item_of_a_list_is_reported_at_its_index(
    kind: Kind, raw: list[Any], problems: list[str]
) -> None:
    """Every bad item at once, each at its index counted from 0 as a JSON path counts."""
    with pytest.raises(Broken) as info:
        kind.from_json(raw)
    assert [str(p) for p in info.value.problems] == problems
    assert not kind.accepts(raw)


def test_a_python_list_is_checked_item_by_item() -> None:
    with pytest.raises(Broken) as info:
        ITEMS.check((1, "2"))
    assert [str(p) for p in info.value.problems] == ["[1]: must be a whole number or null, got '2'"]
