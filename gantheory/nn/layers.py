r"""Layers of the hand-written MLP: elementwise activations and the affine layer.

Every layer states its forward rule and, right beside it, its backward rule (the vector-Jacobian
product of the chain rule). With ``out=`` buffers nothing here allocates on the hot path.

Layout
------
Activations are elementwise, so they accept arrays of any shape. The :class:`Linear` layer works
on **feature-major homogeneous** batches: a batch of ``n`` column vectors ``h`` stacked as an
array of shape ``(fan_in + 1, n)`` whose last row is all ones. Then the affine map
``a = W^T h + b`` of every column is one matrix product with the augmented weight
``W_aug = [W; b]`` of shape ``(fan_in + 1, fan_out)``, and the bias gradient falls out of the
weight-gradient product (the ones row sums over the batch). The public
:class:`~gantheory.nn.MLP` converts to and from the usual ``(batch, features)`` layout at its
boundary. References: Glorot & Bengio 2010 (eq. 16, initialisation), He et al. 2015 (eq. 10).

Tanh kernels
------------
:class:`Tanh` computes its forward rule with one of several float64 kernels, chosen once per
process (:func:`tanh_kernel` names it): ``np.tanh`` is fast where NumPy has a SIMD loop for
it, and several times slower than ``np.expm1`` where it does not (NumPy's baseline x86-64
loops). The choice follows the loop NumPy dispatches float64 ``np.tanh`` to on the running
CPU — ``np.tanh`` for a SIMD loop, ``"expm1"`` for the scalar baseline loop — so it depends
on the machine only, never on a timing; the environment variable ``GANTHEORY_TANH_KERNEL``
or :func:`set_tanh_kernel` forces one, and ``Tanh(kernel=...)`` fixes one per layer. The
backward rule :math:`1 - y^2` is the same for all.

Relative error in float64 ulps against mpmath at 200 bits (``benchmarks/tanh_accuracy.py``:
400,001 grid points on [-20, 20], 200,000 uniform on [-20, 20], 20,000 magnitudes
log-uniform in [1e-300, 1e-8] of both signs, 2,000 subnormals; max / median):

=============================  =====  =============  ===========  ==========
kernel                         bound  grid, random   tiny         subnormal
=============================  =====  =============  ===========  ==========
``numpy``, SIMD loop           2.5    1.15 / 0.25    0.20 / 0     0 / 0
``numpy``, baseline loop       2.5    2.07 / 0.24    1.13 / 0     0 / 0
``expm1``: :math:`t/(t+2)`     3      2.50 / 0.35    1.16 / 0     0 / 0
=============================  =====  =============  ===========  ==========

``numpy`` is ``np.tanh`` (its SIMD loop, measured with the AVX-512 and the AVX2 loops, which
agree, and its baseline x86-64 loop); ``expm1`` computes :math:`t = \operatorname{expm1}(2x)`
on :math:`x` clipped to :math:`[-20, 20]` (beyond which :math:`\tanh x` rounds to
:math:`\pm 1`), then :math:`\tanh x = t/(t+2)`.

The ``expm1`` bound: expm1 is good to about 1 ulp, the quotient's relative condition number
:math:`2/(t+2)` is at most 2, and the addition and division add half an ulp each; the
formula :math:`1 - 2/(e^{2x}+1)` is not offered: its relative error grows like
:math:`\epsilon/|x|` near 0. Every kernel gives :math:`\tanh(\pm 0) = \pm 0` with its
sign, :math:`\tanh(\pm\infty) = \pm 1`, ``nan`` for ``nan``, and no floating-point warnings.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.linalg.blas import dger as _dger
from scipy.linalg.blas import sger as _sger
from scipy.special import expit

from gantheory.nn._kernels import TANH_KERNELS, set_tanh_kernel, tanh_kernel
from gantheory.nn._kernels import tanh as _tanh

__all__ = [
    "ACTIVATIONS",
    "TANH_KERNELS",
    "Activation",
    "Identity",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "get_activation",
    "set_tanh_kernel",
    "tanh_kernel",
]


def _result(out: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    """``out``, or a new array of ``like``'s shape in its precision (float32 or float64)."""
    if out is not None:
        return out
    return np.empty(like.shape, dtype=np.float32 if like.dtype == np.float32 else np.float64)


