"""Statistical tests of iptcore.simulate.simulate_case: over a few hundred seeded cases, dropout,
its hazard per phase, the area's effect and the risk item behave as their parameters say.
Then one case pinned: its JSON form and text, its refusals, its steps, its work at a chosen
adherence and the documented examples."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from typing import Any

import attrs
import numpy as np
import pytest

from iptcore import (
    PROTOCOLS,
    STUART_RULES,
    WHO_RULES,
    Course,
    DisputeStage,
    Instrument,
    IptError,
    Measure,
    Phase,
    ProblemArea,
    Protocol,
    SimulatedCourse,
    SimulationParams,
    StepKind,
    classify,
    dump_course,
    formulate,
    load_course,
    plan_course,
    score,
    simulate_case,
)
from iptcore.fidelity import DEFAULT_SPEC, adherence
from iptcore.limits import DEFAULT_LIMITS
from iptcore.protocols import MissRule
from iptcore.simulate import SCRIPT_ACTIONS, Attendance, SimulatedSession, endorsement_rate
from iptcore.vignettes import vignette

# Hazards per session by phase: 16-session IPT has sessions 1-3 initial, 4-13 middle and 14-16
# termination [GUIDE], and with no missed sessions each session falls due once.
HAZARD = {"initial": 0.08, "middle": 0.02, "termination": 0.0}
CASES = 200


def within(observed: float, expected: float, n: int) -> bool:
    """Within three binomial standard errors of the expected share."""
    return abs(observed - expected) < 3 * math.sqrt(expected * (1 - expected) / n)


@pytest.fixture(scope="module")
def runs() -> list[SimulatedCourse]:
    params = SimulationParams(
        miss_rate=0.0,
        dropout_initial=HAZARD["initial"],
        dropout_middle=HAZARD["middle"],
        dropout_termination=HAZARD["termination"],
    )
    return [simulate_case(vignette("widow"), seed=seed, params=params) for seed in range(CASES)]


def test_the_dropout_share_is_the_parameters(runs: list[SimulatedCourse]) -> None:
    """P(drop out) = 1 - (1 - h_initial)^3 (1 - h_middle)^10 (1 - h_termination)^3 = 0.364; the
    share of the simulated cases is within its sampling error of it."""
    expected = 1 - (1 - HAZARD["initial"]) ** 3 * (1 - HAZARD["middle"]) ** 10
    share = sum(run.dropped_out for run in runs) / CASES
    assert within(share, expected, CASES), (share, expected)


def test_dropout_follows_the_hazard_of_each_phase(runs: list[SimulatedCourse]) -> None:
    """Dropout in the initial phase at 1 - 0.92^3 = 0.221; none in the termination phase, whose
    hazard is 0."""
    phases = [
        s.phase for run in runs for s in run.sessions if s.attendance is Attendance.DROPPED_OUT
    ]
    initial = sum(phase is Phase.INITIAL for phase in phases) / CASES
    assert within(initial, 1 - (1 - HAZARD["initial"]) ** 3, CASES), initial
    assert Phase.TERMINATION not in phases
    assert set(phases) <= {Phase.INITIAL, Phase.MIDDLE}


def test_an_area_effect_shows_in_the_mean_change() -> None:
    """The same cases (seeds) with an interpersonal-deficits focus, whose change runs at 0.6 of
    the others' [GUIDE], change less than with a grief focus: case by case, since every other
    number drawn is the same, and in the mean by more than three standard errors."""
    steady = attrs.evolve(
        SimulationParams(),
        miss_rate=0.0,
        dropout_initial=0.0,
        dropout_middle=0.0,
        dropout_termination=0.0,
    )
    widow = vignette("widow")
    grief = [simulate_case(widow, seed=s, params=steady, focus="grief") for s in range(60)]
    deficits = [
        simulate_case(widow, seed=s, params=steady, focus="interpersonal_deficits")
        for s in range(60)
    ]
    slower = np.array([d.end - d.baseline for d in deficits], dtype=float)
    faster = np.array([g.end - g.baseline for g in grief], dtype=float)
    assert (slower >= faster).all()
    difference = slower - faster
    assert difference.mean() > 3 * difference.std(ddof=1) / math.sqrt(difference.size)
    assert faster.mean() < 0


def test_the_risk_item_is_answered_at_its_published_rate() -> None:
    """Each held session's PHQ-9 answers item 9 above 0 at the rate of its total's band
    (iptcore.simulate.RISK_RATES); over the sessions of 60 cases the count of flags is within
    three standard errors of the sum of those rates."""
    runs = [simulate_case(vignette("widow"), seed=s, instrument="phq9") for s in range(60)]
    expected, flagged = [], []
    for run in runs:
        for record in run.course.records:
            for measure in record.measures:
                total = score(measure.instrument, measure.items).total
                expected.append(endorsement_rate("phq9", total))
                flagged.append((measure.items[8] or 0) > 0)
    rates = np.array(expected)
    sd = math.sqrt(float((rates * (1 - rates)).sum()))
    assert abs(sum(flagged) - rates.sum()) < 3 * sd
    assert any(flagged)


# -- miss rates near 1 ----------------------------------------------------------------------------


def test_a_miss_rate_near_1_misses_each_session_once_under_the_default_rule() -> None:
    """Under the protocols' default miss rule (keep_end: the session is lost, the plan stays
    [COMP; ISIPT]) each planned session falls due once whatever the miss rate: at 0.99 the 16
    sessions of IPT fall due 16 times, and nearly all are missed."""
    run = simulate_case(
        vignette("widow"), seed=3, params=SimulationParams(miss_rate=0.99, dropout_initial=0.0,
                                                           dropout_middle=0.0)
    )  # fmt: skip
    assert [s.number for s in run.sessions] == list(range(1, 17))
    assert sum(s.attendance is Attendance.MISSED for s in run.sessions) >= 14
    assert run.course.state.value == "closed"


def _making_up() -> Protocol:
    """IPT whose missed sessions are made up a week later, the end moving (keep_count)."""
    return attrs.evolve(PROTOCOLS["ipt"], name="ipt-making-up", on_miss=MissRule.KEEP_COUNT)


def test_a_course_that_makes_up_missed_sessions_ends_at_its_limit_of_steps() -> None:
    """A protocol that makes up each missed session (keep_count) falls due k / (1 - m) times on
    average: at a miss rate of 0.999, 16,000 times for 16 sessions, more than a course holds
    (max_steps). The simulated course ends there, the case taken to drop out with the reason
    saying why, and its course file reads back."""
    run = simulate_case(
        vignette("widow"), seed=1, protocol=_making_up(),
        params=SimulationParams(miss_rate=0.999, dropout_initial=0.0, dropout_middle=0.0,
                                dropout_termination=0.0),
    )  # fmt: skip
    assert len(run.course.steps) <= DEFAULT_LIMITS.max_steps
    last = run.sessions[-1]
    assert last.attendance is Attendance.DROPPED_OUT
    before = [s.attendance for s in run.sessions[:-1]]
    assert set(before) == {Attendance.HELD, Attendance.MISSED}
    assert before.count(Attendance.HELD) < 16
    assert run.course.state.value == "dropped"
    assert "max_steps" in run.course.steps[-1].reason
    assert load_course(dump_course(run.course)) == run.course


def test_a_course_within_its_steps_is_simulated_to_its_end_at_any_miss_rate() -> None:
    """At 0.95 a course of 16 sessions that makes up its misses falls due about 320 times, well
    within max_steps: every session falls due until all 16 are held, the course closed."""
    run = simulate_case(
        vignette("widow"), seed=2, protocol=_making_up(),
        params=SimulationParams(miss_rate=0.95, dropout_initial=0.0, dropout_middle=0.0,
                                dropout_termination=0.0),
    )  # fmt: skip
    assert sum(s.attendance is Attendance.HELD for s in run.sessions) == 16
    assert len(run.sessions) > 100
    assert run.course.state.value == "closed"


# -- one case, pinned field by field and word for word ---------------------------------------------
#
# The tests below pin what a user reads from simulate_case: its JSON form and its text key by key
# and word by word, each refusal's message, the steps it takes on the Course and their reasons, the
# model's arithmetic where it is deterministic, and the examples the documentation publishes
# (docs/simulation.md, docs/tutorials/simulation-study.md, docs/fidelity.md).


def steady(**changes: Any) -> SimulationParams:
    """Parameters without random misses or dropouts: the script alone decides attendance."""
    base = SimulationParams(miss_rate=0.0, dropout_initial=0.0, dropout_middle=0.0)
    return attrs.evolve(base, dropout_termination=0.0, **changes)


def clockwork(**changes: Any) -> SimulationParams:
    """Parameters without any randomness in the severity: every case equally responsive
    (responsiveness_sd 0, so theta = exp(0 - 0) = 1), no random walk and no measurement noise."""
    return steady(responsiveness_sd=0.0, walk_sd=0.0, measurement_sd=0.0, **changes)


def hamd(date_: date, items: tuple[int | None, ...]) -> Measure:
    """A fictional HAM-D-17 taken on ``date_``."""
    return Measure(date=date_, instrument=Instrument.HAMD17, items=items)


def session_dict(s: SimulatedSession) -> dict[str, Any]:
    """The JSON form of a session as SimulatedSession.to_dict documents it, from its attributes."""
    return {
        "number": s.number,
        "date": s.date.isoformat(),
        "phase": s.phase.value,
        "attendance": s.attendance.value,
        "severity": round(s.severity, 3),
        "score": s.score,
        "stage": None if s.stage is None else s.stage.value,
        "scripted": list(s.scripted),
    }


def test_a_sessions_json_form_is_each_of_its_fields() -> None:
    """SimulatedSession.to_dict() holds exactly its eight fields, the date in ISO form, the
    enums by value, the severity rounded to 3 places, the stage's value or None and the scripted
    actions as a list: for a held, a missed and a scripted session, with and without a dispute."""
    widow = simulate_case(vignette("widow"), seed=4, params=steady(), script={5: "miss"})
    dispute = simulate_case(
        vignette("dispute"), seed=5, params=steady(), script={6: ["impasse", "miss"]}
    )
    for run in (widow, dispute):
        for s in run.sessions:
            assert s.to_dict() == session_dict(s)
            assert list(s.to_dict()) == list(session_dict(s))
    held, missed = widow.sessions[0], widow.sessions[4]
    assert held.to_dict()["score"] == held.score is not None
    assert held.to_dict()["stage"] is None
    assert held.to_dict()["severity"] != round(held.severity, 4)  # 3 places, not 4
    assert missed.to_dict()["scripted"] == ["miss"]
    assert missed.to_dict()["score"] is None
    sixth = dispute.sessions[5].to_dict()
    assert (sixth["stage"], sixth["scripted"], sixth["attendance"]) == (
        "impasse",
        ["impasse", "miss"],
        "missed",
    )
    assert dispute.sessions[0].to_dict()["stage"] == "renegotiation"
    assert sixth["date"] == dispute.sessions[5].date.isoformat() == "2026-03-02"


def course_dict(run: SimulatedCourse) -> dict[str, Any]:
    """The JSON form of a simulated course as SimulatedCourse.to_dict documents it."""
    return {
        "case_id": run.case.id,
        "seed": run.seed,
        "instrument": run.instrument.value,
        "baseline": run.baseline,
        "end": run.end,
        "responsiveness": round(run.responsiveness, 4),
        "dropped_out": run.dropped_out,
        "response": run.response,
        "remission": run.remission,
        "sessions": [session_dict(s) for s in run.sessions],
        "course": dump_course(run.course),
    }


def test_a_courses_json_form_is_each_of_its_fields() -> None:
    """SimulatedCourse.to_dict() holds exactly its eleven keys: the case, seed and instrument, the
    baseline and end, the responsiveness to 4 places, the outcome (dropout, response
    [CUIJPERS2011] and remission), the sessions and the course file; for a course that closed in
    remission and one that dropped out."""
    closed = simulate_case(vignette("dispute"), seed=5)
    dropped = simulate_case(vignette("dispute"), seed=5, params=steady(), script={2: "drop_out"})
    assert (closed.dropped_out, closed.response, closed.remission) == (False, True, True)
    assert (dropped.dropped_out, dropped.response, dropped.remission) == (True, False, False)
    for run in (closed, dropped):
        data = run.to_dict()
        assert data == course_dict(run)
        assert list(data) == list(course_dict(run))
        assert json.loads(json.dumps(data)) == data
        assert data["responsiveness"] != round(run.responsiveness, 5)  # 4 places, not 5
    assert closed.to_dict()["instrument"] == "hamd17"
    assert closed.to_dict()["case_id"] == "vignette-dispute"


# The describe() of docs/simulation.md ("One case, session by session"), word for word.
DISPUTE_SEED_5 = """\
Simulated course of case vignette-dispute (seed 5): IPT (standard), focus role dispute (renegotiation, with anil)
  baseline HAM-D-17 29; responsiveness 1.63
    1  2026-01-26  initial      held         HAM-D-17 25
    2  2026-02-02  initial      held         HAM-D-17 26
    3  2026-02-09  initial      held         HAM-D-17 27
    4  2026-02-16  middle       held         HAM-D-17 22
    5  2026-02-23  middle       held         HAM-D-17 20
    6  2026-03-02  middle       held         HAM-D-17 19
    7  2026-03-09  middle       held         HAM-D-17 16
    8  2026-03-16  middle       held         HAM-D-17 14
    9  2026-03-23  middle       held         HAM-D-17 13
   10  2026-03-30  middle       held         HAM-D-17 10
   11  2026-04-06  middle       missed
   12  2026-04-13  middle       held         HAM-D-17 7
   13  2026-04-20  middle       held         HAM-D-17 8
   14  2026-04-27  termination  held         HAM-D-17 10
   15  2026-05-04  termination  held         HAM-D-17 7
   16  2026-05-11  termination  held         HAM-D-17 6
  end HAM-D-17 6: course closed; response yes, remission yes"""


def test_the_documented_course_is_described_word_for_word() -> None:
    """The example course of docs/simulation.md, as a reader sees it there: the header with the
    focus, the baseline and responsiveness, one line per session (a missed one without a score
    and without trailing spaces), and the outcome. Its first session is a week after the
    assessment (2026-01-19)."""
    run = simulate_case(vignette("dispute"), seed=5)
    assert run.describe() == DISPUTE_SEED_5
    assert run.sessions[0].date == vignette("dispute").assessed + timedelta(days=7)
    assert (run.course.state.value, len(run.course.records)) == ("closed", 16)


def test_a_dropped_out_course_is_described_word_for_word() -> None:
    """A course scripted to drop out: the scripted actions of a session listed in brackets, comma
    separated; the outcome says "dropped out", and with the end (the first session's score) above
    half the baseline and above the remission cut-off [CUIJPERS2011], "response no, remission no"."""
    run = simulate_case(
        vignette("dispute"), seed=5, params=steady(), script={2: ["impasse", "miss"], 3: "drop_out"}
    )
    one, two, three = run.sessions
    assert one.score is not None
    assert not run.response
    assert not run.remission
    assert run.describe().splitlines() == [
        (
            "Simulated course of case vignette-dispute (seed 5): IPT (standard), "
            "focus role dispute (renegotiation, with anil)"
        ),
        f"  baseline HAM-D-17 29; responsiveness {run.responsiveness:.2f}",
        f"    1  2026-01-26  initial      held         HAM-D-17 {one.score}",
        "    2  2026-02-02  initial      missed       [impasse, miss]",
        "    3  2026-02-09  initial      dropped_out  [drop_out]",
        f"  end HAM-D-17 {one.score}: dropped out; response no, remission no",
    ]
    assert (two.score, three.score) == (None, None)


def test_a_course_without_a_focus_is_described_as_focus_none() -> None:
    """A SimulatedCourse whose course has no focus agreed (a plan may have none yet) says "focus
    none" in its first line."""
    run = simulate_case(vignette("widow"), seed=4, params=steady())
    unfocused = Course.begin(
        run.case, plan_course("ipt", start=run.course.plan.sessions[0].date, focus=())
    )
    text = attrs.evolve(run, course=unfocused).describe()
    assert text.splitlines()[0] == (
        "Simulated course of case vignette-widow (seed 4): IPT (standard), focus none"
    )


# -- the documented examples -------------------------------------------------------------------------


def test_the_documented_scripted_courses_are_reproduced() -> None:
    """docs/simulation.md ("Scripted events"): with chance misses and dropouts off, session 5
    missed and lost, the end kept, and from session 6 the dispute at impasse; the severities of
    the last three sessions and the end scores are the ones the page shows."""
    plain = simulate_case(vignette("dispute"), seed=5, params=steady())
    scripted = simulate_case(
        vignette("dispute"), seed=5, params=steady(), script={5: "miss", 6: "impasse"}
    )
    assert [(s.number, s.attendance.value, s.scripted) for s in scripted.sessions[3:7]] == [
        (4, "held", ()),
        (5, "missed", ("miss",)),
        (6, "held", ("impasse",)),
        (7, "held", ()),
    ]
    assert plain.course.plan.end == scripted.course.plan.end == date(2026, 5, 11)
    assert ([round(s.severity, 1) for s in plain.sessions][-3:], plain.end) == ([6.1, 5.5, 4.6], 5)
    assert ([round(s.severity, 1) for s in scripted.sessions][-3:], scripted.end) == (
        [12.8, 12.2, 10.7],
        11,
    )


def test_the_documented_module_example_is_reproduced() -> None:
    """The example of iptcore.simulate.case's docstring: the dispute scripted to impasse at
    session 6, and the course that follows."""
    run = simulate_case(vignette("dispute"), seed=5, script={6: "impasse"})
    assert [(s.number, s.stage, s.score) for s in run.sessions[4:7]] == [
        (5, DisputeStage.RENEGOTIATION, 20),
        (6, DisputeStage.IMPASSE, 21),
        (7, DisputeStage.IMPASSE, 19),
    ]
    assert (run.course.state.value, run.end, run.remission) == ("closed", 12, False)


def test_five_seeds_of_one_case_are_the_tutorials() -> None:
    """docs/tutorials/simulation-study.md: the dispute vignette, which has no HAM-D-17 of its own,
    under seeds 0-4 draws the baselines and runs the courses the tutorial shows."""
    runs = [simulate_case(vignette("dispute"), seed=seed) for seed in range(5)]
    assert [(run.baseline, run.end, run.dropped_out) for run in runs] == [
        (20, 9, False),
        (15, 14, True),
        (22, 17, True),
        (15, 16, True),
        (17, 4, False),
    ]


def test_the_documented_fidelity_of_simulated_courses_is_reproduced() -> None:
    """docs/fidelity.md: at adherence 0.9 and 0.3 the dispute vignette's courses (seed 7) have
    the overall adherence the page shows, and the same scores: adherence does not change the
    outcome [WEBB2010]."""
    faithful = simulate_case(vignette("dispute"), seed=7, adherence=0.9)
    drifting = simulate_case(vignette("dispute"), seed=7, adherence=0.3)
    high, low = adherence(faithful.course).overall, adherence(drifting.course).overall
    assert high is not None
    assert low is not None
    assert (round(high, 2), round(low, 2)) == (0.78, 0.29)
    assert [s.score for s in faithful.sessions] == [s.score for s in drifting.sessions]


# -- refusals, word for word -------------------------------------------------------------------------

KNOWN = "miss, drop_out, renegotiation, impasse, dissolution"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"script": [3]}, "script: must map session numbers to actions, got [3]"),
        ({"script": {"3": "miss"}}, "script: must be a whole number, got '3'"),
        ({"script": {-1: "miss"}}, "script: must be at least 0, got -1"),
        ({"script": {3: 5}}, f"script[3]: actions must be among {KNOWN}, got 5"),
        ({"script": {3: None}}, f"script[3]: actions must be among {KNOWN}, got None"),
        ({"script": {3: ["miss", "sing"]}}, f"script[3]: actions must be among {KNOWN}, got"),
        ({"script": {0: "miss"}}, "script: session 0 is not in this course (1-16)"),
        ({"script": {17: "miss"}}, "script: session 17 is not in this course (1-16)"),
        (
            {"script": {13: "miss"}, "sessions": 12},
            "script: session 13 is not in this course (1-12)",
        ),
        ({"script": {2: "impasse"}}, "script: a dispute stage needs a role dispute in the focus"),
        ({"params": {"miss_rate": 0.0}}, "params: must be a SimulationParams, got dict"),
    ],
)
def test_each_refusal_says_what_is_wrong_word_for_word(
    kwargs: dict[str, Any], message: str
) -> None:
    """simulate_case refuses a bad script or params with an IptError saying exactly what is wrong
    (the widow vignette, a 16-session IPT course unless ``sessions`` says otherwise)."""
    with pytest.raises(IptError) as caught:
        simulate_case(vignette("widow"), seed=1, **kwargs)
    assert str(caught.value).startswith(message)
    if not message.endswith("got"):
        assert str(caught.value) == message


