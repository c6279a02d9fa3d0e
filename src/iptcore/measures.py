"""Symptom measures: the instruments as data, and scoring (totals, bands, flags, proration).

Each instrument is one :class:`InstrumentSpec` value in :data:`INSTRUMENTS`: its items and their
ranges, its severity bands, its flags, its rules for missing items and remission, its published
reliability, and where each of these comes from. The values check themselves when built, so a
user's own variant (another banding, another proration rule) made with :func:`attrs.evolve` is
checked like the built-in ones and can be passed wherever an instrument's name is taken. The case
file checks a measure's item count and ranges against the same table. :func:`score`,
:func:`is_response` and :func:`is_remission` are small generic code over it.

Sources:

- PHQ-9: 9 items scored 0-3, total 0-27, bands 0-4 / 5-9 / 10-14 / 15-19 / 20-27 [KROENKE2001].
- GAD-7: 7 items scored 0-3, total 0-21, bands at 5, 10 and 15 [SPITZER2006].
- HAM-D-17: items 4, 5, 6, 12, 13, 14, 16 and 17 scored 0-2, the others 0-4, total 0-52
  [HAMILTON1960]; the severity ranges of Rush et al. 0-7 / 8-13 / 14-19 / 20-25 / 26+ [RUSH2003]
  by default, or Zimmerman et al.'s empirical 0-7 / 8-16 / 17-23 / 24+ [ZIMMERMAN2013].
- Flags: any answer above 0 on PHQ-9 item 9 (or HAM-D item 3) needs a risk assessment
  [KROENKE2001; SIMON2013; HAMILTON1960]; a missing flag item is "not assessed", never "no risk".
- Missing items: prorated up to each instrument's ``max_missing``.
- Response: at least 50% reduction from baseline. Remission: HAM-D <= 7 [CASACALENDA2002],
  PHQ-9 < 5 [KROENKE2001; LOWE2004]; for the GAD-7, below 5 (its minimal band [SPITZER2006]) is
  iptcore's default, not a consensus remission cut-off (each instrument's ``remission_max``).
- Licences: the PHQ-9 and the GAD-7 are copyrighted by Pfizer Inc. and free to use without
  permission; the HAM-D's items are named, its anchors not reproduced.

Dated series of scores (change, response, remission, reliable change) are in
:mod:`iptcore.trajectory`.

>>> INSTRUMENTS["phq9"].banding().band_of(11).name
'moderate'
>>> s = score("phq9", [1, 2, 1, 2, 1, 2, 1, 1, 0])   # fictional answers
>>> s.total, s.band, sorted(s.flags)
(11, 'moderate', [])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from iptcore import _checks
from iptcore.errors import IptError

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


class Instrument(StrEnum):
    """The symptom scales a case can record (the words of the case format)."""

    PHQ9 = "phq9"
    GAD7 = "gad7"
    HAMD17 = "hamd17"


# --------------------------------------------------------------------------------------------
# Checks shared by the value classes: every bad value raises IptError naming the field.
# --------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# The validators of the value classes, made once (each checks a value when it is validated).
_COUNT = _checks.whole(0, under="at least")  # 0 or more
_NUMBER = _checks.whole(1, under="at least")  # 1 or more
_text = _checks.text(form=_checks.FIELD)


def _name(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.isidentifier() or not value.islower():
        raise IptError(f"{attribute.name} must be a lower-case word like 'mild', got {value!r}")


def _instrument(value: Any) -> Instrument:
    try:
        return Instrument(value)
    except ValueError:
        known = ", ".join(Instrument)
        raise IptError(f"instrument must be one of {known}, got {value!r}") from None


# --------------------------------------------------------------------------------------------
# The parts of an instrument
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Item:
    """One item of an instrument: its number (from 1), its text and its range of scores.

    >>> INSTRUMENTS["phq9"].items[8].text
    'Thoughts that you would be better off dead or of hurting yourself in some way'
    """

    number: int = attrs.field(validator=_NUMBER)
    text: str = attrs.field(validator=_text)
    maximum: int = attrs.field(validator=_NUMBER)
    minimum: int = attrs.field(default=0, validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        if self.maximum <= self.minimum:
            raise IptError(f"item {self.number}: maximum must be above minimum {self.minimum}")


@attrs.frozen(kw_only=True)
class Band:
    """A severity band: the totals ``low`` to ``high``, both included.

    >>> from iptcore.measures import Band
    >>> Band(name="mild", low=5, high=9).contains(9)
    True
    """

    name: str = attrs.field(validator=_name)
    low: int = attrs.field(validator=_COUNT)
    high: int = attrs.field(validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        if self.high < self.low:
            raise IptError(f"band {self.name}: high {self.high} is below low {self.low}")

    def contains(self, total: int) -> bool:
        """Whether ``total`` falls in this band."""
        return self.low <= total <= self.high


@attrs.frozen(kw_only=True)
class Banding:
    """One way of cutting an instrument's totals into bands, with its source.

    The bands are checked against the instrument (they must cover every total, in order, without gaps
    or overlaps) when the :class:`InstrumentSpec` is built.
    """

    name: str = attrs.field(validator=_name)
    bands: tuple[Band, ...] = attrs.field(
        converter=_checks.as_tuple, validator=_checks.tuple_of(Band)
    )
    source: str = attrs.field(validator=_text)

    def band_of(self, total: int) -> Band:
        """The band that holds ``total``.

        >>> INSTRUMENTS["gad7"].banding().band_of(10).name
        'moderate'
        """
        for band in self.bands:
            if band.contains(total):
                return band
        raise IptError(f"total {total} is outside the {self.name} banding")


@attrs.frozen(kw_only=True)
class Flag:
    """A warning raised by one item's answer: ``name`` when item ``item`` scores above ``above``.

    When that item is missing, the score carries ``<name>_not_assessed`` instead, so that an
    unanswered risk question is never read as "no risk".
    """

    name: str = attrs.field(validator=_name)
    item: int = attrs.field(validator=_NUMBER)
    above: int = attrs.field(default=0, validator=_COUNT)
    message: str = attrs.field(validator=_text)
    source: str = attrs.field(validator=_text)

    @property
    def not_assessed(self) -> str:
        """The flag's name when its item was not answered."""
        return f"{self.name}_not_assessed"


