"""iptcore: the Interpersonal Psychotherapy (IPT) protocol as pure, embeddable domain objects.

The names below are the front door (``FRONT_DOOR.md``): they are a promise to users and keep their
names and meanings. Only the error classes and the IPT vocabulary are imported eagerly; everything
else (networkx, the cattrs converter, the data tables, numpy) loads on first use, so that
``import iptcore`` stays light.

iptcore supports clinicians and researchers; it is not a medical device and makes no clinical
decision. Every example case in it is fictional.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from iptcore._version import __version__
from iptcore.errors import CaseError, IptError, Problem, ProtocolError
from iptcore.terms import DisputeStage, Phase, ProblemArea

if TYPE_CHECKING:
    from iptcore.case import (
        FORMAT,
        Case,
        Conflict,
        Contact,
        Dispute,
        Event,
        EventKind,
        Expectations,
        Measure,
        Mourning,
        Patient,
        Person,
        Role,
        Tie,
        TieKind,
    )
    from iptcore.caseio import case_schema, dump_case, load_case
    from iptcore.course import Course, CoursePlan, PlannedSession, plan_course
    from iptcore.formulation import Formulation, Goal, GoalStatus, formulate
    from iptcore.inventory import Inventory
    from iptcore.measures import Instrument, Score, is_remission, is_response, score
    from iptcore.protocols import PROTOCOLS, Protocol
    from iptcore.rules import (
        DEFAULT_RULES,
        STUART_RULES,
        Classification,
        Finding,
        Rule,
        RuleSet,
        classify,
    )
    from iptcore.simulate import (
        Cohort,
        SimulatedCourse,
        SimulationParams,
        simulate_case,
        simulate_cohort,
    )
    from iptcore.techniques import TECHNIQUES, Catalogue, Technique

# name -> module that defines it; loaded on first attribute access (PEP 562).
_LAZY: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            [
                "FORMAT",
                "Case",
                "Conflict",
                "Contact",
                "Dispute",
                "Event",
                "EventKind",
                "Expectations",
                "Measure",
                "Mourning",
                "Patient",
                "Person",
                "Role",
                "Tie",
                "TieKind",
            ],
            "iptcore.case",
        ),
        **dict.fromkeys(("case_schema", "dump_case", "load_case"), "iptcore.caseio"),
        "Inventory": "iptcore.inventory",
        **dict.fromkeys(
            (
                "DEFAULT_RULES",
                "STUART_RULES",
                "Classification",
                "Finding",
                "Rule",
                "RuleSet",
                "classify",
            ),
            "iptcore.rules",
        ),
        **dict.fromkeys(("Formulation", "Goal", "GoalStatus", "formulate"), "iptcore.formulation"),
        **dict.fromkeys(("PROTOCOLS", "Protocol"), "iptcore.protocols"),
        **dict.fromkeys(
            ("Course", "CoursePlan", "PlannedSession", "plan_course"), "iptcore.course"
        ),
        **dict.fromkeys(("TECHNIQUES", "Catalogue", "Technique"), "iptcore.techniques"),
        **dict.fromkeys(
            ("Instrument", "Score", "is_remission", "is_response", "score"), "iptcore.measures"
        ),
        **dict.fromkeys(
            ("Cohort", "SimulatedCourse", "SimulationParams", "simulate_case", "simulate_cohort"),
            "iptcore.simulate",
        ),
    }
)

__all__ = [
    "DEFAULT_RULES",
    "FORMAT",
    "PROTOCOLS",
    "STUART_RULES",
    "TECHNIQUES",
    "Case",
    "CaseError",
    "Catalogue",
    "Classification",
    "Cohort",
    "Conflict",
    "Contact",
    "Course",
    "CoursePlan",
    "Dispute",
    "DisputeStage",
    "Event",
    "EventKind",
    "Expectations",
    "Finding",
    "Formulation",
    "Goal",
    "GoalStatus",
    "Instrument",
    "Inventory",
    "IptError",
    "Measure",
    "Mourning",
    "Patient",
    "Person",
    "Phase",
    "PlannedSession",
    "Problem",
    "ProblemArea",
    "Protocol",
    "ProtocolError",
    "Role",
    "Rule",
    "RuleSet",
    "Score",
    "SimulatedCourse",
    "SimulationParams",
    "Technique",
    "Tie",
    "TieKind",
    "__version__",
    "case_schema",
    "classify",
    "dump_case",
    "formulate",
    "is_remission",
    "is_response",
    "load_case",
    "plan_course",
    "score",
    "simulate_case",
    "simulate_cohort",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iptcore' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})
