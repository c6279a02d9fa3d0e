"""Tests of the trajectory model behind iptcore.simulate: the refusals of bad SimulationParams word
for word, their sources and JSON form, and the session-by-session simulation that runs when dropout
depends on severity (``dropout_severity != 0``) or assessments are missed
(``assessment_miss_rate > 0``), checked exactly on cohorts whose randomness is switched off and
statistically, with fixed seeds, where it is not."""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest

from iptcore import PROTOCOLS, IptError, Phase, SimulationParams
from iptcore.measures import Instrument
from iptcore.simulate import MAX_SEED, Cohort, simulate_cohort

HUGE = 10**5000  # beyond Python's 4,300-digit limit for int-to-str
SESSIONS = 16  # the adult protocol's default course, sessions 1..16
TINY = 1e-9  # a dropout_severity that changes no hazard but runs the session-by-session model
FIELD_COUNT = 26  # the fields of SimulationParams


def still(**changes: Any) -> SimulationParams:
    """Parameters with every source of chance switched off: one baseline, no responsiveness
    spread, no random walk, no measurement noise, no miss, no dropout, no change, every area alike;
    and the session-by-session model switched on by a negligible dropout_severity."""
    base: dict[str, Any] = {
        "baseline_mean": 30.0,
        "baseline_sd": 0.0,
        "measurement_sd": 0.0,
        "walk_sd": 0.0,
        "responsiveness_sd": 0.0,
        "area_effect": {"interpersonal_deficits": 1.0},
        "miss_rate": 0.0,
        "dropout_initial": 0.0,
        "dropout_middle": 0.0,
        "dropout_termination": 0.0,
        "dropout_control": 0.0,
        "change_engagement": 0.0,
        "change_initial": 0.0,
        "change_middle": 0.0,
        "change_termination": 0.0,
        "change_maintenance": 0.0,
        "change_control": 0.0,
        "dropout_severity": TINY,
    }
    return SimulationParams(**{**base, **changes})


def recorded(cohort: Cohort) -> npt.NDArray[np.int8]:
    """The scores kept with the cohort (baseline, then one column per session, -1 for none)."""
    assert cohort.scores is not None
    return cohort.scores


def same_cases(a: Cohort, b: Cohort) -> bool:
    """Bit-for-bit equal compact results."""
    names = ("baseline", "end", "sessions_attended", "dropped_out", "dropout_session", "area")
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in names)


# -- refusals of bad parameters, word for word ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"baseline_mean": -1},
            "SimulationParams.baseline_mean must be a number from 0, got -1",
        ),
        (
            {"baseline_sd": math.inf},
            "SimulationParams.baseline_sd must be a number from 0, got inf",
        ),
        (
            {"measurement_sd": -0.5},
            "SimulationParams.measurement_sd must be a number from 0, got -0.5",
        ),
        (
            {"change_engagement": 1.5},
            "SimulationParams.change_engagement must be a number from -1 to 1, got 1.5",
        ),
        (
            {"change_initial": -1.01},
            "SimulationParams.change_initial must be a number from -1 to 1, got -1.01",
        ),
        (
            {"change_termination": "0.1"},
            "SimulationParams.change_termination must be a number from -1 to 1, got '0.1'",
        ),
        (
            {"change_maintenance": None},
            "SimulationParams.change_maintenance must be a number from -1 to 1, got None",
        ),
        (
            {"change_control": math.nan},
            "SimulationParams.change_control must be a number from -1 to 1, got nan",
        ),
        ({"walk_sd": 2.5}, "SimulationParams.walk_sd must be a number from 0 to 2, got 2.5"),
        (
            {"responsiveness_sd": True},
            "SimulationParams.responsiveness_sd must be a number from 0 to 2, got True",
        ),
        ({"miss_rate": 1}, "SimulationParams.miss_rate must be a number from 0 below 1, got 1"),
        (
            {"dropout_initial": -0.1},
            "SimulationParams.dropout_initial must be a number from 0 below 1, got -0.1",
        ),
        (
            {"dropout_middle": 1.0},
            "SimulationParams.dropout_middle must be a number from 0 below 1, got 1.0",
        ),
        (
            {"dropout_termination": 2},
            "SimulationParams.dropout_termination must be a number from 0 below 1, got 2",
        ),
        (
            {"dropout_control": 1},
            "SimulationParams.dropout_control must be a number from 0 below 1, got 1",
        ),
        (
            {"assessment_miss_rate": 1.0},
            "SimulationParams.assessment_miss_rate must be a number from 0 below 1, got 1.0",
        ),
        (
            {"course_change": 10.5},
            "SimulationParams.course_change must be a number from 0 to 10, got 10.5",
        ),
        (
            {"dose_exponent": 0.01},
            "SimulationParams.dose_exponent must be a number from 0.05 to 5, got 0.01",
        ),
        (
            {"dose_exponent": 5.5},
            "SimulationParams.dose_exponent must be a number from 0.05 to 5, got 5.5",
        ),
        (
            {"dropout_severity": -11},
            "SimulationParams.dropout_severity must be a number from -10 to 10, got -11",
        ),
        (
            {"entry_score": 14.5},
            "SimulationParams.entry_score: must be a whole number, got 14.5",
        ),
        ({"entry_score": -1}, "SimulationParams.entry_score: must be at least 0, got -1"),
        (
            {"entry_score": 1001},
            "SimulationParams.entry_score: must be at most 1,000, got 1001",
        ),
        (
            {"area_shares": {"grief": -1}},
            "SimulationParams.area_shares[grief] must be a number from 0 to 1000000000, got -1",
        ),
        (
            {"area_shares": {"role_dispute": 1e10}},
            (
                "SimulationParams.area_shares[role_dispute] must be a number from 0 to 1000000000, "
                "got 10000000000.0"
            ),
        ),
        (
            {"area_effect": {"role_transition": 10.5}},
            "SimulationParams.area_effect[role_transition] must be a number from 0 to 10, got 10.5",
        ),
        (
            {"stage_effect": {"impasse": False}},
            "SimulationParams.stage_effect[impasse] must be a number from 0 to 10, got False",
        ),
        (
            {"stage_effect": {"dissolution": "1"}},
            "SimulationParams.stage_effect[dissolution] must be a number from 0 to 10, got '1'",
        ),
        (
            {"area_shares": {"loneliness": 1}},
            (
                "SimulationParams.area_shares must map each of grief, role_dispute, role_transition, "
                "interpersonal_deficits to a number, got {'loneliness': 1}"
            ),
        ),
        (
            {"area_effect": 5},
            (
                "SimulationParams.area_effect must map each of grief, role_dispute, role_transition, "
                "interpersonal_deficits to a number, got 5"
            ),
        ),
        (
            {"stage_effect": [("impasse",)]},
            (
                "SimulationParams.stage_effect must map each of renegotiation, impasse, dissolution "
                "to a number, got [('impasse',)]"
            ),
        ),
        (
            {"area_shares": {"grief": 0}},
            "SimulationParams.area_shares must give at least one area a share above 0",
        ),
        (
            {"baseline_sd": 53},
            (
                "SimulationParams.baseline_sd must be a number from 0 to 52 (the hamd17 maximum), "
                "got 53"
            ),
        ),
        (
            {"instrument": "phq9", "measurement_sd": 27.5},
            (
                "SimulationParams.measurement_sd must be a number from 0 to 27 (the phq9 maximum), "
                "got 27.5"
            ),
        ),
        (
            {"baseline_mean": 13.5},
            (
                "SimulationParams.baseline_mean must lie between entry_score 14 and the hamd17 "
                "maximum 52, got 13.5"
            ),
        ),
        (
            {"instrument": "gad7", "baseline_mean": 22},
            (
                "SimulationParams.baseline_mean must lie between entry_score 10 and the gad7 "
                "maximum 21, got 22"
            ),
        ),
    ],
)
def test_each_bad_parameter_is_refused_word_for_word(changes: dict[str, Any], message: str) -> None:
    """A bad field is refused with an IptError that names it, gives its range with the bounds as
    a person writes them (0.05, 1000000000; "below" where the bound itself is excluded) and quotes
    the value given."""
    with pytest.raises(IptError) as caught:
        SimulationParams(**changes)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "changes",
    [
        {"miss_rate": 0.999999},
        {"dropout_initial": 0},
        {"dropout_severity": 10},
        {"dropout_severity": -10},
        {"dose_exponent": 0.05},
        {"dose_exponent": 5},
        {"course_change": 0},
        {"course_change": 10},
        {"change_middle": -1},
        {"change_middle": 1},
        {"walk_sd": 2},
        {"area_shares": {"grief": 1e9}},
        {"area_effect": {"grief": 0, "role_dispute": 10}},
        {"entry_score": 0, "baseline_mean": 0},
        {"baseline_sd": 52, "measurement_sd": 52},
        {"baseline_mean": 52},
        {"baseline_mean": 14},
    ],
)
def test_the_bounds_of_each_range_are_accepted(changes: dict[str, Any]) -> None:
    """Each range includes its bounds ("from 0 to 10"), except the one said to be excluded
    ("below 1"): a bound itself is a valid parameter."""
    params = SimulationParams(**changes)
    for name, value in changes.items():
        if isinstance(value, dict):
            assert all(params.to_dict()[name][key] == v for key, v in value.items())
        else:
            assert getattr(params, name) == value


