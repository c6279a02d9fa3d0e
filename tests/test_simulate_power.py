"""Tests for iptcore.simulate.power: power by simulation, its Monte Carlo error, its executors, and
the closed-form two-sample formula it is compared with."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from statistics import NormalDist
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pytest

from iptcore import IptError, SimulationParams
from iptcore.simulate import (
    MAX_CASES,
    Power,
    PowerPoint,
    power,
    simulate_cohort,
    simulate_trial,
    trial_seed,
    two_sample_n,
    two_sample_power,
)

# A small study that several tests compare: two sizes, enough trials to split into tasks.
SMALL: dict[str, Any] = {"trials": 24, "seed": 17, "analysis": "locf", "protocol": "ipt-b"}
SIZES = [20, 40]


def same(a: Power, b: Power) -> bool:
    """Bit-for-bit equal studies: every trial's estimate and p value at every size."""
    return len(a.points) == len(b.points) and all(
        p.n_per_arm == q.n_per_arm
        and np.array_equal(p.estimates, q.estimates, equal_nan=True)
        and np.array_equal(p.p_values, q.p_values, equal_nan=True)
        for p, q in zip(a.points, b.points, strict=True)
    )


@pytest.fixture(scope="module")
def serial() -> Power:
    return power(SIZES, **SMALL)


# -- the closed form ---------------------------------------------------------------------------------


def test_closed_form_n_per_arm() -> None:
    """n = 2 ((z_{1-a/2} + z_{1-b}) / d)^2 (Cohen 1988): d = 0.5, alpha 0.05 two-sided, power 0.8
    gives 2 (2.80 / 0.5)^2 = 62.8 per arm (Cohen's t-based table: 64)."""
    z = 1.959964 + 0.841621
    assert two_sample_n(0.5) == pytest.approx(2 * (z / 0.5) ** 2, rel=1e-6)
    assert math.ceil(two_sample_n(0.5)) == 63
    assert two_sample_n(-0.5) == two_sample_n(0.5)
    # Power at that n is the power asked for; at 64 per arm, Phi(0.5 * sqrt(32) - 1.96) = 0.807.
    assert two_sample_power(0.5, two_sample_n(0.5)) == pytest.approx(0.8, abs=1e-4)
    assert two_sample_power(0.5, 64) == pytest.approx(0.807, abs=1e-3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: two_sample_n(0), "effect_size: must be a number other than 0"),
        (lambda: two_sample_n(0.5, alpha=1.5), "alpha: must be a number between 0 and 1"),
        (lambda: two_sample_n(0.5, power=1), "power: must be a number between 0 and 1"),
        (lambda: two_sample_power(0.5, 0), "n_per_arm: must be a number above 0"),
    ],
)
def test_closed_form_names_bad_arguments(call: Any, message: str) -> None:
    with pytest.raises(IptError, match=message):
        call()


# -- the study ---------------------------------------------------------------------------------------------


def test_power_counts_the_rejections_with_their_monte_carlo_error(serial: Power) -> None:
    """The power is the share of trials with p < alpha; its Monte Carlo SE is sqrt(p(1-p)/T)."""
    for point in serial.points:
        assert point.trials == SMALL["trials"]
        assert point.rejections == int((point.p_values < 0.05).sum())
        assert point.power == point.rejections / point.trials
        assert point.mc_se == pytest.approx(math.sqrt(point.power * (1 - point.power) / 24))
    assert serial.points[0].power <= serial.points[1].power


def test_each_trial_is_the_trial_simulate_trial_gives(serial: Power) -> None:
    """Trial i of the study is simulate_trial(n, seed=trial_seed(seed, i)): its estimate is that
    trial's LOCF estimate, and its p value that of the estimate's Wald test."""
    point = serial.points[1]
    for i in (0, 7, 23):
        trial = simulate_trial(40, seed=trial_seed(17, i), protocol="ipt-b")
        estimate = trial.locf()
        se = (estimate.high - estimate.low) / (2 * 1.959964)
        assert point.estimates[i] == estimate.estimate
        assert point.p_values[i] == pytest.approx(math.erfc(abs(estimate.estimate / se) / 2**0.5))


