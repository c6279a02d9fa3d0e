"""The course's state diagram as a standalone SVG picture, drawn from the transition table.

h11 draws the diagrams in its docs from the same table its code enforces; so does
:func:`state_diagram_svg`: each state of :data:`~iptcore.course.TRANSITIONS` is a box and each
(state, state) pair that some step joins is one arrow labelled with every such step, so the picture
cannot drift from what :class:`~iptcore.Course` allows. :func:`~iptcore.course.state_diagram`
gives the same table as Mermaid or Graphviz text.

The layout is a small layered drawing (after Sugiyama, Tagawa & Toda 1981), deterministic and
needing no graph library. The table's order is read as the course's order, so an arrow to an
earlier state (``termination`` back to ``middle``) points up; each state sits one layer below the
furthest earlier state that leads to it, and one that no earlier state leads to (``maintenance``)
just above the first state it leads to. Each arrow's label is a node of its own in a layer between
states, so labels take room like boxes do and cannot cover a box or each other; the arrows are
smooth curves that leave and enter the boxes square, and a step that keeps the state is a loop on
the box's right. A label lists its steps a few to a line; in a loop's label, narrow to keep the
picture legible at a page's width, a step name longer than a line breaks after its first
underscore, the line ending in ``_``; nothing is shortened. The picture has a ``viewBox``, a ``<title>``, a ``<desc>`` that lists every
transition in words, and a key; a start state is marked by a dot and an arrow and an end state by a
double border, not by colour alone. The same table gives the same bytes, and all text is escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Final

import attrs

from iptcore.course import START_STATES, TRANSITIONS, State, StepKind
from iptcore.draw._svg import FONT, document, num, xml_attr, xml_text
from iptcore.errors import IptError

__all__ = ["state_diagram", "state_diagram_svg"]

_FS: Final = 13.0  # state names
_LFS: Final = 12.5  # step labels
_CHAR: Final = 0.6  # a generous average glyph width in em, for sizing boxes from text
_BOX_H: Final = 36.0
_LINE: Final = _LFS * 1.25
_WRAP: Final = 22  # characters per line of a step label
_LOOP_WRAP: Final = 12  # ... of a loop's label, beside its box, where width is dear
_GAP: Final = 26.0  # least room between neighbours in a layer
_LAYER_GAP: Final = 30.0  # room between layers, where the arrows curve
_LOOP: Final = 34.0  # how far a self-loop reaches right of its box
_START: Final = 28.0  # room left of a start state for its dot and arrow
_MARGIN: Final = 20.0
_INK: Final = "#37474f"
# How hard an arrow's part pulls its ends into line: state-state 1, state-bend 2, bend-bend 8, so
# that long arrows run straight (Gansner, Koutsofios, North & Vo 1993, "omega").
_OMEGA: Final = ((1.0, 2.0), (2.0, 8.0))
_IDS: Final = ("iptcore-states-title", "iptcore-states-desc")
_ARROW: Final = "iptcore-states-arrow"

#: What a state diagram is drawn from: states (strings or ``StrEnum`` members) to their steps, each to
#: the states it may lead to. ``Any`` because mappings are invariant in their key type, so a
#: ``Mapping[State, ...]`` would not be a ``Mapping[str, ...]``; the function checks the values.
Table = Mapping[Any, Mapping[Any, Collection[Any]]]


@attrs.frozen(kw_only=True)
class _Arrow:
    """All the steps from ``source`` to ``target``: one arrow, one label."""

    source: str
    target: str
    steps: tuple[str, ...]


def _name(value: object, where: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise IptError(f"{where}: {what} must be a non-empty string, got {value!r}")
    return str.__str__(value)  # a StrEnum member's value, whatever its __str__


def _states_of(value: object, where: str, index: Mapping[str, int]) -> tuple[str, ...]:
    """A collection of states of the table, in the table's order."""
    if isinstance(value, str) or not isinstance(value, Collection):
        raise IptError(f"{where}: must be a collection of states, got {value!r}")
    names = {_name(v, where, "a state") for v in value}
    for name in sorted(names):
        if name not in index:
            raise IptError(f"{where}: {name!r} is not a state of the table (give it a row)")
    return tuple(sorted(names, key=index.__getitem__))


