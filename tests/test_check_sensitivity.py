"""The registered checks can fail: each is run on a deliberately perturbed computation and must
report a failure.

A check that stays green when what it checks is off by 1e-12 cannot tell a right sum from a
wrong one. Here every symbolic, discrete, continuous and property check is run with one
computation shifted by ``DELTA = 1e-12`` (the symbolic derivations by the exact rational
1e-12). Each check compares case by case against that case's own tolerance: rounding bounds of
a few 1e-15 for the exact sums, and quadrature error estimates of 1e-15 to 1e-11, at least one
case of every check below 1e-12. A tolerance inflated 1000-fold no longer sees the shift, and
this test fails.
The clauses of the "iff" statements get their own collapse: C(G) = -log 4, KL = 0 or
JSD = log 2 on every pair must fail the check.

The quadrature cases are marked ``slow`` (each re-runs every continuous case, 3-5 s); the
exact sums, derivations and accumulators run by default.

Not covered, by design: the minibatch check (a statistical bound of order 1e-2), the
counterexample searches of the negative claims, the square-root triangle inequality (its
tolerance propagates each JSD's error through the square root, whose slope is unbounded at 0)
and the empirical checks (trained networks, bounds of 1e-3 to 1e-2).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import sympy as sp

import gantheory.checks.continuous as CC
import gantheory.checks.discrete as CD
import gantheory.checks.property as CP
import gantheory.divergences as DV
import gantheory.game as GM
import gantheory.properties as PR
import gantheory.symbolic as SYM
from gantheory.checks._util import Worst
from gantheory.claims import get_claim, run_check
from gantheory.quadrature import Estimate

DELTA = 1e-12
_NAMESPACES = (GM, DV, CD, CC, PR)
_LOG2, _LOG4 = math.log(2.0), math.log(4.0)


def _clear_caches() -> None:
    for f in (CC._c, CC._j, CP._discrete_run, CP._continuous_run):
        f.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Cached results of the perturbed runs must not leak into other tests (nor in)."""
    _clear_caches()
    yield
    _clear_caches()


def _shifted(out: object, delta: float) -> object:
    if isinstance(out, Estimate):
        return out._replace(value=out.value + delta)
    if callable(out):
        return lambda x, f=out: np.asarray(f(x)) + delta
    return np.asarray(out) + delta if isinstance(out, np.ndarray) else out + delta


def _perturb(
    monkeypatch: pytest.MonkeyPatch, name: str, *, delta: float = 0.0, every: int = 1,
    constant: float | None = None,
) -> None:
    """Replace ``name`` in every namespace that holds it: its result shifted by ``delta`` on
    every ``every``-th call, or replaced by ``constant``."""
    fn = getattr(GM, name, None) or getattr(DV, name)
    calls = itertools.count()

    def wrapped(*args: object, **kwargs: object) -> object:
        out = fn(*args, **kwargs)
        if next(calls) % every:
            return out
        if constant is not None:
            value = constant
            return out._replace(value=value) if isinstance(out, Estimate) else value
        return _shifted(out, delta)

    for ns in _NAMESPACES:
        if hasattr(ns, name):
            monkeypatch.setattr(ns, name, wrapped)


def _check(claim_id: str, kind: str, name: str) -> object:
    for chk in get_claim(claim_id).checks:
        if chk.kind == kind and chk.name == name:
            return chk
    raise LookupError(f"no {kind} check {name!r} on {claim_id}")


def _fails(chk: object) -> bool:
    """The check ran to its end (no exception) and reported a failure."""
    run = run_check(chk)  # type: ignore[arg-type]
    assert run.error is None, run.error
    return not run.passed


def _by_quadrature(kind: str, name: str) -> bool:
    """The checks that integrate (3-5 s each when their caches are cleared): marked slow."""
    return kind == "continuous" or "continuous" in name or "quadrature" in name


