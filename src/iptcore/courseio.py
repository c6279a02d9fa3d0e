"""The JSON files of plans and courses: ``iptcore.plan/1`` and ``iptcore.course/1``.

In the style of the case file (``caseio.py``): versioned by a ``format`` key, strict (an unknown key,
a wrong type, a date that is not ``YYYY-MM-DD`` are refused), and every problem is collected with its
JSON path before anything is built, in one :class:`~iptcore.CaseError`. Values are read through the
case format's field kinds (``fields.py``), so that a date or an id means the same in every file.

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

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from iptcore._fields import Invalid, Kind
from iptcore.case import Measure, Mourning
from iptcore.caseio import DEFAULT_MAX_BYTES, dump_case, load_case, read_document
from iptcore.course import Course, Step, StepKind
from iptcore.errors import CaseError, IptError, Problem
from iptcore.goals import Goal, GoalStatus
from iptcore.measures import Instrument
from iptcore.plan import CoursePlan, FocusArea, PlannedSession
from iptcore.protocols import PROTOCOLS, Cadence, MissRule, Protocol, Task
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

_DATE = Kind(name="date")
_ID = Kind(name="id")
_STR = Kind(name="str")
_STRS = Kind(name="strs")
_BOOL = Kind(name="bool")
_COUNT = Kind(name="int", low=0)
_MISSING = object()


class Reader:
    """Reads a JSON document field by field, collecting every problem with its path."""

    def __init__(self, subject: str = "file") -> None:
        self.problems: list[Problem] = []
        self.subject = subject

    def fail(self, path: str, message: str) -> None:
        """Note one problem."""
        self.problems.append(Problem(path=path, message=message))

    def fields_of(
        self,
        raw: object,
        path: str,
        what: str,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> Mapping[str, Any] | None:
        """``raw`` if it is an object (``None`` otherwise), noting each unknown and missing key."""
        if not isinstance(raw, Mapping):
            self.fail(path, f"must be an object ({what}), got {_brief(raw)}")
            return None
        allowed = (*required, *optional)
        for key in raw:
            if key not in allowed:
                self.fail(
                    join(path, str(key)),
                    f"is not a field of {what} (the fields are: {', '.join(allowed)})",
                )
        for key in required:
            if key not in raw:
                self.fail(join(path, key), "is required")
        return raw

    def mark(self) -> int:
        """A mark to ask :meth:`clean` about later."""
        return len(self.problems)

    def clean(self, mark: int) -> bool:
        """Whether no problem was noted since ``mark``."""
        return len(self.problems) == mark

    def leaf(
        self, raw: Mapping[str, Any], key: str, path: str, kind: Kind, default: Any = None
    ) -> Any:
        """The value of ``raw[key]`` read as ``kind``, ``default`` when absent, _MISSING when bad."""
        if key not in raw:
            return default
        try:
            return kind.from_json(raw[key])
        except Invalid as exc:
            self.fail(join(path, key), str(exc))
            return _MISSING

    def many(
        self, raw: Mapping[str, Any], key: str, path: str, read: Callable[[object, str], Any]
    ) -> list[Any] | None:
        """Each item of the list ``raw[key]`` read by ``read``; ``[]`` when absent."""
        if key not in raw:
            return []
        value = raw[key]
        if not isinstance(value, list):
            self.fail(join(path, key), f"must be a list, got {_brief(value)}")
            return None
        here = join(path, key)
        return [read(item, f"{here}[{i}]") for i, item in enumerate(value)]

    def build(self, path: str, make: Callable[[], Any]) -> Any:
        """``make()``, or _MISSING with its IptError noted at ``path`` (plus the field it names)."""
        try:
            return make()
        except CaseError as exc:
            self.problems.extend(p.within(path) for p in exc.problems)
        except IptError as exc:
            self.fail(*_located(path, str(exc)))
        return _MISSING

    def check_format(self, doc: Mapping[str, Any], expected: str) -> bool:
        """Whether ``doc["format"]`` is ``expected``; a newer major version says so."""
        fmt = doc.get("format")
        if fmt == expected:
            return True
        name, _, major = expected.partition("/")
        match = (
            re.fullmatch(re.escape(name) + r"/([0-9]+)(?:\.[0-9]+)*", fmt)
            if isinstance(fmt, str)
            else None
        )
        if "format" not in doc:
            self.fail("format", f'is required: "{expected}"')
        elif match is not None and int(match.group(1)) > int(major):
            self.fail(
                "format",
                f"this file is {fmt}, a newer major version than this iptcore reads ({expected}); "
                "upgrade iptcore to read it",
            )
        else:
            self.fail("format", f"must be {expected!r}, got {_brief(fmt)}")
        return False

    def raise_if_any(self) -> None:
        """Raise one CaseError listing every problem noted."""
        if self.problems:
            raise CaseError(self.problems, subject=self.subject)


def join(path: str, key: str) -> str:
    """``path.key`` (or ``key`` at the top)."""
    return f"{path}.{key}" if path else key


_LOCATED = re.compile(r"([A-Za-z_][\w]*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (.*)", re.S)


def _located(path: str, message: str) -> tuple[str, str]:
    """Split "field: what is wrong" into a path under ``path`` and the message."""
    match = _LOCATED.fullmatch(message)
    if match is None:
        return path, message
    return Problem(path=match.group(1), message=match.group(2)).within(path).path, match.group(2)


def _brief(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value[:40])
    return type(value).__name__


def _enum(cls: type[Any]) -> Kind:
    return Kind(name="enum", enum=cls)


def document(source: object, what: str) -> Mapping[str, Any]:
    """The JSON object of ``source`` (a dict, JSON text or a path), read as the case file is read."""
    doc = read_document(source, DEFAULT_MAX_BYTES)
    if not isinstance(doc, Mapping):
        raise CaseError(
            [Problem(path="", message=f"{what} must be a JSON object, got {_brief(doc)}")],
            subject=what.removeprefix("a ") + " file",
        )
    return doc


# --------------------------------------------------------------------------------------------
# Protocols
# --------------------------------------------------------------------------------------------

_PROTOCOL_REQUIRED = ("name", "title", "min_sessions", "max_sessions", "default_sessions")
_PROTOCOL_KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "name": _STR,
        "title": _STR,
        "min_sessions": _COUNT,
        "default_sessions": _COUNT,
        "cadence": _enum(Cadence),
        "engagement": _BOOL,
        "maintenance": _BOOL,
        "initial_sessions": _COUNT,
        "termination_sessions": _COUNT,
        "termination_notice": _COUNT,
        "homework": _BOOL,
        "on_miss": _enum(MissRule),
        "source": _STR,
    }
)
_TASK_KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "id": _STR,
        "phase": _enum(Phase),
        "text": _STR,
        "source": _STR,
        "every": _BOOL,
    }
)


def dump_protocol(protocol: Protocol) -> str | dict[str, Any]:
    """A built-in protocol's name, or the whole of a user's protocol as a JSON-ready dict."""
    if PROTOCOLS.get(protocol.name) == protocol:
        return protocol.name
    out: dict[str, Any] = {}
    for key in (*_PROTOCOL_REQUIRED, *_PROTOCOL_KINDS):
        if key in out:
            continue
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


def _read_task(reader: Reader, raw: object, path: str) -> Any:
    mark = reader.mark()
    obj = reader.fields_of(
        raw, path, "a task", required=("id", "phase", "text", "source"), optional=("every",)
    )
    if obj is None:
        return _MISSING
    values = {
        key: reader.leaf(obj, key, path, kind) for key, kind in _TASK_KINDS.items() if key in obj
    }
    if not reader.clean(mark):
        return _MISSING
    return reader.build(path, lambda: Task(**values))


def read_protocol(reader: Reader, raw: object, path: str) -> Any:
    """A protocol from its name or its full object; _MISSING (with problems noted) when bad."""
    if isinstance(raw, str):
        if raw in PROTOCOLS:
            return PROTOCOLS[raw]
        reader.fail(path, f"names no built-in protocol ({', '.join(PROTOCOLS)}), got {raw!r}")
        return _MISSING
    optional = (*[k for k in _PROTOCOL_KINDS if k not in _PROTOCOL_REQUIRED], "tasks")
    mark = reader.mark()
    obj = reader.fields_of(raw, path, "a protocol", required=_PROTOCOL_REQUIRED, optional=optional)
    if obj is None:
        return _MISSING
    values: dict[str, Any] = {
        key: reader.leaf(obj, key, path, kind)
        for key, kind in _PROTOCOL_KINDS.items()
        if key in obj
    }
    if obj.get("max_sessions") is not None:
        values["max_sessions"] = reader.leaf(obj, "max_sessions", path, _COUNT)
    tasks = reader.many(obj, "tasks", path, lambda item, where: _read_task(reader, item, where))
    if tasks is None or not reader.clean(mark):
        return _MISSING
    values.setdefault("max_sessions", None)
    return reader.build(path, lambda: Protocol(**values, tasks=tuple(tasks)))


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------

_FOCUS_KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "area": _enum(ProblemArea),
        "stage": _enum(DisputeStage),
        "person": _ID,
    }
)
_SESSION_KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "number": _COUNT,
        "date": _DATE,
        "phase": _enum(Phase),
        "agenda": _STRS,
        "techniques": _STRS,
        "remaining": _COUNT,
    }
)


def _dump_focus(focus: FocusArea) -> dict[str, Any]:
    out: dict[str, Any] = {"area": focus.area.value}
    if focus.stage is not None:
        out["stage"] = focus.stage.value
    if focus.person is not None:
        out["person"] = focus.person
    if focus.mourning is not None:
        out["mourning"] = focus.mourning.value
    return out


def read_focus(reader: Reader, raw: object, path: str) -> Any:
    """One focus area from its object; _MISSING when bad."""
    mark = reader.mark()
    obj = reader.fields_of(
        raw, path, "a focus area", required=("area",), optional=("stage", "person", "mourning")
    )
    if obj is None:
        return _MISSING
    kinds = {**_FOCUS_KINDS, "mourning": _enum(Mourning)}
    values = {key: reader.leaf(obj, key, path, kind) for key, kind in kinds.items() if key in obj}
    if not reader.clean(mark):
        return _MISSING
    return reader.build(path, lambda: FocusArea(**values))


def _read_session(reader: Reader, raw: object, path: str) -> Any:
    mark = reader.mark()
    obj = reader.fields_of(raw, path, "a session", required=tuple(_SESSION_KINDS), optional=())
    if obj is None:
        return _MISSING
    values = {
        key: reader.leaf(obj, key, path, kind) for key, kind in _SESSION_KINDS.items() if key in obj
    }
    if not reader.clean(mark):
        return _MISSING
    return reader.build(path, lambda: PlannedSession(**values))


def _dump_session(session: PlannedSession) -> dict[str, Any]:
    return session.to_dict()


def dump_plan(plan: CoursePlan) -> dict[str, Any]:
    """The plan as a JSON-ready ``dict`` of the plan file; ``load_plan(dump_plan(p)) == p``.

    Raises:
        IptError: if ``plan`` is not a :class:`~iptcore.CoursePlan`.
    """
    if not isinstance(plan, CoursePlan):
        raise IptError(f"dump_plan needs a CoursePlan, got {type(plan).__name__}")
    return {
        "format": PLAN_FORMAT,
        "protocol": dump_protocol(plan.protocol),
        "focus": [_dump_focus(f) for f in plan.focus],
        "techniques": list(plan.techniques),
        "skip": [d.isoformat() for d in plan.skip],
        "sessions": [_dump_session(s) for s in plan.sessions],
    }


def read_plan(reader: Reader, raw: object, path: str) -> Any:
    """A plan from its object (with its ``format`` key); _MISSING (problems noted) when bad."""
    mark = reader.mark()
    obj = reader.fields_of(
        raw,
        path,
        "a plan",
        required=("format", "protocol", "sessions"),
        optional=("focus", "techniques", "skip"),
    )
    if obj is None:
        return _MISSING
    check_format(reader, obj, path, PLAN_FORMAT)
    protocol: Any = (
        read_protocol(reader, obj["protocol"], join(path, "protocol"))
        if "protocol" in obj
        else None
    )
    focus = reader.many(obj, "focus", path, lambda item, where: read_focus(reader, item, where))
    techniques = reader.leaf(obj, "techniques", path, _STRS, default=())
    skip = reader.many(obj, "skip", path, lambda item, where: _read_date(reader, item, where))
    sessions = reader.many(
        obj, "sessions", path, lambda item, where: _read_session(reader, item, where)
    )
    if focus is None or skip is None or sessions is None or not reader.clean(mark):
        return _MISSING
    return reader.build(
        path,
        lambda: CoursePlan(
            protocol=protocol,
            sessions=tuple(sessions),
            focus=tuple(focus),
            techniques=techniques,
            skip=tuple(skip),
        ),
    )


def check_format(reader: Reader, obj: Mapping[str, Any], path: str, expected: str) -> None:
    """Note a problem at ``path.format`` unless the object's ``format`` is ``expected``."""
    if obj.get("format") == expected or "format" not in obj:  # a missing key is noted already
        return
    sub = Reader()
    sub.check_format(obj, expected)
    reader.problems.extend(p.within(path) for p in sub.problems)


