"""Tests that kill the mutants that survived in the protocol modules (protocols.py, phasetasks.py).

The protocols are data [COMP; ISIPT] checked by ``Protocol._problems``
when built; the built-in ones are built at import, so a boundary of those checks is seen by the
mutation run only when a test builds a protocol itself (``attrs.evolve`` re-checks one). The tests
below hold each check at its boundary, with the source it encodes, and the monthly cadence's
anchor day. ``mutation/README.md`` has the run.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Any

import attrs
import pytest

from iptcore import PROTOCOLS, IptError, Phase, ProtocolError
from iptcore import protocols as pt
from iptcore._dates import add_months
from iptcore.limits import Limits
from iptcore.protocols import Cadence, Protocol, schedule


def _protocol(**changes: Any) -> Protocol:
    """A small valid fictional protocol: 6 weekly sessions, 3 initial, 3 termination."""
    values: dict[str, Any] = {
        "name": "six",
        "title": "Six",
        "min_sessions": 6,
        "max_sessions": 6,
        "default_sessions": 6,
        "initial_sessions": 3,
        "termination_sessions": 3,
        "termination_notice": 2,
    }
    values.update(changes)
    return Protocol(**values)


def test_the_built_in_protocols_pass_their_own_checks() -> None:
    """Each built-in protocol, re-checked at test time, is valid [COMP; ISIPT]."""
    for protocol in PROTOCOLS.values():
        assert attrs.evolve(protocol) == protocol


def test_phases_may_meet_but_not_overlap() -> None:
    """Initial sessions 1..k and the last termination sessions may together fill the shortest
    course, not more ("three phases" [ISIPT])."""
    assert _protocol().min_sessions == 6
    with pytest.raises(
        IptError, match=r"initial \(4\) and termination \(3\) sessions overlap at 6 sessions"
    ):
        _protocol(initial_sessions=4)


def test_counts_at_their_lowest() -> None:
    """A course has at least one session; one initial and one termination session are enough
    (IPC: 3 sessions, Weissman 2014); the end is raised at least two sessions before it [COMP]."""
    assert attrs.evolve(PROTOCOLS["maintenance"], min_sessions=1).min_sessions == 1
    assert _protocol(initial_sessions=1, termination_sessions=1).initial_sessions == 1
    assert _protocol(termination_notice=2).termination_notice == 2
    assert _protocol(min_sessions=6, max_sessions=6).max_sessions == 6
    with pytest.raises(IptError, match=r"max_sessions: 5 is below min_sessions \(6\)"):
        _protocol(max_sessions=5, default_sessions=6)
    with pytest.raises(
        IptError, match=r"initial_sessions and termination_sessions: must be at least 1$"
    ):
        _protocol(initial_sessions=0)
    with pytest.raises(
        IptError, match=r"initial_sessions and termination_sessions: must be at least 1$"
    ):
        _protocol(termination_sessions=0)
    with pytest.raises(
        IptError,
        match=r"termination_notice: the end is raised at least 2 sessions before it \[COMP\], got 1$",
    ):
        _protocol(termination_notice=1)
    with pytest.raises(
        IptError,
        match=r"termination_notice: 6 sessions before the last leaves no session to raise the end in at 6 sessions$",
    ):
        _protocol(termination_notice=6)
    assert _protocol(termination_notice=5).termination_notice == 5


def test_every_problem_is_listed() -> None:
    with pytest.raises(IptError) as info:
        attrs.evolve(PROTOCOLS["ipt"], name="", tasks=(1,), min_sessions=0)
    assert str(info.value) == (
        "protocol '': name: must not be empty; tasks: must be a tuple of Task; min_sessions: must "
        "be at least 1, got 0; initial (3) and termination (3) sessions overlap at 0 sessions; "
        "termination_notice: 4 sessions before the last leaves no session to raise the end in at "
        "0 sessions"
    )


def test_a_maintenance_protocol_has_only_maintenance_sessions() -> None:
    """IPT-M: every session is a maintenance session (Frank et al. 1990, 1991)."""
    message = "a maintenance protocol has no engagement, initial or termination sessions"
    for change in ({"engagement": True}, {"initial_sessions": 1}, {"termination_sessions": 1}):
        with pytest.raises(IptError, match=message):
            attrs.evolve(PROTOCOLS["maintenance"], **change)


def test_counts_are_whole_numbers_and_only_max_sessions_may_be_open() -> None:
    assert attrs.evolve(PROTOCOLS["ipt"], max_sessions=None).max_sessions is None
    for field in ("min_sessions", "default_sessions", "initial_sessions"):
        for bad in (None, "x", True, -1):
            with pytest.raises(
                IptError, match=rf"{field}: must be a whole number, 0 or more, got "
            ):
                attrs.evolve(PROTOCOLS["ipt"], **{field: bad})


def test_tasks_become_a_tuple() -> None:
    tasks = list(PROTOCOLS["ipt"].tasks)
    assert attrs.evolve(PROTOCOLS["ipt"], tasks=tasks).tasks == tuple(tasks)
    with pytest.raises(IptError, match="tasks: must be a tuple of Task"):
        attrs.evolve(PROTOCOLS["ipt"], tasks=5)


def test_the_session_limit_holds_for_counts_and_defaults() -> None:
    """iptcore.limits: at most 1,000 sessions, even for maintenance IPT, which has no upper bound."""
    maintenance = PROTOCOLS["maintenance"]
    assert maintenance.check_count(1_000) == 1_000
    with pytest.raises(
        IptError,
        match=r"^renegotiated: 1,001 sessions is more than the limit of 1,000 \(max_sessions\)$",
    ):
        maintenance.check_count(1_001, name="renegotiated")
    with pytest.raises(IptError, match=r"^sessions: 13 sessions is more than the limit of 12"):
        maintenance.check_count(13, limits=Limits(max_sessions=12))  # the caller's limits
    assert attrs.evolve(maintenance, default_sessions=1_000).default_sessions == 1_000
    with pytest.raises(IptError, match=r"default_sessions: 1001 is more than the limit of 1000"):
        attrs.evolve(maintenance, default_sessions=1_001)


def test_tasks_for_wants_a_phase() -> None:
    assert PROTOCOLS["ipt"].tasks_for("initial") == PROTOCOLS["ipt"].tasks_for(Phase.INITIAL)
    with pytest.raises(
        IptError,
        match=r"^phase: must be one of engagement, initial, middle, termination, maintenance, got 3$",
    ):
        PROTOCOLS["ipt"].tasks_for(3)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^phase: must be one of .*, got 'closing'$"):
        PROTOCOLS["ipt"].tasks_for("closing")


def test_a_monthly_course_keeps_its_anchor_day() -> None:
    """IPT-M is monthly (Frank et al. 1990, 1991): sessions keep their day of the month,
    clamped to each month's last day, so a course begun on the 31st comes back to it."""
    start = date(2027, 2, 28)
    slots = list(islice(Cadence.MONTHLY.slots(start, anchor_day=31), 3))
    assert slots == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert Cadence.MONTHLY.after(start, anchor_day=31) == date(2027, 3, 31)
    assert Cadence.MONTHLY.after(start) == date(2027, 3, 28)
    assert schedule(Cadence.MONTHLY, start, 2, anchor_day=31) == (start, date(2027, 3, 31))
    assert add_months(start, 1, day=31) == date(2027, 3, 31)
    assert add_months(start, 1) == date(2027, 3, 28)


