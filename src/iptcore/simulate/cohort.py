"""Simulation for researchers: million-case cohorts on any executor, and single cases session by session.

:func:`simulate_cohort` runs the trajectory model of :mod:`iptcore.simulate._model` over ``n`` cases,
vectorised with numpy in blocks of :data:`~iptcore.simulate._model.BLOCK_SIZE`; a
:class:`concurrent.futures.Executor` (a process pool, Dask's ``Client.get_executor()``) may run the
blocks, and the result is identical bit for bit to the serial one. A :class:`Cohort` keeps one row
per case (baseline, end score, sessions attended, dropped out, area), not one object per session;
its summaries are intention-to-treat over all ``n`` cases (a case that drops out keeps its last
observed score). Each protocol's defaults are calibrated to its published figures
(:mod:`iptcore.simulate.calibration`, ``docs/simulation.md``).

The library never prints: pass ``progress`` to be told how far a long run has got.

>>> ipt = simulate_cohort(2000, seed=7)
>>> control = simulate_cohort(2000, seed=7, arm="control")
>>> s = ipt.summary()
>>> s["n"], 0 < s["remission_rate"] < 1, ipt.effect_size(control) > 0
(2000, True, True)
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from typing import Any, Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from iptcore import _checks
from iptcore.errors import IptError
from iptcore.measures import INSTRUMENTS, Instrument
from iptcore.protocols import Protocol, resolve
from iptcore.simulate._model import (
    AREAS,
    ARMS,
    BLOCK_SIZE,
    MAX_CASES,
    Arrays,
    Design,
    Int8,
    SimulationParams,
    run_block,
    seed_number,
    whole_number,
)
from iptcore.simulate.calibration import CALIBRATIONS, UNCALIBRATED, TargetCheck
from iptcore.terms import ProblemArea

__all__ = ["COLUMNS", "Cohort", "check_calibration", "simulate_cohort"]

#: The columns of :meth:`Cohort.rows` and :meth:`Cohort.to_dataframe`, in order.
COLUMNS: Final = (
    "case",
    "arm",
    "seed",
    "area",
    "baseline",
    "end",
    "change",
    "sessions_attended",
    "dropped_out",
    "dropout_session",
    "response",
    "remission",
)

Progress = Callable[[int, int], object]


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


@attrs.frozen(kw_only=True, eq=False)
class Cohort:
    """A simulated cohort: one row per case, kept as compact numpy arrays (read-only).

    ``baseline``, ``end`` (the last observed score), ``sessions_attended``, ``dropped_out``,
    ``dropout_session`` (the number of the session at which the case dropped out, ``-1`` for a
    case that did not) and ``area`` (codes into :data:`~iptcore.simulate.AREAS`) have one entry
    per case. Scores and counts are signed (``int16``), so ``end - baseline`` is the change, as
    :attr:`change` gives it. ``sessions`` are the numbers of the protocol's sessions (``0`` for an
    engagement session). ``scores`` holds every session's score when the cohort was simulated with
    ``keep_trajectories=True``.
    """

    design: Design
    protocol: str
    sessions: tuple[int, ...]
    baseline: npt.NDArray[np.int16] = attrs.field(converter=_readonly)
    end: npt.NDArray[np.int16] = attrs.field(converter=_readonly)
    sessions_attended: npt.NDArray[np.int16] = attrs.field(converter=_readonly)
    dropped_out: npt.NDArray[np.bool_] = attrs.field(converter=_readonly)
    dropout_session: npt.NDArray[np.int16] = attrs.field(converter=_readonly)
    area: npt.NDArray[np.int8] = attrs.field(converter=_readonly)
    scores: npt.NDArray[np.int8] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_readonly)
    )

    # -- what it is ----------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """The number of cases."""
        return self.design.n

    @property
    def seed(self) -> int:
        """The seed it was drawn with."""
        return self.design.seed

    @property
    def arm(self) -> str:
        """``"ipt"`` or ``"control"``."""
        return self.design.arm

    @property
    def params(self) -> SimulationParams:
        """The model's parameters."""
        return self.design.params

    @property
    def instrument(self) -> Instrument:
        """The instrument of every score."""
        return self.design.params.instrument

    @property
    def mechanism(self) -> str:
        """How its data are missing: ``"MCAR"``, ``"MAR"`` or ``"MNAR"``
        (:attr:`SimulationParams.mechanism`)."""
        return self.design.params.mechanism

    @property
    def change(self) -> npt.NDArray[np.int16]:
        """Per case: ``end - baseline``, negative when the case improved.

        >>> c = simulate_cohort(1000, seed=3)
        >>> bool(c.change.mean() < 0), c.change.dtype.name
        (True, 'int16')
        """
        return self.end - self.baseline

    @property
    def response(self) -> npt.NDArray[np.bool_]:
        """Per case: at least a 50% reduction from baseline (:func:`iptcore.is_response`)."""
        return (self.baseline > 0) & (2 * self.end.astype(np.int16) <= self.baseline)

    @property
    def remission(self) -> npt.NDArray[np.bool_]:
        """Per case: the end score counts as remission (:func:`iptcore.is_remission`).

        HAM-D <= 7, PHQ-9 < 5, GAD-7 < 5: the instrument's ``remission_max`` in
        :data:`iptcore.measures.INSTRUMENTS` [GUIDE].
        """
        return self.end <= INSTRUMENTS[self.instrument].remission_max

    def areas(self) -> tuple[ProblemArea, ...]:
        """The problem area of each case (a tuple of ``n`` enums: for small cohorts)."""
        return tuple(AREAS[code] for code in self.area.tolist())

    # -- statistics ------------------------------------------------------------------------------------
    def summary(self, *, area: ProblemArea | str | None = None) -> dict[str, Any]:
        """Intention-to-treat statistics over every case (or every case of one ``area``).

        Rates are shares of all the cases counted, dropouts included with their last observed
        score; no value is NaN. Standard deviations use ``n - 1`` (0.0 for a single case).

        Raises:
            IptError: for an unknown ``area``, or an area that no case has.

        >>> c = simulate_cohort(500, seed=3)
        >>> s = c.summary()
        >>> s["n"], s["remission_rate"], s["dropout_rate"], s["mean_end"]
        (500, 0.488, 0.2, 8.858)
        >>> grief = c.summary(area="grief")
        >>> grief["area"], grief["n"]
        ('grief', 113)
        """
        mask: npt.NDArray[np.bool_] | None = None
        if area is not None:
            chosen = _area(area)
            mask = self.area == AREAS.index(chosen)
            if not mask.any():
                raise IptError(f"area: no case of this cohort has area {chosen.value!r}")

        def pick(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values if mask is None else values[mask]

        baseline = pick(self.baseline).astype(np.float64)
        end = pick(self.end).astype(np.float64)
        count = int(baseline.size)

        def sd(values: npt.NDArray[np.float64]) -> float:
            return float(values.std(ddof=1)) if count > 1 else 0.0

        return {
            "n": count,
            "arm": self.arm,
            "protocol": self.protocol,
            "instrument": self.instrument.value,
            "seed": self.seed,
            "area": None if area is None else _area(area).value,
            "sessions_planned": len(self.sessions),
            "mean_baseline": float(baseline.mean()),
            "sd_baseline": sd(baseline),
            "mean_end": float(end.mean()),
            "sd_end": sd(end),
            "mean_change": float((end - baseline).mean()),
            "mean_sessions_attended": float(pick(self.sessions_attended).mean(dtype=np.float64)),
            "response_rate": float(pick(self.response).mean(dtype=np.float64)),
            "remission_rate": float(pick(self.remission).mean(dtype=np.float64)),
            "dropout_rate": float(pick(self.dropped_out).mean(dtype=np.float64)),
            "missing_mechanism": self.params.mechanism,
        }

    def effect_size(self, other: Cohort) -> float:
        """Hedges' g of end scores against ``other``: positive when this cohort ends lower.

        ``g = J * (mean_other - mean_self) / s_pooled`` with
        ``s_pooled = sqrt(((n1 - 1) s1^2 + (n2 - 1) s2^2) / (n1 + n2 - 2))`` and the small-sample
        correction ``J = 1 - 3 / (4 (n1 + n2) - 9)`` (Hedges 1981), the statistic of Cuijpers et
        al. 2016.

        Raises:
            IptError: when ``other`` is not a :class:`Cohort`, is on another instrument, or the two
                have fewer than 3 cases between them or no spread at all.
        """
        _checks.argument("other", other, Cohort, "an iptcore.simulate.Cohort")
        if other.instrument is not self.instrument:
            raise IptError(
                f"other: end scores are on {other.instrument.value}, this cohort's on "
                f"{self.instrument.value}; an effect size needs one instrument"
            )
        n1, n2 = self.n, other.n
        if n1 + n2 < 3:
            raise IptError(f"effect_size needs at least 3 cases in all, got {n1 + n2}")
        a = self.end.astype(np.float64)
        b = other.end.astype(np.float64)
        ss = float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
        pooled = math.sqrt(ss / (n1 + n2 - 2))
        if pooled == 0.0:
            raise IptError("effect_size is undefined: every end score is the same")
        correction = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0)
        return correction * float(b.mean() - a.mean()) / pooled

    # -- per-case views -----------------------------------------------------------------------------------
    def rows(
        self,
    ) -> Iterator[tuple[int, str, int, str, int, int, int, int, bool, int | None, bool, bool]]:
        """One tuple per case in the order of :data:`COLUMNS` (for a CSV writer); the dropout
        session is ``None`` for a case that did not drop out.

        >>> next(simulate_cohort(3, seed=1).rows())[:4]
        (0, 'ipt', 1, 'role_dispute')
        """
        names = [area.value for area in AREAS]
        response, remission = self.response, self.remission
        step = 65_536  # convert in slices: the memory of a few lists, whatever n is
        for start in range(0, self.n, step):
            part = slice(start, start + step)
            stop = min(self.n, start + step)
            yield from zip(
                range(start, stop),
                repeat(self.arm, stop - start),
                repeat(self.seed, stop - start),
                (names[code] for code in self.area[part].tolist()),
                self.baseline[part].tolist(),
                self.end[part].tolist(),
                (self.end[part] - self.baseline[part]).tolist(),
                self.sessions_attended[part].tolist(),
                self.dropped_out[part].tolist(),
                (None if at < 0 else at for at in self.dropout_session[part].tolist()),
                response[part].tolist(),
                remission[part].tolist(),
                strict=True,
            )

    def to_dataframe(self) -> Any:
        """The cases as a pandas ``DataFrame`` (one row per case, columns :data:`COLUMNS`).

        Scores are signed integers, ``change`` is ``end - baseline``, and ``dropout_session`` is a
        nullable integer, missing (``<NA>``) for a case that did not drop out. ``seed`` is int64,
        or Python ints (object) for a seed of 2**63 or more.

        >>> frame = simulate_cohort(1000, seed=3).to_dataframe()
        >>> bool((frame.end - frame.baseline).mean() < 0), list(frame.columns[:3])
        (True, ['arm', 'seed', 'area'])

        Raises:
            ImportError: when pandas is not installed (``pip install "iptcore[dataframe]"``).
        """
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - exercised by monkeypatching the import
            raise ImportError(
                "Cohort.to_dataframe needs the 'dataframe' extra: pip install \"iptcore[dataframe]\""
            ) from None
        frame = pd.DataFrame(
            {
                "arm": pd.Categorical.from_codes(
                    np.full(self.n, ARMS[self.arm], dtype=np.int8), categories=list(ARMS)
                ),
                # int64 holds every seed below 2**63; a larger one (seeds go to 2**128 - 1)
                # is kept whole, as Python ints.
                "seed": np.full(self.n, self.seed, dtype=np.int64 if self.seed < 2**63 else object),
                "area": pd.Categorical.from_codes(
                    self.area.astype(np.int8), categories=[a.value for a in AREAS]
                ),
                "baseline": self.baseline,
                "end": self.end,
                "change": self.change,
                "sessions_attended": self.sessions_attended,
                "dropped_out": self.dropped_out,
                "dropout_session": pd.arrays.IntegerArray(
                    self.dropout_session.copy(), ~self.dropped_out
                ),
                "response": self.response,
                "remission": self.remission,
            }
        )
        frame.index.name = "case"
        return frame

    def trajectories(
        self, cases: Sequence[int] | range | slice, *, carry_forward: bool = False
    ) -> npt.NDArray[np.float64]:
        """Each session's score for the ``cases`` given: one row per case, one column per session.

        Column 0 is the baseline, column ``j`` the session ``sessions[j - 1]``; a session missed or
        after dropout is NaN (or, with ``carry_forward``, the last observed score). The last
        observed score of each row is the case's ``end``. Cohorts simulated without
        ``keep_trajectories`` redraw only the blocks that hold the cases asked for.

        Raises:
            IptError: for a case index outside ``0..n-1``.

        >>> c = simulate_cohort(100, seed=5)
        >>> t = c.trajectories([0, 1], carry_forward=True)
        >>> t.shape == (2, len(c.sessions) + 1), bool((t[:, -1] == c.end[:2]).all())
        (True, True)
        """
        index = self._indices(cases)
        if self.scores is not None:
            raw = self.scores[index]
        else:
            raw = np.empty((index.size, len(self.sessions) + 1), dtype=np.int8)
            blocks = index // BLOCK_SIZE
            for block in np.unique(blocks).tolist():
                scores = cast(Int8, run_block(self.design, block, trajectories=True).scores)
                where = blocks == block
                raw[where] = scores[index[where] - block * BLOCK_SIZE]
        out = raw.astype(np.float64)
        out[raw < 0] = np.nan
        if carry_forward:
            seen = np.where(raw >= 0, np.arange(raw.shape[1]), 0)
            out = np.take_along_axis(out, np.maximum.accumulate(seen, axis=1), axis=1)
        return out

    def _indices(self, cases: Sequence[int] | range | slice) -> npt.NDArray[np.intp]:
        if isinstance(cases, slice):
            return np.arange(self.n)[cases]
        if isinstance(cases, str | bytes) or not isinstance(cases, Sequence | range | np.ndarray):
            raise IptError(f"cases: must be a sequence of case indices or a slice, got {cases!r}")
        index = np.asarray(cases)
        if index.size and (index.ndim != 1 or not np.issubdtype(index.dtype, np.integer)):
            raise IptError(f"cases: must be whole numbers, got {cases!r}")
        index = index.astype(np.intp)
        if index.size and (index.min() < 0 or index.max() >= self.n):
            raise IptError(f"cases: indices must lie in 0..{self.n - 1}, got {cases!r}")
        return index

    # -- text and JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: the summary and the parameters it was drawn with."""
        return {"summary": self.summary(), "params": self.params.to_dict()}

    def describe(self) -> str:
        """A few lines for people: the arm, the protocol and the intention-to-treat outcomes.

        >>> print(simulate_cohort(1000, seed=2).describe())  # doctest: +ELLIPSIS
        1000 simulated cases, arm ipt, protocol ipt (16 sessions), HAM-D-17, seed 2
          baseline ... (SD ...); end ... (SD ...)
          response ...%, remission ...%, dropout ...%; sessions attended ...
        """
        s = self.summary()
        title = INSTRUMENTS[self.instrument].title
        return (
            f"{s['n']} simulated cases, arm {s['arm']}, protocol {s['protocol']} "
            f"({s['sessions_planned']} sessions), {title}, seed {s['seed']}\n"
            f"  baseline {s['mean_baseline']:.2f} (SD {s['sd_baseline']:.2f}); "
            f"end {s['mean_end']:.2f} (SD {s['sd_end']:.2f})\n"
            f"  response {100 * s['response_rate']:.1f}%, "
            f"remission {100 * s['remission_rate']:.1f}%, "
            f"dropout {100 * s['dropout_rate']:.1f}%; "
            f"sessions attended {s['mean_sessions_attended']:.2f}"
        )


