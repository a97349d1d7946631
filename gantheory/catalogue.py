"""The claims catalogue of the documentation, generated from the registry.

``docs/claims.md`` is written by this module from :func:`gantheory.claims.registry` and committed;
``tests/test_docs.py`` fails when the committed file differs from what the registry gives now, so
a claim added, renamed or re-checked shows up in the docs (regenerate, then commit)::

    python -m gantheory.catalogue docs/claims.md            # (re)write the catalogue
    python -m gantheory.catalogue --check docs/claims.md    # exit 1 if it is stale

Every claim gets a section whose HTML anchor is its ID in lower case, so coursework can link
``.../claims.html#gan14-p1``. The output is MyST Markdown for Sphinx (``{math}``, ``{cite:t}``,
``{py:func}`` roles); it depends only on the registry, never on the time or the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from gantheory._extras import install_hint
from gantheory.claims import CHECK_KINDS, Check, Claim, registry
from gantheory.tutorials import TUTORIALS, TutorialText, get_tutorial

__all__ = [
    "anchor",
    "checks_markdown",
    "main",
    "pytest_node_id",
    "render",
    "tutorial_anchor",
    "tutorials_markdown",
]

_MD_SPECIAL = "\\`*_[]<>|$#~{}"


def anchor(claim_id: str) -> str:
    """The HTML anchor of a claim in the catalogue: its ID in lower case.

    Examples
    --------
    >>> anchor("GAN14-P1")
    'gan14-p1'
    """
    return claim_id.lower()


def tutorial_anchor(key: str) -> str:
    """The label of a tutorial text's section on the docs page "Tutorial texts".

    Examples
    --------
    >>> tutorial_anchor("ganmathideas2017")
    'tutorial-ganmathideas2017'
    """
    return f"tutorial-{key}"


def _tutorial_ref(t: TutorialText) -> str:
    """A link to a tutorial text's section, by its English title, and its citation."""
    return f"{{ref}}`{_text(t.english)} <{tutorial_anchor(t.key)}>` {{cite:p}}`{t.key}`"


def tutorials_markdown(claims: Iterable[Claim] | None = None) -> list[str]:
    """MyST Markdown for the docs page "Tutorial texts": one section per text.

    Each section says what the text is (its title as it gives it, kind, date, origin), how it
    is cited, what it derives and where it slips, and lists the claims (of ``claims``, default
    the whole registry) that check its derivations, linked to their catalogue entries.
    """
    claims = list(registry() if claims is None else claims)
    lines: list[str] = []
    for t in TUTORIALS:
        checked = [c for c in claims if t.key in c.tutorials]
        lines += [
            f"({tutorial_anchor(t.key)})=",
            f"## {_text(t.english)}",
            "",
            f"- **Title as the text gives it:** {_text(t.title)}",
            f"- **What it is:** {_text(t.kind)}.",
            f"- **Cite as:** {{cite:t}}`{t.key}` (BibTeX key {_code(t.key)}).",
            f"- **What it derives:** {_text(t.contents)}",
        ]
        if t.slips:
            lines.append(f"- **Where it slips:** {_text(t.slips)}")
        if checked:
            lines.append(
                "- **Claims that check it:** "
                + ", ".join(f"{{ref}}`{c.id} <{anchor(c.id)}>` ({_text(c.title)})"
                            for c in checked)
            )
        else:
            lines.append("- **Claims that check it:** none yet.")
        lines.append("")
    return lines


def pytest_node_id(chk: Check) -> str:
    """The pytest node ID of a check in ``tests/test_claims.py``.

    Examples
    --------
    >>> from gantheory.claims import get_claim
    >>> pytest_node_id(get_claim("GAN14-P1").checks[0])
    "tests/test_claims.py::test_check[GAN14-P1[symbolic:D* derived by solving f'(y) = 0]]"
    """
    return f"tests/test_claims.py::test_check[{chk.claim_id}[{chk.kind}:{chk.name}]]"


