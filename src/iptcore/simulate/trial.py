"""A simulated two-arm trial and its analysis: the estimand, three analyses, and the outcomes.

:func:`simulate_trial` randomises ``n_per_arm`` simulated cases to each arm of a protocol's
calibration (:mod:`iptcore.simulate.calibration`) and analyses the HAM-D (or other) scores as a
trial would. The estimand: the difference between arms in mean change from baseline at the last
scheduled assessment, in all randomised patients (intention to treat). Three analyses estimate it:

- ``mmrm``: the mixed model for repeated measures of Mallinckrodt et al. 2008
  [MALLINCKRODT2008] on every post-baseline visit (every session's column; a visit with no score
  is missing): change at visit ``t`` = ``mu_t + gamma_t * baseline + delta_t * arm``, with an
  unstructured covariance over the visits (each variance and covariance its own parameter),
  fitted by REML with the EM algorithm for incomplete normal data (Laird, Lange & Stram 1987
  [LAIRD1987]) in numpy (:mod:`iptcore.simulate._mmrm`). The effect is ``delta_T``, the arm
  difference at the last visit, with a t interval whose degrees of freedom are those of the last
  visit's own regression (patients scored there minus 3). It uses every observed score and is
  valid when dropout is missing at random. The covariance must be unstructured because the
  simulated scores wander as random walks: their variance grows and their correlation falls with
  the gap between visits, so a random intercept (compound symmetry) understates the variance of
  the last-visit contrast and rejected a true null about 11% of the time at alpha 0.05; the
  unstructured model rejects it at 5% within its Monte Carlo error (``docs/simulation.md``).
- ``completers``: the difference in mean change among those who completed (Welch).
- ``locf``: the difference in mean change with each dropout's last observed score carried
  forward (the cohort's ``end``), over everyone randomised.

Each comes with its 95% interval (normal approximation for ``completers`` and ``locf``, the
the t interval above for ``mmrm``). Response, remission and Hedges' g (Hedges & Olkin 1985
[HEDGES-OLKIN1985] variance) come with theirs. A null trial (``null=True``: both arms drawn from
the control arm's model, independently) has an effect of zero, so the share of null trials whose
interval excludes zero is each analysis's type I error rate under the cohort's missing-data
mechanism.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, Final

import attrs
import numpy as np

from iptcore.errors import IptError
from iptcore.protocols import Protocol
from iptcore.simulate._model import MAX_CASES, SimulationParams, seed_number, whole_number
from iptcore.simulate.cohort import Cohort, simulate_cohort

__all__ = ["ESTIMAND", "Estimate", "Trial", "simulate_trial"]

#: The estimand every analysis of :class:`Trial` targets.
ESTIMAND: Final = (
    "difference (IPT minus control) in mean change from baseline at the last scheduled "
    "assessment, in all randomised patients (intention to treat); negative favours IPT"
)
_Z: Final = NormalDist().inv_cdf(0.975)


@attrs.frozen(kw_only=True)
class Estimate:
    """An estimate with its 95% interval."""

    estimate: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval excludes zero (significant at the two-sided 5% level)."""
        return self.low > 0 or self.high < 0


def _normal(estimate: float, se: float) -> Estimate:
    return Estimate(estimate=estimate, low=estimate - _Z * se, high=estimate + _Z * se)


