"""What the registered checks of the objectives' claims do not cover: the maximum-likelihood
gradient's factor by finite differences, the values on N(0, 1) against N(1, 1.5^2) against
mpmath and closed forms, the convention the chi^2 identity depends on, and a known gap in the
hinge quadrature."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special, stats

import gantheory as g
from gantheory.checks import objectives as checks
from gantheory.distributions import coerce_pair
from gantheory.objectives import label_smoothing, least_squares
from gantheory.quadrature import integrate_pieces

P_DATA, P_G = stats.norm(0, 1), stats.norm(1, 1.5)

#: Central differences with step H: the truncation error H^2/6 |f'''| is below 1e-9 for these
#: smooth O(1) functions of theta, and the rounding of the two quadratures (abserr ~ 1e-14)
#: divided by 2H is below 1e-9: 1e-7 leaves a factor of 50.
H, FD_TOL = 1e-4, 1e-7


def _ml_cost(p_data: object, theta0: float, s: float, theta: float) -> float:
    r""":math:`J(\theta) = -\tfrac12 \int p_\theta(x) e^{\ell^*(x)} dx`, :math:`\ell^*` the
    logit of D* for the generator at theta0, held fixed, p_theta = N(theta, s^2). Integrated over
    [-200, 200]: the Laplace data beyond hold mass e^-199, and p_theta / p_theta0 grows there
    like e^{|theta - theta0| |x| / s^2} only."""
    d_star = g.optimal_discriminator(p_data, stats.norm(theta0, s))
    _, pc, qc = coerce_pair(p_data, stats.norm(theta, s))

    def f(x: float, lg: tuple[float, ...]) -> float:
        return -0.5 * math.exp(lg[1] + float(d_star.logit(np.array([x]))[0]))

    return integrate_pieces(f, [pc, qc], domain=(-200.0, 200.0)).value


@pytest.mark.parametrize("theta0", [-1.0, 0.0, 0.5, 2.0])
def test_ml_gradient_is_half_the_kl_gradient_by_finite_differences(theta0: float) -> None:
    p_data, s = stats.laplace(0.5, 1.0), 1.2
    dj = (_ml_cost(p_data, theta0, s, theta0 + H) - _ml_cost(p_data, theta0, s, theta0 - H)) / (
        2 * H)
    dkl = (g.kl(p_data, stats.norm(theta0 + H, s)) - g.kl(p_data, stats.norm(theta0 - H, s))) / (
        2 * H)
    # the closed form from the data's moments, and the quadrature of the check
    closed = (theta0 - 0.5) / s**2
    assert dkl == pytest.approx(closed, abs=FD_TOL)
    loc, _ = checks.ml_gradient_quadrature(p_data, theta0, s)
    assert loc.value == pytest.approx(dj, abs=FD_TOL)
    assert dj == pytest.approx(0.5 * dkl, abs=FD_TOL)
    assert abs(dj - dkl) > 0.4 * abs(dkl)  # the factor is 1/2, not 1


def test_ml_gradient_factor_on_a_softmax_model_by_finite_differences() -> None:
    rng = np.random.default_rng(11)
    p = rng.dirichlet(np.ones(6))
    theta0 = rng.normal(size=6)
    q = special.softmax(theta0)
    r = np.exp(np.asarray(g.optimal_discriminator(p, q).logit))  # held fixed

    def cost(theta: np.ndarray) -> float:
        return -0.5 * float(special.softmax(theta) @ r)

    for k in range(6):
        e = np.zeros(6)
        e[k] = H
        dj = (cost(theta0 + e) - cost(theta0 - e)) / (2 * H)
        dkl = (g.kl(p, special.softmax(theta0 + e)) - g.kl(p, special.softmax(theta0 - e))) / (
            2 * H)
        assert dj == pytest.approx(0.5 * dkl, abs=FD_TOL)
        assert dkl == pytest.approx(q[k] - p[k], abs=FD_TOL)


def _mp_quad(f) -> mp.mpf:
    with mp.workdps(30):
        return mp.quad(f, [-mp.inf, -5, -2.5, 0, 0.9, 1, 6, mp.inf])


def _mp_densities(x: mp.mpf) -> tuple[mp.mpf, mp.mpf]:
    return mp.npdf(x, 0, 1), mp.npdf(x, 1, 1.5)


def test_label_smoothed_optimum_on_the_reference_pair_against_mpmath() -> None:
    alpha = 0.1

    def integrand(x: mp.mpf) -> mp.mpf:
        p, q = _mp_densities(x)
        a, b = (1 - alpha) * p, alpha * p + q
        return a * mp.log(a / (p + q)) + b * mp.log(b / (p + q))

    est = g.optimal_value(P_DATA, P_G, objective=label_smoothing(alpha=alpha), full_output=True)
    assert abs(est.value - float(_mp_quad(integrand))) <= est.abserr + 8 * np.finfo(float).eps


def test_lsgan_generator_objective_is_pearson_chi2_from_the_mixture_on_the_reference_pair(
) -> None:
    want = float(_mp_quad(lambda x: (lambda p, q: (p - q) ** 2 / (2 * (p + q)))(
        *_mp_densities(x))))
    m = checks._mix(P_DATA, P_G, 0.5, 0.5)
    for dist in (P_G, P_DATA):
        chi = g.f_divergence(dist, m, "pearson", full_output=True)
        assert abs(chi.value - want) <= chi.abserr + 1e-16
    # the discriminator's optimum is -(b - a)^2/4 (1 - chi^2)
    est = g.optimal_value(P_DATA, P_G, objective=least_squares(), full_output=True)
    assert abs(est.value + (1 - want)) <= est.abserr + 1e-15
    # the paper's chi^2(p_d + p_g || 2 p_g) read as D_f(P || Q) = int q f(p/q) is half of
    # Pearson chi^2(p_data || p_g): a different number from 2 C(G)
    assert abs(g.f_divergence(P_DATA, P_G, "pearson") / 2 - 2 * want) > 0.04


def test_the_chi2_check_depends_on_the_convention(monkeypatch: pytest.MonkeyPatch) -> None:
    assert checks.lsgan_chi2_discrete().passed
    swapped = checks.f_divergence

    def neyman(p: object, q: object, f: object, **kw: object) -> object:  # chi^2(M || p)
        return swapped(q, p, f, **kw)

    monkeypatch.setattr(checks, "f_divergence", neyman)
    assert not checks.lsgan_chi2_discrete().passed


def test_hinge_optimum_on_the_reference_pair_against_the_closed_form_tv() -> None:
    # log p - log q = A x^2 + B x + C; p > q between the two roots
    a = 1 / (2 * 1.5**2) - 0.5
    b, c = -1 / 1.5**2, 1 / (2 * 1.5**2) - math.log(1 / 1.5)
    lo, hi = sorted(np.roots([a, b, c]).real)
    tv = (P_DATA.cdf(hi) - P_DATA.cdf(lo)) - (P_G.cdf(hi) - P_G.cdf(lo))
    t = g.tv(P_DATA, P_G, full_output=True)
    assert abs(t.value - tv) <= t.abserr + 1e-15
    est = checks._hinge_optimum(P_DATA, P_G)
    assert abs(est.value + 2 * (1 - tv)) <= est.abserr + 1e-15


def test_hinge_optimal_value_error_bound_holds_across_density_crossings() -> None:
    p, q = stats.laplace(0, 1), stats.t(3)
    est = g.optimal_value(p, q, objective="hinge", full_output=True)
    t = g.tv(p, q, full_output=True)
    assert abs(est.value + 2 * (1 - t.value)) <= est.abserr + 2 * t.abserr
