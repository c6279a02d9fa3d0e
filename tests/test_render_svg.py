"""What the two pictures of a case hold, element by element: iptcore.draw.closeness_svg and
iptcore.draw.timeline_svg.

These tests parse the SVG with xml.etree and pin, for small cases, what a reader or a screen
reader meets: the root's size and labels, the <title> and <desc> word for word, every ring, mark,
line, label and legend entry with its attributes (positions and sizes where the docstrings and
simple geometry fix them), the ids of elements, and the refusals of bad arguments with their
exact messages. Every case, person and event here is fictional.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date

import attrs
import pytest

from iptcore import (
    Case,
    Contact,
    Dispute,
    DisputeStage,
    Event,
    EventKind,
    IptError,
    Person,
    Role,
    Tie,
    TieKind,
    classify,
)
from iptcore.draw import closeness_svg, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
FONT = "Helvetica, Arial, sans-serif"
C45 = math.sqrt(0.5)  # cos and sin of 45 degrees


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def _check(element: ET.Element, tag: str, expected: Mapping[str, object]) -> None:
    """``element`` is a ``tag`` with exactly the attributes ``expected``: strings as written,
    numbers to the 0.1 px that the pictures round coordinates to."""
    assert element.tag == f"{SVG}{tag}"
    assert sorted(element.attrib) == sorted(expected), (element.attrib, expected)
    for name, value in expected.items():
        if isinstance(value, str):
            assert element.get(name) == value, (name, element.attrib)
        else:
            assert isinstance(value, float | int)
            assert abs(float(element.get(name, "nan")) - value) <= 0.051, (name, element.attrib)


def _numbers(text: str) -> list[float | str]:
    """A path's ``d`` as its letters and numbers."""
    return [word if word.isalpha() else float(word) for word in text.split()]


def _check_path(d: str | None, expected: list[float | str]) -> None:
    got = _numbers(d or "")
    assert len(got) == len(expected), (got, expected)
    for a, b in zip(got, expected, strict=True):
        if isinstance(b, str):
            assert a == b
        else:
            assert isinstance(a, float)
            assert abs(a - b) <= 0.051, (got, expected)


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


def _head(root: ET.Element, width: float, height: float, ids: tuple[str, str]) -> list[ET.Element]:
    """The root of an accessible standalone SVG: sized, with its viewBox, labelled by its
    <title> and <desc>, on a white background; returns the picture's elements."""
    _check(
        root,
        "svg",
        {
            "version": "1.1",
            "width": width,
            "height": height,
            "role": "img",
            "aria-labelledby": f"{ids[0]} {ids[1]}",
            "viewBox": f"0 0 {width:.1f} {height:.1f}",
        },
    )
    title, desc, background, picture = root
    _check(title, "title", {"id": ids[0]})
    _check(desc, "desc", {"id": ids[1]})
    _check(
        background,
        "rect",
        {"x": "0", "y": "0", "width": width, "height": height, "fill": "#ffffff"},
    )
    return list(picture)


# -- the closeness circle ----------------------------------------------------------------------

# The key under the circle [MUFSON2004; DIETZ2015]: its words in two columns (the first of six
# rows, the second of five), 12 px text at 0.6 em a glyph, 26 px for the mark, 24 px between.
KEY_WORDS = (
    "rings, 1 the closest",
    "partner",
    "family",
    "friends and community",
    "work and school",
    "care and other",
    "confidant",
    "died (grey, dashed)",
    "open dispute with the patient",
    "close tie",
    "conflict tie",
)
KEY_FIRST = 26 + len("friends and community") * 12 * 0.6  # 177.2
KEY_WIDTH = KEY_FIRST + 24 + 26 + len("open dispute with the patient") * 12 * 0.6  # 436
KEY_HEIGHT = 7 * 12 * 1.6  # a title row and six rows of 19.2 px


def _check_key(key: ET.Element, x: float, y: float) -> None:
    """The key: its title, then each entry's mark and words, the first column at ``x``."""
    assert key.get("class") == "legend"
    title, *rows = key
    _check(title, "text", {"x": x, "y": y, "font-weight": "bold"})
    assert title.text == "Key"
    assert [_text(row[-1]) for row in rows] == list(KEY_WORDS)
    for i, row in enumerate(rows):
        column, line = (0, i) if i < 6 else (1, i - 6)
        left = x + (KEY_FIRST + 24) * column
        _check(row, "g", {"transform": f"translate({left:.1f} {y + (line + 1) * 19.2:.1f})"})
        _check(row[-1], "text", {"x": "26", "y": 4.2})
    fills = ("#f8bbd0", "#bbdefb", "#c8e6c9", "#ffe0b2", "#e1bee7")
    for row, fill in zip(rows[1:6], fills, strict=True):
        circle = {"cx": "8", "cy": "0", "r": "7", "fill": fill, "stroke": "#424242"}
        _check(row[0], "circle", circle)
    assert [_text(row[0]) for row in rows[:1] + rows[6:8]] == ["1-4", "★", "†"]
    _check(rows[0][0], "text", {"x": "0", "y": 4.2, "fill": "#616161"})
    _check(rows[6][0], "text", {"x": "2", "y": 4.2})
    _check(rows[7][0], "text", {"x": "4", "y": 4.2})
    ends = {"x1": "0", "y1": "0", "x2": "18", "y2": "0"}
    _check(
        rows[8][0],
        "line",
        {**ends, "stroke": "#c62828", "stroke-width": "3.0"} | {"stroke-dasharray": "8.0 4.0"},
    )
    _check(rows[9][0], "line", {**ends, "stroke": "#2e7d32", "stroke-width": "2.0"})
    _check(
        rows[10][0],
        "line",
        {**ends, "stroke": "#6a1b9a", "stroke-width": "2.0"} | {"stroke-dasharray": "2.0 3.0"},
    )


def _ring_case() -> Case:
    """One fictional person on each ring: an open dispute, a confidant, one known by id only,
    and a former partner who died after a dispute that ended; three ties."""
    return Case(
        id="ring-demo",
        assessed=date(2026, 1, 5),
        onset=date(2025, 11, 3),
        people=(
            Person(
                id="dee",
                name="Deirdre Montgomery",
                role=Role.EX_PARTNER,
                closeness=4,
                dispute=Dispute(since=date(2024, 1, 1), ended=date(2024, 6, 1)),
            ),
            Person(id="cy", role=Role.COWORKER, closeness=3, contact=Contact.WEEKLY),
            Person(id="bo", name="Bo", role=Role.PARENT, closeness=2, confidant=True),
            Person(
                id="ann",
                name="Ann",
                role=Role.PARTNER,
                closeness=1,
                dispute=Dispute(since=date(2025, 9, 1), stage=DisputeStage.IMPASSE),
            ),
        ),
        ties=(
            Tie(between=("ann", "bo"), kind=TieKind.CLOSE),
            Tie(between=("bo", "ann"), kind=TieKind.CONFLICT),
            Tie(between=("dee", "cy"), kind=TieKind.CLOSE),
        ),
        events=(Event(date=date(2025, 10, 1), kind=EventKind.DEATH, person="dee"),),
    )


