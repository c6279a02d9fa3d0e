"""Tests of iptcore.measures (instruments, scoring) and iptcore.trajectory (scores over time).

The expected bands, ranges, flags and thresholds are written out here from the sources
(KROENKE2001; SPITZER2006; HAMILTON1960), not read back from the library's tables, so that a wrong
table fails.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iptcore
from iptcore import IptError, Measure
from iptcore.measures import (
    INSTRUMENTS,
    Band,
    Banding,
    Flag,
    Instrument,
    Item,
    Score,
    instrument_spec,
    is_remission,
    is_response,
    item_maxima,
    max_total,
    score,
)
from iptcore.trajectory import Change, track, track_measures

D0 = date(2026, 1, 5)  # fictional dates of a fictional course


def items_for(instrument: str, total: int) -> list[int]:
    """Item scores with the given total: the items filled in order, each up to its maximum."""
    out = []
    for top in item_maxima(instrument):
        take = min(top, total)
        out.append(take)
        total -= take
    assert total == 0, "total above the instrument's maximum"
    return out


# --------------------------------------------------------------------------------------------
# Instruments as data
# --------------------------------------------------------------------------------------------

HAMD_TWO_POINT = {4, 5, 6, 12, 13, 14, 16, 17}


def test_item_counts_and_ranges() -> None:
    """PHQ-9 9 items 0-3, GAD-7 7 items 0-3, HAM-D-17 items 4, 5, 6, 12, 13, 14, 16, 17 scored 0-2 and
    the others 0-4 (Kroenke et al. 2001; Spitzer et al. 2006; Hamilton 1960)."""
    assert item_maxima("phq9") == (3,) * 9
    assert item_maxima("gad7") == (3,) * 7
    assert item_maxima("hamd17") == tuple(2 if n in HAMD_TWO_POINT else 4 for n in range(1, 18))
    assert (max_total("phq9"), max_total("gad7"), max_total("hamd17")) == (27, 21, 52)
    assert all(item.minimum == 0 for spec in INSTRUMENTS.values() for item in spec.items)


def test_item_texts_public_domain_only() -> None:
    """PHQ-9 and GAD-7 item texts are included: copyrighted by Pfizer and free to use without
    permission; item 9 of the PHQ-9 is the self-harm question [KROENKE2001]. The BDI-II's licence
    does not allow it: not an instrument."""
    assert len({item.text for item in INSTRUMENTS["phq9"].items}) == 9
    assert len({item.text for item in INSTRUMENTS["gad7"].items}) == 7
    assert "better off dead" in INSTRUMENTS["phq9"].items[8].text
    assert INSTRUMENTS["hamd17"].items[2].text == "Suicide"
    assert INSTRUMENTS["phq9"].responses[3] == "Nearly every day"
    assert {str(i) for i in Instrument} == {"phq9", "gad7", "hamd17"}
    with pytest.raises(IptError, match="instrument must be one of"):
        score("bdi2", [0] * 21)


def test_every_instrument_records_its_sources() -> None:
    """Each rule is data with its source (BRIEFING: data the manual defines is data)."""
    for spec in INSTRUMENTS.values():
        assert spec.source
        assert spec.missing_source
        assert spec.remission_source
        assert spec.reliability_source
        assert all(b.source for b in spec.bandings)
        assert all(flag.source for flag in spec.flags)


def test_front_door_names() -> None:
    """score, Score, is_response, is_remission are at the top level (the public API)."""
    assert iptcore.score is score
    assert iptcore.Score is Score
    assert iptcore.is_response is is_response
    assert iptcore.is_remission is is_remission


# --------------------------------------------------------------------------------------------
# Bands: every boundary of every instrument
# --------------------------------------------------------------------------------------------

BANDS = {
    # Kroenke et al. 2001
    ("phq9", None): [
        ("minimal", 0, 4),
        ("mild", 5, 9),
        ("moderate", 10, 14),
        ("moderately_severe", 15, 19),
        ("severe", 20, 27),
    ],
    # Spitzer et al. 2006
    ("gad7", None): [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)],
    # the HRSD-17 severity ranges of Rush et al. 2003
    ("hamd17", None): [
        ("normal", 0, 7),
        ("mild", 8, 13),
        ("moderate", 14, 19),
        ("severe", 20, 25),
        ("very_severe", 26, 52),
    ],
    # Zimmerman et al. 2013
    ("hamd17", "zimmerman2013"): [
        ("normal", 0, 7),
        ("mild", 8, 16),
        ("moderate", 17, 23),
        ("severe", 24, 52),
    ],
}

BOUNDARIES = [
    (instrument, banding, total, band)
    for (instrument, banding), bands in BANDS.items()
    for band, low, high in bands
    for total in (low, high)
]


@pytest.mark.parametrize(("instrument", "banding", "total", "band"), BOUNDARIES)
def test_band_boundaries(instrument: str, banding: str | None, total: int, band: str) -> None:
    """Both ends of every band (PHQ-9: Kroenke et al. 2001; GAD-7: Spitzer et al. 2006; HAM-D:
    Rush et al. 2003 and Zimmerman et al. 2013)."""
    result = score(instrument, items_for(instrument, total), banding=banding)
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(("instrument", "banding"), list(BANDS))
def test_bands_cover_the_whole_range(instrument: str, banding: str | None) -> None:
    """The bands run from 0 to the maximum total without gaps (sources as in BANDS)."""
    spec = INSTRUMENTS[instrument].banding(banding)
    assert [(b.name, b.low, b.high) for b in spec.bands] == BANDS[(instrument, banding)]


def test_hamd_default_and_zimmerman_differ() -> None:
    """A HAM-D of 16 is moderate on Rush et al. 2003's ranges, mild on Zimmerman et al. 2013's."""
    items = items_for("hamd17", 16)
    assert score("hamd17", items).band == "moderate"
    zimmerman = score("hamd17", items, banding="zimmerman2013")
    assert (zimmerman.band, zimmerman.banding) == ("mild", "zimmerman2013")
    with pytest.raises(IptError, match="no banding 'zimmerman'"):
        score("hamd17", items, banding="zimmerman")


# --------------------------------------------------------------------------------------------
# Flags
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item9", [0, 1, 2, 3])
def test_phq9_suicide_flag(item9: int) -> None:
    """PHQ-9 item 9 above 0 needs a risk assessment (Kroenke et al. 2001; Simon et al. 2013)."""
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, item9])
    assert ("suicide_risk" in result.flags) is (item9 > 0)


@pytest.mark.parametrize("item3", [0, 1, 2, 3, 4])
def test_hamd_suicide_flag(item3: int) -> None:
    """HAM-D-17 item 3 (suicide) above 0 raises suicide_risk (Hamilton 1960)."""
    items = [0] * 17
    items[2] = item3
    assert ("suicide_risk" in score("hamd17", items).flags) is (item3 > 0)


def test_flag_looks_only_at_its_item() -> None:
    """The PHQ-9 flag is item 9's alone: high scores elsewhere raise nothing (Kroenke et al. 2001);
    the GAD-7 has no flag (Spitzer et al. 2006)."""
    assert score("phq9", [3] * 8 + [0]).flags == frozenset()
    assert score("gad7", [3] * 7).flags == frozenset()
    hamd = [0] * 17
    hamd[0] = 4
    assert score("hamd17", hamd).flags == frozenset()


def test_missing_risk_item_is_flagged_as_not_assessed() -> None:
    """An unanswered item 9 is not "no risk" (Simon et al. 2013): the score says it was not assessed."""
    result = score("phq9", [1] * 8 + [None])
    assert result.flags == {"suicide_risk_not_assessed"}
    assert result.prorated


# --------------------------------------------------------------------------------------------
# Proration
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "items", "total"),
    [
        # 4 * 9 / 8 = 4.5 -> 5 (half up, not to even)
        ("phq9", [1, 1, 1, 1, None, 0, 0, 0, 0], 5),
        # 3 * 7 / 6 = 3.5 -> 4
        ("gad7", [1, 1, 1, None, 0, 0, 0], 4),
        # 8 * 7 / 6 = 9.33 -> 9
        ("gad7", [1, 2, None, 1, 1, 2, 1], 9),
        # 5 * 9 / 8 = 5.625 -> 6
        ("phq9", [None, 1, 1, 1, 1, 1, 0, 0, 0], 6),
        # 24 * 9 / 8 = 27: a prorated total never exceeds the maximum
        ("phq9", [3, 3, 3, 3, 3, 3, 3, 3, None], 27),
    ],
)
def test_proration(instrument: str, items: list[int | None], total: int) -> None:
    """PHQ-9 and GAD-7 with one missing item: mean x item count, rounded half up."""
    result = score(instrument, items)
    assert (result.total, result.prorated) == (total, True)
    assert result.missing == (items.index(None) + 1,)


def test_complete_scores_are_not_prorated() -> None:
    """Proration happens only when an item is missing."""
    result = score("phq9", [1] * 9)
    assert (result.total, result.prorated, result.missing) == (9, False, ())


@pytest.mark.parametrize(
    ("instrument", "items", "message"),
    [
        ("phq9", [None, None, 1, 1, 1, 1, 1, 1, 1], "at most 1 missing item; items 1 and 2 are"),
        ("gad7", [None] * 7, "items 1, 2, 3, 4, 5, 6 and 7 are missing"),
        ("hamd17", [0] * 16 + [None], "hamd17 is never prorated; item 17 is missing"),
    ],
)
def test_too_many_missing_items_are_refused(
    instrument: str, items: list[int | None], message: str
) -> None:
    """More than one missing PHQ-9/GAD-7 item, or any missing HAM-D item: refused."""
    with pytest.raises(IptError, match=message):
        score(instrument, items)


def test_proration_limit_is_a_setting() -> None:
    """Where services differ, the rule is data: a spec with max_missing=2 prorates two (BRIEFING)."""
    lenient = attrs.evolve(INSTRUMENTS["phq9"], max_missing=2)
    assert score(lenient, [2] * 7 + [None, None]).total == 18
    with pytest.raises(IptError, match="max_missing must be below the item count 9"):
        attrs.evolve(INSTRUMENTS["phq9"], max_missing=9)


# --------------------------------------------------------------------------------------------
# Refusals: each names the item
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "items", "message"),
    [
        ("phq9", [0] * 8, r"phq9 has 9 items, got 8"),
        ("phq9", [0] * 10, r"phq9 has 9 items, got 10"),
        ("gad7", [], r"gad7 has 7 items, got 0"),
        ("hamd17", [0] * 9, r"hamd17 has 17 items, got 9"),
        ("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0], r"item 3 of phq9 is scored 0-3, got 4"),
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, -1], r"item 9 of phq9 is scored 0-3, got -1"),
        ("gad7", [0, 0, 0, 0, 0, 0, 4], r"item 7 of gad7 is scored 0-3, got 4"),
        ("hamd17", [0] * 3 + [3] + [0] * 13, r"item 4 of hamd17 is scored 0-2, got 3"),
        ("hamd17", [5] + [0] * 16, r"item 1 of hamd17 is scored 0-4, got 5"),
        ("phq9", [0, True, 0, 0, 0, 0, 0, 0, 0], r"item 2 of phq9 must be an integer .*\(bool\)"),
        ("phq9", [0, 0, 0, 1.0, 0, 0, 0, 0, 0], r"item 4 of phq9 must be an integer .*\(float\)"),
        ("gad7", [0, 0, 0, 0, 0, "1", 0], r"item 6 of gad7 must be an integer .*\(str\)"),
        ("phq9", "000000000", r"must be a list of item scores"),
        ("phq9", None, r"must be a list of item scores"),
        ("phq9", {1: 0}, r"must be a list of item scores"),
    ],
)
def test_invalid_items_are_refused(instrument: str, items: object, message: str) -> None:
    """Wrong item counts, values out of range, bools, floats: IptError naming the item
    (ranges from Kroenke et al. 2001, Spitzer et al. 2006, Hamilton 1960)."""
    with pytest.raises(IptError, match=message):
        score(instrument, items)  # type: ignore[arg-type]


def test_every_hamd_item_range() -> None:
    """Each HAM-D-17 item accepts its maximum and refuses one more (Hamilton 1960)."""
    for number in range(1, 18):
        top = 2 if number in HAMD_TWO_POINT else 4
        items = [0] * 17
        items[number - 1] = top
        assert score("hamd17", items).total == top
        items[number - 1] = top + 1
        with pytest.raises(IptError, match=f"item {number} of hamd17 is scored 0-{top}"):
            score("hamd17", items)


def test_bad_specs_are_refused() -> None:
    """A user's own spec is checked like the built-in ones: bands must cover every total, flags
    must name an item, reliability lies in (0, 1) (BRIEFING: invalid entries raise IptError)."""
    spec = INSTRUMENTS["gad7"]
    gap = attrs.evolve(spec.bandings[0], bands=spec.bandings[0].bands[1:])
    with pytest.raises(IptError, match="must cover 0-21 in order"):
        attrs.evolve(spec, bandings=(gap,))
    flag = attrs.evolve(INSTRUMENTS["phq9"].flags[0], item=10)
    with pytest.raises(IptError, match="names item 10, which does not exist"):
        attrs.evolve(INSTRUMENTS["phq9"], flags=(flag,))
    with pytest.raises(IptError, match="reliability must be between 0 and 1"):
        attrs.evolve(spec, reliability=1.5)


# --------------------------------------------------------------------------------------------
# Response and remission
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [(20, 10, True), (20, 11, False), (21, 10, True), (21, 11, False), (1, 0, True), (20, 0, True)],
)
def test_response_is_half_or_less(baseline: int, current: int, expected: bool) -> None:
    """Response: at least 50% reduction from baseline [KROENKE2001; SPITZER2006; HAMILTON1960]."""
    assert is_response(baseline, current) is expected


def test_response_from_zero_baseline_is_false() -> None:
    """A baseline of 0 has nothing to halve: never a response (iptcore's documented definition)."""
    assert is_response(0, 0) is False


@pytest.mark.parametrize(("baseline", "current"), [(True, 0), (10, -1), (10.0, 4), ("10", 4)])
def test_response_refuses_non_counts(baseline: object, current: object) -> None:
    """Totals are whole numbers of 0 or more; anything else is an IptError (BRIEFING)."""
    with pytest.raises(IptError, match="must be a whole number"):
        is_response(baseline, current)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instrument", "total", "expected"),
    [
        ("hamd17", 7, True),  # HAM-D <= 7 [KROENKE2001; SPITZER2006; HAMILTON1960]
        ("hamd17", 8, False),
        ("phq9", 4, True),  # PHQ-9 < 5 [KROENKE2001; SPITZER2006; HAMILTON1960]
        ("phq9", 5, False),
        ("gad7", 4, True),  # GAD-7 < 5
        ("gad7", 5, False),
    ],
)
def test_remission_thresholds(instrument: str, total: int, expected: bool) -> None:
    """Remission: HAM-D <= 7, PHQ-9 < 5 [KROENKE2001; SPITZER2006; HAMILTON1960], GAD-7 < 5."""
    assert is_remission(instrument, total) is expected


