"""scipy.stats discrete distributions as arguments: references from mpmath at 50 digits, closed
forms, and the explicit probability vectors of finite supports."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special, stats

import gantheory as gt
from gantheory._discrete_scipy import MAX_POINTS, TAIL_MASS
from gantheory.distributions import coerce_pair

EPS = float(np.finfo(np.float64).eps)
mp.mp.dps = 50


# --- JSD(binom(10, 1/2), poisson(5)) and friends against mpmath ---------------------------------
def _binom_poisson_reference() -> dict[str, mp.mpf]:
    """Exact masses at 50 digits; poisson's tail beyond 400 holds < 1e-500, far below float64."""
    ks = range(401)
    p = [mp.binomial(10, k) / mp.mpf(2) ** 10 if k <= 10 else mp.mpf(0) for k in ks]
    q = [mp.exp(-5) * mp.mpf(5) ** k / mp.factorial(k) for k in ks]

    def plog(a: mp.mpf, b: mp.mpf) -> mp.mpf:
        return a * mp.log(a / b) if a > 0 else mp.mpf(0)

    m = [(a + b) / 2 for a, b in zip(p, q)]
    return {
        "jsd": mp.fsum((plog(a, c) + plog(b, c)) / 2 for a, b, c in zip(p, q, m)),
        "kl_pq": mp.fsum(plog(a, b) for a, b in zip(p, q)),
        "tv": mp.fsum(abs(a - b) for a, b in zip(p, q)) / 2,
        "c": mp.fsum(plog(a, a + b) + plog(b, a + b) for a, b in zip(p, q)),
        "h_q": -mp.fsum(plog(b, 1) for b in q),
    }


REF = _binom_poisson_reference()
B, PO = stats.binom(10, 0.5), stats.poisson(5)


@pytest.mark.parametrize(
    ("name", "fn", "args"),
    [
        ("jsd", gt.jsd, (B, PO)),
        ("jsd", gt.jsd, (PO, B)),
        ("kl_pq", gt.kl, (B, PO)),
        ("tv", gt.tv, (B, PO)),
        ("c", gt.optimal_value, (B, PO)),
        ("h_q", gt.entropy, (PO,)),
    ],
)
def test_binom_poisson_against_mpmath(name: str, fn: object, args: tuple) -> None:
    est = fn(*args, full_output=True)  # type: ignore[operator]
    err = abs(est.value - float(REF[name]))
    assert err <= est.abserr, (name, est, float(REF[name]), err)
    # finite support summed whole, poisson cut below 1e-300: abserr is the rounding bound
    # n eps sum|t| for the n ~ 260 points listed, about 1e-13
    assert est.abserr <= 2e-13


def test_kl_poisson_binom_is_infinite() -> None:
    """poisson(5) has mass at 11, 12, ... where binom(10, 1/2) has none."""
    assert gt.kl(PO, B) == math.inf
    assert gt.cross_entropy(PO, B) == math.inf


@pytest.mark.parametrize(
    ("p", "q", "want"),
    [  # KL(Poi(a) || Poi(b)) = a log(a/b) + b - a
        (stats.poisson(5), stats.poisson(6), 5 * math.log(5 / 6) + 1),
        (stats.poisson(0.3), stats.poisson(40), 0.3 * math.log(0.3 / 40) + 39.7),
        # KL(Geom(a) || Geom(b)) = log(a/b) + (1-a)/a log((1-a)/(1-b))
        (stats.geom(0.3), stats.geom(0.2), math.log(1.5) + 0.7 / 0.3 * math.log(0.7 / 0.8)),
    ],
)
def test_infinite_supports_kl_closed_forms(p: object, q: object, want: float) -> None:
    est = gt.kl(p, q, full_output=True)
    assert abs(est.value - want) <= est.abserr + 8 * EPS * abs(want)


