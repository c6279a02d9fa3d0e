"""Tests of iptcore.rules: one example per rule and per ranking clause, each naming its source, and
property tests of the invariants (one area by default, deficits alone, order independence, ...).

The rules are the case format's default rules, Version 1.1, each resting on the IPT manuals
[GUIDE; ISIPT; KLERMAN1984; CASEBOOK]. Every case here is fictional. The three published vignettes
are rebuilt with invented details and their published focus (Miller 2005; Casebook of IPT,
perinatal chapter; Guide 2018).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import (
    Case,
    Contact,
    Dispute,
    DisputeStage,
    Event,
    EventKind,
    IptError,
    Patient,
    PatientScreening,
    Person,
    ProblemArea,
)
from iptcore.deidentify import deidentify
from iptcore.findings import Classification, Evidence, Finding
from iptcore.rules import DEFAULT_RULES, STUART_RULES, WHO_RULES, Rule, RuleSet, classify

GRIEF = ProblemArea.GRIEF
DISPUTE = ProblemArea.ROLE_DISPUTE
TRANSITION = ProblemArea.ROLE_TRANSITION
DEFICITS = ProblemArea.INTERPERSONAL_DEFICITS

ONSET = date(2025, 12, 1)
ASSESSED = date(2026, 3, 2)
ASSESSED_SAFE = PatientScreening(suicide_risk="none")


def person(pid: str, closeness: int = 1, role: str = "friend", **kw: Any) -> Person:
    return Person(id=pid, role=role, closeness=closeness, **kw)


def death(pid: str, day: date, mourning: str | None = None) -> Event:
    return Event(date=day, kind="death", person=pid, mourning=mourning)


def change(kind: str, day: date, **kw: Any) -> Event:
    return Event(date=day, kind=kind, **kw)


def case(
    people: tuple[Person, ...] = (),
    events: tuple[Event, ...] = (),
    *,
    onset: date = ONSET,
    assessed: date = ASSESSED,
    priority: str | None = None,
    isolation: str | None = None,
) -> Case:
    """A fictional case whose suicide risk was assessed (none), so that the only warnings are the
    rules' own; the screening cautions have their own tests."""
    return Case(
        id="fictional",
        assessed=assessed,
        onset=onset,
        people=people,
        events=events,
        priority=priority,
        patient=Patient(isolation=isolation, screening=ASSESSED_SAFE),
    )


def areas(result: Classification) -> list[ProblemArea]:
    return [f.area for f in result.candidates]


# Two close people in touch: enough attachment that deficits never fires by accident.
FRIENDS = (
    person("f1", 1, contact="weekly"),
    person("f2", 2, contact="monthly"),
)


# --------------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 12, 1), 12, date(2024, 12, 1)),
        (date(2024, 2, 29), 12, date(2023, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 15), 13, date(2023, 12, 15)),
        (date(1, 3, 1), 12, date.min),
    ],
)
def test_the_window_starts_the_same_day_calendar_months_earlier(
    day: date, months: int, expected: date
) -> None:
    """The case format's rules: "12 months before onset is the same day 12 calendar months
    earlier (29 February gives 28 February)"."""
    rules = attrs.evolve(DEFAULT_RULES, window_months=months)
    assert rules.window_start(day) == expected


@pytest.mark.parametrize("months", [0, 1201, 10**6])
def test_a_window_deidentify_refuses_is_refused_by_the_rule_set(months: int) -> None:
    """A rule set's window is one that :func:`deidentify` can keep every date in or out of
    (its ``windows`` take 1 to 1,200 months); any other is an IptError naming window_months,
    so that no rule set is made whose window cannot be passed on."""
    with pytest.raises(IptError, match="windows: each must be a whole number of months 1-1200"):
        deidentify(case(), seed="fictional key", windows=[months])
    with pytest.raises(
        IptError, match=f"RuleSet window_months must be a whole number of months from 1 to 1200, "
        f"got {months}"
    ):  # fmt: skip
        DEFAULT_RULES.evolve(window_months=months)


@pytest.mark.parametrize("months", [1, 1200])
def test_every_window_deidentify_takes_makes_a_rule_set(months: int) -> None:
    """The two ends of the range deidentify accepts make rule sets, and a copy deidentified
    with the rule set's window classifies as the original does."""
    rules = DEFAULT_RULES.evolve(window_months=months)
    mother = person("mother", 1, role="parent", contact="weekly")
    original = case((mother, *FRIENDS), (death("mother", date(2020, 6, 1)),))
    copy = deidentify(original, seed="fictional key", windows=[rules.window_months])
    assert classify(copy, rules).focus == classify(original, rules).focus == (GRIEF,)
    deferred = [f.deferred for f in classify(original, rules).candidates]
    assert deferred == [months == 1]  # 1 month: the death is before the window, grief to assess


# --------------------------------------------------------------------------------------------
# Rule 1: grief
# --------------------------------------------------------------------------------------------


def test_grief_a_close_death_in_the_window() -> None:
    """Rule 1 (the case format's default rules); "Death of a person close to the patient, associated with onset"
    [ISIPT]."""
    result = classify(case((person("ann", 1, "spouse"),), (death("ann", date(2025, 9, 1)),)))
    (finding,) = result.candidates
    assert result.focus == (GRIEF,)
    assert (finding.area, finding.anchor, finding.person) == (GRIEF, date(2025, 9, 1), "ann")
    assert finding.evidence.kind == "event"
    assert finding.evidence.days_from_onset == -91
    assert finding.evidence.event == death("ann", date(2025, 9, 1))
    assert "grief.death" in finding.rationale
    assert "[ISIPT; GUIDE; KLERMAN1984]" in finding.rationale
    assert not finding.deferred


@pytest.mark.parametrize(
    ("onset", "day", "found"),
    [
        (ONSET, date(2024, 12, 1), True),  # exactly 12 months before: windows include both ends
        (ONSET, date(2024, 11, 30), False),
        (date(2024, 2, 29), date(2023, 2, 28), True),  # 29 February gives 28 February
        (date(2024, 2, 29), date(2023, 2, 27), False),
        (ONSET, ASSESSED, True),  # the other end: the assessment day
    ],
)
def test_grief_window_includes_both_ends(onset: date, day: date, found: bool) -> None:
    """Rule 1 (a): "between 12 months before onset and assessed"; windows include both ends; a
    death just before the window is rule 1 (b), delayed grief to assess."""
    result = classify(case((person("ann", 1),), (death("ann", day),), onset=onset))
    assert result.focus == (GRIEF,)
    assert result.candidates[0].deferred is not found


def test_grief_a_death_after_onset_counts_as_maintenance() -> None:
    """Rule 1: the window runs to assessed; an area is a candidate when "the onset or maintenance
    of the depressive episode is associated with" its event [ISIPT]."""
    result = classify(case((person("ann", 2),), (death("ann", date(2026, 1, 10)),)))
    assert result.focus == (GRIEF,)
    assert result.candidates[0].evidence.days_from_onset == 40


@pytest.mark.parametrize("closeness", [3, 4])
def test_grief_needs_a_close_person(closeness: int) -> None:
    """Rule 1: "a death event of a person with closeness 1 or 2" (the case format); "Death of a
    person close to the patient" [ISIPT]."""
    result = classify(case((person("ann", closeness), *FRIENDS), (death("ann", date(2025, 9, 1)),)))
    assert result.candidates == ()
    grief = result.checked[0]
    assert grief.rule == "grief.death"
    assert grief.found == 0
    assert any("closeness" in note and "ann" in note for note in grief.notes)


def test_grief_resolved_mourning_is_not_grief() -> None:
    """Rule 1: "whose mourning is not resolved" (the case format)."""
    result = classify(
        case((person("ann", 1), *FRIENDS), (death("ann", date(2025, 9, 1), "resolved"),))
    )
    assert result.focus == ()
    assert any("resolved" in note for note in result.checked[0].notes)


@pytest.mark.parametrize("mourning", ["avoided", "prolonged"])
def test_grief_complicated_mourning_counts_however_long_ago(mourning: str) -> None:
    """Rule 1: "or has mourning avoided or prolonged (however long ago)"; "A death long before onset
    still qualifies when mourning was avoided" (the Guide's "hidden death") [GUIDE]."""
    old = death("ann", date(1999, 5, 1), mourning)
    result = classify(case((person("ann", 1, "parent"), *FRIENDS), (old,)))
    assert result.focus == (GRIEF,)
    assert "complicated grief" in result.candidates[0].rationale


def test_grief_delayed_a_son_who_died_three_years_ago_is_grief_to_assess() -> None:
    """Rule 1 (b): a close death before the window with mourning ongoing is delayed or chronic grief
    to assess [KLERMAN1984], the Guide's "hidden death" [GUIDE]; before, the patient was called
    isolated."""
    son = person("son", 1, "child", contact="never")
    result = classify(case((son,), (death("son", date(2022, 11, 20)),)))
    assert result.focus == (GRIEF,)
    (finding,) = result.candidates
    assert (finding.person, finding.deferred) == ("son", True)
    assert finding.prompt is not None
    assert "delayed or chronic grief" in finding.prompt
    assert "[KLERMAN1984; GUIDE]" in finding.prompt


def test_grief_delayed_ranks_after_every_other_candidate() -> None:
    """Rule 1 (b) "ranks after every candidate of (a), 2 and 3", latest first."""
    events = (
        death("dad", date(2015, 1, 1)),
        death("mum", date(2018, 1, 1)),
        change("job_loss", date(2026, 1, 20), coping="difficult"),
    )
    result = classify(case((person("dad", 1), person("mum", 2), *FRIENDS), events))
    assert [(f.area, f.anchor) for f in result.candidates] == [
        (TRANSITION, date(2026, 1, 20)),
        (GRIEF, date(2018, 1, 1)),
        (GRIEF, date(2015, 1, 1)),
    ]
    assert result.focus == (TRANSITION,)


def test_grief_a_pregnancy_loss_is_grieved_not_a_transition() -> None:
    """Rule 1 (c): a pregnancy loss in the window is grief, anchored on the event (a perinatal loss
    is mourned); a setting of the rule set, where the sources differ."""
    loss = change("pregnancy_loss", date(2025, 10, 1))
    result = classify(case(FRIENDS, (loss,)))
    assert [(f.area, f.anchor, f.rule) for f in result.candidates] == [
        (GRIEF, date(2025, 10, 1), "grief.death")
    ]
    assert result.candidates[0].evidence.event == loss
    as_change = classify(case(FRIENDS, (loss,)), DEFAULT_RULES.evolve(pregnancy_loss_grief=False))
    assert as_change.focus == (TRANSITION,)
    old = classify(case(FRIENDS, (change("pregnancy_loss", date(2023, 1, 1)),)))
    assert old.focus == ()


def test_grief_close_rings_and_window_are_settings() -> None:
    """The case format: "The window (12 months), the close rings (1-2) and the attachment threshold
    are settings of the rule set, not constants"."""
    distant = case((person("ann", 3), *FRIENDS), (death("ann", date(2025, 9, 1)),))
    assert classify(distant).focus == ()
    assert classify(distant, DEFAULT_RULES.evolve(close_rings={1, 2, 3})).focus == (GRIEF,)
    older = case((person("ann", 1), *FRIENDS), (death("ann", date(2025, 3, 1)),))
    assert not classify(older).candidates[0].deferred
    assert classify(older, DEFAULT_RULES.evolve(window_months=6)).candidates[0].deferred


# --------------------------------------------------------------------------------------------
# Rule 2: role dispute
# --------------------------------------------------------------------------------------------


def test_dispute_nonreciprocal_by_default_with_its_given_stage() -> None:
    """Rule 2 (the case format's default rules): "a person with a dispute of nonreciprocal expectations" (the
    default); "The stage is the given one"; "Non-reciprocal expectations" [ISIPT; GUIDE]."""
    partner = person("sam", 1, "partner", dispute=Dispute(since=date(2023, 4, 1), stage="impasse"))
    result = classify(case((partner,)))
    (finding,) = result.candidates
    assert result.focus == (DISPUTE,)
    assert (finding.anchor, finding.person) == (date(2023, 4, 1), "sam")
    assert (finding.stage, finding.stage_basis, finding.prompt) == (
        DisputeStage.IMPASSE,
        "given",
        None,
    )
    assert finding.evidence.kind == "dispute"
    assert finding.evidence.dispute == partner.dispute
    assert finding.evidence.days_from_onset == (date(2023, 4, 1) - ONSET).days


