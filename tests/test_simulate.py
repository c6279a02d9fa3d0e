"""Tests for iptcore.simulate (cohort, case and model): calibration, reproducibility, executors, ranges."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import date
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import (
    PROTOCOLS,
    Case,
    Cohort,
    DisputeStage,
    IptError,
    Person,
    ProblemArea,
    ProtocolError,
    SimulationParams,
    is_remission,
    is_response,
    score,
    simulate_case,
    simulate_cohort,
)
from iptcore.measures import INSTRUMENTS, Instrument
from iptcore.simulate import AREAS, BLOCK_SIZE, Attendance
from iptcore.vignettes import VIGNETTES, vignette

ARRAYS = ("baseline", "end", "sessions_attended", "dropped_out", "area")
CALIBRATION_N = 40_000
# Spans three blocks, the last one partial, so that tasks and workers have something to split.
MULTI_BLOCK_N = 2 * BLOCK_SIZE + 1_234


def same(a: Cohort, b: Cohort) -> bool:
    """Bit-for-bit equal compact results."""
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ARRAYS)


@pytest.fixture(scope="module")
def trial() -> tuple[Cohort, Cohort]:
    """The calibration trial: 16-session IPT and control on HAM-D-17, n = 40,000 each."""
    return (
        simulate_cohort(CALIBRATION_N, seed=20_160_601),
        simulate_cohort(CALIBRATION_N, seed=20_160_601, arm="control"),
    )


@pytest.fixture(scope="module")
def serial() -> Cohort:
    """A cohort over several blocks, computed here, to compare executors with."""
    return simulate_cohort(MULTI_BLOCK_N, seed=11)


# -- calibration of adult IPT ---------------------------------------------------------------------


def test_effect_size_versus_control(trial: tuple[Cohort, Cohort]) -> None:
    """Cuijpers et al. 2016: acute IPT vs control g = 0.60 (95% CI 0.45-0.75)."""
    ipt, control = trial
    assert 0.45 <= ipt.effect_size(control) <= 0.75


def test_dropout(trial: tuple[Cohort, Cohort]) -> None:
    """Dropout 17.5% (Cooper & Conklin 2015) to 22.2% (Casacalenda 2002): 15-25% is accepted."""
    assert 0.15 <= trial[0].summary()["dropout_rate"] <= 0.25


def test_remission(trial: tuple[Cohort, Cohort]) -> None:
    """Remission (HAM-D <= 7) after ~16 weeks: 46.3% on psychotherapy (Casacalenda 2002), about a
    third for single-modality treatment (Craighead & Dunlop 2014): 30-55% is accepted."""
    assert 0.30 <= trial[0].summary()["remission_rate"] <= 0.55


def test_control_remits_less(trial: tuple[Cohort, Cohort]) -> None:
    """Casacalenda 2002: control 24.4% remission against 46.3% on psychotherapy."""
    ipt, control = (c.summary()["remission_rate"] for c in trial)
    assert control < ipt
    assert 0.15 <= control <= 0.35


def test_response_is_about_two_thirds(trial: tuple[Cohort, Cohort]) -> None:
    """Craighead & Dunlop 2014: about 2/3 respond to a single-modality treatment."""
    assert 0.55 <= trial[0].summary()["response_rate"] <= 0.75


def test_control_drops_out_more(trial: tuple[Cohort, Cohort]) -> None:
    """Casacalenda 2002: dropout 22.2% on psychotherapy, 54.4% in the control arms."""
    ipt, control = (c.summary()["dropout_rate"] for c in trial)
    assert 0.45 <= control <= 0.65
    assert control > ipt


def test_deficits_improve_more_slowly() -> None:
    """GUIDE: an interpersonal-deficits focus has poorer outcomes than the other areas."""
    p = SimulationParams()
    grief = simulate_cohort(5_000, seed=4, params=attrs.evolve(p, area_shares={"grief": 1}))
    deficits = simulate_cohort(
        5_000, seed=4, params=attrs.evolve(p, area_shares={"interpersonal_deficits": 1})
    )
    assert set(grief.areas()) == {ProblemArea.GRIEF}
    assert deficits.summary()["mean_end"] > grief.summary()["mean_end"] + 1
    assert deficits.summary()["remission_rate"] < grief.summary()["remission_rate"]


# -- reproducibility ------------------------------------------------------------------------------------


def test_same_seed_same_cohort() -> None:
    """A seed fixes every number: two runs are identical; another seed differs."""
    a, b = simulate_cohort(3_000, seed=8), simulate_cohort(3_000, seed=8)
    assert same(a, b)
    assert a.summary() == b.summary()
    assert not same(a, simulate_cohort(3_000, seed=9))


def test_arms_with_one_seed_are_independent_samples() -> None:
    """Two randomised groups are independent: the arms with one seed do not share baselines."""
    ipt, control = simulate_cohort(1_000, seed=3), simulate_cohort(1_000, seed=3, arm="control")
    assert not np.array_equal(ipt.baseline, control.baseline)


def test_changing_a_parameter_keeps_the_cases() -> None:
    """Same seed and arm, another parameter: the same cases (a paired comparison)."""
    a = simulate_cohort(2_000, seed=5)
    b = simulate_cohort(2_000, seed=5, params=attrs.evolve(a.params, change_middle=0.2))
    assert np.array_equal(a.baseline, b.baseline)
    assert np.array_equal(a.area, b.area)
    assert np.array_equal(a.sessions_attended, b.sessions_attended)
    assert b.summary()["mean_end"] < a.summary()["mean_end"]


@pytest.mark.parametrize("per_task", [1, 2, 3, 5])
def test_tasks_of_any_size_give_the_same_cohort(serial: Cohort, per_task: int) -> None:
    """The block size that seeds is fixed; how many blocks a task carries changes nothing."""
    assert same(serial, simulate_cohort(MULTI_BLOCK_N, seed=11, blocks_per_task=per_task))


def test_a_smaller_cohort_is_a_prefix(serial: Cohort) -> None:
    """The first m cases of a cohort of n are the cohort of m, across a block boundary too."""
    m = BLOCK_SIZE + 17
    small = simulate_cohort(m, seed=11)
    assert all(np.array_equal(getattr(small, k), getattr(serial, k)[:m]) for k in ARRAYS)


def test_statistics_do_not_depend_on_the_task_size(serial: Cohort) -> None:
    """Cohort statistics are invariant to the batch size chosen."""
    other = simulate_cohort(MULTI_BLOCK_N, seed=11, blocks_per_task=2)
    assert serial.summary() == other.summary()


def test_process_pool_equals_serial(serial: Cohort) -> None:
    """A ProcessPoolExecutor of 2 workers gives the serial cohort bit for bit."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        for per_task in (1, 2):
            pooled = simulate_cohort(
                MULTI_BLOCK_N, seed=11, executor=pool, blocks_per_task=per_task
            )
            assert same(serial, pooled)


