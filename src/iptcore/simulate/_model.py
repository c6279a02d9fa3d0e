"""The trajectory model of the simulator: its parameters, its random streams and its numpy kernel.

A simulated case has a baseline severity on an instrument, a focus area, a responsiveness, and a
schedule of sessions (a protocol's, from :data:`iptcore.PROTOCOLS`). Each session it attends moves
its log-severity by a mean that depends on the session's phase and the case's area, plus a random
step; it misses sessions at random and drops out with a per-session hazard; each session attended is
measured with noise, clipped to the instrument's range and rounded. ``docs/simulation.md`` gives the
equations; every number is a field of :class:`SimulationParams`, with its source in the field's
``metadata["source"]`` (by the keys of ``docs/references.md``; "calibrated" marks the values fitted so
that the defaults reproduce section 7's published figures, "(unconfirmed)" a plausible default
that no source gives).

Random numbers come from :class:`numpy.random.SeedSequence` split into blocks of
:data:`BLOCK_SIZE` cases: block ``b`` of seed ``s`` draws from ``SeedSequence(s, spawn_key=(arm,
b, stream))``, one stream per kind of draw. Whatever groups of blocks a task carries and whichever
process runs it, a case's numbers are the same, so a cohort is identical bit for bit however it is
computed; and the first ``m`` cases of a cohort of ``n`` are the cohort of ``m``.

Only the modules of :mod:`iptcore.simulate` (and the optional plotting and data modules) import numpy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from iptcore._checks import quote
from iptcore.errors import IptError
from iptcore.measures import INSTRUMENTS, Instrument, instrument_spec
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "AREAS",
    "ARMS",
    "BLOCK_SIZE",
    "MAX_CASES",
    "MAX_SEED",
    "MECHANISMS",
    "Arrays",
    "Design",
    "SimulationParams",
    "baseline_severity",
    "case_draws",
    "responsiveness",
    "run_block",
    "seed_number",
    "session_means",
    "whole_number",
]

#: Cases per block of random numbers. It fixes which numbers each case draws, so it is part of
#: what a seed means: changing it would change every cohort. How many blocks a task carries
#: (``blocks_per_task`` of :func:`iptcore.simulate_cohort`) is free and changes nothing.
BLOCK_SIZE: Final = 65_536

#: The most cases one simulation takes (a cohort, each arm of a trial, a recurrence study): ten
#: million cases take about 100 MB, so this bound keeps a result within about 1 GB.
MAX_CASES: Final = 100_000_000

#: The largest seed: 128 bits, the entropy :class:`numpy.random.SeedSequence` uses.
MAX_SEED: Final = 2**128 - 1

#: The arms of a simulated trial and the key each mixes into the seed, so that the two arms drawn
#: with one seed are independent samples, as two randomised groups are.
ARMS: Final[Mapping[str, int]] = MappingProxyType({"ipt": 0, "control": 1})

#: The problem areas in the order of their codes in a cohort's ``area`` array.
AREAS: Final[tuple[ProblemArea, ...]] = tuple(ProblemArea)

# One independent stream per kind of draw, so that each draw is a prefix-stable function of the case.
_CASE_NORMALS, _CASE_UNIFORMS, _ATTENDANCE, _WALK_BRIDGE, _MEASURES, _LEAVING, _ASSESSED = range(7)

#: The missing-data mechanisms a cohort can have, as Little & Rubin 2019 name them [LITTLE-RUBIN2019].
MECHANISMS: Final = ("MCAR", "MAR", "MNAR")

Int8 = npt.NDArray[np.int8]
Int16 = npt.NDArray[np.int16]
Bool = npt.NDArray[np.bool_]
Float = npt.NDArray[np.float64]


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


class _Scale(NamedTuple):
    mean: float
    sd: float
    entry: int
    mean_source: str
    sd_source: str
    entry_source: str


# Baseline severity of a trial's entrants on each instrument.
_SCALES: Final[Mapping[Instrument, _Scale]] = MappingProxyType(
    {
        Instrument.HAMD17: _Scale(
            19.0,
            4.0,
            14,
            "O'Hara et al. 2000 (HRSD 19.4 at entry); the mean before folding at entry_score",
            "(unconfirmed) typical of acute-phase trials",
            "the NIMH TDCRP's entry criterion, HAM-D 14+ [GUIDE]",
        ),
        Instrument.PHQ9: _Scale(
            17.0,
            4.0,
            10,
            "(unconfirmed) the moderately severe band, Kroenke et al. 2001",
            "(unconfirmed)",
            "(unconfirmed) the moderate band, Kroenke et al. 2001",
        ),
        Instrument.GAD7: _Scale(
            14.0,
            3.5,
            10,
            "(unconfirmed) the moderate band, Spitzer et al. 2006",
            "(unconfirmed)",
            "(unconfirmed) the moderate band, Spitzer et al. 2006",
        ),
    }
)

_CALIBRATED = (
    "calibrated so that the defaults reproduce Cuijpers et al. 2016 (g = 0.60 vs control) and "
    "Casacalenda et al. 2002 (remission 46.3% vs 24.4%) on HAM-D-17 [CUIJPERS2016] [CASACALENDA2002]"
)
_DROPOUT = (
    "calibrated to 17.5-22% dropout over 16 sessions (Cooper & Conklin 2015; Swift & Greenberg "
    "2012; Casacalenda et al. 2002); higher early (unconfirmed)"
)


def _range(low: float | None, high: float | None, below: bool) -> str:
    def show(x: float) -> str:
        return str(int(x)) if x == int(x) else str(x)

    lo = "" if low is None else f" from {show(low)}"
    hi = "" if high is None else f" {'below' if below else 'to'} {show(high)}"
    return f"a number{lo}{hi}"


def _real(value: object) -> bool:
    """A real number, not a bool: an int of any size (exact) or a finite float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


