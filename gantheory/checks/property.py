r"""Property checks: the claims tried on many random distributions drawn by Hypothesis.

Each property is a plain function of its inputs, ``prop_*(...) -> (residual, tolerance)``, that
works on discrete pairs (probability vectors) and, where it makes sense, on continuous ones
(scipy.stats frozen distributions or :class:`~gantheory.Mixture`). The same functions are used
twice:

* here, by the registered checks, which run them over a fixed number of examples of the public
  strategies in :mod:`gantheory.strategies` (derandomized, no example database: ``gantheory
  verify`` is deterministic) and report the worst residual against its tolerance;
* by ``tests/test_properties.py``, under the active Hypothesis profile (dev, ci or thorough),
  with the known tricky inputs pinned by ``@example``.

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

import functools
import math
from collections.abc import Callable

import numpy as np
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from gantheory import strategies as gs
from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.distributions import as_discrete, is_continuous
from gantheory.divergences import jsd, kl, tv
from gantheory.game import minibatch_value, optimal_discriminator, optimal_value, value

_EPS = float(np.finfo(np.float64).eps)
_LOG2 = math.log(2.0)
_LOG4 = math.log(4.0)
_TOL = "rounding bounds n eps sum|terms| of the compared sums (or quadrature error estimates)"
_TOL += ", plus 8 eps max(1, |value|)"
_QUAD = "sum of the quadrature error estimates of the compared integrals"
_QUAD += ", plus 8 eps max(1, |value|)"

Residual = tuple[float, float]


def _ulps(*values: float) -> float:
    return 8 * _EPS * max([1.0, *(abs(v) for v in values if math.isfinite(v))])


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
        return est.value, est.abserr + _ulps(est.value)
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
    """``V(G, D) <= C(G)`` for the given discriminator (``-inf`` allowed): excess ``V - C``."""
    v = value(p, q, d, full_output=True)
    c = optimal_value(p, q, full_output=True)
    return max(0.0, v.value - c.value), v.abserr + c.abserr + _ulps(c.value)


def prop_criterion_identity(p: object, q: object) -> Residual:
    """``|C(G) - (-log 4 + 2 JSD)|``; C(G) from its definition, JSD separately."""
    c = optimal_value(p, q, full_output=True)
    j = jsd(p, q, full_output=True)
    return abs(c.value - (-_LOG4 + 2 * j.value)), c.abserr + 2 * j.abserr + _ulps(c.value)


def prop_global_minimum(p: object, q: object) -> Residual:
    """``C(G) = -log 4`` when ``p = q``; otherwise ``C(G) + log 4 >= TV^2`` (> 0 when p != q)."""
    c = optimal_value(p, q, full_output=True)
    gap, tol = c.value + _LOG4, c.abserr + _ulps(c.value)
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
    return res, j.abserr + _LOG2 * ov_err + _ulps(_LOG2)


def prop_jsd_symmetric(p: object, q: object) -> Residual:
    """``|JSD(p||q) - JSD(q||p)|``."""
    a, b = jsd(p, q, full_output=True), jsd(q, p, full_output=True)
    return abs(a.value - b.value), a.abserr + b.abserr + _ulps(a.value)


def prop_gibbs(p: object, q: object) -> Residual:
    """``KL = 0`` both ways when ``p = q``; otherwise ``KL >= 2 TV^2`` both ways (Pinsker)."""
    same = _same(p, q)
    if not same:
        t, t_err = _tv(p, q)
        bound, bound_err = 2 * t * t, 4 * t * t_err + 2 * t_err * t_err
    worst: Residual = (-math.inf, 0.0)
    for a, b in ((p, q), (q, p)):
        k = kl(a, b, full_output=True)
        tol = k.abserr + _ulps(k.value)
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
    tol = sum(_sqrt_width(e.value, e.abserr + _ulps(e.value)) for e in js) + _ulps(*s)
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
    et al. 2014, Algorithm 1; seed ``001`` eq. 10-11) is evaluated on each. The mean of the
    ``R`` estimates is the mean of ``N = R * batch`` terms :math:`\log D(x)`, :math:`x \sim p`,
    plus the mean of ``N`` terms :math:`\log(1 - D(x))`, :math:`x \sim q`. Their exact
    variances and ranges are known (``p``, ``q`` and ``D`` are), so Bernstein's inequality
    bounds each mean's deviation at level ``MINIBATCH_ALPHA / 2`` without a normal approximation:
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


# --- running properties as registered checks ---------------------------------------------------
def _fmt(x: object) -> str:
    if isinstance(x, np.ndarray):
        return np.array2string(x, precision=4, separator=", ", threshold=6, max_line_width=10**6)
    if isinstance(x, tuple):
        return "(" + ", ".join(_fmt(v) for v in x) + ")"
    if is_continuous(x) and hasattr(x, "dist"):  # scipy.stats frozen
        args = ", ".join(f"{v:.4g}" for v in x.args)  # type: ignore[attr-defined]
        return f"{x.dist.name}({args})"  # type: ignore[attr-defined]
    return repr(x)


class _WorstRatio(Worst):
    """:class:`Worst` by ``residual / tolerance``: for statistical bounds, which differ from case
    to case by orders of magnitude, the case closest to its own bound is the informative one."""

    @staticmethod
    def _ratio(res: float, tol: float) -> float:
        if res == -math.inf:
            return -math.inf
        return res / tol if tol > 0 else (math.inf if res > 0 else 0.0)

    def add(self, residual: float, tolerance: float, label: str = "") -> None:
        if math.isnan(self.residual):
            return
        if math.isnan(residual) or self._ratio(residual, tolerance) > self._ratio(
            self.residual, self.tolerance
        ):
            self.residual, self.tolerance, self.label = residual, tolerance, label


def run_properties(
    props: dict[str, Callable[..., Residual]], strategy: st.SearchStrategy[tuple], *,
    examples: int, by_ratio: bool = False,
) -> tuple[dict[str, Worst], int]:
    """Run every ``props[name](*args)`` on ``examples`` Hypothesis examples of ``strategy``.

    One run serves several properties (Hypothesis's generation costs about 1 ms per example,
    more than the exact sums). Deterministic (``derandomize=True``, no database) and without
    shrinking; an exception makes that property's residual NaN and names the example.
    Returns the worst case per property (largest ``residual - tolerance``, or with
    ``by_ratio`` largest ``residual / tolerance``) and the number of examples run.
    """
    worst = {name: _WorstRatio() if by_ratio else Worst() for name in props}
    count = 0

    @settings(
        max_examples=examples, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def run(args: tuple) -> None:
        nonlocal count
        count += 1
        for name, prop in props.items():
            w = worst[name]
            try:
                res, tol = prop(*args)
            except Exception as exc:  # reported as a failing example, not raised
                w.add(math.nan, 0.0, f"{type(exc).__name__}: {exc} at {_fmt(args)}")
                continue
            if by_ratio or math.isnan(res) or res - tol > w.residual - w.tolerance:
                w.add(res, tol, _fmt(args))

    run()
    return worst, count


def _pair(prop: Callable[..., Residual]) -> Callable[..., Residual]:
    """``prop(p, q)`` called with ``(p, q, D)``."""
    return lambda p, q, d: prop(p, q)


#: Examples per Hypothesis run in ``gantheory verify``: discrete games (every pair property on
#: each), triples, minibatch cases, continuous games (each costs several quadratures, 20-70 ms).
N_DISCRETE, N_TRIPLES, N_MINIBATCH, N_CONTINUOUS = 200, 100, 100, 20

# The strategies of the registered checks (the tests use the same).
PAIRS = gs.pairs()
GAMES = gs.games()
TRIPLES = gs.triples()
MINIBATCH = st.tuples(
    gs.games(min_value=0.01, max_value=0.99), st.integers(1, 32), st.integers(0, 2**32 - 1)
).map(lambda t: (*t[0], t[1], t[2]))
CONT_PAIRS = gs.continuous_pairs(max_components=2)
CONT_GAMES = st.tuples(CONT_PAIRS, gs.discriminator_functions()).map(lambda t: (*t[0], t[1]))

_DISCRETE_PROPS: dict[str, Callable[..., Residual]] = {
    "dstar": _pair(prop_dstar_in_unit_interval),
    "value": prop_value_at_most_criterion,
    "identity": _pair(prop_criterion_identity),
    "minimum": _pair(prop_global_minimum),
    "jsd_bounds": _pair(prop_jsd_bounds),
    "jsd_sym": _pair(prop_jsd_symmetric),
    "gibbs": _pair(prop_gibbs),
}
_CONTINUOUS_PROPS: dict[str, Callable[..., Residual]] = {
    "value": prop_value_at_most_criterion,
    "identity": _pair(prop_criterion_identity),
    "jsd_sym": _pair(prop_jsd_symmetric),
}


@functools.cache
def _discrete_run() -> tuple[dict[str, Worst], int]:
    return run_properties(_DISCRETE_PROPS, GAMES, examples=N_DISCRETE)


@functools.cache
def _continuous_run() -> tuple[dict[str, Worst], int]:
    return run_properties(_CONTINUOUS_PROPS, CONT_GAMES, examples=N_CONTINUOUS)


def _discrete(name: str, detail: str, reason: str = _TOL) -> CheckResult:
    worst, count = _discrete_run()
    return worst[name].result(count, detail, reason)


def _continuous(name: str, detail: str, reason: str = _QUAD) -> CheckResult:
    worst, count = _continuous_run()
    return worst[name].result(count, detail, reason)


@check("GAN14-P1", "property", name="D* in [0, 1] on random pairs")
def dstar_in_unit_interval() -> CheckResult:
    """D* takes values in [0, 1] on random discrete pairs (zeros, disjoint, overlapping).

    The random games are drawn once for all discrete pair properties (the first of them pays
    for the Hypothesis run).
    """
    return _discrete("dstar", "max distance of D* outside [0, 1]", "exact: 0")


@check("GAN14-P1", "property", name="V(G, D) <= C(G) for random D")
def value_at_most_criterion() -> CheckResult:
    """V(G, D) <= C(G) for random discrete pairs and random D in [0, 1] (0 and 1 included)."""
    return _discrete("value", "max V(G, D) - C(G)")


@check("GAN14-P1", "property", name="V(G, D) <= C(G), continuous")
def value_at_most_criterion_continuous() -> CheckResult:
    """V(G, D) <= C(G) for random continuous pairs (incl. mixtures) and smooth random D.

    The continuous games are drawn once for the three continuous properties.
    """
    return _continuous("value", "max V(G, D) - C(G) (quadrature)")


@check("GAN14-T1", "property", name="C(G) = -log 4 + 2 JSD on random pairs")
def criterion_identity() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD)| on random discrete pairs."""
    return _discrete("identity", "max |C(G) + log 4 - 2 JSD|")


