"""Probability distributions the theory is checked on.

* :class:`Discrete` — a validated probability vector on the support ``{0, ..., n-1}``.
* :class:`Mixture` — a finite mixture of scipy.stats frozen 1-D continuous distributions.
* Any scipy.stats frozen 1-D continuous distribution (``scipy.stats.norm(0, 1)``,
  ``laplace``, ``cauchy``, ``t``, ``uniform``, ``beta``, ...) is accepted directly wherever a
  continuous distribution is expected; :func:`as_continuous` adapts it to the small interface the
  quadrature needs (log-density, support, landmark points).

Functions taking two distributions call :func:`coerce_pair`, which decides whether the pair is
discrete or continuous and rejects a mixed pair with a clear ``TypeError``.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

from gantheory._discrete_scipy import Pair, align, describe_scipy_discrete, is_scipy_discrete
from gantheory._logpdf import ScalarLogpdf, array_logpdf, scalar_logpdf
from gantheory._validation import as_probability_vector, check_finite_array, describe

__all__ = [
    "Continuous",
    "Discrete",
    "Mixture",
    "as_continuous",
    "as_discrete",
    "coerce_pair",
    "is_continuous",
]


class Discrete:
    """A probability vector on the finite support ``{0, ..., n-1}``.

    Parameters
    ----------
    probs : array_like, shape (n,)
        Finite, non-negative probabilities summing to 1 within
        :data:`gantheory._validation.SUM_ATOL` (about 1.5e-8); zeros are allowed. The stored
        vector is renormalised to sum to 1 up to rounding.

    Raises
    ------
    ValueError
        If ``probs`` is empty, not 1-D, contains NaN, inf or negative values, or does not sum
        to 1.

    Examples
    --------
    >>> p = Discrete([0.5, 0.5, 0.0])
    >>> p.probs
    array([0.5, 0.5, 0. ])
    >>> Discrete.from_weights([1, 3]).probs
    array([0.25, 0.75])
    """

    __slots__ = ("probs",)

    def __init__(self, probs: npt.ArrayLike) -> None:
        self.probs: np.ndarray = as_probability_vector(probs, "probs")

    @classmethod
    def from_weights(cls, weights: npt.ArrayLike) -> Discrete:
        """Normalise finite, non-negative ``weights`` (not all zero) to a distribution."""
        w = check_finite_array(weights, "weights", ndim=1)
        if w.size == 0:
            raise ValueError("`weights` must not be empty")
        if (w < 0).any():
            raise ValueError(f"`weights` must be non-negative (got {describe(w)})")
        total = w.sum()
        if not total > 0:
            raise ValueError(f"`weights` must not all be zero (got {describe(w)})")
        return cls(w / total)

    def __len__(self) -> int:
        return self.probs.size

    def __repr__(self) -> str:
        return f"Discrete({np.array2string(self.probs, separator=', ', precision=6)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Discrete) and np.array_equal(self.probs, other.probs)

    __hash__ = None  # type: ignore[assignment]


class Mixture:
    r"""A finite mixture of scipy.stats frozen 1-D continuous distributions.

    .. math:: p(x) = \sum_k w_k\, p_k(x)

    Parameters
    ----------
    components : sequence of scipy.stats frozen continuous distributions
        The mixture components, e.g. ``[stats.norm(-5, 1), stats.norm(5, 1)]``.
    weights : array_like, shape (k,), optional
        Non-negative weights summing to 1 (same tolerance as :class:`Discrete`); equal weights
        if omitted. Components of weight 0 are dropped.

    Examples
    --------
    >>> from scipy import stats
    >>> m = Mixture([stats.norm(-5, 1), stats.norm(5, 1)], [0.25, 0.75])
    >>> bool(np.isclose(m.pdf(5.0), 0.75 * stats.norm.pdf(0.0)))
    True
    """

    def __init__(
        self, components: Sequence[object], weights: npt.ArrayLike | None = None
    ) -> None:
        if isinstance(components, (str, bytes)) or not isinstance(components, Sequence):
            raise TypeError(
                "`components` must be a sequence of scipy.stats frozen continuous distributions"
                f" (got {describe(components)})"
            )
        if len(components) == 0:
            raise ValueError("`components` must not be empty")
        for i, c in enumerate(components):
            if not _is_scipy_continuous(c):
                raise TypeError(
                    f"`components[{i}]` must be a scipy.stats frozen 1-D continuous distribution"
                    f" (got {describe(c)})"
                )
            _check_parameters(c, f"components[{i}]")
        if weights is None:
            weights = np.full(len(components), 1.0 / len(components))
        w = as_probability_vector(weights, "weights")
        if w.size != len(components):
            raise ValueError(
                f"`weights` must have one entry per component ({len(components)}; got {w.size})"
            )
        keep = w > 0
        self.components: tuple[object, ...] = tuple(
            c for c, k in zip(components, keep, strict=True) if k
        )
        self.weights: np.ndarray = w[keep] / w[keep].sum()
        self.weights.setflags(write=False)
        self._logw = np.log(self.weights)
        self._logpdfs = [_exact_logpdf(c) for c in self.components]

    def logpdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Log-density, computed with ``logsumexp`` over the components (no underflow)."""
        x = np.asarray(x, dtype=np.float64)
        terms = np.stack([lw + f(x) for lw, f in zip(self._logw, self._logpdfs)])
        return special.logsumexp(terms, axis=0)

    def pdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Density."""
        return np.exp(self.logpdf(x))

    def cdf(self, x: npt.ArrayLike) -> np.ndarray:
        """Cumulative distribution function."""
        x = np.asarray(x, dtype=np.float64)
        return sum(w * c.cdf(x) for w, c in zip(self.weights, self.components))

    def ppf(self, q: npt.ArrayLike) -> np.ndarray:
        """Quantile function, by bracketed root finding on :meth:`cdf` (``brentq``)."""
        q = np.asarray(q, dtype=np.float64)
        lo = min(float(c.ppf(1e-12)) for c in self.components)
        hi = max(float(c.isf(1e-12)) for c in self.components)
        out = np.empty_like(q)
        for i, qi in np.ndenumerate(q):
            if not 0 < qi < 1:
                out[i] = self.support()[0] if qi == 0 else self.support()[1] if qi == 1 else np.nan
                continue
            a, b = lo, hi
            while self.cdf(a) > qi:
                a -= (b - a)
            while self.cdf(b) < qi:
                b += (b - a)
            out[i] = optimize.brentq(lambda t, qi=qi: float(self.cdf(t)) - qi, a, b, xtol=1e-14)
        return out

    def support(self) -> tuple[float, float]:
        """The smallest interval holding every component's support."""
        sup = [c.support() for c in self.components]
        return float(min(s[0] for s in sup)), float(max(s[1] for s in sup))

    def mean(self) -> float:
        """Mixture mean (``nan`` if a component has none, e.g. Cauchy)."""
        return float(sum(w * c.mean() for w, c in zip(self.weights, self.components)))

    def rvs(self, size: int, *, rng: np.random.Generator) -> np.ndarray:
        """``size`` independent draws, using only the passed generator ``rng``."""
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {describe(rng)})")
        counts = rng.multinomial(size, self.weights)
        parts = [c.rvs(size=n, random_state=rng) for c, n in zip(self.components, counts) if n]
        x = np.concatenate(parts) if parts else np.empty(0)
        return rng.permutation(x)

    def __repr__(self) -> str:
        comps = ", ".join(_describe_scipy(c) for c in self.components)
        return f"Mixture([{comps}], weights={np.array2string(self.weights, separator=', ')})"


