"""The IPT technique catalogue: what each technique is, how it is done, when to use it, and its source.

The techniques and their families are those of the Comprehensive Guide [COMP; GUIDE ch. 10]:
exploratory techniques, encouragement of affect, clarification, communication analysis, use of the
therapeutic relationship, behaviour change (directive techniques, decision analysis, role playing)
and the adjunctive techniques (contract setting, administrative details) [KLERMAN1984]. Three area
strategies of Klerman et al. (paraphrased) that the emphasis per area names (the relationship with
the deceased, old and new roles, past relationships) are catalogued as exploratory techniques of
their area [KLERMAN1984].

The catalogue is a value (:class:`Catalogue`): one table of :class:`Technique` values, the
:class:`Emphasis` per problem area and dispute stage (which techniques come first [GUIDE ch. 10]),
It checks itself as it is built (unique ids, emphasis that names techniques suiting its area, one
emphasis per area and stage), answers questions (:meth:`Catalogue.for_area`) and makes changed
copies: users add, drop, replace or translate
techniques and pass their catalogue where :data:`TECHNIQUES` is the default.

>>> [t.id for t in TECHNIQUES.for_area("role_dispute")][:3]
['communication_analysis', 'role_playing', 'decision_analysis']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from iptcore import _checks
from iptcore.errors import IptError
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "TECHNIQUES",
    "Catalogue",
    "Emphasis",
    "Family",
    "Technique",
]


class Family(StrEnum):
    """The families of IPT techniques [COMP; GUIDE ch. 10]."""

    EXPLORATORY = "exploratory"
    ENCOURAGEMENT_OF_AFFECT = "encouragement_of_affect"
    CLARIFICATION = "clarification"
    COMMUNICATION_ANALYSIS = "communication_analysis"
    THERAPEUTIC_RELATIONSHIP = "use_of_therapeutic_relationship"
    BEHAVIOUR_CHANGE = "behaviour_change"
    ADJUNCTIVE = "adjunctive"


# --------------------------------------------------------------------------------------------
# Converters and checks: a bad value raises IptError naming the field, never TypeError/ValueError.
# --------------------------------------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)
_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _area(value: object) -> ProblemArea:
    return _checks.member(ProblemArea, "area", value)


def _phase(value: object) -> Phase:
    return _checks.member(Phase, "phase", value)


def _family(value: object) -> Family:
    return _checks.member(Family, "family", value)


def _stage(value: object) -> DisputeStage | None:
    return None if value is None else _checks.member(DisputeStage, "stage", value)


def _set_of(convert: Callable[[object], _E], what: str, value: object) -> frozenset[_E]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise IptError(f"{what}: must be a set, got {value!r}")
    members = frozenset(convert(v) for v in value)
    if not members:
        raise IptError(f"{what}: must name at least one")
    return members


def _areas(value: object) -> frozenset[ProblemArea]:
    return _set_of(_area, "areas", value)


def _phases(value: object) -> frozenset[Phase]:
    return _set_of(_phase, "phases", value)


_TEXT = _checks.text("a non-empty string", form=_checks.FIELD, blank=False)
_TEXTS = _checks.texts("a list of non-empty strings", form=_checks.FIELD, blank=False)
_FLAG = _checks.flag(form=_checks.FIELD)


def _technique_id(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise IptError(
            f"{attribute.name} must be a lower-case word of a-z, 0-9 and _ (at most 64), "
            f"got {value!r}"
        )


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Technique:
    """One IPT technique: what it is, how it is done, when (not) to use it, and its source.

    ``steps`` are given where the manual spells them out (communication analysis, decision
    analysis); ``forms`` name the technique's variants (encouragement of affect);
    ``well_sourced`` is false where the sources we read do not show the technique verbatim.

    >>> from iptcore.techniques import TECHNIQUES
    >>> t = TECHNIQUES["clarification"]
    >>> t.family, t.suits("grief", "middle"), t.suits("grief", "engagement")
    (<Family.CLARIFICATION: 'clarification'>, True, False)
    >>> t.avoid_when[0]
    'the patient is in a strong affect unrelated to what would be clarified: attend to it first'
    """

    id: str = attrs.field(validator=_technique_id)
    name: str = attrs.field(validator=_TEXT)
    family: Family = attrs.field(converter=_family)
    areas: frozenset[ProblemArea] = attrs.field(converter=_areas)
    phases: frozenset[Phase] = attrs.field(converter=_phases)
    description: str = attrs.field(validator=_TEXT)
    source: str = attrs.field(validator=_TEXT)
    steps: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple, validator=_TEXTS)
    use_when: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_TEXTS
    )
    avoid_when: tuple[str, ...] = attrs.field(
        default=(), converter=_checks.as_tuple, validator=_TEXTS
    )
    forms: tuple[str, ...] = attrs.field(default=(), converter=_checks.as_tuple, validator=_TEXTS)
    well_sourced: bool = attrs.field(default=True, validator=_FLAG)

    def suits(self, area: ProblemArea | str, phase: Phase | str | None = None) -> bool:
        """Whether the technique suits ``area`` (and ``phase``, when given)."""
        return _area(area) in self.areas and (phase is None or _phase(phase) in self.phases)

    def describe(self) -> str:
        """A few lines for people: name, family, description, steps and when (not) to use it."""
        lines = [f"{self.name} ({self.family.value}): {self.description}"]
        lines += [f"  form: {form}" for form in self.forms]
        lines += [f"  {n}. {step}" for n, step in enumerate(self.steps, start=1)]
        lines += [f"  use when: {text}" for text in self.use_when]
        lines += [f"  not when: {text}" for text in self.avoid_when]
        lines.append(
            f"  source: {self.source}" + ("" if self.well_sourced else " (less well sourced)")
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (areas and phases as sorted lists of their words)."""
        return {
            "id": self.id,
            "name": self.name,
            "family": self.family.value,
            "areas": sorted(a.value for a in self.areas),
            "phases": sorted(p.value for p in self.phases),
            "description": self.description,
            "steps": list(self.steps),
            "use_when": list(self.use_when),
            "avoid_when": list(self.avoid_when),
            "forms": list(self.forms),
            "well_sourced": self.well_sourced,
            "source": self.source,
        }


