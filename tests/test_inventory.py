"""Tests of iptcore.inventory: the inventory graph, its queries and its immutability."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from collections.abc import Callable
from datetime import date

import attrs
import networkx as nx
import pytest
from hypothesis import given

from iptcore import Case, Contact, Dispute, Event, Inventory, IptError, Patient, Person, Tie
from iptcore.inventory import PATIENT, RINGS
from iptcore.testing import cases

ASSESSED = date(2026, 3, 2)


def _case(**changes: object) -> Case:
    """A small fictional case: a partner in dispute, a confidant friend, a mother who died."""
    base = Case(
        id="inv-demo",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        patient=Patient(name="Maya (fictional)", born=1991),
        people=(
            Person(
                id="jon",
                name="Jon",
                role="partner",
                closeness=1,
                contact="daily",
                unsatisfying=("argues about the move",),
                dispute=Dispute(since=date(2025, 9, 20), stage="impasse"),
            ),
            Person(id="ana", role="friend", closeness=2, contact="weekly", confidant=True),
            Person(id="mum", role="parent", closeness=1, contact="never"),
            Person(
                id="patient",  # a valid person id: must not collide with the patient node
                role="coworker",
                closeness=4,
                contact="rarely",
                dispute=Dispute(since=date(2024, 1, 5), ended=date(2024, 6, 1)),
            ),
        ),
        ties=(
            Tie(between=("jon", "ana"), kind="close"),
            Tie(between=("ana", "jon"), kind="conflict"),
        ),
        events=(Event(date=date(2025, 10, 3), kind="death", person="mum"),),
    )
    return attrs.evolve(base, **changes)


# -- the graph -------------------------------------------------------------------------------------


def test_graph_has_the_patient_node_and_one_node_per_person() -> None:
    """The public API: "patient node plus one node per person"."""
    g = _case().inventory.graph
    assert set(g.nodes) == {PATIENT, "jon", "ana", "mum", "patient"}
    assert g.nodes[PATIENT]["kind"] == "patient"
    assert g.nodes[PATIENT]["name"] == "Maya (fictional)"
    assert g.nodes["patient"]["kind"] == "person"  # the person called "patient" is not the patient


def test_patient_key_cannot_be_a_person_id() -> None:
    """Person ids are [A-Za-z0-9._-]{1,64} (the case format); the patient key lies outside that set."""
    with pytest.raises(IptError):
        Person(id=PATIENT, role="friend", closeness=1)


def test_node_attributes_are_the_persons_fields() -> None:
    """one node per person with role, closeness, contact, ...; absent values are absent."""
    g = _case().inventory.graph
    ana = g.nodes["ana"]
    assert ana["role"] == "friend"
    assert ana["closeness"] == 2
    assert ana["contact"] is Contact.WEEKLY
    assert ana["confidant"] is True
    assert ana["deceased"] is False
    assert "name" not in ana
    assert "knows_about_depression" not in ana
    assert g.nodes["mum"]["deceased"] is True
    assert g.nodes["mum"]["died"] == date(2025, 10, 3)


def test_relationship_edges_carry_the_dispute() -> None:
    """patient-person edges carry the relationship, dispute included."""
    g = _case().inventory.graph
    jon = g.edges[PATIENT, "jon"]
    assert jon["kind"] == "relationship"
    assert jon["conflict"] is True
    assert jon["dispute"].stage == "impasse"
    assert jon["unsatisfying"] == ("argues about the move",)
    ended = g.edges[PATIENT, "patient"]
    assert ended["conflict"] is False  # the dispute ended: no longer open
    assert ended["dispute"].ended == date(2024, 6, 1)
    assert "dispute" not in g.edges[PATIENT, "ana"]


def test_ties_become_person_person_edges_with_both_kinds() -> None:
    """the case format, Tie: kind close or conflict; a pair tied twice keeps both kinds."""
    g = _case().inventory.graph
    tie = g.edges["jon", "ana"]
    assert tie == {"kind": "tie", "close": True, "conflict": True}
    assert g.number_of_edges() == 4 + 1  # four relationships, one tie


def test_networkx_algorithms_run_on_the_graph() -> None:
    """The public API: callers may run networkx algorithms on the graph."""
    g = _case().inventory.graph
    centrality = nx.degree_centrality(g)
    assert max(centrality, key=centrality.__getitem__) == PATIENT
    assert nx.shortest_path_length(g, PATIENT, "ana", weight="closeness") == 2
    assert nx.is_connected(g)
    json.dumps(nx.node_link_data(g, edges="edges"), default=str)


# -- read-only ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda g: g.add_node("x"),
        lambda g: g.add_edge("jon", "mum"),
        lambda g: g.remove_node("jon"),
        lambda g: g.remove_edge(PATIENT, "jon"),
        lambda g: g.clear(),
        lambda g: g.update(nx.path_graph(2)),
        lambda g: g.nodes["jon"].__setitem__("role", "boss"),
        lambda g: g.nodes["jon"].update(role="boss"),
        lambda g: g.nodes["jon"].pop("role"),
        lambda g: g.edges[PATIENT, "jon"].__setitem__("conflict", False),
        lambda g: g.edges["jon", "ana"].clear(),
        lambda g: g.graph.__setitem__("case", "other"),
        lambda g: setattr(g, "name", "renamed"),
    ],
)
def test_graph_cannot_be_changed(change: object) -> None:
    """The public API: callers may read the graph "but not change" it; nodes, edges or data."""
    inventory = _case().inventory
    before = nx.node_link_data(inventory.graph, edges="edges")
    with pytest.raises(IptError, match="read-only"):
        change(inventory.graph)  # type: ignore[operator]
    assert nx.node_link_data(inventory.graph, edges="edges") == before
    assert nx.is_frozen(inventory.graph)


def test_copies_of_the_graph_can_be_changed() -> None:
    """A copy is the documented way to change the graph; the inventory's own stays as it was."""
    inventory = _case().inventory
    for other in (
        inventory.graph.copy(),
        nx.Graph(inventory.graph),
        inventory.graph.to_directed(),
        copy.deepcopy(inventory.graph),
    ):
        other.nodes["jon"]["role"] = "boss"
        assert inventory.graph.nodes["jon"]["role"] == "partner"
    mutable = inventory.graph.copy()
    mutable.add_edge("jon", "mum")
    assert not inventory.graph.has_edge("jon", "mum")


