"""Tests of gantheory.nn.sequential, .module and .reshape: the container's parameter layout and
optimiser interface, the modes, gradient checks of a whole convolutional generator →
discriminator chain, flat memory over a long run, and bad input."""

from __future__ import annotations

import copy
import gc
import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from gantheory.nn import (
    SGD,
    Adam,
    BatchNorm,
    Conv2d,
    ConvTranspose2d,
    Elementwise,
    Flatten,
    LeakyReLU,
    ReLU,
    Reshape,
    Sequential,
    Sigmoid,
    Tanh,
    check_module,
    check_param_vjp,
    nonsaturating_generator_loss,
)
from gantheory.nn.layers import Activation

#: A kink of ReLU / LeakyReLU closer than this to a pre-activation could be crossed by the
#: central differences: a step h = 1e-5 along a unit direction moves each pre-activation by at
#: most h·|∂a/∂(x, θ)|, and those gradients are O(1) in these small chains (≲ 10).
KINK_MARGIN = 1e-4


def generator(rng: np.random.Generator, z_dim: int = 4) -> Sequential:
    """z (N, z_dim) -> (N, 1, 8, 8): the DCGAN pattern at toy width."""
    return Sequential(
        Reshape((z_dim, 1, 1)),
        ConvTranspose2d(z_dim, 6, 2, rng=rng, bias=False),  # -> (6, 2, 2)
        BatchNorm(6),
        ReLU(),
        ConvTranspose2d(6, 3, 4, 2, 1, rng=rng, bias=False),  # -> (3, 4, 4)
        BatchNorm(3),
        ReLU(),
        ConvTranspose2d(3, 1, 3, 2, 1, 1, rng=rng),  # -> (1, 8, 8), odd kernel + output padding
        Tanh(),
    )


def discriminator(rng: np.random.Generator) -> Sequential:
    """(N, 1, 8, 8) -> logits (N, 1)."""
    return Sequential(
        Conv2d(1, 4, 3, 2, 1, rng=rng),  # -> (4, 4, 4)
        LeakyReLU(0.2),
        Conv2d(4, 6, 4, 2, 1, rng=rng, bias=False),  # -> (6, 2, 2)
        BatchNorm(6),
        LeakyReLU(0.2),
        Conv2d(6, 1, 2, rng=rng),  # -> (1, 1, 1)
        Flatten(),
    )


def prepare(net: Sequential, rng: np.random.Generator) -> None:
    """Convolution weights scaled to He et al. 2015's uniform bound sqrt(6/fan_in), i.e. by
    sqrt(6) from PyTorch's default 1/sqrt(fan_in): a gain of about one per layer, so that the
    Jacobian of a whole chain is O(1). (With the default, the chain in evaluation mode shrinks
    ~2x per layer and the checks' rounding error ε|f|/(h|Jt|) reached 4e-7 on some seeds.)
    γ, β and the running statistics are moved away from their initial values."""
    for layer in net.layers:
        if isinstance(layer, Sequential):
            prepare(layer, rng)
        elif isinstance(layer, Conv2d | ConvTranspose2d):
            layer.weight *= np.sqrt(6.0)
        elif isinstance(layer, BatchNorm):
            layer.gamma[...] = rng.uniform(0.5, 1.5, layer.gamma.shape)
            layer.beta[...] = 0.3 * rng.standard_normal(layer.beta.shape)
            layer.running_mean[...] = 0.3 * rng.standard_normal(layer.num_features)
            layer.running_var[...] = rng.uniform(0.5, 2.0, layer.num_features)


def kink_distance(net: Sequential, x: np.ndarray) -> float:
    """The smallest |pre-activation| entering a ReLU or LeakyReLU in a forward pass of ``x``."""
    smallest = np.inf
    h = x
    for layer in net.layers:
        if isinstance(layer, Sequential):
            smallest = min(smallest, kink_distance(layer, h))
        elif isinstance(layer, Elementwise) and isinstance(layer.activation, ReLU | LeakyReLU):
            smallest = min(smallest, float(np.abs(h).min()))
        h = layer.forward(h)
    return smallest


# --- the layout and the optimisers ---------------------------------------------------------


