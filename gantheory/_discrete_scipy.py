r"""SciPy's discrete distributions as probability vectors on common support points.

A frozen ``scipy.stats`` discrete distribution (``binom(10, 0.5)``, ``poisson(5)``, ``geom(0.3)``,
``nbinom``, ``hypergeom``, ``randint``, ``bernoulli``, ``rv_discrete(values=...)``, ...) is
accepted wherever a discrete distribution is. Its masses sit on the lattice ``a, a + 1, ...``
from the lower end ``a`` of its support (or on ``loc + Z`` when the support is unbounded below);
a :class:`~gantheory.Discrete` vector of length ``n`` sits on ``{0, ..., n - 1}``. A pair is
aligned on the union of the two sets of points (:class:`Pair`):

* a **finite support** (binom, hypergeom, randint, ...) is listed whole, up to
  :data:`MAX_POINTS` points: its sums are exact up to rounding;
* an **infinite support** (poisson, geom, nbinom, logser, zipf, dlaplace, skellam, ...) is cut
  where the mass beyond is at most :data:`TAIL_MASS` (by ``sf``/``cdf``), or after
  :data:`MAX_POINTS` points on each side (heavy tails); the mass omitted, from ``sf`` and
  ``cdf`` at the cuts, is kept in :attr:`Pair.omitted` and the functionals bound what the omitted
  points can add (see :func:`omitted_bound`).

Masses come from ``pmf`` and log-masses from ``logpmf`` (which does not underflow for most
families), so that ``KL`` is not made infinite by a mass that underflows to 0 where the other
one does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from gantheory._validation import describe

__all__ = [
    "MAX_POINTS",
    "TAIL_MASS",
    "Pair",
    "align",
    "describe_scipy_discrete",
    "edge_factor",
    "is_scipy_discrete",
    "omitted_bound",
    "underflow_point",
]

#: An infinite support is cut where the mass beyond is at most this (by SciPy's ``sf``/``cdf``).
TAIL_MASS: float = 1e-300
#: At most this many points are listed on each side of the median of one distribution.
MAX_POINTS: int = 2**20


@dataclass(frozen=True)
class Pair:
    """A classified, validated pair of distributions.

    Iterates as ``(kind, p, q)``. For ``kind == "discrete"``, ``p`` and ``q`` are mass arrays on
    the common ``points`` (``None`` for two probability vectors: ``{0, ..., n - 1}``),
    ``logp``/``logq`` their logarithms (from ``logpmf`` for SciPy distributions), and
    ``omitted`` bounds the mass each leaves outside ``points``. For ``"continuous"``, ``p`` and
    ``q`` are :class:`~gantheory.distributions.Continuous`.
    """

    kind: str
    p: object
    q: object
    points: np.ndarray | None = None
    logp: np.ndarray | None = field(default=None, repr=False)
    logq: np.ndarray | None = field(default=None, repr=False)
    omitted: tuple[float, float] = (0.0, 0.0)
    sources: tuple[object, object] = field(default=(None, None), repr=False)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.kind, self.p, self.q))

    @property
    def exact(self) -> bool:
        """Whether every point of positive mass is listed (no tail was cut)."""
        return self.omitted == (0.0, 0.0)


def is_scipy_discrete(obj: object) -> bool:
    """A frozen ``scipy.stats`` discrete distribution, or an ``rv_discrete(values=...)``."""
    dist = getattr(obj, "dist", None)
    if isinstance(dist, stats.rv_discrete) and hasattr(obj, "pmf"):
        return True
    return isinstance(obj, stats.rv_discrete) and hasattr(obj, "xk")


def describe_scipy_discrete(d: object) -> str:
    """``poisson(5)`` for a frozen discrete distribution (for error messages)."""
    dist = getattr(d, "dist", d)
    args = [f"{a:g}" if isinstance(a, (int, float)) else repr(a) for a in getattr(d, "args", ())]
    args += [f"{k}={v:g}" for k, v in getattr(d, "kwds", {}).items()]
    name = dist.name if dist.name != "rv_sample" else "rv_discrete(values=...)"
    return f"{name}({', '.join(args)})" if hasattr(d, "dist") else name


@dataclass(frozen=True)
class _Listed:
    """One distribution's listed points, masses and omitted mass."""

    points: np.ndarray
    omitted: float


