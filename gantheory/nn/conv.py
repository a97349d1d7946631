r"""2-D convolution and transposed convolution on NCHW batches, by im2col and matrix products.

A convolution (cross-correlation, as in deep-learning libraries) of an input ``x`` of shape
``(N, C, H, W)`` with a weight ``K`` of shape ``(O, C, k_h, k_w)``, stride ``s`` and zero padding
``p`` is, on the zero-padded input :math:`\tilde x`,

.. math:: y_{n,o,i,j} = b_o + \sum_{c=0}^{C-1} \sum_{u=0}^{k_h-1} \sum_{v=0}^{k_w-1}
          K_{o,c,u,v}\, \tilde x_{n,c,\, s_h i + u,\, s_w j + v},
          \qquad H_{out} = \Bigl\lfloor \frac{H + 2p_h - k_h}{s_h} \Bigr\rfloor + 1

(Goodfellow, Bengio & Courville 2016, eq. 9.4 and Section 9.5). Gathering the patches into a
matrix (*im2col*: one row per output position ``(i, j, n)``, one column per tap ``(u, v, c)``)
turns it into one matrix product, ``Y = cols · K_matᵀ``; its adjoint scatters a matrix of rows
back onto the padded input (*col2im*, a sum over the ``k_h k_w`` taps).

The transposed convolution with the same weight and geometry is the adjoint (transpose) of that
linear map: :math:`\langle \mathrm{conv}_K(x), y\rangle = \langle x, \mathrm{conv}^\top_K(y)
\rangle` when both biases are zero. So the two layers share their two kernels with the roles
exchanged: a convolution's forward pass is im2col then a product, its input gradient a product
then col2im; a transposed convolution's forward pass is a product then col2im, its input gradient
im2col then a product (Dumoulin & Visin 2016, Section 4). Weight layouts are those of PyTorch:
``(out_channels, in_channels, k_h, k_w)`` for :class:`Conv2d` and
``(in_channels, out_channels, k_h, k_w)`` for :class:`ConvTranspose2d`.

Memory order: the layers take and return arrays of NCHW *shape*, but compute in the memory order
(H, W, N, C), batch and channels innermost, and return NCHW views of it (not C-contiguous).
At the image sizes of small DCGANs (2 × 2 to 8 × 8) the spatial axes are the short ones, so
this order gives every copy, sum and scatter of im2col/col2im long contiguous runs; a chain of
these layers passes its arrays on without a transposing copy.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from gantheory.nn.layers import _check_positive_int, _check_rng
from gantheory.nn.module import Layer

__all__ = ["Conv2d", "ConvTranspose2d", "conv_output_size", "conv_transpose_output_size"]


def _pair(value: object, name: str, *, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints, each ``>= minimum``, as a pair; ValueError otherwise."""
    items = value if isinstance(value, tuple | list) else (value, value)
    if len(items) != 2 or not all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) and v >= minimum
        for v in items
    ):
        kind = "positive" if minimum == 1 else "non-negative"
        raise ValueError(
            f"`{name}` must be a {kind} integer or a pair of them (got {value!r})"
        )
    return int(items[0]), int(items[1])


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    r"""Output length of a convolution along one axis:
    :math:`\lfloor (\text{size} + 2p - k)/s \rfloor + 1` (may be < 1: the kernel does not fit).

    Examples
    --------
    >>> conv_output_size(8, 4, stride=2, padding=1), conv_output_size(7, 3, stride=2)
    (4, 3)
    """
    return (size + 2 * padding - kernel) // stride + 1


def conv_transpose_output_size(
    size: int, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0
) -> int:
    r"""Output length of a transposed convolution along one axis:
    :math:`(\text{size} - 1)s - 2p + k + \text{output\_padding}`.

    It inverts :func:`conv_output_size`: a convolution of the same geometry maps this length
    back to ``size`` whenever ``output_padding < stride``.

    Examples
    --------
    >>> conv_transpose_output_size(4, 4, stride=2, padding=1)
    8
    >>> conv_output_size(conv_transpose_output_size(3, 3, 2, 0, 1), 3, 2, 0)
    3
    """
    return (size - 1) * stride - 2 * padding + kernel + output_padding


