"""The case model: every rule of the case format, checked when a case is built in Python."""

from __future__ import annotations

import inspect
from datetime import date, datetime
from typing import Any

import attrs
import pytest

from iptcore import (
    Case,
    CaseError,
    Dispute,
    Event,
    EventKind,
    Measure,
    Mourning,
    Patient,
    Person,
    Role,
    Tie,
    dump_case,
    load_case,
)
from iptcore.draw import timeline_svg

ASSESSED = date(2026, 3, 2)


def paths(excinfo: pytest.ExceptionInfo[CaseError]) -> list[str]:
    return [p.path for p in excinfo.value.problems]


def problems(build: Any, **kwargs: Any) -> list[str]:
    """The problems, ``path: message``, of building ``build(**kwargs)``."""
    with pytest.raises(CaseError) as excinfo:
        build(**kwargs)
    return [str(p) for p in excinfo.value.problems]


def base(**changes: object) -> Case:
    fields: dict[str, object] = {
        "id": "fictional-1",
        "assessed": ASSESSED,
        "onset": date(2025, 12, 1),
        "people": (Person(id="ana", role=Role.SPOUSE, closeness=1),),
    }
    fields.update(changes)
    return Case(**fields)  # type: ignore[arg-type]


def test_strings_become_enums_and_lists_become_tuples() -> None:
    """Enums are StrEnums with the case-file words (the public API)."""
    person = Person(id="a", role="friend", closeness=2, satisfying=["walks"])  # type: ignore[arg-type]
    assert person.role is Role.FRIEND
    assert person.role == "friend"
    assert person.satisfying == ("walks",)