def _lattice(d: object, name: str) -> _Listed:
    """The points of ``d`` holding all but at most :data:`TAIL_MASS` of its mass (see module)."""
    dist = getattr(d, "dist", d)
    lo, hi = (float(v) for v in d.support())  # type: ignore[attr-defined]
    if math.isnan(lo) or math.isnan(hi):
        raise ValueError(
            f"`{name}` = {describe_scipy_discrete(d)} has invalid parameters (scipy.stats gives it"
            f" the support ({lo}, {hi}))"
        )
    if hasattr(dist, "xk"):  # rv_discrete(values=(xk, pk)): exactly its points
        xk = np.asarray(dist.xk, dtype=np.float64)
        return _Listed(np.unique(xk + (lo - xk.min())), 0.0)
    if math.isfinite(lo) and math.isfinite(hi) and hi - lo < 2 * MAX_POINTS:
        return _Listed(np.arange(lo, hi + 1.0), 0.0)
    med = float(d.median())  # type: ignore[attr-defined]
    if not math.isfinite(med):
        raise ValueError(f"`{name}` = {describe_scipy_discrete(d)} has no finite median")
    omitted = 0.0
    # upper end: the first of med + 1, med + 2, med + 4, ... with sf <= TAIL_MASS
    top = hi
    if hi - med > MAX_POINTS:
        steps = med + 2.0 ** np.arange(0, int(math.log2(MAX_POINTS)) + 1)
        sf = np.asarray(d.sf(steps), dtype=np.float64)  # type: ignore[attr-defined]
        ok = np.flatnonzero(sf <= TAIL_MASS)
        top = float(steps[ok[0]] if ok.size else steps[-1])
        omitted += float(sf[ok[0]] if ok.size else sf[-1])
    bottom = lo
    if med - lo > MAX_POINTS:
        steps = med - 2.0 ** np.arange(0, int(math.log2(MAX_POINTS)) + 1)
        cdf = np.asarray(d.cdf(steps - 1.0), dtype=np.float64)  # type: ignore[attr-defined]
        ok = np.flatnonzero(cdf <= TAIL_MASS)
        bottom = float(steps[ok[0]] if ok.size else steps[-1])
        omitted += float(cdf[ok[0]] if ok.size else cdf[-1])
    return _Listed(np.arange(bottom, top + 1.0), omitted)


