"""How long `import iptcore` takes, as a ratio of `import attrs, cattrs` in a fresh interpreter.

The goal: at most 1.5x. Each figure is the median of several fresh interpreters, both
measured in this run, so the ratio does not depend on the machine.

    python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def fresh_import(statement: str) -> float:
    """Seconds a fresh interpreter spends on ``statement`` (interpreter start-up excluded)."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    fresh_import("import iptcore")  # warm the file-system cache and bytecode
    base, ours = [], []
    for _ in range(args.runs):  # interleaved, so that drift affects both alike
        base.append(fresh_import("import attrs, cattrs"))
        ours.append(fresh_import("import iptcore"))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"import attrs, cattrs : {b * 1000:7.2f} ms (median of {args.runs})")
    print(f"import iptcore       : {o * 1000:7.2f} ms")
    print(f"ratio                : {o / b:7.2f}x   (goal: at most 1.5x)")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
