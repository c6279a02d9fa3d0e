"""Tests that kill the mutants that survived in the rules modules (rules.py, findings.py).

The case format asks that every candidate carries its evidence (the event or person that triggered
it, its dates) and a one-sentence rationale that names the rule and its source, and that "no area"
is explained with what was checked. For a set of fictional cases that reach every branch of the
default rules (Version 1.1), two things are checked apart:

- the decisions (focus, candidates as area, anchor, person and stage), against :data:`DECISIONS`,
  a table written by hand from the rules [GUIDE; ISIPT; KLERMAN1984], not from the output;
- the wording: ``tests/rules_golden.json`` holds what ``classify`` reports, in full (rationales,
  notes, warnings, ``describe()``), compared whole. When a wording changes on purpose, regenerate it
  (``python tests/test_mutants_rules.py``) and read the diff; the decisions table never is.

The rest pins down the settings in words, the checks of hand-built findings (a wrong type raises
IptError naming the field), and the helpers that run only at import.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from iptcore import (
    DEFAULT_RULES,
    Case,
    Dispute,
    Event,
    IptError,
    Measure,
    Patient,
    PatientScreening,
    Person,
    classify,
)
from iptcore import rules as r
from iptcore._dates import add_months
from iptcore.findings import Evidence, Finding
from iptcore.terms import ProblemArea

GOLDEN = Path(__file__).with_name("rules_golden.json")
ASSESSED = date(2026, 3, 2)
ONSET = date(2025, 12, 1)


def _case(
    cid: str, people: tuple[Person, ...] = (), events: tuple[Event, ...] = (), **more: Any
) -> Case:
    return Case(id=cid, assessed=ASSESSED, onset=ONSET, people=people, events=events, **more)


def _p(pid: str, closeness: int = 1, contact: str | None = "weekly", **more: Any) -> Person:
    return Person(id=pid, role="friend", closeness=closeness, contact=contact, **more)


def _cases() -> dict[str, tuple[Case, r.RuleSet]]:
    """Fictional cases reaching every branch of the default rules, with the rule set to use."""
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
            r.STUART_RULES,
        ),
        "stuart: sensitivity with nothing to mark": (
            _case("s2", (_p("m", contact="rarely"),), patient=Patient(isolation="longstanding")),
            r.STUART_RULES,
        ),
        "who labels, two areas": (
            _case(
                "w1",
                (_p("k", dispute=Dispute(since=d(2025, 1, 1))),),
                (Event(date=d(2025, 3, 1), kind="new_job"),),
            ),
            r.WHO_RULES.evolve(max_focus=2),
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


def _report(case: Case, rules: r.RuleSet) -> dict[str, Any]:
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
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    case, rules = _cases()[name]
    assert _report(case, rules) == expected


# -- words of the settings and helpers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "on the day of onset"),
        (1, "1 day after onset"),
        (-1, "1 day before onset"),
        (2, "2 days after onset"),
        (-2, "2 days before onset"),
        (-91, "91 days before onset"),
    ],
)
def test_days_from_onset_in_words(days: int, words: str) -> None:
    """Evidence says where a date lies against onset (the case format: "its dates")."""
    assert r._days(days) == words


def test_lists_in_words() -> None:
    assert r._ids([]) == ""
    assert r._ids(["a", "b"]) == "a, b"
    assert r._ids([str(i) for i in range(8)]) == "0, 1, 2, 3, 4, 5, 6, 7"
    assert r._ids([str(i) for i in range(10)]) == "0, 1, 2, 3, 4, 5, 6, 7 and 2 more"
    assert r._ids(["a", "b", "c"], 2) == "a, b and 1 more"
    assert r._either([]) == "(none)"
    assert r._either(["daily"]) == "daily"
    assert r._either(["daily", "weekly"]) == "daily or weekly"
    assert r._either(["daily", "weekly", "monthly"]) == "daily, weekly or monthly"
    assert (
        r._touch_words(1, DEFAULT_RULES)
        == "1 living person at closeness 1-2 in touch daily, weekly or monthly"
    )
    assert r._touch_words(0, DEFAULT_RULES).startswith("0 living people at")


def test_months_before_near_the_calendars_start() -> None:
    """The case format: "12 months before onset is the same day 12 calendar months earlier";
    before the year 1 it is date.min."""
    assert add_months(date(1, 3, 15), -2) == date(1, 1, 15)
    assert add_months(date(1, 3, 15), -3) == date.min
    assert add_months(date(2, 1, 31), -12) == date(1, 1, 31)
    assert add_months(date(2025, 3, 28), -1) == date(2025, 2, 28)


def test_field_factory_refuses_by_name() -> None:
    """Rule fields are checked when a rule is built: a wrong value raises IptError naming it."""
    with pytest.raises(IptError, match=r"^id: must be a rule id, got 3$"):
        r.Rule(id=3, area="grief", source="s", quote="q", looks_for="l", find=lambda c, s: ())  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^last_resort: must be True or False, got 'no'$"):
        r.Rule(
            id="x",
            area="grief",
            source="s",
            quote="q",
            looks_for="l",
            find=lambda c, s: (),
            last_resort="no",
        )  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^Rule\.find must be a function$"):
        r.Rule(id="x", area="grief", source="s", quote="q", looks_for="l", find=None)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^Modifier\.test must be a function$"):
        r.Modifier(id="x", name="n", source="s", quote="q", test=None)  # type: ignore[arg-type]
    assert (
        r.Rule(
            id="x", area="grief", source="s", quote="q", looks_for="l", find=lambda c, s: ()
        ).warn
        is None
    )


def test_settings_are_converted_and_refused_by_name() -> None:
    """The case format: the window, close rings and attachment threshold "are settings of the rule
    set, not constants"; labels not given keep the manual's names [GUIDE]."""
    who = DEFAULT_RULES.evolve(labels={"grief": "loss"})
    assert who.labels[ProblemArea.GRIEF] == "loss"
    assert who.labels[ProblemArea.ROLE_DISPUTE] == "role dispute"
    assert DEFAULT_RULES.evolve(close_rings=(1, 2)).close_rings == frozenset({1, 2})
    assert DEFAULT_RULES.evolve(close_rings=range(1, 4)).close_rings == frozenset({1, 2, 3})
    for bad, what in (("daily", "attachment_contacts"), (3, "attachment_contacts")):
        with pytest.raises(IptError, match=f"^RuleSet {what} must be"):
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
        DEFAULT_RULES.extend(r.GRIEF, r.DISPUTE)
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
        **_FINDING,
        evidence=evidence,
        person="p",
        stage="impasse",
        stage_basis="given",
        prompt="assess",
    )  # type: ignore[arg-type]
    assert finding.stage is not None
    assert finding.evidence.people == ("p",)


