r"""Pooling and nearest-neighbour upsampling on NCHW batches: the resampling layers that DCGAN
replaced.

Radford, Metz & Chintala 2016 (Section 3) build both networks without pooling: the
discriminator downsamples by strided convolutions, the generator upsamples by fractional-strided
(transposed) convolutions, following the all-convolutional network of Springenberg et al. 2015.
The layers here give the design they replaced, for ablations: a convolution followed by max or
average pooling (Goodfellow, Bengio & Courville 2016, Section 9.3) to downsample, and
nearest-neighbour upsampling followed by a convolution to upsample (the *resize-convolution* of
Odena, Dumoulin & Olah 2016).

A pooling layer with kernel ``(k_h, k_w)`` and stride ``(s_h, s_w)`` (no padding) reads the
windows :math:`W_{ij} = \{(s_h i + u,\, s_w j + v) : 0 \le u < k_h,\ 0 \le v < k_w\}`, one per
output position, with

.. math:: H_{out} = \Bigl\lfloor \frac{H - k_h}{s_h} \Bigr\rfloor + 1, \qquad
          W_{out} = \Bigl\lfloor \frac{W - k_w}{s_w} \Bigr\rfloor + 1

(the formula of a convolution without padding): windows may overlap (``stride < kernel``) or
leave rows and columns unread (``stride > kernel``, or a remainder that does not tile); unread
positions get a zero gradient. Both the forward and the backward pass loop over the
:math:`k_h k_w` *taps* ``(u, v)``: tap ``(u, v)`` of every window is one strided slice of the
image, so each step is one vectorised operation on an ``(H_{out}, W_{out}, N, C)`` array.

Memory order: as in :mod:`gantheory.nn.conv`, the layers take and return arrays of NCHW *shape*
but compute in the memory order (H, W, N, C), batch and channels innermost, and return NCHW views
of it (not C-contiguous): the outputs of the convolutions are read without a transposing copy,
and every slice of a tap is a run of rows of N × C contiguous values.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from gantheory.nn.conv import _hwnc, _nchw, _pair, conv_output_size
from gantheory.nn.module import Layer

__all__ = ["AvgPool2d", "MaxPool2d", "Upsample"]


def _check_images(x: npt.ArrayLike, dtype: np.dtype) -> np.ndarray:
    """``x`` as a ``dtype`` array of 4 dimensions with a non-empty batch and image."""
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 4:
        raise ValueError(
            f"`x` must have 4 dimensions (batch, channels, height, width) (got shape "
            f"{x.shape})"
        )
    if x.shape[0] < 1 or x.shape[1] < 1 or x.shape[2] < 1 or x.shape[3] < 1:
        raise ValueError(
            f"`x` must have a non-empty batch, channels and image (got shape {x.shape})"
        )
    return x


def _taps(
    kernel: tuple[int, int], stride: tuple[int, int], out_hw: tuple[int, int]
) -> Iterator[tuple[slice, slice]]:
    """For each tap ``(u, v)`` in row-major order, the (rows, columns) slices of the image that
    tap ``(u, v)`` of the windows reads: position ``(s_h i + u, s_w j + v)`` for output ``(i, j)``.
    """
    (kh, kw), (sh, sw), (ho, wo) = kernel, stride, out_hw
    for u in range(kh):
        rows = slice(u, u + sh * (ho - 1) + 1, sh)
        for v in range(kw):
            yield rows, slice(v, v + sw * (wo - 1) + 1, sw)


class _Pool2d(Layer):
    """Window geometry and checks shared by the pooling layers (no parameters)."""

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None
    ) -> None:
        self.kernel_size = _pair(kernel_size, "kernel_size", minimum=1)
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride", minimum=1)
        self._init_params({})
        self._cache: tuple | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Shape of the output for an input of shape ``(N, C, H, W)``."""
        n, c, h, w = input_shape
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        return n, c, conv_output_size(h, kh, sh), conv_output_size(w, kw, sw)

    def _checked_input(self, x: npt.ArrayLike) -> tuple[np.ndarray, tuple[int, int]]:
        """``x`` checked, as its (H, W, N, C) view, and the output size ``(Ho, Wo)``."""
        self._cache = None  # a failed forward pass leaves nothing to differentiate
        x = _check_images(x, self.dtype)
        _, _, ho, wo = self.output_shape(x.shape)
        if ho < 1 or wo < 1:
            raise ValueError(
                f"`x` of shape {x.shape} is too small for {self._geometry()}: the output "
                f"would be {ho} x {wo}"
            )
        return _hwnc(x), (ho, wo)

    def _geometry(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._geometry()})"


