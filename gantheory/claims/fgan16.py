"""The claims from Nowozin, Cseke & Tomioka (2016), *f-GAN: Training Generative Neural Samplers
using Variational Divergence Minimization*, IDs ``FGAN16-<label>``.

The convex conjugates, domains, optimal critics and output activations of the f-divergences of
Table 2, the variational lower bound that f-GAN trains on, and the normalisation of its
Jensen-Shannon row. The registry (:func:`gantheory.claims.registry`) gives the claims in catalogue
order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="FGAN16-CONJ",
        title="Convex conjugates, their domains, optimal critics and output activations",
        statement=(
            r"f^*(t) = \sup_{u \ge 0}\,(t u - f(u))\ \text{equals Table 2's entry on its domain"
            r" (KL, reverse KL, GAN, squared Hellinger: everywhere; Pearson } \chi^2:"
            r" t \ge -2,\ -1 \text{ below; TV: } |t| \le \tfrac12,\ -\tfrac12 \text{ below, }"
            r"\mathrm{dom} f^* = (-\infty, \tfrac12];\ \text{JS normalised to the JSD: }"
            r"\tfrac12 f^*_{\text{Table 2}}(2t));\quad T^* = f'(p/q) \in \mathrm{dom} f^*,"
            r"\quad g_f(\mathbb{R}) \subseteq \mathrm{dom} f^*"
        ),
        source="nowozin2016fgan",
        reference=(
            "Nowozin, Cseke & Tomioka 2016, Section 2.2 and Table 2 (conjugates, domains, output"
            " activations)"
        ),
    ),
    Claim(
        id="FGAN16-BOUND",
        title="The variational lower bound on an f-divergence, tight at the optimal critic",
        statement=(
            r"\mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)] \le D_f(P \,\|\, Q)\ \text{for every critic}"
            r"\ T\ \text{with}\ T \le \sup \mathrm{dom} f^* = f'(\infty)\ \text{where}\ q = 0"
            r",\ \text{with equality at}\ T^* = f'(p/q);\ \text{where}\ P \ll Q,\ D_f -"
            r" (\mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)]) = \mathbb{E}_Q[f^*(T) - T\,\tfrac pq"
            r" + f(\tfrac pq)]"
        ),
        source="nowozin2016fgan",
        reference=(
            "Nowozin, Cseke & Tomioka 2016, eq. (4) and Section 2.2 (after Nguyen et al. 2010)"
        ),
    ),
    Claim(
        id="FGAN16-JS-NORM",
        title="Table 1's Jensen-Shannon generator gives twice the JSD",
        statement=(
            r"f(u) = -(u + 1)\log\tfrac{1 + u}{2} + u \log u\ \Rightarrow\ D_f = 2\,\mathrm{JSD}"
            r",\ f^*(t) = -\log(2 - e^t);\ \text{for } D_f = \mathrm{JSD}:\ "
            r"f^*(t) = -\tfrac12\log(2 - e^{2t}),\ t < \tfrac12 \log 2,\ "
            r"g_f(v) = \tfrac12(\log 2 - \log(1 + e^{-v}))"
        ),
        source="nowozin2016fgan",
        reference="Nowozin, Cseke & Tomioka 2016, Tables 1 and 2 (Jensen-Shannon row)",
    ),
)
