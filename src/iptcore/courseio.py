"""The JSON files of plans and courses: ``iptcore.plan/1`` and ``iptcore.course/1``.

In the style of the case file (:mod:`iptcore.caseio`): versioned by a ``format`` key, strict (an
unknown key, a wrong type, a date that is not ``YYYY-MM-DD`` are refused), and every problem is
collected with its JSON path before anything is built, in one :class:`~iptcore.CaseError`. The
readers are the case file's: each object is a table of fields walked by the same generic reader,
each value read by the same field kinds, so that a date or an id means the same in every file and
every message has one form (``sessions[1].date: '2026-02-30' is not a real calendar date``). A
value's own checks (its constructor) run last, and what they refuse is a problem at the path of
the field they name.

A built-in protocol is written by its name (``"protocol": "ipt"``); a protocol of the user's own is
written out in full, so that a plan file is complete by itself.

>>> from datetime import date
>>> from iptcore.plan import plan_course
>>> plan = plan_course("ipc", start=date(2026, 3, 2), sessions=3)     # fictional
>>> doc = dump_plan(plan)
>>> doc["format"], doc["protocol"], [s["date"] for s in doc["sessions"]]
('iptcore.plan/1', 'ipc', ['2026-03-02', '2026-03-09', '2026-03-16'])
>>> load_plan(doc) == plan
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from iptcore._checks import refusal
from iptcore._fields import (
    Broken,
    Field,
    Invalid,
    Kind,
    Reader,
    abridge,
    key_path,
    list_reader,
    newer_major,
    object_reader,
    reader,
    refused,
)
from iptcore.case import Case, Measure, Mourning
from iptcore.caseio import DEFAULT_MAX_BYTES, dump_case, load_case, model_readers, read_document
from iptcore.course import Course, Step, StepKind, goal_problems, unknown_techniques
from iptcore.errors import HIDDEN_KEY, CaseError, IptError, Problem
from iptcore.goals import Goal, GoalStatus
from iptcore.limits import DEFAULT_LIMITS
from iptcore.plan import (
    CoursePlan,
    FocusArea,
    PlannedSession,
    planned_problems,
    technique_choices,
)
from iptcore.protocols import PROTOCOLS, Cadence, MissRule, Protocol, Task
from iptcore.techniques import TECHNIQUES, Catalogue
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "COURSE_FORMAT",
    "PLAN_FORMAT",
    "dump_course",
    "dump_plan",
    "dump_protocol",
    "load_course",
    "load_plan",
]

#: The format and major version of plan files.
PLAN_FORMAT = "iptcore.plan/1"
#: The format and major version of course files.
COURSE_FORMAT = "iptcore.course/1"

_DATE = reader(Kind(name="date"))
_ID = reader(Kind(name="id"))
_STR = reader(Kind(name="str"))
_STRS = reader(Kind(name="strs"))
_BOOL = reader(Kind(name="bool"))
_COUNT = reader(Kind(name="int", low=0))


def _sessions(raw: Any) -> int:
    """A count of sessions (a step's new contract, a protocol's counts): 0 or more, and within the documented ``max_sessions``
    (:mod:`iptcore.limits`), refused here at its path before any plan is made of it."""
    count: int = _COUNT(raw)
    if count > DEFAULT_LIMITS.max_sessions:
        most = f"is more than the limit of {DEFAULT_LIMITS.max_sessions:,} (max_sessions)"
        raise Invalid(DEFAULT_LIMITS.sessions_over(count), redacted=most)
    return count


# The readers and builders below are made once, where a file's fields are declared; each is a
# method of a small frozen class, so that its check is code that runs when a file is read (as
# the readers of iptcore._fields are), and mutation testing reaches it through the loaders.


def _enum(cls: type[Any]) -> Reader:
    return reader(Kind(name="enum", enum=cls))  # pragma: no mutate


def _nullable(read: Reader) -> Reader:
    """``read``, or ``None`` for JSON ``null``."""
    return _Nullable(read).read  # pragma: no mutate


@attrs.frozen
class _Nullable:
    inner: Reader

    def read(self, raw: Any) -> Any:
        return None if raw is None else self.inner(raw)


#: The redacted form of a refusal whose raiser gave none: its message may quote the file.
_WITHHELD = "is refused (the reason is withheld from the redacted form: it may quote the file)"


def _located(exc: IptError) -> Problem:
    """The problem of a value's refusal, ``"field: what is wrong"``, at the field it names."""
    located = Problem.of_message(str(exc))
    path = located.path
    bare = exc.redacted_message
    if bare is None:
        return attrs.evolve(located, redacted_message=_WITHHELD)
    same = Problem.of_message(bare)
    if same.path == path:
        bare = same.message
    elif path:  # not in the form of the message: say nothing more than the path
        bare = _WITHHELD
    return attrs.evolve(located, redacted_message=bare)


