"""Tests for the calendar export (iptcore.ics): one clinic calendar, many patients, plans that change.

Every test reads the text back with ``icalendar`` (a calendar app's parser), and the shared-calendar
tests keep a dict from UID to event, which is what a calendar does with an imported file: a known UID
updates its event, a new one adds an event (RFC 5545 s. 3.8.4.7).
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import PROTOCOLS, Course, IptError, plan_course
from iptcore.ics import to_ics
from iptcore.vignettes import vignette

icalendar = pytest.importorskip("icalendar")

MONDAY = date(2026, 3, 2)
BERLIN = ZoneInfo("Europe/Berlin")


def events(text: str) -> list[Any]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def by_uid(text: str) -> dict[str, Any]:
    found = {str(e["uid"]): e for e in events(text)}
    assert len(found) == len(events(text)), "a file holds one event per UID"
    return found


def import_into(calendar: dict[str, Any], text: str) -> None:
    """What a calendar app does with an imported file: replace by UID, add the rest."""
    calendar.update(by_uid(text))


def course_of(name: str = "demo", sessions: int = 3, on_miss: str | None = None) -> Course:
    protocol = (
        PROTOCOLS["ipc"] if on_miss is None else attrs.evolve(PROTOCOLS["ipc"], on_miss=on_miss)
    )
    plan = plan_course(protocol, start=date(2026, 3, 9), sessions=sessions, focus=["role_dispute"])
    return Course.begin(vignette(name), plan)


# -- a plan ---------------------------------------------------------------------------------------


def test_plan_parses_back_with_one_neutral_event_per_session() -> None:
    """One event per session, on the session's date, titled "Appointment" with nothing clinical."""
    plan = plan_course("ipt-b", start=MONDAY, focus=["role_transition"])
    text = to_ics(plan, key="case-1")
    found = events(text)
    assert len(found) == len(plan.sessions)
    assert [e.decoded("dtstart") for e in found] == [s.date for s in plan.sessions]
    assert {str(e["summary"]) for e in found} == {"Appointment"}
    assert all("description" not in e for e in found)
    for word in ("IPT", "session", "role", "transition", "case-1"):
        assert word not in text
    assert text == to_ics(plan, key="case-1")  # no clock: the same plan gives the same text


def test_details_are_written_only_when_asked() -> None:
    """details=True adds the therapy, session number, phase, agenda and techniques."""
    plan = plan_course("ipt-b", start=MONDAY, focus=["role_transition"])
    found = events(to_ics(plan, key="case-1", details=True, title="Dr Rao"))
    assert str(found[0]["summary"]) == f"Dr Rao: {plan.protocol.title}, session 0 (engagement)"
    assert "review_of_roles" in str(found[3]["description"])


def test_a_time_of_day_and_the_length() -> None:
    """Sessions of 45-50 minutes [COMP] at a chosen time, floating without a zone."""
    plan = plan_course("ipc", start=MONDAY, sessions=3)
    found = events(to_ics(plan, key="k", at=time(14, 30), minutes=45))
    start, end = found[1].decoded("dtstart"), found[1].decoded("dtend")
    assert start == datetime(2026, 3, 9, 14, 30)
    assert end - start == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "^key: a plan does not know its case"),
        ({"key": ""}, "^key: must be a non-empty string"),
        ({"key": 7}, "^key: must be a non-empty string"),
        ({"key": "k", "minutes": 0}, "^minutes: must be a whole number from 1 to 1440"),
        ({"key": "k", "minutes": 10**12}, "^minutes: must be a whole number from 1 to 1440"),
        ({"key": "k", "minutes": True}, "^minutes"),
        ({"key": "k", "at": "14:30"}, "^at: must be a datetime.time"),
        ({"key": "k", "at": time(14, 30, tzinfo=UTC)}, "^at: .*give tz="),
        ({"key": "k", "at": time(9), "tz": "Europe/Berlin"}, "^tz: must be a zoneinfo.ZoneInfo"),
        ({"key": "k", "tz": BERLIN}, "^tz: needs at="),
        ({"key": "k", "title": " "}, "^title: must be a non-empty string"),
        ({"key": "k", "details": "yes"}, "^details: must be True or False"),
        ({"key": "k", "stamp": date(2026, 1, 1)}, "^stamp: must be a datetime"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(IptError, match=match):
        to_ics(plan_course("ipc", start=MONDAY, sessions=3), **kwargs)


def test_not_a_plan_names_the_argument() -> None:
    with pytest.raises(IptError, match=r"^schedule: must be an iptcore\.CoursePlan or Course"):
        to_ics("plan.json", key="k")  # type: ignore[arg-type]


def test_without_icalendar_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """icalendar is an optional extra: its absence is an ImportError (not an IptError, which
    means a user's mistake) naming the extra and the pip command."""
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(ImportError, match=r"'calendar' extra: pip install \"iptcore\[calendar\]\""):
        to_ics(plan_course("ipc", start=MONDAY), key="k")


# -- the last days a date holds ---------------------------------------------------------------------


def late_plan() -> Any:
    """A plan whose last session is on 9999-12-31, as a plan file may say."""
    plan = plan_course("ipc", start=date(9999, 12, 10), sessions=3)
    last = attrs.evolve(plan.sessions[-1], date=date(9999, 12, 31))
    return attrs.evolve(plan, sessions=(*plan.sessions[:-1], last))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"at": time(23, 50)},
        {"at": time(23, 50), "tz": UTC},
        {"at": time(23, 30), "tz": BERLIN},
        {"at": time(20), "tz": ZoneInfo("America/New_York")},  # ends 01:50 UTC in year 10000
    ],
)
def test_a_session_on_the_last_day_is_an_ipt_error_not_an_overflow(kwargs: dict[str, Any]) -> None:
    with pytest.raises(IptError, match=r"^sessions\[2\]\.date: 9999-12-31 leaves no room"):
        to_ics(late_plan(), key="k", **kwargs)


