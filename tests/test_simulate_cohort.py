"""Tests for iptcore.simulate.cohort: a cohort's summary, text, rows and frame, its effect size,
its trajectories and their refusals, the calibrated-or-not logic, and block-wise runs on executors.

Expectations are worked out in each test from the cohort's own arrays by the published formulas
(means, shares, sample standard deviations, Hedges' g), never copied from a run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from itertools import islice
from typing import Any, ParamSpec, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from iptcore import PROTOCOLS, IptError, ProblemArea
from iptcore.measures import INSTRUMENTS
from iptcore.simulate import (
    AREAS,
    BLOCK_SIZE,
    CALIBRATIONS,
    COLUMNS,
    MAX_SEED,
    Cohort,
    SimulationParams,
    check_calibration,
    simulate_cohort,
)

P = ParamSpec("P")
T = TypeVar("T")

# Two blocks, the second holding 5 cases: a block boundary for rows, trajectories and tasks.
TWO_BLOCKS_N = BLOCK_SIZE + 5
ARRAYS = ("baseline", "end", "sessions_attended", "dropped_out", "dropout_session", "area")


@pytest.fixture(scope="module")
def kept() -> Cohort:
    """A cohort over two blocks with every session's score kept, two blocks per task."""
    return simulate_cohort(TWO_BLOCKS_N, seed=2, keep_trajectories=True, blocks_per_task=2)


def sample_sd(values: npt.NDArray[Any]) -> float:
    """The sample standard deviation, sqrt(sum((x - mean)^2) / (n - 1)); 0.0 for one value."""
    x = [float(v) for v in values]
    if len(x) < 2:
        return 0.0
    mean = sum(x) / len(x)
    return math.sqrt(sum((v - mean) ** 2 for v in x) / (len(x) - 1))


def expected_summary(
    cohort: Cohort, mask: npt.NDArray[np.bool_], area: str | None
) -> dict[str, Any]:
    """The summary worked out from the cohort's arrays: response is a reduction of at least 50%
    from baseline, remission an end score at most the instrument's remission maximum [GUIDE]."""
    base = cohort.baseline[mask].astype(np.int64)
    end = cohort.end[mask].astype(np.int64)
    count = int(mask.sum())
    remission_max = INSTRUMENTS[cohort.instrument].remission_max
    responders = sum(1 for b, e in zip(base, end, strict=True) if b > 0 and 2 * e <= b)
    return {
        "n": count,
        "arm": cohort.arm,
        "protocol": cohort.protocol,
        "instrument": cohort.instrument.value,
        "seed": cohort.seed,
        "area": area,
        "sessions_planned": len(cohort.sessions),
        "mean_baseline": int(base.sum()) / count,
        "sd_baseline": sample_sd(base),
        "mean_end": int(end.sum()) / count,
        "sd_end": sample_sd(end),
        "mean_change": int((end - base).sum()) / count,
        "mean_sessions_attended": int(cohort.sessions_attended[mask].sum()) / count,
        "response_rate": responders / count,
        "remission_rate": int((end <= remission_max).sum()) / count,
        "dropout_rate": int(cohort.dropped_out[mask].sum()) / count,
        "missing_mechanism": cohort.params.mechanism,
    }


