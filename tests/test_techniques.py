"""Tests of iptcore.techniques: the catalogue's content, its area ordering, and the catalogue as a value.

Expected ids, orders and rules are written out from [COMP; GUIDE ch. 10], not read
back from the library's table.
"""

from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import iptcore
from iptcore import PROTOCOLS, IptError
from iptcore.techniques import TECHNIQUES, Catalogue, Emphasis, Family, Technique
from iptcore.terms import DisputeStage, Phase, ProblemArea

REQUIRED = {
    "nondirective_exploration",
    "direct_elicitation",
    "encouragement_of_affect",
    "clarification",
    "communication_analysis",
    "use_of_therapeutic_relationship",
    "directive_techniques",
    "decision_analysis",
    "role_playing",
    "contract_setting",
    "administrative_details",
}


def ids(techniques: tuple[Technique, ...]) -> list[str]:
    return [t.id for t in techniques]


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


def test_front_door_names() -> None:
    """The public API: TECHNIQUES, Technique and Catalogue at the top level."""
    assert iptcore.TECHNIQUES is TECHNIQUES
    assert iptcore.Technique is Technique
    assert iptcore.Catalogue is Catalogue


def test_required_techniques_present() -> None:
    """The techniques of the Comprehensive Guide [COMP; GUIDE ch. 10], COMP; GUIDE ch. 10."""
    assert set(TECHNIQUES.ids) >= REQUIRED
    assert len(TECHNIQUES) == len(list(TECHNIQUES)) == len(set(TECHNIQUES.ids))
    assert all(TECHNIQUES[i].id == i for i in REQUIRED)
    assert "clarification" in TECHNIQUES
    assert "free_association" not in TECHNIQUES


@pytest.mark.parametrize(
    ("technique_id", "family"),
    [
        ("nondirective_exploration", Family.EXPLORATORY),
        ("direct_elicitation", Family.EXPLORATORY),
        ("encouragement_of_affect", Family.ENCOURAGEMENT_OF_AFFECT),
        ("clarification", Family.CLARIFICATION),
        ("communication_analysis", Family.COMMUNICATION_ANALYSIS),
        ("use_of_therapeutic_relationship", Family.THERAPEUTIC_RELATIONSHIP),
        ("directive_techniques", Family.BEHAVIOUR_CHANGE),
        ("decision_analysis", Family.BEHAVIOUR_CHANGE),
        ("role_playing", Family.BEHAVIOUR_CHANGE),
        ("contract_setting", Family.ADJUNCTIVE),
        ("administrative_details", Family.ADJUNCTIVE),
    ],
)
def test_families(technique_id: str, family: Family) -> None:
    """The seven families: exploratory, affect, clarification, communication analysis, therapeutic
    relationship, behaviour change, adjunctive [COMP; GUIDE ch. 10]."""
    assert TECHNIQUES[technique_id].family is family


def test_encouragement_of_affect_has_three_forms() -> None:
    """Acceptance of painful affect; use of affect in relationships; helping generate suppressed
    affect [COMP; GUIDE ch. 10]."""
    assert TECHNIQUES["encouragement_of_affect"].forms == (
        "acceptance of painful affect",
        "use of affect in relationships",
        "generating suppressed affect",
    )


def test_communication_analysis_steps() -> None:
    """Replay an exchange step by step with feelings at each step, then "What would you have liked
    to happen? What else could you have said?" [COMP; GUIDE ch. 10]."""
    steps = TECHNIQUES["communication_analysis"].steps
    assert "step by step" in steps[1]
    assert "felt" in steps[1]
    assert any(
        "What would you have liked to happen? What else could you have said?" in s for s in steps
    )


def test_decision_analysis_steps_in_order() -> None:
    """Define the problem, generate options, weigh pros and cons, choose, rehearse [COMP; GUIDE]."""
    steps = TECHNIQUES["decision_analysis"].steps
    keywords = ["define", "generate", "weigh", "choose", "rehearse"]
    assert [k for k, s in zip(keywords, steps, strict=True) if s.startswith(k)] == keywords


def test_clarification_not_in_strong_unrelated_affect() -> None:
    """Clarification is not for a patient in a strong unrelated affect (after [COMP])."""
    (avoid,) = TECHNIQUES["clarification"].avoid_when
    assert "strong affect unrelated" in avoid


