"""Deidentification against hostile input: nothing of a name, note, id or exact date survives.

"deidentification leaves no name, free-text note or exact date behind (free-text
notes are dropped or replaced, and the docs say which)". iptcore.deidentify's docstring says which:
notes are dropped (``notes="drop"``, the default) or each replaced by ``"(removed)"``
(``notes="mark"``); descriptions are dropped except on ``other_change``, where the case format
requires one and it becomes ``"(removed)"``.

Every check searches the dumped JSON text of the copy, written both with ``ensure_ascii`` (non-ASCII
escaped, as ``json.dumps`` writes by default) and without, for every original string and date. The
inputs are built to be awkward: names that look like dates or like the case's own words, notes that
repeat the names, Unicode in decomposed and composed forms, right-to-left text, zero-width and
control characters. All of it is fictional.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import Case, Dispute, Event, Measure, Patient, Person, Tie, dump_case
from iptcore.deidentify import PLACEHOLDER, deidentify
from iptcore.testing import cases, texts

ASSESSED = date(2026, 3, 2)

# Hostile free text: each is put in every free-text field of one case.
HOSTILE = [
    "2025-12-01",  # a name that is the case's own onset date
    "2026-03-02",  # the assessment date
    "1991",  # the year of birth
    "Maya 2025-10-03",  # a name with a date in it
    "Zoë Ångström",  # composed Unicode
    unicodedata.normalize("NFD", "Zoë Ångström"),  # the same, decomposed
    "Σοφία Παπαδοπούλου",
    "مريم الفارسي",  # right-to-left
    "Ｍａｙａ",  # full-width letters
    "Ma\u200bya Qu\u200date",  # zero-width space and joiner
    "Maya\nQuatermass\t\x00",  # control characters, NUL included
    'Maya "the \\ quote" Quatermass',  # characters JSON escapes
    "😀 Emoji-Person 👩‍👩‍👧",
    "person-0011aabb",  # looks like a pseudonym
    "(removed)",  # the placeholder itself
    "grief",  # a word of the case format
]


def _hostile_case(secret: str) -> Case:
    """A fictional case with ``secret`` (and text made from it) in every free-text field, and
    names for ids; every date lies within 51 weeks, so that no shifted date can equal another
    original date (the shift is 52 weeks or more)."""
    return Case(
        id="maya-quatermass-2025-12-01",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        patient=Patient(name=secret, born=1991, pronouns=f"she/her {secret}"),
        people=(
            Person(
                id="maya.mum",
                name=secret,
                role="parent",
                closeness=1,
                contact="weekly",
                satisfying=(f"{secret} cooks", "2025-10-03 was the funeral"),
                unsatisfying=(f"calls {secret} at night",),
                wants_changed=(secret,),
                dispute=Dispute(since=date(2025, 6, 11), ended=date(2025, 12, 24)),
            ),
            Person(id="2025-10-03", name=f"{secret} Jr", role="sibling", closeness=2),
            Person(id="Zebedee_Qx", role="friend", closeness=3, satisfying=(secret,)),
        ),
        ties=(Tie(between=("maya.mum", "2025-10-03"), kind="conflict"),),
        events=(
            Event(
                date=date(2025, 10, 3),
                kind="death",
                person="2025-10-03",
                description=f"{secret} died at home",
            ),
            Event(date=date(2025, 11, 17), kind="other_change", description=f"{secret} moved"),
            Event(
                date=date(2025, 4, 9),
                kind="job_loss",
                person="maya.mum",
                description="laid off on 2025-04-09",
            ),
        ),
        measures=(Measure(date=date(2026, 2, 23), instrument="gad7", items=(1,) * 7),),
        extensions={"name": secret, "date": "2025-12-01"},
    )


ORIGINAL_IDS = ("maya-quatermass-2025-12-01", "maya.mum", "2025-10-03", "Zebedee_Qx")
ORIGINAL_DATES = (
    "2026-03-02",
    "2025-12-01",
    "2025-06-11",
    "2025-12-24",
    "2025-10-03",
    "2025-11-17",
    "2025-04-09",
    "2026-02-23",
    "1991",
)


def _dumps(case: Case) -> tuple[str, str]:
    """The copy's JSON text, with non-ASCII escaped and without."""
    doc = dump_case(case)
    return json.dumps(doc), json.dumps(doc, ensure_ascii=False)


