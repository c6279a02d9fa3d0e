"""The field kinds of iptcore's files and the one walk that reads them.

A field of the case model names its kind (an id, a date, an integer in a range, an enum, ...). The kind
knows how to read the value from JSON, how to check a value built in Python, and which JSON Schema
fragment describes it, so that :func:`iptcore.load_case`, direct construction in Python and
:func:`iptcore.case_schema` apply the same rules (the case format: ``docs/case-format.md``) and
cannot drift apart.

Each kind's reader is a plain function built once (:func:`reader`); an object is read by
:func:`object_reader` from a table of its fields, a list by :func:`list_reader`, so that the case,
plan and course files share one walk: every problem is collected with its path (``people[2].role``)
before anything is built, and a value that passed the walk is built without checking it again
(:func:`assembler`; :func:`trusted` is the same for values that code built and knows valid, such as
the rules engine's findings).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from iptcore import _checks
from iptcore._frozen import FrozenMap
from iptcore.errors import HIDDEN_KEY, IptError, Problem

__all__ = [
    "ID_PATTERN",
    "Broken",
    "Invalid",
    "JsonObject",
    "Kind",
    "a_date",
    "abridge",
    "assembler",
    "describe",
    "freeze_json",
    "key_path",
    "list_reader",
    "newer_major",
    "object_reader",
    "reader",
    "refused",
    "thaw_json",
    "trusted",
]

_V = TypeVar("_V", bound=attrs.AttrsInstance)

#: The case format's ids: 1-64 characters of ASCII letters, digits, ``.``, ``_``, ``-``, but not
#: ``.`` or ``..`` (which name folders in a path). ``(?!\n)$`` ends the text in every dialect of
#: JSON Schema's patterns: ECMA 262's ``$`` (without the m flag) is the end of the text, but Python's
#: also matches before a final newline, which ``(?!\n)`` excludes.
ID_PATTERN = r"^(?!\.\.?(?!\n)$)[A-Za-z0-9._-]{1,64}(?!\n)$"
_ID_MATCH = re.compile(r"(?!\.\.?\Z)[A-Za-z0-9._-]{1,64}").fullmatch
_DATE_MATCH = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$"

#: How deep JSON values inside ``extensions`` may nest: a documented limit, so that hostile input
#: cannot exhaust the interpreter's stack.
MAX_JSON_DEPTH = 64

#: How many digits an integer inside ``extensions`` may have: a documented limit, below the 4,300
#: digits that Python writes as text, so that whatever is accepted can be shown and dumped again.
MAX_INT_DIGITS = 4_000
_INT_BOUND = 10**MAX_INT_DIGITS


class Invalid(Exception):
    """A value that its field does not accept; the message says why, in words for an app developer.

    ``redacted`` is the message without the value it quotes (``None``: it quotes none), for
    :meth:`iptcore.errors.Problem.redacted`; :func:`refused` gives both.
    """

    def __init__(self, message: str, *, redacted: str | None = None) -> None:
        super().__init__(message)
        self.redacted = redacted

    def problem(self, path: str) -> Problem:
        """The problem of this refusal at ``path``."""
        return Problem(path=path, message=str(self), redacted_message=self.redacted)


def refused(must: str, raw: object) -> Invalid:
    """The refusal ``"<must>, got <raw>"``, whose redacted form names only the kind of ``raw``.

    >>> error = refused("must be a string", 3)
    >>> str(error), error.redacted
    ('must be a string, got 3', 'must be a string, got an integer')
    """
    return Invalid(f"{must}, got {describe(raw)}", redacted=f"{must}, got {_checks.kind_of(raw)}")


def describe(raw: object) -> str:
    """A short, safe description of a JSON value for an error message."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        text = raw if len(raw) <= 40 else raw[:37] + "..."
        return repr(text)
    if isinstance(raw, int) and not -(10**20) < raw < 10**20:
        # Abridged: a message quotes at most ~60 characters, and Python refuses to write an
        # integer of more than 4,300 digits as text at all.
        digits = math.floor(raw.bit_length() * math.log10(2)) + 1
        sign = "-" if raw < 0 else ""
        return f"{sign}an integer of about {digits:,} digits"
    if isinstance(raw, int | float):
        return repr(raw)
    if isinstance(raw, Mapping):
        return "an object"
    if isinstance(raw, list | tuple):
        return "a list"
    return f"a {type(raw).__name__}"


