"""The front door: every promised name exists, and `import iptcore` stays light (the house style, 10)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import iptcore

FRONT_DOOR = [
    "load_case",
    "dump_case",
    "case_schema",
    "Case",
    "Inventory",
    "classify",
    "DEFAULT_RULES",
    "Classification",
    "Finding",
    "ProblemArea",
    "DisputeStage",
    "formulate",
    "Formulation",
    "plan_course",
    "CoursePlan",
    "PlannedSession",
    "Phase",
    "PROTOCOLS",
    "Protocol",
    "Course",
    "TECHNIQUES",
    "Technique",
    "score",
    "Score",
    "is_response",
    "is_remission",
    "simulate_cohort",
    "Cohort",
    "simulate_case",
    "SimulatedCourse",
    "IptError",
    "CaseError",
    "ProtocolError",
    "Person",
    "Dispute",
    "Tie",
    "Event",
    "Measure",
]


def _modules_after(code: str) -> list[str]:
    script = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


HEAVY = ("numpy", "pandas", "matplotlib", "hypothesis", "networkx", "dask", "icalendar")


def test_import_iptcore_is_light() -> None:
    """`import iptcore` does not import numpy, pandas, matplotlib, hypothesis, nor
    networkx, Dask or icalendar, which load on first use."""
    loaded = _modules_after("import iptcore")
    assert [m for m in HEAVY if m in loaded] == []


def test_reading_a_case_stays_light() -> None:
    """Loading and dumping a case needs neither numpy nor networkx."""
    code = (
        "import iptcore\n"
        "from iptcore.vignettes import vignette\n"
        "iptcore.dump_case(vignette('demo'))"
    )
    loaded = _modules_after(code)
    assert [m for m in HEAVY if m in loaded] == []


@pytest.mark.parametrize("name", FRONT_DOOR)
def test_front_door_names_exist(name: str) -> None:
    """Every name of the public API is importable from the top level."""
    assert getattr(iptcore, name) is not None
    assert name in iptcore.__all__


def test_all_names_resolve() -> None:
    """Every name in __all__ resolves, so `from iptcore import *` works."""
    missing = [name for name in iptcore.__all__ if not hasattr(iptcore, name)]
    assert missing == []


def test_unknown_name_is_an_attribute_error() -> None:
    """A name that is not part of the front door raises AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = iptcore.no_such_name  # type: ignore[attr-defined]


def test_enums_are_the_case_file_words() -> None:
    """Every enum is a str enum whose values are the case-file words (the public API)."""
    assert iptcore.ProblemArea("grief") is iptcore.ProblemArea.GRIEF
    assert iptcore.ProblemArea.GRIEF == "grief"
    assert iptcore.DisputeStage("impasse") == "impasse"
    assert iptcore.Phase.TERMINATION == "termination"


def test_error_family() -> None:
    """IptError is the base of all the library's errors; CaseError is also a ValueError."""
    assert issubclass(iptcore.CaseError, iptcore.IptError)
    assert issubclass(iptcore.CaseError, ValueError)
    assert issubclass(iptcore.ProtocolError, iptcore.IptError)
