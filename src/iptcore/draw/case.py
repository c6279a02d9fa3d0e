"""Pictures of a case as standalone SVG: the closeness circle and the timeline.

- :func:`closeness_svg` draws the interpersonal inventory as a closeness circle: "the patient at the
  centre, each person placed on one of 3-4 concentric rings, the innermost for the closest ...
  Empty rings still show" [MUFSON2004; DIETZ2015].
- :func:`timeline_svg` draws the timeline: "particular attention is given to interpersonal changes
  occurring proximal to the onset" [FOCUS], with the rules' window (the case format: "between 12
  months before ``onset`` and ``assessed``") shaded and, given a classification, each candidate's
  anchor marked with its rank.

Both return SVG 1.1 text that needs nothing to view (no script, no external font or stylesheet,
no dependency beyond the standard library): it has a ``viewBox``, a ``<title>`` and a ``<desc>``
that says in words what the picture shows, and every mark that colour shows is also said in text
or by shape (a dashed line, a symbol), so the picture reads in grey and to a screen reader. The
layout is deterministic: the same case gives the same bytes. All text from the case is escaped.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

import attrs

from iptcore import _checks
from iptcore._dates import add_months
from iptcore.case import Case, EventKind, Person, Role, TieKind
from iptcore.draw._svg import FONT, document, num, xml_attr, xml_text
from iptcore.errors import IptError
from iptcore.findings import Classification
from iptcore.inventory import Inventory
from iptcore.rules import DEFAULT_RULES

__all__ = ["closeness_svg", "timeline_svg"]

_CORE: Final = 0.2  # the patient's disc, as a share of the outer ring's radius
_MAX_LABEL: Final = 22  # characters of a name shown; the full text is in the mark's <title>

# Role families for the fill of a person's mark (the role is also written under the name).
_FAMILIES: Final[tuple[tuple[str, str, frozenset[Role]], ...]] = (
    ("partner", "#f8bbd0", frozenset({Role.PARTNER, Role.SPOUSE, Role.EX_PARTNER})),
    ("family", "#bbdefb", frozenset({Role.PARENT, Role.CHILD, Role.SIBLING, Role.RELATIVE})),
    (
        "friends and community",
        "#c8e6c9",
        frozenset({Role.FRIEND, Role.NEIGHBOUR, Role.CLASSMATE, Role.COMMUNITY}),
    ),
    ("work and school", "#ffe0b2", frozenset({Role.COWORKER, Role.BOSS, Role.TEACHER})),
    ("care and other", "#e1bee7", frozenset({Role.CLINICIAN, Role.OTHER})),
)
_DISPUTE: Final = "#c62828"
# Lines of the circle, told apart by dash pattern as well as colour: (colour, width, dashes).
_STROKES: Final[Mapping[str, tuple[str, float, tuple[float, ...]]]] = MappingProxyType(
    {
        "dispute": (_DISPUTE, 3.0, (8.0, 4.0)),
        "close": ("#2e7d32", 2.0, ()),
        "conflict": ("#6a1b9a", 2.0, (2.0, 3.0)),
    }
)
_DECEASED: Final = "#9e9e9e"
_WINDOW: Final = "#fff3c4"  # the rules' window on the timeline


def _short(text: str, most: int = _MAX_LABEL) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _id(prefix: str, case_id: str, part: str) -> str:
    # Case ids are [A-Za-z0-9._-]: valid after a letter in an XML id.
    return f"iptcore-{prefix}-{case_id}-{part}"


def _stroke(kind: str) -> str:
    """The stroke attributes of a line of kind ``dispute``, ``close`` or ``conflict``."""
    colour, width, dashes = _STROKES[kind]
    dash = f" stroke-dasharray='{' '.join(num(d) for d in dashes)}'" if dashes else ""
    return f"stroke='{colour}' stroke-width='{num(width)}'{dash}"


def _check_labels(labels: object) -> str:
    if labels not in ("name", "id"):
        raise IptError(f"labels: must be 'name' or 'id', got {labels!r}")
    return str(labels)


def _label(person: Person | None, person_id: str, labels: str) -> str:
    """What a person is called in a picture: the name, or the id (a pseudonym once deidentified)."""
    if person is not None and labels == "name" and person.name:
        return person.name
    return person_id


def _family(role: Role) -> tuple[str, str]:
    for name, fill, roles in _FAMILIES:
        if role in roles:
            return name, fill
    raise AssertionError(f"role {role} in no family")  # the table covers every Role


# ----------------------------------------------------------------------------------------------
# The closeness circle
# ----------------------------------------------------------------------------------------------


def closeness_svg(
    inventory: Inventory | Case, *, size: int | None = None, labels: str = "name"
) -> str:
    """The closeness circle of an inventory as a standalone SVG picture.

    The patient is at the centre and the four rings are always drawn, ring 1 innermost (Dietz et
    al. 2018). Each person sits on their ring, spaced evenly and in order of id, labelled with the
    name (or the id: a pseudonym once deidentified) and the role. Marks, each said in words too:
    the fill shows the role's family; ★ a confidant; † a person who died (grey, dashed outline);
    an open dispute draws a dashed red line to the patient and a red outline, and names its stage;
    ties between people are arcs, solid for ``close`` and dotted for ``conflict``.

    Args:
        inventory: an :class:`~iptcore.Inventory` (or a case, whose inventory is drawn).
        size: the diameter of the outer ring in pixels (200-4000); by default 380, or more
            when a ring holds too many people to label at that size. Text keeps its size.
        labels: ``"name"`` (the name when the case gives one, else the id) or ``"id"``.

    Raises:
        IptError: a bad argument.

    >>> from datetime import date
    >>> from iptcore import Case, Person
    >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
    ...             people=(Person(id="mum", name="Mary", role="parent", closeness=2),))
    >>> svg = closeness_svg(case.inventory)  # fictional
    >>> svg.count("<circle class='ring'")
    4
    >>> "Mary" in svg
    True
    """
    if isinstance(inventory, Case):
        inventory = inventory.inventory
    if not isinstance(inventory, Inventory):
        raise IptError(f"inventory: must be an Inventory or a Case, got {type(inventory).__name__}")
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int) or not 200 <= size <= 4000
    ):
        raise IptError(f"size: must be a whole number of pixels from 200 to 4000, got {size!r}")
    labels = _check_labels(labels)
    case = inventory.case
    # Laid out to be read at the width the docs give it (about 560 px): names 13 px, every other
    # text 12 px; the key sits under the circle; the canvas is as tight as the labels allow.
    people = _round(inventory)
    lines = {p.id: _person_lines(p, inventory, labels) for p in people}
    diameter = 0
    for diameter in (size,) if size is not None else _sizes():
        spots = _spots(people, lines, diameter)
        if not _collisions(spots, diameter):
            break
    outer = diameter / 2
    core = outer * _CORE
    bounds = [core + (outer - core) * n / 4 for n in range(5)]
    boxes = [s.box for s in spots.values()]
    left = min([-outer, *(b[0] for b in boxes)]) - _PAD
    right = max([outer, *(b[2] for b in boxes)]) + _PAD
    top = min([-outer, *(b[1] for b in boxes)]) - _PAD
    bottom = max([outer, *(b[3] for b in boxes)]) + _PAD
    key_width, key_height = _legend_size()
    width = max(right - left, key_width + 2 * _PAD)
    cx = -left + (width - (right - left)) / 2
    cy = -top
    height = bottom - top + key_height + _PAD
    where = {pid: (cx + s.x, cy + s.y) for pid, s in spots.items()}

    ring_words = []
    for n in range(1, 5):
        ring = sorted(inventory.ring(n), key=lambda p: p.id)
        names = "; ".join(
            f"{_label(p, p.id, labels)} ({', '.join(inventory.facts(p))})" for p in ring
        )
        ring_words.append(f"ring {n}: {names or 'nobody'}")
    tie_words = [
        f"{_label(inventory.get(a), a, labels)} and {_label(inventory.get(b), b, labels)}: {kind}"
        for a, b, kind in sorted((*t.between, t.kind.value) for t in case.ties)
    ]
    title = f"Closeness circle of case {case.id}"
    desc = (
        f"The patient at the centre of four rings, ring 1 the closest; {len(case.people)} "
        f"{'person' if len(case.people) == 1 else 'people'}. "
        + ". ".join(ring_words)
        + "."
        + (f" Ties: {'; '.join(tie_words)}." if tie_words else "")
    )
    ids = (_id("circle", case.id, "title"), _id("circle", case.id, "desc"))
    out = document(width, height, title, desc, ids)
    out.append(f"<g {FONT} font-size='{num(_SMALL)}'>")

    # The rings, outermost first so that the inner ones paint over it; numbered at the top.
    for n in range(4, 0, -1):
        shade = ("#f7f7f7", "#efefef", "#e6e6e6", "#dcdcdc")[4 - n]
        out.append(
            f"<circle class='ring' data-ring='{n}' cx='{num(cx)}' cy='{num(cy)}' r='{num(bounds[n])}' "
            f"fill='{shade}' stroke='#9e9e9e' stroke-width='1'><title>ring {n}"
            f"</title></circle>"
        )
    for n in range(1, 5):
        out.append(
            f"<text class='ring-number' x='{num(cx)}' y='{num(cy - bounds[n] + _SMALL * 1.05)}' "
            f"text-anchor='middle' fill='#616161'>{n}</text>"
        )

    # Open disputes: a dashed line from the patient.
    for person in sorted(inventory.in_dispute(), key=lambda p: p.id):
        x, y = where[person.id]
        out.append(
            f"<line class='dispute' x1='{num(cx)}' y1='{num(cy)}' x2='{num(x)}' y2='{num(y)}' "
            f"{_stroke('dispute')}><title>open dispute with "
            f"{xml_text(_label(person, person.id, labels))}</title></line>"
        )
    # Ties between people: arcs bowed away from the centre, so that none runs through the patient.
    kinds: dict[tuple[str, str], set[TieKind]] = {}
    for tie in case.ties:
        a, b = sorted(tie.between)
        kinds.setdefault((a, b), set()).add(tie.kind)
    for (a, b), pair in sorted(kinds.items()):
        (x1, y1), (x2, y2) = where[a], where[b]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        chord = math.hypot(x2 - x1, y2 - y1) or 1.0
        vx, vy = mx - cx, my - cy
        if math.hypot(vx, vy) < chord * 0.05:  # a chord through the centre: bow sideways
            vx, vy = -(y2 - y1), x2 - x1
        norm = math.hypot(vx, vy) or 1.0
        for kind in sorted(pair):
            # Two kinds between one pair: two arcs side by side.
            bow = chord * 0.3 + (4 if kind is TieKind.CONFLICT and len(pair) == 2 else 0)
            qx, qy = mx + 2 * bow * vx / norm, my + 2 * bow * vy / norm
            out.append(
                f"<path class='tie' data-kind='{kind.value}' d='M {num(x1)} {num(y1)} "
                f"Q {num(qx)} {num(qy)} {num(x2)} {num(y2)}' fill='none' "
                f"{_stroke(kind.value)}><title>{kind.value} tie: "
                f"{xml_text(_label(inventory.get(a), a, labels))} and "
                f"{xml_text(_label(inventory.get(b), b, labels))}</title></path>"
            )

    # The patient.
    out.append(
        f"<g class='patient'><circle cx='{num(cx)}' cy='{num(cy)}' r='{num(core * 0.85)}' "
        f"fill='#455a64'/><text x='{num(cx)}' y='{num(cy + _SMALL * 0.35)}' text-anchor='middle' "
        f"fill='#ffffff' font-weight='bold'>Patient</text></g>"
    )

    # The people, each labelled on the side away from the centre.
    for person in sorted(inventory.people, key=lambda p: p.id):
        pid = person.id
        x, y = where[pid]
        spot = spots[pid]
        dead = inventory.died(pid) is not None
        open_dispute = person.dispute is not None and person.dispute.ended is None
        family, fill = _family(person.role)
        stroke = _DISPUTE if open_dispute else ("#757575" if dead else "#424242")
        extra = " stroke-dasharray='3 2'" if dead else ""
        name = _label(person, pid, labels)
        facts = ", ".join(inventory.facts(person))
        lx, ly = cx + spot.lx, cy + spot.ly
        out.append(
            f"<g class='person' id='{xml_attr(_id('person', case.id, pid))}' "
            f"data-person='{xml_attr(pid)}' data-ring='{person.closeness}'>"
            f"<title>{xml_text(name)}: ring {person.closeness}, {xml_text(facts)}</title>"
            f"<circle cx='{num(x)}' cy='{num(y)}' r='{num(_MARK)}' "
            f"fill='{_DECEASED if dead else fill}' stroke='{stroke}' "
            f"stroke-width='{num(2.5 if open_dispute else 1.2)}'{extra}>"
            f"<title>{xml_text(family)}</title></circle>"
            f"<text class='label' x='{num(lx)}' y='{num(ly)}' text-anchor='{spot.anchor}'>"
        )
        for i, line in enumerate(lines[pid]):
            if i == 0:
                look = f" font-weight='bold' font-size='{num(_FS)}'"
            elif i == 2 and open_dispute:
                look = f" fill='{_DISPUTE}'"
            else:
                look = " fill='#424242'"
            down = "0" if i == 0 else num(_LINE)
            out.append(f"<tspan x='{num(lx)}' dy='{down}'{look}>{xml_text(line)}</tspan>")
        out.append("</text></g>")

    out.extend(_legend((width - key_width) / 2, cy + bottom + _SMALL))
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


_FS: Final = 13.0  # a person's name
_SMALL: Final = 12.0  # every other text of the circle
_LINE: Final = _SMALL * 1.25  # from one line of a label to the next
_GLYPH: Final = 0.6  # a generous average glyph width in em, for sizing labels from their text
_MARK: Final = 8.0  # a person's mark
_PAD: Final = 10.0  # room around the drawing
_GROW: Final = 1.12  # how much a crowded circle grows at each try


@attrs.frozen
class _Spot:
    """Where a person goes, relative to the centre: the mark, the label's anchor and its box."""

    x: float
    y: float
    lx: float
    ly: float
    anchor: str
    box: tuple[float, float, float, float]  # left, top, right, bottom


