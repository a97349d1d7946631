"""Tests of gantheory.nn.norm.BatchNorm: the forward rule against a per-channel reference, the
running statistics, both modes' backward rules by gradient checks and by the invariances of batch
normalisation, bad input, and (if installed) PyTorch."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gantheory.nn import BatchNorm, check_module

EPS = np.finfo(np.float64).eps
#: Means and variances of ≤ 60 O(1) values computed in another order, then divided by a square
#: root: agreement to a few hundred ulps relative to the O(1) outputs.
STATS_ATOL = 1e-13

SHAPES = [(6, 3), (2, 3, 4, 5), (1, 3, 3, 3), (5, 3, 1, 1)]


def make_bn(rng: np.random.Generator, *, momentum: float = 0.1, eps: float = 1e-5) -> BatchNorm:
    bn = BatchNorm(3, eps=eps, momentum=momentum)
    bn.gamma[...] = rng.uniform(0.5, 2.0, 3) * rng.choice([-1.0, 1.0], 3)
    bn.beta[...] = rng.standard_normal(3)
    return bn


def reference_batch_stats(x: np.ndarray) -> tuple[list[float], list[float]]:
    """Per-channel mean and biased variance by math.fsum over the channel's values."""
    means, variances = [], []
    for c in range(x.shape[1]):
        values = x[:, c].ravel().tolist()
        mu = math.fsum(values) / len(values)
        means.append(mu)
        variances.append(math.fsum((v - mu) ** 2 for v in values) / len(values))
    return means, variances


def reference_normalise(x, means, variances, gamma, beta, eps):  # type: ignore[no-untyped-def]
    y = np.empty_like(x)
    for c in range(x.shape[1]):
        y[:, c] = gamma[c] * (x[:, c] - means[c]) / math.sqrt(variances[c] + eps) + beta[c]
    return y


