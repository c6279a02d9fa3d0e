"""A tiny Sphinx extension: a bare ``date`` in a type annotation means :class:`datetime.date`.

iptcore writes ``from datetime import date`` and annotates with ``date``; every date in the
library is a :class:`datetime.date` (the public API). Where autodoc cannot evaluate an
annotation (an attribute named ``date`` shadows the class in an attrs class's namespace, for
one), the type stays the bare word ``date``, and Sphinx's Python domain then finds several
targets for it (``Event.date``, ``Measure.date``, ...) and warns, which ``-W`` makes fatal. This
points such type references at ``datetime.date``, which intersphinx links to the Python docs.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

#: Bare names in annotations and what they always mean in iptcore.
ALIASES = {"date": "datetime.date"}


def qualify(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: rewrite py class references to a bare aliased name."""
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "py" and ref.get("reftype") in {"class", "obj"}:
            target = ref.get("reftarget")
            if target in ALIASES:
                ref["reftarget"] = ALIASES[target]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", qualify)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