# (claim, kind, check name, function perturbed, delta, every)
SHIFTS = [
    # discrete: exact sums
    ("GAN14-P1", "discrete", "D* maximises V over perturbed D", "optimal_value", -DELTA, 1),
    ("GAN14-P1", "discrete", "D* maximises V over perturbed D", "value", DELTA, 1),
    ("GAN14-P1", "discrete", "D* is the pointwise maximiser", "optimal_discriminator",
     DELTA, 1),
    ("GAN14-T1", "discrete", "C(G) = -log 4 + 2 JSD", "optimal_value", DELTA, 1),
    ("GAN14-T1", "discrete", "C(G) = -log 4 + 2 JSD", "jsd", DELTA, 1),
    ("GAN14-T1", "discrete", "C(G) = -log 4 iff p_g = p_data", "optimal_value", DELTA, 1),
    ("CT06-GIBBS", "discrete", "KL >= 0, = 0 iff p = q", "kl", DELTA, 1),
    ("LIN91-JSD-BOUNDS", "discrete", "0 <= JSD <= log 2, = log 2 iff disjoint", "jsd",
     DELTA, 1),
    ("LIN91-JSD-SYM", "discrete", "JSD(p||q) = JSD(q||p)", "jsd", DELTA, 2),
    # continuous: quadrature
    ("GAN14-P1", "continuous", "D* maximises V over perturbed D", "optimal_value",
     -DELTA, 1),
    ("GAN14-P1", "continuous", "D* maximises V over perturbed D", "value", DELTA, 1),
    ("GAN14-T1", "continuous", "C(G) = -log 4 + 2 JSD", "optimal_value", DELTA, 1),
    ("GAN14-T1", "continuous", "C(G) = -log 4 + 2 JSD", "jsd", DELTA, 1),
    ("GAN14-T1", "continuous", "C(G) = -log 4 iff p_g = p_data", "optimal_value",
     DELTA, 1),
    ("CT06-GIBBS", "continuous", "KL >= 0, = 0 iff p = q", "kl", DELTA, 1),
    ("LIN91-JSD-BOUNDS", "continuous", "0 <= JSD <= log 2, = log 2 iff disjoint", "jsd",
     DELTA, 1),
    ("LIN91-JSD-SYM", "continuous", "JSD(p||q) = JSD(q||p)", "jsd", DELTA, 2),
    # property: random discrete pairs (exact sums) and continuous ones (quadrature)
    ("GAN14-P1", "property", "D* in [0, 1] on random pairs", "optimal_discriminator",
     DELTA, 1),
    ("GAN14-P1", "property", "V(G, D) <= C(G) for random D", "optimal_value", -DELTA, 1),
    ("GAN14-P1", "property", "V(G, D) <= C(G), continuous", "optimal_value", -DELTA, 1),
    ("GAN14-T1", "property", "C(G) = -log 4 + 2 JSD on random pairs", "optimal_value",
     DELTA, 1),
    ("GAN14-T1", "property", "C(G) = -log 4 + 2 JSD, continuous", "jsd", DELTA, 1),
    ("GAN14-T1", "property", "C(G) >= -log 4, = iff p_g = p_data", "optimal_value",
     DELTA, 1),
    ("LIN91-JSD-BOUNDS", "property", "0 <= JSD <= log 2, = iff disjoint", "jsd", DELTA, 1),
    ("LIN91-JSD-SYM", "property", "JSD symmetric on random pairs", "jsd", DELTA, 2),
    ("LIN91-JSD-SYM", "property", "JSD symmetric, continuous", "jsd", DELTA, 2),
    ("CT06-GIBBS", "property", "KL >= 0, = 0 iff p = q", "kl", DELTA, 1),
    # symbolic, lambdified: derived expressions against the numerical code
    ("GAN14-P1", "symbolic", "derived D* = gantheory.optimal_discriminator",
     "optimal_discriminator", DELTA, 1),
    ("GAN14-T1", "symbolic", "derived V(G, D*) = gantheory.optimal_value", "optimal_value",
     DELTA, 1),
    ("GAN14-T1", "symbolic", "derived V(G, D*) = gantheory.optimal_value", "jsd", DELTA, 1),
    ("GAN14-P1-GAUSS", "symbolic", "sigmoid(derived logit) = optimal_discriminator",
     "optimal_discriminator", DELTA, 1),
    ("GAN14-BCE", "symbolic", "derived E[-BCE] = gantheory.value", "value", DELTA, 1),
    ("GTUT16-MLE", "symbolic", "derived log-likelihood, KL, entropy = gantheory", "kl",
     DELTA, 1),
    ("GTUT16-MLE", "symbolic", "derived log-likelihood, KL, entropy = gantheory", "entropy",
     DELTA, 1),
    ("GTUT16-MLE", "symbolic", "derived log-likelihood, KL, entropy = gantheory",
     "cross_entropy", DELTA, 1),
    ("GAN14-NS", "symbolic", "derived gradients = differences of gantheory's objectives",
     "generator_objective_minimax", DELTA, 1),
    ("GAN14-NS", "symbolic", "derived gradients = differences of gantheory's objectives",
     "generator_objective_nonsaturating", DELTA, 1),
    ("CT06-KL-GAUSS", "symbolic", "derived Gaussian KL = gantheory.kl (quadrature)", "kl",
     DELTA, 1),
]


