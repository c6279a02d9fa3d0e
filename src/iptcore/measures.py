"""Symptom measures: the instruments as data (items and their ranges).

The case format checks a measure's item count and each item's range against these tables
(``CASE_FORMAT.md``, Measure); scoring, bands and flags are built on the same tables.

Sources (IPT_REFERENCE.md section 6): PHQ-9, 9 items scored 0-3 (Kroenke et al. 2001); GAD-7, 7 items
scored 0-3 (Spitzer et al. 2006); HAM-D-17, 17 items, items 4, 5, 6, 12, 13, 14, 16 and 17 scored 0-2
and the others 0-4, total 0-52 (Hamilton 1960).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Instrument", "item_maxima"]


class Instrument(StrEnum):
    """The symptom scales a case can record (the words of the case format)."""

    PHQ9 = "phq9"
    GAD7 = "gad7"
    HAMD17 = "hamd17"


# HAM-D-17 items scored 0-2 (1-based numbering of the scale) [Hamilton 1960; IPT_REFERENCE.md s. 6].
_HAMD_TWO_POINT = frozenset({4, 5, 6, 12, 13, 14, 16, 17})

_ITEM_MAXIMA: dict[Instrument, tuple[int, ...]] = {
    Instrument.PHQ9: (3,) * 9,
    Instrument.GAD7: (3,) * 7,
    Instrument.HAMD17: tuple(2 if n in _HAMD_TWO_POINT else 4 for n in range(1, 18)),
}


def item_maxima(instrument: Instrument | str) -> tuple[int, ...]:
    """The highest score of each item of ``instrument``, in item order (every item starts at 0).

    >>> item_maxima("gad7")
    (3, 3, 3, 3, 3, 3, 3)
    >>> sum(item_maxima("hamd17"))
    52
    """
    return _ITEM_MAXIMA[Instrument(instrument)]
