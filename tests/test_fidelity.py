"""Tests of iptcore.fidelity: three hand-built courses scored as a trainer would score them.

The expectations come from the manual [COMP; FOCUS; GUIDE], not from the report: a course that does
every phase's work is faithful; one that swaps the middle phase's IPT work for cognitive
restructuring has drifted to CBT there; one that never prepares the end has no termination phase
worth the name. All courses and people are fictional.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iptcore import Course, IptError, Phase, ProtocolError, classify, formulate, plan_course
from iptcore.courseio import dump_course, load_course
from iptcore.deidentify import PLACEHOLDER, strip_course_text
from iptcore.fidelity import (
    DEFAULT_SPEC,
    FOCUS_STRATEGIES,
    Fidelity,
    FidelitySpec,
    OtherTechnique,
    PhaseFidelity,
    adherence,
)
from iptcore.vignettes import vignette

START = date(2026, 3, 2)
INITIAL: Mapping[int, Sequence[str]] = {
    1: ("suicide_risk", "diagnosis", "sick_role", "medication"),
    2: ("inventory", "timeline"),
    3: ("formulation", "contract"),
}
TERMINATION: Mapping[int, Sequence[str]] = {
    14: ("ending_feelings",),
    15: ("consolidate",),
    16: ("relapse_plan",),
}
DISPUTE_WORK = ("communication_analysis", "role_playing", "decision_analysis")


def _hold(course: Course, done: Mapping[str, Any]) -> Course:
    """``course`` with its next session held as ``done`` says; after the last initial session the
    patient accepts the formulation offered there, as in a faithful course [MARKOWITZ-SWARTZ2007]."""
    course = course.hold(**done)
    if course.state.value == "middle" and not course.formulation_accepted:
        course = course.accept_formulation()
    return course


def _course(session: Any) -> Course:
    """A 16-session standard IPT course with a role-dispute focus; ``session(n)`` says what was
    done in session n as the keyword arguments of Course.hold."""
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    for number in range(1, 17):
        course = _hold(course, session(number))
    return course.terminate(reason="the contracted sessions are done")


def _faithful(n: int) -> dict[str, Any]:
    if n in INITIAL:
        return {"tasks": INITIAL[n], "techniques": ["contract_setting"] if n == 3 else []}
    if n in TERMINATION:
        return {"tasks": TERMINATION[n], "techniques": ["clarification"]}
    tasks = ["link_mood_events"] if n != 7 else []  # one lapse, as real courses have
    if n == 12:
        tasks.append("raise_end")
    return {"tasks": tasks, "techniques": [DISPUTE_WORK[n % 3], "encouragement_of_affect"]}


def _cbt_drift(n: int) -> dict[str, Any]:
    if 4 <= n <= 13:
        extra = ["raise_end"] if n == 12 else []
        return {
            "tasks": extra,
            "techniques": ["directive_techniques"],
            "other_techniques": ["cognitive restructuring", "thought record"],
            "homework": "thought record for the week",
        }
    return _faithful(n)


def _no_termination(n: int) -> dict[str, Any]:
    if n >= 12:  # the end is never raised and the last sessions go on as middle sessions
        return {"tasks": ["link_mood_events"], "techniques": ["communication_analysis"]}
    return _faithful(n)


@pytest.fixture(scope="module")
def faithful() -> Course:
    return _course(_faithful)


def test_a_faithful_course_scores_high_in_every_phase(faithful: Course) -> None:
    report = adherence(faithful)
    assert report.overall is not None
    assert report.overall >= 0.85
    for phase in (Phase.INITIAL, Phase.MIDDLE, Phase.TERMINATION):
        value = report.phase(phase).value
        assert (value or 0.0) >= 0.85, phase
    assert report.drift == ()
    assert report.phase("initial").missing == ()
    assert report.phase("termination").missing == ()


def test_the_one_lapse_of_the_faithful_course_is_named(faithful: Course) -> None:
    link = next(i for i in adherence(faithful).phase("middle").items if i.id == "link_mood_events")
    assert link.credit == pytest.approx(9 / 10)
    assert "session 7" in link.evidence


def test_the_end_raised_four_sessions_before_it_is_on_time(faithful: Course) -> None:
    end = next(i for i in adherence(faithful).phase("termination").items if i.id == "raise_end")
    assert end.credit == 1
    assert end.done_in[0][0] == 12


def test_a_course_drifting_to_cbt_is_flagged_with_the_technique_and_its_source() -> None:
    report = adherence(_course(_cbt_drift))
    middle = report.phase("middle").value
    assert middle is not None
    assert middle < 0.5
    assert report.overall is not None
    assert report.overall < 0.85
    names = {t.name: t for t in report.drift}
    assert "cognitive restructuring" in names
    assert "BECK1979" in names["cognitive restructuring"].source
    assert names["cognitive restructuring"].sessions == tuple(range(4, 14))
    assert report.phase("middle").drift_sessions == tuple(range(4, 14))
    # the initial and termination phases were done by the book
    assert report.phase("initial").value == pytest.approx(1.0)
    summary = report.summary()
    assert "cognitive restructuring" in summary
    assert "Drift" in summary
    assert "sets no formal homework" in summary


def test_a_course_that_skips_termination_scores_zero_there_with_the_tasks_missing() -> None:
    report = adherence(_course(_no_termination))
    termination = report.phase("termination")
    assert termination.value == 0
    missing = {i.id for i in termination.missing}
    assert missing == {"ending_feelings", "consolidate", "relapse_plan", "raise_end"}
    assert "next_treatment" not in {i.id for i in termination.items}  # only if symptoms persist
    assert "relapse plan" in report.summary().lower()


def test_a_task_done_after_its_phase_earns_part_credit() -> None:
    def late_sick_role(n: int) -> dict[str, Any]:
        done = _faithful(n)
        if n == 1:
            done["tasks"] = ("diagnosis", "medication")
        if n == 4:
            done["tasks"] = (*done["tasks"], "sick_role")
        return done

    item = next(
        i for i in adherence(_course(late_sick_role)).phase("initial").items if i.id == "sick_role"
    )
    assert item.credit == DEFAULT_SPEC.late_credit
    assert "late" in item.evidence


def test_a_phase_under_way_scores_only_what_is_due() -> None:
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(tasks=INITIAL[1])
    report = adherence(course)
    initial = report.phase("initial")
    assert not initial.complete
    assert initial.value == 1.0  # what was done is all that could be done yet
    assert {i.id for i in initial.items if i.credit is None} >= {"inventory", "formulation"}
    assert [p.phase for p in report.phases] == [Phase.INITIAL]


def _ipt_and_cbt(n: int) -> dict[str, Any]:
    """The IPT work of the faithful course, with cognitive restructuring added in the middle."""
    done = _faithful(n)
    if 4 <= n <= 13:
        done["other_techniques"] = ["cognitive restructuring"]
    return done


def test_ipt_work_mixed_with_cbt_in_every_middle_session_halves_the_middle_value() -> None:
    faithful_middle = adherence(_course(_faithful)).phase("middle").value
    mixed_middle = adherence(_course(_ipt_and_cbt)).phase("middle").value
    assert faithful_middle is not None
    assert mixed_middle is not None
    assert mixed_middle == pytest.approx(faithful_middle * (1 - DEFAULT_SPEC.drift_penalty))


def test_the_spec_is_data_a_service_changes() -> None:
    course = _course(_ipt_and_cbt)
    strict = attrs.evolve(DEFAULT_SPEC, drift_penalty=1.0)
    lenient = attrs.evolve(DEFAULT_SPEC, drift_penalty=0.0)
    assert adherence(course, spec=strict).phase("middle").value == 0
    lenient_middle = adherence(course, spec=lenient).phase("middle").value
    assert lenient_middle is not None
    assert lenient_middle >= 0.85
    with pytest.raises(IptError, match="drift_penalty"):
        FidelitySpec(drift_penalty=2)
    with pytest.raises(IptError, match="weights"):
        FidelitySpec(weights={"sick_role": -1})
    with pytest.raises(IptError, match="phase_weights"):
        FidelitySpec(phase_weights={"middel": 1})


def test_phase_weights_replace_the_session_weighting(faithful: Course) -> None:
    only_initial = attrs.evolve(DEFAULT_SPEC, phase_weights={"initial": 1})
    report = adherence(faithful, spec=only_initial)
    assert report.overall == report.phase("initial").value


def test_techniques_are_sorted_into_focus_other_area_and_other_model() -> None:
    def mixed(n: int) -> dict[str, Any]:
        done = _faithful(n)
        if n == 5:
            done["techniques"] = ["reconstruction_of_relationship"]  # a grief technique
            done["other_techniques"] = ["Transference-Interpretation", "sand tray"]
        return done

    report = adherence(_course(mixed))
    fits = {t.id or t.name: t for t in report.techniques}
    assert fits["communication_analysis"].fit == "focus"
    assert fits["reconstruction_of_relationship"].fit == "other_area"
    assert fits["transference interpretation"].model == "psychodynamic psychotherapy"
    assert "HOGLEND2008" in fits["transference interpretation"].source
    assert fits["sand tray"].fit == "other_model"
    assert fits["sand tray"].source == ""
    focus = next(i for i in report.phase("middle").items if i.id == FOCUS_STRATEGIES)
    assert 5 not in [n for n, _ in focus.done_in]


def test_the_report_is_json_ready(faithful: Course) -> None:
    doc = adherence(faithful).to_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["phases"][0]["phase"] == "initial"
    assert doc["summary"].startswith("Adherence of case")


def _formulation(course: Course) -> Any:
    return next(i for i in adherence(course).phase("initial").items if i.id == "formulation")


def _initial(upto: int) -> Course:
    """The faithful course's sessions 1 to ``upto`` held, the formulation not yet accepted."""
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    for number in range(1, upto + 1):
        course = course.hold(**_faithful(number))
    return course


