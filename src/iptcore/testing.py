"""Hypothesis strategies for iptcore's values, shipped for users' own tests.

Every strategy here generates *valid* values (they pass every rule of the case format), covering
every field and every enum: cases and their parts, their JSON documents, course plans of every
protocol (:func:`plans`) and rating scales (:func:`scales`). Hypothesis is imported only by this
module: install it with the ``test`` extra (``pip install "iptcore[test]"``).

>>> from hypothesis import given, settings
>>> from iptcore import dump_case, load_case
>>> from iptcore.testing import cases
>>> @settings(max_examples=5)
... @given(cases())
... def test_round_trip(case):
...     assert load_case(dump_case(case)) == case
>>> test_round_trip()
"""

from __future__ import annotations

import datetime as dt
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError('iptcore.testing needs Hypothesis: pip install "iptcore[test]"') from exc

from iptcore.case import (
    Case,
    Conflict,
    Contact,
    Coping,
    Dispute,
    Event,
    EventKind,
    Expectations,
    Isolation,
    Measure,
    Mourning,
    Patient,
    PatientScreening,
    Person,
    Role,
    SuicideRisk,
    Tie,
    TieKind,
)
from iptcore.measures import Instrument, item_maxima
from iptcore.plan import CoursePlan, plan_course
from iptcore.protocols import PROTOCOLS
from iptcore.ratings import Item, ItemKind, Scale, Subscale
from iptcore.terms import DisputeStage, ProblemArea

__all__ = [
    "case_documents",
    "cases",
    "dates",
    "disputes",
    "events",
    "ids",
    "json_objects",
    "measures",
    "patients",
    "people",
    "plans",
    "scales",
    "screenings",
    "texts",
    "ties",
]

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
_EARLIEST = dt.date(1990, 1, 1)
_LATEST = dt.date(2035, 12, 31)


def ids() -> st.SearchStrategy[str]:
    """Valid ids: 1-64 ASCII letters, digits, ``.``, ``_``, ``-`` (not ``.`` or ``..``)."""
    return st.text(alphabet=_ID_ALPHABET, min_size=1, max_size=64).filter(
        lambda s: s not in (".", "..")
    )


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Free text: any Unicode but lone surrogates (which UTF-8 cannot carry)."""
    return st.text(alphabet=st.characters(codec="utf-8"), max_size=max_size)


def dates(
    *, min_value: dt.date = _EARLIEST, max_value: dt.date = _LATEST
) -> st.SearchStrategy[dt.date]:
    """Calendar dates in a range (29 February included)."""
    return st.dates(min_value=min_value, max_value=max_value)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def json_objects(max_leaves: int = 8) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects (for ``extensions``): nested objects and lists of finite JSON scalars."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**53), max_value=2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | texts(20)
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts(8), inner, max_size=3),
        max_leaves=max_leaves,
    )
    return st.dictionaries(texts(12), values, max_size=4)


def patients(*, assessed: dt.date = _LATEST) -> st.SearchStrategy[Patient]:
    """Patients born from 1900 to the year of ``assessed``; every field optional."""
    return st.builds(
        Patient,
        name=_maybe(texts()),
        born=_maybe(st.integers(min_value=1900, max_value=assessed.year)),
        pronouns=_maybe(texts(12)),
        isolation=_maybe(st.sampled_from(Isolation)),
        screening=_maybe(screenings()),
    )


def screenings() -> st.SearchStrategy[PatientScreening]:
    """``patient.screening`` answers; each key sometimes absent (not assessed)."""
    flag = _maybe(st.booleans())
    return st.builds(
        PatientScreening,
        bipolar=flag,
        psychotic_features=flag,
        substance_dependence=flag,
        cognitive_impairment=flag,
        suicide_risk=_maybe(st.sampled_from(SuicideRisk)),
    )


@st.composite
def disputes(draw: st.DrawFn, *, assessed: dt.date = _LATEST) -> Dispute:
    """Disputes that began by ``assessed``; an ``ended`` date, if any, not before ``since``."""
    since = draw(dates(max_value=assessed))
    ended = draw(_maybe(dates(min_value=since, max_value=assessed)))
    return Dispute(
        since=since,
        expectations=draw(_maybe(st.sampled_from(Expectations))),
        conflict=draw(_maybe(st.sampled_from(Conflict))),
        stage=draw(_maybe(st.sampled_from(DisputeStage))),
        ended=ended,
    )


@st.composite
def people(draw: st.DrawFn, *, person_id: str | None = None, assessed: dt.date = _LATEST) -> Person:
    """A person of the inventory, with every optional field sometimes present."""
    notes = st.lists(texts(), max_size=2).map(tuple)
    return Person(
        id=person_id if person_id is not None else draw(ids()),
        role=draw(st.sampled_from(Role)),
        closeness=draw(st.integers(min_value=1, max_value=4)),
        name=draw(_maybe(texts())),
        contact=draw(_maybe(st.sampled_from(Contact))),
        confidant=draw(_maybe(st.booleans())),
        knows_about_depression=draw(_maybe(st.booleans())),
        satisfying=draw(notes),
        unsatisfying=draw(notes),
        wants_changed=draw(notes),
        dispute=draw(_maybe(disputes(assessed=assessed))),
    )


@st.composite
def events(
    draw: st.DrawFn, *, person_ids: tuple[str, ...] = (), assessed: dt.date = _LATEST
) -> Event:
    """A timeline event; deaths only when there is someone to name (``person_ids``)."""
    kinds = [k for k in EventKind if person_ids or k is not EventKind.DEATH]
    kind = draw(st.sampled_from(kinds))
    person = draw(st.sampled_from(person_ids)) if kind is EventKind.DEATH else None
    if kind is not EventKind.DEATH and person_ids:
        person = draw(_maybe(st.sampled_from(person_ids)))
    description = draw(texts() if kind is EventKind.OTHER_CHANGE else _maybe(texts()))
    mourning = draw(_maybe(st.sampled_from(Mourning))) if kind is EventKind.DEATH else None
    coping = None if kind is EventKind.DEATH else draw(_maybe(st.sampled_from(Coping)))
    return Event(
        date=draw(dates(max_value=assessed)),
        kind=kind,
        person=person,
        mourning=mourning,
        description=description,
        coping=coping,
    )


@st.composite
def measures(draw: st.DrawFn, *, assessed: dt.date = _LATEST) -> Measure:
    """A measure with the instrument's item count, each item in range or missing (``None``)."""
    instrument = draw(st.sampled_from(Instrument))
    items = tuple(
        draw(_maybe(st.integers(min_value=0, max_value=top))) for top in item_maxima(instrument)
    )
    return Measure(date=draw(dates(max_value=assessed)), instrument=instrument, items=items)


