r"""The pointwise optimum of any GAN objective, derived with SymPy.

Every objective of :mod:`gantheory.objectives` is an integral of the form

.. math:: V(G, D) = \int p_{data}(x)\, u\bigl(D(x)\bigr) + p_g(x)\, w\bigl(D(x)\bigr)\,dx

with a *data term* :math:`u` and a *generated term* :math:`w`, so for a fixed generator the
discriminator is optimal when it maximises, at every ``x`` separately, the function

.. math:: J(y) = p_{data}\, u(y) + p_g\, w(y), \qquad y \in I,

over its output domain :math:`I` (:math:`(0, 1)` for a probability, :math:`\mathbb{R}` for an
unbounded critic, :math:`\operatorname{dom} f^*` for an f-GAN critic). :func:`derive_pointwise`
derives the maximiser :math:`D^*(p_{data}, p_g)`, proves it is the unique global maximiser
(strict concavity on :math:`I` by SymPy's assumption system, after mapping :math:`I` onto
:math:`(0, \infty)`), derives the value at the optimum :math:`J(D^*)`, and the boundary cases
where one density vanishes. It handles the three shapes the common objectives take:

* smooth and strictly concave: the unique root of :math:`J'(y) = 0` in :math:`I`
  (Goodfellow et al. 2014, label smoothing, least squares, the f-GAN critics);
* piecewise linear (the hinge loss): the kink with the largest value, after checking that
  :math:`J` does not increase beyond the outermost kinks;
* linear: the endpoint of :math:`I` the slope points to, or no maximiser at all when
  :math:`I` is unbounded that way (the unconstrained Wasserstein critic: the supremum is
  :math:`+\infty` wherever :math:`p_{data} \ne p_g`).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq

__all__ = ["PointwiseOptimum", "density_symbols", "derive_pointwise"]


@functools.cache
def density_symbols() -> tuple[sp.Symbol, sp.Symbol]:
    """The positive symbols :math:`p_{data}` and :math:`p_g` standing for the two densities at
    one point ``x``."""
    return sp.Symbol("p_data", positive=True), sp.Symbol("p_g", positive=True)


@dataclass(frozen=True, kw_only=True)
class PointwiseOptimum(Derivation):
    r"""The derived pointwise optimum of an objective.

    Attributes
    ----------
    p_data, p_g : sympy.Symbol
        The two densities at one point (positive symbols).
    variable : sympy.Symbol
        The discriminator's value :math:`y = D(x)`.
    domain : sympy.Interval
        Its output domain :math:`I`.
    integrand : sympy.Expr
        :math:`J(y) = p_{data}\,u(y) + p_g\,w(y)`.
    shape : {"smooth", "piecewise linear", "linear"}
        Which of the three derivations applied.
    maximiser : sympy.Expr or None
        :math:`D^*(p_{data}, p_g)`; ``None`` when the supremum is not attained (unbounded).
    value : sympy.Expr
        :math:`\sup_I J`: :math:`J(D^*)`, or :math:`+\infty` (``sympy.oo``) where unbounded.
    second_derivative : sympy.Expr or None
        :math:`J''(y)` for the smooth shape.
    concave : bool or None
        Whether SymPy proved :math:`J'' < 0` on all of :math:`I` (smooth shape), or the slopes
        decrease across the kinks (piecewise linear): the maximiser is then unique (for
        :math:`p_{data} \ne p_g` in the piecewise-linear and linear shapes).
    at_equal : sympy.Expr or None
        :math:`D^*` where :math:`p_{data} = p_g` (the equilibrium; also gantheory's value where
        both densities vanish).
    no_generator, no_data : sympy.Expr or None
        The limits of :math:`D^*` as :math:`p_g \to 0^+` and as :math:`p_{data} \to 0^+`.
    boundary_optimal : bool
        Whether each limit maximises the term that is left (:math:`u` alone where
        :math:`p_g = 0`, :math:`w` alone where :math:`p_{data} = 0`) over the closure of
        :math:`I`: the optimum where one density vanishes is the limit of the interior one.
    """

    p_data: sp.Symbol
    p_g: sp.Symbol
    variable: sp.Symbol
    domain: sp.Interval
    integrand: sp.Expr
    shape: str
    maximiser: sp.Expr | None
    value: sp.Expr
    second_derivative: sp.Expr | None
    concave: bool | None
    at_equal: sp.Expr | None
    no_generator: sp.Expr | None
    no_data: sp.Expr | None
    boundary_optimal: bool


def _onto(domain: sp.Interval, s: sp.Symbol) -> sp.Expr | None:
    """A bijection from ``s > 0`` onto the interior of ``domain`` (``None`` for all of R)."""
    lo, hi = domain.inf, domain.sup
    if lo.is_finite and hi.is_finite:
        return lo + (hi - lo) * s / (1 + s)
    if lo.is_finite:
        return lo + s
    if hi.is_finite:
        return hi - s
    return None


def _sign_on(expr: sp.Expr, y: sp.Symbol, domain: sp.Interval) -> sp.Expr:
    """``expr`` with ``y`` mapped onto the domain's interior, simplified (for sign decisions)."""
    s = sp.Symbol("s", positive=True)
    image = _onto(domain, s)
    if image is None:
        return sp.factor(sp.simplify(expr))
    return sp.factor(sp.simplify(expr.subs(y, image)))


