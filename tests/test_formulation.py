"""Tests of iptcore.formulation and iptcore.goals: the statement's shape and words, the goals of each
area specialised by the finding, and the FHIR goal statuses. Every case here is fictional."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import (
    DEFAULT_RULES,
    PROTOCOLS,
    Case,
    Dispute,
    Event,
    EventKind,
    Finding,
    IptError,
    Measure,
    Patient,
    Person,
    ProblemArea,
    classify,
    plan_course,
)
from iptcore.findings import Evidence
from iptcore.formulation import AREA_MEANINGS, PATIENT_WORDS, QUESTION, Formulation, formulate
from iptcore.goals import GOAL_TEMPLATES, LIFE_CHANGES, Goal, GoalStatus, goals_for, happened, who
from iptcore.measures import score
from iptcore.rules import WHO_RULES

GRIEF = ProblemArea.GRIEF
DISPUTE = ProblemArea.ROLE_DISPUTE
TRANSITION = ProblemArea.ROLE_TRANSITION
DEFICITS = ProblemArea.INTERPERSONAL_DEFICITS
ONSET = date(2025, 12, 1)
FRIENDS = (
    Person(id="f1", role="friend", closeness=1, contact="weekly"),
    Person(id="f2", role="sibling", closeness=2, contact="monthly"),
)


def case(people: tuple[Person, ...] = FRIENDS, events: tuple[Event, ...] = (), **kw: Any) -> Case:
    fields: dict[str, Any] = {"id": "fictional", "assessed": date(2026, 3, 2), "onset": ONSET}
    fields.update(kw)
    return Case(people=people, events=events, **fields)


def form(c: Case, **kw: Any) -> Formulation:
    return formulate(c, classify(c), **kw)


def widow() -> Case:
    """After Miller 2005: her husband of 45 years died; tearful and withdrawn since (fictional)."""
    return case(
        (Person(id="h", role="spouse", closeness=1, name="Walter"), *FRIENDS),
        (Event(date=date(2025, 9, 1), kind="death", person="h"),),
    )


def disputing(stage: str | None, **events: Any) -> Case:
    partner = Person(
        id="m", role="partner", closeness=1, dispute=Dispute(since=date(2024, 3, 1), stage=stage)
    )
    return case((partner, *FRIENDS), tuple(events.values()))


# Words of the manual and of the case format that a patient should not hear (plain language, no
# jargon beyond the area's name, and "social isolation" for deficits [GUIDE; WHO]).
JARGON = re.compile(
    r"nonreciprocal|non-reciprocal|renegotiat|impasse|dissolution|closeness|onset|rule|"
    r"expectations|deficit|transition|dispute|\[|\{|\}|None|sick role|interpersonal",
    re.IGNORECASE,
)


def plain(formulation: Formulation) -> str:
    """The statement without the area's names as the patient hears them (the only jargon
    allowed)."""
    text = formulation.statement
    for label in formulation.labels:
        text = text.replace(f"“{PATIENT_WORDS.get(label, label)}”", "")
    return text


# --------------------------------------------------------------------------------------------
# The statement
# --------------------------------------------------------------------------------------------


def test_statement_follows_the_manuals_shape() -> None:
    """[MARKOWITZ-SWARTZ2007]: "you have depression, a treatable illness and not your fault; it
    began when <event>; we call that <problem area>"; then the time frame offered and the question
    that asks the patient whether it fits."""
    f = form(widow())
    text = str(f)
    assert text == f.statement
    order = [
        "You have depression.",
        "can be treated",
        "not your fault",
        (
            "Your depression began in December 2025, about three months after Walter died in "
            "September 2025."
        ),
        "we call this “grief”",
        "16 sessions, once a week",
        "- Mourn Walter",
        QUESTION,
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert text.endswith(QUESTION)
    assert not JARGON.search(plain(f))


def test_sick_role_says_treatable_not_your_fault_and_the_duty_to_recover() -> None:
    """The sick role: "depression is a treatable illness, not the patient's fault; the role carries
    the duty to work at recovery" (Parsons) [FOCUS; IPTUK]."""
    role = form(widow()).sick_role
    for words in ("illness", "can be treated", "not your fault", "work with me on getting better"):
        assert words in role