def _is_scipy_continuous(obj: object) -> bool:
    dist = getattr(obj, "dist", None)
    return isinstance(dist, stats.rv_continuous) and hasattr(obj, "logpdf")


def _check_parameters(c: object, name: str) -> None:
    """Reject a frozen distribution whose parameters scipy.stats considers invalid.

    SciPy freezes ``norm(0, -1)`` or ``beta(-1, 2)`` without complaint and then answers NaN
    everywhere (its support is ``(nan, nan)``), which would make every integral meaningless.
    """
    lo, hi = c.support()  # type: ignore[attr-defined]
    _, loc, scale = _loc_scale(c)
    if math.isnan(lo) or math.isnan(hi) or not (math.isfinite(loc) and 0 < scale < math.inf):
        raise ValueError(
            f"`{name}` = {_describe_scipy(c)} has invalid parameters (scipy.stats gives it the"
            f" support ({lo}, {hi}); loc must be finite and scale positive and finite)"
        )


def _describe_scipy(c: object) -> str:
    args = ", ".join(
        [f"{a:g}" for a in c.args] + [f"{k}={v:g}" for k, v in c.kwds.items()]  # type: ignore[attr-defined]
    )
    return f"{c.dist.name}({args})"  # type: ignore[attr-defined]


# Landmarks of one component (breakpoints of the quadrature), from its quantiles:
# * the median and central quantiles put a breakpoint at every peak (SciPy's quad, given one
#   interval holding a far-away narrow peak, can miss it and return 0 without a warning);
# * the deep tail quantiles (down to 1e-250) matter as much: next to a long piece, the last 1e-9
#   of a narrow component's mass lies within a few of its scales of the piece's end, between
#   QUADPACK's nodes, and is missed without a warning (N(0, 1e-3) against N(0.5, 10) lost 5e-9
#   of JSD that way). Beyond the 1e-250 quantiles a component carries no mass float64 can see;
# * heavy tails run away (the 1e-15 quantile of a Cauchy is at 3e14): deep quantiles are kept
#   only within _TAIL_REACH times the distance of the 1e-9 quantile from the median, and long
#   gaps in a tail are filled geometrically (ratio _TAIL_RATIO) so no piece spans more than two
#   decades of a power law.
_CENTRAL_PROBS = np.array([1e-4, 0.01, 0.1, 0.5])
_TAIL_PROBS = np.array([1e-9, 1e-15, 1e-30, 1e-60, 1e-120, 1e-250])
_TAIL_REACH = 100.0
_TAIL_RATIO = 100.0


