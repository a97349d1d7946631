"""The ``gantheory`` command line: text and JSON reports, subsets, exit codes."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gantheory.claims import CHECK_KINDS, Check, CheckResult, get_claim, registry
from gantheory.claims import _registry as claims_module
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
    rows = out.splitlines()
    assert [r.split()[0] for r in rows] == [c.id for c in registry()]
    for row, claim in zip(rows, registry()):  # the kinds, as the registry has them
        kinds = sorted({k.kind for k in claim.checks}, key=CHECK_KINDS.index)
        assert row.endswith(f"; checks: {', '.join(kinds)}]"), row


def test_list_reads_the_index_of_kinds_and_not_the_checks() -> None:
    """``gantheory list`` answers from the claims' records and the generated index of check
    kinds, without importing a check (and with it SymPy, Hypothesis, SciPy's distributions)."""
    code = ("import sys; from gantheory.cli import main; main(['list']);"
            " print(sorted(m for m in sys.modules if m.startswith('gantheory.checks')"
            " or m in ('sympy', 'hypothesis', 'scipy.stats')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.splitlines()[-1] == "[]"


def test_the_index_of_kinds_is_the_registrys() -> None:
    from gantheory.catalogue import KINDS_INDEX, kinds_index

    assert KINDS_INDEX.read_text(encoding="utf-8") == kinds_index(), (
        "the index of check kinds is stale: run `python -m gantheory.catalogue docs/claims.md`")


def test_list_falls_back_to_the_registry_when_the_index_is_stale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from gantheory.claims import _kinds

    assert main(["list"]) == 0
    fresh = capsys.readouterr().out
    monkeypatch.setattr(_kinds, "KINDS", {"GAN14-P1": ("symbolic",)})
    assert main(["list"]) == 0
    assert capsys.readouterr().out == fresh


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gantheory", "verify", "--claim", "GAN14-T1", "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["id"] == "GAN14-T1"


# ---------------------------------------------------------------------------------------------
# Live output: each claim's row is printed (and flushed) before the next claim runs
# ---------------------------------------------------------------------------------------------
_STREAM_CHILD = r"""
import sys, time
from pathlib import Path
from gantheory.claims import _registry as cm
from gantheory.claims import Check, CheckResult, get_claim
from gantheory.cli import main

go = Path(sys.argv[1])

def wait_for_parent():
    # Blocks until the parent has read the first claim's row: if the row were not flushed, the
    # parent would never see it and this check would wait until the deadline.
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            return CheckResult(1.0, 0.0, detail="the parent never saw the first row")
        time.sleep(0.02)
    return CheckResult(0.0, 1.0)

cm.registry()
first, second = get_claim("LIN91-JSD-SYM"), get_claim("CT06-GIBBS")
cm._REGISTRY[first.id] = type(first)(**{**first.__dict__, "checks": (
    Check(first.id, "discrete", "instant", lambda: CheckResult(0.0, 1.0)),)})
cm._REGISTRY[second.id] = type(second)(**{**second.__dict__, "checks": (
    Check(second.id, "discrete", "waits for the parent", wait_for_parent),)})
sys.exit(main(["verify", "--claim", first.id, "--claim", second.id]))
"""


def test_verify_prints_each_row_as_soon_as_its_claim_is_done(tmp_path: Path) -> None:
    """The child's stdout is a pipe (block-buffered unless flushed); its second claim's check
    waits until the parent has read the first claim's row from that pipe."""
    go = tmp_path / "go"
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered pipe
    with subprocess.Popen(
        [sys.executable, "-c", _STREAM_CHILD, str(go)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        reader = threading.Thread(target=lambda: [lines.put(s) for s in proc.stdout], daemon=True)
        reader.start()
        try:
            while True:
                line = lines.get(timeout=30)  # queue.Empty (a failure) if the row never comes
                seen.append(line)
                if line.startswith("LIN91-JSD-SYM"):
                    break
            assert not any(s.startswith("CT06-GIBBS") for s in seen)
            go.touch()
            assert proc.wait(timeout=60) == 0, proc.stderr.read()
        finally:
            proc.kill()
        reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert any(s.startswith("CT06-GIBBS") and "pass" in s for s in rest), rest
    assert "2 claims, 2 checks: 2 passed, 0 failed" in "".join(rest)


# ---------------------------------------------------------------------------------------------
# Checks that were not run are reported as not run
# ---------------------------------------------------------------------------------------------
def test_json_marks_checks_that_were_not_run_as_null(capsys: pytest.CaptureFixture[str]) -> None:
    mode = get_claim("GTUT16-MODE")
    assert mode.checks and all(k.slow for k in mode.checks)  # only slow checks
    assert main(["verify", "--json", "--claim", mode.id]) == 0
    data = json.loads(capsys.readouterr().out)
    (claim,) = data["claims"]
    assert claim["passed"] is None and claim["checks_run"] == 0
    assert claim["checks_not_run"] == len(mode.checks)
    assert [c["passed"] for c in claim["checks"]] == [None] * len(mode.checks)
    assert all(c["slow"] and c["residual"] is None for c in claim["checks"])
    assert data["passed"] is None and data["complete"] is False  # nothing verified
    assert (data["checks_run"], data["checks_failed"], data["checks_not_run"]) == (
        0, 0, len(mode.checks))


def test_json_partly_run_claim(capsys: pytest.CaptureFixture[str]) -> None:
    """A claim with fast and slow checks, run without --slow: the fast ones pass, the slow ones
    are listed with ``"passed": null``; the claim and the run are true but not complete."""
    claim = get_claim("GAN14-ALG1-K")
    fast = [k for k in claim.checks if not k.slow]
    slow = [k for k in claim.checks if k.slow]
    assert fast and slow
    assert main(["verify", "--json", "--claim", claim.id]) == 0
    data = json.loads(capsys.readouterr().out)
    (out,) = data["claims"]
    by_name = {c["name"]: c["passed"] for c in out["checks"]}
    assert by_name == {**{k.name: True for k in fast}, **{k.name: None for k in slow}}
    assert out["passed"] is True and out["checks_not_run"] == len(slow)
    assert data["passed"] is True and data["complete"] is False


def test_text_marks_slow_checks_that_were_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "-v", "--claim", "GTUT16-MODE"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("GTUT16-MODE"))
    assert row.split()[-7:] == ["skip", "not", "run:", "slow", "checks", "only", "(--slow)"]
    assert "    skip [empirical] " in out and "not run (--slow runs it)" in out
    assert "0 checks: 0 passed, 0 failed, 1 not run" in out


# ---------------------------------------------------------------------------------------------
# Claim IDs are case-insensitive
# ---------------------------------------------------------------------------------------------
def test_claim_ids_are_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    assert get_claim("gan14-t1").id == "GAN14-T1"
    assert get_claim(" Lin91-Jsd-Sym ").id == "LIN91-JSD-SYM"
    assert main(["verify", "--claim", "lin91-jsd-sym", "--claim", "LIN91-jsd-SYM"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("LIN91-JSD-SYM")]
    assert len(rows) == 1 and "verifying 1 claims" in out  # the same claim, run once


def test_unknown_claim_lists_valid_ids_and_the_closest(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["verify", "--claim", "gan14-t2"]) == 2
    err = capsys.readouterr().err
    assert "unknown claim ID 'gan14-t2' (did you mean GAN14-T1" in err
    known = err.split("known IDs: ", 1)[1].strip().split(", ")
    assert known == [c.id for c in registry()]
    with pytest.raises(TypeError, match="`claim_id` must be a str"):
        get_claim(14)  # type: ignore[arg-type]


def test_verify_runs_only_the_kinds_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--json", "--kind", "symbolic", "--claim", "GAN14-P1",
                 "--claim", "LIN91-JSD-SYM"]) == 0
    report = json.loads(capsys.readouterr().out)
    kinds = {c["kind"] for claim in report["claims"] for c in claim["checks"]}
    assert kinds == {"symbolic"}
    assert [c["id"] for c in report["claims"]] == ["GAN14-P1"]  # LIN91-JSD-SYM has none
    assert main(["verify", "--kind", "empirical", "--claim", "CT06-GIBBS"]) == 2
    assert "no check of the kinds asked for" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Checks whose optional extra is missing are not run, and say which extra runs them
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def no_images_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the ``images`` extra is not installed (its module cannot be found)."""
    from gantheory import _extras

    monkeypatch.setitem(_extras.EXTRAS, "images", "gantheory_no_such_module")


def test_a_check_without_its_extra_is_not_run_and_names_the_extra(
    no_images_extra: None, capsys: pytest.CaptureFixture[str],
) -> None:
    claim = get_claim("DCGAN16-BN")
    assert claim.checks and all(k.requires == ("images",) for k in claim.checks)
    assert main(["verify", "--slow", "-v", "--claim", claim.id]) == 0  # nothing trained
    out = capsys.readouterr().out
    hint = 'needs the images extra (pip install "gantheory[images]")'
    row = next(line for line in out.splitlines() if line.startswith(claim.id))
    assert row.endswith(f"not run: {hint}")
    assert f"skip [empirical] {claim.checks[0].name}: not run: {hint}" in out
    assert f"0 checks: 0 passed, 0 failed, 1 not run ({hint})" in out


def test_json_says_why_a_check_was_not_run(
    no_images_extra: None, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["verify", "--json", "--claim", "DCGAN16-BN", "--claim", "GTUT16-MODE"]) == 0
    data = json.loads(capsys.readouterr().out)
    reasons = {c["id"]: c["checks"][0]["not_run"] for c in data["claims"]}
    assert reasons == {"DCGAN16-BN": 'not run: needs the images extra (pip install'
                       ' "gantheory[images]")', "GTUT16-MODE": "slow, not run (--slow runs it)"}
    assert data["complete"] is False and data["checks_run"] == 0


def test_a_check_naming_an_unknown_extra_is_refused() -> None:
    with pytest.raises(ValueError, match=r"`name` must be one of \['images'\] \(got 'videos'\)"):
        claims_module.check("GAN14-P1", "discrete", requires=("videos",))
