"""Tests for planning: plan_course, CoursePlan and its exports (iptcore.plan, iptcore.courseio)."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given

from iptcore import (
    DEFAULT_RULES,
    PROTOCOLS,
    CaseError,
    CoursePlan,
    IptError,
    Phase,
    PlannedSession,
    ProblemArea,
    ProtocolError,
    classify,
    plan_course,
)
from iptcore.courseio import dump_plan, load_plan
from iptcore.limits import DEFAULT_LIMITS
from iptcore.plan import FocusArea, focus_areas
from iptcore.protocols import OPENING_QUESTION, Cadence
from iptcore.techniques import TECHNIQUES
from iptcore.testing import plans
from iptcore.vignettes import vignette

MONDAY = date(2026, 3, 2)


def agenda_text(session: PlannedSession) -> str:
    return "\n".join(session.agenda)


# -- numbering and phases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "numbers", "count"),
    [
        ("ipt", range(1, 17), 16),
        ("ipt-b", range(0, 9), 8),
        ("ipt-a", range(1, 13), 12),
        ("group", range(0, 9), 8),
        ("ipc", range(1, 7), 6),
        ("maintenance", range(1, 25), 24),
    ],
)
def test_default_numbering(name: str, numbers: range, count: int) -> None:
    """COMP; ISIPT: default counts; a session 0 only in IPT-B and group (the public API)."""
    plan = plan_course(name, start=MONDAY)
    assert [s.number for s in plan.sessions] == list(numbers)
    assert plan.count == count
    assert plan.start == MONDAY


def test_phases_follow_the_protocol() -> None:
    """Each planned session's phase is the protocol's phase for its number [ISIPT; COMP; WHO]."""
    for name, protocol in PROTOCOLS.items():
        plan = plan_course(name, start=MONDAY)
        assert [s.phase for s in plan.sessions] == [
            protocol.phase_of(s.number, plan.count) for s in plan.sessions
        ]
    group = plan_course("group", start=MONDAY)
    assert group.session(0).phase is Phase.ENGAGEMENT
    assert group.session(1).phase is Phase.INITIAL
    assert group.session(8).phase is Phase.TERMINATION


def test_ipt_count_is_chosen_within_range() -> None:
    """[COMP; ISIPT]: 12-16 sessions; 11 or 17 is a ProtocolError."""
    assert plan_course(start=MONDAY, sessions=12).count == 12
    for bad in (11, 17):
        with pytest.raises(ProtocolError, match="12-16"):
            plan_course(start=MONDAY, sessions=bad)


def test_unknown_protocol_is_an_ipt_error_not_a_protocol_error() -> None:
    """An unknown protocol is bad input, not an illegal step of a protocol."""
    with pytest.raises(IptError, match="unknown protocol") as info:
        plan_course("cbt", start=MONDAY)
    assert not isinstance(info.value, ProtocolError)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": datetime(2026, 3, 2, 9)}, "start"),
        ({"start": "2026-02-30"}, "start"),
        ({"start": MONDAY, "skip": "2026-03-09"}, "skip"),
        ({"start": MONDAY, "skip": ["2026-02-30"]}, r"skip\[0\]"),
        ({"start": MONDAY, "sessions": "16"}, "sessions"),
        ({"start": MONDAY, "focus": ["sadness"]}, r"focus\[0\]"),
        ({"start": MONDAY, "focus": 3}, "focus"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict[str, object], match: str) -> None:
    """Bad input is an IptError naming the argument, never a TypeError."""
    with pytest.raises(IptError, match=match):
        plan_course(**kwargs)  # type: ignore[arg-type]


# -- dates ---------------------------------------------------------------------------------------


def test_weekly_dates() -> None:
    """[COMP; ISIPT]: weekly sessions from the start date."""
    plan = plan_course(start=MONDAY)
    assert [s.date for s in plan.sessions] == [MONDAY + timedelta(weeks=k) for k in range(16)]


def test_skip_pushes_the_session_and_the_rest() -> None:
    """The public API/issue: a date in skip pushes that session and the rest; the count is kept."""
    holiday = MONDAY + timedelta(weeks=4)
    plan = plan_course(start=MONDAY, skip=[holiday, date(2026, 3, 4)])
    assert plan.count == 16
    assert plan.session(4).date == MONDAY + timedelta(weeks=3)
    assert plan.session(5).date == MONDAY + timedelta(weeks=5)
    assert plan.end == MONDAY + timedelta(weeks=16)
    assert plan.skip == (date(2026, 3, 4), holiday)


def test_start_in_skip_is_refused() -> None:
    """The first session cannot fall on a day with no session."""
    with pytest.raises(IptError, match="start"):
        plan_course(start=MONDAY, skip=[MONDAY])


def test_monthly_keeps_the_day_clamped() -> None:
    """monthly cadence keeps the day of the month, clamped to the month's last day."""
    plan = plan_course("maintenance", start=date(2027, 1, 31), sessions=4)
    assert [s.date for s in plan.sessions] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    leap = plan_course("maintenance", start=date(2028, 1, 31), sessions=2, skip=[date(2028, 2, 29)])
    assert leap.end == date(2028, 3, 31)


@given(plans())
def test_dates_increase_by_at_least_one_step_and_the_count_is_kept(plan: CoursePlan) -> None:
    """Dates strictly increase, at least one cadence step apart; skips never change the count."""
    skip = frozenset(plan.skip)
    protocol = plan.protocol
    assert len(plan.sessions) == plan.count + 1 - protocol.first_number
    assert not skip & {s.date for s in plan.sessions}
    for a, b in itertools.pairwise(plan.sessions):
        assert b.date > a.date
        if protocol.cadence is Cadence.WEEKLY:
            assert (b.date - a.date).days % 7 == 0
            assert b.date - a.date >= timedelta(weeks=1)
        else:
            assert b.date >= Cadence.MONTHLY.after(a.date, anchor_day=plan.start.day)


# -- agenda --------------------------------------------------------------------------------------


def test_opening_question_in_every_session_after_the_first() -> None:
    """[COMP; IPTUK]: every session after the first opens with "How have things been ...?"."""
    for name in PROTOCOLS:
        plan = plan_course(name, start=MONDAY)
        first, *later = plan.sessions
        assert OPENING_QUESTION not in agenda_text(first)
        assert all(s.agenda[0].endswith(f'"{OPENING_QUESTION}"') for s in later)


