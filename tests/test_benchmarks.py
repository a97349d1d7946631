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
    breakdown = result["kernel_us_per_step"]
    assert list(breakdown["by_kind"]) == [*bench.KERNEL_KINDS, "total"]
    tanh_kernel = result["machine"]["tanh_kernel"]
    assert set(breakdown["by_function"]) >= {"matmul", f"_tanh_{tanh_kernel}"}
    assert isinstance(result["machine"]["avx512"], bool) and result["machine"]["cpu_model"]


def test_gan_step_benchmark_runs_every_tanh_kernel(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("bench_gan_step")
    args = ["--hidden", "8", "--batch", "16", "--steps", "3", "--warmup", "1", "--repeats", "1",
            "--no-torch", "--kernels", "0", "--all-tanh-kernels", "--tanh-kernel", "expm1"]
    try:
        result = bench.main(args)
    finally:
        bench.gnn.layers.set_tanh_kernel(None)  # leave the process-wide choice unforced
    assert result["machine"]["tanh_kernel"] == "expm1" and "kernel_us_per_step" not in result
    assert set(result["numpy_steps_per_s_by_tanh_kernel"]) == {"numpy", "expm1"}
    assert result["speedup_over_np_tanh_by_tanh_kernel"]["numpy"] == 1.0


def test_gan_step_benchmark_runs_in_float32(capsys: pytest.CaptureFixture[str]) -> None:
    """``--float32`` adds the float32 iteration (its networks really in float32) and its
    paired speed-up over the float64 one."""
    bench = _load("bench_gan_step")
    gan = bench.NumpyGAN(8, 16, 0, dtype=np.float32)
    gan.step()
    assert gan.G.flat_params.dtype == gan.D.flat_params.dtype == np.float32
    result = bench.main(["--hidden", "8", "--batch", "16", "--steps", "3", "--warmup", "1",
                         "--repeats", "2", "--no-torch", "--kernels", "0", "--float32"])
    assert result["numpy_float32_steps_per_s"] > 0
    assert result["float32_speedup_over_float64"] > 0


def test_activation_kernel_and_tanh_accuracy_scripts_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    timed = _load("bench_activation_kernels").main(
        ["--size", "64", "--rounds", "1", "--calls", "1"]
    )
    assert {"tanh kernel numpy", "tanh kernel expm1", "scipy.special.expit"} <= set(
        timed["us_per_call"]
    )
    accuracy = _load("tanh_accuracy").main(["--grid", "41", "--random", "200"])
    for kernel, row in accuracy["kernels"].items():
        assert row["special values exact"], kernel
        assert row["grid [-20, 20]"]["max"] <= row["stated_bound_ulps"], kernel


def test_kernel_floor_mirrors_one_iteration() -> None:
    """The floor issues the iteration's kernels: 4 MLP passes forward, 3 backward, 2 Adams."""
    bench = _load("bench_gan_step")
    ops = bench.kernel_floor(8, 16, seed=0)
    names = [getattr(op.func, "__name__", "") for op in ops]
    # forward: 3 products per MLP pass x 4 passes; backward: D (3 weight + 1 input), D (2
    # input), G (3 weight + 1 input) products besides the rank-1 ger of each output layer
    assert names.count("matmul") == 4 * 3 + 4 + 2 + 4
    assert [op.kind for op in ops].count("tanh_forward") == 4 * 2
    assert {op.kind for op in ops} == set(bench.KERNEL_KINDS)
    assert names.count("sqrt") == 2  # one per Adam update
    for op in ops:
        op()
    # the last Adam update wrote finite parameters
    assert np.isfinite(ops[-1].args[0]).all()
