"""Public Hypothesis strategies for distributions, pairs of distributions and discriminators.

Import them to property-test your own code against the theory::

    from hypothesis import given
    from gantheory import jsd, strategies as gs

    @given(gs.pairs())
    def test_jsd_is_symmetric(pq):
        p, q = pq
        assert abs(jsd(p, q) - jsd(q, p)) <= 1e-15

(A fixed ``1e-15`` is a guess; the claims as properties, each with a tolerance derived from the
rounding and quadrature error bounds of what it compares, are in :mod:`gantheory.properties`.)

Every strategy produces *valid* objects: probability vectors pass :class:`gantheory.Discrete`
validation, continuous distributions are scipy.stats frozen objects (or
:class:`gantheory.Mixture`) with bounded parameters, and discriminators take values in [0, 1].

The edge cases of the theory are reached on purpose, not left to chance: zero masses, masses
as small as ``1e-300`` next to masses near 1 (near-degenerate vectors such as
``[1 - 1e-12, 1e-12]``), equal pairs, pairs with disjoint supports and pairs with partially
overlapping supports (``tests/test_strategies.py`` checks that each is generated).

Discrete strategies
    :func:`probability_vectors`, :func:`discrete_distributions`, :func:`independent_pairs`,
    :func:`equal_pairs`, :func:`disjoint_pairs`, :func:`overlapping_pairs`, :func:`pairs`
    (all four kinds), :func:`triples`, :func:`discriminator_arrays`, :func:`games`.
Continuous strategies
    :func:`scipy_distributions` (normal, laplace, uniform, beta, t), :func:`mixtures`,
    :func:`continuous_distributions` (either), :func:`continuous_pairs`,
    :func:`discriminator_functions`.
Labelled strategies (the conditional game)
    :func:`label_marginals`, :func:`joint_tables`, :func:`joint_table_pairs`.

Continuous parameters are bounded (locations in [-5, 5], scales in [0.25, 4], Beta shapes in
[1/2, 5], t degrees of freedom in [1, 30]) so that :mod:`gantheory.quadrature` meets its
default accuracy in a fraction of a second per integral. Beta shapes below 1 make the density
infinite at a support end (an integrable singularity), Student t with ``df <= 2`` has infinite
variance (``df = 1`` is Cauchy).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st
from scipy import special, stats

from gantheory.distributions import Discrete, Mixture

__all__ = [
    "FAMILIES",
    "MIN_MASS",
    "SmoothDiscriminator",
    "continuous_distributions",
    "continuous_pairs",
    "discrete_distributions",
    "discriminator_arrays",
    "discriminator_functions",
    "disjoint_pairs",
    "equal_pairs",
    "games",
    "independent_pairs",
    "joint_table_pairs",
    "joint_tables",
    "label_marginals",
    "mixtures",
    "overlapping_pairs",
    "pairs",
    "probability_vectors",
    "scipy_distributions",
    "triples",
]

#: The smallest positive weight drawn by default. Weights are normalised by their sum (at most
#: ``max_size``), so a mass stays a normal float (> 2.2e-308) for any ``max_size`` below 1e7.
MIN_MASS: float = 1e-300

#: The continuous families :func:`scipy_distributions` draws from.
FAMILIES: tuple[str, ...] = ("normal", "laplace", "uniform", "beta", "t")

_SIZE_LIMIT = 10_000
_TINY = float(np.finfo(np.float64).tiny)


def _check_sizes(min_size: int, max_size: int, smallest: int = 1) -> None:
    if not smallest <= min_size <= max_size <= _SIZE_LIMIT:
        raise ValueError(
            f"need {smallest} <= `min_size` <= `max_size` <= {_SIZE_LIMIT}"
            f" (got min_size={min_size}, max_size={max_size})"
        )


def _positive_weights(min_mass: float) -> st.SearchStrategy[float]:
    """Positive weights in [min_mass, 1]: plain floats, powers of ten and the extremes."""
    return st.one_of(
        st.floats(min_value=min_mass, max_value=1.0),
        st.integers(min_value=int(np.ceil(np.log10(min_mass))), max_value=0).map(
            lambda k: 10.0**k
        ),
        st.sampled_from(sorted({min_mass, max(min_mass, 1e-12), 1.0})),
    )


# Strategies are built once per parameter set and reused: Hypothesis caches per-strategy work
# (labels, validation), and building fresh strategies inside every draw costs it milliseconds.
@functools.cache
def _weights(allow_zeros: bool, min_mass: float) -> st.SearchStrategy[float]:
    pos = _positive_weights(min_mass)
    # A zero about one draw in four: most vectors keep a few zeros, few collapse to point masses.
    return st.one_of(st.just(0.0), pos, pos, pos) if allow_zeros else pos


@functools.cache
def _weight_lists(size: int, allow_zeros: bool, min_mass: float) -> st.SearchStrategy[list]:
    return st.lists(_weights(allow_zeros, min_mass), min_size=size, max_size=size)


@functools.cache
def _integers(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


def _normalise(weights: Sequence[float], support: Sequence[bool] | None = None) -> np.ndarray:
    """``weights / sum`` restricted to ``support``; all-zero draws get mass 1 at the first point.

    The guard keeps the strategy total (no filtering) and shrinks towards a point mass.
    """
    w = np.asarray(weights, dtype=np.float64)
    if support is not None:
        w = np.where(np.asarray(support, dtype=bool), w, 0.0)
    if not w.sum() > 0:
        allowed = np.flatnonzero(support) if support is not None else np.arange(w.size)
        w = w.copy()
        w[allowed[0]] = 1.0
    out = w / w.sum()
    # A convex combination of two vectors can leave subnormal masses (lam * 1e-300): flush
    # them to 0, positive masses keep full relative precision.
    out[out < _TINY] = 0.0
    out.setflags(write=False)
    return out


@functools.cache
def _vectors(size: int, allow_zeros: bool = True, min_mass: float = MIN_MASS) -> st.SearchStrategy:
    return _weight_lists(size, allow_zeros, min_mass).map(_normalise)


def probability_vectors(
    *,
    min_size: int = 1,
    max_size: int = 8,
    size: int | None = None,
    allow_zeros: bool = True,
    min_mass: float = MIN_MASS,
) -> st.SearchStrategy[np.ndarray]:
    """Probability vectors: read-only float64 arrays, non-negative, summing to 1.

    Built by normalising non-negative weights (zeros, plain floats in ``[min_mass, 1]``,
    powers of ten down to ``min_mass``); a draw whose weights are all zero becomes a point mass.

    Parameters
    ----------
    min_size, max_size : int
        Bounds on the length ``n`` (ignored when ``size`` is given).
    size : int, optional
        Exact length.
    allow_zeros : bool
        Whether entries may be exactly 0 (an all-zero draw still becomes a point mass).
    min_mass : float
        Smallest positive weight before normalisation, at least ``1e-300``.

    Examples
    --------
    >>> from hypothesis import find
    >>> p = find(probability_vectors(min_size=3), lambda p: (p == 0).sum() == 2)
    >>> bool(p.sum() == 1.0 and p.size == 3 and p.max() == 1.0)
    True
    """
    if size is not None:
        min_size = max_size = size
    _check_sizes(min_size, max_size)
    if not MIN_MASS <= min_mass <= 1.0:
        raise ValueError(f"`min_mass` must be in [{MIN_MASS}, 1] (got {min_mass!r})")
    return _integers(min_size, max_size).flatmap(
        lambda n: _vectors(n, allow_zeros, min_mass)
    )


def discrete_distributions(**kwargs: object) -> st.SearchStrategy[Discrete]:
    """:class:`gantheory.Discrete` objects; keyword arguments as :func:`probability_vectors`."""
    return probability_vectors(**kwargs).map(Discrete)  # type: ignore[arg-type]


Pair = tuple[np.ndarray, np.ndarray]


@functools.cache
def _independent(n: int, allow_zeros: bool) -> st.SearchStrategy[Pair]:
    return st.tuples(_vectors(n, allow_zeros), _vectors(n, allow_zeros))


def independent_pairs(
    *, min_size: int = 1, max_size: int = 8, allow_zeros: bool = True
) -> st.SearchStrategy[Pair]:
    """Two independently drawn probability vectors of the same length.

    With ``allow_zeros=False`` both have full support (every KL between them is finite).
    """
    _check_sizes(min_size, max_size)
    return _integers(min_size, max_size).flatmap(lambda n: _independent(n, allow_zeros))


def _copy(p: np.ndarray) -> np.ndarray:
    out = p.copy()
    out.setflags(write=False)
    return out


def _twice(p: np.ndarray) -> Pair:
    return p, _copy(p)


@functools.cache
def _equal(n: int) -> st.SearchStrategy[Pair]:
    return _vectors(n).map(_twice)


def equal_pairs(*, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[Pair]:
    """Pairs ``(p, p)`` of equal vectors (two distinct array objects)."""
    _check_sizes(min_size, max_size)
    return _integers(min_size, max_size).flatmap(_equal)


@st.composite
def _split_pair_draw(draw: st.DrawFn, n: int, overlap: bool) -> Pair:
    """Supports from a label per point: 0 neither, 1 p only, 2 q only, 3 both."""
    labels = draw(_labels(n, overlap))
    # Force the defining structure at two drawn positions, so no draw is rejected.
    i = draw(_integers(0, n - 1))
    j = draw(_integers(0, n - 2))
    j += j >= i
    if overlap:
        labels[i], labels[j] = 3, draw(_integers(1, 2))
    else:
        labels[i], labels[j] = 1, 2
    lab = np.array(labels)
    p = _normalise(draw(_weight_lists(n, False, MIN_MASS)), (lab == 1) | (lab == 3))
    q = _normalise(draw(_weight_lists(n, False, MIN_MASS)), (lab == 2) | (lab == 3))
    return p, q


@functools.cache
def _labels(n: int, overlap: bool) -> st.SearchStrategy[list]:
    return st.lists(_integers(0, 3 if overlap else 2), min_size=n, max_size=n)


@functools.cache
def _split_pair(n: int, overlap: bool) -> st.SearchStrategy[Pair]:
    return _split_pair_draw(n, overlap)


def disjoint_pairs(*, min_size: int = 2, max_size: int = 8) -> st.SearchStrategy[Pair]:
    """Pairs whose supports are disjoint and non-empty (``min(p, q) = 0`` everywhere)."""
    _check_sizes(min_size, max_size, smallest=2)
    return _integers(min_size, max_size).flatmap(lambda n: _split_pair(n, False))


def overlapping_pairs(*, min_size: int = 2, max_size: int = 8) -> st.SearchStrategy[Pair]:
    """Pairs with partially overlapping supports.

    Some point carries mass under both, and some point carries mass under exactly one of them.
    """
    _check_sizes(min_size, max_size, smallest=2)
    return _integers(min_size, max_size).flatmap(lambda n: _split_pair(n, True))


@functools.cache
def _pairs(min_size: int, max_size: int) -> st.SearchStrategy[Pair]:
    kinds = [independent_pairs(min_size=min_size, max_size=max_size),
             independent_pairs(min_size=min_size, max_size=max_size, allow_zeros=False),
             equal_pairs(min_size=min_size, max_size=max_size)]
    if max_size >= 2:
        lo = max(min_size, 2)
        kinds += [disjoint_pairs(min_size=lo, max_size=max_size),
                  overlapping_pairs(min_size=lo, max_size=max_size)]
    return st.one_of(kinds)


def pairs(*, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[Pair]:
    """Pairs on a common support of every kind.

    Independent (with zeros, and with full support), equal, disjoint and partially overlapping
    pairs, each kind drawn often.

    Examples
    --------
    >>> from hypothesis import find
    >>> p, q = find(pairs(), lambda pq: np.minimum(*pq).sum() == 0)  # disjoint supports
    >>> bool(p @ q == 0.0 and p.sum() == 1.0 == q.sum())
    True
    """
    _check_sizes(min_size, max_size)
    return _pairs(min_size, max_size)


_TRIPLE_KINDS = ("independent", "between", "repeat-p", "repeat-r")


@st.composite
def _triple_draw(draw: st.DrawFn, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, r = draw(_pairs(n, n))
    kind = _TRIPLE_KINDS[draw(_integers(0, 3))]
    if kind == "independent":
        q = draw(_vectors(n))
    elif kind == "between":
        lam = draw(_unit_floats())
        q = _normalise(lam * p + (1.0 - lam) * r)
    else:
        q = _copy(p if kind == "repeat-p" else r)
    return p, q, r


@functools.cache
def _unit_floats() -> st.SearchStrategy[float]:
    return st.floats(0.0, 1.0)


@functools.cache
def _triple(n: int) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    return _triple_draw(n)


def triples(
    *, min_size: int = 1, max_size: int = 8
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Three vectors ``(p, q, r)`` on a common support, for triangle inequalities.

    ``(p, r)`` is drawn by :func:`pairs`; ``q`` is independent, a convex combination
    ``lam p + (1 - lam) r`` (the tight cases of a triangle inequality), or a copy of ``p`` or
    ``r``.
    """
    _check_sizes(min_size, max_size)
    return _integers(min_size, max_size).flatmap(_triple)


