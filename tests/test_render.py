"""Tests of iptcore.draw.case: the closeness circle and the timeline as standalone SVG."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date

import attrs
import pytest
from hypothesis import given

from iptcore import DEFAULT_RULES, Case, Dispute, Event, IptError, Patient, Person, Tie, classify
from iptcore.deidentify import deidentify
from iptcore.draw.case import closeness_svg, timeline_svg
from iptcore.testing import cases
from iptcore.vignettes import VIGNETTES, vignette

SVG = "{http://www.w3.org/2000/svg}"


def _case(**changes: object) -> Case:
    """A small fictional case with every mark the circle draws."""
    base = Case(
        id="render-demo",
        assessed=date(2026, 3, 2),
        onset=date(2025, 12, 1),
        patient=Patient(name="Maya (fictional)"),
        people=(
            Person(
                id="jon",
                name="Jon",
                role="partner",
                closeness=1,
                dispute=Dispute(since=date(2025, 9, 20), stage="impasse"),
            ),
            Person(id="ana", name="Ana", role="friend", closeness=2, confidant=True),
            Person(id="mum", role="parent", closeness=2),
            Person(
                id="old",
                role="boss",
                closeness=4,
                dispute=Dispute(since=date(2023, 1, 1), ended=date(2023, 6, 1)),
            ),
        ),
        ties=(
            Tie(between=("jon", "ana"), kind="close"),
            Tie(between=("ana", "jon"), kind="conflict"),
            Tie(between=("mum", "jon"), kind="conflict"),
        ),
        events=(
            Event(date=date(2025, 10, 3), kind="death", person="mum"),
            Event(date=date(2025, 11, 17), kind="relocation"),
        ),
    )
    return attrs.evolve(base, **changes)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def _all_text(element: ET.Element) -> str:
    return " ".join(t for t in element.itertext())


def _check_standalone(root: ET.Element) -> None:
    """Valid, sized, with a viewBox, and accessible: <title> and <desc> first."""
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    assert root.get("viewBox") == f"0 0 {width:.1f} {height:.1f}"
    assert 200 <= width <= 6000
    assert 100 <= height <= 6000
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root.get("role") == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [root[0].get("id"), root[1].get("id")]
    assert (root[0].text or "").strip()
    assert (root[1].text or "").strip()
    # No script, no external reference: it needs nothing to view.
    text = ET.tostring(root, encoding="unicode")
    assert "<script" not in text
    assert "href" not in text


# -- the closeness circle --------------------------------------------------------------------------


def test_circle_is_a_standalone_accessible_svg() -> None:
    _check_standalone(_parse(closeness_svg(_case().inventory)))


def test_circle_always_draws_four_rings() -> None:
    """MUFSON2004; DIETZ2015: four rings; "Empty rings still show"."""
    for case in (_case(), Case(id="empty", assessed=date(2026, 1, 1), onset=date(2026, 1, 1))):
        root = _parse(closeness_svg(case.inventory))
        rings = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "ring"]
        assert sorted(int(c.get("data-ring", "0")) for c in rings) == [1, 2, 3, 4]
        radii = {int(c.get("data-ring", "0")): float(c.get("r", "0")) for c in rings}
        assert radii[1] < radii[2] < radii[3] < radii[4]


def _people(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-person", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "person"}


def test_circle_has_one_labelled_mark_per_person_on_their_ring() -> None:
    """As asked: "each person on their ring, labelled (name or pseudonym)"."""
    case = _case()
    root = _parse(closeness_svg(case.inventory))
    people = _people(root)
    assert sorted(people) == sorted(p.id for p in case.people)
    rings = {
        int(c.get("data-ring", "0")): float(c.get("r", "0"))
        for c in root.iter(f"{SVG}circle")
        if c.get("class") == "ring"
    }
    centre = next(c for g in root.iter(f"{SVG}g") if g.get("class") == "patient" for c in g)
    cx, cy = float(centre.get("cx", "0")), float(centre.get("cy", "0"))
    for person in case.people:
        mark = people[person.id].find(f"{SVG}circle")
        assert mark is not None
        distance = (
            (float(mark.get("cx", "0")) - cx) ** 2 + (float(mark.get("cy", "0")) - cy) ** 2
        ) ** 0.5
        inner = rings.get(person.closeness - 1, float(centre.get("r", "0")))
        assert inner < distance < rings[person.closeness]
        assert people[person.id].get("data-ring") == str(person.closeness)
    label = _all_text(people["jon"].find(f"{SVG}text"))  # type: ignore[arg-type]
    assert "Jon" in label
    assert "partner" in label
    assert "dispute: impasse" in label
    assert "mum" in _all_text(people["mum"])  # no name: the id


def test_circle_marks_are_said_in_words_not_only_colour() -> None:
    """As asked: "marked by role, dispute (with stage), deceased, confidant"; "text not only colour"."""
    root = _parse(closeness_svg(_case().inventory))
    people = _people(root)
    assert "★" in _all_text(people["ana"].find(f"{SVG}text"))  # type: ignore[arg-type]
    assert "†" in _all_text(people["mum"].find(f"{SVG}text"))  # type: ignore[arg-type]
    assert "died 2025-10-03" in _all_text(people["mum"])
    assert "dispute ended 2023-06-01" in _all_text(people["old"])
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    for words in ("confidant", "died", "open dispute", "close tie", "conflict tie", "family"):
        assert words in _all_text(legend)
    desc = root[1].text or ""
    assert "ring 3: nobody" in desc
    assert "Jon (partner, dispute since 2025-09-20 (impasse, open))" in desc


def test_circle_draws_disputes_and_ties() -> None:
    """Only the open dispute is drawn to the patient; each tie kind of each pair once."""
    root = _parse(closeness_svg(_case().inventory))
    disputes = [e for e in root.iter(f"{SVG}line") if e.get("class") == "dispute"]
    assert len(disputes) == 1
    ties = sorted(
        e.get("data-kind", "") for e in root.iter(f"{SVG}path") if e.get("class") == "tie"
    )
    assert ties == ["close", "conflict", "conflict"]
    dashes = {
        e.get("data-kind"): e.get("stroke-dasharray")
        for e in root.iter(f"{SVG}path")
        if e.get("class") == "tie"
    }
    assert dashes["close"] is None
    assert dashes["conflict"]  # told apart by the dash, not only the colour


def test_circle_labels_ids_or_pseudonyms() -> None:
    case = _case()
    by_id = _parse(closeness_svg(case.inventory, labels="id"))
    assert "Jon" not in _all_text(by_id)
    copy = deidentify(case, seed=3)
    text = closeness_svg(copy.inventory)
    for person in copy.people:
        assert person.id in text
    assert "Jon" not in text


def test_circle_is_deterministic_and_independent_of_input_order() -> None:
    """As asked: "deterministic layout"; people are placed in order of id, whatever the input order."""
    case = _case()
    shuffled = attrs.evolve(case, people=tuple(reversed(case.people)), ties=case.ties[::-1])
    assert closeness_svg(case.inventory) == closeness_svg(case.inventory)
    assert closeness_svg(case.inventory) == closeness_svg(shuffled.inventory)


def test_circle_escapes_every_text() -> None:
    hostile = "<b>&\"'\x00\x07\ufffe</b>]]>"
    case = _case(
        people=(Person(id="x", name=hostile, role="friend", closeness=1),),
        ties=(),
        events=(),
    )
    root = _parse(closeness_svg(case.inventory))
    assert "<b>&\"'" in _all_text(root)
    assert root.find(f".//{SVG}b") is None


def test_circle_grows_for_a_crowded_ring() -> None:
    crowd = tuple(Person(id=f"p{i:02d}", role="friend", closeness=1) for i in range(12))
    small = _parse(closeness_svg(_case(people=crowd[:2], ties=(), events=())))
    big = _parse(closeness_svg(_case(people=crowd, ties=(), events=())))
    assert float(big.get("width", "0")) > float(small.get("width", "0"))
    fixed = _parse(closeness_svg(_case(people=crowd, ties=(), events=()), size=300))
    assert float(fixed.get("width", "0")) < float(big.get("width", "0"))


def test_values_do_not_draw_themselves() -> None:
    """Pictures are free functions of iptcore.draw: neither a case nor an inventory has a method
    that draws it."""
    case = _case()
    assert not hasattr(case, "timeline_svg")
    assert not hasattr(case.inventory, "to_svg")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": 10}, "size: must be a whole number of pixels"),
        ({"size": 640.0}, "size: must be a whole number of pixels"),
        ({"labels": "names"}, "labels: must be 'name' or 'id'"),
    ],
)
def test_circle_refuses_bad_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(IptError, match=message):
        closeness_svg(_case().inventory, **options)  # type: ignore[arg-type]


def test_circle_refuses_what_is_not_an_inventory() -> None:
    with pytest.raises(IptError, match="inventory: must be an Inventory or a Case"):
        closeness_svg("jon")  # type: ignore[arg-type]


@given(cases())
def test_circle_of_any_case(case: Case) -> None:
    root = _parse(closeness_svg(case))
    _check_standalone(root)
    assert sorted(_people(root)) == sorted(p.id for p in case.people)
    assert len([c for c in root.iter(f"{SVG}circle") if c.get("class") == "ring"]) == 4
    # Everything lies inside the picture.
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cx", "0")) <= width
        assert 0 <= float(circle.get("cy", "0")) <= height


# -- the timeline ----------------------------------------------------------------------------------


def _x(element: ET.Element, name: str = "x1") -> float:
    return float(element.get(name, "nan"))


def test_timeline_is_a_standalone_accessible_svg() -> None:
    _check_standalone(_parse(timeline_svg(_case())))
    _check_standalone(_parse(timeline_svg(_case(), classify(_case()))))


def test_timeline_marks_events_onset_assessment_and_the_window() -> None:
    """As asked: "events on a time axis with onset and assessment marked, the 12-month window
    shaded" (the case format: "between 12 months before onset and assessed")."""
    case = _case()
    root = _parse(timeline_svg(case))
    events = [g for g in root.iter(f"{SVG}g") if g.get("class") == "event"]
    assert sorted(g.get("data-kind", "") for g in events) == ["death", "relocation"]
    lines = {e.get("class"): e for e in root.iter(f"{SVG}line") if e.get("class")}
    onset, assessed = _x(lines["onset"]), _x(lines["assessed"])
    window = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "window")
    start, end = _x(window, "x"), _x(window, "x") + _x(window, "width")
    assert start < onset < assessed
    assert end == pytest.approx(assessed, abs=0.2)
    # 12 months before onset to onset takes 365 of the 456 days from the window's start.
    assert (onset - start) / (assessed - start) == pytest.approx(365 / 456, abs=0.002)
    text = _all_text(root)
    assert "onset 2025-12-01" in text
    assert "assessed 2026-03-02" in text
    assert "† death of mum, 2025-10-03" in text
    assert "dispute with Jon (impasse)" in text


