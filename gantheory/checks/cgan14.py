r"""Checks of the claims of Mirza & Osindero (2014), *Conditional Generative Adversarial Nets*
(:mod:`gantheory.claims.cgan14`): the optimal conditional discriminator, the criterion C(G) of
the conditional game, and the decomposition of logit D* of Miyato & Koyama (2018).

Every check compares :mod:`gantheory.conditional` with a reference that does not share its code
path: SymPy derivations on joint tables of symbols, a per-cell numerical maximiser
(``scipy.optimize.minimize_scalar``), ``scipy.spatial.distance.jensenshannon`` of the flattened
joint tables, high-precision ``mpmath`` quadrature of the criterion of labelled 1-D laws, and
plain NumPy or mpmath posteriors. Tolerances are the error bounds the compared computations
report plus stated rounding allowances.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import sympy as sp
from scipy import optimize, special, stats
from scipy.spatial.distance import jensenshannon

from gantheory import strategies as gs
from gantheory._numerics import ulps
from gantheory.checks._util import Worst
from gantheory.checks.property import run_properties
from gantheory.claims import CheckResult, check
from gantheory.conditional import (
    ClassConditional,
    conditional_optimal_discriminator,
    conditional_optimal_value,
    conditional_value,
    joint_jsd,
    jsd_decomposition,
    per_class_value,
    projection_terms,
)
from gantheory.distributions import Mixture

_EPS = float(np.finfo(np.float64).eps)
_EXACT = "exact identities: each difference must simplify to 0 (residual = failures)"
_LOG4 = math.log(4.0)


# --- cases ------------------------------------------------------------------------------------
def _tables(seed: int, k: int, n: int, shared: bool) -> tuple[np.ndarray, np.ndarray]:
    """Two random joint tables (Dirichlet label laws and rows), shared label law or not."""
    rng = np.random.default_rng(seed)
    pi = rng.dirichlet(np.ones(k))
    rho = pi if shared else rng.dirichlet(np.ones(k))
    p = pi[:, None] * rng.dirichlet(np.ones(n), size=k)
    q = rho[:, None] * rng.dirichlet(np.ones(n), size=k)
    return p / p.sum(), q / q.sum()


#: Random joint tables: (K classes, N points, shared label law), seeds 1-10.
TABLES = {
    f"seed-{s}-{k}x{n}-{'shared' if sh else 'own'}": _tables(s, k, n, sh)
    for s, (k, n, sh) in enumerate(
        [(2, 2, True), (2, 2, False), (3, 4, True), (3, 4, False), (4, 6, True),
         (4, 6, False), (2, 8, True), (5, 3, False), (3, 1, False), (3, 1, True)], start=1)
}


def _law(probs: list[float], shift: float = 0.0) -> ClassConditional:
    """Three classes: a normal, a gamma and a normal mixture (``shift`` moves them)."""
    return ClassConditional(
        [stats.norm(shift, 1.0 + shift), stats.gamma(2.0 + shift),
         Mixture([stats.norm(-3, 1), stats.norm(3 + shift, 1)], [0.5, 0.5])],
        probs,
    )


#: Labelled 1-D laws: data and generator with equal and with different label laws.
LAWS = {
    "shared-labels": (_law([0.2, 0.3, 0.5]), _law([0.2, 0.3, 0.5], 0.5)),
    "different-labels": (_law([0.2, 0.3, 0.5]), _law([0.5, 0.3, 0.2], 0.5)),
    "equal-conditionals-own-labels": (_law([0.2, 0.3, 0.5]), _law([0.6, 0.1, 0.3])),
}


# --- symbolic -----------------------------------------------------------------------------------
def _symbolic_tables(shared: bool) -> tuple[sp.Matrix, sp.Matrix, tuple, tuple]:
    """2 labels x 2 points: P[y, x] = pi_y a_{y,x}, Q[y, x] = rho_y b_{y,x}."""
    pi0, rho0 = sp.symbols("pi0 rho0", positive=True)
    a = sp.symbols("a0 a1", positive=True)
    b = sp.symbols("b0 b1", positive=True)
    pi = (pi0, 1 - pi0)
    rho = pi if shared else (rho0, 1 - rho0)
    P = sp.Matrix([[pi[0] * a[0], pi[0] * (1 - a[0])], [pi[1] * a[1], pi[1] * (1 - a[1])]])
    Q = sp.Matrix([[rho[0] * b[0], rho[0] * (1 - b[0])], [rho[1] * b[1], rho[1] * (1 - b[1])]])
    return P, Q, pi, rho


def _zero(expr: sp.Expr) -> bool:
    """Whether ``expr`` is 0: every log's argument put over one factored fraction, the logs
    expanded (all symbols are positive, so log(ab) = log a + log b holds), then expanded."""
    e = expr.replace(sp.log, lambda a: sp.log(sp.factor(sp.together(a))))
    e = sp.expand(sp.expand_log(e, force=True))
    return bool(e == 0 or sp.simplify(e) == 0)


def _jsd_sym(p: list, q: list) -> sp.Expr:
    return sum(sp.Rational(1, 2) * (pi * sp.log(2 * pi / (pi + qi))
                                    + qi * sp.log(2 * qi / (pi + qi))) for pi, qi in zip(p, q))


@check("CGAN14-DSTAR", "symbolic", name="cgan14_dstar_derived")
def cgan14_dstar_derived() -> CheckResult:
    r"""SymPy derives D*(x, y) on 2 x 2 joint tables of symbols: it solves the pointwise
    stationarity d/dD [P log D + Q log(1 - D)] = 0, checks the second derivative is negative,
    and, with a shared label law, that the solution is the ratio of the class conditionals."""
    fails, n = 0, 0
    d, p, q = sp.symbols("D p q", positive=True)
    f = p * sp.log(d) + q * sp.log(1 - d)  # the integrand of V at one cell (x, y)
    sol = sp.solve(sp.diff(f, d), d)
    n += 1
    if len(sol) != 1 or not _zero(sol[0] - p / (p + q)):
        return CheckResult(residual=1.0, tolerance=0.0, cases=n, detail=f"solutions {sol}",
                           tolerance_reason=_EXACT)
    n += 1  # concave there: f'' = -(p + q)^3 / (p q) < 0
    fails += int(not _zero(sp.diff(f, d, 2).subs(d, sol[0]) + (p + q) ** 3 / (p * q)))
    for shared in (True, False):
        P, Q, pi, _ = _symbolic_tables(shared)
        for y in range(2):
            for x in range(2):
                dstar = sol[0].subs({p: P[y, x], q: Q[y, x]}, simultaneous=True)
                n += 1
                fails += int(not _zero(dstar - P[y, x] / (P[y, x] + Q[y, x])))
                if shared:
                    cond_p, cond_q = P[y, x] / pi[y], Q[y, x] / pi[y]
                    n += 1
                    fails += int(not _zero(sp.together(dstar - cond_p / (cond_p + cond_q))))
    return CheckResult(residual=float(fails), tolerance=0.0, cases=n,
                       detail="D* = P/(P+Q) per cell; = p(x|y)/(p(x|y)+q(x|y)) with shared labels",
                       tolerance_reason=_EXACT)


@check("CGAN14-CG", "symbolic", name="cgan14_criterion_identities", slow=True)
def cgan14_criterion_identities() -> CheckResult:
    r"""SymPy proves, on 2 x 2 joint tables of symbols, C(G) = V(G, D*) = -log 4 + 2 JSD of the
    joints; with a shared label law C(G) - (-log 4 + 2 sum_y p(y) JSD_y) simplifies to 0; with
    label laws pi != rho C(G) equals -log 4 + 2 (JSD(pi || rho) + sum_y mu_y JS_{alpha_y})."""
    fails, n = 0, 0
    for shared in (True, False):
        P, Q, pi, rho = _symbolic_tables(shared)
        cells = [(P[i], Q[i]) for i in range(4)]
        cg = sum(p * sp.log(p / (p + q)) + q * sp.log(q / (p + q)) for p, q in cells)
        joint = _jsd_sym([c[0] for c in cells], [c[1] for c in cells])
        n += 1
        fails += int(not _zero(cg - (-sp.log(4) + 2 * joint)))
        per_class = 0
        decomposition = _jsd_sym(list(pi), list(rho))
        for y in range(2):
            py = [P[y, 0] / pi[y], P[y, 1] / pi[y]]
            qy = [Q[y, 0] / rho[y], Q[y, 1] / rho[y]]
            per_class += pi[y] * _jsd_sym(py, qy)
            al, mu = pi[y] / (pi[y] + rho[y]), (pi[y] + rho[y]) / 2
            m = [al * u + (1 - al) * v for u, v in zip(py, qy)]
            js_al = sum(al * u * sp.log(u / w) + (1 - al) * v * sp.log(v / w)
                        for u, v, w in zip(py, qy, m))
            decomposition += mu * js_al
        n += 1
        fails += int(not _zero(cg - (-sp.log(4) + 2 * decomposition)))
        if shared:
            n += 1
            fails += int(not _zero(cg - (-sp.log(4) + 2 * per_class)))
    return CheckResult(residual=float(fails), tolerance=0.0, cases=n,
                       detail="joint-JSD form, chain-rule split, shared-label per-class form",
                       tolerance_reason=_EXACT)


@check("CGAN14-PROJ", "symbolic", name="cgan14_logit_split_exact")
def cgan14_logit_split_exact() -> CheckResult:
    r"""SymPy: log(P/Q) - [log(p_data(y|x)/p_g(y|x)) + log(p_data(x)/p_g(x))] simplifies to 0
    in every cell of 2 x 2 joint tables of symbols (shared and different label laws)."""
    fails, n = 0, 0
    for shared in (True, False):
        P, Q, _, _ = _symbolic_tables(shared)
        for y in range(2):
            for x in range(2):
                pm, qm = P[0, x] + P[1, x], Q[0, x] + Q[1, x]
                split = sp.log((P[y, x] / pm) / (Q[y, x] / qm)) + sp.log(pm / qm)
                n += 1
                fails += int(not _zero(sp.log(P[y, x] / Q[y, x]) - split))
    return CheckResult(residual=float(fails), tolerance=0.0, cases=n,
                       detail="logit D* = label-posterior term + marginal term, every cell",
                       tolerance_reason=_EXACT)


# --- discrete -----------------------------------------------------------------------------------
#: A maximiser of a smooth function is located only to about sqrt(eps) relative (the function is
#: flat to second order there): the brute-force D of each cell is held to 1e3 sqrt(eps) ~ 1.5e-5
#: absolute on D in [0, 1] (Brent's xatol 1e-12 plus that flatness at the cell sizes used, down
#: to 1e-3).
_ARGMAX_TOL = 1e3 * math.sqrt(_EPS)


@check("CGAN14-DSTAR", "discrete", name="cgan14_dstar_brute_force")
def cgan14_dstar_brute_force() -> CheckResult:
    """On random joint tables (seeds 1-10) D*(x, y) matches, cell by cell, the maximiser of
    P log D + Q log(1 - D) found by bounded Brent search; V(G, D*) is at least V at that
    maximiser; with shared labels D* equals the conditional ratio within rounding."""
    w = Worst()
    cases = 0
    for label, (P, Q) in TABLES.items():
        d = conditional_optimal_discriminator(P, Q)
        brute = np.empty_like(P)
        for idx in np.ndindex(P.shape):
            p, q = P[idx], Q[idx]
            r = optimize.minimize_scalar(
                lambda t, p=p, q=q: -(p * math.log(t) + q * math.log1p(-t)),
                bounds=(1e-15, 1 - 1e-15), method="bounded", options={"xatol": 1e-12},
            )
            brute[idx] = r.x
        w.add(float(np.max(np.abs(np.asarray(d) - brute))), _ARGMAX_TOL, f"{label}: argmax")
        v_star = conditional_value(P, Q, d, full_output=True)
        v_brute = conditional_value(P, Q, brute, full_output=True)
        # optimality: V(D*) >= V(brute) up to both rounding bounds and 8 eps
        gap = v_brute.value - v_star.value
        w.add(gap, v_star.abserr + v_brute.abserr + ulps(v_star.value), f"{label}: V gap")
        if "shared" in label:
            pi = P.sum(axis=1, keepdims=True)
            cp, cq = P / pi, Q / pi  # the class conditionals
            ratio = cp / (cp + cq)
            # a ratio of rounded quotients: a few eps relative
            w.add(float(np.max(np.abs(np.asarray(d) - ratio))), 8 * _EPS, f"{label}: ratio")
        cases += 1
    return w.result(cases, "D* against a per-cell Brent maximiser and the conditional ratio",
                    "argmax: 1e3 sqrt(eps) (a maximiser is flat to second order); value and"
                    " ratio: the rounding bounds of the compared sums, 8 eps")


@check("CGAN14-CG", "discrete", name="cgan14_criterion_tables")
def cgan14_criterion_tables() -> CheckResult:
    """On random joint tables (seeds 1-10) C(G) = -log 4 + 2 JSD of the joints, JSD from
    scipy.spatial.distance.jensenshannon squared (natural log) of the flattened tables; with
    shared labels the per-class form equals C(G); otherwise the chain-rule split equals the
    joint JSD, and the per-class form is off by the label term."""
    w = Worst()
    cases = 0
    detail_gap = []
    for label, (P, Q) in TABLES.items():
        c = conditional_optimal_value(P, Q, full_output=True)
        js = float(jensenshannon(P.ravel(), Q.ravel()) ** 2)
        ref = -_LOG4 + 2 * js
        # SciPy's sum of n terms rounds by ~n eps; squaring its square root doubles that
        n = P.size
        w.add(abs(c.value - ref), c.abserr + 4 * n * _EPS + ulps(ref), f"{label}: vs scipy")
        dec = jsd_decomposition(P, Q)
        w.add(abs(dec.total - js), dec.abserr + 4 * n * _EPS + ulps(js), f"{label}: split")
        pc = per_class_value(P, Q, full_output=True)
        if "shared" in label:
            w.add(abs(pc.value - c.value), pc.abserr + c.abserr + ulps(c.value),
                  f"{label}: per-class")
        else:
            detail_gap.append(abs(pc.value - c.value))
        cases += 1
    return w.result(
        cases,
        "C(G) vs scipy's JSD of the joints, the chain-rule split, the shared-label per-class"
        f" form (without shared labels it is off by up to {max(detail_gap):.3g})",
        "rounding bounds of the compared sums, 4 n eps for SciPy's sum, 8 eps max(1, |C|)",
    )


@check("CGAN14-PROJ", "discrete", name="cgan14_logit_split_tables")
def cgan14_logit_split_tables() -> CheckResult:
    """On random joint tables (seeds 1-10) the label term equals log p_data(y|x)/p_g(y|x) from
    NumPy posteriors (P / P.sum(axis=0)), the marginal term log p_data(x)/p_g(x), and their sum
    the logit of D*(x, y)."""
    w = Worst()
    for label, (P, Q) in TABLES.items():
        t = projection_terms(P, Q)
        pm, qm = P.sum(axis=0), Q.sum(axis=0)
        ref_label = np.log((P / pm) / (Q / qm))
        ref_marg = np.log(pm / qm)
        logit = np.asarray(conditional_optimal_discriminator(P, Q).logit)
        scale = np.max(np.abs(np.log(P))) + np.max(np.abs(np.log(Q)))
        # logs of quotients of rounded sums: each log is off by a few eps |log|
        tol = 16 * _EPS * max(1.0, float(scale))
        w.add(float(np.max(np.abs(t.label - ref_label))), tol, f"{label}: label term")
        w.add(float(np.max(np.abs(t.marginal - ref_marg))), tol, f"{label}: marginal term")
        w.add(float(np.max(np.abs(t.label + t.marginal - logit))), tol, f"{label}: sum")
    return w.result(len(TABLES), "label and marginal terms against NumPy posteriors",
                    "16 eps times the largest |log mass| of the two tables")


# --- continuous ---------------------------------------------------------------------------------
_DPS = 30  # mpmath's working precision for the references (digits)


def _mp_logpdf(c: object, x: mp.mpf) -> mp.mpf:
    """The log-density of a normal, gamma or normal mixture in mpmath, from its parameters."""
    if isinstance(c, Mixture):
        return mp.log(mp.fsum(w * mp.exp(_mp_logpdf(k, x)) for w, k in
                              zip(c.weights.tolist(), c.components)))
    name = c.dist.name  # type: ignore[attr-defined]
    loc, scale = c.kwds.get("loc", 0.0), c.kwds.get("scale", 1.0)  # type: ignore[attr-defined]
    args = c.args  # type: ignore[attr-defined]
    if name == "norm":
        loc = args[0] if len(args) > 0 else loc
        scale = args[1] if len(args) > 1 else scale
        z = (x - loc) / scale
        return -z * z / 2 - mp.log(scale) - mp.log(2 * mp.pi) / 2
    if name == "gamma":
        a = mp.mpf(args[0])
        if x <= 0:
            return mp.ninf
        return (a - 1) * mp.log(x) - x - mp.loggamma(a)
    raise ValueError(f"no mpmath density for {name}")


def _mp_criterion(p: ClassConditional, q: ClassConditional) -> tuple[float, float]:
    """C(G) by mpmath quadrature (30 digits): the sum over classes of the integral of
    P log(P/(P+Q)) + Q log(Q/(P+Q)), split at -12, -6, -3, 0, 3, 6, 12 and the gamma's 0."""
    with mp.workdps(_DPS):
        return _mp_criterion_at(p, q)


