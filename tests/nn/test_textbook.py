"""Tests of gantheory.nn.textbook: the fast layers and MLP against the textbook ones from the
same weights, to within a rounding-error bound propagated through the network; the textbook
form by central differences; Hypothesis over shapes; bad input.

The rounding bound
------------------
The fast and the textbook network evaluate the same expressions in other orders (a
feature-major product with the bias as one more term, against ``x @ W + b``; one BLAS
product against another). A sum of ``k`` terms, in any order, is within
``γ_k Σ|terms|`` of the exact sum, ``γ_k = k ε / (1 − k ε)`` (Higham 2002, eq. 3.5), so two of
them differ by ``2 γ_k Σ|terms|``. :func:`propagate_bounds` carries such elementwise bounds on
``|fast − textbook|`` through every step, forward and backward: through a matrix product the
incoming bound is multiplied by the absolute weights, an activation is 1-Lipschitz, and its
derivative moves by at most the table :data:`DERIVATIVE` below. ``ε`` is used where Higham has
the unit roundoff ``ε/2``, and each evaluation of an activation is allowed ``ACT_ULPS`` ulps:
the factor of two this leaves covers the second-order terms the bound drops (magnitudes are
those of the textbook network, the fast one's differ by the bound itself).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gantheory.nn import (
    ACTIVATIONS,
    GRADCHECK_RTOL,
    MLP,
    LeakyReLU,
    Linear,
    check_module,
    check_param_vjp,
    check_vjp,
    get_activation,
    textbook,
)

EPS = np.finfo(np.float64).eps
#: An elementwise function of the C library or NumPy's SIMD loops (tanh, the exp inside expit)
#: is within 4 ulps of the exact value: NumPy's documented worst case for its SIMD kernels.
ACT_ULPS = 4
#: Hidden activations with their derivative at the kink, and the slopes of the leaky ReLU.
NAMES = sorted(ACTIVATIONS)
SLOPES = [0.01, 0.2]
#: Bugs give differences of order the values themselves; the bounds are ~1e-15 of them.
BUG_MIN_RATIO = 1e3


def gamma(k: int) -> float:
    """γ_k = k ε / (1 − k ε): a sum of k terms is within γ_k Σ|terms| (Higham 2002, eq. 3.5)."""
    return k * EPS / (1 - k * EPS)


# For each activation, from the textbook values a, y = σ(a) and the bounds Da, Dy on |a_f − a|
# and |y_f − y| of the fast network: |σ'(a)|, a bound on |σ'(a_f) − σ'(a)|, and R such that
# one evaluation of σ'·δ rounds by at most 2 ε R |δ|. tanh: σ' = 1 − y² moves by |y_f² − y²| ≤
# (2|y| + Dy) Dy, and 1 − y·y then ·δ rounds by ≤ ε (1 + y²)|δ|; sigmoid: σ' = y(1 − y) moves by
# |(y_f − y)(1 − y_f − y)| ≤ (|1 − 2y| + Dy) Dy and three roundings; ReLU-type: σ' jumps by 1 − s
# only where a and a_f may lie on both sides of 0 (|a| ≤ Da, Da > 0); the fast leaky ReLU forms
# σ' as s + (1 − s)[y > 0], two roundings.
def derivative_terms(act, a, y, Da, Dy):  # type: ignore[no-untyped-def]
    name = act.name
    if name == "identity":
        return np.ones_like(a), np.zeros_like(a), np.zeros_like(a)
    if name == "tanh":
        return np.abs(1 - y**2), (2 * np.abs(y) + Dy) * Dy, 1 + y**2
    if name == "sigmoid":
        return np.abs(y * (1 - y)), (np.abs(1 - 2 * y) + Dy) * Dy, np.abs(y) * (1 + np.abs(y))
    s = act.slope if name == "leaky_relu" else 0.0
    flips = (np.abs(a) <= Da) & (Da > 0)
    return np.where(a > 0, 1.0, s), (1 - s) * flips, np.full_like(a, float(name == "leaky_relu"))


def propagate_bounds(net: textbook.MLP, x: np.ndarray, dL_dy: np.ndarray):  # type: ignore[no-untyped-def]
    """Run ``net`` (forward, backward) and return its results and the elementwise bounds on
    their difference from any other evaluation order: ``(y, Dy), (dx, Ddx), [(g, Dg), ...]``."""
    y = net.forward(x)
    dx = net.backward(dL_dy)
    grads = [g.copy() for g in net.grads]
    D, fwd = np.zeros_like(x), []  # D: bound on |h_f − h| of the current layer's input
    for layer, act in zip(net.layers, net.activations, strict=True):
        h, W, b = layer.x, layer.W, layer.b
        k = W.shape[0] + 1  # fan_in products and the bias
        mag = np.abs(h) @ np.abs(W) + np.abs(b) + D @ np.abs(W)  # Σ|terms|, either network
        Da = D @ np.abs(W) + 2 * gamma(k) * mag  # (n, o)
        Dy = Da + (0 if act.name in ("identity", "relu") else 2 * ACT_ULPS * EPS * np.abs(act.y))
        fwd.append((h, D, Da, Dy))
        D = Dy
    Dout = D
    delta, Dd, Dgrads = np.asarray(dL_dy, dtype=np.float64), np.zeros_like(dL_dy), []
    for layer, act, (h, Dh, Da, Dy) in reversed(
        list(zip(net.layers, net.activations, fwd, strict=True))
    ):
        dabs, ddiff, rmag = derivative_terms(act, act.a, act.y, Da, Dy)
        da = act.backward(delta)
        Dda = (dabs + ddiff) * Dd + np.abs(delta) * ddiff + 4 * EPS * rmag * (np.abs(delta) + Dd)
        n, o = da.shape
        AW = np.abs(layer.W)
        DW = np.abs(h).T @ Dda + Dh.T @ (np.abs(da) + Dda)
        DW += 2 * gamma(n) * (np.abs(h) + Dh).T @ (np.abs(da) + Dda)
        Db = Dda.sum(axis=0) + 2 * gamma(n) * (np.abs(da) + Dda).sum(axis=0)
        Dgrads[:0] = [DW, Db]
        delta, Dd = da @ layer.W.T, Dda @ AW.T + 2 * gamma(o) * (np.abs(da) + Dda) @ AW.T
    return (y, Dout), (dx, Dd), list(zip(grads, Dgrads, strict=True))


def assert_within(got, want, bound, what):  # type: ignore[no-untyped-def]
    assert got.shape == want.shape, (what, got.shape, want.shape)
    excess = np.abs(got - want) - bound
    assert excess.max() <= 0.0, (what, float(np.abs(got - want).max()), float(bound.max()))


def fast_network(sizes, hidden, output, rng, slope=0.01, bias_scale=0.5):  # type: ignore[no-untyped-def]
    """A fast MLP with nonzero biases (they exercise the ones row of its layout)."""
    act = LeakyReLU(slope) if hidden == "leaky_relu" else hidden
    out = LeakyReLU(slope) if output == "leaky_relu" else output
    net = MLP(sizes, act, rng=rng, output_activation=out)
    for b in net.params[1::2]:
        b[...] = bias_scale * rng.standard_normal(b.shape)
    return net


def compare(net: MLP, x: np.ndarray, dL_dy: np.ndarray) -> None:
    """The fast network against its textbook form: output, dL/dx and every parameter gradient
    within the propagated rounding bound, through the three backward modes of the fast one."""
    slow = textbook.MLP.from_mlp(net)
    (y, Dy), (dx, Ddx), grads = propagate_bounds(slow, x, dL_dy)
    assert_within(net.forward(x), y, Dy, "output")
    assert_within(net.backward(dL_dy), dx, Ddx, "dL/dx")
    for i, (g, (want, bound)) in enumerate(zip(net.grads, grads, strict=True)):
        assert_within(g, want, bound, f"grads[{i}]")
    net.forward(x)
    assert net.backward(dL_dy, input_grad=False) is None  # skips the first layer's W δ
    for i, (g, (want, bound)) in enumerate(zip(net.grads, grads, strict=True)):
        assert_within(g, want, bound, f"grads[{i}] (input_grad=False)")
    net.forward(x)
    assert_within(net.backward(dL_dy, param_grads=False), dx, Ddx, "dL/dx (param_grads=False)")


# --- fast against textbook -----------------------------------------------------------------------
#: (sizes, batch): one layer, a batch of one, the widths and batch of the GAN, four layers.
SHAPES = [([3, 1], 5), ([1, 8, 1], 1), ([2, 16, 16, 1], 32), ([4, 7, 5, 9, 3], 11)]
#: (hidden, output, slope): every hidden activation under three outputs, the leaky ReLU with
#: two slopes.
ACTIVATION_CASES = [
    (hidden, output, slope)
    for hidden in NAMES
    for output in ["identity", "sigmoid", "tanh"]
    for slope in (SLOPES if hidden == "leaky_relu" else SLOPES[:1])
]


@pytest.mark.parametrize(("hidden", "output", "slope"), ACTIVATION_CASES)
@pytest.mark.parametrize(("sizes", "n"), SHAPES)
def test_fast_mlp_equals_textbook_to_rounding(sizes, n, hidden, output, slope) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(400)
    net = fast_network(sizes, hidden, output, rng, slope)
    compare(net, 2 * rng.standard_normal((n, sizes[0])), rng.standard_normal((n, sizes[-1])))


@pytest.mark.parametrize("hidden", NAMES)
def test_every_activation_as_the_output_layer(hidden: str) -> None:
    rng = np.random.default_rng(401)
    net = fast_network([2, 6, 3], "tanh", hidden, rng, slope=0.3)
    compare(net, rng.standard_normal((9, 2)), rng.standard_normal((9, 3)))


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu"])
def test_the_kink_convention_is_the_same(hidden: str) -> None:
    # x = 0 and b = 0 put every first-layer pre-activation exactly at the kink a = 0, where both
    # forms take the derivative [a > 0]: 0 for the ReLU, s for the leaky ReLU.
    rng = np.random.default_rng(402)
    net = fast_network([3, 5, 2], hidden, "identity", rng, slope=0.25, bias_scale=0.0)
    x = np.zeros((4, 3))
    slow = textbook.MLP.from_mlp(net)
    slow.forward(x)
    assert (slow.activations[0].a == 0).all()
    compare(net, x, rng.standard_normal((4, 2)))


@pytest.mark.parametrize(("fan_in", "fan_out", "n"), [(1, 4, 3), (3, 5, 8), (6, 1, 7), (2, 2, 1)])
def test_fast_linear_equals_textbook_linear_to_rounding(fan_in, fan_out, n) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(403)
    fast = Linear(fan_in, fan_out, rng=rng)
    fast.b[...] = rng.standard_normal(fan_out)
    slow = textbook.Linear(fast.W, fast.b)
    x, delta = rng.standard_normal((n, fan_in)), rng.standard_normal((n, fan_out))
    H_aug = np.vstack([x.T, np.ones(n)])  # the fast layout: feature-major with a ones row
    # one sum of fan_in + 1 terms (forward), of n (dW, db) and of fan_out (dx), in each form
    mag = np.abs(x) @ np.abs(fast.W) + np.abs(fast.b)
    assert_within(fast.forward(H_aug).T, slow.forward(x), 2 * gamma(fan_in + 1) * mag, "y")
    dx = fast.backward(H_aug, delta.T).T
    assert_within(dx, slow.backward(delta), 2 * gamma(fan_out) * np.abs(delta) @ np.abs(fast.W).T,
                  "dL/dx")
    assert_within(fast.dL_dW, slow.dL_dW, 2 * gamma(n) * np.abs(x).T @ np.abs(delta), "dL/dW")
    assert_within(fast.dL_db, slow.dL_db, 2 * gamma(n) * np.abs(delta).sum(axis=0), "dL/db")


@pytest.mark.parametrize("name", NAMES)
def test_fast_activations_equal_textbook_ones_to_rounding(name: str) -> None:
    rng = np.random.default_rng(404)
    a = rng.uniform(-6, 6, (7, 5))
    a[0, :3] = [0.0, 1e-300, -1e-300]  # the kink and its neighbours
    fast, slow = get_activation(name), textbook.ACTIVATIONS[name]()
    y = slow.forward(a)
    # the same elementwise function of the same input: ≤ ACT_ULPS ulps each
    ulps = 0 if name in ("identity", "relu") else 2 * ACT_ULPS * EPS * np.abs(y)
    assert_within(fast.forward(a), y, ulps, "y")
    delta = rng.standard_normal(a.shape)
    zero = np.zeros_like(a)
    _, _, rmag = derivative_terms(slow, a, y, zero, zero)
    assert_within(fast.backward(fast.forward(a), delta), slow.backward(delta),
                  4 * EPS * rmag * np.abs(delta), "dL/da")


# --- Hypothesis over shapes ----------------------------------------------------------------------
@st.composite
def networks(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """A fast MLP (1 to 4 layers of widths 1 to 8), a batch x of 1 to 16 rows with entries in
    [−4, 4] (zeros and integers included) and a cotangent dL/dy."""
    depth = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 8), min_size=depth + 1, max_size=depth + 1))
    n = draw(st.integers(1, 16))
    hidden, output = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
    slope = draw(st.floats(0.01, 0.5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    net = fast_network(sizes, hidden, output, rng, slope, draw(st.sampled_from([0.0, 0.1, 2.0])))
    entries = st.floats(-4, 4, allow_subnormal=False)
    x = draw(hnp.arrays(np.float64, (n, sizes[0]), elements=entries))
    dL_dy = draw(hnp.arrays(np.float64, (n, sizes[-1]), elements=entries))
    return net, x, dL_dy


@given(networks())
def test_fast_equals_textbook_over_shapes(case) -> None:  # type: ignore[no-untyped-def]
    compare(*case)


# --- the textbook form by central differences ----------------------------------------------------
def away_from_kink(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Points with |a| in [0.1, 2]: the kinks at 0 lie ≥ 0.1 ≫ FD_STEP away."""
    return rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("name", NAMES)
