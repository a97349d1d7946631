"""The records of the claim registry: a claim, a check, and what running a check gives.

A :class:`Claim` is a frozen record of one statement of the theory; a :class:`Check` is a check
function attached to a claim; a :class:`CheckResult` is what the function returns (its worst
residual against a stated tolerance); a :class:`CheckRun` is a check together with its result,
or the error it raised, and its run time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CHECK_KINDS", "Check", "CheckResult", "CheckRun", "Claim"]

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
    #: Optional extras the check needs (see :mod:`gantheory._extras`); without them it is not
    #: run, and reports name the extra.
    requires: tuple[str, ...] = ()


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