def abridge(text: str, most: int = 60) -> str:
    """``text`` as a message quotes it: at most ``most`` characters, cut with ``...``.

    >>> abridge("iptcore.case/" + "9" * 100)
    'iptcore.case/9999999999999999999999999999999999999999999...'
    """
    return text if len(text) <= most else text[: most - 3] + "..."


def newer_major(major: str, current: int) -> bool:
    """Whether the digits ``major`` of a format version name a major version above ``current``,
    compared without turning thousands of digits into an integer (which Python refuses).

    >>> newer_major("0002", 1), newer_major("9" * 5000, 1), newer_major("1", 1)
    (True, True, False)
    """
    digits = major.lstrip("0") or "0"
    return len(digits) > 18 or int(digits) > current


def _text_ok(raw: str) -> str:
    """``raw`` unless it holds a lone surrogate (a JSON escape such as ``\\ud800`` gives one):
    that is no Unicode text, and a case file is JSON in UTF-8."""
    why = _checks.not_unicode(raw)
    if why is not None:
        raise Invalid(why, redacted=f"holds a lone surrogate, {_checks.NOT_UNICODE}")
    return raw


def _is_int(raw: object) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


Reader = Callable[[Any], Any]
"""Reads one JSON value: returns the Python value, or raises :class:`Invalid` (a leaf) or
:class:`Broken` (an object or list with problems inside)."""


def _read_id(raw: Any) -> str:
    if isinstance(raw, str) and _ID_MATCH(raw):
        return raw
    if raw in (".", ".."):
        raise Invalid(
            f"must be an id, and {raw!r} names a folder, not a person",
            redacted="must be an id, and '.' and '..' name folders, not people",
        )
    raise refused("must be an id: 1-64 ASCII letters, digits, '.', '_' or '-'", raw)


