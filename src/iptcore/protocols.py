"""IPT protocols as data: session counts, cadence, phase boundaries, phase tasks and strategies.

IPT is time-limited and structured: "12-16 weekly individual sessions ...; the time frame is fixed at
the outset and any change is renegotiated explicitly" [COMP; ISIPT], in three phases, initial, middle
and termination [ISIPT]. Each variant is one :class:`Protocol` value in :data:`PROTOCOLS` (standard
IPT [COMP]; IPT-B [SWARTZ2014]; IPT-A [MUFSON1999; MUFSON2004]; group IPT [WHO]; interpersonal
counselling [KLERMAN1987; WEISSMAN2014]; maintenance IPT [FRANK1990]); the small generic code here
(:meth:`Protocol.phase_of`, :meth:`Cadence.slots`, :func:`schedule`) reads them. A user's own
protocol is a value too::

    attrs.evolve(PROTOCOLS["ipt"], name="ipt-uk", initial_sessions=4)

Where the sources disagree the table holds the manual's default and the disagreement is a field: the
initial phase "should not last more than three sessions" [FOCUS] while some services use sessions
1-4, so ``initial_sessions`` defaults to 3.

What each phase works on is data too, with its sources: a :class:`Task` is one item of a session's
agenda; the standard initial-phase tasks come in order [FOCUS; COMP; MARKOWITZ-SWARTZ2007], the
middle phase links mood to events and the termination phase prepares the end [COMP]; the variants
add or change tasks (IPT-A [MUFSON2004], IPT-B's engagement session [SWARTZ2014], group IPT [WHO],
maintenance [FRANK1990]); work-at-home tasks only where the protocol sets them [COMP; CASEBOOK].
Every session after the first opens with :data:`OPENING_QUESTION` [COMP]. The middle phase works on
the focus with :data:`AREA_STRATEGIES` per problem area ([GUIDE]; [KLERMAN1984], paraphrased) and,
for a role dispute, :data:`STAGE_STRATEGIES` per stage [GUIDE].

>>> ipt = PROTOCOLS["ipt"]
>>> ipt.default_sessions, ipt.cadence.value
(16, 'weekly')
>>> [ipt.phase_of(n, 16).value for n in (1, 3, 4, 13, 14, 16)]
['initial', 'initial', 'middle', 'middle', 'termination', 'termination']
>>> OPENING_QUESTION
'How have things been since we last met?'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from iptcore import _checks
from iptcore._dates import add_months
from iptcore.errors import IptError, ProtocolError
from iptcore.limits import DEFAULT_LIMITS, Limits
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "AREA_STRATEGIES",
    "MIN_TERMINATION_NOTICE",
    "OPENING_QUESTION",
    "PROTOCOLS",
    "RAISE_END",
    "STAGE_STRATEGIES",
    "Cadence",
    "MissRule",
    "Protocol",
    "Strategy",
    "Task",
    "schedule",
]

#: Every session after the first opens with this question, which gives an interval history of mood
#: and events [COMP; IPTUK].
OPENING_QUESTION = "How have things been since we last met?"


@attrs.frozen(kw_only=True)
class Task:
    """One task of a phase, as it appears on a session's agenda.

    ``every`` tasks come up in every session of their phase; the others are due once, spread over the
    phase in their order. ``text`` may hold the placeholders ``{sessions}``, ``{cadence}`` and ``{end}``
    (the contracted count, the cadence and the date of the last session).

    >>> Task(id="contract", phase=Phase.INITIAL, text="Contract: {sessions} sessions",
    ...      source="[COMP]").render(sessions=16, cadence="weekly", end=date(2026, 6, 15))
    'Contract: 16 sessions'
    """

    id: str = attrs.field(validator=_checks.instance_of(str, "a str", form=_checks.COLON))
    phase: Phase = attrs.field(
        converter=_checks.phase, validator=_checks.instance_of(Phase, "a Phase", form=_checks.COLON)
    )
    text: str = attrs.field(validator=_checks.instance_of(str, "a str", form=_checks.COLON))
    source: str = attrs.field(validator=_checks.instance_of(str, "a str", form=_checks.COLON))
    every: bool = attrs.field(
        default=False, validator=_checks.instance_of(bool, "a bool", form=_checks.COLON)
    )

    def __attrs_post_init__(self) -> None:
        if not self.id or not self.text:
            raise IptError(f"task {self.id!r}: id and text must not be empty")

    def render(self, *, sessions: int, cadence: str, end: date) -> str:
        """The task's text with its placeholders filled in."""
        return (
            self.text.replace("{sessions}", str(sessions))
            .replace("{cadence}", cadence)
            .replace("{end}", end.isoformat())
        )


