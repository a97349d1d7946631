r"""Symbolic derivations of GAN theory with SymPy: derived, not restated.

Each function *derives* a result of the theory from its definitions (solving first-order
conditions, substituting a derived optimum, integrating) and returns a frozen dataclass with
the results as SymPy expressions and ``steps``: the ordered ``(description, expression)``
pairs of the derivation, renderable with :func:`sympy.latex` (see
:meth:`~gantheory.symbolic.Derivation.latex` and :meth:`~gantheory.symbolic.Derivation.markdown`).
The checks in :mod:`gantheory.checks.symbolic` compare these results exactly with the textbook
statements of the claims, and numerically with the rest of :mod:`gantheory`.

=====================================  ====================================================
derivation                             claim
=====================================  ====================================================
:func:`pointwise_maximiser`            GAN14-P1 (optimal discriminator, boundary cases)
:func:`integrand_identity`             GAN14-T1 (pointwise rewrite around the mixture)
:func:`discrete_optimal_value`         GAN14-T1 (V(G, D*) = -log 4 + 2 JSD on n points)
:func:`global_minimum`                 GAN14-T1 (Lagrange: p_g = p_data, C = -log 4)
:func:`gaussian_discriminator`         GAN14-P1-GAUSS (logit quadratic / linear in x)
:func:`value_as_cross_entropy`         GAN14-BCE (V is the negative binary cross-entropy)
:func:`maximum_likelihood`,            GTUT16-MLE (maximum likelihood = min KL)
:func:`maximum_likelihood_gaussian`
:func:`generator_gradients`            GAN14-NS (minimax vs non-saturating generator loss)
:func:`gaussian_kl`                    CT06-KL-GAUSS (KL between Gaussians by integration)
:func:`derive_pointwise`               the optimal discriminator of any objective
                                       (:meth:`gantheory.objectives.Objective.derive`)
:func:`fgan_row`,                      FGAN16-CONJ, FGAN16-BOUND (f*, dom f*, T*, g_f,
:func:`jensen_shannon_normalisation`   Fenchel-Young), FGAN16-JS-NORM
=====================================  ====================================================

Derivations are cached (they are pure functions of their arguments); all of them together
take a few seconds.
"""

from gantheory.symbolic._derivation import Derivation, Step
from gantheory.symbolic.criterion import (
    DiscreteOptimalValue,
    GlobalMinimum,
    IntegrandIdentity,
    discrete_optimal_value,
    global_minimum,
    integrand_identity,
)
from gantheory.symbolic.discriminator import PointwiseMaximiser, pointwise_maximiser
from gantheory.symbolic.fgan import (
    FGAN_NAMES,
    FGanRow,
    JensenShannonNormalisation,
    fgan_row,
    jensen_shannon_normalisation,
)
from gantheory.symbolic.gaussian import (
    GaussianDiscriminator,
    GaussianKL,
    gaussian_discriminator,
    gaussian_expectation,
    gaussian_kl,
    normal_pdf,
)
from gantheory.symbolic.likelihood import (
    MaximumLikelihood,
    maximum_likelihood,
    maximum_likelihood_gaussian,
)
from gantheory.symbolic.objectives import (
    CrossEntropyObjective,
    GeneratorGradients,
    binary_cross_entropy,
    generator_gradients,
    value_as_cross_entropy,
)
from gantheory.symbolic.pointwise import PointwiseOptimum, density_symbols, derive_pointwise

__all__ = [
    "FGAN_NAMES",
    "CrossEntropyObjective",
    "Derivation",
    "DiscreteOptimalValue",
    "FGanRow",
    "GaussianDiscriminator",
    "GaussianKL",
    "GeneratorGradients",
    "GlobalMinimum",
    "IntegrandIdentity",
    "JensenShannonNormalisation",
    "MaximumLikelihood",
    "PointwiseMaximiser",
    "PointwiseOptimum",
    "Step",
    "binary_cross_entropy",
    "density_symbols",
    "derive_pointwise",
    "discrete_optimal_value",
    "fgan_row",
    "gaussian_discriminator",
    "gaussian_expectation",
    "gaussian_kl",
    "generator_gradients",
    "global_minimum",
    "integrand_identity",
    "jensen_shannon_normalisation",
    "maximum_likelihood",
    "maximum_likelihood_gaussian",
    "normal_pdf",
    "pointwise_maximiser",
    "value_as_cross_entropy",
]