def _mp_criterion_at(p: ClassConditional, q: ClassConditional) -> tuple[float, float]:
    total, err = mp.mpf(0), mp.mpf(0)
    for k in range(p.n_classes):
        a, b = mp.mpf(float(p.probs[k])), mp.mpf(float(q.probs[k]))
        cp, cq = p.conditionals[k], q.conditionals[k]

        def f(x: mp.mpf, a=a, b=b, cp=cp, cq=cq) -> mp.mpf:
            lp, lq = _mp_logpdf(cp, x), _mp_logpdf(cq, x)
            pp = a * mp.exp(lp) if lp != mp.ninf else mp.mpf(0)
            qq = b * mp.exp(lq) if lq != mp.ninf else mp.mpf(0)
            s = pp + qq
            if s == 0:
                return mp.mpf(0)
            out = mp.mpf(0)
            if pp > 0:
                out += pp * mp.log(pp / s)
            if qq > 0:
                out += qq * mp.log(qq / s)
            return out

        pts = [mp.ninf, -40, -12, -6, -3, 0, 3, 6, 12, 40, mp.inf]
        v, e = mp.quad(f, pts, error=True)
        total += v
        err += e
    return float(total), float(err)


@check("CGAN14-CG", "continuous", name="cgan14_criterion_laws", slow=True)
def cgan14_criterion_laws() -> CheckResult:
    """Labelled 1-D laws (3 classes: normal, gamma, normal mixture; shared and different label
    laws): C(G) by gantheory's quadrature against a 30-digit mpmath quadrature, within the
    reported abserr; -log 4 + 2 JSD of the joints and, with shared labels, the per-class form
    agree with C(G) within their error bounds; the chain-rule split equals the joint JSD."""
    w = Worst()
    for label, (p, q) in LAWS.items():
        c = conditional_optimal_value(p, q, full_output=True)
        ref, ref_err = _mp_criterion(p, q)
        w.add(abs(c.value - ref), c.abserr + ref_err + ulps(ref), f"{label}: vs mpmath")
        js = joint_jsd(p, q, full_output=True)
        w.add(abs(c.value - (-_LOG4 + 2 * js.value)), c.abserr + 2 * js.abserr + ulps(c.value),
              f"{label}: joint JSD")
        dec = jsd_decomposition(p, q)
        w.add(abs(dec.total - js.value), dec.abserr + js.abserr + ulps(js.value),
              f"{label}: split")
        if label.startswith("shared"):
            pc = per_class_value(p, q, full_output=True)
            w.add(abs(pc.value - c.value), pc.abserr + c.abserr + ulps(c.value),
                  f"{label}: per-class")
    return w.result(len(LAWS), "C(G) of labelled laws against mpmath and the JSD forms",
                    "the quadrature's reported abserr plus mpmath's error estimate, 8 eps")