@attrs.frozen(kw_only=True)
class Strategy:
    """What the middle phase works on for a problem area or a dispute stage, with its source."""

    text: str
    source: str


# Goals and strategies per problem area: [GUIDE; KLERMAN1984]. The goals are confirmed by
# [GUIDE]; the strategy lists are Klerman et al. 1984, paraphrased (users may replace this table).
AREA_STRATEGIES: Mapping[ProblemArea, Strategy] = MappingProxyType(
    {
        ProblemArea.GRIEF: Strategy(
            text="facilitate mourning; reconstruct the relationship with the person who died; "
            "reestablish interests and relationships that can substitute for what was lost",
            source="[GUIDE]; Klerman et al. 1984 (paraphrased)",
        ),
        ProblemArea.ROLE_DISPUTE: Strategy(
            text="identify the dispute and its stage; choose a plan of action; modify "
            "communication and/or expectations",
            source="[GUIDE]; Klerman et al. 1984 (paraphrased)",
        ),
        ProblemArea.ROLE_TRANSITION: Strategy(
            text="mourn and accept the loss of the old role; see the new role more positively; "
            "master the new role's demands and build support",
            source="[CASEBOOK]; Klerman et al. 1984 (paraphrased)",
        ),
        ProblemArea.INTERPERSONAL_DEFICITS: Strategy(
            text="reduce isolation; build new relationships; review past relationships for "
            "repeating patterns",
            source="[GUIDE]; Klerman et al. 1984 (paraphrased)",
        ),
    }
)

# The three stages of a role dispute and what each calls for [GUIDE].
STAGE_STRATEGIES: Mapping[DisputeStage, Strategy] = MappingProxyType(
    {
        DisputeStage.RENEGOTIATION: Strategy(
            text="calm the parties and improve communication so that they can resolve it",
            source="[GUIDE]",
        ),
        DisputeStage.IMPASSE: Strategy(
            text="bring the disagreement back into the open to restart negotiation",
            source="[GUIDE]",
        ),
        DisputeStage.DISSOLUTION: Strategy(
            text="help mourn the relationship and move on", source="[GUIDE]"
        ),
    }
)


def _task(tid: str, phase: Phase, text: str, source: str, *, every: bool = False) -> Task:
    # Runs at import only, for the tables below (which tests/test_protocols.py checks against
    # their sources): mutation testing cannot reach it.
    return Task(id=tid, phase=phase, text=text, source=source, every=every)  # pragma: no mutate


_I, _M, _T = Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION

# Session 1 of every protocol assesses suicide risk: every IPT manual evaluates suicidality at intake
# [GUIDE]; an answer above 0 on PHQ-9 item 9 needs a risk assessment [KROENKE2001; SIMON2013]. As
# the first task of its phase it falls in the phase's first session (see iptcore.screen).
_RISK = _task(
    "suicide_risk",
    _I,
    "Assess suicide risk (ideation, intent, plan, history) and agree a safety plan if needed; "
    "record it in the case's screening",
    "[GUIDE]; [KROENKE2001]; [SIMON2013]",
)
_RISK_MAINTENANCE = attrs.evolve(_RISK, phase=Phase.MAINTENANCE)

