r"""Checks of the claims of Arjovsky, Chintala & Bottou (2017), *Wasserstein GAN*
(:mod:`gantheory.claims.wgan17`): the 1-D Wasserstein distance, Kantorovich-Rubinstein duality
in one dimension, and Example 1 (parallel lines).

Every check compares :func:`gantheory.wasserstein` (which integrates :math:`|F_P - F_Q|`, or
sums it over sorted points) with a reference that does not: SymPy derivations, closed forms
(Gaussians, location families, uniforms), ``scipy.stats.wasserstein_distance`` on weighted atoms,
the optimal coupling found by linear programming, and the dual objective
:math:`\mathbb{E}_P f - \mathbb{E}_Q f` summed over the masses or integrated against the
densities (:func:`gantheory.wasserstein.critic_objective`). Tolerances are the error bounds the
compared computations report, plus the stated rounding of the references.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import strategies as st
from scipy import optimize, special, stats

from gantheory import strategies as gs
from gantheory._numerics import ulps
from gantheory.cases import DISCRETE_CASES
from gantheory.checks._util import Worst
from gantheory.checks.property import run_properties
from gantheory.claims import CheckResult, check
from gantheory.distributions import Mixture
from gantheory.wasserstein import (
    Critic,
    critic_objective,
    parallel_lines,
    wasserstein,
    wasserstein_critic,
)

_EPS = float(np.finfo(np.float64).eps)
_EXACT = "exact identities: each difference must simplify to 0 (residual = failures)"
_BOUNDS = "sum of the error bounds the compared computations report, plus 8 eps max(1, |W1|)"


# --- cases ------------------------------------------------------------------------------------
def _atoms(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random atoms (locations in [-5, 5], Dirichlet weights) for two discrete laws."""
    rng = np.random.default_rng(seed)
    return (np.sort(rng.uniform(-5, 5, n)), rng.dirichlet(np.ones(n)),
            np.sort(rng.uniform(-5, 5, m)), rng.dirichlet(np.ones(m)))


#: Discrete laws on arbitrary atoms (``rv_discrete(values=...)``): (xk, pk, yk, qk).
ATOMS = {f"atoms-{n}-{m}": _atoms(17 + n, n, m) for n, m in ((1, 1), (3, 5), (20, 20), (200, 7))}
#: scipy.stats discrete pairs with infinite supports.
SCIPY_DISCRETE = {
    "poisson-5-vs-geom-0.3": (stats.poisson(5), stats.geom(0.3)),
    "binom-vs-poisson": (stats.binom(10, 0.3), stats.poisson(3)),
    "nbinom-vs-dlaplace": (stats.nbinom(4, 0.4), stats.dlaplace(0.8, loc=2)),
}
#: Continuous pairs with a closed-form W1 (``None``: infinite) and W2 (``None``: not compared).
#: For Q a translate of P by d, F_Q(x) = F_P(x - d) and W1 = W2 = |d| (every quantile moves by
#: d), also for the Cauchy, which has no mean; for Gaussians W2^2 = dmu^2 + dsigma^2.
CLOSED_FORMS: dict[str, tuple[object, object, float | None, float | None]] = {
    "normal-shift": (stats.norm(0, 1), stats.norm(3, 1), 3.0, 3.0),
    "normal-far-shift": (stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 1), 1.5, 1.5),
    "normal-0-1-vs-1-1.5": (stats.norm(0, 1), stats.norm(1, 1.5), math.nan, math.sqrt(1.25)),
    "normal-0-1-vs-1-2": (stats.norm(0, 1), stats.norm(1, 2), math.nan, math.sqrt(2.0)),
    "normal-narrow-vs-wide": (stats.norm(0, 1e-3), stats.norm(0.5, 10), math.nan,
                              math.sqrt(0.25 + (10 - 1e-3) ** 2)),
    "laplace-shift": (stats.laplace(0, 1), stats.laplace(-2, 1), 2.0, 2.0),
    "cauchy-shift": (stats.cauchy(0, 1), stats.cauchy(3, 1), 3.0, 3.0),
    # F_P >= F_Q everywhere, so W1 = E_Q - E_P = 1.3 - 0.5; W2^2 = int_0^1 (0.3 + u)^2 du
    "uniform-0-1-vs-0.3-2": (stats.uniform(0, 1), stats.uniform(0.3, 2), 0.8,
                             math.sqrt(0.09 + 0.3 + 1 / 3)),
    "cauchy-vs-normal": (stats.cauchy(0, 1), stats.norm(0, 1), None, None),
    "cauchy-vs-wider-cauchy": (stats.cauchy(0, 1), stats.cauchy(0, 2), None, None),
}
#: Continuous pairs with finite first moments, for the duality.
DUAL_CASES: dict[str, tuple[object, object]] = {
    "gaussians": (stats.norm(0, 1), stats.norm(1, 1.5)),
    "far-from-origin": (stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 2)),
    "narrow-vs-wide": (stats.norm(0, 1e-3), stats.norm(0.5, 10)),
    "laplace-vs-t3": (stats.laplace(0, 1), stats.t(3)),
    "bimodal-vs-normal": (Mixture([stats.norm(-2, 0.5), stats.norm(2, 0.5)]), stats.norm(0, 1)),
    "uniform-disjoint": (stats.uniform(0, 1), stats.uniform(2, 1)),
    "arcsine-vs-uniform": (stats.beta(0.5, 0.5), stats.uniform(0, 1)),
    "equal": (stats.norm(2, 3), stats.norm(2, 3)),
}
#: Example 1: the offsets of the second line.
THETAS = (-3.0, -0.5, -1e-8, 0.0, 1e-300, 1e-3, 0.5, 1.0, 7.0)


