"""The claim registry: every statement gantheory verifies, as data.

A :class:`Claim` is a frozen record (stable ``id``, ``title``, LaTeX ``statement``, ``source``
BibTeX key and a human-readable ``reference``). Check functions live in
:mod:`gantheory.checks` and attach themselves to a claim with the :func:`check` decorator; each
returns a :class:`CheckResult` (worst residual against a stated tolerance). The pytest suite
(``tests/test_claims.py``), ``gantheory verify`` and the docs' claims catalogue all read the
same registry, so a claim is added in exactly one place.

Claim IDs have the form ``<SOURCE><YY>-<label>`` and are stable forever: they are cited in
coursework. ``GAN14`` is Goodfellow et al. (2014); ``GAN14-P1`` is its Proposition 1.

Negative claims ("KL is not symmetric") have ``negative=True``: their checks *search for a
counterexample* and pass when they find one, reporting it in ``CheckResult.counterexample``.
"""

from __future__ import annotations

import difflib
import importlib
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from gantheory.tutorials import get_tutorial

__all__ = [
    "CHECK_KINDS",
    "KIND_ABBR",
    "Check",
    "CheckResult",
    "Claim",
    "check",
    "claim_status",
    "format_number",
    "get_claim",
    "iter_claims",
    "kind_status",
    "not_run",
    "registry",
    "run_check",
    "run_claims",
    "worst_run",
]

