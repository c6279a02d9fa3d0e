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
    BLOCK_SIZE,
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
        (
            lambda: draw_items("phq9", [1.5], np.random.default_rng(1)),  # type: ignore[list-item]
            "totals: must be whole",
        ),
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


# The published tables, typed out from their sources (not read from the code): PHQ-9 item 9 by
# PHQ-9 band, BMC Psychiatry 2016;16:88, Table 3 [PHQ9-ITEM9-2016] ("several days", "more than
# half the days", "nearly every day"); HAM-D-17 item 3 at 14+ from Dold et al. 2018 [DOLD2018]
# and Rucci et al. 2011 [RUCCI2011], below 14 the PHQ-9's shares (the module's stated assumption).
PHQ9_TABLE: tuple[tuple[int, int, tuple[float, ...]], ...] = (
    (0, 4, (0.005, 0.0, 0.0)),
    (5, 9, (0.089, 0.003, 0.004)),
    (10, 14, (0.144, 0.008, 0.009)),
    (15, 27, (0.139, 0.111, 0.194)),
)
HAMD_TABLE: tuple[tuple[int, int, tuple[float, ...]], ...] = (
    (0, 7, (0.005,)),
    (8, 13, (0.161,)),
    (14, 52, (0.2607, 0.1237, 0.0823, 0.0)),
)
#: What the other items hold at most: PHQ-9 8 items of 0-3; HAM-D-17 52 less item 3's 0-4.
PHQ9_ROOM = 8 * 3
HAMD_ROOM = 52 - 4


def _expected_level(
    total: int, u: float, table: tuple[tuple[int, int, tuple[float, ...]], ...], room: int
) -> int:
    """The risk item's answer by the module's rule, worked out by hand: the band holding the
    total; the first level whose running share exceeds the uniform draw ``u`` (none: 0); then no
    more than the total and at least what the other items cannot hold."""
    for low, high, shares in table:
        if low <= total <= high:
            level, running = 0, 0.0
            for k, share in enumerate(shares):
                running += share
                if u < running:
                    level = k + 1
                    break
            return max(min(level, total), total - room)
    raise AssertionError(f"no band holds {total}")


def _rates(
    instrument: Instrument, item: int, bands: tuple[tuple[int, int, tuple[float, ...]], ...]
) -> RiskRates:
    return RiskRates(
        instrument=instrument,
        item=item,
        bands=tuple(RiskBand(low=lo, high=hi, shares=sh) for lo, hi, sh in bands),
        source="a test (fictional)",
    )


def _zero_draws() -> np.random.Generator:
    """A generator whose every uniform draw is exactly 0.0: an MT19937 whose state words are all
    zero (tempering maps 0 to 0, and a double is made of two such words)."""
    bits = np.random.MT19937(0)
    bits.state = {
        "bit_generator": "MT19937",
        "state": {"key": np.zeros(624, dtype=np.uint32), "pos": 0},
    }
    return np.random.Generator(bits)


@pytest.mark.parametrize(
    ("instrument", "item", "table"),
    [(Instrument.PHQ9, 9, PHQ9_TABLE), (Instrument.HAMD17, 3, HAMD_TABLE)],
)
def test_the_default_tables_are_the_published_ones(
    instrument: Instrument, item: int, table: tuple[tuple[int, int, tuple[float, ...]], ...]
) -> None:
    """The risk item, its bands' cut points and each level's share are those of the sources:
    PHQ-9 item 9 at 0-4, 5-9, 10-14, 15-27 with 0.5/0/0%, 8.9/0.3/0.4%, 14.4/0.8/0.9% and
    13.9/11.1/19.4% [PHQ9-ITEM9-2016]; HAM-D-17 item 3 at 14+ with 26.07/12.37/8.23/0%
    [DOLD2018] [RUCCI2011], and below 14 the PHQ-9's minimal and moderate shares."""
    rates = RISK_RATES[instrument]
    assert rates.instrument is instrument
    assert rates.item == item
    assert tuple((b.low, b.high, b.shares) for b in rates.bands) == table


