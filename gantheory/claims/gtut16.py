"""The claims from Goodfellow (2016), *NIPS 2016 Tutorial: Generative Adversarial Networks*, IDs
``GTUT16-<label>``.

Maximum likelihood minimises a KL divergence, and trained generators can miss modes (mode
collapse); one- and two-sided label smoothing shift the optimal discriminator; the three
generator costs as functions of D(G(z)) (the tutorial's Fig. 16), and the expected gradient of
the maximum-likelihood cost at the optimal discriminator (after Goodfellow 2014, *On
distinguishability criteria for estimating generative models*). The registry
(:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE, MATH_BEHIND_GANS, MATH_IDEAS

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
    Claim(
        id="GTUT16-LS",
        title="Label smoothing: the optimal discriminator of smoothed targets 1 - alpha and beta",
        statement=(
            r"\max_D\ \mathbb{E}_{p_{data}}[(1-\alpha)\log D + \alpha\log(1-D)]"
            r" + \mathbb{E}_{p_g}[\beta\log D + (1-\beta)\log(1-D)]\ \text{is attained only at}"
            r"\ D^*(x) = \frac{(1-\alpha)\,p_{data}(x) + \beta\,p_g(x)}{p_{data}(x) + p_g(x)};"
            r"\ D^* = 1-\alpha\ \text{where}\ p_g = 0,\ D^* = \beta\ \text{where}\ p_{data} = 0;"
            r"\ \text{one-sided}\ (\beta = 0):\ D^* = (1-\alpha)\,D^*_{GAN} \le 1 - \alpha"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 4.2 (one-sided label smoothing)",
    ),
    Claim(
        id="GTUT16-GCOST",
        title="The three generator costs as functions of D(G(z)) (the tutorial's Fig. 16)",
        statement=(
            r"J_{MM} = \log(1 - D),\ J_{NS} = -\log D,"
            r"\ J_{ML} = -\tfrac12 \exp\sigma^{-1}(D) = -\tfrac12 \frac{D}{1 - D};"
            r"\ D \to 0^+:\ J_{MM}, J_{ML} \to 0,\ J_{NS} \to \infty,"
            r"\ \frac{dJ_{MM}}{dD} \to -1,\ \frac{dJ_{NS}}{dD} \to -\infty,"
            r"\ \frac{dJ_{ML}}{dD} \to -\tfrac12;"
            r"\ \text{in the logit}\ \ell = \sigma^{-1}(D):\ \frac{dJ}{d\ell}"
            r" = \frac{dJ}{dD}\,D(1 - D) \to 0, -1, 0\ (\ell \to -\infty)"
        ),
        source="goodfellow2016nips",
        reference=(
            "Goodfellow 2016, NIPS 2016 Tutorial, Section 3.2.3 (choosing the generator cost)"
            " and Fig. 16"
        ),
        tutorials=(LECTURE,),
    ),
    Claim(
        id="GTUT16-MLGRAD",
        title="At D = D*, the maximum-likelihood cost's expected gradient is half the KL gradient",
        statement=(
            r"J(\theta) = -\tfrac12\,\mathbb{E}_{z}\exp\sigma^{-1}(D(G_\theta(z)))"
            r"\ \text{with}\ D = D^*_{G_{\theta_0}}\ \text{held fixed}:"
            r"\ \nabla_\theta J\big|_{\theta_0} = -\tfrac12\,\mathbb{E}_{p_{data}}"
            r"[\nabla_\theta \log p_\theta]\big|_{\theta_0}"
            r" = \tfrac12\,\nabla_\theta \mathrm{KL}(p_{data} \,\|\, p_\theta)\big|_{\theta_0}"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 3.2.3 (maximum likelihood game)",
    ),
)
