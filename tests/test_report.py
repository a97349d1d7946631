"""``gantheory report``: the PDF opens, has the expected pages, and carries every claim, its
checks' residuals and tolerances, failures and errors, the environment, and the figures.

The checks are not run here (that is ``gantheory verify``'s and test_claims.py's job, and CI
runs ``gantheory report`` in full): the report is fed synthetic results for real claims.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.mathtext import MathTextParser
from pypdf import PdfReader

from gantheory import cli
from gantheory._pdf_layout import Writer
from gantheory.claims import Check, CheckResult, CheckRun, get_claim, registry
from gantheory.report import Environment, git_commit, mathtext, write_report

ENV = Environment(
    version="9.8.7", commit="0123456789abcdef0123456789abcdef01234567",
    date="2031-01-02 03:04:05 UTC", platform="TestOS-1.0", python="CPython 3.99",
    packages={"numpy": "1.0"},
)


def _run(claim_id: str, kind: str, name: str, result: CheckResult | None,
         error: str | None = None) -> CheckRun:
    chk = Check(claim_id, kind, name, lambda: CheckResult(0.0, 0.0))
    return CheckRun(chk, result, error, 0.01)


def _passing(claim_id: str) -> list[CheckRun]:
    return [
        _run(claim_id, k.kind, k.name, CheckResult(1.5e-16, 4.4e-16, cases=3,
             detail="max |a - b|", tolerance_reason="2 eps"))
        for k in get_claim(claim_id).checks
    ]


def _text(path: Path) -> tuple[int, list[str]]:
    reader = PdfReader(path)
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def test_report_pages_statuses_residuals_and_environment(tmp_path: Path) -> None:
    t1, asym = get_claim("GAN14-T1"), get_claim("CT06-KL-ASYM")
    results = [
        (t1, [
            _run("GAN14-T1", "discrete", "C(G) = -log 4 + 2 JSD",
                 CheckResult(1.1e-16, 4.1e-15, cases=10, detail="max |C - (-log 4 + 2 JSD)|",
                             tolerance_reason="sum of rounding bounds")),
            _run("GAN14-T1", "continuous", "C(G) = -log 4 + 2 JSD",
                 CheckResult(3.0e-9, 1.0e-12, cases=10, detail="quadrature",
                             tolerance_reason="error estimates")),
            _run("GAN14-T1", "property", "boom", None, error="ArithmeticError: no convergence"),
        ]),
        (asym, [
            _run("CT06-KL-ASYM", "property", "search", CheckResult(
                2.3e-3, 2.1e-12, cases=136, relation=">=",
                counterexample="p = [0.5, 0.5], q = [2/3, 1/3]")),
        ]),
    ]
    out = write_report(tmp_path / "sub" / "r.pdf", results, figures=False, env=ENV)
    n_pages, pages = _text(out)
    assert n_pages == 2  # the title page and one page of claims
    title, claims = _flat(pages[0]), _flat(pages[1])
    for s in ("gantheory verification report", "9.8.7", ENV.commit, ENV.date, "TestOS-1.0",
              "CPython 3.99", "2 CHECK(S) FAILED", "2 claims, 4 checks, 2 passed, 2 failed",
              "GAN14-T1", "CT06-KL-ASYM", "ERROR in boom"):
        assert s in title, s
    for s in ("GAN14-T1", "FAIL: 1/3 checks passed", "[FAIL] continuous",
              "3.00e-09 <= tolerance 1.00e-12", "error: ArithmeticError: no convergence",
              "Goodfellow et al. 2014, Theorem 1 [goodfellow2014generative]",
              "tolerance: error estimates", "CT06-KL-ASYM", "PASS: 1/1 checks passed",
              "negative claim", "2.30e-03 >= tolerance 2.10e-12", "counterexample: p = [0.5, 0.5]"):
        assert s in claims, s
    # every page carries the footer with version, date and commit, and its number
    for i, page in enumerate(pages, 1):
        assert f"gantheory 9.8.7 verification report, {ENV.date}, commit 0123456789ab" in page
        assert f"page {i}" in page
    info = PdfReader(out).metadata
    assert info is not None and info.title == "gantheory verification report"


def test_report_has_every_registered_claim(tmp_path: Path) -> None:
    results = [(c, _passing(c.id)) for c in registry()]
    out = write_report(tmp_path / "all.pdf", results, figures=False, env=ENV)
    n_pages, pages = _text(out)
    text = _flat(" ".join(pages))
    assert n_pages >= 2 and "ALL CHECKS PASSED" in text and "Figure 1" not in text
    for claim in registry():
        assert claim.id in _flat(pages[0]), f"{claim.id} missing from the summary"
        assert f"{claim.id} {claim.title}" in text, claim.id
        assert claim.reference in text, claim.id
        assert f"PASS: {len(claim.checks)}/{len(claim.checks)} checks passed" in text, claim.id


@pytest.mark.slow
def test_report_figures(tmp_path: Path) -> None:
    out = write_report(tmp_path / "fig.pdf", [], figures=True, figure_points=5, env=ENV)
    n_pages, pages = _text(out)
    assert n_pages == 2 + 3  # title page, (empty) claims page, three figure pages
    for i, claims in enumerate(("GAN14-P1", "GAN14-T1", "LIN91-JSD-BOUNDS")):
        assert re.search(rf"Figure {i + 1} \(claims? {claims}", _flat(pages[2 + i]))


def test_every_statement_typesets_with_mathtext_within_the_page(tmp_path: Path) -> None:
    parser = MathTextParser("path")
    with PdfPages(tmp_path / "m.pdf") as pdf:
        writer = Writer(pdf, "footer")
        for claim in registry():
            parser.parse(f"${mathtext(claim.statement)}$")  # raises ValueError if it cannot
            assert writer.math(claim.statement), f"{claim.id}: typeset as LaTeX source"
        writer.finish_page()


def test_a_claim_whose_checks_are_all_slow_is_marked_not_run(tmp_path: Path) -> None:
    from dataclasses import replace

    chk = Check("XX99-S", "empirical", "long", lambda: CheckResult(0.0, 0.0), slow=True)
    claim = replace(get_claim("LIN91-JSD-SYM"), id="XX99-S", checks=(chk,))
    out = write_report(tmp_path / "s.pdf", [(claim, [])], figures=False, env=ENV)
    _, pages = _text(out)
    assert "NOT RUN: its 1 check(s) are slow (gantheory report --slow)" in _flat(pages[1])
    title = _flat(pages[0])
    assert "NO CHECKS RUN: 1 claims, 0 checks, 0 passed, 0 failed, 1 not run" in title
    assert "PASSED" not in title  # nothing failed, but nothing was verified either
    row = next(line for line in pages[0].splitlines() if line.startswith("XX99-S"))
    assert row.split()[-5:] == ["skip", "not", "run:", "slow", "only"], row


def test_an_unparsable_statement_falls_back_to_its_latex_source(tmp_path: Path) -> None:
    from dataclasses import replace

    odd = replace(get_claim("LIN91-JSD-SYM"), statement=r"\unknownmacro{x} = 1")
    out = write_report(tmp_path / "odd.pdf", [(odd, [])], figures=False, env=ENV)
    _, pages = _text(out)
    assert r"\unknownmacro{x} = 1" in pages[1]
    assert "NOT RUN: no results for this claim" in _flat(pages[1])


def test_git_commit_never_fails(tmp_path: Path) -> None:
    assert git_commit(tmp_path) is None  # not a checkout
    assert git_commit(tmp_path / "missing") is None
    root = Path(__file__).resolve().parents[1]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert git_commit(root).split(" ")[0] == head


def test_cli_report_writes_the_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {}

    def fake_iter_claims(claims: list, include_slow: bool, jobs: int = 1) -> Iterator:
        seen.update(ids=[c.id for c in claims], slow=include_slow)
        for c in claims:
            yield c, _passing(c.id)

    monkeypatch.setattr(cli, "iter_claims", fake_iter_claims)
    out = tmp_path / "bce.pdf"
    argv = ["report", "--claim", "gan14-bce", "--slow", "--no-figures", "-o", str(out)]
    assert cli.main(argv) == 0
    assert seen == {"ids": ["GAN14-BCE"], "slow": True}
    assert f"wrote {out}: 1 claims" in capsys.readouterr().out
    _, pages = _text(out)
    assert "GAN14-BCE" in pages[1] and "[pass] symbolic" in pages[1]


def test_cli_report_shows_progress_per_claim_as_it_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One line per claim on standard error, printed when that claim is done: before the next
    claim runs, not when the PDF is written."""
    seen_before: dict[str, str] = {}

    def fake_iter_claims(claims: list, include_slow: bool, jobs: int = 1) -> Iterator:
        for c in claims:
            seen_before[c.id] = capsys.readouterr().err  # what was printed before c ran
            yield c, (_passing(c.id) if c.id != "CT06-GIBBS" else [
                _run(c.id, "discrete", "kl", CheckResult(1.0, 0.0))])

    monkeypatch.setattr(cli, "iter_claims", fake_iter_claims)
    argv = ["report", "--claim", "GAN14-BCE", "--claim", "CT06-GIBBS", "--claim",
            "LIN91-JSD-SYM", "--no-figures", "-o", str(tmp_path / "p.pdf")]
    assert cli.main(argv) == 1
    rest = capsys.readouterr().err
    assert "running the checks of 3 claims (fast checks" in seen_before["GAN14-BCE"]
    n_bce = len(get_claim("GAN14-BCE").checks)
    assert seen_before["CT06-GIBBS"].strip() == f"[1/3] GAN14-BCE: passed ({n_bce} checks in 0.0 s)"
    n_gibbs = len(get_claim("CT06-GIBBS").checks)  # the fake run "kl" is none of them
    assert seen_before["LIN91-JSD-SYM"].strip() == (
        f"[2/3] CT06-GIBBS: failed (1 check in 0.0 s; {n_gibbs} not run)")
    assert rest.splitlines()[0].startswith("[3/3] LIN91-JSD-SYM: passed")
    assert "writing the PDF" in rest


