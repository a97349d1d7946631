"""Time of float64 tanh and sigmoid formulations on 16,384 values, on the NumPy loops in use.

Compares ``np.tanh`` with the tanh kernels of gantheory.nn and with the ufuncs they build on
(``np.expm1``, ``np.exp``), the formula ``1 - 2/(exp(2x) + 1)`` (fast but inaccurate in
relative terms near 0, not offered), ``scipy.special.expit`` and an ``exp``-based sigmoid
(``e = exp(-|x|)``, then ``1/(1 + e)`` or ``e/(1 + e)`` by sign). Every formulation writes into
preallocated arrays. Process CPU time, the median over alternating rounds (so a burst of load
hits all alike), in µs per call.

Usage::

    python benchmarks/bench_activation_kernels.py
    NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL" python benchmarks/bench_activation_kernels.py

Prints one JSON line, with NumPy's CPU target of each float64 loop.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from scipy.special import expit

try:
    from gantheory.nn import _kernels
except ImportError:  # a fresh clone, not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from gantheory.nn import _kernels


def formulations(x: np.ndarray) -> dict:
    out, s = np.empty_like(x), np.empty_like(x)
    mask = np.empty(x.shape, dtype=bool)

    def naive_tanh() -> None:
        np.multiply(x, 2.0, out=out)
        np.exp(out, out=out)
        np.add(out, 1.0, out=out)
        np.divide(2.0, out, out=out)
        np.subtract(1.0, out, out=out)

    def exp_sigmoid() -> None:
        np.greater_equal(x, 0.0, out=mask)
        np.abs(x, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)  # e = exp(−|x|) ≤ 1
        np.add(out, 1.0, out=s)
        np.divide(out, s, out=out)  # e / (1 + e)
        np.subtract(1.0, out, out=out, where=mask)  # 1 / (1 + e) for x ≥ 0

    found = {f"tanh kernel {k}": (lambda k=k: _kernels.tanh(x, out, kernel=k))
             for k in _kernels.TANH_KERNELS}
    found |= {
        "np.expm1": lambda: np.expm1(x, out=out),
        "np.exp": lambda: np.exp(x, out=out),
        "1 - 2/(exp(2x) + 1)": naive_tanh,
        "scipy.special.expit": lambda: expit(x, out=out),
        "sigmoid through exp(-|x|)": exp_sigmoid,
    }
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=16384)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=100, help="calls per timing")
    args = parser.parse_args(argv)
    x = np.random.default_rng(0).standard_normal(args.size) * 2.0
    funcs = formulations(x)
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(args.rounds):
        for name, func in funcs.items():
            start = time.process_time()
            for _ in range(args.calls):
                func()
            times[name].append((time.process_time() - start) / args.calls * 1e6)
    try:
        from numpy.lib.introspect import opt_func_info
    except ImportError:
        targets = {}
    else:
        targets = {
            name: next(iter(opt_func_info(func_name=f"^{name}$", signature="float64")
                            .get(name, {}).values()), {}).get("current", "?")
            for name in ("tanh", "exp", "expm1", "multiply", "divide")
        }
    result = {
        "benchmark": "activation_kernels",
        "size": args.size,
        "numpy_version": np.__version__,
        "NPY_DISABLE_CPU_FEATURES": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""),
        "float64_loop_targets": targets,
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "us_per_call": {k: round(statistics.median(v), 1) for k, v in times.items()},
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
