"""Simulation for researchers: cohorts, single cases, two-arm trials and their power.

The public names load on first use (PEP 562), so that ``from iptcore.simulate import Cohort``
imports numpy and the trajectory model but not the course, the rules or pandas:

- :mod:`iptcore.simulate.cohort`: :func:`simulate_cohort` and :class:`Cohort`, million-case
  cohorts vectorised with numpy on any executor;
- :mod:`iptcore.simulate.case`: :func:`simulate_case`, one case session by session through a
  real :class:`~iptcore.Course`;
- :mod:`iptcore.simulate.calibration`: each protocol's published targets and fitted parameters;
- :mod:`iptcore.simulate.recurrence`: maintenance IPT as time to recurrence;
- :mod:`iptcore.simulate.trial`: a two-arm trial, its estimand and its analyses (MMRM needs the
  ``stats`` extra);
- :mod:`iptcore.simulate.items`: item scores for simulated totals, the risk items answered at
  published rates for the severity;
- :mod:`iptcore.simulate.planning`: :func:`power`, the power of an analysis by simulation, on any
  executor, and the closed-form two-sample formula to compare it with;
- :mod:`iptcore.simulate._model`: the trajectory model and :class:`SimulationParams`.

``docs/simulation.md`` gives the model's equations and its calibration.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from iptcore._lazy import namespace

if TYPE_CHECKING:  # the same names as _LAZY below
    from iptcore.simulate._model import AREAS as AREAS
    from iptcore.simulate._model import BLOCK_SIZE as BLOCK_SIZE
    from iptcore.simulate._model import MAX_CASES as MAX_CASES
    from iptcore.simulate._model import MAX_SEED as MAX_SEED
    from iptcore.simulate._model import MECHANISMS as MECHANISMS
    from iptcore.simulate._model import SimulationParams as SimulationParams
    from iptcore.simulate.calibration import CALIBRATIONS as CALIBRATIONS
    from iptcore.simulate.calibration import Calibration as Calibration
    from iptcore.simulate.calibration import Target as Target
    from iptcore.simulate.calibration import TargetCheck as TargetCheck
    from iptcore.simulate.case import SCRIPT_ACTIONS as SCRIPT_ACTIONS
    from iptcore.simulate.case import Attendance as Attendance
    from iptcore.simulate.case import SimulatedCourse as SimulatedCourse
    from iptcore.simulate.case import SimulatedSession as SimulatedSession
    from iptcore.simulate.case import simulate_case as simulate_case
    from iptcore.simulate.cohort import COLUMNS as COLUMNS
    from iptcore.simulate.cohort import Cohort as Cohort
    from iptcore.simulate.cohort import check_calibration as check_calibration
    from iptcore.simulate.cohort import simulate_cohort as simulate_cohort
    from iptcore.simulate.items import RISK_RATES as RISK_RATES
    from iptcore.simulate.items import RiskBand as RiskBand
    from iptcore.simulate.items import RiskRates as RiskRates
    from iptcore.simulate.items import cohort_items as cohort_items
    from iptcore.simulate.items import draw_items as draw_items
    from iptcore.simulate.items import endorsement_rate as endorsement_rate
    from iptcore.simulate.planning import ANALYSES as ANALYSES
    from iptcore.simulate.planning import Power as Power
    from iptcore.simulate.planning import PowerPoint as PowerPoint
    from iptcore.simulate.planning import power as power
    from iptcore.simulate.planning import trial_seed as trial_seed
    from iptcore.simulate.planning import two_sample_n as two_sample_n
    from iptcore.simulate.planning import two_sample_power as two_sample_power
    from iptcore.simulate.recurrence import RECURRENCE as RECURRENCE
    from iptcore.simulate.recurrence import Recurrence as Recurrence
    from iptcore.simulate.recurrence import simulate_recurrence as simulate_recurrence
    from iptcore.simulate.trial import ESTIMAND as ESTIMAND
    from iptcore.simulate.trial import Estimate as Estimate
    from iptcore.simulate.trial import Trial as Trial
    from iptcore.simulate.trial import simulate_trial as simulate_trial

#: Each module and the public names it is the home of; loaded on first use (PEP 562).
_LAZY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "iptcore.simulate._model": (
            "AREAS",
            "BLOCK_SIZE",
            "MAX_CASES",
            "MAX_SEED",
            "MECHANISMS",
            "SimulationParams",
        ),
        "iptcore.simulate.calibration": (
            "CALIBRATIONS",
            "Calibration",
            "Target",
            "TargetCheck",
        ),
        "iptcore.simulate.case": (
            "SCRIPT_ACTIONS",
            "Attendance",
            "SimulatedCourse",
            "SimulatedSession",
            "simulate_case",
        ),
        "iptcore.simulate.cohort": (
            "COLUMNS",
            "Cohort",
            "check_calibration",
            "simulate_cohort",
        ),
        "iptcore.simulate.items": (
            "RISK_RATES",
            "RiskBand",
            "RiskRates",
            "cohort_items",
            "draw_items",
            "endorsement_rate",
        ),
        "iptcore.simulate.planning": (
            "ANALYSES",
            "Power",
            "PowerPoint",
            "power",
            "trial_seed",
            "two_sample_n",
            "two_sample_power",
        ),
        "iptcore.simulate.recurrence": (
            "RECURRENCE",
            "Recurrence",
            "simulate_recurrence",
        ),
        "iptcore.simulate.trial": (
            "ESTIMAND",
            "Estimate",
            "Trial",
            "simulate_trial",
        ),
    }
)
__all__, _get, _dir = namespace(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    return _get(name)


def __dir__() -> list[str]:
    return _dir()