CheckKind = Literal["symbolic", "discrete", "continuous", "property", "empirical"]
#: The five ways a claim is checked, in the order reports show them.
CHECK_KINDS: tuple[str, ...] = ("symbolic", "discrete", "continuous", "property", "empirical")


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check.

    Attributes
    ----------
    residual : float
        The worst residual over all cases the check tried (for example
        ``max |C(G) - (-log 4 + 2 JSD)|``). For negative claims it is the *margin* by which the
        counterexample violates the property.
    tolerance : float
        The bound the residual is held to, with its reason in ``tolerance_reason``.
    cases : int
        How many cases (distributions, examples, seeds) the check tried.
    relation : {"<=", ">="}
        ``"<="``: passes when ``residual <= tolerance`` (ordinary claims). ``">="``: passes when
        ``residual >= tolerance`` (a counterexample must violate the property by more than
        rounding error).
    detail : str
        One line on what was checked, shown by ``gantheory verify -v``.
    counterexample : str or None
        For negative claims, the counterexample found, printed by ``gantheory verify``.
    tolerance_reason : str
        Why the tolerance is what it is (machine epsilon multiple, integrator error estimate,
        statistical bound).
    """

    residual: float
    tolerance: float
    cases: int = 1
    relation: Literal["<=", ">="] = "<="
    detail: str = ""
    counterexample: str | None = None
    tolerance_reason: str = ""

    @property
    def passed(self) -> bool:
        """Whether the residual is on the right side of the tolerance (NaN never passes)."""
        if math.isnan(self.residual) or math.isnan(self.tolerance):
            return False
        if self.relation == "<=":
            return bool(self.residual <= self.tolerance)
        return bool(self.residual >= self.tolerance)


@dataclass(frozen=True)
class Check:
    """A named check function attached to a claim."""

    claim_id: str
    kind: str
    name: str
    func: Callable[[], CheckResult]
    slow: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Claim:
    """One statement of the theory, with the checks that verify it.

    Attributes
    ----------
    id : str
        Stable identifier, ``<SOURCE><YY>-<label>``.
    title : str
        Short human title.
    statement : str
        The statement in LaTeX (MyST/Sphinx math, no surrounding ``$``).
    source : str
        BibTeX key in ``docs/references.bib``.
    reference : str
        Where in the source, e.g. ``"Goodfellow et al. 2014, Proposition 1"``.
    negative : bool
        True for claims that something does *not* hold (checks find counterexamples).
    tutorials : tuple of str
        The tutorial texts whose derivation of the statement this claim verifies, by BibTeX key
        (see :mod:`gantheory.tutorials`).
    checks : tuple of Check
        Filled from :mod:`gantheory.checks` by :func:`registry`.
    """

    id: str
    title: str
    statement: str
    source: str
    reference: str
    negative: bool = False
    tutorials: tuple[str, ...] = ()
    checks: tuple[Check, ...] = field(default=(), compare=False)


# ---------------------------------------------------------------------------------------------
# The claims. Add a claim here (one entry) and its checks in gantheory/checks/<kind>.py.
# ---------------------------------------------------------------------------------------------
# The tutorial texts, by their BibTeX keys (gantheory.tutorials).
_MATH_BEHIND_GANS = "mathbehindgans_zh"
_MATH_IDEAS = "ganmathideas2017"
_LECTURE = "cs182lecture19"
_MATH_NOTES = "ganmathnotes"
_NOTES_2018 = "gannotes2018"

_CLAIMS: tuple[Claim, ...] = (
    # --- Goodfellow et al. 2014 -----------------------------------------------------------
    Claim(
        id="GAN14-P1",
        title="Optimal discriminator",
        statement=(
            r"D^*_G(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)} = \arg\max_D V(G, D),"
            r"\quad V(G, D^*_G) \ge V(G, D)\ \text{for every}\ D"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Proposition 1",
        tutorials=(_MATH_BEHIND_GANS, _MATH_IDEAS, _LECTURE, _MATH_NOTES),
    ),
    Claim(
        id="GAN14-T1",
        title="Global optimum of the virtual training criterion",
        statement=(
            r"C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \,\|\, p_g) \ge -\log 4,"
            r"\ \text{with equality iff}\ p_g = p_{data}"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Theorem 1",
        tutorials=(_MATH_BEHIND_GANS, _MATH_IDEAS, _MATH_NOTES),
    ),
    # --- Information theory ----------------------------------------------------------------
    Claim(
        id="CT06-GIBBS",
        title="Gibbs' inequality (KL is non-negative)",
        statement=(
            r"\mathrm{KL}(p \,\|\, q) = \int p \log \frac{p}{q} \ge 0,"
            r"\ \text{with equality iff}\ p = q"
        ),
        source="cover2006elements",
        reference="Cover & Thomas 2006, Theorem 2.6.3",
        tutorials=(_MATH_NOTES,),
    ),
    Claim(
        id="LIN91-JSD-BOUNDS",
        title="Jensen-Shannon divergence is bounded by log 2",
        statement=(
            r"0 \le \mathrm{JSD}(p \,\|\, q) \le \log 2,\ \text{with}\ \log 2\ "
            r"\text{iff the supports are disjoint}"
        ),
        source="lin1991divergence",
        reference="Lin 1991, Theorem 1 (bounds; natural logarithm)",
        tutorials=(_MATH_BEHIND_GANS,),
    ),
    Claim(
        id="LIN91-JSD-SYM",
        title="Jensen-Shannon divergence is symmetric",
        statement=r"\mathrm{JSD}(p \,\|\, q) = \mathrm{JSD}(q \,\|\, p)",
        source="lin1991divergence",
        reference="Lin 1991, Section III",
        tutorials=(_LECTURE,),
    ),
    # --- Symbolic derivations ----------------------------------------------------------------
    Claim(
        id="GAN14-BCE",
        title="The value function is a negative binary cross-entropy",
        statement=(
            r"V(G, D) = \mathbb{E}_{x \sim p_{data}}[-\mathrm{BCE}(1, D(x))]"
            r" + \mathbb{E}_{z \sim p_z}[-\mathrm{BCE}(0, D(G(z)))],"
            r"\quad \mathrm{BCE}(y, \hat y) = -y \log \hat y - (1 - y) \log(1 - \hat y)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Section 3 (value function, eq. 1)",
        tutorials=(_MATH_BEHIND_GANS, _LECTURE),
    ),
    Claim(
        id="GAN14-NS",
        title="The minimax generator loss saturates, the non-saturating one does not",
        statement=(
            r"\frac{d}{dD} \log(1 - D) = -\frac{1}{1 - D},\ \frac{d}{dD}(-\log D) = -\frac{1}{D},"
            r"\ \frac{D}{1 - D} \to 0\ (D \to 0^+);\ \text{in the logit}\ \ell:"
            r"\ -\sigma(\ell) \to 0,\ -(1 - \sigma(\ell)) \to -1\ (\ell \to -\infty)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Section 3 (the non-saturating generator objective)",
        tutorials=(_MATH_BEHIND_GANS, _LECTURE),
    ),
    Claim(
        id="GAN14-P1-GAUSS",
        title="The optimal discriminator between two Gaussians is a logistic regression",
        statement=(
            r"p_{data} = N(\mu_1, \sigma_1^2),\ p_g = N(\mu_2, \sigma_2^2):"
            r"\ \log\frac{D^*(x)}{1 - D^*(x)} = w_2 x^2 + w_1 x + w_0,"
            r"\ w_2 = \tfrac12(\sigma_2^{-2} - \sigma_1^{-2}),"
            r"\ \text{linear in}\ x\ \text{iff}\ \sigma_1 = \sigma_2"
        ),
        source="goodfellow2014generative",
        reference=(
            "Goodfellow et al. 2014, Proposition 1, for two Gaussians (the class posterior of "
            "quadratic discriminant analysis, Hastie et al. 2009, Section 4.3)"
        ),
        tutorials=(_LECTURE,),
    ),
    Claim(
        id="GTUT16-MLE",
        title="Maximum likelihood minimises KL(p_data || p_theta)",
        statement=(
            r"\mathbb{E}_{x \sim p_{data}}[\log p_\theta(x)] = -H(p_{data})"
            r" - \mathrm{KL}(p_{data} \,\|\, p_\theta),\ \text{so}"
            r"\ \arg\max_\theta \mathbb{E}_{p_{data}}[\log p_\theta]"
            r" = \arg\min_\theta \mathrm{KL}(p_{data} \,\|\, p_\theta)"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 2.1 (maximum likelihood)",
        tutorials=(_MATH_IDEAS,),
    ),
    Claim(
        id="CT06-KL-GAUSS",
        title="KL divergence between two Gaussians",
        statement=(
            r"\mathrm{KL}(N(\mu_1, \sigma_1^2) \,\|\, N(\mu_2, \sigma_2^2))"
            r" = \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2}"
            r" - \frac12"
        ),
        source="cover2006elements",
        reference="Cover & Thomas 2006, Section 8.5 (relative entropy of densities), for normals",
        tutorials=(_MATH_NOTES,),
    ),
    # --- Property-based and negative claims --------------------------------------------------
    Claim(
        id="GAN14-MB",
        title="The minibatch estimate of the value function is unbiased",
        statement=(
            r"\mathbb{E}\,\tilde V(G, D) = V(G, D),\quad \tilde V(G, D) = \frac1m \sum_{i=1}^m"
            r" \log D(x^{(i)}) + \frac1m \sum_{i=1}^m \log\bigl(1 - D(G(z^{(i)}))\bigr)"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Algorithm 1 (minibatch gradient of V)",
        tutorials=(_MATH_IDEAS,),
    ),
    Claim(
        id="ES03-SQRTJSD-METRIC",
        title="The square root of the Jensen-Shannon divergence is a metric",
        statement=(
            r"\sqrt{\mathrm{JSD}(p \,\|\, r)} \le \sqrt{\mathrm{JSD}(p \,\|\, q)}"
            r" + \sqrt{\mathrm{JSD}(q \,\|\, r)}"
        ),
        source="endres2003new",
        reference="Endres & Schindelin 2003 (the square root of 2 JSD is a metric)",
    ),
    Claim(
        id="ES03-JSD-NOTRI",
        title="The Jensen-Shannon divergence violates the triangle inequality",
        statement=(
            r"\exists\, p, q, r:\ \mathrm{JSD}(p \,\|\, r)"
            r" > \mathrm{JSD}(p \,\|\, q) + \mathrm{JSD}(q \,\|\, r)"
        ),
        source="endres2003new",
        reference="Endres & Schindelin 2003 (JSD is not a metric; its square root is)",
        negative=True,
    ),
    Claim(
        id="CT06-KL-ASYM",
        title="KL divergence is not symmetric",
        statement=r"\exists\, p, q:\ \mathrm{KL}(p \,\|\, q) \ne \mathrm{KL}(q \,\|\, p)",
        source="cover2006elements",
        reference="Cover & Thomas 2006, Section 2.3 and Example 2.3.1",
        negative=True,
    ),
    # --- Empirical claims: trained GANs -------------------------------------------------------
    Claim(
        id="GAN14-P2",
        title="Algorithm 1 drives p_g to p_data and D to 1/2",
        statement=(
            r"\text{If } D \text{ reaches } D^*_G \text{ at each step and } p_g"
            r" \text{ is updated to improve } \mathbb{E}_{p_{data}}\log D^*_G"
            r" + \mathbb{E}_{p_g}\log(1 - D^*_G),"
            r"\ \text{then } p_g \to p_{data}\ \text{and}\ D^*_G \to \tfrac12"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Proposition 2 (convergence of Algorithm 1)",
        tutorials=(_MATH_BEHIND_GANS, _MATH_IDEAS, _NOTES_2018),
    ),
    Claim(
        id="GAN14-ALG1-K",
        title="More discriminator steps per generator step keep D nearer D*",
        statement=(
            r"\overline{\mathbb{E}_{(p_{data}+p_g)/2}\,|D_\theta - D^*_G|}"
            r"\ \text{(averaged over training) decreases as } k \text{ grows}"
        ),
        source="goodfellow2014generative",
        reference="Goodfellow et al. 2014, Algorithm 1 (k steps of the discriminator)",
        tutorials=(_MATH_BEHIND_GANS, _NOTES_2018),
    ),
    Claim(
        id="AB17-JSD-FLAT",
        title="The JSD saturates at log 2 and its gradient vanishes for distant distributions",
        statement=(
            r"\mathrm{JSD}(N(0, 1) \,\|\, N(d, 1)) \to \log 2,"
            r"\quad \frac{d}{dd}\,\mathrm{JSD}(N(0, 1) \,\|\, N(d, 1)) \to 0"
            r"\quad (d \to \infty)"
        ),
        source="arjovsky2017towards",
        reference=(
            "Arjovsky & Bottou 2017, Section 2 (vanishing gradients); figure after Wang, She & "
            "Ward 2019, Fig. 4"
        ),
        tutorials=(_MATH_BEHIND_GANS,),
    ),
    Claim(
        id="GTUT16-MODE",
        title="Trained generators can miss modes of a multimodal p_data (mode collapse)",
        statement=(
            r"\exists\ \text{a seed}:\ P_g(|x - \mu_j| \le 3\sigma_j) < \tfrac12 w_j"
            r"\ \text{for some mode}\ j\ \text{of}\ p_{data} = \sum_j w_j N(\mu_j, \sigma_j^2)"
        ),
        source="goodfellow2016nips",
        reference="Goodfellow 2016, NIPS 2016 Tutorial, Section 5.1.1 (mode collapse)",
        negative=True,
        tutorials=(_MATH_BEHIND_GANS,),
    ),
)


def check(
    claim_id: str, kind: str, *, name: str | None = None, slow: bool = False
) -> Callable[[Callable[[], CheckResult]], Callable[[], CheckResult]]:
    """Attach a check function to a claim.

    Parameters
    ----------
    claim_id : str
        ID of a claim in the registry.
    kind : {"symbolic", "discrete", "continuous", "property", "empirical"}
        Which leg of the verification the check belongs to.
    name : str, optional
        Name shown in reports; defaults to the function's name.
    slow : bool
        Slow checks are skipped by ``gantheory verify`` unless ``--slow`` is given and are
        marked ``slow`` in pytest.
    """
    if kind not in CHECK_KINDS:
        raise ValueError(f"`kind` must be one of {CHECK_KINDS} (got {kind!r})")

    def decorate(func: Callable[[], CheckResult]) -> Callable[[], CheckResult]:
        doc = (func.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        _PENDING.append(Check(claim_id, kind, name or func.__name__, func, slow, doc))
        return func

    return decorate


_PENDING: list[Check] = []
#: Modules holding check functions, imported when the registry is first built.
_CHECK_MODULES: tuple[str, ...] = (
    "gantheory.checks.symbolic",
    "gantheory.checks.discrete",
    "gantheory.checks.continuous",
    "gantheory.checks.property",
    "gantheory.checks.empirical",
)
_REGISTRY: dict[str, Claim] | None = None


def _build() -> dict[str, Claim]:
    for module in _CHECK_MODULES:
        importlib.import_module(module)
    for c in _CLAIMS:
        for key in c.tutorials:
            get_tutorial(key)  # KeyError naming the unknown key
    ids = [c.id for c in _CLAIMS]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate claim IDs in the registry: {sorted(duplicates)}")
    by_claim: dict[str, list[Check]] = {i: [] for i in ids}
    for chk in _PENDING:
        if chk.claim_id not in by_claim:
            raise RuntimeError(f"check {chk.name!r} refers to unknown claim {chk.claim_id!r}")
        by_claim[chk.claim_id].append(chk)
    claims: dict[str, Claim] = {}
    for c in _CLAIMS:
        checks = sorted(by_claim[c.id], key=lambda k: CHECK_KINDS.index(k.kind))
        names = [(k.kind, k.name) for k in checks]
        if len(set(names)) != len(names):
            raise RuntimeError(f"claim {c.id} has two checks of the same kind and name")
        claims[c.id] = Claim(**{**c.__dict__, "checks": tuple(checks)})
    return claims


def registry() -> tuple[Claim, ...]:
    """All registered claims, each with its checks, in catalogue order."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = _build()
    return tuple(_REGISTRY.values())