@pytest.mark.dask
def test_dask_equals_serial(serial: Cohort, dask_executor: Executor) -> None:
    """Dask's Client.get_executor() on a local cluster of 2 workers gives the serial cohort."""
    pooled = simulate_cohort(MULTI_BLOCK_N, seed=11, executor=dask_executor)
    assert same(serial, pooled)


def test_progress_is_reported_to_n() -> None:
    """The library never prints: it calls progress(done, n) after each task, up to n."""
    calls: list[tuple[int, int]] = []
    simulate_cohort(MULTI_BLOCK_N, seed=1, blocks_per_task=1, progress=lambda *a: calls.append(a))
    assert [done for done, _ in calls] == [BLOCK_SIZE, 2 * BLOCK_SIZE, MULTI_BLOCK_N]
    assert {total for _, total in calls} == {MULTI_BLOCK_N}


# -- ranges and intention to treat ---------------------------------------------------------------------


@given(
    instrument=st.sampled_from(list(Instrument)),
    protocol=st.sampled_from(sorted(PROTOCOLS)),
    arm=st.sampled_from(["ipt", "control"]),
    seed=st.integers(0, 2**64),
    walk=st.floats(0, 2),
    change=st.floats(-1, 1),
    noise=st.floats(0, 20),
)
def test_scores_lie_in_the_instruments_range(
    instrument: Instrument,
    protocol: str,
    arm: str,
    seed: int,
    walk: float,
    change: float,
    noise: float,
) -> None:
    """Every simulated score is an integer within the instrument's range [GUIDE],
    whatever the parameters; baselines are at or above the entry score."""
    params = attrs.evolve(
        SimulationParams(instrument=instrument),
        walk_sd=walk,
        change_middle=change,
        change_control=change,
        measurement_sd=noise,
    )
    top = INSTRUMENTS[instrument].max_total
    cohort = simulate_cohort(
        300,
        seed=seed,
        arm=arm,
        protocol=protocol,
        instrument=instrument,
        params=params,
        keep_trajectories=True,
    )
    assert cohort.baseline.min() >= params.entry_score
    assert cohort.baseline.max() <= top
    assert cohort.end.max() <= top
    assert cohort.scores is not None
    taken = cohort.scores[cohort.scores >= 0]
    assert taken.max() <= top
    assert set(np.unique(cohort.scores)) <= set(range(-1, top + 1))
    assert (cohort.sessions_attended <= len(cohort.sessions)).all()


@given(seed=st.integers(0, 2**32), protocol=st.sampled_from(sorted(PROTOCOLS)))
def test_trajectories_agree_with_the_compact_result(seed: int, protocol: str) -> None:
    """A case's last observed score is its end (LOCF); it has one score per session attended; the
    trajectories kept while simulating equal those redrawn later."""
    params = SimulationParams()  # the model's invariants, whatever the calibration
    kept = simulate_cohort(200, seed=seed, protocol=protocol, params=params, keep_trajectories=True)
    assert kept.scores is not None
    redrawn = simulate_cohort(200, seed=seed, protocol=protocol, params=params).trajectories(
        range(200)
    )
    stored = kept.trajectories(slice(None))
    assert np.array_equal(stored, redrawn, equal_nan=True)
    assert (kept.scores[:, 0] == kept.baseline).all()
    assert ((kept.scores[:, 1:] >= 0).sum(axis=1) == kept.sessions_attended).all()
    filled = kept.trajectories(slice(None), carry_forward=True)
    assert (filled[:, -1] == kept.end).all()
    assert not np.isnan(filled).any()


def test_dropouts_keep_their_last_observed_score() -> None:
    """Intention to treat with last observation carried forward: a dropout's end is its last
    measured score, or its baseline when it attended nothing."""
    cohort = simulate_cohort(3_000, seed=2, keep_trajectories=True)
    assert cohort.scores is not None
    for case in np.flatnonzero(cohort.dropped_out)[:200]:
        taken = cohort.scores[case][cohort.scores[case] >= 0]
        assert cohort.end[case] == taken[-1]
    never = cohort.sessions_attended == 0
    assert never.any()
    assert (cohort.end[never] == cohort.baseline[never]).all()


def test_summary_is_over_all_cases_and_has_no_nan() -> None:
    """Rates are shares of all n cases, dropouts included; no NaN, even for a single case."""
    cohort = simulate_cohort(5_000, seed=6)
    s = cohort.summary()
    assert s["n"] == 5_000
    assert s["dropout_rate"] == cohort.dropped_out.sum() / 5_000
    assert s["remission_rate"] == (cohort.end <= 7).sum() / 5_000
    assert s["mean_end"] == cohort.end.mean()
    for one in (simulate_cohort(1, seed=0).summary(), s):
        assert not any(isinstance(v, float) and math.isnan(v) for v in one.values())
        assert {"n", "response_rate", "remission_rate", "dropout_rate"} <= set(one)
        assert {"mean_baseline", "mean_end"} <= set(one)


def test_summary_of_one_area() -> None:
    """A researcher can read the outcome of one problem area; rates are shares of its cases."""
    cohort = simulate_cohort(4_000, seed=6)
    grief = cohort.summary(area="grief")
    assert grief["n"] == int((cohort.area == AREAS.index(ProblemArea.GRIEF)).sum())
    only = simulate_cohort(50, seed=6, params=SimulationParams(area_shares={"grief": 1}))
    with pytest.raises(IptError, match="no case of this cohort has area 'role_dispute'"):
        only.summary(area="role_dispute")
    with pytest.raises(IptError, match="area: must be one of"):
        cohort.summary(area="loneliness")


@pytest.mark.parametrize("instrument", list(Instrument))
def test_response_and_remission_follow_measures(instrument: Instrument) -> None:
    """The vectorised rules match iptcore.is_response (>= 50% reduction) and is_remission (HAM-D
    <= 7, PHQ-9 < 5, GAD-7 < 5) on every case [GUIDE]."""
    cohort = simulate_cohort(3_000, seed=1, instrument=instrument)
    base, end = cohort.baseline.tolist(), cohort.end.tolist()
    assert cohort.response.tolist() == [is_response(b, e) for b, e in zip(base, end, strict=True)]
    assert cohort.remission.tolist() == [is_remission(instrument, e) for e in end]


