"""The case format's field kinds: one description of each kind of value, used three ways.

A field of the case model names its kind (an id, a date, an integer in a range, an enum, ...). The kind
knows how to read the value from JSON, how to check a value built in Python, and which JSON Schema
fragment describes it, so that :func:`iptcore.load_case`, direct construction in Python and
:func:`iptcore.case_schema` apply the same rules (``CASE_FORMAT.md``) and cannot drift apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import attrs

from iptcore import _checks
from iptcore._frozen import FrozenMap

__all__ = ["ID_PATTERN", "Invalid", "JsonObject", "Kind", "freeze_json", "thaw_json"]

#: ``CASE_FORMAT.md``: "id: 1-64 characters of ASCII letters, digits, ``.``, ``_``, ``-``".
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

#: How deep JSON values inside ``extensions`` may nest: a documented limit, so that hostile input
#: cannot exhaust the interpreter's stack.
MAX_JSON_DEPTH = 64


class Invalid(Exception):
    """A value that its field does not accept; the message says why, in words for an app developer."""


def _describe(raw: object) -> str:
    """A short, safe description of a JSON value for an error message."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        text = raw if len(raw) <= 40 else raw[:37] + "..."
        return repr(text)
    if isinstance(raw, int | float):
        return repr(raw)
    if isinstance(raw, Mapping):
        return "an object"
    if isinstance(raw, list | tuple):
        return "a list"
    return f"a {type(raw).__name__}"


def _parse_date(raw: object) -> date:
    if not isinstance(raw, str) or not _DATE_RE.fullmatch(raw):
        raise Invalid(f"must be a date written YYYY-MM-DD, got {_describe(raw)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{raw!r} is not a real calendar date") from None


def _text_ok(raw: str) -> str:
    """``raw`` unless it holds a lone surrogate (a JSON escape such as ``\\ud800`` gives one):
    that is no Unicode text, and a case must be writable as UTF-8 ("It is JSON (UTF-8)",
    CASE_FORMAT.md)."""
    if not raw.isascii():
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(raw[exc.start])
            raise Invalid(
                f"holds a lone surrogate (\\u{code:04x}) at character {exc.start}, "
                "which is not Unicode text and cannot be written as UTF-8"
            ) from None
    return raw


def _is_int(raw: object) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


