"""The claims from Mirza & Osindero (2014), *Conditional Generative Adversarial Nets*, IDs
``CGAN14-<label>``.

Conditioning both players on a label y makes the game Goodfellow et al.'s on the joint
distributions of (x, y): the optimal discriminator is the ratio of the joint densities (the
ratio of the class conditionals when data and generator share the label law), the criterion is
-log 4 plus twice the JSD of the joints (a label-weighted sum of per-class JSDs with shared
labels), and the logit of the optimal discriminator splits into a label-posterior term and a
marginal term, the form of the projection discriminator of Miyato & Koyama (2018). The
registry (:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="CGAN14-DSTAR",
        title="The optimal conditional discriminator is the ratio of the joint densities",
        statement=(
            r"D^*(x, y) = \arg\max_D V(G, D) = \frac{p_{data}(x, y)}{p_{data}(x, y) + p_g(x, y)};"
            r"\ p_{data}(y) = p_g(y):\ D^*(x, y) = \frac{p_{data}(x \mid y)}"
            r"{p_{data}(x \mid y) + p_g(x \mid y)}"
        ),
        source="mirza2014conditional",
        reference=(
            "Mirza & Osindero 2014, Section 3.2, eq. 2 (the conditional value function), with"
            " Goodfellow et al. 2014, Proposition 1, applied to the joint distributions of (x, y)"
        ),
    ),
    Claim(
        id="CGAN14-CG",
        title="C(G) is -log 4 + 2 JSD of the joints; with shared labels a p(y)-weighted sum",
        statement=(
            r"C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}(p_{data}(x, y) \,\|\, p_g(x, y));"
            r"\ p_{data}(y) = p_g(y) = p(y):\ C(G) = -\log 4 + 2 \sum_y p(y)\,"
            r"\mathrm{JSD}(p_{data}(\cdot \mid y) \,\|\, p_g(\cdot \mid y));"
            r"\ \text{in general}\ \mathrm{JSD}(P \| Q) = \mathrm{JSD}(\pi \| \rho)"
            r" + \sum_y \tfrac{\pi(y) + \rho(y)}{2}\,\mathrm{JS}_{\alpha_y}(p_y \| q_y),"
            r"\ \alpha_y = \tfrac{\pi(y)}{\pi(y) + \rho(y)}"
        ),
        source="mirza2014conditional",
        reference=(
            "Mirza & Osindero 2014, eq. 2, with Goodfellow et al. 2014, Theorem 1, on the joint"
            " distributions; the split over labels is the chain rule of mutual information"
            " (Cover & Thomas 2006, Theorem 2.5.2) for the source bit"
        ),
    ),
    Claim(
        id="CGAN14-PROJ",
        title="The logit of D* is a label-posterior ratio plus a marginal ratio",
        statement=(
            r"\log\frac{D^*(x, y)}{1 - D^*(x, y)} = \log\frac{p_{data}(x, y)}{p_g(x, y)}"
            r" = \log\frac{p_{data}(y \mid x)}{p_g(y \mid x)}"
            r" + \log\frac{p_{data}(x)}{p_g(x)}"
        ),
        source="miyato2018cgans",
        reference=(
            "Miyato & Koyama 2018, Section 3, eq. 3 (the decomposition the projection"
            " discriminator is built on), for the conditional game of Mirza & Osindero 2014"
        ),
    ),
    Claim(
        id="CGAN14-TRAIN",
        title="Algorithm 1 with the one-hot label concatenated to both inputs fits every class",
        statement=(
            r"G([z, e_y]),\ D([x, e_y]),\ y \sim p(y):\ \text{trained by Algorithm 1, each}"
            r"\ G(\cdot, y)_\# p_z \to p_{data}(\cdot \mid y):\ \max_y \mathrm{JSD}(p_{data}"
            r"(\cdot \mid y) \,\|\, p_g(\cdot \mid y)) \le 0.1"
        ),
        source="mirza2014conditional",
        reference=(
            "Mirza & Osindero 2014, Section 3.2 (y fed to both players as an additional input"
            " layer) and Section 4.1 (one-hot class labels), trained by Goodfellow et al. 2014,"
            " Algorithm 1"
        ),
        tutorials=(LECTURE,),
    ),
    Claim(
        id="CGAN14-DIGITS",
        title="A DCGAN conditioned on a one-hot digit draws the digit asked for",
        statement=(
            r"G([z, e_y]),\ D([x, e_y \mathbf{1}])\ \text{convolutional, trained on the}"
            r"\ 8 \times 8\ \text{digits}:\ \Pr[\mathrm{referee}(G(z, y)) = y] \ge 0.95,"
            r"\ \mathrm{FD}(p_g, p_{data}) \le 2.5"
        ),
        source="mirza2014conditional",
        reference=(
            "Mirza & Osindero 2014, Section 4.1 (digits generated conditioned on one-hot class"
            " labels, one row per label in Figure 2), with the convolutional players of Radford"
            " et al. 2016 and the label as constant input channels of the discriminator"
        ),
        tutorials=(LECTURE,),
    ),
)
