"""Lazy package namespaces (PEP 562): a package names each public name's home module, and the
module is imported on the name's first use, so importing the package stays light.

``iptcore``, ``iptcore.draw`` and ``iptcore.simulate`` each keep one table, name -> home; this
module turns it into the package's ``__all__``, ``__getattr__`` and ``__dir__``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["namespace"]


def namespace(
    package: str, homes: Mapping[str, Iterable[str]], eager: Iterable[str] = ()
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``(__all__, __getattr__, __dir__)`` for ``package`` from ``homes`` (module -> its names)
    and the names the package imports ``eager``-ly itself."""
    home = {name: module for module, names in homes.items() for name in names}
    public = sorted([*eager, *home])

    def get(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip this function
        return value

    def listing() -> list[str]:
        names = vars(sys.modules[package])
        return sorted(set(public) | {name for name in names if name.startswith("__")})

    return public, get, listing
