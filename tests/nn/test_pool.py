"""Tests of gantheory.nn.pool: AvgPool2d, MaxPool2d and Upsample against direct loop definitions,
the tie rule of max pooling, the adjoint identities and the relations between the layers,
gradient checks alone and inside Sequential chains (the pooling discriminator and the
resize-convolution generator), bad input, and (if installed) PyTorch."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from gantheory.nn import (
    GRADCHECK_RTOL,
    AvgPool2d,
    Conv2d,
    Elementwise,
    Flatten,
    LeakyReLU,
    MaxPool2d,
    ReLU,
    Reshape,
    Sequential,
    Tanh,
    Upsample,
    check_module,
)

EPS = np.finfo(np.float64).eps

#: (kernel_size, stride, (H, W)): the classic 2 × 2 / 2 pooling, windows that leave a remainder
#: row or column unread, overlapping windows (stride < kernel), gaps between windows (stride >
#: kernel), a non-square kernel and stride, a 1 × 1 kernel (the identity) and a kernel as large
#: as the image (global pooling).
POOL_CASES = [
    (2, None, (4, 4)),
    (2, None, (5, 7)),
    (3, 2, (7, 6)),
    ((2, 3), (1, 2), (5, 7)),
    (2, 3, (7, 8)),
    (3, 1, (4, 5)),
    (1, None, (3, 2)),
    ((4, 3), None, (4, 3)),
]

#: (scale_factor, (H, W)) for Upsample.
UPSAMPLE_CASES = [(2, (3, 4)), (3, (2, 2)), ((2, 1), (3, 3)), ((1, 3), (2, 5)), (1, (2, 3))]

#: The layers are linear (average pooling, upsampling) or linear near a point without ties
#: (max pooling), so a central difference has no truncation error at any step, only rounding,
#: ~ε|y|/h relative to |Jt|. At h = FD_STEP that left errors up to 9.7e-8 (upsampling, 30
#: seeds), a factor 1.03 below GRADCHECK_RTOL; the step 1e-3 divides the rounding by 100
#: (worst 7.5e-10 over the same 30 seeds and all three layers), the tolerance unchanged.
LINEAR_STEP = 1e-3

#: Values of a max-pooling input for gradient checks: a random permutation of (i − size/2)·δ,
#: so any two values differ by at least δ. Max pooling is linear wherever no window's arg-max
#: changes; the central differences move each value by at most h·|t_i| ≤ h = LINEAR_STEP (unit
#: directions), below δ/2, so the arg-max of every window is the same at x and at x ± h t and
#: the differences are those of a linear map. Near-ties (random normal values) could put two
#: values of a window within 2h of each other, where the difference quotient mixes both
#: branches and is no derivative of either.
SEPARATION = 0.01

#: A kink of ReLU / LeakyReLU, or a tie of the two largest values of a max-pooling window,
#: closer than this could be crossed by the central differences of a chain: a step h = 1e-5
#: along a unit direction moves each pre-activation by at most h·|∂a/∂(x, θ)|, and those
#: gradients are O(1) in these small chains (≲ 10).
KINK_MARGIN = 1e-4


def pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else v


def gamma(n: int) -> float:
    """γ_n = n ε / (1 − n ε): a sum of n terms in floating point is within γ_{n−1} Σ|terms| of
    the exact sum, in any order (Higham 2002, eq. 3.5)."""
    return n * EPS / (1 - n * EPS)


def windows(hw, kernel, stride):  # type: ignore[no-untyped-def]
    """The definition of the windows: for each output (i, j), the positions (r, q) it reads,
    in row-major order (u outer, v inner)."""
    (kh, kw), (sh, sw) = pair(kernel), pair(kernel if stride is None else stride)
    ho, wo = (hw[0] - kh) // sh + 1, (hw[1] - kw) // sw + 1
    return {
        (i, j): [(sh * i + u, sw * j + v) for u in range(kh) for v in range(kw)]
        for i in range(ho)
        for j in range(wo)
    }


def naive_avg_pool(x, g, kernel, stride):  # type: ignore[no-untyped-def]
    """y and the backward of g by the definition, with correctly rounded sums (math.fsum):
    y[n,c,i,j] = mean of the window; dL/dx[n,c,r,q] = Σ over the windows holding (r, q) of
    g[n,c,i,j]/(kh kw). Also returns Σ|terms|/(kh kw) of each entry of both."""
    N, C, H, W = x.shape
    win = windows((H, W), kernel, stride)
    k = len(next(iter(win.values())))
    ho, wo = max(win)[0] + 1, max(win)[1] + 1
    y, y_mag = np.zeros((N, C, ho, wo)), np.zeros((N, C, ho, wo))
    terms: dict[tuple[int, ...], list[float]] = {}
    for n, c, (i, j) in itertools.product(range(N), range(C), win):
        values = [float(x[n, c, r, q]) for r, q in win[i, j]]
        y[n, c, i, j] = math.fsum(values) / k
        y_mag[n, c, i, j] = math.fsum(map(abs, values)) / k
        for r, q in win[i, j]:
            terms.setdefault((n, c, r, q), []).append(float(g[n, c, i, j]))
    dx, dx_mag = np.zeros(x.shape), np.zeros(x.shape)
    for index, parts in terms.items():
        dx[index] = math.fsum(parts) / k
        dx_mag[index] = math.fsum(map(abs, parts)) / k
    return y, dx, y_mag, dx_mag, k


def naive_max_pool(x, g, kernel, stride):  # type: ignore[no-untyped-def]
    """y and the backward of g by the definition: the arg-max of each window is the first
    maximum in row-major order (np.argmax of the window flattened in C order); the gradient
    g[n,c,i,j] goes there. The backward's sums are correctly rounded; also returns Σ|terms|."""
    N, C, H, W = x.shape
    win = windows((H, W), kernel, stride)
    ho, wo = max(win)[0] + 1, max(win)[1] + 1
    y = np.zeros((N, C, ho, wo))
    terms: dict[tuple[int, ...], list[float]] = {}
    for n, c, (i, j) in itertools.product(range(N), range(C), win):
        values = np.array([x[n, c, r, q] for r, q in win[i, j]])
        first = int(np.argmax(values))  # the first occurrence of the maximum (or of a NaN)
        y[n, c, i, j] = values[first]
        r, q = win[i, j][first]
        terms.setdefault((n, c, r, q), []).append(float(g[n, c, i, j]))
    dx, dx_mag = np.zeros(x.shape), np.zeros(x.shape)
    for index, parts in terms.items():
        dx[index] = math.fsum(parts)
        dx_mag[index] = math.fsum(map(abs, parts))
    return y, dx, dx_mag


