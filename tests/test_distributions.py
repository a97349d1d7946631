"""Discrete, Mixture, the scipy.stats adapter and the pair classification, with their errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

import gantheory as gt
from gantheory._validation import SUM_ATOL
from gantheory.distributions import as_continuous, coerce_pair, is_continuous


class TestDiscrete:
    def test_accepts_zeros_and_renormalises_within_tolerance(self) -> None:
        p = gt.Discrete([0.1] * 10)  # sums to 0.9999999999999999
        assert math.fsum(p.probs) == 1.0
        assert gt.Discrete([0.5, 0.5, 0.0]).probs[2] == 0.0

    def test_probs_are_read_only(self) -> None:
        p = gt.Discrete([0.5, 0.5])
        with pytest.raises(ValueError, match="read-only"):
            p.probs[0] = 1.0

    def test_from_weights_normalises(self) -> None:
        np.testing.assert_allclose(
            gt.Discrete.from_weights([1, 1, 2]).probs, [0.25, 0.25, 0.5], rtol=0, atol=1e-16
        )

    @pytest.mark.parametrize(
        ("probs", "match"),
        [
            ([0.5, -0.1, 0.6], r"`probs` must be non-negative \(got -0.1 at index 1"),
            ([0.5, np.nan, 0.5], r"`probs` must be finite \(got nan"),
            ([0.5, np.inf], r"`probs` must be finite \(got inf"),
            ([0.5, 0.4], r"`probs` must sum to 1 .*got sum 0.9"),
            ([], r"`probs` must not be empty"),
            ([[0.5, 0.5]], r"`probs` must be 1-dimensional"),
        ],
    )
    def test_bad_probabilities(self, probs: object, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            gt.Discrete(probs)

    def test_sum_tolerance_is_the_stated_one(self) -> None:
        gt.Discrete([0.5, 0.5 + 0.5 * SUM_ATOL])
        with pytest.raises(ValueError, match="sum to 1"):
            gt.Discrete([0.5, 0.5 + 2 * SUM_ATOL])

    def test_non_numeric(self) -> None:
        with pytest.raises(TypeError, match="`probs` must be an array of real numbers"):
            gt.Discrete(["a", "b"])

    @pytest.mark.parametrize(
        ("weights", "match"),
        [([0, 0], "not all be zero"), ([1, -1], "be non-negative"), ([], "not be empty")],
    )
    def test_bad_weights(self, weights: list[float], match: str) -> None:
        with pytest.raises(ValueError, match=f"`weights` must {match}"):
            gt.Discrete.from_weights(weights)


class TestMixture:
    def test_density_is_the_weighted_sum(self) -> None:
        comps = [stats.norm(-3, 1), stats.laplace(2, 0.5)]
        m = gt.Mixture(comps, [0.3, 0.7])
        x = np.linspace(-6, 6, 13)
        want = 0.3 * comps[0].pdf(x) + 0.7 * comps[1].pdf(x)
        np.testing.assert_allclose(m.pdf(x), want, rtol=1e-14, atol=0)

    def test_logpdf_does_not_underflow_far_away(self) -> None:
        m = gt.Mixture([stats.norm(-5, 1), stats.norm(5, 1)])
        # pdf underflows to 0 at x = 100; the log-density is -0.5*95^2 - log(2 sqrt(2 pi))
        want = -0.5 * 95.0**2 - math.log(2 * math.sqrt(2 * math.pi))
        assert abs(float(m.logpdf(100.0)) - want) < 1e-9

    def test_cdf_ppf_roundtrip_and_mass(self) -> None:
        m = gt.Mixture([stats.norm(-50, 1), stats.norm(50, 2)], [0.25, 0.75])
        q = np.array([0.01, 0.25, 0.5, 0.9])
        np.testing.assert_allclose(m.cdf(m.ppf(q)), q, rtol=0, atol=1e-12)
        mass = sum(integrate.quad(m.pdf, c - 20, c + 20)[0] for c in (-50, 50))
        assert abs(mass - 1) < 1e-9

    def test_equal_weights_by_default_and_zero_weights_dropped(self) -> None:
        m = gt.Mixture([stats.norm(0, 1), stats.norm(1, 1), stats.norm(2, 1)], [0.5, 0.5, 0.0])
        assert len(m.components) == 2
        np.testing.assert_array_equal(gt.Mixture([stats.norm(), stats.norm(1)]).weights, [0.5, 0.5])

    def test_rvs_uses_only_the_passed_generator(self) -> None:
        m = gt.Mixture([stats.norm(-5, 1), stats.norm(5, 1)], [0.2, 0.8])
        a = m.rvs(1000, rng=np.random.default_rng(7))
        b = m.rvs(1000, rng=np.random.default_rng(7))
        np.testing.assert_array_equal(a, b)
        # fraction of the right component: binomial(1000, 0.8) has sd 12.6; 5 sd = 63
        assert abs(np.sum(a > 0) - 800) < 63

    def test_rvs_requires_a_generator(self) -> None:
        with pytest.raises(TypeError, match=r"`rng` must be a numpy\.random\.Generator"):
            gt.Mixture([stats.norm()]).rvs(3, rng=1)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("components", "weights", "error", "match"),
        [
            ([], None, ValueError, "`components` must not be empty"),
            ([stats.norm(), "x"], None, TypeError, r"`components\[1\]` must be a scipy.stats"),
            ([stats.poisson(3)], None, TypeError, r"`components\[0\]`"),
            ([stats.norm(), stats.norm(1)], [0.5, -0.5], ValueError, "`weights` must be non-neg"),
            ([stats.norm(), stats.norm(1)], [0.5, 0.2], ValueError, "`weights` must sum to 1"),
            ([stats.norm(), stats.norm(1)], [1.0], ValueError, "one entry per component"),
            (stats.norm(), None, TypeError, "`components` must be a sequence"),
        ],
    )
    def test_bad_mixtures(self, components, weights, error, match) -> None:
        with pytest.raises(error, match=match):
            gt.Mixture(components, weights)


class TestAdapters:
    @pytest.mark.parametrize(
        "dist",
        [stats.norm(1, 2), stats.laplace(), stats.cauchy(), stats.t(4), stats.uniform(2, 3),
         stats.beta(0.5, 0.5), gt.Mixture([stats.norm(), stats.cauchy(5)])],
    )
    def test_any_frozen_continuous_distribution_is_accepted(self, dist: object) -> None:
        assert is_continuous(dist)
        c = as_continuous(dist, "p")
        lo, hi = c.support()
        assert lo < hi and c.landmarks().size > 3

    @pytest.mark.parametrize(
        ("obj", "match"),
        [
            (stats.poisson(3), "discrete distributions are not supported, use Discrete"),
            (stats.multivariate_normal([0, 0]), "frozen 1-D continuous distribution"),
            ("normal", "frozen 1-D continuous distribution"),
        ],
    )
    def test_non_distributions_are_rejected(self, obj: object, match: str) -> None:
        with pytest.raises(TypeError, match=match):
            as_continuous(obj, "p")

    @pytest.mark.parametrize(
        ("dist", "shown"),
        [
            (stats.norm(0, -1), r"norm\(0, -1\)"),
            (stats.beta(-1, 2), r"beta\(-1, 2\)"),
            (stats.t(-1), r"t\(-1\)"),
            (stats.norm(np.nan, 1), r"norm\(nan, 1\)"),
            (stats.norm(0, np.inf), r"norm\(0, inf\)"),
            (stats.uniform(0, 0), r"uniform\(0, 0\)"),
        ],
    )
    def test_invalid_parameters_are_rejected(self, dist: object, shown: str) -> None:
        """SciPy freezes these without complaint and answers NaN; KL used to return inf."""
        with pytest.raises(ValueError, match=rf"`q` = {shown} has invalid parameters"):
            gt.kl(stats.norm(), dist)
        with pytest.raises(ValueError, match=rf"`components\[1\]` = {shown} has invalid"):
            gt.Mixture([stats.norm(), dist])

    def test_mixed_pair_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="both be discrete or both continuous"):
            coerce_pair([0.5, 0.5], stats.norm())
        with pytest.raises(TypeError, match="both be discrete or both continuous"):
            gt.kl(stats.norm(), gt.Discrete([1.0]))

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match=r"same length \(got 2 and 3"):
            gt.jsd([0.5, 0.5], [0.2, 0.3, 0.5])

    def test_objects_that_are_not_distributions(self) -> None:
        with pytest.raises(TypeError, match="`p` must be a Discrete or a 1-D array"):
            gt.kl(lambda x: x, [1.0])
        with pytest.raises(TypeError, match="`q` must be a Discrete or a 1-D array"):
            gt.kl([1.0], {"a": 1})


def test_outside_a_singular_end_the_density_is_zero_at_any_distance() -> None:
    """Below the lower end of Beta(1/2, 1/2) the density is 0, also at distances t below an ulp
    of the end (where end - t rounds back onto it, and the density there is infinite); and a
    quantile that rounded past the end is not a landmark. Found by the property V <= C(G): a
    landmark two ulps below loc made C(G) -inf for this pair."""
    from gantheory import jsd, optimal_value
    from gantheory.distributions import as_continuous

    q = stats.beta(0.5, 0.5, -0.22078590798361186, 4.817240224391209)
    qc = as_continuous(q, "q")
    lo, hi = qc.support()
    for t in (1e-300, 1e-17, 1e-3):
        assert qc.logpdf_near(lo, -1, t) == -np.inf and qc.logpdf_near(hi, 1, t) == -np.inf
        assert np.isfinite(qc.logpdf_near(lo, 1, t)) and np.isfinite(qc.logpdf_near(hi, -1, t))
    marks = qc.landmarks()
    assert marks.min() == lo and marks.max() == hi
    p = stats.laplace(0.0, 0.5)
    c, j = optimal_value(p, q, full_output=True), jsd(p, q, full_output=True)
    assert abs(c.value - (-np.log(4) + 2 * j.value)) <= c.abserr + 2 * j.abserr + 1e-15
