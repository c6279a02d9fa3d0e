"""Pictures of iptcore's values, as free functions that take the value: the values never draw
themselves (networkx keeps ``drawing`` apart from ``Graph`` in the same way).

- :func:`closeness_svg`: the closeness circle of an inventory, a standalone accessible SVG;
- :func:`timeline_svg`: a case's timeline with the window of the rule set that classified it;
- :func:`state_diagram` (Mermaid or Graphviz dot text) and :func:`state_diagram_svg`: the course's
  state machine, drawn from the same transition table the course obeys;
- :func:`trajectory_svg`: one instrument's scores over time over its severity bands, as SVG;
- :func:`trajectories`, :func:`sweep` and :func:`power_curve`: matplotlib figures of symptom
  trajectories, parameter sweeps and power by simulation (the optional extra ``plot``).

Each name loads its module on first use, so ``import iptcore.draw`` loads neither networkx nor
matplotlib.

>>> from iptcore.draw import state_diagram
>>> state_diagram().splitlines()[0]
'stateDiagram-v2'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from iptcore._lazy import namespace

if TYPE_CHECKING:
    from iptcore.draw.case import closeness_svg as closeness_svg
    from iptcore.draw.case import timeline_svg as timeline_svg
    from iptcore.draw.plot import power_curve as power_curve
    from iptcore.draw.plot import sweep as sweep
    from iptcore.draw.plot import trajectories as trajectories
    from iptcore.draw.statediagram import state_diagram as state_diagram
    from iptcore.draw.statediagram import state_diagram_svg as state_diagram_svg
    from iptcore.draw.trajectory import trajectory_svg as trajectory_svg

#: Each module and the public names it is the home of.
_LAZY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "iptcore.draw.case": ("closeness_svg", "timeline_svg"),
        "iptcore.draw.statediagram": ("state_diagram", "state_diagram_svg"),
        "iptcore.draw.plot": ("power_curve", "sweep", "trajectories"),
        "iptcore.draw.trajectory": ("trajectory_svg",),
    }
)
__all__, _get, _dir = namespace(__name__, _LAZY)


def __getattr__(name: str) -> Any:
    return _get(name)


def __dir__() -> list[str]:
    return _dir()
