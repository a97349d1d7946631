"""The layout of the claim registry: one module of claims per source, in a fixed catalogue order.

Claim IDs are cited in coursework, and the catalogue, ``gantheory list``, the report and the JSON
give the claims in the registry's order: both are pinned here.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import gantheory.claims
from gantheory.claims import _registry, registry

#: The IDs in the order ``gantheory list`` printed them when the claims were split into one
#: module per source; a new claim is added to this list, an existing one never moves or changes.
_CATALOGUE_ORDER = [
    "GAN14-P1",
    "GAN14-T1",
    "CT06-GIBBS",
    "LIN91-JSD-BOUNDS",
    "LIN91-JSD-SYM",
    "GAN14-BCE",
    "GAN14-NS",
    "GAN14-P1-GAUSS",
    "GTUT16-MLE",
    "CT06-KL-GAUSS",
    "GAN14-MB",
    "ES03-SQRTJSD-METRIC",
    "ES03-JSD-NOTRI",
    "CT06-KL-ASYM",
    "GAN14-P2",
    "GAN14-ALG1-K",
    "AB17-JSD-FLAT",
    "GTUT16-MODE",
    "GTUT16-LS",
    "GTUT16-GCOST",
    "GTUT16-MLGRAD",
    "FGAN16-CONJ",
    "FGAN16-BOUND",
    "FGAN16-JS-NORM",
    "LSGAN17-DSTAR",
    "LSGAN17-CHI2",
    "HINGE17-DSTAR",
    "HINGE17-TV",
    "WGAN17-W1",
    "WGAN17-KR",
    "WGAN17-EX1",
    "CGAN14-DSTAR",
    "CGAN14-CG",
    "CGAN14-PROJ",
    "CGAN14-TRAIN",
    "CYCLE17-UNDER",
    "CYCLE17-INV",
    "CYCLE17-TRAIN",
    "DCGAN16-DIGITS",
    "DCGAN16-BN",
    "CGAN14-DIGITS",
]


def _source_modules() -> dict[str, object]:
    """The public modules of ``gantheory.claims`` (one per source), by name."""
    names = [m.name for m in pkgutil.iter_modules(gantheory.claims.__path__)]
    return {
        name: importlib.import_module(f"gantheory.claims.{name}")
        for name in names if not name.startswith("_")
    }


def test_registry_order_and_ids_are_unchanged() -> None:
    assert [c.id for c in registry()] == _CATALOGUE_ORDER


def test_each_claim_is_defined_in_the_module_of_its_source() -> None:
    modules = _source_modules()
    for claim in registry():
        prefix = claim.id.split("-")[0]
        module = modules.get(prefix.lower())
        assert module is not None, f"{claim.id}: no module gantheory.claims.{prefix.lower()}"
        assert claim.id in [c.id for c in module.CLAIMS], (  # type: ignore[attr-defined]
            f"{claim.id} is not defined in gantheory.claims.{prefix.lower()}"
        )
    for name, module in modules.items():
        ids = [c.id for c in module.CLAIMS]  # type: ignore[attr-defined]
        assert ids, f"gantheory.claims.{name} defines no claims"
        strays = [i for i in ids if i.split("-")[0].lower() != name]
        assert not strays, f"gantheory.claims.{name} defines claims of other sources: {strays}"


def test_every_source_module_is_in_the_registry() -> None:
    assert {m.__name__ for m in _registry._SOURCES} == {
        m.__name__ for m in _source_modules().values()  # type: ignore[attr-defined]
    }


def test_the_catalogue_order_names_every_claim_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order = _registry._ORDER
    monkeypatch.setattr(_registry, "_ORDER", order[1:])
    with pytest.raises(RuntimeError, match=rf"missing from the catalogue order: \['{order[0]}'\]"):
        _registry._ordered_claims()
    monkeypatch.setattr(_registry, "_ORDER", (*order, "GAN14-NOPE"))
    with pytest.raises(RuntimeError, match=r"names undefined claims: \['GAN14-NOPE'\]"):
        _registry._ordered_claims()
    monkeypatch.setattr(_registry, "_ORDER", (*order, "CT06-GIBBS"))
    with pytest.raises(RuntimeError, match=r"names claims twice: \['CT06-GIBBS'\]"):
        _registry._ordered_claims()
    monkeypatch.setattr(_registry, "_ORDER", order)
    assert [c.id for c in _registry._ordered_claims()] == list(order)


def test_a_claim_defined_twice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    gan14 = _source_modules()["gan14"]
    monkeypatch.setattr(gan14, "CLAIMS", (*gan14.CLAIMS, gan14.CLAIMS[0]))  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match=r"duplicate claim IDs in the registry: \['GAN14-P1'\]"):
        _registry._ordered_claims()