@pytest.mark.parametrize(
    "dist", [stats.poisson(5), stats.geom(0.25), stats.nbinom(5, 0.3), stats.binom(30, 0.2),
             stats.hypergeom(20, 7, 12), stats.randint(-3, 9), stats.bernoulli(0.3),
             stats.logser(0.6), stats.planck(0.5)],
)
def test_entropy_against_scipy(dist: object) -> None:
    """SciPy's discrete ``entropy`` sums the masses itself (an independent summation)."""
    est = gt.entropy(dist, full_output=True)
    want = float(dist.entropy())
    assert abs(est.value - want) <= est.abserr + 1e-14  # scipy's own sum rounds to ~1e-15


def test_geometric_entropy_closed_form() -> None:
    """H(Geom(a)) = (-(1-a) log(1-a) - a log a) / a."""
    a = 0.01
    est = gt.entropy(stats.geom(a), full_output=True)
    want = (-(1 - a) * math.log1p(-a) - a * math.log(a)) / a
    assert abs(est.value - want) <= est.abserr + 8 * EPS * want


# --- finite supports against the explicit probability vectors ---------------------------------
def _vector(d: object, n: int) -> np.ndarray:
    return np.asarray(d.pmf(np.arange(n)), dtype=np.float64)


FINITE = [
    (stats.binom(4, 0.3), stats.randint(1, 6)),  # {0..4} and {1..5}: aligned on {0..5}
    (stats.hypergeom(10, 4, 5), stats.binom(5, 0.5)),
    (stats.bernoulli(0.2), stats.binom(3, 0.9)),
]


@pytest.mark.parametrize(("p", "q"), FINITE)
@pytest.mark.parametrize("fn", [gt.kl, gt.jsd, gt.tv, gt.cross_entropy, gt.optimal_value])
def test_finite_pairs_equal_their_probability_vectors(p: object, q: object, fn: object) -> None:
    n = 6
    pv, qv = _vector(p, n), _vector(q, n)
    assert math.isclose(pv.sum(), 1.0, abs_tol=1e-15) and math.isclose(qv.sum(), 1.0, abs_tol=1e-15)
    got = fn(p, q, full_output=True)  # type: ignore[operator]
    want = fn(pv / pv.sum(), qv / qv.sum(), full_output=True)  # type: ignore[operator]
    if math.isinf(want.value):
        assert got.value == want.value
    else:
        assert abs(got.value - want.value) <= got.abserr + want.abserr + 4 * EPS
    lo = min(p.support()[0], q.support()[0])
    hi = max(p.support()[1], q.support()[1])
    assert got.neval == hi - lo + 1  # the union of the two supports, summed whole