@attrs.frozen(kw_only=True)
class Emphasis:
    """The techniques that come first for a problem area (or for one stage of a role dispute)."""

    area: ProblemArea = attrs.field(converter=_area)
    stage: DisputeStage | None = attrs.field(default=None, converter=_stage)
    techniques: tuple[str, ...] = attrs.field(converter=_checks.as_tuple, validator=_TEXTS)
    source: str = attrs.field(validator=_TEXT)


def _technique_tuple(value: object) -> tuple[Technique, ...]:
    return _checks.tuple_from(Technique, "techniques", value)


def _emphasis_tuple(value: object) -> tuple[Emphasis, ...]:
    return _checks.tuple_from(Emphasis, "emphasis", value)


@attrs.frozen(kw_only=True)
class Catalogue:
    """A technique catalogue: the techniques and the emphasis per area and dispute stage.

    It is a value: :meth:`add`, :meth:`drop`, :meth:`replace` and :meth:`with_emphasis` return
    new catalogues, checked as they are built (unique ids, emphasis
    that names techniques suiting its area, one emphasis per area and stage).

    >>> from iptcore.techniques import TECHNIQUES
    >>> import attrs
    >>> ours = TECHNIQUES.drop("administrative_details").replace(
    ...     attrs.evolve(TECHNIQUES["clarification"], name="Klärung"))
    >>> len(ours), ours["clarification"].name, len(TECHNIQUES)
    (13, 'Klärung', 14)
    >>> TECHNIQUES.add(TECHNIQUES["role_playing"])
    Traceback (most recent call last):
    ...
    iptcore.errors.IptError: technique id 'role_playing' appears twice
    """

    techniques: tuple[Technique, ...] = attrs.field(converter=_technique_tuple)
    emphasis: tuple[Emphasis, ...] = attrs.field(default=(), converter=_emphasis_tuple)

    def __attrs_post_init__(self) -> None:
        by_id: dict[str, Technique] = {}
        for technique in self.techniques:
            if technique.id in by_id:
                raise IptError(f"technique id {technique.id!r} appears twice")
            by_id[technique.id] = technique
        keys: set[tuple[ProblemArea, DisputeStage | None]] = set()
        for rule in self.emphasis:
            where = rule.area.value + (f" ({rule.stage.value})" if rule.stage else "")
            if rule.stage is not None and rule.area is not ProblemArea.ROLE_DISPUTE:
                raise IptError(f"emphasis for {where}: a stage belongs to role_dispute only")
            if (rule.area, rule.stage) in keys:
                raise IptError(f"emphasis for {where} is given twice")
            keys.add((rule.area, rule.stage))
            if len(set(rule.techniques)) != len(rule.techniques):
                raise IptError(f"emphasis for {where} names a technique twice")
            for technique_id in rule.techniques:
                if technique_id not in by_id:
                    raise IptError(f"emphasis for {where} names unknown technique {technique_id!r}")
                if rule.area not in by_id[technique_id].areas:
                    raise IptError(
                        f"emphasis for {where} names {technique_id!r}, which does not suit it"
                    )

    # The catalogue as a read-only collection -------------------------------------------------

    def __iter__(self) -> Iterator[Technique]:
        return iter(self.techniques)

    def __len__(self) -> int:
        return len(self.techniques)

    def __contains__(self, technique_id: object) -> bool:
        return any(t.id == technique_id for t in self.techniques)

    def __getitem__(self, technique_id: str) -> Technique:
        technique = self.get(technique_id)
        if technique is None:
            raise IptError(f"no technique {technique_id!r} in the catalogue")
        return technique

    def get(self, technique_id: str, default: Technique | None = None) -> Technique | None:
        """The technique with ``technique_id``, or ``default``."""
        return next((t for t in self.techniques if t.id == technique_id), default)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every technique id, in catalogue order."""
        return tuple(t.id for t in self.techniques)

    # Questions -------------------------------------------------------------------------------

    def for_area(
        self,
        area: ProblemArea | str,
        phase: Phase | str | None = None,
        *,
        stage: DisputeStage | str | None = None,
    ) -> tuple[Technique, ...]:
        """The techniques that suit ``area`` (and ``phase``), the emphasised ones first.

        The emphasis follows [COMP; GUIDE ch. 10]: grief - encouragement of affect, the relationship
        with the deceased; disputes - communication analysis, role play, decision analysis;
        transitions - old and new roles, affect, decision analysis; deficits - past relationships,
        role play, the therapeutic relationship. With ``stage`` (role disputes only) the stage's
        emphasis comes before the area's. The rest follow in catalogue order.

        Raises:
            IptError: for an unknown area, phase or stage, or a stage with another area.

        >>> from iptcore.techniques import TECHNIQUES
        >>> [t.id for t in TECHNIQUES.for_area("grief")][:2]
        ['encouragement_of_affect', 'reconstruction_of_relationship']
        >>> [t.id for t in TECHNIQUES.for_area("role_dispute", stage="dissolution")][:2]
        ['encouragement_of_affect', 'decision_analysis']
        """
        chosen_area, chosen_stage = _area(area), _stage(stage)
        chosen_phase = None if phase is None else _phase(phase)
        if chosen_stage is not None and chosen_area is not ProblemArea.ROLE_DISPUTE:
            raise IptError(f"stage applies to role_dispute only, not to {chosen_area.value}")
        order: list[str] = []
        keys = [(chosen_area, chosen_stage)] if chosen_stage is not None else []
        for key in (*keys, (chosen_area, None)):
            rule = next((e for e in self.emphasis if (e.area, e.stage) == key), None)
            if rule is not None:
                order += [i for i in rule.techniques if i not in order]
        order += [i for i in self.ids if i not in order]
        return tuple(t for t in map(self.__getitem__, order) if t.suits(chosen_area, chosen_phase))

    def add(self, technique: Technique) -> Catalogue:
        """A catalogue with ``technique`` added at the end."""
        return attrs.evolve(self, techniques=(*self.techniques, technique))

    def drop(self, technique_id: str) -> Catalogue:
        """A catalogue without ``technique_id`` (and without it in any emphasis)."""
        self[technique_id]  # raises for an unknown id
        emphasis = tuple(
            attrs.evolve(e, techniques=tuple(i for i in e.techniques if i != technique_id))
            for e in self.emphasis
        )
        return attrs.evolve(
            self,
            techniques=tuple(t for t in self.techniques if t.id != technique_id),
            emphasis=emphasis,
        )

    def replace(self, technique: Technique) -> Catalogue:
        """A catalogue where the technique with ``technique.id`` is ``technique`` (same place)."""
        self[technique.id]  # raises for an unknown id
        techniques = tuple(technique if t.id == technique.id else t for t in self.techniques)
        return attrs.evolve(self, techniques=techniques)

    def with_emphasis(
        self,
        area: ProblemArea | str,
        techniques: Iterable[str],
        *,
        stage: DisputeStage | str | None = None,
        source: str,
    ) -> Catalogue:
        """A catalogue whose emphasis for ``area`` (and ``stage``) is ``techniques``, in order."""
        rule = Emphasis(area=area, stage=stage, techniques=techniques, source=source)
        kept = tuple(e for e in self.emphasis if (e.area, e.stage) != (rule.area, rule.stage))
        return attrs.evolve(self, emphasis=(*kept, rule))

    # Output ----------------------------------------------------------------------------------

    def describe(self) -> str:
        """One line per technique: id, family and areas."""
        return "\n".join(
            f"{t.id:<32} {t.family.value:<32} {', '.join(sorted(a.value for a in t.areas))}"
            for t in self.techniques
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the whole catalogue."""
        return {
            "techniques": [t.to_dict() for t in self.techniques],
            "emphasis": [
                {
                    "area": e.area.value,
                    "stage": None if e.stage is None else e.stage.value,
                    "techniques": list(e.techniques),
                    "source": e.source,
                }
                for e in self.emphasis
            ],
        }


