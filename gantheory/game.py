r"""The two-player game of Goodfellow et al. (2014): value function, optimal discriminator, C(G).

.. math::

    V(G, D) = \mathbb{E}_{x \sim p_{data}} \log D(x) + \mathbb{E}_{x \sim p_g} \log(1 - D(x))

(Goodfellow et al. 2014, eq. 1, written with the generator's distribution :math:`p_g`, as in
their eq. 3/5 and in seed ``001_ad4cab320465041a.txt`` eq. 5). For a fixed generator the
maximiser is :math:`D^*_G = p_{data} / (p_{data} + p_g)` (Proposition 1), and
:math:`C(G) = V(G, D^*_G) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \| p_g)` (Theorem 1).

Every function accepts a discrete pair (:class:`~gantheory.Discrete` or probability arrays) or a
continuous pair (scipy.stats frozen distributions or :class:`~gantheory.Mixture`). A
discriminator is an array of values in [0, 1] (discrete) or a vectorized callable returning
values in [0, 1] (continuous).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory._validation import check_finite_array, check_unit_interval, describe
from gantheory.distributions import (
    Continuous,
    as_continuous,
    as_discrete,
    coerce_pair,
    is_continuous,
)
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = [
    "generator_objective_minimax",
    "generator_objective_nonsaturating",
    "minibatch_value",
    "optimal_discriminator",
    "optimal_value",
    "value",
]

Discriminator = npt.ArrayLike | Callable[[np.ndarray], npt.ArrayLike]


def _log_dstar(lp: float, lq: float) -> tuple[float, float]:
    """``(log D*, log(1 - D*))`` from the two log-densities, ``D* = 1/2`` where both are 0."""
    if lp == -math.inf and lq == -math.inf:
        return -math.log(2.0), -math.log(2.0)
    lm = float(np.logaddexp(lp, lq))
    return lp - lm, lq - lm


def optimal_discriminator(p_data: object, p_g: object) -> np.ndarray | Callable[..., np.ndarray]:
    r"""The optimal discriminator for a fixed generator (Goodfellow et al. 2014, Prop. 1).

    .. math:: D^*_G(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)}

    Where both densities vanish, :math:`V(G, D)` does not depend on :math:`D(x)` and any value
    is optimal; gantheory returns :math:`\tfrac12`, the value :math:`D^*` takes everywhere at the
    equilibrium :math:`p_g = p_{data}`. The same convention holds at a point where both
    densities are infinite (a shared integrable singularity, a set of no mass).

    Parameters
    ----------
    p_data, p_g : Discrete, array_like, or continuous distributions
        The data and generator distributions (both discrete or both continuous).

    Returns
    -------
    numpy.ndarray or callable
        For a discrete pair, the array :math:`D^*` of shape ``(n,)``. For a continuous pair, a
        vectorized function ``D(x)`` computed as ``expit(log p_data(x) - log p_g(x))`` (no
        underflow far in the tails).

    Examples
    --------
    >>> optimal_discriminator([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])
    array([0.66666667, 0.66666667, 0.        ])
    >>> from scipy import stats
    >>> d = optimal_discriminator(stats.norm(0, 1), stats.norm(0, 1))
    >>> d(np.array([-3.0, 0.0, 40.0]))
    array([0.5, 0.5, 0.5])
    """
    kind, p, q = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    if kind == "discrete":
        total = p + q
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.where(total > 0, p / np.where(total > 0, total, 1.0), 0.5)
        return d

    return _ContinuousDStar(p, q)


class _ContinuousDStar:
    """Vectorized :math:`D^*` of a continuous pair, with its exact logit for :func:`value`."""

    def __init__(self, p: Continuous, q: Continuous) -> None:
        self.p, self.q = p, q
        self.__doc__ = f"Optimal discriminator D*(x) for p_data = {p!r}, p_g = {q!r}."

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """``log p_data(x) - log p_g(x)`` (``±inf`` where one density vanishes or is infinite, 0
        where both vanish or both are infinite)."""
        x = np.asarray(x, dtype=np.float64)
        lp, lq = np.asarray(self.p.logpdf(x)), np.asarray(self.q.logpdf(x))
        # both 0, or both infinite (a shared singular point such as 0 for two Beta(1/2, b)):
        # a single point, of no mass, where D* takes the convention value 1/2
        undefined = (np.isneginf(lp) & np.isneginf(lq)) | (np.isposinf(lp) & np.isposinf(lq))
        with np.errstate(invalid="ignore"):
            return np.where(undefined, 0.0, lp - lq)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        return special.expit(self.logit(x))

    def __repr__(self) -> str:
        return f"optimal_discriminator({self.p!r}, {self.q!r})"


def _rounding_bound(terms: np.ndarray) -> float:
    """n eps sum|t| for the sum, plus 4 eps for the per-term logs (weights sum to 1)."""
    eps = float(np.finfo(np.float64).eps)
    return terms.size * eps * float(np.abs(terms[np.isfinite(terms)]).sum()) + 4 * eps


def _discrete_d(d: Discriminator, n: int) -> np.ndarray:
    if callable(d):
        d = d(np.arange(n))
    arr = np.asarray(d, dtype=np.float64) if not isinstance(d, str) else None
    if arr is None or arr.shape != (n,):
        shape = getattr(arr, "shape", None)
        raise ValueError(f"`D` must be an array of shape ({n},) (got shape {shape}: {describe(d)})")
    return check_unit_interval(arr, "D")


def _call_at(fn: Callable[..., npt.ArrayLike], x: float, name: str) -> float:
    """``fn`` evaluated at the single point ``x`` (as a length-1 array), validated."""
    y = np.asarray(fn(np.array([x])), dtype=np.float64)
    if y.size != 1:
        raise ValueError(
            f"`{name}` must return one value per input point (got shape {y.shape} for 1 point)"
        )
    v = float(y.reshape(()))
    if math.isnan(v):
        raise ValueError(f"`{name}` returned NaN at x = {x!r}")
    return v


def _eval_d(d: Callable[..., npt.ArrayLike], x: float) -> float:
    v = _call_at(d, x, "D")
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"`D` must return values in [0, 1] (got {v!r} at x = {x!r})")
    return v


def _xlog_softplus(logp: float, z: float) -> float:
    """``-p * softplus(z) = p * log(expit(-z))``, 0 where ``p`` is 0 in float64."""
    p = math.exp(logp)
    return 0.0 if p == 0.0 else -p * float(np.logaddexp(0.0, z))


def _xlog(logp: float, y: float) -> float:
    """``p * log(y)`` with ``p = exp(logp)``; 0 where ``p`` is 0 in float64 (even if ``y = 0``).

    A density that underflows (``logp < -745``, e.g. a normal 40 sd out) carries no mass float64
    can represent, while a vectorized ``D`` such as ``expit(x)`` underflows to exactly 0 far out
    in the same tail: the product is 0 to double precision, not ``-inf``.
    """
    p = math.exp(logp)
    if p == 0.0:
        return 0.0
    return p * math.log(y) if y > 0 else -math.inf


def value(
    p_data: object,
    p_g: object,
    D: Discriminator,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The value function :math:`V(G, D)` (Goodfellow et al. 2014, eq. 1).

    .. math:: V(G, D) = \int p_{data}(x) \log D(x) + p_g(x) \log(1 - D(x))\,dx

    Parameters
    ----------
    p_data, p_g : Discrete, array_like, or continuous distributions
        Both discrete or both continuous.
    D : array_like of shape (n,) or callable
        Discriminator values in [0, 1]: an array over the discrete support, or a vectorized
        callable ``D(x)`` for continuous distributions (called on arrays of points).
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` with the error bound.
    atol, rtol : float
        Accuracy requested from the quadrature (continuous only).

    Returns
    -------
    float
        :math:`V(G, D) \le C(G)`; ``-inf`` when ``D = 0`` where the data has mass or ``D = 1``
        where the generator has mass (``0 log 0`` counts as 0). For a callable ``D`` the
        quadrature sees ``D`` at its nodes only: a ``D`` that is 0 at a node where ``p_data`` is
        positive in float64 gives ``-inf``; where the density itself underflows to 0 the term is
        0. Never NaN.

    Raises
    ------
    ValueError
        If ``D`` has the wrong shape or returns NaN or values outside [0, 1].

    Examples
    --------
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> v_half = value(p, q, [0.5, 0.5])
    >>> bool(np.isclose(v_half, -np.log(4), rtol=1e-15, atol=0))
    True
    >>> value(p, q, [0.0, 0.5])
    -inf
    """
    kind, p, q = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    if kind == "discrete":
        d = _discrete_d(D, p.size)
        terms = special.xlogy(p, d) + special.xlogy(q, 1.0 - d)
        total = float(terms.sum())
        if not full_output:
            return total
        bound = _rounding_bound(terms)
        return Estimate(total, bound if math.isfinite(total) else 0.0, 0, p.size)
    if not callable(D):
        raise TypeError(
            f"`D` must be a vectorized callable for continuous distributions (got {describe(D)})"
        )

    logit = getattr(D, "logit", None)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        if lp == -math.inf and lq == -math.inf:
            return 0.0
        if callable(logit):
            # log D = -softplus(-l), log(1 - D) = -softplus(l): exact where D rounds to 0 or 1.
            lg = _call_at(logit, x, "D.logit")
            return _xlog_softplus(lp, -lg) + _xlog_softplus(lq, lg)
        dx = _eval_d(D, x)
        return _xlog(lp, dx) + _xlog(lq, 1.0 - dx)

    est = integrate_pieces(integrand, [p, q], atol=atol, rtol=rtol, what="value V(G, D)")
    return est if full_output else est.value


