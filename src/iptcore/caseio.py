"""Reading and writing the case file (``iptcore.case/1``): :func:`load_case`, :func:`dump_case`,
:func:`case_schema`.

One cattrs converter writes the whole model. Loading walks the document once with the readers of
:mod:`iptcore._fields`, built once from the case model's field declarations, reading every field
through its kind and checking every rule of the case format (``docs/case-format.md``); it collects
*every* problem with its JSON path before anything is built, the way cattrs' detailed validation
collects every structuring error. Only a document with no problem becomes a
:class:`~iptcore.Case`, built without running its checks a second time.

Whatever is passed (``None``, bytes that are not UTF-8, deeply nested brackets, ``NaN``, a bool where
an integer belongs, a string of hundreds of megabytes), the only error is :class:`~iptcore.CaseError`.

>>> from iptcore import load_case, dump_case
>>> doc = {"format": "iptcore.case/1", "id": "fictional-1", "assessed": "2026-03-02",
...        "onset": "2025-12-01", "people": [{"id": "sam", "role": "friend", "closeness": 2}]}
>>> case = load_case(doc)
>>> dump_case(case) == doc
True
>>> load_case({**doc, "onset": "2026-13-01", "people": [{"id": "sam", "role": "pal"}]})
Traceback (most recent call last):
...
iptcore.errors.CaseError: invalid case, 3 problems: onset: '2026-13-01' is not a real calendar date; people[0].role: must be one of partner, spouse, ex_partner, parent, child, sibling, relative, friend, coworker, boss, neighbour, teacher, classmate, clinician, community, other, got 'pal'; people[0].closeness: is required
"""

from __future__ import annotations

import enum
import functools
import json
import math
import os
import re
import stat
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from iptcore._checks import refusal
from iptcore._fields import (
    Broken,
    Invalid,
    Kind,
    Reader,
    abridge,
    assembler,
    list_reader,
    newer_major,
    object_reader,
    reader,
    refused,
    schema_defs,
    thaw_json,
)
from iptcore.case import (
    CASE_FORMAT,
    Case,
    Dispute,
    Event,
    EventKind,
    Measure,
    Patient,
    PatientScreening,
    Person,
    Tie,
    _Model,
)
from iptcore.errors import CaseError, IptError, Problem
from iptcore.limits import DEFAULT_LIMITS, Limits
from iptcore.measures import Instrument, item_maxima

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "case_schema",
    "converter",
    "dump_case",
    "load_case",
    "read_document",
]

#: The largest case file :func:`load_case` reads, in bytes (a setting: ``max_bytes=``, or the
#: ``max_bytes`` of :class:`~iptcore.limits.Limits`).
DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes

_FORMAT_RE = re.compile(r"iptcore\.case/([0-9]+)(?:\.[0-9]+)*")
_MAJOR = 1


# --------------------------------------------------------------------------------------------
# The field table of each class, read from its attrs fields
# --------------------------------------------------------------------------------------------


@attrs.frozen
class _Spec:
    key: str
    required: bool
    kind: Kind | None
    model: type[_Model] | None
    many: bool


_CLASSES: Mapping[str, type[_Model]] = MappingProxyType(
    {
        cls.__name__: cls
        for cls in (PatientScreening, Patient, Dispute, Person, Tie, Event, Measure, Case)
    }
)


def _field_specs(cls: type[Any]) -> dict[str, _Spec]:
    out = {}
    for field in attrs.fields(cls):
        if not field.init:
            continue
        model_name = field.metadata.get("model")
        out[field.name] = _Spec(
            key=field.name,
            required=field.default is attrs.NOTHING,
            kind=field.metadata.get("kind"),
            model=_CLASSES[model_name] if model_name else None,
            many=bool(field.metadata.get("many")),
        )
    return out


_SPECS: Mapping[type[Any], Mapping[str, _Spec]] = MappingProxyType(
    {cls: MappingProxyType(_field_specs(cls)) for cls in _CLASSES.values()}
)


