r"""Property checks: the claims tried on many random distributions drawn by Hypothesis.

The properties themselves are the ``prop_*`` functions of :mod:`gantheory.properties`. The
registered checks here run them over a fixed number of examples of the public strategies in
:mod:`gantheory.strategies` (derandomized, no example database: ``gantheory verify`` is
deterministic) and report the worst residual against its tolerance; the negative claims are
searched for counterexamples with :func:`hypothesis.find`.

How each property's tolerance is built (rounding bounds, quadrature error estimates, and the
quantitative forms of the "equality iff" statements) is explained in :mod:`gantheory.properties`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from gantheory import strategies as gs
from gantheory.checks._util import Worst
from gantheory.claims import CheckResult, check
from gantheory.distributions import is_continuous
from gantheory.divergences import jsd, kl
from gantheory.properties import (
    Residual,
    jsd_triangle_excess,
    kl_asymmetry,
    prop_criterion_identity,
    prop_dstar_in_unit_interval,
    prop_gibbs,
    prop_global_minimum,
    prop_jsd_bounds,
    prop_jsd_symmetric,
    prop_minibatch_unbiased,
    prop_sqrt_jsd_triangle,
    prop_value_at_most_criterion,
)

_TOL = "rounding bounds n eps sum|terms| of the compared sums (or quadrature error estimates)"
_TOL += ", plus 8 eps max(1, |value|)"
_QUAD = "sum of the quadrature error estimates of the compared integrals"
_QUAD += ", plus 8 eps max(1, |value|)"


# --- running properties as registered checks ---------------------------------------------------
def _fmt(x: object) -> str:
    if isinstance(x, np.ndarray):  # on one line: a row of the report, not a block
        text = np.array2string(x, precision=4, separator=", ", threshold=6, max_line_width=10**6)
        return text.replace("\n", "")
    if isinstance(x, tuple):
        return "(" + ", ".join(_fmt(v) for v in x) + ")"
    if is_continuous(x) and hasattr(x, "dist"):  # scipy.stats frozen
        args = ", ".join(f"{v:.4g}" for v in x.args)  # type: ignore[attr-defined]
        return f"{x.dist.name}({args})"  # type: ignore[attr-defined]
    return repr(x)


class _WorstRatio(Worst):
    """:class:`Worst` by ``residual / tolerance``: for statistical bounds, which differ from case
    to case by orders of magnitude, the case closest to its own bound is the informative one."""

    @staticmethod
    def _ratio(res: float, tol: float) -> float:
        if res == -math.inf:
            return -math.inf
        return res / tol if tol > 0 else (math.inf if res > 0 else 0.0)

    def add(self, residual: float, tolerance: float, label: str = "") -> None:
        if math.isnan(self.residual):
            return
        if math.isnan(residual) or self._ratio(residual, tolerance) > self._ratio(
            self.residual, self.tolerance
        ):
            self.residual, self.tolerance, self.label = residual, tolerance, label


def run_properties(
    props: dict[str, Callable[..., Residual]], strategy: st.SearchStrategy[tuple], *,
    examples: int, by_ratio: bool = False,
) -> tuple[dict[str, Worst], int]:
    """Run every ``props[name](*args)`` on ``examples`` Hypothesis examples of ``strategy``.

    One run serves several properties (Hypothesis's generation costs about 1 ms per example,
    more than the exact sums). Deterministic (``derandomize=True``, no database) and without
    shrinking; an exception makes that property's residual NaN and names the example.
    Returns the worst case per property (largest ``residual - tolerance``, or with
    ``by_ratio`` largest ``residual / tolerance``) and the number of examples run.
    """
    worst = {name: _WorstRatio() if by_ratio else Worst() for name in props}
    count = 0

    @settings(
        max_examples=examples, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow],
    )
    @given(strategy)
    def run(args: tuple) -> None:
        nonlocal count
        count += 1
        for name, prop in props.items():
            w = worst[name]
            try:
                res, tol = prop(*args)
            except Exception as exc:  # reported as a failing example, not raised
                w.add(math.nan, 0.0, f"{type(exc).__name__}: {exc} at {_fmt(args)}")
                continue
            if by_ratio or math.isnan(res) or res - tol > w.residual - w.tolerance:
                w.add(res, tol, _fmt(args))

    run()
    return worst, count


def _pair(prop: Callable[..., Residual]) -> Callable[..., Residual]:
    """``prop(p, q)`` called with ``(p, q, D)``."""
    return lambda p, q, d: prop(p, q)


#: Examples per Hypothesis run in ``gantheory verify``: discrete games (every pair property on
#: each), triples, minibatch cases, continuous games (each costs several quadratures, 20-70 ms).
N_DISCRETE, N_TRIPLES, N_MINIBATCH, N_CONTINUOUS = 200, 100, 100, 20

# The strategies of the registered checks (the tests use the same).
PAIRS = gs.pairs()
GAMES = gs.games()
TRIPLES = gs.triples()
MINIBATCH = st.tuples(
    gs.games(min_value=0.01, max_value=0.99), st.integers(1, 32), st.integers(0, 2**32 - 1)
).map(lambda t: (*t[0], t[1], t[2]))
CONT_PAIRS = gs.continuous_pairs(max_components=2)
CONT_GAMES = st.tuples(CONT_PAIRS, gs.discriminator_functions()).map(lambda t: (*t[0], t[1]))

_DISCRETE_PROPS: dict[str, Callable[..., Residual]] = {
    "dstar": _pair(prop_dstar_in_unit_interval),
    "value": prop_value_at_most_criterion,
    "identity": _pair(prop_criterion_identity),
    "minimum": _pair(prop_global_minimum),
    "jsd_bounds": _pair(prop_jsd_bounds),
    "jsd_sym": _pair(prop_jsd_symmetric),
    "gibbs": _pair(prop_gibbs),
}
_CONTINUOUS_PROPS: dict[str, Callable[..., Residual]] = {
    "value": prop_value_at_most_criterion,
    "identity": _pair(prop_criterion_identity),
    "jsd_sym": _pair(prop_jsd_symmetric),
}


@functools.cache
def _discrete_run() -> tuple[dict[str, Worst], int]:
    return run_properties(_DISCRETE_PROPS, GAMES, examples=N_DISCRETE)


@functools.cache
def _continuous_run() -> tuple[dict[str, Worst], int]:
    return run_properties(_CONTINUOUS_PROPS, CONT_GAMES, examples=N_CONTINUOUS)


def _discrete(name: str, detail: str, reason: str = _TOL) -> CheckResult:
    worst, count = _discrete_run()
    return worst[name].result(count, detail, reason)


def _continuous(name: str, detail: str, reason: str = _QUAD) -> CheckResult:
    worst, count = _continuous_run()
    return worst[name].result(count, detail, reason)


@check("GAN14-P1", "property", name="D* in [0, 1] on random pairs")
def dstar_in_unit_interval() -> CheckResult:
    """D* takes values in [0, 1] on random discrete pairs (zeros, disjoint, overlapping).

    The random games are drawn once for all discrete pair properties (the first of them pays
    for the Hypothesis run).
    """
    return _discrete("dstar", "max distance of D* outside [0, 1]", "exact: 0")


@check("GAN14-P1", "property", name="V(G, D) <= C(G) for random D")
def value_at_most_criterion() -> CheckResult:
    """V(G, D) <= C(G) for random discrete pairs and random D in [0, 1] (0 and 1 included)."""
    return _discrete("value", "max V(G, D) - C(G)")


@check("GAN14-P1", "property", name="V(G, D) <= C(G), continuous")
def value_at_most_criterion_continuous() -> CheckResult:
    """V(G, D) <= C(G) for random continuous pairs (incl. mixtures) and smooth random D.

    The continuous games are drawn once for the three continuous properties.
    """
    return _continuous("value", "max V(G, D) - C(G) (quadrature)")


@check("GAN14-T1", "property", name="C(G) = -log 4 + 2 JSD on random pairs")
def criterion_identity() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD)| on random discrete pairs."""
    return _discrete("identity", "max |C(G) + log 4 - 2 JSD|")