@pytest.mark.parametrize(
    ("claim_id", "kind", "name", "target", "delta", "every"),
    [
        # the quadrature ones re-run quadratures over every case (3-5 s each): slow
        pytest.param(*s, id=f"{s[0]}[{s[1]}:{s[2]}]-{s[3]}{s[4]:+g}",
                     marks=[pytest.mark.slow] if _by_quadrature(s[1], s[2]) else [])
        for s in SHIFTS
    ],
)
def test_a_shifted_computation_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, claim_id: str, kind: str, name: str, target: str,
    delta: float, every: int,
) -> None:
    chk = _check(claim_id, kind, name)  # green unperturbed: tests/test_claims.py
    _perturb(monkeypatch, target, delta=delta, every=every)
    assert _fails(chk), f"{claim_id} [{kind}] {name} stays green with {target} off by {delta:g}"


# (claim, kind, check name, function, constant on every call): the "iff" clauses
COLLAPSES = [
    ("GAN14-T1", "discrete", "C(G) = -log 4 iff p_g = p_data", "optimal_value", -_LOG4),
    ("GAN14-T1", "continuous", "C(G) = -log 4 iff p_g = p_data", "optimal_value", -_LOG4),
    ("GAN14-T1", "property", "C(G) >= -log 4, = iff p_g = p_data", "optimal_value", -_LOG4),
    ("CT06-GIBBS", "discrete", "KL >= 0, = 0 iff p = q", "kl", 0.0),
    ("CT06-GIBBS", "continuous", "KL >= 0, = 0 iff p = q", "kl", 0.0),
    ("CT06-GIBBS", "property", "KL >= 0, = 0 iff p = q", "kl", 0.0),
    ("LIN91-JSD-BOUNDS", "discrete", "0 <= JSD <= log 2, = log 2 iff disjoint", "jsd", _LOG2),
    ("LIN91-JSD-BOUNDS", "continuous", "0 <= JSD <= log 2, = log 2 iff disjoint", "jsd",
     _LOG2),
    ("LIN91-JSD-BOUNDS", "property", "0 <= JSD <= log 2, = iff disjoint", "jsd", _LOG2),
]


@pytest.mark.parametrize(
    ("claim_id", "kind", "name", "target", "constant"),
    [
        pytest.param(*s, id=f"{s[0]}[{s[1]}:{s[2]}]-{s[3]}={s[4]:.4g}",
                     marks=[pytest.mark.slow] if _by_quadrature(s[1], s[2]) else [])
        for s in COLLAPSES
    ],
)
def test_the_iff_clause_is_checked(
    monkeypatch: pytest.MonkeyPatch, claim_id: str, kind: str, name: str, target: str,
    constant: float,
) -> None:
    """The value the equality case takes, returned for *every* pair, must fail the check."""
    chk = _check(claim_id, kind, name)
    _perturb(monkeypatch, target, constant=constant)
    assert _fails(chk), f"{claim_id} [{kind}] {name}: {target} = {constant} everywhere passes"


