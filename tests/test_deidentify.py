"""Tests of iptcore.deidentify: nothing identifying left, stable, intervals kept, same classification."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from itertools import combinations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import (
    PROTOCOLS,
    Case,
    Classification,
    Dispute,
    Event,
    IptError,
    Patient,
    Person,
    Tie,
    classify,
    dump_case,
    plan_course,
)
from iptcore.deidentify import PLACEHOLDER, date_shift, deidentify, new_key, pseudonyms
from iptcore.rules import DEFAULT_RULES
from iptcore.testing import cases
from iptcore.vignettes import VIGNETTES, vignette

# Keys: any integer but 0, any text but a blank one (an empty key is refused).
SEEDS = st.integers(min_value=-(2**64), max_value=2**64).filter(bool) | st.text(
    min_size=1, max_size=8
).filter(str.strip)


def _identified() -> Case:
    """A fictional case full of distinctive names, notes and dates to look for after."""
    return Case(
        id="maya-quatermass-2026",
        assessed=date(2026, 3, 2),
        onset=date(2025, 12, 1),
        patient=Patient(name="Maya Quatermass", born=1991, pronouns="she/her"),
        people=(
            Person(
                id="jon-zebedee",
                name="Jon Zebedee",
                role="partner",
                closeness=1,
                contact="daily",
                satisfying=("cooking at Ottolenghi-night",),
                unsatisfying=("argues about Hebden Bridge",),
                wants_changed=("listen about Bakewell",),
                dispute=Dispute(since=date(2025, 9, 20), stage="impasse"),
            ),
            Person(id="nan-wilhelmina", name="Wilhelmina", role="relative", closeness=2),
        ),
        ties=(Tie(between=("jon-zebedee", "nan-wilhelmina"), kind="conflict"),),
        events=(
            Event(date=date(2025, 10, 3), kind="death", person="nan-wilhelmina"),
            Event(date=date(2025, 11, 17), kind="other_change", description="moved to Penzance"),
            Event(date=date(2025, 8, 1), kind="job_loss", description="laid off by Crumpetco"),
        ),
        extensions={"nhs_number": "943 476 5919"},
    )


def _dump(case: Case) -> str:
    return json.dumps(dump_case(case), ensure_ascii=False)


def test_no_name_note_id_or_date_is_left_in_the_dump() -> None:
    """ "deidentification leaves no name, free-text note or exact date behind"."""
    case = _identified()
    text = _dump(deidentify(case, seed=7))
    for secret in (
        "Quatermass",
        "Zebedee",
        "Wilhelmina",
        "Ottolenghi",
        "Hebden",
        "Bakewell",
        "Penzance",
        "Crumpetco",
        "943 476",
        "nhs_number",
        "maya",
        "jon",
        "nan",
    ):
        assert secret.lower() not in text.lower()
    for day in ("2026-03-02", "2025-12-01", "2025-10-03", "2025-11-17", "2025-08-01", "1991"):
        assert day not in text


def test_free_text_is_dropped_or_replaced_where_required() -> None:
    """the case format, Event: a description is required with other_change, so it becomes a
    placeholder there; other descriptions and the inventory notes are dropped."""
    copy = deidentify(_identified(), seed=7)
    assert [e.description for e in copy.events] == [None, PLACEHOLDER, None]
    assert all(not (p.satisfying or p.unsatisfying or p.wants_changed) for p in copy.people)
    marked = deidentify(_identified(), seed=7, notes="mark")
    assert marked.people[0].satisfying == (PLACEHOLDER,)
    assert [e.description for e in marked.events] == [None, PLACEHOLDER, PLACEHOLDER]


def test_extensions_are_dropped_unless_kept() -> None:
    assert deidentify(_identified(), seed=1).extensions is None
    kept = deidentify(_identified(), seed=1, keep_extensions=True)
    assert kept.extensions == {"nhs_number": "943 476 5919"}


@pytest.mark.parametrize(
    ("pronouns", "kept"),
    [
        ("she/her", True),
        ("They/Them/Theirs", True),
        ("he, him", True),
        ("ze/hir", True),
        ("Jo", False),
        ("she/her, call me Jo", False),
        ("", False),
    ],
)
def test_pronouns_are_kept_only_when_they_are_pronouns(pronouns: str, kept: bool) -> None:
    """The pronouns field is free text: anything but pronoun words could identify."""
    case = attrs.evolve(_identified(), patient=Patient(pronouns=pronouns))
    copy = deidentify(case, seed=3)
    assert (copy.patient is not None and copy.patient.pronouns == pronouns) is kept


def test_born_moves_with_the_dates_keeping_the_age() -> None:
    case = _identified()
    for seed in range(1, 21):
        copy = deidentify(case, seed=seed)
        assert copy.patient is not None
        assert copy.patient.born is not None
        assert copy.assessed.year - copy.patient.born == 2026 - 1991
        assert copy.patient.born != 1991
    decade = deidentify(case, seed=1, born="decade").patient
    assert decade is not None
    assert decade.born is not None
    assert decade.born % 10 == 0
    assert deidentify(case, seed=1, born="drop").patient == Patient(pronouns="she/her")


def test_ages_over_89_become_90() -> None:
    """HIPAA Safe Harbor groups every age over 89 into "90 or older" (45 CFR 164.514(b)(2)(i)(C))."""
    case = attrs.evolve(_identified(), patient=Patient(born=1920))
    copy = deidentify(case, seed=5)
    assert copy.patient is not None
    assert copy.patient.born is not None
    assert copy.assessed.year - copy.patient.born == 90


def test_patient_with_nothing_left_goes() -> None:
    case = attrs.evolve(_identified(), patient=Patient(name="Maya Quatermass"))
    assert deidentify(case, seed=5).patient is None


def test_pseudonyms_are_stable_per_seed_and_differ_across_seeds() -> None:
    case = _identified()
    assert pseudonyms(case, seed=11) == pseudonyms(case, seed=11)
    assert pseudonyms(case, seed=11) != pseudonyms(case, seed=12)
    assert pseudonyms(case, seed=11) != pseudonyms(case, seed="11")
    # The case id's pseudonym depends on the seed and the case id alone.
    grown = attrs.evolve(case, people=(*case.people, Person(id="bo", role="friend", closeness=3)))
    assert deidentify(grown, seed=11).id == deidentify(case, seed=11).id


@given(cases(), SEEDS)
def test_pseudonyms_sort_as_the_ids_do(case: Case, seed: int | str) -> None:
    """The rules break ties between equal findings by person id (rules.Evidence.sort_key), so the
    pseudonyms keep the ids' order for the copy to rank exactly like the original."""
    names = pseudonyms(case, seed=seed)
    ids = sorted(names)
    assert [names[i] for i in ids] == sorted(names.values())
    assert len(set(names.values())) == len(names)


