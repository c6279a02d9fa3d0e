"""Pictures of iptcore's values, as free functions that take the value: the values never draw
themselves (networkx keeps ``drawing`` apart from ``Graph`` in the same way).

- :func:`closeness_svg`: the closeness circle of an inventory, a standalone accessible SVG;
- :func:`timeline_svg`: a case's timeline with the window of the rule set that classified it;
- :func:`state_diagram` (Mermaid or Graphviz dot text) and :func:`state_diagram_svg`: the course's
  state machine, drawn from the same transition table the course obeys;
- :func:`trajectories`, :func:`sweep` and :func:`power_curve`: matplotlib figures of symptom
  trajectories, parameter sweeps and power by simulation (the optional extra ``plot``).

Each name loads its module on first use, so ``import iptcore.draw`` loads neither networkx nor
matplotlib.

>>> from iptcore.draw import state_diagram
>>> state_diagram().splitlines()[0]
'stateDiagram-v2'
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iptcore.draw.case import closeness_svg, timeline_svg
    from iptcore.draw.plot import power_curve, sweep, trajectories
    from iptcore.draw.statediagram import state_diagram, state_diagram_svg

_HOMES: Mapping[str, str] = MappingProxyType(
    {
        "closeness_svg": "iptcore.draw.case",
        "timeline_svg": "iptcore.draw.case",
        "state_diagram": "iptcore.draw.statediagram",
        "state_diagram_svg": "iptcore.draw.statediagram",
        "power_curve": "iptcore.draw.plot",
        "sweep": "iptcore.draw.plot",
        "trajectories": "iptcore.draw.plot",
    }
)

__all__ = [
    "closeness_svg",
    "power_curve",
    "state_diagram",
    "state_diagram_svg",
    "sweep",
    "timeline_svg",
    "trajectories",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'iptcore.draw' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})
