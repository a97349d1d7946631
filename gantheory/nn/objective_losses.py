r"""Losses of the GAN objectives beyond Goodfellow et al.'s, from the discriminator's raw output.

Each loss takes the discriminator network's **raw output** :math:`v`: a logit when the
discriminator is a probability :math:`D = \sigma(v)` (label smoothing, the maximum-likelihood
generator cost), the critic value itself when it is unbounded (least squares, hinge,
Wasserstein). The conventions are those of :mod:`gantheory.nn.losses`: every loss is a **mean
over the batch** and one to *minimise*; a discriminator loss returns ``(loss, dL_dreal,
dL_dfake)``, a generator loss ``(loss, dL_dfake)``, each gradient of the shape of its input;
logs of sigmoids are softplus terms :math:`\zeta(u) = \log(1 + e^u)`.

- one- and two-sided label smoothing (Salimans et al. 2016, Section 3.4; Goodfellow 2016,
  *NIPS 2016 Tutorial: Generative Adversarial Networks*, Section 4.2);
- the maximum-likelihood generator cost (Goodfellow 2016, Section 3.2.3; Goodfellow 2014,
  *On distinguishability criteria for estimating generative models*);
- least squares (Mao et al. 2017, eq. 2);
- hinge (Lim & Ye 2017; Miyato et al. 2018);
- Wasserstein (Arjovsky et al. 2017, Algorithm 1; the weight clipping is
  :func:`gantheory.nn.clip_weights`).

The f-GAN losses are in :mod:`gantheory.nn.fgan_losses`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from gantheory.nn.losses import _check_logits, _softplus

__all__ = [
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "label_smoothing_discriminator_loss",
    "lsgan_discriminator_loss",
    "lsgan_generator_loss",
    "maximum_likelihood_generator_loss",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]

#: log of the largest float64, ≈ 709.7827: exp(v) is finite exactly for v ≤ LOG_MAX.
LOG_MAX = math.log(np.finfo(np.float64).max)
#: The same per precision (float32: ≈ 88.7228), for losses computed in float32.
_LOG_MAX = {np.dtype(t): math.log(np.finfo(t).max) for t in (np.float64, np.float32)}


def _check_real(value: object, name: str) -> float:
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        raise TypeError(f"`{name}` must be a real number (got {type(value).__name__})")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite real number (got {value!r})")
    return float(value)


def _finite(loss: float, what: str, **outputs: np.ndarray) -> float:
    """Refuse a loss that overflowed its precision rather than return ``inf`` or ``nan``."""
    if not math.isfinite(loss):
        dtype = next(iter(outputs.values())).dtype
        name, largest = max(
            ((n, float(np.abs(v).max())) for n, v in outputs.items()), key=lambda t: t[1]
        )
        raise ValueError(
            f"the {what} overflows {dtype}: `{name}` is too large in magnitude (got {largest!r})"
        )
    return float(loss)


def label_smoothing_discriminator_loss(
    real_logits: npt.ArrayLike,
    fake_logits: npt.ArrayLike,
    *,
    alpha: float,
    beta: float = 0.0,
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Discriminator loss with smoothed labels: target :math:`1 - \alpha` on data, :math:`\beta`
    on generated samples.

    .. math:: L_D = \frac1m \sum_i \bigl[(1 - \alpha)\,\zeta(-v^r_i) + \alpha\,\zeta(v^r_i)\bigr]
              + \frac1k \sum_j \bigl[\beta\,\zeta(-v^f_j) + (1 - \beta)\,\zeta(v^f_j)\bigr]

    .. math:: \frac{\partial L_D}{\partial v^r_i} = \frac{\alpha\,\sigma(v^r_i) - (1 - \alpha)
              \,\sigma(-v^r_i)}{m}, \qquad \frac{\partial L_D}{\partial v^f_j} =
              \frac{(1 - \beta)\,\sigma(v^f_j) - \beta\,\sigma(-v^f_j)}{k}

    the cross-entropy of :math:`D = \sigma(v)` against the smoothed targets. Its pointwise
    minimiser is :math:`D^* = ((1 - \alpha)\,p_{data} + \beta\,p_g) / (p_{data} + p_g)`.
    ``beta = 0`` is one-sided smoothing, which Salimans et al. (2016, Section 3.4) and
    Goodfellow (2016, Section 4.2) recommend: with :math:`\beta > 0`, :math:`D^* = \beta` where
    :math:`p_{data} = 0 < p_g`, so generated samples there are not pushed towards the data.
    Both terms are softplus terms, so nothing cancels at confident logits (as
    :func:`~gantheory.nn.bce_with_logits`).

    Parameters
    ----------
    real_logits : array_like, ``m`` elements — D's logits on data samples
    fake_logits : array_like, ``k`` elements — D's logits on generator samples
    alpha : float in [0, 1) — the data target is :math:`1 - \alpha`
    beta : float in [0, 1) — the generated target; :math:`\alpha + \beta < 1`, so that the data
        target exceeds it (at :math:`\alpha + \beta = 1` the optimum :math:`D^* = 1 - \alpha` no
        longer depends on the sample, beyond it the labels are inverted)

    Returns
    -------
    loss : float
    dL_dreal_logits, dL_dfake_logits : ndarray, shapes of the inputs

    Examples
    --------
    With :math:`\alpha = \beta = 0` this is :func:`~gantheory.nn.discriminator_loss`; at the
    logit of the smoothed target the data gradient vanishes:

    >>> from gantheory.nn import discriminator_loss
    >>> real, fake = np.array([2.0, -1.0]), np.array([0.5])
    >>> bool(np.isclose(label_smoothing_discriminator_loss(real, fake, alpha=0.0)[0],
    ...                 discriminator_loss(real, fake)[0], rtol=1e-15))
    True
    >>> _, d_real, _ = label_smoothing_discriminator_loss([np.log(9.0)], [0.0], alpha=0.1)
    >>> bool(abs(d_real[0]) < 1e-16)
    True
    """
    alpha = _check_real(alpha, "alpha")
    beta = _check_real(beta, "beta")
    if not 0.0 <= alpha < 1.0:
        raise ValueError(f"`alpha` must lie in [0, 1) (got {alpha!r})")
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"`beta` must lie in [0, 1) (got {beta!r})")
    if not alpha + beta < 1.0:
        raise ValueError(
            "`alpha` + `beta` must be less than 1, so that the data target 1 - alpha exceeds "
            f"the generated target beta (got alpha={alpha!r}, beta={beta!r})"
        )
    real_logits = _check_logits(real_logits, "real_logits")
    fake_logits = _check_logits(fake_logits, "fake_logits")
    m, k = real_logits.size, fake_logits.size
    loss = ((1.0 - alpha) * _softplus(-real_logits) + alpha * _softplus(real_logits)).sum() / m
    loss += (beta * _softplus(-fake_logits) + (1.0 - beta) * _softplus(fake_logits)).sum() / k
    # σ(v) − t as (1 − t)σ(v) − tσ(−v): no cancellation when t ∈ {0, 1} and |v| ≫ 0.
    dL_dreal = (alpha * expit(real_logits) - (1.0 - alpha) * expit(-real_logits)) / m
    dL_dfake = ((1.0 - beta) * expit(fake_logits) - beta * expit(-fake_logits)) / k
    return float(loss), dL_dreal, dL_dfake


