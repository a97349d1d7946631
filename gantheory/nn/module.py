r"""The layer interface shared by the image layers and :class:`~gantheory.nn.Sequential`.

A :class:`Layer` maps a batch ``x`` (first axis: the batch) to ``y = forward(x)`` and, given
:math:`\partial L/\partial y`, returns the vector-Jacobian product
:math:`\partial L/\partial x` from ``backward(dL_dy)`` while storing the parameter gradients in
``grads``. Its parameters live in one flat vector ``flat_params`` (``params`` are views of it)
and their gradients in ``flat_grads``, as in :class:`~gantheory.nn.MLP`, so an optimiser updates
a layer, or a whole container of layers, in a few vector operations:
``Adam([layer.flat_params])`` and ``opt.step([layer.flat_grads])``.

Precision: a layer computes in the precision of its flat vector, :attr:`Layer.dtype` (float64
by default). :meth:`Layer.astype` returns a copy in float32 or float64 (float32 to float64 is
exact); inputs and output gradients are converted to the layer's precision, so a float32 layer
computes, stores and returns float32 throughout. A container's layers share its precision.

:class:`Elementwise` adapts the activations of :mod:`gantheory.nn.layers` (whose backward rule
takes the forward output ``y``) to this interface by keeping ``y`` from the forward pass.
"""

from __future__ import annotations

import copy as copy_module
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gantheory.nn.layers import Activation, _float_dtype, get_activation

__all__ = ["Elementwise", "Layer"]