def _round(inventory: Inventory) -> list[Person]:
    """Everyone in the order they go round the circle: each ring's people spread evenly over the
    whole turn (in order of id), the rings interleaved, so that no part of the circle is left
    empty while another is crowded."""
    keyed = []
    for n in range(1, 5):
        ring = sorted(inventory.ring(n), key=lambda p: p.id)
        keyed += [((i + 0.5) / len(ring), n, p.id, p) for i, p in enumerate(ring)]
    return [p for *_, p in sorted(keyed, key=lambda k: k[:3])]


def _person_lines(person: Person, inventory: Inventory, labels: str) -> list[str]:
    """A person's label: the name with ★ or †, the role, and an open or ended dispute."""
    dead = inventory.died(person.id) is not None
    name = _label(person, person.id, labels)
    lines = [("† " if dead else "") + _short(name) + (" ★" if person.confidant else "")]
    lines.append(person.role.value.replace("_", " "))
    if person.dispute is not None:
        d = person.dispute
        lines.append(
            f"dispute ended {d.ended}"
            if d.ended
            else f"dispute: {d.stage.value if d.stage else 'stage to assess'}"
        )
    return lines


def _sizes() -> Iterable[int]:
    """The diameters to try, smallest first: the default, then a little bigger each time."""
    size = 380.0
    while size < 4000:
        yield round(size)
        size *= _GROW
    yield 4000


