r"""Checks of the f-GAN claims (Nowozin et al. 2016): symbolic, discrete, continuous, property.

The symbolic checks compare the derivations of :mod:`gantheory.symbolic.fgan` exactly with Table
2 of the paper, and numerically, at 30 digits, with the float64 code of
:mod:`gantheory.fdivergence` (``conjugate``, the optimal critics, the generators). The others
compute the variational bound :math:`\mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)]` with
:func:`gantheory.fdivergence.variational_bound` and hold it against :func:`f_divergence` (a
different integrand: :math:`q f(p/q)`), and its slack against the Fenchel-Young gap summed at 30
digits from the SymPy expressions.

Tolerances: exact identities have tolerance 0 (the residual counts the identities that do not
hold). A float64 value :math:`y(x)` computed from an exactly represented :math:`x` is held to
:math:`16\varepsilon(1 + |y| + |x\,y'(x)|)`: a few ulps of the result plus the rounding of the
intermediate quantities, which are of the size of :math:`x` and propagate through the slope
:math:`y'` (the condition of the function; for the conjugates near the end of their domain it is
what dominates). Sums and integrals are held to their own error bounds (``full_output=True``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import mpmath as mp
import numpy as np
import sympy as sp
from hypothesis import strategies as st
from scipy import stats

from gantheory import strategies as gs
from gantheory._numerics import EPS, ulps
from gantheory.cases import CONTINUOUS_CASES, DISCRETE_CASES
from gantheory.checks._util import Worst
from gantheory.checks.property import run_properties
from gantheory.checks.symbolic import _exact, _zero
from gantheory.claims import CheckResult, check
from gantheory.divergences import jsd
from gantheory.fdivergence import (
    F_DIVERGENCES,
    conjugate,
    f_divergence,
    optimal_critic,
    variational_bound,
)
from gantheory.symbolic.fgan import (
    FGAN_NAMES,
    FGanRow,
    _pieces_of,
    fgan_row,
    jensen_shannon_normalisation,
)

_DPS = 30
#: ulps of a float64 value and of its conditioning, see the module docstring.
_ULPS = 16
_COND = (
    f"{_ULPS} eps (1 + |y| + |x y'(x)|): a few ulps of the float64 value y(x) and the rounding of"
    " its intermediate quantities through the slope; the reference is SymPy's expression at 30"
    " digits"
)
_SUM = "the rounding bounds of the two sums (full_output=True), plus 8 eps max(1, |value|)"
_QUAD = (
    "the quadrature error estimates of the bound and of f_divergence (full_output=True), plus"
    " 8 eps max(1, |value|)"
)
_LOG2 = math.log(2.0)

#: The pair the divergences are reported on: N(0, 1) against N(1, 1.5^2).
ISSUE_PAIR = (stats.norm(0, 1), stats.norm(1, 1.5))
#: Continuous cases of the bound: the pair above and every fixed case.
_CONT = {"N(0,1)-vs-N(1,1.5^2)": ISSUE_PAIR, **CONTINUOUS_CASES}
#: (case, name) left out: chi^2 of the arcsine law against the uniform is infinite (p^2/q ~ 1/x
#: at 0), which the quadrature cannot establish (it raises rather than guess).
_SKIP = {("arcsine-vs-uniform", "pearson")}


# --- 30-digit references from the SymPy expressions -------------------------------------------
def _mpf(x: sp.Expr) -> mp.mpf:
    """``x`` at 40 digits, whatever the working precision (an end of a domain such as
    (log 2)/2 rounded to 53 bits would be the float64 next to it, inside the domain)."""
    if not x.is_finite:
        return mp.inf if x > 0 else -mp.inf
    with mp.workdps(_DPS + 10):
        return mp.mpf(str(sp.N(x, _DPS + 10)))


@functools.cache
def _mp_conjugate(name: str) -> Callable[[mp.mpf], mp.mpf]:
    """f*(t) of the derived row at 30 digits: the piece whose interval holds t, +inf off them."""
    row = fgan_row(name)
    pieces = []
    for expr, where in _pieces_of(row.conjugate):
        lo, hi = _mpf(where.inf), _mpf(where.sup)
        pieces.append((sp.lambdify(row.t, expr, "mpmath"), lo, hi, where.left_open,
                       where.right_open))

    first = _pieces_of(row.conjugate)[0][0]
    at_minus_inf = _mpf(sp.limit(first, row.t, -sp.oo))  # f*(-oo) = -f(0+)

    ends = [mp.mpf(0)] + [e for _, lo, hi, _, _ in pieces for e in (lo, hi) if mp.isfinite(e)]

    def fstar(t: mp.mpf) -> mp.mpf:
        if t == -mp.inf:
            return at_minus_inf
        # digits lost to 1 - e^t and the like next to 0 and the ends: added to the precision
        near = min([abs(t - e) for e in ends if t != e] + [mp.mpf(1)])
        extra = int(min(400, max(0, -mp.log10(near)))) if near > 0 else 0
        for fn, lo, hi, lopen, ropen in pieces:
            if (t > lo or (t == lo and not lopen)) and (t < hi or (t == hi and not ropen)):
                with mp.workdps(mp.mp.dps + extra):
                    return mp.mpf(fn(t))
        return mp.inf

    return fstar


@functools.cache
def _mp_generator(name: str) -> tuple[Callable, Callable, Callable]:
    """f, f' and f'' of the derived row as mpmath functions of u > 0."""
    row = fgan_row(name)
    fp = row.derivative
    fpp = sp.diff(fp, row.u) if name != "total_variation" else sp.Integer(0)
    return tuple(sp.lambdify(row.u, e, "mpmath") for e in (row.generator, fp, fpp))