def test_initial_tasks_in_order_over_the_initial_phase() -> None:
    """FOCUS; COMP; MARKOWITZ-SWARTZ2007: the seven initial tasks in order; the contract closes the phase."""
    plan = plan_course(start=MONDAY)
    initial = [item for s in plan.sessions if s.phase is Phase.INITIAL for item in s.agenda]
    keys = [
        "Diagnosis",
        "sick role",
        "medication",
        "inventory",
        "Timeline",
        "formulation",
        "contract",
    ]
    positions = [next(i for i, item in enumerate(initial) if key in item) for key in keys]
    assert positions == sorted(positions)
    assert "Treatment contract: 16 weekly sessions" in agenda_text(plan.session(3))
    assert plan.end.isoformat() in agenda_text(plan.session(3))
    assert "Diagnosis" in agenda_text(plan.session(1))


def test_termination_is_raised_at_least_two_sessions_before_the_end() -> None:
    """[COMP]: the end is discussed "at least two to four sessions before it occurs"."""
    for name, protocol in PROTOCOLS.items():
        if protocol.maintenance:
            continue
        for count in {protocol.min_sessions, protocol.default_sessions}:
            plan = plan_course(name, start=MONDAY, sessions=count)
            raised = [s.number for s in plan.sessions if "Raise the end" in agenda_text(s)]
            assert len(raised) == 1
            assert 1 <= raised[0] <= count - 2
    assert plan_course(start=MONDAY).session(12).agenda[-2].startswith("Raise the end")


def test_last_third_counts_the_sessions_left() -> None:
    """every session of the last third says how many sessions remain."""
    plan = plan_course(start=MONDAY)  # 16 sessions: the last third is 11-16
    for s in plan.sessions:
        said = any("remain" in item or "last session" in item for item in s.agenda)
        assert said == (s.number >= 11), s.number
        assert s.remaining == 16 - s.number
    assert plan.session(15).agenda[-1] == "1 session remains after this one"
    assert plan.session(16).agenda[-1] == "This is the last session"
    assert plan.session(13).agenda[-1] == "3 sessions remain after this one"


def test_termination_tasks_in_the_termination_phase() -> None:
    """[COMP]: consolidate gains, relapse plan, next treatment for non-responders at the end."""
    plan = plan_course(start=MONDAY)
    ending = "\n".join(agenda_text(s) for s in plan.sessions if s.phase is Phase.TERMINATION)
    for key in ("Consolidate gains", "Relapse plan", "another treatment"):
        assert key in ending


def test_homework_only_in_ipt_a_and_group() -> None:
    """[COMP; CASEBOOK]: standard IPT sets no formal homework; IPT-A and group use it."""
    for name in PROTOCOLS:
        plan = plan_course(name, start=MONDAY)
        has = any("work-at-home" in agenda_text(s) for s in plan.sessions)
        assert has == (name in {"ipt-a", "group"})


# -- focus and techniques ------------------------------------------------------------------------


def test_middle_sessions_use_the_catalogue_for_the_focus() -> None:
    """COMP; GUIDE ch. 10: the techniques come from the catalogue, emphasised first."""
    plan = plan_course(start=MONDAY, focus=["role_dispute"])
    expected = tuple(t.id for t in TECHNIQUES.for_area("role_dispute", "middle"))[:4]
    for s in plan.sessions:
        assert s.techniques == (expected if s.phase is Phase.MIDDLE else ())
    assert expected[0] == "communication_analysis"
    everything = plan_course(start=MONDAY, focus=["role_dispute"], per_area=None)
    assert len(everything.techniques) == len(TECHNIQUES.for_area("role_dispute", "middle"))
    with pytest.raises(IptError, match="per_area"):
        plan_course(start=MONDAY, focus=["grief"], per_area=0)


def test_two_areas_primary_first_without_repeats() -> None:
    """[GUIDE]: at most two areas, primary first."""
    plan = plan_course(start=MONDAY, focus=["role_transition", "role_dispute"], per_area=None)
    assert plan.techniques[0] == "review_of_roles"
    assert len(set(plan.techniques)) == len(plan.techniques)
    middle = agenda_text(plan.session(5))
    assert middle.index("role transition") < middle.index("role dispute")


def test_dispute_stage_comes_first() -> None:
    """[GUIDE]: dissolution calls for mourning the relationship; the stage's emphasis leads."""
    focus = FocusArea(area="role_dispute", stage="dissolution", person="jon")
    plan = plan_course(start=MONDAY, focus=[focus])
    expected = TECHNIQUES.for_area("role_dispute", "middle", stage="dissolution")[0].id
    assert plan.techniques[0] == expected
    assert "at dissolution: help mourn the relationship" in agenda_text(plan.session(4))
    assert "with jon" in agenda_text(plan.session(4))


def test_focus_from_a_classification_keeps_stage_and_grief_specifics() -> None:
    """The classification's findings give the dispute stage and how mourning goes [GUIDE]."""
    case = vignette("perinatal")
    result = classify(case, DEFAULT_RULES.evolve(max_focus=2))  # the dispute joins the focus
    plan = plan_course(start=MONDAY, focus=result)
    assert plan.areas == result.focus
    dispute = next(f for f in plan.focus if f.area is ProblemArea.ROLE_DISPUTE)
    assert dispute.stage is not None
    widow = classify(vignette("widow"))
    grief = plan_course(start=MONDAY, focus=widow).focus[0]
    assert grief.area is ProblemArea.GRIEF
    assert grief.person is not None
    assert grief.mourning is not None


def test_complicated_grief_is_named() -> None:
    """[GUIDE]: complicated grief is mourning postponed, avoided or prolonged."""
    plan = plan_course(start=MONDAY, focus=[FocusArea(area="grief", mourning="avoided")])
    assert "complicated: mourning avoided" in agenda_text(plan.session(4))


@pytest.mark.parametrize(
    ("focus", "match"),
    [
        (["grief", "role_dispute", "role_transition"], "at most two"),
        (["grief", "grief"], "twice"),
        (["interpersonal_deficits", "grief"], "deficits"),
    ],
)
def test_focus_rules(focus: list[str], match: str) -> None:
    """[GUIDE]: one, at most two areas; never deficits beside another area."""
    with pytest.raises(ProtocolError, match=match):
        plan_course(start=MONDAY, focus=focus)


def test_focus_area_checks_itself() -> None:
    """Only a dispute has a stage and only grief has mourning [GUIDE]."""
    with pytest.raises(IptError, match="stage"):
        FocusArea(area="grief", stage="impasse")
    with pytest.raises(IptError, match="mourning"):
        FocusArea(area="role_dispute", mourning="avoided")
    assert focus_areas("grief") == (FocusArea(area=ProblemArea.GRIEF),)


