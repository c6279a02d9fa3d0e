"""The README: its two commands and its tour stay true (DEVELOPERS.md: the README and CI)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_exactly_two_commands_install_and_run() -> None:
    """The README gives exactly two commands: install and demo, install and test."""
    assert _blocks("bash") == [
        "python -m pip install -e . && python -m iptcore demo\n",
        'python -m pip install -e ".[test]" && python -m pytest\n',
    ]


def test_the_tour_runs() -> None:
    """The tour's Python code runs as written, in a fresh interpreter."""
    [tour] = _blocks("python")
    result = subprocess.run(
        [sys.executable, "-c", tour], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "ROLE_TRANSITION" in result.stdout
    assert "assessed" in result.stdout  # the CaseError example printed its problems