def _spots(people: Sequence[Person], lines: Mapping[str, list[str]], size: int) -> dict[str, _Spot]:
    """Each person's mark and label for a circle of diameter ``size``: people at even angles
    round the whole circle (half a step off the top, where the ring numbers are), each on the
    middle of their ring's band, the label outside the mark, away from the centre."""
    outer = size / 2
    core = outer * _CORE
    out = {}
    for i, person in enumerate(people):
        ring = person.closeness
        radius = core + (outer - core) * (ring - 0.5) / 4
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / len(people)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = radius * cos, radius * sin
        text = lines[person.id]
        wide = max(len(line) * (_FS if i == 0 else _SMALL) * _GLYPH for i, line in enumerate(text))
        tall = _FS * 0.8 + (len(text) - 1) * _LINE + _SMALL * 0.25  # cap of the first to foot
        anchor = "middle" if abs(cos) < 0.4 else ("start" if cos > 0 else "end")
        lx = x + cos * (_MARK + 4)
        if sin > 0.4:  # below the mark
            ly = y + _MARK + 2 + _FS * 0.8
        elif sin < -0.4:  # above it
            ly = y - _MARK - 4 - (tall - _FS * 0.8)
        else:  # beside it, centred
            ly = y - tall / 2 + _FS * 0.8
        x0 = lx - wide / 2 if anchor == "middle" else lx if anchor == "start" else lx - wide
        box = (x0, ly - _FS * 0.8, x0 + wide, ly - _FS * 0.8 + tall)
        out[person.id] = _Spot(x=x, y=y, lx=lx, ly=ly, anchor=anchor, box=box)
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _collisions(spots: Mapping[str, _Spot], size: int) -> bool:
    """Whether a label covers another label, another person's mark, the patient or a ring number."""
    outer = size / 2
    core = outer * _CORE
    fixed = [(-core, -core, core, core)]  # the patient
    for n in range(1, 5):  # the ring numbers, at the top of each band
        y = -(core + (outer - core) * n / 4) + _SMALL * 1.05
        fixed.append((-_SMALL, y - _SMALL, _SMALL, y + 2))
    items = list(spots.items())
    for i, (pid, spot) in enumerate(items):
        if any(_overlap(spot.box, box) for box in fixed):
            return True
        for _, near in items[i + 1 :]:
            if _overlap(spot.box, near.box):
                return True
        for other, near in items:
            mark = (near.x - _MARK, near.y - _MARK, near.x + _MARK, near.y + _MARK)
            if other != pid and _overlap(spot.box, mark):
                return True
    return False