# -- effect size ------------------------------------------------------------------------------------------


def test_effect_size_is_hedges_g() -> None:
    """Hedges' g with the pooled SD and J = 1 - 3 / (4 N - 9) (Hedges 1981), positive when this
    cohort ends lower."""
    a, b = simulate_cohort(300, seed=1), simulate_cohort(200, seed=1, arm="control")
    x, y = a.end.astype(float), b.end.astype(float)
    pooled = math.sqrt((299 * x.var(ddof=1) + 199 * y.var(ddof=1)) / 498)
    expected = (1 - 3 / (4 * 500 - 9)) * (y.mean() - x.mean()) / pooled
    assert a.effect_size(b) == pytest.approx(expected, rel=1e-12)
    assert a.effect_size(b) > 0
    assert b.effect_size(a) == pytest.approx(-a.effect_size(b), rel=1e-12)


def test_effect_size_refuses_what_it_cannot_compare() -> None:
    """An effect size needs another cohort on the same instrument, with some spread."""
    hamd = simulate_cohort(50, seed=1)
    with pytest.raises(IptError, match=r"must be an iptcore\.simulate\.Cohort"):
        hamd.effect_size("control")  # type: ignore[arg-type]
    with pytest.raises(IptError, match="on phq9"):
        hamd.effect_size(simulate_cohort(50, seed=1, instrument="phq9"))
    with pytest.raises(IptError, match="at least 3 cases"):
        simulate_cohort(1, seed=1).effect_size(simulate_cohort(1, seed=2))
    flat = attrs.evolve(
        SimulationParams(), baseline_sd=0.0, walk_sd=0.0, responsiveness_sd=0.0, measurement_sd=0.0
    )
    flat = attrs.evolve(flat, miss_rate=0.0, dropout_initial=0.0, dropout_middle=0.0)
    flat = attrs.evolve(flat, dropout_termination=0.0, area_shares={"grief": 1})
    with pytest.raises(IptError, match="every end score is the same"):
        simulate_cohort(5, seed=1, params=flat).effect_size(simulate_cohort(5, seed=2, params=flat))


# -- protocols ------------------------------------------------------------------------------------------------


def test_protocol_drives_the_sessions() -> None:
    """IPT-B has 8 weekly sessions plus an engagement session 0 (Swartz et
    al. 2014); IPT runs 12-16 sessions [COMP; ISIPT]."""
    brief = simulate_cohort(500, seed=1, protocol="ipt-b")
    assert brief.sessions == tuple(range(9))
    assert brief.sessions_attended.max() <= 9
    short = simulate_cohort(500, seed=1, sessions=12)
    assert short.sessions == tuple(range(1, 13))
    with pytest.raises(ProtocolError, match="ipt allows 12-16 sessions, got 20"):
        simulate_cohort(10, seed=1, sessions=20)
    assert simulate_cohort(10, seed=1, protocol=PROTOCOLS["ipt-a"]).protocol == "ipt-a"


# -- outputs ----------------------------------------------------------------------------------------------------


def test_to_dataframe() -> None:
    """One row per case, with the compact columns and the per-case outcomes."""
    cohort = simulate_cohort(100, seed=1)
    frame = cohort.to_dataframe()
    assert list(frame.columns) == ["arm", "seed", "area", "baseline", "end", "change",
                                   "sessions_attended", "dropped_out", "dropout_session",
                                   "response", "remission"]  # fmt: skip
    assert len(frame) == 100
    assert frame["end"].tolist() == cohort.end.tolist()
    assert set(frame["area"].astype(str)) <= {a.value for a in ProblemArea}
    missing = frame.head(3).astype(object).where(frame.head(3).notna(), None)
    assert [tuple(r[1:]) for r in cohort.rows()][:3] == [
        tuple(v) for v in missing.itertuples(index=False)
    ]


def test_to_dataframe_names_the_extra_when_pandas_is_missing(
    without_module: Callable[[str], None],
) -> None:
    """pandas is an optional extra: its absence gives an ImportError naming the extra."""
    without_module("pandas")
    with pytest.raises(ImportError, match=r'pip install "iptcore\[dataframe\]"'):
        simulate_cohort(10, seed=1).to_dataframe()


def test_describe_and_to_dict() -> None:
    """A text form for people and a JSON-ready form for the command line."""
    cohort = simulate_cohort(1_000, seed=1, arm="control", protocol="ipt-b")
    text = cohort.describe()
    assert "1000 simulated cases, arm control, protocol ipt-b (9 sessions)" in text
    data = cohort.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["summary"] == cohort.summary()
    assert data["params"]["instrument"] == "hamd17"
    assert data["params"]["area_shares"]["grief"] == 0.23


def test_arrays_are_read_only() -> None:
    """A cohort is a value: its arrays cannot be changed in place."""
    cohort = simulate_cohort(10, seed=1)
    with pytest.raises(ValueError, match="read-only"):
        cohort.end[0] = 0


# -- parameters and arguments ------------------------------------------------------------------------------------


def test_every_parameter_has_a_source() -> None:
    """Every number of the model is a field with its source."""
    for instrument in Instrument:
        sources = SimulationParams.sources(instrument)
        assert set(sources) == {f.name for f in attrs.fields(SimulationParams)}
        assert all(isinstance(s, str) and len(s) > 10 for s in sources.values())


