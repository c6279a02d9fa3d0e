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
import sys
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from iptcore._checks import refusal
from iptcore._fields import (
    Broken,
    Kind,
    Reader,
    abridge,
    assembler,
    describe,
    key_path,
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
from iptcore.errors import HIDDEN_KEY, CaseError, IptError, Problem
from iptcore.limits import DEFAULT_LIMITS, Limits
from iptcore.measures import Instrument, item_maxima

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "case_schema",
    "converter",
    "dump_case",
    "json_size",
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


def _field_specs(cls: type[Any]) -> dict[str, _Spec]:  # pragma: no mutate block
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


def _shape_reader(
    cls: type[_Model], readers: Mapping[str, Reader]
) -> Reader:  # pragma: no mutate block
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


def _shape_readers() -> Mapping[str, Reader]:  # pragma: no mutate block
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


def _read_case(doc: object, limits: Limits = DEFAULT_LIMITS, *, measured: bool = False) -> Case:
    """The case of the document ``doc``, refused past ``limits``; unless ``measured`` (a text within
    ``max_bytes``), its size as iptcore writes it is measured too: its texts and ``extensions``
    before its entries are read (a dict built in Python may hold one list many times), the whole
    once it reads as a case (at C speed)."""
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
    over, chars, marks = limits.document_sizes(doc)
    extensions = None
    if not measured and not over and "extensions" in doc:
        extensions = json_size(doc["extensions"], limits.max_bytes)
        if extensions > limits.max_bytes:
            over = [_too_big(extensions, limits.max_bytes, written=True, at_least=True).problems[0]]
    if over:
        raise CaseError(problems + over)
    try:
        result: Case = _READ_CASE(doc)
    except Broken as exc:
        raise CaseError(problems + exc.problems) from None
    if problems:
        raise CaseError(problems)
    if not measured:
        # Measured only when the sizes so far cannot tell it is within the limit (the usual case
        # is a few kilobytes under a limit of megabytes).
        most = _at_most(doc, chars, marks) + (extensions or 0)  # its key is in _LARGEST
        if most > limits.max_bytes:
            size = _written_bytes(doc, extensions)
            if size > limits.max_bytes:
                raise _too_big(size, limits.max_bytes, written=True)
    return result


class _Refused:
    """A value that the JSON text holds and the case format refuses (``NaN``, a number too large to
    be finite), left in its place while the text is parsed, so that its path can be told."""

    __slots__ = ("message", "redacted")

    def __init__(self, message: str, redacted: str) -> None:
        self.message = message
        self.redacted = redacted


class _Repeated(dict[str, Any]):
    """A JSON object that gives a key more than once: its keys with how often each is given."""

    __slots__ = ("repeated",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
        self.repeated = [(key, n) for key, n in counts.items() if n > 1]


class _Reading:
    """What :func:`json.loads` met in one text that the case format refuses, or must measure
    again: its hooks leave a refused value in its place, and note that there is one to find."""

    __slots__ = ("floats", "refused")

    def __init__(self) -> None:
        self.floats = False  # a number json writes back in its own way (1e15: 1000000000000000.0)
        self.refused = False

    def pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):
            return out
        self.refused = True
        return _Repeated(pairs)

    def constant(self, name: str) -> Any:
        self.refused = True
        return _Refused(
            f"{name} is not allowed: JSON numbers must be finite",
            "a constant is not allowed: JSON numbers must be finite",
        )

    def number(self, text: str) -> Any:
        value = float(text)
        self.floats = True
        if math.isfinite(value):
            return value
        self.refused = True
        return _Refused(
            f"the number {text[:40]} is too large to be finite",
            "a number is too large to be finite",
        )


def _refusals(doc: Any) -> list[Problem]:
    """Every refused value and repeated key of a parsed text, at its JSON path, in the order of
    the text (walked with a stack of its own: the text may nest as deep as json.loads allows).

    The redacted path of each (:meth:`Problem.redacted`) shows the case format's own fields and
    the indices of lists, and every other key as :data:`~iptcore.errors.HIDDEN_KEY`: the keys of
    ``extensions``, an unknown key and all below it are the input's own."""
    problems: list[Problem] = []
    # (path, redacted path, value, the model whose fields the value's keys are, if any)
    stack: list[tuple[str, str, Any, type[_Model] | None]] = [("", "", doc, Case)]
    while stack:
        path, hidden, value, model = stack.pop()
        if isinstance(value, _Refused):
            problems.append(
                Problem(
                    path=path,
                    message=value.message,
                    redacted_path=hidden,
                    redacted_message=value.redacted,
                )
            )
        elif isinstance(value, dict):
            for key, n in getattr(value, "repeated", ()):
                times = "twice" if n == 2 else f"{n} times"
                problems.append(
                    Problem(
                        path=path,
                        message=f"the key {describe(key)} is given {times} in one object",
                        redacted_path=hidden,
                        redacted_message=f"a key is given {times} in one object",
                    )
                )
            specs = _specs(model) if model is not None else {}
            children = []
            for key, item in value.items():
                spec = specs.get(key)
                shown = _key_within(hidden, key) if spec is not None else _hidden_within(hidden)
                inner = spec.model if spec is not None else None
                children.append((_key_within(path, key), shown, item, inner))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(
                (f"{path}[{i}]", f"{hidden}[{i}]", item, model)
                for i, item in reversed(list(enumerate(value)))
            )
    return problems


def _key_within(path: str, key: str) -> str:
    """The path of ``key`` of the object at ``path``."""
    return Problem(path=key_path(key), message="").within(path).path


def _hidden_within(path: str) -> str:
    """The redacted path of a key of the input's own in the object at ``path``."""
    return Problem(path=HIDDEN_KEY, message="").within(path).path


def _parse(text: str) -> tuple[Any, bool]:
    """The document of a JSON text, and whether it holds a float (which json may write longer
    than the text did: ``1e15`` is ``1000000000000000.0``)."""
    if text.startswith("\ufeff"):  # a byte order mark is not data (RFC 8259 lets parsers skip it)
        text = text[1:]
    reading = _Reading()
    try:
        doc = json.loads(
            text,
            object_pairs_hook=reading.pairs,
            parse_constant=reading.constant,
            parse_float=reading.number,
        )
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
    if reading.refused:
        raise CaseError(_refusals(doc))
    return doc, reading.floats


# --------------------------------------------------------------------------------------------
# The size of a document: the bytes of the JSON it is written as
# --------------------------------------------------------------------------------------------

#: How deep :func:`json_size` follows lists and objects: far below what a case, plan or course
#: file allows (``extensions`` nest at most 64 levels), and what is deeper is refused by its reader.
_MEASURED_DEPTH = 256


def _text_bytes(text: str) -> int:
    """The bytes of ``text`` as a JSON string in UTF-8, quotes and escapes included."""
    return len(encode_basestring(text).encode("utf-8", "surrogatepass"))


def _scalar_bytes(value: object) -> int:
    """The bytes of a JSON scalar as json writes it (0 for what is no JSON value: its reader
    refuses it)."""
    if isinstance(value, str):
        return _text_bytes(value)
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    if isinstance(value, int):
        try:
            return len(int.__repr__(value))
        except ValueError:  # past Python's 4,300 digits: refused by every reader, so about
            return math.floor(value.bit_length() * math.log10(2)) + 1
    if isinstance(value, float):
        if math.isfinite(value):
            return len(float.__repr__(value))
        return 3 if math.isnan(value) else len("Infinity") + (value < 0)  # refused by every reader
    return 0


def json_size(value: object, most: int) -> int:
    """The bytes of ``value`` written as compact JSON in UTF-8, as
    ``json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()`` writes them; or,
    as soon as they are known to be more than ``most``, a number above ``most``.

    Each distinct list or object is measured once (by identity): a value built in Python that
    holds one list many times, as YAML anchors make, is measured without being unfolded, and no
    more than about ``most`` bytes are ever counted one by one. Mappings count as objects and
    tuples as lists, as the readers take them.

    >>> doc = {"name": "Zoë", "notes": ["a", "b"], "born": 1980}
    >>> json_size(doc, 1_000), len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    (45, 45)
    >>> shared = ["x" * 100] * 100
    >>> json_size({"a": [shared] * 1_000}, 10_000_000) > 10_000_000
    True
    """
    if not isinstance(value, Mapping | list | tuple):
        return _scalar_bytes(value)
    memo: dict[int, int] = {}
    running = 0  # every byte counted so far, as if the value were unfolded

    def opened(obj: Any) -> list[Any]:
        """A frame of the walk: the container, the iterator of its values, its bytes so far."""
        nonlocal running
        n = len(obj)
        own = 2 + max(n - 1, 0)  # brackets and commas
        if isinstance(obj, Mapping):
            # keys, colons; json writes a number, boolean or null key as a string ({1: 2} is
            # '{"1":2}'), and refuses others, as every reader does
            own += sum(_text_bytes(k) if isinstance(k, str) else _scalar_bytes(k) + 2 for k in obj)
            own += n
            values = iter(obj.values())
        else:
            values = iter(obj)
        running += own
        return [obj, values, own]

    stack = [opened(value)]
    while stack and running <= most:
        frame = stack[-1]
        for item in frame[1]:
            if isinstance(item, Mapping | list | tuple):
                known = memo.get(id(item))
                if known is None and len(stack) < _MEASURED_DEPTH:
                    stack.append(opened(item))
                    break
                size = 2 if known is None else known  # deeper than any file allows: refused
            elif isinstance(item, str) and len(item) > 64:
                known = memo.get(id(item))
                size = known if known is not None else memo.setdefault(id(item), _text_bytes(item))
            else:
                size = _scalar_bytes(item)
            frame[2] += size
            running += size
            if running > most:
                return running
        else:
            stack.pop()
            memo[id(frame[0])] = frame[2]
            if stack:
                stack[-1][2] += frame[2]
    return running


def _written_bytes(doc: Mapping[str, Any], extensions: int | None) -> int:
    """The bytes of a case document that its reader accepted, written as compact UTF-8 JSON, at C
    speed; ``extensions`` is the size of its ``extensions`` (measured apart, by :func:`json_size`,
    since they may hold anything), ``None`` without them."""
    if extensions is not None:
        doc = {key: value for key, value in doc.items() if key != "extensions"}
    text = json.dumps(
        doc, ensure_ascii=False, separators=(",", ":"), check_circular=False, default=dict
    )
    size = len(text.encode("utf-8", "surrogatepass"))
    if extensions is not None:
        # An accepted case holds other keys (its format, its id), so a comma comes before.
        size += len(',"extensions":') + extensions
    return size


# --------------------------------------------------------------------------------------------
# The largest a valid entry is as JSON, its free texts apart
# --------------------------------------------------------------------------------------------

#: The largest values that the case's rules, not their kinds, bound: ``born`` is a year from 1900 to
#: that of ``assessed`` (:class:`~iptcore.Case`), and a tie is ``between`` two ids
#: (:class:`~iptcore.Tie`): two ids of 64 characters, quoted, and their comma and brackets.
_RULED: Mapping[tuple[str, str], int] = MappingProxyType(
    {("Patient", "born"): 4, ("Tie", "between"): 2 + 2 * 66 + 1}
)


def _largest_value(cls: type[Any], key: str, kind: Kind) -> int:  # pragma: no mutate block
    """The most bytes a valid value of ``kind`` takes as compact JSON; of a free text (``str``, a
    list of ``strs``) nothing but a list's brackets, since :meth:`Limits.document_sizes` counts
    the texts with their quotes and commas."""
    name = kind.name
    ruled = _RULED.get((cls.__name__, key))
    if ruled is not None:
        return ruled
    if name == "id":
        return 64 + 2
    if name == "date":
        return len('"YYYY-MM-DD"')
    if name == "bool":
        return len("false")
    if name == "enum":
        assert kind.enum is not None  # the field table gives every enum kind its class
        return max(_text_bytes(member.value) for member in kind.enum)
    if name == "int" and kind.low is not None and kind.high is not None:
        return max(len(str(kind.low)), len(str(kind.high)))
    if name == "items":  # brackets, and each item a small score or null, with a comma between
        return 1 + max(len(item_maxima(instrument)) for instrument in Instrument) * len("null,")
    if name == "str":
        return 0
    if name == "strs":
        return 2
    if name == "json":  # extensions: measured apart, as they may hold anything
        return 0
    raise AssertionError(f"{cls.__name__}.{key}: no largest size for kind {name!r}")  # a bug


def _largest(cls: type[_Model]) -> int:  # pragma: no mutate block
    """The most bytes a valid ``cls`` takes as compact JSON, but for its free texts and the
    entries of its lists (counted by themselves)."""
    size = 1  # braces, less the comma that the first field has not
    for key, spec in _specs(cls).items():
        if spec.model is not None:
            value = 2 if spec.many else _largest(spec.model)
        else:
            assert spec.kind is not None  # a field is a kind or a model
            value = _largest_value(cls, key, spec.kind)
        size += len(key) + len('"":,') + value
    return size


_LARGEST: Mapping[str, int] = MappingProxyType(
    {name: _largest(cls) for name, cls in _CLASSES.items()}
)
_ENTRY_LISTS: tuple[tuple[str, int], ...] = tuple(
    (key, _LARGEST[spec.model.__name__] + 1)
    for key, spec in _specs(Case).items()
    if spec.many and spec.model is not None
)


def _at_most(doc: Mapping[str, Any], chars: int, marks: int) -> int:
    """The most bytes that a valid case document takes as compact JSON, ``extensions`` apart,
    given the characters of its free texts and their quotes and commas
    (:meth:`Limits.document_sizes`): a character is at most six bytes (``\\u0001``), every other
    value at most its largest."""
    size = 6 * chars + marks + _LARGEST["Case"] + len(f'"format":"{CASE_FORMAT}",')
    for key, most in _ENTRY_LISTS:
        entries = doc.get(key)
        if entries:
            size += len(entries) * most
    return size


def _too_big(size: int, limit: int, *, written: bool = False, at_least: bool = False) -> CaseError:
    """The refusal of a document of ``size`` bytes: of its own text or file, or ``written`` as
    compact UTF-8 JSON (a dict, or a text whose numbers json writes longer); ``at_least`` when
    they were counted until they passed the limit (or read until then: a file that grew)."""
    how = " as compact JSON in UTF-8" if written else ""
    message = (
        f"is {'at least ' if at_least else ''}{size:,} bytes{how}, more than the limit of "
        f"{limit:,} (max_bytes)"
    )
    return CaseError([Problem(path="", message=message)])


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
    if len(data) > max_bytes:  # it grew while it was read
        raise _too_big(len(data), max_bytes, at_least=True)
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


def _document(source: object, max_bytes: int) -> tuple[Any, bool]:
    """The JSON document of ``source``, and whether its size as iptcore writes it (compact JSON in
    UTF-8) is known to be within ``max_bytes``: a text's size is its own, and iptcore writes none
    larger unless it holds a float (``1e15`` is written ``1000000000000000.0``), measured then. A
    dict is left for the caller to measure."""
    if isinstance(source, Mapping):
        return source, False
    if isinstance(source, str):
        if len(source) > max_bytes or len(source.encode("utf-8", "surrogatepass")) > max_bytes:
            raise _too_big(len(source.encode("utf-8", "surrogatepass")), max_bytes)
        try:
            doc, floats = _parse(source)
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
        return _measured(doc, floats, max_bytes), True
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_big(len(data), max_bytes)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"is not UTF-8 text: byte {exc.start} cannot be decoded"
            raise CaseError([Problem(path="", message=message)]) from None
        doc, floats = _parse(text)
        return _measured(doc, floats, max_bytes), True
    if isinstance(source, os.PathLike):
        return _document(_read_file(os.fspath(source), max_bytes), max_bytes)
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


def _measured(doc: Any, floats: bool, max_bytes: int) -> Any:
    """``doc``, parsed from a text within ``max_bytes``, unless its floats make it larger as iptcore
    writes it."""
    if floats:  # measured in full: a parsed text holds no value twice, so this is linear
        size = json_size(doc, sys.maxsize)
        if size > max_bytes:
            raise _too_big(size, max_bytes, written=True)
    return doc


def read_document(source: object, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The JSON document of ``source``: a dict, a JSON str/bytes, or a path to a file.

    The first step of :func:`load_case`, public so that the other files in the case file's style
    (plans, courses) read their input the same way: no ``NaN``, no key twice (each refused at its
    JSON path), UTF-8, and at most ``max_bytes``: the bytes of a text or file, and of a dict the
    bytes of the compact JSON in UTF-8 that it stands for
    (``json.dumps(doc, ensure_ascii=False, separators=(",", ":"))``), so that a dict and its file
    are accepted alike, and whatever is accepted can be written that way and read again.

    Raises:
        CaseError: for anything that is not such a document, at path ``""`` (or at the path of a
            value that JSON does not allow, or of an object that gives a key twice).
    """
    doc, measured = _document(source, max_bytes)
    if not measured:
        size = json_size(doc, max_bytes)
        if size > max_bytes:
            raise _too_big(size, max_bytes, written=True, at_least=True)
    return doc


def load_case(
    source: object, *, max_bytes: int | None = None, limits: Limits = DEFAULT_LIMITS
) -> Case:
    """Read a case from a ``dict``, a JSON ``str``/``bytes``, or an ``os.PathLike`` to a JSON file.

    A plain ``str`` is always JSON text; pass a file name as a :class:`pathlib.Path`.

    Args:
        source: the case document.
        max_bytes: the largest JSON text or file accepted, in bytes of UTF-8; a dict is measured
            as the compact JSON it stands for (:func:`read_document`), so that whatever loads can
            be written that way and read back. ``limits.max_bytes`` (10 MB) when not given.
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
    if max_bytes != limits.max_bytes:
        limits = limits.evolve(max_bytes=max_bytes)
    try:
        doc, measured = _document(source, max_bytes)
        return _read_case(doc, limits, measured=measured)
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
