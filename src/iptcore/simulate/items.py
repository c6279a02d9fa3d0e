"""Item scores for simulated totals, with the risk items answered at published rates.

A simulated score is a total; a course app stores the items. :func:`draw_items` turns totals into
items: the risk item (PHQ-9 item 9, "thoughts that you would be better off dead, or of hurting
yourself"; HAM-D-17 item 3, suicide) is answered first, at the rate published for the total's
severity band (:data:`RISK_RATES`), and the rest of the total is spread over the other items as
evenly as their ranges allow. A total the other items cannot hold puts the remainder on the risk
item. So a simulated cohort raises the risk flag as often as patients of its severity do, and an
app tested on simulated data exercises its risk path.

The rates (each level's share, by band of the total):

- PHQ-9 item 9, by PHQ-9 band (0-4, 5-9, 10-14, 15-27): the answers "several days", "more than
  half the days" and "nearly every day" in a population survey's table of mental health status
  by severity of depressive symptoms, BMC Psychiatry 2016;16:88, Table 3 [PHQ9-ITEM9-2016]:
  0.5/0/0%, 8.9/0.3/0.4%, 14.4/0.8/0.9% and 13.9/11.1/19.4%. Any answer above 0 thus comes from
  0.5%, 9.6%, 16.1% and 44.4% of each band. Simon et al. 2013 [SIMON2013] report that up to 10%
  of outpatients answer "more than half the days" or "nearly every day".
- HAM-D-17 item 3, by HAM-D band: at or above a trial's entry (14+), Dold et al. 2018
  [DOLD2018] rated 46.67% of 1,410 patients with major depression 1 or more and 8.23% 3 or 4;
  Rucci et al. 2011 [RUCCI2011] found 60 of 291 outpatients entering an IPT and SSRI trial
  (HAM-D 15+) with suicidal ideation (item 3 of 2 or more, or the QIDS item), so at most 20.6%
  rate 2 or more. The levels: 1 26.07%, 2 12.37% (20.6% less Dold's 8.23%), 3 8.23% and 4 0%
  (a 4 is a suicide attempt, an event the simulation leaves to a script). Below 14 the rates are
  an assumption, stated and unconfirmed: 8-13 as the PHQ-9's moderate band (16.1%, all at level
  1) and 0-7 as its minimal band (0.5%, at level 1).

Every table is a parameter: pass ``rates=`` to use your own.

>>> import numpy as np
>>> items = draw_items("phq9", np.array([22, 3]), np.random.default_rng(1))
>>> items.sum(axis=1).tolist(), items.shape
([22, 3], (2, 9))
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from iptcore._checks import runs
from iptcore.errors import IptError
from iptcore.measures import Instrument, instrument_spec
from iptcore.simulate._model import ARMS

if TYPE_CHECKING:
    from iptcore.simulate.cohort import Cohort

__all__ = [
    "RISK_RATES",
    "RiskBand",
    "RiskRates",
    "cohort_items",
    "draw_items",
    "endorsement_rate",
]

# The stream of the items, after the model's seven kinds of draw (iptcore.simulate._model).
_ITEMS: Final = 7
_SCORES: Final = ("baseline", "end")


@attrs.frozen(kw_only=True)
class RiskBand:
    """The share of each answer above 0 of the risk item, for totals ``low``..``high``."""

    low: int
    high: int
    #: ``shares[k]`` is the share answering ``k + 1``; the rest answer 0.
    shares: tuple[float, ...]

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.low <= self.high:
            raise IptError(f"RiskBand: need 0 <= low <= high, got {self.low}-{self.high}")
        if any(not (math.isfinite(s) and s >= 0) for s in self.shares) or sum(self.shares) > 1:
            raise IptError(
                f"RiskBand.shares must be 0 or more and add up to 1 at most, got {self.shares}"
            )

    @property
    def endorsed(self) -> float:
        """The share answering above 0."""
        return float(sum(self.shares))


@attrs.frozen(kw_only=True)
class RiskRates:
    """The risk item of an instrument and its answers by band of the total, with their source.

    Refused (an IptError naming every problem): an item the instrument does not have, a band with
    more shares than the item has answers above 0, and bands that leave a total of the scale
    out, hold one twice, or run past its largest total.
    """

    instrument: Instrument
    item: int
    bands: tuple[RiskBand, ...]
    source: str

    def __attrs_post_init__(self) -> None:
        spec = instrument_spec(self.instrument)
        problems = []
        if not 1 <= self.item <= len(spec.items):
            problems.append(
                f"RiskRates.item: {spec.instrument.value} has items 1-{len(spec.items)}, "
                f"got {self.item}"
            )
        else:
            top = spec.items[self.item - 1].maximum
            problems += [
                f"RiskRates.bands[{k}]: item {self.item} of {spec.instrument.value} is scored "
                f"0-{top}, so a band has {top} shares at most, got {len(band.shares)}"
                for k, band in enumerate(self.bands)
                if len(band.shares) > top
            ]
        # Every total of the scale in exactly one band, so that every total has its rates.
        held = [0] * (spec.max_total + 1)
        for band in self.bands:
            for total in range(band.low, min(band.high, spec.max_total) + 1):
                held[total] += 1
        none = [t for t, n in enumerate(held) if n == 0]
        twice = [t for t, n in enumerate(held) if n > 1]
        for wrong, totals in (("no band holds", none), ("more than one band holds", twice)):
            if totals:
                problems.append(
                    f"RiskRates.bands: {wrong} the totals {runs(totals)} of {spec.instrument.value}"
                )
        problems += [
            f"RiskRates.bands[{k}]: {spec.instrument.value} totals end at {spec.max_total}, "
            f"got a band of {band.low}-{band.high}"
            for k, band in enumerate(self.bands)
            if band.high > spec.max_total
        ]
        if problems:
            raise IptError("; ".join(problems))

    def band(self, total: int) -> RiskBand:
        """The band that holds ``total`` (an IptError when none does)."""
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise IptError(f"{self.instrument.value}: no risk band holds a total of {total}")


# Builds the table below at import only: mutation testing cannot reach it (mutation/README.md);
# tests/test_simulate_items.py checks the table it built against the published one.
def _band(low: int, high: int, *shares: float) -> RiskBand:  # pragma: no mutate block
    return RiskBand(low=low, high=high, shares=tuple(shares))


#: The published (or stated) answers of each instrument's risk item by severity (module docstring).
RISK_RATES: Final[Mapping[Instrument, RiskRates]] = MappingProxyType(
    {
        Instrument.PHQ9: RiskRates(
            instrument=Instrument.PHQ9,
            item=9,
            bands=(
                _band(0, 4, 0.005, 0.0, 0.0),
                _band(5, 9, 0.089, 0.003, 0.004),
                _band(10, 14, 0.144, 0.008, 0.009),
                _band(15, 27, 0.139, 0.111, 0.194),
            ),
            source="BMC Psychiatry 2016;16:88, Table 3 [PHQ9-ITEM9-2016]",
        ),
        Instrument.HAMD17: RiskRates(
            instrument=Instrument.HAMD17,
            item=3,
            bands=(
                _band(0, 7, 0.005),
                _band(8, 13, 0.161),
                _band(14, 52, 0.2607, 0.1237, 0.0823, 0.0),
            ),
            source="14+: Dold et al. 2018 [DOLD2018] and Rucci et al. 2011 [RUCCI2011]; "
            "below 14 (unconfirmed) the PHQ-9's minimal and moderate bands",
        ),
    }
)


def endorsement_rate(
    instrument: Instrument | str, total: int, rates: RiskRates | None = None
) -> float:
    """The share of totals of ``total`` whose risk item is above 0 (1 when the other items cannot
    hold the total); 0 for an instrument without a risk item.

    Raises:
        IptError: for a total outside the instrument's range, or rates for another instrument.

    >>> endorsement_rate("phq9", 17), endorsement_rate("phq9", 26), endorsement_rate("gad7", 15)
    (0.444, 1.0, 0.0)
    """
    spec = instrument_spec(instrument)
    if not 0 <= total <= spec.max_total:
        raise IptError(
            f"total: must lie in 0-{spec.max_total} for {spec.instrument.value}, got {total}"
        )
    table = RISK_RATES.get(spec.instrument) if rates is None else rates
    if table is None:
        return 0.0
    if table.instrument is not spec.instrument:
        raise IptError(f"rates: they are for {table.instrument.value}, not {spec.instrument.value}")
    room = sum(i.maximum for i in spec.items if i.number != table.item)
    return 1.0 if total > room else round(table.band(total).endorsed, 10)


def _spread(maxima: Sequence[int], total: int) -> list[int]:
    """``total`` over items with the ``maxima`` given, one point each in turn (round robin)."""
    scores = [0] * len(maxima)
    left = total
    while left:
        for k, top in enumerate(maxima):
            if left and scores[k] < top:
                scores[k] += 1
                left -= 1
    return scores


def draw_items(
    instrument: Instrument | str,
    totals: npt.NDArray[Any] | Sequence[int],
    rng: np.random.Generator,
    *,
    rates: RiskRates | None = None,
) -> npt.NDArray[np.int8]:
    """Item scores (one row per total) that add up to each total, the risk item answered at the
    rate of the total's band; vectorised over totals.

    Args:
        instrument: the scale.
        totals: whole numbers within the instrument's range.
        rng: the random numbers (one uniform draw per total).
        rates: the risk item's answers by band; :data:`RISK_RATES` by default. An instrument
            without a risk item (GAD-7) spreads each total evenly.

    Raises:
        IptError: for a total outside the instrument's range, or rates for another instrument.
    """
    spec = instrument_spec(instrument)
    values = np.asarray(totals)
    if values.ndim != 1 or (values.size and not np.issubdtype(values.dtype, np.integer)):
        raise IptError(f"totals: must be whole numbers, got {totals!r}")
    values = values.astype(np.int64)
    if values.size and (values.min() < 0 or values.max() > spec.max_total):
        raise IptError(f"totals: must lie in 0-{spec.max_total} for {spec.instrument.value}")
    table = RISK_RATES.get(spec.instrument) if rates is None else rates
    if table is not None and table.instrument is not spec.instrument:
        raise IptError(f"rates: they are for {table.instrument.value}, not {spec.instrument.value}")
    risk = -1 if table is None else table.item - 1
    others = [i.maximum for i in spec.items if i.number - 1 != risk]
    room = sum(others)
    # Every way the other items can hold a rest of 0..room points, looked up by the rest.
    layouts = np.array([_spread(others, rest) for rest in range(room + 1)], dtype=np.int8)
    level = np.zeros(values.size, dtype=np.int64)
    if table is not None:
        u = rng.random(values.size)
        for band in table.bands:
            inside = (values >= band.low) & (values <= band.high)
            cut = np.cumsum(band.shares)
            # u below cut[0] answers 1, between cut[k-1] and cut[k] answers k + 1, above all 0.
            answer = np.searchsorted(cut, u[inside], side="right") + 1
            answer[answer > cut.size] = 0
            level[inside] = answer
        # No more than the total; at least what the other items cannot hold.
        level = np.maximum(np.minimum(level, values), values - room)
    rest = values - level
    out = np.empty((values.size, len(spec.items)), dtype=np.int8)
    columns = [k for k in range(len(spec.items)) if k != risk]
    out[:, columns] = layouts[rest]
    if risk >= 0:
        out[:, risk] = level
    return out


def cohort_items(
    cohort: Cohort, scores: str = "baseline", *, rates: RiskRates | None = None
) -> npt.NDArray[np.int8]:
    """Item scores of each case's ``baseline`` or ``end`` score (one row per case, in case
    order), drawn by :func:`draw_items`. Each block of cases draws from its own stream of the
    cohort's seed, so the items are the same however the cohort was computed.

    >>> from iptcore.simulate import simulate_cohort
    >>> cohort = simulate_cohort(1000, seed=3, instrument="phq9")
    >>> items = cohort_items(cohort)
    >>> bool((items.sum(axis=1) == cohort.baseline).all()), bool((items[:, 8] > 0).any())
    (True, True)
    """
    if scores not in _SCORES:
        raise IptError(f"scores: must be 'baseline' or 'end', got {scores!r}")
    design = cohort.design
    totals = getattr(cohort, scores)
    spec = instrument_spec(design.params.instrument)
    out = np.empty((design.n, len(spec.items)), dtype=np.int8)
    for block in range(design.n_blocks):
        cases = design.block_cases(block)
        key = (ARMS[design.arm], block, _ITEMS, _SCORES.index(scores))
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(design.seed, spawn_key=key))
        )
        part = slice(cases.start, cases.stop)
        out[part] = draw_items(spec.instrument, totals[part], rng, rates=rates)
    return out
