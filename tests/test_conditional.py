"""The conditional game: ClassConditional, D*(x, y), C(G), the JSD split, the projection terms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from gantheory import (
    ClassConditional,
    Mixture,
    class_jsds,
    conditional_optimal_discriminator,
    conditional_optimal_value,
    conditional_value,
    joint_jsd,
    jsd,
    jsd_decomposition,
    per_class_value,
    projection_terms,
)

EPS = float(np.finfo(np.float64).eps)
LOG4 = math.log(4.0)


def _law(probs: list[float]) -> ClassConditional:
    return ClassConditional(
        [stats.norm(0, 1), stats.gamma(2.0), Mixture([stats.norm(-3, 1), stats.norm(3, 1)])],
        probs,
    )


P = np.array([[0.1, 0.2, 0.1], [0.3, 0.1, 0.2]])
Q_SHARED = np.array([[0.3, 0.05, 0.05], [0.1, 0.4, 0.1]])  # same row sums (0.4, 0.6)
Q_OWN = np.array([[0.05, 0.05, 0.1], [0.2, 0.3, 0.3]])


# --- ClassConditional ---------------------------------------------------------------------------
def test_class_conditional_attributes_and_densities() -> None:
    law = _law([0.2, 0.3, 0.5])
    assert law.n_classes == 3 and law.probs.dtype == np.float64 and law.probs.sum() == 1.0
    x = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(law.conditional_logpdf(x, 1), stats.gamma(2.0).logpdf(x),
                               rtol=4 * EPS, atol=0)
    np.testing.assert_allclose(law.logpdf(x, 1), math.log(0.3) + stats.gamma(2.0).logpdf(x),
                               rtol=4 * EPS, atol=0)
    # broadcasting x (3, 1) against y (3,)
    assert law.logpdf(x[:, None], np.array([0, 1, 2])).shape == (3, 3)
    post = law.label_posterior(x)
    assert post.shape == (3, 3)
    np.testing.assert_allclose(post.sum(axis=-1), 1.0, rtol=4 * EPS, atol=0)
    np.testing.assert_allclose(law.marginal().logpdf(x), law.marginal_logpdf(x),
                               rtol=1e-14, atol=0)


def test_rvs_is_deterministic_for_a_seed_and_draws_labels_first() -> None:
    law = _law([0.2, 0.3, 0.5])
    x1, y1 = law.rvs(2000, rng=np.random.default_rng(3))
    x2, y2 = law.rvs(2000, rng=np.random.default_rng(3))
    assert x1.dtype == np.float64 and y1.dtype == np.int64
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    y_ref = np.random.default_rng(3).choice(3, size=2000, p=law.probs)
    np.testing.assert_array_equal(y1, y_ref)
    assert (x1[y1 == 1] > 0).all()  # the gamma class
    # label frequencies: 2000 draws, 5 standard errors (sqrt(p(1-p)/n) <= 0.0112)
    np.testing.assert_allclose(np.bincount(y1, minlength=3) / 2000, law.probs, atol=0.056)


def test_zero_probability_class_is_allowed() -> None:
    law = ClassConditional([stats.norm(0, 1), stats.norm(5, 1)], [1.0, 0.0])
    assert law.logpdf(0.0, 1) == -np.inf
    np.testing.assert_array_equal(law.label_posterior([0.0, 5.0])[:, 1], 0.0)
    assert law.marginal().components[0].args == (0, 1)
    _, y = law.rvs(50, rng=np.random.default_rng(0))
    assert (y == 0).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([stats.norm()], [0.5, 0.5]), "conditional densities missing for a class"),
        (([stats.norm(), stats.norm()], [0.5, 0.6]), r"`probs` must sum to 1 within 2.0e-12"),
        (([stats.norm(), stats.norm()], [1.5, -0.5]), r"`probs` must be non-negative \(got -0.5"),
        (([stats.norm(), stats.norm()], [[0.5, 0.5]]), "`probs` must be 1-dimensional"),
    ],
)
def test_class_conditional_bad_input(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ClassConditional(*args)


def test_class_conditional_rejects_non_continuous() -> None:
    with pytest.raises(TypeError, match=r"`conditionals\[1\]` must be a continuous"):
        ClassConditional([stats.norm(), stats.poisson(3)], [0.5, 0.5])


@pytest.mark.parametrize(
    ("y", "message"),
    [(3, r"`y` must be a class label in 0..2 \(got 3\)"),
     (-1, r"`y` must be a class label in 0..2 \(got -1\)"),
     (1.5, r"`y` must be integer class labels in 0..2 \(got 1.5\)"),
     ("a", "`y` must be integer class labels"),
     (True, "`y` must be integer class labels")],
)
def test_bad_labels(y: object, message: str) -> None:
    law = _law([0.2, 0.3, 0.5])
    for f in (law.logpdf, law.conditional_logpdf):
        with pytest.raises(ValueError, match=message):
            f(0.0, y)


def test_rvs_bad_input() -> None:
    law = _law([0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="`n` must be a non-negative integer"):
        law.rvs(-1, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match=r"`rng` must be a numpy\.random\.Generator"):
        law.rvs(3, rng=0)  # type: ignore[arg-type]


# --- tables ---------------------------------------------------------------------------------------
def test_table_dstar_and_criterion() -> None:
    d = conditional_optimal_discriminator(P, Q_SHARED)
    np.testing.assert_allclose(d, P / (P + Q_SHARED), rtol=2 * EPS, atol=0)
    np.testing.assert_allclose(d.logit, np.log(P / Q_SHARED), rtol=0, atol=8 * EPS)
    c = conditional_optimal_value(P, Q_SHARED)
    ref = -LOG4 + 2 * jensenshannon(P.ravel(), Q_SHARED.ravel()) ** 2
    assert abs(c - ref) <= 64 * EPS
    assert abs(per_class_value(P, Q_SHARED) - c) <= 64 * EPS
    assert conditional_value(P, Q_SHARED, d) == pytest.approx(c, rel=0, abs=64 * EPS)
    assert conditional_value(P, Q_SHARED, np.full((2, 3), 0.5)) < c


def test_different_label_laws_need_the_label_term() -> None:
    c = conditional_optimal_value(P, Q_OWN)
    dec = jsd_decomposition(P, Q_OWN)
    assert dec.label == pytest.approx(jsd(P.sum(1), Q_OWN.sum(1)), rel=0, abs=8 * EPS)
    assert dec.label > 0.02
    assert abs(-LOG4 + 2 * dec.total - c) <= 64 * EPS
    assert abs(per_class_value(P, Q_OWN) - c) > 0.01  # the per-class form is not C(G)
    # ... it is the data-label-weighted form
    ref = -LOG4 + 2 * float(np.sum(P.sum(1) * class_jsds(P, Q_OWN)))
    assert abs(per_class_value(P, Q_OWN) - ref) <= 64 * EPS


def test_neither_order_between_joint_and_per_class_jsd() -> None:
    """With different label laws neither sum_y p_data(y) JSD_y <= JSD(joint) nor >= holds:
    equal conditionals give joint > per-class (= 0); the case below gives per-class > joint."""
    p = np.array([[0.25, 0.25], [0.25, 0.25]])
    q = np.array([[0.4, 0.4], [0.1, 0.1]])
    assert class_jsds(p, q).max() == 0 and joint_jsd(p, q) > 0.01
    p2 = np.array([[0.99, 0.0], [0.0, 0.01]])
    q2 = np.array([[0.0, 0.99], [0.01, 0.0]])
    wsum = float(np.sum(p2.sum(1) * class_jsds(p2, q2)))
    assert wsum == pytest.approx(math.log(2), abs=8 * EPS)
    assert joint_jsd(p2, q2) == pytest.approx(math.log(2), abs=8 * EPS)
    # a class the generator almost never draws (0.02) but the data does (0.67): the data's
    # weights count its disjoint conditionals fully, the joint JSD only by mu
    p3 = np.array([[0.0, 0.67], [0.27, 0.06]])
    q3 = np.array([[0.02, 0.0], [0.89, 0.09]])
    wsum3 = float(np.sum(p3.sum(1) * class_jsds(p3, q3)))
    assert wsum3 - joint_jsd(p3, q3) > 0.1  # 0.4673 against 0.3280


def test_projection_terms_tables() -> None:
    t = projection_terms(P, Q_OWN)
    pm, qm = P.sum(0), Q_OWN.sum(0)
    np.testing.assert_allclose(t.marginal, np.broadcast_to(np.log(pm / qm), P.shape),
                               rtol=0, atol=16 * EPS)
    np.testing.assert_allclose(t.label, np.log((P / pm) / (Q_OWN / qm)), rtol=0, atol=16 * EPS)
    np.testing.assert_allclose(t.logit, np.log(P / Q_OWN), rtol=0, atol=16 * EPS)


def test_projection_terms_edges() -> None:
    p = np.array([[0.5, 0.0], [0.5, 0.0]])
    q = np.array([[0.25, 0.25], [0.5, 0.0]])
    t = projection_terms(p, q)
    logit = conditional_optimal_discriminator(p, q).logit
    np.testing.assert_array_equal(t.logit[:, 1], logit[:, 1])  # -inf and the 1/2 convention
    assert t.logit[1, 1] == 0 and t.logit[0, 1] == -np.inf


@pytest.mark.parametrize(
    ("p", "q", "exc", "message"),
    [
        (P, P[:, :2] / P[:, :2].sum(), ValueError, "must have the same shape"),
        (P * 2, P, ValueError, "`p_data` must sum to 1 within 6.0e-12"),
        (np.array([[1.5, -0.5]]), np.array([[0.5, 0.5]]), ValueError,
         r"`p_data` must be non-negative \(got -0.5 at index \(0, 1\)"),
        (P.ravel(), P.ravel(), ValueError, "`p_data` must be 2-dimensional"),
        (P, _law([0.2, 0.3, 0.5]), TypeError, "both be joint tables"),
    ],
)
def test_table_bad_input(p: object, q: object, exc: type, message: str) -> None:
    with pytest.raises(exc, match=message):
        conditional_optimal_value(p, q)


def test_undefined_conditional_row() -> None:
    p = np.array([[0.5, 0.5], [0.0, 0.0]])
    with pytest.raises(ValueError, match=r"label 1 has probability 0 in `p_data`"):
        class_jsds(p, p)
    assert per_class_value(p, p) == pytest.approx(-LOG4, abs=8 * EPS)  # weight 0: left out


def test_table_value_bad_d() -> None:
    with pytest.raises(ValueError, match=r"`D` must be an array of shape \(2, 3\)"):
        conditional_value(P, Q_OWN, np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match="must lie in"):
        conditional_value(P, Q_OWN, np.full((2, 3), 1.5))


# --- laws -----------------------------------------------------------------------------------------
def test_laws_shared_labels() -> None:
    p, q = _law([0.2, 0.3, 0.5]), ClassConditional(
        [stats.norm(0.5, 1.2), stats.gamma(3.0), stats.norm(0, 2)], [0.2, 0.3, 0.5])
    c = conditional_optimal_value(p, q, full_output=True)
    pc = per_class_value(p, q, full_output=True)
    assert abs(c.value - pc.value) <= c.abserr + pc.abserr + 8 * EPS
    ref = -LOG4 + 2 * sum(w * jsd(a, b) for w, a, b in
                          zip(p.probs, p.conditionals, q.conditionals))
    assert abs(c.value - ref) <= c.abserr + 1e-10
    d = conditional_optimal_discriminator(p, q)
    x = np.linspace(0.5, 5, 7)
    a, b = stats.gamma(2.0).pdf(x), stats.gamma(3.0).pdf(x)
    np.testing.assert_allclose(d(x, 1), a / (a + b), rtol=16 * EPS, atol=0)


def test_laws_projection_and_value_errors() -> None:
    p, q = _law([0.2, 0.3, 0.5]), _law([0.5, 0.3, 0.2])
    x = np.linspace(-2, 4, 5)
    t = projection_terms(p, q, x, 2)
    lg = conditional_optimal_discriminator(p, q).logit(x, 2)
    np.testing.assert_allclose(t.logit, lg, rtol=0, atol=64 * EPS)
    with pytest.raises(ValueError, match="`x` and `y` must be given"):
        projection_terms(p, q)
    with pytest.raises(ValueError, match=r"`y` must be a class label in 0..2 \(got 3\)"):
        projection_terms(p, q, x, 3)
    with pytest.raises(ValueError, match="same classes"):
        joint_jsd(p, ClassConditional([stats.norm()], [1.0]))
    with pytest.raises(ValueError, match=r"`D` must return values in \[0, 1\]"):
        conditional_value(p, q, lambda x, y: np.full(np.shape(x), 2.0))
    with pytest.raises(TypeError, match="vectorized callable"):
        conditional_value(p, q, np.full((3, 2), 0.5))
