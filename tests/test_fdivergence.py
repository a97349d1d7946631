"""f-divergences: every named generator against closed forms, mpmath and the generic path.

References are independent of the named integrands: closed forms for Gaussians, mpmath at 30
digits (tests/reference.py), exact sums of q f(p/q) in fractions for probability vectors, and
``f_divergence`` with the same f given as a plain callable (a different code path: the ratio
u = p/q is formed and f evaluated on it).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import gantheory as gt
from gantheory.fdivergence import F_DIVERGENCES
from tests import reference as ref

EPS = float(np.finfo(np.float64).eps)
NAMES = list(F_DIVERGENCES)

P_VEC = [0.1, 0.6, 0.3, 0.0]
Q_VEC = [0.3, 0.3, 0.2, 0.2]


def _exact_sum(name: str, p: list[float], q: list[float]) -> float:
    """q f(p/q) summed with mpmath at 40 digits (the perspective's conventions at zeros)."""
    with mp.workdps(40):
        total = mp.mpf(0)
        for a, b in zip(p, q, strict=True):
            a, b = mp.mpf(a), mp.mpf(b)
            if a == 0 and b == 0:
                continue
            if name == "kl":
                total += a * mp.log(a / b) if a > 0 else 0
            elif name == "reverse_kl":
                if b > 0:
                    total += b * mp.log(b / a) if a > 0 else mp.inf
            elif name == "js":
                m = (a + b) / 2
                ta = a * mp.log(a / m) if a > 0 else 0
                tb = b * mp.log(b / m) if b > 0 else 0
                total += (ta + tb) / 2
            elif name == "gan":
                s = a + b
                total += (a * mp.log(a / s) if a > 0 else 0) + (b * mp.log(b / s) if b > 0 else 0)
            elif name == "pearson":
                total += (a - b) ** 2 / b if b > 0 else mp.inf
            elif name == "squared_hellinger":
                total += (mp.sqrt(a) - mp.sqrt(b)) ** 2
            else:
                total += abs(a - b) / 2
        return float(total)


@pytest.mark.parametrize("name", NAMES)
def test_named_divergences_of_probability_vectors_match_exact_sums(name: str) -> None:
    est = gt.f_divergence(P_VEC, Q_VEC, name, full_output=True)
    exact = _exact_sum(name, P_VEC, Q_VEC)
    if math.isinf(exact):  # reverse KL: Q has mass where P has none
        assert est.value == exact
        return
    assert abs(est.value - exact) <= est.abserr + 4 * EPS * abs(exact)


def test_the_normalisations_stated() -> None:
    """js is JSD itself; gan is 2 JSD - log 4 = C(G); Nowozin et al.'s Table 1 generator for JS
    gives 2 JSD; the others are KL both ways and TV (the library's own functions)."""
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    j = gt.jsd(p, q)
    assert gt.f_divergence(p, q, "js") == pytest.approx(j, rel=0, abs=1e-12)
    assert gt.f_divergence(p, q, "gan") == pytest.approx(2 * j - math.log(4), rel=0, abs=2e-12)
    assert gt.f_divergence(p, q, "gan") == pytest.approx(gt.optimal_value(p, q), abs=1e-12)

    def table1(u: np.ndarray) -> np.ndarray:  # Nowozin et al. 2016, Table 1, Jensen-Shannon
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(u > 0, -(u + 1) * np.log((1 + u) / 2) + u * np.log(u), math.log(2))

    assert gt.f_divergence(p, q, table1) == pytest.approx(2 * j, rel=0, abs=2e-12)
    assert gt.f_divergence(p, q, "kl") == pytest.approx(gt.kl(p, q), abs=1e-12)
    assert gt.f_divergence(p, q, "reverse_kl") == pytest.approx(gt.kl(q, p), abs=1e-12)
    assert gt.f_divergence(p, q, "total_variation") == pytest.approx(gt.tv(p, q), abs=1e-12)


def test_gaussian_closed_forms() -> None:
    """chi²(N(m1, s²) || N(m2, s²)) = exp((m1 - m2)²/s²) - 1 and
    ∫(√p - √q)² = 2 - 2 sqrt(2 s1 s2/(s1² + s2²)) exp(-(m1 - m2)²/(4 (s1² + s2²)))."""
    p, q = stats.norm(0.0, 1.0), stats.norm(0.7, 1.0)
    est = gt.f_divergence(p, q, "pearson", full_output=True)
    assert abs(est.value - math.expm1(0.49)) <= est.abserr + 1e-14
    s1, s2, d = 1.0, 1.5, 1.0
    p, q = stats.norm(0.0, s1), stats.norm(d, s2)
    bc = math.sqrt(2 * s1 * s2 / (s1**2 + s2**2)) * math.exp(-(d**2) / (4 * (s1**2 + s2**2)))
    est = gt.f_divergence(p, q, "squared_hellinger", full_output=True)
    assert abs(est.value - (2 - 2 * bc)) <= est.abserr + 1e-14


@pytest.mark.parametrize("name", ["js", "squared_hellinger", "total_variation", "pearson"])
def test_continuous_against_mpmath(name: str) -> None:
    """Laplace against a Cauchy (a crossing, heavy tails) at 30 digits."""
    p, q = stats.laplace(0.3, 1.0), stats.cauchy(0.0, 2.0)
    dp, dq = ref.laplace(0.3, 1.0), ref.cauchy(0.0, 2.0)
    f = {
        "js": lambda a, b: ref.FUNCTIONALS["jsd"](a, b),
        "squared_hellinger": lambda a, b: (mp.sqrt(a) - mp.sqrt(b)) ** 2,
        "total_variation": lambda a, b: abs(a - b) / 2,
        "pearson": lambda a, b: (a - b) ** 2 / b,
    }[name]
    pts = [mp.mpf(v) for v in (-mp.inf, -40, -5, 0, 0.3, 5, 40, mp.inf)]
    if name == "total_variation":
        pts = sorted(set(pts) | set(ref.crossings(dp, dq, -40, 40)))
    with mp.workdps(30):
        exact, err = mp.quad(lambda x: f(dp(x), dq(x)), pts, error=True, maxdegree=10)
    est = gt.f_divergence(p, q, name, full_output=True)
    assert abs(est.value - float(exact)) <= max(1e-10, est.abserr + float(err))
    assert abs(est.value - float(exact)) <= est.abserr + float(err) + 4 * EPS * abs(est.value)


@pytest.mark.parametrize("name", NAMES)
def test_a_callable_f_gives_the_named_result(name: str) -> None:
    p, q = stats.norm(0, 1), stats.norm(0.5, 1.2)
    named = gt.f_divergence(p, q, name, full_output=True)
    f = F_DIVERGENCES[name].f
    # the GAN generator has f(1) = -log 4: shifted by log 4 it is an f-divergence proper, and
    # a constant added to f adds itself to the divergence
    shift = math.log(4) if name == "gan" else 0.0
    generic = gt.f_divergence(p, q, lambda u: f(u) + shift, full_output=True)
    assert abs(named.value + shift - generic.value) <= named.abserr + generic.abserr + 1e-13


def test_a_callable_f_is_refused_where_the_ratio_leaves_float64() -> None:
    """KL(Laplace || normal) by a callable -log u: 40 scales out the normal's density is e^-800
    while the Laplace's is 1e-15, a ratio no float64 holds; the named generator computes it in
    logarithms."""
    p, q = stats.norm(0, 1), stats.laplace(0.5, 1.2)
    with pytest.raises(ValueError, match="beyond float64"):
        gt.f_divergence(p, q, lambda u: -np.log(u))
    est = gt.f_divergence(p, q, "reverse_kl", full_output=True)
    assert abs(est.value - gt.kl(q, p)) <= est.abserr + 1e-12


def test_infinite_and_zero_cases() -> None:
    p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    assert gt.f_divergence(p, q, "kl") == math.inf
    assert gt.f_divergence(p, q, "reverse_kl") == math.inf
    assert gt.f_divergence(p, q, "pearson") == math.inf
    assert gt.f_divergence(p, q, "js") == pytest.approx(gt.jsd(p, q), abs=1e-16)
    assert gt.f_divergence(p, q, "total_variation") == pytest.approx(0.5, abs=1e-16)
    for name in NAMES:
        v = gt.f_divergence(P_VEC, P_VEC, name)
        assert v == (-math.log(4) if name == "gan" else 0.0) or abs(v) <= 4 * EPS
    # disjoint supports: JSD = log 2, squared Hellinger = 2, TV = 1
    a, b = stats.uniform(0, 1), stats.uniform(2, 1)
    assert gt.f_divergence(a, b, "js") == pytest.approx(math.log(2), abs=1e-14)
    assert gt.f_divergence(a, b, "squared_hellinger") == pytest.approx(2.0, abs=1e-14)
    assert gt.f_divergence(a, b, "total_variation") == pytest.approx(1.0, abs=1e-14)


def test_bad_generators_are_refused() -> None:
    with pytest.raises(ValueError, match=r"`f` must be one of 'kl', 'reverse_kl', 'js'"):
        gt.f_divergence(P_VEC, Q_VEC, "hellinger")
    with pytest.raises(ValueError, match=r"`f` must vanish at 1"):
        gt.f_divergence(P_VEC, Q_VEC, lambda u: u * np.log(u) + 1.0)
    with pytest.raises(ValueError, match=r"`f` must be convex"):
        gt.f_divergence(P_VEC, Q_VEC, lambda u: -((u - 1) ** 2))
    with pytest.raises(TypeError, match=r"`f` must be a name or a function"):
        gt.f_divergence(P_VEC, Q_VEC, 3)
    with pytest.raises(ValueError, match="`atol`"):
        gt.f_divergence(P_VEC, Q_VEC, "kl", atol=-1.0)
    with pytest.raises(ValueError, match="heavy tail"):
        gt.f_divergence(stats.zipf(1.5), stats.zipf(2.0), "total_variation")
    # Poisson pairs are summed wherever float64 sees their mass, like kl does
    assert gt.f_divergence(stats.poisson(3), stats.poisson(4), "kl") == pytest.approx(
        gt.kl(stats.poisson(3), stats.poisson(4)), rel=0, abs=1e-15
    )
    # scipy.stats discrete distributions on finite supports are aligned on their points
    v = gt.f_divergence(stats.binom(4, 0.3), stats.binom(4, 0.6), "total_variation")
    assert v == pytest.approx(gt.tv(stats.binom(4, 0.3), stats.binom(4, 0.6)), abs=1e-15)


def test_error_bound_covers_terms_from_logs_at_extreme_ratios() -> None:
    """Pearson's term e^{2 log p - log q} with p/q = e^{470} carries the rounding of its exponent,
    about 500 eps of the term: the bound must cover it (the exact sum at 40 digits)."""
    p = np.array([1e-12, 1e-15, 1 - 1e-12 - 1e-15])
    q = np.array([1e-217, 1 - 1e-217 - 1e-163, 1e-163])
    for name in ("pearson", "kl", "squared_hellinger", "js"):
        est = gt.f_divergence(p, q, name, full_output=True)
        exact = _exact_sum(name, list(p), list(q))
        assert abs(est.value - exact) <= est.abserr, name


@pytest.mark.parametrize("name", ["gan", "js"])
def test_generators_do_not_cancel_at_large_ratios(name: str) -> None:
    """u log u - (u + 1) log(u + 1) = -(log u + 1) + O(1/u): two terms of 1e7 cancel to 15."""
    u = np.array([1e-12, 0.5, 1.0, 3.0, 1e6, 1e12])
    with mp.workdps(40):
        ref = []
        for x in u:
            m = mp.mpf(float(x))
            g = m * mp.log(m) - (m + 1) * mp.log(m + 1)
            ref.append(float(g if name == "gan" else (g + (m + 1) * mp.log(2)) / 2))
    got = F_DIVERGENCES[name].f(u)
    # a few ulps of the value (for js of size u log 2 / 2 itself): 16 eps (1 + |f|)
    np.testing.assert_array_less(np.abs(got - np.array(ref)), 16 * EPS * (1 + np.abs(ref)))
