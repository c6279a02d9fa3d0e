"""Power by simulation: the share of simulated trials whose analysis detects the effect.

:func:`power` simulates ``trials`` two-arm trials (:func:`iptcore.simulate.simulate_trial`) at each
sample size asked for, analyses each with one of the trial's analyses (``mmrm``, ``completers``
or ``locf``; :mod:`iptcore.simulate.trial` states the estimand) and counts the trials whose
two-sided test at level ``alpha`` rejects "no difference". The test is the Wald test of each
analysis's estimate, ``z = estimate / se`` against the standard normal, the same normal
approximation as the analyses' 95% intervals. The power is the share of trials that reject; its
Monte Carlo standard error is ``sqrt(p (1 - p) / trials)``, the binomial standard error of a
proportion estimated from ``trials`` independent trials (Morris et al. 2019 [MORRIS2019]).

Every trial has its own seed: trial ``i`` of a study with seed ``s`` is simulated with the
integer drawn from ``numpy.random.SeedSequence(s, spawn_key=(i,))`` (the ``i``-th child of
``SeedSequence(s)``). The seed depends on neither the sample size nor which process runs the trial,
so a study is identical bit for bit however it is split into tasks and whichever
:class:`concurrent.futures.Executor` runs them (a process pool, Dask's ``Client.get_executor()``).
Trial ``i`` at every sample size uses the same seed, and a cohort of ``m`` cases is the first ``m``
of a larger one with that seed, so the points of a curve share their first patients (common random
numbers): the curve is smoother than independent points would give, and each point's Monte
Carlo error is still its own binomial error.

A null study (``null=True``: both arms from the control arm's model) estimates each analysis's
type I error rate: its rejection rate should lie within its Monte Carlo error of ``alpha``.

:func:`two_sample_n` and :func:`two_sample_power` give the closed-form answer for comparison: for a
standardised difference ``d`` between two means, a two-sided test at level ``alpha`` has power
``1 - beta`` with ``n = 2 ((z_{1-alpha/2} + z_{1-beta}) / d) ** 2`` patients per arm (the normal
approximation of Cohen 1988 [COHEN1988], chapter 2).

>>> study = power([40, 80], trials=40, seed=3, analysis="locf", protocol="ipt-b")
>>> [point.n_per_arm for point in study.points]
[40, 80]
>>> 0 <= study.points[0].power <= study.points[1].power <= 1
True
>>> round(two_sample_n(0.5), 1)                 # Cohen 1988: about 63 per group for d = 0.5
62.8
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Callable, Sequence
from statistics import NormalDist
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from iptcore._checks import quote
from iptcore.errors import IptError
from iptcore.protocols import Protocol, resolve
from iptcore.simulate._model import (
    MAX_CASES,
    SimulationParams,
    seed_number,
    whole_number,
)

__all__ = [
    "ANALYSES",
    "Power",
    "PowerPoint",
    "power",
    "trial_seed",
    "two_sample_n",
    "two_sample_power",
]

#: The analyses :func:`power` can count rejections of (methods of :class:`~iptcore.simulate.Trial`).
ANALYSES: Final = ("mmrm", "completers", "locf")

_NORMAL: Final = NormalDist()
# The analyses' intervals are estimate +/- _Z95 * se (iptcore.simulate.trial), so se comes back.
_Z95: Final = _NORMAL.inv_cdf(0.975)

Progress = Callable[[int, int], object]
Float = npt.NDArray[np.float64]


def trial_seed(seed: int, trial: int) -> int:
    """The seed of trial number ``trial`` of a study with ``seed``: a 64-bit integer drawn from
    ``SeedSequence(seed, spawn_key=(trial,))``.

    >>> trial_seed(1, 0) == trial_seed(1, 0) != trial_seed(1, 1)
    True
    """
    state = np.random.SeedSequence(seed, spawn_key=(trial,)).generate_state(1, np.uint64)
    return int(state[0])


def _two_sided(alpha: float) -> float:
    return _NORMAL.inv_cdf(1.0 - alpha / 2.0)


def _check_share(value: object, name: str) -> float:
    """``value`` as a float strictly between 0 and 1; refused naming the argument ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise IptError(f"{name}: must be a number between 0 and 1, got {quote(value)}")
    return float(value)


