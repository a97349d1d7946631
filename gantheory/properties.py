r"""The claims as properties: functions of their inputs that measure how far a claim is off.

Each property is a plain function, ``prop_*(...) -> (residual, tolerance)``, that works on
discrete pairs (probability vectors) and, where it makes sense, on continuous ones (scipy.stats
frozen distributions or :class:`~gantheory.Mixture`); the claim holds on those inputs when
``residual <= tolerance``. :func:`kl_asymmetry` and :func:`jsd_triangle_excess` measure the
violations the negative claims look for. The same functions are used three times:

* by the registered checks of :mod:`gantheory.checks.property`, which run them over a fixed
  number of examples of the public strategies in :mod:`gantheory.strategies` (derandomized, no
  example database: ``gantheory verify`` is deterministic) and report the worst residual
  against its tolerance;
* by ``tests/test_properties.py``, under the active Hypothesis profile (dev, ci or thorough),
  with the known tricky inputs pinned by ``@example``;
* by your own tests::

      from hypothesis import given
      from gantheory import properties, strategies

      @given(strategies.continuous_pairs())
      def test_jsd_is_symmetric(pq):
          residual, tolerance = properties.prop_jsd_symmetric(*pq)
          assert residual <= tolerance

Tolerances are the rounding bounds ``n eps sum|terms|`` that the exact sums report
(``full_output=True``) or the quadrature's error estimates, plus ``8 eps max(1, |value|)`` for
constants such as ``log 4``. "Equality iff" statements are checked quantitatively, so that a
pair differing only below rounding is not mistaken for a counterexample:

* Pinsker's inequality :math:`\mathrm{KL}(p\|q) \ge 2\,\mathrm{TV}^2` (Cover & Thomas 2006,
  Lemma 11.6.1) applied to :math:`\mathrm{KL}(p\|m)` and :math:`\mathrm{KL}(q\|m)` with
  :math:`\mathrm{TV}(p, m) = \mathrm{TV}(p, q)/2` gives :math:`\mathrm{JSD} \ge \mathrm{TV}^2/2`,
  so :math:`C(G) + \log 4 \ge \mathrm{TV}(p_{data}, p_g)^2`;
* the pointwise JSD integrand :math:`f(a, b)` is convex and homogeneous, zero at :math:`a = b`
  and :math:`\tfrac12 \log 2 \cdot a` at :math:`b = 0`, so
  :math:`\mathrm{JSD} \le \log 2 \cdot \mathrm{TV} = \log 2\,(1 - \sum_x \min(p, q))`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gantheory._numerics import ulps
from gantheory.distributions import as_discrete, is_continuous
from gantheory.divergences import jsd, kl, tv
from gantheory.game import minibatch_value, optimal_discriminator, optimal_value, value

__all__ = [
    "MINIBATCH_ALPHA",
    "Residual",
    "jsd_triangle_excess",
    "kl_asymmetry",
    "prop_criterion_identity",
    "prop_dstar_in_unit_interval",
    "prop_gibbs",
    "prop_global_minimum",
    "prop_jsd_bounds",
    "prop_jsd_symmetric",
    "prop_minibatch_unbiased",
    "prop_sqrt_jsd_triangle",
    "prop_value_at_most_criterion",
]

_EPS = float(np.finfo(np.float64).eps)
_LOG2 = math.log(2.0)
_LOG4 = math.log(4.0)

#: ``(residual, tolerance)``: the claim holds on the inputs when ``residual <= tolerance``.
Residual = tuple[float, float]


def _vec(p: object) -> np.ndarray | None:
    """The probability vector of a discrete argument, ``None`` for a continuous one."""
    return None if is_continuous(p) else as_discrete(p, "p")


def _same(p: object, q: object) -> bool:
    a, b = _vec(p), _vec(q)
    return p is q if a is None else bool(np.array_equal(a, b))


def _tv(p: object, q: object) -> tuple[float, float]:
    """TV(p, q) and a bound on its error (rounding of the exact sum, or quadrature)."""
    a, b = _vec(p), _vec(q)
    if a is None:
        est = tv(p, q, full_output=True)
        return est.value, est.abserr + ulps(est.value)
    # |p - q| rounds by eps|p - q| per point, the sum by n eps sum|p - q|: (n + 1) eps * 2 TV
    return 0.5 * float(np.abs(a - b).sum()), (a.size + 1) * _EPS


def _overlap(p: object, q: object) -> tuple[float, float]:
    """``sum min(p, q) = 1 - TV`` and its error (exact sum of minima when discrete)."""
    a, b = _vec(p), _vec(q)
    if a is None:
        t, err = _tv(p, q)
        return 1.0 - t, err + _EPS
    return float(np.minimum(a, b).sum()), a.size * _EPS


def _disjoint(p: object, q: object) -> bool:
    a, b = _vec(p), _vec(q)
    if a is None:  # disjoint support intervals (a sufficient condition)
        (pa, pb), (qa, qb) = p.support(), q.support()  # type: ignore[attr-defined]
        return pb <= qa or qb <= pa
    return not np.any((a > 0) & (b > 0))


# --- the properties ---------------------------------------------------------------------------
def prop_dstar_in_unit_interval(p: object, q: object) -> Residual:
    """``D*`` takes values in [0, 1] (never NaN); on a grid of [-20, 20] when continuous."""
    d = optimal_discriminator(p, q)
    y = np.asarray(d(np.linspace(-20.0, 20.0, 401)) if callable(d) else d)
    if np.isnan(y).any():
        return math.nan, 0.0
    return max(0.0, -float(y.min()), float(y.max()) - 1.0), 0.0


def prop_value_at_most_criterion(p: object, q: object, d: object) -> Residual:
    """``V(G, D) <= C(G) = V(G, D*)`` for the given discriminator (``-inf`` allowed).

    The residual is the larger of the excess ``V(G, D) - C(G)`` and ``|V(G, D*) - C(G)|`` less
    their own tolerances: the bound must hold and be attained (D* with its exact logit).
    """
    c = optimal_value(p, q, full_output=True)
    v = value(p, q, d, full_output=True)
    v_star = value(p, q, optimal_discriminator(p, q), full_output=True)
    cases = [
        (max(0.0, v.value - c.value), v.abserr + c.abserr + ulps(c.value)),
        (abs(v_star.value - c.value), v_star.abserr + c.abserr + ulps(c.value)),
    ]
    return max(cases, key=lambda r: (math.isnan(r[0]), r[0] - r[1]))


def prop_criterion_identity(p: object, q: object) -> Residual:
    """``|C(G) - (-log 4 + 2 JSD)|``; C(G) from its definition, JSD separately."""
    c = optimal_value(p, q, full_output=True)
    j = jsd(p, q, full_output=True)
    return abs(c.value - (-_LOG4 + 2 * j.value)), c.abserr + 2 * j.abserr + ulps(c.value)


def prop_global_minimum(p: object, q: object) -> Residual:
    """``C(G) = -log 4`` when ``p = q``; otherwise ``C(G) + log 4 >= TV^2`` (> 0 when p != q)."""
    c = optimal_value(p, q, full_output=True)
    gap, tol = c.value + _LOG4, c.abserr + ulps(c.value)
    if _same(p, q):
        return abs(gap), tol
    t, t_err = _tv(p, q)
    # TV^2 is known to within 2 TV t_err + t_err^2
    return max(0.0, t * t - gap), tol + 2 * t * t_err + t_err * t_err


def prop_jsd_bounds(p: object, q: object) -> Residual:
    """``0 <= JSD <= log 2 (1 - sum min(p, q))``; ``JSD = log 2`` when the supports are disjoint.

    The middle bound is ``JSD <= log 2 * TV``: strictly below ``log 2`` when the supports
    overlap, by at least ``log 2`` times the overlapping mass.
    """
    j = jsd(p, q, full_output=True)
    ov, ov_err = _overlap(p, q)
    res = max(0.0, -j.value, j.value - _LOG2 * (1.0 - ov))
    if _disjoint(p, q):
        res = max(res, abs(j.value - _LOG2))
    return res, j.abserr + _LOG2 * ov_err + ulps(_LOG2)


def prop_jsd_symmetric(p: object, q: object) -> Residual:
    """``|JSD(p||q) - JSD(q||p)|``."""
    a, b = jsd(p, q, full_output=True), jsd(q, p, full_output=True)
    return abs(a.value - b.value), a.abserr + b.abserr + ulps(a.value)


def prop_gibbs(p: object, q: object) -> Residual:
    """``KL = 0`` both ways when ``p = q``; otherwise ``KL >= 2 TV^2`` both ways (Pinsker)."""
    same = _same(p, q)
    if not same:
        t, t_err = _tv(p, q)
        bound, bound_err = 2 * t * t, 4 * t * t_err + 2 * t_err * t_err
    worst: Residual = (-math.inf, 0.0)
    for a, b in ((p, q), (q, p)):
        k = kl(a, b, full_output=True)
        tol = k.abserr + ulps(k.value)
        r = (abs(k.value), tol) if same else (max(0.0, bound - k.value), tol + bound_err)
        if r[0] - r[1] > worst[0] - worst[1] or math.isnan(r[0]):
            worst = r
    return worst


def _sqrt_width(x: float, err: float) -> float:
    """Width of ``sqrt`` over ``[x - err, x + err]`` (clipped at 0): how far sqrt(x) can be off."""
    return math.sqrt(max(x + err, 0.0)) - math.sqrt(max(x - err, 0.0))


def prop_sqrt_jsd_triangle(p: object, q: object, r: object) -> Residual:
    """``sqrt JSD(p, r) <= sqrt JSD(p, q) + sqrt JSD(q, r)``: excess of the left side.

    The tolerance propagates each JSD's error bound through the square root, whose slope is
    unbounded at 0: near ``JSD = 0`` an error ``e`` becomes ``sqrt(e)``. The error bound is the
    sum's rounding bound *plus* ``8 eps``: each term ``x log(x / m)`` carries an absolute error
    of order ``eps * x`` from the rounded ratio, which does not shrink with the term (for
    ``q = r + 1e-9 (p - r)``, JSD(q, r) ~ 1e-20 is computed to within ~1e-16 only, and its square
    root to within ~1e-8).
    """
    js = [jsd(a, b, full_output=True) for a, b in ((p, r), (p, q), (q, r))]
    s = [math.sqrt(max(e.value, 0.0)) for e in js]
    tol = sum(_sqrt_width(e.value, e.abserr + ulps(e.value)) for e in js) + ulps(*s)
    return max(0.0, s[0] - s[1] - s[2]), tol


def _bernstein(mass: np.ndarray, f: np.ndarray, n: int, alpha: float) -> float:
    r"""Two-sided Bernstein bound on the mean of ``n`` draws of ``f(X)``, ``X ~ mass``.

    With :math:`\sigma^2 = \mathrm{Var} f(X)` and :math:`|f(X) - \mathbb{E} f| \le M`,
    :math:`P(|\bar f - \mathbb{E} f| \ge t) \le 2 \exp(-n t^2 / (2\sigma^2 + 2Mt/3))`; the
    ``t`` that makes this ``alpha`` solves the quadratic in ``t``.
    """
    on = mass > 0
    w, g = mass[on], f[on]
    mu = float(w @ g)
    var = float(w @ (g - mu) ** 2)
    m = float(np.abs(g - mu).max())
    ell = math.log(2.0 / alpha)
    return (m * ell / 3 + math.sqrt((m * ell / 3) ** 2 + 2 * n * var * ell)) / n


#: Per-example false-failure probability of the minibatch property's bound.
MINIBATCH_ALPHA = 1e-9


def prop_minibatch_unbiased(
    p: object,
    q: object,
    d: np.ndarray,
    batch: int,
    seed: int,
    *,
    draws: int = 1000,
    estimator: Callable[..., float] = minibatch_value,
) -> Residual:
    r"""The mean of many minibatch estimates of ``V(G, D)`` is within a Bernstein bound of V.

    ``R = draws // batch`` minibatches of ``batch`` indices are sampled from ``p`` and from
    ``q`` with ``np.random.default_rng(seed)``, and ``estimator(D, x_data, x_gen)`` (Goodfellow
    et al. 2014, Algorithm 1; the blog post "Mathematical ideas in GAN", 2017, eq. 10-11) is
    evaluated on each. The mean of the ``R`` estimates is the mean of ``N = R * batch`` terms
    :math:`\log D(x)`, :math:`x \sim p`, plus the mean of ``N`` terms
    :math:`\log(1 - D(x))`, :math:`x \sim q`. Their exact variances and ranges are known
    (``p``, ``q`` and ``D`` are), so Bernstein's inequality bounds each mean's deviation at
    level ``MINIBATCH_ALPHA / 2`` without a normal approximation:
    an unbiased estimator fails this property with probability at most ``MINIBATCH_ALPHA`` =
    1e-9 per example. (The CLT would give about :math:`\sigma\sqrt{2 \log(4/\alpha)}/\sqrt N`;
    Bernstein adds a range term of order :math:`M \log(4/\alpha) / N`.) ``D`` must lie in
    (0, 1) on the supports.
    """
    pv, qv = as_discrete(p, "p"), as_discrete(q, "q")
    d = np.asarray(d, dtype=np.float64)
    rng = np.random.default_rng(seed)
    reps = max(1, draws // batch)
    x_data = rng.choice(pv.size, size=(reps, batch), p=pv).astype(np.float64)
    x_gen = rng.choice(qv.size, size=(reps, batch), p=qv).astype(np.float64)

    def discriminator(x: np.ndarray) -> np.ndarray:
        return d[np.asarray(x).astype(np.intp)]

    est = np.array([estimator(discriminator, xd, xg) for xd, xg in zip(x_data, x_gen)])
    exact = value(pv, qv, d, full_output=True)
    n = reps * batch
    with np.errstate(divide="ignore"):
        log_d, log_1md = np.log(d), np.log1p(-d)
    bound = _bernstein(pv, log_d, n, MINIBATCH_ALPHA / 2)
    bound += _bernstein(qv, log_1md, n, MINIBATCH_ALPHA / 2)
    # rounding: each estimate sums `batch` logs, the mean sums `reps` estimates
    big = max(float(np.abs(log_d[pv > 0]).max()), float(np.abs(log_1md[qv > 0]).max()))
    rounding = 2 * (batch + reps) * _EPS * big + exact.abserr
    return abs(float(est.mean()) - exact.value), bound + rounding


# --- what the negative claims look for ----------------------------------------------------------
def kl_asymmetry(p: object, q: object) -> Residual:
    """``|KL(p||q) - KL(q||p)|`` and its rounding bound (NaN unless both are finite)."""
    a, b = kl(p, q, full_output=True), kl(q, p, full_output=True)
    if not (math.isfinite(a.value) and math.isfinite(b.value)):
        return math.nan, math.nan
    return abs(a.value - b.value), a.abserr + b.abserr + ulps(a.value, b.value)


def jsd_triangle_excess(p: object, q: object, r: object) -> Residual:
    """``JSD(p, r) - JSD(p, q) - JSD(q, r)`` (> 0 violates the triangle inequality)."""
    pr, pq, qr = (jsd(a, b, full_output=True) for a, b in ((p, r), (p, q), (q, r)))
    excess = pr.value - pq.value - qr.value
    return excess, pr.abserr + pq.abserr + qr.abserr + ulps(pr.value)
