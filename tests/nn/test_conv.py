"""Tests of gantheory.nn.conv: Conv2d and ConvTranspose2d against a direct loop implementation
of the definition, the adjoint identity between them, gradient checks of inputs and parameters,
the output-size formulas, bad input, and (if installed) PyTorch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from gantheory.nn import (
    GRADCHECK_RTOL,
    Conv2d,
    ConvTranspose2d,
    check_module,
    conv_output_size,
    conv_transpose_output_size,
)

EPS = np.finfo(np.float64).eps

#: Both convolutions are affine in the input and, separately, in (weight, bias), so a central
#: difference has no truncation error at any step, only rounding, ~ε|y|/h relative to |Jt|.
#: With the unit directions of the checks, |y| is ~sqrt(size of y) times |Jt|, and h = FD_STEP
#: left errors up to 7e-8 (a factor 1.4 below GRADCHECK_RTOL) for layers of ~200 outputs; the
#: step 1e-3 divides the rounding by 100 (worst 3e-10 over 30 seeds), the tolerance unchanged.
AFFINE_STEP = 1e-3

#: (in_channels, out_channels, kernel, stride, padding, (H, W)) for Conv2d: strides 1 and 2,
#: padding 0 and 1, odd and even sizes, square and non-square kernels, a stride that does not
#: divide the padded size, a 1 × 1 kernel and a kernel as large as the padded input.
CONV_CASES = [
    (1, 1, 3, 1, 0, (5, 5)),
    (2, 3, 3, 1, 1, (5, 7)),
    (2, 3, 3, 2, 0, (7, 7)),
    (3, 2, 3, 2, 1, (6, 5)),
    (2, 2, (2, 3), (2, 1), (1, 0), (5, 6)),
    (3, 4, 4, 2, 1, (8, 8)),
    (2, 3, 1, 1, 0, (3, 4)),
    (2, 2, 5, 1, 1, (3, 3)),
    (1, 2, 3, 3, 1, (7, 5)),
]

#: (in_channels, out_channels, kernel, stride, padding, output_padding, (H, W)) for
#: ConvTranspose2d, including the DCGAN geometry (4, 2, 1) and output padding.
CONV_T_CASES = [
    (1, 1, 3, 1, 0, 0, (3, 3)),
    (2, 3, 3, 1, 1, 0, (4, 5)),
    (3, 2, 3, 2, 0, 1, (3, 3)),
    (2, 3, 4, 2, 1, 0, (2, 3)),
    (2, 2, (2, 3), (2, 1), (1, 0), (1, 0), (3, 4)),
    (3, 2, 3, 2, 1, 1, (3, 2)),
    (4, 2, 2, 1, 0, 0, (1, 1)),
    (1, 2, 3, 3, 1, (2, 1), (2, 3)),
]


def pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else v


def naive_conv2d(x, K, b, stride, padding):  # type: ignore[no-untyped-def]
    """The definition, term by term: y[n,o,i,j] = b[o] + Σ_{c,u,v} K[o,c,u,v] x[n,c,si+u-p,sj+v-p]
    (zero outside the image). Also returns Σ |terms|, which bounds the rounding error."""
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    N, C, H, W = x.shape
    n_out, _, kh, kw = K.shape
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    y, mag = np.zeros((N, n_out, Ho, Wo)), np.zeros((N, n_out, Ho, Wo))
    for n, o, i, j in itertools.product(range(N), range(n_out), range(Ho), range(Wo)):
        total = 0.0 if b is None else float(b[o])
        size = abs(total)
        for c, u, v in itertools.product(range(C), range(kh), range(kw)):
            r, q = sh * i + u - ph, sw * j + v - pw
            if 0 <= r < H and 0 <= q < W:
                term = float(K[o, c, u, v]) * float(x[n, c, r, q])
                total += term
                size += abs(term)
        y[n, o, i, j], mag[n, o, i, j] = total, size
    return y, mag


def naive_conv_transpose2d(x, K, b, stride, padding, output_padding):  # type: ignore[no-untyped-def]
    """The definition as a scatter: every input pixel x[n,c,i,j] adds x·K[c,o,u,v] at
    (s i + u − p, s j + v − p) of channel o (kept if inside the output). Returns y, Σ|terms|."""
    (sh, sw), (ph, pw), (oh, ow) = pair(stride), pair(padding), pair(output_padding)
    N, C, H, W = x.shape
    _, n_out, kh, kw = K.shape
    Ho, Wo = (H - 1) * sh - 2 * ph + kh + oh, (W - 1) * sw - 2 * pw + kw + ow
    y, mag = np.zeros((N, n_out, Ho, Wo)), np.zeros((N, n_out, Ho, Wo))
    if b is not None:
        y += np.asarray(b)[None, :, None, None]
        mag += np.abs(b)[None, :, None, None]
    for n, c, i, j, o, u, v in itertools.product(
        range(N), range(C), range(H), range(W), range(n_out), range(kh), range(kw)
    ):
        r, q = sh * i + u - ph, sw * j + v - pw
        if 0 <= r < Ho and 0 <= q < Wo:
            term = float(x[n, c, i, j]) * float(K[c, o, u, v])
            y[n, o, r, q] += term
            mag[n, o, r, q] += abs(term)
    return y, mag


def assert_within_summation_bound(got, want, mag, n_terms):  # type: ignore[no-untyped-def]
    """|got − want| ≤ 2 γ_n Σ|terms| with γ_n = n ε / (1 − n ε): both are sums of the same
    n products in different orders (Higham 2002, eq. 3.5), each within γ_n Σ|terms|."""
    gamma = n_terms * EPS / (1 - n_terms * EPS)
    excess = np.abs(got - want) - 2 * gamma * mag
    assert excess.max() <= 0.0, float(np.abs(got - want).max())


@pytest.mark.parametrize(("cin", "cout", "k", "s", "p", "hw"), CONV_CASES)
def test_conv2d_matches_the_direct_definition(cin, cout, k, s, p, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(100)
    conv = Conv2d(cin, cout, k, s, p, rng=rng)
    x = rng.standard_normal((2, cin, *hw))
    want, mag = naive_conv2d(x, conv.weight, conv.bias, s, p)
    got = conv.forward(x)
    assert got.shape == want.shape
    kh, kw = pair(k)
    assert_within_summation_bound(got, want, mag, cin * kh * kw + 1)


@pytest.mark.parametrize(("cin", "cout", "k", "s", "p", "op", "hw"), CONV_T_CASES)
def test_conv_transpose2d_matches_the_direct_definition(cin, cout, k, s, p, op, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(101)
    up = ConvTranspose2d(cin, cout, k, s, p, op, rng=rng)
    x = rng.standard_normal((2, cin, *hw))
    want, mag = naive_conv_transpose2d(x, up.weight, up.bias, s, p, op)
    got = up.forward(x)
    assert got.shape == want.shape
    kh, kw = pair(k)
    assert_within_summation_bound(got, want, mag, cin * kh * kw + 1)


@pytest.mark.parametrize(("cin", "cout", "k", "s", "p", "hw"), CONV_CASES)
def test_conv_transpose_is_the_adjoint_of_conv(cin, cout, k, s, p, hw) -> None:  # type: ignore[no-untyped-def]
    # <conv_K(x), y> = <x, conv_K^T(y)> with the same weight array and geometry, no bias; the
    # output padding picks the input size H among the s sizes the convolution maps to Ho.
    rng = np.random.default_rng(102)
    (kh, kw), (sh, sw), (ph, pw) = pair(k), pair(s), pair(p)
    op = ((hw[0] + 2 * ph - kh) % sh, (hw[1] + 2 * pw - kw) % sw)
    conv = Conv2d(cin, cout, k, s, p, rng=rng, bias=False)
    adj = ConvTranspose2d(cout, cin, k, s, p, op, rng=rng, bias=False)
    adj.weight[...] = conv.weight  # (cout, cin, kh, kw) in both layouts
    x = rng.standard_normal((3, cin, *hw))
    Kx = conv.forward(x)
    y = rng.standard_normal(Kx.shape)
    KTy = adj.forward(y)
    assert KTy.shape == x.shape
    lhs, rhs = float(np.vdot(Kx, y)), float(np.vdot(x, KTy))
    # both are sums of the same n = |y|·cin·kh·kw products: within 2 γ_n Σ|products|, where
    # Σ|products| = <conv_|K|(|x|), |y|> (the direct definition with magnitudes)
    mag = float(np.vdot(naive_conv2d(np.abs(x), np.abs(conv.weight), None, s, p)[0], np.abs(y)))
    n = y.size * cin * kh * kw
    assert abs(lhs - rhs) <= 2 * n * EPS / (1 - n * EPS) * mag, (lhs, rhs, mag)
    # and the convolution's input gradient is that adjoint map (to rounding)
    conv.forward(x)
    assert np.abs(conv.backward(y) - KTy).max() <= 1e-13 * np.abs(KTy).max()



@pytest.mark.parametrize(("cin", "cout", "k", "s", "p", "hw"), CONV_CASES)
def test_conv2d_gradcheck_input_and_params(cin, cout, k, s, p, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(103)
    conv = Conv2d(cin, cout, k, s, p, rng=rng)
    wrt_x, wrt_params = check_module(
        conv, rng.standard_normal((2, cin, *hw)), rng=rng, step=AFFINE_STEP
    )
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)
    assert wrt_x.rtol == wrt_params.rtol == GRADCHECK_RTOL


@pytest.mark.parametrize(("cin", "cout", "k", "s", "p", "op", "hw"), CONV_T_CASES)
def test_conv_transpose2d_gradcheck_input_and_params(cin, cout, k, s, p, op, hw) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(104)
    up = ConvTranspose2d(cin, cout, k, s, p, op, rng=rng)
    wrt_x, wrt_params = check_module(
        up, rng.standard_normal((2, cin, *hw)), rng=rng, step=AFFINE_STEP
    )
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_gradcheck_at_the_default_step_without_bias(layer_type: type) -> None:
    # the default central-difference step too, on a small layer (rounding ~1e-10 here)
    rng = np.random.default_rng(105)
    layer = layer_type(2, 3, 3, 2, 1, rng=rng, bias=False)
    assert len(layer.params) == 1
    wrt_x, wrt_params = check_module(layer, rng.standard_normal((2, 2, 3, 4)), rng=rng)
    assert wrt_x.passed and wrt_params.passed, (wrt_x, wrt_params)


def test_parameter_gradients_match_their_closed_forms() -> None:
    # dL/db_o = Σ_{n,i,j} g[n,o,i,j] for both layers; dL/dK for a 1 × 1 convolution is
    # Σ_{n,i,j} g[n,o,i,j] x[n,c,i,j] (an outer product summed over positions)
    rng = np.random.default_rng(106)
    x = rng.standard_normal((3, 4, 5, 2))
    conv = Conv2d(4, 2, 1, rng=rng)
    g = rng.standard_normal(conv.forward(x).shape)
    conv.backward(g)
    want_K = np.einsum("noij,ncij->oc", g, x)[:, :, None, None]
    assert np.abs(conv.dL_dweight - want_K).max() <= 1e-13 * np.abs(want_K).max()
    assert np.abs(conv.dL_dbias - g.sum(axis=(0, 2, 3))).max() <= 1e-13 * np.abs(g).sum()
    up = ConvTranspose2d(4, 3, 3, 2, 1, 1, rng=rng)
    g = rng.standard_normal(up.forward(x).shape)
    up.backward(g)
    assert np.abs(up.dL_dbias - g.sum(axis=(0, 2, 3))).max() <= 1e-13 * np.abs(g).sum()


@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_backward_options_and_repeated_backward(layer_type: type) -> None:
    rng = np.random.default_rng(107)
    layer = layer_type(2, 3, 3, 2, 1, rng=rng)
    x = rng.standard_normal((2, 2, 5, 5))
    g = rng.standard_normal(layer.forward(x).shape)
    dL_dx = layer.backward(g)
    grads = [gr.copy() for gr in layer.grads]
    assert layer.backward(g, input_grad=False) is None
    for gr, g0 in zip(layer.grads, grads, strict=True):
        assert_array_equal(gr, g0)  # the same forward cache gives the same gradients again
    assert_array_equal(layer.backward(2 * g, param_grads=False), 2 * dL_dx)
    for gr, g0 in zip(layer.grads, grads, strict=True):
        assert_array_equal(gr, g0)  # untouched by param_grads=False
    assert dL_dx.shape == x.shape


@pytest.mark.parametrize(
    ("h", "k", "s", "p"), list(itertools.product([1, 2, 5, 8], [1, 2, 3, 4], [1, 2, 3], [0, 1, 2]))
)
def test_output_size_formulas(h: int, k: int, s: int, p: int) -> None:
    # Conv2d: ⌊(H + 2p − k)/s⌋ + 1 = the number of window positions in the padded input
    # (< 1 when there is none: the kernel does not fit)
    positions = len(range(0, h + 2 * p - k + 1, s))
    assert max(conv_output_size(h, k, s, p), 0) == positions
    if positions >= 1:
        conv = Conv2d(1, 1, k, s, p, rng=np.random.default_rng(0))
        assert conv.forward(np.zeros((1, 1, h, h))).shape == (1, 1, positions, positions)
    # ConvTranspose2d: (H − 1)s − 2p + k + op, and a convolution maps it back to H
    for op in range(s):
        size = conv_transpose_output_size(h, k, s, p, op)
        assert size == (h - 1) * s - 2 * p + k + op
        if size >= 1:
            assert conv_output_size(size, k, s, p) == h
            up = ConvTranspose2d(1, 1, k, s, p, op, rng=np.random.default_rng(0))
            assert up.forward(np.zeros((1, 1, h, h))).shape == (1, 1, size, size)


def test_the_same_seed_gives_the_same_bits_and_the_default_initialisation() -> None:
    a = Conv2d(3, 4, 3, rng=np.random.default_rng(5))
    b = Conv2d(3, 4, 3, rng=np.random.default_rng(5))
    assert_array_equal(a.flat_params, b.flat_params)
    # U(±1/sqrt(fan_in)), fan_in = 3·3·3 = 27 for Conv2d and out_channels·k² for the transpose
    assert np.abs(a.weight).max() <= 1 / np.sqrt(27) and np.abs(a.bias).max() <= 1 / np.sqrt(27)
    up = ConvTranspose2d(8, 2, 4, rng=np.random.default_rng(5))
    assert up.weight.shape == (8, 2, 4, 4) and np.abs(up.weight).max() <= 1 / np.sqrt(32)
    # a sample of 256 uniforms on ±1/sqrt(32) has a standard deviation within 10 % of
    # 1/sqrt(3·32) (the sample variance's relative standard error is ~sqrt(0.8/256) ≈ 0.056)
    assert abs(up.weight.std() * np.sqrt(96) - 1) < 0.1
    assert np.shares_memory(a.weight, a.flat_params) and np.shares_memory(a.dL_dbias, a.flat_grads)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"in_channels": 0}, r"`in_channels` must be a positive integer \(got 0\)"),
        ({"out_channels": -2}, r"`out_channels` must be a positive integer \(got -2\)"),
        ({"in_channels": 2.0}, r"`in_channels` must be a positive integer \(got 2.0\)"),
        ({"kernel_size": 0}, r"`kernel_size` must be a positive integer or a pair .*\(got 0\)"),
        ({"kernel_size": (3, 0)}, r"`kernel_size` .*\(got \(3, 0\)\)"),
        ({"kernel_size": (3, 3, 3)}, r"`kernel_size` .*\(got \(3, 3, 3\)\)"),
        ({"stride": 0}, r"`stride` must be a positive integer or a pair .*\(got 0\)"),
        ({"stride": True}, r"`stride` .*\(got True\)"),
        ({"padding": -1}, r"`padding` must be a non-negative integer or a pair .*\(got -1\)"),
        ({"padding": 0.5}, r"`padding` .*\(got 0.5\)"),
        ({"bias": "yes"}, r"`bias` must be True or False \(got 'yes'\)"),
    ],
)
@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_constructors_reject_bad_arguments(layer_type: type, kwargs: dict, match: str) -> None:
    args = {"in_channels": 2, "out_channels": 3, "kernel_size": 3} | kwargs
    with pytest.raises(ValueError, match=match):
        layer_type(**args, rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("stride", "output_padding", "match"),
    [
        (1, 1, r"`output_padding` must be smaller than `stride` \(1, 1\) \(got 1\)"),
        (2, (1, 2), r"`output_padding` must be smaller than `stride` \(2, 2\) \(got \(1, 2\)\)"),
        (2, -1, r"`output_padding` must be a non-negative integer .*\(got -1\)"),
    ],
)
def test_conv_transpose_rejects_bad_output_padding(stride, output_padding, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        ConvTranspose2d(1, 1, 3, stride, 0, output_padding, rng=np.random.default_rng(0))


def test_rng_is_required_and_must_be_a_generator() -> None:
    with pytest.raises(TypeError):
        Conv2d(1, 1, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"`rng` must be a numpy\.random\.Generator"):
        ConvTranspose2d(1, 1, 3, rng=np.random.RandomState(0))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("x_shape", "match"),
    [
        (
            (2, 3, 5),
            r"`x` must have 4 dimensions \(batch, channels, height, width\) "
            r"\(got shape \(2, 3, 5\)\)",
        ),
        ((2, 3, 5, 5, 1), r"`x` must have 4 dimensions .*\(got shape \(2, 3, 5, 5, 1\)\)"),
        ((2, 4, 5, 5), r"`x` must have 3 channels on axis 1 \(got shape \(2, 4, 5, 5\)\)"),
        ((2, 5, 5, 3), r"`x` must have 3 channels on axis 1 \(got shape \(2, 5, 5, 3\)\)"),
        ((0, 3, 5, 5), r"`x` must have a non-empty batch and image \(got shape \(0, 3, 5, 5\)\)"),
    ],
)
@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_forward_rejects_bad_input_shapes(layer_type: type, x_shape, match) -> None:  # type: ignore[no-untyped-def]
    layer = layer_type(3, 2, 3, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        layer.forward(np.zeros(x_shape))


@pytest.mark.parametrize(
    ("k", "s", "p", "hw", "match"),
    [
        (5, 1, 0, (4, 6), r"`x` of shape \(1, 1, 4, 6\) is too small for kernel_size=\(5, 5\), "
         r"stride=\(1, 1\), padding=\(0, 0\): the output would be 0 x 2"),
        (5, 1, 0, (2, 2), r"`x` of shape \(1, 1, 2, 2\) is too small .* -2 x -2"),
        ((1, 4), 2, 0, (3, 3), r"`x` of shape \(1, 1, 3, 3\) is too small .* 2 x 0"),
    ],
)
def test_conv2d_rejects_a_kernel_that_does_not_fit(k, s, p, hw, match) -> None:  # type: ignore[no-untyped-def]
    conv = Conv2d(1, 1, k, s, p, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=match):
        conv.forward(np.zeros((1, 1, *hw)))


def test_conv_transpose2d_rejects_padding_that_leaves_no_output() -> None:
    # (1 − 1)·1 − 2·2 + 3 + 0 = −1 rows
    up = ConvTranspose2d(1, 1, 3, 1, 2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"`x` of shape \(1, 1, 1, 4\) is too small for "
                       r"kernel_size=\(3, 3\), stride=\(1, 1\), padding=\(2, 2\), "
                       r"output_padding=\(0, 0\): the output would be -1 x 2"):
        up.forward(np.zeros((1, 1, 1, 4)))


@pytest.mark.parametrize("layer_type", [Conv2d, ConvTranspose2d])
def test_backward_needs_a_forward_and_the_output_shape(layer_type: type) -> None:
    layer = layer_type(1, 2, 3, rng=np.random.default_rng(0))
    with pytest.raises(RuntimeError, match=r"`backward` of .* needs a `forward` first"):
        layer.backward(np.zeros((1, 2, 3, 3)))
    y = layer.forward(np.zeros((1, 1, 5, 5)))
    with pytest.raises(ValueError, match=rf"`dL_dy` must have shape {re_shape(y.shape)} "
                       r"\(got \(1, 2, 3, 4\)\)"):
        layer.backward(np.zeros((1, 2, 3, 4)))
    with pytest.raises(ValueError, match="channels"):
        layer.forward(np.zeros((1, 3, 5, 5)))
    with pytest.raises(RuntimeError, match="needs a `forward` first"):  # no stale cache
        layer.backward(np.zeros(y.shape))


def re_shape(shape: tuple[int, ...]) -> str:
    return str(shape).replace("(", r"\(").replace(")", r"\)")


def _torch_pass(torch, kind, x, K, b, g, geometry):  # type: ignore[no-untyped-def]
    """y and the gradients of <y, g> with respect to x, K, b by PyTorch's autograd (float64)."""
    F = torch.nn.functional
    tx, tK = (torch.tensor(a, requires_grad=True) for a in (x, K))
    tb = None if b is None else torch.tensor(b, requires_grad=True)
    y = (F.conv2d if kind == "conv" else F.conv_transpose2d)(tx, tK, tb, **geometry)
    (y * torch.tensor(g)).sum().backward()
    grads = [tx.grad.numpy(), tK.grad.numpy(), None if tb is None else tb.grad.numpy()]
    return [y.detach().numpy(), *grads]


