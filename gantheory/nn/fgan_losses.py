r"""f-GAN losses (Nowozin et al. 2016) from the variational function's raw output.

The discriminator outputs :math:`v = V_\omega(x) \in \mathbb R`; the output activation
:math:`g_f` maps it into the domain of the convex conjugate :math:`f^*(t) = \sup_u\, tu - f(u)`,
:math:`T = g_f(v)`, and the saddle-point objective is (Nowozin et al. 2016, eq. 6)

.. math:: F(\theta, \omega) = \mathbb E_{x \sim P}\bigl[g_f(V_\omega(x))\bigr]
          - \mathbb E_{x \sim Q_\theta}\bigl[f^*(g_f(V_\omega(x)))\bigr],

a lower bound on :math:`D_f(P \| Q)` (with :math:`D_f = \int q\, f(p/q)`), tight at
:math:`T^* = f'(p/q)`. The discriminator minimises :math:`-F`, the generator minimises
:math:`F`, i.e. :math:`-\mathbb E_Q[f^*(g_f(v))]`, or the paper's alternative (Section 3.2,
after Goodfellow et al.'s non-saturating loss) :math:`-\mathbb E_Q[g_f(v)]`.

The generators :math:`f` are those of :func:`gantheory.f_divergence` (same names, same
normalisations); activations and conjugates are the paper's Table 2, except for ``"js"``:

* ``"kl"``: :math:`g_f(v) = v`, :math:`f^*(t) = e^{t-1}`, :math:`f^*(g_f(v)) = e^{v-1}`;
* ``"reverse_kl"``: :math:`g_f(v) = -e^{-v}`, :math:`f^*(t) = -1 - \log(-t)` on :math:`t < 0`,
  :math:`f^*(g_f(v)) = v - 1`;
* ``"pearson"``: :math:`g_f(v) = v`, :math:`f^*(t) = t^2/4 + t`,
  :math:`f^*(g_f(v)) = v(v + 4)/4`;
* ``"squared_hellinger"``: :math:`g_f(v) = 1 - e^{-v}`, :math:`f^*(t) = t/(1 - t)` on
  :math:`t < 1`, :math:`f^*(g_f(v)) = e^v - 1`;
* ``"js"``: :math:`g_f(v) = \tfrac12(\log 2 - \zeta(-v))`, :math:`f^*(t) = -\tfrac12 \log(2 -
  e^{2t})` on :math:`t < \tfrac12 \log 2`, :math:`f^*(g_f(v)) = \tfrac12(\zeta(v) - \log 2)`;
* ``"gan"``: :math:`g_f(v) = -\zeta(-v)`, :math:`f^*(t) = -\log(1 - e^t)` on :math:`t < 0`,
  :math:`f^*(g_f(v)) = \zeta(v)`;
* ``"total_variation"``: :math:`g_f(v) = \tfrac12 \tanh v`, :math:`f^*(t) = t` on
  :math:`|t| \le \tfrac12`, :math:`f^*(g_f(v)) = \tfrac12 \tanh v`.

(:math:`\zeta(u) = \log(1+e^u)`.) Jensen-Shannon: gantheory's ``"js"`` generator
:math:`f(u) = \tfrac12[u\log u - (u+1)\log\tfrac{u+1}{2}]` gives :math:`D_f = \mathrm{JSD}` and
is half the generator of the paper's Table 1. Since :math:`(cf)^*(t) = c f^*(t/c)`, its
conjugate is :math:`\tfrac12 \cdot (-\log(2 - e^{2t}))` and the matching activation is half
the paper's, :math:`\tfrac12(\log 2 - \zeta(-v)) = \tfrac12\log(2\sigma(v))`; the paper's row
(:math:`g_f = \log 2 - \zeta(-v)`, :math:`f^* = -\log(2 - e^t)`) belongs to :math:`2\,\mathrm{JSD}`.
With :math:`2 - 2\sigma(v) = 2\sigma(-v)` the composition is
:math:`-\tfrac12\log(2\sigma(-v)) = \tfrac12(\zeta(v) - \log 2)`.

Each composition :math:`f^*(g_f(v))` is evaluated in the closed form listed above, so
nothing cancels (``log1p``/``expm1`` near 0) and nothing overflows that is representable; a loss
whose value or gradient is not a float64 number (:math:`e^{v-1}` for ``"kl"`` beyond
:math:`v \approx 710.8`, :math:`e^{-v}` for ``"reverse_kl"`` below :math:`v \approx -709.8`, ...)
raises ``ValueError`` naming the output, never returns ``inf``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from gantheory.nn.losses import _check_logits, _softplus

__all__ = [
    "FGAN_DIVERGENCES",
    "fgan_activation",
    "fgan_conjugate",
    "fgan_discriminator_loss",
    "fgan_generator_loss",
]

_LOG2 = float(np.log(2.0))

Fn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class _Row:
    g: Fn  # activation g_f(v)
    dg: Fn  # g_f'(v)
    h: Fn  # f*(g_f(v)) in closed form
    dh: Fn  # (f* ∘ g_f)'(v)
    conjugate: Fn  # f*(t) on its domain
    in_domain: Fn  # boolean mask: t in dom f*
    domain: str  # the domain of f*, in words


def _js_h(v: np.ndarray) -> np.ndarray:
    # ½(ζ(v) − log 2) = ½ log((1 + e^v) / 2) = ½ log1p(expm1(v) / 2): no cancellation near 0
    out = np.empty_like(v)
    small = v < 1.0
    out[small] = 0.5 * np.log1p(0.5 * np.expm1(v[small]))
    out[~small] = 0.5 * (_softplus(v[~small]) - _LOG2)  # ζ(v) ≥ ζ(1) ≈ 1.31: no cancellation
    return out


def _sech2(v: np.ndarray) -> np.ndarray:
    # 1 − tanh²(v) = 4 σ(2v) σ(−2v): no cancellation for |v| ≫ 0
    return 4.0 * expit(2.0 * v) * expit(-2.0 * v)


def _one(v: np.ndarray) -> np.ndarray:
    return np.ones_like(v)


def _everywhere(t: np.ndarray) -> np.ndarray:
    return np.ones(t.shape, dtype=bool)


_ROWS: dict[str, _Row] = {
    "kl": _Row(
        g=lambda v: v.copy(),
        dg=_one,
        h=lambda v: np.exp(v - 1.0),
        dh=lambda v: np.exp(v - 1.0),
        conjugate=lambda t: np.exp(t - 1.0),
        in_domain=_everywhere,
        domain="the real line",
    ),
    "reverse_kl": _Row(
        g=lambda v: -np.exp(-v),
        dg=lambda v: np.exp(-v),
        h=lambda v: v - 1.0,
        dh=_one,
        conjugate=lambda t: -1.0 - np.log(-t),
        in_domain=lambda t: t < 0.0,
        domain="t < 0",
    ),
    "pearson": _Row(
        g=lambda v: v.copy(),
        dg=_one,
        h=lambda v: v * (v + 4.0) / 4.0,  # t²/4 + t as a product: no cancellation near −4
        dh=lambda v: 0.5 * v + 1.0,
        conjugate=lambda t: t * (t + 4.0) / 4.0,
        in_domain=_everywhere,
        domain="the real line",
    ),
    "squared_hellinger": _Row(
        g=lambda v: -np.expm1(-v),
        dg=lambda v: np.exp(-v),
        h=np.expm1,
        dh=np.exp,
        conjugate=lambda t: t / (1.0 - t),
        in_domain=lambda t: t < 1.0,
        domain="t < 1",
    ),
    "js": _Row(
        g=lambda v: -_js_h(-v),  # ½(log 2 − ζ(−v)) = −h(−v)
        dg=lambda v: 0.5 * expit(-v),
        h=_js_h,
        dh=lambda v: 0.5 * expit(v),
        conjugate=lambda t: -0.5 * np.log1p(-np.expm1(2.0 * t)),  # −½ log(2 − e^{2t})
        in_domain=lambda t: t < 0.5 * _LOG2,
        domain="t < log(2)/2",
    ),
    "gan": _Row(
        g=lambda v: -_softplus(-v),
        dg=lambda v: expit(-v),
        h=_softplus,
        dh=expit,
        conjugate=lambda t: -np.log(-np.expm1(t)),  # −log(1 − e^t)
        in_domain=lambda t: t < 0.0,
        domain="t < 0",
    ),
    "total_variation": _Row(
        g=lambda v: 0.5 * np.tanh(v),
        dg=lambda v: 0.5 * _sech2(v),
        h=lambda v: 0.5 * np.tanh(v),
        dh=lambda v: 0.5 * _sech2(v),
        conjugate=lambda t: t.copy(),
        in_domain=lambda t: np.abs(t) <= 0.5,
        domain="|t| <= 1/2",
    ),
}

#: The f-divergences with an f-GAN loss, the names of :func:`gantheory.f_divergence`.
FGAN_DIVERGENCES: tuple[str, ...] = tuple(_ROWS)

_VARIANTS = ("saddle", "alternative")


def _row(f: object) -> _Row:
    if not isinstance(f, str) or f not in _ROWS:
        valid = ", ".join(repr(n) for n in FGAN_DIVERGENCES)
        raise ValueError(f"`f` must be one of {valid} (got {f!r})")
    return _ROWS[f]


def _mean_term(fn: Fn, dfn: Fn, v: np.ndarray, name: str, what: str) -> tuple[float, np.ndarray]:
    """Mean of ``fn(v)`` and its gradient ``dfn(v) / n``, refusing overflow."""
    with np.errstate(over="ignore"):
        terms = fn(v)
        grads = dfn(v)
        mean = terms.sum() / v.size
    bad = ~(np.isfinite(terms) & np.isfinite(grads))
    if bad.any():
        raise ValueError(f"the {what} overflows float64 at `{name}` = {float(v[bad][0])!r}")
    if not np.isfinite(mean):
        raise ValueError(
            f"the {what} overflows float64: `{name}` is too large in magnitude "
            f"(got {float(np.abs(v).max())!r})"
        )
    grads /= v.size
    return float(mean), grads


def fgan_activation(outputs: npt.ArrayLike, *, f: str) -> np.ndarray:
    r"""The output activation :math:`T = g_f(v)` of f-GAN (Nowozin et al. 2016, Table 2).

    Maps the raw output into the domain of :math:`f^*`; the optimal critic is
    :math:`g_f(v^*) = f'(p/q)`. ``"js"`` uses half the paper's activation, to match the
    generator normalised to the JSD itself (see the module's table).

    Parameters
    ----------
    outputs : array_like, any shape — raw outputs :math:`v`
    f : str — one of :data:`FGAN_DIVERGENCES`

    Returns
    -------
    ndarray, shape of ``outputs``

    Examples
    --------
    >>> fgan_activation([0.0, 1e4], f="gan").tolist()      # log σ(v)
    [-0.6931471805599453, -0.0]
    >>> bool(fgan_activation([0.0], f="js")[0] == 0.0)
    True
    """
    row = _row(f)
    v = _check_logits(outputs, "outputs")
    with np.errstate(over="ignore"):
        t = row.g(v)
    if not np.isfinite(t).all():
        bad = v[~np.isfinite(t)]
        raise ValueError(f"the {f!r} activation overflows float64 at `outputs` = {float(bad[0])!r}")
    return t


def fgan_conjugate(t: npt.ArrayLike, *, f: str) -> np.ndarray:
    r"""The convex conjugate :math:`f^*(t) = \sup_u \bigl(tu - f(u)\bigr)` of f-GAN's Table 2.

    For the generators of :func:`gantheory.f_divergence` (``"js"``: :math:`f^*(t) =
    -\tfrac12\log(2 - e^{2t})` on :math:`t < \tfrac12\log 2`, see the module's table).

    Parameters
    ----------
    t : array_like, any shape, finite, inside the domain of :math:`f^*`
    f : str — one of :data:`FGAN_DIVERGENCES`

    Returns
    -------
    ndarray, shape of ``t``

    Examples
    --------
    :math:`f^*(g_f(v)) = \zeta(v)` for the GAN row:

    >>> v = np.array([-3.0, 0.5])
    >>> bool(np.allclose(fgan_conjugate(fgan_activation(v, f="gan"), f="gan"),
    ...                  np.logaddexp(0, v), rtol=1e-14, atol=0))
    True
    """
    row = _row(f)
    t = _check_logits(t, "t")
    inside = row.in_domain(t)
    if not inside.all():
        raise ValueError(
            f"`t` must lie in the domain of the conjugate of {f!r}, {row.domain} "
            f"(got {float(t[~inside][0])!r})"
        )
    with np.errstate(over="ignore", divide="ignore"):
        out = row.conjugate(t)
    if not np.isfinite(out).all():
        bad = t[~np.isfinite(out)]
        raise ValueError(
            f"the conjugate of {f!r} is not a finite float64 at `t` = {float(bad[0])!r}"
        )
    return out


def fgan_discriminator_loss(
    real_outputs: npt.ArrayLike, fake_outputs: npt.ArrayLike, *, f: str
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""The f-GAN discriminator loss, the negated saddle-point objective :math:`-F`.

    .. math:: L_D = -\frac1m \sum_i g_f(v^r_i) + \frac1k \sum_j f^*\bigl(g_f(v^f_j)\bigr),
              \qquad \frac{\partial L_D}{\partial v^r_i} = -\frac{g_f'(v^r_i)}{m}, \quad
              \frac{\partial L_D}{\partial v^f_j} = \frac{(f^* \circ g_f)'(v^f_j)}{k}

    (Nowozin et al. 2016, eq. 6 and Table 2). Its pointwise minimiser satisfies
    :math:`g_f(v^*) = f'(p/q)`, where the minimum is :math:`-D_f(P \| Q)` (for
    ``"total_variation"`` the minimum is approached as :math:`v \to \pm\infty`). For ``"gan"``
    it is :func:`~gantheory.nn.discriminator_loss`.

    Parameters
    ----------
    real_outputs, fake_outputs : array_like, ``m`` and ``k`` elements — raw outputs :math:`v`
        on samples of :math:`P` (data) and of :math:`Q` (the generator)
    f : str — one of :data:`FGAN_DIVERGENCES`

    Returns
    -------
    loss : float
    dL_dreal_outputs, dL_dfake_outputs : ndarray, shapes of the inputs

    Examples
    --------
    The KL critic :math:`T = v` is optimal at :math:`v^* = 1 + \log(p/q)`; at :math:`p = q`
    (:math:`v^* = 1`) the loss is :math:`-1 + e^0 = 0 = -\mathrm{KL}(P\|P)` and stationary:

    >>> loss, d_real, d_fake = fgan_discriminator_loss([1.0], [1.0], f="kl")
    >>> loss, float(d_real[0] + d_fake[0])
    (0.0, 0.0)
    """
    row = _row(f)
    real = _check_logits(real_outputs, "real_outputs")
    fake = _check_logits(fake_outputs, "fake_outputs")
    what = f"{f!r} f-GAN discriminator loss"
    real_mean, dL_dreal = _mean_term(row.g, row.dg, real, "real_outputs", what)
    fake_mean, dL_dfake = _mean_term(row.h, row.dh, fake, "fake_outputs", what)
    loss = fake_mean - real_mean
    if not np.isfinite(loss):
        raise ValueError(f"the {what} overflows float64 (got {real_mean!r} and {fake_mean!r})")
    return float(loss), -dL_dreal, dL_dfake


def fgan_generator_loss(
    fake_outputs: npt.ArrayLike, *, f: str, variant: str = "saddle"
) -> tuple[float, np.ndarray]:
    r"""The f-GAN generator loss: the saddle-point objective or the paper's alternative.

    .. math:: \text{saddle:}\quad L_G = -\frac1k \sum_j f^*\bigl(g_f(v_j)\bigr), \qquad
              \text{alternative:}\quad L_G = -\frac1k \sum_j g_f(v_j)

    with gradients :math:`-(f^* \circ g_f)'(v_j) / k` and :math:`-g_f'(v_j) / k`. The saddle
    form is the generator's part of :math:`F` (Nowozin et al. 2016, eq. 6); the alternative is
    the paper's Section 3.2, which generalises Goodfellow et al.'s non-saturating loss: for
    ``"gan"`` the two are :func:`~gantheory.nn.minimax_generator_loss` and
    :func:`~gantheory.nn.nonsaturating_generator_loss`.

    Parameters
    ----------
    fake_outputs : array_like, ``k`` elements — raw outputs on generator samples
    f : str — one of :data:`FGAN_DIVERGENCES`
    variant : {"saddle", "alternative"}

    Returns
    -------
    loss : float
    dL_dfake_outputs : ndarray, shape of ``fake_outputs``

    Examples
    --------
    >>> from gantheory.nn import nonsaturating_generator_loss
    >>> v = np.array([-2.0, 0.0, 3.0])
    >>> a = fgan_generator_loss(v, f="gan", variant="alternative")
    >>> b = nonsaturating_generator_loss(v)
    >>> bool(np.isclose(a[0], b[0], rtol=1e-15)), bool(np.allclose(a[1], b[1], rtol=1e-15))
    (True, True)
    """
    row = _row(f)
    if variant not in _VARIANTS:
        valid = ", ".join(repr(n) for n in _VARIANTS)
        raise ValueError(f"`variant` must be one of {valid} (got {variant!r})")
    fake = _check_logits(fake_outputs, "fake_outputs")
    what = f"{f!r} f-GAN generator loss"
    if variant == "saddle":
        mean, grad = _mean_term(row.h, row.dh, fake, "fake_outputs", what)
    else:
        mean, grad = _mean_term(row.g, row.dg, fake, "fake_outputs", what)
    return -mean, -grad