@pytest.mark.parametrize(
    ("instrument", "total", "rate"),
    [
        # PHQ-9, at both edges of each band [PHQ9-ITEM9-2016]; the other items hold 24 at most.
        ("phq9", 0, 0.005),
        ("phq9", 4, 0.005),
        ("phq9", 5, 0.096),  # 8.9 + 0.3 + 0.4
        ("phq9", 9, 0.096),
        ("phq9", 10, 0.161),  # 14.4 + 0.8 + 0.9
        ("phq9", 14, 0.161),
        ("phq9", 15, 0.444),  # 13.9 + 11.1 + 19.4
        ("phq9", 24, 0.444),
        ("phq9", 25, 1.0),  # 25 > 24: item 9 must hold at least 1
        ("phq9", 27, 1.0),
        # HAM-D-17 [DOLD2018] [RUCCI2011]; the other items hold 48 at most.
        ("hamd17", 0, 0.005),
        ("hamd17", 7, 0.005),
        ("hamd17", 8, 0.161),
        ("hamd17", 13, 0.161),
        ("hamd17", 14, 0.4667),  # 26.07 + 12.37 + 8.23 + 0
        ("hamd17", 48, 0.4667),
        ("hamd17", 49, 1.0),
        ("hamd17", 52, 1.0),
        # No risk item: never endorsed.
        ("gad7", 0, 0.0),
        ("gad7", 15, 0.0),
        ("gad7", 21, 0.0),
    ],
)
def test_endorsement_rate_at_the_band_edges(instrument: str, total: int, rate: float) -> None:
    """The share endorsing the risk item changes exactly at the published cut points, is the
    sum of the band's shares (worked out by hand in the comments, to the published precision),
    is 1 where the other items cannot hold the total, and 0 for a scale without a risk item."""
    assert endorsement_rate(instrument, total) == rate


def test_endorsement_rate_is_given_to_ten_decimal_places() -> None:
    """The rate is rounded to 10 decimal places, so that a float sum such as 0.2607 + 0.1237 +
    0.0823 reads 0.4667, not 0.46669999999999995; a share finer than that is rounded too."""
    fine = _rates(Instrument.PHQ9, 9, ((0, 27, (0.5, 0.00000000004)),))
    assert endorsement_rate("phq9", 10, fine) == 0.5
    finer = _rates(Instrument.PHQ9, 9, ((0, 27, (0.5, 0.00000000006)),))
    assert endorsement_rate("phq9", 10, finer) == 0.5000000001


@pytest.mark.parametrize(
    ("instrument", "item", "table", "room", "totals"),
    [
        (Instrument.PHQ9, 9, PHQ9_TABLE, PHQ9_ROOM, [0, 1, 4, 5, 9, 10, 14, 15, 24, 25, 26, 27]),
        (Instrument.HAMD17, 3, HAMD_TABLE, HAMD_ROOM, [0, 1, 7, 8, 13, 14, 30, 48, 49, 52]),
    ],
)
def test_the_risk_item_follows_the_draw_and_the_band_of_each_total(
    instrument: Instrument,
    item: int,
    table: tuple[tuple[int, int, tuple[float, ...]], ...],
    room: int,
    totals: list[int],
) -> None:
    """Each total takes one uniform draw, in order, from the generator given: the risk item is
    the level of the total's band whose running share first exceeds it (0 past them all), at
    most the total and at least what the other items cannot hold. Worked out here by hand from
    the published tables [PHQ9-ITEM9-2016] [DOLD2018] for totals at every band edge (300 each),
    with the draws read from a twin generator of the same seed; every row adds up to its total."""
    many = np.repeat(np.array(totals), 300)
    draws = np.random.default_rng(11).random(many.size)
    items = draw_items(instrument, many, np.random.default_rng(11))
    expected = [
        _expected_level(int(t), float(u), table, room) for t, u in zip(many, draws, strict=True)
    ]
    assert items[:, item - 1].tolist() == expected
    assert (items.sum(axis=1) == many).all()
    assert items.dtype == np.int8