# -- the plan value ------------------------------------------------------------------------------


def test_plan_checks_its_sessions() -> None:
    """A CoursePlan built by hand is checked: order, dates, phases, count."""
    plan = plan_course("ipc", start=MONDAY, sessions=3)
    s = plan.sessions
    with pytest.raises(IptError, match="numbered"):
        attrs.evolve(plan, sessions=(s[0], s[2], s[1]))
    with pytest.raises(IptError, match=r"sessions\[1\].date"):
        attrs.evolve(plan, sessions=(s[0], attrs.evolve(s[1], date=MONDAY), s[2]))
    with pytest.raises(IptError, match=r"sessions\[1\].phase"):
        attrs.evolve(plan, sessions=(s[0], attrs.evolve(s[1], phase="termination"), s[2]))
    with pytest.raises(ProtocolError, match="3-6"):
        attrs.evolve(plan, sessions=s[:2])
    with pytest.raises(IptError, match="no session 9"):
        plan.session(9)


def test_describe_is_a_table() -> None:
    """The CLI prints describe(): number, date, phase, agenda, techniques."""
    text = plan_course(start=MONDAY, focus=["grief"]).describe()
    lines = text.splitlines()
    assert lines[0].startswith("IPT (standard): 16 weekly sessions, 2026-03-02 to 2026-06-15")
    assert lines[3].split() == ["#", "date", "phase", "agenda", "techniques"]
    assert any(line.startswith("  4  2026-03-23  middle") for line in lines)
    assert "encouragement_of_affect" in text


# -- exports -------------------------------------------------------------------------------------


def test_plan_file_round_trip_and_json() -> None:
    """Plans dump and load like cases: versioned, JSON-ready, equal after a round trip."""
    focus = [FocusArea(area="role_dispute", stage="impasse", person="jon")]
    plan = plan_course("group", start=MONDAY, focus=focus, skip=[date(2026, 3, 16)])
    doc = dump_plan(plan)
    assert doc == dump_plan(plan)
    assert load_plan(json.dumps(doc)) == plan
    assert load_plan(doc).focus == tuple(focus)


def test_user_protocol_is_written_out_in_full() -> None:
    """A user's own protocol is a value, written out so that the file stands alone."""
    mine = attrs.evolve(PROTOCOLS["ipt"], name="ipt-uk", initial_sessions=4)
    plan = plan_course(mine, start=MONDAY, sessions=14)
    doc = dump_plan(plan)
    assert doc["protocol"]["name"] == "ipt-uk"
    assert doc["protocol"]["initial_sessions"] == 4
    assert load_plan(doc) == plan


@given(plans())
def test_plan_round_trip_property(plan: CoursePlan) -> None:
    """load_plan(dump_plan(p)) == p for every plan."""
    assert load_plan(json.loads(json.dumps(dump_plan(plan)))) == plan


def test_plan_file_is_strict_and_collects_every_problem() -> None:
    """Like the case file: unknown keys, bad values, each with its path, all at once."""
    doc = dump_plan(plan_course("ipc", start=MONDAY, sessions=3))
    doc["colour"] = "blue"
    doc["sessions"][1]["date"] = "2026-02-30"
    doc["sessions"][2]["phase"] = "later"
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    paths = {p.path for p in info.value.problems}
    assert paths == {"colour", "sessions[1].date", "sessions[2].phase"}


def test_plan_file_checks_the_plan_rules_with_paths() -> None:
    """A plan whose sessions break the protocol is refused with the path of the session."""
    doc = dump_plan(plan_course("ipc", start=MONDAY, sessions=3))
    doc["sessions"][2]["date"] = doc["sessions"][0]["date"]
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    assert [p.path for p in info.value.problems] == ["sessions[2].date"]


@pytest.mark.parametrize(
    ("change", "path", "match"),
    [
        ({"format": "iptcore.plan/2"}, "format", "newer major version"),
        ({"format": "iptcore.case/1"}, "format", "must be 'iptcore.plan/1'"),
        ({"protocol": 7}, "protocol", "must be an object"),
        ({"protocol": {"name": "x"}}, "protocol.title", "is required"),
        ({"skip": ["tomorrow"]}, "skip[0]", "YYYY-MM-DD"),
        (
            {"focus": [{"area": "grief", "stage": "impasse"}]},
            "focus[0].stage",
            "only a role dispute",
        ),
        ({"sessions": "many"}, "sessions", "must be a list"),
    ],
)
def test_plan_file_problems(change: dict[str, object], path: str, match: str) -> None:
    """Each kind of bad plan file gives a CaseError at the right path."""
    doc = {**dump_plan(plan_course("ipc", start=MONDAY, sessions=3)), **change}
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    assert path in [p.path for p in info.value.problems]
    assert any(match in p.message for p in info.value.problems)


@pytest.mark.parametrize("source", [None, 3, "not json", b"\xff", "[]"])
def test_load_plan_refuses_anything_else(source: object) -> None:
    """Whatever is passed, the only error is CaseError."""
    with pytest.raises(CaseError):
        load_plan(source)


def test_dates_may_be_iso_text() -> None:
    """Every date argument takes its ISO text, as the case file writes dates."""
    holiday = MONDAY + timedelta(weeks=4)
    assert plan_course(start="2026-03-09", skip=[holiday.isoformat()]) == plan_course(
        start=date(2026, 3, 9), skip=[holiday]
    )
    with pytest.raises(IptError, match=r"^start: '2026-02-30' is not a real calendar date$"):
        plan_course(start="2026-02-30")
    with pytest.raises(IptError, match=r"^skip\[1\]: must be a date written YYYY-MM-DD"):
        plan_course(start=MONDAY, skip=[holiday, "next monday"])


# -- each field of a plan's values is refused in the one form (folded from the tests of the
# validators that every value class shares) ---------------------------------------------------


def _refusal(build: object) -> str:
    with pytest.raises(IptError) as info:
        build()  # type: ignore[operator]
    return str(info.value)


