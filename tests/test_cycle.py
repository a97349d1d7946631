"""Tests of gantheory.cycle: transports between 1-D laws and the cycle-consistency loss."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import stats

from gantheory import cycle
from gantheory.cycle import (
    cycle_loss,
    exchange_transport,
    folded_min_cycle_loss_normal,
    folded_transport,
    min_cycle_loss,
    monotone_transport,
    zigzag_transport,
)

EPS = np.finfo(np.float64).eps


def test_doctests() -> None:
    res = doctest.testmod(cycle, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 5


def test_gaussian_transports_far_in_the_tails() -> None:
    # T+-(x) = mu_y +- sigma_y (x - mu_x)/sigma_x; |x| = 40 and 1e3 are where F_X rounds to 0/1
    x = np.array([-1e3, -40.0, -38.5, -5.0, 0.0, 0.3, 5.0, 38.5, 40.0, 1e3])
    for inc, sgn in ((True, 1.0), (False, -1.0)):
        t = monotone_transport(stats.norm(1, 2), stats.norm(-3, 0.5), increasing=inc)
        ref = -3 + sgn * 0.5 * (x - 1) / 2
        np.testing.assert_allclose(t(x), ref, rtol=64 * EPS, atol=64 * EPS)
        np.testing.assert_allclose(t.derivative(x[2:-2]), sgn * 0.25, rtol=1e-12, atol=0)


def test_exponential_to_exponential_upper_tail() -> None:
    # T+ of Exp(1) to Exp(1/2) is x/2, out to sf = e^-700 (isf) and e^-1000 (root finding)
    t = monotone_transport(stats.expon(), stats.expon(scale=0.5))
    x = np.array([1e-300, 1e-3, 1.0, 30.0, 700.0, 1000.0])
    np.testing.assert_allclose(t(x), x / 2, rtol=1e-12, atol=0)


def test_folded_transport_structure_and_inverse() -> None:
    px, py = stats.norm(0, 1), stats.gamma(2)
    t = folded_transport(px, py, 0.25)
    assert not t.monotone and t.continuous and not t.injective and t.measure_preserving
    np.testing.assert_allclose(t.folds, [stats.norm.ppf(0.25)], rtol=1e-14)
    with pytest.raises(ValueError, match="not injective"):
        t.inverse()
    y = np.array([0.5, 2.0, 7.0])
    xs, ws = t.preimages(y)
    np.testing.assert_allclose(t(xs), np.broadcast_to(y, xs.shape), rtol=1e-13)
    np.testing.assert_allclose(ws.sum(axis=0), 1.0, rtol=4 * EPS)
    assert zigzag_transport(px, py, 4).folds.size == 3


def test_exchange_transport_is_a_non_monotone_bijection() -> None:
    px, py = stats.norm(0, 1), stats.norm(0, 1)
    t = exchange_transport(px, py, 0.5)
    assert t.injective and not t.monotone and not t.continuous
    x = np.array([-3.0, -0.1, 0.1, 3.0])
    np.testing.assert_allclose(t.inverse()(t(x)), x, rtol=1e-13, atol=1e-15)
    assert cycle_loss(t, t.inverse(), px, py) < 1e-12


def test_min_cycle_loss_of_the_tent_at_one_half_is_mean_absolute_deviation() -> None:
    t = folded_transport(stats.norm(2, 3), stats.uniform(0, 1), 0.5)
    r = min_cycle_loss(t, full_output=True)
    assert abs(r.value - 3 * math.sqrt(2 / math.pi)) <= r.abserr + 16 * EPS
    assert folded_min_cycle_loss_normal(0.5, 3.0) == pytest.approx(3 * math.sqrt(2 / math.pi),
                                                                  rel=4 * EPS)
    assert min_cycle_loss(monotone_transport(stats.norm(), stats.norm())) == 0.0


def test_pushforward_cdf_matches_target() -> None:
    t = folded_transport(stats.norm(0, 1), stats.beta(2, 5), 0.7)
    y = np.linspace(0.01, 0.99, 13)
    np.testing.assert_allclose(t.pushforward().cdf(y), stats.beta(2, 5).cdf(y), atol=64 * EPS,
                               rtol=0)


@pytest.mark.parametrize("c", [0.0, 1.0, -0.5, 2.0, "a", math.nan])
def test_bad_c(c: object) -> None:
    with pytest.raises(ValueError, match="`c`"):
        folded_transport(stats.norm(), stats.norm(), c)  # type: ignore[arg-type]


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="`p_x`"):
        monotone_transport([0.5, 0.5], stats.norm())
    with pytest.raises(TypeError, match="`p_y`"):
        monotone_transport(stats.norm(), stats.poisson(3))
    with pytest.raises(ValueError, match="`k`"):
        zigzag_transport(stats.norm(), stats.norm(), 0)
    with pytest.raises(ValueError, match="`shift`"):
        exchange_transport(stats.norm(), stats.norm(), 1.5)
    with pytest.raises(ValueError, match="`increasing`"):
        monotone_transport(stats.norm(), stats.norm(), increasing="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`G`"):
        cycle_loss(3.0, np.abs, stats.norm(), stats.norm())
    with pytest.raises(TypeError, match="`T`"):
        min_cycle_loss(np.abs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`sigma`"):
        folded_min_cycle_loss_normal(0.5, -1.0)
    t = folded_transport(stats.norm(), stats.norm(), 0.5)
    with pytest.raises(ValueError, match="`p_x`"):
        t.pushforward(stats.norm(1, 1))
    m = min_cycle_loss(t, full_output=True).minimiser
    with pytest.raises(ValueError, match="uniform law"):
        min_cycle_loss(m)


def test_laplace_transport_beyond_scipys_log_tails() -> None:
    # T+ of Laplace(0, 1) to Laplace(1, 2) is 1 + 2x; scipy's own log-cdf is -inf at x = -800
    t = monotone_transport(stats.laplace(0, 1), stats.laplace(1, 2))
    x = np.array([-1500.0, -800.0, -3.0, 0.5, 800.0, 1500.0])
    np.testing.assert_allclose(t(x), 1 + 2 * x, rtol=1e-13, atol=0)



#: Outside the zone where the push-forward density uses T(x_k) = y, the float preimage's
#: distance to the pole is known to 2^-20 relative; the u-distance to beta times that (beta = 1
#: at a fold, 3 at the end 1 of Beta(2, 3), where 1 - F_X ~ 4 (1 - x)^3), and log p_Y to
#: gamma = |d log p_Y / d log F_Y| times that: 6/5 for t(5), at most 1.2 for a normal beyond
#: 2.3 standard deviations (1 + 1/z^2). The log itself rounds to 16 eps of its size.
_RESOLVED_REL = 2.0**-20


def test_pushforward_density_where_the_preimages_reach_a_fold_of_the_zigzag() -> None:
    # The zigzag T runs to +inf at its first fold and to -inf at its second: for y beyond
    # about 2 +- 24 the float preimages on the pieces beside those folds are the folds
    # themselves. The density there must still be p_Y: it was e^-35.7 for every y > 26.2
    # (the image of the fold), an infinite mass and an infinite JSD. 20.32 and -16.21 are
    # where the error is largest on a grid of 6000 points (2.4e-7 and 1.1e-7).
    py = stats.norm(2, 3)
    t = zigzag_transport(stats.norm(0, 1), py, 3)
    d = np.logspace(0, 3, 400)
    y = np.concatenate([2 - d, 2 + d, [-16.21, 20.32]])
    np.testing.assert_allclose(t.pushforward().logpdf(y), py.logpdf(y), rtol=16 * EPS,
                               atol=1.2 * _RESOLVED_REL)


def test_pushforward_density_where_the_preimages_reach_the_fold_or_a_beta_end() -> None:
    # T_0.5 from Beta(2, 3) to t(5): above y = 3e3 the float preimages are the fold itself
    # (T runs to +inf there; its image is 2.1e3), below y = -1e9 the one on the decreasing
    # piece is within an ulp of the support end 1 of Beta(2, 3). The density was constant
    # (e^-42.8 above, e^-129 below) instead of t(5)'s power law: a JSD of 6.7e42. 115 and
    # -5.87e5 are where the error is largest on a grid of 6000 points (6.2e-7 and 3.7e-7).
    py = stats.t(5)
    t = folded_transport(stats.beta(2, 3), py, 0.5)
    d = np.logspace(-1, 13, 400)
    y = np.concatenate([-d, d, [-5.87e5, 115.0, 1e100]])
    np.testing.assert_allclose(t.pushforward().logpdf(y), py.logpdf(y), rtol=16 * EPS,
                               atol=1.2 * 3 * _RESOLVED_REL)


@pytest.mark.parametrize("py", [stats.beta(2, 5), stats.norm(1, 2), stats.t(5)],
                         ids=["beta", "normal", "t5"])
def test_pushforward_density_from_a_mixture(py: object) -> None:
    """Every transport from a two-component Mixture p_X pushes it to p_Y, density included: the
    mixture's quantiles come from root finding, not from a SciPy ppf. The largest errors are
    near the folds of T_c (2.4e-7 for t(5) on this grid), inside the tolerance of the fold
    zone (see _RESOLVED_REL; a fold has beta = 1, and gamma is at most 6/5 for these p_Y)."""
    from gantheory.distributions import Mixture

    px = Mixture([stats.norm(-2, 0.5), stats.norm(2, 0.5)])
    y = np.linspace(py.ppf(1e-9), py.isf(1e-9), 400)
    for t in (monotone_transport(px, py), monotone_transport(px, py, increasing=False),
              folded_transport(px, py, 0.5), folded_transport(px, py, 0.3)):
        np.testing.assert_allclose(t.pushforward().logpdf(y), py.logpdf(y), rtol=16 * EPS,
                                   atol=1.2 * _RESOLVED_REL, err_msg=repr(t))
    np.testing.assert_allclose(t.pushforward().cdf(np.array([0.2])), py.cdf(0.2), rtol=0,
                               atol=64 * EPS)
