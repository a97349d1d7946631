"""What a user reads speaks of the theory only: no internal issue numbers, and the tutorial texts
are cited by their titles, never by the hash file names they were stored under.

Covered: the docs sources (hand-written pages, the bibliography, the Sphinx extension), the
generated claims catalogue and tutorial-texts page, the README and CITATION.cff, the notebooks'
markdown and text outputs, the output of ``gantheory list`` and ``gantheory verify -v``, the
text of the PDF report, and the docstrings of gantheory's modules and public objects.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import gantheory
from gantheory import catalogue
from gantheory.claims import Check, CheckResult, CheckRun, registry
from gantheory.cli import main
from gantheory.report import Environment, write_report

ROOT = Path(__file__).resolve().parents[1]

#: "issue 5", "Issue #12", "issues 3" — internal tracker references.
ISSUE = re.compile(r"\bissues?\s*#?\s*\d+", re.IGNORECASE)
#: "000_47aabdc649081096.txt" — a tutorial text's storage name (three digits, 16 hex digits).
HASH_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\b(?:\.txt)?")

#: Modules whose text other changes are cleaning at the same time; drop an entry once its
#: module is clean (the test then covers it).
_CLEANED_ELSEWHERE: set[str] = set()


def internal_references(text: str) -> list[str]:
    """Every issue number or hash file name in ``text``, with a little context."""
    found = []
    for pattern in (ISSUE, HASH_NAME):
        for m in pattern.finditer(text):
            found.append(text[max(0, m.start() - 30) : m.end() + 10].replace("\n", " "))
    return found


def test_the_patterns_catch_what_they_should() -> None:
    assert internal_references("as issue 5 states") and internal_references("Issue #12")
    assert internal_references("seed `001_ad4cab320465041a.txt` eq. 3")
    assert internal_references("see 004_a316b7f5b1381d9e")
    assert not internal_references("5 issues remain; seed 0 of 5; file 000_abc.txt; GAN14-P1")


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
_SKIP_DIRS = {"_build", "notebooks", "api", "_vendor", "__pycache__"}  # built or copied


def _docs_sources() -> list[Path]:
    docs = ROOT / "docs"
    return sorted(
        p for p in docs.rglob("*")
        if p.is_file() and not _SKIP_DIRS & set(p.relative_to(docs).parts[:-1])
        and p.suffix in {".md", ".rst", ".bib", ".py", ".css", ".html", ".txt"}
    )


@pytest.mark.parametrize(
    "path",
    [*_docs_sources(), ROOT / "README.md", ROOT / "CITATION.cff"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_docs_sources_and_readme(path: Path) -> None:
    assert not internal_references(path.read_text(encoding="utf-8")), path


def test_the_docs_sources_are_found() -> None:
    names = {p.relative_to(ROOT / "docs").as_posix() for p in _docs_sources()}
    assert {"claims.md", "derivations.md", "tutorials.md", "references.bib", "conf.py",
            "_ext/gantheory_docs.py"} <= names


def test_generated_pages() -> None:
    assert not internal_references(catalogue.render())
    assert not internal_references("\n".join(catalogue.tutorials_markdown()))


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name
)
def test_notebook_markdown_and_text_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            texts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            texts.append("".join(out.get("text", "")))
            for mime in ("text/plain", "text/markdown"):
                texts.append("".join(out.get("data", {}).get(mime, "")))
    assert not internal_references("\n".join(texts)), path.name


# ---------------------------------------------------------------------------------------------
# Docstrings
# ---------------------------------------------------------------------------------------------
def _modules() -> list[str]:
    names = ["gantheory"]
    for info in pkgutil.walk_packages(gantheory.__path__, "gantheory."):
        if info.name != "gantheory.__main__":
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", [n for n in _modules() if n not in _CLEANED_ELSEWHERE])
def test_docstrings(name: str) -> None:
    module = importlib.import_module(name)
    docs = [module.__doc__ or ""]
    for attr, obj in vars(module).items():
        if attr.startswith("_") or getattr(obj, "__module__", None) != name:
            continue
        docs.append(inspect.getdoc(obj) or "")
        if inspect.isclass(obj):
            docs += [inspect.getdoc(m) or "" for k, m in vars(obj).items()
                     if not k.startswith("_") and callable(m)]
    assert not internal_references("\n".join(docs)), name


# ---------------------------------------------------------------------------------------------
# Command line and report
# ---------------------------------------------------------------------------------------------
def _fake_runs() -> list[tuple]:
    """Every registered check "run" with a passing result (names and docs are the real ones)."""
    return [
        (c, [CheckRun(k, CheckResult(0.0, 1.0, detail=k.doc), None, 0.0) for k in c.checks])
        for c in registry()
    ]


def test_cli_list_and_verify_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["list"]) == 0
    listing = capsys.readouterr().out
    assert "GAN14-P1" in listing and not internal_references(listing)
    # a real run of a claim's checks, with what they compared and why their tolerances are
    assert main(["verify", "-v", "--claim", "LIN91-JSD-SYM", "--claim", "CT06-GIBBS"]) == 0
    real = capsys.readouterr().out
    assert "tolerance:" in real and not internal_references(real)
    # every claim and check name, from the registry
    from gantheory import cli

    monkeypatch.setattr(cli, "iter_claims", lambda claims, include_slow, jobs=1: iter(_fake_runs()))
    assert main(["verify", "-v", "--slow"]) == 0
    every = capsys.readouterr().out
    assert all(c.id in every for c in registry()) and not internal_references(every)


def test_report_text(tmp_path: Path) -> None:
    env = Environment(version="0.0.0", commit=None, date="2030-01-01 00:00:00 UTC",
                      platform="TestOS", python="CPython 3.99")
    out = write_report(tmp_path / "r.pdf", _fake_runs(), figures=False, env=env)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Tutorial texts whose derivation it checks" in text
    assert not internal_references(text)


@pytest.mark.slow
def test_report_figure_captions(tmp_path: Path) -> None:
    env = Environment(version="0.0.0", commit=None, date="2030-01-01 00:00:00 UTC",
                      platform="TestOS", python="CPython 3.99")
    out = write_report(tmp_path / "f.pdf", [], figures=True, figure_points=5, env=env)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Figure 3" in text and not internal_references(text)


def test_a_leak_would_be_caught(tmp_path: Path) -> None:
    """The report test reads the PDF's text: a check named after an issue shows up there."""
    claim = registry()[0]
    leaky = Check(claim.id, "discrete", "bound of issue 5", lambda: CheckResult(0.0, 1.0))
    runs = [(claim, [CheckRun(leaky, CheckResult(0.0, 1.0), None, 0.0)])]
    env = Environment(version="0.0.0", commit=None, date="d", platform="p", python="py")
    out = write_report(tmp_path / "leak.pdf", runs, figures=False, env=env)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert internal_references(text)
