"""The written-out scalar log-densities against scipy.stats and, where SciPy is wrong, mpmath.

:mod:`gantheory._logpdf` repeats SciPy's formulas in :mod:`math` (the quadrature calls it
at every node). Both sides evaluate the same expression in float64 with at most a few roundings
of its terms, so they agree to ``8 eps`` times the largest of 1, ``|value|`` and the terms'
magnitudes (for Beta(200, 300) the terms ``(a-1) log z``, ``(b-1) log(1-z)`` and ``log B(a, b)``
are each about 300 while their sum is -8). Infinite values (outside the support, singular ends)
must agree exactly.
"""

from __future__ import annotations

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from scipy import special, stats

from gantheory import Mixture
from gantheory._logpdf import scalar_logpdf
from gantheory.distributions import _Component, _loc_scale, as_continuous

EPS = float(np.finfo(np.float64).eps)

DISTS = [
    stats.norm(0.3, 2.5),
    stats.norm(-1e4, 1e-3),
    stats.laplace(1.0, 0.5),
    stats.hypsecant(-2.0, 3.0),
    stats.logistic(0.5, 0.1),
    stats.cauchy(-3.0, 7.0),
    stats.t(1.0, 0.0, 1.0),
    stats.t(2.5, 1.0, 0.5),
    stats.t(30.0),
    stats.t(np.inf, 0.0, 2.0),
    stats.beta(0.5, 0.5, 0.1, 0.25),
    stats.beta(1.0, 3.0),
    stats.beta(2.0, 1.0, -1.0, 2.0),
    stats.beta(0.3, 4.0),
    stats.beta(200.0, 300.0),
    stats.arcsine(0.0, 1.0),
    stats.arcsine(-2.0, 4.0),
    stats.uniform(0.0, 1.0),
    stats.uniform(-3.0, 0.5),
]


def _grid(d: object) -> np.ndarray:
    """Points inside, at the ends of and outside the support, and far into the tails."""
    lo, hi = d.support()
    _, loc, scale = _loc_scale(d)
    z = np.concatenate([np.linspace(-6, 6, 121), [-1e3, -40.0, 40.0, 1e3, 1e8, -1e8]])
    pts = [loc + scale * z, d.ppf([1e-12, 1e-6, 0.3, 0.5, 0.7, 1 - 1e-6])]
    for end in (lo, hi):
        if np.isfinite(end):
            pts.append([end, np.nextafter(end, -np.inf), np.nextafter(end, np.inf)])
    x = np.concatenate(pts)
    return x[np.isfinite(x)]


@pytest.mark.parametrize("d", DISTS, ids=lambda d: f"{d.dist.name}{d.args}")
def test_matches_scipy(d: object) -> None:
    f = _Component(d).scalar
    xs = _grid(d)
    with np.errstate(over="ignore", divide="ignore"):  # SciPy's hypsecant: cosh overflows
        ref = d.logpdf(xs)
    ours = np.array([f(float(x)) for x in xs])
    finite = np.isfinite(ref)
    # SciPy's laplace and hypsecant logpdf underflow to -inf beyond ~745 scales (checked
    # against mpmath below); everywhere else infinities must agree exactly
    if d.dist.name not in ("laplace", "hypsecant"):
        np.testing.assert_array_equal(ours[~finite], ref[~finite])
    tol = 8 * EPS * np.maximum(1.0, np.maximum(np.abs(ref), _term_size(d, xs)))[finite]
    assert np.all(np.abs(ours[finite] - ref[finite]) <= tol), np.max(
        np.abs(ours[finite] - ref[finite]) / tol
    )


def _term_size(d: object, xs: np.ndarray) -> np.ndarray:
    """The largest magnitude among the terms summed by the formula (Beta only; 0 otherwise)."""
    if d.dist.name != "beta":
        return np.zeros_like(xs)
    (a, b), loc, scale = _loc_scale(d)
    z = np.clip((xs - loc) / scale, 1e-300, 1 - 1e-16)
    terms = [np.abs((a - 1) * np.log(z)), np.abs((b - 1) * np.log1p(-z)),
             np.full_like(xs, abs(float(special.betaln(a, b))))]
    return np.max(terms, axis=0)


def _mp_logpdf(name: str, x: float, loc: float, scale: float, *shapes: float) -> float:
    mp.mp.dps = 40
    z = (mp.mpf(x) - loc) / scale
    if name == "laplace":
        v = -abs(z) - mp.log(2)
    elif name == "hypsecant":
        v = -mp.log(mp.pi) - mp.log(mp.cosh(z))
    elif name == "t":
        (nu,) = (mp.mpf(s) for s in shapes)
        v = (mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2) - mp.log(nu * mp.pi) / 2
             - (nu + 1) / 2 * mp.log1p(z**2 / nu))
    else:
        raise AssertionError(name)
    return float(v - mp.log(scale))


@pytest.mark.parametrize(
    ("name", "shapes", "x"),
    [
        ("laplace", (), 800.0),
        ("laplace", (), -1e5),
        ("hypsecant", (), 900.0),
        ("hypsecant", (), -3.5),
        ("t", (3.0,), 1e160),  # z * z overflows; SciPy returns -inf here
        ("t", (1.5,), -1e200),
        ("t", (3.0,), 12.0),
    ],
)
def test_beyond_scipy_against_mpmath(name: str, shapes: tuple, x: float) -> None:
    loc, scale = 0.5, 0.75
    f = scalar_logpdf(name, shapes, loc, scale, fallback=lambda x: math.nan)
    ref = _mp_logpdf(name, x, loc, scale, *shapes)
    assert math.isfinite(f(x))
    assert abs(f(x) - ref) <= 8 * EPS * max(1.0, abs(ref))


