"""A tiny Sphinx extension: run ``examples/`` when the build starts and keep what they make.

The docs show pictures that people would rather see than read (the closeness circle, the
timeline, symptom trajectories, a parameter sweep) and the output of every example script. Both
are made at build time from the examples themselves, so what the pages show is what the code
does today:

- on ``builder-inited``, every ``examples/*.py`` runs in its own process as
  ``python examples/NAME.py --pictures docs/_generated``; the script writes its pictures there,
  and its standard output is kept as ``docs/_generated/NAME.txt``;
- the course's state diagram is drawn from ``iptcore.course.TRANSITIONS`` into
  ``docs/_generated/course-states.svg`` by :func:`draw_state_diagram`, on every build (it takes
  milliseconds);
- a page's own example can be drawn too: :data:`PAGE_PICTURES` names a page, the picture's file
  and the expression that draws it; :func:`draw_page_pictures` runs the page's first
  ``{doctest}`` block and evaluates the expression in what it defined, so the picture shows the
  very case the page's text works with (the inventory page's closeness circle);
- pages include them with ``{image}``/``{figure}`` (``/_generated/quickstart-closeness.svg``) and
  ``{literalinclude}`` (``/_generated/quickstart.txt``).

An example that fails fails the build, naming the script and the end of its error output. The
results are reused while no example and no module of ``src/iptcore`` has changed (a hash of
their sources is kept in ``_generated/.stamp``), so the doctest build after the html build, or a
rebuild after editing a page, costs nothing. ``docs/_generated/`` is not committed.
"""

from __future__ import annotations

import doctest
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
EXAMPLES = ROOT / "examples"
OUT = DOCS / "_generated"
STAMP = OUT / ".stamp"
TIMEOUT = 300  # seconds for one example; they take a few each
STATE_DIAGRAM = "course-states.svg"  # drawn from iptcore.course.TRANSITIONS, not by an example
#: Pictures of a page's own example: file -> (the page, an expression drawing it from the names
#: the page's first doctest block defines).
PAGE_PICTURES = {
    "inventory-closeness.svg": ("inventory.md", "closeness_svg(inventory)"),
}


def _sources() -> list[Path]:
    """What the generated files depend on: the examples, the library, and this extension."""
    return sorted(
        [
            *EXAMPLES.glob("*.py"),
            *(ROOT / "src" / "iptcore").rglob("*.py"),
            Path(__file__).resolve(),
        ]
    )


def _digest() -> str:
    digest = hashlib.sha256()
    for path in _sources():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fresh(stamp: str) -> bool:
    """True when the files made from exactly these sources are all still there."""
    try:
        kept = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return False
    return kept.get("digest") == stamp and all((OUT / name).is_file() for name in kept["files"])


def _run_examples() -> list[str]:
    """Run every example at once (each in its own process) and keep its output; the files made."""
    scripts = sorted(EXAMPLES.glob("*.py"))
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
    }
    running = []
    for script in scripts:
        out = (OUT / f"{script.stem}.txt").open("wb")
        command = [sys.executable, str(script), "--pictures", str(OUT)]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.PIPE)
        running.append((script, process, out))
    failures = []
    for script, process, out in running:
        try:
            _, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
            stderr += f"\n(stopped after {TIMEOUT} s)".encode()
        finally:
            out.close()
        if process.returncode != 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
            failures.append(f"{script.relative_to(ROOT)} failed:\n    " + "\n    ".join(tail))
    if failures:
        raise ExtensionError(
            "an example failed, so its pictures are missing:\n" + "\n".join(failures)
        )
    return sorted(p.name for p in OUT.iterdir() if p.is_file() and p != STAMP)


def generate(app: Sphinx) -> None:
    """``builder-inited``: make sure ``_generated/`` holds what the current examples make."""
    OUT.mkdir(exist_ok=True)
    stamp = _digest()
    if _fresh(stamp):
        logger.info("iptcore_pictures: examples unchanged, reusing docs/_generated")
        return
    for old in OUT.iterdir():
        if old.is_file():
            old.unlink()
    started = time.perf_counter()
    files = _run_examples()
    STAMP.write_text(json.dumps({"digest": stamp, "files": files}, indent=1))
    logger.info(
        "iptcore_pictures: ran %d examples in %.1f s, %d files in docs/_generated",
        len(list(EXAMPLES.glob("*.py"))),
        time.perf_counter() - started,
        len(files),
    )


def draw_state_diagram(app: Sphinx) -> None:
    """``builder-inited``, after :func:`generate`: write ``course-states.svg`` from the table.

    The course's state diagram is drawn in this process from ``iptcore.course.TRANSITIONS`` (no
    example needed, so it cannot go stale with the stamp); the file is rewritten only when its
    text changed, so that an unchanged diagram does not make Sphinx copy it again.
    """
    from iptcore.draw.statediagram import state_diagram_svg

    _write(
        STATE_DIAGRAM,
        state_diagram_svg(title="The states of an IPT course and the steps between them"),
    )


def _write(name: str, svg: str) -> None:
    """Write a picture into _generated/, only when its text changed (so Sphinx copies it only then)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    if not path.is_file() or path.read_text(encoding="utf-8") != svg:
        path.write_text(svg, encoding="utf-8")


def draw_page_pictures(app: Sphinx) -> None:
    """``builder-inited``, after :func:`generate`: draw each of :data:`PAGE_PICTURES` from its page."""
    from iptcore import draw

    for name, (page, expression) in PAGE_PICTURES.items():
        text = (DOCS / page).read_text(encoding="utf-8")
        block = re.search(r"```\{doctest\}\n(.*?)```", text, flags=re.S)
        if block is None:
            raise ExtensionError(f"{page} has no doctest block to draw {name} from")
        names: dict[str, Any] = {n: getattr(draw, n) for n in draw.__all__}
        for example in doctest.DocTestParser().get_examples(block.group(1)):
            exec(compile(example.source, f"{page} (first doctest block)", "exec"), names)
        _write(name, eval(expression, names))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    # After generate (default priority 500), which clears _generated/ when the examples changed.
    app.connect("builder-inited", draw_state_diagram, priority=600)
    app.connect("builder-inited", draw_page_pictures, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
