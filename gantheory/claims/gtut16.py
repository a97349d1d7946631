"""The claims from Goodfellow (2016), *NIPS 2016 Tutorial: Generative Adversarial Networks*, IDs
``GTUT16-<label>``.

Maximum likelihood minimises a KL divergence, and trained generators can miss modes (mode
collapse). The registry (:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import MATH_BEHIND_GANS, MATH_IDEAS

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="GTUT16-MLE",
        title="Maximum likelihood minimises KL(p_data || p_theta)",
        statement=(
            r"\mathbb{E}_{x \sim p_{data}}[\log p_\theta(x)] = -H(p_{data})"
            r" - \mathrm{KL}(p_{data} \,\|\, p_\theta),\ \text{so}"
            r"\ \arg\max_\theta \mathbb{E}_{p_{data}}[\log p_\theta]"
            r" = \arg\min_\theta \mathrm{KL}(p_{data} \,\|\, p_\theta)"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 2.1 (maximum likelihood)",
        tutorials=(MATH_IDEAS,),
    ),
    Claim(
        id="GTUT16-MODE",
        title="Trained generators can miss modes of a multimodal p_data (mode collapse)",
        statement=(
            r"\exists\ \text{a seed}:\ P_g(|x - \mu_j| \le 3\sigma_j) < \tfrac12 w_j"
            r"\ \text{for some mode}\ j\ \text{of}\ p_{data} = \sum_j w_j N(\mu_j, \sigma_j^2)"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 5.1.1 (mode collapse)",
        negative=True,
        tutorials=(MATH_BEHIND_GANS,),
    ),
)
