r"""Maximum likelihood is minimising :math:`\mathrm{KL}(p_{data} \,\|\, p_\theta)`.

.. math::
    \mathbb{E}_{x \sim p_{data}}[\log p_\theta(x)]
    = -H(p_{data}) - \mathrm{KL}(p_{data} \,\|\, p_\theta)

The entropy :math:`H(p_{data})` does not depend on :math:`\theta`, so the maximiser of the
expected log-likelihood is the minimiser of the KL divergence (Goodfellow 2016, NIPS tutorial,
Section 2.1; tutorial text "Mathematical ideas in GAN", eq. 2). Derived for a softmax family
on ``n`` points (:func:`maximum_likelihood`) and a Gaussian family
(:func:`maximum_likelihood_gaussian`, by symbolic integration).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq, simplex, support_size
from gantheory.symbolic.gaussian import gaussian_expectation, gaussian_kl, normal_pdf

__all__ = ["MaximumLikelihood", "maximum_likelihood", "maximum_likelihood_gaussian"]


@dataclass(frozen=True, kw_only=True)
class MaximumLikelihood(Derivation):
    r"""Expected log-likelihood, KL and entropy of a model family, and the ML estimate.

    Attributes
    ----------
    data : sympy.Expr or tuple of sympy.Expr
        :math:`p_{data}` (a probability tuple, or a density in ``x``).
    model : sympy.Expr or tuple of sympy.Expr
        :math:`p_\theta`.
    theta : tuple of sympy.Symbol
        The model parameters.
    symbols : tuple of sympy.Symbol
        Data parameters followed by ``theta`` (for lambdify).
    log_likelihood : sympy.Expr
        :math:`\ell(\theta) = \mathbb{E}_{p_{data}}[\log p_\theta]`.
    kl : sympy.Expr
        :math:`\mathrm{KL}(p_{data} \,\|\, p_\theta)`.
    entropy : sympy.Expr
        :math:`H(p_{data})` from its definition.
    gap : sympy.Expr
        :math:`-\ell(\theta) - \mathrm{KL}`, simplified (the derivation shows it is the entropy).
    entropy_gradient : tuple of sympy.Expr
        :math:`\partial H / \partial \theta_j`.
    gradient_sum : tuple of sympy.Expr
        :math:`\partial \ell / \partial \theta_j + \partial \mathrm{KL} / \partial \theta_j`.
    theta_star : tuple of sympy.Expr
        The solution of :math:`\nabla_\theta \ell = 0`.
    model_at_optimum : sympy.Expr or tuple of sympy.Expr
        :math:`p_{\theta^*}`.
    kl_at_optimum : sympy.Expr
        :math:`\mathrm{KL}(p_{data} \,\|\, p_{\theta^*})`.
    """

    data: sp.Expr | tuple[sp.Expr, ...]
    model: sp.Expr | tuple[sp.Expr, ...]
    theta: tuple[sp.Symbol, ...]
    symbols: tuple[sp.Symbol, ...]
    log_likelihood: sp.Expr
    kl: sp.Expr
    entropy: sp.Expr
    gap: sp.Expr
    entropy_gradient: tuple[sp.Expr, ...]
    gradient_sum: tuple[sp.Expr, ...]
    theta_star: tuple[sp.Expr, ...]
    model_at_optimum: sp.Expr | tuple[sp.Expr, ...]
    kl_at_optimum: sp.Expr


def _steps(r: dict, words: str) -> tuple[tuple[str, sp.Basic], ...]:
    ell, kl, h = sp.Symbol(r"\ell(\theta)"), sp.Symbol(r"\mathrm{KL}(\theta)"), sp.Symbol("H")
    theta = r["theta"]
    return (
        (f"Data and model: {words}", eq(sp.Tuple(sp.Symbol("p_data"), sp.Symbol(r"p_{\theta}")),
                                        sp.Tuple(_tuple(r["data"]), _tuple(r["model"])))),
        ("Expected log-likelihood (the limit of the average over m samples)",
         eq(ell, r["log_likelihood"])),
        ("KL divergence from the data to the model", eq(kl, r["kl"])),
        ("Entropy of the data (no theta in it)", eq(h, r["entropy"])),
        ("-ell - KL simplifies to the entropy: ell = -H - KL", eq(-ell - kl, r["gap"])),
        ("The entropy's gradient in theta", eq(sp.Tuple(*(sp.Derivative(h, t) for t in theta)),
                                               sp.Tuple(*r["entropy_gradient"]))),
        ("so the gradients of ell and KL are opposite: argmax ell = argmin KL",
         eq(sp.Tuple(*(sp.Derivative(ell + kl, t) for t in theta)),
            sp.Tuple(*r["gradient_sum"]))),
        ("Maximum-likelihood estimate, solving grad ell = 0",
         eq(sp.Tuple(*theta), sp.Tuple(*r["theta_star"]))),
        ("The model there equals the data distribution",
         eq(sp.Symbol(r"p_{\theta^*}"), _tuple(r["model_at_optimum"]))),
        ("and the KL divergence is 0", eq(sp.Symbol(r"\mathrm{KL}(\theta^*)"), r["kl_at_optimum"])),
    )


def _tuple(value: sp.Expr | tuple[sp.Expr, ...]) -> sp.Basic:
    return sp.Tuple(*value) if isinstance(value, tuple) else value


def _finish(r: dict, words: str) -> MaximumLikelihood:
    theta = r["theta"]
    r["entropy_gradient"] = tuple(sp.diff(r["entropy"], t) for t in theta)
    r["gradient_sum"] = tuple(
        sp.simplify(sp.diff(r["log_likelihood"], t) + sp.diff(r["kl"], t)) for t in theta
    )
    solutions = sp.solve([sp.diff(r["log_likelihood"], t) for t in theta], theta, dict=True)
    if len(solutions) != 1:
        raise RuntimeError(f"expected one stationary point of the likelihood, got {solutions}")
    r["theta_star"] = tuple(solutions[0][t] for t in theta)
    at = solutions[0]
    model = r["model"]
    r["model_at_optimum"] = (
        tuple(sp.simplify(m.subs(at)) for m in model) if isinstance(model, tuple)
        else sp.simplify(model.subs(at))
    )
    # No forced log expansion here: 1 - p1 - ... is not *known* to be positive, and forcing
    # log(-x) = log(x) + i*pi on it would leave spurious imaginary terms.
    r["kl_at_optimum"] = sp.simplify(r["kl"].subs(at))
    return MaximumLikelihood(steps=_steps(r, words), **r)


def maximum_likelihood(n: int = 3) -> MaximumLikelihood:
    r"""Derive ML = min KL for a softmax model on ``n`` points.

    The model is :math:`p_\theta(i) = e^{\theta_i} / \sum_j e^{\theta_j}` with
    :math:`\theta_n = 0` (identifiable), the data a symbolic probability vector.

    .. math::
        \ell(\theta) = \sum_i p_i \log p_\theta(i), \qquad
        -\ell(\theta) - \mathrm{KL}(p \,\|\, p_\theta) = -\sum_i p_i \log p_i = H(p)

    Solving :math:`\nabla_\theta \ell = 0` gives :math:`\theta^*_i = \log(p_i / p_n)`, where
    :math:`p_{\theta^*} = p` and the KL divergence vanishes (Goodfellow 2016, Section 2.1;
    tutorial text "Mathematical ideas in GAN", eq. 2).

    Parameters
    ----------
    n : int
        Number of support points, >= 2.

    Examples
    --------
    >>> r = maximum_likelihood(2)
    >>> r.entropy_gradient, r.gradient_sum, r.kl_at_optimum
    ((0,), (0,), 0)
    >>> r.model_at_optimum
    (p1, 1 - p1)
    """
    return _maximum_likelihood(support_size(n))


@functools.cache
def _maximum_likelihood(n: int) -> MaximumLikelihood:
    p, p_free = simplex("p", n)
    theta = tuple(sp.symbols(f"theta1:{n}", real=True))
    logits = (*theta, sp.Integer(0))
    partition = sp.Add(*(sp.exp(t) for t in logits))
    model = tuple(sp.exp(t) / partition for t in logits)
    r = {
        "data": p, "model": model, "theta": theta, "symbols": p_free + theta,
        "log_likelihood": sp.Add(*(pi * sp.log(mi) for pi, mi in zip(p, model, strict=True))),
        "kl": sp.Add(*(pi * sp.log(pi / mi) for pi, mi in zip(p, model, strict=True))),
        "entropy": -sp.Add(*(pi * sp.log(pi) for pi in p)),
    }
    r["gap"] = sp.simplify(sp.expand_log(-r["log_likelihood"] - r["kl"], force=True))
    return _finish(r, f"softmax family on {n} points")


@functools.cache
def _maximum_likelihood_gaussian() -> MaximumLikelihood:
    x = sp.Symbol("x", real=True)
    mu, theta = sp.symbols("mu theta", real=True)
    sigma, tau = sp.symbols("sigma tau", positive=True)
    data, model = normal_pdf(x, mu, sigma), normal_pdf(x, theta, tau)

    def expect(log_density: sp.Expr) -> sp.Expr:
        # log of a normal density is a quadratic in x: integrate it against the data's
        # moments (themselves integrated by SymPy over the real line).
        expanded = sp.expand(sp.expand_log(log_density, force=True))
        return sp.simplify(gaussian_expectation(expanded, x, mu, sigma))

    base = gaussian_kl()
    kl = base.kl.subs(
        {base.mu1: mu, base.sigma1: sigma, base.mu2: theta, base.sigma2: tau}, simultaneous=True
    )
    r = {
        "data": data, "model": model, "theta": (theta, tau), "symbols": (mu, sigma, theta, tau),
        "log_likelihood": expect(sp.log(model)), "kl": kl, "entropy": -expect(sp.log(data)),
    }
    r["gap"] = sp.simplify(sp.expand_log(-r["log_likelihood"] - r["kl"], force=True))
    return _finish(r, "N(mu, sigma^2) and N(theta, tau^2)")


def maximum_likelihood_gaussian() -> MaximumLikelihood:
    r"""Derive ML = min KL for :math:`N(\theta, \tau^2)` fitted to :math:`N(\mu, \sigma^2)`.

    The expected log-likelihood and the entropy are expectations of quadratics in :math:`x`,
    integrated against the moments of :math:`N(\mu, \sigma^2)` (which SymPy integrates over the
    real line, :func:`gantheory.symbolic.gaussian_expectation`); the KL divergence is the one
    derived by :func:`gantheory.symbolic.gaussian_kl`.

    .. math::
        \ell(\theta, \tau) = -\log(\tau\sqrt{2\pi}) - \frac{\sigma^2 + (\mu - \theta)^2}{2\tau^2},
        \qquad -\ell - \mathrm{KL} = \tfrac12 \log(2\pi e \sigma^2) = H, \qquad
        (\theta^*, \tau^*) = (\mu, \sigma)

    (Goodfellow 2016, Section 2.1; tutorial text "Mathematical ideas in GAN", eq. 2.)

    Examples
    --------
    >>> r = maximum_likelihood_gaussian()
    >>> r.theta_star, r.kl_at_optimum
    ((mu, sigma), 0)
    """
    return _maximum_likelihood_gaussian()
