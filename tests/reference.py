"""Independent high-precision references: densities written out in mpmath, integrated with
mpmath's tanh-sinh quadrature at 30 digits over hand-placed breakpoints.

Nothing here calls gantheory or scipy.stats, so a test comparing against these values checks the
library against a different code path, a different integrator and a different precision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath as mp

mp.mp.dps = 30

Density = Callable[[mp.mpf], mp.mpf]


def normal(m: float, s: float) -> Density:
    m, s = mp.mpf(m), mp.mpf(s)
    return lambda x: mp.exp(-((x - m) / s) ** 2 / 2) / (s * mp.sqrt(2 * mp.pi))


def cauchy(loc: float, s: float) -> Density:
    loc, s = mp.mpf(loc), mp.mpf(s)
    return lambda x: 1 / (mp.pi * s * (1 + ((x - loc) / s) ** 2))


def laplace(m: float, b: float) -> Density:
    m, b = mp.mpf(m), mp.mpf(b)
    return lambda x: mp.exp(-abs(x - m) / b) / (2 * b)


def student_t(nu: float) -> Density:
    nu = mp.mpf(nu)
    c = mp.gamma((nu + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / 2))
    return lambda x: c * (1 + x**2 / nu) ** (-(nu + 1) / 2)


def uniform(a: float, w: float) -> Density:
    a, w = mp.mpf(a), mp.mpf(w)
    return lambda x: 1 / w if a <= x <= a + w else mp.mpf(0)


def arcsine() -> Density:
    return lambda x: 1 / (mp.pi * mp.sqrt(x * (1 - x))) if 0 < x < 1 else mp.mpf(0)


def chi2_1() -> Density:
    """The chi-squared density with one degree of freedom, the law of z² for z ~ N(0, 1)."""
    return lambda x: mp.exp(-x / 2) / mp.sqrt(2 * mp.pi * x) if x > 0 else mp.mpf(0)


def cubic_pushforward() -> Density:
    """The law of x = z³ - 3z for z ~ N(0, 1), by the change of variables over the real roots.

    With z = 2 cos φ, z³ - 3z = 2 cos 3φ: for |x| < 2 the three roots are
    2 cos((arccos(x/2) + 2πk)/3), k = 0, 1, 2; for |x| > 2 the one root is
    sign(x) 2 cosh(arccosh(|x|/2)/3). Folds at z = ±1, with images ∓2.
    """

    def density(x: mp.mpf) -> mp.mpf:
        if abs(x) < 2:
            phi = mp.acos(x / 2)
            roots = [2 * mp.cos((phi + 2 * mp.pi * k) / 3) for k in range(3)]
        elif abs(x) > 2:
            roots = [mp.sign(x) * 2 * mp.cosh(mp.acosh(abs(x) / 2) / 3)]
        else:
            return mp.inf
        phi_z = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)  # noqa: E731
        return mp.fsum(phi_z(z) / abs(3 * z * z - 3) for z in roots)

    return density


def arcsine_pm1() -> Density:
    """The arcsine density on [-1, 1], the law of sin(πz) for z ~ U(-1, 1)."""
    return lambda x: 1 / (mp.pi * mp.sqrt((1 - x) * (1 + x))) if -1 < x < 1 else mp.mpf(0)


def mixture(weights: Sequence[float], comps: Sequence[Density]) -> Density:
    ws = [mp.mpf(w) for w in weights]
    return lambda x: mp.fsum(w * c(x) for w, c in zip(ws, comps))


def _plogr(a: mp.mpf, r: mp.mpf) -> mp.mpf:
    return a * mp.log(a / r) if a > 0 else mp.mpf(0)


FUNCTIONALS: dict[str, Callable[[mp.mpf, mp.mpf], mp.mpf]] = {
    "kl": lambda a, b: _plogr(a, b),
    "jsd": lambda a, b: (_plogr(a, (a + b) / 2) + _plogr(b, (a + b) / 2)) / 2,
    "optimal_value": lambda a, b: _plogr(a, a + b) + _plogr(b, a + b),
    "entropy": lambda a, b: -_plogr(a, 1),
    "tv": lambda a, b: abs(a - b) / 2,
    "cross_entropy": lambda a, b: -a * mp.log(b) if a > 0 else mp.mpf(0),
}


def crossings(p: Density, q: Density, lo: float, hi: float, n: int = 4000) -> list[mp.mpf]:
    """The points in (lo, hi) where p - q changes sign, from a scan of n cells refined by
    bisection to the working precision (120 halvings of a cell)."""
    xs = [mp.mpf(lo) + (mp.mpf(hi) - lo) * k / n for k in range(n + 1)]
    d = [p(x) - q(x) for x in xs]
    out = []
    for a, b, da, db in zip(xs, xs[1:], d, d[1:]):
        if mp.isfinite(da) and mp.isfinite(db) and da * db < 0:
            for _ in range(120):
                m = (a + b) / 2
                dm = p(m) - q(m)
                a, b, da = (m, b, dm) if dm * da > 0 else (a, m, da)
            out.append((a + b) / 2)
    return out


def integrate(
    functional: str, p: Density, q: Density, points: Sequence[float]
) -> tuple[mp.mpf, mp.mpf]:
    """``(value, error)`` of the integral of the functional of (p, q) over the points.

    For ``"tv"`` the points where the densities cross are added (found between the finite
    points): tanh-sinh, like any rule for smooth integrands, converges slowly across the kink of
    |p - q| and its error estimate then misses by orders of magnitude.
    """
    f = FUNCTIONALS[functional]
    pts = [mp.mpf(x) for x in points]
    if functional == "tv":
        finite = [x for x in pts if mp.isfinite(x)]
        pts = sorted(set(pts) | set(crossings(p, q, finite[0], finite[-1])))
    return mp.quad(lambda x: f(p(x), q(x)), pts, error=True, maxdegree=10)


def integrate_unit_interval(
    functional: str,
    p: Callable[[mp.mpf, mp.mpf], mp.mpf],
    q: Callable[[mp.mpf, mp.mpf], mp.mpf],
    power: int = 10,
) -> tuple[mp.mpf, mp.mpf]:
    """Integral over (0, 1) for densities given as functions of ``(x, 1 - x)`` with integrable
    singularities at both ends: the substitutions x = u^k and 1 - x = v^k (k = ``power``) turn
    x^(a-1) dx into a smooth k u^(k a - 1) du, so tanh-sinh converges to full precision."""
    f = FUNCTIONALS[functional]
    half = mp.mpf("0.5") ** (mp.mpf(1) / power)

    def lower(u: mp.mpf) -> mp.mpf:
        x = u**power
        return f(p(x, 1 - x), q(x, 1 - x)) * power * u ** (power - 1)

    def upper(v: mp.mpf) -> mp.mpf:
        y = v**power
        return f(p(1 - y, y), q(1 - y, y)) * power * v ** (power - 1)

    lo, e1 = mp.quad(lower, [0, half], error=True)
    hi, e2 = mp.quad(upper, [0, half], error=True)
    return lo + hi, e1 + e2


def beta_xy(a: float, b: float) -> Callable[[mp.mpf, mp.mpf], mp.mpf]:
    """Beta(a, b) density as a function of ``(x, 1 - x)``."""
    a, b = mp.mpf(a), mp.mpf(b)
    c = 1 / mp.beta(a, b)
    return lambda x, y: c * x ** (a - 1) * y ** (b - 1)
