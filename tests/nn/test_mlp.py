"""Tests of gantheory.nn.MLP: forward/backward against an independent reference, gradient
checks, the parameter layout, batch-size changes, determinism, bad input and flat memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gantheory.nn import GRADCHECK_RTOL, MLP, Adam, check_module

#: Forward/backward through a few layers of width ≤ 16 evaluated in another summation order
#: (batch-major vs feature-major BLAS): agreement to ~1e-15 relative on O(1) values; 1e-12
#: leaves room for cancellation in sums of ~16 terms.
REFERENCE_RTOL = 1e-12
REFERENCE_ATOL = 1e-14

# Independent batch-major reference (written out here, not calling gantheory.nn).
REF_ACT = {
    "tanh": (np.tanh, lambda y: 1 - y**2),
    "sigmoid": (lambda a: 0.5 * (1 + np.tanh(a / 2)), lambda y: y * (1 - y)),
    "relu": (lambda a: np.where(a > 0, a, 0.0), lambda y: (y > 0).astype(float)),
    "leaky_relu": (lambda a: np.where(a > 0, a, 0.01 * a), lambda y: np.where(y > 0, 1.0, 0.01)),
    "identity": (lambda a: a, lambda y: np.ones_like(y)),
}


def reference_forward(params, x, act):
    f = REF_ACT[act][0]
    hs, pre = [x], []
    n_layers = len(params) // 2
    for layer in range(n_layers):
        W, b = params[2 * layer], params[2 * layer + 1]
        a = hs[-1] @ W + b  # (n, i) @ (i, o) -> (n, o)
        pre.append(a)
        hs.append(f(a) if layer < n_layers - 1 else a)
    return hs, pre


def reference_backward(params, hs, dL_dy, act):
    df = REF_ACT[act][1]
    grads = [None] * len(params)
    g = dL_dy
    for layer in reversed(range(len(params) // 2)):
        if layer < len(params) // 2 - 1:
            g = g * df(hs[layer + 1])
        grads[2 * layer] = hs[layer].T @ g  # (i, n) @ (n, o) -> (i, o)
        grads[2 * layer + 1] = g.sum(axis=0)
        g = g @ params[2 * layer].T  # (n, o) @ (o, i) -> (n, i)
    return g, grads


@pytest.mark.parametrize("act", sorted(REF_ACT))
@pytest.mark.parametrize("sizes", [[1, 8, 8, 1], [3, 16, 2], [2, 5, 7, 4, 3]])
def test_forward_and_backward_match_reference(act: str, sizes: list[int]) -> None:
    rng = np.random.default_rng(30)
    net = MLP(sizes, act, rng=rng)
    for b in net.params[1::2]:
        b[...] = 0.1 * rng.standard_normal(b.shape)  # nonzero biases exercise the ones row
    x = rng.standard_normal((11, sizes[0]))
    hs, _ = reference_forward(net.params, x, act)
    assert_allclose(net.forward(x), hs[-1], rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL)
    dL_dy = rng.standard_normal((11, sizes[-1]))
    dL_dx_ref, grads_ref = reference_backward(net.params, hs, dL_dy, act)
    assert_allclose(net.backward(dL_dy), dL_dx_ref, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL)
    for g, g_ref in zip(net.grads, grads_ref, strict=True):
        assert_allclose(g, g_ref, rtol=REFERENCE_RTOL, atol=REFERENCE_ATOL)


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("sizes", [[1, 16, 16, 1], [4, 9, 3], [2, 6, 6, 6, 2]])
def test_gradcheck_smooth_networks(act: str, sizes: list[int]) -> None:
    rng = np.random.default_rng(31)
    net = MLP(sizes, act, rng=rng)
    for b in net.params[1::2]:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    wrt_x, wrt_params = check_module(net, rng.standard_normal((8, sizes[0])), rng=rng)
    assert wrt_x.passed, wrt_x
    assert wrt_params.passed, wrt_params


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_gradcheck_rectifier_networks_away_from_kinks(act: str) -> None:
    # Central differences are only valid where no pre-activation crosses 0 within the step:
    # |Δa| ≤ FD_STEP · |J t| ~ 1e-5 · 10. Check that precondition on the seeded points first.
    rng = np.random.default_rng(32)
    net = MLP([3, 12, 12, 2], act, rng=rng)
    for b in net.params[1::2]:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    x = rng.standard_normal((6, 3))
    _, pre = reference_forward(net.params, x, act)
    assert min(np.abs(a).min() for a in pre[:-1]) > 1e-3
    wrt_x, wrt_params = check_module(net, x, rng=rng)
    assert wrt_x.passed, wrt_x
    assert wrt_params.passed, wrt_params


class StaleCacheMLP(MLP):
    """A buggy MLP whose backward uses the activations of the *first* forward pass ever."""

    def forward(self, x):  # type: ignore[no-untyped-def]
        if not hasattr(self, "_first_x"):
            self._first_x = np.array(x)
        y = super().forward(x)
        super().forward(self._first_x)  # leaves the cache at the first input
        return y


def test_gradcheck_detects_a_stale_cache() -> None:
    rng = np.random.default_rng(33)
    net = StaleCacheMLP([2, 8, 1], "tanh", rng=rng)
    net.forward(rng.standard_normal((5, 2)))
    wrt_x, wrt_params = check_module(net, rng.standard_normal((5, 2)), rng=rng)
    assert not wrt_x.passed
    assert wrt_x.max_rel_error > 1e-3
    assert not wrt_params.passed


def test_parameter_layout_and_flat_views() -> None:
    net = MLP([3, 5, 2], rng=np.random.default_rng(34))
    assert [p.shape for p in net.params] == [(3, 5), (5,), (5, 2), (2,)]
    assert [g.shape for g in net.grads] == [(3, 5), (5,), (5, 2), (2,)]
    assert net.n_params == 3 * 5 + 5 + 5 * 2 + 2
    for p, g in zip(net.params, net.grads, strict=True):
        assert np.shares_memory(p, net.flat_params) and np.shares_memory(g, net.flat_grads)
    net.flat_params[:] = np.arange(net.n_params)
    assert_array_equal(net.params[0].ravel(), np.arange(15))
    assert_array_equal(net.params[1], np.arange(15, 20))
    assert repr(net) == "MLP(sizes=[3, 5, 2], activations=[tanh, identity])"


def test_grads_are_overwritten_not_accumulated_and_can_be_skipped() -> None:
    rng = np.random.default_rng(35)
    net = MLP([2, 6, 6, 1], rng=rng)
    x = rng.standard_normal((4, 2))

    def backward(dL_dy: np.ndarray, **kwargs: bool) -> np.ndarray:
        net.forward(x)  # each forward supports one backward
        return net.backward(dL_dy, **kwargs)

    backward(np.ones((4, 1)))
    once = [g.copy() for g in net.grads]
    backward(np.ones((4, 1)))
    for g, g1 in zip(net.grads, once, strict=True):
        assert_array_equal(g, g1)
    # Scaling by 2 is exact in binary floating point, so results compare bit for bit.
    dL_dx_full = backward(2 * np.ones((4, 1)))
    dL_dx_only = backward(np.ones((4, 1)), param_grads=False)
    assert_array_equal(dL_dx_full, 2 * dL_dx_only)
    for g, g1 in zip(net.grads, once, strict=True):
        assert_array_equal(g, 2 * g1)  # untouched by the param_grads=False call


def test_input_gradient_can_be_skipped() -> None:
    """``input_grad=False`` gives the same parameter gradients bit for bit and returns None."""
    rng = np.random.default_rng(36)
    for sizes in ([2, 6, 6, 1], [1, 5, 3], [3, 4]):
        net = MLP(sizes, rng=rng)
        x = rng.standard_normal((7, sizes[0]))
        dL_dy = rng.standard_normal((7, sizes[-1]))
        net.forward(x)
        assert net.backward(dL_dy).shape == x.shape
        full = [g.copy() for g in net.grads]
        net.grads[0].fill(np.nan)  # must be overwritten again
        net.forward(x)
        assert net.backward(dL_dy, input_grad=False) is None
        for g, g1 in zip(net.grads, full, strict=True):
            assert_array_equal(g, g1)
    net.forward(x)
    with pytest.raises(ValueError, match="`param_grads` and `input_grad` must not both be False"):
        net.backward(dL_dy, param_grads=False, input_grad=False)


def test_a_failed_forward_leaves_nothing_to_backpropagate() -> None:
    net = MLP([1, 4, 1], rng=np.random.default_rng(0))
    net.forward(np.ones((3, 1)))
    with pytest.raises(ValueError, match="`x` must be finite"):
        net.forward(np.full((3, 1), np.nan))
    with pytest.raises(RuntimeError, match="`backward` needs a fresh `forward`"):
        net.backward(np.ones((3, 1)))


def test_a_second_backward_needs_a_new_forward() -> None:
    # The backward pass writes gradients over the cached activations (a smaller working set),
    # so reusing them silently would be wrong: it must raise instead.
    net = MLP([1, 4, 1], rng=np.random.default_rng(0))
    net.forward(np.ones((3, 1)))
    net.backward(np.ones((3, 1)))
    with pytest.raises(RuntimeError, match="`backward` needs a fresh `forward`"):
        net.backward(np.ones((3, 1)))


def test_changing_batch_sizes_share_the_arena_correctly() -> None:
    # Sizes grow and shrink (the arena is reallocated and its prefix reused); each result must
    # equal a fresh network's, bit for bit.
    rng = np.random.default_rng(36)
    net = MLP([1, 7, 7, 1], rng=np.random.default_rng(5))
    for n in [16, 4, 32, 16, 1, 32, 8]:
        x = rng.standard_normal((n, 1))
        g = rng.standard_normal((n, 1))
        fresh = MLP([1, 7, 7, 1], rng=np.random.default_rng(5))
        assert_array_equal(net.forward(x), fresh.forward(x))
        assert_array_equal(net.backward(g), fresh.backward(g))
        for a, b in zip(net.grads, fresh.grads, strict=True):
            assert_array_equal(a, b)


def test_forward_returns_a_fresh_array() -> None:
    rng = np.random.default_rng(37)
    net = MLP([1, 4, 1], rng=rng)
    y1 = net.forward(np.ones((3, 1)))
    y1_copy = y1.copy()
    net.forward(np.zeros((3, 1)))
    assert_array_equal(y1, y1_copy)


def test_same_seed_gives_bit_identical_networks_and_outputs() -> None:
    a = MLP([1, 8, 8, 1], "relu", rng=np.random.default_rng(99))
    b = MLP([1, 8, 8, 1], "relu", rng=np.random.default_rng(99))
    assert a.flat_params.tobytes() == b.flat_params.tobytes()
    x = np.random.default_rng(1).standard_normal((5, 1))
    assert a.forward(x).tobytes() == b.forward(x).tobytes()
    c = MLP([1, 8, 8, 1], "relu", rng=np.random.default_rng(100))
    assert a.flat_params.tobytes() != c.flat_params.tobytes()


def test_default_init_follows_the_activation() -> None:
    # He (variance 2/fan_in) for rectifiers, Glorot (bounded by sqrt(6/(in+out))) otherwise.
    relu = MLP([200, 300, 1], "relu", rng=np.random.default_rng(38))
    assert_allclose(relu.params[0].var(), 2 / 200, rtol=0.05)  # 60,000 draws: SE ≈ 0.6%
    tanh = MLP([200, 300, 1], "tanh", rng=np.random.default_rng(38))
    assert np.abs(tanh.params[0]).max() <= np.sqrt(6 / 500)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.ones((5, 4)), r"`x` must have shape \(batch, 3\) \(got \(5, 4\)\)"),
        (np.ones(3), r"`x` must have shape \(batch, 3\) \(got \(3,\)\)"),
        (np.ones((0, 3)), r"`x` must have shape \(batch, 3\) \(got \(0, 3\)\)"),
        (
            np.array([[1.0, np.nan, 0.0]]),
            r"`x` must be finite \(got 1 non-finite value\(s\), first nan\)",
        ),
        (np.array([[1.0, 2.0, -np.inf]]), r"`x` must be finite .*first -inf\)"),
    ],
)
def test_forward_rejects_bad_input(x: np.ndarray, match: str) -> None:
    net = MLP([3, 4, 1], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        net.forward(x)


def test_backward_rejects_wrong_gradient_shape_and_missing_forward() -> None:
    net = MLP([3, 4, 2], rng=np.random.default_rng(0))
    with pytest.raises(RuntimeError, match="`backward` needs a fresh `forward`"):
        net.backward(np.ones((5, 2)))
    net.forward(np.ones((5, 3)))
    with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(5, 2\) \(got \(5, 1\)\)"):
        net.backward(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"`dL_dy` must have shape \(5, 2\) \(got \(2, 5\)\)"):
        net.backward(np.ones((2, 5)))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"sizes": [3]},
            ValueError,
            r"`sizes` must be a sequence of at least two widths \(got \[3\]\)",
        ),
        ({"sizes": "31"}, ValueError, r"`sizes` must be a sequence .*\(got '31'\)"),
        ({"sizes": [3, 0, 1]}, ValueError, r"`sizes` must be a positive integer \(got 0\)"),
        ({"sizes": [3, 2.0]}, ValueError, r"`sizes` must be a positive integer \(got 2.0\)"),
        ({"activation": "gelu"}, ValueError, r"`activation` must be one of .* \(got 'gelu'\)"),
        ({"output_activation": "softmax"}, ValueError, r"`activation` must be one of .*'softmax'"),
        ({"init": "lecun"}, ValueError, r"`init` must be one of 'glorot', 'he' \(got 'lecun'\)"),
        ({"rng": np.random.RandomState(0)}, TypeError, r"`rng` must be a numpy.random.Generator"),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs: dict, error: type, match: str) -> None:
    args = {"sizes": [3, 4, 1], "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=match):
        MLP(**args)


def test_rng_is_required_and_keyword_only() -> None:
    with pytest.raises(TypeError):
        MLP([1, 2, 1])  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        MLP([1, 2, 1], "tanh", np.random.default_rng(0))  # type: ignore[misc]


def test_memory_is_flat_over_many_training_steps() -> None:
    # A full GAN-style step (D on a stacked batch of 2n, G through D, Adam on both) must not
    # grow the set of live allocations: after warm-up, the traced memory after 30 and after
    # 230 more steps agrees to within a few small temporaries (slack 4 KiB).
    rng = np.random.default_rng(39)
    G = MLP([1, 16, 16, 1], rng=rng)
    D = MLP([1, 16, 16, 1], rng=rng)
    opt_G, opt_D = Adam([G.flat_params], lr=1e-3), Adam([D.flat_params], lr=1e-3)

    def step() -> None:
        real = 2.0 + 0.5 * rng.standard_normal((32, 1))
        logits = D.forward(np.vstack([real, G.forward(rng.standard_normal((32, 1)))]))
        D.backward(np.where(np.arange(64)[:, None] < 32, -1.0, 1.0) * 0.5 / 32)
        opt_D.step([D.flat_grads])
        fake_logits = D.forward(G.forward(rng.standard_normal((32, 1))))
        G.backward(D.backward(-np.ones_like(fake_logits) / 32, param_grads=False))
        opt_G.step([G.flat_grads])
        del logits

    for _ in range(20):
        step()
    tracemalloc.start()
    try:
        for _ in range(30):
            step()
        early, _ = tracemalloc.get_traced_memory()
        for _ in range(200):
            step()
        late, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert late - early <= 4096, (early, late)


def test_gradcheck_tolerance_is_the_documented_one() -> None:
    assert GRADCHECK_RTOL == 1e-7


def test_a_deep_copy_after_training_computes_what_the_original_computes() -> None:
    # the arena caches views per batch size: a copy must not keep views of copied buffers
    import copy

    rng = np.random.default_rng(0)
    net = MLP([1, 8, 8, 1], "tanh", rng=rng)
    x = rng.standard_normal((10, 1))
    net.forward(x)
    net.backward(np.ones((10, 1)))  # the backward pass overwrites the cached activations
    twin = copy.deepcopy(net)
    x2 = rng.standard_normal((10, 1))  # the same batch size as the cached workspace
    np.testing.assert_array_equal(twin.forward(x2), net.forward(x2))
    # the copy's parameters are its own, and views of its flat vector as in the original
    twin.flat_params *= 2.0
    assert twin.params[0] is not net.params[0]
    np.testing.assert_array_equal(twin.params[0], 2.0 * net.params[0])
    assert not np.array_equal(twin.forward(x2), net.forward(x2))