def _inside(expr: sp.Expr, domain: sp.Interval, ranges: dict[sp.Symbol, sp.Expr]) -> bool:
    """Whether SymPy proves ``expr`` lies in the open interior of ``domain`` for every positive
    pair of densities and every admissible parameter (``ranges`` maps each parameter to a
    reparametrisation over positive symbols)."""
    e = expr.subs(ranges)
    checks = []
    if domain.inf.is_finite:
        checks.append(_positive(e, domain.inf))
    if domain.sup.is_finite:
        checks.append(_positive(-e, -domain.sup))
    return all(checks)


def _positive(e: sp.Expr, bound: sp.Expr) -> bool:
    """Whether SymPy proves ``e > bound``, looking through a logarithm with a constant factor
    (``c log g > b`` iff ``g > exp(b / c)`` for ``c > 0``, and ``g < exp(b / c)`` for ``c < 0``)."""
    if sp.factor(sp.simplify(e - bound)).is_positive:
        return True
    coeff, rest = sp.logcombine(sp.simplify(e), force=True).as_coeff_Mul()
    if isinstance(rest, sp.log) and coeff != 0:
        # g and the level are positive: compare their squares too (roots of ratios)
        g, level = rest.args[0], sp.exp(bound / coeff)
        for a, b in ((g, level), (g**2, level**2)):
            gap = a - b if coeff > 0 else b - a
            if sp.factor(sp.simplify(gap)).is_positive:
                return True
    return False


def _sup_endpoint(term: sp.Expr, y: sp.Symbol, domain: sp.Interval) -> sp.Expr | None:
    """The endpoint of ``domain`` where a monotone ``term`` has its supremum, if it is monotone
    (or ``None``)."""
    slope = _sign_on(sp.diff(term, y), y, domain)
    if _decided(slope, "positive"):
        return domain.sup
    if _decided(slope, "negative"):
        return domain.inf
    return None


def _decided(expr: sp.Expr, sign: str) -> bool:
    """Whether SymPy proves ``expr`` positive (negative, ...) on ``s > 0``: by its assumption
    system, or, for an expression of ``s`` alone, by showing that the set where the sign fails
    is empty (:func:`sympy.solveset`)."""
    known = getattr(expr, f"is_{sign}")
    if known is not None:
        return bool(known)
    free = expr.free_symbols
    if len(free) != 1:
        return False
    (s,) = free
    fails = {"positive": expr <= 0, "negative": expr >= 0, "nonpositive": expr > 0,
             "nonnegative": expr < 0}[sign]
    return bool(sp.solveset(fails, s, sp.Interval.open(0, sp.oo)) == sp.EmptySet)


