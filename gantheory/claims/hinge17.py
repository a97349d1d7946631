"""The claims from Lim & Ye (2017), *Geometric GAN*, on the hinge loss, IDs ``HINGE17-<label>``.

The optimal critic of the hinge loss on an unbounded critic, and the minimum discriminator loss
it gives: twice one minus the total variation distance. The registry
(:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="HINGE17-DSTAR",
        title="The optimal hinge critic is the sign of p_data - p_g",
        statement=(
            r"\min_D\ \mathbb{E}_{p_{data}} \max(0, 1 - D) + \mathbb{E}_{p_g} \max(0, 1 + D)"
            r"\ \text{over}\ D: \mathcal{X} \to \mathbb{R}\ \text{is attained at}"
            r"\ D^*(x) = \operatorname{sign}(p_{data}(x) - p_g(x))\ \text{where}"
            r"\ p_{data}(x) \ne p_g(x)\ \text{(only there), at any}\ D^*(x) \in [-1, 1]"
            r"\ \text{where}\ p_{data}(x) = p_g(x)"
        ),
        source="lim2017geometric",
        reference="Lim & Ye 2017, eq. 5-6 (the hinge loss)",
    ),
    Claim(
        id="HINGE17-TV",
        title="The minimum hinge discriminator loss is 2 (1 - TV)",
        statement=(
            r"\min_D\ \mathbb{E}_{p_{data}} \max(0, 1 - D) + \mathbb{E}_{p_g} \max(0, 1 + D)"
            r" = 2 \int \min(p_{data}, p_g) = 2\,\bigl(1 - \mathrm{TV}(p_{data}, p_g)\bigr),"
            r"\ \mathrm{TV} = \tfrac12 \int |p_{data} - p_g|"
        ),
        source="lim2017geometric",
        reference=(
            "Lim & Ye 2017, eq. 5-6 and their analysis of the hinge loss at the optimal critic"
        ),
    ),
)