def test_case_method_delegates() -> None:
    case = _identified()
    assert case.deidentify(seed=9) == deidentify(case, seed=9)
    assert case.deidentify(seed=9, notes="mark") == deidentify(case, seed=9, notes="mark")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"seed": 1.5}, "seed: must be an integer"),
        ({"seed": True}, "seed: must be an integer"),
        ({"seed": None}, "seed: must be an integer"),
        ({"seed": 1, "born": "keep"}, "born: must be one of shift, decade, drop"),
        ({"seed": 1, "notes": "blank"}, "notes: must be one of drop, mark"),
        ({"seed": 1, "keep_extensions": "yes"}, "keep_extensions: must be True or False"),
        ({"seed": 1, "windows": 12}, "windows: must be whole numbers"),
        ({"seed": 1, "windows": (0,)}, "windows: each must be"),
        ({"seed": 1, "windows": ("12",)}, "windows: each must be"),
    ],
)
def test_bad_arguments_are_refused_by_name(options: dict[str, object], message: str) -> None:
    with pytest.raises(IptError, match=message):
        deidentify(_identified(), **options)  # type: ignore[arg-type]


def test_a_case_that_is_not_a_case_is_refused() -> None:
    with pytest.raises(IptError, match=r"case: must be an iptcore\.Case"):
        deidentify({"id": "x"}, seed=1)  # type: ignore[arg-type]


def test_shift_is_whole_weeks_one_to_ten_years_back() -> None:
    """The documented range: 52 to 520 weeks into the past."""
    case = _identified()
    shifts = {date_shift(case, seed=s) for s in range(1, 201)}
    assert all(s.days % 7 == 0 and -520 * 7 <= s.days <= -52 * 7 for s in shifts)
    assert len(shifts) > 100  # spread over the range, not a handful of values