def _read(
    table: object, start_states: object
) -> tuple[tuple[str, ...], tuple[_Arrow, ...], frozenset[str]]:
    """The states in order, the arrows in the table's order, the start states; IptError if bad."""
    if not isinstance(table, Mapping):
        raise IptError(f"transitions: must map each state to its steps, got {type(table).__name__}")
    if not table:
        raise IptError("transitions: must hold at least one state")
    states = tuple(_name(s, "transitions", "a state") for s in table)
    index = {s: i for i, s in enumerate(states)}
    steps: dict[tuple[str, str], list[str]] = {}
    for state, row in zip(states, table.values(), strict=True):
        if not isinstance(row, Mapping):
            raise IptError(
                f"transitions[{state!r}]: must map each step to the states it may lead to, "
                f"got {type(row).__name__}"
            )
        for kind, targets in row.items():
            step = _name(kind, f"transitions[{state!r}]", "a step")
            where = f"transitions[{state!r}][{step!r}]"
            reached = _states_of(targets, where, index)
            if not reached:
                raise IptError(f"{where}: leads to no state")
            for target in reached:
                steps.setdefault((state, target), []).append(step)
    arrows = tuple(_Arrow(source=a, target=b, steps=tuple(k)) for (a, b), k in steps.items())
    return states, arrows, frozenset(_states_of(start_states, "start_states", index))


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _describe(states: Sequence[str], arrows: Sequence[_Arrow], starts: Collection[str]) -> str:
    """Every transition in words, state by state, for the picture's ``<desc>``."""
    parts = [
        (
            f"A state diagram of {len(states)} states and {len(arrows)} arrows, each arrow "
            "labelled with the steps that may lead from one state to the other."
        ),
        f"A course may start in {_or([s for s in states if s in starts])}."
        if starts
        else "No start state is marked.",
    ]
    for state in states:
        mine = [a for a in arrows if a.source == state]
        said = [
            f"{_or(a.steps)} may "
            + (f"stay in {state}" if a.target == state else f"lead to {a.target}")
            for a in mine
        ]
        parts.append(f"From {state}: {'; '.join(said)}." if said else f"From {state}: no step.")
    return " ".join(parts)


def _wrap(steps: Sequence[str], most: int = _WRAP, *, split: bool = False) -> tuple[str, ...]:
    """A label's lines: the steps, comma-separated, about ``most`` characters a line.

    With ``split`` (a loop's label, whose height its box makes room for), a step longer than a
    line breaks after its first underscore, which ends the line, so that ``accept_`` over
    ``formulation`` reads as one step.
    """
    lines: list[str] = []
    for i, step in enumerate(steps):
        word = step + ("," if i < len(steps) - 1 else "")
        head, cut, tail = word.partition("_")
        pieces = [head + cut, tail] if split and len(word) > most and cut and tail else [word]
        if lines and len(lines[-1]) + 1 + len(pieces[0]) <= most:
            lines[-1] += " " + pieces[0]
        else:
            lines.append(pieces[0])
        lines += pieces[1:]
    return tuple(lines)


def _loop_lines(arrow: _Arrow) -> tuple[str, ...]:
    """A loop's label, narrow: it stands beside its box, where width is dear."""
    return _wrap(arrow.steps, _LOOP_WRAP, split=True)


def _one_line(steps: Sequence[str]) -> tuple[str, ...]:
    return (", ".join(steps),)


def _width(lines: Sequence[str], size: float) -> float:
    return max(len(line) for line in lines) * size * _CHAR


# ----------------------------------------------------------------------------------------------
# Layout: layers, order in each layer, x by least squares under the order, y by layer
# ----------------------------------------------------------------------------------------------


@attrs.define
class _Graph:
    """The layered drawing being built: nodes (states, arrow labels, bends) and their layers."""

    states: int  # nodes 0 .. states - 1 are the states, the rest arrows' labels and bends
    layer: list[int] = attrs.Factory(list)
    left: list[float] = attrs.Factory(list)  # room left of the node's x
    right: list[float] = attrs.Factory(list)  # room right of it
    height: list[float] = attrs.Factory(list)
    ups: list[list[int]] = attrs.Factory(list)  # neighbours in the layer above
    downs: list[list[int]] = attrs.Factory(list)  # neighbours in the layer below

    def add(self, layer: int, left: float, right: float, height: float) -> int:
        self.layer.append(layer)
        self.left.append(left)
        self.right.append(right)
        self.height.append(height)
        self.ups.append([])
        self.downs.append([])
        return len(self.layer) - 1

    def near(self, n: int) -> tuple[int, ...]:
        return (*self.ups[n], *self.downs[n])

    def join(self, upper: int, lower: int) -> None:
        self.downs[upper].append(lower)
        self.ups[lower].append(upper)


