"""Robust 1-D integration of functionals of continuous densities.

SciPy's ``quad`` over ``(-inf, inf)`` maps the real line to a finite interval and samples it at
a few dozen points; a narrow density peaked far from the origin falls between them and the
result is 0 *with no warning*. This module never integrates blindly:

* the domain is split at **landmarks derived from the distributions** — each component's
  quantiles (median, 10%, 1%, 1e-4, 1e-9 and their mirror images) and every finite support
  endpoint (so discontinuities of uniforms and integrable endpoint singularities such as
  Beta(1/2, 1/2) sit at piece ends, where QUADPACK's extrapolation handles them);
* only the two tails beyond the outermost landmarks are integrated to infinity, where the
  integrand is monotone and small;
* every piece's error estimate is kept; their sum must meet ``atol + rtol * |value|``, a piece
  for which QUADPACK reports trouble (``IntegrationWarning``) is bisected and retried, and when
  the tolerance still cannot be met a :class:`QuadratureError` is raised — never a guess.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from scipy import integrate

from gantheory.distributions import Continuous

__all__ = [
    "DEFAULT_ATOL",
    "DEFAULT_RTOL",
    "MAX_WORK",
    "Estimate",
    "QuadratureError",
    "breakpoints",
    "integrate_pieces",
]

#: Default absolute tolerance on the *sum* of the per-piece error bounds (QUADPACK's estimate
#: plus the float64 node-rounding floor). Half the 1e-10 absolute accuracy the suite promises for
#: divergences on the hard cases; the floor alone is about 1e-11 for a unit-width peak at 1e4.
DEFAULT_ATOL: float = 5e-11
#: Default relative tolerance (about 4500 float64 machine epsilons): for large values (a KL of
#: 5e7 between far-apart Gaussians) absolute accuracy is limited by rounding of the value itself.
DEFAULT_RTOL: float = 1e-12
_EPS = float(np.finfo(np.float64).eps)
#: How many times a troubled piece may be bisected before giving up.
_MAX_SPLITS = 6
#: QUADPACK's subinterval limit per piece (SciPy's default is 50).
_LIMIT = 200


class QuadratureError(ArithmeticError):
    """The requested accuracy could not be reached (the message says where and by how much).

    ``attainable`` is, where it is known, the absolute accuracy that could be reached: asking
    for it (``atol=err.attainable``) gives a result within that bound.
    """

    attainable: float | None = None


def _attainable(value: float) -> float:
    """An ``atol`` to suggest: ``value`` rounded up to 2 significant digits, with 25% to spare
    for the bisection a retry makes differently."""
    v = 1.25 * value
    exp = math.floor(math.log10(v))
    return float(f"{math.ceil(v / 10 ** (exp - 1)) * 10 ** (exp - 1):.2g}")


class Estimate(NamedTuple):
    """An integral with its error bound: unpacks as ``value, abserr``.

    Attributes
    ----------
    value : float
        The integral (``±inf`` when the integrand is infinite on a set the quadrature hit, e.g.
        ``log D`` with ``D = 0`` where the data has mass).
    abserr : float
        Sum over the pieces of QUADPACK's absolute error estimate plus the rounding floor
        ``4 eps |x|/width * |piece value|`` of representing the nodes in float64 (it dominates
        for a narrow density far from the origin), plus a bound on the tail beyond
        ``|x| = 1e100`` and on the effect of the log-densities' own rounding where it exceeds a
        few eps (see :func:`integrate_pieces`).
    pieces : int
        Number of pieces integrated.
    neval : int
        Number of integrand evaluations.
    """

    value: float
    abserr: float
    pieces: int = 0
    neval: int = 0


class _Infinite(Exception):
    """The integrand is ``sign * inf`` at ``x``, where the log-densities are ``logs``."""

    def __init__(self, sign: float, x: float, logs: tuple[float, ...]) -> None:
        self.sign, self.x, self.logs = sign, x, logs


def breakpoints(dists: Sequence[Continuous], domain: tuple[float, float]) -> np.ndarray:
    """Sorted landmarks of ``dists`` inside ``domain``, with the finite domain ends included."""
    lo, hi = domain
    pts = np.concatenate([d.landmarks() for d in dists] + [np.array([lo, hi])])
    # Landmarks beyond |x| = 1e50 (the 10% quantile of Pareto(0.01) is at 1e100) would start a
    # tail beyond the probes of its decay (1e60 ... 1e100): the tails take over there.
    far = (np.abs(pts) > _LANDMARK_CAP) & (pts != lo) & (pts != hi)
    pts = np.unique(pts[np.isfinite(pts) & (pts >= lo) & (pts <= hi) & ~far])
    if pts.size == 0:  # an infinite domain with no finite landmark cannot happen for scipy
        pts = np.array([0.0])
    # Points closer than a few ulps to each other make zero-width pieces, which add nothing:
    # keep one point of each such cluster, the one where a density is infinite if there is one.
    # (The median 0.25 of uniform(0, 0.5) lies one ulp below the singular end
    # 0.25000000000000006 of a Beta(1/2, 1/2); keeping 0.25 left the singularity one ulp past
    # the last piece, unanchored, and QUADPACK could not integrate up to it.)
    new_cluster = np.concatenate([[True], np.diff(pts) > 4 * np.spacing(np.abs(pts[1:]))])
    if new_cluster.all():
        return pts
    kept: list[float] = []
    for x, starts in zip(pts.tolist(), new_cluster.tolist(), strict=True):
        if starts:
            kept.append(x)
        elif any(d.singular_at(x) for d in dists) and not any(
            d.singular_at(kept[-1]) for d in dists
        ):
            kept[-1] = x
    return np.array(kept)


#: Landmarks farther from 0 than this are left to the tails (see breakpoints).
_LANDMARK_CAP = 1e50

Integrand = Callable[[float, tuple[float, ...]], float]
#: ``kinks(logs)``: a function of the log-densities whose sign changes are kinks of the
#: integrand (``log p - log q`` for ``|p - q|``).
Kinks = Callable[[tuple[float, ...]], float]

#: Work budget of one integral, in cost units: an integrand call costs :data:`_CALL_COST` plus
#: each density's :attr:`~gantheory.distributions.Continuous.eval_cost` (1 for a written-out
#: log-density, about a microsecond). The budget is counted, not timed, so whether an integral
#: finishes never depends on the machine; it keeps every call to a few seconds (the hard cases
#: of the test suite use at most about 1% of it).
MAX_WORK: float = 2_000_000.0
_CALL_COST = 4.0


def integrate_pieces(
    f: Integrand,
    dists: Sequence[Continuous],
    *,
    domain: tuple[float, float] | None = None,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
    what: str = "integral",
    kinks: Kinks | None = None,
) -> Estimate:
    r"""Integrate ``f(x, log-densities)`` over ``domain``, split at the landmarks of ``dists``.

    .. math:: \int_{lo}^{hi} f\bigl(x, (\log p_1(x), \dots, \log p_k(x))\bigr)\,dx
              = \sum_{\text{pieces}} \int_{x_i}^{x_{i+1}} \cdots

    The integrand receives the log-densities of ``dists`` at ``x`` so that functionals such as
    :math:`p \log(p/q)` are built from ``logpdf`` values and never from underflowing ratios.
    The steps, each a function of its own: the domain (:func:`_domain`), its breakpoints
    (:func:`breakpoints`), the points where a density is infinite (:func:`_singular_points`),
    the finite pieces, anchored at those points (:func:`_finite_pieces`), the infinite tails
    (:func:`_tail_pieces`), and the summation with its error bound (:func:`_sum_pieces`).

    Next to a point where a density is infinite (Beta(1/2, 1/2) at 0 and 1, Gamma(1/2) at 0,
    whether it bounds the domain or lies inside another distribution's support) the pieces are
    integrated in the distance ``t`` to that point and the log-densities are evaluated at ``t``
    directly (:meth:`~gantheory.distributions.Continuous.logpdf_near`), since ``1 - t`` rounds to
    1 for ``t < 1.1e-16`` while the density there still carries mass of order ``sqrt(t)``.
    Infinite tails are integrated in logarithmic coordinates out to ``|x| = 1e100``; beyond, the
    integrand is taken to follow the power law it shows between ``|x| = 1e60``, ``1e80`` and
    ``1e100``: if ``|x f(x)|`` does not decay there (``KL(Cauchy || normal)``) the integral is
    ``±inf`` by its sign; if it decays like :math:`|x|^{-k}`, what lies beyond 1e100 is at most
    twice :math:`|x f(x)| / k` there (the factor 2 covers logarithmic factors such as
    ``p log p``), and it is added to the error bound — a tail so slow that this exceeds the
    tolerance (a density like :math:`x^{-1.01}`) raises :class:`QuadratureError`.

    Parameters
    ----------
    f : callable
        ``f(x, logs) -> float`` for a scalar ``x`` and the tuple ``logs`` of log-densities of
        ``dists`` at ``x``. It may return ``±inf`` (the integral is then ``±inf``); NaN raises
        ``ValueError``.
    dists : sequence of Continuous
        The distributions whose log-densities ``f`` receives and whose landmarks split the
        domain.
    domain : (float, float), optional
        Integration limits; the hull of the supports of ``dists`` if omitted.
    atol, rtol : float
        The result is accepted when the summed error estimate is at most
        ``atol + rtol * |value|``.
    what : str
        Name of the quantity, used in error messages.
    kinks : callable, optional
        ``kinks(logs) -> float`` whose sign changes are kinks of ``f`` (``log p - log q`` for
        ``|p - q|``). QUADPACK's error estimate does not see a kink inside a piece (total
        variation was 4e-8 off with a bound of 1e-15): each piece whose nodes show a sign
        change is split at the change, located by bisection to a few ulps, and integrated
        again.

    Returns
    -------
    Estimate
        ``(value, abserr, pieces, neval)``.

    Raises
    ------
    QuadratureError
        If the accuracy cannot be met, if a density is infinite at a point where it has no exact
        form at a distance (an upper support end of a family that cannot be reflected), if a
        log-density is ``-inf`` inside its support where the density is positive (underflow),
        if the tail beyond ``|x| = 1e100`` is too heavy to bound, or if the integral needs more
        than :data:`MAX_WORK` units of work.
    """
    lo, hi = _domain(dists, domain)
    if not lo < hi:
        return Estimate(0.0, 0.0, 0, 0)
    pts = breakpoints(dists, (lo, hi))
    singular = _singular_points(pts, dists, (lo, hi), what)
    work = _Work(f, dists, what)
    pieces = _finite_pieces(pts, singular, dists)
    try:
        tails, remainder = _tail_pieces(pts, (lo, hi), dists, work, atol)
    except _Infinite as inf:
        return _infinite(inf, dists, what, len(pieces), work.neval)
    return _sum_pieces(pieces + tails, remainder, work, atol, rtol, kinks)


def _domain(
    dists: Sequence[Continuous], domain: tuple[float, float] | None
) -> tuple[float, float]:
    """The integration limits: ``domain``, or the hull of the supports of ``dists``."""
    if domain is None:
        sups = [d.support() for d in dists]
        domain = (min(s[0] for s in sups), max(s[1] for s in sups))
    return float(domain[0]), float(domain[1])


def _singular_points(
    pts: np.ndarray, dists: Sequence[Continuous], domain: tuple[float, float], what: str
) -> list[float]:
    """The breakpoints where some density is infinite, each checked to be resolvable.

    Support ends of Beta(1/2, 1/2), Gamma(1/2) and the like, whether they bound the domain or lie
    inside another distribution's support. On each side inside the domain, every density must
    have an exact form at a distance from the point
    (:meth:`~gantheory.distributions.Continuous.can_resolve`); otherwise the mass within
    rounding of the point cannot be reached and :class:`QuadratureError` is raised.
    """
    lo, hi = domain
    singular = [x for x in pts.tolist() if any(d.singular_at(x) for d in dists)]
    for x in singular:
        for side in (-1, 1):
            inside = x < hi if side > 0 else x > lo
            if inside and not all(d.can_resolve(x, side) for d in dists):
                raise QuadratureError(
                    f"the {what} cannot be computed to the requested accuracy: a density is"
                    f" infinite at the support end {x!r} of a family whose reflection is not"
                    " known"
                )
    return singular


Point = Callable[[float], tuple[float, tuple[float, ...], float]]


class _Piece(NamedTuple):
    """One piece: ``point(u) -> (x, log-densities at x, dx/du)`` for ``u`` in ``[a, b]``.

    ``tail`` marks the logarithmic coordinate of an infinite tail. The node-rounding floor of a
    piece is ``4 eps reach |value|``, ``reach`` being max ``|u|`` over the piece divided by its
    width: float64 puts the nodes within ``eps |u|`` of where QUADPACK meant them, a relative
    shift of ``eps reach`` across the piece (in the tail coordinate ``reach`` is 1).
    """

    point: Point
    a: float
    b: float
    tail: bool = False

    @property
    def reach(self) -> float:
        return 1.0 if self.tail else max(abs(self.a), abs(self.b)) / (self.b - self.a)


def _at_x(dists: Sequence[Continuous]) -> Point:
    def point(x: float) -> tuple[float, tuple[float, ...], float]:
        return x, tuple(d.logpdf(x) for d in dists), 1.0

    return point


def _near(dists: Sequence[Continuous], end: float, side: int) -> Point:
    """Points at the distance ``t`` from the singular point ``end`` on its ``side``."""

    def point(t: float) -> tuple[float, tuple[float, ...], float]:
        return end + side * t, tuple(d.logpdf_near(end, side, t) for d in dists), 1.0

    return point


def _finite_pieces(
    pts: np.ndarray, singular: list[float], dists: Sequence[Continuous]
) -> list[_Piece]:
    """The pieces between consecutive breakpoints, in ``x`` or, near a singular point, in the
    distance ``t`` to it (below it ``t = anchor - x``, above it ``t = x - anchor``; see
    :func:`_anchor` and :func:`_near_split`)."""
    at_x = _at_x(dists)
    pieces: list[_Piece] = []
    for a, b in itertools.pairwise(pts.tolist()):
        anchor = _anchor(a, b, singular)
        if anchor is None:
            pieces += [_Piece(at_x, a0, b0) for a0, b0 in _decade_split(a, b)]
            continue
        side = -1 if anchor >= b else 1
        t_lo, t_hi = (anchor - b, anchor - a) if side < 0 else (a - anchor, b - anchor)
        point = _near(dists, anchor, side)
        pieces += [_Piece(point, t0, t1) for t0, t1 in _near_split(t_lo, t_hi)]
    return pieces


class _Work:
    """The integrand ``jac * f(x, logs)`` with its checks, counting calls against
    :data:`MAX_WORK`."""

    __slots__ = ("cost", "dists", "f", "neval", "spent", "what")

    def __init__(self, f: Integrand, dists: Sequence[Continuous], what: str) -> None:
        self.f, self.dists, self.what = f, dists, what
        self.cost = _CALL_COST + sum(float(getattr(d, "eval_cost", 1.0)) for d in dists)
        self.spent = 0.0
        self.neval = 0

    def charge(self) -> None:
        self.spent += self.cost
        self.neval += 1
        if self.spent > MAX_WORK:
            raise _OverBudget

    def __call__(self, x: float, logs: tuple[float, ...], jac: float) -> float:
        self.charge()
        for d, lg in zip(self.dists, logs):
            if lg != lg:
                raise ValueError(
                    f"the {self.what} cannot be computed: the log-density of {d!r} is NaN at"
                    f" x = {x!r}"
                )
        y = self.f(x, logs)
        if math.isnan(y):
            raise ValueError(f"the integrand of the {self.what} is NaN at x = {x!r}")
        if math.isinf(y):
            raise _Infinite(math.copysign(1.0, y), x, logs)
        return jac * y


class _OverBudget(Exception):
    pass


#: |x| at which the tails are probed for decay; the last is how far they are followed (squares
#: of 1e100 stay finite, and a density of x^-3 is still representable there).
_TAIL_PROBE = (1e60, 1e80, 1e100)
#: Cuts of the logarithmic tail coordinate u: QUADPACK sees every scale separately.
_TAIL_CUTS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)
#: A decay exponent k of |x f(x)| below this, measured between the probes, is no decay: the
#: probes agree to 1e-9 relative over 20 decades, far beyond their rounding (~1e-16).
_FLAT = 1e-9 / math.log(1e20)


def _tail_pieces(
    pts: np.ndarray, domain: tuple[float, float], dists: Sequence[Continuous], work: _Work,
    atol: float,
) -> tuple[list[_Piece], _Remainder]:
    """The infinite tails beyond the outermost breakpoints, in logarithmic coordinates (see
    :func:`_log_tail`), and a bound on what lies beyond ``|x| = 1e100`` (see
    :func:`_tail_remainder`). Raises :class:`_Infinite` for a tail that does not decay."""
    lo, hi = domain
    ends: list[tuple[float, float]] = []
    if math.isinf(lo):
        w = float(pts[1] - pts[0]) if pts.size > 1 else max(1.0, abs(float(pts[0])))
        ends.append((float(pts[0]), -w))
    if math.isinf(hi):
        w = float(pts[-1] - pts[-2]) if pts.size > 1 else max(1.0, abs(float(pts[-1])))
        ends.append((float(pts[-1]), w))
    pieces: list[_Piece] = []
    remainder = _Remainder(0.0, math.inf)
    for end, w in ends:
        point, u_of = _log_tail(dists, end, w)
        far = [work(*point(u_of(x))) for x in _TAIL_PROBE]
        remainder = remainder.add(_tail_remainder(far, work.dists, end + w * 1e100))
        u_max = u_of(_TAIL_PROBE[-1])
        cuts = [0.0, *(c for c in _TAIL_CUTS if c < u_max), u_max]
        pieces += [_Piece(point, u0, u1, tail=True) for u0, u1 in itertools.pairwise(cuts)]
    return pieces, remainder


class _Remainder(NamedTuple):
    """What the tails beyond ``|x| = 1e100`` may hold (``bound``), and the slowest decay
    exponent ``k`` of ``|x f(x)|`` measured there."""

    bound: float
    k: float

    def add(self, other: _Remainder) -> _Remainder:
        return _Remainder(self.bound + other.bound, min(self.k, other.k))


def _tail_remainder(far: list[float], dists: Sequence[Continuous], x_far: float) -> _Remainder:
    """Bound the tail beyond the last probe from ``far``, the integrand in the tail coordinate
    (about ``|x| f(x)``) at the probes 1e60, 1e80, 1e100.

    Between two probes ``x_i < x_j`` a power law ``|x f(x)| ~ C |x|^-k`` has
    ``k = log(|g_i| / |g_j|) / log(x_j / x_i)``; the smaller of the two measured exponents is
    used. With ``k > 0`` the tail beyond ``X = 1e100`` is ``C X^-k / k = |g(X)| / k``, doubled
    to cover a logarithmic factor (``p log p``: the ratio of the true tail to ``|g| / k`` is
    ``1 + 1 / (k log X)``, below 2 for ``k > 0.005``). With no decay the integral diverges like
    ``∫ dx / x``: :class:`_Infinite` by the sign of the last probe.
    """
    mags = [abs(v) for v in far]
    if mags[-1] == 0.0:
        return _Remainder(0.0, math.inf)
    step = math.log(_TAIL_PROBE[1] / _TAIL_PROBE[0])
    ks = [
        math.inf if b == 0.0 else -math.inf if a == 0.0 else math.log(a / b) / step
        for a, b in itertools.pairwise(mags)
    ]
    k = min(ks)
    if k <= _FLAT:
        raise _Infinite(math.copysign(1.0, far[-1]), x_far, ())
    return _Remainder(2.0 * mags[-1] / k, k)


def _sum_pieces(
    pieces: list[_Piece], remainder: _Remainder, work: _Work, atol: float, rtol: float,
    kinks: Kinks | None,
) -> Estimate:
    """Integrate every piece with QUADPACK and sum values and error bounds.

    Each piece gets an equal share of ``atol``; its bound is QUADPACK's estimate plus the
    node-rounding floor (see :class:`_Piece`). The total bound, with the tail ``remainder`` and
    the effect of the log-densities' own rounding (:func:`_evaluation_error`), must meet
    ``atol + rtol |value|``, or :class:`QuadratureError` says by how much it does not.
    """
    what = work.what
    piece_atol = atol / len(pieces)
    total, err = 0.0, remainder.bound
    try:
        for piece in pieces:
            v, e = _integrate_piece(piece, work, piece_atol, rtol, kinks, depth=0)
            total, err = total + v, err + e
        err += _evaluation_error(pieces, work)
    except QuadratureError as exc:
        if exc.attainable is None or not math.isfinite(exc.attainable):
            raise
        # the piece reached a multiple of its share of atol: that multiple of atol is reachable
        ask = _attainable(max(exc.attainable, 1.0) * atol)
        new = QuadratureError(
            f"{exc}; an accuracy of about {ask:.2g} is attainable: pass atol={ask:.2g} to accept"
            " it (full_output=True gives the error bound reached)"
        )
        new.attainable = ask
        raise new from None
    except _Infinite as inf:
        return _infinite(inf, work.dists, what, len(pieces), work.neval)
    except _OverBudget:
        raise QuadratureError(
            f"the {what} was not computed: it needed more than {work.neval:,} evaluations of the"
            f" integrand, the work budget of one integral ({MAX_WORK:,.0f} units at"
            f" {work.cost:g} a call); the densities are too costly or too irregular to"
            " integrate within it"
        ) from None
    tolerance = atol + rtol * abs(total)
    if remainder.bound > tolerance:
        raise QuadratureError(
            f"the {what} cannot be bounded: its integrand decays only like"
            f" |x|^-{1 + remainder.k:.4g} beyond |x| = 1e100, where what is left (about"
            f" {remainder.bound:.3g}) exceeds the tolerance {tolerance:.3g}"
        )
    if not err <= tolerance:
        ask = _attainable(err)
        exc = QuadratureError(
            f"the {what} = {total!r} has error estimate {err:.3g} > tolerance"
            f" {tolerance:.3g} (atol={atol:g}, rtol={rtol:g}); an accuracy of about {ask:.2g} is"
            f" attainable: pass atol={ask:.2g} to accept it (full_output=True gives the error"
            " bound reached)"
        )
        exc.attainable = ask
        raise exc
    return Estimate(total, err, len(pieces), work.neval)


#: Gauss-Legendre rule for the evaluation-error integral (a rough integral suffices: it is a
#: bound, doubled for safety).
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(16)
#: Step in a log-density for the derivative of the integrand with respect to it.
_LOG_STEP = 1e-6


def _evaluation_error(pieces: list[_Piece], work: _Work) -> float:
    r"""The effect on the integral of the rounding error of the log-densities themselves.

    A log-density evaluated with absolute error :math:`\delta_i`
    (:attr:`~gantheory.distributions.Continuous.logpdf_error`) moves the integral by at most
    :math:`\sum_i \delta_i \int |\partial f / \partial \log p_i|\,dx`. The derivative is a
    forward difference with step 1e-6 in the log-density, the integral a 16-point Gauss-Legendre
    rule on each piece, and the result is doubled. 0 when every log-density is accurate to a
    few eps (then the node-rounding floor covers it).
    """
    deltas = [float(d.logpdf_error) for d in work.dists]
    if not any(deltas):
        return 0.0
    total = 0.0
    for piece in pieces:
        half, mid = 0.5 * (piece.b - piece.a), 0.5 * (piece.a + piece.b)
        for node, weight in zip(_GL_NODES.tolist(), _GL_WEIGHTS.tolist()):
            x, logs, jac = piece.point(mid + half * node)
            work.charge()
            f0 = work.f(x, logs)
            if not math.isfinite(f0):
                continue
            slope = 0.0
            for i, delta in enumerate(deltas):
                if delta and math.isfinite(logs[i]):
                    moved = (*logs[:i], logs[i] + _LOG_STEP, *logs[i + 1:])
                    f1 = work.f(x, moved)
                    if math.isfinite(f1):
                        slope += delta * abs(f1 - f0) / _LOG_STEP
            total += weight * half * abs(jac) * slope
    return 2.0 * total


def _integrate_piece(
    piece: _Piece, work: _Work, atol: float, rtol: float, kinks: Kinks | None, depth: int
) -> tuple[float, float]:
    """``(value, error bound)`` of one piece; with ``kinks``, split at the sign changes seen at
    QUADPACK's nodes and integrate the parts again (at most :data:`_KINK_DEPTH` times)."""
    nodes: list[tuple[float, float]] = []
    record = kinks is not None and depth < _KINK_DEPTH

    def g(u: float) -> float:
        x, logs, jac = piece.point(u)
        if record:
            nodes.append((u, kinks(logs)))  # type: ignore[misc]
        return work(x, logs, jac)

    v, e, _ = _quad_piece(g, piece.a, piece.b, atol, rtol, work.what, depth=0)
    roots = _sign_changes(piece, nodes, kinks, work) if record else []
    if not roots:
        return v, e + 4 * _EPS * piece.reach * abs(v)
    cuts = [piece.a, *roots, piece.b]
    total, err = 0.0, 0.0
    for a, b in itertools.pairwise(cuts):
        part = piece._replace(a=a, b=b)
        pv, pe = _integrate_piece(part, work, atol / (len(cuts) - 1), rtol, kinks, depth + 1)
        total, err = total + pv, err + pe
    return total, err


