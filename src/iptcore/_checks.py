"""The checks and converters that iptcore's frozen values share: the one vocabulary of value checks.

An enum from its word, texts, flags, whole numbers and tuples of a type: each check is an attrs
validator (or converter) whose refusal is an :class:`~iptcore.errors.IptError` naming the field, so
that a bad value never leaks a ``TypeError`` or ``ValueError``. A validator is a small frozen class
whose call does the check, as attrs' own validators are (``attrs.validators.instance_of``): the
class is made once, where a field is declared, and its check runs each time a value is validated. Every refusal has the one form of
the case file's problems, ``path: message`` (:data:`FORM`: ``"closeness: must be a whole number,
got 7"``), so that a file reader can place a value's refusal at its JSON path
(:func:`iptcore.errors.Problem`) and a message reads the same wherever it comes from. The names
:data:`FIELD`, :data:`COLON` and :data:`OWNER` are that same form, for the callers that name one.

This module is on the ground floor: it imports only :mod:`iptcore.errors`, :mod:`iptcore.terms`,
attrs and the standard library.

>>> import attrs
>>> from iptcore.terms import Phase
>>> @attrs.frozen(kw_only=True)
... class Step:  # a fictional value, for the example
...     part: Phase = attrs.field(converter=phase, validator=instance_of(Phase, "a Phase"))
...     notes: tuple[str, ...] = attrs.field(default=(), converter=as_tuple, validator=texts())
>>> Step(part="middle", notes=["agenda"])
Step(part=<Phase.MIDDLE: 'middle'>, notes=('agenda',))
>>> Step(part="muddle")
Traceback (most recent call last):
    ...
iptcore.errors.IptError: part: must be a Phase, got 'muddle'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, NoReturn, TypeVar

import attrs

from iptcore.errors import IptError
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "COLON",
    "FIELD",
    "FORM",
    "NOT_UNICODE",
    "OWNER",
    "Validator",
    "area",
    "argument",
    "as_tuple",
    "flag",
    "free_text",
    "instance_of",
    "kind_of",
    "member",
    "not_unicode",
    "phase",
    "refusal",
    "refuse",
    "stage",
    "text",
    "texts",
    "tuple_from",
    "tuple_of",
    "whole",
    "word",
]

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")

#: An attrs validator: ``check(instance, attribute, value)`` returns or raises.
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: The one form of a refusal, ``"title: must be a string, got 3"``: the case file's ``path: message``.
FORM = "{field}: must be {must}, got {value!r}"
#: The same form (for callers that name one).
FIELD = COLON = OWNER = FORM


def runs(numbers: Iterable[int]) -> str:
    """Whole numbers as sorted runs, for people: ``[5, 1, 2, 3]`` is ``"1-3, 5"``.

    >>> runs([5, 1, 2, 3, 3])
    '1-3, 5'
    """
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def kind_of(value: object) -> str:
    """What kind of value ``value`` is, in words that quote nothing of it: what a redacted message
    says it got (:mod:`iptcore.errors`).

    >>> kind_of("Mary"), kind_of(7), kind_of(None), kind_of({"a": 1})
    ('a string', 'an integer', 'null', 'an object')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def quote(value: object, limit: int = 60) -> str:
    """``repr(value)`` abridged for a message: a huge integer by its size, long text cut (Python
    refuses to write an integer of more than 4,300 digits as text at all).

    >>> quote(10**5000), quote(-(10**300)), quote("x" * 100)[-6:], quote(7)
    ('an integer of 5001 digits', 'a negative integer of 301 digits', 'xxx...', '7')
    """
    if isinstance(value, numbers.Integral) and abs(int(value)).bit_length() > 256:
        big = abs(int(value))
        digits = int(big.bit_length() * math.log10(2)) + 1
        if 10 ** (digits - 1) > big:
            digits -= 1
        sign = "a negative " if value < 0 else "an "
        return f"{sign}integer of {digits} digits"
    try:
        text = repr(value)
    except ValueError:  # a container holding an integer beyond the int-to-str limit
        return f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Said:
    """Stands for a value in a message's form (``{value!r}``): its repr is the words given."""

    def __init__(self, words: str) -> None:
        self.words = words

    def __repr__(self) -> str:
        return self.words


