"""Tests for iptcore.protocols: the protocols as data, their phases, and the cadence arithmetic."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import PROTOCOLS, IptError, Phase, Protocol, ProtocolError, plan_course
from iptcore.limits import Limits
from iptcore.protocols import (
    AREA_STRATEGIES,
    MIN_TERMINATION_NOTICE,
    STAGE_STRATEGIES,
    Cadence,
    MissRule,
    Task,
    resolve,
    schedule,
)
from iptcore.terms import DisputeStage, ProblemArea

INI, MID, TER = Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION


def phases(name: str, sessions: int) -> list[Phase]:
    protocol = PROTOCOLS[name]
    return [protocol.phase_of(n, sessions) for n in range(protocol.first_number, sessions + 1)]


def test_the_six_protocols_are_there() -> None:
    """The public API: PROTOCOLS maps "ipt", "ipt-b", "ipt-a", "group", "ipc", "maintenance"."""
    assert set(PROTOCOLS) == {"ipt", "ipt-b", "ipt-a", "group", "ipc", "maintenance"}
    assert all(isinstance(p, Protocol) and p.name == name for name, p in PROTOCOLS.items())


@pytest.mark.parametrize(
    ("name", "low", "high", "default"),
    [
        ("ipt", 12, 16, 16),  # 12-16 weekly, default 16 [COMP; ISIPT]
        ("ipt-b", 8, 8, 8),  # 8 weekly plus session 0 (Swartz et al. 2014)
        ("ipt-a", 12, 12, 12),  # 12 weekly (Mufson et al. 1999, 2004)
        ("group", 8, 8, 8),  # 8 group sessions plus a pre-group session [WHO]
        ("ipc", 3, 6, 6),  # up to 6 (Klerman 1987; Weissman 2014)
        ("maintenance", 1, None, 24),  # monthly, any count (Frank et al. 1990, 1991)
    ],
)
def test_session_counts(name: str, low: int, high: int | None, default: int) -> None:
    """COMP; ISIPT: the allowed and default session counts of each protocol."""
    p = PROTOCOLS[name]
    assert (p.min_sessions, p.max_sessions, p.default_sessions) == (low, high, default)
    assert p.allows(low)
    assert not p.allows(low - 1)
    if high is not None:
        assert p.allows(high)
        assert not p.allows(high + 1)
    else:
        assert p.allows(1000)


def test_cadence() -> None:
    """COMP; ISIPT: weekly for acute IPT [COMP]; monthly for IPT-M (Frank et al.)."""
    assert {n: p.cadence for n, p in PROTOCOLS.items()} == {
        "ipt": Cadence.WEEKLY,
        "ipt-b": Cadence.WEEKLY,
        "ipt-a": Cadence.WEEKLY,
        "group": Cadence.WEEKLY,
        "ipc": Cadence.WEEKLY,
        "maintenance": Cadence.MONTHLY,
    }


def test_ipt_phases() -> None:
    """[FOCUS; COMP]: initial sessions 1-3, termination the last 3, middle the rest."""
    assert phases("ipt", 16) == [INI] * 3 + [MID] * 10 + [TER] * 3
    assert phases("ipt", 12) == [INI] * 3 + [MID] * 6 + [TER] * 3


def test_ipt_b_phases() -> None:
    """Swartz et al. 2014: engagement session 0, initial 1-2, termination the last 2."""
    assert phases("ipt-b", 8) == [Phase.ENGAGEMENT] + [INI] * 2 + [MID] * 4 + [TER] * 2


def test_ipt_a_phases() -> None:
    """Mufson et al. 1999, 2004: three phases of 4 sessions: 1-4, 5-8, 9-12."""
    assert phases("ipt-a", 12) == [INI] * 4 + [MID] * 4 + [TER] * 4


def test_group_phases() -> None:
    """[WHO]: a pre-group individual session 0, initial = group 1, middle 2-7, termination 8."""
    assert phases("group", 8) == [Phase.ENGAGEMENT, INI] + [MID] * 6 + [TER]


def test_ipc_phases() -> None:
    """Klerman 1987; Weissman 2014: initial 1, termination the last."""
    assert phases("ipc", 6) == [INI] + [MID] * 4 + [TER]
    assert phases("ipc", 3) == [INI, MID, TER]


def test_maintenance_phases() -> None:
    """Frank et al. 1990, 1991: every maintenance session is MAINTENANCE."""
    assert phases("maintenance", 5) == [Phase.MAINTENANCE] * 5


def test_initial_phase_is_a_setting() -> None:
    """[FOCUS] says 1-3; IPTUK and Leeds NHS use 1-4: a field with default 3."""
    assert PROTOCOLS["ipt"].initial_sessions == 3
    uk = attrs.evolve(PROTOCOLS["ipt"], name="ipt-uk", initial_sessions=4)
    assert [uk.phase_of(n, 16) for n in (4, 5)] == [INI, MID]


def test_count_outside_range_is_a_protocol_error() -> None:
    """[COMP; ISIPT]: acute IPT is 12-16 sessions."""
    with pytest.raises(ProtocolError, match="12-16"):
        PROTOCOLS["ipt"].check_count(11)
    with pytest.raises(IptError, match="whole number"):
        PROTOCOLS["ipt"].check_count("12")


def test_phase_of_refuses_a_session_outside_the_course() -> None:
    """A session 0 exists only where the protocol has one (IPT-B, group)."""
    with pytest.raises(IptError, match="session 0"):
        PROTOCOLS["ipt"].phase_of(0, 16)
    with pytest.raises(IptError, match="session 17"):
        PROTOCOLS["ipt"].phase_of(17, 16)


def test_phase_tasks_in_order() -> None:
    """The initial tasks in order, each with its source: suicide risk first [GUIDE], then the
    initial phase of [FOCUS; COMP], the formulation offered and accepted [MARKOWITZ-SWARTZ2007]."""
    initial = PROTOCOLS["ipt"].tasks_for(INI)
    assert [t.id for t in initial] == [
        "suicide_risk",
        "diagnosis",
        "sick_role",
        "medication",
        "inventory",
        "timeline",
        "formulation",
        "contract",
    ]
    assert all(t.source for p in PROTOCOLS.values() for t in p.tasks)
    assert "accepted by the patient" in initial[6].text


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_session_1_of_every_protocol_assesses_suicide_risk(name: str) -> None:
    """Every IPT manual evaluates suicidality at intake [GUIDE]: session 1 of every protocol has
    the suicide-risk task."""
    plan = plan_course(name, start=date(2026, 3, 2), sessions=3 if name == "maintenance" else None)
    assert any("Assess suicide risk" in line for line in plan.session(1).agenda)


def test_termination_tasks() -> None:
    """[COMP]: consolidate gains, relapse plan, maintenance or other treatment for non-responders;
    termination as a graduation, and "the treatment failed, not you" for non-responders [GUIDE]."""
    tasks = {t.id: t for t in PROTOCOLS["ipt"].tasks_for(TER)}
    assert {"consolidate", "relapse_plan", "next_treatment"} <= set(tasks)
    assert "graduation" in tasks["ending_feelings"].text
    assert "the treatment failed, not you" in tasks["next_treatment"].text
    assert "[GUIDE]" in tasks["next_treatment"].source


def test_homework_only_where_the_protocol_uses_it() -> None:
    """[COMP; CASEBOOK]: no formal homework in standard IPT; IPT-A and group use work-at-home."""
    with_homework = {
        n for n, p in PROTOCOLS.items() if any(t.id == "work_at_home" for t in p.tasks)
    }
    assert with_homework == {"ipt-a", "group"}
    assert {n for n, p in PROTOCOLS.items() if p.homework} == {"ipt-a", "group"}


def test_ipt_a_limited_sick_role() -> None:
    """Mufson et al. 2004: IPT-A gives a "limited sick role" and involves parents."""
    tasks = {t.id: t for t in PROTOCOLS["ipt-a"].tasks}
    assert "limited sick role" in tasks["sick_role"].text
    assert "parents" in tasks


def test_strategy_tables_cover_every_area_and_stage() -> None:
    """[GUIDE]: goals per problem area; the three dispute stages each have their strategy."""
    assert set(AREA_STRATEGIES) == set(ProblemArea)
    assert set(STAGE_STRATEGIES) == set(DisputeStage)
    assert "open" in STAGE_STRATEGIES[DisputeStage.IMPASSE].text


def test_notice_respects_the_minimum() -> None:
    """[COMP]: the end is raised "at least two to four sessions before it occurs"."""
    for p in PROTOCOLS.values():
        if not p.maintenance:
            assert p.termination_notice >= MIN_TERMINATION_NOTICE
            notice = p.notice_session(p.min_sessions)
            assert notice is not None
            assert 1 <= notice <= p.min_sessions - MIN_TERMINATION_NOTICE
    assert PROTOCOLS["maintenance"].notice_session(12) is None
    with pytest.raises(IptError, match="termination_notice"):
        attrs.evolve(PROTOCOLS["ipt"], termination_notice=1)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"min_sessions": 0}, "min_sessions"),
        ({"max_sessions": 10}, "max_sessions"),
        ({"default_sessions": 20}, "default_sessions"),
        ({"initial_sessions": 7, "termination_sessions": 6}, "overlap"),
        ({"termination_sessions": 0}, "at least 1"),
        ({"cadence": "daily"}, "cadence"),
        ({"on_miss": 3}, "on_miss"),
        ({"tasks": ("not a task",)}, "tasks"),
        ({"name": ""}, "name"),
        ({"homework": "yes"}, "homework"),
        ({"min_sessions": True}, "min_sessions"),
    ],
)
def test_a_broken_protocol_is_refused(changes: dict[str, object], match: str) -> None:
    """A user's protocol is checked like a built-in one, with an IptError naming the field."""
    with pytest.raises(IptError, match=match):
        attrs.evolve(PROTOCOLS["ipt"], **changes)


