"""Measure the DCGAN on the real digits over seeds no test uses, for the margins of its tests.

    python tools/dcgan_margins.py --seeds 100:110 --variants full,conditional --jobs 2
    python tools/dcgan_margins.py --summary        # the table, from the .jsonl

Each task trains one DCGAN (``DCGAN_CONFIG``: 3000 iterations, m = 64, Adam 2e-4 with
beta1 = 1/2, noise dimension 32, width 32) on the training split of the digits (70 %, split
seed 0) and measures 1,000 samples with the referee (fitted to the training split, seed 0):
the Frechet distance of its features to the training split's, next to the held-out split's
(the noise floor) and the untrained generator's (the ceiling); the class coverage; for the
conditional DCGAN the accuracy of 100 samples asked for each digit. Variants: ``full`` (every
rule), ``conditional``, and the ablations ``no-batch-norm``, ``pooling`` (stride-1 convolutions
with average pooling and upsampling in place of the strides), ``relu-d`` (ReLU in D).
Results are appended to ``build/dcgan_margins.jsonl`` (one line per task; tasks already there
are skipped). Needs the ``images`` extra. One BLAS thread per process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ["OPENBLAS_NUM_THREADS"] = "1"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "build" / "dcgan_margins.jsonl"
VARIANTS = ("full", "conditional", "no-batch-norm", "pooling", "relu-d")


def run(variant: str, seed: int) -> dict:
    import numpy as np

    from gantheory.dcgan import DCGAN, DCGAN_CONFIG, DCGANRules, evaluate
    from gantheory.digits import Referee, load_digits
    from gantheory.gan import TrainingDivergedError

    digits = load_digits()
    train, test = digits.split(0.3, rng=np.random.default_rng(0))
    referee = Referee(train, seed=0)
    rules = {"no-batch-norm": DCGANRules(batch_norm=False), "pooling": DCGANRules(strided=False),
             "relu-d": DCGANRules(leaky_d=False)}.get(variant, DCGANRules())
    gan = DCGAN(train, config=DCGAN_CONFIG, rng=np.random.default_rng(seed),
                conditional=variant == "conditional", rules=rules)
    ceiling = referee.frechet(gan.sample(1000, rng=np.random.default_rng(seed + 1)), train.images)
    start = time.perf_counter()
    row = {"variant": variant, "seed": seed, "floor": referee.frechet(test.images, train.images),
           "ceiling": ceiling}
    try:
        gan.train()
    except TrainingDivergedError as exc:
        return {**row, "diverged": str(exc), "seconds": time.perf_counter() - start}
    row["seconds"] = time.perf_counter() - start
    got = evaluate(gan, referee, train, rng=np.random.default_rng(seed + 2))
    row.update(fd=got.frechet, classes=got.coverage.classes_present,
               max_deviation=got.coverage.max_deviation, counts=got.coverage.counts.tolist())
    if got.accuracy is not None:
        row["accuracy"] = got.accuracy
    return row


def _rows(path: Path) -> list[dict]:
    return [json.loads(s) for s in path.read_text().splitlines() if s.strip()] if path.exists() \
        else []


def summary(rows: list[dict]) -> str:
    lines = ["| variant | runs | diverged | FD median (worst) | floor | ceiling | classes (min) |"
             " max deviation median (worst) | accuracy median (worst) | seconds |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for v in VARIANTS:
        rs = [r for r in rows if r["variant"] == v]
        if not rs:
            continue
        ok = [r for r in rs if "diverged" not in r]

        def med(key: str, worst: object = max, rows: list = ok) -> str:
            vals = [r[key] for r in rows if key in r]
            return f"{statistics.median(vals):.3g} ({worst(vals):.3g})" if vals else "-"
        lines.append(
            f"| {v} | {len(rs)} | {len(rs) - len(ok)} | {med('fd')} | {med('floor')} |"
            f" {med('ceiling', min, rs)} | {min((r['classes'] for r in ok), default='-')} |"
            f" {med('max_deviation')} | {med('accuracy', min)} | {med('seconds')} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="100:110")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args()
    if a.summary:
        print(summary(_rows(a.out)))
        return
    lo, hi = (int(v) for v in a.seeds.split(":"))
    done = {(r["variant"], r["seed"]) for r in _rows(a.out)}
    tasks = [(v, s) for s in range(lo, hi) for v in a.variants.split(",") if (v, s) not in done]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(a.jobs) as pool, a.out.open("a") as f:
        for row in pool.map(run, *zip(*tasks)):
            f.write(json.dumps(row) + "\n")
            f.flush()
            print(row["variant"], row["seed"], {k: row.get(k) for k in ("fd", "classes",
                                                                          "accuracy", "seconds")})


if __name__ == "__main__":
    main()