# (claim, check name, derivation, field of its result shifted by 1/10^12)
DERIVATIONS = [
    ("GAN14-P1", "D* derived by solving f'(y) = 0", "pointwise_maximiser", "maximiser"),
    ("GAN14-T1", "integrand identity around the mixture", "integrand_identity", "integrand"),
    ("GAN14-T1", "V(G, D*) = -log 4 + 2 JSD on 2 and 3 points", "discrete_optimal_value",
     "value"),
    ("GAN14-T1", "global minimum by Lagrange multipliers", "global_minimum", "minimum"),
    ("GAN14-P1-GAUSS", "logit of D* is quadratic in x", "gaussian_discriminator",
     "discriminator"),
    ("GAN14-BCE", "V = negative BCE; Bayes classifier = D*", "value_as_cross_entropy", "value"),
    ("GTUT16-MLE", "-E[log p_theta] - KL = entropy; argmax = argmin KL", "maximum_likelihood",
     "gap"),
    ("GAN14-NS", "saturation of log(1 - D) vs -log D", "generator_gradients",
     "minimax_derivative"),
    ("CT06-KL-GAUSS", "KL between Gaussians by symbolic integration", "gaussian_kl", "kl"),
]


@pytest.mark.parametrize(
    ("claim_id", "name", "derivation", "field"), [pytest.param(*s, id=s[2]) for s in DERIVATIONS]
)
def test_a_shifted_derivation_fails_the_exact_check(
    monkeypatch: pytest.MonkeyPatch, claim_id: str, name: str, derivation: str, field: str,
) -> None:
    chk = _check(claim_id, "symbolic", name)
    original: Callable[..., object] = getattr(SYM, derivation)

    def shifted(*args: object, **kwargs: object) -> object:
        r = original(*args, **kwargs)
        return dataclasses.replace(r, **{field: getattr(r, field) + sp.Rational(1, 10**12)})

    monkeypatch.setattr(SYM, derivation, shifted)
    assert _fails(chk), f"{claim_id} [symbolic] {name} stays green with {field} off by 1e-12"


# --- the accumulators -----------------------------------------------------------------------------
class TestWorst:
    def test_keeps_the_case_closest_to_failing_not_the_largest_residual(self) -> None:
        w = Worst()
        w.add(1e-3, 1.0, "large residual, larger tolerance")
        w.add(1e-10, 1e-12, "small residual, beyond its tolerance")
        w.add(0.5, 0.9, "another passing case")
        r = w.result(3, "d", "r")
        assert (r.residual, r.tolerance) == (1e-10, 1e-12) and not r.passed
        assert r.detail == "d (worst: small residual, beyond its tolerance)"

    def test_passes_when_every_case_passes_and_reports_the_closest(self) -> None:
        w = Worst()
        for res, tol in ((1e-16, 1e-15), (9e-16, 1e-15), (0.0, 1e-15)):
            w.add(res, tol)
        r = w.result(3, "d", "r")
        assert r.passed and r.residual == 9e-16 and r.tolerance == 1e-15

    def test_nan_is_worst_and_stays(self) -> None:
        w = Worst()
        w.add(0.0, 1.0, "fine")
        w.add(math.nan, 0.0, "NaN case")
        w.add(1e9, 0.0, "bad but finite")
        r = w.result(3, "d", "r")
        assert math.isnan(r.residual) and not r.passed and "NaN case" in r.detail

    def test_infinite_residual_fails_and_no_case_is_no_pass(self) -> None:
        w = Worst()
        w.add(0.0, 1.0)
        w.add(math.inf, 1e-15)
        assert w.result(2, "d", "r").residual == math.inf
        assert not w.result(2, "d", "r").passed
        assert not Worst().result(0, "d", "r").passed  # nothing was checked

    def test_worst_ratio_keeps_the_case_closest_to_its_own_bound(self) -> None:
        w = CP._WorstRatio()
        w.add(0.5, 1.0, "half its bound")
        w.add(1e-9, 1e-9, "at its bound")
        w.add(0.9, 10.0, "far from its bound")
        r = w.result(3, "d", "r")
        assert r.residual == 1e-9 and "at its bound" in r.detail and r.passed
        w.add(2e-12, 1e-12, "twice its bound")
        assert not w.result(4, "d", "r").passed
