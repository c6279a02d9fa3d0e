"""Tests for iptcore.draw.plot: what the pictures draw is the data, the thresholds are the measures'."""

from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iptcore import IptError, SimulationParams, simulate_cohort
from iptcore.draw.plot import sweep, trajectories
from iptcore.measures import INSTRUMENTS
from iptcore.trajectory import track

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def ipt() -> Any:
    return simulate_cohort(400, seed=11)


@pytest.fixture(scope="module")
def control() -> Any:
    return simulate_cohort(400, seed=11, arm="control")


def lines(figure: Any, axes: int = 0) -> dict[str, Any]:
    """The labelled lines of one panel, by label."""
    return {line.get_label(): line for line in figure.axes[axes].get_lines()}


def band_edges(figure: Any) -> tuple[np.ndarray, np.ndarray]:
    """The lower and upper edge of the first filled band, at x = 0, 1, 2, ..."""
    vertices = figure.axes[0].collections[0].get_paths()[0].vertices
    xs = np.unique(vertices[:, 0])
    low = np.array([vertices[vertices[:, 0] == x, 1].min() for x in xs])
    high = np.array([vertices[vertices[:, 0] == x, 1].max() for x in xs])
    return low, high


def by_hand(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and SD (n - 1) of each column over the values measured there."""
    means = np.array([col[~np.isnan(col)].mean() for col in rows.T])
    sds = np.array([col[~np.isnan(col)].std(ddof=1) for col in rows.T])
    return means, sds


def test_cohort_mean_line_is_the_mean_of_its_cases_with_carry_forward(ipt: Any) -> None:
    """The line is the intention-to-treat mean at baseline and at every session."""
    figure = trajectories(ipt, cases=150)
    mean_line = lines(figure)["ipt (n = 150)"]
    expected, _ = by_hand(ipt.trajectories(range(150), carry_forward=True))
    np.testing.assert_allclose(mean_line.get_ydata(), expected)
    assert list(mean_line.get_xdata()) == list(range(len(ipt.sessions) + 1))
    ticks = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert ticks == ["baseline", *(str(s) for s in ipt.sessions)]


def test_observed_scores_only_when_carry_forward_is_off(ipt: Any) -> None:
    """Without carrying forward, a session's mean counts only the cases measured at it."""
    rows = ipt.trajectories(range(200))
    assert np.isnan(rows).any()  # missed sessions and dropouts exist in this cohort
    figure = trajectories(ipt, cases=200, carry_forward=False)
    expected, _ = by_hand(rows)
    np.testing.assert_allclose(lines(figure)["ipt (n = 200)"].get_ydata(), expected)


def test_sd_band_is_one_sd_and_ci_band_is_narrower(ipt: Any) -> None:
    """band="sd" spans mean ± SD; band="ci95" spans mean ± 1.96 SD / sqrt(n)."""
    rows = ipt.trajectories(range(300), carry_forward=True)
    means, sds = by_hand(rows)
    low, high = band_edges(trajectories(ipt, cases=300, band="sd"))
    np.testing.assert_allclose(low, means - sds)
    np.testing.assert_allclose(high, means + sds)
    low, high = band_edges(trajectories(ipt, cases=300, band="ci95"))
    np.testing.assert_allclose(high - means, 1.959963984540054 * sds / np.sqrt(300))
    assert not trajectories(ipt, band="none").axes[0].collections


@pytest.mark.parametrize("instrument", ["hamd17", "phq9", "gad7"])
def test_remission_line_is_the_instruments_threshold(instrument: str) -> None:
    """Remission is HAM-D <= 7, PHQ-9 < 5, GAD-7 < 5 [KROENKE2001; SPITZER2006; HAMILTON1960]."""
    cohort = simulate_cohort(100, seed=1, instrument=instrument)
    spec = INSTRUMENTS[instrument]
    line = lines(trajectories(cohort))[f"remission ({spec.title} ≤ {spec.remission_max})"]
    assert set(line.get_ydata()) == {spec.remission_max}
    assert {"hamd17": 7, "phq9": 4, "gad7": 4}[instrument] == spec.remission_max


def test_response_line_is_half_the_mean_baseline(ipt: Any) -> None:
    """Response is at least a 50% reduction from baseline [KROENKE2001; SPITZER2006; HAMILTON1960]."""
    figure = trajectories(ipt, cases=400)
    half = float(ipt.baseline.mean()) / 2
    (label,) = [k for k in lines(figure) if k.startswith("response line:")]
    np.testing.assert_allclose(lines(figure)[label].get_ydata(), [half, half])
    assert f"({half:.1f})" in label
    no_thresholds = lines(trajectories(ipt, thresholds=False))
    assert list(no_thresholds) == ["ipt (n = 400)"]


def test_two_arms_share_one_axes_with_their_labels(ipt: Any, control: Any) -> None:
    """An arm and its control draw on one axes, each in its own colour, each with its response
    line (half its own mean baseline) in that colour, and one legend entry for those lines."""
    figure = trajectories(ipt, control, labels=["IPT", "control"])
    assert len(figure.axes) == 1
    drawn = lines(figure)
    ipt_colour, control_colour = (
        drawn["IPT (n = 400)"].get_color(),
        drawn["control (n = 400)"].get_color(),
    )
    assert ipt_colour != control_colour
    dotted = {
        line.get_color(): line.get_ydata()[0]
        for line in figure.axes[0].get_lines()
        if line.get_linestyle() == ":" and len(line.get_ydata())
    }
    assert dotted[ipt_colour] == pytest.approx(ipt.baseline[:400].mean() / 2)
    assert dotted[control_colour] == pytest.approx(control.baseline[:400].mean() / 2)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend == [
        "IPT (n = 400)",
        "control (n = 400)",
        "response lines: half of each mean baseline",
        "remission (HAM-D-17 ≤ 7)",
    ]


def test_many_subjects_put_the_legend_under_the_axes() -> None:
    """Beyond a few entries the legend leaves the axes, so that it hides no line."""
    cohorts = [simulate_cohort(50, seed=s) for s in range(5)]
    figure = trajectories(*cohorts, labels=[f"seed {s}" for s in range(5)])
    assert figure.axes[0].get_legend() is None
    assert len(figure.legends) == 1


def test_a_course_is_drawn_as_its_dated_scores() -> None:
    """A series of dated scores (a course's measures) is drawn point by point against dates."""
    series = track(
        "phq9", [(date(2026, 1, 5), 18), (date(2026, 1, 19), 13), (date(2026, 2, 16), 6)]
    )
    figure = trajectories(series, labels=["Maya (fictional)"])
    line = lines(figure)["Maya (fictional)"]
    assert list(line.get_ydata()) == [18, 13, 6]
    assert list(line.get_xdata()) == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16)]
    assert set(lines(figure)["response line: half the baseline (9.0)"].get_ydata()) == {9.0}


