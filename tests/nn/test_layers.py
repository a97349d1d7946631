"""Tests of gantheory.nn.layers: activations and the affine layer, forward and backward."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gantheory.nn import (
    ACTIVATIONS,
    GRADCHECK_RTOL,
    LeakyReLU,
    Linear,
    Tanh,
    check_param_vjp,
    check_vjp,
    get_activation,
)

#: Elementwise formulas evaluated two ways in float64 agree to a few ulps.
ULP_RTOL = 8 * np.finfo(np.float64).eps
#: A product of a (n, 65) by a (65, o) matrix, summed in a different order than BLAS, agrees
#: to ~sqrt(65) · 65 · eps relative to the sum of magnitudes; 1e-13 is a safe bound for O(1) data.
MATMUL_RTOL = 1e-13
#: Bugs in a backward rule give relative errors of order 1e-3..1, far above GRADCHECK_RTOL.
BUG_MIN_ERROR = 1e-3

# Independent scalar references from the math module (not the code under test).
SCALAR_REFERENCE = {
    "identity": (lambda a: a, lambda a: 1.0),
    "tanh": (math.tanh, lambda a: 1.0 / math.cosh(a) ** 2),
    "sigmoid": (
        lambda a: 1.0 / (1.0 + math.exp(-a)),
        lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2,
    ),
    "relu": (lambda a: max(a, 0.0), lambda a: 1.0 if a > 0 else 0.0),
    "leaky_relu": (lambda a: a if a > 0 else 0.01 * a, lambda a: 1.0 if a > 0 else 0.01),
}


def away_from_kink(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Points with |a| in [0.1, 2]: ReLU-type kinks at 0 lie ≥ 0.1 ≫ FD_STEP·|t| away."""
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_scalar_reference(name: str) -> None:
    rng = np.random.default_rng(10)
    act = get_activation(name)
    a = away_from_kink(rng, (7, 5))
    f, df = SCALAR_REFERENCE[name]
    y = act.forward(a)
    assert_allclose(y, np.vectorize(f)(a), rtol=ULP_RTOL, atol=0)
    dL_dy = rng.standard_normal(a.shape)
    expected = np.vectorize(df)(a) * dL_dy
    assert_allclose(act.backward(y, dL_dy), expected, rtol=4 * ULP_RTOL, atol=1e-300)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradcheck(name: str) -> None:
    rng = np.random.default_rng(11)
    act = get_activation(name)
    a0 = away_from_kink(rng, (6, 4))
    result = check_vjp(act.forward, lambda c: act.backward(act.forward(a0), c), a0, rng=rng)
    assert result.passed, result
    assert result.max_rel_error <= GRADCHECK_RTOL


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_in_place_and_out_buffers_agree(name: str) -> None:
    rng = np.random.default_rng(12)
    act = get_activation(name)
    a = away_from_kink(rng, (3, 8))
    y = act.forward(a.copy())
    buf = a.copy()
    assert act.forward(buf, out=buf) is buf
    assert_array_equal(buf, y)
    dL_dy = rng.standard_normal(a.shape)
    out = np.empty_like(a)
    assert act.backward(y, dL_dy, out=out) is out
    assert_array_equal(out, act.backward(y, dL_dy))
    y_buf = y.copy()  # `out` may be `y` itself (the MLP writes dL/da over h)
    assert act.backward(y_buf, dL_dy, out=y_buf) is y_buf
    assert_array_equal(y_buf, out)


def test_kink_conventions_at_zero() -> None:
    zero = np.zeros(1)
    relu, leaky = get_activation("relu"), LeakyReLU(0.2)
    assert relu.backward(relu.forward(zero), np.ones(1))[0] == 0.0
    assert leaky.backward(leaky.forward(zero), np.ones(1))[0] == 0.2


def test_sigmoid_saturates_without_warnings() -> None:
    # pytest turns any RuntimeWarning (overflow in exp) into an error.
    act = get_activation("sigmoid")
    y = act.forward(np.array([-1e4, -800.0, 800.0, 1e4]))
    assert_array_equal(y, [0.0, 0.0, 1.0, 1.0])


def test_get_activation_errors_list_known_names() -> None:
    with pytest.raises(ValueError, match=r"`activation` must be one of 'identity', .*'swish'"):
        get_activation("swish")
    with pytest.raises(ValueError, match="`activation`"):
        get_activation(3)  # type: ignore[arg-type]
    act = Tanh()
    assert get_activation(act) is act


