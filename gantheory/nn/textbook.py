r"""The textbook form of the MLP: each layer's forward and backward pass as a lecture writes them.

A batch is stored **batch-major**, one sample per row: ``x`` has shape ``(n, fan_in)``. The
affine layer computes :math:`y = xW + b` and, given :math:`\delta = \partial L/\partial y` of
shape ``(n, fan_out)``, the chain rule gives (Rumelhart, Hinton & Williams 1986)

.. math:: \frac{\partial L}{\partial W} = x^\top \delta, \qquad
          \frac{\partial L}{\partial b} = \sum_{k=1}^{n} \delta_{k\cdot}, \qquad
          \frac{\partial L}{\partial x} = \delta\, W^\top .

An elementwise activation :math:`y = \sigma(a)` passes back
:math:`\partial L/\partial a = \sigma'(a) \odot \partial L/\partial y`. An :class:`MLP` is a
list of such layers: its forward pass caches each layer's input, its backward pass walks the
layers in reverse.

Every step allocates its result, and nothing is fused. The fast network,
:class:`gantheory.nn.MLP` (:mod:`gantheory.nn.layers`), computes the same maps in another
layout (feature-major, with the bias folded into the weight matrix and the buffers reused in
place); ``tests/nn/test_textbook.py`` checks, from the same weights, that the two agree to
rounding error, and checks this module by central differences (:mod:`gantheory.nn.gradcheck`).

Examples
--------
>>> from gantheory.nn import MLP, textbook
>>> rng = np.random.default_rng(0)
>>> fast = MLP([2, 8, 1], "tanh", rng=rng)
>>> slow = textbook.MLP.from_mlp(fast)                 # the same weights, copied
>>> x = rng.standard_normal((5, 2))
>>> bool(np.allclose(slow.forward(x), fast.forward(x), rtol=1e-14, atol=1e-15))
True
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy.special import expit

if TYPE_CHECKING:
    from gantheory.nn import mlp

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "Activation",
    "Identity",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Tanh",
]


def _batch(x: npt.ArrayLike, width: int, name: str, n: int | None = None) -> np.ndarray:
    """``x`` as a float64 array of shape ``(n, width)``, or a ValueError naming ``name``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != width or x.shape[0] < 1 or n not in (None, x.shape[0]):
        want = f"({'batch' if n is None else n}, {width})"
        raise ValueError(f"`{name}` must have shape {want} (got {x.shape})")
    return x


# --- the affine layer ----------------------------------------------------------------------------
class Linear:
    r"""The affine layer :math:`y = xW + b` on a batch ``x`` of shape ``(n, fan_in)``.

    Parameters
    ----------
    W : array_like of shape (fan_in, fan_out)
    b : array_like of shape (fan_out,)
        Weights and bias, copied.

    Attributes
    ----------
    W, b : ndarray
        The parameters.
    dL_dW, dL_db : ndarray
        Their gradients, shapes of ``W`` and ``b``, set by :meth:`backward`.

    Examples
    --------
    >>> layer = Linear([[1.0, 2.0], [3.0, 4.0]], [0.5, -0.5])
    >>> layer.forward([[1.0, 1.0]]).tolist()
    [[4.5, 5.5]]
    >>> layer.backward([[1.0, 0.0]]).tolist(), layer.dL_db.tolist()
    ([[1.0, 3.0]], [1.0, 0.0])
    """

    def __init__(self, W: npt.ArrayLike, b: npt.ArrayLike) -> None:
        W, b = np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)
        if W.ndim != 2 or 0 in W.shape:
            raise ValueError(f"`W` must have shape (fan_in, fan_out) (got {W.shape})")
        if b.shape != (W.shape[1],):
            raise ValueError(f"`b` must have shape ({W.shape[1]},), W's columns (got {b.shape})")
        self.W, self.b = W, b
        self.x: np.ndarray | None = None

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return ``y = x W + b`` of shape ``(n, fan_out)``; cache ``x`` for :meth:`backward`."""
        self.x = _batch(x, self.W.shape[0], "x")  # (n, i)
        return self.x @ self.W + self.b  # (n, i) @ (i, o) + (o,) -> (n, o)

    def backward(self, dL_dy: npt.ArrayLike) -> np.ndarray:
        """Set ``dL_dW``, ``dL_db`` and return ``dL_dx`` (shape of ``x``) from ``dL_dy``."""
        if self.x is None:
            raise RuntimeError("`backward` needs a `forward` first")
        delta = _batch(dL_dy, self.W.shape[1], "dL_dy", len(self.x))  # (n, o)
        self.dL_dW = self.x.T @ delta  # (i, n) @ (n, o) -> (i, o)
        self.dL_db = delta.sum(axis=0)  # (n, o) -> (o,)
        return delta @ self.W.T  # (n, o) @ (o, i) -> (n, i)


# --- elementwise activations ---------------------------------------------------------------------
class Activation:
    r"""An elementwise activation :math:`y = \sigma(a)`; the backward pass returns
    :math:`\partial L/\partial a = \sigma'(a) \odot \partial L/\partial y`.

    :meth:`forward` caches its input ``a`` and output ``y`` (both of shape ``(n, d)``), from
    which :meth:`backward` evaluates :math:`\sigma'`.
    """

    name: str = ""

    def forward(self, a: np.ndarray) -> np.ndarray:
        """Return ``y = σ(a)``, shape of ``a``."""
        raise NotImplementedError

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        """Return ``dL_da = σ'(a) ⊙ dL_dy`` at the ``a`` of the last :meth:`forward`."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Tanh(Activation):
    r""":math:`y = \tanh a`, :math:`\sigma'(a) = 1 - \tanh^2 a = 1 - y^2`."""

    name = "tanh"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a, self.y = a, np.tanh(a)  # (n, d)
        return self.y

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        return (1 - self.y**2) * dL_dy  # (n, d)


