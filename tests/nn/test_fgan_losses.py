"""Tests of gantheory.nn.fgan_losses: the conjugates against a numerical supremum of the
generators of gantheory.f_divergence, the closed-form compositions f*(g_f(v)) against
high-precision mpmath from the uncomposed formulas, loss values and gradients, the pointwise
optimum g_f(v*) = f'(p/q) by scipy.optimize with the minimum −D_f, gradient checks, extreme
outputs and bad input."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize_scalar

from gantheory import Discrete, f_divergence
from gantheory.fdivergence import F_DIVERGENCES
from gantheory.nn import (
    FGAN_DIVERGENCES,
    check_vjp,
    discriminator_loss,
    fgan_activation,
    fgan_conjugate,
    fgan_discriminator_loss,
    fgan_generator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)

EPS = np.finfo(float).eps
#: Each closed form is a handful of correctly rounded operations (exp, expm1, log1p,
#: logaddexp, tanh, expit) on an exact input: a few ulps. 1e-14 relative is ~45 ulps.
VALUE_RTOL = 1e-14
#: Values of order 1 that pass through zero (e.g. f*(g_f(v)) near its root) are compared with
#: an absolute floor of a few ulps of 1.
VALUE_ATOL = 4 * EPS
#: Raw outputs probing both tails, the centre and the overflow range of exp (|v| > 709).
OUTPUTS = [-1e4, -800.0, -40.0, -3.0, -0.5, -1e-9, 0.0, 1e-9, 0.25, 2.0, 37.0, 710.0, 1e4]
#: Where each side of each loss is a float64 number: g_f(v) for ``"reverse_kl"`` and
#: ``"squared_hellinger"`` holds e^{−v} (finite for v ≥ −709.78), f*(g_f(v)) holds e^{v−1} for
#: ``"kl"`` and e^v for ``"squared_hellinger"``.
REAL_OK = {"reverse_kl": lambda v: v >= -709.0, "squared_hellinger": lambda v: v >= -709.0}
FAKE_OK = {"kl": lambda v: v <= 710.0, "squared_hellinger": lambda v: v <= 709.0}
#: Brent's method locates a smooth minimum to ~sqrt(eps) ≈ 1.5e-8 relative (the function is
#: flat to second order there); 1e-6 leaves a margin while a wrong activation, conjugate or
#: normalisation (e.g. the paper's 2·JSD row) moves T* by 1e-2 or more.
ARGMIN_RTOL = 1e-6
#: (p, q) weights at which the pointwise optimum is checked.
WEIGHTS = [(0.3, 0.7), (0.9, 0.1), (2.0, 0.5), (1.0, 1.0), (0.05, 1.7)]


def real_ok(f: str, v: float) -> bool:
    return REAL_OK.get(f, lambda _: True)(v)


def fake_ok(f: str, v: float) -> bool:
    return FAKE_OK.get(f, lambda _: True)(v)


# --- independent high-precision references, from the paper's uncomposed formulas --------------


def mp_g(f: str, v: mpmath.mpf) -> mpmath.mpf:
    """g_f(v), Nowozin et al. 2016, Table 2 (JS halved to match D_f = JSD)."""
    if f in ("kl", "pearson"):
        return v
    if f == "reverse_kl":
        return -mpmath.exp(-v)
    if f == "squared_hellinger":
        return 1 - mpmath.exp(-v)
    if f == "js":
        return (mpmath.log(2) - mpmath.log(1 + mpmath.exp(-v))) / 2
    if f == "gan":
        return -mpmath.log(1 + mpmath.exp(-v))
    return mpmath.tanh(v) / 2  # total_variation


def mp_conjugate(f: str, t: mpmath.mpf) -> mpmath.mpf:
    """f*(t), Table 2 (JS: −½ log(2 − e^{2t}), the conjugate of the halved generator)."""
    if f == "kl":
        return mpmath.exp(t - 1)
    if f == "reverse_kl":
        return -1 - mpmath.log(-t)
    if f == "pearson":
        return t**2 / 4 + t
    if f == "squared_hellinger":
        return t / (1 - t)
    if f == "js":
        return -mpmath.log(2 - mpmath.exp(2 * t)) / 2
    if f == "gan":
        return -mpmath.log(1 - mpmath.exp(t))
    return t  # total_variation


def mp_conjugate_prime(f: str, t: mpmath.mpf) -> mpmath.mpf:
    if f == "kl":
        return mpmath.exp(t - 1)
    if f == "reverse_kl":
        return -1 / t
    if f == "pearson":
        return t / 2 + 1
    if f == "squared_hellinger":
        return 1 / (1 - t) ** 2
    if f == "js":
        return mpmath.exp(2 * t) / (2 - mpmath.exp(2 * t))
    if f == "gan":
        return mpmath.exp(t) / (1 - mpmath.exp(t))
    return mpmath.mpf(1)


def mp_g_prime(f: str, v: mpmath.mpf) -> mpmath.mpf:
    if f in ("kl", "pearson"):
        return mpmath.mpf(1)
    if f in ("reverse_kl", "squared_hellinger"):
        return mpmath.exp(-v)
    if f == "js":
        return 1 / (2 * (1 + mpmath.exp(v)))
    if f == "gan":
        return 1 / (1 + mpmath.exp(v))
    return mpmath.sech(v) ** 2 / 2


def ref_dps(v: float) -> int:
    """Working precision of the references: for large v, g_f(v) sits ~e^{−|v|} from the
    boundary of dom f* (e.g. 2 − e^{2t} ≈ 2e^{−v} for JS), which 0.4343·|v| digits resolve; 50
    more digits for the result (4410 at |v| = 10⁴)."""
    return 60 + int(0.44 * abs(v))


def reference(f: str, v: float) -> tuple[float, float, float, float]:
    """(g, g', f*∘g, (f*∘g)') at v, composed in ref_dps(v) digits."""
    with mpmath.workdps(ref_dps(v)):
        x = mpmath.mpf(v)
        t = mp_g(f, x)
        return (
            float(t),
            float(mp_g_prime(f, x)),
            float(mp_conjugate(f, t)),
            float(mp_conjugate_prime(f, t) * mp_g_prime(f, x)),  # chain rule
        )


REFS = {
    (f, v): reference(f, v)
    for f in FGAN_DIVERGENCES
    for v in OUTPUTS
    if real_ok(f, v) or fake_ok(f, v)
}


def f_prime(f: str, u: float) -> float:
    """f'(u) of the generators of gantheory.f_divergence, differentiated by hand."""
    return {
        "kl": lambda: 1 + np.log(u),
        "reverse_kl": lambda: -1 / u,
        "pearson": lambda: 2 * (u - 1),
        "squared_hellinger": lambda: 1 - 1 / np.sqrt(u),
        "js": lambda: 0.5 * np.log(2 * u / (1 + u)),
        "gan": lambda: np.log(u / (1 + u)),
        "total_variation": lambda: 0.5 * np.sign(u - 1),
    }[f]()