def _gauss_w1(m1: float, s1: float, m2: float, s2: float) -> float:
    r"""W1 of two Gaussians in closed form: :math:`F_P - F_Q` changes sign once, at c where
    :math:`(c - m_1)/s_1 = (c - m_2)/s_2`, and
    :math:`\int_{-\infty}^c \Phi((x - m)/s)\,dx = s\,(t\Phi(t) + \varphi(t))`,
    :math:`\int_c^\infty (1 - \Phi((x - m)/s))\,dx = s\,(\varphi(t) - t\,\Phi(-t))`,
    :math:`t = (c - m)/s`."""
    if s1 == s2:
        return abs(m1 - m2)
    c = (m2 * s1 - m1 * s2) / (s1 - s2)

    def left(m: float, s: float) -> float:
        t = (c - m) / s
        return s * (t * special.ndtr(t) + math.exp(-t * t / 2) / math.sqrt(2 * math.pi))

    def right(m: float, s: float) -> float:
        t = (c - m) / s
        return s * (math.exp(-t * t / 2) / math.sqrt(2 * math.pi) - t * special.ndtr(-t))

    return abs(left(m1, s1) - left(m2, s2)) + abs(right(m1, s1) - right(m2, s2))


def _point_masses(xk: np.ndarray, pk: np.ndarray) -> object:
    return stats.rv_discrete(values=(xk, pk))


def _lp_cost(x: np.ndarray, p: np.ndarray, y: np.ndarray, q: np.ndarray, power: int) -> float:
    """min over couplings gamma >= 0 with marginals p, q of sum gamma_ij |x_i - y_j|^power, by
    HiGHS with feasibility tolerances 1e-10 (an independent route to the optimal transport)."""
    n, m = x.size, y.size
    cost = (np.abs(x[:, None] - y[None, :]) ** power).ravel()
    rows = np.zeros((n + m, n * m))
    for i in range(n):
        rows[i, i * m:(i + 1) * m] = 1.0
    for j in range(m):
        rows[n + j, j::m] = 1.0
    res = optimize.linprog(
        cost, A_eq=rows, b_eq=np.concatenate([p, q]), bounds=(0, None), method="highs",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )
    if not res.success:
        raise RuntimeError(f"linear program failed: {res.message}")
    return float(res.fun)


#: The LP's marginals hold to 1e-10 per constraint: its cost is within 1e-10 (n + m) max cost.
_LP_REASON = (
    "the error bound of wasserstein plus HiGHS's feasibility tolerance 1e-10 per marginal"
    " constraint times (n + m) times the largest cost"
)