def _forms(form: str, field: str, must: str, value: object) -> tuple[str, str]:
    """The message refusing ``value`` (quoted, abridged) and its redacted form (the kind)."""
    message = form.format(field=field, must=must, value=_Said(quote(value)))
    return message, form.format(field=field, must=must, value=_Said(kind_of(value)))


def refusal(field: str, must: str, value: object) -> IptError:
    """The IptError refusing ``value`` for ``field``, in the one form; its redacted form names the
    kind of value instead of the value.

    >>> error = refusal("closeness", "a whole number from 1 to 4", 7)
    >>> str(error), error.redacted_message
    ('closeness: must be a whole number from 1 to 4, got 7', 'closeness: must be a whole number from 1 to 4, got an integer')
    """
    message, redacted = _forms(FORM, field, must, value)
    return IptError(message, redacted_message=redacted)


def refuse(form: str, attribute: attrs.Attribute[Any], must: str, value: object) -> NoReturn:
    """Raise the IptError refusing ``value`` for ``attribute`` (``form`` is :data:`FORM`).

    >>> @attrs.frozen
    ... class Visit:  # fictional
    ...     room: str
    >>> refuse(COLON, attrs.fields(Visit).room, "a string", 3)
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: room: must be a string, got 3
    """
    message, redacted = _forms(form, attribute.name, must, value)
    raise IptError(message, redacted_message=redacted)


def argument(name: str, value: object, kind: type[_T], what: str | None = None) -> _T:
    """``value``, when it is a ``kind``; else the IptError that every function gives for an argument
    of the wrong type, in the one form: ``"case: must be an iptcore.Case, got dict"`` (``what``
    words the kind when it is not the public class of that name). The type is named, never the
    value, so the message says nothing of the input.

    >>> argument("rules", "stuart", int)
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: rules: must be an iptcore.int, got str
    """
    if isinstance(value, kind):
        return value
    words = f"an iptcore.{kind.__name__}" if what is None else what
    raise IptError(f"{name}: must be {words}, got {type(value).__name__}")


# --------------------------------------------------------------------------------------------
# Converters: they run before the validators
# --------------------------------------------------------------------------------------------


def word(cls: type[Enum], value: Any) -> Any:
    """The member of ``cls`` for its word; anything else as given, for the validator to refuse by
    name.

    A module wraps it in a named converter for its own enums (the attrs plugin of mypy wants a
    named function); :func:`area`, :func:`stage` and :func:`phase` are the ones for
    :mod:`iptcore.terms`.

    >>> from iptcore.terms import ProblemArea
    >>> word(ProblemArea, "grief"), word(ProblemArea, "sorrow"), word(ProblemArea, 3)
    (<ProblemArea.GRIEF: 'grief'>, 'sorrow', 3)
    """
    words = cls._value2member_map_
    return words[value] if isinstance(value, str) and value in words else value


def area(value: Any) -> Any:
    """A converter: the :class:`~iptcore.terms.ProblemArea` for its word, else as given.

    >>> area("grief"), area("sorrow")
    (<ProblemArea.GRIEF: 'grief'>, 'sorrow')
    """
    return word(ProblemArea, value)


def stage(value: Any) -> Any:
    """A converter: the :class:`~iptcore.terms.DisputeStage` for its word, else as given.

    >>> stage("impasse")
    <DisputeStage.IMPASSE: 'impasse'>
    """
    return word(DisputeStage, value)


def phase(value: Any) -> Any:
    """A converter: the :class:`~iptcore.terms.Phase` for its word, else as given.

    >>> phase("middle")
    <Phase.MIDDLE: 'middle'>
    """
    return word(Phase, value)


