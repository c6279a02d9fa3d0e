"""Symptom scores over time: change from baseline, response, remission and reliable change.

A course measures the same scale again and again ("a severity scale ... repeated regularly" [FOCUS]).
:func:`track` reads a series of dated scores of one instrument and gives, for every point, the change
from the first (the baseline), whether it is a response and a remission (:func:`iptcore.is_response`,
:func:`iptcore.is_remission`) and the reliable change index.

The reliable change index is Jacobson & Truax's (1991): ``RC = (x2 - x1) / S_diff`` with
``S_diff = sqrt(2 * SE**2)`` and ``SE = s1 * sqrt(1 - r_xx)``, where ``s1`` is the standard deviation
of a pre-treatment sample and ``r_xx`` the instrument's reliability; a change is reliable when
``|RC| > 1.96`` (it would arise by measurement error alone less than 5% of the time). Both ``r_xx``
and a reference ``s1`` are data of the instrument (:class:`iptcore.measures.InstrumentSpec`); pass the
standard deviation of your own sample where you have it. Lower scores are better on every
instrument here, so a negative index is an improvement.

>>> from datetime import date
>>> t = track("phq9", [(date(2026, 1, 5), 18), (date(2026, 2, 2), 12), (date(2026, 3, 2), 4)])
>>> [p.change for p in t.points], t.latest.response, t.latest.remission   # fictional
([0, -6, -14], True, True)
>>> [p.reliable_change.value for p in t.points[1:]]
['reliable_improvement', 'reliable_improvement']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

import attrs

from iptcore._checks import refusal
from iptcore.errors import IptError
from iptcore.measures import (
    Instrument,
    InstrumentSpec,
    Score,
    instrument_spec,
    is_remission,
    is_response,
    score,
)

__all__ = [
    "RELIABLE_Z",
    "Change",
    "Trajectory",
    "TrajectoryPoint",
    "track",
    "track_measures",
    "track_scores",
]

#: The critical value of the reliable change index: |RC| above it is reliable (p < .05, two-sided)
#: [Jacobson & Truax 1991].
RELIABLE_Z = 1.96


class Change(StrEnum):
    """What the reliable change index says of a point compared with the baseline."""

    IMPROVED = "reliable_improvement"
    DETERIORATED = "reliable_deterioration"
    NONE = "no_reliable_change"


@attrs.frozen(kw_only=True)
class TrajectoryPoint:
    """One dated score of a series, read against the series' baseline (its first point).

    ``percent_change`` is ``None`` when the baseline is 0; ``rci`` and ``reliable_change`` are
    ``None`` when no standard deviation is known for the instrument (see :func:`track`).
    """

    date: date
    total: int
    band: str
    change: int
    percent_change: float | None
    response: bool
    remission: bool
    rci: float | None
    reliable_change: Change | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (the date as ``YYYY-MM-DD``)."""
        return {
            "date": self.date.isoformat(),
            "total": self.total,
            "band": self.band,
            "change": self.change,
            "percent_change": self.percent_change,
            "response": self.response,
            "remission": self.remission,
            "rci": self.rci,
            "reliable_change": None if self.reliable_change is None else self.reliable_change.value,
        }


