"""The goals of each problem area as data, specialised by a finding, with a trackable status.

The goal templates are the manual's [GUIDE; KLERMAN1984], one row each with its source and
the manual's own words; the ``text`` is the plain, second-person wording a therapist reads to the
patient. :func:`goals_for` specialises them by a :class:`~iptcore.rules.Finding`: grief goals name
the person who died, dispute goals depend on the dispute's stage [GUIDE], transition goals name the
old and the new role (from :data:`LIFE_CHANGES`).

A goal's status is the FHIR R4 Goal vocabulary (:class:`GoalStatus`), so that a course can track it
and an app can hand it to a health record.

>>> from iptcore.terms import ProblemArea
>>> [t.id for t in GOAL_TEMPLATES if t.area is ProblemArea.GRIEF]
['grief.mourn', 'grief.reconnect']
>>> GoalStatus.ACHIEVED.lifecycle
<GoalStatus.COMPLETED: 'completed'>
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from iptcore import _checks
from iptcore.case import Case, EventKind, Role
from iptcore.findings import Finding
from iptcore.terms import DisputeStage, ProblemArea

__all__ = [
    "GOAL_TEMPLATES",
    "LIFE_CHANGES",
    "Goal",
    "GoalStatus",
    "GoalTemplate",
    "LifeChange",
    "goals_for",
    "who",
]


class GoalStatus(StrEnum):
    """A goal's status: the codes of the FHIR R4 Goal resource (hl7.org/fhir/R4/goal.html).

    FHIR R4 keeps two axes: ``lifecycleStatus`` (required: proposed, planned, accepted, active,
    on-hold, completed, cancelled, entered-in-error, rejected) and ``achievementStatus`` (optional:
    in-progress, improving, worsening, no-change, achieved, sustaining, not-achieved, no-progress,
    not-attainable). A goal here has one status, any code of either axis: :attr:`axis` says which,
    and :attr:`lifecycle` gives the lifecycle code an achievement code implies (``achieved`` ->
    ``completed``), so that :func:`iptcore.fhir.to_bundle` fills both FHIR fields of a Goal.

    iptcore spells the codes with underscores (``"in_progress"``), as all its other words
    (``drop_out``, ``role_transition``), and writes them so in its files; :attr:`code` is the FHIR
    spelling with hyphens. Wherever a status is taken, both spellings are accepted (files written
    with the FHIR spelling still load).

    >>> from iptcore import GoalStatus
    >>> GoalStatus("on_hold") is GoalStatus("on-hold") is GoalStatus.ON_HOLD
    True
    >>> GoalStatus.IN_PROGRESS.value, GoalStatus.IN_PROGRESS.code
    ('in_progress', 'in-progress')
    >>> GoalStatus.IMPROVING.axis, GoalStatus.IMPROVING.lifecycle.value
    ('achievement', 'active')
    """

    PROPOSED = "proposed"
    PLANNED = "planned"
    ACCEPTED = "accepted"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered_in_error"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    ACHIEVED = "achieved"
    SUSTAINING = "sustaining"
    NOT_ACHIEVED = "not_achieved"
    NO_PROGRESS = "no_progress"
    NOT_ATTAINABLE = "not_attainable"

    @property
    def code(self) -> str:
        """The FHIR R4 code: the value spelled with hyphens (``in-progress``)."""
        return self.value.replace("_", "-")

    @property
    def axis(self) -> str:
        """``"lifecycle"`` or ``"achievement"``: the FHIR R4 field the code belongs to."""
        return "achievement" if self.value in _IMPLIED else "lifecycle"

    @property
    def lifecycle(self) -> GoalStatus:
        """The lifecycle code: the code itself, or the one its achievement code implies."""
        return GoalStatus(_IMPLIED.get(self.value, self.value))


# Achievement code -> the lifecycle code it implies: a goal still being worked on is active; one
# whose outcome is known is completed; one that cannot be reached is cancelled.
_IMPLIED: Mapping[str, str] = MappingProxyType(
    {
        "in_progress": "active",
        "improving": "active",
        "worsening": "active",
        "no_change": "active",
        "sustaining": "active",
        "no_progress": "active",
        "achieved": "completed",
        "not_achieved": "completed",
        "not_attainable": "cancelled",
    }
)
# The FHIR spelling of each code (``in-progress``) is another name of its member, so that every reader
# of a status (the constructors, the course's steps, the course file) takes both spellings.
for _member in GoalStatus:
    GoalStatus._value2member_map_.setdefault(_member.code, _member)
del _member


def _status(value: Any) -> Any:
    return _checks.word(GoalStatus, value)


@attrs.frozen(kw_only=True)
class Goal:
    """One treatment goal, specialised for a case, with its status.

    ``id`` is stable (template id plus the person or event it is about, e.g. ``grief.mourn.p1``);
    ``text`` is the plain wording for the patient; ``manual`` the manual's words; ``source`` where
    they come from. Change the status with :meth:`with_status`.
    """

    id: str = attrs.field(validator=_checks.text("text", empty=False))
    area: ProblemArea = attrs.field(
        converter=_checks.area,
        validator=_checks.instance_of(ProblemArea, f"a problem area ({', '.join(ProblemArea)})"),
    )
    text: str = attrs.field(validator=_checks.text("text", empty=False))
    source: str = attrs.field(validator=_checks.text("text", empty=False))
    manual: str = attrs.field(default="", validator=_checks.text("text"))
    person: str | None = attrs.field(
        default=None, validator=_checks.instance_of(str, "a person id or None", optional=True)
    )
    status: GoalStatus = attrs.field(
        default=GoalStatus.PROPOSED,
        converter=_status,
        validator=_checks.instance_of(GoalStatus, f"a FHIR Goal status ({', '.join(GoalStatus)})"),
    )

    def with_status(self, status: GoalStatus | str) -> Goal:
        """The same goal with another status (a FHIR code such as ``"active"`` or ``"achieved"``).

        >>> from iptcore import Goal, ProblemArea
        >>> g = Goal(id="deficits.isolation", area=ProblemArea.INTERPERSONAL_DEFICITS,
        ...          text="Feel less alone.", source="[GUIDE]")
        >>> g.with_status("active").status
        <GoalStatus.ACTIVE: 'active'>
        """
        return attrs.evolve(self, status=status)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the FHIR lifecycle and achievement codes spelled out (in FHIR's
        spelling, ``in-progress``; ``status`` is iptcore's, ``in_progress``)."""
        status = self.status
        return {
            "id": self.id,
            "area": self.area.value,
            "text": self.text,
            "manual": self.manual,
            "source": self.source,
            "person": self.person,
            "status": status.value,
            "lifecycle_status": status.lifecycle.code,
            "achievement_status": status.code if status.axis == "achievement" else None,
        }