# --- WGAN17-W1 --------------------------------------------------------------------------------
@check("WGAN17-W1", "symbolic", name="W1 and W2 derived for uniforms, point masses, Gaussians")
def w1_symbolic() -> CheckResult:
    r"""SymPy integrates :math:`|F_P - F_Q|` for two unit uniforms a distance d apart (d < 1 and
    d >= 1) and for two point masses, and the quantile integral of two Gaussians.

    :math:`\int |F_P - F_Q| = d`; :math:`\int (H(x) - H(x - \theta))\,dx = \theta`;
    :math:`\int_0^1 (F_P^{-1} - F_Q^{-1})^2 du = \int (\Delta\mu + \Delta\sigma z)^2 \varphi(z)
    dz = \Delta\mu^2 + \Delta\sigma^2` (substituting :math:`u = \Phi(z)`); and for Gaussians of
    equal scale :math:`\int (\Phi(x) - \Phi(x - \mu))\,dx = \mu`.
    """
    t = sp.Symbol("t", real=True)
    d = sp.Symbol("d", positive=True)
    # x = a + t: F_P(t) = t on [0, 1], F_Q(t) = t - d on [d, d + 1]
    near = (sp.integrate(t, (t, 0, d)) + sp.integrate(t - (t - d), (t, d, 1))
            + sp.integrate(1 - (t - d), (t, 1, 1 + d)))  # d < 1: the supports overlap
    far = (sp.integrate(t, (t, 0, 1)) + sp.integrate(1, (t, 1, d))
           + sp.integrate(1 - (t - d), (t, d, d + 1)))  # d >= 1
    theta, mu = sp.Symbol("theta", positive=True), sp.Symbol("mu", positive=True)
    masses = sp.integrate(sp.Heaviside(t) - sp.Heaviside(t - theta), (t, -sp.oo, sp.oo))
    phi = sp.exp(-t**2 / 2) / sp.sqrt(2 * sp.pi)
    dm, ds = sp.symbols("Delta_mu Delta_sigma", real=True)
    w2sq = sp.integrate((dm + ds * t) ** 2 * phi, (t, -sp.oo, sp.oo))
    cdf = lambda v: (1 + sp.erf(v / sp.sqrt(2))) / 2  # noqa: E731
    shift = sp.integrate(cdf(t) - cdf(t - mu), (t, -sp.oo, sp.oo))
    identities = {
        "uniforms d < 1": sp.simplify(near - d) == 0,
        "uniforms d >= 1": sp.simplify(far - d) == 0,
        "point masses": sp.simplify(masses - theta) == 0,
        "Gaussian W2^2": sp.simplify(w2sq - dm**2 - ds**2) == 0,
        "Gaussian shift W1": sp.simplify(shift - mu) == 0,
    }
    return _exact(identities)


def _exact(identities: dict[str, bool]) -> CheckResult:
    """The result of a list of exact symbolic identities: the number that fail, held to 0."""
    failed = [k for k, ok in identities.items() if not ok]
    return CheckResult(
        residual=float(len(failed)), tolerance=0.0, cases=len(identities),
        detail=f"{len(identities) - len(failed)}/{len(identities)} derivations exact"
        + (f"; NOT exact: {', '.join(failed)}" if failed else ""),
        tolerance_reason=_EXACT,
    )