def test_the_formulation_offered_counts_once_the_patient_accepts_it() -> None:
    offered = _initial(3)  # the initial phase is over; the middle phase has not begun
    item = _formulation(offered)
    assert item.credit is None  # not yet due: it may still be accepted before session 4
    assert "not yet accepted" in item.evidence
    assert adherence(offered).phase("initial").missing == ()
    with pytest.raises(ProtocolError, match="accept"):
        offered.hold(**_faithful(4))
    accepted = _formulation(offered.accept_formulation(revision="the dispute is about money"))
    assert accepted.credit == 1
    assert "accepted by the patient" in accepted.evidence
    assert accepted.done_in[0][0] == 3


def test_a_change_of_focus_needs_the_formulation_accepted_again() -> None:
    course = _initial(2).accept_formulation()
    changed = course.change_focus(["role_transition"], reason="the move, not the dispute")
    assert _formulation(changed.hold(**_faithful(3))).credit is None
    again = changed.hold(**_faithful(3)).accept_formulation()
    assert _formulation(again).credit == 1


def test_an_acceptance_without_the_formulation_offered_is_no_formulation() -> None:
    def unoffered(n: int) -> dict[str, Any]:
        done = _faithful(n)
        if n == 3:
            done["tasks"] = ("contract",)
        return done

    item = _formulation(_course(unoffered))
    assert item.credit == 0
    assert "never recorded" in item.evidence


def test_bad_arguments_are_named() -> None:
    with pytest.raises(IptError, match="course"):
        adherence("not a course")  # type: ignore[arg-type]
    with pytest.raises(IptError, match="spec"):
        adherence(_course(_faithful), spec={})  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# What a held session records: the course file keeps it, the deidentifier drops the free text
# --------------------------------------------------------------------------------------------


def test_what_was_done_survives_the_course_file(faithful: Course) -> None:
    course = _course(_cbt_drift)
    again = load_course(json.loads(json.dumps(dump_course(course))))
    assert again == course
    record = again.records[5]
    assert record.other_techniques == ("cognitive restructuring", "thought record")
    assert record.homework == "thought record for the week"
    assert adherence(again).to_dict() == adherence(course).to_dict()