def test_the_script_actions_are_the_documented_ones() -> None:
    """A script may say miss, drop_out or a dispute stage [GUIDE], in that order."""
    assert ", ".join(SCRIPT_ACTIONS) == KNOWN


def test_a_script_may_name_the_first_and_the_last_session() -> None:
    """Every session of the course may be scripted: session 0 of IPT-B (its engagement session),
    session 1 and the last session of IPT, and the last of a shorter contract."""
    brief = simulate_case(vignette("widow"), seed=1, protocol="ipt-b", params=steady(),
                          script={0: "miss", 8: "miss"})  # fmt: skip
    assert [(s.number, s.attendance) for s in brief.sessions][:: len(brief.sessions) - 1] == [
        (0, Attendance.MISSED),
        (8, Attendance.MISSED),
    ]
    full = simulate_case(vignette("widow"), seed=1, params=steady(), script={1: "miss", 16: "miss"})
    assert [s.number for s in full.sessions if s.attendance is Attendance.MISSED] == [1, 16]
    short = simulate_case(vignette("widow"), seed=1, params=steady(), sessions=12,
                          script={12: "miss"})  # fmt: skip
    assert short.course.plan.count == 12
    assert [s.number for s in short.sessions] == list(range(1, 13))
    assert short.sessions[-1].attendance is Attendance.MISSED
    with pytest.raises(IptError, match=r"^script: session 9 is not in this course \(0-8\)$"):
        simulate_case(vignette("widow"), seed=1, protocol="ipt-b", script={9: "miss"})


