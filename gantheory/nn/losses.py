r"""GAN losses computed from logits, each returning the loss and its gradient.

The discriminator outputs a logit :math:`\ell`; its probability is :math:`D = \sigma(\ell)`.
Logs of probabilities are rewritten with the softplus :math:`\zeta(u) = \log(1 + e^u)`,
evaluated as ``np.logaddexp(0, u)`` so that no exponential overflows:

.. math:: -\log \sigma(\ell) = \zeta(-\ell), \qquad
          -\log\bigl(1 - \sigma(\ell)\bigr) = \zeta(\ell), \qquad
          \zeta'(u) = \sigma(u).

Convention: every loss is a **mean over the batch** (over all elements of the logit array), so
each gradient carries a factor ``1 / n``. Every loss is one to *minimise*: the discriminator loss
is :math:`-\hat V(D, G)`, the negated minibatch value function of Goodfellow et al. 2014, eq. 1.
Gradients have the shape of the logits they belong to.

Precision: float32 logits are computed with in float32 (the loss and its gradients), as a
network trained in float32 produces them; anything else is converted to float64.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import expit

__all__ = [
    "bce_with_logits",
    "discriminator_loss",
    "minimax_generator_loss",
    "nonsaturating_generator_loss",
]


def _check_logits(logits: npt.ArrayLike, name: str) -> np.ndarray:
    logits = np.asarray(logits)
    logits = np.asarray(logits, dtype=np.float32 if logits.dtype == np.float32 else np.float64)
    if logits.size == 0:
        raise ValueError(f"`{name}` must not be empty (got shape {logits.shape})")
    if not np.isfinite(logits).all():
        bad = logits[~np.isfinite(logits)]
        raise ValueError(
            f"`{name}` must be finite (got {bad.size} non-finite value(s), first {float(bad[0])!r})"
        )
    return logits


def _softplus(u: np.ndarray) -> np.ndarray:
    r""":math:`\zeta(u) = \log(1 + e^u)` without overflow."""
    return np.logaddexp(0.0, u)


def bce_with_logits(logits: npt.ArrayLike, targets: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""Binary cross-entropy of targets ``t`` in [0, 1] against probabilities ``σ(ℓ)``.

    .. math:: L = \frac1n \sum_i \bigl[t_i\,\zeta(-\ell_i)
              + (1 - t_i)\,\zeta(\ell_i)\bigr],
              \qquad \frac{\partial L}{\partial \ell_i} = \frac{\sigma(\ell_i) - t_i}{n}

    Parameters
    ----------
    logits : array_like, any shape with ``n`` elements
    targets : array_like, same shape as ``logits``, values in [0, 1]

    Returns
    -------
    loss : float
    dL_dlogits : ndarray, shape of ``logits``

    Examples
    --------
    Exact at extreme logits, without overflow (:math:`-\log\sigma(-10^4) = 10^4`):

    >>> loss, dL_dl = bce_with_logits([[-1e4], [1e4]], [[1.0], [1.0]])
    >>> loss, dL_dl.ravel().tolist()
    (5000.0, [-0.5, 0.0])
    """
    logits = _check_logits(logits, "logits")
    targets = np.asarray(targets, dtype=logits.dtype)
    if targets.shape != logits.shape:
        raise ValueError(f"`targets` must have shape {logits.shape} (got {targets.shape})")
    if not ((targets >= 0.0) & (targets <= 1.0)).all():
        bad = targets[~((targets >= 0.0) & (targets <= 1.0))]
        raise ValueError(f"`targets` must lie in [0, 1] (got {float(bad[0])!r})")
    n = logits.size
    # Two softplus terms rather than ζ(ℓ) − tℓ: no cancellation when t = 1 and ℓ ≫ 0.
    loss = (targets * _softplus(-logits) + (1.0 - targets) * _softplus(logits)).sum() / n
    # σ(ℓ) − t written as (1 − t)σ(ℓ) − tσ(−ℓ): no cancellation when t = 1 and ℓ ≫ 0.
    dL_dlogits = ((1.0 - targets) * expit(logits) - targets * expit(-logits)) / n
    return float(loss), dL_dlogits