def _component_landmarks(c: object) -> np.ndarray:
    med = float(c.ppf(0.5))  # type: ignore[attr-defined]
    pts = [c.ppf(_CENTRAL_PROBS), c.isf(_CENTRAL_PROBS)]  # type: ignore[attr-defined]
    # SciPy's beta quantiles (Boost's ibeta_inv) can give up at the deep tail probabilities with
    # a RuntimeWarning and return a rough value or NaN (beta(2, 4).isf(1e-250)); landmarks only
    # need to be roughly placed and non-finite ones are dropped below, so the warning is noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        tails = c.ppf(_TAIL_PROBS), c.isf(_TAIL_PROBS)  # type: ignore[attr-defined]
    for side, tail in zip((-1, 1), tails):
        d = np.abs(np.asarray(tail, dtype=np.float64) - med)
        d = d[np.isfinite(d)]
        if d.size == 0:
            continue
        d = d[d <= _TAIL_REACH * d[0]]
        inner = abs(float(pts[0][0] if side < 0 else pts[1][0]) - med)
        filled = [inner] if np.isfinite(inner) and inner > 0 else []
        for dk in d:
            while filled and dk > _TAIL_RATIO * filled[-1]:
                filled.append(_TAIL_RATIO * filled[-1])
            filled.append(float(dk))
        pts.append(med + side * np.asarray(filled))
    return np.concatenate(pts)


# Families whose reflection hi - X is again in the family, as a map of the shape parameters.
# The reflection lets the quadrature resolve a density that is infinite at the *upper* end of its
# support: float64 cannot represent 1 - 1e-20, but the reflected variable t = hi - x can.
_REFLECT_SHAPES = {
    "beta": lambda a, b: (b, a),
    "arcsine": lambda: (),
    "uniform": lambda: (),
    "triang": lambda c: (1.0 - c,),
}  # all four have standard support [0, 1]


