"""Helpers shared by the check modules."""

from __future__ import annotations

import math

from gantheory.claims import CheckResult


class Worst:
    """Track the case with the largest residual relative to its own tolerance.

    Each case has its own tolerance (its own rounding or quadrature error bound); the check
    reports the case that comes closest to (or furthest past) failing, i.e. the largest
    ``residual - tolerance``, together with that case's tolerance.
    """

    def __init__(self) -> None:
        self.residual, self.tolerance, self.label = -math.inf, 0.0, ""

    def add(self, residual: float, tolerance: float, label: str = "") -> None:
        """Record one case; NaN residuals always count as worst."""
        if math.isnan(self.residual):
            return
        if math.isnan(residual) or residual - tolerance > self.residual - self.tolerance:
            self.residual, self.tolerance, self.label = residual, tolerance, label

    def result(self, cases: int, detail: str, reason: str) -> CheckResult:
        """The :class:`CheckResult` for the worst case seen."""
        where = f" (worst: {self.label})" if self.label else ""
        return CheckResult(
            residual=self.residual if cases else math.nan,
            tolerance=self.tolerance,
            cases=cases,
            detail=detail + where,
            tolerance_reason=reason,
        )