def test_inventory_stays_read_only_through_pickle_and_copies_of_the_case() -> None:
    """A case crosses process boundaries (process pools) with its cached inventory intact."""
    case = _case()
    inventory = case.inventory
    for other in (pickle.loads(pickle.dumps(case)), copy.deepcopy(case), copy.copy(case)):
        assert other == case
        assert other.inventory == inventory
        with pytest.raises(IptError, match="read-only"):
            other.inventory.graph.nodes["jon"]["role"] = "boss"
        with pytest.raises(IptError, match="read-only"):
            other.inventory.graph.add_node("x")
    graph = pickle.loads(pickle.dumps(inventory.graph))
    assert nx.utils.graphs_equal(graph, inventory.graph)
    with pytest.raises(IptError, match="read-only"):
        graph.nodes["jon"]["role"] = "boss"


def test_changed_inventory_comes_from_an_evolved_case() -> None:
    """ "building a changed inventory is attrs.evolve on the case"."""
    case = _case()
    moved = attrs.evolve(case, people=(attrs.evolve(case.people[0], closeness=3), *case.people[1:]))
    assert [p.id for p in moved.inventory.ring(3)] == ["jon"]
    assert [p.id for p in case.inventory.ring(3)] == []


def test_inventory_is_cached_and_compares_by_case() -> None:
    case = _case()
    assert case.inventory is case.inventory
    assert Inventory.from_case(case) == case.inventory
    assert hash(Inventory.from_case(case)) == hash(case.inventory)


def test_inventory_of_something_else_is_refused() -> None:
    with pytest.raises(IptError, match=r"case: must be an iptcore\.Case"):
        Inventory.from_case({"id": "x"})  # type: ignore[arg-type]


