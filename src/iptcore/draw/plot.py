"""Pictures of symptom scores with matplotlib: trajectories of a course or a cohort, and sweeps.

- :func:`trajectories` draws how scores move over a course: one course (simulated or as it
  happens) as a line of its measured scores, or a cohort as the mean with a band, on one or more
  subjects at once (an IPT arm beside its control arm), with the instrument's remission threshold
  and each subject's response threshold drawn in.
- :func:`power_curve` draws power by simulation against sample size, each point with its Monte
  Carlo interval, beside the closed-form curve of the two-sample test.
- :func:`sweep` draws the effect of a parameter sweep: the response, remission and dropout rates
  of cohorts simulated at each value of a parameter, with their 95% intervals, and, beside a
  control cohort, Hedges' g at each value.

The thresholds are those of the measures [KROENKE2001; SPITZER2006; HAMILTON1960]: remission is HAM-D <= 7,
PHQ-9 < 5, GAD-7 < 5 (each instrument's ``remission_max`` in :data:`iptcore.measures.INSTRUMENTS`);
response is "at least 50% reduction from baseline", so its line is drawn at half the baseline
(for a cohort, half the mean baseline: response itself is counted case by case).

Needs the ``plot`` extra (``pip install "iptcore[plot]"``): matplotlib is imported inside each
function. Figures are made with :class:`matplotlib.figure.Figure` and the Agg canvas, never with
``pyplot``, so drawing one changes no global state and needs no display; save one with
``figure.savefig("name.png")`` (or ``.svg``, ``.pdf``).

>>> import io
>>> from iptcore import simulate_cohort
>>> from iptcore.draw.plot import trajectories
>>> ipt = simulate_cohort(300, seed=1)                       # fictional, simulated cases
>>> control = simulate_cohort(300, seed=1, arm="control")
>>> figure = trajectories(ipt, control, labels=["IPT", "control"])
>>> for text in figure.axes[0].get_legend().get_texts():
...     print(text.get_text())
IPT (n = 300)
control (n = 300)
response lines: half of each mean baseline
remission (HAM-D-17 ≤ 7)
>>> figure.savefig(io.BytesIO(), format="svg")
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from iptcore.errors import IptError
from iptcore.measures import INSTRUMENTS, Instrument

if TYPE_CHECKING:
    from iptcore.simulate import Cohort

__all__ = ["BANDS", "RATES", "power_curve", "sweep", "trajectories"]

_EXTRA: Final = 'pip install "iptcore[plot]"'

#: The bands :func:`trajectories` can draw around a cohort's mean.
BANDS: Final = ("sd", "ci95", "none")

#: The rates of :meth:`iptcore.Cohort.summary` that :func:`sweep` can draw, with their labels.
RATES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "response_rate": "response (≥ 50% reduction)",
        "remission_rate": "remission",
        "dropout_rate": "dropout",
    }
)

_LEGEND_INSIDE: Final = 5  # legend entries that still fit inside the axes
_Z95: Final = 1.959963984540054  # the normal quantile of a two-sided 95% interval
_COLOURS: Final = ("#1b6ca8", "#d1495b", "#2e933c", "#8f5dbb", "#e07a1f", "#5c5c5c")


def _figure_class() -> Any:
    """matplotlib's Figure, or an ImportError naming the extra when matplotlib is missing."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(f"iptcore.draw.plot needs the 'plot' extra: {_EXTRA}") from None
    return Figure


def _new_axes(ax: Any, *, ncols: int = 1, width: float = 7.5) -> tuple[Any, list[Any]]:
    """A fresh Figure on the Agg canvas with ``ncols`` axes, or the figure of the ``ax`` given."""
    figure_class = _figure_class()
    if ax is not None:
        if ncols != 1:
            raise IptError("ax: this picture has two panels; leave ax out")
        if not all(hasattr(ax, name) for name in ("plot", "fill_between", "get_figure")):
            raise IptError(f"ax: must be a matplotlib Axes, got {type(ax).__name__}")
        return ax.get_figure(), [ax]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = figure_class(figsize=(width, 4.5), layout="constrained")
    FigureCanvasAgg(figure)  # the Agg backend: renders anywhere, no display, no pyplot state
    axes = figure.subplots(1, ncols, squeeze=False)[0]
    return figure, list(axes)


