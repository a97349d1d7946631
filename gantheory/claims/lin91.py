"""The claims from Lin (1991), *Divergence Measures Based on the Shannon Entropy*, IDs
``LIN91-<label>``.

The bounds and the symmetry of the Jensen-Shannon divergence. The registry
(:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE, MATH_BEHIND_GANS

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="LIN91-JSD-BOUNDS",
        title="Jensen-Shannon divergence is bounded by log 2",
        statement=(
            r"0 \le \mathrm{JSD}(p \,\|\, q) \le \log 2,\ \text{with}\ \log 2\ "
            r"\text{iff the supports are disjoint}"
        ),
        source="lin1991divergence",
        reference="Lin 1991, Theorem 1 (bounds; natural logarithm)",
        tutorials=(MATH_BEHIND_GANS,),
    ),
    Claim(
        id="LIN91-JSD-SYM",
        title="Jensen-Shannon divergence is symmetric",
        statement=r"\mathrm{JSD}(p \,\|\, q) = \mathrm{JSD}(q \,\|\, p)",
        source="lin1991divergence",
        reference="Lin 1991, Section III",
        tutorials=(LECTURE,),
    ),
)