def _ranks(states: Sequence[str], arrows: Sequence[_Arrow]) -> dict[str, int]:
    """Each state's layer: one below the furthest state leading to it, reading the table's order."""
    index = {s: i for i, s in enumerate(states)}
    into: dict[str, list[str]] = {s: [] for s in states}
    out: dict[str, list[str]] = {s: [] for s in states}
    for a in arrows:
        if a.source != a.target:
            upper, lower = sorted((a.source, a.target), key=index.__getitem__)
            into[lower].append(upper)
            out[upper].append(lower)
    rank: dict[str, int] = {}
    for s in states:  # the table's order is a topological order of the arrows read downwards
        rank[s] = max((rank[u] + 1 for u in into[s]), default=0)
    for s in states:  # a state nothing leads to sits just above the first state it leads to
        if not into[s] and out[s]:
            rank[s] = min(rank[v] for v in out[s]) - 1
    return rank


def _label_layers(spans: Sequence[tuple[int, int]], widths: Sequence[float]) -> list[int]:
    """The layer of each arrow's label: the least crowded of the label layers its arrow crosses.

    Label layers are the odd ones, between the layers of states; the shortest arrows choose first,
    since they have the fewest layers to choose from; a tie goes to the layer nearest the middle.
    """
    crowd: dict[int, float] = {}
    homes = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], i)):
        top, bottom = spans[i]
        middle = (top + bottom) / 2
        home = min(range(top + 1, bottom, 2), key=lambda k: (crowd.get(k, 0.0), abs(k - middle), k))
        crowd[home] = crowd.get(home, 0.0) + widths[i] + _GAP
        homes[i] = home
    return homes


def _crossings(graph: _Graph, upper: Sequence[int], lower: Sequence[int]) -> int:
    at = {n: i for i, n in enumerate(lower)}
    pairs = [(i, at[m]) for i, n in enumerate(upper) for m in graph.downs[n]]
    return sum(1 for a, b in pairs for c, d in pairs if a < c and b > d)


def _by_barycentre(layer: list[int], near: list[int], links: list[list[int]]) -> list[int]:
    """``layer`` sorted by the mean place of each node's neighbours in ``near`` (stable)."""
    at = {n: i for i, n in enumerate(near)}

    def place(i: int) -> float:
        seen = [at[m] for m in links[layer[i]]]
        return sum(seen) / len(seen) if seen else float(i)

    return [layer[i] for i in sorted(range(len(layer)), key=place)]


def _order(graph: _Graph, layers: list[list[int]]) -> list[list[int]]:
    """Fewer crossings: sort each layer by where its neighbours sit, sweeping down and up."""

    def total(order: list[list[int]]) -> int:
        return sum(_crossings(graph, order[k], order[k + 1]) for k in range(len(order) - 1))

    order = [list(layer) for layer in layers]
    best, fewest = [list(layer) for layer in order], total(order)
    for sweep in range(12):
        down = sweep % 2 == 0
        for k in range(1, len(order)) if down else range(len(order) - 2, -1, -1):
            near = order[k - 1] if down else order[k + 1]
            order[k] = _by_barycentre(order[k], near, graph.ups if down else graph.downs)
        count = total(order)
        if count < fewest:
            best, fewest = [list(layer) for layer in order], count
    return best


def _pack(
    desired: Sequence[float], weights: Sequence[float], offsets: Sequence[float]
) -> list[float]:
    """x closest to ``desired`` (weighted least squares) keeping the order and each node's room.

    Pool-adjacent-violators on ``desired - offsets``, which must not decrease.
    """
    blocks: list[tuple[float, float, int]] = []  # (mean, weight, count)
    for d, o, weight in zip(desired, offsets, weights, strict=True):
        value = d - o
        mean, total, count = value, weight, 1
        while blocks and blocks[-1][0] > mean:
            before, held, seen = blocks.pop()
            mean = (before * held + mean * total) / (held + total)
            total, count = held + total, seen + count
        blocks.append((mean, total, count))
    flat = [mean for mean, _, count in blocks for _ in range(count)]
    return [z + o for z, o in zip(flat, offsets, strict=True)]