def _specs(cls: type[Any]) -> Mapping[str, _Spec]:
    return _SPECS[cls]


_WHAT: Mapping[str, str] = MappingProxyType(
    {
        "PatientScreening": "the screening",
        "Patient": "the patient",
        "Dispute": "a dispute",
        "Person": "a person",
        "Tie": "a tie",
        "Event": "an event",
        "Measure": "a measure",
        "Case": "a case",
    }
)


def _shape_reader(cls: type[_Model], readers: Mapping[str, Reader]) -> Reader:
    """The reader of ``cls``: its attrs fields walked by the one generic object reader."""
    fields = []
    for key, spec in _specs(cls).items():
        read: Reader
        if spec.kind is not None:
            read = reader(spec.kind)
        else:
            assert spec.model is not None  # a field is a kind or a model
            child = readers[spec.model.__name__]
            read = list_reader(child) if spec.many else child
        fields.append((key, read, spec.required))
    also = frozenset({"format"}) if cls is Case else frozenset()
    # A class without rules of its own is not asked for them.
    rules = cls.rules if "rules" in vars(cls) else None
    return object_reader(_WHAT[cls.__name__], tuple(fields), assembler(cls), rules, also=also)


def _shape_readers() -> Mapping[str, Reader]:
    readers: dict[str, Reader] = {}
    for name, cls in _CLASSES.items():  # children before the classes that hold them
        readers[name] = _shape_reader(cls, readers)
    return MappingProxyType(readers)


#: The reader of each class of the case model, by class name (the plan and course files read their
#: measures with the case file's reader).
model_readers = _shape_readers()
_READ_CASE = model_readers["Case"]


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _read_case(doc: object, limits: Limits = DEFAULT_LIMITS) -> Case:
    if not isinstance(doc, Mapping):
        raise CaseError([refused("a case must be a JSON object", doc).problem("")])
    problems: list[Problem] = []
    fmt = doc.get("format")
    if "format" not in doc:
        problems.append(Problem(path="format", message=f'is required: "{CASE_FORMAT}"'))
    else:
        match = _FORMAT_RE.fullmatch(fmt) if isinstance(fmt, str) else None
        if match is None or fmt != CASE_FORMAT:
            if match is not None and newer_major(match.group(1), _MAJOR):
                message = (
                    f"this case is {abridge(str(fmt))}, a newer major version than this iptcore reads "
                    f"({CASE_FORMAT}); upgrade iptcore to read it"
                )
                newer = f"is a newer major version than this iptcore reads ({CASE_FORMAT})"
                raise CaseError([Problem(path="format", message=message, redacted_message=newer)])
            must = f"must be {CASE_FORMAT!r}, the format this iptcore reads"
            problems.append(refused(must, fmt).problem("format"))
    # A hostile document is refused by its sizes before any of its entries is read.
    over = limits.document_problems(doc)
    if over:
        raise CaseError(problems + over)
    try:
        result: Case = _READ_CASE(doc)
    except Broken as exc:
        raise CaseError(problems + exc.problems) from None
    if problems:
        raise CaseError(problems)
    return result


class _Refused(Invalid):
    """A JSON text that the case format refuses before it is even a document."""


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(
                f"the key {key!r} is given twice in one object",
                redacted="a key is given twice in one object",
            )
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not allowed: JSON numbers must be finite")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(
            f"the number {text[:40]} is too large to be finite",
            redacted="a number is too large to be finite",
        )
    return value


