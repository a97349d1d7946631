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

import contextlib
import itertools
import math
import warnings
import weakref
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

from gantheory._discrete_scipy import Pair, align, describe_scipy_discrete, is_scipy_discrete
from gantheory._logpdf import (
    ScalarLogpdf,
    array_logpdf,
    is_written_out,
    scalar_logpdf,
    scipy_scalar_logpdf,
)
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
        if omitted. A component of weight 0 is still validated, then dropped: the mixture is the
        mixture of the others, with their support, landmarks and density (``Mixture([a, b],
        [1, 0])`` is ``a`` alone, and :attr:`components` and :attr:`weights` list only the kept
        components). Weights cannot all be 0 (they sum to 1).

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
                    f" such as scipy.stats.norm(0, 1) {_got(c)}"
                )
            _check_parameters(c, f"components[{i}]")
            _check_family(c, f"components[{i}]")
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
        sup = [_support(c) for c in self.components]
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


def _quantiles(c: object, probs: np.ndarray, upper: bool) -> np.ndarray:
    """``c.ppf(probs)`` (or ``c.isf``), NaN where SciPy cannot say.

    SciPy's quantiles can give up at deep tail probabilities: Boost's ibeta_inv warns and
    returns a rough value or NaN (beta(2, 4).isf(1e-250)), the non-central F's raises
    OverflowError, the normal-inverse Gaussian's root finder raises ValueError. Landmarks only
    need to be roughly placed and non-finite ones are dropped, so each probability is asked
    alone and a failure is NaN.
    """
    method = c.isf if upper else c.ppf  # type: ignore[attr-defined]
    out = np.full(probs.shape, np.nan)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            out[:] = method(probs)
        except (ArithmeticError, ValueError):
            for i, pr in enumerate(probs):
                with contextlib.suppress(ArithmeticError, ValueError):
                    out[i] = method(pr)
    return out


def _component_landmarks(c: object) -> np.ndarray:
    med = float(_quantiles(c, np.array([0.5]), upper=False)[0])
    pts = [_quantiles(c, _CENTRAL_PROBS, False), _quantiles(c, _CENTRAL_PROBS, True)]
    if not math.isfinite(med):
        return np.concatenate(pts)
    tails = _quantiles(c, _TAIL_PROBS, False), _quantiles(c, _TAIL_PROBS, True)
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


def _landmark_width(c: object, lo: float, hi: float) -> float:
    """The length against which a landmark counts as within rounding of a support end: the
    support's length when finite, else the spread of the central quantiles (the distance from
    the 1e-4 to the 1 - 1e-4 quantile), which is finite for every distribution."""
    if math.isfinite(hi - lo):
        return hi - lo
    for prob in _CENTRAL_PROBS:  # the widest spread that is finite (Pareto(0.01): 1e-4 is not)
        spread = abs(float(_quantiles(c, np.array([prob]), True)[0])
                     - float(_quantiles(c, np.array([prob]), False)[0]))
        if math.isfinite(spread) and spread > 0:
            return spread
    return 1.0


# Exact forms at a distance ``t`` from a support end. The quadrature integrates next to a point
# where a density is infinite in the distance t to it (see gantheory.quadrature); it needs the
# density at lo + t and hi - t without rounding t away (float64 cannot represent 1 - 1e-20, but
# t = 1e-20 it can). A family whose standard support starts at 0 is its own lower form:
# family(*shapes, loc=0, scale=scale) at t is the density at lo + t. Otherwise, and at upper
# ends, the form is the law of X - lo or hi - X, a family on [0, ...) given by the table:
# name -> (shapes, scale) -> (family, shapes, scale), or None where the family has none.
_FormMap = Callable[[tuple[float, ...], float], "tuple[str, tuple[float, ...], float] | None"]


def _pearson3_gamma(skew: float, scale: float) -> tuple[str, tuple[float, ...], float]:
    # Pearson III with skew g is a gamma of shape 4/g^2 and scale |g|/2 (times the scale),
    # started at loc - 2 scale / g (g > 0) or reflected at loc + 2 scale / |g| (g < 0).
    return "gamma", (4.0 / skew**2,), scale * abs(skew) / 2.0