def test_dispute_reciprocal_expectations_are_not_a_dispute() -> None:
    """Rule 2: only "nonreciprocal expectations" (the case format) [ISIPT; GUIDE]."""
    boss = person(
        "bo", 2, "boss", dispute=Dispute(since=date(2025, 1, 1), expectations="reciprocal")
    )
    result = classify(case((boss, *FRIENDS)))
    assert result.focus == ()
    assert any("reciprocal" in n for n in result.checked[1].notes)


@pytest.mark.parametrize(
    ("ended", "found"),
    [
        (date(2025, 11, 30), False),  # ended the day before onset
        (ONSET, True),  # ended on onset: not "before onset"
        (date(2026, 1, 15), True),
        (None, True),
    ],
)
def test_dispute_that_ended_before_onset_does_not_count(ended: date | None, found: bool) -> None:
    """Rule 2: "that had not ended before onset" (the case format)."""
    dispute = Dispute(since=date(2025, 1, 1), ended=ended)
    result = classify(case((person("sam", 1, dispute=dispute), *FRIENDS)))
    assert (DISPUTE in result.focus) is found


def test_dispute_covert_conflict_in_rings_1_to_3_counts_ring_4_is_set_aside() -> None:
    """Rule 2 has no window; it counts "at least one significant other" at closeness 1-3 (a
    setting), "with current overt or covert conflict" [ISIPT; GUIDE]; ring 4 is set aside."""
    dispute = Dispute(since=date(2010, 1, 1), conflict="covert")
    result = classify(case((person("boss", 3, "boss", dispute=dispute), *FRIENDS)))
    assert result.focus == (DISPUTE,)
    assert "covert" in result.candidates[0].rationale
    far = case((person("boss", 4, "boss", dispute=dispute), *FRIENDS))
    assert classify(far).candidates == ()
    assert any("closeness 4" in n for n in classify(far).checked[1].notes)
    wide = DEFAULT_RULES.evolve(dispute_rings={1, 2, 3, 4})
    assert classify(far, wide).focus == (DISPUTE,)


@pytest.mark.parametrize("kind", ["separation", "divorce"])
def test_dispute_stage_inferred_as_dissolution(kind: str) -> None:
    """Rule 2: "without one it is dissolution when a separation or divorce event names that person"
    (the case format); dissolution: "beyond repair" [GUIDE]."""
    ex = person("ex", 1, "ex_partner", dispute=Dispute(since=date(2024, 6, 1)))
    ending = change(kind, date(2015, 1, 1), person="ex")
    result = classify(case((ex,), (ending,)))
    finding = result.finding(DISPUTE)
    assert finding is not None
    assert (finding.stage, finding.stage_basis) == (DisputeStage.DISSOLUTION, "inferred")
    assert finding.evidence.event == ending
    # "a separation is evidence, not proof, of dissolution": the clinician confirms it [GUIDE]
    assert finding.prompt is not None
    assert "evidence, not proof" in finding.prompt


def test_one_separation_is_one_candidate_the_disputes_evidence() -> None:
    """Rule 3: a separation that names a person whose dispute is a candidate is that dispute's
    evidence, not also a transition: one event never yields two candidates."""
    partner = person("sam", 1, "partner", dispute=Dispute(since=date(2025, 5, 1)))
    split = change("separation", date(2025, 10, 1), person="sam", coping="difficult")
    result = classify(case((partner, *FRIENDS), (split,)))
    assert [(f.area, f.person) for f in result.candidates] == [(DISPUTE, "sam")]
    assert result.focus == (DISPUTE,)
    assert result.candidates[0].stage is DisputeStage.DISSOLUTION
    assert any("evidence of the dispute with sam" in n for n in result.checked[2].notes)
    # Without a dispute rule, the separation is a transition again.
    alone = classify(
        case((partner, *FRIENDS), (split,)), DEFAULT_RULES.without("dispute.nonreciprocal")
    )
    assert alone.focus == (TRANSITION,)


def test_dispute_stage_unknown_asks_to_assess_it() -> None:
    """Rule 2: "and otherwise unknown (the finding says to assess it)" (the case format); a
    separation naming someone else infers nothing."""
    a = person("a", 1, dispute=Dispute(since=date(2024, 6, 1)))
    result = classify(
        case((a, person("b", 2)), (change("separation", date(2010, 1, 1), person="b"),))
    )
    finding = result.finding(DISPUTE)
    assert finding is not None
    assert finding.stage is None
    assert finding.stage_basis is None
    assert finding.prompt is not None
    assert "impasse" in finding.prompt
    assert "stage unknown" in result.describe()


# --------------------------------------------------------------------------------------------
# Rule 3: role transition
# --------------------------------------------------------------------------------------------

LIFE_CHANGES = [k for k in EventKind if k not in (EventKind.DEATH, EventKind.PREGNANCY_LOSS)]


@pytest.mark.parametrize("kind", LIFE_CHANGES)
def test_transition_every_life_change_in_the_window(kind: EventKind) -> None:
    """Rule 3: a life change (any kind but death and pregnancy loss); "Difficulty coping with a
    change of life circumstances" [ISIPT; GUIDE], the Casebook's examples [CASEBOOK]."""
    event = change(kind, date(2025, 10, 1), description="fictional change")
    result = classify(case(FRIENDS, (event,)))
    assert result.focus == (TRANSITION,)
    assert result.candidates[0].evidence.event == event
    # coping not given: the finding says to confirm the difficulty
    assert result.candidates[0].prompt is not None
    assert "difficulty" in result.candidates[0].prompt


def test_transition_needs_difficulty_a_promotion_coped_with_is_not_one() -> None:
    """Rule 3: the area is *difficulty* coping with a change [ISIPT; GUIDE]: coping ``adjusting``
    sets the change aside; ``difficult`` confirms it (no prompt)."""
    promotion = change("promotion", date(2025, 10, 1), coping="adjusting")
    result = classify(case(FRIENDS, (promotion,)))
    assert result.candidates == ()
    assert any("adjusting" in n for n in result.checked[2].notes)
    hard = classify(case(FRIENDS, (change("promotion", date(2025, 10, 1), coping="difficult"),)))
    assert hard.focus == (TRANSITION,)
    assert hard.candidates[0].prompt is None


@pytest.mark.parametrize(
    ("day", "found"),
    [(date(2024, 12, 1), True), (date(2024, 11, 30), False), (ASSESSED, True)],
)
def test_transition_window_includes_both_ends(day: date, found: bool) -> None:
    """Rule 3: "between 12 months before onset and assessed"; "windows include both ends"
    (the case format)."""
    result = classify(case(FRIENDS, (change("job_loss", day),)))
    assert (TRANSITION in result.focus) is found


def test_transition_a_death_is_grief_never_a_transition() -> None:
    """ "Only a death counts [as grief]: other losses are role transitions" [GUIDE]: a death of a
    distant person is neither."""
    result = classify(case((person("x", 4), *FRIENDS), (death("x", date(2025, 10, 1)),)))
    assert result.candidates == ()
    assert result.checked[2].notes == ("no life change on the timeline",)


# --------------------------------------------------------------------------------------------
# Rule 4: interpersonal deficits, and rule 5: no area
# --------------------------------------------------------------------------------------------


def test_deficits_when_nothing_else_and_few_close_people_in_touch() -> None:
    """Rule 4: no living confidant in touch, fewer than two living people at closeness 1-2 in touch
    daily, weekly or monthly; anchor onset; "a paucity of attachments" [GUIDE]."""
    result = classify(case((person("mum", 1, "parent", contact="monthly"),)))
    (finding,) = result.candidates
    assert result.focus == (DEFICITS,)
    assert finding.anchor == ONSET
    assert finding.person is None
    assert finding.evidence.kind == "inventory"
    assert finding.evidence.people == ("mum",)
    assert finding.evidence.days_from_onset == 0
    assert result.warnings == ()
    # patient.isolation not given: the long standing is to be confirmed
    assert finding.prompt is not None
    assert "long-standing" in finding.prompt
    assert classify(case(FRIENDS[:1], isolation="longstanding")).candidates[0].prompt is None


def test_deficits_a_married_man_with_his_wife_as_confidant_is_not_isolated() -> None:
    """Rule 4: "none of the above" with a long-standing paucity of attachments [GUIDE ch. 8]; a
    living confidant in touch rules it out, however few the close people."""
    wife = person("wife", 1, "spouse", contact="daily", confidant=True)
    result = classify(case((wife,)))
    assert result.focus == ()
    assert any("confidant in touch (wife)" in n for n in result.checked[3].notes)


def test_deficits_recent_isolation_is_part_of_the_episode() -> None:
    """Rule 4: not when ``patient.isolation`` is ``recent``: such patients are "isolated and lonely,
    and chronically so" [GUIDE]."""
    assert classify(case((), isolation="recent")).focus == ()
    assert classify(case((), isolation="longstanding")).focus == (DEFICITS,)


def test_deficits_a_dead_parent_in_daily_contact_is_not_in_touch() -> None:
    """ "A person whose death is recorded is never in touch, whatever their contact says": a
    deceased ring-1 parent whose contact still reads daily leaves one person in touch, not two."""
    mum = person("mum", 1, "parent", contact="daily")
    dad = person("dad", 1, "parent", contact="daily")
    result = classify(case((mum, dad), (death("dad", date(2015, 1, 1), "resolved"),)))
    assert result.focus == (DEFICITS,)
    assert result.candidates[0].evidence.people == ("mum",)


@pytest.mark.parametrize(
    ("people", "found"),
    [
        ((), True),
        ((person("a", 1, contact="daily"), person("b", 2, contact="weekly")), False),
        ((person("a", 1, contact="daily"), person("b", 2, contact="rarely")), True),
        ((person("a", 1, contact="daily"), person("b", 3, contact="daily")), True),
        ((person("a", 1, contact="daily"), person("b", 2)), True),  # contact not given
    ],
)
def test_deficits_counts_close_people_in_touch(people: tuple[Person, ...], found: bool) -> None:
    """Rule 4: "people at closeness 1-2 ... in touch daily, weekly or monthly" (the case format):
    rarely, never, farther rings and contact not given do not count."""
    assert (classify(case(people)).focus == (DEFICITS,)) is found


def test_deficits_contact_not_given_is_noted() -> None:
    """Rule 4 counts only contact that is given (the case format); the note says so."""
    result = classify(case((person("a", 1), person("b", 2, contact="daily"))))
    assert result.focus == (DEFICITS,)
    assert any("contact not given for a" in n for n in result.checked[3].notes)


def test_deficits_only_when_nothing_else_is_found() -> None:
    """Rule 4: "only when rules 1-3 find nothing" (the case format); "If any of the other problem
    areas can be found, do not use interpersonal deficits as a focus" [GUIDE]."""
    result = classify(case((), (change("relocation", date(2025, 10, 1)),)))
    assert result.focus == (TRANSITION,)
    deficits = result.checked[3]
    assert (deficits.rule, deficits.applied, deficits.found) == ("deficits.isolation", False, 0)


def test_deficits_attachment_threshold_is_a_setting() -> None:
    """The case format: the attachment threshold is "a setting of the rule set, not a constant"."""
    one_friend = case((person("a", 1, contact="daily"),))
    assert classify(one_friend).focus == (DEFICITS,)
    assert classify(one_friend, DEFAULT_RULES.evolve(attachment_threshold=1)).focus == ()
    monthly = case((person("a", 1, contact="monthly"), person("b", 1, contact="monthly")))
    weekly_only = DEFAULT_RULES.evolve(attachment_contacts=["daily", "weekly"])
    assert classify(monthly, weekly_only).focus == (DEFICITS,)


def test_deficits_warns_when_isolation_may_follow_a_set_aside_event() -> None:
    """ "Isolation that follows a death, dispute or life change is a consequence, not deficits:
    compare relationships before and during the episode" [CASEBOOK, Luty]."""
    result = classify(case((), (change("migration", date(2019, 6, 1)),)))
    assert result.focus == (DEFICITS,)
    (warning,) = result.warnings
    assert "migration on 2019-06-01" in warning
    assert "[CASEBOOK]" in warning


