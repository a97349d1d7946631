"""Accuracy, in float64 ulps, of each tanh kernel of gantheory.nn against mpmath.

The reference is mpmath's tanh at 200 bits, rounded to a float64 pair ``hi + lo``; the error of
a result ``y`` is ``|(y − hi) − lo| / ulp(hi)`` (``y − hi`` is exact when ``y`` is within a
factor 2 of ``hi``). Samples: a dense grid of [-20, 20]; uniform random values on [-20, 20];
log-uniform magnitudes in [1e-300, 1e-8] of both signs; random subnormals; and the special
values ±0, ±inf, nan, which must come out exactly.

Usage::

    python benchmarks/tanh_accuracy.py               # 400,001 grid points, 200,000 random
    python benchmarks/tanh_accuracy.py --grid 20001 --random 20000

Prints one JSON line: per kernel and sample, the max and median ulp error, and the CPU target
of NumPy's float64 tanh and expm1 loops.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import mpmath
import numpy as np

try:
    from gantheory.nn import _kernels
except ImportError:  # a fresh clone, not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from gantheory.nn import _kernels


def reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """tanh(x) at 200 bits as float64 ``hi`` and ``lo`` with ``hi + lo`` ≈ tanh(x)."""
    hi, lo = np.empty_like(x), np.empty_like(x)
    with mpmath.workprec(200):
        for i, v in enumerate(x.tolist()):
            t = mpmath.tanh(mpmath.mpf(v))
            hi[i] = float(t)
            lo[i] = float(t - mpmath.mpf(hi[i]))
    return hi, lo


def ulp_errors(y: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """|y − tanh x| in ulps of the correctly rounded tanh x."""
    return np.abs((y - hi) - lo) / np.spacing(np.abs(hi))


def samples(grid: int, n_random: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    tiny = 10.0 ** rng.uniform(-300, -8, n_random // 10) * rng.choice([-1.0, 1.0], n_random // 10)
    subnormal = rng.uniform(-1.0, 1.0, n_random // 100) * np.finfo(np.float64).smallest_normal
    return {
        "grid [-20, 20]": np.linspace(-20.0, 20.0, grid),
        "random [-20, 20]": rng.uniform(-20.0, 20.0, n_random),
        "tiny 1e-300..1e-8": tiny,
        "subnormal": subnormal,
    }


def cpu_targets() -> dict[str, str]:
    """NumPy's dispatched CPU target of the float64 loops of tanh and expm1 (NumPy ≥ 2.1)."""
    try:
        from numpy.lib.introspect import opt_func_info
    except ImportError:
        return {}
    found = {}
    for name in ("tanh", "expm1"):
        info = opt_func_info(func_name=f"^{name}$", signature="float64")
        found[name] = info.get(name, {}).get("dd", {}).get("current", "?")
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", type=int, default=400001, help="points of the dense grid")
    parser.add_argument("--random", type=int, default=200000, help="random points on [-20, 20]")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sets = samples(args.grid, args.random, np.random.default_rng(args.seed))
    refs = {name: reference(x) for name, x in sets.items()}
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])
    expected = np.array([0.0, -0.0, 1.0, -1.0, np.nan])
    result: dict = {"benchmark": "tanh_accuracy", "numpy_version": np.__version__,
                    "numpy_loop_targets": cpu_targets(), "kernels": {}}
    for kernel in _kernels.TANH_KERNELS:
        row = {"stated_bound_ulps": _kernels.TANH_ULP_BOUNDS[kernel]}
        for name, x in sets.items():
            err = ulp_errors(_kernels.tanh(x, kernel=kernel), *refs[name])
            row[name] = {
                "max": round(float(err.max()), 3), "median": round(float(np.median(err)), 3)
            }
        y = _kernels.tanh(special, kernel=kernel)
        row["special values exact"] = bool(
            np.array_equal(y, expected, equal_nan=True)
            and np.array_equal(np.signbit(y), np.signbit(expected))
        )
        result["kernels"][kernel] = row
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