def test_a_vector_is_on_0_to_n_minus_1() -> None:
    """A probability vector paired with a scipy distribution sits on {0, ..., n - 1}."""
    assert gt.tv([0.0, 1.0], stats.bernoulli(1.0)) == 0.0
    assert gt.tv([0.5, 0.5], stats.randint(1, 3)) == 0.5  # {0, 1} against {1, 2}
    pair = coerce_pair([0.5, 0.5], stats.randint(1, 3))
    np.testing.assert_array_equal(pair.points, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(pair.p, [0.5, 0.5, 0.0])


def test_lattices_offset_by_loc_are_disjoint() -> None:
    """poisson(5, loc=0.5) lives on 0.5, 1.5, ...: disjoint from poisson(5), JSD = log 2."""
    est = gt.jsd(stats.poisson(5), stats.poisson(5, loc=0.5), full_output=True)
    assert abs(est.value - math.log(2)) <= est.abserr
    assert gt.jsd(stats.poisson(5, loc=3), stats.poisson(5, loc=3)) == 0.0


def test_rv_discrete_from_values() -> None:
    d = stats.rv_discrete(values=([0, 2, 5], [0.2, 0.3, 0.5]))
    want = gt.jsd([0.2, 0, 0.3, 0, 0, 0.5], [0, 0, 0.5, 0.5, 0, 0])
    assert abs(gt.jsd(d, [0, 0, 0.5, 0.5]) - want) <= 8 * EPS
    assert abs(gt.jsd(d(), [0, 0, 0.5, 0.5]) - want) <= 8 * EPS  # frozen too


# --- tails: stated, bounded, or refused -----------------------------------------------------------
def test_light_tail_is_cut_below_the_stated_mass() -> None:
    pair = coerce_pair(stats.poisson(5), stats.geom(0.5))
    # sf at the cut, at most 1e-300 (0 where it underflows: the mass left is below 2e-308)
    assert 0 <= pair.omitted[0] <= TAIL_MASS and 0 <= pair.omitted[1] <= TAIL_MASS
    assert stats.poisson(5).sf(pair.points[-1]) <= TAIL_MASS
    assert stats.geom(0.5).sf(pair.points[-1]) <= TAIL_MASS
    assert pair.points[0] == 0 and pair.points[-1] < 5000


def test_heavy_tail_remainder_is_in_the_error_bound() -> None:
    """zipf(3) vs zipf(4): p_k > q_k for every k >= 2, so TV = q_1 - p_1 = 1/zeta(4) - 1/zeta(3)
    exactly; zipf(3) is cut after 2^20 points with ~1e-13 of its mass left, in abserr."""
    want = float(1 / mp.zeta(4) - 1 / mp.zeta(3))
    est = gt.tv(stats.zipf(3), stats.zipf(4), full_output=True)
    pair = coerce_pair(stats.zipf(3), stats.zipf(4))
    assert pair.omitted[0] > 1e-14 and est.abserr >= 0.5 * pair.omitted[0]
    assert abs(est.value - want) <= est.abserr
    assert pair.points.size <= 2 * MAX_POINTS + 2


def test_a_tail_too_heavy_for_the_request_raises() -> None:
    with pytest.raises(
        gt.QuadratureError,
        match=r"the JS divergence of zipf\(1.1\) and zipf\(2\) cannot be summed to the requested"
        r" accuracy: the \d+ points summed leave masses 0.2\d+ and .* in the tails, which can"
        r" add up to .* > tolerance .*; pass a larger atol or rtol",
    ):
        gt.jsd(stats.zipf(1.1), stats.zipf(2))
    # the same bound, asked for: accepted and stated
    est = gt.jsd(stats.zipf(1.1), stats.zipf(2), atol=0.1, full_output=True)
    assert 0.05 < est.abserr <= 0.1 and 0 < est.value < math.log(2)


def test_an_underflowed_log_mass_is_refused_not_made_infinite() -> None:
    """SciPy's skellam.logpmf is log(pmf), -inf where dlaplace still has a subnormal mass."""
    with pytest.raises(ValueError, match=r"cannot be computed in float64: scipy.stats gives"
                       r" skellam\(3, 4\) a log-mass of -inf at -\d+, inside its support"):
        gt.kl(stats.dlaplace(0.8), stats.skellam(3, 4))


def test_a_mass_that_underflows_in_pmf_but_not_in_logpmf() -> None:
    """binom(2000, 0.9) has masses below 1e-308 where binom(2000, 0.5) does not: KL is finite,
    from the log-masses, and equals the closed form n (a log(a/b) + (1-a) log((1-a)/(1-b)))."""
    want = 2000 * (0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1))
    est = gt.kl(stats.binom(2000, 0.5), stats.binom(2000, 0.9), full_output=True)
    assert abs(est.value - want) <= est.abserr + 1e-9 * want  # scipy's pmf: ~1e-12 relative


# --- the game on scipy discrete pairs ----------------------------------------------------------
def test_optimal_discriminator_is_a_callable_of_the_points_with_its_logit() -> None:
    d = gt.optimal_discriminator(B, PO)
    k = np.arange(0, 15)
    want = B.pmf(k) / (B.pmf(k) + PO.pmf(k))
    # expit(log p - log q): the log-masses (|log p| <= 7 here) carry ~eps |log p| each
    np.testing.assert_allclose(d(k), want, rtol=16 * EPS, atol=0)
    np.testing.assert_allclose(d.logit(k[:11]), B.logpmf(k[:11]) - PO.logpmf(k[:11]), rtol=1e-15)
    assert d(np.array([0.5]))[0] == 0.5  # off both lattices: the convention 1/2
    v = gt.value(B, PO, d, full_output=True)
    c = gt.optimal_value(B, PO, full_output=True)
    assert abs(v.value - c.value) <= v.abserr + c.abserr


