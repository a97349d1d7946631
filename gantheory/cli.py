"""The ``gantheory`` command line.

``gantheory verify``
    Run every registered check and print one row per claim as soon as that claim's checks are
    done: its ID, title, the status of each kind of check (symbolic / discrete / continuous /
    property / empirical: ``pass``, ``FAIL``, ``skip`` for slow checks not run, ``-`` for none)
    and the worst residual against its tolerance. ``--claim ID`` (repeatable, any letter case)
    runs a subset, ``--kind KIND`` (repeatable) only the checks of that kind (e.g.
    ``--kind empirical``: the trained networks), ``--slow`` adds the slow checks, ``-v`` lists
    every check, ``--jobs N`` runs the claims in N processes (0: one per CPU; the rows still
    come in order, and the results are those of one process). ``--json`` prints
    one machine-readable report at the end, in which a check that was not run (a slow check
    without ``--slow``) has ``"passed": null``, and so has a claim none of whose checks ran.
    Exit status 1 if any check fails, 2 for an unknown claim ID.
``gantheory list``
    List the claim IDs with their titles and sources.
``gantheory report -o verification.pdf``
    Run the checks, printing one progress line per claim to standard error, and write a
    self-contained PDF report (version, commit, date, platform, every claim with its statement,
    source, checks, residuals and tolerances, key figures); see :mod:`gantheory.report`.
    ``--claim``, ``--slow`` and ``--jobs`` as for ``verify``. Exit status 1 if any check fails
    (the PDF is written either way).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import time
from collections.abc import Sequence

from gantheory import __version__
from gantheory._extras import install_hint, missing_extras
from gantheory.claims import (
    CHECK_KINDS,
    KIND_ABBR,
    Check,
    CheckRun,
    Claim,
    claim_status,
    get_claim,
    iter_claims,
    kind_status,
    not_run,
    not_run_reason,
    registry,
    resolve_jobs,
    worst_run,
)
from gantheory.claims import format_number as _fmt

__all__ = ["main"]

def _json_float(x: float) -> float | str:
    """JSON has no inf/nan: non-finite numbers become the strings "inf", "-inf", "nan"."""
    return x if math.isfinite(x) else _fmt(x)


def _select(ids: Sequence[str] | None) -> list[Claim]:
    """The claims named by ``ids`` (any letter case, each once, in the order given); every
    claim when ``ids`` is empty. ``KeyError`` for an unknown ID."""
    if not ids:
        return list(registry())
    chosen: list[Claim] = []
    for i in ids:
        claim = get_claim(i)
        if claim not in chosen:
            chosen.append(claim)
    return chosen


def _of_kinds(claims: list[Claim], kinds: Sequence[str] | None) -> list[Claim]:
    """The claims with only their checks of ``kinds`` (every check when ``kinds`` is empty);
    claims left without a check are dropped."""
    if not kinds:
        return claims
    kept = [dataclasses.replace(c, checks=tuple(k for k in c.checks if k.kind in kinds))
            for c in claims]
    return [c for c in kept if c.checks]


_TITLE_WIDTH = 44


def _text_header(claims: Sequence[Claim], slow: bool) -> tuple[list[str], int]:
    """The lines printed before any claim is run, and the width of the ID column."""
    lines = [
        f"gantheory {__version__}: verifying {len(claims)} claims"
        + ("" if slow else " (fast checks; --slow adds the slow ones)"),
        "",
    ]
    w_id = max([len(c.id) for c in claims] + [2])
    head = f"{'ID':<{w_id}} {'title':<{_TITLE_WIDTH}} " + " ".join(
        f"{KIND_ABBR[k]:<4}" for k in CHECK_KINDS)
    lines += [head + "  worst residual vs tolerance", "-" * (len(head) + 30)]
    return lines, w_id


def _text_rows(claim: Claim, runs: Sequence[CheckRun], w_id: int, verbose: bool) -> list[str]:
    """The row of one claim (and, with ``verbose`` or on failure, one line per check)."""
    title = claim.title if len(claim.title) <= _TITLE_WIDTH else (
        claim.title[: _TITLE_WIDTH - 3] + "...")
    status = " ".join(f"{kind_status(runs, k, claim):<4}" for k in CHECK_KINDS)
    w = worst_run(runs)
    if w is None:
        worst = f"not run: {_why_not_run(claim.checks)}" if claim.checks else "no checks"
    elif w.result is None:
        worst = f"ERROR in {w.check.name}"
    else:
        op = "<=" if w.result.relation == "<=" else ">="
        ok = "" if w.passed else "  (FAILED)"
        worst = f"{_fmt(w.result.residual)} {op} {_fmt(w.result.tolerance)}{ok}"
    lines = [f"{claim.id:<{w_id}} {title:<{_TITLE_WIDTH}} {status}  {worst}"]
    for r in runs:
        show = verbose or not r.passed or (r.result is not None and r.result.counterexample)
        if not show:
            continue
        mark = "ok  " if r.passed else "FAIL"
        if r.result is None:
            lines.append(f"    {mark} [{r.check.kind}] {r.check.name}: {r.error}")
            continue
        res = r.result
        op = "<=" if res.relation == "<=" else ">="
        lines.append(
            f"    {mark} [{r.check.kind}] {r.check.name}: {_fmt(res.residual)} {op}"
            f" {_fmt(res.tolerance)} over {res.cases} case(s), {r.seconds:.2f} s"
        )
        if verbose and res.detail:
            lines.append(f"         {res.detail}")
        if verbose and res.tolerance_reason:
            lines.append(f"         tolerance: {res.tolerance_reason}")
        if res.counterexample:
            lines.append(f"         counterexample: {res.counterexample}")
    if verbose:
        for k in not_run(claim, runs):
            lines.append(f"    skip [{k.kind}] {k.name}: {not_run_reason(k)}")
    return lines


def _why_not_run(checks: Sequence[Check]) -> str:
    """Why the checks ``checks`` were not run, in one phrase: the extras they need, or that
    they are slow."""
    extras = sorted({e for k in checks for e in missing_extras(k.requires)})
    if extras:
        need = f"needs the {', '.join(extras)} extra ({install_hint(tuple(extras))})"
        return need if all(missing_extras(k.requires) for k in checks) else (
            f"slow (--slow runs them) or {need}")
    return "slow checks only (--slow)"


def _text_footer(results: Sequence[tuple[Claim, Sequence[CheckRun]]], seconds: float) -> str:
    n_checks = sum(len(runs) for _, runs in results)
    n_failed = sum(not r.passed for _, runs in results for r in runs)
    left = [k for c, runs in results for k in not_run(c, runs)]
    skipped = f", {len(left)} not run ({_why_not_run(left)})" if left else ""
    return (
        f"{len(results)} claims, {n_checks} checks: {n_checks - n_failed} passed,"
        f" {n_failed} failed{skipped} in {seconds:.1f} s"
    )


def _json_passed(status: str) -> bool | None:
    return {"passed": True, "failed": False, "not run": None}[status]


def _report_json(results: Sequence[tuple[Claim, Sequence[CheckRun]]], seconds: float) -> str:
    claims = []
    for claim, runs in results:
        checks = []
        for r in runs:
            res = r.result
            checks.append({
                "kind": r.check.kind,
                "name": r.check.name,
                "slow": r.check.slow,
                "passed": r.passed,
                "residual": _json_float(res.residual) if res else None,
                "tolerance": _json_float(res.tolerance) if res else None,
                "relation": res.relation if res else None,
                "cases": res.cases if res else 0,
                "detail": res.detail if res else "",
                "tolerance_reason": res.tolerance_reason if res else "",
                "counterexample": res.counterexample if res else None,
                "error": r.error,
                "seconds": round(r.seconds, 4),
            })
        for k in not_run(claim, runs):
            checks.append({
                "kind": k.kind, "name": k.name, "slow": k.slow, "passed": None,
                "residual": None, "tolerance": None, "relation": None, "cases": 0,
                "detail": "", "tolerance_reason": "", "counterexample": None,
                "error": None, "seconds": 0.0, "not_run": not_run_reason(k),
            })
        checks.sort(key=lambda c: CHECK_KINDS.index(c["kind"]))
        claims.append({
            "id": claim.id,
            "title": claim.title,
            "source": claim.source,
            "reference": claim.reference,
            "negative": claim.negative,
            "passed": _json_passed(claim_status(claim, runs)),
            "checks_run": len(runs),
            "checks_not_run": len(checks) - len(runs),
            "checks": checks,
        })
    n_run = sum(c["checks_run"] for c in claims)
    n_failed = sum(c["passed"] is False for claim in claims for c in claim["checks"])
    n_not_run = sum(c["checks_not_run"] for c in claims)
    passed = False if n_failed else (True if n_run else None)
    out = {
        "passed": passed,
        "complete": n_not_run == 0,
        "checks_run": n_run,
        "checks_failed": n_failed,
        "checks_not_run": n_not_run,
        "version": __version__,
        "seconds": round(seconds, 3),
        "claims": claims,
    }
    return json.dumps(out, indent=2, allow_nan=False)


def _verify(args: argparse.Namespace) -> int:
    try:
        claims = _of_kinds(_select(args.claim), args.kind)
    except KeyError as exc:
        print(f"gantheory verify: {exc.args[0]}", file=sys.stderr)
        return 2
    if not claims:
        print("gantheory verify: no check of the kinds asked for in the claims selected",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    results: list[tuple[Claim, list[CheckRun]]] = []
    if args.json:  # one JSON document at the end
        results = list(iter_claims(claims, include_slow=args.slow, jobs=args.jobs))
        print(_report_json(results, time.perf_counter() - start))
    else:  # each claim's row as soon as its checks are done
        header, w_id = _text_header(claims, args.slow)
        print("\n".join(header), flush=True)
        for claim, runs in iter_claims(claims, include_slow=args.slow, jobs=args.jobs):
            results.append((claim, runs))
            print("\n".join(_text_rows(claim, runs, w_id, args.verbose)), flush=True)
        print("\n" + _text_footer(results, time.perf_counter() - start), flush=True)
    ok = all(r.passed for _, runs in results for r in runs)
    return 0 if ok else 1


def _claims_and_kinds() -> list[tuple[Claim, tuple[str, ...]]]:
    """Every claim in catalogue order with the kinds of its checks, from the generated index
    (without importing the checks); from the registry itself if the index does not cover
    exactly the claims defined."""
    from gantheory.claims._kinds import KINDS
    from gantheory.claims._registry import _ordered_claims

    claims = _ordered_claims()
    if [c.id for c in claims] == list(KINDS):
        return [(c, KINDS[c.id]) for c in claims]
    return [(c, tuple(sorted({k.kind for k in c.checks}, key=CHECK_KINDS.index)))
            for c in registry()]


def _list(args: argparse.Namespace) -> int:
    rows = _claims_and_kinds()
    w_id = max(len(c.id) for c, _ in rows)
    for c, kinds in rows:
        print(f"{c.id:<{w_id}} {c.title}  [{c.reference}; checks: {', '.join(kinds)}]")
    return 0


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _report(args: argparse.Namespace) -> int:
    from gantheory.report import write_report  # matplotlib only when a report is asked for

    try:
        claims = _select(args.claim)
    except KeyError as exc:
        print(f"gantheory report: {exc.args[0]}", file=sys.stderr)
        return 2
    n = len(claims)
    print(f"gantheory report: running the checks of {n} claims"
          + ("" if args.slow else " (fast checks; --slow adds the slow ones)"),
          file=sys.stderr, flush=True)
    results: list[tuple[Claim, list[CheckRun]]] = []
    runs_of = iter_claims(claims, include_slow=args.slow, jobs=args.jobs)
    for i, (claim, runs) in enumerate(runs_of, 1):
        results.append((claim, runs))
        seconds = sum(r.seconds for r in runs)
        skipped = not_run(claim, runs)
        if runs:
            note = f"{_plural(len(runs), 'check')} in {seconds:.1f} s" + (
                f"; {len(skipped)} not run" if skipped else "")
        elif skipped:
            note = f"{_plural(len(skipped), 'check')} not run: {_why_not_run(skipped)}"
        else:
            note = f"{_plural(len(skipped), 'check')} not run" if skipped else "no checks"
        print(f"[{i}/{n}] {claim.id}: {claim_status(claim, runs)} ({note})",
              file=sys.stderr, flush=True)
    print("gantheory report: writing the PDF"
          + ("" if args.no_figures else " (with its figures)"), file=sys.stderr, flush=True)
    path = write_report(args.output, results, include_slow=args.slow, figures=not args.no_figures)
    n_checks = sum(len(runs) for _, runs in results)
    n_failed = sum(not r.passed for _, runs in results for r in runs)
    print(f"wrote {path}: {len(results)} claims, {n_checks} checks, {n_failed} failed")
    return 0 if n_failed == 0 else 1


def _jobs(text: str) -> int:
    try:
        return resolve_jobs(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a non-negative integer (0: one per CPU), got {text!r}") from None


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j", "--jobs", type=_jobs, default=1, metavar="N",
        help="run the claims in N worker processes (default 1; 0: one per CPU)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gantheory`` command."""
    parser = argparse.ArgumentParser(
        prog="gantheory", description="A numerical verification suite of GAN theory."
    )
    parser.add_argument("--version", action="version", version=f"gantheory {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="run the checks of every registered claim")
    v.add_argument("--json", action="store_true", help="print a JSON report")
    v.add_argument(
        "--claim", action="append", metavar="ID",
        help="run only this claim (repeatable; any letter case, e.g. gan14-t1)",
    )
    v.add_argument(
        "--kind", action="append", choices=CHECK_KINDS, metavar="KIND",
        help=f"run only the checks of this kind (repeatable; one of {', '.join(CHECK_KINDS)})",
    )
    v.add_argument("--slow", action="store_true", help="include the slow checks")
    _add_jobs(v)
    v.add_argument("-v", "--verbose", action="store_true", help="list every check")
    v.set_defaults(func=_verify)
    lst = sub.add_parser("list", help="list the registered claims")
    lst.set_defaults(func=_list)
    rep = sub.add_parser("report", help="write a PDF verification report")
    rep.add_argument(
        "-o", "--output", default="verification.pdf", metavar="PDF",
        help="the PDF to write (default: verification.pdf)",
    )
    rep.add_argument(
        "--claim", action="append", metavar="ID",
        help="report only this claim (repeatable; any letter case)",
    )
    rep.add_argument("--slow", action="store_true", help="include the slow checks")
    _add_jobs(rep)
    rep.add_argument("--no-figures", action="store_true", help="leave out the figure pages")
    rep.set_defaults(func=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gantheory`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