def test_defaults_follow_the_instrument() -> None:
    """Baseline, entry and measurement noise are in the instrument's points."""
    hamd, phq = SimulationParams(), SimulationParams(instrument="phq9")
    assert (hamd.entry_score, phq.entry_score) == (14, 10)  # TDCRP entry HAM-D 14+
    # Standard error of measurement: SD * sqrt(1 - reliability) (Jacobson & Truax 1991).
    assert phq.measurement_sd == pytest.approx(6.5 * math.sqrt(1 - 0.89), abs=1e-3)
    assert hamd.change_middle == phq.change_middle


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"miss_rate": 1.0}, "miss_rate must be a number from 0 below 1"),
        ({"walk_sd": -0.1}, "walk_sd must be a number from 0"),
        ({"change_middle": math.nan}, "change_middle must be a number"),
        ({"change_middle": True}, "change_middle must be a number"),
        ({"baseline_mean": 60}, "baseline_mean must lie between entry_score 14"),
        ({"entry_score": 14.5}, "entry_score: must be a whole number"),
        ({"area_shares": {"grief": 0}}, "at least one area a share above 0"),
        ({"area_shares": {"loneliness": 1}}, "area_shares must map each of grief"),
        ({"area_effect": {"grief": -1}}, r"area_effect\[grief\] must be a number from 0 to 10"),
        ({"instrument": "bdi2"}, "instrument must be one of"),
    ],
)
def test_bad_parameters_are_named(changes: dict[str, Any], message: str) -> None:
    """A bad parameter raises IptError naming the field."""
    with pytest.raises(IptError, match=message):
        SimulationParams(**changes)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n: must be at least 1, got 0"),
        ({"n": 2.5}, "n: must be a whole number"),
        ({"n": True}, "n: must be a whole number"),
        ({"seed": -1}, "seed: must be at least 0"),
        ({"seed": "1"}, "seed: must be a whole number"),
        ({"arm": "placebo"}, "arm: must be 'ipt' or 'control'"),
        ({"protocol": "cbt"}, "unknown protocol 'cbt'"),
        ({"instrument": "bdi2"}, "instrument must be one of"),
        ({"executor": "pool"}, "executor: must be a concurrent.futures.Executor"),
        ({"params": {"miss_rate": 0.1}}, "params: must be a SimulationParams"),
        ({"params": SimulationParams(instrument="phq9")}, "params: they are for phq9"),
        ({"blocks_per_task": 0}, "blocks_per_task: must be at least 1"),
        ({"progress": 3}, "progress: must be callable"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, Any], message: str) -> None:
    """Bad input gets an IptError naming the argument, never an unrelated exception."""
    args: dict[str, Any] = {"n": 10, "seed": 1, **kwargs}
    with pytest.raises(IptError, match=message):
        simulate_cohort(**args)


def test_trajectories_check_the_cases() -> None:
    """Asking for a case outside the cohort names the argument."""
    cohort = simulate_cohort(10, seed=1)
    for bad in ([10], [-1], "0", [0.5]):
        with pytest.raises(IptError, match="cases:"):
            cohort.trajectories(bad)  # type: ignore[arg-type]
    assert cohort.trajectories([]).shape == (0, 17)


# -- one case, session by session ------------------------------------------------------------------------------


def no_chance(**changes: Any) -> SimulationParams:
    """Parameters without random misses or dropouts: the script alone decides attendance."""
    base = SimulationParams(miss_rate=0.0, dropout_initial=0.0, dropout_middle=0.0)
    return attrs.evolve(base, dropout_termination=0.0, **changes)


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_every_vignette_runs_a_full_course(name: str) -> None:
    """Classification, plan, then every session held, missed or dropped through a real Course,
    which ends closed (all sessions held) or dropped."""
    run = simulate_case(vignette(name), seed=7)
    assert run.course.state.value in {"closed", "dropped"}
    assert run.classification.focus == tuple(f.area for f in run.course.focus)
    held = [s for s in run.sessions if s.attendance is Attendance.HELD]
    recorded = [r for r in run.course.records if r.status.value == "held"]
    assert len(held) == len(recorded)
    top = INSTRUMENTS[run.instrument].max_total
    for session, record in zip(held, recorded, strict=True):
        assert session.number == record.number
        assert session.score is not None
        assert 0 <= session.score <= top
        (measure,) = record.measures
        assert score(measure.instrument, measure.items).total == session.score
    assert run.dropped_out == (run.course.state.value == "dropped")


def test_same_seed_same_course() -> None:
    """A seed fixes the course; another seed gives another one."""
    a = simulate_case(vignette("dispute"), seed=3)
    assert a == simulate_case(vignette("dispute"), seed=3)
    assert a.sessions != simulate_case(vignette("dispute"), seed=4).sessions


def test_the_baseline_is_the_cases_own_score() -> None:
    """A case measured on the instrument starts from its latest score; one that was not gets a
    drawn baseline, added to the case at assessment so the course's progress starts from it."""
    widow = vignette("widow")
    (measure,) = widow.measures
    run = simulate_case(widow, seed=1)
    assert run.baseline == score(measure.instrument, measure.items).total
    assert run.case == widow
    bare = vignette("transition")
    drawn = simulate_case(bare, seed=1, instrument="phq9")
    assert len(drawn.case.measures) == len(bare.measures) + 1
    added = drawn.case.measures[-1]
    assert (added.date, added.instrument) == (bare.assessed, Instrument.PHQ9)
    assert score("phq9", added.items).total == drawn.baseline >= drawn.params.entry_score


def test_a_scripted_miss_is_lost_and_the_end_kept() -> None:
    """A missed session is lost and the plan stays: "the time frame is fixed at the outset"
    [COMP; ISIPT] (the protocol's default miss rule)."""
    plain = simulate_case(vignette("widow"), seed=2, params=no_chance())
    missed = simulate_case(vignette("widow"), seed=2, params=no_chance(), script={5: "miss"})
    assert [s.attendance for s in plain.sessions] == [Attendance.HELD] * 16
    assert [s.number for s in missed.sessions] == list(range(1, 17))
    five = missed.sessions[4]
    assert (five.number, five.attendance, five.scripted) == (5, Attendance.MISSED, ("miss",))
    assert [s.attendance for s in missed.sessions].count(Attendance.MISSED) == 1
    assert missed.course.plan.end == plain.course.plan.end
    assert missed.sessions[:4] == plain.sessions[:4]
    assert missed.course.state.value == "closed"


def test_a_dispute_at_impasse_slows_the_course() -> None:
    """A dispute at impasse has stopped moving [GUIDE]: scripted to impasse at session 6, the case
    improves more slowly from then on; the sessions before are the same."""
    params = no_chance()
    plain = simulate_case(vignette("dispute"), seed=5, params=params)
    stuck = simulate_case(vignette("dispute"), seed=5, params=params, script={6: "impasse"})
    assert plain.sessions[0].stage is DisputeStage.RENEGOTIATION
    assert stuck.sessions[:5] == plain.sessions[:5]
    assert all(s.stage is DisputeStage.IMPASSE for s in stuck.sessions[5:])
    assert all(
        a.severity > b.severity for a, b in zip(stuck.sessions[5:], plain.sessions[5:], strict=True)
    )
    assert "dispute at impasse" in stuck.course.records[-1].notes