def test_circle_of_one_person_on_each_ring_element_by_element() -> None:
    """The closeness circle [MUFSON2004; DIETZ2015] of a fictional patient with one person on
    each ring, drawn at 400 px: the four rings (radii 80, 120, 160, 200 round a patient's disc of
    0.2 of the outer radius), their numbers, the patient, each person at an even angle on the
    middle of their ring's band with the label outside the mark, the open dispute's line, the
    ties' arcs, and the key; and the title and desc that say it all in words."""
    root = _parse(closeness_svg(_ring_case(), size=400))
    # Where each person goes, relative to the centre: one of four, at -45, 45, 135 and 225
    # degrees in order of ring; radius 20 + 40 n, the middle of ring n's band.
    spots = {
        "ann": (C45, -C45, 60.0, ["Ann", "partner", "dispute: impasse"]),
        "bo": (C45, C45, 100.0, ["Bo ★", "parent"]),
        "cy": (-C45, C45, 140.0, ["cy", "coworker"]),
        "dee": (
            -C45,
            -C45,
            180.0,
            ["† Deirdre Montgomery", "ex partner", "dispute ended 2024-06-01"],
        ),
    }
    # The labels: 13 px names and 12 px lines at 0.6 em a glyph, 15 px apart; a label starts
    # (or ends) 12 px out from the mark, above the upper marks and below the lower ones.
    labels: dict[str, tuple[float, float, str]] = {}
    boxes = []
    for pid, (cos, sin, radius, lines) in spots.items():
        x, y = radius * cos, radius * sin
        wide = max(len(lines[0]) * 7.8, *(len(line) * 7.2 for line in lines[1:]))
        tall = 10.4 + 15 * (len(lines) - 1) + 3
        lx = x + 12 * cos
        ly = y + 8 + 2 + 10.4 if sin > 0 else y - 12 - (tall - 10.4)
        anchor = "start" if cos > 0 else "end"
        x0 = lx if anchor == "start" else lx - wide
        labels[pid] = (lx, ly, anchor)
        boxes.append((x0, ly - 10.4, x0 + wide, ly - 10.4 + tall))
    # Deirdre's label sticks out to the left; every other edge is the outer ring's (200 px).
    assert min(b[0] for b in boxes) < -200
    left = min(b[0] for b in boxes) - 10
    right, top, bottom = 210.0, -210.0, 210.0
    width = right - left  # wider than the key's 456 px
    cx, cy = -left, -top
    height = bottom - top + KEY_HEIGHT + 10
    ids = ("iptcore-circle-ring-demo-title", "iptcore-circle-ring-demo-desc")
    group = _head(root, width, height, ids)
    assert root[0].text == "Closeness circle of case ring-demo"
    assert root[1].text == (
        "The patient at the centre of four rings, ring 1 the closest; 4 people. "
        "ring 1: Ann (partner, dispute since 2025-09-01 (impasse, open)). "
        "ring 2: Bo (parent, confidant). "
        "ring 3: cy (coworker, in touch weekly). "
        "ring 4: Deirdre Montgomery (ex partner, dispute since 2024-01-01 (stage not assessed, "
        "ended 2024-06-01), died 2025-10-01). "
        "Ties: Ann and Bo: close; Bo and Ann: conflict; Deirdre Montgomery and cy: close."
    )
    _check(root[3], "g", {"font-family": FONT, "font-size": "12.0"})
    rings, numbers, rest = group[:4], group[4:8], group[8:]
    for ring, n, shade in zip(
        rings, (4, 3, 2, 1), ("#f7f7f7", "#efefef", "#e6e6e6", "#dcdcdc"), strict=True
    ):
        attributes = {"class": "ring", "data-ring": str(n), "cx": cx, "cy": cy, "r": 40.0 + 40 * n}
        _check(
            ring,
            "circle",
            attributes | {"fill": shade, "stroke": "#9e9e9e"} | {"stroke-width": "1"},
        )
        assert [_text(t) for t in ring] == [f"ring {n}"]
    for number, n in zip(numbers, (1, 2, 3, 4), strict=True):
        at = {"x": cx, "y": cy - (40 + 40 * n) + 12.6, "text-anchor": "middle", "fill": "#616161"}
        _check(number, "text", {"class": "ring-number"} | at)
        assert number.text == str(n)

    def where(pid: str) -> tuple[float, float]:
        cos, sin, radius, _ = spots[pid]
        return cx + radius * cos, cy + radius * sin

    dispute, close, conflict, far, patient, *people, key = rest
    _check(
        dispute,
        "line",
        {"class": "dispute", "x1": cx, "y1": cy, "x2": where("ann")[0]}
        | {
            "y2": where("ann")[1],
            "stroke": "#c62828",
            "stroke-width": "3.0",
            "stroke-dasharray": "8.0 4.0",
        },
    )
    assert [_text(t) for t in dispute] == ["open dispute with Ann"]
    # Each arc is a quadratic curve whose control point lies twice the bow out from the chord's
    # middle, away from the centre; the bow is 0.3 of the chord, 4 px more for the second of two.
    for arc, (a, b), kind, extra in (
        (close, ("ann", "bo"), "close", 0),
        (conflict, ("ann", "bo"), "conflict", 4),
        (far, ("cy", "dee"), "close", 0),
    ):
        (x1, y1), (x2, y2) = where(a), where(b)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        chord = math.hypot(x2 - x1, y2 - y1)
        bow = chord * 0.3 + extra
        out = math.hypot(mx - cx, my - cy)
        qx, qy = mx + 2 * bow * (mx - cx) / out, my + 2 * bow * (my - cy) / out
        stroke = {"stroke": "#2e7d32", "stroke-width": "2.0"}
        if kind == "conflict":
            stroke = {"stroke": "#6a1b9a", "stroke-width": "2.0", "stroke-dasharray": "2.0 3.0"}
        _check(
            arc,
            "path",
            {"class": "tie", "data-kind": kind, "d": arc.get("d", ""), "fill": "none"} | stroke,
        )
        _check_path(arc.get("d"), ["M", x1, y1, "Q", qx, qy, x2, y2])
    assert [_text(t) for t in (close, conflict, far)] == [
        "close tie: Ann and Bo",
        "conflict tie: Ann and Bo",
        "close tie: cy and Deirdre Montgomery",
    ]
    _check(patient, "g", {"class": "patient"})
    disc, word = patient
    _check(disc, "circle", {"cx": cx, "cy": cy, "r": 34.0, "fill": "#455a64"})
    at = {"x": cx, "y": cy + 4.2, "text-anchor": "middle", "fill": "#ffffff"}
    _check(word, "text", at | {"font-weight": "bold"})
    assert word.text == "Patient"

    # The people, in order of id: the mark's fill says the role's family (in its <title>), a
    # died person's mark is grey and dashed, an open dispute's outline red and thicker.
    looks = {
        "ann": ("#f8bbd0", "#c62828", "2.5", False, "partner"),
        "bo": ("#bbdefb", "#424242", "1.2", False, "family"),
        "cy": ("#ffe0b2", "#424242", "1.2", False, "work and school"),
        "dee": ("#9e9e9e", "#757575", "1.2", True, "partner"),
    }
    titles = {
        "ann": "Ann: ring 1, partner, dispute since 2025-09-01 (impasse, open)",
        "bo": "Bo: ring 2, parent, confidant",
        "cy": "cy: ring 3, coworker, in touch weekly",
        "dee": "Deirdre Montgomery: ring 4, ex partner, dispute since 2024-01-01 (stage not "
        "assessed, ended 2024-06-01), died 2025-10-01",
    }
    assert [g.get("data-person") for g in people] == ["ann", "bo", "cy", "dee"]
    for g, (pid, (_, _, _, lines)) in zip(people, sorted(spots.items()), strict=True):
        ring_no = str(round((spots[pid][2] - 20) / 40))
        _check(
            g,
            "g",
            {"class": "person", "id": f"iptcore-person-ring-demo-{pid}"}
            | {
                "data-person": pid,
                "data-ring": ring_no,
            },
        )
        said, mark, label = g
        _check(said, "title", {})
        assert said.text == titles[pid]
        fill, outline, thick, dashed, family = looks[pid]
        x, y = where(pid)
        expected: dict[str, object] = {"cx": x, "cy": y, "r": 8.0, "fill": fill, "stroke": outline}
        expected |= {"stroke-width": thick} | ({"stroke-dasharray": "3 2"} if dashed else {})
        _check(mark, "circle", expected)
        assert [_text(t) for t in mark] == [family]
        lx, ly, anchor = labels[pid]
        _check(
            label, "text", {"class": "label", "x": cx + lx, "y": cy + ly} | {"text-anchor": anchor}
        )
        assert [span.text for span in label] == lines
        assert _text(g) == f"{titles[pid]}{family}\n" + "".join(f"{w}\n" for w in lines)
        for i, span in enumerate(label):
            look: dict[str, str | float] = {"fill": "#424242"}
            if i == 0:
                look = {"font-weight": "bold", "font-size": "13.0"}
            elif i == 2 and pid == "ann":
                look = {"fill": "#c62828"}  # the open dispute's stage, in red
            _check(span, "tspan", {"x": cx + lx, "dy": "0" if i == 0 else "15.0"} | look)
    _check_key(key, (width - KEY_WIDTH) / 2, bottom - top + 12)