def _exactly(w: Worst, ok: bool, label: str) -> None:
    """An exact comparison (infinities, signs): it counts only when it fails (residual inf), so
    that the reported worst case is the closest finite one."""
    if not ok:
        w.add(math.inf, 0.0, label)


def _cond_tol(y: float, slope_times_x: float) -> float:
    return _ULPS * EPS * (1.0 + abs(y) + abs(slope_times_x))


def _points_t(row: FGanRow) -> list[float]:
    """Points t inside dom f* (down to -1e3, up to 1e-3 from a finite upper end) and outside."""
    sup = row.domain.sup
    top = float(sup) if sup.is_finite else 30.0
    inside = [top - d for d in (1e-3, 1e-2, 0.1, 0.37, 1.0, 2.5, 7.0, 40.0, 1e3)]
    inside += [x for x in (-0.5, -2.0, -1.9, 0.0, 0.25) if x < top]
    outside = [top + d for d in (1e-3, 0.5, 10.0)] if sup.is_finite else []
    if sup.is_finite and not row.domain.right_open:
        inside.append(top)
    return inside + outside + [math.inf, -math.inf]


# --- FGAN16-CONJ --------------------------------------------------------------------------------
@check("FGAN16-CONJ", "symbolic", name="derived f* = Table 2's, dom f* derived")
def conjugates_against_table() -> CheckResult:
    """Each derived f* against Nowozin et al.'s Table 2, exactly, piece by piece.

    KL, reverse KL, GAN and squared Hellinger equal the table with its domain; Pearson's equals
    it on t >= -2 and is -1 below (Table 2's is the conjugate over all real u, checked too);
    total variation's equals it on |t| <= 1/2, is -1/2 below, and its domain is (-oo, 1/2];
    the JSD's is half the table's at 2t (the table's row belongs to twice this generator).
    """
    ids: dict[str, bool] = {}
    for name in ("kl", "reverse_kl", "gan", "squared_hellinger"):
        ids[f"{name}: f* and dom f* = Table 2's"] = fgan_row(name).matches_table
    pe = fgan_row("pearson")
    ids["pearson: f* = Table 2's exactly on [-2, oo)"] = pe.agreement == sp.Interval(-2, sp.oo)
    ids["pearson: f* = -1 on t < -2"] = _pieces_of(pe.conjugate)[0] == (
        -1, sp.Interval.open(-sp.oo, -2)
    )
    ids["pearson: Table 2's f* = the conjugate over all real u"] = _zero(
        pe.conjugate_on_reals - pe.table_conjugate
    )
    ids["pearson: Table 2's f* - derived = (t/2 + 1)^2 > 0 below -2"] = _zero(
        pe.table_conjugate - (-1) - (pe.t / 2 + 1) ** 2
    )
    tv = fgan_row("total_variation")
    ids["tv: f* = Table 2's exactly on [-1/2, 1/2]"] = tv.agreement == tv.table_domain
    ids["tv: dom f* = (-oo, 1/2] over u >= 0"] = tv.domain == sp.Interval(-sp.oo, sp.Rational(1, 2))
    ids["tv: f* = -1/2 on t <= -1/2"] = _pieces_of(tv.conjugate)[0][0] == sp.Rational(-1, 2)
    ids["tv: over all real u, dom f* = Table 2's [-1/2, 1/2]"] = (
        tv.domain_on_reals == tv.table_domain
    )
    js = fgan_row("js")
    ids["js: f*(t) = Table2(2t)/2, t < log(2)/2"] = jensen_shannon_normalisation().scaling and (
        js.domain == sp.Interval.open(-sp.oo, sp.log(2) / 2)
    )
    return _exact(ids, "derived conjugates against Table 2")


