r"""Wasserstein distances of 1-D distributions and the optimal critic of Kantorovich-Rubinstein
duality, the distance a Wasserstein GAN minimises (Arjovsky, Chintala & Bottou 2017).

On the real line the optimal transport cost has a closed form through the distribution functions
(Vallender 1973) and the quantile functions:

.. math:: W_1(P, Q) = \int_{-\infty}^{\infty} |F_P(x) - F_Q(x)|\,dx, \qquad
          W_2(P, Q) = \Bigl(\int_0^1 \bigl(F_P^{-1}(u) - F_Q^{-1}(u)\bigr)^2 du\Bigr)^{1/2}.

Both are the optimal transport costs :math:`\inf_\gamma \mathbb{E}_\gamma|X - Y|^p` over the
couplings of P and Q; the ``W_1`` integral is finite for two Cauchy distributions a shift apart
(it is the shift) although neither has a mean, and infinite when one tail's first moment
diverges and the other's does not (Cauchy against normal). Kantorovich-Rubinstein duality

.. math:: W_1(P, Q) = \sup_{\|f\|_L \le 1} \mathbb{E}_P f - \mathbb{E}_Q f

is attained on the line by the critic with :math:`f' = \operatorname{sign}(F_Q - F_P)`
(:func:`wasserstein_critic`), whenever both first moments are finite.

Inputs are as for :func:`gantheory.kl`:

* **Discrete**: the locations matter here. A :class:`~gantheory.Discrete` or a probability
  vector of length ``n`` sits on the points ``0, 1, ..., n - 1``; a frozen scipy.stats discrete
  distribution on its own support points (``rv_discrete(values=(xk, pk))`` on ``xk``, which may
  be any reals). The sums over the aligned points are exact up to rounding; the distribution
  functions are cumulative sums of the masses from the left where they are at most 1/2 and
  survival sums from the right elsewhere, or scipy's own ``cdf`` and ``sf``. A tail cut from an
  infinite support is bounded by a dyadic sum of ``sf`` (or ``cdf``) values beyond the cut.
* **Continuous**: scipy.stats frozen distributions, :class:`~gantheory.Mixture` and push-forwards
  of generators, through the error-bounded quadrature of :mod:`gantheory.quadrature`, split at
  the points where the distribution functions cross (the kinks of :math:`|F_P - F_Q|`); the
  difference is taken from ``cdf`` where a distribution function is at most 1/2 and from ``sf``
  where both exceed it, so nothing cancels in either tail. A divergent integral is detected by
  the quadrature's tail analysis (``|x| |F_P - F_Q|`` not decaying between ``|x| = 1e60`` and
  ``1e100``) and returned as ``inf``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import integrate, optimize

from gantheory._discrete_scipy import (
    MAX_POINTS,
    TAIL_MASS,
    Pair,
    describe_pair_source,
    is_scipy_discrete,
)
from gantheory._numerics import rounding_bound
from gantheory._validation import check_tolerances, describe
from gantheory.distributions import Continuous, Mixture, coerce_pair
from gantheory.quadrature import (
    DEFAULT_ATOL,
    DEFAULT_RTOL,
    Estimate,
    QuadratureError,
    breakpoints,
    integrate_pieces,
)

__all__ = [
    "Critic",
    "ParallelLines",
    "critic_objective",
    "parallel_lines",
    "wasserstein",
    "wasserstein_critic",
]

_EPS = float(np.finfo(np.float64).eps)
#: Dyadic steps 2^j, j = 0..1000, of the tail bounds beyond a cut discrete support.
_STEPS = 2.0 ** np.arange(0, 1001)
#: Points per gap between landmarks, and per infinite tail, where crossings of F_P and F_Q are
#: looked for.
_GRID_PER_GAP, _GRID_TAIL = 24, 240
#: u = exp(-s): the W2 quantile integral is split at these s and bounded beyond the last.
_S_CUTS = (math.log(2.0), 1.5, 3.0, 6.0, 12.0, 24.0, 48.0, 96.0, 192.0, 384.0, 700.0)


def _check_order(order: object) -> int:
    ok = (
        not isinstance(order, bool) and isinstance(order, (int, float, np.integer, np.floating))
        and order in (1, 2)
    )
    if not ok:
        raise ValueError(f"`order` must be 1 or 2 (got {describe(order)})")
    return int(order)  # type: ignore[arg-type]


# --- distribution functions of the continuous inputs ------------------------------------------
class _Tails:
    """``cdf`` and ``sf`` (arrays) of one continuous distribution, each accurate in its tail."""

    def __init__(self, dist: Continuous, name: str) -> None:
        src = dist.source
        if isinstance(src, Mixture):
            w, comps = src.weights, src.components
            self.cdf = lambda x: sum(wi * c.cdf(x) for wi, c in zip(w, comps))
            self.sf = lambda x: sum(wi * c.sf(x) for wi, c in zip(w, comps))
        elif hasattr(src, "cdf") and hasattr(src, "sf"):
            self.cdf, self.sf = src.cdf, src.sf
        else:
            raise TypeError(
                f"`{name}` = {dist!r} has no distribution function (cdf and sf), which the"
                " Wasserstein distance is computed from"
            )
        self.ppf = getattr(src, "ppf", None) if not isinstance(src, Mixture) else None
        self.isf = getattr(src, "isf", None) if not isinstance(src, Mixture) else None


def _difference(a: _Tails, b: _Tails) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``x -> (F_P(x) - F_Q(x), F or S values used)``: from ``cdf`` where either distribution
    function is at most 1/2, from ``sf`` (``S_Q - S_P``) where both exceed it. The second array
    sizes the rounding error, a few eps of the values used."""

    def d(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(x, dtype=np.float64)
        fp, fq = np.asarray(a.cdf(x), float), np.asarray(b.cdf(x), float)
        right = (fp > 0.5) & (fq > 0.5)
        diff, used = fp - fq, fp + fq
        if right.any():
            xr = x[right] if x.ndim else x
            sp, sq = np.asarray(a.sf(xr), float), np.asarray(b.sf(xr), float)
            if x.ndim:
                diff[right], used[right] = sq - sp, sp + sq
            else:
                diff, used = sq - sp, sp + sq
        return diff, used

    return d


def _grid(dists: Sequence[Continuous], lo: float, hi: float) -> np.ndarray:
    """Where crossings of the distribution functions are looked for: every landmark, each gap
    between them cut in :data:`_GRID_PER_GAP`, and geometric points out to ``|x| = 1e100`` on an
    infinite side."""
    pts = breakpoints(dists, (lo, hi))
    parts = [pts]
    for a, b in itertools.pairwise(pts):
        parts.append(np.linspace(a, b, _GRID_PER_GAP + 1)[1:-1])
    width = max(1.0, float(pts[-1] - pts[0]))
    if math.isinf(hi):
        parts.append(pts[-1] + np.geomspace(width * 1e-3, 1e100, _GRID_TAIL))
    if math.isinf(lo):
        parts.append(pts[0] - np.geomspace(width * 1e-3, 1e100, _GRID_TAIL))
    return np.unique(np.concatenate(parts))


def _crossings(
    d: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], grid: np.ndarray
) -> tuple[list[float], np.ndarray, np.ndarray]:
    """The points where ``F_P - F_Q`` changes sign between grid points (by Brent's method), the
    sign of ``F_Q - F_P`` at every grid point, and the distribution-function values used
    there."""
    diff, used = d(grid)
    sign = -np.sign(diff)
    idx = np.flatnonzero(sign != 0)
    roots: list[float] = []
    for i, j in itertools.pairwise(idx):
        if sign[i] == sign[j]:
            continue
        a, b = float(grid[i]), float(grid[j])
        r = optimize.brentq(lambda t: float(d(np.float64(t))[0]), a, b, xtol=4 * _EPS * max(
            1.0, abs(a), abs(b)), rtol=4 * _EPS)
        roots.append(r)
    return roots, sign, used


