"""f-GAN: the derived rows against Table 2, float64 conjugates and critics against SymPy, the
variational bound against f_divergence and Gaussian closed forms, and bad input.

References are independent of the code under test: Table 2 of Nowozin et al. (2016) typed in
here, SymPy's expressions lambdified (or at 30 digits with mpmath), closed forms for Gaussians,
and ``f_divergence`` (whose integrand is q f(p/q), not p T - q f*(T)).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from scipy import stats

import gantheory as gt
from gantheory.fdivergence import F_DIVERGENCES
from gantheory.symbolic import FGAN_NAMES, fgan_row, jensen_shannon_normalisation

EPS = float(np.finfo(np.float64).eps)
t, v = sp.Symbol("t", real=True), sp.Symbol("v", real=True)
s = sp.Symbol("s", positive=True)
HALF = sp.Rational(1, 2)
#: The rows cheap to derive (under a second together); JS and GAN take a few seconds each.
FAST = ["kl", "reverse_kl", "pearson", "squared_hellinger", "total_variation"]
SLOW = [pytest.param(n, marks=pytest.mark.slow) for n in ("js", "gan")]

#: Nowozin et al. 2016, Table 2, typed in: f*(t), dom f*, g_f(v).
TABLE2 = {
    "kl": (sp.exp(t - 1), sp.S.Reals, v),
    "reverse_kl": (-1 - sp.log(-t), sp.Interval.open(-sp.oo, 0), -sp.exp(-v)),
    "pearson": (t**2 / 4 + t, sp.S.Reals, v),
    "squared_hellinger": (t / (1 - t), sp.Interval.open(-sp.oo, 1), 1 - sp.exp(-v)),
    "js": (-sp.log(2 - sp.exp(t)), sp.Interval.open(-sp.oo, sp.log(2)),
           sp.log(2) - sp.log(1 + sp.exp(-v))),
    "gan": (-sp.log(1 - sp.exp(t)), sp.Interval.open(-sp.oo, 0), -sp.log(1 + sp.exp(-v))),
    "total_variation": (t, sp.Interval(-HALF, HALF), sp.tanh(v) / 2),
}


def _branches(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Basic]]:
    return list(expr.args) if isinstance(expr, sp.Piecewise) else [(expr, sp.true)]


def _same(a: sp.Expr, b: sp.Expr, at: sp.Expr) -> bool:
    """a = b exactly for t = at (a positive distance s to an end of the domain)."""
    d = sp.simplify((a - b).subs(t, at))
    return d == 0 or sp.simplify(sp.expand_log(d, force=True)) == 0


@pytest.mark.parametrize("name", ["kl", "reverse_kl", "squared_hellinger", *SLOW[1:]])
def test_conjugates_equal_table_2(name: str) -> None:
    row = fgan_row(name)
    table, dom, g = TABLE2[name]
    assert row.domain == dom
    assert row.t.name == "t"
    (expr, _), *rest = _branches(row.conjugate)
    assert all(e == sp.oo for e, _ in rest)
    at = dom.sup - s if dom.sup.is_finite else s
    assert _same(expr, table, at) and _same(expr, table, -s)
    assert row.activation == g.subs(v, row.v)


def test_pearson_and_tv_conjugates_over_u_geq_0_and_over_the_reals() -> None:
    """Over u >= 0 (the generators' domain): Pearson's f* is -1 below t = -2 and TV's -1/2 below
    t = -1/2 with dom (-oo, 1/2]; over all real u they are Table 2's."""
    pe = fgan_row("pearson")
    assert pe.conjugate.subs(t, -3) == -1 and pe.conjugate.subs(t, -2) == -1
    assert sp.simplify(pe.conjugate.subs(t, 3) - TABLE2["pearson"][0].subs(t, 3)) == 0
    assert sp.simplify(pe.conjugate_on_reals - TABLE2["pearson"][0]) == 0
    tv = fgan_row("total_variation")
    assert tv.domain == sp.Interval(-sp.oo, HALF)
    values = {x: tv.conjugate.subs(t, x) for x in (-5, -HALF, 0, sp.Rational(1, 3), HALF, 1)}
    assert values == {-5: -HALF, -HALF: -HALF, 0: 0, sp.Rational(1, 3): sp.Rational(1, 3),
                      HALF: HALF, 1: sp.oo}
    assert tv.domain_on_reals == TABLE2["total_variation"][1]
    assert [tv.conjugate_on_reals.subs(t, x) for x in (-1, -HALF, HALF, 1)] == [
        sp.oo, -HALF, HALF, sp.oo]
    assert not pe.matches_table and not tv.matches_table


@pytest.mark.slow
def test_the_jensen_shannon_row_is_normalised_twice_ours() -> None:
    row, norm = fgan_row("js"), jensen_shannon_normalisation()
    assert row.domain == sp.Interval.open(-sp.oo, sp.log(2) / 2)
    (expr, _), _ = _branches(row.conjugate)
    assert _same(expr, -sp.log(2 - sp.exp(2 * t)) / 2, sp.log(2) / 2 - s)
    assert _same(expr, TABLE2["js"][0].subs(t, 2 * t) / 2, sp.log(2) / 2 - s)
    assert norm.ratio == 2 and norm.is_jsd and norm.table1_matches_table2
    assert norm.table2_activation_range == sp.Interval.open(-sp.oo, sp.log(2))
    assert not norm.table2_activation_fits and norm.halved_activation_fits
    assert not row.matches_table and row.activation_in_domain


@pytest.mark.parametrize("name", [*FAST, *SLOW])
def test_generators_agree_with_the_numeric_f(name: str) -> None:
    row, f = fgan_row(name), F_DIVERGENCES[name].f
    u = np.logspace(-8, 8, 41)
    ref = np.array([float(row.generator.subs(row.u, sp.Float(x, 40)).evalf(30)) for x in u])
    # the generators are well conditioned in u: |u f'(u)| ulps of the rounding of u
    slope = np.abs(u * np.array([float(row.derivative.subs(row.u, sp.Float(x, 40)).evalf(30))
                                 for x in u]))
    np.testing.assert_array_less(np.abs(f(u) - ref), 16 * EPS * (1 + np.abs(ref) + slope))


@pytest.mark.parametrize("name", [*FAST, *SLOW])
def test_numeric_conjugate_against_lambdified_sympy(name: str) -> None:
    """Away from the end of dom f* (1e-2 from it), the lambdified derived expression is as good
    as float64 (a relative condition below 1e2); outside the domain both are inf."""
    row = fgan_row(name)
    sup = float(row.domain.sup) if row.domain.sup.is_finite else 40.0
    ts = np.concatenate([np.linspace(-30, sup - 1e-2, 301), [sup + 1e-3, sup + 3.0]])
    ref = np.array([float(row.conjugate.subs(t, sp.Float(x, 30)).evalf(30)) for x in ts])
    got = gt.conjugate(ts, name)
    inf = np.isinf(ref)
    np.testing.assert_array_equal(np.isinf(got), inf)
    np.testing.assert_allclose(got[~inf], ref[~inf], rtol=256 * EPS, atol=256 * EPS)
    lam = sp.lambdify(t, row.conjugate, "numpy")
    with np.errstate(all="ignore"):
        fin = np.array([float(lam(x)) for x in ts[~inf]])
    np.testing.assert_allclose(got[~inf], fin, rtol=1e2 * 16 * EPS, atol=1e2 * 16 * EPS)


def test_conjugate_limits_and_the_end_of_the_js_domain() -> None:
    assert gt.conjugate(-math.inf, "reverse_kl") == -math.inf
    assert gt.conjugate(-math.inf, "js") == pytest.approx(-math.log(2) / 2, abs=0)
    assert gt.conjugate(-math.inf, "pearson") == -1.0
    assert gt.conjugate(math.inf, "kl") == math.inf
    # float(log 2)/2 lies 1.16e-17 inside dom f*_js: f* = -1/2 log(2 - e^{2t}) is finite there
    t_end = math.log(2) / 2
    with mp.workdps(50):
        exact = -mp.log(2 - mp.exp(2 * mp.mpf(t_end))) / 2
    assert gt.conjugate(t_end, "js") == pytest.approx(float(exact), rel=1e-12)
    assert gt.conjugate(np.nextafter(t_end, 1.0), "js") == math.inf


@pytest.mark.parametrize("name", FGAN_NAMES)
def test_optimal_critic_is_f_prime_of_the_ratio(name: str) -> None:
    """T*(x) = f'(p/q) for N(0, 1) vs N(1, 1.5^2), with log p/q in closed form, also at
    x = +-40 where p/q = e^{-600}, beyond the float64 of the densities' quotient."""
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    x = np.array([-40.0, -3.0, 0.0, 0.5, 2.0, 40.0])
    r = math.log(1.5) - x**2 / 2 + (x - 1) ** 2 / 4.5
    fp = sp.lambdify(fgan_row(name).u, fgan_row(name).derivative, "mpmath") if name != \
        "total_variation" else None
    got = gt.optimal_critic(p, q, name)(x)
    for xi, ri, gi in zip(x, r, got, strict=True):
        if fp is None:
            assert gi == 0.5 * np.sign(ri)
            continue
        with mp.workdps(30):
            ref = float(fp(mp.exp(mp.mpf(float(ri)))))
        # r carries the rounding of x^2/2 (~1e-13 at x = 40); dT*/dr = u f''(u) <= max(1, |T*|)
        assert abs(gi - ref) <= 16 * EPS * (1 + abs(ref)) * (1 + xi**2), (xi, gi, ref)


def test_optimal_critic_at_zeros() -> None:
    p, q = [0.5, 0.5, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0]
    assert list(gt.optimal_critic(p, q, "js")) == [math.log(2) / 2, 0.0, -math.inf, 0.0]
    assert list(gt.optimal_critic(p, q, "kl")) == [math.inf, 1.0, -math.inf, 1.0]
    assert list(gt.optimal_critic(p, q, "pearson")) == [math.inf, 0.0, -2.0, 0.0]
    assert list(gt.optimal_critic(p, q, "total_variation")) == [0.5, 0.0, -0.5, 0.0]


def _gaussian_closed_forms(m1: float, s1: float, m2: float, s2: float) -> dict[str, float]:
    """KL both ways, Pearson chi^2 (finite for 2 s2^2 > s1^2) and 2 - 2 Bhattacharyya."""
    d = m1 - m2
    kl = math.log(s2 / s1) + (s1**2 + d**2) / (2 * s2**2) - 0.5
    rkl = math.log(s1 / s2) + (s2**2 + d**2) / (2 * s1**2) - 0.5
    chi2 = s2**2 / (s1 * math.sqrt(2 * s2**2 - s1**2)) * math.exp(d**2 / (2 * s2**2 - s1**2)) - 1
    bc = math.sqrt(2 * s1 * s2 / (s1**2 + s2**2)) * math.exp(-(d**2) / (4 * (s1**2 + s2**2)))
    return {"kl": kl, "reverse_kl": rkl, "pearson": chi2, "squared_hellinger": 2 - 2 * bc}


@pytest.mark.parametrize("params", [(0.0, 1.0, 1.0, 1.5), (2.0, 0.5, -1.0, 3.0)])
def test_bound_at_the_optimal_critic_equals_gaussian_closed_forms(params: tuple) -> None:
    m1, s1, m2, s2 = params
    p, q = stats.norm(m1, s1), stats.norm(m2, s2)
    for name, exact in _gaussian_closed_forms(*params).items():
        est = gt.variational_bound(p, q, gt.optimal_critic(p, q, name), name, full_output=True)
        assert abs(est.value - exact) <= est.abserr + 8 * EPS * max(1.0, abs(exact)), name


@pytest.mark.parametrize("name", FGAN_NAMES)
def test_bound_below_f_divergence_for_other_critics(name: str) -> None:
    """Discrete: the bound at T* is D_f, and every critic shifted off T* by a random vector
    gives less, by the Fenchel-Young gap sum q [f*(T) - T u + f(u)] computed here directly."""
    rng = np.random.default_rng(2016)
    p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
    d = gt.f_divergence(p, q, name, full_output=True)
    t_star = gt.optimal_critic(p, q, name)
    b = gt.variational_bound(p, q, t_star, name, full_output=True)
    assert abs(b.value - d.value) <= b.abserr + d.abserr
    f = F_DIVERGENCES[name].f
    for _ in range(5):
        tt = t_star - np.abs(rng.normal(0, 0.5, 6))  # below T*: inside dom f*
        bt = gt.variational_bound(p, q, tt, name, full_output=True)
        gap = float(np.sum(q * (gt.conjugate(tt, name) - tt * p / q + f(p / q))))
        assert gap > 0
        assert abs((d.value - bt.value) - gap) <= bt.abserr + d.abserr + 64 * EPS


def test_bound_is_minus_inf_outside_the_domain_never_nan() -> None:
    p, q = [0.2, 0.8], [0.5, 0.5]
    assert gt.variational_bound(p, q, [0.0, 2.0], "js") == -math.inf
    assert gt.variational_bound(p, q, [0.0, math.inf], "kl") == -math.inf
    assert gt.variational_bound(p, q, [-math.inf, 0.0], "kl") == -math.inf
    # where q = 0 < p only p T counts: the optimal critic f'(oo) of JS keeps the bound tight
    p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    t = gt.optimal_critic(p, q, "js")
    assert gt.variational_bound(p, q, t, "js") == pytest.approx(gt.jsd(p, q), abs=4 * EPS)
    assert gt.variational_bound(p, q, gt.optimal_critic(p, q, "kl"), "kl") == math.inf


def test_bound_continuous_against_f_divergence_and_its_value() -> None:
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    for name in FGAN_NAMES:
        d = gt.f_divergence(p, q, name, full_output=True)
        b = gt.variational_bound(p, q, gt.optimal_critic(p, q, name), name, full_output=True)
        assert abs(b.value - d.value) <= b.abserr + d.abserr + 8 * EPS, name
    shifted = gt.variational_bound(p, q, lambda x: 1.0 - (x - 0.3) / 2, "kl")
    assert shifted < gt.kl(p, q) - 1e-3


def test_bad_input() -> None:
    p, q = [0.2, 0.8], [0.5, 0.5]
    names = "'kl', 'reverse_kl', 'js', 'gan', 'pearson', 'squared_hellinger', 'total_variation'"
    with pytest.raises(ValueError, match=f"`f` must be one of {names} \\(got 'hellinger'\\)"):
        gt.variational_bound(p, q, [0.0, 0.0], "hellinger")
    with pytest.raises(ValueError, match="`f` must be one of 'kl'"):
        gt.optimal_critic(p, q, "chi2")
    with pytest.raises(ValueError, match="`f` must be one of 'kl'"):
        gt.conjugate(0.0, "KL")
    with pytest.raises(TypeError, match="is derived for the named generators only"):
        gt.variational_bound(p, q, [0.0, 0.0], lambda u: u * np.log(u))
    with pytest.raises(ValueError, match=r"`T` must be an array of shape \(2,\)"):
        gt.variational_bound(p, q, [0.0, 0.0, 0.0], "kl")
    with pytest.raises(ValueError, match="`T` must not be NaN"):
        gt.variational_bound(p, q, [0.0, math.nan], "kl")
    with pytest.raises(TypeError, match="`T` must be a vectorized callable"):
        gt.variational_bound(stats.norm(), stats.norm(1), [0.0], "kl")
    with pytest.raises(ValueError, match="`T` returned NaN"):
        gt.variational_bound(stats.norm(), stats.norm(1), lambda x: x * math.nan, "kl")
    with pytest.raises(ValueError, match="`t` must be real numbers"):
        gt.conjugate([0.0, math.nan], "kl")
    with pytest.raises(ValueError, match=r"undefined, inf - inf"):
        gt.variational_bound([0.0, 1.0], [0.5, 0.5], [-math.inf, 5.0], "reverse_kl")
    with pytest.raises(ValueError, match="`name` must be one of 'kl'"):
        fgan_row("chi2")