def _place(graph: _Graph, order: list[list[int]]) -> list[float]:
    """Each node's x: the least total squared run of the arrows, keeping order and room.

    A convex problem, solved layer by layer (each layer exactly, by :func:`_pack`), sweeping down
    and up until it settles; the first layout packs every layer to the left.
    """
    x = [0.0] * len(graph.layer)
    offsets: list[list[float]] = []
    for layer in order:
        at, room = 0.0, []
        for i, n in enumerate(layer):
            if i:
                at += graph.right[layer[i - 1]] + _GAP + graph.left[n]
            room.append(at)
        offsets.append(room)
        for n, o in zip(layer, room, strict=True):
            x[n] = o
    last = len(order) - 1
    for sweep in range(60):
        for k in range(last + 1) if sweep % 2 == 0 else range(last, -1, -1):
            desired, weights = [], []
            for n in order[k]:
                # _OMEGA by whether each end is a bend or label (True) or a state (False)
                pull = [(x[m], _OMEGA[n >= graph.states][m >= graph.states]) for m in graph.near(n)]
                weight = sum(w for _, w in pull)
                desired.append(sum(p * w for p, w in pull) / weight if pull else x[n])
                weights.append(weight or 0.1)  # a lone state stays where it is
            for n, value in zip(order[k], _pack(desired, weights, offsets[k]), strict=True):
                x[n] = value
    shift = _MARGIN - min(x[n] - graph.left[n] for n in range(len(x)))
    return [value + shift for value in x]


@attrs.frozen
class _Layout:
    """Where everything goes: the graph, x of each node, each layer's top and bottom, the ports."""

    graph: _Graph
    node: dict[str, int]  # each state's node
    chains: list[tuple[_Arrow, list[int], int]]  # each arrow's nodes, top down, and its label
    box_w: float
    x: list[float]
    top: list[float]
    bottom: list[float]
    ports: dict[tuple[int, int], float]  # x where the arrow to a neighbour meets the state's box

    def y(self, n: int) -> float:
        k = self.graph.layer[n]
        return (self.top[k] + self.bottom[k]) / 2


def _lay_out(
    states: Sequence[str],
    arrows: Sequence[_Arrow],
    starts: Collection[str],
    loops: Mapping[str, _Arrow],
    below: Callable[[Sequence[str]], float] = lambda layer: 0.0,
) -> _Layout:
    """Layers, an order in each, x and y: a layered drawing with a node for each arrow's label.

    ``below`` gives the extra room to leave under a layer of states (named), for arrows that
    run out of the layered drawing from there."""
    box_w = max(96.0, max(len(s) for s in states) * _FS * _CHAR + 28)
    graph, node = _Graph(states=len(states)), {}
    rank = _ranks(states, arrows)
    for s in states:
        loop = _loop_lines(loops[s]) if s in loops else ()
        right = box_w / 2 + (_LOOP + 10 + _width(loop, _LFS) if loop else 0)
        high = max(_BOX_H, len(loop) * _LINE + 8)
        node[s] = graph.add(2 * rank[s], box_w / 2 + (_START if s in starts else 0), right, high)
    index = {s: i for i, s in enumerate(states)}
    joins = [a for a in arrows if a.source != a.target]
    pairs = [sorted((a.source, a.target), key=index.__getitem__) for a in joins]
    spans = [(graph.layer[node[u]], graph.layer[node[v]]) for u, v in pairs]
    homes = _label_layers(spans, [_width(_wrap(a.steps), _LFS) for a in joins])
    chains = []
    for a, (upper, lower), (top, bottom), home in zip(joins, pairs, spans, homes, strict=True):
        lines, chain, label = _wrap(a.steps), [node[upper]], -1
        for k in range(top + 1, bottom):
            if k == home:
                half = _width(lines, _LFS) / 2 + 4
                label = graph.add(k, half, half, len(lines) * _LINE + 4)
                chain.append(label)
            else:  # a bend: a point the arrow passes through
                chain.append(graph.add(k, 3.0, 3.0, 0.0))
        chain.append(node[lower])
        for u, v in itertools.pairwise(chain):
            graph.join(u, v)
        chains.append((a, chain, label))

    count = max(graph.layer) + 1
    layers: list[list[int]] = [[] for _ in range(count)]
    for n, k in enumerate(graph.layer):
        layers[k].append(n)
    order = _order(graph, layers)
    x = _place(graph, order)
    tops, bottoms, y = [0.0] * count, [0.0] * count, _MARGIN
    for k in range(count):
        band = max((graph.height[n] for n in order[k]), default=0.0)
        tops[k], bottoms[k] = y, y + band
        names = [states[n] for n in order[k] if n < len(states)]
        y += band + (_LAYER_GAP + (below(names) if names else 0.0) if order[k] else 0.0)
    # Arrows meet a box spread along its edge, in the order of where they come from.
    ports: dict[tuple[int, int], float] = {}
    for n in node.values():
        for near in (graph.downs[n], graph.ups[n]):
            for i, m in enumerate(sorted(near, key=lambda m: (x[m], m))):
                ports[n, m] = x[n] + box_w * 0.7 * ((i + 0.5) / len(near) - 0.5)
    return _Layout(graph, node, chains, box_w, x, tops, bottoms, ports)


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------