def test_strip_course_text_drops_notes_homework_and_reasons_and_keeps_the_fidelity() -> None:
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(
        tasks=INITIAL[1], notes="He shouted at her on Friday", homework="call her sister"
    )
    course = course.miss(reason="her father's funeral")
    bare = strip_course_text(course)
    dumped = json.dumps(dump_course(bare))
    for secret in ("shouted", "sister", "funeral"):
        assert secret not in dumped
    assert bare.steps[1].reason == PLACEHOLDER
    assert bare.records[0].tasks == INITIAL[1]
    assert adherence(bare).to_dict() == adherence(course).to_dict()
    with pytest.raises(IptError) as info:
        strip_course_text("a course")  # type: ignore[arg-type]
    assert str(info.value) == "course: must be an iptcore.Course, got str"


def test_strip_course_text_keeps_the_goals_agreed() -> None:
    """strip_course_text removes free text only: the goals agreed at the start are what the
    sessions' goal statuses refer to, so the course keeps them, and replays the same."""
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    c = vignette("demo")
    goals = formulate(c, classify(c), plan=plan).goals
    assert goals  # the demo's dispute has goals of its own
    course = Course.begin(c, plan, goals=goals).hold(tasks=INITIAL[1], notes="fictional notes")
    bare = strip_course_text(course)
    assert bare.initial_goals == course.initial_goals == goals
    assert bare.goals == course.goals


# --------------------------------------------------------------------------------------------
# Invariants
# --------------------------------------------------------------------------------------------

_TASKS = (
    "diagnosis",
    "sick_role",
    "inventory",
    "formulation",
    "link_mood_events",
    "raise_end",
    "ending_feelings",
    "relapse_plan",
)
_WORK = ("communication_analysis", "clarification", "review_of_roles")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sets(st.sampled_from(_TASKS)),
            st.sets(st.sampled_from(_WORK)),
            st.booleans(),
        ),
        min_size=12,
        max_size=12,
    )
)
def test_every_value_is_between_0_and_1(sessions: list[tuple[set[str], set[str], bool]]) -> None:
    plan = plan_course("ipt", start=START, sessions=12, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    for tasks, techniques, drift in sessions:
        course = _hold(
            course,
            {
                "tasks": sorted(tasks),
                "techniques": sorted(techniques),
                "other_techniques": ["cognitive restructuring"] if drift else [],
            },
        )
    report = adherence(course)
    values = [p.value for p in report.phases]
    assert all(v is not None and 0 <= v <= 1 for v in values)
    assert report.overall is not None
    assert min(values) <= report.overall <= max(values)


# --------------------------------------------------------------------------------------------
# Simulated courses of known fidelity
# --------------------------------------------------------------------------------------------


def _overall(level: float | None, seed: int) -> tuple[float | None, list[int | None]]:
    from iptcore.simulate import simulate_case

    run = simulate_case(vignette("dispute"), seed=seed, adherence=level)
    return adherence(run.course).overall, [s.score for s in run.sessions]


def test_a_simulated_course_of_full_adherence_is_faithful() -> None:
    for seed in range(5):
        overall, _ = _overall(1.0, seed)
        assert overall == pytest.approx(1.0)


def test_simulated_fidelity_follows_the_chosen_adherence() -> None:
    means = {}
    for level in (0.9, 0.5, 0.1):
        values = [_overall(level, seed)[0] for seed in range(30)]
        scored = [v for v in values if v is not None]
        means[level] = sum(scored) / len(scored)
    assert means[0.9] > means[0.5] > means[0.1]
    assert means[0.9] >= 0.75  # mostly faithful
    assert means[0.1] <= 0.25  # mostly not IPT


def test_the_model_assumes_adherence_does_not_change_the_outcome() -> None:
    for seed in range(3):
        assert _overall(0.2, seed)[1] == _overall(0.95, seed)[1] == _overall(None, seed)[1]


def test_without_adherence_a_simulated_course_records_no_work() -> None:
    from iptcore.simulate import simulate_case

    run = simulate_case(vignette("dispute"), seed=1)
    assert all(not r.tasks and not r.other_techniques for r in run.course.records)


@pytest.mark.parametrize("bad", [-0.1, 1.5, True, "high"])
def test_a_bad_adherence_is_refused(bad: object) -> None:
    from iptcore.simulate import simulate_case

    with pytest.raises(IptError, match="adherence"):
        simulate_case(vignette("dispute"), seed=1, adherence=bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Edges: bad specs, late and pending ends, other protocols and catalogues
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weights": "sick_role"}, "weights"),
        ({"weights": [("sick_role",)]}, "weights"),
        ({"weights": {"sick_role": "two"}}, "weights"),
        ({"notice": 0}, "notice"),
        ({"optional_tasks": "school"}, "optional_tasks"),
        ({"other_models": ["cognitive restructuring"]}, "other_models"),
        ({"late_credit": True}, "late_credit"),
    ],
)
def test_a_bad_spec_names_its_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(IptError, match=field):
        FidelitySpec(**changes)


def test_an_unknown_phase_is_named(faithful: Course) -> None:
    with pytest.raises(IptError, match="no 'maintenance' phase"):
        adherence(faithful).phase("maintenance")


def test_the_end_raised_one_session_before_it_is_late() -> None:
    def late_end(n: int) -> dict[str, Any]:
        done = _faithful(n)
        done["tasks"] = [t for t in done["tasks"] if t != "raise_end"]
        if n == 15:
            done["tasks"].append("raise_end")
        return done

    end = next(
        i for i in adherence(_course(late_end)).phase("termination").items if i.id == "raise_end"
    )
    assert end.credit == DEFAULT_SPEC.late_credit
    assert "late" in end.evidence


def test_the_end_not_raised_by_its_deadline_is_overdue_before_the_course_ends() -> None:
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    for n in range(1, 14):
        course = _hold(course, _no_termination(n))
    course = course.hold(tasks=["ending_feelings"])  # session 14: the deadline, and no end raised
    termination = adherence(course).phase("termination")
    assert not termination.complete
    end = next(i for i in termination.items if i.id == "raise_end")
    assert end.credit == 0
    assert "overdue" in end.evidence
    pending = {i.id for i in termination.items if i.credit is None}
    assert pending == {"consolidate", "relapse_plan"}