def _fragments(secret: str) -> set[str]:
    """What of ``secret`` must not be found: itself, its Unicode normal forms, its JSON escapes,
    and each of its words of four or more characters."""
    forms = {secret, unicodedata.normalize("NFC", secret), unicodedata.normalize("NFD", secret)}
    out = set()
    for form in forms:
        out |= {form, json.dumps(form)[1:-1], json.dumps(form, ensure_ascii=False)[1:-1]}
        out |= {word for word in form.split() if len(word) >= 4}
    return {f for f in out if f.strip()}


@pytest.mark.parametrize("notes", ["drop", "mark"])
@pytest.mark.parametrize("secret", HOSTILE, ids=lambda s: repr(s)[1:30])
def test_no_hostile_text_id_or_date_survives(secret: str, notes: str) -> None:
    """no name, free-text note, case id or exact date is left in the dump."""
    case = _hostile_case(secret)
    copy = deidentify(case, seed=20260302, notes=notes)  # type: ignore[arg-type]
    vocabulary = _dumps(deidentify(_hostile_case("x"), seed=20260302, notes=notes))  # type: ignore[arg-type]
    for text in _dumps(copy):
        for fragment in _fragments(secret):
            if fragment in vocabulary[0] or fragment in vocabulary[1]:
                continue  # a word the copy has anyway ("grief", "(removed)"): not from the input
            assert fragment not in text, fragment
        for original in ORIGINAL_IDS + ORIGINAL_DATES:
            assert original not in text, original
    # The output does not depend on the text at all: only on the structure, the ids and dates.
    assert _dumps(copy) == vocabulary


def test_free_text_is_dropped_by_default_and_marked_on_request() -> None:
    """iptcore.deidentify's docstring: notes dropped by default, ``"(removed)"`` with ``"mark"``;
    a description stays only where the case format requires one (other_change), as the placeholder."""
    case = _hostile_case("Maya Quatermass")
    dropped = deidentify(case, seed=1)
    assert [(p.satisfying, p.unsatisfying, p.wants_changed) for p in dropped.people] == [
        ((), (), ())
    ] * 3
    assert [e.description for e in dropped.events] == [None, PLACEHOLDER, None]
    marked = deidentify(case, seed=1, notes="mark")
    assert [len(p.satisfying) for p in marked.people] == [2, 0, 1]
    notes = {n for p in marked.people for n in (*p.satisfying, *p.unsatisfying, *p.wants_changed)}
    assert notes == {PLACEHOLDER}
    assert [e.description for e in marked.events] == [PLACEHOLDER] * 3


def test_pronouns_with_a_name_in_them_are_dropped() -> None:
    """``pronouns`` is free text: kept only when it is nothing but pronoun words."""
    for pronouns in (
        "she/her Maya",
        "Maya",
        "she/her/2025-12-01",
        "ｓｈｅ/ｈｅｒ",
        "she/her\u200b",
    ):
        case = attrs.evolve(_hostile_case("x"), patient=Patient(pronouns=pronouns, born=1991))
        copy = deidentify(case, seed=4)
        assert copy.patient is not None
        assert copy.patient.pronouns is None, pronouns


def test_the_year_of_birth_never_stays() -> None:
    """born moves with the dates (or to a decade, or goes): the true year is never kept."""
    case = _hostile_case("x")
    for seed in range(1, 31):
        for born in ("shift", "decade", "drop"):
            copy = deidentify(case, seed=seed, born=born)  # type: ignore[arg-type]
            assert copy.patient is None or copy.patient.born != 1991


def test_extensions_are_dropped_even_when_they_hold_dates() -> None:
    copy = deidentify(_hostile_case("Maya"), seed=2)
    assert copy.extensions is None
    assert "extensions" not in dump_case(copy)


# -- properties ---------------------------------------------------------------------------------