def test_a_case_near_year_one_moves_forward() -> None:
    """No past shift fits dates in year 1, so the copy moves into the future instead."""
    case = Case(
        id="ancient",
        assessed=date(2, 6, 1),
        onset=date(1, 3, 1),
        events=(Event(date=date(1, 1, 8), kind="relocation"),),
    )
    copy = deidentify(case, seed=4)
    assert copy.assessed > case.assessed
    assert copy.events[0].date - copy.onset == case.events[0].date - case.onset


def test_window_of_a_leap_year_keeps_its_length() -> None:
    """The case format: the window starts "the same day 12 calendar months earlier (29 February gives
    28 February)"; an event on its first day stays in it, the day before stays out, whatever the
    shift does to leap days."""
    for onset, start in (
        (date(2024, 3, 1), date(2023, 3, 1)),
        (date(2024, 2, 29), date(2023, 2, 28)),
        (date(2025, 2, 28), date(2024, 2, 28)),
        (date(2023, 3, 1), date(2022, 3, 1)),
    ):
        case = Case(
            id="leap",
            assessed=onset,
            onset=onset,
            events=(
                Event(date=start, kind="relocation"),
                Event(date=start - timedelta(days=1), kind="new_job"),
            ),
        )
        assert _kinds(case) == [("role_transition", "relocation")]
        for seed in range(1, 26):
            assert _kinds(deidentify(case, seed=seed)) == [("role_transition", "relocation")]


def _kinds(case: Case) -> list[tuple[str, str | None]]:
    """The areas found, each with the kind of event that triggered it."""
    return [
        (f.area.value, f.evidence.event.kind.value if f.evidence.event else None)
        for f in classify(case).candidates
    ]


# -- properties ------------------------------------------------------------------------------------


def _all_dates(case: Case) -> list[date]:
    out = [case.assessed, case.onset]
    for p in case.people:
        if p.dispute is not None:
            out += [p.dispute.since] + ([p.dispute.ended] if p.dispute.ended else [])
    out += [e.date for e in case.events] + [m.date for m in case.measures]
    return out


@given(cases(), SEEDS)
def test_nothing_identifying_is_left(case: Case, seed: int | str) -> None:
    """ "names gone, people renamed"; no free-text note left."""
    copy = deidentify(case, seed=seed)
    assert copy.id != case.id
    assert copy.id.startswith("case-")
    assert all(p.name is None for p in copy.people)
    assert all(not (p.satisfying or p.unsatisfying or p.wants_changed) for p in copy.people)
    assert all(e.description in (None, PLACEHOLDER) for e in copy.events)
    assert copy.extensions is None
    if copy.patient is not None:
        assert copy.patient.name is None
    originals = {p.id for p in case.people}
    assert all(p.id.startswith("person-") for p in copy.people)
    assert not originals & {p.id for p in copy.people}


@given(cases(), SEEDS)
def test_same_seed_same_result(case: Case, seed: int | str) -> None:
    """ "stable pseudonyms (same seed, same result)"."""
    assert deidentify(case, seed=seed) == deidentify(case, seed=seed)
    assert _dump(deidentify(case, seed=seed)) == _dump(deidentify(case, seed=seed))


@given(cases(), SEEDS)
def test_every_interval_and_weekday_is_kept(case: Case, seed: int | str) -> None:
    """ "all dates shifted by one offset so every interval and the weekday pattern are
    kept"."""
    copy = deidentify(case, seed=seed)
    before, after = _all_dates(case), _all_dates(copy)
    shift = after[0] - before[0]
    assert shift == date_shift(case, seed=seed)
    assert shift.days % 7 == 0
    assert abs(shift.days) >= 52 * 7
    assert all(b - a == shift for a, b in zip(before, after, strict=True))
    assert all(a.weekday() == b.weekday() for a, b in zip(before, after, strict=True))
    for (a, b), (c, d) in zip(combinations(before, 2), combinations(after, 2), strict=True):
        assert b - a == d - c


@given(cases(), SEEDS)
def test_references_follow_the_renamed_people(case: Case, seed: int | str) -> None:
    """Events and ties name the same people as before, by their pseudonyms."""
    names = pseudonyms(case, seed=seed)
    copy = deidentify(case, seed=seed)
    assert [p.id for p in copy.people] == [names[p.id] for p in case.people]
    assert [e.person for e in copy.events] == [
        names[e.person] if e.person else None for e in case.events
    ]
    assert [t.between for t in copy.ties] == [tuple(names[x] for x in t.between) for t in case.ties]
    kept = [
        (p.role, p.closeness, p.contact, p.confidant, p.knows_about_depression) for p in copy.people
    ]
    assert kept == [
        (p.role, p.closeness, p.contact, p.confidant, p.knows_about_depression) for p in case.people
    ]


