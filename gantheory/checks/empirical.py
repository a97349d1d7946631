"""Empirical checks: GANs trained with Algorithm 1, measured against exact values.

Fast checks run in ``gantheory verify`` (one seed, small configurations, about 5 s together);
the ``slow=True`` ones repeat them over seeds with the full configurations of
:mod:`gantheory.experiments` (``pytest -m slow``, ``gantheory verify --slow``). Every bound is
the one the claim states; each ``tolerance_reason`` says where it comes from. Results are cached
per process, so the checks of one experiment share a single training run.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
from scipy import stats

from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.distributions import Mixture
from gantheory.experiments import (
    D_REGION,
    E1_REGION,
    E2_CONFIG,
    E2_MIXTURE_CONFIG,
    E4_CONFIG,
    discriminator_convergence,
    gan_convergence,
    k_tracking,
    saturation,
)
from gantheory.experiments_landscape import jsd_vs_distance, mode_coverage
from gantheory.gan import GANConfig

#: E2's data: a Gaussian and a two-component mixture with a clear valley between its modes.
E2_DATA = {
    "N(1, 0.5^2)": stats.norm(1.0, 0.5),
    "0.5 N(-1, 0.5^2) + 0.5 N(1, 0.5^2)": Mixture([stats.norm(-1.0, 0.5), stats.norm(1.0, 0.5)]),
}
#: The full E2 configuration per data set (the mixture needs twice the iterations).
E2_CONFIGS = {
    "N(1, 0.5^2)": E2_CONFIG,
    "0.5 N(-1, 0.5^2) + 0.5 N(1, 0.5^2)": E2_MIXTURE_CONFIG,
}
#: The fast E2 run: 1500 iterations at batch 128 (about 1 s).
E2_FAST_CONFIG = GANConfig(k=3, m=128, steps=1500, lr_d=2e-3, lr_g=6e-4, lr_decay=0.05)
E1_SEEDS = (0, 1, 2)
E2_SEEDS = (0, 1, 2, 3, 4)
E4_SEEDS = (0, 1, 2)
E6_SEEDS = (0, 1, 2, 3, 4)
#: E1's bounds: the trained D within 0.03 of D* on the central 95%, V within 5e-3 of C(G).
E1_SUP_BOUND = 0.03
E1_GAP_BOUND = 5e-3
#: E2's bounds and the number of seeds (of 5) that must meet them.
E2_JSD_BOUND = 0.02
E2_D_BOUND = 0.05
E2_MIN_SUCCESSES = 4
_E4_FAST = dataclasses.replace(E4_CONFIG, steps=300)

_E1_REASON = (
    f"the bound 0.03 on sup |D_theta - D*| over the central {E1_REGION:.0%} of (p_data + p_g)/2,"
    " where D is trained (max over"
    " 2001 grid nodes, spacing ~3.6e-3); D* exact (p_g = N(1, 1.5^2) from an affine G)"
)
_GAP_REASON = (
    "C(G) - V(G, D_theta) must lie in [-err, 5e-3]: >= -err by Prop. 1 (err = sum of the two"
    " quadrature error bounds), <= 5e-3 is the closeness bound of the check"
)


@functools.cache
def _e1(seeds: tuple[int, ...]) -> tuple:
    return tuple(discriminator_convergence(seed=s) for s in seeds)


def _e1_sup(seeds: tuple[int, ...]) -> CheckResult:
    w = Worst()
    for r in _e1(seeds):
        w.add(r.sup_error, E1_SUP_BOUND, f"seed {r.seed}")
    return w.result(len(seeds), f"max |D_theta - D*| on the central {E1_REGION:.0%}", _E1_REASON)


def _e1_gap(seeds: tuple[int, ...]) -> CheckResult:
    w = Worst()
    for r in _e1(seeds):
        err = r.value_abserr + r.c_g_abserr
        # A negative gap beyond the error bounds would violate Prop. 1: count it as a failure.
        w.add(r.gap if r.gap >= -err else math.inf, E1_GAP_BOUND, f"seed {r.seed}")
    return w.result(len(seeds), "C(G) - V(G, D_theta) by quadrature", _GAP_REASON)


@check("GAN14-P1", "empirical", name="E1: trained D -> D* (1 seed)")
def e1_sup_fast() -> CheckResult:
    """sup |D_theta - D*| <= 0.03 on the central 95% for D trained 5000 steps vs an affine G."""
    return _e1_sup((0,))


@check("GAN14-P1", "empirical", name="E1: V(G, D_theta) <= C(G), gap <= 5e-3 (1 seed)")
def e1_gap_fast() -> CheckResult:
    """0 <= C(G) - V(G, D_theta) <= 5e-3 for the trained D, both by quadrature."""
    return _e1_gap((0,))


@check("GAN14-P1", "empirical", name="E1: trained D -> D* (3 seeds)", slow=True)
def e1_sup_slow() -> CheckResult:
    """sup |D_theta - D*| <= 0.03 over seeds 0, 1, 2."""
    return _e1_sup(E1_SEEDS)


@check("GAN14-P1", "empirical", name="E1: 0 <= C(G) - V(G, D_theta) <= 5e-3 (3 seeds)",
       slow=True)
def e1_gap_slow() -> CheckResult:
    """0 <= C(G) - V(G, D_theta) <= 5e-3 over seeds 0, 1, 2."""
    return _e1_gap(E1_SEEDS)


# -- E2 -------------------------------------------------------------------------------------------
@functools.cache
def _e2(name: str, config: GANConfig, seeds: tuple[int, ...]) -> tuple:
    return tuple(gan_convergence(E2_DATA[name], seed=s, config=config) for s in seeds)


def _kth_best(values: list[float], k: int) -> float:
    """The k-th smallest value: <= bound iff at least k values are <= bound."""
    return sorted(values)[k - 1]


@check("GAN14-P2", "empirical", name="E2: JSD(p_data, p_g) <= 0.02 nats (Gaussian, 1 seed)")
def e2_fast() -> CheckResult:
    """JSD <= 0.02 nats after 1500 iterations on N(1, 0.5^2), exact p_g, quadrature."""
    (r,) = _e2("N(1, 0.5^2)", E2_FAST_CONFIG, (0,))
    return CheckResult(
        residual=r.jsd + r.jsd_abserr, tolerance=E2_JSD_BOUND, cases=1,
        detail=f"JSD {r.jsd:.4g} (+ quadrature bound {r.jsd_abserr:.1e}), seed 0",
        tolerance_reason="the check's bound 0.02 nats; the JSD carries its quadrature error bound",
    )


@check("GAN14-P2", "empirical", name="E2: JSD <= 0.02 in >= 4 of 5 seeds (both data)", slow=True)
def e2_jsd_slow() -> CheckResult:
    """JSD <= 0.02 nats in at least 4 of 5 seeds, on the Gaussian and on the mixture."""
    w = Worst()
    for name in E2_DATA:
        runs = _e2(name, E2_CONFIGS[name], E2_SEEDS)
        w.add(_kth_best([r.jsd + r.jsd_abserr for r in runs], E2_MIN_SUCCESSES), E2_JSD_BOUND,
              name)
    return w.result(
        2, "4th smallest JSD of 5 seeds",
        "JSD <= 0.02 nats in >= 4 of 5 seeds (the 4th smallest of 5 is <= 0.02)",
    )


@check("GAN14-P2", "empirical", name="E2: |D - 1/2| <= 0.05 on central 80% (Gaussian)",
       slow=True)
def e2_d_slow() -> CheckResult:
    """max |D_theta - 1/2| over the central 80% of N(1, 0.5^2) <= 0.05 in >= 4 of 5 seeds."""
    runs = _e2("N(1, 0.5^2)", E2_CONFIGS["N(1, 0.5^2)"], E2_SEEDS)
    return CheckResult(
        residual=_kth_best([r.d_dev for r in runs], E2_MIN_SUCCESSES), tolerance=E2_D_BOUND,
        cases=len(runs), detail="4th smallest max |D - 1/2| of 5 seeds",
        tolerance_reason=(
            f"D within 1/2 +- 0.05 on the central {D_REGION:.0%} of p_data, where the data is, in"
            " 4 of 5 seeds (on the central 95% even the exact D*_G of a trained generator leaves"
            " the band in a third of the runs: the generator's tails)"
        ),
    )


# -- E3 -------------------------------------------------------------------------------------------
_NS_REASON = (
    "the non-saturating gradient is >= 10x the minimax one against a near-optimal D"
    " and a poor G (p_g = N(-4, 0.5^2), p_data = N(0, 1), 4096 noise samples)"
)


@check("GAN14-NS", "empirical", name="E3: |grad NS| >= 10 |grad minimax| (trained D)")
def e3_ratio_fast() -> CheckResult:
    """Gradient-norm ratio non-saturating / minimax >= 10 against a trained D, G far off."""
    r = saturation(seed=0, shifts=(-4.0,))
    return CheckResult(
        residual=float(r.ratio[0]), tolerance=10.0, relation=">=", cases=1,
        detail=f"mean D(G(z)) = {r.d_fake[0]:.3g}; norms {r.grad_nonsaturating[0]:.3g} vs"
        f" {r.grad_minimax[0]:.3g}",
        tolerance_reason=_NS_REASON,
    )


@check("GAN14-NS", "empirical", name="E3: SGD with minimax reaches p_data >= 2x later",
       slow=True)
def e3_training_slow() -> CheckResult:
    """With SGD from a poor G, minimax needs >= 2x the iterations of non-saturating (3 seeds)."""
    r = saturation(seed=0, shifts=(-4.0,), train_seeds=(0, 1, 2))
    ratio = r.hit_iteration["sgd", "minimax"] / r.hit_iteration["sgd", "nonsaturating"]
    return CheckResult(
        residual=float(np.min(ratio)), tolerance=2.0, relation=">=", cases=ratio.size,
        detail="min over seeds of (iterations to |mean p_g| < 0.5): minimax / non-saturating",
        tolerance_reason=(
            "the gradient factor D vs 1 - D predicts ~1/D(G(z)) ~ 30x slower early on; 2x is a"
            " conservative test of the direction (SGD steps are proportional to the gradient)"
        ),
    )


# -- E4 -------------------------------------------------------------------------------------------
def _e4_result(seeds: tuple[int, ...], config: GANConfig) -> CheckResult:
    r = k_tracking(seeds=seeds, config=config)
    m = r.mean_distance  # (k, seeds)
    ratio = float(np.max(m[1:] / m[:-1]))
    return CheckResult(
        residual=ratio, tolerance=1.0, cases=m.size,
        detail="max over seeds and consecutive k of avg distance(k_next) / avg distance(k);"
        f" averages {', '.join(f'k={k}: {v:.3g}' for k, v in zip(r.ks, r.average))}",
        tolerance_reason="the claim is an ordering: every ratio must be <= 1 (k = 1, 3, 5)",
    )


@check("GAN14-ALG1-K", "empirical", name="E4: distance to D* shrinks with k (1 seed)")
def e4_fast() -> CheckResult:
    """Time-averaged E|D_theta - D*| decreases from k = 1 to 3 to 5 (300 iterations, seed 0)."""
    return _e4_result((0,), _E4_FAST)


@check("GAN14-ALG1-K", "empirical", name="E4: distance to D* shrinks with k (3 seeds)",
       slow=True)
def e4_slow() -> CheckResult:
    """Time-averaged E|D_theta - D*| decreases in k for each of seeds 0, 1, 2 (600 iterations)."""
    return _e4_result(E4_SEEDS, E4_CONFIG)


# -- E5 -------------------------------------------------------------------------------------------
_E5_DISTANCES = np.array([2.0, 5.0, 10.0])


@functools.cache
def _e5():
    return jsd_vs_distance(distances=_E5_DISTANCES, solve=False)


@check("AB17-JSD-FLAT", "empirical", name="E5: JSD(N(0,1) || N(10,1)) = 0.693 (3 decimals)")
def e5_saturates() -> CheckResult:
    """log 2 - JSD at d = 10 is below the rounding of the seed's quoted 0.693; JSD increasing."""
    r = _e5()
    increasing = bool(np.all(np.diff(r.jsd) > 0))
    gap = float(math.log(2.0) - r.jsd[-1]) + float(r.jsd_abserr[-1])
    return CheckResult(
        residual=gap if increasing else math.inf, tolerance=math.log(2.0) - 0.6925,
        cases=r.jsd.size,
        detail=f"log 2 - JSD at d = 10: {gap:.3g}; JSD increasing over d = 2, 5, 10: {increasing}",
        tolerance_reason="JSD rounds to the seed's 0.693 iff log 2 - JSD <= log 2 - 0.6925",
    )


