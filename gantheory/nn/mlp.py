r"""The multilayer perceptron used as generator and discriminator, with hand-written backprop.

An MLP with sizes ``[d_0, d_1, ..., d_L]`` computes, for each sample (a column vector),

.. math:: h_0 = x, \qquad h_{l} = \sigma_l\bigl(W_l^\top h_{l-1} + b_l\bigr),
          \quad l = 1, \dots, L,

and its backward pass applies the chain rule layer by layer in reverse (Rumelhart, Hinton &
Williams 1986), each step being the backward rule written beside the forward rule in
:mod:`gantheory.nn.layers`.

Performance: all parameters live in one flat vector (``flat_params``; ``params`` are views of it)
and so do their gradients, so an optimiser updates a whole network in a dozen vector operations.
Activations and gradients live in a preallocated arena (feature-major, with a ones row that
folds the bias into the matrix product) sized for the largest batch seen, so a training step
allocates only its small input and output copies and memory stays flat over a long run.

Precision: a network computes in float64 by default, or in float32 (``dtype="float32"``):
parameters, gradients, arena and outputs all in that precision. :meth:`MLP.astype` copies a
network into the other precision; float32 to float64 is exact, so a network trained in float32
is measured through its float64 copy.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from gantheory.nn.layers import (
    DEFAULT_INIT,
    Activation,
    Identity,
    Linear,
    _check_positive_int,
    _check_rng,
    _float_dtype,
    get_activation,
)

__all__ = ["MLP"]

#: Views of the arena are cached per batch size; a GAN step uses two (batch and 2 × batch).
_MAX_WORKSPACES = 8


def _check_batch(x: npt.ArrayLike, width: int, name: str, dtype: np.dtype) -> np.ndarray:
    """Return ``x`` as a finite ``dtype`` array of shape ``(batch, width)`` or raise ValueError."""
    x = np.asarray(x, dtype=dtype)
    if x.ndim != 2 or x.shape[1] != width or x.shape[0] < 1:
        raise ValueError(f"`{name}` must have shape (batch, {width}) (got {x.shape})")
    if not np.isfinite(x).all():
        bad = x[~np.isfinite(x)]
        raise ValueError(
            f"`{name}` must be finite (got {bad.size} non-finite value(s), first {float(bad[0])!r})"
        )
    return x


class _Arena:
    """Flat storage for the largest batch seen so far; every smaller batch uses its prefix.

    Sharing one arena between batch sizes, and one gradient buffer between the hidden layers,
    keeps the working set small enough for the L2 cache when a discriminator alternates
    between batches of 2 × 256 and 256.
    """

    def __init__(self, sizes: Sequence[int], capacity: int, dtype: np.dtype) -> None:
        self.capacity = capacity
        self.H = [np.empty((d + 1) * capacity, dtype=dtype) for d in sizes]
        self.dL_dx = np.empty(sizes[0] * capacity, dtype=dtype)
        self.dL_dh = np.empty(max(sizes[1:]) * capacity, dtype=dtype)  # shared by hidden layers
        self.dL_dy = np.empty(sizes[-1] * capacity, dtype=dtype)


class _Workspace:
    """Feature-major views of the arena for one batch size ``n``.

    ``H[l]``  (d_l + 1, n): layer outputs h_l with a ones row (H[0] holds the input x);
    ``h[l]``  (d_l, n): view of ``H[l]`` without the ones row;
    ``G[l]``  (d_l, n): dL/dh_l. G[0] is dL/dx and G[L] is dL/dy; the hidden layers share one
              buffer, since dL/dh_l is consumed before dL/dh_{l-1} is written;
    ``dA[l]`` where layer l+1 writes dL/d(pre-activation): over its own output h_{l+1},
              which the backward pass no longer needs (None: the identity output layer
              passes dL/dy through without a copy).
    """

    def __init__(
        self, arena: _Arena, sizes: Sequence[int], activations: Sequence[Activation], n: int
    ) -> None:
        self.H = [
            flat[: (d + 1) * n].reshape(d + 1, n) for d, flat in zip(sizes, arena.H, strict=True)
        ]
        self.h = [H[:-1] for H in self.H]
        self.ones = [H[-1] for H in self.H[:-1]]  # layer inputs; refilled after another batch size
        self.G = [arena.dL_dx[: sizes[0] * n].reshape(sizes[0], n)]
        self.G += [arena.dL_dh[: d * n].reshape(d, n) for d in sizes[1:-1]]
        self.G += [arena.dL_dy[: sizes[-1] * n].reshape(sizes[-1], n)]
        last = len(activations) - 1
        self.dA = [
            None if i == last and isinstance(act, Identity) else self.h[i + 1]
            for i, act in enumerate(activations)
        ]


class MLP:
    r"""A fully connected network with hand-written forward and backward passes.

    .. math:: y = \sigma_L\bigl(W_L^\top \sigma_{L-1}(\cdots \sigma_1(W_1^\top x + b_1)
              \cdots) + b_L\bigr)

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[fan_in, hidden..., fan_out]`` (at least two entries).
    activation : str or Activation
        Hidden activation: one of ``'identity', 'leaky_relu', 'relu', 'sigmoid', 'tanh'``.
    rng : numpy.random.Generator
        Source of the initial weights (keyword-only, required): the same seed gives
        bit-identical networks.
    output_activation : str or Activation
        Activation of the last layer; ``'identity'`` (logits) by default.
    init : {"glorot", "he"}, optional
        Weight initialisation; by default Glorot for tanh/sigmoid/identity and He for
        relu/leaky_relu (see :class:`~gantheory.nn.layers.Linear`).
    dtype : {"float64", "float32"} or NumPy dtype
        Precision of the parameters, gradients, activations and outputs (default float64).
        The initial weights are drawn in float64 and rounded, so a float32 network starts
        from the rounded weights of the float64 network of the same seed.

    Attributes
    ----------
    params : list of ndarray
        ``[W1, b1, W2, b2, ...]`` with ``W`` of shape ``(fan_in, fan_out)`` and ``b`` of shape
        ``(fan_out,)``; views of ``flat_params``, so update them in place (``W[...] = ...``).
    grads : list of ndarray
        Gradients in the same layout (views of ``flat_grads``), overwritten by :meth:`backward`.
    flat_params, flat_grads : ndarray of shape (n_params,)
        All parameters / gradients as one vector, e.g. for ``Adam([mlp.flat_params])``.
    dtype : numpy.dtype
        float64 or float32.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> net = MLP([1, 8, 1], "tanh", rng=rng)
    >>> x = rng.standard_normal((5, 1))
    >>> W1, b1, W2, b2 = net.params
    >>> bool(np.allclose(net.forward(x), np.tanh(x @ W1 + b1) @ W2 + b2, rtol=1e-14))
    True
    >>> dL_dx = net.backward(np.ones((5, 1)))             # L = sum of outputs
    >>> bool(np.allclose(dL_dx, (1 - np.tanh(x @ W1 + b1) ** 2) @ (W1 * W2.T).T, rtol=1e-14))
    True
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "tanh",
        *,
        rng: np.random.Generator,
        output_activation: str | Activation = "identity",
        init: str | None = None,
        dtype: str | np.dtype = np.float64,
    ) -> None:
        dtype = _float_dtype(dtype, "dtype")
        if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError(f"`sizes` must be a sequence of at least two widths (got {sizes!r})")
        self.sizes = tuple(_check_positive_int(d, "sizes") for d in sizes)
        rng = _check_rng(rng)
        hidden = get_activation(activation)
        output = get_activation(output_activation)
        if init is None:
            init = DEFAULT_INIT.get(hidden.name, "glorot")
        n_layers = len(self.sizes) - 1
        self.activations = [hidden] * (n_layers - 1) + [output]
        counts = [(i + 1) * o for i, o in zip(self.sizes[:-1], self.sizes[1:], strict=True)]
        self.flat_params = np.empty(sum(counts), dtype=dtype)
        self.flat_grads = np.zeros(sum(counts), dtype=dtype)
        self.layers: list[Linear] = []
        offset = 0
        for fan_in, fan_out, count in zip(self.sizes[:-1], self.sizes[1:], counts, strict=True):
            sl = slice(offset, offset + count)
            self.layers.append(
                Linear(
                    fan_in,
                    fan_out,
                    rng=rng,
                    init=init,
                    param_buffer=self.flat_params[sl],
                    grad_buffer=self.flat_grads[sl],
                    dtype=dtype,
                )
            )
            offset += count
        self.params = [p for layer in self.layers for p in layer.params]
        self.grads = [g for layer in self.layers for g in layer.grads]
        self._arena: _Arena | None = None
        self._workspaces: dict[int, _Workspace] = {}
        self._ones_for: int | None = None  # batch size whose ones rows are in the arena
        self._batch: int | None = None  # batch size of the last forward pass

    def __deepcopy__(self, memo: dict) -> MLP:
        """An independent network with the same parameters and gradients.

        The copy's parameters are views of its own ``flat_params`` (as in the original), and
        its arena starts empty: copying the arena array by array would leave the cached views
        of a batch size pointing at copies the layers never read.
        """
        return self._copy(self.flat_params.copy(), self.flat_grads.copy(), memo)

    def _copy(self, flat_params: np.ndarray, flat_grads: np.ndarray, memo: dict) -> MLP:
        """A network of the same architecture over the new vectors ``flat_params`` and
        ``flat_grads`` (which it takes, not copies), with an empty arena."""
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(self.__dict__)
        new.activations = copy.deepcopy(self.activations, memo)
        new.flat_params, new.flat_grads = flat_params, flat_grads
        new.layers = []
        offset = 0
        for layer in self.layers:
            twin = object.__new__(type(layer))
            twin.__dict__.update(layer.__dict__)
            twin._dtype = flat_params.dtype
            shape, size = layer.W_aug.shape, layer.W_aug.size
            twin.W_aug = new.flat_params[offset : offset + size].reshape(shape)
            twin.dL_dW_aug = new.flat_grads[offset : offset + size].reshape(shape)
            twin.W, twin.b = twin.W_aug[:-1], twin.W_aug[-1]
            twin.dL_dW, twin.dL_db = twin.dL_dW_aug[:-1], twin.dL_dW_aug[-1]
            twin.params, twin.grads = [twin.W, twin.b], [twin.dL_dW, twin.dL_db]
            new.layers.append(twin)
            offset += size
        new.params = [p for layer in new.layers for p in layer.params]
        new.grads = [g for layer in new.layers for g in layer.grads]
        new._arena, new._workspaces, new._ones_for, new._batch = None, {}, None, None
        return new

    def astype(self, dtype: str | np.dtype, *, copy: bool = True) -> MLP:
        """This network in the precision ``dtype``: an independent copy of its parameters and
        gradients, converted (float32 to float64 is exact; float64 to float32 rounds to
        nearest).

        With ``copy=False`` a network already of that precision is returned itself (as
        ``ndarray.astype``). A network trained in float32 is measured through
        ``net.astype(np.float64)``.

        Examples
        --------
        >>> net = MLP([1, 4, 1], "tanh", rng=np.random.default_rng(0), dtype="float32")
        >>> wide = net.astype(np.float64)
        >>> wide.dtype, bool(np.array_equal(wide.flat_params, net.flat_params))
        (dtype('float64'), True)
        >>> net.astype("float32", copy=False) is net
        True
        """
        dtype = _float_dtype(dtype, "dtype")
        if not copy and dtype == self.dtype:
            return self
        return self._copy(self.flat_params.astype(dtype), self.flat_grads.astype(dtype), {})

    @property
    def dtype(self) -> np.dtype:
        """Precision of the parameters, gradients and outputs (float64 or float32)."""
        return self.flat_params.dtype

    @property
    def n_params(self) -> int:
        """Total number of scalar parameters."""
        return self.flat_params.size

    def _workspace(self, n: int) -> _Workspace:
        if self._arena is None or n > self._arena.capacity:
            self._arena = _Arena(self.sizes, n, self.dtype)
            self._workspaces.clear()
            self._ones_for = None
        ws = self._workspaces.get(n)
        if ws is None:
            if len(self._workspaces) >= _MAX_WORKSPACES:
                del self._workspaces[next(iter(self._workspaces))]  # drop the oldest views
            ws = self._workspaces[n] = _Workspace(self._arena, self.sizes, self.activations, n)
        if self._ones_for != n:
            for ones in ws.ones:
                ones.fill(1.0)
            self._ones_for = n
        return ws

    def forward(self, x: npt.ArrayLike) -> np.ndarray:
        """Return the network output of shape ``(batch, fan_out)`` for ``x`` of shape
        ``(batch, fan_in)``, caching what :meth:`backward` needs."""
        self._batch = None  # until this pass completes, there is nothing to backpropagate
        x = _check_batch(x, self.sizes[0], "x", self.dtype)
        n = x.shape[0]
        ws = self._workspace(n)
        np.copyto(ws.h[0], x.T)
        steps = zip(self.layers, self.activations, ws.H[:-1], ws.h[1:], strict=True)
        for layer, act, H_in, h_out in steps:
            layer.forward(H_in, out=h_out)  # a = W_aug^T H_aug      (o, n)
            act.forward(h_out, out=h_out)  # h = σ(a), in place      (o, n)
        self._batch = n
        return ws.h[-1].T.copy()

    def backward(
        self, dL_dy: npt.ArrayLike, *, param_grads: bool = True, input_grad: bool = True
    ) -> np.ndarray | None:
        """Backpropagate ``dL_dy`` (shape of the last output) and return ``dL_dx``.

        Stores the parameter gradients in :attr:`grads` (overwriting them); with
        ``param_grads=False`` only ``dL_dx`` is computed and :attr:`grads` is left untouched
        (e.g. for the discriminator during a generator step). With ``input_grad=False`` the
        last product ``W_1 dL/da_1``, which only ``dL_dx`` needs, is skipped and ``None`` is
        returned (e.g. for the discriminator's own step, whose input is data, and for the
        generator, whose input is noise). Each :meth:`forward` supports one backward pass:
        its cached activations are overwritten by the gradients.
        """
        if not (param_grads or input_grad):
            raise ValueError(
                "`param_grads` and `input_grad` must not both be False (nothing to compute)"
            )
        if self._batch is None:
            raise RuntimeError(
                "`backward` needs a fresh `forward` (each forward pass supports one backward pass)"
            )
        ws = self._workspaces[self._batch]  # the arena still holds the last forward pass
        dL_dy = np.asarray(dL_dy, dtype=self.dtype)
        expected = (self._batch, self.sizes[-1])
        if dL_dy.shape != expected:
            raise ValueError(f"`dL_dy` must have shape {expected} (got {dL_dy.shape})")
        self._batch = None
        np.copyto(ws.G[-1], dL_dy.T)
        for i in range(len(self.layers) - 1, -1, -1):
            # dL/da = σ'(a) ⊙ dL/dh through the stored output h = σ(a), written over h  (o, n)
            dL_da = self.activations[i].backward(ws.h[i + 1], ws.G[i + 1], out=ws.dA[i])
            # dL/dW_aug = H_aug dL/daᵀ ;  dL/dh_prev = W dL/da                         (i, n)
            self.layers[i].backward(
                ws.H[i], dL_da, out=ws.G[i], param_grads=param_grads,
                input_grad=input_grad or i > 0,
            )
        return ws.G[0].T.copy() if input_grad else None

    __call__ = forward

    def __repr__(self) -> str:
        acts = ", ".join(a.name for a in self.activations)
        extra = "" if self.dtype == np.float64 else f", dtype={self.dtype.name!r}"
        return f"MLP(sizes={list(self.sizes)}, activations=[{acts}]{extra})"
