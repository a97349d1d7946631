"""Discrete checks: exact sums over the fixed cases of :data:`gantheory.cases.DISCRETE_CASES`.

Tolerances are rounding bounds: every sum returns (with ``full_output=True``) the bound
``n * eps * sum |terms|`` on its own rounding error, and a check allows the sum of the bounds of
the quantities it compares plus a few ulps for the constants (``log 4``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from gantheory.cases import DISCRETE_CASES, DISJOINT, EQUAL, perturbations
from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.divergences import jsd, kl
from gantheory.game import optimal_discriminator, optimal_value, value

_EPS = float(np.finfo(np.float64).eps)
_LOG4 = math.log(4.0)
_CONST_TOL = 4 * _EPS  # rounding of log 4 and of one addition
_ROUNDING = "sum of the rounding bounds n*eps*sum|terms| of the compared sums, plus 4 eps"


def _perturbed(d_star: np.ndarray, rng: np.random.Generator, n_draws: int) -> list[np.ndarray]:
    """Discriminators near and far from D*: logit shifts, random waves, and uniform draws."""
    with np.errstate(divide="ignore"):
        logit = np.log(d_star) - np.log1p(-d_star)
    idx = np.arange(d_star.size)
    out = []
    for eps, freq, phase in perturbations(n_draws, rng=rng):
        with np.errstate(over="ignore"):
            out.append(1.0 / (1.0 + np.exp(-(logit + eps * np.sin(freq * idx + phase)))))
    out += [rng.uniform(0, 1, d_star.size) for _ in range(n_draws)]
    out.append(np.full(d_star.size, 0.5))
    return out


@check("GAN14-P1", "discrete", name="D* maximises V over perturbed D")
def dstar_maximises_value() -> CheckResult:
    """V(G, D) <= V(G, D*) = C(G) for 20 perturbed and random D per discrete case.

    The residual is the worst excess V(G, D) - C(G), and |V(G, D*) - C(G)| for D* itself (given
    with its exact logit), so that the maximum is also attained.
    """
    rng = np.random.default_rng(20140610)
    w, cases = Worst(), 0
    for name, (p, q) in DISCRETE_CASES.items():
        d_star = optimal_discriminator(p, q)
        c = optimal_value(p, q, full_output=True)
        v = value(p, q, d_star, full_output=True)
        w.add(abs(v.value - c.value), c.abserr + v.abserr + _CONST_TOL, f"{name}: D*")
        cases += 1
        for d in _perturbed(d_star, rng, 10):
            v = value(p, q, d, full_output=True)
            # V(G, D) - V(G, D*) must be <= 0 up to rounding
            w.add(max(0.0, v.value - c.value), c.abserr + v.abserr + _CONST_TOL, name)
            cases += 1
    return w.result(cases, "max over D of V(G, D) - C(G); |V(G, D*) - C(G)|", _ROUNDING)


@check("GAN14-P1", "discrete", name="D* is the pointwise maximiser")
def dstar_pointwise_argmax() -> CheckResult:
    """D*(x) is the root in (0, 1) of f'(y) = a/y - b/(1 - y), f(y) = a log y + b log(1 - y).

    Independent reference: SciPy's ``brentq`` on the derivative (never the formula a/(a+b)),
    on each support point with both masses above 1e-9; f'' = -a/y^2 - b/(1-y)^2 < 0, so the
    root is the maximiser. ``brentq`` stops within ``xtol + 4 eps |y|``; f' is computed to
    within ``eps (a/y + b/(1-y)) = 2 eps (a + b)`` near the root, where its slope is
    ``(a + b) / (y (1 - y))``: the sign of f' is certain beyond ``2 eps y (1 - y)`` of the root.
    Each point's tolerance is the sum of the two, plus the rounding of a/(a+b) (2 eps y).
    """
    xtol = 1e-300
    w, cases = Worst(), 0
    for name, (p, q) in DISCRETE_CASES.items():
        d_star = optimal_discriminator(p, q)
        for a, b, d in zip(p.probs, q.probs, d_star):
            if min(a, b) < 1e-9:
                continue  # maximiser within 1e-9 of an endpoint (D* = 0 or 1 when one is 0)
            root = optimize.brentq(
                lambda y, a=a, b=b: a / y - b / (1.0 - y), 1e-12, 1.0 - 1e-12,
                xtol=xtol, rtol=4 * _EPS, maxiter=500,
            )
            tol = xtol + 4 * _EPS * root + 2 * _EPS * root * (1 - root) + 2 * _EPS * root
            w.add(abs(root - d), tol, name)
            cases += 1
    return w.result(
        cases, "max |root of a/y - b/(1-y) - D*|",
        "brentq's stopping rule xtol + 4 eps |y|, the sign uncertainty 2 eps y (1 - y) of f',"
        " and 2 eps y for D*",
    )


@check("GAN14-T1", "discrete", name="C(G) = -log 4 + 2 JSD")
def virtual_criterion_identity() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD(p_data || p_g))| over the discrete cases, C(G) by definition."""
    w = Worst()
    for p, q in DISCRETE_CASES.values():
        c = optimal_value(p, q, full_output=True)
        j = jsd(p, q, full_output=True)
        w.add(abs(c.value - (-_LOG4 + 2 * j.value)), c.abserr + 2 * j.abserr + _CONST_TOL)
    return w.result(len(DISCRETE_CASES), "max |C(G) + log 4 - 2 JSD|", _ROUNDING)