@check("FGAN16-CONJ", "symbolic", name="T* = f'(u) and g_f(R) inside dom f*")
def critic_and_activation_in_domain() -> CheckResult:
    """{f'(u) : u > 0} and g_f(R) (limits and g_f' > 0) are subsets of dom f*, for every row;
    for JS the activation is Table 2's halved (Table 2's own leaves the domain)."""
    ids: dict[str, bool] = {}
    for name in FGAN_NAMES:
        row = fgan_row(name)
        ids[f"{name}: T*((0, oo)) = {row.critic_image} in dom f*"] = row.critic_in_domain
        ids[f"{name}: g_f(R) = {row.activation_range} in dom f*"] = row.activation_in_domain
        ids[f"{name}: f convex"] = row.convex
    ids["js: Table 2's g_f(R) = (-oo, log 2) is NOT inside dom f*"] = (
        not jensen_shannon_normalisation().table2_activation_fits
    )
    return _exact(ids, "critics and activations in the domains")


@check("FGAN16-CONJ", "symbolic", name="derived f, f*, f' = gantheory's float64 (30 digits)")
def derived_against_numerics() -> CheckResult:
    """gantheory's f(u), conjugate(t) and optimal critic f'(e^r) against the derived SymPy
    expressions at 30 digits: u from 1e-6 to 1e6, t across and beyond dom f* (inf outside), r
    from -30 to 30."""
    w, cases = Worst(), 0
    with mp.workdps(_DPS):
        for name in FGAN_NAMES:
            row, div = fgan_row(name), F_DIVERGENCES[name]
            fstar = _mp_conjugate(name)
            f, fp, _ = _mp_generator(name)
            for t in _points_t(row):
                got = float(conjugate(t, name))
                ref = fstar(mp.mpf(t))
                if not mp.isfinite(ref) or not math.isfinite(got):
                    _exactly(w, got == float(ref), f"{name}: f*({t})")
                else:
                    slope = _slope_conj(fstar, mp.mpf(t))
                    w.add(abs(got - float(ref)), _cond_tol(float(ref), t * slope),
                          f"{name}: f*({t})")
                cases += 1
            for u in np.logspace(-6, 6, 25):
                mu = mp.mpf(float(u))
                got = float(div.f(np.array([u]))[0])
                ref = f(mu)
                w.add(abs(got - float(ref)), _cond_tol(float(ref), float(mu * fp(mu))),
                      f"{name}: f({u:.3g})")
                cases += 1
            for r in np.linspace(-30, 30, 25):
                if name == "total_variation" and r == 0:
                    continue
                mu = mp.exp(mp.mpf(float(r)))
                got = float(div.critic(np.array(r)))
                ref = fp(mu)
                dref = _slope_critic(fp, mu)  # dT*/dr = u f''(u)
                w.add(abs(got - float(ref)), _cond_tol(float(ref), float(r) * dref),
                      f"{name}: T*(r={r:.3g})")
                cases += 1
    return w.result(cases, "max |float64 - 30-digit SymPy| of f, f*, T*", _COND)


