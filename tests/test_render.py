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