def _legend_items() -> list[tuple[str, str]]:
    """The key: (what the mark is, drawn at the origin, the words), in two columns' order."""
    items = [
        (f"<text x='0' y='{num(_SMALL * 0.35)}' fill='#616161'>1-4</text>", "rings, 1 the closest")
    ]
    for name, fill, _ in _FAMILIES:
        items.append((f"<circle cx='8' cy='0' r='7' fill='{fill}' stroke='#424242'/>", name))
    items.append((f"<text x='2' y='{num(_SMALL * 0.35)}'>★</text>", "confidant"))
    items.append((f"<text x='4' y='{num(_SMALL * 0.35)}'>†</text>", "died (grey, dashed)"))
    for kind, words in (
        ("dispute", "open dispute with the patient"),
        ("close", "close tie"),
        ("conflict", "conflict tie"),
    ):
        items.append((f"<line x1='0' y1='0' x2='18' y2='0' {_stroke(kind)}/>", words))
    return items


_KEY_ROW: Final = _SMALL * 1.6
_KEY_GAP: Final = 24.0  # between the key's columns


def _legend_columns() -> tuple[list[list[tuple[str, str]]], list[float]]:
    items = _legend_items()
    half = (len(items) + 1) // 2
    columns = [items[:half], items[half:]]
    widths = [26 + max(len(w) for _, w in c) * _SMALL * _GLYPH for c in columns]
    return columns, widths


def _legend_size() -> tuple[float, float]:
    """The key's width and height."""
    columns, widths = _legend_columns()
    return sum(widths) + _KEY_GAP, (1 + max(len(c) for c in columns)) * _KEY_ROW


def _legend(x: float, y: float) -> list[str]:
    """The key to the circle's marks, in two columns from (x, y): what a reader who cannot see
    colour needs too."""
    out = [f"<g class='legend'><text x='{num(x)}' y='{num(y)}' font-weight='bold'>Key</text>"]
    columns, widths = _legend_columns()
    for column, left in zip(columns, (x, x + widths[0] + _KEY_GAP), strict=True):
        for i, (mark, words) in enumerate(column):
            row = y + (i + 1) * _KEY_ROW
            out.append(
                f"<g transform='translate({num(left)} {num(row)})'>{mark}"
                f"<text x='26' y='{num(_SMALL * 0.35)}'>{xml_text(words)}</text></g>"
            )
    out.append("</g>")
    return out


# ----------------------------------------------------------------------------------------------
# The timeline
# ----------------------------------------------------------------------------------------------


def _candidates(classification: object) -> list[tuple[str, date, str | None]]:
    """(area, anchor, person) of each candidate, in rank order; refuses anything else by name."""
    if classification is None:
        return []
    found = getattr(classification, "candidates", None)
    if not isinstance(found, Sequence):
        raise IptError(
            "classification: must be a Classification (from iptcore.classify) or None, "
            f"got {type(classification).__name__}"
        )
    out = []
    for i, f in enumerate(found):
        anchor, area = getattr(f, "anchor", None), getattr(f, "area", None)
        if not isinstance(anchor, date) or not isinstance(area, str):
            raise IptError(f"classification: candidate {i} has no anchor date and area")
        person = getattr(f, "person", None)
        out.append((str(area), anchor, person if isinstance(person, str) else None))
    return out