def assert_same_summary(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Same keys in the same order; text exactly, numbers to 1e-12 (rounding of the sums)."""
    assert list(actual) == list(expected)
    for key, value in expected.items():
        if isinstance(value, float):
            assert actual[key] == pytest.approx(value, rel=1e-12, abs=1e-12), key
            assert isinstance(actual[key], float), key
        else:
            assert actual[key] == value, key


# -- summary and describe ----------------------------------------------------------------------------


def test_summary_is_every_statistic_worked_out_from_the_cases() -> None:
    """The intention-to-treat summary, key by key: means and rates over all cases and sample SDs
    with n - 1, as a researcher would compute them from the rows."""
    cohort = simulate_cohort(200, seed=3)
    everyone = np.ones(cohort.n, dtype=np.bool_)
    assert_same_summary(cohort.summary(), expected_summary(cohort, everyone, None))


def test_summary_of_one_area_counts_that_area_only() -> None:
    """summary(area=...) names the area and computes every statistic over its cases alone."""
    cohort = simulate_cohort(300, seed=4, arm="control", protocol="ipt-b", instrument="phq9")
    grief = cohort.area == AREAS.index(ProblemArea.GRIEF)
    assert 1 < grief.sum() < cohort.n
    expected = expected_summary(cohort, grief, "grief")
    assert_same_summary(cohort.summary(area=ProblemArea.GRIEF), expected)
    assert_same_summary(cohort.summary(area="grief"), expected)


def test_the_sd_of_one_case_is_zero_and_of_two_is_their_spread() -> None:
    """No NaN: a single case has SD 0.0; two cases x, y have the sample SD |x - y| / sqrt(2)."""
    one = simulate_cohort(1, seed=1).summary()
    assert (one["sd_baseline"], one["sd_end"]) == (0.0, 0.0)
    pair = simulate_cohort(2, seed=1)
    x, y = (int(v) for v in pair.end)
    assert x != y
    s = pair.summary()
    assert s["sd_end"] == pytest.approx(abs(x - y) / math.sqrt(2), rel=1e-12)
    b0, b1 = (int(v) for v in pair.baseline)
    assert s["sd_baseline"] == pytest.approx(abs(b0 - b1) / math.sqrt(2), abs=1e-12)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n": 200, "seed": 3},
        {"n": 300, "seed": 4, "arm": "control", "protocol": "ipt-b", "instrument": "phq9"},
    ],
    ids=["ipt-hamd17", "control-ipt-b-phq9"],
)
def test_describe_word_for_word(kwargs: dict[str, Any]) -> None:
    """describe() is three lines: who, the means with their SDs, and the rates in per cent; each
    figure is worked out here from the cases."""
    cohort = simulate_cohort(**kwargs)
    everyone = np.ones(cohort.n, dtype=np.bool_)
    s = expected_summary(cohort, everyone, None)
    assert s["remission_rate"] > 0
    assert s["response_rate"] > 0
    assert s["dropout_rate"] > 0
    title = INSTRUMENTS[cohort.instrument].title
    assert title in {"HAM-D-17", "PHQ-9"}
    expected = (
        f"{cohort.n} simulated cases, arm {cohort.arm}, protocol {cohort.protocol} "
        f"({len(cohort.sessions)} sessions), {title}, seed {cohort.seed}\n"
        f"  baseline {s['mean_baseline']:.2f} (SD {s['sd_baseline']:.2f}); "
        f"end {s['mean_end']:.2f} (SD {s['sd_end']:.2f})\n"
        f"  response {s['response_rate'] * 100:.1f}%, "
        f"remission {s['remission_rate'] * 100:.1f}%, "
        f"dropout {s['dropout_rate'] * 100:.1f}%; "
        f"sessions attended {s['mean_sessions_attended']:.2f}"
    )
    assert cohort.describe() == expected


# -- effect size ---------------------------------------------------------------------------------------


def hedges_g(a: list[int], b: list[int]) -> float:
    """Hedges' g of b's mean over a's, pooled SD, J = 1 - 3 / (4 N - 9) [HEDGES-OLKIN1985]."""
    n1, n2 = len(a), len(b)
    m1, m2 = sum(a) / n1, sum(b) / n2
    ss = sum((x - m1) ** 2 for x in a) + sum((x - m2) ** 2 for x in b)
    return (1 - 3 / (4 * (n1 + n2) - 9)) * (m2 - m1) / math.sqrt(ss / (n1 + n2 - 2))


def test_effect_size_of_three_cases_in_all() -> None:
    """Three cases in all (one against two) are enough for g; their small-sample correction is
    J = 1 - 3 / (4 * 3 - 9) = 0, so g is 0.0 exactly, and four cases give g with
    J = 1 - 3 / 7 [HEDGES-OLKIN1985]."""
    one = simulate_cohort(1, seed=1)
    two = simulate_cohort(2, seed=5)
    assert len({int(v) for v in [*one.end, *two.end]}) > 1
    assert one.effect_size(two) == pytest.approx(0.0, abs=1e-12)
    assert hedges_g(one.end.tolist(), two.end.tolist()) == pytest.approx(0.0, abs=1e-12)
    three = simulate_cohort(3, seed=5)
    expected = hedges_g(one.end.tolist(), three.end.tolist())
    assert expected != 0.0
    assert one.effect_size(three) == pytest.approx(expected, rel=1e-12)


def test_effect_size_refusals_word_for_word() -> None:
    """Each refusal of effect_size names what is wrong, in full."""
    hamd = simulate_cohort(5, seed=1)
    with pytest.raises(IptError) as caught:
        hamd.effect_size("control")  # type: ignore[arg-type]
    assert str(caught.value) == "other: must be an iptcore.simulate.Cohort, got str"
    with pytest.raises(IptError) as caught:
        hamd.effect_size(simulate_cohort(5, seed=1, instrument="phq9"))
    assert str(caught.value) == (
        "other: end scores are on phq9, this cohort's on hamd17; an effect size needs one "
        "instrument"
    )
    with pytest.raises(IptError) as caught:
        simulate_cohort(1, seed=1).effect_size(simulate_cohort(1, seed=2))
    assert str(caught.value) == "effect_size needs at least 3 cases in all, got 2"
    flat = SimulationParams(
        baseline_sd=0.0,
        walk_sd=0.0,
        responsiveness_sd=0.0,
        measurement_sd=0.0,
        miss_rate=0.0,
        dropout_initial=0.0,
        dropout_middle=0.0,
        dropout_termination=0.0,
        area_shares=((ProblemArea.GRIEF, 1.0),),
    )
    with pytest.raises(IptError) as caught:
        simulate_cohort(3, seed=1, params=flat).effect_size(simulate_cohort(3, seed=2, params=flat))
    assert str(caught.value) == "effect_size is undefined: every end score is the same"


# -- rows and the data frame ----------------------------------------------------------------------------


def expected_rows(cohort: Cohort) -> Iterator[tuple[Any, ...]]:
    """The rows worked out case by case: change = end - baseline, response a 50% reduction,
    remission the instrument's cut-off [GUIDE], the dropout session None when the case stayed."""
    remission_max = INSTRUMENTS[cohort.instrument].remission_max
    for case in range(cohort.n):
        base, end = int(cohort.baseline[case]), int(cohort.end[case])
        dropped = bool(cohort.dropped_out[case])
        yield (
            case,
            cohort.arm,
            cohort.seed,
            AREAS[int(cohort.area[case])].value,
            base,
            end,
            end - base,
            int(cohort.sessions_attended[case]),
            dropped,
            int(cohort.dropout_session[case]) if dropped else None,
            base > 0 and 2 * end <= base,
            end <= remission_max,
        )


def test_rows_over_a_block_boundary_column_by_column() -> None:
    """rows() gives exactly n rows in case order, past the 65,536th case too, each in the order
    of COLUMNS; a dropout at the engagement session 0 of IPT-B is session 0, not None."""
    cohort = simulate_cohort(TWO_BLOCKS_N, seed=4, arm="control", protocol="ipt-b")
    assert ((cohort.dropout_session == 0) & cohort.dropped_out).any()
    rows = list(islice(cohort.rows(), TWO_BLOCKS_N + 1))  # one more, had there been one more
    assert len(rows) == TWO_BLOCKS_N
    assert all(len(row) == len(COLUMNS) for row in rows)
    assert rows == list(expected_rows(cohort))


def test_rows_of_a_small_cohort_are_n_rows() -> None:
    """A cohort of 3 has 3 rows, numbered 0, 1, 2."""
    cohort = simulate_cohort(3, seed=1)
    rows = list(islice(cohort.rows(), 4))
    assert [row[0] for row in rows] == [0, 1, 2]
    assert rows == list(expected_rows(cohort))


def test_dropout_session_is_minus_one_for_a_case_that_stayed() -> None:
    """dropout_session is -1 for a case that did not drop out, and a session of the schedule
    for one that did (Cohort's docstring)."""
    cohort = simulate_cohort(300, seed=4, protocol="ipt-b")
    stayed = ~cohort.dropped_out
    assert stayed.any()
    assert cohort.dropped_out.any()
    assert (cohort.dropout_session[stayed] == -1).all()
    assert set(cohort.dropout_session[cohort.dropped_out].tolist()) <= set(cohort.sessions)


def test_to_dataframe_column_by_column() -> None:
    """The frame has the columns of COLUMNS after its index "case", each equal to the cases':
    categorical arm and area, the seed, signed scores and a nullable dropout session."""
    cohort = simulate_cohort(300, seed=4, arm="control", protocol="ipt-b")
    frame = cohort.to_dataframe()
    assert frame.index.name == "case"
    assert [frame.index.name, *frame.columns] == list(COLUMNS)
    assert frame.index.tolist() == list(range(300))
    assert list(frame.arm.cat.categories) == ["ipt", "control"]
    assert frame.arm.tolist() == ["control"] * 300
    assert frame.seed.dtype == np.int64
    assert frame.seed.tolist() == [4] * 300
    assert list(frame.area.cat.categories) == [a.value for a in ProblemArea]
    assert frame.area.astype(str).tolist() == [AREAS[int(c)].value for c in cohort.area]
    rows = list(expected_rows(cohort))
    for column in ("baseline", "end", "change", "sessions_attended", "dropped_out"):
        at = COLUMNS.index(column)
        assert frame[column].tolist() == [row[at] for row in rows], column
    assert frame.dropout_session.dtype == pd.Int16Dtype()
    dropout = frame.dropout_session.astype(object).where(frame.dropout_session.notna(), None)
    assert dropout.tolist() == [row[COLUMNS.index("dropout_session")] for row in rows]
    assert frame.response.tolist() == [row[COLUMNS.index("response")] for row in rows]
    assert frame.remission.tolist() == [row[COLUMNS.index("remission")] for row in rows]


def test_to_dataframe_of_the_largest_seed_keeps_it() -> None:
    """Any accepted seed, up to MAX_SEED = 2**128 - 1, travels with each row of the frame as it
    does with rows() and summary() (the seed column must not overflow a 64-bit integer)."""
    cohort = simulate_cohort(3, seed=MAX_SEED)
    assert [row[2] for row in cohort.rows()] == [MAX_SEED] * 3
    frame = cohort.to_dataframe()
    assert [int(seed) for seed in frame.seed] == [MAX_SEED] * 3
    # Below 2**63 the column stays a 64-bit integer column; from 2**63 it keeps Python ints.
    assert str(simulate_cohort(3, seed=2**63 - 1).to_dataframe().seed.dtype) == "int64"
    assert list(simulate_cohort(3, seed=2**63).to_dataframe().seed) == [2**63] * 3


def test_to_dataframe_without_pandas_says_which_extra_word_for_word(
    without_module: Callable[[str], None],
) -> None:
    """Without pandas the ImportError gives the extra to install, in full."""
    cohort = simulate_cohort(10, seed=1)
    without_module("pandas")
    with pytest.raises(ImportError) as caught:
        cohort.to_dataframe()
    assert str(caught.value) == (
        "Cohort.to_dataframe needs the 'dataframe' extra: pip install \"iptcore[dataframe]\""
    )


# -- trajectories --------------------------------------------------------------------------------------


def test_kept_scores_are_bytes_starting_at_baseline_and_ending_at_end(kept: Cohort) -> None:
    """keep_trajectories keeps n x (sessions + 1) bytes, across tasks of two blocks: column 0 is
    the baseline and each row's last observed score is the case's end (intention to treat with
    the last observation carried forward [MALLINCKRODT2008])."""
    assert kept.scores is not None
    assert kept.scores.dtype == np.int8
    assert kept.scores.shape == (TWO_BLOCKS_N, len(kept.sessions) + 1)
    assert kept.scores.nbytes == TWO_BLOCKS_N * (len(kept.sessions) + 1)
    assert np.array_equal(kept.scores[:, 0], kept.baseline)
    observed = kept.scores >= 0
    last = observed.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
    assert np.array_equal(kept.scores[np.arange(TWO_BLOCKS_N), last], kept.end)


def test_trajectories_redrawn_across_blocks_equal_the_kept_ones(kept: Cohort) -> None:
    """Cases from both blocks, in any order, redrawn from a compact cohort, equal the kept
    scores: NaN where a session was missed or after dropout, or the last observed score with
    carry_forward."""
    compact = simulate_cohort(TWO_BLOCKS_N, seed=2)
    assert compact.scores is None
    assert kept.scores is not None
    cases = [BLOCK_SIZE + 4, 0, BLOCK_SIZE, 3, BLOCK_SIZE + 1]
    raw = kept.scores[cases].astype(np.float64)
    expected = np.where(raw < 0, np.nan, raw)
    got = compact.trajectories(cases)
    assert got.dtype == np.float64
    assert np.array_equal(got, expected, equal_nan=True)
    filled = expected.copy()
    for row in filled:
        for j in range(1, row.size):
            if math.isnan(row[j]):
                row[j] = row[j - 1]
    assert np.array_equal(compact.trajectories(cases, carry_forward=True), filled)
    assert np.array_equal(filled[:, -1], kept.end[cases])
    assert np.array_equal(kept.trajectories(cases), expected, equal_nan=True)


def test_trajectories_of_a_slice() -> None:
    """A slice picks cases as it would from a list of the n cases."""
    cohort = simulate_cohort(10, seed=1, keep_trajectories=True)
    assert cohort.scores is not None
    tail = cohort.trajectories(slice(7, None))
    raw = cohort.scores[7:].astype(np.float64)
    assert np.array_equal(tail, np.where(raw < 0, np.nan, raw), equal_nan=True)
    assert cohort.trajectories(slice(None, None, 3)).shape == (4, 17)


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        (5, "cases: must be a sequence of case indices or a slice, got 5"),
        ("0", "cases: must be a sequence of case indices or a slice, got '0'"),
        (b"0", "cases: must be a sequence of case indices or a slice, got b'0'"),
        ({0, 1}, "cases: must be a sequence of case indices or a slice, got {0, 1}"),
        ([0.5], "cases: must be whole numbers, got [0.5]"),
        ([[0, 1]], "cases: must be whole numbers, got [[0, 1]]"),
        ([10], "cases: indices must lie in 0..9, got [10]"),
        ([3, -1], "cases: indices must lie in 0..9, got [3, -1]"),
    ],
)
def test_trajectories_refusals_word_for_word(cases: Any, message: str) -> None:
    """A bad ``cases`` is refused naming the argument and the range 0..n-1 in full."""
    cohort = simulate_cohort(10, seed=1)
    with pytest.raises(IptError) as caught:
        cohort.trajectories(cases)
    assert str(caught.value) == message