def _exact_logpdf(c: object) -> Callable[[npt.ArrayLike], np.ndarray]:
    """An array log-density of the frozen ``c`` that does not underflow where SciPy's does."""
    _, loc, scale = _loc_scale(c)
    return array_logpdf(c.dist.name, loc, scale, c.logpdf)  # type: ignore[attr-defined]


def _loc_scale(c: object) -> tuple[tuple[float, ...], float, float]:
    """Shape parameters, loc and scale of a scipy.stats frozen distribution."""
    n = c.dist.numargs  # type: ignore[attr-defined]
    args = tuple(c.args)  # type: ignore[attr-defined]
    kwds = dict(c.kwds)  # type: ignore[attr-defined]
    shapes = args[:n]
    rest = list(args[n:])
    loc = float(rest.pop(0)) if rest else float(kwds.pop("loc", 0.0))
    scale = float(rest.pop(0)) if rest else float(kwds.pop("scale", 1.0))
    if kwds:  # shape parameters given by keyword
        names = [a.strip() for a in (c.dist.shapes or "").split(",") if a.strip()]  # type: ignore[attr-defined]
        shapes = shapes + tuple(kwds[k] for k in names[len(shapes):])
    return tuple(float(v) for v in shapes), loc, scale


class _Component:
    """One scipy.stats frozen distribution, with exact evaluation near its support ends."""

    __slots__ = ("dist", "hi", "lo", "logpdf", "lower", "lower_at", "scalar", "upper", "upper_at")

    def __init__(self, dist: object) -> None:
        self.dist = dist
        self.logpdf = _exact_logpdf(dist)
        lo, hi = dist.support()  # type: ignore[attr-defined]
        self.lo, self.hi = float(lo), float(hi)
        shapes, loc, scale = _loc_scale(dist)
        family = dist.dist  # type: ignore[attr-defined]
        #: float -> float log-density for QUADPACK's one-point calls (see gantheory._logpdf)
        self.scalar = scalar_logpdf(family.name, shapes, loc, scale, self.logpdf)
        # X - lo and hi - X as frozen distributions on [0, hi - lo]: evaluating them at t gives
        # the density at lo + t and hi - t without rounding t away.
        self.lower = self.upper = None
        self.lower_at = self.upper_at = None
        if np.isfinite(self.lo):
            self.lower = family(*shapes, loc=loc - self.lo, scale=scale)
            self.lower_at = scalar_logpdf(
                family.name, shapes, loc - self.lo, scale, self.lower.logpdf
            )
        if np.isfinite(self.hi) and family.name in _REFLECT_SHAPES:
            refl = _REFLECT_SHAPES[family.name](*shapes)
            # hi - X = hi - loc - scale*Y = (hi - loc - scale) + scale*(1 - Y) for Y on [0, 1]
            # = scale*(1 - Y) exactly in real arithmetic: anchor at 0, not at the rounded
            # hi - loc - scale (5e-17 off for loc=0.1, scale=0.25, which moves the singularity)
            self.upper = family(*refl, loc=0.0, scale=scale)
            self.upper_at = scalar_logpdf(family.name, refl, 0.0, scale, self.upper.logpdf)

    def singular_at(self, end: float) -> bool:
        """Whether the density is infinite at the support end ``end``.

        Judged on the anchored forms at distance 0 where they exist: the float ``loc + scale``
        may sit an ulp outside the support, where ``logpdf`` is ``-inf``.
        """
        anchored = self.lower if end == self.lo else self.upper if end == self.hi else None
        if end not in (self.lo, self.hi):
            return False
        if anchored is not None:
            return bool(np.isposinf(anchored.logpdf(0.0)))
        inward = np.nextafter(end, self.hi if end == self.lo else self.lo)
        return bool(np.isposinf(self.dist.logpdf(end)) or np.isposinf(self.dist.logpdf(inward)))  # type: ignore[attr-defined]

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        """Log-density at ``end + side * t`` (``side`` = +1 above a lower end, -1 below)."""
        if side > 0 and end == self.lo and self.lower_at is not None:
            return self.lower_at(t)
        if side < 0 and end == self.hi and self.upper_at is not None:
            return self.upper_at(t)
        return self.scalar(end + side * t)