def maximum_likelihood_generator_loss(fake_logits: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""The maximum-likelihood generator cost, :math:`-\tfrac12\,\mathbb E \exp \sigma^{-1}(D)`.

    .. math:: J = -\frac1{2k} \sum_j \exp\bigl(\sigma^{-1}(D(G(z_j)))\bigr)
              = -\frac1{2k} \sum_j e^{v_j}, \qquad
              \frac{\partial J}{\partial v_j} = -\frac{e^{v_j}}{2k}

    for the logit :math:`v = \sigma^{-1}(D)`: :math:`e^{v} = D / (1 - D)`, which at
    :math:`D = D^*` is :math:`p_{data} / p_g` (Goodfellow 2016, Section 3.2.3; Goodfellow 2014,
    *On distinguishability criteria for estimating generative models*).

    Each term :math:`e^{v_j} / (2k)` is evaluated as ``exp(v) * (0.5 / k)``, accurate to a few
    ulps, and summed without overflow. :math:`e^v` is not a float64 number for
    :math:`v > \log(\text{largest float64}) \approx 709.78`: such a logit raises
    ``ValueError`` (naming the largest logit) rather than return ``-inf`` — a discriminator
    that confident has already made the cost's gradient useless. Logits far below 0 contribute
    :math:`e^v`, which underflows to 0 gracefully.

    Parameters
    ----------
    fake_logits : array_like, ``k`` elements, each at most ≈ 709.78

    Returns
    -------
    loss : float
    dL_dlogits : ndarray, shape of ``fake_logits``

    Examples
    --------
    >>> loss, dL_dl = maximum_likelihood_generator_loss(np.array([0.0, np.log(3.0), -1e4]))
    >>> bool(np.isclose(loss, -(1 + 3 + 0) / 6, rtol=1e-15)), bool(dL_dl[2] == 0.0)
    (True, True)
    """
    fake_logits = _check_logits(fake_logits, "fake_logits")
    largest, log_max = float(fake_logits.max()), _LOG_MAX[fake_logits.dtype]
    if largest > log_max:
        raise ValueError(
            f"`fake_logits` must be at most log(largest {fake_logits.dtype}) = {log_max:.2f} for"
            f" the maximum-likelihood cost exp(v) to be finite (got largest {largest!r})"
        )
    k = fake_logits.size
    terms = np.exp(fake_logits)
    terms *= 0.5 / k  # each ≤ DBL_MAX / 2k: their sum does not overflow
    return -float(terms.sum()), -terms


def lsgan_discriminator_loss(
    real_outputs: npt.ArrayLike,
    fake_outputs: npt.ArrayLike,
    *,
    a: float,
    b: float,
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Least-squares discriminator loss with targets ``b`` on data and ``a`` on generated samples.

    .. math:: L_D = \frac1{2m} \sum_i (v^r_i - b)^2 + \frac1{2k} \sum_j (v^f_j - a)^2,
              \qquad \frac{\partial L_D}{\partial v^r_i} = \frac{v^r_i - b}{m}, \quad
              \frac{\partial L_D}{\partial v^f_j} = \frac{v^f_j - a}{k}

    (Mao et al. 2017, eq. 2). The output :math:`v` is the discriminator's value itself, without
    a sigmoid; its pointwise minimiser is :math:`D^* = (b\,p_{data} + a\,p_g) / (p_{data} +
    p_g)`. Mao et al. use :math:`(a, b) = (-1, 1)` (with :math:`c = 0`) or :math:`(0, 1)` (with
    :math:`c = 1`).

    Parameters
    ----------
    real_outputs, fake_outputs : array_like, ``m`` and ``k`` elements — D's outputs
    a, b : float — the targets on generated samples and on data; finite, and :math:`a \ne b`
        (with :math:`b = a`, :math:`D^* = a` everywhere and nothing is discriminated)

    Returns
    -------
    loss : float
    dL_dreal_outputs, dL_dfake_outputs : ndarray, shapes of the inputs

    Examples
    --------
    >>> loss, d_real, d_fake = lsgan_discriminator_loss([1.0, 3.0], [0.0], a=-1.0, b=1.0)
    >>> loss, d_real.tolist(), d_fake.tolist()
    (1.5, [0.0, 1.0], [1.0])
    """
    a = _check_real(a, "a")
    b = _check_real(b, "b")
    if a == b:
        raise ValueError(
            "`a` and `b` must differ: with b = a the least-squares discriminator has no "
            f"discriminating optimum (got a={a!r}, b={b!r})"
        )
    real_outputs = _check_logits(real_outputs, "real_outputs")
    fake_outputs = _check_logits(fake_outputs, "fake_outputs")
    m, k = real_outputs.size, fake_outputs.size
    with np.errstate(over="ignore", invalid="ignore"):
        r_real = real_outputs - b
        r_fake = fake_outputs - a
        loss = 0.5 * float(np.dot(r_real.ravel(), r_real.ravel())) / m
        loss += 0.5 * float(np.dot(r_fake.ravel(), r_fake.ravel())) / k
    loss = _finite(loss, "least-squares loss", real_outputs=real_outputs, fake_outputs=fake_outputs)
    return loss, r_real / m, r_fake / k


def lsgan_generator_loss(fake_outputs: npt.ArrayLike, *, c: float) -> tuple[float, np.ndarray]:
    r"""Least-squares generator loss with target ``c``.

    .. math:: L_G = \frac1{2k} \sum_j (v_j - c)^2, \qquad
              \frac{\partial L_G}{\partial v_j} = \frac{v_j - c}{k}

    (Mao et al. 2017, eq. 2): the generator wants D to output ``c`` on its samples.

    Parameters
    ----------
    fake_outputs : array_like, ``k`` elements — D's outputs on generator samples
    c : float — finite target

    Returns
    -------
    loss : float
    dL_dfake_outputs : ndarray, shape of ``fake_outputs``

    Examples
    --------
    >>> loss, dL_dv = lsgan_generator_loss([-1.0, 1.0], c=0.0)
    >>> loss, dL_dv.tolist()
    (0.5, [-0.5, 0.5])
    """
    c = _check_real(c, "c")
    fake_outputs = _check_logits(fake_outputs, "fake_outputs")
    k = fake_outputs.size
    with np.errstate(over="ignore", invalid="ignore"):
        r = fake_outputs - c
        loss = 0.5 * float(np.dot(r.ravel(), r.ravel())) / k
    return _finite(loss, "least-squares loss", fake_outputs=fake_outputs), r / k


def hinge_discriminator_loss(
    real_outputs: npt.ArrayLike, fake_outputs: npt.ArrayLike
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Hinge discriminator loss on an unbounded critic (Lim & Ye 2017; Miyato et al. 2018).

    .. math:: L_D = \frac1m \sum_i \max(0, 1 - v^r_i) + \frac1k \sum_j \max(0, 1 + v^f_j)

    .. math:: \frac{\partial L_D}{\partial v^r_i} = -\frac{[v^r_i < 1]}{m}, \qquad
              \frac{\partial L_D}{\partial v^f_j} = \frac{[v^f_j > -1]}{k}

    At the kinks (:math:`v^r = 1`, :math:`v^f = -1`) the loss is not differentiable; the
    subgradient returned there is 0, the one-sided derivative from the flat side (the
    convention of :math:`\mathrm{ReLU}'(0) = 0`). The pointwise minimiser is
    :math:`D^* = \operatorname{sign}(p_{data} - p_g)`.

    Parameters
    ----------
    real_outputs, fake_outputs : array_like, ``m`` and ``k`` elements — the critic's outputs

    Returns
    -------
    loss : float
    dL_dreal_outputs, dL_dfake_outputs : ndarray, shapes of the inputs

    Examples
    --------
    >>> loss, d_real, d_fake = hinge_discriminator_loss([2.0, 0.5, 1.0], [-1.0, 0.0])
    >>> loss, d_real.tolist(), d_fake.tolist()
    (0.6666666666666666, [0.0, -0.3333333333333333, 0.0], [0.0, 0.5])
    """
    real_outputs = _check_logits(real_outputs, "real_outputs")
    fake_outputs = _check_logits(fake_outputs, "fake_outputs")
    m, k = real_outputs.size, fake_outputs.size
    with np.errstate(over="ignore"):
        loss = np.maximum(0.0, 1.0 - real_outputs).sum() / m
        loss += np.maximum(0.0, 1.0 + fake_outputs).sum() / k
    loss = _finite(loss, "hinge loss", real_outputs=real_outputs, fake_outputs=fake_outputs)
    r, f = real_outputs.dtype.type, fake_outputs.dtype.type  # gradients in their precision
    dL_dreal = np.where(real_outputs < 1.0, r(-1.0 / m), r(0.0))
    dL_dfake = np.where(fake_outputs > -1.0, f(1.0 / k), f(0.0))
    return loss, dL_dreal, dL_dfake


def _negative_mean(fake_outputs: np.ndarray, what: str) -> tuple[float, np.ndarray]:
    k = fake_outputs.size
    with np.errstate(over="ignore"):
        loss = -fake_outputs.sum() / k
    loss = _finite(loss, what, fake_outputs=fake_outputs)
    return loss, np.full(fake_outputs.shape, -1.0 / k, dtype=fake_outputs.dtype)


def hinge_generator_loss(fake_outputs: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""Generator loss of the hinge GAN, :math:`-\mathbb E\,D(G(z))` (Lim & Ye 2017; Miyato et al.
    2018).

    .. math:: L_G = -\frac1k \sum_j v_j, \qquad \frac{\partial L_G}{\partial v_j} = -\frac1k

    Parameters
    ----------
    fake_outputs : array_like, ``k`` elements — the critic's outputs on generator samples

    Returns
    -------
    loss : float
    dL_dfake_outputs : ndarray, shape of ``fake_outputs``

    Examples
    --------
    >>> loss, dL_dv = hinge_generator_loss([1.0, -3.0])
    >>> loss, dL_dv.tolist()
    (1.0, [-0.5, -0.5])
    """
    return _negative_mean(_check_logits(fake_outputs, "fake_outputs"), "hinge generator loss")


def wasserstein_discriminator_loss(
    real_outputs: npt.ArrayLike, fake_outputs: npt.ArrayLike
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""The WGAN critic's loss: the negated difference of the critic's means.

    .. math:: L_D = -\Bigl(\frac1m \sum_i f_w(x_i) - \frac1k \sum_j f_w(g_\theta(z_j))\Bigr),
              \qquad \frac{\partial L_D}{\partial v^r_i} = -\frac1m, \quad
              \frac{\partial L_D}{\partial v^f_j} = \frac1k

    (Arjovsky et al. 2017, Algorithm 1, whose critic ascends the difference; here it descends
    its negation). Over 1-Lipschitz critics the supremum of the difference is the Wasserstein-1
    distance (Kantorovich-Rubinstein duality); Algorithm 1 keeps the critic Lipschitz by
    clipping its weights, :func:`gantheory.nn.clip_weights`, after every step.

    Parameters
    ----------
    real_outputs, fake_outputs : array_like, ``m`` and ``k`` elements — the critic's outputs

    Returns
    -------
    loss : float
    dL_dreal_outputs, dL_dfake_outputs : ndarray, shapes of the inputs

    Examples
    --------
    >>> loss, d_real, d_fake = wasserstein_discriminator_loss([3.0, 1.0], [0.5])
    >>> loss, d_real.tolist(), d_fake.tolist()
    (-1.5, [-0.5, -0.5], [1.0])
    """
    real_outputs = _check_logits(real_outputs, "real_outputs")
    fake_outputs = _check_logits(fake_outputs, "fake_outputs")
    m, k = real_outputs.size, fake_outputs.size
    with np.errstate(over="ignore", invalid="ignore"):
        loss = fake_outputs.sum() / k - real_outputs.sum() / m
    loss = _finite(
        loss, "Wasserstein critic loss", real_outputs=real_outputs, fake_outputs=fake_outputs
    )
    return (
        loss,
        np.full(real_outputs.shape, -1.0 / m, dtype=real_outputs.dtype),
        np.full(fake_outputs.shape, 1.0 / k, dtype=fake_outputs.dtype),
    )


def wasserstein_generator_loss(fake_outputs: npt.ArrayLike) -> tuple[float, np.ndarray]:
    r"""The WGAN generator's loss, :math:`-\frac1k \sum_j f_w(g_\theta(z_j))`.

    .. math:: L_G = -\frac1k \sum_j v_j, \qquad \frac{\partial L_G}{\partial v_j} = -\frac1k

    (Arjovsky et al. 2017, Algorithm 1: the generator descends this.)

    Parameters
    ----------
    fake_outputs : array_like, ``k`` elements — the critic's outputs on generator samples

    Returns
    -------
    loss : float
    dL_dfake_outputs : ndarray, shape of ``fake_outputs``

    Examples
    --------
    >>> loss, dL_dv = wasserstein_generator_loss(np.array([[2.0], [4.0]]))
    >>> loss, dL_dv.ravel().tolist()
    (-3.0, [-0.5, -0.5])
    """
    return _negative_mean(_check_logits(fake_outputs, "fake_outputs"), "Wasserstein generator loss")