@pytest.mark.parametrize("per_task", [1, 5, 24])
def test_tasks_of_any_size_give_the_same_study(serial: Power, per_task: int) -> None:
    """How many trials a task carries changes nothing."""
    assert same(serial, power(SIZES, trials_per_task=per_task, **SMALL))


def test_process_pool_equals_serial(serial: Power) -> None:
    """A ProcessPoolExecutor of 2 workers gives the serial study bit for bit."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert same(serial, power(SIZES, executor=pool, trials_per_task=5, **SMALL))


def test_mmrm_on_a_process_pool_equals_serial() -> None:
    """The mixed model too: the same fits, the same numbers, whichever process runs them."""
    pytest.importorskip("scipy")
    args: dict[str, Any] = {"trials": 4, "seed": 2, "analysis": "mmrm", "protocol": "ipt-b"}
    here = power([20], **args)
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert same(here, power([20], executor=pool, trials_per_task=1, **args))
    assert here.points[0].failures == 0


@pytest.mark.dask
def test_dask_equals_serial(serial: Power, dask_executor: Executor) -> None:
    """Dask's Client.get_executor() on a local cluster of 2 workers gives the serial study."""
    on_dask = power(SIZES, executor=dask_executor, trials_per_task=5, **SMALL)
    assert same(serial, on_dask)


def test_progress_is_reported_to_the_total() -> None:
    """The library never prints: it calls progress(done, total) after each task."""
    calls: list[tuple[int, int]] = []
    power(SIZES, trials_per_task=10, progress=lambda *a: calls.append(a), **SMALL)
    assert [done for done, _ in calls] == [10, 20, 24, 34, 44, 48]
    assert {total for _, total in calls} == {48}


@pytest.mark.parametrize("analysis", ["locf", "completers"])
def test_a_null_study_rejects_at_alpha_within_its_monte_carlo_error(analysis: str) -> None:
    """Both arms from one model: the rejection rate is the type I error, within three Monte Carlo
    standard errors of alpha (sqrt(0.05 * 0.95 / 400) = 0.011) at 400 trials."""
    study = power([40], trials=400, seed=2024, analysis=analysis, protocol="ipt-b", null=True)
    point = study.points[0]
    assert study.null
    assert abs(point.power - 0.05) < 3 * math.sqrt(0.05 * 0.95 / 400)
    # With no effect, the mean estimate is within its sampling error of zero.
    finite = point.estimates[~np.isnan(point.estimates)]
    assert abs(finite.mean()) < 3 * finite.std(ddof=1) / math.sqrt(finite.size)
    assert "type I error" in study.describe()


@pytest.mark.slow
def test_a_null_study_of_the_mixed_model_rejects_at_alpha() -> None:
    """The MMRM's type I error under dropout completely at random lies within three Monte Carlo
    standard errors of alpha (0.033 at 200 trials): its unstructured covariance fits the random
    walk of the scores, which a random intercept (compound symmetry) would not. With 45
    covariances to estimate from 50 patients who drop out, a trial's REML likelihood can have no
    maximum (the covariance runs to a singular matrix): such a trial cannot be analysed, and
    counts as not rejecting; they are rare (here 1 of 200, under 1%)."""
    study = power([25], trials=200, seed=99, analysis="mmrm", protocol="ipt-b", null=True)
    point = study.points[0]
    assert point.failures <= 2
    assert abs(point.power - 0.05) < 3 * math.sqrt(0.05 * 0.95 / 200)