def test_words_convert_to_enums() -> None:
    """Protocol fields take the case-format words, as enums do everywhere in iptcore."""
    p = attrs.evolve(PROTOCOLS["ipt"], cadence="monthly", on_miss="keep_end")
    assert p.cadence is Cadence.MONTHLY
    assert p.on_miss is MissRule.KEEP_END
    task = Task(id="x", phase="middle", text="t", source="s")
    assert task.phase is Phase.MIDDLE
    with pytest.raises(IptError, match="phase"):
        Task(id="x", phase="later", text="t", source="s")


def test_resolve() -> None:
    """plan_course accepts a protocol's name or a Protocol value; anything else names the choices."""
    assert resolve("ipc") is PROTOCOLS["ipc"]
    assert resolve(PROTOCOLS["ipc"]) is PROTOCOLS["ipc"]
    with pytest.raises(IptError, match="known: ipt, ipt-b"):
        resolve("ipt-z")


def test_month_end_clamping() -> None:
    """Monthly cadence keeps the day of the month, clamped to the month's last day."""
    slots = Cadence.MONTHLY.slots(date(2027, 10, 31))
    got = [next(slots) for _ in range(6)]
    assert got == [
        date(2027, 10, 31),
        date(2027, 11, 30),
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]
    assert Cadence.MONTHLY.after(date(2027, 1, 29)) == date(2027, 2, 28)
    assert Cadence.MONTHLY.after(date(2027, 1, 15)) == date(2027, 2, 15)


