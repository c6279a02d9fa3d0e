"""A course plan, or a course as it happens, as an iCalendar file (RFC 5545) for a clinic's calendar.

The calendar is a file format at the edge: neither a plan nor a course writes itself, :func:`to_ics`
takes either. It needs the optional extra ``calendar`` (``pip install "iptcore[calendar]"``).

What a calendar shared by a clinic needs, and how the file gives it (RFC 5545 [RFC5545]):

- **One identity per appointment.** Each event's ``UID`` is a name-based UUID (version 5 [RFC4122])
  of the caller's ``key`` (for a course, its case id by default), the contract's protocol and first
  date, the session number and how often that session was missed before. Two patients' plans never
  share a UID; exporting the same plan or course again gives the same UIDs, so a calendar that
  imports the new file updates its own events instead of adding copies. The key itself is never
  written: only the hash is, so the file does not carry the case id.
- **Nothing clinical by default.** Titles say ``"Appointment"`` (or the clinic's word, ``title``);
  the kind of therapy, the session's phase, agenda and techniques (which may name people of the
  inventory) go in only with ``details=True``.
- **Times as calendar apps read them.** A session time ``at`` with a :class:`zoneinfo.ZoneInfo`
  ``tz`` is written with its ``TZID`` and a ``VTIMEZONE`` describing that zone, so a 14:30 session
  stays at 14:30 local time on both sides of a daylight-saving change; ``tz=datetime.UTC`` writes
  UTC times; without ``tz`` the time is "floating" (the reader's own zone); without ``at`` the
  sessions are all-day events.
- **A course's changes.** A moved session keeps its UID and gets its new date; a missed session's
  appointment is ``STATUS:CANCELLED`` and the session made up later is a new event; sessions an
  earlier state of the course planned and the course no longer has (a shorter contract, a course
  ended early) are exported cancelled, so that a re-import clears them. ``SEQUENCE`` counts the
  course's steps, so it never goes down from one export to the next.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

import attrs

from iptcore.errors import IptError

if TYPE_CHECKING:
    from iptcore.course import Course
    from iptcore.plan import CoursePlan
    from iptcore.terms import Phase

__all__ = ["to_ics"]

#: The namespace of every UID this module makes (uuid5 of the URL "https://iptcore/ics").
_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://iptcore/ics")
_LAST_DESCRIBED: Final = date(9990, 1, 1)
_LONGEST: Final = 24 * 60  # minutes: a session longer than a day is a mistake, not a session


@attrs.frozen(kw_only=True)
class _Slot:
    """One calendar event: an appointment for a session, kept or cancelled."""

    uid: str
    day: date
    number: int
    phase: Phase
    contract: int
    cancelled: bool
    agenda: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    protocol: str = ""


def _uid(key: str, protocol: str, start: date, number: int, attempt: int) -> str:
    name = f"{key}\x1f{protocol}\x1f{start.isoformat()}\x1f{number}\x1f{attempt}"
    return f"{uuid.uuid5(_NAMESPACE, name)}@iptcore"


def _plan_slots(plan: CoursePlan, key: str, contract: int = 0) -> Iterator[_Slot]:
    for s in plan.sessions:
        yield _Slot(
            uid=_uid(key, plan.protocol.name, plan.start, s.number, 0),
            day=s.date,
            number=s.number,
            phase=s.phase,
            contract=contract,
            cancelled=False,
            agenda=s.agenda,
            techniques=s.techniques,
            protocol=plan.protocol.title,
        )


def _course_slots(course: Course, key: str) -> list[_Slot]:
    """The appointments of a course as it stands: kept, moved, made up and cancelled."""
    first_plans = [course.contract] + [s.plan for s in course.steps if s.plan is not None]
    ended = course.state.value in ("closed", "dropped")
    slots: list[_Slot] = []
    for c, plan in enumerate(course.contracts):
        origin = first_plans[c]
        records = [r for r in course.records if r.contract == c]
        held = {r.number for r in records if r.status == "held"}
        missed: dict[int, int] = {}
        for r in records:
            if r.status != "missed":
                continue
            attempt = missed.get(r.number, 0)
            missed[r.number] = attempt + 1
            slots.append(
                _Slot(
                    uid=_uid(key, origin.protocol.name, origin.start, r.number, attempt),
                    day=r.date,
                    number=r.number,
                    phase=r.phase,
                    contract=c,
                    cancelled=True,
                    protocol=plan.protocol.title,
                )
            )
        last = c == len(course.contracts) - 1
        # A missed session that was not made up (the keep_end rule) stays in the plan on its own
        # date: it is the cancelled appointment above, not a second one.
        lost = {(r.number, r.date) for r in records if r.status == "missed"}
        for s in plan.sessions:
            if (s.number, s.date) in lost and s.number not in held:
                continue
            slots.append(
                _Slot(
                    uid=_uid(
                        key, origin.protocol.name, origin.start, s.number, missed.get(s.number, 0)
                    ),
                    day=s.date,
                    number=s.number,
                    phase=s.phase,
                    contract=c,
                    cancelled=ended and last and s.number not in held,
                    agenda=s.agenda,
                    techniques=s.techniques,
                    protocol=plan.protocol.title,
                )
            )
    return slots


def _all_course_slots(course: Course, key: str) -> list[_Slot]:
    """The course's slots, plus, cancelled, every slot an earlier state of it had and it has not."""
    slots = _course_slots(course, key)
    seen = {slot.uid for slot in slots}
    gone: dict[str, _Slot] = {}
    for earlier in course.history[:-1]:
        for slot in _course_slots(earlier, key):
            if slot.uid not in seen:
                gone[slot.uid] = attrs.evolve(slot, cancelled=True)
    slots.extend(gone.values())
    return sorted(slots, key=lambda s: (s.contract, s.day, s.number, s.cancelled is False))


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise IptError(f"{name}: must be a non-empty string, got {value!r}")
    return value


