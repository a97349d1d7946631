r"""The PDF verification report: ``gantheory report -o verification.pdf``.

A self-contained record of one verification run, for attaching to coursework: the gantheory
version, the git commit when run from a checkout, the date and platform, then every claim with
its statement (typeset with matplotlib's mathtext; plain LaTeX source when mathtext cannot parse
it), source, and each check's residual against its tolerance with the reason for that tolerance,
and finally key figures of the theory — the optimal discriminator of a pair, the identity
:math:`C(G) = -\log 4 + 2\,\mathrm{JSD}` along a family of generators, and the Jensen-Shannon
divergence against the distance between two distributions.

The PDF is written with :class:`matplotlib.backends.backend_pdf.PdfPages` on figures that never
touch pyplot's global state; no LaTeX installation is needed. Fonts are embedded as TrueType so
the text can be searched and copied.
"""

from __future__ import annotations

import datetime as _dt
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from gantheory import __version__
from gantheory._extras import install_hint, missing_extras
from gantheory._pdf_layout import GREEN, GREY, RED, Writer, mathtext
from gantheory.claims import (
    CHECK_KINDS,
    KIND_ABBR,
    CheckRun,
    Claim,
    format_number,
    kind_status,
    not_run,
    registry,
    run_claims,
    worst_run,
)
from gantheory.tutorials import get_tutorial

__all__ = ["Environment", "environment", "mathtext", "write_report"]

Results = Sequence[tuple[Claim, Sequence[CheckRun]]]



# ---------------------------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Environment:
    """Where and when a report was made.

    Attributes
    ----------
    version : str
        ``gantheory.__version__``.
    commit : str or None
        ``git rev-parse HEAD`` of the checkout gantheory was imported from, with ``" (modified)"``
        appended when the work tree has uncommitted changes; None outside a git checkout or
        without git.
    date : str
        UTC date and time, ISO 8601.
    platform : str
        Operating system and machine (:func:`platform.platform`).
    python : str
        Python implementation and version.
    packages : dict of str to str
        Versions of the numerical dependencies.
    """

    version: str
    commit: str | None
    date: str
    platform: str
    python: str
    packages: dict[str, str] = field(default_factory=dict)


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def git_commit(path: Path | None = None) -> str | None:
    """The commit of the git checkout holding ``path`` (default: this package), or None.

    Never raises: no git, not a checkout, or any git error gives None.
    """
    where = Path(path) if path is not None else Path(__file__).resolve().parent
    if not where.exists():
        return None
    commit = _git(["rev-parse", "HEAD"], where)
    if not commit or not re.fullmatch(r"[0-9a-f]{40}", commit):
        return None
    status = _git(["status", "--porcelain", "--untracked-files=no"], where)
    return commit + (" (modified)" if status else "")


