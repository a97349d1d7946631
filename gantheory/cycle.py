r"""Transport maps between 1-D laws and CycleGAN's cycle-consistency loss (Zhu et al. 2017).

CycleGAN trains :math:`G: X \to Y` and :math:`F: Y \to X` with adversarial losses, which ask
only that :math:`G_\# p_X = p_Y` and :math:`F_\# p_Y = p_X`, plus the cycle-consistency loss

.. math:: L_{cyc}(G, F) = \mathbb{E}_{p_X} |F(G(x)) - x| + \mathbb{E}_{p_Y} |G(F(y)) - y|

(Zhu et al. 2017, eq. 2). In one dimension everything is exact. Every map of the form

.. math:: T = F_Y^{-1} \circ S \circ F_X,

with :math:`S` a measure-preserving map of :math:`U(0, 1)`, pushes :math:`p_X` to :math:`p_Y`:
the increasing transport :math:`T_+ = F_Y^{-1} \circ F_X` (:math:`S = \mathrm{id}`), the
decreasing one :math:`T_- = F_Y^{-1} \circ (1 - F_X)`, and, for each :math:`c \in (0, 1)`, the
*folded* transport :math:`T_c` with the tent map :math:`S_c(u) = u/c` for :math:`u < c`,
:math:`(1 - u)/(1 - c)` for :math:`u \ge c` — infinitely many non-monotone maps, each attaining
the adversarial optimum :math:`JSD(T_\# p_X, p_Y) = 0`. Adversarial losses alone leave G
under-determined.

Cycle consistency singles out invertible maps. For :math:`T_\pm` and :math:`F = T_\pm^{-1}` the
cycle loss is 0. For a T that is not injective on a set of positive mass, no F makes it
vanish: given :math:`y = T(x)`, x is one of the preimages :math:`x_i(y)` with conditional
weights :math:`w_i \propto p_X(x_i)/|T'(x_i)|`, the best :math:`F(y)` is their weighted median
:math:`m(y)`, and that F is a right inverse of T (:math:`T(F(y)) = y`), so the backward term
vanishes too:

.. math:: \min_F L_{cyc}(T, F) = \mathbb{E}_{y \sim T_\# p_X} \sum_i w_i(y)\,|x_i(y) - m(y)|
          > 0 \quad \text{(:func:`min_cycle_loss`)}.

For :math:`T_c` the weights are :math:`c` and :math:`1 - c` whatever the laws, and for
:math:`p_X = N(\mu, \sigma^2)` (any :math:`p_Y`)

.. math:: \min_F L_{cyc}(T_c, F) = \frac{\sigma\,\varphi(\Phi^{-1}(c))}{\max(c, 1 - c)},

which is :math:`\sigma\sqrt{2/\pi} = \mathbb{E}|X - \mu|` at :math:`c = 1/2`
(:func:`folded_min_cycle_loss_normal`).

A *discontinuous* measure-preserving bijection, such as the interval exchange
:math:`S(u) = u + 1/2 \bmod 1` (:func:`exchange_transport`), gives a non-monotone transport
with zero cycle loss against its inverse: cycle consistency singles out *invertible* maps,
and among continuous maps those are the monotone ones.

Numerics: the map is evaluated on the pair :math:`(\log u, \log(1 - u))` of
:math:`u = F_X(x)`, from ``logcdf`` and ``logsf``, and every affine piece of S is applied to the
distances to the ends of the unit interval, so :math:`T(x)` keeps its relative accuracy far
in both tails (:math:`T_+(x) = x` for :math:`N(0, 1) \to N(0, 1)` at :math:`x = \pm 37` and
beyond, where :math:`F_X` rounds to 0 or 1). Quantiles come from ``ppf``/``isf`` of the smaller
tail, and from bracketed root finding on ``logcdf``/``logsf`` below a probability of 2.2e-308 and
for a :class:`~gantheory.Mixture`.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import integrate, optimize, special, stats

from gantheory._validation import check_tolerances
from gantheory.distributions import Continuous, Mixture, as_continuous, is_continuous
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = [
    "CycleLoss",
    "MinCycleLoss",
    "Transport",
    "TransportPushForward",
    "cycle_loss",
    "exchange_transport",
    "folded_min_cycle_loss_normal",
    "folded_transport",
    "min_cycle_loss",
    "monotone_transport",
    "zigzag_transport",
]

_LOG_HALF = math.log(0.5)
#: Below this log-probability (the smallest normal float64, 2.2e-308) quantiles come from
#: root finding on logcdf/logsf: ppf/isf of a subnormal probability lose relative accuracy.
_LOG_TINY = math.log(float(np.finfo(np.float64).tiny))
_EPS = float(np.finfo(np.float64).eps)
#: Relative tolerance of the root finding (4 eps, brentq's floor).
_RTOL = 4.0 * _EPS
#: A preimage within this many float64 resolutions of a piece end where T runs to an end of
#: p_Y's support has its distance to that end known to worse than 2^-20 relative: the
#: push-forward density there uses T(x_k) = y (exact for the exact preimage) instead of the
#: round trip through the float preimage, whose image is off by up to the whole tail beyond.
_RESOLVED = 2.0**20


# -- a 1-D law with accurate tails ------------------------------------------------------------
class _Law:
    """A continuous law (scipy.stats frozen or Mixture) with log-tails and quantiles from them."""

    def __init__(self, p: object, name: str) -> None:
        if not is_continuous(p) or isinstance(p, Continuous):
            as_continuous(p, name)  # the TypeError naming `name`
            raise TypeError(
                f"`{name}` must be a scipy.stats frozen 1-D continuous distribution or a"
                f" Mixture (got {type(p).__name__})"
            )
        self.cont = as_continuous(p, name)
        self.p = p
        self.mixture = isinstance(p, Mixture)
        self.comps = [_Law(c, name) for c in p.components] if self.mixture else []
        self.logw = np.log(p.weights) if self.mixture else np.zeros(1)
        self.lo, self.hi = self.cont.support()
        if not self.mixture:
            # scipy's private per-family methods on the standardised variable: the public
            # frozen methods spend ~40 us per call validating arguments, and the push-forward
            # density needs about ten calls per point
            dist = p.dist
            shapes, loc, scale = dist._parse_args(*p.args, **p.kwds)
            self._fam, self._shapes, self._loc, self._scale = dist, shapes, loc, scale
            a, b = dist._get_support(*shapes)
            self._a, self._b = float(a), float(b)
            self._normal = dist.name == "norm"
            # scipy's Laplace has no log-tails of its own (log of a cdf that underflows below
            # 1e-308); its tails are exponential, log F(z) = z - log 2 for z < 0
            self._laplace = dist.name == "laplace"

    def _std(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z = (np.asarray(x, dtype=np.float64) - self._loc) / self._scale
        below, above = z <= self._a, z >= self._b
        zc = np.clip(z, np.nextafter(self._a, np.inf), np.nextafter(self._b, -np.inf))
        return zc, below, above

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.size == 1:  # the memoised scalar path of Continuous.logpdf
            return np.full(x.shape, float(self.cont.logpdf(float(x.reshape(-1)[0]))))
        return np.asarray(self.cont._array_logpdf(x))

    def logcdf(self, x: np.ndarray) -> np.ndarray:
        if self.mixture:
            terms = np.stack([lw + c.logcdf(x) for lw, c in zip(self.logw, self.comps)])
            return np.logaddexp.reduce(terms, axis=0)
        z, below, above = self._std(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.asarray(special.log_ndtr(z) if self._normal
                           else _laplace_logcdf(z) if self._laplace
                           else self._fam._logcdf(z, *self._shapes), dtype=np.float64)
        return np.where(below, -np.inf, np.where(above, 0.0, v))

    def logsf(self, x: np.ndarray) -> np.ndarray:
        if self.mixture:
            terms = np.stack([lw + c.logsf(x) for lw, c in zip(self.logw, self.comps)])
            return np.logaddexp.reduce(terms, axis=0)
        z, below, above = self._std(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.asarray(special.log_ndtr(-z) if self._normal
                           else _laplace_logcdf(-z) if self._laplace
                           else self._fam._logsf(z, *self._shapes), dtype=np.float64)
        return np.where(below, 0.0, np.where(above, -np.inf, v))

    def tails(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(log F(x), log(1 - F(x)))``, each accurate where it is the smaller tail."""
        lc, ls = self.logcdf(x), self.logsf(x)
        # log(1 - F) from log F where F is below 1/2 (and vice versa) when scipy's value of the
        # larger tail is cruder than that (log of a cdf that rounded to 1)
        lower = lc <= _LOG_HALF
        with np.errstate(divide="ignore"):
            ls = np.where(lower, np.log1p(-np.exp(lc)), ls)
            lc = np.where(lower, lc, np.log1p(-np.exp(ls)))
        return lc, ls

    def quantile(self, lv: np.ndarray, lv1: np.ndarray) -> np.ndarray:
        """The x with ``(log F(x), log(1 - F(x))) = (lv, lv1)``, from the smaller tail."""
        lv, lv1 = np.broadcast_arrays(np.asarray(lv, float), np.asarray(lv1, float))
        lower = lv <= lv1
        out = np.empty(lv.shape)
        if lower.any():
            out[lower] = self._tail_quantile(lv[lower], upper=False)
        if (~lower).any():
            out[~lower] = self._tail_quantile(lv1[~lower], upper=True)
        return out

    def _tail_quantile(self, lp: np.ndarray, *, upper: bool) -> np.ndarray:
        """x with log F(x) = lp (lower tail) or log(1 - F(x)) = lp (upper tail), lp <= log 1/2."""
        out = np.empty(lp.shape)
        if not self.mixture:
            direct = lp >= _LOG_TINY
            if direct.any():
                pr = np.exp(lp[direct])
                with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
                    # verified below: Boost's Beta ppf gives up (a warning and a value off by
                    # 200 orders of magnitude) at probabilities below about 1e-100
                    warnings.simplefilter("ignore", RuntimeWarning)
                    z = (self._fam._isf(pr, *self._shapes) if upper
                         else self._fam._ppf(pr, *self._shapes))
                z = np.where(pr == 0.5, self._fam._ppf(0.5, *self._shapes), z)
                xd = self._loc + self._scale * np.asarray(z, dtype=np.float64)
                # a quantile whose log-tail misses lp by more than 1e-8 (1 + |lp|), far more
                # than ppf's rounding, is recomputed by root finding on the log-tail
                got = self.logsf(xd) if upper else self.logcdf(xd)
                bad = ~(np.abs(got - lp[direct]) <= 1e-8 * (1.0 + np.abs(lp[direct])))
                direct[np.flatnonzero(direct)[bad]] = False
                out[direct] = xd[~bad]
            rest = np.flatnonzero(~direct)
        else:
            rest = np.arange(lp.size)
        for i in rest:
            out.flat[i] = self._root(float(lp.flat[i]), upper)
        return out

    def _root(self, lp: float, upper: bool) -> float:
        if lp == -math.inf:
            return self.hi if upper else self.lo
        f = self.logsf if upper else self.logcdf
        if self.mixture:
            # the mixture's quantile lies between its components' quantiles
            qs = [float(c._tail_quantile(np.array([lp]), upper=upper)[0]) for c in self.comps]
            a, b = min(qs), max(qs)
        elif math.isfinite(self.hi if upper else self.lo):
            # a finite support end on this side: bracket between the median (log-tail
            # log 1/2 >= lp) and the end (log-tail -inf)
            # (in the log of the distance to the end: plain bisection from the median down to
            # 1e-300 of the width would take over 500 steps)
            end = self.hi if upper else self.lo
            sgn = -1.0 if upper else 1.0
            med = float(self.p.ppf(0.5))

            def h(s: float) -> float:
                v = float(f(np.array(end + sgn * math.exp(s))))
                return v - lp if math.isfinite(v) else -(1.0 + abs(lp))

            s0, s1 = math.log(float(np.finfo(np.float64).smallest_subnormal)), math.log(
                abs(med - end))
            if h(s0) >= 0:
                return end + sgn * math.exp(s0)
            s = optimize.brentq(h, s0, s1, xtol=1e-15, rtol=_RTOL, maxiter=500)
            return end + sgn * math.exp(s)
        else:
            a = b = float(self.p.isf(1e-300) if upper else self.p.ppf(1e-300))
            step = max(1.0, abs(a))
            sgn = 1.0 if upper else -1.0
            while True:  # expand outwards until the tail is below lp
                b = a + sgn * step
                if not math.isfinite(b):  # beyond the float64 range: the quantile is +-inf
                    return b
                fb = float(f(np.array(b)))
                if fb == -math.inf and lp < float(f(np.array(a))) - 1.0:
                    # scipy's log-tail underflows before reaching lp (gamma's logsf is the log
                    # of a survival function that rounds to 0): not computable in float64
                    _warn_unresolved(self, lp)
                    return math.nan
                if fb <= lp:
                    break
                a, step = b, 2.0 * step
            a, b = min(a, b), max(a, b)
        if a == b:
            return a

        def g(t: float) -> float:
            v = float(f(np.array(t)))
            # a log-tail that underflowed to -inf is below every finite target
            return v - lp if math.isfinite(v) else -(1.0 + abs(lp))

        ga, gb = g(a), g(b)
        if ga == 0.0:
            return a
        if gb == 0.0 or ga * gb > 0:
            return b
        return float(optimize.brentq(g, a, b, xtol=1e-300, rtol=_RTOL, maxiter=500))

    def __repr__(self) -> str:
        return repr(self.cont)


