"""The example scripts run, say what they promise, and draw their pictures.

Each script in ``examples/`` runs in its own process, the way a reader (and ``.ci/run``, and the
docs build) runs it: ``python examples/NAME.py --pictures DIR``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

#: script -> (lines its output must contain, pictures it must write)
PROMISES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "quickstart.py": (
        ("focus: role_transition", "16 weekly sessions, 2026-03-09 to 2026-06-22"),
        ("quickstart-closeness.svg", "quickstart-timeline.svg"),
    ),
    "app_integration.py": (
        (
            "people[1].closeness",
            "onset                    [Onset of this episode]",
            "read back equal: True",
            "same focus after deidentification: True",
        ),
        (),
    ),
    "simulation_study.py": (
        (
            "identical to the serial run: True",
            "Simulated course of case vignette-dispute (seed 0)",
            "rerun with the same seed is identical: True",
        ),
        ("simulation-trajectories.svg", "simulation-sweep.svg", "simulation-courses.svg"),
    ),
    "teaching_vignettes.py": (
        ("widow: grief", "focus: role_dispute", "focus: interpersonal_deficits", "perinatal"),
        tuple(
            f"vignette-{name}-{kind}.svg"
            for name in ("widow", "dispute", "transition", "deficits", "perinatal")
            for kind in ("closeness", "timeline")
        ),
    ),
    "custom_rules.py": (
        ("6-month window: interpersonal deficits", "Rule local.caregiving [local]"),
        ("custom-rules-timeline.svg",),
    ),
}


def test_every_example_is_checked_here() -> None:
    """At least five examples, and none of them unchecked."""
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    assert len(scripts) >= 5
    assert scripts == sorted(PROMISES)


@pytest.mark.parametrize("script", sorted(PROMISES))
def test_example_runs_and_draws(script: str, tmp_path: Path) -> None:
    """The script exits 0, prints what it promises, says its data is fictional, and draws."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--pictures", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines, pictures = PROMISES[script]
    for line in lines:
        assert line in result.stdout, f"{script} no longer prints {line!r}"
    source = (EXAMPLES / script).read_text(encoding="utf-8")
    assert "fictional" in source.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(pictures)
    for picture in pictures:
        assert ET.parse(tmp_path / picture).getroot().tag.endswith("svg")
