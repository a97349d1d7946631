"""The claim registry: every statement gantheory verifies, as data.

A :class:`Claim` is a frozen record (stable ``id``, ``title``, LaTeX ``statement``, ``source``
BibTeX key and a human-readable ``reference``). Check functions live in
:mod:`gantheory.checks` and attach themselves to a claim with the :func:`check` decorator; each
returns a :class:`CheckResult` (worst residual against a stated tolerance). The pytest suite
(``tests/test_claims.py``), ``gantheory verify`` and the docs' claims catalogue all read the
same registry, so a claim is defined in exactly one place: the module of its source
(:mod:`gantheory.claims.gan14` for Goodfellow et al. 2014, ...).

Claim IDs have the form ``<SOURCE><YY>-<label>`` and are stable forever: they are cited in
coursework. ``GAN14`` is Goodfellow et al. (2014); ``GAN14-P1`` is its Proposition 1.

Negative claims ("KL is not symmetric") have ``negative=True``: their checks *search for a
counterexample* and pass when they find one, reporting it in ``CheckResult.counterexample``.
"""

from gantheory.claims import _records, _summary
from gantheory.claims._records import Check, CheckResult, Claim
from gantheory.claims._records import CheckRun as CheckRun  # importable, not in __all__
from gantheory.claims._registry import check, get_claim, registry
from gantheory.claims._running import (
    claim_status,
    iter_claims,
    not_run,
    not_run_reason,
    resolve_jobs,
    run_check,
    run_claims,
)
from gantheory.claims._summary import format_number, kind_status, worst_run

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
    "not_run_reason",
    "registry",
    "resolve_jobs",
    "run_check",
    "run_claims",
    "worst_run",
]

# Assigned, not imported, so that the API reference shows their descriptions here.
#: The five ways a claim is checked, in the order reports show them.
CHECK_KINDS: tuple[str, ...] = _records.CHECK_KINDS
#: Column headings for the five kinds of check.
KIND_ABBR = _summary.KIND_ABBR