def member(cls: type[_E], name: str, value: object) -> _E:
    """The member of ``cls`` for its word, else an IptError listing the words.

    ``name`` is the field the message names. A module wraps it in a named converter, as for
    :func:`word`.

    >>> from iptcore.terms import Phase
    >>> member(Phase, "phase", "middle")
    <Phase.MIDDLE: 'middle'>
    >>> member(Phase, "phase", "start")
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: phase: must be one of engagement, initial, middle, termination, maintenance, got 'start'
    """
    if isinstance(value, str) and value in cls._value2member_map_:
        return cls(value)
    known = ", ".join(str(m.value) for m in cls)
    raise refusal(name, f"one of {known}", value)


def as_tuple(value: Any) -> Any:
    """A converter: a list (or tuple) as a tuple; anything else as given, for the validator.

    >>> as_tuple(["a", "b"]), as_tuple("ab")
    (('a', 'b'), 'ab')
    """
    return tuple(value) if isinstance(value, list | tuple) else value


def tuple_from(kind: type[_T], what: str, value: object) -> tuple[_T, ...]:
    """Any iterable (not text) of ``kind`` as a tuple, else an IptError naming ``what`` and, for a
    bad item, its index. A module wraps it in a named converter, as for :func:`word`.

    >>> tuple_from(int, "counts", [1, 2])
    (1, 2)
    >>> tuple_from(int, "counts", [1, "2"])
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: counts[1]: must be a int, got '2'
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise refusal(what, f"a list of {kind.__name__}", value)
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise refusal(f"{what}[{i}]", f"a {kind.__name__}", item)
    return items


# --------------------------------------------------------------------------------------------
# Validators: small frozen classes whose call does the check (as attrs' own validators are), so
# that a value is checked by code that runs when it is validated, not by a closure made at import.
# Each is named as the verb it is used as (like functools.partial): ``instance_of(int, "...")``.
# --------------------------------------------------------------------------------------------


#: The values that are instances of a wider type without being what a field of it means: a bool
#: is an int and a datetime a date to isinstance, but neither where a field wants an int or a date.
_NARROWER = (bool, datetime)
_WIDER = (int, date)


@attrs.frozen
class instance_of:  # named as the call it is used as
    """A validator: the value is a ``kind`` (or ``None`` if ``optional``). A bool is not an int and
    a datetime is not a date here.

    >>> @attrs.frozen
    ... class Visit:  # fictional
    ...     number: int = attrs.field(validator=instance_of(int, "a whole number", form=COLON))
    >>> Visit(3).number
    3
    >>> Visit(True)
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: number: must be a whole number, got True
    """

    kind: type
    must: str
    form: str = attrs.field(default=FORM, kw_only=True)
    optional: bool = attrs.field(default=False, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, self.kind) or (
            isinstance(value, _NARROWER) and self.kind in _WIDER
        ):
            refuse(self.form, attribute, self.must, value)


@attrs.frozen
class flag:  # named as the call it is used as
    """A validator: the value is ``True`` or ``False`` (not 0 or 1).

    >>> @attrs.frozen
    ... class Option:  # fictional
    ...     on: bool = attrs.field(validator=flag(form=FIELD))
    >>> Option(1)
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: on: must be true or false, got 1
    """

    must: str = "true or false"
    form: str = attrs.field(default=FORM, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not True and value is not False:
            refuse(self.form, attribute, self.must, value)


@attrs.frozen
class text:  # named as the call it is used as
    """A validator: the value is a string; ``empty=False`` refuses ``""``, ``blank=False`` refuses
    ``""`` and whitespace only.

    >>> @attrs.frozen
    ... class Note:  # fictional
    ...     name: str = attrs.field(validator=text("a non-empty string", form=FIELD, blank=False))
    >>> Note(" ")
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: name: must be a non-empty string, got ' '
    """

    must: str = "a string"
    form: str = attrs.field(default=FORM, kw_only=True)
    empty: bool = attrs.field(default=True, kw_only=True)
    blank: bool = attrs.field(default=True, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            not isinstance(value, str)
            or (not self.empty and not value)
            or (not self.blank and not value.strip())
        ):
            refuse(self.form, attribute, self.must, value)


def not_unicode(raw: str) -> str | None:
    """Why ``raw`` is not Unicode text (it holds a lone surrogate, which a JSON escape such as
    ``\\ud800`` gives and UTF-8 cannot carry), or ``None`` when it is.

    >>> not_unicode("Zoë"), not_unicode("a\\ud800")
    (None, 'holds a lone surrogate (\\\\ud800) at character 1, which is not Unicode text and cannot be written as UTF-8')
    """
    if raw.isascii():
        return None
    try:
        raw.encode()  # UTF-8, str.encode's one encoding
    except UnicodeEncodeError as exc:
        return (
            f"holds a lone surrogate (\\u{ord(raw[exc.start]):04x}) at character {exc.start}, "
            f"{NOT_UNICODE}"
        )
    return None


#: The rule :func:`not_unicode` states, without the character and the place.
NOT_UNICODE = "which is not Unicode text and cannot be written as UTF-8"


@attrs.frozen
class free_text:  # named as the call it is used as
    """A validator: a string of Unicode text of at most ``most`` characters, as a file's free texts
    are (so that what a Python call accepts, the file format holds).

    >>> @attrs.frozen
    ... class Note:  # fictional
    ...     text: str = attrs.field(validator=free_text(3, form=FIELD))
    >>> Note("abcd")
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: text: is 4 characters, more than the limit of 3 (max_text)
    """

    most: int
    form: str = attrs.field(default=FORM, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            refuse(self.form, attribute, "a string", value)
        if len(value) > self.most:
            raise IptError(
                f"{attribute.name}: is {len(value):,} characters, more than the limit of "
                f"{self.most:,} (max_text)"
            )
        why = not_unicode(value)
        if why is not None:
            raise IptError(
                f"{attribute.name}: {why}",
                redacted_message=f"{attribute.name}: holds a lone surrogate, {NOT_UNICODE}",
            )


@attrs.frozen
class tuple_of:  # named as the call it is used as
    """A validator: the value is a tuple whose every item is a ``kind``.

    >>> @attrs.frozen
    ... class Agenda:  # fictional
    ...     name: tuple[int, ...] = attrs.field(validator=tuple_of(int, form=COLON))
    >>> Agenda([1])
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: name: must be a tuple of int, got [1]
    """

    kind: type
    form: str = attrs.field(default=FORM, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        kind = self.kind
        if not isinstance(value, tuple) or not all(isinstance(v, kind) for v in value):
            refuse(self.form, attribute, f"a tuple of {kind.__name__}", value)


@attrs.frozen
class texts:  # named as the call it is used as
    """A validator: a tuple of strings; ``blank=False`` refuses an empty or whitespace-only one.

    >>> @attrs.frozen
    ... class Steps:  # fictional
    ...     name: tuple[str, ...] = attrs.field(
    ...         validator=texts("a list of non-empty strings", form=FIELD, blank=False)
    ...     )
    >>> Steps(("a", ""))
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: name: must be a list of non-empty strings, got ('a', '')
    """

    must: str = "a tuple of strings"
    form: str = attrs.field(default=FORM, kw_only=True)
    blank: bool = attrs.field(default=True, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(
            isinstance(v, str) and (self.blank or v.strip()) for v in value
        ):
            refuse(self.form, attribute, self.must, value)


@attrs.frozen
class whole:  # named as the call it is used as
    """A validator: an int (not a bool), at least ``low`` if given.

    A value below ``low`` is refused as ``must be at least <low>`` when ``under`` is given (any
    text: callers pass the words they used), else with the same words as a non-integer.

    >>> @attrs.frozen
    ... class Count:  # fictional
    ...     name: int = attrs.field(validator=whole(1, under="at least"))
    >>> Count(0)
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: name: must be at least 1, got 0
    >>> attrs.evolve(Count(2), name=-1)  # fewer than 1
    Traceback (most recent call last):
        ...
    iptcore.errors.IptError: name: must be at least 1, got -1
    """

    low: int | None = None
    must: str = attrs.field(default="an integer", kw_only=True)
    form: str = attrs.field(default=FORM, kw_only=True)
    under: str | None = attrs.field(default=None, kw_only=True)

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            refuse(self.form, attribute, self.must, value)
        low = self.low
        if low is not None and value < low:
            must = self.must if self.under is None else f"at least {low}"
            refuse(self.form, attribute, must, value)