@check("GAN14-T1", "property", name="C(G) = -log 4 + 2 JSD, continuous")
def criterion_identity_continuous() -> CheckResult:
    """|C(G) - (-log 4 + 2 JSD)| on random continuous pairs, both sides by quadrature."""
    return _continuous("identity", "max |C(G) + log 4 - 2 JSD| (quadrature)")


@check("GAN14-T1", "property", name="C(G) >= -log 4, = iff p_g = p_data")
def global_minimum() -> CheckResult:
    """C(G) = -log 4 on equal pairs, C(G) + log 4 >= TV^2 > 0 on the others (random pairs)."""
    return _discrete(
        "minimum", "|C(G) + log 4| (p = q); TV^2 - (C(G) + log 4) (p != q)",
        _TOL + "; TV's own rounding bound",
    )


@check("LIN91-JSD-BOUNDS", "property", name="0 <= JSD <= log 2, = iff disjoint")
def jsd_bounds() -> CheckResult:
    """0 <= JSD <= log 2 (1 - overlap) on random pairs, = log 2 on the disjoint ones."""
    return _discrete(
        "jsd_bounds",
        "worst of -JSD, JSD - log 2 (1 - sum min(p, q)), |JSD - log 2| (disjoint)",
        _TOL + "; rounding of sum min(p, q)",
    )