def _read_date(reader: Reader, raw: object, path: str) -> Any:
    try:
        return _DATE.from_json(raw)
    except Invalid as exc:
        reader.fail(path, str(exc))
        return _MISSING


def load_plan(source: object) -> CoursePlan:
    """Read a plan file: a ``dict``, JSON ``str``/``bytes`` or an ``os.PathLike``.

    Raises:
        CaseError: for any invalid input, listing every problem with its JSON path.

    >>> load_plan({"format": "iptcore.plan/1", "protocol": "ipt-z", "sessions": []})
    Traceback (most recent call last):
    ...
    iptcore.errors.CaseError: invalid plan file, 1 problem: protocol: names no built-in protocol (ipt, ipt-b, ipt-a, group, ipc, maintenance), got 'ipt-z'
    """
    doc = document(source, "a plan")
    reader = Reader("plan file")
    plan = read_plan(reader, doc, "")
    reader.raise_if_any()
    if plan is _MISSING:  # pragma: no cover - a bad plan always notes a problem
        raise CaseError([Problem(path="", message="could not be read")])
    result: CoursePlan = plan
    return result


# --------------------------------------------------------------------------------------------
# Courses
# --------------------------------------------------------------------------------------------

#: The format and major version of course files.
COURSE_FORMAT = "iptcore.course/1"