# --- conjugates and activations ----------------------------------------------------------------


@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_conjugate_is_the_supremum_for_the_f_of_f_divergence(f: str) -> None:
    # f*(t) = sup_u tu − f(u), over u = e^s, by bounded Brent to xatol = 1e-10 in s. At a
    # smooth maximum the value error is second order in the location error (negligible) plus
    # the rounding of tu − f(u), a few ulps of |tu| + |f(u)| ≤ ~10: atol 1e-13. For total
    # variation the supremum sits at the kink u = 1, where the error is first order,
    # |t ± ½|·|Δs| ≤ 1e-10.
    gen = F_DIVERGENCES[f].f
    atol = 1e-10 if f == "total_variation" else 1e-13
    for v in (-2.0, -0.3, 0.4, 1.7):
        t = float(fgan_activation([v], f=f)[0])
        res = minimize_scalar(
            lambda s, t=t: -(t * np.exp(s) - float(gen(np.array([np.exp(s)]))[0])),
            bounds=(-30.0, 30.0),
            method="bounded",
            options={"xatol": 1e-10},
        )
        assert_allclose(fgan_conjugate([t], f=f)[0], -res.fun, rtol=0, atol=atol)


def test_js_is_half_the_papers_row_which_belongs_to_twice_the_jsd() -> None:
    # Nowozin et al.'s Table 2 JS row: g = log 2 − ζ(−v), f*(t) = −log(2 − e^t). Its saddle
    # objective at the optimum gives 2·JSD; gantheory's "js" row gives JSD itself.
    p = np.array([0.5, 0.3, 0.2, 0.0])
    q = np.array([0.1, 0.2, 0.3, 0.4])
    mask = (p > 0) & (q > 0)
    v_star = np.log(p[mask] / q[mask])  # both rows: σ(v*) = p / (p + q)
    t_paper = np.log(2) - np.logaddexp(0, -v_star)
    bound_paper = np.sum(p[mask] * t_paper + q[mask] * np.log(2 - np.exp(t_paper)))
    bound_paper += q[~mask].sum() * np.log(2)  # p = 0: T* → −∞, −q f*(T*) → −q·(−log 2)
    jsd = f_divergence(Discrete(p), Discrete(q), "js")
    assert_allclose(bound_paper, 2 * jsd, rtol=1e-13)
    t = fgan_activation(v_star, f="js")
    bound = (
        np.sum(p[mask] * t - q[mask] * fgan_conjugate(t, f="js")) + q[~mask].sum() * np.log(2) / 2
    )
    assert_allclose(bound, jsd, rtol=1e-13)


