"""Planning a course: :func:`plan_course` turns a protocol, a start date and a focus into dated sessions.

The plan follows its :class:`~iptcore.Protocol` (``protocols.py``): the dates follow the cadence from
``start``, passing over holidays and planned absences so that the contracted count is kept [COMP];
each session's agenda lists the phase tasks due in it [COMP; ISIPT]; every session
after the first opens with "How have things been since we last met?" [COMP; IPTUK]; the end is raised
at least two sessions before the last one ("at least two to four sessions before it occurs" [COMP])
and every session of the last third says how many remain; each middle session's techniques come from
the technique catalogue for the focus areas, the dispute stage's first where the classification
gives one.

>>> from datetime import date
>>> plan = plan_course("ipt-b", start=date(2026, 3, 2), focus=["role_dispute"])   # fictional
>>> [(s.number, s.phase.value) for s in plan.sessions][:4]
[(0, 'engagement'), (1, 'initial'), (2, 'initial'), (3, 'middle')]
>>> plan.end
datetime.date(2026, 4, 27)
"""

from __future__ import annotations

import functools
import itertools
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs

from iptcore import _checks
from iptcore._fields import a_date, abridge
from iptcore.case import Mourning
from iptcore.errors import IptError, Problem, ProtocolError
from iptcore.findings import Classification, Finding
from iptcore.protocols import (
    AREA_STRATEGIES,
    OPENING_QUESTION,
    STAGE_STRATEGIES,
    Cadence,
    Protocol,
    Task,
    resolve,
    schedule,
)
from iptcore.techniques import TECHNIQUES, Catalogue
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "CoursePlan",
    "FocusArea",
    "PlannedSession",
    "SessionRecipe",
    "build_sessions",
    "focus_areas",
    "plan_course",
    "planned_problems",
    "technique_choices",
]

#: How many techniques of each focus area a session lists by default (the emphasised ones first).
DEFAULT_PER_AREA = 4

# Phases in which the focus areas are worked on, so that their techniques apply: the middle phase
# [COMP], and IPT-M, which continues that work monthly (Frank et al. 1991).
_WORK_PHASES = frozenset({Phase.MIDDLE, Phase.MAINTENANCE})


def _fail(message: str) -> Any:
    raise IptError(message)


def _to_mourning(value: Any) -> Any:
    return _checks.word(Mourning, value)


@attrs.frozen(kw_only=True)
class FocusArea:
    """A problem area of the focus with what the classification knows of it.

    ``stage`` is the role dispute's stage [GUIDE]; ``person`` the id of the person the area is about
    (who died, who the dispute is with); ``mourning`` how a death's mourning goes (``avoided`` or
    ``prolonged`` is complicated grief [GUIDE]).

    >>> str(FocusArea(area="role_dispute", stage="impasse", person="p2"))
    'role dispute (impasse, with p2)'
    """

    area: ProblemArea = attrs.field(
        converter=_checks.area,
        validator=_checks.instance_of(ProblemArea, "a ProblemArea", form=_checks.COLON),
    )
    stage: DisputeStage | None = attrs.field(
        default=None,
        converter=_checks.stage,
        validator=_checks.instance_of(
            DisputeStage, "a DisputeStage", form=_checks.COLON, optional=True
        ),
    )
    person: str | None = attrs.field(
        default=None, validator=_checks.instance_of(str, "an id", form=_checks.COLON, optional=True)
    )
    mourning: Mourning | None = attrs.field(
        default=None,
        converter=_to_mourning,
        validator=_checks.instance_of(Mourning, "a Mourning", form=_checks.COLON, optional=True),
    )

    def __attrs_post_init__(self) -> None:
        if self.stage is not None and self.area is not ProblemArea.ROLE_DISPUTE:
            _fail(f"stage: only a role dispute has a stage [GUIDE], not {self.area.value}")
        if self.mourning is not None and self.area is not ProblemArea.GRIEF:
            _fail(f"mourning: only grief has mourning, not {self.area.value}")

    @property
    def complicated(self) -> bool:
        """Complicated grief: mourning "postponed, avoided or prolonged" [GUIDE]."""
        return self.mourning in (Mourning.AVOIDED, Mourning.PROLONGED)

    def __str__(self) -> str:
        details = []
        if self.stage is not None:
            details.append(self.stage.value)
        if self.complicated and self.mourning is not None:
            details.append(f"complicated: mourning {self.mourning.value}")
        if self.person is not None:
            details.append(("with " if self.area is ProblemArea.ROLE_DISPUTE else "") + self.person)
        label = self.area.value.replace("_", " ")
        return f"{label} ({', '.join(details)})" if details else label

    def agenda_item(self) -> str:
        """What a middle session works on for this area: the area's strategy and the stage's."""
        text = f"Focus on {self}: {AREA_STRATEGIES[self.area].text}"
        if self.stage is not None:
            text += f"; at {self.stage.value}: {STAGE_STRATEGIES[self.stage].text}"
        if self.complicated:
            text += "; help the patient mourn what was put off"  # complicated grief [GUIDE]
        return text