def test_the_mixed_model_without_missing_scores_is_the_last_visit_ancova() -> None:
    """With every score observed, the unstructured MMRM's effect is the ordinary least squares
    ANCOVA of the last visit's change on baseline and arm, its standard error that ANCOVA's (REML
    divides the residual sum of squares by n - 3), and its interval a t interval on n - 3 degrees
    of freedom (Mallinckrodt et al. 2008): the textbook analysis of a complete trial."""
    from scipy.stats import t as student

    complete = SimulationParams(
        miss_rate=0.0,
        dropout_initial=0.0,
        dropout_middle=0.0,
        dropout_termination=0.0,
        dropout_control=0.0,
    )
    trial = simulate_trial(30, seed=3, protocol="ipt-b", params=complete)
    arms = (trial.ipt, trial.control)
    baseline = np.concatenate([c.baseline for c in arms]).astype(float)
    last = np.concatenate([c.trajectories(slice(None))[:, -1] for c in arms]) - baseline
    assert not np.isnan(last).any()
    design = np.column_stack([np.ones(60), baseline, np.repeat([1.0, 0.0], 30)])
    coef, rss, *_ = np.linalg.lstsq(design, last, rcond=None)
    se = math.sqrt(rss[0] / (60 - 3) * np.linalg.inv(design.T @ design)[2, 2])
    half = student.ppf(0.975, 60 - 3) * se
    fitted = trial.mmrm()
    assert fitted.estimate == pytest.approx(coef[2], abs=1e-4)
    assert fitted.high - fitted.estimate == pytest.approx(half, rel=1e-3)
    assert fitted.estimate - fitted.low == pytest.approx(half, rel=1e-3)


def test_locf_power_matches_the_closed_form_for_its_own_effect_size() -> None:
    """LOCF compares mean change between arms with a two-sample z test, so its simulated power is
    the closed-form power for d = (difference in mean change) / (SD of change), d estimated from
    200,000 simulated cases per arm; within three Monte Carlo SEs (plus the SE of d's power)."""
    ipt = simulate_cohort(200_000, seed=1, protocol="ipt-b").change.astype(float)
    control = simulate_cohort(200_000, seed=1, protocol="ipt-b", arm="control").change
    control = control.astype(float)
    d = (control.mean() - ipt.mean()) / math.sqrt((ipt.var() + control.var()) / 2)
    point = power([40], trials=400, seed=5, analysis="locf", protocol="ipt-b").points[0]
    assert abs(point.power - two_sample_power(d, 40)) < 3 * point.mc_se + 0.01


def test_smallest_n_and_to_dict(serial: Power) -> None:
    """The smallest size that reaches a target, and a JSON-ready form."""
    first = serial.points[0].power
    assert serial.smallest_n(first) == 20
    assert serial.smallest_n(0.999999) in {None, 40}
    data = serial.to_dict()
    assert [p["n_per_arm"] for p in data["points"]] == SIZES
    assert data["points"][0]["power"] == first
    assert data["analysis"] == "locf"


def test_an_analysis_that_cannot_be_computed_counts_as_a_failure() -> None:
    """A trial with fewer than 2 completers in an arm has no completers analysis: NaN, counted
    in failures, not rejected; nothing is dropped silently."""
    leave = SimulationParams(dropout_initial=0.9, miss_rate=0.0)
    study = power([2], trials=6, seed=1, analysis="completers", params=leave)
    point = study.points[0]
    assert point.failures > 0
    assert np.isnan(point.p_values).sum() == point.failures
    assert point.rejections + point.failures <= point.trials
    assert "could not be analysed" in study.describe()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_per_arm": 1}, "n_per_arm: must be at least 2"),
        ({"n_per_arm": []}, "n_per_arm: give at least one sample size"),
        ({"n_per_arm": [20, 20]}, "n_per_arm: each sample size once"),
        ({"n_per_arm": "20"}, "n_per_arm: must be a whole number or a list"),
        ({"trials": 0}, "trials: must be at least 1"),
        ({"alpha": 0}, "alpha: must be a number between 0 and 1"),
        ({"analysis": "anova"}, "analysis: must be one of mmrm, completers, locf"),
        ({"executor": "pool"}, "executor: must be a concurrent.futures.Executor"),
        ({"params": {"miss_rate": 0.1}}, "params: must be a SimulationParams"),
        ({"trials_per_task": 0}, "trials_per_task: must be at least 1"),
        ({"progress": 3}, "progress: must be callable"),
        ({"protocol": "ipc"}, "'ipc' has no published calibration"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, Any], message: str) -> None:
    """Bad input gets an IptError naming the argument, before any trial runs."""
    args: dict[str, Any] = {"n_per_arm": 20, "seed": 1, "trials": 2, "analysis": "locf", **kwargs}
    with pytest.raises(IptError, match=message):
        power(**args)


# -- the picture ---------------------------------------------------------------------------------------------