# -- what a subject gives a picture -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Series:
    """One subject's scores, ready to draw: rows of scores over a common x axis."""

    label: str  # in the legend
    instrument: Instrument
    x: tuple[Any, ...]  # session positions (ints) or dates (datetime.date)
    ticks: tuple[str, ...]  # tick labels for session positions; () for dates
    rows: Any  # numpy array, one row per case, NaN where nothing was measured
    cohort: bool  # True: draw the mean and a band; False: one course's points


def _series_of(
    subject: object, label: str | None, cases: int, carry_forward: bool, instrument: str | None
) -> _Series:
    from iptcore.simulate import Cohort
    from iptcore.trajectory import Trajectory

    if isinstance(subject, Cohort):
        return _cohort_series(subject, label, cases, carry_forward)
    if isinstance(subject, Trajectory):
        return _trajectory_series(subject, label or "scores")
    trajectory = _course_trajectory(subject, instrument)
    if trajectory is not None:
        return _trajectory_series(trajectory, label or _course_label(subject))
    raise IptError(
        "subjects: each must be a Cohort, a SimulatedCourse, a Course or a Trajectory, "
        f"got {type(subject).__name__}"
    )


def _course_label(subject: object) -> str:
    """A course's default label: its case's id, and the seed of a simulated one."""
    case = getattr(subject, "case", None)
    name = getattr(case, "id", None)
    if not isinstance(name, str):
        return "course"
    seed = getattr(subject, "seed", None)
    return name if seed is None else f"{name}, seed {seed}"


def _course_trajectory(subject: object, instrument: str | None) -> Any:
    """The symptom trajectory of a course (simulated or as it happens), or None if not a course.

    A :class:`~iptcore.Course` gives one :class:`~iptcore.trajectory.Trajectory` per instrument
    measured (``course.progress().trajectories``); a :class:`~iptcore.SimulatedCourse` gives those
    of the course it took, on its own instrument by default. With several, ``instrument`` chooses
    (the first by default).
    """
    from iptcore.trajectory import Trajectory

    inner = getattr(subject, "course", None)  # a SimulatedCourse holds the Course it took
    if inner is not None and callable(getattr(inner, "progress", None)):
        if instrument is None:
            instrument = getattr(subject, "instrument", None)
        subject = inner
    progress = getattr(subject, "progress", None)
    if callable(progress):
        found: object = getattr(progress(), "trajectories", None)
    else:
        found = getattr(subject, "trajectory", None)
        if callable(found):
            found = found()
    if isinstance(found, Trajectory):
        found = (found,)
    if not isinstance(found, tuple) or not all(isinstance(t, Trajectory) for t in found):
        return None
    if not found:
        raise IptError("subjects: a course with no scores has nothing to draw")
    if instrument is None:
        return found[0]
    for trajectory in found:
        if trajectory.instrument == instrument:
            return trajectory
    measured = ", ".join(t.instrument.value for t in found)
    raise IptError(f"instrument: the course measured {measured}, not {instrument!r}")


def _cohort_series(cohort: Cohort, label: str | None, cases: int, carry_forward: bool) -> _Series:
    count = min(cases, cohort.n)
    rows = cohort.trajectories(range(count), carry_forward=carry_forward)
    sessions = cohort.sessions
    return _Series(
        label=f"{label or cohort.arm} (n = {count:,})",
        instrument=cohort.instrument,
        x=tuple(range(len(sessions) + 1)),
        ticks=("baseline", *(str(s) for s in sessions)),
        rows=rows,
        cohort=True,
    )


def _trajectory_series(trajectory: Any, label: str) -> _Series:
    import numpy as np

    if not trajectory.points:
        raise IptError("subjects: a course with no scores has nothing to draw")
    return _Series(
        label=label,
        instrument=trajectory.instrument,
        x=tuple(point.date for point in trajectory.points),
        ticks=(),
        rows=np.array([[float(point.total) for point in trajectory.points]]),
        cohort=False,
    )


