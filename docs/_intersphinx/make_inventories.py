"""Write the small offline intersphinx inventories that the docs link through.

The documentation is built without network access (CI reaches package registries only), and
intersphinx treats an inventory it cannot download as a warning, which ``sphinx-build -W`` makes
fatal. So instead of fetching each project's ``objects.inv``, ``docs/conf.py`` points intersphinx
at the files this script writes: one per project, listing exactly the outside objects that
iptcore's pages and docstrings mention, each with its real public URL. Links in the built pages
go to the projects' real sites; the build reads only these local files.

Run it after a page or a docstring starts mentioning another outside object (add the object to
``OBJECTS`` below first)::

    python docs/_intersphinx/make_inventories.py           # write the .inv files
    python docs/_intersphinx/make_inventories.py --check   # fail if they are out of date

The files are Sphinx's inventory format, version 2 (a four-line header, then zlib-compressed
lines ``name domain:role priority location display-name``). Each file written is read back with
``sphinx.util.inventory.InventoryFile``, the reader intersphinx uses, to check every entry.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path

from sphinx.util.inventory import InventoryFile

HERE = Path(__file__).resolve().parent

#: project -> (display name, version shown in the header, base URL, entries).
#: An entry is (object name, "domain:role", location relative to the base URL). The base URLs are
#: the ones docs/conf.py passes to intersphinx_mapping; the two must agree.
Entry = tuple[str, str, str]
OBJECTS: dict[str, tuple[str, str, str, tuple[Entry, ...]]] = {
    "python": (
        "Python",
        "3",
        "https://docs.python.org/3/",
        (
            ("datetime.date", "py:class", "library/datetime.html#datetime.date"),
            ("datetime.timedelta", "py:class", "library/datetime.html#datetime.timedelta"),
            ("os.PathLike", "py:class", "library/os.html#os.PathLike"),
            ("pathlib.Path", "py:class", "library/pathlib.html#pathlib.Path"),
            (
                "concurrent.futures.Executor",
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.Executor",
            ),
            # autodoc writes the private module where Executor is defined; link it to the same page.
            (
                "concurrent.futures._base.Executor",
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.Executor",
            ),
            (
                "concurrent.futures.ProcessPoolExecutor",
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.ProcessPoolExecutor",
            ),
            (
                "concurrent.futures.ThreadPoolExecutor",
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.ThreadPoolExecutor",
            ),
            *(
                (
                    f"collections.abc.{name}",
                    "py:class",
                    f"library/collections.abc.html#collections.abc.{name}",
                )
                for name in ("Callable", "Iterable", "Iterator", "Mapping", "Sequence")
            ),
            ("enum.StrEnum", "py:class", "library/enum.html#enum.StrEnum"),
            ("typing.Any", "py:data", "library/typing.html#typing.Any"),
            ("json.dumps", "py:function", "library/json.html#json.dumps"),
            ("json.loads", "py:function", "library/json.html#json.loads"),
            ("secrets.randbits", "py:function", "library/secrets.html#secrets.randbits"),
            ("None", "py:data", "library/constants.html#None"),
            *(
                (name, "py:class", f"library/stdtypes.html#{name}")
                for name in ("bytes", "dict", "frozenset", "list", "str", "tuple")
            ),
            *(
                (name, "py:class", f"library/functions.html#{name}")
                for name in ("bool", "float", "int")
            ),
            *(
                (name, "py:exception", f"library/exceptions.html#{name}")
                for name in ("ImportError", "KeyError", "TypeError", "ValueError")
            ),
        ),
    ),
    "attrs": (
        "attrs",
        "stable",
        "https://www.attrs.org/en/stable/",
        (
            ("attrs.evolve", "py:function", "api.html#attrs.evolve"),
            ("attrs.frozen", "py:function", "api.html#attrs.frozen"),
            ("attrs.asdict", "py:function", "api.html#attrs.asdict"),
        ),
    ),
    "networkx": (
        "NetworkX",
        "stable",
        "https://networkx.org/documentation/stable/",
        (
            ("networkx.Graph", "py:class", "reference/classes/graph.html#networkx.Graph"),
            (
                "networkx.freeze",
                "py:function",
                "reference/generated/networkx.classes.function.freeze.html#networkx.classes.function.freeze",
            ),
            (
                "networkx.get_node_attributes",
                "py:function",
                "reference/generated/networkx.classes.function.get_node_attributes.html#networkx.classes.function.get_node_attributes",
            ),
            (
                "networkx.degree_centrality",
                "py:function",
                "reference/algorithms/generated/networkx.algorithms.centrality.degree_centrality.html#networkx.algorithms.centrality.degree_centrality",
            ),
        ),
    ),
    "numpy": (
        "NumPy",
        "stable",
        "https://numpy.org/doc/stable/",
        (
            ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#numpy.ndarray"),
            ("numpy.dtype", "py:class", "reference/generated/numpy.dtype.html#numpy.dtype"),
            (
                "numpy.random.SeedSequence",
                "py:class",
                "reference/random/bit_generators/generated/numpy.random.SeedSequence.html#numpy.random.SeedSequence",
            ),
            (
                "numpy.random.Generator",
                "py:class",
                "reference/random/generator.html#numpy.random.Generator",
            ),
            *(
                (f"numpy.{name}", "py:class", f"reference/arrays.scalars.html#numpy.{name}")
                for name in ("bool", "bool_", "float64", "int8", "intp", "uint8")
            ),
        ),
    ),
    "pandas": (
        "pandas",
        "stable",
        "https://pandas.pydata.org/docs/",
        (
            (
                "pandas.DataFrame",
                "py:class",
                "reference/api/pandas.DataFrame.html#pandas.DataFrame",
            ),
            (
                "pandas.DataFrame.groupby",
                "py:method",
                "reference/api/pandas.DataFrame.groupby.html#pandas.DataFrame.groupby",
            ),
            (
                "pandas.Categorical",
                "py:class",
                "reference/api/pandas.Categorical.html#pandas.Categorical",
            ),
        ),
    ),
    "matplotlib": (
        "Matplotlib",
        "stable",
        "https://matplotlib.org/stable/",
        (
            (
                "matplotlib.figure.Figure",
                "py:class",
                "api/_as_gen/matplotlib.figure.Figure.html#matplotlib.figure.Figure",
            ),
            (
                "matplotlib.axes.Axes",
                "py:class",
                "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes",
            ),
        ),
    ),
}


def inventory_bytes(project: str) -> bytes:
    """The inventory file of ``project``, version 2, byte for byte (the same on every run)."""
    title, version, _, entries = OBJECTS[project]
    names = [name for name, _, _ in entries]
    if len(names) != len(set(names)):
        raise SystemExit(f"{project}: an object is listed twice")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {title}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    # "-" as the display name means "the object's own name" (Sphinx's convention).
    body = "".join(
        f"{name} {role} 1 {location} -\n" for name, role, location in sorted(entries)
    ).encode()
    return header + zlib.compress(body, 9)


def check_readable(project: str, data: bytes) -> None:
    """Read ``data`` back the way intersphinx does and check that every entry is there."""
    _, _, base, entries = OBJECTS[project]
    inventory = InventoryFile.loads(data, uri=base)
    for name, role, location in entries:
        if (role, name) not in inventory:
            raise SystemExit(f"{project}: {role} {name} did not survive the round trip")
        if inventory[role, name].uri != base + location:
            raise SystemExit(f"{project}: {name} reads back as {inventory[role, name].uri}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    stale = []
    for project in OBJECTS:
        data = inventory_bytes(project)
        check_readable(project, data)
        path = HERE / f"{project}.inv"
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.name)
        else:
            path.write_bytes(data)
            print(f"wrote {path.name}: {len(OBJECTS[project][3])} objects")
    if stale:
        print(f"out of date: {', '.join(stale)}; run {Path(__file__).name}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
