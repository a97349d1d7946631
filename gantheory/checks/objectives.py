r"""Checks of the objectives' claims: label smoothing, the three generator costs and the
maximum-likelihood gradient (Goodfellow 2016), least squares (Mao et al. 2017) and the hinge loss
(Lim & Ye 2017).

Each check compares gantheory's code (:mod:`gantheory.objectives`, :func:`gantheory.value`,
:func:`gantheory.optimal_value`, the losses of :mod:`gantheory.nn`) with a reference written here
independently: the papers' closed forms (summed with :func:`scipy.special.xlogy`), another
divergence of gantheory computed by another code path (:func:`gantheory.kl` of mixtures,
:func:`gantheory.f_divergence`, :func:`gantheory.tv`), moments from SciPy, or SymPy evaluated in
mpmath. Tolerances: for sums, the rounding bounds ``n eps sum|terms|`` of both sides
(:func:`gantheory._numerics.rounding_bound`) plus 8 eps of the value; for integrals, the
quadrature's own error estimates (``full_output=True``) plus 8 eps of the value; symbolic
identities must simplify to exactly 0.

The hinge objective's optimum :math:`-2\min(p_{data}, p_g)` has a kink, and the hinge value at a
critic that jumps where the densities cross a jump, at every crossing of the two densities; the
continuous hinge checks integrate it with :func:`gantheory.quadrature.integrate_pieces` split at
the crossings (``kinks=``), where QUADPACK's error estimate holds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import mpmath as mp
import numpy as np
import sympy as sp
from hypothesis import strategies as st
from scipy import special, stats

from gantheory import strategies as gs
from gantheory._numerics import rounding_bound, ulps
from gantheory.cases import CONTINUOUS_CASES, DISCRETE_CASES, perturbations
from gantheory.checks._util import Worst
from gantheory.checks.property import run_properties
from gantheory.checks.symbolic import _exact, _zero
from gantheory.claims import CheckResult, check
from gantheory.distributions import Discrete, Mixture, coerce_pair
from gantheory.divergences import kl, tv
from gantheory.fdivergence import f_divergence
from gantheory.game import optimal_discriminator, optimal_value, value
from gantheory.objectives import GOODFELLOW, HINGE, Objective, label_smoothing, least_squares
from gantheory.quadrature import Estimate, integrate_pieces

_EPS = float(np.finfo(np.float64).eps)
_SUMS = "rounding bounds n eps sum|terms| of the compared sums, plus 8 eps max(1, |value|)"
_QUAD = "quadrature error estimates of the compared integrals, plus 8 eps max(1, |value|)"
#: (alpha, beta): one-sided, two-sided, generated side only, and near alpha + beta = 1.
_SMOOTHING = ((0.1, 0.0), (0.2, 0.1), (0.0, 0.3), (0.3, 0.6))
#: (a, b, c): Mao et al.'s two codings and two other targets.
_TARGETS = ((-1.0, 1.0, 0.0), (0.0, 1.0, 1.0), (0.5, 2.5, 1.5), (-3.0, 4.0, 2.0))
#: Targets with b - c = 1 and b - a = 2 (Theorem 1 of Mao et al.).
_CHI2_TARGETS = ((-1.0, 1.0, 0.0), (0.5, 2.5, 1.5), (-2.25, -0.25, -1.25))


# --- shared helpers ----------------------------------------------------------------------------
def _components(d: object) -> tuple[list, list]:
    if isinstance(d, Mixture):
        return list(d.components), list(d.weights)
    return [d], [1.0]


def _mix(p: object, q: object, wp: float, wq: float) -> object:
    """The mixture ``wp p + wq q`` (continuous; a mixture argument is flattened)."""
    if wq == 0.0:
        return p
    if wp == 0.0:
        return q
    cp, ap = _components(p)
    cq, aq = _components(q)
    return Mixture(cp + cq, [wp * a for a in ap] + [wq * a for a in aq])


def _est(v: object) -> Estimate:
    assert isinstance(v, Estimate)
    return v


class _Perturbed:
    """A discriminator near D*: ``D*`` (or its logit) plus ``eps sin(4 freq atan((x - m)/s) +
    phase)``, the wave in a squashed coordinate so that a heavy tail holds no oscillations.

    ``scale=True`` (the hinge critic): ``D* exp(eps (1.5 + sin(...)) / 4)`` instead, which never
    crosses the hinge's kinks at -1 and 1 (the factor stays on one side of 1), so that the
    integrand is smooth between the crossings of the densities, where the quadrature splits.
    """

    def __init__(self, d_star: Callable, p: object, params: tuple, is_logit: bool,
                 scale: bool = False) -> None:
        q1, med, q3 = (float(v) for v in np.atleast_1d(p.ppf(np.array([0.25, 0.5, 0.75]))))
        self.d, self.c, self.s, (self.eps, self.freq, self.phase) = d_star, med, q3 - q1, params
        self.is_logit, self.scale = is_logit, scale
        if is_logit:  # gantheory.value then integrates with the exact logit
            self.logit = self._shifted

    def _shifted(self, x: np.ndarray) -> np.ndarray:
        u = np.arctan((np.asarray(x, float) - self.c) / self.s)
        wave = np.sin(4 * self.freq * u + self.phase)
        if self.scale:
            return self.d(x) * np.exp(0.25 * self.eps * (1.5 + wave))
        base = self.d.logit(x) if self.is_logit else self.d(x)
        return base + self.eps * wave

    def __call__(self, x: np.ndarray) -> np.ndarray:
        out = self._shifted(x)
        return special.expit(out) if self.is_logit else out


def _discrete_perturbed(base: np.ndarray, rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """``base`` (a logit or a critic) plus logit shifts and waves, as in the GAN14-P1 checks."""
    idx = np.arange(base.size)
    return [base + e * np.sin(f * idx + ph) for e, f, ph in perturbations(n, rng=rng)]


def _maximises_discrete(obj: Objective, label: str, rng: np.random.Generator, w: Worst) -> int:
    """V(G, D*) = C(G) and V(G, D) <= C(G) for perturbed and random D on every discrete case."""
    cases = 0
    for name, (p, q) in DISCRETE_CASES.items():
        c = _est(optimal_value(p, q, objective=obj, full_output=True))
        d_star = optimal_discriminator(p, q, objective=obj)
        v = _est(value(p, q, d_star, objective=obj, full_output=True))
        tol = c.abserr + v.abserr + ulps(c.value)
        w.add(abs(v.value - c.value), tol, f"{label}, {name}: V(G, D*)")
        base = np.asarray(d_star.logit if obj.is_probability else d_star)
        draws = _discrete_perturbed(base, rng, 8)
        if obj.is_probability:
            draws.append(special.logit(rng.uniform(0, 1, base.size)))
        else:
            draws.append(rng.normal(0.0, 2.0, base.size))
        for d in draws:
            v = _est(value(p, q, d, objective=obj, logit=obj.is_probability, full_output=True))
            w.add(max(0.0, v.value - c.value), c.abserr + v.abserr + ulps(c.value),
                  f"{label}, {name}: perturbed D")
        cases += 1 + len(draws)
    return cases


def _maximises_continuous(obj: Objective, label: str, rng: np.random.Generator, w: Worst,
                          c_of: Callable[[object, object], Estimate] | None = None) -> int:
    """V(G, D*) = C(G) and V(G, D) <= C(G) for 3 perturbed D on every continuous case."""
    cases = 0
    for name, (p, q) in CONTINUOUS_CASES.items():
        c = c_of(p, q) if c_of else _est(optimal_value(p, q, objective=obj, full_output=True))
        d_star = optimal_discriminator(p, q, objective=obj)
        ds = [d_star] + [_Perturbed(d_star, p, prm, obj.is_probability, scale=obj is HINGE)
                         for prm in perturbations(3, rng=rng)]
        for i, d in enumerate(ds):
            v = _hinge_value(p, q, d) if obj is HINGE else _est(
                value(p, q, d, objective=obj, full_output=True))
            tol = c.abserr + v.abserr + ulps(c.value)
            if i == 0:
                w.add(abs(v.value - c.value), tol, f"{label}, {name}: V(G, D*)")
            else:
                w.add(max(0.0, v.value - c.value), tol, f"{label}, {name}: perturbed D")
        cases += len(ds)
    return cases


def _crossing(logs: tuple[float, ...]) -> float:
    """Sign-changing where the two densities cross (for ``integrate_pieces(kinks=)``)."""
    return 0.0 if logs[0] == logs[1] else logs[0] - logs[1]


def _hinge_optimum(p: object, q: object) -> Estimate:
    r""":math:`\int -2 \min(p_{data}, p_g)` from :meth:`HINGE.optimum`, split at the crossings."""
    _, pc, qc = coerce_pair(p, q)
    return integrate_pieces(
        lambda x, lg: float(HINGE.optimum(np.array(lg[0]), np.array(lg[1]))), [pc, qc],
        kinks=_crossing, what="hinge optimum",
    )


def _hinge_value(p: object, q: object, d: Callable) -> Estimate:
    """The hinge value of a critic ``d`` from :meth:`HINGE.terms`, split at the crossings (where
    D* jumps from -1 to 1)."""
    _, pc, qc = coerce_pair(p, q)

    def integrand(x: float, lg: tuple[float, ...]) -> float:
        u, wv = HINGE.terms(np.asarray(d(np.array([x])), float).reshape(()))
        return (0.0 if lg[0] == -math.inf else math.exp(lg[0]) * float(u)) + (
            0.0 if lg[1] == -math.inf else math.exp(lg[1]) * float(wv))

    return integrate_pieces(integrand, [pc, qc], kinks=_crossing, what="hinge value")


def _props(props: dict, strategy: st.SearchStrategy, examples: int, detail: str,
           name: str, reason: str = _SUMS) -> CheckResult:
    worst, count = run_properties(props, strategy, examples=examples)
    return worst[name].result(count, detail, reason)


# === GTUT16-LS: label smoothing ================================================================
@check("GTUT16-LS", "symbolic", name="D* derived for every alpha, beta in [0, 1)")
def smoothing_derivation() -> CheckResult:
    """The derivation with symbolic alpha, beta gives ((1-alpha) p + beta q)/(p + q), unique.

    Checked against the tutorial's formula written here: J'(D*) = 0 for J written out here,
    J'' < 0 on (0, 1) for every alpha, beta in [0, 1) (unique maximiser), the limits 1 - alpha
    (p_g -> 0) and beta (p_data -> 0) maximise the remaining term, the value at the optimum,
    Goodfellow et al.'s D* at alpha = beta = 0, and one-sided smoothing's D* <= 1 - alpha.
    """
    obj = label_smoothing()
    al, be = list(obj.symbolic().parameters)
    r = obj.derive(general=True)
    p, q, y = r.p_data, r.p_g, r.variable
    a_mass, b_mass = (1 - al) * p + be * q, al * p + (1 - be) * q
    want = a_mass / (p + q)
    j = p * ((1 - al) * sp.log(y) + al * sp.log(1 - y)) + q * (be * sp.log(y)
                                                              + (1 - be) * sp.log(1 - y))
    ids = {
        "D* = ((1-alpha) p_data + beta p_g)/(p_data + p_g)": _zero(r.maximiser - want),
        "J'(D*) = 0 for J written here": _zero(sp.diff(j, y).subs(y, want)),
        "J'' < 0 on (0, 1) for every alpha, beta: unique maximiser": r.concave is True,
        "p_g -> 0: D* -> 1 - alpha": _zero(r.no_generator - (1 - al)),
        "p_data -> 0: D* -> beta": _zero(r.no_data - be),
        "the limits maximise the remaining term": r.boundary_optimal is True,
        "J(D*) = A log(A/(p+q)) + B log(B/(p+q))": _zero(
            r.value - (a_mass * sp.log(a_mass / (p + q)) + b_mass * sp.log(b_mass / (p + q)))
        ),
        "alpha = beta = 0: p_data/(p_data + p_g)": _zero(
            r.maximiser.subs({al: 0, be: 0}) - p / (p + q)
        ),
        "one-sided: 1 - alpha - D* = (1 - alpha) p_g/(p_data + p_g) > 0": bool(
            _zero((1 - al) - r.maximiser.subs(be, 0) - (1 - al) * q / (p + q))
        ),
    }
    return _exact(ids, "label-smoothed pointwise optimum")


def _logit_tol(p: np.ndarray, q: np.ndarray) -> float:
    """Rounding allowed for a D* in [0, 1] computed from log-masses: the logit is a difference of
    two ``logaddexp`` of log-masses as large as L = max |log p|, |log q| (over the points with
    mass), each rounded to eps L; the sigmoid scales that by D (1 - D) <= 1/4: 4 eps (1 + L)."""
    with np.errstate(divide="ignore"):
        logs = np.abs(np.log(np.concatenate([p[p > 0], q[q > 0]])))
    return 4 * _EPS * (1.0 + float(logs.max(initial=0.0)))


def _smoothed_sum(p: np.ndarray, q: np.ndarray, al: float, be: float) -> tuple[float, float]:
    """The label-smoothed optimum as an exact sum: A log(A/T) + B log(B/T), A = (1-al)p + be q,
    B = al p + (1-be) q, T = p + q, with 0 log 0 = 0; and its rounding bound."""
    a_m, b_m, t = (1 - al) * p + be * q, al * p + (1 - be) * q, p + q
    terms = special.xlogy(a_m, a_m) + special.xlogy(b_m, b_m) - special.xlogy(t, t)
    return float(terms.sum()), rounding_bound(np.abs(special.xlogy(a_m, a_m))
                                              + np.abs(special.xlogy(b_m, b_m))
                                              + np.abs(special.xlogy(t, t)))


@check("GTUT16-LS", "discrete", name="C(G) = closed-form sum; D* maximises V")
def smoothing_discrete() -> CheckResult:
    """On every discrete case and 4 (alpha, beta): C(G) against the closed-form sum (xlogy),
    D* against ((1-alpha) p + beta q)/(p + q), V(G, D*) = C(G), and V(G, D) <= C(G) for 9
    perturbed and random D."""
    rng = np.random.default_rng(201642)
    w, cases = Worst(), 0
    for al, be in _SMOOTHING:
        obj, label = label_smoothing(alpha=al, beta=be), f"alpha={al}, beta={be}"
        for name, (p, q) in DISCRETE_CASES.items():
            pv, qv = np.asarray(p.probs), np.asarray(q.probs)
            ref, ref_err = _smoothed_sum(pv, qv, al, be)
            c = _est(optimal_value(p, q, objective=obj, full_output=True))
            w.add(abs(c.value - ref), c.abserr + ref_err + ulps(ref), f"{label}, {name}: C(G)")
            keep = (pv + qv) > 0
            want = ((1 - al) * pv + be * qv)[keep] / (pv + qv)[keep]
            got = np.asarray(optimal_discriminator(p, q, objective=obj))[keep]
            # a ratio of sums (3 roundings) against a sigmoid of log-space sums
            w.add(float(np.max(np.abs(got - want))), 4 * _EPS + _logit_tol(pv, qv),
                  f"{label}, {name}: D*")
            cases += 2
        cases += _maximises_discrete(obj, label, rng, w)
    return w.result(cases, "|C(G) - sum|, |D* - formula|, |V(G, D*) - C|, V(G, D) - C", _SUMS)


@check("GTUT16-LS", "continuous", name="C(G) = mixtures' KL form; D* maximises V")
def smoothing_continuous() -> CheckResult:
    r"""On every continuous case, for (alpha, beta) = (0.1, 0) and (0.2, 0.1): C(G) by
    quadrature against the same optimum written with KL divergences of mixtures,

    .. math:: C = 2(w_1 \log w_1 + w_2 \log w_2) + 2 w_1 \mathrm{KL}(\bar A \| M)
              + 2 w_2 \mathrm{KL}(\bar B \| M),

    :math:`w_1 = (1 - \alpha + \beta)/2`, :math:`\bar A, \bar B` the normalised
    :math:`(1-\alpha) p + \beta q` and :math:`\alpha p + (1 - \beta) q`, :math:`M = (p + q)/2`
    (:func:`gantheory.kl` on :class:`Mixture`\ s, another code path); V(G, D*) = C(G) and
    V(G, D) <= C(G) for 3 perturbed D (for the one-sided case).
    """
    rng = np.random.default_rng(201643)
    w, cases = Worst(), 0
    for al, be in ((0.1, 0.0), (0.2, 0.1)):
        obj, label = label_smoothing(alpha=al, beta=be), f"alpha={al}, beta={be}"
        w1, w2 = (1 - al + be) / 2, (1 + al - be) / 2
        for name, (p, q) in CONTINUOUS_CASES.items():
            m = _mix(p, q, 0.5, 0.5)
            a_bar = _mix(p, q, (1 - al) / (2 * w1), be / (2 * w1))
            b_bar = _mix(p, q, al / (2 * w2), (1 - be) / (2 * w2))
            k1 = _est(kl(a_bar, m, full_output=True))
            k2 = _est(kl(b_bar, m, full_output=True))
            ref = 2 * (w1 * math.log(w1) + w2 * math.log(w2))
            ref += 2 * w1 * k1.value + 2 * w2 * k2.value
            c = _est(optimal_value(p, q, objective=obj, full_output=True))
            tol = c.abserr + 2 * w1 * k1.abserr + 2 * w2 * k2.abserr + ulps(ref)
            w.add(abs(c.value - ref), tol, f"{label}, {name}: C(G)")
            cases += 1
        if be == 0.0:
            cases += _maximises_continuous(obj, label, rng, w)
    return w.result(cases, "|C(G) - KL form|, |V(G, D*) - C|, V(G, D) - C", _QUAD)


def _ls_game(t: tuple) -> tuple:
    (p, q, d), al, u = t
    return p, q, d, al, u * (1 - al) * 0.999  # alpha + beta < 1


_LS_GAMES = st.tuples(gs.games(), st.floats(0.0, 0.95), st.floats(0.0, 1.0)).map(_ls_game)


def _ls_value(p: np.ndarray, q: np.ndarray, d: np.ndarray, al: float, be: float) -> tuple:
    obj = label_smoothing(alpha=al, beta=be)
    c = _est(optimal_value(p, q, objective=obj, full_output=True))
    v = _est(value(p, q, d, objective=obj, full_output=True))
    return max(0.0, v.value - c.value), c.abserr + v.abserr + ulps(c.value)


def _ls_attained(p: np.ndarray, q: np.ndarray, d: np.ndarray, al: float, be: float) -> tuple:
    obj = label_smoothing(alpha=al, beta=be)
    c = _est(optimal_value(p, q, objective=obj, full_output=True))
    ref, ref_err = _smoothed_sum(p, q, al, be)
    v = _est(value(p, q, optimal_discriminator(p, q, objective=obj), objective=obj,
                   full_output=True))
    return max(abs(v.value - c.value), abs(c.value - ref)), c.abserr + v.abserr + ref_err + ulps(
        ref)


def _ls_one_sided(p: np.ndarray, q: np.ndarray, d: np.ndarray, al: float, be: float) -> tuple:
    # one-sided: D* <= 1 - alpha everywhere (equal where p_g = 0); two-sided: beta <= D*
    one = np.asarray(optimal_discriminator(p, q, objective=label_smoothing(alpha=al)))
    two = np.asarray(optimal_discriminator(p, q, objective=label_smoothing(alpha=al, beta=be)))
    over = max(float(np.max(one - (1 - al))), float(np.max(be - two)),
               float(np.max(two - (1 - al))))
    return max(0.0, over), _logit_tol(p, q)


@check("GTUT16-LS", "property", name="D* maximises V; one-sided D* <= 1 - alpha")
def smoothing_property() -> CheckResult:
    """On 150 random discrete pairs with random alpha, beta (alpha + beta < 1) and D in [0, 1]:
    V(G, D) <= C(G); V(G, D*) = C(G) = the closed-form sum; one-sided smoothing's D* never
    exceeds 1 - alpha, and beta <= D* <= 1 - alpha two-sided."""
    props = {"value": _ls_value, "attained": _ls_attained, "bounds": _ls_one_sided}
    worst, count = run_properties(props, _LS_GAMES, examples=150)
    out = Worst()
    for key in props:
        out.add(worst[key].residual, worst[key].tolerance, f"{key}: {worst[key].label}")
    return out.result(count, "V(G, D) - C; |V(G, D*) - C|; D* beyond [beta, 1 - alpha]",
                      _SUMS + "; 4 eps (1 + max |log mass|) for the bounds of D*")


# === GTUT16-GCOST: the three generator costs ===================================================
@functools.cache
def _cost_exprs() -> tuple[sp.Symbol, dict[str, sp.Expr]]:
    """The tutorial's three costs of y = D(G(z)), written here."""
    y = sp.Symbol("D", positive=True)
    return y, {
        "minimax": sp.log(1 - y),
        "nonsaturating": -sp.log(y),
        "maximum_likelihood": -sp.exp(sp.log(y) - sp.log(1 - y)) / 2,  # -exp(sigma^-1(D)) / 2
    }