def environment() -> Environment:
    """The :class:`Environment` of this process, now."""
    packages = {}
    for name in ("numpy", "scipy", "sympy", "matplotlib", "hypothesis"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "not installed"
    return Environment(
        version=__version__,
        commit=git_commit(),
        date=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        platform=platform.platform(),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        packages=packages,
    )


# ---------------------------------------------------------------------------------------------
# Formatting results
# ---------------------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    return format_number(x, digits=2)


def _claim_passed(runs: Sequence[CheckRun]) -> bool:
    return all(r.passed for r in runs)


def _worst_line(claim: Claim, runs: Sequence[CheckRun]) -> str:
    w = worst_run(runs)
    if w is None:
        if claim.checks and all(missing_extras(k.requires) for k in claim.checks):
            return "not run: needs an extra"
        return "not run: slow only"
    if w.result is None:
        return f"ERROR in {w.check.name}"
    return f"{_fmt(w.result.residual)} {w.result.relation} {_fmt(w.result.tolerance)}"


def _title_page(w: Writer, env: Environment, results: Results, include_slow: bool) -> None:
    w.new_page()
    w.text("gantheory verification report", size=20, weight="bold", gap=0.05)
    w.text("A numerical verification suite of GAN theory: every claim, checked.", size=10,
           color=GREY, gap=0.2)
    n_checks = sum(len(runs) for _, runs in results)
    n_failed = sum(not r.passed for _, runs in results for r in runs)
    n_skipped = sum(len(not_run(c, runs)) for c, runs in results)
    if n_failed:
        verdict, color = f"{n_failed} CHECK(S) FAILED", RED
    elif n_checks == 0:
        verdict, color = "NO CHECKS RUN", GREY
    else:
        verdict = "ALL CHECKS RUN PASSED" if n_skipped else "ALL CHECKS PASSED"
        color = GREEN
    w.text(
        f"{verdict}: {len(results)} claims, "
        f"{n_checks} checks, {n_checks - n_failed} passed, {n_failed} failed"
        + (f", {n_skipped} not run ({_not_run_note(results)})" if n_skipped else ""),
        size=11, weight="bold", color=color, gap=0.15,
    )
    rows = [
        ("gantheory version", env.version),
        ("git commit", env.commit or "not available (not run from a git checkout)"),
        ("date", env.date),
        ("platform", env.platform),
        ("python", env.python),
        ("packages", ", ".join(f"{k} {v}" for k, v in env.packages.items())),
        ("command", "gantheory report " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["report"]
         else "gantheory.report.write_report"),
    ]
    for key, value in rows:
        w.text(f"{key:<18} {value}", size=8.5, mono=True, hang=19)
    w.skip(0.15)
    w.text(
        "How to read this report: each claim is a statement of the theory with a stable ID "
        "(cite it as 'claim GAN14-T1 of gantheory <version>'). Each check compares two "
        "independent computations and reports the worst residual over all the cases it tried "
        "against a tolerance with a stated reason (a multiple of machine epsilon, an "
        "integrator's error estimate, or a statistical bound). A negative claim ('KL is not "
        "symmetric') passes when its check finds a counterexample whose margin is at least the "
        "tolerance (relation >=).", size=8.5, gap=0.15,
    )
    w.text("Summary", size=12, weight="bold", gap=0.05)
    head = f"{'ID':<20}{'title':<38}" + "".join(f"{KIND_ABBR[k]:<5}" for k in CHECK_KINDS)
    w.text(head + " worst residual vs tolerance", size=7, mono=True, weight="bold")
    for claim, runs in results:
        title = claim.title if len(claim.title) <= 36 else claim.title[:33] + "..."
        status = "".join(f"{kind_status(runs, k, claim):<5}" for k in CHECK_KINDS)
        color = (GREEN if _claim_passed(runs) else RED) if runs else GREY
        w.text(f"{claim.id:<20}{title:<38}{status} {_worst_line(claim, runs)}", size=7, mono=True,
               color=color)


def _not_run_note(results: Results) -> str:
    """Why checks were not run: slow ones without ``--slow``, extras not installed."""
    left = [k for c, runs in results for k in not_run(c, runs)]
    extras = sorted({e for k in left for e in missing_extras(k.requires)})
    parts = ["gantheory report --slow runs the slow ones"] if any(
        not missing_extras(k.requires) for k in left) else []
    if extras:
        parts.append(f"{install_hint(tuple(extras))} installs what the others need")
    return "; ".join(parts)


def _claim_block(w: Writer, claim: Claim, runs: Sequence[CheckRun]) -> None:
    w.need(1.4)
    w.rule()
    ok = _claim_passed(runs)
    w.text(f"{claim.id}   {claim.title}", size=11.5, weight="bold", gap=0.02)
    negative = ("   (negative claim: its checks search for a counterexample)"
                if claim.negative else "")
    if runs:
        n_ok = sum(r.passed for r in runs)
        verdict = f"{'PASS' if ok else 'FAIL'}: {n_ok}/{len(runs)} checks passed"
        skipped = len(not_run(claim, runs))
        if skipped:
            verdict += f" ({skipped} check(s) not run)"
        color = GREEN if ok else RED
    else:
        slow = sum(k.slow for k in claim.checks)
        extras = tuple(sorted({e for k in claim.checks for e in missing_extras(k.requires)}))
        if not claim.checks:
            verdict = "NOT RUN: no checks are registered"
        elif extras and all(missing_extras(k.requires) for k in claim.checks):
            verdict = f"NOT RUN: its checks need the {', '.join(extras)} extra" \
                f" ({install_hint(extras)})"
        elif slow == len(claim.checks):
            verdict = f"NOT RUN: its {slow} check(s) are slow (gantheory report --slow)"
        else:
            verdict = "NOT RUN: no results for this claim"
        color = GREY
    w.text(verdict + negative, size=8.5, weight="bold", color=color, gap=0.04)
    w.math(claim.statement)
    w.text(f"Source: {claim.reference} [{claim.source}]", size=8.5)
    if claim.tutorials:
        w.text("Tutorial texts whose derivation it checks: "
               + "; ".join(get_tutorial(k).citation for k in claim.tutorials), size=8,
               color=GREY)
    w.skip(0.04)
    for r in runs:
        mark = "pass" if r.passed else "FAIL"
        color = "black" if r.passed else RED
        w.need(0.45)
        w.text(f"[{mark}] {r.check.kind}: {r.check.name}", size=8.5, weight="bold",
               color=color, indent=0.1)
        if r.result is None:
            w.text(f"error: {r.error}", size=8, color=RED, indent=0.35)
            continue
        res = r.result
        w.text(
            f"residual {_fmt(res.residual)} {res.relation} tolerance {_fmt(res.tolerance)}  "
            f"over {res.cases} case(s), {r.seconds:.2f} s", size=8, mono=True, indent=0.35,
        )
        if res.detail:
            w.text(f"compared: {res.detail}", size=7.5, color=GREY, indent=0.35)
        if res.tolerance_reason:
            w.text(f"tolerance: {res.tolerance_reason}", size=7.5, color=GREY, indent=0.35)
        if res.counterexample:
            w.text(f"counterexample: {res.counterexample}", size=7.5, indent=0.35)
    w.skip(0.08)


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------
def _figure_discriminator(n: int) -> tuple[Figure, str]:
    from scipy import stats

    from gantheory.game import optimal_discriminator

    fig = Figure()
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(2, 1)
    p, q = stats.norm(0, 1), stats.norm(2, 1.5)
    x = np.linspace(-4, 7, 24 * n)
    d = optimal_discriminator(p, q)(x)
    ax1.plot(x, p.pdf(x), label=r"$p_{data} = N(0, 1)$", color="C0")
    ax1.plot(x, q.pdf(x), label=r"$p_g = N(2, 1.5^2)$", color="C3")
    ax1.set_ylabel("density")
    tw = ax1.twinx()
    tw.plot(x, d, color="k", lw=2, label=r"$D^*(x)$")
    tw.axhline(0.5, color="k", ls=":", lw=0.8)
    tw.set_ylim(0, 1)
    tw.set_ylabel(r"$D^*(x)$")
    ax1.set_title("Continuous pair: densities and the optimal discriminator")
    h1, l1 = ax1.get_legend_handles_labels()
    h2, l2 = tw.get_legend_handles_labels()
    ax1.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=8)
    pd_, pg = np.array([0.4, 0.3, 0.2, 0.1, 0.0]), np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    dd = optimal_discriminator(pd_, pg)
    k = np.arange(len(pd_))
    ax2.bar(k - 0.2, pd_, width=0.4, label=r"$p_{data}$", color="C0")
    ax2.bar(k + 0.2, pg, width=0.4, label=r"$p_g$", color="C3")
    ax2.plot(k, dd, "ko-", label=r"$D^*$")
    ax2.set_xticks(k)
    ax2.set_ylim(0, 1.05)
    ax2.set_xlabel("x")
    ax2.set_title("Discrete pair: $D^* = 1$ where only data has mass, 0 where only $p_g$ has")
    ax2.legend(fontsize=8)
    caption = (
        "Figure 1 (claim GAN14-P1). The optimal discriminator D*(x) = p_data(x) / (p_data(x) + "
        "p_g(x)) (Goodfellow et al. 2014, Proposition 1), computed by "
        "gantheory.optimal_discriminator. D* crosses 1/2 where the densities are equal; for two "
        "Gaussians of different variances its logit is quadratic in x (claim GAN14-P1-GAUSS), "
        "so D* falls again in the far left tail, where the wider p_g dominates."
    )
    return fig, caption


