"""The benchmark scripts run (tiny configurations; nothing is timed or compared here).

Speed is measured by running the scripts by hand (``benchmarks/README.md``), never in tests;
these tests only keep the scripts working from a fresh clone.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gan_step_benchmark_runs_and_prints_one_json_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load("bench_gan_step")
    args = ["--hidden", "8", "--batch", "16", "--steps", "3", "--warmup", "1", "--repeats", "1",
            "--no-torch", "--kernels", "2", "--timer", "cpu"]
    result = bench.main(args)
    printed = json.loads(capsys.readouterr().out.strip())
    assert printed == result
    assert result["config"]["hidden"] == 8 and result["numpy_steps_per_s"] > 0
    assert result["kernel_floor_steps_per_s"] > 0 and result["torch"] == "not installed"
    assert set(result["kernel_us_per_step"]) >= {"matmul", "tanh"}


def test_kernel_floor_mirrors_one_iteration() -> None:
    """The floor issues the iteration's kernels: 4 MLP passes forward, 3 backward, 2 Adams."""
    bench = _load("bench_gan_step")
    ops = bench.kernel_floor(8, 16, seed=0)
    names = [getattr(op.func, "__name__", "") for op in ops]
    # forward: 3 products per MLP pass x 4 passes; backward: D (3 weight + 1 input), D (2
    # input), G (3 weight + 1 input) products besides the rank-1 ger of each output layer
    assert names.count("matmul") == 4 * 3 + 4 + 2 + 4
    assert names.count("tanh") == 4 * 2
    assert names.count("sqrt") == 2  # one per Adam update
    for op in ops:
        op()
    # the last Adam update wrote finite parameters
    assert np.isfinite(ops[-1].args[0]).all()