class Sigmoid(Activation):
    r""":math:`y = 1/(1 + e^{-a})`, :math:`\sigma'(a) = y\,(1 - y)`."""

    name = "sigmoid"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a, self.y = a, expit(a)  # 1 / (1 + exp(-a)), without overflow   (n, d)
        return self.y

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        return self.y * (1 - self.y) * dL_dy  # (n, d)


class ReLU(Activation):
    r""":math:`y = \max(a, 0)`, :math:`\sigma'(a) = [a > 0]` (0 at the kink ``a = 0``)."""

    name = "relu"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a, self.y = a, np.maximum(a, 0.0)  # (n, d)
        return self.y

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        return (self.a > 0) * dL_dy  # (n, d)


class LeakyReLU(Activation):
    r""":math:`y = a` for :math:`a > 0`, else :math:`s\,a`; :math:`\sigma'(a) = 1` or
    :math:`s` (``s`` at the kink), for a slope ``s`` in (0, 1)."""

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        if not 0.0 < slope < 1.0:
            raise ValueError(f"`slope` must lie in (0, 1) (got {slope!r})")
        self.slope = float(slope)

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a, self.y = a, np.where(a > 0, a, self.slope * a)  # (n, d)
        return self.y

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        return np.where(self.a > 0, 1.0, self.slope) * dL_dy  # (n, d)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope!r})"


class Identity(Activation):
    r""":math:`y = a`, :math:`\sigma'(a) = 1`: the output layer of logits."""

    name = "identity"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = self.y = a  # (n, d)
        return self.y

    def backward(self, dL_dy: np.ndarray) -> np.ndarray:
        return dL_dy  # (n, d)


#: The activations by name, the names of :data:`gantheory.nn.ACTIVATIONS`.
ACTIVATIONS: dict[str, type[Activation]] = {
    "identity": Identity,
    "leaky_relu": LeakyReLU,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
}


def _activation(spec: str | Activation, name: str) -> Activation:
    """A fresh activation (each layer caches its own ``a`` and ``y``) from a name or instance."""
    if isinstance(spec, Activation):
        return copy.copy(spec)
    if isinstance(spec, str) and spec in ACTIVATIONS:
        return ACTIVATIONS[spec]()
    known = ", ".join(map(repr, ACTIVATIONS))
    raise ValueError(f"`{name}` must be one of {known} (got {spec!r})")