def test_remission_refuses_totals_out_of_range() -> None:
    """A total above the maximum or below 0 is an error, not False (BRIEFING)."""
    with pytest.raises(IptError, match="at most 21, got 22"):
        is_remission("gad7", 22)
    with pytest.raises(IptError, match="whole number"):
        is_remission("phq9", -1)
    with pytest.raises(IptError, match="instrument must be one of"):
        is_remission("madrs", 3)


# --------------------------------------------------------------------------------------------
# Output forms and properties
# --------------------------------------------------------------------------------------------


def test_score_describe_and_to_dict() -> None:
    """The CLI's text and JSON forms of a score (BRIEFING, Docs)."""
    result = score("phq9", [3, 3, 2, 2, 2, 1, 1, None, 2])
    assert result.describe() == (
        "PHQ-9 18 (moderately_severe); prorated from 8 of 9 items; flags: suicide_risk"
    )
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["missing"] == [8]
    assert Score(**{**data, "missing": tuple(data["missing"])}) == result


def answered_items(instrument: Instrument) -> st.SearchStrategy[list[int | None]]:
    """Item scores in range, with at most the instrument's allowed number of missing items."""
    spec = INSTRUMENTS[instrument]
    values = st.tuples(*(st.integers(0, top) for top in spec.item_maxima)).map(list)

    def blank(drawn: tuple[list[int | None], list[int]]) -> list[int | None]:
        items, holes = drawn
        for hole in holes:
            items[hole] = None
        return items

    holes = st.lists(st.integers(0, len(spec.items) - 1), max_size=spec.max_missing, unique=True)
    return st.tuples(values, holes).map(blank)