def _check_nchw(
    x: npt.ArrayLike, channels: int, dtype: np.dtype, name: str = "x"
) -> np.ndarray:
    """``x`` as a ``dtype`` NCHW batch with ``channels`` channels and a non-empty image."""
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 4:
        raise ValueError(
            f"`{name}` must have 4 dimensions (batch, channels, height, width) (got shape "
            f"{x.shape})"
        )
    if x.shape[1] != channels:
        raise ValueError(f"`{name}` must have {channels} channels on axis 1 (got shape {x.shape})")
    if x.shape[0] < 1 or x.shape[2] < 1 or x.shape[3] < 1:
        raise ValueError(f"`{name}` must have a non-empty batch and image (got shape {x.shape})")
    return x


def _im2col(
    xp: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]
) -> np.ndarray:
    """Patches of the padded ``xp`` (Hp, Wp, N, C) as rows: (Ho·Wo·N, kh·kw·C), a new array.

    Row ``(i, j, n)``, column ``(u, v, c)`` holds ``xp[s_h i + u, s_w j + v, n, c]``.
    """
    (kh, kw), (sh, sw), (ho, wo) = kernel, stride, out_hw
    n, c = xp.shape[2:]
    win = sliding_window_view(xp, (kh, kw), axis=(0, 1))  # (Hp-kh+1, Wp-kw+1, N, C, kh, kw)
    win = win[: sh * (ho - 1) + 1 : sh, : sw * (wo - 1) + 1 : sw]  # (Ho, Wo, N, C, kh, kw)
    return win.transpose(0, 1, 2, 4, 5, 3).reshape(ho * wo * n, kh * kw * c)  # a copy


