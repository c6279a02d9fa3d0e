"""iptcore.network: egor tables and GraphML keep every field of the inventory, and name bad cells."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import attrs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iptcore import Case, CaseError, IptError, Patient, PatientScreening, Person
from iptcore.network import (
    ALTER_COLUMNS,
    EgoNetwork,
    egor_rows,
    from_egor_csv,
    from_egor_frames,
    from_egor_rows,
    from_graph,
    from_graphml,
    to_egor_csv,
    to_egor_frames,
    to_graph,
    to_graphml,
)
from iptcore.testing import cases
from iptcore.vignettes import VIGNETTES, vignette

_NOT_XML = re.compile("[\x00-\x08\x0b-\x0c\x0d\x0e-\x1f\ufffe\uffff]")


def _vignettes() -> list[Case]:
    return [vignette(name) for name in sorted(VIGNETTES)]


def _applied(networks: tuple[EgoNetwork, ...], originals: list[Case]) -> list[Case]:
    return [net.apply(case) for net, case in zip(networks, originals, strict=True)]


def test_egor_csv_round_trip_keeps_every_vignette(tmp_path: Path) -> None:
    originals = _vignettes()
    to_egor_csv(originals, tmp_path)
    back = from_egor_csv(tmp_path)
    assert [n.ego for n in back] == [c.id for c in originals]
    assert _applied(back, originals) == originals


def test_egor_frames_round_trip_keeps_every_vignette() -> None:
    originals = _vignettes()
    egos, alters, aaties = to_egor_frames(originals)
    assert list(alters.columns) == list(ALTER_COLUMNS)
    assert len(alters) == sum(len(c.people) for c in originals)
    assert _applied(from_egor_frames(egos, alters, aaties), originals) == originals


def test_graphml_round_trip_keeps_every_vignette(tmp_path: Path) -> None:
    for case in _vignettes():
        path = tmp_path / f"{case.id}.graphml"
        to_graphml(case, path)
        assert from_graphml(path).apply(case) == case


def test_egor_tables_join_on_their_ids() -> None:
    case = vignette("demo")
    egos, alters, aaties = to_egor_frames(case)
    assert egos["egoID"].tolist() == [case.id]
    assert set(alters["egoID"]) <= set(egos["egoID"])
    assert set(aaties["Source"]) | set(aaties["Target"]) <= set(alters["alterID"])
    jon = alters[alters["alterID"] == "jon"].iloc[0]
    assert jon["closeness"] == case.person("jon").closeness
    assert egos.iloc[0]["born"] == case.patient.born  # type: ignore[union-attr]


def test_csv_quotes_texts_so_empty_and_absent_differ(tmp_path: Path) -> None:
    case = Case(
        id="f-1",
        assessed=date(2026, 3, 2),
        onset=date(2026, 1, 5),
        patient=Patient(name="", pronouns=None),
        people=(
            Person(
                id="a", role="friend", closeness=2, name='say "hi",\r\nthen', satisfying=("x", "")
            ),
        ),
    )  # fictional
    to_egor_csv(case, tmp_path)
    text = (tmp_path / "egos.csv").read_text(encoding="utf-8")
    # egoID, patient, name, born, pronouns, isolation, screening, then the 5 screening_ cells
    assert text.splitlines()[1] == '"f-1",TRUE,"",,,,FALSE,,,,,'
    alters = (tmp_path / "alters.csv").read_bytes().decode("utf-8")
    assert '"[""x"", """"]"' in alters  # a JSON array in one quoted cell
    (back,) = from_egor_csv(tmp_path)
    assert back.apply(case) == case


def test_screening_columns_keep_an_empty_screening_apart_from_none() -> None:
    base = Case(id="s-1", assessed=date(2026, 3, 2), onset=date(2026, 1, 5))  # fictional
    screened = Patient(
        isolation="recent", screening=PatientScreening(bipolar=False, suicide_risk="low")
    )
    for patient in (Patient(), Patient(screening=PatientScreening()), screened):
        case = attrs.evolve(base, patient=patient)
        (ego,), _, _ = egor_rows(case)
        assert ego["screening"] is (patient.screening is not None)
        (back,) = from_egor_rows(*egor_rows(case))
        assert back.patient == patient
        assert from_graph(to_graph(case)).patient == patient
    (ego,), _, _ = egor_rows(attrs.evolve(base, patient=screened))
    assert (ego["isolation"], ego["screening_bipolar"], ego["screening_suicide_risk"]) == (
        "recent",
        False,
        "low",
    )
    assert ego["screening_psychotic_features"] is None  # not assessed stays absent


