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
    """The requested accuracy could not be reached (the message says where and by how much)."""


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
        for a narrow density far from the origin).
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
    def __init__(self, sign: float, x: float) -> None:
        self.sign, self.x = sign, x


def breakpoints(dists: Sequence[Continuous], domain: tuple[float, float]) -> np.ndarray:
    """Sorted landmarks of ``dists`` inside ``domain``, with the finite domain ends included."""
    lo, hi = domain
    pts = np.concatenate([d.landmarks() for d in dists] + [np.array([lo, hi])])
    pts = np.unique(pts[np.isfinite(pts) & (pts >= lo) & (pts <= hi)])
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


Integrand = Callable[[float, tuple[float, ...]], float]


def integrate_pieces(
    f: Integrand,
    dists: Sequence[Continuous],
    *,
    domain: tuple[float, float] | None = None,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
    what: str = "integral",
) -> Estimate:
    r"""Integrate ``f(x, log-densities)`` over ``domain``, split at the landmarks of ``dists``.

    .. math:: \int_{lo}^{hi} f\bigl(x, (\log p_1(x), \dots, \log p_k(x))\bigr)\,dx
              = \sum_{\text{pieces}} \int_{x_i}^{x_{i+1}} \cdots

    The integrand receives the log-densities of ``dists`` at ``x`` so that functionals such as
    :math:`p \log(p/q)` are built from ``logpdf`` values and never from underflowing ratios.
    Next to a support end where a density is infinite (Beta(1/2, 1/2) at 0 and 1, whether the end
    bounds the domain or lies inside another distribution's support) the pieces are integrated in
    the distance ``t`` to that end and the log-densities are evaluated at ``t`` directly
    (:meth:`~gantheory.distributions.Continuous.logpdf_near`), since ``1 - t`` rounds to 1 for
    ``t < 1.1e-16`` while the density there still carries mass of order ``sqrt(t)``. Infinite
    tails are integrated in logarithmic coordinates out to ``|x| = 1e100``; an integrand whose
    tail has not decayed by then (``|x f(x)| > atol`` at 1e60, 1e80 or 1e100, as for
    ``KL(Cauchy || normal)``) is non-integrable and the result is ``±inf`` by its sign. (A tail
    decaying more slowly than about ``x^-1.1`` but still integrable would be misreported as
    infinite.)

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

    Returns
    -------
    Estimate
        ``(value, abserr, pieces, neval)``.

    Raises
    ------
    QuadratureError
        If the accuracy cannot be met, or a density is infinite at an upper support end of a
        family :mod:`gantheory.distributions` cannot reflect.
    """
    if domain is None:
        sups = [d.support() for d in dists]
        domain = (min(s[0] for s in sups), max(s[1] for s in sups))
    lo, hi = float(domain[0]), float(domain[1])
    if not lo < hi:
        return Estimate(0.0, 0.0, 0, 0)
    pts = breakpoints(dists, (lo, hi))

    def at_x(x: float) -> float:
        return _finite_or_raise(f(x, tuple(d.logpdf(x) for d in dists)), x, what)

    def near(end: float, side: int) -> Callable[[float], float]:
        def at_t(t: float) -> float:
            x = end + side * t
            logs = tuple(d.logpdf_near(end, side, t) for d in dists)
            return _finite_or_raise(f(x, logs), x, what)

        return at_t

    # Points where some density is infinite (support ends of Beta(1/2, 1/2) and the like),
    # whether they bound the domain or lie inside another distribution's support.
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
    # Each piece: (function of the integration variable, lower, upper, reach), where reach is
    # max |x| over the piece divided by its width: float64 puts the nodes within eps*|x| of
    # where QUADPACK meant them, a relative shift of eps*reach across the piece.
    pieces: list[tuple[Callable[[float], float], float, float, float]] = []
    for a, b in itertools.pairwise(pts.tolist()):
        anchor = _anchor(a, b, singular)
        if anchor is None:
            pieces.append((at_x, a, b, max(abs(a), abs(b)) / (b - a)))
        else:  # below a singular point: t = anchor - x; above it: t = x - anchor
            g, t_lo, t_hi = (
                (near(anchor, -1), anchor - b, anchor - a) if anchor >= b
                else (near(anchor, 1), a - anchor, b - anchor)
            )
            pieces += [(g, t0, t1, t1 / (t1 - t0)) for t0, t1 in _near_split(t_lo, t_hi)]
    # Tails beyond the outermost landmarks, in logarithmic coordinates (see _log_tail).
    tails: list[tuple[float, float]] = []
    if math.isinf(lo):
        w = float(pts[1] - pts[0]) if pts.size > 1 else max(1.0, abs(float(pts[0])))
        tails.append((float(pts[0]), -w))
    if math.isinf(hi):
        w = float(pts[-1] - pts[-2]) if pts.size > 1 else max(1.0, abs(float(pts[-1])))
        tails.append((float(pts[-1]), w))
    remainder = 0.0
    for end, w in tails:
        g, u_of = _log_tail(at_x, end, w)
        # In u = log(1 + |x - end|/|w|) the integrand is about x f(x). A tail that has not
        # fallen below atol by |x| = 1e60..1e100 is not integrable (KL(t_2 || normal): x f(x)
        # tends to 1/2): the integral is ±inf. Further out, a density of x^-3 underflows while
        # x f(x) would still be 1/2, so the test stops at 1e100.
        try:
            far = [g(u_of(x)) for x in _TAIL_PROBE]
        except _Infinite as inf:
            return Estimate(inf.sign * math.inf, 0.0, len(pieces), 0)
        worst = max(far, key=abs)
        if abs(worst) > atol:
            return Estimate(math.copysign(math.inf, worst), 0.0, len(pieces), 0)
        # Beyond 1e100 the tail is dropped; for a tail decaying at least like x^-1.07 what is
        # dropped is at most x f(x) / 0.07 at x = 1e100, added to the error bound.
        remainder += abs(far[-1]) / 0.07
        u_max = u_of(_TAIL_PROBE[-1])
        cuts = [0.0, *(c for c in _TAIL_CUTS if c < u_max), u_max]
        pieces += [(g, u0, u1, 1.0) for u0, u1 in itertools.pairwise(cuts)]

    piece_atol = atol / len(pieces)
    total, err, neval = 0.0, remainder, 0
    try:
        for g, a, b, reach in pieces:
            v, e, n = _quad_piece(g, a, b, piece_atol, rtol, what, depth=0)
            floor = 4 * _EPS * float(reach) * abs(v)  # node-rounding floor, see above
            total, err, neval = total + v, err + e + floor, neval + n
    except _Infinite as inf:
        return Estimate(inf.sign * math.inf, 0.0, len(pieces), neval)
    if not err <= atol + rtol * abs(total):
        raise QuadratureError(
            f"the {what} = {total!r} has error estimate {err:.3g} > tolerance"
            f" {atol + rtol * abs(total):.3g} (atol={atol:g}, rtol={rtol:g})"
        )
    return Estimate(total, err, len(pieces), neval)


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


