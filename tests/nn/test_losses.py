"""Tests of gantheory.nn.losses against high-precision references, at extreme logits, by
gradient checks, and for bad input."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_allclose

from gantheory.nn import (
    bce_with_logits,
    check_vjp,
    discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)

mpmath.mp.dps = 50

#: Loss values are means of softplus terms; each term is computed by logaddexp to within a few
#: ulps, so the mean agrees with the 50-digit reference to ~n·eps relative; 1e-14 for n ≤ 20.
VALUE_RTOL = 1e-14
#: Gradients are sigmoids divided by n, accurate to a few ulps (expit is correctly rounded to
#: within ~1 ulp).
GRAD_RTOL = 1e-15
#: Sigmoids of logits beyond ±709 are subnormal or zero; differences there are below 1e-300.
SUBNORMAL_ATOL = 1e-300
#: Logits probing both tails, the centre, and the overflow range of exp (|ℓ| > 709).
LOGITS = np.array([-1e4, -800.0, -40.0, -3.0, -0.5, 0.0, 0.25, 2.0, 37.0, 710.0, 1e4])


def mp_softplus(u: float) -> mpmath.mpf:
    return mpmath.log1p(mpmath.exp(mpmath.mpf(u)))


def mp_sigmoid(u: float) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-mpmath.mpf(u)))


def mean(values: list) -> float:
    return float(mpmath.fsum(values) / len(values))


def test_bce_matches_50_digit_reference_including_extreme_logits() -> None:
    rng = np.random.default_rng(40)
    targets = rng.uniform(0, 1, LOGITS.size)
    targets[:3], targets[-3:] = 1.0, 0.0  # exercise both saturated directions exactly
    loss, grad = bce_with_logits(LOGITS, targets)
    terms = [
        t * mp_softplus(-u) + (1 - t) * mp_softplus(u) for u, t in zip(LOGITS, targets, strict=True)
    ]
    assert_allclose(loss, mean(terms), rtol=VALUE_RTOL, atol=0)
    expected = [
        float((mp_sigmoid(u) - t) / LOGITS.size) for u, t in zip(LOGITS, targets, strict=True)
    ]
    # With fractional targets the gradient is a difference of two terms of size ≤ 1/n, so its
    # error is absolute, a few ulps of 1/n, rather than relative.
    assert_allclose(grad, expected, rtol=GRAD_RTOL, atol=4 * np.finfo(float).eps / LOGITS.size)


def test_bce_has_no_cancellation_for_confident_correct_logits() -> None:
    # −log σ(40) = log1p(e^−40) ≈ 4.25e-18: ζ(ℓ) − tℓ would give exactly 0 here.
    loss, _ = bce_with_logits(np.array([40.0]), np.array([1.0]))
    assert_allclose(loss, float(mp_softplus(-40.0)), rtol=VALUE_RTOL)


def test_discriminator_loss_matches_reference_and_bce_identity() -> None:
    rng = np.random.default_rng(41)
    real = rng.choice(LOGITS, size=(9, 1))
    fake = rng.choice(LOGITS, size=(6, 1))
    loss, d_real, d_fake = discriminator_loss(real, fake)
    expected = mean([mp_softplus(-u) for u in real.ravel()]) + mean(
        [mp_softplus(u) for u in fake.ravel()]
    )
    assert_allclose(loss, expected, rtol=VALUE_RTOL)
    assert d_real.shape == real.shape and d_fake.shape == fake.shape
    assert_allclose(
        d_real.ravel(),
        [float(-mp_sigmoid(-u) / 9) for u in real.ravel()],
        rtol=GRAD_RTOL,
        atol=SUBNORMAL_ATOL,
    )
    assert_allclose(
        d_fake.ravel(),
        [float(mp_sigmoid(u) / 6) for u in fake.ravel()],
        rtol=GRAD_RTOL,
        atol=SUBNORMAL_ATOL,
    )
    # L_D = BCE(real, 1) + BCE(fake, 0), each a mean over its own batch.
    l_real, g_real = bce_with_logits(real, np.ones_like(real))
    l_fake, g_fake = bce_with_logits(fake, np.zeros_like(fake))
    assert_allclose(loss, l_real + l_fake, rtol=VALUE_RTOL)
    assert_allclose(d_real, g_real, rtol=1e-15, atol=SUBNORMAL_ATOL)
    assert_allclose(d_fake, g_fake, rtol=1e-15, atol=SUBNORMAL_ATOL)


def test_generator_losses_match_reference() -> None:
    fake = LOGITS.reshape(-1, 1)
    k = fake.size
    loss_mm, g_mm = minimax_generator_loss(fake)
    assert_allclose(loss_mm, -mean([mp_softplus(u) for u in LOGITS]), rtol=VALUE_RTOL)
    assert_allclose(g_mm.ravel(), [float(-mp_sigmoid(u) / k) for u in LOGITS], rtol=GRAD_RTOL)
    loss_ns, g_ns = nonsaturating_generator_loss(fake)
    assert_allclose(loss_ns, mean([mp_softplus(-u) for u in LOGITS]), rtol=VALUE_RTOL)
    assert_allclose(
        g_ns.ravel(),
        [float(-mp_sigmoid(-u) / k) for u in LOGITS],
        rtol=GRAD_RTOL,
        atol=SUBNORMAL_ATOL,
    )


def test_saturation_contrast_of_the_two_generator_losses() -> None:
    # When D confidently rejects the samples (ℓ ≪ 0) the minimax gradient vanishes while the
    # non-saturating one stays at −1/k per sample (Goodfellow et al. 2014, Section 3).
    fake = np.full(4, -30.0)
    _, g_mm = minimax_generator_loss(fake)
    _, g_ns = nonsaturating_generator_loss(fake)
    assert np.abs(g_mm).max() < 1e-13
    assert_allclose(g_ns, -0.25, rtol=1e-12)


def test_losses_are_means_over_the_batch() -> None:
    rng = np.random.default_rng(42)
    fake = rng.standard_normal(5)
    loss, grad = nonsaturating_generator_loss(fake)
    loss2, grad2 = nonsaturating_generator_loss(np.concatenate([fake, fake]))
    assert_allclose(loss2, loss, rtol=1e-15)
    assert_allclose(grad2[:5], grad / 2, rtol=1e-15)


@pytest.mark.parametrize(
    "loss_fn",
    [
        lambda u: bce_with_logits(u, np.linspace(0, 1, u.size).reshape(u.shape)),
        lambda u: (*discriminator_loss(u[:3], u[3:])[:2], None),
        minimax_generator_loss,
        nonsaturating_generator_loss,
    ],
    ids=["bce", "discriminator", "minimax", "nonsaturating"],
)
def test_loss_gradcheck(loss_fn) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(43)
    u0 = 3 * rng.standard_normal((7, 1))

    def value(u: np.ndarray) -> float:
        return loss_fn(u)[0]

    def vjp(c: np.ndarray) -> np.ndarray:
        return c * _full_gradient(loss_fn, u0)

    result = check_vjp(value, vjp, u0, rng=rng)
    assert result.passed, result


def _full_gradient(loss_fn, u: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    out = loss_fn(u)
    if out[-1] is None:  # discriminator: re-assemble the two logit gradients
        _, d_real, d_fake = discriminator_loss(u[:3], u[3:])
        return np.concatenate([d_real, d_fake])
    return out[1]


def test_gradcheck_detects_a_gradient_missing_the_batch_mean() -> None:
    rng = np.random.default_rng(44)
    u0 = rng.standard_normal(6)
    result = check_vjp(
        lambda u: nonsaturating_generator_loss(u)[0],
        lambda c: c * nonsaturating_generator_loss(u0)[1] * u0.size,  # forgot the 1/n
        u0,
        rng=rng,
    )
    assert result.max_rel_error > 0.5


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: bce_with_logits([np.nan], [1.0]),
            r"`logits` must be finite \(got 1 non-finite value\(s\), first nan\)",
        ),
        (
            lambda: bce_with_logits([1.0, 2.0], [1.0]),
            r"`targets` must have shape \(2,\) \(got \(1,\)\)",
        ),
        (lambda: bce_with_logits([1.0], [1.5]), r"`targets` must lie in \[0, 1\] \(got 1.5\)"),
        (lambda: bce_with_logits([], []), r"`logits` must not be empty \(got shape \(0,\)\)"),
        (
            lambda: discriminator_loss([0.0], [np.inf]),
            r"`fake_logits` must be finite .*first inf\)",
        ),
        (
            lambda: discriminator_loss([-np.inf], [0.0]),
            r"`real_logits` must be finite .*first -inf\)",
        ),
        (lambda: minimax_generator_loss([np.nan, 0.0]), r"`fake_logits` must be finite"),
        (
            lambda: nonsaturating_generator_loss(np.zeros((0, 1))),
            r"`fake_logits` must not be empty",
        ),
    ],
)
def test_losses_reject_bad_input(call, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        call()
