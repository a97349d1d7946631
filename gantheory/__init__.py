"""gantheory: a numerical verification suite of GAN theory.

The theory of Goodfellow et al. (2014) — the optimal discriminator, the value of the game at it,
``C(G) = -log 4 + 2 JSD(p_data || p_g)`` and the global minimum ``-log 4`` at ``p_g = p_data`` —
checked exactly (SymPy), numerically (exact sums and quadrature), over many random cases
(Hypothesis) and empirically (a NumPy GAN with hand-written backprop). Every statement is a
claim with a stable ID in :mod:`gantheory.claims`; ``gantheory verify`` runs them all.
"""

from gantheory import nn, objectives
from gantheory.conditional import (
    ClassConditional,
    JSDDecomposition,
    ProjectionTerms,
    class_jsds,
    conditional_optimal_discriminator,
    conditional_optimal_value,
    conditional_value,
    joint_jsd,
    jsd_decomposition,
    per_class_value,
    projection_terms,
)
from gantheory.cycle import (
    Transport,
    cycle_loss,
    exchange_transport,
    folded_transport,
    min_cycle_loss,
    monotone_transport,
    zigzag_transport,
)
from gantheory.distributions import Discrete, Mixture
from gantheory.divergences import cross_entropy, entropy, jsd, kl, tv
from gantheory.fdivergence import conjugate, f_divergence, optimal_critic, variational_bound
from gantheory.game import (
    generator_objective_minimax,
    generator_objective_nonsaturating,
    minibatch_value,
    optimal_discriminator,
    optimal_value,
    value,
)
from gantheory.objectives import Objective
from gantheory.quadrature import Estimate, QuadratureError
from gantheory.wasserstein import wasserstein, wasserstein_critic

__version__ = "0.1.0"

__all__ = [
    "ClassConditional",
    "Discrete",
    "Estimate",
    "JSDDecomposition",
    "Mixture",
    "Objective",
    "ProjectionTerms",
    "QuadratureError",
    "Transport",
    "__version__",
    "class_jsds",
    "conditional_optimal_discriminator",
    "conditional_optimal_value",
    "conditional_value",
    "conjugate",
    "cross_entropy",
    "cycle_loss",
    "entropy",
    "exchange_transport",
    "f_divergence",
    "folded_transport",
    "generator_objective_minimax",
    "generator_objective_nonsaturating",
    "joint_jsd",
    "jsd",
    "jsd_decomposition",
    "kl",
    "min_cycle_loss",
    "minibatch_value",
    "monotone_transport",
    "nn",
    "objectives",
    "optimal_critic",
    "optimal_discriminator",
    "optimal_value",
    "per_class_value",
    "projection_terms",
    "tv",
    "value",
    "variational_bound",
    "wasserstein",
    "wasserstein_critic",
    "zigzag_transport",
]
