"""The claims from Zhu, Park, Isola & Efros (2017), *Unpaired Image-to-Image Translation using
Cycle-Consistent Adversarial Networks* (CycleGAN), IDs ``CYCLE17-<label>``, in one dimension.

The adversarial losses ask only that :math:`G_\\# p_X = p_Y`: in one dimension every
:math:`T = F_Y^{-1} \\circ S \\circ F_X` with S preserving :math:`U(0, 1)` does that, the two
monotone transports and infinitely many folded ones. The cycle-consistency loss (eq. 2) singles
out the invertible ones (:mod:`gantheory.cycle`).
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="CYCLE17-UNDER",
        title="The adversarial optimum does not determine G: every transport of p_X to p_Y"
              " attains it",
        statement=(
            r"T_+ = F_Y^{-1} \circ F_X,\ T_- = F_Y^{-1} \circ (1 - F_X),\ "
            r"T_c = F_Y^{-1} \circ S_c \circ F_X\ (c \in (0, 1)),\ "
            r"S_c(u) = u/c\ (u < c),\ S_c(u) = (1 - u)/(1 - c)\ (u \ge c):\ "
            r"T_\# p_X = p_Y,\ JSD(T_\# p_X \,\|\, p_Y) = 0,\ C(G) = -\log 4"
        ),
        source="zhu2017unpaired",
        reference=(
            "Zhu et al. 2017, Sections 1 and 3 (adversarial losses alone map X to any"
            " permutation of the target domain that matches its distribution), with the"
            " global optimum of Goodfellow et al. 2014, Theorem 1"
        ),
    ),
    Claim(
        id="CYCLE17-INV",
        title="Cycle consistency singles out invertible maps: zero for the monotone transports,"
              " a positive exact minimum for a folded one",
        statement=(
            r"L_{cyc}(G, F) = \mathbb{E}_{p_X}|F(G(x)) - x| + \mathbb{E}_{p_Y}|G(F(y)) - y|;\ "
            r"L_{cyc}(T_\pm, T_\pm^{-1}) = 0;\ "
            r"\min_F L_{cyc}(T, F) = \mathbb{E}_{y \sim T_\# p_X} \sum_i w_i(y)\,"
            r"|x_i(y) - \mathrm{med}_w(y)|,\ w_i \propto p_X(x_i)/|T'(x_i)|;\ "
            r"\min_F L_{cyc}(T_c, F) = \frac{\sigma_X\,\varphi(\Phi^{-1}(c))}{\max(c, 1 - c)}"
            r"\ \text{for}\ p_X = N(\mu_X, \sigma_X^2)"
        ),
        source="zhu2017unpaired",
        reference="Zhu et al. 2017, Section 3.2, eq. 2 (cycle consistency loss)",
    ),
    Claim(
        id="CYCLE17-TRAIN",
        title="Trained with the cycle loss, G finds a monotone transport and F its inverse",
        statement=(
            r"\min_{G, F} \mathcal{L}_{LS}(G, D_Y) + \mathcal{L}_{LS}(F, D_X)"
            r" + \lambda L_{cyc}(G, F),\ \lambda = 1:\ \min_\pm \sup |G - T_\pm| \le 0.3"
            r"\ \text{on the central 98\% of}\ p_X,\ \sup |F - T^{-1}| \le 0.4,"
            r"\ L_{cyc}(G, F) \le 0.04,\ \mathrm{JSD}(G_\# p_X \,\|\, p_Y) \le 0.005"
        ),
        source="zhu2017unpaired",
        reference=(
            "Zhu et al. 2017, Section 3 (two generators, two discriminators, eq. 3 the full"
            " objective with least-squares adversarial terms, Section 4), in one dimension"
        ),
        tutorials=(LECTURE,),
    ),
)
