r"""Entropy, cross-entropy, Kullback-Leibler and Jensen-Shannon divergences, total variation.

All quantities are in **nats**. Each function accepts a pair of discrete distributions
(:class:`~gantheory.Discrete` or 1-D probability arrays of equal length) or a pair of continuous
ones (scipy.stats frozen 1-D continuous distributions or :class:`~gantheory.Mixture`).

* Discrete: exact sums with ``scipy.special`` (``entr``, ``rel_entr``, ``xlogy``), so
  ``0 log 0 = 0`` and ``KL(p || q) = inf`` when ``q = 0 < p``.
* Continuous: :mod:`gantheory.quadrature` on integrands built from log-densities
  (``logaddexp`` for the mixture ``m = (p + q)/2``), never from ratios of densities that
  underflow. ``full_output=True`` returns an :class:`~gantheory.quadrature.Estimate`
  ``(value, abserr, ...)`` instead of a float; for discrete input ``abserr`` is a bound on the
  rounding error of the sum.

``jsd`` is the *divergence* :math:`\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)`, bounded by
:math:`\log 2` (Lin 1991) — not ``scipy.spatial.distance.jensenshannon``, which returns its
square root.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from gantheory.distributions import Continuous, as_continuous, coerce_pair
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = ["cross_entropy", "entropy", "jsd", "kl", "tv"]

_EPS = np.finfo(np.float64).eps
#: Absolute rounding of the terms p log(p/r) summed over a probability vector (see _sum).
_TERM_EPS = 4 * _EPS
_LOG2 = math.log(2.0)


def _sum(terms: np.ndarray, full_output: bool) -> float | Estimate:
    value = float(np.sum(terms))
    if not full_output:
        return value
    finite = terms[np.isfinite(terms)]
    # Rounding bound: the sum of n terms adds n * eps * sum |t_i| (Higham 2002, 4.2); each term
    # p log(p/r) carries an absolute error of a few eps * p from the log of a rounded ratio
    # (large next to the term itself when p ~ r), and the p sum to 1: + 4 eps.
    bound = terms.size * _EPS * float(np.sum(np.abs(finite))) + _TERM_EPS
    bound = bound if np.isfinite(value) else 0.0
    return Estimate(value, bound, 0, int(terms.size))


def _finish(est: Estimate, full_output: bool) -> float | Estimate:
    return est if full_output else est.value


def _plog(logp: float, logr: float) -> float:
    """``p * (log p - log r)`` from log-values, 0 where ``p`` is 0 in float64.

    ``0 * anything = 0`` also when ``p`` underflows: SciPy computes some log-densities as
    ``log(pdf)`` (the Laplace's is ``-inf`` beyond 745 scales), and ``0 * (finite + inf)`` must
    not become NaN where the mass is below what float64 represents.
    """
    p = math.exp(logp)
    return 0.0 if p == 0.0 else p * (logp - logr)


def _contained(p: Continuous, q: Continuous) -> bool:
    (pa, pb), (qa, qb) = p.support(), q.support()
    return qa <= pa and pb <= qb


def entropy(
    p: object, *, full_output: bool = False, atol: float = DEFAULT_ATOL, rtol: float = DEFAULT_RTOL
) -> float | Estimate:
    r"""Shannon entropy (discrete) or differential entropy (continuous), in nats.

    .. math:: H(p) = -\sum_x p(x) \log p(x) \qquad h(p) = -\int p(x) \log p(x)\,dx

    Parameters
    ----------
    p : Discrete, array_like or continuous distribution
        The distribution.
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` with the error bound.
    atol, rtol : float
        Accuracy requested from the quadrature (continuous only).

    Examples
    --------
    >>> bool(np.isclose(entropy([0.5, 0.5]), np.log(2), rtol=1e-15, atol=0))
    True
    >>> from scipy import stats
    >>> bool(np.isclose(entropy(stats.norm(0, 2)), stats.norm(0, 2).entropy(), rtol=1e-12, atol=0))
    True
    """
    kind, pv, _ = coerce_pair(p, p, ("p", "p"))
    if kind == "discrete":
        return _sum(special.entr(pv), full_output)
    pc = as_continuous(p, "p")
    est = integrate_pieces(
        lambda x, lg: -_plog(lg[0], 0.0), [pc], atol=atol, rtol=rtol, what="entropy"
    )
    return _finish(est, full_output)


def cross_entropy(
    p: object,
    q: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""Cross-entropy of ``q`` relative to ``p``, in nats (``inf`` when ``q = 0 < p``).

    .. math:: H(p, q) = -\sum_x p(x) \log q(x) = H(p) + \mathrm{KL}(p \,\|\, q)

    Examples
    --------
    >>> p, q = [0.5, 0.5], [0.25, 0.75]
    >>> bool(np.isclose(cross_entropy(p, q), entropy(p) + kl(p, q), rtol=1e-15, atol=0))
    True
    >>> from scipy import stats  # H(N(0,1), N(0,2^2)) = log(2 sqrt(2 pi)) + 1/8
    >>> closed_form = np.log(2 * np.sqrt(2 * np.pi)) + 1 / 8
    >>> bool(np.isclose(cross_entropy(stats.norm(0, 1), stats.norm(0, 2)), closed_form,
    ...                 rtol=0, atol=1e-12))
    True
    """
    kind, pv, qv = coerce_pair(p, q)
    if kind == "discrete":
        return _sum(-special.xlogy(pv, qv), full_output)
    if not _contained(pv, qv):
        return _finish(Estimate(math.inf, 0.0), full_output)
    est = integrate_pieces(
        lambda x, lg: _plog(lg[0], lg[1]) - _plog(lg[0], 0.0),  # -p log q
        [pv, qv], domain=pv.support(), atol=atol, rtol=rtol, what="cross-entropy",
    )
    return _finish(est, full_output)


def kl(
    p: object,
    q: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(p \,\|\, q)` in nats.

    .. math:: \mathrm{KL}(p \,\|\, q) = \sum_x p(x) \log\frac{p(x)}{q(x)}
              \quad\text{or}\quad \int p(x) \log\frac{p(x)}{q(x)}\,dx

    ``inf`` when ``p`` has mass where ``q`` has none (Kullback & Leibler 1951). Not symmetric.

    Parameters
    ----------
    p, q : Discrete, array_like, or continuous distributions
        Both discrete (same length) or both continuous.
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` ``(value, abserr, ...)``.
    atol, rtol : float
        Accuracy requested from the quadrature (continuous only).

    Raises
    ------
    TypeError
        For a discrete argument paired with a continuous one, or a non-distribution.
    ValueError
        For invalid probability vectors or a length mismatch.
    gantheory.quadrature.QuadratureError
        When the requested accuracy cannot be reached.

    Examples
    --------
    >>> from scipy import stats
    >>> p, q = [0.5, 0.5, 0.0], [0.25, 0.25, 0.5]
    >>> bool(np.isclose(kl(p, q), stats.entropy(p, q), rtol=1e-15, atol=0))
    True
    >>> kl(q, p)
    inf
    >>> closed_form = np.log(2.0) + (1.0 + 1.0) / (2 * 4.0) - 0.5  # KL(N(0,1) || N(1,2^2))
    >>> bool(np.isclose(kl(stats.norm(0, 1), stats.norm(1, 2)), closed_form, rtol=0, atol=1e-12))
    True
    """
    kind, pv, qv = coerce_pair(p, q)
    if kind == "discrete":
        return _sum(special.rel_entr(pv, qv), full_output)
    if not _contained(pv, qv):
        return _finish(Estimate(math.inf, 0.0), full_output)
    est = integrate_pieces(
        lambda x, lg: _plog(lg[0], lg[1]),
        [pv, qv], domain=pv.support(), atol=atol, rtol=rtol, what="KL divergence",
    )
    return _finish(est, full_output)


def jsd(
    p: object,
    q: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""Jensen-Shannon divergence in nats, :math:`0 \le \mathrm{JSD} \le \log 2`.

    .. math:: \mathrm{JSD}(p \,\|\, q) = \tfrac12 \mathrm{KL}(p \,\|\, m)
              + \tfrac12 \mathrm{KL}(q \,\|\, m), \qquad m = \tfrac12 (p + q)

    Always finite; ``log 2`` exactly when the supports are disjoint (Lin 1991). This is the
    divergence, i.e. ``scipy.spatial.distance.jensenshannon(p, q) ** 2``, not its square root.

    Examples
    --------
    >>> from scipy.spatial.distance import jensenshannon
    >>> p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    >>> bool(np.isclose(jsd(p, q), jensenshannon(p, q) ** 2, rtol=1e-12, atol=0))
    True
    >>> bool(jsd([1.0, 0.0], [0.0, 1.0]) == np.log(2))
    True
    """
    kind, pv, qv = coerce_pair(p, q)
    if kind == "discrete":
        m = 0.5 * (pv + qv)
        return _sum(0.5 * special.rel_entr(pv, m) + 0.5 * special.rel_entr(qv, m), full_output)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        lm = np.logaddexp(lp, lq) - _LOG2
        return 0.5 * _plog(lp, lm) + 0.5 * _plog(lq, lm)

    est = integrate_pieces(integrand, [pv, qv], atol=atol, rtol=rtol, what="JS divergence")
    return _finish(est, full_output)


def tv(
    p: object,
    q: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""Total variation distance, :math:`0 \le \mathrm{TV} \le 1`.

    .. math:: \mathrm{TV}(p, q) = \tfrac12 \sum_x |p(x) - q(x)|
              \quad\text{or}\quad \tfrac12 \int |p(x) - q(x)|\,dx

    For continuous densities the integral is split where the densities cross (the sign changes
    of :math:`\log p - \log q`), so that the kinks of :math:`|p - q|` sit at piece ends, where
    the quadrature's error estimate holds.

    Examples
    --------
    >>> tv([1.0, 0.0], [0.5, 0.5])
    0.5
    """
    kind, pv, qv = coerce_pair(p, q)
    if kind == "discrete":
        return _sum(0.5 * np.abs(pv - qv), full_output)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        return 0.5 * abs(math.exp(logs[0]) - math.exp(logs[1]))

    def crossing(logs: tuple[float, ...]) -> float:
        # |p - q| has a kink where the densities cross: the quadrature splits there
        lp, lq = logs
        return 0.0 if lp == lq else lp - lq

    est = integrate_pieces(
        integrand, [pv, qv], atol=atol, rtol=rtol, what="total variation", kinks=crossing
    )
    return _finish(est, full_output)