def test_power_curve_draws_each_study_and_the_closed_form(serial: Power) -> None:
    """One line with Monte Carlo error bars per study, the closed-form curve and the target."""
    pytest.importorskip("matplotlib")
    from iptcore.draw import power_curve

    other = power(SIZES, **{**SMALL, "analysis": "completers"})
    figure = power_curve(serial, other, labels=["LOCF", "completers"], effect_size=0.6)
    (axes,) = figure.axes
    texts = {t.get_text() for t in axes.get_legend().get_texts()}
    assert texts == {"LOCF", "completers", "closed form, d = 0.6 (Cohen 1988)", "target power 0.8"}
    assert axes.get_xlabel() == "patients per arm"
    with pytest.raises(IptError, match="at least one power study"):
        power_curve()
    with pytest.raises(IptError, match="must be a Power study"):
        power_curve(simulate_cohort(10, seed=1))
    with pytest.raises(IptError, match="labels: one per study"):
        power_curve(serial, labels=["a", "b"])


# -- the closed form, exactly ------------------------------------------------------------------------

NORMAL = NormalDist()


def test_closed_form_n_is_the_normal_formula_at_any_alpha_and_power() -> None:
    """n = 2 ((z_{1-alpha/2} + z_{power}) / d)^2 per arm [COHEN1988], the z quantiles from
    statistics.NormalDist: at alpha 0.1 and power 0.9, and for a whole-number d of 1."""
    z = NORMAL.inv_cdf(1 - 0.1 / 2) + NORMAL.inv_cdf(0.9)
    assert two_sample_n(0.4, alpha=0.1, power=0.9) == pytest.approx(2 * (z / 0.4) ** 2, rel=1e-12)
    z = NORMAL.inv_cdf(0.975) + NORMAL.inv_cdf(0.5)
    assert two_sample_n(1, power=0.5) == pytest.approx(2 * z**2, rel=1e-12)


def test_closed_form_power_adds_both_tails() -> None:
    """Power = Phi(d sqrt(n/2) - z) + Phi(-d sqrt(n/2) - z) [COHEN1988]: with a small shift the
    far tail counts, and as d shrinks the power falls to alpha itself (both tails of the null),
    not to zero. Fewer than 2 patients per arm, even a fraction, is still a number above 0."""
    z = NORMAL.inv_cdf(0.975)
    shift = 0.1 * math.sqrt(2 / 2)
    expected = NORMAL.cdf(shift - z) + NORMAL.cdf(-shift - z)
    assert two_sample_power(0.1, 2) == pytest.approx(expected, rel=1e-12)
    assert two_sample_power(1e-9, 10) == pytest.approx(0.05, abs=1e-9)
    assert two_sample_power(1e-9, 10, alpha=0.2) == pytest.approx(0.2, abs=1e-9)
    shift = 0.8 * math.sqrt(1 / 2)
    expected = NORMAL.cdf(shift - z) + NORMAL.cdf(-shift - z)
    assert two_sample_power(0.8, 1) == pytest.approx(expected, rel=1e-12)
    shift = 0.8 * math.sqrt(0.5 / 2)
    expected = NORMAL.cdf(shift - z) + NORMAL.cdf(-shift - z)
    assert two_sample_power(-0.8, 0.5) == pytest.approx(expected, rel=1e-12)