#: How many times a piece is split at the kinks found in its parts.
_KINK_DEPTH = 3


def _sign_changes(
    piece: _Piece, nodes: list[tuple[float, float]], kinks: Kinks | None, work: _Work
) -> list[float]:
    """Points inside the piece where ``kinks`` changes sign between QUADPACK's nodes, each
    located by bisection to 4 ulps."""
    assert kinks is not None
    signs = sorted((u, math.copysign(1.0, s)) for u, s in nodes if s == s and s != 0.0)
    roots: list[float] = []
    for (u0, s0), (u1, s1) in itertools.pairwise(signs):
        if s0 == s1:
            continue
        while u1 - u0 > 4 * np.spacing(max(abs(u0), abs(u1))):
            mid = 0.5 * (u0 + u1)
            if not u0 < mid < u1:
                break
            work.charge()
            s = kinks(piece.point(mid)[1])
            if s != s or s == 0.0:
                break
            if math.copysign(1.0, s) == s0:
                u0 = mid
            else:
                u1 = mid
        r = 0.5 * (u0 + u1)
        if piece.a < r < piece.b and (not roots or r > roots[-1]):
            roots.append(r)
    return roots


def _infinite(
    inf: _Infinite, dists: Sequence[Continuous], what: str, pieces: int, neval: int
) -> Estimate:
    """The ``±inf`` estimate of an integrand that is infinite somewhere, unless it is infinite
    only because a log-density underflowed to ``-inf`` inside its support."""
    for d, lg in zip(dists, inf.logs):
        if lg == -math.inf and d.underflows_at(inf.x):
            raise QuadratureError(
                f"the {what} cannot be computed: the log-density of {d!r} is -inf at"
                f" x = {inf.x!r}, inside its support, where the density is positive but below"
                " the smallest float64 (its log-density is computed as the log of the density,"
                " which underflows there)"
            )
    return Estimate(inf.sign * math.inf, 0.0, pieces, neval)