def _continuous_w1(
    pair: Pair, atol: float, rtol: float
) -> tuple[Estimate, list[float]]:
    pv, qv = pair.p, pair.q
    a, b = _Tails(pv, "p"), _Tails(qv, "q")
    d = _difference(a, b)
    (plo, phi), (qlo, qhi) = pv.support(), qv.support()
    lo, hi = min(plo, qlo), max(phi, qhi)
    grid = _grid([pv, qv], lo, hi)
    roots, _, used = _crossings(d, grid)
    cuts = [lo, *roots, hi]
    value, err, pieces, neval = 0.0, 0.0, 0, 0
    share = atol / (len(cuts) - 1)
    for x0, x1 in itertools.pairwise(cuts):
        est = integrate_pieces(
            lambda x, lg: abs(float(d(np.float64(x))[0])), [pv, qv], domain=(x0, x1),
            atol=share, rtol=rtol, what="Wasserstein distance W1",
        )
        if math.isinf(est.value):
            return Estimate(math.inf, 0.0, pieces + est.pieces, neval + est.neval), roots
        value, err = value + est.value, err + est.abserr
        pieces, neval = pieces + est.pieces, neval + est.neval
    # the rounding of F_P - F_Q itself, 4 eps of the values used, integrated by the trapezoidal
    # rule on the crossing grid (to |x| = 1e100, as far as the quadrature evaluates) and doubled
    err += 2 * 4 * _EPS * float(np.trapezoid(used, grid))
    if err > atol + rtol * value:
        raise QuadratureError(
            f"the Wasserstein distance W1 = {value!r} has error estimate {err:.3g} > tolerance"
            f" {atol + rtol * value:.3g} (atol={atol:g}, rtol={rtol:g}), the rounding of the"
            " distribution functions included; pass a larger atol"
        )
    return Estimate(value, err, pieces, neval), roots