def _check_tz(tz: object) -> tzinfo | None:
    if tz is None or tz is UTC or isinstance(tz, ZoneInfo):
        return tz
    raise IptError(f"tz: must be a zoneinfo.ZoneInfo, datetime.UTC or None, got {tz!r}")


def _times(
    slot: _Slot, index: int, at: time | None, tz: tzinfo | None, minutes: int
) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND of a slot; a date past the calendar's last day is an IptError."""
    try:
        if at is None:
            return slot.day, slot.day + timedelta(days=1)
        begin = datetime.combine(slot.day, at, tzinfo=tz)
        end = begin + timedelta(minutes=minutes)
        if tz is not None:
            end.astimezone(UTC)  # the UTC form must exist too: readers convert
        return begin, end
    except OverflowError:
        raise IptError(
            f"sessions[{index}].date: {slot.day} leaves no room for the event's end "
            "before 9999-12-31"
        ) from None


def _stamp(schedule: CoursePlan | Course) -> datetime:
    """Midnight UTC of the plan's first date, or of the latest date a course's steps name."""
    from iptcore.plan import CoursePlan

    if isinstance(schedule, CoursePlan):
        return datetime.combine(schedule.start, time(0), tzinfo=UTC)
    days = [schedule.contract.start, *(r.date for r in schedule.records)]
    for step in schedule.steps:
        days += [d for d in (step.date, step.to) if d is not None]
    return datetime.combine(max(days), time(0), tzinfo=UTC)