#: Numbers given as text, typed Any so that the type checker lets a test pass them.
TEXT: dict[str, Any] = {text: text for text in ("0.5", "0.05", "0.8", "64")}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: two_sample_n(math.inf), "effect_size: must be a number other than 0, got inf"),
        (lambda: two_sample_n(math.nan), "effect_size: must be a number other than 0, got nan"),
        (lambda: two_sample_n(True), "effect_size: must be a number other than 0, got True"),
        (
            lambda: two_sample_n(TEXT["0.5"]),
            "effect_size: must be a number other than 0, got '0.5'",
        ),
        (
            lambda: two_sample_n(0.5, alpha=1),
            "alpha: must be a number between 0 and 1, got 1",
        ),
        (
            lambda: two_sample_n(0.5, alpha=TEXT["0.05"]),
            "alpha: must be a number between 0 and 1, got '0.05'",
        ),
        (
            lambda: two_sample_n(0.5, alpha=True),
            "alpha: must be a number between 0 and 1, got True",
        ),
        (lambda: two_sample_n(0.5, power=0), "power: must be a number between 0 and 1, got 0"),
        (
            lambda: two_sample_n(0.5, power=TEXT["0.8"]),
            "power: must be a number between 0 and 1, got '0.8'",
        ),
        (
            lambda: two_sample_power(0.5, TEXT["64"]),
            "n_per_arm: must be a number above 0, got '64'",
        ),
        (lambda: two_sample_power(0.5, True), "n_per_arm: must be a number above 0, got True"),
        (lambda: two_sample_power(0.5, -1), "n_per_arm: must be a number above 0, got -1"),
        (
            lambda: two_sample_power(0.5, 64, alpha=1.0),
            "alpha: must be a number between 0 and 1, got 1.0",
        ),
    ],
)
def test_closed_form_refusals_word_for_word(call: Callable[[], float], message: str) -> None:
    """An infinite, NaN, boolean or text effect size, an alpha or power of 0 or 1 or given as
    text or a bool, and a sample size of text, a bool or below 1 are refused with an IptError
    naming the argument (never a TypeError from comparing text, nor a formula's division by 0)."""
    with pytest.raises(IptError) as raised:
        call()
    assert str(raised.value) == message


# -- one point and one study, by hand ----------------------------------------------------------------


def four_trials(n: int, p_values: list[float], estimates: list[float]) -> PowerPoint:
    """A point of 4 fictional trials at alpha 0.05."""
    return PowerPoint(
        n_per_arm=n, alpha=0.05, estimates=np.array(estimates), p_values=np.array(p_values)
    )


def two_points() -> tuple[PowerPoint, PowerPoint]:
    """n = 20: p 0.01, 0.2, one that could not be analysed, 0.049: 2 of 4 reject, 1 failure;
    n = 40: p 0.001, 0.002, 0.3, 0.04: 3 of 4 reject, no failure."""
    return (
        four_trials(20, [0.01, 0.2, math.nan, 0.049], [-2.0, -1.0, math.nan, -3.0]),
        four_trials(40, [0.001, 0.002, 0.3, 0.04], [-4.0, -3.5, -0.5, -2.0]),
    )


def hand_study(*, null: bool = False, params: SimulationParams | None = None) -> Power:
    analysis, protocol = ("completers", "ipt") if null else ("locf", "ipt-b")
    return Power(
        points=two_points(),
        analysis=analysis,
        alpha=0.05,
        seed=9,
        protocol=protocol,
        null=null,
        params=params,
    )


def test_a_point_to_dict_word_for_word() -> None:
    """A point's summary has exactly these keys: 2 of 4 trials reject (p < 0.05), 1 failed,
    power 2/4 = 0.5, Monte Carlo SE sqrt(0.5 * 0.5 / 4) = 0.25 [MORRIS2019], and the mean of the
    3 analysed estimates (-2 - 1 - 3) / 3 = -2; at n = 40, 3 of 4: sqrt(0.75 * 0.25 / 4)."""
    first, second = two_points()
    assert first.to_dict() == {
        "n_per_arm": 20,
        "trials": 4,
        "alpha": 0.05,
        "rejections": 2,
        "failures": 1,
        "power": 0.5,
        "mc_se": 0.25,
        "mean_estimate": -2.0,
    }
    assert second.to_dict() == {
        "n_per_arm": 40,
        "trials": 4,
        "alpha": 0.05,
        "rejections": 3,
        "failures": 0,
        "power": 0.75,
        "mc_se": pytest.approx(math.sqrt(0.75 * 0.25 / 4), rel=1e-12),
        "mean_estimate": -2.5,
    }


def test_a_points_trials_cannot_be_overwritten() -> None:
    """A point's estimates and p values are read-only: a slip in a user's notebook cannot change
    a study's result after the fact."""
    first, _ = two_points()
    with pytest.raises(ValueError, match="read-only"):
        first.p_values[0] = 0.5
    with pytest.raises(ValueError, match="read-only"):
        first.estimates[0] = 0.0