_LOWER_FORMS: dict[str, _FormMap] = {
    # (1 + X) / 2 ~ Beta(c/2, c/2) on [-1, 1]
    "rdist": lambda s, sc: ("beta", (s[0] / 2.0, s[0] / 2.0), 2.0 * sc),
    "semicircular": lambda s, sc: ("beta", (1.5, 1.5), 2.0 * sc),
    "pearson3": lambda s, sc: _pearson3_gamma(s[0], sc) if s[0] > 0 else None,
}
_UPPER_FORMS: dict[str, _FormMap] = {
    "beta": lambda s, sc: ("beta", (s[1], s[0]), sc),
    "arcsine": lambda s, sc: ("arcsine", (), sc),
    "uniform": lambda s, sc: ("uniform", (), sc),
    "triang": lambda s, sc: ("triang", (1.0 - s[0],), sc),
    # X ~ Beta(a, 1) on [0, 1]: 1 - X ~ Beta(1, a)
    "powerlaw": lambda s, sc: ("beta", (1.0, s[0]), sc),
    "weibull_max": lambda s, sc: ("weibull_min", (s[0],), sc),
    "levy_l": lambda s, sc: ("levy", (), sc),
    "rdist": lambda s, sc: ("beta", (s[0] / 2.0, s[0] / 2.0), 2.0 * sc),
    "semicircular": lambda s, sc: ("beta", (1.5, 1.5), 2.0 * sc),
    "pearson3": lambda s, sc: _pearson3_gamma(s[0], sc) if s[0] < 0 else None,
    # for c < 0, |c| X ~ Beta(1, 1/|c|) on [0, 1]: the top end hi - X ~ Beta(1/|c|, 1) / |c|
    "genpareto": lambda s, sc: ("beta", (-1.0 / s[0], 1.0), sc / -s[0]) if s[0] < 0 else None,
}

#: Below this |skew| SciPy's Pearson III is the normal density (its own transition).
_PEARSON3_NORMAL = 0.000016


def _support(c: object) -> tuple[float, float]:
    """The support of a scipy.stats frozen distribution, where its density may be positive.

    SciPy declares Pearson III on the whole line, but for a skew g != 0 its density vanishes
    beyond ``loc - 2 scale / g`` (below it for g > 0, above it for g < 0).
    """
    lo, hi = (float(v) for v in c.support())  # type: ignore[attr-defined]
    if c.dist.name == "pearson3":  # type: ignore[attr-defined]
        (skew,), loc, scale = _loc_scale(c)
        if abs(skew) >= _PEARSON3_NORMAL:
            end = loc - 2.0 * scale / skew
            lo, hi = (end, hi) if skew > 0 else (lo, end)
    return lo, hi


#: Cost of one scalar log-density evaluation through SciPy (:func:`scipy_scalar_logpdf`), in the
#: quadrature's work units (about a microsecond), and of the families that cost more: measured
#: on scipy 1.17 (median of the scipy.stats families about 13 us, these are 60 us to 80 ms;
#: rounded up). scipy.stats evaluates their densities by series, numerical integration or root
#: finding.
_SCIPY_COST = 15.0
_SLOW_COST = {
    "studentized_range": 80_000.0,
    "levy_stable": 3_000.0,
    "ksone": 2_000.0,
    "kstwo": 800.0,
    "kappa4": 400.0,
    "truncnorm": 300.0,
    "genextreme": 300.0,
    "ncx2": 250.0,
    "gibrat": 150.0,
    "trapezoid": 150.0,
    "triang": 150.0,
    "gengamma": 150.0,
    "truncpareto": 150.0,
    "burr": 120.0,
    "pearson3": 200.0,
    "irwinhall": 130.0,
    "genhyperbolic": 130.0,
    "dpareto_lognorm": 130.0,
    "recipinvgauss": 120.0,
    "geninvgauss": 110.0,
    "fisk": 100.0,
    "gausshyper": 100.0,
    "skewnorm": 90.0,
    "genlogistic": 90.0,
    "johnsonsu": 90.0,
    "genexpon": 90.0,
}


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


def _scalar_of(name: str, shapes: tuple[float, ...], loc: float, scale: float) -> ScalarLogpdf:
    """The fastest exact ``float -> float`` log-density of ``name(*shapes, loc, scale)``."""
    family = getattr(stats, name)
    return scalar_logpdf(
        name, shapes, loc, scale, scipy_scalar_logpdf(family, shapes, loc, scale)
    )


