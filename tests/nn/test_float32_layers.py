"""The image layers and ``Sequential`` in float32: ``astype``, one precision per chain, float32
arithmetic throughout, agreement with the exact float64 copy to float32 rounding."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from gantheory.dcgan import DCGANRules, dcgan_discriminator, dcgan_generator
from gantheory.nn import (
    AvgPool2d,
    BatchNorm,
    Conv2d,
    ConvTranspose2d,
    Flatten,
    LeakyReLU,
    MaxPool2d,
    Reshape,
    Sequential,
    Tanh,
    Upsample,
    check_module,
)
from gantheory.nn.module import Elementwise

EPS32 = float(np.finfo(np.float32).eps)  # 2**-23
#: float32 against the float64 copy, relative to the largest entry: over seeds 100-119 (not used
#: here) and every case below the worst deviation of the output, the input gradient and the
#: parameter gradients is 6.8 eps32 (the pooled generator's parameter gradients); 32 eps32
#: leaves a factor 4.7. A layer left in float64 fails on the dtype; a wrong rule is off by O(1).
TOL = 32 * EPS32
ABLATED = DCGANRules(batch_norm=False, strided=False, leaky_d=False)


def _case(name: str, rng: np.random.Generator) -> tuple[object, tuple[int, ...]]:
    return {
        "conv": lambda: (Conv2d(3, 5, 4, stride=2, padding=1, rng=rng), (6, 3, 8, 8)),
        "conv_transpose": lambda: (ConvTranspose2d(3, 5, 4, stride=2, padding=1, rng=rng),
                                   (6, 3, 4, 4)),
        "batch_norm": lambda: (BatchNorm(3), (6, 3, 4, 4)),
        "batch_norm_eval": lambda: (BatchNorm(3), (6, 3, 4, 4)),
        "batch_norm_2d": lambda: (BatchNorm(3), (8, 3)),
        "max_pool": lambda: (MaxPool2d(2), (6, 3, 8, 8)),
        "avg_pool": lambda: (AvgPool2d(3, stride=2), (6, 3, 8, 8)),
        "upsample": lambda: (Upsample(2), (6, 3, 4, 4)),
        "flatten": lambda: (Flatten(), (6, 3, 4, 4)),
        "reshape": lambda: (Reshape((3, 16)), (6, 3, 4, 4)),
        "tanh": lambda: (Elementwise(Tanh()), (6, 3, 4, 4)),
        "leaky_relu": lambda: (Elementwise(LeakyReLU(0.2)), (6, 3, 4, 4)),
        "generator": lambda: (dcgan_generator(16, 8, rng=rng), (6, 16)),
        "discriminator": lambda: (dcgan_discriminator(8, rng=rng), (6, 1, 8, 8)),
        "generator_ablated": lambda: (dcgan_generator(16, 8, rules=ABLATED, rng=rng), (6, 16)),
        "discriminator_ablated": lambda: (dcgan_discriminator(8, rules=ABLATED, rng=rng),
                                          (6, 1, 8, 8)),
    }[name]()


CASES = ["conv", "conv_transpose", "batch_norm", "batch_norm_eval", "batch_norm_2d", "max_pool",
         "avg_pool", "upsample", "flatten", "reshape", "tanh", "leaky_relu", "generator",
         "discriminator", "generator_ablated", "discriminator_ablated"]
#: Layers that only copy, select or relabel values: float32 is exact there.
EXACT = {"max_pool", "flatten", "reshape"}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_float32_layer_computes_in_float32_and_agrees_with_its_float64_copy(
    name: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    layer, shape = _case(name, rng)
    l32 = layer.astype("float32")
    if name.startswith("batch_norm"):
        l32.gamma[...], l32.beta[...] = rng.uniform(0.5, 2.0, 3), rng.standard_normal(3)
    if name == "batch_norm_eval":
        l32.forward(2.0 * rng.standard_normal(shape) + 1.0)
        l32.eval()
    l64 = l32.astype("float64")  # exact: the same weights (and running statistics)
    assert np.array_equal(l64.flat_params, l32.flat_params)
    x = rng.standard_normal(shape).astype(np.float32)
    y32, y64 = l32.forward(x), l64.forward(x)
    c = rng.standard_normal(y32.shape).astype(np.float32)
    d32, d64 = l32.backward(c), l64.backward(c)
    pairs = [(y32, y64), (d32, d64), (l32.flat_grads, l64.flat_grads)]
    for got, want in pairs:
        assert got.dtype == np.float32 and want.dtype == np.float64
        if want.size == 0:
            continue
        if name in EXACT:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=0, atol=TOL * np.max(np.abs(want)))
    if name in ("generator", "discriminator"):
        # float32 arithmetic, not float64 rounded at the end
        assert not np.array_equal(y32, y64.astype(np.float32))


@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_a_convolution_built_in_float32_has_the_rounded_float64_weights(layer_type: type) -> None:
    a = layer_type(2, 3, 3, stride=2, rng=np.random.default_rng(4), dtype="float32")
    b = layer_type(2, 3, 3, stride=2, rng=np.random.default_rng(4))
    assert a.dtype == a.weight.dtype == a.bias.dtype == np.float32
    np.testing.assert_array_equal(a.flat_params, b.flat_params.astype(np.float32))
    np.testing.assert_array_equal(a.flat_params, b.astype("float32").flat_params)


def test_batch_norm_keeps_its_running_statistics_in_its_precision() -> None:
    bn = BatchNorm(2, dtype="float32")
    assert bn.dtype == bn.running_mean.dtype == bn.running_var.dtype == np.float32
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    bn.forward(x)
    assert bn.running_mean.dtype == bn.running_var.dtype == np.float32
    ref = BatchNorm(2)
    ref.forward(x)
    np.testing.assert_allclose(bn.running_var, ref.running_var, rtol=4 * EPS32)
    wide = bn.astype(np.float64)
    assert wide.running_var.dtype == np.float64
    np.testing.assert_array_equal(wide.running_var, bn.running_var)


def test_astype_is_an_independent_copy_and_copy_false_keeps_the_layer() -> None:
    net = dcgan_discriminator(4, rng=np.random.default_rng(0))
    small = net.astype("float32")
    assert small is not net and small.dtype == np.float32 and net.dtype == np.float64
    assert all(layer.dtype == np.float32 for layer in small.layers)
    # every layer's parameters are views of the chain's float32 vector
    assert all(np.shares_memory(p, small.flat_params) for p in small.params)
    assert all(p.dtype == g.dtype == np.float32 for p, g in zip(small.params, small.grads,
                                                               strict=True))
    bn = next(layer for layer in small.layers if isinstance(layer, BatchNorm))
    assert bn.running_mean.dtype == np.float32
    small.flat_params[...] = 0.0
    assert np.abs(net.flat_params).max() > 0  # the original is untouched
    assert net.astype("float64", copy=False) is net
    assert small.astype(np.float32, copy=False) is small
    assert net.astype("float64") is not net
    member = net.layers[0].astype("float32")  # a member's copy belongs to no chain
    assert member._owner is None
    Sequential(member)


def test_a_chain_takes_its_layers_precision_and_refuses_a_mixture() -> None:
    rng = np.random.default_rng(0)
    net = Sequential(Conv2d(1, 2, 3, rng=rng, dtype="float32"), Tanh(), Flatten())
    assert net.dtype == np.float32 and all(layer.dtype == np.float32 for layer in net.layers)
    y = net.forward(np.zeros((2, 1, 4, 4)))
    assert y.dtype == np.float32
    assert Sequential(Flatten()).dtype == np.float64  # no parameters: float64
    with pytest.raises(ValueError, match=r"`layers` must share one precision \(got Conv2d"):
        Sequential(Conv2d(1, 2, 3, rng=rng, dtype="float32"), Conv2d(2, 2, 1, rng=rng))
    nested = Sequential(Sequential(Conv2d(1, 2, 3, rng=rng), BatchNorm(2)), Flatten())
    small = nested.astype("float32")
    inner = small.layers[0]
    assert inner.dtype == inner.layers[1].running_var.dtype == np.float32
    assert np.shares_memory(inner.layers[0].weight, small.flat_params)


@pytest.mark.parametrize("bad", ["float16", "double", np.int32, 32, None])
def test_a_bad_dtype_is_refused_naming_dtype_and_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match=r"`dtype` must be 'float32' or 'float64'"):
        Flatten().astype(bad)
    with pytest.raises(ValueError, match=r"`dtype` must be 'float32' or 'float64'"):
        Conv2d(1, 1, 1, rng=np.random.default_rng(0), dtype=bad)
    with pytest.raises(ValueError, match=r"`dtype` must be 'float32' or 'float64'"):
        BatchNorm(1, dtype=bad)


def test_gradient_checks_refuse_a_float32_chain_and_pass_on_its_float64_copy() -> None:
    rng = np.random.default_rng(3)
    net = dcgan_discriminator(4, rng=rng).astype("float32")
    x = rng.uniform(-1.0, 1.0, (4, 1, 8, 8))
    with pytest.raises(ValueError, match="must be float64"):
        check_module(net, x, rng=rng)
    wrt_x, wrt_params = check_module(net.astype(np.float64), x, rng=rng)
    assert wrt_x.passed and wrt_params.passed


def test_a_deep_copy_of_a_float32_chain_stays_float32() -> None:
    net = dcgan_generator(4, 4, rng=np.random.default_rng(0), dtype="float32")
    twin = copy.deepcopy(net)
    assert twin.dtype == np.float32
    assert all(np.shares_memory(p, twin.flat_params) for p in twin.params)
    np.testing.assert_array_equal(twin.forward(np.ones((3, 4))), net.forward(np.ones((3, 4))))