def _limit(expr: sp.Expr, density: sp.Symbol) -> sp.Expr:
    """The limit of ``expr`` as ``density -> 0+`` (a piecewise expression is evaluated there:
    its branches are constants, chosen by strict inequalities between the densities)."""
    if expr.has(sp.Piecewise):
        return sp.simplify(expr.subs(density, 0))
    return sp.simplify(sp.limit(expr, density, 0, "+"))


def _maximises(
    term: sp.Expr, y: sp.Symbol, domain: sp.Interval, at: sp.Expr,
    ranges: dict[sp.Symbol, sp.Expr],
) -> bool:
    """Whether ``y = at`` maximises the single term ``term`` over the closure of ``domain``
    (for every admissible parameter, via ``ranges``)."""
    term, at = term.subs(ranges), at.subs(ranges)
    if term.has(sp.Max, sp.Abs, sp.Min, sp.Piecewise):
        kinks = _kinks(term, y)
        value_at = sp.simplify(term.subs(y, at))
        inner = all(sp.simplify(value_at - term.subs(y, k)).is_nonnegative for k in kinks)
        return bool(inner) and _flat_or_falling_outside(term, y, kinks)
    if at in (domain.inf, domain.sup):
        return _sup_endpoint(term, y, domain) == at
    return bool(sp.simplify(sp.diff(term, y).subs(y, at)) == 0) and _decided(
        _sign_on(sp.diff(term, y, 2), y, domain), "nonpositive"
    )


def _kinks(expr: sp.Expr, y: sp.Symbol) -> list[sp.Expr]:
    """The points where a ``Max(0, g(y))`` term of ``expr`` switches branch, sorted."""
    points: set[sp.Expr] = set()
    for m in expr.atoms(sp.Max, sp.Min):
        for arg in m.args:
            if arg.has(y):
                points.update(sp.solve(arg - next(a for a in m.args if a is not arg), y))
    return sorted(points, key=lambda k: float(k))


def _slope(expr: sp.Expr, y: sp.Symbol, at: sp.Expr) -> sp.Expr:
    """The slope of a piecewise-linear ``expr`` on the piece containing the point ``at``."""
    active = expr.replace(
        lambda e: isinstance(e, sp.Max | sp.Min),
        lambda e: max(e.args, key=lambda a: float(a.subs(y, at)))
        if isinstance(e, sp.Max) else min(e.args, key=lambda a: float(a.subs(y, at))),
    )
    return sp.simplify(sp.diff(active, y))


def _flat_or_falling_outside(expr: sp.Expr, y: sp.Symbol, kinks: list[sp.Expr]) -> bool:
    """Whether a piecewise-linear ``expr`` does not increase away from its outermost kinks."""
    left, right = _slope(expr, y, kinks[0] - 1), _slope(expr, y, kinks[-1] + 1)
    return bool(left.is_nonnegative) and bool(right.is_nonpositive)


def derive_pointwise(
    data_term: sp.Expr,
    generated_term: sp.Expr,
    variable: sp.Symbol,
    domain: sp.Interval,
    *,
    ranges: dict[sp.Symbol, sp.Expr] | None = None,
) -> PointwiseOptimum:
    r"""Derive :math:`\arg\max_{y \in I} p_{data}\,u(y) + p_g\,w(y)` and the value there.

    Parameters
    ----------
    data_term, generated_term : sympy.Expr
        :math:`u(y)` and :math:`w(y)` in ``variable``, possibly with parameter symbols.
    variable : sympy.Symbol
        The symbol :math:`y` standing for :math:`D(x)`.
    domain : sympy.Interval
        The output domain :math:`I` (open or closed; the derivation works on its interior).
    ranges : dict, optional
        For each parameter symbol, a reparametrisation over positive (or non-negative) symbols
        that covers its admissible range, e.g. :math:`\alpha = t / (1 + t)` for
        :math:`\alpha \in [0, 1)`: used to prove that the maximiser lies in :math:`I` and that
        the second derivative is negative for *every* admissible parameter.

    Returns
    -------
    PointwiseOptimum

    Examples
    --------
    Goodfellow et al.'s objective, :math:`u = \log y`, :math:`w = \log(1 - y)`:

    >>> y = sp.Symbol("D", real=True)
    >>> r = derive_pointwise(sp.log(y), sp.log(1 - y), y, sp.Interval.open(0, 1))
    >>> r.maximiser, r.concave, r.at_equal
    (p_data/(p_data + p_g), True, 1/2)
    >>> r.no_generator, r.boundary_optimal
    (1, True)

    The unconstrained Wasserstein critic has no maximiser:

    >>> derive_pointwise(y, -y, y, sp.Interval(-sp.oo, sp.oo)).value
    oo
    """
    ranges = dict(ranges or {})
    return _derive(data_term, generated_term, variable, domain, tuple(ranges.items()))


