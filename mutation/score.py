"""Print the mutation score per module from mutmut's results (``mutmut results --all true``).

Run from the repository root after ``mutation/run.sh`` (or any ``mutmut run``)::

    python mutation/score.py

For each module: mutants, killed (timeouts included), survived, untested (no test calls the
mutated function) and the score killed / (killed + survived + untested): an untested mutant counts
against the score like a survivor. The survivors are listed after the table, so that each can be
judged: a test missing, or an equivalent mutant (mutation/README.md lists those with a reason).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[str] = []
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name.startswith("iptcore."):
            continue
        # iptcore.simulate.case.x_name__mutmut_3: the module is what comes before the function.
        module = ".".join(name.split(".")[1:-1])
        status = {"timeout": "killed"}.get(status, status)
        counts[module][status] += 1
        if status in ("survived", "no tests"):
            survivors.append(name)
    print(f"{'module':<22}{'mutants':>8}{'killed':>8}{'survived':>9}{'untested':>9}{'score':>8}")
    total: Counter[str] = Counter()
    for module in sorted(counts):
        c = counts[module]
        total.update(c)
        _row(module, c)
    _row("all", total)
    if survivors:
        print("\nsurvivors:")
        for name in survivors:
            print(f"  {name}")
    return 0


def _row(module: str, c: Counter[str]) -> None:
    killed, survived, untested = c["killed"], c["survived"], c["no tests"]
    counted = killed + survived + untested
    score = f"{100 * killed / counted:.1f}%" if counted else "-"
    print(f"{module:<22}{sum(c.values()):>8}{killed:>8}{survived:>9}{untested:>9}{score:>8}")


if __name__ == "__main__":
    raise SystemExit(main())