def test_a_planned_session_checks_each_field_by_name() -> None:
    """A session built by hand is checked field by field: a bool is not a number, a datetime is
    not a date, a lone string is not a list of agenda lines."""

    def session(**changes: object) -> PlannedSession:
        fields: dict[str, object] = {"number": 1, "date": MONDAY, "phase": "initial", **changes}
        return PlannedSession(**fields)  # type: ignore[arg-type]

    assert session().remaining == 0
    assert session(phase="middle").phase is Phase.MIDDLE
    assert session(agenda=["a", ""]).agenda == ("a", "")
    assert session(number=0).number == 0
    for changes, message in (
        ({"number": True}, "number: must be a whole number, got True"),
        ({"number": None}, "number: must be a whole number, got None"),
        ({"number": 1.0}, "number: must be a whole number, got 1.0"),
        ({"remaining": "2"}, "remaining: must be a whole number, got '2'"),
        (
            {"date": datetime(2026, 3, 2, 9)},
            "date: must be a datetime.date, got datetime.datetime(2026, 3, 2, 9, 0)",
        ),
        ({"date": None}, "date: must be a datetime.date, got None"),
        ({"phase": "muddle"}, "phase: must be a Phase, got 'muddle'"),
        ({"agenda": "ab"}, "agenda: must be a tuple of strings, got 'ab'"),
        ({"techniques": ("a", 3)}, "techniques: must be a tuple of strings, got ('a', 3)"),
    ):
        assert _refusal(lambda changes=changes: session(**changes)) == message


def test_a_focus_area_checks_each_field_by_name() -> None:
    """The optional fields of a focus area may be left out (None), and are refused by name when
    they hold something else."""
    assert FocusArea(area="grief", person=None).person is None
    assert FocusArea(area="grief", mourning="avoided", person="mum").person == "mum"
    for changes, message in (
        ({"area": "sorrow"}, "area: must be a ProblemArea, got 'sorrow'"),
        ({"area": ["grief"]}, "area: must be a ProblemArea, got ['grief']"),
        ({"area": None}, "area: must be a ProblemArea, got None"),
        ({"area": "grief", "person": 3}, "person: must be an id, got 3"),
        ({"area": "role_dispute", "stage": "stuck"}, "stage: must be a DisputeStage, got 'stuck'"),
        ({"area": "grief", "mourning": "sad"}, "mourning: must be a Mourning, got 'sad'"),
    ):
        assert _refusal(lambda changes=changes: FocusArea(**changes)) == message


# -- a plan file holds a plan as plan_course makes it ---------------------------------------------


def _plan_problems(doc: dict[str, object]) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_plan(doc)
    return [str(p) for p in info.value.problems]


def _ipt_doc() -> dict[str, Any]:
    """A 12-session weekly plan from Monday 2026-03-02, with a holiday on 2026-03-30 (so that
    session 5 is on 2026-04-06), and its file."""
    plan = plan_course("ipt", start=MONDAY, sessions=12, skip=[date(2026, 3, 30)], focus=["grief"])
    assert plan.session(5).date == date(2026, 4, 6)
    return json.loads(json.dumps(dump_plan(plan)))


def test_a_plan_file_with_a_plan_plan_course_never_makes_is_refused_with_every_problem() -> None:
    """Three areas, a skip date holding a session, a date off the cadence and a wrong count of the
    sessions remaining: plan_course makes none of them, so the file is refused, each problem at
    its path and all of them at once."""
    doc = _ipt_doc()
    doc["focus"] = [{"area": "grief"}, {"area": "role_dispute"}, {"area": "role_transition"}]
    doc["skip"].append("2026-03-16")  # session 3's day
    doc["sessions"][6]["date"] = "2026-04-14"  # session 7, a Tuesday
    doc["sessions"][9]["remaining"] = 5  # session 10 of 12 has 2 after it
    assert _plan_problems(doc) == [
        "focus: one, at most two problem areas [GUIDE], got 3",
        "sessions[2].date: is 2026-03-16, a date in skip (a day with no session)",
        (
            "sessions[6].date: is 2026-04-14; the weekly cadence from 2026-03-02, passing over "
            "skip, gives 2026-04-20"
        ),
        "sessions[9].remaining: is 5; session 10 of 12 has 2 after it",
    ]


@pytest.mark.parametrize(
    ("edit", "path", "words"),
    [
        pytest.param(
            lambda d: d["skip"].append(d["sessions"][0]["date"]),
            "sessions[0].date",
            "a date in skip",
            id="start in skip",
        ),
        pytest.param(
            lambda d: d["sessions"][4].update(date="2026-03-30"),
            "sessions[4].date",
            "a date in skip",
            id="session on the holiday",
        ),
        pytest.param(
            lambda d: d["sessions"][3]["agenda"].append("Talk about the weather"),
            "sessions[3].agenda",
            "is not the agenda of session 4 as planned",
            id="agenda",
        ),
        pytest.param(
            lambda d: d["sessions"][5].update(techniques=["clarification"]),
            "sessions[5].techniques",
            "the plan's techniques",
            id="session techniques",
        ),
        pytest.param(
            lambda d: d.update(techniques=list(reversed(d["techniques"]))),
            "techniques",
            "not the techniques the catalogue gives the focus",
            id="plan techniques not looked up",
        ),
        pytest.param(
            lambda d: d.update(techniques=["mind_reading"]),
            "techniques[0]",
            "no technique 'mind_reading' in the catalogue",
            id="unknown technique",
        ),
        pytest.param(
            lambda d: d.update(focus=[{"area": "grief"}, {"area": "interpersonal_deficits"}]),
            "focus",
            "never a focus beside another area",
            id="deficits beside grief",
        ),
    ],
)
def test_each_plan_plan_course_never_makes_is_refused(edit: Any, path: str, words: str) -> None:
    doc = _ipt_doc()
    edit(doc)
    problems = _plan_problems(doc)
    assert [p.split(": ", 1)[0] for p in problems][:1] == [path], problems
    assert words in problems[0]


def test_a_monthly_plan_keeps_its_day_through_short_months() -> None:
    """The cadence check follows plan_course's months: the 31st, clamped to the month's last day."""
    plan = plan_course("maintenance", start=date(2027, 1, 31), sessions=4)
    doc = json.loads(json.dumps(dump_plan(plan)))
    assert [s["date"] for s in doc["sessions"]] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]
    assert load_plan(doc) == plan
    doc["sessions"][2]["date"] = "2027-03-28"
    assert _plan_problems(doc) == [
        (
            "sessions[2].date: is 2027-03-28; the monthly cadence from 2027-01-31, passing over "
            "skip, gives 2027-03-31"
        )
    ]


def test_load_plan_checks_techniques_against_the_plans_catalogue() -> None:
    without = TECHNIQUES.drop("communication_analysis")  # a dispute's first technique
    plan = plan_course(start=MONDAY, focus=["role_dispute"], catalogue=without)
    doc = dump_plan(plan)
    assert load_plan(doc, catalogue=without) == plan
    assert [p.split(": ", 1)[0] for p in _plan_problems(doc)] == ["techniques"]
    for per_area in (1, 2, None):
        other = plan_course(start=MONDAY, focus=["grief"], per_area=per_area)
        assert load_plan(dump_plan(other)) == other


