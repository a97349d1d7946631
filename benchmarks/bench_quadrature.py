"""Accuracy and cost of gantheory's quadrature on the hard continuous cases.

For each case of ``tests/test_quadrature.py`` (far peaks, narrow vs wide, Cauchy, far mixture,
overlapping and disjoint uniforms, the arcsine law, Laplace vs t3) and each functional, prints
one JSON line: gantheory's value, its reported error bound, the actual error against mpmath at
30 digits, the number of integrand evaluations and the wall time (the first call of a pair; later
calls reuse the log-density memo).

    python benchmarks/bench_quadrature.py            # needs the `test` extra (mpmath, pytest)
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import reference as ref
from test_quadrature import FUNCS, HARD


def main() -> None:
    worst = 0.0
    for case, (p, q, mp_p, mp_q, points) in HARD.items():
        for name, func in FUNCS.items():
            t0 = time.perf_counter()
            est = func(p, q, full_output=True)
            seconds = time.perf_counter() - t0
            if math.isinf(est.value):
                err = 0.0
            else:
                want, _ = ref.integrate(name, mp_p, mp_q, points)
                err = abs(est.value - float(want))
            worst = max(worst, err)
            print(json.dumps({
                "case": case, "functional": name, "value": est.value, "abserr": est.abserr,
                "actual_error": err, "neval": est.neval, "seconds": round(seconds, 4),
            }))
    print(json.dumps({"worst_actual_error": worst}))


if __name__ == "__main__":
    main()