def test_sessions_late_in_year_9999_with_a_zone_still_export() -> None:
    plan = plan_course("ipc", start=date(9999, 11, 1), sessions=3)
    found = events(to_ics(plan, key="k", at=time(9), tz=ZoneInfo("America/New_York")))
    last = found[-1].decoded("dtstart")
    assert (last.date(), last.hour, last.utcoffset()) == (plan.end, 9, timedelta(hours=-5))


# -- time zones ---------------------------------------------------------------------------------------


def test_a_zone_keeps_the_local_time_across_daylight_saving() -> None:
    """Berlin changes to summer time on 2026-03-29: the session stays at 14:30 local, which is
    13:30 UTC before and 12:30 UTC after, and the file carries the zone's VTIMEZONE."""
    plan = plan_course("ipc", start=date(2026, 3, 16), sessions=4)
    text = to_ics(plan, key="k", at=time(14, 30), tz=BERLIN)
    assert "DTSTART;TZID=Europe/Berlin:20260323T143000" in text
    zones = list(icalendar.Calendar.from_ical(text).walk("VTIMEZONE"))
    assert [str(z["tzid"]) for z in zones] == ["Europe/Berlin"]
    starts = [e.decoded("dtstart") for e in events(text)]
    assert {(s.hour, s.minute) for s in starts} == {(14, 30)}
    in_utc = [s.astimezone(UTC).hour for s in starts]
    assert in_utc[:2] == [13, 13]  # 16, 23 March: CET
    assert set(in_utc[2:]) == {12}  # 30 March on: CEST


def test_the_zone_as_written_is_the_zone_a_reader_computes() -> None:
    """The VTIMEZONE alone (read without tzdata's name) gives the same UTC instants."""
    plan = plan_course("ipc", start=date(2026, 10, 12), sessions=4)  # Berlin leaves CEST 25 Oct
    text = to_ics(plan, key="k", at=time(8, 0), tz=BERLIN).replace("Europe/Berlin", "Clinic/Zone")
    starts = [e.decoded("dtstart").astimezone(UTC) for e in events(text)]
    expected = [
        datetime.combine(s.date, time(8), tzinfo=BERLIN).astimezone(UTC) for s in plan.sessions
    ]
    assert starts == expected


def test_utc_times_are_written_with_z() -> None:
    plan = plan_course("ipc", start=MONDAY, sessions=3)
    text = to_ics(plan, key="k", at=time(13, 0), tz=UTC)
    assert "DTSTART:20260302T130000Z" in text
    assert "VTIMEZONE" not in text


# -- one calendar, many patients --------------------------------------------------------------------


def test_two_patients_in_one_calendar_keep_all_their_events() -> None:
    """The same protocol from the same Monday for two patients: no UID is shared."""
    plan = plan_course("ipt", start=MONDAY, focus=["grief"])
    calendar: dict[str, Any] = {}
    import_into(calendar, to_ics(plan, key="patient-a"))
    import_into(calendar, to_ics(plan, key="patient-b"))
    assert len(calendar) == 2 * len(plan.sessions)