def test_every_problem_of_an_object_is_listed() -> None:
    """CaseError lists every problem found, not only the first (the public API)."""
    with pytest.raises(CaseError) as excinfo:
        Person(id="bad id", role="pal", closeness=9)  # type: ignore[arg-type]
    assert paths(excinfo) == ["id", "role", "closeness"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("a", True),
        ("A.b_c-9", True),
        ("x" * 64, True),
        ("", False),
        ("x" * 65, False),
        ("a b", False),
        ("é", False),
        (7, False),
    ],
)
def test_id_rule(value: object, ok: bool) -> None:
    """id: 1-64 characters of ASCII letters, digits, '.', '_', '-' (the case format)."""
    if ok:
        assert Person(id=value, role="friend", closeness=1).id == value  # type: ignore[arg-type]
    else:
        with pytest.raises(CaseError, match="id"):
            Person(id=value, role="friend", closeness=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("closeness", [0, 5, True, 1.0, "1"])
def test_closeness_is_an_integer_from_1_to_4(closeness: object) -> None:
    """closeness: integer 1-4; 1.0, "1" and true are refused (the case format)."""
    with pytest.raises(CaseError) as excinfo:
        Person(id="a", role="friend", closeness=closeness)  # type: ignore[arg-type]
    assert paths(excinfo) == ["closeness"]


def test_onset_not_after_assessed() -> None:
    """onset: not after assessed (the case format)."""
    with pytest.raises(CaseError) as excinfo:
        base(onset=date(2026, 3, 3))
    assert paths(excinfo) == ["onset"]
    assert base(onset=ASSESSED).onset == ASSESSED


def test_no_date_after_assessed() -> None:
    """No date in a case lies after assessed (the case format)."""
    late = date(2026, 3, 3)
    with pytest.raises(CaseError) as excinfo:
        base(
            people=(Person(id="ana", role="spouse", closeness=1, dispute=Dispute(since=late)),),
            events=(Event(date=late, kind="job_loss"),),
            measures=(Measure(date=late, instrument="gad7", items=(0,) * 7),),
        )
    assert paths(excinfo) == ["people[0].dispute.since", "events[0].date", "measures[0].date"]


def test_dispute_ended_not_before_since() -> None:
    """Dispute: ended, optional, not before since (the case format)."""
    assert problems(Dispute, since=date(2025, 5, 2), ended=date(2025, 5, 1)) == [
        "ended: is 2025-05-01, before since (2025-05-02)"
    ]
    same_day = Dispute(since=date(2025, 5, 2), ended=date(2025, 5, 2))
    assert same_day.ended == same_day.since


def test_dispute_defaults_are_read_not_written() -> None:
    """expectations defaults to nonreciprocal, conflict to overt (the case format)."""
    dispute = Dispute(since=date(2025, 5, 2))
    assert dispute.expectations is None
    assert dispute.effective_expectations == "nonreciprocal"
    assert dispute.effective_conflict == "overt"


def test_person_ids_unique() -> None:
    """people: ids unique; the repeat is reported at people[i].id (the case format)."""
    with pytest.raises(CaseError) as excinfo:
        base(people=(Person(id="a", role="friend", closeness=1),) * 2)
    assert paths(excinfo) == ["people[1].id"]


def test_event_person_must_resolve() -> None:
    """events[2].person for an id that names nobody (the case format)."""
    with pytest.raises(CaseError) as excinfo:
        base(events=(Event(date=date(2025, 1, 1), kind="death", person="zed"),))
    assert paths(excinfo) == ["events[0].person"]


def test_tie_must_resolve_and_name_two_people() -> None:
    """Tie: between two different person ids; ties[0] for an id that names nobody."""
    with pytest.raises(CaseError) as excinfo:
        base(ties=(Tie(between=("ana", "zed"), kind="close"),))
    assert paths(excinfo) == ["ties[0]"]
    assert problems(Tie, between=("ana", "ana"), kind="close") == [
        "between: must name two different people, not one twice"
    ]
    assert problems(Tie, between=("ana",), kind="close") == [
        "between: must name exactly two people, got 1"
    ]
    assert problems(Tie, between=("a", "a b", "c"), kind="close") == [
        "between[1]: must be a person id, got 'a b'",
        "between: must name exactly two people, got 3",
    ]


def test_a_tie_whose_between_is_unreadable_is_reported_once() -> None:
    """A ``between`` that is not a list of ids is reported at that field, not again by the rule
    that it names two people."""
    assert problems(Tie, between=5, kind="close") == ["between: must be a tuple, got 5"]


def test_death_needs_a_person_and_only_deaths_have_mourning() -> None:
    """person: required with death; mourning: only with death (the case format: Event)."""
    assert problems(Event, date=date(2025, 1, 1), kind="death") == [
        "person: is required for a death: who died?"
    ]
    assert problems(Event, date=date(2025, 1, 1), kind="job_loss", mourning="avoided") == [
        "mourning: is allowed only on a death, not on job_loss"
    ]
    death = Event(date=date(2025, 1, 1), kind="death", person="ana")
    assert death.mourning is None
    assert death.effective_mourning is Mourning.ONGOING
    assert Event(date=date(2025, 1, 1), kind="job_loss").effective_mourning is None


def test_other_change_needs_a_description() -> None:
    """description: required with other_change (the case format: Event)."""
    assert problems(Event, date=date(2025, 1, 1), kind=EventKind.OTHER_CHANGE) == [
        "description: is required for other_change: what changed?"
    ]


def test_every_kind_but_death_is_a_life_change() -> None:
    """The case format: "Event kinds: death (grief) and the life changes ..." ("Only a death
    counts: other losses are role transitions" [GUIDE])."""
    assert not EventKind.DEATH.is_life_change
    assert all(k.is_life_change for k in EventKind if k is not EventKind.DEATH)


@pytest.mark.parametrize(
    ("instrument", "items", "where"),
    [
        ("phq9", (0,) * 8, ["items"]),
        ("gad7", (0,) * 8, ["items"]),
        ("phq9", (4, 0, 0, 0, 0, 0, 0, 0, 0), ["items[0]"]),
        ("hamd17", (4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ["items[3]"]),
        ("hamd17", (0,) * 16 + (-1,), ["items[16]"]),
        ("phq9", (0,) * 8 + (True,), ["items[8]"]),
        ("phq9", (0,) * 8 + (1.0,), ["items[8]"]),
    ],
)
def test_measure_items(instrument: str, items: tuple[object, ...], where: list[str]) -> None:
    """Measure items: exactly the instrument's item count, each in that item's range; HAM-D-17
    items 4, 5, 6, 12, 13, 14, 16, 17 are scored 0-2 (Hamilton 1960; the case format)."""
    with pytest.raises(CaseError) as excinfo:
        Measure(date=date(2025, 1, 1), instrument=instrument, items=items)  # type: ignore[arg-type]
    assert paths(excinfo) == where


def test_missing_items_are_allowed() -> None:
    """null marks a missing item (the case format: Measure)."""
    measure = Measure(date=date(2025, 1, 1), instrument="phq9", items=(None,) + (1,) * 8)  # type: ignore[arg-type]
    assert measure.items[0] is None


def test_born_from_1900_to_assessed_year() -> None:
    """patient.born: year, integer 1900..assessed year (the case format)."""
    with pytest.raises(CaseError) as excinfo:
        Patient(born=1899)
    assert paths(excinfo) == ["born"]
    with pytest.raises(CaseError) as excinfo:
        base(patient=Patient(born=2027))
    assert paths(excinfo) == ["patient.born"]
    assert base(patient=Patient(born=2026)).patient == Patient(born=2026)


def test_children_must_be_model_objects() -> None:
    """A dict where a Person belongs is refused by name, not with an unrelated exception."""
    with pytest.raises(CaseError) as excinfo:
        base(people=({"id": "a"},))
    assert paths(excinfo) == ["people[0]"]


def test_evolve_checks_again() -> None:
    """A change makes a new value that is checked like the first (the house style: attrs.evolve)."""
    case = base()
    with pytest.raises(CaseError):
        attrs.evolve(case, onset=date(2027, 1, 1))
    later = attrs.evolve(case, onset=date(2026, 1, 1))
    assert later.onset == date(2026, 1, 1)
    assert case.onset == date(2025, 12, 1)


def test_extensions_are_read_only() -> None:
    """extensions are kept verbatim and cannot be changed in place (the case is frozen)."""
    case = base(extensions={"app": {"tags": [1, 2]}})
    assert case.extensions == {"app": {"tags": (1, 2)}}
    with pytest.raises(TypeError):
        case.extensions["x"] = 1  # type: ignore[index]
    with pytest.raises(CaseError) as excinfo:
        base(extensions={"bad": float("nan")})
    assert paths(excinfo) == ["extensions"]


def test_cases_are_hashable_values() -> None:
    """Frozen values: equal cases are equal and hash alike."""
    assert base() == base()
    assert hash(base()) == hash(base())


def test_person_lookup() -> None:
    """Case.person finds a person by id; KeyError names the id it did not find."""
    assert base().person("ana").role is Role.SPOUSE
    with pytest.raises(KeyError) as info:
        base().person("nobody")
    assert info.value.args == ("nobody",)


def test_deidentify_passes_its_options_on() -> None:
    """Case.deidentify is iptcore.deidentify with the same options (the public API)."""
    case = base(people=(Person(id="ana", role="spouse", closeness=1, satisfying=("walks",)),))
    assert case.deidentify(seed=1, notes="mark").people[0].satisfying == ("(removed)",)
    assert case.deidentify(seed=1).people[0].satisfying == ()


def test_timeline_svg_is_drawn_from_the_case() -> None:
    """iptcore.draw.timeline_svg draws the timeline as a standalone SVG."""
    import xml.etree.ElementTree as ET

    case = base(events=(Event(date=date(2025, 10, 6), kind="new_job"),))
    root = ET.fromstring(timeline_svg(case))
    assert root.tag.endswith("svg")


def test_cases_pickle_and_copy_with_extensions() -> None:
    """A case crosses process boundaries (process-pool executors) and deep-copies, extensions
    and cached inventory included."""
    import copy
    import pickle

    case = base(extensions={"app": {"tags": [1, {"x": None}]}})
    _ = case.inventory
    assert pickle.loads(pickle.dumps(case)) == case
    assert copy.deepcopy(case) == case
    assert copy.deepcopy(case).extensions == {"app": {"tags": (1, {"x": None})}}


def test_case_error_pickles_with_its_problems() -> None:
    """CaseError keeps its problems and subject across processes."""
    import pickle

    from iptcore import Problem

    error = CaseError([Problem(path="x", message="y")], subject="plan file")
    again = pickle.loads(pickle.dumps(error))
    assert again.problems == error.problems
    assert str(again) == str(error) == "invalid plan file, 1 problem: x: y"


def test_dates_are_taken_as_iso_text_as_in_the_case_file() -> None:
    """Wherever the model takes a date, ``YYYY-MM-DD`` text works as in the case file."""
    case = Case(
        id="iso",
        assessed="2026-05-04",
        onset="2026-01-10",
        people=[Person(id="p", role="friend", closeness=1, dispute=Dispute(since="2025-09-01"))],
        events=[Event(date="2025-12-01", kind="death", person="p")],
        measures=[Measure(date="2026-05-04", instrument="phq9", items=[1] * 9)],
    )
    assert (case.assessed, case.onset) == (date(2026, 5, 4), date(2026, 1, 10))
    assert case.people[0].dispute is not None
    assert case.people[0].dispute.since == date(2025, 9, 1)
    assert (case.events[0].date, case.measures[0].date) == (date(2025, 12, 1), date(2026, 5, 4))
    assert case == load_case(dump_case(case))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a real calendar date"),
        ("4 May 2026", "must be a date written YYYY-MM-DD, got '4 May 2026'"),
    ],
)
def test_a_date_text_is_refused_in_the_case_files_words(text: str, message: str) -> None:
    """The constructor and load_case refuse a bad date with one message."""
    with pytest.raises(CaseError) as built:
        Case(id="x", assessed=text, onset="2026-01-01")
    with pytest.raises(CaseError) as loaded:
        load_case({"format": "iptcore.case/1", "id": "x", "assessed": text, "onset": "2026-01-01"})
    assert [str(p) for p in built.value.problems] == [f"assessed: {message}"]
    assert [str(p) for p in loaded.value.problems] == [f"assessed: {message}"]