def _difference(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> Estimate:
    """Mean of ``a`` minus mean of ``b``, with Welch's standard error."""
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return _normal(float(a.mean() - b.mean()), se)


def _rates(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> Estimate:
    """Difference of two proportions with its Wald interval."""
    p, q = float(a.mean()), float(b.mean())
    return _normal(p - q, math.sqrt(p * (1 - p) / a.size + q * (1 - q) / b.size))


@attrs.frozen(kw_only=True, eq=False)
class Trial:
    """A simulated two-arm trial: both cohorts (with every session's score) and their analyses."""

    ipt: Cohort
    control: Cohort
    null: bool

    @property
    def n_per_arm(self) -> int:
        """Patients randomised to each arm."""
        return self.ipt.n

    @property
    def estimand(self) -> str:
        """What the analyses estimate (:data:`ESTIMAND`)."""
        return ESTIMAND

    @property
    def mechanism(self) -> str:
        """The missing-data mechanism of the treated arm (MCAR, MAR or MNAR)."""
        return self.ipt.mechanism

    def locf(self) -> Estimate:
        """Mean change, last observation carried forward, over everyone randomised."""
        return _difference(self.ipt.change.astype(float), self.control.change.astype(float))

    def completers(self) -> Estimate:
        """Mean change among those who completed the course."""
        a = self.ipt.change[~self.ipt.dropped_out].astype(float)
        b = self.control.change[~self.control.dropped_out].astype(float)
        if a.size < 2 or b.size < 2:
            raise IptError("completers: fewer than 2 completers in an arm")
        return _difference(a, b)

    def response(self) -> Estimate:
        """Difference in response rates (at least 50% reduction), LOCF."""
        return _rates(self.ipt.response, self.control.response)

    def remission(self) -> Estimate:
        """Difference in remission rates, LOCF."""
        return _rates(self.ipt.remission, self.control.remission)

    def hedges_g(self) -> Estimate:
        """Hedges' g of end scores (positive favours IPT) with the Hedges & Olkin interval."""
        g = self.ipt.effect_size(self.control)
        n1, n2 = self.ipt.n, self.control.n
        return _normal(g, math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2))))

    def to_long(self) -> Any:
        """Every observed score in long (tidy) form: one row per patient and session, with
        columns ``arm``, ``case``, ``session``, ``week`` (column index, baseline 0), ``baseline``,
        ``score`` and ``change``; sessions without a score are left out. Needs pandas."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - exercised by monkeypatching the import
            raise ImportError(
                "Trial.to_long needs the 'dataframe' extra: pip install \"iptcore[dataframe]\""
            ) from None
        frames = []
        for cohort in (self.ipt, self.control):
            scores = cohort.trajectories(slice(None))
            case, week = np.nonzero(~np.isnan(scores[:, 1:]))
            week += 1
            numbers = np.asarray(cohort.sessions)
            score = scores[case, week]
            frames.append(
                pd.DataFrame(
                    {
                        "arm": cohort.arm if not self.null or cohort is self.control else "ipt",
                        "case": case,
                        "session": numbers[week - 1],
                        "week": week,
                        "baseline": cohort.baseline[case].astype(float),
                        "score": score,
                        "change": score - cohort.baseline[case],
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)

    def mmrm(self) -> Estimate:
        """The mixed model for repeated measures with an unstructured covariance over the visits
        (see the module docstring); its 95% interval is a t interval.

        Raises:
            ImportError: when scipy is not installed (``pip install "iptcore[stats]"``).
            IptError: when the model cannot be fitted (no scores at the last visit, or a singular
                covariance).
        """
        try:
            from scipy.stats import t as student
        except ImportError:  # pragma: no cover - exercised by monkeypatching the import
            raise ImportError(
                "Trial.mmrm needs scipy, the 'stats' extra: pip install \"iptcore[stats]\""
            ) from None
        from iptcore.simulate._mmrm import fit_mmrm

        arms = (self.ipt, self.control)
        scores = np.concatenate([cohort.trajectories(slice(None)) for cohort in arms])
        baseline = np.concatenate([cohort.baseline for cohort in arms]).astype(float)
        treated = np.repeat([1.0, 0.0], [self.ipt.n, self.control.n])
        change = scores[:, 1:] - baseline[:, None]
        if change.shape[1] == 0 or int((~np.isnan(change[:, -1])).sum()) < 5:
            raise IptError("mmrm: fewer than 5 patients have a score at the last visit")
        try:
            estimate, se, df = fit_mmrm(change, baseline, treated)
        except np.linalg.LinAlgError as error:
            raise IptError(f"mmrm: the model cannot be fitted ({error})") from None
        half = float(student.ppf(0.975, df)) * se
        return Estimate(estimate=estimate, low=estimate - half, high=estimate + half)

    def analyses(self, *, mmrm: bool = True) -> dict[str, Estimate]:
        """Every analysis by name (``mmrm`` left out when asked, e.g. without scipy)."""
        out = {"locf": self.locf(), "completers": self.completers()}
        if mmrm:
            out["mmrm"] = self.mmrm()
        return out


def simulate_trial(
    n_per_arm: int,
    *,
    seed: int,
    protocol: str | Protocol = "ipt",
    params: SimulationParams | None = None,
    null: bool = False,
) -> Trial:
    """Simulate a two-arm trial of ``protocol`` against its calibrated control.

    Args:
        n_per_arm: patients randomised to each arm (2 or more).
        seed: a whole number of 0 or more.
        protocol: a calibrated protocol (or any, with ``params``).
        params: the model's parameters for both arms; the calibration's by default.
        null: draw both arms from the control arm's model (independently): a trial whose true
            effect is zero.

    >>> trial = simulate_trial(200, seed=1)
    >>> trial.locf().estimate < 0, trial.hedges_g().estimate > 0
    (True, True)
    """
    n = whole_number("n_per_arm", n_per_arm, 2, MAX_CASES)
    seed = seed_number(seed)
    control = simulate_cohort(
        n, seed=seed, protocol=protocol, params=params, arm="control", keep_trajectories=True
    )
    if null:
        other = int(np.random.SeedSequence(seed, spawn_key=(4,)).generate_state(1, np.uint64)[0])
        treated = simulate_cohort(
            n, seed=other, protocol=protocol, params=params, arm="control", keep_trajectories=True
        )
    else:
        treated = simulate_cohort(
            n, seed=seed, protocol=protocol, params=params, keep_trajectories=True
        )
    return Trial(ipt=treated, control=control, null=bool(null))
