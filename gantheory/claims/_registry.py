"""The registry: the claims of every source in catalogue order, each with its checks.

The claims are defined in one module per source (:mod:`gantheory.claims.gan14` for Goodfellow
et al. 2014, ...); ``_ORDER`` fixes the order in which the catalogue, ``gantheory list``, the
report and the JSON give them. Check functions attach themselves to a claim with :func:`check`;
:func:`registry` imports them and puts each claim together with its checks when first called.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable

from gantheory._extras import extra_available
from gantheory.claims import (
    ab17,
    cgan14,
    ct06,
    cycle17,
    dcgan16,
    es03,
    fgan16,
    gan14,
    gtut16,
    hinge17,
    lin91,
    lsgan17,
    wgan17,
)
from gantheory.claims._records import CHECK_KINDS, Check, CheckResult, Claim
from gantheory.tutorials import get_tutorial

__all__ = ["check", "get_claim", "registry"]

#: The modules of claims, one per source.
_SOURCES = (gan14, ct06, lin91, es03, gtut16, ab17, fgan16, lsgan17, hinge17, wgan17,
            cgan14, cycle17, dcgan16)
#: Every claim ID in catalogue order. Add a claim to the module of its source (one entry), its
#: ID here, and its checks in gantheory/checks/ (by kind, or one module per source).
_ORDER: tuple[str, ...] = (
    # Goodfellow et al. 2014
    "GAN14-P1",
    "GAN14-T1",
    # Information theory
    "CT06-GIBBS",
    "LIN91-JSD-BOUNDS",
    "LIN91-JSD-SYM",
    # Symbolic derivations
    "GAN14-BCE",
    "GAN14-NS",
    "GAN14-P1-GAUSS",
    "GTUT16-MLE",
    "CT06-KL-GAUSS",
    # Property-based and negative claims
    "GAN14-MB",
    "ES03-SQRTJSD-METRIC",
    "ES03-JSD-NOTRI",
    "CT06-KL-ASYM",
    # Empirical claims: trained GANs
    "GAN14-P2",
    "GAN14-ALG1-K",
    "AB17-JSD-FLAT",
    "GTUT16-MODE",
    # Objectives: label smoothing and the generator costs (Goodfellow 2016)
    "GTUT16-LS",
    "GTUT16-GCOST",
    "GTUT16-MLGRAD",
    # f-GAN (Nowozin et al. 2016)
    "FGAN16-CONJ",
    "FGAN16-BOUND",
    "FGAN16-JS-NORM",
    # Least squares (Mao et al. 2017) and hinge (Lim & Ye 2017)
    "LSGAN17-DSTAR",
    "LSGAN17-CHI2",
    "HINGE17-DSTAR",
    "HINGE17-TV",
    # Wasserstein GAN (Arjovsky et al. 2017)
    "WGAN17-W1",
    "WGAN17-KR",
    "WGAN17-EX1",
    # Conditional GAN (Mirza & Osindero 2014)
    "CGAN14-DSTAR",
    "CGAN14-CG",
    "CGAN14-PROJ",
    "CGAN14-TRAIN",
    # CycleGAN (Zhu et al. 2017)
    "CYCLE17-UNDER",
    "CYCLE17-INV",
    "CYCLE17-TRAIN",
    # DCGAN (Radford et al. 2016) on real digits, and conditioned on the digit
    "DCGAN16-DIGITS",
    "DCGAN16-BN",
    "CGAN14-DIGITS",
)


def check(
    claim_id: str, kind: str, *, name: str | None = None, slow: bool = False,
    requires: tuple[str, ...] = (),
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
    requires : tuple of str
        Optional extras the check needs (``("images",)``: scikit-learn). Without them the check
        is not run, and reports say which extra to install.
    """
    if kind not in CHECK_KINDS:
        raise ValueError(f"`kind` must be one of {CHECK_KINDS} (got {kind!r})")
    for extra in requires:
        extra_available(extra)  # ValueError naming an unknown extra

    def decorate(func: Callable[[], CheckResult]) -> Callable[[], CheckResult]:
        doc = (func.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        _PENDING.append(Check(claim_id, kind, name or func.__name__, func, slow, doc,
                              tuple(requires)))
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
    "gantheory.checks.fgan16",
    "gantheory.checks.wgan17",
    "gantheory.checks.objectives",
    "gantheory.checks.objectives_empirical",
    "gantheory.checks.cgan14",
    "gantheory.checks.cycle17",
    "gantheory.checks.games_empirical",
    "gantheory.checks.dcgan16",
)
_REGISTRY: dict[str, Claim] | None = None


def _ordered_claims() -> tuple[Claim, ...]:
    """The claims of all sources in the order of ``_ORDER`` (every claim exactly once)."""
    defined = [c for module in _SOURCES for c in module.CLAIMS]
    ids = [c.id for c in defined]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate claim IDs in the registry: {sorted(duplicates)}")
    unordered = sorted(set(ids) - set(_ORDER))
    if unordered:
        raise RuntimeError(f"claims missing from the catalogue order: {unordered}")
    undefined = sorted(set(_ORDER) - set(ids))
    if undefined:
        raise RuntimeError(f"the catalogue order names undefined claims: {undefined}")
    repeated = sorted({i for i in _ORDER if _ORDER.count(i) > 1})
    if repeated:
        raise RuntimeError(f"the catalogue order names claims twice: {repeated}")
    by_id = {c.id: c for c in defined}
    return tuple(by_id[i] for i in _ORDER)


def _build() -> dict[str, Claim]:
    for module in _CHECK_MODULES:
        importlib.import_module(module)
    ordered = _ordered_claims()
    for c in ordered:
        for key in c.tutorials:
            get_tutorial(key)  # KeyError naming the unknown key
    by_claim: dict[str, list[Check]] = {c.id: [] for c in ordered}
    for chk in _PENDING:
        if chk.claim_id not in by_claim:
            raise RuntimeError(f"check {chk.name!r} refers to unknown claim {chk.claim_id!r}")
        by_claim[chk.claim_id].append(chk)
    claims: dict[str, Claim] = {}
    for c in ordered:
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