def test_the_time_frame_comes_from_the_plan_or_the_protocol() -> None:
    """The time frame is "fixed at the outset" [COMP; ISIPT]: the statement offers the plan's
    sessions, cadence and end, or the protocol's default length; the standard protocol's 16 weekly
    sessions without either."""
    assert (form(widow()).sessions, form(widow()).cadence, form(widow()).end) == (
        16,
        "weekly",
        None,
    )
    plan = plan_course("ipt", start=date(2026, 3, 9), sessions=12, focus=classify(widow()))
    twelve = form(widow(), plan=plan)
    assert (twelve.sessions, twelve.end) == (12, date(2026, 5, 25))
    assert "12 sessions, once a week, until 25 May 2026" in str(twelve)
    brief = form(widow(), protocol="ipt-b")
    assert "8 sessions, once a week" in str(brief)
    monthly = form(widow(), protocol=PROTOCOLS["maintenance"])
    assert "once a month" in str(monthly)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"plan": "16 weeks"}, r"plan: must be an iptcore\.CoursePlan"),
        ({"protocol": 16}, "protocol must be a protocol name"),
        ({"protocol": "nope"}, "nope"),
        ({"weeks": 16}, "weeks"),
    ],
)
def test_bad_time_frames_raise_ipterror(kw: dict[str, Any], message: str) -> None:
    """Bad input names the argument (the errors' contract)."""
    with pytest.raises((IptError, TypeError), match=message):
        form(widow(), **kw)
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classify(widow()))
    with pytest.raises(IptError, match="not both"):
        form(widow(), plan=plan, protocol="ipt")


@pytest.mark.parametrize(
    ("c", "link"),
    [
        (
            case(events=(Event(date=date(2025, 11, 28), kind="job_loss"),)),
            "Your depression began in December 2025, around the time you lost your job.",
        ),
        (
            case(events=(Event(date=date(2026, 1, 20), kind="relocation"),)),
            (
                "Your depression began in December 2025. Since then, you moved home in January 2026, "
                "and that makes it harder to get better."
            ),
        ),
        (
            case(
                (Person(id="d", role="parent", closeness=1), *FRIENDS),
                (Event(date=date(2001, 4, 2), kind="death", person="d", mourning="avoided"),),
            ),
            (
                "Your depression began in December 2025. Your parent died in April 2001, and the grief "
                "may not yet have had its time."
            ),
        ),
        (
            disputing("impasse"),
            (
                "Your depression began in December 2025, at a time when you and your partner had been "
                "disagreeing about what you expect of each other since March 2024."
            ),
        ),
        (
            case(()),
            (
                "Your depression began in December 2025, at a time when few people were close to you "
                "and in touch often."
            ),
        ),
    ],
)
def test_onset_link_says_when_depression_began_in_plain_words(c: Case, link: str) -> None:
    """Task 5: "particular attention is given to interpersonal changes occurring proximal to the
    onset"; the link is association, not cause [FOCUS]; maintenance counts too [ISIPT]."""
    f = form(c)
    assert f.onset_link == link
    assert "because" not in f.statement


def test_two_areas_are_both_named_primary_first() -> None:
    """ "Focus on one, at most two areas" [GUIDE]; the Casebook's perinatal case: transition first,
    dispute second (fictional details)."""
    c = disputing("impasse", e=Event(date=date(2025, 11, 1), kind="pregnancy"))
    f = formulate(c, classify(c, DEFAULT_RULES.evolve(max_focus=2)))
    assert f.focus == (TRANSITION, DISPUTE)
    assert f.labels == ("role transition", "role dispute")
    assert [x.area for x in f.findings] == [TRANSITION, DISPUTE]
    assert "after you became pregnant in November 2025" in f.onset_link
    assert "There is a second thing: you and your partner have disagreed" in f.statement
    assert "working on these two things" in f.statement
    assert not JARGON.search(plain(f))


def test_no_focus_says_so_and_proposes_no_goals() -> None:
    """Rule 5: no area is found, and the result says so (the case format)."""
    f = form(case())
    assert f.focus == ()
    assert f.goals == ()
    assert "not yet found" in f.statement
    assert "16 sessions, once a week" in f.statement


def test_the_patient_hears_social_isolation_the_therapist_reads_the_manuals_term() -> None:
    """ "Interpersonal deficits" is a term the Guide itself calls confusing [GUIDE]; WHO group IPT
    says "loneliness / social isolation" [WHO]. The report for the therapist keeps the term."""
    c = case((), patient=Patient(isolation="longstanding"))
    f = form(c)
    assert f.labels == ("interpersonal deficits",)
    assert "“social isolation”" in f.statement
    assert "deficits" not in f.statement
    assert "interpersonal deficits" in classify(c).describe()


def test_who_labels_name_the_areas() -> None:
    """WHO group IPT names the areas "grief, disputes, life changes, loneliness" [WHO]."""
    c = case(events=(Event(date=date(2025, 10, 1), kind="retirement"),))
    f = formulate(c, classify(c, WHO_RULES))
    assert f.labels == ("life changes",)
    assert "“life changes”" in str(f)