def test_constructor_parameters_have_their_real_types() -> None:
    """inspect.signature (and so an IDE) shows what each parameter takes, not Any."""
    import inspect
    from collections.abc import Mapping
    from typing import Any

    from iptcore.case import Contact

    person = inspect.signature(Person).parameters
    assert person["id"].annotation is str
    assert person["role"].annotation == Role | str
    assert person["closeness"].annotation is int
    assert person["contact"].annotation == Contact | str | None
    assert person["confidant"].annotation == bool | None
    assert person["satisfying"].annotation == list[str] | tuple[str, ...]
    case = inspect.signature(Case).parameters
    assert case["assessed"].annotation == date | str
    assert case["people"].annotation == list[Person] | tuple[Person, ...]
    assert case["extensions"].annotation == Mapping[str, Any] | None
    every = [
        p.annotation
        for cls in (Person, Case, Event, Measure, Tie, Dispute)
        for p in inspect.signature(cls).parameters.values()
    ]
    assert Any not in every
    assert "Any" not in every


def test_optional_fields_are_absent_and_lists_are_tuples() -> None:
    """The case format: optional fields a file leaves out are ``None`` in the model (an empty
    tuple for lists), so that what a file said comes back unchanged; the constructor requires
    the format's required fields and takes a list wherever the model holds a tuple."""
    person = Person(id="a", role="friend", closeness=1)
    assert (person.name, person.contact, person.confidant, person.dispute) == (None,) * 4
    assert (person.satisfying, person.unsatisfying, person.wants_changed) == ((), (), ())
    case = Case(id="c", assessed=ASSESSED, onset=ASSESSED)
    assert (case.patient, case.priority, case.extensions) == (None, None, None)
    assert (case.people, case.ties, case.events, case.measures) == ((), (), (), ())
    listed = Case(id="c", assessed=ASSESSED, onset=ASSESSED, people=[person])
    assert type(listed.people) is tuple
    assert listed.people == (person,)
    for cls, required in (
        (Person, ["id", "role", "closeness"]),
        (Case, ["id", "assessed", "onset"]),
    ):
        parameters = inspect.signature(cls).parameters.items()
        assert [n for n, p in parameters if p.default is inspect.Parameter.empty] == required