def test_skip_pushes_the_rest() -> None:
    """A date in skip pushes that session and the rest one cadence step later; the count is kept."""
    start = date(2026, 1, 5)
    got = schedule(Cadence.WEEKLY, start, 4, skip=[date(2026, 1, 12), date(2026, 1, 13)])
    assert got == (date(2026, 1, 5), date(2026, 1, 19), date(2026, 1, 26), date(2026, 2, 2))
    assert schedule(Cadence.WEEKLY, start, 0) == ()
    with pytest.raises(IptError, match="count"):
        schedule(Cadence.WEEKLY, start, -1)


@given(
    cadence=st.sampled_from(Cadence),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    count=st.integers(1, 30),
    skips=st.lists(st.integers(0, 40), max_size=12),
)
def test_schedule_properties(cadence: Cadence, start: date, count: int, skips: list[int]) -> None:
    """Dates strictly increase, at least one cadence step apart; the count is kept under any skips."""
    skip = {start + timedelta(days=7 * k if cadence is Cadence.WEEKLY else 30 * k) for k in skips}
    got = schedule(cadence, start, count, skip=skip)
    assert len(got) == count
    assert not skip & set(got)
    for a, b in itertools.pairwise(got):
        assert b >= cadence.after(a, anchor_day=start.day)
        assert b > a