def test_no_area_is_explained() -> None:
    """Rule 5: "Otherwise no area is found: the result says so, with what was checked"
    (the case format)."""
    result = classify(case(FRIENDS))
    assert result.focus == ()
    assert result.candidates == ()
    assert result.primary is None
    assert [c.rule for c in result.checked] == list(DEFAULT_RULES.ids)
    assert all(c.applied and c.found == 0 for c in result.checked)
    assert result.checked[0].notes == ("no death on the timeline",)
    assert result.checked[1].notes == ("no person has a dispute",)
    assert "not fewer than 2" in result.checked[3].notes[0]
    text = result.describe()
    assert "no problem area found" in text
    assert "no death on the timeline" in text
    # rule 5: the result says what to look for
    for words in ("hidden or delayed loss", "covert dispute", "change not yet named"):
        assert words in result.focus_note
        assert words in text


# --------------------------------------------------------------------------------------------
# Ranking and focus
# --------------------------------------------------------------------------------------------


def test_ranking_anchors_on_or_before_onset_rank_above_those_after() -> None:
    """Ranking: "Candidates anchored on or before onset rank above those after it"
    (the case format); an anchor on the onset day counts as before."""
    events = (change("job_loss", date(2026, 1, 5)), change("relocation", ONSET))
    result = classify(case((person("a", 1), *FRIENDS), (*events, death("a", date(2026, 1, 2)))))
    assert [f.anchor for f in result.candidates] == [ONSET, date(2026, 1, 2), date(2026, 1, 5)]


def test_ranking_before_onset_the_latest_anchor_first() -> None:
    """Ranking: "before onset, the latest anchor first" (the case format)."""
    sam = person("sam", 1, dispute=Dispute(since=date(2025, 11, 1)))
    events = (change("new_job", date(2025, 6, 1)), death("ann", date(2025, 2, 1)))
    result = classify(case((sam, person("ann", 1)), events))
    assert areas(result) == [DISPUTE, TRANSITION, GRIEF]
    assert result.focus == (DISPUTE,)


def test_ranking_after_onset_the_earliest_anchor_first() -> None:
    """Ranking: "after onset, the earliest first" (the case format)."""
    events = (change("job_loss", date(2026, 2, 1)), death("ann", date(2026, 1, 1)))
    result = classify(case((person("ann", 1),), events))
    assert areas(result) == [GRIEF, TRANSITION]


def test_ranking_ties_go_grief_dispute_transition() -> None:
    """Ranking: "ties go grief, role dispute, role transition" (the case format)."""
    day = date(2025, 10, 1)
    sam = person("sam", 1, dispute=Dispute(since=day))
    result = classify(case((sam, person("ann", 1)), (change("illness", day), death("ann", day))))
    assert areas(result) == [GRIEF, DISPUTE, TRANSITION]
    assert result.focus == (GRIEF,)


def test_priority_moves_its_area_first() -> None:
    """Ranking: "A priority that names a candidate's area moves that area first" (the case format);
    "depending on which one seems most important to the patient" [GUIDE]."""
    sam = person("sam", 1, dispute=Dispute(since=date(2025, 11, 1)))
    events = (change("new_job", date(2025, 6, 1)), change("relocation", date(2025, 5, 1)))
    result = classify(case((sam, *FRIENDS), events, priority="role_transition"))
    assert areas(result) == [TRANSITION, TRANSITION, DISPUTE]
    assert [f.anchor for f in result.candidates[:2]] == [date(2025, 6, 1), date(2025, 5, 1)]
    assert result.focus == (TRANSITION,)
    assert result.warnings == ()
    assert "chosen with the patient" in result.focus_note


def test_without_a_priority_the_primary_area_is_provisional_and_the_patient_chooses() -> None:
    """ "Try to focus treatment on only one problem area, depending on which one seems most
    important to the patient" [GUIDE ch. 6]: without a priority, the ranking is a heuristic."""
    result = classify(case(FRIENDS, (change("new_job", date(2025, 6, 1)),)))
    assert "provisional" in result.focus_note
    assert "the patient chooses" in result.focus_note
    assert result.focus_note in result.describe()


def test_priority_naming_no_candidate_is_a_warning_not_an_error() -> None:
    """Ranking: "A priority that names no candidate is kept as a warning on the result, not an
    error" (the case format)."""
    result = classify(case(FRIENDS, (change("new_job", date(2025, 6, 1)),), priority="grief"))
    assert result.focus == (TRANSITION,)
    assert result.priority is GRIEF
    assert any("priority grief" in w for w in result.warnings)


def test_focus_is_one_area_by_default_at_most_two() -> None:
    """Focus: one area by default, "only one problem area" [GUIDE ch. 6]; ``max_focus`` 2 lets the
    next candidate of another area join; the others stay candidates with their evidence."""
    sam = person("sam", 1, dispute=Dispute(since=date(2025, 8, 1)))
    events = (death("ann", date(2025, 10, 1)), change("retirement", date(2025, 9, 1)))
    c = case((sam, person("ann", 1)), events)
    result = classify(c)
    assert areas(result) == [GRIEF, TRANSITION, DISPUTE]
    assert result.focus == (GRIEF,)
    assert classify(c, DEFAULT_RULES.evolve(max_focus=2)).focus == (GRIEF, TRANSITION)


def test_focus_second_area_is_the_next_candidate_of_another_area() -> None:
    """Focus: "the first candidate's area plus the next candidate of another area, if there is one"
    (the case format)."""
    events = (change("job_loss", date(2025, 11, 1)), change("relocation", date(2025, 10, 1)))
    assert classify(case(FRIENDS, events), DEFAULT_RULES.evolve(max_focus=2)).focus == (TRANSITION,)


def test_focus_never_puts_deficits_beside_another_area() -> None:
    """Focus: "deficits never beside another area" (the case format), even with a rule set whose
    deficits rule is no longer a last resort."""
    eager = DEFAULT_RULES.evolve(
        rules=(*DEFAULT_RULES.rules[:3], attrs.evolve(DEFAULT_RULES.rules[3], last_resort=False))
    )
    moved = case((), (change("new_job", date(2025, 6, 1)),))
    lonely_first = classify(moved, eager)  # deficits anchor at onset: the latest before it
    assert areas(lonely_first) == [DEFICITS, TRANSITION]
    assert lonely_first.focus == (DEFICITS,)
    chosen = classify(attrs.evolve(moved, priority="role_transition"), eager)
    assert areas(chosen) == [TRANSITION, DEFICITS]
    assert chosen.focus == (TRANSITION,)


# --------------------------------------------------------------------------------------------
# The published vignettes (fictional details, published focus)
# --------------------------------------------------------------------------------------------


def test_vignette_late_life_widow_is_grief() -> None:
    """Miller 2005 (after): a 74-year-old widow whose husband of 45 years died 6 months before
    assessment, tearful and withdrawn since: grief [ISIPT; GUIDE]."""
    widow = Case(
        id="fictional-widow",
        assessed=date(2026, 2, 10),
        onset=date(2025, 8, 25),
        people=(
            person("husband", 1, "spouse", contact="never"),
            person("daughter", 2, "child", contact="weekly"),
            person("neighbour", 3, "neighbour", contact="rarely"),
        ),
        events=(death("husband", date(2025, 8, 10)),),
    )
    result = classify(attrs.evolve(widow, patient=Patient(screening=ASSESSED_SAFE)))
    assert result.focus == (GRIEF,)
    assert result.candidates[0].person == "husband"
    assert result.warnings == ()


def test_vignette_perinatal_transition_then_dispute_at_impasse() -> None:
    """Casebook of IPT, perinatal chapter (after): an unplanned pregnancy a month before onset and a
    long-running impasse with her partner: role transition first, role dispute second, stage
    impasse [CASEBOOK; GUIDE]."""
    perinatal = Case(
        id="fictional-perinatal",
        assessed=date(2026, 4, 14),
        onset=date(2026, 2, 1),
        people=(
            person(
                "partner",
                1,
                "partner",
                contact="daily",
                dispute=Dispute(since=date(2023, 9, 1), stage="impasse", conflict="covert"),
            ),
            person("sister", 2, "sibling", contact="weekly"),
        ),
        events=(
            change("pregnancy", date(2026, 1, 2), description="unplanned", coping="difficult"),
        ),
    )
    result = classify(perinatal)
    assert result.focus == (TRANSITION,)  # one area by default; the dispute stays a candidate
    assert areas(result) == [TRANSITION, DISPUTE]
    assert classify(perinatal, DEFAULT_RULES.evolve(max_focus=2)).focus == (TRANSITION, DISPUTE)
    dispute = result.finding(DISPUTE)
    assert dispute is not None
    assert dispute.stage is DisputeStage.IMPASSE
    assert result.candidates[0].evidence.days_from_onset == -30


def test_vignette_few_attachments_is_deficits() -> None:
    """Guide 2018 (after): a man with a mother he sees monthly and a coworker, no deaths, disputes
    or changes: interpersonal deficits [GUIDE]."""
    lonely = Case(
        id="fictional-deficits",
        assessed=date(2026, 5, 4),
        onset=date(2025, 11, 1),
        people=(person("mother", 2, "parent", contact="monthly"), person("cw", 3, "coworker")),
        patient=Patient(isolation="longstanding", screening=ASSESSED_SAFE),
    )
    result = classify(lonely)
    assert result.focus == (DEFICITS,)
    assert result.warnings == ()
    assert result.candidates[0].prompt is None


@pytest.mark.parametrize(
    ("name", "focus"),
    [("widow", (GRIEF,)), ("perinatal", (TRANSITION,)), ("deficits", (DEFICITS,))],
)
def test_shipped_vignettes_classify_as_published(name: str, focus: tuple[ProblemArea, ...]) -> None:
    """The shipped teaching vignettes (Miller 2005; Casebook, perinatal; Guide 2018) keep their
    published focus under the default rules (the case format)."""
    from iptcore.vignettes import vignette

    assert classify(vignette(name)).focus == focus


# --------------------------------------------------------------------------------------------
# Rule sets, labels, variants, extension
# --------------------------------------------------------------------------------------------


def test_who_rules_rename_the_areas_only() -> None:
    """WHO group IPT "renames them grief, disputes, life changes, loneliness/social isolation"
    [WHO]: same findings, other labels."""
    c = case(FRIENDS, (change("new_job", date(2025, 6, 1)),))
    who = classify(c, WHO_RULES)
    assert who.candidates == classify(c).candidates
    assert [who.label(a) for a in ProblemArea] == [
        "grief",
        "disputes",
        "life changes",
        "loneliness",
    ]
    assert "Focus: life changes" in who.describe()


def test_stuart_rules_have_three_areas_and_sensitivity_as_a_modifier() -> None:
    """Stuart & Robertson "use three areas and treat interpersonal sensitivity as a complicating
    factor" [STUART]."""
    assert DEFICITS not in {r.area for r in STUART_RULES.rules}
    # Sensitivity is the clinician's judgement (patient.isolation), never a count of contacts.
    lonely = case((person("mum", 1, contact="monthly"),), isolation="longstanding")
    result = classify(lonely, STUART_RULES)
    assert result.focus == ()
    assert any("interpersonal sensitivity" in w for w in result.warnings)
    move = (change("relocation", date(2025, 9, 1)),)
    moved = classify(case((), move, isolation="longstanding"), STUART_RULES)
    assert moved.focus == (TRANSITION,)
    assert moved.candidates[0].modifiers == ("interpersonal_sensitivity",)
    few_contacts = classify(case((), move), STUART_RULES)
    assert few_contacts.candidates[0].modifiers == ()