def test_timeline_window_follows_window_months() -> None:
    case = _case()
    six = _parse(timeline_svg(case, window_months=6))
    assert "window from 2025-06-01 (6 months before onset)" in (six[1].text or "")


def test_timeline_anchors_only_with_a_classification() -> None:
    """As asked: "each candidate's anchor highlighted"; without a classification, no anchors."""
    case = _case()
    bare = _parse(timeline_svg(case))
    assert not [g for g in bare.iter(f"{SVG}g") if g.get("class") == "anchor"]
    result = classify(case)
    assert result.candidates
    root = _parse(timeline_svg(case, result))
    anchors = [g for g in root.iter(f"{SVG}g") if g.get("class") == "anchor"]
    # One numbered mark per candidate, even where two share an anchor.
    assert sorted(int(g.get("data-rank", "0")) for g in anchors) == list(
        range(1, len(result.candidates) + 1)
    )
    for g in anchors:
        assert "".join(g.itertext()).strip().endswith(g.get("data-rank", "?"))
    text = _all_text(root)
    for i, finding in enumerate(result.candidates):
        assert f"{i + 1}. {finding.area.value.replace('_', ' ')}, anchor {finding.anchor}" in text


def test_timeline_refuses_bad_arguments() -> None:
    case = _case()
    with pytest.raises(IptError, match="classification: must be a Classification"):
        timeline_svg(case, "grief")  # type: ignore[arg-type]
    with pytest.raises(IptError, match="window_months: must be 1 to 1200"):
        timeline_svg(case, window_months=0)
    with pytest.raises(IptError, match="window_months: must be a whole number"):
        timeline_svg(case, window_months=12.0)  # type: ignore[arg-type]
    with pytest.raises(IptError, match="width: must be a whole number"):
        timeline_svg(case, width=50)
    with pytest.raises(IptError, match=r"case: must be an iptcore\.Case"):
        timeline_svg(case.inventory)  # type: ignore[arg-type]


def test_timeline_is_deterministic() -> None:
    case = _case()
    shuffled = attrs.evolve(case, events=case.events[::-1], people=case.people[::-1])
    assert timeline_svg(case, classify(case)) == timeline_svg(shuffled, classify(shuffled))


def _window_rect(svg: str) -> str:
    # What the shaded rectangle says it is (its place depends on the rest of the picture).
    found = re.search(r"<rect class='window'[^>]*><title>([^<]*)</title>", svg)
    assert found is not None
    return found.group(1)


def test_the_timeline_shades_the_window_of_the_rules_that_classified_the_case() -> None:
    """The shaded window is the classification's own: after classifying with a six-month rule
    set, the picture shades six months before onset, not the default twelve."""
    case = _case()
    six = attrs.evolve(DEFAULT_RULES, window_months=6)
    drawn = timeline_svg(case, classify(case, six))
    assert _window_rect(drawn) == _window_rect(timeline_svg(case, window_months=6))
    assert _window_rect(drawn) != _window_rect(timeline_svg(case))
    with pytest.raises(IptError, match="window_months: 12 disagrees"):
        timeline_svg(case, classify(case, six), window_months=12)


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_pictures_of_every_vignette(name: str) -> None:
    case = vignette(name)
    for svg in (closeness_svg(case), timeline_svg(case, classify(case))):
        _check_standalone(_parse(svg))
        assert not re.search(r"\bnan\b|\binf\b", svg)


@given(cases())
def test_timeline_of_any_case(case: Case) -> None:
    svg = timeline_svg(case, classify(case))
    root = _parse(svg)
    _check_standalone(root)
    events = [g for g in root.iter(f"{SVG}g") if g.get("class") == "event"]
    assert len(events) == len(case.events)
    assert not re.search(r"\bnan\b|\binf\b", svg)
    assert svg == timeline_svg(case, classify(case))


# -- read at the size the docs show them (the browser measures this too: tests/test_browser.py) --

_LANDING = 560  # px: the landing page shows the closeness circle this wide


def _sizes(root: ET.Element) -> list[float]:
    """Every font size the picture sets, in the picture's own pixels."""
    return [float(e.get("font-size", "0")) for e in root.iter() if e.get("font-size")]