@given(st.text(min_size=1).filter(str.strip), st.text(min_size=1).filter(str.strip))
def test_different_keys_never_share_a_uid(a: str, b: str) -> None:
    plan = plan_course("ipc", start=MONDAY, sessions=3)
    ours, theirs = set(by_uid(to_ics(plan, key=a))), set(by_uid(to_ics(plan, key=b)))
    assert (ours & theirs == set()) is (a != b)


def test_the_key_is_never_written() -> None:
    course = course_of()
    text = to_ics(course, details=True)
    assert course.case.id not in text


def test_a_course_replaces_its_plans_events_and_moves_a_session() -> None:
    """The plan is imported, then the course after a move: same UIDs, the moved one redated."""
    course = course_of()
    calendar: dict[str, Any] = {}
    import_into(calendar, to_ics(course.plan, key=course.case.id))
    import_into(calendar, to_ics(course_of("widow"), details=True))  # another patient
    before = dict(calendar)
    moved = course.hold().move(to=date(2026, 3, 18))
    import_into(calendar, to_ics(moved))
    assert calendar.keys() == before.keys()
    changed = [
        uid
        for uid in calendar
        if calendar[uid].decoded("dtstart") != before[uid].decoded("dtstart")
    ]
    assert len(changed) == 1
    assert calendar[changed[0]].decoded("dtstart") == date(2026, 3, 18)
    assert int(calendar[changed[0]]["sequence"]) > int(before[changed[0]]["sequence"])


def test_a_missed_session_is_cancelled_and_its_make_up_is_a_new_event() -> None:
    """Under the keep_count rule a missed session is made up: the appointment that was missed reads
    CANCELLED, on its date, and the session is made up one week later under a new UID."""
    course = course_of(on_miss="keep_count")
    calendar: dict[str, Any] = {}
    import_into(calendar, to_ics(course))
    missed = course.hold().miss(reason="ill")
    import_into(calendar, to_ics(missed))
    cancelled = [e for e in calendar.values() if str(e["status"]) == "CANCELLED"]
    assert [e.decoded("dtstart") for e in cancelled] == [course.plan.sessions[1].date]
    kept = sorted(
        e.decoded("dtstart") for e in calendar.values() if str(e["status"]) == "CONFIRMED"
    )
    assert kept == [s.date for s in missed.plan.sessions]
    assert len(calendar) == len(course.plan.sessions) + 1


def test_a_missed_session_lost_under_keep_end_is_cancelled_and_not_made_up() -> None:
    """Under keep_end (the default: the contract's end stays [COMP]) the missed appointment reads
    CANCELLED and no second appointment is made for it: one event per planned session."""
    course = course_of()
    missed = course.hold().miss(reason="ill")
    found = events(to_ics(missed))
    assert len(found) == len(course.plan.sessions)
    status = {e.decoded("dtstart"): str(e["status"]) for e in found}
    assert status[course.plan.sessions[1].date] == "CANCELLED"
    assert missed.plan.end == course.plan.end


def test_sessions_an_ended_course_will_not_hold_are_cancelled() -> None:
    """A drop-out: every session not held reads CANCELLED, so a re-import clears them."""
    course = course_of(sessions=4).hold().drop_out(reason="moved away")
    status = [str(e["status"]) for e in events(to_ics(course))]
    assert status == ["CONFIRMED"] + ["CANCELLED"] * (len(course.plan.sessions) - 1)


def test_sessions_a_shorter_contract_drops_are_cancelled() -> None:
    """Renegotiated from 16 to 12 sessions: the four appointments past the new end are cancelled."""
    plan = plan_course("ipt", start=MONDAY, sessions=16, focus=["grief"])
    course = Course.begin(vignette("widow"), plan).hold().hold()
    shorter = course.renegotiate(sessions=12, reason="going abroad")
    calendar: dict[str, Any] = {}
    import_into(calendar, to_ics(course))
    import_into(calendar, to_ics(shorter))
    status = {d.decoded("dtstart"): str(d["status"]) for d in calendar.values()}
    assert len(status) == len(plan.sessions)
    assert {day for day, s in status.items() if s == "CANCELLED"} == {
        s.date for s in plan.sessions[-4:]
    }