class AvgPool2d(_Pool2d):
    r"""Average pooling of NCHW batches: the mean of each window, no padding.

    .. math:: y_{n,c,i,j} = \frac{1}{k_h k_w} \sum_{u=0}^{k_h-1} \sum_{v=0}^{k_w-1}
              x_{n,c,\, s_h i + u,\, s_w j + v}, \qquad
              \frac{\partial L}{\partial x_{n,c,r,q}} = \frac{1}{k_h k_w}
              \sum_{\substack{i,\,u:\ s_h i + u = r \\ j,\,v:\ s_w j + v = q}}
              \frac{\partial L}{\partial y_{n,c,i,j}}:

    the map is linear, and its backward pass is its transpose, which spreads each output
    gradient evenly over its window (and adds where windows overlap). With ``stride =
    kernel_size`` dividing the image, it is the transpose of :class:`Upsample` by the same factor
    divided by :math:`k_h k_w`.

    Parameters
    ----------
    kernel_size : int or (int, int) — positive
    stride : int or (int, int) — positive; ``None`` (the default) means ``kernel_size``

    Shapes: ``x`` (N, C, H, W) -> ``y`` (N, C, Ho, Wo) with
    :math:`H_o = \lfloor (H - k_h)/s_h \rfloor + 1` (at least 1, else ``ValueError``).

    Examples
    --------
    >>> pool = AvgPool2d(2)
    >>> pool.forward(np.arange(16.0).reshape(1, 1, 4, 4))[0, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    >>> pool.backward(np.ones((1, 1, 2, 2)))[0, 0, :2].tolist()
    [[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]
    """

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
    ) -> None:
        super().__init__(kernel_size, stride)

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y`` (N, C, Ho, Wo) for ``x`` (N, C, H, W)."""
        xh, out_hw = self._checked_input(x)  # (H, W, N, C)
        taps = _taps(self.kernel_size, self.stride, out_hw)
        total = xh[next(taps)].copy()  # tap (0, 0) of every window: (Ho, Wo, N, C)
        for rows, cols in taps:
            total += xh[rows, cols]  # the other taps, in row-major order
        total /= self.kernel_size[0] * self.kernel_size[1]
        self._cache = xh.shape
        return _nchw(total)  # (N, C, Ho, Wo)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Return ``dL_dx`` (shape of the last input); there are no parameters."""
        hwnc_shape = self._cached(self._cache)
        h, w, n, c = hwnc_shape
        out_shape = self.output_shape((n, c, h, w))
        g = _hwnc(self._check_grad_shape(dL_dy, out_shape))  # (Ho, Wo, N, C)
        if not input_grad:
            return None
        share = g / (self.kernel_size[0] * self.kernel_size[1])  # each tap's part of ∂L/∂y
        dL_dx = np.zeros(hwnc_shape, dtype=g.dtype)
        for rows, cols in _taps(self.kernel_size, self.stride, out_shape[2:]):
            dL_dx[rows, cols] += share  # (Ho, Wo, N, C) onto the positions tap (u, v) reads
        return _nchw(dL_dx)  # (N, C, H, W)


class MaxPool2d(_Pool2d):
    r"""Max pooling of NCHW batches: the largest value of each window, no padding.

    .. math:: y_{n,c,i,j} = \max_{0 \le u < k_h,\ 0 \le v < k_w}
              x_{n,c,\, s_h i + u,\, s_w j + v} = x_{n,c,\, s_h i + u^*,\, s_w j + v^*}, \qquad
              \frac{\partial L}{\partial x_{n,c,r,q}} =
              \sum_{i,\,j:\ (s_h i + u^*, s_w j + v^*) = (r, q)}
              \frac{\partial L}{\partial y_{n,c,i,j}},

    with :math:`(u^*, v^*) = (u^*_{n,c,i,j}, v^*_{n,c,i,j})` the arg-max of the window: each
    output gradient goes to the one input that the output copies (and adds where overlapping
    windows share their maximum). The map is piecewise linear; where a window's maximum is
    unique it is differentiable and this is its gradient.

    **Ties.** When several values of a window are equal to its maximum, the arg-max is the
    *first* of them in row-major window order (``u`` outer, ``v`` inner: the top row first,
    left to right), and the whole gradient goes there; the other copies get none. (At a tie
    the maximum is not differentiable; this choice is the derivative of the map in the
    directions that keep the first copy largest.) A NaN in a window counts as its maximum, as
    in ``np.max``, so that it is propagated and not hidden: the first NaN is the arg-max.

    Parameters
    ----------
    kernel_size : int or (int, int) — positive
    stride : int or (int, int) — positive; ``None`` (the default) means ``kernel_size``

    Shapes: ``x`` (N, C, H, W) -> ``y`` (N, C, Ho, Wo) with
    :math:`H_o = \lfloor (H - k_h)/s_h \rfloor + 1` (at least 1, else ``ValueError``).

    Examples
    --------
    >>> pool = MaxPool2d(2)
    >>> x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])     # a tie between (0, 1) and (1, 0)
    >>> pool.forward(x)[0, 0].tolist()
    [[3.0]]
    >>> pool.backward(np.ones((1, 1, 1, 1)))[0, 0].tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    """

    def __init__(
        self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
    ) -> None:
        super().__init__(kernel_size, stride)

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y`` (N, C, Ho, Wo) for ``x`` (N, C, H, W)."""
        xh, out_hw = self._checked_input(x)  # (H, W, N, C)
        taps = _taps(self.kernel_size, self.stride, out_hw)
        best = xh[next(taps)].copy()  # the running maximum (Ho, Wo, N, C), from tap (0, 0)
        arg = np.zeros(best.shape, dtype=np.intp)  # its tap index u·k_w + v
        for t, (rows, cols) in enumerate(taps, start=1):
            candidate = xh[rows, cols]
            # strictly larger (a tie keeps the earlier tap), or the first NaN
            better = (candidate > best) | (np.isnan(candidate) & ~np.isnan(best))
            np.copyto(best, candidate, where=better)
            arg[better] = t
        self._cache = (arg, xh.shape)
        return _nchw(best)  # (N, C, Ho, Wo)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Return ``dL_dx`` (shape of the last input); there are no parameters."""
        arg, hwnc_shape = self._cached(self._cache)
        h, w, n, c = hwnc_shape
        out_shape = self.output_shape((n, c, h, w))
        g = _hwnc(self._check_grad_shape(dL_dy, out_shape))  # (Ho, Wo, N, C)
        if not input_grad:
            return None
        dL_dx = np.zeros(hwnc_shape, dtype=g.dtype)
        for t, (rows, cols) in enumerate(_taps(self.kernel_size, self.stride, out_shape[2:])):
            # the output gradients whose arg-max is tap t, onto the positions tap t reads
            dL_dx[rows, cols] += np.where(arg == t, g, 0.0)  # (Ho, Wo, N, C)
        return _nchw(dL_dx)  # (N, C, H, W)