def test_the_other_phq9_items_share_the_rest_evenly() -> None:
    """The rest of the total is spread one point at a time over items 1-8 in turn: a total of
    20 with item 9 at 3 gives 17 = 3 + 7 x 2; a total of 27 gives 3 everywhere. Rates that never
    endorse make item 9 0 up to 24 and what items 1-8 cannot hold past it."""
    never = _rates(Instrument.PHQ9, 9, ((0, 27, ()),))
    items = draw_items("phq9", [0, 5, 17, 24, 25, 27], np.random.default_rng(2), rates=never)
    assert items.tolist() == [
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [3, 2, 2, 2, 2, 2, 2, 2, 0],
        [3, 3, 3, 3, 3, 3, 3, 3, 0],
        [3, 3, 3, 3, 3, 3, 3, 3, 1],
        [3, 3, 3, 3, 3, 3, 3, 3, 3],
    ]
    always = _rates(Instrument.PHQ9, 9, ((0, 27, (0.0, 0.0, 1.0)),))
    items = draw_items("phq9", [20], np.random.default_rng(2), rates=always)
    assert items.tolist() == [[3, 2, 2, 2, 2, 2, 2, 2, 3]]


def test_gad7_has_no_risk_item_and_spreads_the_total_evenly() -> None:
    """GAD-7 has no risk item: each total is spread over its seven 0-3 items in turn."""
    items = draw_items("gad7", [0, 8, 20, 21], np.random.default_rng(3))
    assert items.tolist() == [
        [0, 0, 0, 0, 0, 0, 0],
        [2, 1, 1, 1, 1, 1, 1],
        [3, 3, 3, 3, 3, 3, 2],
        [3, 3, 3, 3, 3, 3, 3],
    ]


def test_a_level_with_no_share_is_never_answered_even_at_a_draw_of_zero() -> None:
    """A level whose share is 0 is never drawn: with shares 0, 0 and 100% everyone answers 3,
    even when the uniform draw is exactly 0 (the first level's interval [0, 0) is empty)."""
    always = _rates(Instrument.PHQ9, 9, ((0, 27, (0.0, 0.0, 1.0)),))
    items = draw_items("phq9", [10, 20, 24], _zero_draws(), rates=always)
    assert items[:, 8].tolist() == [3, 3, 3]
    assert items.sum(axis=1).tolist() == [10, 20, 24]


def test_a_band_of_one_total_is_allowed() -> None:
    """A band may hold a single total (low = high); a low below 0 is refused word for word."""
    single = RiskBand(low=5, high=5, shares=(0.5,))
    assert (single.low, single.high, single.endorsed) == (5, 5, 0.5)
    assert RiskBand(low=0, high=0, shares=()).endorsed == 0.0
    with pytest.raises(IptError) as refused:
        RiskBand(low=-1, high=4, shares=())
    assert str(refused.value) == "RiskBand: need 0 <= low <= high, got -1-4"


@pytest.mark.parametrize("shares", [(-0.1,), (0.2, -0.05), (math.nan,), (math.inf,)])
def test_a_negative_or_not_finite_share_is_refused(shares: tuple[float, ...]) -> None:
    """A share is a proportion: below 0, NaN or infinite is refused, word for word."""
    with pytest.raises(IptError) as refused:
        RiskBand(low=0, high=4, shares=shares)
    assert str(refused.value) == (
        f"RiskBand.shares must be 0 or more and add up to 1 at most, got {shares}"
    )


