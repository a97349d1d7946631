r"""A chain of layers, :math:`f = f_L \circ \cdots \circ f_1`, with the backward pass in reverse.

.. math:: h_0 = x, \quad h_l = f_l(h_{l-1}), \qquad
          \frac{\partial L}{\partial h_{l-1}} = J_{f_l}(h_{l-1})^\top
          \frac{\partial L}{\partial h_l}, \quad l = L, \dots, 1

(the chain rule of Rumelhart, Hinton & Williams 1986, one vector-Jacobian product per layer).
Like :class:`~gantheory.nn.MLP`, the container keeps every parameter in one flat vector
``flat_params`` (the layers' ``params`` become views of it) and every gradient in
``flat_grads``, so ``Adam([net.flat_params])`` and ``opt.step([net.flat_grads])`` update the
whole chain. The chain computes in one precision, that of its layers with parameters (float64
or float32); ``net.astype("float32")`` converts the whole chain.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gantheory.nn.layers import Activation
from gantheory.nn.module import Elementwise, Layer

__all__ = ["Sequential"]


class Sequential(Layer):
    r"""Layers applied in order, with one flat parameter vector.

    Parameters
    ----------
    *layers : Layer or Activation
        :class:`~gantheory.nn.module.Layer` instances (convolutions, batch normalisation,
        :class:`~gantheory.nn.Flatten`, another ``Sequential``, ...) or activations of
        :mod:`gantheory.nn.layers` (``ReLU()``, ``LeakyReLU(0.2)``, ``Tanh()``, ``Sigmoid()``),
        which are wrapped in :class:`~gantheory.nn.module.Elementwise`. A layer belongs to
        one container only: its parameters are moved into the container's flat vector. The
        layers with parameters must share one precision, which the chain takes (float64 if no
        layer has parameters); the others compute in it.

    Attributes
    ----------
    layers : list of Layer
    params, grads : list of ndarray
        The layers' parameters and gradients in layer order (views of ``flat_params`` /
        ``flat_grads``; ``backward`` overwrites the gradients).
    flat_params, flat_grads : ndarray of shape (n_params,)

    Examples
    --------
    >>> from gantheory.nn import Conv2d, Flatten, ReLU
    >>> rng = np.random.default_rng(0)
    >>> net = Sequential(Conv2d(1, 2, 3, rng=rng), ReLU(), Flatten())
    >>> x = rng.standard_normal((4, 1, 5, 5))
    >>> net.forward(x).shape, net.n_params, net.params[0] is net.layers[0].weight
    ((4, 18), 20, True)
    >>> dL_dx = net.backward(np.ones((4, 18)))
    >>> dL_dx.shape, bool(np.shares_memory(net.grads[0], net.flat_grads))
    ((4, 1, 5, 5), True)
    """

    def __init__(self, *layers: Layer | Activation) -> None:
        if not layers:
            raise ValueError("`layers` must hold at least one layer (got none)")
        wrapped: list[Layer] = []
        for i, layer in enumerate(layers):
            if isinstance(layer, Activation):
                layer = Elementwise(layer)
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"`layers[{i}]` must be a Layer or an Activation (got {type(layer).__name__})"
                )
            if any(layer is other for other in wrapped):
                raise ValueError(f"`layers[{i}]` ({layer!r}) appears twice in the chain")
            if getattr(layer, "_owner", None) is not None:
                raise ValueError(
                    f"`layers[{i}]` ({layer!r}) already belongs to another Sequential"
                )
            wrapped.append(layer)
        self.layers = wrapped
        self._param_names = ()
        dtypes = {layer.dtype for layer in self.layers if layer.n_params}
        if len(dtypes) > 1:
            found = ", ".join(f"{layer!r}: {layer.dtype}" for layer in self.layers
                              if layer.n_params)
            raise ValueError(
                f"`layers` must share one precision (got {found}); convert them with "
                "`layer.astype(dtype)`"
            )
        dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
        size = sum(layer.n_params for layer in self.layers)
        self.flat_params = np.empty(size, dtype=dtype)
        self.flat_grads = np.empty(size, dtype=dtype)
        self._make_views()
        for layer in self.layers:
            layer._owner = self
        self._owner = None
        self._out_shape: tuple[int, ...] | None = None

    def _make_views(self) -> None:
        """Bind each layer's parameters to its slice of the flat vectors (values kept)."""
        offset = 0
        for layer in self.layers:
            sl = slice(offset, offset + layer.n_params)
            layer._bind_storage(self.flat_params[sl], self.flat_grads[sl])
            offset += layer.n_params

    def _bind_storage(self, param_buffer: np.ndarray, grad_buffer: np.ndarray) -> None:
        self.flat_params, self.flat_grads = param_buffer, grad_buffer  # then the layers' copy
        self._make_views()

    def _cast_state(self, dtype: np.dtype) -> None:
        for layer in self.layers:  # their parameters follow the flat vectors in _make_views
            layer._cast_state(dtype)

    @property
    def params(self) -> list[np.ndarray]:
        return [p for layer in self.layers for p in layer.params]

    @property
    def grads(self) -> list[np.ndarray]:
        return [g for layer in self.layers for g in layer.grads]

    def train(self, mode: bool = True) -> Sequential:
        """Set training mode (``mode=True``) or evaluation mode in every layer; returns self."""
        super().train(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self) -> Sequential:
        """Set evaluation mode in every layer (batch normalisation then uses its running
        statistics); returns self."""
        return self.train(False)

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Apply the layers in order to the batch ``x`` (checked to be finite)."""
        self._out_shape = None
        h = np.asarray(x, dtype=self.dtype)
        if not np.isfinite(h).all():
            bad = h[~np.isfinite(h)]
            raise ValueError(
                f"`x` must be finite (got {bad.size} non-finite value(s), first {float(bad[0])!r})"
            )
        for layer in self.layers:
            h = layer.forward(h)
        self._out_shape = h.shape
        return h

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Backpropagate ``dL_dy`` (shape of the last output) and return ``dL_dx``.

        Overwrites :attr:`grads`, or with ``param_grads=False`` leaves them untouched (e.g. the
        discriminator during a generator step); ``input_grad=False`` skips the first layer's
        input gradient and returns ``None`` (e.g. the generator, whose input is noise).
        """
        if not (param_grads or input_grad):
            raise ValueError(
                "`param_grads` and `input_grad` must not both be False (nothing to compute)"
            )
        out_shape = self._cached(self._out_shape)
        g = self._check_grad_shape(dL_dy, out_shape)
        for i in range(len(self.layers) - 1, -1, -1):
            g = self.layers[i].backward(
                g, param_grads=param_grads, input_grad=input_grad or i > 0
            )
        return g

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def __repr__(self) -> str:
        inner = ",\n".join(f"  {layer!r}" for layer in self.layers)
        return f"Sequential(\n{inner}\n)"
