"""The measurements behind the trained checks of the other objectives."""

from __future__ import annotations

import dataclasses

import numpy as np

from gantheory.checks import objectives_empirical as oe
from gantheory.gan import GAN, GANConfig


def test_weighted_error_is_the_mixture_weighted_mean() -> None:
    r = oe.e1_run("hinge", 0)
    shifted = dataclasses.replace(r, d_theta=r.d_star + 0.25)
    assert abs(oe.weighted_error(shifted) - 0.25) <= 1e-15
    # weights are the mixture: an error only where p_data + p_g is negligible barely counts
    far = np.where(r.x > r.x[-1] - 0.01, 1.0, 0.0)
    tail = dataclasses.replace(r, d_theta=r.d_star + far)
    assert oe.weighted_error(tail) < 1e-3


def test_critic_slope_is_the_derivative_of_the_critic() -> None:
    cfg = GANConfig(objective="wasserstein", clip=0.5, steps=5, m=16)
    gan = GAN(oe.E2_DATA, config=cfg, rng=np.random.default_rng(3)).train()
    f = gan.discriminator()
    x = np.linspace(-3, 3, 13)
    h = 1e-6
    fd = (f(x + h) - f(x - h)) / (2 * h)  # central differences: error O(h^2 f''') + rounding
    np.testing.assert_allclose(oe.critic_slope(gan.D, x), fd, rtol=1e-6, atol=1e-9)


def test_the_clipped_critic_stays_below_w1_on_the_crossing_pair() -> None:
    r = oe.wgan_critic_run(0, 1.5)
    err = r.estimate_abserr / r.lipschitz + r.w1_abserr
    assert r.ratio <= r.w1 + err
    # it measures the first moment: a nearly linear critic gives |E_P x - E_Q x| = 1
    assert abs(r.ratio - 1.0) < 1e-3 < r.w1 - r.ratio