def test_dump_plan_writes_only_a_plan_load_plan_reads() -> None:
    """A plan file holds a plan as planned; the plan of a course as it stands (a session moved)
    is kept in the course file, and dump_plan says so instead of writing a file that cannot be
    read back."""
    from iptcore import Course

    plan = plan_course(start=MONDAY, focus=["grief"])
    held = Course.begin(vignette("demo"), plan).hold()
    moved = held.move(to=date(2026, 3, 10)).plan
    with pytest.raises(IptError, match=r"^plan: sessions\[1\].date: is 2026-03-10; .*course file"):
        dump_plan(moved)
    assert load_plan(dump_plan(held.plan)) == held.plan  # held on its day: as planned


@pytest.mark.parametrize(
    ("mourning", "complicated"),
    [("avoided", True), ("prolonged", True), ("ongoing", False), (None, False)],
)
def test_a_plan_from_a_classification_keeps_how_mourning_goes(
    mourning: str | None, complicated: bool
) -> None:
    """[GUIDE]: complicated grief is mourning "postponed, avoided or prolonged", and its work is to
    help the patient mourn what was put off. A plan made from the classification of a death whose
    mourning is avoided or prolonged says so in its focus and in each middle session's agenda; one
    whose mourning goes on (the default when none is given) does not."""
    widow = vignette("widow")  # fictional
    death = next(e for e in widow.events if e.kind.value == "death")
    events = tuple(attrs.evolve(e, mourning=mourning) if e is death else e for e in widow.events)
    case = attrs.evolve(widow, events=events)
    plan = plan_course(start=case.assessed, focus=classify(case))
    (grief,) = plan.focus
    assert grief.area is ProblemArea.GRIEF
    assert grief.mourning == (mourning or "ongoing")
    assert grief.complicated is complicated
    named = f"complicated: mourning {mourning}"
    middle = agenda_text(plan.session(4))
    assert plan.session(4).phase is Phase.MIDDLE
    assert (named in str(grief)) is complicated
    assert (named in middle) is complicated
    assert ("help the patient mourn what was put off" in middle) is complicated


def test_a_plan_file_refused_for_its_counts_keeps_them_out_of_the_redacted_error() -> None:
    """A wrong count of sessions remaining, or an agenda edited in a session whose number was
    changed, is refused with the counts quoted for the user; the redacted form (for logs) quotes
    no number of the file."""
    doc = _ipt_doc()
    doc["sessions"][2]["remaining"] = 987654
    doc["sessions"][3]["agenda"].append("Talk about the weather")
    with pytest.raises(CaseError) as caught:
        load_plan(doc)
    assert "987654" in str(caught.value)
    assert [str(p) for p in caught.value.redacted().problems] == [
        "sessions[2].remaining: is not the count of sessions after it as planned",
        "sessions[3].agenda: is not the session's agenda as planned",
    ]


def test_describe_lays_the_plan_out_in_columns_with_wrapped_agendas() -> None:
    """The table, written from its definition: a title (protocol, count, cadence, first and last
    dates), the focus, a blank line and the header; then each session's first row holds its number
    (right-aligned in 3), date and phase (11 wide), and beside them the agenda items as "- "
    bullets wrapped at 54 characters with a two-space continuation (a 56-wide column) and the
    techniques one per row; a session with neither still has its row; no row ends in a space."""
    plan = plan_course("ipc", start=date(2026, 3, 2), sessions=3, focus=["role_dispute"])
    long = " ".join(["abcdefghi"] * 6)  # 59 characters: five words fit in 54, the sixth wraps
    first, second, third = plan.sessions
    plan = attrs.evolve(
        plan,
        sessions=(
            attrs.evolve(first, agenda=("Short item", long), techniques=()),
            attrs.evolve(second, agenda=(), techniques=("clarification", "role_playing")),
            attrs.evolve(third, agenda=(), techniques=()),
        ),
    )
    left = " " * 28  # number 3, date 10, phase 11, two spaces between each
    assert plan.describe().split("\n") == [
        "Interpersonal counselling (IPC): 3 weekly sessions, 2026-03-02 to 2026-03-16",
        "Focus: role dispute",
        "",
        "  #  date        phase        " + "agenda".ljust(56) + "  techniques",
        "  1  2026-03-02  initial      - Short item",
        left + "  - abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi",
        left + "    abcdefghi",
        "  2  2026-03-09  middle     " + " " * 60 + "clarification",
        left + " " * 60 + "role_playing",
        "  3  2026-03-16  termination",
    ]
    assert plan.sessions[0].describe() == (
        "Session 1, 2026-03-02 (initial)\n  - Short item\n  - " + long
    )
    assert plan.sessions[1].describe() == (
        "Session 2, 2026-03-09 (middle)\n  techniques: clarification, role_playing"
    )


def test_describe_says_when_there_is_a_session_0_and_when_no_focus_is_agreed() -> None:
    # WHO group IPT: a pre-group session 0 and 8 weekly group sessions by default [WHO].
    lines = plan_course("group", start=date(2026, 3, 2)).describe().splitlines()
    assert lines[0] == (
        "Group IPT (WHO): 8 weekly sessions plus a session 0, 2026-03-02 to 2026-04-27"
    )
    assert lines[1] == "Focus: not yet agreed"
    assert lines[4].startswith("  0  2026-03-02  engagement   - ")


def test_an_edited_agenda_is_refused_at_its_first_change() -> None:
    """The message says where the agenda first parts from the plan: an item changed (both
    quoted), an item added (quoted, "is not planned") or an item gone ("is missing")."""
    planned = _ipt_doc()["sessions"][3]["agenda"]
    head = "sessions[3].agenda: is not the agenda of session 4 as planned"

    def refusal(agenda: list[str]) -> str:
        doc = _ipt_doc()
        doc["sessions"][3]["agenda"] = agenda
        (problem,) = _plan_problems(doc)
        assert problem.startswith(head + " (")
        return problem.removeprefix(head + " (").removesuffix(")")

    changed = [planned[0], "Talk about the weather", *planned[2:]]
    assert refusal(changed) == f"item 1 is 'Talk about the weather', planned {planned[1]!r}"
    assert refusal([*planned, "Talk about the weather"]) == (
        f"item {len(planned)}, 'Talk about the weather', is not planned"
    )
    gone = refusal(planned[:-1])
    assert gone.startswith(f"item {len(planned) - 1}, {planned[-1][:20]!r}"[:-1])
    assert gone.endswith(", is missing")