def test_shares_adding_up_to_exactly_one_are_allowed() -> None:
    """Shares may add up to 1 (everyone endorses), no more."""
    assert RiskBand(low=0, high=4, shares=(0.25, 0.75)).endorsed == 1.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: RiskBand(low=5, high=4, shares=()), "RiskBand: need 0 <= low <= high, got 5-4"),
        (
            lambda: RiskBand(low=0, high=4, shares=(0.7, 0.7)),
            "RiskBand.shares must be 0 or more and add up to 1 at most, got (0.7, 0.7)",
        ),
        (
            lambda: _rates(Instrument.PHQ9, 9, ((0, 27, ()),)).band(28),
            "phq9: no risk band holds a total of 28",
        ),
        (
            lambda: endorsement_rate("phq9", 28),
            "total: must lie in 0-27 for phq9, got 28",
        ),
        (
            lambda: endorsement_rate("phq9", -1),
            "total: must lie in 0-27 for phq9, got -1",
        ),
        (
            lambda: endorsement_rate("hamd17", 10, RISK_RATES[Instrument.PHQ9]),
            "rates: they are for phq9, not hamd17",
        ),
        (
            lambda: draw_items("phq9", [1.5], np.random.default_rng(1)),  # type: ignore[list-item]
            "totals: must be whole numbers, got [1.5]",
        ),
        (
            lambda: draw_items("phq9", np.array([[3]]), np.random.default_rng(1)),
            "totals: must be whole numbers, got array([[3]])",
        ),
        (
            lambda: draw_items("phq9", [0, 28], np.random.default_rng(1)),
            "totals: must lie in 0-27 for phq9",
        ),
        (
            lambda: draw_items("phq9", [-1, 27], np.random.default_rng(1)),
            "totals: must lie in 0-27 for phq9",
        ),
        (
            lambda: draw_items("hamd17", [53], np.random.default_rng(1)),
            "totals: must lie in 0-52 for hamd17",
        ),
        (
            lambda: draw_items(
                "gad7", [3], np.random.default_rng(1), rates=RISK_RATES[Instrument.PHQ9]
            ),
            "rates: they are for phq9, not gad7",
        ),
        (
            lambda: cohort_items(simulate_cohort(5, seed=1), "middle"),
            "scores: must be 'baseline' or 'end', got 'middle'",
        ),
    ],
)
def test_each_refusal_is_worded_exactly(call: object, message: str) -> None:
    """Each refusal names the argument and the rule, word for word."""
    with pytest.raises(IptError) as refused:
        call()  # type: ignore[operator]
    assert str(refused.value) == message


def test_the_range_edges_and_no_totals_are_accepted() -> None:
    """Totals at both ends of the range are drawn; no totals give no rows."""
    items = draw_items("phq9", [0, 27], np.random.default_rng(1))
    assert items.sum(axis=1).tolist() == [0, 27]
    assert draw_items("hamd17", [52], np.random.default_rng(1)).sum() == 52
    assert draw_items("phq9", [], np.random.default_rng(1)).shape == (0, 9)


def test_the_published_shares_of_each_level_at_phq9_15_to_27() -> None:
    """Among 4,000 totals of 17 (seed 5) the shares answering 1, 2 and 3 are within 4 standard
    errors (sqrt(p(1 - p)/4000), at most 0.025) of 13.9%, 11.1% and 19.4% [PHQ9-ITEM9-2016]."""
    n = 4000
    items = draw_items("phq9", [17] * n, np.random.default_rng(5))
    for level, share in ((1, 0.139), (2, 0.111), (3, 0.194), (0, 0.556)):
        observed = float((items[:, 8] == level).mean())
        assert abs(observed - share) < 4 * math.sqrt(share * (1 - share) / n), level


