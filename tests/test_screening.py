"""Tests of the case format's Version 1.1 fields and of :func:`iptcore.screen`.

Expectations come from the case format's Version 1.1 (``patient.isolation``,
``patient.screening``, ``event.coping``) and the suitability and safety notes of the IPT manuals
[GUIDE; FRANK2005; KROENKE2001; SIMON2013]. Every case here is fictional.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given

from iptcore import (
    Case,
    CaseError,
    IptError,
    Measure,
    Patient,
    PatientScreening,
    case_schema,
    classify,
    dump_case,
    load_case,
    screen,
)

BASE: dict[str, Any] = {
    "format": "iptcore.case/1",
    "id": "fictional-screen",
    "assessed": "2026-03-02",
    "onset": "2025-12-01",
}


def _doc(**more: Any) -> dict[str, Any]:
    return {**BASE, **more}


def test_new_fields_load_dump_and_validate_under_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc = _doc(
        patient={
            "isolation": "longstanding",
            "screening": {"bipolar": False, "suicide_risk": "low"},
        },
        people=[{"id": "boss", "role": "boss", "closeness": 3}],
        events=[{"date": "2025-10-01", "kind": "promotion", "coping": "adjusting"}],
    )
    case = load_case(doc)
    assert case.patient is not None
    assert case.patient.isolation == "longstanding"
    assert case.patient.screening is not None
    assert case.patient.screening.suicide_risk == "low"
    assert case.patient.screening.psychotic_features is None  # absent: not assessed
    assert case.events[0].coping == "adjusting"
    assert dump_case(case) == doc
    jsonschema.validate(doc, case_schema())


def test_coping_is_refused_on_a_death_at_its_path() -> None:
    doc = _doc(
        people=[{"id": "mum", "role": "parent", "closeness": 1}],
        events=[{"date": "2025-10-01", "kind": "death", "person": "mum", "coping": "difficult"}],
    )
    with pytest.raises(CaseError) as info:
        load_case(doc)
    assert [p.path for p in info.value.problems] == ["events[0].coping"]
    jsonschema = pytest.importorskip("jsonschema")
    assert not jsonschema.Draft202012Validator(case_schema()).is_valid(doc)


@pytest.mark.parametrize(
    ("patient", "path"),
    [
        ({"isolation": "always"}, "patient.isolation"),
        ({"screening": {"suicide_risk": "some"}}, "patient.screening.suicide_risk"),
        ({"screening": {"bipolar": "yes"}}, "patient.screening.bipolar"),
        ({"screening": {"mania": True}}, "patient.screening.mania"),
    ],
)
def test_bad_new_fields_are_refused_at_their_path(patient: dict[str, Any], path: str) -> None:
    with pytest.raises(CaseError) as info:
        load_case(json.dumps(_doc(patient=patient)))
    assert [p.path for p in info.value.problems] == [path]


# -- iptcore.screen ------------------------------------------------------------------------------

ASSESSED, ONSET = date(2026, 3, 2), date(2025, 12, 1)
PHQ9_RISK = Measure(date=ASSESSED, instrument="phq9", items=[1, 1, 1, 1, 1, 1, 1, 1, 1])
PHQ9_SAFE = Measure(date=ASSESSED, instrument="phq9", items=[1, 1, 1, 1, 1, 1, 1, 1, 0])
PHQ9_ITEM9_MISSING = Measure(date=ASSESSED, instrument="phq9", items=[1, 1, 1, 1, 1, 1, 1, 1, None])
HAMD_RISK = Measure(
    date=ASSESSED, instrument="hamd17", items=[2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
)


def _case(screening: PatientScreening | None = None, *measures: Measure) -> Case:
    patient = Patient(screening=screening) if screening is not None else None
    return Case(
        id="fictional-screen", assessed=ASSESSED, onset=ONSET, patient=patient, measures=measures
    )


@pytest.mark.parametrize(
    ("screening", "measures", "codes"),
    [
        # Nothing recorded: risk is not assessed [GUIDE: every manual evaluates suicidality].
        (None, (), ["suicide_risk_not_assessed"]),
        (PatientScreening(bipolar=False), (), ["suicide_risk_not_assessed"]),
        # An unanswered item 9 is never read as "no risk".
        (None, (PHQ9_ITEM9_MISSING,), ["suicide_risk_not_assessed"]),
        # Assessed by the clinician or by an answered risk item: no caution unless raised.
        (PatientScreening(suicide_risk="none"), (), []),
        (PatientScreening(suicide_risk="low"), (), []),
        (None, (PHQ9_SAFE,), []),
        (PatientScreening(suicide_risk="moderate"), (), ["suicide_risk"]),
        (PatientScreening(suicide_risk="high"), (), ["suicide_risk"]),
        # The measures' own flags [KROENKE2001; SIMON2013; HAMILTON1960].
        (None, (PHQ9_RISK,), ["suicide_risk"]),
        (None, (HAMD_RISK,), ["suicide_risk"]),
        # Suitability: IPT targets unipolar depression [FRANK2005; GUIDE].
        (
            PatientScreening(
                suicide_risk="none",
                bipolar=True,
                psychotic_features=True,
                substance_dependence=True,
                cognitive_impairment=True,
            ),
            (),
            ["bipolar", "psychotic_features", "substance_dependence", "cognitive_impairment"],
        ),
        (PatientScreening(suicide_risk="high", bipolar=True), (PHQ9_RISK,),
         ["suicide_risk", "suicide_risk", "bipolar"]),
    ],
)  # fmt: skip
def test_screen_raises_the_cautions_of_the_case(
    screening: PatientScreening | None, measures: tuple[Measure, ...], codes: list[str]
) -> None:
    result = screen(_case(screening, *measures))
    assert list(result.codes) == codes
    for caution in result.cautions:
        assert caution.source.startswith("[")
        assert caution.message


def test_each_caution_says_what_a_clinician_would_do_and_cites_its_source() -> None:
    answers = PatientScreening(suicide_risk="high", bipolar=True, psychotic_features=True)
    cautions = {c.code: c for c in screen(_case(answers)).cautions}
    assert "IPSRT" in cautions["bipolar"].message
    assert cautions["bipolar"].source == "[FRANK2005]"
    assert "medication" in cautions["psychotic_features"].message
    assert "urgent clinical review" in cautions["suicide_risk"].message
    phq = screen(_case(None, PHQ9_RISK)).cautions[0]
    assert phq.source == "[KROENKE2001; SIMON2013]"
    assert json.loads(json.dumps(screen(_case(answers)).to_dict()))["case_id"] == "fictional-screen"


def test_classify_carries_the_cautions_as_warnings_and_still_decides_nothing_else() -> None:
    """The library tells; it decides nothing: the focus is the same with or without cautions."""
    risky = _case(PatientScreening(suicide_risk="high", bipolar=True))
    result = classify(risky)
    assert [w.split(":")[0] for w in result.warnings] == ["suicide_risk", "bipolar"]
    assert result.focus == classify(_case(PatientScreening(suicide_risk="none"))).focus


def test_screen_refuses_what_is_not_a_case() -> None:
    with pytest.raises(IptError, match=r"case: must be an iptcore\.Case"):
        screen({"id": "x"})  # type: ignore[arg-type]


def test_formulate_plan_course_and_the_course_carry_the_cautions() -> None:
    """The same cautions reach every step of the pipeline as warnings; none of them decides."""
    from iptcore import Course, formulate, plan_course

    case = _case(PatientScreening(suicide_risk="moderate", psychotic_features=True))
    result = classify(case)
    cautions = screen(case).warnings
    assert formulate(case, result).warnings == cautions
    plan = plan_course(start=date(2026, 3, 9), focus=result)
    assert plan.warnings == result.warnings
    assert set(cautions) <= set(plan.warnings)
    course = Course.begin(case, plan)
    assert course.progress().warnings[: len(cautions)] == cautions


def test_the_cautions_classify_carries_are_screens() -> None:
    """classify carries exactly screen(case).warnings, whatever was assessed."""
    from iptcore.testing import cases

    @given(cases())
    def check(case: Case) -> None:
        assert set(screen(case).warnings) <= set(classify(case).warnings)

    check()


def test_a_screening_as_a_dict_names_its_case_and_each_caution_in_full() -> None:
    """``Screening.to_dict`` is the JSON form the CLI and the report print: the case's id and each
    caution as its ``code``, ``message`` and ``source`` (the Caution's fields), for a case with
    nothing recorded as for one with answers [GUIDE: every manual evaluates suicidality]."""
    nothing = screen(_case())
    assert nothing.to_dict() == {
        "case_id": "fictional-screen",
        "cautions": [
            {
                "code": "suicide_risk_not_assessed",
                "message": nothing.cautions[0].message,
                "source": "[GUIDE]",
            }
        ],
    }
    bipolar = screen(_case(PatientScreening(suicide_risk="none", bipolar=True)))
    caution = bipolar.cautions[0]
    assert [c.to_dict() for c in bipolar.cautions] == [
        {"code": "bipolar", "message": caution.message, "source": "[FRANK2005]"}
    ]
    assert bipolar.to_dict()["case_id"] == "fictional-screen"