def test_the_plan_loaders_and_writers_name_what_they_refuse() -> None:
    with pytest.raises(IptError) as caught:
        dump_plan(3)  # type: ignore[arg-type]
    assert str(caught.value) == "dump_plan needs a CoursePlan, got int"
    with pytest.raises(CaseError) as refused:
        load_plan({"format": "iptcore.plan/1", "protocol": "ipt", "sessions": "all"})
    assert str(refused.value) == (
        "invalid plan file, 1 problem: sessions: must be a list, got 'all'"
    )


def test_a_protocol_of_the_users_own_without_a_maximum_is_written_and_read_back() -> None:
    """A protocol's ``max_sessions`` may be null (no maximum); the plan file holds it so."""
    open_ended = attrs.evolve(PROTOCOLS["ipt"], name="ipt-open", max_sessions=None)
    plan = plan_course(open_ended, start=MONDAY, sessions=20)
    doc = json.loads(json.dumps(dump_plan(plan)))
    assert doc["protocol"]["max_sessions"] is None
    assert load_plan(doc) == plan


def test_a_built_in_protocol_is_written_by_name_and_a_users_in_plain_words() -> None:
    assert dump_plan(plan_course("ipc", start=MONDAY, sessions=3))["protocol"] == "ipc"
    mine = attrs.evolve(PROTOCOLS["ipc"], name="ipc")  # the same values: the built-in one
    assert dump_plan(plan_course(mine, start=MONDAY, sessions=3))["protocol"] == "ipc"
    longer = attrs.evolve(PROTOCOLS["ipc"], default_sessions=5)  # named ipc, but not ipc's
    written = dump_plan(plan_course(longer, start=MONDAY))["protocol"]
    assert written["name"] == "ipc"
    assert (written["cadence"], written["on_miss"]) == ("weekly", "keep_end")
    assert type(written["cadence"]) is str
    assert type(written["on_miss"]) is str


def test_a_protocols_counts_in_a_plan_file_are_bounded_by_max_sessions() -> None:
    """A count of sessions up to the documented limit is read; above it, refused at its path, the
    redacted form quoting the limit only."""
    open_ended = attrs.evolve(PROTOCOLS["ipt"], name="ipt-open", max_sessions=None)
    doc = json.loads(json.dumps(dump_plan(plan_course(open_ended, start=MONDAY, sessions=20))))
    most = DEFAULT_LIMITS.max_sessions
    doc["protocol"]["max_sessions"] = most
    assert load_plan(doc).protocol.max_sessions == most
    doc["protocol"]["max_sessions"] = most + 1
    with pytest.raises(CaseError) as caught:
        load_plan(doc)
    assert str(caught.value) == (
        f"invalid plan file, 1 problem: protocol.max_sessions: {most + 1:,} sessions is more "
        f"than the limit of {most:,} (max_sessions)"
    )
    assert str(caught.value.redacted()) == (
        "invalid plan file, 1 problem: protocol.max_sessions: is more than the limit of "
        f"{most:,} (max_sessions)"
    )


def test_a_plan_made_with_a_catalogue_of_ones_own_is_read_back_with_it() -> None:
    """The techniques a plan file must hold are those its catalogue gives the focus: a plan made
    with a catalogue lacking communication analysis loads with that catalogue, not with the
    built-in, with all its techniques or the first of each area (per_area=1)."""
    ours = TECHNIQUES.drop("communication_analysis")  # a dispute's first technique
    plan = plan_course("ipt", start=MONDAY, focus=["role_dispute"], catalogue=ours)
    doc = dump_plan(plan)
    assert load_plan(doc, catalogue=ours) == plan
    with pytest.raises(CaseError) as caught:
        load_plan(doc)
    assert [p.path for p in caught.value.problems] == ["techniques"]
    one = plan_course("ipt", start=MONDAY, focus=["role_dispute"], catalogue=ours, per_area=1)
    assert load_plan(dump_plan(one), catalogue=ours) == one


def test_a_session_off_the_cadence_is_one_problem_and_the_rest_follow_from_it() -> None:
    """A weekly session moved from Monday to Wednesday is refused, naming the Monday the cadence
    gives; the next session, on the Monday after, is on the cadence from there, not a problem."""
    doc = json.loads(json.dumps(dump_plan(plan_course("ipc", start=MONDAY, sessions=3))))
    doc["sessions"][1]["date"] = "2026-03-11"
    assert _plan_problems(doc) == [
        (
            "sessions[1].date: is 2026-03-11; the weekly cadence from 2026-03-02, passing over skip, "
            "gives 2026-03-09"
        )
    ]


def test_a_plan_at_the_end_of_the_calendar_says_that_no_day_is_left() -> None:
    plan = plan_course("ipc", start=date(9999, 12, 13), sessions=3)
    doc = json.loads(json.dumps(dump_plan(plan)))
    doc["sessions"][1]["date"] = "9999-12-27"
    doc["sessions"][2]["date"] = "9999-12-30"
    problems = _plan_problems(doc)
    assert problems[:2] == [
        (
            "sessions[1].date: is 9999-12-27; the weekly cadence from 9999-12-13, passing over skip, "
            "gives 9999-12-20"
        ),
        (
            "sessions[2].date: is 9999-12-30; the weekly cadence from 9999-12-13, passing over skip, "
            "gives no date before 9999-12-31"
        ),
    ]


def test_plan_file_refusals_have_redacted_forms_without_dates() -> None:
    doc = _ipt_doc()
    doc["sessions"][1]["date"] = "2026-03-11"
    doc["sessions"][4]["date"] = "2026-03-30"  # the holiday in skip
    doc["sessions"][5]["techniques"] = ["clarification"]
    with pytest.raises(CaseError) as caught:
        load_plan(doc)
    assert [str(p) for p in caught.value.problems][-1] == (
        "sessions[5].techniques: are not the plan's techniques for a middle session: a session "
        "of the focus's work lists the plan's techniques, any other none"
    )
    redacted = [str(p) for p in caught.value.redacted().problems]
    assert redacted[:2] == [
        "sessions[1].date: is not a day the weekly cadence gives",
        "sessions[4].date: is a date in skip (no session)",
    ]