def test_rule_sets_are_values_copied_and_changed() -> None:
    """The case format: the settings are "settings of the rule set, not constants"; a rule set
    is a value users can copy, change and pass in."""
    six = DEFAULT_RULES.evolve(window_months=6)
    assert DEFAULT_RULES.window_months == 12
    assert six.window_months == 6
    assert six != DEFAULT_RULES
    assert DEFAULT_RULES.evolve() == DEFAULT_RULES
    assert hash(DEFAULT_RULES) == hash(DEFAULT_RULES.evolve())
    assert "window 12 months" in DEFAULT_RULES.describe()
    assert "6 months before onset" in six.words("transition.life_change")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        DEFAULT_RULES.window_months = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window": 6}, "no setting window"),
        ({"window_months": -1}, "window_months must be"),
        ({"window_months": 1.5}, "window_months must be"),
        ({"close_rings": {0, 1}}, "close_rings must be"),
        ({"close_rings": ()}, "close_rings must be"),
        ({"attachment_threshold": True}, "attachment_threshold must be"),
        ({"attachment_contacts": ["often"]}, "attachment_contacts must be"),
        ({"max_focus": 0}, "max_focus must be 1 or 2"),
        ({"dispute_rings": {5}}, "dispute_rings must be"),
        ({"pregnancy_loss_grief": 1}, "pregnancy_loss_grief must be True or False"),
        ({"labels": {"grief": 3}}, "labels must be a mapping"),
        ({"labels": {"sadness": "x"}}, "labels must be a mapping"),
        ({"rules": (DEFAULT_RULES.rules[0], DEFAULT_RULES.rules[0])}, "repeat the id"),
        ({"rules": ("grief",)}, "rules must be a tuple of Rule"),
    ],
)
def test_bad_settings_raise_ipterror_naming_them(changes: dict[str, Any], message: str) -> None:
    """Bad input raises IptError naming the setting (the errors' contract)."""
    with pytest.raises(IptError, match=message):
        DEFAULT_RULES.evolve(**changes)


def _always_grief(c: Case, rules: RuleSet) -> list[Finding | str]:
    """A user's rule (fictional): any patient born before 1950 gets a grief candidate at onset."""
    if c.patient is None or c.patient.born is None or c.patient.born >= 1950:
        return ["patient not born before 1950"]
    return [
        Finding(
            area="grief",
            anchor=c.onset,
            rule="user.elders",
            source="[local]",
            rationale="Rule user.elders [local]: born before 1950.",
            evidence=Evidence(kind="patient", date=c.onset, days_from_onset=0, summary="born"),
        )
    ]


USER_RULE = Rule(
    id="user.elders",
    area="grief",
    source="[local]",
    quote="a local rule, for the test",
    looks_for="a patient born before 1950",
    find=_always_grief,
)


def test_extend_adds_a_users_rule_and_keeps_the_ranking() -> None:
    """A rule set users copy, change, pass in, or extend with their own rules; ranking per the
    case format."""
    extended = DEFAULT_RULES.extend(USER_RULE, name="local")
    assert extended.ids[-1] == "user.elders"
    assert extended.name == "local"
    assert classify(case(FRIENDS), extended).focus == ()
    elder = attrs.evolve(case(FRIENDS), patient=Patient(born=1940))
    result = classify(elder, extended)
    assert result.focus == (GRIEF,)
    assert result.candidates[0].rule == "user.elders"
    assert extended.without("user.elders") == DEFAULT_RULES.evolve(name="local")
    with pytest.raises(IptError, match="no rule 'nope'"):
        extended.without("nope")
    with pytest.raises(IptError, match="repeat the id"):
        extended.extend(USER_RULE)


def test_a_rule_that_yields_nonsense_raises_ipterror() -> None:
    """Rules must yield Findings of their area or str notes (the Rule contract)."""
    wrong_area = attrs.evolve(USER_RULE, area="role_dispute")
    elder = attrs.evolve(case(FRIENDS), patient=Patient(born=1940))
    with pytest.raises(IptError, match=r"user\.elders"):
        classify(elder, DEFAULT_RULES.extend(wrong_area))
    junk = attrs.evolve(USER_RULE, find=lambda c, r: [42])
    with pytest.raises(IptError, match="yielded 42"):
        classify(elder, DEFAULT_RULES.extend(junk))


LONE_BRACE = "a { or } outside a placeholder: a brace of the text is written {{ or }}"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("born before 1950 {", LONE_BRACE),
        ("born before 1950 }", LONE_BRACE),
        ("born in {window", LONE_BRACE),
        ("born in {nope}", "{nope} is none of them"),
        ("born in {0}", "{0} is none of them"),
        ("born in {}", "{} is none of them"),
        ("born in {window!r}", "{window!r} is none of them"),
        ("born in {rings[0]}", "{rings[0]} is none of them"),
        ("{window:>9} and {x}", "{window:>9} is none of them; {x} is none of them"),
    ],
)
def test_a_looks_for_that_is_no_template_is_refused_when_the_rule_is_made(
    text: str, problem: str
) -> None:
    """A rule's looks_for is a template with five placeholders (the Rule's docs): a brace or a
    placeholder that no rule set can fill in is an IptError naming looks_for and what is wrong,
    when the rule is made, never a KeyError, IndexError or ValueError from RuleSet.extend later."""
    places = "{window}, {rings}, {dispute_rings}, {threshold}, {contacts}"
    expected = f"looks_for: must be text whose only placeholders are {places} ({problem})"
    with pytest.raises(IptError) as refused:
        attrs.evolve(USER_RULE, looks_for=text)
    assert str(refused.value) == f"{expected}, got {text!r}"


def test_a_rules_own_braces_are_doubled_and_classify_shows_them_once() -> None:
    """A brace of the text itself is written doubled, as the Rule's docs say; the placeholders are
    filled in from the rule set's settings, and classify reports the text as filled in."""
    text = "a patient born before 1950 {{in a {window} window}}, rings {rings} or {dispute_rings}"
    extended = DEFAULT_RULES.extend(attrs.evolve(USER_RULE, looks_for=text))
    shown = "a patient born before 1950 {in a 12 months window}, rings 1-2 or 1-3"
    assert extended.words("user.elders") == shown
    result = classify(case(FRIENDS), extended)
    assert result.checked[-1].looked_for == shown
    assert f"(user.elders [local]): {shown}" in result.describe()
    six = extended.evolve(window_months=6, close_rings={1}, attachment_threshold=3)
    assert six.words("user.elders") == (
        "a patient born before 1950 {in a 6 months window}, rings 1 or 1-3"
    )
    every = attrs.evolve(USER_RULE, looks_for="{threshold} {contacts}")
    assert DEFAULT_RULES.extend(every).words("user.elders") == "2 daily, weekly or monthly"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: classify({"id": "x"}), r"case: must be an iptcore\.Case"),  # type: ignore[arg-type]
        (lambda: classify(case(), rules="default"), r"rules: must be an iptcore\.RuleSet"),  # type: ignore[arg-type]
        (lambda: Finding(area="sadness", anchor=ONSET, rule="r", source="s", rationale="r",
                         evidence=None), "Finding.area"),  # type: ignore[arg-type]
        (lambda: Evidence(kind="event", date="2025-01-01", days_from_onset=0, summary=""),
         "Evidence.date"),  # type: ignore[arg-type]
        (lambda: Rule(id="r", area="grief", source="", quote="", looks_for="", find=3),
         "Rule.find must be a function"),  # type: ignore[arg-type]
        (lambda: DEFAULT_RULES.rule("nope"), "no rule 'nope'"),
        (lambda: classify(case()).label("sadness"), "not a problem area"),
    ],
)  # fmt: skip
def test_bad_arguments_raise_ipterror(build: Any, message: str) -> None:
    """Bad input gets an IptError naming the argument, never a TypeError (the errors' contract)."""
    with pytest.raises(IptError, match=message):
        build()


def test_to_dict_is_json_ready_and_describe_is_readable() -> None:
    """The CLI prints ``describe()`` and ``to_dict()`` (a readable and a JSON-ready form)."""
    sam = person("sam", 1, dispute=Dispute(since=date(2025, 8, 1)))
    result = classify(
        case((sam,), (change("new_job", date(2025, 10, 1)),), priority="grief"),
        DEFAULT_RULES.evolve(max_focus=2),
    )
    data = json.loads(json.dumps(result.to_dict()))
    assert data["focus"] == ["role_transition", "role_dispute"]
    assert data["rules"] == "default"
    assert data["priority"] == "grief"
    first = data["candidates"][0]
    assert first["evidence"]["event"]["kind"] == "new_job"
    assert first["evidence"]["days_from_onset"] == -61
    assert data["candidates"][1]["evidence"]["dispute"]["since"] == "2025-08-01"
    assert [c["rule"] for c in data["checked"]] == list(DEFAULT_RULES.ids)
    text = result.describe()
    for words in ("Focus: role transition, then role dispute", "evidence:", "why:", "to do:", "!"):
        assert words in text


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


def _year_before(day: date) -> date:
    """12 calendar months earlier, written independently of the code under test."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@st.composite
def near_cases(draw: st.DrawFn, max_people: int = 6, max_events: int = 6) -> Case:
    """Valid fictional cases whose dates crowd around onset and the window's edges."""
    onset = draw(st.dates(date(2001, 1, 1), date(2030, 12, 31)))
    assessed = onset + timedelta(days=draw(st.integers(0, 400)))
    start = _year_before(onset)
    edges = [start - timedelta(days=1), start, onset, onset + timedelta(days=1), assessed]

    def day(latest: date = assessed) -> date:
        edge = st.sampled_from([d for d in edges if d <= latest] or [latest])
        spread = st.integers(-1500, (latest - onset).days).map(lambda d: onset + timedelta(days=d))
        return draw(edge | spread)

    ids = [f"p{i}" for i in range(draw(st.integers(0, max_people)))]
    people = []
    for pid in ids:
        dispute = None
        if draw(st.integers(0, 2)) == 0:
            since, other = day(), day()
            ended = draw(st.sampled_from([None, since, max(since, other)]))
            dispute = Dispute(
                since=since,
                ended=ended,
                expectations=draw(st.sampled_from([None, "nonreciprocal", "reciprocal"])),
                stage=draw(st.none() | st.sampled_from(DisputeStage)),
            )
        people.append(
            Person(
                id=pid,
                role=draw(st.sampled_from(["partner", "parent", "friend", "boss"])),
                closeness=draw(st.integers(1, 4)),
                contact=draw(st.none() | st.sampled_from(Contact)),
                confidant=draw(st.sampled_from([None, False, True])),
                dispute=dispute,
            )
        )
    events = []
    dead: set[str | None] = set()
    for _ in range(draw(st.integers(0, max_events))):
        kinds = ["separation", "divorce", "new_job", "other_change", "pregnancy_loss"] + (
            ["death"] * 2 if ids else []
        )
        kind = draw(st.sampled_from(kinds))
        who = draw(st.sampled_from(ids)) if kind == "death" else draw(st.sampled_from([None, *ids]))
        when = day()
        if kind == "death":  # a person dies once, and has no dispute that begins after the death
            since = {p.id: p.dispute.since for p in people if p.dispute is not None}
            if who in dead or since.get(who, when) > when:
                continue
            dead.add(who)
        events.append(
            Event(
                date=when,
                kind=kind,
                person=who,
                mourning=draw(st.none() | st.sampled_from(["ongoing", "avoided", "resolved"]))
                if kind == "death"
                else None,
                description=draw(st.sampled_from(["a", "b"])) if kind == "other_change" else None,
                coping=None
                if kind == "death"
                else draw(st.sampled_from([None, "difficult", "adjusting"])),
            )
        )
    return Case(
        id="fictional-prop",
        assessed=assessed,
        onset=onset,
        people=tuple(people),
        events=tuple(events),
        priority=draw(st.none() | st.sampled_from(ProblemArea)),
        patient=Patient(isolation=draw(st.sampled_from([None, "longstanding", "recent"]))),
    )


def _testing_cases() -> st.SearchStrategy[Case]:
    """The shipped strategies (iptcore.testing) and ours, whose dates crowd the window's edges."""
    from iptcore.testing import cases

    return cases() | near_cases()