def _logsumexp(terms: list[float]) -> float:
    """``log sum exp(terms)`` of a short list of floats, as ``m + log1p(sum of the rest)``."""
    m = max(terms)
    if math.isinf(m) or m != m:  # all -inf, some +inf, or NaN
        return m
    rest = 0.0
    skipped = False
    for t in terms:
        if t == m and not skipped:
            skipped = True
            continue
        rest += math.exp(t - m)
    return m + math.log1p(rest)


def _scalar_mixture(logw: list[float], parts: list[ScalarLogpdf]) -> ScalarLogpdf:
    def logpdf(x: float) -> float:
        return _logsumexp([lw + f(x) for lw, f in zip(logw, parts)])

    return logpdf


#: Memo of scalar log-density values per distribution object (see Continuous.logpdf).
_MEMO: weakref.WeakKeyDictionary[object, dict[float, float]] = weakref.WeakKeyDictionary()
_MEMO_SIZE = 200_000


class Continuous:
    """The interface the quadrature integrates: log-density, support, landmarks, singular points.

    Two implementations: :func:`as_continuous` adapts a scipy.stats frozen distribution or a
    :class:`Mixture`, and :meth:`gantheory.pushforward.Generator1D.pushforward` gives the exact
    density of a 1-D generator. ``source`` is the object wrapped. A subclass provides
    :meth:`_scalar_logpdf` (a float in, a float out: QUADPACK calls one point at a time),
    :meth:`_array_logpdf`, :meth:`support` and :meth:`landmarks`; where its density is infinite
    at a point, :meth:`singular_at` says so and :meth:`logpdf_near` evaluates it at a distance
    ``t`` from that point without rounding ``t`` away.
    """

    __slots__ = ("_memo", "source")

    def __init__(self, source: object) -> None:
        self.source = source
        self._memo: dict[float, float] = _MEMO.setdefault(source, {})

    # -- what a subclass provides ----------------------------------------------------------------
    def _scalar_logpdf(self, x: float) -> float:
        raise NotImplementedError

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def support(self) -> tuple[float, float]:
        """Closed hull of the support, ``(lo, hi)``, possibly infinite."""
        raise NotImplementedError

    def landmarks(self) -> np.ndarray:
        """Sorted finite points the quadrature must split at (peaks, support ends, ...)."""
        raise NotImplementedError

    def singular_at(self, x: float) -> bool:
        """Whether the density is infinite at the point ``x`` (a landmark)."""
        return False

    def can_resolve(self, end: float, side: int) -> bool:
        """Whether :meth:`logpdf_near` is exact on the ``side`` of the singular point ``end``
        (+1 above, -1 below)."""
        return True

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        """Log-density at ``end + side * t``, exact for small ``t`` at singular points."""
        return float(self.logpdf(end + side * t))

    # -- shared ----------------------------------------------------------------------------------
    def logpdf(self, x: npt.ArrayLike) -> np.ndarray | float:
        """Log-density; a scalar ``x`` is answered from a per-distribution memo.

        Quadrature evaluates the same nodes for every functional of the same pair (C(G), JSD,
        KL, V(G, D) for many D): the memo (bounded at :data:`_MEMO_SIZE` entries per
        distribution) makes repeated integrals cheap. A value not in the memo comes from
        :meth:`_scalar_logpdf` (for scipy.stats families, the written-out formula of
        :mod:`gantheory._logpdf`: a scalar call into scipy.stats costs 30-60 us). The wrapped
        objects are treated as immutable.
        """
        if isinstance(x, float) or (isinstance(x, np.ndarray) and x.size == 1):
            key = x if type(x) is float else float(np.asarray(x).reshape(()))
            v = self._memo.get(key)
            if v is None:
                v = self._scalar_logpdf(key)
                if len(self._memo) < _MEMO_SIZE:
                    self._memo[key] = v
            return v if isinstance(x, float) else np.full(np.shape(x), v)
        return self._array_logpdf(np.asarray(x, dtype=np.float64))


