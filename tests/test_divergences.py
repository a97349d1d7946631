"""Divergences against independent references: closed forms, scipy.stats.entropy and
scipy.spatial.distance.jensenshannon (squared), binary entropies for Bernoulli pairs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

import gantheory as gt
from gantheory.cases import DISCRETE_CASES

EPS = np.finfo(np.float64).eps
#: Two independent float64 sums of n terms of size <= 1 agree to within ~n eps each.
def _sum_tol(n: int) -> float:
    return 4 * n * EPS


DISCRETE_PAIRS = [
    pytest.param(p.probs, q.probs, id=name) for name, (p, q) in DISCRETE_CASES.items()
]


@pytest.mark.parametrize(("p", "q"), DISCRETE_PAIRS)
def test_discrete_kl_matches_scipy_entropy(p: np.ndarray, q: np.ndarray) -> None:
    want = stats.entropy(p, q)
    got = gt.kl(p, q)
    if math.isinf(want):
        assert got == math.inf
    else:
        assert abs(got - want) <= _sum_tol(p.size) * max(1.0, abs(want))


@pytest.mark.parametrize(("p", "q"), DISCRETE_PAIRS)
def test_discrete_jsd_is_scipy_jensenshannon_squared(p: np.ndarray, q: np.ndarray) -> None:
    # jensenshannon's square root loses half the digits near 0: compare in the divergence,
    # with the derivative of the square (2 sqrt(JSD) * eps-sized errors in the distance).
    d = jensenshannon(p, q)
    assert abs(gt.jsd(p, q) - d**2) <= _sum_tol(p.size) * max(1.0, d) + 4 * EPS * d


@pytest.mark.parametrize(("p", "q"), DISCRETE_PAIRS)
def test_discrete_entropy_and_cross_entropy(p: np.ndarray, q: np.ndarray) -> None:
    assert abs(gt.entropy(p) - stats.entropy(p)) <= _sum_tol(p.size) * max(1, stats.entropy(p))
    h_pq = gt.cross_entropy(p, q)
    want = stats.entropy(p) + stats.entropy(p, q)  # H(p, q) = H(p) + KL(p || q)
    assert h_pq == want if math.isinf(want) else abs(h_pq - want) <= _sum_tol(p.size) * max(1, want)


@pytest.mark.parametrize(("a", "b"), [(0.3, 0.6), (0.0, 1.0), (0.5, 0.5), (1e-12, 0.9), (0.0, 0.2)])
def test_bernoulli_jsd_from_binary_entropies(a: float, b: float) -> None:
    """JSD(Ber(a), Ber(b)) = h((a + b)/2) - (h(a) + h(b))/2 with h the binary entropy."""

    def h(t: float) -> float:
        return float(special.entr(t) + special.entr(1 - t))

    want = h((a + b) / 2) - (h(a) + h(b)) / 2
    assert abs(gt.jsd([a, 1 - a], [b, 1 - b]) - want) <= 16 * EPS


def test_kl_is_infinite_where_q_vanishes_and_jsd_stays_finite() -> None:
    p, q = [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]
    assert gt.kl(p, q) == math.inf
    assert gt.cross_entropy(p, q) == math.inf
    assert 0 < gt.jsd(p, q) < math.log(2)


def test_jsd_of_proportional_inputs_is_finite() -> None:
    """scipy#20083: jensenshannon returns NaN for some inputs; ours is a plain finite number."""
    p = np.array([1.0, 0.0, 0.0])
    assert gt.jsd(p, p) == 0.0
    assert gt.jsd([1 - 1e-300, 1e-300], [1.0, 0.0]) >= 0.0


def test_discrete_tv() -> None:
    assert gt.tv([0.2, 0.8], [0.5, 0.5]) == pytest.approx(0.3, rel=0, abs=4 * EPS)
    assert gt.tv([1.0, 0.0], [0.0, 1.0]) == 1.0


def test_full_output_for_discrete_carries_a_rounding_bound() -> None:
    est = gt.kl([0.2, 0.8], [0.5, 0.5], full_output=True)
    assert est.abserr > 0 and est.abserr < 1e-14
    assert est.value == gt.kl([0.2, 0.8], [0.5, 0.5])


