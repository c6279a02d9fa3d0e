"""Rating scales as data, ratings of sessions by several raters, and inter-rater agreement.

Therapist adherence and competence in IPT are rated from session recordings on instruments such as
the Collaborative Study Psychotherapy Rating Scale or the IPT Quality and Adherence Scale. Those are
licensed: iptcore ships none of their text. A user defines the instrument they hold a licence for as
a :class:`Scale` in the small JSON format ``iptcore.scale/1`` (:func:`load_scale`,
:func:`dump_scale`); the only scale shipped, :data:`EXAMPLE_SCALE`, is **fictional**, made up for the
examples, and measures nothing.

:class:`Ratings` holds who rated which session (the *target*) on which item with what value, and
:func:`agreement` tells how far the raters agree, item by item and subscale by subscale, with the
statistics of the literature:

- the intraclass correlations of Shrout & Fleiss [SHROUT-FLEISS1979] (:func:`icc`), with the F-based
  95% intervals of [SHROUT-FLEISS1979] and McGraw & Wong [MCGRAW-WONG1996];
- Cohen's kappa [COHEN1960], with linear or quadratic weights [COHEN1968] (:func:`cohen_kappa`);
- Fleiss' kappa for several raters [FLEISS1971] (:func:`fleiss_kappa`);
- Krippendorff's alpha, which allows missing ratings [KRIPPENDORFF2011] (:func:`krippendorff_alpha`).

The kappas and alpha need numpy only; the intervals of the ICC need the F distribution of scipy, the
``stats`` extra (``pip install 'iptcore[stats]'``). A statistic that is undefined for the data (one
target, one rater, ratings that do not vary) raises :class:`~iptcore.IptError` saying why, never a
silent ``nan``. For supervision and training research; not a medical device.

>>> ratings = Ratings(scale=EXAMPLE_SCALE, rows=[      # fictional ratings of fictional sessions
...     ("s1", "ana", "focus", 5), ("s1", "ben", "focus", 4),
...     ("s2", "ana", "focus", 2), ("s2", "ben", "focus", 2),
...     ("s3", "ana", "focus", 3), ("s3", "ben", "focus", 4)])
>>> ratings.targets, ratings.raters
(('s1', 's2', 's3'), ('ana', 'ben'))
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from iptcore.errors import CaseError, IptError, Problem

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EXAMPLE_SCALE",
    "FORMAT",
    "Agreement",
    "AgreementRow",
    "Combine",
    "Estimate",
    "Item",
    "ItemKind",
    "Rating",
    "Ratings",
    "Scale",
    "Subscale",
    "agreement",
    "cohen_kappa",
    "dump_scale",
    "fleiss_kappa",
    "icc",
    "krippendorff_alpha",
    "load_scale",
]

#: The format word and major version of scale files.
FORMAT: Final = "iptcore.scale/1"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_INT_KEY = re.compile(r"-?(0|[1-9][0-9]{0,17})")
_STATS_EXTRA = "pip install 'iptcore[stats]'"


class ItemKind(StrEnum):
    """How an item's values are read: ranks, unordered codes, or equal-interval numbers."""

    ORDINAL = "ordinal"
    CATEGORICAL = "categorical"
    INTERVAL = "interval"


class Combine(StrEnum):
    """How a subscale's items make its score."""

    MEAN = "mean"
    SUM = "sum"


# --- checks shared by the values and the file reader ------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {_brief(value)}"
    if not value.strip():
        return "must not be empty"
    return None


def _id_problem(value: object) -> str | None:
    if not isinstance(value, str) or _ID.fullmatch(value) is None:
        return (
            "must be an id: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or "
            f"digit, got {_brief(value)}"
        )
    return None


