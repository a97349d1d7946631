"""Continuous checks: quadrature over the fixed cases of :data:`gantheory.cases.CONTINUOUS_CASES`.

Tolerances are the quadrature's own error estimates (:class:`gantheory.quadrature.Estimate`
``abserr``, summed over the quantities a check compares) plus a few ulps of the result. The
estimates themselves are validated against mpmath at 30 digits in ``tests/test_quadrature.py``.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import special

from gantheory._numerics import ulps
from gantheory.cases import CONTINUOUS_CASES, DISJOINT, EQUAL, perturbations
from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.divergences import jsd, kl
from gantheory.game import optimal_discriminator, optimal_value, value
from gantheory.quadrature import Estimate

_EPS = float(np.finfo(np.float64).eps)
_LOG4 = math.log(4.0)
_QUAD = "sum of the quadrature error estimates of the compared integrals, plus 8 eps * |value|"


@functools.cache
def _c(name: str) -> Estimate:
    """C(G) of a case, computed once per process (several checks compare against it)."""
    return optimal_value(*CONTINUOUS_CASES[name], full_output=True)


@functools.cache
def _j(name: str, swap: bool = False) -> Estimate:
    """JSD of a case (``swap``: with the arguments exchanged), computed once per process."""
    p, q = CONTINUOUS_CASES[name]
    return jsd(q, p, full_output=True) if swap else jsd(p, q, full_output=True)


class _Perturbed:
    """``D(x) = expit(logit D*(x) + eps * sin(freq * atan((x - c) / s) * 4 + phase))``.

    The wave runs in the squashed coordinate ``atan((x - c) / s)`` (``c`` the median of
    ``p_data``, ``s`` its interquartile range), so it has a few oscillations over the bulk and
    none in a Cauchy tail at 1e8, where an ``sin(x)`` would oscillate millions of times and no
    quadrature could follow it. Carries its ``logit``, so :func:`value` works in log space.
    """

    def __init__(self, d_star: object, center: float, width: float, params: tuple) -> None:
        self.d_star, self.c, self.s = d_star, center, width
        self.eps, self.freq, self.phase = params

    def logit(self, x: np.ndarray) -> np.ndarray:
        u = np.arctan((np.asarray(x) - self.c) / self.s)
        return self.d_star.logit(x) + self.eps * np.sin(4 * self.freq * u + self.phase)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return special.expit(self.logit(x))


def _center_width(p: object) -> tuple[float, float]:
    q1, med, q3 = (float(v) for v in np.atleast_1d(p.ppf(np.array([0.25, 0.5, 0.75]))))
    return med, max(q3 - q1, 1e-300)


@check("GAN14-P1", "continuous", name="D* maximises V over perturbed D")
def dstar_maximises_value() -> CheckResult:
    """V(G, D) <= V(G, D*) = C(G) for D* and 3 perturbed D per continuous case, by quadrature.

    The residual is the worst excess V(G, D) - C(G), and |V(G, D*) - C(G)| for D* itself (with
    its exact logit), so that the maximum is also attained.
    """
    rng = np.random.default_rng(20140611)
    w, cases = Worst(), 0
    for name, (p, q) in CONTINUOUS_CASES.items():
        d_star = optimal_discriminator(p, q)
        c = _c(name)
        v = value(p, q, d_star, full_output=True)
        w.add(abs(v.value - c.value), c.abserr + v.abserr + ulps(c.value), f"{name}: D*")
        cases += 1
        center, width = _center_width(p)
        for params in perturbations(3, rng=rng):
            v = value(p, q, _Perturbed(d_star, center, width, params), full_output=True)
            w.add(max(0.0, v.value - c.value), c.abserr + v.abserr + ulps(c.value), name)
            cases += 1
    return w.result(cases, "max over D of V(G, D) - C(G); |V(G, D*) - C(G)|", _QUAD)


@check("GAN14-T1", "continuous", name="C(G) = -log 4 + 2 JSD")
def virtual_criterion_identity() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD)| on every continuous case, both sides by quadrature."""
    w = Worst()
    for name in CONTINUOUS_CASES:
        c, j = _c(name), _j(name)
        w.add(
            abs(c.value - (-_LOG4 + 2 * j.value)), c.abserr + 2 * j.abserr + ulps(c.value), name
        )
    return w.result(len(CONTINUOUS_CASES), "max |C(G) + log 4 - 2 JSD|", _QUAD)


@check("GAN14-T1", "continuous", name="C(G) = -log 4 iff p_g = p_data")
def global_minimum() -> CheckResult:
    """|C(G) + log 4| on the equal pair; C(G) > -log 4 beyond the error bound on the others."""
    w = Worst()
    for name in CONTINUOUS_CASES:
        c = _c(name)
        tol = c.abserr + ulps(c.value)
        gap = c.value + _LOG4
        w.add(abs(gap) if name in EQUAL else (0.0 if gap > tol else math.inf), tol, name)
    return w.result(
        len(CONTINUOUS_CASES), "|C(G) + log 4| (equal); strict > -log 4 (others)", _QUAD
    )


@check("CT06-GIBBS", "continuous", name="KL >= 0, = 0 iff p = q")
def gibbs() -> CheckResult:
    """KL >= 0 both ways on every continuous case (inf allowed), = 0 only on the equal pair."""
    w = Worst()
    for name, (p, q) in CONTINUOUS_CASES.items():
        for a, b in ((p, q), (q, p)):
            k = kl(a, b, full_output=True)
            tol = k.abserr + ulps(k.value)
            if name in EQUAL:
                w.add(abs(k.value), tol, name)
            else:
                w.add(max(0.0, -k.value) if k.value > tol else math.inf, tol, name)
    return w.result(2 * len(CONTINUOUS_CASES), "worst -KL (unequal) or |KL| (equal)", _QUAD)


@check("LIN91-JSD-BOUNDS", "continuous", name="0 <= JSD <= log 2, = log 2 iff disjoint")
def jsd_bounds() -> CheckResult:
    """0 <= JSD <= log 2; = log 2 on disjoint supports, < log 2 beyond the error bound otherwise."""
    log2 = math.log(2.0)
    w = Worst()
    for name in CONTINUOUS_CASES:
        j = _j(name)
        tol = j.abserr + ulps(j.value)
        if name in DISJOINT:
            w.add(abs(j.value - log2), tol, name)
        else:
            w.add(max(0.0, -j.value) if j.value < log2 - tol else math.inf, tol, name)
    return w.result(len(CONTINUOUS_CASES), "|JSD - log 2| (disjoint); -JSD (others)", _QUAD)


@check("LIN91-JSD-SYM", "continuous", name="JSD(p||q) = JSD(q||p)")
def jsd_symmetric() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| on every continuous case."""
    w = Worst()
    for name in CONTINUOUS_CASES:
        a, b = _j(name), _j(name, swap=True)
        w.add(abs(a.value - b.value), a.abserr + b.abserr + ulps(a.value), name)
    return w.result(len(CONTINUOUS_CASES), "max |JSD(p||q) - JSD(q||p)|", _QUAD)