def _mean_band(rows: Any, band: str) -> tuple[Any, Any, Any]:
    """The mean of each column over the rows measured there, and the band's low and high edges."""
    import numpy as np

    seen = ~np.isnan(rows)
    count = seen.sum(axis=0)
    total = np.where(seen, rows, 0.0).sum(axis=0)
    # Columns nobody was measured in stay NaN (a gap in the line) instead of warning.
    mean = np.divide(total, count, out=np.full(count.shape, np.nan), where=count > 0)
    deviation = np.where(seen, rows - mean, 0.0)
    variance = np.divide(
        (deviation**2).sum(axis=0),
        count - 1,
        out=np.full(count.shape, np.nan),
        where=count > 1,
    )
    sd = np.sqrt(variance)
    if band == "sd":
        half = sd
    elif band == "ci95":
        half = _Z95 * sd / np.sqrt(np.maximum(count, 1))
    else:
        half = np.full(count.shape, np.nan)
    return mean, mean - half, mean + half


def trajectories(
    *subjects: object,
    labels: Sequence[str] | None = None,
    cases: int = 2000,
    band: str = "sd",
    carry_forward: bool = True,
    instrument: str | None = None,
    thresholds: bool = True,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Symptom trajectories of one or more courses or cohorts, as a matplotlib Figure.

    A cohort (:class:`~iptcore.Cohort`) is drawn as the mean score at baseline and at each session
    of its first ``cases`` cases, with a band around it; a course (a
    :class:`~iptcore.SimulatedCourse`, a :class:`~iptcore.Course`, or a
    :class:`~iptcore.trajectory.Trajectory` of dated scores) as its measured scores. Subjects on
    one figure share an instrument and an x axis: sessions for cohorts, dates for courses.

    Args:
        subjects: the cohorts, or the courses, to draw (one colour each).
        labels: one legend label per subject (default: a cohort's arm; a course's case id, and
            the seed of a simulated one).
        cases: how many of each cohort's cases to average (its first ones: the first ``m`` cases
            of a cohort of ``n`` are the cohort of ``m``, so the picture is reproducible).
        band: ``"sd"`` (mean ± one standard deviation: how cases spread), ``"ci95"`` (the 95%
            confidence interval of the mean) or ``"none"``.
        carry_forward: average with each case's last observed score after a missed session or
            dropout (intention to treat, as :meth:`~iptcore.Cohort.summary` counts), or, when
            False, only the scores observed at each session.
        instrument: for a course that measured several instruments, which one to draw (the
            first by default).
        thresholds: draw the remission threshold and each subject's response threshold.
        title: the figure's title (default: the instrument's name).
        ax: a matplotlib Axes to draw into instead of a new figure.

    Returns:
        matplotlib.figure.Figure: the figure (``figure.savefig(...)`` writes it).

    Raises:
        ImportError: matplotlib missing (``pip install "iptcore[plot]"``).
        IptError: no subject, a subject of
            another kind, subjects on different instruments or axes, a bad argument.

    >>> from iptcore import simulate_cohort
    >>> figure = trajectories(simulate_cohort(500, seed=4), band="ci95")   # simulated, fictional
    >>> ax = figure.axes[0]
    >>> ax.get_ylabel(), ax.get_xticklabels()[0].get_text()
    ('HAM-D-17 score', 'baseline')
    """
    if not subjects:
        raise IptError("trajectories needs at least one cohort or course to draw")
    if labels is not None and (isinstance(labels, str) or len(labels) != len(subjects)):
        raise IptError(f"labels: give one label per subject ({len(subjects)}), got {labels!r}")
    if band not in BANDS:
        raise IptError(f"band: must be one of {', '.join(BANDS)}, got {band!r}")
    if isinstance(cases, bool) or not isinstance(cases, int) or cases < 1:
        raise IptError(f"cases: must be a whole number of at least 1, got {cases!r}")
    series = [
        _series_of(s, None if labels is None else str(labels[i]), cases, carry_forward, instrument)
        for i, s in enumerate(subjects)
    ]
    instruments = {s.instrument for s in series}
    if len(instruments) > 1:
        raise IptError(
            "subjects: scores on different instruments cannot share an axis: "
            + ", ".join(sorted(i.value for i in instruments))
        )
    if len({s.cohort for s in series}) > 1:
        raise IptError("subjects: draw cohorts (by session) and courses (by date) apart")
    if len({s.ticks for s in series}) > 1:
        raise IptError("subjects: cohorts of different protocols have different sessions")

    spec = INSTRUMENTS[series[0].instrument]
    figure, (axes,) = _new_axes(ax)
    for i, s in enumerate(series):
        colour = _COLOURS[i % len(_COLOURS)]
        _draw_series(axes, s, colour, band, thresholds, named=len(series) == 1)
    if thresholds:
        if len(series) > 1:  # one legend entry for the dotted lines, each in its subject's colour
            what = "mean baseline" if series[0].cohort else "baseline"
            axes.plot(
                [], [], color="#5c5c5c", linestyle=":", label=f"response lines: half of each {what}"
            )
        axes.axhline(
            spec.remission_max,
            color="#2e933c",
            linestyle="--",
            linewidth=1.2,
            label=f"remission ({spec.title} ≤ {spec.remission_max})",
        )
    first = series[0]
    if first.cohort:
        axes.set_xticks(list(first.x), list(first.ticks))
        axes.set_xlabel("session")
    else:
        axes.set_xlabel("date")
        # Through Any: matplotlib's stubs leave these two constructors untyped.
        dates: Any = importlib.import_module("matplotlib.dates")
        locator = dates.AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    axes.set_ylabel(f"{spec.title} score")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    entries = len(axes.get_legend_handles_labels()[1])
    if ax is None and entries > _LEGEND_INSIDE:
        # Many subjects: a legend inside would hide the lines, so it goes under the axes.
        rows = math.ceil(entries / 2)
        figure.set_size_inches(figure.get_figwidth(), 4.5 + 0.22 * rows)
        figure.legend(loc="outside lower center", ncols=2, fontsize="small")
    else:
        axes.legend(loc="best", fontsize="small")
    axes.set_title(title if title is not None else _title(first, band, carry_forward))
    return figure


def _title(first: _Series, band: str, carry_forward: bool) -> str:
    if not first.cohort:
        return "Scores over the course"
    spread = {"sd": ", band: ± 1 SD", "ci95": ", band: 95% CI of the mean", "none": ""}[band]
    how = "last observation carried forward" if carry_forward else "observed scores"
    return f"Mean score by session ({how}{spread})"


def _draw_series(
    axes: Any, s: _Series, colour: str, band: str, thresholds: bool, *, named: bool
) -> None:
    import numpy as np

    x = list(s.x)
    if s.cohort:
        mean, low, high = _mean_band(s.rows, band)
        axes.plot(x, mean, color=colour, linewidth=2, marker="o", markersize=3, label=s.label)
        if band != "none":
            axes.fill_between(x, low, high, color=colour, alpha=0.18, linewidth=0)
        baseline = float(mean[0])
    else:
        values = s.rows[0]
        axes.plot(x, values, color=colour, linewidth=2, marker="o", label=s.label)
        baseline = float(values[0])
    if thresholds and not np.isnan(baseline):
        what = "mean baseline" if s.cohort else "baseline"
        axes.axhline(
            baseline / 2,
            color=colour,
            linestyle=":",
            linewidth=1.2,
            label=f"response line: half the {what} ({baseline / 2:.1f})" if named else None,
        )


# -- parameter sweeps -----------------------------------------------------------------------------------


def _pairs(results: object) -> list[tuple[float, Cohort]]:
    from iptcore.simulate import Cohort

    items: Iterable[Any]
    if isinstance(results, Mapping):
        items = results.items()
    elif isinstance(results, Iterable) and not isinstance(results, str | bytes):
        items = results
    else:
        raise IptError(
            f"results: must map parameter values to cohorts, got {type(results).__name__}"
        )
    pairs: list[tuple[float, Cohort]] = []
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise IptError(f"results: each entry must be a (value, cohort) pair, got {item!r}")
        value, cohort = item
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise IptError(f"results: parameter values must be finite numbers, got {value!r}")
        if not isinstance(cohort, Cohort):
            raise IptError(
                f"results: the value {value!r} has a {type(cohort).__name__}, not a Cohort"
            )
        pairs.append((float(value), cohort))
    if not pairs:
        raise IptError("results: the sweep is empty")
    if len({c.instrument for _, c in pairs}) > 1:
        raise IptError("results: every cohort of a sweep must use one instrument")
    return sorted(pairs, key=lambda pair: pair[0])


def _wilson(rate: float, n: int) -> tuple[float, float]:
    """The Wilson score interval (95%) of a proportion: honest near 0 and 1, unlike rate ± 2 SE."""
    z2 = _Z95**2
    centre = (rate + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z95 * math.sqrt(rate * (1 - rate) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def sweep(
    results: Mapping[float, Cohort] | Iterable[tuple[float, Cohort]],
    *,
    parameter: str,
    control: Cohort | None = None,
    rates: Sequence[str] = ("response_rate", "remission_rate", "dropout_rate"),
    title: str | None = None,
) -> Any:
    """The effect of a parameter sweep, as a matplotlib Figure.

    The left panel draws each rate of the cohorts (:meth:`~iptcore.Cohort.summary`) against the
    parameter's value, with its 95% interval (Wilson's), and the control cohort's rates as dashed
    lines; given a ``control``, the right panel draws Hedges' g of each cohort against it
    (:meth:`~iptcore.Cohort.effect_size`).

    Args:
        results: the cohorts by parameter value: a mapping ``{value: cohort}`` or
            ``(value, cohort)`` pairs, all on one instrument.
        parameter: the parameter's name, for the axis.
        control: a control cohort to compare each with (optional).
        rates: which rates to draw, of :data:`RATES`.
        title: the figure's title.

    Returns:
        matplotlib.figure.Figure: the figure.

    Raises:
        ImportError: matplotlib missing (``pip install "iptcore[plot]"``).
        IptError: an empty sweep, an entry
            that is not a (number, Cohort) pair, an unknown rate, mixed instruments.

    >>> import attrs
    >>> from iptcore import SimulationParams, simulate_cohort
    >>> base = SimulationParams()
    >>> cohorts = {v: simulate_cohort(400, seed=2, params=attrs.evolve(base, change_middle=v))
    ...            for v in (0.05, 0.10)}                     # simulated, fictional
    >>> figure = sweep(cohorts, parameter="change_middle",
    ...                control=simulate_cohort(400, seed=2, arm="control"))
    >>> len(figure.axes), figure.axes[1].get_ylabel()
    (2, "Hedges' g vs control")
    """
    if not isinstance(parameter, str) or not parameter:
        raise IptError(f"parameter: must be the parameter's name, got {parameter!r}")
    if isinstance(rates, str) or not rates or any(r not in RATES for r in rates):
        raise IptError(f"rates: must be a list of {', '.join(RATES)}, got {rates!r}")
    from iptcore.simulate import Cohort

    if control is not None and not isinstance(control, Cohort):
        raise IptError(f"control: must be a Cohort, got {type(control).__name__}")
    pairs = _pairs(results)
    figure, axes = _new_axes(None, ncols=1 if control is None else 2, width=11 if control else 7.5)
    left = axes[0]
    values = [value for value, _ in pairs]
    summaries = [cohort.summary() for _, cohort in pairs]
    for i, rate in enumerate(rates):
        colour = _COLOURS[i % len(_COLOURS)]
        ys = [s[rate] for s in summaries]
        intervals = [_wilson(s[rate], s["n"]) for s in summaries]
        left.plot(values, ys, color=colour, marker="o", linewidth=2, label=RATES[rate])
        left.fill_between(
            values,
            [lo for lo, _ in intervals],
            [hi for _, hi in intervals],
            color=colour,
            alpha=0.18,
        )
        if control is not None:
            left.axhline(
                control.summary()[rate],
                color=colour,
                linestyle="--",
                linewidth=1,
                label=f"{RATES[rate]}, control",
            )
    left.set_xlabel(parameter)
    left.set_ylabel("share of all cases (intention to treat)")
    left.set_ylim(0, 1)
    left.grid(True, alpha=0.3)
    left.legend(fontsize="small")
    if control is not None:
        right = axes[1]
        effects = [cohort.effect_size(control) for _, cohort in pairs]
        right.plot(values, effects, color=_COLOURS[3], marker="o", linewidth=2, label="Hedges' g")
        right.axhline(0, color="#5c5c5c", linewidth=0.8)
        right.set_xlabel(parameter)
        right.set_ylabel("Hedges' g vs control")
        right.grid(True, alpha=0.3)
    n = ", ".join(sorted({f"{c.n:,}" for _, c in pairs}))
    figure.suptitle(title if title is not None else f"Sweep of {parameter} (n = {n} per cohort)")
    return figure


# -- power curves -----------------------------------------------------------------------------------


def power_curve(
    *studies: Any,
    labels: Sequence[str] | None = None,
    effect_size: float | None = None,
    target: float | None = 0.8,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Power against sample size per arm, from power studies by simulation, as a matplotlib Figure.

    Each study (:class:`iptcore.simulate.Power`) is drawn as its simulated power at each sample
    size with a 95% Monte Carlo interval (power ± 1.96 Monte Carlo standard errors); given an
    ``effect_size`` (a standardised difference ``d``), the closed-form power of the two-sample
    test (:func:`iptcore.simulate.two_sample_power`, Cohen 1988 [COHEN1988]) is drawn as a dashed
    line over the same sizes; ``target`` draws the power aimed at.

    Args:
        studies: one or more :class:`~iptcore.simulate.Power` studies.
        labels: one label per study; by default each study's analysis.
        effect_size: ``d`` for the closed-form curve (optional).
        target: the power aimed at (a horizontal line), or ``None``.
        ax: a matplotlib Axes to draw into; a new figure by default.
        title: the figure's title.

    Returns:
        matplotlib.figure.Figure: the figure.

    Raises:
        ImportError: matplotlib missing (``pip install "iptcore[plot]"``).
        IptError: no study, a subject that
            is not a power study, labels that do not match the studies.

    >>> from iptcore.simulate import power
    >>> study = power([20, 40], trials=20, seed=1, analysis="locf", protocol="ipt-b")
    >>> figure = power_curve(study, effect_size=0.6)               # simulated, fictional
    >>> sorted(t.get_text() for t in figure.axes[0].get_legend().get_texts())
    ['closed form, d = 0.6 (Cohen 1988)', 'locf (20 trials per size)', 'target power 0.8']
    """
    from iptcore.simulate.planning import Power, two_sample_power

    if not studies:
        raise IptError("studies: give at least one power study")
    for study in studies:
        if not isinstance(study, Power):
            raise IptError(f"studies: each must be a Power study, got {type(study).__name__}")
    if labels is None:
        labels = [f"{s.analysis} ({s.trials} trials per size)" for s in studies]
    elif isinstance(labels, str) or len(labels) != len(studies):
        raise IptError(f"labels: one per study ({len(studies)}), got {labels!r}")
    figure, (axes,) = _new_axes(ax)
    sizes: set[int] = set()
    for i, (study, label) in enumerate(zip(studies, labels, strict=True)):
        colour = _COLOURS[i % len(_COLOURS)]
        ns = [p.n_per_arm for p in study.points]
        sizes.update(ns)
        ys = [p.power for p in study.points]
        half = [_Z95 * p.mc_se for p in study.points]
        axes.errorbar(
            ns, ys, yerr=half, color=colour, marker="o", linewidth=2, capsize=3, label=label
        )
    if effect_size is not None:
        grid = sorted(sizes)
        low, high = grid[0], grid[-1]
        xs = [low + (high - low) * k / 100 for k in range(101)] if high > low else grid
        alpha = studies[0].alpha
        axes.plot(
            xs,
            [two_sample_power(effect_size, x, alpha=alpha) for x in xs],
            color="#5c5c5c",
            linestyle="--",
            linewidth=1.5,
            label=f"closed form, d = {effect_size:g} (Cohen 1988)",
        )
    if target is not None:
        axes.axhline(
            target, color="#2e933c", linestyle=":", linewidth=1, label=f"target power {target:g}"
        )
    axes.set_xlabel("patients per arm")
    axes.set_ylabel("power (share of simulated trials that reject)")
    axes.set_ylim(0, 1)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize="small")
    if title is not None or ax is None:
        axes.set_title(
            title
            if title is not None
            else f"Power by simulation, protocol {studies[0].protocol}, alpha {studies[0].alpha:g}"
        )
    return figure