def _shape(result: Classification, names: dict[str, str], shift: timedelta) -> object:
    """What a classification says, with the copy's ids and dates mapped back to the original's."""
    back = {v: k for k, v in names.items()}
    found = sorted(
        (
            f.area.value,
            (f.anchor - shift).isoformat(),
            back.get(f.person, f.person) if f.person else "",
            f.stage.value if f.stage else "",
            f.evidence.days_from_onset,
        )
        for f in result.candidates
    )
    return (
        result.focus,
        [(f.area, f.anchor - shift, back.get(f.person, f.person)) for f in result.candidates],
        found,
        [c.found for c in result.checked],
    )


@given(cases(), SEEDS)
def test_the_copy_classifies_like_the_original(case: Case, seed: int | str) -> None:
    """ "the result classifies ... exactly like the original" (the case format rules)."""
    copy = deidentify(case, seed=seed)
    names = pseudonyms(case, seed=seed)
    assert _shape(classify(copy), names, date_shift(case, seed=seed)) == (
        _shape(classify(case), {k: k for k in names}, timedelta(0))
    )


@given(cases(max_people=3, max_events=4), st.integers(min_value=1, max_value=2**32))
def test_other_windows_are_kept_when_asked(case: Case, seed: int) -> None:
    """The window is a setting of the rule set (the case format); ``windows`` keeps its length."""
    rules = DEFAULT_RULES.evolve(window_months=6)
    copy = deidentify(case, seed=seed, windows=(6, 12))
    shift = date_shift(case, seed=seed, windows=(6, 12))
    names = pseudonyms(case, seed=seed)
    assert _shape(classify(copy, rules), names, shift) == _shape(
        classify(case, rules), {k: k for k in names}, timedelta(0)
    )


WEEKLY = sorted(name for name, p in PROTOCOLS.items() if p.cadence == "weekly")


def _plan(case: Case, protocol: str, shift: timedelta, names: dict[str, str]) -> object:
    """A course planned a week after assessment, with its dates moved by -shift and the people
    (also inside agendas) renamed by ``names``: the copy's plan read in the original's terms."""
    try:
        plan = plan_course(protocol, start=case.assessed + timedelta(days=7), focus=classify(case))
    except IptError as error:
        return type(error).__name__
    back = {s.date.isoformat(): (s.date - shift).isoformat() for s in plan.sessions}
    back.update(names)
    words = re.compile(r"\d{4}-\d{2}-\d{2}|person-[0-9a-f]+")
    return [
        (
            s.number,
            s.date - shift,
            s.date.weekday(),
            s.phase,
            tuple(words.sub(lambda m: back.get(m.group(), m.group()), a) for a in s.agenda),
            s.techniques,
        )
        for s in plan.sessions
    ]


@given(cases(max_people=4, max_events=4, max_measures=0), SEEDS)
def test_the_copy_schedules_like_the_original(case: Case, seed: int | str) -> None:
    """the copy "schedules exactly like the original": weekly courses planned from the
    same point fall on the same weekdays, the same days apart, with the same agendas."""
    copy = deidentify(case, seed=seed)
    shift = date_shift(case, seed=seed)
    back = {v: k for k, v in pseudonyms(case, seed=seed).items()}
    for protocol in WEEKLY:
        assert _plan(copy, protocol, shift, back) == _plan(case, protocol, timedelta(0), {})


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_vignettes_deidentify_and_classify_alike(name: str) -> None:
    """Every fictional vignette: nothing of its names or notes left, the same focus."""
    case = vignette(name)
    copy = deidentify(case, seed=2026)
    assert classify(copy).focus == classify(case).focus
    text = _dump(copy)
    for p in case.people:
        if p.name:
            assert p.name not in text
        for note in (*p.satisfying, *p.unsatisfying, *p.wants_changed):
            assert note not in text
    if case.patient is not None and case.patient.name:
        assert case.patient.name not in text


