"""Running checks: one check, or the checks of many claims one claim at a time, and the status
of a claim from its runs."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import Literal

from gantheory._extras import install_hint, missing_extras
from gantheory._threads import one_blas_thread
from gantheory.claims._records import Check, CheckResult, CheckRun, Claim

__all__ = [
    "claim_status", "iter_claims", "not_run", "not_run_reason", "resolve_jobs", "run_check",
    "run_claims",
]


@one_blas_thread
def run_check(chk: Check) -> CheckRun:
    """Run one check, turning an exception into a failed run that carries the message (with one
    BLAS thread, as every training run: see :mod:`gantheory._threads`)."""
    start = time.perf_counter()
    try:
        result = chk.func()
        error = None
        if not isinstance(result, CheckResult):
            result, error = None, f"check returned {type(result).__name__}, not CheckResult"
    except Exception as exc:  # a failing check is reported, not raised
        result, error = None, f"{type(exc).__name__}: {exc}"
    return CheckRun(chk, result, error, time.perf_counter() - start)


def _selected(claim: Claim, include_slow: bool) -> list[Check]:
    """The checks to run: the fast ones (and the slow ones with ``include_slow``) whose
    extras are installed."""
    return [k for k in claim.checks
            if (include_slow or not k.slow) and not missing_extras(k.requires)]


def resolve_jobs(jobs: int) -> int:
    """The number of worker processes for ``jobs``: itself if positive, one per CPU this
    process may use if 0; ``ValueError`` naming ``jobs`` otherwise."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ValueError(f"`jobs` must be a non-negative integer (0: one per CPU), got {jobs!r}")
    if jobs == 0:
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else (os.cpu_count() or 1))
    return jobs


def _is_registered(claim: Claim) -> bool:
    """Whether a worker process, which sees only the registry, can find every check of
    ``claim`` (a claim built by hand, or with its own check functions, runs in this process)."""
    from gantheory.claims._registry import get_claim

    try:
        known = {(k.kind, k.name): k.func for k in get_claim(claim.id).checks}
    except KeyError:
        return False
    return all(known.get((k.kind, k.name)) is k.func for k in claim.checks)


def _run_registered(claim_id: str, keys: list[tuple[str, str]]) -> list[tuple]:
    """In a worker process: run the registered checks ``keys`` (kind, name) of ``claim_id``."""
    from gantheory.claims._registry import get_claim

    by_key = {(k.kind, k.name): k for k in get_claim(claim_id).checks}
    return [(r.result, r.error, r.seconds) for r in (run_check(by_key[key]) for key in keys)]


def iter_claims(
    claims: Iterable[Claim], *, include_slow: bool = False, jobs: int = 1
) -> Iterator[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` (slow ones only with ``include_slow``), yielding each claim
    with its runs, in the order given, as soon as it and the claims before it are done, so
    reports can show them live.

    With ``jobs`` > 1 (0: one per CPU) the claims run in that many worker processes, a claim's
    checks together in one of them (so the training runs they share are made once). Every check
    seeds its own generator, so the results are the same as in one process; the workers inherit
    this process's environment, BLAS threads included (their number changes the rounding of
    matrix products). A claim whose checks are not all in the registry runs in this process.
    As with any use of :mod:`multiprocessing`, a script that calls this with ``jobs`` > 1 must
    guard its entry point with ``if __name__ == "__main__":`` (the workers import it).
    """
    claims, jobs = list(claims), resolve_jobs(jobs)
    if jobs == 1 or len(claims) < 2:
        for c in claims:
            yield c, [run_check(k) for k in _selected(c, include_slow)]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a forked copy of a process that already runs threads (BLAS, a plotting
    # backend) can deadlock; a spawned worker imports gantheory afresh.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(claims)), mp_context=context) as pool:
        futures = {
            c.id: pool.submit(_run_registered, c.id, [(k.kind, k.name) for k in checks])
            for c in claims if (checks := _selected(c, include_slow)) and _is_registered(c)
        }
        for c in claims:
            checks = _selected(c, include_slow)
            if c.id not in futures:
                yield c, [run_check(k) for k in checks]
                continue
            outcomes = futures[c.id].result()
            yield c, [CheckRun(k, res, err, sec) for k, (res, err, sec) in zip(checks, outcomes)]


def run_claims(
    claims: Iterable[Claim], *, include_slow: bool = False, jobs: int = 1
) -> list[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` (slow ones only with ``include_slow``, in ``jobs`` worker
    processes); see :func:`iter_claims`."""
    return list(iter_claims(claims, include_slow=include_slow, jobs=jobs))


def not_run(claim: Claim, runs: Iterable[CheckRun]) -> list[Check]:
    """The checks of ``claim`` that have no run in ``runs`` (slow checks without ``--slow``,
    checks whose extra is not installed: :func:`not_run_reason` says which)."""
    ran = {(r.check.kind, r.check.name) for r in runs}
    return [k for k in claim.checks if (k.kind, k.name) not in ran]


def not_run_reason(chk: Check) -> str:
    """Why ``chk`` was not run, as reports print it: the extra it needs, when that is missing,
    else that it is slow."""
    missing = missing_extras(chk.requires)
    if missing:
        return f"not run: needs the {', '.join(missing)} extra ({install_hint(missing)})"
    return "slow, not run (--slow runs it)"


def claim_status(claim: Claim, runs: Iterable[CheckRun]) -> Literal["passed", "failed", "not run"]:
    """``"failed"`` if any run failed, ``"not run"`` if none of the claim's checks ran,
    ``"passed"`` otherwise (every check that ran passed; see :func:`not_run` for the rest)."""
    runs = list(runs)
    if any(not r.passed for r in runs):
        return "failed"
    return "passed" if runs else "not run"