def _col2im(
    cols: np.ndarray,
    padded_shape: tuple[int, int, int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    out_hw: tuple[int, int],
) -> np.ndarray:
    """The adjoint of :func:`_im2col`: sum the rows (Ho·Wo·N, kh·kw·C) onto (Hp, Wp, N, C).

    ``xp[s_h i + u, s_w j + v, n, c] += cols[(i, j, n), (u, v, c)]`` for every tap ``(u, v)``;
    positions no patch covers (the remainder of a stride that does not divide) stay zero.
    """
    (kh, kw), (sh, sw), (ho, wo) = kernel, stride, out_hw
    n, c = padded_shape[2:]
    taps = cols.reshape(ho, wo, n, kh, kw, c)
    xp = np.zeros(padded_shape, dtype=cols.dtype)
    for u in range(kh):
        rows = slice(u, u + sh * (ho - 1) + 1, sh)
        for v in range(kw):
            # (Ho, Wo, N, C) onto the positions tap (u, v) reads
            xp[rows, v : v + sw * (wo - 1) + 1 : sw] += taps[:, :, :, u, v]
    return xp


def _pad(x: np.ndarray, padding: tuple[int, int]) -> np.ndarray:
    """``x`` (H, W, N, C) with ``padding`` zero rows / columns on each side (``x`` if none).

    Written out rather than by ``np.pad``, which is slower for small arrays and leaves
    reference cycles behind for the garbage collector on every call.
    """
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    h, w, n, c = x.shape
    xp = np.zeros((h + 2 * ph, w + 2 * pw, n, c), dtype=x.dtype)
    xp[ph : ph + h, pw : pw + w] = x
    return xp


def _hwnc(x: np.ndarray) -> np.ndarray:
    """The (H, W, N, C) view of an (N, C, H, W) array (no copy)."""
    return x.transpose(2, 3, 0, 1)


def _nchw(x: np.ndarray) -> np.ndarray:
    """The (N, C, H, W) view of an (H, W, N, C) array (no copy)."""
    return x.transpose(2, 3, 0, 1)


def _rows(x: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> (H·W·N, C), one row per position; free for the layers' own outputs."""
    return _hwnc(x).reshape(-1, x.shape[1])


class _ConvBase(Layer):
    """Geometry, parameters and initialisation shared by both convolutions."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int],
        padding: int | tuple[int, int],
        *,
        rng: np.random.Generator,
        bias: bool,
        weight_shape: tuple[int, int],
        fan_in_channels: int,
        dtype: str | np.dtype,
    ) -> None:
        self.in_channels = _check_positive_int(in_channels, "in_channels")
        self.out_channels = _check_positive_int(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size", minimum=1)
        self.stride = _pair(stride, "stride", minimum=1)
        self.padding = _pair(padding, "padding", minimum=0)
        rng = _check_rng(rng)
        if not isinstance(bias, bool | np.bool_):
            raise ValueError(f"`bias` must be True or False (got {bias!r})")
        self.has_bias = bool(bias)
        shapes = {"weight": (*weight_shape, *self.kernel_size)}
        if self.has_bias:
            shapes["bias"] = (self.out_channels,)
        self._init_params(shapes, dtype)
        # PyTorch's default initialisation: U(±1/sqrt(fan_in)) for the weight and the bias,
        # fan_in = (weight.shape[1]) · kh · kw (He et al. 2015's uniform rule with a = sqrt 5),
        # drawn in float64 (rounded for a float32 layer, which consumes rng alike).
        bound = 1.0 / math.sqrt(fan_in_channels * self.kernel_size[0] * self.kernel_size[1])
        self.weight[...] = rng.uniform(-bound, bound, size=self.weight.shape)
        if self.has_bias:
            self.bias[...] = rng.uniform(-bound, bound, size=self.bias.shape)
        self._cache: tuple | None = None

    def _weight_rows(self) -> np.ndarray:
        """The weight (A, B, kh, kw) as a matrix (A, kh·kw·B), columns ``(u, v, b)`` (a copy)."""
        return self.weight.transpose(0, 2, 3, 1).reshape(self.weight.shape[0], -1)

    def _store_weight_grad(self, rows: np.ndarray) -> None:
        """Write a gradient laid out as :meth:`_weight_rows` into ``dL_dweight`` (A, B, kh, kw)."""
        a, b, kh, kw = self.weight.shape
        self.dL_dweight[...] = rows.reshape(a, kh, kw, b).transpose(0, 3, 1, 2)

    def _geometry(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
        )


class Conv2d(_ConvBase):
    r"""2-D convolution (cross-correlation) of NCHW batches, by im2col.

    .. math:: y_{n,o,i,j} = b_o + \sum_{c,u,v} K_{o,c,u,v}\,
              \tilde x_{n,c,\,s_h i+u,\,s_w j+v}

    with :math:`\tilde x` the input zero-padded by ``padding`` on each side. Output size

    .. math:: H_{out} = \Bigl\lfloor \frac{H + 2p_h - k_h}{s_h} \Bigr\rfloor + 1, \qquad
              W_{out} = \Bigl\lfloor \frac{W + 2p_w - k_w}{s_w} \Bigr\rfloor + 1.

    Forward and backward, with ``cols`` (Ho·Wo·N, kh·kw·C) the patches of :math:`\tilde x`,
    ``K_mat`` (O, kh·kw·C) the weight and ``G`` (Ho·Wo·N, O) the output gradient as rows:

    .. math:: Y = \mathrm{cols}\,K_{mat}^\top + b, \qquad
              \frac{\partial L}{\partial K_{mat}} = G^\top \mathrm{cols}, \qquad
              \frac{\partial L}{\partial b} = \textstyle\sum_{n,i,j} G, \qquad
              \frac{\partial L}{\partial x} = \mathrm{crop}\bigl(\mathrm{col2im}(G\,K_{mat})\bigr).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride : int or (int, int) — positive
    padding : int or (int, int) — non-negative zero padding on each side
    rng : numpy.random.Generator
        Source of the initial weights (keyword-only, required): PyTorch's default,
        :math:`U(\pm 1/\sqrt{C k_h k_w})` for the weight and the bias.
    bias : bool
        Whether to add a learnable bias per output channel.
    dtype : {"float64", "float32"} or NumPy dtype
        Precision of the parameters and the computation (the initial weights are drawn in
        float64 and rounded).

    Attributes
    ----------
    weight : (out_channels, in_channels, kh, kw) ndarray; bias : (out_channels,) ndarray
    params = [weight, bias] (or [weight]); grads = [dL_dweight, dL_dbias] in the same shapes.

    Examples
    --------
    >>> conv = Conv2d(1, 1, 2, rng=np.random.default_rng(0), bias=False)
    >>> conv.weight[...] = [[[[1.0, 0.0], [0.0, -1.0]]]]          # x[i, j] - x[i+1, j+1]
    >>> conv.forward(np.arange(9.0).reshape(1, 1, 3, 3))[0, 0].tolist()
    [[-4.0, -4.0], [-4.0, -4.0]]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        *,
        rng: np.random.Generator,
        bias: bool = True,
        dtype: str | np.dtype = np.float64,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, rng=rng, bias=bias,
            weight_shape=(out_channels, in_channels), fan_in_channels=in_channels, dtype=dtype,
        )

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Shape of the output for an input of shape ``(N, C, H, W)``."""
        n, _, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        return (
            n,
            self.out_channels,
            conv_output_size(h, kh, sh, ph),
            conv_output_size(w, kw, sw, pw),
        )

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y`` (N, out_channels, Ho, Wo) for ``x`` (N, in_channels, H, W)."""
        self._cache = None
        x = _check_nchw(x, self.in_channels, self.dtype)
        n, c_out, ho, wo = self.output_shape(x.shape)
        if ho < 1 or wo < 1:
            raise ValueError(
                f"`x` of shape {x.shape} is too small for {self._geometry()}: the output would "
                f"be {ho} x {wo}"
            )
        xp = _pad(_hwnc(x), self.padding)  # (Hp, Wp, N, C)
        cols = _im2col(xp, self.kernel_size, self.stride, (ho, wo))  # (Ho·Wo·N, kh·kw·C)
        K = self._weight_rows()  # (O, kh·kw·C)
        rows = cols @ K.T  # (Ho·Wo·N, kh·kw·C) @ (kh·kw·C, O) -> (Ho·Wo·N, O)
        if self.has_bias:
            rows += self.bias  # + b_o on every row
        self._cache = (cols, K, xp.shape, x.shape)
        return _nchw(rows.reshape(ho, wo, n, c_out))  # (N, O, Ho, Wo)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Store ``dL_dweight``, ``dL_dbias`` and return ``dL_dx`` (shape of the last input)."""
        cols, K, padded_shape, x_shape = self._cached(self._cache)
        out_shape = self.output_shape(x_shape)
        G = _rows(self._check_grad_shape(dL_dy, out_shape))  # (Ho·Wo·N, O)
        if param_grads:
            self._store_weight_grad(G.T @ cols)  # (O, HoWoN) @ (HoWoN, kh·kw·C) -> (O, kh·kw·C)
            if self.has_bias:
                np.sum(G, axis=0, out=self.dL_dbias)  # Σ over (i, j, n)  (O,)
        if not input_grad:
            return None
        dcols = G @ K  # (Ho·Wo·N, O) @ (O, kh·kw·C) -> (Ho·Wo·N, kh·kw·C)
        dxp = _col2im(dcols, padded_shape, self.kernel_size, self.stride, out_shape[2:])
        (ph, pw), (h, w) = self.padding, x_shape[2:]
        return _nchw(dxp[ph : ph + h, pw : pw + w])  # (N, C, H, W)

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, {self._geometry()}, "
            f"bias={self.has_bias})"
        )