# -- simulate_cohort: defaults, refusals, calibration ------------------------------------------------------


def test_scores_are_kept_only_when_asked() -> None:
    """By default a cohort keeps one row per case, not every session's score."""
    assert simulate_cohort(10, seed=1).scores is None
    assert simulate_cohort(10, seed=1, keep_trajectories=True).scores is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arm": "placebo"}, "arm: must be 'ipt' or 'control', got 'placebo'"),
        ({"params": "defaults"}, "params: must be a SimulationParams, got str"),
        (
            {"protocol": "maintenance", "params": SimulationParams(), "sessions": 121},
            "sessions: at most 120 sessions can be simulated, got 121",
        ),
        (
            {"protocol": "ipc"},
            (
                "protocol: 'ipc' has no published calibration (no published trial of "
                "interpersonal counselling is calibrated in iptcore); pass "
                "params=SimulationParams(...) to simulate it with parameters of your own"
            ),
        ),
        (
            {"protocol": attrs.evolve(PROTOCOLS["ipt"], name="ipt-local")},
            (
                "protocol: 'ipt-local' has no published calibration (no published trial is "
                "calibrated); pass params=SimulationParams(...) to simulate it with parameters "
                "of your own"
            ),
        ),
        (
            {"population": "adolescents"},
            (
                "population: 'ipt' is calibrated for 'adults' only, got 'adolescents'; pass "
                "params=SimulationParams(...) to simulate it with parameters of your own"
            ),
        ),
    ],
    ids=["arm", "params", "sessions", "ipc", "own-protocol", "population"],
)
def test_simulate_cohort_refusals_word_for_word(kwargs: dict[str, Any], message: str) -> None:
    """Each refusal names the argument and says what to do, in full; a protocol of one's own
    has no published calibration either."""
    args: dict[str, Any] = {"n": 10, "seed": 1, **kwargs}
    with pytest.raises(IptError) as caught:
        simulate_cohort(**args)
    assert str(caught.value) == message