# -- queries ---------------------------------------------------------------------------------------


def test_people_and_get() -> None:
    inventory = _case().inventory
    assert [p.id for p in inventory.people] == ["jon", "ana", "mum", "patient"]
    assert len(inventory) == 4
    assert inventory.get("ana") == _case().people[1]
    assert inventory.get("nobody") is None
    assert "ana" in inventory
    assert PATIENT not in inventory
    assert 3 not in inventory


def test_rings() -> None:
    """The closeness circle has four rings, 1 the innermost ([MUFSON2004; DIETZ2015]; the case format)."""
    inventory = _case().inventory
    assert [[p.id for p in inventory.ring(n)] for n in RINGS] == [
        ["jon", "mum"],
        ["ana"],
        [],
        ["patient"],
    ]


@pytest.mark.parametrize("n", [0, 5, -1, True, 1.0, "1", None])
def test_ring_outside_1_to_4_is_refused_naming_n(n: object) -> None:
    with pytest.raises(IptError, match=rf"ring: must be 1, 2, 3 or 4 .*got {n!r}"):
        _case().inventory.ring(n)  # type: ignore[arg-type]


def test_confidants_disputes_losses() -> None:
    """confidants, people in (open) dispute, people lost (deaths)."""
    inventory = _case().inventory
    assert [p.id for p in inventory.confidants()] == ["ana"]
    assert [p.id for p in inventory.in_dispute()] == ["jon"]  # the ended dispute is not open
    assert [p.id for p in inventory.lost()] == ["mum"]
    assert inventory.died("mum") == date(2025, 10, 3)
    assert inventory.died("ana") is None


def test_in_touch_counts_daily_weekly_monthly_and_only_the_living() -> None:
    """The case format default rule 4: "in touch daily, weekly or monthly"."""
    case = _case()
    inventory = case.inventory
    assert [p.id for p in inventory.in_touch()] == ["jon", "ana"]
    assert [p.id for p in inventory.in_touch("daily")] == ["jon"]
    assert [p.id for p in inventory.in_touch(Contact.RARELY)] == ["jon", "ana", "patient"]
    died = attrs.evolve(case, events=(Event(date=date(2026, 1, 1), kind="death", person="jon"),))
    assert [p.id for p in died.inventory.in_touch()] == ["ana"]
    with pytest.raises(IptError, match="at_least: must be one of daily"):
        inventory.in_touch("hourly")


def test_summary_counts_the_support_network() -> None:
    """counts per ring and the share of the inner rings (1-2) in conflict."""
    s = _case().inventory.summary()
    assert s == {
        "people": 4,
        "rings": {"1": 2, "2": 1, "3": 0, "4": 1},
        "inner": 3,
        "inner_in_dispute": 1,
        "inner_dispute_share": pytest.approx(1 / 3),
        "inner_in_touch": 2,
        "confidants": 1,
        "in_touch": 2,
        "in_dispute": 1,
        "lost": 1,
        "ties": {"close": 1, "conflict": 1},
    }
    json.dumps(s)


def test_summary_reads_the_rule_set_it_is_given() -> None:
    """The summary counts with the rule set's close rings and contact words, not fixed copies of
    the defaults: with rings 1-3 and weekly-or-more contact, the counts follow."""
    from iptcore import DEFAULT_RULES

    wide = DEFAULT_RULES.evolve(close_rings={1, 2, 3}, attachment_contacts=("daily", "weekly"))
    case = Case(
        id="fictional-rings",
        assessed=ASSESSED,
        onset=ASSESSED,
        people=(
            Person(id="a", role="friend", closeness=1, contact="monthly"),
            Person(id="b", role="friend", closeness=3, contact="weekly"),
        ),
    )
    default, widened = case.inventory.summary(), case.inventory.summary(rules=wide)
    assert (default["inner"], default["inner_in_touch"], default["in_touch"]) == (1, 1, 2)
    assert (widened["inner"], widened["inner_in_touch"], widened["in_touch"]) == (2, 1, 1)
    with pytest.raises(IptError, match=r"rules: must be an iptcore\.RuleSet"):
        case.inventory.summary(rules="default")  # type: ignore[arg-type]


