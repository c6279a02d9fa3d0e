"""Tests that kill the mutants that survived in case.py, the frozen case model.

The module's own tests check which cases are valid; the mutation run showed that the words of the
cross-field rules' errors, the field helpers that run only when the module is imported, and a few
pass-throughs were left open. Each test names the rule of the case format it pins down.
``mutation/README.md`` has the run and the mutants left on purpose.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest

from iptcore import Case, CaseError, Dispute, Event, Measure, Patient, Person, Tie, load_case
from iptcore import case as model
from iptcore._fields import Kind
from iptcore.draw import timeline_svg

ASSESSED = date(2026, 3, 2)


def _problems(build: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(CaseError) as info:
        build(**kwargs)
    return [str(p) for p in info.value.problems]


# -- the field helpers (they run when the module is imported; called here so a test maps to them)


def test_field_helpers_declare_kind_model_default_and_converter() -> None:
    """Each field of the model names its kind or model class (case.py), from which load_case,
    the Python constructors and the schema read the same rules."""
    texts = Kind(name="strs")

    @attrs.frozen(kw_only=True)
    class Probe:
        required: Any = model._leaf(texts)
        optional: Any = model._leaf(texts, optional=True, default=())
        nothing: Any = model._leaf(texts, optional=True)
        many: Any = model._many(model.Person)
        one: Any = model._one("Dispute")

    fields = attrs.fields(Probe)
    assert fields.required.default is attrs.NOTHING
    assert fields.optional.default == ()
    assert fields.nothing.default is None
    assert fields.required.metadata == {"kind": texts}
    assert fields.optional.metadata == {"kind": texts}
    assert fields.many.metadata == {"model": "Person", "many": True}
    assert fields.many.default == ()
    assert fields.one.metadata == {"model": "Dispute", "many": False}
    assert fields.one.default is None
    probe = Probe(required=["a"], optional=["b"], many=[1])
    assert (probe.required, probe.optional, probe.many) == (("a",), ("b",), (1,))
    assert model._enum(model.Contact) == Kind(name="enum", enum=model.Contact)
    assert model._to_tuple([1]) == (1,)
    assert model._to_tuple((1,)) == (1,)
    assert model._to_tuple("ab") == "ab"


# -- the rules of each model class, in words --------------------------------------------------------


def test_a_field_of_the_wrong_type_is_named() -> None:
    """The public API: the model's classes "can be built directly in Python with the same checks
    as load_case"."""
    assert _problems(Person, id="a", role="friend", closeness="1") == [
        "closeness: must be a whole number (a JSON integer), got '1'"
    ]
    assert _problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=[5]) == [
        "people[0]: must be a Person, got int"
    ]
    assert _problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=5) == [
        "people: must be a list of Person"
    ]
    assert _problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, patient="Maya") == [
        "patient: must be a Patient, got str"
    ]
    assert _problems(Person, id="a", role="friend", closeness=1, dispute=date(2025, 1, 1)) == [
        "dispute: must be a Dispute, got date"
    ]


def test_every_broken_field_is_reported_not_only_the_first() -> None:
    """The public API: CaseError.problems lists "every problem found (not only the first)"."""
    assert _problems(
        Case, id="c d", assessed="2026-02-30", onset=ASSESSED, people=[5, 6], events=7
    ) == [
        "id: must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', got 'c d'",
        "assessed: '2026-02-30' is not a real calendar date",
        "people[0]: must be a Person, got int",
        "people[1]: must be a Person, got int",
        "events: must be a list of Event",
    ]


def test_a_broken_list_or_model_does_not_hide_the_fields_after_it() -> None:
    """The public API: every problem found, not only the first."""
    assert _problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=5, events=7) == [
        "people: must be a list of Person",
        "events: must be a list of Event",
    ]
    assert _problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, patient="x", people=5) == [
        "patient: must be a Patient, got str",
        "people: must be a list of Person",
    ]


def test_a_dispute_does_not_end_before_it_began() -> None:
    """the case format, Dispute: "ended (date, optional, not before since)"."""
    assert _problems(Dispute, since=date(2025, 5, 2), ended=date(2025, 5, 1)) == [
        "ended: is 2025-05-01, before since (2025-05-02)"
    ]
    assert Dispute(since=date(2025, 5, 2), ended=date(2025, 5, 2)).ended == date(2025, 5, 2)


def test_a_tie_names_two_different_people_by_id() -> None:
    """the case format, Tie: "between (two different person ids)"."""
    assert _problems(Tie, between=("a", "a b", "c"), kind="close") == [
        "between[1]: must be a person id, got 'a b'",
        "between: must name exactly two people, got 3",
    ]
    assert _problems(Tie, between=("a", "a"), kind="close") == [
        "between: must name two different people, not one twice"
    ]


def test_an_event_has_what_its_kind_needs() -> None:
    """the case format, Event: person "with death", mourning "only with death", description
    "with other_change"."""
    day = date(2025, 5, 1)
    assert _problems(Event, date=day, kind="death") == [
        "person: is required for a death: who died?"
    ]
    assert _problems(Event, date=day, kind="illness", mourning="ongoing") == [
        "mourning: is allowed only on a death, not on illness"
    ]
    assert _problems(Event, date=day, kind="other_change") == [
        "description: is required for other_change: what changed?"
    ]