def _focus_area(item: object, where: str) -> FocusArea:
    if isinstance(item, FocusArea):
        return item
    if isinstance(item, Finding):
        mourning = None
        event = item.evidence.event
        if item.area is ProblemArea.GRIEF and event is not None:
            mourning = event.effective_mourning
        return FocusArea(
            area=item.area,
            stage=item.stage,  # only a dispute's finding has one
            person=item.person,
            mourning=mourning,
        )
    if isinstance(item, str) and item in ProblemArea._value2member_map_:
        return FocusArea(area=ProblemArea(item))
    areas = ", ".join(a.value for a in ProblemArea)
    raise IptError(
        f"{where}: must be a problem area ({areas}), a Finding or a FocusArea, got {item!r}"
    )


def focus_areas(focus: object) -> tuple[FocusArea, ...]:
    """The focus as :class:`FocusArea` values, checked against the manual's rules.

    ``focus`` is a :class:`~iptcore.Classification` (its focus, with each area's best finding), one
    problem area, or a sequence of areas, :class:`~iptcore.Finding` or :class:`FocusArea` values.

    Raises:
        ProtocolError: for more than two areas ("focus on one, at most two" [GUIDE]), an area twice,
            or interpersonal deficits beside another area ("if any of the other problem areas can be
            found, do not use interpersonal deficits as a focus" [GUIDE]).
        IptError: for anything that is not a problem area.

    >>> [str(f) for f in focus_areas(["grief", "role_transition"])]
    ['grief', 'role transition']
    >>> focus_areas(["grief", "interpersonal_deficits"])
    Traceback (most recent call last):
    ...
    iptcore.errors.ProtocolError: focus: interpersonal deficits is never a focus beside another area [GUIDE]
    """
    items: list[FocusArea]
    if isinstance(focus, Classification):
        items = []
        for area in focus.focus:
            finding = focus.finding(area)
            items.append(_focus_area(finding if finding is not None else area, "focus"))
    elif isinstance(focus, str | FocusArea | Finding):
        items = [_focus_area(focus, "focus")]
    elif isinstance(focus, Iterable):
        items = [_focus_area(item, f"focus[{i}]") for i, item in enumerate(focus)]
    else:
        raise IptError(
            f"focus: must be a Classification, a problem area or a list of them, got {focus!r}"
        )
    areas = [f.area for f in items]
    if len(set(areas)) != len(areas):
        raise ProtocolError("focus: names the same problem area twice")
    if len(areas) > 2:
        raise ProtocolError(f"focus: one, at most two problem areas [GUIDE], got {len(areas)}")
    if ProblemArea.INTERPERSONAL_DEFICITS in areas and len(areas) > 1:
        raise ProtocolError(
            "focus: interpersonal deficits is never a focus beside another area [GUIDE]"
        )
    return tuple(items)


