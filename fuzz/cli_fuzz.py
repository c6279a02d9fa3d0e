"""Coverage-guided fuzzing of the command line (:func:`iptcore.cli.main`) with atheris.

The promise checked: whatever the arguments and whatever the case file, ``main(argv)`` run in
process returns an exit status of 0, 1 or 2 and lets no exception escape; it never prints a
traceback; a failure (status 1 or 2) prints exactly one line on standard error, ``iptcore: error:
...``, and a success none (``validate`` lists invalid files on standard output instead); with ``--json`` a failure also prints one JSON object with the error on
standard output; and no failure is the catch-all for bugs ("iptcore failed (please report it)").

An input is the arguments, separated by NUL bytes, then a byte 0x01, then the bytes of the case
file. The argument ``@case`` names that file (written into a scratch directory, the working
directory of the run) and ``-`` reads the same bytes from standard input. Any other argument
holding a ``/`` is replaced by one from a short list (``/dev/null``, ``/dev/full``, ``/dev/zero``,
``missing/out.ics``), so that the fuzzer cannot read or write outside the scratch directory. Runs
of ``simulate`` with more than 200 cases or more than one worker are skipped, and so is
``--progress``: they are slow, not wrong.

Run (see fuzz/README.md)::

    pip install atheris
    python fuzz/cli_fuzz.py --seed-corpus /tmp/iptcore-fuzz/cli
    nice -n 10 timeout 660 python fuzz/cli_fuzz.py -max_total_time=600 \
        -artifact_prefix=/tmp/iptcore-fuzz/artifacts/cli- /tmp/iptcore-fuzz/cli

Mutations: a third change the arguments (one replaced, inserted or dropped, from the words of the
command line), a third change the case file structurally (``load_case_fuzz.mutate_document``), a
third are libFuzzer's byte mutations.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
from datetime import timedelta
from typing import Any

import atheris

with atheris.instrument_imports(include=["iptcore"]):
    # What the commands import when they run, imported here so that its coverage guides the fuzzer.
    import iptcore.deidentify
    import iptcore.draw.case
    import iptcore.ics
    import iptcore.report
    import iptcore.simulate.cohort  # noqa: F401
    from iptcore import classify, dump_course, dump_plan, plan_course
    from iptcore.cli import main as cli_main
    from iptcore.course import Course
    from iptcore.vignettes import VIGNETTES, document, vignette

from load_case_fuzz import Finding, _schema_words, mutate_document, require

SEP, CASE_AT = b"\x01", b"\x00"
ABSOLUTE = ("/dev/null", "/dev/full", "/dev/zero", "missing/out.ics")
FIXED = ("plan.json", "course.json", "case.json", "folder")

#: The words the argument mutator draws from: every command, option and choice of the parser, the
#: scratch directory's files, and values at and beyond the edges.
WORDS = (
    "demo", "validate", "show", "classify", "plan", "report", "simulate", "schema", "--json", "--redact",
    "--help", "--version", "--case", "--start", "--protocol", "--sessions", "--skip", "--ics",
    "-o", "--output", "--plan", "--course", "--deidentify", "--seed", "--n", "--arm",
    "--instrument", "--workers", "--out", "ipt", "ipt-b", "ipt-a", "group", "ipc", "maintenance",
    "control", "hamd17", "phq9", "gad7", *sorted(VIGNETTES), "@case", "-", "plan.json",
    "course.json", "case.json", "folder", "out.ics", "out.html", "out.csv", "missing.json", "",
    "0", "1", "-1", "2", "12", "200", "1000", "10" * 2500, "2026-03-09", "9999-12-31",
    "0001-01-01", "2026-02-30", "x", "\udcff", "\x1b]0;title\x07", "a\nb", *ABSOLUTE,
)  # fmt: skip


def _argv(header: bytes) -> list[str]:
    """The arguments of an input, each kept inside the scratch directory."""
    if not header:
        return []
    out = []
    for raw in header.split(CASE_AT)[:24]:
        word = raw.decode("utf-8", "surrogateescape")
        if "/" in word and word not in ABSOLUTE:
            word = ABSOLUTE[len(word) % len(ABSOLUTE)]
        out.append("case.json" if word == "@case" else word)
    return out


def _slow(argv: list[str]) -> bool:
    """A run that would take long without being wrong: a big or parallel simulation."""
    if any(a.startswith("--prog") for a in argv):  # --progress and its abbreviations
        return True
    if "simulate" not in argv:
        return False
    if any(a.startswith("--w") for a in argv):  # --workers and its abbreviations
        return True
    for a, after in zip(argv, [*argv[1:], ""], strict=True):
        count = after if a == "--n" else a.removeprefix("--n=") if a.startswith("--n=") else ""
        digits = count.strip().lstrip("+")
        if digits.isdigit() and (len(digits) > 3 or int(digits) > 200):
            return True
    return False


def _clean(directory: str) -> None:
    """Remove what a run wrote into the scratch directory."""
    for name in os.listdir(directory):
        if name not in FIXED:
            path = os.path.join(directory, name)
            if os.path.isdir(path) and not os.path.islink(path):
                for inner in os.listdir(path):
                    os.remove(os.path.join(path, inner))
                os.rmdir(path)
            else:
                os.remove(path)


def check(data: bytes) -> None:
    """One fuzz input: run the command line on it and check the promise above."""
    header, _, case = data.partition(SEP)
    argv = _argv(header)
    if _slow(argv):
        return
    with open("case.json", "wb") as handle:
        handle.write(case)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli_main(argv, out=out, stdin=io.BytesIO(case))
    except BaseException as exc:  # an exception escaping main is the finding
        raise Finding(f"main{argv!r} raised {type(exc).__name__}: {exc}") from exc
    finally:
        _clean(os.getcwd())
    said, printed = err.getvalue(), out.getvalue()
    require(status in (0, 1, 2), f"main{argv!r} returned {status!r}")
    require("Traceback" not in said + printed, f"main{argv!r} printed a traceback: {said!r}")
    require("please report it" not in said + printed, f"main{argv!r} hit a bug: {said!r}")
    if status == 0:
        require(said == "", f"main{argv!r} succeeded but wrote to stderr: {said!r}")
        return
    if said == "" and status == 1 and "validate" in argv:
        # validate reports each file's problems on standard output, not as an error line.
        require("invalid" in printed or '"valid": false' in printed, f"validate: {printed!r}")
        return
    lines = said.split("\n")
    require(
        len(lines) == 2 and lines[0].startswith("iptcore: error: ") and lines[1] == "",
        f"main{argv!r} failed ({status}) without one error line: {said!r}",
    )
    if "--json" in argv and status == 1:
        try:
            data_out = json.loads(printed)
        except ValueError:
            raise Finding(f"main{argv!r} --json failure printed no JSON: {printed!r}") from None
        require(isinstance(data_out, dict) and "error" in data_out, f"bad JSON error: {printed!r}")


# -- the seed corpus and the scratch directory (fictional cases) -------------------------------------


def _seed_inputs() -> list[bytes]:
    rng = random.Random(20260309)
    commands = [
        ["validate", "@case"], ["validate", "--json", "@case", "-"], ["show", "@case"],
        ["show", "--json", "-"], ["classify", "@case"], ["classify", "--json", "@case"],
        ["plan", "@case", "--start", "2026-03-09"],
        ["plan", "@case", "--start", "2026-03-09", "--protocol", "ipt-b", "--ics", "out.ics"],
        ["plan", "--json", "-", "--start", "2026-03-09", "--sessions", "8", "--skip", "2026-03-16"],
        ["report", "@case"], ["report", "@case", "--plan", "plan.json", "-o", "out.html"],
        ["report", "@case", "--course", "course.json"], ["report", "-", "--deidentify", "--seed",
        "k3y-fictional"], ["simulate", "--n", "3", "--seed", "1"],
        ["simulate", "--n", "5", "--seed", "2", "--arm", "control", "--out", "out.csv"],
        ["schema"], ["demo"], ["demo", "--case", sorted(VIGNETTES)[0], "--json"],
    ]  # fmt: skip
    out = []
    names = sorted(VIGNETTES)
    for i, argv in enumerate(commands * 3):
        case = document(names[(i + rng.randrange(3)) % len(names)])
        header = CASE_AT.join(a.encode("utf-8", "surrogateescape") for a in argv)
        out.append(header + SEP + json.dumps(case, separators=(",", ":")).encode())
    return out


def write_seed_corpus(directory: str) -> int:
    """Write the seed inputs into ``directory``; the number written."""
    os.makedirs(directory, exist_ok=True)
    inputs = _seed_inputs()
    for i, data in enumerate(inputs):
        with open(os.path.join(directory, f"seed-{i:04d}"), "wb") as handle:
            handle.write(data)
    return len(inputs)


def _scratch() -> str:
    """A scratch directory with a plan file, a course file and a folder, made the working one."""
    directory = tempfile.mkdtemp(prefix="iptcore-cli-fuzz-")
    case = vignette("demo")
    start = case.assessed + timedelta(days=7)
    plan = plan_course("ipt", start=start, focus=classify(case))
    with open(os.path.join(directory, "plan.json"), "w", encoding="utf-8") as handle:
        json.dump(dump_plan(plan), handle)
    course = Course.begin(case, plan).hold().hold()
    with open(os.path.join(directory, "course.json"), "w", encoding="utf-8") as handle:
        json.dump(dump_course(course), handle)
    os.mkdir(os.path.join(directory, "folder"))
    os.chdir(directory)
    return directory


def make_mutator(words: list[str]) -> Any:
    """A libFuzzer custom mutator: the arguments, the case file structurally, or the bytes."""

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        header, sep, case = data.partition(SEP)
        choice = rng.randrange(3)
        if choice == 0 and sep:
            argv = header.split(CASE_AT) if header else []
            word = rng.choice(WORDS).encode("utf-8", "surrogateescape")
            action = rng.randrange(3)
            if action == 0 and argv:
                argv[rng.randrange(len(argv))] = word
            elif action == 1 or not argv:
                argv.insert(rng.randrange(len(argv) + 1), word)
            else:
                del argv[rng.randrange(len(argv))]
            out = CASE_AT.join(argv) + SEP + case
            if len(out) <= max_size:
                return out
        if choice == 1 and sep:
            try:
                doc = json.loads(case.decode("utf-8"))
            except (ValueError, RecursionError):
                doc = None
            if isinstance(doc, dict | list):
                doc = mutate_document(doc, rng, words)
                text = json.dumps(doc, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))
                out = header + SEP + text.encode("utf-8", "surrogatepass")
                if len(out) <= max_size:
                    return out
        mutated: bytes = atheris.Mutate(data, max_size)
        return mutated

    return mutator


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[1] == "--seed-corpus":
        count = write_seed_corpus(argv[2])
        print(f"wrote {count} seed inputs to {argv[2]}")
        return
    # Paths given to libFuzzer are made absolute before the run moves to the scratch directory.
    argv = [a if a.startswith("-") or not os.path.exists(a) else os.path.abspath(a) for a in argv]
    argv = [
        f"{a.split('=', 1)[0]}={os.path.abspath(a.split('=', 1)[1])}"
        if a.startswith("-artifact_prefix=")
        else a
        for a in argv
    ]
    _scratch()
    if not any(a.startswith("-max_len=") for a in argv):
        argv = [*argv, "-max_len=65536"]
    atheris.Setup(argv, check, custom_mutator=make_mutator(_schema_words()))
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