@given(st.sampled_from(Instrument).flatmap(lambda i: st.tuples(st.just(i), answered_items(i))))
def test_score_invariants(drawn: tuple[Instrument, list[int | None]]) -> None:
    """Property: the total lies in range, the band holds it, the sum is exact without missing items,
    and the prorated total is the rounded-half-up mean x count."""
    instrument, items = drawn
    spec = INSTRUMENTS[instrument]
    result = score(instrument, items)
    assert 0 <= result.total <= spec.max_total
    assert spec.banding().band_of(result.total).name == result.band
    answered = [v for v in items if v is not None]
    if len(answered) == len(items):
        assert result.total == sum(answered)
        assert not result.prorated
    else:
        exact = sum(answered) * len(items) / len(answered)
        assert abs(result.total - exact) <= 0.5
        assert result.prorated
        assert result.total == math.floor(exact + 0.5) or math.isclose(exact % 1, 0.5)
    assert score(instrument, items) == result


@given(st.integers(0, 60), st.integers(0, 60))
def test_response_matches_its_definition(baseline: int, current: int) -> None:
    """Property: response is current <= baseline / 2 with baseline > 0 [KROENKE2001; SPITZER2006; HAMILTON1960]."""
    assert is_response(baseline, current) is (baseline > 0 and current <= baseline / 2)


# --------------------------------------------------------------------------------------------
# Over time (iptcore.trajectory)
# --------------------------------------------------------------------------------------------