# --------------------------------------------------------------------------------------------
# The instrument
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class InstrumentSpec:
    """An instrument as data: items, bandings (the first is the default), flags and their sources.

    ``max_missing`` is how many items may be missing before a score is refused; a score with missing
    items is prorated (the mean of the answered items times the item count, rounded half up).
    ``remission_max`` is the highest total that counts as remission. ``reliability`` (internal
    consistency) and ``reference_sd`` (a pre-treatment standard deviation, or ``None`` when no
    published one is recorded) feed the reliable change index of :mod:`iptcore.trajectory`.

    Build a variant with :func:`attrs.evolve`; it is checked like the built-in ones:

    >>> import attrs
    >>> from iptcore.measures import score
    >>> lenient = attrs.evolve(INSTRUMENTS["phq9"], max_missing=2)
    >>> score(lenient, [2, 2, 2, 2, 2, 2, 2, None, None]).total
    18
    >>> attrs.evolve(INSTRUMENTS["gad7"], max_missing=7)
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: gad7: max_missing must be below the item count 7, got 7
    """

    instrument: Instrument = attrs.field(converter=_instrument)
    title: str = attrs.field(validator=_text)
    stem: str = attrs.field(default="", validator=_text)
    responses: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.tuple_of(str)
    )
    items: tuple[Item, ...] = attrs.field(
        converter=_checks.as_tuple, validator=_checks.tuple_of(Item)
    )
    bandings: tuple[Banding, ...] = attrs.field(
        converter=_checks.as_tuple, validator=_checks.tuple_of(Banding)
    )
    flags: tuple[Flag, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.tuple_of(Flag)
    )
    max_missing: int = attrs.field(validator=_COUNT)
    missing_source: str = attrs.field(validator=_text)
    remission_max: int = attrs.field(validator=_COUNT)
    remission_source: str = attrs.field(validator=_text)
    reliability: float = attrs.field(converter=float)
    reliability_source: str = attrs.field(validator=_text)
    reference_sd: float | None = attrs.field(default=None)
    reference_sd_source: str = attrs.field(default="", validator=_text)
    source: str = attrs.field(validator=_text)

    def __attrs_post_init__(self) -> None:
        where = self.instrument.value
        problems: list[str] = []
        if [item.number for item in self.items] != list(range(1, len(self.items) + 1)):
            problems.append("items must be numbered 1, 2, 3, ... in order")
        if not self.max_missing < len(self.items):
            problems.append(
                f"max_missing must be below the item count {len(self.items)}, got {self.max_missing}"
            )
        low, high = self.min_total, self.max_total
        if not self.bandings:
            problems.append("needs at least one banding")
        for banding in self.bandings:
            edges = [low] + [band.high + 1 for band in banding.bands]
            if [band.low for band in banding.bands] != edges[:-1] or edges[-1] != high + 1:
                problems.append(
                    f"banding {banding.name} must cover {low}-{high} in order, without gaps"
                )
        names = [banding.name for banding in self.bandings]
        if len(set(names)) != len(names):
            problems.append(f"banding names must be unique, got {names}")
        problems.extend(
            f"flag {flag.name} names item {flag.item}, which does not exist"
            for flag in self.flags
            if flag.item > len(self.items)
        )
        if not low <= self.remission_max <= high:
            problems.append(f"remission_max must be within {low}-{high}, got {self.remission_max}")
        if not 0.0 < self.reliability < 1.0:
            problems.append(f"reliability must be between 0 and 1, got {self.reliability}")
        sd = self.reference_sd
        if sd is not None and (isinstance(sd, bool) or not isinstance(sd, int | float) or sd <= 0):
            problems.append(f"reference_sd must be a positive number or None, got {sd!r}")
        if problems:
            raise IptError(f"{where}: " + "; ".join(problems))

    @property
    def item_maxima(self) -> tuple[int, ...]:
        """The highest score of each item, in item order."""
        return tuple(item.maximum for item in self.items)

    @property
    def min_total(self) -> int:
        """The lowest possible total."""
        return sum(item.minimum for item in self.items)

    @property
    def max_total(self) -> int:
        """The highest possible total.

        >>> INSTRUMENTS["hamd17"].max_total
        52
        """
        return sum(item.maximum for item in self.items)

    def banding(self, name: str | None = None) -> Banding:
        """The banding called ``name``; the instrument's default (the first) when ``None``.

        >>> INSTRUMENTS["hamd17"].banding("zimmerman2013").source
        '[ZIMMERMAN2013]'
        """
        if name is None:
            return self.bandings[0]
        for banding in self.bandings:
            if banding.name == name:
                return banding
        known = ", ".join(b.name for b in self.bandings)
        raise IptError(f"{self.instrument.value} has no banding {name!r}; it has {known}")