def _laplace_logcdf(z: np.ndarray) -> np.ndarray:
    """log F(z) of the standard Laplace law, exact in both tails."""
    with np.errstate(over="ignore"):
        return np.where(z < 0, z + _LOG_HALF, np.log1p(-0.5 * np.exp(-np.abs(z))))


def _warn_unresolved(law: _Law, lp: float) -> None:
    warnings.warn(
        f"the quantile of {law!r} at log-probability {lp:.4g} cannot be computed: scipy's"
        " log-tail of this law underflows to -inf before it; NaN returned",
        RuntimeWarning, stacklevel=4,
    )


def _law(p: object, name: str) -> _Law:
    if isinstance(p, _Law):
        return p
    return _Law(p, name)


# -- piecewise-affine maps of the unit interval ----------------------------------------------
@dataclass(frozen=True)
class _Piece:
    """S maps [a, b] affinely onto [c, d], increasing or decreasing."""

    a: float
    b: float
    c: float
    d: float
    increasing: bool

    @property
    def slope(self) -> float:
        return (self.d - self.c) / (self.b - self.a)


def _log_dist(lu: np.ndarray, lu1: np.ndarray, u: np.ndarray, end: float, above: bool
              ) -> np.ndarray:
    """log of the distance from u to ``end`` (u - end if ``above`` else end - u), from the
    log-tails where the end is 0 or 1 (exact far out), else directly."""
    if above and end == 0.0:
        return lu
    if not above and end == 1.0:
        return lu1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.maximum(u - end if above else end - u, 0.0))


