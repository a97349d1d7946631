"""The push-forward density at folds: exact singular points, checked against closed forms.

References (independent code paths: mpmath at 30 digits with hand-placed breakpoints, closed
forms, scipy.stats):

* G(z) = z² under N(0, 1) is χ²(1), with an infinite density at the fold image 0;
* G(z) = z³ - 3z under N(0, 1) has two folds (z = ±1, images ∓2), written out in mpmath by the
  trigonometric form of the cubic's roots (tests/reference.py);
* G(z) = sin(πz) under U(-1, 1) folds at z = ±1/2 onto the arcsine law on [-1, 1], with
  KL(arcsine ‖ U(-1, 1)) = log(4/π) in closed form.

Tolerance: the issue's 1e-10 on every value, and each error must also lie within the
quadrature's own error bound plus the reference's (mpmath reports ~1e-18).
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special, stats

import gantheory as gt
from gantheory.gan import GAN, GANConfig
from gantheory.nn import MLP
from gantheory.pushforward import Generator1D, Map1D, Polynomial, PushForward
from gantheory.quadrature import integrate_pieces
from tests import reference as ref

EPS = float(np.finfo(np.float64).eps)
#: The accuracy the fold references must meet (and each value's own error bound).
REF_ATOL = 1e-10


class Sine(Map1D):
    """G(z) = sin(πz), with exact increments from the angle-addition identities."""

    def value_and_derivative(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.sin(np.pi * z), np.pi * np.cos(np.pi * z)

    def increments(
        self, z0: np.ndarray, u: np.ndarray, fold: np.ndarray | bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        # With a = πz0, h = πu: sin(a + h) - sin a = 2 cos(a + h/2) sin(h/2), and from a fold
        # sin(a + h) - sin a - h cos a = cos a (sin h - h) - 2 sin a sin²(h/2), with sin h - h by
        # its series for |h| <= 1/2 (terms falling by h²/20 <= 1/80: 12 terms, below 1e-22
        # relative); π(cos(a + h) - cos a) = -2π sin(a + h/2) sin(h/2)
        a, h = np.pi * z0, np.pi * u
        h2, series = h * h, np.zeros_like(h)
        for k in range(12, 0, -1):
            series = 1.0 - series * h2 / ((2 * k + 2) * (2 * k + 3))
        sin_minus = np.where(np.abs(h) <= 0.5, -h * h2 / 6.0 * series, np.sin(h) - h)
        half = np.sin(0.5 * h)
        rem = np.cos(a) * sin_minus - 2.0 * np.sin(a) * half * half
        whole = 2.0 * np.cos(a + 0.5 * h) * half
        return np.where(fold, rem, whole), -2.0 * np.pi * np.sin(a + 0.5 * h) * half


def _square() -> Generator1D:
    return Generator1D(Polynomial([0.0, 0.0, 1.0]))


def _cubic() -> Generator1D:
    return Generator1D(Polynomial([0.0, -3.0, 0.0, 1.0]))


def _sine() -> Generator1D:
    return Generator1D(Sine(), noise="uniform")


def _tanh_folds() -> Generator1D:
    """G(z) = tanh(3z) - 3 tanh(0.3z): increasing near 0, decreasing beyond two folds."""
    net = MLP([1, 2, 1], "tanh", rng=np.random.default_rng(0))
    W1, b1, W2, b2 = net.params
    W1[...] = [[3.0, 0.3]]
    b1[...] = 0.0
    W2[...] = [[1.0], [-3.0]]
    b2[...] = 0.0
    return Generator1D(net)


# -- the closed forms at points -----------------------------------------------------------------
def test_square_of_normal_noise_is_chi2_pointwise() -> None:
    g = _square()
    assert g.folds.tolist() == [0.0] and g.fold_values.tolist() == [0.0]
    chi2 = stats.chi2(1)
    # 1e-300 is 1e-150 in noise, far below any grid cell; 400 lies past the tabulated range
    x = np.array([1e-300, 1e-40, 1e-12, 1e-3, 0.5, 1.0, 7.0, 60.0, 400.0])
    np.testing.assert_allclose(g.logpdf(x), chi2.logpdf(x), rtol=8 * EPS, atol=0)
    # F(x) = erf(sqrt(x / 2)) (scipy's chi2(1).cdf, through the incomplete gamma function, is
    # itself 2.5e-14 off at 1e-300)
    np.testing.assert_allclose(g.cdf(x), special.erf(np.sqrt(x / 2)), rtol=8 * EPS, atol=0)
    assert g.support() == (0.0, math.inf)
    assert g.logpdf(np.array([0.0]))[0] == np.inf and g.logpdf(np.array([-1e-300]))[0] == -np.inf
    assert g.pushforward().singular_at(0.0)


def test_sine_of_uniform_noise_is_the_arcsine_law_pointwise() -> None:
    """sin(πz) folds at z = ±1/2, which float64 locates within a few ulps only (π cos(π/2)
    evaluates to 1.9e-16, not 0): a fold δ off its place changes the density at distance t
    from the fold image by a relative δ/u, with u = sqrt(2t)/π the distance in noise. The
    points are far enough (t >= 2^-40) for that to stay below 1e-9; the exact folds of
    polynomials are checked at any distance below."""
    g = _sine()
    np.testing.assert_allclose(g.folds, [-0.5, 0.5], rtol=0, atol=4 * EPS)
    assert sorted(g.fold_values.tolist()) == [-1.0, 1.0]
    assert g.support() == (-1.0, 1.0)
    x = np.array([-1.0 + 2**-40, -0.7, 1e-3, 0.3, 0.999999, 1.0 - 2**-40])
    # -log π - (1/2) log((1 - x)(1 + x)), with 1 ∓ x exact in float64 (scipy's arcsine rescales
    # x to (x + 1)/2 first, which rounds: 2e-10 off at x = 0.999999)
    closed = -math.log(math.pi) - 0.5 * np.log((1.0 - x) * (1.0 + x))
    t = 1.0 - np.abs(x)
    bound = 8 * EPS * math.pi / np.sqrt(2 * t) + 64 * EPS  # δ/u with δ <= 8 eps, plus rounding
    err = np.abs(g.logpdf(x) - closed)
    assert (err <= bound).all(), (err, bound)
    # F(x) = 1/2 + arcsin(x)/π
    np.testing.assert_allclose(g.cdf(x), 0.5 + np.arcsin(x) / math.pi, rtol=1e-13, atol=0)


def test_fold_density_follows_its_exact_local_law() -> None:
    r"""Next to a fold, :math:`p_g(x_f \pm t) = 2 p_z(z_f) / \sqrt{2 |G''(z_f)| t}` up to a
    factor :math:`1 + O(\sqrt t)`.

    z³ - 3z folds exactly at z = ±1 (G'(±1) = 0 in float64 too), with G''(±1) = ±6: at t = 1e-30,
    far below an ulp of the fold image 2, the law holds to rounding (the O(sqrt t) correction is
    1e-15 relative). Past the grid of tabulated noise, the density is z³ - 3z's as well.
    """
    g = _cubic()
    assert g.folds.tolist() == [-1.0, 1.0] and g.fold_values.tolist() == [2.0, -2.0]
    for zf, xf, side in ((-1.0, 2.0, -1.0), (1.0, -2.0, 1.0)):
        for t in (1e-30, 1e-20):
            law = math.log(2 * stats.norm.pdf(zf)) - 0.5 * math.log(2 * 6.0 * t)
            near = float(g.logpdf_near(xf, np.array([side * t]))[0])
            assert near == pytest.approx(law, rel=0, abs=4 * math.sqrt(t) + 64 * EPS)
        with mp.workdps(60):  # the other side: one root only, on the far branch
            other = float(mp.log(ref.cubic_pushforward()(mp.mpf(xf) - side * mp.mpf("1e-30"))))
        assert float(g.logpdf_near(xf, np.array([-side * 1e-30]))[0]) == pytest.approx(
            other, rel=64 * EPS, abs=0
        )
    far = np.array([-5000.0, 3000.0])  # roots near ∓17, past the tabulated |z| <= 11.5
    want = [float(mp.log(ref.cubic_pushforward()(mp.mpf(v)))) for v in far]
    np.testing.assert_allclose(g.logpdf(far), want, rtol=64 * EPS, atol=0)


def test_scalar_and_array_paths_agree_within_ulps_of_a_fold() -> None:
    for g in (_tanh_folds(), _cubic(), _sine()):
        p = g.pushforward()
        for xf in g.fold_values:
            k = np.arange(-6, 7)
            x = xf + k * np.spacing(xf)
            arr = g.logpdf(x)
            scal = np.array([p.logpdf(float(xi)) for xi in x])
            near = g.logpdf_near(xf, k * np.spacing(xf))
            fin = np.isfinite(arr)
            assert np.array_equal(fin, np.isfinite(scal)) and np.array_equal(fin, np.isfinite(near))
            assert np.array_equal(arr[~fin], scal[~fin])
            # a few ulps of the log-density (the batched products round differently)
            np.testing.assert_allclose(scal[fin], arr[fin], rtol=8 * EPS, atol=8 * EPS)
            np.testing.assert_allclose(near[fin], arr[fin], rtol=8 * EPS, atol=8 * EPS)
            assert arr[k == 0][0] == np.inf  # the fold image itself


# -- functionals against mpmath -----------------------------------------------------------------
def _mp_density(frozen: object) -> ref.Density:
    name = frozen.dist.name  # type: ignore[attr-defined]
    if name == "norm":
        return ref.normal(frozen.mean(), frozen.std())  # type: ignore[attr-defined]
    return ref.uniform(-1.0, 2.0)


CASES = {
    # name: (generator, other distribution, mpmath density of p_g, breakpoints)
    "z^2": (_square, stats.norm(1.0, 1.0), ref.chi2_1(), [-mp.inf, 0, 1, 3, 10, 40, mp.inf]),
    "z^3-3z": (_cubic, stats.norm(0.0, 2.0), ref.cubic_pushforward(),
               [-mp.inf, -40, -2, -1, 0, 1, 2, 40, mp.inf]),
    "sin(pi z)": (_sine, stats.uniform(-1.0, 2.0), ref.arcsine_pm1(), [-1, -0.5, 0, 0.5, 1]),
}
FUNCTIONALS = [
    ("jsd", lambda p, q, **k: gt.jsd(p, q, **k), False),
    ("kl", lambda p, q, **k: gt.kl(p, q, **k), False),  # KL(p_g || q)
    ("kl", lambda p, q, **k: gt.kl(q, p, **k), True),  # KL(q || p_g)
    ("tv", lambda p, q, **k: gt.tv(p, q, **k), False),
    ("optimal_value", lambda p, q, **k: gt.optimal_value(q, p, **k), True),  # C(G), q the data
]


FUNCTIONALS = [
    pytest.param(*f, id=i)
    for f, i in zip(FUNCTIONALS, ["jsd", "kl(p_g||q)", "kl(q||p_g)", "tv", "C(G)"], strict=True)
]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize(("functional", "compute", "swapped"), FUNCTIONALS)
def test_fold_functionals_match_mpmath(case: str, functional: str, compute, swapped) -> None:
    make, q, dens, points = CASES[case]
    p_g = make().pushforward()
    est = compute(p_g, q, full_output=True)
    dq = _mp_density(q)
    a, b = (dq, dens) if swapped else (dens, dq)
    if functional == "kl" and swapped and case == "z^2":
        assert est.value == math.inf  # N(1, 1) has mass on x < 0, where chi2(1) has none
        return
    value, err = ref.integrate(functional, a, b, points)
    diff = abs(est.value - float(value))
    assert diff <= REF_ATOL
    assert diff <= est.abserr + float(err) + 4 * EPS * abs(est.value)


def test_sine_fold_kl_and_tv_closed_forms() -> None:
    """KL(arcsine || U(-1, 1)) = log 2 - h(arcsine) = log(4/π); TV by the crossing
    x_c = sqrt(1 - 4/π²): 1 - (2/π) arcsin(x_c) - (1 - x_c)."""
    p_g, u = _sine().pushforward(), stats.uniform(-1.0, 2.0)
    est = gt.kl(p_g, u, full_output=True)
    assert abs(est.value - math.log(4 / math.pi)) <= min(REF_ATOL, est.abserr + 4 * EPS)
    xc = math.sqrt(1 - 4 / math.pi**2)
    tv = 1 - (2 / math.pi) * math.asin(xc) - (1 - xc)
    assert abs(gt.tv(p_g, u) - tv) <= REF_ATOL


def test_square_of_normal_noise_has_zero_divergence_from_chi2() -> None:
    p_g, chi2 = _square().pushforward(), stats.chi2(1)
    for f in (gt.jsd, gt.kl):
        est = f(p_g, chi2, full_output=True)
        assert abs(est.value) <= est.abserr + 1e-15  # zero to rounding and within its bound
    c = gt.optimal_value(chi2, p_g, full_output=True)
    assert abs(c.value + math.log(4)) <= c.abserr + 4 * EPS


def test_folded_density_integrates_to_one_at_the_default_accuracy() -> None:
    for g in (_tanh_folds(), _cubic(), _sine()):
        est = integrate_pieces(lambda x, logs: math.exp(logs[0]), [g.pushforward()])
        assert abs(est.value - 1.0) <= est.abserr + 2.4e-30 + 8 * EPS  # + mass past the grid


# -- trained generators ------------------------------------------------------------------------
def test_a_trained_generator_is_measured_at_the_default_accuracy() -> None:
    """The generators of a short run fold (four folds at 100 and at 200 iterations here); every
    functional of (data, p_g) succeeds with the default arguments, and Theorem 1 ties two of
    them, computed by different integrands, together within their bounds."""
    data = stats.norm(1.0, 0.5)
    cfg = GANConfig(k=3, m=128, steps=100, lr_d=2e-3, lr_g=6e-4, log_every=100)
    gan = GAN(data, config=cfg, rng=np.random.default_rng(0))
    for _ in range(2):
        gan.train(100)
        p_g = gan.generator().pushforward()
        j = gt.jsd(data, p_g, full_output=True)
        c = gt.optimal_value(data, p_g, full_output=True)
        assert abs(c.value - (-math.log(4) + 2 * j.value)) <= c.abserr + 2 * j.abserr + 1e-15
        assert gt.kl(data, p_g) == math.inf  # a tanh generator's image is bounded
        assert math.isfinite(gt.kl(p_g, data))
        assert 0 < gt.tv(data, p_g) < 1
        assert gt.value(data, p_g, gan.discriminator()) <= c.value + c.abserr


def test_a_saturated_tail_ends_where_G_stops_changing_in_float64() -> None:
    """tanh(z/20) equals ±1 in float64 from |z| ≈ 437 on, long before its derivative underflows
    (|z| ≈ 7000): the grid stops there (the noise mass beyond, 2 Φ(-437), is 0 in float64).
    A trained generator's tail used to end on a node with G' = 0, where the density came out
    +inf, and JSD's integrand NaN."""
    net = MLP([1, 1, 1], "tanh", rng=np.random.default_rng(0))
    net.params[0][...] = 0.05
    net.params[1][...] = 0.0
    net.params[2][...] = 1.0
    net.params[3][...] = 0.0
    g = Generator1D(net)
    assert g.support() == (-1.0, 1.0) and g.monotone
    (lo, hi), = (br.z for br in g.branches)
    assert lo == -hi and 400 < hi < 500
    ends = g.logpdf(np.array([-1.0, 1.0]))
    assert np.isfinite(ends).all() and ends[0] == ends[1]  # G is odd
    est = gt.jsd(stats.norm(0, 0.5), g.pushforward(), full_output=True)
    # Theorem 1 ties the JSD and C(G), computed by different integrands, together
    c = gt.optimal_value(stats.norm(0, 0.5), g.pushforward(), full_output=True)
    assert abs(c.value - (-math.log(4) + 2 * est.value)) <= c.abserr + 2 * est.abserr + 4 * EPS


# -- the push-forward of MLP generators -----------------------------------------------------------
def test_affine_pushforward_is_the_gaussian() -> None:
    """G(z) = -1.5 z + 0.25 pushes N(0, 1) to N(0.25, 1.5²), far into the tails too (x = -300
    has its root at z = 200, on the geometric grid past |z| = 11.5): the KL both ways against
    the closed form, which needs the log-density where the density itself underflows."""
    net = MLP([1, 1], rng=np.random.default_rng(0))
    net.params[0][...] = -1.5  # decreasing G
    net.params[1][...] = 0.25
    g = Generator1D(net)
    assert g.monotone and g.folds.size == 0 and g.support() == (-math.inf, math.inf)
    x = np.concatenate([np.linspace(-4.0, 4.0, 17), [-300.0, 60.0]])
    gauss = stats.norm(0.25, 1.5)
    np.testing.assert_allclose(g.logpdf(x), gauss.logpdf(x), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(g.cdf(x), gauss.cdf(x), rtol=1e-12, atol=1e-15)
    for xi in x:  # the scalar path used by the quadrature agrees with the vector path
        np.testing.assert_allclose(
            g.logpdf(np.array([xi])), gauss.logpdf(xi), rtol=1e-13, atol=1e-13
        )
    p_g, data = g.pushforward(), stats.norm(0, 1)
    est = gt.jsd(data, p_g, full_output=True)
    np.testing.assert_allclose(est.value, gt.jsd(data, gauss), rtol=0, atol=1e-12)
    s2 = 1.5**2  # KL(N(0, 1) || N(0.25, s2)) and KL(N(0.25, s2) || N(0, 1)), closed forms
    forward = 0.5 * (math.log(s2) + (1 + 0.25**2) / s2 - 1)
    backward = 0.5 * (-math.log(s2) + s2 + 0.25**2 - 1)
    for est, exact in ((gt.kl(data, p_g, full_output=True), forward),
                       (gt.kl(p_g, data, full_output=True), backward)):
        assert abs(est.value - exact) <= est.abserr + 1e-14


def test_folded_generator_density_has_mass_one_and_matches_samples() -> None:
    g = _tanh_folds()
    assert g.folds.size == 2 and not g.monotone
    np.testing.assert_allclose(g.derivative(g.folds), 0.0, atol=1e-12)
    # Three branches, each root solves G(z) = x; the scalar and vector paths agree.
    x = np.linspace(-2.0, 2.0, 41)
    vec = g.logpdf(x)
    scal = np.array([g.logpdf(np.array([xi]))[0] for xi in x])
    np.testing.assert_allclose(vec, scal, rtol=1e-12, atol=1e-12)
    for xi in (-0.3, 0.1, 0.9):
        r = g.roots(xi)
        np.testing.assert_allclose(g(r), xi, rtol=0, atol=1e-14)
    # Total mass 1 by quadrature, with the fold singularities at piece ends.
    p_g = g.pushforward()
    assert isinstance(p_g, PushForward)
    est = integrate_pieces(lambda x, logs: math.exp(logs[0]), [p_g], atol=1e-9)
    assert abs(est.value - 1.0) <= est.abserr + 1e-12
    # DKW: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2) = 2 exp(-10) ~ 9e-5 for n = 2e5, eps = 5e-3.
    z = np.random.default_rng(11).standard_normal(200_000)
    xs = np.sort(g(z))
    grid = np.linspace(xs[0], xs[-1], 201)
    f_n = np.searchsorted(xs, grid, side="right") / xs.size
    assert np.max(np.abs(g.cdf(grid) - f_n)) <= 5e-3
    assert g.mass(-10.0, 10.0) == pytest.approx(1.0, abs=1e-12)


def test_pushforward_works_with_the_game_functions() -> None:
    g = _tanh_folds()
    d_star = gt.optimal_discriminator(stats.norm(0, 1), g.pushforward())
    v = d_star(np.array([-1.0, 0.0, 1.0]))
    assert ((v > 0) & (v < 1)).all()
    c = gt.optimal_value(stats.norm(0, 1), g.pushforward(), atol=1e-8)
    assert -math.log(4.0) < c < 0.0


# -- bad input ----------------------------------------------------------------------------------
def test_bad_maps_are_refused() -> None:
    relu = MLP([1, 1, 1], "relu", rng=np.random.default_rng(0))
    relu.params[0][...] = 1.0
    relu.params[1][...] = 0.0  # G(z) = max(z, 0) W2 + b2: constant for z < 0
    with pytest.raises(ValueError, match=r"constant on .* atom"):
        Generator1D(relu)
    with pytest.raises(ValueError, match="`coefficients`"):
        Polynomial([1.0, 0.0])  # a constant
    with pytest.raises(ValueError, match="`coefficients`"):
        Polynomial([0.0, np.nan])
    with pytest.raises(TypeError, match="`G`"):
        Generator1D(lambda z: z)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`G` must be an MLP with sizes"):
        Generator1D(MLP([2, 1], rng=np.random.default_rng(0)))