@attrs.frozen(kw_only=True)
class GoalTemplate:
    """A goal of the manual for one area: plain ``text`` with ``{who}``, ``{old}`` and ``{new}``
    filled from the finding, the manual's words, the source, and (disputes) the stages it fits.

    ``stages`` is ``None`` for every stage; otherwise the stages it applies to, where ``None`` in the
    set stands for a stage not yet assessed.
    """

    id: str
    area: ProblemArea
    text: str
    manual: str
    source: str
    stages: frozenset[DisputeStage | None] | None = None


_GRIEF, _DISPUTE = ProblemArea.GRIEF, ProblemArea.ROLE_DISPUTE
_TRANSITION, _DEFICITS = ProblemArea.ROLE_TRANSITION, ProblemArea.INTERPERSONAL_DEFICITS
_RENEGOTIATION, _IMPASSE = DisputeStage.RENEGOTIATION, DisputeStage.IMPASSE
_DISSOLUTION = DisputeStage.DISSOLUTION

#: The goals of each area, in the manual's order [GUIDE; KLERMAN1984].
GOAL_TEMPLATES: tuple[GoalTemplate, ...] = (
    GoalTemplate(
        id="grief.mourn",
        area=_GRIEF,
        text="Mourn {who}: talk through the death and what you feel about it, the hard feelings "
        "as well as the loving ones.",
        manual="facilitate mourning",
        source="[GUIDE]",
    ),
    GoalTemplate(
        id="grief.reconnect",
        area=_GRIEF,
        text="Take up interests and people again, so that they can in part fill the place that "
        "{who} had in your life.",
        manual="reestablish interests and relationships that can to some degree substitute for "
        "the person and the relationship that have been lost",
        source="[GUIDE]",
    ),
    GoalTemplate(
        id="dispute.understand",
        area=_DISPUTE,
        text="Get clear about the disagreement with {who}: what each of you expects.",
        manual="identify the dispute",
        source="[GUIDE]",
    ),
    GoalTemplate(
        id="dispute.plan",
        area=_DISPUTE,
        text="Choose what you want to do about the disagreement with {who}.",
        manual="choose a plan of action",
        source="[GUIDE]",
    ),
    GoalTemplate(
        id="dispute.change",
        area=_DISPUTE,
        text="Change how you and {who} talk to each other, or what you expect, or both.",
        manual="modify communication and/or expectations",
        source="[GUIDE]",
        stages=frozenset({_RENEGOTIATION, _IMPASSE, None}),
    ),
    GoalTemplate(
        id="dispute.communicate",
        area=_DISPUTE,
        text="Talk things through with {who} better, while you are both still trying.",
        manual="renegotiation: improve communication",
        source="[GUIDE]",
        stages=frozenset({_RENEGOTIATION}),
    ),
    GoalTemplate(
        id="dispute.reopen",
        area=_DISPUTE,
        text="Start talking again with {who}, where the talking has stopped.",
        manual="impasse: reopen negotiation",
        source="[GUIDE]",
        stages=frozenset({_IMPASSE}),
    ),
    GoalTemplate(
        id="dispute.move_on",
        area=_DISPUTE,
        text="Mourn the relationship with {who}, and move on.",
        manual="dissolution: mourn the relationship and move on",
        source="[GUIDE]",
        stages=frozenset({_DISSOLUTION}),
    ),
    GoalTemplate(
        id="dispute.assess",
        area=_DISPUTE,
        text="Find out together where things stand with {who}: still trying, stuck, or over.",
        manual="determine the stage: renegotiation, impasse or dissolution",
        source="[GUIDE]",
        stages=frozenset({None}),
    ),
    GoalTemplate(
        id="transition.mourn_old",
        area=_TRANSITION,
        text="Mourn and accept the loss of {old}.",
        manual="mourn and accept the loss of the old role",
        source="[KLERMAN1984]; [CASEBOOK]",
    ),
    GoalTemplate(
        id="transition.see_new",
        area=_TRANSITION,
        text="See {new} in a kinder light: what it offers as well as what it asks.",
        manual="see the new role more positively",
        source="[KLERMAN1984]; [CASEBOOK]",
    ),
    GoalTemplate(
        id="transition.master",
        area=_TRANSITION,
        text="Feel good about yourself again by learning to handle what {new} asks of you.",
        manual="restore self-esteem by mastering the new role's demands",
        source="[KLERMAN1984]; [CASEBOOK]",
    ),
    GoalTemplate(
        id="deficits.isolation",
        area=_DEFICITS,
        text="Feel less alone, with fewer days spent on your own.",
        manual="reduce isolation",
        source="[GUIDE; MUFSON2004]",
    ),
    GoalTemplate(
        id="deficits.new_relationships",
        area=_DEFICITS,
        text="Build new relationships.",
        manual="build new relationships",
        source="[GUIDE; MUFSON2004]",
    ),
    GoalTemplate(
        id="deficits.patterns",
        area=_DEFICITS,
        text="Look back at your past relationships for patterns that repeat.",
        manual="review past relationships for repeating patterns",
        source="[GUIDE; MUFSON2004]",
    ),
)


