"""Running the checks in worker processes (``gantheory verify --jobs``), and the one BLAS thread
of every training run and check, whatever the environment sets."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats
from threadpoolctl import threadpool_info, threadpool_limits

from gantheory.claims import (
    Check,
    CheckResult,
    Claim,
    get_claim,
    iter_claims,
    resolve_jobs,
    run_check,
)
from gantheory.cli import main
from gantheory.gan import GAN, GANConfig

#: Two cheap claims with several kinds of check each.
CHEAP = ["LIN91-JSD-SYM", "CT06-GIBBS", "GAN14-T1"]


def _blas_threads() -> int:
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def _strip_seconds(report: dict) -> dict:
    report.pop("seconds")
    for claim in report["claims"]:
        for chk in claim["checks"]:
            chk.pop("seconds", None)
    return report


def test_a_check_runs_with_one_blas_thread_and_the_limit_is_lifted_after() -> None:
    seen = []

    def probe() -> CheckResult:
        seen.append(_blas_threads())
        return CheckResult(residual=0.0, tolerance=1.0)

    with threadpool_limits(limits=2, user_api="blas"):
        run = run_check(Check("X-1", "discrete", "probe", probe))
        after = _blas_threads()
    assert run.passed and seen == [1]
    assert after == 2


def test_training_runs_with_one_blas_thread() -> None:
    gan = GAN(stats.norm(0, 1), config=GANConfig(steps=4, log_every=2),
              rng=np.random.default_rng(0))
    with threadpool_limits(limits=2, user_api="blas"):
        gan.train(monitors={"threads": lambda g: float(_blas_threads())})
        after = _blas_threads()
    threads = list(gan.history["threads"])
    assert len(threads) >= 2 and set(threads) == {1.0}
    assert after == 2


def _verify_json(*extra: str) -> dict:
    """``gantheory verify --json`` of the cheap claims in a fresh process, as a user runs it."""
    args = [a for cid in CHEAP for a in ("--claim", cid)]
    out = subprocess.run([sys.executable, "-m", "gantheory", "verify", "--json", *args, *extra],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    return _strip_seconds(json.loads(out))


def test_jobs_give_the_results_of_one_process_in_the_same_order() -> None:
    one, two = _verify_json(), _verify_json("--jobs", "2")
    assert [c["id"] for c in two["claims"]] == CHEAP
    assert one == two
    assert one["passed"] and one["checks_run"] >= 6


def test_a_claim_outside_the_registry_runs_in_this_process() -> None:
    def local() -> CheckResult:  # a closure: a worker process could not find it
        return CheckResult(residual=0.5, tolerance=1.0, cases=1)

    mine = Claim("MINE00-X", "t", "s", "src", "ref", checks=(Check("MINE00-X", "discrete",
                                                                    "local", local),))
    out = list(iter_claims([get_claim("LIN91-JSD-SYM"), mine], jobs=2))
    assert [c.id for c, _ in out] == ["LIN91-JSD-SYM", "MINE00-X"]
    assert all(r.passed for _, runs in out for r in runs)
    assert out[1][1][0].result.residual == 0.5


def test_resolve_jobs() -> None:
    assert resolve_jobs(3) == 3
    assert resolve_jobs(0) >= 1
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(ValueError, match="`jobs`"):
            resolve_jobs(bad)  # type: ignore[arg-type]


def test_bad_jobs_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["verify", "--jobs", "-2"])
    assert exc.value.code == 2
    assert "non-negative integer" in capsys.readouterr().err