def oracle(c: Case) -> tuple[tuple[str, ...], list[tuple[str, date, str | None, str | None]]]:
    """The case format's default rules, Version 1.1, re-written plainly in the test, as an
    independent check: (focus, ranked candidates as (area, anchor, person, stage))."""
    start, found, late = _year_before(c.onset), [], []
    near = {p.id: p.closeness for p in c.people}
    dead = {e.person for e in c.events if e.kind == "death"}
    split = {e.person for e in c.events if e.kind in ("separation", "divorce")}
    disputed = set()
    for p in c.people:
        d = p.dispute
        if (
            d
            and p.closeness <= 3
            and d.expectations != "reciprocal"
            and (d.ended is None or d.ended >= c.onset)
        ):
            disputed.add(p.id)
            stage = d.stage or ("dissolution" if p.id in split else None)
            found.append(("role_dispute", d.since, p.id, stage))
    for e in c.events:
        mourning = e.mourning or "ongoing"
        if e.kind == "death":
            if near[e.person or ""] > 2 or mourning == "resolved":
                continue
            if start <= e.date or mourning in ("avoided", "prolonged"):
                found.append(("grief", e.date, e.person, None))
            else:
                late.append(("grief", e.date, e.person, None))
        elif start <= e.date and e.kind == "pregnancy_loss":
            found.append(("grief", e.date, None, None))
        elif start <= e.date and e.coping != "adjusting" and e.kind != "pregnancy_loss":
            evidence_of_dispute = e.kind in ("separation", "divorce") and e.person in disputed
            if not evidence_of_dispute:
                found.append(("role_transition", e.date, e.person, None))
    living = [
        p for p in c.people if p.id not in dead and p.contact in ("daily", "weekly", "monthly")
    ]
    close = [p for p in living if p.closeness <= 2]
    confidant = any(p.confidant for p in living)
    recent = c.patient is not None and c.patient.isolation == "recent"
    if not found and not late and len(close) < 2 and not confidant and not recent:
        found.append(("interpersonal_deficits", c.onset, None, None))
    order = ["grief", "role_dispute", "role_transition", "interpersonal_deficits"]
    found.sort(
        key=lambda f: (f[1] > c.onset, abs((f[1] - c.onset).days), order.index(f[0]), f[2] or "")
    )
    found += sorted(late, key=lambda f: (-f[1].toordinal(), f[2] or ""))
    if c.priority in [f[0] for f in found]:
        found.sort(key=lambda f: f[0] != c.priority)
    return tuple(f[0] for f in found[:1]), found


@given(near_cases())
def test_property_agrees_with_an_independent_reading_of_the_rules(c: Case) -> None:
    """The case format's default rules and ranking, checked against a plain re-implementation."""
    focus, expected = oracle(c)
    result = classify(c)
    assert tuple(result.focus) == focus
    got = [(f.area.value, f.anchor, f.person, f.stage and f.stage.value) for f in result.candidates]
    assert [g[:2] for g in got] == [e[:2] for e in expected]
    assert sorted(got, key=repr) == sorted(expected, key=repr)


@given(_testing_cases())
def test_property_at_most_two_areas_and_deficits_alone(c: Case) -> None:
    """ "Focus on one, at most two areas" [GUIDE]; "deficits never beside another area" and
    "deficits only when nothing else is found" (the case format)."""
    for rules in (DEFAULT_RULES, STUART_RULES, DEFAULT_RULES.evolve(max_focus=2)):
        result = classify(c, rules)
        assert len(result.focus) <= rules.max_focus
        assert len(set(result.focus)) == len(result.focus)
        if result.candidates:
            assert result.focus[0] is result.candidates[0].area
        if DEFICITS in result.focus:
            assert result.focus == (DEFICITS,)
        if DEFICITS in areas(result):
            assert set(areas(result)) == {DEFICITS}


@given(_testing_cases(), st.randoms(use_true_random=False))
def test_property_input_order_does_not_matter(c: Case, rng: random.Random) -> None:
    """The result does not depend on input order: same case, same result."""
    people, events = list(c.people), list(c.events)
    rng.shuffle(people)
    rng.shuffle(events)
    shuffled = attrs.evolve(c, people=tuple(people), events=tuple(events))
    assert classify(shuffled) == classify(c)
    assert classify(shuffled, STUART_RULES) == classify(c, STUART_RULES)


@given(_testing_cases(), st.integers(3, 4), st.sampled_from(Contact))
def test_property_an_unrelated_distant_acquaintance_changes_nothing(
    c: Case, ring: int, contact: Contact
) -> None:
    """Only close people (rings 1-2, the case format) and those named by events or disputes count:
    adding a distant acquaintance with no dispute and no event changes nothing."""
    stranger = Person(id="zz-acquaintance", role="neighbour", closeness=ring, contact=contact)
    if any(p.id == stranger.id for p in c.people):
        return
    assert classify(attrs.evolve(c, people=(*c.people, stranger))) == classify(c)


@given(near_cases(), st.integers(1, 2**32))  # 0 is no key
def test_property_deidentified_cases_classify_the_same(c: Case, seed: int) -> None:
    """Deidentification renames people and shifts every date by one offset (the deidentifier's contract): the
    focus, the areas in rank order, their days from onset and the stages stay the same."""
    copy = c.deidentify(seed=seed)
    before, after = classify(c), classify(copy)
    assert after.focus == before.focus

    def shape(r: Classification) -> list[tuple[Any, ...]]:
        return [(f.area, f.evidence.days_from_onset, f.stage, f.stage_basis) for f in r.candidates]

    assert [s[:2] for s in shape(after)] == [s[:2] for s in shape(before)]
    assert sorted(shape(after), key=repr) == sorted(shape(before), key=repr)
    assert len(after.warnings) == len(before.warnings)


def test_rule_sets_and_classifications_pickle() -> None:
    """Rule sets and results cross to process pools (simulate_cohort on an executor)."""
    import copy
    import pickle

    from iptcore import DEFAULT_RULES, STUART_RULES, classify
    from iptcore.vignettes import vignette

    for rules in (DEFAULT_RULES, STUART_RULES):
        assert pickle.loads(pickle.dumps(rules)) == rules
        result = classify(vignette("perinatal"), rules)
        assert pickle.loads(pickle.dumps(result)) == result
        assert copy.deepcopy(result) == result


# --------------------------------------------------------------------------------------------
# Every branch of the default rules, decisions and wording apart (folded from the former
# mutation-test file). For fictional cases that reach every branch of the default rules
# (Version 1.1), two things are checked apart:
#
# - the decisions (focus, candidates as area, anchor, person and stage), against DECISIONS,
#   a table written by hand from the rules [GUIDE; ISIPT; KLERMAN1984], not from the output;
# - the wording: tests/rules_golden.json holds what classify reports, in full (rationales, notes,
#   warnings, describe()), compared whole. When a wording changes on purpose, regenerate it
#   (``python tests/test_rules.py``) and read the diff; the decisions table never is.
# --------------------------------------------------------------------------------------------


def _golden_file() -> Any:
    from pathlib import Path

    return Path(__file__).with_name("rules_golden.json")


def _case(
    cid: str, people: tuple[Person, ...] = (), events: tuple[Event, ...] = (), **more: Any
) -> Case:
    return Case(id=cid, assessed=ASSESSED, onset=ONSET, people=people, events=events, **more)


def _p(pid: str, closeness: int = 1, contact: str | None = "weekly", **more: Any) -> Person:
    return Person(id=pid, role="friend", closeness=closeness, contact=contact, **more)


def _cases() -> dict[str, tuple[Case, RuleSet]]:
    """Fictional cases reaching every branch of the default rules, with the rule set to use."""
    from iptcore import Measure

    d = date
    lonely = tuple(_p(f"c{i}", closeness=3) for i in range(10))
    many_in_touch = tuple(_p(f"t{i:02d}") for i in range(10))
    return {
        "grief in window, and one long ago complicated": (
            _case(
                "g1",
                (_p("mum"), _p("dad", 2), _p("far", 3), _p("done"), _p("gran")),
                (
                    Event(date=d(2025, 9, 1), kind="death", person="mum"),
                    Event(date=d(2015, 1, 5), kind="death", person="dad", mourning="prolonged"),
                    Event(date=d(2015, 1, 6), kind="death", person="far"),
                    Event(date=d(2025, 10, 1), kind="death", person="done", mourning="resolved"),
                    Event(date=d(2014, 1, 1), kind="death", person="gran", mourning="ongoing"),
                ),
            ),
            DEFAULT_RULES,
        ),
        "disputes: given, inferred, to assess, reciprocal, ended": (
            _case(
                "d1",
                (
                    _p(
                        "a",
                        dispute=Dispute(since=d(2025, 6, 1), stage="impasse", conflict="covert"),
                    ),
                    _p("b", dispute=Dispute(since=d(2025, 7, 1), ended=d(2026, 1, 10))),
                    _p("c", dispute=Dispute(since=d(2025, 8, 1))),
                    _p("e", dispute=Dispute(since=d(2025, 8, 1), expectations="reciprocal")),
                    _p("f", dispute=Dispute(since=d(2024, 8, 1), ended=d(2025, 1, 1))),
                ),
                (
                    Event(date=d(2026, 1, 10), kind="separation", person="b"),
                    Event(date=d(2025, 12, 1), kind="new_job"),
                ),
                priority="role_transition",
            ),
            DEFAULT_RULES,
        ),
        "transitions in and out of the window, on, before and after onset": (
            _case(
                "t1",
                (_p("boss"),),
                (
                    Event(
                        date=d(2025, 12, 1), kind="job_loss", person="boss", description="laid off"
                    ),
                    Event(date=d(2025, 12, 2), kind="relocation"),
                    Event(date=d(2025, 11, 30), kind="other_change", description="a change"),
                    Event(date=d(2024, 11, 30), kind="illness"),
                    Event(date=d(2024, 12, 1), kind="graduation"),
                ),
                priority="grief",
            ),
            DEFAULT_RULES,
        ),
        "deficits with contact unknown and a warning of what came before": (
            _case(
                "i1",
                (_p("x", contact=None), _p("y", contact="monthly"), *lonely),
                (
                    *tuple(Event(date=d(2020, 1, i + 1), kind="illness") for i in range(6)),
                    Event(date=d(2019, 1, 1), kind="death", person="c1"),
                ),
            ),
            DEFAULT_RULES,
        ),
        "no area: enough people in touch": (_case("n1", many_in_touch), DEFAULT_RULES),
        "deficits: nobody at all, the long standing to confirm": (_case("n2"), DEFAULT_RULES),
        "no area: a married man whose wife is his confidant": (
            _case(
                "n3",
                (Person(id="wife", role="spouse", closeness=1, contact="daily", confidant=True),),
            ),
            DEFAULT_RULES,
        ),
        "no area: isolation recent": (
            _case("n4", patient=Patient(isolation="recent")),
            DEFAULT_RULES,
        ),
        "delayed grief, a perinatal loss, coping, a separation as evidence, ring 4": (
            _case(
                "v1",
                (
                    _p("son", contact="never"),
                    _p("partner", dispute=Dispute(since=d(2025, 5, 1))),
                    _p("boss", closeness=4, dispute=Dispute(since=d(2025, 1, 1))),
                ),
                (
                    Event(date=d(2022, 11, 20), kind="death", person="son"),
                    Event(
                        date=d(2025, 10, 1), kind="separation", person="partner", coping="difficult"
                    ),
                    Event(date=d(2025, 9, 1), kind="promotion", coping="adjusting"),
                    Event(date=d(2025, 8, 1), kind="pregnancy_loss"),
                    Event(date=d(2025, 11, 1), kind="new_job", coping="difficult"),
                ),
            ),
            DEFAULT_RULES,
        ),
        "screening cautions are warnings": (
            _case(
                "c1",
                (),
                (Event(date=d(2025, 10, 1), kind="relocation", coping="difficult"),),
                patient=Patient(screening=PatientScreening(bipolar=True, suicide_risk="high")),
                measures=(
                    Measure(
                        date=d(2026, 3, 1), instrument="phq9", items=[2, 2, 2, 2, 2, 2, 2, 2, 2]
                    ),
                ),
            ),
            DEFAULT_RULES,
        ),
        "stuart: sensitivity marks the findings": (
            _case(
                "s1",
                (_p("m", contact="never"),),
                (Event(date=d(2025, 11, 1), kind="death", person="m"),),
                patient=Patient(isolation="longstanding"),
            ),
            STUART_RULES,
        ),
        "stuart: sensitivity with nothing to mark": (
            _case("s2", (_p("m", contact="rarely"),), patient=Patient(isolation="longstanding")),
            STUART_RULES,
        ),
        "who labels, two areas": (
            _case(
                "w1",
                (_p("k", dispute=Dispute(since=d(2025, 1, 1))),),
                (Event(date=d(2025, 3, 1), kind="new_job"),),
            ),
            WHO_RULES.evolve(max_focus=2),
        ),
        "one area at most, rings 1 and 3, one contact word": (
            _case(
                "o1",
                (_p("k", closeness=3, dispute=Dispute(since=d(2025, 1, 1))),),
                (Event(date=d(2025, 3, 1), kind="new_job"),),
            ),
            DEFAULT_RULES.evolve(
                name="narrow",
                max_focus=1,
                close_rings=[1, 3],
                attachment_contacts=["daily"],
                attachment_threshold=3,
            ),
        ),
        "rings 2 to 4, two contact words, no contact words": (
            _case(
                "o2",
                (_p("k", closeness=4, contact="daily"), _p("j", closeness=2, contact="weekly")),
            ),
            DEFAULT_RULES.evolve(
                name="wide", close_rings={2, 3, 4}, attachment_contacts=("daily", "weekly")
            ),
        ),
        "a single ring and no contact counts": (
            _case("o3", (_p("k", closeness=2),)),
            DEFAULT_RULES.evolve(name="strict", close_rings=(2,), attachment_contacts=()),
        ),
    }