def test_a_field_of_the_wrong_type_is_named() -> None:
    """The public API: the model's classes "can be built directly in Python with the same checks
    as load_case"; a text is not split into a list."""
    assert problems(Person, id="a", role="friend", closeness="1") == [
        "closeness: must be a whole number (a JSON integer), got '1'"
    ]
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=[5]) == [
        "people[0]: must be a Person, got int"
    ]
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=5) == [
        "people: must be a list of Person"
    ]
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people="ab") == [
        "people: must be a list of Person"
    ]
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, patient="Maya") == [
        "patient: must be a Patient, got str"
    ]
    assert problems(Person, id="a", role="friend", closeness=1, dispute=date(2025, 1, 1)) == [
        "dispute: must be a Dispute, got date"
    ]


def test_every_broken_field_is_reported_not_only_the_first() -> None:
    """The public API: CaseError.problems lists "every problem found (not only the first)"."""
    assert problems(
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
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, people=5, events=7) == [
        "people: must be a list of Person",
        "events: must be a list of Event",
    ]
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, patient="x", people=5) == [
        "patient: must be a Patient, got str",
        "people: must be a list of Person",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closeness": {1}}, "closeness: must be a whole number (a JSON integer), got a set"),
        ({"closeness": b"x"}, "closeness: must be a whole number (a JSON integer), got a bytes"),
        ({"closeness": (1,)}, "closeness: must be a whole number (a JSON integer), got a list"),
        ({"closeness": 9}, "closeness: must be between 1 and 4, got 9"),
        ({"id": {"a": 1}}, "id: must be an id: 1-64 ASCII letters, digits, '.', '_' or '-', got an object"),
        ({"name": ["a"]}, "name: must be a string, got a list"),
        ({"contact": "often"}, "contact: must be one of daily, weekly, monthly, rarely, never, got 'often'"),
        ({"contact": ["daily"]}, "contact: must be one of daily, weekly, monthly, rarely, never, got a list"),
        ({"contact": 3}, "contact: must be one of daily, weekly, monthly, rarely, never, got 3"),
        ({"confidant": 1}, "confidant: must be true or false, got 1"),
        ({"satisfying": "walks"}, "satisfying: must be a tuple, got 'walks'"),
        ({"satisfying": ("walks", 3)}, "satisfying[1]: must be a string, got 3"),
    ],
)  # fmt: skip
def test_python_values_are_checked_by_the_case_files_rules(
    changes: dict[str, Any], message: str
) -> None:
    """A value built in Python is refused in the words load_case uses for the same field, with
    Python's kinds described (a set, bytes; a tuple reads as a list); a list is never taken for
    one of its items."""
    assert problems(Person, **{"id": "a", "role": "friend", "closeness": 1, **changes}) == [message]


