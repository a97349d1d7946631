r"""The virtual training criterion :math:`C(G) = V(G, D^*_G)` (Goodfellow et al. 2014, Theorem 1).

* :func:`integrand_identity` — the integrand of :math:`V(G, D^*)` rewritten with the mixture
  :math:`m = (p + q)/2`; the constant is :math:`-(p + q)\log 2` *pointwise* and becomes
  :math:`-\log 4` only after integrating.
* :func:`discrete_optimal_value` — :math:`V(G, D^*) = -\log 4 + 2\,\mathrm{JSD}` for symbolic
  discrete distributions on ``n`` points (tutorial texts "Mathematical ideas in GAN" eq. 7,
  "The Math Behind GANs" section 5, "The mathematics of GANs").
* :func:`global_minimum` — minimising :math:`C` over the probability simplex with a Lagrange
  multiplier: :math:`p_g = p_{data}`, :math:`C = -\log 4`, :math:`D^* = 1/2`, and the Hessian
  shows it is the global minimum.

All three build on the *derived* optimal discriminator of
:func:`gantheory.symbolic.pointwise_maximiser`, never on the known answer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq, is_zero, simplex, support_size
from gantheory.symbolic.discriminator import pointwise_maximiser

__all__ = [
    "DiscreteOptimalValue",
    "GlobalMinimum",
    "IntegrandIdentity",
    "discrete_optimal_value",
    "global_minimum",
    "integrand_identity",
]

_D = sp.Symbol("D^*")
_M = sp.Symbol("m")


def _optimal_d(p: sp.Expr, q: sp.Expr) -> sp.Expr:
    """The derived maximiser ``a/(a+b)`` of :func:`pointwise_maximiser` at ``a = p``, ``b = q``."""
    base = pointwise_maximiser()
    return base.maximiser.subs({base.a: p, base.b: q}, simultaneous=True)


def _value(p: tuple, q: tuple, d: tuple) -> sp.Expr:
    r""":math:`V(G, D) = \sum_i p_i \log D_i + q_i \log(1 - D_i)` on a finite support."""
    terms = zip(p, q, d, strict=True)
    return sp.Add(*(pi * sp.log(di) + qi * sp.log(1 - di) for pi, qi, di in terms))


@dataclass(frozen=True, kw_only=True)
class IntegrandIdentity(Derivation):
    r"""The integrand of :math:`V(G, D^*)` rewritten around the mixture :math:`m`.

    Attributes
    ----------
    p, q : sympy.Symbol
        Positive symbols for :math:`p_{data}(x)` and :math:`p_g(x)`.
    discriminator : sympy.Expr
        :math:`D^* = p / (p + q)`, from :func:`pointwise_maximiser`.
    integrand : sympy.Expr
        :math:`p \log D^* + q \log(1 - D^*)`.
    mixture : sympy.Expr
        :math:`m = (p + q) / 2`.
    rewritten : sympy.Expr
        :math:`p \log(p/m) + q \log(q/m) - (p + q) \log 2`.
    constant : sympy.Expr
        The term without :math:`m`: :math:`-(p + q) \log 2`.
    """

    p: sp.Symbol
    q: sp.Symbol
    discriminator: sp.Expr
    integrand: sp.Expr
    mixture: sp.Expr
    rewritten: sp.Expr
    constant: sp.Expr


@functools.cache
def integrand_identity() -> IntegrandIdentity:
    r"""Rewrite :math:`p \log D^* + q \log(1 - D^*)` with the mixture :math:`m = (p+q)/2`.

    .. math::
        p \log D^* + q \log(1 - D^*) = p \log\frac{p}{m} + q \log\frac{q}{m} - (p + q) \log 2

    because :math:`D^* = \tfrac12 \cdot p/m` and :math:`1 - D^* = \tfrac12 \cdot q/m`. Integrated
    against :math:`\int p = \int q = 1` the constant becomes :math:`-2 \log 2 = -\log 4`
    (Goodfellow et al. 2014, proof of Theorem 1; tutorial text "Mathematical ideas in GAN",
    eq. 7).
    Pointwise the constant is :math:`-(p + q)\log 2`, *not* :math:`-\log 4` (that would need
    :math:`p + q = 2`).

    Examples
    --------
    >>> r = integrand_identity()
    >>> r.constant
    (-p - q)*log(2)
    >>> import sympy as sp
    >>> sp.simplify(sp.expand_log(r.integrand - r.rewritten, force=True))
    0
    """
    p, q = sp.symbols("p q", positive=True)
    u, v = sp.symbols("u v", positive=True)  # stand-ins for p/m and q/m
    d = _optimal_d(p, q)
    integrand = p * sp.log(d) + q * sp.log(1 - d)
    m = (p + q) / 2
    if not (is_zero(d - (p / m) / 2) and is_zero(1 - d - (q / m) / 2)):
        raise RuntimeError(f"D* = {d} is not (p/m)/2 with m = (p+q)/2")
    split = sp.expand(sp.expand_log(p * sp.log(u / 2) + q * sp.log(v / 2), force=True))
    constant = sp.factor(split.coeff(sp.log(2))) * sp.log(2)
    rewritten = split.subs({u: p / m, v: q / m}, simultaneous=True)
    shown = p * sp.log(p / _M) + q * sp.log(q / _M) + constant
    lhs = p * sp.log(_D) + q * sp.log(1 - _D)
    steps = (
        ("Optimal discriminator, derived by pointwise_maximiser with a = p, b = q", eq(_D, d)),
        ("Integrand of V(G, D*)", eq(lhs, integrand)),
        ("With the mixture m = (p + q)/2, D* is half of p/m", eq(_D, (p / _M) / 2)),
        ("... and 1 - D* is half of q/m", eq(1 - _D, (q / _M) / 2)),
        ("Split log(half of p/m) = log(p/m) - log 2", eq(lhs, shown)),
        ("The constant is -(p + q) log 2 pointwise; it becomes -log 4 only after integrating "
         "against the two normalised densities", eq(sp.Symbol("c(x)"), constant)),
    )
    return IntegrandIdentity(
        steps=steps, p=p, q=q, discriminator=d, integrand=integrand, mixture=m,
        rewritten=rewritten, constant=constant,
    )


@dataclass(frozen=True, kw_only=True)
class DiscreteOptimalValue(Derivation):
    r""":math:`V(G, D^*)` for symbolic discrete distributions on ``n`` points.

    Attributes
    ----------
    n : int
        Number of support points.
    p, q : tuple of sympy.Expr
        :math:`p_{data}` and :math:`p_g`; the last entry is ``1 -`` the sum of the others.
    symbols : tuple of sympy.Symbol
        The free symbols ``(p1, ..., p{n-1}, q1, ..., q{n-1})``, in this order (for lambdify).
    discriminator : tuple of sympy.Expr
        :math:`D^*` at each point.
    value : sympy.Expr
        :math:`V(G, D^*) = \sum_i p_i \log D^*_i + q_i \log(1 - D^*_i)`.
    constant : sympy.Expr
        The summed constants of the integrand identity, :math:`-\sum_i (p_i + q_i)\log 2`.
    rewritten : sympy.Expr
        ``constant`` + :math:`\mathrm{KL}(p \,\|\, m) + \mathrm{KL}(q \,\|\, m)`.
    """

    n: int
    p: tuple[sp.Expr, ...]
    q: tuple[sp.Expr, ...]
    symbols: tuple[sp.Symbol, ...]
    discriminator: tuple[sp.Expr, ...]
    value: sp.Expr
    constant: sp.Expr
    rewritten: sp.Expr


def discrete_optimal_value(n: int = 3) -> DiscreteOptimalValue:
    r"""Derive :math:`V(G, D^*) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \,\|\, p_g)` on ``n`` points.

    .. math::
        V(G, D^*) = \sum_i p_i \log\frac{p_i}{p_i + q_i} + q_i \log\frac{q_i}{p_i + q_i}
        = -\log 4 + \mathrm{KL}(p \,\|\, m) + \mathrm{KL}(q \,\|\, m)

    Each term is rewritten by :func:`integrand_identity`; the constants sum to
    :math:`-\log 2 \sum_i (p_i + q_i) = -2\log 2` because both vectors sum to 1 (Goodfellow et
    al. 2014, Theorem 1; tutorial texts "Mathematical ideas in GAN" eq. 7 and "The mathematics
    of GANs").

    Parameters
    ----------
    n : int
        Number of support points, >= 2 (the cost grows quickly; 2 and 3 take well under 1 s).

    Examples
    --------
    >>> r = discrete_optimal_value(2)
    >>> r.constant
    -2*log(2)
    >>> import sympy as sp
    >>> sp.simplify(r.value - r.rewritten)
    0
    """
    return _discrete_optimal_value(support_size(n))


@functools.cache
def _discrete_optimal_value(n: int) -> DiscreteOptimalValue:
    ident = integrand_identity()
    p, p_free = simplex("p", n)
    q, q_free = simplex("q", n)
    d = tuple(_optimal_d(pi, qi) for pi, qi in zip(p, q, strict=True))
    value = _value(p, q, d)

    def at(expr: sp.Expr, pi: sp.Expr, qi: sp.Expr) -> sp.Expr:
        return expr.subs({ident.p: pi, ident.q: qi}, simultaneous=True)

    terms = sp.Add(*(at(ident.rewritten, pi, qi) for pi, qi in zip(p, q, strict=True)))
    constants = sp.Add(
        *(at(ident.constant, pi, qi) for pi, qi in zip(p, q, strict=True)), evaluate=False
    )
    constant = sp.expand(constants)
    kl_pm = sp.Add(*(pi * sp.log(pi / ((pi + qi) / 2)) for pi, qi in zip(p, q, strict=True)))
    kl_qm = sp.Add(*(qi * sp.log(qi / ((pi + qi) / 2)) for pi, qi in zip(p, q, strict=True)))
    rewritten = constant + kl_pm + kl_qm
    if not is_zero(terms - rewritten):
        raise RuntimeError("the term-wise rewrite does not add up to constant + KL + KL")
    v_sym = sp.Function("V")(sp.Symbol("G"), _D)
    kl, jsd = sp.Function("KL"), sp.Function("JSD")
    ps, qs, ms = sp.symbols("p q m")
    steps = (
        (f"Data distribution on {n} points (sum constraint substituted)",
         eq(ps, sp.Tuple(*p))),
        ("Generator distribution", eq(qs, sp.Tuple(*q))),
        ("Optimal discriminator at each point (pointwise_maximiser)", eq(_D, sp.Tuple(*d))),
        ("Value at the optimal discriminator", eq(v_sym, value)),
        ("Each term by the integrand identity", eq(v_sym, terms)),
        ("The constants add up to -log 4 because both vectors sum to 1",
         eq(constants, constant)),
        ("Hence", eq(v_sym, constant + kl(ps, ms) + kl(qs, ms))),
        ("With JSD = KL(p||m)/2 + KL(q||m)/2", eq(v_sym, -sp.log(4) + 2 * jsd(ps, qs))),
    )
    return DiscreteOptimalValue(
        steps=steps, n=n, p=p, q=q, symbols=p_free + q_free, discriminator=d, value=value,
        constant=constant, rewritten=rewritten,
    )


@dataclass(frozen=True, kw_only=True)
class GlobalMinimum(Derivation):
    r"""The minimiser of :math:`C(G)` over the probability simplex, by Lagrange multipliers.

    Attributes
    ----------
    n : int
        Number of support points.
    p, q : tuple of sympy.Symbol
        Positive symbols for :math:`p_{data}` (fixed; :math:`\sum_i p_i = 1` is used when solving
        for the multiplier) and :math:`p_g` (the variables).
    criterion : sympy.Expr
        :math:`C(q) = \sum_i p_i \log D^*_i + q_i \log(1 - D^*_i)` with the derived :math:`D^*`.
    gradient : tuple of sympy.Expr
        :math:`\partial/\partial q_i` of the Lagrangian :math:`C - \lambda(\sum_i q_i - 1)`.
    multiplier : sympy.Expr
        The multiplier :math:`\lambda^*` at the stationary point.
    minimiser : tuple of sympy.Expr
        The stationary :math:`q^*`.
    minimum : sympy.Expr
        :math:`C(q^*)` with :math:`\sum_i p_i = 1`.
    discriminator : tuple of sympy.Expr
        :math:`D^*` at :math:`q^*`.
    hessian : sympy.ImmutableMatrix
        :math:`\nabla^2_q C`.
    convex : bool
        Whether SymPy proved the Hessian diagonal with positive entries for all positive
        :math:`p, q` (so :math:`C` is strictly convex in :math:`q`).
    """

    n: int
    p: tuple[sp.Symbol, ...]
    q: tuple[sp.Symbol, ...]
    criterion: sp.Expr
    gradient: tuple[sp.Expr, ...]
    multiplier: sp.Expr
    minimiser: tuple[sp.Expr, ...]
    minimum: sp.Expr
    discriminator: tuple[sp.Expr, ...]
    hessian: sp.ImmutableMatrix
    convex: bool


def global_minimum(n: int = 3) -> GlobalMinimum:
    r"""Minimise :math:`C(G)` over the simplex: :math:`p_g = p_{data}`, :math:`C = -\log 4`.

    .. math::
        \mathcal{L}(q, \lambda) = C(q) - \lambda\Big(\sum_i q_i - 1\Big), \qquad
        \frac{\partial \mathcal{L}}{\partial q_i} = \log\frac{q_i}{p_i + q_i} - \lambda = 0

    Each stationarity equation gives :math:`q_i = p_i e^\lambda / (1 - e^\lambda)`; the
    constraint with :math:`\sum_i p_i = 1` gives :math:`\lambda^* = -\log 2`, hence
    :math:`q^* = p`, :math:`C(q^*) = -\log 4` and :math:`D^* = 1/2`. The Hessian
    :math:`\operatorname{diag}(p_i / (q_i (p_i + q_i)))` is positive definite, so :math:`C` is
    strictly convex in :math:`q` and the stationary point is its global minimum on the simplex
    (Goodfellow et al. 2014, Theorem 1; the tutorial text "The mathematics of GANs": ">= -log 4,
    equality iff p_d = p_g, D* = 1/2"; the 2018 notes "Generative adversarial networks":
    D(G(z)) = 1/2 at equilibrium).

    Parameters
    ----------
    n : int
        Number of support points, >= 2 (2 and 3 take about half a second each).

    Examples
    --------
    >>> r = global_minimum(2)
    >>> r.minimiser, r.multiplier, r.discriminator
    ((p1, p2), -log(2), (1/2, 1/2))
    >>> r.convex
    True
    """
    return _global_minimum(support_size(n))


@functools.cache
def _global_minimum(n: int) -> GlobalMinimum:
    p = tuple(sp.symbols(f"p1:{n + 1}", positive=True))
    q = tuple(sp.symbols(f"q1:{n + 1}", positive=True))
    lam = sp.Symbol("lambda", real=True)
    d = tuple(_optimal_d(pi, qi) for pi, qi in zip(p, q, strict=True))
    criterion = _value(p, q, d)
    lagrangian = criterion - lam * (sp.Add(*q) - 1)
    gradient = tuple(
        sp.simplify(sp.expand_log(sp.diff(lagrangian, qi), force=True)) for qi in q
    )
    q_of_lam = []
    for g, qi in zip(gradient, q, strict=True):
        solutions = sp.solve(g, qi)
        if len(solutions) != 1:
            raise RuntimeError(f"expected one solution of {g} = 0 for {qi}, got {solutions}")
        q_of_lam.append(solutions[0])
    on_simplex = {p[-1]: 1 - sp.Add(*p[:-1])}
    total = sp.simplify(sp.Add(*q_of_lam).subs(on_simplex))
    multipliers = sp.solve(sp.Eq(total, 1), lam)
    if len(multipliers) != 1:
        raise RuntimeError(f"expected one multiplier, got {multipliers}")
    lam_star = multipliers[0]
    minimiser = tuple(sp.simplify(qq.subs(lam, lam_star)) for qq in q_of_lam)
    at_min = dict(zip(q, minimiser, strict=True))
    minimum = sp.simplify(sp.expand_log(criterion.subs(at_min).subs(on_simplex), force=True))
    d_min = tuple(sp.simplify(di.subs(at_min)) for di in d)
    hessian = sp.ImmutableMatrix(sp.hessian(criterion, q).applyfunc(sp.simplify))
    convex = all(
        bool(hessian[i, j].is_positive) if i == j else bool(hessian[i, j].is_zero)
        for i in range(n) for j in range(n)
    )
    c_sym, l_sym = sp.Symbol("C(q)"), sp.Symbol(r"\mathcal{L}")
    steps = (
        ("C(G) = V(G, D*) as a function of q = p_g, with the derived D*", eq(c_sym, criterion)),
        ("Lagrangian for the constraint sum(q) = 1", eq(l_sym, c_sym - lam * (sp.Add(*q) - 1))),
        *((f"Stationarity in {qi}", eq(g, 0)) for qi, g in zip(q, gradient, strict=True)),
        *((f"Solved for {qi}", eq(qi, s)) for qi, s in zip(q, q_of_lam, strict=True)),
        ("Constraint sum(q) = 1, using sum(p) = 1", eq(total, 1)),
        ("Multiplier", eq(lam, lam_star)),
        ("Stationary point: p_g = p_data", eq(sp.Tuple(*q), sp.Tuple(*minimiser))),
        ("Minimum value", eq(sp.Symbol("C(p)"), minimum)),
        ("Optimal discriminator there", eq(_D, sp.Tuple(*d_min))),
        ("Hessian in q: diagonal with positive entries, so C is strictly convex and the "
         "stationary point is the global minimum on the simplex", hessian),
    )
    return GlobalMinimum(
        steps=steps, n=n, p=p, q=q, criterion=criterion, gradient=gradient,
        multiplier=lam_star, minimiser=minimiser, minimum=minimum, discriminator=d_min,
        hessian=hessian, convex=convex,
    )