def _quantile_piece(g: Callable[[float], float], s0: float, s1: float, atol: float,
                    rtol: float) -> tuple[float, float]:
    """One piece of the W2 quantile integral with QUADPACK; trouble it reports is an error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", integrate.IntegrationWarning)
        v, e = integrate.quad(g, s0, s1, epsabs=atol, epsrel=rtol, limit=200)
    if caught:
        raise QuadratureError(
            f"W2 could not be computed to the requested accuracy on u in [exp(-{s1:g}),"
            f" exp(-{s0:g})]: value {v!r}, error estimate {e:.3g} ({caught[-1].message})"
        )
    return float(v), float(e)


def _continuous_w2(pair: Pair, atol: float, rtol: float) -> Estimate:
    r""":math:`W_2^2 = \int_0^{1/2} (F_P^{-1}(u) - F_Q^{-1}(u))^2 du` plus the same with the
    survival quantiles ``isf`` for the upper half, each in :math:`u = e^{-s}` so that the tails
    are resolved down to :math:`u = e^{-700}`; beyond, the integrand in ``s`` is taken to decay
    like :math:`e^{-ks}` as measured between ``s = 600`` and ``700``, and ``inf`` is returned
    when it does not decay (a second moment that diverges in one distribution only)."""
    a, b = _Tails(pair.p, "p"), _Tails(pair.q, "q")
    for t, name in ((a, "p"), (b, "q")):
        if t.ppf is None or t.isf is None:
            src = (pair.p if name == "p" else pair.q)
            raise ValueError(
                f"`{name}` = {src!r} has no closed-form quantile functions (ppf and isf), which"
                " W2 is computed from: use order=1, or a scipy.stats distribution"
            )
    total, err = 0.0, 0.0
    share = atol / (2 * len(_S_CUTS))
    for lower in (True, False):
        fa, fb = (a.ppf, b.ppf) if lower else (a.isf, b.isf)

        def g(s: float, fa=fa, fb=fb) -> float:  # u = e^-s, du = e^-s ds
            u = math.exp(-s)
            gap = abs(float(fa(u)) - float(fb(u)))
            return math.inf if gap > 1e150 else gap * gap * u

        # beyond s = 700 (u < 1e-304): g ~ C e^{-k s}, measured between s = 600 and 700
        g1, g2 = g(600.0), g(700.0)
        if math.isnan(g1) or math.isnan(g2):
            raise QuadratureError(
                "W2 cannot be bounded: a quantile function is NaN at u = exp(-700)"
            )
        if g2 > 0.0:
            k = math.log(g1 / g2) / 100.0 if 0 < g1 < math.inf and g2 < math.inf else 0.0
            if k <= 1e-3:
                return Estimate(math.inf, 0.0)
            err += 2.0 * g2 / k
        for s0, s1 in itertools.pairwise(_S_CUTS):
            v, e = _quantile_piece(g, s0, s1, share, rtol)
            total, err = total + v, err + e
    w2 = math.sqrt(max(total, 0.0))
    dw = math.sqrt(err) if w2 == 0.0 else min(math.sqrt(err), err / w2)
    if dw > atol + rtol * w2:
        raise QuadratureError(
            f"the Wasserstein distance W2 = {w2!r} has error estimate {dw:.3g} > tolerance"
            f" {atol + rtol * w2:.3g} (atol={atol:g}, rtol={rtol:g}); pass a larger atol"
        )
    return Estimate(w2, dw)


# --- discrete ------------------------------------------------------------------------------
def _points(pair: Pair) -> np.ndarray:
    return np.arange(float(np.size(pair.p))) if pair.points is None else pair.points


def _cdf_sf(pair: Pair, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """``F`` and ``S = 1 - F`` of side ``k`` at the points, and their relative rounding."""
    src, mass, pts = pair.sources[k], (pair.p, pair.q)[k], _points(pair)
    if is_scipy_discrete(src):
        return np.asarray(src.cdf(pts), float), np.asarray(src.sf(pts), float), 4 * _EPS
    mass = np.asarray(mass, dtype=np.float64)
    F = np.cumsum(mass)
    S = np.concatenate([np.cumsum(mass[::-1])[::-1][1:], [0.0]])
    return F, S, (mass.size + 1) * _EPS


def _tail(pair: Pair, k: int, side: int) -> float:
    r"""A bound on :math:`\int S` beyond the last point (``side`` +1) or on :math:`\int F`
    before the first (-1), for side ``k`` of the pair.

    S is non-increasing and right-continuous: on :math:`[x_n + 2^j - 1, x_n + 2^{j+1} - 1)` it
    is at most :math:`S(x_n + 2^j - 1)`, so the integral is at most
    :math:`\sum_j 2^j S(x_n + 2^j - 1)`; likewise :math:`\sum_j 2^j P(X < x_0 - 2^j + 1)` on the
    left. The terms are evaluated 16 at a time until they vanish: a light tail, cut where the
    mass beyond is at most 1e-300, vanishes within a few doublings. A heavy tail, cut after
    :data:`~gantheory._discrete_scipy.MAX_POINTS` points with mass left, is refused.
    """
    src = pair.sources[k]
    if not is_scipy_discrete(src):
        return 0.0
    if pair.omitted[k] > 2 * TAIL_MASS:
        raise ValueError(
            f"`{'pq'[k]}` = {describe_pair_source(src)} leaves mass {pair.omitted[k]:.3g} beyond"
            f" the {MAX_POINTS} points listed on each side of its median (a heavy tail), which"
            " wasserstein does not bound"
        )
    pts = _points(pair)
    lo, hi = (float(v) for v in src.support())  # type: ignore[attr-defined]
    if (side > 0 and hi <= pts[-1]) or (side < 0 and lo >= pts[0]):
        return 0.0  # that side of the support is listed whole
    total = 0.0
    for j in range(0, _STEPS.size, 16):
        steps = _STEPS[j:j + 16]
        with np.errstate(all="ignore"):
            if side > 0:
                vals = np.asarray(src.sf(pts[-1] + steps - 1.0), float)
            else:
                vals = np.asarray(src.cdf(np.nextafter(pts[0] - steps + 1.0, -np.inf)), float)
        terms = steps * vals
        if not np.isfinite(terms).all():
            break
        total += float(np.sum(terms))
        if terms[-1] == 0.0:
            return total
    raise QuadratureError(
        f"the tail of {describe_pair_source(src)} beyond the points summed cannot be bounded:"
        " scipy.stats does not give its distribution function far out as a vanishing number"
    )


def _tails_bound(pair: Pair) -> float:
    r"""What the two tails beyond the points can add to W1:
    :math:`\int_{x_n}^\infty |S_P - S_Q| \le \int S_P + \int S_Q`, and likewise on the left."""
    return sum(_tail(pair, k, side) for k in (0, 1) for side in (-1, 1))


def _discrete_diff(pair: Pair) -> tuple[np.ndarray, np.ndarray]:
    """``F_P - F_Q`` at the points (from the left where either F is at most 1/2, as
    ``S_Q - S_P`` elsewhere) and a bound on its rounding."""
    (fp, sp, ep), (fq, sq, eq) = _cdf_sf(pair, 0), _cdf_sf(pair, 1)
    right = (fp > 0.5) & (fq > 0.5)
    diff = np.where(right, sq - sp, fp - fq)
    round_ = np.where(right, ep * sp + eq * sq, ep * fp + eq * fq) + _EPS * np.abs(diff)
    return diff, round_


def _discrete_w1(pair: Pair, atol: float, rtol: float, full_output: bool) -> float | Estimate:
    pts = _points(pair)
    tail = _tails_bound(pair)
    diff, round_ = _discrete_diff(pair)
    widths = np.diff(pts)
    terms = np.abs(diff[:-1]) * widths
    value = float(np.sum(terms))
    if tail > atol + rtol * value:
        p, q = (describe_pair_source(v) for v in pair.sources)
        raise QuadratureError(
            f"the Wasserstein distance W1 of {p} and {q} cannot be summed to the requested"
            f" accuracy: the tails beyond the {pts.size} points summed can add up to {tail:.3g}"
            f" > tolerance {atol + rtol * value:.3g} (atol={atol:g}, rtol={rtol:g})"
        )
    if not full_output:
        return value
    bound = rounding_bound(terms) + float(np.sum(round_[:-1] * widths)) + tail
    return Estimate(value, bound, 0, int(pts.size))


def _discrete_w2(pair: Pair, full_output: bool) -> float | Estimate:
    tail = _tails_bound(pair)
    if tail > 0.0:
        p, q = (describe_pair_source(v) for v in pair.sources)
        raise ValueError(
            f"W2 of {p} and {q} is not computed: their supports go on beyond the points summed"
            f" (where the mass left is positive in float64, with a W1 tail bound of {tail:.3g}),"
            " and W2 bounds no such tail; use order=1"
        )
    pts = _points(pair)
    a = np.cumsum(np.asarray(pair.p, float))
    b = np.cumsum(np.asarray(pair.q, float))
    last_p, last_q = np.flatnonzero(pair.p)[-1], np.flatnonzero(pair.q)[-1]
    a[last_p:], b[last_q:] = 1.0, 1.0  # the rounding of the last partial sums
    levels = np.unique(np.concatenate([a, b, [0.0]]))
    levels = levels[(levels >= 0.0) & (levels <= 1.0)]
    du = np.diff(levels)
    ip = np.minimum(np.searchsorted(a, levels[1:], side="left"), last_p)
    iq = np.minimum(np.searchsorted(b, levels[1:], side="left"), last_q)
    gap2 = (pts[ip] - pts[iq]) ** 2
    terms = du * gap2
    w2sq = float(np.sum(terms))
    w2 = math.sqrt(w2sq)
    if not full_output:
        return w2
    # rounding: of the sum, and of the levels (each within n eps of its exact value)
    e2 = rounding_bound(terms) + 2 * (pts.size + 1) * _EPS * float(np.max(gap2, initial=0.0))
    e2 *= du.size
    dw = math.sqrt(e2) if w2 == 0.0 else min(math.sqrt(e2), e2 / w2)
    return Estimate(w2, dw, 0, int(pts.size))


# --- public ----------------------------------------------------------------------------------
def wasserstein(
    p: object,
    q: object,
    *,
    order: int = 1,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The Wasserstein distance :math:`W_1` (or :math:`W_2`) of two 1-D distributions.

    .. math:: W_1(P, Q) = \int |F_P(x) - F_Q(x)|\,dx, \qquad
              W_2(P, Q)^2 = \int_0^1 (F_P^{-1}(u) - F_Q^{-1}(u))^2\,du

    (Vallender 1973; the distance of Arjovsky, Chintala & Bottou 2017, Definition in Section 2,
    in one dimension), in the units of ``x``.

    Parameters
    ----------
    p, q : Discrete, array_like, or continuous distributions
        Both discrete or both continuous, as for :func:`gantheory.kl`. A probability vector or
        :class:`~gantheory.Discrete` of length ``n`` has its masses at ``0, 1, ..., n - 1``; to
        place masses elsewhere pass ``scipy.stats.rv_discrete(values=(xk, pk))``. Frozen
        scipy.stats discrete distributions are aligned on their support points; an infinite
        support is summed to where the mass beyond is at most 1e-300 and the rest is bounded.
    order : {1, 2}
        :math:`W_1` or :math:`W_2`. ``order=2`` needs discrete supports whose mass float64
        holds on finitely many points (any finite support; ``poisson``, whose mass beyond the
        points summed underflows to 0; not ``geom``, whose does not), or scipy.stats continuous
        distributions (quantile functions ``ppf`` and ``isf``).
    full_output : bool
        Return an :class:`~gantheory.Estimate` ``(value, abserr, ...)`` instead of a float.
    atol, rtol : float
        Accuracy requested (validated for every input).

    Returns
    -------
    float or Estimate
        ``inf`` where the integral diverges (a Cauchy against a normal: one first moment
        diverges, the other does not); never NaN.

    Raises
    ------
    ValueError
        For ``order`` not 1 or 2, W2 of an infinite discrete support or of distributions
        without closed-form quantiles, a heavy discrete tail (zipf's: cut after 2**20 points with
        mass left, not bounded here), and invalid distributions.
    TypeError
        For a discrete argument with a continuous one, or a non-distribution.
    gantheory.QuadratureError
        When the requested accuracy cannot be reached.

    Examples
    --------
    >>> from scipy import stats
    >>> bool(wasserstein([1.0, 0.0, 0.0], [0.0, 0.0, 1.0]) == 2.0)  # points 0 and 2
    True
    >>> w = wasserstein(stats.norm(0, 1), stats.norm(3, 1), full_output=True)
    >>> bool(abs(w.value - 3.0) <= w.abserr + 1e-14)  # a shift moves every point by 3
    True
    >>> w2 = wasserstein(stats.norm(0, 1), stats.norm(1, 2), order=2)  # sqrt(dmu^2 + dsigma^2)
    >>> bool(np.isclose(w2, np.sqrt(2.0), rtol=1e-12, atol=0))
    True
    >>> wasserstein(stats.cauchy(0, 1), stats.norm(0, 1))
    inf
    """
    order = _check_order(order)
    atol, rtol = check_tolerances(atol, rtol)
    pair = coerce_pair(p, q)
    if pair.kind == "discrete":
        if order == 2:
            return _discrete_w2(pair, full_output)
        return _discrete_w1(pair, atol, rtol, full_output)
    if order == 2:
        est = _continuous_w2(pair, atol, rtol)
    else:
        est = _continuous_w1(pair, atol, rtol)[0]
    return est if full_output else est.value