def test_circle_of_one_person_is_as_wide_as_its_key() -> None:
    """One fictional person (ring 4, drawn straight below the patient, the label under the mark
    and past the outer ring): the picture is as wide as the key plus its margins and the circle
    is centred over it; the desc says "1 person" and no ties."""
    case = Case(
        id="one",
        assessed=date(2026, 1, 5),
        onset=date(2025, 11, 3),
        people=(Person(id="eve", name="Eve", role=Role.FRIEND, closeness=4),),
    )
    root = _parse(closeness_svg(case.inventory, size=400))
    # The mark at (0, 180) from the centre, its two-line label (28.4 px tall) from 10 px below
    # it: the label's foot is at 218.4, past the outer ring (200) and the key's 10 px margin.
    width = KEY_WIDTH + 20
    bottom = 180 + 10 + 28.4 + 10
    cx, cy = width / 2, 210.0
    ids = ("iptcore-circle-one-title", "iptcore-circle-one-desc")
    group = _head(root, width, bottom + 210 + KEY_HEIGHT + 10, ids)
    assert root[1].text == (
        "The patient at the centre of four rings, ring 1 the closest; 1 person. "
        "ring 1: nobody. ring 2: nobody. ring 3: nobody. ring 4: Eve (friend)."
    )
    assert [c.get("r") for c in group[:4]] == ["200.0", "160.0", "120.0", "80.0"]
    assert [float(c.get("cx", "nan")) for c in group[:4]] == [round(cx, 1)] * 4
    (eve,) = [g for g in group if g.get("class") == "person"]
    _check(
        eve[1],
        "circle",
        {"cx": cx, "cy": cy + 180, "r": 8.0, "fill": "#c8e6c9"}
        | {"stroke": "#424242", "stroke-width": "1.2"},
    )
    label = eve[2]
    _check(label, "text", {"class": "label", "x": cx, "y": cy + 200.4, "text-anchor": "middle"})
    assert [span.text for span in label] == ["Eve", "friend"]
    _check_key(group[-1], 10.0, bottom + 210 + 12)


def test_circle_bows_a_tie_through_the_centre_sideways() -> None:
    """Two fictional people face to face on ring 4 of a 200 px circle, labelled by id: the tie's
    chord runs through the patient, so the arc bows sideways (up), 0.6 of the chord out; the
    left label ends past the outer ring, and the picture's top is the ring's, not the label's."""
    case = Case(
        id="pair",
        assessed=date(2026, 1, 5),
        onset=date(2025, 11, 3),
        people=(
            Person(id="p1", name="Pat", role=Role.SIBLING, closeness=4),
            Person(id="p2", name="Sam", role=Role.FRIEND, closeness=4),
        ),
        ties=(Tie(between=("p2", "p1"), kind=TieKind.CLOSE),),
    )
    root = _parse(closeness_svg(case, size=200, labels="id"))
    # Outer radius 100, ring 4's band middle at 90: p1 at (90, 0), p2 at (-90, 0); each label
    # beside its mark, 12 px out, as wide as its role at 7.2 px a glyph ("sibling", "friend").
    left = -90 - 12 - 6 * 7.2 - 10
    right = 90 + 12 + 7 * 7.2 + 10
    cx, cy = -left + (KEY_WIDTH + 20 - (right - left)) / 2, 110.0
    ids = ("iptcore-circle-pair-title", "iptcore-circle-pair-desc")
    group = _head(root, KEY_WIDTH + 20, 220 + KEY_HEIGHT + 10, ids)
    assert root[1].text == (
        "The patient at the centre of four rings, ring 1 the closest; 2 people. "
        "ring 1: nobody. ring 2: nobody. ring 3: nobody. ring 4: p1 (sibling); p2 (friend). "
        "Ties: p2 and p1: close."
    )
    (arc,) = [e for e in group if e.get("class") == "tie"]
    _check_path(arc.get("d"), ["M", cx + 90, cy, "Q", cx, cy - 108, cx - 90, cy])
    assert _text(arc) == "close tie: p1 and p2"
    marks = {g.get("data-person"): g[1] for g in group if g.get("class") == "person"}
    assert (float(marks["p1"].get("cx", "nan")), float(marks["p2"].get("cx", "nan"))) == (
        round(cx + 90, 1),
        round(cx - 90, 1),
    )
    assert [span.text for g in group if g.get("class") == "person" for span in g[2]] == [
        "p1",
        "sibling",
        "p2",
        "friend",
    ]


def test_circle_bows_each_tie_away_from_the_centre_or_sideways_through_it() -> None:
    """Four fictional people on ring 2 of a 400 px circle (radius 100, at -45, 45, 135 and 225
    degrees): a tie whose chord's middle lies straight right of the patient, or straight below,
    bows further out that way; a tie whose chord runs through the patient bows sideways, to the
    left of the way from its first person to its second. An open dispute with a person known
    by id only is said with the id."""
    people = tuple(
        Person(id=pid, role=Role.FRIEND, closeness=2, name=None if pid == "b" else pid.upper())
        for pid in "abcd"
    )
    people = (
        people[0],
        Person(id="b", role=Role.FRIEND, closeness=2, dispute=Dispute(since=date(2025, 9, 1))),
        *people[2:],
    )
    case = Case(
        id="square",
        assessed=date(2026, 1, 5),
        onset=date(2025, 11, 3),
        people=people,
        ties=tuple(
            Tie(between=pair, kind=TieKind.CLOSE) for pair in (("a", "b"), ("c", "b"), ("c", "a"))
        ),
    )
    root = _parse(closeness_svg(case, size=400))
    patient = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "patient")
    cx, cy = float(patient[0].get("cx", "nan")), float(patient[0].get("cy", "nan"))
    r = 100 * C45
    a, b, c = (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)
    arcs = [e for e in root.iter(f"{SVG}path") if e.get("class") == "tie"]
    assert [_text(e) for e in arcs] == [
        "close tie: A and b",
        "close tie: A and C",
        "close tie: b and C",
    ]
    # a-b: chord 141.4 px, its middle 70.7 px right of the centre: 2 * 0.3 * 141.4 further right.
    _check_path(arcs[0].get("d"), ["M", *a, "Q", cx + r + 1.2 * r, cy, *b])
    # a-c: through the centre; the chord (200 px) turned a quarter: 120 px up and to the left.
    _check_path(arcs[1].get("d"), ["M", *a, "Q", cx - 120 * C45, cy - 120 * C45, *c])
    # b-c: the chord's middle straight below the centre: further down.
    _check_path(arcs[2].get("d"), ["M", *b, "Q", cx, cy + r + 1.2 * r, *c])
    (line,) = [e for e in root.iter(f"{SVG}line") if e.get("class") == "dispute"]
    assert _text(line) == "open dispute with b"