def _parse(text: str) -> Any:
    if text.startswith("\ufeff"):  # a byte order mark is not data (RFC 8259 lets parsers skip it)
        text = text[1:]
    try:
        return json.loads(
            text, object_pairs_hook=_object_pairs, parse_constant=_constant, parse_float=_float
        )
    except _Refused as exc:
        raise CaseError([exc.problem("")]) from None
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise CaseError([Problem(path="", message=message)]) from None
    except RecursionError:
        raise CaseError(
            [Problem(path="", message="is not a case: its brackets nest far too deeply")]
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        problem = Problem(
            path="", message=f"is not valid JSON: {exc}", redacted_message="is not valid JSON"
        )
        raise CaseError([problem]) from None


def _too_big(size: int, limit: int) -> CaseError:
    return CaseError(
        [
            Problem(
                path="",
                message=f"is {size:,} bytes, more than the limit of {limit:,} (max_bytes)",
            )
        ]
    )


def _read_file(path: str | bytes, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    Anything that is not a regular file (a FIFO, a device such as ``/dev/zero``, a directory, a
    socket) is refused by its kind before it is read: opened without blocking and looked at with
    ``fstat``, so that a FIFO with no writer cannot hang the reader.
    """
    shown = repr(os.fsdecode(path))  # the caller's own name, in full

    def cannot(exc: OSError) -> CaseError:
        # The name, and an error without a reason of its own (which may quote it), are left out
        # of the redacted form: a file may be named after its patient.
        message = f"cannot read the file {shown}: {exc.strerror or exc}"
        bare = f"cannot read the file: {exc.strerror or 'the system refused it'}"
        return CaseError([Problem(path="", message=message, redacted_message=bare)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise cannot(exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = f"it is {_file_kind(info.st_mode)}, not a regular file"
            message = f"cannot read {shown}: {kind}"
            raise CaseError(
                [
                    Problem(
                        path="", message=message, redacted_message=f"cannot read the file: {kind}"
                    )
                ]
            )
        if info.st_size > max_bytes:
            raise _too_big(info.st_size, max_bytes)
        # At most one byte past the limit (a file that grows while it is read is still refused),
        # in chunks, so that a huge max_bytes allocates nothing.
        wanted = max_bytes + 1
        chunks = []
        while wanted > 0:
            chunk = os.read(fd, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise cannot(exc) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    return data


def _file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _names_a_file(text: str) -> bool:
    """Whether ``text``, which is not JSON, looks like the name of an existing file (never read)."""
    if text.lstrip().startswith("{") or len(text) > 4096 or "\0" in text or "\n" in text:
        return False
    try:
        return os.path.isfile(text)
    except (OSError, ValueError):
        return False


def read_document(source: object, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The JSON document of ``source``: a dict, a JSON str/bytes, or a path to a file.

    The first step of :func:`load_case`, public so that the other files in the case file's style
    (plans, courses) read their input the same way: size limit, UTF-8, no ``NaN``, no key twice.

    Raises:
        CaseError: for anything that is not such a document, at path ``""``.
    """
    if isinstance(source, Mapping):
        return source
    if isinstance(source, str):
        if len(source) > max_bytes or len(source.encode("utf-8", "surrogatepass")) > max_bytes:
            raise _too_big(len(source.encode("utf-8", "surrogatepass")), max_bytes)
        try:
            return _parse(source)
        except CaseError:
            if _names_a_file(source):
                advice = "pass a file's path as a pathlib.Path (or another os.PathLike)"
                message = (
                    f"is not valid JSON: a str is JSON text, and {source!r} names a file; {advice}"
                )
                bare = f"is not valid JSON: a str is JSON text, and this one names a file; {advice}"
                raise CaseError(
                    [Problem(path="", message=message, redacted_message=bare)]
                ) from None
            raise
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_big(len(data), max_bytes)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"is not UTF-8 text: byte {exc.start} cannot be decoded"
            raise CaseError([Problem(path="", message=message)]) from None
        return _parse(text)
    if isinstance(source, os.PathLike):
        return read_document(_read_file(os.fspath(source), max_bytes), max_bytes)
    kind = "None" if source is None else type(source).__name__
    raise CaseError(
        [
            Problem(
                path="",
                message=(
                    "expected a case as a dict, JSON text (str or bytes) or a path to a JSON "
                    f"file (os.PathLike), got {kind}"
                ),
            )
        ]
    )


def load_case(
    source: object, *, max_bytes: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> Case:
    """Read a case from a ``dict``, a JSON ``str``/``bytes``, or an ``os.PathLike`` to a JSON file.

    A plain ``str`` is always JSON text; pass a file name as a :class:`pathlib.Path`.

    Args:
        source: the case document.
        max_bytes: the largest JSON text or file accepted; ``limits.max_bytes`` (10 MB) when not
            given.
        limits: the documented limits on a case's size (:mod:`iptcore.limits`): people, ties,
            events, measures, notes and the length of a text. A document past one is refused by
            its sizes before its entries are read.

    Returns:
        The :class:`~iptcore.Case`.

    Raises:
        CaseError: for any invalid input, listing every problem with its JSON path.
        IptError: for ``max_bytes`` or ``limits`` of the wrong type or value (an argument, not the
            document).

    >>> load_case('{"format": "iptcore.case/2", "id": "x"}')
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid case, 1 problem: format: this case is iptcore.case/2, a newer major version than this iptcore reads (iptcore.case/1); upgrade iptcore to read it
    """
    if not isinstance(limits, Limits):
        raise refusal("limits", "a Limits value", limits)
    if max_bytes is None:
        max_bytes = limits.max_bytes
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise refusal("max_bytes", "a positive integer", max_bytes)
    try:
        return _read_case(read_document(source, max_bytes), limits)
    except RecursionError:
        raise CaseError(
            [Problem(path="", message="is not a case: it nests far too deeply")]
        ) from None


# --------------------------------------------------------------------------------------------
# Dumping: the one converter
# --------------------------------------------------------------------------------------------


@functools.cache
def converter() -> cattrs.Converter:
    """The cattrs converter that knows the whole case model (built on first use).

    Unstructuring writes the case file's form: dates as ``YYYY-MM-DD``, enums as their words, lists
    for tuples, ``extensions`` verbatim, and fields the case does not have (``None``, empty lists)
    left out. Structuring a document (``converter().structure(doc, Case)``) is :func:`load_case`'s
    checked walk, so the two entry points cannot disagree.
    """
    import datetime

    import cattrs
    from cattrs.gen import make_dict_unstructure_fn, override

    conv = cattrs.Converter()
    conv.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    # An enum is written as its word, a plain str (not the member: a StrEnum is a str subclass,
    # which cattrs would pass through as it is).
    conv.register_unstructure_hook(enum.StrEnum, _word)
    for cls in _CLASSES.values():
        overrides: dict[str, Any] = {}
        if cls is Case:
            overrides = {
                "_inventory": override(omit=True),
                "extensions": override(unstruct_hook=thaw_json),
            }
        conv.register_unstructure_hook(
            cls,
            make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **overrides),
        )
    conv.register_structure_hook(Case, lambda doc, _: _read_case(doc))
    return conv


def _word(member: enum.Enum) -> Any:
    return member.value


def dump_case(case: Case) -> dict[str, Any]:
    """The case as a JSON-ready ``dict`` in the case format; ``load_case(dump_case(c)) == c``.

    Every value the case holds comes back at the place it was read from; optional fields that it
    does not have (and empty lists) are left out. The result is plain JSON builtins (``dict``,
    ``list``, ``str``, ``int``, ``bool``): an enum is its word as a ``str``, a date its
    ``YYYY-MM-DD`` text.

    Raises:
        IptError: if ``case`` is not a :class:`~iptcore.Case`.
    """
    if not isinstance(case, Case):
        raise IptError(f"dump_case needs a Case, got {type(case).__name__}")
    body: dict[str, Any] = converter().unstructure(case)
    return {"format": CASE_FORMAT, **body}


# --------------------------------------------------------------------------------------------
# The JSON Schema
# --------------------------------------------------------------------------------------------

_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "PatientScreening": "What was assessed for suitability and safety (absent: not assessed)",
        "Patient": "The patient (every field optional)",
        "Dispute": "An open or past disagreement with a person",
        "Person": "A person of the interpersonal inventory",
        "Tie": "A relationship between two people of the inventory",
        "Event": "An event of the timeline",
        "Measure": "A symptom scale taken on a date",
    }
)


