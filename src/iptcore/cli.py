"""The command line: ``python -m iptcore`` (or ``iptcore``).

This is the edge where files, JSON text and the terminal live: the library below it does no I/O.

Commands:

- ``demo``: walks a built-in fictional case from the inventory to a simulated course, in one screen.
- ``validate FILE...``: checks case files; every problem with its JSON path.
- ``show FILE``: a case's interpersonal inventory, the closeness circle as text.
- ``classify FILE``: the focus, every candidate with its evidence and rationale, the formulation.
- ``plan FILE --start DATE``: the course plan as a table (``--ics OUT`` writes a calendar).
- ``report FILE -o OUT``: the case report, one self-contained HTML page (the ``report`` extra).
- ``simulate --n N --seed S``: a simulated cohort's summary (``--out`` writes one CSV row a case).
- ``schema``: the JSON Schema of the case format.

``FILE`` may be ``-`` for standard input. Only regular files are read (a FIFO or a device is refused
before it is opened for reading, so it cannot block).

Exit status: 0 success; 1 invalid input (an invalid case, an illegal plan), a file that cannot be
read or written, or standard output closed; 2 a usage error; 130 interrupted. Every failure is one
line on standard error, ``iptcore: error: ...``, never a traceback. With ``--json`` (which every
command takes) a failure also prints a JSON object on standard output, listing every problem::

    {"error": "<the line>", "status": 1,
     "problems": [{"file": "case.json", "path": "people[1].closeness", "message": "..."}]}

(``file`` only where a file is at fault; ``path`` is a JSON path in it, ``""`` for the whole.)

With ``--redact`` (which every command takes) a failure says the paths and the rules broken and
nothing from the input: no value, name, id, date or key of a file (the redacted form of
:class:`~iptcore.CaseError`), so that it may go to a log. The file names given on the command line
are shown as given.

Terminal safety: text that came from a file or the command line (names, descriptions, unknown keys,
file names, messages quoting them) can hold control characters. Text output shows every control
character (C0, DEL, C1, the bidirectional overrides, and bytes of a file name that are not UTF-8) as
a visible escape such as ``\\x1b`` or ``\\r``, so no input can move the cursor, retitle the terminal
or fake a line; JSON output writes them as ``\\u`` escapes, which decode to the exact text.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import stat
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import IO, Any, NoReturn, TextIO

import attrs

from iptcore._version import __version__
from iptcore.errors import CaseError, IptError, Problem

__all__ = ["main"]

#: What the tool is and is not: the end of ``--help``, the head of the demo.
NOT_A_DEVICE = "iptcore supports clinicians and researchers; it is not a medical device."
DISCLAIMER = f"{NOT_A_DEVICE} This case is fictional."

#: The widest line the demo prints.
WIDTH = 100

# --------------------------------------------------------------------------------------------
# Terminal safety
# --------------------------------------------------------------------------------------------

#: Characters never written raw: C0 controls, DEL, C1 controls, the bidirectional marks and
#: overrides, and lone surrogates (the bytes of a file name that are not UTF-8).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = MappingProxyType({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every control character shown as an escape: safe to print on one line.

    >>> escape("Jo\\x1b]0;owned\\x07\\r\\ngood.json: valid")
    'Jo\\\\x1b]0;owned\\\\x07\\\\r\\\\ngood.json: valid'
    >>> escape("Zoë, café"), escape("caf\\udce9.json"), escape("\\u202egnp.exe")
    ('Zoë, café', 'caf\\\\xe9.json', '\\\\u202egnp.exe')
    """
    return _UNSAFE.sub(_escape_char, text)


def _escape_lines(text: str) -> str:
    """Like :func:`escape` but keeping the line breaks (of text the command line composed)."""
    return "\n".join(escape(line) for line in text.split("\n"))