def test_describe_wraps_an_agenda_item_at_54_characters_and_joins_two_areas() -> None:
    """An item of 54 characters fills its line; the word after it goes to the next. A focus of
    two areas is named primary first, with a comma."""
    plan = plan_course("ipc", start=MONDAY, sessions=3, focus=["role_dispute", "role_transition"])
    first = plan.sessions[0]
    item = "x" * 54 + " y"
    plan = attrs.evolve(
        plan, sessions=(attrs.evolve(first, agenda=(item,), techniques=()), *plan.sessions[1:])
    )
    lines = plan.describe().split("\n")
    assert lines[1] == "Focus: role dispute, role transition"
    assert lines[4:6] == [
        "  1  2026-03-02  initial      - " + "x" * 54,
        " " * 30 + "  y",
    ]


def _hand_built(**changes: Any) -> CoursePlan:
    """A CoursePlan built by hand from a fictional 12-session IPT plan, with ``changes``."""
    plan = plan_course("ipt", start=date(2026, 3, 2), sessions=12, focus=["grief"])
    return CoursePlan(protocol=plan.protocol, **{"sessions": plan.sessions, **changes})


def _wrong_phase() -> Any:
    plan = plan_course("ipt", start=date(2026, 3, 2), sessions=12, focus=["grief"])
    sessions = list(plan.sessions)
    sessions[1] = attrs.evolve(sessions[1], phase=sessions[-1].phase)
    return tuple(sessions)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sessions": ()}, "sessions: must be a non-empty tuple of PlannedSession, got ()"),
        ({"sessions": "x"}, "sessions: must be a non-empty tuple of PlannedSession, got 'x'"),
        ({"sessions": (_wrong_phase()[0], "x")}, "sessions[1]: must be a PlannedSession, got 'x'"),
        ({"focus": ("grief",)}, "focus: must be a tuple of FocusArea, got ('grief',)"),
        ({"focus": 5}, "focus: must be a tuple of FocusArea, got 5"),
        (
            {"skip": (datetime(2026, 3, 3, 9, 0),)},
            "skip: must be datetime.date values, got (datetime.datetime(2026, 3, 3, 9, 0),)",
        ),
        ({"skip": 5}, "skip: must be datetime.date values, got 5"),
        # Not dates all: kept as given, in the order given, and quoted so.
        (
            {"skip": [date(2026, 3, 9), "2026-03-02"]},
            "skip: must be datetime.date values, got (datetime.date(2026, 3, 9), '2026-03-02')",
        ),
        ({"warnings": 5}, "warnings: must be a tuple of strings, got 5"),
        # Every problem of the fields at once.
        (
            {"sessions": (_wrong_phase()[0], "x", 3), "focus": 5, "warnings": [1]},
            (
                "sessions[1]: must be a PlannedSession, got 'x'; sessions[2]: must be a "
                "PlannedSession, got 3; focus: must be a tuple of FocusArea, got 5; warnings: must be "
                "a tuple of strings, got (1,)"
            ),
        ),
        # Session 2 of 12 is in IPT's initial phase [GUIDE]; the message says so.
        ({"sessions": _wrong_phase()}, "sessions[1].phase: session 2 of 12 is initial"),
    ],
)
def test_a_hand_built_plan_is_refused_in_words_that_name_the_field(
    changes: dict[str, Any], message: str
) -> None:
    """A CoursePlan built by hand (not by plan_course) is checked as plan_course's are: no
    sessions, a focus that is not FocusArea values, a skip date with a time, a session in the
    wrong phase; each refused naming the field and quoting what it holds, every problem of the
    fields at once, never a TypeError."""
    with pytest.raises(IptError) as refused:
        _hand_built(**changes)
    assert str(refused.value) == message


def test_maintenance_work_falls_back_to_the_middle_phase_where_the_catalogue_has_none() -> None:
    """IPT-M continues the middle phase's work [FRANK1990]: with a catalogue (fictional) in which
    no technique is marked for maintenance, a maintenance plan's techniques are those the middle
    phase of acute IPT uses for the same focus, a dispute's stage included."""
    from iptcore.plan import lookup_techniques

    catalogue = TECHNIQUES
    for technique in list(TECHNIQUES):
        phases = tuple(p for p in technique.phases if p is not Phase.MAINTENANCE)
        catalogue = catalogue.replace(attrs.evolve(technique, phases=phases))
    dispute = (FocusArea(area=ProblemArea.ROLE_DISPUTE, stage="impasse"),)
    for focus in (focus_areas(["grief"]), dispute):
        middle = lookup_techniques(focus, PROTOCOLS["ipt"], catalogue)
        assert middle
        assert lookup_techniques(focus, PROTOCOLS["maintenance"], catalogue) == middle
        assert lookup_techniques(focus, PROTOCOLS["maintenance"], catalogue, per_area=None) == (
            lookup_techniques(focus, PROTOCOLS["ipt"], catalogue, per_area=None)
        )
    # Where the catalogue has maintenance techniques for the area, those are the ones used.
    kept = catalogue.replace(TECHNIQUES["clarification"])
    assert lookup_techniques(focus_areas(["grief"]), PROTOCOLS["maintenance"], kept) == (
        "clarification",
    )


@pytest.mark.parametrize("per_area", ["2", 2.0, True, 0])
def test_per_area_takes_a_whole_number_of_one_or_more(per_area: object) -> None:
    """``per_area`` is a count of techniques: text, a float, a bool or 0 is refused in words."""
    from iptcore.plan import lookup_techniques

    with pytest.raises(IptError) as refused:
        lookup_techniques(focus_areas(["grief"]), PROTOCOLS["ipt"], per_area=per_area)  # type: ignore[arg-type]
    assert str(refused.value) == (
        f"per_area: must be a whole number of 1 or more, or None, got {per_area!r}"
    )


def test_a_focus_that_is_no_area_is_refused_at_its_place_in_words() -> None:
    """One focus that is no problem area is refused at ``focus``, an item of a list at its index;
    deficits beside another area are refused with the manual's rule and its source [GUIDE]."""
    areas = "grief, role_dispute, role_transition, interpersonal_deficits"
    must = f"must be a problem area ({areas}), a Finding or a FocusArea, got 'nonsense'"
    with pytest.raises(IptError) as refused:
        focus_areas("nonsense")
    assert str(refused.value) == f"focus: {must}"
    with pytest.raises(IptError) as refused:
        focus_areas(["nonsense"])
    assert str(refused.value) == f"focus[0]: {must}"
    with pytest.raises(ProtocolError) as refused_rule:
        focus_areas(["interpersonal_deficits", "grief"])
    assert str(refused_rule.value) == (
        "focus: interpersonal deficits is never a focus beside another area [GUIDE]"
    )