def test_describe_word_for_word() -> None:
    """One head line and one line per size: power and Monte Carlo SE to 3 decimals
    (sqrt(0.75 * 0.25 / 4) = 0.2165 prints as 0.217 [MORRIS2019]), rejections of trials, and the
    failures only where there were some."""
    assert hand_study().describe() == (
        "power of locf at alpha 0.05, protocol ipt-b, 4 trials per size, seed 9\n"
        "  n = 20 per arm: power 0.500 (Monte Carlo SE 0.250); 2 of 4 rejected; "
        "1 could not be analysed\n"
        "  n = 40 per arm: power 0.750 (Monte Carlo SE 0.217); 3 of 4 rejected"
    )


def test_describe_of_a_null_study_word_for_word() -> None:
    """A null study's rejection rate is its type I error, and each line says so in full."""
    assert hand_study(null=True).describe() == (
        "type I error (null) of completers at alpha 0.05, protocol ipt, 4 trials per size, "
        "seed 9\n"
        "  n = 20 per arm: type I error 0.500 (Monte Carlo SE 0.250); 2 of 4 rejected; "
        "1 could not be analysed\n"
        "  n = 40 per arm: type I error 0.750 (Monte Carlo SE 0.217); 3 of 4 rejected"
    )


def test_a_study_to_dict_word_for_word() -> None:
    """What was simulated, its parameters in full (their own to_dict) or None, and each point."""
    own = SimulationParams(miss_rate=0.2)
    first, second = (p.to_dict() for p in two_points())
    assert hand_study(params=own).to_dict() == {
        "analysis": "locf",
        "alpha": 0.05,
        "seed": 9,
        "protocol": "ipt-b",
        "null": False,
        "params": own.to_dict(),
        "points": [first, second],
    }
    null = hand_study(null=True).to_dict()
    assert null["params"] is None
    assert null["null"] is True


def test_smallest_n_reads_the_target_default_0_8() -> None:
    """The smallest size whose power reaches the target (0.8 unless told): powers 0.5 and 0.75
    reach 0.5 at 20, 0.6 and 0.75 at 40, and the default 0.8 nowhere; a target of 0 or 1 is
    refused, naming ``target`` (not ``alpha``, as it once did)."""
    study = hand_study()
    assert study.smallest_n() is None
    assert study.smallest_n(0.5) == 20
    assert study.smallest_n(0.6) == 40
    assert study.smallest_n(0.75) == 40
    for target in (0, 1, 1.8):
        with pytest.raises(IptError) as refused:
            study.smallest_n(target)
        assert str(refused.value) == f"target: must be a number between 0 and 1, got {target}"


# -- the study: trials, seeds, failures, tasks -------------------------------------------------------

#: Fictional parameters with half the patients leaving early and no missed assessments.
LEAVING = SimulationParams(dropout_initial=0.5, miss_rate=0.0)


def test_trial_seed_is_the_documented_seed_sequence_draw() -> None:
    """Trial i of a study with seed s uses the 64-bit integer SeedSequence(s, spawn_key=(i,))
    .generate_state(1, uint64)[0], whatever the sample size: a user can rebuild any trial."""
    for seed, trial in ((0, 0), (17, 3), (2**100, 41)):
        state = np.random.SeedSequence(seed, spawn_key=(trial,)).generate_state(1, np.uint64)
        assert trial_seed(seed, trial) == int(state[0])
    assert max(trial_seed(17, i) for i in range(8)) >= 2**32


def test_each_trial_is_rebuilt_from_its_seed_with_failures_in_place() -> None:
    """Trial i at each size is simulate_trial(n, seed=trial_seed(seed, i)) of the protocol and
    parameters asked for (here the uncalibrated 'ipc' with parameters of one's own); a trial
    whose completers analysis cannot be computed is NaN in place and the trials after it in the
    same task still count; each p value is that of the Wald test 2 Phi(-|estimate| / se), se from
    the 95% interval's half width / z_0.975."""
    study = power(
        [3, 4],
        seed=11,
        trials=8,
        trials_per_task=8,
        analysis="completers",
        protocol="ipc",
        params=LEAVING,
    )
    assert study.protocol == "ipc"
    z = NORMAL.inv_cdf(0.975)
    failed_before_a_success = False
    for point in study.points:
        failed = False
        for i in range(8):
            trial = simulate_trial(
                point.n_per_arm, seed=trial_seed(11, i), protocol="ipc", params=LEAVING
            )
            try:
                result = trial.completers()
            except IptError:
                failed = True
                assert math.isnan(point.estimates[i])
                assert math.isnan(point.p_values[i])
                continue
            failed_before_a_success |= failed
            se = (result.high - result.low) / (2 * z)
            assert point.estimates[i] == result.estimate
            expected = 2 * NORMAL.cdf(-abs(result.estimate) / se)
            assert point.p_values[i] == pytest.approx(expected, rel=1e-9)
        assert point.failures == int(np.isnan(point.p_values).sum())
    assert failed_before_a_success