class Activation:
    r"""An elementwise activation :math:`y = \sigma(a)` with its backward rule.

    The backward rule is written through the *output* ``y``, so a forward pass may overwrite its
    input in place (``forward(a, out=a)``) and still be differentiated:

    .. math:: \frac{\partial L}{\partial a} = \frac{\partial L}{\partial y}\,\sigma'(a),
              \qquad \sigma'(a) \text{ expressed as a function of } y.

    Subclasses implement :meth:`forward` and :meth:`backward`. The ``out`` of ``backward`` may
    be ``y`` itself (the MLP writes each gradient over the output it no longer needs) but must
    not alias ``dL_dy``.
    """

    name: str = ""

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        r"""Return :math:`y = \sigma(a)`, shape of ``a``; ``out`` may be ``a`` itself."""
        raise NotImplementedError

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        r"""Return :math:`\partial L/\partial a` given ``y = forward(a)`` and ``dL_dy``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Tanh(Activation):
    r"""Hyperbolic tangent.

    .. math:: y = \tanh a, \qquad \frac{\partial L}{\partial a} =
              \frac{\partial L}{\partial y}\,(1 - y^2)

    Parameters
    ----------
    kernel : str, optional
        One of :data:`TANH_KERNELS` for this layer's forward rule; by default the process-wide
        choice (see "Tanh kernels" in the module docstring). :attr:`kernel` names the one used.

    Examples
    --------
    >>> a = np.array([-1.0, 0.0, 2.0])
    >>> y = Tanh().forward(a)
    >>> bool(np.allclose(Tanh().backward(y, np.ones(3)), 1 / np.cosh(a) ** 2, rtol=1e-15))
    True
    """

    name = "tanh"

    def __init__(self, kernel: str | None = None) -> None:
        if kernel is not None and kernel not in TANH_KERNELS:
            known = ", ".join(map(repr, TANH_KERNELS))
            raise ValueError(f"`kernel` must be None or one of {known} (got {kernel!r})")
        self._kernel = kernel

    @property
    def kernel(self) -> str:
        """Name of the float64 kernel of the forward rule (one of :data:`TANH_KERNELS`)."""
        return tanh_kernel() if self._kernel is None else self._kernel

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return _tanh(a, out=_result(out, a), kernel=self._kernel)

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        dL_da = _result(out, y)
        np.multiply(y, y, out=dL_da)  # y²
        np.subtract(1.0, dL_da, out=dL_da)  # 1 − y²
        return np.multiply(dL_da, dL_dy, out=dL_da)  # (1 − y²) · dL/dy

    def __repr__(self) -> str:
        return "Tanh()" if self._kernel is None else f"Tanh(kernel={self._kernel!r})"


class Sigmoid(Activation):
    r"""Logistic sigmoid, evaluated stably by :func:`scipy.special.expit`.

    .. math:: y = \frac{1}{1 + e^{-a}}, \qquad \frac{\partial L}{\partial a} =
              \frac{\partial L}{\partial y}\,y\,(1 - y)

    Examples
    --------
    >>> y = Sigmoid().forward(np.array([-1e4, 0.0, 1e4]))
    >>> y.tolist()
    [0.0, 0.5, 1.0]
    >>> Sigmoid().backward(y, np.ones(3)).tolist()
    [0.0, 0.25, 0.0]
    """

    name = "sigmoid"

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return expit(a, out=_result(out, a))

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        one_minus_y = 1.0 - y  # a temporary, so that `out` may be `y`
        dL_da = np.multiply(y, one_minus_y, out=_result(out, y))  # y (1 − y)
        return np.multiply(dL_da, dL_dy, out=dL_da)


class ReLU(Activation):
    r"""Rectified linear unit; at the kink ``a = 0`` the derivative 0 is used.

    .. math:: y = \max(a, 0), \qquad \frac{\partial L}{\partial a} =
              \frac{\partial L}{\partial y}\,[y > 0]

    Examples
    --------
    >>> y = ReLU().forward(np.array([-2.0, 0.0, 3.0]))
    >>> y.tolist(), ReLU().backward(y, np.full(3, 5.0)).tolist()
    ([0.0, 0.0, 3.0], [0.0, 0.0, 5.0])
    """

    name = "relu"

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.maximum(a, 0.0, out=_result(out, a))

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        dL_da = _result(out, y)
        np.greater(y, 0.0, out=dL_da)  # indicator [y > 0] as 0.0 / 1.0
        return np.multiply(dL_da, dL_dy, out=dL_da)


class LeakyReLU(Activation):
    r"""Leaky ReLU with negative-side slope ``slope`` in (0, 1); at ``a = 0`` the slope is used.

    .. math:: y = \max(a, s\,a), \qquad \frac{\partial L}{\partial a} =
              \frac{\partial L}{\partial y}\,\bigl(1 \text{ if } y > 0 \text{ else } s\bigr)

    (``y > 0`` exactly when ``a > 0`` because ``s > 0``.)

    Examples
    --------
    >>> act = LeakyReLU(0.1)
    >>> y = act.forward(np.array([-2.0, 3.0]))
    >>> y.tolist(), act.backward(y, np.ones(2)).tolist()
    ([-0.2, 3.0], [0.1, 1.0])
    """

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        if not 0.0 < slope < 1.0:
            raise ValueError(f"`slope` must lie in (0, 1) (got {slope!r})")
        self.slope = float(slope)

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.maximum(a, self.slope * a, out=_result(out, a))

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        dL_da = _result(out, y)
        np.greater(y, 0.0, out=dL_da)  # [y > 0]
        dL_da *= 1.0 - self.slope
        dL_da += self.slope  # s + (1 − s)[y > 0]
        return np.multiply(dL_da, dL_dy, out=dL_da)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope!r})"


class Identity(Activation):
    r"""The identity, used for output logits.

    .. math:: y = a, \qquad \frac{\partial L}{\partial a} = \frac{\partial L}{\partial y}

    Without ``out`` both rules return their argument itself (no copy).

    Examples
    --------
    >>> a = np.array([1.0, -2.0])
    >>> Identity().forward(a) is a, Identity().backward(a, a) is a
    (True, True)
    """

    name = "identity"

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        if out is None or out is a:
            return a
        np.copyto(out, a)
        return out

    def backward(
        self, y: np.ndarray, dL_dy: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        if out is None:
            return dL_dy
        np.copyto(out, dL_dy)
        return out


#: Activation names accepted by :func:`get_activation` and :class:`~gantheory.nn.MLP`.
ACTIVATIONS: dict[str, Callable[[], Activation]] = {
    "identity": Identity,
    "leaky_relu": LeakyReLU,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
}


def get_activation(activation: str | Activation) -> Activation:
    """Return the activation named ``activation`` (or ``activation`` itself if already one).

    Examples
    --------
    >>> get_activation("tanh")
    Tanh()
    >>> get_activation("swish")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `activation` must be one of 'identity', 'leaky_relu', ..., 'tanh' (got 'swish')
    """
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation in ACTIVATIONS:
        return ACTIVATIONS[activation]()
    known = ", ".join(repr(k) for k in ACTIVATIONS)
    raise ValueError(f"`activation` must be one of {known} (got {activation!r})")


#: Default initialisation per activation: Glorot for saturating/linear units, He for
#: rectifiers (whose zeroed half-line halves the variance).
DEFAULT_INIT = dict.fromkeys(["identity", "sigmoid", "tanh"], "glorot") | {
    "relu": "he",
    "leaky_relu": "he",
}
INITS = ("glorot", "he")


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer (got {value!r})")
    return int(value)


#: The floating-point precisions a network can train in, by name.
FLOAT_DTYPES = ("float32", "float64")


def _float_dtype(value: object, name: str) -> np.dtype:
    """``np.dtype`` of ``value``: "float32" or "float64", or the NumPy dtype (or scalar type)
    of either; ValueError naming ``name`` and the value otherwise."""
    if isinstance(value, str):
        ok = value in FLOAT_DTYPES
    else:
        ok = isinstance(value, np.dtype) or any(value is t for t in (np.float32, np.float64))
        ok = ok and np.dtype(value) in (np.float32, np.float64)  # type: ignore[arg-type]
    if not ok:
        raise ValueError(
            f"`{name}` must be 'float32' or 'float64' (or that NumPy dtype) (got {value!r})"
        )
    return np.dtype(value)


#: BLAS rank-1 update per precision (Linear.backward's fan_out = 1 case).
_GER = {np.dtype(np.float64): _dger, np.dtype(np.float32): _sger}


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"`rng` must be a numpy.random.Generator, e.g. np.random.default_rng(0) "
            f"(got {type(rng).__name__})"
        )
    return rng


class Linear:
    r"""Affine layer on feature-major homogeneous batches (see the module docstring).

    .. math:: a = W^\top h + b = W_{aug}^\top \begin{bmatrix} h \ 1 \end{bmatrix},
              \qquad W_{aug} = \begin{bmatrix} W \ b^\top \end{bmatrix}

    Backward, for a batch ``H_aug`` of shape ``(fan_in + 1, n)`` and ``dL_da`` of shape
    ``(fan_out, n)``:

    .. math:: \frac{\partial L}{\partial W_{aug}} = H_{aug}\,\Bigl(\frac{\partial L}
              {\partial a}\Bigr)^{\!\top}, \qquad \frac{\partial L}{\partial h} =
              W \frac{\partial L}{\partial a}

    (the last row of the first product is :math:`\partial L/\partial b = \sum_n
    \partial L/\partial a`).

    Parameters
    ----------
    fan_in, fan_out : int
        Input and output widths.
    rng : numpy.random.Generator
        Source of the initial weights (keyword-only, required).
    init : {"glorot", "he"}
        Glorot uniform, :math:`W \sim U(\pm\sqrt{6/(\text{fan\_in}+\text{fan\_out})})`
        (Glorot & Bengio 2010, eq. 16), or He normal, :math:`W \sim N(0, 2/\text{fan\_in})`
        (He et al. 2015, eq. 10). Biases start at zero.
    param_buffer, grad_buffer : ndarray of shape ((fan_in + 1) * fan_out,), optional
        Flat storage of dtype ``dtype`` for ``W_aug`` and its gradient (an MLP passes slices of
        one vector so an optimiser can update all parameters in a few vector operations).
    dtype : {"float64", "float32"} or NumPy dtype
        Precision of the parameters and of every result (default float64). The initial
        weights are drawn in float64 and rounded, so both precisions consume ``rng`` alike.

    Attributes
    ----------
    W_aug, dL_dW_aug : (fan_in + 1, fan_out) ndarray — ``[W; b]`` and its gradient;
    W, b : views of ``W_aug``; params = [W, b]; grads = [dL_dW, dL_db], overwritten by
    :meth:`backward`.

    Examples
    --------
    >>> layer = Linear(2, 3, rng=np.random.default_rng(0))
    >>> h = np.array([[1.0, 2.0], [3.0, 4.0]])           # two samples, batch-major
    >>> H_aug = np.vstack([h.T, np.ones(2)])               # feature-major, ones row
    >>> bool(np.allclose(layer.forward(H_aug).T, h @ layer.W + layer.b, rtol=1e-15))
    True
    """

    def __init__(
        self,
        fan_in: int,
        fan_out: int,
        *,
        rng: np.random.Generator,
        init: str = "glorot",
        param_buffer: np.ndarray | None = None,
        grad_buffer: np.ndarray | None = None,
        dtype: str | np.dtype = np.float64,
    ) -> None:
        self._dtype = _float_dtype(dtype, "dtype")
        self.fan_in = _check_positive_int(fan_in, "fan_in")
        self.fan_out = _check_positive_int(fan_out, "fan_out")
        rng = _check_rng(rng)
        if init not in INITS:
            raise ValueError(f"`init` must be one of {', '.join(map(repr, INITS))} (got {init!r})")
        size = (self.fan_in + 1) * self.fan_out
        self.W_aug = self._storage(param_buffer, size, "param_buffer")
        self.dL_dW_aug = self._storage(grad_buffer, size, "grad_buffer")
        self.W, self.b = self.W_aug[:-1], self.W_aug[-1]
        self.dL_dW, self.dL_db = self.dL_dW_aug[:-1], self.dL_dW_aug[-1]
        self.params = [self.W, self.b]
        self.grads = [self.dL_dW, self.dL_db]
        if init == "glorot":
            limit = np.sqrt(6.0 / (self.fan_in + self.fan_out))
            self.W[...] = rng.uniform(-limit, limit, size=self.W.shape)
        else:
            self.W[...] = rng.normal(0.0, np.sqrt(2.0 / self.fan_in), size=self.W.shape)
        self.b[...] = 0.0
        self.dL_dW_aug[...] = 0.0

    def _storage(self, buffer: np.ndarray | None, size: int, name: str) -> np.ndarray:
        if buffer is None:
            buffer = np.empty(size, dtype=self._dtype)
        if (
            not isinstance(buffer, np.ndarray)
            or buffer.dtype != self._dtype
            or buffer.shape != (size,)
            or not buffer.flags.c_contiguous
        ):
            got = getattr(buffer, "shape", type(buffer).__name__)
            if isinstance(buffer, np.ndarray) and buffer.dtype != self._dtype:
                got = f"{buffer.dtype}, shape {buffer.shape}"
            raise ValueError(
                f"`{name}` must be a contiguous {self._dtype} array of shape ({size},)"
                f" (got {got})"
            )
        return buffer.reshape(self.fan_in + 1, self.fan_out)

    def forward(self, H_aug: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Return ``a`` of shape ``(fan_out, n)`` for ``H_aug`` of shape ``(fan_in + 1, n)``."""
        n = H_aug.shape[1]
        a = np.empty((self.fan_out, n), dtype=self.W_aug.dtype) if out is None else out
        return np.matmul(self.W_aug.T, H_aug, out=a)  # (o, i+1) @ (i+1, n) -> (o, n)

    def backward(
        self,
        H_aug: np.ndarray,
        dL_da: np.ndarray,
        out: np.ndarray | None = None,
        *,
        param_grads: bool = True,
        input_grad: bool = True,
    ) -> np.ndarray | None:
        """Store ``dL_dW``, ``dL_db`` (unless ``param_grads=False``) and return ``dL_dh``.

        ``H_aug`` is the forward input ``(fan_in + 1, n)``; ``dL_da`` has shape ``(fan_out, n)``;
        the result ``dL_dh`` has shape ``(fan_in, n)``, or is ``None`` (not computed) with
        ``input_grad=False``.
        """
        if param_grads:
            np.matmul(H_aug, dL_da.T, out=self.dL_dW_aug)  # (i+1, n) @ (n, o) -> (i+1, o)
        if not input_grad:
            return None
        W = self.W
        dL_dh = np.empty((self.fan_in, dL_da.shape[1]), dtype=W.dtype) if out is None else out
        if (
            self.fan_out == 1 and dL_dh.flags.c_contiguous and dL_dh.flags.writeable
            and dL_dh.dtype == dL_da.dtype == W.dtype
        ):
            # Rank-1 outer product W (i, 1) · dL_da (1, n) by BLAS ger (dger / sger for the
            # precision: another would work on a converted copy), in place on the F-ordered
            # transpose; gemm with inner dimension 1 is twice as slow as fill + ger.
            dL_dh.fill(0.0)
            _GER[W.dtype](1.0, dL_da[0], W[:, 0], a=dL_dh.T, overwrite_a=True)  # (n, i) += g ⊗ w
            return dL_dh
        return np.matmul(self.W, dL_da, out=dL_dh)  # (i, o) @ (o, n) -> (i, n)

    @property
    def dtype(self) -> np.dtype:
        """Precision of the parameters (float64 or float32)."""
        return self.W_aug.dtype

    def __repr__(self) -> str:
        return f"Linear({self.fan_in}, {self.fan_out})"
