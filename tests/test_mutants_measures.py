"""Tests that kill the mutants that survived in the measures modules (measures.py, instruments.py).

Each test pins down one rule of the instruments table or of scoring, with its source, that the
module's own tests left open: a boundary (``<`` against ``<=``), a check joined with ``or`` that a
mutation could join with ``and``, or the wording of an error that must name the field at fault
(BRIEFING: "Bad input gets a clear message naming the field/argument and what was wrong").
``mutation/README.md`` explains the mutation run and lists the mutants left on purpose.

Some helpers run only when the module is imported (the validator factories, the table builders):
they are called here directly, so that the mutation run maps a test to them.
"""

from __future__ import annotations

import attrs
import pytest

from iptcore import IptError, is_remission, is_response, score
from iptcore import measures as ins
from iptcore.measures import INSTRUMENTS, Band, Banding, Flag, InstrumentSpec, Item, Score

PHQ9 = INSTRUMENTS["phq9"]
GAD7 = INSTRUMENTS["gad7"]
HAMD = INSTRUMENTS["hamd17"]


def _attribute(name: str) -> attrs.Attribute[object]:
    """An attrs attribute called ``name``, as a validator receives it."""
    return attrs.Attribute(  # type: ignore[no-any-return]
        name=name,
        default=attrs.NOTHING,
        validator=None,
        repr=True,
        cmp=None,
        hash=None,
        init=True,
        inherited=False,
    )


# -- the validator factories (run at import; called here so that a test maps to them) ------------


def test_int_validator_refuses_non_integers_and_values_below_its_floor() -> None:
    """Every count of an instrument is a whole number (instruments.py: "every bad value raises
    IptError naming the field"); item numbers start at 1 [Kroenke et al. 2001; Hamilton 1960]."""
    check = ins._int(1)
    number = _attribute("number")
    check(None, number, 1)
    with pytest.raises(IptError, match=r"^number: must be an integer, got True$"):
        check(None, number, True)
    with pytest.raises(IptError, match=r"^number: must be at least 1, got 0$"):
        check(None, number, 0)
    ins._int()(None, number, -5)  # no floor: any whole number


def test_tuple_validator_wants_a_tuple_of_its_kind() -> None:
    check = ins._tuple_of(int)
    missing = _attribute("missing")
    check(None, missing, (1, 2))
    with pytest.raises(IptError, match=r"^missing: must be a tuple of int, got \{1\}$"):
        check(None, missing, {1})
    with pytest.raises(IptError, match=r"^missing: must be a tuple of int, got \('1',\)$"):
        check(None, missing, ("1",))


def test_items_are_built_from_equal_tables() -> None:
    """The PHQ-9 has 9 items scored 0-3 (Kroenke et al. 2001): the table builder numbers items
    from 1 and refuses texts and maxima of different lengths."""
    built = ins._items((3, 2), ("first", "second"))
    assert built == (
        Item(number=1, text="first", maximum=3),
        Item(number=2, text="second", maximum=2),
    )
    with pytest.raises(ValueError, match="zip"):
        ins._items((3, 3), ("only one",))


def test_bands_are_built_in_the_order_given() -> None:
    """GAD-7 bands at 5, 10 and 15 (Spitzer et al. 2006)."""
    banding = ins._bands("Spitzer et al. 2006", minimal=(0, 4), mild=(5, 9))
    assert banding == Banding(
        name="default",
        bands=(Band(name="minimal", low=0, high=4), Band(name="mild", low=5, high=9)),
        source="Spitzer et al. 2006",
    )
    assert ins._bands("s", name="other", x=(0, 1)).name == "other"


# -- the value classes ---------------------------------------------------------------------------


def test_text_and_name_fields_are_refused_by_name() -> None:
    with pytest.raises(IptError, match=r"^source: must be a string, got 3$"):
        Banding(name="b", bands=(Band(name="x", low=0, high=1),), source=3)  # type: ignore[arg-type]
    for bad in ("Mild", "two words", "mild-ish", 5):
        with pytest.raises(IptError, match=r"^name must be a lower-case word like 'mild', got "):
            Band(name=bad, low=0, high=1)  # type: ignore[arg-type]
    assert Band(name="moderately_severe", low=15, high=19).name == "moderately_severe"


