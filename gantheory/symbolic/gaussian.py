r"""Two Gaussians: the optimal discriminator's logit, and their KL divergence by integration.

* :func:`gaussian_discriminator` — for :math:`p_{data} = N(\mu_1, \sigma_1^2)` and
  :math:`p_g = N(\mu_2, \sigma_2^2)` the logit :math:`\log(D^*/(1 - D^*)) = \log(p_{data}/p_g)`
  is a quadratic polynomial in :math:`x`, linear when :math:`\sigma_1 = \sigma_2`: the optimal
  discriminator is a logistic regression on :math:`(x, x^2)` (Goodfellow et al. 2014,
  Proposition 1 applied to Gaussians; the class posterior of quadratic discriminant analysis,
  Hastie, Tibshirani & Friedman 2009, Section 4.3).
* :func:`gaussian_kl` — :math:`\mathrm{KL}(N(\mu_1, \sigma_1^2) \,\|\, N(\mu_2, \sigma_2^2))` by
  :func:`sympy.integrate` over the real line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq
from gantheory.symbolic.discriminator import pointwise_maximiser

__all__ = [
    "GaussianDiscriminator",
    "GaussianKL",
    "gaussian_discriminator",
    "gaussian_expectation",
    "gaussian_kl",
    "normal_pdf",
]


def normal_pdf(x: sp.Expr, mu: sp.Expr, sigma: sp.Expr) -> sp.Expr:
    r"""The normal density :math:`e^{-(x-\mu)^2 / (2\sigma^2)} / (\sigma\sqrt{2\pi})` in SymPy.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> sp.integrate(normal_pdf(x, 0, 1), (x, -sp.oo, sp.oo))
    1
    """
    return sp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))


def _parameters(equal_variances: bool) -> tuple[sp.Symbol, ...]:
    mu1, mu2 = sp.symbols("mu1 mu2", real=True)
    if equal_variances:
        sigma = sp.Symbol("sigma", positive=True)
        return mu1, mu2, sigma, sigma
    return (mu1, mu2, *sp.symbols("sigma1 sigma2", positive=True))


@dataclass(frozen=True, kw_only=True)
class GaussianDiscriminator(Derivation):
    r"""The optimal discriminator between two Gaussians, as a logistic regression.

    Attributes
    ----------
    x : sympy.Symbol
        The (real) sample.
    mu1, mu2, sigma1, sigma2 : sympy.Symbol
        Parameters of :math:`p_{data}` and :math:`p_g` (``sigma1 is sigma2`` for equal variances).
    symbols : tuple of sympy.Symbol
        Distinct parameters in order ``(mu1, mu2, sigma1, sigma2)`` or ``(mu1, mu2, sigma)``.
    p, q : sympy.Expr
        The two densities.
    discriminator : sympy.Expr
        :math:`D^*(x)` from :func:`pointwise_maximiser` with :math:`a = p(x)`, :math:`b = q(x)`.
    logit : sympy.Expr
        :math:`\log(D^* / (1 - D^*))`, expanded: a polynomial in ``x``.
    degree : int
        Its degree in ``x`` (2; 1 for equal variances).
    coefficients : tuple of sympy.Expr
        ``(w2, w1, w0)``: logit :math:`= w_2 x^2 + w_1 x + w_0`.
    logistic : sympy.Expr
        :math:`1 / (1 + e^{-(w_2 x^2 + w_1 x + w_0)})`.
    """

    x: sp.Symbol
    mu1: sp.Symbol
    mu2: sp.Symbol
    sigma1: sp.Symbol
    sigma2: sp.Symbol
    symbols: tuple[sp.Symbol, ...]
    p: sp.Expr
    q: sp.Expr
    discriminator: sp.Expr
    logit: sp.Expr
    degree: int
    coefficients: tuple[sp.Expr, sp.Expr, sp.Expr]
    logistic: sp.Expr


@functools.cache
def gaussian_discriminator(*, equal_variances: bool = False) -> GaussianDiscriminator:
    r"""Derive the logit of :math:`D^*` for two Gaussians: quadratic in x, linear if equal variance.

    .. math::
        \log\frac{D^*(x)}{1 - D^*(x)} = \log\frac{p_{data}(x)}{p_g(x)}
        = \frac{1}{2}\Big(\frac{1}{\sigma_2^2} - \frac{1}{\sigma_1^2}\Big) x^2
        + \Big(\frac{\mu_1}{\sigma_1^2} - \frac{\mu_2}{\sigma_2^2}\Big) x
        + \frac{\mu_2^2}{2\sigma_2^2} - \frac{\mu_1^2}{2\sigma_1^2} + \log\frac{\sigma_2}{\sigma_1}

    so :math:`D^*(x) = \sigma(w_2 x^2 + w_1 x + w_0)` is a logistic regression on
    :math:`(x, x^2)`; for :math:`\sigma_1 = \sigma_2` the :math:`x^2` term cancels and it is
    linear in :math:`x` (Goodfellow et al. 2014, Proposition 1; Hastie et al. 2009, Section 4.3;
    the lecture "CS 182 Lecture 19, Part 2: GANs": D* is the Bayes-optimal classifier).

    Parameters
    ----------
    equal_variances : bool
        Use one standard deviation ``sigma`` for both Gaussians.

    Examples
    --------
    >>> gaussian_discriminator().degree, gaussian_discriminator(equal_variances=True).degree
    (2, 1)
    >>> gaussian_discriminator(equal_variances=True).coefficients[1]
    (mu1 - mu2)/sigma**2
    """
    mu1, mu2, sigma1, sigma2 = _parameters(equal_variances)
    x = sp.Symbol("x", real=True)
    p, q = normal_pdf(x, mu1, sigma1), normal_pdf(x, mu2, sigma2)
    base = pointwise_maximiser()
    d = base.maximiser.subs({base.a: p, base.b: q}, simultaneous=True)
    odds = sp.simplify(d / (1 - d))
    logit = sp.expand(sp.expand_log(sp.log(odds), force=True))
    poly = sp.Poly(logit, x)
    coefficients = tuple(sp.factor(poly.coeff_monomial(x**k)) for k in (2, 1, 0))
    w2, w1, w0 = coefficients
    logistic = 1 / (1 + sp.exp(-(w2 * x**2 + w1 * x + w0)))
    d_sym, l_sym = sp.Function("D^*")(x), sp.Symbol(r"\operatorname{logit} D^*(x)")
    steps = (
        ("Data and generator densities",
         eq(sp.Tuple(sp.Function("p_data")(x), sp.Function("p_g")(x)), sp.Tuple(p, q))),
        ("Optimal discriminator (pointwise_maximiser with a = p_data(x), b = p_g(x))",
         eq(d_sym, d)),
        ("Odds D*/(1 - D*) = p_data/p_g", eq(d_sym / (1 - d_sym), odds)),
        ("Logit, expanded: a polynomial in x", eq(l_sym, logit)),
        (f"Coefficients of x^2, x, 1 (degree {poly.degree()})",
         eq(sp.Tuple(*sp.symbols("w2 w1 w0")), sp.Tuple(*coefficients))),
        ("Logistic regression on (x, x^2)", eq(d_sym, logistic)),
    )
    symbols = (mu1, mu2, sigma1) if equal_variances else (mu1, mu2, sigma1, sigma2)
    return GaussianDiscriminator(
        steps=steps, x=x, mu1=mu1, mu2=mu2, sigma1=sigma1, sigma2=sigma2, symbols=symbols,
        p=p, q=q, discriminator=d, logit=logit, degree=int(poly.degree()),
        coefficients=coefficients, logistic=logistic,
    )


@functools.cache
def _moments() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol, tuple[sp.Expr, ...]]:
    """``E[x^k]``, k = 0, 1, 2, for ``x ~ N(mu, sigma^2)``, integrated by SymPy."""
    x, mu = sp.symbols("x mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    p = normal_pdf(x, mu, sigma)
    moments = tuple(sp.simplify(sp.integrate(x**k * p, (x, -sp.oo, sp.oo))) for k in range(3))
    return x, mu, sigma, moments


def gaussian_expectation(poly: sp.Expr, x: sp.Symbol, mu: sp.Expr, sigma: sp.Expr) -> sp.Expr:
    r""":math:`\mathbb{E}[f(x)]` for :math:`x \sim N(\mu, \sigma^2)` and a quadratic :math:`f`.

    By linearity of the integral, from the moments :math:`\int x^k p(x)\,dx` (k = 0, 1, 2),
    which SymPy integrates once over the real line: :math:`1, \mu, \mu^2 + \sigma^2`.

    Raises
    ------
    ValueError
        If ``poly`` is not a polynomial of degree at most 2 in ``x``.

    Examples
    --------
    >>> x, m = sp.Symbol("x", real=True), sp.Symbol("m", real=True)
    >>> s = sp.Symbol("s", positive=True)
    >>> gaussian_expectation((x - m) ** 2, x, m, s)
    s**2
    """
    if not sp.sympify(poly).is_polynomial(x) or sp.Poly(poly, x).degree() > 2:
        raise ValueError(f"`poly` must be a polynomial of degree <= 2 in {x} (got {poly})")
    p = sp.Poly(poly, x)
    _, mu0, sigma0, moments = _moments()
    at = {mu0: mu, sigma0: sigma}
    return sp.expand(
        sp.Add(*(p.coeff_monomial(x**k) * moments[k].subs(at, simultaneous=True)
                 for k in range(3)))
    )


@dataclass(frozen=True, kw_only=True)
class GaussianKL(Derivation):
    r"""The KL divergence between two Gaussians, integrated symbolically.

    Attributes
    ----------
    method : {"moments", "integrate"}
        How the expectation of the log-ratio was integrated.
    x : sympy.Symbol
        Integration variable.
    mu1, mu2, sigma1, sigma2 : sympy.Symbol
        Parameters (real means, positive standard deviations).
    symbols : tuple of sympy.Symbol
        ``(mu1, mu2, sigma1, sigma2)`` (for lambdify).
    p, q : sympy.Expr
        The densities of :math:`N(\mu_1, \sigma_1^2)` and :math:`N(\mu_2, \sigma_2^2)`.
    normalisation : sympy.Expr
        :math:`\int p\,dx` computed by SymPy (1).
    log_ratio : sympy.Expr
        :math:`\log(p/q)` expanded into a quadratic polynomial in ``x``.
    kl : sympy.Expr
        :math:`\int p \log(p/q)\,dx`, simplified.
    """

    method: str
    x: sp.Symbol
    mu1: sp.Symbol
    mu2: sp.Symbol
    sigma1: sp.Symbol
    sigma2: sp.Symbol
    symbols: tuple[sp.Symbol, ...]
    p: sp.Expr
    q: sp.Expr
    normalisation: sp.Expr
    log_ratio: sp.Expr
    kl: sp.Expr


def gaussian_kl(*, method: str = "moments") -> GaussianKL:
    r"""Integrate :math:`\mathrm{KL}(N(\mu_1, \sigma_1^2) \,\|\, N(\mu_2, \sigma_2^2))` with SymPy.

    .. math::
        \int_{-\infty}^{\infty} p(x) \log\frac{p(x)}{q(x)}\,dx
        = \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2}
        - \frac12

    The log-ratio is first expanded (legitimate: both densities are positive) into a quadratic
    :math:`c_2 x^2 + c_1 x + c_0`. Then either

    * ``method="moments"`` (default, ~0.3 s): the moments :math:`\int x^k p(x)\,dx`, k = 0, 1, 2,
      are integrated by :func:`sympy.integrate` over the real line and combined by linearity,
      :math:`\mathrm{KL} = c_2 (\mu_1^2 + \sigma_1^2) + c_1 \mu_1 + c_0`; or
    * ``method="integrate"`` (~1 s): :math:`p` times the log-ratio is integrated over the real
      line in one call.

    Integrating :math:`p \log(p/q)` *unexpanded* also succeeds but returns an expression with a
    removable singularity at :math:`\mu_1 = \mu_2` that evaluates to NaN there (a SymPy
    limitation, kept as a strict xfail in the tests). Definitions: Cover & Thomas 2006,
    Section 8.5 (relative entropy of densities); the tutorial text "The mathematics of GANs"
    (KL).

    Parameters
    ----------
    method : {"moments", "integrate"}
        How the expectation is integrated (both by SymPy over the real line).

    Raises
    ------
    ValueError
        For an unknown ``method``.

    Examples
    --------
    >>> r = gaussian_kl()
    >>> r.kl.subs({r.mu1: 0, r.mu2: 0, r.sigma1: 1, r.sigma2: 1})
    0
    >>> r.normalisation
    1
    """
    if method not in ("moments", "integrate"):
        raise ValueError(f"`method` must be 'moments' or 'integrate' (got {method!r})")
    return _gaussian_kl(method)


@functools.cache
def _gaussian_kl(method: str) -> GaussianKL:
    mu1, mu2, sigma1, sigma2 = _parameters(False)
    x = sp.Symbol("x", real=True)
    p, q = normal_pdf(x, mu1, sigma1), normal_pdf(x, mu2, sigma2)
    whole_line = (x, -sp.oo, sp.oo)
    log_ratio = sp.expand(sp.expand_log(sp.log(p / q), force=True))
    kl_sym = sp.Symbol(r"\mathrm{KL}(p \| q)")
    steps: list[tuple[str, sp.Basic]] = [
        ("Densities p = N(mu1, sigma1^2) and q = N(mu2, sigma2^2)",
         eq(sp.Tuple(sp.Function("p")(x), sp.Function("q")(x)), sp.Tuple(p, q))),
        ("Log-ratio, expanded: a quadratic in x",
         eq(sp.log(sp.Function("p")(x) / sp.Function("q")(x)), log_ratio)),
        ("Definition of KL", eq(kl_sym, sp.Integral(p * log_ratio, whole_line))),
    ]
    if method == "moments":
        x0, m0, s0, moments = _moments()
        normalisation = moments[0]
        steps.append((
            "Moments of N(mu, sigma^2), integrated over the real line",
            eq(sp.Tuple(*(sp.Integral(x0**k * normal_pdf(x0, m0, s0), (x0, -sp.oo, sp.oo))
                          for k in range(3))), sp.Tuple(*moments)),
        ))
        kl = sp.simplify(gaussian_expectation(log_ratio, x, mu1, sigma1))
        steps.append(("By linearity, the quadratic's expectation from the moments",
                      eq(kl_sym, kl)))
    else:
        normalisation = sp.simplify(sp.integrate(p, whole_line))
        kl = sp.simplify(sp.integrate(p * log_ratio, whole_line))
        steps += [
            ("p is normalised", eq(sp.Integral(p, whole_line), normalisation)),
            ("Integrated over the real line by SymPy", eq(kl_sym, kl)),
        ]
    return GaussianKL(
        steps=tuple(steps), method=method, x=x, mu1=mu1, mu2=mu2, sigma1=sigma1,
        sigma2=sigma2, symbols=(mu1, mu2, sigma1, sigma2), p=p, q=q,
        normalisation=normalisation, log_ratio=log_ratio, kl=kl,
    )