@pytest.mark.parametrize("name", sorted(VIGNETTES))
def test_circle_text_is_legible_at_the_landing_pages_width(name: str) -> None:
    """Scaled to 560 px, every text of the circle is at least 11 px: the picture is not much
    wider than that, the key under the circle rather than far right of it."""
    root = _parse(closeness_svg(vignette(name)))
    scale = min(1.0, _LANDING / float(root.get("width", "0")))
    assert min(_sizes(root)) * scale >= 11


def test_circle_spreads_people_round_the_whole_circle() -> None:
    """People go round the whole circle at even angles, whatever their rings, instead of each
    ring on its own (which left half the circle empty)."""
    people = tuple(
        Person(id=f"p{i}", role="friend", closeness=ring) for i, ring in enumerate((1, 2, 2, 3, 1))
    )
    root = _parse(closeness_svg(_case(people=people, ties=(), events=())))
    centre = next(c for g in root.iter(f"{SVG}g") if g.get("class") == "patient" for c in g)
    cx, cy = float(centre.get("cx", "0")), float(centre.get("cy", "0"))
    angles = sorted(
        math.atan2(float(c.get("cy", "0")) - cy, float(c.get("cx", "0")) - cx)
        for g in _people(root).values()
        for c in g.iter(f"{SVG}circle")
    )
    gaps = [b - a for a, b in itertools.pairwise([*angles, angles[0] + 2 * math.pi])]
    assert max(gaps) == pytest.approx(2 * math.pi / len(people), abs=0.01)


def _anchor_discs(root: ET.Element) -> list[tuple[float, float, float]]:
    return [
        (float(c.get("cx", "0")), float(c.get("cy", "0")), float(c.get("r", "0")))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "anchor"
        for c in g.iter(f"{SVG}circle")
    ]


def test_timeline_candidates_close_in_time_are_told_apart() -> None:
    """Three candidates anchored a week or two apart: three numbered discs that do not overlap,
    rather than three rings drawn over each other and one label "1, 2, 3"."""
    case = vignette("demo")
    result = classify(case)
    assert len(result.candidates) >= 3
    root = _parse(timeline_svg(case, result))
    discs = _anchor_discs(root)
    assert len(discs) == len(result.candidates)
    for i, (x1, y1, r1) in enumerate(discs):
        for x2, y2, r2 in discs[i + 1 :]:
            assert math.hypot(x2 - x1, y2 - y1) >= r1 + r2
    assert "1, 2" not in _all_text(root)