class _Component:
    """One scipy.stats frozen distribution, with exact evaluation near its support ends.

    ``lower`` and ``upper`` are the laws of ``X - lo`` and ``hi - X`` as frozen distributions on
    ``[0, ...)`` where known exactly (see ``_LOWER_FORMS``): evaluating them at ``t`` gives the
    density at ``lo + t`` and ``hi - t`` without rounding ``t`` away.
    """

    __slots__ = (
        "_noise", "cost", "dist", "hi", "lo", "logpdf", "lower", "lower_at", "scalar", "upper",
        "upper_at", "written_out",
    )

    def __init__(self, dist: object) -> None:
        self.dist = dist
        self.logpdf = _exact_logpdf(dist)
        self.lo, self.hi = _support(dist)
        shapes, loc, scale = _loc_scale(dist)
        family = dist.dist  # type: ignore[attr-defined]
        name = family.name
        #: float -> float log-density for QUADPACK's one-point calls (see gantheory._logpdf)
        self.scalar = _scalar_of(name, shapes, loc, scale)
        self.written_out = is_written_out(name)
        self._noise: float | None = None
        self.cost = 1.0 if self.written_out else _SLOW_COST.get(name, _SCIPY_COST)
        self.lower = self.upper = None
        self.lower_at = self.upper_at = None
        std_lo = float(family.support(*shapes)[0])
        lower = ((name, shapes, scale) if std_lo == 0.0 and name != "pearson3"
                 else _form(_LOWER_FORMS, name, shapes, scale))
        if np.isfinite(self.lo) and lower is not None:
            self.lower = getattr(stats, lower[0])(*lower[1], loc=0.0, scale=lower[2])
            self.lower_at = _scalar_of(lower[0], lower[1], 0.0, lower[2])
        upper = _form(_UPPER_FORMS, name, shapes, scale)
        if np.isfinite(self.hi) and upper is not None:
            # hi - X = hi - loc - scale*Y = (hi - loc - scale) + scale*(1 - Y) for Y on [0, 1]
            # = scale*(1 - Y) exactly in real arithmetic: anchor at 0, not at the rounded
            # hi - loc - scale (5e-17 off for loc=0.1, scale=0.25, which moves the singularity)
            self.upper = getattr(stats, upper[0])(*upper[1], loc=0.0, scale=upper[2])
            self.upper_at = _scalar_of(upper[0], upper[1], 0.0, upper[2])

    @property
    def noise(self) -> float:
        """The rounding noise of :attr:`scalar` (measured once, see :func:`_logpdf_noise`)."""
        if self._noise is None:
            self._noise = 0.0 if self.written_out else _logpdf_noise(self)
        return self._noise

    def singular_at(self, end: float) -> bool:
        """Whether the density is infinite at the support end ``end``.

        Judged on the anchored forms at distance 0 where they exist: the float ``loc + scale``
        may sit an ulp outside the support, where ``logpdf`` is ``-inf``.
        """
        if end not in (self.lo, self.hi):
            return False
        at = self.lower_at if end == self.lo else self.upper_at
        if at is not None:
            # +inf at distance 0, or (where SciPy's support is open, as for powerlaw) growing
            # by over a nat per hundred decades of t down to 1e-300 of the width
            if math.isinf(at(0.0)) and at(0.0) > 0:
                return True
            width = _landmark_width(self.dist, self.lo, self.hi)
            logs = [at(width * 10.0**-k) for k in (100, 200, 300)]
            return all(math.isfinite(a) and b - a > 1.0 for a, b in itertools.pairwise(logs))
        inward = float(np.nextafter(end, self.hi if end == self.lo else self.lo))
        if any(math.isinf(v) and v > 0 for v in (self.scalar(end), self.scalar(inward))):
            return True
        # No exact form: the density may still grow without bound towards the end while staying
        # finite at the last float before it (genextreme(2) is 18.4 there, like t^(-1/2)). Look
        # at four distances from the local scale at the end (its distance to the 1e-4 quantile)
        # down to what float64 resolves (10^4 ulps of the end) or 1e-12 of it: a density that
        # grows by over 0.1 nats at each step of at least a decade is taken as infinite there.
        side = 1.0 if end == self.lo else -1.0
        # the local scale at the end: its distance to the 1e-4 quantile on that side
        near_q = float(_quantiles(self.dist, np.array([1e-4]), upper=side < 0)[0])
        width = abs(near_q - end)
        if not (math.isfinite(width) and width > 0):
            width = _landmark_width(self.dist, self.lo, self.hi)
        floor = max(1e4 * float(np.spacing(abs(end))), width * 1e-12)
        if not width >= 1e3 * floor:
            return False
        ts = np.geomspace(width, floor, 4)  # at least a decade between neighbours
        logs = [self.scalar(end + side * float(t)) for t in ts]
        return all(math.isfinite(a) and b - a > 0.1 for a, b in itertools.pairwise(logs))

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        """Log-density at ``end + side * t`` (``side`` = +1 above a lower end, -1 below).

        Outside the support (below its lower end, above its upper end) the density is 0 for
        every ``t > 0``, also where ``end + side * t`` rounds back onto the end, at which it may
        be infinite.
        """
        if t > 0.0 and ((side < 0 and end == self.lo) or (side > 0 and end == self.hi)):
            return -math.inf
        if side > 0 and end == self.lo and self.lower_at is not None:
            return self.lower_at(t)
        if side < 0 and end == self.hi and self.upper_at is not None:
            return self.upper_at(t)
        return self.scalar(end + side * t)