@functools.cache
def _d_arrays(size: int, min_value: float, max_value: float) -> st.SearchStrategy[np.ndarray]:
    mid = 0.5 * (min_value + max_value)
    value = st.one_of(st.floats(min_value, max_value), st.sampled_from([min_value, mid, max_value]))
    return st.lists(value, min_size=size, max_size=size).map(
        lambda v: np.asarray(v, dtype=np.float64)
    )


def discriminator_arrays(
    size: int, *, min_value: float = 0.0, max_value: float = 1.0
) -> st.SearchStrategy[np.ndarray]:
    """Discriminator values over a discrete support: float64 arrays of shape ``(size,)``.

    Values lie in ``[min_value, max_value]`` (a sub-interval of [0, 1]); both ends are drawn on
    purpose, so ``D = 0`` and ``D = 1`` (and ``V(G, D) = -inf``) occur with the defaults.
    """
    if not 0.0 <= min_value <= max_value <= 1.0:
        raise ValueError(
            "need 0 <= `min_value` <= `max_value` <= 1"
            f" (got min_value={min_value!r}, max_value={max_value!r})"
        )
    if not 1 <= size <= _SIZE_LIMIT:
        raise ValueError(f"`size` must be in [1, {_SIZE_LIMIT}] (got {size!r})")
    return _d_arrays(size, float(min_value), float(max_value))