# The initial-phase tasks, in order [FOCUS; COMP; MARKOWITZ-SWARTZ2007].
_DIAGNOSIS = _task(
    "diagnosis",
    _I,
    "Diagnosis by standard criteria and a severity scale (HAM-D or PHQ-9)",
    "[FOCUS]",
)
_SICK_ROLE = _task(
    "sick_role",
    _I,
    "Give the sick role: depression is a treatable illness, not the patient's fault, "
    "with the duty to work at recovery",
    "[FOCUS]; IPTUK; Parsons",
)
_MEDICATION = _task(
    "medication",
    _I,
    "Assess the need for medication; psychoeducation about depression",
    "[FOCUS]",
)
_INVENTORY = _task(
    "inventory",
    _I,
    "Interpersonal inventory: each important relationship, its satisfactions and expectations",
    "[COMP]",
)
_TIMELINE = _task(
    "timeline",
    _I,
    "Timeline: interpersonal changes around the onset of the episode",
    "[FOCUS]",
)
_FORMULATION = _task(
    "formulation",
    _I,
    "Interpersonal formulation around the problem area, offered and accepted by the patient "
    "(or revised together) before the middle phase",
    "[MARKOWITZ-SWARTZ2007]",
)
_CONTRACT = _task(
    "contract",
    _I,
    "Treatment contract: {sessions} {cadence} sessions, the focus, the end on {end}",
    "[COMP]; [ISIPT]",
)
# The middle phase: the opening question (every session after the first, added by the planner),
# linking mood to events, and the focus areas' strategies (AREA_STRATEGIES) [COMP; IPTUK].
_LINK = _task(
    "link_mood_events",
    _M,
    "Link the week's mood to interpersonal events",
    "[COMP]; IPTUK",
    every=True,
)
# The termination phase [COMP; GUIDE]: the end itself is raised by the planner at the notice
# session; termination is framed as a graduation, crediting the patient's competence [GUIDE].
_ENDING = _task(
    "ending_feelings",
    _T,
    "Frame the ending as a graduation: credit the patient's competence; discuss the feelings the "
    "ending brings (sadness at parting is not relapse)",
    "[GUIDE]; [COMP]",
)
_GAINS = _task(
    "consolidate",
    _T,
    "Consolidate gains: review what changed and the patient's own part in it",
    "[COMP]",
)
_RELAPSE = _task(
    "relapse_plan",
    _T,
    "Relapse plan: early warning signs and what to do",
    "[COMP]",
)
_NONRESPONSE = _task(
    "next_treatment",
    _T,
    "If symptoms persist: say that the treatment failed, not the patient (\u201cthe treatment "
    "failed, not you\u201d), and discuss maintenance IPT or another treatment",
    "[GUIDE]; [FRANK1990]",
)

#: Raising the end: the planner puts it on the agenda of the notice session itself (it is not spread
#: with a phase's tasks), and a held session records it as done by this id. "The end is discussed
#: explicitly at least two to four sessions before it occurs" [COMP]; it opens the termination work.
RAISE_END = _task(
    "raise_end",
    _T,
    "Raise the end: name the last session and its date, and talk about ending",
    "[COMP]",
)

_STANDARD_TASKS = (
    _RISK,
    _DIAGNOSIS,
    _SICK_ROLE,
    _MEDICATION,
    _INVENTORY,
    _TIMELINE,
    _FORMULATION,
    _CONTRACT,
    _LINK,
    _ENDING,
    _GAINS,
    _RELAPSE,
    _NONRESPONSE,
)

# "Standard IPT sets no formal homework; IPT-A and group IPT use work-at-home tasks" [COMP; CASEBOOK].
_HOMEWORK = _task(
    "work_at_home",
    _M,
    "Review the last work-at-home task and agree the next one",
    "[COMP]; [CASEBOOK]",
    every=True,
)