# -- the key --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, "", b"", "   "], ids=repr)
def test_an_empty_key_is_refused(seed: object) -> None:
    """The seed is the key to the pseudonyms and the date shift: an empty one is the first anybody
    would try, so it is refused by name, in every function that takes a key."""
    case = _identified()
    for call in (deidentify, date_shift, pseudonyms):
        with pytest.raises(IptError, match=r"^seed: must not be empty.*new_key\(\)"):
            call(case, seed=seed)  # type: ignore[operator]
    with pytest.raises(IptError, match=r"^seed: must not be empty"):
        case.deidentify(seed=seed)  # type: ignore[arg-type]


def test_a_key_is_never_quoted_in_an_error() -> None:
    """An error message may end up in a log; the key must not."""
    with pytest.raises(IptError) as info:
        deidentify(_identified(), seed=b"k3y", born="keep")  # type: ignore[arg-type]
    assert "k3y" not in str(info.value)


def test_new_key_is_a_strong_key_the_functions_take() -> None:
    """256 random bits as 64 hexadecimal digits: never the same twice, and a key deidentify takes."""
    keys = {new_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
    key = keys.pop()
    assert deidentify(_identified(), seed=key) == deidentify(_identified(), seed=key)


def test_a_huge_integer_is_a_key_like_any_other() -> None:
    """Python refuses to write an integer of more than 4,300 digits as text; a key may be one."""
    big = 10**5000
    copy = deidentify(_identified(), seed=big)
    assert copy == deidentify(_identified(), seed=big)
    assert copy != deidentify(_identified(), seed=big + 1)
    assert copy != deidentify(_identified(), seed=-big)


def test_the_case_method_needs_a_key() -> None:
    """There is no default key: Case.deidentify without one is a call missing its argument."""
    with pytest.raises(TypeError, match="seed"):
        _identified().deidentify()  # type: ignore[call-arg]


# -- linking ---------------------------------------------------------------------------------------


def _family(case_id: str, *people: str) -> Case:
    """A fictional case whose people have the given ids (a parent each)."""
    return Case(
        id=case_id,
        assessed=date(2026, 3, 2),
        onset=date(2025, 12, 1),
        people=tuple(Person(id=pid, role="parent", closeness=2) for pid in people),
    )


def test_the_same_id_in_two_cases_gets_unrelated_pseudonyms() -> None:
    """Two patients' "mum" are two people: under one key their pseudonyms must not match, or the
    copies of different cases would link through them."""
    first, second = _family("case-a", "mum", "dad"), _family("case-b", "mum", "dad")
    a, b = pseudonyms(first, seed=7), pseudonyms(second, seed=7)
    assert not set(a.values()) & set(b.values())
    copy_a, copy_b = deidentify(first, seed=7), deidentify(second, seed=7)
    assert not {p.id for p in copy_a.people} & {p.id for p in copy_b.people}


@given(
    st.lists(st.sampled_from(["mum", "dad", "sam", "jo", "a", "b.c"]), min_size=1, unique=True),
    st.text(alphabet="abcxyz0123-", min_size=1, max_size=10),
    st.text(alphabet="abcxyz0123-", min_size=1, max_size=10),
    SEEDS,
)
def test_no_pseudonym_is_shared_between_cases(
    ids: list[str], one: str, other: str, seed: int | str
) -> None:
    """Whatever the ids, the copies of two different cases share no pseudonym."""
    if one == other:
        return
    a = pseudonyms(_family(one, *ids), seed=seed)
    b = pseudonyms(_family(other, *ids), seed=seed)
    assert not set(a.values()) & set(b.values())


def test_a_link_joins_the_cases_of_one_patient() -> None:
    """With a link, the copies share one shift, the end of their ids, and the end of each person's
    pseudonym, even when the rosters differ (the people's order part differs; the link part not)."""
    first, second = _family("maya-2026", "mum", "jon"), _family("maya-2028", "mum", "ana", "zed")
    other = _family("ravi-2026", "mum")
    a = deidentify(first, seed=7, link="P-0042")
    b = deidentify(second, seed=7, link="P-0042")
    c = deidentify(other, seed=7, link="P-0077")
    assert a.id.split("-")[2] == b.id.split("-")[2] != c.id.split("-")[2]
    assert a.id != b.id
    assert (
        a.assessed - first.assessed
        == b.assessed - second.assessed
        == date_shift(first, seed=7, link="P-0042")
    )

    def tails(copy: Case) -> dict[str, str]:
        return {p.id.split("-")[2]: p.id for p in copy.people}

    mum_a = pseudonyms(first, seed=7, link="P-0042")["mum"]
    mum_b = pseudonyms(second, seed=7, link="P-0042")["mum"]
    assert mum_a.split("-")[2] == mum_b.split("-")[2]
    assert mum_a.split("-")[2] in tails(a)
    assert mum_a.split("-")[2] in tails(b)
    assert not set(tails(a)) & set(tails(c))
    # The link itself is not written anywhere.
    assert "P-0042" not in _dump(a)


def test_without_a_link_nothing_is_shared() -> None:
    """No link: the pseudonyms have one part, and the case id has no link part."""
    copy = deidentify(_family("maya-2026", "mum"), seed=7)
    assert re.fullmatch(r"case-[0-9a-f]{16}", copy.id)
    assert re.fullmatch(r"person-[0-9a-f]{8}", copy.people[0].id)
    linked = deidentify(_family("maya-2026", "mum"), seed=7, link="P-0042")
    assert re.fullmatch(r"case-[0-9a-f]{16}-[0-9a-f]{16}", linked.id)
    assert re.fullmatch(r"person-[0-9a-f]{8}-[0-9a-f]{8}", linked.people[0].id)


@pytest.mark.parametrize("link", ["", "  ", 42, b"P-0042"], ids=repr)
def test_a_bad_link_is_refused_without_quoting_it(link: object) -> None:
    with pytest.raises(IptError, match=r"^link: must be a non-empty string or None") as info:
        deidentify(_identified(), seed=1, link=link)  # type: ignore[arg-type]
    assert "P-0042" not in str(info.value)


@given(cases(), SEEDS, st.text(min_size=1, max_size=12).filter(str.strip))
def test_a_linked_copy_classifies_like_the_original(case: Case, seed: int | str, link: str) -> None:
    """The link changes the names and the shift, never the order of the ids or a window."""
    copy = deidentify(case, seed=seed, link=link)
    names = pseudonyms(case, seed=seed, link=link)
    assert [names[i] for i in sorted(names)] == sorted(names.values())
    assert copy == deidentify(case, seed=seed, link=link)
    assert _shape(classify(copy), names, date_shift(case, seed=seed, link=link)) == (
        _shape(classify(case), {k: k for k in names}, timedelta(0))
    )


# -- ages over 89 ---------------------------------------------------------------------------------


@given(
    st.integers(min_value=0, max_value=126),
    st.sampled_from(["shift", "decade"]),
    st.integers(min_value=1, max_value=2**32),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2026, 12, 31)),
)
def test_no_age_over_89_survives_in_any_mode(
    age: int, born: str, seed: int, assessed: date
) -> None:
    """HIPAA Safe Harbor: "all ages over 89 ... aggregated into a single category of age 90 or
    older" (45 CFR 164.514(b)(2)(i)(C)). In every mode of ``born`` the copy's age at assessment is
    at most 90, and anyone 90 or older is 90; ``"shift"`` keeps a younger age exactly, and
    ``"decade"`` gives a decade (or the 90 of the cap) never younger than the true age."""
    year = assessed.year - age
    if year < 1900:  # the case format: born is a year from 1900
        return
    case = Case(id="old", assessed=assessed, onset=assessed, patient=Patient(born=year))
    copy = deidentify(case, seed=seed, born=born)  # type: ignore[arg-type]
    assert copy.patient is not None
    assert copy.patient.born is not None
    shown = copy.assessed.year - copy.patient.born
    assert shown <= 90
    if age >= 90:
        assert shown == 90
    elif born == "shift":
        assert shown == age
    else:
        assert shown >= age
        assert copy.patient.born % 10 == 0 or shown == 90


def test_a_ninety_year_old_is_not_made_ninety_nine_by_the_decade() -> None:
    """The reproducer: born="decade" rounded a 90-year-old's year down a decade, to 99."""
    case = Case(
        id="old", assessed=date(2026, 3, 2), onset=date(2026, 3, 2), patient=Patient(born=1936)
    )
    for seed in range(1, 40):
        copy = deidentify(case, seed=seed, born="decade")
        assert copy.patient is not None
        assert copy.patient.born is not None
        assert copy.assessed.year - copy.patient.born == 90
