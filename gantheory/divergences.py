r"""Entropy, cross-entropy, Kullback-Leibler and Jensen-Shannon divergences, total variation.

All quantities are in **nats**. Each function accepts a pair of discrete distributions
(:class:`~gantheory.Discrete` or 1-D probability arrays of equal length) or a pair of continuous
ones (scipy.stats frozen 1-D continuous distributions or :class:`~gantheory.Mixture`).

* Discrete: exact sums with ``scipy.special`` (``entr``, ``rel_entr``, ``xlogy``), so
  ``0 log 0 = 0`` and ``KL(p || q) = inf`` when ``q = 0 < p``. Frozen scipy.stats discrete
  distributions (``binom``, ``poisson``, ``geom``, ...) are accepted too, aligned on the union of
  their support points (a probability vector of length ``n`` is on ``{0, ..., n - 1}``): finite
  supports are summed whole; an infinite one is summed until the mass left is at most 1e-300,
  and the bound on what the omitted tail can add is part of ``abserr`` (see
  :mod:`gantheory._discrete_scipy`). A sum whose tail bound exceeds ``atol + rtol * |value|``
  raises :class:`~gantheory.QuadratureError`.
* Continuous: :mod:`gantheory.quadrature` on integrands built from log-densities
  (``logaddexp`` for the mixture ``m = (p + q)/2``), never from ratios of densities that
  underflow. ``full_output=True`` returns an :class:`~gantheory.quadrature.Estimate`
  ``(value, abserr, ...)`` instead of a float; for discrete input ``abserr`` is a bound on the
  rounding error of the sum (plus the tail bound above).

``atol`` and ``rtol`` are validated for every input (finite, non-negative, not both 0), also
where an exact sum leaves them unused.

``jsd`` is the *divergence* :math:`\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)`, bounded by
:math:`\log 2` (Lin 1991) — not ``scipy.spatial.distance.jensenshannon``, which returns its
square root.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from gantheory._discrete_scipy import (
    Pair,
    describe_pair_source,
    edge_factor,
    omitted_bound,
    underflow_point,
)
from gantheory._numerics import log_ratio, plog, rounding_bound, softplus
from gantheory._validation import check_tolerances
from gantheory.distributions import Continuous, as_continuous, coerce_pair
from gantheory.quadrature import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    Estimate,
    QuadratureError,
    integrate_pieces,
)

__all__ = ["cross_entropy", "entropy", "jsd", "kl", "tv"]

_LOG2 = math.log(2.0)
_EPS = float(np.finfo(np.float64).eps)


def discrete_estimate(
    pair: Pair, terms: np.ndarray, tail: float, what: str, atol: float, rtol: float,
    full_output: bool,
) -> float | Estimate:
    """The sum of ``terms`` over ``pair``'s points, with its rounding and tail bounds.

    ``tail`` bounds what the points a cut tail leaves out can add. When that bound exceeds
    ``atol + rtol * |value|`` the sum cannot meet the request: :class:`QuadratureError`.
    """
    value = float(np.sum(terms))
    if not math.isfinite(value):
        return Estimate(value, 0.0, 0, int(terms.size)) if full_output else value
    if tail > atol + rtol * abs(value):
        p, q = (describe_pair_source(v) for v in pair.sources)
        raise QuadratureError(
            f"the {what} of {p} and {q} cannot be summed to the requested accuracy: the"
            f" {terms.size} points summed leave masses {pair.omitted[0]:.3g} and"
            f" {pair.omitted[1]:.3g} in the tails, which can add up to {tail:.3g} > tolerance"
            f" {atol + rtol * abs(value):.3g} (atol={atol:g}, rtol={rtol:g}); pass a larger atol"
            " or rtol to accept that bound"
        )
    if not full_output:
        return value
    return Estimate(value, rounding_bound(terms) + tail, 0, int(terms.size))


def _finish(est: Estimate, full_output: bool) -> float | Estimate:
    return est if full_output else est.value


def _plog(logp: float, logr: float) -> float:
    """``p log(p / r)`` from log-values (see :func:`gantheory._numerics.plog`): 0 where ``p`` is
    0 in float64, 0 where ``r = p`` (also both infinite), ``+inf`` where ``p > 0 = r``."""
    return plog(logp, log_ratio(logp, logr))


def _from_logs(terms: np.ndarray, pair: Pair, term: object, what: str) -> None:
    """Recompute, from the log-masses, the terms where ``q``'s mass underflows to 0 in ``pmf``
    but not in ``logpmf`` (scipy.stats distributions far in a tail): there ``terms`` is a wrong
    ``inf``. Where ``logpmf`` underflows too, refuse rather than return that ``inf``."""
    if pair.points is None:
        return
    k = underflow_point(pair)
    if k is not None:
        p, q = (describe_pair_source(v) for v in pair.sources)
        raise ValueError(
            f"the {what} of {p} and {q} cannot be computed in float64: scipy.stats gives {q} a"
            f" log-mass of -inf at {pair.points[k]:g}, inside its support, where {p} has mass"
            f" {pair.p[k]:.3g}; the term p log(p/q) there is finite if that mass of {q} only"
            " underflows, infinite if it is 0"
        )
    idx = np.flatnonzero((pair.p > 0) & (pair.q == 0) & np.isfinite(pair.logq))
    if idx.size:
        terms[idx] = term(idx)  # type: ignore[operator]


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
        Accuracy requested from the quadrature, or from the tail of an infinite discrete
        support; validated for every input.

    Examples
    --------
    >>> bool(np.isclose(entropy([0.5, 0.5]), np.log(2), rtol=1e-15, atol=0))
    True
    >>> from scipy import stats
    >>> bool(np.isclose(entropy(stats.norm(0, 2)), stats.norm(0, 2).entropy(), rtol=1e-12, atol=0))
    True
    """
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, p, ("p", "p"))
    if pair.kind == "discrete":
        pv = pair.p
        terms = special.entr(pv)
        tail = pair.omitted[0] * (2 * edge_factor(pair.logp, pair.logp) + 1)
        return discrete_estimate(pair, terms, tail, "entropy", atol, rtol, full_output)
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
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        terms = -special.xlogy(pv, qv)
        _from_logs(terms, pair, lambda i: -pv[i] * pair.logq[i], "cross-entropy")
        tail = pair.omitted[0] * (2 * edge_factor(pair.logq, pair.logp) + 1)
        return discrete_estimate(pair, terms, tail, "cross-entropy", atol, rtol, full_output)
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
        Accuracy requested from the quadrature, or from the tail of an infinite discrete
        support; validated for every input (finite, >= 0, not both 0).

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
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        terms = special.rel_entr(pv, qv)
        _from_logs(terms, pair, lambda i: pv[i] * (pair.logp[i] - pair.logq[i]), "KL divergence")
        with np.errstate(invalid="ignore"):
            tail = pair.omitted[0] * (2 * edge_factor(pair.logp - pair.logq, pair.logp) + 1)
        return discrete_estimate(pair, terms, tail, "KL divergence", atol, rtol, full_output)
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

    Raises
    ------
    ValueError
        When the integral of two continuous densities exceeds :math:`\log 2` by more than its
        error bound: possible only for densities that do not integrate to 1.

    Examples
    --------
    >>> from scipy.spatial.distance import jensenshannon
    >>> p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    >>> bool(np.isclose(jsd(p, q), jensenshannon(p, q) ** 2, rtol=1e-12, atol=0))
    True
    >>> bool(jsd([1.0, 0.0], [0.0, 1.0]) == np.log(2))
    True
    """
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        # p log(p / m) = p log(2 p / (p + q)): m = (p + q) / 2 underflows to 0 for p + q = 5e-324
        s = pv + qv
        s = np.where(s > 0, s, 1.0)
        terms = 0.5 * (special.xlogy(pv, 2 * (pv / s)) + special.xlogy(qv, 2 * (qv / s)))
        tail = omitted_bound(pair, 0.5 * _LOG2)
        return discrete_estimate(pair, terms, tail, "JS divergence", atol, rtol, full_output)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        # log(p / m) = log 2 - softplus(log q - log p): log 2 where q = 0 < p, and finite where
        # p is infinite and q is not (logaddexp would give inf - inf)
        lp, lq = logs
        return 0.5 * (
            plog(lp, _LOG2 - softplus(log_ratio(lq, lp)))
            + plog(lq, _LOG2 - softplus(log_ratio(lp, lq)))
        )

    est = integrate_pieces(integrand, [pv, qv], atol=atol, rtol=rtol, what="JS divergence")
    _check_log2_bound(est, pv, qv)
    return _finish(est, full_output)


def _check_log2_bound(est: Estimate, p: Continuous, q: Continuous) -> None:
    r"""Refuse a JSD above :math:`\log 2`: the integrand is at most
    :math:`\tfrac12 (p + q) \log 2` pointwise (see :func:`_check_upper_bound`)."""
    _check_upper_bound(est, p, q, "JS divergence", _LOG2, "log 2", "(p + q) log 2 / 2")


def _check_upper_bound(est: Estimate, p: Continuous, q: Continuous, what: str, bound: float,
                       bound_text: str, envelope: str) -> None:
    """Refuse a value above ``bound`` beyond its error bound and 16 eps of rounding of the sum
    (``inf`` included): the integrand is at most ``bound / 2`` times ``p + q`` pointwise, so such
    a value can only come from densities whose masses add up to more than 2, never from
    probability densities."""
    if not est.value > bound + est.abserr + 16 * _EPS:
        return
    mass = 2.0 * (est.value - est.abserr) / bound
    raise ValueError(
        f"the {what} of `p` = {p!r} and `q` = {q!r} came out as {est.value:.6g} (error"
        f" bound {est.abserr:.3g}), above its bound {bound_text} = {bound:.6f}: the integrand is"
        f" at most {envelope} pointwise, so the two densities have a total mass of at least"
        f" {mass:.3g} instead of 2; the log-density of `p` or `q` does not integrate to 1"
    )


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
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        tail = omitted_bound(pair, 0.5)
        terms = 0.5 * np.abs(pv - qv)
        return discrete_estimate(pair, terms, tail, "total variation", atol, rtol, full_output)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        return 0.5 * abs(math.exp(logs[0]) - math.exp(logs[1]))

    def crossing(logs: tuple[float, ...]) -> float:
        # |p - q| has a kink where the densities cross: the quadrature splits there
        lp, lq = logs
        return 0.0 if lp == lq else lp - lq

    est = integrate_pieces(
        integrand, [pv, qv], atol=atol, rtol=rtol, what="total variation", kinks=crossing
    )
    _check_upper_bound(est, pv, qv, "total variation", 1.0, "1", "(p + q) / 2")
    return _finish(est, full_output)
