"""The quadrature on the hard continuous cases, against mpmath at 30 digits.

Each case is computed twice: by gantheory (scipy.stats log-densities, SciPy's QUADPACK on
landmark-split pieces) and by ``tests/reference.py`` (densities written out in mpmath, tanh-sinh
quadrature at 30 digits). The issue's accuracy promise is 1e-10 absolute; the test also holds
gantheory's reported error bound to account for the actual error.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import reference as ref
from scipy import integrate, stats

import gantheory as gt
from gantheory.distributions import as_continuous
from gantheory.quadrature import QuadratureError, breakpoints, integrate_pieces

#: The accuracy the suite promises for divergences on the hard cases (issue 2).
PROMISED_ATOL = 1e-10
#: Slack on gantheory's own error bound: the reference's own error (~1e-25 here) plus the
#: rounding of the final double (a few eps of values of order 1).
BOUND_SLACK = 8 * np.finfo(np.float64).eps

# name: (p, q, mpmath p, mpmath q, breakpoints for mpmath)
HARD = {
    "far-from-origin": (
        stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 2), ref.normal(1e4, 1), ref.normal(1e4 + 1.5, 2),
        ["-inf", 9.96e3, 9.99e3, 1e4 - 3, 1e4, 1e4 + 1.5, 1e4 + 4, 1e4 + 10, 1e4 + 40, "inf"],
    ),
    "narrow-vs-wide": (
        stats.norm(0, 1e-3), stats.norm(0.5, 10), ref.normal(0, 1e-3), ref.normal(0.5, 10),
        ["-inf", -60, -20, -1, -0.01, -0.004, -0.001, 0, 0.001, 0.004, 0.01, 1, 20, 60, "inf"],
    ),
    "cauchy": (
        stats.cauchy(0, 1), stats.cauchy(3, 2), ref.cauchy(0, 1), ref.cauchy(3, 2),
        ["-inf", -1e6, -1e3, -30, -3, 0, 3, 6, 30, 1e3, 1e6, "inf"],
    ),
    "far-mixture": (
        gt.Mixture([stats.norm(-50, 1), stats.norm(50, 1)]), stats.norm(0, 40),
        ref.mixture([0.5, 0.5], [ref.normal(-50, 1), ref.normal(50, 1)]), ref.normal(0, 40),
        ["-inf", -300, -100, -60, -53, -50, -47, -40, 0, 40, 47, 50, 53, 60, 100, 300, "inf"],
    ),
    "uniform-partial": (
        stats.uniform(0, 1), stats.uniform(0.3, 1), ref.uniform(0, 1), ref.uniform(0.3, 1),
        [0, 0.3, 1, 1.3],
    ),
    "uniform-disjoint": (
        stats.uniform(0, 1), stats.uniform(2, 1), ref.uniform(0, 1), ref.uniform(2, 1),
        [0, 1, 2, 3],
    ),
    "arcsine-vs-uniform": (
        stats.beta(0.5, 0.5), stats.uniform(0, 1), ref.arcsine(), ref.uniform(0, 1), [0, 0.5, 1],
    ),
    "laplace-vs-t3": (
        stats.laplace(0, 1), stats.t(3), ref.laplace(0, 1), ref.student_t(3),
        ["-inf", -1e4, -100, -10, -1, 0, 1, 10, 100, 1e4, "inf"],
    ),
}

FUNCS = {
    "kl": gt.kl,
    "jsd": gt.jsd,
    "optimal_value": gt.optimal_value,
    "cross_entropy": gt.cross_entropy,
}


def _support_contained(name: str) -> bool:
    return name not in {"uniform-partial", "uniform-disjoint"}


@pytest.mark.parametrize("func", sorted(FUNCS))
@pytest.mark.parametrize("case", sorted(HARD))
def test_hard_cases_against_mpmath(case: str, func: str) -> None:
    p, q, mp_p, mp_q, points = HARD[case]
    got = FUNCS[func](p, q, full_output=True)
    if func in ("kl", "cross_entropy") and not _support_contained(case):
        assert got.value == math.inf  # p has mass where q has none
        return
    want, want_err = ref.integrate(func, mp_p, mp_q, points)
    assert want_err < 1e-14, f"the mpmath reference itself did not converge ({want_err})"
    err = abs(got.value - float(want))
    assert err <= PROMISED_ATOL, f"{case} {func}: {got.value!r} vs {mp.nstr(want, 20)}"
    assert err <= got.abserr + BOUND_SLACK * max(1.0, abs(got.value)), (
        f"{case} {func}: actual error {err:.3g} exceeds the reported bound {got.abserr:.3g}"
    )


@pytest.mark.parametrize("case", sorted(HARD))
def test_entropy_against_mpmath(case: str) -> None:
    p, _, mp_p, _, points = HARD[case]
    got = gt.entropy(p, full_output=True)
    want, want_err = ref.integrate("entropy", mp_p, mp_p, points)
    assert want_err < 1e-14
    err = abs(got.value - float(want))
    assert err <= PROMISED_ATOL
    assert err <= got.abserr + BOUND_SLACK * max(1.0, abs(got.value))


def test_scipy_quad_misses_a_far_peak_but_gantheory_does_not() -> None:
    """The trap this module exists for: quad over (-inf, inf) returns ~0 for N(1e4, 1)."""
    p = stats.norm(1e4, 1)
    naive, _ = integrate.quad(p.pdf, -np.inf, np.inf)
    assert naive < 1e-3  # SciPy silently misses the whole unit of mass
    mass = integrate_pieces(lambda x, logs: math.exp(logs[0]), [as_continuous(p, "p")])
    assert abs(mass.value - 1.0) <= mass.abserr + 4 * np.finfo(float).eps


def test_tail_of_heavy_distribution_is_not_lost() -> None:
    """A Cauchy's mass beyond its 1e-9 quantile (at 3e8) must be counted: total mass is 1."""
    p = as_continuous(stats.cauchy(0, 1), "p")
    mass = integrate_pieces(lambda x, logs: math.exp(logs[0]), [p])
    assert abs(mass.value - 1.0) <= mass.abserr + 4 * np.finfo(float).eps
    assert abs(mass.value - 1.0) < 1e-13