def _slope_conj(fstar: Callable[[mp.mpf], mp.mpf], t: mp.mpf) -> float:
    """|d f*/dt| at t by a 30-digit central difference (f* is the maximiser u(t) there)."""
    h = mp.mpf("1e-12")
    return float(abs((fstar(t + h) - fstar(t - h)) / (2 * h))) if mp.isfinite(
        fstar(t + h)) else float(abs((fstar(t) - fstar(t - h)) / h))


def _slope_critic(fp: Callable, u: mp.mpf) -> float:
    h = u * mp.mpf("1e-12")
    return float(abs(u * (fp(u + h) - fp(u - h)) / (2 * h)))


@check("FGAN16-CONJ", "discrete", name="T* = f'(p/q) in dom f* on the discrete cases")
def critic_on_discrete_cases() -> CheckResult:
    """optimal_critic on every discrete case against f'(p/q) at 30 digits where p, q > 0; the
    limits f'(oo), f'(0+), f'(1) where q = 0, p = 0 or both; f*(T*) < oo wherever q > 0."""
    w, cases = Worst(), 0
    with mp.workdps(_DPS):
        for cname, (p, q) in DISCRETE_CASES.items():
            pv, qv = np.asarray(p.probs), np.asarray(q.probs)
            for name in FGAN_NAMES:
                row = fgan_row(name)
                _, fp, _ = _mp_generator(name)
                t = optimal_critic(pv, qv, name)
                fs = conjugate(t, name)
                for a, b, ti, fsi in zip(pv, qv, t, fs, strict=True):
                    label = f"{cname}, {name}, p={a:.3g}, q={b:.3g}"
                    _exactly(w, not (b > 0 and fsi == math.inf), label + ": f*(T*) = inf")
                    if a > 0 and b > 0:
                        if name == "total_variation":
                            _exactly(w, ti == float(mp.sign(mp.mpf(a) - mp.mpf(b)) / 2), label)
                            cases += 1
                            continue
                        u = mp.mpf(a) / mp.mpf(b)
                        ref = fp(u)
                        logs = abs(math.log(a)) + abs(math.log(b)) + 2
                        w.add(abs(ti - float(ref)), _cond_tol(float(ref), logs * _slope_critic(
                            fp, u)), label)
                    else:
                        end = {(True, False): row.critic_image.sup,
                               (False, True): row.critic_image.inf}.get((a > 0, b > 0))
                        ref = float(_mpf(end)) if end is not None else float(
                            row.derivative.subs(row.u, 1)) if name != "total_variation" else 0.0
                        if math.isinf(ref):
                            _exactly(w, ti == ref, label)
                        else:
                            w.add(abs(ti - ref), _cond_tol(ref, 0.0), label)
                    cases += 1
    return w.result(cases, "max |T* - f'(p/q)| (30 digits), and f*(T*) < inf where q > 0", _COND)


# --- FGAN16-BOUND -------------------------------------------------------------------------------
@check("FGAN16-BOUND", "symbolic", name="Fenchel-Young t u - f(u) <= f*(t), = at t = f'(u)")
def fenchel_young_exact() -> CheckResult:
    """For every row: the gap f*(t) - t u + f(u) >= 0 proved on every piece (a Bregman divergence
    of the strictly convex f on the smooth part, a product of non-negative factors on the
    others) and = 0 at t = f'(u) exactly."""
    ids: dict[str, bool] = {}
    for name in FGAN_NAMES:
        row = fgan_row(name)
        ids[f"{name}: gap >= 0"] = row.fenchel_young
        ids[f"{name}: gap = 0 at t = f'(u)"] = row.fenchel_young_equality
    return _exact(ids, "Fenchel-Young")


