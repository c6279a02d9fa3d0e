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
    """The README gives exactly two commands: install and demo, install and test, each in a
    virtual environment of its own making (PEP 668 systems refuse a system-wide install), each
    with how long it takes."""
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert _blocks("bash") == [
        venv + "python -m pip install -e . && python -m iptcore demo\n",
        venv + 'python -m pip install -e ".[test]" && python -m pytest\n',
    ]
    text = README.read_text(encoding="utf-8")
    assert "PEP 668" in text
    assert "about 30 seconds" in text
    assert "about 5 minutes" in text


def test_the_tour_runs() -> None:
    """The tour's Python code runs as written, in a fresh interpreter."""
    [tour] = _blocks("python")
    result = subprocess.run(
        [sys.executable, "-c", tour], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "ROLE_TRANSITION" in result.stdout
    assert "assessed" in result.stdout  # the CaseError example printed its problems