def _masses(d: object, points: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``pmf`` and ``logpmf`` of ``d`` at ``points`` (0 and -inf off its lattice), validated."""
    with np.errstate(divide="ignore"):
        p = np.asarray(d.pmf(points), dtype=np.float64)  # type: ignore[attr-defined]
        logp = np.asarray(d.logpmf(points), dtype=np.float64)  # type: ignore[attr-defined]
    if np.isnan(p).any() or np.isnan(logp).any():
        raise ValueError(
            f"`{name}` = {describe_scipy_discrete(d)} has invalid parameters (scipy.stats gives"
            " NaN masses)"
        )
    # logpmf is log(pmf) for some families: where it underflows but pmf does not, use log(pmf)
    fix = np.isneginf(logp) & (p > 0)
    logp[fix] = np.log(p[fix])
    return p, logp


def align(p: object, q: object, names: tuple[str, str]) -> Pair:
    """Align two discrete distributions on the union of their points.

    Each of ``p``, ``q`` is a validated probability vector (an array, on ``{0, ..., n - 1}``) or
    a frozen SciPy discrete distribution. Two vectors must have the same length (``ValueError``
    otherwise) and give ``points = None``.
    """
    if isinstance(p, np.ndarray) and isinstance(q, np.ndarray):
        if p.shape != q.shape:
            raise ValueError(
                f"`{names[0]}` and `{names[1]}` must have the same length (got {p.size} and"
                f" {q.size}); to compare distributions on different supports pass them as"
                " scipy.stats discrete distributions, which are aligned on their points"
            )
        with np.errstate(divide="ignore"):
            return Pair("discrete", p, q, None, np.log(p), np.log(q), sources=(p, q))
    listed = [
        _Listed(np.arange(float(v.size)), 0.0) if isinstance(v, np.ndarray) else _lattice(v, n)
        for v, n in zip((p, q), names)
    ]
    points = np.union1d(listed[0].points, listed[1].points)
    out = []
    for v, n in zip((p, q), names):
        if isinstance(v, np.ndarray):
            mass = np.zeros(points.size)
            idx = np.searchsorted(points, np.arange(float(v.size)))
            mass[idx] = v
            with np.errstate(divide="ignore"):
                out.append((mass, np.log(mass)))
        else:
            out.append(_masses(v, points, n))
    (pm, lp), (qm, lq) = out
    return Pair(
        "discrete", pm, qm, points, lp, lq, (listed[0].omitted, listed[1].omitted), (p, q)
    )


def underflow_point(pair: Pair) -> int | None:
    """The first point where ``q``'s log-mass is ``-inf`` inside its support while ``p`` has a
    mass of at most :data:`TAIL_MASS` there, or ``None``.

    SciPy computes some log-masses as ``log(pmf)`` (``skellam``, ``dlaplace``, ``logser``,
    ``planck``), which is ``-inf`` wherever the mass underflows. Where ``p`` still has a mass
    (a deep tail of its own), ``p log(p / q)`` cannot be told from ``+inf``: a genuine 0 of ``q``
    (a degenerate ``binom(n, 1)``) and an underflowed one look the same.
    """
    q = pair.sources[1]
    if pair.points is None or not is_scipy_discrete(q) or hasattr(getattr(q, "dist", q), "xk"):
        return None
    lo, hi = (float(v) for v in q.support())  # type: ignore[attr-defined]
    x = pair.points
    bad = (pair.p > 0) & (pair.p <= TAIL_MASS) & np.isneginf(pair.logq) & (x >= lo) & (x <= hi)
    idx = np.flatnonzero(bad)
    return int(idx[0]) if idx.size else None


def edge_factor(factor: np.ndarray, weight_log: np.ndarray) -> float:
    """Largest ``|factor|`` at the outermost points where the weight has mass: the factor the
    bound on an omitted tail of entropy, cross-entropy, KL or V(G, D) terms starts from (see
    :func:`omitted_bound`)."""
    idx = np.flatnonzero(np.isfinite(weight_log) & np.isfinite(factor))
    return 0.0 if idx.size == 0 else float(max(abs(factor[idx[0]]), abs(factor[idx[-1]])))


def omitted_bound(pair: Pair, scale: float = 1.0) -> float:
    """What the points a cut tail leaves out can add to a sum of terms ``p f + q g``.

    ``scale`` bounds ``|f|`` and ``|g|`` on the omitted points: ``1/2`` for total variation,
    ``log 2 / 2`` for the JSD and ``log 2`` for C(G) — exact bounds, since their terms never
    exceed that multiple of the mass. For the entropy, cross-entropy, KL divergence and V(G, D)
    the factors are logarithms without a bound of their own; the callers pass twice the
    largest factor at the outermost listed points (plus 1), which bounds the omitted terms when
    the factors grow by less than a factor 2 beyond the cut — for the light tails this holds
    far beyond the cut, and the omitted mass is at most 1e-300 there; a heavy tail cut after
    :data:`MAX_POINTS` points leaves a larger, stated remainder.
    """
    return scale * (pair.omitted[0] + pair.omitted[1])


def describe_pair_source(v: object) -> str:
    """A short description of one side of a pair, for messages."""
    return describe_scipy_discrete(v) if is_scipy_discrete(v) else describe(v)
