"""Scoring symptom measures: totals, bands, flags, proration, response and remission.

:func:`score`, :func:`is_response` and :func:`is_remission` are small generic code over the
instruments as data (:mod:`iptcore.instruments`: :data:`INSTRUMENTS`, one :class:`InstrumentSpec`
each, with its items, bands, flags and their sources), so a user's own variant (another banding,
another proration rule) is a changed value passed in place of the instrument's name. This module
re-exports the instruments' names, so ``from iptcore.measures import Instrument`` keeps working.

Sources (IPT_REFERENCE.md section 6):

- Totals and bands: each instrument's items and bandings (Kroenke, Spitzer & Williams 2001;
  Spitzer et al. 2006; Hamilton 1960; Zimmerman et al. 2013), in :mod:`iptcore.instruments`.
- Flags: any answer above 0 on PHQ-9 item 9 (or HAM-D item 3) needs a risk assessment (Kroenke et al.
  2001; Simon et al. 2013; Hamilton 1960); a missing flag item is "not assessed", never "no risk".
- Missing items: prorated up to each instrument's ``max_missing`` (issue 4).
- Response: at least 50% reduction from baseline. Remission: HAM-D <= 7, PHQ-9 < 5, GAD-7 < 5.

Dated series of scores (change, response, remission, reliable change) are in
:mod:`iptcore.trajectory`.

>>> s = score("phq9", [1, 2, 1, 2, 1, 2, 1, 1, 0])   # fictional answers
>>> s.total, s.band, sorted(s.flags)
(11, 'moderate', [])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs

from iptcore import checks
from iptcore.errors import IptError
from iptcore.instruments import (
    INSTRUMENTS,
    Band,
    Banding,
    Flag,
    Instrument,
    InstrumentSpec,
    Item,
    _instrument,
    _int,
    _is_int,
    _name,
    _tuple_of,
    instrument_spec,
    item_maxima,
    max_total,
)

__all__ = [
    "INSTRUMENTS",
    "Band",
    "Banding",
    "Flag",
    "Instrument",
    "InstrumentSpec",
    "Item",
    "Score",
    "instrument_spec",
    "is_remission",
    "is_response",
    "item_maxima",
    "max_total",
    "score",
]


def _frozen(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, set | frozenset | list | tuple):
        raise IptError(f"flags must be a set of flag names, got {value!r}")
    return frozenset(value)


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Score:
    """A scored measure: the total, its band, the flags raised, and whether it was prorated.

    ``missing`` lists the numbers (from 1) of the items that were not answered; ``banding`` names the
    banding that gave ``band``.

    >>> s = score("phq9", [3, 3, 2, 2, 2, 1, 1, 1, 1])   # fictional answers
    >>> print(s.describe())
    PHQ-9 16 (moderately_severe); flags: suicide_risk
    >>> s.to_dict()["flags"]
    ['suicide_risk']
    """

    instrument: Instrument = attrs.field(converter=_instrument)
    total: int = attrs.field(validator=_int(0))
    band: str = attrs.field(validator=_name)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    prorated: bool = False
    missing: tuple[int, ...] = attrs.field(
        default=(), converter=checks.as_tuple, validator=_tuple_of(int)
    )
    banding: str = attrs.field(default="default", validator=_name)

    def describe(self) -> str:
        """One line for people: instrument, total, band, proration and flags."""
        spec = INSTRUMENTS[self.instrument]
        text = f"{spec.title} {self.total} ({self.band})"
        if self.banding != "default":
            text += f" [{self.banding} banding]"
        if self.prorated:
            answered = len(spec.items) - len(self.missing)
            text += f"; prorated from {answered} of {len(spec.items)} items"
        if self.flags:
            text += "; flags: " + ", ".join(sorted(self.flags))
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (flags sorted, so that the output is stable)."""
        return {
            "instrument": self.instrument.value,
            "total": self.total,
            "band": self.band,
            "banding": self.banding,
            "flags": sorted(self.flags),
            "prorated": self.prorated,
            "missing": list(self.missing),
        }


def _check_items(spec: InstrumentSpec, items: object) -> tuple[int | None, ...]:
    """The item scores as a tuple, each checked against its item's range."""
    name = spec.instrument.value
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise IptError(f"items of {name} must be a list of item scores, got {items!r}")
    if len(items) != len(spec.items):
        raise IptError(f"{name} has {len(spec.items)} items, got {len(items)}")
    for item, value in zip(spec.items, items, strict=True):
        if value is None:
            continue
        if not _is_int(value):
            raise IptError(
                f"item {item.number} of {name} must be an integer or None, "
                f"got {value!r} ({type(value).__name__})"
            )
        if not item.minimum <= value <= item.maximum:
            raise IptError(
                f"item {item.number} of {name} is scored {item.minimum}-{item.maximum}, got {value}"
            )
    return tuple(items)