@pytest.mark.parametrize("size", [200, 4000])
def test_circle_takes_sizes_from_200_to_4000(size: int) -> None:
    """The documented range of ``size`` is inclusive: the outer ring's radius is half of it."""
    root = _parse(closeness_svg(_ring_case(), size=size))
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "ring"]
    assert float(rings[0].get("r", "nan")) == size / 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"size": 199}, "size: must be a whole number of pixels from 200 to 4000, got 199"),
        ({"size": 4001}, "size: must be a whole number of pixels from 200 to 4000, got 4001"),
        ({"size": True}, "size: must be a whole number of pixels from 200 to 4000, got True"),
        ({"size": 300.0}, "size: must be a whole number of pixels from 200 to 4000, got 300.0"),
        ({"labels": "Name"}, "labels: must be 'name' or 'id', got 'Name'"),
        ({"inventory": None}, "inventory: must be an Inventory or a Case, got NoneType"),
        ({"inventory": "ann"}, "inventory: must be an Inventory or a Case, got str"),
    ],
)
def test_circle_refuses_bad_arguments_by_name(arguments: dict[str, object], message: str) -> None:
    """Each bad argument is refused with an IptError that names the argument, the rule and what
    was given (an argument of the call, never a value of the case: no redacted form is set)."""
    call: dict[str, object] = {"inventory": _ring_case()} | arguments
    with pytest.raises(IptError) as caught:
        closeness_svg(**call)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.redacted_message is None


# -- the timeline ----------------------------------------------------------------------------------


def _timeline_case() -> Case:
    """A fictional case with a separation, a move and a death before the onset, an open dispute
    from the window's first day and a dispute that ended; one person known by id only."""
    return Case(
        id="tl-demo",
        assessed=date(2025, 11, 13),
        onset=date(2025, 3, 1),
        people=(
            Person(
                id="kai",
                name="Kai",
                role=Role.PARTNER,
                closeness=1,
                dispute=Dispute(since=date(2024, 3, 1), stage=DisputeStage.IMPASSE),
            ),
            Person(id="gran", name="Grandma Rose", role=Role.RELATIVE, closeness=2),
            Person(
                id="ed",
                role=Role.BOSS,
                closeness=4,
                dispute=Dispute(since=date(2025, 5, 1), ended=date(2025, 8, 1)),
            ),
        ),
        events=(
            Event(date=date(2025, 1, 15), kind=EventKind.DEATH, person="gran"),
            Event(date=date(2024, 10, 1), kind=EventKind.RELOCATION),
            Event(date=date(2024, 6, 1), kind=EventKind.SEPARATION, person="kai"),
        ),
    )


