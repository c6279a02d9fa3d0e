"""The published figures each protocol's simulation is calibrated to, as data with their sources.

A :class:`Calibration` names a protocol, the population and the kind of control arm of the trials
behind it, the parameters fitted so that the model reproduces them (:class:`SimulationParams`
overrides), and its :class:`Target` figures: each with its source, what was measured and how it
was defined, and the interval within which a simulated figure counts as reproducing it (the
published 95% interval where the source gives one, else the Wilson interval of the published
counts, else a tolerance the project states and says so). :func:`check` simulates a calibration at
a given size and reports, for each target, the simulated figure, its sampling error at that size
and whether it lies in the interval; ``docs/simulation.md`` prints that table when the
documentation is built and ``tests/test_simulate.py`` asserts it.

A protocol with no entry here (interpersonal counselling, IPC) has no published calibration, and
:func:`iptcore.simulate_cohort` refuses it unless the caller passes parameters of their own;
maintenance IPT is a recurrence model (:mod:`iptcore.simulate.recurrence`), not an acute cohort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from types import MappingProxyType
from typing import Any, Final, Protocol

import attrs

from iptcore.simulate._model import SimulationParams


class ArmOutcomes(Protocol):
    """What a target reads of one simulated arm (a :class:`~iptcore.simulate.Cohort`): each
    case's dropout, response and end score, as arrays, and the effect size against another arm."""

    @property
    def dropped_out(self) -> Any: ...

    @property
    def response(self) -> Any: ...

    @property
    def end(self) -> Any: ...

    def effect_size(self, other: Any) -> float: ...


__all__ = [
    "CALIBRATIONS",
    "Calibration",
    "Target",
    "TargetCheck",
    "wilson_interval",
]

_Z95: Final = NormalDist().inv_cdf(0.975)


def wilson_interval(events: int, n: int) -> tuple[float, float]:
    """The Wilson 95% interval of ``events`` out of ``n`` (Wilson 1927 [WILSON1927]).

    >>> [round(x, 3) for x in wilson_interval(18, 24)]
    [0.551, 0.88]
    """
    p = events / n
    z2 = _Z95 * _Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


@attrs.frozen(kw_only=True)
class Target:
    """One published figure: what it is, where it comes from, and how close counts as reproduced.

    ``statistic`` is ``"share"`` (the share of ``arm`` whose end score is ``<= at_most`` or
    ``>= at_least``), ``"response"`` (at least 50% reduction), ``"dropout"`` or ``"g"`` (Hedges'
    g of end scores, IPT against control). ``interval`` is the tolerance; ``interval_kind`` says
    where it comes from: ``"published"``, ``"wilson"`` (of the published counts) or ``"stated"``
    (the project's choice, where the source gives no interval).
    """

    name: str
    statistic: str
    arm: str | None
    published: float
    interval: tuple[float, float]
    interval_kind: str
    source: str
    measure: str
    definition: str
    at_most: int | None = None
    at_least: int | None = None

    def value(self, ipt: ArmOutcomes, control: ArmOutcomes) -> float:
        """The figure computed from a simulated pair of arms."""
        if self.statistic == "g":
            return ipt.effect_size(control)
        cohort = ipt if self.arm == "ipt" else control
        if self.statistic == "dropout":
            return float(cohort.dropped_out.mean())
        if self.statistic == "response":
            return float(cohort.response.mean())
        if self.at_most is not None:
            return float((cohort.end <= self.at_most).mean())
        return float((cohort.end >= (self.at_least or 0)).mean())

    def sampling_error(self, value: float, n: int) -> float:
        """The standard error of the simulated figure at ``n`` cases per arm."""
        if self.statistic == "g":
            return math.sqrt(2.0 / n + value * value / (4.0 * n))
        return math.sqrt(max(value * (1.0 - value), 0.0) / n)


# The builders of the calibration table below, which run at import only: mutation testing cannot
# reach them (mutation/README.md); the tests check the table they built (tests/test_simulate.py:
# each protocol's simulation reproduces its published figures).
def _share(
    name: str,
    arm: str,
    published: float,
    interval: tuple[float, float],
    kind: str,
    source: str,
    measure: str,
    definition: str,
    **cut: int,
) -> Target:  # pragma: no mutate block
    return Target(
        name=name,
        statistic="share",
        arm=arm,
        published=published,
        interval=interval,
        interval_kind=kind,
        source=source,
        measure=measure,
        definition=definition,
        **cut,
    )


