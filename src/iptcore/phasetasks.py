"""What each phase of IPT works on, as data: the phase tasks of every protocol, and the strategies.

A :class:`Task` is one item of a session's agenda, with its source. The tables here give each
protocol of :data:`iptcore.protocols.PROTOCOLS` its tasks: the standard initial-phase tasks in order
(IPT_REFERENCE.md section 2; [FOCUS], [COMP], Markowitz & Swartz 2007), the middle phase's link of
mood to events and the termination phase's [COMP; IPTUK], and what the variants add or change: IPT-A
(Mufson et al. 1999, 2004), IPT-B's engagement session (Swartz et al. 2014), group IPT [WHO] and
maintenance IPT (Frank et al. 1990, 1991); work-at-home tasks only where the protocol sets them
[COMP; CASEBOOK]. Every session after the first opens with :data:`OPENING_QUESTION` [COMP; IPTUK].
The middle phase works on the focus with :data:`AREA_STRATEGIES`, per problem area (IPT_REFERENCE.md
section 4; [GUIDE]; Klerman et al. 1984, paraphrased), and for a role dispute with
:data:`STAGE_STRATEGIES`, per stage [GUIDE].

The planner (:mod:`iptcore.plan`) puts them on the sessions' agendas; ``iptcore.protocols``, which
builds the protocols from these tables, re-exports the public names: import them from there.

>>> OPENING_QUESTION
'How have things been since we last met?'
>>> AREA_STRATEGIES[ProblemArea.GRIEF].source
'[GUIDE]; Klerman et al. 1984 (paraphrased)'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

import attrs

from iptcore import checks
from iptcore.errors import IptError
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "AREA_STRATEGIES",
    "OPENING_QUESTION",
    "STAGE_STRATEGIES",
    "Strategy",
    "Task",
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

    id: str = attrs.field(validator=checks.instance_of(str, "a str", form=checks.COLON))
    phase: Phase = attrs.field(
        converter=checks.phase, validator=checks.instance_of(Phase, "a Phase", form=checks.COLON)
    )
    text: str = attrs.field(validator=checks.instance_of(str, "a str", form=checks.COLON))
    source: str = attrs.field(validator=checks.instance_of(str, "a str", form=checks.COLON))
    every: bool = attrs.field(
        default=False, validator=checks.instance_of(bool, "a bool", form=checks.COLON)
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


# Goals and strategies per problem area: IPT_REFERENCE.md section 4. The goals are confirmed by
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
    return Task(id=tid, phase=phase, text=text, source=source, every=every)


_I, _M, _T = Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION

# The initial-phase tasks, in order (IPT_REFERENCE.md section 2).
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
    "Interpersonal formulation around the problem area, accepted by the patient",
    "Markowitz & Swartz 2007",
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
# The termination phase [COMP]: the end itself is raised by the planner at the notice session.
_ENDING = _task(
    "ending_feelings",
    _T,
    "Discuss the ending and the feelings it brings; sadness at parting is not relapse",
    "[COMP]",
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
    "If symptoms persist: discuss maintenance IPT or another treatment",
    "[COMP]; Frank et al. 1990",
)

_STANDARD_TASKS = (
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
