"""The command line: `python -m iptcore` (issue 2, item 7)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from iptcore.cli import main
from iptcore.vignettes import VIGNETTES, document


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document("demo")), encoding="utf-8")
    return path


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    doc = document("demo")
    doc["onset"] = "2026-04-01"
    doc["people"][1]["closeness"] = 9
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_demo_walks_the_fictional_case() -> None:
    """demo prints the inventory with the closeness circle as text, and says it is fictional."""
    status, text = run("demo")
    assert status == 0
    assert "fictional" in text
    assert "not a medical device" in text
    assert "Ring 1 (innermost)" in text
    assert "Ring 4 (outermost)" in text


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_demo_of_every_vignette(name: str) -> None:
    """Every vignette can be walked through."""
    status, text = run("demo", "--case", name)
    assert status == 0
    assert "Interpersonal inventory" in text


def test_demo_json() -> None:
    """--json prints machine-readable output."""
    status, text = run("demo", "--json")
    assert status == 0
    data = json.loads(text)
    assert data["case"]["id"] == "demo-maya"


def test_validate_valid_and_invalid(case_file: Path, bad_file: Path) -> None:
    """validate prints each problem with its path; exit status 1 when any file is invalid."""
    status, text = run("validate", str(case_file))
    assert (status, text) == (0, f"{case_file}: valid\n")
    status, text = run("validate", str(case_file), str(bad_file))
    assert status == 1
    assert "people[1].closeness: must be between 1 and 4, got 9" in text
    assert "onset: is 2026-04-01, after assessed (2026-03-02)" in text


def test_validate_json(bad_file: Path, tmp_path: Path) -> None:
    """validate --json lists every problem with path and message."""
    status, text = run("validate", "--json", str(bad_file), str(tmp_path / "missing.json"))
    assert status == 1
    results = json.loads(text)
    assert [r["valid"] for r in results] == [False, False]
    assert {"path": "people[1].closeness", "message": "must be between 1 and 4, got 9"} in results[
        0
    ]["problems"]
    assert "cannot read the file" in results[1]["problems"][0]["message"]


def test_show_prints_the_inventory(case_file: Path) -> None:
    """show prints a case's inventory; --json the same as data."""
    status, text = run("show", str(case_file))
    assert status == 0
    assert "Jon [jon]" in text
    status, text = run("show", "--json", str(case_file))
    assert status == 0
    assert isinstance(json.loads(text), dict)


def test_errors_go_to_stderr_without_traceback(
    bad_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors go to stderr with no traceback (issue 2)."""
    status, text = run("show", str(bad_file))
    assert status == 1
    assert text == ""
    err = capsys.readouterr().err
    assert err.startswith("iptcore: error: invalid case")
    assert "Traceback" not in err


def test_usage_error_is_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command is a usage error."""
    status, _ = run("frobnicate")
    assert status == 2
    assert "invalid choice" in capsys.readouterr().err


def test_schema() -> None:
    """schema prints the JSON Schema of the case format."""
    status, text = run("schema")
    assert status == 0
    assert json.loads(text)["properties"]["format"] == {"const": "iptcore.case/1"}


def test_python_dash_m() -> None:
    """`python -m iptcore` runs the same command line, in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-m", "iptcore", "demo"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Interpersonal inventory" in result.stdout
    assert result.stderr == ""


def test_demo_shows_classification_plan_and_techniques() -> None:
    """demo walks from the inventory to the focus, formulation, techniques, measures and plan."""
    status, text = run("demo")
    assert status == 0
    assert "Focus: role transition" in text
    assert "provisional" in text
    assert "You have depression." in text
    assert "Decision analysis" in text
    assert "PHQ-9 14 (moderate)" in text
    assert "16 weekly sessions" in text


def test_classify_prints_candidates_and_formulation(case_file: Path) -> None:
    """classify prints the focus, every candidate with evidence and rationale, the formulation."""
    status, text = run("classify", str(case_file))
    assert status == 0
    assert "evidence: new_job" in text
    assert "why: Rule transition.life_change" in text
    assert "began in December 2025" in text
    status, text = run("classify", "--json", str(case_file))
    data = json.loads(text)
    assert set(data) == {"classification", "formulation"}


def test_plan_prints_table_and_writes_calendar(case_file: Path, tmp_path: Path) -> None:
    """plan prints the course as a table; a skipped date moves the rest; --ics writes a calendar."""
    ics = tmp_path / "plan.ics"
    status, text = run(
        "plan", str(case_file), "--start", "2026-03-09", "--skip", "2026-03-16", "--ics", str(ics)
    )
    assert status == 0
    assert "2026-03-09" in text
    assert "2026-03-23" in text
    assert "2026-03-16" not in text.split("Calendar")[0].split("\n", 3)[3]
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    status, text = run(
        "plan", str(case_file), "--start", "2026-03-09", "--protocol", "ipt-b", "--json"
    )
    assert status == 0
    assert json.loads(text)


def test_plan_refuses_a_count_outside_the_protocol(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session count outside the protocol's range is refused with a one-line error."""
    status, _ = run("plan", str(case_file), "--start", "2026-03-09", "--sessions", "30")
    assert status == 1
    assert capsys.readouterr().err.startswith("iptcore: error:")


def test_plan_bad_date_is_a_usage_error(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A start that is not a date is a usage error naming the value."""
    status, _ = run("plan", str(case_file), "--start", "2026-02-30")
    assert status == 2
    assert "'2026-02-30' is not a date" in capsys.readouterr().err


def test_simulate_prints_the_summary_and_writes_csv(tmp_path: Path) -> None:
    """simulate prints the cohort's summary; --out writes one CSV row per case (issue 6)."""
    out = tmp_path / "results.csv"
    status, text = run("simulate", "--n", "500", "--seed", "1", "--out", str(out))
    assert status == 0
    assert "500 simulated cases, arm ipt" in text
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "case,area,baseline,end,sessions_attended,dropped_out,response,remission"
    assert len(rows) == 501


def test_simulate_is_reproducible_and_worker_independent() -> None:
    """Same seed, same summary, whatever the number of workers (issue 6)."""
    _, one = run("simulate", "--n", "300", "--seed", "7", "--arm", "control", "--json")
    _, two = run(
        "simulate", "--n", "300", "--seed", "7", "--arm", "control", "--json", "--workers", "2"
    )
    assert json.loads(one) == json.loads(two)
    assert json.loads(one)["summary"]["n"] == 300


def test_simulate_progress_bar_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    """The progress bar is drawn on stderr, never on stdout."""
    status, text = run("simulate", "--n", "100", "--seed", "1", "--progress", "--protocol", "ipt-b")
    assert status == 0
    assert "#" not in text
    assert "100/100 cases" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["--n", "0", "--seed", "1"], ["--n", "5", "--seed", "1", "--workers", "0"]]
)
def test_simulate_refuses_bad_counts(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A count below 1 is refused with a one-line error naming the option."""
    status, _ = run("simulate", *argv)
    assert status == 1
    assert capsys.readouterr().err.startswith("iptcore: error: --")


def test_demo_shows_a_simulated_course() -> None:
    """demo ends with a seeded simulated course and a cohort against control."""
    _, text = run("demo")
    assert "Simulated course of case demo-maya (seed 4)" in text
    assert "Hedges' g of end scores" in text
