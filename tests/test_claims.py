"""Every registered check of every claim is a test; plus the registry's own invariants."""

from __future__ import annotations

import os
import re

import pytest

from gantheory._extras import missing_extras
from gantheory.claims import CHECK_KINDS, CheckResult, get_claim, registry, run_check

_CHECKS = [
    pytest.param(
        claim.id, i, id=f"{claim.id}[{chk.kind}:{chk.name}]",
        # one group per claim: with --dist loadgroup its checks share a worker, and so the
        # training runs they share (the checks cache them)
        marks=[pytest.mark.xdist_group(claim.id)] + ([pytest.mark.slow] if chk.slow else []),
    )
    for claim in registry()
    for i, chk in enumerate(claim.checks)
]


@pytest.mark.parametrize(("claim_id", "index"), _CHECKS)
def test_check(claim_id: str, index: int) -> None:
    chk = get_claim(claim_id).checks[index]
    missing = missing_extras(chk.requires)
    if missing:
        if "images" in missing and os.environ.get("GANTHEORY_REQUIRE_IMAGES"):
            pytest.fail(f"{claim_id} {chk.name}: the images extra is required and missing")
        pytest.skip(f"needs the {', '.join(missing)} extra")
    run = run_check(chk)
    assert run.error is None, run.error
    res = run.result
    assert res is not None and res.cases > 0
    op = "<=" if res.relation == "<=" else ">="
    assert run.passed, (
        f"{claim_id} [{chk.kind}] {chk.name}: residual {res.residual!r} {op} tolerance "
        f"{res.tolerance!r} does not hold; {res.detail}"
    )
    if get_claim(claim_id).negative:
        assert res.counterexample, "a negative claim must print its counterexample"
    # the detail is one line of the report (a worst case's arrays included)
    assert "\n" not in res.detail, f"{claim_id} {chk.name}: detail spans lines: {res.detail!r}"


def test_ids_are_stable_and_well_formed() -> None:
    ids = [c.id for c in registry()]
    assert len(ids) == len(set(ids))
    for i in ids:
        assert re.fullmatch(r"[A-Z]+[0-9]{2}-[A-Z0-9]+(-[A-Z0-9]+)*", i), i
    # IDs cited in coursework must never disappear
    for required in ("GAN14-P1", "GAN14-T1", "CT06-GIBBS", "LIN91-JSD-BOUNDS", "LIN91-JSD-SYM"):
        assert required in ids


def test_every_claim_has_checks_with_known_kinds_and_documentation() -> None:
    for claim in registry():
        assert claim.checks, f"{claim.id} has no checks"
        assert claim.statement and claim.source and claim.reference
        for chk in claim.checks:
            assert chk.kind in CHECK_KINDS
            assert chk.doc, f"{claim.id}: check {chk.name} has no docstring"


def test_required_kinds_of_the_foundation_claims() -> None:
    for cid in ("GAN14-P1", "GAN14-T1", "CT06-GIBBS", "LIN91-JSD-BOUNDS", "LIN91-JSD-SYM"):
        kinds = {k.kind for k in get_claim(cid).checks}
        assert {"discrete", "continuous"} <= kinds, cid


def test_unknown_claim_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known IDs: GAN14-P1"):
        get_claim("NOPE-1")


def test_check_result_pass_logic() -> None:
    assert CheckResult(1e-16, 1e-15).passed
    assert not CheckResult(1e-14, 1e-15).passed
    assert not CheckResult(float("nan"), 1.0).passed
    assert CheckResult(0.5, 1e-12, relation=">=").passed
    assert not CheckResult(0.0, 1e-12, relation=">=").passed


def test_a_raising_check_is_reported_not_raised() -> None:
    from gantheory.claims import Check

    def boom() -> CheckResult:
        raise ArithmeticError("no convergence")

    run = run_check(Check("GAN14-P1", "discrete", "boom", boom))
    assert not run.passed and run.error == "ArithmeticError: no convergence"