def test_a_task_needs_an_id_and_a_text() -> None:
    with pytest.raises(IptError, match=r"^task '': id and text must not be empty$"):
        pt.Task(id="", phase=Phase.INITIAL, text="t", source="s")
    with pytest.raises(IptError, match=r"^task 'x': id and text must not be empty$"):
        pt.Task(id="x", phase=Phase.INITIAL, text="", source="s")


def test_the_task_helper_builds_a_task() -> None:
    """The phase-task tables [COMP; FOCUS] are built with one helper, called here at test time."""
    assert pt._task("link", Phase.MIDDLE, "Link mood", "[COMP]", every=True) == pt.Task(
        id="link", phase=Phase.MIDDLE, text="Link mood", source="[COMP]", every=True
    )
    assert pt._task("x", Phase.INITIAL, "t", "s").every is False


def test_a_count_is_named_in_its_error() -> None:
    """IPT is "12-16 weekly individual sessions" [COMP; ISIPT]."""
    with pytest.raises(ProtocolError, match=r"^sessions: ipt allows 12-16 sessions, got 20$"):
        PROTOCOLS["ipt"].check_count(20)
    with pytest.raises(IptError, match=r"^sessions: 1,001 sessions is more than the limit") as info:
        PROTOCOLS["maintenance"].check_count(1_001)
    assert not isinstance(info.value, ProtocolError)  # a size limit, not a step IPT forbids


def test_a_maintenance_error_is_said_exactly() -> None:
    with pytest.raises(IptError) as info:
        attrs.evolve(PROTOCOLS["maintenance"], engagement=True)
    assert str(info.value) == (
        "protocol 'maintenance': a maintenance protocol has no engagement, initial or "
        "termination sessions"
    )


def test_sessions_past_the_calendar_are_an_ipterror() -> None:
    """Dates past 9999-12-31 are refused in words, not by date arithmetic's own errors."""
    with pytest.raises(
        IptError,
        match=r"^the sessions would run past 9999-12-31, the last date a datetime.date holds$",
    ):
        schedule(Cadence.WEEKLY, date(9999, 12, 20), 3)
    with pytest.raises(IptError, match=r"^the sessions would run past 9999-12-31"):
        schedule(Cadence.MONTHLY, date(9999, 11, 20), 3)


def test_a_task_renders_its_placeholders() -> None:
    """The contract names the count, the cadence and the end [COMP]."""
    task = pt.Task(
        id="contract",
        phase=Phase.INITIAL,
        source="[COMP]",
        text="{sessions} {cadence} sessions to {end}; {sessions} again",
    )
    assert task.render(sessions=12, cadence="weekly", end=date(2026, 6, 1)) == (
        "12 weekly sessions to 2026-06-01; 12 again"
    )


def test_range_text_in_words() -> None:
    """IPT: 12-16 sessions [COMP]; IPT-B: 8 (Swartz et al. 2014); IPT-M: open-ended (Frank et al.)."""
    assert PROTOCOLS["ipt"].range_text == "12-16"
    assert PROTOCOLS["ipt-b"].range_text == "8"
    assert PROTOCOLS["maintenance"].range_text == "1 or more"