def _construct(make: Callable[..., Any]) -> Callable[[dict[str, Any]], Any]:
    """Build a value from the fields read, its own checks refusing with paths (a refusal names
    its field: :meth:`~iptcore.errors.Problem.of_message`)."""
    return _Construct(make).build  # pragma: no mutate


@attrs.frozen
class _Construct:
    make: Callable[..., Any]

    def build(self, values: dict[str, Any]) -> Any:
        try:
            return self.make(**values)
        except CaseError as exc:
            raise Broken(list(exc.problems), None) from None
        except IptError as exc:
            raise Broken([_located(exc)], None) from None


def _format(expected: str) -> Reader:
    """The reader of a file's ``format``: ``expected``, and nothing else (a newer major version
    says so)."""
    return _Format(expected).read  # pragma: no mutate


@attrs.frozen
class _Format:
    expected: str

    def read(self, raw: Any) -> str:
        expected = self.expected
        if raw == expected and isinstance(raw, str):
            return raw
        name, _, major = expected.partition("/")
        pattern = re.escape(name) + r"/([0-9]+)(?:\.[0-9]+)*"
        match = re.fullmatch(pattern, raw) if isinstance(raw, str) else None
        if match is not None and newer_major(match.group(1), int(major)):
            raise Invalid(
                f"this file is {abridge(raw)}, a newer major version than this iptcore reads "
                f"({expected}); upgrade iptcore to read it",
                redacted=f"is a newer major version than this iptcore reads ({expected})",
            )
        raise refused(f"must be {expected!r}", raw)


def _catalogue(catalogue: object) -> Catalogue:
    """The catalogue a loader checks techniques against: ``catalogue``, or the built-in one."""
    if catalogue is None:
        return TECHNIQUES
    if not isinstance(catalogue, Catalogue):
        raise IptError(f"catalogue: must be an iptcore Catalogue, got {type(catalogue).__name__}")
    return catalogue


def _load(source: object, read: Reader, subject: str, max_bytes: int | None) -> Any:
    """Read the file ``source`` with ``read``: the value, or one CaseError with every problem."""
    if max_bytes is None:
        max_bytes = DEFAULT_MAX_BYTES
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise refusal("max_bytes", "a positive integer", max_bytes)
    doc = read_document(source, max_bytes)
    if not isinstance(doc, Mapping):
        problem = refused(f"a {subject} must be a JSON object", doc).problem("")
        raise CaseError([problem], subject=f"{subject} file")
    try:
        return read(doc)
    except Broken as exc:
        raise CaseError(exc.problems, subject=f"{subject} file") from None


# --------------------------------------------------------------------------------------------
# Protocols
# --------------------------------------------------------------------------------------------

_TASK_FIELDS: tuple[Field, ...] = (
    ("id", _STR, True),
    ("phase", _enum(Phase), True),
    ("text", _STR, True),
    ("source", _STR, True),
    ("every", _BOOL, False),
)
_read_task = object_reader("a task", _TASK_FIELDS, _construct(Task))

_PROTOCOL_FIELDS: tuple[Field, ...] = (
    ("name", _STR, True),
    ("title", _STR, True),
    ("min_sessions", _sessions, True),
    ("max_sessions", _nullable(_sessions), True),
    ("default_sessions", _sessions, True),
    ("cadence", _enum(Cadence), False),
    ("engagement", _BOOL, False),
    ("maintenance", _BOOL, False),
    ("initial_sessions", _sessions, False),
    ("termination_sessions", _sessions, False),
    ("termination_notice", _sessions, False),
    ("homework", _BOOL, False),
    ("on_miss", _enum(MissRule), False),
    ("source", _STR, False),
    ("tasks", list_reader(_read_task), False),
)
_read_protocol_object = object_reader("a protocol", _PROTOCOL_FIELDS, _construct(Protocol))