def test_textbook_activation_gradcheck(name: str) -> None:
    rng = np.random.default_rng(410)
    act = textbook.ACTIVATIONS[name]()
    result = check_vjp(act.forward, act.backward, away_from_kink(rng, (6, 4)), rng=rng)
    assert result.passed and result.rtol == GRADCHECK_RTOL, result


@pytest.mark.parametrize(("fan_in", "fan_out", "n"), [(1, 4, 3), (3, 5, 8), (6, 1, 7)])
def test_textbook_linear_gradcheck(fan_in: int, fan_out: int, n: int) -> None:
    rng = np.random.default_rng(411)
    layer = textbook.Linear(rng.standard_normal((fan_in, fan_out)), rng.standard_normal(fan_out))
    x = rng.standard_normal((n, fan_in))
    wrt_x = check_vjp(layer.forward, layer.backward, x, rng=rng)

    def param_vjp(c: np.ndarray) -> list[np.ndarray]:
        layer.backward(c)
        return [layer.dL_dW.copy(), layer.dL_db.copy()]

    wrt_params = check_param_vjp(lambda: layer.forward(x), param_vjp, [layer.W, layer.b], rng=rng)
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


@pytest.mark.parametrize("hidden", NAMES)
@pytest.mark.parametrize("sizes", [[1, 16, 16, 1], [4, 9, 3], [2, 6, 6, 6, 2]])
def test_textbook_mlp_gradcheck(sizes: list[int], hidden: str) -> None:
    # Biases of 0.1 as in tests/nn/test_mlp.py: the rounding of a central difference grows
    # with |f| (ε|f|/h), and larger biases raise |f| but not |J t|. Over 40 other seeds
    # (1000-1039) the worst error of these 15 networks is 1.3e-8, a factor 7 below 1e-7 (it was
    # 7.9e-7 before the check measured its error against the size of the terms of <J t, c>,
    # which a random cotangent can make small by cancellation; see GRADCHECK_RTOL).
    rng = np.random.default_rng(412)
    net = fast_network(sizes, hidden, "identity", rng, slope=0.2, bias_scale=0.1)
    slow = textbook.MLP.from_mlp(net)
    # Central differences need every pre-activation of a rectifier farther from 0 than the
    # step moves it (|Δa| ≤ FD_STEP · |J t| ~ 1e-4): the first of 20 seeded points where all are.
    for _ in range(20):
        x = rng.standard_normal((8, sizes[0]))
        slow.forward(x)
        if min(np.abs(act.a).min() for act in slow.activations[:-1]) > 1e-3:
            break
    else:
        pytest.fail("no point with every pre-activation 1e-3 away from 0")
    wrt_x, wrt_params = check_module(slow, x, rng=rng)
    assert wrt_x.passed, wrt_x
    assert wrt_params.passed, wrt_params
    assert wrt_x.max_rel_error <= 1e-7 and wrt_params.max_rel_error <= 1e-7