_G, _D, _T, _I = "grief", "role_dispute", "role_transition", "interpersonal_deficits"
_ONSET = "2025-12-01"

#: The decisions, written by hand from the default rules (Version 1.1), for each case above:
#: (focus, candidates in rank order as (area, anchor, person, stage)).
DECISIONS: dict[str, tuple[list[str], list[tuple[str, str, str | None, str | None]]]] = {
    # 1 (a) in the window, 1 (a) complicated however long ago, 1 (b) delayed: ranked last;
    # ring 3 and resolved mourning set aside.
    "grief in window, and one long ago complicated": (
        [_G],
        [(_G, "2025-09-01", "mum", None), (_G, "2015-01-05", "dad", None),
         (_G, "2014-01-01", "gran", None)],
    ),
    # 2: given stage, dissolution inferred from the separation (which is not also a transition),
    # stage to assess; reciprocal and ended-before-onset set aside. The priority names a candidate.
    "disputes: given, inferred, to assess, reciprocal, ended": (
        [_T],
        [(_T, _ONSET, None, None), (_D, "2025-08-01", "c", None),
         (_D, "2025-07-01", "b", "dissolution"), (_D, "2025-06-01", "a", "impasse")],
    ),
    # 3: on onset, the day before, the window's first day; after onset last; a day before the
    # window set aside. The priority (grief) names no candidate.
    "transitions in and out of the window, on, before and after onset": (
        [_T],
        [(_T, _ONSET, "boss", None), (_T, "2025-11-30", None, None),
         (_T, "2024-12-01", None, None), (_T, "2025-12-02", None, None)],
    ),
    # 4: one close person in touch (y); x's contact unknown.
    "deficits with contact unknown and a warning of what came before": (
        [_I], [(_I, _ONSET, None, None)],
    ),
    "no area: enough people in touch": ([], []),
    # 4: nobody at all; patient.isolation not given, so the long standing is to be confirmed.
    "deficits: nobody at all, the long standing to confirm": ([_I], [(_I, _ONSET, None, None)]),
    # 4: a living confidant in touch rules deficits out.
    "no area: a married man whose wife is his confidant": ([], []),
    # 4: isolation recent is part of the episode.
    "no area: isolation recent": ([], []),
    # 3 (coping difficult), 1 (c) pregnancy loss, 2 with the separation as its evidence, then
    # 1 (b) delayed grief; the promotion (adjusting) and the ring-4 dispute set aside.
    "delayed grief, a perinatal loss, coping, a separation as evidence, ring 4": (
        [_T],
        [(_T, "2025-11-01", None, None), (_G, "2025-08-01", None, None),
         (_D, "2025-05-01", "partner", "dissolution"), (_G, "2022-11-20", "son", None)],
    ),
    "screening cautions are warnings": ([_T], [(_T, "2025-10-01", None, None)]),
    "stuart: sensitivity marks the findings": ([_G], [(_G, "2025-11-01", "m", None)]),
    "stuart: sensitivity with nothing to mark": ([], []),
    # max_focus 2: the next candidate of another area joins.
    "who labels, two areas": (
        [_T, _D], [(_T, "2025-03-01", None, None), (_D, "2025-01-01", "k", None)],
    ),
    # a ring-3 dispute counts (dispute rings 1-3); one area.
    "one area at most, rings 1 and 3, one contact word": (
        [_T], [(_T, "2025-03-01", None, None), (_D, "2025-01-01", "k", None)],
    ),
    "rings 2 to 4, two contact words, no contact words": ([], []),
    "a single ring and no contact counts": ([_I], [(_I, _ONSET, None, None)]),
}  # fmt: skip


def test_the_decisions_table_covers_every_case() -> None:
    assert sorted(DECISIONS) == sorted(_cases())


@pytest.mark.parametrize("name", list(DECISIONS))
def test_classify_decides_every_case_as_the_rules_say(name: str) -> None:
    """The case format's default rules 1-5, the ranking and the one-area focus (Version 1.1)
    [GUIDE; ISIPT; KLERMAN1984]: focus and ranked candidates, checked against the hand-written
    table."""
    case, rules = _cases()[name]
    result = classify(case, rules)
    got = [
        (f.area.value, f.anchor.isoformat(), f.person, f.stage and f.stage.value)
        for f in result.candidates
    ]
    assert ([a.value for a in result.focus], got) == DECISIONS[name]


def _report(case: Case, rules: RuleSet) -> dict[str, Any]:
    result = classify(case, rules)
    return {
        "describe": result.describe().splitlines(),
        "to_dict": json.loads(json.dumps(result.to_dict())),
        "rules": rules.describe().splitlines(),
    }


def _golden() -> dict[str, Any]:
    return {name: _report(case, rules) for name, (case, rules) in _cases().items()}


@pytest.mark.parametrize("name", list(_cases()))
def test_classify_reports_every_case_in_the_snapshot_wording(name: str) -> None:
    """The wording snapshot: each candidate's evidence and one-sentence rationale naming its rule
    and source [ISIPT; GUIDE; CASEBOOK], what each rule checked and set aside, the warnings; and
    each rule set's reference."""
    expected = json.loads(_golden_file().read_text(encoding="utf-8"))[name]
    case, rules = _cases()[name]
    assert _report(case, rules) == expected


# -- settings and notes in words ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(1, 3, 15), 2, date(1, 1, 15)),
        (date(1, 3, 15), 3, date.min),
        (date(2, 1, 31), 12, date(1, 1, 31)),
        (date(2025, 3, 28), 1, date(2025, 2, 28)),
    ],
)
def test_the_window_near_the_calendars_start(day: date, months: int, expected: date) -> None:
    """The case format: "12 months before onset is the same day 12 calendar months earlier";
    before the year 1 it is the first date there is."""
    assert DEFAULT_RULES.evolve(window_months=months).window_start(day) == expected


def test_where_a_date_lies_against_onset_is_said_in_words() -> None:
    """Evidence says where its date lies against onset (the case format: "its dates")."""
    events = tuple(
        Event(date=ONSET + timedelta(days=d), kind="other_change", description=f"d{d}")
        for d in (0, 1, -1, 2, -2, -91)
    )
    summaries = [f.evidence.summary for f in classify(_case("days", (), events)).candidates]
    assert summaries == [
        "other_change (d0) on 2025-12-01, on the day of onset",
        "other_change (d-1) on 2025-11-30, 1 day before onset",
        "other_change (d-2) on 2025-11-29, 2 days before onset",
        "other_change (d-91) on 2025-09-01, 91 days before onset",
        "other_change (d1) on 2025-12-02, 1 day after onset",
        "other_change (d2) on 2025-12-03, 2 days after onset",
    ]


def test_long_lists_of_ids_are_shortened_in_notes_and_warnings() -> None:
    """A note names at most eight people and a warning four earlier events, then says how many
    more, so that a large inventory does not flood the report."""
    people = tuple(Person(id=f"c{i}", role="friend", closeness=1) for i in range(10))
    events = tuple(Event(date=date(2020, 1, i + 1), kind="illness") for i in range(6))
    result = classify(_case("many", people, events))
    assert result.checked[3].notes == (
        "contact not given for c0, c1, c2, c3, c4, c5, c6, c7 and 2 more: counted as not in touch",
    )
    assert result.warnings[0].startswith(
        "isolation may have followed illness on 2020-01-01, illness on 2020-01-02, illness on "
        "2020-01-03, illness on 2020-01-04 and 2 more, which the rules set aside;"
    )
    few = classify(_case("few", people[:2]))
    assert few.checked[3].notes == ("contact not given for c0, c1: counted as not in touch",)


def test_people_in_touch_are_counted_in_words() -> None:
    """Rule 4's rationale counts the living close people in touch [GUIDE]: one person, or
    people."""
    one = classify(_case("one", (_p("a"),))).candidates[0].rationale
    assert "1 living person at closeness 1-2 in touch daily, weekly or monthly (a)," in one
    none = classify(_case("none")).candidates[0].rationale
    assert "0 living people at closeness 1-2 in touch daily, weekly or monthly," in none


@pytest.mark.parametrize(
    ("contacts", "words"),
    [
        ((), "(none)"),
        (("daily",), "daily"),
        (("daily", "weekly"), "daily or weekly"),
        (("weekly", "daily", "monthly"), "daily, weekly or monthly"),
    ],
)
def test_contact_words_are_a_list_in_words(contacts: tuple[str, ...], words: str) -> None:
    """The attachment contacts are a setting of the rule set (the case format), said in the
    order of the case format's contact words."""
    assert DEFAULT_RULES.evolve(attachment_contacts=contacts).words("contacts") == words


def test_rule_fields_are_refused_by_name() -> None:
    """Rule fields are checked when a rule is built: a wrong value raises IptError naming it."""
    with pytest.raises(IptError, match=r"^id: must be a rule id, got 3$"):
        Rule(id=3, area="grief", source="s", quote="q", looks_for="l", find=lambda c, s: ())  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^area: must be a ProblemArea, got 'sorrow'$"):
        Rule(id="x", area="sorrow", source="s", quote="q", looks_for="l", find=lambda c, s: ())  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^last_resort: must be True or False, got 'no'$"):
        Rule(
            id="x",
            area="grief",
            source="s",
            quote="q",
            looks_for="l",
            find=lambda c, s: (),
            last_resort="no",  # type: ignore[arg-type]
        )
    with pytest.raises(IptError, match=r"^Rule\.find must be a function$"):
        Rule(id="x", area="grief", source="s", quote="q", looks_for="l", find=None)  # type: ignore[arg-type]
    from iptcore.rules import Modifier

    with pytest.raises(IptError, match=r"^Modifier\.test must be a function$"):
        Modifier(id="x", name="n", source="s", quote="q", test=None)  # type: ignore[arg-type]
    rule = Rule(id="x", area="grief", source="s", quote="q", looks_for="l", find=lambda c, s: ())
    assert rule.warn is None
    assert rule.area is ProblemArea.GRIEF