@attrs.frozen(kw_only=True)
class PlannedSession:
    """One session of a plan: its number, date, phase, agenda and techniques.

    ``number`` is 0 for an engagement or pre-group session; ``remaining`` counts the numbered sessions
    after this one.
    """

    number: int = attrs.field(
        validator=_checks.instance_of(int, "a whole number", form=_checks.COLON)
    )
    date: date = attrs.field(
        validator=_checks.instance_of(date, "a datetime.date", form=_checks.COLON)
    )
    phase: Phase = attrs.field(
        converter=_checks.phase, validator=_checks.instance_of(Phase, "a Phase", form=_checks.COLON)
    )
    agenda: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.texts(form=_checks.COLON)
    )
    techniques: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.texts(form=_checks.COLON)
    )
    remaining: int = attrs.field(
        default=0, validator=_checks.instance_of(int, "a whole number", form=_checks.COLON)
    )

    def describe(self) -> str:
        """A few lines for people: number, date, phase, then the agenda and techniques."""
        lines = [f"Session {self.number}, {self.date.isoformat()} ({self.phase.value})"]
        lines += [f"  - {item}" for item in self.agenda]
        if self.techniques:
            lines.append("  techniques: " + ", ".join(self.techniques))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "phase": self.phase.value,
            "agenda": list(self.agenda),
            "techniques": list(self.techniques),
            "remaining": self.remaining,
        }


def _sessions(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _dates(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = list(value)
        if all(isinstance(d, date) and not isinstance(d, datetime) for d in items):
            return tuple(sorted(set(items)))
        return tuple(items)
    return value


def _all_of(value: object, test: Callable[[Any], bool]) -> bool:
    """Whether ``value`` is a tuple whose every item passes ``test``."""
    return isinstance(value, tuple) and all(test(v) for v in value)


@attrs.frozen(kw_only=True)
class CoursePlan:
    """A planned course: the protocol, the focus, and one :class:`PlannedSession` per session.

    The count (:attr:`count`), :attr:`start` and :attr:`end` are read from the sessions. ``skip`` is
    the dates passed over; ``techniques`` the ids the focus-work sessions use.
    Raises :class:`~iptcore.IptError` when the sessions do not fit the protocol.
    """

    protocol: Protocol = attrs.field(
        validator=_checks.instance_of(Protocol, "a Protocol", form=_checks.COLON)
    )
    sessions: tuple[PlannedSession, ...] = attrs.field(converter=_sessions)
    focus: tuple[FocusArea, ...] = attrs.field(default=(), converter=_checks.as_tuple)
    techniques: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_checks.texts(form=_checks.COLON)
    )
    skip: tuple[date, ...] = attrs.field(default=(), converter=_dates)
    #: What needs attention before the course begins: the warnings of the classification it was
    #: planned from, the screening cautions among them (:func:`iptcore.screen`). Not part of the
    #: plan's value: not compared and not written to the plan file.
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple, eq=False)

    def __attrs_post_init__(self) -> None:
        sessions: Any = self.sessions
        protocol = self.protocol
        # What each field holds, every problem at once; then how the sessions fit the protocol.
        if not isinstance(sessions, tuple) or not sessions:
            problems = [
                f"sessions: must be a non-empty tuple of PlannedSession, got {_checks.quote(sessions)}"
            ]
        else:
            problems = [
                f"sessions[{i}]: must be a PlannedSession, got {_checks.quote(s)}"
                for i, s in enumerate(sessions)
                if not isinstance(s, PlannedSession)
            ]
        if not _all_of(self.focus, lambda f: isinstance(f, FocusArea)):
            problems.append(f"focus: must be a tuple of FocusArea, got {_checks.quote(self.focus)}")
        if not _all_of(self.skip, lambda d: isinstance(d, date) and not isinstance(d, datetime)):
            problems.append(f"skip: must be datetime.date values, got {_checks.quote(self.skip)}")
        if not _all_of(self.warnings, lambda w: isinstance(w, str)):
            problems.append(
                f"warnings: must be a tuple of strings, got {_checks.quote(self.warnings)}"
            )
        if problems:
            _fail("; ".join(problems))
        count = sessions[-1].number
        numbers = [s.number for s in sessions]
        # Compared with a range as long as the sessions, never one as long as the last number says:
        # a plan file numbering its last session 2**31 must not build a list of 2**31 numbers.
        first = protocol.first_number
        if numbers != list(range(first, first + len(sessions))):
            _fail(
                f"sessions: must be numbered {protocol.first_number}..n in order for "
                f"{protocol.name}, got {numbers}"
            )
        protocol.check_count(count)
        for i, (a, b) in enumerate(itertools.pairwise(sessions)):
            if b.date <= a.date:
                _fail(
                    f"sessions[{i + 1}].date: {b.date} is not after session {a.number} ({a.date})"
                )
        for i, s in enumerate(sessions):
            if s.phase is not protocol.phase_of(s.number, count):
                expected = protocol.phase_of(s.number, count).value
                _fail(f"sessions[{i}].phase: session {s.number} of {count} is {expected}")

    @property
    def count(self) -> int:
        """The number of numbered sessions (a session 0 comes in addition)."""
        return self.sessions[-1].number

    @property
    def start(self) -> date:
        """The date of the first session (session 0 where the protocol has one)."""
        return self.sessions[0].date

    @property
    def end(self) -> date:
        """The date of the last session."""
        return self.sessions[-1].date

    @property
    def areas(self) -> tuple[ProblemArea, ...]:
        """The focus's problem areas, primary first."""
        return tuple(f.area for f in self.focus)

    def session(self, number: int) -> PlannedSession:
        """The session numbered ``number``; :class:`~iptcore.IptError` if the plan has none."""
        for s in self.sessions:
            if s.number == number:
                return s
        raise IptError(f"number: the plan has no session {number!r}")

    def describe(self) -> str:
        """The plan as a table for people: number, date, phase, agenda, techniques."""
        return _describe(self)


