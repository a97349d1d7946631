"""The five tutorial texts whose derivations gantheory verifies, as bibliography records.

gantheory was started from five tutorial texts on GANs, written in Chinese with English
formulas: a translated article, a blog post, a lecture transcript and two sets of study notes.
They derive the results of Goodfellow et al. (2014) step by step, and they slip in places; the
claims of :mod:`gantheory.claims` name the texts whose derivations they check. The texts are not
shipped with gantheory: each is cited as a bibliography entry (``docs/references.bib``, under
:attr:`TutorialText.key`) by what the text itself states — its title, its kind and date, and its
origin. None of them names an author.

The docs page "Tutorial texts" lists, for each text, what it derives and which claims check it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TUTORIALS", "TutorialText", "get_tutorial"]


@dataclass(frozen=True)
class TutorialText:
    """One tutorial text, cited by what it states about itself.

    Attributes
    ----------
    key : str
        Its BibTeX key in ``docs/references.bib``.
    title : str
        The title as the text gives it (in Chinese for four of the five).
    english : str
        The title in English: the original article's title for a translation, otherwise a
        translation of ``title`` (equal to it when the title is English).
    kind : str
        What kind of text it is, its date if it gives one, and its origin.
    contents : str
        What the text derives, in the order it does.
    slips : str
        Where the text slips, as the claims' checks show; empty if nowhere.
    """

    key: str
    title: str
    english: str
    kind: str
    contents: str
    slips: str = ""

    @property
    def citation(self) -> str:
        """A plain-text citation: the English title in quotes and the kind, for reports.

        Examples
        --------
        >>> get_tutorial("ganmathideas2017").citation
        '"Mathematical ideas in GAN" (blog post, in Chinese, 2017-07-24)'
        """
        return f'"{self.english}" ({self.kind.split(";")[0]})'


TUTORIALS: tuple[TutorialText, ...] = (
    TutorialText(
        key="mathbehindgans_zh",
        title="GANs(生成对抗网络)背后的数学",
        english="The Math Behind GANs (Generative Adversarial Networks)",
        kind=(
            "Chinese translation of a Towards Data Science article, undated; the original's "
            "address is on its first line"
        ),
        contents=(
            "The discriminator's and the generator's losses from the binary cross-entropy; "
            "Algorithm 1; the optimal discriminator D* and the identity "
            "C(G) = -2 log 2 + 2 JSD(p_data || p_g); vanishing gradients (the JSD is flat at "
            "log 2 when the distributions do not overlap, with a figure after Wang, She & Ward "
            "2019 quoting JSD 0.693 for far-apart Gaussians and 0.336 for closer ones); the "
            "-log D(G(z)) generator loss as the fix; mode collapse."
        ),
    ),
    TutorialText(
        key="ganmathideas2017",
        title="Generative Adversarial Network(GAN) 中的数学思想",
        english="Mathematical ideas in GAN",
        kind="blog post, in Chinese, 2017-07-24",
        contents=(
            "Maximum likelihood as minimising KL(p_data || p_G) (its eq. 1-2); the density of "
            "the generator's push-forward (eq. 3); V(G, D) as an integral (eq. 5); the pointwise "
            "derivative that gives D* (eq. 6); V(G, D*) = -2 log 2 + 2 JSD (eq. 7); the "
            "minibatch estimates of V (eq. 10-11)."
        ),
    ),
    TutorialText(
        key="cs182lecture19",
        title="CS 182 Lecture 19, Part 2: GANs",
        english="CS 182 Lecture 19, Part 2: GANs",
        kind=(
            "Chinese transcript of a recorded lecture of CS 182, the deep learning course of "
            "UC Berkeley; undated"
        ),
        contents=(
            "The two-player minimax game; minibatch gradients; backpropagation through D into "
            "G; D* derived as the Bayes-optimal classifier; the JSD is symmetric; the "
            "non-saturating generator loss and why it helps (the shapes of log x and "
            "log(1 - x)); fully connected and convolutional architectures; the conditional GAN "
            "(one-hot labels concatenated); CycleGAN (the cycle-consistency loss)."
        ),
    ),
    TutorialText(
        key="ganmathnotes",
        title="GAN 数学原理",
        english="The mathematics of GANs",
        kind="study notes, in Chinese, undated",
        contents=(
            "The derivative of V with respect to D and the optimal discriminator D*; "
            "V(G, D*) >= -log 4 with equality iff p_data = p_g (where D* = 1/2); the "
            "definitions of entropy and of the KL divergence."
        ),
        slips=(
            "It writes log(G(z)) and log(1 - G(z)) where log D(G(z)) and log(1 - D(G(z))) are "
            "meant."
        ),
    ),
    TutorialText(
        key="gannotes2018",
        title="生成对抗网络",
        english="Generative adversarial networks",
        kind="study notes, in Chinese, 2018-11-13, following a textbook's Algorithm 13.1",
        contents=(
            "The minimax objective; k discriminator steps per generator step (the textbook's "
            "Algorithm 13.1, noise from N(0, I)); D(G(z)) = 1/2 at the equilibrium; the design "
            "rules of DCGAN."
        ),
        slips=(
            "Its generator step ascends D(G(z)) itself rather than log D(G(z)): a different "
            "objective, with a different gradient."
        ),
    ),
)


def get_tutorial(key: str) -> TutorialText:
    """The tutorial text with BibTeX key ``key``; ``KeyError`` listing the known keys otherwise.

    Examples
    --------
    >>> get_tutorial("cs182lecture19").title
    'CS 182 Lecture 19, Part 2: GANs'
    """
    for t in TUTORIALS:
        if t.key == key:
            return t
    known = ", ".join(t.key for t in TUTORIALS)
    raise KeyError(f"unknown tutorial text {key!r}; known keys: {known}")