def test_series_change_response_remission() -> None:
    """Change from baseline, response (>= 50% reduction) and remission (PHQ-9 < 5) per point
    [KROENKE2001; SPITZER2006; HAMILTON1960]."""
    t = track(
        "phq9", [(D0, 18), (date(2026, 2, 2), 10), (date(2026, 3, 2), 9), (date(2026, 4, 6), 4)]
    )
    assert [p.change for p in t.points] == [0, -8, -9, -14]
    assert [p.response for p in t.points] == [False, False, True, True]
    assert [p.remission for p in t.points] == [False, False, False, True]
    assert t.points[2].percent_change == pytest.approx(-50.0)
    assert (t.baseline.total, t.latest.total) == (18, 4)


def test_rci_formula() -> None:
    """RC = (x2 - x1) / S_diff, S_diff = sqrt(2) * s1 * sqrt(1 - r_xx) (Jacobson & Truax 1991)."""
    t = track("hamd17", [(D0, 20), (date(2026, 3, 1), 12)], sd=5.0, reliability=0.8)
    assert t.latest.rci == pytest.approx(-8 / (math.sqrt(2) * 5.0 * math.sqrt(0.2)))
    assert t.reliable_change_threshold == pytest.approx(1.96 * math.sqrt(2) * 5.0 * math.sqrt(0.2))
    assert t.baseline.rci == 0.0
    assert t.baseline.reliable_change is Change.NONE


@pytest.mark.parametrize(
    ("instrument", "fall", "reliable"),
    [("phq9", 6, True), ("phq9", 5, False), ("gad7", 4, True), ("gad7", 3, False)],
)
def test_reliable_change_matches_talking_therapies(
    instrument: str, fall: int, reliable: bool
) -> None:
    """With the published reliability and the reference SD, a fall of 6 (PHQ-9) or 4 (GAD-7) points
    is reliable and one less is not (NHS Talking Therapies criteria; Jacobson & Truax 1991)."""
    t = track(instrument, [(D0, 15), (date(2026, 2, 2), 15 - fall)])
    assert (t.latest.reliable_change is Change.IMPROVED) is reliable
    up = track(instrument, [(D0, 5), (date(2026, 2, 2), 5 + fall)])
    assert (up.latest.reliable_change is Change.DETERIORATED) is reliable


def test_hamd_has_no_reference_sd() -> None:
    """No published pre-treatment SD is recorded for the HAM-D-17: the index needs the caller's."""
    t = track("hamd17", [(D0, 22), (date(2026, 3, 30), 7)])
    assert (t.latest.rci, t.latest.reliable_change, t.reliable_change_threshold) == (
        None,
        None,
        None,
    )
    assert "RCI" not in t.describe()


def test_series_is_put_in_date_order_and_accepts_scores() -> None:
    """The earliest score is the baseline, whatever the input order; Scores keep their band."""
    late = score("gad7", [1, 1, 1, 1, 1, 1, 1])
    t = track("gad7", [(date(2026, 2, 2), late), (D0, 14)])
    assert [p.total for p in t.points] == [14, 7]
    assert t.points[1].band == "mild"


def test_baseline_zero_has_no_percentage() -> None:
    """From a baseline of 0 the percentage change is undefined (None) and no point is a response."""
    t = track("phq9", [(D0, 0), (date(2026, 2, 2), 3)])
    assert t.latest.percent_change is None
    assert not t.latest.response


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        ([], {}, "at least one dated score"),
        ([(D0, 28)], {}, r"series\[0\]\[1\]: must be a phq9 total from 0 to 27, got 28"),
        ([(D0, True)], {}, r"series\[0\]\[1\]: must be a Score or a total"),
        ([(D0, 3.5)], {}, r"series\[0\]\[1\]: must be a Score or a total"),
        ([(datetime(2026, 1, 5, 9, 0), 3)], {}, r"series\[0\]\[0\]: must be a datetime.date"),
        ([("2026-01-05", 3)], {}, r"series\[0\]\[0\]: must be a datetime.date"),
        ([(D0, 3, 4)], {}, r"series\[0\]: must be a \(date, score\) pair"),
        ([(D0, score("gad7", [0] * 7))], {}, r"series\[0\]\[1\]: is a gad7 score, not phq9"),
        ([(D0, 3)], {"sd": 0}, "sd: must be a positive number"),
        ([(D0, 3)], {"sd": math.inf}, "sd: must be finite"),
        ([(D0, 3)], {"reliability": 1.0}, "reliability: must be below 1"),
    ],
)
def test_series_refusals(series: list[object], kwargs: dict[str, object], message: str) -> None:
    """Malformed series raise IptError naming the entry (BRIEFING, Errors)."""
    with pytest.raises(IptError, match=message):
        track("phq9", series, **kwargs)  # type: ignore[arg-type]


def test_track_measures_of_a_case() -> None:
    """A case's measures, scored and tracked per instrument in order of first appearance
    (the case format: Measure)."""
    measures = [
        Measure(date=date(2026, 2, 2), instrument="phq9", items=(1, 1, 1, 1, 1, 1, 1, 1, 0)),
        Measure(date=D0, instrument="hamd17", items=(2,) * 3 + (1,) * 14),
        Measure(date=D0, instrument="phq9", items=(2, 2, 2, 2, 2, 2, 2, 2, 1)),
    ]
    phq, hamd = track_measures(measures)
    assert (phq.instrument, hamd.instrument) == (Instrument.PHQ9, Instrument.HAMD17)
    assert [p.total for p in phq.points] == [17, 8]
    bad = [*measures, Measure(date=D0, instrument="gad7", items=(None, None, 0, 0, 0, 0, 0))]
    with pytest.raises(IptError, match=r"^measures\[3\]: gad7 is prorated with at most 1"):
        track_measures(bad)
    with pytest.raises(IptError, match=r"^measures\[0\]: the date must be"):
        track_measures([object()])  # type: ignore[list-item]