def _tight(w: Worst, label: str, b: object, d: object) -> None:
    """|bound at T* - D_f| against both error bounds; equal infinities are exact."""
    if math.isinf(d.value) or math.isinf(b.value):
        _exactly(w, b.value == d.value, label)
    else:
        w.add(abs(b.value - d.value), b.abserr + d.abserr + ulps(d.value), label)


@check("FGAN16-BOUND", "discrete", name="bound at T* = D_f; below it for shifted T (sums)")
def bound_discrete() -> CheckResult:
    """On every discrete case and generator: E_P[T*] - E_Q[f*(T*)] = D_f by exact sums (both
    infinite where D_f is), and for T = T* - 1/4 (inside dom f*) D_f - bound equals the
    Fenchel-Young gap E_Q[f*(T) - T p/q + f(p/q)] summed at 30 digits."""
    w, cases = Worst(), 0
    for cname, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        for name in FGAN_NAMES:
            d = f_divergence(pv, qv, name, full_output=True)
            t = optimal_critic(pv, qv, name)
            b = variational_bound(pv, qv, t, name, full_output=True)
            _tight(w, f"{cname}, {name}: T*", b, d)
            shifted = t - 0.25
            bs = variational_bound(pv, qv, shifted, name, full_output=True)
            _slack(w, f"{cname}, {name}: T* - 1/4", pv, qv, shifted, name, bs, d)
            cases += 2
    return w.result(cases, "|bound(T*) - D_f|; |D_f - bound(T) - E_Q[gap]|", _SUM)


def _gap_sum(pv: np.ndarray, qv: np.ndarray, t: np.ndarray, name: str) -> mp.mpf:
    """D_f - bound at 30 digits, point by point from the definitions: q f(p/q) - (p T - q f*(T))
    = q [f*(T) - T u + f(u)] where q > 0 (the Fenchel-Young gap), p (f'(oo) - T) where q = 0
    (D_f's term there is p lim f(u)/u = p f'(oo)); inf where the bound is -inf."""
    fstar = _mp_conjugate(name)
    f, _, _ = _mp_generator(name)
    slope = _mpf(fgan_row(name).critic_image.sup)  # lim f(u)/u = f'(oo)
    f0 = -fstar(-mp.inf)  # f(0+)
    total = mp.mpf(0)
    with mp.workdps(_DPS):
        for a, b, ti in zip(pv, qv, t, strict=True):
            a, b, ti = mp.mpf(float(a)), mp.mpf(float(b)), mp.mpf(float(ti))
            if a > 0 and ti == -mp.inf:
                return mp.inf
            if b == 0:
                if a > 0:
                    total += a * (slope - ti)
                continue
            fs = fstar(ti)
            if fs == mp.inf:
                return mp.inf
            if a == 0:
                total += b * (f0 + fs)
            else:
                total += b * (fs + f(a / b)) - a * ti
        return total


def _slack(
    w: Worst, label: str, pv: np.ndarray, qv: np.ndarray, t: np.ndarray, name: str, b: object,
    d: object,
) -> None:
    if math.isinf(d.value):  # D_f = inf: every bound is below; it must only not be NaN
        _exactly(w, not math.isnan(b.value), label)
        return
    gap = _gap_sum(pv, qv, t, name)
    if not mp.isfinite(gap):
        _exactly(w, b.value == -math.inf, label + " (T outside dom f*)")
        return
    w.add(abs((d.value - b.value) - float(gap)), b.abserr + d.abserr + ulps(d.value), label)


