r"""The optimal discriminator, derived pointwise (Goodfellow et al. 2014, Proposition 1).

For a fixed generator, :math:`V(G, D) = \int p_{data}(x) \log D(x) + p_g(x) \log(1 - D(x))\,dx`
is maximised by maximising the integrand at every ``x`` separately, i.e. the function

.. math:: f(y) = a \log y + b \log(1 - y), \qquad y \in (0, 1),

with :math:`a = p_{data}(x)` and :math:`b = p_g(x)`. :func:`pointwise_maximiser` *derives* the
maximiser by solving :math:`f'(y) = 0` with SymPy (tutorial texts "Mathematical ideas in GAN"
eq. 6 and "The mathematics of GANs") and handles the boundary cases the texts skip.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq, nonnegative

__all__ = ["PointwiseMaximiser", "pointwise_maximiser"]


@dataclass(frozen=True, kw_only=True)
class PointwiseMaximiser(Derivation):
    r"""The derived maximiser of :math:`f(y) = a \log y + b \log(1 - y)` on :math:`(0, 1)`.

    Attributes
    ----------
    a, b : sympy.Expr
        The coefficients (positive symbols ``a``, ``b`` by default).
    y : sympy.Symbol
        The variable, standing for :math:`D(x)`.
    objective : sympy.Expr
        :math:`f(y)`.
    first_derivative, second_derivative : sympy.Expr
        :math:`f'(y)` and :math:`f''(y)`.
    maximiser : sympy.Expr
        :math:`\arg\max f` over :math:`[0, 1]`: :math:`a / (a + b)` for :math:`a, b > 0`,
        the endpoint 0 when :math:`a = 0` and 1 when :math:`b = 0`.
    maximum : sympy.Expr
        :math:`\sup_{(0, 1)} f` (a limit at the endpoint in the boundary cases).
    concave : bool or None
        Whether SymPy proved :math:`f'' < 0` on all of :math:`(0, 1)`.
    interior : bool
        Whether the maximum is attained inside :math:`(0, 1)` (True iff :math:`a, b > 0`).
    """

    a: sp.Expr
    b: sp.Expr
    y: sp.Symbol
    objective: sp.Expr
    first_derivative: sp.Expr
    second_derivative: sp.Expr
    maximiser: sp.Expr
    maximum: sp.Expr
    concave: bool | None
    interior: bool


def pointwise_maximiser(*, a: object = None, b: object = None) -> PointwiseMaximiser:
    r"""Derive :math:`\arg\max_{y \in (0,1)} a \log y + b \log(1 - y)`.

    .. math::
        f'(y) = \frac{a}{y} - \frac{b}{1 - y} = 0 \iff y^* = \frac{a}{a + b}, \qquad
        f''(y) = -\frac{a}{y^2} - \frac{b}{(1 - y)^2} < 0

    With :math:`a = p_{data}(x)`, :math:`b = p_g(x)` this is the optimal discriminator
    :math:`D^*_G(x) = p_{data}(x) / (p_{data}(x) + p_g(x))` (Goodfellow et al. 2014,
    Proposition 1; tutorial texts "Mathematical ideas in GAN" eq. 6 and "The mathematics of
    GANs").
    The stationary point is found by :func:`sympy.solve`; concavity is proved by writing
    :math:`y = s / (1 + s)`, :math:`s > 0` (a bijection onto :math:`(0, 1)`) and letting
    SymPy's assumption system decide the sign of :math:`f''`.

    Boundary cases: for :math:`a = 0 < b`, :math:`f' = -b/(1 - y) < 0` on :math:`(0, 1)`, so the
    supremum is the limit at the endpoint :math:`y \to 0^+` (where :math:`p_{data} = 0` the
    optimal discriminator says "fake"); symmetrically :math:`b = 0 < a` gives :math:`y^* = 1`.
    :math:`a = b = 0` makes :math:`f \equiv 0`: every :math:`y` is optimal, so :math:`D^*` is
    undefined there (outside both supports).

    Parameters
    ----------
    a, b : number or sympy.Expr, optional
        Non-negative coefficients. ``None`` (default) uses positive symbols ``a`` and ``b``.

    Returns
    -------
    PointwiseMaximiser

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is negative, not finite, not known to be non-negative, or both are 0.
    TypeError
        If ``a`` or ``b`` is neither a real number nor a SymPy expression.

    Examples
    --------
    >>> r = pointwise_maximiser()
    >>> r.maximiser
    a/(a + b)
    >>> r.concave, r.interior
    (True, True)
    >>> pointwise_maximiser(a=0, b=2).maximiser
    0
    >>> pointwise_maximiser(a=0.25, b=0.75).maximiser
    1/4
    """
    a_expr, b_expr = nonnegative(a, "a"), nonnegative(b, "b")
    if a_expr.is_zero and b_expr.is_zero:
        raise ValueError(
            "`a` and `b` are both 0 (got a=0, b=0): f(y) = 0 for every y, so the maximiser "
            "(the optimal discriminator outside both supports) is undefined"
        )
    return _derive(a_expr, b_expr)


@functools.cache
def _derive(a: sp.Expr, b: sp.Expr) -> PointwiseMaximiser:
    y = sp.Symbol("y", positive=True)
    s = sp.Symbol("s", positive=True)  # y = s / (1 + s) maps s in (0, oo) onto y in (0, 1)
    on_unit = {y: s / (1 + s)}
    f = sp.Function("f")(y)
    objective = a * sp.log(y) + b * sp.log(1 - y)
    fp = sp.diff(objective, y)
    fpp = sp.diff(objective, y, 2)
    fpp_s = sp.factor(sp.simplify(fpp.subs(on_unit)))
    concave = fpp_s.is_negative
    steps: list[tuple[str, sp.Basic]] = [
        ("Integrand of V at one x, with a = p_data(x), b = p_g(x) and y = D(x)",
         eq(f, objective)),
        ("First derivative", eq(sp.Derivative(f, y), fp)),
        ("Second derivative", eq(sp.Derivative(f, (y, 2)), fpp)),
        ("On (0, 1), y = s/(1+s) with s > 0: the second derivative is negative, so f is "
         "strictly concave", sp.StrictLessThan(fpp_s, 0, evaluate=False)),
    ]
    if a.is_positive and b.is_positive:
        solutions = sp.solve(fp, y)
        if len(solutions) != 1:
            raise RuntimeError(f"expected one stationary point, SymPy found {solutions}")
        maximiser = sp.simplify(solutions[0])
        maximum = sp.simplify(objective.subs(y, maximiser))
        steps += [
            ("Stationary point: the unique solution of f'(y) = 0", eq(y, maximiser)),
            ("It lies in (0, 1): 1 - y* is positive as well",
             eq(1 - y, sp.simplify(1 - maximiser))),
            ("Maximum (a concave function's stationary point is its global maximum)",
             eq(f.subs(y, maximiser), maximum)),
        ]
        interior = True
    else:
        fp_s = sp.factor(sp.simplify(fp.subs(on_unit)))
        if a.is_zero:
            decreasing, endpoint, side = fp_s.is_negative, sp.Integer(0), "+"
            words = "negative: f decreases on (0, 1), so the supremum is at y -> 0+"
        else:
            decreasing, endpoint, side = fp_s.is_positive, sp.Integer(1), "-"
            words = "positive: f increases on (0, 1), so the supremum is at y -> 1-"
        if not decreasing:
            raise RuntimeError(f"SymPy could not determine the sign of f'(y) = {fp}")
        maximiser, maximum = endpoint, sp.limit(objective, y, endpoint, side)
        steps += [
            ("On (0, 1), y = s/(1+s): the first derivative is " + words,
             eq(sp.Subs(sp.Derivative(f, y), y, s / (1 + s)), fp_s)),
            ("Supremum as a limit at the endpoint",
             eq(sp.Limit(objective, y, endpoint, side), maximum)),
            ("Maximiser (an endpoint of [0, 1])", eq(y, maximiser)),
        ]
        interior = False
    return PointwiseMaximiser(
        steps=tuple(steps), a=a, b=b, y=y, objective=objective, first_derivative=fp,
        second_derivative=fpp, maximiser=maximiser, maximum=maximum, concave=concave,
        interior=interior,
    )