def _path(points: Sequence[tuple[float, float]], square: Collection[int]) -> str:
    """A smooth path through ``points``: at the points ``square`` (the ends, the edges of a label)
    it runs vertically, so that it meets boxes square, points its arrowhead into the box and runs
    straight under a label; elsewhere (the bends of a long arrow) it is a Catmull-Rom curve."""
    last = len(points) - 1

    def handle(i: int, towards: int) -> tuple[float, float]:
        (x, y), (_, y_next) = points[i], points[towards]
        if i in square:
            return x, (y + y_next) / 2
        (xa, ya), (xb, yb) = points[i - 1], points[i + 1]
        sign = 1 if towards > i else -1
        return x + sign * (xb - xa) / 6, y + sign * (yb - ya) / 6

    d = [f"M{num(points[0][0])},{num(points[0][1])}"]
    for i in range(last):
        (ax, ay), (bx, by) = handle(i, i + 1), handle(i + 1, i)
        x, y = points[i + 1]
        d.append(f"C{num(ax)},{num(ay)} {num(bx)},{num(by)} {num(x)},{num(y)}")
    return " ".join(d)


def _label(x: float, y: float, lines: Sequence[str], anchor: str = "middle") -> str:
    """A step label centred on (x, y) (or starting at x) on a white halo that hides the line."""
    w, h = _width(lines, _LFS) + 8, len(lines) * _LINE + 4
    left = x - w / 2 if anchor == "middle" else x - 4
    first = y - (len(lines) - 1) * _LINE / 2 + _LFS * 0.35
    spans = "".join(
        f"<tspan x='{num(x)}' y='{num(first + i * _LINE)}'>{xml_text(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return (
        f"<rect class='halo' x='{num(left)}' y='{num(y - h / 2)}' width='{num(w)}' "
        f"height='{num(h)}' rx='4' fill='#ffffff' fill-opacity='0.92'/>"
        f"<text class='step-label' text-anchor='{anchor}' font-size='{num(_LFS)}' "
        f"fill='#263238'>{spans}</text>"
    )


def _arrow(lay: _Layout, arrow: _Arrow, chain: Sequence[int], label: int, up: bool) -> str:
    """An arrow between two states, through its label and bends, as a ``<g class='step'>``."""
    first, last = chain[0], chain[-1]
    points = [(lay.ports[first, chain[1]], lay.y(first) + _BOX_H / 2)]
    for n in chain[1:-1]:
        if n == label:  # straight down under the label's halo
            half = lay.graph.height[n] / 2
            points += [(lay.x[n], lay.y(n) - half), (lay.x[n], lay.y(n) + half)]
        else:
            points.append((lay.x[n], lay.y(n)))
    points.append((lay.ports[last, chain[-2]], lay.y(last) - _BOX_H / 2))
    at = list(chain).index(label)
    square = {0, at, at + 1, len(points) - 1}
    if up:  # an arrow to an earlier state: drawn from the lower box to the upper one
        points.reverse()
        square = {len(points) - 1 - i for i in square}
    return _step(arrow, _path(points, square))


def _step(arrow: _Arrow, d: str) -> str:
    words = f"{arrow.source} to {arrow.target}: {', '.join(arrow.steps)}"
    return (
        f"<g class='step' data-from='{xml_attr(arrow.source)}' data-to='{xml_attr(arrow.target)}'>"
        f"<title>{xml_text(words)}</title><path d='{d}' fill='none' stroke='{_INK}' "
        f"stroke-width='1.4' marker-end='url(#{_ARROW})'/></g>"
    )


def _step_name(
    arrow: _Arrow, x: float, y: float, anchor: str = "middle", lines: Sequence[str] = ()
) -> str:
    """An arrow's label, as a ``<g class='step-name'>`` (see :func:`_label`): ``lines``, or its
    steps wrapped."""
    lines = lines or _wrap(arrow.steps)
    return (
        f"<g class='step-name' data-from='{xml_attr(arrow.source)}' "
        f"data-to='{xml_attr(arrow.target)}'>{_label(x, y, lines, anchor)}</g>"
    )