def test_a_measure_has_its_instruments_items_in_range() -> None:
    """the case format, Measure: "exactly the instrument's item count, each in that item's range"
    (PHQ-9: 9 items scored 0-3, Kroenke et al. 2001)."""
    day = date(2026, 3, 2)
    assert _problems(Measure, date=day, instrument="phq9", items=(0,) * 8) == [
        "items: phq9 has 9 items, got 8"
    ]
    assert _problems(Measure, date=day, instrument="phq9", items=(4, 0, 0, 0, 0, 0, 0, 0, -1)) == [
        "items[0]: item 1 of phq9 is scored 0-3, got 4",
        "items[8]: item 9 of phq9 is scored 0-3, got -1",
    ]


def test_the_case_rules_are_reported_at_their_paths() -> None:
    """The case format: onset not after assessed; no date after assessed; born 1900..assessed year;
    ids unique (at the repeat); references that resolve."""
    late = date(2026, 3, 3)
    case = {"id": "c", "assessed": ASSESSED, "onset": late, "patient": Patient(born=2027)}
    people = (
        Person(
            id="a", role="friend", closeness=1, dispute=Dispute(since=date(2026, 1, 1), ended=late)
        ),
        Person(id="a", role="friend", closeness=2),
    )
    assert _problems(
        Case,
        **case,
        people=people,
        ties=(Tie(between=("a", "zz"), kind="close"), Tie(between=("yy", "xx"), kind="close")),
        events=(Event(date=late, kind="death", person="nobody"),),
        measures=(Measure(date=late, instrument="gad7", items=(0,) * 7),),
    ) == [
        "onset: is 2026-03-03, after assessed (2026-03-02)",
        "patient.born: is 2027, after the year of assessed (2026)",
        "people[0].dispute.ended: is 2026-03-03, after assessed (2026-03-02)",
        "events[0].date: is 2026-03-03, after assessed (2026-03-02)",
        "measures[0].date: is 2026-03-03, after assessed (2026-03-02)",
        "people[1].id: repeats the id 'a' of another person",
        "events[0].person: names nobody: no person 'nobody'",
        "ties[0]: names nobody: no person 'zz'",
        "ties[1]: names nobody: no person 'yy', 'xx'",
    ]


def test_a_broken_id_does_not_hide_a_repeat_after_it() -> None:
    """Every problem is found: a person whose id cannot be read does not stop the uniqueness
    check of the people after it (the case format: "people[4].id for a repeated id")."""
    person = {"role": "friend", "closeness": 1}
    doc = {
        "format": "iptcore.case/1",
        "id": "c",
        "assessed": "2026-03-02",
        "onset": "2026-01-01",
        "people": [{**person, "id": 5}, {**person, "id": "a"}, {**person, "id": "a"}],
    }
    with pytest.raises(CaseError) as info:
        load_case(doc)
    assert [p.path for p in info.value.problems] == ["people[0].id", "people[2].id"]


def test_checked_values_become_tuples() -> None:
    """load_case builds checked values once (case.py, _from_checked): lists of models become
    tuples, other lists are left to their fields' own converters."""
    built = model.Case._from_checked(
        {"id": "c", "assessed": ASSESSED, "onset": ASSESSED, "people": [], "ties": []}
    )
    assert built.people == ()
    assert built.ties == ()
    person = model.Person._from_checked(
        {"id": "a", "role": model.Role.FRIEND, "closeness": 1, "satisfying": ["x"]}
    )
    assert person.satisfying == ["x"]  # not a model list: left as given


def test_case_methods_pass_their_options_through() -> None:
    case = Case(
        id="c",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        people=(Person(id="p", role="friend", closeness=1, satisfying=("x",)),),
    )
    assert case.deidentify(seed=1, notes="mark").people[0].satisfying == ("(removed)",)
    with pytest.raises(KeyError) as info:
        case.person("nobody")
    assert info.value.args == ("nobody",)
    assert case.person("p").id == "p"


def test_timeline_svg_passes_the_classification_and_options() -> None:
    from iptcore import classify

    case = Case(
        id="c",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        events=(Event(date=date(2025, 11, 1), kind="job_loss"),),
    )
    plain = timeline_svg(case)
    marked = timeline_svg(case, classify(case))
    assert plain != marked
    assert timeline_svg(case, classify(case)) == marked
    assert "width='640.0'" in timeline_svg(case, None, width=640)
    assert "width='640.0'" not in plain


def test_every_kind_but_death_is_a_life_change() -> None:
    """The case format: "Event kinds: death (grief) and the life changes ..." [GUIDE: "Only a death
    counts: other losses are role transitions"]."""
    assert not model.EventKind.DEATH.is_life_change
    assert all(k.is_life_change for k in model.EventKind if k is not model.EventKind.DEATH)


def test_a_tie_rule_without_between_has_nothing_to_say() -> None:
    """The loader calls each class's rules with the fields valid by themselves; a tie whose
    between could not be read is reported at that field, not again by the rule."""
    assert model.Tie.rules({}) == []


def test_problems_move_under_their_container() -> None:
    """A problem of the document as a whole, seen from a containing field, is at that field."""
    from iptcore.errors import Problem

    assert Problem(path="", message="m").within("people[0]").path == "people[0]"
    assert Problem(path="[1]", message="m").within("ties").path == "ties[1]"
    with pytest.raises(ValueError, match="CaseError needs at least one problem"):
        CaseError([])