def test_finding_by_area_of_a_classification() -> None:
    """Classification.finding gives the best-ranked finding of an area, or None."""
    result = classify(_cases()["who labels, two areas"][0])
    assert [f.area.value for f in result.candidates] == ["role_transition", "role_dispute"]
    assert result.finding("role_dispute") is result.candidates[1]
    assert result.finding(ProblemArea.GRIEF) is None


if __name__ == "__main__":  # regenerate the golden file after a deliberate change of wording
    GOLDEN.write_text(json.dumps(_golden(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _transition_case(*events: Event) -> Case:
    return _case("tie", (_p("A"),), events)


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
        [f.evidence.summary for f in classify(_transition_case(*o)).candidates] for o in orders
    ]
    assert results[0] == results[1] == results[2]
    assert results[0] == [
        "other_change (a) on 2025-11-01, 30 days before onset",
        "other_change (b) on 2025-11-01, 30 days before onset",
        "other_change (c) involving A on 2025-11-01, 30 days before onset",
    ]


def test_classify_names_what_it_was_given() -> None:
    with pytest.raises(IptError, match=r"^classify: case must be a Case, got str$"):
        classify("case")  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^classify: rules must be a RuleSet, got dict$"):
        classify(_case("x"), {})  # type: ignore[arg-type]


def test_a_rules_warnings_see_the_rule_set() -> None:
    """A rule's warn function is given the case, the rule set and its findings (rules.Rule)."""
    rule = r.Rule(
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
    other = r.Modifier(
        id="second", name="second", source="[own]", quote="q", test=lambda c, s: "yes"
    )
    rules = r.STUART_RULES.evolve(modifiers=(r.SENSITIVITY, other))
    case = _case(
        "s",
        (_p("m", contact="never"),),
        (Event(date=date(2025, 11, 1), kind="death", person="m"),),
        patient=Patient(isolation="longstanding"),
    )
    assert ", with interpersonal_sensitivity, second" in classify(case, rules).describe()


def test_the_field_factory_builds_a_checked_field() -> None:
    """rules._f runs when the module is imported; called here, it checks like the fields it makes."""
    import attrs

    @attrs.frozen
    class Probe:
        name: str = r._f(str, "a name")
        count: int = r._f(int, "a count", default=0)

    assert Probe("x").count == 0
    with pytest.raises(IptError, match=r"^name: must be a name, got 3$"):
        Probe(3)  # type: ignore[arg-type]
    with pytest.raises(IptError, match=r"^count: must be a count, got True$"):
        Probe("x", True)


def test_a_finding_as_a_dict() -> None:
    """Finding.to_dict is JSON-ready: dates as ISO text, enums as their words."""
    case = _case("g", (_p("mum"),), (Event(date=date(2025, 9, 1), kind="death", person="mum"),))
    data = classify(case).candidates[0].to_dict()
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