def test_names_or_plain_role_words_never_ids() -> None:
    """Cases are often pseudonymous (the case format): without a name the person is their role."""
    c = case(
        (Person(id="p-17", role="spouse", closeness=1), *FRIENDS),
        (Event(date=date(2025, 9, 1), kind="death", person="p-17"),),
    )
    f = form(c)
    assert "p-17" not in str(f)
    assert "after your spouse died" in f.onset_link
    assert f.goals[0].text.startswith("Mourn your spouse:")
    assert f.goals[0].id == "grief.mourn.p-17"


def test_severity_and_risk_are_for_the_therapist_not_read_aloud() -> None:
    """Diagnosis "plus a severity scale" [FOCUS]; PHQ-9 item 9 above 0 "needs a risk assessment"
    (Kroenke et al. 2001; Simon et al. 2013)."""
    items = (2, 2, 1, 2, 1, 1, 1, 1, 1)
    c = attrs.evolve(
        widow(), measures=(Measure(date=date(2026, 3, 2), instrument="phq9", items=items),)
    )
    f = form(c)
    assert f.severity == ("2026-03-02: PHQ-9 12 (moderate); flags: suicide_risk",)
    assert [w.split(":")[0] for w in f.warnings] == ["suicide_risk"]
    assert "PHQ" not in str(f)
    assert "Severity" in f.describe()
    assert "Cautions (screening)" in f.describe()
    assert "[KROENKE2001; SIMON2013]" in f.describe()


def test_classification_warnings_and_prompts_become_notes() -> None:
    """The classification's warnings and a dispute stage to assess ("the finding says to assess
    it", the case format) reach the therapist."""
    c = attrs.evolve(disputing(None), priority="grief")
    notes = form(c).notes
    assert any("priority grief" in n for n in notes)
    assert any("assess the dispute's stage" in n for n in notes)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: formulate({"id": "x"}, classify(widow())), r"case: must be an iptcore\.Case"),
        (
            lambda: formulate(widow(), "grief"),
            r"^classification: must be an iptcore\.Classification, got str$",
        ),
        (
            lambda: formulate(attrs.evolve(widow(), id="other"), classify(widow())),
            "the classification is of case 'fictional'",
        ),
        (lambda: form(widow()).goal("nope"), "no goal 'nope'"),
        (lambda: form(widow()).with_goal_status("grief.mourn.h", "done"), "FHIR Goal status"),
    ],
)
def test_bad_arguments_raise_ipterror(make: Any, message: str) -> None:
    """Bad input gets an IptError naming the argument (the errors' contract)."""
    with pytest.raises(IptError, match=message):
        make()


def test_to_dict_and_describe() -> None:
    """The CLI prints ``describe()`` and ``--json`` prints ``to_dict()`` ."""
    f = form(widow())
    data = json.loads(json.dumps(f.to_dict()))
    assert data["focus"] == ["grief"]
    assert data["statement"] == str(f)
    assert (data["sessions"], data["cadence"], data["end"]) == (16, "weekly", None)
    assert data["goals"][0]["status"] == "proposed"
    assert data["goals"][0]["lifecycle_status"] == "proposed"
    text = f.describe()
    assert "[proposed] grief.mourn.h: facilitate mourning [GUIDE]" in text


# --------------------------------------------------------------------------------------------
# Goals
# --------------------------------------------------------------------------------------------


def test_every_area_has_the_manuals_goals_with_sources() -> None:
    """The manual's goals [GUIDE; KLERMAN1984]: the goals of each area, each with its source and the manual's words."""
    for area in ProblemArea:
        templates = [t for t in GOAL_TEMPLATES if t.area is area]
        assert templates, area
        assert all(t.source.startswith("[") and t.manual for t in templates)
    assert len({t.id for t in GOAL_TEMPLATES}) == len(GOAL_TEMPLATES)


def test_grief_goals_name_the_person_who_died() -> None:
    """Grief: "(1) facilitate mourning; (2) reestablish interests and relationships that can to some
    degree substitute for the person and the relationship that have been lost" [GUIDE]."""
    goals = form(widow()).goals
    assert [g.id for g in goals] == ["grief.mourn.h", "grief.reconnect.h"]
    assert all("Walter" in g.text for g in goals)
    assert all(g.person == "h" and g.area is GRIEF and g.source == "[GUIDE]" for g in goals)
    assert goals[1].manual.startswith("reestablish interests and relationships")


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("renegotiation", "dispute.communicate"),
        ("impasse", "dispute.reopen"),
        ("dissolution", "dispute.move_on"),
        (None, "dispute.assess"),
    ],
)
def test_dispute_goals_depend_on_the_stage(stage: str | None, expected: str) -> None:
    """Stages [GUIDE]: renegotiation (improve communication), impasse (reopen negotiation),
    dissolution (mourn the relationship and move on); goals: identify the dispute, choose a plan of
    action, modify communication and/or expectations [GUIDE]."""
    ids = [g.id.rsplit(".", 1)[0] for g in form(disputing(stage)).goals]
    stage_goals = {"dispute.communicate", "dispute.reopen", "dispute.move_on", "dispute.assess"}
    assert [i for i in ids if i in stage_goals] == [expected]
    assert ids[:2] == ["dispute.understand", "dispute.plan"]
    assert ("dispute.change" in ids) is (stage != "dissolution")