def _start_mark(left: float, cy: float) -> str:
    """The dot and arrow that mark a start state, ending at ``left``."""
    return (
        f"<circle class='start' cx='{num(left - _START + 5)}' cy='{num(cy)}' r='4.5' "
        f"fill='{_INK}'/><path d='M{num(left - _START + 9)},{num(cy)} L{num(left)},{num(cy)}' "
        f"stroke='{_INK}' stroke-width='1.4' marker-end='url(#{_ARROW})'/>"
    )


def _box(
    name: str, cx: float, cy: float, width: float, *, start: bool, end: bool, high: float = _BOX_H
) -> str:
    """A state: its box (doubled if no step leaves it), its name, its start mark."""
    left, top = cx - width / 2, cy - high / 2
    role = (" (start)" if start else "") + (" (end)" if end else "")
    parts = [
        f"<g class='state' data-state='{xml_attr(name)}'><title>{xml_text(name + role)}</title>",
        (
            f"<rect class='box' x='{num(left)}' y='{num(top)}' width='{num(width)}' "
            f"height='{num(high)}' rx='8' fill='#e3f2fd' stroke='#1565c0' stroke-width='1.5'/>"
        ),
    ]
    if end:
        parts.append(
            f"<rect class='end' x='{num(left + 3)}' y='{num(top + 3)}' width='{num(width - 6)}' "
            f"height='{num(high - 6)}' rx='6' fill='none' stroke='#1565c0' stroke-width='1'/>"
        )
    if start:
        parts.append(_start_mark(left, cy))
    parts.append(
        f"<text x='{num(cx)}' y='{num(cy + _FS * 0.35)}' text-anchor='middle' "
        f"font-weight='bold' fill='#0d2b4e'>{xml_text(name)}</text></g>"
    )
    return "".join(parts)


def _key(top: float, *, starts: bool, ends: bool) -> tuple[list[str], float, float]:
    """The key under the diagram, a mark and its meaning a line: the SVG, its width, its height."""

    def arrow(y: float) -> str:
        return (
            f"<path d='M{num(_MARGIN)},{num(y)} L{num(_MARGIN + 24)},{num(y)}' stroke='{_INK}' "
            f"stroke-width='1.4' marker-end='url(#{_ARROW})'/>"
        )

    def double(y: float) -> str:
        return (
            f"<rect x='{num(_MARGIN)}' y='{num(y - 6)}' width='24' height='12' rx='3' "
            f"fill='#e3f2fd' stroke='#1565c0' stroke-width='1.5'/><rect x='{num(_MARGIN + 2.5)}' "
            f"y='{num(y - 3.5)}' width='19' height='7' rx='2' fill='none' stroke='#1565c0' "
            f"stroke-width='1'/>"
        )

    def start(y: float) -> str:
        return _start_mark(_MARGIN + _START - 4, y)

    items: list[tuple[Callable[[float], str], str]] = [
        (start, "a course may start here"),
        (arrow, "an arrow's label: the steps that may lead from one state to the other"),
        (double, "double border: no step leaves the state"),
    ]
    items = [item for item, shown in zip(items, (starts, True, ends), strict=True) if shown]
    out, y = [], top
    for mark, words in items:
        y += _LINE + 4
        out.append(
            f"<g class='key'>{mark(y - _LFS * 0.35)}<text x='{num(_MARGIN + 34)}' y='{num(y)}' "
            f"font-size='{num(_LFS)}' fill='#37474f'>{xml_text(words)}</text></g>"
        )
    width = _MARGIN + 34 + max(len(w) for _, w in items) * _LFS * _CHAR + _MARGIN
    return out, width, y - top


_SINK_ROW: Final = _LINE + 8  # room under a state for each arrow that runs to the side sink
_SINK_LEAST: Final = 3  # how many states must lead to an end state to draw it at the side


def _side_sink(
    states: Sequence[str], arrows: Sequence[_Arrow], starts: Collection[str]
) -> str | None:
    """The end state that many states lead to (``dropped``: every state may ``drop_out``), which
    is drawn as a tall box beside the diagram, each arrow to it running straight across, rather
    than as a box under everything that long arrows cross the whole drawing to reach."""
    best, most = None, _SINK_LEAST - 1
    for s in states:
        if s in starts or any(a.source == s for a in arrows):
            continue
        sources = {a.source for a in arrows if a.target == s}
        if len(sources) > most:
            best, most = s, len(sources)
    return best