class Critic:
    r"""A piecewise-linear function :math:`f` on the line, vectorized, 0 at ``x0``.

    ``f(x) = values[i] + slopes[i + 1] * (x - knots[i])`` between ``knots[i]`` and
    ``knots[i + 1]``; ``slopes[0]`` and ``slopes[-1]`` continue it below the first and above the
    last knot. Its Lipschitz constant is ``max |slopes|``: the optimal critic of
    :func:`wasserstein_critic` has slopes -1, 0 and 1 only.

    Attributes
    ----------
    knots : ndarray, shape (k,)
    values : ndarray, shape (k,)
        ``f`` at the knots.
    slopes : ndarray, shape (k + 1,)
    """

    def __init__(self, knots: np.ndarray, slopes: np.ndarray, x0: float) -> None:
        self.knots = np.asarray(knots, dtype=np.float64)
        self.slopes = np.asarray(slopes, dtype=np.float64)
        if self.knots.ndim != 1 or self.knots.size == 0 or np.any(np.diff(self.knots) <= 0):
            raise ValueError(f"`knots` must be increasing and not empty (got {describe(knots)})")
        if self.slopes.shape != (self.knots.size + 1,) or not np.isfinite(self.slopes).all():
            raise ValueError(
                f"`slopes` must hold len(knots) + 1 = {self.knots.size + 1} finite slopes (got"
                f" {describe(slopes)})"
            )
        v = np.concatenate([[0.0], np.cumsum(self.slopes[1:-1] * np.diff(self.knots))])
        self.values = v - self._raw(np.array([x0]), v)[0]

    def _raw(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        k, s = self.knots, self.slopes
        out = np.interp(x, k, v)
        out = np.where(x < k[0], v[0] + s[0] * (x - k[0]), out)
        return np.where(x > k[-1], v[-1] + s[-1] * (x - k[-1]), out)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        return self._raw(np.asarray(x, dtype=np.float64), self.values)

    def __repr__(self) -> str:
        return f"Critic({self.knots.size} knots, slopes {np.array2string(self.slopes)})"


def wasserstein_critic(p: object, q: object, *, x0: float = 0.0) -> Critic:
    r"""The optimal critic of Kantorovich-Rubinstein duality in one dimension.

    .. math:: f(x) = \int_{x_0}^{x} \operatorname{sign}\bigl(F_Q(t) - F_P(t)\bigr)\,dt,
              \qquad \mathbb{E}_P f - \mathbb{E}_Q f = \int f'(F_Q - F_P)\,dx = W_1(P, Q)

    (integration by parts, valid when both first moments are finite; Villani 2009, Remark 6.5;
    the dual form of Arjovsky, Chintala & Bottou 2017, Eq. 2). :math:`f` is 1-Lipschitz, 0 at
    ``x0``, with kinks where the distribution functions cross.

    Parameters
    ----------
    p, q : distributions
        As for :func:`wasserstein`. For discrete ones the kinks are at the support points and
        ``f`` is constant beyond the points summed (the tails of an infinite support, of mass at
        most 1e-300, are left out); for continuous ones the crossings are located by Brent's
        method between the points of a grid over the landmarks of both distributions.
    x0 : float
        Where ``f`` is 0.

    Returns
    -------
    Critic
        A vectorized callable.

    Examples
    --------
    >>> f = wasserstein_critic([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
    >>> f(np.array([0.0, 1.0, 2.0, 5.0]))   # slope -1: P lies left of Q
    array([ 0., -1., -2., -2.])
    >>> p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
    >>> x = np.arange(3.0)
    >>> bool(np.isclose(np.dot(p, f(x)) - np.dot(q, f(x)), wasserstein(p, q), rtol=1e-15, atol=0))
    True
    """
    if isinstance(x0, bool) or not isinstance(x0, (int, float, np.integer, np.floating)) or not (
        math.isfinite(x0)
    ):
        raise ValueError(f"`x0` must be a finite number (got {describe(x0)})")
    pair = coerce_pair(p, q)
    if pair.kind == "discrete":
        pts = _points(pair)
        diff = _discrete_diff(pair)[0]
        slopes = np.concatenate([[0.0], -np.sign(diff[:-1]), [0.0]])
        return Critic(pts, slopes, float(x0))
    a, b = _Tails(pair.p, "p"), _Tails(pair.q, "q")
    d = _difference(a, b)
    (plo, phi), (qlo, qhi) = pair.p.support(), pair.q.support()
    lo, hi = min(plo, qlo), max(phi, qhi)
    grid = _grid([pair.p, pair.q], lo, hi)
    roots, sign, _ = _crossings(d, grid)
    knots = np.unique(np.array([v for v in (lo, *roots, hi) if math.isfinite(v)] or [x0]))
    # the slope on each interval between knots: the sign of F_Q - F_P on its grid points
    edges = np.concatenate([[-np.inf], knots, [np.inf]])
    slopes = np.zeros(knots.size + 1)
    for i in range(slopes.size):
        inside = (grid > edges[i]) & (grid < edges[i + 1]) & (sign != 0)
        if inside.any():
            slopes[i] = np.sign(np.sum(sign[inside]))
    return Critic(knots, slopes, float(x0))


def critic_objective(
    p: object,
    q: object,
    f: Callable[[np.ndarray], np.ndarray],
    *,
    kinks: npt.ArrayLike = (),
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The objective of the dual problem, :math:`\mathbb{E}_P f - \mathbb{E}_Q f`, for a critic
    ``f`` (Arjovsky, Chintala & Bottou 2017, Eq. 2; at most :math:`W_1(P, Q)` for 1-Lipschitz
    ``f``).

    Computed from the masses or densities, independently of the distribution functions that
    :func:`wasserstein` integrates: an exact sum over the points for discrete distributions
    (whose tails beyond the points, of mass at most 1e-300, are left out), and
    :math:`\int f(x)(p(x) - q(x))\,dx` by the quadrature of :mod:`gantheory.quadrature` for
    continuous ones, split at ``kinks`` (the knots of a piecewise-linear ``f``; a
    :class:`Critic`'s own knots are used when ``f`` is one).

    Parameters
    ----------
    p, q : distributions
    f : callable
        Vectorized, finite on the supports.
    kinks : array_like
        Points where ``f`` is not smooth.
    full_output, atol, rtol
        As for :func:`wasserstein`.
    """
    atol, rtol = check_tolerances(atol, rtol)
    if not callable(f):
        raise TypeError(f"`f` must be a vectorized function (got {describe(f)})")
    pair = coerce_pair(p, q)
    if pair.kind == "discrete":
        fx = np.asarray(f(_points(pair)), dtype=np.float64)
        terms = np.concatenate([np.asarray(pair.p) * fx, -np.asarray(pair.q) * fx])
        value = float(np.sum(terms))
        return Estimate(value, rounding_bound(terms), 0, fx.size) if full_output else value
    cuts = np.asarray(kinks, dtype=np.float64).ravel()
    if isinstance(f, Critic):
        cuts = np.concatenate([cuts, f.knots])
    (plo, phi), (qlo, qhi) = pair.p.support(), pair.q.support()
    lo, hi = min(plo, qlo), max(phi, qhi)
    cuts = np.unique(cuts[np.isfinite(cuts) & (cuts > lo) & (cuts < hi)])
    ends = [lo, *cuts.tolist(), hi]
    share = atol / (len(ends) - 1)
    # E_P f - E_Q f = E_P (f - c) - E_Q (f - c): with c = f at a central landmark the integrand
    # does not carry a large constant (f(1e4) for peaks at 1e4) that the two densities cancel
    center = float(np.median(breakpoints([pair.p, pair.q], (lo, hi))))
    c = float(np.asarray(f(np.array([center])), dtype=np.float64)[0])

    def integrand(x: float, lg: tuple[float, ...]) -> float:
        w = math.exp(lg[0]) - math.exp(lg[1])
        return 0.0 if w == 0.0 else w * (float(f(np.array([x]))[0]) - c)

    value, err, pieces, neval = 0.0, 0.0, 0, 0
    for x0, x1 in itertools.pairwise(ends):
        est = integrate_pieces(
            integrand, [pair.p, pair.q], domain=(x0, x1), atol=share, rtol=rtol,
            what="critic objective E_P f - E_Q f",
        )
        value, err = value + est.value, err + est.abserr
        pieces, neval = pieces + est.pieces, neval + est.neval
    est = Estimate(value, err, pieces, neval)
    return est if full_output else est.value


@dataclass(frozen=True)
class ParallelLines:
    r"""The divergences of Example 1 of Arjovsky, Chintala & Bottou (2017) at one ``theta``.

    Attributes
    ----------
    theta : float
    jsd, kl_forward, kl_backward, tv : float
        :math:`\mathrm{JSD}(P_0, P_\theta)`, :math:`\mathrm{KL}(P_\theta \| P_0)`,
        :math:`\mathrm{KL}(P_0 \| P_\theta)` and :math:`\mathrm{TV}(P_0, P_\theta)`, computed by
        :func:`gantheory.jsd`, :func:`gantheory.kl` and :func:`gantheory.tv` on the
        x-marginals :math:`\delta_0`, :math:`\delta_\theta` (see :func:`parallel_lines`).
    w1 : Estimate
        :func:`wasserstein` of the x-marginals: a lower bound on the 2-D :math:`W_1`.
    coupling_cost : Estimate
        :math:`\int_0^1 \|(\theta, z) - (0, z)\|\,dz` by quadrature: the cost of the coupling
        that moves each point of the line sideways, an upper bound on the 2-D :math:`W_1`.
    critic_gap : Estimate
        :math:`\mathbb{E}_{P_\theta} f - \mathbb{E}_{P_0} f` for the 1-Lipschitz projection
        :math:`f(x, y) = \operatorname{sign}(\theta)\,x`, by quadrature over z: a lower bound.
    """

    theta: float
    jsd: float
    kl_forward: float
    kl_backward: float
    tv: float
    w1: Estimate
    coupling_cost: Estimate
    critic_gap: Estimate


def _point_mass(x: float) -> object:
    from scipy import stats

    return stats.rv_discrete(values=([float(x)], [1.0]))


def parallel_lines(theta: float) -> ParallelLines:
    r"""Example 1 of Arjovsky, Chintala & Bottou (2017): learning parallel lines.

    With :math:`Z \sim U[0, 1]`, :math:`P_0` is the law of :math:`(0, Z)` and :math:`P_\theta`
    that of :math:`(\theta, Z)`. The paper states, for :math:`\theta \ne 0`,

    .. math:: W(P_0, P_\theta) = |\theta|, \quad JS(P_0, P_\theta) = \log 2, \quad
              KL(P_\theta \| P_0) = KL(P_0 \| P_\theta) = +\infty, \quad
              \delta(P_0, P_\theta) = 1,

    and all four are 0 at :math:`\theta = 0`: only :math:`W` is continuous in
    :math:`\theta`.

    How each is computed. Both laws are products :math:`\delta_a \otimes U[0, 1]` with the same
    second factor, so with respect to :math:`(\delta_0 + \delta_\theta) \otimes U[0, 1]` their
    densities depend on x alone, and every f-divergence (KL, JS, TV) of the 2-D pair equals that
    of the x-marginals :math:`\delta_0, \delta_\theta`, which gantheory's discrete functions
    compute (as ``rv_discrete`` point masses). For :math:`W_1` the projection
    :math:`(x, y) \mapsto x` is 1-Lipschitz, so it maps every coupling of the 2-D pair to one of
    the marginals at no larger cost: :math:`W_1 \ge W_1(\delta_0, \delta_\theta)`, computed
    by :func:`wasserstein`. The coupling :math:`Z \mapsto ((0, Z), (\theta, Z))` bounds it
    above by its cost, and the critic :math:`f(x, y) = \operatorname{sign}(\theta)\,x` below
    (both integrals over z by QUADPACK): the three meet at :math:`|\theta|`.

    Examples
    --------
    >>> r = parallel_lines(0.5)
    >>> bool(r.jsd == np.log(2)), r.kl_forward, r.kl_backward, r.tv, r.w1.value
    (True, inf, inf, 1.0, 0.5)
    >>> parallel_lines(0.0).jsd
    0.0
    """
    from gantheory.divergences import jsd, kl, tv

    if isinstance(theta, bool) or not isinstance(theta, (int, float, np.integer, np.floating)) or (
        not math.isfinite(theta)
    ):
        raise ValueError(f"`theta` must be a finite number (got {describe(theta)})")
    theta = float(theta)
    p0, pt = _point_mass(0.0), _point_mass(theta)
    sign = math.copysign(1.0, theta) if theta else 0.0
    cost = integrate.quad(lambda z: math.hypot(theta - 0.0, z - z), 0.0, 1.0)
    gap = integrate.quad(lambda z: sign * theta - sign * 0.0, 0.0, 1.0)
    return ParallelLines(
        theta, float(jsd(p0, pt)), float(kl(pt, p0)), float(kl(p0, pt)), float(tv(p0, pt)),
        wasserstein(p0, pt, full_output=True),  # type: ignore[arg-type]
        Estimate(float(cost[0]), float(cost[1])), Estimate(float(gap[0]), float(gap[1])),
    )