def test_params_grads_and_flat_vectors_are_one_layout() -> None:
    rng = np.random.default_rng(300)
    conv, bn, up = Conv2d(2, 3, 3, rng=rng), BatchNorm(3), ConvTranspose2d(3, 2, 2, rng=rng)
    before = [p.copy() for layer in (conv, bn, up) for p in layer.params]
    net = Sequential(conv, bn, ReLU(), up, Flatten())
    expected = [conv.weight, conv.bias, bn.gamma, bn.beta, up.weight, up.bias]
    assert all(a is b for a, b in zip(net.params, expected, strict=True))
    assert [g.shape for g in net.grads] == [p.shape for p in net.params]
    assert all(g is getattr(layer, f"dL_d{name}") for g, layer, name in zip(
        net.grads, [conv, conv, bn, bn, up, up],
        ["weight", "bias", "gamma", "beta", "weight", "bias"], strict=True,
    ))
    for p, p0 in zip(net.params, before, strict=True):
        assert_array_equal(p, p0)  # the values survive the move into the flat vector
    assert_array_equal(net.flat_params, np.concatenate([p.ravel() for p in before]))
    assert net.n_params == sum(p.size for p in before) == net.flat_params.size
    for p, g in zip(net.params, net.grads, strict=True):
        assert np.shares_memory(p, net.flat_params) and np.shares_memory(g, net.flat_grads)
    net.flat_params[0] = 42.0  # a write through the vector reaches the layer's computation
    assert conv.weight.flat[0] == 42.0 and conv.flat_params[0] == 42.0
    assert len(net) == 5 and net[0] is conv and isinstance(net[2], Elementwise)


def test_an_optimiser_on_the_flat_vector_equals_one_on_the_parameter_list() -> None:
    rng = np.random.default_rng(301)
    net = discriminator(rng)
    twin = copy.deepcopy(net)
    x = rng.standard_normal((6, 1, 8, 8))
    opt_flat = Adam([net.flat_params], lr=1e-2)
    opt_list = Adam(twin.params, lr=1e-2)
    for _ in range(3):
        net.forward(x)
        net.backward(np.ones((6, 1)))
        opt_flat.step([net.flat_grads])
        twin.forward(x)
        twin.backward(np.ones((6, 1)))
        opt_list.step(twin.grads)
    assert_array_equal(net.flat_params, twin.flat_params)
    untrained = discriminator(np.random.default_rng(301))
    assert not np.array_equal(net.flat_params, untrained.flat_params)  # the steps did move it


def test_a_small_gradient_step_decreases_the_loss() -> None:
    # first order: L(θ − η∇L) < L(θ) for a small enough η (here η = 1e-3, |∇L|² ≈ O(1))
    rng = np.random.default_rng(302)
    net = Sequential(generator(rng), discriminator(rng))
    z = rng.standard_normal((8, 4))
    logits = net.forward(z)
    loss, dL_dlogits = nonsaturating_generator_loss(logits)
    net.backward(dL_dlogits)
    SGD([net.flat_params], lr=1e-3).step([net.flat_grads])
    assert nonsaturating_generator_loss(net.forward(z))[0] < loss


def test_deep_copy_is_independent_and_keeps_the_layout() -> None:
    rng = np.random.default_rng(303)
    net = Sequential(generator(rng), discriminator(rng))
    z = rng.standard_normal((5, 4))
    net.forward(z)
    net.backward(np.ones((5, 1)))
    twin = copy.deepcopy(net)
    assert_array_equal(twin.forward(z), net.forward(z))
    for p, g in zip(twin.params, twin.grads, strict=True):
        assert np.shares_memory(p, twin.flat_params) and np.shares_memory(g, twin.flat_grads)
        assert not np.shares_memory(p, net.flat_params)
    inner = twin.layers[0].layers[1]
    assert np.shares_memory(inner.weight, twin.flat_params)  # nested layers too
    twin.flat_params *= 0.5
    assert not np.array_equal(twin.forward(z), net.forward(z))
    lone = copy.deepcopy(net.layers[1])  # a copy of one part belongs to no container
    assert Sequential(lone).params[0] is lone.layers[0].weight


# --- modes ------------------------------------------------------------------------------------


def test_train_and_eval_reach_every_layer() -> None:
    rng = np.random.default_rng(304)
    net = Sequential(generator(rng), discriminator(rng))
    layers = [net, *net.layers, *net.layers[0].layers, *net.layers[1].layers]
    assert all(layer.training for layer in layers)
    assert net.eval() is net
    assert not any(layer.training for layer in layers)
    assert net.train() is net
    assert all(layer.training for layer in layers)
    net.train(False)
    assert not net.layers[0].layers[2].training


def test_evaluation_mode_gives_each_sample_its_own_output() -> None:
    # with running statistics the samples do not interact: a batch equals its halves
    rng = np.random.default_rng(305)
    net = Sequential(generator(rng), discriminator(rng))
    prepare(net, rng)
    z = rng.standard_normal((6, 4))
    net.eval()
    whole = net.forward(z)
    halves = np.vstack([net.forward(z[:3]), net.forward(z[3:])])
    assert np.abs(whole - halves).max() <= 1e-14 * np.abs(whole).max()
    net.train()
    assert np.abs(net.forward(z)[:3] - net.forward(z[:3])).max() > 1e-3  # batch statistics