# --------------------------------------------------------------------------------------------
# Each check of a protocol at its boundary (folded from the former mutation-test file): the
# protocols are data [COMP; ISIPT] checked when built, and a user's protocol is checked alike.
# --------------------------------------------------------------------------------------------


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
    """Each built-in protocol, checked again now, is valid [COMP; ISIPT]."""
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
    (IPC: 3 sessions [WEISSMAN2014]); the end is raised at least two sessions before it [COMP]."""
    assert attrs.evolve(PROTOCOLS["maintenance"], min_sessions=1).min_sessions == 1
    assert _protocol(initial_sessions=1, termination_sessions=1).initial_sessions == 1
    assert _protocol(termination_notice=2).termination_notice == 2
    with pytest.raises(IptError, match=r"max_sessions: 5 is below min_sessions \(6\)"):
        _protocol(max_sessions=5, default_sessions=6)
    for field in ("initial_sessions", "termination_sessions"):
        with pytest.raises(
            IptError, match=r"initial_sessions and termination_sessions: must be at least 1$"
        ):
            _protocol(**{field: 0})
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
    """IPT-M: every session is a maintenance session [FRANK1990]."""
    for change in ({"engagement": True}, {"initial_sessions": 1}, {"termination_sessions": 1}):
        with pytest.raises(IptError) as info:
            attrs.evolve(PROTOCOLS["maintenance"], **change)
        assert str(info.value) == (
            "protocol 'maintenance': a maintenance protocol has no engagement, initial or "
            "termination sessions"
        )


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


def test_a_count_is_named_in_its_error() -> None:
    """IPT is "12-16 weekly individual sessions" [COMP; ISIPT]; a size limit is not a step IPT
    forbids."""
    with pytest.raises(ProtocolError, match=r"^sessions: ipt allows 12-16 sessions, got 20$"):
        PROTOCOLS["ipt"].check_count(20)
    with pytest.raises(IptError, match=r"^sessions: 1,001 sessions is more than the limit") as info:
        PROTOCOLS["maintenance"].check_count(1_001)
    assert not isinstance(info.value, ProtocolError)


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
    """IPT-M is monthly [FRANK1990]: sessions keep their day of the month, clamped to each
    month's last day, so a course begun on the 31st comes back to it."""
    start = date(2027, 2, 28)
    slots = list(itertools.islice(Cadence.MONTHLY.slots(start, anchor_day=31), 3))
    assert slots == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert Cadence.MONTHLY.after(start, anchor_day=31) == date(2027, 3, 31)
    assert Cadence.MONTHLY.after(start) == date(2027, 3, 28)
    assert schedule(Cadence.MONTHLY, start, 2, anchor_day=31) == (start, date(2027, 3, 31))


def test_a_task_needs_an_id_and_a_text() -> None:
    with pytest.raises(IptError, match=r"^task '': id and text must not be empty$"):
        Task(id="", phase=Phase.INITIAL, text="t", source="s")
    with pytest.raises(IptError, match=r"^task 'x': id and text must not be empty$"):
        Task(id="x", phase=Phase.INITIAL, text="", source="s")
    assert Task(id="x", phase=Phase.INITIAL, text="t", source="s").every is False


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
    task = Task(
        id="contract",
        phase=Phase.INITIAL,
        source="[COMP]",
        text="{sessions} {cadence} sessions to {end}; {sessions} again",
    )
    assert task.render(sessions=12, cadence="weekly", end=date(2026, 6, 1)) == (
        "12 weekly sessions to 2026-06-01; 12 again"
    )


def test_range_text_in_words() -> None:
    """IPT: 12-16 sessions [COMP]; IPT-B: 8 [SWARTZ2014]; IPT-M: open-ended [FRANK1990]."""
    assert PROTOCOLS["ipt"].range_text == "12-16"
    assert PROTOCOLS["ipt-b"].range_text == "8"
    assert PROTOCOLS["maintenance"].range_text == "1 or more"


def test_a_monthly_slot_keeps_the_anchor_day_given() -> None:
    """The k-th monthly slot from a start keeps ``anchor_day`` where given (the 31st after a
    February 28th), else the start's own day."""
    assert Cadence.MONTHLY.slot(date(2027, 2, 28), 1, anchor_day=31) == date(2027, 3, 31)
    assert Cadence.MONTHLY.slot(date(2027, 2, 28), 1) == date(2027, 3, 28)
    assert Cadence.WEEKLY.slot(date(2027, 2, 28), 2) == date(2027, 3, 14)
