"""Hostile input to the simulation: every argument out of range is refused with an IptError that
names it and abridges what it quotes, never another exception, a silent change or a long run."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np
import pytest

from iptcore import IptError, SimulationParams, simulate_case
from iptcore.simulate import MAX_CASES, MAX_SEED, simulate_cohort, simulate_trial
from iptcore.vignettes import vignette

HUGE = 10**5000  # beyond Python's 4,300-digit limit for int-to-str


@pytest.mark.parametrize(
    "n", [MAX_CASES + 1, 10**12, 2**70, HUGE], ids=["limit+1", "1e12", "2^70", "1e5000"]
)
def test_a_cohort_beyond_the_limit_is_refused_naming_n(n: int) -> None:
    with pytest.raises(IptError, match=r"^n: must be at most 100,000,000") as caught:
        simulate_cohort(n, seed=1)
    assert len(str(caught.value)) < 200


def test_a_trial_beyond_the_limit_is_refused_naming_n_per_arm() -> None:
    with pytest.raises(IptError, match=r"^n_per_arm: must be at most"):
        simulate_trial(2**70, seed=1)


@pytest.mark.parametrize("arm", [[], {}, None, 3])
def test_an_arm_that_is_not_a_word_is_refused(arm: Any) -> None:
    with pytest.raises(IptError, match=r"^arm: must be 'ipt' or 'control'"):
        simulate_cohort(10, seed=1, arm=arm)


@pytest.mark.parametrize(
    "call",
    [
        lambda seed: simulate_cohort(10, seed=seed),
        lambda seed: simulate_trial(10, seed=seed),
        lambda seed: simulate_case(vignette("widow"), seed=seed),
    ],
    ids=["cohort", "trial", "case"],
)
@pytest.mark.parametrize("seed", [MAX_SEED + 1, HUGE, -HUGE], ids=["limit+1", "1e5000", "-1e5000"])
def test_a_huge_seed_is_refused_with_an_abridged_message(call: Any, seed: int) -> None:
    with pytest.raises(IptError, match=r"^seed: must be") as caught:
        call(seed)
    assert len(str(caught.value)) < 200


def test_the_largest_seed_is_accepted_and_described() -> None:
    cohort = simulate_cohort(10, seed=MAX_SEED)
    assert str(MAX_SEED) in cohort.describe()


def test_a_huge_whole_number_anywhere_is_abridged() -> None:
    with pytest.raises(IptError, match="entry_score") as caught:
        SimulationParams(entry_score=HUGE)
    assert len(str(caught.value)) < 200


def test_sessions_that_would_run_past_the_calendar_are_refused() -> None:
    """A case assessed on 9999-12-25 has no room for a course after it."""
    late = attrs.evolve(vignette("widow"), assessed=date(9999, 12, 25))
    with pytest.raises(IptError, match="9999-12-31"):
        simulate_case(late, seed=1)


def test_a_script_given_as_an_iterator_is_followed() -> None:
    """The actions are read once: an iterator works as a list does."""
    listed = simulate_case(vignette("widow"), seed=4, script={8: ["miss"]})
    iterated = simulate_case(vignette("widow"), seed=4, script={8: iter(["miss"])})
    assert [s.to_dict() for s in iterated.sessions] == [s.to_dict() for s in listed.sessions]
    eighth = [s for s in iterated.sessions if s.number == 8]
    assert eighth[0].attendance.value == "missed"
    assert eighth[0].scripted == ("miss",)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"area_shares": {"grief": 1e308, "role_dispute": 1e308}},
            r"area_shares\[grief\] must be a number from 0 to 1000000000",
        ),
        ({"area_effect": {"grief": 1e308}}, r"area_effect\[grief\] must be a number from 0 to 10"),
        ({"stage_effect": {"impasse": 11}}, r"stage_effect\[impasse\] must be a number from 0"),
        ({"walk_sd": 1e10}, "walk_sd must be a number from 0 to 2"),
        ({"responsiveness_sd": 1e3}, "responsiveness_sd must be a number from 0 to 2"),
        ({"measurement_sd": 1e308}, "measurement_sd must be a number from 0 to 52"),
        ({"baseline_sd": 1e308}, "baseline_sd must be a number from 0 to 52"),
        ({"change_middle": 1e300}, "change_middle must be a number from -1 to 1"),
        ({"change_control": -2}, "change_control must be a number from -1 to 1"),
        ({"course_change": 1e300}, "course_change must be a number from 0 to 10"),
    ],
)
def test_extreme_parameters_are_refused_naming_the_range(
    changes: dict[str, Any], message: str
) -> None:
    """Numbers that would overflow the model (and be clipped) are refused, naming the range."""
    with pytest.raises(IptError, match=message):
        SimulationParams(**changes)


def test_a_case_that_misses_almost_every_session_is_simulated() -> None:
    """Any miss rate below 1 is simulated (0.998 was refused, and took 24 s when it was not): each
    session falls due once under the default miss rule, and a course that makes up its misses
    ends where it would take more steps than a course holds (tests/test_simulate_case.py)."""
    run = simulate_case(vignette("widow"), seed=1, params=SimulationParams(miss_rate=0.998))
    assert run.course.state.value in {"closed", "dropped"}
    assert len(run.sessions) <= 16


@pytest.mark.parametrize("arm", ["ipt", "control"])
def test_the_most_extreme_parameters_allowed_stay_finite(arm: str) -> None:
    """At the edges of every range (a case worsening by the most a session allows, at the widest
    responsiveness), the model raises no overflow warning (warnings are errors here) and every
    score stays within the instrument's range."""
    worst = SimulationParams(
        change_initial=-1,
        change_middle=-1,
        change_termination=-1,
        change_control=-1,
        responsiveness_sd=2,
        walk_sd=2,
        area_effect=dict.fromkeys(["grief", "role_dispute", "role_transition"], 10),
        baseline_sd=52,
        measurement_sd=52,
    )
    cohort = simulate_cohort(70_000, seed=3, params=worst, arm=arm, keep_trajectories=True)
    scores = cohort.trajectories(slice(None))
    seen = scores[~np.isnan(scores)]
    assert seen.min() >= 0
    assert seen.max() == 52
    run = simulate_case(vignette("dispute"), seed=1, params=worst)
    assert all(s.score is None or 0 <= s.score <= 52 for s in run.sessions)
