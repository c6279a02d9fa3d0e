"""iptcore: the Interpersonal Psychotherapy (IPT) protocol as pure, embeddable domain objects.

The names below are the front door: a promise to users, kept with their names and meanings. Only
the error classes and the IPT vocabulary are imported eagerly; everything else (networkx, the
cattrs converter, the data tables, numpy) loads on first use, so that ``import iptcore`` stays
light. Pictures are in :mod:`iptcore.draw`, calendars in :mod:`iptcore.ics`.

iptcore supports clinicians and researchers; it is not a medical device and makes no clinical
decision. Every example case in it is fictional.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from iptcore._lazy import namespace
from iptcore._version import __version__ as __version__
from iptcore.errors import CaseError as CaseError
from iptcore.errors import IptError as IptError
from iptcore.errors import Problem as Problem
from iptcore.errors import ProtocolError as ProtocolError
from iptcore.terms import DisputeStage as DisputeStage
from iptcore.terms import Phase as Phase
from iptcore.terms import ProblemArea as ProblemArea

if TYPE_CHECKING:  # the same names as _LAZY below; a test keeps the two in step
    from iptcore.case import CASE_FORMAT as CASE_FORMAT
    from iptcore.case import Case as Case
    from iptcore.case import Conflict as Conflict
    from iptcore.case import Contact as Contact
    from iptcore.case import Dispute as Dispute
    from iptcore.case import Event as Event
    from iptcore.case import EventKind as EventKind
    from iptcore.case import Expectations as Expectations
    from iptcore.case import Measure as Measure
    from iptcore.case import Mourning as Mourning
    from iptcore.case import Patient as Patient
    from iptcore.case import PatientScreening as PatientScreening
    from iptcore.case import Person as Person
    from iptcore.case import Role as Role
    from iptcore.case import Tie as Tie
    from iptcore.case import TieKind as TieKind
    from iptcore.caseio import case_schema as case_schema
    from iptcore.caseio import dump_case as dump_case
    from iptcore.caseio import load_case as load_case
    from iptcore.course import Course as Course
    from iptcore.course import State as State
    from iptcore.course import StepKind as StepKind
    from iptcore.courseio import dump_course as dump_course
    from iptcore.courseio import dump_plan as dump_plan
    from iptcore.courseio import load_course as load_course
    from iptcore.courseio import load_plan as load_plan
    from iptcore.findings import Classification as Classification
    from iptcore.findings import Finding as Finding
    from iptcore.formulation import Formulation as Formulation
    from iptcore.formulation import formulate as formulate
    from iptcore.goals import Goal as Goal
    from iptcore.goals import GoalStatus as GoalStatus
    from iptcore.inventory import Inventory as Inventory
    from iptcore.measures import Instrument as Instrument
    from iptcore.measures import Score as Score
    from iptcore.measures import is_remission as is_remission
    from iptcore.measures import is_response as is_response
    from iptcore.measures import score as score
    from iptcore.plan import CoursePlan as CoursePlan
    from iptcore.plan import FocusArea as FocusArea
    from iptcore.plan import PlannedSession as PlannedSession
    from iptcore.plan import plan_course as plan_course
    from iptcore.protocols import PROTOCOLS as PROTOCOLS
    from iptcore.protocols import Protocol as Protocol
    from iptcore.rules import DEFAULT_RULES as DEFAULT_RULES
    from iptcore.rules import STUART_RULES as STUART_RULES
    from iptcore.rules import WHO_RULES as WHO_RULES
    from iptcore.rules import Rule as Rule
    from iptcore.rules import RuleSet as RuleSet
    from iptcore.rules import classify as classify
    from iptcore.screening import Screening as Screening
    from iptcore.screening import screen as screen
    from iptcore.simulate import Cohort as Cohort
    from iptcore.simulate import SimulatedCourse as SimulatedCourse
    from iptcore.simulate import SimulationParams as SimulationParams
    from iptcore.simulate import simulate_case as simulate_case
    from iptcore.simulate import simulate_cohort as simulate_cohort
    from iptcore.techniques import TECHNIQUES as TECHNIQUES
    from iptcore.techniques import Catalogue as Catalogue
    from iptcore.techniques import Technique as Technique

#: Each module and the public names it is the home of; read on first attribute access (PEP 562).
_LAZY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "iptcore.case": (
            "CASE_FORMAT",
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
            "PatientScreening",
            "Person",
            "Role",
            "Tie",
            "TieKind",
        ),
        "iptcore.caseio": ("case_schema", "dump_case", "load_case"),
        "iptcore.inventory": ("Inventory",),
        "iptcore.findings": ("Classification", "Finding"),
        "iptcore.rules": (
            "DEFAULT_RULES",
            "STUART_RULES",
            "WHO_RULES",
            "Rule",
            "RuleSet",
            "classify",
        ),
        "iptcore.screening": ("Screening", "screen"),
        "iptcore.goals": ("Goal", "GoalStatus"),
        "iptcore.formulation": ("Formulation", "formulate"),
        "iptcore.protocols": ("PROTOCOLS", "Protocol"),
        "iptcore.plan": ("CoursePlan", "FocusArea", "PlannedSession", "plan_course"),
        "iptcore.course": ("Course", "State", "StepKind"),
        "iptcore.courseio": ("dump_course", "dump_plan", "load_course", "load_plan"),
        "iptcore.techniques": ("TECHNIQUES", "Catalogue", "Technique"),
        "iptcore.measures": ("Instrument", "Score", "is_remission", "is_response", "score"),
        "iptcore.simulate": (
            "Cohort",
            "SimulatedCourse",
            "SimulationParams",
            "simulate_case",
            "simulate_cohort",
        ),
    }
)
_EAGER = (
    "CaseError",
    "DisputeStage",
    "IptError",
    "Phase",
    "Problem",
    "ProblemArea",
    "ProtocolError",
    "__version__",
)
__all__, _get, _dir = namespace(__name__, _LAZY, _EAGER)


def __getattr__(name: str) -> Any:
    return _get(name)


def __dir__() -> list[str]:
    return _dir()
