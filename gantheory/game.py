r"""The two-player game of Goodfellow et al. (2014): value function, optimal discriminator, C(G).

.. math::

    V(G, D) = \mathbb{E}_{x \sim p_{data}} \log D(x) + \mathbb{E}_{x \sim p_g} \log(1 - D(x))

(Goodfellow et al. 2014, eq. 1, written with the generator's distribution :math:`p_g`, as in
their eq. 3/5 and in the blog post "Mathematical ideas in GAN", 2017, eq. 5). For a fixed
generator the maximiser is :math:`D^*_G = p_{data} / (p_{data} + p_g)` (Proposition 1), and
:math:`C(G) = V(G, D^*_G) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \| p_g)` (Theorem 1).

Every function accepts a discrete pair (:class:`~gantheory.Discrete`, probability arrays, or
frozen scipy.stats discrete distributions, aligned on their support points as in
:mod:`gantheory.divergences`) or a continuous pair (scipy.stats frozen distributions or
:class:`~gantheory.Mixture`). A discriminator is an array of values in [0, 1] over the points of
two probability vectors, or a vectorized callable returning values in [0, 1]; with ``logit=True``
(or a callable carrying a ``.logit`` method) it gives the logit
:math:`\ell = \log(D / (1 - D))` instead, which is exact where :math:`D` rounds to 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory._discrete_scipy import Pair, edge_factor, is_scipy_discrete
from gantheory._numerics import log_ratio, plog, softplus
from gantheory._validation import (
    check_finite_array,
    check_tolerances,
    check_unit_interval,
    describe,
)
from gantheory.distributions import Continuous, coerce_pair
from gantheory.divergences import discrete_estimate
from gantheory.objectives import GOODFELLOW, Objective, get_objective
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
    """``(log D*, log(1 - D*))`` from the two log-densities, as ``-softplus`` of the log-ratios:
    ``D* = 1/2`` where both vanish or both are infinite, exact where ``D*`` rounds to 0 or 1."""
    return -softplus(log_ratio(lq, lp)), -softplus(log_ratio(lp, lq))


def optimal_discriminator(
    p_data: object, p_g: object, *, objective: str | Objective = "goodfellow"
) -> np.ndarray | Callable[..., np.ndarray]:
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
    objective : str or Objective
        The game (see :mod:`gantheory.objectives`); by default Goodfellow et al.'s. For another
        objective the result is its :math:`D^*` computed from the log-densities by
        :meth:`~gantheory.objectives.Objective.maximiser` (a probability, with ``.logit``, or a
        critic value), with the same convention where both densities vanish: the value of
        :math:`D^*` at :math:`p_{data} = p_g`.

    Returns
    -------
    numpy.ndarray or callable
        For two probability vectors, the read-only array :math:`D^*` of shape ``(n,)``; it
        carries its exact logit :math:`\log p_{data} - \log p_g` as ``.logit`` (an array), which
        :func:`value` uses where :math:`D^*` rounds to 0 or 1 (a mass below 1e-16 of the other).
        For a pair with a scipy.stats discrete distribution, a vectorized function ``D(k)`` of
        the support points ``k`` (integers, or ``loc`` + integers), 1/2 off both supports. For
        a continuous pair, a vectorized function ``D(x)`` computed as
        ``expit(log p_data(x) - log p_g(x))`` (no underflow far in the tails). Both functions
        carry their exact logit as the method ``.logit``.

    Examples
    --------
    >>> optimal_discriminator([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])
    array([0.66666667, 0.66666667, 0.        ])
    >>> from scipy import stats
    >>> d = optimal_discriminator(stats.norm(0, 1), stats.norm(0, 1))
    >>> d(np.array([-3.0, 0.0, 40.0]))
    array([0.5, 0.5, 0.5])
    >>> d = optimal_discriminator(stats.binom(2, 0.5), stats.bernoulli(0.5))  # on {0, 1, 2}
    >>> d(np.array([0, 1, 2]))
    array([0.33333333, 0.5       , 1.        ])
    >>> optimal_discriminator([0.5, 0.5, 0.0], [0.25, 0.25, 0.5], objective="hinge")
    array([ 1.,  1., -1.])
    """
    obj = get_objective(objective)
    pair = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    kind, p, q = pair
    if obj._pair_dstar is not None:
        return obj._pair_dstar(p_data, p_g)
    if obj is not GOODFELLOW:
        return _objective_dstar(obj, pair)
    if kind == "continuous":
        return _DStar(p.logpdf, q.logpdf, f"{p!r}, {q!r}", pair=(p, q))
    if pair.points is not None:
        src = pair.sources
        return _DStar(_log_mass(src[0]), _log_mass(src[1]), f"{src[0]!r}, {src[1]!r}")
    total = p + q
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(total > 0, p / np.where(total > 0, total, 1.0), 0.5)
    return _DiscreteDStar(d, _logit_array(pair.logp, pair.logq))