# --- gradient checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("activation", [ReLU(), LeakyReLU(0.2), Tanh(), Sigmoid()], ids=repr)
def test_activations_inside_the_container_gradcheck(activation: Activation) -> None:
    rng = np.random.default_rng(306)
    net = Sequential(Conv2d(2, 3, 3, 1, 1, rng=rng), activation, Flatten())
    x = rng.standard_normal((3, 2, 4, 5))
    assert kink_distance(net, x) > KINK_MARGIN
    wrt_x, wrt_params = check_module(net, x, rng=rng)
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


@pytest.mark.parametrize("layer", [Flatten(), Reshape((3, 10)), Reshape(30)], ids=repr)
def test_reshaping_layers_gradcheck(layer) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(307)
    x = rng.standard_normal((4, 5, 3, 2))
    y = layer.forward(x)
    assert y.shape[0] == 4 and y.size == x.size
    assert_array_equal(y.ravel(), x.ravel())  # C order, sample by sample
    wrt_x, _ = check_module(layer, x, rng=rng)
    assert wrt_x.passed, wrt_x
    assert layer.params == [] and layer.n_params == 0


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_whole_generator_discriminator_chain_gradcheck(mode: str) -> None:
    # z -> G(z) -> D(G(z)): the input gradient and every parameter of G and D at once
    rng = np.random.default_rng(308)
    net = Sequential(generator(rng), discriminator(rng))
    prepare(net, rng)
    net.train(mode == "train")
    z = rng.standard_normal((5, 4))
    assert kink_distance(net, z) > KINK_MARGIN
    wrt_z, wrt_params = check_module(net, z, rng=rng, n_directions=4)
    assert wrt_z.passed and wrt_params.passed, (wrt_z, wrt_params)


def test_generator_loss_gradient_through_the_discriminator() -> None:
    # Algorithm 1's generator step: D's input gradient without D's parameter gradients
    rng = np.random.default_rng(309)
    G, D = generator(rng), discriminator(rng)
    prepare(G, rng)
    z = rng.standard_normal((6, 4))
    D.flat_grads[...] = 7.0  # sentinel: the generator step must not touch D's gradients

    def loss() -> float:
        return nonsaturating_generator_loss(D.forward(G.forward(z)))[0]

    def vjp(c: np.ndarray) -> list[np.ndarray]:
        _, dL_dlogits = nonsaturating_generator_loss(D.forward(G.forward(z)))
        G.backward(D.backward(dL_dlogits, param_grads=False), input_grad=False)
        return [c * g for g in G.grads]

    result = check_param_vjp(loss, vjp, G.params, rng=rng)
    assert result.passed, result
    assert_array_equal(D.flat_grads, 7.0)
    assert G.backward(np.ones((6, 1, 8, 8)), input_grad=False) is None


# --- memory -----------------------------------------------------------------------------------


def test_memory_is_flat_over_a_long_run() -> None:
    # 2000 training steps (forward, backward, Adam) of a small chain with every kind of layer.
    # Every step allocates the same arrays in the same order (one batch size) and releases them
    # by the next step (each layer keeps only its last forward cache). So, between step 100 and
    # step 1900, after a full garbage collection:
    # - the live NumPy array data (tracemalloc's NumPy domain) is the same to the byte (slack
    #   1 KiB): keeping one 4-value array a step would add 58 KiB of data;
    # - the number of live Python objects grows by at most 100: keeping one object a step would
    #   add 1800;
    # - the peak of the traced memory over 100 steps grows by at most 32 KiB. It is not exactly
    #   flat because CPython's free lists (up to 2000 tuples of each length) and NumPy's cache of
    #   small blocks keep filling over thousands of steps (0.5 to 8 KiB measured, depending on
    #   what ran before in the process); keeping 100 bytes a step would add 176 KiB.
    rng = np.random.default_rng(310)
    net = Sequential(
        ConvTranspose2d(2, 3, 3, 2, 1, 1, rng=rng), BatchNorm(3), ReLU(),
        Conv2d(3, 2, 3, 2, 1, rng=rng), LeakyReLU(0.2), Flatten(), Tanh(),
    )
    opt = Adam([net.flat_params], lr=1e-3)
    x = rng.standard_normal((4, 2, 3, 3))
    g = np.full((4, 18), 0.25)
    numpy_data = [tracemalloc.DomainFilter(True, np.lib.tracemalloc_domain)]

    def steps(n: int) -> None:
        for _ in range(n):
            net.forward(x)
            net.backward(g)
            opt.step([net.flat_grads])

    def measure() -> tuple[int, int, int]:
        """(live NumPy data bytes, live Python objects, traced peak over the next 100 steps)."""
        gc.collect()
        data = sum(t.size for t in tracemalloc.take_snapshot().filter_traces(numpy_data).traces)
        objects = len(gc.get_objects())
        tracemalloc.reset_peak()
        steps(100)
        return data, objects, tracemalloc.get_traced_memory()[1]

    steps(20)  # warm-up: caches, optimiser state, NumPy's internal buffers
    tracemalloc.start()
    try:
        steps(100)
        early = measure()
        steps(1700)
        late = measure()
    finally:
        tracemalloc.stop()
    assert early[0] > 0  # the arrays are traced
    assert abs(late[0] - early[0]) <= 1024, (early, late)
    assert late[1] - early[1] <= 100, (early, late)
    assert late[2] - early[2] <= 32 * 1024, (early, late)