def _read_protocol(raw: Any) -> Protocol:
    """A protocol from its name (a built-in one) or its full object."""
    if isinstance(raw, str):
        if raw in PROTOCOLS:
            return PROTOCOLS[raw]
        names = f"names no built-in protocol ({', '.join(PROTOCOLS)})"
        raise Invalid(f"{names}, got {raw!r}", redacted=names)
    protocol: Protocol = _read_protocol_object(raw)
    return protocol


def dump_protocol(protocol: Protocol) -> str | dict[str, Any]:
    """A built-in protocol's name, or the whole of a user's protocol as a JSON-ready dict."""
    if PROTOCOLS.get(protocol.name) == protocol:
        return protocol.name
    out: dict[str, Any] = {}
    for key, _, _ in _PROTOCOL_FIELDS[:-1]:  # the tasks are written below
        value = getattr(protocol, key)
        out[key] = value.value if isinstance(value, Cadence | MissRule) else value
    out["tasks"] = [
        {
            "id": t.id,
            "phase": t.phase.value,
            "text": t.text,
            "source": t.source,
            "every": t.every,
        }
        for t in protocol.tasks
    ]
    return out


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------

_FOCUS_FIELDS: tuple[Field, ...] = (
    ("area", _enum(ProblemArea), True),
    ("stage", _enum(DisputeStage), False),
    ("person", _ID, False),
    ("mourning", _enum(Mourning), False),
)
_read_focus = object_reader("a focus area", _FOCUS_FIELDS, _construct(FocusArea))

_SESSION_FIELDS: tuple[Field, ...] = (
    ("number", _COUNT, True),
    ("date", _DATE, True),
    ("phase", _enum(Phase), True),
    ("agenda", _STRS, True),
    ("techniques", _STRS, True),
    ("remaining", _COUNT, True),
)
_read_session = object_reader("a session", _SESSION_FIELDS, _construct(PlannedSession))


def _plan(*, format: str, **fields: Any) -> CoursePlan:
    """A plan from the fields of its file (``format`` was checked by its reader)."""
    return CoursePlan(**fields)


def _plan_builder(catalogue: Catalogue) -> Callable[[dict[str, Any]], Any]:
    """Build a plan from the fields of its file, and refuse one that :func:`~iptcore.plan_course`
    never makes (:func:`~iptcore.plan.planned_problems`), or whose techniques are not the ones
    ``catalogue`` gives its focus, with every problem at once."""
    return _PlanBuilder(catalogue).build  # pragma: no mutate


@attrs.frozen
class _PlanBuilder:
    catalogue: Catalogue

    def build(self, values: dict[str, Any]) -> CoursePlan:
        built: CoursePlan = _Construct(_plan).build(values)
        problems = planned_problems(built)
        focus_ok = not any(p.path == "focus" for p in problems)
        if focus_ok:
            choices = technique_choices(built.focus, built.protocol, self.catalogue)
            if built.techniques not in choices:
                problems.insert(0, Problem(path="techniques", message=_NOT_LOOKED_UP))
        if problems:
            raise Broken(problems, None)
        return built


_NOT_LOOKED_UP = (
    "are not the techniques the catalogue gives the focus (plan_course and change_focus look "
    "them up: each area's first per_area, the emphasised ones first)"
)


def _technique_ids(catalogue: Catalogue) -> Reader:
    """The reader of a list of technique ids, each one of ``catalogue``'s (as the API checks
    them: :func:`~iptcore.course.unknown_techniques`)."""
    return _TechniqueIds(catalogue).read  # pragma: no mutate


@attrs.frozen
class _TechniqueIds:
    catalogue: Catalogue

    def read(self, raw: Any) -> tuple[str, ...]:
        ids: tuple[str, ...] = _STRS(raw)
        problems = unknown_techniques(ids, self.catalogue)
        if problems:
            raise Broken(problems, None)
        return ids


def _plan_reader(catalogue: Catalogue) -> Reader:
    # A table of fields, built once for each catalogue before any file is read: mutation testing
    # cannot reach it (mutation/README.md); the tests of every field of the file check it.
    # pragma: no mutate block
    fields: tuple[Field, ...] = (
        ("format", _format(PLAN_FORMAT), True),
        ("protocol", _read_protocol, True),
        ("sessions", list_reader(_read_session), True),
        ("focus", list_reader(_read_focus), False),
        ("techniques", _technique_ids(catalogue), False),
        ("skip", list_reader(_DATE), False),
    )
    return object_reader("a plan", fields, _plan_builder(catalogue))