def test_breakpoints_cover_every_peak_and_support_end() -> None:
    m = as_continuous(gt.Mixture([stats.norm(-1e3, 1e-2), stats.norm(1e3, 1e-2)]), "m")
    u = as_continuous(stats.uniform(5, 2), "u")
    pts = breakpoints([m, u], (-np.inf, np.inf))
    for peak in (-1e3, 1e3):
        assert np.min(np.abs(pts - peak)) < 1e-12
    assert 5.0 in pts and 7.0 in pts
    assert np.all(np.diff(pts) > 0)


def test_singular_upper_end_is_resolved_by_reflection() -> None:
    """Beta(2, 1/2) is infinite at 1; its entropy needs the density at 1 - t for t < 1e-16."""
    p = stats.beta(2, 0.5, loc=3, scale=2)  # support [3, 5], singular at 5
    got = gt.entropy(p, full_output=True)
    assert abs(got.value - float(p.entropy())) <= got.abserr + 1e-14


def test_unresolvable_singular_end_raises() -> None:
    """A density infinite at an upper support end of a family we cannot reflect: refuse.
    genextreme(2) is (1 - 2x)^(-1/2) exp(-(1 - 2x)^(1/2)) near its upper end 1/2: finite at the
    last float below it (18.4), so the infinity is seen from the growth towards the end."""
    p = stats.powerlaw(0.5)  # density infinite at its *lower* end 0: resolvable
    assert abs(gt.entropy(p) - float(p.entropy())) < 1e-12
    with pytest.raises(QuadratureError, match="reflection is not known"):
        gt.entropy(stats.genextreme(2.0))