def test_trajectory_describe_and_to_dict() -> None:
    """The CLI's text and JSON forms of a series (BRIEFING, Docs)."""
    t = track("phq9", [(D0, 18), (date(2026, 3, 2), 8)])
    text = t.describe()
    assert text.splitlines()[0] == "PHQ-9, 2 score(s), baseline 18"
    assert "change -10 (-56%), RCI -3.28" in text
    assert text.splitlines()[-1] == "latest: response, no remission, reliable improvement"
    data = t.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["points"][1]["reliable_change"] == "reliable_improvement"
    lone = track("hamd17", [(D0, 20)]).describe()
    assert lone.splitlines()[-1] == "latest: baseline only, no remission"


@given(st.lists(st.integers(0, 27), min_size=1, max_size=12))
def test_series_invariants(totals: list[int]) -> None:
    """Property: change is total - baseline; response and remission agree with is_response and
    is_remission at every point; the RCI sign follows the change (Jacobson & Truax 1991)."""
    series = [(date(2026, 1, 1 + i), total) for i, total in enumerate(totals)]
    t = track("phq9", series)
    for point, total in zip(t.points, totals, strict=True):
        assert point.change == total - totals[0]
        assert point.response is is_response(totals[0], total)
        assert point.remission is is_remission("phq9", total)
        assert point.rci is not None
        assert (point.rci > 0) is (point.change > 0)


def test_instrument_spec_passthrough() -> None:
    """A spec is accepted where a name is (a user's variant passes straight through)."""
    spec = INSTRUMENTS["gad7"]
    assert instrument_spec(spec) is spec
    assert instrument_spec("gad7") is spec


def test_licences_and_defaults_are_stated_as_published() -> None:
    """The PHQ-9 and GAD-7 are copyrighted by Pfizer and free to use (not public domain); the
    HAM-D's default bands cite their source [RUSH2003]; GAD-7 "remission" is iptcore's default,
    not a consensus cut-off."""
    for name in ("phq9", "gad7"):
        assert "Pfizer" in INSTRUMENTS[name].source
        assert "public domain" not in INSTRUMENTS[name].source
    assert INSTRUMENTS["hamd17"].banding().source.startswith("[RUSH2003]")
    assert "not a consensus" in INSTRUMENTS["gad7"].remission_source


# --------------------------------------------------------------------------------------------
# Each value refuses a bad field by name (folded from the former mutation-test file): every bad
# value of an instrument's parts raises IptError naming the field [KROENKE2001; SPITZER2006;
# HAMILTON1960 give the tables these parts hold].
# --------------------------------------------------------------------------------------------

PHQ9 = INSTRUMENTS["phq9"]
GAD7 = INSTRUMENTS["gad7"]
HAMD = INSTRUMENTS["hamd17"]


def _refused(build: Any, message: str) -> None:
    with pytest.raises(IptError) as info:
        build()
    assert str(info.value) == message


def test_item_numbers_and_scores_are_whole_numbers_from_their_floor() -> None:
    """Items are numbered from 1 and scored from 0 up (PHQ-9 0-3 [KROENKE2001]); a bool is not
    a number."""
    _refused(lambda: Item(number=True, text="t", maximum=3), "number: must be an integer, got True")
    _refused(lambda: Item(number=0, text="t", maximum=3), "number: must be at least 1, got 0")
    _refused(
        lambda: Item(number=1, text="t", maximum=3, minimum=-1),
        "minimum: must be at least 0, got -1",
    )
    _refused(lambda: Item(number=1, text="t", maximum=0), "maximum: must be at least 1, got 0")
    _refused(lambda: Item(number="1", text="t", maximum=3), "number: must be an integer, got '1'")
    assert Item(number=1, text="t", maximum=1, minimum=0).minimum == 0


def test_an_item_needs_room_above_its_minimum() -> None:
    """An item's maximum lies above its minimum: 0-3 for the PHQ-9 [KROENKE2001]."""
    _refused(
        lambda: Item(number=4, text="t", maximum=1, minimum=1),
        "item 4: maximum must be above minimum 1",
    )
    assert Item(number=4, text="t", maximum=2, minimum=1).maximum == 2


def test_texts_and_names_are_refused_by_name() -> None:
    band = Band(name="x", low=0, high=1)
    _refused(lambda: Banding(name="b", bands=(band,), source=3), "source: must be a string, got 3")
    _refused(lambda: Item(number=1, text=None, maximum=3), "text: must be a string, got None")
    for bad in ("Mild", "two words", "mild-ish", 5):
        with pytest.raises(IptError, match=r"^name must be a lower-case word like 'mild', got "):
            Band(name=bad, low=0, high=1)
    assert Band(name="moderately_severe", low=15, high=19).name == "moderately_severe"


def test_lists_become_tuples_and_other_values_are_refused_by_name() -> None:
    """A list of parts is taken as a tuple; anything else is named with the kind it must hold."""
    band = Band(name="x", low=0, high=1)
    assert Banding(name="b", bands=[band], source="s").bands == (band,)
    _refused(
        lambda: Banding(name="b", bands=5, source="s"), "bands: must be a tuple of Band, got 5"
    )
    _refused(
        lambda: Banding(name="b", bands=("1",), source="s"),
        "bands: must be a tuple of Band, got ('1',)",
    )
    assert Score(instrument="phq9", total=3, band="minimal", missing=[2]).missing == (2,)
    _refused(
        lambda: Score(instrument="phq9", total=3, band="minimal", missing=5),
        "missing: must be a tuple of int, got 5",
    )
    _refused(
        lambda: Score(instrument="phq9", total=3, band="minimal", missing={1}),
        "missing: must be a tuple of int, got {1}",
    )
    _refused(
        lambda: Score(instrument="phq9", total=3, band="minimal", missing=("1",)),
        "missing: must be a tuple of int, got ('1',)",
    )
    _refused(
        lambda: attrs.evolve(PHQ9, responses=("a", 1)),
        "responses: must be a tuple of str, got ('a', 1)",
    )
    _refused(
        lambda: Score(instrument="phq9", total=-1, band="minimal"),
        "total: must be at least 0, got -1",
    )


def test_a_band_of_one_total_is_allowed() -> None:
    """A band holds totals low to high, both included: one total is a band, a reversed one not."""
    assert Band(name="only", low=5, high=5).contains(5)
    _refused(lambda: Band(name="only", low=5, high=4), "band only: high 4 is below low 5")


