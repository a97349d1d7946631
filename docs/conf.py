"""Sphinx configuration of the gantheory documentation.

Build (offline, warnings as errors)::

    pip install -e ".[docs,notebooks]"
    sphinx-build -W --keep-going -b html docs docs/_build/html

The formulas are typeset by MathJax 3 from a local copy, so the built site reads offline: make
it once with ``python tools/fetch_mathjax.py`` (into ``docs/_vendor/mathjax``, git-ignored); the
build copies it to ``_static/mathjax``. Without the copy the build still succeeds, says so on
standard error, and the pages load MathJax from a CDN (they then need a network connection to
show their formulas); with ``GANTHEORY_DOCS_OFFLINE=1`` a missing copy is an error (CI sets it).

The notebooks are rendered from their committed outputs (``nb_execution_mode = "off"``): they are
copied from ``../notebooks`` into ``docs/notebooks`` (git-ignored) when the build starts. The
claims catalogue ``claims.md`` is generated from the registry by
``python -m gantheory.catalogue docs/claims.md`` and committed; ``tests/test_docs.py`` fails when
it is stale.
"""

from __future__ import annotations

import os
import shutil
import sys
import types
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # document the checkout, not whatever is installed

import gantheory  # noqa: E402

# gantheory/__main__.py runs the command line when imported; autosummary imports every submodule
# while it looks for them, so stand in an empty module for it.
sys.modules.setdefault("gantheory.__main__", types.ModuleType("gantheory.__main__"))


def _copy_notebooks() -> None:
    """Copy ../notebooks/*.ipynb to docs/notebooks/ (mtimes kept, stale copies removed)."""
    src, dst = ROOT / "notebooks", DOCS / "notebooks"
    dst.mkdir(exist_ok=True)
    wanted = {p.name for p in src.glob("*.ipynb")}
    for old in dst.glob("*.ipynb"):
        if old.name not in wanted:
            old.unlink()
    for nb in sorted(src.glob("*.ipynb")):
        target = dst / nb.name
        if not target.exists() or target.read_bytes() != nb.read_bytes():
            shutil.copy2(nb, target)


_copy_notebooks()

# -- Project -------------------------------------------------------------------------------------
project = "gantheory"
author = "The gantheory developers"
copyright = "the gantheory developers, MIT License"
version = release = gantheory.__version__

# -- General -------------------------------------------------------------------------------------
sys.path.insert(0, str(DOCS / "_ext"))  # the verified-by directive
extensions = [
    "gantheory_docs",
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "sphinxcontrib.bibtex",
]
# .rst first: autosummary writes its stubs with the first suffix.
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
templates_path = ["_templates"]
exclude_patterns = ["_build", "_vendor", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# MyST: $...$ and $$...$$ (label) math, numbered equations referenced with {eq}`label`.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_dmath_double_inline = True
math_numfig = True
numfig = True
math_eqref_format = "({number})"

# MyST-NB: render the committed outputs, never execute at build time.
nb_execution_mode = "off"
nb_merge_streams = True
nb_render_markdown_format = "myst"  # text/markdown outputs (SymPy derivation steps) carry $$ math

# Bibliography.
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# API reference from the NumPy docstrings.
autosummary_generate = True
autosummary_imported_members = False
# Packages whose public names are defined in private modules (gantheory.claims re-exports the
# records and the registry from gantheory.claims._records, ...): their page documents those names
# (the package's __all__), above the list of its public modules.
autosummary_context = {"packages_with_members": ["gantheory.claims"]}
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True  # "Attributes" as fields: no second description of dataclass fields
# Words in NumPy type specs ("shape (n,)") are cross-referenced, and a bare name like `n` matches
# several attributes; those ambiguous look-ups are noise, not broken links.
suppress_warnings = ["ref.python"]

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"gantheory {release}"
html_theme_options = {
    "description": "A numerical verification suite of GAN theory",
    "fixed_sidebar": True,
    "page_width": "1180px",
    "sidebar_width": "230px",
}
html_static_path = ["_static"]
html_css_files = ["custom.css"]

# -- MathJax from a local copy (tools/fetch_mathjax.py) -------------------------------------------
VENDOR = DOCS / "_vendor"
MATHJAX = VENDOR / "mathjax" / "tex-mml-chtml.js"
if MATHJAX.is_file():
    html_static_path.append(str(VENDOR))  # _vendor/mathjax/ -> _static/mathjax/
    mathjax_path = "mathjax/tex-mml-chtml.js"  # relative: resolved against _static/
elif os.environ.get("GANTHEORY_DOCS_OFFLINE", "") not in ("", "0"):
    from sphinx.errors import ConfigError

    raise ConfigError(
        f"GANTHEORY_DOCS_OFFLINE is set but there is no local MathJax at {MATHJAX}: "
        "run `python tools/fetch_mathjax.py` first"
    )
else:
    print(
        f"docs: no local MathJax at {MATHJAX.relative_to(ROOT)} (make one with "
        "`python tools/fetch_mathjax.py`); the pages will load MathJax from a CDN and need a "
        "network connection to show their formulas",
        file=sys.stderr,
    )