@check("FGAN16-BOUND", "continuous", name="bound at T* = D_f; below it for shifted T (quadrature)")
def bound_continuous() -> CheckResult:
    """By quadrature on N(0, 1) vs N(1, 1.5^2) and every continuous case, for every generator:
    the bound at T* (optimal_critic) equals f_divergence (infinite where it is); and a critic
    T* - (1 + sin(4 atan x))/4 (floored at -1e300), inside dom f* and below T*, gives a bound
    strictly below D_f by more than the error bounds on the Gaussian pair and three more cases
    (where D_f is finite).
    Chi^2 of the arcsine law against the uniform is left out: it is infinite, which the
    quadrature cannot establish."""
    w, cases = Worst(), 0
    strict = ("N(0,1)-vs-N(1,1.5^2)", "cauchy", "laplace-vs-t3", "uniform-partial")
    for cname, (p, q) in _CONT.items():
        for name in FGAN_NAMES:
            if (cname, name) in _SKIP:
                continue
            d = f_divergence(p, q, name, full_output=True)
            t_star = optimal_critic(p, q, name)
            b = variational_bound(p, q, t_star, name, full_output=True)
            _tight(w, f"{cname}, {name}: T*", b, d)
            cases += 1
            if cname in strict and math.isfinite(d.value):
                def shifted(x: np.ndarray, t_star: object = t_star) -> np.ndarray:
                    # floored at -1e300: reverse KL's T* = -q/p is -inf in float64 where p
                    # underflows (the bound stays below D_f: the floor only raises T there)
                    return np.maximum(t_star(x) - (1 + np.sin(4 * np.arctan(x))) / 4, -1e300)

                bs = variational_bound(p, q, shifted, name, full_output=True)
                tol = bs.abserr + d.abserr + ulps(d.value)
                margin = d.value - bs.value
                _exactly(w, margin > tol, f"{cname}, {name}: shifted, D_f - bound = {margin:.3g}")
                cases += 1
    return w.result(cases, "|bound(T*) - D_f|; shifted T strictly below", _QUAD)


#: Examples of the property run: random pairs (zeros, disjoint, overlapping), a generator and
#: a perturbation of T* per example.
N_BOUND = 200
_NAME = st.sampled_from(FGAN_NAMES)
_DELTA = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=8, max_size=8)
BOUND_CASES = st.tuples(gs.pairs(), _NAME, _DELTA).map(lambda a: (a[0][0], a[0][1], a[1], a[2]))


def _prop_bound(p: np.ndarray, q: np.ndarray, name: str, delta: list) -> tuple[float, float]:
    """max of bound(T) - D_f (must be <= 0) and |D_f - bound(T) - E_Q[gap]| for T = T* + delta
    (leaving dom f* where delta pushes it past its end and q > 0: then bound = -inf), capped at
    f'(oo) where q = 0 < p."""
    pv, qv = np.asarray(p), np.asarray(q)
    t = optimal_critic(pv, qv, name) + np.asarray(delta[: pv.size])
    # where only P has mass, a critic must stay at most sup dom f* = f'(oo) for the bound
    top = float(_mpf(fgan_row(name).critic_image.sup))
    t = np.where((qv == 0) & (pv > 0), np.minimum(t, top), t)
    d = f_divergence(pv, qv, name, full_output=True)
    try:
        b = variational_bound(pv, qv, t, name, full_output=True)
    except ValueError as exc:  # inf - inf: refused; D_f is then infinite (reverse KL)
        if "undefined" in str(exc) and d.value == math.inf:
            return 0.0, 0.0
        raise
    tol = b.abserr + d.abserr + ulps(d.value)
    if math.isnan(b.value):
        return math.inf, tol
    if math.isinf(d.value):
        return 0.0, tol
    w = Worst()
    _slack(w, "", pv, qv, t, name, b, d)
    above = max(0.0, b.value - d.value) if b.value > d.value + tol else 0.0
    return max(w.residual, above), max(w.tolerance, tol)


@check("FGAN16-BOUND", "property", name="bound(T) <= D_f, slack = E_Q[gap] on random pairs")
def bound_property() -> CheckResult:
    """Random discrete pairs (zeros, disjoint and overlapping supports), each generator, T = T*
    + delta with delta in [-2, 2] per point: the bound never exceeds D_f, and D_f - bound is
    the Fenchel-Young gap at 30 digits (so strictly positive wherever T moves off T* where Q
    has mass and the gap is positive); -inf, never NaN, where T leaves dom f*."""
    worst, count = run_properties({"bound": _prop_bound}, BOUND_CASES, examples=N_BOUND)
    return worst["bound"].result(count, "worst |D_f - bound - E_Q[gap]| or excess", _SUM)