@pytest.mark.parametrize(
    "case", [("conv", c) for c in CONV_CASES] + [("transpose", c) for c in CONV_T_CASES]
)
def test_forward_and_gradients_match_pytorch(case) -> None:  # type: ignore[no-untyped-def]
    torch = pytest.importorskip("torch")
    kind, params = case
    rng = np.random.default_rng(108)
    if kind == "conv":
        cin, cout, k, s, p, hw = params
        layer = Conv2d(cin, cout, k, s, p, rng=rng)
        geometry = {"stride": pair(s), "padding": pair(p)}
    else:
        cin, cout, k, s, p, op, hw = params
        layer = ConvTranspose2d(cin, cout, k, s, p, op, rng=rng)
        geometry = {"stride": pair(s), "padding": pair(p), "output_padding": pair(op)}
    x = rng.standard_normal((2, cin, *hw))
    y = layer.forward(x)
    g = rng.standard_normal(y.shape)
    ours = [y, layer.backward(g), layer.dL_dweight, layer.dL_dbias]
    theirs = _torch_pass(torch, kind, x, layer.weight, layer.bias, g, geometry)
    # Every entry of each is a sum of at most n products; Σ|products| per entry is the same
    # computation on absolute values, and two summation orders differ by ≤ 2 γ_n Σ|products|.
    mags = _torch_pass(
        torch, kind, np.abs(x), np.abs(layer.weight), np.abs(layer.bias), np.abs(g), geometry
    )
    n = x.size + y.size + layer.weight.size + 1  # more than the terms of any entry
    gamma = n * EPS / (1 - n * EPS)
    for name, a, b, mag in zip(("y", "dL_dx", "dL_dweight", "dL_dbias"), ours, theirs, mags,
                               strict=True):
        assert a.shape == b.shape, name
        assert (np.abs(a - b) <= 2 * gamma * mag).all(), (name, float(np.abs(a - b).max()))