def test_inferred_dissolution_gives_the_mourning_goal() -> None:
    """Rule 2 infers dissolution from a separation naming the person (the case format); dissolution:
    "mourn the relationship and move on" [GUIDE]."""
    c = disputing(None, e=Event(date=date(2025, 2, 1), kind="separation", person="m"))
    dispute_goals = [g for g in form(c).goals if g.area is DISPUTE]
    assert dispute_goals[-1].id == "dispute.move_on.m"
    assert dispute_goals[-1].text == "Mourn the relationship with your partner, and move on."


@pytest.mark.parametrize("kind", sorted(set(LIFE_CHANGES) - {EventKind.PREGNANCY_LOSS}))
def test_transition_goals_name_the_old_and_new_role(kind: EventKind) -> None:
    """Role transition goals: "mourn and accept the loss of the old role; see the new role more
    positively; restore self-esteem by mastering the new role's demands" [KLERMAN1984; CASEBOOK]."""
    event = Event(date=date(2025, 10, 1), kind=kind, description="a fictional change")
    f = form(case(events=(event,)))
    old, new = LIFE_CHANGES[kind].old, LIFE_CHANGES[kind].new
    texts = [g.text for g in f.goals]
    assert [g.id for g in f.goals] == [
        f"transition.{key}.{kind.value}" for key in ("mourn_old", "see_new", "master")
    ]
    assert old in texts[0]
    assert new in texts[1]
    assert new in texts[2]
    assert not JARGON.search(plain(f))


def test_a_transition_found_without_an_event_names_the_roles_in_general_words() -> None:
    """A user's own rule may find a role transition with no event behind it (a finding whose
    evidence is the patient): its goals are still the manual's three [KLERMAN1984; CASEBOOK],
    worded with "your old role" and "your new role", since no life change names them."""
    c = case()
    finding = Finding(
        area="role_transition",
        anchor=c.onset,
        rule="user.retiring_soon",
        source="[local]",
        rationale="Rule user.retiring_soon [local]: a fictional user's rule.",
        evidence=Evidence(kind="patient", date=c.onset, days_from_onset=0, summary="retiring"),
    )
    goals = goals_for(c, finding)
    assert [g.id for g in goals] == [
        "transition.mourn_old",
        "transition.see_new",
        "transition.master",
    ]
    assert [g.text for g in goals] == [
        "Mourn and accept the loss of your old role.",
        "See your new role in a kinder light: what it offers as well as what it asks.",
        "Feel good about yourself again by learning to handle what your new role asks of you.",
    ]
    assert happened(c, finding) == "your life changed"


def test_a_pregnancy_loss_is_grieved_with_grief_goals() -> None:
    """A perinatal loss is mourned (the case format's rule 1 (c)): grief goals that name the loss,
    no "new role" to see in a kinder light."""
    f = form(case(events=(Event(date=date(2025, 10, 1), kind="pregnancy_loss"),)))
    assert f.focus == (GRIEF,)
    assert [g.id for g in f.goals] == [
        "grief.mourn.pregnancy_loss",
        "grief.reconnect.pregnancy_loss",
    ]
    assert f.goals[0].text.startswith("Mourn the pregnancy you lost: talk through the loss")
    assert "after you lost the pregnancy in October 2025" in f.onset_link
    assert "kinder light" not in str(f)


def test_every_life_change_has_words_and_roles() -> None:
    """Every life change of the case format (all kinds but death) has plain words (the case format,
    event kinds; the Casebook's examples [CASEBOOK])."""
    assert set(LIFE_CHANGES) == {k for k in EventKind if k is not EventKind.DEATH}


def test_deficits_goals() -> None:
    """Deficits: "reduce isolation; build new relationships; review past relationships for repeating
    patterns" [GUIDE; IPT-A]."""
    goals = form(case(())).goals
    assert [g.id for g in goals] == [
        "deficits.isolation",
        "deficits.new_relationships",
        "deficits.patterns",
    ]
    assert all(g.person is None for g in goals)


