"""Margins of the trained checks of the other GAN objectives, over seeds the tests do not use.

    python tools/objective_margins.py                   # seeds 100-119, 2 processes
    python tools/objective_margins.py --seeds 100:110 --jobs 1 --out build/objectives.jsonl
    python tools/objective_margins.py --summary         # the table, from the .jsonl

For each objective of :data:`gantheory.checks.objectives_empirical.OBJECTIVES_TRAINED` and each
seed: E1 (a discriminator trained against the fixed affine generator N(1, 1.5^2) of N(0, 1) data,
measured against that objective's D* on the central 99% of the mixture: the supremum of the
error, its mixture-weighted mean and the value gap max V - V(G, D_theta)) and E2 (a full GAN
trained on N(1, 0.5^2) with that objective: the JSD of the exact push-forward). Results are
appended to ``docs/data/objective_margins.jsonl`` (one line per task; an interrupted run
resumes).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gantheory.checks import objectives_empirical as oe  # noqa: E402

OUT = ROOT / "docs" / "data" / "objective_margins.jsonl"


def _task(args: tuple[str, str, int]) -> dict[str, object]:
    name, kind, seed = args
    t0 = time.perf_counter()
    if kind.startswith("WGAN"):
        r = oe.wgan_critic_run(seed, float(kind[4:]))
        out = {"ratio": r.ratio, "w1": r.w1, "lipschitz": r.lipschitz,
               "err": r.estimate_abserr / r.lipschitz + r.w1_abserr}
    elif kind == "E1":
        r = oe.e1_run(name, seed)
        out = {"sup": r.sup_error, "mean": oe.weighted_error(r), "gap": r.gap,
               "gap_err": r.value_abserr + r.c_g_abserr}
    else:
        run = oe.e2_run(name, seed)
        out = {"jsd": run.jsd, "jsd_err": run.jsd_abserr}
    return {"objective": name, "kind": kind, "seed": seed, **out,
            "seconds": time.perf_counter() - t0}


def _done(path: Path) -> set[tuple[str, str, int]]:
    if not path.exists():
        return set()
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {(r["objective"], r["kind"], r["seed"]) for r in rows}


def summary(path: Path) -> str:
    """The worst value of each measure over the seeds, next to the check's bound."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    lines = ["| objective | measure | seeds | worst | bound | passing |",
             "|---|---|---|---|---|---|"]
    for name in oe.OBJECTIVES_TRAINED:
        for kind, key in (("E1", "sup"), ("E1", "mean"), ("E1", "gap"), ("E2", "jsd")):
            vals = [r[key] for r in rows if r["objective"] == name and r["kind"] == kind]
            bound = oe.BOUNDS[name].get(key)
            if not vals:
                continue
            ok = sum(v <= bound for v in vals) if bound is not None else len(vals)
            shown = "—" if bound is None else f"{bound:g}"
            lines.append(f"| {name} | {key} | {len(vals)} | {max(vals):.3g} | {shown} |"
                         f" {ok}/{len(vals)} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="100:120")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args()
    if a.summary:
        print(summary(a.out))
        return
    lo, hi = (int(v) for v in a.seeds.split(":"))
    done = _done(a.out)
    tasks = [(n, k, s) for s in range(lo, hi) for n in oe.OBJECTIVES_TRAINED for k in ("E1", "E2")]
    tasks += [("wasserstein", f"WGAN{scale}", s) for s in range(lo, hi) for scale in (1.0, 1.5)]
    tasks = [t for t in tasks if t not in done]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(a.jobs) as pool, a.out.open("a") as fh:
        for row in pool.map(_task, tasks):
            fh.write(json.dumps({k: (None if isinstance(v, float) and math.isnan(v) else v)
                                 for k, v in row.items()}) + "\n")
            fh.flush()
            print(row, flush=True)


if __name__ == "__main__":
    main()
