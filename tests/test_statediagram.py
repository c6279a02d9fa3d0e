"""Tests of iptcore.draw.statediagram: the course's state diagram as SVG, drawn from the table."""

from __future__ import annotations

import enum
import itertools
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iptcore import IptError
from iptcore.course import START_STATES, TRANSITIONS, State
from iptcore.draw import state_diagram
from iptcore.draw.statediagram import state_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def _pairs(table: Mapping[Any, Mapping[Any, Collection[Any]]]) -> dict[tuple[str, str], list[str]]:
    """The (source, target) pairs of a table and the steps between them, in the table's order."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for source, row in table.items():
        for kind, targets in row.items():
            for target in targets:
                pairs.setdefault((str(source), str(target)), []).append(str(kind))
    return pairs


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def _labels(root: ET.Element) -> dict[tuple[str | None, str | None], str]:
    """Each arrow's label by (source, target). Arrows into a state drawn at the side that share
    their steps share one label, inside that state's box: it counts for each of them."""
    labels = {}
    for g in _groups(root, "step-name"):
        labels[g.get("data-from"), g.get("data-to")] = _label_text(g)
    for g in _groups(root, "step-name shared"):
        sink = g.get("data-to")
        words = _label_text(g).removeprefix("by ")
        for a in _groups(root, "step"):
            if a.get("data-to") == sink and a.get("data-from") != sink:
                labels[a.get("data-from"), sink] = words
    return labels


def _label_text(group: ET.Element) -> str:
    """The words of a step label, its lines joined again (a line ending in ``_`` goes on)."""
    (text,) = [t for t in group.iter(f"{SVG}text") if t.get("class") == "step-label"]
    return " ".join(span.text or "" for span in text.iter(f"{SVG}tspan")).replace("_ ", "_")


def _rects(root: ET.Element, cls: str) -> list[tuple[float, float, float, float]]:
    return [
        (
            float(r.get("x", 0)),
            float(r.get("y", 0)),
            float(r.get("width", 0)),
            float(r.get("height", 0)),
        )
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == cls
    ]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """True if two rectangles share more than the rounding of their coordinates."""
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return min(ax + aw, bx + bw) - max(ax, bx) > 0.2 and min(ay + ah, by + bh) - max(ay, by) > 0.2


def _inside(rect: tuple[float, float, float, float], width: float, height: float) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= width and y + h <= height


def _check_no_overlaps(root: ET.Element) -> None:
    """No two of the boxes and label halos overlap, and all of them are inside the picture."""
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    shapes = _rects(root, "box") + _rects(root, "halo")
    for i, a in enumerate(shapes):
        assert _inside(a, width, height), a
        for b in shapes[i + 1 :]:
            assert not _overlap(a, b), (a, b)


# -- the course's own table --------------------------------------------------------------------


def test_the_picture_is_standalone_and_accessible() -> None:
    """a viewBox, <title> and <desc> first, named by aria."""
    root = _parse(state_diagram_svg())
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    assert root.get("viewBox") == f"0 0 {width:.1f} {height:.1f}"
    assert 300 <= width <= 2000
    assert 300 <= height <= 2000
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert root.get("role") == "img"
    assert (root.get("aria-labelledby") or "").split() == [root[0].get("id"), root[1].get("id")]
    assert root[0].text == "The states of a course and the steps between them"
    assert not list(root.iter(f"{SVG}script"))
    assert not any(
        e.get("href") or e.get("{http://www.w3.org/1999/xlink}href") for e in root.iter()
    )


def test_one_box_per_state_of_the_table() -> None:
    """h11 style: the diagram is drawn from TRANSITIONS, one box per state."""
    root = _parse(state_diagram_svg())
    states = [g.get("data-state") for g in _groups(root, "state")]
    assert states == [s.value for s in TRANSITIONS]
    assert len(_rects(root, "box")) == len(TRANSITIONS)


def test_one_arrow_and_one_label_per_pair_of_states() -> None:
    """Each (source, target) pair of TRANSITIONS is one arrow whose label names all its steps,
    as in state_diagram()'s Mermaid text."""
    root = _parse(state_diagram_svg())
    pairs = _pairs(TRANSITIONS)
    arrows = [(g.get("data-from"), g.get("data-to")) for g in _groups(root, "step")]
    labels = _labels(root)
    assert sorted(arrows) == sorted(pairs)
    assert len(labels) == len(pairs)
    for (source, target), steps in pairs.items():
        assert labels[source, target] == ", ".join(steps)
        assert f"{source} --> {target}: {', '.join(steps)}" in state_diagram()
    for g in _groups(root, "step"):
        (path,) = g.iter(f"{SVG}path")
        assert path.get("marker-end") == "url(#iptcore-states-arrow)"
    assert [m.get("id") for m in root.iter(f"{SVG}marker")] == ["iptcore-states-arrow"]