_GOAL_KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        "id": _STR,
        "area": _enum(ProblemArea),
        "text": _STR,
        "source": _STR,
        "manual": _STR,
        "person": _ID,
    }
)


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


def _read_goal(reader: Reader, raw: object, path: str) -> Any:
    mark = reader.mark()
    obj = reader.fields_of(
        raw,
        path,
        "a goal",
        required=("id", "area", "text", "source", "status"),
        optional=("manual", "person"),
    )
    if obj is None:
        return _MISSING
    kinds = {**_GOAL_KINDS, "status": _enum(GoalStatus)}
    values = {key: reader.leaf(obj, key, path, kind) for key, kind in kinds.items() if key in obj}
    if not reader.clean(mark):
        return _MISSING
    return reader.build(path, lambda: Goal(**values))


def _dump_measure(measure: Measure) -> dict[str, Any]:
    return {
        "date": measure.date.isoformat(),
        "instrument": measure.instrument.value,
        "items": list(measure.items),
    }


def _read_measure(reader: Reader, raw: object, path: str) -> Any:
    mark = reader.mark()
    keys = ("date", "instrument", "items")
    obj = reader.fields_of(raw, path, "a measure", required=keys, optional=())
    if obj is None:
        return _MISSING
    kinds = {"date": _DATE, "instrument": _enum(Instrument), "items": Kind(name="items")}
    values = {key: reader.leaf(obj, key, path, kind) for key, kind in kinds.items() if key in obj}
    if not reader.clean(mark):
        return _MISSING
    return reader.build(path, lambda: Measure(**values))