@check("WGAN17-W1", "discrete", name="W1 vs scipy.stats.wasserstein_distance, W2 vs LP")
def w1_discrete() -> CheckResult:
    """W1 of weighted atoms, of the fixed probability vectors (on 0..n-1) and of scipy.stats
    laws with infinite supports against ``scipy.stats.wasserstein_distance``; W1 and W2 of small
    atom sets against the optimal coupling found by linear programming.

    scipy's sum of n terms is allowed n eps times the range of the points; for the infinite
    supports scipy gets the points -400..400 and what lies beyond (below 1e-60) is bounded by
    the tails of W1 there, sum_k (S_P(k) + S_Q(k)) and sum_k (F_P(k) + F_Q(k)).
    """
    w = Worst()
    cases = 0
    for name, (xk, pk, yk, qk) in ATOMS.items():
        e = wasserstein(_point_masses(xk, pk), _point_masses(yk, qk), full_output=True)
        ref = stats.wasserstein_distance(xk, yk, pk, qk)
        span = float(max(xk.max(), yk.max()) - min(xk.min(), yk.min()))
        w.add(abs(e.value - ref), e.abserr + (xk.size + yk.size) * _EPS * span + ulps(ref), name)
        cases += 1
        if xk.size * yk.size <= 400:
            for power in (1, 2):
                e = wasserstein(_point_masses(xk, pk), _point_masses(yk, qk), order=power,
                                full_output=True)
                lp = _lp_cost(xk, pk, yk, qk, power)
                big = span**power * 1e-10 * (xk.size + yk.size)
                got = e.value**power
                tol = big + (power * max(e.value, 1e-300) ** (power - 1)) * e.abserr + ulps(lp)
                w.add(abs(got - lp), tol, f"{name} LP W{power}")
                cases += 1
    for name, (p, q) in DISCRETE_CASES.items():
        e = wasserstein(p, q, full_output=True)
        pts = np.arange(len(p.probs), dtype=float)
        ref = stats.wasserstein_distance(pts, pts, p.probs, q.probs)
        w.add(abs(e.value - ref), e.abserr + 2 * pts.size * _EPS * pts[-1] + ulps(ref), name)
        cases += 1
    k = np.arange(-400.0, 401.0)
    out = np.arange(401.0)
    for name, (p, q) in SCIPY_DISCRETE.items():
        e = wasserstein(p, q, full_output=True)
        ref = stats.wasserstein_distance(k, k, p.pmf(k), q.pmf(k))
        # the tails beyond +-400 (below 1e-60) bound what scipy's reference leaves out
        beyond = float(np.sum(p.sf(400 + out) + q.sf(400 + out)))
        lower = float(np.sum(p.cdf(-401 - out) + q.cdf(-401 - out)))
        tol = e.abserr + 2 * k.size * _EPS * (k[-1] - k[0]) + beyond + lower + ulps(ref)
        w.add(abs(e.value - ref), tol, name)
        cases += 1
    # stochastically ordered: W1 is the difference of the means
    e = wasserstein(stats.poisson(5), stats.poisson(7), full_output=True)
    w.add(abs(e.value - 2.0), e.abserr + ulps(2.0), "poisson 5 vs 7")
    return w.result(cases + 1, "max |W - reference|", _BOUNDS + "; " + _LP_REASON)


@check("WGAN17-W1", "continuous", name="W1, W2 vs closed forms (Gaussians, shifts, uniforms)")
def w1_continuous() -> CheckResult:
    r"""W1 and W2 by quadrature against closed forms: translates (W1 = W2 = the shift, also for
    the Cauchy), Gaussians (W2^2 = dmu^2 + dsigma^2; W1 from the single crossing of the two
    distribution functions), uniforms (W2 from the linear quantiles); and ``inf`` where the
    integral diverges (Cauchy against normal, Cauchy against a wider Cauchy).
    """
    w, cases = Worst(), 0
    for name, (p, q, w1, w2) in CLOSED_FORMS.items():
        for order, ref in ((1, w1), (2, w2)):
            if ref is not None and math.isnan(ref):  # a Gaussian pair: W1 at the crossing
                args = [float(v) for v in (p.mean(), p.std(), q.mean(), q.std())]
                ref = _gauss_w1(*args) if order == 1 else ref
            e = wasserstein(p, q, order=order, full_output=True)
            if ref is None:
                if e.value != math.inf:  # a finite value where the integral diverges
                    w.add(math.inf, 0.0, f"{name} W{order} = {e.value!r}, not inf")
            else:
                w.add(abs(e.value - ref), e.abserr + ulps(ref), f"{name} W{order}")
            cases += 1
    return w.result(
        cases, "max |W - closed form| (inf for a finite value where it diverges)", _BOUNDS
    )


# --- WGAN17-KR --------------------------------------------------------------------------------
def _lipschitz(f: Critic) -> float:
    return float(np.max(np.abs(f.slopes)))