def test_timeline_of_a_death_a_separation_and_a_move_element_by_element() -> None:
    """The timeline [FOCUS] of a fictional case with its classification, at the default 720 px:
    the window of the rule set that classified it (12 months before onset to assessment) shaded
    and labelled, the axis and its ticks, onset (dashed, labelled below) and assessment (solid,
    labelled above), each event above the axis in lanes that do not overlap (a death as a diamond
    and marked †), each dispute as a bar below it, each candidate's anchor as a numbered disc,
    and the list of candidates; the title and desc say it all in words."""
    case = _timeline_case()
    result = classify(case)
    candidates = [(str(f.area), f.anchor, f.person) for f in result.candidates]
    assert candidates == [
        ("grief", date(2025, 1, 15), "gran"),
        ("role_transition", date(2024, 10, 1), None),
        ("role_dispute", date(2024, 3, 1), "kai"),
    ]
    root = _parse(timeline_svg(case, result))

    # The axis runs from the window's start (2024-03-01) to assessment (2025-11-13), 622 days,
    # with 4% of them (25 days) more at each end: 672 days over the 672 px between the 24 px
    # margins, one pixel a day.
    def x(day: date) -> float:
        return 24 + (day - date(2024, 2, 5)).days

    onset, assessed = x(case.onset), x(case.assessed)
    assert (x(date(2024, 3, 1)), onset, assessed) == (49, 414, 671)
    # Three lanes of event labels (23.4 px each) under the 48 px of the title: the axis at
    # 48 + 13 + 16 + 3 * 23.4; the candidates' discs 21 px under it; the tick labels 48 px under
    # it; two lanes of dispute bars (29 px each) from 16 px under those; the plot's foot 4 px
    # lower, the list of candidates 39 px lower still, 19.5 px a line.
    axis_y = 147.2
    tick_y = axis_y + 48
    bottom = tick_y + 16 + 2 * 29 + 4
    list_y = bottom + 13 + 26
    ids = ("iptcore-timeline-tl-demo-title", "iptcore-timeline-tl-demo-desc")
    group = _head(root, 720, list_y + 4 * 19.5, ids)
    assert root[0].text == "Timeline of case tl-demo"
    assert root[1].text == (
        "Timeline from 2024-03-01 to assessment on 2025-11-13; onset 2025-03-01; the window from "
        "2024-03-01 (12 months before onset) to assessment is shaded. Events: separation (Kai), "
        "2024-06-01; relocation, 2024-10-01; † death of Grandma Rose, 2025-01-15. Disputes: "
        "dispute with Kai (impasse); dispute with ed (stage not assessed, ended). Candidate 1: "
        "grief anchored 2025-01-15. Candidate 2: role_transition anchored 2024-10-01. "
        "Candidate 3: role_dispute anchored 2024-03-01."
    )
    _check(root[3], "g", {"font-family": FONT, "font-size": "13.0"})
    title, window, window_label, axis, *rest = group
    _check(title, "text", {"x": 24.0, "y": "22", "font-weight": "bold", "font-size": "15.6"})
    assert title.text == "Timeline of case tl-demo"
    _check(
        window,
        "rect",
        {"class": "window", "x": 49.0, "y": 48.0, "width": 622.0}
        | {
            "height": bottom - 48,
            "fill": "#fff3c4",
            "stroke": "#e0c060",
            "stroke-dasharray": "4 3",
        },
    )
    assert [_text(t) for t in window] == [
        "the window: 12 months before onset (2024-03-01) to assessment"
    ]
    # The long label fits before the onset line: 4 + 44 glyphs of 7.8 px from the window's edge.
    _check(
        window_label, "text", {"class": "window-label", "x": 53.0, "y": 61.0} | {"fill": "#7a5f00"}
    )
    assert window_label.text == "window: 12 months before onset to assessment"
    axis_line = {"x1": 24.0, "y1": axis_y, "x2": 696.0, "y2": axis_y, "stroke": "#424242"}
    _check(axis, "line", {"class": "axis"} | axis_line | {"stroke-width": "1.5"})
    # Ticks every 3 months (22 months shown: at most 11 ticks), each 5 px down from the axis.
    ticks = [date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
    ticks += [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1)]
    for i, day in enumerate(ticks):
        line, label = rest[2 * i], rest[2 * i + 1]
        tx = x(day)
        _check(
            line,
            "line",
            {"class": "tick", "x1": tx, "y1": axis_y, "x2": tx}
            | {"y2": axis_y + 5, "stroke": "#424242"},
        )
        _check(
            label,
            "text",
            {"class": "tick-label", "x": tx, "y": tick_y}
            | {"text-anchor": "middle", "fill": "#424242", "font-size": "12.0"},
        )
        assert label.text == f"{day:%Y-%m}"
    rest = rest[2 * len(ticks) :]
    navy = {"stroke": "#1a237e", "stroke-width": "1.5"}
    _check(
        rest[0],
        "line",
        {"class": "onset", "x1": onset, "y1": 48.0, "x2": onset}
        | {"y2": bottom, "stroke-dasharray": "5 3"}
        | navy,
    )
    labelled = {"fill": "#1a237e", "font-weight": "bold"}
    _check(rest[1], "text", {"x": onset, "y": bottom + 15, "text-anchor": "middle"} | labelled)
    assert rest[1].text == "onset 2025-03-01"
    _check(
        rest[2],
        "line",
        {"class": "assessed", "x1": assessed, "y1": 48.0} | {"x2": assessed, "y2": bottom} | navy,
    )
    # Within 70 px of the right edge: the label ends at the line.
    _check(rest[3], "text", {"x": assessed, "y": 44.0, "text-anchor": "end"} | labelled)
    assert rest[3].text == "assessed 2025-11-13"

    # Events: a label goes right of its stem unless it would cross the onset line (then left);
    # lane 0 nearest the axis, 23.4 px a lane; each label wears a halo of the window's colour.
    halo = {"paint-order": "stroke", "stroke": "#fff3c4", "stroke-width": "5"} | {
        "stroke-linejoin": "round"
    }
    events = rest[4:7]
    for g, (kind, day, words, lane, anchor) in zip(
        events,
        [
            ("separation", date(2024, 6, 1), "separation (Kai), 2024-06-01", 0, "start"),
            ("relocation", date(2024, 10, 1), "relocation, 2024-10-01", 1, "end"),
            ("death", date(2025, 1, 15), "† death of Grandma Rose, 2025-01-15", 2, "end"),
        ],
        strict=True,
    ):
        ex, ly = x(day), axis_y - 16 - lane * 23.4
        _check(g, "g", {"class": "event", "data-kind": kind})
        g_title, stem, mark, label = g
        assert g_title.text == words
        _check(stem, "line", {"x1": ex, "y1": ly + 4, "x2": ex, "y2": axis_y, "stroke": "#9e9e9e"})
        if kind == "death":
            _check(mark, "path", {"d": mark.get("d", ""), "fill": "#616161", "stroke": "#212121"})
            diamond: list[float | str] = [
                "M",
                ex,
                axis_y - 7,
                "L",
                ex + 7,
                axis_y,
                "L",
                ex,
                axis_y + 7,
            ]
            _check_path(mark.get("d"), [*diamond, "L", ex - 7, axis_y, "Z"])
        else:
            _check(
                mark,
                "circle",
                {"cx": ex, "cy": axis_y, "r": "5", "fill": "#1565c0"} | {"stroke": "#0d47a1"},
            )
        _check(
            label,
            "text",
            {"class": "event-label", "x": ex, "y": ly} | {"text-anchor": anchor} | halo,
        )
        assert label.text == words

    # Disputes: a 5 px red bar from since to ended (or assessment), words 18 px under its top;
    # the open one (since 2024-03-01) in lane 0, the ended one in lane 1, its words to the left.
    for g, (since, until, words, lane, anchor) in zip(
        rest[7:9],
        [
            (date(2024, 3, 1), case.assessed, "dispute with Kai (impasse)", 0, "start"),
            (
                date(2025, 5, 1),
                date(2025, 8, 1),
                "dispute with ed (stage not assessed, ended)",
                1,
                "end",
            ),
        ],
        strict=True,
    ):
        by = tick_y + 16 + lane * 29
        _check(g, "g", {"class": "dispute"})
        g_title, bar, label = g
        assert g_title.text == words
        _check(
            bar,
            "rect",
            {"x": x(since), "y": by, "width": x(until) - x(since)}
            | {"height": "5", "fill": "#c62828", "fill-opacity": "0.75"},
        )
        _check(
            label,
            "text",
            {"x": x(since), "y": by + 18, "text-anchor": anchor}
            | {"fill": "#c62828", "font-size": "12.0"}
            | halo,
        )
        assert label.text == words

    # Candidates: a numbered disc (radius 9) 21 px under the axis, joined to its anchor.
    badge_y = axis_y + 21
    for i, (g, (area, day, _)) in enumerate(zip(rest[9:12], candidates, strict=True)):
        ax = x(day)
        _check(g, "g", {"class": "anchor", "data-rank": str(i + 1)})
        g_title, link, disc, number = g
        assert g_title.text == f"candidate {i + 1}: {area.replace('_', ' ')}, anchored {day}"
        _check(
            link,
            "path",
            {"d": link.get("d", ""), "stroke": "#ef6c00"} | {"stroke-width": "1.5", "fill": "none"},
        )
        _check_path(link.get("d"), ["M", ax, axis_y + 5, "L", ax, badge_y - 9])
        _check(
            disc,
            "circle",
            {"cx": ax, "cy": badge_y, "r": "9.0", "fill": "#ef6c00"}
            | {"stroke": "#ffffff", "stroke-width": "1.5"},
        )
        _check(
            number,
            "text",
            {"x": ax, "y": badge_y + 4.55, "text-anchor": "middle"}
            | {"fill": "#ffffff", "font-weight": "bold"},
        )
        assert number.text == str(i + 1)
    heading, *lines = rest[12:]
    _check(heading, "text", {"x": 24.0, "y": list_y, "font-weight": "bold"})
    assert heading.text == "Candidates, by rank (the numbered discs under the axis)"
    assert [line.text for line in lines] == [
        "1. grief, anchor 2025-01-15, Grandma Rose",
        "2. role transition, anchor 2024-10-01",
        "3. role dispute, anchor 2024-03-01, Kai",
    ]
    for i, line in enumerate(lines):
        _check(line, "text", {"x": 24.0, "y": list_y + (i + 1) * 19.5})