def _lanes(items: Iterable[tuple[float, float]]) -> list[int]:
    """A lane for each (start, end) span, in order, so that no two spans of a lane overlap: the
    lowest lane whose last span ends before this one starts (first fit), or a new lane.

    The lanes' last ends sit in the leaves of a tree whose every node holds the smallest end below
    it, unused lanes counting as ending at minus infinity; so the first lane that fits, or the
    first new one, is found in a walk from the root, and a timeline of n events is laid out in
    n log n steps, not n times the number of lanes."""
    size = 1  # leaves: lanes 0 .. size - 1 at tree[size:]
    tree = [-math.inf, -math.inf]
    used = 0
    lanes = []
    for start, end in items:
        if used == size:  # every leaf in use: twice as many
            leaves = tree[size:] + [-math.inf] * size
            size *= 2
            tree = [-math.inf] * size + leaves
            for node in range(size - 1, 0, -1):
                tree[node] = min(tree[2 * node], tree[2 * node + 1])
        node = 1
        while node < size:  # down to the leftmost leaf that ends before ``start``
            node = 2 * node if tree[2 * node] < start else 2 * node + 1
        lane = node - size
        used = max(used, lane + 1)
        lanes.append(lane)
        tree[node] = end
        while node > 1:
            node //= 2
            tree[node] = min(tree[2 * node], tree[2 * node + 1])
    return lanes


def _ticks(lo: date, hi: date, step: int) -> list[date]:
    """Tick dates from ``lo`` to ``hi``: the first days of months, every ``step`` months."""
    out = []
    index = lo.year * 12 + lo.month - 1
    index += (-index) % step  # the first multiple of ``step`` months on or after lo
    while True:
        year, month = divmod(index, 12)
        if year > 9999:
            break
        day = date(year, month + 1, 1)
        if day > hi:
            break
        if day >= lo:
            out.append(day)
        index += step
    return out


def _window(classification: Classification | None, window_months: object) -> int:
    """The months of the window to shade: the classification's own, unless the caller names one."""
    rules = classification.rules if classification is not None else None
    own = rules.window_months if rules is not None else None
    if window_months is None:
        if own is not None:
            return own
        return DEFAULT_RULES.window_months
    if isinstance(window_months, bool) or not isinstance(window_months, int):
        raise IptError(f"window_months: must be a whole number of months, got {window_months!r}")
    if not 1 <= window_months <= 1200:
        raise IptError(f"window_months: must be 1 to 1200, got {window_months}")
    if own is not None and window_months != own:
        raise IptError(
            f"window_months: {window_months} disagrees with the classification's rule set "
            f"({rules.name if rules else ''}: {own} months); leave it out to draw that window"
        )
    return window_months