def test_a_bad_dropout_on_is_refused_with_an_ipt_error() -> None:
    """dropout_on takes 'current' or 'observed'; anything else is refused, as every other
    out-of-range field is, with an IptError naming it (docs/simulation.md, "Limits of the input":
    every argument out of range is refused with an IptError that names it)."""
    with pytest.raises(IptError) as refused:
        SimulationParams(dropout_on="latest")
    assert str(refused.value) == (
        "SimulationParams.dropout_on must be 'current' or 'observed', got 'latest'"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"change_middle": 10**400},
        {"dropout_severity": -(10**400)},
        {"baseline_mean": 10**400},
        {"area_shares": {"grief": 10**400}},
        {"stage_effect": {"impasse": 10**400}},
    ],
    ids=["number", "negative", "no-upper-bound", "area-table", "stage-table"],
)
def test_an_integer_too_large_for_a_float_is_refused_with_an_ipt_error(
    changes: dict[str, Any],
) -> None:
    """A whole number beyond the range of a float (10**400) is out of every field's range: it is
    refused with an IptError naming the field and quoting the value abridged, never another
    exception (docs/simulation.md,
    "Limits of the input"; tests/test_simulate_hostile.py's promise)."""
    name = next(iter(changes))
    with pytest.raises(IptError, match=name) as refused:
        SimulationParams(**changes)
    # The value is quoted by its size, never written out in 401 digits.
    assert str(refused.value).endswith("integer of 401 digits")


# -- the value quoted, abridged -----------------------------------------------------------------------


def digits(value: int) -> int:
    """The number of decimal digits of ``abs(value)``, counted by hand (no int-to-str)."""
    count, big = 0, abs(value)
    while big:
        big //= 10
        count += 1
    return count


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        (HUGE, "an integer of 5001 digits"),
        (HUGE - 1, "an integer of 5000 digits"),
        (-HUGE, "a negative integer of 5001 digits"),
        (-(HUGE - 1), "a negative integer of 5000 digits"),
        (10**78, "an integer of 79 digits"),
        (10**78 - 1, "an integer of 78 digits"),
        (2**256, "an integer of 78 digits"),
        (2**300, "an integer of 91 digits"),
        (-(2**300), "a negative integer of 91 digits"),
    ],
    ids=[
        "1e5000",
        "1e5000-1",
        "-1e5000",
        "-(1e5000-1)",
        "1e78",
        "1e78-1",
        "2^256",
        "2^300",
        "-2^300",
    ],
)
def test_a_huge_integer_is_quoted_by_its_number_of_digits(value: int, quoted: str) -> None:
    """An integer of more than 256 bits is quoted by the size of its decimal form ("an integer of
    5001 digits"), exactly (10**k has k + 1 digits, 10**k - 1 has k), signed, never printed."""
    assert quoted.endswith(f" {digits(value)} digits")
    low = value < 0
    with pytest.raises(IptError) as caught:
        SimulationParams(entry_score=value)
    bound = "at least 0" if low else "at most 1,000"
    assert str(caught.value) == f"SimulationParams.entry_score: must be {bound}, got {quoted}"


def test_an_integer_of_256_bits_is_quoted_as_text_cut_at_60_characters() -> None:
    """Up to 256 bits an integer is quoted as written, cut like any long text: 2**256 - 1 has 78
    digits, of which the first 57 are shown, then "..."."""
    value = 2**256 - 1
    assert value.bit_length() == 256
    text = str(value)
    with pytest.raises(IptError) as caught:
        SimulationParams(entry_score=value)
    assert str(caught.value) == (
        f"SimulationParams.entry_score: must be at most 1,000, got {text[:57]}..."
    )


@pytest.mark.parametrize(
    ("length", "quoted"),
    [
        (58, "'" + "x" * 58 + "'"),  # repr of 60 characters: whole
        (59, "'" + "x" * 56 + "..."),  # repr of 61 characters: cut to 57 and "..."
        (200, "'" + "x" * 56 + "..."),
    ],
)
def test_a_long_value_is_quoted_cut_to_60_characters(length: int, quoted: str) -> None:
    """The value quoted is its repr when that is at most 60 characters, else its first 57
    characters followed by "..." (60 in all)."""
    assert len(quoted) <= 60
    text: Any = "x" * length
    with pytest.raises(IptError) as caught:
        SimulationParams(change_middle=text)
    assert str(caught.value) == (
        f"SimulationParams.change_middle must be a number from -1 to 1, got {quoted}"
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"change_middle": [HUGE]},
            "SimulationParams.change_middle must be a number from -1 to 1, got a list",
            id="list",
        ),
        pytest.param(
            {"area_shares": (HUGE,)},
            "SimulationParams.area_shares must map each of grief, role_dispute, role_transition, "
            "interpersonal_deficits to a number, got a tuple",
            id="tuple",
        ),
    ],
)
def test_a_container_that_cannot_be_printed_is_quoted_by_its_type(
    changes: dict[str, Any], message: str
) -> None:
    """A container holding an integer beyond the int-to-str limit cannot be printed: it is named
    by its type ("a list")."""
    with pytest.raises(IptError) as caught:
        SimulationParams(**changes)
    assert str(caught.value) == message


# -- sources and JSON form ------------------------------------------------------------------------------