def test_a_maintenance_course_is_checked_for_its_every_session_tasks() -> None:
    plan = plan_course("maintenance", start=START, sessions=3, focus=["grief"])
    course = Course.begin(vignette("demo"), plan)
    for n in range(3):
        course = course.hold(
            tasks=["prodromes", "keep_focus"] if n else ["suicide_risk", "prodromes"],
            techniques=["encouragement_of_affect"],
        )
    report = adherence(course)
    maintenance = report.phase("maintenance")
    credits = {i.id: i.credit for i in maintenance.items}
    assert credits == {
        "suicide_risk": 1,
        "prodromes": 1,
        "keep_focus": pytest.approx(2 / 3),
        FOCUS_STRATEGIES: 1,
    }
    assert "raise_end" not in credits


def test_a_catalogue_without_emphasis_counts_every_technique_of_the_area() -> None:
    from iptcore import TECHNIQUES

    bare = attrs.evolve(TECHNIQUES, emphasis=())
    report = adherence(_course(_faithful), catalogue=bare)
    focus = next(i for i in report.phase("middle").items if i.id == FOCUS_STRATEGIES)
    assert focus.credit == 1
    assert "clarification" in focus.expected
    with pytest.raises(IptError, match="catalogue"):
        adherence(_course(_faithful), catalogue="mine")  # type: ignore[arg-type]


def test_a_technique_outside_the_catalogue_given_is_reported_as_such() -> None:
    from iptcore import TECHNIQUES

    smaller = TECHNIQUES.drop("decision_analysis")
    uses = {t.id: t for t in adherence(_course(_faithful), catalogue=smaller).techniques}
    assert uses["decision_analysis"].source == "not in the catalogue given"


def test_the_summary_names_ipt_techniques_of_another_area() -> None:
    def off_area(n: int) -> dict[str, Any]:
        done = _faithful(n)
        if n == 6:
            done["techniques"] = ["review_of_roles"]
        return done

    summary = adherence(_course(off_area)).summary()
    assert "IPT techniques of another problem area" in summary


@pytest.mark.parametrize("protocol", ["ipt", "ipt-b", "ipt-a", "group", "ipc"])
def test_simulated_courses_of_every_protocol_score_1_or_0_at_the_extremes(protocol: str) -> None:
    from iptcore.simulate import SimulationParams, simulate_case

    # The patient comes to every session: a missed session is not made up, and the work due in it
    # (the end raised in time) would then be late whatever the therapist's adherence.
    stay = SimulationParams(
        dropout_initial=0.0, dropout_middle=0.0, dropout_termination=0.0, miss_rate=0.0
    )
    for level in (1.0, 0.0):
        run = simulate_case(
            vignette("widow"), seed=3, protocol=protocol, adherence=level, params=stay
        )
        report = adherence(run.course)
        assert run.course.state.value == "closed"
        assert report.overall == pytest.approx(level)
        assert all(p.value == pytest.approx(level) for p in report.phases)


# --------------------------------------------------------------------------------------------
# Whole outputs: the summary and the JSON form of small fictional courses, word for word
# --------------------------------------------------------------------------------------------

#: A service's weights: the sick role counts three times, linking mood to events and raising
#: the end twice (the other items 1).
_WEIGHTED = FidelitySpec(weights={"sick_role": 3, "link_mood_events": 2, "raise_end": 2})