def test_timeline_cuts_a_long_empty_stretch_and_keeps_lines_off_the_ticks() -> None:
    """The window reaches 12 months before onset while the events are in the last few: the axis
    is cut where nothing happens, so that the events fill the picture; and no tick's label sits
    under the onset or assessment line."""
    case = vignette("demo")
    svg = timeline_svg(case, classify(case))
    root = _parse(svg)
    assert [g for g in root.iter(f"{SVG}g") if g.get("class") == "axis-break"]
    assert "The axis is broken where nothing happens" in (root[1].text or "")
    lines = [
        float(e.get("x1", "0"))
        for e in root.iter(f"{SVG}line")
        if e.get("class") in ("onset", "assessed")
    ]
    for tick in (t for t in root.iter(f"{SVG}text") if t.get("class") == "tick-label"):
        half = len(tick.text or "") * 12 * 0.6 / 2
        assert all(abs(float(tick.get("x", "0")) - x) > half for x in lines), tick.text
    width = float(root.get("width", "0"))
    events = [
        float(c.get("cx", "0"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "event"
        for c in g.iter(f"{SVG}circle")
    ]
    assessed = max(lines)
    assert assessed - min(events) >= 0.45 * width


def test_timeline_width_is_the_one_asked_for() -> None:
    """``width`` sets the picture's width in pixels; the default is the picture's own."""
    case = _case()
    asked = _parse(timeline_svg(case, None, width=640))
    assert float(asked.get("width", "0")) == 640
    assert float(_parse(timeline_svg(case)).get("width", "0")) != 640


# -- the layout's rules, worked out for small fictional cases ------------------------------------
#
# Each expectation below is worked out by hand from the rule the code's docstrings state (where a
# person's mark and label go, which lane an event label takes, where the axis is cut, which dates
# get ticks, what the key says), so that a changed number, bound or word in the layout fails.

_EM = 0.6  # the average glyph width, in em, that the pictures size their labels by


def _by_class(root: ET.Element, tag: str, name: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == name]


def _f(element: ET.Element, name: str) -> float:
    return float(element.get(name, "nan"))


def _days(a: date, b: date) -> int:
    return (b - a).days


def _axis_case(**changes: object) -> Case:
    """Fictional: onset 2025-12-01, assessed 2026-03-02, two events in the last three months."""
    base = Case(
        id="axis",
        assessed=date(2026, 3, 2),
        onset=date(2025, 12, 1),
        events=(
            Event(date=date(2025, 10, 3), kind="relocation"),
            Event(date=date(2025, 11, 17), kind="job_loss"),
        ),
    )
    return attrs.evolve(base, **changes)


def test_axis_is_cut_in_a_long_empty_stretch_with_margins_and_every_day_in_place() -> None:
    """[FOCUS]: what happened near onset fills the picture. The window starts 2024-12-01 (12
    months before onset); nothing happens until 2025-10-03,
    306 of the axis's 456 days: more than a third, so the axis is cut there, keeping a margin of
    4 % of the days (18) each side. The shown stretches, 2024-11-13..2024-12-19 and
    2025-09-15..2026-03-20, share the 672 px between the margins less the cut's 28 px."""
    root = _parse(timeline_svg(_axis_case()))
    desc = root[1].text or ""
    assert "The axis is broken where nothing happens: from 2024-12-19 to 2025-09-15. " in desc
    cuts = _by_class(root, "g", "axis-break")
    assert len(cuts) == 1
    assert (cuts[0].findtext(f"{SVG}title") or "") == (
        "no events from 2024-12-19 to 2025-09-15: the axis is cut short"
    )
    scale = (720 - 48 - 28) / (
        _days(date(2024, 11, 13), date(2024, 12, 19)) + _days(date(2025, 9, 15), date(2026, 3, 20))
    )
    first_end = 24 + 36 * scale
    second = first_end + 28  # where 2025-09-15 is

    def x(day: date) -> float:
        if day <= date(2024, 12, 19):
            return 24 + _days(date(2024, 11, 13), day) * scale
        return second + _days(date(2025, 9, 15), day) * scale

    pieces = [(_f(e, "x1"), _f(e, "x2")) for e in _by_class(root, "line", "axis")]
    assert pieces == [
        (pytest.approx(24, abs=0.06), pytest.approx(first_end, abs=0.06)),
        (pytest.approx(second, abs=0.06), pytest.approx(696, abs=0.06)),
    ]
    # The cut's two strokes, centred between the pieces.
    path = cuts[0].find(f"{SVG}path")
    assert path is not None
    xs = [float(v) for v in (path.get("d") or "").split()[1::3]]
    gx = second - 14
    assert xs == [pytest.approx(v, abs=0.06) for v in (gx - 7, gx - 1, gx + 1, gx + 7)]
    window = _by_class(root, "rect", "window")[0]
    assert _f(window, "x") == pytest.approx(x(date(2024, 12, 1)), abs=0.06)
    events = [_f(c, "cx") for g in _by_class(root, "g", "event") for c in g.iter(f"{SVG}circle")]
    assert events == [
        pytest.approx(x(date(2025, 10, 3)), abs=0.06),
        pytest.approx(x(date(2025, 11, 17)), abs=0.06),
    ]
    assert _f(_by_class(root, "line", "onset")[0], "x1") == pytest.approx(
        x(date(2025, 12, 1)), abs=0.06
    )
    assert _f(_by_class(root, "line", "assessed")[0], "x1") == pytest.approx(
        x(date(2026, 3, 2)), abs=0.06
    )
    # Monthly ticks (7.3 months shown), none in the cut; 2025-12 is on the onset line and 2026-03
    # (4.3 px from assessment, less than half its label's width) under the assessment line: left
    # out.
    ticks = [(t.text, _f(t, "x")) for t in _by_class(root, "text", "tick-label")]
    assert ticks == [
        (label, pytest.approx(x(day), abs=0.06))
        for label, day in (
            ("2024-12", date(2024, 12, 1)),
            ("2025-10", date(2025, 10, 1)),
            ("2025-11", date(2025, 11, 1)),
            ("2026-01", date(2026, 1, 1)),
            ("2026-02", date(2026, 2, 1)),
        )
    ]


def _gaps(case: Case, window_months: int = 1) -> str:
    desc = _parse(timeline_svg(case, window_months=window_months))[1].text or ""
    found = re.search(r"The axis is broken where nothing happens: ([^.]*)\.", desc)
    return found.group(1) if found else ""


def test_axis_is_cut_only_in_a_gap_longer_than_a_third_of_the_days_and_four_margins() -> None:
    """A gap is cut when it is longer than a third of all the days and than four margins (of at
    least 3 days). 39 days from the window's start: a gap of exactly 13 days (a third) is kept,
    one of 15 is cut. 31 days: a gap of exactly 12 days (four margins of 3) is kept, 13 is cut."""
    third = Case(
        id="third",
        onset=date(2025, 3, 1),
        assessed=date(2025, 3, 12),
        events=(Event(date=date(2025, 2, 14), kind="relocation"),),
    )
    assert _gaps(third) == "from 2025-02-17 to 2025-02-26"
    margins = Case(
        id="margins",
        onset=date(2025, 3, 1),
        assessed=date(2025, 3, 4),
        events=(
            Event(date=date(2025, 2, 13), kind="relocation"),
            Event(date=date(2025, 2, 26), kind="job_loss"),
        ),
    )
    assert _gaps(margins) == "from 2025-02-16 to 2025-02-23"


def test_axis_is_never_cut_between_onset_and_assessment() -> None:
    """How long the illness has lasted is shown true: eleven empty months from onset to
    assessment, most of the axis, are not cut."""
    case = Case(id="long", onset=date(2025, 1, 1), assessed=date(2025, 12, 1))
    root = _parse(timeline_svg(case, window_months=1))
    assert "broken" not in (root[1].text or "")
    assert not _by_class(root, "g", "axis-break")
    pieces = [(_f(e, "x1"), _f(e, "x2")) for e in _by_class(root, "line", "axis")]
    assert pieces == [(24.0, 696.0)]


def _tick_labels(case: Case, window_months: int = 1) -> list[str]:
    root = _parse(timeline_svg(case, window_months=window_months))
    return [t.text or "" for t in _by_class(root, "text", "tick-label")]


def test_a_cut_axis_says_year_and_month_when_its_ticks_are_months_apart() -> None:
    """Ticks whole years apart are labelled with the year alone, others with year and month. A
    cut in the axis puts years between its last tick before the cut and its first after, but the
    ticks are still months apart: a fictional case with a death in April 2022 and the rest in
    2025-26 has ticks every 3 months (January, April, July, October), each labelled with year
    and month, every label different; never "2022" then "2025" four times."""
    mum = Person(id="mum", role="parent", closeness=1, contact="weekly")
    death = Event(date=date(2022, 4, 20), kind="death", person="mum", mourning="avoided")
    case = Case(
        id="cut", assessed=date(2026, 3, 2), onset=date(2025, 12, 1), people=(mum,), events=(death,)
    )
    root = _parse(timeline_svg(case, classify(case)))
    assert len(_by_class(root, "g", "axis-break")) == 1
    labels = [t.text or "" for t in _by_class(root, "text", "tick-label")]
    assert labels[0] == "2022-04"
    assert all(re.fullmatch(r"\d{4}-(01|04|07|10)", label) for label in labels)
    assert len(set(labels)) == len(labels)


def test_a_disputes_words_are_sized_at_their_own_font_when_placed() -> None:
    """A dispute's words are drawn at 12 px and placed by that size (0.6 em a character, plus
    6 px): on the right of the bar's start unless they would cross the onset or assessment line
    there and fit on the left. A fictional dispute since 2025-03-06: its 37 characters take
    37 * 12 * 0.6 + 6 = 272.4 px, which on the right would cross the onset line and on the left
    stay inside the picture (sized at 13 px, the events' font, they would not)."""
    jon = Person(id="jon", role="partner", closeness=1, contact="daily",
                 dispute=Dispute(since=date(2025, 3, 6)))  # fmt: skip
    case = Case(id="sized", assessed=date(2026, 3, 2), onset=date(2025, 12, 1), people=(jon,))
    root = _parse(timeline_svg(case, classify(case)))
    (group,) = _by_class(root, "g", "dispute")
    bar, text = group.find(f"{SVG}rect"), group.find(f"{SVG}text")
    assert bar is not None
    assert text is not None
    words = text.text or ""
    assert words == "dispute with jon (stage not assessed)"
    assert text.get("font-size") == "12.0"
    x1 = _f(bar, "x")
    width = len(words) * 12 * _EM + 6
    (onset,) = _by_class(root, "line", "onset")
    left = min(_f(e, "x1") for e in _by_class(root, "line", "axis"))
    assert x1 < _f(onset, "x1") < x1 + width  # on the right it would cross the onset line
    assert left <= x1 - width  # on the left it fits at 12 px
    assert x1 - (len(words) * 13 * _EM + 6) < left  # at 13 px it would not
    assert (text.get("text-anchor"), _f(text, "x")) == ("end", x1)


def test_disputes_that_start_and_end_together_are_drawn_in_order_of_person() -> None:
    """Two disputes since the same day, both still open (fictional): the timeline draws both, in
    order of the people's ids whatever the order of the case's people, as it orders every
    dispute by start, end, then person."""
    since = date(2025, 9, 1)
    jon = Person(id="jon", role="partner", closeness=1, dispute=Dispute(since=since))
    ana = Person(id="ana", role="sibling", closeness=2, dispute=Dispute(since=since))
    titles = []
    for people in ((jon, ana), (ana, jon)):
        case = Case(id="two", assessed=date(2026, 3, 2), onset=date(2025, 12, 1), people=people)
        root = _parse(timeline_svg(case, classify(case)))
        groups = _by_class(root, "g", "dispute")
        titles.append([g.findtext(f"{SVG}title") for g in groups])
    assert (
        titles[0]
        == titles[1]
        == [
            "dispute with ana (stage not assessed)",
            "dispute with jon (stage not assessed)",
        ]
    )


def _uncut(days: int) -> Case:
    """A fictional case whose axis is one stretch: the window (one month) starts ``days`` before
    assessment on 2024-06-10, onset a month later, nothing else."""
    start = date.fromordinal(date(2024, 6, 10).toordinal() - days)
    onset = date(start.year + (start.month == 12), start.month % 12 + 1, start.day)
    return Case(id="ticks", onset=onset, assessed=date(2024, 6, 10))


@pytest.mark.parametrize(
    ("days", "labels"),
    [
        # 547 days shown (18 months): every 2 months, from the first even month index.
        (507, ["2023-05", "2023-07", "2023-09", "2023-11", "2024-01", "2024-03", "2024-05"]),
        # 30 months: every 3 (January, April, July, October).
        (
            845,
            [
                "2022-07",
                "2022-10",
                "2023-01",
                "2023-04",
                "2023-07",
                "2023-10",
                "2024-01",
                "2024-04",
            ],
        ),
        # 50 months: every 6.
        (
            1407,
            [
                "2020-07",
                "2021-01",
                "2021-07",
                "2022-01",
                "2022-07",
                "2023-01",
                "2023-07",
                "2024-01",
            ],
        ),
        # 100 months: yearly, said as the year.
        (2815, ["2018", "2019", "2020", "2021", "2022", "2023", "2024"]),
        # 200 months: every 2 years.
        (5630, ["2010", "2012", "2014", "2016", "2018", "2020", "2022", "2024"]),
        # 500 months: every 5 years.
        (14074, ["1990", "1995", "2000", "2005", "2010", "2015", "2020"]),
        # exactly 660 months, 11 steps of 5 years: still every 5 years (1975 and 2025 fall under
        # the onset and assessment lines).
        (18578, ["1980", "1985", "1990", "1995", "2000", "2005", "2010", "2015", "2020"]),
        # 1000 months: every 10 years.
        (28148, ["1950", "1960", "1970", "1980", "1990", "2000", "2010", "2020"]),
        # 2000 months: every 50 years.
        (56296, ["1900", "1950", "2000"]),
        # 67.2 months: 11.2 steps of 6 months is more than 11, so yearly.
        (1892, ["2020", "2021", "2022", "2023", "2024"]),
    ],
)
def test_ticks_fall_on_first_days_of_months_at_most_eleven_steps_apart(
    days: int, labels: list[str]
) -> None:
    """Ticks are first days of months every 1, 2, 3, 6, 12, 24, 60, 120 or 600 months, the
    smallest step that gives at most 11 steps over the months shown (days / 30.4), each on a
    multiple of the step counted from year 0; a tick under the onset or assessment line or too
    near the picture's edge is left out."""
    assert _tick_labels(_uncut(days)) == labels


def test_ticks_include_the_first_and_last_day_shown() -> None:
    """The axis shows 2019-01-01 to 2025-01-01 (81-day margins round 2019-03-23..2024-10-12,
    2192 days, 72 months: yearly): the ticks on the first and the last day shown are drawn, at
    the axis's two ends."""
    case = Case(
        id="ends",
        onset=date(2024, 3, 23),
        assessed=date(2024, 10, 12),
        events=(
            Event(date=date(2020, 6, 1), kind="relocation"),
            Event(date=date(2021, 9, 1), kind="new_job"),
            Event(date=date(2023, 1, 1), kind="marriage"),
        ),
    )
    root = _parse(timeline_svg(case, window_months=60))
    ticks = [(t.text, _f(t, "x")) for t in _by_class(root, "text", "tick-label")]
    scale = 672 / _days(date(2019, 1, 1), date(2025, 1, 1))
    assert ticks == [
        (str(year), pytest.approx(24 + _days(date(2019, 1, 1), date(year, 1, 1)) * scale, abs=0.06))
        for year in range(2019, 2026)
    ]


def test_ticks_of_a_millennium_are_a_century_apart() -> None:
    """Onset 1000-01-01, assessed 2024-06-10: 13,000 months shown, more than 11 steps of 600, so a
    tick every 1200 months (each century); 1000 and 2000 fall under the onset and assessment
    lines."""
    case = Case(id="long-ago", onset=date(1000, 1, 1), assessed=date(2024, 6, 10))
    assert _tick_labels(case) == [str(year) for year in range(1100, 2000, 100)]


def test_ticks_reach_the_last_year_a_date_can_have() -> None:
    """Onset 9999-01-01, assessed 9999-12-01: 13 months shown, a tick every 2 months up to the
    last month of year 9999 and no further (9999-01 is under the onset line)."""
    case = Case(id="late", onset=date(9999, 1, 1), assessed=date(9999, 12, 1))
    assert _tick_labels(case) == ["9999-03", "9999-05", "9999-07", "9999-09", "9999-11"]


def test_window_months_may_be_1_to_1200() -> None:
    """The window is 1 to 1200 calendar months before onset; 1201 is refused in words."""
    case = _axis_case()
    one = _parse(timeline_svg(case, window_months=1))[1].text or ""
    assert "the window from 2025-11-01 (1 month before onset)" in one
    most = _parse(timeline_svg(case, window_months=1200))[1].text or ""
    assert "the window from 1925-12-01 (1200 months before onset)" in most
    with pytest.raises(IptError, match=r"^window_months: must be 1 to 1200, got 1201$"):
        timeline_svg(case, window_months=1201)


def test_window_months_that_disagree_with_the_rule_set_are_refused_naming_it() -> None:
    """Given with a classification, window_months must agree with its rule set: the refusal
    names the rule set and its own window."""
    case = _case()
    six = attrs.evolve(DEFAULT_RULES, window_months=6)
    with pytest.raises(IptError) as refused:
        timeline_svg(case, classify(case, six), window_months=12)
    assert str(refused.value) == (
        f"window_months: 12 disagrees with the classification's rule set ({six.name}: 6 months); "
        "leave it out to draw that window"
    )


def test_candidates_are_listed_with_their_person_or_refused_by_name() -> None:
    """Each candidate is listed with its rank, area, anchor and person (by name where the case
    gives one); something that is not a classification, or a candidate without an anchor date
    and an area, is refused in words."""
    case = _case()
    root = _parse(timeline_svg(case, classify(case)))
    listed = [t.text for t in root.iter(f"{SVG}text") if re.match(r"\d\. ", t.text or "")]
    assert listed == [
        "1. role transition, anchor 2025-11-17",
        "2. grief, anchor 2025-10-03, mum",
        "3. role dispute, anchor 2025-09-20, Jon",
    ]
    with pytest.raises(IptError) as refused:
        timeline_svg(case, "grief")  # type: ignore[arg-type]
    assert str(refused.value) == (
        "classification: must be a Classification (from iptcore.classify) or None, got str"
    )
    from types import SimpleNamespace

    day = date(2025, 10, 3)
    for candidate in (
        SimpleNamespace(area="grief"),
        SimpleNamespace(anchor=day),
        SimpleNamespace(anchor=day, area=None),
    ):
        fake = SimpleNamespace(candidates=[candidate], rules=None)
        with pytest.raises(IptError) as refused:
            timeline_svg(case, fake)  # type: ignore[arg-type]
        assert str(refused.value) == "classification: candidate 0 has no anchor date and area"
    # A candidate that names no person (or no person by id) is listed without one.
    for candidate in (
        SimpleNamespace(anchor=day, area="grief"),
        SimpleNamespace(anchor=day, area="grief", person=3),
    ):
        fake = SimpleNamespace(candidates=[candidate], rules=None)
        drawn = _parse(timeline_svg(case, fake))  # type: ignore[arg-type]
        assert "1. grief, anchor 2025-10-03" in [t.text for t in drawn.iter(f"{SVG}text")]


def _first_fit(spans: list[tuple[float, float]]) -> list[int]:
    """The lane of each span in order: the lowest whose last span ends before it starts."""
    ends: list[float] = []
    lanes = []
    for start, end in spans:
        lane = next((i for i, last in enumerate(ends) if last < start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        lanes.append(lane)
    return lanes


def test_event_labels_take_the_lowest_lane_that_keeps_them_apart() -> None:
    """Event labels sit above the axis in lanes, lane 0 nearest it: each label (its width taken
    as 0.6 em a character, plus 6 px) takes the lowest lane whose last label ends before it
    starts, so that no two labels of a lane overlap. Ten fictional events a day apart need ten
    lanes; later ones go back to the lowest free lane."""
    kinds = ("relocation", "job_loss", "new_job", "marriage", "illness", "injury", "migration")
    events = [
        Event(date=date.fromordinal(date(2025, 11, 1).toordinal() + i), kind=kinds[i % 7])
        for i in range(10)
    ]
    events += [
        Event(date=date(2026, 1, 10), kind="graduation"),
        Event(date=date(2026, 1, 20), kind="promotion"),
        Event(date=date(2026, 2, 20), kind="retirement"),
        Event(date=date(2025, 12, 20), kind="illness"),
    ]
    case = _axis_case(id="lanes", events=tuple(events))
    root = _parse(timeline_svg(case))
    axis_y = _f(_by_class(root, "line", "axis")[0], "y1")
    spans, lanes = [], []
    for group in _by_class(root, "g", "event"):
        label = group.find(f"{SVG}text")
        assert label is not None
        x, width = _f(label, "x"), len(label.text or "") * 13 * _EM + 6
        spans.append((x - width, x) if label.get("text-anchor") == "end" else (x, x + width))
        lane = (axis_y - 16 - _f(label, "y")) / (13 * 1.8)
        assert lane == pytest.approx(round(lane), abs=0.01)
        lanes.append(round(lane))
    assert len(lanes) == len(events)
    assert lanes == _first_fit(spans)
    assert max(lanes) == 9
    for (a, b), lane in zip(spans, lanes, strict=True):
        for (c, d), other in zip(spans, lanes, strict=True):
            assert (a, b) == (c, d) or lane != other or b <= c or d <= a


def test_circle_names_its_parts_by_the_case_and_tells_lines_apart_by_dashes() -> None:
    """The title, the description and each person's mark have ids made from the case's id (so
    that two pictures on one page do not clash); an open dispute is a red line dashed 8-4, a
    conflict tie dotted 2-3, a close tie solid."""
    root = _parse(closeness_svg(_case().inventory))
    assert [root[0].get("id"), root[1].get("id")] == [
        "iptcore-circle-render-demo-title",
        "iptcore-circle-render-demo-desc",
    ]
    assert _people(root)["jon"].get("id") == "iptcore-person-render-demo-jon"
    timeline = _parse(timeline_svg(_case()))
    assert [timeline[0].get("id"), timeline[1].get("id")] == [
        "iptcore-timeline-render-demo-title",
        "iptcore-timeline-render-demo-desc",
    ]
    (dispute,) = _by_class(root, "line", "dispute")
    assert (
        dispute.get("stroke"),
        dispute.get("stroke-width"),
        dispute.get("stroke-dasharray"),
    ) == (
        "#c62828",
        "3.0",
        "8.0 4.0",
    )
    ties = {(t.get("data-kind"), t.get("stroke-dasharray")) for t in _by_class(root, "path", "tie")}
    assert ties == {("close", None), ("conflict", "2.0 3.0")}


def _lines(group: ET.Element) -> list[str]:
    label = group.find(f"{SVG}text")
    assert label is not None
    return [span.text or "" for span in label.iter(f"{SVG}tspan")]


def test_circle_labels_say_name_and_marks_role_and_dispute_line_by_line() -> None:
    """A label's lines: the name (or id) with † for a person who died and ★ for a confidant,
    the role in words, then an open dispute's stage (or "stage to assess") or when it ended."""
    ex = Person(
        id="ex",
        role="ex_partner",
        closeness=3,
        dispute=Dispute(since=date(2025, 9, 1)),
    )
    case = _case(people=(*_case().people, ex))
    people = _people(_parse(closeness_svg(case.inventory)))
    assert {pid: _lines(group) for pid, group in people.items()} == {
        "jon": ["Jon", "partner", "dispute: impasse"],
        "ana": ["Ana ★", "friend"],
        "mum": ["† mum", "parent"],
        "old": ["old", "boss", "dispute ended 2023-06-01"],
        "ex": ["ex", "ex partner", "dispute: stage to assess"],
    }


def test_circle_shortens_a_name_longer_than_22_characters() -> None:
    """A name of up to 22 characters is shown whole; a longer one as its first 21 and "…", the
    whole name staying in the mark's title."""
    whole, long = "Abcdefghij Klmnopqrstu", "Abcdefghij Klmnopqrstuv"
    assert (len(whole), len(long)) == (22, 23)
    case = _case(
        people=(
            Person(id="a", name=whole, role="friend", closeness=1),
            Person(id="b", name=long, role="friend", closeness=2),
        ),
        ties=(),
        events=(),
    )
    people = _people(_parse(closeness_svg(case.inventory)))
    assert _lines(people["a"])[0] == whole
    assert _lines(people["b"])[0] == "Abcdefghij Klmnopqrst…"
    assert (people["b"].findtext(f"{SVG}title") or "").startswith(f"{long}: ring 2")


def test_circle_fills_each_mark_by_its_roles_family_and_says_the_family() -> None:
    """The fill shows the role's family (partner, family, friends and community, work and
    school, care and other), said in the mark's title; a person who died is grey."""
    extra = (
        Person(id="doc", role="clinician", closeness=4),
        Person(id="sis", role="sibling", closeness=3),
    )
    case = _case(people=(*_case().people, *extra))
    people = _people(_parse(closeness_svg(case.inventory)))
    marks = {}
    for pid, group in people.items():
        mark = group.find(f"{SVG}circle")
        assert mark is not None
        marks[pid] = (mark.get("fill"), mark.findtext(f"{SVG}title"))
    assert marks == {
        "jon": ("#f8bbd0", "partner"),
        "ana": ("#c8e6c9", "friends and community"),
        "mum": ("#9e9e9e", "family"),
        "old": ("#ffe0b2", "work and school"),
        "doc": ("#e1bee7", "care and other"),
        "sis": ("#bbdefb", "family"),
    }


def test_circle_of_nobody_is_380_px_across_with_the_key_in_two_columns_under_it() -> None:
    """With nobody to label, the circle is the first size tried, 380 px across (rings at 76,
    114, 152 and 190 px: the patient's disc a fifth of the outer radius, the bands equal); the
    key sits 12 px under the picture's circle, in two columns of 6 and 5 rows 19.2 px apart, the
    second column 24 px right of the first's longest words (0.6 em a character at 12 px, after
    26 px for the mark), the whole as wide as the key and 10 px margins need (456 px)."""
    case = Case(id="empty", assessed=date(2026, 1, 1), onset=date(2026, 1, 1))
    root = _parse(closeness_svg(case.inventory))
    assert (root.get("width"), root.get("height")) == ("456.0", "544.4")
    rings = {
        c.get("data-ring"): (c.get("cx"), c.get("cy"), c.get("r"))
        for c in _by_class(root, "circle", "ring")
    }
    assert rings == {
        "1": ("228.0", "200.0", "76.0"),
        "2": ("228.0", "200.0", "114.0"),
        "3": ("228.0", "200.0", "152.0"),
        "4": ("228.0", "200.0", "190.0"),
    }
    (legend,) = _by_class(root, "g", "legend")
    assert (legend.tail or "").strip() == ""
    title = legend.find(f"{SVG}text")
    assert title is not None
    assert (title.get("x"), title.get("y"), title.text) == ("10.0", "412.0", "Key")
    rows = []
    for entry in legend.findall(f"{SVG}g"):
        mark, words = entry[0], entry[-1]
        assert (words.get("x"), words.get("y")) == ("26", "4.2")
        if mark.tag == f"{SVG}text":
            assert mark.get("y") == "4.2"
        rows.append((entry.get("transform"), words.text))
    first = [
        "rings, 1 the closest",
        "partner",
        "family",
        "friends and community",
        "work and school",
        "care and other",
    ]
    second = [
        "confidant",
        "died (grey, dashed)",
        "open dispute with the patient",
        "close tie",
        "conflict tie",
    ]
    step = 12 * 1.6
    left2 = 10 + 26 + len("friends and community") * 12 * _EM + 24
    assert rows == [
        (f"translate(10.0 {412 + (i + 1) * step:.1f})", words) for i, words in enumerate(first)
    ] + [
        (f"translate({left2:.1f} {412 + (i + 1) * step:.1f})", words)
        for i, words in enumerate(second)
    ]
    assert [m.text for e in legend.findall(f"{SVG}g") for m in e[:1] if m.tag == f"{SVG}text"] == [
        "1-4",
        "★",
        "†",
    ]


def test_circle_goes_round_the_rings_interleaved_by_share_of_the_turn() -> None:
    """Each ring's people are spread over the whole turn in order of id, at (i + 1/2) / n of it,
    and the rings interleaved by that share: ring 1's a and b at 1/4 and 3/4, ring 2's c, d, e at
    1/6, 1/2 and 5/6 go round as c, a, d, b, e, starting half a step past the top."""
    people = (
        Person(id="a", role="friend", closeness=1),
        Person(id="b", role="friend", closeness=1),
        Person(id="c", role="friend", closeness=2),
        Person(id="d", role="friend", closeness=2),
        Person(id="e", role="friend", closeness=2),
    )
    root = _parse(closeness_svg(_case(people=people, ties=(), events=())))
    centre = next(c for g in _by_class(root, "g", "patient") for c in g)
    cx, cy = _f(centre, "cx"), _f(centre, "cy")
    turns = {}
    for pid, group in _people(root).items():
        mark = group.find(f"{SVG}circle")
        assert mark is not None
        angle = math.atan2(_f(mark, "cy") - cy, _f(mark, "cx") - cx)
        turns[pid] = ((angle + math.pi / 2) / (2 * math.pi)) % 1
    order = sorted(turns, key=turns.__getitem__)
    assert order == ["c", "a", "d", "b", "e"]
    for i, pid in enumerate(order):
        assert turns[pid] == pytest.approx((i + 0.5) / 5, abs=0.002)


def _label_box(label: ET.Element) -> tuple[float, float, float, float]:
    """A label's box as the circle sizes it: 0.6 em a character (the name at 13 px, the rest at
    12), from the cap of the first line (0.8 em of 13 px above its baseline) to the foot of the
    last (15 px a line, and a quarter em of 12 px)."""
    lines = [span.text or "" for span in label.iter(f"{SVG}tspan")]
    wide = max(len(t) * (13 if i == 0 else 12) * _EM for i, t in enumerate(lines))
    tall = 13 * 0.8 + (len(lines) - 1) * 12 * 1.25 + 12 * 0.25
    x, top = _f(label, "x"), _f(label, "y") - 13 * 0.8
    anchor = label.get("text-anchor")
    x0 = x - wide / 2 if anchor == "middle" else x if anchor == "start" else x - wide
    return (x0, top, x0 + wide, top + tall)


def test_circle_puts_each_mark_mid_band_and_its_label_outside_it() -> None:
    """[MUFSON2004; DIETZ2015]: each person on one of the concentric rings. At 480 px across
    (outer radius 240, the patient's disc 48), each mark is on the middle of its ring's band,
    at its even angle; its label starts 12 px (the mark's 8 and 4) further out
    along the radius, anchored at its start on the right, its end on the left, its middle near
    the top and bottom (|cos| < 0.4); below the mark (sin > 0.4) the first baseline is 2 px and a
    cap height under it, above it (sin < -0.4) the last line ends 4 px over it, beside it the
    label is centred on it."""
    people = tuple(
        Person(
            id=pid,
            role="friend",
            closeness=1 if pid < "e" else 3,
            dispute=Dispute(since=date(2025, 9, 1)) if pid in "bg" else None,
        )
        for pid in "abcdefgh"
    )
    root = _parse(closeness_svg(_case(people=people, ties=(), events=()), size=480))
    centre = next(c for g in _by_class(root, "g", "patient") for c in g)
    cx, cy = _f(centre, "cx"), _f(centre, "cy")
    assert _f(centre, "r") == pytest.approx(48 * 0.85, abs=0.06)
    people_drawn = _people(root)
    for i, pid in enumerate("aebfcgdh"):  # ring 1 and ring 3 interleaved
        group = people_drawn[pid]
        ring = 1 if pid < "e" else 3
        radius = 48 + (240 - 48) * (ring - 0.5) / 4
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / 8
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + radius * cos, cy + radius * sin
        mark, label = group.find(f"{SVG}circle"), group.find(f"{SVG}text")
        assert mark is not None
        assert label is not None
        assert (_f(mark, "cx"), _f(mark, "cy"), _f(mark, "r")) == (
            pytest.approx(x, abs=0.06),
            pytest.approx(y, abs=0.06),
            8.0,
        )
        lines = len(_lines(group))
        assert lines == (3 if pid in "bg" else 2)
        tall = 13 * 0.8 + (lines - 1) * 15 + 3
        if sin > 0.4:
            ly = y + 8 + 2 + 13 * 0.8
        elif sin < -0.4:
            ly = y - 8 - 4 - (tall - 13 * 0.8)
        else:
            ly = y - tall / 2 + 13 * 0.8
        anchor = "middle" if abs(cos) < 0.4 else "start" if cos > 0 else "end"
        assert (label.get("text-anchor"), _f(label, "x"), _f(label, "y")) == (
            anchor,
            pytest.approx(x + cos * 12, abs=0.06),
            pytest.approx(ly, abs=0.06),
        )
        assert {span.get("x") for span in label.iter(f"{SVG}tspan")} == {label.get("x")}


def _crowd(n: int, ring: int | None = None, name: str = "") -> Case:
    people = tuple(
        Person(
            id=f"p{i:02d}",
            name=f"{name}{i:02d}" if name else None,
            role=("friend", "ex_partner", "community")[i % 3],
            closeness=ring or 1 + i % 4,
            confidant=i % 5 == 0,
            dispute=Dispute(since=date(2025, 9, 1)) if i % 4 == 1 else None,
        )
        for i in range(n)
    )
    return _case(people=people, ties=(), events=())


def _overlapping(root: ET.Element) -> list[str]:
    """What each label covers: another label, another person's mark, the patient's disc (as its
    square) or a ring number (24 px wide, 12 above its baseline to 2 below)."""
    centre = next(c for g in _by_class(root, "g", "patient") for c in g)
    cx, cy, core = _f(centre, "cx"), _f(centre, "cy"), _f(centre, "r") / 0.85
    fixed = [("patient", (cx - core, cy - core, cx + core, cy + core))]
    for number in _by_class(root, "text", "ring-number"):
        y = _f(number, "y")
        fixed.append((f"ring {number.text}", (cx - 12, y - 12, cx + 12, y + 2)))
    people = _people(root)
    boxes = {}
    for pid, group in people.items():
        label = group.find(f"{SVG}text")
        assert label is not None
        boxes[pid] = _label_box(label)
    marks = {}
    for pid, group in people.items():
        mark = group.find(f"{SVG}circle")
        assert mark is not None
        x, y = _f(mark, "cx"), _f(mark, "cy")
        marks[f"mark of {pid}"] = (x - 8, y - 8, x + 8, y + 8)

    def over(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        # num() rounds to 0.1 px: boxes that only touch are apart
        return a[0] < b[2] - 0.1 and b[0] < a[2] - 0.1 and a[1] < b[3] - 0.1 and b[1] < a[3] - 0.1

    found = []
    for pid, box in boxes.items():
        others = [
            *fixed,
            *((f"label of {q}", b) for q, b in boxes.items() if q != pid),
            *((m, b) for m, b in marks.items() if m != f"mark of {pid}"),
        ]
        found += [f"label of {pid} covers {what}" for what, b in others if over(box, b)]
    return found


_TRIED = [380, 426, 477, 534, 598, 670, 750, 840, 941, 1054, 1180, 1322, 1480, 1658, 1857]


@pytest.mark.parametrize(
    "case",
    [
        _crowd(12, ring=1),
        _crowd(9, name="A fictional long name "),
        _crowd(16),
        _crowd(12, ring=4),
        _crowd(24, name="Someone "),
        _crowd(8, ring=2, name="Abcdefghijklmnopqrstuv"),
        _crowd(10, ring=3, name="Name "),
        _crowd(20),
        _crowd(15, name="A fictional long name "),
        _crowd(23, name="A fictional long name "),
        _crowd(24, name="A fictional long name "),
        _crowd(19, ring=4, name="Name "),
        _crowd(22, ring=3, name="Name "),
        _crowd(22, name="Name "),
    ],
)
def test_circle_grows_to_the_first_size_tried_at_which_no_label_covers_anything(
    case: Case,
) -> None:
    """By default the circle is the smallest of the sizes tried (380 px across, then 12 % more
    each time) at which no label covers another label, another person's mark, the patient or a
    ring number; at the size before it something is covered."""
    root = _parse(closeness_svg(case))
    outer = next(_f(c, "r") for c in _by_class(root, "circle", "ring") if c.get("data-ring") == "4")
    size = round(2 * outer)
    assert size in _TRIED
    assert _overlapping(root) == []
    if size > 380:
        before = _TRIED[_TRIED.index(size) - 1]
        assert _overlapping(_parse(closeness_svg(case, size=before)))


def test_circle_too_crowded_to_label_at_any_size_is_4000_px_across() -> None:
    """When labels collide at every size tried, the circle is drawn at the largest, 4000 px."""
    crowd = _crowd(90, ring=1, name="A fictional long name ")
    root = _parse(closeness_svg(crowd))
    rings = {c.get("data-ring"): c.get("r") for c in _by_class(root, "circle", "ring")}
    assert rings["4"] == "2000.0"
    assert _overlapping(root)


def test_candidate_discs_are_pushed_apart_as_little_as_possible_within_the_axis() -> None:
    """Numbered discs sit under their anchors, pushed apart where anchors are close so that
    neighbours are 22 px apart (two radii of 9 and 4 px): each run of crowded discs is centred on
    the mean of its anchors and kept within the axis's 24-696 px. The fictional case's axis runs
    from 2025-01-29 to 2025-03-28, 672 px for 58 days. Five anchors on 2025-02-01 would reach
    past the left end: they start at it. One on 2025-03-08 and three on 2025-03-10 make one run
    of four centred on the mean of their four anchors. Five on 2025-03-25 end at the right end."""
    from types import SimpleNamespace

    case = Case(id="discs", onset=date(2025, 3, 1), assessed=date(2025, 3, 25))
    days = [
        *[date(2025, 2, 1)] * 5,
        date(2025, 2, 10),
        date(2025, 2, 20),
        date(2025, 3, 8),
        *[date(2025, 3, 10)] * 3,
        *[date(2025, 3, 25)] * 5,
    ]
    fake = SimpleNamespace(
        candidates=[SimpleNamespace(anchor=day, area="grief") for day in days], rules=None
    )
    root = _parse(timeline_svg(case, fake, window_months=1))  # type: ignore[arg-type]
    scale = 672 / 58

    def x(day: date) -> float:
        return 24 + _days(date(2025, 1, 29), day) * scale

    anchors = {}
    for group in _by_class(root, "g", "anchor"):
        disc, path = group.find(f"{SVG}circle"), group.find(f"{SVG}path")
        assert disc is not None
        assert path is not None
        anchors[int(group.get("data-rank", "0"))] = (
            float((path.get("d") or "").split()[1]),
            _f(disc, "cx"),
        )
    assert [a for a, _ in anchors.values()] == [pytest.approx(x(d), abs=0.06) for d in days]
    run = (x(date(2025, 3, 8)) + 3 * x(date(2025, 3, 10))) / 4 - 1.5 * 22
    expected = [
        *(24 + 22 * i for i in range(5)),
        x(date(2025, 2, 10)),
        x(date(2025, 2, 20)),
        *(run + 22 * i for i in range(4)),
        *(696 - 22 * (4 - i) for i in range(5)),
    ]
    assert [anchors[rank][1] for rank in range(1, 17)] == [
        pytest.approx(v, abs=0.06) for v in expected
    ]
    # Anchors a day (11.6 px) apart are pushed apart about their mean; two days (23.2 px) apart
    # they stay; a pair on one day (ending 33 px right of it) and one three days (34.8 px) later
    # stay apart too.
    days = [
        date(2025, 2, 3),
        date(2025, 2, 4),
        date(2025, 2, 14),
        date(2025, 2, 16),
        date(2025, 2, 24),
        date(2025, 2, 24),
        date(2025, 2, 27),
    ]
    fake = SimpleNamespace(
        candidates=[SimpleNamespace(anchor=day, area="grief") for day in days], rules=None
    )
    root = _parse(timeline_svg(case, fake, window_months=1))  # type: ignore[arg-type]
    discs = {
        int(g.get("data-rank", "0")): _f(c, "cx")
        for g in _by_class(root, "g", "anchor")
        for c in g.iter(f"{SVG}circle")
    }
    pair = (x(days[0]) + x(days[1])) / 2
    expected = [
        pair - 11,
        pair + 11,
        x(days[2]),
        x(days[3]),
        x(days[4]) - 11,
        x(days[4]) + 11,
        x(days[6]),
    ]
    assert [discs[rank] for rank in range(1, 8)] == [pytest.approx(v, abs=0.06) for v in expected]


def test_an_event_label_that_starts_where_another_ends_takes_the_next_lane() -> None:
    """A lane takes a label only if its last label ends before this one starts: the fictional
    axis shows 84 days at exactly 8 px a day, and a 30-character label (0.6 em of 13 px a
    character, plus 6: 240 px) ends exactly where the next event's label, 30 days later, starts;
    so the second goes one lane up."""
    case = Case(
        id="abut",
        onset=date(2025, 3, 1),
        assessed=date(2025, 4, 20),
        people=(Person(id="a", role="friend", closeness=2),),
        events=(
            Event(date=date(2025, 2, 3), kind="pregnancy_loss", person="a"),
            Event(date=date(2025, 3, 5), kind="pregnancy_loss", person="a"),
        ),
    )
    root = _parse(timeline_svg(case, window_months=1))
    labels = [label for g in _by_class(root, "g", "event") for label in g.iter(f"{SVG}text")]
    assert [(t.text, t.get("x"), t.get("text-anchor")) for t in labels] == [
        ("pregnancy loss (a), 2025-02-03", "64.0", "start"),
        ("pregnancy loss (a), 2025-03-05", "304.0", "start"),
    ]
    assert _f(labels[0], "y") - _f(labels[1], "y") == pytest.approx(13 * 1.8, abs=0.06)