@attrs.frozen(kw_only=True)
class Trajectory:
    """A series of scores of one instrument over time; the first point is the baseline."""

    instrument: Instrument
    points: tuple[TrajectoryPoint, ...]
    sd: float | None
    reliability: float

    @property
    def baseline(self) -> TrajectoryPoint:
        """The first point."""
        return self.points[0]

    @property
    def latest(self) -> TrajectoryPoint:
        """The last point."""
        return self.points[-1]

    @property
    def reliable_change_threshold(self) -> float | None:
        """The smallest change, in points, that counts as reliable (``1.96 * S_diff``).

        >>> from datetime import date
        >>> round(track("gad7", [(date(2026, 1, 5), 12)]).reliable_change_threshold, 2)
        4.0
        """
        s_diff = _s_diff(self.sd, self.reliability)
        return None if s_diff is None else RELIABLE_Z * s_diff

    def describe(self) -> str:
        """A short table for people: one line per point, then where the series ended."""
        title = instrument_spec(self.instrument).title
        lines = [f"{title}, {len(self.points)} score(s), baseline {self.baseline.total}"]
        for p in self.points:
            line = f"  {p.date.isoformat()}  {p.total:>2}  {p.band:<17}"
            if p is not self.baseline:
                pct = "" if p.percent_change is None else f" ({p.percent_change:+.0f}%)"
                line += f" change {p.change:+d}{pct}"
                if p.rci is not None:
                    line += f", RCI {p.rci:+.2f}"
            lines.append(line.rstrip())
        last = self.latest
        # Response and reliable change compare with the baseline: a lone baseline has neither.
        verdict = (
            ["baseline only"]
            if len(self.points) == 1
            else ["response" if last.response else "no response"]
        )
        verdict.append("remission" if last.remission else "no remission")
        if last.reliable_change is not None and len(self.points) > 1:
            verdict.append(last.reliable_change.value.replace("_", " "))
        lines.append("latest: " + ", ".join(verdict))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "instrument": self.instrument.value,
            "sd": self.sd,
            "reliability": self.reliability,
            "reliable_change_threshold": self.reliable_change_threshold,
            "points": [p.to_dict() for p in self.points],
        }


def _s_diff(sd: float | None, reliability: float) -> float | None:
    """Jacobson & Truax 1991: S_diff = sqrt(2 * SE**2), SE = s1 * sqrt(1 - r_xx)."""
    if sd is None:
        return None
    return math.sqrt(2.0) * sd * math.sqrt(1.0 - reliability)


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise refusal(name, "a positive number", value)
    if not math.isfinite(value):
        raise refusal(name, "finite", value)
    return float(value)


def _entry(
    spec: InstrumentSpec, i: int, entry: object, banding: str | None
) -> tuple[date, int, str]:
    """(date, total, band) of the ``i``-th entry of a series. The refusals' redacted forms tell
    a patient's date and score by their kind (:mod:`iptcore.errors`)."""
    if not isinstance(entry, tuple | list) or len(entry) != 2:
        raise refusal(f"series[{i}]", "a (date, score) pair", entry)
    when, value = entry
    if isinstance(when, datetime) or not isinstance(when, date):
        raise refusal(f"series[{i}][0]", "a datetime.date", when)
    name = spec.instrument.value
    if isinstance(value, Score):
        if value.instrument is not spec.instrument:
            message = f"series[{i}][1]: is a {value.instrument.value} score, not {name}"
            raise IptError(message, redacted_message=message)
        return when, value.total, value.band
    if isinstance(value, bool) or not isinstance(value, int):
        raise refusal(f"series[{i}][1]", "a Score or a total", value)
    if not spec.min_total <= value <= spec.max_total:
        must = f"a {name} total from {spec.min_total} to {spec.max_total}"
        raise refusal(f"series[{i}][1]", must, value)
    return when, value, spec.banding(banding).band_of(value).name


