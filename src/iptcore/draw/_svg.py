"""The SVG text that iptcore's pictures share: escaping, coordinates, the font and the document head.

:mod:`iptcore.draw.case` (the closeness circle and the timeline) and :mod:`iptcore.draw.statediagram` (the
course's state diagram) both write standalone SVG 1.1 by hand, so that the same input gives the same
bytes on every platform and no graph library or binary is needed. These are the pieces they share.
Every text that comes from a case goes through :func:`xml_text` or :func:`xml_attr`.

>>> head = document(120, 40, "A & B", "fictional", ("t", "d"))
>>> head[2]
"<title id='t'>A &amp; B</title>"
"""

from __future__ import annotations

import re
from typing import Final
from xml.sax.saxutils import escape

__all__ = ["FONT", "document", "num", "xml_attr", "xml_text"]

#: The font of every picture's text, as an attribute.
FONT: Final = "font-family='Helvetica, Arial, sans-serif'"

# XML 1.0 forbids most control characters, lone surrogates, U+FFFE and U+FFFF even when escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as XML character data: characters XML cannot hold become U+FFFD, then escaped.

    >>> xml_text("Ann <& Bo>\\x00")
    'Ann &lt;&amp; Bo&gt;\\ufffd'
    """
    return escape(_NOT_XML.sub("\ufffd", str(value)))


def xml_attr(value: object) -> str:
    """``value`` as the inside of a quoted XML attribute (either quote).

    >>> xml_attr("it's \\"here\\"")
    'it&apos;s &quot;here&quot;'
    """
    return escape(_NOT_XML.sub("\ufffd", str(value)), {'"': "&quot;", "'": "&apos;", "\n": "&#10;"})


def num(x: float) -> str:
    """A coordinate, rounded so that output is the same on every platform.

    >>> num(2 / 3), num(-0.01)
    ('0.7', '0.0')
    """
    return f"{x:.1f}".replace("-0.0", "0.0")


def document(width: float, height: float, title: str, desc: str, ids: tuple[str, str]) -> list[str]:
    """The opening lines of an accessible standalone SVG: the XML declaration, the root element
    labelled by its ``<title>`` and ``<desc>`` (ids ``ids``), and a white background.

    The caller appends the picture and the closing ``</svg>``.

    >>> document(10, 5, "Title", "What it shows", ("a", "b"))[1]
    "<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='10.0' height='5.0' viewBox='0 0 10.0 5.0' role='img' aria-labelledby='a b'>"
    """
    root = (
        f"<svg xmlns='http://www.w3.org/2000/svg' version='1.1' width='{num(width)}' "
        f"height='{num(height)}' viewBox='0 0 {num(width)} {num(height)}' role='img' "
        f"aria-labelledby='{ids[0]} {ids[1]}'>"
    )
    return [
        "<?xml version='1.0' encoding='UTF-8'?>",
        root,
        f"<title id='{ids[0]}'>{xml_text(title)}</title>",
        f"<desc id='{ids[1]}'>{xml_text(desc)}</desc>",
        f"<rect x='0' y='0' width='{num(width)}' height='{num(height)}' fill='#ffffff'/>",
    ]