# The table builders below run at import only: mutation testing cannot reach them
# (mutation/README.md); tests/test_measures.py checks the tables they built against the sources.
def _items(
    maxima: Sequence[int], texts: Sequence[str]
) -> tuple[Item, ...]:  # pragma: no mutate block
    return tuple(
        Item(number=n, text=text, maximum=top)
        for n, (top, text) in enumerate(zip(maxima, texts, strict=True), start=1)
    )


def _bands(
    source: str, name: str = "default", **edges: tuple[int, int]
) -> Banding:  # pragma: no mutate block
    return Banding(
        name=name,
        bands=tuple(Band(name=band, low=lo, high=hi) for band, (lo, hi) in edges.items()),
        source=source,
    )


# Response options shared by the PHQ-9 and the GAD-7 (Kroenke et al. 2001; Spitzer et al. 2006).
_FREQUENCY = ("Not at all", "Several days", "More than half the days", "Nearly every day")

# The item texts of the PHQ-9 [KROENKE2001]: copyright Pfizer Inc., free to use, reproduce and
# distribute without permission.
_PHQ9_TEXTS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being "
        "so fidgety or restless that you have been moving around a lot more than usual"
    ),
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)

# The item texts of the GAD-7 [SPITZER2006]: copyright Pfizer Inc., free to use without permission.
_GAD7_TEXTS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)