def to_ics(
    schedule: CoursePlan | Course,
    *,
    key: str | None = None,
    at: time | None = None,
    tz: ZoneInfo | tzinfo | None = None,
    minutes: int = 50,
    title: str = "Appointment",
    details: bool = False,
    stamp: datetime | None = None,
) -> str:
    """A plan or a course as iCalendar text (RFC 5545 [RFC5545]), one event per appointment.

    Args:
        schedule: a plan (:func:`iptcore.plan_course`) or a course (:class:`iptcore.Course`), whose
            moved, missed and cancelled sessions are exported as such.
        key: what makes this patient's UIDs their own: any text the caller keeps for the case (its
            id, or a secret for a calendar that must not allow guessing it back). Required with a
            plan, which does not know its case; a course's case id by default. It is hashed, never
            written.
        at: the sessions' time of day; ``None`` makes all-day events.
        tz: the zone of ``at``: a :class:`zoneinfo.ZoneInfo` (written with ``TZID`` and a
            ``VTIMEZONE``), :data:`datetime.UTC`, or ``None`` for floating local time.
        minutes: each session's length, 1 to 1440 ("45-50 minutes" [COMP]).
        title: every event's title; neutral by default.
        details: also write the therapy, session number, phase, agenda and techniques.
        stamp: the DTSTAMP of every event; by default midnight UTC of the plan's first date, or of
            a course's latest step, so that the same input always gives the same text (the library
            reads no clock).

    Raises:
        ImportError: when the ``calendar`` extra (icalendar) is not installed.
        IptError: for a bad argument, naming it; for a session too close to 9999-12-31 to end.

    >>> from datetime import date, time
    >>> from zoneinfo import ZoneInfo
    >>> from iptcore import plan_course
    >>> plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3)
    >>> text = to_ics(plan, key="case-7", at=time(14, 30), tz=ZoneInfo("Europe/Berlin"))
    >>> "DTSTART;TZID=Europe/Berlin:20260309T143000" in text, "SUMMARY:Appointment" in text
    (True, True)
    """
    try:
        import icalendar
    except ImportError as missing:
        raise ImportError(
            "iptcore.ics needs the 'calendar' extra: pip install \"iptcore[calendar]\""
        ) from missing
    from iptcore.course import Course
    from iptcore.plan import CoursePlan

    if isinstance(schedule, Course):
        key = schedule.case.id if key is None else _check_text("key", key)
        slots = _all_course_slots(schedule, key)
        sequence = len(schedule.steps)
    elif isinstance(schedule, CoursePlan):
        if key is None:
            raise IptError(
                "key: a plan does not know its case; give key= (the case id, or any text kept "
                "for the case) so that two patients' events never share a UID"
            )
        slots = list(_plan_slots(schedule, _check_text("key", key)))
        sequence = 0
    else:
        raise IptError(
            f"schedule: must be an iptcore.CoursePlan or Course, got {type(schedule).__name__}"
        )
    if at is not None and (not isinstance(at, time) or at.tzinfo is not None):
        raise IptError(f"at: must be a datetime.time without tzinfo (give tz=), got {at!r}")
    zone = _check_tz(tz)
    if zone is not None and at is None:
        raise IptError("tz: needs at=, the time of day (all-day events have no zone)")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= _LONGEST:
        raise IptError(f"minutes: must be a whole number from 1 to {_LONGEST}, got {minutes!r}")
    _check_text("title", title)
    if not isinstance(details, bool):
        raise IptError(f"details: must be True or False, got {details!r}")
    if stamp is None:
        stamp = _stamp(schedule)
    elif not isinstance(stamp, datetime):
        raise IptError(f"stamp: must be a datetime, got {stamp!r}")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//iptcore//course plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    for index, slot in enumerate(slots):
        begin, end = _times(slot, index, at, zone, minutes)
        event = icalendar.Event()
        event.add("uid", slot.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("status", "CANCELLED" if slot.cancelled else "CONFIRMED")
        event.add("summary", _summary(slot, title, details))
        event.add("dtstart", begin)
        event.add("dtend", end)
        if details:
            body = [f"- {item}" for item in slot.agenda]
            if slot.techniques:
                body.append("Techniques: " + ", ".join(slot.techniques))
            if body:
                event.add("description", "\n".join(body))
        cal.add_component(event)
    if isinstance(zone, ZoneInfo):
        _add_zone(cal, slots, zone)
    text: str = cal.to_ical().decode("utf-8")
    return text


def _summary(slot: _Slot, title: str, details: bool) -> str:
    words = title
    if details:
        words += f": {slot.protocol}, session {slot.number} ({slot.phase.value})"
    if slot.cancelled:
        words += " (cancelled)"
    return words


def _add_zone(cal: Any, slots: list[_Slot], zone: ZoneInfo) -> None:
    """The VTIMEZONE of ``zone`` over the sessions' span (RFC 5545 s. 3.6.5)."""
    import icalendar

    # The zone's rules repeat every year past the last change tzdata knows; the span is clamped so
    # that sessions late in year 9999 still get a description (icalendar computes a year ahead).
    days = [min(s.day, _LAST_DESCRIBED) for s in slots]
    try:
        component = icalendar.Timezone.from_tzinfo(
            zone, tzid=zone.key, first_date=min(days), last_date=max(days) + timedelta(days=1)
        )
    except (OverflowError, ValueError):
        raise IptError(
            f"tz: the zone {zone.key} cannot be described for sessions up to {max(days)}"
        ) from None
    cal.add_component(component)
