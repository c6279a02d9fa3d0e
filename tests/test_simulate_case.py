"""Statistical tests of iptcore.simulate.simulate_case: over a few hundred seeded cases, dropout,
its hazard per phase, the area's effect and the risk item behave as their parameters say."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

from iptcore import (
    PROTOCOLS,
    Phase,
    Protocol,
    SimulatedCourse,
    SimulationParams,
    dump_course,
    load_course,
    score,
    simulate_case,
)
from iptcore.limits import DEFAULT_LIMITS
from iptcore.protocols import MissRule
from iptcore.simulate import Attendance, endorsement_rate
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
                flagged.append(measure.items[8] > 0)
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