def test_a_hand_built_plan_takes_its_sessions_and_skip_dates_as_lists() -> None:
    """A CoursePlan takes its sessions and skip dates as lists too, kept as tuples (a plan is a
    value): the same plan as plan_course's, skip dates sorted and each once."""
    plan = plan_course("ipt", start=date(2026, 3, 2), sessions=12, focus=["grief"])
    again = CoursePlan(
        protocol=plan.protocol,
        sessions=list(plan.sessions),
        focus=list(plan.focus),
        techniques=list(plan.techniques),
        skip=[date(2026, 12, 25), date(2026, 4, 6), date(2026, 12, 25)],
    )
    assert again.sessions == plan.sessions
    assert isinstance(again.sessions, tuple)
    assert again.skip == (date(2026, 4, 6), date(2026, 12, 25))


def test_a_focus_area_names_its_person_and_only_a_dispute_says_with() -> None:
    """A focus area is written as its area and details (the plan's words): a dispute is *with* a
    person [GUIDE], grief and a transition name the person alone."""
    assert str(FocusArea(area="grief", person="mum")) == "grief (mum)"
    assert str(FocusArea(area="role_transition", person="boss")) == "role transition (boss)"
    assert str(FocusArea(area="role_dispute", person="sam")) == "role dispute (with sam)"


def test_complicated_grief_adds_mourning_what_was_put_off_to_the_agenda() -> None:
    """Complicated grief (mourning avoided or prolonged) works on the mourning that was put off
    [GUIDE]: the focus area's agenda line says so after the grief strategy; plain grief does
    not."""
    plain = FocusArea(area="grief", person="mum").agenda_item()
    avoided = FocusArea(area="grief", person="mum", mourning="avoided").agenda_item()
    assert avoided.endswith("; help the patient mourn what was put off")
    assert not plain.endswith("what was put off")
    assert avoided.startswith("Focus on grief (complicated: mourning avoided, mum): ")


def test_a_focus_from_a_grief_finding_without_an_event_has_no_mourning() -> None:
    """A rule of the user's own may find grief with no event as its evidence (the Rule's
    contract); its focus area is grief with that person and no mourning to read."""
    from iptcore.findings import Evidence, Finding

    day = date(2025, 12, 1)
    finding = Finding(
        area="grief",
        anchor=day,
        rule="user.grief",
        source="[local]",
        rationale="a fictional rule",
        evidence=Evidence(kind="inventory", date=day, days_from_onset=0, summary="told"),
        person="mum",
    )
    assert focus_areas(finding) == (FocusArea(area="grief", person="mum"),)


def test_session_recipe_makes_the_sessions_from_an_index() -> None:
    """``SessionRecipe.sessions(start)`` makes the sessions from index ``start`` to the last, the
    same as making them all and keeping those (a course that changes a date makes again only
    the sessions it reads)."""
    from iptcore.plan import SessionRecipe

    dates = (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16))
    recipe = SessionRecipe(protocol=PROTOCOLS["ipc"], dates=dates)
    assert [s.number for s in recipe.sessions(1)] == [2, 3]
    assert recipe.sessions(1) == recipe.sessions()[1:]
    assert recipe.sessions(3) == ()


def test_the_last_third_counts_the_sessions_left_in_words() -> None:
    """From the last third of the course the agenda says how many sessions remain [GUIDE: the
    end is kept in view]: "2 sessions remain", "1 session remains", then the last session; a
    maintenance contract of one session says at once that it is the last [FRANK1990]."""
    plan = plan_course("ipt", start=date(2026, 3, 2), sessions=12, focus=["grief"])
    last = [s.agenda[-1] for s in plan.sessions[-3:]]
    assert last == [
        "2 sessions remain after this one",
        "1 session remains after this one",
        "This is the last session",
    ]
    (only,) = plan_course("maintenance", start=date(2026, 3, 2), sessions=1).sessions
    assert only.agenda[-1] == "This is the last session"


def test_technique_choices_reach_the_whole_list_of_a_larger_catalogue() -> None:
    """The lists a plan may hold (:func:`technique_choices`) end with the whole list for the focus
    in the catalogue given, even when that catalogue has more techniques than the built-in one
    (a fictional technique of a user's own added for grief)."""
    from iptcore.plan import lookup_techniques, technique_choices
    from iptcore.techniques import Technique

    walk = Technique(
        id="walk_and_talk",
        name="Walk and talk",
        family="communication_analysis",
        areas=["grief"],
        phases=["middle"],
        description="talk while walking",
        source="a fictional source",
    )
    larger = TECHNIQUES.add(walk)
    focus = focus_areas("grief")
    whole = lookup_techniques(focus, PROTOCOLS["ipt"], larger, per_area=None)
    assert len(whole) == len(lookup_techniques(focus, PROTOCOLS["ipt"], per_area=None)) + 1
    choices = technique_choices(focus, PROTOCOLS["ipt"], larger)
    assert choices[-1] == whole
    assert [len(c) for c in choices] == list(range(1, len(whole) + 1))


def test_a_task_of_every_session_fills_in_its_placeholders() -> None:
    """A task may hold ``{sessions}``, ``{cadence}`` and ``{end}`` (the Task's contract), a task of
    every session of its phase as well as one due once: a protocol of the user's own (fictional)
    with such a task in the middle phase shows the contract's own figures there."""
    from iptcore.protocols import Task

    keep = Task(
        id="keep_count",
        phase="middle",
        text="Keep the {sessions} {cadence} sessions to {end} in view",
        source="a fictional source",
        every=True,
    )
    ipt = PROTOCOLS["ipt"]
    mine = attrs.evolve(ipt, name="ipt-own", tasks=(*ipt.tasks, keep))
    plan = plan_course(mine, start=date(2026, 3, 2), sessions=12, focus=["grief"])
    line = f"Keep the 12 weekly sessions to {plan.end.isoformat()} in view"
    middle = [s for s in plan.sessions if s.phase is Phase.MIDDLE]
    assert middle
    assert all(line in s.agenda for s in middle)
    assert not any(line in s.agenda for s in plan.sessions if s.phase is not Phase.MIDDLE)


def test_a_hand_built_plan_quotes_a_huge_value_by_its_size() -> None:
    """A refusal quotes what it refuses abridged: an integer past the 4,300 digits Python writes
    as text is named by its size, and a long value is cut, never a ValueError while the message
    is written."""
    with pytest.raises(IptError) as refused:
        _hand_built(skip=10**5000, warnings=[1] * 40)
    cut = repr((1,) * 40)[:57] + "..."  # 60 characters at most
    assert str(refused.value) == (
        "skip: must be datetime.date values, got an integer of 5001 digits; warnings: must be a "
        f"tuple of strings, got {cut}"
    )
