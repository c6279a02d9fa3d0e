"""The case model: every rule of the case format, checked when a case is built in Python."""

from __future__ import annotations

from datetime import date, datetime

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


def test_a_datetime_is_not_a_date() -> None:
    """All dates are datetime.date (the public API)."""
    with pytest.raises(CaseError) as excinfo:
        Event(date=datetime(2025, 1, 1, 12, 0), kind="job_loss")  # type: ignore[arg-type]
    assert paths(excinfo) == ["date"]


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
    with pytest.raises(CaseError) as excinfo:
        Dispute(since=date(2025, 5, 2), ended=date(2025, 5, 1))
    assert paths(excinfo) == ["ended"]
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
    with pytest.raises(CaseError) as excinfo:
        Tie(between=("ana", "ana"), kind="close")
    assert paths(excinfo) == ["between"]
    with pytest.raises(CaseError) as excinfo:
        Tie(between=("ana",), kind="close")
    assert paths(excinfo) == ["between"]


def test_death_needs_a_person_and_only_deaths_have_mourning() -> None:
    """person: required with death; mourning: only with death (the case format: Event)."""
    with pytest.raises(CaseError) as excinfo:
        Event(date=date(2025, 1, 1), kind="death")
    assert paths(excinfo) == ["person"]
    with pytest.raises(CaseError) as excinfo:
        Event(date=date(2025, 1, 1), kind="job_loss", mourning="avoided")
    assert paths(excinfo) == ["mourning"]
    death = Event(date=date(2025, 1, 1), kind="death", person="ana")
    assert death.mourning is None
    assert death.effective_mourning is Mourning.ONGOING
    assert Event(date=date(2025, 1, 1), kind="job_loss").effective_mourning is None


def test_other_change_needs_a_description() -> None:
    """description: required with other_change (the case format: Event)."""
    with pytest.raises(CaseError) as excinfo:
        Event(date=date(2025, 1, 1), kind=EventKind.OTHER_CHANGE)
    assert paths(excinfo) == ["description"]


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
    """Case.person finds a person by id."""
    assert base().person("ana").role is Role.SPOUSE
    with pytest.raises(KeyError):
        base().person("nobody")


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