def _dump_focus(focus: FocusArea) -> dict[str, Any]:
    out: dict[str, Any] = {"area": focus.area.value}
    if focus.stage is not None:
        out["stage"] = focus.stage.value
    if focus.person is not None:
        out["person"] = focus.person
    if focus.mourning is not None:
        out["mourning"] = focus.mourning.value
    return out


def _dump_session(session: PlannedSession) -> dict[str, Any]:
    return session.to_dict()


def dump_plan(plan: CoursePlan) -> dict[str, Any]:
    """The plan as a JSON-ready ``dict`` of the plan file; ``load_plan(dump_plan(p)) == p``.

    Raises:
        IptError: if ``plan`` is not a :class:`~iptcore.CoursePlan`, or not one that
            :func:`~iptcore.plan_course` makes (:func:`~iptcore.plan.planned_problems`), which the
            file could not hold: the plan of a course as it stands, its sessions held and moved,
            is kept in the course file.
    """
    if not isinstance(plan, CoursePlan):
        raise IptError(f"dump_plan needs a CoursePlan, got {type(plan).__name__}")
    return _dump_plan(plan, "plan")


def _dump_plan(plan: CoursePlan, where: str) -> dict[str, Any]:
    """The plan file of ``plan``, which must be one that :func:`~iptcore.plan_course` makes (a
    file holds nothing :func:`load_plan` would refuse); ``where`` names it in the refusal."""
    problems = planned_problems(plan)
    if problems:
        raise IptError(
            f"{where}: {problems[0]}; a plan file holds a plan as plan_course makes it (the plan "
            "of a course as it stands, its sessions held and moved, is kept in the course file)"
        )
    return {
        "format": PLAN_FORMAT,
        "protocol": dump_protocol(plan.protocol),
        "focus": [_dump_focus(f) for f in plan.focus],
        "techniques": list(plan.techniques),
        "skip": [d.isoformat() for d in plan.skip],
        "sessions": [_dump_session(s) for s in plan.sessions],
    }


def load_plan(
    source: object, *, catalogue: Catalogue | None = None, max_bytes: int | None = None
) -> CoursePlan:
    """Read a plan file: a ``dict``, JSON ``str``/``bytes`` or an ``os.PathLike``.

    ``catalogue`` is the technique catalogue the plan was made with (:func:`~iptcore.plan_course`'s;
    :data:`iptcore.TECHNIQUES` by default): the plan's techniques are checked against it.
    ``max_bytes`` bounds it as :func:`~iptcore.load_case` bounds a case (10 MB when not given; a
    dict is measured as the compact UTF-8 JSON it stands for).

    Raises:
        CaseError: for any invalid input, listing every problem with its JSON path.
        IptError: for a ``max_bytes`` that is not a whole number of 1 or more.

    >>> load_plan({"format": "iptcore.plan/1", "protocol": "ipt-z", "sessions": []})
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid plan file, 1 problem: protocol: names no built-in protocol (ipt, ipt-b, ipt-a, group, ipc, maintenance), got 'ipt-z'
    """
    plan: CoursePlan = _load(source, _readers(_catalogue(catalogue))[0], "plan", max_bytes)
    return plan


# --------------------------------------------------------------------------------------------
# Courses
# --------------------------------------------------------------------------------------------

_GOAL_FIELDS: tuple[Field, ...] = (
    ("id", _STR, True),
    ("area", _enum(ProblemArea), True),
    ("text", _STR, True),
    ("source", _STR, True),
    ("status", _enum(GoalStatus), True),
    ("manual", _STR, False),
    ("person", _ID, False),
)
_read_goal = object_reader("a goal", _GOAL_FIELDS, _construct(Goal))
_STATUS = _enum(GoalStatus)


