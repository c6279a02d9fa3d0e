"""The pages' examples run under ``python -m pytest``, as the docs build runs them.

Every ``{doctest}`` block of ``docs/`` is an example a reader copies; a change that breaks one
must fail the test command, not only the docs build. Docstring examples are run by pytest itself
(``--doctest-modules``); the pages' blocks are run here by Sphinx's doctest builder, in its own
process and build directory, with warnings as errors, exactly as ``.ci/run`` runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_example_of_the_docs_pages_runs_and_shows_what_the_page_says(
    tmp_path: Path,
) -> None:
    build = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "doctest"]
    where = ["-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "doctest")]
    result = subprocess.run(build + where, capture_output=True, text=True, check=False)
    report = tmp_path / "doctest" / "output.txt"
    summary = report.read_text(encoding="utf-8") if report.exists() else ""
    assert result.returncode == 0, (
        f"{summary[-6000:]}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    assert "0 failures in tests" in summary