@check("GTUT16-GCOST", "symbolic", name="costs and slopes at D -> 0 and D -> 1")
def generator_cost_shapes() -> CheckResult:
    """The objective's three costs equal the tutorial's; SymPy's limits give the shapes of
    Fig. 16: at D -> 0+ the costs tend to 0, oo, 0 with slopes -1, -oo, -1/2; at D -> 1- to
    -oo, 0, -oo with slopes -oo, -1, -oo; in the logit l the slopes dJ/dl = J'(D) D (1 - D)
    tend to 0, -1, 0 as l -> -oo (minimax and maximum likelihood saturate)."""
    y, mine = _cost_exprs()
    theirs = GOODFELLOW.symbolic()
    yt = theirs.variable
    ell = sp.Symbol("ell", real=True)
    sig = 1 / (1 + sp.exp(-ell))
    want = {  # name: (J(0+), J'(0+), J(1-), J'(1-), dJ/dl (l -> -oo))
        "minimax": (0, -1, -sp.oo, -sp.oo, 0),
        "nonsaturating": (sp.oo, -sp.oo, 0, -1, -1),
        "maximum_likelihood": (0, sp.Rational(-1, 2), -sp.oo, -sp.oo, 0),
    }
    ids: dict[str, bool] = {}
    for name, expr in mine.items():
        ids[f"{name}: the objective's cost is the tutorial's"] = _zero(
            theirs.generator_losses[name].subs(yt, y) - expr)
        slope = sp.diff(expr, y)
        got = (sp.limit(expr, y, 0, "+"), sp.limit(slope, y, 0, "+"), sp.limit(expr, y, 1, "-"),
               sp.limit(slope, y, 1, "-"),
               sp.limit(sp.simplify((slope * y * (1 - y)).subs(y, sig)), ell, -sp.oo))
        for label, g_val, w_val in zip(("J(0+)", "J'(0+)", "J(1-)", "J'(1-)", "dJ/dl(-oo)"), got,
                                       want[name], strict=True):
            w_val = sp.sympify(w_val)
            ids[f"{name}: {label} = {w_val}"] = bool(g_val == w_val) or bool(
                w_val.is_finite and sp.simplify(g_val - w_val) == 0)
        u = sp.Symbol("u", positive=True)  # D = u / (1 + u) covers (0, 1)
        ids[f"{name}: decreasing on (0, 1)"] = bool(
            sp.simplify(-slope.subs(y, u / (1 + u))).is_positive)
    return _exact(ids, "the three generator costs")