def test_adjunctive_techniques_are_marked_less_well_sourced() -> None:
    """Contract setting and administrative details are unconfirmed in the excerpts read
    (COMP; GUIDE ch. 10, item 7); every other technique is sourced."""
    weak = {t.id for t in TECHNIQUES if not t.well_sourced}
    assert weak == {"contract_setting", "administrative_details"}


def test_every_technique_is_complete() -> None:
    """Each has a family, a description, when to use it, areas, phases and its source."""
    for t in TECHNIQUES:
        assert t.name
        assert t.description
        assert t.source
        assert t.use_when
        assert t.areas
        assert t.phases
        assert all(isinstance(a, ProblemArea) for a in t.areas)
        assert all(isinstance(p, Phase) for p in t.phases)


def test_phases_follow_the_course() -> None:
    """Contract setting belongs to the start (initial phase) [COMP]; communication and decision
    analysis are middle-phase work on the focus [ISIPT]; exploration runs throughout."""
    assert Phase.INITIAL in TECHNIQUES["contract_setting"].phases
    assert Phase.MIDDLE not in TECHNIQUES["contract_setting"].phases
    assert Phase.INITIAL not in TECHNIQUES["communication_analysis"].phases
    assert Phase.MIDDLE in TECHNIQUES["decision_analysis"].phases
    assert {Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION} <= TECHNIQUES[
        "nondirective_exploration"
    ].phases


# --------------------------------------------------------------------------------------------
# for_area: the emphasised techniques first
# --------------------------------------------------------------------------------------------

EMPHASIS = {
    # grief: encouragement of affect, exploration of the relationship with the deceased
    ProblemArea.GRIEF: ["encouragement_of_affect", "reconstruction_of_relationship"],
    # disputes: communication analysis, role play, decision analysis
    ProblemArea.ROLE_DISPUTE: ["communication_analysis", "role_playing", "decision_analysis"],
    # transitions: review of old and new roles, affect, decision analysis
    ProblemArea.ROLE_TRANSITION: [
        "review_of_roles",
        "encouragement_of_affect",
        "decision_analysis",
    ],
    # deficits: review of past relationships, role play, the therapeutic relationship
    ProblemArea.INTERPERSONAL_DEFICITS: [
        "review_of_past_relationships",
        "role_playing",
        "use_of_therapeutic_relationship",
    ],
}


@pytest.mark.parametrize("area", list(ProblemArea))
def test_area_emphasis_comes_first(area: ProblemArea) -> None:
    """Emphasis by area (COMP; GUIDE ch. 10 [COMP; GUIDE ch. 10])."""
    expected = EMPHASIS[area]
    assert ids(TECHNIQUES.for_area(area))[: len(expected)] == expected


def test_grief_starts_with_encouragement_of_affect() -> None:
    """Grief: encouragement of affect first (COMP; GUIDE ch. 10)."""
    assert TECHNIQUES.for_area("grief")[0].id == "encouragement_of_affect"


def test_area_as_string_or_enum() -> None:
    """for_area accepts a ProblemArea or its word (the public API: str enums)."""
    for area in ProblemArea:
        assert TECHNIQUES.for_area(area) == TECHNIQUES.for_area(area.value)
    assert TECHNIQUES.for_area("role_dispute", "middle") == TECHNIQUES.for_area(
        ProblemArea.ROLE_DISPUTE, Phase.MIDDLE
    )


def test_area_specific_techniques_stay_in_their_area() -> None:
    """The relationship with the deceased is grief work; old and new roles belong to transitions
    [KLERMAN1984; COMP]. Role playing suits every area, grief included (saying what was left
    unsaid) [COMP; GUIDE ch. 10]."""
    assert "reconstruction_of_relationship" not in ids(TECHNIQUES.for_area("role_dispute"))
    assert "role_playing" in ids(TECHNIQUES.for_area("grief"))
    assert "review_of_roles" not in ids(TECHNIQUES.for_area("interpersonal_deficits"))


def test_adjunctive_techniques_and_the_paraphrased_tables_cite_klerman_1984() -> None:
    """The adjunctive techniques and the area strategies are in Klerman et al. 1984 [KLERMAN1984]:
    no "unconfirmed" left on them."""
    for tid in ("contract_setting", "administrative_details"):
        assert "[KLERMAN1984]" in TECHNIQUES[tid].source
        assert "unconfirmed" not in TECHNIQUES[tid].source