def _dump_step(step: Step) -> dict[str, Any]:
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
        out["plan"] = dump_plan(step.plan)
    if step.reason:
        out["reason"] = step.reason
    return out


_STEP_KEYS = (
    "number",
    "date",
    "to",
    "shift_rest",
    "sessions",
    "measures",
    "techniques",
    "tasks",
    "other_techniques",
    "homework",
    "notes",
    "goal_status",
    "focus",
    "goals",
    "plan",
    "reason",
)
_STEP_LEAVES: Mapping[str, Kind] = MappingProxyType(
    {
        "number": _COUNT,
        "date": _DATE,
        "to": _DATE,
        "shift_rest": _BOOL,
        "sessions": _COUNT,
        "techniques": _STRS,
        "tasks": _STRS,
        "other_techniques": _STRS,
        "homework": _STR,
        "notes": _STR,
        "reason": _STR,
    }
)


def _read_step(reader: Reader, raw: object, path: str) -> Any:
    mark = reader.mark()
    obj = reader.fields_of(raw, path, "a step", required=("kind",), optional=_STEP_KEYS)
    if obj is None:
        return _MISSING
    values: dict[str, Any] = {"kind": reader.leaf(obj, "kind", path, _enum(StepKind))}
    for key, kind in _STEP_LEAVES.items():
        if key in obj:
            values[key] = reader.leaf(obj, key, path, kind)
    if "measures" in obj:
        values["measures"] = reader.many(
            obj, "measures", path, lambda item, where: _read_measure(reader, item, where)
        )
    if "focus" in obj:
        values["focus"] = reader.many(
            obj, "focus", path, lambda item, where: read_focus(reader, item, where)
        )
    if "goals" in obj:
        values["goals"] = reader.many(
            obj, "goals", path, lambda item, where: _read_goal(reader, item, where)
        )
    if "plan" in obj:
        values["plan"] = read_plan(reader, obj["plan"], join(path, "plan"))
    if "goal_status" in obj:
        values["goal_status"] = _read_goal_status(
            reader, obj["goal_status"], join(path, "goal_status")
        )
    if not reader.clean(mark):
        return _MISSING
    for key in ("measures", "focus", "goals"):
        if key in values:
            values[key] = tuple(values[key])
    return reader.build(path, lambda: Step(**values))