def _blank(case: Case) -> Case:
    """``case`` with every free-text string made empty (lists keep their length), names too;
    the pronouns are kept, since a copy keeps them when they are only pronoun words."""

    def notes(values: tuple[str, ...]) -> tuple[str, ...]:
        return ("",) * len(values)

    people = tuple(
        attrs.evolve(
            p,
            name=None if p.name is None else "",
            satisfying=notes(p.satisfying),
            unsatisfying=notes(p.unsatisfying),
            wants_changed=notes(p.wants_changed),
        )
        for p in case.people
    )
    events = tuple(
        attrs.evolve(e, description=None if e.description is None else "") for e in case.events
    )
    patient = case.patient
    if patient is not None:
        patient = attrs.evolve(patient, name=None if patient.name is None else "")
    return attrs.evolve(case, people=people, events=events, patient=patient, extensions=None)


# Keys: an empty one is refused.
_TEXT_KEYS = st.text(min_size=1, max_size=8).filter(str.strip)
SEEDS = st.integers(min_value=1, max_value=2**64) | _TEXT_KEYS


@given(cases(), SEEDS, st.sampled_from(["drop", "mark"]))
def test_the_copy_does_not_depend_on_any_free_text(case: Case, seed: Any, notes: str) -> None:
    """Whatever the names, notes, descriptions and extensions say, the copy is the same: none of
    their content can reach it."""
    assert deidentify(case, seed=seed, notes=notes) == deidentify(  # type: ignore[arg-type]
        _blank(case),
        seed=seed,
        notes=notes,  # type: ignore[arg-type]
    )


@st.composite
def _narrow_cases(draw: st.DrawFn) -> Case:
    """Cases whose dates all lie within 51 weeks, so that a date found in the copy can only be a
    leak (a shift of 52 weeks or more cannot land one original date on another)."""
    base = draw(cases())
    first = base.assessed - timedelta(weeks=51)
    offsets = st.integers(min_value=0, max_value=51 * 7)

    def day() -> date:
        return first + timedelta(days=draw(offsets))

    onset = day()
    people = tuple(
        attrs.evolve(
            p,
            dispute=None
            if p.dispute is None
            else Dispute(since=first, ended=None if p.dispute.ended is None else day()),
        )
        for p in base.people
    )
    events = tuple(attrs.evolve(e, date=day()) for e in base.events)
    measures = tuple(attrs.evolve(m, date=day()) for m in base.measures)
    return attrs.evolve(
        base,
        onset=min(onset, base.assessed),
        people=people,
        events=events,
        measures=measures,
        extensions=None,
    )


def _all_dates(case: Case) -> set[str]:
    days = {case.assessed, case.onset}
    for p in case.people:
        if p.dispute is not None:
            days |= {p.dispute.since} | ({p.dispute.ended} if p.dispute.ended else set())
    days |= {e.date for e in case.events} | {m.date for m in case.measures}
    return {d.isoformat() for d in days}


@given(_narrow_cases(), SEEDS)
def test_no_original_date_is_in_the_dump(case: Case, seed: Any) -> None:
    """No exact date of the original is left anywhere in the copy's JSON text."""
    text = json.dumps(dump_case(deidentify(case, seed=seed)))
    for day in _all_dates(case):
        assert day not in text


@given(cases(), SEEDS, texts(max_size=20).filter(lambda s: len(s.strip()) >= 6))
def test_a_generated_name_never_reaches_the_dump(case: Case, seed: Any, secret: str) -> None:
    """A name anywhere (patient, every person, every note) is absent from the copy's text,
    unless the copy of the same case without it has that text too (then it is not from the name)."""
    named = attrs.evolve(
        case,
        patient=Patient(name=secret),
        people=tuple(attrs.evolve(p, name=secret, satisfying=(secret,)) for p in case.people),
    )
    plain = _dumps(deidentify(_blank(named), seed=seed))
    for text in _dumps(deidentify(named, seed=seed)):
        for fragment in (secret, json.dumps(secret)[1:-1]):
            assert fragment not in text or fragment in plain[0] or fragment in plain[1]


def test_a_bytes_seed_is_a_key_of_its_own() -> None:
    """The seed may be an integer, a string or bytes; each type is its own key space."""
    case = _hostile_case("x")
    by_bytes = deidentify(case, seed=b"20260302")
    assert by_bytes == deidentify(case, seed=b"20260302")
    assert by_bytes.id != deidentify(case, seed="20260302").id