def test_phase_filters() -> None:
    """With a phase, only techniques that suit it: no communication analysis in the initial phase;
    the emphasised ones that suit still lead (COMP; GUIDE ch. 10; [ISIPT])."""
    initial = ids(TECHNIQUES.for_area("role_dispute", "initial"))
    assert "communication_analysis" not in initial
    assert "contract_setting" in initial
    middle = ids(TECHNIQUES.for_area("role_dispute", Phase.MIDDLE))
    assert middle[:3] == EMPHASIS[ProblemArea.ROLE_DISPUTE]
    assert "contract_setting" not in middle


@pytest.mark.parametrize(
    ("stage", "first"),
    [
        (DisputeStage.RENEGOTIATION, "communication_analysis"),
        (DisputeStage.IMPASSE, "clarification"),
        (DisputeStage.DISSOLUTION, "encouragement_of_affect"),
    ],
)
def test_dispute_stage_emphasis(stage: DisputeStage, first: str) -> None:
    """Renegotiation: improve communication; impasse: bring the disagreement back into the open;
    dissolution: mourn the relationship [GUIDE]. The stage's emphasis precedes the area's."""
    order = ids(TECHNIQUES.for_area("role_dispute", stage=stage))
    assert order[0] == first
    assert set(EMPHASIS[ProblemArea.ROLE_DISPUTE]) <= set(order)
    assert sorted(order) == sorted(ids(TECHNIQUES.for_area("role_dispute")))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: TECHNIQUES.for_area("griefs"), "area: must be one of grief"),
        (lambda: TECHNIQUES.for_area(3), "area: must be one of"),
        (lambda: TECHNIQUES.for_area("grief", "week2"), "phase: must be one of"),
        (lambda: TECHNIQUES.for_area("grief", stage="impasse"), "role_dispute only"),
        (lambda: TECHNIQUES.for_area("role_dispute", stage="truce"), "stage: must be one of"),
        (lambda: TECHNIQUES["transference_interpretation"], "no technique"),
    ],
)
def test_lookup_refusals(call: object, message: str) -> None:
    """Unknown areas, phases, stages and ids raise IptError, never KeyError (BRIEFING, Errors)."""
    with pytest.raises(IptError, match=message):
        call()  # type: ignore[operator]


@given(
    st.sampled_from(ProblemArea),
    st.one_of(st.none(), st.sampled_from(Phase)),
)
def test_for_area_invariants(area: ProblemArea, phase: Phase | None) -> None:
    """Property: for_area returns exactly the suiting techniques, each once, the emphasised suiting
    ones as a prefix in emphasis order [COMP; GUIDE ch. 10]."""
    result = TECHNIQUES.for_area(area, phase)
    assert len(set(ids(result))) == len(result)
    assert set(result) == {t for t in TECHNIQUES if t.suits(area, phase)}
    emphasised = [i for i in EMPHASIS[area] if TECHNIQUES[i].suits(area, phase)]
    assert ids(result)[: len(emphasised)] == emphasised
    rest = ids(result)[len(emphasised) :]
    assert rest == [i for i in TECHNIQUES.ids if i in rest]


# --------------------------------------------------------------------------------------------
# Homework
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("protocol", "allowed"),
    [
        ("ipt", False),
        ("ipt-b", False),
        ("ipt-a", True),
        ("group", True),
        ("ipc", False),
        ("maintenance", False),
    ],
)
def test_homework_per_protocol(protocol: str, allowed: bool) -> None:
    """Standard IPT sets no formal homework; IPT-A and group IPT use work-at-home tasks
    [COMP; CASEBOOK]. The protocol is the one home of that fact."""
    assert PROTOCOLS[protocol].homework is allowed
    assert not hasattr(TECHNIQUES, "allows_homework")


# --------------------------------------------------------------------------------------------
# The catalogue as a value
# --------------------------------------------------------------------------------------------


def make(technique_id: str = "behavioural_activation", **changes: object) -> Technique:
    fields: dict[str, object] = {
        "id": technique_id,
        "name": "Behavioural activation",
        "family": "behaviour_change",
        "areas": ["role_transition"],
        "phases": ["middle"],
        "description": "Scheduling valued activities (an example outside IPT).",
        "source": "a user's own catalogue (fictional example)",
        **changes,
    }
    return Technique(**fields)  # type: ignore[arg-type]


