"""Tests of gantheory.nn.objective_losses (label smoothing, the maximum-likelihood generator cost,
least squares, hinge, Wasserstein) and of clip_weights: values against 50-digit references, the
pointwise optima found by scipy.optimize, gradient checks, extreme outputs and bad input."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar
from scipy.special import expit, logit

from gantheory.nn import (
    bce_with_logits,
    check_vjp,
    clip_weights,
    discriminator_loss,
    hinge_discriminator_loss,
    hinge_generator_loss,
    label_smoothing_discriminator_loss,
    lsgan_discriminator_loss,
    lsgan_generator_loss,
    maximum_likelihood_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)

mpmath.mp.dps = 50
EPS = np.finfo(float).eps

#: Loss values are means of ≤ 20 terms each accurate to a few ulps (logaddexp, exp, products),
#: so they agree with the 50-digit reference to ~n·eps relative: 1e-14.
VALUE_RTOL = 1e-14
#: Gradients are one or two sigmoids (or exp, or a difference v − b) divided by n: a few ulps.
GRAD_RTOL = 1e-15
#: Raw outputs probing both tails, the centre, and the overflow range of exp (|v| > 709).
OUTPUTS = np.array([-1e4, -800.0, -40.0, -3.0, -0.5, 0.0, 0.25, 2.0, 37.0, 710.0, 1e4])
#: Brent's method locates a smooth minimum only to ~sqrt(eps) ≈ 1.5e-8 relative (the loss is
#: flat to second order there); 1e-6 leaves a margin of ~60 while a wrong optimum (a missing
#: smoothing term, swapped targets) is off by 1e-2 or more.
ARGMIN_RTOL = 1e-6
#: (p_data, p_g) weights at which the pointwise optima are checked, including a zero weight.
WEIGHTS = [(0.3, 0.7), (0.9, 0.1), (2.0, 0.5), (1.0, 1.0), (0.4, 0.0), (0.0, 1.3)]


def mp_softplus(u: float) -> mpmath.mpf:
    return mpmath.log1p(mpmath.exp(mpmath.mpf(u)))


def mp_sigmoid(u: float) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mpmath.mpf(u)))


def mean(values: list) -> float:
    return float(mpmath.fsum(values) / len(values))


def pointwise(loss_fn, p: float, q: float):  # type: ignore[no-untyped-def]
    """p·(data term at v) + q·(generated term at v), from the batch loss L(real, fake) = A + B:
    p·L([v], [0]) + q·L([0], [v]) = p·A(v) + q·B(v) + constant."""

    def phi(v: float) -> float:
        return (
            p * loss_fn(np.array([v]), np.array([0.0]))[0]
            + q * loss_fn(np.array([0.0]), np.array([v]))[0]
        )

    return phi


# --- label smoothing ---------------------------------------------------------------------------


@pytest.mark.parametrize(("alpha", "beta"), [(0.1, 0.0), (0.0, 0.0), (0.2, 0.3), (0.05, 0.9)])
def test_label_smoothing_matches_50_digit_reference(alpha: float, beta: float) -> None:
    rng = np.random.default_rng(60)
    real = rng.choice(OUTPUTS, size=(9, 1))
    fake = rng.choice(OUTPUTS, size=(7, 1))
    loss, d_real, d_fake = label_smoothing_discriminator_loss(real, fake, alpha=alpha, beta=beta)
    a, b = mpmath.mpf(alpha), mpmath.mpf(beta)
    # −[t log σ(v) + (1 − t) log σ(−v)] from the sigmoids themselves, in 50 digits

    def xent(u: float, t: mpmath.mpf) -> mpmath.mpf:
        return -t * mpmath.log(mp_sigmoid(u)) - (1 - t) * mpmath.log(mp_sigmoid(-u))

    expected = mean([xent(u, 1 - a) for u in real.ravel()]) + mean(
        [xent(u, b) for u in fake.ravel()]
    )
    assert_allclose(loss, expected, rtol=VALUE_RTOL, atol=0)
    # ∂/∂v of the cross-entropy is σ(v) − t; a difference of two terms ≤ 1/n, so its error is
    # absolute, a few ulps of 1/n.
    assert_allclose(
        d_real.ravel(),
        [float((mp_sigmoid(u) - (1 - a)) / 9) for u in real.ravel()],
        rtol=GRAD_RTOL,
        atol=4 * EPS / 9,
    )
    assert_allclose(
        d_fake.ravel(),
        [float((mp_sigmoid(u) - b) / 7) for u in fake.ravel()],
        rtol=GRAD_RTOL,
        atol=4 * EPS / 7,
    )
    assert d_real.shape == real.shape and d_fake.shape == fake.shape


def test_label_smoothing_is_bce_against_smoothed_targets_and_reduces_to_the_gan_loss() -> None:
    rng = np.random.default_rng(61)
    real, fake = 4 * rng.standard_normal(6), 4 * rng.standard_normal(5)
    loss, d_real, d_fake = label_smoothing_discriminator_loss(real, fake, alpha=0.15, beta=0.25)
    l_r, g_r = bce_with_logits(real, np.full(6, 0.85))
    l_f, g_f = bce_with_logits(fake, np.full(5, 0.25))
    assert_allclose(loss, l_r + l_f, rtol=VALUE_RTOL)
    assert_allclose(d_real, g_r, rtol=1e-14, atol=4 * EPS / 6)
    assert_allclose(d_fake, g_f, rtol=1e-14, atol=4 * EPS / 5)
    unsmoothed = label_smoothing_discriminator_loss(real, fake, alpha=0.0)
    gan = discriminator_loss(real, fake)
    assert_allclose(unsmoothed[0], gan[0], rtol=VALUE_RTOL)
    assert_allclose(unsmoothed[1], gan[1], rtol=GRAD_RTOL)
    assert_allclose(unsmoothed[2], gan[2], rtol=GRAD_RTOL)


def test_label_smoothing_has_no_cancellation_at_confident_logits() -> None:
    # One-sided, α = 0 on data and β = 0: −log σ(40) = log1p(e^−40) ≈ 4.25e-18 and
    # −log(1 − σ(−40)) the same; a form ζ(v) − t·v would return 0 for both.
    loss, _, _ = label_smoothing_discriminator_loss([40.0], [-40.0], alpha=0.0, beta=0.0)
    assert_allclose(loss, float(2 * mp_softplus(-40.0)), rtol=VALUE_RTOL)


@pytest.mark.parametrize(("alpha", "beta"), [(0.1, 0.0), (0.3, 0.2), (0.0, 0.4)])
@pytest.mark.parametrize(("p", "q"), WEIGHTS)
def test_label_smoothing_pointwise_minimiser_is_the_smoothed_d_star(
    alpha: float, beta: float, p: float, q: float
) -> None:
    def loss(r: np.ndarray, f: np.ndarray):  # type: ignore[no-untyped-def]
        return label_smoothing_discriminator_loss(r, f, alpha=alpha, beta=beta)

    d_star = ((1 - alpha) * p + beta * q) / (p + q)  # Goodfellow 2016, Section 4.2
    phi = pointwise(loss, p, q)
    if d_star in (0.0, 1.0):  # a zero weight without smoothing: the optimum is at v → ∓∞
        direction = -1.0 if d_star == 0.0 else 1.0
        assert phi(20.0 * direction) < phi(10.0 * direction) < phi(0.0)
        return
    res = minimize_scalar(phi, bracket=(-5.0, 5.0), tol=1e-12)
    assert res.success
    assert_allclose(expit(res.x), d_star, rtol=ARGMIN_RTOL)
    # and the gradient of the weighted loss vanishes at the closed-form logit
    v = logit(d_star)
    g = p * loss([v], [0.0])[1][0] + q * loss([0.0], [v])[2][0]
    assert abs(g) < 8 * EPS * (p + q)


# --- maximum-likelihood generator cost ---------------------------------------------------------


def test_maximum_likelihood_cost_matches_reference_and_odds_form() -> None:
    fake = OUTPUTS[OUTPUTS < 709.0].reshape(-1, 1)
    k = fake.size
    loss, grad = maximum_likelihood_generator_loss(fake)
    expected = -mean([mpmath.exp(mpmath.mpf(u)) / 2 for u in fake.ravel()])
    assert_allclose(loss, expected, rtol=VALUE_RTOL, atol=0)
    assert_allclose(
        grad.ravel(),
        [float(-mpmath.exp(mpmath.mpf(u)) / (2 * k)) for u in fake.ravel()],
        rtol=GRAD_RTOL,
        atol=0,
    )
    # exp(σ⁻¹(D)) = D / (1 − D): the tutorial's form, at moderate logits
    v = np.linspace(-6, 6, 13)
    d = expit(v)
    assert_allclose(
        maximum_likelihood_generator_loss(v)[0], -0.5 * np.mean(d / (1 - d)), rtol=1e-13
    )


def test_maximum_likelihood_cost_is_exact_up_to_the_float64_limit() -> None:
    # e^709.78 ≈ 1.8e308, the largest float64: two such terms must not overflow their sum.
    v = np.array([709.78, 709.78])
    loss, grad = maximum_likelihood_generator_loss(v)
    assert_allclose(loss, float(-mpmath.exp(mpmath.mpf(709.78)) / 2), rtol=VALUE_RTOL)
    assert np.isfinite(grad).all()
    with pytest.raises(ValueError, match=r"got largest 709.79\)"):
        maximum_likelihood_generator_loss(np.array([0.0, 709.79]))


# --- least squares -----------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "c"), [(-1.0, 1.0, 0.0), (0.0, 1.0, 1.0), (0.3, -2.0, 5.0)])
def test_lsgan_losses_match_reference(a: float, b: float, c: float) -> None:
    rng = np.random.default_rng(62)
    real = rng.choice(OUTPUTS, size=8)
    fake = rng.choice(OUTPUTS, size=5)
    loss, d_real, d_fake = lsgan_discriminator_loss(real, fake, a=a, b=b)
    mp = mpmath.mpf
    expected = mean([(mp(u) - b) ** 2 / 2 for u in real]) + mean(
        [(mp(u) - a) ** 2 / 2 for u in fake]
    )
    assert_allclose(loss, expected, rtol=VALUE_RTOL)
    assert_allclose(d_real, [float((mp(u) - b) / 8) for u in real], rtol=GRAD_RTOL)
    assert_allclose(d_fake, [float((mp(u) - a) / 5) for u in fake], rtol=GRAD_RTOL)
    loss_g, d_g = lsgan_generator_loss(fake, c=c)
    assert_allclose(loss_g, mean([(mp(u) - c) ** 2 / 2 for u in fake]), rtol=VALUE_RTOL)
    assert_allclose(d_g, [float((mp(u) - c) / 5) for u in fake], rtol=GRAD_RTOL)


@pytest.mark.parametrize(("a", "b"), [(-1.0, 1.0), (0.0, 1.0)])
@pytest.mark.parametrize(("p", "q"), WEIGHTS)
def test_lsgan_pointwise_minimiser(a: float, b: float, p: float, q: float) -> None:
    def loss(r: np.ndarray, f: np.ndarray):  # type: ignore[no-untyped-def]
        return lsgan_discriminator_loss(r, f, a=a, b=b)

    res = minimize_scalar(pointwise(loss, p, q), bracket=(-3.0, 3.0), tol=1e-12)
    assert res.success
    # Mao et al. 2017: D* = (b p_data + a p_g) / (p_data + p_g)
    assert_allclose(res.x, (b * p + a * q) / (p + q), rtol=ARGMIN_RTOL, atol=ARGMIN_RTOL)


def test_lsgan_overflow_is_refused_not_inf() -> None:
    with pytest.raises(
        ValueError, match=r"`fake_outputs` is too large in magnitude \(got 1e\+200\)"
    ):
        lsgan_discriminator_loss([0.0], [1e200], a=0.0, b=1.0)
    with pytest.raises(ValueError, match=r"least-squares loss overflows"):
        lsgan_generator_loss([-1e300], c=1.0)


# --- hinge and Wasserstein ---------------------------------------------------------------------


def test_hinge_and_wasserstein_match_reference_including_extremes() -> None:
    rng = np.random.default_rng(63)
    real = rng.choice(OUTPUTS, size=9)
    fake = rng.choice(OUTPUTS, size=6)
    mp = mpmath.mpf
    loss, d_real, d_fake = hinge_discriminator_loss(real, fake)
    expected = mean([max(mp(0), 1 - mp(u)) for u in real]) + mean(
        [max(mp(0), 1 + mp(u)) for u in fake]
    )
    assert_allclose(loss, expected, rtol=VALUE_RTOL)
    assert_allclose(d_real, np.where(real < 1, -1 / 9, 0.0), rtol=GRAD_RTOL)
    assert_allclose(d_fake, np.where(fake > -1, 1 / 6, 0.0), rtol=GRAD_RTOL)
    loss, d_real, d_fake = wasserstein_discriminator_loss(real, fake)
    assert_allclose(
        loss, -(mean([mp(u) for u in real]) - mean([mp(u) for u in fake])), rtol=VALUE_RTOL
    )
    assert_allclose(d_real, np.full(9, -1 / 9), rtol=GRAD_RTOL)
    assert_allclose(d_fake, np.full(6, 1 / 6), rtol=GRAD_RTOL)
    for gen in (hinge_generator_loss, wasserstein_generator_loss):
        loss_g, d_g = gen(fake)
        assert_allclose(loss_g, -mean([mp(u) for u in fake]), rtol=VALUE_RTOL)
        assert_allclose(d_g, np.full(6, -1 / 6), rtol=GRAD_RTOL)


def test_hinge_subgradient_at_the_kinks_is_zero() -> None:
    # the documented convention: at v_real = 1 and v_fake = −1 the flat side's derivative, 0
    _, d_real, d_fake = hinge_discriminator_loss([1.0, 1.0 - 1e-12], [-1.0, -1.0 + 1e-12])
    assert d_real.tolist() == [0.0, -0.5]
    assert d_fake.tolist() == [0.0, 0.5]


@pytest.mark.parametrize(("p", "q"), [(0.3, 0.7), (0.9, 0.1), (2.0, 0.5), (0.0, 1.3), (0.4, 0.0)])
def test_hinge_pointwise_minimiser_is_the_sign(p: float, q: float) -> None:
    phi = pointwise(hinge_discriminator_loss, p, q)
    # piecewise linear and convex: with both weights positive the bounded search converges to
    # the kink at sign(p − q), the unique minimiser; with a zero weight every v beyond the kink
    # is a minimiser, and sign(p − q) is one of them
    res = minimize_scalar(phi, bounds=(-3.0, 3.0), method="bounded", options={"xatol": 1e-10})
    if p > 0 and q > 0:
        assert_allclose(res.x, np.sign(p - q), atol=1e-8)
    else:
        assert phi(float(np.sign(p - q))) <= res.fun
    # minimum 2 min(p, q); phi carries the constant p·B(0) + q·A(0) = p + q
    offset = p + q
    assert_allclose(phi(float(np.sign(p - q))) - offset, 2 * min(p, q), rtol=1e-15, atol=1e-15)


def test_wasserstein_critic_loss_is_the_negated_mean_difference() -> None:
    # A constant shift of the critic does not change L_D (only differences are measured).
    rng = np.random.default_rng(64)
    real, fake = rng.standard_normal(5), rng.standard_normal(4)
    base = wasserstein_discriminator_loss(real, fake)[0]
    assert_allclose(wasserstein_discriminator_loss(real + 3.0, fake + 3.0)[0], base, atol=1e-14)
    assert_allclose(base, fake.mean() - real.mean(), rtol=1e-14)
    with pytest.raises(ValueError, match=r"Wasserstein critic loss overflows"):
        wasserstein_discriminator_loss([-1.5e308], [1.5e308])


# --- gradient checks ---------------------------------------------------------------------------


def _away_from(u: np.ndarray, kinks: tuple[float, ...], margin: float = 1e-3) -> np.ndarray:
    """Move points within ``margin`` of a kink to ``kink + 2·margin``: the check's step is
    1e-5 per unit direction, so every coordinate stays on one side of every kink."""
    for kink in kinks:
        u = np.where(np.abs(u - kink) < margin, kink + 2 * margin, u)
    return u


DISCRIMINATOR_LOSSES = {
    "label_smoothing_one_sided": lambda r, f: label_smoothing_discriminator_loss(r, f, alpha=0.1),
    "label_smoothing_two_sided": lambda r, f: label_smoothing_discriminator_loss(
        r, f, alpha=0.2, beta=0.1
    ),
    "lsgan": lambda r, f: lsgan_discriminator_loss(r, f, a=-1.0, b=1.0),
    "hinge": hinge_discriminator_loss,
    "wasserstein": wasserstein_discriminator_loss,
}
GENERATOR_LOSSES = {
    "maximum_likelihood": maximum_likelihood_generator_loss,
    "lsgan": lambda f: lsgan_generator_loss(f, c=0.0),
    "hinge": hinge_generator_loss,
    "wasserstein": wasserstein_generator_loss,
}


@pytest.mark.parametrize("name", list(DISCRIMINATOR_LOSSES))
def test_discriminator_loss_gradcheck(name: str) -> None:
    loss_fn = DISCRIMINATOR_LOSSES[name]
    rng = np.random.default_rng(65)
    u0 = _away_from(3 * rng.standard_normal((8, 1)), (-1.0, 1.0))  # hinge's kinks

    def value(u: np.ndarray) -> float:
        return loss_fn(u[:5], u[5:])[0]

    def vjp(c: np.ndarray) -> np.ndarray:
        _, d_real, d_fake = loss_fn(u0[:5], u0[5:])
        return c * np.concatenate([d_real, d_fake])

    result = check_vjp(value, vjp, u0, rng=rng)
    assert result.passed, result


@pytest.mark.parametrize("name", list(GENERATOR_LOSSES))
def test_generator_loss_gradcheck(name: str) -> None:
    loss_fn = GENERATOR_LOSSES[name]
    rng = np.random.default_rng(66)
    u0 = 3 * rng.standard_normal((7, 1))
    result = check_vjp(lambda u: loss_fn(u)[0], lambda c: c * loss_fn(u0)[1], u0, rng=rng)
    assert result.passed, result


# --- weight clipping ---------------------------------------------------------------------------


def test_clip_weights_clips_in_place_to_the_box() -> None:
    rng = np.random.default_rng(67)
    w, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    w0, b0 = w.copy(), b.copy()
    ids = (id(w), id(b))
    clip_weights([w, b], c=0.5)
    assert (id(w), id(b)) == ids
    assert_allclose(w, np.minimum(np.maximum(w0, -0.5), 0.5), rtol=0, atol=0)
    assert_allclose(b, np.minimum(np.maximum(b0, -0.5), 0.5), rtol=0, atol=0)
    assert np.abs(w0).max() > 0.5  # the case really clips something


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha=1.0),
            ValueError,
            r"`alpha` must lie in \[0, 1\) \(got 1.0\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha=-0.1),
            ValueError,
            r"`alpha` must lie in \[0, 1\) \(got -0.1\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha=0.1, beta=1.2),
            ValueError,
            r"`beta` must lie in \[0, 1\) \(got 1.2\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha=0.5, beta=0.5),
            ValueError,
            r"`alpha` \+ `beta` must be less than 1, so that the data target 1 - alpha exceeds "
            r"the generated target beta \(got alpha=0.5, beta=0.5\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha=np.nan),
            ValueError,
            r"`alpha` must be a finite real number \(got nan\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([0.0], [0.0], alpha="0.1"),
            TypeError,
            r"`alpha` must be a real number \(got str\)",
        ),
        (
            lambda: label_smoothing_discriminator_loss([np.inf], [0.0], alpha=0.1),
            ValueError,
            r"`real_logits` must be finite \(got 1 non-finite value\(s\), first inf\)",
        ),
        (
            lambda: maximum_likelihood_generator_loss([0.0, 1e4]),
            ValueError,
            r"`fake_logits` must be at most log\(largest float64\) = 709.78 for the "
            r"maximum-likelihood cost exp\(v\) to be finite \(got largest 10000.0\)",
        ),
        (
            lambda: maximum_likelihood_generator_loss([]),
            ValueError,
            r"`fake_logits` must not be empty \(got shape \(0,\)\)",
        ),
        (
            lambda: lsgan_discriminator_loss([0.0], [0.0], a=1.0, b=1.0),
            ValueError,
            r"`a` and `b` must differ: with b = a the least-squares discriminator has no "
            r"discriminating optimum \(got a=1.0, b=1.0\)",
        ),
        (
            lambda: lsgan_discriminator_loss([0.0], [0.0], a=0.0, b=np.inf),
            ValueError,
            r"`b` must be a finite real number \(got inf\)",
        ),
        (
            lambda: lsgan_generator_loss([0.0], c=-np.inf),
            ValueError,
            r"`c` must be a finite real number \(got -inf\)",
        ),
        (
            lambda: lsgan_generator_loss([0.0], c=True),
            TypeError,
            r"`c` must be a real number \(got bool\)",
        ),
        (
            lambda: hinge_discriminator_loss([0.0], [np.nan]),
            ValueError,
            r"`fake_outputs` must be finite \(got 1 non-finite value\(s\), first nan\)",
        ),
        (
            lambda: hinge_discriminator_loss([-1.5e308, -1.5e308], [0.0]),
            ValueError,
            r"the hinge loss overflows float64: `real_outputs` is too large in magnitude "
            r"\(got 1.5e\+308\)",
        ),
        (
            lambda: hinge_generator_loss(np.zeros((0, 1))),
            ValueError,
            r"`fake_outputs` must not be empty \(got shape \(0, 1\)\)",
        ),
        (
            lambda: wasserstein_discriminator_loss([-np.inf], [0.0]),
            ValueError,
            r"`real_outputs` must be finite .*first -inf\)",
        ),
        (
            lambda: wasserstein_generator_loss([np.nan]),
            ValueError,
            r"`fake_outputs` must be finite",
        ),
        (
            lambda: clip_weights([np.ones(2)], c=0.0),
            ValueError,
            r"`c` must be a positive finite number \(got 0.0\)",
        ),
        (
            lambda: clip_weights([np.ones(2)], c=np.inf),
            ValueError,
            r"`c` must be a positive finite number \(got inf\)",
        ),
        (
            lambda: clip_weights([np.ones(2, dtype=np.float16)], c=0.1),
            ValueError,
            r"`params\[0\]` must be a float64 or float32 ndarray \(got float16\)",
        ),
        (lambda: clip_weights([], c=0.1), ValueError, r"`params` must be a non-empty list"),
    ],
)
def test_bad_input_is_refused(call, error: type, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        call()
