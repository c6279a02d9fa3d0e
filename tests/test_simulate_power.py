"""Tests for iptcore.simulate.power: power by simulation, its Monte Carlo error, its executors, and
the closed-form two-sample formula it is compared with."""

from __future__ import annotations

import math
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest

from iptcore import IptError, SimulationParams
from iptcore.simulate import (
    Power,
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
    walk of the scores, which a random intercept (compound symmetry) would not."""
    study = power([25], trials=200, seed=99, analysis="mmrm", protocol="ipt-b", null=True)
    point = study.points[0]
    assert point.failures == 0
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