def test_add_drop_replace_return_new_catalogues() -> None:
    """A catalogue is a value: changes make new ones and leave TECHNIQUES as it was."""
    before = TECHNIQUES.ids
    added = TECHNIQUES.add(make())
    assert added.ids == (*before, "behavioural_activation")
    assert added["behavioural_activation"].areas == {ProblemArea.ROLE_TRANSITION}
    assert "behavioural_activation" in ids(added.for_area("role_transition", "middle"))
    dropped = TECHNIQUES.drop("role_playing")
    assert "role_playing" not in dropped
    assert ids(dropped.for_area("role_dispute"))[:2] == [
        "communication_analysis",
        "decision_analysis",
    ]
    assert TECHNIQUES.ids == before


def test_translate_a_description() -> None:
    """Users translate descriptions by replacing a technique; the place is kept."""
    german = attrs.evolve(TECHNIQUES["clarification"], description="Klärung des Gesagten.")
    ours = TECHNIQUES.replace(german)
    assert ours["clarification"].description == "Klärung des Gesagten."
    assert ours.ids == TECHNIQUES.ids
    assert TECHNIQUES["clarification"].description != german.description


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: TECHNIQUES.add(TECHNIQUES["clarification"]), "'clarification' appears twice"),
        (lambda: make(areas=["grief", "sorrow"]), "area: must be one of"),
        (lambda: make(areas="grief"), "^areas: must be a set, got 'grief'$"),
        (lambda: make(areas=[]), "^areas: must name at least one$"),
        (lambda: make(phases="middle"), "^phases: must be a set, got 'middle'$"),
        (lambda: make(phases=()), "^phases: must name at least one$"),
        (lambda: make(phases=["week_3"]), "phase: must be one of"),
        (lambda: make(family="psychoanalytic"), "family: must be one of"),
        (lambda: make("Role Play"), "lower-case word"),
        (lambda: make(description=""), "description: must be a non-empty string"),
        (lambda: make(steps="do it"), "steps: must be a list of non-empty strings"),
        (lambda: make(well_sourced="yes"), "well_sourced: must be true or false"),
        (lambda: TECHNIQUES.drop("nothing"), "no technique 'nothing'"),
        (lambda: TECHNIQUES.replace(make()), "no technique 'behavioural_activation'"),
        (lambda: TECHNIQUES.with_emphasis("grief", ["nothing"], source="x"), "unknown technique"),
        (
            lambda: TECHNIQUES.with_emphasis("grief", ["review_of_roles"], source="x"),
            "does not suit",
        ),
        (
            lambda: TECHNIQUES.with_emphasis("sorrow", ["clarification"], source="x"),
            "area: must be",
        ),
        (
            lambda: TECHNIQUES.with_emphasis(
                "grief", ["clarification"], stage="impasse", source="x"
            ),
            "a stage belongs to role_dispute only",
        ),
        (lambda: Catalogue(techniques=[make(), make()]), "appears twice"),
        (lambda: Catalogue(techniques="abc"), "techniques: must be a list of Technique"),
        (
            lambda: Catalogue(
                techniques=[make()],
                emphasis=[
                    Emphasis(
                        area="role_transition", techniques=["behavioural_activation"], source="a"
                    ),
                    Emphasis(
                        area="role_transition", techniques=["behavioural_activation"], source="b"
                    ),
                ],
            ),
            "given twice",
        ),
    ],
)
def test_invalid_entries_raise(build: object, message: str) -> None:
    """Invalid entries (unknown area, duplicate id, ...) raise IptError (BRIEFING)."""
    with pytest.raises(IptError, match=message):
        build()  # type: ignore[operator]


def test_with_emphasis_reorders() -> None:
    """A user's emphasis replaces the default one for that area (COMP; GUIDE ch. 10 is a default)."""
    ours = TECHNIQUES.with_emphasis("grief", ["clarification"], source="our reading")
    assert ids(ours.for_area("grief"))[0] == "clarification"
    assert ids(TECHNIQUES.for_area("grief"))[0] == "encouragement_of_affect"


def test_drop_removes_from_emphasis() -> None:
    """Dropping a technique also drops it from every emphasis, so the catalogue stays valid."""
    ours = TECHNIQUES.drop("encouragement_of_affect")
    assert all("encouragement_of_affect" not in e.techniques for e in ours.emphasis)
    assert ids(ours.for_area("grief"))[0] == "reconstruction_of_relationship"