@pytest.mark.parametrize("slope", [0.0, 1.0, -0.1, 2.0])
def test_leaky_relu_rejects_bad_slope(slope: float) -> None:
    with pytest.raises(ValueError, match=rf"`slope` must lie in \(0, 1\) \(got {slope}\)"):
        LeakyReLU(slope)


class BuggyTanh(Tanh):
    """Tanh with a plausible slip in its backward rule: σ' = 1 − y instead of 1 − y²."""

    def backward(self, y, dL_dy, out=None):  # type: ignore[no-untyped-def]
        return (1.0 - y) * dL_dy


def test_gradcheck_detects_a_wrong_activation_backward() -> None:
    rng = np.random.default_rng(13)
    act = BuggyTanh()
    a0 = away_from_kink(rng, (5, 3))
    result = check_vjp(act.forward, lambda c: act.backward(act.forward(a0), c), a0, rng=rng)
    assert not result.passed
    assert result.max_rel_error > BUG_MIN_ERROR


def homogeneous(h: np.ndarray) -> np.ndarray:
    """Batch-major (n, d) -> feature-major (d + 1, n) with a ones row."""
    return np.vstack([h.T, np.ones(h.shape[0])])


@pytest.mark.parametrize(("fan_in", "fan_out"), [(1, 4), (3, 5), (6, 1), (2, 2)])
def test_linear_forward_matches_batch_major_formula(fan_in: int, fan_out: int) -> None:
    rng = np.random.default_rng(20)
    layer = Linear(fan_in, fan_out, rng=rng)
    layer.b[...] = rng.standard_normal(fan_out)
    h = rng.standard_normal((9, fan_in))
    expected = np.array(
        [
            [
                sum(h[i, k] * layer.W[k, j] for k in range(fan_in)) + layer.b[j]
                for j in range(fan_out)
            ]
            for i in range(9)
        ]
    )
    assert_allclose(layer.forward(homogeneous(h)).T, expected, rtol=MATMUL_RTOL, atol=1e-15)


@pytest.mark.parametrize(("fan_in", "fan_out"), [(1, 4), (3, 5), (6, 1)])
def test_linear_gradcheck_input_and_params(fan_in: int, fan_out: int) -> None:
    rng = np.random.default_rng(21)
    layer = Linear(fan_in, fan_out, rng=rng)
    layer.b[...] = rng.standard_normal(fan_out)
    h0 = rng.standard_normal((fan_in, 7))
    H0 = np.vstack([h0, np.ones(7)])

    def fun(h: np.ndarray) -> np.ndarray:
        return layer.forward(np.vstack([h, np.ones(h.shape[1])]))

    wrt_input = check_vjp(fun, lambda c: layer.backward(H0, c), h0, rng=rng)
    assert wrt_input.passed, wrt_input

    def param_vjp(c: np.ndarray) -> list[np.ndarray]:
        layer.backward(H0, c)
        return [g.copy() for g in layer.grads]

    wrt_params = check_param_vjp(lambda: layer.forward(H0), param_vjp, layer.params, rng=rng)
    assert wrt_params.passed, wrt_params


def test_linear_backward_formulas_and_no_param_grads() -> None:
    rng = np.random.default_rng(22)
    layer = Linear(3, 2, rng=rng)
    h = rng.standard_normal((4, 3))
    dL_da = rng.standard_normal((4, 2))  # batch-major
    dL_dh = layer.backward(homogeneous(h), dL_da.T).T
    assert_allclose(dL_dh, dL_da @ layer.W.T, rtol=MATMUL_RTOL)
    assert_allclose(layer.dL_dW, h.T @ dL_da, rtol=MATMUL_RTOL)
    assert_allclose(layer.dL_db, dL_da.sum(axis=0), rtol=MATMUL_RTOL)
    before = [g.copy() for g in layer.grads]
    layer.backward(homogeneous(h), 2 * dL_da.T, param_grads=False)
    for g, g0 in zip(layer.grads, before, strict=True):
        assert_array_equal(g, g0)


