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
import math

import numpy as np
from scipy import stats

from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.experiments import (
    E1_CONFIG,
    E2_CONFIG,
    E1Result,
    E2Run,
    discriminator_convergence,
    gan_convergence,
)
from gantheory.objectives import GOODFELLOW, HINGE, Objective, label_smoothing, least_squares

__all__ = ["BOUNDS", "OBJECTIVES_TRAINED", "REGION", "e1_run", "e2_run", "weighted_error"]

#: The objectives trained, by the names the checks and the margins tool use.
OBJECTIVES_TRAINED: dict[str, Objective] = {
    "goodfellow": GOODFELLOW,
    "label_smoothing": label_smoothing(alpha=0.1),
    "least_squares": least_squares(),
    "least_squares_01": least_squares(a=0.0, b=1.0, c=1.0),
    "hinge": HINGE,
}
#: E1 measures on the central interval holding this much of the mixture.
REGION = 0.99
#: E2's data.
E2_DATA = stats.norm(1.0, 0.5)
#: The bounds of the checks, per objective and measure (None: reported, not asserted). Worst
#: values over the 20 runs of seeds 100-119, which no test uses (``tools/objective_margins.py``):
#:
#: * Goodfellow et al.'s objective: sup 0.0305 (on the central 95% the check of E1 bounds it by
#:   0.03; the region's edges hold little training data);
#: * label smoothing (alpha = 0.1): sup 0.028, gap 4.1e-4, JSD 2.7e-3 (every seed);
#: * least squares (-1, 1, 0): sup 0.083 (D* spans [-1, 1]), gap 4.7e-4; the GAN's JSD is 0.054
#:   to 0.144 in every run: with E2's schedule this coding does not converge (not asserted);
#: * least squares (0, 1, 1): sup 0.046, gap 1.4e-4; the GAN's JSD over the 60 runs of seeds
#:   100-159: 1.3e-3 to 0.085 (3 above 0.05, none above 0.1);
#: * hinge: weighted mean 0.053 (its sup is 2 in every run: D* jumps at the crossing x = -2.50,
#:   where the mixture holds 0.6% of its mass), gap 0.0106; the GAN's JSD over seeds 100-159:
#:   1.6e-3 to 0.115 (7 above 0.05, 1 above 0.1, none above 0.15).
#:
#: The GAN checks of least squares and hinge ask for 2 of 3 seeds under a bound no run of the 60
#: exceeded; the JSD of these GANs has a heavier tail than that of Goodfellow et al.'s objective
#: (E2: below 0.0034 in every run), and a tighter bound would fail on another trajectory.
BOUNDS: dict[str, dict[str, float | None]] = {
    "goodfellow": {"sup": 0.05, "mean": None, "gap": None, "jsd": None},
    "label_smoothing": {"sup": 0.05, "mean": None, "gap": 1e-3, "jsd": 0.01},
    "least_squares": {"sup": 0.15, "mean": None, "gap": 1e-3, "jsd": None},
    "least_squares_01": {"sup": 0.1, "mean": None, "gap": 5e-4, "jsd": 0.1},
    "hinge": {"sup": None, "mean": 0.1, "gap": 0.02, "jsd": 0.15},
}
#: Seeds of the fast (one) and slow (three) checks.
FAST_SEEDS = (0,)
SLOW_SEEDS = (0, 1, 2)


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