@functools.cache
def _logit_functions(name: str) -> tuple[Callable, Callable]:
    """J(sigma(l)) and J'(D) D (1 - D) at D = sigma(l), lambdified for mpmath."""
    y, exprs = _cost_exprs()
    ell = sp.Symbol("ell", real=True)
    sig = 1 / (1 + sp.exp(-ell))
    cost = exprs[name].subs(y, sig)
    grad = (sp.diff(exprs[name], y) * y * (1 - y)).subs(y, sig)
    return sp.lambdify(ell, cost, "mpmath"), sp.lambdify(ell, grad, "mpmath")


def _logit_refs(name: str, ls: np.ndarray) -> tuple[list, list]:
    """The cost and dJ/dl = J'(D) D (1 - D) at the logits ``ls``, from the SymPy expressions in
    mpmath at 400 digits (exact for the float64 logits, whatever the cancellation)."""
    fc, fg = _logit_functions(name)
    with mp.workdps(400):
        return ([float(fc(mp.mpf(float(v)))) for v in ls],
                [float(fg(mp.mpf(float(v)))) for v in ls])


#: Each nn loss term is a softplus, a sigmoid or an exp of the logit times 1/k: a few ulps.
_LOSS_ULPS = 16
_LOSS_REASON = f"{_LOSS_ULPS} eps relative: softplus, sigmoid and exp are each a few ulps"