def test_a_case_assessed_too_late_is_refused_naming_it() -> None:
    """A case assessed on 9999-12-25 would have its first session a week later, past the last date
    there is: refused naming the case. One assessed on 9999-12-24 has its first session on
    9999-12-31, and it is the plan of 16 weekly sessions that cannot be made."""
    late = attrs.evolve(vignette("widow"), assessed=date(9999, 12, 25))
    with pytest.raises(IptError) as caught:
        simulate_case(late, seed=1)
    assert str(caught.value) == (
        "case vignette-widow: assessed 9999-12-25, so its sessions would run past 9999-12-31"
    )
    edge = attrs.evolve(vignette("widow"), assessed=date(9999, 12, 24))
    with pytest.raises(IptError) as planned:
        simulate_case(edge, seed=1)
    assert str(planned.value).startswith("start: the sessions would run past 9999-12-31")


def test_rules_given_are_the_ones_classifying() -> None:
    """The case is classified with the rules given: under Stuart & Robertson's rules [STUART] the
    deficits vignette has no problem area, so it is refused without a focus; under the default
    rules it has interpersonal deficits."""
    case = vignette("deficits")
    assert classify(case, STUART_RULES).focus == ()
    with pytest.raises(IptError) as caught:
        simulate_case(case, seed=1, rules=STUART_RULES)
    assert str(caught.value) == (
        "case vignette-deficits: classify found no problem area; pass focus= to simulate one"
    )
    run = simulate_case(case, seed=1, rules=WHO_RULES)
    assert run.classification == classify(case, WHO_RULES)
    assert [f.area for f in run.course.focus] == [ProblemArea.INTERPERSONAL_DEFICITS]