def _draw_side_sink(
    lay: _Layout,
    sink: str,
    into: Mapping[str, _Arrow],
    right: float,
    body: list[str],
    labels: list[str],
    *,
    end: bool,
) -> tuple[float, float, str]:
    """Draw the side sink right of everything (``right``) and the arrows into it: each leaves its
    box at the bottom right corner, runs down into the room left under the box's layer and then
    straight across, labelled once in the sink's box. Returns the new right edge, the bottom of
    the sink's box (under the last layer when a state there leads to it) and the box."""
    half = lay.box_w / 2
    sink_w = len(sink) * _FS * _CHAR + 20
    steps = {a.steps for a in into.values()}
    # each arrow's own label on one line, as the rows under a layer have room for one
    words = 0.0 if len(steps) == 1 else max(_width(_one_line(k), _LFS) for k in steps) + 8
    left = right + 16 + words
    rows: dict[int, list[str]] = {}
    for s in into:
        rows.setdefault(lay.graph.layer[lay.node[s]], []).append(s)
    ys: dict[str, float] = {}
    for layer, names in sorted(rows.items()):
        # the rightmost source runs highest, so that the arrows of a layer never cross
        names.sort(key=lambda s: -lay.x[lay.node[s]])
        for i, s in enumerate(names):
            n = lay.node[s]
            y = lay.bottom[layer] + _SINK_ROW * (i + 1)
            ys[s] = y
            bx, by = lay.x[n] + half - 12, lay.y(n) + _BOX_H / 2
            d = (
                f"M{num(bx)},{num(by)} Q{num(bx)},{num(y)} {num(bx + 14)},{num(y)} "
                f"L{num(left)},{num(y)}"
            )
            body.append(_step(into[s], d))
    top, bottom = min(ys.values()) - _BOX_H, max(ys.values()) + 12
    middle = (top + bottom) / 2
    box = _box(sink, left + sink_w / 2, middle, sink_w, start=False, end=end, high=bottom - top)
    # The steps, said once inside the box under its name when every arrow has the same ones, else
    # each arrow's own just before the box.
    if len(steps) == 1:
        (shared,) = steps
        spans = "".join(
            f"<tspan x='{num(left + sink_w / 2)}' y='{num(middle + _FS + 6 + i * _LINE)}'>"
            f"{xml_text(line)}</tspan>"
            for i, line in enumerate(("by", *_wrap(shared, 10)))
        )
        labels.append(
            f"<g class='step-name shared' data-to='{xml_attr(sink)}'><text class='step-label' "
            f"text-anchor='middle' font-size='{num(_LFS)}' fill='#263238'>{spans}</text></g>"
        )
    else:
        for s, y in ys.items():
            lines = _one_line(into[s].steps)
            labels.append(
                _step_name(
                    into[s], left - 6 - _width(lines, _LFS) / 2, y - _LINE / 2 - 3, lines=lines
                )
            )
    return left + sink_w, bottom, box