@pytest.mark.parametrize("item", [1, 2])
def test_rates_may_name_another_item(item: int) -> None:
    """A table of your own may put the risk on another item (here PHQ-9 item 1 or 2, answering 3
    always): that item takes the answer, at most the total, and the other eight share the
    rest one point at a time."""
    always = _rates(Instrument.PHQ9, item, ((0, 27, (0.0, 0.0, 1.0)),))
    totals = [0, 1, 2, 3, 11, 27]
    items = draw_items("phq9", totals, np.random.default_rng(4), rates=always)
    assert items[:, item - 1].tolist() == [0, 1, 2, 3, 3, 3]
    assert items.sum(axis=1).tolist() == totals
    others = np.delete(items, item - 1, axis=1)
    assert others[4].tolist() == [1] * 8
    assert others[5].tolist() == [3] * 8


def test_hamd_rates_on_an_item_of_another_range() -> None:
    """A HAM-D-17 table on item 4 (insomnia early, 0-2): the other items then hold 50, so a total
    of 51 puts at least 1 on item 4, and 52 fills every item to its maximum."""
    never = _rates(Instrument.HAMD17, 4, ((0, 52, ()),))
    items = draw_items("hamd17", [50, 51, 52], np.random.default_rng(4), rates=never)
    assert items[:, 3].tolist() == [0, 1, 2]
    assert items.sum(axis=1).tolist() == [50, 51, 52]
    assert items[2].tolist() == [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2]


def test_cohort_items_are_whole_numbers_that_add_up() -> None:
    """One row of nine int8 items per case, adding up to the baseline or end score."""
    cohort = simulate_cohort(200, seed=6, instrument="phq9")
    for scores, totals in (("baseline", cohort.baseline), ("end", cohort.end)):
        items = cohort_items(cohort, scores)
        assert items.dtype == np.int8
        assert items.shape == (200, 9)
        assert (items.sum(axis=1) == totals).all()


def test_cohort_items_are_reproducible_from_the_seed() -> None:
    """The same seed gives the same items, in another call and for a cohort drawn again."""
    first = cohort_items(simulate_cohort(300, seed=21, instrument="phq9"))
    again = cohort_items(simulate_cohort(300, seed=21, instrument="phq9"))
    assert np.array_equal(first, again)
    cohort = simulate_cohort(300, seed=21, instrument="phq9", arm="control")
    assert np.array_equal(cohort_items(cohort, "end"), cohort_items(cohort, "end"))


def test_the_first_cases_items_do_not_depend_on_the_cohorts_size() -> None:
    """The first m cases of a cohort of n are the cohort of m, items included, also past one
    block of cases (BLOCK_SIZE): the first 300 of a two-block cohort are the cohort of 300, and
    its first BLOCK_SIZE + 100 those of a two-block cohort of that size."""
    big = simulate_cohort(BLOCK_SIZE + 200, seed=5, instrument="phq9")
    items = cohort_items(big)
    assert (items.sum(axis=1) == big.baseline).all()
    small = simulate_cohort(300, seed=5, instrument="phq9")
    assert np.array_equal(items[:300], cohort_items(small))
    middle = simulate_cohort(BLOCK_SIZE + 100, seed=5, instrument="phq9")
    assert np.array_equal(items[: BLOCK_SIZE + 100], cohort_items(middle))


def test_baseline_and_end_items_draw_independently() -> None:
    """The baseline's and the end's risk answers are independent draws: with a table endorsing
    half of every total, among the cases whose two totals both lie in 1-24 (where nothing forces
    the answer) the two flags agree about half the time, within 4 standard errors (0.5 /
    sqrt(n)) of 50%, not always."""
    half = _rates(Instrument.PHQ9, 9, ((0, 27, (0.5,)),))
    cohort = simulate_cohort(400, seed=21, instrument="phq9")
    before = cohort_items(cohort, rates=half)[:, 8] > 0
    after = cohort_items(cohort, "end", rates=half)[:, 8] > 0
    free = (cohort.baseline >= 1) & (cohort.baseline <= 24) & (cohort.end >= 1) & (cohort.end <= 24)
    n = int(free.sum())
    assert n > 300
    agree = float((before[free] == after[free]).mean())
    assert abs(agree - 0.5) < 4 * 0.5 / math.sqrt(n)


