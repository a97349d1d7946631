"""The DCGAN layer benchmark script runs (a tiny configuration; nothing is timed or compared)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dcgan_layers.py"


def _load() -> object:
    spec = importlib.util.spec_from_file_location("bench_dcgan_layers", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_and_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load()
    result = bench.main(["--batch", "4", "--width", "8", "--passes", "2", "--repeats", "1",
                         "--no-torch"])
    assert json.loads(capsys.readouterr().out.strip()) == result
    assert result["G_forward_backward_us"] > 0 and result["D_forward_backward_us"] > 0
    assert result["torch"] == "not installed"


def test_the_reference_models_have_the_documented_shapes() -> None:
    bench = _load()
    G, D = bench.make_models(16, 128, np.random.default_rng(0))
    images = G.forward(np.zeros((3, 16)))
    assert images.shape == (3, 1, 8, 8)
    assert D.forward(images).shape == (3, 1)
    assert (G.n_params, D.n_params) == (140_673, 132_929)
