"""Sphinx directive ``verified-by``: the claims, checks and tests behind a derivation.

In a MyST page::

    ```{verified-by} GAN14-P1 GAN14-P1-GAUSS
    ```

renders a "Verified by" box listing each claim (linked to its catalogue entry), every check
registered for it (linked to the check function in the API reference, with what it compares)
and the commands that run them. The box is built from :func:`gantheory.claims.registry` when
the docs build, so a check added to a claim shows up without editing the page; an unknown claim
ID is a build error.
"""

from __future__ import annotations

import importlib
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from gantheory.catalogue import checks_markdown, tutorials_markdown
from gantheory.claims import get_claim


class VerifiedBy(SphinxDirective):
    """``{verified-by} ID [ID ...]``: a box with the claims' checks and how to run them."""

    required_arguments = 1
    optional_arguments = 20
    has_content = False

    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        for claim_id in self.arguments:
            try:
                claim = get_claim(claim_id)
            except KeyError as exc:
                raise self.error(f"verified-by: {exc.args[0]}") from None
            lines += checks_markdown(claim)
        box = nodes.admonition(classes=["note", "verified-by"])
        box += nodes.title(text="Verified by")
        self.state.nested_parse(StringList(lines, source="verified-by"), self.content_offset, box)
        return [box]


class TutorialTexts(SphinxDirective):
    """``{tutorial-texts}``: a section per tutorial text (what it is, how to cite it, what it
    derives, where it slips) with the claims that check it, from :mod:`gantheory.tutorials` and
    the claim registry."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["tutorial-texts"])
        lines = StringList(tutorials_markdown(), source="tutorial-texts")
        self.state.nested_parse(lines, self.content_offset, container, match_titles=True)
        return container.children


_LITERAL = re.compile(r"(``.*?``|:[a-z:]+:`[^`]*`|`[^`]*`)")


def _escape_bars(line: str) -> str:
    """Escape ``|`` outside literals and roles: ``|x|`` means an absolute value in the plain-text
    docstrings of gantheory, not a reStructuredText substitution."""
    parts = _LITERAL.split(line)
    return "".join(
        part if i % 2 else re.sub(r"(?<!\\)\|", r"\\|", part) for i, part in enumerate(parts)
    )


_SECTIONS = {"Parameters", "Attributes", "Other Parameters"}
_ENTRY = re.compile(r"^\s*\**[A-Za-z_][\w, *]*(\s:\s|\s*$)")


def join_wrapped_entries(lines: list[str]) -> None:
    """Join an entry line of a NumPy section that wraps back to the entry's own indentation.

    NumPy docstrings write ``name : type`` at the section's indentation and indent the
    description; a type that wraps onto an unindented line (``W, b : views of W_aug; ... by``
    / ``:meth:`backward`.``) ends napoleon's field list early, which Sphinx reports as a
    warning. Such a line is joined to the previous one.
    """
    i, section_indent = 0, None
    while i < len(lines):
        stripped = lines[i].strip()
        indent = len(lines[i]) - len(lines[i].lstrip())
        if i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}:  # a section header
            section_indent = indent if stripped in _SECTIONS else None
            i += 2
            continue
        if section_indent is not None and stripped:
            if indent < section_indent:
                section_indent = None
            elif (
                indent == section_indent
                and not _ENTRY.match(lines[i])
                and lines[i - 1].strip()
                and set(lines[i - 1].strip()) != {"-"}
                and len(lines[i - 1]) - len(lines[i - 1].lstrip()) == section_indent
            ):
                lines[i - 1] = lines[i - 1].rstrip() + " " + stripped
                del lines[i]
                continue
        i += 1


def escape_absolute_values(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """``autodoc-process-docstring`` hook: apply :func:`_escape_bars` to prose lines (not to
    ``.. math::`` blocks, literal blocks after ``::`` or doctest lines)."""
    join_wrapped_entries(lines)
    in_block, block_indent = False, 0
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if in_block:
            if stripped and indent <= block_indent:
                in_block = False
            else:
                continue
        if stripped.startswith((">>>", "...")):
            continue
        if stripped.startswith(".. math::") or stripped.endswith("::"):
            in_block, block_indent = True, indent
            if stripped.startswith(".. math::"):
                continue
        lines[i] = _escape_bars(line)


def own_source_only(app: Sphinx, modname: str, attribute: str) -> str:
    """``viewcode-follow-imported`` hook: link a documented object to the source of the module
    it is documented in, never to a module it was imported from.

    A class documented in two modules (``GANConfig`` in ``gantheory.gan_config``, where it is
    defined, and in ``gantheory.gan``, which re-exports it) would otherwise be registered twice
    under one short name, and the source page's link back to the docs would point at the wrong
    page; an object whose ``__module__`` is ``builtins`` would put a link to a source page that
    is never written into the index of source pages. With this hook a re-exported name gets no
    source link in the module that re-exports it (the defining module's page has one).

    The exception is a name a package re-exports from one of its private modules (the records
    and the registry of ``gantheory.claims``, defined in ``gantheory.claims._records``, ...):
    it is documented only in the package, so it links to the private module's source.
    """
    top = getattr(importlib.import_module(modname), attribute.split(".")[0], None)
    defined_in = getattr(top, "__module__", None)  # a method's or property's: its class's
    if isinstance(defined_in, str) and defined_in.startswith(f"{modname}._"):
        return defined_in
    return modname


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("verified-by", VerifiedBy)
    app.add_directive("tutorial-texts", TutorialTexts)
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", escape_absolute_values)
    app.setup_extension("sphinx.ext.viewcode")
    app.connect("viewcode-follow-imported", own_source_only)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