# -- the case, its baseline and its formulation --------------------------------------------------------


def test_the_instrument_is_that_of_the_cases_latest_measure() -> None:
    """Without params or instrument the scale is that of the case's latest measure: a widow last
    measured on the PHQ-9 is simulated on the PHQ-9 from that score."""
    widow = vignette("widow")
    phq = Measure(
        date=widow.assessed, instrument=Instrument.PHQ9, items=(2, 2, 1, 1, 1, 1, 1, 1, 0)
    )
    early = hamd(widow.assessed - timedelta(days=7), (2,) * 17)
    run = simulate_case(attrs.evolve(widow, measures=(early, phq)), seed=1)
    assert run.instrument is Instrument.PHQ9
    assert run.baseline == 10
    assert run.to_dict()["instrument"] == "phq9"


def test_the_baseline_is_the_latest_score_that_can_be_scored() -> None:
    """The baseline is the latest measure on the instrument, whatever the order the case lists
    them in; a latest one with an item missing (the HAM-D-17 is never prorated) gives way to the
    one before it rather than to a drawn baseline."""
    widow = vignette("widow")
    week = timedelta(days=7)
    earlier = hamd(widow.assessed - 2 * week, (1,) * 17)  # 17
    later = hamd(widow.assessed - week, (1,) * 10 + (0,) * 7)  # 10
    unscorable = hamd(widow.assessed, (2,) * 16 + (None,))
    for measures in [(earlier, later), (later, earlier)]:
        run = simulate_case(attrs.evolve(widow, measures=measures), seed=1)
        assert run.baseline == 10
        assert run.case.measures == measures
    fallback = simulate_case(attrs.evolve(widow, measures=(earlier, unscorable)), seed=1)
    assert fallback.baseline == 17
    assert fallback.case.measures == (earlier, unscorable)


