"""Sphinx configuration for iptcore's documentation.

Two builds run in CI (``.ci/run``), both with warnings as errors:

- ``sphinx-build -W --keep-going -b html docs docs/_build/html``
- ``sphinx-build -W -b doctest docs docs/_build/doctest`` (every ``{doctest}`` block of the pages)

The build needs no network: intersphinx reads small local inventories (``_intersphinx/``), and
the pictures are drawn from ``examples/`` when the build starts (``_ext/iptcore_pictures.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import iptcore

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "iptcore"
author = "The iptcore team"
copyright = "2026, The iptcore team"
release = iptcore.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "iptcore_pictures",  # docs/_ext: runs examples/ and writes their pictures to _generated/
    "iptcore_types",  # docs/_ext: a bare `date` in an annotation is datetime.date
    "iptcore_signatures",  # docs/_ext: attrs classes' signatures from their fields
]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_generated", "_ext", "_intersphinx"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Defaults as written in the source (``rules=DEFAULT_RULES``), not as the repr of their value,
# which for a rule set is thousands of characters with function addresses. attrs classes, whose
# __init__ has no source, get their signatures from _ext/iptcore_signatures.py.
autodoc_preserve_defaults = True
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# Intersphinx without network. CI reaches package registries only, and an inventory that cannot
# be downloaded is a warning, which -W makes fatal. So each project's inventory is a small local
# file listing just the objects these pages mention, with their real URLs, written by
# _intersphinx/make_inventories.py: links go to the real sites while the build stays offline.
# A page that mentions a new outside object: add it there and rerun the script.
intersphinx_mapping = {
    name: (url, f"_intersphinx/{name}.inv")
    for name, url in {
        "python": "https://docs.python.org/3/",
        "attrs": "https://www.attrs.org/en/stable/",
        "networkx": "https://networkx.org/documentation/stable/",
        "numpy": "https://numpy.org/doc/stable/",
        "pandas": "https://pandas.pydata.org/docs/",
        "matplotlib": "https://matplotlib.org/stable/",
    }.items()
}
intersphinx_cache_limit = 0
intersphinx_timeout = 1

doctest_global_setup = """
import iptcore

try:  # the Dask example of the simulation tutorial runs where the dask extra is installed
    import distributed
except ImportError:
    has_dask = False
else:
    has_dask = True
"""
# Docstring examples are run by pytest (--doctest-modules); the doctest builder runs the pages'
# own {doctest} blocks, so a docstring shown by autodoc is not run twice in another namespace.
doctest_test_doctest_blocks = ""

# The copy button leaves out prompts and output, so what is copied runs as it is.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

html_theme = "furo"
html_title = "iptcore"
html_static_path = ["_static"]
html_css_files = ["iptcore.css"]
html_theme_options = {"navigation_with_keys": True}