def test_summary_and_the_deficits_rule_agree_a_dead_parent_is_not_in_touch() -> None:
    """One helper decides "in touch" for the rules and the inventory: a ring-1 parent whose death
    is recorded, contact still daily, is not in touch in either."""
    from iptcore import classify

    case = Case(
        id="fictional-dead-parent",
        assessed=ASSESSED,
        onset=ASSESSED,
        people=(
            Person(id="mum", role="parent", closeness=1, contact="daily"),
            Person(id="dad", role="parent", closeness=1, contact="daily"),
        ),
        events=(Event(date=date(2015, 1, 1), kind="death", person="dad", mourning="resolved"),),
    )
    assert case.inventory.summary()["inner_in_touch"] == 1
    (finding,) = classify(case).candidates
    assert finding.evidence.people == ("mum",)


def test_summary_of_an_empty_inventory() -> None:
    s = Case(id="empty", assessed=ASSESSED, onset=ASSESSED).inventory.summary()
    assert s["inner"] == 0
    assert s["inner_dispute_share"] is None
    assert s["rings"] == {"1": 0, "2": 0, "3": 0, "4": 0}


def test_describe_shows_every_ring_in_order() -> None:
    """The closeness circle: "Empty rings still show" [MUFSON2004; DIETZ2015]."""
    text = _case().inventory.describe()
    lines = text.splitlines()
    rings = [line for line in lines if line.startswith("Ring ")]
    assert [r.split(":")[0] for r in rings] == [
        "Ring 1 (innermost)",
        "Ring 2",
        "Ring 3",
        "Ring 4 (outermost)",
    ]
    assert "Ring 3: (empty)" in lines
    assert (
        "  - Jon [jon]: partner, in touch daily, dispute since 2025-09-20 (impasse, open)" in lines
    )
    assert "died 2025-10-03" in text
    assert "Tie: Jon [jon] and ana: close" in lines
    assert lines[-1].startswith("Support: 3 on rings 1-2 (2 in touch, 1 in open dispute: 33%)")


def test_to_dict_is_json_ready() -> None:
    data = _case().inventory.to_dict()
    assert json.loads(json.dumps(data)) == data
    jon = data["people"][0]
    assert jon["dispute"] == {
        "since": "2025-09-20",
        "stage": "impasse",
        "expectations": "nonreciprocal",
        "conflict": "overt",
    }
    assert data["people"][2]["died"] == "2025-10-03"
    assert data["ties"] == [
        {"between": ["jon", "ana"], "kind": "close"},
        {"between": ["ana", "jon"], "kind": "conflict"},
    ]


# -- properties ------------------------------------------------------------------------------------


@given(cases())
def test_graph_mirrors_the_case(case: Case) -> None:
    """For every valid case: one node per person plus the patient, a star of relationships, the
    ties, and the rings partition the people."""
    inventory = case.inventory
    g = inventory.graph
    assert g.number_of_nodes() == len(case.people) + 1
    assert all(g.edges[PATIENT, p.id]["closeness"] == p.closeness for p in case.people)
    pairs = {frozenset(t.between) for t in case.ties}
    assert g.number_of_edges() == len(case.people) + len(pairs)
    assert sorted(p.id for n in RINGS for p in inventory.ring(n)) == sorted(
        p.id for p in case.people
    )
    s = inventory.summary()
    assert sum(s["rings"].values()) == len(case.people)
    assert s["inner_in_dispute"] <= s["inner"]
    assert len(inventory.describe().splitlines()) >= 6
    json.dumps(inventory.to_dict())


def test_import_iptcore_does_not_import_networkx() -> None:
    """networkx only in the inventory and the pictures: `import iptcore` stays light."""
    code = "import sys, iptcore; iptcore.Case; print('networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- whole outputs, word for word (from the surviving mutants) ---------------------------------------


