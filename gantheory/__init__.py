"""gantheory: a numerical verification suite of GAN theory.

The theory of Goodfellow et al. (2014) — the optimal discriminator, the value of the game at it,
``C(G) = -log 4 + 2 JSD(p_data || p_g)`` and the global minimum ``-log 4`` at ``p_g = p_data`` —
checked exactly (SymPy), numerically (exact sums and quadrature), over many random cases
(Hypothesis) and empirically (a NumPy GAN with hand-written backprop). Every statement is a
claim with a stable ID in :mod:`gantheory.claims`; ``gantheory verify`` runs them all.

Importing the package is cheap: each public name is imported from its module the first time it
is used (module ``__getattr__``, PEP 562), so ``gantheory --help`` does not wait for SciPy.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and editors; at run time, __getattr__ below
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
    from gantheory.distributions import (
        Discrete,
        Mixture,
    )
    from gantheory.divergences import (
        cross_entropy,
        entropy,
        jsd,
        kl,
        tv,
    )
    from gantheory.fdivergence import (
        conjugate,
        f_divergence,
        optimal_critic,
        variational_bound,
    )
    from gantheory.game import (
        generator_objective_minimax,
        generator_objective_nonsaturating,
        minibatch_value,
        optimal_discriminator,
        optimal_value,
        value,
    )
    from gantheory.quadrature import (
        Estimate,
        QuadratureError,
    )
    from gantheory.wasserstein import (
        wasserstein,
        wasserstein_critic,
    )

#: The public names that are subpackages or modules themselves.
_SUBMODULES = frozenset({"nn", "objectives"})
#: Where each public name lives: the module it is imported from on first use.
_LAZY = {
    "nn": "gantheory.nn",
    "objectives": "gantheory.objectives",
    "Objective": "gantheory.objectives",
    "ClassConditional": "gantheory.conditional",
    "JSDDecomposition": "gantheory.conditional",
    "ProjectionTerms": "gantheory.conditional",
    "class_jsds": "gantheory.conditional",
    "conditional_optimal_discriminator": "gantheory.conditional",
    "conditional_optimal_value": "gantheory.conditional",
    "conditional_value": "gantheory.conditional",
    "joint_jsd": "gantheory.conditional",
    "jsd_decomposition": "gantheory.conditional",
    "per_class_value": "gantheory.conditional",
    "projection_terms": "gantheory.conditional",
    "Transport": "gantheory.cycle",
    "cycle_loss": "gantheory.cycle",
    "exchange_transport": "gantheory.cycle",
    "folded_transport": "gantheory.cycle",
    "min_cycle_loss": "gantheory.cycle",
    "monotone_transport": "gantheory.cycle",
    "zigzag_transport": "gantheory.cycle",
    "Discrete": "gantheory.distributions",
    "Mixture": "gantheory.distributions",
    "cross_entropy": "gantheory.divergences",
    "entropy": "gantheory.divergences",
    "jsd": "gantheory.divergences",
    "kl": "gantheory.divergences",
    "tv": "gantheory.divergences",
    "conjugate": "gantheory.fdivergence",
    "f_divergence": "gantheory.fdivergence",
    "optimal_critic": "gantheory.fdivergence",
    "variational_bound": "gantheory.fdivergence",
    "generator_objective_minimax": "gantheory.game",
    "generator_objective_nonsaturating": "gantheory.game",
    "minibatch_value": "gantheory.game",
    "optimal_discriminator": "gantheory.game",
    "optimal_value": "gantheory.game",
    "value": "gantheory.game",
    "Estimate": "gantheory.quadrature",
    "QuadratureError": "gantheory.quadrature",
    "wasserstein": "gantheory.wasserstein",
    "wasserstein_critic": "gantheory.wasserstein",
}


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


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gantheory' has no attribute {name!r}")
    value = importlib.import_module(module)
    if name not in _SUBMODULES:
        value = getattr(value, name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


#: Public functions named like the module that defines them (``gantheory.wasserstein``).
_NAMED_LIKE_THEIR_MODULE = frozenset(
    n for n, m in _LAZY.items() if n not in _SUBMODULES and m == f"gantheory.{n}"
)


class _Package(types.ModuleType):
    """The package's module type: when the import system binds a submodule to the package
    attribute of the same name (``import gantheory.wasserstein`` sets ``gantheory.wasserstein``),
    a public function of that name stays what the attribute means, as an eager ``from ...
    import`` would have left it."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _NAMED_LIKE_THEIR_MODULE and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