#: |x| at which the tails are probed for decay; the last is how far they are followed (squares
#: of 1e100 stay finite, and a density of x^-3 is still representable there).
_TAIL_PROBE = (1e60, 1e80, 1e100)
#: Cuts of the logarithmic tail coordinate u: QUADPACK sees every scale separately.
_TAIL_CUTS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0)


def _log_tail(
    g: Callable[[float], float], end: float, w: float
) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """The tail beyond ``end`` (direction and scale ``w``) in ``u = log(1 + |x - end| / |w|)``.

    ``x = end + w (e^u - 1)``, ``dx = |w| e^u du``: a power-law tail ``x^-a`` becomes
    ``e^{(1-a) u}``, exponentially decaying for integrable tails, and a tail of scale ``|w|``
    far from the origin (a Cauchy's beyond its 1e-9 quantile at 3e8) is seen at u of order 1
    instead of being squeezed by QUADPACK's own map of [end, inf) into t < 1e-9 and missed.
    Returns the integrand in u and the map from a distance |x| to u.
    """

    def h(u: float) -> float:
        e = math.exp(u)
        return abs(w) * e * g(end + w * (e - 1.0))

    def u_of(x_abs: float) -> float:
        return math.log1p(max(x_abs - abs(end), abs(w)) / abs(w))

    return h, u_of


def _finite_or_raise(y: float, x: float, what: str) -> float:
    if math.isnan(y):
        raise ValueError(f"the integrand of the {what} is NaN at x = {x!r}")
    if math.isinf(y):
        raise _Infinite(math.copysign(1.0, y), x)
    return y


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
        raise QuadratureError(
            f"the {what} could not be computed to the requested accuracy on [{a!r}, {b!r}]:"
            f" value {v!r}, error estimate {e:.3g}, requested {max(atol, rtol * abs(v)):.3g}"
            + (f" ({caught[-1].message})" if caught else "")
        )
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
