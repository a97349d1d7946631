r"""Batch normalisation (Ioffe & Szegedy 2015, Algorithm 1 and Section 3.1) with its backward rules.

For each channel ``c`` the statistics are taken over every axis but the channel axis: over the
batch for ``(N, C)`` inputs, over the batch and the image for ``(N, C, H, W)`` inputs (the
convolutional form of Section 3.2), i.e. over :math:`m = N` or :math:`m = N H W` values.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import numpy.typing as npt

from gantheory.nn.layers import _check_positive_int
from gantheory.nn.module import Layer

__all__ = ["BatchNorm"]


class BatchNorm(Layer):
    r"""Batch normalisation over the channel axis 1 of ``(N, C)`` or ``(N, C, H, W)`` batches.

    Training mode (batch statistics over the :math:`m` values of each channel):

    .. math:: \mu = \frac1m \sum x, \qquad \sigma^2 = \frac1m \sum (x - \mu)^2, \qquad
              \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}, \qquad
              y = \gamma \hat x + \beta,

    and the running statistics move towards the batch's, the variance unbiased (as PyTorch):

    .. math:: \bar\mu \leftarrow (1 - \alpha)\bar\mu + \alpha\mu, \qquad
              \bar\sigma^2 \leftarrow (1 - \alpha)\bar\sigma^2 + \alpha \frac{m}{m-1}\sigma^2.

    Its backward rule goes through the batch statistics (Ioffe & Szegedy 2015, Section 3):

    .. math:: \frac{\partial L}{\partial \beta} = \sum g, \qquad
              \frac{\partial L}{\partial \gamma} = \sum g\,\hat x, \qquad
              \frac{\partial L}{\partial x} = \frac{\gamma}{\sqrt{\sigma^2 + \epsilon}}
              \Bigl(g - \frac1m\sum g - \hat x\,\frac1m \sum g\,\hat x\Bigr),

    with :math:`g = \partial L/\partial y` and the sums over the channel's :math:`m` values.

    Evaluation mode (the running statistics, fixed: an affine map per channel):

    .. math:: y = \gamma\,\frac{x - \bar\mu}{\sqrt{\bar\sigma^2 + \epsilon}} + \beta, \qquad
              \frac{\partial L}{\partial x} = \frac{\gamma}{\sqrt{\bar\sigma^2 + \epsilon}}\,g,

    with the same parameter gradients (:math:`\hat x` from the running statistics).

    Parameters
    ----------
    num_features : int
        The number of channels ``C``.
    eps : float
        :math:`\epsilon > 0` added to the variance.
    momentum : float
        :math:`\alpha \in [0, 1]`, the weight of the batch statistics in the running ones.
    dtype : {"float64", "float32"} or NumPy dtype
        Precision of the parameters, the running statistics and the computation.

    Attributes
    ----------
    gamma, beta : (C,) ndarray — scale (ones) and shift (zeros); params = [gamma, beta],
        grads = [dL_dgamma, dL_dbeta].
    running_mean, running_var : (C,) ndarray — start at zeros and ones; not parameters.
    training : bool — see :meth:`train` / :meth:`eval`.

    Examples
    --------
    >>> bn = BatchNorm(2)
    >>> y = bn.forward(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> bool(np.allclose(y, [[-1, -1], [1, 1]], atol=1e-5))
    True
    >>> bn.running_mean.tolist(), bn.running_var.tolist()   # 0.9·(0, 1) + 0.1·(μ, m/(m-1)·σ²)
    ([0.2, 2.0], [1.1, 20.9])
    """

    def __init__(
        self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, *,
        dtype: str | np.dtype = np.float64,
    ) -> None:
        self.num_features = _check_positive_int(num_features, "num_features")
        if not (
            isinstance(eps, numbers.Real) and not isinstance(eps, bool)
            and math.isfinite(eps) and eps > 0
        ):
            raise ValueError(f"`eps` must be a positive finite number (got {eps!r})")
        if not (
            isinstance(momentum, numbers.Real) and not isinstance(momentum, bool)
            and 0.0 <= momentum <= 1.0
        ):
            raise ValueError(f"`momentum` must lie in [0, 1] (got {momentum!r})")
        self.eps, self.momentum = float(eps), float(momentum)
        self._init_params(
            {"gamma": (self.num_features,), "beta": (self.num_features,)}, dtype
        )
        self.gamma[...] = 1.0
        self.running_mean = np.zeros(self.num_features, dtype=self.dtype)
        self.running_var = np.ones(self.num_features, dtype=self.dtype)
        self._cache: tuple | None = None

    def _cast_state(self, dtype: np.dtype) -> None:
        self.running_mean = self.running_mean.astype(dtype)
        self.running_var = self.running_var.astype(dtype)

    def _check_input(self, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim not in (2, 4):
            raise ValueError(
                f"`x` must have 2 dimensions (batch, channels) or 4 (batch, channels, height, "
                f"width) (got shape {x.shape})"
            )
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"`x` must have {self.num_features} channels on axis 1 (got shape {x.shape})"
            )
        if x.size == 0:
            raise ValueError(f"`x` must not be empty (got shape {x.shape})")
        return x

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y``, the shape of ``x``; in training mode also update the running statistics."""
        self._cache = None
        x = self._check_input(x)
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)  # broadcast a (C,) vector over x
        m = x.size // self.num_features  # values per channel
        if self.training:
            if m < 2:
                raise ValueError(
                    f"`x` must hold more than one value per channel in training mode, where "
                    f"the batch variance is used (got shape {x.shape})"
                )
            mean = x.mean(axis=axes)  # μ  (C,)
            centred = x - mean.reshape(shape)  # x − μ
            var = np.mean(centred * centred, axis=axes)  # biased σ²  (C,)
            a = self.momentum
            self.running_mean *= 1.0 - a
            self.running_mean += a * mean
            self.running_var *= 1.0 - a
            self.running_var += a * (m / (m - 1)) * var  # unbiased batch variance
        else:
            centred = x - self.running_mean.reshape(shape)
            var = self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)  # 1/sqrt(σ² + ε)  (C,)
        x_hat = centred * inv_std.reshape(shape)  # x̂
        y = x_hat * self.gamma.reshape(shape) + self.beta.reshape(shape)  # γ x̂ + β
        self._cache = (x_hat, inv_std, self.training, axes, shape)
        return y

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Store ``dL_dgamma``, ``dL_dbeta`` and return ``dL_dx``, through the batch
        statistics if the last forward pass was in training mode."""
        x_hat, inv_std, training, axes, shape = self._cached(self._cache)
        g = self._check_grad_shape(dL_dy, x_hat.shape)
        if param_grads or (training and input_grad):
            sum_g = g.sum(axis=axes)  # Σ g  (C,)
            sum_g_xhat = np.sum(g * x_hat, axis=axes)  # Σ g x̂  (C,)
        if param_grads:
            self.dL_dbeta[...] = sum_g
            self.dL_dgamma[...] = sum_g_xhat
        if not input_grad:
            return None
        scale = (self.gamma * inv_std).reshape(shape)  # γ / sqrt(σ² + ε)
        if not training:
            return g * scale  # the running statistics are constants
        m = x_hat.size // self.num_features
        mean_g = (sum_g / m).reshape(shape)
        mean_g_xhat = (sum_g_xhat / m).reshape(shape)
        return scale * (g - mean_g - x_hat * mean_g_xhat)  # γ/σ̃ (g − ḡ − x̂ · mean(g x̂))

    def __repr__(self) -> str:
        mode = "train" if self.training else "eval"
        return (
            f"BatchNorm({self.num_features}, eps={self.eps!r}, momentum={self.momentum!r}, "
            f"mode={mode!r})"
        )