def _objective_dstar(obj: Objective, pair: Pair) -> np.ndarray | Callable[..., np.ndarray]:
    """D* of another objective than Goodfellow et al.'s, for any pair."""
    kind, p, q = pair
    if kind == "continuous":
        return _ObjectiveDStar(obj, p.logpdf, q.logpdf, f"{p!r}, {q!r}", pair=(p, q))
    if pair.points is not None:
        src = pair.sources
        return _ObjectiveDStar(obj, _log_mass(src[0]), _log_mass(src[1]),
                               f"{src[0]!r}, {src[1]!r}")
    m = obj.maximiser(pair.logp, pair.logq)
    if obj.is_probability:
        m.setflags(write=False)
        return _DiscreteDStar(special.expit(m), m)
    m.setflags(write=False)
    return m


def _logit_array(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """``log p - log q``, 0 where both are ``-inf`` (the D* = 1/2 convention)."""
    with np.errstate(invalid="ignore"):
        out = np.where(lp == lq, 0.0, lp - lq)
    out.setflags(write=False)
    return out


class _DiscreteDStar(np.ndarray):
    """D* of two probability vectors: a read-only array carrying its exact logit ``.logit``.

    Arrays derived from it (``1 - d``, ``d[1:]``, ``d.copy()``) are plain arrays without a logit,
    so that :func:`value` never applies the logit of D* to another discriminator.
    """

    logit: np.ndarray | None

    def __new__(cls, d: np.ndarray, logit: np.ndarray) -> _DiscreteDStar:
        obj = np.asarray(d, dtype=np.float64).view(cls)
        obj.logit = logit
        obj.setflags(write=False)
        return obj

    def __array_finalize__(self, obj: object) -> None:
        self.logit = None

    def __array_wrap__(self, arr, context=None, return_scalar=False):  # type: ignore[no-untyped-def]
        out = np.asarray(arr)
        return out[()] if return_scalar else out

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (np.asarray, (np.asarray(self),))

    def __repr__(self) -> str:
        return repr(np.asarray(self))


def _log_mass(src: object) -> Callable[[np.ndarray], np.ndarray]:
    """The log-mass at arbitrary points of a probability vector (on ``{0, ..., n - 1}``) or of a
    scipy.stats discrete distribution."""
    if is_scipy_discrete(src):
        return src.logpmf  # type: ignore[attr-defined,no-any-return]
    v = np.asarray(src)

    def logpmf(k: np.ndarray) -> np.ndarray:
        k = np.asarray(k, dtype=np.float64)
        on = (k == np.floor(k)) & (k >= 0) & (k < v.size)
        idx = np.where(on, k, 0).astype(np.intp)
        with np.errstate(divide="ignore"):
            return np.where(on, np.log(v[idx]), -np.inf)

    return logpmf


class _DStar:
    """Vectorized :math:`D^*` from two log-density (or log-mass) functions, with its exact logit
    for :func:`value`."""

    def __init__(
        self, logp: Callable[..., npt.ArrayLike], logq: Callable[..., npt.ArrayLike], what: str,
        pair: tuple[Continuous, Continuous] | None = None,
    ) -> None:
        self._logp, self._logq, self._what = logp, logq, what
        self.pair = pair  # the continuous pair it is optimal for
        self.__doc__ = f"Optimal discriminator D*(x) for p_data, p_g = {what}."

    def is_optimal_for(self, p: Continuous, q: Continuous) -> bool:
        """Whether this is D* of the continuous pair ``(p, q)`` (the same distributions)."""
        return self.pair is not None and (self.pair[0].source is p.source) and (
            self.pair[1].source is q.source
        )

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """``log p_data(x) - log p_g(x)`` (``±inf`` where one density vanishes or is infinite, 0
        where both vanish or both are infinite)."""
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore"):
            lp, lq = np.asarray(self._logp(x)), np.asarray(self._logq(x))
        # both 0, or both infinite (a shared singular point such as 0 for two Beta(1/2, b)):
        # a single point, of no mass, where D* takes the convention value 1/2
        return _logit_array(lp, lq)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        return special.expit(self.logit(x))

    def __repr__(self) -> str:
        return f"optimal_discriminator({self._what})"


class _ObjectiveDStar:
    """Vectorized D* of an objective from two log-density (or log-mass) functions: a
    probability with its ``.logit``, or a critic value (:meth:`Objective.maximiser`)."""

    def __init__(
        self, obj: Objective, logp: Callable[..., npt.ArrayLike],
        logq: Callable[..., npt.ArrayLike], what: str,
        pair: tuple[Continuous, Continuous] | None = None,
    ) -> None:
        self.objective, self._logp, self._logq, self._what = obj, logp, logq, what
        self.pair = pair
        self.__doc__ = f"Optimal discriminator D*(x) of {obj.title} for p_data, p_g = {what}."
        if obj.is_probability:
            self.logit = self._maximiser  # type: ignore[method-assign]

    def is_optimal_for(self, obj: Objective, p: Continuous, q: Continuous) -> bool:
        """Whether this is D* of ``obj`` for the continuous pair ``(p, q)``."""
        return obj is self.objective and self.pair is not None and (
            self.pair[0].source is p.source) and (self.pair[1].source is q.source)

    def _maximiser(self, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore"):
            lp, lq = np.asarray(self._logp(x), float), np.asarray(self._logq(x), float)
        return self.objective.maximiser(lp, lq)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        m = self._maximiser(x)
        return special.expit(m) if self.objective.is_probability else m

    def __repr__(self) -> str:
        return f"optimal_discriminator({self._what}, objective={self.objective.title!r})"


def _discrete_d(d: Discriminator, pair: Pair, logit: bool) -> tuple[np.ndarray, bool]:
    """The discriminator at the points of a discrete pair: ``(values, are_logits)``."""
    n = pair.p.size  # type: ignore[attr-defined]
    points = np.arange(float(n)) if pair.points is None else pair.points
    fn = getattr(d, "logit", None)
    if callable(d):
        if logit or callable(fn):
            return _call_points(fn if callable(fn) and not logit else d, points, "D"), True
        return check_unit_interval(_call_points(d, points, "D"), "D"), False
    if pair.points is not None:
        raise TypeError(
            "`D` must be a vectorized callable of the support points when a scipy.stats discrete"
            f" distribution is involved (got {describe(d)}); an array has no points to go with"
        )
    if isinstance(fn, np.ndarray) and not logit:
        d = fn
        logit = True
    arr = np.asarray(d, dtype=np.float64) if not isinstance(d, str) else None
    if arr is None or arr.shape != (n,):
        shape = getattr(arr, "shape", None)
        raise ValueError(f"`D` must be an array of shape ({n},) (got shape {shape}: {describe(d)})")
    if logit:
        if np.isnan(arr).any():
            i = int(np.flatnonzero(np.isnan(arr))[0])
            raise ValueError(f"`D` (logits) must not be NaN (got NaN at index {i})")
        return arr, True
    return check_unit_interval(arr, "D"), False


def _call_points(fn: Callable[..., npt.ArrayLike], points: np.ndarray, name: str) -> np.ndarray:
    y = np.asarray(fn(points), dtype=np.float64).reshape(-1)
    if y.size != points.size:
        raise ValueError(
            f"`{name}` must return one value per input point (got {y.size} values for"
            f" {points.size} points)"
        )
    if np.isnan(y).any():
        k = points[int(np.flatnonzero(np.isnan(y))[0])]
        raise ValueError(f"`{name}` returned NaN at x = {float(k)!r}")
    return y


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


def _rounded(
    x: float, dx: float, logdens: float, *, where: str, quantity: str, noun: str = "density"
) -> ValueError:
    """The error for a probability-valued D that is exactly 0 or 1 where a density has mass."""
    term = "log D" if dx == 0.0 else "log(1 - D)"
    at = f"x = {x!r}" if noun == "density" else f"the point {x:g}"
    return ValueError(
        f"`D` returned {dx!r} at {at}, where {where} has {noun} {math.exp(logdens):.3g}"
        f" (log {noun} {logdens:.6g}): {term} = -inf there and {quantity} would be infinite."
        " If D only rounds to 0 or 1 there (a sigmoid of a large logit does), pass its logit"
        " instead: logit=True with l(x) = log(D(x) / (1 - D(x))) in place of D, or give D a"
        " .logit method; a logit of -inf or +inf states that D is exactly 0 or 1"
    )


def _log_d(dx: float, is_logit: bool) -> tuple[float, float]:
    """``(log D, log(1 - D))`` from a probability or, exactly, from a logit."""
    if is_logit:  # log D = -softplus(-l), log(1 - D) = -softplus(l)
        return -softplus(-dx), -softplus(dx)
    return (math.log(dx) if dx > 0 else -math.inf), (math.log1p(-dx) if dx < 1 else -math.inf)


def _log_d_array(d: np.ndarray, is_logit: bool) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        if is_logit:
            return -np.logaddexp(0.0, -d), -np.logaddexp(0.0, d)
        return np.log(d), np.log1p(-d)


def _weighted(mass: np.ndarray, log_factor: np.ndarray) -> np.ndarray:
    """``mass * log_factor`` with ``0 * (-inf) = 0`` (0 log 0 = 0)."""
    with np.errstate(invalid="ignore"):
        return np.where(mass > 0, mass * log_factor, 0.0)


def _check_points(
    pair: Pair, d: np.ndarray, checks: tuple[tuple[float, str], ...], quantity: str
) -> None:
    """Refuse a probability-valued callable D that equals ``bad`` where the distribution
    ``where`` ("p_data": ``pair.p``, "p_g": ``pair.q``) has mass, for each ``(bad, where)``."""
    points = np.arange(float(d.size)) if pair.points is None else pair.points
    for bad, where in checks:
        mass, logm = (pair.p, pair.logp) if where == "p_data" else (pair.q, pair.logq)
        hit = np.flatnonzero((d == bad) & (mass > 0))
        if hit.size:
            i = int(hit[0])
            raise _rounded(
                float(points[i]), float(d[i]), float(logm[i]), where=where, quantity=quantity,
                noun="mass",
            )


_LOGIT_DOC = """
    D as logits
        ``D(x)`` is a probability, and float64 rounds :math:`\\sigma(\\ell)` to exactly 0 for
        :math:`\\ell < -745` and to 1 for :math:`\\ell > 37`: there :math:`\\log D` or
        :math:`\\log(1 - D)` is ``-inf`` although the true term is finite. Give the
        discriminator as its logit :math:`\\ell = \\log(D / (1 - D))` instead, in either form:

        * ``logit=True``: ``D`` itself returns (or, for two probability vectors, is) the logits;
        * a callable ``D`` with a method ``D.logit(x)`` returning the logits (the protocol of
          :func:`optimal_discriminator` and of :meth:`gantheory.gan.GAN.discriminator`), or the
          array returned by :func:`optimal_discriminator`, which carries ``.logit``.

        The terms are then :math:`\\log D = -\\zeta(-\\ell)` and
        :math:`\\log(1 - D) = -\\zeta(\\ell)` (:math:`\\zeta` the softplus), exact for every
        logit; a logit of ``-inf`` (``+inf``) states that D is exactly 0 (1). A callable D given
        as probabilities that returns exactly 0 where the weighting density is positive (or 1
        where it must be below 1) raises ``ValueError`` with the point and the densities: it
        cannot be told whether D is 0 there or only rounds to 0, and the answer would be a
        silent infinity.
"""


def value(
    p_data: object,
    p_g: object,
    D: Discriminator,
    *,
    objective: str | Objective = "goodfellow",
    logit: bool = False,
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
        The discriminator: an array of values in [0, 1] over the points of two probability
        vectors, or a vectorized callable ``D(x)`` (called on arrays of points; for a
        scipy.stats discrete distribution, on its support points). If it has a ``.logit``
        method (or is the array of :func:`optimal_discriminator`), its logits are used.
    objective : str or Objective
        The game (see :mod:`gantheory.objectives`); by default Goodfellow et al.'s. Another
        objective gives :math:`\int p_{data}\, u(D) + p_g\, w(D)` with its data and generated
        terms; a critic-valued objective takes ``D`` as the critic's values (any reals), and
        ``logit`` must be False.
    logit : bool
        ``D`` gives the logit :math:`\ell = \log(D / (1 - D))` in :math:`[-\infty, \infty]`
        rather than :math:`D` (see *D as logits* below).
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` with the error bound.
    atol, rtol : float
        Accuracy requested from the quadrature (or from the tail of an infinite discrete
        support); validated for every input.

    Returns
    -------
    float
        :math:`V(G, D) \le C(G)`. ``-inf`` where the mathematics gives it: an array ``D`` is
        taken as exact, so ``D = 0`` where the data has mass or ``D = 1`` where the generator
        has mass gives ``-inf`` (``0 log 0`` counts as 0); so does a logit of ``-inf`` where the
        data has mass. Where a density itself underflows to 0 the term is 0. Never NaN.
    {logit_doc}
    Raises
    ------
    ValueError
        If ``D`` has the wrong shape or returns NaN or values outside [0, 1]; if a callable
        ``D`` given as probabilities returns exactly 0 where ``p_data`` has mass or 1 where
        ``p_g`` has mass (the message names the point, the density there and the remedy); for
        invalid ``atol``/``rtol``.
    TypeError
        For an array ``D`` with continuous distributions or a scipy.stats discrete one.

    Examples
    --------
    >>> p, q = [0.5, 0.5], [0.9, 0.1]
    >>> v_half = value(p, q, [0.5, 0.5])
    >>> bool(np.isclose(v_half, -np.log(4), rtol=1e-15, atol=0))
    True
    >>> value(p, q, [0.0, 0.5])
    -inf
    >>> value(p, q, [0.0, 0.0], logit=True) == v_half  # logit 0 is D = 1/2
    True
    >>> from scipy import stats
    >>> value(stats.uniform(0, 1), stats.uniform(0, 1), lambda x: np.zeros_like(x))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `D` returned 0.0 at x = ..., where p_data has density 1 (log density 0): ...
    >>> value(stats.uniform(0, 1), stats.uniform(0, 1), lambda x: np.full_like(x, -np.inf),
    ...       logit=True)
    -inf
    """
    atol, rtol = check_tolerances(atol, rtol)
    if not isinstance(logit, bool | np.bool_):
        raise TypeError(f"`logit` must be True or False (got {describe(logit)})")
    obj = get_objective(objective)
    if logit and not obj.is_probability:
        raise ValueError(
            f"`logit=True` needs a probability-valued objective; {obj.title} has a critic whose"
            " values are the raw outputs"
        )
    pair = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    kind, p, q = pair
    if obj is not GOODFELLOW:
        return _objective_value(obj, pair, D, bool(logit), atol, rtol, full_output)
    if kind == "discrete":
        d, is_logit = _discrete_d(D, pair, bool(logit))
        if callable(D) and not is_logit:
            _check_points(pair, d, ((0.0, "p_data"), (1.0, "p_g")), "V(G, D)")
        log_d, log_1md = _log_d_array(d, is_logit)
        terms = _weighted(p, log_d) + _weighted(q, log_1md)
        tail = pair.omitted[0] * (2 * edge_factor(log_d, pair.logp) + 1)
        tail += pair.omitted[1] * (2 * edge_factor(log_1md, pair.logq) + 1)
        return discrete_estimate(pair, terms, tail, "value V(G, D)", atol, rtol, full_output)
    if not callable(D):
        raise TypeError(
            f"`D` must be a vectorized callable for continuous distributions (got {describe(D)})"
        )
    fn, is_logit, name = _continuous_d(D, bool(logit))
    # D* of this very pair: its logit log p - log q from the log-densities the quadrature passes,
    # which are exact at a distance t from a singular point where x itself rounds onto it
    own = isinstance(D, _DStar) and not logit and D.is_optimal_for(p, q)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        if lp == -math.inf and lq == -math.inf:
            return 0.0
        dx = float(_logit_array(np.array(lp), np.array(lq))) if own else _call_at(fn, x, name)
        if not is_logit:
            if not 0.0 <= dx <= 1.0:
                raise ValueError(f"`D` must return values in [0, 1] (got {dx!r} at x = {x!r})")
            if dx == 0.0 and plog(lp, 1.0) > 0:
                raise _rounded(x, dx, lp, where="p_data", quantity="V(G, D)")
            if dx == 1.0 and plog(lq, 1.0) > 0:
                raise _rounded(x, dx, lq, where="p_g", quantity="V(G, D)")
        log_d, log_1md = _log_d(dx, is_logit)
        return plog(lp, log_d) + plog(lq, log_1md)

    est = integrate_pieces(integrand, [p, q], atol=atol, rtol=rtol, what="value V(G, D)")
    return est if full_output else est.value


value.__doc__ = (value.__doc__ or "").replace("{logit_doc}", _LOGIT_DOC)


def _objective_value(
    obj: Objective, pair: Pair, D: Discriminator, logit: bool, atol: float, rtol: float,
    full_output: bool,
) -> float | Estimate:
    """V(G, D) of another objective than Goodfellow et al.'s: the mean of its data term under
    p_data plus the mean of its generated term under p_g."""
    kind, p, q = pair
    what = f"value V(G, D) of {obj.title}"
    if kind == "discrete":
        if obj.is_probability:
            d, is_logit = _discrete_d(D, pair, logit)
            if callable(D) and not is_logit:
                _check_points(pair, d, ((0.0, "p_data"), (1.0, "p_g"), (0.0, "p_g"),
                                        (1.0, "p_data")), "V(G, D)")
        else:
            d, is_logit = _discrete_critic(D, pair), False
        u, w = obj.terms(d, logit=is_logit)
        terms = _weighted(p, u) + _weighted(q, w)
        tail = pair.omitted[0] * (2 * edge_factor(u, pair.logp) + 1)
        tail += pair.omitted[1] * (2 * edge_factor(w, pair.logq) + 1)
        return discrete_estimate(pair, terms, tail, what, atol, rtol, full_output)
    if not callable(D):
        raise TypeError(
            f"`D` must be a vectorized callable for continuous distributions (got {describe(D)})"
        )
    if obj.is_probability:
        fn, is_logit, name = _continuous_d(D, logit)
    else:
        fn, is_logit, name = D, False, "D"
    own = isinstance(D, _ObjectiveDStar) and D.is_optimal_for(obj, p, q) and not logit

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        if lp == -math.inf and lq == -math.inf:
            return 0.0
        if own:  # the integrand at the optimum, from the logs (no overflow of D* itself)
            return float(obj.optimum(np.array(lp), np.array(lq)))
        else:
            dx, point_logit = _call_at(fn, x, name), is_logit
        if obj.is_probability and not point_logit:
            if not 0.0 <= dx <= 1.0:
                raise ValueError(f"`D` must return values in [0, 1] (got {dx!r} at x = {x!r})")
        u, w = obj.terms(np.array(dx), logit=point_logit)
        tu, tw = plog(lp, float(u)), plog(lq, float(w))
        if obj.is_probability and not point_logit and dx in (0.0, 1.0):
            for t, where, ld in ((tu, "p_data", lp), (tw, "p_g", lq)):
                if t == -math.inf:
                    raise _rounded(x, dx, ld, where=where, quantity="V(G, D)")
        return tu + tw

    est = integrate_pieces(integrand, [p, q], atol=atol, rtol=rtol, what=what,
                           kinks=_crossing if obj.kinked_at_crossings else None)
    return est if full_output else est.value


def _crossing(logs: tuple[float, ...]) -> float:
    """Changes sign where the densities cross (a kink or jump of the hinge's D* and optimum)."""
    lp, lq = logs
    return 0.0 if lp == lq else lp - lq


def _discrete_critic(D: Discriminator, pair: Pair) -> np.ndarray:
    """A critic's values at the points of a discrete pair (any reals, not NaN)."""
    n = pair.p.size  # type: ignore[attr-defined]
    points = np.arange(float(n)) if pair.points is None else pair.points
    if callable(D):
        return _call_points(D, points, "D")
    if pair.points is not None:
        raise TypeError(
            "`D` must be a vectorized callable of the support points when a scipy.stats discrete"
            f" distribution is involved (got {describe(D)})"
        )
    arr = np.asarray(D, dtype=np.float64) if not isinstance(D, str) else None
    if arr is None or arr.shape != (n,):
        shape = getattr(arr, "shape", None)
        raise ValueError(f"`D` must be an array of shape ({n},) (got shape {shape}: {describe(D)})")
    if np.isnan(arr).any():
        raise ValueError(f"`D` must not be NaN (got NaN at index {int(np.isnan(arr).argmax())})")
    return arr


def _continuous_d(
    D: Callable[..., npt.ArrayLike], logit: bool
) -> tuple[Callable[..., npt.ArrayLike], bool, str]:
    """The function to evaluate, whether it gives logits, and its name for messages."""
    if logit:
        return D, True, "D"
    fn = getattr(D, "logit", None)
    if callable(fn):
        return fn, True, "D.logit"
    return D, False, "D"


def optimal_value(
    p_data: object,
    p_g: object,
    *,
    objective: str | Objective = "goodfellow",
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The virtual training criterion :math:`C(G) = \max_D V(G, D) = V(G, D^*_G)`.

    .. math:: C(G) = \int p_{data} \log \frac{p_{data}}{p_{data} + p_g}
              + p_g \log \frac{p_g}{p_{data} + p_g}\,dx

    Computed directly from the definition with :math:`D^*` in log form, independently of
    :func:`~gantheory.jsd`, so that Theorem 1 (:math:`C(G) = -\log 4 + 2\,\mathrm{JSD}`) is a
    real check. ``atol``, ``rtol`` and ``full_output`` as in :func:`value`.

    With ``objective=`` another game (:mod:`gantheory.objectives`): :math:`\max_D V(G, D) =
    \int p_{data}\, u(D^*) + p_g\, w(D^*)`, the integrand at the optimum from
    :meth:`~gantheory.objectives.Objective.optimum` (for the least-squares objective
    :math:`-\tfrac12 (b - a)^2 \int p_{data} p_g / (p_{data} + p_g)`, for the hinge loss
    :math:`-2 \int \min(p_{data}, p_g) = -2(1 - \mathrm{TV})`).

    Examples
    --------
    >>> from gantheory import jsd
    >>> p, q = [0.2, 0.8, 0.0], [0.5, 0.25, 0.25]
    >>> bool(np.isclose(optimal_value(p, q), -np.log(4) + 2 * jsd(p, q), rtol=1e-14, atol=0))
    True
    >>> from gantheory import tv
    >>> bool(np.isclose(optimal_value(p, q, objective="hinge"), -2 * (1 - tv(p, q)), rtol=1e-14))
    True
    """
    atol, rtol = check_tolerances(atol, rtol)
    obj = get_objective(objective)
    pair = coerce_pair(p_data, p_g, ("p_data", "p_g"))
    kind, p, q = pair
    if obj._pair_value is not None:
        return obj._pair_value(p_data, p_g, full_output=full_output, atol=atol, rtol=rtol)
    if obj is not GOODFELLOW:
        what = f"optimal value of {obj.title}"
        if kind == "discrete":
            terms = obj.optimum(pair.logp, pair.logq)
            omitted = pair.omitted[0] + pair.omitted[1]
            # an unbounded optimum (f-GAN) bounds no omitted tail: inf, and the sum is refused
            tail = obj.optimum_scale * omitted if omitted else 0.0
            return discrete_estimate(pair, terms, tail, what, atol, rtol, full_output)

        def objective_integrand(x: float, logs: tuple[float, ...]) -> float:
            return float(obj.optimum(np.array(logs[0]), np.array(logs[1])))

        est = integrate_pieces(objective_integrand, [p, q], atol=atol, rtol=rtol, what=what,
                               kinks=_crossing if obj.kinked_at_crossings else None)
        return est if full_output else est.value
    if kind == "discrete":
        total = p + q
        # x log(x / (x + y)) with 0 log 0 = 0; x + y > 0 wherever x > 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = special.xlogy(p, p) + special.xlogy(q, q) - special.xlogy(total, total)
        # each omitted term lies in [-log 2 (p + q), 0]
        tail = math.log(2.0) * (pair.omitted[0] + pair.omitted[1])
        return discrete_estimate(pair, terms, tail, "C(G)", atol, rtol, full_output)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        ld, l1d = _log_dstar(lp, lq)
        return plog(lp, ld) + plog(lq, l1d)

    est = integrate_pieces(integrand, [p, q], atol=atol, rtol=rtol, what="C(G)")
    return est if full_output else est.value


def generator_objective_minimax(
    p_g: object,
    D: Discriminator,
    *,
    logit: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float:
    r"""The generator's term of the minimax game, to be *minimised* over G.

    .. math:: \mathbb{E}_{x \sim p_g} \log(1 - D(x))

    Saturates when :math:`D(G(z)) \to 0` (early training): its gradient vanishes there
    (Goodfellow et al. 2014, Section 3). ``D``, ``logit``, ``atol`` and ``rtol`` as in
    :func:`value`; a callable ``D`` given as probabilities that is exactly 1 where ``p_g`` has
    mass raises ``ValueError`` (pass logits).

    Examples
    --------
    >>> bool(np.isclose(generator_objective_minimax([0.5, 0.5], [0.5, 0.5]), -np.log(2)))
    True
    """
    return _generator_expectation(p_g, D, minimax=True, logit=logit, atol=atol, rtol=rtol)


def generator_objective_nonsaturating(
    p_g: object,
    D: Discriminator,
    *,
    logit: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float:
    r"""The non-saturating generator loss, to be *minimised* over G.

    .. math:: -\mathbb{E}_{x \sim p_g} \log D(x)

    Same fixed point as the minimax objective, strong gradients early in training
    (Goodfellow et al. 2014, Section 3). ``inf`` when an array ``D`` is 0 where ``p_g`` has mass;
    a callable ``D`` given as probabilities that is exactly 0 there raises ``ValueError`` (pass
    logits). ``D``, ``logit``, ``atol`` and ``rtol`` as in :func:`value`.

    Examples
    --------
    >>> bool(np.isclose(generator_objective_nonsaturating([0.5, 0.5], [0.5, 0.5]), np.log(2)))
    True
    """
    return -_generator_expectation(p_g, D, minimax=False, logit=logit, atol=atol, rtol=rtol)


def _generator_expectation(
    p_g: object, D: Discriminator, *, minimax: bool, logit: bool, atol: float, rtol: float
) -> float:
    """``E_{p_g} log(1 - D)`` (minimax) or ``E_{p_g} log D``."""
    atol, rtol = check_tolerances(atol, rtol)
    if not isinstance(logit, bool | np.bool_):
        raise TypeError(f"`logit` must be True or False (got {describe(logit)})")
    name = "minimax generator objective" if minimax else "non-saturating generator objective"
    pair = coerce_pair(p_g, p_g, ("p_g", "p_g"))
    if pair.kind == "discrete":
        d, is_logit = _discrete_d(D, pair, bool(logit))
        if callable(D) and not is_logit:
            # the weight is p_g: D = 1 (minimax) or D = 0 (non-saturating) where it has mass
            _check_points(pair, d, ((1.0 if minimax else 0.0, "p_g"),), f"the {name}")
        log_d, log_1md = _log_d_array(d, is_logit)
        factor = log_1md if minimax else log_d
        terms = _weighted(pair.q, factor)
        tail = pair.omitted[1] * (2 * edge_factor(factor, pair.logq) + 1)
        return float(discrete_estimate(pair, terms, tail, name, atol, rtol, False))
    if not callable(D):
        raise TypeError(
            f"`D` must be a vectorized callable for continuous distributions (got {describe(D)})"
        )
    fn, is_logit, fname = _continuous_d(D, bool(logit))

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        (lq,) = logs
        if lq == -math.inf:
            return 0.0
        dx = _call_at(fn, x, fname)
        if not is_logit:
            if not 0.0 <= dx <= 1.0:
                raise ValueError(f"`D` must return values in [0, 1] (got {dx!r} at x = {x!r})")
            if dx == (1.0 if minimax else 0.0) and plog(lq, 1.0) > 0:
                raise _rounded(x, dx, lq, where="p_g", quantity=f"the {name}")
        log_d, log_1md = _log_d(dx, is_logit)
        return plog(lq, log_1md if minimax else log_d)

    return integrate_pieces(integrand, [pair.q], atol=atol, rtol=rtol, what=name).value


def minibatch_value(
    D: Callable[[np.ndarray], npt.ArrayLike], x_data: npt.ArrayLike, x_gen: npt.ArrayLike
) -> float:
    r"""The minibatch estimator of :math:`V(G, D)` used by Algorithm 1.

    .. math:: \hat V = \frac1m \sum_{i=1}^m \log D(x^{(i)})
              + \frac1m \sum_{i=1}^m \log\bigl(1 - D(G(z^{(i)}))\bigr)

    (Goodfellow et al. 2014, Algorithm 1; the blog post "Mathematical ideas in GAN", 2017,
    eq. 10-11). An
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
