"""Shared pieces of the symbolic derivations: the :class:`Derivation` record and input checks.

Every derivation in :mod:`gantheory.symbolic` returns a frozen dataclass that extends
:class:`Derivation`: the derived results as SymPy expressions, plus ``steps``, the ordered
``(description, expression)`` pairs of the derivation that a notebook or the docs render with
:func:`sympy.latex` (:meth:`Derivation.latex`, :meth:`Derivation.markdown`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import sympy as sp

__all__ = ["Derivation", "Step"]

#: One step of a derivation: what was done, and the resulting expression or equation.
Step = tuple[str, sp.Basic]


@dataclass(frozen=True, kw_only=True)
class Derivation:
    """Base record of a derivation: its ordered steps.

    Attributes
    ----------
    steps : tuple of (str, sympy.Basic)
        ``(description, expression)`` pairs in the order of the derivation. Equations are
        unevaluated :class:`sympy.Eq` objects, so they render as equations, never as ``True``.
    """

    steps: tuple[Step, ...]

    def latex(self) -> tuple[tuple[str, str], ...]:
        """The steps as ``(description, LaTeX)`` pairs, rendered with :func:`sympy.latex`."""
        return tuple((text, sp.latex(expr)) for text, expr in self.steps)

    def markdown(self) -> str:
        """The steps as a numbered Markdown list with display math (for notebooks)."""
        return "\n".join(
            f"{i}. {text}\n\n   $$ {tex} $$" for i, (text, tex) in enumerate(self.latex(), 1)
        )


def eq(lhs: sp.Basic, rhs: sp.Basic) -> sp.Eq:
    """An unevaluated equation ``lhs = rhs`` (``sp.Eq(x, x)`` would collapse to ``True``)."""
    return sp.Eq(lhs, rhs, evaluate=False)


def is_zero(expr: sp.Basic) -> bool:
    """Whether ``expr`` simplifies to exactly 0 (logarithms of positive symbols expanded)."""
    return bool(sp.simplify(sp.expand_log(sp.expand(expr), force=True)) == 0)


def support_size(n: object) -> int:
    """Validate the number of support points of a symbolic discrete distribution."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
        raise ValueError(f"`n` must be an integer >= 2 (got {n!r})")
    return int(n)


def simplex(name: str, n: int) -> tuple[tuple[sp.Expr, ...], tuple[sp.Symbol, ...]]:
    """A symbolic probability vector on ``n`` points with the sum constraint substituted.

    Returns ``(probabilities, free_symbols)``: the first ``n - 1`` probabilities are positive
    symbols ``name1, ..., name{n-1}`` and the last is ``1 - (name1 + ... + name{n-1})``.
    """
    free = tuple(sp.symbols(f"{name}1:{n}", positive=True))
    return (*free, 1 - sp.Add(*free)), free


def nonnegative(value: object, name: str) -> sp.Expr:
    """A non-negative coefficient as a SymPy expression; ``None`` gives a positive symbol.

    Numbers must be finite and >= 0; integers and fractions stay exact and floats become the
    rational of their shortest decimal repr (``0.3 -> 3/10``). SymPy expressions must be
    *known* to be positive or zero.
    """
    if value is None:
        return sp.Symbol(name, positive=True)
    if isinstance(value, sp.Basic):
        expr = value
        if expr.is_finite is False or expr.has(sp.nan, sp.zoo):
            raise ValueError(f"`{name}` must be finite (got {value})")
        if expr.is_negative:
            raise ValueError(f"`{name}` must be non-negative (got {value})")
        if not (expr.is_positive or expr.is_zero):
            raise ValueError(
                f"`{name}` must be known to be positive or zero, e.g. a symbol declared with "
                f"positive=True (got {value})"
            )
        return expr
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"`{name}` must be a real number or a SymPy expression (got {type(value).__name__})"
        )
    if not math.isfinite(float(value)) or value < 0:
        raise ValueError(f"`{name}` must be finite and non-negative (got {value!r})")
    if isinstance(value, numbers.Rational):
        return sp.Rational(int(value.numerator), int(value.denominator))
    return sp.Rational(repr(float(value)))
