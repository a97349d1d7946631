"""The claims from Cover & Thomas (2006), *Elements of Information Theory*, IDs ``CT06-<label>``.

Gibbs' inequality, the KL divergence between two Gaussians, and that the KL divergence is not
symmetric. The registry (:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import MATH_NOTES

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="CT06-GIBBS",
        title="Gibbs' inequality (KL is non-negative)",
        statement=(
            r"\mathrm{KL}(p \,\|\, q) = \int p \log \frac{p}{q} \ge 0,"
            r"\ \text{with equality iff}\ p = q"
        ),
        source="cover2006elements",
        reference="Cover & Thomas 2006, Theorem 2.6.3",
        tutorials=(MATH_NOTES,),
    ),
    Claim(
        id="CT06-KL-GAUSS",
        title="KL divergence between two Gaussians",
        statement=(
            r"\mathrm{KL}(N(\mu_1, \sigma_1^2) \,\|\, N(\mu_2, \sigma_2^2))"
            r" = \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2}"
            r" - \frac12"
        ),
        source="cover2006elements",
        reference="Cover & Thomas 2006, Section 8.5 (relative entropy of densities), for normals",
        tutorials=(MATH_NOTES,),
    ),
    Claim(
        id="CT06-KL-ASYM",
        title="KL divergence is not symmetric",
        statement=r"\exists\, p, q:\ \mathrm{KL}(p \,\|\, q) \ne \mathrm{KL}(q \,\|\, p)",
        source="cover2006elements",
        reference="Cover & Thomas 2006, Section 2.3 and Example 2.3.1",
        negative=True,
    ),
)
