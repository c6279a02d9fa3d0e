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

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iptcore.simulate._model import AREAS, BLOCK_SIZE, MECHANISMS, SimulationParams
    from iptcore.simulate.calibration import CALIBRATIONS, Calibration, Target, TargetCheck
    from iptcore.simulate.case import (
        SCRIPT_ACTIONS,
        Attendance,
        SimulatedCourse,
        SimulatedSession,
        simulate_case,
    )
    from iptcore.simulate.cohort import COLUMNS, Cohort, simulate_cohort
    from iptcore.simulate.items import (
        RISK_RATES,
        RiskBand,
        RiskRates,
        cohort_items,
        draw_items,
        endorsement_rate,
    )
    from iptcore.simulate.planning import (
        ANALYSES,
        Power,
        PowerPoint,
        power,
        trial_seed,
        two_sample_n,
        two_sample_power,
    )
    from iptcore.simulate.recurrence import RECURRENCE, Recurrence, simulate_recurrence
    from iptcore.simulate.trial import ESTIMAND, Estimate, Trial, simulate_trial

# name -> module that defines it; loaded on first attribute access (PEP 562).
_LAZY: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("AREAS", "BLOCK_SIZE", "MECHANISMS", "SimulationParams"), "iptcore.simulate._model"
        ),
        **dict.fromkeys(
            ("CALIBRATIONS", "Calibration", "Target", "TargetCheck"),
            "iptcore.simulate.calibration",
        ),
        **dict.fromkeys(
            (
                "RISK_RATES",
                "RiskBand",
                "RiskRates",
                "cohort_items",
                "draw_items",
                "endorsement_rate",
            ),
            "iptcore.simulate.items",
        ),
        **dict.fromkeys(
            (
                "ANALYSES",
                "Power",
                "PowerPoint",
                "power",
                "trial_seed",
                "two_sample_n",
                "two_sample_power",
            ),
            "iptcore.simulate.planning",
        ),
        **dict.fromkeys(
            ("RECURRENCE", "Recurrence", "simulate_recurrence"), "iptcore.simulate.recurrence"
        ),
        **dict.fromkeys(
            ("ESTIMAND", "Estimate", "Trial", "simulate_trial"), "iptcore.simulate.trial"
        ),
        **dict.fromkeys(
            (
                "SCRIPT_ACTIONS",
                "Attendance",
                "SimulatedCourse",
                "SimulatedSession",
                "simulate_case",
            ),
            "iptcore.simulate.case",
        ),
        **dict.fromkeys(("COLUMNS", "Cohort", "simulate_cohort"), "iptcore.simulate.cohort"),
    }
)

__all__ = [
    "ANALYSES",
    "AREAS",
    "BLOCK_SIZE",
    "CALIBRATIONS",
    "COLUMNS",
    "ESTIMAND",
    "MECHANISMS",
    "RECURRENCE",
    "RISK_RATES",
    "SCRIPT_ACTIONS",
    "Attendance",
    "Calibration",
    "Cohort",
    "Estimate",
    "Power",
    "PowerPoint",
    "Recurrence",
    "RiskBand",
    "RiskRates",
    "SimulatedCourse",
    "SimulatedSession",
    "SimulationParams",
    "Target",
    "TargetCheck",
    "Trial",
    "cohort_items",
    "draw_items",
    "endorsement_rate",
    "power",
    "simulate_case",
    "simulate_cohort",
    "simulate_recurrence",
    "simulate_trial",
    "trial_seed",
    "two_sample_n",
    "two_sample_power",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iptcore.simulate' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})