def test_timeline_cuts_the_axis_and_keeps_labels_and_ticks_off_the_lines() -> None:
    """A fictional case whose first events lie five years before a short window (3 months,
    asked for), drawn 400 px wide and labelled by id: the axis is cut in the long empty stretch
    (said in the desc and in the cut's <title>), the window label shrinks to fit before the
    onset line, labels outside the window wear a white halo, two events of one day and kind
    are ordered with the one that names nobody first, a one-day dispute is drawn 2 px wide, and
    no tick label sits on the onset line, the assessment line, the cut or the tick before."""
    case = Case(
        id="cut-demo",
        assessed=date(2025, 7, 1),
        onset=date(2025, 6, 2),
        people=(
            Person(
                id="Al",
                name="Alan",
                role=Role.FRIEND,
                closeness=2,
                dispute=Dispute(
                    since=date(2019, 12, 1),
                    ended=date(2019, 12, 2),
                    stage=DisputeStage.RENEGOTIATION,
                ),
            ),
        ),
        events=(
            Event(date=date(2020, 1, 15), kind=EventKind.JOB_LOSS, person="Al"),
            Event(date=date(2020, 1, 15), kind=EventKind.JOB_LOSS),
        ),
    )
    root = _parse(timeline_svg(case, window_months=3, width=400, labels="id"))
    # From 2019-12-01 (the dispute) to 2025-07-01: 2039 days, 82 more at each end; the 1873
    # empty days after 2020-01-15 are cut (more than a third of them all), leaving two shown
    # stretches of 209 and 285 days over 400 - 48 px less the cut's 28 px.
    scale = (400 - 48 - 28) / (209 + 285)

    def x(day: date) -> float:
        if day <= date(2020, 4, 6):
            return 24 + (day - date(2019, 9, 10)).days * scale
        return 24 + 209 * scale + 28 + (day - date(2024, 12, 10)).days * scale

    axis_y = 48 + 13 + 16 + 2 * 23.4  # two lanes of event labels
    tick_y = axis_y + 18
    bottom = tick_y + 16 + 29 + 4  # one lane of disputes
    ids = ("iptcore-timeline-cut-demo-title", "iptcore-timeline-cut-demo-desc")
    group = _head(root, 400, bottom + 13 + 26, ids)
    assert root[1].text == (
        "Timeline from 2019-12-01 to assessment on 2025-07-01; onset 2025-06-02; the window from "
        "2025-03-02 (3 months before onset) to assessment is shaded. The axis is broken where "
        "nothing happens: from 2020-04-06 to 2024-12-10. Events: job loss, 2020-01-15; job loss "
        "(Al), 2020-01-15. Disputes: dispute with Al (renegotiation, ended)."
    )
    title, window, window_label, first, second, cut, *rest = group
    assert title.text == "Timeline of case cut-demo"
    wx1, wx2 = x(date(2025, 3, 2)), x(case.assessed)
    _check(
        window,
        "rect",
        {"class": "window", "x": wx1, "y": 48.0, "width": wx2 - wx1}
        | {
            "height": bottom - 48,
            "fill": "#fff3c4",
            "stroke": "#e0c060",
            "stroke-dasharray": "4 3",
        },
    )
    assert _text(window) == "the window: 3 months before onset (2025-03-02) to assessment"
    # "window: 3 months" (16 glyphs of 7.8 px) would cross the onset line; "window" does not.
    _check(
        window_label,
        "text",
        {"class": "window-label", "x": wx1 + 4, "y": 61.0} | {"fill": "#7a5f00"},
    )
    assert window_label.text == "window"
    line = {"y1": axis_y, "y2": axis_y, "stroke": "#424242", "stroke-width": "1.5"}
    _check(first, "line", {"class": "axis", "x1": 24.0, "x2": 24 + 209 * scale} | line)
    _check(second, "line", {"class": "axis", "x1": 52 + 209 * scale, "x2": 376.0} | line)
    gx = 38 + 209 * scale  # the middle of the 28 px cut
    _check(cut, "g", {"class": "axis-break"})
    assert _text(cut[0]) == "no events from 2020-04-06 to 2024-12-10: the axis is cut short"
    _check(
        cut[1],
        "path",
        {"d": cut[1].get("d", ""), "stroke": "#424242"} | {"stroke-width": "1.5", "fill": "none"},
    )
    strokes: list[float | str] = ["M", gx - 7, axis_y + 7, "L", gx - 1, axis_y - 7]
    _check_path(cut[1].get("d"), [*strokes, "M", gx + 1, axis_y + 7, "L", gx + 7, axis_y - 7])
    # Ticks every 2 months (16 shown): 2020-01 is within 6 px of 2019-11's label, 2025-03 of
    # 2025-01's, 2025-05 overlaps the onset line and 2025-07 is on the assessment line; 2025-01
    # clears the cut (3 px either side of it) by a fifth of a pixel.
    shown = [date(2019, 11, 1), date(2020, 3, 1), date(2025, 1, 1), date(2025, 9, 1)]
    labels = [e for e in rest if e.get("class") == "tick-label"]
    assert [e.text for e in labels] == [f"{day:%Y-%m}" for day in shown]
    for label, day in zip(labels, shown, strict=True):
        assert abs(float(label.get("x", "nan")) - x(day)) <= 0.051
        assert abs(float(label.get("y", "nan")) - tick_y) <= 0.051
    onset = next(e for e in rest if e.get("class") == "onset")
    at = rest[rest.index(onset) + 1]
    _check(
        at,
        "text",
        {"x": x(case.onset), "y": bottom + 15, "text-anchor": "middle"}
        | {"fill": "#1a237e", "font-weight": "bold"},
    )
    assert at.text == "onset 2025-06-02"
    white = {"paint-order": "stroke", "stroke": "#ffffff", "stroke-width": "5"} | {
        "stroke-linejoin": "round"
    }
    events = [e for e in rest if e.get("class") == "event"]
    ex = x(date(2020, 1, 15))
    for g, words, lane in zip(
        events, ["job loss, 2020-01-15", "job loss (Al), 2020-01-15"], (0, 1), strict=True
    ):
        assert g[0].text == words
        _check(
            g[3],
            "text",
            {"class": "event-label", "x": ex, "y": axis_y - 16 - lane * 23.4}
            | {"text-anchor": "start"}
            | white,
        )
        assert g[3].text == words
    (dispute,) = [e for e in rest if e.get("class") == "dispute"]
    words = "dispute with Al (renegotiation, ended)"
    assert dispute[0].text == words
    x1 = x(date(2019, 12, 1))
    _check(
        dispute[1],
        "rect",
        {"x": x1, "y": tick_y + 16, "width": 2.0, "height": "5"}
        | {"fill": "#c62828", "fill-opacity": "0.75"},
    )
    _check(
        dispute[2],
        "text",
        {"x": x1, "y": tick_y + 16 + 18, "text-anchor": "start"}
        | {"fill": "#c62828", "font-size": "12.0"}
        | white,
    )
    assert dispute[2].text == words


def test_timeline_without_events_says_so() -> None:
    """A fictional case with nothing on its timeline, drawn at the widest 4000 px: the desc says
    "No events.", there are no lanes (the axis 29 px under the plot's top) and no disputes (the
    plot's foot 4 px under the tick labels' row); no candidates, no list. The empty year between
    the window's start and the onset is cut (17 days, 4% of the 428, kept on either side)."""
    case = Case(id="calm", assessed=date(2026, 1, 5), onset=date(2025, 11, 3))
    root = _parse(timeline_svg(case, width=4000))
    axis_y = 48 + 13 + 16
    bottom = axis_y + 18 + 16 + 4
    ids = ("iptcore-timeline-calm-title", "iptcore-timeline-calm-desc")
    group = _head(root, 4000, bottom + 13 + 26, ids)
    assert root[1].text == (
        "Timeline from 2024-11-03 to assessment on 2026-01-05; onset 2025-11-03; the window from "
        "2024-11-03 (12 months before onset) to assessment is shaded. The axis is broken where "
        "nothing happens: from 2024-11-20 to 2025-10-17. No events."
    )
    first, second = [e for e in group if e.get("class") == "axis"]
    assert (first.get("y1"), first.get("x1"), second.get("x2")) == (
        f"{axis_y:.1f}",
        "24.0",
        "3976.0",
    )
    assert not [e for e in group if e.get("class") in ("event", "dispute", "anchor")]


