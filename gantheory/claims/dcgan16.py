"""The claims from Radford, Metz & Chintala (2016), *Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks*, IDs ``DCGAN16-<label>``.

A DCGAN is a GAN whose players are convolutional networks built by a few rules: strided
convolutions in the discriminator and transposed (fractionally strided) convolutions in the
generator instead of pooling, batch normalisation in both, no fully connected hidden layers,
ReLU in the generator with a tanh output, LeakyReLU in the discriminator. The claims are
measured on real data, scikit-learn's 8×8 handwritten digits, by an independent referee (a
classifier fitted to the real digits only): which digits the samples cover, and the Fréchet
distance of the referee's features of generated and real digits (Heusel et al. 2017). Their
checks need the ``images`` extra. The registry (:func:`gantheory.claims.registry`) gives the
claims in catalogue order.
"""

from __future__ import annotations

from gantheory.claims._records import Claim
from gantheory.claims._texts import LECTURE, NOTES_2018

__all__ = ["CLAIMS"]

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="DCGAN16-DIGITS",
        title="A DCGAN built by the rules covers every digit, near the real noise floor",
        statement=(
            r"G, D\ \text{by the DCGAN rules, trained by Algorithm 1 on the}\ 8 \times 8"
            r"\ \text{digits}:\ \text{all 10 digits drawn},\ \max_y \left|\hat p_g(y)"
            r" - \tfrac{1}{10}\right| \le 0.08,\ \mathrm{FD}(p_g, p_{data}) \le 2.5"
            r" \ll \mathrm{FD}(p_{g_0}, p_{data})"
        ),
        source="radford2016unsupervised",
        reference=(
            "Radford et al. 2016, Section 3 (the architecture guidelines for stable deep"
            " convolutional GANs), trained by Goodfellow et al. 2014, Algorithm 1 with the"
            " non-saturating generator loss and Adam (step 2e-4, beta1 = 1/2, Section 4);"
            " measured by the Frechet distance of Heusel et al. 2017, Section 3"
        ),
        tutorials=(NOTES_2018, LECTURE),
    ),
    Claim(
        id="DCGAN16-BN",
        title="Without batch normalisation the same DCGAN ends far from the digits",
        statement=(
            r"\text{the same}\ G, D\ \text{and schedule without batch normalisation}:"
            r"\ \mathrm{FD}(p_g, p_{data}) \ge 3 > 2.5"
        ),
        source="radford2016unsupervised",
        reference=(
            "Radford et al. 2016, Section 3 (batch normalisation 'proved critical to get deep"
            " generators to begin learning, preventing the generator from collapsing all"
            " samples to a single point'), after Ioffe & Szegedy 2015"
        ),
        tutorials=(NOTES_2018,),
    ),
)