def _read_goal_status(raw: Any) -> tuple[tuple[str, str], ...]:
    """An object of goal id to status, as (goal id, status word) pairs."""
    if not isinstance(raw, Mapping):
        raise refused("must be an object of goal id to status", raw)
    out = []
    problems = []
    for key, value in raw.items():
        try:
            out.append((str(key), _STATUS(value).value))
        except Invalid as exc:
            problems.append(
                Problem(
                    path=key_path(key),
                    message=str(exc),
                    redacted_path=HIDDEN_KEY,
                    redacted_message=exc.redacted,
                )
            )
    if problems:
        raise Broken(problems, None)
    return tuple(out)


def _step_reader(read_plan: Reader, technique_ids: Reader) -> Reader:
    # A table of fields, built once for each catalogue before any file is read: mutation testing
    # cannot reach it (mutation/README.md); the tests of every field of the file check it.
    # pragma: no mutate block
    fields: tuple[Field, ...] = (
        ("kind", _enum(StepKind), True),
        ("number", _COUNT, False),
        ("date", _DATE, False),
        ("to", _DATE, False),
        ("shift_rest", _BOOL, False),
        ("sessions", _sessions, False),
        ("measures", list_reader(model_readers["Measure"]), False),
        ("techniques", technique_ids, False),
        ("tasks", _STRS, False),
        ("other_techniques", _STRS, False),
        ("homework", _STR, False),
        ("notes", _STR, False),
        ("goal_status", _read_goal_status, False),
        ("focus", list_reader(_read_focus), False),
        ("goals", list_reader(_read_goal), False),
        ("plan", read_plan, False),
        ("reason", _STR, False),
    )
    return object_reader("a step", fields, _construct(Step))


def _read_case(raw: Any) -> Any:
    """The case of a course file, read as :func:`~iptcore.load_case` reads a case file."""
    if not isinstance(raw, Mapping):
        raise refused("must be an object (a case)", raw)
    try:
        return load_case(raw)
    except CaseError as exc:
        raise Broken(list(exc.problems), None) from None


def _bounded(read: Reader) -> Reader:
    """``read`` for the steps of a course, refusing more than ``max_steps`` before any is read (a
    course file is replayed step by step)."""
    return _Bounded(read).read  # pragma: no mutate


@attrs.frozen
class _Bounded:
    inner: Reader

    def read(self, raw: Any) -> Any:
        if isinstance(raw, list) and len(raw) > DEFAULT_LIMITS.max_steps:
            raise Invalid(DEFAULT_LIMITS.steps_over(len(raw)))
        return self.inner(raw)


def _course_rules(catalogue: Catalogue) -> Callable[[dict[str, Any]], list[Problem]]:
    """The rules of a course file across its fields, as the API keeps them: the goals'
    (:func:`~iptcore.course.goal_problems`) and each new focus's techniques (those ``catalogue``
    gives it). They read what could be read, so that their problems come with every other one."""
    return _CourseRules(catalogue).rules  # pragma: no mutate


@attrs.frozen
class _CourseRules:
    catalogue: Catalogue

    def rules(self, values: dict[str, Any]) -> list[Problem]:
        case, contract = values.get("case"), values.get("contract")
        steps = [(i, s) for i, s in enumerate(values.get("steps") or ()) if isinstance(s, Step)]
        problems = []
        if isinstance(case, Case):
            goals = values.get("goals") or ()
            if all(isinstance(g, Goal) for g in goals):  # else each bad one is a problem now
                problems += [p.within("goals") for p in goal_problems(goals, case)]
            for i, step in steps:
                where = f"steps[{i}].goals"
                problems += [p.within(where) for p in goal_problems(step.goals or (), case)]
        if isinstance(contract, CoursePlan):
            protocol = contract.protocol
            problems += [
                Problem(path=f"steps[{i}].techniques", message=_NOT_LOOKED_UP)
                for i, step in steps
                if step.kind is StepKind.CHANGE_FOCUS
                and step.techniques not in technique_choices(step.focus, protocol, self.catalogue)
            ]
        return problems


def _course(
    *,
    format: str,
    case: Case,
    contract: CoursePlan,
    goals: tuple[Goal, ...] = (),
    steps: tuple[Step, ...] = (),
) -> Course:
    """A course from the fields of its file: its steps replayed (an illegal one is refused at its
    path, ``steps[3]: ...``)."""
    return Course(case=case, contract=contract, initial_goals=goals, steps=steps)