@st.composite
def ties(draw: st.DrawFn, *, person_ids: tuple[str, ...]) -> Tie:
    """A tie between two different people of ``person_ids`` (at least two)."""
    first, second = draw(st.lists(st.sampled_from(person_ids), min_size=2, max_size=2, unique=True))
    return Tie(between=(first, second), kind=draw(st.sampled_from(TieKind)))


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    max_people: int = 6,
    max_events: int = 6,
    max_measures: int = 3,
) -> Case:
    """Valid cases covering every field and enum of the case format.

    Args:
        max_people, max_events, max_measures: the largest inventory, timeline and measure list.
    """
    assessed = draw(dates(min_value=dt.date(2000, 1, 1)))
    onset = assessed - dt.timedelta(days=draw(st.integers(min_value=0, max_value=1500)))
    person_ids = tuple(draw(st.lists(ids(), max_size=max_people, unique_by=str.lower)))
    inventory = tuple(draw(people(person_id=pid, assessed=assessed)) for pid in person_ids)
    tie_list: tuple[Tie, ...] = ()
    if len(person_ids) >= 2:
        tie_list = tuple(draw(st.lists(ties(person_ids=person_ids), max_size=3)))
    return Case(
        id=draw(ids()),
        assessed=assessed,
        onset=onset,
        patient=draw(_maybe(patients(assessed=assessed))),
        people=inventory,
        ties=tie_list,
        events=_one_death_each(
            inventory,
            draw(st.lists(events(person_ids=person_ids, assessed=assessed), max_size=max_events)),
        ),
        measures=tuple(draw(st.lists(measures(assessed=assessed), max_size=max_measures))),
        priority=draw(_maybe(st.sampled_from(ProblemArea))),
        extensions=draw(_maybe(json_objects())),
    )


def _one_death_each(inventory: tuple[Person, ...], drawn: list[Event]) -> tuple[Event, ...]:
    """The events without a second death of one person or a death before that person's dispute
    began (a case refuses both)."""
    since = {p.id: p.dispute.since for p in inventory if p.dispute is not None}
    dead: set[str | None] = set()
    kept = []
    for event in drawn:
        if event.kind is EventKind.DEATH:
            if event.person in dead or since.get(event.person or "", event.date) > event.date:
                continue
            dead.add(event.person)
        kept.append(event)
    return tuple(kept)


