"""The fixed, documented cases the discrete and continuous checks run over.

Each case is a named pair ``(p, q)``; the continuous set holds the hard cases of the quadrature
on purpose: peaks far from the origin, a very narrow density against a wide one, heavy tails
(Cauchy), a mixture with far-apart components, partially overlapping and disjoint compact
supports (uniforms), and a density with integrable singularities at both support ends
(Beta(1/2, 1/2), the arcsine law). ``EQUAL`` marks the pairs with ``p = q``; ``DISJOINT`` the pairs
whose supports do not overlap.

The closed forms next to some cases are used by the tests as independent references.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from gantheory.distributions import Discrete, Mixture

__all__ = ["CONTINUOUS_CASES", "DISCRETE_CASES", "DISJOINT", "EQUAL", "perturbations"]


def _dirichlet(n: int, seed: int) -> Discrete:
    return Discrete(np.random.default_rng(seed).dirichlet(np.ones(n)))


#: Discrete pairs (p_data, p_g).
DISCRETE_CASES: dict[str, tuple[Discrete, Discrete]] = {
    "bernoulli": (Discrete([0.3, 0.7]), Discrete([0.6, 0.4])),
    "uniform-vs-skewed": (Discrete([0.25] * 4), Discrete([0.1, 0.2, 0.3, 0.4])),
    "zeros-in-p": (Discrete([0.5, 0.5, 0.0, 0.0]), Discrete([0.1, 0.2, 0.3, 0.4])),
    "zeros-in-q": (Discrete([0.1, 0.2, 0.3, 0.4]), Discrete([0.0, 0.5, 0.5, 0.0])),
    "partial-overlap": (Discrete([0.5, 0.5, 0.0]), Discrete([0.0, 0.5, 0.5])),
    "disjoint": (Discrete([0.5, 0.5, 0.0, 0.0]), Discrete([0.0, 0.0, 0.5, 0.5])),
    "near-degenerate": (Discrete([1 - 1e-12, 1e-12]), Discrete([1e-12, 1 - 1e-12])),
    "tiny-mass": (Discrete([1e-300, 1 - 1e-300]), Discrete([0.5, 0.5])),
    "dirichlet-1000": (_dirichlet(1000, 1), _dirichlet(1000, 2)),
    "equal": (Discrete([0.2, 0.3, 0.0, 0.5]), Discrete([0.2, 0.3, 0.0, 0.5])),
}

#: Continuous pairs (p_data, p_g).
CONTINUOUS_CASES: dict[str, tuple[object, object]] = {
    "gaussians": (stats.norm(0, 1), stats.norm(1, 2)),
    "far-from-origin": (stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 2)),
    "narrow-vs-wide": (stats.norm(0, 1e-3), stats.norm(0.5, 10)),
    "cauchy": (stats.cauchy(0, 1), stats.cauchy(3, 2)),
    "laplace-vs-t3": (stats.laplace(0, 1), stats.t(3)),
    "far-mixture": (Mixture([stats.norm(-50, 1), stats.norm(50, 1)]), stats.norm(0, 40)),
    "uniform-partial": (stats.uniform(0, 1), stats.uniform(0.3, 1)),
    "uniform-disjoint": (stats.uniform(0, 1), stats.uniform(2, 1)),
    "arcsine-vs-uniform": (stats.beta(0.5, 0.5), stats.uniform(0, 1)),
    "equal": (stats.norm(2, 3), stats.norm(2, 3)),
}

#: Names of the cases with p = q.
EQUAL: frozenset[str] = frozenset({"equal"})
#: Names of the cases whose supports are disjoint.
DISJOINT: frozenset[str] = frozenset({"disjoint", "uniform-disjoint"})


def perturbations(count: int, *, rng: np.random.Generator) -> list[tuple[float, float, float]]:
    """``count`` random perturbation parameters ``(eps, freq, phase)`` for discriminators.

    A perturbed discriminator has logit ``logit D*(x) + eps * sin(freq * x + phase)``; the
    first three are fixed (a constant shift up, down, and a slow wave), the rest random with
    ``eps`` in [-2, 2], ``freq`` in [0, 3], ``phase`` in [0, 2 pi].
    """
    fixed = [(0.5, 0.0, np.pi / 2), (-0.5, 0.0, np.pi / 2), (1.0, 0.5, 0.0)]
    rand = [
        (float(rng.uniform(-2, 2)), float(rng.uniform(0, 3)), float(rng.uniform(0, 2 * np.pi)))
        for _ in range(max(0, count - len(fixed)))
    ]
    return (fixed + rand)[:count]