def test_settings_are_converted_and_refused_by_name() -> None:
    """The case format: the window, close rings and attachment threshold "are settings of the rule
    set, not constants"; labels not given keep the manual's names [GUIDE]."""
    who = DEFAULT_RULES.evolve(labels={"grief": "loss"})
    assert who.labels[ProblemArea.GRIEF] == "loss"
    assert who.labels[ProblemArea.ROLE_DISPUTE] == "role dispute"
    assert DEFAULT_RULES.evolve(close_rings=(1, 2)).close_rings == frozenset({1, 2})
    assert DEFAULT_RULES.evolve(close_rings=range(1, 4)).close_rings == frozenset({1, 2, 3})
    for bad in ("daily", 3):
        with pytest.raises(IptError, match=r"^RuleSet attachment_contacts must be"):
            DEFAULT_RULES.evolve(attachment_contacts=bad)
    with pytest.raises(
        IptError,
        match=r"^RuleSet close_rings must be a non-empty set of rings from 1 to 4, got '12'$",
    ):
        DEFAULT_RULES.evolve(close_rings="12")
    with pytest.raises(IptError, match=r"^RuleSet labels must be a mapping"):
        DEFAULT_RULES.evolve(labels=[("grief", "loss")])
    with pytest.raises(
        IptError,
        match=r"^RuleSet has no setting colour, size: attachment_contacts, attachment_threshold, close_rings, dispute_rings, labels",
    ):
        DEFAULT_RULES.evolve(colour=1, size=2)
    with pytest.raises(
        IptError, match=r"^RuleSet rules repeat the id\(s\) dispute.nonreciprocal, grief.death$"
    ):
        DEFAULT_RULES.extend(
            DEFAULT_RULES.rule("grief.death"), DEFAULT_RULES.rule("dispute.nonreciprocal")
        )
    with pytest.raises(
        IptError,
        match=r"^no rule 'x' in default: it holds grief.death, dispute.nonreciprocal, transition.life_change, deficits.isolation$",
    ):
        DEFAULT_RULES.rule("x")


@pytest.mark.parametrize(
    ("rings", "words"),
    [
        ({1, 2}, "1-2"),
        ({1, 2, 3, 4}, "1-4"),
        ({2, 3}, "2-3"),
        ({1, 3}, "1, 3"),
        ({2}, "2"),
        ({1, 2, 4}, "1, 2, 4"),
    ],
)
def test_rings_in_words(rings: set[int], words: str) -> None:
    """The close rings (the case format: "the close rings (1-2)") read as a span when they are one."""
    assert DEFAULT_RULES.evolve(close_rings=rings).words("rings") == words


def test_threshold_in_words() -> None:
    assert DEFAULT_RULES.evolve(attachment_threshold=5).words("threshold") == "5"


# -- hand-built findings are checked field by field ---------------------------------------------

_EVIDENCE = {"kind": "event", "date": ONSET, "days_from_onset": 0, "summary": "s"}
_FINDING = {
    "area": ProblemArea.GRIEF,
    "anchor": ONSET,
    "rule": "grief.death",
    "source": "[GUIDE]",
    "rationale": "r",
}

_DISPUTE_FINDING = {**_FINDING, "area": ProblemArea.ROLE_DISPUTE, "rule": "dispute.nonreciprocal"}


def test_only_a_finding_of_a_dispute_has_a_stage() -> None:
    """The stages are a role dispute's [GUIDE]: a finding of another area with a stage is refused,
    naming the field, as a focus area with one is; never a stage silently dropped later."""
    evidence = Evidence(**_EVIDENCE)  # type: ignore[arg-type]
    for area in ("grief", "role_transition", "interpersonal_deficits"):
        with pytest.raises(IptError) as refused:
            Finding(**{**_FINDING, "area": area}, evidence=evidence, stage="impasse")  # type: ignore[arg-type]
        assert str(refused.value) == (
            f"Finding.stage: only a role dispute has a stage [GUIDE], not {area}"
        )


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("kind", 3),
        ("date", "2025-12-01"),
        ("days_from_onset", 1.0),
        ("summary", None),
        ("person", 3),
        ("event", "e"),
        ("dispute", "d"),
    ],
)
def test_evidence_fields_of_the_wrong_type_are_named(field: str, bad: object) -> None:
    with pytest.raises(IptError, match=rf"^Evidence\.{field} must be "):
        Evidence(**{**_EVIDENCE, field: bad})


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("area", "sadness"),
        ("anchor", "2025-12-01"),
        ("rule", 1),
        ("source", None),
        ("rationale", 2),
        ("evidence", "e"),
        ("person", 3),
        ("stage", "stuck"),
        ("stage_basis", 1),
        ("prompt", 2),
    ],
)
def test_finding_fields_of_the_wrong_type_are_named(field: str, bad: object) -> None:
    evidence = Evidence(**_EVIDENCE)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=rf"^Finding\.{field} must be "):
        Finding(**{**_FINDING, "evidence": evidence, field: bad})


@given(st.sampled_from(list(DisputeStage)))
def test_a_stage_is_taken_as_its_member_or_its_word(stage: DisputeStage) -> None:
    """Property: a finding's stage and area take the enum member or its word, alike."""
    evidence = Evidence(**_EVIDENCE)  # type: ignore[arg-type]
    for given_stage in (stage, str(stage.value)):
        finding = Finding(**_DISPUTE_FINDING, evidence=evidence, stage=given_stage)  # type: ignore[arg-type]
        assert finding.stage is stage
    assert Finding(**{**_FINDING, "area": "grief"}, evidence=evidence).area is ProblemArea.GRIEF  # type: ignore[arg-type]


def test_lists_of_ids_in_findings_are_checked() -> None:
    evidence = Evidence(**_EVIDENCE)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^Evidence\.people must be a tuple of ids, got \(1,\)$"):
        Evidence(**_EVIDENCE, people=[1])  # type: ignore[arg-type]
    with pytest.raises(
        IptError, match=r"^Finding\.modifiers must be a tuple of ids, got \('a', 2\)$"
    ):
        Finding(**_FINDING, evidence=evidence, modifiers=["a", 2])  # type: ignore[arg-type]
    assert Finding(**_FINDING, evidence=evidence, modifiers=["a"]).modifiers == ("a",)  # type: ignore[arg-type]


def test_a_valid_finding_with_every_optional_field() -> None:
    evidence = Evidence(
        **_EVIDENCE,
        person="p",
        event=Event(date=ONSET, kind="death", person="p"),
        dispute=Dispute(since=ONSET),
        people=("p",),
    )  # type: ignore[arg-type]
    finding = Finding(
        **_DISPUTE_FINDING,
        evidence=evidence,
        person="p",
        stage="impasse",
        stage_basis="given",
        prompt="assess",
    )  # type: ignore[arg-type]
    assert finding.stage is DisputeStage.IMPASSE
    assert finding.evidence.people == ("p",)


def test_finding_by_area_of_a_classification() -> None:
    """Classification.finding gives the best-ranked finding of an area, or None."""
    result = classify(_cases()["who labels, two areas"][0])
    assert [f.area.value for f in result.candidates] == ["role_transition", "role_dispute"]
    assert result.finding("role_dispute") is result.candidates[1]
    assert result.finding(ProblemArea.GRIEF) is None


def test_equal_findings_rank_the_same_whatever_the_input_order() -> None:
    """classify is "deterministic: the order of people and events in the case does not change
    it" (rules.classify); findings equal in every ranking clause of the case format compare by
    their full text, and a finding without a person comes before one with a person."""
    day = date(2025, 11, 1)
    b = Event(date=day, kind="other_change", description="b")
    a = Event(date=day, kind="other_change", description="a")
    with_person = Event(date=day, kind="other_change", description="c", person="A")
    orders = [(b, a, with_person), (with_person, a, b), (a, with_person, b)]
    results = [
        [f.evidence.summary for f in classify(_case("tie", (_p("A"),), o)).candidates]
        for o in orders
    ]
    assert results[0] == results[1] == results[2]
    assert results[0] == [
        "other_change (a) on 2025-11-01, 30 days before onset",
        "other_change (b) on 2025-11-01, 30 days before onset",
        "other_change (c) involving A on 2025-11-01, 30 days before onset",
    ]


def test_classify_names_what_it_was_given() -> None:
    with pytest.raises(IptError, match=r"^case: must be an iptcore\.Case, got str$"):
        classify("case")  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^rules: must be an iptcore\.RuleSet, got dict$"):
        classify(_case("x"), {})  # type: ignore[arg-type]


def test_a_rules_warnings_see_the_rule_set() -> None:
    """A rule's warn function is given the case, the rule set and its findings (rules.Rule)."""
    rule = Rule(
        id="own.rule",
        area="grief",
        source="[own]",
        quote="q",
        looks_for="l",
        find=lambda case, rules: (),
        warn=lambda case, rules, found: [f"{rules.name}: {len(found)}"],
    )
    own = DEFAULT_RULES.evolve(name="own", rules=(rule,))
    assert classify(_case("x"), own).warnings[0] == "own: 0"


def test_every_modifier_of_a_finding_is_reported() -> None:
    """Stuart & Robertson's interpersonal sensitivity is a modifier on findings [STUART]; a rule
    set may add more, and the report lists them all."""
    from iptcore.rules import SENSITIVITY, Modifier

    other = Modifier(id="second", name="second", source="[own]", quote="q", test=lambda c, s: "yes")
    rules = STUART_RULES.evolve(modifiers=(SENSITIVITY, other))
    sensitive = _case(
        "s",
        (_p("m", contact="never"),),
        (Event(date=date(2025, 11, 1), kind="death", person="m"),),
        patient=Patient(isolation="longstanding"),
    )
    assert ", with interpersonal_sensitivity, second" in classify(sensitive, rules).describe()


def test_a_finding_as_a_dict() -> None:
    """Finding.to_dict is JSON-ready: dates as ISO text, enums as their words."""
    grief = _case("g", (_p("mum"),), (Event(date=date(2025, 9, 1), kind="death", person="mum"),))
    data = classify(grief).candidates[0].to_dict()
    assert data["area"] == "grief"
    assert data["anchor"] == "2025-09-01"
    assert data["evidence"]["days_from_onset"] == -91
    assert json.loads(json.dumps(data)) == data


def test_a_dispute_ended_before_onset_does_not_hide_the_next() -> None:
    """The case format rule 2: every dispute that had not ended before onset is a candidate,
    whatever comes before it in the inventory."""
    ended = _p("f", dispute=Dispute(since=date(2024, 8, 1), ended=date(2025, 1, 1)))
    open_ = _p("c", dispute=Dispute(since=date(2025, 8, 1)))
    result = classify(_case("d2", (ended, open_)))
    assert [f.person for f in result.candidates] == ["c"]
    assert result.checked[1].notes == (
        "dispute with f since 2024-08-01: ended 2025-01-01, before onset",
    )


def test_two_notes_are_put_in_order() -> None:
    """What a rule set aside is listed in order, so the report does not depend on the input's."""
    events = (
        Event(date=date(2020, 1, 2), kind="illness"),
        Event(date=date(2020, 1, 1), kind="illness"),
    )
    notes = classify(_case("n", (_p("a"), _p("b")), events)).checked[2].notes
    assert notes == (
        "illness on 2020-01-01: before the window (from 2024-12-01)",
        "illness on 2020-01-02: before the window (from 2024-12-01)",
    )


def test_the_earliest_ending_is_the_disputes_evidence_whatever_the_order() -> None:
    """Rule 2: without a given stage, a separation or divorce naming the person makes the stage
    dissolution, and that event is the dispute's evidence [GUIDE]; of two, the earlier one, in
    whatever order the timeline lists them."""
    partner = Person(
        id="b",
        role="partner",
        closeness=1,
        contact="weekly",
        dispute=Dispute(since=date(2025, 7, 1)),
    )
    separation = Event(date=date(2025, 11, 20), kind="separation", person="b")
    divorce = Event(date=date(2026, 1, 10), kind="divorce", person="b")
    for events in ((separation, divorce), (divorce, separation)):
        (dispute,) = classify(_case("ends", (partner,), events)).candidates
        assert dispute.stage is DisputeStage.DISSOLUTION
        assert dispute.evidence.event == separation


