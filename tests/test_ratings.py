"""Tests of iptcore.ratings: the scale file, ratings, and the agreement statistics.

The statistics are checked twice: against the worked examples their authors published, and against
maintained implementations (pingouin, statsmodels, krippendorff) on many tables.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iptcore import CaseError, IptError
from iptcore.ratings import (
    EXAMPLE_SCALE,
    FORMAT,
    Item,
    Rating,
    Ratings,
    Scale,
    Subscale,
    agreement,
    cohen_kappa,
    dump_scale,
    fleiss_kappa,
    icc,
    krippendorff_alpha,
    load_scale,
)
from iptcore.testing import scales

# Shrout & Fleiss 1979, Table 2: six targets rated by four judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# Krippendorff 2011, "Computing Krippendorff's alpha-reliability", section C: four observers
# (A-D) and twelve units, with missing data; here one row per unit, one column per observer.
_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
KRIPPENDORFF = [list(unit) for unit in zip(*_OBSERVERS, strict=True)]

# Fleiss 1971, Table 1 (as distributed with R's irr package, `diagnoses`): 30 patients, each
# diagnosed by 6 psychiatrists into 5 categories.
FLEISS = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def paths(error: CaseError) -> list[str]:
    return [problem.path for problem in error.problems]


def scale_problems(document: dict[str, Any]) -> list[str]:
    """The sorted paths of the problems of a scale document, which must have some."""
    with pytest.raises(CaseError) as caught:
        load_scale(document)
    assert caught.value.subject == "scale"
    return sorted(paths(caught.value))


# --- the scale file -------------------------------------------------------------------------------


@given(scales())
def test_a_scale_survives_its_file(scale: Scale) -> None:
    document = dump_scale(scale)
    assert load_scale(document) == scale
    assert load_scale(json.dumps(document)) == scale
    assert load_scale(json.dumps(document).encode()) == scale


def test_a_scale_file_is_read_from_a_path(tmp_path: Any) -> None:
    path = tmp_path / "scale.json"
    path.write_text(json.dumps(dump_scale(EXAMPLE_SCALE)), encoding="utf-8")
    assert load_scale(path) == EXAMPLE_SCALE
    with pytest.raises(CaseError, match="cannot read the file"):
        load_scale(tmp_path / "absent.json")


def test_the_example_scale_says_it_is_fictional() -> None:
    assert "fictional" in EXAMPLE_SCALE.name.lower()
    assert "fictional" in EXAMPLE_SCALE.source.lower()
    assert len(EXAMPLE_SCALE.items) == 6
    assert [s.id for s in EXAMPLE_SCALE.subscales] == ["adherence", "competence"]
    assert dump_scale(EXAMPLE_SCALE)["format"] == FORMAT == "iptcore.scale/1"


def test_every_problem_of_a_scale_file_is_reported_at_once() -> None:
    doc = dump_scale(EXAMPLE_SCALE)
    doc["format"] = "iptcore.scale/2"
    doc["colour"] = "blue"
    doc["items"][0]["kind"] = "nominal"
    doc["items"][1]["min"] = 1.5
    doc["items"][2]["max"] = -1
    doc["items"][3]["id"] = "focus"
    doc["items"][3]["anchors"] = {"9": "off the scale", "x": "y"}
    del doc["items"][4]["text"]
    doc["subscales"][0]["items"].append("empathy")
    doc["subscales"][1]["combine"] = "median"
    assert scale_problems(doc) == sorted(
        [
            "format",
            "colour",
            "items[0].kind",
            "items[1].min",
            "items[2].max",
            "items[3].anchors.x",
            "items[3].anchors.9",
            "items[4].text",
            "items[3].id",
            "subscales[0].items[3]",
            "subscales[1].combine",
        ]
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{"format": "iptcore.scale/1", "format": "x"}', "appears twice"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ("[1, 2", "is not valid JSON"),
        (b"\xff", "is not UTF-8"),
        (42, "must be a dict, JSON text or a path"),
        ("[]", "must be an object"),
    ],
)
def test_what_is_not_a_scale_document_is_refused(source: object, message: str) -> None:
    with pytest.raises(CaseError, match=message):
        load_scale(source)


def test_a_scale_file_missing_its_fields_names_each() -> None:
    with pytest.raises(CaseError) as caught:
        load_scale({"format": FORMAT})
    assert paths(caught.value) == ["id", "name", "items"]


def test_scales_are_checked_when_built_from_python() -> None:
    with pytest.raises(CaseError) as caught:
        Scale(
            id="bad id",
            name="x",
            items=[Item(id="a", text="A", kind="ordinal", min=0, max=2)] * 2,
            subscales=[Subscale(id="s", name="S", items=["a", "b"])],
        )
    assert paths(caught.value) == ["id", "items[1].id", "subscales[0].items[1]"]
    with pytest.raises(CaseError, match=r"anchors\.5: is outside the range 0\.\.2"):
        Item(id="a", text="A", kind="ordinal", min=0, max=2, anchors={5: "five"})


# --- ratings --------------------------------------------------------------------------------------


def test_every_problem_of_ratings_is_reported_with_its_row() -> None:
    with pytest.raises(CaseError) as caught:
        Ratings(
            scale=EXAMPLE_SCALE,
            rows=[
                ("s1", "ana", "focus", 7),
                ("s1", "ana", "warmth", 0),
                ("s1", "ana", "pace", 9.5),  # an interval item takes a fraction
                ("s1", "ana", "focus", None),
                ("s1", "ana", "focus", 3),
                ("s1", "", "affect", True),
                ("s2", "ana", "empathy", 1),
                ("s2", "ana"),
            ],
        )
    assert paths(caught.value) == [
        "rows[0].value",
        "rows[1].value",
        "rows[3]",  # a missing mark is a rating too: it repeats rows[0]
        "rows[4]",
        "rows[5].rater",
        "rows[5].value",
        "rows[6].item",
        "rows[7]",
    ]
    assert caught.value.subject == "ratings"


def test_subscale_scores_combine_by_mean_or_sum_and_never_over_fewer_items() -> None:
    scale = Scale(
        id="s",
        name="S",
        items=[Item(id=i, text=i, kind="ordinal", min=0, max=4) for i in "abc"],
        subscales=[
            Subscale(id="m", name="M", items=["a", "b"], combine="mean"),
            Subscale(id="t", name="T", items=["a", "b", "c"], combine="sum"),
        ],
    )
    ratings = Ratings(
        scale=scale,
        rows=[
            Rating(target="x", rater="r1", item="a", value=1),
            Rating(target="x", rater="r1", item="b", value=4),
            Rating(target="x", rater="r1", item="c", value=None),
            Rating(target="x", rater="r2", item="a", value=2),
            Rating(target="x", rater="r2", item="b", value=2),
            Rating(target="x", rater="r2", item="c", value=3),
        ],
    )
    assert ratings.subscale_scores("m") == {("x", "r1"): 2.5, ("x", "r2"): 2.0}
    assert ratings.subscale_scores("t") == {("x", "r1"): None, ("x", "r2"): 7.0}
    assert ratings.subscale_table("t") == ((None, 7.0),)
    assert ratings.value("x", "r2", "c") == 3
    assert ratings.value("x", "r9", "c") is None


# --- the intraclass correlation -------------------------------------------------------------------


def test_icc_reproduces_shrout_and_fleiss_worked_example() -> None:
    # The values published in Shrout & Fleiss 1979 for their Table 2.
    published = {
        "ICC(1,1)": 0.17,
        "ICC(2,1)": 0.29,
        "ICC(3,1)": 0.71,
        "ICC(1,k)": 0.44,
        "ICC(2,k)": 0.62,
        "ICC(3,k)": 0.91,
    }
    results = {e.statistic: e for e in icc(SHROUT_FLEISS)}
    assert {name: round(e.estimate, 2) for name, e in results.items()} == published
    assert results["ICC(2,1)"].model == "two-way random effects, absolute agreement, single rater"
    assert all(e.n_targets == 6 and e.n_raters == 4 for e in results.values())
    for e in results.values():
        assert e.interval is not None
        assert e.interval[0] < e.estimate < e.interval[1]


def _pingouin_icc(table: list[list[float]]) -> dict[str, tuple[float, float, float]]:
    pd = pytest.importorskip("pandas")
    pg = pytest.importorskip("pingouin")
    frame = pd.DataFrame(
        [(t, r, value) for t, row in enumerate(table) for r, value in enumerate(row)],
        columns=["target", "rater", "rating"],
    )
    names = {"ICC(A,1)": "ICC(2,1)", "ICC(C,1)": "ICC(3,1)", "ICC(A,k)": "ICC(2,k)"}
    names |= {"ICC(C,k)": "ICC(3,k)", "ICC(1,1)": "ICC(1,1)", "ICC(1,k)": "ICC(1,k)"}
    old = pg.options["round.column.CI95"]
    pg.options["round.column.CI95"] = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pingouin's own deprecation warnings from pandas
            result = pg.intraclass_corr(frame, targets="target", raters="rater", ratings="rating")
    finally:
        pg.options["round.column.CI95"] = old
    return {
        names[row.Type]: (float(row.ICC), float(row.CI95[0]), float(row.CI95[1]))
        for row in result.itertuples()
    }


@pytest.mark.parametrize("seed", range(12))
def test_icc_agrees_with_pingouin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 15)), int(rng.integers(2, 6))
    true = rng.normal(0, 2, size=(n, 1))
    bias = rng.normal(0, rng.uniform(0, 2), size=(1, k))
    table = np.round(true + bias + rng.normal(0, 1, size=(n, k)), 1).tolist()
    expected = _pingouin_icc(table)
    for e in icc(table):
        value, low, high = expected[e.statistic]
        assert e.estimate == pytest.approx(value, abs=1e-9)
        assert e.interval == pytest.approx((low, high), abs=1e-9)


def test_icc_of_the_published_example_agrees_with_pingouin() -> None:
    expected = _pingouin_icc(SHROUT_FLEISS)
    for e in icc(SHROUT_FLEISS):
        assert (e.estimate, *e.interval) == pytest.approx(expected[e.statistic], abs=1e-9)


def test_icc_with_perfect_agreement_is_one_without_an_interval() -> None:
    results = {e.statistic: e for e in icc([[1, 1], [3, 3], [4, 4]])}
    assert results["ICC(2,1)"].estimate == pytest.approx(1.0)
    assert results["ICC(3,k)"].estimate == pytest.approx(1.0)
    assert results["ICC(2,1)"].interval is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 2]], "fewer than 2 targets"),
        ([[1], [2], [3]], "fewer than 2 raters"),
        ([[2, 2], [2, 2]], "every rating is the same"),
        ([[1, None], [2, 3]], "a rating is missing"),
        ([[1, 2], [3]], "rows of one length"),
        ([[1, "2"], [3, 4]], "must be a finite number"),
        ([[1, math.nan], [3, 4]], "must be a finite number"),
    ],
)
def test_icc_refuses_what_it_cannot_estimate(table: Any, message: str) -> None:
    with pytest.raises(IptError, match=message):
        icc(table)


def test_icc_names_the_extra_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    with pytest.raises(ImportError, match=r"iptcore\[stats\]"):
        icc(SHROUT_FLEISS)


# --- kappas ---------------------------------------------------------------------------------------


def test_fleiss_kappa_reproduces_fleiss_1971() -> None:
    result = fleiss_kappa(FLEISS)
    assert round(result.estimate, 3) == 0.430  # Fleiss 1971: kappa = .430
    assert (result.n_targets, result.n_raters) == (30, 6)


@pytest.mark.parametrize("seed", range(10))
def test_fleiss_kappa_agrees_with_statsmodels(seed: int) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = np.random.default_rng(seed)
    table = rng.integers(0, int(rng.integers(2, 5)), size=(int(rng.integers(3, 20)), 4))
    counts, _ = inter_rater.aggregate_raters(table)
    expected = inter_rater.fleiss_kappa(counts)
    assert fleiss_kappa(table.tolist()).estimate == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_agrees_with_statsmodels(seed: int, weights: str | None) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 30))
    first = rng.integers(0, 5, size=n)
    second = np.clip(first + rng.integers(-1, 2, size=n), 0, 4)
    contingency = np.zeros((5, 5))
    for a, b in zip(first, second, strict=True):
        contingency[a, b] += 1
    expected = inter_rater.cohens_kappa(contingency, wt=weights, return_results=False)
    result = cohen_kappa(first.tolist(), second.tolist(), categories=range(5), weights=weights)
    assert result.estimate == pytest.approx(expected, abs=1e-12)


def test_cohen_kappa_by_hand() -> None:
    # Agreement 3/4; chance (1/2 * 1/4) + (1/2 * 3/4) = 1/2; kappa = (3/4 - 1/2) / (1/2).
    assert cohen_kappa([1, 1, 2, 2], [1, 2, 2, 2]).estimate == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohen_kappa([1, 1], [1, 1]), "the same category"),
        (lambda: cohen_kappa([1, 2], [1]), "rated 2 and 1 targets"),
        (lambda: cohen_kappa([1], [1]), "fewer than 2 targets"),
        (lambda: cohen_kappa([1, 2], [2, 1], weights="cubic"), "weights must be"),
        (lambda: cohen_kappa([1, 7], [2, 1], categories=[1, 2]), "not one of the categories"),
        (lambda: fleiss_kappa([[3, 3, 3], [3, 3, 3]]), "every rating is the same"),
        (lambda: fleiss_kappa([[1], [2]]), "fewer than 2 raters"),
    ],
)
def test_kappas_refuse_what_they_cannot_estimate(call: Any, message: str) -> None:
    with pytest.raises(IptError, match=message):
        call()


# --- Krippendorff's alpha -------------------------------------------------------------------------


def test_alpha_reproduces_krippendorffs_example() -> None:
    # Krippendorff 2011: nominal .743, ordinal .815, interval .849 for these data.
    assert round(krippendorff_alpha(KRIPPENDORFF, level="nominal").estimate, 3) == 0.743
    assert round(krippendorff_alpha(KRIPPENDORFF, level="ordinal").estimate, 3) == 0.815
    assert round(krippendorff_alpha(KRIPPENDORFF, level="interval").estimate, 3) == 0.849
    # Unit 12 has a single value: it cannot be paired and takes no part.
    assert krippendorff_alpha(KRIPPENDORFF).n_targets == 11


@settings(deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        min_size=2,
        max_size=15,
    ),
    st.sampled_from(["nominal", "ordinal", "interval"]),
)
def test_alpha_agrees_with_the_krippendorff_package(
    table: list[list[int | None]], level: str
) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    try:
        ours = krippendorff_alpha(table, level=level).estimate
    except IptError:
        return  # undefined for these data: nothing to compare
    data = np.array([[np.nan if v is None else v for v in row] for row in table], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
    assert ours == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, None], [2, None], [1, 2]], "fewer than 2 targets"),
        ([[1, 1], [1, 1], [1, None]], "do not vary"),
        ([[1], [2]], "fewer than 2"),
    ],
)
def test_alpha_refuses_what_it_cannot_estimate(table: Any, message: str) -> None:
    with pytest.raises(IptError, match=message):
        krippendorff_alpha(table)
    with pytest.raises(IptError, match="level must be one of"):
        krippendorff_alpha([[1, 2], [2, 1]], level="ratio")


# --- the agreement table --------------------------------------------------------------------------


def _two_raters(missing: bool = False) -> Ratings:
    # Fictional ratings of five fictional sessions by two raters.
    ana = {"focus": [5, 2, 3, 6, 1], "affect": [4, 2, 3, 5, 2], "links": [3, 1, 2, 6, 1],
           "warmth": [4, 4, 3, 5, 3], "pace": [7, 5, 6, 8, 4], "off-model": [0, 1, 0, 0, 2]}  # fmt: skip
    ben = {"focus": [4, 2, 4, 6, 1], "affect": [4, 1, 3, 5, 3], "links": [3, 2, 2, 5, 1],
           "warmth": [4, 5, 3, 5, 3], "pace": [6, 5, 7, 8, 5], "off-model": [0, 1, 0, 2, 2]}  # fmt: skip
    rows = [
        (f"s{t + 1}", rater, item, values[t])
        for rater, table in (("ana", ana), ("ben", ben))
        for item, values in table.items()
        for t in range(5)
    ]
    if missing:
        rows[0] = ("s1", "ana", "focus", None)
    return Ratings(scale=EXAMPLE_SCALE, rows=rows)


def test_the_agreement_table_picks_the_statistic_of_each_kind() -> None:
    table = agreement(_two_raters())
    statistic = {row.of: row.statistic for row in table.rows}
    assert statistic == {
        "focus": "ICC(2,1)",
        "affect": "ICC(2,1)",
        "links": "ICC(2,1)",
        "warmth": "ICC(2,1)",
        "pace": "ICC(2,1)",
        "off-model": "Cohen's kappa",
        "adherence": "ICC(2,1)",
        "competence": "ICC(2,1)",
    }
    assert [row.level for row in table.rows][-2:] == ["subscale", "subscale"]
    assert all(row.n_targets == 5 and row.n_raters == 2 for row in table.rows)
    focus = table.rows[0]
    assert focus.estimate == pytest.approx(
        next(
            e for e in icc([[5, 4], [2, 2], [3, 4], [6, 6], [1, 1]]) if e.statistic == "ICC(2,1)"
        ).estimate
    )
    kappa = cohen_kappa([0, 1, 0, 0, 2], [0, 1, 0, 2, 2], categories=[0, 1, 2]).estimate
    assert table.rows[5].estimate == pytest.approx(kappa)
    assert json.loads(json.dumps(table.to_dict())) == table.to_dict()


def test_the_agreement_table_turns_to_alpha_where_a_rating_is_missing() -> None:
    table = agreement(_two_raters(missing=True), icc_form="ICC(3,1)")
    statistic = {row.of: row.statistic for row in table.rows}
    assert statistic["focus"] == "Krippendorff's alpha (ordinal)"
    assert statistic["adherence"] == "Krippendorff's alpha (interval)"
    assert statistic["pace"] == "ICC(3,1)"
    assert table.rows[0].n_targets == 4  # s1 has one rating of focus left: it cannot be paired


def test_an_undefined_statistic_is_a_row_with_a_note_not_nan() -> None:
    rows = [(f"s{t}", r, "off-model", 0) for t in range(3) for r in ("ana", "ben", "cy")]
    table = agreement(Ratings(scale=EXAMPLE_SCALE, rows=rows))
    (row,) = table.rows
    assert (row.statistic, row.estimate) == ("Fleiss' kappa", None)
    assert "every rating is the same" in row.note
    assert "undefined" in table.to_text()
    with pytest.raises(IptError, match="icc_form must be one of"):
        agreement(_two_raters(), icc_form="ICC(4,1)")


def test_the_agreement_table_reads_as_text() -> None:
    text = agreement(_two_raters()).to_text()
    lines = text.splitlines()
    assert lines[0].split() == [
        "item",
        "statistic",
        "estimate",
        "95%",
        "interval",
        "targets",
        "raters",
    ]
    assert lines[1].startswith("focus")
    assert "adherence (subscale)" in text
    assert " to " in lines[1]  # an ICC row shows its interval


def test_more_faults_of_a_scale_file_each_with_its_path() -> None:
    doc = dump_scale(EXAMPLE_SCALE)
    doc["source"] = 3
    doc["items"][0]["anchors"] = ["not", "an", "object"]
    doc["items"][1]["anchors"] = {"2": " "}
    doc["items"][2] = "links"
    doc["subscales"][0] = {"id": "a b", "name": "", "items": "focus"}
    doc["subscales"][1]["items"] = [1, "warmth", "warmth"]
    assert scale_problems(doc) == sorted(
        [
            "source",
            "items[0].anchors",
            "items[1].anchors.2",
            "items[2]",
            "subscales[0].id",
            "subscales[0].name",
            "subscales[0].items",
            "subscales[1].items[0]",
            "subscales[1].items[2]",
        ]
    )
    with pytest.raises(CaseError) as caught:
        load_scale({**dump_scale(EXAMPLE_SCALE), "items": {}, "subscales": []})
    assert paths(caught.value) == ["items"]


def test_subscales_and_items_refuse_faults_and_unknown_names() -> None:
    with pytest.raises(CaseError) as caught:
        Subscale(id="s", name=" ", items=[])
    assert paths(caught.value) == ["name", "items"]
    with pytest.raises(CaseError, match="lists an item twice"):
        Subscale(id="s", name="S", items=["a", "a"])
    with pytest.raises(CaseError, match="labels a value twice"):
        Item(id="a", text="A", kind="ordinal", min=0, max=2, anchors=[(1, "x"), (1, "y")])
    with pytest.raises(KeyError):
        EXAMPLE_SCALE.item("empathy")
    with pytest.raises(KeyError):
        EXAMPLE_SCALE.subscale("empathy")
    assert EXAMPLE_SCALE.subscale("adherence").combine == "mean"
    assert not EXAMPLE_SCALE.item("focus").allows(2.5)  # an ordinal item takes integers only
    assert EXAMPLE_SCALE.item("pace").allows(2.5)
    assert not EXAMPLE_SCALE.item("pace").allows(math.inf)