def test_bad_screening_cells_are_reported_at_their_columns() -> None:
    case = Case(
        id="s-2", assessed=date(2026, 3, 2), onset=date(2026, 1, 5), patient=Patient()
    )  # fictional
    egos, alters, aaties = egor_rows(case)
    bad = [
        {**egos[0], "screening": True, "screening_bipolar": "maybe"},
        {**egos[0], "egoID": "s-6", "screening": True, "screening_suicide_risk": "grave"},
        {**egos[0], "egoID": "s-3", "screening_bipolar": True},
        {**egos[0], "egoID": "s-4", "screening": None},
        {**egos[0], "egoID": "s-5", "patient": False, "isolation": "recent", "screening": None},
    ]
    with pytest.raises(CaseError) as raised:
        from_egor_rows(bad, alters, aaties)
    assert [p.path for p in raised.value.problems] == [
        "egos[0].screening_bipolar",
        "egos[1].screening_suicide_risk",
        "egos[2].screening_bipolar",
        "egos[3].screening",
        "egos[4].isolation",
    ]


def test_graph_keeps_patient_data_and_is_analysable() -> None:
    case = vignette("demo")
    graph = to_graph(case)
    assert graph.nodes["@patient"]["kind"] == "patient"
    assert graph.nodes["@patient"]["born"] == case.patient.born  # type: ignore[union-attr]
    assert all(
        isinstance(v, str | int | bool) for _, d in graph.nodes(data=True) for v in d.values()
    )
    assert graph.number_of_nodes() == len(case.people) + 1
    assert 0 < nx.density(graph) <= 1


def test_graphml_refuses_a_text_xml_cannot_carry(tmp_path: Path) -> None:
    case = Case(
        id="f-2",
        assessed=date(2026, 3, 2),
        onset=date(2026, 1, 5),
        people=(Person(id="a", role="friend", closeness=2, name="bell\x07"),),
    )  # fictional
    with pytest.raises(IptError, match="U\\+0007"):
        to_graphml(case, tmp_path / "x.graphml")


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def test_every_bad_cell_is_reported_with_table_row_and_column(tmp_path: Path) -> None:
    to_egor_csv(vignette("demo"), tmp_path)
    _rewrite(tmp_path / "alters.csv", '"jon","partner",1,', '"jon","lover",7,')
    _rewrite(tmp_path / "egos.csv", "TRUE", "maybe")
    with pytest.raises(CaseError) as raised:
        from_egor_csv(tmp_path)
    paths = [p.path for p in raised.value.problems]
    # the ties naming jon are not reported too: jon's row is broken, not missing
    assert paths == ["egos.csv[0].patient", "alters.csv[0].role", "alters.csv[0].closeness"]


def test_a_tie_naming_no_alter_is_reported(tmp_path: Path) -> None:
    to_egor_csv(vignette("demo"), tmp_path)
    _rewrite(tmp_path / "aaties.csv", '"jon"', '"nobody"')
    with pytest.raises(CaseError, match="names no alter of ego 'demo-maya': 'nobody'") as raised:
        from_egor_csv(tmp_path)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].path in ("aaties.csv[0].Source", "aaties.csv[0].Target")


def test_bad_frames_name_columns() -> None:
    egos, alters, aaties = to_egor_frames(vignette("demo"))
    alters = alters.assign(closeness=alters["closeness"].astype(object))
    alters.loc[0, "closeness"] = "near"
    alters.loc[1, "satisfying"] = "not json"
    with pytest.raises(CaseError) as raised:
        from_egor_frames(egos, alters.drop(columns=["contact"]), aaties)
    assert [p.path for p in raised.value.problems] == ["alters.contact"]
    with pytest.raises(CaseError) as raised:
        from_egor_frames(egos, alters, aaties)
    assert [p.path for p in raised.value.problems] == [
        "alters[0].closeness",
        "alters[1].satisfying",
    ]


def _xml_safe(case: Case) -> Case:
    """``case`` with the characters XML 1.0 cannot carry taken out of its scalar texts."""

    def clean(text: str | None) -> str | None:
        return None if text is None else _NOT_XML.sub("", text)

    people = tuple(attrs.evolve(p, name=clean(p.name)) for p in case.people)
    patient = case.patient and attrs.evolve(
        case.patient, name=clean(case.patient.name), pronouns=clean(case.patient.pronouns)
    )
    return attrs.evolve(case, id=case.id, people=people, patient=patient)


@given(
    st.lists(
        cases(max_people=4, max_events=2, max_measures=0), max_size=3, unique_by=lambda c: c.id
    )
)
def test_egor_round_trip_for_any_valid_cases(originals: list[Case]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        to_egor_csv(originals, folder)
        assert _applied(from_egor_csv(folder), originals) == originals
    assert _applied(from_egor_frames(*to_egor_frames(originals)), originals) == originals


@settings(max_examples=40)
@given(cases(max_people=4, max_events=2, max_measures=0))
def test_graphml_round_trip_for_any_valid_case(case: Case) -> None:
    import io

    case = _xml_safe(case)
    assert from_graph(to_graph(case)).apply(case) == case
    buffer = io.BytesIO()
    to_graphml(case, buffer)
    buffer.seek(0)
    assert from_graphml(buffer).apply(case) == case