def test_a_study_to_dict_names_what_was_simulated() -> None:
    """A real study's to_dict: the analysis, alpha, seed, protocol name and parameters asked for,
    and each point's summary computed from its own trials (power = rejections / trials, Monte
    Carlo SE sqrt(p (1 - p) / trials) [MORRIS2019])."""
    study = power([3, 5], seed=11, trials=4, analysis="completers", protocol="ipc", params=LEAVING)
    points = []
    for point, n in zip(study.points, (3, 5), strict=True):
        rejections = int(np.sum(point.p_values < 0.05))
        share = rejections / 4
        finite = point.estimates[~np.isnan(point.estimates)]
        points.append(
            {
                "n_per_arm": n,
                "trials": 4,
                "alpha": 0.05,
                "rejections": rejections,
                "failures": int(np.isnan(point.p_values).sum()),
                "power": share,
                "mc_se": pytest.approx(math.sqrt(share * (1 - share) / 4), rel=1e-12),
                "mean_estimate": pytest.approx(float(finite.mean()), rel=1e-12),
            }
        )
    assert study.to_dict() == {
        "analysis": "completers",
        "alpha": 0.05,
        "seed": 11,
        "protocol": "ipc",
        "null": False,
        "params": LEAVING.to_dict(),
        "points": points,
    }
    assert study.trials == 4
    with pytest.raises(ValueError, match="read-only"):
        study.points[0].estimates[0] = 0.0


def test_the_same_seed_gives_the_same_study() -> None:
    """Rerunning with the seed gives every trial again bit for bit; another seed, other trials."""
    args: dict[str, Any] = {"trials": 5, "analysis": "locf", "protocol": "ipt-b"}
    assert same(power([4, 6], seed=3, **args), power([4, 6], seed=3, **args))
    other = power([4, 6], seed=4, **args)
    assert not np.array_equal(
        other.points[0].estimates, power([4], seed=3, **args).points[0].estimates
    )


#: Fictional parameters under which every patient has the same scores: no spread at all.
IDENTICAL = SimulationParams(
    baseline_sd=0,
    measurement_sd=0,
    walk_sd=0,
    responsiveness_sd=0,
    change_engagement=0,
    change_initial=0,
    change_middle=0,
    change_termination=0,
    change_maintenance=0,
    change_control=0,
    miss_rate=0,
    dropout_initial=0,
    dropout_middle=0,
    dropout_termination=0,
    dropout_control=0,
)


def test_a_trial_with_a_zero_standard_error_cannot_be_tested() -> None:
    """When every patient's change is the same, the LOCF estimate's interval has width 0: there
    is no Wald test (z = 0 / 0), so the trial counts as a failure, NaN estimate and p value, not
    as an error and not as a rejection."""
    premise = simulate_trial(3, seed=trial_seed(5, 0), protocol="ipt-b", params=IDENTICAL).locf()
    assert premise.low == premise.estimate == premise.high
    study = power([3], seed=5, trials=3, analysis="locf", protocol="ipt-b", params=IDENTICAL)
    point = study.points[0]
    assert np.isnan(point.estimates).all()
    assert np.isnan(point.p_values).all()
    assert (point.failures, point.rejections, point.power, point.mc_se) == (3, 0, 0.0, 0.0)
    assert math.isnan(point.mean_estimate)
    assert study.describe().endswith("0 of 3 rejected; 3 could not be analysed")


class Stop(Exception):
    """Raised by a progress callback to end a study after its first task."""