@check("AB17-JSD-FLAT", "empirical", name="E5: dJSD/dd at d = 10 < 1e-4 of that at d = 2")
def e5_gradient_vanishes() -> CheckResult:
    """|dJSD/dd| at d = 10 relative to its value at d = 2 (near the peak), by quadrature."""
    r = _e5()
    rel = float((abs(r.djsd[-1]) + r.djsd_abserr[-1]) / np.max(np.abs(r.djsd)))
    return CheckResult(
        residual=rel, tolerance=1e-4, cases=r.djsd.size,
        detail=f"dJSD/dd: {r.djsd[-1]:.3g} at d = 10, {r.djsd[0]:.3g} at d = 2",
        tolerance_reason=(
            "'vanishes': a gradient step at d = 10 is under 1e-4 of the step at d = 2 (the peak,"
            " 0.233, is at d = 1.75), 4 orders of magnitude; the quadrature bound is added"
        ),
    )


@check("AB17-JSD-FLAT", "empirical", name="E5: dJSD/dd by quadrature = central differences")
def e5_derivative_fd() -> CheckResult:
    """The differentiated-integrand quadrature agrees with central differences of the JSD."""
    r = _e5()
    h = 1e-4
    tol = float(h**2 / 6 + 2 * np.max(r.jsd_abserr) / h + 1e-12 + np.max(r.djsd_abserr))
    return CheckResult(
        residual=float(np.max(np.abs(r.djsd - r.djsd_fd))), tolerance=tol, cases=r.djsd.size,
        detail="max over d of |quadrature - central difference|",
        tolerance_reason=(
            "central differences with h = 1e-4: truncation h^2 |f'''| / 6 with |f'''| <= 1,"
            " plus 2x the JSD quadrature bound / h (rounding), plus the derivative's bound"
        ),
    )


# -- E6 -------------------------------------------------------------------------------------------
@check("GTUT16-MODE", "empirical", name="E6: a trained generator misses a mode", slow=True)
def e6_mode_collapse() -> CheckResult:
    """Search 5 seeds for a generator covering fewer than all 4 modes (coverage metric of E6)."""
    r = mode_coverage(seeds=E6_SEEDS)
    missing = r.means.size - r.covered
    found = np.flatnonzero(missing > 0)
    example = None
    if found.size:
        i = int(found[0])
        example = (
            f"seed {r.seeds[i]}: modes covered {int(r.covered[i])} of {r.means.size}; mass within"
            f" 3 sd of each mode {np.round(r.mode_mass[i], 3).tolist()} vs half-weights"
            f" {np.round(0.5 * r.weights, 3).tolist()}; JSD {r.jsd[i]:.3g}"
        )
    return CheckResult(
        residual=float(np.max(missing)), tolerance=1.0, relation=">=", cases=len(r.seeds),
        detail=f"modes covered per seed: {r.covered.tolist()}", counterexample=example,
        tolerance_reason="a counterexample needs at least one whole mode missed",
    )