@check("GAN14-T1", "discrete", name="C(G) = -log 4 iff p_g = p_data")
def global_minimum() -> CheckResult:
    """|C(G) + log 4| on the equal pair; C(G) + log 4 beyond rounding on every other pair.

    An unequal pair whose C(G) is not above -log 4 by more than its rounding bound counts as
    an infinite residual (the strict inequality failed).
    """
    w = Worst()
    for name, (p, q) in DISCRETE_CASES.items():
        c = optimal_value(p, q, full_output=True)
        tol = c.abserr + _CONST_TOL
        gap = c.value + _LOG4
        w.add(abs(gap) if name in EQUAL else (0.0 if gap > tol else math.inf), tol)
    return w.result(
        len(DISCRETE_CASES), "|C(G) + log 4| (equal pairs); strict > -log 4 (others)", _ROUNDING
    )


@check("CT06-GIBBS", "discrete", name="KL >= 0, = 0 iff p = q")
def gibbs() -> CheckResult:
    """-KL(p||q) and -KL(q||p) <= rounding on all cases; KL = 0 only on equal pairs.

    An unequal pair whose KL is not positive beyond its rounding bound counts as an infinite
    residual.
    """
    w = Worst()
    for name, (p, q) in DISCRETE_CASES.items():
        for a, b in ((p, q), (q, p)):
            k = kl(a, b, full_output=True)
            tol = k.abserr + _CONST_TOL
            if name in EQUAL:
                w.add(abs(k.value), tol)
            else:
                w.add(max(0.0, -k.value) if k.value > tol else math.inf, tol)
    return w.result(2 * len(DISCRETE_CASES), "worst -KL (unequal) or |KL| (equal)", _ROUNDING)


@check("LIN91-JSD-BOUNDS", "discrete", name="0 <= JSD <= log 2, = log 2 iff disjoint")
def jsd_bounds() -> CheckResult:
    """0 <= JSD <= log 2; = log 2 on disjoint pairs, < log 2 beyond rounding otherwise."""
    log2 = math.log(2.0)
    w = Worst()
    for name, (p, q) in DISCRETE_CASES.items():
        j = jsd(p, q, full_output=True)
        tol = j.abserr + _CONST_TOL
        if name in DISJOINT:
            w.add(abs(j.value - log2), tol)
        else:
            w.add(max(0.0, -j.value) if j.value < log2 - tol else math.inf, tol)
    return w.result(len(DISCRETE_CASES), "|JSD - log 2| (disjoint); -JSD (others)", _ROUNDING)


@check("LIN91-JSD-SYM", "discrete", name="JSD(p||q) = JSD(q||p)")
def jsd_symmetric() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| over all discrete cases."""
    w = Worst()
    for p, q in DISCRETE_CASES.values():
        a, b = jsd(p, q, full_output=True), jsd(q, p, full_output=True)
        w.add(abs(a.value - b.value), a.abserr + b.abserr + _CONST_TOL)
    return w.result(len(DISCRETE_CASES), "max |JSD(p||q) - JSD(q||p)|", _ROUNDING)