def test_band_of_a_total_outside_the_banding_names_it() -> None:
    _refused(lambda: PHQ9.banding().band_of(28), "total 28 is outside the default banding")


def test_flags_must_be_a_set_of_names() -> None:
    """A score's flags are names (item 9 above 0 is a suicide-risk flag [KROENKE2001])."""
    for bad in ("suicide_risk", 5, None):
        with pytest.raises(IptError, match=r"^flags: must be a set of flag names, got "):
            Score(instrument="phq9", total=3, band="minimal", flags=bad)
    assert Score(instrument="phq9", total=3, band="minimal", flags=["a"]).flags == {"a"}


def test_an_unknown_instrument_lists_the_known_ones() -> None:
    _refused(
        lambda: Score(instrument="bdi2", total=3, band="minimal"),
        "instrument must be one of phq9, gad7, hamd17, got 'bdi2'",
    )


def test_every_problem_of_a_spec_is_listed_with_the_instrument() -> None:
    """An instrument is checked as a whole and every problem is named, joined by "; "."""
    items = (Item(number=2, text="a", maximum=3), Item(number=1, text="b", maximum=3))
    _refused(
        lambda: attrs.evolve(PHQ9, items=items, bandings=(), reliability=1.5, remission_max=7),
        "phq9: items must be numbered 1, 2, 3, ... in order; needs at least one banding; "
        "flag suicide_risk names item 9, which does not exist; remission_max must be within "
        "0-6, got 7; reliability must be between 0 and 1, got 1.5",
    )


def test_banding_names_are_unique() -> None:
    twice = (HAMD.bandings[0], attrs.evolve(HAMD.bandings[1], name="default"))
    _refused(
        lambda: attrs.evolve(HAMD, bandings=twice),
        "hamd17: banding names must be unique, got ['default', 'default']",
    )


def test_remission_max_may_be_any_total_of_the_instrument() -> None:
    """Remission is a total at most ``remission_max``: PHQ-9 < 5, HAM-D <= 7 [GUIDE]; any total
    from the lowest to the highest is a valid setting, none outside."""
    assert attrs.evolve(PHQ9, remission_max=0).remission_max == 0
    assert attrs.evolve(PHQ9, remission_max=27).remission_max == 27
    _refused(
        lambda: attrs.evolve(PHQ9, remission_max=28),
        "phq9: remission_max must be within 0-27, got 28",
    )


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1])
def test_reliability_lies_strictly_between_0_and_1(bad: float) -> None:
    """Cronbach's alpha 0.89 for the PHQ-9 [KROENKE2001]: a reliability of 0 or 1 would make the
    reliable change index divide by zero or mean nothing."""
    _refused(
        lambda: attrs.evolve(PHQ9, reliability=bad),
        f"phq9: reliability must be between 0 and 1, got {bad}",
    )
    assert attrs.evolve(PHQ9, reliability=0.999).reliability == 0.999


@pytest.mark.parametrize("bad", [0, -1.0, True, "6.5"])
def test_reference_sd_is_a_positive_number(bad: object) -> None:
    """The reference SD feeds the reliable change index [JACOBSON-TRUAX1991]."""
    with pytest.raises(
        IptError, match=r"^phq9: reference_sd must be a positive number or None, got "
    ):
        attrs.evolve(PHQ9, reference_sd=bad)
    assert attrs.evolve(PHQ9, reference_sd=0.5).reference_sd == 0.5
    assert attrs.evolve(PHQ9, reference_sd=None).reference_sd is None


def test_an_unknown_banding_lists_the_known_ones() -> None:
    """The HAM-D-17 has the common banding and Zimmerman et al.'s [ZIMMERMAN2013]."""
    _refused(lambda: HAMD.banding("x"), "hamd17 has no banding 'x'; it has default, zimmerman2013")


def test_describe_names_a_banding_other_than_the_default() -> None:
    """Zimmerman et al. 2013's HAM-D banding is said in the one-line description."""
    s = score(
        "hamd17", [2, 1, 0, 1, 1, 0, 2, 1, 1, 2, 1, 1, 1, 0, 1, 0, 0], banding="zimmerman2013"
    )
    assert s.describe() == "HAM-D-17 15 (mild) [zimmerman2013 banding]"


def test_describe_lists_every_flag_in_order() -> None:
    s = Score(instrument="phq9", total=5, band="mild", flags={"b_flag", "a_flag"})
    assert s.describe() == "PHQ-9 5 (mild); flags: a_flag, b_flag"


def test_an_item_after_a_missing_one_is_still_checked() -> None:
    """Every answered item is in its range (0-3 [KROENKE2001]), even after a missing one."""
    _refused(
        lambda: score("phq9", [None, 9, 0, 0, 0, 0, 0, 0, 0]), "item 2 of phq9 is scored 0-3, got 9"
    )


def test_the_proration_limit_is_said_in_words() -> None:
    """Proration from at most one missing item is iptcore's default for the self-report scales;
    a variant allowing two says "items"."""
    _refused(
        lambda: score("phq9", [None, None, 1, 1, 1, 1, 1, 1, 1]),
        "phq9 is prorated with at most 1 missing item; items 1 and 2 are missing",
    )
    two = attrs.evolve(PHQ9, max_missing=2)
    _refused(
        lambda: score(two, [None, None, None, 1, 1, 1, 1, 1, 1]),
        "phq9 is prorated with at most 2 missing items; items 1, 2 and 3 are missing",
    )
    _refused(
        lambda: score("hamd17", [None] + [0] * 16), "hamd17 is never prorated; item 1 is missing"
    )


@pytest.mark.parametrize(
    ("baseline", "current", "field"),
    [(-1, 0, "baseline"), (10, -1, "current"), (True, 0, "baseline"), (10, 2.0, "current")],
)
def test_response_names_the_total_that_is_wrong(
    baseline: object, current: object, field: str
) -> None:
    """Response is a 50% reduction from baseline [KROENKE2001; SPITZER2006; HAMILTON1960] of two
    whole totals."""
    with pytest.raises(IptError, match=rf"^{field} must be a whole number of 0 or more, got "):
        is_response(baseline, current)  # type: ignore[arg-type]