#: Quantiles at which the rounding noise of a log-density is measured, and the neighbours of
#: each, 64 and 4096 ulps apart: far below any scale of the standardised density, so its
#: second differences there are rounding alone (at 1 ulp an intermediate such as z + 20 may
#: not change at all and hide the noise).
_NOISE_PROBS = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
_NOISE_STEPS = np.concatenate([np.arange(-3.0, 4.0) * 64.0, np.arange(-3.0, 4.0) * 4096.0])


def _logpdf_noise(c: _Component) -> float:
    """The rounding noise of a component's log-density: the largest second difference of its
    values at neighbouring floats around five quantiles of the standardised family.

    The formula's rounding does not depend on loc and scale (they enter as ``(x - loc) / scale``
    and ``- log scale``), so it is measured on ``family(*shapes)``: at a far location the
    density's true change between neighbouring floats would be taken for noise. For noise of
    amplitude d a second difference is at most 4 d; the largest one measured is taken as d
    itself, a safety factor of up to 4 (a handful of samples may miss the worst rounding). 0
    when the noise is at most 16 eps of the values (the quadrature's node-rounding floor covers
    that).
    """
    shapes, _, _ = _loc_scale(c.dist)
    name = c.dist.dist.name  # type: ignore[attr-defined]
    standard = getattr(stats, name)(*shapes)
    scalar = _scalar_of(name, shapes, 0.0, 1.0)
    xs = _quantiles(standard, _NOISE_PROBS, upper=False)
    worst = 0.0
    for x0 in xs[np.isfinite(xs)].tolist():
        step = float(np.spacing(abs(x0))) if x0 != 0.0 else 1e-300
        for steps in np.split(_NOISE_STEPS, 2):
            vals = np.array([scalar(x0 + k * step) for k in steps])
            if not np.all(np.isfinite(vals)):
                continue
            second = np.abs(vals[2:] - 2 * vals[1:-1] + vals[:-2])
            if float(second.max()) > 16 * _EPS * max(1.0, float(np.abs(vals).max())):
                worst = max(worst, float(second.max()))
    return worst


_EPS = float(np.finfo(np.float64).eps)