def _read_goal_status(reader: Reader, raw: object, path: str) -> Any:
    if not isinstance(raw, Mapping):
        reader.fail(path, f"must be an object of goal id to status, got {_brief(raw)}")
        return _MISSING
    out = []
    for key, value in raw.items():
        try:
            out.append((str(key), _enum(GoalStatus).from_json(value).value))
        except Invalid as exc:
            reader.fail(join(path, str(key)), str(exc))
    return tuple(out)


def dump_course(course: Course) -> dict[str, Any]:
    """The course as a JSON-ready ``dict`` of the course file; ``load_course(dump_course(c)) == c``.

    It holds the case, the contracted plan, the goals agreed and every step, so that loading it
    replays the course and gives back its whole history.

    Raises:
        IptError: if ``course`` is not a :class:`~iptcore.Course`.
    """
    if not isinstance(course, Course):
        raise IptError(f"dump_course needs a Course, got {type(course).__name__}")
    return {
        "format": COURSE_FORMAT,
        "case": dump_case(course.case),
        "contract": dump_plan(course.contract),
        "goals": [_dump_goal(g) for g in course.initial_goals],
        "steps": [_dump_step(s) for s in course.steps],
    }


def load_course(source: object) -> Course:
    """Read a course file: a ``dict``, JSON ``str``/``bytes`` or an ``os.PathLike``.

    The steps are replayed; one that the protocol does not allow is a problem at its path
    (``steps[3]``), like any other.

    Raises:
        CaseError: for any invalid input, listing every problem with its JSON path.
    """
    doc = document(source, "a course")
    reader = Reader("course file")
    reader.fields_of(
        doc, "", "a course", required=("format", "case", "contract"), optional=("goals", "steps")
    )
    check_format(reader, doc, "", COURSE_FORMAT)
    case: Any = _MISSING
    if "case" in doc:
        try:
            case = load_case(doc["case"]) if isinstance(doc["case"], Mapping) else None
        except CaseError as exc:
            reader.problems.extend(p.within("case") for p in exc.problems)
        if case is None:
            reader.fail("case", f"must be an object (a case), got {_brief(doc['case'])}")
    contract: Any = (
        read_plan(reader, doc["contract"], "contract") if "contract" in doc else _MISSING
    )
    goals = reader.many(doc, "goals", "", lambda item, where: _read_goal(reader, item, where))
    steps = reader.many(doc, "steps", "", lambda item, where: _read_step(reader, item, where))
    reader.raise_if_any()
    try:
        return Course(
            case=case, contract=contract, initial_goals=tuple(goals or ()), steps=tuple(steps or ())
        )
    except IptError as exc:
        where, message = _located("", str(exc))
        raise CaseError([Problem(path=where, message=message)], subject="course file") from None