# --- bad input --------------------------------------------------------------------------------


def test_constructor_rejects_bad_layers() -> None:
    rng = np.random.default_rng(311)
    with pytest.raises(ValueError, match=r"`layers` must hold at least one layer \(got none\)"):
        Sequential()
    with pytest.raises(TypeError, match=r"`layers\[1\]` must be a Layer or an Activation "
                       r"\(got builtin_function_or_method\)"):
        Sequential(Flatten(), len)  # type: ignore[arg-type]
    flat = Flatten()
    with pytest.raises(ValueError, match=r"`layers\[1\]` \(Flatten\(\)\) appears twice"):
        Sequential(flat, flat)
    conv = Conv2d(1, 1, 3, rng=rng)
    Sequential(conv)
    with pytest.raises(ValueError, match=r"`layers\[0\]` \(Conv2d\(1, 1, .*\)\) already belongs "
                       "to another Sequential"):
        Sequential(conv)


def test_forward_and_backward_reject_bad_input() -> None:
    rng = np.random.default_rng(312)
    net = discriminator(rng)
    with pytest.raises(RuntimeError, match="needs a `forward` first"):
        net.backward(np.ones((2, 1)))
    x = rng.standard_normal((2, 1, 8, 8))
    x[1, 0, 3, 3] = np.nan
    with pytest.raises(ValueError, match=r"`x` must be finite \(got 1 non-finite value\(s\), "
                       r"first nan\)"):
        net.forward(x)
    with pytest.raises(ValueError, match=r"`x` must have 1 channels on axis 1 "
                       r"\(got shape \(2, 3, 8, 8\)\)"):
        net.forward(np.zeros((2, 3, 8, 8)))
    with pytest.raises(RuntimeError, match="needs a `forward` first"):
        net.backward(np.ones((2, 1)))  # a failed forward pass leaves nothing to differentiate
    net.forward(np.zeros((2, 1, 8, 8)))
    with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(2, 1\) \(got \(1, 2\)\)"):
        net.backward(np.ones((1, 2)))
    with pytest.raises(ValueError, match="`param_grads` and `input_grad` must not both be False"):
        net.backward(np.ones((2, 1)), param_grads=False, input_grad=False)
    with pytest.raises(ValueError, match=r"`x` must have 4 dimensions .*\(got shape \(2, 64\)\)"):
        net.forward(np.zeros((2, 64)))


@pytest.mark.parametrize(
    ("shape", "match"),
    [
        ((), r"`shape` must be a non-empty sequence of positive integers \(got \(\)\)"),
        ("3", r"`shape` must be a non-empty sequence of positive integers \(got '3'\)"),
        ((3, 0), r"`shape` must be a positive integer \(got 0\)"),
        ((2, -1), r"`shape` must be a positive integer \(got -1\)"),
    ],
)
def test_reshape_rejects_bad_shapes(shape, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        Reshape(shape)


def test_reshaping_layers_reject_bad_input() -> None:
    with pytest.raises(ValueError, match=r"`x` of shape \(2, 5\) has 5 values per sample, which "
                       r"cannot be reshaped to `shape` \(2, 3\)"):
        Reshape((2, 3)).forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"`x` must have a non-empty batch axis and at least 2 "
                       r"dimensions \(got shape \(6,\)\)"):
        Flatten().forward(np.zeros(6))
    flatten = Flatten()
    flatten.forward(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(2, 12\) \(got \(2, 3, 4\)\)"):
        flatten.backward(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="`activation` must be one of"):
        Elementwise("swish")