def timeline_svg(
    case: Case,
    classification: Classification | None = None,
    *,
    window_months: int | None = None,
    width: int = 720,
    labels: str = "name",
) -> str:
    """The timeline of a case as a standalone SVG picture.

    Events sit above a time axis, each labelled with its kind and person (deaths marked † and drawn
    as diamonds); disputes run as bars below it, from ``since`` to ``ended`` or assessment. Onset
    and assessment are marked by vertical lines, and the rules' window, from ``window_months``
    calendar months before onset to assessment, is shaded: the window of the rule set that made
    ``classification``, so the picture always agrees with the result it shows. Given a
    ``classification`` (from :func:`iptcore.classify`), each candidate's anchor is ringed and
    numbered by rank, and listed under the axis.

    Args:
        case: the case.
        classification: its classification, or ``None`` to draw no anchors.
        window_months: the window's months before onset; by default the ``window_months`` of the
            classification's rule set, or of :data:`iptcore.DEFAULT_RULES` without one. Given
            with a classification, it must agree with that classification's rule set.
        width: the picture's width in pixels (400-4000); text keeps its size.
        labels: ``"name"`` (a person's name when the case gives one, else the id) or ``"id"``.

    Raises:
        IptError: a bad argument.

    >>> from datetime import date
    >>> from iptcore import Case, Event
    >>> case = Case(id="demo", assessed=date(2026, 1, 5), onset=date(2025, 11, 3),
    ...             events=(Event(date=date(2025, 9, 1), kind="job_loss"),))  # fictional
    >>> svg = timeline_svg(case)
    >>> "job loss" in svg, "class='window'" in svg
    (True, True)
    """
    _checks.argument("case", case, Case)
    if isinstance(width, bool) or not isinstance(width, int) or not 400 <= width <= 4000:
        raise IptError(f"width: must be a whole number of pixels from 400 to 4000, got {width!r}")
    labels = _check_labels(labels)
    candidates = _candidates(classification)
    window_months = _window(classification, window_months)
    months = "1 month" if window_months == 1 else f"{window_months} months"
    people = {p.id: p for p in case.people}

    def who(pid: str) -> str:
        return _label(people.get(pid), pid, labels)

    start = add_months(case.onset, -window_months)  # the rules' own window
    events = sorted(case.events, key=lambda e: (e.date, e.kind.value, e.person or ""))
    disputes = sorted(
        ((p.dispute.since, p.dispute.ended or case.assessed, p) for p in case.people if p.dispute),
        key=lambda d: (d[0], d[1], d[2].id),
    )
    days = [start, case.onset, *(e.date for e in events), *(d[0] for d in disputes)]
    lo, hi = min(days + [c[1] for c in candidates]), case.assessed
    left, right = 24.0, width - 24.0
    marked = [*days, *(d[1] for d in disputes), *(c[1] for c in candidates), hi]
    axis = _Axis.through(lo, hi, marked, left, right, keep=(case.onset, case.assessed))
    x = axis.x

    def place(
        x0: float, text: str, avoid: Sequence[float], size: float = _TL_FS
    ) -> tuple[bool, tuple[float, float]]:
        """Which side of x0 the text goes (True: it ends there) and the span it takes: the right,
        unless it would run off the picture or through a line of ``avoid`` and the left would not."""
        w = len(text) * size * _GLYPH + 6

        def bad(a: float, b: float) -> tuple[bool, int]:
            return (a < left or b > right + 20, sum(1 for v in avoid if a - 3 < v < b + 3))

        after, before = (x0, x0 + w), (x0 - w, x0)
        return (True, before) if bad(*before) < bad(*after) else (False, after)

    # Events: labels above the axis, in lanes so that none overlap, lane 0 nearest the axis,
    # each on the side of its stem where it crosses neither the onset nor the assessment line.
    lines_x = (x(case.onset), x(case.assessed))
    ev_items = []
    for e in events:
        words = e.kind.value.replace("_", " ")
        if e.person is not None:  # always, for a death (the case format)
            name = who(e.person)
            words = f"† death of {name}" if e.kind is EventKind.DEATH else f"{words} ({name})"
        words = _short(words, 40) + f", {e.date}"
        ev_items.append((e, x(e.date), words, *place(x(e.date), words, lines_x)))
    ev_lanes = _lanes(item[-1] for item in ev_items)
    lane_h = _TL_FS * 1.8
    plot_top = 48.0
    axis_y = plot_top + _TL_FS + 16 + (max(ev_lanes, default=-1) + 1) * lane_h

    # Candidates: numbered discs in a row under the axis, pushed apart where anchors are close,
    # each joined to its anchor on the axis.
    wanted = sorted(range(len(candidates)), key=lambda i: (x(candidates[i][1]), i))
    spread = _spread([x(candidates[i][1]) for i in wanted], 2 * _BADGE + 4, left, right)
    badges = [0.0] * len(candidates)
    for i, place_x in zip(wanted, spread, strict=True):
        badges[i] = place_x
    tick_y = axis_y + (2 * _BADGE + 30 if candidates else 18)

    # Disputes: bars below the axis, labelled under the bar.
    dp_items = []
    for since, until, p in disputes:
        d = p.dispute
        assert d is not None  # only people with a dispute were taken
        stage = d.stage.value if d.stage else "stage not assessed"
        text = f"dispute with {_short(who(p.id))} ({stage}{', ended' if d.ended else ''})"
        x1, x2 = x(since), max(x(until), x(since) + 2)
        end, (t1, t2) = place(x1, text, lines_x, _TL_SMALL)
        dp_items.append((x1, x2, text, end, (min(x1, t1), max(x2, t2))))
    dp_lanes = _lanes(item[-1] for item in dp_items)
    dp_top = tick_y + 16
    plot_bottom = dp_top + (max(dp_lanes, default=-1) + 1) * (_TL_FS + 16) + 4
    cand_top = plot_bottom + _TL_FS + 26  # under the onset's label
    height = cand_top + (len(candidates) + 1) * _TL_FS * 1.5 if candidates else cand_top

    desc = (
        f"Timeline from {lo} to assessment on {case.assessed}; onset {case.onset}; the window "
        f"from {start} ({months} before onset) to assessment is shaded. "
        + (
            f"The axis is broken where nothing happens: {'; '.join(axis.gaps_said())}. "
            if axis.gaps
            else ""
        )
        + (f"Events: {'; '.join(i[2] for i in ev_items)}. " if ev_items else "No events. ")
        + (f"Disputes: {'; '.join(i[2] for i in dp_items)}. " if dp_items else "")
        + "".join(
            f"Candidate {i + 1}: {area} anchored {day}. "
            for i, (area, day, _) in enumerate(candidates)
        )
    ).strip()
    ids = (_id("timeline", case.id, "title"), _id("timeline", case.id, "desc"))
    out = document(width, height, f"Timeline of case {case.id}", desc, ids)
    out.append(f"<g {FONT} font-size='{num(_TL_FS)}'>")
    out.append(
        f"<text x='{num(left)}' y='22' font-weight='bold' font-size='{num(_TL_FS * 1.2)}'>"
        f"Timeline of case {xml_text(case.id)}</text>"
    )
    # The window, shaded, labelled inside if there is room before the onset line.
    wx1, wx2 = x(max(start, lo)), x(case.assessed)
    out.append(
        f"<rect class='window' x='{num(wx1)}' y='{num(plot_top)}' width='{num(wx2 - wx1)}' "
        f"height='{num(plot_bottom - plot_top)}' fill='{_WINDOW}' stroke='#e0c060' "
        f"stroke-dasharray='4 3'><title>the window: {months} before onset "
        f"({start}) to assessment</title></rect>"
    )
    for words in (
        f"window: {months} before onset to assessment",
        f"window: {months}",
        "window",
    ):
        if wx1 + 4 + len(words) * _TL_FS * _GLYPH <= min(right, lines_x[0] - 4):
            out.append(
                f"<text class='window-label' x='{num(wx1 + 4)}' y='{num(plot_top + _TL_FS)}' "
                f"fill='#7a5f00'>{words}</text>"
            )
            break
    # The axis, broken where a long stretch holds nothing, and its ticks.
    for a, b in axis.pieces():
        out.append(
            f"<line class='axis' x1='{num(a)}' y1='{num(axis_y)}' x2='{num(b)}' "
            f"y2='{num(axis_y)}' stroke='#424242' stroke-width='1.5'/>"
        )
    for gx, (g1, g2) in zip(axis.breaks(), axis.gaps, strict=True):
        out.append(
            f"<g class='axis-break'><title>no events from {g1} to {g2}: the axis is cut "
            f"short</title><path d='M {num(gx - 7)} {num(axis_y + 7)} L {num(gx - 1)} "
            f"{num(axis_y - 7)} M {num(gx + 1)} {num(axis_y + 7)} L {num(gx + 7)} "
            f"{num(axis_y - 7)}' stroke='#424242' stroke-width='1.5' fill='none'/></g>"
        )
    ticks = axis.ticks()
    # Years alone when the ticks are whole years apart (always in January); never judged from
    # the first two ticks, which a cut in the axis can put years apart on a monthly axis.
    yearly = axis.tick_step() >= 12
    taken = [(v - 3, v + 3) for v in (*lines_x, *axis.breaks())]
    for tick in ticks:
        tx = x(tick)
        words = f"{tick.year}" if yearly else f"{tick:%Y-%m}"
        half = len(words) * _TL_SMALL * _GLYPH / 2
        if tx - half < left - 20 or tx + half > right + 20:
            continue
        if any(a < tx + half and tx - half < b for a, b in taken):
            continue  # under a line, a break or the tick before: left out
        taken.append((tx - half - 6, tx + half + 6))
        out.append(
            f"<line class='tick' x1='{num(tx)}' y1='{num(axis_y)}' x2='{num(tx)}' "
            f"y2='{num(axis_y + 5)}' stroke='#424242'/><text class='tick-label' x='{num(tx)}' "
            f"y='{num(tick_y)}' text-anchor='middle' fill='#424242' "
            f"font-size='{num(_TL_SMALL)}'>{words}</text>"
        )
    # Onset (dashed, labelled below) and assessment (solid, labelled above: they are often close).
    dashes = " stroke-dasharray='5 3'"
    for day, words, dash in ((case.onset, "onset", True), (case.assessed, "assessed", False)):
        lx = x(day)
        ty = plot_bottom + _TL_FS + 2 if dash else plot_top - 4
        anchor = "end" if lx > right - 70 else "start" if lx < left + 70 else "middle"
        out.append(
            f"<line class='{words}' x1='{num(lx)}' y1='{num(plot_top)}' x2='{num(lx)}' "
            f"y2='{num(plot_bottom)}' stroke='#1a237e' stroke-width='1.5'"
            f"{dashes if dash else ''}/>"
            f"<text x='{num(lx)}' y='{num(ty)}' text-anchor='{anchor}' fill='#1a237e' "
            f"font-weight='bold'>{words} {day}</text>"
        )

    def halo(at: float) -> str:
        """A rim of the background's colour round the letters, so that where a label cannot
        keep clear of the onset or assessment line, the line stops short of the letters."""
        colour = _WINDOW if wx1 <= at <= wx2 else "#ffffff"
        return f" paint-order='stroke' stroke='{colour}' stroke-width='5' stroke-linejoin='round'"

    # Events: a stem from the label to a mark on the axis, a diamond for a death.
    for (e, ex, words, end, _), lane in zip(ev_items, ev_lanes, strict=True):
        ly = axis_y - 16 - lane * lane_h
        marker = (
            f"<path d='M {num(ex)} {num(axis_y - 7)} L {num(ex + 7)} {num(axis_y)} L {num(ex)} "
            f"{num(axis_y + 7)} L {num(ex - 7)} {num(axis_y)} Z' fill='#616161' stroke='#212121'/>"
            if e.kind is EventKind.DEATH
            else f"<circle cx='{num(ex)}' cy='{num(axis_y)}' r='5' fill='#1565c0' stroke='#0d47a1'/>"
        )
        out.append(
            f"<g class='event' data-kind='{e.kind.value}'><title>{xml_text(words)}</title>"
            f"<line x1='{num(ex)}' y1='{num(ly + 4)}' x2='{num(ex)}' y2='{num(axis_y)}' "
            f"stroke='#9e9e9e'/>{marker}<text class='event-label' x='{num(ex)}' y='{num(ly)}' "
            f"text-anchor='{'end' if end else 'start'}'{halo(ex)}>{xml_text(words)}</text></g>"
        )
    # Disputes.
    for (x1, x2, text, end, _), lane in zip(dp_items, dp_lanes, strict=True):
        by = dp_top + lane * (_TL_FS + 16)
        out.append(
            f"<g class='dispute'><title>{xml_text(text)}</title>"
            f"<rect x='{num(x1)}' y='{num(by)}' width='{num(x2 - x1)}' height='5' "
            f"fill='{_DISPUTE}' fill-opacity='0.75'/><text x='{num(x1)}' y='{num(by + 5 + _TL_FS)}' "
            f"text-anchor='{'end' if end else 'start'}' fill='{_DISPUTE}' "
            f"font-size='{num(_TL_SMALL)}'{halo(x1)}>{xml_text(text)}</text></g>"
        )
    # Candidates' anchors: a numbered disc under the axis, joined to its anchor, then the list.
    badge_y = axis_y + _BADGE + 12
    for i, ((area, day, _), bx) in enumerate(zip(candidates, badges, strict=True)):
        ax = x(day)
        out.append(
            f"<g class='anchor' data-rank='{i + 1}'><title>candidate {i + 1}: "
            f"{xml_text(area.replace('_', ' '))}, anchored {day}</title>"
            f"<path d='M {num(ax)} {num(axis_y + 5)} L {num(bx)} {num(badge_y - _BADGE)}' "
            f"stroke='#ef6c00' stroke-width='1.5' fill='none'/>"
            f"<circle cx='{num(bx)}' cy='{num(badge_y)}' r='{num(_BADGE)}' fill='#ef6c00' "
            f"stroke='#ffffff' stroke-width='1.5'/><text x='{num(bx)}' "
            f"y='{num(badge_y + _TL_FS * 0.35)}' text-anchor='middle' fill='#ffffff' "
            f"font-weight='bold'>{i + 1}</text></g>"
        )
    if candidates:
        out.append(
            f"<text x='{num(left)}' y='{num(cand_top)}' font-weight='bold'>"
            f"Candidates, by rank (the numbered discs under the axis)</text>"
        )
        for i, (area, day, pid) in enumerate(candidates):
            words = f"{i + 1}. {area.replace('_', ' ')}, anchor {day}"
            words += f", {who(pid)}" if pid is not None else ""
            out.append(
                f"<text x='{num(left)}' y='{num(cand_top + (i + 1) * _TL_FS * 1.5)}'>"
                f"{xml_text(words)}</text>"
            )
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


