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
    FidelitySpec,
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