# --- the network ---------------------------------------------------------------------------------
class MLP:
    r"""A multilayer perceptron of :class:`Linear` layers and activations, batch-major.

    .. math:: h_0 = x, \qquad h_l = \sigma_l(h_{l-1} W_l + b_l), \quad l = 1, \dots, L.

    Parameters
    ----------
    params : sequence of array_like
        ``[W1, b1, W2, b2, ...]`` with ``W_l`` of shape ``(d_{l-1}, d_l)`` and ``b_l`` of shape
        ``(d_l,)`` (the layout of :attr:`gantheory.nn.MLP.params`); copied.
    activations : sequence of str or Activation
        One per layer, names from :data:`ACTIVATIONS` (``'tanh'``, ...) or instances
        (``LeakyReLU(0.2)``, copied).

    Attributes
    ----------
    layers : list of Linear
    activations : list of Activation

    Examples
    --------
    >>> params = [np.ones((2, 3)), np.zeros(3), np.ones((3, 1)), np.zeros(1)]
    >>> net = MLP(params, ["relu", "identity"])
    >>> net.forward([[1.0, -2.0]]).tolist()
    [[0.0]]
    >>> net.backward([[1.0]]).tolist()                    # every ReLU is off: no gradient
    [[0.0, 0.0]]
    """

    def __init__(
        self, params: Sequence[npt.ArrayLike], activations: Sequence[str | Activation]
    ) -> None:
        if isinstance(params, np.ndarray) or len(params) < 2 or len(params) % 2:
            raise ValueError(
                f"`params` must be a list [W1, b1, W2, b2, ...] (got {len(params)} array(s))"
            )
        self.layers = [Linear(W, b) for W, b in zip(params[0::2], params[1::2], strict=True)]
        if isinstance(activations, str) or len(activations) != len(self.layers):
            raise ValueError(
                f"`activations` must name one activation per layer, {len(self.layers)} "
                f"(got {activations!r})"
            )
        self.activations = [
            _activation(a, f"activations[{i}]") for i, a in enumerate(activations)
        ]
        for i, (prev, layer) in enumerate(zip(self.layers, self.layers[1:]), start=1):
            if layer.W.shape[0] != prev.W.shape[1]:
                raise ValueError(
                    f"`params[{2 * i}]` must have {prev.W.shape[1]} rows, the width of layer "
                    f"{i} (got shape {layer.W.shape})"
                )

    @classmethod
    def from_mlp(cls, net: mlp.MLP) -> MLP:
        """The textbook form of a :class:`gantheory.nn.MLP`: its weights (copied) and
        activations (``net.params``, ``net.activations``)."""
        acts = [
            LeakyReLU(a.slope) if a.name == "leaky_relu" else a.name for a in net.activations
        ]
        return cls(net.params, acts)

    @property
    def params(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]``, the layers' own arrays (modify them in place)."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    @property
    def grads(self) -> list[np.ndarray]:
        """``[dL_dW1, dL_db1, ...]`` from the last :meth:`backward`."""
        return [g for layer in self.layers for g in (layer.dL_dW, layer.dL_db)]

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return the output ``h_L`` of shape ``(n, d_L)`` for ``x`` of shape ``(n, d_0)``."""
        h = x
        for layer, act in zip(self.layers, self.activations, strict=True):
            h = act.forward(layer.forward(h))  # h_l = σ_l(h_{l-1} W_l + b_l)      (n, d_l)
        return h

    def backward(self, dL_dy: npt.ArrayLike) -> np.ndarray:
        """Set every layer's ``dL_dW``, ``dL_db`` and return ``dL_dx`` (shape ``(n, d_0)``)."""
        if self.layers[0].x is None:
            raise RuntimeError("`backward` needs a `forward` first")
        n, width = len(self.layers[0].x), self.layers[-1].W.shape[1]
        delta = _batch(dL_dy, width, "dL_dy", n)  # (n, d_L)
        for layer, act in zip(reversed(self.layers), reversed(self.activations), strict=True):
            delta = layer.backward(act.backward(delta))  # (σ_l' ⊙ δ_l) W_lᵀ  (n, d_{l-1})
        return delta

    __call__ = forward

    def __repr__(self) -> str:
        sizes = [self.layers[0].W.shape[0], *(layer.W.shape[1] for layer in self.layers)]
        return f"MLP(sizes={sizes}, activations=[{', '.join(a.name for a in self.activations)}])"
