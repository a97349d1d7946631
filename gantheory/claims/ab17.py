"""The claims from Arjovsky & Bottou (2017), *Towards Principled Methods for Training Generative
Adversarial Networks*, IDs ``AB17-<label>``.

The Jensen-Shannon divergence saturates at log 2 and its gradient vanishes for distant
distributions. The registry (:func:`gantheory.claims.registry`) gives the claims in catalogue
order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import MATH_BEHIND_GANS

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="AB17-JSD-FLAT",
        title="The JSD saturates at log 2 and its gradient vanishes for distant distributions",
        statement=(
            r"\mathrm{JSD}(N(0, 1) \,\|\, N(d, 1)) \to \log 2,"
            r"\quad \frac{d}{dd}\,\mathrm{JSD}(N(0, 1) \,\|\, N(d, 1)) \to 0"
            r"\quad (d \to \infty)"
        ),
        source="arjovsky2017towards",
        reference=(
            "Arjovsky & Bottou 2017, Section 2 (vanishing gradients); figure after Wang, She & "
            "Ward 2019, Fig. 4"
        ),
        tutorials=(MATH_BEHIND_GANS,),
    ),
)