def _apply_piece(pc: _Piece, lu: np.ndarray, lu1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(log v, log(1 - v))`` of ``v = S(u)`` on the piece, from those of u."""
    u = np.where(lu <= lu1, np.exp(lu), -np.expm1(lu1))
    la = _log_dist(lu, lu1, u, pc.a, True)
    lb = _log_dist(lu, lu1, u, pc.b, False)
    ls = math.log(pc.slope)
    lvc, ldv = (la + ls, lb + ls) if pc.increasing else (lb + ls, la + ls)  # v - c, d - v
    with np.errstate(divide="ignore"):
        lv = lvc if pc.c == 0.0 else np.log(pc.c + np.exp(lvc))
        lv1 = ldv if pc.d == 1.0 else np.log((1.0 - pc.d) + np.exp(ldv))
    return lv, lv1


def _invert_piece(pc: _Piece) -> _Piece:
    return _Piece(pc.c, pc.d, pc.a, pc.b, pc.increasing)


def _image(pc: _Piece, lo: float, hi: float) -> tuple[float, float]:
    """The image ``(min, max)`` of ``[lo, hi]`` (inside ``[pc.a, pc.b]``) under the piece, with
    the piece's own image ends wherever lo or hi is a piece end (exact, not re-rounded)."""
    s = pc.slope
    if pc.increasing:
        v0 = pc.c if lo == pc.a else (pc.d if lo == pc.b else pc.c + (lo - pc.a) * s)
        v1 = pc.d if hi == pc.b else (pc.c if hi == pc.a else pc.c + (hi - pc.a) * s)
        return v0, v1
    v0 = pc.c if hi == pc.b else (pc.d if hi == pc.a else pc.d - (hi - pc.a) * s)
    v1 = pc.d if lo == pc.a else (pc.c if lo == pc.b else pc.d - (lo - pc.a) * s)
    return v0, v1


def _compose(first: Sequence[_Piece], second: Sequence[_Piece]) -> list[_Piece]:
    r"""The pieces of :math:`S_2 \circ S_1`: each piece of :math:`S_1` split where its image
    crosses a cut of :math:`S_2`. The intermediate value :math:`S_1(u)` is never rounded, so a
    round trip through a jump or a fold (where :math:`S_1(u) = c + \delta` with
    :math:`\delta` below an ulp of c) keeps its side."""
    out = []
    for p in first:
        for q in second:
            lo, hi = max(p.c, q.a), min(p.d, q.b)
            if not lo < hi:
                continue
            ua, ub = _image(_invert_piece(p), lo, hi)
            va, vb = _image(q, lo, hi)
            out.append(_Piece(ua, ub, va, vb, p.increasing == q.increasing))
    return sorted(out, key=lambda pc: pc.a)


def _check_pieces(pieces: Sequence[_Piece]) -> None:
    """The pieces tile [0, 1] in u and map into [0, 1]."""
    if not pieces or pieces[0].a != 0.0 or pieces[-1].b != 1.0:
        raise ValueError("the pieces of S must tile [0, 1]")
    for p, q in itertools.pairwise(pieces):
        if p.b != q.a:
            raise ValueError("the pieces of S must tile [0, 1]")
    for p in pieces:
        if not (0.0 <= p.c < p.d <= 1.0 and p.a < p.b):
            raise ValueError(f"a piece of S must map a non-empty interval into [0, 1] (got {p})")


# -- transports -------------------------------------------------------------------------------
class Transport:
    r"""A map :math:`T = F_Y^{-1} \circ S \circ F_X` with S piecewise affine on [0, 1].

    Built by :func:`monotone_transport`, :func:`folded_transport`, :func:`zigzag_transport`,
    :func:`exchange_transport`, by :meth:`inverse` and as the minimiser of
    :func:`min_cycle_loss`. When S preserves the uniform law (every map those functions build
    except the minimiser), :math:`T_\# p_X = p_Y`.

    Attributes
    ----------
    p_from, p_to : distribution
        The laws X and Y (as passed).
    name : str
        What the map is, for reports.
    """

    def __init__(self, p_from: object, p_to: object, pieces: Sequence[_Piece], name: str
                 ) -> None:
        self._x = _law(p_from, "p_x")
        self._y = _law(p_to, "p_y")
        self.p_from, self.p_to = self._x.p, self._y.p
        self._pieces = tuple(pieces)
        _check_pieces(self._pieces)
        self.name = name
        self._cuts = np.array([pc.b for pc in self._pieces[:-1]])

    # -- structure --------------------------------------------------------------------------
    @property
    def pieces(self) -> tuple[tuple[float, float, float, float, bool], ...]:
        """The affine pieces of S: ``(a, b, c, d, increasing)``, S mapping [a, b] onto [c, d]."""
        return tuple((p.a, p.b, p.c, p.d, p.increasing) for p in self._pieces)

    @property
    def breaks(self) -> np.ndarray:
        """The points of X where T changes piece: folds and jumps, :math:`F_X^{-1}(b_i)`."""
        b = self._cuts
        return self._x.quantile(np.log(b), np.log1p(-b)) if b.size else np.empty(0)

    def _joins(self) -> list[tuple[float, bool, bool]]:
        """For each cut: (u, continuous, fold)."""
        out = []
        for p, q in zip(self._pieces, self._pieces[1:]):
            end = p.d if p.increasing else p.c
            start = q.c if q.increasing else q.d
            cont = end == start
            out.append((p.b, cont, cont and p.increasing != q.increasing))
        return out

    @property
    def folds(self) -> np.ndarray:
        """Points where T is continuous and its direction reverses (a kink with slope change of
        sign)."""
        sel = np.array([j[2] for j in self._joins()], dtype=bool)
        return self.breaks[sel] if sel.size else np.empty(0)

    @property
    def jumps(self) -> np.ndarray:
        """Points where T is discontinuous."""
        sel = np.array([not j[1] for j in self._joins()], dtype=bool)
        return self.breaks[sel] if sel.size else np.empty(0)

    @property
    def continuous(self) -> bool:
        return all(j[1] for j in self._joins())

    @property
    def monotone(self) -> bool:
        """Whether T is monotone (one direction, continuous)."""
        return self.continuous and len({p.increasing for p in self._pieces}) == 1

    @property
    def injective(self) -> bool:
        """Whether the images of the pieces overlap only at their ends."""
        ivs = sorted((p.c, p.d) for p in self._pieces)
        return all(a[1] <= b[0] for a, b in itertools.pairwise(ivs))

    @property
    def measure_preserving(self) -> bool:
        r"""Whether S preserves U(0, 1): on every interval between image ends, the pieces that
        cover it have :math:`\sum_i 1/|S_i'| = 1` (to 8 eps)."""
        ends = sorted({0.0, 1.0} | {p.c for p in self._pieces} | {p.d for p in self._pieces})
        for lo, hi in itertools.pairwise(ends):
            m = 0.5 * (lo + hi)
            tot = sum(1.0 / p.slope for p in self._pieces if p.c <= m <= p.d)
            if abs(tot - 1.0) > 8 * np.finfo(float).eps:
                return False
        return True

    # -- evaluation -------------------------------------------------------------------------
    def _locate(self, lu: np.ndarray, lu1: np.ndarray) -> np.ndarray:
        u = np.where(lu <= lu1, np.exp(lu), -np.expm1(lu1))
        return np.searchsorted(self._cuts, u, side="right")

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """T(x) and the index of the piece of each x."""
        lu, lu1 = self._x.tails(x)
        idx = self._locate(lu, lu1)
        lv, lv1 = np.empty(x.shape), np.empty(x.shape)
        ident = np.zeros(x.shape, dtype=bool)
        for k, pc in enumerate(self._pieces):
            sel = idx == k
            if sel.any():
                lv[sel], lv1[sel] = _apply_piece(pc, lu[sel], lu1[sel])
                # F_X^-1(F_X(x)) = x: a piece of S that is the identity, between one law and
                # itself, maps x to x without a round trip through the quantile
                ident |= sel & (self._x is self._y and pc.increasing and pc.a == pc.c
                                and pc.b == pc.d)
        out = np.empty(x.shape)
        out[ident] = x[ident]
        if (~ident).any():
            out[~ident] = self._y.quantile(lv[~ident], lv1[~ident])
        return out, idx

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`T(x)`, elementwise."""
        x = np.asarray(x, dtype=np.float64)
        return self._forward(x.reshape(-1))[0].reshape(x.shape)

    def derivative(self, x: npt.ArrayLike) -> np.ndarray:
        r""":math:`T'(x) = \pm s_i\, p_X(x) / p_Y(T(x))` on piece i (slope :math:`s_i` of S)."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        t, idx = self._forward(flat)
        sgn = np.array([p.slope * (1 if p.increasing else -1) for p in self._pieces])[idx]
        with np.errstate(invalid="ignore", over="ignore"):
            d = sgn * np.exp(self._x.logpdf(flat) - self._y.logpdf(t))
        return d.reshape(x.shape)

    def preimages(self, y: npt.ArrayLike, _tails: tuple | None = None
                  ) -> tuple[np.ndarray, np.ndarray]:
        r"""The preimages of ``y`` on every piece, by inverting that piece:
        :math:`x_i = F_X^{-1}(S_i^{-1}(F_Y(y)))`.

        Returns
        -------
        x : ndarray, shape (k, n)
            Preimage on piece i (NaN where the piece does not reach y).
        weight : ndarray, shape (k, n)
            :math:`1/|S_i'|` where the preimage exists, else 0: the conditional weight of
            :math:`x_i` given y, up to normalisation, when X has law ``p_from``.
        """
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        lv, lv1 = self._y.tails(y) if _tails is None else _tails
        v = np.where(lv <= lv1, np.exp(lv), -np.expm1(lv1))
        xs = np.full((len(self._pieces), y.size), np.nan)
        ws = np.zeros((len(self._pieces), y.size))
        for k, pc in enumerate(self._pieces):
            sel = (v >= pc.c) & (v <= pc.d)
            if sel.any():
                lu, lu1 = _apply_piece(_invert_piece(pc), lv[sel], lv1[sel])
                xs[k, sel] = self._x.quantile(lu, lu1)
                ws[k, sel] = 1.0 / pc.slope
        return xs, ws

    def inverse(self) -> Transport:
        """The inverse map :math:`F_X^{-1} \\circ S^{-1} \\circ F_Y` (T injective and onto).

        Raises
        ------
        ValueError
            If T is not injective, or S does not map onto [0, 1].

        Examples
        --------
        >>> from scipy import stats
        >>> t = monotone_transport(stats.norm(0, 1), stats.norm(2, 3), increasing=False)
        >>> x = np.array([-40.0, -1.0, 0.5, 40.0])
        >>> bool(np.allclose(t.inverse()(t(x)), x, rtol=1e-13, atol=0))
        True
        """
        if not self.injective:
            raise ValueError(f"`T` = {self.name} is not injective and has no inverse")
        inv = sorted((_invert_piece(p) for p in self._pieces), key=lambda p: p.a)
        try:
            _check_pieces(inv)
        except ValueError:
            raise ValueError(f"`T` = {self.name} does not map onto the support of p_y") from None
        return Transport(self._y, self._x, inv, f"inverse of {self.name}")

    def pushforward(self, p_x: object | None = None) -> TransportPushForward:
        r""":math:`T_\# p_x` as a :class:`~gantheory.distributions.Continuous`, usable with
        :func:`gantheory.jsd`, :func:`gantheory.kl`, ... (``p_x`` defaults to ``p_from``, the
        only law accepted: T is built from its distribution function).

        Examples
        --------
        >>> from scipy import stats
        >>> from gantheory import jsd
        >>> t = folded_transport(stats.norm(0, 1), stats.gamma(3), c=0.3)
        >>> bool(jsd(t.pushforward(), stats.gamma(3)) < 1e-10)
        True
        """
        if p_x is not None and p_x is not self.p_from:
            raise ValueError(
                f"`p_x` must be the law T was built from, {self._x!r} (got {p_x!r})"
            )
        return TransportPushForward(self)

    def __repr__(self) -> str:
        return f"Transport({self.name}: {self._x!r} -> {self._y!r})"


class _PushSource:
    """The object the push-forward's memo is keyed on (one per push-forward)."""

    def __init__(self, t: Transport) -> None:
        self.t = t


class TransportPushForward(Continuous):
    r""":math:`T_\# p_X` with density by change of variables over every preimage,

    .. math:: p(y) = \sum_i \frac{p_X(x_i)}{|T'(x_i)|}, \qquad x_i = F_X^{-1}(S_i^{-1}(F_Y(y))),

    :math:`T'(x_i)` evaluated at the preimage (:meth:`Transport.derivative`, through
    :math:`T(x_i)`), and distribution function :meth:`cdf` from :math:`F_X` at the preimages.

    Near a piece end where T runs to an end of :math:`p_Y`'s support (a fold of a tent or
    zigzag map, where :math:`T \to \pm\infty` for an unbounded Y; a finite support end of X)
    a float64 preimage cannot resolve y: every y far enough in the tail has the same float
    preimage. Within :math:`2^{20}` float64 resolutions of such an end (where the preimage's
    distance to the end has a relative error above :math:`2^{-20}`) the term is evaluated at
    :math:`T(x_i) = y`, exact for the exact preimage, instead of at the image of the float one.
    """

    __slots__ = ("_ends", "t")

    def __init__(self, t: Transport) -> None:
        super().__init__(_PushSource(t))
        self.t = t
        self._ends: list[list[tuple[float, float]]] | None = None

    def _pole_ends(self) -> list[list[tuple[float, float]]]:
        r"""For each piece, ``(x_e, r_e)`` at its ends whose image is 0 or 1 and whose point
        :math:`x_e` of X is finite: there :math:`T(x) \to F_Y^{-1}(0)` or
        :math:`F_Y^{-1}(1)`, a pole of T when Y is unbounded on that side. ``r_e`` is the
        resolution of a float64 preimage near :math:`x_e`: one ulp of :math:`x_e`, plus, at an
        end inside (0, 1), the rounding of u (eps min(e, 1 - e)) seen in x through
        :math:`1/p_X(x_e)`."""
        if self._ends is not None:
            return self._ends
        t = self.t
        out: list[list[tuple[float, float]]] = []
        for pc in t._pieces:
            ends = []
            # the u-end where the piece's image reaches 0 (v = c = 0) or 1 (v = d = 1)
            for e, image in ((pc.a, pc.c if pc.increasing else pc.d),
                             (pc.b, pc.d if pc.increasing else pc.c)):
                if image not in (0.0, 1.0):
                    continue
                if e in (0.0, 1.0):
                    xe = t._x.lo if e == 0.0 else t._x.hi
                    r = float(np.spacing(abs(xe))) if math.isfinite(xe) else math.inf
                else:
                    xe = float(t._x.quantile(np.array([math.log(e)]),
                                             np.array([math.log1p(-e)]))[0])
                    dens = math.exp(float(t._x.logpdf(np.array([xe]))[0]))
                    r = float(np.spacing(abs(xe))) + (
                        _EPS * min(e, 1.0 - e) / dens if dens > 0 else 0.0)
                if math.isfinite(xe) and math.isfinite(r):
                    ends.append((xe, r))
            out.append(ends)
        self._ends = out
        return out

    def _array_logpdf(self, y: np.ndarray) -> np.ndarray:
        t = self.t
        y = np.asarray(y, dtype=np.float64)
        flat = y.reshape(-1)
        out = np.full(flat.size, -np.inf)
        inside = (flat > t._y.lo) & (flat < t._y.hi)
        if inside.any():
            tails = t._y.tails(flat[inside])
            xs, ws = t.preimages(flat[inside], tails)
            terms = np.full(xs.shape, -np.inf)
            for k, pc in enumerate(t._pieces):
                ok = ws[k] > 0
                if ok.any():
                    xk = xs[k, ok]
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        ty = t._y.quantile(*_apply_piece(pc, *t._x.tails(xk)))  # T(x_k)
                    # where the round trip cannot be computed (a preimage or its image beyond
                    # what scipy's log-tails resolve, density below e^-700), T(x_k) = y
                    exact = ~np.isfinite(ty)
                    # nor where the preimage lies within _RESOLVED resolutions of a piece end
                    # at which T runs to an end of p_Y's support (a fold of the zigzag, where
                    # T -> inf; Beta's end 1): there float64 cannot represent the preimage,
                    # and the image of the float preimage is not y (for T_0.5 from Beta(2, 3)
                    # to t(5), every y above 3e3 has the fold itself as its float preimage on
                    # both pieces, whose image is 2.1e3: a constant density on an infinite tail)
                    for xe, r in self._pole_ends()[k]:
                        exact |= np.abs(xk - xe) <= _RESOLVED * r
                    ty = np.where(exact, flat[inside][ok], ty)
                    # log p_X(x) - log|T'(x)| = log p_Y(T(x)) - log s_k
                    terms[k, ok] = t._y.logpdf(ty) - math.log(pc.slope)
            val = np.logaddexp.reduce(terms, axis=0)
            # where scipy's log-tail of p_Y underflows to -inf inside the support (gamma's
            # logcdf below 1e-308), F_Y(y) is lost and with it the preimages: the density is
            # then its limit at that end of [0, 1], p_Y(y) times the sum of 1/s_k over the
            # pieces whose image reaches the end (the mass involved is below 1e-300)
            lv, lv1 = tails
            for tail, pick in ((lv, lambda p: p.c == 0.0), (lv1, lambda p: p.d == 1.0)):
                lost = tail == -np.inf
                if lost.any():
                    w = sum(1.0 / p.slope for p in t._pieces if pick(p))
                    val[lost] = (t._y.logpdf(flat[inside][lost]) + math.log(w)) if w else -np.inf
            out[inside] = val
        return out.reshape(y.shape)

    def _scalar_logpdf(self, y: float) -> float:
        return float(self._array_logpdf(np.array([y]))[0])

    def cdf(self, y: npt.ArrayLike) -> np.ndarray:
        r""":math:`P(T(X) \le y) = \sum_i P_X(x \in \text{piece } i,\ T(x) \le y)`, from
        :math:`F_X` at the preimages and the piece ends."""
        t = self.t
        y = np.asarray(y, dtype=np.float64)
        flat = y.reshape(-1)
        xs, ws = t.preimages(flat)
        lv, lv1 = t._y.tails(flat)
        v = np.where(lv <= lv1, np.exp(lv), -np.expm1(lv1))
        total = np.zeros(flat.size)
        fx = t._x.p.cdf
        for k, pc in enumerate(t._pieces):
            below = v >= pc.d  # the whole piece maps below y
            total += np.where(below, pc.b - pc.a, 0.0)
            mid = (ws[k] > 0) & ~below
            if mid.any():
                f = np.asarray(fx(xs[k, mid]), dtype=np.float64)
                total[mid] += (f - pc.a) if pc.increasing else (pc.b - f)
        return total.reshape(y.shape)

    def support(self) -> tuple[float, float]:
        c = min(p.c for p in self.t._pieces)
        d = max(p.d for p in self.t._pieces)
        lo = self.t._y.lo if c == 0 else float(self.t._y.quantile(np.log(c), np.log1p(-c)))
        hi = self.t._y.hi if d == 1 else float(self.t._y.quantile(np.log(d), np.log1p(-d)))
        return lo, hi

    def landmarks(self) -> np.ndarray:
        ends = sorted({p.c for p in self.t._pieces} | {p.d for p in self.t._pieces})
        e = np.array([v for v in ends if 0 < v < 1])
        pts = self.t._y.quantile(np.log(e), np.log1p(-e)) if e.size else np.empty(0)
        lo, hi = self.support()
        base = self.t._y.cont.landmarks()
        out = np.concatenate([base[(base >= lo) & (base <= hi)], pts])
        return np.unique(out[np.isfinite(out)])

    def singular_at(self, x: float) -> bool:
        return self.t._y.cont.singular_at(x)

    def underflows_at(self, x: float) -> bool:
        return self.t._y.cont.underflows_at(x)

    @property
    def eval_cost(self) -> float:
        return 10.0 * len(self.t._pieces) * (1 + 20 * (self.t._x.mixture + self.t._y.mixture))

    def __repr__(self) -> str:
        return f"pushforward of {self.t.name}"


# -- constructors ---------------------------------------------------------------------------
def monotone_transport(p_x: object, p_y: object, *, increasing: bool = True) -> Transport:
    r"""The monotone transport :math:`T_+ = F_Y^{-1} \circ F_X` or
    :math:`T_- = F_Y^{-1} \circ (1 - F_X)`.

    Parameters
    ----------
    p_x, p_y : scipy.stats frozen continuous distribution or Mixture
        The laws of X and Y.
    increasing : bool
        :math:`T_+` (default) or :math:`T_-`.

    Examples
    --------
    For Gaussians :math:`T_\pm(x) = \mu_Y \pm \sigma_Y (x - \mu_X)/\sigma_X`, far into the tails:

    >>> from scipy import stats
    >>> t = monotone_transport(stats.norm(1, 2), stats.norm(-3, 0.5), increasing=False)
    >>> x = np.array([-100.0, 0.0, 3.0, 100.0])
    >>> bool(np.allclose(t(x), -3 - 0.5 * (x - 1) / 2, rtol=1e-13, atol=0))
    True
    """
    if not isinstance(increasing, bool | np.bool_):
        raise ValueError(f"`increasing` must be True or False (got {increasing!r})")
    pc = _Piece(0.0, 1.0, 0.0, 1.0, bool(increasing))
    return Transport(p_x, p_y, [pc], "T+ (increasing)" if increasing else "T- (decreasing)")


def _check_c(c: object, name: str = "c") -> float:
    try:
        cf = float(c)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a number in (0, 1) (got {c!r})") from None
    if not 0.0 < cf < 1.0:
        raise ValueError(f"`{name}` must be in (0, 1) (got {c!r})")
    return cf


def folded_transport(p_x: object, p_y: object, c: float = 0.5) -> Transport:
    r"""The non-monotone transport :math:`T_c = F_Y^{-1} \circ S_c \circ F_X` with the tent map

    .. math:: S_c(u) = u / c \ (u < c), \qquad S_c(u) = (1 - u)/(1 - c) \ (u \ge c),

    which preserves :math:`U(0, 1)`: one transport of :math:`p_X` to :math:`p_Y` for each
    :math:`c \in (0, 1)`, increasing below the fold :math:`F_X^{-1}(c)`, decreasing above.

    Examples
    --------
    >>> from scipy import stats
    >>> t = folded_transport(stats.norm(0, 1), stats.norm(0, 1), c=0.5)
    >>> t.folds.tolist()
    [0.0]
    >>> bool(np.isclose(t(np.array([-1.0]))[0], t(np.array([1.0]))[0], rtol=1e-14))
    True
    """
    cf = _check_c(c)
    pieces = [_Piece(0.0, cf, 0.0, 1.0, True), _Piece(cf, 1.0, 0.0, 1.0, False)]
    return Transport(p_x, p_y, pieces, f"T_c (tent, c={cf:g})")


def zigzag_transport(p_x: object, p_y: object, k: int = 3) -> Transport:
    r"""The k-fold transport: S maps each of k equal cells of [0, 1] onto [0, 1], alternately
    increasing and decreasing (continuous, k - 1 folds, preserving U(0, 1)).

    Examples
    --------
    >>> from scipy import stats
    >>> zigzag_transport(stats.norm(0, 1), stats.norm(0, 1), k=4).folds.size
    3
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"`k` must be a positive integer (got {k!r})")
    k = int(k)
    cuts = [i / k for i in range(k)] + [1.0]
    pieces = [_Piece(cuts[i], cuts[i + 1], 0.0, 1.0, i % 2 == 0) for i in range(k)]
    return Transport(p_x, p_y, pieces, f"{k}-fold zigzag")


def exchange_transport(p_x: object, p_y: object, shift: float = 0.5) -> Transport:
    r"""The discontinuous transport :math:`F_Y^{-1} \circ S \circ F_X` with the interval
    exchange :math:`S(u) = u + s \bmod 1`: a measure-preserving *bijection*, not monotone, whose
    cycle loss with its :meth:`~Transport.inverse` is 0.

    Examples
    --------
    >>> from scipy import stats
    >>> t = exchange_transport(stats.norm(0, 1), stats.norm(0, 1))
    >>> (t.monotone, t.injective, t.jumps.tolist())
    (False, True, [0.0])
    """
    s = _check_c(shift, "shift")
    pieces = [_Piece(0.0, 1.0 - s, s, 1.0, True), _Piece(1.0 - s, 1.0, 0.0, s, True)]
    return Transport(p_x, p_y, pieces, f"interval exchange (shift={s:g})")


# -- the cycle loss ---------------------------------------------------------------------------
class CycleLoss(NamedTuple):
    """The two terms of the cycle loss with their error bounds."""

    value: float
    abserr: float
    forward: Estimate
    backward: Estimate


class _WithLandmarks(Continuous):
    """A continuous law with extra quadrature landmarks (kinks of the integrand)."""

    __slots__ = ("base", "extra")

    def __init__(self, base: Continuous, extra: np.ndarray) -> None:
        super().__init__(base.source)
        self.base = base
        self.extra = extra[np.isfinite(extra)]

    def _scalar_logpdf(self, x: float) -> float:
        return float(self.base.logpdf(x))

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        return self.base._array_logpdf(x)

    def support(self) -> tuple[float, float]:
        return self.base.support()

    def landmarks(self) -> np.ndarray:
        lo, hi = self.support()
        e = self.extra[(self.extra > lo) & (self.extra < hi)]
        return np.unique(np.concatenate([self.base.landmarks(), e]))

    def singular_at(self, x: float) -> bool:
        return self.base.singular_at(x)

    def can_resolve(self, end: float, side: int) -> bool:
        return self.base.can_resolve(end, side)

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        return self.base.logpdf_near(end, side, t)

    def underflows_at(self, x: float) -> bool:
        return self.base.underflows_at(x)

    @property
    def logpdf_error(self) -> float:
        return self.base.logpdf_error

    @property
    def eval_cost(self) -> float:
        return self.base.eval_cost + 20.0

    def __repr__(self) -> str:
        return repr(self.base)


def _kinks(first: object, second: object) -> np.ndarray:
    """Where ``second(first(x))`` may kink: the breaks of ``first`` and the preimages under it
    of the breaks of ``second`` (for transports)."""
    pts = []
    if isinstance(first, Transport):
        pts.append(first.breaks)
        # where first(x) crosses a landmark of its target law (the kink of a Laplace's
        # quantile at its median, say), first(x) may kink
        # (a split point only guides the quadrature: scipy giving up on a quantile far in a
        # tail, as Beta's isf at 1e-120 does, is not an error here)
        lm = first._y.cont.landmarks()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            xs, ws = first.preimages(lm[np.isfinite(lm)])
        pts.append(xs[ws > 0])
        if isinstance(second, Transport) and second.breaks.size:
            xs, ws = first.preimages(second.breaks)
            pts.append(xs[ws > 0])
    return np.concatenate(pts) if pts else np.empty(0)


def _expected_gap(g: Callable, f: Callable, p: object, name: str, atol: float, rtol: float
                  ) -> Estimate:
    r""":math:`\mathbb{E}_p |f(g(x)) - x|` by quadrature."""
    base = as_continuous(p, name)
    law = _WithLandmarks(base, _kinks(g, f))
    if (isinstance(g, Transport) and isinstance(f, Transport) and g._y.p is f._x.p
            and f._y.p is g._x.p and g._x.p is p):
        # two transports through the same law: f(g(x)) = F_X^-1(S_f(S_g(F_X(x)))) with the
        # composed S, exact in u (no rounding of the intermediate value in the middle law)
        h = Transport(g._x, g._x, _compose(g._pieces, f._pieces), f"{f.name} o {g.name}")
        g, f = h, (lambda z: z)
        law = _WithLandmarks(base, np.concatenate([law.extra, _kinks(h, None)]))

    def integrand(x: float, lg: tuple[float, ...]) -> float:
        w = math.exp(lg[0])
        if w < 1e-300:
            # dropped: where the density is this small, scipy's log-tails (from which the maps
            # are evaluated) may underflow; the contribution is below 1e-300 |gap| per unit x
            return 0.0
        xa = np.array([x])
        r = float(np.asarray(f(np.asarray(g(xa), dtype=np.float64)), dtype=np.float64)
                  .reshape(-1)[0])
        return w * abs(r - x)

    return integrate_pieces(integrand, [law], atol=atol, rtol=rtol,
                            what=f"cycle term E_{name}|F(G(x)) - x|")


def cycle_loss(
    G: Callable, F: Callable, p_x: object, p_y: object, *, full_output: bool = False,
    atol: float = DEFAULT_ATOL, rtol: float = DEFAULT_RTOL,
) -> float | CycleLoss:
    r"""The cycle-consistency loss of Zhu et al. (2017), eq. 2, in one dimension:

    .. math:: L_{cyc}(G, F) = \mathbb{E}_{p_X} |F(G(x)) - x| + \mathbb{E}_{p_Y} |G(F(y)) - y|,

    each term by :func:`gantheory.quadrature.integrate_pieces` (split at the kinks of the
    transports involved).

    Parameters
    ----------
    G, F : callable
        Vectorized maps :math:`X \to Y` and :math:`Y \to X` (a :class:`Transport`, a trained
        network wrapped as a function of a 1-D array, ...).
    p_x, p_y : continuous distributions
    full_output : bool
        Return a :class:`CycleLoss` ``(value, abserr, forward, backward)``, the terms as
        :class:`~gantheory.quadrature.Estimate`.
    atol, rtol : float
        Accuracy requested of each term.

    Examples
    --------
    >>> from scipy import stats
    >>> px, py = stats.norm(0, 1), stats.gamma(2)
    >>> t = monotone_transport(px, py)
    >>> bool(cycle_loss(t, t.inverse(), px, py) < 1e-9)
    True
    """
    atol, rtol = check_tolerances(atol, rtol)
    for fn, n in ((G, "G"), (F, "F")):
        if not callable(fn):
            raise TypeError(f"`{n}` must be a vectorized callable (got {type(fn).__name__})")
    for p, n in ((p_x, "p_x"), (p_y, "p_y")):
        as_continuous(p, n)
    fwd = _expected_gap(G, F, p_x, "p_x", atol, rtol)
    bwd = _expected_gap(F, G, p_y, "p_y", atol, rtol)
    value = fwd.value + bwd.value
    if not full_output:
        return value
    return CycleLoss(value, fwd.abserr + bwd.abserr, fwd, bwd)


class MinCycleLoss(NamedTuple):
    """The minimum over F of the cycle loss of (T, F), with its minimiser."""

    value: float
    abserr: float
    minimiser: Transport


def _median_piece(ws: Sequence[float]) -> int:
    """Index of the weighted median of points sorted by index (the lower one at a tie)."""
    tot = sum(ws)
    acc = 0.0
    for i, w in enumerate(ws):
        acc += w
        if acc >= 0.5 * tot * (1 - 1e-15):
            return i
    return len(ws) - 1


def min_cycle_loss(
    T: Transport, p_x: object | None = None, *, full_output: bool = False,
    epsabs: float = 1e-11, epsrel: float = 1e-11,
) -> float | MinCycleLoss:
    r"""The exact :math:`\min_F L_{cyc}(T, F)` over all maps F, and the minimiser.

    Given :math:`y = T(x)`, with :math:`v = F_Y(y)`, x is one of the preimages
    :math:`x_i = F_X^{-1}(S_i^{-1}(v))` with conditional probabilities
    :math:`w_i = (1/|S_i'|) / \sum_j (1/|S_j'|)`; the forward term is minimised by the weighted
    median :math:`m(v)` of the :math:`x_i`, which is a preimage, so :math:`T(F(y)) = y` and the
    backward term is 0. Since :math:`v \sim U(0, 1)`,

    .. math:: \min_F L_{cyc}(T, F) = \int_0^1 \sum_i \frac{1}{|S_i'|}\,|x_i(v) - m(v)|\,dv,

    integrated with QUADPACK between the image ends of the pieces (where the set of preimages
    changes); 0 exactly when T is injective. For :math:`T_c` and :math:`p_X = N(\mu, \sigma^2)`
    this is :func:`folded_min_cycle_loss_normal`.

    Parameters
    ----------
    T : Transport
        A transport whose S preserves U(0, 1).
    p_x : distribution, optional
        Must be T's ``p_from`` (the default).
    full_output : bool
        Return :class:`MinCycleLoss` ``(value, abserr, minimiser)``; the minimiser is a
        :class:`Transport` from Y to X.
    epsabs, epsrel : float
        Accuracy requested of each QUADPACK integral.

    Examples
    --------
    >>> from scipy import stats
    >>> t = folded_transport(stats.norm(0, 1), stats.gamma(3), c=0.5)
    >>> bool(np.isclose(min_cycle_loss(t), np.sqrt(2 / np.pi), rtol=1e-10, atol=0))
    True
    """
    if not isinstance(T, Transport):
        raise TypeError(f"`T` must be a Transport (got {type(T).__name__})")
    if p_x is not None and p_x is not T.p_from:
        raise ValueError(f"`p_x` must be the law T was built from, {T._x!r} (got {p_x!r})")
    if not T.measure_preserving:
        raise ValueError(f"`T` = {T.name} does not preserve the uniform law: T#p_x is not p_y")
    for v, n in ((epsabs, "epsabs"), (epsrel, "epsrel")):
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise ValueError(f"`{n}` must be a positive finite number (got {v!r})")
    pcs = T._pieces
    ends = sorted({0.0, 1.0} | {p.c for p in pcs} | {p.d for p in pcs})
    # the u of p_X's landmarks: where x_i(v) = F_X^-1(S_i^-1(v)) crosses one, the integrand
    # may kink (a Laplace's quantile at its median), a breakpoint for QUADPACK
    lm = T._x.cont.landmarks()
    lm = lm[np.isfinite(lm)]
    lu, lu1 = T._x.tails(lm)
    u_lm = np.where(lu <= lu1, np.exp(lu), -np.expm1(lu1))

    def kinks_in_v(p: _Piece) -> list[float]:
        u = u_lm[(u_lm > p.a) & (u_lm < p.b)]
        v = p.c + (u - p.a) * p.slope if p.increasing else p.d - (u - p.a) * p.slope
        return v.tolist()
    value, abserr = 0.0, 0.0
    minim: list[_Piece] = []
    for lo, hi in itertools.pairwise(ends):
        mid = 0.5 * (lo + hi)
        cover = [p for p in pcs if p.c <= mid <= p.d]  # sorted by u, hence by x
        m = _median_piece([1.0 / p.slope for p in cover])
        med = cover[m]
        # the minimiser on [lo, hi]: the inverse of the median piece, restricted
        inv = _invert_piece(med)
        a, b = _image(inv, lo, hi)
        minim.append(_Piece(lo, hi, a, b, inv.increasing))
        for i, p in enumerate(cover):
            if i == m:
                continue
            sign = 1.0 if i > m else -1.0
            w = 1.0 / p.slope
            pinv, minv = _invert_piece(p), _invert_piece(med)

            def gap(v: float, pinv: _Piece = pinv, minv: _Piece = minv, sign: float = sign
                    ) -> float:
                lv, lv1 = np.array([math.log(v)]), np.array([math.log1p(-v)])
                xi = T._x.quantile(*_apply_piece(pinv, lv, lv1))[0]
                xm = T._x.quantile(*_apply_piece(minv, lv, lv1))[0]
                return sign * (xi - xm)

            pts = sorted({v for v in kinks_in_v(p) + kinks_in_v(med) if lo < v < hi})
            val, err = integrate.quad(gap, lo, hi, epsabs=epsabs, epsrel=epsrel, limit=200,
                                      points=pts or None)
            value += w * val
            abserr += w * err
    if not full_output:
        return value
    f = Transport(T._y, T._x, minim, f"cycle minimiser for {T.name}")
    return MinCycleLoss(value, abserr, f)


def folded_min_cycle_loss_normal(c: float, sigma: float = 1.0) -> float:
    r"""The closed form :math:`\min_F L_{cyc}(T_c, F) = \sigma\varphi(\Phi^{-1}(c))/\max(c, 1-c)`
    for :math:`p_X = N(\mu, \sigma^2)` and any :math:`p_Y`.

    Derivation: the preimages of :math:`v = F_Y(y)` are :math:`u_1 = cv` and
    :math:`u_2 = 1 - (1 - c)v` with weights c and 1 - c; the weighted median of two points is
    the heavier one, so the minimum is :math:`\min(c, 1-c)\,\mathbb{E}_v[x_2 - x_1]`, and
    :math:`\int_0^1 \Phi^{-1}(cv)\,dv = -\varphi(z_c)/c`,
    :math:`\int_0^1 \Phi^{-1}(1 - (1 - c)v)\,dv = \varphi(z_c)/(1 - c)` with
    :math:`z_c = \Phi^{-1}(c)`, since :math:`\int_{-\infty}^{z} t\varphi(t)\,dt = -\varphi(z)`.

    Examples
    --------
    >>> bool(np.isclose(folded_min_cycle_loss_normal(0.5), np.sqrt(2 / np.pi), rtol=1e-15))
    True
    """
    cf = _check_c(c)
    if not (isinstance(sigma, int | float) and math.isfinite(sigma) and sigma > 0):
        raise ValueError(f"`sigma` must be a positive finite number (got {sigma!r})")
    return float(sigma * stats.norm.pdf(stats.norm.ppf(cf)) / max(cf, 1.0 - cf))