# --- continuous: closed forms ---------------------------------------------------------------
def _kl_gauss(m1: float, s1: float, m2: float, s2: float) -> float:
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


@pytest.mark.parametrize(
    ("m1", "s1", "m2", "s2"),
    [(0, 1, 0, 1), (0, 1, 1, 2), (-3, 0.1, 2, 5), (1e4, 1, 1e4 + 1.5, 2), (0, 1e-3, 0.5, 10)],
)
def test_gaussian_kl_closed_form(m1: float, s1: float, m2: float, s2: float) -> None:
    est = gt.kl(stats.norm(m1, s1), stats.norm(m2, s2), full_output=True)
    want = _kl_gauss(m1, s1, m2, s2)
    assert abs(est.value - want) <= est.abserr + 8 * EPS * max(1, want)
    assert abs(est.value - want) <= 1e-10


@pytest.mark.parametrize("shift", [0.0, 0.1, 0.3, 0.5, 0.99, 1.0, 2.5])
def test_uniform_partial_overlap_jsd_is_s_log2(shift: float) -> None:
    """JSD(U(0,1), U(s,1+s)) = min(s, 1) log 2: only the non-overlapping fraction counts."""
    est = gt.jsd(stats.uniform(0, 1), stats.uniform(shift, 1), full_output=True)
    want = min(shift, 1.0) * math.log(2)
    assert abs(est.value - want) <= est.abserr + 8 * EPS


@pytest.mark.parametrize("d", [0.0, 0.5, 2.0, 6.0])
def test_gaussian_tv_closed_form(d: float) -> None:
    """TV(N(0,1), N(d,1)) = 2 Phi(d/2) - 1."""
    est = gt.tv(stats.norm(0, 1), stats.norm(d, 1), full_output=True)
    want = 2 * stats.norm.cdf(d / 2) - 1
    assert abs(est.value - want) <= est.abserr + 8 * EPS


@pytest.mark.parametrize(
    "dist", [stats.norm(3, 2), stats.laplace(0, 0.5), stats.cauchy(1, 3), stats.beta(0.5, 0.5),
             stats.t(5), stats.uniform(-1, 4)],
)
def test_differential_entropy_matches_scipy(dist: object) -> None:
    est = gt.entropy(dist, full_output=True)
    want = float(dist.entropy())
    assert abs(est.value - want) <= est.abserr + 1e-13  # scipy's closed forms: ~1e-15


def test_cauchy_kl_closed_form() -> None:
    """KL(C(l1,s1) || C(l2,s2)) = log(((s1+s2)^2 + (l1-l2)^2) / (4 s1 s2)) (Chyzak & Nielsen)."""
    est = gt.kl(stats.cauchy(0, 1), stats.cauchy(3, 2), full_output=True)
    want = math.log((3**2 + 3**2) / (4 * 1 * 2))
    assert abs(est.value - want) <= est.abserr + 8 * EPS


def test_continuous_kl_infinite_when_support_not_contained() -> None:
    assert gt.kl(stats.uniform(0, 2), stats.uniform(0, 1)) == math.inf
    assert gt.kl(stats.norm(), stats.uniform(-5, 10)) == math.inf
    assert gt.kl(stats.uniform(0, 1), stats.norm()) < math.inf


def test_kl_is_not_symmetric_but_jsd_is() -> None:
    p, q = stats.norm(0, 1), stats.norm(0, 3)
    assert abs(gt.kl(p, q) - gt.kl(q, p)) > 0.5
    assert abs(gt.jsd(p, q) - gt.jsd(q, p)) < 1e-13


def test_disjoint_continuous_supports_give_log2() -> None:
    est = gt.jsd(stats.uniform(0, 1), stats.uniform(5, 1), full_output=True)
    assert abs(est.value - math.log(2)) <= est.abserr + 8 * EPS


# --- masses at the subnormal edge ----------------------------------------------------------------
TINY = 5e-324  # the smallest subnormal