def naive_upsample(x, g, scale):  # type: ignore[no-untyped-def]
    """y[n,c,i,j] = x[n,c,i//sh,j//sw] and dL/dx[n,c,r,q] = Σ of g over block (r, q), the latter
    correctly rounded; also returns Σ|terms| of the backward."""
    sh, sw = pair(scale)
    N, C, H, W = x.shape
    y = np.zeros((N, C, H * sh, W * sw))
    for n, c, i, j in itertools.product(range(N), range(C), range(H * sh), range(W * sw)):
        y[n, c, i, j] = x[n, c, i // sh, j // sw]
    dx, dx_mag = np.zeros(x.shape), np.zeros(x.shape)
    for n, c, r, q in itertools.product(range(N), range(C), range(H), range(W)):
        block = [float(v) for v in g[n, c, sh * r : sh * r + sh, sw * q : sw * q + sw].ravel()]
        dx[n, c, r, q], dx_mag[n, c, r, q] = math.fsum(block), math.fsum(map(abs, block))
    return y, dx, dx_mag


def separated(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values (i − size/2)·SEPARATION in random order: no two within SEPARATION of each other."""
    size = int(np.prod(shape))
    return (SEPARATION * (rng.permutation(size) - size / 2)).reshape(shape)


# --- the definitions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "s", "hw"), POOL_CASES)
def test_avg_pool_matches_the_direct_definition(k, s, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(400)
    pool = AvgPool2d(k, s)
    x = rng.standard_normal((2, 3, *hw))
    y = pool.forward(x)
    g = rng.standard_normal(y.shape)
    want_y, want_dx, y_mag, dx_mag, n_taps = naive_avg_pool(x, g, k, s)
    assert y.shape == want_y.shape
    dx = pool.backward(g)
    assert dx.shape == x.shape
    # ours: a sum of kh·kw terms (γ_{k−1} Σ|terms|) and one division or k roundings of g/k;
    # the reference: one rounding of the exact sum and one of the division. Within γ_{k+1}.
    assert (np.abs(y - want_y) <= gamma(n_taps + 1) * y_mag).all()
    assert (np.abs(dx - want_dx) <= gamma(n_taps + 1) * dx_mag).all()
    unread = np.ones(hw, dtype=bool)
    for positions in windows(hw, k, s).values():
        for r, q in positions:
            unread[r, q] = False
    assert_array_equal(dx[:, :, unread], 0.0)  # positions no window reads get no gradient


@pytest.mark.parametrize("values", ["normal", "ties"])
@pytest.mark.parametrize(("k", "s", "hw"), POOL_CASES)
def test_max_pool_matches_the_direct_definition(k, s, hw, values) -> None:  # type: ignore[no-untyped-def]
    # "ties": integers 0..2, so most windows hold their maximum more than once; the first
    # copy in row-major window order must get the gradient
    rng = np.random.default_rng(401)
    pool = MaxPool2d(k, s)
    shape = (2, 3, *hw)
    x = rng.standard_normal(shape) if values == "normal" else rng.integers(0, 3, shape) * 1.0
    y = pool.forward(x)
    g = rng.standard_normal(y.shape)
    want_y, want_dx, dx_mag = naive_max_pool(x, g, k, s)
    assert_array_equal(y, want_y)  # a maximum is one of the values: no rounding
    n_windows = len(windows(hw, k, s))  # more than the windows that can share a position
    assert (np.abs(pool.backward(g) - want_dx) <= gamma(n_windows) * dx_mag).all()


@pytest.mark.parametrize(("scale", "hw"), UPSAMPLE_CASES)
def test_upsample_matches_the_direct_definition(scale, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(402)
    up = Upsample(scale)
    x = rng.standard_normal((2, 3, *hw))
    y = up.forward(x)
    g = rng.standard_normal(y.shape)
    want_y, want_dx, dx_mag = naive_upsample(x, g, scale)
    assert_array_equal(y, want_y)  # copies: no rounding
    sh, sw = pair(scale)
    assert (np.abs(up.backward(g) - want_dx) <= gamma(sh * sw) * dx_mag).all()


def test_max_pool_ties_go_to_the_first_maximum_in_row_major_order() -> None:
    pool = MaxPool2d(2)
    # a window with its maximum at (0, 1) and (1, 0): row-major order picks (0, 1) (column-major
    # order would pick (1, 0)); a window that is all ties gives everything to (0, 0)
    x = np.array([[[[1.0, 3.0, 5.0, 5.0], [3.0, 0.0, 5.0, 5.0]]]])
    assert_array_equal(pool.forward(x), [[[[3.0, 5.0]]]])
    assert_array_equal(pool.backward(np.array([[[[2.0, 7.0]]]])),
                       [[[[0.0, 2.0, 7.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]])
    # overlapping windows sharing their maximum add their gradients there
    overlap = MaxPool2d((1, 2), 1)
    overlap.forward(np.array([[[[0.0, 4.0, 1.0]]]]))
    assert_array_equal(overlap.backward(np.array([[[[2.0, 3.0]]]])), [[[[0.0, 5.0, 0.0]]]])


def test_max_pool_propagates_nan_to_its_first_copy() -> None:
    pool = MaxPool2d(2)
    x = np.array([[[[1.0, 2.0], [np.nan, np.nan]]]])
    assert np.isnan(pool.forward(x)).all()
    assert_array_equal(pool.backward(np.ones((1, 1, 1, 1))), [[[[0.0, 0.0], [1.0, 0.0]]]])


# --- relations between the layers and adjoints -------------------------------------------------


@pytest.mark.parametrize(("scale", "hw"), UPSAMPLE_CASES)
def test_pooling_an_upsampled_image_gives_it_back(scale, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(403)
    x = rng.standard_normal((2, 3, *hw))
    up = Upsample(scale)
    big = up.forward(x)
    sh, sw = pair(scale)
    # the mean of s_h s_w equal values: s_h s_w − 1 additions and one division, each one
    # rounding of at most ε/2 relative
    assert (np.abs(AvgPool2d(scale).forward(big) - x) <= gamma(sh * sw) * np.abs(x)).all()
    pool = MaxPool2d(scale)
    assert_array_equal(pool.forward(big), x)
    # every window is a tie of s_h s_w copies: the gradient goes to the top-left one
    g = rng.standard_normal(x.shape)
    want = np.zeros(big.shape)
    want[:, :, ::sh, ::sw] = g
    assert_array_equal(pool.backward(g), want)


@pytest.mark.parametrize(("scale", "hw"), UPSAMPLE_CASES)
def test_avg_pool_is_the_transpose_of_upsampling_over_the_block_size(scale, hw) -> None:  # type: ignore[no-untyped-def]
    # with kernel = stride = scale on an image of s_h H × s_w W: AvgPool = Upᵀ / (s_h s_w) and
    # AvgPoolᵀ = Up / (s_h s_w) (both sides sums of s_h s_w terms, within γ_{s_h s_w + 1})
    rng = np.random.default_rng(404)
    sh, sw = pair(scale)
    up, pool = Upsample(scale), AvgPool2d(scale)
    x = rng.standard_normal((2, 3, *hw))
    big = rng.standard_normal((2, 3, sh * hw[0], sw * hw[1]))
    up.forward(x)
    mag = naive_avg_pool(np.abs(big), np.zeros(x.shape), scale, None)[2]
    bound = gamma(sh * sw + 1) * mag
    assert (np.abs(pool.forward(big) - up.backward(big) / (sh * sw)) <= 2 * bound).all()
    spread = pool.backward(x)
    assert (np.abs(spread - up.forward(x) / (sh * sw)) <= EPS * np.abs(spread)).all()


def _adjoint_gap(layer, x, rng):  # type: ignore[no-untyped-def]
    """<f(x), y> − <x, backward(y)> for a random y, and the bound 2 γ_n Σ|products| on it."""
    fx = layer.forward(x)
    y = rng.standard_normal(fx.shape)
    lhs, rhs = float(np.vdot(fx, y)), float(np.vdot(x, layer.backward(y)))
    # the same products x_r·y_ij (times 1/k for the average) summed in different orders; with
    # magnitudes the layer computes Σ|products| (its map has non-negative coefficients)
    layer.forward(np.abs(x))
    mag = float(np.vdot(np.abs(x), layer.backward(np.abs(y))))
    n = 2 * (fx.size + x.size) * int(np.prod(getattr(layer, "kernel_size", (1, 1))))
    return abs(lhs - rhs), 2 * gamma(n) * mag


@pytest.mark.parametrize(("scale", "hw"), UPSAMPLE_CASES)
def test_upsample_backward_is_the_adjoint_of_its_forward(scale, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(405)
    gap, bound = _adjoint_gap(Upsample(scale), rng.standard_normal((3, 2, *hw)), rng)
    assert gap <= bound, (gap, bound)


@pytest.mark.parametrize("layer_type", [AvgPool2d, MaxPool2d])
@pytest.mark.parametrize(("k", "s", "hw"), POOL_CASES)
def test_pool_backward_is_the_transpose_of_its_linear_map(layer_type, k, s, hw) -> None:  # type: ignore[no-untyped-def]
    # average pooling is linear; max pooling is linear (a selection) near a point without ties,
    # and both the point x and |x| here select the same positions (positive separated values)
    rng = np.random.default_rng(406)
    x = separated(rng, (2, 3, *hw)) + SEPARATION * 10**4  # all positive: |x| = x
    gap, bound = _adjoint_gap(layer_type(k, s), x, rng)
    assert gap <= bound, (gap, bound)


# --- gradient checks -------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "s", "hw"), POOL_CASES)
def test_avg_pool_gradcheck(k, s, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(407)
    pool = AvgPool2d(k, s)
    x = rng.standard_normal((2, 3, *hw))
    wrt_x, wrt_params = check_module(pool, x, rng=rng, step=LINEAR_STEP)
    assert wrt_x.passed, wrt_x
    assert wrt_x.rtol == GRADCHECK_RTOL
    assert pool.params == [] and pool.n_params == 0 and wrt_params.passed


@pytest.mark.parametrize(("k", "s", "hw"), POOL_CASES)
def test_max_pool_gradcheck(k, s, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(408)
    pool = MaxPool2d(k, s)
    wrt_x, _ = check_module(pool, separated(rng, (2, 3, *hw)), rng=rng, step=LINEAR_STEP)
    assert wrt_x.passed, wrt_x
    assert pool.params == [] and pool.n_params == 0


@pytest.mark.parametrize(("scale", "hw"), UPSAMPLE_CASES)
def test_upsample_gradcheck(scale, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(409)
    up = Upsample(scale)
    wrt_x, _ = check_module(up, rng.standard_normal((2, 3, *hw)), rng=rng, step=LINEAR_STEP)
    assert wrt_x.passed, wrt_x
    assert up.params == [] and up.n_params == 0


def pooling_discriminator(rng: np.random.Generator) -> Sequential:
    """(N, 1, 8, 8) -> logits (N, 1), downsampling by pooling instead of strided convolutions."""
    return Sequential(
        Conv2d(1, 4, 3, 1, 1, rng=rng),  # -> (4, 8, 8)
        ReLU(),
        AvgPool2d(2),  # -> (4, 4, 4)
        Conv2d(4, 6, 3, 1, 1, rng=rng),  # -> (6, 4, 4)
        LeakyReLU(0.2),
        MaxPool2d(3, 1),  # -> (6, 2, 2), overlapping windows
        Conv2d(6, 1, 2, rng=rng),  # -> (1, 1, 1)
        Flatten(),
    )


def resize_conv_generator(rng: np.random.Generator, z_dim: int = 8) -> Sequential:
    """z (N, z_dim) -> (N, 1, 8, 8), upsampling by nearest neighbours then a convolution."""
    return Sequential(
        Reshape((z_dim // 4, 2, 2)),
        Upsample(2),  # -> (2, 4, 4)
        Conv2d(z_dim // 4, 4, 3, 1, 1, rng=rng),  # -> (4, 4, 4)
        ReLU(),
        Upsample((2, 2)),  # -> (4, 8, 8)
        Conv2d(4, 1, 3, 1, 1, rng=rng),  # -> (1, 8, 8)
        Tanh(),
    )


def he_scaled(net: Sequential) -> Sequential:
    """Convolution weights scaled by sqrt(6), from PyTorch's default bound 1/sqrt(fan_in) to He
    et al. 2015's sqrt(6/fan_in): a gain of about one per layer, so that the chain's Jacobian is
    O(1) and the checks' rounding error ε|f|/(h|Jt|) stays small."""
    for layer in net.layers:
        if isinstance(layer, Sequential):
            he_scaled(layer)
        elif isinstance(layer, Conv2d):
            layer.weight *= np.sqrt(6.0)
    return net


def margins(net: Sequential, x: np.ndarray) -> tuple[float, float]:
    """(smallest |pre-activation| entering a ReLU or LeakyReLU, smallest gap between the two
    largest values of a max-pooling window) in a forward pass of ``x``."""
    kink = gap = np.inf
    h = x
    for layer in net.layers:
        if isinstance(layer, Sequential):
            inner = margins(layer, h)
            kink, gap = min(kink, inner[0]), min(gap, inner[1])
        elif isinstance(layer, Elementwise) and isinstance(layer.activation, ReLU | LeakyReLU):
            kink = min(kink, float(np.abs(h).min()))
        elif isinstance(layer, MaxPool2d):
            for positions in windows(h.shape[2:], layer.kernel_size, layer.stride).values():
                values = np.sort(np.stack([h[:, :, r, q] for r, q in positions]), axis=0)
                gap = min(gap, float((values[-1] - values[-2]).min()))
        h = layer.forward(h)
    return kink, gap


@pytest.mark.parametrize("chain", ["discriminator", "generator", "generator -> discriminator"])
def test_chains_inside_sequential_gradcheck(chain: str) -> None:
    rng = np.random.default_rng(410)
    parts = {
        "discriminator": lambda: pooling_discriminator(rng),
        "generator": lambda: resize_conv_generator(rng),
        "generator -> discriminator": lambda: Sequential(
            resize_conv_generator(rng), pooling_discriminator(rng)
        ),
    }
    net = he_scaled(parts[chain]())
    x = rng.standard_normal((3, 1, 8, 8) if chain == "discriminator" else (3, 8))
    kink, gap = margins(net, x)
    assert kink > KINK_MARGIN and gap > KINK_MARGIN, (kink, gap)
    # The default step (the chains have kinks, so no larger one). Over seeds 0-29 with these
    # margins the worst error was 6e-8, except one check of the discriminator (of 4 x 30)
    # where |Jt| = 0.01 and <Jt, c> cancelled to 2e-3 of |Jt||c|: 3e-6 from rounding alone
    # (3.5e-9 at h = 1e-3, no kink crossed).
    wrt_x, wrt_params = check_module(net, x, rng=rng, n_directions=4)
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


# --- sizes, memory order and options -------------------------------------------------------


@pytest.mark.parametrize(
    ("h", "k", "s"), list(itertools.product([1, 2, 5, 8], [1, 2, 3, 4], [1, 2, 3, 5]))
)
def test_pool_output_size_is_the_number_of_window_positions(h: int, k: int, s: int) -> None:
    positions = len(range(0, h - k + 1, s))
    for layer_type in (AvgPool2d, MaxPool2d):
        pool = layer_type(k, s)
        x = np.zeros((1, 2, h, h + 1))
        if positions >= 1:  # a window that does not tile the image is fine
            assert pool.forward(x).shape == (1, 2, positions, len(range(0, h + 1 - k + 1, s)))
        else:
            with pytest.raises(ValueError, match="is too small for"):
                pool.forward(x)


@pytest.mark.parametrize(
    "layer", [AvgPool2d(2, 1), MaxPool2d((2, 3), (1, 2)), Upsample((2, 3))], ids=repr
)
def test_results_do_not_depend_on_the_memory_order_of_the_input(layer) -> None:  # type: ignore[no-untyped-def]
    # an NCHW C-contiguous input and the (H, W, N, C)-ordered output of a convolution
    rng = np.random.default_rng(411)
    x = rng.standard_normal((3, 2, 5, 7))
    hwnc = np.ascontiguousarray(x.transpose(2, 3, 0, 1)).transpose(2, 3, 0, 1)
    y = layer.forward(x)
    assert not np.shares_memory(y, x)  # a new array: the input can be changed afterwards
    g = rng.standard_normal(y.shape)
    dx = layer.backward(g)
    assert_array_equal(layer.forward(hwnc), y)
    assert_array_equal(layer.backward(np.asfortranarray(g)), dx)


@pytest.mark.parametrize("layer", [AvgPool2d(2), MaxPool2d(2, 1), Upsample(2)], ids=repr)
def test_backward_options_and_repeated_backward(layer) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(412)
    x = separated(rng, (2, 3, 4, 4))
    g = rng.standard_normal(layer.forward(x).shape)
    dx = layer.backward(g)
    assert_array_equal(layer.backward(g), dx)  # the same forward cache gives the same result
    assert_array_equal(layer.backward(g, param_grads=False), dx)
    assert layer.backward(g, input_grad=False) is None
    assert layer.train(False) is layer and not layer.training  # no mode-dependent rule
    assert_array_equal(layer.forward(x), Sequential(layer).eval().forward(x))


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kernel_size": 0}, r"`kernel_size` must be a positive integer or a pair .*\(got 0\)"),
        ({"kernel_size": -2}, r"`kernel_size` must be a positive integer .*\(got -2\)"),
        ({"kernel_size": 2.0}, r"`kernel_size` must be a positive integer .*\(got 2.0\)"),
        ({"kernel_size": (2, 0)}, r"`kernel_size` .*\(got \(2, 0\)\)"),
        ({"kernel_size": (2, 2, 2)}, r"`kernel_size` .*\(got \(2, 2, 2\)\)"),
        ({"kernel_size": True}, r"`kernel_size` .*\(got True\)"),
        ({"kernel_size": None}, r"`kernel_size` .*\(got None\)"),
        ({"stride": 0}, r"`stride` must be a positive integer or a pair .*\(got 0\)"),
        ({"stride": 1.5}, r"`stride` .*\(got 1.5\)"),
        ({"stride": (1, -1)}, r"`stride` .*\(got \(1, -1\)\)"),
    ],
)
@pytest.mark.parametrize("layer_type", [AvgPool2d, MaxPool2d])
def test_pool_constructors_reject_bad_arguments(layer_type, kwargs, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        layer_type(**({"kernel_size": 2} | kwargs))


@pytest.mark.parametrize(
    ("scale", "match"),
    [
        (0, r"`scale_factor` must be a positive integer or a pair of them \(got 0\)"),
        (-1, r"`scale_factor` .*\(got -1\)"),
        (2.0, r"`scale_factor` .*\(got 2.0\)"),
        (1.5, r"`scale_factor` .*\(got 1.5\)"),
        ((2, 0), r"`scale_factor` .*\(got \(2, 0\)\)"),
        ("2", r"`scale_factor` .*\(got '2'\)"),
        (None, r"`scale_factor` .*\(got None\)"),
    ],
)
def test_upsample_rejects_bad_scale_factors(scale, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        Upsample(scale)


@pytest.mark.parametrize(
    ("x_shape", "match"),
    [
        ((2, 3, 5), r"`x` must have 4 dimensions \(batch, channels, height, width\) "
         r"\(got shape \(2, 3, 5\)\)"),
        ((2, 3, 5, 5, 1), r"`x` must have 4 dimensions .*\(got shape \(2, 3, 5, 5, 1\)\)"),
        ((16,), r"`x` must have 4 dimensions .*\(got shape \(16,\)\)"),
        ((0, 3, 4, 4), r"`x` must have a non-empty batch, channels and image "
         r"\(got shape \(0, 3, 4, 4\)\)"),
        ((2, 0, 4, 4), r"`x` must have a non-empty .*\(got shape \(2, 0, 4, 4\)\)"),
        ((2, 3, 4, 0), r"`x` must have a non-empty .*\(got shape \(2, 3, 4, 0\)\)"),
    ],
)
@pytest.mark.parametrize("layer", [AvgPool2d(2), MaxPool2d(2), Upsample(2)], ids=repr)
def test_forward_rejects_bad_input_shapes(layer, x_shape, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        layer.forward(np.zeros(x_shape))


@pytest.mark.parametrize(
    ("k", "s", "hw", "match"),
    [
        (3, None, (2, 5), r"`x` of shape \(1, 1, 2, 5\) is too small for kernel_size=\(3, 3\), "
         r"stride=\(3, 3\): the output would be 0 x 1"),
        (5, 1, (4, 6), r"`x` of shape \(1, 1, 4, 6\) is too small .* 0 x 2"),
        ((1, 4), 2, (3, 3), r"`x` of shape \(1, 1, 3, 3\) is too small for kernel_size=\(1, 4\), "
         r"stride=\(2, 2\): the output would be 2 x 0"),
    ],
)
@pytest.mark.parametrize("layer_type", [AvgPool2d, MaxPool2d])
def test_pools_reject_a_kernel_larger_than_the_input(layer_type, k, s, hw, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        layer_type(k, s).forward(np.zeros((1, 1, *hw)))


@pytest.mark.parametrize("layer", [AvgPool2d(2), MaxPool2d(2), Upsample(2)], ids=repr)
def test_backward_needs_a_forward_and_the_output_shape(layer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match=r"`backward` of .* needs a `forward` first"):
        layer.backward(np.zeros((1, 1, 2, 2)))
    y = layer.forward(np.zeros((2, 3, 4, 4)))
    shape = str(y.shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=rf"`dL_dy` must have shape {shape} "
                       r"\(got \(2, 3, 4, 5\)\)"):
        layer.backward(np.zeros((2, 3, 4, 5)))
    with pytest.raises(ValueError, match="4 dimensions"):
        layer.forward(np.zeros((3, 4, 4)))
    with pytest.raises(RuntimeError, match="needs a `forward` first"):  # no stale cache
        layer.backward(np.zeros(y.shape))


def test_repr_names_the_geometry() -> None:
    assert repr(AvgPool2d(2)) == "AvgPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(MaxPool2d((3, 2), 1)) == "MaxPool2d(kernel_size=(3, 2), stride=(1, 1))"
    assert repr(Upsample((2, 1))) == "Upsample(scale_factor=(2, 1))"


# --- PyTorch -----------------------------------------------------------------------------------


def _torch_pass(torch, kind, x, g, geometry):  # type: ignore[no-untyped-def]
    """y and the gradient of <y, g> with respect to x by PyTorch's autograd (float64)."""
    F = torch.nn.functional
    tx = torch.tensor(x, requires_grad=True)
    if kind == "avg":
        y = F.avg_pool2d(tx, geometry["kernel_size"], geometry["stride"])
    elif kind == "max":
        y = F.max_pool2d(tx, geometry["kernel_size"], geometry["stride"])
    else:
        y = F.interpolate(tx, scale_factor=geometry["scale_factor"], mode="nearest")
    (y * torch.tensor(g)).sum().backward()
    return y.detach().numpy(), tx.grad.numpy()


@pytest.mark.parametrize(
    "case",
    [("avg", c) for c in POOL_CASES] + [("max", c) for c in POOL_CASES]
    + [("upsample", c) for c in UPSAMPLE_CASES],
)
def test_forward_and_gradients_match_pytorch(case) -> None:  # type: ignore[no-untyped-def]
    torch = pytest.importorskip("torch")
    kind, params = case
    rng = np.random.default_rng(413)
    if kind == "upsample":
        scale, hw = params
        layer = Upsample(scale)
        geometry = {"scale_factor": tuple(float(f) for f in pair(scale))}
        n_terms = int(np.prod(pair(scale)))
    else:
        k, s, hw = params
        layer = (AvgPool2d if kind == "avg" else MaxPool2d)(k, s)
        geometry = {"kernel_size": pair(k), "stride": pair(k if s is None else s)}
        n_terms = int(np.prod(pair(k))) * len(windows(hw, k, s))
    # max pooling: separated values, so that PyTorch's arg-max and ours are the same element
    # whatever either does with ties
    x = separated(rng, (2, 3, *hw)) if kind == "max" else rng.standard_normal((2, 3, *hw))
    y = layer.forward(x)
    g = rng.standard_normal(y.shape)
    dx = layer.backward(g)
    want_y, want_dx = _torch_pass(torch, kind, x, g, geometry)
    assert y.shape == want_y.shape and dx.shape == want_dx.shape
    # Each entry of either is a sum of at most n_terms terms, or one copied value; the same
    # computation on magnitudes gives Σ|terms| per entry (for max pooling at x itself, whose
    # arg-max it keeps), and two summation orders differ by ≤ 2 γ_n Σ|terms|.
    mag_y, mag_dx = _torch_pass(torch, kind, x if kind == "max" else np.abs(x), np.abs(g), geometry)
    bound = 2 * gamma(n_terms)
    assert (np.abs(y - want_y) <= bound * np.abs(mag_y)).all(), float(np.abs(y - want_y).max())
    assert (np.abs(dx - want_dx) <= bound * mag_dx).all(), float(np.abs(dx - want_dx).max())