@st.composite
def _game_draw(
    draw: st.DrawFn, min_size: int, max_size: int, min_value: float, max_value: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, q = draw(_pairs(min_size, max_size))
    return p, q, draw(_d_arrays(p.size, min_value, max_value))


def games(
    *, min_size: int = 1, max_size: int = 8, min_value: float = 0.0, max_value: float = 1.0
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Triples ``(p_data, p_g, D)``: a pair from :func:`pairs` and a discriminator array.

    ``D`` is drawn by :func:`discriminator_arrays` with ``min_value`` and ``max_value``.
    """
    _check_sizes(min_size, max_size)
    discriminator_arrays(1, min_value=min_value, max_value=max_value)  # validates the range
    return _game_draw(min_size, max_size, float(min_value), float(max_value))


# --- continuous --------------------------------------------------------------------------------
_LOC = st.floats(-5.0, 5.0)
_SCALE = st.floats(0.25, 4.0)


def _family(name: str) -> st.SearchStrategy[object]:
    if name == "normal":
        return st.builds(stats.norm, _LOC, _SCALE)
    if name == "laplace":
        return st.builds(stats.laplace, _LOC, _SCALE)
    if name == "uniform":
        return st.builds(stats.uniform, _LOC, _SCALE)
    if name == "beta":
        # the edge shapes drawn on purpose: 1/2 (singular end), 1 (a jump at the end)
        shape = st.sampled_from([0.5, 1.0]) | st.floats(0.5, 5.0)
        return st.builds(stats.beta, shape, shape, _LOC, _SCALE)
    if name == "t":
        return st.builds(stats.t, st.floats(1.0, 30.0), _LOC, _SCALE)
    raise ValueError(f"`families` entries must be among {FAMILIES} (got {name!r})")


def scipy_distributions(
    *, families: Sequence[str] = FAMILIES
) -> st.SearchStrategy[object]:
    """scipy.stats frozen distributions with bounded parameters.

    ``norm(loc, scale)``, ``laplace(loc, scale)``, ``uniform(loc, scale)`` (width ``scale``),
    ``beta(a, b, loc, scale)`` with ``a, b`` in [1/2, 5] (a shape below 1 gives an integrable
    singularity at that end of the support), and ``t(df, loc, scale)`` with ``df`` in [1, 30]
    (``df = 1`` is Cauchy); ``loc`` in [-5, 5] and ``scale`` in [0.25, 4].

    Examples
    --------
    >>> from hypothesis import find
    >>> d = find(scipy_distributions(families=["t"]), lambda d: d.args[0] < 2)
    >>> bool(d.dist.name == "t" and not np.isfinite(d.var()))  # heavy tails: no variance
    True
    """
    if isinstance(families, str) or not families:
        raise ValueError(f"`families` must be a non-empty sequence of names (got {families!r})")
    return st.one_of([_family(f) for f in families])


def mixtures(
    *, max_components: int = 3, families: Sequence[str] = FAMILIES
) -> st.SearchStrategy[Mixture]:
    """:class:`gantheory.Mixture` of 2 to ``max_components`` :func:`scipy_distributions`.

    Weights are drawn like a :func:`probability_vectors` without zeros, but no smaller than
    1e-3, so that every component contributes visibly.
    """
    if max_components < 2:
        raise ValueError(f"`max_components` must be at least 2 (got {max_components})")
    comps = st.lists(scipy_distributions(families=families), min_size=2, max_size=max_components)
    return comps.flatmap(
        lambda cs: _vectors(len(cs), False, 1e-3).map(lambda w: Mixture(cs, w))
    )


def continuous_distributions(
    *, max_components: int = 3, families: Sequence[str] = FAMILIES
) -> st.SearchStrategy[object]:
    """A frozen distribution from :func:`scipy_distributions` or a :func:`mixtures` of them."""
    single = scipy_distributions(families=families)
    if max_components < 2:
        return single
    return st.one_of(single, mixtures(max_components=max_components, families=families))


@st.composite
def _continuous_pair(
    draw: st.DrawFn, first: st.SearchStrategy[object], second: st.SearchStrategy[object]
) -> tuple[object, object]:
    p = draw(first)
    if draw(st.integers(0, 3)) == 3:
        return p, p
    return p, draw(second)


def continuous_pairs(
    *, max_components: int = 2, families: Sequence[str] = FAMILIES
) -> st.SearchStrategy[tuple[object, object]]:
    """Pairs of :func:`continuous_distributions`; some are equal (the same object twice).

    The second member is drawn with the families in reverse order: Hypothesis copies earlier
    draws of the same strategy into later ones, and would otherwise make most pairs equal.
    """
    first = continuous_distributions(max_components=max_components, families=families)
    second = continuous_distributions(max_components=max_components, families=families[::-1])
    return _continuous_pair(first, second)


class SmoothDiscriminator:
    r"""A vectorized discriminator with a bounded logit, used by :func:`discriminator_functions`.

    .. math:: D(x) = \sigma\bigl(a + b \tanh((x - c)/s) + h\, e^{-((x - c)/s)^2}\bigr)

    with :math:`|a| + |b| + |h| \le L`, so :math:`\sigma(-L) \le D \le \sigma(L)`: never 0 or 1,
    and :math:`V(G, D)` is finite for every pair of distributions.
    """

    def __init__(self, a: float, b: float, h: float, c: float, s: float) -> None:
        self.a, self.b, self.h, self.c, self.s = a, b, h, c, s

    def __call__(self, x: np.ndarray) -> np.ndarray:
        # clipping u changes nothing (tanh(50) = 1 and exp(-2500) = 0 in float64) but keeps
        # u * u finite for x up to 1e308
        u = np.clip((np.asarray(x, dtype=np.float64) - self.c) / self.s, -50.0, 50.0)
        return special.expit(self.a + self.b * np.tanh(u) + self.h * np.exp(-u * u))

    def __repr__(self) -> str:
        return (
            f"SmoothDiscriminator(a={self.a!r}, b={self.b!r}, h={self.h!r}, c={self.c!r},"
            f" s={self.s!r})"
        )


def discriminator_functions(*, max_logit: float = 6.0) -> st.SearchStrategy[SmoothDiscriminator]:
    """Vectorized callables ``D(x)`` with values in ``[sigma(-max_logit), sigma(max_logit)]``.

    A constant, a logistic step and a bump in the logit (:class:`SmoothDiscriminator`), centred
    in [-5, 5] with width in [0.25, 4].

    Examples
    --------
    >>> from hypothesis import find
    >>> d = find(discriminator_functions(), lambda d: d.b != 0)
    >>> y = d(np.linspace(-100, 100, 11))
    >>> bool(y.shape == (11,) and ((0 < y) & (y < 1)).all())
    True
    """
    if not 0.0 <= max_logit <= 30.0:
        raise ValueError(f"`max_logit` must be in [0, 30] (got {max_logit!r})")
    third = max_logit / 3.0
    coef = st.floats(-third, third)
    return st.builds(SmoothDiscriminator, coef, coef, coef, _LOC, _SCALE)


# --- labelled (joint) tables -------------------------------------------------------------------
def label_marginals(
    *, n_classes: int | None = None, min_classes: int = 2, max_classes: int = 4,
    allow_zeros: bool = True,
) -> st.SearchStrategy[np.ndarray]:
    """Label laws ``p(y)`` over ``0..K-1``: probability vectors of length ``n_classes`` (or of a
    length in ``[min_classes, max_classes]``), zeros allowed unless ``allow_zeros=False``.

    Examples
    --------
    >>> from hypothesis import find
    >>> p = find(label_marginals(n_classes=3), lambda p: (p == 0).any())
    >>> bool(p.size == 3 and p.sum() == 1.0)
    True
    """
    if n_classes is not None:
        min_classes = max_classes = n_classes
    _check_sizes(min_classes, max_classes)
    return probability_vectors(min_size=min_classes, max_size=max_classes,
                               allow_zeros=allow_zeros)


def _table(labels: np.ndarray, rows: Sequence[np.ndarray]) -> np.ndarray:
    """``P[y, x] = p(y) p(x | y)``, renormalised by its sum (rounding of the products)."""
    t = labels[:, None] * np.stack(rows)
    t = t / t.sum()
    t.setflags(write=False)
    return t


@st.composite
def _joint_table_draw(
    draw: st.DrawFn, n_classes: int | None, n_points: int | None, labels: np.ndarray | None
) -> np.ndarray:
    k = labels.size if labels is not None else n_classes or draw(_integers(2, 4))
    n = n_points or draw(_integers(1, 5))
    if labels is None:
        labels = draw(_vectors(k))
    rows = [draw(_vectors(n)) for _ in range(k)]
    return _table(labels, rows)


def joint_tables(
    *, n_classes: int | None = None, n_points: int | None = None,
    labels: np.ndarray | None = None,
) -> st.SearchStrategy[np.ndarray]:
    """Joint tables ``P[y, x]`` (rows the labels): read-only float64 arrays of shape
    ``(n_classes, n_points)``, non-negative, summing to 1, built as ``p(y) p(x | y)`` from
    probability vectors (zeros and masses down to ``MIN_MASS`` included, so rows of zeros —
    labels of probability 0 — occur).

    Parameters
    ----------
    n_classes, n_points : int, optional
        The shape; drawn from 2..4 classes and 1..5 points when omitted.
    labels : numpy.ndarray, optional
        A fixed label law ``p(y)`` (its length sets ``n_classes``).

    Examples
    --------
    >>> from hypothesis import find
    >>> t = find(joint_tables(n_classes=2, n_points=3), lambda t: t.min() > 0)
    >>> t.shape, bool(abs(t.sum() - 1) < 1e-15)
    ((2, 3), True)
    """
    for v, name in ((n_classes, "n_classes"), (n_points, "n_points")):
        if v is not None and not 1 <= v <= _SIZE_LIMIT:
            raise ValueError(f"`{name}` must be in 1..{_SIZE_LIMIT} (got {v!r})")
    if labels is not None:
        labels = np.asarray(labels, dtype=np.float64)
    return _joint_table_draw(n_classes, n_points, labels)


@st.composite
def _joint_pair_draw(
    draw: st.DrawFn, n_classes: int | None, n_points: int | None, shared: bool | None
) -> tuple[np.ndarray, np.ndarray]:
    k = n_classes or draw(_integers(2, 4))
    n = n_points or draw(_integers(1, 5))
    same = draw(st.booleans()) if shared is None else shared
    pi = draw(_vectors(k))
    rho = pi if same else draw(_vectors(k))
    p = _table(pi, [draw(_vectors(n)) for _ in range(k)])
    q = _table(rho, [draw(_vectors(n)) for _ in range(k)])
    return p, q


def joint_table_pairs(
    *, n_classes: int | None = None, n_points: int | None = None,
    shared_labels: bool | None = None,
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Pairs ``(P, Q)`` of joint tables of the same shape (see :func:`joint_tables`).

    ``shared_labels=True``: both are drawn with the same label law ``p(y)`` (the rows of the
    two tables have equal sums up to rounding); ``False``: independent label laws; ``None``:
    either.

    Examples
    --------
    >>> from hypothesis import find
    >>> p, q = find(joint_table_pairs(shared_labels=True), lambda pq: pq[0].shape[0] == 3)
    >>> bool(np.allclose(p.sum(axis=1), q.sum(axis=1), rtol=1e-14, atol=1e-300))
    True
    """
    for v, name in ((n_classes, "n_classes"), (n_points, "n_points")):
        if v is not None and not 1 <= v <= _SIZE_LIMIT:
            raise ValueError(f"`{name}` must be in 1..{_SIZE_LIMIT} (got {v!r})")
    return _joint_pair_draw(n_classes, n_points, shared_labels)