def test_other_families_fall_back_to_scipy() -> None:
    d = stats.gamma(2.0, 0.5, 1.5)
    f = _Component(d).scalar
    for x in (0.4, 0.5, 1.0, 7.0):
        assert f(x) == float(d.logpdf(x))


def test_nan_argument_gives_nan() -> None:
    for d in (stats.norm(), stats.beta(2, 3), stats.uniform()):
        assert math.isnan(_Component(d).scalar(math.nan))


def test_anchored_forms_at_singular_ends() -> None:
    """Beta(1/2, 1/2) on [0.1, 0.35]: t above the lower end and below the upper end."""
    d = stats.beta(0.5, 0.5, 0.1, 0.25)
    c = _Component(d)
    for t in (1e-300, 1e-20, 1e-3, 0.1):
        # values up to log(1/(pi sqrt(1e-300 * 0.25))) = 345: 8 eps * 345 < 8 eps * 400
        lower, upper = float(c.lower.logpdf(t)), float(c.upper.logpdf(t))
        assert abs(c.logpdf_near(c.lo, 1, t) - lower) <= 8 * EPS * 400
        assert abs(c.logpdf_near(c.hi, -1, t) - upper) <= 8 * EPS * 400
    assert c.logpdf_near(c.lo, 1, 0.0) == math.inf
    assert c.logpdf_near(c.hi, -1, 0.0) == math.inf


@pytest.mark.parametrize("x", [-20.0, -5.0, -0.1, 0.0, 3.0, 4.9, 60.0, 1e4])
def test_mixture_scalar_matches_vectorised(x: float) -> None:
    m = gt_mixture()
    c = as_continuous(m, "m")
    ref = float(m.logpdf(np.array([x]))[0])
    got = c.logpdf(x)
    assert abs(got - ref) <= 8 * EPS * max(1.0, abs(ref))


def gt_mixture() -> Mixture:
    return Mixture([stats.norm(-5, 0.25), stats.t(3.0, 5, 1.0), stats.uniform(-0.1, 0.2)],
                   [0.2, 0.5, 0.3])


@pytest.mark.parametrize("d", [stats.laplace(0.5, 0.75), stats.hypsecant(-2.0, 3.0)],
                         ids=["laplace", "hypsecant"])
def test_array_forms_match_the_scalar_forms_where_scipy_underflows(d: object) -> None:
    """The array log-density (used for vectorised calls) and the scalar one (used by the
    quadrature) are the same formula in NumPy and in math: they agree to 8 eps max(1, |v|),
    also beyond 745 scales, where SciPy's logpdf is -inf."""
    c = _Component(d)
    _, loc, scale = _loc_scale(d)
    xs = loc + scale * np.array([-1e5, -900.0, -3.0, 0.0, 0.1, 2.0, 800.0, 1e8])
    arr = c.logpdf(xs)
    scalar = np.array([c.scalar(float(x)) for x in xs])
    assert np.all(np.isfinite(arr))
    assert np.all(np.abs(arr - scalar) <= 8 * EPS * np.maximum(1.0, np.abs(scalar)))


def _distcont() -> list[object]:
    from scipy.stats._distr_params import distcont

    slow = {"studentized_range", "levy_stable"}  # 80 ms and 3 ms a point in SciPy
    return [pytest.param(n, tuple(s), id=f"{n}{tuple(s)}") for n, s in distcont if n not in slow]


@pytest.mark.parametrize(("name", "shapes"), _distcont())
def test_scipy_scalar_path_is_scipys_logpdf(name: str, shapes: tuple) -> None:
    """The fast scalar path (SciPy's ``_logpdf`` on one float, with the support test of
    ``logpdf``) against ``logpdf`` itself, for every family of SciPy's list, at quantiles, the
    support ends and outside: the same arithmetic, so the same values to a few eps (SciPy's
    log(scale) is NumPy's, ours too), and identical infinities."""
    from gantheory._logpdf import scipy_scalar_logpdf

    family = getattr(stats, name)
    d = family(*shapes, loc=0.3, scale=1.7)
    f = scipy_scalar_logpdf(family, tuple(float(s) for s in shapes), 0.3, 1.7)
    lo, hi = d.support()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qs = np.concatenate([d.ppf(p) for p in ([0.3, 0.5, 0.7], [1e-6, 0.01, 0.99])])
        xs = np.concatenate([qs, np.linspace(-20, 20, 17), [lo, hi, lo - 1, hi + 1]])
        xs = xs[np.isfinite(xs)]
        ref = d.logpdf(xs)
        ours = np.array([f(float(x)) for x in xs])
    both_inf = np.isinf(ref) & (ours == ref)
    with np.errstate(invalid="ignore"):  # inf - inf where both are infinite
        close = np.abs(ours - ref) <= 8 * EPS * np.maximum(1.0, np.abs(ref))
    same_nan = np.isnan(ref) & np.isnan(ours)
    assert np.all(both_inf | close | same_nan), (xs, ref, ours)