@given(st.sets(st.sampled_from(TECHNIQUES.ids)))
def test_any_subset_can_be_dropped(dropped: set[str]) -> None:
    """Property: dropping any techniques leaves a valid catalogue whose for_area lists only what
    remains, without error."""
    ours = TECHNIQUES
    for technique_id in sorted(dropped):
        ours = ours.drop(technique_id)
    assert len(ours) == len(TECHNIQUES) - len(dropped)
    for area in ProblemArea:
        assert not set(ids(ours.for_area(area))) & dropped


def test_describe_and_to_dict() -> None:
    """Text and JSON forms for the command line (BRIEFING, Docs)."""
    data = TECHNIQUES.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert [t["id"] for t in data["techniques"]] == list(TECHNIQUES.ids)
    text = TECHNIQUES["decision_analysis"].describe()
    assert text.startswith("Decision analysis (behaviour_change): ")
    assert "  1. define the problem" in text
    assert "(less well sourced)" in TECHNIQUES["contract_setting"].describe()
    assert len(TECHNIQUES.describe().splitlines()) == len(TECHNIQUES)


# -- each field's refusal in its exact words -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "name: must be a non-empty string, got ' '"),
        ({"name": ""}, "name: must be a non-empty string, got ''"),
        ({"source": 3}, "source: must be a non-empty string, got 3"),
        ({"steps": ("ask", " ")}, "steps: must be a list of non-empty strings, got ('ask', ' ')"),
        ({"steps": ("ask", "")}, "steps: must be a list of non-empty strings, got ('ask', '')"),
        ({"steps": ("ask", 3)}, "steps: must be a list of non-empty strings, got ('ask', 3)"),
        ({"forms": "ask"}, "forms: must be a list of non-empty strings, got 'ask'"),
        ({"well_sourced": 1}, "well_sourced: must be true or false, got 1"),
        ({"well_sourced": None}, "well_sourced: must be true or false, got None"),
        (
            {"family": 3},
            (
                "family: must be one of exploratory, encouragement_of_affect, clarification, "
                "communication_analysis, use_of_therapeutic_relationship, behaviour_change, "
                "adjunctive, got 3"
            ),
        ),
        (
            {"areas": ["sorrow"]},
            (
                "area: must be one of grief, role_dispute, role_transition, "
                "interpersonal_deficits, got 'sorrow'"
            ),
        ),
    ],
)
def test_each_field_is_refused_in_the_one_form(changes: dict[str, object], message: str) -> None:
    """A user's technique is refused as ``field: must be ..., got <value>``, naming the field and
    what it must be; a list field takes a list (kept as a tuple), never a lone string."""
    with pytest.raises(IptError) as info:
        make(**changes)
    assert str(info.value) == message


def test_lists_become_tuples_and_flags_are_true_or_false() -> None:
    technique = make(steps=["ask", "listen"], well_sourced=False)
    assert technique.steps == ("ask", "listen")
    assert technique.well_sourced is False
    assert make(family="adjunctive").family is Family.ADJUNCTIVE


def test_a_catalogue_takes_any_iterable_of_techniques_and_names_a_bad_one() -> None:
    """A catalogue is built from any iterable of techniques (not a string); a wrong item is named
    by its index."""
    technique = make()
    assert Catalogue(techniques=iter([technique])).techniques == (technique,)
    for bad, message in (
        ("ab", "techniques: must be a list of Technique, got 'ab'"),
        (3, "techniques: must be a list of Technique, got 3"),
        ([technique, None], "techniques[1]: must be a Technique, got None"),
    ):
        with pytest.raises(IptError) as info:
            Catalogue(techniques=bad)  # type: ignore[arg-type]
        assert str(info.value) == message
    with pytest.raises(IptError) as info:
        Catalogue(techniques=[technique], emphasis=[technique])  # type: ignore[list-item]
    assert str(info.value).startswith("emphasis[0]: must be a Emphasis, got Technique(")


# -- the catalogue for people and for JSON, written from their definitions ----------------------

#: A fictional technique of a user's own, with every field given.
WALK = Technique(
    id="walk_and_talk",
    name="Walk and talk",
    family="communication_analysis",
    areas=["role_transition", "grief"],
    phases=["middle", "initial"],
    description="talk while walking",
    source="a fictional source",
    steps=["choose a route", "walk"],
    use_when=["sitting still is hard"],
    avoid_when=["it rains"],
    forms=["alone", "together"],
    well_sourced=False,
)