@functools.cache
def _derive(
    u: sp.Expr, w: sp.Expr, y: sp.Symbol, domain: sp.Interval,
    ranges_items: tuple[tuple[sp.Symbol, sp.Expr], ...],
) -> PointwiseOptimum:
    ranges = dict(ranges_items)
    p, q = density_symbols()
    J = p * u + q * w
    Jf = sp.Function("J")(y)
    steps: list[tuple[str, sp.Basic]] = [
        ("The integrand at one x, with y = D(x), to be maximised over the output domain",
         eq(Jf, J)),
    ]
    second, concave = None, None
    if J.has(sp.Max, sp.Min):
        shape = "piecewise linear"
        maximiser, value, concave, more = _piecewise_linear(J, y)
    elif not sp.diff(J, y).has(y):
        shape = "linear"
        maximiser, value, more = _linear(J, y, domain)
    else:
        shape = "smooth"
        maximiser, value, second, concave, more = _smooth(J, y, domain, ranges)
    steps += more
    at_equal = no_gen = no_data = None
    boundary = False
    if maximiser is not None:
        at_equal = sp.simplify(maximiser.subs(q, p))
        no_gen, no_data = _limit(maximiser, q), _limit(maximiser, p)
        boundary = _maximises(u, y, domain, no_gen, ranges) and _maximises(
            w, y, domain, no_data, ranges
        )
        steps += [
            ("At the equilibrium p_g = p_data", eq(sp.Subs(sp.Symbol("D^*"), q, p), at_equal)),
            ("Where p_g -> 0 the optimum tends to", eq(sp.Limit(sp.Symbol("D^*"), q, 0, "+"),
                                                       no_gen)),
            ("Where p_data -> 0 the optimum tends to",
             eq(sp.Limit(sp.Symbol("D^*"), p, 0, "+"), no_data)),
        ]
    return PointwiseOptimum(
        steps=tuple(steps), p_data=p, p_g=q, variable=y, domain=domain, integrand=J,
        shape=shape, maximiser=maximiser, value=value, second_derivative=second,
        concave=concave, at_equal=at_equal, no_generator=no_gen, no_data=no_data,
        boundary_optimal=boundary,
    )


def _smooth(
    J: sp.Expr, y: sp.Symbol, domain: sp.Interval, ranges: dict[sp.Symbol, sp.Expr]
) -> tuple[sp.Expr, sp.Expr, sp.Expr, bool | None, list]:
    Jf = sp.Function("J")(y)
    d1, d2 = sp.diff(J, y), sp.diff(J, y, 2)
    on_domain = _sign_on(d2.subs(ranges), y, domain)
    concave = _decided(on_domain, "negative")
    roots = [sp.simplify(r) for r in sp.solve(d1, y)]
    inside = [r for r in roots if _inside(r, domain, ranges)]
    if len(inside) != 1:
        raise RuntimeError(
            f"expected one stationary point inside {domain}, SymPy found {roots}"
            f" ({len(inside)} proved inside)"
        )
    maximiser = sp.factor(inside[0])
    value = sp.simplify(J.subs(y, maximiser))
    steps = [
        ("First derivative", eq(sp.Derivative(Jf, y), d1)),
        ("Second derivative", eq(sp.Derivative(Jf, (y, 2)), d2)),
        ("With y mapped onto the interior of the domain (and the parameters onto their"
         " ranges) the second derivative is negative: J is strictly concave",
         sp.StrictLessThan(on_domain, 0, evaluate=False)),
        ("The unique stationary point inside the domain, hence the global maximiser",
         eq(sp.Symbol("D^*"), maximiser)),
        ("The value at the optimum", eq(Jf.subs(y, sp.Symbol("D^*")), value)),
    ]
    return maximiser, value, d2, concave, steps