def _figure_criterion(n: int) -> tuple[Figure, str]:
    from scipy import stats

    from gantheory.divergences import jsd
    from gantheory.game import optimal_value

    fig = Figure()
    FigureCanvasAgg(fig)
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    p = stats.norm(0, 1)
    mus = np.linspace(-5, 5, n if n % 2 else n + 1)  # odd: mu = 0 is a grid point
    c = np.array([optimal_value(p, stats.norm(m, 1)) for m in mus])
    j = np.array([jsd(p, stats.norm(m, 1)) for m in mus])
    ax1.plot(mus, c, "k-", lw=2, label=r"$C(G) = V(G, D^*)$ (quadrature)")
    ax1.plot(mus, -np.log(4) + 2 * j, "o", color="C1", ms=4,
             label=r"$-\log 4 + 2\,\mathrm{JSD}(p_{data} \| p_g)$")
    ax1.axhline(-np.log(4), color="C0", ls="--", lw=1, label=r"$-\log 4$ (global minimum)")
    ax1.axhline(0, color="grey", ls=":", lw=1, label=r"$0$ (disjoint supports)")
    ax1.set_ylabel("value")
    ax1.set_title(r"$p_{data} = N(0, 1)$, $p_g = N(\mu, 1)$")
    ax1.legend(fontsize=8, loc="center right")
    resid = np.abs(c - (-np.log(4) + 2 * j))
    ax2.semilogy(mus, np.maximum(resid, 1e-18), "k.-")
    ax2.axhline(np.finfo(float).eps, color="C0", ls="--", lw=1, label="machine epsilon")
    ax2.set_ylim(1e-18, 1e-8)
    ax2.set_xlabel(r"$\mu$")
    ax2.set_ylabel(r"$|C(G) - (-\log 4 + 2\,\mathrm{JSD})|$")
    ax2.legend(fontsize=8)
    caption = (
        "Figure 2 (claim GAN14-T1). Top: C(G) computed from its definition V(G, D*) and "
        "-log 4 + 2 JSD computed separately, for a family of generators; they coincide, reach "
        "the minimum -log 4 exactly at p_g = p_data (mu = 0), and approach 0 = -log 4 + 2 log 2 "
        "as the distributions separate. Bottom: the difference of the two computations, at "
        "the level of rounding error (points at the bottom edge are exactly 0)."
    )
    return fig, caption