def _dropout(
    name: str, arm: str, published: float, interval: tuple[float, float], kind: str, source: str
) -> Target:  # pragma: no mutate block
    return Target(
        name=name,
        statistic="dropout",
        arm=arm,
        published=published,
        interval=interval,
        interval_kind=kind,
        source=source,
        measure="share of the arm that left before the last session",
        definition="dropout before the end of the acute phase",
    )


def _g(
    published: float, interval: tuple[float, float], source: str, measure: str
) -> Target:  # pragma: no mutate block
    return Target(
        name="hedges_g",
        statistic="g",
        arm=None,
        published=published,
        interval=interval,
        interval_kind="published",
        source=source,
        measure=measure,
        definition="standardised mean difference of end scores, small-sample corrected",
    )


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Calibration:
    """A protocol's calibration: population, control arm, fitted parameters and targets."""

    protocol: str
    population: str
    description: str
    control: str
    sessions: int | None
    overrides: Mapping[str, Any] = attrs.field(converter=_frozen_mapping)
    targets: tuple[Target, ...]
    assumptions: str

    def params(self, instrument: str = "hamd17") -> SimulationParams:
        """The calibrated parameters (on another instrument: the same changes of log-severity)."""
        return SimulationParams(instrument=instrument, **self.overrides)


_CASACALENDA = (
    "Casacalenda et al. 2002 [CASACALENDA2002], pooled psychotherapy arms (IPT among others); "
    "each trial's own remission definition"
)
_ADULT = Calibration(
    protocol="ipt",
    population="adults",
    description="adults with major depression, acute phase (HAM-D-17 >= 14 at entry)",
    control="pooled controls: wait list, usual care and pill placebo (Cuijpers et al. 2016 pool them)",
    sessions=None,
    overrides={},
    assumptions="change accrues per session attended at the phase rates (dose_exponent 1)",
    targets=(
        _g(
            0.60,
            (0.45, 0.75),
            "Cuijpers et al. 2016 [CUIJPERS2016], IPT against control, acute depression",
            "Hedges' g of HAM-D-17 end scores, intention to treat (last score carried forward)",
        ),
        _share(
            "remission_ipt",
            "ipt",
            0.463,
            (0.413, 0.513),
            "stated",
            _CASACALENDA + "; no interval given: the project states +/- 5 points",
            "share of the IPT arm in remission at the end",
            "HAM-D-17 <= 7 (the pooled trials' definitions varied)",
            at_most=7,
        ),
        _share(
            "remission_control",
            "control",
            0.244,
            (0.194, 0.294),
            "stated",
            _CASACALENDA + "; no interval given: the project states +/- 5 points",
            "share of the control arm in remission at the end",
            "HAM-D-17 <= 7 (the pooled trials' definitions varied)",
            at_most=7,
        ),
        _dropout(
            "dropout_ipt",
            "ipt",
            0.2,
            (0.175, 0.222),
            "published",
            "Cooper & Conklin 2015 [COOPER-CONKLIN2015] and Swift & Greenberg 2012 "
            "[SWIFT-GREENBERG2012]; the interval spans their pooled estimates",
        ),
        _dropout(
            "dropout_control",
            "control",
            0.544,
            (0.494, 0.594),
            "stated",
            "Casacalenda et al. 2002 [CASACALENDA2002]; no interval given: +/- 5 points stated",
        ),
    ),
)

_MUFSON = "Mufson et al. 1999 [MUFSON1999], 48 adolescents, 12 weeks, intention to treat"
_ADOLESCENT = Calibration(
    protocol="ipt-a",
    population="adolescents",
    description="adolescents 12-18 with major depression, clinic-referred",
    control="clinical monitoring (Mufson et al. 1999)",
    sessions=None,
    overrides={
        "baseline_mean": 18.6,
        "baseline_sd": 5.5,
        "course_change": 2.44,
        "change_control": 0.1457,
        "dropout_initial": 0.021,
        "dropout_middle": 0.0084,
        "dropout_termination": 0.0035,
        "dropout_control": 0.0619,
    },
    assumptions=(
        "baseline HAM-D 18.6 (SD 5.5) from the later effectiveness trial in a similar population "
        "(Mufson et al. 2004 [MUFSON-DORTA2004]); per-course dose; the control's weekly change "
        "fitted to its recovery rate"
    ),
    targets=(
        _share(
            "recovery_ipt",
            "ipt",
            0.75,
            wilson_interval(18, 24),
            "wilson",
            _MUFSON + ": 18 of 24",
            "share of the IPT-A arm meeting the recovery criterion at week 12",
            "HAM-D <= 6 (Mufson et al. 1999's recovery criterion)",
            at_most=6,
        ),
        _share(
            "recovery_control",
            "control",
            11 / 24,
            wilson_interval(11, 24),
            "wilson",
            _MUFSON + ": 11 of 24",
            "share of the control arm meeting the recovery criterion at week 12",
            "HAM-D <= 6",
            at_most=6,
        ),
        _dropout(
            "dropout_ipt",
            "ipt",
            3 / 24,
            wilson_interval(3, 24),
            "wilson",
            _MUFSON + ": 21 of 24 completed",
        ),
        _dropout(
            "dropout_control",
            "control",
            13 / 24,
            wilson_interval(13, 24),
            "wilson",
            _MUFSON + ": 11 of 24 completed",
        ),
    ),
)