if __name__ == "__main__":  # regenerate the golden file after a deliberate change of wording
    _golden_file().write_text(
        json.dumps(_golden(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------------------------
# Edges of the rules' words and of the engine (each found by mutation testing)
# --------------------------------------------------------------------------------------------


def _check_of(result: Classification, rule_id: str) -> Any:
    return next(c for c in result.checked if c.rule == rule_id)


def test_a_note_lists_eight_ids_whole_and_abridges_from_the_ninth() -> None:
    """Rule 4 notes the close people whose contact is not given (counted as not in touch, the case
    format); a note names at most eight ids, then says how many more: eight are listed whole."""
    eight = tuple(person(f"u{i}", 1) for i in range(1, 9))
    listed = ", ".join(f"u{i}" for i in range(1, 9))
    notes = _check_of(classify(case(eight)), "deficits.isolation").notes
    assert notes == (f"contact not given for {listed}: counted as not in touch",)
    nine = (*eight, person("u9", 2))
    notes = _check_of(classify(case(nine)), "deficits.isolation").notes
    assert notes == (f"contact not given for {listed} and 1 more: counted as not in touch",)


def test_a_pregnancy_loss_on_the_windows_first_day_is_grieved() -> None:
    """The window runs from ``window_months`` before onset to assessment, its first day included
    (the case format); a perinatal loss in it is grieved [CASEBOOK], one the day before is not."""
    start = DEFAULT_RULES.window_start(ONSET)
    on_the_day = classify(case(FRIENDS, (change("pregnancy_loss", start),)))
    assert [f.area for f in on_the_day.candidates] == [GRIEF]
    assert on_the_day.candidates[0].anchor == start
    day_before = classify(case(FRIENDS, (change("pregnancy_loss", start - timedelta(days=1)),)))
    assert day_before.candidates == ()
    assert _check_of(day_before, "grief.death").notes == (
        f"pregnancy loss on {start - timedelta(days=1)}: before the window (from {start})",
    )


def test_a_separation_and_a_divorce_on_one_day_give_one_answer_in_either_order() -> None:
    """The evidence of a dispute's dissolution is the earliest separation or divorce naming that
    person [GUIDE]; two on one day are told apart by their content, never by the order they were
    entered in (classify is deterministic: the order of events does not change it)."""
    sam = person("sam", 1, contact="weekly", dispute=Dispute(since=date(2025, 8, 1)))
    day = date(2025, 10, 1)
    split = change("separation", day, person="sam")
    divorce = change("divorce", day, person="sam")
    one = classify(case((sam, *FRIENDS), (split, divorce)))
    other = classify(case((sam, *FRIENDS), (divorce, split)))
    assert one.candidates == other.candidates
    (dispute,) = [f for f in one.candidates if f.area is DISPUTE]
    assert dispute.stage is DisputeStage.DISSOLUTION
    assert dispute.stage_basis == "inferred"
    assert dispute.evidence.event in (split, divorce)
    assert f"with the {dispute.evidence.event.kind} on {day}" in dispute.rationale


def test_a_given_stage_stays_given_when_a_separation_names_the_person() -> None:
    """A stage the clinician gave is the stage (the case format): a separation naming that person is
    reported with the dispute, but the stage is said to be given, not inferred from it [GUIDE]."""
    sam = person(
        "sam", 1, contact="weekly", dispute=Dispute(since=date(2025, 8, 1), stage="impasse")
    )
    split = change("separation", date(2025, 10, 1), person="sam")
    (dispute,) = classify(case((sam, *FRIENDS), (split,))).candidates
    assert dispute.stage is DisputeStage.IMPASSE
    assert dispute.stage_basis == "given"
    assert dispute.rationale.endswith("; stage impasse (given).")
    assert "inferred" not in dispute.rationale


def test_a_life_change_involving_a_disputed_person_is_still_a_transition() -> None:
    """Only a separation or divorce is the evidence of a dispute, not also a transition [GUIDE]; any
    other life change stays a transition even when it involves the person of a dispute, and is no
    evidence of the dispute's dissolution."""
    sam = person("sam", 1, contact="weekly", dispute=Dispute(since=date(2025, 8, 1)))
    move = change("relocation", date(2025, 10, 1), person="sam", coping="difficult")
    result = classify(case((sam, *FRIENDS), (move,)), DEFAULT_RULES.evolve(max_focus=2))
    areas = {f.area: f for f in result.candidates}
    assert set(areas) == {DISPUTE, TRANSITION}
    assert areas[TRANSITION].person == "sam"
    assert areas[TRANSITION].evidence.event == move
    # Nor is the move evidence of the dispute's dissolution: the stage is still to assess.
    assert areas[DISPUTE].stage is None
    assert areas[DISPUTE].stage_basis is None
    assert areas[DISPUTE].evidence.event is None


def test_long_standing_isolation_is_said_in_the_deficits_rationale() -> None:
    """Deficits patients are "isolated and lonely, and chronically so" [GUIDE]: when the case says
    the isolation is long-standing, the rationale says so and nothing is left to confirm."""
    (finding,) = classify(case(isolation="longstanding")).candidates
    assert finding.area is DEFICITS
    assert finding.rationale.endswith("no death, dispute or life change was found; long-standing.")
    assert finding.prompt is None
    (unsaid,) = classify(case()).candidates
    assert "long-standing." not in unsaid.rationale
    assert unsaid.prompt is not None


def test_the_run_order_puts_every_last_resort_rule_last() -> None:
    """ "Deficits only when nothing else is found" [GUIDE]: ``RuleSet.run_order`` is the rules in
    the order classify runs them, each with what it looks for, the last-resort rules last and in
    their own order."""
    assert DEFAULT_RULES.run_order == tuple(
        (r, DEFAULT_RULES.words(r.id)) for r in DEFAULT_RULES.rules
    )
    late = attrs.evolve(USER_RULE, last_resort=True)
    rules = DEFAULT_RULES.evolve(rules=(late, *DEFAULT_RULES.rules))
    assert [r.id for r, _ in rules.run_order] == [
        "grief.death",
        "dispute.nonreciprocal",
        "transition.life_change",
        "user.elders",
        "deficits.isolation",
    ]
    assert [looked for _, looked in rules.run_order] == [
        rules.words(r.id) for r, _ in rules.run_order
    ]


def test_every_last_resort_rule_is_set_aside_when_another_area_is_found() -> None:
    """A second last-resort rule is set aside like deficits when another area was found [GUIDE]:
    its check says it was not applied."""
    late = attrs.evolve(USER_RULE, last_resort=True)
    result = classify(case(FRIENDS, (death("f1", date(2025, 11, 1)),)), DEFAULT_RULES.extend(late))
    assert [f.area for f in result.candidates] == [GRIEF]
    for rule_id in ("deficits.isolation", "user.elders"):
        check = _check_of(result, rule_id)
        assert (check.applied, check.found, check.notes) == (
            False,
            0,
            ("not applied: another area was found",),
        )


def test_a_note_of_a_str_subclass_is_reported_as_its_text() -> None:
    """A rule yields findings and ``str`` notes (the Rule's contract): a note of a subclass of str
    is a str, and its check reports it like any other."""

    class Note(str):
        pass

    noted = attrs.evolve(USER_RULE, find=lambda c, r: [Note("nobody born before 1950")])
    result = classify(case(FRIENDS), DEFAULT_RULES.extend(noted))
    check = _check_of(result, "user.elders")
    assert check.notes == ("nobody born before 1950",)
    assert (check.applied, check.found) == (True, 0)


def test_a_modifier_is_given_the_rule_set() -> None:
    """A modifier's ``test(case, rules)`` reads the rule set classify was given (the Modifier's
    contract): a note about a setting shows that setting."""
    from iptcore.rules import Modifier

    window = Modifier(
        id="window",
        name="window",
        source="[own]",
        quote="q",
        test=lambda c, r: f"window of {r.window_months} months",
    )
    rules = STUART_RULES.evolve(modifiers=(window,), window_months=6)
    assert classify(case(FRIENDS), rules).warnings == (
        "window (window of 6 months) [own]: no area of stuart holds it",
    )


def test_rule_set_describes_how_a_pregnancy_loss_is_taken() -> None:
    """A perinatal loss is grieved by default [CASEBOOK], a transition when the setting says so; the
    rule reference says which."""
    assert "; pregnancy loss grieved; " in DEFAULT_RULES.describe()
    changed = DEFAULT_RULES.evolve(pregnancy_loss_grief=False).describe()
    assert "; pregnancy loss a transition; " in changed


def test_only_a_death_makes_a_person_deceased() -> None:
    """``deceased`` is the people whose death the timeline records: a separation naming someone
    does not make them dead, nor does a life change with no one named."""
    from iptcore.rules import deceased

    events = (
        death("ann", date(2025, 9, 1)),
        change("separation", date(2025, 10, 1), person="bob"),
        change("new_job", date(2025, 10, 2)),
    )
    people = (person("ann", 1, contact="weekly"), person("bob", 1, contact="weekly"))
    assert deceased(case(people, events)) == frozenset({"ann"})


def test_in_touch_alone_counts_the_living_with_the_contacts_given() -> None:
    """``in_touch`` (the one helper the rules and the inventory read) counts the living people whose
    contact is one of those given, as words or Contact members, in case order; without ``dead``
    it finds the dead itself."""
    from iptcore.rules import deceased, in_touch

    people = (
        person("ann", 1, contact="daily"),
        person("bob", 2, contact="rarely"),
        person("cy", 3, contact="daily"),
        person("di", 1, contact=None),
    )
    lost = case(people, (death("ann", date(2025, 9, 1)),))
    assert [p.id for p in in_touch(lost)] == ["cy"]
    assert [p.id for p in in_touch(lost, ["daily", "rarely"])] == ["bob", "cy"]
    assert [p.id for p in in_touch(lost, (Contact.RARELY,))] == ["bob"]
    assert [p.id for p in in_touch(lost, iter(["daily"]))] == ["cy"]
    assert [p.id for p in in_touch(lost, ["daily"], dead=deceased(lost))] == ["cy"]
    assert [p.id for p in in_touch(lost, frozenset({"daily"}), dead=frozenset())] == ["ann", "cy"]


CONTACT_WORDS = "a collection of contact words (daily, weekly, monthly, rarely, never)"


@pytest.mark.parametrize(
    ("contacts", "shown", "kind"),
    [
        (["hourly"], "['hourly']", "a list"),
        (["daily", "hourly", 3], "['daily', 'hourly', 3]", "a list"),
        (frozenset({"hourly"}), "frozenset({'hourly'})", "a frozenset"),
        ("daily", "'daily'", "a string"),
        (5, "5", "an integer"),
    ],
)
def test_in_touch_refuses_what_is_no_contact_word(contacts: Any, shown: str, kind: str) -> None:
    """Bad input gets an IptError naming the argument (the errors' contract): a word that is no
    contact frequency, or a single string (whose letters are no words), never a silent empty
    answer or a TypeError; the redacted form names the kind of value only."""
    from iptcore.rules import in_touch

    with pytest.raises(IptError) as refused:
        in_touch(case(FRIENDS), contacts)
    assert str(refused.value) == f"contacts: must be {CONTACT_WORDS}, got {shown}"
    assert refused.value.redacted_message == f"contacts: must be {CONTACT_WORDS}, got {kind}"


def test_in_touch_quotes_a_one_pass_iterable_as_the_list_it_held() -> None:
    """An iterator of contacts is read once; refused, it is quoted as the list it held (an
    iterator's repr says nothing of what it held). The iterator is made here, not in a
    parametrize table, which would hand every run of the test the same spent iterator."""
    from iptcore.rules import in_touch

    with pytest.raises(IptError) as refused:
        in_touch(case(FRIENDS), iter(["weekly", "often"]))
    assert str(refused.value) == f"contacts: must be {CONTACT_WORDS}, got ['weekly', 'often']"
    assert refused.value.redacted_message == f"contacts: must be {CONTACT_WORDS}, got a list"


def test_in_touch_refuses_a_case_or_dead_of_the_wrong_kind() -> None:
    from iptcore.rules import in_touch

    with pytest.raises(IptError, match=r"^case: must be an iptcore\.Case, got dict$"):
        in_touch({"id": "x"})  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^dead: must be a set of person ids, or None, got 'ann'$"):
        in_touch(case(FRIENDS), dead="ann")  # type: ignore[arg-type]


def test_in_touch_refuses_an_integer_too_long_to_write_by_its_size() -> None:
    """A message quotes what it refuses abridged: an integer past the 4,300 digits Python writes as
    text is named by its size, never a ValueError raised while the message is written."""
    from iptcore.rules import in_touch

    with pytest.raises(IptError) as refused:
        in_touch(case(FRIENDS), 10**5000)
    assert str(refused.value) == f"contacts: must be {CONTACT_WORDS}, got an integer of 5001 digits"