def test_timeline_is_720_px_wide_by_default_and_takes_400_to_4000() -> None:
    """``width`` defaults to 720 px; the documented range 400-4000 is inclusive."""
    case = _timeline_case()
    assert _parse(timeline_svg(case)).get("width") == "720.0"
    assert _parse(timeline_svg(case, width=400)).get("width") == "400.0"
    assert _parse(timeline_svg(case, width=4000)).get("width") == "4000.0"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"width": 399}, "width: must be a whole number of pixels from 400 to 4000, got 399"),
        ({"width": 4001}, "width: must be a whole number of pixels from 400 to 4000, got 4001"),
        ({"width": True}, "width: must be a whole number of pixels from 400 to 4000, got True"),
        ({"width": 720.0}, "width: must be a whole number of pixels from 400 to 4000, got 720.0"),
        ({"labels": "ids"}, "labels: must be 'name' or 'id', got 'ids'"),
        ({"case": {"id": "x"}}, "case: must be an iptcore.Case, got dict"),
        (
            {"classification": "grief"},
            "classification: must be a Classification (from iptcore.classify) or None, got str",
        ),
        ({"window_months": 0}, "window_months: must be 1 to 1200, got 0"),
        ({"window_months": 6.0}, "window_months: must be a whole number of months, got 6.0"),
    ],
)
def test_timeline_refuses_bad_arguments_by_name(arguments: dict[str, object], message: str) -> None:
    """Each bad argument is refused with an IptError that names the argument, the rule and what
    was given (an argument of the call, never a value of the case: no redacted form is set)."""
    call: dict[str, object] = {"case": _timeline_case()} | arguments
    with pytest.raises(IptError) as caught:
        timeline_svg(**call)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.redacted_message is None


def test_timeline_of_years_labels_years_and_keeps_labels_inside() -> None:
    """A fictional case over six years (a 3-month window, asked for), 720 px wide: ticks fall
    yearly and say the year alone; the one under the onset line is left out; the onset's label
    starts at its line (within 70 px of the left edge) and the assessment's ends at its line; an
    event label with room on both sides goes right; one on the assessment day goes left, with a
    halo of the window's colour; an event's words are cut to 40 characters with an ellipsis."""
    name = "Anastasia Featherstonehaugh-Li"  # "† death of " and 30 characters: 41
    case = Case(
        id="years",
        assessed=date(2025, 6, 2),
        onset=date(2019, 3, 1),
        people=(Person(id="ana", name=name, role=Role.PARENT, closeness=1),),
        events=(
            Event(date=date(2021, 6, 1), kind=EventKind.RELOCATION),
            Event(date=date(2025, 6, 2), kind=EventKind.DEATH, person="ana"),
        ),
    )
    root = _parse(timeline_svg(case, window_months=3))
    group = list(root[3])
    ticks = [e.text for e in group if e.get("class") == "tick-label"]
    assert ticks == ["2020", "2021", "2022", "2023", "2024", "2025"]
    onset = next(e for e in group if e.get("class") == "onset")
    assessed = next(e for e in group if e.get("class") == "assessed")
    assert group[group.index(onset) + 1].get("text-anchor") == "start"
    assert group[group.index(assessed) + 1].get("text-anchor") == "end"
    window = {"paint-order": "stroke", "stroke": "#fff3c4", "stroke-width": "5"}
    events = [e for e in group if e.get("class") == "event"]
    words = ["relocation, 2021-06-01", "† death of Anastasia Featherstonehaugh-…, 2025-06-02"]
    assert [g[0].text for g in events] == words
    for g, anchor in zip(events, ("start", "end"), strict=True):
        assert g[3].text == g[0].text
        assert g[3].get("text-anchor") == anchor
        assert {k: g[3].get(k) for k in window} == window
    assert events[1][3].get("x") == assessed.get("x1")


def test_timeline_says_each_cut_of_the_axis() -> None:
    """Two long empty stretches before a fictional case's window are both cut, each keeping 4% of
    all the days (299 of 7487) beside the days it separates, and the desc names both."""
    case = Case(
        id="cuts",
        assessed=date(2020, 7, 1),
        onset=date(2020, 6, 1),
        events=(
            Event(date=date(2000, 1, 1), kind=EventKind.JOB_LOSS),
            Event(date=date(2010, 1, 1), kind=EventKind.RELOCATION),
        ),
    )
    root = _parse(timeline_svg(case))
    assert (root[1].text or "").split(". ")[1] == (
        "The axis is broken where nothing happens: from 2000-10-26 to 2009-03-08; "
        "from 2010-10-27 to 2018-08-06"
    )
    cuts = [e for e in root.iter(f"{SVG}g") if e.get("class") == "axis-break"]
    assert [_text(e[0]) for e in cuts] == [
        "no events from 2000-10-26 to 2009-03-08: the axis is cut short",
        "no events from 2010-10-27 to 2018-08-06: the axis is cut short",
    ]


def test_timeline_spreads_crowded_candidates_apart() -> None:
    """In a fictional case, candidates anchored 5 days (5 px) apart get discs 22 px apart (two
    radii of 9 px and 4 px between), centred on the middle of their anchors; the others stay
    over their anchors. The axis is the first timeline's: one pixel a day from 2024-02-05, 24 px
    in."""
    case = Case(
        id="crowd",
        assessed=date(2025, 11, 13),
        onset=date(2025, 3, 1),
        people=(Person(id="gran", name="Grandma Rose", role=Role.RELATIVE, closeness=2),),
        events=(
            Event(date=date(2025, 1, 15), kind=EventKind.DEATH, person="gran"),
            Event(date=date(2025, 1, 20), kind=EventKind.JOB_LOSS),
            Event(date=date(2024, 6, 1), kind=EventKind.RELOCATION),
            Event(date=date(2024, 9, 1), kind=EventKind.RELOCATION),
        ),
    )  # fictional
    result = classify(case)
    anchors = [f.anchor for f in result.candidates]
    assert anchors == [date(2025, 1, 20), date(2025, 1, 15), date(2024, 9, 1), date(2024, 6, 1)]
    root = _parse(timeline_svg(case, result))
    discs = [g for g in root.iter(f"{SVG}g") if g.get("class") == "anchor"]
    xs = [24 + (day - date(2024, 2, 5)).days for day in anchors]
    assert xs == [374, 369, 233, 141]
    middle = (374 + 369) / 2
    axis_y = float(
        next(e for e in root.iter(f"{SVG}line") if e.get("class") == "axis").get("y1", "")
    )
    for g, ax, bx in zip(discs, xs, (middle + 11, middle - 11, 233, 141), strict=True):
        _check_path(g[1].get("d"), ["M", ax, axis_y + 5, "L", bx, axis_y + 12])
        assert abs(float(g[2].get("cx", "nan")) - bx) <= 0.051