def test_drawn_baselines_follow_the_seed() -> None:
    """A case with no score on the instrument gets a drawn baseline, added at its assessment: the
    seed decides it, and two seeds drawing the same total may answer the risk item differently
    (the items are drawn for the total [docs/simulation.md "Items and the risk item"])."""
    runs = [simulate_case(vignette("dispute"), seed=seed) for seed in range(10)]
    assert len({run.baseline for run in runs}) > 3
    by_total: dict[int, set[tuple[int | None, ...]]] = {}
    for run in runs:
        added = run.case.measures[-1]
        assert added.date == vignette("dispute").assessed
        assert score(added.instrument, added.items).total == run.baseline
        by_total.setdefault(run.baseline, set()).add(added.items)
    assert any(len(items) > 1 for items in by_total.values())


def test_the_classifications_formulation_sets_the_goals() -> None:
    """The course begins with the formulation of the case's classification, so its goals are the
    formulation's; with a focus chosen instead there is no formulation, and no goals."""
    case = vignette("widow")
    run = simulate_case(case, seed=1)
    expected = formulate(run.case, run.classification).goals
    assert expected
    assert run.course.goals == expected
    chosen = simulate_case(case, seed=1, focus="grief")
    assert chosen.course.goals == ()


# -- the model's arithmetic, where it is deterministic --------------------------------------------------