def test_a_scripted_dropout_ends_the_course() -> None:
    """A case that drops out keeps its last observed score (intention to treat)."""
    run = simulate_case(vignette("widow"), seed=2, params=no_chance(), script={9: "drop_out"})
    assert run.course.state.value == "dropped"
    assert run.sessions[-1].attendance is Attendance.DROPPED_OUT
    assert run.sessions[-1].number == 9
    assert run.end == run.sessions[-2].score
    assert run.dropped_out


def test_focus_can_be_chosen_and_is_needed() -> None:
    """A teacher can set the focus; without one, a case with no problem area found is refused."""
    run = simulate_case(vignette("deficits"), seed=1, focus="grief")
    assert [f.area for f in run.course.focus] == [ProblemArea.GRIEF]
    close = (
        Person(id="a", role="partner", closeness=1, contact="daily"),
        Person(id="b", role="friend", closeness=2, contact="weekly"),
    )
    bare = Case(
        id="fictional-none", assessed=date(2026, 3, 2), onset=date(2025, 12, 1), people=close
    )
    with pytest.raises(IptError, match="found no problem area; pass focus="):
        simulate_case(bare, seed=1)
    assert simulate_case(bare, seed=1, focus="role_transition").course.state.value in {
        "closed",
        "dropped",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"script": {40: "miss"}}, "session 40 is not in this course"),
        ({"script": {3: "sing"}}, r"script\[3\]: actions must be among miss, drop_out"),
        ({"script": [3]}, "script: must map session numbers to actions"),
        ({"script": {2: "impasse"}}, "a dispute stage needs a role dispute in the focus"),
        ({"seed": -1}, "seed: must be at least 0"),
        ({"params": SimulationParams(), "instrument": "phq9"}, "params: they are for hamd17"),
        ({"protocol": "cbt"}, "unknown protocol 'cbt'"),
    ],
)
def test_simulate_case_names_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    """Bad input to simulate_case raises IptError naming what is wrong."""
    args: dict[str, Any] = {"seed": 1, **kwargs}
    with pytest.raises(IptError, match=message):
        simulate_case(vignette("widow"), **args)
    with pytest.raises(IptError, match=r"case: must be an iptcore\.Case"):
        simulate_case({"id": "x"}, seed=1)  # type: ignore[arg-type]


def test_simulated_course_text_and_json() -> None:
    """describe() for people, to_dict() for the command line (with the course file)."""
    run = simulate_case(vignette("widow"), seed=4, script={5: "miss"})
    text = run.describe()
    assert "Simulated course of case vignette-widow (seed 4)" in text
    assert "missed       [miss]" in text
    data = run.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["baseline"] == run.baseline
    assert data["sessions"][4] == {**data["sessions"][4], "number": 5, "attendance": "missed"}
    assert data["course"]["format"].startswith("iptcore.course/")
    assert data["response"] == is_response(run.baseline, run.end)


def test_a_keep_count_protocol_makes_a_miss_up() -> None:
    """Under a keep_count miss rule a missed session is made up one cadence step later, so that
    all 8 sessions of IPT-B (Swartz et al. 2014) are held."""
    keep_count = attrs.evolve(PROTOCOLS["ipt-b"], name="ipt-b-keep-count", on_miss="keep_count")
    run = simulate_case(vignette("widow"), seed=2, protocol=keep_count, params=no_chance(),
                        script={3: "miss"})  # fmt: skip
    assert run.course.state.value == "closed"
    assert run.course.plan.count == 8
    held = [s.number for s in run.sessions if s.attendance is Attendance.HELD]
    assert held == list(range(9))


# -- the subpackage ---------------------------------------------------------------------------------


def test_the_cohort_loads_without_the_course_or_the_rules() -> None:
    """``from iptcore.simulate import Cohort`` loads the model but not courses, rules or pandas;
    every public name of the subpackage resolves, and an unknown one is an AttributeError."""
    import subprocess
    import sys

    import iptcore.simulate as package

    code = "import sys\nfrom iptcore.simulate import Cohort\nprint(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [
        m for m in ("iptcore.course", "iptcore.rules", "pandas", "networkx") if m in loaded
    ] == []
    assert all(getattr(package, name) is not None for name in package.__all__)
    assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = package.no_such_name


# -- signed scores and the analyst's columns --------------------------------------------------------


def test_change_is_negative_when_the_arm_works() -> None:
    """Scores are signed, so ``end - baseline`` is the change: the effective arm improves on
    average (with unsigned bytes the difference wrapped round to about +225)."""
    cohort = simulate_cohort(2_000, seed=14)
    frame = cohort.to_dataframe()
    assert (frame.end - frame.baseline).mean() < -5
    assert (cohort.end - cohort.baseline).mean() < -5
    assert np.array_equal(frame.change.to_numpy(), cohort.end.astype(int) - cohort.baseline)
    assert cohort.summary()["mean_change"] == pytest.approx(float(cohort.change.mean()))
    for name in ("baseline", "end", "change", "sessions_attended", "dropout_session"):
        assert np.issubdtype(getattr(cohort, name).dtype, np.signedinteger), name


def test_the_frame_names_arm_seed_and_dropout_session() -> None:
    """Arm and seed travel with each row; the dropout session is a session of the schedule for
    a case that dropped out and missing for one that did not."""
    cohort = simulate_cohort(3_000, seed=15, arm="control", protocol="ipt-b")
    frame = cohort.to_dataframe()
    assert set(frame.arm) == {"control"}
    assert set(frame.seed) == {15}
    dropped = frame[frame.dropped_out]
    assert dropped.dropout_session.notna().all()
    assert set(dropped.dropout_session.astype(int)) <= set(cohort.sessions)
    assert frame[~frame.dropped_out].dropout_session.isna().all()
    # A case that dropped out at session s attended none of the sessions from s on.
    at = cohort.sessions.index
    for case in np.flatnonzero(cohort.dropped_out)[:50]:
        assert cohort.sessions_attended[case] <= at(int(cohort.dropout_session[case]))


# -- calibration per protocol -------------------------------------------------------------------------

from iptcore.simulate import CALIBRATIONS, RECURRENCE, simulate_recurrence  # noqa: E402
from iptcore.simulate.calibration import wilson_interval  # noqa: E402
from iptcore.simulate.cohort import check_calibration  # noqa: E402