def test_goals_for_refuses_what_is_not_a_finding() -> None:
    """Bad input gets an IptError naming the argument (the errors' contract)."""
    with pytest.raises(IptError, match=r"finding: must be an iptcore\.Finding"):
        goals_for(widow(), "grief")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Goal status (FHIR R4 Goal)
# --------------------------------------------------------------------------------------------

LIFECYCLE = "proposed planned accepted active on-hold completed cancelled entered-in-error rejected"
ACHIEVEMENT = (
    "in-progress improving worsening no-change achieved sustaining not-achieved no-progress "
    "not-attainable"
)


def test_goal_status_is_the_fhir_goal_vocabulary() -> None:
    """FHIR R4 Goal: lifecycleStatus and achievementStatus codes (hl7.org/fhir/R4/goal.html)."""
    assert [s.code for s in GoalStatus] == LIFECYCLE.split() + ACHIEVEMENT.split()
    assert {s.code for s in GoalStatus if s.axis == "lifecycle"} == set(LIFECYCLE.split())
    assert all(s.lifecycle.axis == "lifecycle" for s in GoalStatus)
    assert GoalStatus.ACHIEVED.lifecycle is GoalStatus.COMPLETED
    assert GoalStatus.IN_PROGRESS.lifecycle is GoalStatus.ACTIVE
    assert GoalStatus.ON_HOLD.lifecycle is GoalStatus.ON_HOLD


def test_goals_start_proposed_and_can_be_tracked() -> None:
    """Each goal "has a status ... so a course can track it" (the issue); FHIR R4 Goal."""
    f = form(widow())
    assert all(g.status is GoalStatus.PROPOSED for g in f.goals)
    tracked = f.with_goal_status("grief.mourn.h", "achieved")
    assert tracked.goal("grief.mourn.h").status is GoalStatus.ACHIEVED
    assert f.goal("grief.mourn.h").status is GoalStatus.PROPOSED  # values: the old one is kept
    data = tracked.goal("grief.mourn.h").to_dict()
    assert data["lifecycle_status"] == "completed"
    assert data["achievement_status"] == "achieved"
    assert f.goal("grief.mourn.h").to_dict()["achievement_status"] is None
    assert not hasattr(f.goals[0], "to_fhir")  # FHIR is iptcore.fhir's, at the edge
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        f.goals[0].status = GoalStatus.ACTIVE  # type: ignore[misc]


def test_goal_checks_its_fields() -> None:
    """Bad input gets an IptError naming the field (the errors' contract)."""
    with pytest.raises(IptError, match=r"^status: must be"):
        Goal(id="g", area=GRIEF, text="t", source="[GUIDE]", status="done")
    with pytest.raises(IptError, match=r"^text: must be"):
        Goal(id="g", area=GRIEF, text="", source="[GUIDE]")
    with pytest.raises(IptError, match=r"^area: must be"):
        Goal(id="g", area="sadness", text="t", source="[GUIDE]")
    with pytest.raises(IptError, match=r"^person: must be"):
        Goal(id="g", area="grief", text="t", source="[GUIDE]", person=7)
    assert Goal(id="g", area="grief", text="t", source="[GUIDE]").area is GRIEF
    with pytest.raises(IptError, match=r"^sessions: "):
        attrs.evolve(form(widow()), sessions=0)
    with pytest.raises(IptError, match=r"^cadence: "):
        attrs.evolve(form(widow()), cadence="daily")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "text: must be text, got ''"),
        ({"id": 3}, "id: must be text, got 3"),
        ({"source": None}, "source: must be text, got None"),
        ({"manual": 3}, "manual: must be text, got 3"),
        ({"person": 7}, "person: must be a person id or None, got 7"),
    ],
)
def test_goal_fields_are_refused_in_the_one_form(changes: dict[str, object], message: str) -> None:
    """A goal's texts must not be empty, though the manual's words may be left out; the person
    may be left out (None)."""
    fields: dict[str, object] = {"id": "g", "area": "grief", "text": "t", "source": "[GUIDE]"}
    with pytest.raises(IptError) as info:
        Goal(**{**fields, **changes})  # type: ignore[arg-type]
    assert str(info.value) == message
    goal = Goal(**{**fields, "text": " ", "manual": ""})  # type: ignore[arg-type]
    assert (goal.text, goal.manual, goal.person) == (" ", "", None)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


def _cases() -> st.SearchStrategy[Case]:
    """The shipped strategies (iptcore.testing)."""
    from iptcore.testing import cases

    return cases()