def test_every_transition_is_said_in_the_desc() -> None:
    """Text, not only pictures: the <desc> says every step of every state and where it leads."""
    desc = _parse(state_diagram_svg())[1].text or ""
    assert "A course may start in engagement, initial or maintenance." in desc
    sentences = {s.split(":")[0]: s for s in desc.split("From ")[1:]}
    for source, row in TRANSITIONS.items():
        said = sentences[source.value]
        for kind, targets in row.items():
            assert kind.value in said
            for target in targets:
                assert (
                    f"stay in {target.value}" if target == source else f"lead to {target.value}"
                ) in said
    assert "; hold, miss or renegotiate may lead to termination;" in desc
    assert "From dropped: no step." in desc


def test_start_and_end_states_are_marked_by_shape_and_said() -> None:
    """START_STATES get a dot and arrow, a state no step leaves a double border; the key and each
    box's <title> say so in words."""
    root = _parse(state_diagram_svg())
    marked = {
        g.get("data-state")
        for g in _groups(root, "state")
        if any(c.get("class") == "start" for c in g.iter(f"{SVG}circle"))
    }
    assert marked == {s.value for s in START_STATES}
    ended = {
        g.get("data-state")
        for g in _groups(root, "state")
        if any(r.get("class") == "end" for r in g.iter(f"{SVG}rect"))
    }
    assert ended == {s.value for s, row in TRANSITIONS.items() if not row} == {"dropped"}
    titles = {g.get("data-state"): g.find(f"{SVG}title").text for g in _groups(root, "state")}  # type: ignore[union-attr]
    assert titles["initial"] == "initial (start)"
    assert titles["dropped"] == "dropped (end)"
    key = " ".join("".join(g.itertext()) for g in _groups(root, "key"))
    assert "a course may start here" in key
    assert "no step leaves the state" in key


def test_labels_boxes_and_marks_do_not_overlap() -> None:
    """Legible: no label covers a box or another label, and everything is inside the picture."""
    root = _parse(state_diagram_svg())
    shared = {a for a in _pairs(TRANSITIONS) if a[1] == "dropped" and a[0] != "dropped"}
    assert len(_rects(root, "halo")) == len(_pairs(TRANSITIONS)) - len(shared)
    _check_no_overlaps(root)


