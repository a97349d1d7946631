"""Tests of gantheory.nn.optim against hand-computed updates on small quadratics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gantheory.nn import MLP, SGD, Adam, AdamConfig, SGDConfig

#: The implementations fold constants differently from the textbook loops below (e.g. Adam's
#: bias corrections into α_t and ε̂_t), so the iterates differ by rounding only: a few ulps per
#: step, accumulated over ≤ 25 steps of a contraction. 1e-13 relative is ~450 ulps.
ITERATE_RTOL = 1e-13

# Quadratic f(θ) = ½ Σ a_i θ_i² − Σ c_i θ_i with gradient a ⊙ θ − c (minimum at c / a).
A = [2.0, 0.5, 10.0]
C = [1.0, -1.0, 0.0]


def grad(theta: list[float]) -> list[float]:
    return [a * t - c for a, t, c in zip(A, theta, C, strict=True)]


def test_sgd_momentum_first_steps_by_hand() -> None:
    # f(θ) = θ², g = 2θ, η = 0.1, μ = 0.9, θ0 = 1:
    # v1 = 2,               θ1 = 1 − 0.2 = 0.8
    # v2 = 0.9·2 + 1.6 = 3.4,   θ2 = 0.8 − 0.34 = 0.46
    # v3 = 0.9·3.4 + 0.92 = 3.98, θ3 = 0.46 − 0.398 = 0.062
    theta = np.array([1.0])
    opt = SGD([theta], lr=0.1, momentum=0.9)
    seen = []
    for _ in range(3):
        opt.step([2 * theta])
        seen.append(theta[0])
    assert_allclose(seen, [0.8, 0.46, 0.062], rtol=1e-14)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_sgd_matches_a_plain_loop(momentum: float) -> None:
    lr = 0.05
    theta_ref, v_ref = [0.3, -2.0, 1.5], [0.0, 0.0, 0.0]
    theta = np.array(theta_ref)
    opt = SGD([theta], lr=lr, momentum=momentum)
    for _ in range(25):
        g = grad(theta_ref)
        v_ref = [momentum * v + gi for v, gi in zip(v_ref, g, strict=True)]
        theta_ref = [t - lr * v for t, v in zip(theta_ref, v_ref, strict=True)]
        opt.step([np.array(grad(list(theta)))])
        assert_allclose(theta, theta_ref, rtol=ITERATE_RTOL)


def textbook_adam(theta, steps, lr, beta1, beta2, eps):  # type: ignore[no-untyped-def]
    """Kingma & Ba 2015, Algorithm 1, written out coordinate by coordinate."""
    m, v, history = [0.0] * len(theta), [0.0] * len(theta), []
    for t in range(1, steps + 1):
        g = grad(theta)
        for i in range(len(theta)):
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            theta[i] = theta[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        history.append(list(theta))
    return history


@pytest.mark.parametrize(
    ("lr", "betas", "eps"),
    [(1e-3, (0.9, 0.999), 1e-8), (0.1, (0.5, 0.999), 1e-8), (0.05, (0.0, 0.9), 1e-3)],
)
def test_adam_matches_the_textbook_loop(lr: float, betas: tuple[float, float], eps: float) -> None:
    start = [0.3, -2.0, 1.5]
    expected = textbook_adam(list(start), 25, lr, *betas, eps)
    theta = np.array(start)
    opt = Adam([theta], lr=lr, betas=betas, eps=eps)
    for t, theta_ref in enumerate(expected, start=1):
        opt.step([np.array(grad(list(theta)))])
        assert opt.t == t
        assert_allclose(theta, theta_ref, rtol=ITERATE_RTOL)


def test_adam_first_step_by_hand() -> None:
    # After one step m̂ = g and v̂ = g², so θ1 = θ0 − α g / (|g| + ε) ≈ θ0 − α sign(g).
    theta = np.array([1.0, -3.0])
    Adam([theta], lr=0.01, betas=(0.5, 0.999), eps=1e-8).step([np.array([4.0, -0.5])])
    assert_allclose(
        theta, [1.0 - 0.01 * 4 / (4 + 1e-8), -3.0 + 0.01 * 0.5 / (0.5 + 1e-8)], rtol=1e-15
    )


def test_adam_on_an_mlp_flat_vector_equals_per_array_updates() -> None:
    rng = np.random.default_rng(50)
    a = MLP([2, 5, 1], rng=np.random.default_rng(3))
    b = MLP([2, 5, 1], rng=np.random.default_rng(3))
    opt_a = Adam([a.flat_params], lr=0.01, betas=(0.5, 0.999))
    opt_b = Adam(b.params, lr=0.01, betas=(0.5, 0.999))
    for _ in range(5):
        x = rng.standard_normal((8, 2))
        for net in (a, b):
            net.forward(x)
            net.backward(np.ones((8, 1)))
        opt_a.step([a.flat_grads])
        opt_b.step(b.grads)
    assert_array_equal(a.flat_params, b.flat_params)  # elementwise ops: identical roundings


def test_updates_happen_in_place() -> None:
    theta = np.array([1.0, 2.0])
    view = theta[:]
    SGD([theta], lr=0.5).step([np.array([1.0, 1.0])])
    assert_array_equal(view, [0.5, 1.5])
    Adam(theta, lr=0.5).step(np.array([1.0, 1.0]))  # a bare array is one parameter
    assert_allclose(view, [0.0, 1.0], rtol=0, atol=1e-8)


def test_configs_are_frozen_dataclasses() -> None:
    assert Adam([np.zeros(1)], betas=[0.5, 0.9]).config == AdamConfig(1e-3, (0.5, 0.9), 1e-8)
    assert SGD([np.zeros(1)], lr=0.1).config == SGDConfig(lr=0.1, momentum=0.0)
    with pytest.raises(AttributeError):
        SGDConfig(lr=0.1).lr = 0.2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: SGD(p, lr=0.0), r"`lr` must be a positive finite number \(got 0.0\)"),
        (lambda p: SGD(p, lr=-1e-3), r"`lr` must be a positive finite number \(got -0.001\)"),
        (lambda p: Adam(p, lr=float("nan")), r"`lr` must be .* \(got nan\)"),
        (lambda p: Adam(p, lr=True), r"`lr` must be .* \(got True\)"),
        (lambda p: SGD(p, lr=0.1, momentum=1.0), r"`momentum` must lie in \[0, 1\) \(got 1.0\)"),
        (lambda p: SGD(p, lr=0.1, momentum=-0.5), r"`momentum` must lie in \[0, 1\) \(got -0.5\)"),
        (
            lambda p: Adam(p, betas=(0.9, 1.0)),
            r"`betas` must be two numbers in \[0, 1\) \(got \(0.9, 1.0\)\)",
        ),
        (
            lambda p: Adam(p, betas=(-0.1, 0.9)),
            r"`betas` must be two numbers .*\(got \(-0.1, 0.9\)\)",
        ),
        (lambda p: Adam(p, betas=(0.9,)), r"`betas` must be two numbers .*\(got \(0.9,\)\)"),
        (lambda p: Adam(p, betas=0.9), r"`betas` must be two numbers .*\(got 0.9\)"),
        (lambda p: Adam(p, eps=0.0), r"`eps` must be a positive finite number \(got 0.0\)"),
        (lambda p: Adam([], lr=0.1), r"`params` must be a non-empty list"),
        (
            lambda p: Adam([np.zeros(2, dtype=np.float16)]),
            r"`params\[0\]` must be a float64 or float32 ndarray \(got float16\)",
        ),
    ],
)
def test_constructors_reject_bad_hyperparameters(make, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        make([np.zeros(2)])


@pytest.mark.parametrize("opt_cls", [SGD, Adam])
def test_step_rejects_mismatched_gradients(opt_cls: type) -> None:
    opt = opt_cls([np.zeros((2, 3)), np.zeros(3)], lr=0.1)
    with pytest.raises(ValueError, match=r"`grads` must hold 2 arrays like `params` \(got 1\)"):
        opt.step([np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"`grads\[1\]` must have shape \(3,\) \(got \(4,\)\)"):
        opt.step([np.zeros((2, 3)), np.zeros(4)])