def test_a_protocol_of_ones_own_runs_with_params() -> None:
    """A Protocol value of one's own runs with parameters of one's own, under its own name."""
    own = attrs.evolve(PROTOCOLS["ipt"], name="ipt-local")
    cohort = simulate_cohort(10, seed=1, protocol=own, params=SimulationParams())
    assert cohort.protocol == "ipt-local"
    assert cohort.summary()["protocol"] == "ipt-local"


def test_one_hundred_and_twenty_sessions_can_be_simulated() -> None:
    """120 monthly maintenance sessions (ten years) are the most a cohort simulates."""
    cohort = simulate_cohort(
        5, seed=1, protocol="maintenance", params=SimulationParams(), sessions=120
    )
    assert cohort.sessions == tuple(range(1, 121))
    assert cohort.summary()["sessions_planned"] == 120


def test_check_calibration_defaults_are_20000_cases_and_the_papers_seed() -> None:
    """check_calibration simulates 20,000 cases per arm with seed 20,160,601 by default."""
    default = check_calibration("ipt-b")
    assert [result.n for result in default] == [20_000] * len(CALIBRATIONS["ipt-b"].targets)
    assert default == check_calibration("ipt-b", n=20_000, seed=20_160_601)
    (result,) = default
    ipt = simulate_cohort(20_000, seed=20_160_601, protocol="ipt-b")
    control = simulate_cohort(20_000, seed=20_160_601, protocol="ipt-b", arm="control")
    assert result.target.name == "hedges_g"
    assert result.simulated == pytest.approx(ipt.effect_size(control), rel=1e-12)