def _text(s: str) -> str:
    """Escape Markdown's special characters in plain text."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


def _code(s: str) -> str:
    """An inline code span holding ``s``."""
    ticks = "``" if "`" in s else "`"
    body = s
    pad = " " if ticks == "``" else ""
    return f"{ticks}{pad}{body}{pad}{ticks}"


def _kinds(claim: Claim) -> list[str]:
    return sorted({k.kind for k in claim.checks}, key=CHECK_KINDS.index)


def checks_markdown(claim: Claim) -> list[str]:
    """A Markdown bullet list of ``claim``'s checks, for the derivations' "Verified by" boxes.

    One bullet for the claim (linked to its catalogue entry, with the commands that run its
    checks) and one nested bullet per check (kind, linked check function, what it compares).
    """
    n = len(claim.checks)
    lines = [
        f"- {{ref}}`{claim.id} <{anchor(claim.id)}>` ({_text(claim.title)}): "
        f"{n} check{'s' if n != 1 else ''}; run {_run_commands(claim)}",
    ]
    for k in claim.checks:
        func = f"{k.func.__module__}.{k.func.__qualname__}"
        lines.append(
            f"  - *{k.kind}{_marks(k)}*: {{py:func}}`{func.removeprefix('gantheory.')} <{func}>`"
            f" — {_text(k.doc)}"
        )
    return lines


def _marks(k: Check) -> str:
    """``", slow"`` and the extras a check needs, after its kind."""
    return (", slow" if k.slow else "") + "".join(f", needs the {e} extra" for e in k.requires)


def _run_commands(c: Claim) -> str:
    """The commands that run every check of ``c`` (``--slow`` / ``-m slow`` when it has slow
    ones), and the extra to install first when its checks need one."""
    slow = any(k.slow for k in c.checks)
    extras = tuple(sorted({e for k in c.checks for e in k.requires}))
    flag, mark = (" --slow", ' -m "slow or not slow"') if slow else ("", "")
    first = f"after `{install_hint(extras)}`, " if extras else ""
    return (f"{first}`gantheory verify -v{flag} --claim {c.id}` or "
            f"`pytest{mark} tests/test_claims.py -k \"{c.id}[\"`")


def _summary(claims: Sequence[Claim]) -> list[str]:
    lines = [
        "| ID | title | source | checks |",
        "|---|---|---|---|",
    ]
    for c in claims:
        neg = " (negative)" if c.negative else ""
        lines.append(
            f"| {{ref}}`{c.id} <{anchor(c.id)}>` | {_text(c.title)}{neg} "
            f"| {{cite:t}}`{c.source}` | {', '.join(_kinds(c))} |"
        )
    return lines


def _claim_section(c: Claim) -> list[str]:
    lines = [
        f"({anchor(c.id)})=",
        f"## {c.id}: {_text(c.title)}",
        "",
        "```{math}",
        c.statement,
        "```",
        "",
        f"- **Source:** {_text(c.reference)} {{cite:p}}`{c.source}`",
    ]
    if c.tutorials:
        lines.append(
            "- **Tutorial texts** whose derivation this claim checks: "
            + ", ".join(_tutorial_ref(get_tutorial(k)) for k in c.tutorials)
        )
    if c.negative:
        lines.append(
            "- **Negative claim:** the statement says a property *fails*; its checks search for "
            "a counterexample and pass when they find one, which `gantheory verify` prints."
        )
    lines += [
        f"- **Cite as:** claim {_code(c.id)} of gantheory (the version you used), "
        f"`claims.html#{anchor(c.id)}`; see {{doc}}`cite`.",
        f"- **Run its checks:** {_run_commands(c)}",
    ]
    if not c.checks:
        return [*lines, "- *No checks are registered for this claim yet.*", ""]
    lines.append("- **Checks:**")
    for k in c.checks:
        func = f"{k.func.__module__}.{k.func.__qualname__}"
        lines += [
            f"  - *{k.kind}{_marks(k)}* {_code(k.name)}: {_text(k.doc)}\\",
            f"    function {{py:func}}`{func.removeprefix('gantheory.')} <{func}>`; "
            f"test {_code(pytest_node_id(k))}",
        ]
    return [*lines, ""]


def render(claims: Iterable[Claim] | None = None) -> str:
    """The catalogue page (MyST Markdown) for ``claims`` (default: the whole registry).

    Examples
    --------
    >>> page = render()
    >>> "(gan14-p1)=" in page and "## GAN14-T1: " in page
    True
    """
    claims = list(registry() if claims is None else claims)
    n_checks = sum(len(c.checks) for c in claims)
    lines = [
        "<!-- Generated from the claims in gantheory/claims/ by",
        "     `python -m gantheory.catalogue docs/claims.md`.",
        "     Do not edit: regenerate it (tests/test_docs.py fails when it is stale). -->",
        "",
        "(claims)=",
        "# Claims catalogue",
        "",
        f"gantheory verifies {len(claims)} claims with {n_checks} checks. Each claim has a "
        "stable ID that never changes meaning; link a claim as `claims.html#<id in lower case>` "
        "(for example {ref}`GAN14-P1 <gan14-p1>` is `claims.html#gan14-p1`) and cite it as "
        "described in {doc}`cite`. Each check is a function (linked to its source) and a pytest "
        "test (its node ID is given), and `gantheory verify` runs them all; the derivations "
        "behind the claims are in {doc}`derivations`, and the tutorial texts whose derivations "
        "they check are described in {doc}`tutorials`.",
        "",
        "Check kinds: *symbolic* (exact, SymPy), *discrete* (exact sums on fixed cases), "
        "*continuous* (error-bounded quadrature on fixed cases), *property* (Hypothesis, many "
        "random cases), *empirical* (a trained NumPy GAN).",
        "",
        *_summary(claims),
        "",
    ]
    for c in claims:
        lines += _claim_section(c)
    return "\n".join(lines).rstrip("\n") + "\n"


#: The index of check kinds per claim that ``gantheory list`` reads instead of importing every
#: check (see :func:`kinds_index`); written next to the registry with the catalogue.
KINDS_INDEX = Path(__file__).resolve().parent / "claims" / "_kinds.py"


def kinds_index(claims: Iterable[Claim] | None = None) -> str:
    """The source of :mod:`gantheory.claims._kinds`: the kinds of check of every claim, in
    catalogue order, so that ``gantheory list`` answers without importing the checks (SymPy,
    SciPy's distributions, Hypothesis)."""
    claims = list(registry() if claims is None else claims)
    lines = [
        '"""The kinds of check of every claim, for ``gantheory list`` (which then need not import',
        "the checks). Generated from the registry with the catalogue, by",
        "``python -m gantheory.catalogue docs/claims.md``; do not edit.",
        '"""',
        "",
        "KINDS: dict[str, tuple[str, ...]] = {",
    ]
    for c in claims:
        kinds = sorted({k.kind for k in c.checks}, key=CHECK_KINDS.index)
        inner = ", ".join(f'"{k}"' for k in kinds) + ("," if len(kinds) == 1 else "")
        lines.append(f'    "{c.id}": ({inner}),')
    return "\n".join([*lines, "}", ""])


def main(argv: Sequence[str] | None = None) -> int:
    """Write the catalogue to a file, or with ``--check`` report whether it is stale."""
    parser = argparse.ArgumentParser(
        prog="python -m gantheory.catalogue",
        description="Generate the docs' claims catalogue (and the index of check kinds that"
        " `gantheory list` reads) from the claim registry.",
    )
    parser.add_argument("output", type=Path, help="the Markdown file, e.g. docs/claims.md")
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the file is stale"
    )
    args = parser.parse_args(argv)
    outputs = {args.output: render(), KINDS_INDEX: kinds_index()}
    if args.check:
        stale = [p for p, text in outputs.items()
                 if (p.read_text(encoding="utf-8") if p.exists() else "") != text]
        for p in stale:
            print(f"{p} is stale: regenerate it with "
                  f"`python -m gantheory.catalogue {args.output}`", file=sys.stderr)
        if stale:
            return 1
        print(f"{args.output} is up to date ({len(registry())} claims)")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(registry())} claims) and the index of check kinds")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
