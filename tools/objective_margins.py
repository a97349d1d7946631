"""Margins of the trained checks of the other GAN objectives, over seeds the tests do not use.

    python tools/objective_margins.py                   # seeds 100-119, 2 processes
    python tools/objective_margins.py --seeds 100:110 --jobs 1 --out build/objectives.jsonl
    python tools/objective_margins.py --summary         # the table, from the .jsonl
    python tools/objective_margins.py --render docs/objective_margins.md
    python tools/objective_margins.py --dtype float32   # the same runs, trained in float32

For each objective of :data:`gantheory.checks.objectives_empirical.OBJECTIVES_TRAINED` and each
seed: E1 (a discriminator trained against the fixed affine generator N(1, 1.5^2) of N(0, 1) data,
measured against that objective's D* on the central 99% of the mixture: the supremum of the
error, its mixture-weighted mean and the value gap max V - V(G, D_theta)) and E2 (a full GAN
trained on N(1, 0.5^2) with that objective: the JSD of the exact push-forward). Results are
appended to ``docs/data/objective_margins.jsonl`` (one line per task; an interrupted run
resumes). ``--dtype float32`` trains every network in float32 (``GANTHEORY_GAN_DTYPE``; the
measurements stay float64) and appends to ``docs/data/objective_margins_float32.jsonl``; the page
then shows both precisions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gantheory.checks import objectives_empirical as oe  # noqa: E402
from gantheory.gan import DTYPE_ENV  # noqa: E402
from tools._float32_text import float32_intro  # noqa: E402

OUT = ROOT / "docs" / "data" / "objective_margins.jsonl"
OUT32 = OUT.with_name("objective_margins_float32.jsonl")


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
            "seconds": time.perf_counter() - t0,
            "dtype": os.environ.get(DTYPE_ENV, "").strip() or "float64"}


def _done(path: Path) -> set[tuple[str, str, int]]:
    if not path.exists():
        return set()
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {(r["objective"], r["kind"], r["seed"]) for r in rows}


_MEASURES = (("E1", "sup", "largest error of D on the central 99%"),
             ("E1", "mean", "mixture-weighted mean error of D on the central 99%"),
             ("E1", "gap", "max V - V(G, D_theta)"),
             ("E2", "jsd", "JSD of the trained GAN's generator (nats)"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def summary(rows: list[dict]) -> str:
    """The table: each measure's median and worst value over the seeds, next to the check's
    bound and the number of runs that meet it."""
    lines = ["| objective | measure | runs | median | worst | bound | runs within |",
             "|---|---|---|---|---|---|---|"]
    for name, obj in oe.OBJECTIVES_TRAINED.items():
        for kind, key, words in _MEASURES:
            vals = [r[key] for r in rows if r["objective"] == name and r["kind"] == kind]
            if not vals:
                continue
            bound = oe.BOUNDS[name].get(key)
            ok = "—" if bound is None else f"{sum(v <= bound for v in vals)}/{len(vals)}"
            shown = "not asserted" if bound is None else f"{bound:g}"
            lines.append(f"| {obj.title} | {words} | {len(vals)} | {statistics.median(vals):.3g}"
                         f" | {max(vals):.3g} | {shown} | {ok} |")
    for scale, pair in ((1.0, "N(0, 1) vs N(1, 1)"), (1.5, "N(0, 1) vs N(1, 1.5^2)")):
        gaps = [r["w1"] - r["ratio"] for r in rows if r["kind"] == f"WGAN{scale}"]
        if gaps:
            bound = f"{oe.WGAN_APPROACH_BOUND:g}" if scale == 1.0 else "not asserted"
            within = (f"{sum(0 <= g <= oe.WGAN_APPROACH_BOUND for g in gaps)}/{len(gaps)}"
                      if scale == 1.0 else "—")
            lines.append(f"| Wasserstein critic, clipped to 0.01 | W1 - (E_P f - E_Q f)/Lip(f),"
                         f" {pair} | {len(gaps)} | {statistics.median(gaps):.3g} |"
                         f" {max(gaps):.3g} | {bound} | {within} |")
    return "\n".join(lines)


def _float32_section(rows32: list[dict]) -> list[str]:
    """The same table for the runs trained in float32."""
    seeds = sorted({r["seed"] for r in rows32 if r["kind"] == "E1"})
    return [
        *float32_intro(seeds, "A discriminator trained against a fixed generator ends within"
                       " 1e-6 of its float64 twin in its errors (the hinge critic, whose optimum"
                       " jumps, within 4e-4); a GAN, being chaotic, can end elsewhere: compare"
                       " the rates, not single runs."),
        summary(rows32),
        "",
    ]


def render(rows: list[dict], rows32: list[dict] | None = None) -> str:
    """The documentation page of the margins, from the rows of the .jsonl files (float64, and
    float32 when given)."""
    seeds = sorted({r["seed"] for r in rows if r["kind"] == "E1"})
    return "\n".join([
        "# Margins of the objectives",
        "",
        "<!-- generated by `python tools/objective_margins.py --render docs/objective_margins.md`;"
        " do not edit -->",
        "",
        "The trained checks of label smoothing, least squares, the hinge loss, the clipped",
        "Wasserstein critic and Goodfellow et al.'s objective on the central 99%, run over seeds",
        "no test uses"
        f" ({seeds[0]}-{seeds[-1]}, {len(seeds)} seeds). E1 trains a discriminator by the inner",
        "loop of Algorithm 1 against the fixed affine generator N(1, 1.5²) of N(0, 1) data and",
        "measures it against that objective's optimal discriminator; E2 trains a GAN with the",
        "objective on N(1, 0.5²) and measures the Jensen-Shannon divergence of the exact",
        "push-forward of its generator. The bounds are those of the registered checks; where a",
        "measure is not asserted, the table says so and the text below says why.",
        "",
        summary(rows),
        "",
        "- Goodfellow et al.'s value gap and GAN are bounded by the checks of the original",
        "  objective (its discriminator on the central 95%, its GAN over 5 seeds: see the",
        "  empirical margins page); here its discriminator is measured on the central 99% as well.",
        "- The hinge critic's optimum is the sign of p_data - p_g: it jumps where the densities",
        "  cross, so the supremum of the error is 2 in every run (at the crossing x = -2.50, where",
        "  the mixture holds 0.6% of its mass, no continuous critic follows the jump); its",
        "  mixture-weighted mean error is what the check bounds.",
        "- The GANs trained with least squares (0, 1, 1) and with the hinge loss were run over 60",
        "  seeds (100-159). Their JSD has a heavier tail than that of Goodfellow et al.'s",
        "  objective: a few runs end near 0.1 nats. Their checks ask for 2 of 3 seeds under a",
        "  bound no run exceeded.",
        "- Least squares with targets (a, b, c) = (-1, 1, 0), the choice under which the",
        "  generator minimises a Pearson chi-squared divergence, trains a discriminator as well",
        "  as the (0, 1, 1) coding, but the GAN trained with E2's schedule does not converge: its",
        "  JSD stays above 0.05 in every run. The (0, 1, 1) coding converges.",
        "- The clipped critic is nearly linear: on the shift pair, where a linear critic is",
        "  optimal, its estimate approaches W1; where the distribution functions cross it measures",
        "  the difference of the means, 1, and stays 0.0086 below W1 = 1.0085.",
        "",
        *(_float32_section(rows32) if rows32 else []),
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="100:120")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                    help="the precision the networks train in (default float64)")
    ap.add_argument("--out", type=Path, help="the .jsonl file (default docs/data/"
                    "objective_margins.jsonl, or objective_margins_float32.jsonl with --dtype)")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--render", type=Path, help="write the documentation page to this file")
    a = ap.parse_args()
    if a.out is None:
        a.out = OUT if a.dtype == "float64" else OUT32
    if a.summary:
        print(summary(_rows(a.out)))
        return
    if a.render:
        a.render.write_text(render(_rows(OUT), _rows(OUT32) if OUT32.exists() else None))
        return
    os.environ[DTYPE_ENV] = a.dtype  # inherited by the worker processes
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