def test_linear_rank_one_backward_into_non_contiguous_out() -> None:
    # fan_out == 1 uses BLAS ger on a C-contiguous `out`; a strided `out` takes the fallback.
    rng = np.random.default_rng(23)
    layer = Linear(4, 1, rng=rng)
    dL_da = rng.standard_normal((1, 6))
    expected = layer.W @ dL_da
    assert_allclose(layer.backward(np.ones((5, 6)), dL_da), expected, rtol=ULP_RTOL)
    big = np.zeros((4, 12))
    layer.backward(np.ones((5, 6)), dL_da, out=big[:, ::2])
    assert_allclose(big[:, ::2], expected, rtol=ULP_RTOL)
    assert_array_equal(big[:, 1::2], 0.0)


class BuggyLinear(Linear):
    """Linear whose input gradient forgets a transpose-consistent weight (uses |W|)."""

    def backward(self, H_aug, dL_da, out=None, *, param_grads=True):  # type: ignore[no-untyped-def]
        super().backward(H_aug, dL_da, out, param_grads=param_grads)
        return np.abs(self.W) @ dL_da


def test_gradcheck_detects_a_wrong_linear_backward() -> None:
    rng = np.random.default_rng(24)
    layer = BuggyLinear(3, 4, rng=rng)
    h0 = rng.standard_normal((3, 5))
    H0 = np.vstack([h0, np.ones(5)])
    result = check_vjp(
        lambda h: layer.forward(np.vstack([h, np.ones(5)])),
        lambda c: layer.backward(H0, c),
        h0,
        rng=rng,
    )
    assert result.max_rel_error > BUG_MIN_ERROR


def test_glorot_and_he_initialisation_statistics() -> None:
    # 400 × 300 = 120,000 weights: the sample variance has relative standard error
    # sqrt(2/N) ≈ 0.4% (normal) and less for the uniform; 3% is > 7 standard errors.
    rng = np.random.default_rng(25)
    glorot = Linear(400, 300, rng=rng, init="glorot")
    limit = math.sqrt(6 / 700)
    assert np.abs(glorot.W).max() <= limit
    assert_allclose(glorot.W.var(), limit**2 / 3, rtol=0.03)
    he = Linear(400, 300, rng=rng, init="he")
    assert_allclose(he.W.var(), 2 / 400, rtol=0.03)
    assert_array_equal(glorot.b, 0.0)
    assert_array_equal(he.b, 0.0)


def test_linear_is_deterministic_given_the_seed() -> None:
    a = Linear(5, 3, rng=np.random.default_rng(7))
    b = Linear(5, 3, rng=np.random.default_rng(7))
    assert_array_equal(a.W_aug, b.W_aug)
    assert a.W_aug.tobytes() == b.W_aug.tobytes()


def test_linear_params_live_in_the_given_buffers() -> None:
    rng = np.random.default_rng(26)
    params, grads = np.zeros(8), np.zeros(8)
    layer = Linear(3, 2, rng=rng, param_buffer=params, grad_buffer=grads)
    assert np.shares_memory(layer.W, params) and np.shares_memory(layer.b, params)
    assert_array_equal(params[:6], layer.W.ravel())
    assert np.shares_memory(layer.dL_dW, grads)
    assert repr(layer) == "Linear(3, 2)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fan_in": 0}, r"`fan_in` must be a positive integer \(got 0\)"),
        ({"fan_out": 2.5}, r"`fan_out` must be a positive integer \(got 2.5\)"),
        ({"fan_in": True}, r"`fan_in` must be a positive integer \(got True\)"),
        ({"init": "xavier"}, r"`init` must be one of 'glorot', 'he' \(got 'xavier'\)"),
        ({"param_buffer": np.zeros(7)}, r"`param_buffer` must be .* shape \(8,\) \(got \(7,\)\)"),
        ({"grad_buffer": np.zeros(8, dtype=np.float32)}, r"`grad_buffer` must be .*float64"),
        ({"grad_buffer": [0.0] * 8}, r"`grad_buffer` must be .* \(got list\)"),
    ],
)
def test_linear_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    args = {"fan_in": 3, "fan_out": 2, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=match):
        Linear(**args)


def test_linear_requires_a_generator() -> None:
    with pytest.raises(TypeError, match=r"`rng` must be a numpy.random.Generator.*\(got int\)"):
        Linear(3, 2, rng=0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Linear(3, 2)  # type: ignore[call-arg]