def _four_people() -> Case:
    """A fictional case of four people: an ex-partner in an open dispute with no stage assessed, a
    confidant friend whose dispute ended, a mother who died, a coworker on ring 4; a separation
    naming the ex-partner comes before the death in the timeline."""
    return Case(
        id="fict-inv",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        patient=Patient(name="Lea (fictional)", born=1990, pronouns="she/her"),
        people=(
            Person(
                id="jon",
                name="Jon",
                role="ex_partner",
                closeness=1,
                contact="weekly",
                knows_about_depression=True,
                satisfying=("walks",),
                wants_changed=("fewer calls",),
                dispute=Dispute(since=date(2025, 6, 1)),
            ),
            Person(
                id="ana",
                role="friend",
                closeness=1,
                contact="daily",
                confidant=True,
                knows_about_depression=False,
                dispute=Dispute(
                    since=date(2025, 2, 1),
                    stage="renegotiation",
                    ended=date(2025, 11, 1),
                    expectations="reciprocal",
                    conflict="covert",
                ),
            ),
            Person(id="mum", name="Mary", role="parent", closeness=2, contact="monthly"),
            Person(id="kim", role="coworker", closeness=4),
        ),
        ties=(
            Tie(between=("jon", "ana"), kind="close"),
            Tie(between=("ana", "kim"), kind="conflict"),
        ),
        events=(
            Event(date=date(2025, 5, 1), kind="separation", person="jon"),
            Event(date=date(2025, 10, 3), kind="death", person="mum"),
        ),
    )


def _pair() -> Case:
    """A fictional case of two confidants on ring 2 with one conflict tie and no dispute."""
    return Case(
        id="fict-pair",
        assessed=ASSESSED,
        onset=ASSESSED,
        people=(
            Person(id="sam", role="sibling", closeness=2, contact="rarely", confidant=True),
            Person(id="eve", role="friend", closeness=2, confidant=True),
        ),
        ties=(Tie(between=("sam", "eve"), kind="conflict"),),
    )


def _one() -> Case:
    """A fictional case of one person on ring 3, no tie, nobody on the inner rings."""
    return Case(
        id="fict-one",
        assessed=ASSESSED,
        onset=ASSESSED,
        people=(Person(id="tom", name="Tom", role="neighbour", closeness=3),),
    )


def test_describe_of_four_people_word_for_word() -> None:
    """describe: the head counts people and ties, each ring of the closeness circle in order with
    its people and their facts (a ring of one on its own line, of more as a list), the ties, the
    support summary [MUFSON2004; DIETZ2015]. Role words read with spaces (ex_partner: "ex
    partner"); a dispute without a stage says "stage not assessed", an ended one its end date; only
    a ``death`` event makes a person lost, whatever other events say of them, and in whatever order
    the events come."""
    assert _four_people().inventory.describe() == "\n".join(
        [
            "Interpersonal inventory of case fict-inv: 4 people, 2 ties",
            "Ring 1 (innermost):",
            (
                "  - Jon [jon]: ex partner, in touch weekly, "
                "dispute since 2025-06-01 (stage not assessed, open)"
            ),
            (
                "  - ana: friend, in touch daily, confidant, "
                "dispute since 2025-02-01 (renegotiation, ended 2025-11-01)"
            ),
            "Ring 2: Mary [mum]: parent, in touch monthly, died 2025-10-03",
            "Ring 3: (empty)",
            "Ring 4 (outermost): kim: coworker",
            "Tie: Jon [jon] and ana: close",
            "Tie: ana and kim: conflict",
            "Support: 3 on rings 1-2 (2 in touch, 1 in open dispute: 33%); 1 confidant; 1 lost",
        ]
    )


def test_describe_of_two_confidants_and_one_tie_word_for_word() -> None:
    """describe: "2 people", "1 tie", "2 confidants"; inner rings with no open dispute show 0%
    [MUFSON2004; DIETZ2015]."""
    assert _pair().inventory.describe() == "\n".join(
        [
            "Interpersonal inventory of case fict-pair: 2 people, 1 tie",
            "Ring 1 (innermost): (empty)",
            "Ring 2:",
            "  - sam: sibling, in touch rarely, confidant",
            "  - eve: friend, confidant",
            "Ring 3: (empty)",
            "Ring 4 (outermost): (empty)",
            "Tie: sam and eve: conflict",
            "Support: 2 on rings 1-2 (0 in touch, 0 in open dispute: 0%); 2 confidants; 0 lost",
        ]
    )


