"""The symptom trajectory as a standalone SVG: totals over time over the instrument's severity bands.

The bands are the instrument's default banding (PHQ-9 [KROENKE2001], GAD-7 [SPITZER2006], HAM-D-17
[ZIMMERMAN2013]), drawn as horizontal stripes, each named in words at its right, so the picture reads
in grey; every score is a point with its total written beside it and a ``<title>`` for a pointer or
screen reader. Like the other pictures (:mod:`iptcore.draw`) it is SVG 1.1 written by hand: the same
series gives the same bytes, nothing is loaded, no script runs.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from iptcore.draw._svg import FONT, document, num, xml_text
from iptcore.measures import instrument_spec
from iptcore.trajectory import Trajectory

__all__ = ["trajectory_svg"]

_WIDTH: Final = 680.0
_HEIGHT: Final = 280.0
_LEFT, _RIGHT, _TOP, _BOTTOM, _PAD = 48.0, 150.0, 18.0, 46.0, 24.0
# Light fills from "least" to "most" severe; the band's name is written too.
_FILLS: Final = ("#e8f5e9", "#f1f8e9", "#fffde7", "#fff3e0", "#fbe9e7", "#ffebee")


def trajectory_svg(trajectory: Trajectory, *, element_id: str = "trajectory") -> str:
    """One instrument's totals over time, over its severity bands (``element_id`` prefixes ids).

    >>> from datetime import date
    >>> from iptcore import score
    >>> from iptcore.trajectory import track
    >>> series = [(date(2026, 3, 2), score("phq9", [2] * 9)), (date(2026, 4, 6), score("phq9", [1] * 9))]
    >>> svg = trajectory_svg(track("phq9", series))   # fictional scores
    >>> svg.startswith("<svg"), "moderately severe" in svg
    (True, True)
    """
    spec = instrument_spec(trajectory.instrument)
    bands = spec.banding().bands
    top = bands[-1].high
    points = trajectory.points
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM

    def x(day: date) -> float:  # the first and last points sit _PAD inside the band's edges
        if first == last:
            return _LEFT + plot_w / 2
        return _LEFT + _PAD + (plot_w - 2 * _PAD) * (day - first).days / span

    def y(total: float) -> float:
        return _TOP + plot_h * (1 - total / top)

    summary = "; ".join(f"{p.date.isoformat()}: {p.total} ({p.band})" for p in points)
    head = document(
        _WIDTH,
        _HEIGHT,
        f"{spec.title} totals over time",
        f"{len(points)} score(s) of {spec.title} over its severity bands: {summary}.",
        (f"{element_id}-title", f"{element_id}-desc"),
    )
    out = head[1:]  # inline in a page: no XML declaration
    for i, band in enumerate(bands):
        fill = _FILLS[min(i * len(_FILLS) // len(bands), len(_FILLS) - 1)]
        upper, lower = y(band.high + 1 if band is not bands[-1] else top), y(band.low)
        out.append(
            f"<rect x='{num(_LEFT)}' y='{num(upper)}' width='{num(plot_w)}' "
            f"height='{num(lower - upper)}' fill='{fill}' stroke='#bdbdbd' stroke-width='0.5'/>"
        )
        out.append(
            f"<text x='{num(_LEFT + plot_w + 6)}' y='{num((upper + lower) / 2 + 4)}' "
            f"font-size='11' {FONT} fill='#424242'>{xml_text(band.name.replace('_', ' '))} "
            f"({band.low}-{band.high})</text>"
        )
        out.append(
            f"<text x='{num(_LEFT - 6)}' y='{num(lower + 4)}' font-size='10' {FONT} "
            f"text-anchor='end' fill='#616161'>{band.low}</text>"
        )
    out.append(
        f"<text x='{num(_LEFT - 6)}' y='{num(y(top) + 4)}' font-size='10' {FONT} "
        f"text-anchor='end' fill='#616161'>{top}</text>"
    )
    out.append(
        f"<line x1='{num(_LEFT)}' y1='{num(y(0))}' x2='{num(_LEFT + plot_w)}' y2='{num(y(0))}' "
        "stroke='#424242' stroke-width='1'/>"
    )
    if len(points) > 1:
        path = " ".join(f"{num(x(p.date))},{num(y(p.total))}" for p in points)
        out.append(f"<polyline points='{path}' fill='none' stroke='#1565c0' stroke-width='2'/>")
    labelled = {0, len(points) - 1, *range(0, len(points), max(1, len(points) // 6))}
    for i, p in enumerate(points):
        px, py = x(p.date), y(p.total)
        out.append(
            f"<circle cx='{num(px)}' cy='{num(py)}' r='4' fill='#1565c0'>"
            f"<title>{xml_text(f'{p.date.isoformat()}: {p.total} ({p.band})')}</title></circle>"
        )
        out.append(
            f"<text x='{num(px)}' y='{num(py - 8)}' font-size='11' {FONT} text-anchor='middle' "
            f"fill='#0d47a1'>{p.total}</text>"
        )
        if i in labelled:
            out.append(
                f"<text x='{num(px)}' y='{num(y(0) + 16)}' font-size='10' {FONT} "
                f"text-anchor='middle' fill='#424242'>{xml_text(p.date.isoformat())}</text>"
            )
    out.append(
        f"<text x='{num(_LEFT + plot_w / 2)}' y='{num(_HEIGHT - 8)}' font-size='11' {FONT} "
        f"text-anchor='middle' fill='#424242'>"
        f"date of the score; the total is written above each point</text>"
    )
    out.append("</svg>")
    return "\n".join(out)