def test_value_of_d_star_is_finite_where_d_star_rounds_to_one() -> None:
    """binom(60, 0.5) against poisson(0.01): D* rounds to 1 at k >= 2, where poisson still has
    mass; its logit keeps V(G, D*) = C(G)."""
    p, q = stats.binom(60, 0.5), stats.poisson(0.01)
    d = gt.optimal_discriminator(p, q)
    assert d(np.array([30]))[0] == 1.0
    v = gt.value(p, q, d, full_output=True)
    c = gt.optimal_value(p, q, full_output=True)
    assert math.isfinite(v.value) and abs(v.value - c.value) <= v.abserr + c.abserr
    with pytest.raises(ValueError, match=r"`D` returned 1.0 at the point \d+, where p_g has mass"):
        gt.value(p, q, lambda k: d(k))  # the rounded probabilities alone


def test_value_needs_a_callable_for_scipy_pairs() -> None:
    with pytest.raises(TypeError, match="`D` must be a vectorized callable of the support points"):
        gt.value(B, PO, np.full(11, 0.5))


def test_generator_objectives_on_a_scipy_distribution() -> None:
    """E_{poisson(5)} log D for D = expit(k - 5): against a direct sum over 0..200."""
    k = np.arange(201)
    want = float(np.sum(PO.pmf(k) * -np.logaddexp(0, -(k - 5.0))))
    got = -gt.generator_objective_nonsaturating(PO, lambda x: np.asarray(x) - 5.0, logit=True)
    assert abs(got - want) <= 64 * EPS
    got = -gt.generator_objective_nonsaturating(PO, lambda x: special.expit(np.asarray(x) - 5.0))
    assert abs(got - want) <= 64 * EPS


# --- what is refused ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("p", "q", "error", "match"),
    [
        (stats.poisson(5), stats.norm(), TypeError,
         r"`p` and `q` must both be discrete or both continuous \(got a discrete `p` ="
         r" poisson\(5\) and a continuous `q` = norm\(\)\)"),
        (stats.norm(0, 2), stats.binom(3, 0.5), TypeError,
         r"got a continuous `p` = norm\(0, 2\) and a discrete `q` = binom\(3, 0.5\)"),
        (stats.poisson, stats.poisson(5), TypeError,
         r"`p` is the scipy.stats family `poisson`, not a distribution: freeze it with its"
         r" parameters, e.g. stats.poisson\(mu\)"),
        (stats.norm(), stats.gamma, TypeError,
         r"`q` is the scipy.stats family `gamma`, not a distribution: freeze it with its"
         r" parameters, e.g. stats.gamma\(a, loc, scale\)"),
        (stats.multivariate_normal([0, 0]), stats.norm(), TypeError,
         r"`p` must be a Discrete or a 1-D array of probabilities, .* or a Mixture \(got a"
         r" multivariate_normal_frozen, which is not a 1-D scipy.stats distribution\)"),
        (None, [1.0], TypeError, r"`p` must be a Discrete or .* \(got None, a NoneType\)"),
        (stats.binom(-1, 0.5), [1.0], ValueError,
         r"`p` = binom\(-1, 0.5\) has invalid parameters \(scipy.stats gives it the support"
         r" \(nan, nan\)\)"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], ValueError,
         r"`p` and `q` must have the same length \(got 2 and 3\); to compare distributions on"
         r" different supports pass them as scipy.stats discrete distributions"),
    ],
)
def test_bad_pairs(p: object, q: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        gt.jsd(p, q)