@pytest.mark.parametrize("protocol", sorted(CALIBRATIONS))
def test_each_protocol_reproduces_its_published_figures(protocol: str) -> None:
    """Every target of every calibrated protocol lies in its stated interval at 20,000 cases per
    arm (sampling error under 0.004 for a rate, about 0.01 for g), with a source, a measure and a
    definition for each."""
    for result in check_calibration(protocol, n=20_000, seed=20_160_601):
        target = result.target
        assert all((target.source, target.measure, target.definition))
        assert target.interval_kind.split(":")[0] in {"published", "wilson", "stated"}
        low, high = target.interval
        assert low <= target.published <= high
        assert result.within, (target.name, result.simulated, target.interval)
        assert result.sampling_error < 0.011


def test_wilson_interval_of_mufsons_recovery() -> None:
    """The Wilson interval of 18 of 24 (Mufson et al. 1999's IPT-A recovery) is about 55%-88%:
    a trial of 24 pins a rate down only that far."""
    low, high = wilson_interval(18, 24)
    assert low == pytest.approx(0.551, abs=0.001)
    assert high == pytest.approx(0.880, abs=0.001)


def test_a_shorter_protocol_can_have_its_published_effect() -> None:
    """With the per-course dose of its calibration, 8 weekly sessions of IPT-B reach an effect
    against control in the published interval of g (0.45-0.75), not the third of it that
    per-session change gave."""
    ipt = simulate_cohort(20_000, seed=3, protocol="ipt-b")
    control = simulate_cohort(20_000, seed=3, protocol="ipt-b", arm="control")
    assert 0.45 <= ipt.effect_size(control) <= 0.75


def test_dose_exponent_below_one_front_loads_the_change() -> None:
    """With dose_exponent below 1 a case that attends half its course gets more than half the
    course's change: the negatively accelerated dose-effect curve."""
    base = SimulationParams(course_change=1.25, miss_rate=0.0)
    linear = simulate_cohort(4_000, seed=5, params=base, keep_trajectories=True)
    front = simulate_cohort(
        4_000, seed=5, params=attrs.evolve(base, dose_exponent=0.5), keep_trajectories=True
    )
    middle = len(linear.sessions) // 2
    assert np.nanmean(front.trajectories(range(4_000))[:, middle]) < np.nanmean(
        linear.trajectories(range(4_000))[:, middle]
    )


@pytest.mark.parametrize(
    ("protocol", "population", "match"),
    [
        ("ipc", None, "'ipc' has no published calibration"),
        ("maintenance", None, "simulate_recurrence"),
        ("ipt", "adolescents", "calibrated for 'adults' only"),
    ],
)
def test_an_uncalibrated_protocol_or_population_is_refused(
    protocol: str, population: str | None, match: str
) -> None:
    """No published calibration: refused with a message saying so, unless params are passed."""
    with pytest.raises(IptError, match=match):
        simulate_cohort(10, seed=1, protocol=protocol, population=population)
    own = simulate_cohort(10, seed=1, protocol=protocol, params=SimulationParams())
    assert own.n == 10


def test_maintenance_reproduces_time_to_recurrence() -> None:
    """Monthly IPT-M: median time to recurrence within its interval around 54 weeks; the placebo
    control's restricted mean within its (unconfirmed, stated) interval around 45 weeks; and IPT-M
    delays recurrence against control."""
    arms = {arm: simulate_recurrence(20_000, seed=1990, arm=arm) for arm in RECURRENCE}
    for arm, target in RECURRENCE.items():
        low, high = target.interval
        assert low <= target.value(arms[arm]) <= high
    assert not RECURRENCE["control"].confirmed
    assert arms["ipt"].restricted_mean() > arms["control"].restricted_mean()
    assert arms["ipt"].weeks.max() <= 156
    with pytest.raises(IptError, match="hazard: must be a number above 0"):
        simulate_recurrence(10, seed=1, hazard=0)


# -- missing data ---------------------------------------------------------------------------------------


def test_dropout_not_at_random_takes_the_sicker_cases() -> None:
    """With dropout driven by the current severity (MNAR), those who drop out are sicker at the
    last score seen than those who stay, and LOCF flatters the arm less than the truth would; the
    mechanism is named in the results."""
    mnar = SimulationParams(dropout_severity=4.0)
    cohort = simulate_cohort(20_000, seed=8, params=mnar)
    assert cohort.mechanism == "MNAR"
    assert cohort.summary()["missing_mechanism"] == "MNAR"
    dropped, stayed = cohort.dropped_out, ~cohort.dropped_out
    ratio = cohort.end / cohort.baseline
    assert ratio[dropped].mean() > ratio[stayed].mean() + 0.1
    mcar = simulate_cohort(20_000, seed=8)
    assert mcar.mechanism == "MCAR"
    assert abs(cohort.dropped_out.mean() - mcar.dropped_out.mean()) < 0.1


def test_missed_assessments_leave_holes_but_keep_the_course() -> None:
    """A missed assessment records no score at a session attended: fewer scores than sessions
    attended, the end is still the last score recorded, and trajectories agree however drawn."""
    params = SimulationParams(assessment_miss_rate=0.3, dropout_severity=1.0, dropout_on="observed")
    kept = simulate_cohort(2_000, seed=9, params=params, keep_trajectories=True)
    assert kept.mechanism == "MAR"
    assert kept.scores is not None
    recorded = (kept.scores[:, 1:] >= 0).sum(axis=1)
    assert (recorded <= kept.sessions_attended).all()
    assert recorded.sum() < 0.8 * kept.sessions_attended.sum()
    filled = kept.trajectories(slice(None), carry_forward=True)
    assert (filled[:, -1] == kept.end).all()
    redrawn = simulate_cohort(2_000, seed=9, params=params).trajectories(range(2_000))
    assert np.array_equal(kept.trajectories(slice(None)), redrawn, equal_nan=True)


# -- the trial and its analyses -------------------------------------------------------------------------

from iptcore.simulate import ESTIMAND, power, simulate_trial  # noqa: E402


def test_a_null_trial_finds_no_effect_within_its_sampling_error() -> None:
    """Both arms drawn from one model: every analysis's estimate lies within three of its
    standard errors of zero (the half-width of a 95% interval is 1.96 standard errors)."""
    pytest.importorskip("scipy")
    trial = simulate_trial(150, seed=77, null=True)
    for name, estimate in trial.analyses().items():
        se = (estimate.high - estimate.low) / (2 * 1.959964)
        assert abs(estimate.estimate) < 3 * se, name
    g = trial.hedges_g()
    assert abs(g.estimate) < 3 * (g.high - g.low) / (2 * 1.959964)


