"""A course plan as an iCalendar file (RFC 5545), for a clinician's calendar.

The calendar is a file format at the edge: a plan does not write itself, :func:`to_ics` takes it.
It needs the optional extra ``calendar`` (``pip install "iptcore[calendar]"``).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from iptcore.errors import IptError
from iptcore.plan import CoursePlan

__all__ = ["to_ics"]


def to_ics(
    plan: CoursePlan, *, at: time | None = None, minutes: int = 50, stamp: datetime | None = None
) -> str:
    """The plan as iCalendar text (RFC 5545), one event per session.

    Args:
        plan: the plan (:func:`iptcore.plan_course`).
        at: the sessions' time of day (local, floating); ``None`` makes all-day events.
        minutes: each session's length ("45-50 minutes" [COMP]).
        stamp: the DTSTAMP of every event; by default midnight UTC of the first session's date,
            so that the same plan always gives the same text (the library reads no clock).

    Raises:
        ImportError: when the ``calendar`` extra (icalendar) is not installed.
        IptError: for a bad argument.
    """
    try:
        import icalendar
    except ImportError as missing:
        raise ImportError(
            "iptcore.ics needs the 'calendar' extra: pip install \"iptcore[calendar]\""
        ) from missing
    if not isinstance(plan, CoursePlan):
        raise IptError(f"plan: must be an iptcore.CoursePlan, got {type(plan).__name__}")
    if at is not None and not isinstance(at, time):
        raise IptError(f"time: must be a datetime.time or None, got {at!r}")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        raise IptError(f"minutes: must be a whole number of minutes, got {minutes!r}")
    if stamp is None:
        stamp = datetime.combine(plan.start, time(0), tzinfo=UTC)
    elif not isinstance(stamp, datetime):
        raise IptError(f"stamp: must be a datetime, got {stamp!r}")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//iptcore//course plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{plan.protocol.title}")
    for s in plan.sessions:
        event = icalendar.Event()
        event.add("uid", f"iptcore-{plan.protocol.name}-{plan.start.isoformat()}-{s.number}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{plan.protocol.title}: session {s.number} ({s.phase.value})")
        if at is None:
            event.add("dtstart", s.date)
            event.add("dtend", s.date + timedelta(days=1))
        else:
            begin = datetime.combine(s.date, at)
            event.add("dtstart", begin)
            event.add("dtend", begin + timedelta(minutes=minutes))
        body = [f"- {item}" for item in s.agenda]
        if s.techniques:
            body.append("Techniques: " + ", ".join(s.techniques))
        event.add("description", "\n".join(body))
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
