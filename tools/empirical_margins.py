"""Pass rates of the empirical criteria over seeds the tests do not use, and the measurement of
every trained generator at the default accuracy.

    python tools/empirical_margins.py                    # seeds 100-119, 2 processes
    python tools/empirical_margins.py --seeds 100:140 --jobs 2 --out build/margins.jsonl
    python tools/empirical_margins.py --render docs/empirical_margins.md  # from the .jsonl
    python tools/empirical_margins.py --dtype float32    # the same sweep, trained in float32

The results go to ``docs/data/empirical_margins.jsonl`` by default (committed: the page is
rendered from it, and a test checks that the committed page is that rendering).

A training run is chaotic: another CPU or BLAS build rounds differently and follows another
trajectory, so a check's verdict on its own seeds says little about another machine. What does
is the criterion's pass rate over other seeds, which this tool measures for every empirical
check (one task per criterion and seed; the results are appended to a JSON-lines file, so an
interrupted run resumes). It also measures each trained generator's push-forward with the
default arguments of ``jsd``, ``kl`` (both ways), ``tv``, ``value`` and ``optimal_value`` and
records any failure. ``--render`` writes the table of the documentation from the file.

``--dtype float32`` trains every GAN of the sweep in float32 (``GANTHEORY_GAN_DTYPE``; every
measurement stays float64) and appends to ``docs/data/empirical_margins_float32.jsonl``; the page
then compares the pass rates of both precisions.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

import gantheory as gt  # noqa: E402
from gantheory.checks import empirical as emp  # noqa: E402
from gantheory.experiments import (  # noqa: E402
    E1_CONFIG,
    E4_CONFIG,
    discriminator_convergence,
    gan_convergence,
    k_tracking,
    saturation,
)
from gantheory.experiments_landscape import E6_CONFIG, E6_DATA, mode_coverage  # noqa: E402
from gantheory.gan import DTYPE_ENV, GAN  # noqa: E402
from tools._float32_text import float32_intro  # noqa: E402

DATA = ROOT / "docs" / "data"


def _measure(data: object, gan: GAN) -> dict[str, object]:
    """Every functional of (data, p_g) at the default arguments: value or the error."""
    p_g = gan.generator().pushforward()
    d = gan.discriminator()
    out: dict[str, object] = {}
    calls: dict[str, Callable[[], float]] = {
        "jsd": lambda: gt.jsd(data, p_g),
        "kl(data||p_g)": lambda: gt.kl(data, p_g),
        "kl(p_g||data)": lambda: gt.kl(p_g, data),
        "tv": lambda: gt.tv(data, p_g),
        "value": lambda: gt.value(data, p_g, d),
        "optimal_value": lambda: gt.optimal_value(data, p_g),
    }
    for name, f in calls.items():
        t = time.perf_counter()
        try:
            v = float(f())
            out[name] = {"value": v if math.isfinite(v) else str(v),
                         "seconds": round(time.perf_counter() - t, 3)}
        except Exception as exc:  # recorded, not raised: this is what the sweep measures
            out[name] = {"error": f"{type(exc).__name__}: {exc}",
                         "seconds": round(time.perf_counter() - t, 3)}
    return out


def _trained(data: object, config: object, seed: int) -> GAN:
    return GAN(data, config=config, rng=np.random.default_rng(seed)).train()


# -- one task per (criterion, seed) ---------------------------------------------------------------
def e1(seed: int) -> dict:
    r = discriminator_convergence(seed=seed)
    err = r.value_abserr + r.c_g_abserr
    # the same run again as a GAN, to measure its (affine) generator's push-forward
    data = stats.norm(0.0, 1.0)
    gan = GAN(data, config=E1_CONFIG, rng=np.random.default_rng(seed))
    gan.G.params[0][...], gan.G.params[1][...] = 1.5, 1.0
    gan.train_discriminator(r.steps)
    return {"sup": r.sup_error, "gap": r.gap, "gap_err": err,
            "pass": {"E1 sup": r.sup_error <= emp.E1_SUP_BOUND,
                     "E1 gap": -err <= r.gap <= emp.E1_GAP_BOUND},
            "measure": _measure(data, gan)}


def e2(seed: int, name: str, fast: bool) -> dict:
    data, cfg = emp.E2_DATA[name], (emp.E2_FAST_CONFIG if fast else emp.E2_CONFIGS[name])
    r = gan_convergence(data, seed=seed, config=cfg)
    tag = "E2 fast" if fast else "E2"
    res = {"jsd": r.jsd, "jsd_abserr": r.jsd_abserr, "d_dev": r.d_dev, "folds": r.folds,
           "pass": {f"{tag} JSD <= 0.02 ({name})": r.jsd + r.jsd_abserr <= emp.E2_JSD_BOUND}}
    if name == "N(1, 0.5^2)" and not fast:  # (the fast check tests the JSD only)
        res["pass"][f"{tag} |D - 1/2| <= 0.05 ({name})"] = r.d_dev <= emp.E2_D_BOUND
    res["measure"] = _measure(data, _trained(data, cfg, seed))
    return res


def e3_ratio(seed: int) -> dict:
    r = saturation(seed=seed, shifts=(-4.0,))
    return {"ratio": float(r.ratio[0]), "pass": {"E3 gradient ratio >= 10": r.ratio[0] >= 10}}


def e3_training(seed: int) -> dict:
    r = saturation(seed=0, shifts=(-4.0,), train_seeds=(seed,))
    ratio = float(r.hit_iteration["sgd", "minimax"][0] / r.hit_iteration["sgd", "nonsaturating"][0])
    return {"ratio": ratio, "pass": {"E3 SGD minimax >= 2x slower": ratio >= 2.0}}


def e4(seed: int, fast: bool) -> dict:
    cfg = dataclasses.replace(E4_CONFIG, steps=300) if fast else E4_CONFIG
    r = k_tracking(seeds=(seed,), config=cfg)
    m = r.mean_distance[:, 0]
    ratio = float(np.max(m[1:] / m[:-1]))
    tag = "E4 fast" if fast else "E4"
    res = {"ratio": ratio, "distances": m.tolist(), "pass": {f"{tag} ordering in k": ratio <= 1}}
    if not fast:  # the k = 1 run's generator, measured at the default accuracy
        data = stats.norm(1.0, 0.5)
        res["measure"] = _measure(data, _trained(data, dataclasses.replace(cfg, k=1), seed))
    return res


def e6(seed: int) -> dict:
    r = mode_coverage(seeds=(seed,))
    missing = int(r.means.size - r.covered[0])
    return {"covered": int(r.covered[0]), "pass": {"E6 misses a mode": missing >= 1},
            "measure": _measure(E6_DATA, _trained(E6_DATA, E6_CONFIG, seed))}


TASKS: dict[str, Callable[[int], dict]] = {
    "E1": e1,
    "E2 fast gauss": lambda s: e2(s, "N(1, 0.5^2)", True),
    "E2 gauss": lambda s: e2(s, "N(1, 0.5^2)", False),
    "E2 mixture": lambda s: e2(s, "0.5 N(-1, 0.5^2) + 0.5 N(1, 0.5^2)", False),
    "E3 ratio": e3_ratio,
    "E3 training": e3_training,
    "E4 fast": lambda s: e4(s, True),
    "E4": lambda s: e4(s, False),
    "E6": e6,
}


def _machine() -> str:
    """The CPU model, whether it has AVX-512, and the numpy version: verdicts are per trajectory,
    and trajectories are per machine."""
    model, avx512 = platform.processor() or platform.machine(), False
    try:
        info = Path("/proc/cpuinfo").read_text()
        model = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                     if line.startswith("model name"))
        avx512 = "avx512f" in info
    except (OSError, StopIteration):
        pass
    simd = "AVX-512" if avx512 else "no AVX-512"
    return f"{model} ({platform.machine()}, {simd}), numpy {np.__version__}"


def _run(task: str, seed: int) -> dict:
    t = time.perf_counter()
    try:
        out = TASKS[task](seed)
    except Exception:
        out = {"error": traceback.format_exc(limit=3)}
    out.update(task=task, seed=seed, seconds=round(time.perf_counter() - t, 2),
               perturb=os.environ.get("GANTHEORY_PERTURB_INIT", ""), machine=_machine(),
               dtype=os.environ.get(DTYPE_ENV, "").strip() or "float64")
    return out


# -- rendering ------------------------------------------------------------------------------------
def _binom_at_least(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


#: criterion prefix -> (the measured number of a row, the bound, "<=" or ">=")
_MEASURED: dict[str, tuple[Callable[[dict], float], float, str]] = {
    "E1 sup": (lambda r: r["sup"], emp.E1_SUP_BOUND, "<="),
    "E1 gap": (lambda r: r["gap"], emp.E1_GAP_BOUND, "<="),
    "E2 fast JSD": (lambda r: r["jsd"] + r["jsd_abserr"], emp.E2_JSD_BOUND, "<="),
    "E2 JSD": (lambda r: r["jsd"] + r["jsd_abserr"], emp.E2_JSD_BOUND, "<="),
    "E2 |D": (lambda r: r["d_dev"], emp.E2_D_BOUND, "<="),
    "E3 gradient": (lambda r: r["ratio"], 10.0, ">="),
    "E3 SGD": (lambda r: r["ratio"], 2.0, ">="),
    "E4": (lambda r: r["ratio"], 1.0, "<="),
    "E6": (lambda r: 4 - r["covered"], 1.0, ">="),
}


#: criterion prefix -> what it measures, for the page (the experiment codes are explained there)
_LABELS = {
    "E1 sup": "E1, D trained against a fixed G: max |D - D*| on the central 95%",
    "E1 gap": "E1, D trained against a fixed G: C(G) - V(G, D)",
    "E2 fast JSD": "E2, Algorithm 1 (fast configuration): JSD(p_data, p_g), Gaussian data",
    "E2 JSD <= 0.02 (N": "E2, Algorithm 1: JSD(p_data, p_g), Gaussian data",
    "E2 JSD <= 0.02 (0.5": "E2, Algorithm 1: JSD(p_data, p_g), two-mode mixture",
    "E2 |D": "E2, Algorithm 1: max |D - 1/2| on the central 80% of the Gaussian data",
    "E3 gradient": "E3, non-saturating / minimax gradient norm against a confident D",
    "E3 SGD": "E3, SGD from a poor G: iterations to reach the data, minimax / non-saturating",
    "E4 fast": "E4, Algorithm 1 (fast configuration): distance to D* for k+1 vs k",
    "E4 ordering": "E4, Algorithm 1: distance to D* for k+1 vs k (largest ratio)",
    "E6": "E6, mode coverage on four modes: modes missed",
}


def _label(crit: str) -> str:
    for prefix, label in _LABELS.items():
        if crit.startswith(prefix):
            return label.replace("|", "\\|")
    return crit.replace("|", "\\|")


def _measured(crit: str) -> tuple[Callable[[dict], float], float, str] | None:
    for prefix, m in _MEASURED.items():
        if crit.startswith(prefix):
            return m
    return None


def _criteria(rows: list[dict]) -> tuple[dict[str, list[bool]], dict[str, list[float]]]:
    """Each criterion's verdicts over the rows, and its measured numbers (where it has one)."""
    passes: dict[str, list[bool]] = {}
    values: dict[str, list[float]] = {}
    for r in rows:
        for crit, ok in r.get("pass", {}).items():
            if crit.startswith("E2 fast |D"):
                continue  # measured by an earlier version of this tool; no check uses it
            passes.setdefault(crit, []).append(bool(ok))
            m = _measured(crit)
            if m is not None:
                values.setdefault(crit, []).append(float(m[0](r)))
    return passes, values