def _check_d(effect_size: object) -> float:
    if (
        isinstance(effect_size, bool)
        or not isinstance(effect_size, int | float)
        or not math.isfinite(effect_size)
        or effect_size == 0
    ):
        raise IptError(f"effect_size: must be a number other than 0, got {effect_size!r}")
    return abs(float(effect_size))


def two_sample_n(effect_size: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Patients per arm for a two-sided two-sample test of means to reach ``power``:
    ``2 ((z_{1-alpha/2} + z_{power}) / d) ** 2`` (the normal approximation; Cohen 1988
    [COHEN1988], whose tables, built on the t distribution, give one or two more for small n).

    >>> round(two_sample_n(0.6), 1), round(two_sample_n(0.2, power=0.9), 1)
    (43.6, 525.4)
    """
    d = _check_d(effect_size)
    alpha = _check_share(alpha, "alpha")
    beta_z = _NORMAL.inv_cdf(_check_share(power, "power"))
    return 2.0 * ((_two_sided(alpha) + beta_z) / d) ** 2


def two_sample_power(effect_size: float, n_per_arm: float, *, alpha: float = 0.05) -> float:
    """The power of a two-sided two-sample test of means with ``n_per_arm`` patients per arm:
    ``Phi(d sqrt(n / 2) - z_{1-alpha/2}) + Phi(-d sqrt(n / 2) - z_{1-alpha/2})`` (the normal
    approximation; Cohen 1988 [COHEN1988]).

    >>> round(two_sample_power(0.5, 64), 3)
    0.807
    """
    d = _check_d(effect_size)
    alpha = _check_share(alpha, "alpha")
    if isinstance(n_per_arm, bool) or not isinstance(n_per_arm, int | float) or n_per_arm <= 0:
        raise IptError(f"n_per_arm: must be a number above 0, got {n_per_arm!r}")
    shift, z = d * math.sqrt(n_per_arm / 2.0), _two_sided(alpha)
    return _NORMAL.cdf(shift - z) + _NORMAL.cdf(-shift - z)


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


@attrs.frozen(kw_only=True, eq=False)
class PowerPoint:
    """The simulated trials at one sample size: each trial's estimate and p value, and the share
    that reject at ``alpha``.

    ``estimates`` and ``p_values`` have one entry per trial, in trial order; a trial whose
    analysis could not be computed (e.g. fewer than 2 completers in an arm, or a mixed model that
    did not converge to a finite standard error) has NaN for both, counts in ``failures`` and
    does not reject.
    """

    n_per_arm: int
    alpha: float
    estimates: Float = attrs.field(converter=_readonly)
    p_values: Float = attrs.field(converter=_readonly)

    @property
    def trials(self) -> int:
        """How many trials were simulated."""
        return int(self.p_values.size)

    @property
    def rejections(self) -> int:
        """How many trials rejected "no difference" at ``alpha``."""
        return int(np.count_nonzero(self.p_values < self.alpha))

    @property
    def failures(self) -> int:
        """How many trials' analysis could not be computed (counted as not rejecting)."""
        return int(np.count_nonzero(np.isnan(self.p_values)))

    @property
    def power(self) -> float:
        """The share of trials that rejected."""
        return self.rejections / self.trials

    @property
    def mc_se(self) -> float:
        """The Monte Carlo standard error of :attr:`power`: ``sqrt(p (1 - p) / trials)``."""
        p = self.power
        return math.sqrt(p * (1.0 - p) / self.trials)

    @property
    def mean_estimate(self) -> float:
        """The mean estimate over the trials that could be analysed (NaN when none could)."""
        finite = self.estimates[~np.isnan(self.estimates)]
        return float(finite.mean()) if finite.size else math.nan

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (not the per-trial arrays)."""
        return {
            "n_per_arm": self.n_per_arm,
            "trials": self.trials,
            "alpha": self.alpha,
            "rejections": self.rejections,
            "failures": self.failures,
            "power": self.power,
            "mc_se": self.mc_se,
            "mean_estimate": self.mean_estimate,
        }


@attrs.frozen(kw_only=True, eq=False)
class Power:
    """A power study: one :class:`PowerPoint` per sample size, and what was simulated."""

    points: tuple[PowerPoint, ...]
    analysis: str
    alpha: float
    seed: int
    protocol: str
    null: bool
    params: SimulationParams | None

    @property
    def trials(self) -> int:
        """Trials per sample size."""
        return self.points[0].trials

    def smallest_n(self, target: float = 0.8) -> int | None:
        """The smallest sample size per arm whose simulated power reaches ``target`` (``None``
        when none does). Read it with the points' Monte Carlo errors in mind."""
        target = _check_share(target, "target")
        return next((p.n_per_arm for p in self.points if p.power >= target), None)

    def describe(self) -> str:
        """One line per sample size: the power and its Monte Carlo standard error.

        >>> print(power([30], trials=20, seed=1, analysis="completers").describe())
        ... # doctest: +ELLIPSIS
        power of completers at alpha 0.05, protocol ipt, 20 trials per size, seed 1
          n = 30 per arm: power ... (Monte Carlo SE ...); ... of 20 rejected
        """
        kind = "type I error (null)" if self.null else "power"
        head = (
            f"{kind} of {self.analysis} at alpha {self.alpha:g}, protocol {self.protocol}, "
            f"{self.trials} trials per size, seed {self.seed}"
        )
        lines = [head]
        for p in self.points:
            failed = f"; {p.failures} could not be analysed" if p.failures else ""
            lines.append(
                f"  n = {p.n_per_arm} per arm: {kind.split(' (')[0]} {p.power:.3f} "
                f"(Monte Carlo SE {p.mc_se:.3f}); {p.rejections} of {p.trials} rejected{failed}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: what was simulated and each point's summary."""
        return {
            "analysis": self.analysis,
            "alpha": self.alpha,
            "seed": self.seed,
            "protocol": self.protocol,
            "null": self.null,
            "params": None if self.params is None else self.params.to_dict(),
            "points": [p.to_dict() for p in self.points],
        }


def _p_value(estimate: float, low: float, high: float) -> float:
    se = (high - low) / (2.0 * _Z95)
    if not (math.isfinite(estimate) and math.isfinite(se) and se > 0):
        return math.nan
    return 2.0 * _NORMAL.cdf(-abs(estimate) / se)


def _run_trials(
    n: int,
    first: int,
    stop: int,
    seed: int,
    protocol: Any,
    params: SimulationParams | None,
    null: bool,
    analysis: str,
) -> tuple[list[float], list[float]]:
    """Trials ``first..stop-1`` at ``n`` per arm: one task of an executor."""
    from iptcore.simulate.trial import simulate_trial

    estimates, p_values = [], []
    for i in range(first, stop):
        trial = simulate_trial(
            n, seed=trial_seed(seed, i), protocol=protocol, params=params, null=null
        )
        try:
            result = getattr(trial, analysis)()
        except (IptError, ArithmeticError, ValueError):
            # Too few completers, a singular mixed model: the trial cannot be analysed.
            estimates.append(math.nan)
            p_values.append(math.nan)
            continue
        p = _p_value(result.estimate, result.low, result.high)
        estimates.append(result.estimate if not math.isnan(p) else math.nan)
        p_values.append(p)
    return estimates, p_values


def _sizes(n_per_arm: int | Sequence[int]) -> tuple[int, ...]:
    listed = (n_per_arm,) if isinstance(n_per_arm, int | np.integer) else n_per_arm
    if isinstance(listed, str | bytes) or not isinstance(listed, Sequence | np.ndarray):
        raise IptError(f"n_per_arm: must be a whole number or a list of them, got {n_per_arm!r}")
    sizes = tuple(whole_number("n_per_arm", n, 2, MAX_CASES) for n in listed)
    if not sizes:
        raise IptError("n_per_arm: give at least one sample size")
    if len(set(sizes)) != len(sizes):
        raise IptError(f"n_per_arm: each sample size once, got {list(sizes)}")
    return sizes


def power(
    n_per_arm: int | Sequence[int],
    *,
    seed: int,
    trials: int = 1000,
    alpha: float = 0.05,
    analysis: str = "mmrm",
    protocol: str | Protocol = "ipt",
    params: SimulationParams | None = None,
    null: bool = False,
    executor: cf.Executor | None = None,
    trials_per_task: int | None = None,
    progress: Progress | None = None,
) -> Power:
    """Simulate ``trials`` trials at each sample size and count those whose ``analysis`` rejects.

    Args:
        n_per_arm: a sample size per arm, or a list of them (each 2 or more, each once).
        seed: a whole number of 0 or more; trial ``i`` uses :func:`trial_seed` ``(seed, i)``.
        trials: trials per sample size (1 or more).
        alpha: the two-sided level of each trial's test.
        analysis: ``"mmrm"`` (needs the ``stats`` extra; about half a second a trial at 200 per
            arm on 16 sessions), ``"completers"`` or ``"locf"`` (a few milliseconds a trial).
        protocol: a calibrated protocol, or any with ``params`` (as :func:`simulate_trial`).
        params: the model's parameters for both arms; the calibration's by default.
        null: both arms from the control arm's model: the rejection rate is the type I error.
        executor: any :class:`concurrent.futures.Executor` to run the trials on; ``None`` runs
            them here. The result is identical whatever runs it.
        trials_per_task: trials per task (a tuning knob that never changes the result); by
            default about 16 tasks per sample size, at most 100 trials each.
        progress: called as ``progress(trials_done, total)`` each time a task finishes.

    Raises:
        IptError: for an argument out of range or of the wrong kind, naming it; an uncalibrated
            protocol without ``params`` (as :func:`simulate_cohort`).
    """
    sizes = _sizes(n_per_arm)
    seed = seed_number(seed)
    trials = whole_number("trials", trials, 1)
    alpha = _check_share(alpha, "alpha")
    if analysis not in ANALYSES:
        raise IptError(f"analysis: must be one of {', '.join(ANALYSES)}, got {analysis!r}")
    if params is not None and not isinstance(params, SimulationParams):
        raise IptError(f"params: must be a SimulationParams, got {type(params).__name__}")
    if executor is not None and not isinstance(executor, cf.Executor):
        raise IptError(f"executor: must be a concurrent.futures.Executor, got {executor!r}")
    if progress is not None and not callable(progress):
        raise IptError(f"progress: must be callable, got {progress!r}")
    per_task = (
        max(1, min(100, -(-trials // 16)))
        if trials_per_task is None
        else whole_number("trials_per_task", trials_per_task, 1)
    )
    if analysis == "mmrm":
        try:
            import scipy  # noqa: F401
        except ImportError:  # pragma: no cover - exercised by monkeypatching the import
            raise ImportError(
                "power with mmrm needs scipy, the 'stats' extra: pip install \"iptcore[stats]\""
            ) from None
    from iptcore.simulate.trial import simulate_trial

    name = resolve(protocol).name
    # Fail here, once, for an uncalibrated protocol or bad params, rather than in every task.
    simulate_trial(2, seed=0, protocol=protocol, params=params)

    estimates = np.full((len(sizes), trials), np.nan)
    p_values = np.full((len(sizes), trials), np.nan)
    tasks = [(k, first) for k in range(len(sizes)) for first in range(0, trials, per_task)]
    total, done = len(sizes) * trials, 0

    def store(k: int, first: int, part: tuple[list[float], list[float]]) -> None:
        nonlocal done
        stop = first + len(part[0])
        estimates[k, first:stop] = part[0]
        p_values[k, first:stop] = part[1]
        done += len(part[0])
        if progress is not None:
            progress(done, total)

    def arguments(k: int, first: int) -> tuple[Any, ...]:
        stop = min(first + per_task, trials)
        return (sizes[k], first, stop, seed, protocol, params, bool(null), analysis)

    if executor is None:
        for k, first in tasks:
            store(k, first, _run_trials(*arguments(k, first)))
    else:
        pending = {
            executor.submit(_run_trials, *arguments(k, first)): (k, first) for k, first in tasks
        }
        try:
            for future in cf.as_completed(pending):
                store(*pending.pop(future), future.result())
        finally:
            for future in pending:
                future.cancel()
    points = tuple(
        PowerPoint(
            n_per_arm=n, alpha=alpha, estimates=estimates[k].copy(), p_values=p_values[k].copy()
        )
        for k, n in enumerate(sizes)
    )
    return Power(
        points=points,
        analysis=analysis,
        alpha=alpha,
        seed=seed,
        protocol=name,
        null=bool(null),
        params=params,
    )
