"""Running checks: one check, or the checks of many claims one claim at a time, and the status
of a claim from its runs."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Literal

from gantheory.claims._records import Check, CheckResult, CheckRun, Claim

__all__ = ["claim_status", "iter_claims", "not_run", "run_check", "run_claims"]


def run_check(chk: Check) -> CheckRun:
    """Run one check, turning an exception into a failed run that carries the message."""
    start = time.perf_counter()
    try:
        result = chk.func()
        error = None
        if not isinstance(result, CheckResult):
            result, error = None, f"check returned {type(result).__name__}, not CheckResult"
    except Exception as exc:  # a failing check is reported, not raised
        result, error = None, f"{type(exc).__name__}: {exc}"
    return CheckRun(chk, result, error, time.perf_counter() - start)


def iter_claims(
    claims: Iterable[Claim], *, include_slow: bool = False
) -> Iterator[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` one claim at a time (slow ones only with ``include_slow``),
    yielding each claim with its runs as soon as they are done, so reports can show them live."""
    for c in claims:
        yield c, [run_check(k) for k in c.checks if include_slow or not k.slow]


def run_claims(
    claims: Iterable[Claim], *, include_slow: bool = False
) -> list[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` (slow ones only with ``include_slow``); see
    :func:`iter_claims`."""
    return list(iter_claims(claims, include_slow=include_slow))


def not_run(claim: Claim, runs: Iterable[CheckRun]) -> list[Check]:
    """The checks of ``claim`` that have no run in ``runs`` (slow checks without ``--slow``)."""
    ran = {(r.check.kind, r.check.name) for r in runs}
    return [k for k in claim.checks if (k.kind, k.name) not in ran]


def claim_status(claim: Claim, runs: Iterable[CheckRun]) -> Literal["passed", "failed", "not run"]:
    """``"failed"`` if any run failed, ``"not run"`` if none of the claim's checks ran,
    ``"passed"`` otherwise (every check that ran passed; see :func:`not_run` for the rest)."""
    runs = list(runs)
    if any(not r.passed for r in runs):
        return "failed"
    return "passed" if runs else "not run"