def state_diagram_svg(
    transitions: Table = TRANSITIONS,
    *,
    start_states: Collection[Any] = START_STATES,
    title: str = "The states of a course and the steps between them",
) -> str:
    """The state diagram of a transition table as a standalone, accessible SVG picture.

    Each state is a box labelled with its name; each pair of states that some step joins is one
    arrow labelled with all those steps (a step that keeps the state is a loop on the box's right).
    An end state that three or more states lead to (the course's ``dropped``) is a tall box at the
    side: each arrow to it turns once and runs straight across, and when they all carry the same
    steps, those are said once, in its box.
    A start state has a dot and an arrow on its left, a state no step leaves a double border; a key
    under the diagram says so, and the ``<desc>`` lists every transition in words. The same table
    gives the same bytes.

    Args:
        transitions: the table, state -> step -> the states the step may lead to, like
            :data:`~iptcore.course.TRANSITIONS` (the default). States and steps are strings or
            ``StrEnum`` members; every state a step leads to has a row of its own (maybe empty).
            The table's order is read as the course's order: arrows to earlier states go up.
        start_states: the states a course may start in (marked), by default
            :data:`~iptcore.course.START_STATES`.
        title: the picture's ``<title>``.

    Returns:
        SVG 1.1 text that needs nothing else to view.

    Raises:
        IptError: a table, start state or title that is not as described, naming what is wrong.

    >>> svg = state_diagram_svg()  # 21 arrows; the 5 drop_out arrows into dropped share a label
    >>> svg.count("<g class='state'"), svg.count("class='step-label'")
    (8, 17)
    >>> own = {"waiting": {"call": ["seen"]}, "seen": {}}  # a fictional clinic's own table
    >>> "call may lead to seen" in state_diagram_svg(own, start_states={"waiting"})
    True
    """
    if not isinstance(title, str):
        raise IptError(f"title: must be a string, got {title!r}")
    states, arrows, starts = _read(transitions, start_states)
    ends = frozenset(s for s in states if not any(a.source == s for a in arrows))
    loops = {a.source: a for a in arrows if a.source == a.target}
    sink = _side_sink(states, arrows, starts)
    into = {a.source: a for a in arrows if a.target == sink and a.source != sink}
    kept = [s for s in states if s != sink]

    def below(layer: Sequence[str]) -> float:
        return _SINK_ROW * sum(1 for s in layer if s in into)

    lay = _lay_out(kept, [a for a in arrows if a.target != sink], starts, loops, below)
    graph, x, index = lay.graph, lay.x, {s: i for i, s in enumerate(states)}

    body, labels = [], []
    for arrow, chain, label in lay.chains:
        up = index[arrow.source] > index[arrow.target]
        body.append(_arrow(lay, arrow, chain, label, up))
        labels.append(_step_name(arrow, x[label], lay.y(label)))
    right = max(x[n] + graph.right[n] for n in range(len(x)))
    side, lowest = "", max(lay.bottom)
    if sink is not None:
        right, sunk, side = _draw_side_sink(lay, sink, into, right, body, labels, end=sink in ends)
        lowest = max(lowest, sunk)
    for s in states:
        if s == sink:
            body.append(side)
            continue
        n = lay.node[s]
        cx, cy = x[n], lay.y(n)
        body.append(_box(s, cx, cy, lay.box_w, start=s in starts, end=s in ends))
        if s in loops:  # a loop on the right of the box, its label beside it
            edge = cx + lay.box_w / 2
            reach = edge + _LOOP
            loop = (
                f"M{num(edge)},{num(cy - 8)} C{num(reach)},{num(cy - 30)} "
                f"{num(reach)},{num(cy + 30)} {num(edge)},{num(cy + 8)}"
            )
            body.append(_step(loops[s], loop))
            labels.append(
                _step_name(loops[s], reach - 4, cy, anchor="start", lines=_loop_lines(loops[s]))
            )

    below_all = lowest + 10
    key, key_width, key_height = _key(below_all, starts=bool(starts), ends=bool(ends))
    width = max(right + _MARGIN, key_width)
    height = below_all + key_height + _MARGIN
    out = document(width, height, title, _describe(states, arrows, starts), _IDS)
    out.append(
        f"<defs><marker id='{_ARROW}' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='8' "
        f"markerHeight='8' markerUnits='userSpaceOnUse' orient='auto'>"
        f"<path d='M0,0 L10,5 L0,10 z' fill='{_INK}'/></marker></defs>"
    )
    out.append(f"<g {FONT} font-size='{num(_FS)}'>")
    out += body
    out += labels  # last, so that their halos cover the lines under them
    out += key
    out.append("</g></svg>")
    return "\n".join(out)


def state_diagram(fmt: str = "mermaid") -> str:
    """The state diagram of :data:`TRANSITIONS` as Mermaid (``"mermaid"``) or Graphviz (``"dot"``).

    >>> text = state_diagram()
    >>> text.splitlines()[0], "middle --> termination: hold, miss, renegotiate" in text
    ('stateDiagram-v2', True)
    """
    edges: dict[tuple[State, State], list[str]] = {}
    for source, row in TRANSITIONS.items():
        for kind, targets in row.items():
            for target in sorted(targets, key=list(State).index):
                edges.setdefault((source, target), []).append(kind.value)
    ends = [
        s for s, row in TRANSITIONS.items() if not row or set(row) == {StepKind.START_MAINTENANCE}
    ]
    if fmt == "mermaid":
        lines = ["stateDiagram-v2"]
        lines += [f"    [*] --> {s.value}" for s in State if s in START_STATES]
        lines += [f"    {a.value} --> {b.value}: {', '.join(k)}" for (a, b), k in edges.items()]
        lines += [f"    {s.value} --> [*]" for s in ends]
    elif fmt == "dot":
        lines = ["digraph course {", "    rankdir=LR;", '    start [shape=point, label=""];']
        lines += [f"    start -> {s.value};" for s in State if s in START_STATES]
        lines += [
            f'    {a.value} -> {b.value} [label="{", ".join(k)}"];' for (a, b), k in edges.items()
        ]
        lines.append("}")
    else:
        raise IptError(f"fmt: must be 'mermaid' or 'dot', got {fmt!r}")
    return "\n".join(lines)