@pytest.mark.parametrize(
    ("dist", "want"),
    [
        # rdist(1) on [-1, 1] is the arcsine law scaled by 2: h = log(pi / 4) + log 2
        (stats.rdist(1.0, 0.5, 3.0), math.log(math.pi / 2) + math.log(3.0)),
        # Gamma(1/2) = chi^2(1) / 2, infinite at 0; its entropy from SciPy's closed form
        (stats.gamma(0.5, 1e6, 1e-3), float(stats.gamma(0.5, scale=1e-3).entropy())),
        # weibull_max(1/2): infinite at its upper end, reflected to weibull_min(1/2)
        (stats.weibull_max(0.5, 2.0), float(stats.weibull_min(0.5).entropy())),
        # Pearson III of skew -3 is a reflected Gamma(4/9) of scale 3/2, infinite at its top
        (stats.pearson3(-3.0), float(stats.gamma(4 / 9, scale=1.5).entropy())),
        # powerlaw(1/2) = Beta(1/2, 1) and 1 - X ~ Beta(1, 1/2): both ends resolved
        (stats.powerlaw(0.5, -1.0, 2.0), float(stats.beta(0.5, 1.0, scale=2.0).entropy())),
    ],
    ids=["rdist", "gamma-far", "weibull_max", "pearson3", "powerlaw"],
)
def test_singular_ends_of_other_families_are_resolved(dist: object, want: float) -> None:
    """Singular ends that are not Beta ends: each is anchored and evaluated at a distance from
    the end through an exact form (a Beta for rdist, a Gamma for Pearson III, weibull_min for
    weibull_max); the reference is SciPy's closed-form entropy of the equivalent family."""
    got = gt.entropy(dist, full_output=True)
    assert abs(got.value - want) <= got.abserr + BOUND_SLACK * max(1.0, abs(want))


def test_unreachable_tolerance_raises() -> None:
    with pytest.raises(QuadratureError, match="error estimate"):
        gt.jsd(stats.norm(1e4, 1), stats.norm(1e4 + 1.5, 2), atol=1e-18, rtol=0.0)


def test_infinite_integrand_gives_infinite_value_not_nan() -> None:
    p = as_continuous(stats.norm(0, 1), "p")
    est = integrate_pieces(lambda x, logs: -math.inf, [p])
    assert est.value == -math.inf


def test_nan_integrand_raises_value_error() -> None:
    p = as_continuous(stats.norm(0, 1), "p")
    with pytest.raises(ValueError, match="NaN at x"):
        integrate_pieces(lambda x, logs: math.nan, [p])


def test_estimate_unpacks_as_value_and_error() -> None:
    value, abserr, *_ = gt.kl(stats.norm(0, 1), stats.norm(1, 1), full_output=True)
    assert abs(value - 0.5) <= abserr + 4 * np.finfo(float).eps