#: An anchored piece [t0, t1] with t1 > _NEAR_RATIO * t0 > 0 is cut at t0 * _NEAR_RATIO**k.
_NEAR_RATIO = 100.0


def _near_split(t0: float, t1: float) -> list[tuple[float, float]]:
    """Cut ``[t0, t1]`` (distances to a singular point) so no piece spans over two decades.

    QUADPACK's extrapolation assumes an endpoint singularity sits *at* the end of the interval.
    A piece that starts a hair away from one (a landmark 1e-15 from the singular end 0 of
    Beta(1/2, 1/2) on [0, 1/2], followed by the next landmark at 1.2e-8) fools it: the piece
    [1e-15, 1.2e-8] came back as the integral over [0, 1.2e-8], counting the 1e-8 of JSD on
    [0, 1e-15] twice, with an error estimate of 3e-13. Cut geometrically, every piece holds
    the singular point within 100 times its own width, where QUADPACK resolves it.
    """
    if not 0.0 < t0 or t1 <= _NEAR_RATIO * t0:
        return [(t0, t1)]
    cuts = [t0]
    while cuts[-1] * _NEAR_RATIO < t1:
        cuts.append(cuts[-1] * _NEAR_RATIO)
    cuts[-1] = t1
    return list(itertools.pairwise(cuts))