def test_a_course_as_it_happens_draws_the_instrument_asked_for() -> None:
    """A Course gives one trajectory per instrument, from the case's baseline through its sessions."""
    from iptcore import Course, classify, formulate, plan_course
    from iptcore.vignettes import vignette

    case = vignette("demo")  # fictional; baseline PHQ-9 14 and HAM-D-17 20 on 2026-03-02
    result = classify(case)
    course = Course.begin(
        case, plan_course(start=date(2026, 3, 9), focus=result), formulation=formulate(case, result)
    )
    course = course.hold(measures={"phq9": [1, 1, 1, 2, 1, 1, 1, 0, 0]})
    phq9 = lines(trajectories(course, instrument="phq9", labels=["Maya"]))["Maya"]
    assert list(phq9.get_ydata()) == [14, 8]
    hamd = lines(trajectories(course, instrument="hamd17", labels=["Maya"]))["Maya"]
    assert list(hamd.get_ydata()) == [20]  # the baseline only: no HAM-D at the session
    first = course.progress().trajectories[0].instrument
    default = lines(trajectories(course))["demo-maya"]  # the case's id by default
    assert default.get_ydata()[0] == {"phq9": 14, "hamd17": 20}[first]
    with pytest.raises(IptError, match="instrument: the course measured"):
        trajectories(course, instrument="gad7")