def test_dates_in_python_are_dates_not_datetimes() -> None:
    """All dates are datetime.date (the public API); ISO text is read as the case file reads it."""
    assert problems(Event, date=datetime(2026, 3, 2, 9), kind="job_loss") == [
        "date: must be a datetime.date (not a datetime), got a datetime"
    ]
    assert problems(Event, date=20260302, kind="job_loss") == [
        "date: must be a datetime.date (not a datetime), got 20260302"
    ]
    assert Event(date="2024-02-29", kind="job_loss").date == date(2024, 2, 29)


def test_measure_items_in_python_are_checked_item_by_item() -> None:
    """The case format, Measure: items are whole numbers or null; every bad one at its index."""
    day = date(2026, 3, 2)
    assert problems(Measure, date=day, instrument="phq9", items=(1, "2", 0, 0, 0, 0, 0, 0, 0)) == [
        "items[1]: must be a whole number or null, got '2'"
    ]
    assert problems(Measure, date=day, instrument="phq9", items=5) == [
        "items: must be a tuple, got 5"
    ]
    assert Measure(date=day, instrument="phq9", items=[0, None] + [1] * 7).items == (
        (0, None) + (1,) * 7
    )


def test_a_measure_has_its_instruments_items_in_range() -> None:
    """The case format, Measure: "exactly the instrument's item count, each in that item's range"
    (PHQ-9: 9 items scored 0-3 [KROENKE2001])."""
    day = date(2026, 3, 2)
    assert problems(Measure, date=day, instrument="phq9", items=(0,) * 8) == [
        "items: phq9 has 9 items, got 8"
    ]
    assert problems(Measure, date=day, instrument="phq9", items=(4, 0, 0, 0, 0, 0, 0, 0, -1)) == [
        "items[0]: item 1 of phq9 is scored 0-3, got 4",
        "items[8]: item 9 of phq9 is scored 0-3, got -1",
    ]


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        ([1], "must be a mapping of JSON values, got a list"),
        ({"a": float("nan")}, "holds NaN or Infinity, which JSON does not allow"),
        ({"a": float("inf")}, "holds NaN or Infinity, which JSON does not allow"),
        ({1: "a"}, "has a key that is not a string: 1"),
        ({"a": {1, 2}}, "holds a set, which is not a JSON value"),
        (
            {"\ud800": 1},
            (
                "holds a lone surrogate (\\ud800) at character 0, which is not Unicode text and "
                "cannot be written as UTF-8"
            ),
        ),
    ],
)
def test_extensions_hold_json_only(extensions: Any, message: str) -> None:
    """The case format: extensions are "anything else; kept verbatim" as JSON: what JSON cannot
    write is refused in words."""
    assert problems(Case, id="c", assessed=ASSESSED, onset=ASSESSED, extensions=extensions) == [
        f"extensions: {message}"
    ]