_TL_FS: Final = 13.0  # the timeline's text
_TL_SMALL: Final = 12.0  # ticks and the disputes' words
_BADGE: Final = 9.0  # a candidate's numbered disc
_BREAK: Final = 28.0  # the width a cut in the axis takes
_MARGIN_DAYS: Final = 0.04  # room at each end of the axis and beside a cut, as a share of the days


def _spread(xs: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """``xs`` (in order) moved as little as possible so that neighbours are ``gap`` apart and all
    stay within [lo, hi]: each run of crowded marks is centred on the mean of where they belong."""
    # Each group, a run of marks packed together, is kept as the sum and the count of their wanted
    # places, so that merging two runs costs the same however long they are.
    groups: list[tuple[float, int]] = []
    for value in xs:
        groups.append((value, 1))
        while len(groups) > 1:
            (sum_a, len_a), (sum_b, len_b) = groups[-2], groups[-1]
            start_a = sum_a / len_a - gap * (len_a - 1) / 2
            start_b = sum_b / len_b - gap * (len_b - 1) / 2
            if start_a + gap * len_a <= start_b:
                break
            groups[-2:] = [(sum_a + sum_b, len_a + len_b)]
    out = []
    for total, count in groups:
        first = total / count - gap * (count - 1) / 2
        first = min(max(first, lo), hi - gap * (count - 1))
        out += [first + gap * i for i in range(count)]
    return out


@attrs.frozen
class _Axis:
    """A time axis that may be cut where a long stretch holds nothing: the shown stretches of
    days, and between them cuts of a fixed width, so that what happened fills the picture."""

    shown: tuple[tuple[date, date], ...]
    left: float
    right: float

    @classmethod
    def through(
        cls,
        lo: date,
        hi: date,
        marked: Iterable[date],
        left: float,
        right: float,
        *,
        keep: tuple[date, date],
    ) -> _Axis:
        """The axis from ``lo`` to ``hi``, cut in each gap between marked days longer than a
        third of all the days, keeping a margin on either side of the cut; never between the
        days ``keep`` (onset and assessment: how long the illness has lasted is shown true)."""
        span = max((hi - lo).days, 30)
        margin = timedelta(days=max(3, round(span * _MARGIN_DAYS)))
        days = sorted(set(marked))
        shown = []
        first = lo - margin
        for a, b in itertools.pairwise(days):
            inside = keep[0] <= a and b <= keep[1]
            if (b - a).days > span / 3 and (b - a) > 4 * margin and not inside:
                shown.append((first, a + margin))
                first = b - margin
        shown.append((first, hi + margin))
        return cls(tuple(shown), left, right)

    @property
    def gaps(self) -> list[tuple[date, date]]:
        return [(a[1], b[0]) for a, b in itertools.pairwise(self.shown)]

    def gaps_said(self) -> list[str]:
        return [f"from {a} to {b}" for a, b in self.gaps]

    def _scale(self) -> float:
        days = sum((b - a).days for a, b in self.shown)
        return (self.right - self.left - _BREAK * len(self.gaps)) / max(days, 1)

    def x(self, day: date) -> float:
        """Where ``day`` is; a day inside a cut is at the cut's middle."""
        at, scale = self.left, self._scale()
        for i, (a, b) in enumerate(self.shown):
            if day <= b or i == len(self.shown) - 1:
                if day < a:  # in the cut before this stretch
                    return at - _BREAK / 2
                return at + (day - a).days * scale
            at += (b - a).days * scale + _BREAK
        raise AssertionError("unreachable")

    def pieces(self) -> list[tuple[float, float]]:
        """The axis line's pieces, left to right."""
        return [(self.x(a), self.x(b)) for a, b in self.shown]

    def breaks(self) -> list[float]:
        """The middle of each cut."""
        return [self.x(a) - _BREAK / 2 for _, (a, _) in zip(self.gaps, self.shown[1:], strict=True)]

    def tick_step(self) -> int:
        """The months between ticks: the shortest of 1, 2, 3, 6 months or 1, 2, 5, 10, 50 years
        that leaves at most about 12 ticks over the shown stretches."""
        months = sum((b - a).days for a, b in self.shown) / 30.4
        return next((s for s in (1, 2, 3, 6, 12, 24, 60, 120, 600) if months / s <= 11), 1200)

    def ticks(self) -> list[date]:
        """First days of months, every :meth:`tick_step` months, none in a cut."""
        step = self.tick_step()
        return [t for a, b in self.shown for t in _ticks(a, b, step)]