def _decade_split(a: float, b: float) -> list[tuple[float, float]]:
    """Cut ``[a, b]`` on one side of 0 so no piece spans more than two decades of ``|x|``.

    The landmarks of a very heavy tail can be decades apart (Pareto(0.01) has its 10% and 50%
    quantiles at 37.6 and 1.3e30); a power law over 28 decades in one piece defeats QUADPACK,
    cut at powers of 100 it is a sum of easy pieces.
    """
    if a >= 0.0:
        return _near_split(a, b)
    if b <= 0.0:
        return [(-y, -x) for x, y in reversed(_near_split(-b, -a))]
    return [(a, b)]


def _anchor(a: float, b: float, singular: list[float]) -> float | None:
    """The singular point the piece ``[a, b]`` is integrated from, if any.

    A piece is anchored at the nearest singular point when it lies within ``_NEAR_RATIO``
    piece-widths of it: the landmarks approach a singular end geometrically, so every piece of
    that approach is integrated in the exact distance ``t`` to the end rather than in ``x``,
    where float64 would round ``1 - t`` to 1 for ``t < 1.1e-16``. Within one width was not
    enough: two components' landmarks 8.8e-9 and 1.0e-8 from the singular end -4.26 of a
    Beta(1/2, b) mixture made a piece 1.2e-9 wide at |x| = 4.26, whose node-rounding floor
    (``4 eps |x| / width`` times its value, 2.8e-10) alone exceeded the tolerance of
    KL(mixture || Cauchy); measured from the end, the same piece has a floor of 1e-15.
    """
    best, gap = None, math.inf
    for x in singular:
        d = a - x if x <= a else x - b if x >= b else math.inf
        if d < gap:
            best, gap = x, d
    return best if gap <= _NEAR_RATIO * (b - a) else None