def case_documents(**kwargs: int) -> st.SearchStrategy[dict[str, Any]]:
    """The JSON documents (``dump_case``) of valid cases; ``kwargs`` as for :func:`cases`."""
    from iptcore.caseio import dump_case

    return cases(**kwargs).map(dump_case)


# --------------------------------------------------------------------------------------------
# Course plans and rating scales
# --------------------------------------------------------------------------------------------


@st.composite
def plans(
    draw: st.DrawFn, *, protocols: tuple[str, ...] | None = None, max_skips: int = 15
) -> CoursePlan:
    """Valid course plans (:func:`~iptcore.plan_course`) of every protocol, from its fewest
    sessions to its most (30 for an open-ended one), starting on any day from 2001 to 2080, with
    up to ``max_skips`` skipped dates (:attr:`~iptcore.CoursePlan.skip`) in the next 500 days.

    Args:
        protocols: the names of the protocols to draw from (default: all of
            :data:`~iptcore.PROTOCOLS`).
        max_skips: the most dates to skip.

    >>> from hypothesis import given, settings
    >>> from iptcore.courseio import dump_plan, load_plan
    >>> @settings(max_examples=5)
    ... @given(plans(protocols=("ipt", "ipt-b")))
    ... def test_plan_round_trip(plan):
    ...     assert load_plan(dump_plan(plan)) == plan
    >>> test_plan_round_trip()
    """
    name = draw(st.sampled_from(sorted(PROTOCOLS) if protocols is None else protocols))
    protocol = PROTOCOLS[name]
    count = draw(st.integers(protocol.min_sessions, protocol.max_sessions or 30))
    start = draw(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2080, 12, 31)))
    offsets = draw(st.lists(st.integers(1, 500), max_size=max_skips))
    skip = sorted({start + dt.timedelta(days=d) for d in offsets})
    return plan_course(name, start=start, sessions=count, skip=skip)


_SCALE_IDS = st.from_regex(r"[a-z][a-z0-9_.-]{0,10}", fullmatch=True)
_SCALE_TEXTS = st.text(min_size=1, max_size=20).filter(lambda t: t.strip() != "")


@st.composite
def _scale_items(draw: st.DrawFn, ident: str) -> Item:
    low = draw(st.integers(-5, 5))
    high = draw(st.integers(low, low + 10))
    values = draw(st.lists(st.integers(low, high), unique=True, max_size=3))
    anchors = {value: draw(_SCALE_TEXTS) for value in values}
    kind = draw(st.sampled_from(ItemKind))
    return Item(id=ident, text=draw(_SCALE_TEXTS), kind=kind, min=low, max=high, anchors=anchors)


@st.composite
def scales(draw: st.DrawFn, *, max_items: int = 5, max_subscales: int = 3) -> Scale:
    """Valid rating scales (:class:`~iptcore.ratings.Scale`): up to ``max_items`` items of every
    kind, with ranges from -5 up, anchors, and up to ``max_subscales`` subscales that sum or
    average some of the items; the texts are any Unicode text.

    >>> from hypothesis import given, settings
    >>> from iptcore.ratings import dump_scale, load_scale
    >>> @settings(max_examples=5)
    ... @given(scales())
    ... def test_scale_round_trip(scale):
    ...     assert load_scale(dump_scale(scale)) == scale
    >>> test_scale_round_trip()
    """
    item_ids = draw(st.lists(_SCALE_IDS, min_size=1, max_size=max_items, unique=True))
    scale_items = [draw(_scale_items(ident)) for ident in item_ids]
    sub_ids = draw(st.lists(_SCALE_IDS, max_size=max_subscales, unique=True))
    subscales = [
        Subscale(
            id=ident,
            name=draw(_SCALE_TEXTS),
            items=draw(st.lists(st.sampled_from(item_ids), min_size=1, unique=True)),
            combine=draw(st.sampled_from(["mean", "sum"])),
        )
        for ident in sub_ids
    ]
    return Scale(
        id=draw(_SCALE_IDS),
        name=draw(_SCALE_TEXTS),
        items=scale_items,
        subscales=subscales,
        source=draw(st.text(max_size=30)),
    )