# --- the comparison detects a broken network -----------------------------------------------------
class NoBiasGradient(textbook.Linear):
    def backward(self, dL_dy):  # type: ignore[no-untyped-def]
        dx = super().backward(dL_dy)
        self.dL_db = np.zeros_like(self.dL_db)
        return dx


def test_a_dropped_bias_gradient_is_detected() -> None:
    rng = np.random.default_rng(420)
    net = fast_network([2, 5, 1], "tanh", "identity", rng)
    slow = textbook.MLP.from_mlp(net)
    slow.layers[1] = NoBiasGradient(slow.layers[1].W, slow.layers[1].b)
    x, dL_dy = rng.standard_normal((6, 2)), rng.standard_normal((6, 1))
    _, _, grads = propagate_bounds(slow, x, dL_dy)
    net.forward(x)
    net.backward(dL_dy)
    gap = np.abs(net.grads[3] - grads[3][0])
    assert (gap > BUG_MIN_RATIO * grads[3][1]).any()


# --- the textbook API and bad input --------------------------------------------------------------
def test_from_mlp_copies_the_weights_and_reads_the_activations() -> None:
    rng = np.random.default_rng(430)
    net = fast_network([3, 4, 2], "leaky_relu", "sigmoid", rng, slope=0.3)
    slow = textbook.MLP.from_mlp(net)
    for p, q in zip(slow.params, net.params, strict=True):
        np.testing.assert_array_equal(p, q)
        assert not np.shares_memory(p, q)
    assert [a.name for a in slow.activations] == ["leaky_relu", "sigmoid"]
    assert slow.activations[0].slope == 0.3
    assert repr(slow) == "MLP(sizes=[3, 4, 2], activations=[leaky_relu, sigmoid])"
    shared = textbook.LeakyReLU(0.2)  # an instance is copied: each layer caches its own a, y
    twice = textbook.MLP(net.params, [shared, shared])
    assert twice.activations[0] is not twice.activations[1] is not shared


