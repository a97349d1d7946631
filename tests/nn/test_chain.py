"""The generator → discriminator chain: the generator's gradient flows back *through* D into
G's parameters (Goodfellow et al. 2014, Algorithm 1). Checked by finite differences of the
whole composition, and end to end by a short training run."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from gantheory.nn import (
    MLP,
    Adam,
    check_param_vjp,
    check_vjp,
    discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)

GENERATOR_LOSSES = {
    "nonsaturating": nonsaturating_generator_loss,
    "minimax": minimax_generator_loss,
}


def make_pair(seed: int) -> tuple[MLP, MLP, np.random.Generator]:
    rng = np.random.default_rng(seed)
    G = MLP([1, 16, 16, 1], "tanh", rng=rng)
    D = MLP([1, 16, 16, 1], "tanh", rng=rng)
    for net in (G, D):
        for b in net.params[1::2]:
            b[...] = 0.1 * rng.standard_normal(b.shape)
    return G, D, rng


@pytest.mark.parametrize("loss_name", sorted(GENERATOR_LOSSES))
def test_generator_loss_gradient_through_discriminator(loss_name: str) -> None:
    loss_fn = GENERATOR_LOSSES[loss_name]
    G, D, rng = make_pair(70)
    z = rng.standard_normal((12, 1))
    D.grads[0][...] = 7.0  # sentinel: the generator step must not touch D's gradients

    def loss() -> float:
        return loss_fn(D.forward(G.forward(z)))[0]

    def vjp(c: np.ndarray) -> list[np.ndarray]:
        _, dL_dlogits = loss_fn(D.forward(G.forward(z)))
        dL_dfake = D.backward(dL_dlogits, param_grads=False)  # through D, (12, 1)
        G.backward(dL_dfake)  # into G's parameters
        return [c * g for g in G.grads]

    result = check_param_vjp(loss, vjp, G.params, rng=rng)
    assert result.passed, result
    assert_array_equal(D.grads[0], 7.0)


def test_generator_loss_gradient_with_respect_to_the_noise() -> None:
    G, D, rng = make_pair(71)
    z0 = rng.standard_normal((9, 1))

    def vjp(c: np.ndarray) -> np.ndarray:
        _, dL_dlogits = nonsaturating_generator_loss(D.forward(G.forward(z0)))
        return c * G.backward(D.backward(dL_dlogits, param_grads=False))

    result = check_vjp(
        lambda z: nonsaturating_generator_loss(D.forward(G.forward(z)))[0], vjp, z0, rng=rng
    )
    assert result.passed, result


def test_discriminator_loss_gradient_on_a_stacked_batch() -> None:
    # D sees [real; G(z)] as one batch; L_D = mean ζ(−ℓ_real) + mean ζ(ℓ_fake).
    G, D, rng = make_pair(72)
    real = 2.0 + 0.5 * rng.standard_normal((10, 1))
    fake = G.forward(rng.standard_normal((10, 1)))
    x = np.vstack([real, fake])

    def loss() -> float:
        logits = D.forward(x)
        return discriminator_loss(logits[:10], logits[10:])[0]

    def vjp(c: np.ndarray) -> list[np.ndarray]:
        logits = D.forward(x)
        _, d_real, d_fake = discriminator_loss(logits[:10], logits[10:])
        D.backward(np.vstack([d_real, d_fake]))
        return [c * g for g in D.grads]

    result = check_param_vjp(loss, vjp, D.params, rng=rng)
    assert result.passed, result


def test_a_chain_that_skips_the_discriminator_backward_is_detected() -> None:
    # The bug: feeding dL/dlogits straight into G (shapes agree, (n, 1)) instead of dL/dfake.
    G, D, rng = make_pair(73)
    z = rng.standard_normal((12, 1))

    def buggy_vjp(c: np.ndarray) -> list[np.ndarray]:
        _, dL_dlogits = nonsaturating_generator_loss(D.forward(G.forward(z)))
        G.backward(dL_dlogits)
        return [c * g for g in G.grads]

    result = check_param_vjp(
        lambda: nonsaturating_generator_loss(D.forward(G.forward(z)))[0],
        buggy_vjp,
        G.params,
        rng=rng,
    )
    assert result.max_rel_error > 1e-3


def test_short_gan_training_moves_the_generator_to_the_data() -> None:
    # Data N(2, 0.5²); G starts near 0. 600 alternating steps of Algorithm 1 (k = 1, the
    # non-saturating generator loss, Adam) must bring the mean of G(z) within 0.25 of 2. A wrong
    # sign anywhere in the chain sends G away from the data instead.
    G, D, rng = make_pair(74)
    opt_G = Adam([G.flat_params], lr=5e-3, betas=(0.5, 0.999))
    opt_D = Adam([D.flat_params], lr=5e-3, betas=(0.5, 0.999))
    n = 64
    start = float(G.forward(rng.standard_normal((1000, 1))).mean())
    for _ in range(600):
        real = 2.0 + 0.5 * rng.standard_normal((n, 1))
        logits = D.forward(np.vstack([real, G.forward(rng.standard_normal((n, 1)))]))
        _, d_real, d_fake = discriminator_loss(logits[:n], logits[n:])
        D.backward(np.vstack([d_real, d_fake]))
        opt_D.step([D.flat_grads])
        _, dL_dlogits = nonsaturating_generator_loss(
            D.forward(G.forward(rng.standard_normal((n, 1))))
        )
        G.backward(D.backward(dL_dlogits, param_grads=False))
        opt_G.step([G.flat_grads])
    end = float(G.forward(rng.standard_normal((1000, 1))).mean())
    assert abs(start - 2.0) > 1.0
    assert abs(end - 2.0) < 0.25, (start, end)
