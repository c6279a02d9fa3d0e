"""A tiny Sphinx extension: the signatures of iptcore's attrs classes, as a reader wants them.

attrs writes each class's ``__init__`` at run time, so autodoc cannot read the defaults from the
source (``autodoc_preserve_defaults`` shows ``attr_dict['walk_sd'].default``) and, without it,
shows each default's repr: a rule set's is thousands of characters with function addresses, and
a default computed from other fields shows as ``NOTHING``. On ``autodoc-process-signature`` this
extension writes the signature of an attrs class from its fields instead: a field without a
default by its name alone, a short default as its repr (an enum member by its name), and a long or computed one as ``...`` (as
type stubs do), which the class's docstring then explains.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs
from sphinx.application import Sphinx

LONGEST = 40  # characters of a default's repr shown in a signature


def _default(field: attrs.Attribute[Any]) -> str | None:
    """How a field's default reads in the signature, or None when it has none."""
    default = field.default
    if default is attrs.NOTHING:
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return "..."
        default = default.factory()
    if isinstance(default, enum.Enum):
        return f"{type(default).__name__}.{default.name}"
    shown = repr(default)
    return "..." if len(shown) > LONGEST or " at 0x" in shown else shown


def attrs_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    """``autodoc-process-signature``: an attrs class's signature from its fields."""
    if what != "class" or not isinstance(obj, type) or not attrs.has(obj):
        return None
    parts, starred = [], False
    for field in attrs.fields(obj):
        if not field.init:
            continue
        if field.kw_only and not starred:
            parts.append("*")
            starred = True
        shown = _default(field)
        parameter = field.alias or field.name
        parts.append(parameter if shown is None else f"{parameter}={shown}")
    return f"({', '.join(parts)})", return_annotation


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("autodoc-process-signature", attrs_signature)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