def expected_severities(
    baseline: int, params: SimulationParams, phases: list[Phase], factors: list[float]
) -> list[float]:
    """The severity after each held session by the formula of docs/simulation.md, with theta 1
    and no random walk: log-severity starts at log(max(baseline, 0.5)) and each session takes off
    m_A s_d mu_phase (``factors`` holds m_A s_d per session)."""
    log_severity = math.log(max(baseline, 0.5))
    out = []
    for phase, factor in zip(phases, factors, strict=True):
        log_severity -= factor * params.change(phase)
        out.append(math.exp(log_severity))
    return out


def test_without_noise_the_severity_follows_the_phases_mean_change() -> None:
    """With theta 1 (responsiveness_sd 0), no random walk and no measurement noise, a grief case
    (area effect 1) of baseline 20 falls by exactly the phase's mean change of log-severity per
    session held, exp(-0.03) in the initial phase, exp(-0.095) in the middle and exp(-0.07) in
    termination [docs/simulation.md], and each score is that severity rounded; a missed session
    changes nothing."""
    params = clockwork()
    run = simulate_case(vignette("widow"), seed=3, params=params, script={6: "miss"})
    assert run.baseline == 20
    assert run.responsiveness == 1.0
    held = [s for s in run.sessions if s.attendance is Attendance.HELD]
    effect = dict(params.area_effect)[ProblemArea.GRIEF]
    want = expected_severities(20, params, [s.phase for s in held], [effect] * len(held))
    assert [s.severity for s in held] == pytest.approx(want, rel=1e-12)
    assert [s.score for s in held] == [round(w) for w in want]
    assert run.sessions[5].severity == run.sessions[4].severity
    assert run.sessions[5].score is None


def test_a_disputes_stage_scales_the_change() -> None:
    """A role dispute's stage scales each session's change by its stage effect [GUIDE]: at
    renegotiation by 1.0, at impasse (scripted from session 6) by 0.5, the defaults of
    SimulationParams.stage_effect."""
    params = clockwork()
    run = simulate_case(vignette("dispute"), seed=5, params=params, script={6: "impasse"})
    area = dict(params.area_effect)[ProblemArea.ROLE_DISPUTE]
    stage = dict(params.stage_effect)
    factors = [
        area * stage[DisputeStage.RENEGOTIATION if s.number < 6 else DisputeStage.IMPASSE]
        for s in run.sessions
    ]
    want = expected_severities(run.baseline, params, [s.phase for s in run.sessions], factors)
    assert [s.severity for s in run.sessions] == pytest.approx(want, rel=1e-12)
    assert [s.score for s in run.sessions] == [round(w) for w in want]
    assert stage[DisputeStage.IMPASSE] == 0.5


def test_a_baseline_of_zero_starts_from_half_a_point() -> None:
    """A case scored 0 at baseline starts from a severity of 0.5 (a log needs more than 0), and
    with the noise off its improving severity measures 0 every session: the score is never pushed
    up to 1."""
    widow = vignette("widow")
    well = attrs.evolve(widow, measures=(hamd(widow.assessed, (0,) * 17),))
    params = clockwork()
    run = simulate_case(well, seed=1, params=params)
    assert run.baseline == 0
    want = expected_severities(0, params, [s.phase for s in run.sessions], [1.0] * 16)
    assert [s.severity for s in run.sessions] == pytest.approx(want, rel=1e-12)
    assert want[0] == pytest.approx(0.5 * math.exp(-0.03))
    assert [s.score for s in run.sessions] == [0] * 16
    assert run.end == 0