class ConvTranspose2d(_ConvBase):
    r"""2-D transposed convolution of NCHW batches: the adjoint of :class:`Conv2d`.

    With weight ``K`` of shape ``(in_channels, out_channels, kh, kw)`` it is the transpose of the
    convolution from ``out_channels`` to ``in_channels`` channels with the same weight, stride
    and padding, plus a bias:

    .. math:: y_{n,o,\,s_h i+u-p_h,\,s_w j+v-p_w} \mathrel{+}= \sum_c x_{n,c,i,j}\,K_{c,o,u,v},
              \qquad \langle \mathrm{conv}_K(z), x\rangle = \langle z,
              \mathrm{conv}^\top_K(x)\rangle \text{ (no bias)}.

    Output size

    .. math:: H_{out} = (H - 1)\,s_h - 2p_h + k_h + \text{output\_padding}_h

    (and likewise for the width); ``output_padding < stride`` picks which of the ``s`` input
    sizes that a strided convolution maps to ``H`` the adjoint returns.

    Forward and backward, with ``X`` (H·W·N, C_in) the input as rows, ``K_mat`` (C_in,
    kh·kw·C_out) the weight and ``cols`` the im2col patches of the padded output gradient:

    .. math:: y = \mathrm{crop}\bigl(\mathrm{col2im}(X K_{mat})\bigr) + b, \qquad
              \frac{\partial L}{\partial K_{mat}} = X^\top \mathrm{cols}, \qquad
              \frac{\partial L}{\partial b} = \textstyle\sum_{n,i,j}
              \frac{\partial L}{\partial y}, \qquad
              \frac{\partial L}{\partial X} = \mathrm{cols}\,K_{mat}^\top.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride : int or (int, int) — positive
    padding : int or (int, int) — non-negative; removes ``padding`` rows and columns from each
        side of the full transposed convolution
    output_padding : int or (int, int) — non-negative, smaller than ``stride``; adds rows and
        columns at the bottom and right
    rng : numpy.random.Generator
        Source of the initial weights (keyword-only, required): PyTorch's default,
        :math:`U(\pm 1/\sqrt{C_{out} k_h k_w})` for the weight and the bias.
    bias : bool
    dtype : {"float64", "float32"} or NumPy dtype
        As for :class:`Conv2d`.

    Attributes
    ----------
    weight : (in_channels, out_channels, kh, kw) ndarray; bias : (out_channels,) ndarray
    params = [weight, bias] (or [weight]); grads in the same shapes.

    Examples
    --------
    A stride-2 transposed convolution spreads each input pixel over a 2 × 2 block:

    >>> up = ConvTranspose2d(1, 1, 2, stride=2, rng=np.random.default_rng(0), bias=False)
    >>> up.weight[...] = 1.0
    >>> up.forward(np.array([[[[1.0, 2.0]]]]))[0, 0].tolist()
    [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        output_padding: int | tuple[int, int] = 0,
        *,
        rng: np.random.Generator,
        bias: bool = True,
        dtype: str | np.dtype = np.float64,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, rng=rng, bias=bias,
            weight_shape=(in_channels, out_channels), fan_in_channels=out_channels, dtype=dtype,
        )
        self.output_padding = _pair(output_padding, "output_padding", minimum=0)
        if any(op >= s for op, s in zip(self.output_padding, self.stride, strict=True)):
            raise ValueError(
                f"`output_padding` must be smaller than `stride` {self.stride} "
                f"(got {output_padding!r})"
            )

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Shape of the output for an input of shape ``(N, C_in, H, W)``."""
        n, _, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        oh, ow = self.output_padding
        return (
            n,
            self.out_channels,
            conv_transpose_output_size(h, kh, sh, ph, oh),
            conv_transpose_output_size(w, kw, sw, pw, ow),
        )

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y`` (N, out_channels, Ho, Wo) for ``x`` (N, in_channels, H, W)."""
        self._cache = None
        x = _check_nchw(x, self.in_channels, self.dtype)
        n, c_out, ho, wo = self.output_shape(x.shape)
        if ho < 1 or wo < 1:
            raise ValueError(
                f"`x` of shape {x.shape} is too small for {self._geometry()}, "
                f"output_padding={self.output_padding}: the output would be {ho} x {wo}"
            )
        (ph, pw), hw = self.padding, x.shape[2:]
        X = _rows(x)  # (H·W·N, C_in)
        K = self._weight_rows()  # (C_in, kh·kw·C_out)
        cols = X @ K  # (HWN, C_in) @ (C_in, kh·kw·C_out) -> (HWN, kh·kw·C_out)
        yp = _col2im(cols, (ho + 2 * ph, wo + 2 * pw, n, c_out), self.kernel_size, self.stride, hw)
        y = yp[ph : ph + ho, pw : pw + wo]  # (Ho, Wo, N, C_out), a view
        if self.has_bias:
            y += self.bias
        self._cache = (X, K, x.shape)
        return _nchw(y)  # (N, C_out, Ho, Wo)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Store ``dL_dweight``, ``dL_dbias`` and return ``dL_dx`` (shape of the last input)."""
        X, K, x_shape = self._cached(self._cache)
        g = _hwnc(self._check_grad_shape(dL_dy, self.output_shape(x_shape)))  # (Ho, Wo, N, C_out)
        hw = x_shape[2:]
        cols = _im2col(_pad(g, self.padding), self.kernel_size, self.stride, hw)
        # cols: (H·W·N, kh·kw·C_out), the patches of the padded output gradient
        if param_grads:
            self._store_weight_grad(X.T @ cols)  # (C_in, HWN) @ (HWN, kh·kw·C_out)
            if self.has_bias:
                np.sum(g, axis=(0, 1, 2), out=self.dL_dbias)  # (C_out,)
        if not input_grad:
            return None
        dX = cols @ K.T  # (HWN, kh·kw·C_out) @ (kh·kw·C_out, C_in) -> (HWN, C_in)
        return _nchw(dX.reshape(*hw, x_shape[0], self.in_channels))  # (N, C_in, H, W)

    def __repr__(self) -> str:
        return (
            f"ConvTranspose2d({self.in_channels}, {self.out_channels}, {self._geometry()}, "
            f"output_padding={self.output_padding}, bias={self.has_bias})"
        )