def _form(
    table: dict[str, _FormMap], name: str, shapes: tuple[float, ...], scale: float
) -> tuple[str, tuple[float, ...], float] | None:
    make = table.get(name)
    return None if make is None else make(shapes, scale)


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

    def underflows_at(self, x: float) -> bool:
        """Whether a log-density of ``-inf`` at ``x`` is float64 underflow: ``x`` lies inside
        the support, where the density is positive, but its log was computed as ``log(pdf)``.
        The quadrature then refuses rather than take the density for 0."""
        return False

    @property
    def logpdf_error(self) -> float:
        """An absolute bound on the rounding error of one :meth:`logpdf` value, where it is
        larger than a few eps: SciPy's gamma of shape 400 sums terms of size 2400 into a
        log-density of size 1, 5e-13 off. The quadrature adds its effect on the integral to the
        error bound. 0 (the default) means a few eps of the value."""
        return 0.0

    @property
    def eval_cost(self) -> float:
        """Cost of one scalar :meth:`logpdf` in the quadrature's work units (1 for a
        written-out log-density, about a microsecond; see
        :data:`gantheory.quadrature.MAX_WORK`)."""
        return 1.0

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
        """The hull of the components' supports (where their densities may be positive)."""
        return min(c.lo for c in self._components), max(c.hi for c in self._components)

    @property
    def eval_cost(self) -> float:
        return sum(c.cost for c in self._components)

    @property
    def logpdf_error(self) -> float:
        """The largest rounding noise of the components' log-densities (see
        :func:`_logpdf_noise`)."""
        return max(c.noise for c in self._components)

    def underflows_at(self, x: float) -> bool:
        """Whether ``x`` lies strictly inside a component's support: every scipy.stats family's
        density is positive there, so a log-density of ``-inf`` is underflow (SciPy computes
        many families' log-densities as ``log(pdf)``)."""
        return any(c.lo < x < c.hi for c in self._components)

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
            # round onto the end, where the density may be infinite: drop it. "Within rounding"
            # is 1e-9 of the end's own scale, its distance to the 1e-4 quantile on that side
            # (the length of the support was the unit before: infinite on a half-line, it made
            # every quantile of an exponential "near" 0 and left it no landmark at all).
            near = np.zeros(q.shape, dtype=bool)
            for end, upper in ((lo, False), (hi, True)):
                if math.isfinite(end):
                    local = abs(float(_quantiles(comp.dist, np.array([1e-4]), upper)[0]) - end)
                    if not (math.isfinite(local) and local > 0):
                        local = _landmark_width(comp.dist, lo, hi)
                    with np.errstate(invalid="ignore"):  # infinite quantiles
                        near |= np.abs(q - end) < 1e-9 * local
            # a quantile that rounded past an end (Beta's ppf(1e-250) two ulps below its loc)
            # would make a piece outside the support, next to a singular end
            with np.errstate(invalid="ignore"):
                near |= (q < lo) | (q > hi)
            pts.append(q[~near])
            pts.append(np.array([lo, hi]))
        out = np.concatenate(pts)
        return np.unique(out[np.isfinite(out)])

    def __repr__(self) -> str:
        return repr(self.source) if isinstance(self.source, Mixture) else _describe_scipy(
            self.source
        )


#: Families refused before integrating, with the reason.
_REFUSED = {
    "vonmises": (
        "is a circular distribution: scipy.stats.vonmises has a periodic density on the whole"
        " line, of infinite total mass; use scipy.stats.vonmises_line for the same density on"
        " [loc - pi*scale, loc + pi*scale]"
    ),
    "studentized_range": (
        "cannot be integrated: scipy.stats computes its density by numerical integration, about"
        " 0.1 s a point, and the quadrature needs thousands of points"
    ),
}


def _check_family(c: object, name: str) -> None:
    reason = _REFUSED.get(c.dist.name)  # type: ignore[attr-defined]
    if reason is not None:
        raise ValueError(f"`{name}` = {_describe_scipy(c)} {reason}")


def _got(obj: object) -> str:
    """What was passed, for an error message, with the remedy when ``obj`` is a scipy.stats
    family that was not given its parameters (``stats.norm`` instead of ``stats.norm(0, 1)``)."""
    if not isinstance(obj, stats.rv_continuous | stats.rv_discrete):
        return f"(got {describe(obj)})"
    shapes = [a.strip() for a in (obj.shapes or "").split(",") if a.strip()]
    continuous = isinstance(obj, stats.rv_continuous)
    params = [*shapes, "loc", "scale"] if continuous else [*shapes, "loc"]
    return (
        f"(got the unfrozen {'continuous' if continuous else 'discrete'} family"
        f" scipy.stats.{obj.name}; call it with its parameters to freeze it, e.g."
        f" scipy.stats.{obj.name}({', '.join(params)}))"
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
        _check_family(obj, name)
        return _SciPyContinuous(obj)
    hint = ""
    if isinstance(getattr(obj, "dist", None), stats.rv_discrete):
        hint = "; scipy.stats discrete distributions are not supported, use Discrete(probs)"
    raise TypeError(
        f"`{name}` must be a continuous distribution: a scipy.stats frozen 1-D continuous"
        f" distribution such as scipy.stats.norm(0, 1), or a Mixture {_got(obj)}{hint}"
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