def test_describe_of_one_person_and_no_tie_word_for_word() -> None:
    """describe: "1 person", "0 ties", "0 confidants"; empty inner rings (no share to take) show
    0% [MUFSON2004; DIETZ2015]."""
    assert _one().inventory.describe() == "\n".join(
        [
            "Interpersonal inventory of case fict-one: 1 person, 0 ties",
            "Ring 1 (innermost): (empty)",
            "Ring 2: (empty)",
            "Ring 3: Tom [tom]: neighbour",
            "Ring 4 (outermost): (empty)",
            "Support: 0 on rings 1-2 (0 in touch, 0 in open dispute: 0%); 0 confidants; 0 lost",
        ]
    )


def test_to_dict_of_four_people_whole() -> None:
    """to_dict: per person id, role, closeness, the given fields only (name, contact, confidant,
    knows_about_depression), in_dispute (open), the dispute with its effective expectations and
    conflict, deceased and the date died; the ties; the summary [COMP]."""
    assert _four_people().inventory.to_dict() == {
        "case_id": "fict-inv",
        "people": [
            {
                "id": "jon",
                "role": "ex_partner",
                "closeness": 1,
                "name": "Jon",
                "contact": "weekly",
                "knows_about_depression": True,
                "in_dispute": True,
                "dispute": {
                    "since": "2025-06-01",
                    "expectations": "nonreciprocal",
                    "conflict": "overt",
                },
                "deceased": False,
            },
            {
                "id": "ana",
                "role": "friend",
                "closeness": 1,
                "contact": "daily",
                "confidant": True,
                "knows_about_depression": False,
                "in_dispute": False,
                "dispute": {
                    "since": "2025-02-01",
                    "ended": "2025-11-01",
                    "stage": "renegotiation",
                    "expectations": "reciprocal",
                    "conflict": "covert",
                },
                "deceased": False,
            },
            {
                "id": "mum",
                "role": "parent",
                "closeness": 2,
                "name": "Mary",
                "contact": "monthly",
                "in_dispute": False,
                "deceased": True,
                "died": "2025-10-03",
            },
            {
                "id": "kim",
                "role": "coworker",
                "closeness": 4,
                "in_dispute": False,
                "deceased": False,
            },
        ],
        "ties": [
            {"between": ["jon", "ana"], "kind": "close"},
            {"between": ["ana", "kim"], "kind": "conflict"},
        ],
        "summary": {
            "people": 4,
            "rings": {"1": 2, "2": 1, "3": 0, "4": 1},
            "inner": 3,
            "inner_in_dispute": 1,
            "inner_dispute_share": pytest.approx(1 / 3),
            "inner_in_touch": 2,
            "confidants": 1,
            "in_touch": 2,
            "in_dispute": 1,
            "lost": 1,
            "ties": {"close": 1, "conflict": 1},
        },
    }


def test_summary_counts_each_kind_of_tie() -> None:
    """summary ``ties``: {"close": n, "conflict": n}, each kind counted apart."""
    assert _pair().inventory.summary()["ties"] == {"close": 0, "conflict": 1}
    assert _four_people().inventory.summary()["ties"] == {"close": 1, "conflict": 1}