def test_a_technique_describes_itself_line_by_line() -> None:
    """Name, family and description; each form; the numbered steps; when to use it and when
    not; the source, flagged when it is less well sourced."""
    assert WALK.describe().splitlines() == [
        "Walk and talk (communication_analysis): talk while walking",
        "  form: alone",
        "  form: together",
        "  1. choose a route",
        "  2. walk",
        "  use when: sitting still is hard",
        "  not when: it rains",
        "  source: a fictional source (less well sourced)",
    ]
    sourced = attrs.evolve(WALK, well_sourced=True, steps=(), forms=(), use_when=(), avoid_when=())
    assert sourced.describe().splitlines() == [
        "Walk and talk (communication_analysis): talk while walking",
        "  source: a fictional source",
    ]


def test_a_technique_and_a_catalogue_as_json() -> None:
    """Every field, areas and phases as sorted lists of their words; a catalogue's emphasis with
    its stage (null where it has none)."""
    assert WALK.to_dict() == {
        "id": "walk_and_talk",
        "name": "Walk and talk",
        "family": "communication_analysis",
        "areas": ["grief", "role_transition"],
        "phases": ["initial", "middle"],
        "description": "talk while walking",
        "steps": ["choose a route", "walk"],
        "use_when": ["sitting still is hard"],
        "avoid_when": ["it rains"],
        "forms": ["alone", "together"],
        "well_sourced": False,
        "source": "a fictional source",
    }
    ours = Catalogue(
        techniques=[WALK],
        emphasis=[Emphasis(area="grief", techniques=["walk_and_talk"], source="fictional")],
    )
    assert ours.to_dict() == {
        "techniques": [WALK.to_dict()],
        "emphasis": [
            {"area": "grief", "stage": None, "techniques": ["walk_and_talk"], "source": "fictional"}
        ],
    }
    staged = Catalogue(
        techniques=[TECHNIQUES["clarification"]],
        emphasis=[
            Emphasis(
                area="role_dispute",
                stage="impasse",
                techniques=["clarification"],
                source="fictional",
            )
        ],
    )
    assert staged.to_dict()["emphasis"] == [
        {
            "area": "role_dispute",
            "stage": "impasse",
            "techniques": ["clarification"],
            "source": "fictional",
        }
    ]


def test_a_catalogue_describes_one_technique_per_line_in_columns() -> None:
    """Id and family each in a 32-wide column, then the areas, sorted."""
    ours = Catalogue(techniques=[WALK, TECHNIQUES["clarification"]])
    clarification_areas = ", ".join(sorted(a.value for a in TECHNIQUES["clarification"].areas))
    assert ours.describe().splitlines() == [
        "walk_and_talk".ljust(32)
        + " "
        + "communication_analysis".ljust(32)
        + " grief, role_transition",
        "clarification".ljust(32) + " " + "clarification".ljust(32) + " " + clarification_areas,
    ]


@pytest.mark.parametrize(
    ("emphasis", "message"),
    [
        (
            Emphasis(
                area="role_dispute", stage="impasse", techniques=["clarification"] * 2, source="s"
            ),
            "emphasis for role_dispute (impasse) names a technique twice",
        ),
        (
            Emphasis(area="grief", techniques=["clarification"] * 2, source="s"),
            "emphasis for grief names a technique twice",
        ),
        (
            Emphasis(area="grief", stage="impasse", techniques=["clarification"], source="s"),
            "emphasis for grief (impasse): a stage belongs to role_dispute only",
        ),
    ],
)
def test_an_emphasis_names_its_area_and_stage_when_refused(
    emphasis: Emphasis, message: str
) -> None:
    with pytest.raises(IptError) as caught:
        Catalogue(techniques=list(TECHNIQUES), emphasis=[emphasis])
    assert str(caught.value) == message


def test_get_gives_the_default_for_an_id_the_catalogue_lacks() -> None:
    assert TECHNIQUES.get("nope") is None
    assert TECHNIQUES.get("nope", TECHNIQUES["clarification"]) == TECHNIQUES["clarification"]
    assert TECHNIQUES.get("clarification") == TECHNIQUES["clarification"]
