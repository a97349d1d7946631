"""gantheory.wasserstein against independent references: mpmath at 30 digits, closed forms,
scipy.stats.wasserstein_distance, linear-programming couplings, and the dual objective computed
from masses or densities; infinite cases, infinite discrete supports, bad input."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import gantheory
from gantheory import Mixture
from gantheory import strategies as gs
from gantheory.checks.wgan17 import _gauss_w1, _lp_cost
from gantheory.nn import MLP
from gantheory.pushforward import Generator1D, Polynomial
from gantheory.wasserstein import (
    Critic,
    critic_objective,
    parallel_lines,
    wasserstein,
    wasserstein_critic,
)
from tests.reference import crossings

EPS = float(np.finfo(np.float64).eps)
#: Every comparison with a reference allows the computed error bound plus 8 eps of the value.
ULPS = 8


def _close(est: gantheory.Estimate, ref: float, extra: float = 0.0) -> None:
    tol = est.abserr + ULPS * EPS * max(1.0, abs(ref)) + extra
    assert abs(est.value - ref) <= tol, (est, ref, tol)


# --- mpmath references: distribution functions written out at 30 digits ------------------------
# Each law is (F, S): its cdf and its survival function, each in a form that keeps its relative
# accuracy in its own tail (mp.quad samples out to |x| ~ 1e30, where 1/2 + atan(x)/pi would
# leave 30-digit noise integrated over a range of 1e30).
def _mp_norm(m: float, s: float):
    m, s = mp.mpf(m), mp.mpf(s)
    return (lambda x: mp.ncdf((x - m) / s)), (lambda x: mp.ncdf((m - x) / s))


def _mp_laplace(m: float, b: float):
    m, b = mp.mpf(m), mp.mpf(b)

    def F(x):
        return mp.exp((x - m) / b) / 2 if x < m else 1 - mp.exp(-(x - m) / b) / 2

    return F, lambda x: F(2 * m - x)


def _mp_t3():
    s3 = mp.sqrt(3)

    def S(y):  # P(T > y); for y > 0 from phi = atan(sqrt(3) / y), without cancelling halves
        if y == 0:
            return mp.mpf(1) / 2
        if y < 0:
            return 1 - S(-y)
        phi = mp.atan(s3 / y)
        return (phi - mp.sin(phi) * mp.cos(phi)) / mp.pi

    return (lambda x: S(-x)), S


def _mp_mixture(weights, laws):
    ws = [mp.mpf(w) for w in weights]
    return (lambda x: mp.fsum(w * F(x) for w, (F, _) in zip(ws, laws)),
            lambda x: mp.fsum(w * S(x) for w, (_, S) in zip(ws, laws)))


def _mp_w1(P, Q, lo: float, hi: float, points) -> mp.mpf:
    """int |F_P - F_Q| over the line with tanh-sinh (|S_P - S_Q| for x > 0), split at the
    crossings found in (lo, hi)."""
    (FP, SP), (FQ, SQ) = P, Q

    def gap(x):
        return abs(FP(x) - FQ(x)) if x <= 0 else abs(SP(x) - SQ(x))

    # 797 cells: no grid point falls on a crossing at a round number (x = -2), which the scan
    # would not see as a sign change
    pts = sorted({mp.mpf(x) for x in points} | set(crossings(FP, FQ, lo, hi, n=797)))
    return mp.quad(gap, [-mp.inf, *pts, mp.inf], maxdegree=10)


MP_CASES = {
    "normal 0,1 vs 1,1.5": (stats.norm(0, 1), stats.norm(1, 1.5), _mp_norm(0, 1),
                            _mp_norm(1, 1.5)),
    "laplace vs t3": (stats.laplace(0, 1), stats.t(3), _mp_laplace(0, 1), _mp_t3()),
    "bimodal mixture vs normal": (
        Mixture([stats.norm(-2, 0.5), stats.norm(2, 0.5)]), stats.norm(0, 1),
        _mp_mixture([0.5, 0.5], [_mp_norm(-2, 0.5), _mp_norm(2, 0.5)]), _mp_norm(0, 1),
    ),
}


#: The mixtures cost a second each (two scipy calls per component and node): slow.
_MP_PARAMS = [pytest.param(n, marks=[pytest.mark.slow] if "mixture" in n else []) for n in MP_CASES]


@pytest.mark.parametrize("name", _MP_PARAMS)
def test_w1_against_mpmath(name: str) -> None:
    p, q, F, G = MP_CASES[name]
    ref = _mp_w1(F, G, -20, 20, [-10, -3, 0, 3, 10])
    est = wasserstein(p, q, full_output=True)
    _close(est, float(ref))
    assert est.abserr < 1e-10


def test_w1_and_w2_of_the_reference_gaussians() -> None:
    """N(0, 1) against N(1, 1.5^2): W1 from the closed form at the crossing x = -2 and mpmath,
    W2 = sqrt(dmu^2 + dsigma^2) = sqrt(1.25)."""
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    w1 = wasserstein(p, q, full_output=True)
    ref = _mp_w1(_mp_norm(0, 1), _mp_norm(1, 1.5), -20, 20, [-2])
    _close(w1, float(ref))
    _close(w1, _gauss_w1(0.0, 1.0, 1.0, 1.5))
    _close(wasserstein(p, q, order=2, full_output=True), math.sqrt(1.25))


@pytest.mark.parametrize(
    ("p", "q", "w1"),
    [
        (stats.norm(0, 1), stats.norm(-4, 1), 4.0),
        (stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 1), 1.5),
        (stats.laplace(0, 2), stats.laplace(0.25, 2), 0.25),
        (stats.cauchy(0, 1), stats.cauchy(3, 1), 3.0),  # finite, though neither has a mean
        (stats.uniform(0, 1), stats.uniform(2, 1), 2.0),
        (stats.norm(2, 3), stats.norm(2, 3), 0.0),
    ],
)
def test_translates_move_by_the_shift(p: object, q: object, w1: float) -> None:
    _close(wasserstein(p, q, full_output=True), w1)
    _close(wasserstein(p, q, order=2, full_output=True), w1)


def test_w2_closed_forms() -> None:
    for (m1, s1), (m2, s2) in (((0, 1), (1, 2)), ((-3, 0.1), (4, 7)), ((1e3, 2), (1e3, 2.5))):
        est = wasserstein(stats.norm(m1, s1), stats.norm(m2, s2), order=2, full_output=True)
        _close(est, math.hypot(m1 - m2, s1 - s2))
    # uniforms: quantiles a + w u, so W2^2 = int_0^1 (0.3 + u)^2 du for U(0, 1), U(0.3, 2)
    est = wasserstein(stats.uniform(0, 1), stats.uniform(0.3, 2), order=2, full_output=True)
    _close(est, math.sqrt(0.09 + 0.3 + 1 / 3))


@pytest.mark.parametrize("side", [1, pytest.param(-1, marks=pytest.mark.slow)])
def test_far_tails_use_survival_functions(side: int) -> None:
    """Two laws that differ only by where a mass of 1e-20 sits, 50 or 51 (or -50 or -51): W1 =
    1e-20, all of it where both distribution functions round to 1 (or to 0). 1 - cdf gives 0
    there; the survival functions keep it. The bulk, N(0, 1) in both, is computed identically
    for the two and cancels exactly, which the error bound (8 eps of the distribution
    functions, about 1e-15) cannot know: hence the atol."""
    p = Mixture([stats.norm(0, 1), stats.norm(side * 50.0, 1)], [1.0, 1e-20])
    q = Mixture([stats.norm(0, 1), stats.norm(side * 51.0, 1)], [1.0, 1e-20])
    est = wasserstein(p, q, full_output=True, atol=1e-14)
    assert est.value == pytest.approx(1e-20, rel=1e-9, abs=0)


# --- infinite and refused cases -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("p", "q", "w1_inf", "w2_inf"),
    [
        (stats.cauchy(0, 1), stats.norm(0, 1), True, True),
        (stats.cauchy(0, 1), stats.cauchy(0, 2), True, True),
        (stats.t(1.5), stats.norm(0, 1), False, True),  # a mean but no variance
    ],
)
def test_divergent_integrals_are_inf(p: object, q: object, w1_inf: bool, w2_inf: bool) -> None:
    w1 = wasserstein(p, q)
    assert (w1 == math.inf) if w1_inf else (0 < w1 < math.inf)
    w2 = wasserstein(p, q, order=2)
    assert (w2 == math.inf) if w2_inf else (0 < w2 < math.inf)
    assert not math.isnan(w1) and not math.isnan(w2)


def test_finite_w1_of_a_heavy_tail_equals_the_dual() -> None:
    """t(1.5) has a mean: the dual objective of the optimal critic, from the densities, is W1."""
    p, q = stats.t(1.5), stats.norm(0, 1)
    e = wasserstein(p, q, full_output=True)
    o = critic_objective(p, q, wasserstein_critic(p, q), full_output=True)
    assert abs(o.value - e.value) <= o.abserr + e.abserr + ULPS * EPS


def test_bad_input() -> None:
    for bad in (0, 3, 1.5, True, "1", None, np.array([1])):
        with pytest.raises(ValueError, match=r"`order` must be 1 or 2 \(got"):
            wasserstein([1.0], [1.0], order=bad)
    with pytest.raises(ValueError, match="`atol` must be a finite number >= 0"):
        wasserstein([1.0], [1.0], atol=-1.0)
    with pytest.raises(TypeError, match="both be discrete or both continuous"):
        wasserstein([0.5, 0.5], stats.norm(0, 1))
    with pytest.raises(ValueError, match="a heavy tail"):
        wasserstein(stats.zipf(1.5), stats.poisson(3))
    with pytest.raises(ValueError, match=r"W2 of geom\(0.3\) and poisson\(3\) is not computed"):
        wasserstein(stats.geom(0.3), stats.poisson(3), order=2)
    with pytest.raises(ValueError, match="no closed-form quantile functions"):
        wasserstein(Mixture([stats.norm(0, 1), stats.norm(3, 1)]), stats.norm(0, 1), order=2)
    with pytest.raises(ValueError, match="`x0` must be a finite number"):
        wasserstein_critic([1.0], [1.0], x0=math.nan)
    with pytest.raises(ValueError, match="`knots` must be increasing"):
        Critic(np.array([1.0, 0.0]), np.zeros(3), 0.0)
    with pytest.raises(ValueError, match="`slopes` must hold len\\(knots\\) \\+ 1 = 2"):
        Critic(np.array([0.0]), np.zeros(3), 0.0)
    with pytest.raises(ValueError, match="`theta` must be a finite number"):
        parallel_lines(math.inf)
    with pytest.raises(TypeError, match="`f` must be a vectorized function"):
        critic_objective([1.0], [1.0], 3.0)


# --- discrete ---------------------------------------------------------------------------------
def _atoms(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.sort(rng.uniform(-3, 3, n)), rng.dirichlet(np.ones(n))


def test_weighted_atoms_against_scipy_and_linear_programming() -> None:
    rng = np.random.default_rng(2017)
    for n, m in ((1, 4), (5, 5), (12, 3)):
        (x, p), (y, q) = _atoms(rng, n), _atoms(rng, m)
        P, Q = stats.rv_discrete(values=(x, p)), stats.rv_discrete(values=(y, q))
        e1 = wasserstein(P, Q, full_output=True)
        # scipy's sum of n + m terms: (n + m) eps times the span of the points
        _close(e1, stats.wasserstein_distance(x, y, p, q), (n + m) * EPS * 6)
        # HiGHS: marginals within 1e-10 each, costs at most 6 (W1) or 36 (W2)
        _close(e1, _lp_cost(x, p, y, q, 1), 1e-10 * (n + m) * 6)
        e2 = wasserstein(P, Q, order=2, full_output=True)
        lp2 = _lp_cost(x, p, y, q, 2)
        assert abs(e2.value**2 - lp2) <= 1e-10 * (n + m) * 36 + 2 * e2.value * e2.abserr + 1e-15


def test_probability_vectors_sit_on_0_to_n_minus_1() -> None:
    assert wasserstein([1.0, 0.0, 0.0], [0.0, 0.0, 1.0]) == 2.0
    assert wasserstein(gantheory.Discrete([0.5, 0.5]), [0.5, 0.5]) == 0.0
    assert wasserstein([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], order=2) == 2.0
    # two-point laws: W2^2 = |p_0 - q_0| for masses on 0 and 1
    assert wasserstein([0.3, 0.7], [0.8, 0.2], order=2) == pytest.approx(math.sqrt(0.5), rel=1e-15)


@settings(max_examples=40, deadline=None)
@given(gs.pairs())
def test_random_vectors_against_scipy(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    pts = np.arange(p.size, dtype=float)
    _close(wasserstein(p, q, full_output=True),
           stats.wasserstein_distance(pts, pts, p, q), 2 * p.size * EPS * p.size)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (stats.poisson(5), stats.geom(0.3)),
        (stats.nbinom(4, 0.4), stats.dlaplace(0.8, loc=2)),
        (stats.binom(10, 0.3), stats.poisson(3)),
        (stats.skellam(3, 2), stats.poisson(1)),
    ],
)
def test_infinite_discrete_supports_against_scipy(p: object, q: object) -> None:
    k = np.arange(-500.0, 501.0)  # beyond +-500 both laws hold less than 1e-100
    ref = stats.wasserstein_distance(k, k, p.pmf(k), q.pmf(k))
    _close(wasserstein(p, q, full_output=True), ref, 2 * k.size * EPS * 1000)


def test_stochastically_ordered_laws_differ_by_their_means() -> None:
    _close(wasserstein(stats.poisson(5), stats.poisson(7.5), full_output=True), 2.5)
    _close(wasserstein(stats.geom(0.5), stats.geom(0.1), full_output=True), 10.0 - 2.0)


# --- Kantorovich-Rubinstein duality ------------------------------------------------------------
def test_critic_is_one_lipschitz_and_attains_w1_discrete() -> None:
    p, q = stats.poisson(4), stats.geom(0.2)
    f = wasserstein_critic(p, q, x0=3.0)
    assert f(np.array([3.0]))[0] == 0.0
    assert set(np.unique(f.slopes)) <= {-1.0, 0.0, 1.0}
    e = wasserstein(p, q, full_output=True)
    o = critic_objective(p, q, f, full_output=True)
    assert abs(o.value - e.value) <= o.abserr + e.abserr + ULPS * EPS * e.value


@pytest.mark.parametrize("name", _MP_PARAMS)
def test_critic_attains_w1_continuous(name: str) -> None:
    p, q = MP_CASES[name][:2]
    f = wasserstein_critic(p, q)
    x = np.linspace(-30, 30, 20001)
    assert np.max(np.abs(np.diff(f(x)) / np.diff(x))) <= 1 + 1e-12
    e = wasserstein(p, q, full_output=True)
    o = critic_objective(p, q, f, full_output=True)
    assert abs(o.value - e.value) <= o.abserr + e.abserr + ULPS * EPS * e.value


@st.composite
def _lipschitz_walk(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, q = draw(gs.pairs())
    steps = draw(st.lists(st.floats(-1, 1), min_size=p.size, max_size=p.size))
    return p, q, np.cumsum(steps)


@settings(max_examples=60, deadline=None)
@given(_lipschitz_walk())
def test_one_lipschitz_functions_stay_below_w1(case) -> None:
    p, q, g = case
    e = wasserstein(p, q, full_output=True)
    gap = float(np.dot(p, g) - np.dot(q, g))
    assert gap <= e.value + e.abserr + 2 * p.size * EPS * (np.sum(np.abs(g)) + 1)


@pytest.mark.slow  # the registered property check of WGAN17-KR runs 12 such examples
@settings(max_examples=4, deadline=None)
@given(
    gs.continuous_pairs(max_components=2, families=("normal", "laplace", "uniform", "beta")),
    st.lists(st.floats(-6, 6), min_size=2, max_size=2, unique=True),
    st.lists(st.floats(-1, 1), min_size=3, max_size=3),
)
def test_piecewise_linear_critics_stay_below_w1(pq, knots, slopes) -> None:
    p, q = pq
    g = Critic(np.sort(knots), np.array(slopes), 0.0)
    e = wasserstein(p, q, full_output=True)
    o = critic_objective(p, q, g, full_output=True)
    lip = float(np.max(np.abs(g.slopes)))
    assert o.value <= lip * e.value + o.abserr + lip * e.abserr + ULPS * EPS


# --- push-forwards ----------------------------------------------------------------------------
def _affine(a: float, b: float) -> Generator1D:
    net = MLP([1, 1], rng=np.random.default_rng(0))
    net.params[0][...] = a
    net.params[1][...] = b
    return Generator1D(net)


def test_push_forward_survival_function() -> None:
    g = _affine(2.0, 1.0)
    x = np.array([-30.0, -3.0, 1.0, 5.0, 40.0])
    np.testing.assert_allclose(g.sf(x), stats.norm(1, 2).sf(x), rtol=1e-12, atol=0)
    np.testing.assert_allclose(g.sf(x) + g.cdf(x), 1.0, rtol=0, atol=4 * EPS)


@pytest.mark.slow
def test_push_forwards() -> None:
    """W1 of an affine push-forward is a shift; a folded one (z^3 - 3z) agrees with its dual."""
    _close(wasserstein(_affine(2.0, 1.0).pushforward(), stats.norm(0, 2), full_output=True), 1.0)
    g = Generator1D(Polynomial([0.0, -3.0, 0.0, 1.0])).pushforward()
    q = stats.norm(0, 2)
    e = wasserstein(g, q, full_output=True)
    o = critic_objective(g, q, wasserstein_critic(g, q), full_output=True)
    assert abs(o.value - e.value) <= o.abserr + e.abserr + ULPS * EPS


# --- Example 1 --------------------------------------------------------------------------------
def test_parallel_lines() -> None:
    for th in (-2.0, -1e-9, 1e-300, 0.25, 3.0):
        r = parallel_lines(th)
        assert (r.jsd, r.kl_forward, r.kl_backward, r.tv) == (math.log(2), math.inf, math.inf,
                                                              1.0)
        for est in (r.w1, r.coupling_cost, r.critic_gap):
            assert abs(est.value - abs(th)) <= est.abserr + ULPS * EPS * abs(th)
    r = parallel_lines(0.0)
    assert (r.jsd, r.kl_forward, r.kl_backward, r.tv, r.w1.value) == (0.0, 0.0, 0.0, 0.0, 0.0)


def test_w2_of_the_parallel_lines_marginals() -> None:
    p0 = stats.rv_discrete(values=([0.0], [1.0]))
    pt = stats.rv_discrete(values=([-0.75], [1.0]))
    assert wasserstein(p0, pt, order=2) == 0.75
