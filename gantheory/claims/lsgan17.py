"""The claims from Mao et al. (2017), *Least Squares Generative Adversarial Networks*, IDs
``LSGAN17-<label>``.

The optimal discriminator of the least-squares objective with targets ``(a, b, c)``, and the
divergence the generator's objective becomes at that discriminator (Theorem 1): Pearson's
:math:`\\chi^2` of either distribution from their mixture, in the convention
:math:`D_f(P \\| Q) = \\int q\\, f(p / q)` with :math:`f(u) = (u - 1)^2`. The registry
(:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="LSGAN17-DSTAR",
        title="The optimal least-squares discriminator with targets a (generated) and b (data)",
        statement=(
            r"\min_D\ \tfrac12\,\mathbb{E}_{p_{data}}(D - b)^2"
            r" + \tfrac12\,\mathbb{E}_{p_g}(D - a)^2"
            r"\ \text{is attained only at}\ D^*(x) = \frac{b\,p_{data}(x) + a\,p_g(x)}"
            r"{p_{data}(x) + p_g(x)},\ \text{with minimum}\ \tfrac12 (b - a)^2"
            r" \int \frac{p_{data}\,p_g}{p_{data} + p_g}"
        ),
        source="mao2017least",
        reference="Mao et al. 2017, eq. 2 (the objective) and eq. 4 (the optimal discriminator)",
    ),
    Claim(
        id="LSGAN17-CHI2",
        title="With b - c = 1 and b - a = 2 the generator minimises Pearson chi^2 from the mixture",
        statement=(
            r"C(G) = \tfrac12\,\mathbb{E}_{p_{data}}(D^* - c)^2"
            r" + \tfrac12\,\mathbb{E}_{p_g}(D^* - c)^2"
            r" = \tfrac14 (a + b - 2c)^2 + \tfrac14 (b - a)^2\,\chi^2_{Pearson}(p_g \,\|\, M),"
            r"\ M = \tfrac12 (p_{data} + p_g),"
            r"\ \chi^2_{Pearson}(P \,\|\, Q) = \int \frac{(p - q)^2}{q};"
            r"\ b - c = 1,\ b - a = 2:\ C(G) = \chi^2_{Pearson}(p_g \,\|\, M)"
            r" = \chi^2_{Pearson}(p_{data} \,\|\, M) = \tfrac12 \int"
            r" \frac{(p_{data} - p_g)^2}{p_{data} + p_g}"
        ),
        source="mao2017least",
        reference=(
            "Mao et al. 2017, Theorem 1, with the data term the paper adds to the generator's"
            " objective (its chi^2_Pearson(p_d + p_g || 2p_g) has its first argument in the"
            " denominator)"
        ),
    ),
)