def _cost_residuals(w: Worst, ls: np.ndarray, label: str) -> None:
    for name in GOODFELLOW.generator_losses:
        ref_c, ref_g = _logit_refs(name, ls)
        for v, rc, rg in zip(ls, ref_c, ref_g, strict=True):
            loss, grad = GOODFELLOW.generator_loss(np.array([v]), name)
            for got, ref, what in ((loss, rc, "cost"), (float(grad[0]), rg, "dJ/dl")):
                w.add(abs(got - ref) / max(abs(ref), 1e-300), _LOSS_ULPS * _EPS,
                      f"{label}{name} {what} at l = {v:g}")


@check("GTUT16-GCOST", "symbolic", name="nn losses and gradients = J(sigma(l)), J'(D) D(1-D)")
def generator_cost_gradients() -> CheckResult:
    """The three nn generator losses (per sample) and their gradients in the logit equal the
    tutorial's costs J(sigma(l)) and the chain rule J'(D) sigma'(l) = J'(D) D (1 - D), the
    SymPy expressions evaluated in mpmath at 400 digits, at 85 logits from -700 to 700."""
    ls = np.concatenate([np.linspace(-40.0, 40.0, 81), [-700.0, -300.0, 300.0, 700.0]])
    w = Worst()
    _cost_residuals(w, ls, "")
    return w.result(3 * 2 * ls.size, "max relative error of the nn cost and dJ/dl",
                    _LOSS_REASON)


@check("GTUT16-GCOST", "property", name="nn gradients = chain rule at random logits")
def generator_cost_gradients_property() -> CheckResult:
    """The same on 60 Hypothesis-drawn logits in [-700, 700] (each of the three costs)."""
    def prop(v: float) -> tuple[float, float]:
        w = Worst()
        _cost_residuals(w, np.array([v]), "")
        return w.residual, w.tolerance

    worst, count = run_properties({"cost": prop}, st.tuples(st.floats(-700.0, 700.0)),
                                  examples=60)
    return worst["cost"].result(count, "max relative error of the nn cost and dJ/dl",
                                _LOSS_REASON)


# === GTUT16-MLGRAD: the maximum-likelihood cost's gradient =====================================
@check("GTUT16-MLGRAD", "symbolic", name="grad J = 1/2 grad KL, Gaussian model, any p_data")
def ml_gradient_symbolic() -> CheckResult:
    r"""For p_theta = N(theta, s^2) and any p_data with finite second moment (moments m1, m2):
    with D = D* of theta_0 held fixed, exp(sigma^-1(D*)) = p_data/p_theta0, the integrand of
    dJ/dtheta at theta_0 is -1/2 p_data(x) d/dtheta log p_theta(x), a polynomial in x; its
    expectation is 1/2 d/dtheta KL(p_data || p_theta), KL = -H(p_data) - E log p_theta, for
    the location and the scale; the factor is exactly 1/2, not 1."""
    x, th, th0, m1, m2, h = sp.symbols("x theta theta_0 m_1 m_2 H", real=True)
    s, s0 = sp.symbols("s s_0", positive=True)
    pd = sp.Function("p_data")(x)

    def model(mu: sp.Expr, sd: sp.Expr) -> sp.Expr:
        return sp.exp(-(x - mu) ** 2 / (2 * sd**2)) / (sp.sqrt(2 * sp.pi) * sd)

    def expect(poly: sp.Expr) -> sp.Expr:  # E_{p_data} of a polynomial in x, by linearity
        coeffs = sp.Poly(sp.expand(poly), x).all_coeffs()[::-1]
        if len(coeffs) > 3:
            raise ValueError(f"needs moments beyond the second: {poly}")
        return sum(c * m for c, m in zip(coeffs, (1, m1, m2)))

    ids: dict[str, bool] = {}
    log_model = sp.expand_log(sp.log(model(th, s)), force=True)
    kl_div = -h - expect(log_model)
    for par, at in ((th, {th: th0, s: s0}), (s, {th: th0, s: s0})):
        ratio_d = pd / model(th0, s0)  # exp(logit D*) = p_data / p_theta0, held fixed
        integrand = sp.simplify((-sp.diff(model(th, s), par) * ratio_d / 2).subs(at))
        poly = sp.simplify(integrand / pd)
        ids[f"d/d{par}: integrand is p_data(x) times a polynomial"] = bool(
            poly.is_polynomial(x) and not poly.has(pd))
        grad_j = expect(poly)
        grad_kl = sp.diff(kl_div, par).subs(at)
        ids[f"d/d{par}: grad J = 1/2 grad KL"] = _zero(grad_j - grad_kl / 2)
        ids[f"d/d{par}: grad J != grad KL (the factor is not 1)"] = not _zero(grad_j - grad_kl)
    return _exact(ids, "gradient of -1/2 E exp(sigma^-1(D*)) for N(theta, s^2)")


_SOFTMAX_REASON = (
    "(4 (n + 8) + 2 L) eps max(p + q): a sum of n terms, and exp of a log-ratio of size L"
    " (relative error L eps)"
)