def get_claim(claim_id: str) -> Claim:
    """The claim with ID ``claim_id``, in any letter case (``"gan14-t1"`` is ``GAN14-T1``).

    Raises
    ------
    KeyError
        For an unknown ID, with the closest known IDs and the list of all of them.
    TypeError
        If ``claim_id`` is not a string.

    Examples
    --------
    >>> get_claim("gan14-t1").id
    'GAN14-T1'
    """
    if not isinstance(claim_id, str):
        raise TypeError(f"`claim_id` must be a str (got {type(claim_id).__name__}: {claim_id!r})")
    claims = {c.id.casefold(): c for c in registry()}
    key = claim_id.strip().casefold()
    if key not in claims:
        ids = [c.id for c in claims.values()]
        close = difflib.get_close_matches(key.upper(), ids, n=3, cutoff=0.6)
        hint = ""
        if close:
            options = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
            hint = f" (did you mean {options}?)"
        raise KeyError(f"unknown claim ID {claim_id!r}{hint}; known IDs: {', '.join(ids)}")
    return claims[key]


@dataclass(frozen=True)
class CheckRun:
    """A check together with its result (or the error it raised) and its run time."""

    check: Check
    result: CheckResult | None
    error: str | None
    seconds: float

    @property
    def passed(self) -> bool:
        return self.error is None and self.result is not None and self.result.passed


