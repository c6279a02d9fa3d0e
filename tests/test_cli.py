"""The command line: `python -m iptcore`, run in-process and, for exits and tracebacks, as a process."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from iptcore.cli import main, worker_count
from iptcore.vignettes import VIGNETTES, document


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def write_case(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    return write_case(tmp_path / "case.json", document("demo"))


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    doc = document("demo")
    doc["onset"] = "2026-04-01"
    doc["people"][1]["closeness"] = 9
    return write_case(tmp_path / "bad.json", doc)


def test_demo_walks_the_fictional_case() -> None:
    """demo prints the inventory with the closeness circle as text, and says it is fictional."""
    status, text = run("demo")
    assert status == 0
    assert "fictional" in text
    assert "not a medical device" in text
    assert "Ring 1 (innermost)" in text
    assert "Ring 4 (outermost)" in text


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
    """Errors go to stderr, one line naming the file and every problem, with no traceback."""
    status, text = run("show", str(bad_file))
    assert status == 1
    assert text == ""
    err = capsys.readouterr().err
    assert err.startswith(f"iptcore: error: {bad_file}: invalid case, 2 problems: ")
    assert "people[1].closeness: must be between 1 and 4, got 9" in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1


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
    """A start that is not on the calendar is a usage error saying so, as load_case does; one not
    written YYYY-MM-DD says that instead."""
    status, _ = run("plan", str(case_file), "--start", "2026-02-30")
    assert status == 2
    err = capsys.readouterr().err
    assert "'2026-02-30' is not a real calendar date" in err
    assert "YYYY-MM-DD" not in err
    for written in ("2026-3-9", "20260309", "2026-W10-1"):
        status, _ = run("plan", str(case_file), "--start", written)
        assert status == 2
        assert f"{written!r} is not a date written YYYY-MM-DD" in capsys.readouterr().err


def test_simulate_prints_the_summary_and_writes_csv(tmp_path: Path) -> None:
    """simulate prints the cohort's summary; --out writes one CSV row per case."""
    out = tmp_path / "results.csv"
    status, text = run("simulate", "--n", "500", "--seed", "1", "--out", str(out))
    assert status == 0
    assert "500 simulated cases, arm ipt" in text
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == (
        "case,arm,seed,area,baseline,end,change,sessions_attended,dropped_out,dropout_session,"
        "response,remission"
    )
    assert len(rows) == 501


def test_simulate_is_reproducible_and_worker_independent() -> None:
    """Same seed, same summary, whatever the number of workers."""
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
    """A count below 1 is a usage error: one line naming the option."""
    status, _ = run("simulate", *argv)
    assert status == 2
    assert capsys.readouterr().err.startswith("iptcore: error: --")


def test_demo_shows_a_simulated_course() -> None:
    """demo ends with a seeded simulated course and a cohort against control."""
    _, text = run("demo")
    assert "One course (seed 4), phq9 at baseline 14" in text
    assert "Hedges' g of end scores" in text


# --------------------------------------------------------------------------------------------
# Failures: one line, a status, never a traceback
# --------------------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_process(
    *argv: str | bytes, stdin: bytes | None = None, **options: Any
) -> subprocess.CompletedProcess[bytes]:
    """`python -m iptcore ARGV` in a fresh interpreter (bytes, so that any file name passes)."""
    return subprocess.run(
        [sys.executable, "-m", "iptcore", *argv],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=120,
        **options,
    )


def assert_one_error_line(stderr: str | bytes) -> str:
    """stderr is exactly one line `iptcore: error: ...`; returns it."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("iptcore: error: "), text
    assert "Traceback" not in text
    return lines[0]


def _unwritable(tmp_path: Path) -> list[tuple[str, str]]:
    """Output paths that cannot be written, with the reason the error must name."""
    places = [
        (str(tmp_path), "Is a directory"),
        (str(tmp_path / "missing" / "out"), "No such file or directory"),
    ]
    if Path("/dev/full").exists():
        places.append(("/dev/full", "No space left on device"))
    return places


def test_output_files_that_cannot_be_written(case_file: Path, tmp_path: Path) -> None:
    """--ics and --out to a directory, a missing directory or a full device: one error line
    naming the option, the file and the reason; status 1; nothing on stdout."""
    for target, reason in _unwritable(tmp_path):
        for argv in (
            ["plan", str(case_file), "--start", "2026-03-09", "--ics", target],
            ["simulate", "--n", "20", "--seed", "1", "--out", target],
        ):
            result = run_process(*argv)
            assert result.returncode == 1, argv
            assert result.stdout == b""
            line = assert_one_error_line(result.stderr)
            assert argv[-2] in line
            assert target in line
            assert reason in line


def test_output_file_error_in_process(
    case_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same failure, called in-process, with --json: a JSON object on stdout."""
    status, text = run(
        "plan", str(case_file), "--start", "2026-03-09", "--ics", str(tmp_path), "--json"
    )
    assert status == 1
    data = json.loads(text)
    assert data["status"] == 1
    assert data["problems"] == [
        {"file": str(tmp_path), "path": "", "message": "cannot write the file: Is a directory"}
    ]
    assert_one_error_line(capsys.readouterr().err)