def test_an_item_needs_room_above_its_minimum() -> None:
    """An item's maximum lies above its minimum: 0-3 for the PHQ-9 (Kroenke et al. 2001)."""
    with pytest.raises(IptError, match=r"^item 4: maximum must be above minimum 1$"):
        Item(number=4, text="t", maximum=1, minimum=1)
    assert Item(number=4, text="t", maximum=2, minimum=1).maximum == 2


def test_a_band_of_one_total_is_allowed() -> None:
    """A band holds totals low to high, both included: one total is a band, a reversed one not."""
    assert Band(name="only", low=5, high=5).contains(5)
    with pytest.raises(IptError, match=r"^band only: high 4 is below low 5$"):
        Band(name="only", low=5, high=4)


def test_band_of_a_total_outside_the_banding_names_it() -> None:
    with pytest.raises(IptError, match=r"^total 28 is outside the default banding$"):
        PHQ9.banding().band_of(28)


def test_lists_become_tuples_and_other_values_are_refused_by_name() -> None:
    banding = Banding(name="b", bands=[Band(name="x", low=0, high=1)], source="s")  # type: ignore[arg-type]
    assert banding.bands == (Band(name="x", low=0, high=1),)
    assert Score(instrument="phq9", total=3, band="minimal", missing=[2]).missing == (2,)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^missing: must be a tuple of int, got 5$"):
        Score(instrument="phq9", total=3, band="minimal", missing=5)  # type: ignore[arg-type]
    assert ins._as_tuple((1,)) == (1,)
    assert ins._as_tuple("ab") == "ab"


def test_flags_must_be_a_set_of_names() -> None:
    """A score's flags are names (Kroenke et al. 2001: item 9 above 0 is a suicide-risk flag)."""
    for bad in ("suicide_risk", 5, None):
        with pytest.raises(IptError, match=r"^flags must be a set of flag names, got "):
            Score(instrument="phq9", total=3, band="minimal", flags=bad)  # type: ignore[arg-type]
    assert Score(instrument="phq9", total=3, band="minimal", flags=["a"]).flags == {"a"}  # type: ignore[arg-type]


def test_an_unknown_instrument_lists_the_known_ones() -> None:
    with pytest.raises(
        IptError, match=r"^instrument must be one of phq9, gad7, hamd17, got 'bdi2'$"
    ):
        Score(instrument="bdi2", total=3, band="minimal")


# -- the instrument spec's checks ----------------------------------------------------------------


def test_every_problem_of_a_spec_is_listed_with_the_instrument() -> None:
    """An instrument is checked as a whole and every problem is named, joined by "; "."""
    items = (Item(number=2, text="a", maximum=3), Item(number=1, text="b", maximum=3))
    with pytest.raises(IptError) as info:
        attrs.evolve(PHQ9, items=items, bandings=(), reliability=1.5, remission_max=7)
    assert str(info.value) == (
        "phq9: items must be numbered 1, 2, 3, ... in order; needs at least one banding; "
        "flag suicide_risk names item 9, which does not exist; remission_max must be within "
        "0-6, got 7; reliability must be between 0 and 1, got 1.5"
    )


def test_banding_names_are_unique() -> None:
    twice = (HAMD.bandings[0], attrs.evolve(HAMD.bandings[1], name="default"))
    with pytest.raises(
        IptError, match=r"^hamd17: banding names must be unique, got \['default', 'default'\]$"
    ):
        attrs.evolve(HAMD, bandings=twice)


def test_remission_max_may_be_any_total_of_the_instrument() -> None:
    """Remission is a total at most ``remission_max``: PHQ-9 < 5, HAM-D <= 7 (GUIDE
    s. 6); any total from the lowest to the highest is a valid setting, none outside."""
    assert attrs.evolve(PHQ9, remission_max=0).remission_max == 0
    assert attrs.evolve(PHQ9, remission_max=27).remission_max == 27
    with pytest.raises(IptError, match=r"^phq9: remission_max must be within 0-27, got 28$"):
        attrs.evolve(PHQ9, remission_max=28)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1])