@functools.lru_cache(maxsize=8)
def _readers(catalogue: Catalogue) -> tuple[Reader, Reader]:
    """The readers of the plan file and of the course file, checking techniques against
    ``catalogue`` (built once for each catalogue used)."""
    # A table of fields, built once for each catalogue before any file is read: mutation testing
    # cannot reach it (mutation/README.md); the tests of every field of the file check it.
    # pragma: no mutate block
    read_plan = _plan_reader(catalogue)
    technique_ids = _technique_ids(catalogue)
    fields: tuple[Field, ...] = (
        ("format", _format(COURSE_FORMAT), True),
        ("case", _read_case, True),
        ("contract", read_plan, True),
        ("goals", list_reader(_read_goal), False),
        ("steps", _bounded(list_reader(_step_reader(read_plan, technique_ids))), False),
    )
    read_course = object_reader("a course", fields, _construct(_course), _course_rules(catalogue))
    return read_plan, read_course


def _dump_goal(goal: Goal) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": goal.id,
        "area": goal.area.value,
        "text": goal.text,
        "source": goal.source,
    }
    if goal.manual:
        out["manual"] = goal.manual
    if goal.person is not None:
        out["person"] = goal.person
    out["status"] = goal.status.value
    return out


def _dump_measure(measure: Measure) -> dict[str, Any]:
    return {
        "date": measure.date.isoformat(),
        "instrument": measure.instrument.value,
        "items": list(measure.items),
    }


def _dump_step(step: Step, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": step.kind.value}
    if step.number is not None:
        out["number"] = step.number
    for key in ("date", "to"):
        value = getattr(step, key)
        if value is not None:
            out[key] = value.isoformat()
    if step.shift_rest:
        out["shift_rest"] = True
    if step.sessions is not None:
        out["sessions"] = step.sessions
    if step.measures:
        out["measures"] = [_dump_measure(m) for m in step.measures]
    if step.techniques:
        out["techniques"] = list(step.techniques)
    if step.tasks:
        out["tasks"] = list(step.tasks)
    if step.other_techniques:
        out["other_techniques"] = list(step.other_techniques)
    if step.homework:
        out["homework"] = step.homework
    if step.notes:
        out["notes"] = step.notes
    if step.goal_status:
        out["goal_status"] = dict(step.goal_status)
    if step.focus:
        out["focus"] = [_dump_focus(f) for f in step.focus]
    if step.goals is not None:
        out["goals"] = [_dump_goal(g) for g in step.goals]
    if step.plan is not None:
        out["plan"] = _dump_plan(step.plan, f"{where}.plan")
    if step.reason:
        out["reason"] = step.reason
    return out


def dump_course(course: Course) -> dict[str, Any]:
    """The course as a JSON-ready ``dict`` of the course file; ``load_course(dump_course(c)) == c``.

    It holds the case, the contracted plan, the goals agreed and every step, so that loading it
    replays the course and gives back its whole history.

    Raises:
        IptError: if ``course`` is not a :class:`~iptcore.Course`, or its contract or a maintenance
            contract is not a plan that :func:`~iptcore.plan_course` makes (see :func:`dump_plan`).
    """
    if not isinstance(course, Course):
        raise IptError(f"dump_course needs a Course, got {type(course).__name__}")
    return {
        "format": COURSE_FORMAT,
        "case": dump_case(course.case),
        "contract": _dump_plan(course.contract, "contract"),
        "goals": [_dump_goal(g) for g in course.initial_goals],
        "steps": [_dump_step(s, f"steps[{i}]") for i, s in enumerate(course.steps)],
    }


def load_course(
    source: object, *, catalogue: Catalogue | None = None, max_bytes: int | None = None
) -> Course:
    """Read a course file: a ``dict``, JSON ``str``/``bytes`` or an ``os.PathLike``.

    The file holds what the API could have built, checked by the same rules: the steps are
    replayed, and one that the protocol does not allow is a problem at its path (``steps[3]``),
    like any other. ``catalogue`` is the technique catalogue the course used (the steps'
    ``catalogue=``; :data:`iptcore.TECHNIQUES` by default): the techniques are checked against it.
    ``max_bytes`` bounds the file as :func:`load_plan`'s does.

    Raises:
        CaseError: for any invalid input, listing every problem with its JSON path.
        IptError: for a ``max_bytes`` that is not a whole number of 1 or more.
    """
    course: Course = _load(source, _readers(_catalogue(catalogue))[1], "course", max_bytes)
    return course