def test_stdout_closed_or_full_or_a_broken_pipe() -> None:
    """`iptcore schema >&-`, `> /dev/full` and a reader that went away: one line, status 1."""
    result = subprocess.run(
        f"{shlex.quote(sys.executable)} -m iptcore schema >&-",
        shell=True,
        stderr=subprocess.PIPE,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert "standard output is closed" in assert_one_error_line(result.stderr)
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                [sys.executable, "-m", "iptcore", "schema"],
                stdout=full,
                stderr=subprocess.PIPE,
                check=False,
                timeout=120,
            )
        assert result.returncode == 1
        assert "No space left on device" in assert_one_error_line(result.stderr)
    with subprocess.Popen(
        [sys.executable, "-m", "iptcore", "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.close()  # before the child writes: its write meets a broken pipe
        err = process.stderr.read()
        assert process.wait(timeout=120) == 1
    assert "Broken pipe" in assert_one_error_line(err)


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """A file name with bytes that are not UTF-8 is read, and printed with those bytes escaped."""
    name = os.fsencode(tmp_path) + b"/caf\xe9.json"
    with open(name, "wb") as handle:
        handle.write(json.dumps(document("demo")).encode("utf-8"))
    result = run_process("validate", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout == os.fsencode(tmp_path) + b"/caf\\xe9.json: valid\n"
    result = run_process("show", name + b".missing")
    assert result.returncode == 1
    assert "caf\\xe9.json.missing" in assert_one_error_line(result.stderr)


def test_validate_reports_every_file_and_never_blocks_on_a_fifo(
    case_file: Path, tmp_path: Path
) -> None:
    """A FIFO, a directory and a device are refused before they are read (a FIFO would block
    forever); the other files' results are all there."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    files = [str(fifo), str(tmp_path), "/dev/null", str(case_file)]
    result = run_process("validate", "--json", *files)
    assert result.returncode == 1
    results = json.loads(result.stdout)
    assert [(r["file"], r["valid"]) for r in results] == [
        (str(fifo), False),
        (str(tmp_path), False),
        ("/dev/null", False),
        (str(case_file), True),
    ]
    messages = [r["problems"][0]["message"] for r in results[:3]]
    assert messages == [
        "cannot read the file: it is a FIFO (named pipe), not a regular file",
        "cannot read the file: it is a directory, not a regular file",
        "cannot read the file: it is a character device, not a regular file",
    ]


# --------------------------------------------------------------------------------------------
# --json everywhere, standard input
# --------------------------------------------------------------------------------------------


@pytest.fixture
def many_problems_file(tmp_path: Path) -> Path:
    """A case with seven problems: more than the one-line summary of CaseError shows."""
    doc = document("demo")
    for person in doc["people"]:
        person["closeness"] = 9
    doc["onset"] = "2026-04-01"
    doc["nickname"] = "x"
    return write_case(tmp_path / "many.json", doc)


@pytest.mark.parametrize("command", ["show", "classify", "plan"])
def test_json_errors_list_every_problem(
    command: str, many_problems_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json an invalid case gives a JSON object on stdout listing every problem with its
    file, path and message; stderr has the one error line, naming all of them too."""
    extra = ["--start", "2026-03-09"] if command == "plan" else []
    status, text = run(command, str(many_problems_file), "--json", *extra)
    assert status == 1
    data = json.loads(text)
    assert data["status"] == 1
    problems = data["problems"]
    assert len(problems) == 7
    assert {p["file"] for p in problems} == {str(many_problems_file)}
    assert any(p["path"] == "nickname" for p in problems)
    assert [p["path"] for p in problems if p["path"].startswith("people")] == [
        f"people[{i}].closeness" for i in range(5)
    ]
    line = assert_one_error_line(capsys.readouterr().err)
    assert "7 problems" in line
    assert "people[4].closeness" in line  # not cut after five


@pytest.mark.parametrize(
    "argv",
    [
        ["schema", "--json"],
        ["demo", "--json"],
        ["simulate", "--n", "10", "--seed", "1", "--json"],
    ],
)
def test_every_command_takes_json(argv: list[str]) -> None:
    """--json works for every command, schema included (its output is JSON anyway)."""
    status, text = run(*argv)
    assert status == 0
    assert isinstance(json.loads(text), dict)


def test_usage_error_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error with --json is a JSON object too, status 2."""
    status, text = run("plan", "x.json", "--start", "2026-02-30", "--json")
    assert status == 2
    data = json.loads(text)
    assert data["status"] == 2
    assert "is not a real calendar date" in data["problems"][0]["message"]
    assert "plan: argument --start" in assert_one_error_line(capsys.readouterr().err)


def test_dash_reads_standard_input(bad_file: Path) -> None:
    """`validate -` (and any FILE of `-`) reads the case from standard input."""
    doc = json.dumps(document("demo")).encode("utf-8")
    out = io.StringIO()
    assert main(["validate", "-"], out=out, stdin=io.BytesIO(doc)) == 0
    assert out.getvalue() == "-: valid\n"
    out = io.StringIO()
    assert main(["show", "-"], out=out, stdin=io.BytesIO(doc)) == 0
    assert "Jon [jon]" in out.getvalue()
    result = run_process("validate", "-", str(bad_file), stdin=bad_file.read_bytes())
    assert result.returncode == 1
    assert result.stdout.decode().count("invalid, 2 problems") == 2


# --------------------------------------------------------------------------------------------
# Help, examples, demo
# --------------------------------------------------------------------------------------------


def test_help_says_the_whole_disclaimer(capsys: pytest.CaptureFixture[str]) -> None:
    """--help carries the whole sentence "it is not a medical device.", never cut mid-word."""
    status, _ = run("--help")
    assert status == 0
    words = " ".join(capsys.readouterr().out.split())
    assert "iptcore supports clinicians and researchers; it is not a medical device." in words
    assert "device. T" not in words
    assert words.endswith("folder of the source.")


@pytest.mark.parametrize(
    ("file", "name", "focus"),
    [
        ("grief.json", "widow", "grief"),
        ("dispute.json", "dispute", "role dispute"),
        ("transition.json", "transition", "role transition"),
        ("deficits.json", "deficits", "interpersonal deficits"),
        ("perinatal.json", "perinatal", "role transition"),
    ],
)
def test_example_case_files(file: str, name: str, focus: str) -> None:
    """The example case files are the fictional vignettes, say they are fictional, and each
    classifies to its problem area."""
    from iptcore import dump_case, load_case
    from iptcore.vignettes import vignette

    path = EXAMPLES / file
    assert dump_case(load_case(path)) == dump_case(vignette(name))
    assert "fictional" in path.read_text(encoding="utf-8")
    status, text = run("classify", str(path))
    assert status == 0
    assert text.splitlines()[1].startswith(f"Focus: {focus}")


def test_the_invalid_example(capsys: pytest.CaptureFixture[str]) -> None:
    """examples/invalid.json shows validate at work: three problems, each with its path."""
    status, text = run("validate", str(EXAMPLES / "invalid.json"))
    assert status == 1
    assert "invalid, 3 problems" in text
    assert "onset: '2026-13-01' is not a real calendar date" in text
    assert "people[0].closeness: must be between 1 and 4, got 9" in text
    assert "people[0].nickname: is not a field of a person" in text


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_demo_reads_in_a_screen_or_two(name: str) -> None:
    """Every vignette can be walked through; the text demo fits two screens (at most 72 lines,
    two screens of 36, of at most 100 columns: the formulation is shown whole, as it is offered),
    with no agenda repeated, and points to the commands that show more."""
    status, text = run("demo", "--case", name)
    assert status == 0
    assert "Interpersonal inventory" in text
    lines = text.splitlines()
    assert len(lines) <= 72
    assert max(len(line) for line in lines) <= 100
    assert "How have things been" not in text
    for command in ("iptcore show", "iptcore classify", "iptcore plan", "iptcore simulate"):
        assert command in text


def test_demo_json_is_the_whole_walk() -> None:
    """demo --json has every step the text demo shows, as data."""
    status, text = run("demo", "--json")
    assert status == 0
    data = json.loads(text)
    assert set(data) == {"case", "inventory", "classification", "formulation", "plan", "simulation"}
    assert data["classification"]["focus"] == ["role_transition"]  # one area by default
    assert len(data["plan"]["sessions"]) == 16
    assert set(data["simulation"]) >= {"course", "cohorts", "hedges_g"}
    assert data["simulation"]["course"]["seed"] == 4
    assert set(data["simulation"]["cohorts"]) == {"ipt", "control"}


# --------------------------------------------------------------------------------------------
# Terminal safety
# --------------------------------------------------------------------------------------------

HOSTILE = "Jo\x1b]0;owned\x07n\r\ngood.json: valid\x9b2J\u202e"


@pytest.fixture
def hostile_file(tmp_path: Path) -> Path:
    doc = document("demo")
    doc["people"][0]["name"] = HOSTILE
    doc["events"][0]["description"] = "moved\nfar\x1b[2J"
    return write_case(tmp_path / "hostile.json", doc)


def _assert_safe(text: str) -> None:
    assert not any(ch in text for ch in "\x1b\x07\r\x9b\u202e"), (
        "a control character reached the terminal"
    )
    assert "good.json: valid" not in text.splitlines()


@pytest.mark.parametrize(
    "argv",
    [["show"], ["classify"], ["plan", "--start", "2026-03-09"]],
)
def test_text_from_files_is_escaped(argv: list[str], hostile_file: Path) -> None:
    """Names and descriptions cannot move the cursor, retitle the terminal or fake a line."""
    status, text = run(argv[0], str(hostile_file), *argv[1:])
    assert status == 0
    _assert_safe(text)
    if argv[0] == "show":
        assert "Jo\\x1b]0;owned\\x07n\\r\\ngood.json: valid\\x9b2J\\u202e [jon]" in text


def test_json_escapes_control_characters_and_keeps_the_text(hostile_file: Path) -> None:
    """JSON output escapes them as \\u escapes, which decode to the exact text."""
    status, text = run("show", "--json", str(hostile_file))
    assert status == 0
    _assert_safe(text)
    people = json.loads(text)["people"]
    assert people[0]["name"] == HOSTILE


def test_unknown_keys_and_file_names_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown key and a file name holding control characters print escaped, in validate's
    lines and in the error line."""
    doc = document("demo")
    doc["\x1b[31mred\r\n"] = 1
    path = tmp_path / "a\x1b]0;x\x07\nb.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    status, text = run("validate", str(path))
    assert status == 1
    _assert_safe(text)
    assert '["\\x1b[31mred\\r\\n"]: is not a field of a case' in text
    assert "a\\x1b]0;x\\x07\\nb.json: invalid, 1 problem" in text
    status, _ = run("show", str(path))
    assert status == 1
    line = assert_one_error_line(capsys.readouterr().err)
    _assert_safe(line)


# --------------------------------------------------------------------------------------------
# simulate's workers
# --------------------------------------------------------------------------------------------


def test_workers_are_capped_by_the_cases_and_the_cpus() -> None:
    """--workers never starts more processes than there are CPUs or blocks of cases to share."""
    assert worker_count(100_000, 1) == 1
    assert worker_count(100_000, 10**8) <= (os.cpu_count() or 1)
    assert worker_count(1, 10**8) == 1
    status, text = run("simulate", "--n", "50", "--seed", "3", "--workers", "100000", "--json")
    assert status == 0
    _, alone = run("simulate", "--n", "50", "--seed", "3", "--json")
    assert json.loads(text) == json.loads(alone)


def test_a_missing_extra_is_named(
    case_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--ics without the calendar extra: one line naming the extra to install, status 1."""
    monkeypatch.setitem(sys.modules, "icalendar", None)
    status, text = run(
        "plan", str(case_file), "--start", "2026-03-09", "--ics", str(tmp_path / "x.ics")
    )
    assert (status, text) == (1, "")
    assert "iptcore[calendar]" in assert_one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "x.ics").exists()


# --------------------------------------------------------------------------------------------
# The last resorts: a bug, an interrupt, streams that fail
# --------------------------------------------------------------------------------------------


class BrokenStream(io.StringIO):
    """A standard output whose reader went away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_bug_is_one_line_and_validate_reports_the_other_files(
    case_file: Path,
    bad_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Should reading one file raise what it never should, validate still reports every file,
    and any other command prints one line asking for a report: never a traceback."""
    import iptcore

    real = iptcore.load_case

    def load_case(source: object) -> Any:
        if b'"demo-maya"' in bytes(source) and b"2026-04-01" not in bytes(source):  # type: ignore[call-overload]
            raise RuntimeError("boom")
        return real(source)

    monkeypatch.setattr(iptcore, "load_case", load_case)
    status, text = run("validate", "--json", str(case_file), str(bad_file))
    assert status == 1
    results = json.loads(text)
    assert [r["file"] for r in results] == [str(case_file), str(bad_file)]
    assert "please report it): RuntimeError: boom" in results[0]["problems"][0]["message"]
    assert len(results[1]["problems"]) == 2
    status, text = run("show", str(case_file))
    assert (status, text) == (1, "")
    assert "iptcore failed (please report it): RuntimeError: boom" in assert_one_error_line(
        capsys.readouterr().err
    )


def test_interrupted(
    case_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C is one line and status 130."""
    import iptcore

    def interrupted(source: object) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(iptcore, "load_case", interrupted)
    assert run("show", str(case_file)) == (130, "")
    assert assert_one_error_line(capsys.readouterr().err) == "iptcore: error: interrupted"


def test_standard_streams_that_fail(
    case_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """stdout that fails, with and without --json; stdin closed or failing; stderr closed."""
    assert main(["schema", "--json"], out=BrokenStream()) == 1
    assert "cannot write to standard output: Broken pipe" in assert_one_error_line(
        capsys.readouterr().err
    )
    assert main(["show", "--json", "missing.json"], out=BrokenStream()) == 1
    assert "missing.json: invalid case" in assert_one_error_line(capsys.readouterr().err)

    class FailingInput(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise OSError(5, "Input/output error")

    assert run("validate", "-")[0] == 1  # pytest's stdin cannot be read
    assert main(["show", "-"], out=io.StringIO(), stdin=FailingInput()) == 1
    assert "-: cannot read standard input: Input/output error" in assert_one_error_line(
        capsys.readouterr().err
    )
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["show", "-"], out=io.StringIO()) == 1
    assert "-: standard input is closed" in assert_one_error_line(capsys.readouterr().err)
    monkeypatch.setattr(sys, "stderr", None)
    assert main(["show", "missing.json"], out=io.StringIO()) == 1


def test_workers_without_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the CPUs a process may use are unknown (macOS, Windows), the CPU count caps."""
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert 1 <= worker_count(100_000, 10**8) <= (os.cpu_count() or 1)


# -- --redact: errors for a log -------------------------------------------------------------------


@pytest.fixture
def telling_file(tmp_path: Path) -> Path:
    """A fictional case whose problems quote a name, a date and a key of its own."""
    doc = document("demo")
    doc["onset"] = "2031-04-01"
    doc["people"][0]["mary.smith"] = "x"
    doc["events"].append({"date": "2026-01-05", "kind": "death", "person": "mary.smith"})
    return write_case(tmp_path / "telling.json", doc)


@pytest.mark.parametrize("command", ["validate", "show", "classify"])
@pytest.mark.parametrize("json_mode", [False, True])
def test_redact_names_paths_and_rules_but_no_value(
    telling_file: Path, command: str, json_mode: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --redact no value of the file reaches standard output or the error line."""
    options = ["--json"] if json_mode else []
    status, text = run(command, *options, str(telling_file))
    plain = text + capsys.readouterr().err
    assert status == 1
    assert "mary.smith" in plain
    assert "2031-04-01" in plain
    status, text = run(command, "--redact", *options, str(telling_file))
    redacted = text + capsys.readouterr().err
    assert status == 1
    assert "mary" not in redacted
    assert "2031" not in redacted
    assert "is after assessed" in redacted
    assert "names nobody: no person of that id" in redacted
    assert "people[0][?]" in redacted
    assert "telling.json" in redacted  # the file name given is shown as given


def test_redact_withholds_an_error_that_has_no_redacted_form(
    case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error whose message may quote the input and that says nothing apart is withheld."""
    status, _ = run("report", "--redact", str(case_file), "--deidentify", "--seed", "")
    error = capsys.readouterr().err
    assert status == 1
    assert error.startswith("iptcore: error: refused; the reason is withheld (--redact)")
    status, _ = run("report", str(case_file), "--deidentify", "--seed", "")
    assert "seed: must not be empty" in capsys.readouterr().err