def _softmax_gradients(pv: np.ndarray, qv: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """For p_theta = softmax(theta) at p_theta0 = q: dJ/dtheta with D = D* of (p, q) held fixed,
    J = -1/2 sum_x p_theta(x) exp(logit D*(x)), from gantheory's D*; and the closed form
    d/dtheta KL(p || softmax theta) = q - p. Returns both and a rounding bound."""
    logit = np.asarray(optimal_discriminator(pv, qv).logit)
    r = np.exp(logit)  # p / q, held fixed
    qr = qv * r  # d p_theta(x)/d theta_k = q(x) (delta_xk - q(k))
    grad_j = -0.5 * (qr - qv * qr.sum())
    grad_kl = qv - pv
    size = float(np.max(np.abs(logit[np.isfinite(logit)]), initial=0.0))
    return grad_j, grad_kl, (4 * (pv.size + 8) + 2 * size) * _EPS * float(np.max(pv + qv))


@check("GTUT16-MLGRAD", "discrete", name="grad J = 1/2 grad KL, softmax model")
def ml_gradient_discrete() -> CheckResult:
    """p_theta = softmax(theta) at every discrete case with p_g > 0 everywhere: dJ/dtheta with
    D* held fixed (exact sums, D* from gantheory) against 1/2 (p_g - p_data), the closed-form
    gradient of KL(p_data || p_theta) halved. The detail gives the measured factor."""
    w, factors, cases = Worst(), [], 0
    for name, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        if np.any(qv == 0):
            continue  # softmax has full support; KL and J are infinite there
        cases += 1
        gj, gk, tol = _softmax_gradients(pv, qv)
        w.add(float(np.max(np.abs(gj - 0.5 * gk))), tol, name)
        big = np.abs(gk) > 1e-3
        factors += list(gj[big] / gk[big])
    detail = "max |dJ/dtheta - 1/2 dKL/dtheta|"
    if factors:
        detail += f"; measured factor dJ/dKL in [{min(factors):.12f}, {max(factors):.12f}]"
    return w.result(cases, detail, _SOFTMAX_REASON)


def _moments(d: object) -> tuple[float, float]:
    """Mean and variance of a scipy.stats distribution or a Mixture (from its components)."""
    cs, ws = _components(d)
    mean = sum(w * float(c.mean()) for c, w in zip(cs, ws, strict=True))
    second = sum(w * (float(c.var()) + float(c.mean()) ** 2) for c, w in zip(cs, ws, strict=True))
    return mean, second - mean**2


#: (p_data, theta_0, s_0): the model p_theta = N(theta, s^2) at (theta_0, s_0).
ML_CASES: dict[str, tuple[object, float, float]] = {
    "N(0, 1) vs N(1, 1.5^2)": (stats.norm(0, 1), 1.0, 1.5),
    "laplace vs N(0, 1)": (stats.laplace(0.5, 1.0), 0.0, 1.0),
    "mixture vs N(0.5, 2^2)": (Mixture([stats.norm(-2, 0.5), stats.norm(1.5, 1)], [0.3, 0.7]),
                               0.5, 2.0),
    "t5 vs N(-1, 1.5^2)": (stats.t(5, loc=0.2), -1.0, 1.5),
    "uniform vs N(2, 0.5^2)": (stats.uniform(0, 1), 2.0, 0.5),
}


#: The model's window, in standard deviations: there log p_theta >= -5e7, so that
#: log p_theta + logit D* (= log p_data) is formed to a relative 1e-8 at worst.
_WINDOW = 1e4


def ml_gradient_quadrature(p_data: object, theta: float, s: float) -> tuple[Estimate, Estimate]:
    r"""dJ/dtheta and dJ/ds for :math:`p_\theta = N(\theta, s^2)` at (theta, s), with D = D*
    held fixed: :math:`-\tfrac12 \int \partial p_\theta(x)\, e^{\ell^*(x)} dx`, :math:`\ell^*`
    the logit of :func:`gantheory.optimal_discriminator`, by quadrature.

    Beyond :math:`|x - \theta| > 10^4 s` float64 cannot form :math:`p_\theta e^{\ell^*}` (both
    exponents exceed 5e7); there the integrand is :math:`-\tfrac12 p_{data}\,\partial \log
    p_\theta` by the definition of :math:`D^*`, and its absolute integral over the two tails
    (quadrature of :math:`p_{data}` alone) is added to the error estimate, not to the value.
    """
    model = stats.norm(theta, s)
    d_star = optimal_discriminator(p_data, model)
    _, pc, qc = coerce_pair(p_data, model)
    lo, hi = theta - _WINDOW * s, theta + _WINDOW * s

    def integrand(score: Callable[[float], float]) -> Callable:
        def f(x: float, lg: tuple[float, ...]) -> float:
            logit = float(d_star.logit(np.array([x]))[0])
            if logit == -math.inf:
                return 0.0
            return -0.5 * math.exp(lg[1] + logit) * score(x)  # d p = p * score
        return f

    def tails(score: Callable[[float], float]) -> float:
        def f(x: float, lg: tuple[float, ...]) -> float:
            return 0.0 if lg[0] == -math.inf else 0.5 * math.exp(lg[0]) * abs(score(x))
        sup = pc.support()
        out = 0.0
        for a, b in ((sup[0], lo), (hi, sup[1])):
            if a < b:
                e = integrate_pieces(f, [pc], domain=(a, b), what="tail bound")
                out += e.value + e.abserr
        return out

    out = []
    for score, what in ((lambda x: (x - theta) / s**2, "dJ/dtheta"),
                        (lambda x: ((x - theta) ** 2 / s**2 - 1) / s, "dJ/ds")):
        est = integrate_pieces(integrand(score), [pc, qc], domain=(max(lo, pc.support()[0]),
                                                                    min(hi, pc.support()[1])),
                               what=what)
        out.append(Estimate(est.value, est.abserr + tails(score), est.pieces, est.neval))
    return out[0], out[1]


def kl_gradient_gaussian(p_data: object, theta: float, s: float) -> tuple[float, float]:
    """d/dtheta and d/ds of KL(p_data || N(theta, s^2)) from p_data's moments (closed form)."""
    mean, var = _moments(p_data)
    return (theta - mean) / s**2, 1 / s - (var + (mean - theta) ** 2) / s**3


@check("GTUT16-MLGRAD", "continuous", name="grad J = 1/2 grad KL, Gaussian model")
def ml_gradient_continuous() -> CheckResult:
    """p_theta = N(theta, s^2) against 5 data distributions (normal, Laplace, a mixture, t5,
    uniform): dJ/dtheta and dJ/ds with D* held fixed, by quadrature, against half the
    closed-form gradient of KL(p_data || p_theta) from SciPy's moments of p_data."""
    w, factors = Worst(), []
    for name, (pd, th, s) in ML_CASES.items():
        for est, ref, par in zip(ml_gradient_quadrature(pd, th, s), kl_gradient_gaussian(pd, th, s),
                                 ("theta", "s"), strict=True):
            w.add(abs(est.value - 0.5 * ref), est.abserr + ulps(ref), f"{name}, d/d{par}")
            if abs(ref) > 1e-3:
                factors.append(est.value / ref)
    return w.result(2 * len(ML_CASES), "max |dJ - 1/2 dKL|; measured factor dJ/dKL in "
                    f"[{min(factors):.12f}, {max(factors):.12f}]",
                    "quadrature error estimate plus 8 eps max(1, |gradient|)")


def _ml_prop(p: np.ndarray, q: np.ndarray) -> tuple[float, float]:
    gj, gk, tol = _softmax_gradients(p, q)
    return float(np.max(np.abs(gj - 0.5 * gk))), tol


@check("GTUT16-MLGRAD", "property", name="grad J = 1/2 grad KL on random pairs")
def ml_gradient_property() -> CheckResult:
    """The softmax-model identity on 150 random discrete pairs of full support."""
    strat = gs.independent_pairs(allow_zeros=False)
    return _props({"ml": _ml_prop}, strat, 150, "max |dJ/dtheta - 1/2 dKL/dtheta|", "ml",
                  _SOFTMAX_REASON)


# === LSGAN17-DSTAR =============================================================================
@check("LSGAN17-DSTAR", "symbolic", name="D* derived for symbolic targets a, b")
def lsgan_derivation() -> CheckResult:
    """With a, b symbols: D* = (b p + a q)/(p + q), J'(D*) = 0 for J written here, J'' < 0,
    limits b (p_g -> 0) and a (p_data -> 0), value -(b - a)^2 p q / (2 (p + q))."""
    obj = least_squares()
    sa, sb, _ = list(obj.symbolic().parameters)
    r = obj.derive(general=True)
    p, q, y = r.p_data, r.p_g, r.variable
    want = (sb * p + sa * q) / (p + q)
    j = -p * (y - sb) ** 2 / 2 - q * (y - sa) ** 2 / 2
    ids = {
        "D* = (b p_data + a p_g)/(p_data + p_g)": _zero(r.maximiser - want),
        "J'(D*) = 0 for J written here": _zero(sp.diff(j, y).subs(y, want)),
        "J'' = -(p_data + p_g) < 0: unique": r.concave is True and _zero(
            r.second_derivative + p + q),
        "p_g -> 0: D* -> b; p_data -> 0: D* -> a": _zero(r.no_generator - sb) and _zero(
            r.no_data - sa),
        "the limits maximise the remaining term": r.boundary_optimal is True,
        "J(D*) = -(b - a)^2 p q / (2 (p + q))": _zero(
            r.value + (sb - sa) ** 2 * p * q / (2 * (p + q))),
    }
    return _exact(ids, "least-squares pointwise optimum")


def _lsq_sum(p: np.ndarray, q: np.ndarray, a: float, b: float) -> tuple[float, float]:
    t = p + q
    terms = np.where(t > 0, p * q / np.where(t > 0, t, 1.0), 0.0) * (-0.5 * (b - a) ** 2)
    return float(terms.sum()), rounding_bound(terms)


@check("LSGAN17-DSTAR", "discrete", name="D* and min = closed forms; D* optimal")
def lsgan_discrete() -> CheckResult:
    """On every discrete case and 4 target triples: D* against (b p + a q)/(p + q), the optimum
    against -(b - a)^2/2 sum p q/(p + q), V(G, D*) = C, V(G, D) <= C for 9 perturbed and
    random critics."""
    rng = np.random.default_rng(2017)
    w, cases = Worst(), 0
    for a, b, c in _TARGETS:
        obj, label = least_squares(a=a, b=b, c=c), f"(a, b, c) = ({a:g}, {b:g}, {c:g})"
        for name, (p, q) in DISCRETE_CASES.items():
            pv, qv = np.asarray(p.probs), np.asarray(q.probs)
            ref, ref_err = _lsq_sum(pv, qv, a, b)
            opt = _est(optimal_value(p, q, objective=obj, full_output=True))
            w.add(abs(opt.value - ref), opt.abserr + ref_err + ulps(ref), f"{label}, {name}: min")
            keep = (pv + qv) > 0
            want = (b * pv + a * qv)[keep] / (pv + qv)[keep]
            got = np.asarray(optimal_discriminator(p, q, objective=obj))[keep]
            # both a weighted mean of a and b: 4 roundings of max(|a|, |b|)
            w.add(float(np.max(np.abs(got - want))), 8 * _EPS * max(abs(a), abs(b)),
                  f"{label}, {name}: D*")
            cases += 2
        cases += _maximises_discrete(obj, label, rng, w)
    return w.result(cases, "|min - sum|, |D* - formula|, |V(G, D*) - C|, V(G, D) - C", _SUMS)


def _pearson_mixture(p: object, q: object, discrete: bool) -> tuple[Estimate, Estimate]:
    """chi^2_Pearson(q || M) and chi^2_Pearson(p || M), M = (p + q)/2, by f_divergence."""
    if discrete:
        m = Discrete((np.asarray(p.probs) + np.asarray(q.probs)) / 2)
    else:
        m = _mix(p, q, 0.5, 0.5)
    return (_est(f_divergence(q, m, "pearson", full_output=True)),
            _est(f_divergence(p, m, "pearson", full_output=True)))


@check("LSGAN17-DSTAR", "continuous", name="min = -(b-a)^2/4 (1 - chi^2); D* optimal")
def lsgan_continuous() -> CheckResult:
    """On every continuous case, targets (-1, 1, 0) and (0, 1, 1): the optimum by quadrature
    against -(b - a)^2/4 (1 - chi^2_Pearson(p_g || M)) (f_divergence of the mixture; the
    algebra: 2 int p q/(p + q) = 1 - chi^2_Pearson(p_g || M)), V(G, D*) = C, and V(G, D) <= C
    for 3 perturbed critics."""
    rng = np.random.default_rng(20171)
    w, cases = Worst(), 0
    for a, b, c in _TARGETS[:2]:
        obj, label = least_squares(a=a, b=b, c=c), f"(a, b, c) = ({a:g}, {b:g}, {c:g})"
        for name, (p, q) in CONTINUOUS_CASES.items():
            chi, _ = _pearson_mixture(p, q, False)
            ref = -0.25 * (b - a) ** 2 * (1 - chi.value)
            opt = _est(optimal_value(p, q, objective=obj, full_output=True))
            w.add(abs(opt.value - ref), opt.abserr + 0.25 * (b - a) ** 2 * chi.abserr + ulps(ref),
                  f"{label}, {name}: min")
            cases += 1
        if c == 0.0:
            cases += _maximises_continuous(obj, label, rng, w)
    return w.result(cases, "|min - chi^2 form|, |V(G, D*) - C|, V(G, D) - C", _QUAD)


def _lsq_game(t: tuple) -> tuple:
    (p, q, d), a, gap = t
    return p, q, (d - 0.5) * 8.0, a, a + gap  # critic values in [-4, 4]


_LSQ_GAMES = st.tuples(gs.games(), st.floats(-3.0, 3.0),
                       st.one_of(st.floats(0.1, 4.0), st.floats(-4.0, -0.1))).map(_lsq_game)


def _lsq_prop(p: np.ndarray, q: np.ndarray, d: np.ndarray, a: float, b: float) -> tuple:
    obj = least_squares(a=a, b=b)
    opt = _est(optimal_value(p, q, objective=obj, full_output=True))
    ref, ref_err = _lsq_sum(p, q, a, b)
    v_star = _est(value(p, q, optimal_discriminator(p, q, objective=obj), objective=obj,
                        full_output=True))
    v = _est(value(p, q, d, objective=obj, full_output=True))
    res = max(abs(opt.value - ref), abs(v_star.value - opt.value), v.value - opt.value)
    return res, opt.abserr + ref_err + v_star.abserr + v.abserr + ulps(ref)


@check("LSGAN17-DSTAR", "property", name="D* optimal on random pairs and targets")
def lsgan_property() -> CheckResult:
    """On 150 random discrete pairs, targets a in [-3, 3], |b - a| in [0.1, 4], and critics in
    [-4, 4]: the optimum equals the closed-form sum and V(G, D*), and V(G, D) does not exceed
    it."""
    return _props({"lsq": _lsq_prop}, _LSQ_GAMES, 150,
                  "max of |min - sum|, |V(G, D*) - min|, V(G, D) - min", "lsq")


# === LSGAN17-CHI2 ==============================================================================
@check("LSGAN17-CHI2", "symbolic", name="pointwise: C(G) integrand = chi^2 from the mixture")
def lsgan_chi2_symbolic() -> CheckResult:
    """With D* derived: 1/2 (p + q)(D* - c)^2 = (a + b - 2c)^2/8 (p + q) + (a + b - 2c)(b - a)/4
    (p - q) + (b - a)^2/4 (q - m)^2/m (m = (p + q)/2; the middle term integrates to 0) for
    symbolic a, b, c; with b - c = 1, b - a = 2 it is
    (q - m)^2/m = (p - m)^2/m, the integrand of chi^2_Pearson(p_g || M); the paper's
    (2q - (p + q))^2/(p + q) is twice it (its convention puts the first argument in the
    denominator), while 2q f((p + q)/(2q)), f = (u - 1)^2, is (p - q)^2/(2q), not twice it; the
    0-1 coding (a, b, c) = (0, 1, 1) gives p/4 at p = q, not 0."""
    obj = least_squares()
    sa, sb, sc = list(obj.symbolic().parameters)
    r = obj.derive(general=True)
    p, q = r.p_data, r.p_g
    m = (p + q) / 2
    integrand = (p + q) * (r.maximiser - sc) ** 2 / 2
    chi_q, chi_p = (q - m) ** 2 / m, (p - m) ** 2 / m
    thm = {sa: sc - 1, sb: sc + 1}
    coding01 = integrand.subs({sa: 0, sb: 1, sc: 1})
    standard = 2 * q * ((p + q) / (2 * q) - 1) ** 2
    ids = {
        "general: (a+b-2c)^2/8 (p+q) + (a+b-2c)(b-a)/4 (p-q) + (b-a)^2/4 (q-m)^2/m": _zero(
            integrand - (sa + sb - 2 * sc) ** 2 / 8 * (p + q)
            - (sa + sb - 2 * sc) * (sb - sa) / 4 * (p - q) - (sb - sa) ** 2 / 4 * chi_q),
        "b-c=1, b-a=2: (q - m)^2/m, for every c": _zero(integrand.subs(thm) - chi_q),
        "(q - m)^2/m = (p - m)^2/m = (p - q)^2/(2 (p + q))": _zero(chi_q - chi_p) and _zero(
            chi_q - (p - q) ** 2 / (2 * (p + q))),
        "paper: (2q - (p+q))^2/(p+q) = 2 x integrand": _zero(
            (2 * q - (p + q)) ** 2 / (p + q) - 2 * integrand.subs(thm)),
        "f-convention: 2q f((p+q)/(2q)) = (p - q)^2/(2q)": _zero(standard - (p - q) ** 2 / (2 * q)),
        "f-convention reading is not 2 x integrand (p=1, q=2)": sp.simplify(
            (standard - 2 * integrand.subs(thm)).subs({p: 1, q: 2})) != 0,
        "0-1 coding: p/4 at p_g = p_data (not 0)": _zero(coding01.subs(q, p) - p / 4),
    }
    return _exact(ids, "least-squares generator objective at D*")


def _generator_objective(p: np.ndarray, q: np.ndarray, obj: Objective) -> tuple[float, float]:
    """1/2 sum (p + q)(D* - c)^2 with D* from gantheory, and its rounding bound."""
    d = np.asarray(optimal_discriminator(p, q, objective=obj))
    terms = 0.5 * (p + q) * (d - obj.parameters["c"]) ** 2
    # D* - c carries the 4-ulp error of D* relative to max(|a|, |b|), doubled by the square
    slack = 16 * _EPS * max(abs(obj.parameters["a"]), abs(obj.parameters["b"]), 1.0) * float(
        np.sum(0.5 * (p + q) * np.abs(d - obj.parameters["c"])))
    return float(terms.sum()), rounding_bound(terms) + slack


@check("LSGAN17-CHI2", "discrete", name="C(G) = chi^2_Pearson(p_g || M) = chi^2(p_data || M)")
def lsgan_chi2_discrete() -> CheckResult:
    """On every discrete case: C(G) = 1/2 sum (p + q)(D* - c)^2 (D* from gantheory) for 3
    target triples with b - c = 1, b - a = 2, against f_divergence(p_g, M, "pearson") and
    f_divergence(p_data, M, "pearson"); for (0, 1, 1) and (-3, 4, 2), against the general
    (a + b - 2c)^2/4 + (b - a)^2/4 chi^2."""
    w, cases = Worst(), 0
    for name, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        chi_q, chi_p = _pearson_mixture(p, q, True)
        for a, b, c in _CHI2_TARGETS + _TARGETS[1:2] + _TARGETS[3:]:
            cg, err = _generator_objective(pv, qv, least_squares(a=a, b=b, c=c))
            k, lin = (a + b - 2 * c) ** 2 / 4, (b - a) ** 2 / 4
            for chi, which in ((chi_q, "p_g"), (chi_p, "p_data")):
                ref = k + lin * chi.value
                w.add(abs(cg - ref), err + lin * chi.abserr + ulps(ref),
                      f"({a:g}, {b:g}, {c:g}), {name}, chi^2({which} || M)")
                cases += 1
    return w.result(cases, "max |C(G) - (a+b-2c)^2/4 - (b-a)^2/4 chi^2(. || M)|", _SUMS)


@check("LSGAN17-CHI2", "continuous", name="C(G) = chi^2_Pearson(p_g || M), quadrature")
def lsgan_chi2_continuous() -> CheckResult:
    """On every continuous case, targets (-1, 1, 0) and (0.5, 2.5, 1.5): C(G) = 1/2 int
    (p + q)(D* - c)^2 by quadrature (D* of the objective from the log-densities) against
    f_divergence(p_g, M, "pearson") and f_divergence(p_data, M, "pearson") of the mixture M."""
    w, cases = Worst(), 0
    for name, (p, q) in CONTINUOUS_CASES.items():
        _, pc, qc = coerce_pair(p, q)
        chis = _pearson_mixture(p, q, False)
        for a, b, c in _CHI2_TARGETS[:2]:
            obj = least_squares(a=a, b=b, c=c)

            def integrand(x: float, lg: tuple[float, ...], obj: Objective = obj,
                          c: float = c) -> float:
                if lg[0] == lg[1] == -math.inf:
                    return 0.0
                d = float(obj.dstar(np.array(lg[0]), np.array(lg[1]))) - c
                return 0.5 * math.exp(np.logaddexp(lg[0], lg[1])) * d * d

            cg = integrate_pieces(integrand, [pc, qc], what="C(G)")
            for chi, which in zip(chis, ("p_g", "p_data"), strict=True):
                w.add(abs(cg.value - chi.value), cg.abserr + chi.abserr + ulps(chi.value),
                      f"({a:g}, {b:g}, {c:g}), {name}, chi^2({which} || M)")
                cases += 1
    return w.result(cases, "max |C(G) - chi^2(. || M)|", _QUAD)


@check("LSGAN17-CHI2", "discrete", name="other codings and conventions do not give it")
def lsgan_chi2_counterexamples() -> CheckResult:
    """Counterexamples, at the discrete cases: the 0-1 coding (a, b, c) = (0, 1, 1) gives
    C(G) = 1/4 at p_g = p_data, where chi^2 = 0; the paper's chi^2_Pearson(p_d + p_g || 2 p_g)
    read in the convention D_f(P || Q) = int q f(p/q) is 1/2 chi^2_Pearson(p_data || p_g),
    not 2 C(G) (infinite on disjoint supports). Residual: the smaller of the two margins."""
    w_code, w_conv = -math.inf, -math.inf
    where_code = where_conv = ""
    at_equal = ""
    for name, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        chi_q, _ = _pearson_mixture(p, q, True)
        c01, _ = _generator_objective(pv, qv, least_squares(a=0.0, b=1.0, c=1.0))
        if np.array_equal(pv, qv):
            at_equal = f"at p_g = p_data ({name!r}) C(G) = {c01:.6g}, chi^2 = {chi_q.value:.6g}; "
        if abs(c01 - chi_q.value) > w_code:
            w_code, where_code = abs(c01 - chi_q.value), name
        c_thm, _ = _generator_objective(pv, qv, least_squares())
        read = _est(f_divergence(p, q, "pearson", full_output=True)).value / 2
        margin = abs(read - 2 * c_thm) if math.isfinite(read) else math.inf
        if margin > w_conv:
            w_conv, where_conv = margin, name
    residual = min(w_code, w_conv)
    return CheckResult(
        residual=residual, tolerance=1e-12, cases=2 * len(DISCRETE_CASES), relation=">=",
        detail="margins |C_01 - chi^2| and |1/2 chi^2(p_data || p_g) - 2 C(G)|",
        counterexample=(f"0-1 coding: {at_equal}largest |C(G) - chi^2(p_g || M)| = {w_code:.6g}"
                        f" on {where_code!r}; f-convention reading: off by {w_conv:.6g} on"
                        f" {where_conv!r}"),
        tolerance_reason="far beyond the rounding bounds of the sums (< 1e-13 on these cases)",
    )


def _chi2_game(t: tuple) -> tuple:
    (p, q), c = t
    return p, q, c


def _chi2_prop(p: np.ndarray, q: np.ndarray, c: float) -> tuple:
    cg, err = _generator_objective(p, q, least_squares(a=c - 1, b=c + 1, c=c))
    chi_q, chi_p = _pearson_mixture(Discrete(p), Discrete(q), True)
    res = max(abs(cg - chi_q.value), abs(cg - chi_p.value))
    return res, err + chi_q.abserr + chi_p.abserr + ulps(cg)


@check("LSGAN17-CHI2", "property", name="C(G) = chi^2 on random pairs and c")
def lsgan_chi2_property() -> CheckResult:
    """On 150 random discrete pairs and c in [-5, 5], targets (c - 1, c + 1, c): C(G) =
    chi^2_Pearson(p_g || M) = chi^2_Pearson(p_data || M)."""
    strat = st.tuples(gs.pairs(), st.floats(-5.0, 5.0)).map(_chi2_game)
    return _props({"chi2": _chi2_prop}, strat, 150, "max |C(G) - chi^2(. || M)|", "chi2")


# === HINGE17-DSTAR and HINGE17-TV ==============================================================
@check("HINGE17-DSTAR", "symbolic", name="D* = sign(p - q); flat on [-1, 1] at p = q")
def hinge_derivation() -> CheckResult:
    """The derivation's maximiser is 1 where p = q + t and -1 where q = p + t (t > 0); J(1) -
    J(y) > 0 for y != 1 there (unique); at p = q, J(y) = -2p on [-1, 1] and below it outside;
    limits 1 and -1 where one density vanishes."""
    r = HINGE.derive()
    p, q, y = r.p_data, r.p_g, r.variable
    t, s = sp.symbols("t s", positive=True)
    j = r.integrand
    above, below = {p: q + t}, {q: p + t}
    inner = 2 * s / (1 + s)  # (0, 2)
    ids = {
        "p_data > p_g: D* = 1": sp.simplify(r.maximiser.subs(above)) == 1,
        "p_data < p_g: D* = -1": sp.simplify(r.maximiser.subs(below)) == -1,
        "p_data > p_g: J(1) > J(1 + s), J(1 - s) (unique)": all(
            sp.simplify((j.subs(y, 1) - j.subs(y, 1 + d)).subs(above)).is_positive
            for d in (s, -inner)),
        "p_data < p_g: J(-1) > J(-1 - s), J(-1 + s) (unique)": all(
            sp.simplify((j.subs(y, -1) - j.subs(y, -1 + d)).subs(below)).is_positive
            for d in (-s, inner)),
        "p_data = p_g: J = -2 p on [-1, 1]": all(
            sp.simplify(j.subs({q: p, y: v}) + 2 * p) == 0
            for v in (-1, sp.Rational(-1, 2), 0, sp.Rational(1, 3), 1)),
        "p_data = p_g: J < -2 p outside [-1, 1]": all(
            sp.simplify(-2 * p - j.subs({q: p, y: v})).is_positive for v in (1 + s, -1 - s)),
        "limits: 1 (p_g -> 0), -1 (p_data -> 0)": (r.no_generator, r.no_data) == (1, -1),
        "the limits maximise the remaining term": r.boundary_optimal is True,
    }
    return _exact(ids, "hinge pointwise optimum")


@check("HINGE17-DSTAR", "discrete", name="D* = sign(p - q); optimal; free at ties")
def hinge_discrete() -> CheckResult:
    """On every discrete case: optimal_discriminator(objective="hinge") equals numpy's
    sign(p - q) exactly, V(G, D*) = C(G), V(G, D) <= C(G) for 9 perturbed and random
    critics, and any value in [-1, 1] where p = q gives V(G, D*) (3 random draws)."""
    rng = np.random.default_rng(201705)
    w, cases = Worst(), 0
    for name, (p, q) in DISCRETE_CASES.items():
        pv, qv = np.asarray(p.probs), np.asarray(q.probs)
        d_star = np.asarray(optimal_discriminator(p, q, objective="hinge"))
        w.add(float(np.count_nonzero(d_star != np.sign(pv - qv))), 0.0, f"{name}: sign")
        c = _est(optimal_value(p, q, objective="hinge", full_output=True))
        ties = pv == qv
        for _ in range(3):
            d = np.where(ties, rng.uniform(-1, 1, pv.size), d_star)
            v = _est(value(p, q, d, objective="hinge", full_output=True))
            w.add(abs(v.value - c.value), c.abserr + v.abserr + ulps(c.value), f"{name}: ties")
        cases += 4
    cases += _maximises_discrete(HINGE, "hinge", rng, w)
    return w.result(cases, "sign mismatches; |V - C| (D*, ties); V(G, D) - C", _SUMS)


@check("HINGE17-DSTAR", "continuous", name="D* optimal, quadrature split at crossings")
def hinge_continuous() -> CheckResult:
    """On every continuous case: V(G, D*) = the optimum, V(G, D) <= optimum for 3 perturbed
    critics, both by quadrature split where the densities cross (where D* jumps)."""
    rng = np.random.default_rng(201706)
    w = Worst()
    cases = _maximises_continuous(HINGE, "hinge", rng, w, c_of=_hinge_optimum)
    return w.result(cases, "|V(G, D*) - C|, V(G, D) - C", _QUAD)


def _hinge_prop(p: np.ndarray, q: np.ndarray, d: np.ndarray) -> tuple:
    c = _est(optimal_value(p, q, objective="hinge", full_output=True))
    crit = (d - 0.5) * 6.0  # critics in [-3, 3]
    v = _est(value(p, q, crit, objective="hinge", full_output=True))
    d_star = np.asarray(optimal_discriminator(p, q, objective="hinge"))
    sign_ok = 0.0 if np.array_equal(d_star, np.sign(p - q)) else math.inf
    return max(v.value - c.value, sign_ok), c.abserr + v.abserr + ulps(c.value)


@check("HINGE17-DSTAR", "property", name="D* = sign(p - q) optimal on random pairs")
def hinge_property() -> CheckResult:
    """On 150 random discrete pairs and critics in [-3, 3]: D* = sign(p - q) exactly and
    V(G, D) <= C(G)."""
    return _props({"hinge": _hinge_prop}, gs.games(), 150, "sign mismatch (inf) or V - C",
                  "hinge")


@check("HINGE17-TV", "symbolic", name="-2 min(p, q) = -(p + q) + |p - q|")
def hinge_tv_symbolic() -> CheckResult:
    """The derived value at the optimum is -2 min(p, q) = -(p + q) + |p - q| on both sides of
    p = q (and at p = q); integrated, -2 + 2 TV: the loss is 2 (1 - TV)."""
    r = HINGE.derive()
    p, q = r.p_data, r.p_g
    t = sp.Symbol("t", positive=True)
    target = -(p + q) + sp.Abs(p - q)
    ids = {
        f"{label}: value = -(p+q) + |p-q| = -2 min": _zero((r.value - target).subs(sub)) and _zero(
            (r.value + 2 * sp.Min(p, q)).subs(sub))
        for label, sub in (("p > q", {p: q + t}), ("p < q", {q: p + t}), ("p = q", {q: p}))
    }
    return _exact(ids, "hinge value at the optimum")


@check("HINGE17-TV", "discrete", name="min loss = 2 (1 - TV)")
def hinge_tv_discrete() -> CheckResult:
    """On every discrete case: -optimal_value(objective="hinge") against 2 (1 - tv(p, q)) and
    against 2 sum min(p, q)."""
    w = Worst()
    for name, (p, q) in DISCRETE_CASES.items():
        c = _est(optimal_value(p, q, objective="hinge", full_output=True))
        t = _est(tv(p, q, full_output=True))
        mins = np.minimum(np.asarray(p.probs), np.asarray(q.probs))
        w.add(abs(-c.value - 2 * (1 - t.value)), c.abserr + 2 * t.abserr + ulps(c.value), name)
        w.add(abs(-c.value - 2 * mins.sum()), c.abserr + rounding_bound(mins) + ulps(c.value),
              f"{name}: 2 sum min")
    return w.result(2 * len(DISCRETE_CASES), "max |loss - 2 (1 - TV)|", _SUMS)


@check("HINGE17-TV", "continuous", name="min loss = 2 (1 - TV), quadrature")
def hinge_tv_continuous() -> CheckResult:
    """On every continuous case: the integral of the objective's optimum -2 min(p, q) (split at
    the crossings) against -2 (1 - tv(p, q))."""
    w = Worst()
    for name, (p, q) in CONTINUOUS_CASES.items():
        c = _hinge_optimum(p, q)
        t = _est(tv(p, q, full_output=True))
        w.add(abs(-c.value - 2 * (1 - t.value)), c.abserr + 2 * t.abserr + ulps(c.value), name)
    return w.result(len(CONTINUOUS_CASES), "max |loss - 2 (1 - TV)|", _QUAD)


def _tv_prop(p: np.ndarray, q: np.ndarray) -> tuple:
    c = _est(optimal_value(p, q, objective="hinge", full_output=True))
    t = _est(tv(p, q, full_output=True))
    return abs(-c.value - 2 * (1 - t.value)), c.abserr + 2 * t.abserr + ulps(c.value)


@check("HINGE17-TV", "property", name="min loss = 2 (1 - TV) on random pairs")
def hinge_tv_property() -> CheckResult:
    """On 200 random discrete pairs (zeros, equal, disjoint, overlapping)."""
    return _props({"tv": _tv_prop}, gs.pairs(), 200, "max |loss - 2 (1 - TV)|", "tv")