def test_remission_names_the_total_that_is_wrong() -> None:
    """Remission: HAM-D <= 7, PHQ-9 < 5 [KROENKE2001; SPITZER2006; HAMILTON1960] of a whole
    total in range."""
    _refused(lambda: is_remission("phq9", -1), "total must be a whole number of 0 or more, got -1")
    _refused(lambda: is_remission("phq9", 28), "total of phq9 is at most 27, got 28")


def test_an_unanswered_risk_item_is_not_assessed() -> None:
    """An unanswered risk item is never read as "no risk" [SIMON2013]."""
    flag = Flag(name="suicide_risk", item=9, message="m", source="s")
    assert flag.not_assessed == "suicide_risk_not_assessed"
    assert score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, None]).flags == {"suicide_risk_not_assessed"}


def test_a_variant_spec_is_taken_as_it_is() -> None:
    custom = attrs.evolve(GAD7, title="GAD-7 (custom)")
    assert instrument_spec(custom) is custom
    assert score(custom, [0] * 7).instrument is Instrument.GAD7


@pytest.mark.parametrize(
    ("instrument", "items", "log"),
    [
        ("phq9", "0120", "items of phq9 must be a list of item scores"),
        ("phq9", [0, 1, 2], "phq9 has 9 items, got another count"),
        (
            "gad7",
            [0, 1, 2, 3, 2.5, 0, 0],
            "item 5 of gad7 must be an integer or None, got a number",
        ),
        ("gad7", [0, 1, 2, 3, 7, 0, 0], "item 5 of gad7 is scored 0-3"),
        ("hamd17", [None] + [1] * 16, "hamd17 is never prorated"),
        ("phq9", [None, None] + [1] * 7, "phq9 is prorated with at most 1 missing item"),
    ],
)
def test_a_refused_score_has_a_redacted_form_without_the_answers(
    instrument: str, items: object, log: str
) -> None:
    """The answers are the patient's: a refusal quotes them for the user and its redacted
    message, for logs, says the instrument's rule alone."""
    with pytest.raises(IptError) as caught:
        score(instrument, items)  # type: ignore[arg-type]
    assert caught.value.redacted_message == log
    assert log.split(", got")[0] in str(caught.value)  # the full message says the same rule


# --------------------------------------------------------------------------------------------
# Over time, pinned exactly (mutation testing of iptcore.trajectory): the people's table, the
# JSON form, the range and banding of totals, same-day order, the refusals and the |RC| > 1.96
# boundary [JACOBSON-TRUAX1991]. All series are fictional.
# --------------------------------------------------------------------------------------------

D1 = date(2026, 2, 2)


def test_describe_from_a_baseline_of_zero_without_response_or_remission() -> None:
    """The table from a baseline of 0: no percentage, each line starting with its date and with
    no trailing space, the RCI signed to 2 places; from 0 nothing is a response, 12 is no PHQ-9
    remission (< 5) and +12 is a reliable deterioration (RC = 12 / (sqrt(2) * 6.5 * sqrt(0.11))
    = +3.94 > 1.96) [KROENKE2001; JACOBSON-TRUAX1991]."""
    t = track("phq9", [(D0, 0), (D1, 12)])
    assert t.describe() == (
        "PHQ-9, 2 score(s), baseline 0\n"
        "  2026-01-05   0  minimal\n"
        "  2026-02-02  12  moderate          change +12, RCI +3.94\n"
        "latest: no response, no remission, reliable deterioration"
    )


def test_describe_of_a_remission() -> None:
    """The docstring's HAM-D-17 course: 22 (severe) to 7 (normal, a remission: HAM-D <= 7), a fall
    of 15 (-68%), RC = -15 / (sqrt(2) * 5 * sqrt(0.211)) = -4.62 [RUSH2003; CASACALENDA2002;
    JACOBSON-TRUAX1991]."""
    t = track("hamd17", [(D0, 22), (date(2026, 3, 30), 7)], sd=5.0)
    assert t.describe() == (
        "HAM-D-17, 2 score(s), baseline 22\n"
        "  2026-01-05  22  severe\n"
        "  2026-03-30   7  normal            change -15 (-68%), RCI -4.62\n"
        "latest: response, remission, reliable improvement"
    )


def test_describe_of_a_lone_baseline_says_no_reliable_change() -> None:
    """A lone baseline has neither response nor reliable change, even where its RCI (0) is known
    (the PHQ-9 has a reference SD); its remission is said (PHQ-9 < 5) [KROENKE2001]."""
    assert track("phq9", [(D0, 9)]).describe() == (
        "PHQ-9, 1 score(s), baseline 9\n  2026-01-05   9  mild\nlatest: baseline only, no remission"
    )
    assert track("phq9", [(D0, 3)]).describe().splitlines()[-1] == (
        "latest: baseline only, remission"
    )


def test_a_change_of_exactly_the_threshold_is_not_reliable() -> None:
    """A change is reliable when |RC| > 1.96, not at 1.96: with s1 = 31.25 and r_xx = 0.68,
    S_diff = 31.25 * sqrt(2 * 0.32) = 25, so 49 points is RC = 1.96 exactly and 50 is beyond
    [JACOBSON-TRUAX1991]."""
    down = track("hamd17", [(D0, 50), (D1, 1)], sd=31.25, reliability=0.68)
    assert down.reliable_change_threshold == 49.0
    assert (down.latest.rci, down.latest.reliable_change) == (-1.96, Change.NONE)
    up = track("hamd17", [(D0, 1), (D1, 50)], sd=31.25, reliability=0.68)
    assert (up.latest.rci, up.latest.reliable_change) == (1.96, Change.NONE)
    assert (
        track("hamd17", [(D0, 50), (D1, 0)], sd=31.25, reliability=0.68).latest.reliable_change
        is Change.IMPROVED
    )
    assert (
        track("hamd17", [(D0, 0), (D1, 50)], sd=31.25, reliability=0.68).latest.reliable_change
        is Change.DETERIORATED
    )