def _short_ipc() -> Course:
    """A fictional 6-session IPC course (session 1 initial, 2-5 middle, 6 termination; the end is
    due by session 4): the medication question comes late, the timeline never; the middle phase
    drifts to other models in sessions 2-4 and uses IPT techniques of other areas; the end is
    raised on time but two termination tasks are never done."""
    plan = plan_course("ipc", start=START, sessions=6, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    course = course.hold(
        tasks=["suicide_risk", "diagnosis", "sick_role", "inventory", "formulation", "contract"],
        techniques=["contract_setting"],
    ).accept_formulation()
    course = course.hold(
        tasks=["link_mood_events", "medication"],
        techniques=["communication_analysis"],
        other_techniques=["Cognitive-Restructuring"],
        homework="fictional: call her sister",
    )
    course = course.hold(
        tasks=["link_mood_events"],
        techniques=["review_of_roles"],
        other_techniques=["Cognitive-Restructuring"],
    )
    course = course.hold(
        tasks=["link_mood_events", "raise_end"],
        techniques=["role_playing"],
        other_techniques=["sand tray"],
    )
    course = course.hold(
        techniques=["decision_analysis", "review_of_roles", "reconstruction_of_relationship"]
    )
    course = course.hold(tasks=["ending_feelings"], techniques=["clarification"])
    return course.terminate(reason="the contracted sessions are done")


# Initial 8.5 of 10 (the sick role weighs 3, the late medication earns half, the timeline none);
# middle (2 x 3/4 + 3/4) / 3 = 0.75 lowered by half of 3 drift sessions in 4: 0.46875;
# termination (1 + 0 + 0 + 2) / 5 = 0.6; overall weighted by sessions held (1, 4, 1).
_SHORT_IPC_OVERALL = (0.85 * 1 + 0.46875 * 4 + 0.6 * 1) / 6

_SHORT_IPC_SUMMARY = "\n".join(
    [
        (
            "Adherence of case demo-maya to Interpersonal counselling (IPC), focus role dispute: "
            "0.55 overall."
        ),
        "Initial phase (session 1): 0.85.",
        (
            "  Done: suicide risk (session 1); diagnosis (session 1); sick role (session 1); "
            "inventory (session 1); formulation (session 1), accepted by the patient; "
            "contract (session 1)."
        ),
        "  In part: medication late (session 2, after the initial phase).",
        "  Missing: timeline: never recorded.",
        "Middle phase (sessions 2-5): 0.47.",
        (
            "  In part: link mood events in 3 of 4 sessions (not in session 5); "
            "focus strategies in 3 of 4 sessions (not in session 3)."
        ),
        "  Drift: another model's technique in 3 of 4 sessions (sessions 2-4).",
        "Termination phase (session 6): 0.60.",
        (
            "  Done: ending feelings (session 6); the end raised in session 4, 2 sessions before "
            "the last."
        ),
        "  Missing: consolidate: never recorded; relapse plan: never recorded.",
        (
            "Drift: cognitive restructuring (cognitive therapy (CBT); Beck et al. 1979 [BECK1979]) "
            "in sessions 2-3."
        ),
        "Drift: sand tray (another model; not in iptcore table) in session 4.",
        (
            "IPT techniques of another problem area: Review of old and new roles (sessions 3, 5); "
            "Exploring the relationship with the deceased (session 5)."
        ),
        (
            "Homework was set in session 2; Interpersonal counselling (IPC) sets no formal homework "
            "[COMP; CASEBOOK] (noted, not scored)."
        ),
    ]
)


def test_the_whole_summary_of_a_short_course_with_drift_and_gaps() -> None:
    """The supervisor's summary, word for word: each phase's value and sessions, what was done,
    done in part or late, missing, and drift [COMP; HOLLON1988]; each other model's technique with
    its source (cognitive restructuring [BECK1979]) or as not in the table; IPT techniques of
    another problem area; homework noted as not part of IPC [COMP; CASEBOOK]."""
    assert adherence(_short_ipc(), spec=_WEIGHTED).summary() == _SHORT_IPC_SUMMARY


def _item(
    item_id: str,
    phase: str,
    text: str,
    source: str,
    expected: str,
    weight: float,
    credit: float | None,
    done_in: Sequence[tuple[int, str]],
    evidence: str,
) -> dict[str, Any]:
    """An ItemCheck's JSON form as its docstring describes it."""
    return {
        "id": item_id,
        "phase": phase,
        "text": text,
        "source": source,
        "expected": expected,
        "weight": weight,
        "credit": credit,
        "done_in": [{"session": n, "date": d} for n, d in done_in],
        "evidence": evidence,
    }


def _use(
    name: str, tid: str | None, fit: str, model: str, source: str, sessions: list[int]
) -> dict[str, Any]:
    """A TechniqueUse's JSON form."""
    return {
        "name": name,
        "id": tid,
        "fit": fit,
        "model": model,
        "source": source,
        "sessions": sessions,
    }


_BY_INITIAL = "once, by the end of the initial phase"
_BY_TERMINATION = "once, by the end of the termination phase"
_S1, _S2, _S3 = (1, "2026-03-02"), (2, "2026-03-09"), (3, "2026-03-16")
_S4, _S5, _S6 = (4, "2026-03-23"), (5, "2026-03-30"), (6, "2026-04-06")
_DISPUTE = "identify the dispute and its stage; choose a plan of action; modify communication and/or expectations"
_CORE = "[COMP; GUIDE ch. 10]"


def test_the_whole_report_of_a_short_course_as_json() -> None:
    """The JSON form holds every phase (value, sessions, completeness, drift) and every item with
    the task's text and source from the protocol [FOCUS; COMP; MARKOWITZ-SWARTZ2007], when it was
    expected, its weight from the spec, its credit, the sessions that did it and the evidence;
    then each technique used with its fit, model and source, the homework and the summary."""
    report = adherence(_short_ipc(), spec=_WEIGHTED)
    assert report.spec is _WEIGHTED
    initial = [
        _item(
            "suicide_risk",
            "initial",
            "Assess suicide risk (ideation, intent, plan, history) and agree a safety plan if "
            "needed; record it in the case's screening",
            "[GUIDE]; [KROENKE2001]; [SIMON2013]",
            _BY_INITIAL,
            1.0,
            1.0,
            [_S1],
            "suicide risk (session 1)",
        ),
        _item(
            "diagnosis",
            "initial",
            "Diagnosis by standard criteria and a severity scale (HAM-D or PHQ-9)",
            "[FOCUS]",
            _BY_INITIAL,
            1.0,
            1.0,
            [_S1],
            "diagnosis (session 1)",
        ),
        _item(
            "sick_role",
            "initial",
            "Give the sick role: depression is a treatable illness, not the patient's fault, "
            "with the duty to work at recovery",
            "[FOCUS]; IPTUK; Parsons",
            _BY_INITIAL,
            3.0,
            1.0,
            [_S1],
            "sick role (session 1)",
        ),
        _item(
            "medication",
            "initial",
            "Assess the need for medication; psychoeducation about depression",
            "[FOCUS]",
            _BY_INITIAL,
            1.0,
            0.5,
            [_S2],
            "medication late (session 2, after the initial phase)",
        ),
        _item(
            "inventory",
            "initial",
            "Interpersonal inventory: each important relationship, its satisfactions and "
            "expectations",
            "[COMP]",
            _BY_INITIAL,
            1.0,
            1.0,
            [_S1],
            "inventory (session 1)",
        ),
        _item(
            "timeline",
            "initial",
            "Timeline: interpersonal changes around the onset of the episode",
            "[FOCUS]",
            _BY_INITIAL,
            1.0,
            0.0,
            [],
            "timeline: never recorded",
        ),
        _item(
            "formulation",
            "initial",
            "Interpersonal formulation around the problem area, offered and accepted by the "
            "patient (or revised together) before the middle phase",
            "[MARKOWITZ-SWARTZ2007]",
            _BY_INITIAL,
            1.0,
            1.0,
            [_S1],
            "formulation (session 1), accepted by the patient",
        ),
        _item(
            "contract",
            "initial",
            "Treatment contract: {sessions} {cadence} sessions, the focus, the end on {end}",
            "[COMP]; [ISIPT]",
            _BY_INITIAL,
            1.0,
            1.0,
            [_S1],
            "contract (session 1)",
        ),
    ]
    middle = [
        _item(
            "link_mood_events",
            "middle",
            "Link the week's mood to interpersonal events",
            "[COMP]; IPTUK",
            "in every session of the phase",
            2.0,
            0.75,
            [_S2, _S3, _S4],
            "link mood events in 3 of 4 sessions (not in session 5)",
        ),
        _item(
            FOCUS_STRATEGIES,
            "middle",
            f"The focus area's strategies: {_DISPUTE}",
            "[GUIDE]; Klerman et al. 1984 (paraphrased); the catalogue's emphasis "
            "(communication_analysis, role_playing, decision_analysis) [GUIDE ch. 10]",
            "in every session of the phase, one of: communication_analysis, role_playing, "
            "decision_analysis",
            1.0,
            0.75,
            [_S2, _S4, _S5],
            "focus strategies in 3 of 4 sessions (not in session 3)",
        ),
    ]
    termination = [
        _item(
            "ending_feelings",
            "termination",
            "Frame the ending as a graduation: credit the patient's competence; discuss the "
            "feelings the ending brings (sadness at parting is not relapse)",
            "[GUIDE]; [COMP]",
            _BY_TERMINATION,
            1.0,
            1.0,
            [_S6],
            "ending feelings (session 6)",
        ),
        _item(
            "consolidate",
            "termination",
            "Consolidate gains: review what changed and the patient's own part in it",
            "[COMP]",
            _BY_TERMINATION,
            1.0,
            0.0,
            [],
            "consolidate: never recorded",
        ),
        _item(
            "relapse_plan",
            "termination",
            "Relapse plan: early warning signs and what to do",
            "[COMP]",
            _BY_TERMINATION,
            1.0,
            0.0,
            [],
            "relapse plan: never recorded",
        ),
        _item(
            "raise_end",
            "termination",
            "Raise the end: name the last session and its date, and talk about ending",
            "[COMP]",
            "by session 4, at least 2 sessions before the last (6)",
            2.0,
            1.0,
            [_S4],
            "the end raised in session 4, 2 sessions before the last",
        ),
    ]
    klerman = "[KLERMAN1984] (paraphrased)"
    assert report.to_dict() == {
        "case_id": "demo-maya",
        "protocol": "Interpersonal counselling (IPC)",
        "focus": ["role dispute"],
        "overall": pytest.approx(_SHORT_IPC_OVERALL),
        "phases": [
            {
                "phase": "initial",
                "value": pytest.approx(0.85),
                "sessions": [1],
                "complete": True,
                "drift_sessions": [],
                "items": initial,
            },
            {
                "phase": "middle",
                "value": pytest.approx(0.46875),
                "sessions": [2, 3, 4, 5],
                "complete": True,
                "drift_sessions": [2, 3, 4],
                "items": middle,
            },
            {
                "phase": "termination",
                "value": pytest.approx(0.6),
                "sessions": [6],
                "complete": True,
                "drift_sessions": [],
                "items": termination,
            },
        ],
        "techniques": [
            _use(
                "Contract setting",
                "contract_setting",
                "focus",
                "IPT",
                "[KLERMAN1984]; [COMP] (adjunctive techniques)",
                [1],
            ),
            _use("Communication analysis", "communication_analysis", "focus", "IPT", _CORE, [2]),
            _use(
                "Review of old and new roles",
                "review_of_roles",
                "other_area",
                "IPT",
                klerman,
                [3, 5],
            ),
            _use("Role playing", "role_playing", "focus", "IPT", _CORE, [4]),
            _use("Decision analysis", "decision_analysis", "focus", "IPT", _CORE, [5]),
            _use(
                "Exploring the relationship with the deceased",
                "reconstruction_of_relationship",
                "other_area",
                "IPT",
                klerman,
                [5],
            ),
            _use("Clarification", "clarification", "focus", "IPT", _CORE, [6]),
            _use(
                "cognitive restructuring",
                None,
                "other_model",
                "cognitive therapy (CBT)",
                "Beck et al. 1979 [BECK1979]",
                [2, 3],
            ),
            _use("sand tray", None, "other_model", "another model", "", [4]),
        ],
        "homework_sessions": [2],
        "homework_expected": False,
        "summary": _SHORT_IPC_SUMMARY,
    }


def test_a_phase_the_course_does_not_have_is_refused_with_the_phases_it_has() -> None:
    """Fidelity.phase names the phases the report holds when asked for another."""
    with pytest.raises(IptError) as info:
        adherence(_short_ipc()).phase("maintenance")
    assert str(info.value) == (
        "phase: the course has no 'maintenance' phase (it has: initial, middle, termination)"
    )


def test_a_technique_outside_the_catalogue_given_is_of_another_area_in_the_report() -> None:
    """A technique the catalogue given does not hold is reported under its id, as of another
    problem area, with that reason for its source."""
    from iptcore import TECHNIQUES

    report = adherence(_short_ipc(), catalogue=TECHNIQUES.drop("decision_analysis"))
    uses = {t.id: t.to_dict() for t in report.techniques}
    assert uses["decision_analysis"] == _use(
        "decision_analysis",
        "decision_analysis",
        "other_area",
        "IPT",
        "not in the catalogue given",
        [5],
    )


def test_a_course_under_way_with_nothing_done_is_not_yet_scored() -> None:
    """A first session that recorded nothing leaves every once-task of the initial phase not yet
    due [COMP]: no value for the phase nor overall, the tasks listed by id, no focus agreed yet,
    and no homework line (none was set)."""
    plan = plan_course("ipt", start=START, sessions=16)
    report = adherence(Course.begin(vignette("demo"), plan).hold())
    assert report.summary() == (
        "Adherence of case demo-maya to IPT (standard), focus none agreed: not yet scored "
        "overall.\n"
        "Initial phase (session 1): not scored yet.\n"
        "  Not yet due: suicide_risk, diagnosis, sick_role, medication, inventory, timeline, "
        "formulation, contract."
    )
    doc = report.to_dict()
    assert doc["overall"] is None
    assert doc["focus"] == []
    phase = doc["phases"][0]
    assert {k: v for k, v in phase.items() if k != "items"} == {
        "phase": "initial",
        "value": None,
        "sessions": [1],
        "complete": False,
        "drift_sessions": [],
    }
    assert phase["items"][1] == _item(
        "diagnosis",
        "initial",
        "Diagnosis by standard criteria and a severity scale (HAM-D or PHQ-9)",
        "[FOCUS]",
        _BY_INITIAL,
        1.0,
        None,
        [],
        "diagnosis not yet recorded",
    )


def test_a_phase_without_a_session_is_worded_as_such() -> None:
    """A report built by hand with a phase of no sessions words its span as "no sessions"."""
    phase = PhaseFidelity(
        phase=Phase.INITIAL, value=None, sessions=(), items=(), drift_sessions=(), complete=False
    )
    report = Fidelity(
        case="m",
        protocol="IPT (standard)",
        focus=(),
        phases=(phase,),
        overall=None,
        techniques=(),
        homework_sessions=(),
        homework_expected=False,
        spec=DEFAULT_SPEC,
    )
    assert report.summary() == (
        "Adherence of case m to IPT (standard), focus none agreed: not yet scored overall.\n"
        "Initial phase (no sessions): not scored yet."
    )


def test_a_missed_session_leaves_the_sessions_held_after_it_and_an_offer_not_yet_accepted() -> None:
    """A missed session is lost and the next one held as planned [COMP; ISIPT]: the initial phase
    is sessions 1 and 3. The formulation offered in session 3 is not yet due until the patient
    accepts it, before the middle phase [MARKOWITZ-SWARTZ2007]; the tasks never done are missing
    once the phase is behind."""
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(tasks=INITIAL[1])
    course = course.miss(reason="fictional: ill").hold(tasks=INITIAL[3])
    report = adherence(course)
    assert report.phase("initial").sessions == (1, 3)
    assert report.summary() == (
        "Adherence of case demo-maya to IPT (standard), focus role dispute: 0.71 overall.\n"
        "Initial phase (sessions 1, 3): 0.71.\n"
        "  Done: suicide risk (session 1); diagnosis (session 1); sick role (session 1); "
        "medication (session 1); contract (session 3).\n"
        "  Missing: inventory: never recorded; timeline: never recorded.\n"
        "  Not yet due: formulation."
    )
    formulation = next(i for i in report.phase("initial").items if i.id == "formulation")
    assert formulation.evidence == (
        "formulation (session 3), not yet accepted by the patient (due before the middle phase)"
    )


def test_an_acceptance_without_an_offer_is_worded_as_such() -> None:
    """The formulation accepted but never offered (no ``formulation`` task) earns nothing, and its
    evidence says the acceptance was recorded [MARKOWITZ-SWARTZ2007]."""
    plan = plan_course("ipc", start=START, sessions=3, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(tasks=["contract"]).accept_formulation()
    item = _formulation(course.hold(tasks=["link_mood_events"]))
    assert item.credit == 0
    assert item.evidence == "formulation: never recorded (its acceptance was recorded)"


def test_the_strategies_of_two_focus_areas_are_both_expected() -> None:
    """With two focus areas [GUIDE] the item lists both areas' strategies and sources
    [KLERMAN1984; CASEBOOK], and any technique the catalogue emphasises for either, each once, the
    first area's first [COMP; GUIDE ch. 10]. The summary names both areas; a technique of either
    fits the focus."""
    plan = plan_course("ipc", start=START, sessions=3, focus=["role_dispute", "role_transition"])
    course = Course.begin(vignette("demo"), plan).hold().accept_formulation()
    course = course.hold(techniques=["review_of_roles"])
    report = adherence(course)
    never = [
        f"{task}: never recorded"
        for task in ("suicide risk", "diagnosis", "sick role", "medication", "inventory")
    ]
    assert report.summary() == (
        "Adherence of case demo-maya to Interpersonal counselling (IPC), focus role dispute, "
        "role transition: 0.25 overall.\n"
        "Initial phase (session 1): 0.00.\n"
        f"  Missing: {'; '.join(never)}; timeline: never recorded; formulation: never recorded "
        "(its acceptance was recorded); contract: never recorded.\n"
        "Middle phase (session 2): 0.50.\n"
        "  Done: focus strategies in 1 of 1 sessions.\n"
        "  Missing: link mood events in 0 of 1 sessions (not in session 2)."
    )
    focus = next(i for i in report.phase("middle").items if i.id == FOCUS_STRATEGIES)
    names = (
        "communication_analysis, role_playing, decision_analysis, review_of_roles, "
        "encouragement_of_affect"
    )
    assert focus.to_dict() == _item(
        FOCUS_STRATEGIES,
        "middle",
        f"The focus area's strategies: {_DISPUTE}; mourn and accept the loss of the old role; "
        "see the new role more positively; master the new role's demands and build support",
        "[CASEBOOK]; Klerman et al. 1984 (paraphrased); [GUIDE]; Klerman et al. 1984 "
        f"(paraphrased); the catalogue's emphasis ({names}) [GUIDE ch. 10]",
        f"in every session of the phase, one of: {names}",
        1.0,
        1.0,
        [(2, "2026-03-09")],
        "focus strategies in 1 of 1 sessions",
    )


def test_without_emphasis_the_focus_techniques_are_the_areas_middle_phase_ones() -> None:
    """A catalogue without emphasis expects any technique of the focus area used in the middle
    phase, adjunctive ones aside [COMP; GUIDE ch. 10]: one kept to the initial phase is not
    among them."""
    from iptcore import TECHNIQUES

    early = attrs.evolve(TECHNIQUES["direct_elicitation"], phases={"initial"})
    bare = attrs.evolve(TECHNIQUES, emphasis=()).replace(early)
    focus = next(
        i
        for i in adherence(_short_ipc(), catalogue=bare).phase("middle").items
        if i.id == FOCUS_STRATEGIES
    )
    assert focus.expected == (
        "in every session of the phase, one of: nondirective_exploration, "
        "encouragement_of_affect, clarification, communication_analysis, "
        "use_of_therapeutic_relationship, directive_techniques, decision_analysis, role_playing"
    )


def test_the_end_never_raised_late_or_not_yet_due_is_worded_exactly() -> None:
    """Raising the end "at least two to four sessions before it occurs" [COMP]: never raised in a
    finished course, raised one session before the last (late, half credit), and, with a notice
    of 1 session, not yet due in session 14 of 16."""

    def late_end(n: int) -> dict[str, Any]:
        done = _faithful(n)
        done["tasks"] = [t for t in done["tasks"] if t != "raise_end"]
        if n == 15:
            done["tasks"].append("raise_end")
        return done

    def end_of(report: Any) -> Any:
        return next(i for i in report.phase("termination").items if i.id == "raise_end")

    never = end_of(adherence(_course(_no_termination)))
    assert never.evidence == "raise end: never done (due by session 14)"
    late = end_of(adherence(_course(late_end)))
    assert late.evidence == "the end raised late, in session 15, 1 before the last"
    plan = plan_course("ipt", start=START, sessions=16, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan)
    for n in range(1, 14):
        course = _hold(course, _no_termination(n))
    course = course.hold(tasks=["ending_feelings"])
    pending = end_of(adherence(course, spec=FidelitySpec(notice=1)))
    assert pending.to_dict() == _item(
        "raise_end",
        "termination",
        "Raise the end: name the last session and its date, and talk about ending",
        "[COMP]",
        "by session 15, at least 1 session before the last (16)",
        1.0,
        None,
        [],
        "the end not yet raised",
    )


def test_optional_tasks_are_left_out_and_the_rest_still_checked() -> None:
    """A task the spec makes optional is not expected; the phase's later tasks still are."""
    plan = plan_course("ipc", start=START, sessions=3, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(tasks=["diagnosis"])
    report = adherence(course, spec=FidelitySpec(optional_tasks={"diagnosis"}))
    assert [i.id for i in report.phase("initial").items] == [
        "suicide_risk",
        "sick_role",
        "medication",
        "inventory",
        "timeline",
        "formulation",
        "contract",
    ]


def test_a_zero_weight_drops_an_item_and_a_half_weight_counts_half() -> None:
    """Weights are "0 or more" (FidelitySpec): the module's example course, without the
    medication question, scores 1 when that item weighs 0, whatever the timeline's weight."""
    plan = plan_course("ipc", start=date(2026, 3, 9), sessions=3, focus=["role_dispute"])
    course = Course.begin(vignette("demo"), plan).hold(
        tasks=[
            "suicide_risk",
            "diagnosis",
            "sick_role",
            "inventory",
            "timeline",
            "formulation",
            "contract",
        ]
    )
    spec = FidelitySpec(weights={"timeline": 0.5, "medication": 0})
    assert spec.weights == (("medication", 0.0), ("timeline", 0.5))
    assert adherence(course.accept_formulation(), spec=spec).phase("initial").value == 1.0


def test_the_weights_are_kept_by_id_and_the_last_given_counts() -> None:
    """The weights are kept in the order of their ids; given twice, the last counts, as in a
    mapping; an item without a weight weighs 1."""
    spec = FidelitySpec(weights={"timeline": 0.5, "medication": 2})
    assert spec.weights == (("medication", 2.0), ("timeline", 0.5))
    twice = FidelitySpec(weights=[("timeline", 2), ("timeline", 0.5)])
    assert twice.weight("timeline") == 0.5
    assert twice.weight("diagnosis") == 1.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weights": 5}, "weights: must be a mapping of id to weight, got 5"),
        ({"phase_weights": 5}, "phase_weights: must be a mapping of id to weight, got 5"),
        (
            {"phase_weights": {"middel": 1}},
            (
                "phase_weights: 'middel' is not a phase "
                "(engagement, initial, middle, termination, maintenance)"
            ),
        ),
        ({"notice": True}, "notice: must be a whole number of 1 or more, got True"),
        ({"other_models": 5}, "other_models: must be OtherTechnique values, got 5"),
    ],
)
def test_a_bad_spec_is_refused_in_words(changes: dict[str, Any], message: str) -> None:
    """Each refused field of a FidelitySpec is named with the rule it breaks."""
    with pytest.raises(IptError) as info:
        FidelitySpec(**changes)
    assert str(info.value) == message


def test_a_notice_of_one_session_is_allowed() -> None:
    """The spec's notice is a whole number of 1 or more."""
    assert FidelitySpec(notice=1).notice == 1


def test_a_service_names_other_models_techniques_with_their_aliases() -> None:
    """A service's own table of other models' techniques: a recorded name matches its name or an
    alias in any case, with spaces, hyphens or underscores (the data are fictional)."""
    mirror = OtherTechnique(
        name="mirror walk",
        model="a fictional model",
        source="fictional",
        aliases=["Mirror Walking"],
    )
    assert mirror.aliases == ("Mirror Walking",)
    spec = FidelitySpec(other_models=[mirror])
    assert spec.other("mirror_WALKING") is mirror
    assert spec.other("cognitive restructuring") is None


def test_bad_arguments_are_refused_in_words() -> None:
    """adherence names the argument of the wrong type and the type it must be."""
    course = _short_ipc()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"course": "a course"}, "course: must be an iptcore.Course, got str"),
        (
            {"course": course, "spec": {}},
            "spec: must be an iptcore.fidelity.FidelitySpec, got dict",
        ),
        (
            {"course": course, "catalogue": "mine"},
            "catalogue: must be an iptcore.Catalogue, got str",
        ),
    ]
    for arguments, message in cases:
        with pytest.raises(IptError) as info:
            adherence(**arguments)
        assert str(info.value) == message


def test_another_models_technique_is_matched_in_any_case_by_casefolding() -> None:
    """A technique of another model is recognised by name in any case: compared casefolded, as
    Unicode's caseless matching does, so that a name written in capitals matches one with a
    sharp s ("MASSNAHMENPLAN" is "Maßnahmenplan", a fictional name), which lower-casing alone
    would miss; spaces, hyphens and underscores count alike."""
    plan = OtherTechnique(name="Maßnahmenplan", model="a fictional model", source="fictional")
    assert plan.matches("MASSNAHMENPLAN")
    assert plan.matches("  maßnahmenplan ")
    assert not plan.matches("Massnahmen plan")
    spaced = OtherTechnique(name="thought record", model="CBT", source="fictional", aliases=["TR"])
    assert spaced.matches("Thought-Record")
    assert spaced.matches("thought__record")
    assert spaced.matches("tr")