@pytest.mark.parametrize(
    ("params", "activations", "match"),
    [
        ([np.ones(3), np.ones(3)], ["tanh"], r"`W` must have shape \(fan_in, fan_out\) \(got"),
        ([np.ones((2, 3)), np.ones(2)], ["tanh"], r"`b` must have shape \(3,\).*\(got \(2,\)\)"),
        ([np.ones((2, 3))], ["tanh"], r"`params` must be a list \[W1, b1, .*\(got 1 array"),
        ([np.ones((2, 3)), np.ones(3)], ["swish"],
         r"`activations\[0\]` must be one of 'identity', .*\(got 'swish'\)"),
        ([np.ones((2, 3)), np.ones(3)], "tanh",
         r"`activations` must name one activation per layer, 1 \(got 'tanh'\)"),
        ([np.ones((2, 3)), np.ones(3)], ["tanh", "tanh"], r"`activations` .*\['tanh', 'tanh'\]"),
        ([np.ones((2, 3)), np.ones(3), np.ones((4, 1)), np.ones(1)], ["tanh", "identity"],
         r"`params\[2\]` must have 3 rows, the width of layer 1 \(got shape \(4, 1\)\)"),
    ],
)
def test_bad_construction_raises(params, activations, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        textbook.MLP(params, activations)


def test_bad_batches_raise() -> None:
    net = textbook.MLP([np.ones((2, 3)), np.zeros(3)], ["tanh"])
    with pytest.raises(RuntimeError, match="`backward` needs a `forward` first"):
        net.backward(np.ones((1, 3)))
    for x in (np.ones(2), np.ones((4, 3)), np.ones((0, 2))):
        with pytest.raises(ValueError, match=r"`x` must have shape \(batch, 2\) \(got \("):
            net.forward(x)
    net.forward(np.ones((4, 2)))
    for g in (np.ones((1, 3)), np.ones(3), np.ones((4, 2))):  # broadcasting would hide (1, 3)
        with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(4, 3\)"):
            net.backward(g)
    with pytest.raises(ValueError, match=r"`slope` must lie in \(0, 1\) \(got 1.5\)"):
        textbook.LeakyReLU(1.5)
    assert copy.copy(net.activations[0]).name == "tanh"