def test_graph_attributes_whole() -> None:
    """Inventory.from_case: the graph's own attributes (case id, assessed), the patient node (name,
    born, pronouns), a person node with every given field, a relationship edge with contact,
    dispute and the inventory notes, and a tie of one kind whose other kind is False [COMP]."""
    case = _four_people()
    g = case.inventory.graph
    assert g.graph == {"case": "fict-inv", "assessed": ASSESSED}
    assert g.nodes[PATIENT] == {
        "kind": "patient",
        "name": "Lea (fictional)",
        "born": 1990,
        "pronouns": "she/her",
    }
    assert g.nodes["jon"] == {
        "kind": "person",
        "role": "ex_partner",
        "closeness": 1,
        "deceased": False,
        "name": "Jon",
        "contact": Contact.WEEKLY,
        "knows_about_depression": True,
    }
    assert g.nodes["ana"]["knows_about_depression"] is False
    assert g.edges[PATIENT, "jon"] == {
        "kind": "relationship",
        "closeness": 1,
        "conflict": True,
        "contact": Contact.WEEKLY,
        "dispute": Dispute(since=date(2025, 6, 1)),
        "satisfying": ("walks",),
        "wants_changed": ("fewer calls",),
    }
    assert g.edges[PATIENT, "kim"] == {"kind": "relationship", "closeness": 4, "conflict": False}
    assert g.edges["jon", "ana"] == {"kind": "tie", "close": True, "conflict": False}
    assert g.edges["ana", "kim"] == {"kind": "tie", "close": False, "conflict": True}
    assert nx.get_node_attributes(g, "died") == {"mum": date(2025, 10, 3)}


def test_only_a_death_event_makes_a_person_lost() -> None:
    """lost/died: "the people who died: those a ``death`` event of the timeline names"; another
    event naming a person (a separation) does not, and does not hide a death listed after it."""
    inventory = _four_people().inventory
    assert [p.id for p in inventory.lost()] == ["mum"]
    assert inventory.died("jon") is None
    assert inventory.died("mum") == date(2025, 10, 3)


def test_iterating_the_inventory_gives_the_people_in_case_order() -> None:
    """Inventory.__iter__: the people, in the case's order."""
    assert [p.id for p in _four_people().inventory] == ["jon", "ana", "mum", "kim"]


def test_in_touch_refusal_lists_every_contact_frequency() -> None:
    """in_touch: at_least must be a contact frequency; the message lists them all, most frequent
    first (the case format: contact)."""
    with pytest.raises(IptError) as info:
        _pair().inventory.in_touch("hourly")
    assert str(info.value) == (
        "at_least: must be one of daily, weekly, monthly, rarely, never, got 'hourly'"
    )


def test_copies_of_graph_data_are_plain_dicts_and_deep_copies_keep_sharing() -> None:
    """A copy of a node's data is a plain dict that may change; a deep copy of the graph keeps
    what the graph shares shared (copy.deepcopy's memo): two fictional people given one Dispute
    value still share one copy of it."""
    g = _four_people().inventory.graph
    node = copy.copy(g.nodes["jon"])
    assert type(node) is dict
    assert node == dict(g.nodes["jon"])
    node["role"] = "boss"
    assert g.nodes["jon"]["role"] == "ex_partner"
    shared = Dispute(since=date(2025, 6, 1))
    case = Case(
        id="fict-shared",
        assessed=ASSESSED,
        onset=ASSESSED,
        people=(
            Person(id="a", role="friend", closeness=1, dispute=shared),
            Person(id="b", role="friend", closeness=2, dispute=shared),
        ),
    )
    deep = copy.deepcopy(case.inventory.graph)
    assert deep.edges[PATIENT, "a"]["dispute"] == shared
    assert deep.edges[PATIENT, "a"]["dispute"] is deep.edges[PATIENT, "b"]["dispute"]


@pytest.mark.parametrize(
    ("call", "redacted"),
    [
        (
            lambda inv: inv.ring(5),
            "ring: must be 1, 2, 3 or 4 (1 = innermost), got an integer",
        ),
        (
            lambda inv: inv.in_touch("hourly"),
            "at_least: must be one of daily, weekly, monthly, rarely, never, got a string",
        ),
    ],
)
def test_an_inventory_refusal_has_a_redacted_form(
    call: Callable[[Inventory], object], redacted: str
) -> None:
    """Errors have a redacted form for logs: paths and rules, nothing from the input; a refused
    argument is told by its kind, never quoted."""
    with pytest.raises(IptError) as info:
        call(_one().inventory)
    assert info.value.redacted_message == redacted