# The item titles of the HAM-D-17 [HAMILTON1960]. The rater scores each item from its anchors; the
# anchors are not reproduced here.
_HAMD17_TEXTS = (
    "Depressed mood",
    "Feelings of guilt",
    "Suicide",
    "Insomnia: early in the night",
    "Insomnia: middle of the night",
    "Insomnia: early hours of the morning",
    "Work and activities",
    "Psychomotor retardation",
    "Agitation",
    "Anxiety: psychic",
    "Anxiety: somatic",
    "Somatic symptoms: gastro-intestinal",
    "General somatic symptoms",
    "Genital symptoms",
    "Hypochondriasis",
    "Loss of weight",
    "Insight",
)

# HAM-D-17 items scored 0-2 (1-based numbering of the scale) [HAMILTON1960].
_HAMD_TWO_POINT = frozenset({4, 5, 6, 12, 13, 14, 16, 17})

# Prorating from at most one missing item is iptcore's default for the self-report scales;
# it is a setting (``max_missing``) because services differ. The HAM-D is a rated interview: a
# missing rating means the interview is incomplete, so it is never prorated.
_PRORATE_ONE = "iptcore default: prorate when at most one item is missing (a setting)"

# IAPT / NHS Talking Therapies count a fall of 6+ points on the PHQ-9 and 4+ on the GAD-7 as reliable
# improvement. The reference SDs below are the round values with which the Jacobson & Truax index,
# at the reliabilities recorded here, reproduces those criteria; pass your own sample's
# pre-treatment SD where you have one.
_SD_FROM_IAPT = (
    "chosen to reproduce the NHS Talking Therapies (IAPT) reliable-change criteria "
    "(PHQ-9 6 points, GAD-7 4 points) at the reliability above"
)

#: The instruments, by name: one :class:`InstrumentSpec` each (sources in the module's introduction).
INSTRUMENTS: Mapping[Instrument, InstrumentSpec] = MappingProxyType(
    {
        Instrument.PHQ9: InstrumentSpec(
            instrument=Instrument.PHQ9,
            title="PHQ-9",
            stem="Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?",
            responses=_FREQUENCY,
            items=_items((3,) * 9, _PHQ9_TEXTS),
            bandings=(
                _bands(
                    "[KROENKE2001]",
                    minimal=(0, 4),
                    mild=(5, 9),
                    moderate=(10, 14),
                    moderately_severe=(15, 19),
                    severe=(20, 27),
                ),
            ),
            flags=(
                Flag(
                    name="suicide_risk",
                    item=9,
                    message="item 9 (thoughts of being better off dead or of self-harm) is above 0: "
                    "a risk assessment is needed",
                    source="[KROENKE2001; SIMON2013]",
                ),
            ),
            max_missing=1,
            missing_source=_PRORATE_ONE,
            remission_max=4,
            remission_source="PHQ-9 < 5, the minimal band [KROENKE2001; LOWE2004]",
            reliability=0.89,
            reliability_source="Cronbach's alpha 0.89, Kroenke et al. 2001",
            reference_sd=6.5,
            reference_sd_source=_SD_FROM_IAPT,
            source="[KROENKE2001]; copyright Pfizer Inc., free to use without permission",
        ),
        Instrument.GAD7: InstrumentSpec(
            instrument=Instrument.GAD7,
            title="GAD-7",
            stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
            responses=_FREQUENCY,
            items=_items((3,) * 7, _GAD7_TEXTS),
            bandings=(
                _bands(
                    "[SPITZER2006]",
                    minimal=(0, 4),
                    mild=(5, 9),
                    moderate=(10, 14),
                    severe=(15, 21),
                ),
            ),
            max_missing=1,
            missing_source=_PRORATE_ONE,
            remission_max=4,
            remission_source=(
                "GAD-7 < 5, the minimal band of [SPITZER2006]: iptcore's default, not a consensus "
                "remission cut-off"
            ),
            reliability=0.92,
            reliability_source="Cronbach's alpha 0.92, Spitzer et al. 2006",
            reference_sd=5.1,
            reference_sd_source=_SD_FROM_IAPT,
            source="[SPITZER2006]; copyright Pfizer Inc., free to use without permission",
        ),
        Instrument.HAMD17: InstrumentSpec(
            instrument=Instrument.HAMD17,
            title="HAM-D-17",
            items=_items(
                tuple(2 if n in _HAMD_TWO_POINT else 4 for n in range(1, 18)), _HAMD17_TEXTS
            ),
            bandings=(
                _bands(
                    "[RUSH2003], the HRSD-17 severity ranges",
                    normal=(0, 7),
                    mild=(8, 13),
                    moderate=(14, 19),
                    severe=(20, 25),
                    very_severe=(26, 52),
                ),
                _bands(
                    "[ZIMMERMAN2013]",
                    name="zimmerman2013",
                    normal=(0, 7),
                    mild=(8, 16),
                    moderate=(17, 23),
                    severe=(24, 52),
                ),
            ),
            flags=(
                Flag(
                    name="suicide_risk",
                    item=3,
                    message="item 3 (suicide) is above 0: a risk assessment is needed",
                    source="[HAMILTON1960], item 3",
                ),
            ),
            max_missing=0,
            missing_source="a rated interview: never prorated",
            remission_max=7,
            remission_source="HAM-D <= 7 [CASACALENDA2002]",
            reliability=0.789,
            reliability_source="pooled Cronbach's alpha 0.789, Trajković et al. 2011 (meta-analysis)",
            source="[HAMILTON1960]",
        ),
    }
)


