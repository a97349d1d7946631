r"""Symbolic checks of the claims in :mod:`gantheory.claims`.

Two kinds of check per derivation of :mod:`gantheory.symbolic`:

* **exact** — the *derived* SymPy result is compared with the textbook statement of the claim,
  written out independently here; each identity must simplify to exactly 0 (residual = the
  number of identities that do not, tolerance 0);
* **lambdified** — the derived expression, turned into a NumPy function with
  :func:`sympy.lambdify`, is compared with gantheory's numerical code (exact sums or
  quadrature) at several parameter values; the tolerance of each case is the rounding bound or
  quadrature error estimate the numerical code reports (``full_output=True``) plus a few
  machine epsilons for evaluating the lambdified expression.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy as sp
from scipy import stats

from gantheory import symbolic as sym
from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check

_EPS = float(np.finfo(np.float64).eps)
_EXACT_REASON = "exact identities: each difference must simplify to 0 (residual = failures)"
#: A lambdified closed-form expression of a few dozen float64 operations on O(1) inputs is
#: within a few ulps of its value; 16 eps * (1 + |value|) leaves a factor of ~4 to spare.
_LAMBDIFY_ULPS = 16
_SUM_REASON = (
    "the numerical code's own rounding bound (n eps sum|terms|, full_output=True) plus "
    f"{_LAMBDIFY_ULPS} eps (1 + |value|) for evaluating the lambdified expression"
)
_QUAD_REASON = (
    "QUADPACK's error estimate reported by the numerical code (full_output=True) plus "
    f"{_LAMBDIFY_ULPS} eps (1 + |value|) for evaluating the lambdified expression"
)

#: Strictly positive distributions on 3 points (the symbolic results assume p, q > 0).
_POSITIVE_3: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...] = (
    ((0.2, 0.3, 0.5), (0.1, 0.6, 0.3)),
    ((1 / 3, 1 / 3, 1 / 3), (0.7, 0.2, 0.1)),
    ((0.98, 0.01, 0.01), (0.01, 0.01, 0.98)),
    ((1e-9, 0.5, 0.5 - 1e-9), (0.25, 0.25, 0.5)),
    ((0.4, 0.35, 0.25), (0.4, 0.35, 0.25)),
)
#: Gaussian parameters (mu1, mu2, sigma1, sigma2).
_GAUSS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 1.0, 1.0, 2.0),
    (-2.0, 3.0, 0.5, 0.5),
    (1.5, 1.5, 3.0, 0.7),
    (0.0, 0.0, 1.0, 1.0),
    (10.0, -4.0, 2.5, 6.0),
)


def _zero(expr: object) -> bool:
    """Whether ``expr`` is exactly 0 after simplification (logs of positive symbols expanded)."""
    expr = sp.sympify(expr)
    if sp.simplify(expr) == 0:
        return True
    return bool(sp.simplify(sp.expand_log(sp.expand(expr), force=True)) == 0)


def _exact(identities: dict[str, bool], what: str) -> CheckResult:
    failed = [name for name, ok in identities.items() if not ok]
    detail = f"{what}: {len(identities) - len(failed)}/{len(identities)} identities exact"
    if failed:
        detail += "; NOT exact: " + "; ".join(failed)
    return CheckResult(
        residual=float(len(failed)), tolerance=0.0, cases=len(identities), detail=detail,
        tolerance_reason=_EXACT_REASON,
    )


def _lambdify(args: tuple[sp.Symbol, ...], expr: sp.Expr) -> Callable[..., float]:
    return sp.lambdify(args, expr, "numpy")


def _slack(value: float) -> float:
    return _LAMBDIFY_ULPS * _EPS * (1.0 + abs(value))


def _compare(w: Worst, label: str, derived: object, est: object, extra: float = 0.0) -> None:
    """Record ``|derived - est.value|`` against ``est.abserr`` + lambdify slack + ``extra``."""
    derived = float(derived)
    w.add(abs(derived - est.value), est.abserr + _slack(derived) + extra, label)


def _jsd_definition(p: tuple[sp.Expr, ...], q: tuple[sp.Expr, ...]) -> sp.Expr:
    r"""JSD from its definition, :math:`\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)` (Lin 1991)."""
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]
    kl_pm = sum(a * sp.log(a / c) for a, c in zip(p, m, strict=True))
    kl_qm = sum(b * sp.log(b / c) for b, c in zip(q, m, strict=True))
    return (kl_pm + kl_qm) / 2


# --- GAN14-P1 ----------------------------------------------------------------------------------
@check("GAN14-P1", "symbolic", name="D* derived by solving f'(y) = 0")
def pointwise_maximiser_exact() -> CheckResult:
    """SymPy solves f'(y) = 0 for f = a log y + b log(1-y): y* = a/(a+b), f'' < 0, endpoint cases.

    Also: the stationary point lies in (0, 1); a = 0 < b puts the maximum at y = 0 and
    b = 0 < a at y = 1 (sign of f' on (0, 1), limit at the endpoint); a = b = 0 is rejected.
    """
    r = sym.pointwise_maximiser()
    a, b, y = r.a, r.b, r.y
    ids = {
        "argmax = a/(a+b)": _zero(r.maximiser - a / (a + b)),
        "f'(y*) = 0": _zero(r.first_derivative.subs(y, r.maximiser)),
        "f'' < 0 on (0, 1)": r.concave is True,
        "0 < y* < 1": bool(r.maximiser.is_positive and sp.simplify(1 - r.maximiser).is_positive),
        "max f = a log a + b log b - (a+b) log(a+b)": _zero(
            r.maximum - (a * sp.log(a) + b * sp.log(b) - (a + b) * sp.log(a + b))
        ),
        "a=2, b=3: y* = 2/5": sym.pointwise_maximiser(a=2, b=3).maximiser == sp.Rational(2, 5),
    }
    for a_val, b_val, end in ((0, None, 0), (0, 3, 0), (None, 0, 1), (5, 0, 1)):
        rb = sym.pointwise_maximiser(a=a_val, b=b_val)
        ids[f"a={a_val}, b={b_val}: maximum at y = {end}, sup f = 0"] = (
            rb.maximiser == end and rb.maximum == 0 and not rb.interior
        )
    try:
        sym.pointwise_maximiser(a=0, b=0)
        ids["a = b = 0 is undefined (ValueError)"] = False
    except ValueError:
        ids["a = b = 0 is undefined (ValueError)"] = True
    return _exact(ids, "pointwise maximiser of a log y + b log(1 - y)")


@check("GAN14-P1", "symbolic", name="derived D* = gantheory.optimal_discriminator")
def pointwise_maximiser_lambdified() -> CheckResult:
    """The derived a/(a+b), lambdified, equals optimal_discriminator on every discrete case.

    Points where both probabilities vanish are skipped: there the derivation shows D* is
    undefined (gantheory returns 1/2 by convention). Points with one zero are the boundary
    cases (D* = 0 or 1).
    """
    from gantheory.cases import DISCRETE_CASES
    from gantheory.game import optimal_discriminator

    r = sym.pointwise_maximiser()
    f = _lambdify((r.a, r.b), r.maximiser)
    w, cases = Worst(), 0
    for name, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs, dtype=float), np.asarray(q.probs, dtype=float)
        keep = (pv + qv) > 0
        with np.errstate(invalid="ignore"):
            derived = f(pv[keep], qv[keep])
        numeric = optimal_discriminator(p, q)[keep]
        # a/(a+b) is two roundings on each side: within 2 ulps of D* <= 1 each.
        w.add(float(np.max(np.abs(derived - numeric))), 4 * _EPS, name)
        cases += int(keep.sum())
    return w.result(cases, "max |a/(a+b) - optimal_discriminator|", "two roundings per side, "
                    "D* <= 1: 4 eps")


# --- GAN14-T1 ----------------------------------------------------------------------------------
@check("GAN14-T1", "symbolic", name="integrand identity around the mixture")
def integrand_identity_exact() -> CheckResult:
    """p log D* + q log(1 - D*) = -(p+q) log 2 + p log(p/m) + q log(q/m), m = (p+q)/2, exactly.

    The constant is -(p+q) log 2 pointwise: the often-quoted "-log 4 + ..." form of the
    integrand is off by exactly (2 - p - q) log 2 and holds only after integrating.
    """
    r = sym.integrand_identity()
    p, q = r.p, r.q
    m = (p + q) / 2
    textbook = p * sp.log(p / m) + q * sp.log(q / m)
    ids = {
        "D* = p/(p+q)": _zero(r.discriminator - p / (p + q)),
        "integrand = -(p+q) log 2 + p log(p/m) + q log(q/m)": _zero(
            r.integrand - (-(p + q) * sp.log(2) + textbook)
        ),
        "constant = -(p+q) log 2": _zero(r.constant + (p + q) * sp.log(2)),
        "pointwise '-log 4' form is off by (2 - p - q) log 2": _zero(
            r.integrand - (-sp.log(4) + textbook) - (2 - p - q) * sp.log(2)
        ),
    }
    return _exact(ids, "integrand of V(G, D*)")


@check("GAN14-T1", "symbolic", name="V(G, D*) = -log 4 + 2 JSD on 2 and 3 points")
def discrete_optimal_value_exact() -> CheckResult:
    """V(G, D*) - (-log 4 + 2 JSD) simplifies to 0 for symbolic distributions on 2 and 3 points.

    D* comes from the derivation (never typed in); JSD is written from its definition here.
    """
    ids = {}
    for n in (2, 3):
        r = sym.discrete_optimal_value(n)
        ids[f"n={n}: V(G, D*) = -log 4 + 2 JSD"] = _zero(
            r.value - (-sp.log(4) + 2 * _jsd_definition(r.p, r.q))
        )
        ids[f"n={n}: constants sum to -log 4"] = _zero(r.constant + sp.log(4))
    return _exact(ids, "V(G, D*) for symbolic discrete distributions")


@check("GAN14-T1", "symbolic", name="global minimum by Lagrange multipliers")
def global_minimum_exact() -> CheckResult:
    """Lagrange on the simplex (2 and 3 points): p_g = p_data, C = -log 4, D* = 1/2, convex.

    The stationarity equations are solved by SymPy; the Hessian of C in q is diagonal with
    entries p_i / (q_i (p_i + q_i)) > 0, so the stationary point is the global minimum.
    """
    ids = {}
    for n in (2, 3):
        r = sym.global_minimum(n)
        ids[f"n={n}: q* = p"] = all(_zero(a - b) for a, b in zip(r.minimiser, r.p, strict=True))
        ids[f"n={n}: C(q*) = -log 4"] = _zero(r.minimum + sp.log(4))
        ids[f"n={n}: D* = 1/2 at q*"] = all(_zero(d - sp.Rational(1, 2)) for d in r.discriminator)
        ids[f"n={n}: lambda* = -log 2"] = _zero(r.multiplier + sp.log(2))
        textbook = sp.diag(*(a / (b * (a + b)) for a, b in zip(r.p, r.q, strict=True)))
        ids[f"n={n}: Hessian = diag(p/(q(p+q))), positive definite"] = r.convex and all(
            _zero(e) for e in sp.Matrix(r.hessian) - textbook
        )
    return _exact(ids, "minimum of C(G) over the probability simplex")


@check("GAN14-T1", "symbolic", name="derived V(G, D*) = gantheory.optimal_value")
def optimal_value_lambdified() -> CheckResult:
    """The derived V(G, D*) on 3 points, lambdified, equals optimal_value and -log 4 + 2 jsd.

    Also the derived minimum (-log 4) equals optimal_value(p, p).
    """
    from gantheory.divergences import jsd
    from gantheory.game import optimal_value

    r = sym.discrete_optimal_value(3)
    f = _lambdify(r.symbols, r.value)
    g = sym.global_minimum(3)
    minimum = float(g.minimum)
    w, cases = Worst(), 0
    for i, (p, q) in enumerate(_POSITIVE_3):
        derived = float(f(p[0], p[1], q[0], q[1]))
        c = optimal_value(p, q, full_output=True)
        j = jsd(p, q, full_output=True)
        w.add(abs(derived - c.value), c.abserr + _slack(derived), f"case {i}: optimal_value")
        w.add(abs(derived - (-math.log(4) + 2 * j.value)),
              2 * j.abserr + _slack(derived), f"case {i}: -log 4 + 2 jsd")
        c_eq = optimal_value(p, p, full_output=True)
        w.add(abs(minimum - c_eq.value), c_eq.abserr + _slack(minimum), f"case {i}: minimum")
        cases += 3
    return w.result(cases, "max |derived - numerical| for V(G, D*) and its minimum", _SUM_REASON)


# --- GAN14-P1-GAUSS ----------------------------------------------------------------------------
@check("GAN14-P1-GAUSS", "symbolic", name="logit of D* is quadratic in x")
def gaussian_logit_exact() -> CheckResult:
    """log(D*/(1-D*)) for two Gaussians is a degree-2 polynomial in x, degree 1 for equal variances.

    The coefficients are compared with the textbook ones; D* equals the logistic function of
    the polynomial (logistic regression on (x, x^2)).
    """
    r = sym.gaussian_discriminator()
    mu1, mu2, s1, s2 = r.mu1, r.mu2, r.sigma1, r.sigma2
    w2, w1, w0 = r.coefficients
    ids = {
        "degree 2 in x": r.degree == 2 and sp.Poly(r.logit, r.x).degree() == 2,
        "w2 = (1/s2^2 - 1/s1^2)/2": _zero(w2 - (1 / s2**2 - 1 / s1**2) / 2),
        "w1 = mu1/s1^2 - mu2/s2^2": _zero(w1 - (mu1 / s1**2 - mu2 / s2**2)),
        "w0 = mu2^2/(2 s2^2) - mu1^2/(2 s1^2) + log(s2/s1)": _zero(
            w0 - (mu2**2 / (2 * s2**2) - mu1**2 / (2 * s1**2) + sp.log(s2 / s1))
        ),
        "D* = logistic(w2 x^2 + w1 x + w0)": _zero(r.discriminator - r.logistic),
    }
    e = sym.gaussian_discriminator(equal_variances=True)
    ids["equal variances: degree 1"] = e.degree == 1 and _zero(e.coefficients[0])
    ids["equal variances: w1 = (mu1 - mu2)/sigma^2"] = _zero(
        e.coefficients[1] - (e.mu1 - e.mu2) / e.sigma1**2
    )
    ids["equal variances: D* = logistic(w1 x + w0)"] = _zero(e.discriminator - e.logistic)
    ids["equal Gaussians: logit = 0 (D* = 1/2)"] = _zero(e.logit.subs(e.mu2, e.mu1))
    return _exact(ids, "optimal discriminator between two Gaussians")


@check("GAN14-P1-GAUSS", "symbolic", name="sigmoid(derived logit) = optimal_discriminator")
def gaussian_discriminator_lambdified() -> CheckResult:
    """The sigmoid of the derived logit, lambdified, equals optimal_discriminator.

    25 points in [-6, 6] for each of 5 Gaussian pairs (unequal, equal, and equal variances).
    """
    from gantheory.game import optimal_discriminator

    r = sym.gaussian_discriminator()
    # The sigmoid of the derived logit itself (p/(p+q) would underflow in the tails).
    f = _lambdify((r.x, *r.symbols), 1 / (1 + sp.exp(-r.logit)))
    logit = _lambdify((r.x, *r.symbols), sp.Abs(r.logit))
    xs = np.linspace(-6.0, 6.0, 25)
    w, cases = Worst(), 0
    for params in _GAUSS:
        mu1, mu2, s1, s2 = params
        derived = np.asarray(f(xs, *params), dtype=float)
        numeric = optimal_discriminator(stats.norm(mu1, s1), stats.norm(mu2, s2))(xs)
        # Both sides evaluate a logit of magnitude |l| (relative error a few eps) and a
        # sigmoid, whose slope is <= 1/4: |dD| <= |l| eps + rounding of D.
        tol = float(np.max(_slack(0.0) * (1.0 + np.abs(logit(xs, *params)))))
        w.add(float(np.max(np.abs(derived - numeric))), tol, f"{params}")
        cases += xs.size
    return w.result(cases, "max |derived D*(x) - optimal_discriminator(x)|",
                    f"{_LAMBDIFY_ULPS} eps (1 + |logit|): logit rounding times sigmoid slope")


# --- GAN14-BCE ---------------------------------------------------------------------------------
@check("GAN14-BCE", "symbolic", name="V = negative BCE; Bayes classifier = D*")
def cross_entropy_exact() -> CheckResult:
    """-BCE(1, D(x)) = log D(x), -BCE(0, D(G(z))) = log(1 - D(G(z))); their expectation is V.

    On the balanced labelled mixture the expected BCE is -V/2, and minimising it gives the
    Bayes-optimal classifier p_i/(p_i + q_i), the optimal discriminator (2 and 3 points).
    """
    ids = {}
    for n in (2, 3):
        r = sym.value_as_cross_entropy(n)
        if n == 2:
            x, z = sp.symbols("x z", real=True)
            d, g = sp.Function("D"), sp.Function("G")
            ids["-BCE(1, D(x)) = log D(x)"] = _zero(r.data_term - sp.log(d(x)))
            ids["-BCE(0, D(G(z))) = log(1 - D(G(z)))"] = _zero(
                r.generated_term - sp.log(1 - d(g(z)))
            )
        v = sum(a * sp.log(di) + b * sp.log(1 - di) for a, b, di in zip(r.p, r.q, r.d,
                                                                       strict=True))
        ids[f"n={n}: E[-BCE] = V(G, D)"] = _zero(r.value - v)
        ids[f"n={n}: balanced risk = -V/2"] = _zero(r.risk + v / 2)
        ids[f"n={n}: Bayes classifier = p/(p+q)"] = all(
            _zero(c - a / (a + b)) for c, a, b in zip(r.bayes_classifier, r.p, r.q, strict=True)
        )
    return _exact(ids, "value function from binary cross-entropy")


@check("GAN14-BCE", "symbolic", name="derived E[-BCE] = gantheory.value")
def cross_entropy_lambdified() -> CheckResult:
    """The derived expected negative BCE on 3 points, lambdified, equals gantheory.value(p, q, D).

    Five distribution pairs, four discriminators each (three seeded uniform draws and D*).
    """
    from gantheory.game import optimal_discriminator, value

    r = sym.value_as_cross_entropy(3)
    f = _lambdify(r.symbols, r.value)
    rng = np.random.default_rng(20140610)
    w, cases = Worst(), 0
    for i, (p, q) in enumerate(_POSITIVE_3):
        ds = [rng.uniform(0.01, 0.99, 3) for _ in range(3)]
        ds.append(optimal_discriminator(p, q))
        for j, d in enumerate(ds):
            derived = float(f(p[0], p[1], q[0], q[1], *d))
            v = value(p, q, d, full_output=True)
            w.add(abs(derived - v.value), v.abserr + _slack(derived), f"case {i}, D {j}")
            cases += 1
    return w.result(cases, "max |E[-BCE] - value(p, q, D)|", _SUM_REASON)


# --- GTUT16-MLE --------------------------------------------------------------------------------
@check("GTUT16-MLE", "symbolic", name="-E[log p_theta] - KL = entropy; argmax = argmin KL")
def maximum_likelihood_exact() -> CheckResult:
    """E[log p_theta] = -H - KL exactly; dH/dtheta = 0; the ML estimate has p_theta = p_data.

    Softmax models on 2 and 3 points and the Gaussian family N(theta, tau^2) fitted to
    N(mu, sigma^2), whose entropy must be log(2 pi e sigma^2)/2.
    """
    ids = {}
    for n in (2, 3):
        r = sym.maximum_likelihood(n)
        entropy = -sum(a * sp.log(a) for a in r.data)
        ids[f"n={n}: -E[log p_theta] - KL = H"] = _zero(r.gap - entropy)
        ids[f"n={n}: dH/dtheta = 0"] = all(g == 0 for g in r.entropy_gradient)
        ids[f"n={n}: grad E[log p_theta] = -grad KL"] = all(_zero(g) for g in r.gradient_sum)
        ids[f"n={n}: p_theta* = p_data"] = all(
            _zero(a - b) for a, b in zip(r.model_at_optimum, r.data, strict=True)
        )
        ids[f"n={n}: KL at the ML estimate = 0"] = _zero(r.kl_at_optimum)
    g = sym.maximum_likelihood_gaussian()
    mu, sigma = g.symbols[:2]
    ids["Gaussian: -E[log p_theta] - KL = log(2 pi e sigma^2)/2"] = _zero(
        g.gap - sp.log(2 * sp.pi * sp.E * sigma**2) / 2
    )
    ids["Gaussian: dH/d(theta, tau) = 0"] = all(x == 0 for x in g.entropy_gradient)
    ids["Gaussian: ML estimate (theta, tau) = (mu, sigma)"] = g.theta_star == (mu, sigma)
    ids["Gaussian: KL at the ML estimate = 0"] = _zero(g.kl_at_optimum)
    return _exact(ids, "maximum likelihood as KL minimisation")


@check("GTUT16-MLE", "symbolic", name="derived log-likelihood, KL, entropy = gantheory")
def maximum_likelihood_lambdified() -> CheckResult:
    """Derived E[log p_theta], KL and H, lambdified, equal gantheory's cross_entropy, kl, entropy.

    Softmax on 3 points at 5 data vectors x 2 seeded theta; Gaussians at 5 parameter sets.
    """
    from gantheory.divergences import cross_entropy, entropy, kl

    w, cases = Worst(), 0
    rng = np.random.default_rng(2016)
    r = sym.maximum_likelihood(3)
    fs = [_lambdify(r.symbols, e) for e in (r.log_likelihood, r.kl, r.entropy)]
    model = _lambdify(r.theta, sp.Matrix(r.model))
    for i, (p, _) in enumerate(_POSITIVE_3):
        for theta in rng.normal(0.0, 1.5, (2, 2)):
            m = np.asarray(model(*theta), dtype=float).ravel()
            m /= m.sum()  # exact up to rounding; Discrete validation wants sum 1 within 1e-9
            args = (p[0], p[1], *theta)
            for label, derived, est in (
                ("-E log", -fs[0](*args), cross_entropy(p, m, full_output=True)),
                ("KL", fs[1](*args), kl(p, m, full_output=True)),
                ("H", fs[2](*args), entropy(p, full_output=True)),
            ):
                # + 4 eps: the model vector is renormalised before gantheory sees it.
                _compare(w, f"softmax case {i}: {label}", derived, est, 4 * _EPS)
                cases += 1
    g = sym.maximum_likelihood_gaussian()
    gs = [_lambdify(g.symbols, e) for e in (g.log_likelihood, g.kl, g.entropy)]
    for mu, theta, sigma, tau in _GAUSS:
        pd, pm = stats.norm(mu, sigma), stats.norm(theta, tau)
        args = (mu, sigma, theta, tau)
        for label, derived, est in (
            ("-E log", -gs[0](*args), cross_entropy(pd, pm, full_output=True)),
            ("KL", gs[1](*args), kl(pd, pm, full_output=True)),
            ("H", gs[2](*args), entropy(pd, full_output=True)),
        ):
            _compare(w, f"Gaussian {args}: {label}", derived, est)
            cases += 1
    return w.result(cases, "max |derived - numerical| for cross-entropy, KL and entropy",
                    _SUM_REASON + "; quadrature error estimate for the Gaussians")


# --- GAN14-NS ----------------------------------------------------------------------------------
@check("GAN14-NS", "symbolic", name="saturation of log(1 - D) vs -log D")
def generator_gradients_exact() -> CheckResult:
    """d/dD log(1-D) = -1/(1-D), d/dD -log D = -1/D; ratio D/(1-D) -> 0; logit limits 0 and -1."""
    r = sym.generator_gradients()
    d, ell = r.d, r.logit
    sigmoid = 1 / (1 + sp.exp(-ell))
    ids = {
        "d/dD log(1-D) = -1/(1-D)": _zero(r.minimax_derivative + 1 / (1 - d)),
        "d/dD (-log D) = -1/D": _zero(r.non_saturating_derivative + 1 / d),
        "both decrease on (0, 1)": r.decreasing,
        "ratio of magnitudes = D/(1-D)": _zero(r.ratio - d / (1 - d)),
        "ratio -> 0 as D -> 0+": r.ratio_limit == 0,
        "d/dlogit log(1 - sigmoid) = -sigmoid": _zero(r.minimax_logit_derivative + sigmoid),
        "d/dlogit (-log sigmoid) = -(1 - sigmoid)": _zero(
            r.non_saturating_logit_derivative + (1 - sigmoid)
        ),
        "minimax logit gradient -> 0 (logit -> -oo)": r.minimax_logit_limit == 0,
        "non-saturating logit gradient -> -1 (logit -> -oo)": r.non_saturating_logit_limit == -1,
    }
    return _exact(ids, "generator loss gradients")


@check("GAN14-NS", "symbolic", name="derived gradients = differences of gantheory's objectives")
def generator_gradients_lambdified() -> CheckResult:
    """Derived losses and gradients vs gantheory's generator objectives on 3 points.

    Values: sum_i q_i L(D_i) against generator_objective_minimax / _nonsaturating. Gradients:
    q_i L'(D_i) against central differences (step 1e-6) of those objectives in D_i.
    """
    from gantheory.game import generator_objective_minimax, generator_objective_nonsaturating

    r = sym.generator_gradients()
    h = 1e-6
    w, cases = Worst(), 0
    pairs = (
        ("minimax", r.minimax_loss, r.minimax_derivative, generator_objective_minimax),
        ("non-saturating", r.non_saturating_loss, r.non_saturating_derivative,
         generator_objective_nonsaturating),
    )
    for label, loss, grad, objective in pairs:
        f, fp = _lambdify((r.d,), loss), _lambdify((r.d,), grad)
        f3 = _lambdify((r.d,), sp.Abs(sp.diff(loss, r.d, 3)))
        for _, q in _POSITIVE_3:
            for d in (np.array([0.05, 0.5, 0.95]), np.array([0.2, 0.7, 0.4])):
                qa = np.asarray(q)
                derived = float(np.sum(qa * f(d)))
                numeric = objective(q, d)
                # Rounding of a 3-term sum of q_i L(D_i): 3 eps sum |q_i L(D_i)| per side.
                rnd = _slack(derived) + 3 * _EPS * float(np.sum(qa * np.abs(f(d))))
                w.add(abs(derived - numeric), rnd, f"{label} value")
                for i in range(3):
                    up, down = d.copy(), d.copy()
                    up[i] += h
                    down[i] -= h
                    diff = (objective(q, up) - objective(q, down)) / (2 * h)
                    # Central difference: truncation h^2 |f'''| / 6 (f''' at most at d_i + h)
                    # plus rounding 2 * (rounding bound of the objective) / (2h).
                    m3 = float(max(f3(d[i] - h), f3(d[i] + h)))
                    tol = qa[i] * h**2 * m3 / 6 + rnd / h
                    w.add(abs(qa[i] * float(fp(d[i])) - diff), tol, f"{label} d/dD_{i}")
                    cases += 1
                cases += 1
    return w.result(cases, "max |derived - numerical| for generator losses and gradients",
                    "value: rounding bound of the sums; gradient: central-difference truncation "
                    "h^2 |L'''| q_i / 6 plus rounding / h")


# --- CT06-KL-GAUSS -----------------------------------------------------------------------------
@check("CT06-KL-GAUSS", "symbolic", name="KL between Gaussians by symbolic integration")
def gaussian_kl_exact() -> CheckResult:
    """SymPy's integral of p log(p/q) over the real line equals the textbook closed form."""
    r = sym.gaussian_kl()
    mu1, mu2, s1, s2 = r.symbols
    closed = sp.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - sp.Rational(1, 2)
    ids = {
        "integral of p = 1": r.normalisation == 1,
        "KL = log(s2/s1) + (s1^2 + (mu1 - mu2)^2)/(2 s2^2) - 1/2": _zero(r.kl - closed),
        "KL(p || p) = 0": _zero(r.kl.subs({mu2: mu1, s2: s1})),
    }
    return _exact(ids, "KL(N(mu1, s1^2) || N(mu2, s2^2))")


@check("CT06-KL-GAUSS", "symbolic", name="derived Gaussian KL = gantheory.kl (quadrature)")
def gaussian_kl_lambdified() -> CheckResult:
    """The integrated KL, lambdified, equals gantheory.kl on scipy.stats.norm pairs (5 cases)."""
    from gantheory.divergences import kl

    r = sym.gaussian_kl()
    f = _lambdify(r.symbols, r.kl)
    w = Worst()
    for params in _GAUSS:
        mu1, mu2, s1, s2 = params
        derived = float(f(*params))
        est = kl(stats.norm(mu1, s1), stats.norm(mu2, s2), full_output=True)
        w.add(abs(derived - est.value), est.abserr + _slack(derived), f"{params}")
    return w.result(len(_GAUSS), "max |derived KL - gantheory.kl|", _QUAD_REASON)
