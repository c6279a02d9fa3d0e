"""The floor plan of iptcore's modules: every import goes down, never across in a circle or up.

Each module sits on a floor; a module may import only from lower floors. The two methods that the
case format's contract puts on ``Case`` (``Case.inventory`` and ``Case.deidentify``) are the only
exceptions, with the import inside the method. Every import is read, at module level, inside
functions and under ``TYPE_CHECKING`` alike, so a new circle or an import that runs back up fails
here, naming the module and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import iptcore

SRC = Path(iptcore.__file__).parent

#: Floor of each module, from the ground up.
FLOORS: dict[str, int] = {
    "iptcore.errors": 0,
    "iptcore.terms": 0,
    "iptcore._version": 0,
    "iptcore._frozen": 0,
    "iptcore._dates": 0,
    "iptcore._lazy": 0,
    "iptcore.draw._svg": 0,
    "iptcore._checks": 1,
    "iptcore._fields": 2,
    "iptcore.limits": 2,
    "iptcore.measures": 2,
    "iptcore.techniques": 2,
    "iptcore.ratings": 2,
    "iptcore.simulate._mmrm": 1,
    "iptcore.case": 3,
    "iptcore.protocols": 3,
    "iptcore.trajectory": 3,
    "iptcore.simulate._model": 3,
    "iptcore.caseio": 4,
    "iptcore.inventory": 6,
    "iptcore.findings": 4,
    "iptcore.screening": 4,
    "iptcore.simulate.recurrence": 4,
    "iptcore.simulate.calibration": 4,
    "iptcore.rules": 5,
    "iptcore.goals": 5,
    "iptcore.vignettes": 5,
    "iptcore.network": 5,
    "iptcore.simulate.cohort": 5,
    "iptcore.formulation": 7,
    "iptcore.testing": 7,
    "iptcore.plan": 6,
    "iptcore.simulate.trial": 6,
    "iptcore.simulate.items": 6,
    "iptcore.simulate.planning": 8,
    "iptcore.course": 8,
    "iptcore.ics": 9,
    "iptcore.deidentify": 9,
    "iptcore.fidelity": 9,
    "iptcore.courseio": 9,
    "iptcore.simulate.case": 10,
    "iptcore.fhir": 10,
    "iptcore.simulate": 11,
    "iptcore.draw.case": 11,
    "iptcore.draw.statediagram": 11,
    "iptcore.draw.plot": 12,
    "iptcore.draw.trajectory": 11,
    "iptcore.draw": 13,
    "iptcore.report": 14,
    "iptcore": 15,
    "iptcore.cli": 16,
    "iptcore.__main__": 17,
}

#: The contract's two methods on Case, which import their view inside the method.
CONTRACT = {("iptcore.case", "iptcore.inventory"), ("iptcore.case", "iptcore.deidentify")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = ("iptcore", *path.relative_to(SRC).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "iptcore":
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "iptcore"}
    out.discard(name)
    return out


def test_every_module_has_a_floor() -> None:
    """A new module names its floor here, so that its place in the plan is a decision."""
    assert sorted(set(MODULES) - set(FLOORS)) == []
    assert sorted(set(FLOORS) - set(MODULES)) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_only_go_down(name: str) -> None:
    """No import circle and no import that runs back up to a higher floor."""
    upward = sorted(
        imported
        for imported in _imports(name)
        if (name, imported) not in CONTRACT and FLOORS.get(imported, 99) >= FLOORS[name]
    )
    assert upward == [], f"{name} imports {upward} from its own floor or above"


def test_the_contract_methods_import_inside_the_method() -> None:
    """Case.inventory and Case.deidentify import their view inside the method, so loading a
    case loads neither networkx nor the deidentifier."""
    tree = ast.parse(MODULES["iptcore.case"].read_text(encoding="utf-8"))
    top = {
        n.module
        for n in tree.body
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("iptcore")
    }
    assert "iptcore.inventory" not in top
    assert "iptcore.deidentify" not in top


# --------------------------------------------------------------------------------------------
# The tests stand where a user stands: the public API only
# --------------------------------------------------------------------------------------------

TESTS = Path(__file__).parent


def _private(name: str) -> bool:
    """A ``_private`` name (``__dunder__`` and ``_sunder_`` names are the language's own)."""
    return name.startswith("_") and not name.endswith("_")


def _own(value: ast.expr) -> bool:
    """Whether ``value`` is a method's own ``self`` or ``cls``."""
    return isinstance(value, ast.Name) and value.id in ("self", "cls")


def _private_uses(source: str) -> list[str]:
    """Where ``source`` imports a private module or name of iptcore, or reads a private attribute
    of anything but its own ``self``/``cls``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] == "iptcore"
                and any(_private(part) for part in alias.name.split("."))
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "iptcore":
            module = node.module or ""
            names = [alias.name for alias in node.names]
            if any(_private(part) for part in module.split(".")) or any(map(_private, names)):
                found.append(f"line {node.lineno}: from {module} import {', '.join(names)}")
        elif isinstance(node, ast.Attribute) and _private(node.attr) and not _own(node.value):
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from iptcore._checks import instance_of",
        "import iptcore._fields",
        "from iptcore import _dates",
        "from iptcore.simulate._model import AREAS",
        "from iptcore.rules import _days",
        "from iptcore import rules\nrules._ids([])",
        "from iptcore import Case\nCase._from_checked({})",
    ],
)
def test_a_private_name_in_a_test_is_found(source: str) -> None:
    assert _private_uses(source) != []


def test_the_public_and_a_tests_own_names_are_allowed() -> None:
    source = (
        "from iptcore import Case, __version__\nfrom iptcore.rules import DEFAULT_RULES\n"
        "def _helper(): ...\nclass T:\n    def m(self):\n        return self._own\n"
        "GoalStatus._value2member_map_\n"
    )
    assert _private_uses(source) == []


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda path: path.name)
def test_tests_use_the_public_api_only(path: Path) -> None:
    """Tests show behaviour a user can reach: no private module (``iptcore._checks``,
    ``iptcore._fields``, ...) and no ``_private`` name of iptcore, so that a test fails only when
    something a user would notice changes."""
    assert _private_uses(path.read_text(encoding="utf-8")) == []


def test_no_skip_makes_every_skip_a_failure(tmp_path: Path) -> None:
    """With ``IPTCORE_NO_SKIP=1`` (as CI runs the suite, with the test extra and Chromium) a test
    or a module that skips fails, saying why it skipped; an expected failure stays one. Without
    it, a missing extra is a skip with its reason."""
    import os
    import shutil
    import subprocess
    import sys

    shutil.copy(TESTS / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_some.py").write_text(
        "import pytest\n"
        "def test_skips():\n    pytest.skip('no widget')\n"
        "@pytest.mark.xfail(strict=True, reason='known')\ndef test_fails():\n    assert False\n"
        "def test_passes():\n    pass\n",
        encoding="utf-8",
    )
    (tmp_path / "test_module.py").write_text(
        "import pytest\npytest.importorskip('iptcore_no_such_extra')\n", encoding="utf-8"
    )

    def run(*names: str, strict: bool) -> subprocess.CompletedProcess[str]:
        # The inner run is not the suite: CI's options (coverage and its floor) are not its own.
        env = {
            k: v for k, v in os.environ.items() if k not in ("IPTCORE_NO_SKIP", "PYTEST_ADDOPTS")
        }
        if strict:
            env["IPTCORE_NO_SKIP"] = "1"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *names,
        ]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    lenient = run("test_some.py", "test_module.py", strict=False)
    assert lenient.returncode == 0, lenient.stdout
    assert "1 passed, 2 skipped, 1 xfailed" in lenient.stdout
    strict = run("test_some.py", strict=True)
    assert strict.returncode == 1, strict.stdout
    assert "1 failed, 1 passed, 1 xfailed" in strict.stdout
    assert "IPTCORE_NO_SKIP=1 allows no skip: Skipped: no widget" in strict.stdout
    module = run("test_module.py", strict=True)
    assert module.returncode != 0, module.stdout
    assert "allows no skip" in module.stdout
