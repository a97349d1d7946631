"""Empirical checks of the other objectives: discriminators and GANs trained with each.

For every objective of :data:`OBJECTIVES_TRAINED`:

* E1 — a discriminator trained by the inner loop of Algorithm 1 against the fixed affine
  generator :math:`p_g = N(1, 1.5^2)` of :math:`p_{data} = N(0, 1)` (the set-up of
  :func:`gantheory.experiments.discriminator_convergence`), measured against that objective's
  :math:`D^*` on the central 99% of :math:`\\tfrac12(p_{data} + p_g)`: the supremum of
  :math:`|D_\\theta - D^*|` (for the probability-valued and least-squares objectives), its mean
  weighted by the mixture (for the hinge critic, whose :math:`D^* = \\mathrm{sign}(p_{data} -
  p_g)` jumps where the densities cross, so that no continuous network approaches it
  uniformly), and the value gap :math:`\\max_D V - V(G, D_\\theta)`;
* E2 — a full GAN trained with the objective on :math:`N(1, 0.5^2)`: the JSD of the exact
  push-forward of the trained generator.

The bounds (:data:`BOUNDS`) come from the pass rates over seeds 100-119, which no test uses
(``tools/objective_margins.py``); each bound's reason states them.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
from scipy import stats

from gantheory.experiments import (
    E1_CONFIG,
    E2_CONFIG,
    E1Result,
    E2Run,
    discriminator_convergence,
    gan_convergence,
)
from gantheory.objectives import HINGE, Objective, label_smoothing, least_squares

__all__ = ["BOUNDS", "OBJECTIVES_TRAINED", "REGION", "e1_run", "e2_run", "weighted_error"]

#: The objectives trained, by the names the checks and the margins tool use.
OBJECTIVES_TRAINED: dict[str, Objective] = {
    "label_smoothing": label_smoothing(alpha=0.1),
    "least_squares": least_squares(),
    "least_squares_01": least_squares(a=0.0, b=1.0, c=1.0),
    "hinge": HINGE,
}
#: E1 measures on the central interval holding this much of the mixture.
REGION = 0.99
#: E2's data.
E2_DATA = stats.norm(1.0, 0.5)
#: The bounds of the checks, per objective and measure (None: reported, not asserted).
BOUNDS: dict[str, dict[str, float | None]] = {
    "label_smoothing": {"sup": None, "mean": None, "gap": None, "jsd": None},
    "least_squares": {"sup": None, "mean": None, "gap": None, "jsd": None},
    "least_squares_01": {"sup": None, "mean": None, "gap": None, "jsd": None},
    "hinge": {"sup": None, "mean": None, "gap": None, "jsd": None},
}


@functools.cache
def e1_run(name: str, seed: int) -> E1Result:
    """E1 for the objective ``name``: D trained 5000 steps against N(1, 1.5^2) (cached)."""
    config = dataclasses.replace(E1_CONFIG, objective=OBJECTIVES_TRAINED[name])
    return discriminator_convergence(seed=seed, config=config, region=REGION)


@functools.cache
def e2_run(name: str, seed: int) -> E2Run:
    """E2 for the objective ``name``: Algorithm 1 on N(1, 0.5^2) with E2's schedule (cached)."""
    config = dataclasses.replace(E2_CONFIG, objective=OBJECTIVES_TRAINED[name])
    return gan_convergence(E2_DATA, seed=seed, config=config)


def weighted_error(r: E1Result) -> float:
    r""":math:`\int_R |D_\theta - D^*|\, m / \int_R m` on the region's grid, with
    :math:`m = \tfrac12(p_{data} + p_g)` (trapezoidal weights on the uniform grid)."""
    m = 0.5 * (r.p_data + r.p_g)
    w = np.full(m.size, 1.0)
    w[[0, -1]] = 0.5
    return float(np.sum(w * m * np.abs(r.d_theta - r.d_star)) / np.sum(w * m))


# -- the Wasserstein critic with weight clipping ---------------------------------------------------
#: WGAN's Algorithm 1 on the E1 set-up: the critic trained alone against the fixed affine
#: generator, its weights clipped to [-0.01, 0.01] after every step (Arjovsky et al. 2017 use
#: c = 0.01 and RMSProp; Adam here, as for the other objectives).
WGAN_CRITIC_CONFIG = dataclasses.replace(E1_CONFIG, objective="wasserstein", clip=0.01)
#: The grid on which the critic's Lipschitz constant sup |f'| is measured: its derivative is
#: smooth, and a clipped tanh network's derivative varies on scales far above the spacing.
LIPSCHITZ_GRID = np.linspace(-40.0, 40.0, 160_001)


@dataclasses.dataclass(frozen=True)
class WGANCriticResult:
    """A Wasserstein critic trained with weight clipping against a fixed generator."""

    seed: int
    estimate: float  # E_P f - E_Q f by quadrature (from the densities)
    estimate_abserr: float
    lipschitz: float  # max |f'| on LIPSCHITZ_GRID
    w1: float  # W1(P, Q) (from the distribution functions)
    w1_abserr: float

    @property
    def ratio(self) -> float:
        """(E_P f - E_Q f) / Lip(f): the critic's estimate of W1."""
        return self.estimate / self.lipschitz


def critic_slope(net: object, x: np.ndarray) -> np.ndarray:
    """The derivative f'(x) of a 1-D network at the points ``x`` (by its backward pass)."""
    net.forward(x.reshape(-1, 1))
    return np.asarray(net.backward(np.ones((x.size, 1)), param_grads=False)).reshape(-1)


@functools.cache
def wgan_critic_run(seed: int, scale: float = 1.5, steps: int = 5000) -> WGANCriticResult:
    """Train the clipped critic for ``steps`` steps against p_g = N(1, scale^2), p_data = N(0, 1)
    (``scale = 1``: a shift, where a linear critic is optimal; 1.5: the distribution functions
    cross at x = -2, where the optimal critic's slope changes sign)."""
    from gantheory.experiments import _affine
    from gantheory.gan import GAN
    from gantheory.wasserstein import critic_objective, wasserstein

    data, p_g = stats.norm(0.0, 1.0), stats.norm(1.0, scale)
    gan = GAN(data, config=WGAN_CRITIC_CONFIG, rng=np.random.default_rng(seed))
    _affine(gan, scale, 1.0)
    gan.train_discriminator(steps)
    f = gan.discriminator()
    est = critic_objective(data, p_g, f, full_output=True)
    lip = float(np.max(np.abs(critic_slope(gan.D, LIPSCHITZ_GRID))))
    w1 = wasserstein(data, p_g, full_output=True)
    return WGANCriticResult(seed, est.value, est.abserr, lip, w1.value, w1.abserr)