def _piecewise_linear(J: sp.Expr, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr, bool, list]:
    p, q = density_symbols()
    kinks = _kinks(J, y)
    values = [sp.simplify(J.subs(y, k)) for k in kinks]
    slopes = [_slope(J, y, kinks[0] - 1)]
    slopes += [_slope(J, y, (a + b) / 2) for a, b in itertools.pairwise(kinks)]
    slopes.append(_slope(J, y, kinks[-1] + 1))
    if not _flat_or_falling_outside(J, y, kinks):
        raise RuntimeError(f"{J} increases beyond its outermost kinks: no maximiser")
    # concave: the slopes decrease from piece to piece (differences provably non-negative)
    concave = all(sp.simplify(a - b).is_nonnegative for a, b in itertools.pairwise(slopes))
    if len(kinks) != 2:
        raise NotImplementedError("piecewise-linear objectives with two kinks only")
    gap = sp.factor(sp.simplify(values[1] - values[0]))
    maximiser = sp.Piecewise((kinks[1], gap > 0), (kinks[0], gap < 0), ((kinks[0] + kinks[1]) / 2,
                                                                          True))
    value = sp.Piecewise((values[1], gap > 0), (values[0], True))
    Jf = sp.Function("J")(y)
    steps = [
        ("J is piecewise linear; its kinks", sp.FiniteSet(*kinks)),
        ("Slopes on the pieces, left to right (positive, then decreasing, then negative: J is"
         " concave and its maximum is at a kink)", sp.Tuple(*slopes)),
        ("Values at the kinks", sp.Tuple(*values)),
        ("Their difference decides the maximiser",
         eq(sp.Function("J")(sp.Symbol("k_2")) - sp.Function("J")(sp.Symbol("k_1")), gap)),
        ("The maximiser (any point between the kinks where they tie)",
         eq(sp.Symbol("D^*"), maximiser)),
        ("The value at the optimum", eq(Jf.subs(y, sp.Symbol("D^*")), value)),
    ]
    del p, q
    return maximiser, value, concave, steps


def _linear(J: sp.Expr, y: sp.Symbol, domain: sp.Interval) -> tuple[sp.Expr | None, sp.Expr,
                                                                     list]:
    slope = sp.simplify(sp.diff(J, y))
    steps: list[tuple[str, sp.Basic]] = [
        ("J is linear in y, with slope", eq(sp.Derivative(sp.Function("J")(y), y), slope))
    ]
    lo, hi = domain.inf, domain.sup
    if not (lo.is_finite and hi.is_finite):
        steps.append((
            "On an unbounded domain a linear J has no maximum unless its slope vanishes: the"
            " supremum is +oo wherever p_data != p_g", eq(sp.Symbol(r"\sup J"), sp.oo),
        ))
        return None, sp.oo, steps
    maximiser = sp.Piecewise((hi, slope > 0), (lo, slope < 0), ((lo + hi) / 2, True))
    value = sp.Piecewise((sp.simplify(J.subs(y, hi)), slope > 0),
                         (sp.simplify(J.subs(y, lo)), slope < 0), (J.subs(y, (lo + hi) / 2), True))
    steps += [
        ("On a bounded domain the maximiser is the endpoint the slope points to",
         eq(sp.Symbol("D^*"), maximiser)),
        ("The value at the optimum", eq(sp.Symbol(r"\sup J"), value)),
    ]
    return maximiser, value, steps
