r"""The rows of f-GAN, derived: conjugates, domains, optimal critics, output activations.

Nowozin et al. (2016) train a critic :math:`T` on the variational lower bound
:math:`D_f(P \| Q) \ge \mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)]` (their eq. 4, after Nguyen et al.
2010), where :math:`f^*(t) = \sup_{u \in \mathrm{dom} f}(t u - f(u))` is the convex conjugate of
the generator, and write :math:`T = g_f(V)` with an output activation :math:`g_f` onto
:math:`\mathrm{dom} f^*` (their Table 2). :func:`fgan_row` derives one row for each generator of
:data:`gantheory.fdivergence.F_DIVERGENCES`, with :math:`\mathrm{dom} f = [0, \infty)` (their
Section 2.1: :math:`f: \mathbb{R}_+ \to \mathbb{R}`):

* differentiable, strictly convex :math:`f`: :math:`f'` maps :math:`(0, \infty)` onto
  :math:`(a, b)`, :math:`a = f'(0^+)`, :math:`b = f'(\infty)`; for :math:`t \in (a, b)` the
  supremum is attained where :math:`t = f'(u)`, solved for :math:`u` by :func:`sympy.solve`; for
  :math:`t \le a` the function :math:`t u - f(u)` decreases, so :math:`f^*(t) = -f(0^+)`; for
  :math:`t \ge b` it increases and :math:`f^*(t) = \lim_{u \to \infty} t u - f(u)`;
* total variation, :math:`f(u) = \tfrac12|u - 1|`, piecewise linear with a kink at 1:
  :math:`t u - f(u)` is linear on :math:`[0, 1]` and on :math:`[1, \infty)`, so its supremum
  on each piece is at an endpoint, or :math:`+\infty` if the slope on the unbounded piece is
  positive.

The effective domain :math:`\mathrm{dom} f^*` is where the supremum is finite. Each derived
:math:`f^*` is compared with Table 2 exactly. Two entries of the table are the conjugates over
all real :math:`u` (Pearson: :math:`(u - 1)^2`, total variation: :math:`\tfrac12|u - 1|`), not
over :math:`u \ge 0`: they agree on :math:`t \ge -2` and on :math:`|t| \le \tfrac12`; below,
the conjugate over :math:`u \ge 0` is :math:`-1` (:math:`-\tfrac12`) and the domain of the total
variation's is :math:`(-\infty, \tfrac12]`. :func:`jensen_shannon_normalisation` derives what the
Jensen-Shannon row's normalisation changes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq

__all__ = [
    "FGAN_NAMES",
    "FGanRow",
    "JensenShannonNormalisation",
    "fgan_row",
    "jensen_shannon_normalisation",
]

#: The generators with a row (the names of :data:`gantheory.fdivergence.F_DIVERGENCES`).
FGAN_NAMES: tuple[str, ...] = (
    "kl", "reverse_kl", "js", "gan", "pearson", "squared_hellinger", "total_variation",
)

_U = sp.Symbol("u", nonnegative=True)
_T = sp.Symbol("t", real=True)
_V = sp.Symbol("v", real=True)
_S = sp.Symbol("s", positive=True)  # a distance to an end of an interval
_W = sp.Symbol("w", nonnegative=True)
_LOG2 = sp.log(2)
_HALF = sp.Rational(1, 2)


def _generator(name: str, u: sp.Symbol) -> sp.Expr:
    """f(u) of ``name`` as written in :mod:`gantheory.fdivergence` (``"js_table1"``: Nowozin et
    al.'s Table 1 Jensen-Shannon generator)."""
    return {
        "kl": u * sp.log(u),
        "reverse_kl": -sp.log(u),
        "js": (u * sp.log(u) - (u + 1) * sp.log((u + 1) / 2)) / 2,
        "js_table1": -(u + 1) * sp.log((1 + u) / 2) + u * sp.log(u),
        "gan": u * sp.log(u) - (u + 1) * sp.log(u + 1),
        "pearson": (u - 1) ** 2,
        "squared_hellinger": (sp.sqrt(u) - 1) ** 2,
        "total_variation": sp.Abs(u - 1) / 2,
    }[name]


def _softplus(x: sp.Expr) -> sp.Expr:
    return sp.log(1 + sp.exp(x))


#: Nowozin et al. 2016, Table 2: (f*(t), dom f*, g_f(v)), transcribed. The Jensen-Shannon row
#: belongs to the Table 1 generator (twice the one of "js").
_TABLE2: dict[str, tuple[sp.Expr, sp.Set, sp.Expr]] = {
    "kl": (sp.exp(_T - 1), sp.S.Reals, _V),
    "reverse_kl": (-1 - sp.log(-_T), sp.Interval.open(-sp.oo, 0), -sp.exp(-_V)),
    "js_table1": (-sp.log(2 - sp.exp(_T)), sp.Interval.open(-sp.oo, _LOG2),
                  _LOG2 - sp.log(1 + sp.exp(-_V))),
    "gan": (-sp.log(1 - sp.exp(_T)), sp.Interval.open(-sp.oo, 0), -sp.log(1 + sp.exp(-_V))),
    "pearson": (_T**2 / 4 + _T, sp.S.Reals, _V),
    "squared_hellinger": (_T / (1 - _T), sp.Interval.open(-sp.oo, 1), 1 - sp.exp(-_V)),
    "total_variation": (_T, sp.Interval(-_HALF, _HALF), sp.tanh(_V) / 2),
}


@dataclass(frozen=True, kw_only=True)
class FGanRow(Derivation):
    r"""One row of f-GAN derived for a generator f (Nowozin et al. 2016, Tables 1 and 2).

    Attributes
    ----------
    name : str
        The generator's name in :data:`gantheory.fdivergence.F_DIVERGENCES`.
    u, t, v : sympy.Symbol
        The ratio :math:`u = p/q \ge 0`, the critic's value :math:`t`, the network output
        :math:`v`.
    generator : sympy.Expr
        :math:`f(u)`.
    derivative : sympy.Expr
        :math:`f'(u)` for :math:`u > 0` (away from the kink for total variation).
    convex : bool
        Whether SymPy proved :math:`f'' > 0` on :math:`(0, \infty)` (for total variation:
        that the slopes of the two linear pieces increase).
    conjugate : sympy.Expr
        :math:`f^*(t) = \sup_{u \ge 0}(t u - f(u))`, a :class:`~sympy.Piecewise` in ``t``
        (``oo`` outside the domain).
    domain : sympy.Set
        :math:`\mathrm{dom} f^* = \{t : f^*(t) < \infty\}`.
    critic : sympy.Expr
        The optimal critic :math:`T^*(u) = f'(u)` (for total variation the subgradient
        :math:`\tfrac12 \operatorname{sign}(u - 1)`, with 0 at the kink).
    critic_image : sympy.Set
        :math:`\{T^*(u) : u > 0\}`.
    critic_in_domain : bool
        ``critic_image`` is a subset of ``domain``.
    activation : sympy.Expr
        :math:`g_f(v)`: Table 2's, except for ``"js"``, where it is Table 2's halved (see
        :func:`jensen_shannon_normalisation`).
    activation_range : sympy.Set
        :math:`g_f(\mathbb{R})`, from its limits at :math:`\pm\infty` and :math:`g_f' > 0`.
    activation_in_domain : bool
        ``activation_range`` is a subset of ``domain``.
    table_conjugate, table_domain, table_activation : sympy.Expr, sympy.Set, sympy.Expr
        Table 2's entries, transcribed (for ``"js"`` the table's row, which belongs to the
        Table 1 generator, twice this one).
    matches_table : bool
        The derived conjugate equals Table 2's on the whole domain, and the domains are equal.
    agreement : sympy.Set
        Where the derived :math:`f^*` equals Table 2's (exactly, on each piece).
    conjugate_on_reals : sympy.Expr or None
        For Pearson and total variation, whose formulas are convex on all of
        :math:`\mathbb{R}`: the conjugate over every real :math:`u`, which is Table 2's.
    domain_on_reals : sympy.Set or None
        Its domain.
    fenchel_young : bool
        :math:`t u - f(u) \le f^*(t)` proved for every :math:`u \ge 0` and
        :math:`t \in \mathrm{dom} f^*`, piece by piece: a Bregman divergence of the convex
        :math:`f` on the smooth part, a product of non-negative factors elsewhere.
    fenchel_young_equality : bool
        :math:`t u - f(u) = f^*(t)` at :math:`t = f'(u)`, exactly.
    """

    name: str
    u: sp.Symbol
    t: sp.Symbol
    v: sp.Symbol
    generator: sp.Expr
    derivative: sp.Expr
    convex: bool
    conjugate: sp.Expr
    domain: sp.Set
    critic: sp.Expr
    critic_image: sp.Set
    critic_in_domain: bool
    activation: sp.Expr
    activation_range: sp.Set
    activation_in_domain: bool
    table_conjugate: sp.Expr
    table_domain: sp.Set
    table_activation: sp.Expr
    matches_table: bool
    agreement: sp.Set
    conjugate_on_reals: sp.Expr | None
    domain_on_reals: sp.Set | None
    fenchel_young: bool
    fenchel_young_equality: bool


def _zero(expr: sp.Expr) -> bool:
    """Whether ``expr`` simplifies to exactly 0 (logarithms expanded as of positive arguments,
    which they are wherever this module calls it: on a domain written through a positive
    distance to its end)."""
    expr = sp.simplify(sp.sympify(expr))
    if expr == 0:
        return True
    return any(
        sp.simplify(sp.expand_log(e, force=True)) == 0 for e in (expr, sp.expand(expr))
    )


def _tidy(expr: sp.Expr, interval: sp.Interval) -> sp.Expr:
    """Simplify ``expr(t)`` for ``t`` inside ``interval`` (written through a positive distance
    to a finite end, so that SymPy knows the signs), then back in ``t``."""
    if interval.sup.is_finite:
        end, sub, back = interval.sup, interval.sup - _S, interval.sup - _T
    elif interval.inf.is_finite:
        end, sub, back = interval.inf, interval.inf + _S, _T - interval.inf
    else:
        return sp.simplify(expr)
    del end
    out = sp.simplify(sp.expand_log(sp.simplify(expr.subs(_T, sub)), force=True))
    return sp.simplify(out.subs(_S, back))


def _equal_on(a: sp.Expr, b: sp.Expr, interval: sp.Interval) -> bool:
    """``a(t) = b(t)`` on the interval, exactly (through a positive distance to an end)."""
    if interval.sup.is_finite:
        sub = interval.sup - _S
    elif interval.inf.is_finite:
        sub = interval.inf + _S
    else:
        return _zero(a - b)
    return _zero((a - b).subs(_T, sub))


def _increasing_range(g: sp.Expr) -> tuple[sp.Set, bool]:
    """The range of ``g(v)`` over the reals from its limits, and whether ``g' > 0`` is proved."""
    dg = sp.simplify(sp.diff(g, _V))
    lo, hi = sp.limit(g, _V, -sp.oo), sp.limit(g, _V, sp.oo)
    return sp.Interval.open(lo, hi), bool(dg.is_positive)


def _smooth_conjugate(f: sp.Expr, steps: list) -> dict:
    """The conjugate of a differentiable, strictly convex f over u >= 0 (see the module)."""
    u = _U
    up = sp.Symbol("u", positive=True)
    fp = sp.simplify(sp.diff(f, u).subs(u, up))
    fpp = sp.simplify(sp.diff(f, u, 2).subs(u, up))
    convex = bool(fpp.is_positive)
    a, b = sp.limit(fp, up, 0, "+"), sp.limit(fp, up, sp.oo)
    steps += [
        ("f'(u)", eq(sp.Derivative(sp.Function("f")(u), u), fp)),
        ("f''(u) > 0 on u > 0: f is strictly convex, f' strictly increasing",
         sp.StrictGreaterThan(fpp, 0, evaluate=False)),
        ("f' maps (0, oo) onto (a, b): a = f'(0+), b = f'(oo)",
         eq(sp.Tuple(sp.Symbol("a"), sp.Symbol("b")), sp.Tuple(a, b))),
    ]
    sols = [s for s in sp.solve(sp.Eq(_T, fp), up) if s.is_positive is not False]
    if len(sols) != 1:
        raise RuntimeError(f"expected one solution of t = f'(u), SymPy found {sols}")
    inner_iv = sp.Interval.open(a, b)
    u_t = _tidy(sols[0], inner_iv)
    if not _equal_on(fp.subs(up, u_t), _T, inner_iv):
        raise RuntimeError(f"u(t) = {u_t} does not solve t = f'(u)")
    inner = _tidy(_T * u_t - f.subs(u, u_t), inner_iv)
    steps += [
        ("For a < t < b the supremum of t u - f(u) is attained where t = f'(u)",
         eq(u, u_t)),
        ("f*(t) = t u(t) - f(u(t)) on a < t < b", eq(sp.Symbol("f^*(t)"), inner)),
    ]
    pieces: list[tuple[sp.Expr, sp.Basic]] = []
    below = None
    if a.is_finite:
        below = sp.limit(-f, u, 0, "+")
        pieces.append((below, _T < a))
        steps.append(("For t <= a, t - f'(u) < 0: t u - f(u) decreases, sup at u -> 0+",
                      eq(sp.Symbol("f^*(t)"), below)))
    pieces.append((inner, _T < b) if b.is_finite else (inner, True))
    closed = False
    if b.is_finite:
        at_b = sp.limit(b * u - f, u, sp.oo)
        above = sp.limit((b + _S) * u - f, u, sp.oo)
        closed = bool(at_b.is_finite)
        if closed:
            pieces.append((at_b, sp.Eq(_T, b)))
        pieces.append((sp.oo, True))
        steps += [
            ("At t = b: the limit of b u - f(u) as u -> oo", eq(sp.Symbol("f^*(b)"), at_b)),
            ("For t = b + s > b: t u - f(u) -> oo", eq(sp.Symbol("f^*(b + s)"), above)),
        ]
        if above != sp.oo:
            raise RuntimeError(f"expected f*(t) = oo above b = {b}, got {above}")
    domain = sp.Interval(-sp.oo, b, True, not closed) if b.is_finite else sp.S.Reals
    return dict(
        derivative=fp.subs(up, u), convex=convex, conjugate=sp.Piecewise(*pieces),
        domain=domain, critic=fp.subs(up, u), critic_image=inner_iv, inner=inner,
        inner_iv=inner_iv, a=a, b=b, below=below, u_of_t=u_t,
    )


def _linear_sup(expr: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """sup over u in [lo, hi] of ``expr``, linear in u: ``(value where finite, slope)``; on an
    unbounded piece the value holds where the slope has the sign that keeps it finite."""
    slope = sp.diff(expr, _U)
    if sp.diff(slope, _U) != 0:
        raise RuntimeError(f"{expr} is not linear in u")
    if hi == sp.oo:
        return expr.subs(_U, lo), slope  # finite iff slope <= 0, then at u = lo
    if lo == -sp.oo:
        return expr.subs(_U, hi), slope  # finite iff slope >= 0, then at u = hi
    return sp.Max(expr.subs(_U, lo), expr.subs(_U, hi)), slope


def _tv_conjugate(steps: list, lo: sp.Expr) -> tuple[sp.Expr, sp.Set, list]:
    """The conjugate of |u - 1|/2 over u in [lo, oo), lo = 0 or -oo, from its two pieces."""
    left = _T * _U - (1 - _U) / 2  # u in [lo, 1]
    right = _T * _U - (_U - 1) / 2  # u in [1, oo)
    v_left, s_left = _linear_sup(left, lo, sp.Integer(1))
    v_right, s_right = _linear_sup(right, sp.Integer(1), sp.oo)
    dom = sp.solve_univariate_inequality(s_right <= 0, _T, relational=False)
    if lo == -sp.oo:
        dom = dom.intersect(sp.solve_univariate_inequality(s_left >= 0, _T, relational=False))
    value = sp.Max(v_left, v_right)
    where = f"[{lo}, 1]"
    steps += [
        (f"t u - f(u) on u in {where} (linear in u): its sup is at an end of the piece",
         eq(sp.Symbol("sup_left"), v_left)),
        ("t u - f(u) on u in [1, oo): finite iff its slope t - 1/2 <= 0, then at u = 1",
         eq(sp.Symbol("sup_right"), v_right)),
        ("dom f* = where every piece's supremum is finite", eq(sp.Symbol("dom"), dom)),
    ]
    # on the domain, Max(v_left, v_right) as a Piecewise in t
    pw = sp.piecewise_fold(value.rewrite(sp.Piecewise))
    conj = sp.Piecewise((pw, sp.Contains(_T, dom)), (sp.oo, True))
    conj = sp.piecewise_fold(conj)
    conj = sp.Piecewise(*[(e, sp.simplify(c.as_set().intersect(dom).as_relational(_T)))
                          for e, c in conj.args if e != sp.oo], (sp.oo, True))
    steps.append(("f*(t) = max of the two suprema on dom f*", eq(sp.Symbol("f^*(t)"), conj)))
    return conj, dom, [(left, lo, sp.Integer(1)), (right, sp.Integer(1), sp.oo)]


def _pieces_of(conj: sp.Expr) -> list[tuple[sp.Expr, sp.Set]]:
    """The finite pieces of a Piecewise conjugate as (expression, set of t) pairs, disjoint."""
    out, taken = [], sp.EmptySet
    args = conj.args if isinstance(conj, sp.Piecewise) else ((conj, sp.true),)
    for e, c in args:
        where = (sp.S.Reals if c is sp.true else c.as_set()) - taken
        taken = taken | where
        if e != sp.oo and where != sp.EmptySet:
            out.append((e, where))
    return out


def _agreement(conj: sp.Expr, table: sp.Expr, table_dom: sp.Set) -> sp.Set:
    """The union of the pieces of ``conj`` (restricted to Table 2's domain) on which it equals
    ``table`` exactly."""
    agree = sp.EmptySet
    for e, where in _pieces_of(conj):
        where = where.intersect(table_dom)
        for iv in (where.args if isinstance(where, sp.Union) else (where,)):
            if iv == sp.EmptySet:
                continue
            if isinstance(iv, sp.FiniteSet):
                if all(_zero((e - table).subs(_T, x)) for x in iv):
                    agree = agree | iv
            elif _equal_on(e, table, iv):
                agree = agree | iv
    return agree


def _fenchel_young_pieces(conj: sp.Expr, f_pieces: list, smooth: dict | None) -> bool:
    """gap(u, t) = f*(t) - t u + f(u) >= 0 on every (t-piece, u-piece), proved by SymPy."""
    for e, where in _pieces_of(conj):
        for iv in (where.args if isinstance(where, sp.Union) else (where,)):
            if smooth is not None and iv == smooth["inner_iv"]:
                # Bregman: with s = u(t), gap = f(u) - f(s) - f'(s)(u - s) >= 0 by convexity
                s_of_t, f = smooth["u_of_t"], f_pieces[0][0]
                breg = f - f.subs(_U, s_of_t) - _T * (_U - s_of_t)
                if not (smooth["convex"] and _equal_on(e - _T * _U + f - breg, 0, iv)):
                    return False
                continue
            for f_expr, lo, hi in f_pieces:
                gap = e - _T * _U + f_expr
                if not _nonneg(gap, iv, lo, hi):
                    return False
    return True


def _through(lo: sp.Expr, hi: sp.Expr, y: sp.Symbol) -> sp.Expr:
    """A point of [lo, hi] written through ``y >= 0``: ``lo + (hi - lo) y/(1 + y)`` for a
    bounded interval (its upper end by continuity), a distance to the finite end otherwise."""
    if lo.is_finite and hi.is_finite:
        return lo + (hi - lo) * y / (1 + y)
    return lo + y if lo.is_finite else hi - y


def _nonneg(gap: sp.Expr, tset: sp.Set, lo: sp.Expr, hi: sp.Expr) -> bool:
    """gap(u, t) >= 0 for u in [lo, hi] and t in ``tset``: the factored gap, with u and t
    written through non-negative symbols (:func:`_through`), is known to be non-negative."""
    y, z = sp.Symbol("y", nonnegative=True), sp.Symbol("z", nonnegative=True)
    subs_t = list(tset) if isinstance(tset, sp.FiniteSet) else [_through(tset.inf, tset.sup, y)]
    for st in subs_t:
        g = sp.factor(sp.simplify(gap.subs({_T: st, _U: _through(lo, hi, z)})))
        if not g.is_nonnegative:
            return False
    return True


def fgan_row(name: str) -> FGanRow:
    r"""Derive the row of f-GAN for the generator ``name`` (Nowozin et al. 2016, Tables 1-2).

    .. math:: f^*(t) = \sup_{u \ge 0}\,(t u - f(u)), \qquad T^*(u) = f'(u), \qquad
              t u - f(u) \le f^*(t) \text{ with equality at } t = f'(u)

    Parameters
    ----------
    name : str
        One of :data:`FGAN_NAMES`.

    Returns
    -------
    FGanRow

    Raises
    ------
    ValueError
        For an unknown name (the message lists the valid ones).

    Examples
    --------
    >>> r = fgan_row("gan")
    >>> r.conjugate
    Piecewise((-log(1 - exp(t)), t < 0), (oo, True))
    >>> r.domain, r.matches_table, r.activation_in_domain
    (Interval.open(-oo, 0), True, True)
    >>> fgan_row("total_variation").domain
    Interval(-oo, 1/2)
    """
    if not isinstance(name, str) or name not in FGAN_NAMES:
        raise ValueError(
            f"`name` must be one of {', '.join(map(repr, FGAN_NAMES))} (got {name!r})"
        )
    return _derive(name)


@functools.cache
def _derive(name: str) -> FGanRow:
    f = _generator(name, _U)
    steps: list = [("The generator", eq(sp.Function("f")(_U), f))]
    table_key = "js_table1" if name == "js" else name
    table_conj, table_dom, table_g = _TABLE2[table_key]
    on_reals = dom_reals = None
    smooth = None
    if name == "total_variation":
        conj, domain, f_pieces = _tv_conjugate(steps, sp.Integer(0))
        deriv = sp.sign(_U - 1) / 2
        # convex: the slope of f on [1, oo) exceeds the slope on [0, 1]
        slopes = [sp.diff(-e + _T * _U, _U) for e, _, _ in f_pieces]
        convex = bool((slopes[1] - slopes[0]).is_positive)
        critic, image = deriv, sp.FiniteSet(-_HALF, 0, _HALF)
        tv_steps: list = []
        on_reals, dom_reals, _ = _tv_conjugate(tv_steps, -sp.oo)
        steps += [("Over all real u (Table 2's convention): " + d, e) for d, e in tv_steps]
        f_pieces_gap = [(_generator(name, _U).subs(sp.Abs(_U - 1), 1 - _U), sp.Integer(0),
                         sp.Integer(1)),
                        (_generator(name, _U).subs(sp.Abs(_U - 1), _U - 1), sp.Integer(1),
                         sp.oo)]
    else:
        smooth = _smooth_conjugate(f, steps)
        conj, domain = smooth["conjugate"], smooth["domain"]
        deriv, convex = smooth["derivative"], smooth["convex"]
        critic, image = smooth["critic"], smooth["critic_image"]
        f_pieces_gap = [(f, sp.Integer(0), sp.oo)]
        if name == "pearson":
            ur = sp.Symbol("u", real=True)
            fr = (ur - 1) ** 2
            (sol,) = sp.solve(sp.Eq(_T, sp.diff(fr, ur)), ur)
            on_reals = sp.expand(_T * sol - fr.subs(ur, sol))
            dom_reals = sp.S.Reals
            steps.append(("Over all real u (Table 2's convention): t = f'(u) for every t",
                          eq(sp.Symbol("f^*_R(t)"), on_reals)))
    steps += [
        ("dom f* = where the supremum is finite", eq(sp.Symbol("dom"), domain)),
        ("Optimal critic T*(u) = f'(u), u = p/q", eq(sp.Symbol("T^*"), critic)),
    ]
    crit_ok = bool(image.is_subset(domain))
    activation = table_g / 2 if name == "js" else table_g
    g_range, increasing = _increasing_range(activation)
    act_ok = bool(increasing and g_range.is_subset(domain))
    steps += [
        ("Output activation g_f (Table 2" + (", halved for this normalisation)" if name == "js"
                                             else ")"), eq(sp.Function("g_f")(_V), activation)),
        ("g_f is increasing; its range", eq(sp.Symbol("range"), g_range)),
    ]
    agreement = _agreement(conj, table_conj, table_dom)
    matches = bool(domain == table_dom and agreement == table_dom)
    if on_reals is not None:
        agree_r = _agreement(on_reals, table_conj, table_dom)
        steps.append(("Table 2's f* is the conjugate over all real u: equal on its domain",
                      eq(sp.Symbol("agree"), agree_r)))
        if not (agree_r == table_dom and dom_reals == table_dom):
            raise RuntimeError(f"{name}: Table 2 differs from the conjugate over the reals too")
    steps.append(("Derived f* = Table 2's f* on", eq(sp.Symbol("agreement"), agreement)))
    fy = _fenchel_young_pieces(conj, f_pieces_gap, smooth)
    if smooth is None:
        fy_eq = _fy_eq_tv(conj, f)
    else:  # f*(f'(u)) = u f'(u) - f(u) for every u > 0
        fy_eq = _zero(sp.simplify(smooth["inner"].subs(_T, deriv)) - (deriv * _U - f))
    steps.append(("Fenchel-Young: t u - f(u) <= f*(t), equal at t = f'(u)",
                  sp.LessThan(_T * _U - f, sp.Symbol("f^*(t)"), evaluate=False)))
    return FGanRow(
        steps=tuple(steps), name=name, u=_U, t=_T, v=_V, generator=f, derivative=deriv,
        convex=convex, conjugate=conj, domain=domain, critic=critic, critic_image=image,
        critic_in_domain=crit_ok, activation=activation, activation_range=g_range,
        activation_in_domain=act_ok, table_conjugate=table_conj, table_domain=table_dom,
        table_activation=table_g, matches_table=matches, agreement=agreement,
        conjugate_on_reals=on_reals, domain_on_reals=dom_reals, fenchel_young=fy,
        fenchel_young_equality=bool(fy_eq),
    )


def _fy_eq_tv(conj: sp.Expr, f: sp.Expr) -> bool:
    """TV: at t = 1/2 sign(u - 1) the gap vanishes for every u on each side of the kink."""
    z = sp.Symbol("z", positive=True)
    u_left, u_right = 1 - z / (1 + z), 1 + z  # u in (0, 1) and u in (1, oo)
    left = _zero(conj.subs(_T, -_HALF) - (-_HALF * u_left - f.subs(_U, u_left)))
    right = _zero(conj.subs(_T, _HALF) - (_HALF * u_right - f.subs(_U, u_right)))
    at_kink = _zero(conj.subs(_T, 0) - (0 - f.subs(_U, 1)))
    return bool(left and right and at_kink)


@dataclass(frozen=True, kw_only=True)
class JensenShannonNormalisation(Derivation):
    r"""What the normalisation of the Jensen-Shannon row of f-GAN changes (Nowozin et al. 2016).

    Attributes
    ----------
    generator : sympy.Expr
        ``"js"``'s :math:`f(u) = \tfrac12[u \log u - (u + 1) \log\frac{u + 1}{2}]`.
    table1_generator : sympy.Expr
        Table 1's :math:`-(u + 1) \log\frac{1 + u}{2} + u \log u`.
    ratio : sympy.Expr
        ``table1_generator / generator``, simplified: 2.
    divergence_integrand, table1_integrand : sympy.Expr
        :math:`q f(p/q)` of each (for positive symbols ``p``, ``q``).
    is_jsd : bool
        ``divergence_integrand`` equals the JSD's integrand
        :math:`\tfrac12[p \log\frac{2p}{p + q} + q \log\frac{2q}{p + q}]` exactly, so the
        Table 1 generator gives :math:`2\,\mathrm{JSD}`.
    table1_conjugate : sympy.Expr
        The conjugate of the Table 1 generator, derived (as in :func:`fgan_row`).
    table1_domain : sympy.Set
        Its domain.
    table1_matches_table2 : bool
        It equals Table 2's :math:`-\log(2 - e^t)` on :math:`t < \log 2`, with that domain.
    scaling : bool
        :math:`f^*_{\mathrm{js}}(t) = \tfrac12 f^*_{\mathrm{Table\,1}}(2t)`, exactly
        (:math:`(c f)^*(t) = c f^*(t/c)` with :math:`c = \tfrac12`).
    table2_activation_range : sympy.Set
        The range of Table 2's :math:`g_f(v) = \log 2 - \log(1 + e^{-v})`:
        :math:`(-\infty, \log 2)`.
    table2_activation_fits : bool
        Whether that range lies in ``"js"``'s :math:`\mathrm{dom} f^* = (-\infty,
        \tfrac12\log 2)`: False, the table's activation leaves the domain.
    halved_activation_fits : bool
        Whether :math:`\tfrac12 g_f` maps onto ``"js"``'s domain exactly: True.
    """

    generator: sp.Expr
    table1_generator: sp.Expr
    ratio: sp.Expr
    divergence_integrand: sp.Expr
    table1_integrand: sp.Expr
    is_jsd: bool
    table1_conjugate: sp.Expr
    table1_domain: sp.Set
    table1_matches_table2: bool
    scaling: bool
    table2_activation_range: sp.Set
    table2_activation_fits: bool
    halved_activation_fits: bool


@functools.cache
def jensen_shannon_normalisation() -> JensenShannonNormalisation:
    r"""Derive the two normalisations of the Jensen-Shannon row (Nowozin et al. 2016, Tables
    1 and 2) and what each implies for :math:`f^*` and :math:`g_f`.

    .. math:: f_{\mathrm{Table\,1}} = 2 f_{\mathrm{js}}, \qquad
              D_{f_{\mathrm{js}}} = \mathrm{JSD}, \qquad
              f^*_{\mathrm{js}}(t) = \tfrac12 f^*_{\mathrm{Table\,1}}(2t)
              = -\tfrac12 \log(2 - e^{2t}), \quad t < \tfrac12 \log 2

    Table 2's :math:`f^*(t) = -\log(2 - e^t)` on :math:`t < \log 2` is the conjugate of Table 1's
    generator, whose divergence is :math:`2\,\mathrm{JSD}` although Table 1's divergence column
    reads :math:`\tfrac12 \int p \log\frac{2p}{p + q} + q \log\frac{2q}{p + q}`, the JSD itself.
    With the JSD's own generator, Table 2's :math:`g_f` leaves :math:`\mathrm{dom} f^*`;
    :math:`\tfrac12 g_f` does not.

    Examples
    --------
    >>> r = jensen_shannon_normalisation()
    >>> r.ratio, r.is_jsd, r.table1_matches_table2, r.table2_activation_fits
    (2, True, True, False)
    """
    js, t1 = fgan_row("js"), _generator("js_table1", _U)
    steps: list = []
    ratio = sp.simplify(sp.expand_log(t1 / js.generator, force=True))
    p, q = sp.symbols("p q", positive=True)
    integrand = sp.simplify(q * js.generator.subs(_U, p / q))
    jsd = (p * sp.log(2 * p / (p + q)) + q * sp.log(2 * q / (p + q))) / 2
    is_jsd = _zero(integrand - jsd)
    smooth = _smooth_conjugate(t1, steps)
    table_conj, table_dom, table_g = _TABLE2["js_table1"]
    matches = bool(smooth["domain"] == table_dom
                   and _agreement(smooth["conjugate"], table_conj, table_dom) == table_dom)
    scaling = _equal_on(_pieces_of(js.conjugate)[0][0],
                        smooth["inner"].subs(_T, 2 * _T) / 2, js.domain)
    g_range, inc = _increasing_range(table_g)
    half_range, inc_half = _increasing_range(table_g / 2)
    steps = [
        ("Table 1's generator and the JSD's", eq(sp.Symbol("f_Table1"), t1)),
        ("Their ratio", eq(sp.Symbol("f_Table1/f_js"), ratio)),
        ("q f_js(p/q) is the integrand of the JSD, so f_Table1 gives 2 JSD",
         eq(integrand, jsd)),
        *steps,
        ("Table 1's conjugate is Table 2's", eq(sp.Symbol("f^*_Table1(t)"), table_conj)),
        ("The JSD's conjugate: (f/2)^*(t) = f^*(2t)/2",
         eq(sp.Symbol("f^*_js(t)"), _pieces_of(js.conjugate)[0][0])),
        ("Table 2's g_f has range", eq(sp.Symbol("range"), g_range)),
        ("which is not inside dom f^*_js", eq(sp.Symbol("dom"), js.domain)),
    ]
    return JensenShannonNormalisation(
        steps=tuple(steps), generator=js.generator, table1_generator=t1, ratio=ratio,
        divergence_integrand=integrand, table1_integrand=sp.simplify(q * t1.subs(_U, p / q)),
        is_jsd=is_jsd, table1_conjugate=smooth["conjugate"], table1_domain=smooth["domain"],
        table1_matches_table2=matches, scaling=scaling, table2_activation_range=g_range,
        table2_activation_fits=bool(inc and g_range.is_subset(js.domain)),
        halved_activation_fits=bool(inc_half and half_range == js.domain),
    )
