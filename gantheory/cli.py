"""The ``gantheory`` command line.

``gantheory verify``
    Run every registered check and print one row per claim: its ID, title, the status of each
    kind of check (symbolic / discrete / continuous / property / empirical) and the worst
    residual against its tolerance. ``--json`` prints a machine-readable report, ``--claim ID``
    (repeatable) runs a subset, ``--slow`` adds the slow checks, ``-v`` lists every check.
    Exit status 1 if any check fails.
``gantheory list``
    List the claim IDs with their titles and sources.
``gantheory report -o verification.pdf``
    Run the checks and write a self-contained PDF report (version, commit, date, platform, every
    claim with its statement, source, checks, residuals and tolerances, key figures); see
    :mod:`gantheory.report`. ``--claim`` and ``--slow`` as for ``verify``. Exit status 1 if any
    check fails (the PDF is written either way).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Sequence

from gantheory import __version__
from gantheory.claims import (
    CHECK_KINDS,
    KIND_ABBR,
    CheckRun,
    Claim,
    get_claim,
    kind_status,
    registry,
    run_claims,
    worst_run,
)
from gantheory.claims import format_number as _fmt

__all__ = ["main"]

def _json_float(x: float) -> float | str:
    """JSON has no inf/nan: non-finite numbers become the strings "inf", "-inf", "nan"."""
    return x if math.isfinite(x) else _fmt(x)


def _select(ids: Sequence[str] | None) -> list[Claim]:
    if not ids:
        return list(registry())
    return [get_claim(i) for i in ids]


def _report_text(
    results: list[tuple[Claim, list[CheckRun]]], seconds: float, verbose: bool, slow: bool
) -> str:
    lines = [
        f"gantheory {__version__}: verifying {len(results)} claims"
        + ("" if slow else " (fast checks; --slow adds the slow ones)"),
        "",
    ]
    w_id = max([len(c.id) for c, _ in results] + [2])
    head = f"{'ID':<{w_id}} {'title':<44} " + " ".join(f"{KIND_ABBR[k]:<4}" for k in CHECK_KINDS)
    lines += [head + "  worst residual vs tolerance", "-" * (len(head) + 30)]
    n_checks = n_failed = 0
    for claim, runs in results:
        title = claim.title if len(claim.title) <= 44 else claim.title[:41] + "..."
        status = " ".join(f"{kind_status(runs, k):<4}" for k in CHECK_KINDS)
        w = worst_run(runs)
        if w is None:
            worst = "slow checks only (--slow)" if claim.checks else "no checks"
        elif w.result is None:
            worst = f"ERROR in {w.check.name}"
        else:
            op = "<=" if w.result.relation == "<=" else ">="
            ok = "" if w.passed else "  (FAILED)"
            worst = f"{_fmt(w.result.residual)} {op} {_fmt(w.result.tolerance)}{ok}"
        lines.append(f"{claim.id:<{w_id}} {title:<44} {status}  {worst}")
        for r in runs:
            n_checks += 1
            n_failed += not r.passed
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
    lines += [
        "",
        f"{len(results)} claims, {n_checks} checks: {n_checks - n_failed} passed,"
        f" {n_failed} failed in {seconds:.1f} s",
    ]
    return "\n".join(lines)


def _report_json(results: list[tuple[Claim, list[CheckRun]]], seconds: float) -> str:
    claims = []
    for claim, runs in results:
        checks = []
        for r in runs:
            res = r.result
            checks.append({
                "kind": r.check.kind,
                "name": r.check.name,
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
        claims.append({
            "id": claim.id,
            "title": claim.title,
            "source": claim.source,
            "reference": claim.reference,
            "negative": claim.negative,
            "passed": all(r.passed for r in runs),
            "checks": checks,
        })
    passed = all(c["passed"] for c in claims)
    out = {"passed": passed, "version": __version__, "seconds": round(seconds, 3),
           "claims": claims}
    return json.dumps(out, indent=2, allow_nan=False)


def _verify(args: argparse.Namespace) -> int:
    try:
        claims = _select(args.claim)
    except KeyError as exc:
        print(f"gantheory verify: {exc.args[0]}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run_claims(claims, include_slow=args.slow)
    seconds = time.perf_counter() - start
    if args.json:
        print(_report_json(results, seconds))
    else:
        print(_report_text(results, seconds, args.verbose, args.slow))
    ok = all(r.passed for _, runs in results for r in runs)
    return 0 if ok else 1


def _list(args: argparse.Namespace) -> int:
    w_id = max(len(c.id) for c in registry())
    for c in registry():
        kinds = sorted({k.kind for k in c.checks}, key=CHECK_KINDS.index)
        print(f"{c.id:<{w_id}} {c.title}  [{c.reference}; checks: {', '.join(kinds)}]")
    return 0


def _report(args: argparse.Namespace) -> int:
    from gantheory.report import write_report  # matplotlib only when a report is asked for

    try:
        claims = _select(args.claim)
    except KeyError as exc:
        print(f"gantheory report: {exc.args[0]}", file=sys.stderr)
        return 2
    results = run_claims(claims, include_slow=args.slow)
    path = write_report(args.output, results, include_slow=args.slow, figures=not args.no_figures)
    n_checks = sum(len(runs) for _, runs in results)
    n_failed = sum(not r.passed for _, runs in results for r in runs)
    print(f"wrote {path}: {len(results)} claims, {n_checks} checks, {n_failed} failed")
    return 0 if n_failed == 0 else 1


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
        "--claim", action="append", metavar="ID", help="run only this claim (repeatable)"
    )
    v.add_argument("--slow", action="store_true", help="include the slow checks")
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
        "--claim", action="append", metavar="ID", help="report only this claim (repeatable)"
    )
    rep.add_argument("--slow", action="store_true", help="include the slow checks")
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