@check("WGAN17-KR", "discrete", name="E_P f* - E_Q f* = W1, f* 1-Lipschitz")
def kr_discrete() -> CheckResult:
    """The critic f* with f*' = sign(F_Q - F_P) has slopes in {-1, 0, 1} and E_P f* - E_Q f*
    (a sum over the masses) equals W1 (a sum over the distribution functions) on every fixed
    discrete case, weighted atoms and scipy.stats pairs."""
    w, cases = Worst(), 0
    pairs = dict(DISCRETE_CASES)
    pairs.update({n: (_point_masses(a, b), _point_masses(c, d)) for n, (a, b, c, d) in
                  ATOMS.items()})
    pairs.update(SCIPY_DISCRETE)
    for name, (p, q) in pairs.items():
        f = wasserstein_critic(p, q)
        e = wasserstein(p, q, full_output=True)
        o = critic_objective(p, q, f, full_output=True)
        w.add(abs(o.value - e.value), o.abserr + e.abserr + ulps(e.value), name)
        if _lipschitz(f) > 1.0:
            w.add(math.inf, 0.0, f"{name}: Lipschitz constant {_lipschitz(f)!r}")
        cases += 1
    return w.result(cases, "max |E_P f* - E_Q f* - W1| (inf if a slope exceeds 1)", _BOUNDS)


@check("WGAN17-KR", "continuous", name="E_P f* - E_Q f* = W1 by quadrature")
def kr_continuous() -> CheckResult:
    r"""E_P f* - E_Q f* as :math:`\int f^*(p - q)` (densities) against W1 as
    :math:`\int |F_P - F_Q|` (distribution functions) on pairs with finite first moments."""
    w = Worst()
    for name, (p, q) in DUAL_CASES.items():
        f = wasserstein_critic(p, q)
        e = wasserstein(p, q, full_output=True)
        o = critic_objective(p, q, f, full_output=True)
        w.add(abs(o.value - e.value), o.abserr + e.abserr + ulps(e.value), name)
        if _lipschitz(f) > 1.0:
            w.add(math.inf, 0.0, f"{name}: Lipschitz constant {_lipschitz(f)!r}")
    return w.result(
        len(DUAL_CASES), "max |E_P f* - E_Q f* - W1| (inf if a slope exceeds 1)", _BOUNDS
    )


def _walk(n: int) -> st.SearchStrategy[np.ndarray]:
    """Values of a 1-Lipschitz function on the points 0..n-1: steps in [-1, 1]."""
    steps = st.lists(st.floats(-1.0, 1.0), min_size=n, max_size=n)
    return steps.map(lambda s: np.cumsum(s))


def _discrete_case(pq: tuple[np.ndarray, np.ndarray]) -> st.SearchStrategy[tuple]:
    p, q = pq
    return _walk(p.size).map(lambda v: (p, q, v))


#: Random discrete pairs with a random 1-Lipschitz function on their points.
DISCRETE_CRITICS = gs.pairs().flatmap(_discrete_case)
#: Families with a mean (no Student t, whose df = 1 is the Cauchy).
_FINITE_MEAN = ("normal", "laplace", "uniform", "beta")
#: Random piecewise-linear critics: 1 to 4 knots in [-8, 8], slopes in [-1, 1].
CRITICS = st.integers(1, 4).flatmap(lambda k: st.tuples(
    st.lists(st.floats(-8.0, 8.0), min_size=k, max_size=k, unique=True),
    st.lists(st.floats(-1.0, 1.0), min_size=k + 1, max_size=k + 1),
)).map(lambda t: Critic(np.sort(t[0]), np.array(t[1]), 0.0))
CONTINUOUS_CRITICS = st.tuples(
    gs.continuous_pairs(max_components=2, families=_FINITE_MEAN), CRITICS
).map(lambda t: (*t[0], t[1]))
#: Examples per run in ``gantheory verify`` (a continuous example costs 3 quadratures).
N_DISCRETE, N_CONTINUOUS = 200, 12