def _brief(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    return f"a {type(value).__name__}"


def _item_problems(
    ident: object, text: object, low: object, high: object, anchors: object
) -> list[Problem]:
    """Every problem of one item's fields, each at the path of the field."""
    found: list[Problem] = []
    for key, why in (("id", _id_problem(ident)), ("text", _text_problem(text))):
        if why:
            found.append(Problem(path=key, message=why))
    for key, bound in (("min", low), ("max", high)):
        if not _is_int(bound):
            found.append(Problem(path=key, message=f"must be an integer, got {_brief(bound)}"))
    ranged = _is_int(low) and _is_int(high)
    if ranged and low > high:  # type: ignore[operator]
        found.append(Problem(path="max", message=f"must be at least min ({low}), got {high}"))
        ranged = False  # the anchors cannot be checked against a range that is none
    for value, label in anchors if isinstance(anchors, tuple) else ():
        where = f"anchors.{value}"
        if not _is_int(value):
            found.append(Problem(path=where, message="the value must be an integer"))
        elif ranged and not low <= value <= high:
            found.append(Problem(path=where, message=f"is outside the range {low}..{high}"))
        why = _text_problem(label)
        if why:
            found.append(Problem(path=where, message=why))
    return found


def _scale_problems(
    ident: object, name: object, item_ids: Sequence[object], subscales: Sequence[Subscale | None]
) -> list[Problem]:
    """The problems of a scale as a whole: its id and name, repeated ids, and its subscales."""
    found: list[Problem] = []
    for key, why in (("id", _id_problem(ident)), ("name", _text_problem(name))):
        if why:
            found.append(Problem(path=key, message=why))
    if not item_ids:
        found.append(Problem(path="items", message="must list at least one item"))
    seen: dict[object, int] = {}
    for index, item_id in enumerate(item_ids):
        if item_id in seen:
            message = f"repeats the id {item_id!r} of items[{seen[item_id]}]"
            found.append(Problem(path=f"items[{index}].id", message=message))
        seen.setdefault(item_id, index)
    seen_sub: dict[str, int] = {}
    for index, sub in enumerate(subscales):
        if sub is None:
            continue
        if sub.id in seen_sub:
            message = f"repeats the id {sub.id!r} of subscales[{seen_sub[sub.id]}]"
            found.append(Problem(path=f"subscales[{index}].id", message=message))
        seen_sub.setdefault(sub.id, index)
        for place, item_id in enumerate(sub.items):
            if item_id not in seen:
                message = f"names no item of the scale: {item_id!r}"
                found.append(Problem(path=f"subscales[{index}].items[{place}]", message=message))
    return found


def _raise(found: list[Problem], subject: str) -> None:
    if found:
        raise CaseError(found, subject=subject)


# --- the scale -----------------------------------------------------------------------------------


def _anchors(raw: Mapping[int, str] | Iterable[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    return tuple(raw.items() if isinstance(raw, Mapping) else raw)


@attrs.frozen(kw_only=True)
class Item:
    """One item of a rating scale.

    ``anchors`` label some values (``{0: "not at all", 6: "extensively"}``); they are kept as
    ``(value, label)`` pairs in the order of the values.

    >>> Item(id="focus", text="Keeps the focus", kind=ItemKind.ORDINAL, min=0, max=6,
    ...      anchors={6: "throughout", 0: "not at all"}).anchors
    ((0, 'not at all'), (6, 'throughout'))
    >>> Item(id="focus", text="", kind=ItemKind.ORDINAL, min=6, max=0)
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid scale item, 2 problems: text: must not be empty; max: must be at least min (6), got 0
    """

    id: str
    text: str
    kind: ItemKind = attrs.field(converter=ItemKind)
    min: int
    max: int
    anchors: tuple[tuple[int, str], ...] = attrs.field(default=(), converter=_anchors)

    def __attrs_post_init__(self) -> None:
        _raise(_item_problems(self.id, self.text, self.min, self.max, self.anchors), "scale item")
        if self.anchors:
            values = [value for value, _ in self.anchors]
            if len(set(values)) != len(values):
                _raise([Problem(path="anchors", message="labels a value twice")], "scale item")
        object.__setattr__(self, "anchors", tuple(sorted(self.anchors)))

    def allows(self, value: object) -> bool:
        """Whether ``value`` is a rating this item can take (an integer in range; for interval
        items a finite number in range)."""
        if isinstance(value, bool):
            return False
        if isinstance(value, float) and self.kind is ItemKind.INTERVAL:
            return math.isfinite(value) and self.min <= value <= self.max
        return _is_int(value) and self.min <= value <= self.max  # type: ignore[operator]


def _tuple_of_str(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Subscale:
    """A named group of items whose ratings combine into one score (their mean or sum)."""

    id: str
    name: str
    items: tuple[str, ...] = attrs.field(converter=_tuple_of_str)
    combine: Combine = attrs.field(default=Combine.MEAN, converter=Combine)

    def __attrs_post_init__(self) -> None:
        found = [
            Problem(path=key, message=why)
            for key, why in (("id", _id_problem(self.id)), ("name", _text_problem(self.name)))
            if why
        ]
        if not self.items:
            found.append(Problem(path="items", message="must list at least one item"))
        if len(set(self.items)) != len(self.items):
            found.append(Problem(path="items", message="lists an item twice"))
        _raise(found, "subscale")


def _tuple_of_items(values: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(values)


def _tuple_of_subscales(values: Iterable[Subscale]) -> tuple[Subscale, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Scale:
    """A rating scale: its items, the subscales that group them, and where it comes from.

    ``source`` is free text: the citation of the instrument, or a note that it is made up.
    """

    id: str
    name: str
    items: tuple[Item, ...] = attrs.field(converter=_tuple_of_items)
    subscales: tuple[Subscale, ...] = attrs.field(default=(), converter=_tuple_of_subscales)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        found = _scale_problems(self.id, self.name, [i.id for i in self.items], self.subscales)
        source: object = self.source
        if not isinstance(source, str):
            found.append(Problem(path="source", message=f"must be text, got {_brief(source)}"))
        _raise(found, "scale")

    def item(self, item_id: str) -> Item:
        """The item with this id.

        >>> EXAMPLE_SCALE.item("focus").max
        6
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def subscale(self, subscale_id: str) -> Subscale:
        """The subscale with this id."""
        for sub in self.subscales:
            if sub.id == subscale_id:
                return sub
        raise KeyError(subscale_id)


#: A FICTIONAL scale, made up for iptcore's examples and tests: six items in two subscales. It is
#: no published instrument, has never been validated and measures nothing.
EXAMPLE_SCALE: Final = Scale(
    id="example-ipt-fidelity",
    name="Example IPT session rating scale (fictional)",
    source="Fictional: made up for iptcore's examples; not a published or validated instrument.",
    items=(
        Item(
            id="focus",
            text="Keeps the session on the agreed interpersonal problem area",
            kind=ItemKind.ORDINAL,
            min=0,
            max=6,
            anchors={0: "not at all", 3: "some of the time", 6: "throughout"},
        ),
        Item(
            id="affect",
            text="Encourages the patient to express affect about relationships",
            kind=ItemKind.ORDINAL,
            min=0,
            max=6,
            anchors={0: "not at all", 6: "extensively"},
        ),
        Item(
            id="links",
            text="Links mood to interpersonal events of the week",
            kind=ItemKind.ORDINAL,
            min=0,
            max=6,
            anchors={0: "not at all", 6: "extensively"},
        ),
        Item(
            id="warmth",
            text="Therapist warmth",
            kind=ItemKind.ORDINAL,
            min=1,
            max=5,
            anchors={1: "cold", 5: "very warm"},
        ),
        Item(
            id="pace",
            text="Pacing of the session",
            kind=ItemKind.INTERVAL,
            min=0,
            max=10,
        ),
        Item(
            id="off-model",
            text="Main technique outside the IPT model, if any",
            kind=ItemKind.CATEGORICAL,
            min=0,
            max=2,
            anchors={0: "none", 1: "cognitive restructuring", 2: "other"},
        ),
    ),
    subscales=(
        Subscale(id="adherence", name="IPT adherence", items=("focus", "affect", "links")),
        Subscale(id="competence", name="General competence", items=("warmth", "pace")),
    ),
)


# --- the scale file --------------------------------------------------------------------------------


def dump_scale(scale: Scale) -> dict[str, Any]:
    """The scale as JSON builtins, in the format ``iptcore.scale/1``.

    >>> doc = dump_scale(EXAMPLE_SCALE)
    >>> doc["format"], doc["items"][0]["anchors"]
    ('iptcore.scale/1', {'0': 'not at all', '3': 'some of the time', '6': 'throughout'})
    >>> load_scale(doc) == EXAMPLE_SCALE
    True
    """
    items = []
    for item in scale.items:
        entry: dict[str, Any] = {
            "id": item.id,
            "text": item.text,
            "kind": item.kind.value,
            "min": item.min,
            "max": item.max,
        }
        if item.anchors:
            entry["anchors"] = {str(value): label for value, label in item.anchors}
        items.append(entry)
    return {
        "format": FORMAT,
        "id": scale.id,
        "name": scale.name,
        "source": scale.source,
        "items": items,
        "subscales": [
            {"id": s.id, "name": s.name, "items": list(s.items), "combine": s.combine.value}
            for s in scale.subscales
        ],
    }


def load_scale(source: object) -> Scale:
    """The scale of a document in the format ``iptcore.scale/1``: a dict, JSON text, or a path.

    Every problem is reported at once, each with its JSON path:

    >>> doc = dump_scale(EXAMPLE_SCALE)
    >>> doc["items"][2]["max"] = -1
    >>> doc["subscales"][0]["items"].append("empathy")
    >>> load_scale(doc)
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid scale, 2 problems: items[2].max: must be at least min (0), got -1; subscales[0].items[3]: names no item of the scale: 'empathy'

    Raises:
        CaseError: for anything that is not such a document.
    """
    raw = _read_document(source)
    reader = _Reader()
    fields = reader.fields(
        raw, "", required=("format", "id", "name", "items"), optional=("source", "subscales")
    )
    if fields is None:
        _raise(reader.found, "scale")
    assert fields is not None
    if "format" in fields and fields["format"] != FORMAT:
        reader.fail("format", f"must be {FORMAT!r}, got {_brief(fields['format'])}")
    raw_items = reader.array(fields, "items", "")
    items = [reader.item(entry, f"items[{i}]") for i, entry in enumerate(raw_items)]
    raw_subs = reader.array(fields, "subscales", "")
    subs = [reader.subscale(entry, f"subscales[{i}]") for i, entry in enumerate(raw_subs)]
    item_ids = [entry.get("id") if isinstance(entry, Mapping) else None for entry in raw_items]
    source_text = fields.get("source", "")
    if not isinstance(source_text, str):
        reader.fail("source", f"must be text, got {_brief(source_text)}")
    reader.found.extend(
        problem
        for problem in _scale_problems(fields.get("id"), fields.get("name"), item_ids, subs)
        # a missing field was noted as "is required", items that are no list as such
        if problem.path.split("[")[0] in fields
        and (problem.path != "items" or isinstance(fields["items"], list))
    )
    _raise(reader.found, "scale")
    return Scale(
        id=fields["id"],
        name=fields["name"],
        source=source_text,
        items=tuple(item for item in items if item is not None),
        subscales=tuple(sub for sub in subs if sub is not None),
    )


def _read_document(source: object) -> Any:
    """The JSON document of a dict, JSON text or bytes, or a path; no NaN, no key twice."""
    if isinstance(source, Mapping):
        return source
    if isinstance(source, os.PathLike):
        try:
            with open(os.fspath(source), "rb") as handle:
                source = handle.read()
        except OSError as exc:
            message = f"cannot read the file {os.fspath(source)!r}: {exc.strerror or exc}"
            raise CaseError([Problem(path="", message=message)], subject="scale") from None
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"is not UTF-8 text: byte {exc.start} cannot be decoded"
            raise CaseError([Problem(path="", message=message)], subject="scale") from None
    if not isinstance(source, str):
        message = f"must be a dict, JSON text or a path, got {_brief(source)}"
        raise CaseError([Problem(path="", message=message)], subject="scale")

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"the key {key!r} appears twice")
        return dict(pairs)

    def no_constant(word: str) -> None:
        raise ValueError(f"{word} is not a JSON number")

    try:
        return json.loads(source, object_pairs_hook=no_repeats, parse_constant=no_constant)
    except (ValueError, RecursionError) as exc:
        message = f"is not valid JSON: {exc}"
        raise CaseError([Problem(path="", message=message)], subject="scale") from None


class _Reader:
    """Reads a scale document field by field, collecting every problem with its path."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.found.append(Problem(path=path, message=message))

    def fields(
        self, raw: object, path: str, *, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> Mapping[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.fail(path, f"must be an object, got {_brief(raw)}")
            return None
        allowed = (*required, *optional)
        for key in raw:
            if key not in allowed:
                self.fail(
                    _join(path, str(key)), f"is not a field (the fields are: {', '.join(allowed)})"
                )
        for key in required:
            if key not in raw:
                self.fail(_join(path, key), "is required")
        return raw

    def array(self, fields: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = fields.get(key, [])
        if not isinstance(value, list):
            self.fail(_join(path, key), f"must be a list, got {_brief(value)}")
            return []
        return value

    def item(self, raw: object, path: str) -> Item | None:
        fields = self.fields(
            raw, path, required=("id", "text", "kind", "min", "max"), optional=("anchors",)
        )
        if fields is None:
            return None
        mark = len(self.found)
        kind = fields.get("kind")
        if "kind" in fields and kind not in {k.value for k in ItemKind}:
            words = ", ".join(k.value for k in ItemKind)
            self.fail(_join(path, "kind"), f"must be one of {words}, got {_brief(kind)}")
        anchors: list[tuple[object, object]] = []
        raw_anchors = fields.get("anchors", {})
        if not isinstance(raw_anchors, Mapping):
            self.fail(_join(path, "anchors"), f"must be an object, got {_brief(raw_anchors)}")
        else:
            for key, label in raw_anchors.items():
                if _INT_KEY.fullmatch(key) is None:
                    self.fail(_join(path, f"anchors.{key}"), 'must be an integer value, e.g. "0"')
                    continue
                anchors.append((int(key), label))
        missing = object()
        values = [fields.get(key, missing) for key in ("id", "text", "min", "max")]
        problems = _item_problems(values[0], values[1], values[2], values[3], tuple(anchors))
        for problem in problems:
            key = problem.path.split(".")[0]
            if fields.get(key, missing) is not missing:
                self.found.append(problem.within(path))
        if len(self.found) != mark or any(v is missing for v in values) or "kind" not in fields:
            return None
        return Item(
            id=fields["id"],
            text=fields["text"],
            kind=ItemKind(str(kind)),
            min=fields["min"],
            max=fields["max"],
            anchors=tuple(anchors),  # type: ignore[arg-type]
        )

    def subscale(self, raw: object, path: str) -> Subscale | None:
        fields = self.fields(raw, path, required=("id", "name", "items"), optional=("combine",))
        if fields is None:
            return None
        mark = len(self.found)
        for key, why in (
            ("id", _id_problem(fields.get("id"))),
            ("name", _text_problem(fields.get("name"))),
        ):
            if why and key in fields:
                self.fail(_join(path, key), why)
        combine = fields.get("combine", Combine.MEAN.value)
        if combine not in {c.value for c in Combine}:
            self.fail(_join(path, "combine"), f"must be mean or sum, got {_brief(combine)}")
        names = fields.get("items", [])
        if not isinstance(names, list):
            self.fail(_join(path, "items"), f"must be a list, got {_brief(names)}")
            names = []
        elif not names and "items" in fields:
            self.fail(_join(path, "items"), "must list at least one item")
        for index, name in enumerate(names):
            if not isinstance(name, str):
                self.fail(f"{path}.items[{index}]", f"must be an item id, got {_brief(name)}")
            elif name in names[:index]:
                self.fail(f"{path}.items[{index}]", f"repeats the item {name!r}")
        if len(self.found) != mark or not {"id", "name", "items"} <= fields.keys():
            return None
        return Subscale(id=fields["id"], name=fields["name"], items=names, combine=combine)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --- ratings ---------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Rating:
    """One rater's rating of one target (a session) on one item; ``value`` ``None`` if missing."""

    target: str
    rater: str
    item: str
    value: int | float | None


def _rating(row: Rating | Sequence[Any]) -> Rating | Sequence[Any]:
    if isinstance(row, Rating) or not isinstance(row, Sequence) or len(row) != 4:
        return row
    return Rating(target=row[0], rater=row[1], item=row[2], value=row[3])


def _rows(rows: Iterable[Rating | Sequence[Any]]) -> tuple[Rating, ...]:
    return tuple(_rating(row) for row in rows)  # type: ignore[misc]


@attrs.frozen(kw_only=True)
class Ratings:
    """Ratings of targets (sessions) by several raters on the items of one scale.

    ``rows`` are :class:`Rating` values or ``(target, rater, item, value)`` tuples; ``None`` is a
    missing rating. Every problem (an unknown item, a value out of the item's range, a rating given
    twice) is reported at once with the path of its row:

    >>> Ratings(scale=EXAMPLE_SCALE, rows=[("s1", "ana", "focus", 7), ("s1", "ana", "empathy", 1),
    ...                                    ("s1", "ana", "focus", 5)])
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid ratings, 3 problems: rows[0].value: must be an integer from 0 to 6 for the item 'focus', got 7; rows[1].item: names no item of the scale 'example-ipt-fidelity': 'empathy'; rows[2]: repeats rows[0]: target 's1', rater 'ana', item 'focus'
    """

    scale: Scale
    rows: tuple[Rating, ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        found: list[Problem] = []
        scale: object = self.scale
        if not isinstance(scale, Scale):
            found.append(Problem(path="scale", message=f"must be a Scale, got {_brief(scale)}"))
        items = {item.id: item for item in getattr(self.scale, "items", ())}
        seen: dict[tuple[str, str, str], int] = {}
        raw_rows: tuple[object, ...] = self.rows
        for index, row in enumerate(raw_rows):
            path = f"rows[{index}]"
            if not isinstance(row, Rating):
                message = f"must be a Rating or (target, rater, item, value), got {_brief(row)}"
                found.append(Problem(path=path, message=message))
                continue
            for key in ("target", "rater"):
                why = _id_problem(getattr(row, key))
                if why:
                    found.append(Problem(path=f"{path}.{key}", message=why))
            item = items.get(row.item) if isinstance(row.item, str) else None
            if item is None:
                message = f"names no item of the scale {getattr(self.scale, 'id', '?')!r}: {_brief(row.item)}"
                found.append(Problem(path=f"{path}.item", message=message))
            elif row.value is not None and not item.allows(row.value):
                number = "a number" if item.kind is ItemKind.INTERVAL else "an integer"
                message = (
                    f"must be {number} from {item.min} to {item.max} for the item "
                    f"{item.id!r}, got {_brief(row.value)}"
                )
                found.append(Problem(path=f"{path}.value", message=message))
            key3 = (row.target, row.rater, row.item)
            try:
                first = seen.setdefault(key3, index)
            except TypeError:
                continue  # an unhashable id was reported above
            if first != index:
                message = (
                    f"repeats rows[{first}]: target {row.target!r}, rater {row.rater!r}, "
                    f"item {row.item!r}"
                )
                found.append(Problem(path=path, message=message))
        _raise(found, "ratings")

    @property
    def targets(self) -> tuple[str, ...]:
        """The rated targets, in the order they first appear."""
        return tuple(dict.fromkeys(row.target for row in self.rows))

    @property
    def raters(self) -> tuple[str, ...]:
        """The raters, in the order they first appear."""
        return tuple(dict.fromkeys(row.rater for row in self.rows))

    def value(self, target: str, rater: str, item: str) -> int | float | None:
        """The rating of ``target`` by ``rater`` on ``item``; ``None`` if missing or not given."""
        for row in self.rows:
            if (row.target, row.rater, row.item) == (target, rater, item):
                return row.value
        return None

    def table(self, item: str) -> tuple[tuple[int | float | None, ...], ...]:
        """The ratings of one item: one row per target, one column per rater (``None`` missing).

        Only the targets and raters with a rating (or a missing mark) of this item take part.
        """
        cells = {(r.target, r.rater): r.value for r in self.rows if r.item == item}
        targets = tuple(dict.fromkeys(t for t, _ in cells))
        raters = tuple(dict.fromkeys(r for _, r in cells))
        return tuple(tuple(cells.get((t, r)) for r in raters) for t in targets)

    def subscale_scores(self, subscale: str) -> dict[tuple[str, str], float | None]:
        """Each (target, rater)'s score on a subscale: the mean or sum of its items' ratings.

        A score is ``None`` when any of its items is missing for that target and rater: nothing is
        averaged over fewer items than the subscale has.

        >>> ratings = Ratings(scale=EXAMPLE_SCALE, rows=[     # fictional
        ...     ("s1", "ana", "focus", 5), ("s1", "ana", "affect", 4), ("s1", "ana", "links", 3),
        ...     ("s1", "ben", "focus", 4), ("s1", "ben", "affect", None), ("s1", "ben", "links", 3)])
        >>> ratings.subscale_scores("adherence")
        {('s1', 'ana'): 4.0, ('s1', 'ben'): None}
        """
        sub = self.scale.subscale(subscale)
        cells = {(r.target, r.rater, r.item): r.value for r in self.rows}
        pairs = dict.fromkeys((r.target, r.rater) for r in self.rows if r.item in sub.items)
        scores: dict[tuple[str, str], float | None] = {}
        for target, rater in pairs:
            values = [cells.get((target, rater, item)) for item in sub.items]
            if any(value is None for value in values):
                scores[target, rater] = None
                continue
            total = math.fsum(values)  # type: ignore[arg-type]
            scores[target, rater] = total / len(values) if sub.combine is Combine.MEAN else total
        return scores

    def subscale_table(self, subscale: str) -> tuple[tuple[float | None, ...], ...]:
        """The subscale's scores: one row per target, one column per rater (``None`` missing)."""
        scores = self.subscale_scores(subscale)
        targets = tuple(dict.fromkeys(t for t, _ in scores))
        raters = tuple(dict.fromkeys(r for _, r in scores))
        return tuple(tuple(scores.get((t, r)) for r in raters) for t in targets)


# --- the statistics --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Estimate:
    """One agreement statistic computed from ratings: what it is, its value and its interval.

    ``interval`` is ``None`` where iptcore computes none (the kappas and alpha); ``confidence`` is
    the interval's coverage (0.95) or ``None``.
    """

    statistic: str
    model: str
    estimate: float
    interval: tuple[float, float] | None
    confidence: float | None
    n_targets: int
    n_raters: int


def _matrix(table: Sequence[Sequence[Any]], what: str, *, missing: bool) -> npt.NDArray[np.float64]:
    """``table`` (targets x raters) as a float array, ``nan`` for missing; checked for shape."""
    import numpy as np

    rows = [list(row) for row in table]
    if not rows or len({len(row) for row in rows}) != 1:
        raise IptError(f"{what}: the table needs rows of one length (targets x raters)")
    cells = [value for row in rows for value in row]
    for value in cells:
        if value is None and missing:
            continue
        if value is None:
            raise IptError(f"{what} needs every target rated by every rater; a rating is missing")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise IptError(f"{what}: a rating must be a finite number, got {_brief(value)}")
    return np.array(
        [[np.nan if v is None else float(v) for v in row] for row in rows], dtype=np.float64
    )


def _needs(n_targets: int, n_raters: int, what: str) -> None:
    if n_targets < 2:
        raise IptError(f"{what} is undefined for fewer than 2 targets (got {n_targets})")
    if n_raters < 2:
        raise IptError(f"{what} is undefined for fewer than 2 raters (got {n_raters})")


_ICC_MODELS: Final = MappingProxyType(
    {
        "ICC(1,1)": "one-way random effects, absolute agreement, single rater",
        "ICC(2,1)": "two-way random effects, absolute agreement, single rater",
        "ICC(3,1)": "two-way mixed effects, consistency, single rater",
        "ICC(1,k)": "one-way random effects, absolute agreement, mean of k raters",
        "ICC(2,k)": "two-way random effects, absolute agreement, mean of k raters",
        "ICC(3,k)": "two-way mixed effects, consistency, mean of k raters",
    }
)


def icc(table: Sequence[Sequence[float]], *, confidence: float = 0.95) -> tuple[Estimate, ...]:
    """The six intraclass correlations of Shrout & Fleiss, each with its F-based interval.

    ``table`` has one row per target and one column per rater, every cell rated. The forms are
    ICC(1,1), ICC(2,1), ICC(3,1) and the means of the k raters ICC(1,k), ICC(2,k), ICC(3,k), from
    the mean squares of the one-way and two-way analyses of variance [SHROUT-FLEISS1979]
    (equations in Table 1 there). The intervals are the F-based intervals of [SHROUT-FLEISS1979]
    for ICC(1,·) and ICC(3,·) and the Satterthwaite interval for ICC(2,·); the interval of ICC(2,k)
    is that of [MCGRAW-WONG1996] (Table 7, case 2A).

    Shrout & Fleiss's worked example (six targets, four judges; their Table 2):

    >>> table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> [f"{e.statistic} {e.estimate:.2f}" for e in icc(table)]
    ['ICC(1,1) 0.17', 'ICC(2,1) 0.29', 'ICC(3,1) 0.71', 'ICC(1,k) 0.44', 'ICC(2,k) 0.62', 'ICC(3,k) 0.91']

    Where the error mean square is zero (the raters agree perfectly) the F ratio is infinite and
    the interval is ``None``. Needs the ``stats`` extra (scipy) for the F quantiles.

    Raises:
        IptError: for fewer than 2 targets or raters, a missing rating, or ratings that do not
            vary at all (every ICC is then 0/0).
        ImportError: without scipy, naming the ``stats`` extra.
    """

    what = "the intraclass correlation"
    x = _matrix(table, what, missing=False)
    n, k = x.shape
    _needs(n, k, what)
    if not 0 < confidence < 1:
        raise IptError(f"confidence must be between 0 and 1, got {confidence!r}")
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    if ss_total == 0:
        raise IptError(f"{what} is undefined: every rating is the same, so nothing varies")
    ss_rows = float(k * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = float(n * ((x.mean(axis=0) - grand) ** 2).sum())
    ss_error = max(ss_total - ss_rows - ss_cols, 0.0)
    tiny = 1e-12 * ss_total
    ss_error = 0.0 if ss_error <= tiny else ss_error
    ms_rows = ss_rows / (n - 1)
    ms_within = (ss_total - ss_rows) / (n * (k - 1))
    ms_within = 0.0 if ms_within * n * (k - 1) <= tiny else ms_within
    ms_cols = ss_cols / (k - 1)
    ms_error = ss_error / ((n - 1) * (k - 1))

    icc1 = (ms_rows - ms_within) / (ms_rows + (k - 1) * ms_within)
    icc2 = (ms_rows - ms_error) / (ms_rows + (k - 1) * ms_error + k * (ms_cols - ms_error) / n)
    icc3 = (ms_rows - ms_error) / (ms_rows + (k - 1) * ms_error) if ms_rows else math.nan
    icc1k = (ms_rows - ms_within) / ms_rows if ms_rows else math.nan
    icc2k = (ms_rows - ms_error) / (ms_rows + (ms_cols - ms_error) / n)
    icc3k = (ms_rows - ms_error) / ms_rows if ms_rows else math.nan
    for value in (icc1, icc3):
        if math.isnan(value):
            raise IptError(
                f"{what} is undefined: the targets' mean ratings do not differ and "
                "the raters agree perfectly"
            )

    f_quantile = _f_quantile()
    upper = 1 - (1 - confidence) / 2
    df_rows, df_within, df_error = n - 1, n * (k - 1), (n - 1) * (k - 1)

    def f_interval(f_obs: float, df_denominator: int) -> tuple[float, float] | None:
        if not math.isfinite(f_obs):
            return None
        return (
            f_obs / f_quantile(upper, df_rows, df_denominator),
            f_obs * f_quantile(upper, df_denominator, df_rows),
        )

    f1 = f_interval(ms_rows / ms_within if ms_within else math.inf, df_within)
    f3 = f_interval(ms_rows / ms_error if ms_error else math.inf, df_error)
    single = None if f1 is None else tuple((f - 1) / (f + k - 1) for f in f1)
    mean1 = None if f1 is None else tuple(1 - 1 / f for f in f1)
    single3 = None if f3 is None else tuple((f - 1) / (f + k - 1) for f in f3)
    mean3 = None if f3 is None else tuple(1 - 1 / f for f in f3)
    two = (
        _icc2_interval(icc2, n, k, ms_rows, ms_cols, ms_error, upper, f_quantile)
        if ms_error
        else None
    )
    two_k = None if two is None else tuple(b * k / (1 + b * (k - 1)) for b in two)

    values = {
        "ICC(1,1)": (icc1, single),
        "ICC(2,1)": (icc2, two),
        "ICC(3,1)": (icc3, single3),
        "ICC(1,k)": (icc1k, mean1),
        "ICC(2,k)": (icc2k, two_k),
        "ICC(3,k)": (icc3k, mean3),
    }
    return tuple(
        Estimate(
            statistic=name,
            model=_ICC_MODELS[name],
            estimate=float(value),
            interval=None if bounds is None else (float(bounds[0]), float(bounds[1])),
            confidence=None if bounds is None else confidence,
            n_targets=n,
            n_raters=k,
        )
        for name, (value, bounds) in values.items()
    )


def _icc2_interval(
    rho: float,
    n: int,
    k: int,
    ms_rows: float,
    ms_cols: float,
    ms_error: float,
    upper: float,
    f_quantile: Any,
) -> tuple[float, float]:
    """The interval of ICC(2,1) with Satterthwaite's degrees of freedom [SHROUT-FLEISS1979]
    (equations 10-12) in the form of [MCGRAW-WONG1996]."""
    f_cols = ms_cols / ms_error
    a = n * (1 + (k - 1) * rho) - k * rho
    v = (
        (n - 1)
        * (k - 1)
        * (k * rho * f_cols + a) ** 2
        / ((n - 1) * k**2 * rho**2 * f_cols**2 + a**2)
    )
    f_low = f_quantile(upper, n - 1, v)
    f_high = f_quantile(upper, v, n - 1)
    spread = k * ms_cols + (k * n - k - n) * ms_error
    low = n * (ms_rows - f_low * ms_error) / (f_low * spread + n * ms_rows)
    high = n * (f_high * ms_rows - ms_error) / (spread + n * f_high * ms_rows)
    return (low, high)


def _f_quantile() -> Any:
    """scipy's quantile function of the F distribution, or an ImportError naming the extra."""
    try:
        from scipy.stats import f
    except ImportError:
        raise ImportError(
            f"the intervals of iptcore.ratings.icc need scipy, the 'stats' extra: {_STATS_EXTRA}"
        ) from None
    return lambda q, dfn, dfd: float(f.ppf(q, dfn, dfd))


def _codes(values: Iterable[float], categories: Sequence[float] | None) -> list[float]:
    observed = sorted(set(values))
    if categories is None:
        return observed
    wanted = [float(c) for c in categories]
    stray = [v for v in observed if v not in wanted]
    if stray:
        raise IptError(f"a rating is not one of the categories {list(categories)}: {stray[0]:g}")
    return wanted


def cohen_kappa(
    first: Sequence[float],
    second: Sequence[float],
    *,
    categories: Sequence[float] | None = None,
    weights: str | None = None,
) -> Estimate:
    """Cohen's kappa of two raters who each rated the same targets [COHEN1960].

    ``weights`` ``"linear"`` or ``"quadratic"`` give weighted kappa [COHEN1968], with disagreement
    weights ``|i - j| / (c - 1)`` or its square over the ordered ``categories`` (by default the
    values either rater used; pass the item's whole range for weights that count its steps).

    >>> round(cohen_kappa([1, 1, 2, 2], [1, 2, 2, 2]).estimate, 3)
    0.5

    Raises:
        IptError: for ratings of different lengths, fewer than 2 targets, a rating outside
            ``categories``, or raters who both used one and the same category (kappa is 0/0).
    """
    import numpy as np

    what = "Cohen's kappa"
    if len(first) != len(second):
        raise IptError(f"{what}: the two raters rated {len(first)} and {len(second)} targets")
    x = _matrix(list(zip(first, second, strict=True)) or [[]], what, missing=False)
    _needs(x.shape[0], 2, what)
    cats = _codes(x.ravel().tolist(), categories)
    index = {value: i for i, value in enumerate(cats)}
    c = len(cats)
    observed = np.zeros((c, c))
    for a, b in x:
        observed[index[a], index[b]] += 1
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    steps = np.abs(np.subtract.outer(np.arange(c), np.arange(c))).astype(np.float64)
    if weights is None:
        disagree, label, model = (steps > 0).astype(np.float64), what, "two raters, unweighted"
    elif weights in ("linear", "quadratic"):
        power = 1 if weights == "linear" else 2
        disagree = (steps / max(c - 1, 1)) ** power
        label, model = f"{what} ({weights} weights)", f"two raters, {weights} weights"
    else:
        raise IptError(f"{what}: weights must be None, 'linear' or 'quadratic', got {weights!r}")
    chance = float((disagree * expected).sum())
    if chance == 0:
        raise IptError(f"{what} is undefined: both raters gave every target the same category")
    kappa = 1 - float((disagree * observed).sum()) / chance
    return Estimate(
        statistic=label,
        model=model,
        estimate=kappa,
        interval=None,
        confidence=None,
        n_targets=int(x.shape[0]),
        n_raters=2,
    )


def fleiss_kappa(
    table: Sequence[Sequence[float]], *, categories: Sequence[float] | None = None
) -> Estimate:
    """Fleiss' kappa of several raters assigning each target to a category [FLEISS1971].

    ``table`` has one row per target and one column per rating (each target rated by the same
    number of raters, not necessarily the same people); cells are category codes. Fleiss's own
    example (30 patients, 6 psychiatrists, 5 diagnoses) gives 0.430.

    >>> round(fleiss_kappa([[1, 1, 1], [2, 2, 2], [1, 2, 2]]).estimate, 3)
    0.55

    Raises:
        IptError: for fewer than 2 targets or raters, a missing rating, a rating outside
            ``categories``, or a single category used throughout (kappa is 0/0).
    """
    import numpy as np

    what = "Fleiss' kappa"
    x = _matrix(table, what, missing=False)
    n, m = x.shape
    _needs(n, m, what)
    cats = _codes(x.ravel().tolist(), categories)
    counts = np.stack([(x == c).sum(axis=1) for c in cats], axis=1).astype(np.float64)
    shares = counts.sum(axis=0) / (n * m)
    per_target = ((counts**2).sum(axis=1) - m) / (m * (m - 1))
    chance = float((shares**2).sum())
    if chance >= 1:
        raise IptError(f"{what} is undefined: every rating is the same category")
    kappa = (float(per_target.mean()) - chance) / (1 - chance)
    return Estimate(
        statistic=what,
        model="several raters per target, nominal categories",
        estimate=kappa,
        interval=None,
        confidence=None,
        n_targets=n,
        n_raters=m,
    )


_LEVELS: Final = ("nominal", "ordinal", "interval")


def krippendorff_alpha(
    table: Sequence[Sequence[float | None]],
    *,
    level: str = "nominal",
    values: Sequence[float] | None = None,
) -> Estimate:
    """Krippendorff's alpha, which allows missing ratings, at the nominal, ordinal or interval
    level [KRIPPENDORFF2011].

    ``table`` has one row per target (unit) and one column per rater; ``None`` is a missing
    rating. Targets with fewer than two ratings cannot be paired and take no part. The ordinal
    metric uses the marginal counts of the ``values`` (by default those used), per
    [KRIPPENDORFF2011]. Krippendorff's own example of 4 observers and 12 units with missing data
    gives 0.743 (nominal) and 0.849 (interval).

    >>> round(krippendorff_alpha([[1, 1, None], [2, 2, 2], [3, 3, 1]]).estimate, 3)
    0.667

    Raises:
        IptError: for fewer than 2 raters, fewer than 2 targets with two ratings or more, or
            ratings that do not vary (alpha is 0/0).
    """
    import numpy as np

    what = f"Krippendorff's alpha ({level})"
    if level not in _LEVELS:
        raise IptError(
            f"Krippendorff's alpha: level must be one of {', '.join(_LEVELS)}, got {level!r}"
        )
    x = _matrix(table, what, missing=True)
    pairable = x[(~np.isnan(x)).sum(axis=1) >= 2]
    _needs(int(pairable.shape[0]), int(x.shape[1]), what)
    cats = _codes(pairable[~np.isnan(pairable)].tolist(), values)
    index = {value: i for i, value in enumerate(cats)}
    c = len(cats)
    coincidences = np.zeros((c, c))
    for unit in pairable:
        present = [index[v] for v in unit[~np.isnan(unit)]]
        counts = np.bincount(present, minlength=c).astype(np.float64)
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (len(present) - 1)
    marginals = coincidences.sum(axis=1)
    total = float(marginals.sum())
    codes = np.array(cats)
    if level == "nominal":
        distance = (np.subtract.outer(codes, codes) != 0).astype(np.float64)
    elif level == "interval":
        distance = np.subtract.outer(codes, codes) ** 2
    else:
        cumulative = np.concatenate(([0.0], np.cumsum(marginals)))
        distance = np.zeros((c, c))
        for i in range(c):
            for j in range(c):
                lo, hi = min(i, j), max(i, j)
                between = cumulative[hi + 1] - cumulative[lo]
                distance[i, j] = (between - (marginals[i] + marginals[j]) / 2) ** 2
    expected = float((np.outer(marginals, marginals) * distance).sum())
    if expected == 0:
        raise IptError(f"{what} is undefined: the ratings do not vary")
    alpha = 1 - (total - 1) * float((coincidences * distance).sum()) / expected
    return Estimate(
        statistic=f"Krippendorff's alpha ({level})",
        model=f"{level} metric, missing ratings allowed",
        estimate=alpha,
        interval=None,
        confidence=None,
        n_targets=int(pairable.shape[0]),
        n_raters=int(x.shape[1]),
    )


# --- the agreement table ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AgreementRow:
    """The agreement on one item or subscale: the statistic used and what it gave.

    ``estimate`` is ``None`` when the statistic is undefined for these ratings; ``note`` says why.
    """

    of: str
    level: str  # "item" or "subscale"
    statistic: str
    model: str
    estimate: float | None
    interval: tuple[float, float] | None
    n_targets: int
    n_raters: int
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON builtins."""
        return {
            "of": self.of,
            "level": self.level,
            "statistic": self.statistic,
            "model": self.model,
            "estimate": self.estimate,
            "interval": None if self.interval is None else list(self.interval),
            "n_targets": self.n_targets,
            "n_raters": self.n_raters,
            "note": self.note,
        }


@attrs.frozen(kw_only=True)
class Agreement:
    """The agreement of the raters of one scale, one row per item and per subscale."""

    scale: str
    rows: tuple[AgreementRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON builtins."""
        return {"scale": self.scale, "rows": [row.to_dict() for row in self.rows]}

    def to_text(self) -> str:
        """The table as plain text, for a supervisor to read."""
        head = ("item", "statistic", "estimate", "95% interval", "targets", "raters")
        lines = [head]
        for row in self.rows:
            name = row.of if row.level == "item" else f"{row.of} (subscale)"
            value = "undefined" if row.estimate is None else f"{row.estimate:.2f}"
            span = "" if row.interval is None else f"{row.interval[0]:.2f} to {row.interval[1]:.2f}"
            lines.append((name, row.statistic, value, span, str(row.n_targets), str(row.n_raters)))
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        text = [
            "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in lines
        ]
        notes = [f"{row.of}: {row.note}" for row in self.rows if row.note]
        return "\n".join([*text, *(["", *notes] if notes else [])])


def _complete(table: Sequence[Sequence[object]]) -> bool:
    return all(value is not None for row in table for value in row)


def _row(
    of: str,
    level: str,
    table: Sequence[Sequence[Any]],
    kind: ItemKind,
    form: str,
    categories: Sequence[int] | None,
) -> AgreementRow:
    n_targets, n_raters = len(table), len(table[0]) if table else 0
    metric = {ItemKind.CATEGORICAL: "nominal", ItemKind.ORDINAL: "ordinal"}.get(kind, "interval")
    if not _complete(table):
        name, model = (
            f"Krippendorff's alpha ({metric})",
            f"{metric} metric, missing ratings allowed",
        )
    elif kind is ItemKind.CATEGORICAL:
        name = "Cohen's kappa" if n_raters == 2 else "Fleiss' kappa"
        model = (
            "two raters, unweighted"
            if n_raters == 2
            else "several raters per target, nominal categories"
        )
    else:
        name, model = form, _ICC_MODELS[form]
    try:
        if name.startswith("Krippendorff"):
            result = krippendorff_alpha(table, level=metric, values=categories)
        elif name == "Cohen's kappa":
            result = cohen_kappa(*zip(*table, strict=True), categories=categories)
        elif name == "Fleiss' kappa":
            result = fleiss_kappa(table, categories=categories)
        else:
            result = next(e for e in icc(table) if e.statistic == form)
    except IptError as exc:
        return AgreementRow(
            of=of,
            level=level,
            statistic=name,
            model=model,
            estimate=None,
            interval=None,
            n_targets=n_targets,
            n_raters=n_raters,
            note=str(exc),
        )
    note = ""
    if result.interval is None and name.startswith("ICC"):
        note = "no interval: the raters agree perfectly, so the F ratio is infinite"
    return AgreementRow(
        of=of,
        level=level,
        statistic=result.statistic,
        model=result.model,
        estimate=result.estimate,
        interval=result.interval,
        n_targets=result.n_targets,
        n_raters=result.n_raters,
        note=note,
    )


def agreement(ratings: Ratings, *, icc_form: str = "ICC(2,1)") -> Agreement:
    """The agreement of the raters on each item and each subscale of the ratings' scale.

    The statistic follows the item's kind and the data: a categorical item takes Cohen's kappa
    (two raters) or Fleiss' kappa (more); an ordinal or interval item, and every subscale score,
    takes the intraclass correlation ``icc_form`` (by default ICC(2,1), two-way random effects,
    absolute agreement, single rater [SHROUT-FLEISS1979]); wherever a rating is missing,
    Krippendorff's alpha with the metric of the item's kind [KRIPPENDORFF2011]. A statistic that
    is undefined for the data is reported as such in the row's note, not as ``nan``.

    Raises:
        IptError: for an unknown ``icc_form``.
    """
    if icc_form not in _ICC_MODELS:
        raise IptError(f"icc_form must be one of {', '.join(_ICC_MODELS)}, got {icc_form!r}")
    rows = []
    for item in ratings.scale.items:
        table = ratings.table(item.id)
        if table:
            codes = (
                list(range(item.min, item.max + 1)) if item.kind is not ItemKind.INTERVAL else None
            )
            rows.append(_row(item.id, "item", table, item.kind, icc_form, codes))
    for sub in ratings.scale.subscales:
        table = ratings.subscale_table(sub.id)
        if table:
            rows.append(_row(sub.id, "subscale", table, ItemKind.INTERVAL, icc_form, None))
    return Agreement(scale=ratings.scale.id, rows=tuple(rows))
