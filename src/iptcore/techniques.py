"""The IPT technique catalogue: what each technique is, how it is done, when to use it, and its source.

The techniques and their families are those of the Comprehensive Guide [COMP; GUIDE ch. 10]
(IPT_REFERENCE.md section 5): exploratory techniques, encouragement of affect, clarification,
communication analysis, use of the therapeutic relationship, behaviour change (directive techniques,
decision analysis, role playing) and the adjunctive techniques (contract setting, administrative
details; less well sourced). Three area strategies of Klerman et al. (1984, paraphrased) that the
emphasis per area names (the relationship with the deceased, old and new roles, past relationships)
are catalogued as exploratory techniques of their area.

The catalogue is a value (:class:`Catalogue`): one table of :class:`Technique` values, the emphasis
per problem area (which techniques come first, IPT_REFERENCE.md section 5), and which protocols allow
work-at-home tasks. Users build their own (add, drop, replace, translate) and pass it where
:data:`TECHNIQUES` is the default.

This module holds the catalogue's content, one table each with its sources: the techniques, the
emphasis per area (and per dispute stage), and homework per protocol. The types they are made of
(:class:`Technique`, :class:`Catalogue`, ...) are in :mod:`iptcore.catalogue`; this module
re-exports them, so ``from iptcore.techniques import Catalogue, Technique`` keeps working.

>>> [t.id for t in TECHNIQUES.for_area("role_dispute")][:3]
['communication_analysis', 'role_playing', 'decision_analysis']
>>> TECHNIQUES.allows_homework("ipt"), TECHNIQUES.allows_homework("ipt-a")
(False, True)
"""

from __future__ import annotations

from iptcore.catalogue import Catalogue, Emphasis, Family, Homework, Technique
from iptcore.terms import DisputeStage, Phase, ProblemArea

__all__ = [
    "TECHNIQUES",
    "Catalogue",
    "Emphasis",
    "Family",
    "Homework",
    "Technique",
]


# --------------------------------------------------------------------------------------------
# The default catalogue [COMP; GUIDE ch. 10; IPT_REFERENCE.md section 5]
# --------------------------------------------------------------------------------------------

_ALL_AREAS = frozenset(ProblemArea)
_TREATMENT = frozenset({Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION, Phase.MAINTENANCE})
_WORK = frozenset({Phase.MIDDLE, Phase.MAINTENANCE})  # the work on the focus [ISIPT]
_CORE = "[COMP; GUIDE ch. 10]"
_KLERMAN = "Klerman et al. 1984 (paraphrased); IPT_REFERENCE.md s. 4-5"
_ADJUNCT = "[COMP] (adjunctive techniques: unconfirmed in the excerpts read)"

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
        areas=_ALL_AREAS - {ProblemArea.GRIEF},
        phases=_WORK,
        description="The therapist plays the other person (or the patient) to explore how the "
        "patient feels and communicates, and to rehearse new ways of speaking before trying them.",
        use_when=(
            "rehearsing what communication or decision analysis found",
            "preparing a difficult conversation (disputes, transitions)",
            "practising social skills (interpersonal deficits)",
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
        source="IPT_REFERENCE.md s. 5 [COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.ROLE_DISPUTE,
        techniques=("communication_analysis", "role_playing", "decision_analysis"),
        source="IPT_REFERENCE.md s. 5 [COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.ROLE_TRANSITION,
        techniques=("review_of_roles", "encouragement_of_affect", "decision_analysis"),
        source="IPT_REFERENCE.md s. 5 [COMP; GUIDE ch. 10]",
    ),
    Emphasis(
        area=ProblemArea.INTERPERSONAL_DEFICITS,
        techniques=(
            "review_of_past_relationships",
            "role_playing",
            "use_of_therapeutic_relationship",
        ),
        source="IPT_REFERENCE.md s. 5 [COMP; GUIDE ch. 10]; the last unconfirmed",
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

# "Standard IPT sets no formal homework; IPT-A and group IPT use work-at-home tasks"
# [COMP; CASEBOOK]. The protocol names are those of iptcore.PROTOCOLS.
_HOMEWORK = (
    Homework(protocol="ipt", allowed=False, source="[COMP; CASEBOOK]"),
    Homework(
        protocol="ipt-b", allowed=False, source="as standard IPT (Swartz et al. 2014; unconfirmed)"
    ),
    Homework(protocol="ipt-a", allowed=True, source="[COMP; CASEBOOK]; Mufson et al. 2004"),
    Homework(protocol="group", allowed=True, source="[COMP; CASEBOOK]; [WHO]"),
    Homework(protocol="ipc", allowed=False, source="as standard IPT (unconfirmed)"),
    Homework(protocol="maintenance", allowed=False, source="as standard IPT (unconfirmed)"),
)

#: The default technique catalogue [COMP; GUIDE ch. 10; IPT_REFERENCE.md section 5].
TECHNIQUES = Catalogue(techniques=_TECHNIQUES, emphasis=_EMPHASIS, homework=_HOMEWORK)