# IPT-A: parents involved, a "limited sick role", school liaison (Mufson et al. 1999, 2004).
_IPTA_TASKS = (
    _RISK,
    _DIAGNOSIS,
    _task(
        "sick_role",
        _I,
        "Give a limited sick role: depression is an illness, and school and activities go on "
        "as far as possible",
        "Mufson et al. 2004",
    ),
    _task(
        "parents",
        _I,
        "Involve a parent: explain depression and the treatment and agree their part",
        "Mufson et al. 2004",
    ),
    _MEDICATION,
    _INVENTORY,
    _TIMELINE,
    _task("school", _I, "School liaison where needed, with consent", "Mufson et al. 2004"),
    _FORMULATION,
    _CONTRACT,
    _LINK,
    _HOMEWORK,
    _ENDING,
    _GAINS,
    _RELAPSE,
    _NONRESPONSE,
)

_IPTB_TASKS = (
    _task(
        "engagement",
        Phase.ENGAGEMENT,
        "Engagement session: the patient's view of the problem and of treatment, and the "
        "practical and emotional barriers to coming",
        "Swartz et al. 2014 (details unconfirmed)",
    ),
    *_STANDARD_TASKS,
)

# WHO group IPT: an individual pre-group session, then 8 group sessions; initial = group 1,
# termination = group 8 [WHO]. The split of the initial tasks between the pre-group session and
# group 1 follows the WHO manual's outline (unconfirmed in the excerpts we read).
_GROUP_TASKS = (
    _task(
        "pre_group",
        Phase.ENGAGEMENT,
        "Pre-group individual session: diagnosis and severity scale, the sick role, "
        "inventory and timeline, the problem area, preparation for the group",
        "[WHO] (details unconfirmed)",
    ),
    _RISK,
    _task(
        "group_start",
        _I,
        "Introductions; depression as a treatable illness; each member's problem area and goals; "
        "the group's rules",
        "[WHO] (details unconfirmed)",
    ),
    _task(
        "contract",
        _I,
        "Group contract: {sessions} {cadence} group sessions, ending on {end}",
        "[WHO]",
    ),
    _LINK,
    _HOMEWORK,
    _ENDING,
    _GAINS,
    _RELAPSE,
    _NONRESPONSE,
)

# IPT-M: monthly, starting after remission; watches for prodromes and triggers (Frank et al. 1990,
# 1991).
_MAINTENANCE_TASKS = (
    _RISK_MAINTENANCE,
    _task(
        "prodromes",
        Phase.MAINTENANCE,
        "Watch for early signs of recurrence and their interpersonal triggers",
        "Frank et al. 1990, 1991",
        every=True,
    ),
    _task(
        "keep_focus",
        Phase.MAINTENANCE,
        "Keep working on the interpersonal focus",
        "Frank et al. 1991",
        every=True,
    ),
)


#: The end is discussed explicitly "at least two to four sessions before it occurs" [COMP]: a course
#: may never raise it later than two sessions before the last one.
MIN_TERMINATION_NOTICE = 2