@check("LIN91-JSD-SYM", "property", name="JSD symmetric on random pairs")
def jsd_symmetric() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| on random discrete pairs."""
    return _discrete("jsd_sym", "max |JSD(p||q) - JSD(q||p)|")


@check("LIN91-JSD-SYM", "property", name="JSD symmetric, continuous")
def jsd_symmetric_continuous() -> CheckResult:
    """|JSD(p||q) - JSD(q||p)| on random continuous pairs, by quadrature."""
    return _continuous("jsd_sym", "max |JSD(p||q) - JSD(q||p)| (quadrature)")


@check("CT06-GIBBS", "property", name="KL >= 0, = 0 iff p = q")
def gibbs() -> CheckResult:
    """KL = 0 on equal pairs, KL >= 2 TV^2 > 0 both ways on the others (random pairs)."""
    return _discrete(
        "gibbs", "|KL| (p = q); 2 TV^2 - KL (p != q), both directions",
        _TOL + "; TV's own rounding bound",
    )


@check("ES03-SQRTJSD-METRIC", "property", name="sqrt JSD triangle inequality")
def sqrt_jsd_triangle() -> CheckResult:
    """sqrt JSD(p, r) <= sqrt JSD(p, q) + sqrt JSD(q, r) on random triples (q between p and r)."""
    worst, count = run_properties(
        {"triangle": prop_sqrt_jsd_triangle}, TRIPLES, examples=N_TRIPLES
    )
    return worst["triangle"].result(
        count, "max sqrt JSD(p, r) - sqrt JSD(p, q) - sqrt JSD(q, r)",
        "each JSD's error bound e (rounding bound + 8 eps) propagated through sqrt (width of"
        " sqrt over [J - e, J + e]), plus 8 eps",
    )


@check("GAN14-MB", "property", name="minibatch estimate of V is unbiased")
def minibatch_unbiased() -> CheckResult:
    """Mean of 1000 / m minibatch estimates vs exact V(G, D), within a Bernstein bound."""
    worst, count = run_properties(
        {"mb": prop_minibatch_unbiased}, MINIBATCH, examples=N_MINIBATCH, by_ratio=True
    )
    return worst["mb"].result(
        count, "|mean of minibatch estimates - V(G, D)| of the case closest to its bound",
        "Bernstein's inequality with the exact variance and range of log D(x) and"
        " log(1 - D(x)), each at level 5e-10 (false failure <= 1e-9 per example), plus rounding",
    )


# --- negative claims: counterexamples found by search ------------------------------------------
#: A counterexample must violate the property by this many times its rounding bound.
MARGIN = 1e3
def _floats(v: object) -> str:
    return "[" + ", ".join(repr(float(x)) for x in np.asarray(v).ravel()) + "]"


def search_counterexample(
    prop: Callable[..., Residual],
    strategy: st.SearchStrategy[tuple],
    *,
    examples: int,
    names: str,
    describe: Callable[..., str],
    detail: str,
    reason: str,
    shrink: bool = True,
) -> CheckResult:
    """Search ``strategy`` with :func:`hypothesis.find` for args violating a property.

    ``prop(*args)`` returns ``(violation, rounding bound)``; a counterexample violates it by at
    least ``MARGIN`` times the bound. With ``shrink`` Hypothesis shrinks the first hit to a
    simple one; without, the first hit of its (derandomized) generation phase is kept. The
    counterexample is reported with its numbers (``names`` labels the arguments,
    ``describe(*args)`` adds the values of the property). Without a hit the check fails,
    reporting the largest violation seen.
    """
    tried, best = 0, (0.0, 1.0)

    def violates(args: tuple) -> bool:
        nonlocal tried, best
        tried += 1
        res, tol = prop(*args)
        if not math.isfinite(res):
            return False
        if res - MARGIN * tol > best[0] - MARGIN * best[1]:
            best = (res, tol)
        return res >= MARGIN * tol

    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    conf = settings(
        max_examples=examples, derandomize=True, database=None, deadline=None, phases=phases
    )
    try:
        args = find(strategy, violates, settings=conf)
    except NoSuchExample:
        return CheckResult(
            best[0], MARGIN * best[1], tried, ">=", f"{detail}: no counterexample found",
            None, reason,
        )
    res, tol = prop(*args)
    values = ", ".join(f"{n} = {_floats(a)}" for n, a in zip(names.split(), args))
    return CheckResult(
        residual=res, tolerance=MARGIN * tol, cases=tried, relation=">=", detail=detail,
        counterexample=f"{values}: {describe(*args)}", tolerance_reason=reason,
    )


@check("CT06-KL-ASYM", "property", name="search for KL(p||q) != KL(q||p)")
def kl_not_symmetric() -> CheckResult:
    """Hypothesis finds Bernoulli p, q with |KL(p||q) - KL(q||p)| far above rounding.

    Positive Bernoulli pairs keep both divergences finite; the hit is shrunk to a simple pair.
    """

    def describe(p: np.ndarray, q: np.ndarray) -> str:
        a, b = kl(p, q), kl(q, p)
        return f"KL(p||q) = {a!r}, KL(q||p) = {b!r}, difference {a - b!r}"

    bernoulli = gs.probability_vectors(size=2, allow_zeros=False)
    return search_counterexample(
        kl_asymmetry, st.tuples(bernoulli, bernoulli), examples=N_DISCRETE, names="p q",
        describe=describe,
        detail="|KL(p||q) - KL(q||p)| of the counterexample",
        reason=f"{MARGIN:g} x the rounding bounds of both sums (plus 8 eps max(1, |KL|))",
    )


@check("ES03-JSD-NOTRI", "property", name="search for a JSD triangle violation")
def jsd_not_triangle() -> CheckResult:
    """Hypothesis finds Bernoulli p, q, r with JSD(p, r) > JSD(p, q) + JSD(q, r) + rounding.

    Searched over :func:`gantheory.strategies.triples` of length 2 (q between p and r among
    them); the hit is shrunk to a simple triple.
    """

    def describe(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> str:
        pr, pq, qr = jsd(p, r), jsd(p, q), jsd(q, r)
        return (
            f"JSD(p, r) = {pr!r} > JSD(p, q) + JSD(q, r) = {pq!r} + {qr!r} = {pq + qr!r};"
            f" sqrt: {math.sqrt(pr)!r} <= {math.sqrt(pq) + math.sqrt(qr)!r}"
        )

    return search_counterexample(
        jsd_triangle_excess, gs.triples(min_size=2, max_size=2), examples=N_DISCRETE,
        names="p q r", describe=describe,
        detail="JSD(p, r) - JSD(p, q) - JSD(q, r) of the counterexample",
        reason=f"{MARGIN:g} x the rounding bounds of the three sums (plus 8 eps)",
    )