def test_reliability_lies_strictly_between_0_and_1(bad: float) -> None:
    """Cronbach's alpha 0.89 for the PHQ-9 (Kroenke et al. 2001): a reliability of 0 or 1 would
    make the reliable change index divide by zero or mean nothing."""
    with pytest.raises(IptError, match=rf"^phq9: reliability must be between 0 and 1, got {bad}$"):
        attrs.evolve(PHQ9, reliability=bad)
    assert attrs.evolve(PHQ9, reliability=0.999).reliability == 0.999


@pytest.mark.parametrize("bad", [0, -1.0, True, "6.5"])
def test_reference_sd_is_a_positive_number(bad: object) -> None:
    """The reference SD feeds the reliable change index (Jacobson & Truax 1991)."""
    with pytest.raises(
        IptError, match=r"^phq9: reference_sd must be a positive number or None, got "
    ):
        attrs.evolve(PHQ9, reference_sd=bad)
    assert attrs.evolve(PHQ9, reference_sd=0.5).reference_sd == 0.5
    assert attrs.evolve(PHQ9, reference_sd=None).reference_sd is None


def test_an_unknown_banding_lists_the_known_ones() -> None:
    """The HAM-D-17 has the common banding and Zimmerman et al. 2013's."""
    with pytest.raises(
        IptError, match=r"^hamd17 has no banding 'x'; it has default, zimmerman2013$"
    ):
        HAMD.banding("x")


# -- scoring -------------------------------------------------------------------------------------


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
    """Every answered item is in its range (Kroenke et al. 2001: 0-3), even after a missing one."""
    with pytest.raises(IptError, match=r"^item 2 of phq9 is scored 0-3, got 9$"):
        score("phq9", [None, 9, 0, 0, 0, 0, 0, 0, 0])


def test_the_proration_limit_is_said_in_words() -> None:
    """Proration from at most one missing item is iptcore's default for the self-report scales; a variant allowing two says "items"."""
    with pytest.raises(
        IptError, match=r"^phq9 is prorated with at most 1 missing item; items 1 and 2 are missing$"
    ):
        score("phq9", [None, None, 1, 1, 1, 1, 1, 1, 1])
    two = attrs.evolve(PHQ9, max_missing=2)
    with pytest.raises(
        IptError,
        match=r"^phq9 is prorated with at most 2 missing items; items 1, 2 and 3 are missing$",
    ):
        score(two, [None, None, None, 1, 1, 1, 1, 1, 1])
    with pytest.raises(IptError, match=r"^hamd17 is never prorated; item 1 is missing$"):
        score("hamd17", [None] + [0] * 16)


@pytest.mark.parametrize(
    ("baseline", "current", "field"),
    [(-1, 0, "baseline"), (10, -1, "current"), (True, 0, "baseline"), (10, 2.0, "current")],
)
def test_response_names_the_total_that_is_wrong(
    baseline: object, current: object, field: str
) -> None:
    """Response is a 50% reduction from baseline [KROENKE2001; SPITZER2006; HAMILTON1960] of two whole totals."""
    with pytest.raises(IptError, match=rf"^{field} must be a whole number of 0 or more, got "):
        is_response(baseline, current)  # type: ignore[arg-type]


def test_remission_names_the_total_that_is_wrong() -> None:
    """Remission: HAM-D <= 7, PHQ-9 < 5 [KROENKE2001; SPITZER2006; HAMILTON1960] of a whole total in range."""
    with pytest.raises(IptError, match=r"^total must be a whole number of 0 or more, got -1$"):
        is_remission("phq9", -1)
    with pytest.raises(IptError, match=r"^total of phq9 is at most 27, got 28$"):
        is_remission("phq9", 28)
    assert is_remission("phq9", 4)
    assert not is_remission("phq9", 5)


def test_flag_not_assessed_name() -> None:
    """An unanswered risk item is never read as "no risk" (Simon et al. 2013)."""
    flag = Flag(name="suicide_risk", item=9, message="m", source="s")
    assert flag.not_assessed == "suicide_risk_not_assessed"
    assert score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, None]).flags == {"suicide_risk_not_assessed"}


def test_spec_lookup_takes_a_spec_as_it_is() -> None:
    custom = attrs.evolve(GAD7, title="GAD-7 (custom)")
    assert ins.instrument_spec(custom) is custom
    assert isinstance(ins.instrument_spec("gad7"), InstrumentSpec)