_BOLTON = (
    "Bolton et al. 2003 [BOLTON2003], 16 weekly group sessions, rural Uganda (figures from the "
    "abstract); about 112 per arm of the 224 who completed (the split is assumed)"
)
_GROUP = Calibration(
    protocol="group",
    population="rural-uganda",
    description="adults in rural Uganda meeting DSM-IV major or subsyndromal depression",
    control="no intervention (usual life in the control villages)",
    sessions=None,
    overrides={
        "course_change": 2.094,
        "change_control": 0.0384,
        "dropout_initial": 0.022,
        "dropout_middle": 0.0088,
        "dropout_termination": 0.0037,
        "dropout_control": 0.0114,
    },
    assumptions=(
        "Bolton et al. measured a locally adapted Hopkins checklist and a DSM-IV diagnosis, not "
        "the HAM-D: 'still depressed' is taken as HAM-D-17 >= 14 (the entry score), a proxy; "
        "the WHO protocol's 8 sessions bring the 16-session trial's effect (per-course dose)"
    ),
    targets=(
        _share(
            "depressed_ipt",
            "ipt",
            0.065,
            wilson_interval(7, 112),
            "wilson",
            _BOLTON,
            "share of the group IPT arm still meeting criteria for major depression",
            "proxy: HAM-D-17 >= 14 at the end",
            at_least=14,
        ),
        _share(
            "depressed_control",
            "control",
            0.547,
            wilson_interval(61, 112),
            "wilson",
            _BOLTON,
            "share of the control arm still meeting criteria for major depression",
            "proxy: HAM-D-17 >= 14 at the end",
            at_least=14,
        ),
        _dropout(
            "dropout_ipt",
            "ipt",
            24 / 248,
            wilson_interval(24, 248),
            "wilson",
            "Bolton et al. 2003 [BOLTON2003]: 224 of 248 completed (both arms together)",
        ),
    ),
)

_BRIEF = Calibration(
    protocol="ipt-b",
    population="adults",
    description="adults with major depression, acute phase (as the adult calibration)",
    control="as the adult calibration, measured weekly over the brief course",
    sessions=None,
    overrides={"course_change": 0.791},
    assumptions=(
        "no IPT-B trial figure is calibrated: the brief course is assumed to reach the adult "
        "effect against control (Cuijpers et al. 2016 pooled courses of differing length; "
        "Swartz et al. 2014 [SWARTZ2014] note the paucity of evidence linking more sessions to "
        "more effect); per-course dose, fitted to that g over 8 weekly sessions"
    ),
    targets=(
        _g(
            0.60,
            (0.45, 0.75),
            "Cuijpers et al. 2016 [CUIJPERS2016], assumed to hold for IPT-B",
            "Hedges' g of HAM-D-17 end scores after 8 weeks, intention to treat",
        ),
    ),
)

#: The calibration of each protocol that has one, by protocol name.
CALIBRATIONS: Final[Mapping[str, Calibration]] = MappingProxyType(
    {c.protocol: c for c in (_ADULT, _BRIEF, _ADOLESCENT, _GROUP)}
)

#: Why a protocol without an entry in CALIBRATIONS is refused.
UNCALIBRATED: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ipc": "no published trial of interpersonal counselling is calibrated in iptcore",
        "maintenance": (
            "maintenance IPT starts from remitted patients and its outcome is recurrence: "
            "use iptcore.simulate.simulate_recurrence"
        ),
    }
)


@attrs.frozen(kw_only=True)
class TargetCheck:
    """One target against its simulation: the figure, its sampling error, and the verdict."""

    target: Target
    simulated: float
    sampling_error: float
    n: int

    @property
    def within(self) -> bool:
        """Whether the simulated figure lies in the target's interval."""
        low, high = self.target.interval
        return low <= self.simulated <= high