def test_a_simulated_course_is_drawn_through_the_course_it_took() -> None:
    """A SimulatedCourse draws the scores its Course recorded: the baseline, then each held session."""
    from iptcore import simulate_case
    from iptcore.vignettes import vignette

    run = simulate_case(vignette("dispute"), seed=5)  # fictional
    line = lines(trajectories(run, labels=["Ravi"]))["Ravi"]
    held = [s.score for s in run.sessions if s.score is not None]
    assert list(line.get_ydata()) == [run.baseline, *held]
    assert lines(trajectories(run))["vignette-dispute, seed 5"].get_ydata()[-1] == run.end
    several = trajectories(*(simulate_case(vignette("dispute"), seed=s) for s in range(3)))
    assert {"vignette-dispute, seed 0", "vignette-dispute, seed 2"} <= set(lines(several))


def test_into_an_axes_given(ipt: Any) -> None:
    """Given an Axes, the picture is drawn there and its figure returned."""
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    assert trajectories(ipt, ax=ax) is figure
    assert ax.get_lines()


def test_sweep_draws_each_rate_in_order_with_wilson_intervals() -> None:
    """Rates are the summaries' (intention to treat), in parameter order, with 95% Wilson bands."""
    base = SimulationParams()
    cohorts = {
        v: simulate_cohort(300, seed=5, params=attrs.evolve(base, change_middle=v))
        for v in (0.1, 0.05)
    }
    figure = sweep(cohorts, parameter="change_middle", rates=["remission_rate"])
    line = lines(figure)["remission"]
    assert list(line.get_xdata()) == [0.05, 0.1]
    assert list(line.get_ydata()) == [
        cohorts[0.05].summary()["remission_rate"],
        cohorts[0.1].summary()["remission_rate"],
    ]
    assert len(figure.axes) == 1