@check("GAN14-T1", "property", name="C(G) = -log 4 + 2 JSD, continuous")
def criterion_identity_continuous() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD)| on random continuous pairs, both sides by quadrature."""
    return _continuous("identity", "max |C(G) + log 4 - 2 JSD| (quadrature)")


@check("GAN14-T1", "property", name="C(G) >= -log 4, = iff p_g = p_data")
def global_minimum() -> CheckResult:
    """C(G) = -log 4 on equal pairs, C(G) + log 4 >= TV^2 > 0 on the others (random pairs)."""
    return _discrete(
        "minimum", "|C(G) + log 4| (p = q); TV^2 - (C(G) + log 4) (p != q)",
        _TOL + "; TV's own rounding bound",
    )


@check("LIN91-JSD-BOUNDS", "property", name="0 <= JSD <= log 2, = iff disjoint")
def jsd_bounds() -> CheckResult:
    """0 <= JSD <= log 2 (1 - overlap) on random pairs, = log 2 on the disjoint ones."""
    return _discrete(
        "jsd_bounds",
        "worst of -JSD, JSD - log 2 (1 - sum min(p, q)), |JSD - log 2| (disjoint)",
        _TOL + "; rounding of sum min(p, q)",
    )


@check("LIN91-JSD-SYM", "property", name="JSD symmetric on random pairs")
def jsd_symmetric() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| on random discrete pairs."""
    return _discrete("jsd_sym", "max |JSD(p||q) - JSD(q||p)|")