@given(_cases(), st.sampled_from(sorted(PROTOCOLS)))
def test_property_formulation_is_plain_and_its_goals_fit_the_focus(c: Case, protocol: str) -> None:
    """The statement is plain (no jargon beyond the area's name, no unfilled template), its goals
    belong to the focus areas with unique ids, and its parts appear in the statement."""
    result = classify(c)
    f = formulate(c, result, protocol=protocol)
    assert f.focus == result.focus
    assert {g.area for g in f.goals} == set(result.focus)
    assert len({g.id for g in f.goals}) == len(f.goals)
    assert all(g.status is GoalStatus.PROPOSED for g in f.goals)
    text = str(f)
    assert f.onset_link in text
    assert f"{PROTOCOLS[protocol].default_sessions} sessions" in text
    assert text.endswith(QUESTION)
    for area, label in zip(f.focus, f.labels, strict=True):
        assert f"“{PATIENT_WORDS.get(label, label)}”" in text
        assert AREA_MEANINGS[area] in text
    free_text = [p.name for p in c.people if p.name] + [
        e.description for e in c.events if e.description
    ]
    if not free_text:  # names and descriptions are the patient's own words
        assert not JARGON.search(plain(f)), plain(f)
    assert formulate(c, result, protocol=protocol) == f


def test_goal_status_takes_both_spellings_and_writes_underscores() -> None:
    """iptcore's words use underscores (drop_out, role_transition); FHIR's codes use hyphens."""
    goal = form(widow()).goals[0]
    for word in ("in_progress", "in-progress"):
        assert Goal(**{**attrs.asdict(goal, recurse=False), "status": word}).status is (
            GoalStatus.IN_PROGRESS
        )
        assert goal.with_status(word).status is GoalStatus.IN_PROGRESS
    assert goal.with_status("not-attainable").to_dict()["status"] == "not_attainable"
    assert goal.with_status("no_change").status.code == "no-change"
    assert goal.with_status("on_hold").to_dict()["lifecycle_status"] == "on-hold"


def test_to_dict_names_the_case_id_case_id() -> None:
    """One convention for every result: ``case_id`` is an id (as Classification has it); ``case``
    would be a whole case document."""
    case = widow()
    result = classify(case)
    for out in (form(case).to_dict(), result.to_dict(), case.inventory.to_dict()):
        assert out["case_id"] == case.id
        assert "case" not in out


# -- what a formulation shows, written from its definition ---------------------------------------


def test_a_formulation_as_json_holds_every_part_and_each_goal_in_full() -> None:
    f = attrs.evolve(form(widow()), end=date(2026, 5, 25), severity=("PHQ-9 14: moderate",))
    assert f.to_dict() == {
        "case_id": "fictional",
        "focus": ["grief"],
        "labels": ["grief"],
        "statement": f.statement,
        "diagnosis": f.diagnosis,
        "sick_role": f.sick_role,
        "onset_link": f.onset_link,
        "areas": list(f.areas),
        "sessions": 16,
        "cadence": "weekly",
        "end": "2026-05-25",
        "goals": [g.to_dict() for g in f.goals],
        "severity": ["PHQ-9 14: moderate"],
        "warnings": list(f.warnings),
        "notes": [],
    }


def test_a_formulation_describes_the_statement_then_what_the_therapist_checks() -> None:
    """The title with the time frame, the statement, then each part the therapist reads, each
    after a blank line and only where there is something: goals (status, id, the manual's words
    and source), severity, cautions and notes marked with "!"."""
    f = attrs.evolve(
        form(widow()),
        severity=("PHQ-9 14: moderate", "HAM-D-17 20: severe"),
        warnings=("a caution",),
        notes=("a note",),
    )
    goals = [f"  [proposed] {g.id}: {g.manual} {g.source}" for g in f.goals]
    assert f.describe().split("\n") == [
        "Formulation of case fictional (16 sessions, once a week)",
        "",
        *f.statement.split("\n"),
        "",
        "Goals (status, id, the manual's words, source):",
        *goals,
        "",
        "Severity: PHQ-9 14: moderate; HAM-D-17 20: severe",
        "",
        "Cautions (screening):",
        "  ! a caution",
        "",
        "To check:",
        "  ! a note",
    ]
    bare = attrs.evolve(f, goals=(), severity=(), warnings=(), notes=())
    assert bare.describe() == (
        f"Formulation of case fictional (16 sessions, once a week)\n\n{bare.statement}"
    )


@pytest.mark.parametrize(
    ("sessions", "cadence", "end", "words"),
    [
        (16, "weekly", None, "16 sessions, once a week"),
        (1, "monthly", date(2026, 5, 25), "1 session, once a month, until 25 May 2026"),
    ],
)
def test_the_time_frame_in_words(sessions: int, cadence: str, end: date | None, words: str) -> None:
    f = attrs.evolve(form(widow()), sessions=sessions, cadence=cadence, end=end)
    assert f.time_frame == words
    assert f"I suggest we meet for {words}, working on this." in f.statement