def test_extensions_come_back_as_given() -> None:
    """Every JSON value inside extensions is kept and dumped as it was given."""
    value = {"n": None, "t": True, "i": 3, "f": 1.5, "s": "é", "l": [1, [2]], "o": {"k": "v"}}
    case = base(extensions=value)
    assert case.extensions is not None
    assert case.extensions["o"] == {"k": "v"}
    assert not isinstance(case.extensions["o"], dict)  # read-only
    assert dump_case(case)["extensions"] == value


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
    assert problems(
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


def test_coping_belongs_to_a_life_change_not_to_a_death() -> None:
    """The case format, Event: ``coping`` (difficulty with a life change [ISIPT; GUIDE]) is
    refused on a death, whose course is its mourning."""
    assert problems(Event, date=date(2025, 1, 1), kind="death", person="a", coping="difficult") == [
        "coping: is allowed only on a life change, not on a death: use mourning"
    ]
    assert Event(date=date(2025, 1, 1), kind="job_loss", coping="difficult").coping == "difficult"


def test_a_death_whose_date_cannot_be_read_is_reported_once() -> None:
    """A death with an unreadable date is reported at its date, and the rules that need the date
    (a person dies once; no dispute starts after the death) do not guess it."""
    doc = {
        "format": "iptcore.case/1",
        "id": "c",
        "assessed": "2026-03-02",
        "onset": "2026-01-01",
        "people": [
            {"id": "a", "role": "friend", "closeness": 1, "dispute": {"since": "2025-06-01"}}
        ],
        "events": [{"date": "soon", "kind": "death", "person": "a"}],
    }
    with pytest.raises(CaseError) as info:
        load_case(doc)
    assert [str(p) for p in info.value.problems] == [
        "events[0].date: must be a date written YYYY-MM-DD, got 'soon'"
    ]


def test_a_person_dies_once_and_no_dispute_with_them_starts_after() -> None:
    """The case format (1.1): a person dies at most once, and a dispute with someone cannot begin
    after they died; each is a problem at the field that breaks the rule, both at once."""
    doc: dict[str, Any] = {  # fictional
        "format": "iptcore.case/1",
        "id": "fictional-deaths",
        "assessed": "2026-03-02",
        "onset": "2026-01-10",
        "patient": {"born": 1970},
        "people": [
            {"id": "ana", "role": "parent", "closeness": 1, "contact": "weekly"},
            {
                "id": "bo",
                "role": "sibling",
                "closeness": 2,
                "contact": "monthly",
                "dispute": {"since": "2025-12-01", "stage": "impasse"},
            },
        ],
        "events": [
            {"kind": "death", "date": "2025-11-01", "person": "ana"},
            {"kind": "death", "date": "2025-12-05", "person": "ana"},
            {"kind": "death", "date": "2025-11-20", "person": "bo"},
        ],
    }
    with pytest.raises(CaseError) as info:
        load_case(doc)
    assert [str(p) for p in info.value.problems] == [
        "events[1]: is a second death of 'ana' (the first is events[0])",
        "people[1].dispute.since: is 2025-12-01, after 'bo' died (2025-11-20)",
    ]
    assert [str(p) for p in info.value.redacted().problems] == [
        "events[1]: is a second death of one person (the first is events[0])",
        "people[1].dispute.since: is after the person died",
    ]


# --------------------------------------------------------------------------------------------
# Case.person: a lookup by id (from the surviving mutants of the case model)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("person_id", [["ana"], {"id": "ana"}, None, 3])
def test_person_of_an_id_that_is_no_string_is_a_key_error(person_id: object) -> None:
    """Case.person: a KeyError if there is no person of that id; a value that is no id (a list,
    a dict, None, a number) names nobody, and is refused as such, not with a TypeError."""
    with pytest.raises(KeyError) as info:
        base().person(person_id)  # type: ignore[arg-type]
    assert info.value.args == (person_id,)


# --------------------------------------------------------------------------------------------
# Dates and free texts given to a public call, refused in the case file's words with their
# redacted forms (from the second pass over the case format's surviving mutants)
# --------------------------------------------------------------------------------------------

DATE_WORDS = "must be a datetime.date or a date written YYYY-MM-DD"


@pytest.mark.parametrize(
    ("options", "message", "redacted"),
    [
        ({"start": 3}, f"start: {DATE_WORDS}, got 3", f"start: {DATE_WORDS}, got an integer"),
        (
            {"start": "2026-03-02", "skip": [1.5]},
            f"skip[0]: {DATE_WORDS}, got 1.5",
            f"skip[0]: {DATE_WORDS}, got a number",
        ),
        (
            {"start": "2026-02-30"},
            "start: '2026-02-30' is not a real calendar date",
            "start: is not a real calendar date",
        ),
    ],
)
def test_a_date_argument_is_refused_in_the_case_files_words_with_a_redacted_form(
    options: dict[str, Any], message: str, redacted: str
) -> None:
    """A date argument of a public call (plan_course's start and skip) is a datetime.date or its
    ISO text, read as the case file reads it; anything else is refused naming the argument, and
    the redacted form for logs names the kind of value it got, nothing of the value itself."""
    from iptcore import IptError, plan_course

    with pytest.raises(IptError) as info:
        plan_course(**options)
    assert str(info.value) == message
    assert info.value.redacted_message == redacted


@pytest.mark.parametrize("field", ["homework", "notes", "reason"])
def test_a_free_text_of_a_step_with_a_lone_surrogate_is_refused_with_a_redacted_form(
    field: str,
) -> None:
    """A step's free texts are Unicode text, as the file's free texts are: a lone surrogate
    (which UTF-8 cannot carry) is refused where it is, and the redacted form for logs says the
    rule without the character or where it is in the (fictional) text."""
    from iptcore import IptError
    from iptcore.course import Step

    texts: dict[str, Any] = {field: "fictional\ud800"}
    with pytest.raises(IptError) as info:
        Step(kind="hold", number=1, **texts)
    assert str(info.value) == (
        f"{field}: holds a lone surrogate (\\ud800) at character 9, which is not Unicode text "
        "and cannot be written as UTF-8"
    )
    assert info.value.redacted_message == (
        f"{field}: holds a lone surrogate, which is not Unicode text and cannot be written as UTF-8"
    )