def test_an_effective_trial_states_its_estimand_and_favours_ipt() -> None:
    """The estimand is stated; every analysis of an adult IPT trial favours IPT (negative change
    difference), response and remission are higher, and g is positive with its interval."""
    pytest.importorskip("scipy")
    trial = simulate_trial(200, seed=5)
    assert "intention to treat" in trial.estimand
    assert trial.estimand == ESTIMAND
    assert trial.mechanism == "MCAR"
    for name, estimate in trial.analyses().items():
        assert estimate.high < 0, name
        assert estimate.low < estimate.estimate < estimate.high
    assert trial.remission().estimate > 0
    assert trial.hedges_g().low > 0


def test_trajectories_in_long_form() -> None:
    """One row per observed score: both arms, session numbers of the schedule, change = score -
    baseline, and as many rows as scores recorded."""
    trial = simulate_trial(30, seed=6)
    frame = trial.to_long()
    assert set(frame.arm) == {"ipt", "control"}
    assert (frame.change == frame.score - frame.baseline).all()
    assert set(frame.session) <= set(trial.ipt.sessions)
    assert trial.ipt.scores is not None
    assert len(frame[frame.arm == "ipt"]) == int((trial.ipt.scores[:, 1:] >= 0).sum())


@pytest.mark.parametrize(
    ("blocked", "call", "extra"),
    [
        ("pandas", lambda: simulate_trial(10, seed=1).to_long(), "dataframe"),
        ("scipy", lambda: simulate_trial(10, seed=1).mmrm(), "stats"),
        ("scipy", lambda: power(10, seed=1, trials=2, analysis="mmrm"), "stats"),
    ],
)
def test_a_missing_extra_is_an_import_error_naming_it(
    blocked: str, call: Any, extra: str, without_module: Callable[[str], None]
) -> None:
    """A missing dependency is no mistake of the user's: ImportError naming the extra, not IptError."""
    without_module(blocked)
    with pytest.raises(
        ImportError, match=rf"'{extra}' extra: pip install \"iptcore\[{extra}\]\""
    ) as err:
        call()
    assert not isinstance(err.value, IptError)


# -- calibration targets and maintenance recurrence, by hand -------------------------------------

from iptcore.simulate import MAX_CASES, Calibration, Recurrence, Target  # noqa: E402


@attrs.frozen
class HandArm:
    """A fictional simulated arm built by hand: what a calibration target reads of a cohort."""

    end: Any
    dropped_out: Any = None
    response: Any = None

    def effect_size(self, other: Any) -> float:
        raise AssertionError("a share, dropout or response target reads no effect size")


def hand_target(statistic: str, **cut: int) -> Target:
    """A fictional target of the IPT arm, with the given statistic and cut-off."""
    return Target(
        name="fictional",
        statistic=statistic,
        arm="ipt",
        published=0.5,
        interval=(0.4, 0.6),
        interval_kind="stated",
        source="fictional",
        measure="fictional measure",
        definition="fictional definition",
        **cut,
    )


def hand_recurrence(weeks: list[float], recurred: list[bool]) -> Recurrence:
    """A fictional arm of remitted patients followed for 156 weeks, built by hand."""
    return Recurrence(
        arm="ipt",
        seed=7,
        follow_up=156,
        weeks=np.array(weeks, dtype=np.float64),
        recurred=np.array(recurred, dtype=np.bool_),
    )


def test_a_response_target_is_the_share_of_responders() -> None:
    """A ``"response"`` target is the share of its arm with at least 50% reduction [GUIDE]:
    2 responders of 4 in a fictional arm give 0.5, whatever the end scores."""
    ipt = HandArm(end=np.array([3, 4, 20, 22]), response=np.array([True, True, False, False]))
    control = HandArm(end=np.array([20, 21, 22, 23]), response=np.array([False] * 4))
    assert hand_target("response").value(ipt, control) == 0.5


def test_an_at_least_share_counts_the_cut_off_itself() -> None:
    """A share with ``at_least`` counts end scores ``>=`` the cut (Bolton et al. 2003's 'still
    depressed', HAM-D-17 >= 14 [BOLTON2003]): of ends 13, 14, 15, 20, three of four."""
    arm = HandArm(end=np.array([13, 14, 15, 20]))
    assert hand_target("share", at_least=14).value(arm, arm) == 0.75
    assert hand_target("share", at_most=14).value(arm, arm) == 0.5
    zero = HandArm(end=np.array([0, 0, 5, 9]))
    assert hand_target("share", at_least=0).value(zero, zero) == 1.0
    assert hand_target("share", at_least=1).value(zero, zero) == 0.5


def test_sampling_error_of_a_rate_is_binomial() -> None:
    """A rate's standard error at n cases per arm is sqrt(p (1 - p) / n): 0.05 for p = 0.25 at
    n = 75, 0 for a rate of 1."""
    for statistic in ("share", "response", "dropout"):
        target = hand_target(statistic, at_most=7)
        assert target.sampling_error(0.25, 75) == pytest.approx(0.05, rel=1e-12)
        assert target.sampling_error(1.0, 75) == 0.0


def test_sampling_error_of_g_is_hedges_olkins() -> None:
    """Hedges' g's standard error with n per arm is sqrt(2 / n + g**2 / (4 n)) [HEDGES-OLKIN1985]:
    sqrt(0.0209) for g = 0.6 at n = 100; the adult calibration's g target reports it."""
    (g,) = (t for t in CALIBRATIONS["ipt"].targets if t.statistic == "g")
    assert g.sampling_error(0.6, 100) == pytest.approx(math.sqrt(0.0209), rel=1e-12)
    assert g.sampling_error(0.0, 200) == pytest.approx(0.1, rel=1e-12)
    (result,) = check_calibration("ipt-b", n=300, seed=1)
    expected = math.sqrt(2 / 300 + result.simulated**2 / 1_200)
    assert result.n == 300
    assert result.sampling_error == pytest.approx(expected, rel=1e-12)