OWN_SOURCES = {
    Instrument.HAMD17: (
        "O'Hara et al. 2000 (HRSD 19.4 at entry); the mean before folding at entry_score",
        "(unconfirmed) typical of acute-phase trials",
        "the NIMH TDCRP's entry criterion, HAM-D 14+ [GUIDE]",
    ),
    Instrument.PHQ9: (
        "(unconfirmed) the moderately severe band, Kroenke et al. 2001",
        "(unconfirmed)",
        "(unconfirmed) the moderate band, Kroenke et al. 2001",
    ),
    Instrument.GAD7: (
        "(unconfirmed) the moderate band, Spitzer et al. 2006",
        "(unconfirmed)",
        "(unconfirmed) the moderate band, Spitzer et al. 2006",
    ),
}


@pytest.mark.parametrize("instrument", list(Instrument))
def test_sources_give_the_instruments_own_for_its_fields(instrument: Instrument) -> None:
    """The baseline's mean, SD and entry score have a source per instrument ([GUIDE] for the
    HAM-D entry criterion of the NIMH TDCRP); every other field keeps its own, the same on every
    scale."""
    sources = SimulationParams.sources(instrument)
    mean, sd, entry = OWN_SOURCES[instrument]
    assert (sources["baseline_mean"], sources["baseline_sd"], sources["entry_score"]) == (
        mean,
        sd,
        entry,
    )
    assert SimulationParams.sources(instrument.value) == sources
    fields = attrs.fields(SimulationParams)
    assert list(sources) == [f.name for f in fields]
    assert len(sources) == FIELD_COUNT
    own = {"baseline_mean", "baseline_sd", "entry_score"}
    assert {f.name: sources[f.name] for f in fields if f.name not in own} == {
        f.name: f.metadata["source"] for f in fields if f.name not in own
    }
    assert sources["instrument"] == "the scale simulated [GUIDE]"
    assert sources["measurement_sd"].startswith("standard error of measurement SD * sqrt(")
    assert sources["change_middle"].startswith("calibrated so that the defaults reproduce")
    assert sources["dropout_control"] == (
        "54.4% of the control arm drop out in 16 weeks (Casacalenda et al. 2002)"
    )
    assert sources["miss_rate"] == "(unconfirmed) chance that a session (or visit) is missed"


def test_to_dict_is_every_field_in_json_form() -> None:
    """The JSON form has every field in declaration order: the instrument's word, the numbers, and
    each table as a dict of every area (or stage) in enum order, the ones left out at their
    default (0 for a share, 1 for an effect)."""
    changes: dict[str, Any] = {
        "instrument": "phq9",
        "area_shares": {"grief": 2},
        "area_effect": {"role_dispute": 0.5},
        "stage_effect": {"impasse": 0.25},
        "course_change": 1.5,
        "dropout_severity": 2,
        "dropout_on": "observed",
    }
    params = SimulationParams(**changes)
    assert params.to_dict() == {
        "instrument": "phq9",
        "baseline_mean": 17.0,
        "baseline_sd": 4.0,
        "entry_score": 10,
        # [JACOBSON-TRUAX1991]: reference SD 6.5 * sqrt(1 - reliability 0.89), to 3 places.
        "measurement_sd": round(6.5 * math.sqrt(1 - 0.89), 3),
        "change_engagement": 0.03,
        "change_initial": 0.03,
        "change_middle": 0.095,
        "change_termination": 0.07,
        "change_maintenance": 0.02,
        "change_control": 0.05,
        "walk_sd": 0.09,
        "responsiveness_sd": 0.4,
        "area_shares": {
            "grief": 2.0,
            "role_dispute": 0.0,
            "role_transition": 0.0,
            "interpersonal_deficits": 0.0,
        },
        "area_effect": {
            "grief": 1.0,
            "role_dispute": 0.5,
            "role_transition": 1.0,
            "interpersonal_deficits": 1.0,
        },
        "stage_effect": {"renegotiation": 1.0, "impasse": 0.25, "dissolution": 1.0},
        "miss_rate": 0.08,
        "dropout_initial": 0.03,
        "dropout_middle": 0.012,
        "dropout_termination": 0.005,
        "dropout_control": 0.048,
        "course_change": 1.5,
        "dose_exponent": 1.0,
        "dropout_severity": 2,
        "dropout_on": "observed",
        "assessment_miss_rate": 0.0,
    }
    assert list(params.to_dict()) == [f.name for f in attrs.fields(SimulationParams)]
    assert params.mechanism == "MAR"


# -- the session-by-session model: exact, with chance switched off ----------------------------------


def phases_of_ipt() -> list[Phase]:
    """The phase of each of the adult protocol's 16 sessions."""
    protocol = PROTOCOLS["ipt"]
    return [protocol.phase_of(number, SESSIONS) for number in range(1, SESSIONS + 1)]