def _mp_dstar_logit(p: ClassConditional, q: ClassConditional, x: float, y: int) -> mp.mpf:
    return (mp.log(mp.mpf(float(p.probs[y]))) + _mp_logpdf(p.conditionals[y], mp.mpf(x))
            - mp.log(mp.mpf(float(q.probs[y]))) - _mp_logpdf(q.conditionals[y], mp.mpf(x)))


class _Shifted:
    """D* with its logit shifted by ``s`` in class 0: a discriminator no better than D*."""

    def __init__(self, d: object, s: float) -> None:
        self.d, self.s = d, s

    def logit(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return self.d.logit(x, y) + np.where(np.asarray(y) == 0, self.s, 0.0)  # type: ignore[attr-defined]

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return special.expit(self.logit(x, y))


_GRID = np.linspace(0.25, 9.75, 20)  # inside every support (the gamma's is x > 0)


@check("CGAN14-DSTAR", "continuous", name="cgan14_dstar_laws", slow=True)
def cgan14_dstar_laws() -> CheckResult:
    """Labelled 1-D laws: D*(x, y) and its logit on a grid against mpmath's joint-density
    ratio; with shared labels D* equals the ratio of the scipy.stats conditional densities;
    V(G, D*) exceeds V(G, D) for D* with its logit shifted by -0.1 and +1 in one class (the
    law with different label laws)."""
    w = Worst()
    for label, (p, q) in LAWS.items():
        d = conditional_optimal_discriminator(p, q)
        for y in range(p.n_classes):
            lg = d.logit(_GRID, y)
            with mp.workdps(_DPS):
                ref = np.array([float(_mp_dstar_logit(p, q, float(x), y)) for x in _GRID])
            scale = float(np.max(np.abs(p.logpdf(_GRID, y))) + np.max(np.abs(q.logpdf(_GRID, y))))
            # each scipy.stats log-density is good to a few eps of its magnitude
            w.add(float(np.max(np.abs(lg - ref))), 16 * _EPS * max(1.0, scale),
                  f"{label}: logit, class {y}")
            if label.startswith("shared"):
                a = p.conditionals[y].pdf(_GRID)
                b = q.conditionals[y].pdf(_GRID)
                w.add(float(np.max(np.abs(d(_GRID, y) - a / (a + b)))), 8 * _EPS,
                      f"{label}: ratio, class {y}")
        v_star = conditional_value(p, q, d, full_output=True)
        if label != "different-labels":
            continue  # one law suffices for optimality (each V costs ~0.4 s of quadrature)
        for shift in (-0.1, 1.0):
            v = conditional_value(p, q, _Shifted(d, shift), full_output=True)
            w.add(v.value - v_star.value, v.abserr + v_star.abserr, f"{label}: shift {shift}")
    return w.result(len(LAWS), "D*(x, y) of labelled laws against mpmath; V(D*) >= V(D)",
                    "16 eps times the log-densities' size; optimality within both abserr")


def _mp_projection(p: ClassConditional, q: ClassConditional, y: int
                   ) -> tuple[list[float], list[float]]:
    """The label and marginal terms on the grid, from mpmath joint densities (30 digits)."""
    ref_l, ref_m = [], []
    with mp.workdps(_DPS):
        for x in _GRID.tolist():
            xp = mp.mpf(x)
            jp = [mp.mpf(float(p.probs[k])) * mp.exp(_mp_logpdf(p.conditionals[k], xp))
                      for k in range(p.n_classes)]
            jq = [mp.mpf(float(q.probs[k])) * mp.exp(_mp_logpdf(q.conditionals[k], xp))
                      for k in range(q.n_classes)]
            mp_, mq = mp.fsum(jp), mp.fsum(jq)
            ref_l.append(float(mp.log((jp[y] / mp_) / (jq[y] / mq))))
            ref_m.append(float(mp.log(mp_ / mq)))
    return ref_l, ref_m


@check("CGAN14-PROJ", "continuous", name="cgan14_logit_split_laws")
def cgan14_logit_split_laws() -> CheckResult:
    """Labelled 1-D laws: the label term against mpmath posteriors p(y|x) = p(x, y)/sum_y'
    p(x, y'), the marginal term against mpmath marginals, and their sum the logit of D*."""
    w = Worst()
    for label, (p, q) in LAWS.items():
        for y in range(p.n_classes):
            t = projection_terms(p, q, _GRID, y)
            ref_l, ref_m = _mp_projection(p, q, y)
            scale = float(np.max(np.abs(p.logpdf(_GRID, y))) + np.max(np.abs(q.logpdf(_GRID, y))))
            tol = 32 * _EPS * max(1.0, scale)  # sums of K exp-log terms and 4 logs
            w.add(float(np.max(np.abs(t.label - np.array(ref_l)))), tol, f"{label}: label {y}")
            w.add(float(np.max(np.abs(t.marginal - np.array(ref_m)))), tol,
                  f"{label}: marginal {y}")
            lg = conditional_optimal_discriminator(p, q).logit(_GRID, y)
            w.add(float(np.max(np.abs(t.logit - lg))), tol, f"{label}: sum {y}")
    return w.result(len(LAWS), "projection terms of labelled laws against mpmath",
                    "32 eps times the log-densities' size")


# --- property -----------------------------------------------------------------------------------
def _prop_dstar(P: np.ndarray, Q: np.ndarray) -> tuple[float, float]:
    """V(G, D*) >= V(G, D) for D = (D* + 1/2)/2 (a different D wherever D* != 1/2)."""
    d = conditional_optimal_discriminator(P, Q)
    other = 0.5 * (np.asarray(d) + 0.5)
    vs = conditional_value(P, Q, d, full_output=True)  # through d.logit, exact from logs
    vo = conditional_value(P, Q, other, full_output=True)
    # the array D* itself must be the sigmoid of that logit: 2 eps for the division and the
    # expit, plus the logit's own rounding eps (|log P| + |log Q|) times dD/dl = D (1 - D)
    dv = np.asarray(d)
    with np.errstate(divide="ignore"):
        size = np.where(P > 0, np.abs(np.log(P)), 0.0) + np.where(Q > 0, np.abs(np.log(Q)), 0.0)
    bound = _EPS * (2.0 + dv * (1.0 - dv) * size)
    excess = np.abs(dv - special.expit(np.asarray(d.logit))) - bound
    if excess.max() > 0:
        i = np.unravel_index(int(np.argmax(excess)), excess.shape)
        return float(abs(dv[i] - special.expit(d.logit[i]))), float(bound[i])
    return vo.value - vs.value, vs.abserr + vo.abserr + ulps(vs.value)


def _prop_cg_joint(P: np.ndarray, Q: np.ndarray) -> tuple[float, float]:
    c = conditional_optimal_value(P, Q, full_output=True)
    js = joint_jsd(P, Q, full_output=True)
    return abs(c.value - (-_LOG4 + 2 * js.value)), c.abserr + 2 * js.abserr + ulps(c.value)


def _prop_cg_split(P: np.ndarray, Q: np.ndarray) -> tuple[float, float]:
    js = joint_jsd(P, Q, full_output=True)
    dec = jsd_decomposition(P, Q)
    return abs(dec.total - js.value), dec.abserr + js.abserr + ulps(js.value)


def _prop_proj(P: np.ndarray, Q: np.ndarray) -> tuple[float, float]:
    t = projection_terms(P, Q)
    lg = np.asarray(conditional_optimal_discriminator(P, Q).logit)
    fin = np.isfinite(lg)
    if not fin.any():
        return 0.0, 0.0
    with np.errstate(divide="ignore"):
        scale = np.max(np.abs(np.log(P[P > 0]))) + np.max(np.abs(np.log(Q[Q > 0])))
    diff = np.abs(t.logit[fin] - lg[fin])
    inf_ok = bool(np.all(t.logit[~fin] == lg[~fin]))  # the infinite logits exactly
    return (float(np.max(diff)) if inf_ok else math.inf), 16 * _EPS * max(1.0, float(scale))


_EXAMPLES = 100  # about 1 s per property check


@check("CGAN14-DSTAR", "property", name="cgan14_dstar_property")
def cgan14_dstar_property() -> CheckResult:
    """Hypothesis over pairs of joint tables (shared and independent label laws, zeros and
    masses down to 1e-300): V(G, D*) >= V(G, D) for a D between D* and 1/2, and the array D*
    is the sigmoid of its logit."""
    worst, n = run_properties({"dstar": _prop_dstar}, gs.joint_table_pairs(),
                              examples=_EXAMPLES)
    return worst["dstar"].result(n, "V(D*) >= V(D) over joint tables",
                                 "rounding bounds of both sums, 8 eps max(1, |V|)")


@check("CGAN14-CG", "property", name="cgan14_criterion_property")
def cgan14_criterion_property() -> CheckResult:
    """Hypothesis over pairs of joint tables: C(G) = -log 4 + 2 JSD of the joints, and the
    chain-rule split (label term + mu-weighted JS_alpha of the classes) equals the joint JSD."""
    worst, n = run_properties({"joint": _prop_cg_joint, "split": _prop_cg_split},
                              gs.joint_table_pairs(), examples=_EXAMPLES)
    w = Worst()
    for name, v in worst.items():
        w.add(v.residual, v.tolerance, f"{name}: {v.label}")
    return w.result(n, "C(G) = -log 4 + 2 JSD(joint); chain-rule split of the joint JSD",
                    "rounding bounds of the compared sums, 8 eps max(1, |value|)")


@check("CGAN14-CG", "property", name="cgan14_shared_labels_property")
def cgan14_shared_labels_property() -> CheckResult:
    """Hypothesis over pairs of joint tables with a shared label law: C(G) equals
    -log 4 + 2 sum_y p(y) JSD(p_data(.|y) || p_g(.|y))."""
    def prop(P: np.ndarray, Q: np.ndarray) -> tuple[float, float]:
        c = conditional_optimal_value(P, Q, full_output=True)
        pc = per_class_value(P, Q, full_output=True)
        return abs(c.value - pc.value), c.abserr + pc.abserr + ulps(c.value)

    worst, n = run_properties({"shared": prop}, gs.joint_table_pairs(shared_labels=True),
                              examples=_EXAMPLES)
    return worst["shared"].result(n, "per-class form = C(G) with shared labels",
                                  "rounding bounds of the compared sums, 8 eps max(1, |C|)")


@check("CGAN14-PROJ", "property", name="cgan14_logit_split_property")
def cgan14_logit_split_property() -> CheckResult:
    """Hypothesis over pairs of joint tables: label term + marginal term = logit D* in every
    cell (the infinite logits exactly)."""
    worst, n = run_properties({"proj": _prop_proj}, gs.joint_table_pairs(), examples=_EXAMPLES)
    return worst["proj"].result(n, "label + marginal = logit D* over joint tables",
                                "16 eps times the largest |log mass| of the two tables")