class _SciPyContinuous(Continuous):
    """A scipy.stats frozen distribution or a :class:`Mixture` of them, as :class:`Continuous`."""

    __slots__ = ("_array", "_components", "_logw", "_scalar")

    def __init__(self, source: object) -> None:
        super().__init__(source)
        mixture = isinstance(source, Mixture)
        comps = source.components if mixture else (source,)  # type: ignore[attr-defined]
        self._components = tuple(_Component(c) for c in comps)
        self._logw = source._logw if mixture else np.zeros(1)  # type: ignore[attr-defined]
        self._array = source.logpdf if mixture else self._components[0].logpdf  # type: ignore[attr-defined]
        self._scalar = (
            _scalar_mixture(self._logw.tolist(), [c.scalar for c in self._components])
            if mixture else self._components[0].scalar
        )

    def _scalar_logpdf(self, x: float) -> float:
        return self._scalar(x)

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        return self._array(x)

    def support(self) -> tuple[float, float]:
        lo, hi = self.source.support()  # type: ignore[attr-defined]
        return float(lo), float(hi)

    def singular_at(self, x: float) -> bool:
        """Whether some component's density is infinite at ``x`` (a support end)."""
        return any(c.singular_at(x) for c in self._components)

    def can_resolve(self, end: float, side: int) -> bool:
        """Every component whose density is infinite at ``end`` must have an exact anchored form
        on that side — unless that side is outside its support, where its density is 0."""
        for c in self._components:
            if not c.singular_at(end):
                continue
            if side > 0 and end == c.lo and c.lower is None:
                return False
            if side < 0 and end == c.hi and c.upper is None:
                return False
        return True

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        if len(self._components) == 1:
            return self._components[0].logpdf_near(end, side, t)
        terms = [lw + c.logpdf_near(end, side, t) for lw, c in zip(self._logw, self._components)]
        return _logsumexp(terms)

    def landmarks(self) -> np.ndarray:
        """Quantiles and support endpoints of the components."""
        pts = []
        for comp in self._components:
            q = _component_landmarks(comp.dist)
            lo, hi = comp.lo, comp.hi
            # A quantile within rounding of a finite support end (Beta(1/2, 1/2) has
            # isf(1e-9) == 1.0 in float64) would make a piece so thin that its quadrature nodes
            # round onto the end, where the density may be infinite: drop it.
            width = hi - lo if np.isfinite(hi - lo) else max(abs(lo), abs(hi), 1.0)
            near = (np.abs(q - lo) < 1e-9 * width) | (np.abs(q - hi) < 1e-9 * width)
            pts.append(q[~near])
            pts.append(np.array([lo, hi]))
        out = np.concatenate(pts)
        return np.unique(out[np.isfinite(out)])

    def __repr__(self) -> str:
        return repr(self.source) if isinstance(self.source, Mixture) else _describe_scipy(
            self.source
        )


def is_continuous(obj: object) -> bool:
    """Whether ``obj`` is a continuous distribution gantheory accepts."""
    return isinstance(obj, (Mixture, Continuous)) or _is_scipy_continuous(obj)


def as_continuous(obj: object, name: str) -> Continuous:
    """Adapt a scipy.stats frozen continuous distribution or a :class:`Mixture`.

    Raises ``TypeError`` naming ``name`` for anything else (including scipy's discrete and
    multivariate distributions).
    """
    if isinstance(obj, Continuous):
        return obj
    if isinstance(obj, Mixture):
        return _SciPyContinuous(obj)
    if _is_scipy_continuous(obj):
        _check_parameters(obj, name)
        return _SciPyContinuous(obj)
    hint = ""
    if isinstance(getattr(obj, "dist", None), stats.rv_discrete):
        hint = "; scipy.stats discrete distributions are not supported, use Discrete(probs)"
    raise TypeError(
        f"`{name}` must be a scipy.stats frozen 1-D continuous distribution or a Mixture"
        f" (got {describe(obj)}){hint}"
    )


