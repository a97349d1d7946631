r"""Layers that only rearrange values: :class:`Flatten` and :class:`Reshape`.

Both are permutation-free relabellings of the values of each sample (C order), so the backward
rule is the inverse relabelling of the output gradient:
:math:`\partial L/\partial x = \operatorname{reshape}(\partial L/\partial y, \text{shape of } x)`.
They join the image layers (NCHW) and the batch-major ``(N, features)`` layers and losses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gantheory.nn.layers import _check_positive_int
from gantheory.nn.module import Layer

__all__ = ["Flatten", "Reshape"]


def _check_batch(x: npt.ArrayLike, min_ndim: int, dtype: np.dtype) -> np.ndarray:
    x = np.asarray(x, dtype=dtype)
    if x.ndim < min_ndim or x.shape[0] < 1:
        raise ValueError(
            f"`x` must have a non-empty batch axis and at least {min_ndim} dimensions "
            f"(got shape {x.shape})"
        )
    return x


class Flatten(Layer):
    r"""``(N, d_1, ..., d_k) -> (N, d_1 ⋯ d_k)``, each sample in C order.

    .. math:: y_{n, \mathrm{idx}(i_1, \dots, i_k)} = x_{n, i_1, \dots, i_k}, \qquad
              \frac{\partial L}{\partial x} = \operatorname{reshape}\Bigl(
              \frac{\partial L}{\partial y}, (N, d_1, \dots, d_k)\Bigr)

    Examples
    --------
    >>> Flatten().forward(np.zeros((2, 3, 4, 5))).shape
    (2, 60)
    """

    def __init__(self) -> None:
        self._init_params({})
        self._in_shape: tuple[int, ...] | None = None

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        x = _check_batch(x, 2, self.dtype)
        self._in_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        in_shape = self._cached(self._in_shape)
        dL_dy = self._check_grad_shape(dL_dy, (in_shape[0], int(np.prod(in_shape[1:]))))
        return dL_dy.reshape(in_shape) if input_grad else None

    def __repr__(self) -> str:
        return "Flatten()"


class Reshape(Layer):
    r"""``(N, ...) -> (N, *shape)``: each sample's values (C order) in the given shape.

    .. math:: \frac{\partial L}{\partial x} = \operatorname{reshape}\Bigl(
              \frac{\partial L}{\partial y}, \text{shape of } x\Bigr)

    Parameters
    ----------
    shape : sequence of int
        The shape of one output sample, without the batch axis, e.g. ``(C, H, W)`` to turn
        noise vectors ``(N, C·H·W)`` into images.

    Examples
    --------
    >>> Reshape((16, 1, 1)).forward(np.zeros((8, 16))).shape
    (8, 16, 1, 1)
    """

    def __init__(self, shape: Sequence[int]) -> None:
        if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
            shape = (shape,)
        if isinstance(shape, str | bytes) or not isinstance(shape, Sequence) or not shape:
            raise ValueError(
                f"`shape` must be a non-empty sequence of positive integers (got {shape!r})"
            )
        self.shape = tuple(_check_positive_int(d, "shape") for d in shape)
        self._init_params({})
        self._in_shape: tuple[int, ...] | None = None

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        x = _check_batch(x, 1, self.dtype)
        per_sample = int(np.prod(x.shape[1:]))
        if per_sample != int(np.prod(self.shape)):
            raise ValueError(
                f"`x` of shape {x.shape} has {per_sample} values per sample, which cannot be "
                f"reshaped to `shape` {self.shape}"
            )
        self._in_shape = x.shape
        return x.reshape(x.shape[0], *self.shape)

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        in_shape = self._cached(self._in_shape)
        dL_dy = self._check_grad_shape(dL_dy, (in_shape[0], *self.shape))
        return dL_dy.reshape(in_shape) if input_grad else None

    def __repr__(self) -> str:
        return f"Reshape({self.shape})"