def test_cohort_items_use_the_rates_given() -> None:
    """``rates=`` reaches every block: a table answering 3 always gives item 9 = min(3, total)."""
    always = _rates(Instrument.PHQ9, 9, ((0, 27, (0.0, 0.0, 1.0)),))
    cohort = simulate_cohort(200, seed=8, instrument="phq9")
    for scores, totals in (("baseline", cohort.baseline), ("end", cohort.end)):
        items = cohort_items(cohort, scores, rates=always)
        assert items[:, 8].tolist() == np.minimum(totals, 3).tolist()


def test_rates_with_more_levels_than_the_item_are_refused() -> None:
    """A table whose shares go past the risk item's range (a level 4 on PHQ-9 item 9, scored 0-3)
    is refused when it is made: drawn, it would give rows that do not score."""
    with pytest.raises(IptError) as refused:
        _rates(Instrument.PHQ9, 9, ((0, 27, (0.0, 0.0, 0.0, 1.0)),))
    assert str(refused.value) == (
        "RiskRates.bands[0]: item 9 of phq9 is scored 0-3, so a band has 3 shares at most, got 4"
    )
    # Three shares, one per answer above 0, is the most item 9 can take.
    assert _rates(Instrument.PHQ9, 9, ((0, 27, (0.0, 0.0, 1.0)),)).item == 9


@pytest.mark.parametrize("item", [0, 10])
def test_rates_on_an_item_the_scale_lacks_are_refused(item: int) -> None:
    """A table for an item PHQ-9 does not have (0 or 10 of 1-9) is refused when it is made,
    rather than ignored (item 0) or failing with an IndexError when drawn (item 10)."""
    with pytest.raises(IptError) as refused:
        _rates(Instrument.PHQ9, item, ((0, 27, (0.0, 0.0, 1.0)),))
    assert str(refused.value) == f"RiskRates.item: phq9 has items 1-9, got {item}"


def test_bands_must_hold_every_total_once_and_every_problem_is_named() -> None:
    """Bands that leave totals out (draw_items would answer 0 there while endorsement_rate
    refuses), hold a total twice, or run past the scale's largest total are refused, all the
    problems in one message."""
    with pytest.raises(IptError) as refused:
        _rates(Instrument.PHQ9, 9, ((0, 4, ()), (3, 9, ()), (12, 30, ())))
    assert str(refused.value) == (
        "RiskRates.bands: no band holds the totals 10-11 of phq9; "
        "RiskRates.bands: more than one band holds the totals 3-4 of phq9; "
        "RiskRates.bands[2]: phq9 totals end at 27, got a band of 12-30"
    )
    with pytest.raises(IptError, match=r"no band holds the totals 0-7, 9, 14-52 of hamd17$"):
        _rates(Instrument.HAMD17, 3, ((8, 8, ()), (10, 13, ())))


def test_a_band_may_have_as_many_shares_as_its_own_item_has_answers() -> None:
    """The limit on a band's shares is the risk item's own range: HAM-D-17 item 3 (suicide) is
    scored 0-4, so four shares; item 4 (early insomnia) 0-2, so two [HAMILTON1960]."""
    assert _rates(Instrument.HAMD17, 3, ((0, 52, (0.1, 0.1, 0.1, 0.1)),)).item == 3
    assert _rates(Instrument.HAMD17, 4, ((0, 52, (0.1, 0.1)),)).item == 4
    with pytest.raises(IptError) as refused:
        _rates(Instrument.HAMD17, 4, ((0, 52, (0.1, 0.1, 0.1)),))
    assert str(refused.value) == (
        "RiskRates.bands[0]: item 4 of hamd17 is scored 0-2, so a band has 2 shares at most, got 3"
    )