class Layer:
    """Base class: parameters as views of one flat vector, ``train``/``eval`` modes.

    Subclasses declare their parameters once with :meth:`_init_params` (name → shape); the
    gradient of parameter ``name`` is the attribute ``dL_d<name>``. ``backward`` overwrites the
    gradients (it does not accumulate) and may be called more than once per ``forward``.
    Outputs may be views of what a layer keeps for its backward pass (an activation's output,
    a reshaped input): do not modify them in place before calling ``backward``.

    Attributes
    ----------
    params, grads : list of ndarray
        Parameter arrays and their gradients, in the same order and shapes (views of
        ``flat_params`` / ``flat_grads``; update them in place, ``W[...] = ...``).
    flat_params, flat_grads : ndarray of shape (n_params,)
        In the layer's precision, :attr:`dtype`.
    training : bool
        Training mode (``True``, the default) or evaluation mode; only layers whose rule
        depends on it (batch normalisation) read it.
    """

    training: bool = True
    _param_names: tuple[str, ...] = ()
    _param_shapes: tuple[tuple[int, ...], ...] = ()

    def _init_params(
        self, shapes: dict[str, tuple[int, ...]], dtype: str | np.dtype = np.float64
    ) -> None:
        """Allocate ``flat_params`` / ``flat_grads`` (zeros, in ``dtype``) and the named views
        into them."""
        dtype = _float_dtype(dtype, "dtype")
        self._param_names = tuple(shapes)
        self._param_shapes = tuple(tuple(s) for s in shapes.values())
        size = sum(int(np.prod(s)) for s in self._param_shapes)
        self.flat_params = np.zeros(size, dtype=dtype)
        self.flat_grads = np.zeros(size, dtype=dtype)
        self._make_views()
        self._owner: object | None = None  # the container whose flat vector holds ours

    def _make_views(self) -> None:
        offset = 0
        for name, shape in zip(self._param_names, self._param_shapes, strict=True):
            size = int(np.prod(shape))
            setattr(self, name, self.flat_params[offset : offset + size].reshape(shape))
            setattr(self, f"dL_d{name}", self.flat_grads[offset : offset + size].reshape(shape))
            offset += size

    def _bind_storage(self, param_buffer: np.ndarray, grad_buffer: np.ndarray) -> None:
        """Move the parameters and gradients into the given flat buffers (values kept)."""
        param_buffer[...] = self.flat_params
        grad_buffer[...] = self.flat_grads
        self.flat_params, self.flat_grads = param_buffer, grad_buffer
        self._make_views()

    @property
    def params(self) -> list[np.ndarray]:
        return [getattr(self, name) for name in self._param_names]

    @property
    def grads(self) -> list[np.ndarray]:
        return [getattr(self, f"dL_d{name}") for name in self._param_names]

    @property
    def n_params(self) -> int:
        """Total number of scalar parameters."""
        return self.flat_params.size

    @property
    def dtype(self) -> np.dtype:
        """Precision of the parameters, gradients, inputs and outputs (float64 or float32)."""
        return self.flat_params.dtype

    def astype(self, dtype: str | np.dtype, *, copy: bool = True) -> Layer:
        """This layer in the precision ``dtype``: an independent copy of its parameters,
        gradients and state (batch normalisation's running statistics), converted (float32 to
        float64 is exact; float64 to float32 rounds to nearest). With ``copy=False`` a layer
        already in ``dtype`` is returned itself. A copy belongs to no container.

        Examples
        --------
        >>> from gantheory.nn import Conv2d
        >>> conv = Conv2d(1, 2, 3, rng=np.random.default_rng(0))
        >>> small = conv.astype("float32")
        >>> small.dtype, small.weight.dtype, small.forward(np.zeros((1, 1, 3, 3))).dtype
        (dtype('float32'), dtype('float32'), dtype('float32'))
        >>> bool(np.array_equal(small.astype("float64").flat_params, small.flat_params))
        True
        """
        dtype = _float_dtype(dtype, "dtype")
        if not copy and dtype == self.dtype:
            return self
        new = copy_module.deepcopy(self)
        new._owner = None
        new._cast(dtype)
        return new

    def _cast(self, dtype: np.dtype) -> None:
        """Convert the flat vectors and the state to ``dtype`` in place (views rebuilt)."""
        self.flat_params = self.flat_params.astype(dtype)
        self.flat_grads = self.flat_grads.astype(dtype)
        self._cast_state(dtype)
        self._make_views()

    def _cast_state(self, dtype: np.dtype) -> None:
        """Convert the floating-point state that is not a parameter (none by default)."""

    def train(self, mode: bool = True) -> Layer:
        """Set training mode (``mode=True``) or evaluation mode; returns the layer."""
        if not isinstance(mode, bool | np.bool_):
            raise ValueError(f"`mode` must be True or False (got {mode!r})")
        self.training = bool(mode)
        return self

    def eval(self) -> Layer:
        """Set evaluation mode; same as ``train(False)``."""
        return self.train(False)

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return the output for the batch ``x``, caching what :meth:`backward` needs."""
        raise NotImplementedError

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Return ``dL_dx`` for the last forward pass and store the parameter gradients.

        ``param_grads=False`` leaves :attr:`grads` untouched; ``input_grad=False`` skips
        ``dL_dx`` and returns ``None``.
        """
        raise NotImplementedError

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        return self.forward(x)

    def __deepcopy__(self, memo: dict) -> Layer:
        """An independent layer with the same parameters, gradients and state, whose
        ``params`` are views of its own ``flat_params`` (as in the original). A copy made on
        its own belongs to no container."""
        new = object.__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key != "_owner":
                setattr(new, key, copy_module.deepcopy(value, memo))
        owner = self.__dict__.get("_owner")
        new._owner = None if owner is None else memo.get(id(owner))
        new._make_views()  # the copied parameter arrays become views of the copied flat vector
        return new

    # Helpers shared by the subclasses -------------------------------------------------------

    def _cached(self, cache: object) -> object:
        if cache is None:
            raise RuntimeError(f"`backward` of {self!r} needs a `forward` first")
        return cache

    def _check_grad_shape(self, dL_dy: npt.ArrayLike, shape: Sequence[int]) -> np.ndarray:
        """``dL_dy`` in the layer's precision, checked to have ``shape``."""
        dL_dy = np.asarray(dL_dy, dtype=self.dtype)
        if dL_dy.shape != tuple(shape):
            raise ValueError(f"`dL_dy` must have shape {tuple(shape)} (got {dL_dy.shape})")
        return dL_dy


class Elementwise(Layer):
    r"""An activation of :mod:`gantheory.nn.layers` as a :class:`Layer` (no parameters).

    .. math:: y = \sigma(x), \qquad \frac{\partial L}{\partial x} =
              \frac{\partial L}{\partial y}\,\sigma'(x),

    with :math:`\sigma'` computed from the stored output ``y`` (the activation's own backward
    rule). Inputs of any shape. :class:`~gantheory.nn.Sequential` wraps plain activations in
    this adapter by itself.

    Examples
    --------
    >>> from gantheory.nn import Tanh
    >>> act = Elementwise(Tanh())
    >>> y = act.forward(np.array([[0.0, 1.0]]))
    >>> bool(np.allclose(act.backward(np.ones((1, 2))), 1 - np.tanh([[0.0, 1.0]]) ** 2))
    True
    """

    def __init__(self, activation: str | Activation) -> None:
        self.activation = get_activation(activation)
        self._init_params({})
        self._y: np.ndarray | None = None

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=self.dtype)
        self._y = self.activation.forward(x)  # a new array: x is not modified
        return self._y

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        y = self._cached(self._y)
        dL_dy = self._check_grad_shape(dL_dy, y.shape)
        if not input_grad:
            return None
        return self.activation.backward(y, dL_dy, out=np.empty_like(y))  # σ'(x) ⊙ dL/dy

    def __repr__(self) -> str:
        return repr(self.activation)