def test_check_calibration_refuses_an_uncalibrated_protocol_word_for_word() -> None:
    """A protocol without a calibration is refused, listing the calibrated ones in order."""
    with pytest.raises(IptError) as caught:
        check_calibration("ipc")
    calibrated = ", ".join(CALIBRATIONS)
    assert calibrated.startswith("ipt, ")
    assert str(caught.value) == f"protocol: 'ipc' has no calibration; calibrated: {calibrated}"


# -- executors and tasks ---------------------------------------------------------------------------------


class FailingExecutor(Executor):
    """An executor whose every task fails at once: it counts the tasks it is given."""

    def __init__(self) -> None:
        self.tasks = 0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        self.tasks += 1
        future: Future[T] = Future()
        future.set_exception(RuntimeError("worker lost"))
        return future


@pytest.mark.parametrize(("blocks", "tasks"), [(3, 3), (9, 9), (16, 8), (40, 10)])
def test_the_blocks_are_split_into_tasks_given_to_the_executor(blocks: int, tasks: int) -> None:
    """By default a task carries max(1, min(4, blocks // 8)) blocks (cohort.py): 3 or 9 blocks
    go one per task, 16 two per task (8 tasks), 40 four per task (10 tasks); every task goes to
    the executor given, and a task's error reaches the caller."""
    executor = FailingExecutor()
    with pytest.raises(RuntimeError, match="worker lost"):
        simulate_cohort((blocks - 1) * BLOCK_SIZE + 1, seed=1, executor=executor)
    assert executor.tasks == tasks


def test_progress_counts_tasks_of_two_blocks() -> None:
    """With two blocks per task over three blocks, progress is told twice: after the first two
    blocks and at n."""
    n = 2 * BLOCK_SIZE + 7
    calls: list[tuple[int, int]] = []
    simulate_cohort(n, seed=1, blocks_per_task=2, progress=lambda *a: calls.append(a))
    assert calls == [(2 * BLOCK_SIZE, n), (n, n)]


def test_a_thread_pool_gives_the_serial_cohort_with_its_trajectories(kept: Cohort) -> None:
    """The same seed on a ThreadPoolExecutor gives the serial cohort bit for bit, kept scores
    included."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        pooled = simulate_cohort(
            TWO_BLOCKS_N, seed=2, keep_trajectories=True, executor=pool, blocks_per_task=1
        )
    for name in ARRAYS:
        assert np.array_equal(getattr(pooled, name), getattr(kept, name)), name
    assert pooled.scores is not None
    assert kept.scores is not None
    assert pooled.scores.dtype == np.int8
    assert np.array_equal(pooled.scores, kept.scores)