def test_a_calibration_keeps_a_frozen_copy_of_its_overrides() -> None:
    """A calibration's overrides are a read-only copy of the mapping given: changing the caller's
    dict afterwards changes nothing, and params() applies them."""
    given = {"course_change": 1.5}
    calibration = Calibration(
        protocol="fictional",
        population="adults",
        description="fictional",
        control="fictional",
        sessions=None,
        overrides=given,
        targets=(),
        assumptions="fictional",
    )
    given["course_change"] = 9.0
    assert dict(calibration.overrides) == {"course_change": 1.5}
    with pytest.raises(TypeError):
        calibration.overrides["course_change"] = 2.0  # type: ignore[index]
    assert calibration.params().course_change == 1.5


def test_recurrence_summary_of_a_hand_built_arm() -> None:
    """A fictional arm of 4: recurrences at weeks 10, 20 and 40, one censored at 156. The rate is
    3/4, the Kaplan-Meier median the time at which survival first reaches 1/2 (20 weeks), the
    restricted mean (10 + 20 + 40 + 156) / 4 [FRANK1990]."""
    result = hand_recurrence([10, 20, 40, 156], [True, True, True, False])
    assert result.summary() == {
        "n": 4,
        "arm": "ipt",
        "seed": 7,
        "follow_up_weeks": 156,
        "recurrence_rate": 0.75,
        "median_weeks": 20.0,
        "restricted_mean_weeks": 56.5,
    }
    assert RECURRENCE["ipt"].statistic == "median"
    assert RECURRENCE["ipt"].value(result) == 20.0
    assert RECURRENCE["control"].statistic == "restricted_mean"
    assert RECURRENCE["control"].value(result) == 56.5


def test_median_when_exactly_half_recurred_and_when_fewer() -> None:
    """With exactly half recurred the Kaplan-Meier median exists (survival reaches 1/2 at the
    second recurrence, week 20, not an average with censored times); with fewer it is undefined:
    None, and the median target's value is infinite [FRANK1990]."""
    half = hand_recurrence([10, 20, 156, 156], [True, True, False, False])
    assert half.median_weeks() == 20.0
    assert RECURRENCE["ipt"].value(half) == 20.0
    fewer = hand_recurrence([10, 156, 156, 156], [True, False, False, False])
    assert fewer.median_weeks() is None
    assert fewer.summary()["median_weeks"] is None
    assert RECURRENCE["ipt"].value(fewer) == math.inf


def test_the_ipt_median_interval_is_the_exponential_one() -> None:
    """IPT-M's interval around the 54-week median [FRANK2007]: log(median) has standard error
    1 / sqrt(events) under exponential survival, with the events of about 26 patients over 156
    weeks: 54 / s to 54 * s, s = exp(1.959964 / sqrt(events))."""
    events = 26 * (1 - math.exp(-math.log(2) / 54 * 156))
    spread = math.exp(1.959964 / math.sqrt(events))
    low, high = RECURRENCE["ipt"].interval
    assert low == pytest.approx(54 / spread, rel=1e-12)
    assert high == pytest.approx(54 * spread, rel=1e-12)


def test_simulate_recurrence_draws_from_the_seeded_stream() -> None:
    """Reproducible by seed: each arm draws exponential times at its hazard from
    ``SeedSequence(seed, spawn_key=(3, arm))`` (3 the recurrence model's root key, arm 0 for IPT
    and 1 for control), censored at the end of follow-up; the arm, seed and follow-up are kept."""
    for code, arm in enumerate(("ipt", "control")):
        result = simulate_recurrence(50, seed=12, arm=arm, weeks=52, hazard=0.02)
        stream = np.random.SeedSequence(12, spawn_key=(3, code))
        time = np.random.Generator(np.random.PCG64(stream)).exponential(50.0, 50)
        assert np.array_equal(result.weeks, np.minimum(time, 52.0))
        assert np.array_equal(result.recurred, time <= 52)
        assert (result.arm, result.seed, result.follow_up, result.n) == (arm, 12, 52, 50)
    calibrated = simulate_recurrence(20, seed=3, arm="control")
    stream = np.random.SeedSequence(3, spawn_key=(3, 1))
    time = np.random.Generator(np.random.PCG64(stream)).exponential(1 / 0.02153, 20)
    assert np.array_equal(calibrated.weeks, np.minimum(time, 156.0))
    assert calibrated.summary()["follow_up_weeks"] == 156


def test_recurrence_arms_with_one_seed_are_independent() -> None:
    """The two arms drawn with one seed (and one hazard) are independent samples, and one arm's
    draw is the same on every run with its seed."""
    ipt = simulate_recurrence(30, seed=4, hazard=0.01)
    control = simulate_recurrence(30, seed=4, arm="control", hazard=0.01)
    assert not np.array_equal(ipt.weeks, control.weeks)
    assert np.array_equal(ipt.weeks, simulate_recurrence(30, seed=4, hazard=0.01).weeks)
    assert simulate_recurrence(1, seed=0).n == 1
    short = simulate_recurrence(5, seed=1, weeks=1)
    assert short.follow_up == 1
    assert short.weeks.max() <= 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n: must be at least 1, got 0"),
        ({"weeks": 0}, "weeks: must be at least 1, got 0"),
        ({"seed": -1}, "seed: must be at least 0, got -1"),
        ({"arm": "placebo"}, "arm: must be 'ipt' or 'control', got 'placebo'"),
        ({"hazard": True}, "hazard: must be a number above 0, got True"),
        ({"hazard": "0.1"}, "hazard: must be a number above 0, got '0.1'"),
        ({"hazard": math.inf}, "hazard: must be a number above 0, got inf"),
        ({"hazard": -0.5}, "hazard: must be a number above 0, got -0.5"),
    ],
)
def test_simulate_recurrence_names_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    """Each bad argument is refused with the one form ``name: rule, got value``: at least one
    patient, a follow-up of at least 1 week, a seed of 0 or more, a known arm, and a hazard that is
    a finite number above 0."""
    arguments: dict[str, Any] = {"n": 10, "seed": 1, **kwargs}
    with pytest.raises(IptError) as err:
        simulate_recurrence(**arguments)
    assert str(err.value) == message


def test_simulate_recurrence_refuses_more_than_max_cases() -> None:
    """n is bounded by MAX_CASES (100,000,000), as a cohort is: one more is refused, by its name,
    before anything is drawn (a far larger n first, which nothing could allocate)."""
    for n in (10**12, MAX_CASES + 1):
        with pytest.raises(IptError) as err:
            simulate_recurrence(n, seed=1)
        assert str(err.value) == f"n: must be at most 100,000,000, got {n}"