def _not_a_distribution(obj: object, name: str, expected: str) -> TypeError:
    """The ``TypeError`` for an argument that is not a distribution gantheory accepts."""
    family = obj if isinstance(obj, stats.rv_continuous | stats.rv_discrete) else None
    if family is not None:
        shapes = family.shapes or ""
        if isinstance(family, stats.rv_continuous):
            args = (shapes + ", " if shapes else "") + "loc, scale"
        else:
            args = shapes
        return TypeError(
            f"`{name}` is the scipy.stats family `{family.name}`, not a distribution: freeze it"
            f" with its parameters, e.g. stats.{family.name}({args})"
        )
    if type(obj).__module__.startswith("scipy.stats"):  # e.g. a multivariate distribution
        return TypeError(
            f"`{name}` must be {expected} (got a {type(obj).__name__}, which is not a 1-D"
            " scipy.stats distribution)"
        )
    return TypeError(f"`{name}` must be {expected} (got {describe(obj)}, a {type(obj).__name__})")


#: What any distribution argument may be, for messages.
_ANY = (
    "a Discrete or a 1-D array of probabilities, a frozen scipy.stats discrete distribution"
    " (e.g. stats.poisson(5)), a frozen scipy.stats 1-D continuous distribution"
    " (e.g. stats.norm(0, 1)), or a Mixture"
)


def _show(v: object) -> str:
    """A distribution as a user would write it, for messages."""
    if is_scipy_discrete(v):
        return describe_scipy_discrete(v)
    if _is_scipy_continuous(v):
        return _describe_scipy(v)
    return describe(v)


def as_discrete(obj: object, name: str) -> np.ndarray:
    """The probability vector of a :class:`Discrete` or of a 1-D array of probabilities.

    A frozen scipy.stats discrete distribution is handled by :func:`coerce_pair` (which aligns
    it with the other argument); here it is a ``TypeError`` like every non-vector.
    """
    if isinstance(obj, Discrete):
        return obj.probs
    if (
        is_continuous(obj) or callable(obj) or is_scipy_discrete(obj)
        or isinstance(obj, (str, bytes, dict, set, stats.rv_continuous, stats.rv_discrete))
        or obj is None
    ):
        raise _not_a_distribution(obj, name, "a Discrete or a 1-D array of probabilities")
    return as_probability_vector(obj, name)


def coerce_pair(p: object, q: object, names: tuple[str, str] = ("p", "q")) -> Pair:
    """Classify and validate a pair of distributions.

    Returns a :class:`~gantheory._discrete_scipy.Pair`, which unpacks as ``(kind, p, q)``:
    ``("discrete", p_masses, q_masses)`` on common points (equal lengths checked for two
    vectors; a scipy.stats discrete distribution is aligned with the other argument on the
    union of their points, a vector of length ``n`` being on ``{0, ..., n - 1}``), or
    ``("continuous", p_cont, q_cont)``. A discrete argument with a continuous one is a
    ``TypeError``, and so is anything that is not a distribution (an unfrozen scipy.stats
    family, a multivariate distribution, a function, None, ...), with a message saying what
    was passed and what is expected.
    """
    for v, n in ((p, names[0]), (q, names[1])):
        if is_continuous(v) or is_scipy_discrete(v) or isinstance(v, Discrete):
            continue
        if (
            v is None or callable(v) or isinstance(v, (str, bytes, dict, set))
            or type(v).__module__.startswith("scipy.stats")
        ):
            raise _not_a_distribution(v, n, _ANY)
    cp, cq = is_continuous(p), is_continuous(q)
    if cp and cq:
        return Pair("continuous", as_continuous(p, names[0]), as_continuous(q, names[1]))
    if cp != cq:
        kinds = {True: "continuous", False: "discrete"}
        raise TypeError(
            f"`{names[0]}` and `{names[1]}` must both be discrete or both continuous (got a"
            f" {kinds[cp]} `{names[0]}` = {_show(p)} and a {kinds[cq]} `{names[1]}` ="
            f" {_show(q)})"
        )
    pv, qv = (
        v if is_scipy_discrete(v) else as_discrete(v, n) for v, n in zip((p, q), names)
    )
    return align(pv, qv, names)