def first_task(n_trials: int | None) -> tuple[int, int]:
    """(trials done, total) when the first task of a 2-per-arm LOCF study finishes."""
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        raise Stop

    trials: dict[str, Any] = {} if n_trials is None else {"trials": n_trials}
    with pytest.raises(Stop):
        power(2, seed=1, analysis="locf", protocol="ipt-b", progress=progress, **trials)
    (call,) = calls
    return call


def test_by_default_1000_trials_in_about_16_tasks() -> None:
    """By default a study has 1000 trials per size, in tasks of ceil(1000 / 16) = 63 trials
    (about 16 tasks), so progress first reports 63 of 1000."""
    assert first_task(None) == (63, 1000)


def test_a_task_carries_at_most_100_trials() -> None:
    """1601 trials would make tasks of ceil(1601 / 16) = 101: capped at 100."""
    assert first_task(1601) == (100, 1601)


def test_few_trials_make_tasks_of_one() -> None:
    """3 trials: ceil(3 / 16) = 1 trial per task, so progress reports each trial."""
    calls: list[tuple[int, int]] = []
    power(
        2, seed=1, trials=3, analysis="locf", protocol="ipt-b", progress=lambda *a: calls.append(a)
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]


P = ParamSpec("P")
T = TypeVar("T")


class Recorder(Executor):
    """An executor that runs each task at once, here, and counts the tasks it was given."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        self.submitted += 1
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


def test_any_executor_gives_the_serial_study() -> None:
    """Any concurrent.futures.Executor runs the tasks (here 2 sizes x 2 tasks of 2 trials) and
    the study is the serial one bit for bit."""
    args: dict[str, Any] = {"seed": 8, "trials": 4, "analysis": "locf", "protocol": "ipt-b"}
    recorder = Recorder()
    on_executor = power([3, 5], executor=recorder, trials_per_task=2, **args)
    assert recorder.submitted == 4
    assert same(power([3, 5], **args), on_executor)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"n_per_arm": [20, MAX_CASES + 1]},
            "n_per_arm: must be at most 100,000,000, got 100000001",
        ),
        (
            {"protocol": "ipc"},
            (
                "protocol: 'ipc' has no published calibration (no published trial of "
                "interpersonal counselling is calibrated in iptcore); pass "
                "params=SimulationParams(...) to simulate it with parameters of your own"
            ),
        ),
        ({"n_per_arm": []}, "n_per_arm: give at least one sample size"),
        ({"params": {"miss_rate": 0.1}}, "params: must be a SimulationParams, got dict"),
        ({"analysis": "ancova"}, "analysis: must be one of mmrm, completers, locf, got 'ancova'"),
    ],
)
def test_refusals_word_for_word_before_any_task(kwargs: dict[str, Any], message: str) -> None:
    """A size above MAX_CASES, an uncalibrated protocol without parameters, no size, parameters
    that are not SimulationParams or an unknown analysis: an IptError in these words, before a
    single task reaches the executor (a cluster is never given work that must fail)."""
    recorder = Recorder()
    args: dict[str, Any] = {"n_per_arm": 20, "seed": 1, "trials": 2, "analysis": "locf"}
    with pytest.raises(IptError) as raised:
        power(**{**args, **kwargs}, executor=recorder)
    assert str(raised.value) == message
    assert recorder.submitted == 0


def test_an_uncalibrated_protocol_runs_with_parameters_of_ones_own() -> None:
    """'ipc' has no calibration, but with params it is simulated, and the study says so."""
    study = power(3, seed=2, trials=2, analysis="locf", protocol="ipc", params=LEAVING)
    assert (study.protocol, study.params) == ("ipc", LEAVING)
    assert study.describe().startswith("power of locf at alpha 0.05, protocol ipc, 2 trials")


def test_the_default_analysis_is_the_mixed_model_and_needs_scipy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without scipy, the default analysis (the MMRM [MALLINCKRODT2008]) is refused at once with
    an ImportError saying which extra to install; LOCF, which needs no scipy, still runs."""
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    with pytest.raises(ImportError) as raised:
        power(20, seed=1, trials=1)
    assert str(raised.value) == (
        "power with mmrm needs scipy, the 'stats' extra: pip install \"iptcore[stats]\""
    )
    study = power(3, seed=1, trials=2, analysis="locf", protocol="ipt-b")
    assert study.analysis == "locf"
    assert study.trials == 2
