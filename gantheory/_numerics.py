r"""Float64 building blocks shared by the divergences, the game and the checks.

* :func:`plog` — the term :math:`p \cdot y` of every functional (:math:`p \log(p/q)`,
  :math:`p \log D`, :math:`-p\,\zeta(\ell)`, ...) from :math:`\log p`, exact at the edges:
  0 where :math:`p` is 0 in float64, whatever :math:`y` is (:math:`0 \log 0 = 0`), and
  :math:`\pm\infty` where :math:`p > 0` and :math:`y` is infinite.
* :func:`log_ratio` and :func:`softplus` — the factors those terms are built from, computed on
  Python floats (no NumPy floating-point trap) and defined where both logs are infinite.
* :func:`rounding_bound` — a bound on the rounding error of an exact sum of such terms.
* :func:`ulps` — a few units in the last place of the values a check compares.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EPS", "TERM_EPS", "log_ratio", "plog", "rounding_bound", "softplus", "ulps"]

#: float64 machine epsilon.
EPS: float = float(np.finfo(np.float64).eps)
#: Absolute rounding of the terms ``p log(.)`` summed over a probability vector: each carries an
#: error of a few eps * p from the log of a rounded ratio (large next to the term itself when the
#: ratio is near 1), and the p sum to 1.
TERM_EPS: float = 4 * EPS
#: log of the largest float64: ``exp`` of more overflows.
_LOG_MAX = math.log(np.finfo(np.float64).max)


def plog(logp: float, y: float) -> float:
    r"""``p * y`` with ``p = exp(logp)``; 0 where ``p`` is 0 in float64.

    .. math:: \mathrm{plog}(\log p, y) = p\,y, \qquad 0 \cdot y = 0 \text{ for every } y

    ``0 * y = 0`` also for ``y = ±inf`` (``0 log 0 = 0``) and where ``p`` underflows
    (``logp < -745``): such a point carries no mass float64 can represent. ``y = 0`` gives 0
    even where ``p`` is infinite (``log 1 = 0`` at a singular point shared by two equal
    densities). Where ``p`` is infinite (``logp = +inf``, an integrable singularity) and ``y``
    is not 0, the result is ``±inf`` by the sign of ``y``. NaN only for a NaN ``y``.

    Parameters
    ----------
    logp : float
        The log-density or log-mass :math:`\log p` (``-inf`` for 0).
    y : float
        The factor: a log-ratio, ``log D``, ``-softplus(l)``, ...

    Examples
    --------
    >>> plog(math.log(0.5), math.log(2.0)) == 0.5 * math.log(2.0)
    True
    >>> plog(-math.inf, -math.inf), plog(-800.0, 3.0), plog(0.0, -math.inf)
    (0.0, 0.0, -inf)
    """
    logp, y = float(logp), float(y)
    if y == 0.0 or logp == -math.inf:
        return 0.0
    p = math.exp(logp) if logp < _LOG_MAX else math.inf
    return 0.0 if p == 0.0 else p * y


def log_ratio(loga: float, logb: float) -> float:
    """``log(a / b) = log a - log b``, and 0 where the two are equal, including both ``-inf``
    (both densities vanish) and both ``+inf`` (a singular point the two share): there the ratio
    is taken as 1, the convention under which ``D* = 1/2`` (see
    :func:`gantheory.optimal_discriminator`).

    Examples
    --------
    >>> log_ratio(math.inf, math.inf), log_ratio(-math.inf, 0.0), log_ratio(0.5, 0.25)
    (0.0, -inf, 0.25)
    """
    a, b = float(loga), float(logb)
    return 0.0 if a == b else a - b


def softplus(z: float) -> float:
    r"""``log(1 + e^z)`` without overflow: :math:`-\log D = \zeta(-\ell)` for a logit ``l``.

    Examples
    --------
    >>> softplus(0.0) == math.log(2.0), softplus(1000.0), softplus(-math.inf), softplus(math.inf)
    (True, 1000.0, 0.0, inf)
    """
    z = float(z)
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def rounding_bound(terms: np.ndarray) -> float:
    r"""Bound on the rounding error of ``sum(terms)`` for terms ``p log(.)`` with ``sum p = 1``.

    .. math:: n\,\varepsilon \sum_i |t_i| + 4\varepsilon

    The first part bounds the recursive sum of ``n`` terms (Higham 2002, Section 4.2); the second
    the per-term logs (:data:`TERM_EPS`). Infinite terms are left out: the sum is then infinite
    and its error 0.

    Examples
    --------
    >>> bool(rounding_bound(np.array([0.1, 0.2])) == 2 * EPS * 0.30000000000000004 + 4 * EPS)
    True
    """
    terms = np.asarray(terms, dtype=np.float64)
    finite = terms[np.isfinite(terms)]
    return terms.size * EPS * float(np.sum(np.abs(finite))) + TERM_EPS


def ulps(*values: float) -> float:
    """``8 eps max(1, |v|...)`` over the finite ``values``: the rounding allowed for constants
    (``log 4``, ``log 2``) and one addition next to the compared values.

    Examples
    --------
    >>> ulps(0.5) == 8 * EPS, ulps(-4.0, math.inf) == 32 * EPS
    (True, True)
    """
    return 8 * EPS * max([1.0, *(abs(v) for v in values if math.isfinite(v))])
