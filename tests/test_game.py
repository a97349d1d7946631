"""The game: D*, V(G, D), C(G), the generator objectives and the minibatch estimator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, special, stats

import gantheory as gt

EPS = np.finfo(np.float64).eps


class TestOptimalDiscriminator:
    def test_discrete_values_and_the_both_zero_convention(self) -> None:
        d = gt.optimal_discriminator([0.5, 0.5, 0.0, 0.0], [0.25, 0.0, 0.75, 0.0])
        np.testing.assert_allclose(d, [2 / 3, 1.0, 0.0, 0.5], rtol=2 * EPS, atol=0)

    def test_continuous_is_vectorized_and_matches_the_density_ratio(self) -> None:
        p, q = stats.norm(0, 1), stats.laplace(1, 2)
        x = np.linspace(-5, 5, 11)
        want = p.pdf(x) / (p.pdf(x) + q.pdf(x))
        np.testing.assert_allclose(gt.optimal_discriminator(p, q)(x), want, rtol=8 * EPS, atol=0)

    def test_continuous_far_tail_has_no_underflow(self) -> None:
        """At x = 60 both pdfs underflow to 0, yet D* = expit(log p - log q) is well defined."""
        d = gt.optimal_discriminator(stats.norm(0, 1), stats.norm(1, 1))
        # log p - log q = -x^2/2 + (x-1)^2/2 = 1/2 - x
        assert d(np.array([60.0]))[0] == pytest.approx(special.expit(0.5 - 60.0), rel=1e-12)
        assert d.logit(np.array([60.0]))[0] == pytest.approx(0.5 - 60.0, rel=1e-12)

    def test_shared_singular_point_is_not_nan(self) -> None:
        """Both densities infinite at 0 (Beta(1/2, 1)): inf - inf must not give a NaN D*."""
        d = gt.optimal_discriminator(stats.beta(0.5, 1), stats.beta(0.5, 1))
        np.testing.assert_array_equal(d(np.array([0.0, 0.3])), [0.5, 0.5])

    def test_continuous_disjoint_supports(self) -> None:
        d = gt.optimal_discriminator(stats.uniform(0, 1), stats.uniform(2, 1))
        np.testing.assert_array_equal(d(np.array([0.5, 2.5, 1.5])), [1.0, 0.0, 0.5])


class TestValue:
    def test_discrete_against_a_direct_sum(self) -> None:
        p, q, d = np.array([0.2, 0.3, 0.5]), np.array([0.6, 0.4, 0.0]), np.array([0.1, 0.5, 0.9])
        want = math.fsum(p * np.log(d)) + math.fsum(q[:2] * np.log(1 - d[:2]))
        assert abs(gt.value(p, q, d) - want) <= 16 * EPS

    def test_minus_inf_where_the_mathematics_says_so_never_nan(self) -> None:
        p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
        assert gt.value(p, q, [0.0, 0.5, 0.5]) == -math.inf  # D = 0 on data mass
        assert gt.value(p, q, [0.5, 0.5, 1.0]) == -math.inf  # D = 1 on generator mass
        # D = 0 where p_data = 0 and D = 1 where p_g = 0: 0 log 0 = 0, finite
        assert gt.value(p, q, [1.0, 0.5, 0.0]) == pytest.approx(math.log(0.5), abs=4 * EPS)

    def test_continuous_against_scipy_quad_on_a_tame_case(self) -> None:
        p, q = stats.norm(0, 1), stats.norm(1, 1)

        def dfun(x: np.ndarray) -> np.ndarray:
            return special.expit(0.3 * np.asarray(x))

        want = integrate.quad(
            lambda x: p.pdf(x) * math.log(dfun(x)) + q.pdf(x) * math.log(1 - dfun(x)),
            -40, 40, epsabs=1e-14, epsrel=1e-13, points=[0, 1],
        )[0]
        est = gt.value(p, q, dfun, full_output=True)
        assert abs(est.value - want) <= est.abserr + 1e-13

    def test_continuous_d_zero_on_data_mass_is_refused_with_the_point_and_the_remedy(
        self,
    ) -> None:
        """A probability D that is 0 where p_data > 0 may only have rounded to 0: refused."""
        with pytest.raises(
            ValueError,
            match=r"`D` returned 0.0 at x = .*, where p_data has density 1 \(log density 0\):"
            r" log D = -inf there .* pass its logit instead: logit=True",
        ):
            gt.value(stats.uniform(0, 1), stats.uniform(0, 1), lambda x: np.zeros_like(x))
        with pytest.raises(ValueError, match=r"`D` returned 1.0 at x = .*, where p_g has density"):
            gt.value(stats.norm(0, 1), stats.norm(0, 1), lambda x: np.ones_like(x))

    def test_continuous_logit_minus_inf_on_data_mass_is_minus_inf(self) -> None:
        """A logit of -inf states that D is exactly 0: V = -inf, as the mathematics says."""
        v = gt.value(
            stats.uniform(0, 1), stats.uniform(0, 1), lambda x: np.full_like(x, -np.inf),
            logit=True,
        )
        assert v == -math.inf

    def test_logits_recover_the_value_where_the_sigmoid_rounds(self) -> None:
        """D = expit(l) rounds to 1 where l > 37, inside p_g's bulk: through its logit V is
        finite and matches an independent quadrature of -p softplus(-l) - q softplus(l)."""
        p, q = stats.norm(0, 1), stats.norm(3, 0.5)

        def lg(x: np.ndarray) -> np.ndarray:
            return 20.0 * np.asarray(x)  # > 37 for x > 1.85

        want = integrate.quad(
            lambda x: -p.pdf(x) * np.logaddexp(0, -lg(x)) - q.pdf(x) * np.logaddexp(0, lg(x)),
            -12, 12, epsabs=1e-13, epsrel=1e-13, points=[0, 3], limit=200,
        )[0]
        est = gt.value(p, q, lg, logit=True, full_output=True)
        assert abs(est.value - want) <= est.abserr + 1e-12

        class WithLogit:
            def __call__(self, x: np.ndarray) -> np.ndarray:
                return special.expit(lg(x))

            def logit(self, x: np.ndarray) -> np.ndarray:
                return lg(x)

        assert gt.value(p, q, WithLogit()) == est.value  # the .logit protocol, same integrand

    def test_value_of_d_star_equals_c_of_g_even_where_d_star_rounds_to_one(self) -> None:
        """With D* given as optimal_discriminator (which carries its logit), V(G, D*) stays
        finite where 1 - D* underflows; a plain callable gives -inf there, as documented."""
        p, q = stats.norm(0, 1), stats.norm(0.5, 0.2)
        d = gt.optimal_discriminator(p, q)
        c = gt.optimal_value(p, q, full_output=True)
        v = gt.value(p, q, d, full_output=True)
        assert abs(v.value - c.value) <= v.abserr + c.abserr

    @pytest.mark.parametrize(
        ("d", "error", "match"),
        [
            ([0.5, 1.5], ValueError, r"`D` must lie in \[0, 1\] \(got 1.5 at index 1"),
            ([0.5, -0.1], ValueError, r"`D` must lie in \[0, 1\] \(got -0.1"),
            ([0.5, np.nan], ValueError, r"`D` must not be NaN"),
            ([0.5, 0.5, 0.5], ValueError, r"`D` must be an array of shape \(2,\)"),
            ([[0.5, 0.5]], ValueError, r"`D` must be an array of shape \(2,\)"),
        ],
    )
    def test_bad_discrete_discriminators(self, d: object, error: type, match: str) -> None:
        with pytest.raises(error, match=match):
            gt.value([0.5, 0.5], [0.2, 0.8], d)

    @pytest.mark.parametrize(
        ("d", "match"),
        [
            (lambda x: np.full_like(x, np.nan), r"`D` returned NaN at x ="),
            (lambda x: np.full_like(x, 1.2), r"`D` must return values in \[0, 1\] \(got 1.2"),
            (lambda x: np.zeros(3), r"`D` must return one value per input point"),
        ],
    )
    def test_bad_continuous_discriminators(self, d: object, match: str) -> None:
        with pytest.raises(ValueError, match=match):
            gt.value(stats.norm(), stats.norm(1), d)

    @pytest.mark.parametrize(
        ("logit", "match"),
        [
            (lambda x: np.full_like(x, np.nan), r"`D.logit` returned NaN at x ="),
            (lambda x: np.zeros(2), r"`D.logit` must return one value per input point"),
        ],
    )
    def test_bad_logits(self, logit: object, match: str) -> None:
        class WithLogit:
            def __call__(self, x: np.ndarray) -> np.ndarray:
                return np.full_like(x, 0.5)

        d = WithLogit()
        d.logit = logit  # type: ignore[attr-defined]
        with pytest.raises(ValueError, match=match):
            gt.value(stats.norm(), stats.norm(1), d)

    def test_array_discriminator_for_continuous_pair_is_a_type_error(self) -> None:
        with pytest.raises(TypeError, match="`D` must be a vectorized callable"):
            gt.value(stats.norm(), stats.norm(1), [0.5, 0.5])


class TestOptimalValue:
    @pytest.mark.parametrize(("a", "b"), [(0.3, 0.6), (0.0, 1.0), (0.5, 0.5), (0.9, 0.1)])
    def test_bernoulli_closed_form(self, a: float, b: float) -> None:
        """C(G) = -log 4 + 2 JSD with JSD from binary entropies (an independent formula)."""

        def h(t: float) -> float:
            return float(special.entr(t) + special.entr(1 - t))

        want = -math.log(4) + 2 * (h((a + b) / 2) - (h(a) + h(b)) / 2)
        assert abs(gt.optimal_value([a, 1 - a], [b, 1 - b]) - want) <= 16 * EPS

    def test_minimum_at_equality(self) -> None:
        assert gt.optimal_value([0.1, 0.9], [0.1, 0.9]) == pytest.approx(-math.log(4), abs=4 * EPS)
        c = gt.optimal_value(stats.norm(3, 2), stats.norm(3, 2), full_output=True)
        assert abs(c.value + math.log(4)) <= c.abserr + 4 * EPS

    def test_disjoint_supports_give_zero(self) -> None:
        """JSD = log 2 for disjoint supports, so C(G) = -log 4 + 2 log 2 = 0."""
        assert gt.optimal_value([1.0, 0.0], [0.0, 1.0]) == 0.0
        c = gt.optimal_value(stats.uniform(0, 1), stats.uniform(3, 1), full_output=True)
        assert abs(c.value) <= c.abserr + 4 * EPS


class TestGeneratorObjectives:
    def test_discrete_values(self) -> None:
        q, d = [0.25, 0.75], [0.2, 0.6]
        assert gt.generator_objective_minimax(q, d) == pytest.approx(
            0.25 * math.log(0.8) + 0.75 * math.log(0.4), abs=4 * EPS)
        assert gt.generator_objective_nonsaturating(q, d) == pytest.approx(
            -(0.25 * math.log(0.2) + 0.75 * math.log(0.6)), abs=4 * EPS)

    def test_nonsaturating_is_infinite_when_d_rejects_generated_mass(self) -> None:
        assert gt.generator_objective_nonsaturating([0.5, 0.5], [0.0, 0.5]) == math.inf
        minimax = gt.generator_objective_minimax([0.0, 1.0], [1.0, 0.5])
        assert minimax == pytest.approx(math.log(0.5), rel=0, abs=4 * EPS)

    def test_errors(self) -> None:
        with pytest.raises(TypeError, match="`D` must be a vectorized callable"):
            gt.generator_objective_minimax(stats.norm(), [0.5])
        with pytest.raises(ValueError, match=r"`D` must be an array of shape \(2,\)"):
            gt.generator_objective_nonsaturating([0.5, 0.5], [0.5])
        with pytest.raises(ValueError, match=r"`p_g` must sum to 1"):
            gt.generator_objective_nonsaturating([0.5, 0.6], [0.5, 0.5])

    def test_continuous_against_closed_form(self) -> None:
        """For D = expit(x) and p_g = N(0, 1): E log D(x) = -E softplus(-x), by scipy quad."""
        q = stats.norm(0, 1)
        want = -integrate.quad(lambda x: q.pdf(x) * np.logaddexp(0, -x), -40, 40,
                               epsabs=1e-14, epsrel=1e-13)[0]
        got = gt.generator_objective_nonsaturating(q, special.expit)
        assert abs(-got - want) <= 1e-12


class TestMinibatchValue:
    def test_matches_the_formula(self) -> None:
        def d(x: np.ndarray) -> np.ndarray:
            return special.expit(np.asarray(x))

        xd, xg = np.array([0.5, 1.0, 2.0]), np.array([-1.0, 0.0])
        want = np.mean(np.log(d(xd))) + np.mean(np.log(1 - d(xg)))
        assert abs(gt.minibatch_value(d, xd, xg) - want) <= 8 * EPS

    @pytest.mark.parametrize(
        ("xd", "xg", "match"),
        [([], [1.0], "`x_data` must hold at least one sample"),
         ([1.0], [], "`x_gen` must hold at least one sample"),
         ([np.nan], [1.0], "`x_data` must be finite")],
    )
    def test_bad_samples(self, xd: list[float], xg: list[float], match: str) -> None:
        with pytest.raises(ValueError, match=match):
            gt.minibatch_value(special.expit, xd, xg)

    def test_bad_discriminator_output(self) -> None:
        with pytest.raises(ValueError, match="one value per sample of `x_data`"):
            gt.minibatch_value(lambda x: np.array([0.5]), [1.0, 2.0], [0.0])
        with pytest.raises(ValueError, match=r"`D\(x_gen\)` must lie in \[0, 1\]"):
            gt.minibatch_value(lambda x: np.asarray(x), [0.5], [2.0])


class TestDiscreteDStarLogit:
    """The D* array of two probability vectors carries its exact logit (``.logit``)."""

    def test_value_of_d_star_is_c_of_g_where_d_star_rounds_to_one(self) -> None:
        """p = [1, 5e-324], q = [5e-324, 1]: D* = [1, 5e-324] rounds to 1 at 0 where q has a
        subnormal mass; V(G, D*) used to be -inf while C(G) = -7.4e-321."""
        p, q = [1.0, 5e-324], [5e-324, 1.0]
        d = gt.optimal_discriminator(p, q)
        assert d[0] == 1.0 and d.logit[0] == pytest.approx(744.44007192138, rel=1e-14)
        v, c = gt.value(p, q, d, full_output=True), gt.optimal_value(p, q, full_output=True)
        assert math.isfinite(v.value) and abs(v.value - c.value) <= v.abserr + c.abserr
        # the same numbers as a plain array are taken as exact: D = 1 where q > 0 is -inf
        assert gt.value(p, q, np.asarray(d)) == -math.inf

    def test_derived_arrays_lose_the_logit(self) -> None:
        d = gt.optimal_discriminator([0.2, 0.8], [0.6, 0.4])
        assert d.logit is not None and not d.flags.writeable
        for other in (1 - d, d[::-1], d.copy(), d * 1.0):
            assert type(other) is np.ndarray or getattr(other, "logit", None) is None
        # 1 - d is another discriminator: its own value, not D*'s
        flipped = gt.value([0.2, 0.8], [0.6, 0.4], 1 - d)
        # D* = [1/4, 2/3], 1 - D* = [3/4, 1/3]: V = sum p log(1 - D*) + q log D*
        want = 0.2 * math.log(0.75) + 0.8 * math.log(1 / 3)
        want += 0.6 * math.log(0.25) + 0.4 * math.log(2 / 3)
        assert abs(flipped - want) <= 16 * EPS
        assert repr(d) == repr(np.asarray(d))

    def test_logit_arrays(self) -> None:
        p, q = [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]
        assert gt.value(p, q, [np.inf, 0.0, -np.inf], logit=True) == pytest.approx(
            math.log(0.5), abs=4 * EPS)
        assert gt.value(p, q, [-np.inf, 0.0, 0.0], logit=True) == -math.inf  # D = 0 on data
        with pytest.raises(ValueError, match=r"`D` \(logits\) must not be NaN"):
            gt.value(p, q, [np.nan, 0.0, 0.0], logit=True)
        with pytest.raises(TypeError, match="`logit` must be True or False"):
            gt.value(p, q, [0.5] * 3, logit="yes")

    def test_a_discrete_callable_is_refused_where_it_rounds(self) -> None:
        p, q = [0.5, 0.5], [0.25, 0.75]
        with pytest.raises(
            ValueError, match=r"`D` returned 0.0 at the point 1, where p_data has mass 0.5"
            r" \(log mass -0.693147\): log D = -inf there and V\(G, D\) would be infinite",
        ):
            gt.value(p, q, lambda k: np.where(np.asarray(k) == 1, 0.0, 0.5))
        # arrays are exact: the mathematics says -inf
        assert gt.value(p, q, [0.5, 0.0]) == -math.inf


class TestGeneratorObjectiveLogits:
    def test_nonsaturating_refuses_a_rounded_zero_and_takes_the_logit(self) -> None:
        q = stats.norm(0, 1)

        def lg(x: np.ndarray) -> np.ndarray:
            return 60.0 * np.asarray(x) - 800.0  # expit rounds to 0 for x < -0.75

        with pytest.raises(ValueError, match=r"where p_g has density .* the non-saturating"
                           r" generator objective would be infinite"):
            gt.generator_objective_nonsaturating(q, lambda x: special.expit(lg(x)))
        # -E log D = E softplus(-l) = E (800 - 60 x) + E log1p(exp(l)) = 800 + O(1e-300)
        got = gt.generator_objective_nonsaturating(q, lg, logit=True)
        assert abs(got - 800.0) <= 1e-9

    def test_minimax_with_a_logit_method(self) -> None:
        """E_{N(0,1)} log(1 - expit(l)) = -E softplus(l) for l = 50 + x: = -(50 + 0) exactly up
        to the log1p(exp(-50 - x)) part, below 1e-21."""

        class D:
            def __call__(self, x: np.ndarray) -> np.ndarray:
                return special.expit(self.logit(x))

            def logit(self, x: np.ndarray) -> np.ndarray:
                return 50.0 + np.asarray(x)

        assert abs(gt.generator_objective_minimax(stats.norm(0, 1), D()) + 50.0) <= 1e-9
