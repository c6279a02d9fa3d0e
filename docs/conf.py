"""Sphinx configuration for iptcore's documentation."""

from __future__ import annotations

import iptcore

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
    "sphinx_copybutton",
]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
nitpicky = False

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

doctest_global_setup = """
import iptcore
"""
# Docstring examples are run by pytest (--doctest-modules); the doctest builder runs the pages'
# own {doctest} blocks, so a docstring shown by autodoc is not run twice in another namespace.
doctest_test_doctest_blocks = ""

html_theme = "furo"
html_title = "iptcore"
html_static_path = ["_static"]