@attrs.frozen(kw_only=True)
class LifeChange:
    """A life change in plain words: what happened (past tense, ``{who}`` the person if any) and
    the old and new role it moves between."""

    happened: str
    old: str
    new: str


def _lc(happened: str, old: str, new: str) -> LifeChange:
    # Runs at import only, for LIFE_CHANGES (which the tests read event by event): mutation
    # testing cannot reach it.
    return LifeChange(happened=happened, old=old, new=new)  # pragma: no mutate


#: Each life change of the case format in plain words, with its old and new role. The kinds are
#: the Casebook's examples [CASEBOOK]; "positive changes can be felt as loss"; the wording is ours.
LIFE_CHANGES: Mapping[EventKind, LifeChange] = MappingProxyType(
    {
        EventKind.SEPARATION: _lc(
            "you and {who} separated", "life as a couple", "life on your own"
        ),
        EventKind.DIVORCE: _lc("you and {who} divorced", "your marriage", "life after divorce"),
        EventKind.MARRIAGE: _lc("you married {who}", "single life", "married life"),
        EventKind.NEW_RELATIONSHIP: _lc(
            "you began a relationship with {who}", "life on your own", "life in a new relationship"
        ),
        EventKind.PREGNANCY: _lc(
            "you became pregnant", "life before the pregnancy", "becoming a parent"
        ),
        EventKind.BIRTH_OF_CHILD: _lc(
            "your child was born", "life before the baby", "being the parent of a baby"
        ),
        EventKind.PREGNANCY_LOSS: _lc(
            "you lost a pregnancy", "the pregnancy and the hopes it held", "life after the loss"
        ),
        EventKind.INFERTILITY: _lc(
            "you learned that having children would be hard",
            "the family you had expected",
            "a future you had not planned",
        ),
        EventKind.NEW_JOB: _lc("you started a new job", "your old job", "your new job"),
        EventKind.JOB_LOSS: _lc("you lost your job", "your job", "life without that job"),
        EventKind.PROMOTION: _lc("you were promoted", "your old position", "your new position"),
        EventKind.RETIREMENT: _lc("you retired", "working life", "retirement"),
        EventKind.RELOCATION: _lc("you moved home", "your old home", "your new home"),
        EventKind.MIGRATION: _lc(
            "you moved to a new country", "life in your home country", "life in a new country"
        ),
        EventKind.GRADUATION: _lc(
            "you finished your studies", "student life", "life after your studies"
        ),
        EventKind.SCHOOL_CHANGE: _lc("you changed school", "your old school", "your new school"),
        EventKind.ILLNESS: _lc("you fell ill", "life in good health", "life with the illness"),
        EventKind.INJURY: _lc("you were injured", "life before the injury", "life with the injury"),
        EventKind.BECAME_CAREGIVER: _lc(
            "you became a carer for {who}", "life before caring", "being a carer"
        ),
        EventKind.CHILD_LEFT_HOME: _lc(
            "{who} left home", "life with your child at home", "a home your child has left"
        ),
        EventKind.FINANCIAL_CHANGE: _lc(
            "your money situation changed", "your old circumstances", "your new circumstances"
        ),
        EventKind.COMING_OUT: _lc("you came out", "life before coming out", "living openly"),
        EventKind.OTHER_CHANGE: _lc(
            "your life changed ({description})", "life before the change", "life since the change"
        ),
    }
)