def _log_tail(
    dists: Sequence[Continuous], end: float, w: float
) -> tuple[Point, Callable[[float], float]]:
    """The tail beyond ``end`` (direction and scale ``w``) in ``u = log(1 + |x - end| / |w|)``.

    ``x = end + w (e^u - 1)``, ``dx = |w| e^u du``: a power-law tail ``x^-a`` becomes
    ``e^{(1-a) u}``, exponentially decaying for integrable tails, and a tail of scale ``|w|``
    far from the origin (a Cauchy's beyond its 1e-9 quantile at 3e8) is seen at u of order 1
    instead of being squeezed by QUADPACK's own map of [end, inf) into t < 1e-9 and missed.
    Returns the points of the tail in u and the map from a distance |x| to u.
    """
    at_x = _at_x(dists)

    def point(u: float) -> tuple[float, tuple[float, ...], float]:
        e = math.exp(u)
        x, logs, _ = at_x(end + w * (e - 1.0))
        return x, logs, abs(w) * e

    def u_of(x_abs: float) -> float:
        return math.log1p(max(x_abs - abs(end), abs(w)) / abs(w))

    return point, u_of


def _quad_piece(
    g: Callable[[float], float], a: float, b: float, atol: float, rtol: float, what: str,
    depth: int,
) -> tuple[float, float, int]:
    """One piece with QUADPACK; bisect and retry when it reports trouble."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        v, e, info = integrate.quad(
            g, a, b, epsabs=atol, epsrel=rtol, limit=_LIMIT, full_output=True
        )[:3]
    trouble = any(issubclass(w.category, integrate.IntegrationWarning) for w in caught)
    if not trouble and e <= max(atol, rtol * abs(v)):
        return v, e, info["neval"]
    if depth >= _MAX_SPLITS:
        if e <= max(atol, rtol * abs(v)) * 10:
            # QUADPACK flagged round-off but its own estimate is within an order of magnitude
            # of the request: the caller's total-error test decides.
            return v, e, info["neval"]
        exc = QuadratureError(
            f"the {what} could not be computed to the requested accuracy on [{a!r}, {b!r}]:"
            f" value {v!r}, error estimate {e:.3g}, requested {max(atol, rtol * abs(v)):.3g}"
            + (f" ({caught[-1].message})" if caught else "")
        )
        exc.attainable = e / atol if atol > 0 else None  # in units of the piece's share
        raise exc
    mid = _midpoint(a, b)
    v1, e1, n1 = _quad_piece(g, a, mid, atol / 2, rtol, what, depth + 1)
    v2, e2, n2 = _quad_piece(g, mid, b, atol / 2, rtol, what, depth + 1)
    return v1 + v2, e1 + e2, info["neval"] + n1 + n2


def _midpoint(a: float, b: float) -> float:
    """A split point of ``(a, b)``, finite even when one end is infinite."""
    if math.isinf(a):
        return b - max(1.0, abs(b))
    if math.isinf(b):
        return a + max(1.0, abs(a))
    return 0.5 * (a + b)
