"""Maintenance IPT as a recurrence model: remitted patients followed until depression returns.

Maintenance IPT (IPT-M) begins after remission, and its trials report time to recurrence against
a control, not end-of-treatment scores (Frank et al. 1990 [FRANK1990]: 128 patients with recurrent
depression who had remitted on imipramine and IPT, randomised to five maintenance cells for three
years). :func:`simulate_recurrence` draws, for each remitted patient, a time to recurrence from a
constant weekly hazard (exponential survival), censored at the end of follow-up; the hazards of
each arm are calibrated in :data:`RECURRENCE`, each with its source and how sure it is.

>>> ipt = simulate_recurrence(4_000, seed=1)
>>> control = simulate_recurrence(4_000, seed=1, arm="control")
>>> ipt.median_weeks() > control.median_weeks()
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from iptcore.errors import IptError
from iptcore.simulate._model import MAX_CASES, seed_number, whole_number

__all__ = ["RECURRENCE", "Recurrence", "RecurrenceTarget", "simulate_recurrence"]

# The recurrence model's own root key, beside the cohort's arms (0, 1) and the case's (2).
_RECURRENCE_KEY: Final = 3


@attrs.frozen(kw_only=True)
class RecurrenceTarget:
    """A published survival figure of one arm, the weekly hazard fitted to it, and its source."""

    arm: str
    statistic: str  # "median" or "restricted_mean" (weeks)
    published: float
    interval: tuple[float, float]
    interval_kind: str
    hazard: float
    source: str
    confirmed: bool

    def value(self, result: Recurrence) -> float:
        """The figure computed from a simulated arm."""
        if self.statistic == "median":
            median = result.median_weeks()
            return math.inf if median is None else median
        return result.restricted_mean()


# Builds the table below at import only: mutation testing cannot reach it (mutation/README.md);
# tests/test_simulate.py checks the interval it built against the formula.
def _median_interval(
    median: float, events: float
) -> tuple[float, float]:  # pragma: no mutate block
    # Exponential survival: log(median) has standard error 1 / sqrt(events).
    spread = math.exp(1.959964 / math.sqrt(events))
    return median / spread, median * spread


#: The calibrated arms of maintenance IPT: monthly IPT-M (with placebo) and the placebo control
#: with medication clinic visits, over Frank et al. 1990's three years (156 weeks).
RECURRENCE: Final[Mapping[str, RecurrenceTarget]] = MappingProxyType(
    {
        "ipt": RecurrenceTarget(
            arm="ipt",
            statistic="median",
            published=54.0,
            interval=_median_interval(54.0, 26 * (1 - math.exp(-math.log(2) / 54 * 156))),
            interval_kind="approximate: exponential survival, about 26 patients per cell",
            hazard=math.log(2) / 54.0,
            source=(
                "median time to recurrence 54 weeks with monthly maintenance IPT alone after acute "
                "IPT and imipramine, as Frank et al. 2007 [FRANK2007] report their earlier trial "
                "[FRANK1990]"
            ),
            confirmed=True,
        ),
        "control": RecurrenceTarget(
            arm="control",
            statistic="restricted_mean",
            published=45.0,
            interval=(30.0, 60.0),
            interval_kind="stated: +/- 15 weeks",
            hazard=0.02153,
            source=(
                "(unconfirmed) mean survival of about 45 weeks on placebo with medication clinic "
                "visits over three years [FRANK1990]; the abstract confirms only that monthly "
                "IPT-M had a modest prophylactic effect against it"
            ),
            confirmed=False,
        ),
    }
)


@attrs.frozen(kw_only=True, eq=False)
class Recurrence:
    """Simulated remitted patients of one arm: weeks to recurrence or to the end of follow-up."""

    arm: str
    seed: int
    follow_up: int
    weeks: npt.NDArray[np.float64]
    recurred: npt.NDArray[np.bool_]

    @property
    def n(self) -> int:
        """The number of patients."""
        return int(self.weeks.size)

    def recurrence_rate(self) -> float:
        """The share who had a recurrence within the follow-up."""
        return float(self.recurred.mean())

    def median_weeks(self) -> float | None:
        """The median time to recurrence; ``None`` when fewer than half recurred (censoring
        happens only at the end of follow-up, so this is the Kaplan-Meier median)."""
        if self.recurred.mean() < 0.5:
            return None
        return float(np.quantile(self.weeks, 0.5, method="inverted_cdf"))

    def restricted_mean(self) -> float:
        """The mean time free of recurrence within the follow-up (restricted mean survival)."""
        return float(self.weeks.mean())

    def summary(self) -> dict[str, Any]:
        """The arm's figures as a dict."""
        return {
            "n": self.n,
            "arm": self.arm,
            "seed": self.seed,
            "follow_up_weeks": self.follow_up,
            "recurrence_rate": self.recurrence_rate(),
            "median_weeks": self.median_weeks(),
            "restricted_mean_weeks": self.restricted_mean(),
        }


def simulate_recurrence(
    n: int, *, seed: int, arm: str = "ipt", weeks: int = 156, hazard: float | None = None
) -> Recurrence:
    """Simulate ``n`` remitted patients of ``arm`` followed for ``weeks`` (three years by default).

    Args:
        n: how many patients (1 or more).
        seed: a whole number of 0 or more.
        arm: ``"ipt"`` (monthly maintenance IPT) or ``"control"`` (placebo, clinic visits).
        weeks: the length of follow-up in weeks.
        hazard: a weekly hazard of recurrence of your own instead of the calibrated one.

    >>> simulate_recurrence(3, seed=1, arm="placebo")
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: arm: must be 'ipt' or 'control', got 'placebo'
    """
    n = whole_number("n", n, 1, MAX_CASES)
    seed = seed_number(seed)
    weeks = whole_number("weeks", weeks, 1)
    if arm not in RECURRENCE:
        raise IptError(f"arm: must be 'ipt' or 'control', got {arm!r}")
    rate = RECURRENCE[arm].hazard if hazard is None else hazard
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate < math.inf:
        raise IptError(f"hazard: must be a number above 0, got {hazard!r}")
    key = (_RECURRENCE_KEY, 0 if arm == "ipt" else 1)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))
    time = rng.exponential(1.0 / rate, n)
    recurred = time <= weeks
    return Recurrence(
        arm=arm,
        seed=seed,
        follow_up=weeks,
        weeks=np.minimum(time, float(weeks)),
        recurred=recurred,
    )
