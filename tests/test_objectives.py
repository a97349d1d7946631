"""The objectives of gantheory.objectives: derived optima against the papers' closed forms, the
float64 optima against the derivation and mpmath, and the game functions with ``objective=``."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from scipy import special, stats

import gantheory as g
from gantheory.objectives import (
    GOODFELLOW,
    HINGE,
    OBJECTIVES,
    f_gan,
    get_objective,
    label_smoothing,
    least_squares,
)
from gantheory.symbolic import pointwise_maximiser
from gantheory.symbolic.pointwise import density_symbols, derive_pointwise
from tests import reference as ref

P, Q = density_symbols()
EPS = float(np.finfo(float).eps)

SMOOTH_CASES = [label_smoothing(alpha=0.1), label_smoothing(alpha=0.2, beta=0.1),
                label_smoothing(alpha=0.0, beta=0.3)]
ALL = [GOODFELLOW, *SMOOTH_CASES, least_squares(), least_squares(a=0.0, b=1.0, c=1.0), HINGE]


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    return sp.simplify(sp.expand_log(sp.expand(a - b), force=True)) == 0


# -- the derivation, against the papers' statements ----------------------------------------------
def test_goodfellow_derivation_matches_proposition_1_and_the_dedicated_derivation() -> None:
    r = GOODFELLOW.derive()
    assert r.shape == "smooth" and r.concave and r.boundary_optimal
    assert _same(r.maximiser, P / (P + Q))
    assert _same(r.value, P * sp.log(P / (P + Q)) + Q * sp.log(Q / (P + Q)))
    assert (r.at_equal, r.no_generator, r.no_data) == (sp.Rational(1, 2), 1, 0)
    # the dedicated derivation of GAN14-P1, another code path
    a, b = sp.symbols("a b", positive=True)
    assert _same(r.maximiser.subs({P: a, Q: b}), pointwise_maximiser().maximiser)


def test_label_smoothing_derivation_for_every_alpha_and_beta() -> None:
    r = label_smoothing().derive(general=True)
    s = label_smoothing().symbolic()
    alpha, beta = list(s.parameters)
    assert r.concave and r.boundary_optimal
    assert _same(r.maximiser, ((1 - alpha) * P + beta * Q) / (P + Q))
    assert r.no_generator == 1 - alpha and r.no_data == beta
    # the optimum is shifted, not only rescaled: D* depends on p_g's share unless beta = 0
    one_sided = r.maximiser.subs(beta, 0)
    assert _same(one_sided, (1 - alpha) * P / (P + Q))


@pytest.mark.parametrize("obj", [least_squares(), least_squares(a=0.0, b=1.0, c=1.0)])
def test_least_squares_derivation(obj) -> None:
    r = obj.derive(general=True)
    sa, sb, _ = obj.symbolic().parameters
    assert r.concave and r.boundary_optimal
    assert _same(r.maximiser, (sb * P + sa * Q) / (P + Q))
    assert _same(r.value, -(sb - sa) ** 2 * P * Q / (2 * (P + Q)))
    assert (r.no_generator, r.no_data) == (sb, sa)


def test_hinge_derivation_is_the_sign_and_minus_twice_the_smaller_density() -> None:
    r = HINGE.derive()
    assert r.shape == "piecewise linear" and r.concave and r.boundary_optimal
    for pv, qv, want in ((3, 1, 1), (1, 3, -1), (2, 2, 0)):
        assert r.maximiser.subs({P: pv, Q: qv}) == want
        assert r.value.subs({P: pv, Q: qv}) == -2 * min(pv, qv)


def test_the_unconstrained_linear_critic_has_no_maximiser() -> None:
    y = sp.Symbol("D", real=True)
    r = derive_pointwise(y, -y, y, sp.Interval(-sp.oo, sp.oo))
    assert r.maximiser is None and r.value == sp.oo


def test_a_wrong_derivation_is_caught() -> None:
    # a term whose stationary point lies outside the domain is refused, not returned
    y = sp.Symbol("D", real=True)
    with pytest.raises(RuntimeError, match="stationary point"):
        derive_pointwise(-(y - 2) ** 2, -(y - 3) ** 2, y, sp.Interval.open(0, 1))


# -- float64 against the derivation --------------------------------------------------------------
@pytest.mark.parametrize("obj", ALL, ids=lambda o: o.title)
def test_numeric_maximiser_and_optimum_match_the_derivation(obj) -> None:
    r = obj.derive(general=False)
    rng = np.random.default_rng(3)
    lp = np.concatenate([rng.uniform(-30, 3, 40), [-700.0, 0.0, -1e-3]])
    lq = np.concatenate([rng.uniform(-30, 3, 40), [0.0, -700.0, -1e-3]])
    dstar = obj.dstar(lp, lq)
    opt = obj.optimum(lp, lq)
    mp.mp.dps = 40
    # the derived expressions evaluated in mpmath at 40 digits (lambdified, not re-derived)
    d_ref = sp.lambdify((P, Q), r.maximiser, "mpmath")
    v_ref = sp.lambdify((P, Q), r.value, "mpmath")
    for i in range(lp.size):
        a, b = mp.exp(mp.mpf(float(lp[i]))), mp.exp(mp.mpf(float(lq[i])))
        want_d = mp.sign(a - b) if obj is HINGE else d_ref(a, b)
        want_v = -2 * min(a, b) if obj is HINGE else v_ref(a, b)
        # D*: a few ulps of its magnitude (a ratio of two logaddexp sums, or a sigmoid)
        assert abs(dstar[i] - want_d) <= 16 * EPS * max(1.0, abs(float(want_d)))
        # the optimum: a few ulps per unit of mass of each of its (up to four) log terms
        scale = float(a + b)
        assert abs(opt[i] - want_v) <= 64 * EPS * scale * max(1.0, abs(math.log(scale)) + 30)


@pytest.mark.parametrize("obj", ALL, ids=lambda o: o.title)
def test_both_densities_zero_gives_the_equilibrium_value(obj) -> None:
    r = obj.derive(general=False)
    d = obj.dstar(np.array([-np.inf]), np.array([-np.inf]))
    assert float(d[0]) == pytest.approx(float(r.at_equal), abs=4 * EPS)
    assert float(obj.optimum(np.array([-np.inf]), np.array([-np.inf]))[0]) == 0.0


# -- the game functions with objective= ----------------------------------------------------------
DISCRETE = ([0.2, 0.8, 0.0], [0.5, 0.25, 0.25])


@pytest.mark.parametrize("obj", ALL, ids=lambda o: o.title)
def test_discrete_optimal_value_is_the_exact_sum_and_dstar_attains_it(obj) -> None:
    p, q = DISCRETE
    r = obj.derive(general=False)
    mp.mp.dps = 40
    want = mp.mpf(0)
    for a, b in zip(p, q, strict=True):
        if a + b > 0:
            expr = r.value.subs({P: sp.nsimplify(a) if a else sp.Integer(0),
                                 Q: sp.nsimplify(b) if b else sp.Integer(0)})
            if a == 0 or b == 0:  # the limits of the boundary cases
                expr = sp.limit(r.value.subs(Q if b == 0 else P, sp.Symbol("e", positive=True)),
                                sp.Symbol("e", positive=True), 0, "+").subs(
                    P if b == 0 else Q, sp.nsimplify(a or b)) if obj is not HINGE else \
                    -2 * min(sp.nsimplify(a), sp.nsimplify(b))
            want += mp.mpf(sp.N(expr, 40))
    got = g.optimal_value(p, q, objective=obj, full_output=True)
    assert abs(got.value - want) <= got.abserr + 4 * EPS
    d = g.optimal_discriminator(p, q, objective=obj)
    v = g.value(p, q, d, objective=obj, full_output=True)
    assert abs(v.value - got.value) <= v.abserr + got.abserr


@pytest.mark.parametrize("obj", ALL, ids=lambda o: o.title)
def test_perturbed_discriminators_stay_below_the_optimum(obj) -> None:
    p, q = DISCRETE
    rng = np.random.default_rng(11)
    best = g.optimal_value(p, q, objective=obj, full_output=True)
    d = np.asarray(g.optimal_discriminator(p, q, objective=obj))
    for _ in range(20):
        noise = rng.normal(0, 0.3, 3)
        dd = special.expit(special.logit(np.clip(d, 1e-12, 1 - 1e-12)) + noise) if (
            obj.is_probability) else d + noise
        v = g.value(p, q, dd, objective=obj, full_output=True)
        assert v.value <= best.value + v.abserr + best.abserr


def _mp_gauss_optimum(f) -> mp.mpf:
    pd, qd = ref.normal(0.0, 1.0), ref.normal(1.0, 1.5)
    # split where the densities cross: tanh-sinh converges slowly across a kink (hinge's min)
    points = sorted([-mp.inf, -10, 0, 1, 10, mp.inf, *ref.crossings(pd, qd, -10, 10, 400)])
    return mp.quad(lambda x: f(pd(x), qd(x)), points)


def test_continuous_optimal_values_against_mpmath() -> None:
    """N(0, 1) against N(1, 1.5^2), the pair of the closing note: each optimum by quadrature
    against mpmath at 30 digits over an independent formula."""
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    mp.mp.dps = 30
    refs = {
        "least_squares": _mp_gauss_optimum(lambda a, b: -2 * a * b / (a + b)),
        "hinge": _mp_gauss_optimum(lambda a, b: -2 * min(a, b)),
        "smooth": _mp_gauss_optimum(
            lambda a, b: a * (0.9 * mp.log(0.9 * a / (a + b)) + mp.mpf("0.1")
                              * mp.log((0.1 * a + b) / (a + b)))
            + b * mp.log((0.1 * a + b) / (a + b))
        ),
    }
    objs = {"least_squares": least_squares(), "hinge": HINGE, "smooth": label_smoothing()}
    for key, obj in objs.items():
        est = g.optimal_value(p, q, objective=obj, full_output=True)
        assert abs(est.value - refs[key]) <= est.abserr + 4 * EPS, key
    # the hinge optimum is -2 (1 - TV), through the independent tv()
    tv = g.tv(p, q, full_output=True)
    est = g.optimal_value(p, q, objective="hinge", full_output=True)
    assert abs(est.value + 2 * (1 - tv.value)) <= est.abserr + 2 * tv.abserr + 4 * EPS


@pytest.mark.parametrize("obj", ALL, ids=lambda o: o.title)
def test_continuous_dstar_attains_the_optimum(obj) -> None:
    p, q = stats.norm(0, 1), stats.laplace(0.5, 1.0)
    best = g.optimal_value(p, q, objective=obj, full_output=True)
    d = g.optimal_discriminator(p, q, objective=obj)
    via_call = g.value(p, q, lambda x: d(x), objective=obj, full_output=True)
    assert abs(via_call.value - best.value) <= via_call.abserr + best.abserr + 8 * EPS


def test_default_objective_is_goodfellows() -> None:
    p, q = DISCRETE
    assert g.optimal_value(p, q) == g.optimal_value(p, q, objective="goodfellow")
    assert get_objective("goodfellow") is GOODFELLOW
    d = g.optimal_discriminator(p, q)
    assert g.value(p, q, d) == g.value(p, q, d, objective=GOODFELLOW)


# -- bad input -------------------------------------------------------------------------------------
def test_unknown_objective_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="'goodfellow', 'label_smoothing', 'least_squares'"):
        g.optimal_value(*DISCRETE, objective="wgan-gp")
    with pytest.raises(TypeError, match="`objective` must be an Objective or a name"):
        get_objective(3)


@pytest.mark.parametrize("alpha, beta", [(1.0, 0.0), (-0.1, 0.0), (0.1, 1.0), (math.nan, 0.0)])
def test_label_smoothing_outside_its_domain(alpha, beta) -> None:
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\)"):
        label_smoothing(alpha=alpha, beta=beta)


def test_label_smoothing_keeps_the_data_target_above_the_generated_one() -> None:
    with pytest.raises(ValueError, match=r"`alpha` \+ `beta` must be less than 1"):
        label_smoothing(alpha=0.5, beta=0.5)


def test_least_squares_needs_distinct_finite_targets() -> None:
    with pytest.raises(ValueError, match="`a` and `b` must differ"):
        least_squares(a=0.5, b=0.5)
    with pytest.raises(ValueError, match="`c` must be finite"):
        least_squares(c=math.inf)


def test_a_critic_is_not_given_as_logits_and_a_probability_stays_in_the_unit_interval() -> None:
    with pytest.raises(ValueError, match="needs a probability-valued objective"):
        g.value(*DISCRETE, [0.0, 0.0, 0.0], objective="hinge", logit=True)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        g.value(*DISCRETE, [0.5, 1.5, 0.5], objective=label_smoothing())


def test_registry_names() -> None:
    assert list(OBJECTIVES) == ["goodfellow", "label_smoothing", "least_squares", "hinge",
                               "wasserstein", "f_gan"]


# -- the losses of gantheory.nn and Algorithm 1 ------------------------------------------------
FGAN_NAMES = ["kl", "reverse_kl", "js", "gan", "pearson", "squared_hellinger", "total_variation"]
TRAINABLE = [*ALL, get_objective("wasserstein"), *(f_gan(n) for n in FGAN_NAMES)]


@pytest.mark.parametrize("obj", TRAINABLE, ids=lambda o: o.title)
def test_nn_losses_are_the_negated_minibatch_value_and_the_symbolic_generator_losses(obj) -> None:
    """Two code paths: the losses of gantheory.nn from raw outputs, against the objective's own
    float64 terms and the lambdified SymPy generator losses."""
    rng = np.random.default_rng(5)
    real, fake = rng.normal(0, 2, (7, 1)), rng.normal(0, 2, (5, 1))
    loss, d_real, d_fake = obj.discriminator_loss(real, fake)
    if obj.is_probability:
        u, _ = obj.terms(real, logit=True)
        _, w = obj.terms(fake, logit=True)
    else:  # the critic value of the raw output (f-GAN's activation g_f)
        u, _ = obj.terms(obj.activate(real))
        _, w = obj.terms(obj.activate(fake))
    want = -(u.mean() + w.mean())
    assert abs(loss - want) <= 8 * EPS * (abs(u).mean() + abs(w).mean() + 1)
    assert d_real.shape == real.shape and d_fake.shape == fake.shape
    s = obj.symbolic()
    for which, expr in s.generator_losses.items():
        f = sp.lambdify(s.variable, expr.subs(s.parameters), "mpmath")
        vals = [mp.mpf(float(v)) for v in fake.ravel()]
        if obj.is_probability:
            ds = [1 / (1 + mp.exp(-v)) for v in vals]
        else:
            ds = [mp.mpf(float(t)) for t in obj.activate(fake).ravel()]
        want_g = float(sum(f(d) for d in ds) / len(ds))
        got, grad = obj.generator_loss(fake, which)
        assert abs(got - want_g) <= 16 * EPS * max(1.0, abs(want_g)), which
        assert grad.shape == fake.shape


def test_ganconfig_takes_an_objective_and_its_losses() -> None:
    from gantheory.gan import GANConfig

    assert GANConfig().generator_loss == "nonsaturating"
    assert GANConfig(objective="least_squares").generator_loss == "least_squares"
    assert GANConfig(objective=label_smoothing(alpha=0.2)).objective == label_smoothing(alpha=0.2)
    with pytest.raises(ValueError, match="`loss` must be one of 'hinge' for the objective 'hinge'"):
        GANConfig(objective="hinge", loss="minimax")
    with pytest.raises(ValueError, match="`objective` must be an Objective or one of"):
        GANConfig(objective="chi2")
    with pytest.raises(ValueError, match="`clip`"):
        GANConfig(clip=-0.01)


@pytest.mark.parametrize("name", ["label_smoothing", "least_squares", "hinge", "wasserstein",
                                  "f_gan"])
def test_algorithm_1_trains_each_objective_reproducibly(name) -> None:
    from gantheory.gan import GAN, GANConfig, TrainedCritic, TrainedDiscriminator

    cfg = GANConfig(objective=name, steps=20, m=16, log_every=10,
                    clip=0.01 if name == "wasserstein" else None)
    runs = [GAN(stats.norm(1, 0.5), config=cfg, rng=np.random.default_rng(0)).train()
            for _ in range(2)]
    assert np.array_equal(runs[0].D.flat_params, runs[1].D.flat_params)
    assert np.isfinite(runs[0].history.loss_d[1:]).all()
    kind = TrainedDiscriminator if cfg.objective.is_probability else TrainedCritic
    assert type(runs[0].discriminator()) is kind
    if name == "wasserstein":
        assert np.abs(runs[0].D.flat_params).max() <= 0.01


def test_the_wasserstein_optimum_is_w1_over_1_lipschitz_critics() -> None:
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    r = get_objective("wasserstein").derive()
    assert r.maximiser is None and r.value == sp.oo  # unconstrained: no pointwise maximiser
    best = g.optimal_value(p, q, objective="wasserstein", full_output=True)
    f = g.optimal_discriminator(p, q, objective="wasserstein")
    v = g.value(p, q, f, objective="wasserstein", full_output=True)
    assert abs(v.value - best.value) <= v.abserr + best.abserr
    with pytest.raises(ValueError, match="no pointwise optimum"):
        get_objective("wasserstein").maximiser(np.zeros(1), np.zeros(1))


# -- f-GAN as an objective ---------------------------------------------------------------------
@pytest.mark.parametrize("name", FGAN_NAMES)
def test_f_gan_derivation_gives_the_optimal_critic_f_prime(name) -> None:
    """The stationary point of p T - q f*(T), derived here, against f'(p/q) differentiated in
    the f-GAN derivation (another derivation)."""
    from gantheory.symbolic.fgan import fgan_row

    r, row = f_gan(name).derive(), fgan_row(name)
    assert r.boundary_optimal
    want = row.critic.subs(row.u, P / Q)
    if name == "total_variation":  # linear on [-1/2, 1/2]: the endpoint the slope p - q picks
        for pv, qv in ((3, 1), (1, 3)):
            assert r.maximiser.subs({P: pv, Q: qv}) == want.subs({P: pv, Q: qv})
    else:
        assert r.concave and _same(r.maximiser, want)


@pytest.mark.parametrize("name", FGAN_NAMES)
def test_f_gan_value_at_the_critic_is_the_f_divergence(name) -> None:
    """V(G, T*) through the objective's terms (T* and the nn conjugate) equals the optimum (the
    f-divergence's integrand), discrete and continuous."""
    obj = f_gan(name)
    p, q = DISCRETE
    best = g.optimal_value(p, q, objective=obj, full_output=True)
    t = np.asarray(g.optimal_discriminator(p, q, objective=obj))
    v = g.value(p, q, t, objective=obj, full_output=True)
    assert v.value == best.value or abs(v.value - best.value) <= v.abserr + best.abserr
    # a pair on [0, 1] whose ratio p/q = (1 - x)/x stays representable: T* = f'(p/q) itself
    # overflows in Gaussian tails for reverse KL and Hellinger (and is refused there)
    pc, qc = stats.beta(2, 3), stats.beta(3, 2)
    best = g.optimal_value(pc, qc, objective=obj, full_output=True)
    d = g.optimal_discriminator(pc, qc, objective=obj)
    v = g.value(pc, qc, lambda x: d(x), objective=obj, full_output=True)
    assert abs(v.value - best.value) <= v.abserr + best.abserr + 8 * EPS


def test_f_gan_kl_is_the_closed_form_kl_of_gaussians() -> None:
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    est = g.optimal_value(p, q, objective=f_gan("kl"), full_output=True)
    want = math.log(1.5) + (1 + 1) / (2 * 1.5**2) - 0.5
    assert abs(est.value - want) <= est.abserr + 4 * EPS


def test_f_gan_bad_input() -> None:
    with pytest.raises(ValueError, match="`f` must be one of 'kl', 'reverse_kl'"):
        f_gan("chi2")
    obj = f_gan("reverse_kl")
    with pytest.raises(ValueError, match="overflows float64"):
        obj.maximiser(np.array([-800.0]), np.array([0.0]))
    # a critic outside the conjugate's domain: f* = +inf there, V = -inf, never NaN
    assert g.value([0.5, 0.5], [0.5, 0.5], [0.5, -1.0], objective=obj) == -math.inf