def test_timeline_edges_of_labels_and_ticks() -> None:
    """Fictional cases on the first timeline's scale (622 days and 25 more at each end over
    672 px: one pixel a day, from 24 px to 696 px). An onset line exactly 70 px from the right
    edge keeps its label centred (only one further right ends at the line), and one exactly
    70 px from the left edge too (only one further left starts at it); a 1-month window (31 px)
    leaves no room for even "window" before the onset line, so it is left unlabelled. A tick
    whose 7-glyph label (50.4 px) would run more than 20 px past either edge of the axis is left
    out, and so are the ticks whose label would reach within 3 px of the onset or the assessment
    line; the others all show, by month (one tick alone too)."""
    relocations = tuple(
        Event(date=day, kind=EventKind.RELOCATION)
        for day in (date(2024, 3, 1), date(2024, 9, 1), date(2025, 3, 1))
    )
    for onset, x in ((date(2025, 9, 29), "626.0"), (date(2024, 4, 15), "94.0")):
        case = Case(id="edge", assessed=date(2025, 11, 13), onset=onset, events=relocations)
        group = list(_parse(timeline_svg(case, window_months=1))[3])
        line = next(e for e in group if e.get("class") == "onset")
        assert line.get("x1") == x  # 24 + 602 or 70 days after 2024-02-05
        label = group[group.index(line) + 1]
        assert (label.get("text-anchor"), label.text) == ("middle", f"onset {onset}")
        assert not [e for e in group if e.get("class") == "window-label"]
    # From 2024-04-21 to 2026-01-03 (axis from 2024-03-27): 2024-04-01 is 5 px in, its label
    # would start 1.2 px left of the picture; 2025-04-01 and 2026-01-01 lie under the lines.
    left = Case(
        id="edge",
        assessed=date(2026, 1, 3),
        onset=date(2025, 4, 21),
        events=(
            Event(date=date(2024, 9, 1), kind=EventKind.RELOCATION),
            Event(date=date(2025, 1, 15), kind=EventKind.RELOCATION),
        ),
    )
    group = list(_parse(timeline_svg(left))[3])
    ticks = [e for e in group if e.get("class") == "tick-label"]
    assert [e.text for e in ticks] == ["2024-07", "2024-10", "2025-01", "2025-07", "2025-10"]
    assert [e.get("x") for e in ticks] == ["120.0", "212.0", "304.0", "485.0", "577.0"]
    # From 2024-03-30 to 2025-12-12 (axis to 2026-01-06): 2026-01-01 is 5 px from the end, its
    # label would end 20.2 px past it; 2025-04-01 lies under the onset line.
    right = Case(
        id="edge",
        assessed=date(2025, 12, 12),
        onset=date(2025, 3, 30),
        events=(
            Event(date=date(2024, 8, 1), kind=EventKind.RELOCATION),
            Event(date=date(2024, 12, 1), kind=EventKind.RELOCATION),
        ),
    )
    group = list(_parse(timeline_svg(right))[3])
    ticks = [e for e in group if e.get("class") == "tick-label"]
    assert [e.text for e in ticks] == [
        "2024-04", "2024-07", "2024-10", "2025-01", "2025-07", "2025-10"
    ]  # fmt: skip
    assert [e.get("x") for e in ticks] == ["51.0", "142.0", "234.0", "326.0", "507.0", "599.0"]
    # The onset line at 420 px (2025-03-07): the 2025-04 label (445 px, from 419.8) would start
    # within 3 px right of it, so it is left out.
    near = Case(id="edge", assessed=date(2025, 11, 13), onset=date(2025, 3, 7), events=relocations)
    group = list(_parse(timeline_svg(near))[3])
    assert [e.text for e in group if e.get("class") == "tick-label"] == [
        "2024-04", "2024-07", "2024-10", "2025-01", "2025-07", "2025-10"
    ]  # fmt: skip
    # A timeline with one tick (2026-01) is labelled by month.
    short = Case(
        id="edge",
        assessed=date(2026, 1, 20),
        onset=date(2026, 1, 10),
        events=tuple(
            Event(date=day, kind=EventKind.NEW_JOB)
            for day in (date(2025, 12, 20), date(2026, 1, 1))
        ),
    )
    group = list(_parse(timeline_svg(short, window_months=1))[3])
    assert [e.text for e in group if e.get("class") == "tick-label"] == ["2026-01"]
    # Assessed 2026-01-29, 50 days after 2025-12-10: 3 days' margin (the least) puts 2026-02-01
    # at the axis' right end, its label's half (25.2 px) past the 20 px allowed: left out.
    later = attrs.evolve(short, assessed=date(2026, 1, 29))
    group = list(_parse(timeline_svg(later, window_months=1))[3])
    ticks = [e for e in group if e.get("class") == "tick"]
    assert [e.get("x1") for e in ticks] == [f"{24 + 25 * 672 / 56:.1f}"]
    assert [e.text for e in group if e.get("class") == "tick-label"] == ["2026-01"]


def test_timeline_turns_an_event_label_away_from_a_line_or_the_edge() -> None:
    """A fictional case on the first timeline's scale (one pixel a day; onset line at 414,
    assessment at 671, right edge at 696): each 22-character label takes 22 * 7.8 + 6 = 177.6
    px, and a line within 3 px of either end of it counts as crossed. From 2024-09-01 (x 233)
    the label ends at 410.6, 3.4 px short of the onset line: it goes right. From 2024-09-04
    (x 236) it would end at 413.6, within 3 px of the line: it goes left. From 2025-07-04
    (x 539) it would cross the assessment line and end 20.6 px past the right edge (more than
    20): it goes left, though the onset line lies there, since running off the picture is
    worse."""
    case = Case(
        id="turns",
        assessed=date(2025, 11, 13),
        onset=date(2025, 3, 1),
        events=tuple(
            Event(date=day, kind=EventKind.RELOCATION)
            for day in (date(2024, 9, 1), date(2024, 9, 4), date(2025, 7, 4))
        ),
    )  # fictional
    group = _parse(timeline_svg(case))[3]
    labels = [g[3] for g in group if g.get("class") == "event"]
    assert [(e.get("x"), e.get("text-anchor")) for e in labels] == [
        ("233.0", "start"),
        ("236.0", "end"),
        ("539.0", "end"),
    ]


def test_timeline_window_label_takes_the_longest_words_that_fit() -> None:
    """The window's label is the longest of its three wordings that fits between the window's
    left edge (plus 4 px) and 4 px before the onset line, at 7.8 px a glyph; both fictional
    cases run from 2024-03-01 to 2025-11-13 (672 days with the margins). An 11-month window
    (337 days) drawn 740 px wide (692 / 672 px a day: 347.0 px) is 4.2 px short of the 44-glyph
    wording: it says "window: 11 months". A 2-month window (59 days) drawn 676 px wide (628 / 672
    px a day: 55.1 px) leaves 0.3 px to spare for "window"."""
    early = Event(date=date(2024, 3, 1), kind=EventKind.RELOCATION)
    middle = Event(date=date(2024, 9, 1), kind=EventKind.RELOCATION)
    eleven = Case(
        id="w11", assessed=date(2025, 11, 13), onset=date(2025, 2, 1), events=(early, middle)
    )
    group = _parse(timeline_svg(eleven, window_months=11, width=740))[3]
    (label,) = [e for e in group if e.get("class") == "window-label"]
    assert (label.get("x"), label.text) == (f"{24 + 25 * 692 / 672 + 4:.1f}", "window: 11 months")
    two = Case(id="w2", assessed=date(2025, 11, 13), onset=date(2025, 3, 1), events=(early, middle))
    group = _parse(timeline_svg(two, window_months=2, width=676))[3]
    (label,) = [e for e in group if e.get("class") == "window-label"]
    wx1 = 24 + (date(2025, 1, 1) - date(2024, 2, 5)).days * 628 / 672
    assert (float(label.get("x", "nan")), label.text) == (round(wx1 + 4, 1), "window")