def prop_discrete_duality(p: np.ndarray, q: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """Worst of ``E_P g - E_Q g - W1`` for the random 1-Lipschitz g and ``|E_P f* - E_Q f* -
    W1|`` for the optimal critic, with the rounding bounds of the sums."""
    e = wasserstein(p, q, full_output=True)
    g = np.dot(p, values) - np.dot(q, values)
    g_err = 2 * p.size * _EPS * float(np.sum(np.abs(values)) + 1.0)
    o = critic_objective(p, q, wasserstein_critic(p, q), full_output=True)
    below = g - e.value - (e.abserr + g_err + ulps(e.value))
    attained = abs(o.value - e.value) - (e.abserr + o.abserr + ulps(e.value))
    return max(below, attained), 0.0


def prop_continuous_duality(p: object, q: object, g: Critic) -> tuple[float, float]:
    """As :func:`prop_discrete_duality` for continuous pairs, all by quadrature."""
    e = wasserstein(p, q, full_output=True)
    lip = _lipschitz(g)
    og = critic_objective(p, q, g, full_output=True)
    o = critic_objective(p, q, wasserstein_critic(p, q), full_output=True)
    below = og.value - lip * e.value - (og.abserr + lip * e.abserr + ulps(e.value))
    attained = abs(o.value - e.value) - (e.abserr + o.abserr + ulps(e.value))
    return max(below, attained), 0.0


def _duality_run(continuous: bool) -> CheckResult:
    reason = (
        "residuals are net of the error bounds (rounding bounds of the sums, quadrature error"
        " estimates) and 8 eps max(1, |W1|): a positive one is a violation"
    )
    prop, strategy, n = (
        (prop_continuous_duality, CONTINUOUS_CRITICS, N_CONTINUOUS) if continuous
        else (prop_discrete_duality, DISCRETE_CRITICS, N_DISCRETE)
    )
    worst, count = run_properties({"kr": prop}, strategy, examples=n)
    return worst["kr"].result(
        count, "max of E_P g - E_Q g - W1 (random 1-Lipschitz g) and |E_P f* - E_Q f* - W1|,"
        " net of the error bounds", reason,
    )


@check("WGAN17-KR", "property", name="1-Lipschitz g: E_P g - E_Q g <= W1, discrete")
def kr_property_discrete() -> CheckResult:
    """For random discrete pairs (zeros, disjoint, equal) on the points 0..n-1 with random
    1-Lipschitz functions g on them (steps in [-1, 1]): E_P g - E_Q g <= W1, and the optimal
    critic f* attains it."""
    return _duality_run(continuous=False)


@check("WGAN17-KR", "property", name="1-Lipschitz g: E_P g - E_Q g <= W1, continuous")
def kr_property_continuous() -> CheckResult:
    """For random continuous pairs (normal, Laplace, uniform, Beta and their mixtures) with
    random piecewise-linear critics g (1 to 4 knots, slopes in [-1, 1]), by quadrature:
    E_P g - E_Q g <= Lip(g) W1, and the optimal critic f* attains W1."""
    return _duality_run(continuous=True)


# --- WGAN17-EX1 -------------------------------------------------------------------------------
@check("WGAN17-EX1", "symbolic", name="Example 1 derived: W = |theta|, JS = log 2, KL = oo, TV = 1")
def ex1_symbolic() -> CheckResult:
    r"""SymPy, for :math:`\theta > 0` and :math:`\theta < 0`: the coupling cost
    :math:`\int_0^1 \|(\theta, z) - (0, z)\| dz = |\theta|` and the projection critic's
    :math:`\int_0^1 \operatorname{sign}(\theta)(\theta - 0)\,dz = |\theta|`; on the x-marginals
    (masses 1, 0 against 0, 1): JS :math:`= \log 2`, both KL :math:`= \infty`, TV = 1, and
    :math:`\int |H(x) - H(x - \theta)| dx = |\theta|`."""
    z, x = sp.Symbol("z", real=True), sp.Symbol("x", real=True)
    ok: dict[str, bool] = {}
    for label, th in (("theta > 0", sp.Symbol("theta", positive=True)),
                      ("theta < 0", sp.Symbol("theta", negative=True))):
        cost = sp.integrate(sp.sqrt((th - 0) ** 2 + (z - z) ** 2), (z, 0, 1))
        critic = sp.integrate(sp.sign(th) * (th - 0), (z, 0, 1))
        lo, hi = sp.Min(0, th), sp.Max(0, th)
        masses = sp.integrate(sp.Abs(sp.Heaviside(x) - sp.Heaviside(x - th)), (x, lo, hi))
        ok[f"coupling cost ({label})"] = sp.simplify(cost - sp.Abs(th)) == 0
        ok[f"projection critic ({label})"] = sp.simplify(critic - sp.Abs(th)) == 0
        ok[f"W1 of point masses ({label})"] = sp.simplify(masses - sp.Abs(th)) == 0
    p, q = (sp.Integer(1), sp.Integer(0)), (sp.Integer(0), sp.Integer(1))
    half = sp.Rational(1, 2)
    m = [half * (a + b) for a, b in zip(p, q)]
    kl = lambda a, b: sum(ai * sp.log(ai / bi) for ai, bi in zip(a, b) if ai != 0)  # noqa: E731
    ok["JS = log 2"] = sp.simplify(half * kl(p, m) + half * kl(q, m) - sp.log(2)) == 0
    ok["KL(P_theta || P_0) = oo"] = kl(q, p) in (sp.oo, sp.zoo)
    ok["KL(P_0 || P_theta) = oo"] = kl(p, q) in (sp.oo, sp.zoo)
    ok["TV = 1"] = half * sum(sp.Abs(a - b) for a, b in zip(p, q)) == 1
    return _exact(ok)


@check("WGAN17-EX1", "discrete", name="JS, KL, TV, W1 of the x-marginals against theta")
def ex1_discrete() -> CheckResult:
    """gantheory's jsd, kl (both ways), tv and wasserstein on the x-marginals delta_0,
    delta_theta at fixed theta (including 1e-300, -1e-8 and 0): log 2, inf, inf, 1 and |theta|
    for theta != 0, all 0 at theta = 0."""
    w = Worst()
    log2 = math.log(2.0)
    for th in THETAS:
        r = parallel_lines(th)
        expect = (log2, math.inf, math.inf, 1.0) if th != 0 else (0.0, 0.0, 0.0, 0.0)
        for what, got, want in zip(("JS", "KL(P_theta||P_0)", "KL(P_0||P_theta)", "TV"),
                                   (r.jsd, r.kl_forward, r.kl_backward, r.tv), expect):
            res = (0.0 if got == want else math.inf) if math.isinf(want) else abs(got - want)
            w.add(res, ulps(want), f"theta = {th:g}: {what}")
        w.add(abs(r.w1.value - abs(th)), r.w1.abserr + ulps(th), f"theta = {th:g}: W1")
    return w.result(
        5 * len(THETAS), "max |divergence - the paper's value|",
        "exact values: 8 eps max(1, |value|); W1: its rounding bound",
    )


@check("WGAN17-EX1", "continuous", name="2-D W1 = |theta| bounded both ways by quadrature")
def ex1_continuous() -> CheckResult:
    """The 2-D W1 is squeezed: the coupling moving each point sideways costs |theta| (upper
    bound), the 1-Lipschitz projection critic f(x, y) = sign(theta) x gains |theta| (lower
    bound), both by quadrature over z ~ U[0, 1], and W1 of the x-marginals (a lower bound
    through the projection) is |theta|; the bounds meet within their error estimates."""
    w = Worst()
    for th in THETAS:
        r = parallel_lines(th)
        a = abs(th)
        w.add(abs(r.coupling_cost.value - a), r.coupling_cost.abserr + ulps(a), f"{th:g} cost")
        w.add(abs(r.critic_gap.value - a), r.critic_gap.abserr + ulps(a), f"{th:g} critic")
        gap = r.coupling_cost.value - max(r.critic_gap.value, r.w1.value)
        tol = r.coupling_cost.abserr + r.critic_gap.abserr + r.w1.abserr + ulps(a)
        w.add(abs(gap), tol, f"{th:g}: upper - lower bound")
    return w.result(
        3 * len(THETAS), "max |bound - |theta||, |upper - lower|",
        "QUADPACK's error estimates of the integrals over z and W1's rounding bound, plus 8 eps",
    )