def _median_worst(crit: str, values: dict[str, list[float]]) -> tuple[str, str, str]:
    """The bound, the median and the worst measured value of ``crit``, as table cells."""
    m = _measured(crit)
    if m is None or not values.get(crit):
        return "", "", ""
    vals = np.array(values[crit])
    worst = vals.max() if m[2] == "<=" else vals.min()
    return f"{m[2]} {m[1]:g}", f"{np.median(vals):.3g}", f"{worst:.3g}"


def _failures(rows: list[dict]) -> tuple[list[str], list[str], int]:
    """The runs that raised, the measurements that raised, and the number of measurements."""
    failures, bad_measures, measured = [], [], 0
    for r in rows:
        if "error" in r:
            failures.append(f"{r['task']} seed {r['seed']}: {r['error'].splitlines()[-1]}")
        for name, m in r.get("measure", {}).items():
            measured += 1
            if "error" in m:
                bad_measures.append(f"{r['task']} seed {r['seed']}, {name}: {m['error']}")
    return failures, bad_measures, measured


def _float32_section(rows: list[dict], rows32: list[dict]) -> list[str]:
    """The pass rates of the sweep trained in float32, beside those of float64."""
    passes, _ = _criteria(rows)
    passes32, values32 = _criteria(rows32)
    seeds = sorted({r["seed"] for r in rows32})
    failures, bad_measures, measured = _failures(rows32)
    lines = [
        "",
        *float32_intro(seeds, "A discriminator trained against a fixed generator ends within"
                       " 1e-6 of its float64 twin; a full GAN, being chaotic, can end elsewhere,"
                       " so the two columns are two samples of the criterion's pass rate."),
        "| criterion | bound | float64 passed | float32 passed | float32 median | float32 worst |",
        "|---|---|---|---|---|---|",
    ]
    for crit in sorted(passes32):
        v, v64 = passes32[crit], passes.get(crit, [])
        bound, med, worst = _median_worst(crit, values32)
        lines.append(f"| {_label(crit)} | {bound} | {sum(v64)} / {len(v64)} | {sum(v)} / {len(v)}"
                     f" | {med} | {worst} |")
    lines += ["", f"Measurements of the float32 generators at the default arguments: {measured},"
                  f" {len(bad_measures)} failures."]
    if failures or bad_measures:
        lines += ["", "Failures:", ""] + [f"* {f}" for f in failures + bad_measures]
    return lines