@attrs.frozen
class _Number:
    """A validator: a real number (not a bool) within ``low``..``high`` (``high`` excluded if
    ``below``). A class, not a closure, so that its check runs (and is mutation-tested) when a
    value is validated, not only when the field is declared."""

    low: float | None = None
    high: float | None = None
    below: bool = attrs.field(default=False, kw_only=True)

    def __call__(self, _: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        # An int is compared exactly, whatever its size (10**400 is no float).
        ok = _real(value)
        if ok and self.low is not None:
            ok = value >= self.low
        if ok and self.high is not None:
            ok = value < self.high if self.below else value <= self.high
        if not ok:
            raise IptError(
                f"SimulationParams.{attribute.name} must be "
                f"{_range(self.low, self.high, self.below)}, got {quote(value)}"
            )


@attrs.frozen
class _OneOf:
    """A validator: one of the texts ``allowed`` (an IptError quoting them otherwise)."""

    allowed: tuple[str, ...]

    def __call__(self, _: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not (isinstance(value, str) and value in self.allowed):
            known = " or ".join(repr(a) for a in self.allowed)
            raise IptError(f"SimulationParams.{attribute.name} must be {known}, got {quote(value)}")


def whole_number(name: str, value: object, low: int, high: int | None = None) -> int:
    """``value`` as an int when it is a whole number from ``low`` to ``high``; IptError naming
    ``name`` (and quoting the value abridged) otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise IptError(f"{name}: must be a whole number, got {quote(value)}")
    if value < low:
        raise IptError(f"{name}: must be at least {low}, got {quote(value)}")
    if high is not None and value > high:
        raise IptError(f"{name}: must be at most {high:,}, got {quote(value)}")
    return int(value)


def seed_number(value: object) -> int:
    """A seed: a whole number from 0 to :data:`MAX_SEED`."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and value > MAX_SEED:
        raise IptError(f"seed: must be at most 2**128 - 1, got {quote(value)}")
    return whole_number("seed", value, 0)


def _instrument(value: Instrument | str) -> Instrument:
    """The instrument named (an IptError naming the known ones otherwise)."""
    return instrument_spec(value).instrument


@attrs.frozen
class _Table:
    """A converter: a mapping of area (or stage) to number, as a tuple of pairs in enum order.

    Keys left out get ``missing``; values must be numbers from 0 to ``high``. A class, not a
    closure, so that its conversion runs (and is mutation-tested) when a value is given.
    """

    name: str
    keys: type[ProblemArea] | type[DisputeStage]
    missing: float
    high: float

    def __call__(
        self, value: Mapping[Any, float] | Iterable[tuple[Any, float]]
    ) -> tuple[tuple[Any, float], ...]:
        try:
            given = dict(value)
            table = {self.keys(key): number for key, number in given.items()}
        except (TypeError, ValueError):
            known = ", ".join(self.keys)
            raise IptError(
                f"SimulationParams.{self.name} must map each of {known} to a number, "
                f"got {quote(value)}"
            ) from None
        for key, number in table.items():
            if not (_real(number) and 0 <= number <= self.high):
                raise IptError(
                    f"SimulationParams.{self.name}[{key.value}] must be "
                    f"{_range(0, self.high, False)}, got {quote(number)}"
                )
        return tuple((key, float(table.get(key, self.missing))) for key in self.keys)


# Declares a field, at import only: mutation testing cannot reach it (mutation/README.md).
def _field(
    default: Any, source: str, validator: Any = None, **kwargs: Any
) -> Any:  # pragma: no mutate block
    return attrs.field(default=default, validator=validator, metadata={"source": source}, **kwargs)


@attrs.frozen(kw_only=True)
class SimulationParams:
    """Every number of the trajectory model, each with its source; change one and rerun.

    The defaults depend on ``instrument`` for the four fields in its units (``baseline_mean``,
    ``baseline_sd``, ``entry_score``, ``measurement_sd``); all the others are changes of
    log-severity, probabilities or multipliers, the same on every scale. Rates are per session
    attended (per week in the control arm). ``docs/simulation.md`` gives the equations.

    >>> import attrs
    >>> p = SimulationParams()
    >>> p.instrument, p.entry_score, p.change_middle
    (<Instrument.HAMD17: 'hamd17'>, 14, 0.095)
    >>> SimulationParams(instrument="phq9").entry_score
    10
    >>> attrs.evolve(p, miss_rate=0.2).miss_rate
    0.2
    >>> attrs.evolve(p, area_shares={"grief": 1}).to_dict()["area_shares"]
    {'grief': 1.0, 'role_dispute': 0.0, 'role_transition': 0.0, 'interpersonal_deficits': 0.0}
    >>> SimulationParams(miss_rate=1.5)
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: SimulationParams.miss_rate must be a number from 0 below 1, got 1.5
    >>> SimulationParams.sources()["change_control"][:10]
    'calibrated'
    """

    instrument: Instrument = attrs.field(
        default=Instrument.HAMD17,
        converter=_instrument,
        metadata={"source": "the scale simulated [GUIDE]"},
    )
    # -- baseline and measurement, in the instrument's points -----------------------------------
    baseline_mean: float = attrs.field(
        validator=_Number(0), metadata={"source": "per instrument (table in the docs)"}
    )
    baseline_sd: float = attrs.field(
        validator=_Number(0), metadata={"source": "per instrument (table in the docs)"}
    )
    entry_score: int = attrs.field(
        validator=lambda _, a, v: whole_number(f"SimulationParams.{a.name}", v, 0, 1000),
        metadata={"source": "per instrument (table in the docs)"},
    )
    measurement_sd: float = attrs.field(
        validator=_Number(0),
        metadata={
            "source": "standard error of measurement SD * sqrt(1 - reliability) (Jacobson & "
            "Truax 1991) with the instrument's reliability and reference SD (or baseline_sd) "
            "from iptcore.measures"
        },
    )
    # -- change of log-severity per session attended, by phase ----------------------------------
    change_engagement: float = _field(
        0.03,
        "(unconfirmed) as the initial phase; IPT-B session 0 (Swartz et al. 2014)",
        _Number(-1, 1),
    )
    change_initial: float = _field(
        0.03,
        "(unconfirmed) less change while the initial phase diagnoses, gives the sick role and "
        "takes the inventory [FOCUS]; set with the calibration",
        _Number(-1, 1),
    )
    change_middle: float = _field(0.095, _CALIBRATED, _Number(-1, 1))
    change_termination: float = _field(0.07, _CALIBRATED, _Number(-1, 1))
    change_maintenance: float = _field(
        0.02,
        "(unconfirmed) monthly IPT-M keeps rather than makes gains (Frank et al. 1990)",
        _Number(-1, 1),
    )
    change_control: float = _field(
        0.05,
        "calibrated to the control arm's remission, 24.4% (Casacalenda et al. 2002); per week, "
        "for every week up to the last visit",
        _Number(-1, 1),
    )
    walk_sd: float = _field(
        0.09, _CALIBRATED + "; the SD of each week's random step", _Number(0, 2)
    )
    responsiveness_sd: float = _field(
        0.4,
        "(unconfirmed) calibrated spread of a case's responsiveness (log-normal, mean 1)",
        _Number(0, 2),
    )
    # -- problem areas -----------------------------------------------------------------------------
    area_shares: tuple[tuple[ProblemArea, float], ...] = _field(
        {
            ProblemArea.GRIEF: 0.23,
            ProblemArea.ROLE_DISPUTE: 0.345,
            ProblemArea.ROLE_TRANSITION: 0.41,
            ProblemArea.INTERPERSONAL_DEFICITS: 0.015,
        },
        "Miller et al., MTLLD (n = 127): role transition 41%, disputes 34.5%, grief 23%; "
        "deficits the rest [GUIDE]",
        converter=_Table("area_shares", ProblemArea, 0.0, 1e9),
    )
    area_effect: tuple[tuple[ProblemArea, float], ...] = _field(
        {ProblemArea.INTERPERSONAL_DEFICITS: 0.6},
        "deficits have poorer outcomes [GUIDE]; the size, 0.6 of the others' rate, is unconfirmed",
        converter=_Table("area_effect", ProblemArea, 1.0, 10),
    )
    stage_effect: tuple[tuple[DisputeStage, float], ...] = _field(
        {DisputeStage.IMPASSE: 0.5, DisputeStage.DISSOLUTION: 0.8},
        "(unconfirmed) a dispute at impasse has stopped moving [GUIDE]; used by simulate_case",
        converter=_Table("stage_effect", DisputeStage, 1.0, 10),
    )
    # -- attendance ---------------------------------------------------------------------------------
    miss_rate: float = _field(
        0.08, "(unconfirmed) chance that a session (or visit) is missed", _Number(0, 1, below=True)
    )
    dropout_initial: float = _field(
        0.03, _DROPOUT + "; engagement and initial sessions", _Number(0, 1, below=True)
    )
    dropout_middle: float = _field(
        0.012, _DROPOUT + "; middle and maintenance sessions", _Number(0, 1, below=True)
    )
    dropout_termination: float = _field(0.005, _DROPOUT, _Number(0, 1, below=True))
    dropout_control: float = _field(
        0.048,
        "54.4% of the control arm drop out in 16 weeks (Casacalenda et al. 2002)",
        _Number(0, 1, below=True),
    )
    # -- the shape of dose and response ---------------------------------------------------------
    course_change: float | None = _field(
        None,
        "None: change accrues per session attended at the phase rates, so a shorter course "
        "changes less (the per-session assumption). A number: a full course of any length "
        "brings this mean change of log-severity, spread over its sessions in proportion to "
        "the phase rates (the per-course assumption: Swartz et al. 2014 [SWARTZ2014] note the "
        "paucity of evidence linking more sessions to more effect); set by each calibration",
        attrs.validators.optional(_Number(0, 10)),
    )
    dose_exponent: float = _field(
        1.0,
        "the share of a course's change that a case receives is (share of its sessions' "
        "change attended) ** dose_exponent: 1 is linear (the default, assumed); below 1 the "
        "early sessions count for more, the negatively accelerated dose-effect curve of "
        "Howard et al. 1986 [HOWARD1986]",
        _Number(0.05, 5),
    )
    # -- missing data ---------------------------------------------------------------------------------
    dropout_severity: float = _field(
        0.0,
        "(unconfirmed) how strongly severity drives dropout: each session's hazard is "
        "multiplied by (S / S0) ** dropout_severity, where S0 is the baseline and S the current "
        "latent severity (dropout_on 'current': missing not at random) or the last observed "
        "score (dropout_on 'observed': missing at random). 0, the calibrated default, leaves "
        "dropout completely at random (it depends on the phase only)",
        _Number(-10, 10),
    )
    dropout_on: str = _field(
        "current",
        "what dropout_severity looks at: 'current' (the unobserved severity: MNAR) or "
        "'observed' (the last score recorded: MAR)",
        _OneOf(("current", "observed")),
    )
    assessment_miss_rate: float = _field(
        0.0,
        "(unconfirmed) chance that a session attended records no score (a missed assessment "
        "apart from dropout); completely at random",
        _Number(0, 1, below=True),
    )

    @baseline_mean.default
    def _baseline_mean(self) -> float:
        return _SCALES[self.instrument].mean

    @baseline_sd.default
    def _baseline_sd(self) -> float:
        return _SCALES[self.instrument].sd

    @entry_score.default
    def _entry_score(self) -> int:
        return _SCALES[self.instrument].entry

    @measurement_sd.default
    def _measurement_sd(self) -> float:
        spec = INSTRUMENTS[self.instrument]
        sd = self.baseline_sd if spec.reference_sd is None else spec.reference_sd
        return round(sd * math.sqrt(1.0 - spec.reliability), 3)

    def __attrs_post_init__(self) -> None:
        top = INSTRUMENTS[self.instrument].max_total
        for name in ("baseline_sd", "measurement_sd"):
            if getattr(self, name) > top:
                raise IptError(
                    f"SimulationParams.{name} must be a number from 0 to {top} (the "
                    f"{self.instrument.value} maximum), got {quote(getattr(self, name))}"
                )
        if not self.entry_score <= self.baseline_mean <= top:
            raise IptError(
                f"SimulationParams.baseline_mean must lie between entry_score {self.entry_score} "
                f"and the {self.instrument.value} maximum {top}, got {quote(self.baseline_mean)}"
            )
        if not sum(share for _, share in self.area_shares) > 0:
            raise IptError(
                "SimulationParams.area_shares must give at least one area a share above 0"
            )

    @classmethod
    def sources(cls, instrument: Instrument | str = Instrument.HAMD17) -> dict[str, str]:
        """Each field's source, by field name; the instrument's own for the per-instrument fields.

        >>> SimulationParams.sources()["entry_score"]
        "the NIMH TDCRP's entry criterion, HAM-D 14+ [GUIDE]"
        """
        scale = _SCALES[_instrument(instrument)]
        own = {
            "baseline_mean": scale.mean_source,
            "baseline_sd": scale.sd_source,
            "entry_score": scale.entry_source,
        }
        return {f.name: own.get(f.name, f.metadata["source"]) for f in attrs.fields(cls)}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: numbers, the instrument's word, and the tables as dicts.

        >>> SimulationParams().to_dict()["area_effect"]["interpersonal_deficits"]
        0.6
        """
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = {key.value: number for key, number in value}
            elif isinstance(value, Instrument):
                value = value.value
            out[f.name] = value
        return out

    def change(self, phase: Phase) -> float:
        """The mean change of log-severity for a session of ``phase``."""
        return float(getattr(self, f"change_{phase.value}"))

    @property
    def mechanism(self) -> str:
        """The missing-data mechanism of dropout: ``"MCAR"``, ``"MAR"`` or ``"MNAR"``.

        Dropout that depends on the phase only (a design variable) and missed sessions and
        assessments at random are missing completely at random; dropout that depends on the last
        observed score is missing at random, on the current unobserved severity not at random
        (Little & Rubin 2019 [LITTLE-RUBIN2019]).

        >>> SimulationParams().mechanism, SimulationParams(dropout_severity=2).mechanism
        ('MCAR', 'MNAR')
        >>> SimulationParams(dropout_severity=2, dropout_on="observed").mechanism
        'MAR'
        """
        if self.dropout_severity == 0:
            return "MCAR"
        return "MNAR" if self.dropout_on == "current" else "MAR"

    def dropout(self, phase: Phase) -> float:
        """The hazard of dropping out at a session of ``phase``."""
        return {
            Phase.ENGAGEMENT: self.dropout_initial,
            Phase.INITIAL: self.dropout_initial,
            Phase.MIDDLE: self.dropout_middle,
            Phase.MAINTENANCE: self.dropout_middle,
            Phase.TERMINATION: self.dropout_termination,
        }[phase]


# --------------------------------------------------------------------------------------------
# What a block needs, and what it gives back
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Design:
    """Everything that determines a cohort's numbers: sent, pickled, to every task."""

    n: int
    seed: int
    arm: str
    phases: tuple[Phase, ...]
    params: SimulationParams

    @property
    def n_blocks(self) -> int:
        """How many blocks the cohort spans."""
        return -(-self.n // BLOCK_SIZE)

    def block_cases(self, block: int) -> range:
        """The case indices of ``block``."""
        start = block * BLOCK_SIZE
        return range(start, min(self.n, start + BLOCK_SIZE))


class Arrays(NamedTuple):
    """One row per case: the compact result (and, when asked, every session's score)."""

    baseline: Int16
    end: Int16
    sessions: Int16
    dropped: Bool
    #: The index into the schedule of the session at which the case dropped out; -1 for none.
    dropped_at: Int16
    area: Int8
    #: (cases, sessions + 1): the baseline then each session's score, -1 where none was taken.
    scores: Int8 | None


def _stream(design: Design, block: int, kind: int) -> np.random.Generator:
    key = (ARMS[design.arm], block, kind)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(design.seed, spawn_key=key)))


def baseline_severity(params: SimulationParams, z: Float) -> Float:
    """Baseline severities from standard normal draws ``z``: a normal folded at the entry score
    (a trial admits only cases at or above it) and capped at the instrument's maximum."""
    raw = params.baseline_mean + params.baseline_sd * z
    folded = np.where(raw < params.entry_score, 2.0 * params.entry_score - raw, raw)
    return np.minimum(folded, float(INSTRUMENTS[params.instrument].max_total))


def responsiveness(params: SimulationParams, z: Float) -> Float:
    """Responsiveness from standard normal draws ``z``: log-normal with mean 1."""
    sigma = params.responsiveness_sd
    return np.exp(sigma * z - 0.5 * sigma * sigma)


def _runs(phases: tuple[Phase, ...]) -> list[tuple[Phase, int, int]]:
    """The schedule as runs of consecutive sessions of one phase: (phase, start, stop)."""
    runs: list[tuple[Phase, int, int]] = []
    for i, phase in enumerate(phases):
        if runs and runs[-1][0] is phase and runs[-1][2] == i:
            runs[-1] = (phase, runs[-1][1], i + 1)
        else:
            runs.append((phase, i, i + 1))
    return runs


def session_means(params: SimulationParams, phases: tuple[Phase, ...]) -> Float:
    """The mean change of log-severity each session of the schedule brings (before the case's
    responsiveness and area), per the dose assumption of ``course_change``.

    >>> from iptcore.terms import Phase
    >>> p = SimulationParams(course_change=1.0)
    >>> session_means(p, (Phase.INITIAL, Phase.MIDDLE)).round(3).tolist()
    [0.24, 0.76]
    """
    rates = np.array([params.change(phase) for phase in phases], dtype=np.float64)
    total = float(rates.sum())
    if params.course_change is None or total == 0.0:
        return rates
    return rates * (params.course_change / total)


def _dose(params: SimulationParams, received: Float, planned: float) -> Float:
    """The mean change a case gets from ``received`` of the ``planned`` mean change."""
    if params.dose_exponent == 1.0 or planned == 0.0:
        return received
    return planned * (received / planned) ** params.dose_exponent


#: The most log-severity can grow: e**50 times the baseline is beyond every instrument's maximum
#: by more than any measurement noise can bring back, so every score there is the maximum.
#: Holding it there keeps a worsening case with extreme (allowed) parameters finite.
MAX_LOG_GROWTH: Final = 50.0


def _growth(exponent: Float) -> Float:
    """``exp(exponent)`` with the exponent held at :data:`MAX_LOG_GROWTH` at most."""
    return np.exp(np.minimum(exponent, MAX_LOG_GROWTH))


def _draw_cases(design: Design, block: int) -> tuple[Float, Float, Float, npt.NDArray[np.intp]]:
    """Per case of a block: the standard normals, the latent baseline, the rate of change and
    the area code (the same draws whichever kernel runs)."""
    p = design.params
    b = len(design.block_cases(block))
    z = _stream(design, block, _CASE_NORMALS).standard_normal((b, 4))
    u = _stream(design, block, _CASE_UNIFORMS).random((b, 2))
    latent0 = baseline_severity(p, z[:, 0])
    theta = responsiveness(p, z[:, 1])
    shares = np.array([share for _, share in p.area_shares])
    cut = np.cumsum(shares) / shares.sum()
    area = np.minimum(np.searchsorted(cut, u[:, 0], side="right"), len(AREAS) - 1)
    if design.arm == "control":
        rate = theta
    else:
        effect = np.array([e for _, e in p.area_effect])
        rate = theta * effect[area]
    return np.column_stack([z, u[:, 1]]), latent0, rate, area


def run_block(design: Design, block: int, *, trajectories: bool = False) -> Arrays:
    """Simulate the cases of one block; vectorised over cases, no Python loop per case.

    The model (``docs/simulation.md``): a baseline ``B`` folded at the entry score; a responsiveness
    ``theta`` (log-normal, mean 1); the sessions before dropout, each missed at random; the end
    score ``B * exp(-theta * a * D - walk_sd * sqrt(k) * Z)`` plus measurement noise, clipped
    and rounded, where ``D`` is the mean change of the sessions that changed the case (shaped by
    ``dose_exponent``) and ``k`` their number. The ``k`` random steps are drawn as their sum
    (exact for Gaussian steps); the scores in between, when asked, are filled in as a Gaussian
    bridge to the same end point. Dropout that depends on severity (MAR, MNAR) or assessments
    missed apart from dropout need each session's severity: those cohorts run session by session
    (:func:`_run_sequential`).
    """
    p = design.params
    if p.dropout_severity != 0 or p.assessment_miss_rate > 0:
        return _run_sequential(design, block, trajectories)
    top = INSTRUMENTS[p.instrument].max_total
    sessions = len(design.phases)
    control = design.arm == "control"
    z, latent0, rate, area = _draw_cases(design, block)
    b = len(latent0)
    baseline = np.rint(latent0)

    # Attendance: dropout at the first session whose cumulative hazard passes a uniform draw.
    hazard = [p.dropout_control if control else p.dropout(ph) for ph in design.phases]
    gone = 1.0 - np.cumprod(1.0 - np.array(hazard))
    kept = np.searchsorted(gone, z[:, 4], side="right")  # sessions before dropping out
    missed = _stream(design, block, _ATTENDANCE).random((b, sessions), dtype=np.float32)
    attended = (missed >= np.float32(p.miss_rate)) & (np.arange(sessions) < kept[:, None])

    runs = _runs(design.phases)
    counts = [np.count_nonzero(attended[:, start:stop], axis=1) for _, start, stop in runs]
    n_attended = np.sum(counts, axis=0) if counts else np.zeros(b, dtype=np.intp)
    mu = session_means(p, design.phases)
    if control:
        # Natural change runs every week up to the last visit attended, seen or not.
        last = np.where(n_attended > 0, sessions - np.argmax(attended[:, ::-1], axis=1), 0)
        steps = last
        mean_change = p.change_control * steps
    else:
        # IPT changes the case at each session attended, by the session's phase and the area.
        steps = n_attended
        received = np.zeros(b)
        for (_, start, _), count in zip(runs, counts, strict=True):
            received += mu[start] * count
        mean_change = _dose(p, received, float(mu.sum()))
    walk = np.sqrt(steps) * z[:, 2]
    latent_end = latent0 * _growth(-rate * mean_change - p.walk_sd * walk)
    observed = np.clip(np.rint(latent_end + p.measurement_sd * z[:, 3]), 0, top)
    # Intention to treat: a case never measured after baseline keeps its baseline (LOCF).
    end = np.where(n_attended > 0, observed, baseline)

    scores = None
    if trajectories:
        scores = _scores(design, block, attended, steps, walk, latent0, rate, baseline, end)
    return Arrays(
        baseline=baseline.astype(np.int16),
        end=end.astype(np.int16),
        sessions=n_attended.astype(np.int16),
        dropped=kept < sessions,
        dropped_at=np.where(kept < sessions, kept, -1).astype(np.int16),
        area=area.astype(np.int8),
        scores=scores,
    )


def _scores(
    design: Design,
    block: int,
    attended: Bool,
    steps: npt.NDArray[np.intp],
    walk: Float,
    latent0: Float,
    rate: Float,
    baseline: Float,
    end: Float,
) -> Int8:
    """Every session's score of a block, consistent with its end scores (a Gaussian bridge)."""
    p = design.params
    top = INSTRUMENTS[p.instrument].max_total
    b, sessions = attended.shape
    if design.arm == "control":
        changing = np.arange(sessions) < steps[:, None]
        mean_path = np.cumsum(changing * p.change_control, axis=1)
    else:
        changing = attended
        mu = session_means(p, design.phases)
        mean_path = _dose(p, np.cumsum(changing * mu, axis=1), float(mu.sum()))
    done = np.cumsum(changing, axis=1)
    # Partial sums of k Gaussian steps given their total: P_j - (j/k) P_k + (j/k) W_k.
    free = np.cumsum(
        changing * _stream(design, block, _WALK_BRIDGE).standard_normal((b, sessions)), axis=1
    )
    share = done / np.maximum(steps, 1)[:, None]
    path = free - share * free[:, -1:] + share * walk[:, None]
    latent = latent0[:, None] * _growth(-rate[:, None] * mean_path - p.walk_sd * path)
    noise = _stream(design, block, _MEASURES).standard_normal((b, sessions))
    observed = np.clip(np.rint(latent + p.measurement_sd * noise), 0, top)
    out = np.full((b, sessions + 1), -1, dtype=np.int8)
    out[:, 0] = baseline
    out[:, 1:] = np.where(attended, observed, -1)
    # The last session attended carries the end score itself, so the two views always agree.
    seen = attended.any(axis=1)
    last = sessions - np.argmax(attended[:, ::-1], axis=1)
    out[np.flatnonzero(seen), last[seen]] = end[seen]
    return out


def _run_sequential(design: Design, block: int, trajectories: bool) -> Arrays:
    """A block simulated session by session (a loop over sessions, vectorised over cases).

    Each session: the case still in the study may drop out, with the phase's hazard multiplied by
    ``(S / S0) ** dropout_severity`` (``S`` the current latent severity, or the last observed
    score, ``S0`` the baseline); if it stays and does not miss the session, the session changes
    it (IPT) and is measured unless the assessment is missed; the control arm changes every week
    it is in the study. The end score is the last one recorded.
    """
    p = design.params
    top = INSTRUMENTS[p.instrument].max_total
    sessions = len(design.phases)
    control = design.arm == "control"
    _, latent0, rate, area = _draw_cases(design, block)
    b = len(latent0)
    baseline = np.rint(latent0)
    hazard = [p.dropout_control if control else p.dropout(ph) for ph in design.phases]
    present = _stream(design, block, _ATTENDANCE).random((b, sessions), dtype=np.float32) >= (
        np.float32(p.miss_rate)
    )
    steps = _stream(design, block, _WALK_BRIDGE).standard_normal((b, sessions))
    noise = _stream(design, block, _MEASURES).standard_normal((b, sessions))
    leave = _stream(design, block, _LEAVING).random((b, sessions))
    assessed = _stream(design, block, _ASSESSED).random((b, sessions)) >= p.assessment_miss_rate
    mu = session_means(p, design.phases)
    planned = float(mu.sum())

    log0 = np.log(np.maximum(latent0, 0.5))
    in_study = np.ones(b, dtype=np.bool_)
    dropped_at = np.full(b, -1, dtype=np.int16)
    received = np.zeros(b)
    walk = np.zeros(b)
    current = np.zeros(b)  # log(S / S0) of the latent severity
    seen_rel = np.zeros(b)  # log(S / S0) of the last score recorded
    end = baseline.copy()
    n_attended = np.zeros(b, dtype=np.int16)
    out = np.full((b, sessions + 1), -1, dtype=np.int8)
    out[:, 0] = baseline
    for j in range(sessions):
        relative = current if p.dropout_on == "current" else seen_rel
        risk = np.minimum(hazard[j] * np.exp(p.dropout_severity * relative), 1.0)
        leaving = in_study & (leave[:, j] < risk)
        dropped_at[leaving] = j
        in_study &= ~leaving
        attends = in_study & present[:, j]
        changing = in_study if control else attends
        n_attended += attends
        received += changing * (p.change_control if control else mu[j])
        walk += changing * steps[:, j]
        mean = received if control else _dose(p, received, planned)
        latent = latent0 * _growth(-rate * mean - p.walk_sd * walk)
        current = np.log(np.maximum(latent, 0.5)) - log0
        observed = np.clip(np.rint(latent + p.measurement_sd * noise[:, j]), 0, top)
        recorded = attends & assessed[:, j]
        out[:, j + 1] = np.where(recorded, observed, -1)
        end = np.where(recorded, observed, end)
        seen_rel = np.where(recorded, np.log(np.maximum(observed, 0.5)) - log0, seen_rel)
    return Arrays(
        baseline=baseline.astype(np.int16),
        end=end.astype(np.int16),
        sessions=n_attended,
        dropped=dropped_at >= 0,
        dropped_at=dropped_at,
        area=area.astype(np.int8),
        scores=out if trajectories else None,
    )


# --------------------------------------------------------------------------------------------
# One case, session by session (simulate_case)
# --------------------------------------------------------------------------------------------

# The case simulation's own root key, beside the arms' (ARMS), so that its streams are its own.
_CASE_KEY: Final = 2


def case_draws(seed: int, *key: int) -> np.random.Generator:
    """The random stream of one part of a simulated case: ``key`` is ``(0,)`` for the case itself
    and ``(1, number, attempt)`` for each time a session falls due.

    Keying the streams by session and attempt keeps every other session's numbers the same when a
    scripted event changes one session, so a scripted run can be compared with the plain one.
    """
    sequence = np.random.SeedSequence(seed, spawn_key=(_CASE_KEY, *key))
    return np.random.Generator(np.random.PCG64(sequence))
