"""The public strategies of :mod:`gantheory.strategies` generate valid objects and reach the
edge cases they promise (zeros, tiny masses, near-degenerate vectors, equal, disjoint and
partially overlapping pairs, heavy-tailed densities, densities infinite or jumping at a support
end).

Validity tests run under the active Hypothesis profile; reachability is shown with
:func:`hypothesis.find` under fixed, derandomized settings (so it does not depend on the
profile), and one test counts the kinds of pair in a fixed number of derandomized examples.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from scipy import special

import gantheory.strategies as gs
from gantheory import Discrete, Mixture, jsd
from gantheory.distributions import is_continuous

EPS = float(np.finfo(np.float64).eps)
#: Settings for reachability searches: deterministic, independent of the active profile, and
#: without shrinking (only existence matters; shrinking scipy distributions costs seconds).
SEARCH = settings(
    max_examples=2_000, derandomize=True, database=None, deadline=None, phases=[Phase.generate]
)


def assert_probability_vector(p: np.ndarray, min_size: int = 1, max_size: int = 8) -> None:
    assert isinstance(p, np.ndarray) and p.dtype == np.float64 and p.ndim == 1
    assert min_size <= p.size <= max_size
    assert not p.flags.writeable
    assert np.isfinite(p).all() and (p >= 0).all()
    # normalised by its float64 sum: within the rounding bound of a sum of n terms
    assert abs(p.sum() - 1.0) <= p.size * EPS
    np.testing.assert_array_equal(Discrete(p).probs.size, p.size)  # passes validation
    # positive masses are normal floats (no subnormal, which would lose relative precision)
    assert (p[p > 0] >= np.finfo(np.float64).tiny).all()


# --- validity ----------------------------------------------------------------------------------
@given(gs.probability_vectors(min_size=2, max_size=5))
def test_probability_vectors_are_valid(p: np.ndarray) -> None:
    assert_probability_vector(p, 2, 5)


@given(gs.probability_vectors(size=4, allow_zeros=False))
def test_probability_vectors_without_zeros(p: np.ndarray) -> None:
    assert_probability_vector(p, 4, 4)
    assert (p > 0).all()


@given(gs.discrete_distributions(max_size=3))
def test_discrete_distributions(d: Discrete) -> None:
    assert isinstance(d, Discrete) and 1 <= len(d) <= 3


@given(gs.independent_pairs())
def test_independent_pairs(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert_probability_vector(p)
    assert_probability_vector(q)
    assert p.size == q.size


@given(gs.equal_pairs())
def test_equal_pairs(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert_probability_vector(p)
    assert p is not q and np.array_equal(p, q)


@given(gs.disjoint_pairs())
def test_disjoint_pairs(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert_probability_vector(p, 2)
    assert_probability_vector(q, 2)
    assert p.size == q.size
    assert not np.any((p > 0) & (q > 0))


@given(gs.overlapping_pairs())
def test_overlapping_pairs(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert_probability_vector(p, 2)
    assert_probability_vector(q, 2)
    both, one = (p > 0) & (q > 0), (p > 0) ^ (q > 0)
    assert both.any() and one.any()


@given(gs.pairs())
def test_pairs_are_valid(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert_probability_vector(p)
    assert_probability_vector(q)
    assert p.size == q.size


@given(gs.triples(max_size=4))
def test_triples(pqr: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    for v in pqr:
        assert_probability_vector(v, 1, 4)
    assert len({v.size for v in pqr}) == 1


@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.just(n), gs.discriminator_arrays(n))))
def test_discriminator_arrays(nd: tuple[int, np.ndarray]) -> None:
    n, d = nd
    assert d.shape == (n,) and d.dtype == np.float64
    assert ((0 <= d) & (d <= 1)).all()


@given(gs.games(min_value=0.25, max_value=0.5))
def test_games(game: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    p, q, d = game
    assert p.size == q.size == d.size
    assert ((0.25 <= d) & (d <= 0.5)).all()


_BOUNDS = {"loc": (-5.0, 5.0), "scale": (0.25, 4.0), "t": (1.0, 30.0)}
_SHAPES = {"beta": [(0.5, 5.0), (0.5, 5.0)], "t": [(1.0, 30.0)]}


def assert_bounded_scipy(d: object) -> None:
    assert is_continuous(d) and hasattr(d, "dist")
    name = d.dist.name
    assert name in {"norm", "laplace", "uniform", "beta", "t"}
    shapes = {"beta": 2, "t": 1}.get(name, 0)
    shape_args, (loc, scale) = d.args[:shapes], d.args[shapes:]
    assert _BOUNDS["loc"][0] <= loc <= _BOUNDS["loc"][1]
    assert _BOUNDS["scale"][0] <= scale <= _BOUNDS["scale"][1]
    for a, (lo, hi) in zip(shape_args, _SHAPES.get(name, []), strict=True):
        assert lo <= a <= hi
    assert np.isfinite(d.logpdf(d.median()))


@given(gs.scipy_distributions())
def test_scipy_distributions_have_bounded_parameters(d: object) -> None:
    assert_bounded_scipy(d)


@given(gs.mixtures(max_components=3))
def test_mixtures(m: Mixture) -> None:
    assert isinstance(m, Mixture) and 2 <= len(m.components) <= 3
    for c in m.components:
        assert_bounded_scipy(c)
    # weights of at least 1e-3 before normalisation, and weights of 0 are dropped by Mixture
    assert abs(m.weights.sum() - 1) <= 4 * EPS and (m.weights >= 1e-3 / 3).all()


@given(gs.continuous_pairs())
def test_continuous_pairs(pq: tuple[object, object]) -> None:
    for d in pq:
        assert is_continuous(d)


@given(gs.discriminator_functions(max_logit=4.5))
def test_discriminator_functions_are_vectorized_and_bounded(d: gs.SmoothDiscriminator) -> None:
    x = np.concatenate([np.linspace(-30, 30, 121), [-1e300, -1e6, 1e6, 1e300]])
    y = d(x)
    assert y.shape == x.shape
    lo, hi = special.expit(-4.5), special.expit(4.5)
    assert ((lo * (1 - 4 * EPS) <= y) & (y <= hi * (1 + 4 * EPS))).all()
    assert float(d(np.array([0.7]))[0]) == float(d(np.array([0.7, 1.0]))[0])
    assert "SmoothDiscriminator(" in repr(d)


# --- reachability of the edge cases ----------------------------------------------------------
def test_vectors_reach_zeros_point_masses_tiny_masses_and_near_degenerate() -> None:
    s = gs.probability_vectors()
    assert (find(s, lambda p: (p == 0).any() and (p > 0).sum() >= 2, settings=SEARCH) == 0).any()
    assert find(s, lambda p: p.max() == 1.0 and p.size >= 2, settings=SEARCH).max() == 1.0
    tiny = find(s, lambda p: 0 < p[p > 0].min() <= 1e-250, settings=SEARCH)
    assert 0 < tiny[tiny > 0].min() <= 1e-250
    near = find(s, lambda p: 1 - 1e-9 < p.max() < 1 and p.size == 2, settings=SEARCH)
    assert 0 < near.min() < 1e-9


def test_pairs_reach_equal_disjoint_and_overlapping_pairs() -> None:
    s = gs.pairs()
    p, q = find(s, lambda pq: np.array_equal(*pq) and (pq[0] > 0).sum() >= 2, settings=SEARCH)
    assert np.array_equal(p, q)
    p, q = find(s, lambda pq: not np.any((pq[0] > 0) & (pq[1] > 0)), settings=SEARCH)
    assert jsd(p, q) == math.log(2)
    p, q = find(  # partial overlap carrying at least 1% of the mass
        s, lambda pq: ((pq[0] > 0) ^ (pq[1] > 0)).any() and np.minimum(*pq).sum() > 0.01,
        settings=SEARCH,
    )
    assert 0 < jsd(p, q) < math.log(2) * 0.99


def test_pairs_produce_every_kind_in_200_derandomized_examples() -> None:
    """Counting over a fixed number of examples: each kind of pair is common, not a fluke."""
    kinds: dict[str, int] = dict.fromkeys(["equal", "disjoint", "overlap", "zeros", "other"], 0)

    @settings(max_examples=200, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate])
    @given(gs.pairs())
    def count(pq: tuple[np.ndarray, np.ndarray]) -> None:
        p, q = pq
        both, one = (p > 0) & (q > 0), (p > 0) ^ (q > 0)
        if np.array_equal(p, q):
            kinds["equal"] += 1
        elif not both.any():
            kinds["disjoint"] += 1
        elif one.any():
            kinds["overlap"] += 1
        else:
            kinds["other"] += 1
        kinds["zeros"] += bool((p == 0).any() or (q == 0).any())

    count()
    assert sum(kinds[k] for k in ("equal", "disjoint", "overlap", "other")) == 200
    for kind in ("equal", "disjoint", "overlap", "zeros", "other"):
        assert kinds[kind] >= 10, kinds


def test_triples_reach_q_between_p_and_r() -> None:
    p, q, r = find(
        gs.triples(), lambda t: not np.array_equal(t[0], t[2]) and 0 < jsd(t[0], t[1])
        and 0 < jsd(t[1], t[2]) and jsd(t[0], t[2]) > jsd(t[0], t[1]) + jsd(t[1], t[2]),
        settings=SEARCH,
    )
    assert jsd(p, r) > jsd(p, q) + jsd(q, r)  # only an intermediate q can do this


def test_discriminator_arrays_reach_zero_and_one() -> None:
    d = find(gs.discriminator_arrays(3), lambda d: 0.0 in d and 1.0 in d, settings=SEARCH)
    assert 0.0 in d and 1.0 in d


@pytest.mark.parametrize("family", gs.FAMILIES)
def test_every_family_is_reached(family: str) -> None:
    names = {"normal": "norm"}
    d = find(gs.scipy_distributions(), lambda d: d.dist.name == names.get(family, family),
             settings=SEARCH)
    assert_bounded_scipy(d)


def _family_name(d: object) -> str:
    return getattr(getattr(d, "dist", None), "name", "")


def test_singular_jump_heavy_tailed_and_mixture_cases_are_reached() -> None:
    s = gs.continuous_distributions()
    beta = find(s, lambda d: _family_name(d) == "beta" and d.args[0] < 1,
                settings=SEARCH)
    assert np.isposinf(beta.logpdf(beta.support()[0]))  # integrable singularity at the end
    beta = find(s, lambda d: _family_name(d) == "beta" and d.args[1] < 1 and d.args[2] != 0,
                settings=SEARCH)
    assert np.isposinf(beta.logpdf(beta.support()[1]))  # ... at the upper end, shifted
    beta = find(s, lambda d: _family_name(d) == "beta" and d.args[0] == 1,
                settings=SEARCH)
    lo = beta.support()[0]
    assert beta.pdf(lo) > 0 and beta.pdf(lo - 1e-9) == 0  # a jump at the end of the support
    cauchy = find(s, lambda d: _family_name(d) == "t" and d.args[0] < 1.5,
                  settings=SEARCH)
    assert math.isinf(cauchy.var()) or np.isnan(cauchy.var())
    assert isinstance(find(s, lambda d: isinstance(d, Mixture), settings=SEARCH), Mixture)
    p, q = find(gs.continuous_pairs(), lambda pq: pq[0] is pq[1], settings=SEARCH)
    assert p is q


# --- argument validation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: gs.probability_vectors(min_size=0), "min_size"),
        (lambda: gs.probability_vectors(min_size=5, max_size=4), "min_size"),
        (lambda: gs.probability_vectors(min_mass=1e-320), "min_mass"),
        (lambda: gs.disjoint_pairs(min_size=1), "min_size"),
        (lambda: gs.discriminator_arrays(3, min_value=0.5, max_value=0.4), "min_value"),
        (lambda: gs.discriminator_arrays(0), "size"),
        (lambda: gs.games(max_value=1.5), "max_value"),
        (lambda: gs.scipy_distributions(families=["cauchy"]), "families"),
        (lambda: gs.scipy_distributions(families="normal"), "families"),
        (lambda: gs.mixtures(max_components=1), "max_components"),
        (lambda: gs.discriminator_functions(max_logit=-1), "max_logit"),
    ],
)
def test_bad_arguments_are_rejected_by_name(make: object, match: str) -> None:
    with pytest.raises(ValueError, match=f"`{match}`"):
        make()  # type: ignore[operator]


# --- labelled tables ------------------------------------------------------------------------------
@given(gs.joint_tables())
def test_joint_tables_are_valid(t: np.ndarray) -> None:
    assert t.ndim == 2 and 2 <= t.shape[0] <= 4 and 1 <= t.shape[1] <= 5
    assert (t >= 0).all() and abs(t.sum() - 1) <= 8 * t.size * np.finfo(float).eps
    assert not t.flags.writeable


@given(gs.joint_table_pairs(n_classes=3, n_points=2, shared_labels=True))
def test_joint_table_pairs_share_labels(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    assert p.shape == q.shape == (3, 2)
    # both are pi * rows renormalised by a sum within a few eps of 1
    np.testing.assert_allclose(p.sum(axis=1), q.sum(axis=1), rtol=16 * np.finfo(float).eps,
                               atol=1e-300)


@given(gs.label_marginals(n_classes=4))
def test_label_marginals(p: np.ndarray) -> None:
    assert p.shape == (4,) and (p >= 0).all() and abs(p.sum() - 1) <= 1e-15


def test_joint_tables_reach_zero_rows_and_independent_labels() -> None:
    settings_ = settings(database=None, phases=[Phase.generate], max_examples=2000)
    t = find(gs.joint_tables(n_classes=3), lambda t: (t.sum(axis=1) == 0).any(),
             settings=settings_)
    assert (t.sum(axis=1) == 0).any()
    p, q = find(gs.joint_table_pairs(shared_labels=False),
                lambda pq: abs(pq[0].sum(1)[0] - pq[1].sum(1)[0]) > 0.1, settings=settings_)
    assert abs(p.sum(1)[0] - q.sum(1)[0]) > 0.1


def test_joint_table_strategies_bad_input() -> None:
    with pytest.raises(ValueError, match="`n_points` must be in"):
        gs.joint_tables(n_points=0)
    with pytest.raises(ValueError, match="`n_classes` must be in"):
        gs.joint_table_pairs(n_classes=0)
