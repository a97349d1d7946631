"""Summaries of runs, shared by ``gantheory verify`` and ``gantheory report``: the column
headings of the five kinds of check, numbers in exponent notation, the status of a kind of check
and the run closest to failing."""

from __future__ import annotations

import math
from collections.abc import Iterable

from gantheory.claims._records import CheckRun, Claim

__all__ = ["KIND_ABBR", "format_number", "kind_status", "worst_run"]

#: Column headings for the five kinds of check.
KIND_ABBR = {"symbolic": "sym", "discrete": "disc", "continuous": "cont", "property": "prop",
             "empirical": "emp"}


def format_number(x: float, digits: int = 1) -> str:
    """``x`` in exponent notation with ``digits`` decimals; ``inf``/``-inf``/``nan`` spelled out."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}e}"


def kind_status(runs: Iterable[CheckRun], kind: str, claim: Claim | None = None) -> str:
    """``"pass"``, ``"FAIL"``, ``"skip"`` (``claim`` has checks of that kind but none of them
    ran: slow checks without ``--slow``) or ``"-"`` (no check of that kind)."""
    mine = [r for r in runs if r.check.kind == kind]
    if not mine:
        if claim is not None and any(k.kind == kind for k in claim.checks):
            return "skip"
        return "-"
    return "pass" if all(r.passed for r in mine) else "FAIL"


def worst_run(runs: Iterable[CheckRun]) -> CheckRun | None:
    """The run closest to failing: errors and failures first, then the largest ratio of
    residual to tolerance (tolerance to residual for counterexample searches)."""
    runs = list(runs)
    if not runs:
        return None

    def closeness(r: CheckRun) -> tuple[bool, float, float]:
        if r.result is None:
            return (True, math.inf, math.inf)
        res = r.result
        num, den = (res.residual, res.tolerance) if res.relation == "<=" else (
            res.tolerance, res.residual)
        if math.isnan(num) or math.isnan(den):
            ratio = math.inf
        elif den == 0:
            ratio = 0.0 if num == 0 else math.inf
        else:
            ratio = num / den
        return (not r.passed, ratio, abs(res.residual))

    return max(runs, key=closeness)