@pytest.mark.parametrize(
    ("p", "q"),
    [
        ([1.0 - TINY, TINY], [1.0, 0.0]),  # m = (p + q)/2 underflowed to 0: JSD was +inf
        ([1.0, 0.0], [1.0 - TINY, TINY]),
        ([0.5, 0.5 - TINY, TINY], [0.5, 0.5, 0.0]),
        ([TINY, 1.0], [TINY, 1.0]),
    ],
)
def test_jsd_at_the_subnormal_edge_is_the_mathematics(p: list[float], q: list[float]) -> None:
    """JSD = 1/2 TINY log 2 + O(eps) here: 0 up to rounding, never inf; and Theorem 1 holds."""
    j = gt.jsd(p, q, full_output=True)
    assert 0.0 <= j.value <= j.abserr
    c = gt.optimal_value(p, q, full_output=True)
    assert abs(c.value - (-math.log(4) + 2 * j.value)) <= c.abserr + 2 * j.abserr + 8 * EPS


def test_kl_against_a_subnormal_mass_is_finite() -> None:
    """KL([1, 0], [1 - TINY, TINY]) = log(1/(1 - TINY)) = 0, KL the other way 0 + TINY log(TINY/0)
    = inf; KL([TINY, 1], [1, TINY]) = TINY log TINY + log(1/TINY) = 744.44..."""
    assert gt.kl([1.0, 0.0], [1.0 - TINY, TINY]) == 0.0
    assert gt.kl([1.0 - TINY, TINY], [1.0, 0.0]) == math.inf  # q = 0 < p: the mathematics
    want = -math.log(TINY)  # 1 * log(1 / TINY); the TINY log TINY term is below float64
    assert abs(gt.kl([TINY, 1.0], [1.0, TINY]) - want) <= 8 * EPS * want


class _Key:
    """A fresh object for each density's memo (keyed weakly on its source)."""


class _Scaled(gt.distributions.Continuous):
    """N(0, 1)'s density times ``mass``: not a probability density (for the bound below)."""

    __slots__ = ("mass",)

    def __init__(self, mass: float) -> None:
        super().__init__(_Key())
        self.mass = mass

    def _scalar_logpdf(self, x: float) -> float:
        return math.log(self.mass) + float(stats.norm.logpdf(x))

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        return math.log(self.mass) + stats.norm.logpdf(x)

    def support(self) -> tuple[float, float]:
        return -math.inf, math.inf

    def landmarks(self) -> np.ndarray:
        return np.array([-5.0, 0.0, 5.0])

    def __repr__(self) -> str:
        return f"{self.mass:g} N(0, 1)"


def test_jsd_above_log2_is_refused() -> None:
    # The integrand is at most (p + q) log 2 / 2: JSD > log 2 needs total mass above 2. Mass
    # 100 against N(0, 1) integrates to (100 log(200/101) + log(2/101)) / 2 = 32.2 > log 2,
    # which was returned as a divergence.
    q = stats.norm(0, 1)
    with pytest.raises(ValueError, match=r"above its bound log 2.*total mass of at least 92"):
        gt.jsd(_Scaled(100.0), q)
    # mass 3 stays below log 2 (0.26): not detectable by the bound, and not refused
    want = (3 * math.log(6 / 4) + math.log(2 / 4)) / 2
    assert abs(gt.jsd(_Scaled(3.0), q) - want) <= 1e-10


def test_tv_above_one_is_refused() -> None:
    # |p - q| / 2 <= (p + q) / 2: TV > 1 needs total mass above 2. Mass 100 against N(0, 1)
    # (the same shape) integrates to (100 - 1) / 2 = 49.5, which was returned as a distance.
    q = stats.norm(0, 1)
    with pytest.raises(ValueError, match=r"total variation.*above its bound 1.*mass of at least 9"):
        gt.tv(_Scaled(100.0), q)
    # mass 2.5: TV = 0.75 <= 1, not detectable by the bound, and not refused
    assert abs(gt.tv(_Scaled(2.5), q) - 0.75) <= 1e-10