def _listed(noun: str, numbers: Sequence[int]) -> str:
    """``item 3 is`` / ``items 3 and 8 are`` / ``items 1, 2 and 5 are``."""
    if len(numbers) == 1:
        return f"{noun} {numbers[0]} is"
    head = ", ".join(map(str, numbers[:-1]))
    return f"{noun}s {head} and {numbers[-1]} are"


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def score(
    instrument: Instrument | str | InstrumentSpec,
    items: Sequence[int | None],
    *,
    banding: str | None = None,
) -> Score:
    """Score one administration of ``instrument``: total, band, flags.

    Args:
        instrument: ``"phq9"``, ``"gad7"``, ``"hamd17"`` (or an :class:`InstrumentSpec`).
        items: every item's score in item order; ``None`` marks a missing item.
        banding: the name of one of the instrument's bandings; ``None`` for its default
            (``"zimmerman2013"`` is the alternative for the HAM-D-17).

    Returns:
        The :class:`Score`. With missing items (at most ``max_missing``: one for the PHQ-9 and
        GAD-7, none for the HAM-D) the total is prorated: the mean of the answered items times the
        item count, rounded half up, and ``prorated`` is true.

    Raises:
        IptError: for a wrong item count, an item that is not an integer (``bool`` and ``float``
            included) or out of its range, too many missing items, or an unknown banding; the
            message names the item.

    >>> score("hamd17", [2, 1, 0, 1, 1, 0, 2, 1, 1, 2, 1, 1, 1, 0, 1, 0, 0]).band   # fictional
    'moderate'
    >>> score("hamd17", [2, 1, 0, 1, 1, 0, 2, 1, 1, 2, 1, 1, 1, 0, 1, 0, 0],
    ...       banding="zimmerman2013").band
    'mild'
    >>> score("gad7", [1, 2, None, 1, 1, 2, 1]).total   # 8 / 6 * 7 = 9.33 -> 9
    9
    >>> score("phq9", [1, 2, None, 1, 1, 2, 1, None, 0])
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: phq9 is prorated with at most 1 missing item; items 3 and 8 are missing
    """
    spec = instrument_spec(instrument)
    chosen = spec.banding(banding)
    values = _check_items(spec, items)
    missing = tuple(n for n, value in enumerate(values, start=1) if value is None)
    answered = [value for value in values if value is not None]
    if len(missing) > spec.max_missing:
        name, most = spec.instrument.value, spec.max_missing
        rule = (
            f"{name} is never prorated"
            if most == 0
            else (f"{name} is prorated with at most {most} missing item{'s' if most > 1 else ''}")
        )
        raise IptError(f"{rule}; {_listed('item', missing)} missing")
    total = sum(answered)
    if missing:
        total = _round_half_up(Fraction(total * len(values), len(answered)))
    flags: set[str] = set()
    for flag in spec.flags:
        value = values[flag.item - 1]
        if value is None:
            flags.add(flag.not_assessed)
        elif value > flag.above:
            flags.add(flag.name)
    return Score(
        instrument=spec.instrument,
        total=total,
        band=chosen.band_of(total).name,
        flags=frozenset(flags),
        prorated=bool(missing),
        missing=missing,
        banding=chosen.name,
    )


def _count(name: str, value: object) -> int:
    if not _is_int(value) or value < 0:  # type: ignore[operator]
        raise IptError(f"{name} must be a whole number of 0 or more, got {value!r}")
    return value  # type: ignore[return-value]


def is_response(baseline: int, current: int) -> bool:
    """Whether ``current`` is at least a 50% reduction from ``baseline`` (IPT_REFERENCE.md s. 6).

    A baseline of 0 has nothing to reduce, so it is never a response (``False``), whatever follows.

    Raises:
        IptError: when either total is not a whole number of 0 or more.

    >>> is_response(20, 10), is_response(21, 11), is_response(0, 0)
    (True, False, False)
    """
    baseline, current = _count("baseline", baseline), _count("current", current)
    return baseline > 0 and 2 * current <= baseline


def is_remission(instrument: Instrument | str | InstrumentSpec, total: int) -> bool:
    """Whether ``total`` on ``instrument`` counts as remission.

    HAM-D <= 7, PHQ-9 < 5 (IPT_REFERENCE.md s. 6), GAD-7 < 5 (issue 4): the spec's ``remission_max``.

    Raises:
        IptError: for an unknown instrument or a total outside its range.

    >>> is_remission("hamd17", 7), is_remission("hamd17", 8), is_remission("phq9", 5)
    (True, False, False)
    """
    spec = instrument_spec(instrument)
    total = _count("total", total)
    if total > spec.max_total:
        raise IptError(f"total of {spec.instrument.value} is at most {spec.max_total}, got {total}")
    return total <= spec.remission_max