# -- registered checks ----------------------------------------------------------------------------
_MARGINS = "worst over seeds 100-119 (no test uses them): "
_REASONS = {
    "sup": "sup |D_theta - D*| over 2001 nodes of the central 99% of (p_data + p_g)/2, D* exact"
           " (p_g = N(1, 1.5^2) from an affine G); the bound is about twice the " + _MARGINS,
    "mean": "the mixture-weighted mean of |D_theta - D*| on the central 99% (D* = sign(p - q)"
            " jumps where the densities cross, so no continuous critic approaches it uniformly);"
            " the bound is about twice the " + _MARGINS,
    "gap": "max V - V(G, D_theta) must lie in [-err, bound]: >= -err because D* maximises V (err"
           " = the two quadrature error bounds); the bound is about twice the " + _MARGINS,
    "jsd": "JSD of the exact push-forward of the trained generator (plus its quadrature bound);"
           " the bound holds in every run of seeds no test uses (20 runs, 100-119; least squares"
           " and hinge: 60 runs, 100-159)",
}
_WORST = {"goodfellow": {"sup": 0.0305},
          "label_smoothing": {"sup": 0.028, "gap": 4.1e-4, "jsd": 2.7e-3},
          "least_squares": {"sup": 0.083, "gap": 4.7e-4},
          "least_squares_01": {"sup": 0.046, "gap": 1.4e-4, "jsd": 0.085},
          "hinge": {"mean": 0.053, "gap": 0.0106, "jsd": 0.115}}


def _e1_check(name: str, key: str, seeds: tuple[int, ...]) -> CheckResult:
    w = Worst()
    for seed in seeds:
        r = e1_run(name, seed)
        if key == "gap":
            err = r.value_abserr + r.c_g_abserr
            w.add(r.gap if r.gap >= -err else math.inf, BOUNDS[name][key], f"seed {seed}")
        else:
            w.add(r.sup_error if key == "sup" else weighted_error(r), BOUNDS[name][key],
                  f"seed {seed}")
    reason = _REASONS[key] + f"{_WORST[name][key]:g}"
    what = {"sup": "sup |D_theta - D*|", "mean": "weighted mean |D_theta - D*|",
            "gap": "max V - V(G, D_theta)"}[key]
    return w.result(len(seeds), f"{what}, {OBJECTIVES_TRAINED[name].title}", reason)


def _e2_check(name: str, seeds: tuple[int, ...], need: int) -> CheckResult:
    values = sorted(e2_run(name, s).jsd + e2_run(name, s).jsd_abserr for s in seeds)
    return CheckResult(
        residual=values[need - 1], tolerance=BOUNDS[name]["jsd"], cases=len(seeds),
        detail=f"{need}-th smallest JSD of {len(seeds)} seeds, {OBJECTIVES_TRAINED[name].title}",
        tolerance_reason=_REASONS["jsd"] + f" (worst there {_WORST[name]['jsd']:g})",
    )


def _register_e1(claim: str, name: str, key: str, label: str) -> None:
    bound = BOUNDS[name][key]

    def fast() -> CheckResult:
        return _e1_check(name, key, FAST_SEEDS)

    def slow() -> CheckResult:
        return _e1_check(name, key, SLOW_SEEDS)

    fast.__doc__ = f"{label} <= {bound:g} for D trained 5000 steps against an affine G (1 seed)."
    slow.__doc__ = f"{label} <= {bound:g} over seeds 0, 1, 2."
    check(claim, "empirical", name=f"E1: {label} <= {bound:g} (1 seed)")(fast)
    check(claim, "empirical", name=f"E1: {label} <= {bound:g} (3 seeds)", slow=True)(slow)


def _register_e2(claim: str, name: str, need: int) -> None:
    bound = BOUNDS[name]["jsd"]

    def slow() -> CheckResult:
        return _e2_check(name, SLOW_SEEDS, need)

    slow.__doc__ = (f"A GAN trained by Algorithm 1 with this objective on N(1, 0.5^2) reaches"
                    f" JSD <= {bound:g} nats in {need} of 3 seeds.")
    check(claim, "empirical", name=f"E2: GAN JSD <= {bound:g} in {need} of 3 seeds",
          slow=True)(slow)