def _area(value: ProblemArea | str) -> ProblemArea:
    return _checks.member(ProblemArea, "area", value)


# --------------------------------------------------------------------------------------------
# Running the blocks
# --------------------------------------------------------------------------------------------


def _run_task(design: Design, first: int, stop: int, keep: bool) -> Arrays:
    """Blocks ``first..stop-1`` of a cohort, concatenated: one task of an executor."""
    parts = [run_block(design, block, trajectories=keep) for block in range(first, stop)]
    if len(parts) == 1:
        return parts[0]
    scores = [p.scores for p in parts if p.scores is not None]
    return Arrays(
        baseline=np.concatenate([p.baseline for p in parts]),
        end=np.concatenate([p.end for p in parts]),
        sessions=np.concatenate([p.sessions for p in parts]),
        dropped=np.concatenate([p.dropped for p in parts]),
        dropped_at=np.concatenate([p.dropped_at for p in parts]),
        area=np.concatenate([p.area for p in parts]),
        scores=np.concatenate(scores) if scores else None,
    )


def simulate_cohort(
    n: int,
    *,
    seed: int,
    arm: str = "ipt",
    protocol: str | Protocol = "ipt",
    instrument: Instrument | str = "hamd17",
    executor: cf.Executor | None = None,
    params: SimulationParams | None = None,
    population: str | None = None,
    sessions: int | None = None,
    blocks_per_task: int | None = None,
    keep_trajectories: bool = False,
    progress: Progress | None = None,
) -> Cohort:
    """Simulate ``n`` cases through a course of ``protocol`` (or the control arm), vectorised.

    Args:
        n: how many cases (1 or more).
        seed: a whole number of 0 or more; with the other arguments it fixes every number drawn.
            The two arms drawn with one seed are independent samples; the same seed and arm give
            the same baselines, areas and responsiveness whatever else changes, and the same
            attendance draws while the number of sessions stays (a paired comparison).
        arm: ``"ipt"``, or ``"control"`` (the natural course, measured on the same schedule).
        protocol: a name of :data:`iptcore.PROTOCOLS` or a :class:`~iptcore.Protocol`; its
            sessions and their phases drive the model.
        instrument: the scale (``"hamd17"``, ``"phq9"``, ``"gad7"``); ``params``, when given,
            must be on the same one.
        executor: any :class:`concurrent.futures.Executor` (a process pool, Dask's
            ``Client.get_executor()``) to run the blocks; ``None`` runs them here. The result is
            identical bit for bit whatever runs it.
        params: the model's parameters; by default the protocol's calibration
            (:data:`iptcore.simulate.CALIBRATIONS`) on ``instrument``. A protocol without a
            published calibration (interpersonal counselling; maintenance, which is a recurrence
            model) is refused unless ``params`` are given.
        population: the population of the calibration (``"adults"``, ``"adolescents"``,
            ``"rural-uganda"``); ``None`` takes the protocol's. One without a calibration for
            this protocol is refused unless ``params`` are given.
        sessions: the number of numbered sessions, within what the protocol allows; its default
            when ``None``.
        blocks_per_task: how many blocks of :data:`BLOCK_SIZE` cases a task carries (a tuning
            knob: it never changes the result).
        keep_trajectories: also keep every session's score (``Cohort.scores``, ``n x (sessions +
            1)`` bytes).
        progress: called as ``progress(cases_done, n)`` each time a task finishes.

    Raises:
        IptError: for an argument out of range or of the wrong kind, naming it;
            :class:`~iptcore.ProtocolError` for a session count the protocol does not allow.

    >>> simulate_cohort(10, seed=1, protocol="ipt-b").sessions
    (0, 1, 2, 3, 4, 5, 6, 7, 8)
    >>> simulate_cohort(0, seed=1)
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: n: must be at least 1, got 0
    >>> simulate_cohort(10, seed=1, protocol="ipc")
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: protocol: 'ipc' has no published calibration (no published trial of interpersonal counselling is calibrated in iptcore); pass params=SimulationParams(...) to simulate it with parameters of your own
    """
    n = whole_number("n", n, 1, MAX_CASES)
    seed = seed_number(seed)
    if not isinstance(arm, str) or arm not in ARMS:
        raise IptError(f"arm: must be 'ipt' or 'control', got {_checks.quote(arm)}")
    chosen = resolve(protocol)
    count = chosen.default_sessions if sessions is None else chosen.check_count(sessions)
    numbers = tuple(range(chosen.first_number, count + 1))
    if len(numbers) > 120:  # int8 column indices of scores; ten years of monthly sessions
        raise IptError(f"sessions: at most 120 sessions can be simulated, got {len(numbers)}")
    if params is None:
        params = _calibrated(chosen.name, population, instrument)
    elif not isinstance(params, SimulationParams):
        raise IptError(f"params: must be a SimulationParams, got {type(params).__name__}")
    elif params.instrument is not SimulationParams(instrument=instrument).instrument:
        raise IptError(
            f"params: they are for {params.instrument.value} but instrument is {instrument!r}; "
            f"pass instrument={params.instrument.value!r} too"
        )
    if executor is not None and not isinstance(executor, cf.Executor):
        raise IptError(f"executor: must be a concurrent.futures.Executor, got {executor!r}")
    if progress is not None and not callable(progress):
        raise IptError(f"progress: must be callable, got {progress!r}")
    design = Design(
        n=n,
        seed=seed,
        arm=arm,
        phases=tuple(chosen.phase_of(number, count) for number in numbers),
        params=params,
    )
    per_task = (
        max(1, min(4, design.n_blocks // 8))
        if blocks_per_task is None
        else whole_number("blocks_per_task", blocks_per_task, 1)
    )
    arrays = _run(design, per_task, executor, bool(keep_trajectories), progress)
    return Cohort(
        design=design,
        protocol=chosen.name,
        sessions=numbers,
        baseline=arrays.baseline,
        end=arrays.end,
        sessions_attended=arrays.sessions,
        dropped_out=arrays.dropped,
        dropout_session=np.where(
            arrays.dropped_at >= 0, np.asarray(numbers, dtype=np.int16)[arrays.dropped_at], -1
        ).astype(np.int16),
        area=arrays.area,
        scores=arrays.scores,
    )


def _calibrated(
    protocol: str, population: str | None, instrument: Instrument | str
) -> SimulationParams:
    """The calibrated parameters of ``protocol`` (in ``population``), or an IptError saying why not."""

    calibration = CALIBRATIONS.get(protocol)
    own = "pass params=SimulationParams(...) to simulate it with parameters of your own"
    if calibration is None:
        why = UNCALIBRATED.get(protocol, "no published trial is calibrated")
        raise IptError(f"protocol: {protocol!r} has no published calibration ({why}); {own}")
    if population is not None and population != calibration.population:
        raise IptError(
            f"population: {protocol!r} is calibrated for {calibration.population!r} only, got "
            f"{population!r}; {own}"
        )
    return calibration.params(SimulationParams(instrument=instrument).instrument.value)


def _run(
    design: Design,
    per_task: int,
    executor: cf.Executor | None,
    keep: bool,
    progress: Progress | None,
) -> Arrays:
    """Run every block in tasks of ``per_task`` blocks; fill the cohort's arrays in case order."""
    n, width = design.n, len(design.phases) + 1
    out = Arrays(
        baseline=np.empty(n, dtype=np.int16),
        end=np.empty(n, dtype=np.int16),
        sessions=np.empty(n, dtype=np.int16),
        dropped=np.empty(n, dtype=np.bool_),
        dropped_at=np.empty(n, dtype=np.int16),
        area=np.empty(n, dtype=np.int8),
        scores=np.empty((n, width), dtype=np.int8) if keep else None,
    )
    starts = range(0, design.n_blocks, per_task)
    done = 0

    def store(first: int, part: Arrays) -> None:
        nonlocal done
        at = slice(first * BLOCK_SIZE, first * BLOCK_SIZE + len(part.end))
        out.baseline[at] = part.baseline
        out.end[at] = part.end
        out.sessions[at] = part.sessions
        out.dropped[at] = part.dropped
        out.dropped_at[at] = part.dropped_at
        out.area[at] = part.area
        if out.scores is not None and part.scores is not None:
            out.scores[at] = part.scores
        done += len(part.end)
        if progress is not None:
            progress(done, n)

    if executor is None:
        for first in starts:
            store(first, _run_task(design, first, min(first + per_task, design.n_blocks), keep))
        return out
    pending = {
        executor.submit(
            _run_task, design, first, min(first + per_task, design.n_blocks), keep
        ): first
        for first in starts
    }
    try:
        for future in cf.as_completed(pending):
            store(pending.pop(future), future.result())
    finally:
        for future in pending:
            future.cancel()
    return out


def check_calibration(
    protocol: str, *, n: int = 20_000, seed: int = 20_160_601
) -> tuple[TargetCheck, ...]:
    """Simulate ``protocol``'s calibration with ``n`` cases per arm and check every target.

    >>> [(c.target.name, c.within) for c in check_calibration("ipt-a", n=2_000)][:2]
    [('recovery_ipt', True), ('recovery_control', True)]
    """
    if protocol not in CALIBRATIONS:
        raise IptError(
            f"protocol: {protocol!r} has no calibration; calibrated: {', '.join(CALIBRATIONS)}"
        )
    ipt = simulate_cohort(n, seed=seed, protocol=protocol)
    control = simulate_cohort(n, seed=seed, protocol=protocol, arm="control")
    out = []
    for target in CALIBRATIONS[protocol].targets:
        value = target.value(ipt, control)
        out.append(
            TargetCheck(
                target=target, simulated=value, sampling_error=target.sampling_error(value, n), n=n
            )
        )
    return tuple(out)