def last_scores(scores: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
    """Per row: the last score recorded (the baseline when none was)."""
    seen = np.where(scores >= 0, np.arange(scores.shape[1]), 0)
    last: npt.NDArray[np.int64] = scores[np.arange(len(scores)), seen.max(axis=1)].astype(np.int64)
    return last


SAME_RATE = dict.fromkeys(
    ["change_engagement", "change_initial", "change_middle", "change_termination"], 0.05
)


def test_ipt_changes_a_case_at_each_session_attended_by_the_dose_received() -> None:
    """IPT changes log-severity at each session attended, not at one missed: with every phase at
    0.05 and dose_exponent 0.5, the score at a session is B * exp(-D * (k d / D) ** 0.5), k the
    sessions attended so far, d = 0.05 and D = 16 d the planned change (Howard et al. 1986's
    negatively accelerated dose-effect curve [HOWARD1986]); a session missed has no score (-1),
    the end is the last score, and the control arm's weekly change plays no part."""
    params = still(**SAME_RATE, change_control=0.3, miss_rate=0.4, dose_exponent=0.5)
    cohort = simulate_cohort(300, seed=21, params=params, keep_trajectories=True)
    scores = recorded(cohort)
    attended = scores[:, 1:] >= 0
    planned = SESSIONS * 0.05
    mean = planned * (0.05 * np.cumsum(attended, axis=1) / planned) ** 0.5
    expected = np.where(attended, np.rint(30 * np.exp(-mean)), -1)
    assert (scores[:, 0] == 30).all()
    assert np.array_equal(scores[:, 1:], expected)
    assert np.array_equal(cohort.sessions_attended, attended.sum(axis=1))
    assert np.array_equal(cohort.end, last_scores(scores))
    assert not cohort.dropped_out.any()
    assert (cohort.dropout_session == -1).all()
    # Sessions attended: a share 1 - miss_rate of 4,800, within 4 binomial standard errors.
    share, n = float(attended.mean()), attended.size
    assert abs(share - 0.6) < 4 * math.sqrt(0.6 * 0.4 / n)


def test_the_control_arm_changes_every_week_it_is_in_the_study() -> None:
    """The control arm's natural course runs every week, a visit missed or not: the score seen at
    week j is B * exp(-0.05 j) with change_control 0.05, whatever the phases' rates and the dose
    exponent (they are IPT's)."""
    params = still(
        change_engagement=0.3,
        change_initial=0.3,
        change_middle=0.3,
        change_termination=0.3,
        change_control=0.05,
        miss_rate=0.4,
        dose_exponent=0.5,
        dropout_initial=0.5,
        dropout_middle=0.5,
        dropout_termination=0.5,
    )
    cohort = simulate_cohort(300, seed=22, arm="control", params=params, keep_trajectories=True)
    scores = recorded(cohort)
    attended = scores[:, 1:] >= 0
    week = np.arange(1, SESSIONS + 1)
    expected = np.where(attended, np.rint(30 * np.exp(-0.05 * week)), -1)
    assert np.array_equal(scores[:, 1:], expected)
    assert np.array_equal(cohort.end, last_scores(scores))
    assert np.array_equal(cohort.sessions_attended, attended.sum(axis=1))
    # dropout_control is 0: IPT's phase hazards (0.5 here) do not apply to the control arm.
    assert not cohort.dropped_out.any()


def test_the_ipt_arm_drops_out_at_its_phases_hazards_not_the_controls() -> None:
    """IPT's dropout hazard is the phase's; dropout_control applies to the control arm only."""
    params = still(dropout_control=0.5)
    cohort = simulate_cohort(300, seed=23, params=params)
    assert not cohort.dropped_out.any()
    assert (cohort.sessions_attended == SESSIONS).all()


@pytest.mark.parametrize(
    ("phase", "hazard"),
    [(Phase.INITIAL, 0.2), (Phase.MIDDLE, 0.05), (Phase.TERMINATION, 0.2)],
)
def test_each_phase_has_its_own_dropout_hazard(phase: Phase, hazard: float) -> None:
    """With a hazard in one phase only, every dropout falls at a session of that phase, and the
    share dropping out is 1 - (1 - h) ** s over its s sessions, within 4 binomial standard errors
    (the hazards of [CASACALENDA2002]'s calibration, per session); no score is recorded from the
    session of dropout on, and sessions attended stop before it."""
    field = {
        Phase.INITIAL: "dropout_initial",
        Phase.MIDDLE: "dropout_middle",
        Phase.TERMINATION: "dropout_termination",
    }[phase]
    params = still(**{field: hazard, "dropout_control": 0.9})
    n = 400
    cohort = simulate_cohort(n, seed=24, params=params, keep_trajectories=True)
    phases = phases_of_ipt()
    numbers = {i + 1 for i, ph in enumerate(phases) if ph is phase}
    dropped = cohort.dropped_out
    assert set(cohort.dropout_session[dropped].tolist()) <= numbers
    assert (cohort.dropout_session[~dropped] == -1).all()
    expected = 1 - (1 - hazard) ** len(numbers)
    assert abs(float(dropped.mean()) - expected) < 4 * math.sqrt(expected * (1 - expected) / n)
    scores = recorded(cohort)
    column = np.arange(SESSIONS + 1)
    after = column[None, :] >= cohort.dropout_session[:, None]
    assert (scores[dropped][after[dropped]] == -1).all()
    assert np.array_equal(cohort.sessions_attended[dropped], cohort.dropout_session[dropped] - 1)
    assert (cohort.sessions_attended[~dropped] == SESSIONS).all()


def test_the_control_arm_drops_out_at_its_own_weekly_hazard() -> None:
    """The control arm drops out with dropout_control every week, whatever IPT's phase hazards:
    1 - (1 - 0.1) ** 16 of the arm over 16 weeks, within 4 binomial standard errors."""
    params = still(dropout_control=0.1)
    n = 400
    cohort = simulate_cohort(n, seed=25, arm="control", params=params)
    expected = 1 - 0.9**SESSIONS
    assert abs(float(cohort.dropped_out.mean()) - expected) < 4 * math.sqrt(
        expected * (1 - expected) / n
    )
    assert set(cohort.dropout_session[cohort.dropped_out].tolist()) <= set(range(1, 17))


@pytest.mark.parametrize("baseline", [1, 20])
@pytest.mark.parametrize("dropout_on", ["current", "observed"])
@pytest.mark.parametrize("severity", [10, -10])
def test_dropout_by_severity_is_the_plain_hazard_while_severity_stays_at_baseline(
    baseline: int, dropout_on: str, severity: float
) -> None:
    """Each session's hazard is multiplied by (S / S0) ** dropout_severity; a severity that never
    moves from its baseline (no change, no walk, no noise) leaves the hazard as it is, so at any
    dropout_severity and on either view (current: MNAR, observed: MAR [LITTLE-RUBIN2019]) the
    cohort is the one whose dropout_severity is negligible, case for case, a baseline of 1 point
    included."""
    hazards = {"dropout_initial": 0.05, "dropout_middle": 0.05, "dropout_termination": 0.05}
    common = {"entry_score": 0, "baseline_mean": baseline, **hazards}
    reference = simulate_cohort(400, seed=26, params=still(**common, dropout_on=dropout_on))
    assert reference.dropped_out.any()
    params = still(**common, dropout_severity=severity, dropout_on=dropout_on)
    cohort = simulate_cohort(400, seed=26, params=params)
    assert same_cases(cohort, reference)


WORSENING = {
    "change_initial": -0.1,
    "change_middle": -0.1,
    "change_termination": -0.1,
    "baseline_mean": 20,
    "dropout_initial": 0.05,
    "dropout_middle": 0.05,
    "dropout_termination": 0.05,
}


@pytest.mark.parametrize("dropout_on", ["current", "observed"])
def test_a_worsening_case_drops_out_more_when_dropout_follows_severity(dropout_on: str) -> None:
    """A case whose severity grows by e**0.1 a session, with dropout_severity 3, has its hazard
    of 0.05 multiplied by e**(0.3 j) after j sessions: 1 by session 11, so nearly every case drops
    out, where 1 - 0.95**16 = 56% would at the plain hazard. MNAR (current severity) and MAR (the
    last score recorded) alike [LITTLE-RUBIN2019]."""
    plain = simulate_cohort(400, seed=27, params=still(**WORSENING, dropout_on=dropout_on))
    params = still(**WORSENING, dropout_severity=3, dropout_on=dropout_on)
    driven = simulate_cohort(400, seed=27, params=params)
    assert driven.mechanism == ("MNAR" if dropout_on == "current" else "MAR")
    expected = 1 - 0.95**SESSIONS
    assert abs(float(plain.dropped_out.mean()) - expected) < 4 * math.sqrt(
        expected * (1 - expected) / 400
    )
    assert float(driven.dropped_out.mean()) > 0.95
    assert driven.sessions_attended.mean() < plain.sessions_attended.mean() - 3


def test_mar_dropout_sees_only_the_scores_recorded_mnar_the_severity_itself() -> None:
    """With (almost) every assessment missed no score is recorded after baseline: dropout on the
    last observed score (MAR) then has nothing to follow and is the plain hazard, case for case,
    while dropout on the current severity (MNAR) still takes the worsening cases
    [LITTLE-RUBIN2019]."""
    unseen = {**WORSENING, "assessment_miss_rate": 1 - 1e-9}
    reference = simulate_cohort(400, seed=28, params=still(**unseen, dropout_on="observed"))
    mar = simulate_cohort(
        400,
        seed=28,
        params=still(**unseen, dropout_severity=3, dropout_on="observed"),
        keep_trajectories=True,
    )
    assert (recorded(mar)[:, 1:] == -1).all()
    assert (mar.end == mar.baseline).all()
    assert same_cases(mar, reference)
    mnar = simulate_cohort(
        400, seed=28, params=still(**unseen, dropout_severity=3, dropout_on="current")
    )
    assert float(mnar.dropped_out.mean()) > float(reference.dropped_out.mean()) + 0.3


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_without_dropout_the_two_kernels_give_the_same_cohort(arm: str) -> None:
    """The vectorised model and the session-by-session one (run by a negligible
    dropout_severity) draw the same baselines, areas and attendance; with no dropout, no random
    walk and no noise they give the same cohort, every session's score included."""
    shares = {"grief": 1, "role_dispute": 1, "role_transition": 1}
    common = {**SAME_RATE, "change_control": 0.04, "miss_rate": 0.3, "area_shares": shares}
    fast = simulate_cohort(
        300, seed=29, arm=arm, params=still(**common, dropout_severity=0), keep_trajectories=True
    )
    slow = simulate_cohort(300, seed=29, arm=arm, params=still(**common), keep_trajectories=True)
    assert fast.mechanism == "MCAR"
    assert same_cases(fast, slow)
    assert np.array_equal(recorded(fast), recorded(slow))
    assert 0 < fast.sessions_attended.min() < SESSIONS


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_the_two_kernels_measure_each_session_with_the_same_noise(arm: str) -> None:
    """With measurement noise (SD 1.5 points) the two kernels still agree at every session
    attended but the last (whose score the vectorised kernel draws with the end score)."""
    common = {**SAME_RATE, "change_control": 0.04, "miss_rate": 0.3, "measurement_sd": 1.5}
    fast = simulate_cohort(
        300, seed=30, arm=arm, params=still(**common, dropout_severity=0), keep_trajectories=True
    )
    slow = simulate_cohort(300, seed=30, arm=arm, params=still(**common), keep_trajectories=True)
    a, b = recorded(fast), recorded(slow)
    assert np.array_equal(fast.sessions_attended, slow.sessions_attended)
    seen = np.where(a >= 0, np.arange(a.shape[1]), 0)
    last = seen.max(axis=1)
    before = np.arange(a.shape[1])[None, :] < last[:, None]
    assert np.array_equal(a[before], b[before])
    assert (a[before] != 30).any()


# -- the session-by-session model: statistics with fixed seeds --------------------------------------


def test_the_random_walk_accumulates_over_the_sessions() -> None:
    """Each session attended adds a random step of SD walk_sd to log-severity: after 16 sessions
    at walk_sd 0.05 log(end / B) has mean 0 and SD 0.05 * 4 = 0.2 (rounding to whole points adds
    about 0.29 / 26 in quadrature), within 4 standard errors over 400 cases (SE of a mean
    0.2 / 20, of an SD about 0.2 / sqrt(800))."""
    params = still(walk_sd=0.05, baseline_mean=26)
    cohort = simulate_cohort(400, seed=31, params=params)
    log_ratio = np.log(cohort.end / 26)
    assert (cohort.sessions_attended == SESSIONS).all()
    sd = math.sqrt(0.2**2 + (1 / 12) / 26**2)
    assert abs(float(log_ratio.mean())) < 4 * 0.2 / 20
    assert abs(float(log_ratio.std(ddof=1)) - sd) < 4 * sd / math.sqrt(800)


def test_measurement_noise_has_the_sd_given() -> None:
    """A score is the latent severity plus Gaussian noise of SD measurement_sd, rounded: with the
    severity held at 26 and SD 1, the scores' SD is sqrt(1 + 1/12) (Sheppard's correction for
    rounding) within 4 standard errors of 3,200 scores, and none is more than 6 SD away."""
    params = still(measurement_sd=1.0, baseline_mean=26)
    cohort = simulate_cohort(200, seed=32, params=params, keep_trajectories=True)
    errors = recorded(cohort)[:, 1:].astype(np.float64) - 26
    sd = math.sqrt(1 + 1 / 12)
    assert errors.size == 3200
    assert abs(float(errors.mean())) < 4 * sd / math.sqrt(3200)
    assert abs(float(errors.std(ddof=1)) - sd) < 4 * sd / math.sqrt(6400)
    assert np.abs(errors).max() <= 6


@pytest.mark.parametrize(
    ("changes", "bound"),
    [
        ({"baseline_mean": 50, "measurement_sd": 5.0}, 52),
        ({"entry_score": 0, "baseline_mean": 1, "measurement_sd": 2.0}, 0),
    ],
    ids=["top", "bottom"],
)
def test_scores_are_clipped_to_the_instruments_range(changes: dict[str, Any], bound: int) -> None:
    """A score drawn beyond the instrument's range is held at its end: HAM-D-17 scores lie in
    0..52 [GUIDE], and noise around 50 (or 1) reaches the bound."""
    cohort = simulate_cohort(200, seed=33, params=still(**changes), keep_trajectories=True)
    seen = recorded(cohort)[:, 1:]
    seen = seen[seen >= 0]
    assert seen.min() >= 0
    assert seen.max() <= 52
    assert (seen == bound).any()
    assert (cohort.end == bound).any()


def test_missed_assessments_leave_a_share_of_holes_close_to_the_rate() -> None:
    """A session attended records no score with chance assessment_miss_rate, apart from
    attendance: every session is still attended, the share without a score is 0.3 within 4
    binomial standard errors of 3,200, and the end is the last score recorded."""
    params = still(**SAME_RATE, assessment_miss_rate=0.3, dropout_severity=0)
    cohort = simulate_cohort(200, seed=34, params=params, keep_trajectories=True)
    assert cohort.mechanism == "MCAR"
    scores = recorded(cohort)
    assert (cohort.sessions_attended == SESSIONS).all()
    holes = scores[:, 1:] == -1
    assert abs(float(holes.mean()) - 0.3) < 4 * math.sqrt(0.3 * 0.7 / holes.size)
    assert np.array_equal(cohort.end, last_scores(scores))
    week = np.arange(1, SESSIONS + 1)
    expected = np.rint(30 * np.exp(-0.05 * week))
    assert np.array_equal(scores[:, 1:][~holes], np.broadcast_to(expected, holes.shape)[~holes])


# -- the session-by-session model against its own random streams -------------------------------------
#
# docs/simulation.md ("Reproducible on any executor"): block b of an arm draws from
# SeedSequence(seed, spawn_key=(arm, b, kind)), one stream per kind of draw; the IPT arm is 0 and a
# cohort of fewer than BLOCK_SIZE cases is block 0. The kinds, from the model's source: 2 the
# attendance draws, 3 the random walk's steps, 5 the dropout draws, 6 the assessment draws. With
# them a test can set a rate to a draw itself and check the boundary: a session is attended when
# its draw is at least the miss rate, assessed when its draw is at least the assessment miss rate,
# and left when its draw is below the hazard.


def stream(seed: int, kind: int) -> np.random.Generator:
    """The stream of one kind of draw of block 0 of the IPT arm."""
    sequence = np.random.SeedSequence(seed, spawn_key=(0, 0, kind))
    return np.random.Generator(np.random.PCG64(sequence))


def test_a_session_is_attended_when_its_draw_is_at_least_the_miss_rate() -> None:
    """Attendance: a session is missed with chance miss_rate, i.e. attended when its uniform draw
    (single precision) is at least miss_rate; a draw equal to the rate is attended."""
    draws = stream(41, 2).random((50, SESSIONS), dtype=np.float32)
    rate = float(draws[0, 0])
    cohort = simulate_cohort(50, seed=41, params=still(miss_rate=rate), keep_trajectories=True)
    attended = draws >= np.float32(rate)
    assert attended[0, 0]
    assert np.array_equal(recorded(cohort)[:, 1:] >= 0, attended)
    assert np.array_equal(cohort.sessions_attended, attended.sum(axis=1))


def test_a_session_is_assessed_when_its_draw_is_at_least_the_assessment_miss_rate() -> None:
    """Missed assessments: a session attended records its score when its uniform draw is at
    least assessment_miss_rate; a draw equal to the rate records it."""
    draws = stream(42, 6).random((50, SESSIONS))
    rate = float(draws[0, 0])
    params = still(assessment_miss_rate=rate, dropout_severity=0)
    cohort = simulate_cohort(50, seed=42, params=params, keep_trajectories=True)
    assessed = draws >= rate
    assert assessed[0, 0]
    assert np.array_equal(recorded(cohort)[:, 1:] >= 0, assessed)
    assert (cohort.sessions_attended == SESSIONS).all()


def test_a_case_drops_out_when_its_draw_is_below_the_hazard() -> None:
    """Dropout: at each session a case still in the study leaves when its uniform draw is below
    the session's hazard (strictly: a draw equal to the hazard stays); here the initial phase's
    hazard only, sessions 1 to 3."""
    draws = stream(43, 5).random((50, SESSIONS))
    hazard = float(draws[0, 0])
    cohort = simulate_cohort(50, seed=43, params=still(dropout_initial=hazard))
    initial = np.array([ph is Phase.INITIAL for ph in phases_of_ipt()])
    leaves = (draws < hazard) & initial
    first = np.where(leaves.any(axis=1), np.argmax(leaves, axis=1) + 1, -1)
    assert not leaves[0, 0]
    assert np.array_equal(cohort.dropout_session, first)
    assert 0 < int(cohort.dropped_out.sum()) < 50


def test_the_random_walk_adds_each_sessions_step_to_log_severity() -> None:
    """The random walk: each session attended adds walk_sd times its standard normal step to
    log(S / B) with a minus sign, so that the score is B * exp(-walk_sd * (sum of the steps so
    far)); a missed session adds none."""
    steps = stream(44, 3).standard_normal((50, SESSIONS))
    params = still(walk_sd=0.05, miss_rate=0.25)
    cohort = simulate_cohort(50, seed=44, params=params, keep_trajectories=True)
    scores = recorded(cohort)
    attended = scores[:, 1:] >= 0
    walk = np.cumsum(attended * steps, axis=1)
    expected = np.where(attended, np.rint(30 * np.exp(-0.05 * walk)), -1)
    assert np.array_equal(scores[:, 1:], expected)


# -- the vectorised model (dropout_severity 0, no missed assessment) against its random streams ------
#
# docs/simulation.md, "How it is computed": a cohort whose dropout does not follow severity and
# whose assessments are all taken runs vectorised, one normal per case for its random walk. Block 0
# of arm ``a`` (0 for IPT, 1 for the control arm, in the model's source) draws from
# SeedSequence(seed, spawn_key=(a, 0, kind)); the kinds, from the source: 0 four standard normals
# per case (baseline, responsiveness, random walk, measurement at the end), 1 two uniforms per case
# (the area, then dropout), 2 the attendance draws (single precision), 3 the Gaussian bridge's
# steps, 4 the measurement noise of the sessions in between. The tests below rebuild the model's
# equations (docs/simulation.md, "The trajectory model") from these draws by hand.

ARM_KEYS = {"ipt": 0, "control": 1}


def arm_stream(seed: int, kind: int, arm: str) -> np.random.Generator:
    """The stream of one kind of draw of block 0 of ``arm``."""
    sequence = np.random.SeedSequence(seed, spawn_key=(ARM_KEYS[arm], 0, kind))
    return np.random.Generator(np.random.PCG64(sequence))


def fast(**changes: Any) -> SimulationParams:
    """``still`` parameters that run the vectorised model (dropout_severity 0)."""
    return still(**{"dropout_severity": 0, **changes})


def phase_means(params: SimulationParams) -> npt.NDArray[np.float64]:
    """mu_phi(t) of each of the adult protocol's 16 sessions, by the parameters' phase rates."""
    return np.array([params.change(ph) for ph in phases_of_ipt()])


class Drawn:
    """The draws of one cohort of ``n`` cases in block 0 of ``arm``, and what the documented
    equations make of them before any change: baseline, responsiveness, area, dropout and
    attendance (docs/simulation.md, "The trajectory model")."""

    def __init__(self, params: SimulationParams, seed: int, n: int, arm: str) -> None:
        z = arm_stream(seed, 0, arm).standard_normal((n, 4))
        u = arm_stream(seed, 1, arm).random((n, 2))
        self.z = z
        top = 52.0  # HAM-D-17's maximum [GUIDE]
        # R = mu_B + sigma_B Z0, folded at the entry score e (2e - R below it), capped at M.
        raw = params.baseline_mean + params.baseline_sd * z[:, 0]
        entry = params.entry_score
        self.latent0 = np.minimum(np.where(raw >= entry, raw, 2.0 * entry - raw), top)
        self.baseline = np.rint(self.latent0)
        sigma = params.responsiveness_sd
        self.theta = np.exp(sigma * z[:, 1] - sigma**2 / 2)
        # Area a takes the draws in [c_(a-1), c_a), c the cumulative shares over their total.
        shares = np.array(list(params.to_dict()["area_shares"].values()))
        cuts = np.cumsum(shares) / shares.sum()
        self.area = (cuts[None, :] <= u[:, :1]).sum(axis=1)
        effect = np.array(list(params.to_dict()["area_effect"].values()))
        self.effect = effect[self.area]
        # F_t = 1 - prod_(s <= t) (1 - h_s); D = min{t : U < F_t}: D - 1 sessions are kept.
        hazard = (
            np.full(SESSIONS, params.dropout_control)
            if arm == "control"
            else np.array([params.dropout(ph) for ph in phases_of_ipt()])
        )
        reached = 1.0 - np.cumprod(1.0 - hazard)
        self.kept = (reached[None, :] <= u[:, 1:]).sum(axis=1)
        self.dropout_session = np.where(self.kept < SESSIONS, self.kept + 1, -1)
        v = arm_stream(seed, 2, arm).random((n, SESSIONS), dtype=np.float32)
        self.attended = (v >= np.float32(params.miss_rate)) & (
            np.arange(SESSIONS)[None, :] < self.kept[:, None]
        )
        self.count = self.attended.sum(axis=1)
        # The control arm changes every week up to its last visit, seen or not.
        self.last = np.where(
            self.count > 0, SESSIONS - np.argmax(self.attended[:, ::-1], axis=1), 0
        )


def test_the_vectorised_model_draws_baselines_areas_and_dropout_as_documented() -> None:
    """Baseline: round(min(M, R or 2e - R below the entry score e)), R = 19 + 4 Z0 [GUIDE]'s
    HAM-D 14+ entry; area: the first whose cumulative share (over the shares' total, here 1:1:2:0)
    exceeds the case's first uniform; dropout at D = min{t : U < F_t} with the second uniform;
    a session attended when its draw is at least the miss rate and before D. Both arms draw their
    own cases."""
    shape: dict[str, Any] = {
        "baseline_mean": 19,
        "baseline_sd": 4,
        "entry_score": 14,
        "area_shares": {"grief": 1, "role_dispute": 1, "role_transition": 2},
        "dropout_initial": 0.1,
        "dropout_middle": 0.05,
        "dropout_termination": 0.05,
        "dropout_control": 0.06,
        "miss_rate": 0.2,
    }
    params = SimulationParams(**shape)
    for arm in ("ipt", "control"):
        cohort = simulate_cohort(300, seed=51, arm=arm, params=params)
        drawn = Drawn(params, 51, 300, arm)
        assert cohort.mechanism == "MCAR"
        assert np.array_equal(cohort.baseline, drawn.baseline)
        assert (cohort.baseline >= 14).all()
        assert (drawn.latent0 != 19 + 4 * drawn.z[:, 0]).any()  # some were folded
        assert np.array_equal(cohort.area, drawn.area)
        assert set(cohort.area.tolist()) == {0, 1, 2}
        assert np.array_equal(cohort.dropout_session, drawn.dropout_session)
        assert np.array_equal(cohort.dropped_out, drawn.kept < SESSIONS)
        assert np.array_equal(cohort.sessions_attended, drawn.count)


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_the_vectorised_end_score_follows_the_documented_equation(arm: str) -> None:
    """The end score by intention to treat (docs/simulation.md): with k sessions attended and D the
    sum of their phases' means, round(B exp(-theta m_A D - sigma_w sqrt(k) Z2) + sigma_e Z3) clipped
    to 0..52 (the k steps of the random walk drawn as their sum, sqrt(k) Z2); in the control arm
    theta mu_c t and sqrt(t) Z2 over the t weeks up to the last visit, whatever the area; the
    baseline for a case that attended nothing (LOCF). Interpersonal deficits change at 0.6 of the
    others' rate [GUIDE]."""
    shape: dict[str, Any] = {
        "area_shares": {"grief": 1, "role_dispute": 1, "interpersonal_deficits": 2},
        "area_effect": {"grief": 0.3, "interpersonal_deficits": 0.6},
        "miss_rate": 0.3,
        "dropout_initial": 0.15,
        "dropout_control": 0.1,
    }
    params = SimulationParams(**shape)
    n = 400
    cohort = simulate_cohort(n, seed=52, arm=arm, params=params)
    drawn = Drawn(params, 52, n, arm)
    z = drawn.z
    if arm == "control":
        steps = drawn.last
        change = drawn.theta * params.change_control * steps
    else:
        steps = drawn.count
        change = drawn.theta * drawn.effect * (drawn.attended * phase_means(params)).sum(axis=1)
    latent = drawn.latent0 * np.exp(-change - params.walk_sd * np.sqrt(steps) * z[:, 2])
    observed = np.clip(np.rint(latent + params.measurement_sd * z[:, 3]), 0, 52)
    expected = np.where(drawn.count > 0, observed, drawn.baseline)
    assert np.array_equal(cohort.end, expected)
    assert (drawn.count == 0).any()
    assert (drawn.count == 1).any()
    assert np.array_equal(cohort.sessions_attended, drawn.count)
    assert np.array_equal(cohort.dropout_session, drawn.dropout_session)


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_the_vectorised_trajectory_is_the_documented_gaussian_bridge(arm: str) -> None:
    """Scores in between are a Gaussian bridge to the end (docs/simulation.md, "How it is
    computed"): with P_j the partial sums of the bridge's standard normal steps over the k
    sessions that changed the case (attended in IPT, every week up to the last visit in the control
    arm) and W = sqrt(k) Z2 the walk's total, the walk at j is P_j - (j/k) P_k + (j/k) W, so the
    score is round(B exp(-sum of the means so far - sigma_w walk)); the last session attended has
    the end score. Chance is off but for the walk; the phases have their own rates."""
    rates = {"change_initial": 0.02, "change_middle": 0.08, "change_termination": 0.05}
    hazards = {"dropout_initial": 0.05, "dropout_middle": 0.05, "dropout_termination": 0.05}
    params = fast(
        **rates, **hazards, change_control=0.04, dropout_control=0.05, walk_sd=0.1, miss_rate=0.3
    )
    n = 300
    cohort = simulate_cohort(n, seed=53, arm=arm, params=params, keep_trajectories=True)
    drawn = Drawn(params, 53, n, arm)
    week = np.arange(SESSIONS)[None, :]
    if arm == "control":
        changing = week < drawn.last[:, None]
        means = np.full(SESSIONS, params.change_control)
    else:
        changing = drawn.attended
        means = phase_means(params)
    steps = changing.sum(axis=1)
    mean_path = np.cumsum(changing * means, axis=1)
    partial = np.cumsum(changing * arm_stream(53, 3, arm).standard_normal((n, SESSIONS)), axis=1)
    share = np.cumsum(changing, axis=1) / np.maximum(steps, 1)[:, None]
    total = np.sqrt(steps) * drawn.z[:, 2]
    walk = partial - share * partial[:, -1:] + share * total[:, None]
    scores = np.rint(30 * np.exp(-mean_path - params.walk_sd * walk))
    expected = np.where(drawn.attended, scores, -1)
    end = np.rint(30 * np.exp(-mean_path[:, -1] - params.walk_sd * total))
    seen = drawn.count > 0
    rows = np.flatnonzero(seen)
    expected[rows, drawn.last[seen] - 1] = end[seen]
    got = recorded(cohort)
    assert (got[:, 0] == 30).all()
    assert np.array_equal(got[:, 1:], expected)
    assert np.array_equal(cohort.end, np.where(seen, end, 30))
    # Cases whose last visit comes before week 16 and who were seen more than once in between.
    assert ((drawn.last < SESSIONS) & (drawn.count > 2)).any()


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_one_session_attended_changes_the_vectorised_case(arm: str) -> None:
    """With chance off, the score at session j is B exp(-sum over the sessions attended up to j of
    mu_phi) in IPT, each phase at its own rate, and B exp(-mu_c j) in the control arm; a case that
    attended a single session ends on that session's score, not its baseline; one that attended
    none keeps its baseline (LOCF, docs/simulation.md)."""
    rates = {"change_initial": 0.02, "change_middle": 0.08, "change_termination": 0.05}
    params = fast(**rates, change_control=0.04, miss_rate=0.9)
    cohort = simulate_cohort(300, seed=54, arm=arm, params=params, keep_trajectories=True)
    drawn = Drawn(params, 54, 300, arm)
    if arm == "control":
        mean_path = params.change_control * np.arange(1, SESSIONS + 1)[None, :]
    else:
        mean_path = np.cumsum(drawn.attended * phase_means(params), axis=1)
    expected = np.where(drawn.attended, np.rint(30 * np.exp(-mean_path)), -1)
    scores = recorded(cohort)
    assert np.array_equal(scores[:, 1:], expected)
    assert np.array_equal(cohort.end, last_scores(scores))
    once = drawn.count == 1
    assert once.any()
    assert (drawn.count == 0).any()
    assert (cohort.end[once] < 30).all()
    assert (cohort.end[drawn.count == 0] == 30).all()


@pytest.mark.parametrize("exponent", [2.0, 0.5])
def test_the_vectorised_dose_is_a_power_of_the_share_of_the_course_received(
    exponent: float,
) -> None:
    """The dose (docs/simulation.md, "The dose and the response"): a case that received k of the
    16 sessions' change of 1/16 each (a planned change D = 1 exactly) has the mean change
    D (k / 16) ** dose_exponent [HOWARD1986]: 0.5 front-loads it, 2 back-loads it."""
    params = fast(**dict.fromkeys(SAME_RATE, 0.0625), miss_rate=0.4, dose_exponent=exponent)
    cohort = simulate_cohort(200, seed=55, params=params, keep_trajectories=True)
    scores = recorded(cohort)
    attended = scores[:, 1:] >= 0
    received = np.cumsum(attended, axis=1) / SESSIONS
    expected = np.where(attended, np.rint(30 * np.exp(-(received**exponent))), -1)
    assert np.array_equal(scores[:, 1:], expected)
    assert np.array_equal(cohort.end, last_scores(scores))
    assert (cohort.sessions_attended < SESSIONS).all()


@pytest.mark.parametrize(
    "changes",
    [{"dose_exponent": 0.5}, {"course_change": 1.0}, {"course_change": 1.0, "dose_exponent": 2}],
    ids=["dose", "course", "both"],
)
def test_a_course_that_plans_no_change_changes_nothing(changes: dict[str, float]) -> None:
    """When every phase's rate is 0 the course plans no change: whatever the dose exponent and a
    full course's change (course_change spreads it in proportion to the phase rates, which are
    all 0), every score stays at the baseline, a well-defined number."""
    params = fast(miss_rate=0.3, **changes)
    cohort = simulate_cohort(100, seed=56, params=params, keep_trajectories=True)
    scores = recorded(cohort)
    assert ((scores == 30) | (scores == -1)).all()
    assert (cohort.end == 30).all()
    assert (scores[:, 1:] == 30).any()


def test_course_change_rescales_a_course_whose_rates_already_sum_to_one() -> None:
    """The per-course assumption (course_change, [SWARTZ2014]): a full course brings course_change
    whatever the phase rates sum to, here 16 x 1/16 = 1 rescaled to 0.5: the end of a full course
    is round(30 exp(-0.5)) = 18, and a score at session j is round(30 exp(-0.5 k / 16))."""
    params = fast(**dict.fromkeys(SAME_RATE, 0.0625), course_change=0.5, miss_rate=0.2)
    cohort = simulate_cohort(100, seed=57, params=params, keep_trajectories=True)
    scores = recorded(cohort)
    attended = scores[:, 1:] >= 0
    mean = 0.5 * np.cumsum(attended, axis=1) / SESSIONS
    assert np.array_equal(scores[:, 1:], np.where(attended, np.rint(30 * np.exp(-mean)), -1))
    full = attended.all(axis=1)
    assert full.any()
    assert (cohort.end[full] == round(30 * math.exp(-0.5))).all()


@pytest.mark.parametrize(
    ("changes", "bound"),
    [
        ({"entry_score": 0, "baseline_mean": 1, "change_initial": 1.0, "change_middle": 1.0}, 0),
        ({"baseline_mean": 50, **dict.fromkeys(SAME_RATE, -0.1)}, 52),
    ],
    ids=["bottom", "top"],
)
def test_vectorised_scores_are_clipped_to_the_instruments_range(
    changes: dict[str, Any], bound: int
) -> None:
    """Scores are clipped to 0..52 on HAM-D-17 [GUIDE] on the vectorised path too, at every
    session and at the end: a case at 1 point changing by e**-1 a session scores 0 from its first
    session; one at 50 worsening by e**0.1 a session is held at 52."""
    params = fast(**changes)
    cohort = simulate_cohort(50, seed=58, params=params, keep_trajectories=True)
    base = float(changes["baseline_mean"])
    mean_path = np.cumsum(phase_means(params))
    expected = np.clip(np.rint(base * np.exp(-mean_path)), 0, 52)
    scores = recorded(cohort)
    assert np.array_equal(scores[:, 1:], np.broadcast_to(expected, (50, SESSIONS)))
    assert (cohort.end == bound).all()
    assert (scores[:, 1:] == bound).sum(axis=1).min() >= 10


def test_a_vectorised_session_is_attended_when_its_draw_equals_the_miss_rate() -> None:
    """Attendance on the vectorised path: a session is attended when its draw is at least the miss
    rate (V >= p_miss, docs/simulation.md), so a draw equal to the rate is attended."""
    draws = arm_stream(59, 2, "ipt").random((50, SESSIONS), dtype=np.float32)
    rate = float(draws[0, 0])
    cohort = simulate_cohort(50, seed=59, params=fast(miss_rate=rate), keep_trajectories=True)
    attended = draws >= np.float32(rate)
    assert attended[0, 0]
    assert np.array_equal(recorded(cohort)[:, 1:] >= 0, attended)
    assert np.array_equal(cohort.sessions_attended, attended.sum(axis=1))


def test_a_vectorised_case_whose_draw_equals_the_dropout_probability_stays() -> None:
    """Dropout at D = min{t : U < F_t} (docs/simulation.md): with the initial hazard h set to the
    first case's uniform U, F_1 = 1 - (1 - h) = U, not above it, so the case attends session 1
    and drops out at session 2, where F_2 = 1 - (1 - h)**2 > U."""
    u = arm_stream(60, 1, "ipt").random((50, 2))
    hazard = float(u[0, 1])
    assert 1 - (1 - hazard) == hazard
    params = fast(dropout_initial=hazard)
    cohort = simulate_cohort(50, seed=60, params=params)
    drawn = Drawn(params, 60, 50, "ipt")
    assert int(cohort.dropout_session[0]) == 2
    assert int(cohort.sessions_attended[0]) == 1
    assert np.array_equal(cohort.dropout_session, drawn.dropout_session)


def test_an_area_draw_equal_to_a_cumulative_share_falls_in_the_next_area() -> None:
    """Areas are drawn with their shares (docs/simulation.md): area a takes the draws in
    [c_(a-1), c_a), c the cumulative shares, so each has exactly its share of [0, 1). With grief's
    share set to the first case's draw u (and role disputes 1 - u), that draw is the cut itself
    and falls to role disputes."""
    u = arm_stream(61, 1, "ipt").random((50, 2))
    cut = float(u[0, 0])
    assert cut + (1 - cut) == 1.0
    params = fast(area_shares={"grief": cut, "role_dispute": 1 - cut})
    cohort = simulate_cohort(50, seed=61, params=params)
    assert int(cohort.area[0]) == 1
    assert np.array_equal(cohort.area, (u[:, 0] >= cut).astype(np.int8))


# -- refusals of the whole numbers and of the parameters' combination ----------------------------------


def test_a_seed_beyond_128_bits_is_refused_word_for_word() -> None:
    """seed runs from 0 to 2**128 - 1 (numpy's SeedSequence entropy; docs/simulation.md, "Limits
    of the input"): the largest is accepted, one more refused, quoting the value given."""
    assert MAX_SEED == 2**128 - 1
    assert simulate_cohort(1, seed=MAX_SEED).seed == MAX_SEED
    with pytest.raises(IptError) as caught:
        simulate_cohort(1, seed=2**128)
    assert str(caught.value) == f"seed: must be at most 2**128 - 1, got {2**128}"


def test_entry_score_1000_is_within_its_range_but_above_the_baseline_mean() -> None:
    """entry_score runs up to 1,000 inclusive: 1000 passes its own range, and is then refused
    because the baseline mean (19 on HAM-D-17) must lie between it and the scale's maximum."""
    with pytest.raises(IptError) as caught:
        SimulationParams(entry_score=1000)
    assert str(caught.value) == (
        "SimulationParams.baseline_mean must lie between entry_score 1000 and the hamd17 "
        "maximum 52, got 19.0"
    )
