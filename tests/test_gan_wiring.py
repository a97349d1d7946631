"""Which step size reaches which network, and the step size of the last step of a decay.

With plain SGD (momentum 0) a step moves the parameters by exactly ``-lr * grad``, and the same
seed gives the same minibatches and gradients: a run that differs only in one step size must
move the parameters of that network, and only that one, by the ratio of the step sizes (up to
the rounding of ``theta - lr * grad``, about eps |theta| against a move of 1e-4 or more: a
relative 1e-11, well inside ``RTOL``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from gantheory.gan import GAN, GANConfig

DATA = stats.norm(2.0, 0.5)
#: Relative agreement of two moves that are equal, or in an exact ratio, in real arithmetic.
RTOL = 1e-8


def _config(**kw: object) -> GANConfig:
    base = dict(optimizer="sgd", momentum=0.0, k=1, m=16, g_hidden=(4,), d_hidden=(4,),
                log_every=1, steps=1)
    return GANConfig(**{**base, **kw})  # type: ignore[arg-type]


def _moves(cfg: GANConfig, steps: int) -> tuple[np.ndarray, np.ndarray, GAN]:
    """``(theta_D after - before, theta_G after - before, gan)`` over ``steps`` iterations."""
    gan = GAN(DATA, config=cfg, rng=np.random.default_rng(7))
    d0, g0 = gan.D.flat_params.copy(), gan.G.flat_params.copy()
    gan.train(steps)
    return gan.D.flat_params - d0, gan.G.flat_params - g0, gan


def test_lr_d_moves_the_discriminator_and_lr_g_the_generator() -> None:
    d_a, g_a, _ = _moves(_config(lr_d=1e-3, lr_g=1e-3), 1)
    d_b, g_b, _ = _moves(_config(lr_d=1e-3, lr_g=4e-3), 1)
    d_c, _, _ = _moves(_config(lr_d=4e-3, lr_g=1e-3), 1)
    assert np.abs(d_a).max() > 1e-6 and np.abs(g_a).max() > 1e-6  # both networks moved
    # the discriminator steps first: its move does not depend on lr_g, and scales with lr_d
    np.testing.assert_array_equal(d_b, d_a)
    np.testing.assert_allclose(d_c, 4 * d_a, rtol=RTOL, atol=0)
    # the generator steps against the same discriminator in a and b: 4 x lr_g, 4 x the move
    np.testing.assert_allclose(g_b, 4 * g_a, rtol=RTOL, atol=0)


def test_the_last_step_of_a_decay_uses_lr_times_lr_decay() -> None:
    """Two steps with lr_decay = 1e-4: the first at the full step sizes, the last at 1e-4 of
    them. Against a run without decay (same first step, same minibatches), the discriminator's
    last move is exactly 1e-4 of the undecayed one; the generator's, which follows a slightly
    different discriminator, is within 10% of that (the wrong exponent 1/2 would give 1e-2)."""
    decay = 1e-4
    lrs = dict(lr_d=1e-2, lr_g=3e-3)
    _, _, first = _moves(_config(**lrs, lr_decay=decay), 1)  # the first step alone
    d1, g1 = first.D.flat_params.copy(), first.G.flat_params.copy()
    _, _, decayed = _moves(_config(**lrs, lr_decay=decay, steps=2), 2)
    _, _, plain = _moves(_config(**lrs, steps=2), 2)
    last_d, plain_d = decayed.D.flat_params - d1, plain.D.flat_params - d1
    last_g, plain_g = decayed.G.flat_params - g1, plain.G.flat_params - g1
    assert np.abs(plain_d).max() > 1e-6 and np.abs(plain_g).max() > 1e-6
    np.testing.assert_allclose(last_d, decay * plain_d, rtol=1e-6, atol=0)
    np.testing.assert_allclose(last_g, decay * plain_g, rtol=0.1, atol=0)
    # the step sizes are restored after training
    assert decayed.opt_D.config.lr == lrs["lr_d"] and decayed.opt_G.config.lr == lrs["lr_g"]