@attrs.frozen(kw_only=True)
class Kind:
    """The kind of one field: how it reads from JSON, checks in Python, and shows in the schema.

    ``name`` is one of ``id``, ``date``, ``int``, ``bool``, ``str``, ``strs`` (a list of strings),
    ``enum``, ``items`` (a measure's item scores, integers or null) and ``json`` (any JSON object).
    """

    name: str
    enum: type[StrEnum] | None = None
    low: int | None = None
    high: int | None = None
    description: str = ""

    # -- reading JSON -------------------------------------------------------------------------
    def from_json(self, raw: object) -> Any:
        """The Python value of JSON value ``raw``, or :class:`Invalid` saying what is wrong."""
        name = self.name
        if name == "id":
            if not isinstance(raw, str) or not _ID_RE.fullmatch(raw):
                raise Invalid(
                    "must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', "
                    f"got {_describe(raw)}"
                )
            return raw
        if name == "date":
            return _parse_date(raw)
        if name == "int":
            if not _is_int(raw):
                raise Invalid(f"must be a whole number (a JSON integer), got {_describe(raw)}")
            self._check_range(raw)  # type: ignore[arg-type]
            return raw
        if name == "bool":
            if not isinstance(raw, bool):
                raise Invalid(f"must be true or false, got {_describe(raw)}")
            return raw
        if name == "str":
            if not isinstance(raw, str):
                raise Invalid(f"must be a string, got {_describe(raw)}")
            return _text_ok(raw)
        if name == "strs":
            if not isinstance(raw, list):
                raise Invalid(f"must be a list of strings, got {_describe(raw)}")
            for i, item in enumerate(raw):
                if not isinstance(item, str):
                    raise Invalid(f"item {i} must be a string, got {_describe(item)}")
                try:
                    _text_ok(item)
                except Invalid as exc:
                    raise Invalid(f"item {i} {exc}") from None
            return tuple(raw)
        if name == "enum":
            assert self.enum is not None  # the field table gives every enum kind its class
            if not isinstance(raw, str) or raw not in self.enum._value2member_map_:
                raise Invalid(f"must be one of {self._choices()}, got {_describe(raw)}")
            return self.enum(raw)
        if name == "items":
            if not isinstance(raw, list):
                raise Invalid(f"must be a list of item scores, got {_describe(raw)}")
            for i, item in enumerate(raw):
                if item is not None and not _is_int(item):
                    raise Invalid(
                        f"item {i + 1} must be a whole number or null, got {_describe(item)}"
                    )
            return tuple(raw)
        if name == "json":
            if not isinstance(raw, Mapping):
                raise Invalid(f"must be a JSON object, got {_describe(raw)}")
            return freeze_json(raw)
        raise AssertionError(f"unknown field kind {name!r}")  # a bug in the table, not input

    def accepts(self, raw: object) -> bool:
        """Whether JSON value ``raw`` is valid for this kind."""
        try:
            self.from_json(raw)
        except Invalid:
            return False
        return True

    # -- checking Python values ---------------------------------------------------------------
    def check(self, value: object) -> None:
        """Raise :class:`Invalid` unless ``value`` is a valid Python value of this kind."""
        name = self.name
        if name == "date":
            if isinstance(value, datetime) or not isinstance(value, date):
                raise Invalid(f"must be a datetime.date (not a datetime), got {_describe(value)}")
            return
        if name == "enum":
            assert self.enum is not None  # the field table gives every enum kind its class
            if not isinstance(value, self.enum):
                raise Invalid(f"must be one of {self._choices()}, got {_describe(value)}")
            return
        if name in ("strs", "items"):
            if not isinstance(value, tuple):
                raise Invalid(f"must be a tuple, got {_describe(value)}")
            self.from_json(list(value))
            return
        if name == "json":
            if not isinstance(value, Mapping):
                raise Invalid(f"must be a mapping of JSON values, got {_describe(value)}")
            freeze_json(value)  # raises Invalid for what is not JSON
            return
        self.from_json(value)

    def convert(self, value: Any) -> Any:
        """What an attrs converter does for this kind: a str to its enum, a list to a tuple.

        Anything else is left as given, for :meth:`check` to refuse by name.
        """
        if self.name == "enum" and self.enum is not None:
            return _checks.word(self.enum, value)
        if self.name in ("strs", "items") and isinstance(value, list):
            return tuple(value)
        if self.name == "json" and isinstance(value, Mapping):
            try:
                return freeze_json(value)
            except Invalid:
                return value
        return value

    # -- JSON Schema ----------------------------------------------------------------------------
    def schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) fragment of this kind."""
        out: dict[str, Any]
        name = self.name
        if name == "id":
            out = {"$ref": "#/$defs/id"}
        elif name == "date":
            out = {"$ref": "#/$defs/date"}
        elif name == "int":
            out = {"type": "integer"}
            if self.low is not None:
                out["minimum"] = self.low
            if self.high is not None:
                out["maximum"] = self.high
        elif name == "bool":
            out = {"type": "boolean"}
        elif name == "str":
            out = {"type": "string"}
        elif name == "strs":
            out = {"type": "array", "items": {"type": "string"}}
        elif name == "enum":
            assert self.enum is not None  # the field table gives every enum kind its class
            out = {"enum": [m.value for m in self.enum]}
        elif name == "items":
            out = {"type": "array", "items": {"type": ["integer", "null"]}}
        else:
            out = {"type": "object"}
        if self.description:
            out["description"] = self.description
        return out

    def _choices(self) -> str:
        assert self.enum is not None  # the field table gives every enum kind its class
        return ", ".join(m.value for m in self.enum)

    def _check_range(self, value: int) -> None:
        low, high = self.low, self.high
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                raise Invalid(f"must be between {low} and {high}, got {value}")
            if low is not None:
                raise Invalid(f"must be at least {low}, got {value}")
            raise Invalid(f"must be at most {high}, got {value}")


def schema_defs() -> dict[str, Any]:
    """The shared ``$defs`` of the case schema: ids and dates."""
    return {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "date": {"type": "string", "pattern": _DATE_PATTERN, "format": "date"},
    }


class JsonObject(FrozenMap[str, Any]):
    """A read-only JSON object, as ``extensions`` holds it: compares equal to the same ``dict``,
    and, unlike :class:`types.MappingProxyType`, pickles and copies (process pools need that).

    >>> obj = freeze_json({"a": [1, {"b": None}]})
    >>> obj == {"a": (1, {"b": None})}, obj["a"][1]["b"] is None
    (True, True)
    >>> obj["c"] = 1
    Traceback (most recent call last):
    ...
    TypeError: 'JsonObject' object does not support item assignment
    """

    __slots__ = ()


def freeze_json(value: Mapping[str, Any], _depth: int = 0) -> Mapping[str, Any]:
    """A read-only deep copy of a JSON object: objects become :class:`JsonObject`, lists tuples.

    Raises :class:`Invalid` for anything that is not a JSON value (a non-string key, NaN, a set, ...)
    or for nesting deeper than ``MAX_JSON_DEPTH``.
    """
    frozen: JsonObject = _freeze(value, _depth)
    return frozen


def _freeze(value: Any, depth: int) -> Any:
    if depth > MAX_JSON_DEPTH:
        raise Invalid(f"nests deeper than {MAX_JSON_DEPTH} levels")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text_ok(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid("holds NaN or Infinity, which JSON does not allow")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise Invalid(f"has a key that is not a string: {_describe(k)}")
            out[_text_ok(k)] = _freeze(v, depth + 1)
        return JsonObject(out)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, depth + 1) for v in value)
    raise Invalid(f"holds {_describe(value)}, which is not a JSON value")


def thaw_json(value: Any) -> Any:
    """The plain ``dict``/``list`` JSON value of a value made by :func:`freeze_json`."""
    if isinstance(value, Mapping):
        return {k: thaw_json(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw_json(v) for v in value]
    return value