def run_check(chk: Check) -> CheckRun:
    """Run one check, turning an exception into a failed run that carries the message."""
    start = time.perf_counter()
    try:
        result = chk.func()
        error = None
        if not isinstance(result, CheckResult):
            result, error = None, f"check returned {type(result).__name__}, not CheckResult"
    except Exception as exc:  # a failing check is reported, not raised
        result, error = None, f"{type(exc).__name__}: {exc}"
    return CheckRun(chk, result, error, time.perf_counter() - start)


def iter_claims(
    claims: Iterable[Claim], *, include_slow: bool = False
) -> Iterator[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` one claim at a time (slow ones only with ``include_slow``),
    yielding each claim with its runs as soon as they are done, so reports can show them live."""
    for c in claims:
        yield c, [run_check(k) for k in c.checks if include_slow or not k.slow]


def run_claims(
    claims: Iterable[Claim], *, include_slow: bool = False
) -> list[tuple[Claim, list[CheckRun]]]:
    """Run the checks of ``claims`` (slow ones only with ``include_slow``); see
    :func:`iter_claims`."""
    return list(iter_claims(claims, include_slow=include_slow))


def not_run(claim: Claim, runs: Iterable[CheckRun]) -> list[Check]:
    """The checks of ``claim`` that have no run in ``runs`` (slow checks without ``--slow``)."""
    ran = {(r.check.kind, r.check.name) for r in runs}
    return [k for k in claim.checks if (k.kind, k.name) not in ran]


def claim_status(claim: Claim, runs: Iterable[CheckRun]) -> Literal["passed", "failed", "not run"]:
    """``"failed"`` if any run failed, ``"not run"`` if none of the claim's checks ran,
    ``"passed"`` otherwise (every check that ran passed; see :func:`not_run` for the rest)."""
    runs = list(runs)
    if any(not r.passed for r in runs):
        return "failed"
    return "passed" if runs else "not run"


# ---------------------------------------------------------------------------------------------
# Summaries of runs, shared by `gantheory verify` and `gantheory report`.
# ---------------------------------------------------------------------------------------------
#: Column headings for the five kinds of check.
KIND_ABBR = {"symbolic": "sym", "discrete": "disc", "continuous": "cont", "property": "prop",
             "empirical": "emp"}


def format_number(x: float, digits: int = 1) -> str:
    """``x`` in exponent notation with ``digits`` decimals; ``inf``/``-inf``/``nan`` spelled out."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{digits}e}"


def kind_status(runs: Iterable[CheckRun], kind: str, claim: Claim | None = None) -> str:
    """``"pass"``, ``"FAIL"``, ``"skip"`` (``claim`` has checks of that kind but none of them
    ran: slow checks without ``--slow``) or ``"-"`` (no check of that kind)."""
    mine = [r for r in runs if r.check.kind == kind]
    if not mine:
        if claim is not None and any(k.kind == kind for k in claim.checks):
            return "skip"
        return "-"
    return "pass" if all(r.passed for r in mine) else "FAIL"


def worst_run(runs: Iterable[CheckRun]) -> CheckRun | None:
    """The run closest to failing: errors and failures first, then the largest ratio of
    residual to tolerance (tolerance to residual for counterexample searches)."""
    runs = list(runs)
    if not runs:
        return None

    def closeness(r: CheckRun) -> tuple[bool, float, float]:
        if r.result is None:
            return (True, math.inf, math.inf)
        res = r.result
        num, den = (res.residual, res.tolerance) if res.relation == "<=" else (
            res.tolerance, res.residual)
        if math.isnan(num) or math.isnan(den):
            ratio = math.inf
        elif den == 0:
            ratio = 0.0 if num == 0 else math.inf
        else:
            ratio = num / den
        return (not r.passed, ratio, abs(res.residual))

    return max(runs, key=closeness)
