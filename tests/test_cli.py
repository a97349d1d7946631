"""The ``gantheory`` command line: text and JSON reports, subsets, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gantheory import claims as claims_module
from gantheory.claims import Check, CheckResult, get_claim
from gantheory.cli import main


def test_verify_subset_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--claim", "LIN91-JSD-SYM", "--claim", "CT06-GIBBS"]) == 0
    out = capsys.readouterr().out
    assert "LIN91-JSD-SYM" in out and "CT06-GIBBS" in out and "GAN14-T1" not in out
    assert "2 claims" in out and "0 failed" in out
    row = next(line for line in out.splitlines() if line.startswith("CT06-GIBBS"))
    assert "pass" in row and "<=" in row


def test_verify_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--json", "--claim", "LIN91-JSD-SYM"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["passed"] is True
    (claim,) = data["claims"]
    assert {"id", "title", "source", "checks"} <= claim.keys()
    assert claim["id"] == "LIN91-JSD-SYM"
    kinds = {c["kind"] for c in claim["checks"]}
    assert {"discrete", "continuous"} <= kinds
    for c in claim["checks"]:
        assert {"kind", "passed", "residual", "tolerance"} <= c.keys()
        assert c["residual"] <= c["tolerance"]


def test_verify_fails_with_nonzero_exit_on_a_failing_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = get_claim("LIN91-JSD-SYM")
    bad = Check(claim.id, "discrete", "always fails", lambda: CheckResult(1.0, 0.0), doc="x")
    broken = type(claim)(**{**claim.__dict__, "checks": (*claim.checks, bad)})
    monkeypatch.setitem(claims_module._REGISTRY, claim.id, broken)  # type: ignore[index]
    assert main(["verify", "--claim", claim.id]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "always fails" in out and "1 failed" in out
    assert main(["verify", "--json", "--claim", claim.id]) == 1
    assert json.loads(capsys.readouterr().out)["passed"] is False


def test_unknown_claim_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--claim", "NOPE-1"]) == 2
    assert "unknown claim ID 'NOPE-1'" in capsys.readouterr().err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "GAN14-P1" in out and "Proposition 1" in out


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gantheory", "verify", "--claim", "GAN14-T1", "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["id"] == "GAN14-T1"