_ALL_AREAS = frozenset(ProblemArea)
_TREATMENT = frozenset({Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION, Phase.MAINTENANCE})
_WORK = frozenset({Phase.MIDDLE, Phase.MAINTENANCE})  # the work on the focus [ISIPT]
_CORE = "[COMP; GUIDE ch. 10]"
_KLERMAN = "[KLERMAN1984] (paraphrased)"
_ADJUNCT = "[KLERMAN1984]; [COMP] (adjunctive techniques)"

_TECHNIQUES = (
    Technique(
        id="nondirective_exploration",
        name="Nondirective exploration",
        family=Family.EXPLORATORY,
        areas=_ALL_AREAS,
        phases=_TREATMENT | {Phase.ENGAGEMENT},
        description="Open, general questions, supportive acknowledgement, extending the topic the "
        "patient raises and receptive silence, so that the patient brings up what matters in their "
        'own words. Every session after the first opens this way: "How have things been since we '
        'last met?"',
        use_when=(
            "opening a session: the interval history of mood and events [COMP; IPTUK]",
            "the patient talks productively about the focus",
        ),
        avoid_when=("the patient wanders from the focus: turn to direct elicitation",),
        source=_CORE,
    ),
    Technique(
        id="direct_elicitation",
        name="Direct elicitation",
        family=Family.EXPLORATORY,
        areas=_ALL_AREAS,
        phases=_TREATMENT | {Phase.ENGAGEMENT},
        description="Focused questions that gather specific information: the symptom review, the "
        "interpersonal inventory, the timeline, the details of an event or a relationship.",
        use_when=(
            "taking the interpersonal inventory and the timeline (initial phase)",
            "the patient's account leaves out what happened, who said what, or how it felt",
        ),
        source=_CORE,
    ),
    Technique(
        id="encouragement_of_affect",
        name="Encouragement of affect",
        family=Family.ENCOURAGEMENT_OF_AFFECT,
        areas=_ALL_AREAS,
        phases=_TREATMENT,
        description="Helping the patient recognise, express and use feelings about interpersonal "
        "events: accepting painful feelings that cannot be changed as understandable, using "
        "feelings to guide changes in relationships (saying them so the other can hear), and "
        "helping the patient feel what was held back when they speak without feeling of events "
        "that would usually evoke it.",
        forms=(
            "acceptance of painful affect",
            "use of affect in relationships",
            "generating suppressed affect",
        ),
        use_when=(
            "grief: mourning, feelings about the person who died, negative as well as positive",
            "role transitions: feelings about what is lost and about the change itself",
            "the patient tells of a loss or a conflict without any feeling",
        ),
        avoid_when=(
            "the patient is overwhelmed by feeling: help contain it before encouraging more",
        ),
        source=_CORE,
    ),
    Technique(
        id="clarification",
        name="Clarification",
        family=Family.CLARIFICATION,
        areas=_ALL_AREAS,
        phases=_TREATMENT,
        description="Restating what the patient said, or asking them to, and pointing out "
        "contradictions (between statements, or between words and feeling) and unspoken "
        "implications, so that the patient sees what they communicate more clearly.",
        use_when=(
            "the account contradicts itself, or the feeling shown does not fit the words",
            "an assumption about what others think or expect is left unspoken",
        ),
        avoid_when=(
            (
                "the patient is in a strong affect unrelated to what would be clarified: attend to it "
                "first"
            ),
        ),
        source=_CORE,
    ),
    Technique(
        id="communication_analysis",
        name="Communication analysis",
        family=Family.COMMUNICATION_ANALYSIS,
        areas=_ALL_AREAS,
        phases=_WORK | {Phase.TERMINATION},
        description="Replaying an emotionally charged exchange step by step, with the patient's "
        "feelings at each step, to find where communication went wrong and what else could "
        "have been said.",
        steps=(
            "choose a recent, emotionally charged exchange with the other person",
            (
                "reconstruct it step by step: what the patient said, what the other said, and what "
                "the patient felt at each step"
            ),
            (
                "find where it went wrong: ambiguous or indirect messages, assuming the other knows "
                "or has understood, falling silent, closing off the talk"
            ),
            '"What would you have liked to happen? What else could you have said?"',
            (
                "weigh the alternatives and their likely effect; rehearse the chosen one "
                "(role playing)"
            ),
        ),
        use_when=(
            "a role dispute: how the non-reciprocal expectations are played out and kept going",
            "the patient reports an exchange that left them upset or misunderstood",
        ),
        source=_CORE,
    ),
    Technique(
        id="use_of_therapeutic_relationship",
        name="Use of the therapeutic relationship",
        family=Family.THERAPEUTIC_RELATIONSHIP,
        areas=_ALL_AREAS,
        phases=_WORK | {Phase.TERMINATION},
        description="Looking at the patient's feelings about, and behaviour with, the therapist as "
        "a sample of how they relate to others, and using the relationship to try new ways of "
        "relating.",
        use_when=(
            "interpersonal deficits: the relationship with the therapist is the one at hand",
            (
                "the patient's behaviour in therapy mirrors a problem in other relationships, or gets "
                "in the way of treatment"
            ),
            "feelings about the end of treatment (termination)",
        ),
        avoid_when=(
            (
                "as an interpretation of transference from the past: IPT stays with current "
                "relationships"
            ),
        ),
        source=_CORE + "; as a deficits emphasis, unconfirmed",
    ),
    Technique(
        id="directive_techniques",
        name="Directive techniques",
        family=Family.BEHAVIOUR_CHANGE,
        areas=_ALL_AREAS,
        phases=_TREATMENT,
        description="Education, advice and suggestion, limit setting, modelling and direct help, "
        "given sparingly, mostly to help the patient act on options they have found; in the "
        "initial phase, psychoeducation about depression and the sick role.",
        use_when=(
            "psychoeducation and giving the sick role (initial phase) [FOCUS]",
            "the patient lacks information needed to act",
        ),
        avoid_when=("it would decide for the patient: the choice among options is theirs",),
        source=_CORE,
    ),
    Technique(
        id="decision_analysis",
        name="Decision analysis",
        family=Family.BEHAVIOUR_CHANGE,
        areas=_ALL_AREAS,
        phases=_WORK,
        description="Helping the patient consider the whole range of actions open in an "
        "interpersonal situation, and their consequences, and choose one.",
        steps=(
            "define the problem",
            "generate options, as many as possible, before judging any",
            "weigh the pros and cons of each",
            "choose one",
            "rehearse it (role playing), try it, and review what happened next session",
        ),
        use_when=(
            "a role dispute needs a plan of action",
            "a role transition asks for a decision",
            "the patient sees no way out",
        ),
        source=_CORE,
    ),
    Technique(
        id="role_playing",
        name="Role playing",
        family=Family.BEHAVIOUR_CHANGE,
        areas=_ALL_AREAS,
        phases=_WORK,
        description="The therapist plays the other person (or the patient) to explore how the "
        "patient feels and communicates, and to rehearse new ways of speaking before trying them.",
        use_when=(
            "rehearsing what communication or decision analysis found",
            "preparing a difficult conversation (disputes, transitions)",
            "practising social skills (interpersonal deficits)",
            "saying what was left unsaid to the person who died (grief)",
        ),
        source=_CORE,
    ),
    Technique(
        id="reconstruction_of_relationship",
        name="Exploring the relationship with the deceased",
        family=Family.EXPLORATORY,
        areas={ProblemArea.GRIEF},
        phases=_WORK,
        description="Reconstructing the patient's relationship with the person who died, and the "
        "events just before, during and after the death, with the feelings about them, negative "
        "as well as positive.",
        use_when=("grief, to facilitate mourning [GUIDE]",),
        source=_KLERMAN,
    ),
    Technique(
        id="review_of_roles",
        name="Review of old and new roles",
        family=Family.EXPLORATORY,
        areas={ProblemArea.ROLE_TRANSITION},
        phases=_WORK,
        description="Reviewing the good and bad sides of the old role and of the new one, "
        "evaluating realistically what is lost, and exploring the opportunities of the new role.",
        use_when=("a role transition: to mourn the old role and see the new one more positively",),
        source=_KLERMAN,
    ),
    Technique(
        id="review_of_past_relationships",
        name="Review of past relationships",
        family=Family.EXPLORATORY,
        areas={ProblemArea.INTERPERSONAL_DEFICITS},
        phases=_WORK | {Phase.INITIAL},
        description="Reviewing the patient's important past relationships, their good and bad "
        "sides, to find the patterns that repeat.",
        use_when=("interpersonal deficits: few current relationships to work with [GUIDE]",),
        source=_KLERMAN,
    ),
    Technique(
        id="contract_setting",
        name="Contract setting",
        family=Family.ADJUNCTIVE,
        areas=_ALL_AREAS,
        phases={Phase.ENGAGEMENT, Phase.INITIAL, Phase.TERMINATION, Phase.MAINTENANCE},
        description="Agreeing the treatment contract: the focus, the number, length and frequency "
        "of sessions, the end date, and what happens with missed sessions.",
        use_when=(
            "the end of the initial phase, once the formulation is accepted",
            "the time frame must change: renegotiate it explicitly [COMP; ISIPT]",
            "after termination, when continuation or maintenance treatment is agreed",
        ),
        well_sourced=False,
        source=_ADJUNCT,
    ),
    Technique(
        id="administrative_details",
        name="Administrative details",
        family=Family.ADJUNCTIVE,
        areas=_ALL_AREAS,
        phases=_TREATMENT | {Phase.ENGAGEMENT},
        description="Practical arrangements: scheduling, missed and late sessions, contact between "
        "sessions, fees, and liaison with other clinicians.",
        use_when=("setting up treatment, and whenever the arrangements change",),
        well_sourced=False,
        source=_ADJUNCT,
    ),
)