def test_cli_report_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.main(["report", "--claim", "NOPE-1", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "unknown claim ID" in capsys.readouterr().err
    failing = [(get_claim("CT06-GIBBS"), [_run("CT06-GIBBS", "discrete", "kl",
                                               CheckResult(1.0, 0.0))])]
    monkeypatch.setattr(cli, "iter_claims", lambda claims, include_slow, jobs=1: iter(failing))
    out = tmp_path / "fail.pdf"
    assert cli.main(["report", "--no-figures", "-o", str(out)]) == 1
    assert out.exists() and "1 failed" in capsys.readouterr().out


def test_a_claim_whose_extra_is_missing_says_which_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from gantheory import _extras

    monkeypatch.setitem(_extras.EXTRAS, "images", "gantheory_no_such_module")
    chk = Check("XX99-E", "empirical", "digits", lambda: CheckResult(0.0, 0.0), slow=True,
                requires=("images",))
    claim = replace(get_claim("LIN91-JSD-SYM"), id="XX99-E", checks=(chk,))
    out = write_report(tmp_path / "e.pdf", [(claim, [])], figures=False, env=ENV)
    _, pages = _text(out)
    hint = 'pip install "gantheory[images]"'
    assert f"NOT RUN: its checks need the images extra ({hint})" in _flat(pages[1])
    assert f"1 not run ({hint} installs what the others need)" in _flat(pages[0])
    row = next(line for line in pages[0].splitlines() if line.startswith("XX99-E"))
    assert row.split()[-5:] == ["not", "run:", "needs", "an", "extra"], row