# --------------------------------------------------------------------------------------------
# Building the sessions: one pure function shared by plan_course and Course
# --------------------------------------------------------------------------------------------


def _spread(count: int, slots: int) -> list[int]:
    """The 0-based slot of each of ``count`` tasks spread in order over ``slots`` sessions."""
    return [i * slots // count for i in range(count)]


@functools.lru_cache(maxsize=64)
def _due_tasks(protocol: Protocol, count: int) -> Mapping[int, tuple[Task, ...]]:
    """The once-only tasks due in each session of a course of ``count`` sessions, by number: each
    phase's in order, spread over the phase's sessions.

    Kept for the last few (protocol, count) pairs: a course reads it for every session it makes,
    and its count changes only when it is renegotiated.
    """
    numbers: dict[Phase, list[int]] = {}
    for n in range(protocol.first_number, count + 1):
        numbers.setdefault(protocol.phase_of(n, count), []).append(n)
    due: dict[int, list[Task]] = {}
    for phase, members in numbers.items():
        spread = [t for t in protocol.tasks_for(phase) if not t.every]
        for task, slot in zip(spread, _spread(len(spread), len(members)), strict=True):
            due.setdefault(members[slot], []).append(task)
    return MappingProxyType({n: tuple(tasks) for n, tasks in due.items()})


def _last_third(count: int) -> int:
    """The first session of the last third of ``count`` sessions (ceil(count / 3) from the end)."""
    return count - (count + 2) // 3 + 1


@attrs.frozen(kw_only=True)
class SessionRecipe:
    """How the sessions of a plan are made from their dates, one at a time.

    ``dates`` has one date per session, from the protocol's first number to the last;
    ``techniques`` are the ids for the focus-work sessions; the end is raised in the protocol's
    notice session, or in ``notice_from`` if that comes later (a course renegotiated late).
    :meth:`session` makes the session at an index and :meth:`sessions` all of them
    (:func:`build_sessions`), so that a course whose step changes a date or two makes again only
    the sessions it reads, not the whole plan.

    >>> from datetime import date
    >>> from iptcore.protocols import PROTOCOLS
    >>> recipe = SessionRecipe(protocol=PROTOCOLS["ipc"], dates=(date(2026, 3, 2), date(2026, 3, 9),
    ...                        date(2026, 3, 16)))
    >>> recipe.session(2).agenda[-1], recipe.count
    ('This is the last session', 3)
    """

    protocol: Protocol
    dates: tuple[date, ...]
    focus: tuple[FocusArea, ...] = ()
    techniques: tuple[str, ...] = ()
    notice_from: int = 1

    @property
    def count(self) -> int:
        """The number of numbered sessions."""
        return self.protocol.first_number + len(self.dates) - 1

    def session(self, index: int) -> PlannedSession:
        """The session at ``index`` (0 for the first, session 0 where the protocol has one)."""
        return self._make(index, self.count, self._notice())

    def sessions(self, start: int = 0) -> tuple[PlannedSession, ...]:
        """The sessions from index ``start`` to the last."""
        count, notice = self.count, self._notice()
        return tuple(self._make(i, count, notice) for i in range(start, len(self.dates)))

    def _notice(self) -> int | None:
        notice = self.protocol.notice_session(self.count)
        return None if notice is None else max(notice, self.notice_from)

    def _make(self, index: int, count: int, notice: int | None) -> PlannedSession:
        protocol, end = self.protocol, self.dates[-1]
        cadence = protocol.cadence.value
        number = protocol.first_number + index
        phase = protocol.phase_of(number, count)
        agenda: list[str] = []
        if index > 0:
            agenda.append(f'Open with "{OPENING_QUESTION}"')
        due = _due_tasks(protocol, count).get(number, ())
        agenda += [t.render(sessions=count, cadence=cadence, end=end) for t in due]
        agenda += [
            t.render(sessions=count, cadence=cadence, end=end)
            for t in protocol.tasks_for(phase)
            if t.every
        ]
        work = phase in _WORK_PHASES
        if work:
            agenda += [f.agenda_item() for f in self.focus]
        if number == notice:
            # "at least two to four sessions before it occurs" [COMP]
            agenda.append(
                f"Raise the end: the course ends with session {count} on {end.isoformat()}; "
                "talk about ending"
            )
        remaining = count - number
        if number >= max(_last_third(count), 1):
            agenda.append(
                "This is the last session"
                if remaining == 0
                else f"{remaining} session{'s remain' if remaining > 1 else ' remains'} after this one"
            )
        return PlannedSession(
            number=number,
            date=self.dates[index],
            phase=phase,
            agenda=tuple(agenda),
            techniques=self.techniques if work else (),
            remaining=remaining,
        )


def build_sessions(
    protocol: Protocol,
    dates: Sequence[date],
    *,
    focus: Sequence[FocusArea] = (),
    techniques: Sequence[str] = (),
    notice_from: int = 1,
) -> tuple[PlannedSession, ...]:
    """The sessions of a plan with one date per session, from the first number to the last.

    ``techniques`` are the ids for the focus-work sessions; the end is raised in the protocol's
    notice session, or in ``notice_from`` if that comes later (a course renegotiated late).
    """
    recipe = SessionRecipe(
        protocol=protocol,
        dates=tuple(dates),
        focus=tuple(focus),
        techniques=tuple(techniques),
        notice_from=notice_from,
    )
    return recipe.sessions()


def lookup_techniques(
    focus: Sequence[FocusArea],
    protocol: Protocol,
    catalogue: Catalogue | None = None,
    *,
    per_area: int | None = DEFAULT_PER_AREA,
) -> tuple[str, ...]:
    """The technique ids for the focus-work sessions: each area's, emphasised first, primary first.

    A role dispute's stage comes first where it is known (the catalogue's stage emphasis [GUIDE]).
    ``per_area`` keeps the first few of each area (``None`` keeps them all): most techniques suit
    every area, so the emphasised ones are what tells a session's work apart.
    """
    if per_area is not None and (
        isinstance(per_area, bool) or not isinstance(per_area, int) or per_area < 1
    ):
        raise IptError(f"per_area: must be a whole number of 1 or more, or None, got {per_area!r}")
    if catalogue is None:
        catalogue = TECHNIQUES
    phase = Phase.MAINTENANCE if protocol.maintenance else Phase.MIDDLE
    ids: list[str] = []
    for f in focus:
        found = catalogue.for_area(f.area, phase, stage=f.stage)
        if not found and phase is Phase.MAINTENANCE:
            # IPT-M continues the middle phase's work (Frank et al. 1991).
            found = catalogue.for_area(f.area, Phase.MIDDLE, stage=f.stage)
        ids += [t.id for t in found[:per_area] if t.id not in ids]
    return tuple(ids)


def technique_choices(
    focus: Sequence[FocusArea], protocol: Protocol, catalogue: Catalogue | None = None
) -> tuple[tuple[str, ...], ...]:
    """Every list of technique ids :func:`lookup_techniques` gives ``focus``, one for each
    ``per_area`` (1, 2, ... and ``None``): the lists that :func:`plan_course` puts in a plan and
    :meth:`~iptcore.Course.change_focus` in its step, which a plan or course file must hold.

    >>> [len(ids) for ids in technique_choices(focus_areas("grief"), resolve("ipt"))]
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    """
    whole = lookup_techniques(focus, protocol, catalogue, per_area=None)
    out = [lookup_techniques(focus, protocol, catalogue, per_area=1)]
    # Each area gives at most all its techniques, so per_area = len(whole) gives them all: the
    # walk is bounded by that, whatever the catalogue holds.
    for per_area in range(2, len(whole) + 1):
        if out[-1] == whole:
            break
        out.append(lookup_techniques(focus, protocol, catalogue, per_area=per_area))
    return tuple(dict.fromkeys(out))


def planned_problems(plan: CoursePlan) -> list[Problem]:
    """Why ``plan`` is not one that :func:`plan_course` makes: every problem, each at its path in
    the plan file (the techniques aside: which the focus gets depends on the catalogue, see
    :func:`technique_choices`).

    A plan as planned keeps the manual's focus rules (:func:`focus_areas`); its first session is
    on a day that ``skip`` does not hold, and each later one on the first day of the cadence from
    the first (the same weekday, or the same day of the month, clamped) after the session before
    that ``skip`` does not hold; each session's agenda, techniques and count of sessions remaining
    are the protocol's for its number and the plan's dates and focus (:class:`SessionRecipe`).
    :func:`iptcore.load_plan` refuses any other plan, and :func:`iptcore.dump_plan` writes none.

    >>> plan = plan_course("ipc", start=date(2026, 3, 2), sessions=3)
    >>> planned_problems(plan)
    []
    >>> late = attrs.evolve(plan.sessions[1], date=date(2026, 3, 10))
    >>> [str(p) for p in planned_problems(attrs.evolve(plan, sessions=(plan.sessions[0], late,
    ...                                                                 plan.sessions[2])))]
    ['sessions[1].date: is 2026-03-10; the weekly cadence from 2026-03-02, passing over skip, gives 2026-03-09']
    """
    problems = _date_problems(plan)
    try:
        focus_areas(plan.focus)
        focus_ok = True
    except IptError as exc:
        problems.insert(0, Problem.of_message(str(exc)))
        focus_ok = False  # the agendas and techniques follow the focus: they say nothing more
    recipe = SessionRecipe(
        protocol=plan.protocol,
        dates=tuple(s.date for s in plan.sessions),
        focus=plan.focus,
        techniques=plan.techniques,
    )
    count = plan.count
    for i, (got, want) in enumerate(zip(plan.sessions, recipe.sessions(), strict=True)):
        where = f"sessions[{i}]"
        if focus_ok and got.agenda != want.agenda:
            change = _first_change(got.agenda, want.agenda)
            message = f"is not the agenda of session {got.number} as planned ({change})"
            problems.append(
                Problem(
                    path=f"{where}.agenda",
                    message=message,
                    redacted_message="is not the session's agenda as planned",
                )
            )
        if focus_ok and got.techniques != want.techniques:
            message = (
                f"are not the plan's techniques for a {got.phase.value} session: a session of "
                "the focus's work lists the plan's techniques, any other none"
            )
            problems.append(Problem(path=f"{where}.techniques", message=message))
        if got.remaining != want.remaining:
            message = (
                f"is {got.remaining}; session {got.number} of {count} has {want.remaining} after it"
            )
            problems.append(
                Problem(
                    path=f"{where}.remaining",
                    message=message,
                    redacted_message="is not the count of sessions after it as planned",
                )
            )
    return problems


def _first_change(got: tuple[str, ...], want: tuple[str, ...]) -> str:
    """Where the agenda ``got`` first parts from the planned ``want``, in words."""
    k = next(
        (k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
        min(len(got), len(want)),
    )
    if k < len(got) and k < len(want):
        return f"item {k} is {abridge(got[k])!r}, planned {abridge(want[k])!r}"
    if k < len(got):
        return f"item {k}, {abridge(got[k])!r}, is not planned"
    return f"item {k}, {abridge(want[k])!r}, is missing"


def _date_problems(plan: CoursePlan) -> list[Problem]:
    """The sessions of ``plan`` that are not on the days :func:`plan_course` gives them.

    Each session is compared with the day that follows the one before it: a session held in
    ``skip``, or off the cadence, is one problem, and the sessions after it are compared with the
    days they keep (the later of its day and the planned one), so that one session off its day
    does not make the rest look off too.
    """
    cadence, start, skip = plan.protocol.cadence, plan.start, frozenset(plan.skip)
    problems = []
    after: date | None = None  # the day the next session follows
    for i, session in enumerate(plan.sessions):
        where, day = f"sessions[{i}].date", session.date
        try:
            planned = start if after is None else _next_slot(cadence, start, after, skip)
        except IptError:  # past the calendar: no planned day is left
            planned = None
        if day in skip:
            message = f"is {day}, a date in skip (a day with no session)"
            problems.append(
                Problem(
                    path=where, message=message, redacted_message="is a date in skip (no session)"
                )
            )
        elif day != planned:
            gives = "no date before 9999-12-31" if planned is None else str(planned)
            message = (
                f"is {day}; the {cadence.value} cadence from {start}, passing over skip, "
                f"gives {gives}"
            )
            problems.append(
                Problem(
                    path=where,
                    message=message,
                    redacted_message=f"is not a day the {cadence.value} cadence gives",
                )
            )
        after = day if planned is None or day in skip else max(day, planned)
    return problems


def _next_slot(cadence: Cadence, start: date, after: date, skip: frozenset[date]) -> date:
    """The first day of the cadence from ``start`` after ``after`` that ``skip`` does not hold: the
    day :func:`~iptcore.protocols.schedule` gives the session after one on ``after``."""
    if after < start:
        k = 0
    elif cadence is Cadence.WEEKLY:
        k = (after - start).days // 7 + 1
    else:
        k = (after.year - start.year) * 12 + after.month - start.month
        if cadence.slot(start, k) <= after:
            k += 1
    while cadence.slot(start, k) in skip:
        k += 1
    return cadence.slot(start, k)


def plan_course(
    protocol: Protocol | str = "ipt",
    *,
    start: date | str,
    sessions: int | None = None,
    skip: Iterable[date | str] = (),
    focus: object = (),
    catalogue: Catalogue | None = None,
    per_area: int | None = DEFAULT_PER_AREA,
) -> CoursePlan:
    """Plan a course of ``protocol`` from ``start``.

    Args:
        protocol: a name of :data:`~iptcore.PROTOCOLS` or a :class:`~iptcore.Protocol`.
        start: the date of the first session (session 0 where the protocol has one): a
            :class:`datetime.date` or its ISO text, ``"2026-03-09"``.
        sessions: the numbered sessions 1..n; the protocol's default when ``None``.
        skip: dates (or ISO texts) with no session (holidays, planned absences): a session that falls on one moves
            one cadence step later, and so do the rest, so that the count is kept.
        focus: a :class:`~iptcore.Classification`, a problem area or a list of them (see
            :func:`focus_areas`); empty while the initial phase has not yet agreed one. A
            classification's warnings (its screening cautions among them) become the plan's.
        catalogue: the technique catalogue; :data:`iptcore.TECHNIQUES` by default.
        per_area: how many techniques of each focus area a session lists (``None``: all).

    Returns:
        The :class:`CoursePlan`.

    Raises:
        ProtocolError: a count outside the protocol's range; a focus the manual does not allow.
        IptError: an unknown protocol, a ``start`` that is in ``skip`` or is not a date, a bad
            ``skip``.

    >>> from datetime import date
    >>> plan = plan_course(start=date(2026, 3, 2), sessions=12, skip=[date(2026, 4, 6)])
    >>> plan.count, plan.end.isoformat()
    (12, '2026-05-25')
    >>> plan.session(10).agenda[-1]
    '2 sessions remain after this one'
    """
    chosen = resolve(protocol)
    start = a_date(start, "start")
    given: object = skip
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise IptError(f"skip: must be a list of dates, got {given!r}")
    skipped = [a_date(day, f"skip[{i}]") for i, day in enumerate(given)]
    if start in skipped:
        raise IptError(f"start: {start} is in skip; start the course on a day it can meet")
    count = chosen.default_sessions if sessions is None else chosen.check_count(sessions)
    areas = focus_areas(focus)
    try:
        dates = schedule(chosen.cadence, start, count + 1 - chosen.first_number, skip=skipped)
    except IptError as exc:  # past the calendar
        raise IptError(f"start: {exc}") from None
    techniques = lookup_techniques(areas, chosen, catalogue, per_area=per_area) if areas else ()
    return CoursePlan(
        protocol=chosen,
        sessions=build_sessions(chosen, dates, focus=areas, techniques=techniques),
        focus=areas,
        techniques=techniques,
        skip=tuple(skipped),
        warnings=focus.warnings if isinstance(focus, Classification) else (),
    )


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

_AGENDA_WIDTH = 56


def _describe(plan: CoursePlan) -> str:
    protocol = plan.protocol
    extra = " plus a session 0" if protocol.engagement else ""
    focus = ", ".join(str(f) for f in plan.focus) or "not yet agreed"
    lines = [
        (
            f"{protocol.title}: {plan.count} {protocol.cadence.value} sessions{extra}, "
            f"{plan.start.isoformat()} to {plan.end.isoformat()}"
        ),
        f"Focus: {focus}",
        "",
        f"{'#':>3}  {'date':<10}  {'phase':<11}  {'agenda':<{_AGENDA_WIDTH}}  techniques",
    ]
    for s in plan.sessions:
        left: list[str] = []
        for item in s.agenda:
            wrapped = textwrap.wrap(item, _AGENDA_WIDTH - 2) or [""]
            left += ["- " + wrapped[0]] + ["  " + w for w in wrapped[1:]]
        right = list(s.techniques)
        rows = max(len(left), len(right), 1)
        for r in range(rows):
            head = (
                f"{s.number:>3}  {s.date.isoformat():<10}  {s.phase.value:<11}"
                if r == 0
                else " " * 28
            )
            agenda = left[r] if r < len(left) else ""
            technique = right[r] if r < len(right) else ""
            lines.append(f"{head}  {agenda:<{_AGENDA_WIDTH}}  {technique}".rstrip())
    return "\n".join(lines)