def test_trajectory_to_dict_names_every_field() -> None:
    """The JSON form, every key and value: the date as YYYY-MM-DD, the band's name [RUSH2003],
    the change and percentage (-49 of 50 is -98%), response (<= half), remission (HAM-D <= 7
    [CASACALENDA2002]) and the index with its verdict and threshold (1.96 * S_diff, S_diff = 25)
    [JACOBSON-TRUAX1991]."""
    t = track("hamd17", [(D1, 1), (D0, 50)], sd=31.25, reliability=0.68)
    assert t.to_dict() == {
        "instrument": "hamd17",
        "sd": 31.25,
        "reliability": 0.68,
        "reliable_change_threshold": 49.0,
        "points": [
            {
                "date": "2026-01-05",
                "total": 50,
                "band": "very_severe",
                "change": 0,
                "percent_change": 0.0,
                "response": False,
                "remission": False,
                "rci": 0.0,
                "reliable_change": "no_reliable_change",
            },
            {
                "date": "2026-02-02",
                "total": 1,
                "band": "normal",
                "change": -49,
                "percent_change": -98.0,
                "response": True,
                "remission": True,
                "rci": -1.96,
                "reliable_change": "no_reliable_change",
            },
        ],
    }
    lone = track("hamd17", [(D0, 7)]).to_dict()
    assert (lone["sd"], lone["reliable_change_threshold"]) == (None, None)
    assert (lone["points"][0]["rci"], lone["points"][0]["reliable_change"]) == (None, None)


@pytest.mark.parametrize(
    ("instrument", "top", "band"),
    [("phq9", 27, "severe"), ("gad7", 21, "severe"), ("hamd17", 52, "very_severe")],
)
def test_the_highest_total_is_in_range(instrument: str, top: int, band: str) -> None:
    """A total may be the instrument's maximum (PHQ-9 27, GAD-7 21, HAM-D-17 52) and lies in the
    top band [KROENKE2001; SPITZER2006; RUSH2003]."""
    t = track(instrument, [(D0, top)])
    assert (t.latest.total, t.latest.band) == (top, band)


def test_totals_are_banded_with_the_banding_asked_for() -> None:
    """A HAM-D-17 total of 15 is moderate in the common banding [RUSH2003] and mild in Zimmerman
    et al.'s [ZIMMERMAN2013]; a Score keeps its own band."""
    assert track("hamd17", [(D0, 15)]).latest.band == "moderate"
    assert track("hamd17", [(D0, 15)], banding="zimmerman2013").latest.band == "mild"
    t = track("hamd17", [(D0, 15), (D1, 20)], banding="zimmerman2013")
    assert [p.band for p in t.points] == ["mild", "moderate"]


def test_same_day_scores_keep_their_order() -> None:
    """The sort is by date alone and stable: same-day scores stay in the order given, and the first
    given is the baseline (track's docstring)."""
    t = track("phq9", [(D1, 4), (D0, 10), (D0, 5), (D0, 7)])
    assert [p.total for p in t.points] == [10, 5, 7, 4]
    assert [p.change for p in t.points] == [0, -5, -3, -6]


@pytest.mark.parametrize(
    ("series", "kwargs", "message", "redacted"),
    [
        (
            [],
            {},
            "series: must hold at least one dated score (the baseline)",
            "series: must hold at least one dated score (the baseline)",
        ),
        (
            [(D0, 28)],
            {},
            "series[0][1]: must be a phq9 total from 0 to 27, got 28",
            "series[0][1]: must be a phq9 total from 0 to 27, got an integer",
        ),
        (
            [(D0, 2.5)],
            {},
            "series[0][1]: must be a Score or a total, got 2.5",
            "series[0][1]: must be a Score or a total, got a number",
        ),
        (
            [("2026-01-05", 3)],
            {},
            "series[0][0]: must be a datetime.date, got '2026-01-05'",
            "series[0][0]: must be a datetime.date, got a string",
        ),
        (
            [(D0, 3), (D0,)],
            {},
            "series[1]: must be a (date, score) pair, got (datetime.date(2026, 1, 5),)",
            "series[1]: must be a (date, score) pair, got a list",
        ),
        (
            [(D0, score("gad7", [0] * 7))],
            {},
            "series[0][1]: is a gad7 score, not phq9",
            "series[0][1]: is a gad7 score, not phq9",
        ),
        (
            [(D0, 3)],
            {"sd": True},
            "sd: must be a positive number, got True",
            "sd: must be a positive number, got a boolean",
        ),
        (
            [(D0, 3)],
            {"sd": "6.5"},
            "sd: must be a positive number, got '6.5'",
            "sd: must be a positive number, got a string",
        ),
        (
            [(D0, 3)],
            {"sd": -1.0},
            "sd: must be a positive number, got -1.0",
            "sd: must be a positive number, got a number",
        ),
        (
            [(D0, 3)],
            {"reliability": 0},
            "reliability: must be a positive number, got 0",
            "reliability: must be a positive number, got an integer",
        ),
        (
            [(D0, 3)],
            {"reliability": True},
            "reliability: must be a positive number, got True",
            "reliability: must be a positive number, got a boolean",
        ),
        (
            [(D0, 3)],
            {"reliability": math.nan},
            "reliability: must be a positive number, got nan",
            "reliability: must be a positive number, got a number",
        ),
        (
            [(D0, 3)],
            {"reliability": math.inf},
            "reliability: must be finite, got inf",
            "reliability: must be finite, got a number",
        ),
        (
            [(D0, 3)],
            {"reliability": 1.5},
            "reliability: must be below 1, got 1.5",
            "reliability: must be below 1, got a number",
        ),
    ],
)
def test_series_refusals_word_for_word(
    series: list[object], kwargs: dict[str, object], message: str, redacted: str
) -> None:
    """Each refusal says the argument at fault and the rule, in the one form ``field: message``
    (track's docstring). Errors have a redacted form for logs: paths and rules, nothing from the
    input: a patient's score or date is told by its kind, never quoted."""
    with pytest.raises(IptError) as caught:
        track("phq9", series, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.redacted_message == redacted
