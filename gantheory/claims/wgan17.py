"""The claims from Arjovsky, Chintala & Bottou (2017), *Wasserstein GAN*, IDs ``WGAN17-<label>``.

The Wasserstein-1 distance of two distributions on the line is the integral of the gap between
their distribution functions; by Kantorovich-Rubinstein duality it is the largest
:math:`\\mathbb{E}_P f - \\mathbb{E}_Q f` over 1-Lipschitz critics f; and on the paper's
parallel lines it is the only one of the usual divergences that is continuous in the
parameter. The registry (:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="WGAN17-W1",
        title="W1 on the line is the integral of |F_P - F_Q|",
        statement=(
            r"W_1(P, Q) = \inf_{\gamma \in \Pi(P, Q)} \mathbb{E}_{(x, y) \sim \gamma}|x - y|"
            r" = \int_{-\infty}^{\infty} |F_P(x) - F_Q(x)|\,dx,\qquad W_2(P, Q)^2"
            r" = \int_0^1 \bigl(F_P^{-1}(u) - F_Q^{-1}(u)\bigr)^2 du"
        ),
        source="arjovsky2017wasserstein",
        reference=(
            "Arjovsky, Chintala & Bottou 2017, Section 2, Eq. (1) (the Earth-Mover distance),"
            " in one dimension"
        ),
    ),
    Claim(
        id="WGAN17-KR",
        title="Kantorovich-Rubinstein duality: the critic with f' = sign(F_Q - F_P) attains W1",
        statement=(
            r"W_1(P, Q) = \sup_{\|f\|_L \le 1} \mathbb{E}_{P} f - \mathbb{E}_{Q} f"
            r" = \mathbb{E}_P f^* - \mathbb{E}_Q f^*,\quad"
            r" f^*(x) = \int_{x_0}^x \operatorname{sign}\bigl(F_Q(t) - F_P(t)\bigr)\,dt"
        ),
        source="arjovsky2017wasserstein",
        reference=(
            "Arjovsky, Chintala & Bottou 2017, Section 3, Eq. (2) (Kantorovich-Rubinstein"
            " duality), the optimal critic on the line"
        ),
    ),
    Claim(
        id="WGAN17-EX1",
        title="Parallel lines: only W1 is continuous in theta",
        statement=(
            r"Z \sim U[0, 1],\ P_0 = \mathcal{L}(0, Z),\ P_\theta = \mathcal{L}(\theta, Z):"
            r"\ W_1(P_0, P_\theta) = |\theta|;\ \text{for}\ \theta \ne 0:"
            r"\ JS(P_0, P_\theta) = \log 2,\ KL(P_\theta \| P_0) = KL(P_0 \| P_\theta) = \infty,"
            r"\ \delta(P_0, P_\theta) = 1;\ \text{all 0 at}\ \theta = 0"
        ),
        source="arjovsky2017wasserstein",
        reference=(
            "Arjovsky, Chintala & Bottou 2017, Section 2, Example 1 (learning parallel lines)"
        ),
    ),
)