def _wilson(rate: float, n: int) -> tuple[float, float]:
    """Wilson's 95% score interval of a proportion [WILSON1927], as published."""
    z = 1.959963984540054  # the two-sided 95% normal quantile
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (rate * (1 - rate) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def test_the_sweeps_band_is_wilsons_interval() -> None:
    """Each rate's band is Wilson's 95% score interval [WILSON1927] of that rate among the
    cohort's cases; where a rate is 0 (no dropout at all) it starts at 0, not below."""
    assert tuple(round(x, 4) for x in _wilson(0.5, 100)) == (0.4038, 0.5962)  # the worked case
    base = SimulationParams()
    never = {f"dropout_{phase}": 0.0 for phase in ("initial", "middle", "termination")}
    cohorts = {
        v: simulate_cohort(300, seed=5, params=attrs.evolve(base, change_middle=v, **never))
        for v in (0.05, 0.1)
    }
    for rate in ("remission_rate", "dropout_rate"):
        low, high = band_edges(sweep(cohorts, parameter="change_middle", rates=[rate]))
        expected = [_wilson(c.summary()[rate], c.summary()["n"]) for c in cohorts.values()]
        np.testing.assert_allclose(low, [lo for lo, _ in expected])
        np.testing.assert_allclose(high, [hi for _, hi in expected])
    assert [c.summary()["dropout_rate"] for c in cohorts.values()] == [0.0, 0.0]
    assert all(0.0 <= x < 1e-12 for x in low)


def test_sweep_with_control_draws_hedges_g(control: Any) -> None:
    """The right panel is each cohort's Hedges' g against the control (Cohort.effect_size)."""
    base = SimulationParams()
    pairs = [
        (v, simulate_cohort(400, seed=11, params=attrs.evolve(base, change_middle=v)))
        for v in (0.06, 0.12)
    ]
    figure = sweep(pairs, parameter="change_middle", control=control)
    assert len(figure.axes) == 2
    g_line = lines(figure, axes=1)["Hedges' g"]
    np.testing.assert_allclose(g_line.get_ydata(), [c.effect_size(control) for _, c in pairs])
    assert "remission, control" in lines(figure)


def test_pictures_save_as_svg_that_parses(ipt: Any) -> None:
    """A saved figure is well-formed SVG."""
    buffer = io.BytesIO()
    trajectories(ipt).savefig(buffer, format="svg")
    root = ET.fromstring(buffer.getvalue())
    assert root.tag.endswith("svg")


def test_no_pyplot_state_is_touched(ipt: Any) -> None:
    """Figures are made without pyplot, so no figure is left open in a global registry."""
    before = set(sys.modules)
    trajectories(ipt)
    assert "matplotlib.pyplot" in before or "matplotlib.pyplot" not in sys.modules


@settings(max_examples=15)
@given(cases=st.integers(1, 60), band=st.sampled_from(["sd", "ci95", "none"]))
def test_any_subset_draws_without_warnings(ipt: Any, cases: int, band: str) -> None:
    """Any number of cases and any band draw (NaN where a column has no data, never a warning)."""
    figure = trajectories(ipt, cases=cases, band=band, carry_forward=False)
    assert lines(figure)[f"ipt (n = {cases})"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: trajectories(), "at least one"),
        (lambda c: trajectories(c, band="iqr"), "band: must be one of sd, ci95, none"),
        (lambda c: trajectories(c, cases=0), "cases: must be a whole number"),
        (lambda c: trajectories(c, cases=True), "cases: must be a whole number"),
        (lambda c: trajectories(c, labels=["a", "b"]), "labels: give one label per subject"),
        (lambda c: trajectories(c, labels="a"), "labels: give one label per subject"),
        (lambda c: trajectories("a case"), "each must be a Cohort, a SimulatedCourse"),
        (lambda c: trajectories(c, ax="axes"), "ax: must be a matplotlib Axes"),
        (
            lambda c: trajectories(c, simulate_cohort(10, seed=1, instrument="phq9")),
            "different instruments",
        ),
        (
            lambda c: trajectories(c, simulate_cohort(10, seed=1, protocol="ipt-b")),
            "different sessions",
        ),
        (
            lambda c: trajectories(c, track("hamd17", [(date(2026, 1, 5), 18)])),
            "apart",
        ),
        (lambda c: sweep({}, parameter="x"), "the sweep is empty"),
        (lambda c: sweep({0.1: c}, parameter=""), "parameter: must be"),
        (lambda c: sweep({0.1: "cohort"}, parameter="x"), "not a Cohort"),
        (lambda c: sweep({"a": c}, parameter="x"), "finite numbers"),
        (lambda c: sweep([(float("nan"), c)], parameter="x"), "finite numbers"),
        (lambda c: sweep([c], parameter="x"), "(value, cohort) pair"),
        (lambda c: sweep(c, parameter="x"), "must map parameter values"),
        (lambda c: sweep({0.1: c}, parameter="x", rates=["mean_end"]), "rates: must be"),
        (lambda c: sweep({0.1: c}, parameter="x", control="c"), "control: must be a Cohort"),
        (
            lambda c: sweep(
                {0.1: c, 0.2: simulate_cohort(10, seed=1, instrument="gad7")}, parameter="x"
            ),
            "one instrument",
        ),
    ],
)
def test_bad_arguments_raise_ipterror_naming_them(ipt: Any, call: Any, message: str) -> None:
    """Every bad argument is an IptError that says which and why, never another exception."""
    with pytest.raises(IptError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(ipt)


def test_missing_matplotlib_names_the_extra(
    ipt: Any, without_module: Callable[[str], None]
) -> None:
    """Without matplotlib the error says how to install it: pip install "iptcore[plot]"."""
    without_module("matplotlib")
    with pytest.raises(ImportError, match=r'pip install "iptcore\[plot\]"'):
        trajectories(ipt)
    with pytest.raises(ImportError, match=r'pip install "iptcore\[plot\]"'):
        sweep({0.1: ipt}, parameter="x")