def test_a_goal_as_json_spells_out_its_fhir_codes() -> None:
    """``status`` is iptcore's word; the FHIR lifecycle and achievement codes are FHIR's
    (``in-progress``), the achievement code null for a status of the lifecycle axis."""
    goal = form(widow()).goals[0]
    assert goal.with_status("in_progress").to_dict() == {
        "id": "grief.mourn.h",
        "area": "grief",
        "text": goal.text,
        "manual": "facilitate mourning",
        "source": "[GUIDE]",
        "person": "h",
        "status": "in_progress",
        "lifecycle_status": "active",
        "achievement_status": "in-progress",
    }
    assert goal.with_status("active").to_dict()["achievement_status"] is None


_BEGAN = "Your depression began in December 2025"
_LATER = ". Since then, you lost your job in December 2025, and that makes it harder to get better."


@pytest.mark.parametrize(
    ("days", "link"),
    [
        (-7, _BEGAN + _LATER),
        (-6, _BEGAN + ", around the time you lost your job."),
        (6, _BEGAN + ", around the time you lost your job."),
        (7, _BEGAN + ", a few days after you lost your job in November 2025."),
        (9, _BEGAN + ", a few days after you lost your job in November 2025."),
        (10, _BEGAN + ", a few weeks after you lost your job in November 2025."),
        (44, _BEGAN + ", a few weeks after you lost your job in October 2025."),
        (45, _BEGAN + ", about a month after you lost your job in October 2025."),
        (60, _BEGAN + ", about two months after you lost your job in October 2025."),
        (700, _BEGAN + ", about 23 months after you lost your job in January 2024."),
        (365, _BEGAN + ", about twelve months after you lost your job in December 2024."),
        (396, _BEGAN + ", about 13 months after you lost your job in October 2024."),
        (730, _BEGAN + ", about two years after you lost your job in December 2023."),
        (800, _BEGAN + ", about two years after you lost your job in September 2023."),
        (914, _BEGAN + ", about three years after you lost your job in June 2023."),
    ],
)
def test_the_time_from_a_change_to_the_onset_is_said_in_plain_words(days: int, link: str) -> None:
    """The link names how long before the onset the change came [FOCUS]: within a week either
    side "around the time"; then a few days (under 10), a few weeks (under 45 days), about N
    months (a month of 30.44 days, under 24; 730 days are 24 of them), about N years (of 365.25
    days, rounded: 914 days are 2.502); a change after the onset came "since then". Numbers up to
    twelve in words. (A window of five years finds the older
    changes.)"""
    c = case(events=(Event(date=ONSET - timedelta(days=days), kind="job_loss"),))
    wide = DEFAULT_RULES.evolve(window_months=60)
    assert formulate(c, classify(c, wide)).onset_link == link


def test_a_second_area_that_is_not_a_dispute_is_told_by_its_event_and_month() -> None:
    """Two areas [GUIDE]: a grief after a transition is the second thing, told by who died and
    when, then its name for the patient and what it means."""
    walter = Person(id="h", role="spouse", closeness=1, name="Walter")  # fictional
    events = (
        Event(date=date(2025, 9, 1), kind="death", person="h"),
        Event(date=date(2025, 11, 1), kind="job_loss"),
    )
    c = case((walter, *FRIENDS), events)
    f = formulate(c, classify(c, DEFAULT_RULES.evolve(max_focus=2)))
    assert f.focus == (TRANSITION, GRIEF)
    assert f.areas[1] == (
        "There is a second thing: Walter died in September 2025. We call that “grief”: "
        f"{AREA_MEANINGS[GRIEF]}."
    )


def test_a_formulations_goal_is_found_by_id_and_changed_alone() -> None:
    f = form(widow())
    with pytest.raises(IptError) as caught:
        f.goal("x")
    assert str(caught.value) == "no goal 'x'; the goals are grief.mourn.h, grief.reconnect.h"
    changed = f.with_goal_status("grief.mourn.h", "active")
    assert [g.status.value for g in changed.goals] == ["active", "proposed"]