# Who a person is, in plain words, when the case gives no name (cases are often pseudonymous).
_ROLE_WORDS: Mapping[Role, str] = MappingProxyType(
    {
        Role.PARTNER: "your partner",
        Role.SPOUSE: "your spouse",
        Role.EX_PARTNER: "your former partner",
        Role.PARENT: "your parent",
        Role.CHILD: "your child",
        Role.SIBLING: "your brother or sister",
        Role.RELATIVE: "your relative",
        Role.FRIEND: "your friend",
        Role.COWORKER: "your colleague",
        Role.BOSS: "your boss",
        Role.NEIGHBOUR: "your neighbour",
        Role.TEACHER: "your teacher",
        Role.CLASSMATE: "your classmate",
        Role.CLINICIAN: "your clinician",
        Role.COMMUNITY: "someone in your community",
        Role.OTHER: "someone close to you",
    }
)
# The fallbacks of LIFE_CHANGES' {who} when the event names nobody.
_NOBODY: Mapping[str, str] = MappingProxyType(
    {
        "you and {who} ": "you ",
        " with {who}": "",
        " for {who}": "",
        " {who}": "",
        "{who} left home": "your child left home",
    }
)


def who(case: Case, person_id: str | None) -> str:
    """A person of the case in plain words: the name if given, else the role (``"your spouse"``)."""
    try:
        person = case.person(person_id) if person_id is not None else None
    except KeyError:
        person = None
    if person is None:
        return "someone close to you"
    return person.name or _ROLE_WORDS[person.role]


def happened(case: Case, finding: Finding) -> str:
    """What a life-change finding's event was, in plain past-tense words."""
    event = finding.evidence.event
    if event is None or event.kind not in LIFE_CHANGES:
        return "your life changed"
    text = LIFE_CHANGES[event.kind].happened
    if event.person is None:
        for pattern, plain in _NOBODY.items():
            text = text.replace(pattern, plain)
    return text.format(who=who(case, event.person), description=event.description or "")


def goals_for(case: Case, finding: Finding) -> tuple[Goal, ...]:
    """The manual's goals for ``finding``'s area, specialised by it, each with status ``proposed``.

    Grief goals name the person who died; dispute goals follow the stage (renegotiation: improve
    communication; impasse: reopen negotiation; dissolution: mourn and move on; not assessed: find
    out) [GUIDE]; transition goals name the old and new role.

    Raises:
        IptError: when ``finding`` is not a Finding.
    """
    _checks.argument("finding", finding, Finding)
    event = finding.evidence.event
    change = LIFE_CHANGES.get(event.kind) if event is not None else None
    old, new = (change.old, change.new) if change else ("your old role", "your new role")
    suffix = finding.person or (event.kind.value if event is not None else "")
    # A perinatal loss is grieved (the case format's rule 1 (c)): its goals name the loss.
    perinatal = event is not None and event.kind is EventKind.PREGNANCY_LOSS
    name = "the pregnancy you lost" if perinatal else who(case, finding.person)
    goals = []
    for template in GOAL_TEMPLATES:
        if template.area is not finding.area:
            continue
        if template.stages is not None and finding.stage not in template.stages:
            continue
        text = template.text.format(who=name, old=old, new=new)
        if perinatal:
            text = text.replace("the death", "the loss")
        goals.append(
            Goal(
                id=f"{template.id}.{suffix}" if suffix else template.id,
                area=finding.area,
                text=text[0].upper() + text[1:],
                manual=template.manual,
                source=template.source,
                person=finding.person,
            )
        )
    return tuple(goals)