def instrument_spec(instrument: Instrument | str | InstrumentSpec) -> InstrumentSpec:
    """The spec of ``instrument``: a name looked up in :data:`INSTRUMENTS`, or a spec as it is.

    Raises:
        IptError: for a name that is not an instrument.

    >>> from iptcore.measures import instrument_spec
    >>> instrument_spec("gad7").title
    'GAD-7'
    >>> instrument_spec("bdi2")
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: instrument must be one of phq9, gad7, hamd17, got 'bdi2'
    """
    if isinstance(instrument, InstrumentSpec):
        return instrument
    return INSTRUMENTS[_instrument(instrument)]


def item_maxima(instrument: Instrument | str | InstrumentSpec) -> tuple[int, ...]:
    """The highest score of each item of ``instrument``, in item order (every item starts at 0).

    >>> from iptcore.measures import item_maxima
    >>> item_maxima("gad7")
    (3, 3, 3, 3, 3, 3, 3)
    >>> sum(item_maxima("hamd17"))
    52
    """
    return instrument_spec(instrument).item_maxima


def max_total(instrument: Instrument | str | InstrumentSpec) -> int:
    """The highest possible total of ``instrument``.

    >>> from iptcore.measures import max_total
    >>> max_total("phq9"), max_total("gad7"), max_total("hamd17")
    (27, 21, 52)
    """
    return instrument_spec(instrument).max_total


def _frozen(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, set | frozenset | list | tuple):
        raise IptError(f"flags: must be a set of flag names, got {value!r}")
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
    total: int = attrs.field(validator=_COUNT)
    band: str = attrs.field(validator=_name)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    prorated: bool = False
    missing: tuple[int, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.tuple_of(int)
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
        raise IptError(
            f"items of {name} must be a list of item scores, got {items!r}",
            redacted_message=f"items of {name} must be a list of item scores",
        )
    if len(items) != len(spec.items):
        raise IptError(
            f"{name} has {len(spec.items)} items, got {len(items)}",
            redacted_message=f"{name} has {len(spec.items)} items, got another count",
        )
    for item, value in zip(spec.items, items, strict=True):
        if value is None:
            continue
        if not _is_int(value):
            raise IptError(
                f"item {item.number} of {name} must be an integer or None, "
                f"got {value!r} ({type(value).__name__})",
                redacted_message=f"item {item.number} of {name} must be an integer or None, "
                f"got {_checks.kind_of(value)}",
            )
        if not item.minimum <= value <= item.maximum:
            scored = f"item {item.number} of {name} is scored {item.minimum}-{item.maximum}"
            raise IptError(f"{scored}, got {value}", redacted_message=scored)
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
        raise IptError(f"{rule}; {_listed('item', missing)} missing", redacted_message=rule)
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
    """Whether ``current`` is at least a 50% reduction from ``baseline`` [LOWE2004; CUIJPERS2016].

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

    HAM-D <= 7 [CASACALENDA2002], PHQ-9 < 5 [KROENKE2001; LOWE2004], and GAD-7 < 5 (iptcore's
    default, not a consensus cut-off): the spec's ``remission_max``.

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
