"""Set ``[tool.mutmut] only_mutate`` of a copy's ``pyproject.toml`` to some modules of the core.

Used by ``mutation/run.sh`` for each group::

    python mutation/only.py mutation/runs/courses/pyproject.toml protocols plan course courseio
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    path, modules = Path(argv[0]), argv[1:]
    text = path.read_text(encoding="utf-8")
    listed = "".join(f'    "*src/iptcore/{m}.py",\n' for m in modules)
    new, count = re.subn(
        r"only_mutate = \[\n(?:    \"[^\"]*\",\n)*\]", f"only_mutate = [\n{listed}]", text
    )
    if count != 1:
        print(f"{path}: no only_mutate list to set", file=sys.stderr)
        return 2
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
