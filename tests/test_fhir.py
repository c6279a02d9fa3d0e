"""iptcore.fhir: the Bundle parses as FHIR R4B, measures come back unchanged, bad input is named."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import given

from iptcore import (
    Case,
    CaseError,
    Course,
    IptError,
    Measure,
    classify,
    formulate,
    plan_course,
)
from iptcore.fhir import LOINC, measures_from, to_bundle
from iptcore.testing import cases
from iptcore.vignettes import VIGNETTES, vignette

_PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
               "44253-3", "44260-8"]  # fmt: skip


def construct_fhir_element(kind: str, data: dict) -> object:
    """Parse and validate ``data`` as the FHIR R4B resource ``kind`` (pydantic raises if invalid)."""
    return get_fhir_model_class(kind).model_validate(data)


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _case(*measures: Measure) -> Case:
    """A fictional case holding ``measures``."""
    return Case(id="f-1", assessed=date(2026, 3, 2), onset=date(2026, 1, 5), measures=measures)


def _full(name: str = "demo") -> tuple[Case, dict]:
    case = vignette(name)
    classification = classify(case)
    formulation = formulate(case, classification)
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classification)
    course = (
        Course.begin(case, plan, formulation=formulation)
        .hold(measures={"phq9": [2, 2, 1, 2, 1, 1, 1, 1, 0]})
        .miss(reason="the patient was ill")
        .move(to=date(2026, 3, 25))
    )
    course = course.hold(goals={course.goals[0].id: "achieved"})
    bundle = to_bundle(case, subject="Patient/p1", formulation=formulation, course=course)
    return case, bundle


def test_every_resource_parses_and_validates_as_fhir_r4b() -> None:
    _, bundle = _full()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {
        "QuestionnaireResponse",
        "Observation",
        "Goal",
        "CarePlan",
        "ClinicalImpression",
    }
    construct_fhir_element("Bundle", copy.deepcopy(bundle))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        construct_fhir_element(resource["resourceType"], copy.deepcopy(resource))
    assert json.loads(json.dumps(bundle)) == bundle  # plain JSON builtins


def test_phq9_response_uses_loinc_item_and_answer_codes() -> None:
    case = _case(
        Measure(date=date(2026, 3, 2), instrument="phq9", items=(0, 1, 2, 3, 0, 1, 2, 3, 0))
    )
    bundle = to_bundle(case, subject="Patient/p1")
    (response,) = _resources(bundle, "QuestionnaireResponse")
    assert [item["linkId"] for item in response["item"]] == _PHQ9_ITEMS
    codes = [item["answer"][0]["valueCoding"]["code"] for item in response["item"]]
    assert codes[:4] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert response["authored"] == "2026-03-02"
    assert response["item"][0]["text"] == "Little interest or pleasure in doing things"
    (total,) = _resources(bundle, "Observation")
    assert total["code"]["coding"][0] == {
        "system": LOINC,
        "code": "44261-6",
        "display": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    }
    assert total["valueInteger"] == 12  # 0+1+2+3+0+1+2+3+0
    assert total["category"][0]["coding"][0]["code"] == "survey"
    assert total["status"] == "final"
    assert total["effectiveDateTime"] == "2026-03-02"
    assert total["derivedFrom"] == [{"reference": bundle["entry"][0]["fullUrl"]}]


def test_missing_item_has_no_answer_and_the_total_says_it_was_prorated() -> None:
    case = _case(
        Measure(date=date(2026, 3, 1), instrument="phq9", items=(1, 2, None, 1, 1, 2, 1, 1, 0)),
        Measure(date=date(2026, 3, 2), instrument="gad7", items=(None, None, 1, 1, 1, 1, 1)),
    )
    bundle = to_bundle(case, subject="Patient/p1")
    first, second = _resources(bundle, "QuestionnaireResponse")
    assert "answer" not in first["item"][2]
    (total,) = _resources(bundle, "Observation")  # the GAD-7 with two missing has no total
    assert total["valueInteger"] == 10  # 9 / 8 * 9 = 10.125 -> 10
    assert "prorated from 8 of 9 items" in total["note"][0]["text"]
    assert [item.get("answer") for item in second["item"][:2]] == [None, None]
    assert measures_from(bundle) == case.measures


def test_hamd17_total_uses_iptcore_code_system_not_loinc() -> None:
    _, bundle = _full()
    codes = [o["code"]["coding"][0] for o in _resources(bundle, "Observation")]
    hamd = [c for c in codes if c["code"] == "hamd17-total"]
    assert hamd
    assert hamd[0]["system"] != LOINC


def test_goals_carry_lifecycle_and_achievement_status() -> None:
    _, bundle = _full()
    goals = _resources(bundle, "Goal")
    achieved = [g for g in goals if "achievementStatus" in g]
    assert len(achieved) == 1
    assert achieved[0]["lifecycleStatus"] == "completed"
    assert achieved[0]["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert {g["lifecycleStatus"] for g in goals} == {"completed", "proposed"}
    (plan,) = _resources(bundle, "CarePlan")
    urls = {e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Goal"}
    assert {g["reference"] for g in plan["goal"]} == urls


def test_care_plan_shows_held_missed_and_moved_sessions() -> None:
    _, bundle = _full()
    (plan,) = _resources(bundle, "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    details = [a["detail"] for a in plan["activity"]]
    got = [(d["status"], d["scheduledPeriod"]["start"]) for d in details[:5]]
    assert got == [
        ("completed", "2026-03-09"),
        ("cancelled", "2026-03-16"),
        ("completed", "2026-03-25"),  # the made-up session, moved to the 25th, then held
        ("scheduled", "2026-03-30"),
        ("scheduled", "2026-04-06"),
    ]
    assert "ill" not in json.dumps(plan)  # the reason given for the miss is not exported


def test_plan_alone_is_all_scheduled() -> None:
    case = vignette("demo")
    plan = plan_course("ipt", start=date(2026, 3, 9), sessions=12)
    (care,) = _resources(to_bundle(case, subject="Patient/p1", plan=plan), "CarePlan")
    assert {a["detail"]["status"] for a in care["activity"]} == {"scheduled"}
    assert len(care["activity"]) == 12


def test_formulation_becomes_a_clinical_impression() -> None:
    case = vignette("demo")
    formulation = formulate(case, classify(case))
    bundle = to_bundle(case, subject="Patient/p1", formulation=formulation)
    (impression,) = _resources(bundle, "ClinicalImpression")
    assert impression["summary"] == formulation.statement
    areas = [f["itemCodeableConcept"]["coding"][0]["code"] for f in impression["finding"]]
    assert areas == [a.value for a in formulation.focus]
    assert impression["finding"][0]["basis"] == formulation.findings[0].evidence.summary


def test_nothing_identifying_goes_in_unless_passed() -> None:
    case = vignette("demo")
    text = json.dumps(
        to_bundle(case, subject="Patient/p1", plan=plan_course("ipt", start=date(2026, 3, 9)))
    )
    assert case.patient is not None
    assert case.patient.name is not None
    for secret in (case.id, case.patient.name, *(p.name for p in case.people if p.name)):
        assert secret not in text
    assert "Patient/p1" in text


def test_full_urls_are_stable_and_references_resolve() -> None:
    _, first = _full()
    _, second = _full()
    assert first == second
    urls = {e["fullUrl"] for e in first["entry"]}
    assert len(urls) == len(first["entry"])
    assert all(u.startswith("urn:uuid:") for u in urls)
    refs = [r["reference"] for o in _resources(first, "Observation") for r in o["derivedFrom"]]
    assert set(refs) <= urls


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_vignette_measures_round_trip(name: str) -> None:
    case = vignette(name)
    assert measures_from(to_bundle(case, subject="Patient/p1")) == case.measures


@given(cases(max_people=2, max_events=0, max_measures=4))
def test_measures_round_trip_for_any_valid_case(case: Case) -> None:
    bundle = to_bundle(case, subject="Patient/p1")
    construct_fhir_element("Bundle", copy.deepcopy(bundle))
    assert measures_from(bundle) == case.measures
    resources = [e["resource"] for e in bundle.get("entry", [])]
    assert measures_from(resources) == case.measures


def test_bad_answers_are_all_reported_with_their_paths() -> None:
    case = _case(Measure(date=date(2026, 3, 2), instrument="phq9", items=(1,) * 9))
    bundle = to_bundle(case, subject="Patient/p1")
    items = bundle["entry"][0]["resource"]["item"]
    items[2]["answer"][0]["valueCoding"]["code"] = "LA9999-9"
    items[4]["linkId"] = "12345-6"
    with pytest.raises(CaseError) as raised:
        measures_from(bundle)
    paths = [p.path for p in raised.value.problems]
    assert "entry[0].resource.item[2].answer[0]" in paths
    assert "entry[0].resource.item[4].linkId" in paths
    # the Observation's response was refused, so the total has nothing to stand on
    assert "entry[1]" in "".join(paths)


def test_a_total_alone_is_refused() -> None:
    case = _case(Measure(date=date(2026, 3, 2), instrument="gad7", items=(1,) * 7))
    bundle = to_bundle(case, subject="Patient/p1")
    bundle["entry"] = bundle["entry"][1:]
    with pytest.raises(CaseError, match="not a total alone") as raised:
        measures_from(bundle)
    assert [p.path for p in raised.value.problems] == ["entry[0].resource"]


def test_a_total_that_disagrees_with_its_items_is_refused() -> None:
    case = _case(Measure(date=date(2026, 3, 2), instrument="gad7", items=(1,) * 7))
    bundle = to_bundle(case, subject="Patient/p1")
    bundle["entry"][1]["resource"]["valueInteger"] = 8
    with pytest.raises(CaseError, match="totals 7"):
        measures_from(bundle)


def test_structural_errors_come_from_the_fhir_model_with_paths() -> None:
    bad = {"resourceType": "QuestionnaireResponse", "status": "completed",
           "item": [{"linkId": "44250-9", "answer": [{"valueInteger": "x"}]}]}  # fmt: skip
    with pytest.raises(CaseError) as raised:
        measures_from([bad])
    assert raised.value.problems[0].path == "[0].item[0].answer[0].valueInteger"


def test_bad_arguments_are_refused() -> None:
    case = vignette("demo")
    with pytest.raises(IptError, match="subject"):
        to_bundle(case, subject="")
    other = vignette("widow")
    with pytest.raises(IptError, match="formulation is of case"):
        to_bundle(case, subject="Patient/1", formulation=formulate(other, classify(other)))
    plan = plan_course("ipt", start=date(2026, 3, 9))
    course = Course.begin(case, plan)
    with pytest.raises(IptError, match="not both"):
        to_bundle(case, subject="Patient/1", plan=plan, course=course)
    with pytest.raises(CaseError):
        measures_from("not a bundle")