def discriminator_loss(
    real_logits: npt.ArrayLike, fake_logits: npt.ArrayLike
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Discriminator loss, the negated value function on a minibatch.

    .. math:: L_D = -\frac1m \sum_i \log D(x_i)
              - \frac1k \sum_j \log\bigl(1 - D(G(z_j))\bigr)
              = \frac1m \sum_i \zeta(-\ell^r_i) + \frac1k \sum_j \zeta(\ell^f_j)

    .. math:: \frac{\partial L_D}{\partial \ell^r_i} = -\frac{\sigma(-\ell^r_i)}{m},
              \qquad \frac{\partial L_D}{\partial \ell^f_j} = \frac{\sigma(\ell^f_j)}{k}

    (Goodfellow et al. 2014, eq. 1 and Algorithm 1.)

    Parameters
    ----------
    real_logits : array_like, ``m`` elements — D's logits on data samples
    fake_logits : array_like, ``k`` elements — D's logits on generator samples

    Returns
    -------
    loss : float
    dL_dreal_logits, dL_dfake_logits : ndarray, shapes of the inputs

    Examples
    --------
    A discriminator that cannot tell (logit 0 everywhere) has :math:`L_D = 2 \log 2`:

    >>> loss, d_real, d_fake = discriminator_loss(np.zeros((4, 1)), np.zeros((4, 1)))
    >>> bool(np.isclose(loss, 2 * np.log(2), rtol=1e-15)), float(d_real[0, 0]), float(d_fake[0, 0])
    (True, -0.125, 0.125)
    """
    real_logits = _check_logits(real_logits, "real_logits")
    fake_logits = _check_logits(fake_logits, "fake_logits")
    m, k = real_logits.size, fake_logits.size
    loss = _softplus(-real_logits).sum() / m + _softplus(fake_logits).sum() / k
    dL_dreal = expit(-real_logits)
    dL_dreal /= -m
    dL_dfake = expit(fake_logits)
    dL_dfake /= k
    return float(loss), dL_dreal, dL_dfake


def minimax_generator_loss(fake_logits: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""The generator's term of the minimax game, :math:`\log(1 - D(G(z)))`, minimised by G.

    .. math:: L_G = \frac1k \sum_j \log\bigl(1 - D(G(z_j))\bigr) = -\frac1k \sum_j
              \zeta(\ell_j), \qquad \frac{\partial L_G}{\partial \ell_j} =
              -\frac{\sigma(\ell_j)}{k}

    It saturates: when D confidently rejects the samples (:math:`\ell \to -\infty`) the
    gradient vanishes (Goodfellow et al. 2014, Section 3).

    Parameters
    ----------
    fake_logits : array_like, ``k`` elements

    Returns
    -------
    loss : float
    dL_dlogits : ndarray, shape of ``fake_logits``

    Examples
    --------
    >>> loss, dL_dl = minimax_generator_loss(np.array([-1e4, 0.0]))
    >>> bool(np.isclose(loss, -np.log(2) / 2, rtol=1e-15)), dL_dl.tolist()
    (True, [-0.0, -0.25])
    """
    fake_logits = _check_logits(fake_logits, "fake_logits")
    k = fake_logits.size
    loss = -_softplus(fake_logits).sum() / k
    dL_dlogits = expit(fake_logits)
    dL_dlogits /= -k
    return float(loss), dL_dlogits


def nonsaturating_generator_loss(fake_logits: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""The non-saturating generator loss :math:`-\log D(G(z))` (Goodfellow et al. 2014, Sec. 3).

    .. math:: L_G = -\frac1k \sum_j \log D(G(z_j)) = \frac1k \sum_j \zeta(-\ell_j),
              \qquad \frac{\partial L_G}{\partial \ell_j} = -\frac{\sigma(-\ell_j)}{k}

    Same fixed point as the minimax loss, but strong gradients early in training when D
    rejects the samples.

    Parameters
    ----------
    fake_logits : array_like, ``k`` elements

    Returns
    -------
    loss : float
    dL_dlogits : ndarray, shape of ``fake_logits``

    Examples
    --------
    >>> loss, dL_dl = nonsaturating_generator_loss(np.array([-1e4, 0.0]))
    >>> bool(np.isclose(loss, (1e4 + np.log(2)) / 2, rtol=1e-15)), dL_dl.tolist()
    (True, [-0.5, -0.25])
    """
    fake_logits = _check_logits(fake_logits, "fake_logits")
    k = fake_logits.size
    loss = _softplus(-fake_logits).sum() / k
    dL_dlogits = expit(-fake_logits)
    dL_dlogits /= -k
    return float(loss), dL_dlogits
