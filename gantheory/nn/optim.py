"""First-order optimisers that update parameter arrays in place: SGD with momentum and Adam.

An optimiser is built on a list of float64 or float32 parameter arrays (``mlp.params``, or
``[mlp.flat_params]`` to update a whole network in a few vector operations) and its
:meth:`step` takes the gradients in the same layout and precision (``mlp.grads`` /
``[mlp.flat_grads]``). All state is preallocated in the precision of its parameter; a step
allocates nothing. :func:`clip_weights` is the weight
clipping of the Wasserstein GAN (Arjovsky et al. 2017, Algorithm 1), applied after a step.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["SGD", "Adam", "AdamConfig", "SGDConfig", "clip_weights"]


def _is_real(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _check_lr(lr: float) -> None:
    if not (_is_real(lr) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"`lr` must be a positive finite number (got {lr!r})")


@dataclass(frozen=True)
class SGDConfig:
    """Hyper-parameters of :class:`SGD` (validated on construction)."""

    lr: float  # step size η > 0
    momentum: float = 0.0  # μ in [0, 1): weight of the previous velocity; 0 is plain SGD

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        if not (_is_real(self.momentum) and 0.0 <= self.momentum < 1.0):
            raise ValueError(f"`momentum` must lie in [0, 1) (got {self.momentum!r})")


@dataclass(frozen=True)
class AdamConfig:
    """Hyper-parameters of :class:`Adam` (Kingma & Ba 2015, Algorithm 1), validated."""

    lr: float = 1e-3  # step size α > 0
    betas: tuple[float, float] = (0.9, 0.999)  # decay rates β1, β2 in [0, 1) of the moments
    eps: float = 1e-8  # ε > 0 keeps the step finite where the second moment is ~0

    def __post_init__(self) -> None:
        _check_lr(self.lr)
        betas = self.betas
        if not (
            isinstance(betas, tuple | list)
            and len(betas) == 2
            and all(_is_real(b) and 0.0 <= b < 1.0 for b in betas)
        ):
            raise ValueError(f"`betas` must be two numbers in [0, 1) (got {betas!r})")
        object.__setattr__(self, "betas", (float(betas[0]), float(betas[1])))
        if not (_is_real(self.eps) and math.isfinite(self.eps) and self.eps > 0):
            raise ValueError(f"`eps` must be a positive finite number (got {self.eps!r})")


def _check_params(params: Sequence[np.ndarray]) -> list[np.ndarray]:
    if isinstance(params, np.ndarray):
        params = [params]
    params = list(params)
    if not params:
        raise ValueError("`params` must be a non-empty list of arrays (got [])")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype not in (np.float64, np.float32):
            got = getattr(p, "dtype", type(p).__name__)
            raise ValueError(f"`params[{i}]` must be a float64 or float32 ndarray (got {got})")
    return params


class _Optimizer:
    def __init__(self, params: Sequence[np.ndarray]) -> None:
        self.params = _check_params(params)

    def _check_grads(self, grads: Sequence[np.ndarray]) -> Sequence[np.ndarray]:
        if isinstance(grads, np.ndarray):
            grads = [grads]
        if len(grads) != len(self.params):
            raise ValueError(
                f"`grads` must hold {len(self.params)} arrays like `params` (got {len(grads)})"
            )
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if getattr(g, "shape", None) != p.shape:
                raise ValueError(
                    f"`grads[{i}]` must have shape {p.shape} (got {getattr(g, 'shape', g)!r})"
                )
            if g.dtype != p.dtype:
                raise ValueError(
                    f"`grads[{i}]` must be {p.dtype} like its parameter (got {g.dtype})"
                )
        return grads


class SGD(_Optimizer):
    r"""Stochastic gradient descent with (heavy-ball) momentum, in place.

    .. math:: v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    (``v`` starts at 0; with :math:`\mu = 0` this is :math:`\theta \leftarrow \theta -
    \eta g`. Same convention as Sutskever et al. 2013 with the step size factored out.)

    Parameters
    ----------
    params : list of float64 or float32 ndarray — updated in place
    lr : float — step size :math:`\eta > 0` (keyword-only, required)
    momentum : float — :math:`\mu \in [0, 1)`

    Examples
    --------
    >>> theta = np.array([1.0, -2.0])
    >>> opt = SGD([theta], lr=0.1, momentum=0.5)
    >>> opt.step([2 * theta]); theta.tolist()           # gradient of |θ|²
    [0.8, -1.6]
    >>> opt.step([2 * theta]); theta.tolist()           # v = 0.5·2θ₀ + 2θ₁
    [0.54, -1.08]
    """

    def __init__(self, params: Sequence[np.ndarray], *, lr: float, momentum: float = 0.0) -> None:
        super().__init__(params)
        self.config = SGDConfig(lr=lr, momentum=momentum)
        self._velocity = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """Apply one update given ``grads`` (same layout and shapes as ``params``)."""
        grads = self._check_grads(grads)
        lr, mu = self.config.lr, self.config.momentum
        for p, g, v, tmp in zip(self.params, grads, self._velocity, self._scratch, strict=True):
            v *= mu
            v += g  # v ← μ v + g
            np.multiply(v, lr, out=tmp)
            p -= tmp  # θ ← θ − η v


class Adam(_Optimizer):
    r"""Adam with bias-corrected moment estimates (Kingma & Ba 2015, Algorithm 1), in place.

    .. math:: m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
              v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,

    .. math:: \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad
              \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
              \theta_t = \theta_{t-1} - \alpha \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}.

    Implemented in the equivalent form of Kingma & Ba's Section 2 with both corrections folded
    into scalars, :math:`\theta_t = \theta_{t-1} - \alpha_t m_t / (\sqrt{v_t} +
    \hat\epsilon_t)` with :math:`\alpha_t = \alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)` and
    :math:`\hat\epsilon_t = \epsilon\sqrt{1-\beta_2^t}` (algebraically identical).

    Parameters
    ----------
    params : list of float64 or float32 ndarray — updated in place (the moments are kept in
        the precision of their parameter)
    lr : float — step size :math:`\alpha > 0`
    betas : (float, float) — :math:`(\beta_1, \beta_2)`, each in [0, 1)
    eps : float — :math:`\epsilon > 0`

    Examples
    --------
    The first bias-corrected step moves every coordinate by about ``lr`` against its gradient:

    >>> theta = np.array([1.0, -3.0])
    >>> Adam([theta], lr=0.1).step([2 * theta])
    >>> bool(np.allclose(theta, [0.9, -2.9], rtol=1e-9))
    True
    """

    def __init__(
        self,
        params: Sequence[np.ndarray],
        *,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.config = AdamConfig(lr=lr, betas=betas, eps=eps)
        self.t = 0  # number of steps taken
        self._m = [np.zeros_like(p) for p in self.params]
        self._v = [np.zeros_like(p) for p in self.params]
        self._scratch = [np.empty_like(p) for p in self.params]

    def step(self, grads: Sequence[np.ndarray]) -> None:
        """Apply one update given ``grads`` (same layout and shapes as ``params``)."""
        grads = self._check_grads(grads)
        beta1, beta2 = self.config.betas
        self.t += 1
        correction2 = math.sqrt(1.0 - beta2**self.t)
        alpha_t = self.config.lr * correction2 / (1.0 - beta1**self.t)
        eps_t = self.config.eps * correction2
        for p, g, m, v, tmp in zip(
            self.params, grads, self._m, self._v, self._scratch, strict=True
        ):
            np.subtract(g, m, out=tmp)
            tmp *= 1.0 - beta1
            m += tmp  # m ← β1 m + (1 − β1) g  =  m + (1 − β1)(g − m)
            np.multiply(g, g, out=tmp)
            tmp *= 1.0 - beta2
            v *= beta2
            v += tmp  # v ← β2 v + (1 − β2) g²
            np.sqrt(v, out=tmp)
            tmp += eps_t
            np.divide(m, tmp, out=tmp)
            tmp *= alpha_t
            p -= tmp  # θ ← θ − α_t m / (√v + ε̂_t)


def clip_weights(params: Sequence[np.ndarray], *, c: float) -> None:
    r"""Clip every parameter array to :math:`[-c, c]` in place (Arjovsky et al. 2017, Algorithm 1).

    .. math:: w \leftarrow \operatorname{clip}(w, -c, c)

    applied to the critic's parameters after each of its updates, so that the critics form a
    compact set of uniformly Lipschitz functions (the paper uses :math:`c = 0.01`).

    Parameters
    ----------
    params : list of float64 or float32 ndarray — clipped in place (``mlp.params`` or
        ``[mlp.flat_params]``)
    c : float — the clipping bound, positive and finite

    Examples
    --------
    >>> w, b = np.array([[0.5, -0.002], [0.03, 0.0]]), np.array([-1.0])
    >>> clip_weights([w, b], c=0.01)
    >>> w.tolist(), b.tolist()
    ([[0.01, -0.002], [0.01, 0.0]], [-0.01])
    """
    if not (_is_real(c) and math.isfinite(c) and c > 0):
        raise ValueError(f"`c` must be a positive finite number (got {c!r})")
    for p in _check_params(params):
        np.clip(p, -c, c, out=p)