# --- slow: more hard cases against mpmath (CI runs them) -------------------------------------
MORE = {
    "t1.5-vs-cauchy-far": (
        stats.t(1.5), stats.cauchy(1e3, 5), ref.student_t(1.5), ref.cauchy(1e3, 5),
        ["-inf", -1e8, -1e4, -100, -10, 0, 10, 100, 900, 1e3, 1.1e3, 1e4, 1e8, "inf"],
    ),
    "mixture-with-uniform": (
        gt.Mixture([stats.uniform(-1, 2), stats.norm(40, 0.01)], [0.9, 0.1]), stats.norm(0, 20),
        ref.mixture([0.9, 0.1], [ref.uniform(-1, 2), ref.normal(40, 0.01)]), ref.normal(0, 20),
        ["-inf", -200, -60, -20, -1, 1, 20, 39.9, 39.97, 40, 40.03, 40.1, 60, 200, "inf"],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("func", ["jsd", "optimal_value", "kl"])
@pytest.mark.parametrize("case", sorted(MORE))
def test_more_hard_cases_against_mpmath(case: str, func: str) -> None:
    p, q, mp_p, mp_q, points = MORE[case]
    got = FUNCS[func](p, q, full_output=True)
    want, want_err = ref.integrate(func, mp_p, mp_q, points)
    assert want_err < 1e-14
    err = abs(got.value - float(want))
    assert err <= PROMISED_ATOL, f"{case} {func}: {got.value!r} vs {mp.nstr(want, 20)}"
    assert err <= got.abserr + float(want_err) + BOUND_SLACK * max(1.0, abs(got.value))


@pytest.mark.slow
@pytest.mark.parametrize("func", ["jsd", "optimal_value", "kl", "cross_entropy"])
@pytest.mark.parametrize(("a", "b"), [(0.3, 0.7), (0.5, 0.5), (0.2, 2.0)])
def test_strongly_singular_betas_against_substituted_mpmath(a: float, b: float, func: str) -> None:
    """Beta(a, b) against Beta(b, a): densities like x^(-0.8) at one or both ends. The reference
    integrates in x = u^10 and 1 - x = v^10, where the integrand is smooth (tanh-sinh at 30
    digits); plain breakpoints leave mpmath itself 2e-12 off here."""
    got = FUNCS[func](stats.beta(a, b), stats.beta(b, a), full_output=True)
    want, want_err = ref.integrate_unit_interval(func, ref.beta_xy(a, b), ref.beta_xy(b, a))
    assert want_err < 1e-20
    err = abs(got.value - float(want))
    assert err <= PROMISED_ATOL, f"{func}: {got.value!r} vs {mp.nstr(want, 20)}"
    assert err <= got.abserr + BOUND_SLACK * max(1.0, abs(got.value))


def test_kl_student_t_against_normal_finite_only_for_df_above_2() -> None:
    """KL(t_df || N(0,1)) is finite iff df > 2 (the normal's log-density is -x^2/2 and
    E x^2 = df/(df-2)); df = 3 against mpmath, df = 2 must be inf, not a large finite number."""
    got = gt.kl(stats.t(3), stats.norm(0, 1), full_output=True)
    want, want_err = ref.integrate(
        "kl", ref.student_t(3), ref.normal(0, 1), ["-inf", -1e6, -1e3, -10, 0, 10, 1e3, 1e6, "inf"]
    )
    assert want_err < 1e-14
    assert abs(got.value - float(want)) <= got.abserr + BOUND_SLACK
    assert gt.kl(stats.t(2), stats.norm(0, 1)) == math.inf


def test_singular_points_inside_the_other_support() -> None:
    """JSD(N(0,1), Beta(1/2,1/2)): the arcsine density is infinite at 0 and 1, inside the
    normal's support, and must be integrated from those points (reference: mpmath)."""
    got = gt.jsd(stats.norm(0, 1), stats.beta(0.5, 0.5), full_output=True)
    want, want_err = ref.integrate(
        "jsd", ref.normal(0, 1), ref.arcsine(), ["-inf", -10, -1, 0, 0.5, 1, 2, 10, "inf"]
    )
    assert want_err < 1e-14
    assert abs(got.value - float(want)) <= got.abserr + BOUND_SLACK


@pytest.mark.parametrize("func", ["jsd", "optimal_value", "kl"])
@pytest.mark.parametrize("mean", [1e-15, 0.5 - 1e-15], ids=["above-lower-end", "below-upper-end"])
def test_landmark_a_hair_from_a_singular_end(mean: float, func: str) -> None:
    """A landmark (the median of N(mean, 2)) 1e-15 from a singular end of Beta(1/2, 1/2) on
    [0, 1/2], with the next landmark 1.2e-8 away: QUADPACK's extrapolation took the singularity
    to sit at the piece's end and counted the JSD on [0, 1e-15] (about 1e-8) twice, with an error
    estimate of 3e-13 (found by the thorough Hypothesis profile as a C(G) != -log 4 + 2 JSD
    counterexample). Reference: mpmath, with the singular ends and the landmark as breakpoints."""
    p = gt.Mixture([stats.norm(2, 1), stats.norm(mean, 2)])
    q = stats.beta(0.5, 0.5, 0.0, 0.5)
    arcsine = ref.arcsine()
    mp_q = lambda x: 2 * arcsine(2 * x)  # noqa: E731
    mp_p = ref.mixture([0.5, 0.5], [ref.normal(2, 1), ref.normal(mean, 2)])
    args = (q, p) if func == "kl" else (p, q)  # KL(q || p) is finite, KL(p || q) is not
    mp_args = (mp_q, mp_p) if func == "kl" else (mp_p, mp_q)
    got = FUNCS[func](*args, full_output=True)
    points = ["-inf", -10, -1, 0, 1e-15, 1e-8, 1e-4, 0.25, 0.5 - 1e-4, 0.5 - 1e-8, 0.5 - 1e-15,
              0.5, 1, 3, 10, "inf"]
    want, want_err = ref.integrate(func, *mp_args, points)
    assert want_err < 1e-14
    assert abs(got.value - float(want)) <= got.abserr + BOUND_SLACK


def test_thin_piece_near_a_singular_end_is_measured_from_it() -> None:
    """Two Beta(1/2, b) components share the singular end -4.26; their 1e-4 quantiles, 8.8e-9
    and 1.0e-8 from it, bound a piece 1.2e-9 wide. Integrated in x, that piece's node-rounding
    floor (4 eps |x| / width times its value, 2.8e-10) exceeded the tolerance and KL(p || Cauchy)
    raised QuadratureError (found by the thorough profile); measured from the end it is
    accurate. Reference: mpmath with x = loc + u^2, which makes the t^(-1/2) ends smooth."""
    loc, b2 = -4.261619316751188, 1.1087409273769966
    p = gt.Mixture([stats.beta(0.5, 1.0, loc, 1.0), stats.beta(0.5, b2, loc, 1.0)])
    got = gt.kl(p, stats.t(1.0, 0.0, 0.25), full_output=True)

    def beta(t: mp.mpf, a: float, b: float) -> mp.mpf:
        return t ** (mp.mpf(a) - 1) * (1 - t) ** (mp.mpf(b) - 1) / mp.beta(a, b)

    def integrand(u: mp.mpf) -> mp.mpf:
        t = u * u
        pt = (beta(t, 0.5, 1.0) + beta(t, 0.5, b2)) / 2
        x = mp.mpf(loc) + t
        qt = 1 / (mp.pi * mp.mpf("0.25") * (1 + (x / mp.mpf("0.25")) ** 2))
        return pt * mp.log(pt / qt) * 2 * u

    with mp.workdps(30):
        want, want_err = mp.quad(integrand, [0, 1e-4, 0.01, 0.1, mp.sqrt(0.5), 0.9, 1],
                                 error=True)
    assert want_err < 1e-14
    assert abs(got.value - float(want)) <= got.abserr + BOUND_SLACK


@pytest.mark.parametrize("func", ["jsd", "optimal_value", "tv"])
def test_singular_end_an_ulp_above_another_landmark(func: str) -> None:
    """The median 0.25 of uniform(0, 0.5) lies one ulp below the singular upper end
    0.25000000000000006 of Beta(1/2, 1/2) on [0, 0.25000000000000006]. Deduplicating the two
    breakpoints kept 0.25, so the singularity sat one ulp past the last piece, unanchored, and
    TV and JSD raised QuadratureError (found by the thorough profile). Reference: mpmath."""
    hi = 0.25000000000000006
    p, q = stats.uniform(0.0, 0.5), stats.beta(0.5, 0.5, 0.0, hi)
    got = {"jsd": gt.jsd, "optimal_value": gt.optimal_value, "tv": gt.tv}[func](
        p, q, full_output=True
    )
    arcsine = ref.arcsine()
    mp_p = ref.uniform(0, 0.5)

    def mp_q(x: mp.mpf) -> mp.mpf:
        return arcsine(x / mp.mpf(hi)) / mp.mpf(hi)

    points = [0, 1e-8, 0.1, hi - 1e-8, hi, 0.5]
    if func == "tv":
        with mp.workdps(30):
            want, want_err = mp.quad(lambda x: abs(mp_p(x) - mp_q(x)) / 2, points, error=True)
    else:
        want, want_err = ref.integrate(func, mp_p, mp_q, points)
    assert want_err < 1e-14
    assert abs(got.value - float(want)) <= got.abserr + BOUND_SLACK


def test_an_unmet_accuracy_says_what_is_attainable_and_how_to_ask() -> None:
    """Two unit Gaussians at 1e6: node rounding alone (4 eps |x| / width) exceeds the default
    5e-11. The error says what can be reached; asking for it succeeds, within that bound of the
    closed form KL = 1/2."""
    p, q = stats.norm(1e6, 1.0), stats.norm(1e6 + 1.0, 1.0)
    with pytest.raises(QuadratureError, match=r"attainable: pass atol=[0-9.e-]+ to accept") as e:
        gt.kl(p, q)
    ask = e.value.attainable
    assert ask is not None and 5e-11 < ask < 1e-6
    assert f"atol={ask:.2g}" in str(e.value)
    est = gt.kl(p, q, atol=ask, full_output=True)
    assert abs(est.value - 0.5) <= est.abserr <= ask