@check("LIN91-JSD-SYM", "property", name="JSD symmetric, continuous")
def jsd_symmetric_continuous() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| on random continuous pairs, by quadrature."""
    return _continuous("jsd_sym", "max |JSD(p||q) - JSD(q||p)| (quadrature)")


@check("CT06-GIBBS", "property", name="KL >= 0, = 0 iff p = q")
def gibbs() -> CheckResult:
    """KL = 0 on equal pairs, KL >= 2 TV^2 > 0 both ways on the others (random pairs)."""
    return _discrete(
        "gibbs", "|KL| (p = q); 2 TV^2 - KL (p != q), both directions",
        _TOL + "; TV's own rounding bound",
    )


@check("ES03-SQRTJSD-METRIC", "property", name="sqrt JSD triangle inequality")
def sqrt_jsd_triangle() -> CheckResult:
    """sqrt JSD(p, r) <= sqrt JSD(p, q) + sqrt JSD(q, r) on random triples (q between p and r)."""
    worst, count = run_properties(
        {"triangle": prop_sqrt_jsd_triangle}, TRIPLES, examples=N_TRIPLES
    )
    return worst["triangle"].result(
        count, "max sqrt JSD(p, r) - sqrt JSD(p, q) - sqrt JSD(q, r)",
        "each JSD's error bound e (rounding bound + 8 eps) propagated through sqrt (width of"
        " sqrt over [J - e, J + e]), plus 8 eps",
    )


@check("GAN14-MB", "property", name="minibatch estimate of V is unbiased")
def minibatch_unbiased() -> CheckResult:
    """Mean of 1000 / m minibatch estimates vs exact V(G, D), within a Bernstein bound."""
    worst, count = run_properties(
        {"mb": prop_minibatch_unbiased}, MINIBATCH, examples=N_MINIBATCH, by_ratio=True
    )
    return worst["mb"].result(
        count, "|mean of minibatch estimates - V(G, D)| of the case closest to its bound",
        "Bernstein's inequality with the exact variance and range of log D(x) and"
        " log(1 - D(x)), each at level 5e-10 (false failure <= 1e-9 per example), plus rounding",
    )


# --- negative claims: counterexamples found by search ------------------------------------------
#: A counterexample must violate the property by this many times its rounding bound.
MARGIN = 1e3


def kl_asymmetry(p: object, q: object) -> Residual:
    """``|KL(p||q) - KL(q||p)|`` and its rounding bound (NaN unless both are finite)."""
    a, b = kl(p, q, full_output=True), kl(q, p, full_output=True)
    if not (math.isfinite(a.value) and math.isfinite(b.value)):
        return math.nan, math.nan
    return abs(a.value - b.value), a.abserr + b.abserr + _ulps(a.value, b.value)


def jsd_triangle_excess(p: object, q: object, r: object) -> Residual:
    """``JSD(p, r) - JSD(p, q) - JSD(q, r)`` (> 0 violates the triangle inequality)."""
    pr, pq, qr = (jsd(a, b, full_output=True) for a, b in ((p, r), (p, q), (q, r)))
    excess = pr.value - pq.value - qr.value
    return excess, pr.abserr + pq.abserr + qr.abserr + _ulps(pr.value)


def _floats(v: object) -> str:
    return "[" + ", ".join(repr(float(x)) for x in np.asarray(v).ravel()) + "]"


def search_counterexample(
    prop: Callable[..., Residual],
    strategy: st.SearchStrategy[tuple],
    *,
    examples: int,
    names: str,
    describe: Callable[..., str],
    detail: str,
    reason: str,
    shrink: bool = True,
) -> CheckResult:
    """Search ``strategy`` with :func:`hypothesis.find` for args violating a property.

    ``prop(*args)`` returns ``(violation, rounding bound)``; a counterexample violates it by at
    least ``MARGIN`` times the bound. With ``shrink`` Hypothesis shrinks the first hit to a
    simple one; without, the first hit of its (derandomized) generation phase is kept. The
    counterexample is reported with its numbers (``names`` labels the arguments,
    ``describe(*args)`` adds the values of the property). Without a hit the check fails,
    reporting the largest violation seen.
    """
    tried, best = 0, (0.0, 1.0)

    def violates(args: tuple) -> bool:
        nonlocal tried, best
        tried += 1
        res, tol = prop(*args)
        if not math.isfinite(res):
            return False
        if res - MARGIN * tol > best[0] - MARGIN * best[1]:
            best = (res, tol)
        return res >= MARGIN * tol

    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    conf = settings(
        max_examples=examples, derandomize=True, database=None, deadline=None, phases=phases
    )
    try:
        args = find(strategy, violates, settings=conf)
    except NoSuchExample:
        return CheckResult(
            best[0], MARGIN * best[1], tried, ">=", f"{detail}: no counterexample found",
            None, reason,
        )
    res, tol = prop(*args)
    values = ", ".join(f"{n} = {_floats(a)}" for n, a in zip(names.split(), args))
    return CheckResult(
        residual=res, tolerance=MARGIN * tol, cases=tried, relation=">=", detail=detail,
        counterexample=f"{values}: {describe(*args)}", tolerance_reason=reason,
    )


@check("CT06-KL-ASYM", "property", name="search for KL(p||q) != KL(q||p)")
def kl_not_symmetric() -> CheckResult:
    """Hypothesis finds Bernoulli p, q with |KL(p||q) - KL(q||p)| far above rounding.

    Positive Bernoulli pairs keep both divergences finite; the hit is shrunk to a simple pair.
    """

    def describe(p: np.ndarray, q: np.ndarray) -> str:
        a, b = kl(p, q), kl(q, p)
        return f"KL(p||q) = {a!r}, KL(q||p) = {b!r}, difference {a - b!r}"

    bernoulli = gs.probability_vectors(size=2, allow_zeros=False)
    return search_counterexample(
        kl_asymmetry, st.tuples(bernoulli, bernoulli), examples=N_DISCRETE, names="p q",
        describe=describe,
        detail="|KL(p||q) - KL(q||p)| of the counterexample",
        reason=f"{MARGIN:g} x the rounding bounds of both sums (plus 8 eps max(1, |KL|))",
    )


@check("ES03-JSD-NOTRI", "property", name="search for a JSD triangle violation")
def jsd_not_triangle() -> CheckResult:
    """Hypothesis finds Bernoulli p, q, r with JSD(p, r) > JSD(p, q) + JSD(q, r) + rounding.

    Searched over :func:`gantheory.strategies.triples` of length 2 (q between p and r among
    them); the hit is shrunk to a simple triple.
    """

    def describe(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> str:
        pr, pq, qr = jsd(p, r), jsd(p, q), jsd(q, r)
        return (
            f"JSD(p, r) = {pr!r} > JSD(p, q) + JSD(q, r) = {pq!r} + {qr!r} = {pq + qr!r};"
            f" sqrt: {math.sqrt(pr)!r} <= {math.sqrt(pq) + math.sqrt(qr)!r}"
        )

    return search_counterexample(
        jsd_triangle_excess, gs.triples(min_size=2, max_size=2), examples=N_DISCRETE,
        names="p q r", describe=describe,
        detail="JSD(p, r) - JSD(p, q) - JSD(q, r) of the counterexample",
        reason=f"{MARGIN:g} x the rounding bounds of the three sums (plus 8 eps)",
    )