class Cadence(StrEnum):
    """How often sessions fall: weekly for acute IPT [COMP; ISIPT], monthly for IPT-M (Frank et al.
    1990, 1991)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"

    def slots(self, start: date, *, anchor_day: int | None = None) -> Iterator[date]:
        """The dates ``start``, one step later, two steps later, ... (an endless iterator).

        Monthly steps keep ``anchor_day`` (default ``start.day``) as the day of the month, clamped to
        each month's last day, so that 31 January is followed by 28 (or 29) February and 31 March.

        >>> from itertools import islice
        >>> [d.isoformat() for d in islice(Cadence.MONTHLY.slots(date(2027, 1, 31)), 3)]
        ['2027-01-31', '2027-02-28', '2027-03-31']
        """
        # A course that would run past date.max is refused as bad input, not with the OverflowError
        # or ValueError of date arithmetic (found by fuzzing the course file: fuzz/README.md).
        if self is Cadence.WEEKLY:
            step = timedelta(days=7)
            current = start
            while True:
                yield current
                try:
                    current += step
                except OverflowError:
                    raise _past_the_calendar() from None
        day = start.day if anchor_day is None else anchor_day
        k = 0
        while True:
            try:
                when = add_months(start, k, day=day)
            except ValueError:
                raise _past_the_calendar() from None
            yield when
            k += 1

    def slot(self, start: date, k: int, *, anchor_day: int | None = None) -> date:
        """The date ``k`` steps after ``start``: the ``k``-th of :meth:`slots` (from 0), without
        the ones before it.

        >>> Cadence.MONTHLY.slot(date(2027, 1, 31), 1), Cadence.WEEKLY.slot(date(2026, 3, 2), 2)
        (datetime.date(2027, 2, 28), datetime.date(2026, 3, 16))
        """
        try:
            if self is Cadence.WEEKLY:
                return start + timedelta(days=7 * k)
            return add_months(start, k, day=start.day if anchor_day is None else anchor_day)
        except (OverflowError, ValueError):
            raise _past_the_calendar() from None

    def after(self, when: date, *, anchor_day: int | None = None) -> date:
        """The date one step after ``when``.

        >>> Cadence.WEEKLY.after(date(2026, 3, 2))
        datetime.date(2026, 3, 9)
        """
        slots = self.slots(when, anchor_day=anchor_day)
        next(slots)
        return next(slots)


def _past_the_calendar() -> IptError:
    return IptError(f"the sessions would run past {date.max}, the last date a datetime.date holds")


def schedule(
    cadence: Cadence,
    start: date,
    count: int,
    *,
    skip: Iterable[date] = (),
    anchor_day: int | None = None,
) -> tuple[date, ...]:
    """``count`` session dates from ``start`` on ``cadence``, passing over the dates in ``skip``.

    A date in ``skip`` (a holiday, a planned absence) pushes that session and the rest one cadence step
    later, so that the number of sessions is kept. ``start`` itself may be skipped here; the planner
    refuses that.

    >>> [d.isoformat() for d in schedule(Cadence.WEEKLY, date(2026, 12, 17), 3,
    ...                                   skip=[date(2026, 12, 24)])]
    ['2026-12-17', '2026-12-31', '2027-01-07']
    """
    if count < 0:
        raise IptError(f"count: must be 0 or more, got {count}")
    skipped = frozenset(skip)
    out: list[date] = []
    if count == 0:
        return ()
    for slot in cadence.slots(start, anchor_day=anchor_day):
        if slot not in skipped:
            out.append(slot)
            if len(out) == count:
                break
    return tuple(out)


def _to_cadence(value: Any) -> Any:
    return _checks.word(Cadence, value)


def _to_miss_rule(value: Any) -> Any:
    return _checks.word(MissRule, value)


class MissRule(StrEnum):
    """What happens to a missed session.

    ``keep_end`` (the default): the session is lost and the plan stays, its end date included:
    "the time frame is fixed at the outset and any change is renegotiated explicitly" [COMP;
    ISIPT]. ``keep_count``: the session is made up one cadence step later and the end moves, so
    that the number of sessions held is kept (a service's choice; a longer time frame is better
    renegotiated).
    """

    KEEP_COUNT = "keep_count"
    KEEP_END = "keep_end"


def _count(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and attribute.name == "max_sessions":
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise IptError(f"{attribute.name}: must be a whole number, 0 or more, got {value!r}")


def _tasks(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen(kw_only=True)
class Protocol:
    """One IPT protocol: its session counts, cadence, phase boundaries, tasks and rules.

    Sessions are numbered 1..n; a protocol with ``engagement`` adds a session 0 (the IPT-B engagement
    session, the WHO pre-group individual session). The initial phase is sessions
    1..``initial_sessions``, the termination phase the last ``termination_sessions``, the middle phase
    the rest; a ``maintenance`` protocol's sessions are all maintenance sessions. The end is raised
    ``termination_notice`` sessions before the last one (at least :data:`MIN_TERMINATION_NOTICE`
    [COMP]).

    Raises :class:`~iptcore.IptError` when the fields do not make a protocol (for example phases that
    overlap at the smallest count).

    >>> PROTOCOLS["ipt-b"].phase_of(0, 8).value
    'engagement'
    """

    name: str = attrs.field(validator=_checks.instance_of(str, "a str", form=_checks.COLON))
    title: str = attrs.field(validator=_checks.instance_of(str, "a str", form=_checks.COLON))
    min_sessions: int = attrs.field(validator=_count)
    max_sessions: int | None = attrs.field(validator=_count)
    default_sessions: int = attrs.field(validator=_count)
    cadence: Cadence = attrs.field(
        default=Cadence.WEEKLY,
        converter=_to_cadence,
        validator=_checks.instance_of(Cadence, "a Cadence", form=_checks.COLON),
    )
    engagement: bool = attrs.field(
        default=False, validator=_checks.instance_of(bool, "a bool", form=_checks.COLON)
    )
    maintenance: bool = attrs.field(
        default=False, validator=_checks.instance_of(bool, "a bool", form=_checks.COLON)
    )
    initial_sessions: int = attrs.field(default=3, validator=_count)
    termination_sessions: int = attrs.field(default=3, validator=_count)
    termination_notice: int = attrs.field(default=MIN_TERMINATION_NOTICE, validator=_count)
    #: Whether the protocol sets work-at-home tasks: "Standard IPT sets no formal homework; IPT-A
    #: and group IPT use work-at-home tasks" [COMP; CASEBOOK; MUFSON2004; WHO].
    homework: bool = attrs.field(
        default=False, validator=_checks.instance_of(bool, "a bool", form=_checks.COLON)
    )
    on_miss: MissRule = attrs.field(
        default=MissRule.KEEP_END,
        converter=_to_miss_rule,
        validator=_checks.instance_of(MissRule, "a MissRule", form=_checks.COLON),
    )
    tasks: tuple[Task, ...] = attrs.field(default=(), converter=_tasks)
    source: str = attrs.field(
        default="", validator=_checks.instance_of(str, "a str", form=_checks.COLON)
    )

    def __attrs_post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise IptError(f"protocol {self.name!r}: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        out: list[str] = []
        if not self.name:
            out.append("name: must not be empty")
        if not isinstance(self.tasks, tuple) or not all(isinstance(t, Task) for t in self.tasks):
            out.append("tasks: must be a tuple of Task")
        low, high, default = self.min_sessions, self.max_sessions, self.default_sessions
        if low < 1:
            out.append(f"min_sessions: must be at least 1, got {low}")
        if high is not None and high < low:
            out.append(f"max_sessions: {high} is below min_sessions ({low})")
        if not self.allows(default):
            out.append(f"default_sessions: {default} is outside {self.range_text}")
        elif default > DEFAULT_LIMITS.max_sessions:
            out.append(
                f"default_sessions: {default} is more than the limit of "
                f"{DEFAULT_LIMITS.max_sessions} (max_sessions, iptcore.limits)"
            )
        if self.maintenance:
            if self.engagement or self.initial_sessions or self.termination_sessions:
                out.append(
                    "a maintenance protocol has no engagement, initial or termination sessions"
                )
        else:
            if self.initial_sessions < 1 or self.termination_sessions < 1:
                out.append("initial_sessions and termination_sessions: must be at least 1")
            if self.initial_sessions + self.termination_sessions > low:
                out.append(
                    f"initial ({self.initial_sessions}) and termination "
                    f"({self.termination_sessions}) sessions overlap at {low} sessions"
                )
            # "at least two to four sessions before it occurs" [COMP]
            if self.termination_notice < MIN_TERMINATION_NOTICE:
                out.append(
                    f"termination_notice: the end is raised at least {MIN_TERMINATION_NOTICE} "
                    f"sessions before it [COMP], got {self.termination_notice}"
                )
            elif self.termination_notice >= low:
                out.append(
                    f"termination_notice: {self.termination_notice} sessions before the last leaves "
                    f"no session to raise the end in at {low} sessions"
                )
        return out

    # -- reading the table ------------------------------------------------------------------------
    @property
    def range_text(self) -> str:
        """The allowed counts in words, e.g. ``12-16`` or ``1 or more``."""
        if self.max_sessions is None:
            return f"{self.min_sessions} or more"
        if self.max_sessions == self.min_sessions:
            return str(self.min_sessions)
        return f"{self.min_sessions}-{self.max_sessions}"

    def allows(self, sessions: int) -> bool:
        """Whether ``sessions`` numbered sessions is a count this protocol allows."""
        if sessions < self.min_sessions:
            return False
        return self.max_sessions is None or sessions <= self.max_sessions

    def check_count(
        self, sessions: object, *, name: str = "sessions", limits: Limits = DEFAULT_LIMITS
    ) -> int:
        """``sessions`` if the protocol allows it; :class:`~iptcore.ProtocolError` otherwise, and an
        :class:`~iptcore.IptError` past ``limits.max_sessions`` (the caller's limits).

        >>> PROTOCOLS["ipt"].check_count(20)
        Traceback (most recent call last):
        ...
        iptcore.errors.ProtocolError: sessions: ipt allows 12-16 sessions, got 20
        """
        if isinstance(sessions, bool) or not isinstance(sessions, int):
            raise IptError(f"{name}: must be a whole number of sessions, got {sessions!r}")
        if not self.allows(sessions):
            raise ProtocolError(
                f"{name}: {self.name} allows {self.range_text} sessions, got {sessions}"
            )
        # The documented limit (iptcore.limits): even a protocol with no upper bound, such as
        # maintenance IPT, plans at most max_sessions sessions, so that no count stalls an app.
        return limits.check_sessions(sessions, name=name)

    @property
    def first_number(self) -> int:
        """0 when the protocol has a session 0, else 1."""
        return 0 if self.engagement else 1

    def phase_of(self, number: int, sessions: int) -> Phase:
        """The phase of session ``number`` in a course of ``sessions`` numbered sessions.

        >>> [PROTOCOLS["ipt-a"].phase_of(n, 12).value for n in (4, 5, 8, 9)]
        ['initial', 'middle', 'middle', 'termination']
        """
        if not self.first_number <= number <= sessions:
            raise IptError(
                f"number: session {number} is not in a {self.name} course of {sessions} sessions"
            )
        if self.maintenance:
            return Phase.MAINTENANCE
        if number == 0:
            return Phase.ENGAGEMENT
        if number <= self.initial_sessions:
            return Phase.INITIAL
        if number > sessions - self.termination_sessions:
            return Phase.TERMINATION
        return Phase.MIDDLE

    def notice_session(self, sessions: int) -> int | None:
        """The session in which the end is raised, or ``None`` for a maintenance protocol."""
        if self.maintenance:
            return None
        return max(1, sessions - self.termination_notice)

    @property
    def task_ids(self) -> frozenset[str]:
        """The ids a held session may record as done: the protocol's tasks, and :data:`RAISE_END`
        (except for a maintenance protocol, which has no end to raise).

        >>> "sick_role" in PROTOCOLS["ipt"].task_ids, "raise_end" in PROTOCOLS["maintenance"].task_ids
        (True, False)
        """
        ids = {t.id for t in self.tasks}
        return frozenset(ids if self.maintenance else ids | {RAISE_END.id})

    def tasks_for(self, phase: Phase | str) -> tuple[Task, ...]:
        """The tasks of ``phase`` (a :class:`~iptcore.Phase` or its word), in order."""
        if not isinstance(phase, str) or phase not in Phase._value2member_map_:
            raise IptError(f"phase: must be one of {', '.join(Phase)}, got {phase!r}")
        chosen = Phase(phase)
        return tuple(t for t in self.tasks if t.phase is chosen)


#: The built-in protocols, by name. Read-only: define your own with
#: :func:`attrs.evolve` or :class:`Protocol`.
PROTOCOLS: Mapping[str, Protocol] = MappingProxyType(
    {
        p.name: p
        for p in (
            Protocol(
                name="ipt",
                title="IPT (standard)",
                min_sessions=12,
                max_sessions=16,
                default_sessions=16,
                initial_sessions=3,  # "usually sessions 1-3" [FOCUS]
                termination_sessions=3,  # "the last 3 sessions by default" [COMP]
                termination_notice=4,  # "at least two to four sessions before it occurs" [COMP]
                tasks=_STANDARD_TASKS,
                source="[COMP]; [ISIPT]",
            ),
            Protocol(
                name="ipt-b",
                title="Brief IPT (IPT-B)",
                min_sessions=8,
                max_sessions=8,
                default_sessions=8,
                engagement=True,
                initial_sessions=2,
                termination_sessions=2,
                termination_notice=2,
                tasks=_IPTB_TASKS,
                source="Swartz et al. 2014",
            ),
            Protocol(
                name="ipt-a",
                title="IPT for adolescents (IPT-A)",
                min_sessions=12,
                max_sessions=12,
                default_sessions=12,
                initial_sessions=4,
                termination_sessions=4,
                termination_notice=3,  # the termination phase opens at session 9
                homework=True,
                tasks=_IPTA_TASKS,
                source="Mufson et al. 1999, 2004",
            ),
            Protocol(
                name="group",
                title="Group IPT (WHO)",
                min_sessions=8,
                max_sessions=8,
                default_sessions=8,
                engagement=True,
                initial_sessions=1,
                termination_sessions=1,
                termination_notice=2,
                homework=True,
                tasks=_GROUP_TASKS,
                source="[WHO]; Ethiopia pilot 2021",
            ),
            Protocol(
                name="ipc",
                title="Interpersonal counselling (IPC)",
                # "up to 6 (3-session primary-care version exists)": 3 is the shortest known form.
                min_sessions=3,
                max_sessions=6,
                default_sessions=6,
                initial_sessions=1,
                termination_sessions=1,
                termination_notice=2,
                tasks=_STANDARD_TASKS,
                source="Klerman 1987; Weissman 2014",
            ),
            Protocol(
                name="maintenance",
                title="Maintenance IPT (IPT-M)",
                min_sessions=1,
                max_sessions=None,
                default_sessions=24,  # two years: Frank et al. 2007 (a default, not a rule)
                cadence=Cadence.MONTHLY,
                maintenance=True,
                initial_sessions=0,
                termination_sessions=0,
                termination_notice=0,
                tasks=_MAINTENANCE_TASKS,
                source="Frank et al. 1990, 1991, 2007",
            ),
        )
    }
)


def resolve(protocol: Protocol | str) -> Protocol:
    """``protocol`` itself, or the built-in protocol of that name; :class:`~iptcore.IptError`
    naming the known ones otherwise.

    >>> resolve("ipt-a").title
    'IPT for adolescents (IPT-A)'
    """
    if isinstance(protocol, Protocol):
        return protocol
    if isinstance(protocol, str) and protocol in PROTOCOLS:
        return PROTOCOLS[protocol]
    known = ", ".join(PROTOCOLS)
    raise IptError(f"protocol: unknown protocol {protocol!r}; known: {known}, or a Protocol value")
