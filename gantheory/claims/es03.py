"""The claims from Endres & Schindelin (2003), *A New Metric for Probability Distributions*, IDs
``ES03-<label>``.

The square root of the Jensen-Shannon divergence is a metric; the divergence itself violates the
triangle inequality. The registry (:func:`gantheory.claims.registry`) gives the claims in
catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="ES03-SQRTJSD-METRIC",
        title="The square root of the Jensen-Shannon divergence is a metric",
        statement=(
            r"\sqrt{\mathrm{JSD}(p \,\|\, r)} \le \sqrt{\mathrm{JSD}(p \,\|\, q)}"
            r" + \sqrt{\mathrm{JSD}(q \,\|\, r)}"
        ),
        source="endres2003new",
        reference="Endres & Schindelin 2003 (the square root of 2 JSD is a metric)",
    ),
    Claim(
        id="ES03-JSD-NOTRI",
        title="The Jensen-Shannon divergence violates the triangle inequality",
        statement=(
            r"\exists\, p, q, r:\ \mathrm{JSD}(p \,\|\, r)"
            r" > \mathrm{JSD}(p \,\|\, q) + \mathrm{JSD}(q \,\|\, r)"
        ),
        source="endres2003new",
        reference="Endres & Schindelin 2003 (JSD is not a metric; its square root is)",
        negative=True,
    ),
)