@pytest.mark.parametrize("shape", SHAPES)
def test_training_forward_matches_the_per_channel_definition(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(200)
    bn = make_bn(rng)
    x = 3.0 + 2.0 * rng.standard_normal(shape)
    means, variances = reference_batch_stats(x)
    want = reference_normalise(x, means, variances, bn.gamma, bn.beta, bn.eps)
    assert_allclose(bn.forward(x), want, rtol=0, atol=STATS_ATOL)


@pytest.mark.parametrize("shape", SHAPES)
def test_running_statistics_use_the_unbiased_batch_variance(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(201)
    bn = make_bn(rng, momentum=0.3)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(3):
        x = rng.uniform(-1.0, 4.0, size=shape)
        bn.forward(x)
        m = x.size // 3
        means, variances = reference_batch_stats(x)
        mean = 0.7 * mean + 0.3 * np.array(means)
        var = 0.7 * var + 0.3 * np.array(variances) * m / (m - 1)
    assert_allclose(bn.running_mean, mean, rtol=0, atol=STATS_ATOL)
    assert_allclose(bn.running_var, var, rtol=0, atol=STATS_ATOL)


@pytest.mark.parametrize("shape", [*SHAPES, (1, 3)])
def test_evaluation_mode_uses_the_running_statistics(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(202)
    bn = make_bn(rng)
    bn.running_mean[...] = rng.standard_normal(3)
    bn.running_var[...] = rng.uniform(0.2, 3.0, 3)
    before = bn.running_mean.copy(), bn.running_var.copy()
    assert bn.eval() is bn and not bn.training
    x = rng.standard_normal(shape)
    want = reference_normalise(x, bn.running_mean, bn.running_var, bn.gamma, bn.beta, bn.eps)
    assert_allclose(bn.forward(x), want, rtol=0, atol=STATS_ATOL)
    assert_array_equal(bn.running_mean, before[0])  # not updated in evaluation mode
    assert_array_equal(bn.running_var, before[1])
    assert bn.train() is bn and bn.training


def test_training_output_has_the_target_moments() -> None:
    # per channel: mean β and variance γ² σ²/(σ² + ε) (ε = 0.1 to make the factor visible)
    rng = np.random.default_rng(203)
    bn = make_bn(rng, eps=0.1)
    x = 2.0 + rng.standard_normal((4, 3, 5, 5))
    _, variances = reference_batch_stats(x)
    y = bn.forward(x)
    assert_allclose(y.mean(axis=(0, 2, 3)), bn.beta, rtol=0, atol=STATS_ATOL)
    want = bn.gamma**2 * np.array(variances) / (np.array(variances) + 0.1)
    assert_allclose(y.var(axis=(0, 2, 3)), want, rtol=1e-12)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_gradcheck_input_and_params(shape: tuple[int, ...], mode: str) -> None:
    rng = np.random.default_rng(204)
    bn = make_bn(rng)
    bn.running_mean[...] = rng.standard_normal(3)
    bn.running_var[...] = rng.uniform(0.5, 2.0, 3)
    bn.train(mode == "train")
    wrt_x, wrt_params = check_module(bn, rng.standard_normal(shape), rng=rng, n_directions=4)
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


def test_training_backward_respects_the_invariances() -> None:
    # y does not change when a constant is added to a channel of x, so Σ dL/dx = 0 per channel;
    # scaling x − μ by λ changes x̂ only through ε: d/dλ at λ = 1 gives
    # Σ dL/dx (x − μ) = γ ε / (σ² + ε) Σ g x̂ per channel (ε = 0.5 to make it large).
    rng = np.random.default_rng(205)
    bn = make_bn(rng, eps=0.5)
    x = rng.standard_normal((3, 3, 4, 2))
    y = bn.forward(x)
    g = rng.standard_normal(y.shape)
    dL_dx = bn.backward(g)
    means, variances = reference_batch_stats(x)
    for c in range(3):
        scale = np.abs(dL_dx[:, c]).sum()
        assert abs(math.fsum(dL_dx[:, c].ravel())) <= 100 * EPS * scale
        x_hat = (x[:, c] - means[c]) / math.sqrt(variances[c] + 0.5)
        lhs = math.fsum((dL_dx[:, c] * (x[:, c] - means[c])).ravel())
        rhs = bn.gamma[c] * 0.5 / (variances[c] + 0.5) * math.fsum((g[:, c] * x_hat).ravel())
        assert abs(lhs - rhs) <= 1e-12 * abs(rhs)


def test_parameter_gradients_and_backward_options() -> None:
    rng = np.random.default_rng(206)
    bn = make_bn(rng)
    x = rng.standard_normal((4, 3, 2, 3))
    y = bn.forward(x)
    g = rng.standard_normal(y.shape)
    dL_dx = bn.backward(g)
    x_hat = (y - bn.beta[None, :, None, None]) / bn.gamma[None, :, None, None]
    assert_allclose(bn.dL_dbeta, g.sum(axis=(0, 2, 3)), rtol=1e-13)
    assert_allclose(bn.dL_dgamma, (g * x_hat).sum(axis=(0, 2, 3)), rtol=1e-12)
    grads = [a.copy() for a in bn.grads]
    assert_array_equal(bn.backward(2 * g, param_grads=False), 2 * dL_dx)  # 2·g: exact
    assert bn.backward(g, input_grad=False) is None
    for a, b in zip(bn.grads, grads, strict=True):
        assert_array_equal(a, b)


def test_backward_uses_the_mode_of_its_forward_pass() -> None:
    # a forward pass in training mode is differentiated through the batch statistics even if
    # the layer is switched to evaluation mode before the backward pass
    rng = np.random.default_rng(207)
    bn = make_bn(rng)
    x = rng.standard_normal((5, 3))
    g = rng.standard_normal((5, 3))
    bn.forward(x)
    through_stats = bn.backward(g)
    bn.eval()
    assert_array_equal(bn.backward(g), through_stats)
    bn.forward(x)
    assert_allclose(bn.backward(g), g * bn.gamma / np.sqrt(bn.running_var + bn.eps), rtol=1e-15)


def test_defaults_and_deep_copy() -> None:
    bn = BatchNorm(4)
    assert bn.training and bn.eps == 1e-5 and bn.momentum == 0.1
    assert_array_equal(bn.gamma, np.ones(4))
    assert_array_equal(bn.beta, np.zeros(4))
    assert_array_equal(bn.running_mean, np.zeros(4))
    assert_array_equal(bn.running_var, np.ones(4))
    assert [p.shape for p in bn.params] == [(4,), (4,)] == [g.shape for g in bn.grads]
    bn.forward(np.arange(8.0).reshape(2, 4))
    twin = copy.deepcopy(bn)
    assert np.shares_memory(twin.gamma, twin.flat_params)
    twin.gamma[...] = 5.0
    twin.forward(np.ones((2, 4)))
    assert_array_equal(bn.gamma, np.ones(4))
    assert not np.array_equal(twin.running_mean, bn.running_mean)


@pytest.mark.parametrize(
    ("shape", "match"),
    [
        ((1, 3), r"`x` must hold more than one value per channel in training mode, .*"
         r"\(got shape \(1, 3\)\)"),
        ((1, 3, 1, 1), r"`x` must hold more than one value .*\(got shape \(1, 3, 1, 1\)\)"),
        ((5,), r"`x` must have 2 dimensions \(batch, channels\) or 4 .*\(got shape \(5,\)\)"),
        ((2, 3, 4), r"`x` must have 2 dimensions .*\(got shape \(2, 3, 4\)\)"),
        ((4, 2), r"`x` must have 3 channels on axis 1 \(got shape \(4, 2\)\)"),
        ((4, 5, 5, 3), r"`x` must have 3 channels on axis 1 \(got shape \(4, 5, 5, 3\)\)"),
        ((0, 3), r"`x` must not be empty \(got shape \(0, 3\)\)"),
    ],
)
def test_forward_rejects_bad_input(shape: tuple[int, ...], match: str) -> None:
    bn = BatchNorm(3)
    with pytest.raises(ValueError, match=match):
        bn.forward(np.ones(shape))
    assert_array_equal(bn.running_mean, np.zeros(3))  # a rejected batch leaves no trace


def test_a_single_sample_is_fine_with_an_image_or_in_evaluation_mode() -> None:
    bn = BatchNorm(3)
    assert bn.forward(np.ones((1, 3, 2, 1))).shape == (1, 3, 2, 1)
    assert bn.eval().forward(np.ones((1, 3))).shape == (1, 3)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_features": 0}, r"`num_features` must be a positive integer \(got 0\)"),
        ({"num_features": 2.5}, r"`num_features` must be a positive integer \(got 2.5\)"),
        ({"eps": 0.0}, r"`eps` must be a positive finite number \(got 0.0\)"),
        ({"eps": float("inf")}, r"`eps` must be a positive finite number \(got inf\)"),
        ({"momentum": 1.5}, r"`momentum` must lie in \[0, 1\] \(got 1.5\)"),
        ({"momentum": -0.1}, r"`momentum` must lie in \[0, 1\] \(got -0.1\)"),
        ({"momentum": None}, r"`momentum` must lie in \[0, 1\] \(got None\)"),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        BatchNorm(**({"num_features": 3} | kwargs))


def test_backward_needs_a_forward_and_the_output_shape() -> None:
    bn = BatchNorm(3)
    with pytest.raises(RuntimeError, match="needs a `forward` first"):
        bn.backward(np.ones((4, 3)))
    bn.forward(np.arange(12.0).reshape(4, 3))
    with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(4, 3\) \(got \(3, 4\)\)"):
        bn.backward(np.ones((3, 4)))
    with pytest.raises(ValueError, match="`mode` must be True or False"):
        bn.train("eval")  # type: ignore[arg-type]


@pytest.mark.parametrize("shape", SHAPES[:3])
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_forward_backward_and_running_statistics_match_pytorch(
    shape: tuple[int, ...], mode: str
) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(208)
    bn = make_bn(rng, momentum=0.2)
    bn.running_mean[...] = rng.standard_normal(3)
    bn.running_var[...] = rng.uniform(0.5, 2.0, 3)
    t_mean, t_var = torch.tensor(bn.running_mean), torch.tensor(bn.running_var)
    x = rng.standard_normal(shape)
    bn.train(mode == "train")
    y = bn.forward(x)
    g = rng.standard_normal(shape)
    dL_dx = bn.backward(g)
    tx = torch.tensor(x, requires_grad=True)
    tgamma = torch.tensor(bn.gamma, requires_grad=True)
    tbeta = torch.tensor(bn.beta, requires_grad=True)
    ty = torch.nn.functional.batch_norm(
        tx, t_mean, t_var, tgamma, tbeta, training=mode == "train", momentum=0.2, eps=bn.eps
    )
    (ty * torch.tensor(g)).sum().backward()
    # the same formulas summed in other orders: agreement to ~100 ulps of the O(1) values
    for ours, theirs in [
        (y, ty.detach()), (dL_dx, tx.grad), (bn.dL_dgamma, tgamma.grad), (bn.dL_dbeta, tbeta.grad),
        (bn.running_mean, t_mean), (bn.running_var, t_var),
    ]:
        assert_allclose(ours, theirs.numpy(), rtol=0, atol=STATS_ATOL * 10)