class Upsample(Layer):
    r"""Nearest-neighbour upsampling of NCHW batches by integer factors: each pixel becomes an
    :math:`s_h \times s_w` block of copies.

    .. math:: y_{n,c,i,j} = x_{n,c,\,\lfloor i/s_h \rfloor,\,\lfloor j/s_w \rfloor}, \qquad
              \frac{\partial L}{\partial x_{n,c,r,q}} = \sum_{a=0}^{s_h-1} \sum_{b=0}^{s_w-1}
              \frac{\partial L}{\partial y_{n,c,\, s_h r + a,\, s_w q + b}}:

    the map is linear and its backward pass is its transpose (the adjoint,
    :math:`\langle \mathrm{up}(x), y\rangle = \langle x, \mathrm{up}^\top(y)\rangle`), the sum
    over each block, i.e. :math:`s_h s_w` times :class:`AvgPool2d` with kernel and stride
    :math:`(s_h, s_w)`.

    Parameters
    ----------
    scale_factor : int or (int, int) — positive
        ``(s_h, s_w)``, or one factor for both axes.

    Shapes: ``x`` (N, C, H, W) -> ``y`` (N, C, s_h H, s_w W).

    Examples
    --------
    >>> up = Upsample(2)
    >>> up.forward(np.array([[[[1.0, 2.0]]]]))[0, 0].tolist()
    [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]
    >>> up.backward(np.arange(8.0).reshape(1, 1, 2, 4))[0, 0].tolist()   # 0+1+4+5, 2+3+6+7
    [[10.0, 18.0]]
    """

    def __init__(self, scale_factor: int | tuple[int, int]) -> None:
        self.scale_factor = _pair(scale_factor, "scale_factor", minimum=1)
        self._init_params({})
        self._in_shape: tuple[int, ...] | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Shape of the output for an input of shape ``(N, C, H, W)``."""
        n, c, h, w = input_shape
        sh, sw = self.scale_factor
        return n, c, sh * h, sw * w

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y`` (N, C, s_h H, s_w W) for ``x`` (N, C, H, W)."""
        self._in_shape = None
        xh = _hwnc(_check_images(x, self.dtype))  # (H, W, N, C)
        h, w, n, c = xh.shape
        sh, sw = self.scale_factor
        # (H, 1, W, 1, N, C) broadcast to (H, s_h, W, s_w, N, C): the copy is made by reshape
        y = np.broadcast_to(xh[:, None, :, None], (h, sh, w, sw, n, c)).reshape(
            h * sh, w * sw, n, c
        )
        self._in_shape = (n, c, h, w)
        return _nchw(y)  # (N, C, s_h H, s_w W)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Return ``dL_dx`` (shape of the last input); there are no parameters."""
        in_shape = self._cached(self._in_shape)
        g = _hwnc(self._check_grad_shape(dL_dy, self.output_shape(in_shape)))  # (sH, sW, N, C)
        if not input_grad:
            return None
        # the sum over each block, as a sum pooling with kernel = stride = (s_h, s_w): one
        # strided slice per offset (a, b) in row-major order (the same bits for any memory
        # order of dL_dy)
        offsets = _taps(self.scale_factor, self.scale_factor, in_shape[2:])
        dL_dx = g[next(offsets)].copy()  # offset (0, 0) of every block: (H, W, N, C)
        for rows, cols in offsets:
            dL_dx += g[rows, cols]
        return _nchw(dL_dx)  # (N, C, H, W)

    def __repr__(self) -> str:
        return f"Upsample(scale_factor={self.scale_factor})"