_DISPUTE_STAGES = "[GUIDE] dispute stages; the technique order is iptcore's reading (unconfirmed)"

_EMPHASIS = (
    Emphasis(
        area=ProblemArea.GRIEF,
        techniques=("encouragement_of_affect", "reconstruction_of_relationship"),
        source="[COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.ROLE_DISPUTE,
        techniques=("communication_analysis", "role_playing", "decision_analysis"),
        source="[COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.ROLE_TRANSITION,
        techniques=("review_of_roles", "encouragement_of_affect", "decision_analysis"),
        source="[COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.INTERPERSONAL_DEFICITS,
        techniques=(
            "review_of_past_relationships",
            "role_playing",
            "use_of_therapeutic_relationship",
        ),
        source="[COMP; GUIDE ch. 10]; the last unconfirmed",
    ),
    # Renegotiation: improve communication; impasse: bring the disagreement back into the open to
    # reopen negotiation; dissolution: mourn the relationship and move on [GUIDE].
    Emphasis(
        area=ProblemArea.ROLE_DISPUTE,
        stage=DisputeStage.RENEGOTIATION,
        techniques=("communication_analysis", "decision_analysis", "role_playing"),
        source=_DISPUTE_STAGES,
    ),
    Emphasis(
        area=ProblemArea.ROLE_DISPUTE,
        stage=DisputeStage.IMPASSE,
        techniques=("clarification", "communication_analysis", "encouragement_of_affect"),
        source=_DISPUTE_STAGES,
    ),
    Emphasis(
        area=ProblemArea.ROLE_DISPUTE,
        stage=DisputeStage.DISSOLUTION,
        techniques=("encouragement_of_affect", "decision_analysis"),
        source=_DISPUTE_STAGES,
    ),
)

#: The default technique catalogue [COMP; GUIDE ch. 10].
TECHNIQUES = Catalogue(techniques=_TECHNIQUES, emphasis=_EMPHASIS)