def test_responsiveness_is_drawn_per_seed_apart_from_the_baseline() -> None:
    """Each seed draws the case's responsiveness, log-normal with mean 1, from its own numbers:
    it differs between seeds, and it is not the draw that made the baseline (the baseline's normal
    z, recovered from the responsiveness theta = exp(sigma z - sigma^2 / 2), does not give the
    baseline drawn)."""
    params = SimulationParams()
    sigma = params.responsiveness_sd
    runs = [simulate_case(vignette("dispute"), seed=seed, params=params) for seed in range(8)]
    assert len({run.responsiveness for run in runs}) == 8
    agreeing = 0
    for run in runs:
        z = (math.log(run.responsiveness) + sigma * sigma / 2) / sigma
        raw = params.baseline_mean + params.baseline_sd * z
        folded = 2.0 * params.entry_score - raw if raw < params.entry_score else raw
        agreeing += round(min(folded, 52.0)) == run.baseline
    assert agreeing < len(runs)


# -- the steps on the course, and their reasons ------------------------------------------------------


def test_the_steps_say_why_in_the_documented_words() -> None:
    """The course records why: a session the script missed "missed (scripted)", one missed by
    chance "missed", the close "the contracted sessions are done"; a session held without a
    dispute carries no note, one with a dispute "dispute at <stage>"."""
    run = simulate_case(
        vignette("widow"),
        seed=2,
        params=steady(miss_rate=0.4),
        script={2: "miss"},
    )
    missed = [s.number for s in run.sessions if s.attendance is Attendance.MISSED]
    assert 2 in missed
    assert len(missed) > 2
    reasons = [step.reason for step in run.course.steps if step.kind is StepKind.MISS]
    assert reasons == ["missed (scripted)" if n == 2 else "missed" for n in missed]
    assert run.course.steps[-1].kind is StepKind.TERMINATE
    assert run.course.steps[-1].reason == "the contracted sessions are done"
    assert {r.notes for r in run.course.records if r.status.value == "held"} == {""}
    dispute = simulate_case(vignette("dispute"), seed=5, params=steady(), script={6: "impasse"})
    notes = [r.notes for r in dispute.course.records]
    assert notes == ["dispute at renegotiation"] * 5 + ["dispute at impasse"] * 11


def test_a_dropout_is_recorded_on_the_day_of_the_session_missed() -> None:
    """A case that drops out does so at the session due: the course's drop_out step is dated that
    session's day (not the last one held) and says "dropped out (simulated)"."""
    run = simulate_case(vignette("widow"), seed=2, params=steady(), script={9: "drop_out"})
    last = run.course.steps[-1]
    assert last.kind is StepKind.DROP_OUT
    assert last.reason == "dropped out (simulated)"
    assert last.date == run.sessions[-1].date == run.course.plan.sessions[8].date
    assert last.date == run.sessions[-2].date + timedelta(days=7)


def test_the_formulation_is_accepted_before_the_last_initial_session() -> None:
    """The formulation is accepted in the last session before the middle phase
    [MARKOWITZ-SWARTZ2007]: once, just before session 3 of IPT (sessions 1-3 initial) and before
    session 2 of IPT-B (session 0 engagement, 1-2 initial); when that session is missed, before
    the first one held after it."""

    def accepted_before(run: SimulatedCourse) -> list[int | None]:
        steps = run.course.steps
        return [
            steps[i + 1].number
            for i, step in enumerate(steps)
            if step.kind is StepKind.ACCEPT_FORMULATION
        ]

    widow = vignette("widow")
    assert accepted_before(simulate_case(widow, seed=1, params=steady())) == [3]
    brief = simulate_case(widow, seed=1, protocol="ipt-b", params=steady())
    assert accepted_before(brief) == [2]
    missed = simulate_case(widow, seed=1, params=steady(), script={3: "miss"})
    assert accepted_before(missed) == [4]
    assert all(steps.kind is not StepKind.ACCEPT_FORMULATION for steps in missed.course.steps[:3])


def test_a_course_out_of_steps_ends_at_the_session_due() -> None:
    """A course that makes up each missed session (keep_count) at a miss rate of 0.999 runs out of
    the 2,000 steps a course holds (max_steps): before a session falls due with more than
    max_steps - 3 = 1,997 steps taken, it ends, so the course holds 1,998 steps and the drop_out,
    1,999. The last session is the one due (the next after those held, a week after the last
    missed), dated as the drop_out step, its severity that of the session before, its dispute
    still at renegotiation."""
    run = simulate_case(
        vignette("dispute"), seed=1, protocol=_making_up(),
        params=steady(miss_rate=0.999),
    )  # fmt: skip
    assert len(run.course.steps) == DEFAULT_LIMITS.max_steps - 1
    *before, last = run.sessions
    held = [s for s in before if s.attendance is Attendance.HELD]
    assert last.attendance is Attendance.DROPPED_OUT
    assert last.number == len(held) + 1
    assert last.phase is PROTOCOLS["ipt"].phase_of(last.number, 16)
    assert last.date == run.course.steps[-1].date == before[-1].date + timedelta(days=7)
    assert last.date != held[-1].date
    assert last.severity == before[-1].severity
    assert last.stage is DisputeStage.RENEGOTIATION
    assert (last.score, last.scripted) == (None, ())


# -- the work recorded at a chosen adherence -----------------------------------------------------------