def _read_date(raw: Any) -> date:
    if isinstance(raw, str) and _DATE_MATCH(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise Invalid(
                f"{raw!r} is not a real calendar date", redacted="is not a real calendar date"
            ) from None
    raise refused("must be a date written YYYY-MM-DD", raw)


def a_date(value: object, name: str) -> date:
    """A date argument of a public function: a :class:`datetime.date` or its ISO text
    (``"2026-03-09"``), read as the case file reads it; :class:`~iptcore.errors.IptError` naming
    ``name`` otherwise.

    >>> a_date("2026-03-09", "start")
    datetime.date(2026, 3, 9)
    >>> a_date("2026-02-30", "start")
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: start: '2026-02-30' is not a real calendar date
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        exc = refused("must be a datetime.date or a date written YYYY-MM-DD", value)
        raise IptError(f"{name}: {exc}", redacted_message=f"{name}: {exc.redacted}")
    try:
        return _read_date(value)
    except Invalid as exc:
        raise IptError(f"{name}: {exc}", redacted_message=f"{name}: {exc.redacted}") from None


def _read_bool(raw: Any) -> bool:
    if raw is True or raw is False:
        return raw
    raise refused("must be true or false", raw)


def _read_str(raw: Any) -> str:
    if isinstance(raw, str):
        return raw if raw.isascii() else _text_ok(raw)
    raise refused("must be a string", raw)


def _read_strs(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise refused("must be a list of strings", raw)
    try:  # the usual list, checked at C speed: only strings join, and ASCII holds no surrogate
        if "".join(raw).isascii():
            return tuple(raw)
    except TypeError:
        pass
    return _each(raw, _read_str)


def _read_score(raw: Any) -> int | None:
    if raw is None or raw.__class__ is int or _is_int(raw):
        return raw  # type: ignore[no-any-return]
    raise refused("must be a whole number or null", raw)


def _read_items(raw: Any) -> tuple[int | None, ...]:
    if not isinstance(raw, list):
        raise refused("must be a list of item scores", raw)
    # The partial scores (a bad one as missing) let the measure's own rules check the rest.
    return _each(raw, _read_score, partial=True)


def _each(raw: list[Any], read: Reader, *, partial: bool = False) -> tuple[Any, ...]:
    """Every item of ``raw`` read by ``read``, or :class:`Broken` with every bad item's problem at
    its index (``[2]``: counted from 0, as a JSON path counts), and, if ``partial``, the items
    read with ``None`` for the bad ones."""
    out = []
    problems = []
    for i, item in enumerate(raw):
        try:
            out.append(read(item))
        except Invalid as exc:
            problems.append(exc.problem(f"[{i}]"))
            out.append(None)
    if problems:
        raise Broken(problems, tuple(out) if partial else None)
    return tuple(out)


def _read_json(raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise refused("must be a JSON object", raw)
    return freeze_json(raw)


@attrs.frozen
class _WholeReader:
    """Reads a whole number (a JSON integer, not a bool) from ``low`` up, to ``high`` if given."""

    low: int
    high: int | None = None

    def read(self, raw: Any) -> int:
        if raw.__class__ is not int and not _is_int(raw):
            raise refused("must be a whole number (a JSON integer)", raw)
        high = self.high
        if self.low <= raw and (high is None or raw <= high):
            return raw  # type: ignore[no-any-return]
        words = f"at least {self.low}" if high is None else f"between {self.low} and {high}"
        raise refused(f"must be {words}", raw)


@attrs.frozen
class _EnumReader:
    """Reads a member of ``enum`` from its word."""

    enum: type[StrEnum]
    members: Mapping[str, Any] = attrs.field(init=False, repr=False, eq=False)

    @members.default
    def _members(self) -> Mapping[str, Any]:
        return self.enum._value2member_map_

    def read(self, raw: Any) -> Any:
        if isinstance(raw, str):
            member = self.members.get(raw)
            if member is not None:
                return member
        choices = ", ".join(m.value for m in self.enum)
        raise refused(f"must be one of {choices}", raw)


_READERS: Mapping[str, Reader] = MappingProxyType(
    {
        "id": _read_id,
        "date": _read_date,
        "bool": _read_bool,
        "str": _read_str,
        "strs": _read_strs,
        "items": _read_items,
        "json": _read_json,
    }
)


_PYTHON_TYPES: Mapping[str, Any] = MappingProxyType(
    {
        "id": str,
        "str": str,
        "date": date | str,
        "int": int,
        "bool": bool,
        "strs": list[str] | tuple[str, ...],
        "items": list[int | None] | tuple[int | None, ...],
        "json": Mapping[str, Any],
    }
)


@functools.cache
def reader(kind: Kind) -> Reader:
    """The reader of ``kind``, built once: a plain function of the JSON value (no dispatch on the
    kind's name at each value, which is what makes the walk of a large document cheap)."""
    if kind.name == "int":
        assert kind.low is not None  # every whole number of the files has a floor
        return _WholeReader(kind.low, kind.high).read
    if kind.name == "enum":
        assert kind.enum is not None  # the field table gives every enum kind its class
        return _EnumReader(kind.enum).read
    return _READERS[kind.name]  # a KeyError here is a bug in the field table, not bad input


@attrs.frozen(kw_only=True)
class Kind:
    """The kind of one field: how it reads from JSON, checks in Python, and shows in the schema.

    ``name`` is one of ``id``, ``date``, ``int``, ``bool``, ``str``, ``strs`` (a list of strings),
    ``enum``, ``items`` (a measure's item scores, integers or null) and ``json`` (any JSON object).
    An ``int`` kind has a floor ``low`` (every whole number of the files has one) and may have a
    ceiling ``high``; an ``enum`` kind names its ``enum``.
    """

    name: str
    enum: type[StrEnum] | None = None
    low: int | None = None
    high: int | None = None
    description: str = ""

    # -- reading JSON -------------------------------------------------------------------------
    def from_json(self, raw: object) -> Any:
        """The Python value of JSON value ``raw``, or :class:`Invalid` saying what is wrong."""
        return reader(self)(raw)

    def accepts(self, raw: object) -> bool:
        """Whether JSON value ``raw`` is valid for this kind."""
        try:
            self.from_json(raw)
        except (Invalid, Broken):
            return False
        return True

    # -- checking Python values ---------------------------------------------------------------
    def check(self, value: object) -> None:
        """Raise :class:`Invalid` unless ``value`` is a valid Python value of this kind
        (:class:`Broken`, with a problem at each bad item's index, for a list)."""
        name = self.name
        if name == "date":
            if isinstance(value, str):
                _read_date(value)  # the case file's words for a text that is not a date
            if isinstance(value, datetime) or not isinstance(value, date):
                raise refused("must be a datetime.date (not a datetime)", value)
            return
        if name == "enum":
            assert self.enum is not None  # the field table gives every enum kind its class
            if not isinstance(value, self.enum):
                raise refused(f"must be one of {self._choices()}", value)
            return
        if name in ("strs", "items"):
            if not isinstance(value, tuple):
                raise refused("must be a tuple", value)
            self.from_json(list(value))
            return
        if name == "json":
            if not isinstance(value, Mapping):
                raise refused("must be a mapping of JSON values", value)
            freeze_json(value)  # raises Invalid for what is not JSON
            return
        self.from_json(value)

    def convert(self, value: Any) -> Any:
        """What an attrs converter does for this kind: a str to its enum, ISO text to its date
        (as the case file writes it), a list to a tuple.

        Anything else is left as given, for :meth:`check` to refuse by name.
        """
        if self.name == "enum" and self.enum is not None:
            return _checks.word(self.enum, value)
        if self.name == "date" and isinstance(value, str):
            try:
                return _read_date(value)
            except Invalid:
                return value
        if self.name in ("strs", "items") and isinstance(value, list):
            return tuple(value)
        if self.name == "json" and isinstance(value, Mapping):
            try:
                return freeze_json(value)
            except Invalid:
                return value
        return value

    def python_type(self) -> Any:  # pragma: no mutate block
        """The type a constructor takes for this kind, for :func:`inspect.signature` and IDEs.

        >>> Kind(name="date").python_type()
        datetime.date | str
        """
        name = self.name
        if name == "enum":
            assert self.enum is not None  # the field table gives every enum kind its class
            return self.enum | str
        return _PYTHON_TYPES[name]

    def converter(
        self, *, optional: bool = False
    ) -> Callable[[Any], Any]:  # pragma: no mutate block
        """:meth:`convert` as an attrs converter whose parameter has :meth:`python_type` (attrs
        gives the constructor's parameter its converter's type)."""
        kind = self

        def convert(value: Any) -> Any:
            return kind.convert(value)

        accepted = self.python_type()
        convert.__annotations__ = {"value": accepted | None if optional else accepted}
        return convert

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
            out = {"type": "integer", "minimum": self.low}
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
        if not -_INT_BOUND < value < _INT_BOUND:
            raise Invalid(
                f"holds {describe(value)}: an integer may have at most {MAX_INT_DIGITS:,} digits",
                redacted=f"holds an integer of more than {MAX_INT_DIGITS:,} digits",
            )
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid("holds NaN or Infinity, which JSON does not allow")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise Invalid(
                    f"has a key that is not a string: {describe(k)}",
                    redacted=f"has a key that is not a string: {_checks.kind_of(k)}",
                )
            out[_text_ok(k)] = _freeze(v, depth + 1)
        return JsonObject(out)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v, depth + 1) for v in value)
    raise Invalid(
        f"holds {describe(value)}, which is not a JSON value",
        redacted=f"holds {_checks.kind_of(value)}, which is not a JSON value",
    )