def _json_text(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    # json escapes C0 controls itself; DEL, C1, bidi marks and surrogates become \u escapes too
    # (the JSON decodes to the same text). Line breaks outside strings are json's own layout.
    return re.sub(r"(?!\n)" + _UNSAFE.pattern, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


class _Safe:
    """A text stream that escapes what it is given (keeping line breaks)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(_escape_lines(text))

    def json(self, data: Any) -> None:
        self.stream.write(_json_text(data))


def _shown(case: Any) -> Any:
    """The case to describe on a terminal: every text in it escaped, line breaks included.

    The describe() methods put names and descriptions into lines of their own making; escaping the
    texts first keeps a name holding a line break from faking a line. (Should an escaped copy be
    refused, the case is described as it is: the output stream still escapes all but line breaks.)
    """
    try:
        return _display(case)
    except IptError:
        return case


def _display(value: Any) -> Any:
    """``value`` (a case, or any part of one) with every text escaped, line breaks included."""
    if type(value) is str:
        return escape(value)
    if isinstance(value, tuple):
        items = tuple(_display(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if attrs.has(type(value)):
        changes = {}
        for field in attrs.fields(type(value)):
            if field.init:
                old = getattr(value, field.name)
                new = _display(old)
                if new is not old:
                    changes[field.alias or field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    return value


# --------------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------------


class _Failure(Exception):
    """A failure of the command line: its one-line message, its problems, its exit status."""

    def __init__(
        self, message: str, problems: Sequence[dict[str, str]] = (), *, status: int = 1
    ) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems) or [{"path": "", "message": message}]
        self.status = status


def _problem(item: Problem, file: str | None = None) -> dict[str, str]:
    found = {"path": item.path, "message": item.message}
    return found if file is None else {"file": file, **found}


def _one_line(problems: Sequence[dict[str, str]]) -> str:
    return "; ".join(
        f"{p['path']}: {p['message']}" if p["path"] else p["message"] for p in problems
    )


#: What ``--redact`` shows of an error whose message may quote the input and has no redacted form.
_WITHHELD = "refused; the reason is withheld (--redact): it may quote the input"


def _invalid(error: CaseError, file: str, *, redact: bool = False) -> _Failure:
    if redact:
        error = error.redacted()
    problems = [_problem(p, file) for p in error.problems]
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return _Failure(
        f"{file}: invalid {error.subject}, {count} {noun}: {_one_line(problems)}", problems
    )


# --------------------------------------------------------------------------------------------
# Reading and writing files
# --------------------------------------------------------------------------------------------


class _Context:
    """What a command runs with: its output and the standard input (read at most once)."""

    def __init__(self, out: _Safe, stdin: IO[bytes] | None, *, redact: bool = False) -> None:
        self.out = out
        self.redact = redact
        self._stdin = stdin
        self._stdin_data: bytes | None = None

    def read_stdin(self, limit: int) -> bytes:
        if self._stdin_data is None:
            if self._stdin is None:
                raise _Failure("-: standard input is closed")
            try:
                self._stdin_data = self._stdin.read(limit + 1)
            except OSError as exc:
                raise _Failure(f"-: cannot read standard input: {exc.strerror or exc}") from None
        return self._stdin_data


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _read_bytes(name: str, limit: int) -> bytes:
    """The bytes of the regular file ``name`` (at most ``limit + 1``); anything else is refused.

    The file is opened without blocking and checked before it is read, so a FIFO cannot hang.
    """

    def cannot(reason: str) -> NoReturn:
        raise CaseError([Problem(path="", message=f"cannot read the file: {reason}")])

    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        cannot(exc.strerror or str(exc))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((what for test, what in _KINDS if test(mode)), "something else")
        cannot(f"it is {kind}, not a regular file")
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            cannot(exc.strerror or str(exc))


def _load(name: str, context: _Context) -> Any:
    """The case in file ``name`` (``-``: standard input); a :class:`_Failure` naming the file."""
    from iptcore import load_case
    from iptcore.limits import DEFAULT_LIMITS

    limit = DEFAULT_LIMITS.max_bytes
    try:
        data = context.read_stdin(limit) if name == "-" else _read_bytes(name, limit)
        return load_case(data)
    except CaseError as error:
        raise _invalid(error, name, redact=context.redact) from None


def _write(option: str, name: str, write: Callable[[TextIO], object]) -> None:
    """Write the file ``name`` given to ``option``; a one-line failure when it cannot be written."""
    try:
        with open(name, "w", newline="", encoding="utf-8") as handle:
            write(handle)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _Failure(
            f"{option}: cannot write '{name}': {reason}",
            [{"file": name, "path": "", "message": f"cannot write the file: {reason}"}],
        ) from None


# --------------------------------------------------------------------------------------------
# validate, show, classify, plan, simulate, schema
# --------------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace, context: _Context) -> int:
    results = []
    for name in args.files:
        try:
            _load(name, context)
        except _Failure as failure:
            problems = [{"path": p["path"], "message": p["message"]} for p in failure.problems]
            results.append({"file": name, "valid": False, "problems": problems})
        except Exception as error:  # a bug in iptcore: report it and go on with the others
            message = f"iptcore failed on this file (please report it): {type(error).__name__}"
            problem = {"path": "", "message": message if args.redact else f"{message}: {error}"}
            results.append({"file": name, "valid": False, "problems": [problem]})
        else:
            results.append({"file": name, "valid": True, "problems": []})
    out = context.out
    if args.json:
        out.json(results)
    else:
        for result in results:
            file = escape(result["file"])
            if result["valid"]:
                out.write(f"{file}: valid\n")
                continue
            problems = result["problems"]
            count = len(problems)
            out.write(f"{file}: invalid, {count} problem{'s' if count > 1 else ''}\n")
            for problem in problems:
                where = escape(problem["path"]) or "(the document)"
                out.write(f"  {where}: {escape(problem['message'])}\n")
    return 0 if all(r["valid"] for r in results) else 1


def _show(args: argparse.Namespace, context: _Context) -> int:
    case = _load(args.file, context)
    if args.json:
        context.out.json(case.inventory.to_dict())
    else:
        context.out.write(_shown(case).inventory.describe() + "\n")
    return 0


def _classified(case: Any) -> tuple[Any, Any]:
    from iptcore import classify, formulate

    classification = classify(case)
    return classification, formulate(case, classification)


def _classify(args: argparse.Namespace, context: _Context) -> int:
    case = _load(args.file, context)
    if args.json:
        classification, formulation = _classified(case)
        data = {"classification": classification.to_dict(), "formulation": formulation.to_dict()}
        context.out.json(data)
    else:
        classification, formulation = _classified(_shown(case))
        context.out.write(classification.describe() + "\n\n" + formulation.describe() + "\n")
    return 0


def _plan(args: argparse.Namespace, context: _Context) -> int:
    from iptcore import dump_plan, plan_course

    case = _load(args.file, context)
    classification, _ = _classified(case if args.json else _shown(case))
    plan = plan_course(
        args.protocol,
        start=args.start,
        sessions=args.sessions,
        skip=tuple(args.skip),
        focus=classification,
    )
    if args.ics:
        from iptcore.ics import to_ics

        text = to_ics(plan, key=case.id)
        _write("--ics", args.ics, lambda handle: handle.write(text))
    if args.json:
        context.out.json(dump_plan(plan))
    else:
        context.out.write(plan.describe() + "\n")
        if args.ics:
            context.out.write(f"\nCalendar written to {escape(args.ics)}\n")
    return 0


def _report_page(args: argparse.Namespace, context: _Context) -> int:
    from iptcore import load_course, load_plan
    from iptcore.limits import DEFAULT_LIMITS
    from iptcore.report import case_report

    case = _load(args.file, context)
    limit = DEFAULT_LIMITS.max_bytes

    def read(option: str, name: str, loader: Callable[[bytes], Any]) -> Any:
        try:
            return loader(_read_bytes(name, limit))
        except CaseError as error:
            raise _invalid(error, name, redact=context.redact) from None

    plan = read("--plan", args.plan, load_plan) if args.plan else None
    course = read("--course", args.course, load_course) if args.course else None
    page = case_report(case, plan=plan, course=course, deidentify=args.deidentify, seed=args.seed)
    if args.output:
        _write("--output", args.output, lambda handle: handle.write(page))
        context.out.write(f"Report written to {escape(args.output)}\n")
    else:
        context.out.write(page)
    return 0


def _progress_bar(stream: TextIO) -> Callable[[int, int], None]:
    """A progress bar drawn on ``stream`` (stderr), one line redrawn in place."""

    def draw(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} cases")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw


#: Cohorts at least this large show a progress bar when stderr is a terminal.
PROGRESS_FROM = 200_000


def _cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count(asked: int, n: int) -> int:
    """The processes a cohort of ``n`` cases runs on: ``asked``, but never more than the CPUs nor
    the blocks of cases (each process takes whole blocks, so more would sit idle).

    >>> worker_count(100_000, 1)
    1
    """
    from iptcore.simulate import BLOCK_SIZE

    return max(1, min(asked, _cpus(), math.ceil(n / BLOCK_SIZE)))


def _simulate(args: argparse.Namespace, context: _Context) -> int:
    import csv
    from concurrent.futures import Executor, ProcessPoolExecutor

    from iptcore import simulate_cohort
    from iptcore.simulate import COLUMNS

    if args.n < 1:
        raise _Failure(f"--n must be 1 or more, got {args.n}", status=2)
    if args.workers < 1:
        raise _Failure(f"--workers must be 1 or more, got {args.workers}", status=2)
    show = args.progress or (
        sys.stderr is not None and sys.stderr.isatty() and args.n >= PROGRESS_FROM
    )
    progress = _progress_bar(sys.stderr) if show and sys.stderr is not None else None
    workers = worker_count(args.workers, args.n)
    executor: Executor | None = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        cohort = simulate_cohort(
            args.n,
            seed=args.seed,
            arm=args.arm,
            protocol=args.protocol,
            instrument=args.instrument,
            executor=executor,
            progress=progress,
        )
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    if args.out:

        def write_rows(handle: TextIO) -> None:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(cohort.rows())

        _write("--out", args.out, write_rows)
    if args.json:
        context.out.json(cohort.to_dict())
    else:
        context.out.write(cohort.describe() + "\n")
        if args.out:
            context.out.write(f"One row per case written to {escape(args.out)}\n")
    return 0


def _schema(args: argparse.Namespace, context: _Context) -> int:
    from iptcore import case_schema

    context.out.json(case_schema())
    return 0


# --------------------------------------------------------------------------------------------
# demo
# --------------------------------------------------------------------------------------------


def _fit(text: str, width: int = WIDTH) -> str:
    """``text`` with each line longer than ``width`` wrapped, continued under its indent."""
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" -0123456789.")))
        lines.extend(textwrap.wrap(line, width, subsequent_indent=indent or "    "))
    return "\n".join(lines)


def _demo_start(case: Any) -> date:
    """The first session a week after the assessment: fixed, so that the demo always prints the
    same plan (the library reads no clock)."""
    start: date = case.assessed + timedelta(days=7)
    return start


#: The seed of the demo's simulated course: one that shows a missed session made up and a course
#: run to its end (other seeds drop out at the calibrated rate, about one case in five).
DEMO_SEED = 4

#: The cases of each arm of the demo's simulated trial.
DEMO_COHORT = 20_000


def _demo_walk(case: Any) -> dict[str, Any]:
    """Every step of the demo, as the library's values."""
    from iptcore import classify, formulate, plan_course, simulate_case, simulate_cohort

    classification = classify(case)
    plan = plan_course("ipt", start=_demo_start(case), focus=classification)
    formulation = formulate(case, classification, plan=plan)  # its length and end are the plan's
    ipt = simulate_cohort(DEMO_COHORT, seed=1)
    control = simulate_cohort(DEMO_COHORT, seed=1, arm="control")
    return {
        "case": case,
        "classification": classification,
        "formulation": formulation,
        "plan": plan,
        "course": simulate_case(case, seed=DEMO_SEED),
        "ipt": ipt,
        "control": control,
        "hedges_g": ipt.effect_size(control),
    }


def _demo_json(walk: dict[str, Any]) -> dict[str, Any]:
    from iptcore import dump_case, dump_plan

    return {
        "case": dump_case(walk["case"]),
        "inventory": walk["case"].inventory.to_dict(),
        "classification": walk["classification"].to_dict(),
        "formulation": walk["formulation"].to_dict(),
        "plan": dump_plan(walk["plan"]),
        "simulation": {
            "course": walk["course"].to_dict(),
            "cohorts": {"ipt": walk["ipt"].to_dict(), "control": walk["control"].to_dict()},
            "hedges_g": walk["hedges_g"],
            "published_g": {"value": 0.60, "source": "Cuijpers 2016"},
        },
    }


def _section(title: str, more: str, body: list[str]) -> str:
    """A titled block of the demo; ``more`` names the command that shows all of it."""
    head = f"{title} {'-' * (WIDTH - len(title) - len(more) - 3)} {more}".rstrip()
    return "\n" + head + "\n" + _fit("\n".join(body))


def _demo_text(walk: dict[str, Any]) -> str:
    from iptcore import TECHNIQUES, score

    case, classification, formulation = walk["case"], walk["classification"], walk["formulation"]
    plan, course = walk["plan"], walk["course"]
    patient = case.patient.name if case.patient and case.patient.name else case.id
    out = [f"iptcore {__version__} demo: the case of {patient}", DISCLAIMER]

    inventory = case.inventory.describe().split("\n")
    out.append(_section("1. Interpersonal inventory", "iptcore show FILE", inventory[1:]))

    timeline = [f"Onset of the episode {case.onset}, assessed {case.assessed}"]
    for event in sorted(case.events, key=lambda e: (e.date, e.kind.value)):
        days = (event.date - case.onset).days
        when = f"{-days} days before onset" if days < 0 else f"{days} days after onset"
        what = f": {event.description}" if event.description else ""
        timeline.append(f"  {event.date}  {event.kind.value}{what}  [{when}]")
    out.append(_section("2. Timeline", "", timeline))

    areas = classification.describe().split("\n")[1]  # "Focus: ..."
    found = [areas, classification.focus_note] if classification.focus_note else [areas]
    for number, finding in enumerate(classification.candidates, 1):
        label = finding.area.value.replace("_", " ")
        found.append(f"  {number}. {label}: {finding.evidence.summary} (rule {finding.rule})")
        if finding.prompt:
            found.append(f"     to do: {finding.prompt}")
    out.append(_section("3. Problem areas", "iptcore classify FILE", found))

    statement = str(formulation).split("\n")
    out.append(_section("4. The formulation, offered", "iptcore classify FILE", statement))

    techniques = []
    for area in classification.focus:
        finding = classification.finding(area)
        stage = finding.stage if finding is not None else None
        names = [t.name for t in TECHNIQUES.for_area(area, "middle", stage=stage)[:4]]
        techniques.append(f"{area.value.replace('_', ' ')}: {', '.join(names)}")
    out.append(_section("5. Techniques for the middle phase", "", techniques or ["(no focus)"]))

    phases = [f"{plan.protocol.title}: {plan.count} weekly sessions, {plan.start} to {plan.end}"]
    for phase, group in itertools.groupby(plan.sessions, key=lambda s: s.phase):
        sessions = list(group)
        first, last = sessions[0], sessions[-1]
        numbers = f"{first.number}-{last.number}" if len(sessions) > 1 else str(first.number)
        phases.append(f"  {phase.value:<12} sessions {numbers:<6} {first.date} to {last.date}")
    measures = sorted(case.measures, key=lambda m: (m.date, m.instrument.value))
    for day, taken in itertools.groupby(measures, key=lambda m: m.date):
        scores = "; ".join(score(m.instrument, m.items).describe() for m in taken)
        phases.append(f"Measured {day}: {scores}")
    more = f"iptcore plan FILE --start {plan.start}"
    out.append(_section("6. The course plan and measures", more, phases))

    scores = " ".join("-" if s.score is None else str(s.score) for s in course.sessions)
    outcome = "dropped out" if course.dropped_out else f"course {course.course.state.value}"
    first = (
        f"One course (seed {DEMO_SEED}), {course.instrument.value} at baseline {course.baseline}"
    )
    yes = {True: "yes", False: "no"}
    ended = f"  end {course.end}: {outcome}; response {yes[course.response]}"
    simulated = [
        f"{first}, then {scores} (- missed)",
        f"{ended}, remission {yes[course.remission]}",
    ]
    for arm in ("ipt", "control"):
        s = walk[arm].summary()
        simulated.append(
            f"{DEMO_COHORT:,} cases, {arm:<7}: response {100 * s['response_rate']:.1f}%, "
            f"remission {100 * s['remission_rate']:.1f}%, dropout {100 * s['dropout_rate']:.1f}%"
        )
    simulated.append(
        f"Hedges' g of end scores, IPT against control: {walk['hedges_g']:.2f} "
        "(published: 0.60, Cuijpers 2016)"
    )
    more = "iptcore simulate --n N --seed S"
    out.append(_section("7. Simulation (fictional, seeded)", more, simulated))
    out.append("\nTry the commands on a fictional case: iptcore classify examples/transition.json")
    return "\n".join(out)


def _demo(args: argparse.Namespace, context: _Context) -> int:
    from iptcore.vignettes import vignette

    walk = _demo_walk(vignette(args.case))
    if args.json:
        context.out.json(_demo_json(walk))
    else:
        walk["case"] = _shown(walk["case"])
        context.out.write(_demo_text(walk) + "\n")
    return 0


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------

_YMD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(text: str) -> date:
    """A date written ``YYYY-MM-DD`` that is on the calendar."""
    quoted = repr(text) if len(text) <= 40 else repr(text[:40]) + "..."
    if not _YMD.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{quoted} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted} is not a real calendar date") from None


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are raised, to be reported like any failure."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.partition(" ")[2]
        where = f"{command}: " if command else ""
        raise _Failure(f"{where}{message} (see '{self.prog} --help')", status=2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m iptcore``."""
    parser = _Parser(
        prog="iptcore",
        description=f"Interpersonal Psychotherapy (IPT) as domain objects. {NOT_A_DEVICE}",
        epilog="Every command takes --json. FILE may be - for standard input. Example cases "
        "(fictional) are in the examples/ folder of the source.",
    )
    parser.add_argument("--version", action="version", version=f"iptcore {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    json_option = _Parser(add_help=False)
    json_option.add_argument(
        "--json", action="store_true", help="print JSON (errors too, as a JSON object)"
    )
    json_option.add_argument(
        "--redact",
        action="store_true",
        help="errors name paths and rules only, nothing from the input (for logs)",
    )

    def command(name: str, help_text: str, run: Callable[..., int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[json_option])
        p.set_defaults(run=run)
        return p

    from iptcore.vignettes import VIGNETTES

    p = command("demo", "walk a built-in fictional case through IPT", _demo)
    p.add_argument("--case", choices=sorted(VIGNETTES), default="demo", help="which vignette")

    p = command("validate", "check case files and print every problem with its path", _validate)
    p.add_argument("files", nargs="+", metavar="FILE", help="case files; - reads standard input")

    p = command("show", "print a case's interpersonal inventory", _show)
    p.add_argument("file", metavar="FILE", help="a case file; - reads standard input")

    p = command("classify", "find the problem areas and the formulation of a case", _classify)
    p.add_argument("file", metavar="FILE", help="a case file; - reads standard input")

    from iptcore import PROTOCOLS

    p = command("plan", "plan a course for a case: dates, phases, agenda, techniques", _plan)
    p.add_argument("file", metavar="FILE", help="a case file; - reads standard input")
    p.add_argument("--start", type=_date, required=True, help="first session, YYYY-MM-DD")
    p.add_argument("--protocol", choices=sorted(PROTOCOLS), default="ipt")
    p.add_argument(
        "--sessions", type=int, default=None, help="numbered sessions (default: the protocol's)"
    )
    p.add_argument(
        "--skip", type=_date, nargs="*", default=[], metavar="DATE", help="dates with no session"
    )
    p.add_argument("--ics", metavar="OUT", help="also write the plan as an iCalendar file")

    p = command("report", "write the case report: one self-contained HTML page", _report_page)
    p.add_argument("file", metavar="FILE", help="a case file; - reads standard input")
    p.add_argument("-o", "--output", metavar="OUT", help="the HTML file (default: standard output)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--plan", metavar="PLAN", help="a plan file whose sessions to list")
    which.add_argument("--course", metavar="COURSE", help="a course file: its sessions as held")
    p.add_argument("--deidentify", action="store_true", help="render the deidentified copy")
    p.add_argument("--seed", metavar="KEY", help="the deidentification key (with --deidentify)")

    p = command(
        "simulate", "simulate a cohort of IPT (or control) cases and summarise it", _simulate
    )
    p.add_argument("--n", type=int, required=True, help="how many cases")
    p.add_argument("--seed", type=int, required=True, help="the seed: same seed, same cohort")
    p.add_argument("--arm", choices=("ipt", "control"), default="ipt")
    p.add_argument("--protocol", choices=sorted(PROTOCOLS), default="ipt")
    p.add_argument("--instrument", choices=("hamd17", "phq9", "gad7"), default="hamd17")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes, at most one per CPU and per block of cases (the result is the same)",
    )
    p.add_argument("--out", metavar="CSV", help="write one row per case to this CSV file")
    p.add_argument("--progress", action="store_true", help="always draw a progress bar on stderr")

    command("schema", "print the JSON Schema of the case format", _schema)
    return parser


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def _report(failure: _Failure, json_mode: bool, stdout: TextIO | None) -> int:
    """Print a failure: one line on stderr; with ``--json`` the JSON object on stdout too."""
    line = f"iptcore: error: {escape(failure.message)}\n"
    if json_mode and stdout is not None:
        data = {"error": failure.message, "status": failure.status, "problems": failure.problems}
        try:
            stdout.write(_json_text(data))
            stdout.flush()
        except (OSError, ValueError):
            pass  # stdout is what failed: the line on stderr says so
    if sys.stderr is not None:
        try:
            sys.stderr.write(line)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    return failure.status


def _silence_stdout() -> None:
    """After stdout failed (a closed pipe), point it at /dev/null so that the interpreter's own
    flush at exit does not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    stdin: IO[bytes] | None = None,
) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failure, 2 usage, 130 interrupted).

    ``out`` and ``stdin`` (a binary stream) stand in for the standard streams, e.g. in tests.
    """
    arguments = sys.argv[1:] if argv is None else list(argv)
    stdout = out if out is not None else sys.stdout
    if stdin is None and sys.stdin is not None:
        stdin = sys.stdin.buffer
    json_mode = "--json" in arguments
    redact = "--redact" in arguments
    try:
        try:
            args = build_parser().parse_args(arguments)
        except SystemExit as exc:  # --help, --version
            return int(exc.code) if isinstance(exc.code, int) else 0
        json_mode = bool(getattr(args, "json", False))
        redact = bool(getattr(args, "redact", False))
        if stdout is None:
            raise _Failure("standard output is closed")
        status: int = args.run(args, _Context(_Safe(stdout), stdin, redact=redact))
        stdout.flush()
        return status
    except _Failure as failure:
        return _report(failure, json_mode, stdout)
    except IptError as error:  # an illegal plan; a CaseError lists its problems
        message = str(error)
        if isinstance(error, CaseError) and redact:
            error = error.redacted()
            message = str(error)
        elif redact:
            message = error.redacted_message or f"{_WITHHELD} ({type(error).__name__})"
        problems = [_problem(p) for p in getattr(error, "problems", ())]
        return _report(_Failure(message, problems), json_mode, stdout)
    except OSError as error:  # writing to stdout: a closed pipe, a full disk
        if stdout is sys.stdout:
            _silence_stdout()
        reason = error.strerror or str(error)
        return _report(_Failure(f"cannot write to standard output: {reason}"), False, None)
    except ImportError as error:  # an optional extra that is not installed; the message names it
        return _report(_Failure(str(error)), json_mode, stdout)
    except KeyboardInterrupt:
        return _report(_Failure("interrupted", status=130), False, None)
    except Exception as error:  # a bug in iptcore: still one line, never a traceback
        message = f"iptcore failed (please report it): {type(error).__name__}"
        if not redact:
            message += f": {error}"
        return _report(_Failure(message), json_mode, stdout)