_register_e1("GAN14-P1", "goodfellow", "sup", "sup |D - D*| on the central 99%")
_register_e1("GTUT16-LS", "label_smoothing", "sup", "sup |D - D*| (one-sided, alpha = 0.1)")
_register_e1("GTUT16-LS", "label_smoothing", "gap", "max V - V(G, D) (alpha = 0.1)")
_register_e2("GTUT16-LS", "label_smoothing", 3)
_register_e1("LSGAN17-DSTAR", "least_squares", "sup", "sup |D - D*| (a, b, c = -1, 1, 0)")
_register_e1("LSGAN17-DSTAR", "least_squares", "gap", "max V - V(G, D) (-1, 1, 0)")
_register_e1("LSGAN17-DSTAR", "least_squares_01", "sup", "sup |D - D*| (a, b, c = 0, 1, 1)")
_register_e1("LSGAN17-DSTAR", "least_squares_01", "gap", "max V - V(G, D) (0, 1, 1)")
_register_e2("LSGAN17-DSTAR", "least_squares_01", 2)
_register_e1("HINGE17-DSTAR", "hinge", "mean", "weighted mean |D - sign(p - q)|")
_register_e1("HINGE17-DSTAR", "hinge", "gap", "max V - V(G, D) (hinge)")
_register_e2("HINGE17-DSTAR", "hinge", 2)

#: The clipped critic's estimate (E_P f - E_Q f) / Lip(f) within this of W1 on the shifted pair
#: N(0, 1), N(1, 1), where a linear critic is optimal (worst W1 - estimate over seeds 100-119:
#: 1.43e-4); on the crossing pair N(0, 1), N(1, 1.5^2) it stays at least 0.0086 below W1 = 1.0085
#: in every run: the clipped tanh critic is nearly linear and measures |E_P x - E_Q x| = 1.
WGAN_APPROACH_BOUND = 1e-3


def _wgan_check(scale: float, seeds: tuple[int, ...]) -> CheckResult:
    w = Worst()
    for seed in seeds:
        r = wgan_critic_run(seed, scale)
        err = r.estimate_abserr / r.lipschitz + r.w1_abserr
        gap = r.w1 - r.ratio
        if scale == 1.0:  # <= W1, and within the bound of it
            w.add(gap if gap >= -err else math.inf, WGAN_APPROACH_BOUND, f"seed {seed}")
        else:  # <= W1 only: residual is the excess over W1
            w.add(-gap, err, f"seed {seed}")
    if scale == 1.0:
        return w.result(len(seeds), "W1 - (E_P f - E_Q f)/Lip(f), N(0, 1) vs N(1, 1)",
                        "must lie in [-err, 1e-3]: <= W1 by duality (err = the quadrature bounds"
                        " of both, the Lipschitz constant max |f'| on 160001 nodes of [-40, 40]);"
                        " worst over seeds 100-119: 1.43e-4")
    return w.result(len(seeds), "(E_P f - E_Q f)/Lip(f) - W1, N(0, 1) vs N(1, 1.5^2)",
                    "the critic's estimate stays below W1: the excess must not exceed the"
                    " quadrature error bounds (it is -0.0086 in every run of seeds 100-119)")


@check("WGAN17-KR", "empirical", name="WGAN critic, clipped: estimate -> W1 (shift, 1 seed)")
def wgan_shift_fast() -> CheckResult:
    """A critic trained by WGAN's Algorithm 1 (weights clipped to 0.01) against N(1, 1): its
    estimate (E_P f - E_Q f)/Lip(f) is at most W1 and within 1e-3 of it."""
    return _wgan_check(1.0, FAST_SEEDS)


@check("WGAN17-KR", "empirical", name="WGAN critic, clipped: estimate <= W1 (3 seeds)",
       slow=True)
def wgan_slow() -> CheckResult:
    """Over seeds 0, 1, 2, on the shift pair (within 1e-3 of W1) and the crossing pair (<= W1)."""
    a, b = _wgan_check(1.0, SLOW_SEEDS), _wgan_check(1.5, SLOW_SEEDS)
    return a if a.residual - a.tolerance >= b.residual - b.tolerance else b
