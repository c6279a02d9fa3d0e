"""Large cases within the documented limits take seconds, never minutes: no quadratic work.

Each test uses a size at which the quadratic code this replaced took minutes (100,000 people and
100,000 ties made ``describe`` run about eight minutes, 50,000 of each about two; 20,000 events
made ``timeline_svg`` run ten seconds, 50,000 more than a minute) while linear code takes seconds,
under a generous alarm rather than a timing assertion: a slow machine passes, a quadratic
regression fails.
How the time grows is measured by ``benchmarks/large_case.py``. Every case is fictional.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from types import FrameType

import pytest

from iptcore import Case, Event, Person, Tie, classify, load_case
from iptcore.draw import timeline_svg

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the alarm needs POSIX signals (signal.alarm)"
)

ASSESSED = date(2026, 3, 2)


@contextmanager
def _within(seconds: int) -> Iterator[None]:
    """Fail the test when the block runs longer than ``seconds`` (wall clock, via SIGALRM)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        pytest.fail(f"took more than {seconds} s: quadratic work?")

    before = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def _crowd(n: int, ties: int) -> Case:
    """A fictional case of ``n`` people on the four rings and ``ties`` ties between them."""
    doc = {
        "format": "iptcore.case/1",
        "id": "fictional-crowd",
        "assessed": ASSESSED.isoformat(),
        "onset": "2025-12-01",
        "people": [{"id": f"p{i}", "role": "friend", "closeness": 1 + i % 4} for i in range(n)],
        "ties": [
            {"between": [f"p{i % n}", f"p{(i * 7 + 1) % n}"], "kind": "close"} for i in range(ties)
        ],
    }
    return load_case(doc)


def test_describe_of_fifty_thousand_people_and_ties_takes_seconds() -> None:
    """An inventory of 50,000 people and 50,000 ties is described in seconds: every tie names its
    two people by a lookup that does not scan the inventory."""
    case = _crowd(50_000, 50_000)
    with _within(60):
        text = case.inventory.describe()
    assert text.startswith(
        "Interpersonal inventory of case fictional-crowd: 50000 people, 50000 ties"
    )
    assert "Tie: p49999 and p49994: close" in text  # the last tie, both people found
    assert text.count("\nTie: ") == 50_000


def test_looking_up_every_person_takes_seconds() -> None:
    """``Case.person`` and ``Inventory.get`` for each of 50,000 people, as a caller walking the
    ties does, in seconds; each finds the person, and an unknown id is still refused."""
    case = _crowd(50_000, 0)
    inventory = case.inventory
    with _within(30):
        found = [case.person(p.id) for p in case.people]
        got = [inventory.get(p.id) for p in case.people]
    assert found == list(case.people) == got
    assert inventory.get("nobody") is None
    with pytest.raises(KeyError):
        case.person("nobody")


def test_timeline_of_fifty_thousand_events_takes_seconds() -> None:
    """A timeline of 50,000 events, every one in the window and so crowded into lanes and
    candidates, is drawn in seconds, and still shows every event."""
    people = tuple(Person(id=f"p{i}", role="friend", closeness=1 + i % 2) for i in range(100))
    events = tuple(
        Event(
            date=ASSESSED - timedelta(days=i % 400),
            kind="death" if i < 100 else "relocation",  # each person dies once at most
            person=f"p{i}" if i < 100 else None,
        )
        for i in range(50_000)
    )
    case = Case(
        id="fictional-timeline",
        assessed=ASSESSED,
        onset=date(2025, 12, 1),
        people=people,
        ties=(Tie(between=("p0", "p1"), kind="close"),),
        events=events,
    )
    result = classify(case)
    with _within(120):
        svg = timeline_svg(case, result)
    assert svg.count("<g class='event'") == 50_000
    assert svg.count("<g class='anchor'") == len(result.candidates)