def expected_tasks(protocol: Protocol, count: int) -> dict[int, list[str]]:
    """The tasks each session of a course held in full records at adherence 1, as simulate_case
    documents them: each phase's once-tasks (not the fidelity spec's optional ones) spread over
    its sessions in order (task k of t in session k * n // t of the phase's n), the every-session
    tasks in each, and the end raised in the notice session."""
    plan = plan_course(protocol, start=date(2026, 1, 5), sessions=count, focus="grief")
    out: dict[int, list[str]] = {s.number: [] for s in plan.sessions}
    for phase in Phase:
        numbers = [s.number for s in plan.sessions if s.phase is phase]
        once = [
            t.id
            for t in protocol.tasks_for(phase)
            if not t.every and t.id not in DEFAULT_SPEC.optional_tasks
        ]
        for k, task in enumerate(once):
            if numbers:
                out[numbers[k * len(numbers) // len(once)]].append(task)
    for s in plan.sessions:
        out[s.number] += [t.id for t in protocol.tasks_for(s.phase) if t.every]
    notice = protocol.notice_session(count)
    if notice is not None:
        out[notice].append("raise_end")
    return out


@pytest.mark.parametrize("protocol", ["ipt", "ipt-b", "ipt-a"])
def test_at_full_adherence_every_expected_task_is_done_once(protocol: str) -> None:
    """At adherence 1 a course held in full records every task the protocol expects, each
    once-task once and in its due session, every-session tasks in each session of their phase,
    the end raised once, in the notice session; each focus-work session uses one of its first two
    techniques and nothing of another model."""
    spec = PROTOCOLS[protocol]
    run = simulate_case(vignette("widow"), seed=2, protocol=protocol, params=steady(),
                        adherence=1.0)  # fmt: skip
    want = expected_tasks(spec, run.course.plan.count)
    assert {r.number: list(r.tasks) for r in run.course.records} == want
    assert DEFAULT_SPEC.optional_tasks.isdisjoint(t for r in run.course.records for t in r.tasks)
    plan = {s.number: s for s in run.course.plan.sessions}
    for record in run.course.records:
        due = plan[record.number]
        if due.phase is Phase.MIDDLE:
            assert len(record.techniques) == 1
            assert record.techniques[0] in due.techniques[:2]
        else:
            assert record.techniques == ()
        assert record.other_techniques == ()


def test_a_missed_due_session_moves_its_tasks_to_the_next_held() -> None:
    """A once-task is tried at the first session held on or after its due session: with session 1
    missed, its three initial tasks are done in session 2 with session 2's own."""
    spec = PROTOCOLS["ipt"]
    want = expected_tasks(spec, 16)
    run = simulate_case(vignette("widow"), seed=2, params=steady(), script={1: "miss"},
                        adherence=1.0)  # fmt: skip
    tasks = {r.number: list(r.tasks) for r in run.course.records if r.status.value == "held"}
    assert tasks[2] == want[1] + want[2]
    assert tasks == {n: t for n, t in want.items() if n > 2} | {2: want[1] + want[2]}


def test_at_no_adherence_each_focus_session_drifts_to_another_model() -> None:
    """At adherence 0 no expected task is done, and each focus-work (middle) session uses a
    technique of another model instead: cognitive restructuring or a thought record (Beck et al.
    1979, iptcore.fidelity)."""
    run = simulate_case(vignette("widow"), seed=2, params=steady(), adherence=0.0)
    drift = {"cognitive restructuring", "thought record"}
    for record in run.course.records:
        assert record.tasks == ()
        assert record.techniques == ()
        if record.phase is Phase.MIDDLE:
            assert len(record.other_techniques) == 1
            assert record.other_techniques[0] in drift
        else:
            assert record.other_techniques == ()
    seen = {r.other_techniques[0] for r in run.course.records if r.other_techniques}
    assert seen == drift


def test_without_adherence_no_work_is_recorded() -> None:
    """adherence=None (the default) records no tasks and no techniques, of IPT or of another
    model."""
    run = simulate_case(vignette("widow"), seed=2, params=steady())
    assert all(
        (r.tasks, r.techniques, r.other_techniques) == ((), (), ()) for r in run.course.records
    )


def work(run: SimulatedCourse) -> list[tuple[tuple[str, ...], ...]]:
    """What each record of the course says was done."""
    return [(r.tasks, r.techniques, r.other_techniques) for r in run.course.records]


def test_the_work_recorded_follows_the_seed_and_the_session() -> None:
    """The work of a course at adherence 0.5 is fixed by its seed (the same twice), differs with
    another seed, and each session draws its own: the middle sessions, which have the same
    expected work (link mood to events, one technique), do not all record the same."""
    widow = vignette("widow")
    a = simulate_case(widow, seed=10, params=steady(), adherence=0.5)
    assert work(a) == work(simulate_case(widow, seed=10, params=steady(), adherence=0.5))
    assert work(a) != work(simulate_case(widow, seed=11, params=steady(), adherence=0.5))
    middle = [
        w
        for r, w in zip(a.course.records, work(a), strict=True)
        if r.phase is Phase.MIDDLE and r.number != PROTOCOLS["ipt"].notice_session(16)
    ]
    assert len(middle) == 9
    assert len(set(middle)) > 1


def test_a_focus_of_two_areas_is_listed_comma_separated() -> None:
    """A focus chosen of two areas (at most two [GUIDE]) is listed in the header, comma
    separated, in the order given."""
    run = simulate_case(vignette("widow"), seed=5, focus=["grief", "role_transition"])
    assert run.describe().splitlines()[0] == (
        "Simulated course of case vignette-widow (seed 5): IPT (standard), "
        "focus grief, role transition"
    )