# --- FGAN16-JS-NORM -----------------------------------------------------------------------------
@check("FGAN16-JS-NORM", "symbolic", name="Table 1's f = 2 f_js; conjugates; activations")
def js_normalisation_exact() -> CheckResult:
    """Table 1's generator is twice the JSD's (whose integrand q f(p/q) is the JSD's, exactly);
    its derived conjugate is Table 2's -log(2 - e^t) on t < log 2; the JSD's is half of it at
    2t; Table 2's g_f leaves the JSD's dom f*, half of it maps onto it."""
    r = jensen_shannon_normalisation()
    ids = {
        "f_Table1 / f_js = 2": r.ratio == 2,
        "q f_js(p/q) = JSD integrand": r.is_jsd,
        "derived f*_Table1 = Table 2's, dom = (-oo, log 2)": r.table1_matches_table2,
        "f*_js(t) = f*_Table1(2t) / 2": r.scaling,
        "Table 2's g_f(R) = (-oo, log 2) not inside dom f*_js": not r.table2_activation_fits,
        "g_f / 2 maps R onto dom f*_js": r.halved_activation_fits,
    }
    return _exact(ids, "Jensen-Shannon normalisation")


def _table1(u: np.ndarray) -> np.ndarray:
    """Nowozin et al.'s Table 1 Jensen-Shannon generator, as printed."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(u > 0, -(u + 1) * np.log((1 + u) / 2) + u * np.log(u), _LOG2)


@check("FGAN16-JS-NORM", "continuous", name="D_f of Table 1's f = 2 JSD (quadrature)")
def js_normalisation_continuous() -> CheckResult:
    """f_divergence with Table 1's generator (as a plain function of u = p/q) against 2 jsd on
    N(0, 1) vs N(1, 1.5^2) and the continuous cases whose ratio p/q stays within float64."""
    w, cases = Worst(), 0
    for cname in ("N(0,1)-vs-N(1,1.5^2)", "gaussians", "cauchy", "uniform-partial",
                  "uniform-disjoint", "equal"):
        p, q = _CONT[cname]
        d = f_divergence(p, q, _table1, full_output=True)
        j = jsd(p, q, full_output=True)
        w.add(abs(d.value - 2 * j.value), d.abserr + 2 * j.abserr + ulps(d.value), cname)
        cases += 1
    return w.result(cases, "max |D_f(Table 1's f) - 2 JSD|", _QUAD)


@check("FGAN16-JS-NORM", "discrete", name="Table 1's optimal critic leaves dom f*_js (sums)")
def js_normalisation_discrete() -> CheckResult:
    """On every discrete case: D_f of Table 1's generator = 2 JSD (exact sums), and the
    optimal critic of Table 1's f, 2 T*_js = log(2u/(u + 1)) (Table 2's g_f at its optimum),
    gives the bound -inf with the JSD's conjugate wherever u = p/q > sqrt 2/(2 - sqrt 2) at a
    point where q > 0 (it leaves dom f*_js), and 2 bound_js(T*) = 2 JSD otherwise."""
    w, cases = Worst(), 0
    u_max = math.sqrt(2) / (2 - math.sqrt(2))
    for cname, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        d = f_divergence(pv, qv, _table1, full_output=True)
        j = jsd(pv, qv, full_output=True)
        # the callable's limit lim f(u)/u, taken at u = 1e300 where q = 0 < p, is a difference
        # of two logarithms near 690: 1e3 eps of it per unit of that mass
        lim = 1e3 * EPS * float(np.sum(pv[qv == 0]))
        w.add(abs(d.value - 2 * j.value), d.abserr + 2 * j.abserr + ulps(d.value) + lim, cname)
        t2 = 2 * optimal_critic(pv, qv, "js")
        b = variational_bound(pv, qv, t2, "js")
        with np.errstate(divide="ignore"):
            leaves = bool(np.any((qv > 0) & (pv > u_max * qv)))
        _exactly(w, (b == -math.inf) == leaves, f"{cname}: 2 T*")
        cases += 2
    return w.result(cases, "|D_f(Table 1) - 2 JSD|; bound(2 T*) = -inf iff 2 T* leaves dom", _SUM)