def render(rows: list[dict], rows32: list[dict] | None = None) -> str:
    """The page: the pass rates of ``rows`` (float64) and, when given, of ``rows32`` (float32)."""
    seeds = sorted({r["seed"] for r in rows})
    passes, values = _criteria(rows)
    failures, bad_measures, measured = _failures(rows)
    lines = [
        "# Empirical margins",
        "",
        "<!-- generated by `python tools/empirical_margins.py --render docs/empirical_margins.md`;"
        " do not edit -->",
        "",
        "A training run is chaotic: on another CPU or BLAS build it rounds differently and follows",
        "another trajectory. So each empirical check's criterion is run here over seeds that no",
        f"test uses ({seeds[0]}-{seeds[-1]}, {len(seeds)} seeds), and the table gives its pass",
        "rate: the probability that the check passes on a trajectory it was not tuned on, with the",
        "median and the worst measured value against the bound. For the checks that require 4 of",
        "5 seeds, the last column is the probability of that event if each seed passes",
        "independently at the measured rate.",
        "",
        "The experiments (`gantheory.experiments`): E1 trains a discriminator against a fixed",
        r"affine generator and compares it with D\* (Proposition 1); E2 runs Algorithm 1 and",
        "measures p_g against p_data with the exact push-forward density (Proposition 2); E3",
        "compares the minimax and non-saturating generator losses (Section 3); E4 the number k",
        "of discriminator steps per generator step; E6 the modes a generator covers.",
        "",
        "| criterion | bound | passed | rate | median | worst | P(>= 4 of 5) |",
        "|---|---|---|---|---|---|---|",
    ]
    for crit in sorted(passes):
        v = passes[crit]
        p = sum(v) / len(v)
        four_of_five = crit.startswith("E2 ") and "fast" not in crit
        k_of_n = f"{_binom_at_least(4, 5, p):.3f}" if four_of_five else ""
        bound, med, worst = _median_worst(crit, values)
        lines.append(
            f"| {_label(crit)} | {bound} | {sum(v)} / {len(v)} | {p:.2f} | {med} | {worst}"
            f" | {k_of_n} |"
        )
    lines += [
        "",
        "Every trained generator of the sweep was also measured with the default arguments of"
        " `jsd`, `kl` (both ways), `tv`, `value` and `optimal_value`:"
        f" {measured} measurements, {len(bad_measures)} failures.",
    ]
    if failures or bad_measures:
        lines += ["", "Failures:", ""] + [f"* {f}" for f in failures + bad_measures]
    if rows32:
        lines += _float32_section(rows, rows32)
    machines = sorted({r.get("machine", "unrecorded") for r in rows + (rows32 or [])})
    lines += ["", f"Measured on: {'; '.join(machines)}."]
    return "\n".join(lines) + "\n"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="100:120", help="start:stop (default 100:120)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--tasks", nargs="*", default=list(TASKS), choices=list(TASKS))
    ap.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                    help="the precision the GANs train in (default float64)")
    ap.add_argument("--out", help="the .jsonl file (default docs/data/empirical_margins.jsonl,"
                                  " or empirical_margins_float32.jsonl with --dtype float32)")
    ap.add_argument("--render", metavar="MD", help="write the page from both .jsonl files and stop")
    args = ap.parse_args(argv)
    if args.render:
        rows = _rows(DATA / "empirical_margins.jsonl")
        f32 = DATA / "empirical_margins_float32.jsonl"
        Path(args.render).write_text(render(rows, _rows(f32) if f32.exists() else None))
        return 0
    suffix = "" if args.dtype == "float64" else f"_{args.dtype}"
    out = Path(args.out) if args.out else DATA / f"empirical_margins{suffix}.jsonl"
    os.environ[DTYPE_ENV] = args.dtype  # inherited by the worker processes
    a, b = (int(v) for v in args.seeds.split(":"))
    done = set()
    if out.exists():
        done = {(r["task"], r["seed"]) for r in _rows(out)}
    todo = [(t, s) for t in args.tasks for s in range(a, b) if (t, s) not in done]
    out.parent.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool, out.open("a") as f:
        for res in pool.map(_run, *zip(*todo, strict=True)) if todo else []:
            f.write(json.dumps(res, default=float) + "\n")
            f.flush()
            print(f"{res['task']} seed {res['seed']}: {res.get('pass', res.get('error'))}"
                  f" ({res['seconds']} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