def _figure_distance(n: int) -> tuple[Figure, str]:
    from scipy import stats

    from gantheory.divergences import jsd

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.subplots(1, 1)
    k = max(1, n // 6)
    ds = np.linspace(0, 6, 6 * k + 1)  # d = 1 (the uniforms become disjoint) on the grid
    j_norm = [jsd(stats.norm(0, 1), stats.norm(d, 1)) for d in ds]
    j_unif = [jsd(stats.uniform(0, 1), stats.uniform(d, 1)) for d in ds]
    ax.plot(ds, j_norm, "C0-", lw=2, label=r"$N(0, 1)$ vs $N(d, 1)$")
    ax.plot(ds, j_unif, "C3-", lw=2, label=r"$U(0, 1)$ vs $U(d, d + 1)$")
    ax.axhline(np.log(2), color="k", ls="--", lw=1, label=r"$\log 2$ (upper bound)")
    ax.set_xlabel("distance d between the distributions")
    ax.set_ylabel(r"$\mathrm{JSD}$ (nats)")
    ax.set_title("The Jensen-Shannon divergence saturates at log 2")
    ax.legend(fontsize=9, loc="lower right")
    caption = (
        "Figure 3 (claims LIN91-JSD-BOUNDS, GAN14-T1). The JSD between two distributions as "
        "they move apart. It never exceeds log 2 and equals it exactly once the supports are "
        "disjoint (uniforms, d >= 1): from there on the divergence, and so the generator's "
        "criterion C(G), is flat in d and gives no gradient (Arjovsky & Bottou 2017; the tutorial "
        "text \"The Math Behind GANs\" after Wang, She & Ward 2019). Between Gaussians it only "
        "gets exponentially close to log 2."
    )
    return fig, caption


_FIGURES = (_figure_discriminator, _figure_criterion, _figure_distance)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------
def write_report(
    path: str | Path,
    results: Results | None = None,
    *,
    claims: Sequence[Claim] | None = None,
    include_slow: bool = False,
    figures: bool = True,
    figure_points: int = 25,
    env: Environment | None = None,
) -> Path:
    """Run the checks (unless ``results`` are given) and write the PDF report to ``path``.

    Parameters
    ----------
    path : str or Path
        The PDF to write (parent directories are created).
    results : sequence of (Claim, sequence of CheckRun), optional
        Results of :func:`gantheory.claims.run_claims`; by default the checks of ``claims``
        are run now.
    claims : sequence of Claim, optional
        The claims to verify (default: the whole registry). Ignored when ``results`` is given.
    include_slow : bool
        Run the slow checks too.
    figures : bool
        Append the figure pages.
    figure_points : int
        Points per curve of the figures that need quadratures (each costs ~0.1-0.3 s).
    env : Environment, optional
        Defaults to :func:`environment` now.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    if results is None:
        results = run_claims(registry() if claims is None else claims,
                             include_slow=include_slow)
    env = env or environment()
    path.parent.mkdir(parents=True, exist_ok=True)
    commit = f", commit {env.commit[:12]}" if env.commit else ""
    footer = f"gantheory {env.version} verification report, {env.date}{commit}"
    n_failed = sum(not r.passed for _, runs in results for r in runs)
    meta = {
        "Title": "gantheory verification report",
        "Author": "gantheory",
        "Subject": f"gantheory {env.version}: {len(results)} claims, {n_failed} failed checks",
        "Keywords": " ".join(c.id for c, _ in results),
        "Creator": f"gantheory {env.version} (matplotlib {mpl.__version__})",
    }
    with mpl.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans",
                         "mathtext.fontset": "dejavusans"}), \
            PdfPages(path, metadata=meta) as pdf:
        w = Writer(pdf, footer)
        _title_page(w, env, results, include_slow)
        w.new_page()
        w.text("Claims", size=14, weight="bold", gap=0.05)
        for claim, runs in results:
            _claim_block(w, claim, runs)
        w.finish_page()
        if figures:
            for make in _FIGURES:
                fig, caption = make(max(5, figure_points))
                w.figure_page(fig, caption)
    return path