@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_activation_range_lies_in_the_conjugates_domain(f: str) -> None:
    v = np.linspace(-20.0, 20.0, 401)
    t = fgan_activation(v, f=f)
    fgan_conjugate(t, f=f)  # raises if any t is outside dom f*
    # g_f is increasing (a larger v means "more like data"); ½ tanh v saturates in float64
    # beyond |v| ≈ 19, so strictly only on [−5, 5]
    assert np.all(np.diff(t) >= 0)
    assert np.all(np.diff(t[np.abs(v) <= 5]) > 0)


@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_closed_form_composition_equals_conjugate_of_activation(f: str) -> None:
    # The naive composition rounds g_f(v) first; near the boundary of dom f* its condition
    # number grows like e^{|v|} (1 − t ≈ e^{−v} for squared Hellinger, 2 − e^{2t} ≈ 2e^{−v} for
    # JS), so on |v| ≤ 5 the two agree to ~e^5·eps ≈ 3e-14 relative: rtol 1e-12. The accuracy
    # of the closed form itself, far beyond, is checked against mpmath below.
    for vi in np.linspace(-5.0, 5.0, 41):
        h = -fgan_generator_loss([vi], f=f)[0]
        naive = fgan_conjugate(fgan_activation([vi], f=f), f=f)[0]
        assert_allclose(h, naive, rtol=1e-12, atol=1e-14)


def test_composition_must_be_closed_form_at_extreme_outputs() -> None:
    # At v = 10⁴, g_f(v) rounds onto the boundary of dom f* (−ζ(−10⁴) = −0.0 for "gan"), where
    # f* is infinite: composing the two numerically fails, the closed form ζ(10⁴) = 10⁴ is exact.
    with pytest.raises(ValueError, match=r"domain of the conjugate of 'gan', t < 0 \(got -0.0\)"):
        fgan_conjugate(fgan_activation([1e4], f="gan"), f="gan")
    assert fgan_generator_loss([1e4], f="gan")[0] == -1e4


# --- values and gradients against the references ------------------------------------------------


@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_activation_and_losses_match_high_precision_reference(f: str) -> None:
    real = np.array([v for v in OUTPUTS if real_ok(f, v)])
    fake = np.array([v for v in OUTPUTS if fake_ok(f, v)])
    ref_real = np.array([REFS[f, v] for v in real])
    ref_fake = np.array([REFS[f, v] for v in fake])
    # elementwise, relative only (atol = 0): every closed form is accurate to a few ulps even
    # where it passes through 0 (v = ±1e-9: no cancellation of log 2 − ζ(−v) or 1 − e^{−v})
    assert_allclose(fgan_activation(real, f=f), ref_real[:, 0], rtol=VALUE_RTOL, atol=0)
    for v, (_, _, h, dh) in zip(fake, ref_fake, strict=True):
        loss_1, grad_1 = fgan_generator_loss([v], f=f)  # −f*(g_f(v)) and its derivative
        assert_allclose(-loss_1, h, rtol=VALUE_RTOL, atol=0)
        assert_allclose(-grad_1[0], dh, rtol=VALUE_RTOL, atol=0)
    loss, d_real, d_fake = fgan_discriminator_loss(real, fake, f=f)
    m, k = real.size, fake.size
    # −mean g + mean f*∘g: compared with a tolerance on the larger of the two means' scales
    scale = np.abs(ref_real[:, 0]).mean() + np.abs(ref_fake[:, 2]).mean()
    expected = -ref_real[:, 0].mean() + ref_fake[:, 2].mean()
    assert_allclose(loss, expected, rtol=0, atol=VALUE_RTOL * scale + VALUE_ATOL)
    assert_allclose(d_real, -ref_real[:, 1] / m, rtol=VALUE_RTOL, atol=VALUE_ATOL / m)
    assert_allclose(d_fake, ref_fake[:, 3] / k, rtol=VALUE_RTOL, atol=VALUE_ATOL / k)
    loss_g, d_g = fgan_generator_loss(fake, f=f)
    assert_allclose(loss_g, -ref_fake[:, 2].mean(), rtol=VALUE_RTOL, atol=VALUE_ATOL)
    assert_allclose(d_g, -ref_fake[:, 3] / k, rtol=VALUE_RTOL, atol=VALUE_ATOL / k)
    loss_a, d_a = fgan_generator_loss(real, f=f, variant="alternative")
    assert_allclose(loss_a, -ref_real[:, 0].mean(), rtol=VALUE_RTOL, atol=VALUE_ATOL)
    assert_allclose(d_a, -ref_real[:, 1] / m, rtol=VALUE_RTOL, atol=VALUE_ATOL / m)