def test_the_same_table_gives_the_same_bytes() -> None:
    """Deterministic: the docs rebuild to the same file, whatever the hash seed (the table's
    target sets are frozensets, whose order depends on it)."""
    assert state_diagram_svg() == state_diagram_svg()
    code = (
        "import hashlib; from iptcore.draw.statediagram import state_diagram_svg; "
        "print(hashlib.sha256(state_diagram_svg().encode()).hexdigest())"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(seen) == 1


def test_an_arrow_to_an_earlier_state_points_up() -> None:
    """termination -> middle (renegotiate) runs against the table's order: it ends on middle's
    bottom edge, with its arrowhead pointing up."""
    root = _parse(state_diagram_svg())
    box = {g.get("data-state"): _rects(g, "box")[0] for g in _groups(root, "state")}
    (back,) = [
        g
        for g in _groups(root, "step")
        if (g.get("data-from"), g.get("data-to")) == ("termination", "middle")
    ]
    d = next(back.iter(f"{SVG}path")).get("d", "")
    end_y = float(d.split()[-1].split(",")[1])
    _, top, _, high = box["middle"]
    assert end_y == pytest.approx(top + high, abs=0.1)
    assert box["termination"][1] > box["middle"][1]


def _points(d: str, per_curve: int = 24) -> list[tuple[float, float]]:
    """Points along an SVG path made of M, L, Q and C commands (as the diagram writes them)."""
    tokens = re.findall(r"[MLQC]|-?[0-9.]+", d)
    points: list[tuple[float, float]] = []
    i, command = 0, "M"
    while i < len(tokens):
        if tokens[i] in "MLQC":
            command, i = tokens[i], i + 1
            continue
        count = {"M": 1, "L": 1, "Q": 2, "C": 3}[command]
        xy = [float(t) for t in tokens[i : i + 2 * count]]
        i += 2 * count
        ends = [(xy[k], xy[k + 1]) for k in range(0, len(xy), 2)]
        if command in "ML":
            points.append(ends[0])
            continue
        start = points[-1]
        controls = [start, *ends]
        for step in range(1, per_curve + 1):
            t = step / per_curve
            layer = controls
            while len(layer) > 1:  # de Casteljau
                layer = [
                    (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                    for a, b in itertools.pairwise(layer)
                ]
            points.append(layer[0])
    return points


def _arrow_paths(
    root: ET.Element,
) -> dict[tuple[str | None, str | None], list[tuple[float, float]]]:
    return {
        (g.get("data-from"), g.get("data-to")): _points(next(g.iter(f"{SVG}path")).get("d", ""))
        for g in _groups(root, "step")
        if g.get("data-from") != g.get("data-to")
    }


def test_the_course_diagram_is_not_tangled() -> None:
    """Untangled: every state may drop_out, and those arrows run to dropped, drawn at the side,
    with one turn and then straight across into its box, never doubling back (drawn under
    everything, as before, they wound across the drawing, doubling back up to twice)."""
    root = _parse(state_diagram_svg())
    paths = _arrow_paths(root)
    box = {g.get("data-state"): _rects(g, "box")[0] for g in _groups(root, "state")}
    x, top, _, high = box["dropped"]
    into = {pair: points for pair, points in paths.items() if pair[1] == "dropped"}
    assert len(into) == 5
    for points in into.values():
        (_, y1), (x2, y2) = points[-2:]
        assert y1 == y2  # straight in from the left
        assert x2 == pytest.approx(x, abs=0.1)
        assert top < y2 < top + high
        steps = [b[0] - a[0] for a, b in itertools.pairwise(points)]
        assert all(step >= -1e-6 for step in steps)  # never back to the left
    assert all(b[0] + b[2] <= x for s, b in box.items() if s != "dropped")


def test_every_label_is_clearly_its_own_arrows() -> None:
    """Unambiguous: the arrow a step label names passes at least 25 px nearer the label's centre
    than any other arrow (the drawing with dropped under everything had labels near finished
    and a drop_out label within 14 px of it)."""
    root = _parse(state_diagram_svg())
    paths = _arrow_paths(root)
    for g in _groups(root, "step-name"):
        pair = (g.get("data-from"), g.get("data-to"))
        if pair[0] == pair[1]:
            continue  # a loop's label sits beside its loop
        (x, y, w, h) = _rects(g, "halo")[0]
        centre = (x + w / 2, y + h / 2)

        def distance(points: list[tuple[float, float]], at: tuple[float, float] = centre) -> float:
            return min(math.dist(point, at) for point in points)

        others = min(distance(points) for other, points in paths.items() if other != pair)
        assert others - distance(paths[pair]) >= 25, pair


# -- a user's own table ------------------------------------------------------------------------


class _Stage(enum.StrEnum):
    """A fictional group programme's own states."""

    REFERRED = "referred"
    IN_GROUP = "in group"
    DONE = "done"


def test_a_users_own_table_renders() -> None:
    """Any table of the same shape draws: its own StrEnum or plain strings, lists or tuples."""
    own: dict[_Stage, dict[str, Collection[_Stage]]] = {
        _Stage.REFERRED: {"assess": [_Stage.IN_GROUP], "decline": (_Stage.DONE,)},
        _Stage.IN_GROUP: {"attend": {_Stage.IN_GROUP, _Stage.DONE}, "pause": [_Stage.REFERRED]},
        _Stage.DONE: {},
    }
    svg = state_diagram_svg(own, start_states=[_Stage.REFERRED], title="A fictional group")
    root = _parse(svg)
    assert root[0].text == "A fictional group"
    assert [g.get("data-state") for g in _groups(root, "state")] == ["referred", "in group", "done"]
    labels = _labels(root)
    assert labels == {
        ("referred", "in group"): "assess",
        ("referred", "done"): "decline",
        ("in group", "in group"): "attend",
        ("in group", "done"): "attend",
        ("in group", "referred"): "pause",
    }
    desc = root[1].text or ""
    assert "From in group: attend may stay in in group; attend may lead to done;" in desc
    as_strings = {
        str(k): {s: [str(t) for t in v] for s, v in row.items()} for k, row in own.items()
    }
    assert (
        state_diagram_svg(as_strings, start_states={"referred"}, title="A fictional group") == svg
    )


def test_no_start_state_and_one_lonely_state() -> None:
    """The smallest tables draw too: one state without steps, no start state marked."""
    root = _parse(state_diagram_svg({"alone": {}}, start_states=()))
    assert [g.get("data-state") for g in _groups(root, "state")] == ["alone"]
    assert not _groups(root, "step")
    assert "No start state is marked." in (root[1].text or "")
    assert "a course may start here" not in "".join(root.itertext())


def test_text_is_escaped() -> None:
    """Names are text, never markup: quotes, angle brackets, ampersands and characters XML cannot
    hold come out as text (the last as U+FFFD)."""
    evil = '<b>&"it\'s"\x01'
    svg = state_diagram_svg(
        {evil: {"step <1> & 'more'": [evil, "ok"]}, "ok": {}}, start_states={evil}
    )
    root = _parse(svg)
    assert [g.get("data-state") for g in _groups(root, "state")] == ['<b>&"it\'s"\ufffd', "ok"]
    assert "step <1> & 'more'" in "".join(root.itertext())
    assert "<b>" not in svg


@st.composite
def _tables(draw: st.DrawFn) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    names = draw(
        st.lists(
            st.text(st.sampled_from("abcdefghijklmnop _<&é"), min_size=1, max_size=14),
            min_size=1,
            max_size=7,
            unique=True,
        )
    )
    steps = st.sampled_from(["hold", "miss", "go", "come_back", "a_rather_long_step_name"])
    table = {
        name: draw(
            st.dictionaries(
                steps,
                st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True),
                max_size=3,
            )
        )
        for name in names
    }
    return table, draw(st.lists(st.sampled_from(names), unique=True, max_size=2))


@given(_tables())
def test_any_table_draws_without_overlaps(
    drawn: tuple[dict[str, dict[str, list[str]]], list[str]],
) -> None:
    """Property: any valid table gives a parsable picture with one box per state and one arrow
    and label per pair, no label over a box or another label, and the same bytes twice."""
    table, starts = drawn
    svg = state_diagram_svg(table, start_states=starts)
    assert svg == state_diagram_svg(table, start_states=starts)
    root = _parse(svg)
    assert [g.get("data-state") for g in _groups(root, "state")] == list(table)
    pairs = _pairs(table)
    labels = _labels(root)
    assert labels == {pair: ", ".join(steps) for pair, steps in pairs.items()}
    assert len(_groups(root, "step")) == len(pairs)
    _check_no_overlaps(root)
    for step in {s for row in table.values() for s in row}:
        assert step in (root[1].text or "")


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"transitions": [("a", {})]}, r"transitions: must map each state to its steps, got list"),
        ({"transitions": {}}, r"transitions: must hold at least one state"),
        ({"transitions": {1: {}}}, r"transitions: a state must be a non-empty string, got 1"),
        ({"transitions": {"": {}}}, r"transitions: a state must be a non-empty string"),
        ({"transitions": {"a": ["go"]}}, r"transitions\['a'\]: must map each step .* got list"),
        ({"transitions": {"a": {None: ["a"]}}}, r"transitions\['a'\]: a step must be .* got None"),
        ({"transitions": {"a": {"go": "a"}}}, r"transitions\['a'\]\['go'\]: must be a collection"),
        ({"transitions": {"a": {"go": 3}}}, r"transitions\['a'\]\['go'\]: must be a collection"),
        ({"transitions": {"a": {"go": ["b"]}}}, r"\['go'\]: 'b' is not a state of the table"),
        ({"transitions": {"a": {"go": [2]}}}, r"\['go'\]: a state must be a non-empty string"),
        ({"transitions": {"a": {"go": []}}}, r"transitions\['a'\]\['go'\]: leads to no state"),
        ({"start_states": {"nowhere"}}, r"start_states: 'nowhere' is not a state of the table"),
        ({"start_states": "initial"}, r"start_states: must be a collection of states"),
        ({"start_states": None}, r"start_states: must be a collection of states"),
        ({"title": None}, r"title: must be a string, got None"),
    ],
)
def test_bad_input_raises_ipt_error(kwargs: dict[str, Any], message: str) -> None:
    """Bad input gets IptError naming the argument and what was wrong (the briefing)."""
    with pytest.raises(IptError, match=message):
        state_diagram_svg(**kwargs)


def test_the_default_table_is_the_course_table() -> None:
    """The default is TRANSITIONS itself, so the docs' picture is the code's table."""
    assert state_diagram_svg() == state_diagram_svg(TRANSITIONS, start_states=START_STATES)
    assert (
        state_diagram_svg(
            {s: row for s, row in TRANSITIONS.items() if s is not State.DROPPED}
            | {State.DROPPED: {}}
        )
        == state_diagram_svg()
    )
