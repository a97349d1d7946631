"""The claims from Goodfellow et al. (2014), *Generative Adversarial Nets*, IDs ``GAN14-<label>``.

The optimal discriminator (Proposition 1, and for two Gaussians), the global optimum of the
virtual training criterion (Theorem 1), the value function as a binary cross-entropy and its
minibatch estimate, the saturating and non-saturating generator losses, and Algorithm 1
(Proposition 2 and its k discriminator steps). The registry
(:func:`gantheory.claims.registry`) gives the claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE, MATH_BEHIND_GANS, MATH_IDEAS, MATH_NOTES, NOTES_2018

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="GAN14-P1",
        title="Optimal discriminator",
        statement=(
            r"D^*_G(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)} = \arg\max_D V(G, D),"
            r"\quad V(G, D^*_G) \ge V(G, D)\ \text{for every}\ D"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Proposition 1",
        tutorials=(MATH_BEHIND_GANS, MATH_IDEAS, LECTURE, MATH_NOTES),
    ),
    Claim(
        id="GAN14-T1",
        title="Global optimum of the virtual training criterion",
        statement=(
            r"C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \,\|\, p_g) \ge -\log 4,"
            r"\ \text{with equality iff}\ p_g = p_{data}"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Theorem 1",
        tutorials=(MATH_BEHIND_GANS, MATH_IDEAS, MATH_NOTES),
    ),
    Claim(
        id="GAN14-BCE",
        title="The value function is a negative binary cross-entropy",
        statement=(
            r"V(G, D) = \mathbb{E}_{x \sim p_{data}}[-\mathrm{BCE}(1, D(x))]"
            r" + \mathbb{E}_{z \sim p_z}[-\mathrm{BCE}(0, D(G(z)))],"
            r"\quad \mathrm{BCE}(y, \hat y) = -y \log \hat y - (1 - y) \log(1 - \hat y)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Section 3 (value function, eq. 1)",
        tutorials=(MATH_BEHIND_GANS, LECTURE),
    ),
    Claim(
        id="GAN14-NS",
        title="The minimax generator loss saturates, the non-saturating one does not",
        statement=(
            r"\frac{d}{dD} \log(1 - D) = -\frac{1}{1 - D},\ \frac{d}{dD}(-\log D) = -\frac{1}{D},"
            r"\ \frac{D}{1 - D} \to 0\ (D \to 0^+);\ \text{in the logit}\ \ell:"
            r"\ -\sigma(\ell) \to 0,\ -(1 - \sigma(\ell)) \to -1\ (\ell \to -\infty)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Section 3 (the non-saturating generator objective)",
        tutorials=(MATH_BEHIND_GANS, LECTURE),
    ),
    Claim(
        id="GAN14-P1-GAUSS",
        title="The optimal discriminator between two Gaussians is a logistic regression",
        statement=(
            r"p_{data} = N(\mu_1, \sigma_1^2),\ p_g = N(\mu_2, \sigma_2^2):"
            r"\ \log\frac{D^*(x)}{1 - D^*(x)} = w_2 x^2 + w_1 x + w_0,"
            r"\ w_2 = \tfrac12(\sigma_2^{-2} - \sigma_1^{-2}),"
            r"\ \text{linear in}\ x\ \text{iff}\ \sigma_1 = \sigma_2"
        ),
        source="goodfellow2014generative",
        reference=(
            "Goodfellow et al. 2014, Proposition 1, for two Gaussians (the class posterior of "
            "quadratic discriminant analysis, Hastie et al. 2009, Section 4.3)"
        ),
        tutorials=(LECTURE,),
    ),
    Claim(
        id="GAN14-MB",
        title="The minibatch estimate of the value function is unbiased",
        statement=(
            r"\mathbb{E}\,\tilde V(G, D) = V(G, D),\quad \tilde V(G, D) = \frac1m \sum_{i=1}^m"
            r" \log D(x^{(i)}) + \frac1m \sum_{i=1}^m \log\bigl(1 - D(G(z^{(i)}))\bigr)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Algorithm 1 (minibatch gradient of V)",
        tutorials=(MATH_IDEAS,),
    ),
    Claim(
        id="GAN14-P2",
        title="Algorithm 1 drives p_g to p_data and D to 1/2",
        statement=(
            r"\text{If } D \text{ reaches } D^*_G \text{ at each step and } p_g"
            r" \text{ is updated to improve } \mathbb{E}_{p_{data}}\log D^*_G"
            r" + \mathbb{E}_{p_g}\log(1 - D^*_G),"
            r"\ \text{then } p_g \to p_{data}\ \text{and}\ D^*_G \to \tfrac12"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Proposition 2 (convergence of Algorithm 1)",
        tutorials=(MATH_BEHIND_GANS, MATH_IDEAS, NOTES_2018),
    ),
    Claim(
        id="GAN14-ALG1-K",
        title="More discriminator steps per generator step keep D nearer D*",
        statement=(
            r"\overline{\mathbb{E}_{(p_{data}+p_g)/2}\,|D_\theta - D^*_G|}"
            r"\ \text{(averaged over training) decreases as } k \text{ grows}"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Algorithm 1 (k steps of the discriminator)",
        tutorials=(MATH_BEHIND_GANS, NOTES_2018),
    ),
)