def test_the_gan_row_is_goodfellow_et_als_losses() -> None:
    rng = np.random.default_rng(70)
    real, fake = 5 * rng.standard_normal(6), 5 * rng.standard_normal(4)
    for mine, theirs in [
        (fgan_discriminator_loss(real, fake, f="gan"), discriminator_loss(real, fake)),
        (fgan_generator_loss(fake, f="gan"), minimax_generator_loss(fake)),
        (
            fgan_generator_loss(fake, f="gan", variant="alternative"),
            nonsaturating_generator_loss(fake),
        ),
    ]:
        assert_allclose(mine[0], theirs[0], rtol=1e-15)
        for a, b in zip(mine[1:], theirs[1:], strict=True):
            assert_allclose(a, b, rtol=1e-15)


# --- the pointwise optimum --------------------------------------------------------------------


def pointwise(f: str, p: float, q: float):  # type: ignore[no-untyped-def]
    """p·(−g_f(v)) + q·f*(g_f(v)) + constant, from the batch loss (separable in real, fake)."""

    def phi(v: float) -> float:
        return (
            p * fgan_discriminator_loss([v], [0.0], f=f)[0]
            + q * fgan_discriminator_loss([0.0], [v], f=f)[0]
        )

    return phi


def test_hand_derivatives_are_those_of_the_f_divergence_generators() -> None:
    # f'(u) above against central differences of gantheory.f_divergence's own f, h = 1e-6:
    # truncation ~h²|f'''| ≲ 1e-11, rounding ~eps|f|/h ≲ 1e-9.
    for f in FGAN_DIVERGENCES:
        gen = F_DIVERGENCES[f].f
        for u in (0.2, 0.7, 1.6, 4.0):
            fd = (gen(np.array([u + 1e-6]))[0] - gen(np.array([u - 1e-6]))[0]) / 2e-6
            assert_allclose(f_prime(f, u), fd, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("f", [f for f in FGAN_DIVERGENCES if f != "total_variation"])
@pytest.mark.parametrize(("p", "q"), WEIGHTS)
def test_pointwise_optimum_is_f_prime_of_the_ratio(f: str, p: float, q: float) -> None:
    phi = pointwise(f, p, q)
    res = minimize_scalar(phi, bracket=(-1.0, 1.0), tol=1e-12)
    assert res.success
    t_star = f_prime(f, p / q)  # Nowozin et al. 2016, Section 2.2: T* = f'(p/q)
    assert_allclose(fgan_activation([res.x], f=f)[0], t_star, rtol=ARGMIN_RTOL, atol=ARGMIN_RTOL)


def test_total_variation_optimum_is_approached_at_infinity() -> None:
    # ½(q − p) tanh v is monotone: the infimum −½|p − q| is approached as v → sign(p − q)·∞,
    # where g_f(v) → ½ sign(p − q) = f'(p/q); no finite minimiser exists.
    for p, q in [(0.3, 0.7), (0.9, 0.1)]:
        phi = pointwise("total_variation", p, q)
        s = np.sign(p - q)
        values = [phi(s * v) for v in (0.0, 1.0, 5.0, 40.0)]
        assert np.all(np.diff(values) < 0)
        # phi(v) = ½(q − p) tanh v exactly (the constant p h(0) − q g(0) is 0), and tanh(40)
        # rounds to 1
        assert_allclose(values[-1], -0.5 * abs(p - q), rtol=1e-15)
        assert fgan_activation([s * 40.0], f="total_variation")[0] == f_prime(
            "total_variation", p / q
        )


@pytest.mark.parametrize("f", [f for f in FGAN_DIVERGENCES if f != "total_variation"])
def test_minimum_discriminator_loss_is_minus_the_divergence(f: str) -> None:
    # Σ_x min_v [−p(x) g_f(v) + q(x) f*(g_f(v))] = −D_f(P‖Q), the variational bound made
    # tight (Nowozin et al. 2016, Section 2.2), on a discrete pair with full supports. Brent's
    # minimum value errs by the square of its location error (~1e-8)², so rounding of the terms
    # dominates: rtol 1e-12.
    p = np.array([0.1, 0.25, 0.4, 0.05, 0.2])
    q = np.array([0.3, 0.1, 0.2, 0.25, 0.15])
    g0 = -fgan_generator_loss([0.0], f=f, variant="alternative")[0]  # g_f(0)
    h0 = -fgan_generator_loss([0.0], f=f)[0]  # f*(g_f(0))
    total = 0.0
    for pi, qi in zip(p, q, strict=True):
        res = minimize_scalar(pointwise(f, pi, qi), bracket=(-1.0, 1.0), tol=1e-12)
        # phi(v) = p(−g(v)) + q h(v) + [p h(0) − q g(0)]: remove the constant
        total += res.fun - pi * h0 + qi * g0
    assert_allclose(total, -f_divergence(Discrete(p), Discrete(q), f), rtol=1e-12, atol=1e-14)


# --- gradient checks ---------------------------------------------------------------------------


@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_discriminator_loss_gradcheck(f: str) -> None:
    rng = np.random.default_rng(71)
    u0 = 2 * rng.standard_normal((9, 1))

    def value(u: np.ndarray) -> float:
        return fgan_discriminator_loss(u[:5], u[5:], f=f)[0]

    def vjp(c: np.ndarray) -> np.ndarray:
        _, d_real, d_fake = fgan_discriminator_loss(u0[:5], u0[5:], f=f)
        return c * np.concatenate([d_real, d_fake])

    result = check_vjp(value, vjp, u0, rng=rng)
    assert result.passed, result


@pytest.mark.parametrize("variant", ["saddle", "alternative"])
@pytest.mark.parametrize("f", FGAN_DIVERGENCES)
def test_generator_loss_gradcheck(f: str, variant: str) -> None:
    rng = np.random.default_rng(72)
    u0 = 2 * rng.standard_normal((6, 1))
    result = check_vjp(
        lambda u: fgan_generator_loss(u, f=f, variant=variant)[0],
        lambda c: c * fgan_generator_loss(u0, f=f, variant=variant)[1],
        u0,
        rng=rng,
    )
    assert result.passed, result


# --- bad input ---------------------------------------------------------------------------------

VALID = r"'kl', 'reverse_kl', 'pearson', 'squared_hellinger', 'js', 'gan', 'total_variation'"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: fgan_discriminator_loss([0.0], [0.0], f="chi2"),
            rf"`f` must be one of {VALID} \(got 'chi2'\)",
        ),
        (lambda: fgan_activation([0.0], f=None), rf"`f` must be one of {VALID} \(got None\)"),
        (
            lambda: fgan_generator_loss([0.0], f="kl", variant="nonsaturating"),
            r"`variant` must be one of 'saddle', 'alternative' \(got 'nonsaturating'\)",
        ),
        (
            lambda: fgan_conjugate([-1.0, 0.5], f="reverse_kl"),
            r"`t` must lie in the domain of the conjugate of 'reverse_kl', t < 0 \(got 0.5\)",
        ),
        (
            lambda: fgan_conjugate([0.6], f="total_variation"),
            r"domain of the conjugate of 'total_variation', \|t\| <= 1/2 \(got 0.6\)",
        ),
        (
            lambda: fgan_conjugate([0.35], f="js"),
            r"domain of the conjugate of 'js', t < log\(2\)/2 \(got 0.35\)",
        ),
        (
            lambda: fgan_conjugate([1e3], f="kl"),
            r"the conjugate of 'kl' is not a finite float64 at `t` = 1000.0",
        ),
        (
            lambda: fgan_discriminator_loss([0.0], [1e4], f="kl"),
            r"the 'kl' f-GAN discriminator loss overflows float64 at `fake_outputs` = 10000.0",
        ),
        (
            lambda: fgan_discriminator_loss([-1e4], [0.0], f="reverse_kl"),
            r"overflows float64 at `real_outputs` = -10000.0",
        ),
        (
            lambda: fgan_generator_loss([1e4], f="squared_hellinger"),
            r"the 'squared_hellinger' f-GAN generator loss overflows float64 at `fake_outputs`",
        ),
        (
            lambda: fgan_activation([-800.0], f="reverse_kl"),
            r"the 'reverse_kl' activation overflows float64 at `outputs` = -800.0",
        ),
        (
            lambda: fgan_discriminator_loss([np.nan], [0.0], f="gan"),
            r"`real_outputs` must be finite \(got 1 non-finite value\(s\), first nan\)",
        ),
        (
            lambda: fgan_generator_loss([], f="js"),
            r"`fake_outputs` must not be empty \(got shape \(0,\)\)",
        ),
        (lambda: fgan_conjugate([np.inf], f="pearson"), r"`t` must be finite"),
    ],
)
def test_bad_input_is_refused(call, match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        call()