def thaw_json(value: Any) -> Any:
    """The plain ``dict``/``list`` JSON value of a value made by :func:`freeze_json`."""
    if isinstance(value, Mapping):
        return {k: thaw_json(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw_json(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------
# The walk: one generic reader of JSON objects and lists, for every file format of iptcore
# --------------------------------------------------------------------------------------------


class Broken(Exception):
    """An object or list with problems inside it: the problems, with paths relative to it, and the
    values that could be read (for the cross-field rules of the object that holds it)."""

    def __init__(self, problems: list[Problem], partial: Any) -> None:
        super().__init__(problems)
        self.problems = problems
        self.partial = partial


_ABSENT = object()

#: One field of an object: its key, its reader and whether it is required.
Field = tuple[str, Reader, bool]


def object_reader(
    what: str,
    fields: tuple[Field, ...],
    build: Callable[[dict[str, Any]], Any],
    rules: Callable[[dict[str, Any]], list[Problem]] | None = None,
    *,
    also: frozenset[str] = frozenset(),
) -> Reader:
    """The reader of a JSON object with ``fields``: every field is read, every problem collected
    with its path (an unknown key, a missing required one, a bad value, a broken child, then what
    ``rules`` finds in the values that could be read), and only an object with no problem is
    passed to ``build``. ``what`` names the object in messages (``"a person"``); ``also`` are keys
    its caller reads (a file's ``format``).

    Made once for each kind of object, when a module is imported; the reader it gives is a method
    of a small frozen class, so the walk is code that runs when a document is read.

    >>> read = object_reader("a visit", (("room", reader(Kind(name="str")), True),), dict)
    >>> read({"room": "A"})
    {'room': 'A'}
    >>> try:
    ...     read({"room": 3, "floor": 1})
    ... except Broken as exc:
    ...     [str(p) for p in exc.problems]
    ['floor: is not a field of a visit (the fields are: room)', 'room: must be a string, got 3']
    """

    return _ObjectReader(what, fields, build, rules, also).read  # pragma: no mutate


@attrs.frozen
class _ObjectReader:
    """The reader of one kind of JSON object (see :func:`object_reader`)."""

    what: str
    fields: tuple[Field, ...]
    build: Callable[[dict[str, Any]], Any]
    rules: Callable[[dict[str, Any]], list[Problem]] | None
    also: frozenset[str]
    table: Mapping[str, Reader] = attrs.field(init=False, repr=False, eq=False)
    required: frozenset[str] = attrs.field(init=False, repr=False, eq=False)

    @table.default
    def _table(self) -> Mapping[str, Reader]:
        return {key: read for key, read, _ in self.fields}

    @required.default
    def _required(self) -> frozenset[str]:
        return frozenset(key for key, _, needed in self.fields if needed)

    def read(self, raw: Any) -> Any:
        if raw.__class__ is not dict and not isinstance(raw, Mapping):
            raise refused(f"must be an object ({self.what})", raw)
        table, also = self.table, self.also
        values: dict[str, Any] = {}
        bad: dict[str, list[Problem]] = {}
        unknown: list[Any] = []
        for key, value in raw.items():
            read_field = table.get(key)
            if read_field is None:
                if key not in also:
                    unknown.append(key)
                continue
            try:
                values[key] = read_field(value)
            except Invalid as exc:
                bad[key] = [exc.problem(key)]
            except Broken as exc:
                bad[key] = [p.within(key) for p in exc.problems]
                if exc.partial is not None:
                    values[key] = exc.partial
        problems: list[Problem] = []
        if unknown or bad or not raw.keys() >= self.required:
            problems = self._problems(raw, unknown, bad)
        rules = self.rules
        if rules is not None:
            problems.extend(rules(values))
        if problems:
            raise Broken(problems, values)
        return self.build(values)

    def _problems(
        self, raw: Mapping[str, Any], unknown: list[Any], bad: dict[str, list[Problem]]
    ) -> list[Problem]:
        """The problems in the order of the fields, whatever the order of the keys."""
        listed = ", ".join(key for key, _, _ in self.fields)
        problems = [
            Problem(
                path=key_path(key),
                message=f"is not a field of {self.what} (the fields are: {listed})",
                redacted_path=HIDDEN_KEY,
            )
            for key in unknown
        ]
        for key, _, _ in self.fields:
            if key in bad:
                problems.extend(bad[key])
            elif key in self.required and key not in raw:
                problems.append(Problem(path=key, message="is required"))
        return problems


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").fullmatch


def key_path(key: object) -> str:
    """The path of an object's key: the key itself when it is a plain name, else quoted in
    brackets as JSON writes it (abridged), so that a key such as ``""`` or ``"a.b[0]"`` cannot be
    read as a path of its own.

    >>> key_path("shoe"), key_path(""), key_path("a.b[0]")
    ('shoe', '[""]', '["a.b[0]"]')
    """
    if isinstance(key, str) and _NAME(key):
        return key
    text = abridge(key if isinstance(key, str) else str(key))
    # Quoted as JSON quotes; control characters are left for whoever shows the path to escape.
    return '["' + text.replace("\\", "\\\\").replace('"', '\\"') + '"]'


def list_reader(item: Reader) -> Reader:
    """The reader of a JSON list of ``item``: a tuple, or :class:`Broken` with every bad item's
    problems at ``[i]`` (and ``None`` in the partial list where an item could not be read)."""
    return _ListReader(item).read  # pragma: no mutate


@attrs.frozen
class _ListReader:
    """The reader of one kind of JSON list (see :func:`list_reader`)."""

    item: Reader

    def read(self, raw: Any) -> tuple[Any, ...]:
        if raw.__class__ is not list and not isinstance(raw, list):
            raise refused("must be a list", raw)
        item = self.item
        try:  # the usual list, all good
            return tuple([item(value) for value in raw])
        except (Invalid, Broken):
            pass
        # Read again, item by item, to collect every problem at its index.
        out: list[Any] = []
        problems: list[Problem] = []
        for i, value in enumerate(raw):
            try:
                out.append(item(value))
            except Invalid as exc:
                problems.append(exc.problem(f"[{i}]"))
                out.append(None)
            except Broken as exc:
                problems.extend(p.within(f"[{i}]") for p in exc.problems)
                out.append(exc.partial)
        if problems:
            raise Broken(problems, out)
        return tuple(out)


def _generated(
    cls: type[Any], head: str, value: Callable[[attrs.Attribute[Any], str], str]
) -> Any:  # pragma: no mutate block
    """The function ``head`` that makes a ``cls`` (a frozen, slotted attrs class) and sets each of
    its fields, field ``i`` to the expression ``value(field, f"default{i}")``, with no converter,
    validator or post-init: generated once per class, as attrs generates its ``__init__``."""
    names: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [head, "    obj = new(cls)"]
    for i, field in enumerate(attrs.fields(cls)):
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            raise AssertionError(f"{cls.__name__}.{field.name}: a factory default")  # a bug
        names[f"put{i}"] = getattr(cls, field.name).__set__
        names[f"default{i}"] = field.default
        lines.append(f"    put{i}(obj, {value(field, f'default{i}')})")
    lines.append("    return obj")
    exec("\n".join(lines), names)  # the source is made above from the field names alone
    return names["made"]


def assembler(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:  # pragma: no mutate block
    """Build a frozen attrs ``cls`` from values that already passed every check of the walk,
    without running its converters and validators a second time (a field left out takes its
    default)."""

    def value(field: attrs.Attribute[Any], default: str) -> str:
        if field.default is attrs.NOTHING:  # required: the walk has read it
            return f"values[{field.name!r}]"
        return f"values.get({field.name!r}, {default})"

    build: Callable[[dict[str, Any]], Any] = _generated(cls, "def made(values):", value)
    return build


def trusted(cls: type[_V]) -> Callable[..., _V]:  # pragma: no mutate block
    """A keyword constructor of the frozen attrs ``cls`` for values its caller built itself and
    knows valid: it sets the fields as given (a field left out takes its default), without the
    converters, validators and post-init of ``cls(...)``, which still check every value a user
    builds. The result is the same value as ``cls(...)`` makes (equal, same repr and hash).

    >>> @attrs.frozen(kw_only=True)
    ... class Pair:
    ...     left: int = attrs.field(validator=attrs.validators.instance_of(int))
    ...     right: int = 0
    >>> trusted(Pair)(left=1) == Pair(left=1)
    True
    """
    params = ", ".join(
        f.name if f.default is attrs.NOTHING else f"{f.name}=default{i}"
        for i, f in enumerate(attrs.fields(cls))
    )
    made: Callable[..., _V] = _generated(cls, f"def made(*, {params}):", lambda f, _: f.name)
    return made