def optimal_value(
    p_data: object,
    p_g: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The virtual training criterion :math:`C(G) = \max_D V(G, D) = V(G, D^*_G)`.

    .. math:: C(G) = \int p_{data} \log \frac{p_{data}}{p_{data} + p_g}
              + p_g \log \frac{p_g}{p_{data} + p_g}\,dx

    Computed directly from the definition with :math:`D^*` in log form, independently of
    :func:`~gantheory.jsd`, so that Theorem 1 (:math:`C(G) = -\log 4 + 2\,\mathrm{JSD}`) is a
    real check.

    Examples
    --------
    >>> from gantheory import jsd
    >>> p, q = [0.2, 0.8, 0.0], [0.5, 0.25, 0.25]
    >>> bool(np.isclose(optimal_value(p, q), -np.log(4) + 2 * jsd(p, q), rtol=1e-14, atol=0))
    True
    """
    kind, p, q = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    if kind == "discrete":
        total = p + q
        # x log(x / (x + y)) with 0 log 0 = 0; x + y > 0 wherever x > 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = special.xlogy(p, p) + special.xlogy(q, q) - special.xlogy(total, total)
        s = float(terms.sum())
        if not full_output:
            return s
        return Estimate(s, _rounding_bound(terms), 0, 0)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        ld, l1d = _log_dstar(lp, lq)
        a = math.exp(lp) * ld if lp > -math.inf else 0.0
        b = math.exp(lq) * l1d if lq > -math.inf else 0.0
        return a + b

    est = integrate_pieces(integrand, [p, q], atol=atol, rtol=rtol, what="C(G)")
    return est if full_output else est.value


def generator_objective_minimax(p_g: object, D: Discriminator, **quad: float) -> float:
    r"""The generator's term of the minimax game, to be *minimised* over G.

    .. math:: \mathbb{E}_{x \sim p_g} \log(1 - D(x))

    Saturates when :math:`D(G(z)) \to 0` (early training): its gradient vanishes there
    (Goodfellow et al. 2014, Section 3).

    Examples
    --------
    >>> bool(np.isclose(generator_objective_minimax([0.5, 0.5], [0.5, 0.5]), -np.log(2)))
    True
    """
    return _generator_expectation(p_g, D, lambda lq, d: _xlog(lq, 1.0 - d), "minimax", quad)


def generator_objective_nonsaturating(p_g: object, D: Discriminator, **quad: float) -> float:
    r"""The non-saturating generator loss, to be *minimised* over G.

    .. math:: -\mathbb{E}_{x \sim p_g} \log D(x)

    Same fixed point as the minimax objective, strong gradients early in training
    (Goodfellow et al. 2014, Section 3). ``inf`` when ``D = 0`` where ``p_g`` has mass.

    Examples
    --------
    >>> bool(np.isclose(generator_objective_nonsaturating([0.5, 0.5], [0.5, 0.5]), np.log(2)))
    True
    """
    return -_generator_expectation(p_g, D, lambda lq, d: _xlog(lq, d), "non-saturating", quad)


def _generator_expectation(
    p_g: object, D: Discriminator, term: Callable[[float, float], float], name: str,
    quad: dict[str, float],
) -> float:
    if not is_continuous(p_g):
        q = as_discrete(p_g, "p_g")
        d = _discrete_d(D, q.size)
        with np.errstate(divide="ignore"):
            logq = np.log(q)
        return float(sum(term(float(lq), float(di)) for lq, di in zip(logq, d)))
    qc: Continuous = as_continuous(p_g, "p_g")
    if not callable(D):
        raise TypeError(
            f"`D` must be a vectorized callable for continuous distributions (got {describe(D)})"
        )

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        (lq,) = logs
        return 0.0 if lq == -math.inf else term(lq, _eval_d(D, x))

    return integrate_pieces(
        integrand, [qc], what=f"{name} generator objective", **quad
    ).value


def minibatch_value(
    D: Callable[[np.ndarray], npt.ArrayLike], x_data: npt.ArrayLike, x_gen: npt.ArrayLike
) -> float:
    r"""The minibatch estimator of :math:`V(G, D)` used by Algorithm 1.

    .. math:: \hat V = \frac1m \sum_{i=1}^m \log D(x^{(i)})
              + \frac1m \sum_{i=1}^m \log\bigl(1 - D(G(z^{(i)}))\bigr)

    (Goodfellow et al. 2014, Algorithm 1; seed ``001_ad4cab320465041a.txt`` eq. 10-11). An
    unbiased estimator of :math:`V(G, D)` when ``x_data`` ~ p_data and ``x_gen`` ~ p_g.

    Parameters
    ----------
    D : callable
        Vectorized discriminator with values in [0, 1].
    x_data : array_like, shape (m,) or (m, d)
        Samples from the data distribution.
    x_gen : array_like, shape (m', ...) matching ``x_data``'s trailing shape
        Generated samples :math:`G(z^{(i)})`.

    Examples
    --------
    >>> bool(np.isclose(minibatch_value(lambda x: np.full(len(x), 0.5), [1.0, 2.0], [0.0]),
    ...                 -np.log(4)))
    True
    """
    xd = check_finite_array(x_data, "x_data")
    xg = check_finite_array(x_gen, "x_gen")
    if xd.ndim == 0 or xd.shape[0] == 0:
        raise ValueError(f"`x_data` must hold at least one sample (got shape {xd.shape})")
    if xg.ndim == 0 or xg.shape[0] == 0:
        raise ValueError(f"`x_gen` must hold at least one sample (got shape {xg.shape})")
    dd = _batch_d(D, xd, "x_data")
    dg = _batch_d(D, xg, "x_gen")
    with np.errstate(divide="ignore"):
        return float(np.mean(np.log(dd)) + np.mean(np.log1p(-dg)))


def _batch_d(D: Callable[[np.ndarray], npt.ArrayLike], x: np.ndarray, name: str) -> np.ndarray:
    d = np.asarray(D(x), dtype=np.float64).reshape(-1)
    if d.size != x.shape[0]:
        raise ValueError(
            f"`D` must return one value per sample of `{name}` ({x.shape[0]}; got {d.size})"
        )
    return check_unit_interval(d, f"D({name})")