def track(
    instrument: Instrument | str | InstrumentSpec,
    series: Iterable[tuple[date, Score | int]],
    *,
    sd: float | None = None,
    reliability: float | None = None,
    banding: str | None = None,
) -> Trajectory:
    """Read a series of dated scores of one instrument against its baseline.

    Args:
        instrument: the instrument of every score in the series.
        series: ``(date, score)`` pairs, where a score is a :class:`~iptcore.Score` or a total.
            They are put in date order (a stable sort: same-day scores keep their order); the first
            is the baseline.
        sd: the pre-treatment standard deviation for the reliable change index; by default the
            instrument's ``reference_sd``. Where neither is known (the HAM-D-17 records none) the
            index is ``None``.
        reliability: the reliability ``r_xx``; by default the instrument's published one.
        banding: the banding for totals given as numbers (a :class:`~iptcore.Score` keeps its own).

    Returns:
        A :class:`Trajectory`: for every point the change from baseline, the percentage change,
        response (>= 50% reduction), remission, the reliable change index and its verdict.

    Raises:
        IptError: for an empty series, a malformed entry, a date that is not a ``datetime.date``,
            a score of another instrument, a total out of range, or a bad ``sd``/``reliability``.

    >>> from datetime import date
    >>> t = track("hamd17", [(date(2026, 1, 5), 22), (date(2026, 3, 30), 7)], sd=5.0)
    >>> print(t.describe())   # fictional
    HAM-D-17, 2 score(s), baseline 22
      2026-01-05  22  severe
      2026-03-30   7  normal            change -15 (-68%), RCI -4.62
    latest: response, remission, reliable improvement
    """
    spec = instrument_spec(instrument)
    entries = [_entry(spec, i, entry, banding) for i, entry in enumerate(series)]
    if not entries:
        message = "series: must hold at least one dated score (the baseline)"
        raise IptError(message, redacted_message=message)
    entries.sort(key=lambda entry: entry[0])
    chosen_sd = spec.reference_sd if sd is None else _positive("sd", sd)
    r_xx = spec.reliability if reliability is None else _positive("reliability", reliability)
    if not r_xx < 1.0:
        raise refusal("reliability", "below 1", reliability)
    s_diff = _s_diff(chosen_sd, r_xx)
    base = entries[0][1]
    points = []
    for when, total, band in entries:
        rci = None if s_diff is None else (total - base) / s_diff
        verdict = None
        if rci is not None:
            verdict = (
                Change.IMPROVED
                if rci < -RELIABLE_Z
                else Change.DETERIORATED
                if rci > RELIABLE_Z
                else Change.NONE
            )
        points.append(
            TrajectoryPoint(
                date=when,
                total=total,
                band=band,
                change=total - base,
                percent_change=None if base == 0 else 100.0 * (total - base) / base,
                response=is_response(base, total),
                remission=is_remission(spec, total),
                rci=rci,
                reliable_change=verdict,
            )
        )
    return Trajectory(
        instrument=spec.instrument, points=tuple(points), sd=chosen_sd, reliability=r_xx
    )


class MeasureLike(Protocol):
    """Anything with a date, an instrument and item scores, such as :class:`iptcore.Measure`."""

    @property
    def date(self) -> date: ...

    @property
    def instrument(self) -> Instrument | str: ...

    @property
    def items(self) -> Sequence[int | None]: ...


def track_measures(measures: Iterable[MeasureLike]) -> tuple[Trajectory, ...]:
    """Score each measure (a case's ``measures``) and track each instrument over time.

    Returns:
        One :class:`Trajectory` per instrument, in the order the instruments first appear.

    Raises:
        IptError: when a measure cannot be scored (too many missing items, for instance); the
            message starts with its path, ``measures[i]``.

    >>> from datetime import date
    >>> from iptcore import Measure
    >>> from iptcore.trajectory import track_measures
    >>> ms = [Measure(date=date(2026, 1, 5), instrument="gad7", items=(2, 2, 2, 2, 1, 1, 1)),
    ...       Measure(date=date(2026, 2, 2), instrument="gad7", items=(1, 1, 0, 1, 0, 1, None))]
    >>> [p.total for p in track_measures(ms)[0].points]   # fictional
    [11, 5]
    """
    scored_series: list[tuple[date, Score]] = []
    for i, measure in enumerate(measures):
        # Read duck-typed, so that a wrong object is an IptError with its path, not AttributeError.
        when: Any = getattr(measure, "date", None)
        instrument: Any = getattr(measure, "instrument", None)
        items: Any = getattr(measure, "items", None)
        try:
            if isinstance(when, datetime) or not isinstance(when, date):
                raise IptError(f"the date must be a datetime.date, got {when!r}")
            scored = score(instrument, items)
        except IptError as exc:
            raise IptError(f"measures[{i}]: {exc}") from None
        scored_series.append((when, scored))
    return track_scores(scored_series)


def track_scores(scores: Iterable[tuple[date, Score]]) -> tuple[Trajectory, ...]:
    """Track dated scores of any instruments: one :class:`Trajectory` per instrument, in the
    order the instruments first appear (what :func:`track_measures` does once it has scored).

    >>> from datetime import date
    >>> from iptcore import score
    >>> series = [(date(2026, 1, 5), score("phq9", [2] * 9)), (date(2026, 2, 2), score("phq9", [1] * 9))]
    >>> [p.total for p in track_scores(series)[0].points]   # fictional
    [18, 9]
    """
    grouped: dict[Instrument, list[tuple[date, Score | int]]] = {}
    for when, scored in scores:
        grouped.setdefault(scored.instrument, []).append((when, scored))
    return tuple(track(instrument, series) for instrument, series in grouped.items())