def test_who_and_what_happened_in_plain_words() -> None:
    """A person by name, else "someone close to you" (no id, or one the case lacks); a change by
    its event, with the person where it names one and without where it does not."""
    tom = Person(id="t", role="partner", closeness=1, name="Tom")  # fictional
    c = case((tom, *FRIENDS))
    assert (who(c, "t"), who(c, None), who(c, "nobody")) == (
        "Tom",
        "someone close to you",
        "someone close to you",
    )
    when = ONSET - timedelta(days=30)
    for event, words in (
        (Event(date=when, kind="separation", person="t"), "you and Tom separated"),
        (Event(date=when, kind="separation"), "you separated"),
        (
            Event(date=when, kind="other_change", description="the shop closed"),
            "your life changed (the shop closed)",
        ),
    ):
        changed = case((tom, *FRIENDS), (event,))
        result = classify(changed)
        assert happened(changed, result.finding(TRANSITION)) == words
    nothing = classify(widow())
    assert happened(widow(), nothing.finding(GRIEF)) == "your life changed"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sessions": 0}, "sessions: must be a whole number of sessions, got 0"),
        ({"cadence": "daily"}, "cadence: must be weekly or monthly, got 'daily'"),
        ({"end": "2026"}, "end: must be a datetime.date or None, got '2026'"),
        ({"goals": ("g",)}, "goals: must be a tuple of Goal, got ('g',)"),
        ({"goals": ["g"]}, "goals: must be a tuple of Goal, got ['g']"),
        ({"labels": ()}, "labels: must name each area of the focus"),
    ],
)
def test_a_formulation_built_by_hand_names_the_field_that_is_wrong(
    fields: dict[str, Any], message: str
) -> None:
    """The one form of a refusal, ``field: message`` (iptcore.errors)."""
    with pytest.raises(IptError) as caught:
        attrs.evolve(form(widow()), **fields)
    assert str(caught.value) == message


def test_a_plan_and_a_protocol_together_are_refused() -> None:
    plan = plan_course("ipt", start=date(2026, 3, 9), focus=classify(widow()))
    with pytest.raises(IptError) as caught:
        form(widow(), plan=plan, protocol="ipt")
    assert str(caught.value) == "formulate: give a plan or a protocol, not both (the plan has one)"


@pytest.mark.parametrize(
    ("since", "link"),
    [
        (
            ONSET,
            (
                "Your depression began in December 2025, at a time when you and your partner had "
                "been disagreeing about what you expect of each other since December 2025."
            ),
        ),
        (
            ONSET + timedelta(days=20),
            (
                "Your depression began in December 2025. Since December 2025, you and your partner "
                "have been disagreeing about what you expect of each other, and that makes it harder "
                "to get better."
            ),
        ),
    ],
)
def test_a_dispute_from_the_onset_day_on_is_linked_as_before_or_since(
    since: date, link: str
) -> None:
    """A dispute under way on the day of onset is one the depression began in; one begun later is
    told as since then [FOCUS]."""
    partner = Person(
        id="m", role="partner", closeness=1, dispute=Dispute(since=since, stage="impasse")
    )
    assert form(case((partner, *FRIENDS))).onset_link == link


@pytest.mark.parametrize(
    ("days", "link"),
    [
        (366, ("Your depression began in December 2025, about twelve months after your parent died "
         "in November 2024.")),
        (367, ("Your depression began in December 2025. Your parent died in November 2024, and the "
         "grief may not yet have had its time.")),
    ],
)  # fmt: skip
def test_a_death_more_than_a_year_before_the_onset_is_a_grief_that_may_not_have_had_its_time(
    days: int, link: str
) -> None:
    """Grief is linked by its time to the onset; a death more than 366 days before it may be a
    grief put off [GUIDE]."""
    parent = Person(id="d", role="parent", closeness=1)
    death = Event(date=ONSET - timedelta(days=days), kind="death", person="d")
    assert form(case((parent, *FRIENDS), (death,))).onset_link == link


def test_severity_lists_each_instrument_scored_or_not_whatever_the_order_of_measures() -> None:
    """The latest score of each instrument [FOCUS]; one that cannot be scored says why and the
    others still come; two of one day give the same answer in either order."""
    assessed = date(2026, 3, 2)
    gad7 = Measure(date=assessed, instrument="gad7", items=[None, None, 0, 0, 0, 0, 0])
    phq9 = Measure(date=assessed, instrument="phq9", items=[1] * 9)
    assert form(case(measures=(gad7, phq9))).severity == (
        (
            "2026-03-02: gad7 not scored (gad7 is prorated with at most 1 missing item; items 1 and 2 "
            "are missing)"
        ),
        f"2026-03-02: {score('phq9', [1] * 9).describe()}",
    )
    other = Measure(date=assessed, instrument="phq9", items=[2] * 9)
    assert (
        form(case(measures=(phq9, other))).severity == form(case(measures=(other, phq9))).severity
    )


def test_no_focus_says_that_one_is_still_looked_for() -> None:
    parts = form(case()).statement.split("\n\n")
    assert parts[1] == (
        "Your depression began in December 2025. We have not yet found one problem in your "
        "relationships or your life to focus on, so we will keep looking together at the people "
        "who matter to you and at what has changed."
    )
