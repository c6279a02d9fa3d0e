"""Tests for iptcore.simulate.items: simulated totals become items, and the risk items (PHQ-9 item
9, HAM-D item 3) are answered at the published rates for the severity."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import IptError, score
from iptcore.measures import INSTRUMENTS, Instrument
from iptcore.simulate import (
    RISK_RATES,
    RiskBand,
    RiskRates,
    cohort_items,
    draw_items,
    endorsement_rate,
    simulate_cohort,
)


@pytest.mark.parametrize(("instrument", "item"), [("phq9", 9), ("hamd17", 3)])
def test_a_cohort_endorses_the_risk_item_at_the_published_rate(instrument: str, item: int) -> None:
    """Over 20,000 simulated baselines the share answering the risk item above 0 is, in each
    severity band, within three standard errors of the band's published share (PHQ-9 15-27:
    13.9 + 11.1 + 19.4 = 44.4%, BMC Psychiatry 2016;16:88; HAM-D 14+: 46.67%, Dold et al. 2018),
    where totals the other items cannot hold count as endorsing."""
    cohort = simulate_cohort(20_000, seed=9, instrument=instrument)
    items = cohort_items(cohort)
    assert (items.sum(axis=1) == cohort.baseline).all()
    endorsed = items[:, item - 1] > 0
    rates = np.array([endorsement_rate(instrument, int(t)) for t in cohort.baseline])
    for band in RISK_RATES[Instrument(instrument)].bands:
        inside = (cohort.baseline >= band.low) & (cohort.baseline <= band.high)
        n = int(inside.sum())
        if n < 100:
            continue
        expected = float(rates[inside].mean())
        sd = math.sqrt(float((rates[inside] * (1 - rates[inside])).sum())) / n
        assert abs(endorsed[inside].mean() - expected) < 3 * sd + 1e-12, (band, n)
    top = RISK_RATES[Instrument(instrument)].bands[-1]
    assert 0.4 < top.endorsed < 0.5  # 44.4% and 46.67%: the published figures


def test_the_end_scores_raise_fewer_flags_than_the_baselines() -> None:
    """Patients who improve answer the risk item less often: the rate follows the severity."""
    cohort = simulate_cohort(20_000, seed=4, instrument="phq9")
    before = (cohort_items(cohort)[:, 8] > 0).mean()
    after = (cohort_items(cohort, "end")[:, 8] > 0).mean()
    assert after < before - 0.1


@given(instrument=st.sampled_from(list(Instrument)), seed=st.integers(0, 2**32), data=st.data())
def test_items_add_up_to_the_total_within_their_ranges(
    instrument: Instrument, seed: int, data: st.DataObject
) -> None:
    """Whatever the totals, the items score back to them, each within its item's range."""
    spec = INSTRUMENTS[instrument]
    totals = data.draw(st.lists(st.integers(0, spec.max_total), max_size=30))
    items = draw_items(instrument, totals, np.random.default_rng(seed))
    for total, row in zip(totals, items.tolist(), strict=True):
        assert score(instrument, row).total == total


def test_rates_are_a_parameter() -> None:
    """Your own rates: everyone at or above 5 answers 3 ("nearly every day"); nobody below."""
    always = RiskRates(
        instrument=Instrument.PHQ9,
        item=9,
        bands=(RiskBand(low=0, high=4, shares=()), RiskBand(low=5, high=27, shares=(0, 0, 1))),
        source="a test",
    )
    items = draw_items("phq9", [3, 5, 20], np.random.default_rng(1), rates=always)
    assert items[:, 8].tolist() == [0, 3, 3]
    assert endorsement_rate("phq9", 20, always) == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: draw_items("phq9", [28], np.random.default_rng(1)), "totals: must lie in 0-27"),
        (lambda: draw_items("phq9", [1.5], np.random.default_rng(1)), "totals: must be whole"),
        (
            lambda: draw_items(
                "gad7", [3], np.random.default_rng(1), rates=RISK_RATES[Instrument.PHQ9]
            ),
            "rates: they are for phq9, not gad7",
        ),
        (lambda: RiskBand(low=5, high=4, shares=()), "need 0 <= low <= high"),
        (lambda: RiskBand(low=0, high=4, shares=(0.7, 0.7)), "add up to 1 at most"),
        (lambda: cohort_items(simulate_cohort(5, seed=1), "middle"), "scores: must be"),
    ],
)
def test_bad_input_is_named(call: object, message: str) -> None:
    with pytest.raises(IptError, match=message):
        call()  # type: ignore[operator]