def _class_schema(cls: type[Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required = []
    for key, spec in _specs(cls).items():
        if spec.required:
            required.append(key)
        if spec.kind is not None:
            properties[key] = spec.kind.schema()
        elif spec.model is not None:
            ref = {"$ref": f"#/$defs/{spec.model.__name__}"}
            properties[key] = {"type": "array", "items": ref} if spec.many else ref
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    for rule in _EXTRA.get(cls.__name__, ()):
        rule(out)
    return out


def _tie_rules(schema: dict[str, Any]) -> None:
    schema["properties"]["between"] = {
        "type": "array",
        "items": {"$ref": "#/$defs/id"},
        "minItems": 2,
        "maxItems": 2,
        "uniqueItems": True,
        "description": "two different person ids",
    }


def _event_rules(schema: dict[str, Any]) -> None:
    death = {"properties": {"kind": {"const": EventKind.DEATH.value}}, "required": ["kind"]}
    schema["properties"]["mourning"]["default"] = "ongoing"
    schema["allOf"] = [
        {
            "if": death,
            "then": {"required": ["person"], "not": {"required": ["coping"]}},
            "else": {"not": {"required": ["mourning"]}},
        },
        {
            "if": {
                "properties": {"kind": {"const": EventKind.OTHER_CHANGE.value}},
                "required": ["kind"],
            },
            "then": {"required": ["description"]},
        },
    ]


def _measure_rules(schema: dict[str, Any]) -> None:
    cases = []
    for instrument in Instrument:
        maxima = item_maxima(instrument)
        items = {
            "prefixItems": [
                {"type": ["integer", "null"], "minimum": 0, "maximum": top} for top in maxima
            ],
            "items": False,
            "minItems": len(maxima),
            "maxItems": len(maxima),
        }
        cases.append(
            {
                "if": {
                    "properties": {"instrument": {"const": instrument.value}},
                    "required": ["instrument"],
                },
                "then": {"properties": {"items": items}},
            }
        )
    schema["allOf"] = cases


def _dispute_rules(schema: dict[str, Any]) -> None:
    schema["properties"]["expectations"]["default"] = "nonreciprocal"
    schema["properties"]["conflict"]["default"] = "overt"


_EXTRA: Mapping[str, tuple[Callable[[dict[str, Any]], None], ...]] = MappingProxyType(
    {
        "Tie": (_tie_rules,),
        "Event": (_event_rules,),
        "Measure": (_measure_rules,),
        "Dispute": (_dispute_rules,),
    }
)


def case_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the case format, for apps in other languages.

    Every document :func:`load_case` accepts is valid under it. The cross-field rules (dates in order
    and not after ``assessed``, unique ids, references that resolve) are :func:`load_case`'s alone,
    and so are two things JSON Schema cannot say: that ``1.0`` is not an integer, and (unless the
    validator asserts ``"format": "date"``) that a date is a real calendar date.
    A new ``dict`` each call: change it freely.

    >>> schema = case_schema()
    >>> schema["properties"]["format"]
    {'const': 'iptcore.case/1'}
    >>> schema["$defs"]["Person"]["properties"]["closeness"]
    {'type': 'integer', 'minimum': 1, 'maximum': 4, 'description': 'ring, 1 = innermost'}
    """
    top = _class_schema(Case)
    top["properties"] = {"format": {"const": CASE_FORMAT}, **top["properties"]}
    top["required"] = ["format", *top["required"]]
    defs = schema_defs()
    for name, cls in _CLASSES.items():
        if cls is not Case:
            defs[name] = {"title": _TITLES[name], **_class_schema(cls)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://iptcore.invalid/schema/iptcore.case-1.json",
        "title": "An IPT case (iptcore.case/1)",
        "description": "The interpersonal inventory, timeline and measures of an IPT case.",
        **top,
        "$defs": defs,
    }
