"""Throughput of one GAN training iteration with gantheory.nn, optionally against PyTorch eager.

Reference configuration: data N(2, 0.5²), noise N(0, 1), generator and discriminator
both MLP 1-64-64-1 with tanh, batch 256, Adam(lr 1e-3, betas (0.5, 0.999)), float64, one BLAS
thread. One iteration = one discriminator step (fresh data and noise; D sees the real and the
fake batch stacked as one batch of 2 × 256) then one non-saturating generator step (fresh
noise; the gradient flows back through D into G), as in Algorithm 1 of Goodfellow et al. 2014
with k = 1.

If PyTorch is importable, the same model and algorithm run in PyTorch eager mode on one thread
in the same process, in two styles: ``plain`` (the textbook loop: separate D passes on real and
fake, ``loss.backward()`` through everything, default Adam) and ``tuned`` (stacked D batch,
``no_grad`` generator in the D step, D frozen in the G step, fused Adam). Measurements of NumPy
and PyTorch alternate, and medians over the repeats are reported. The ratio is taken against
the faster PyTorch style. PyTorch is never a dependency of gantheory.

Usage::

    python benchmarks/bench_gan_step.py                      # reference configuration
    python benchmarks/bench_gan_step.py --hidden 128 --batch 512 --steps 500 --repeats 3

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one BLAS thread; must precede the first import of numpy

import numpy as np  # noqa: E402

try:
    import gantheory.nn as gnn
except ImportError:  # a fresh clone, not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import gantheory.nn as gnn
from gantheory.nn import _kernels  # noqa: E402

#: Groups of the per-kernel breakdown: BLAS products (GEMM, GEMV, the rank-1 fill + GER), the
#: tanh forward kernel, the three elementwise passes of the tanh backward rule, the two Adam
#: updates, the losses (logaddexp, sum, expit, scaling), and the rest (the noise draws).
KERNEL_KINDS = ("gemm", "tanh_forward", "tanh_backward", "adam", "losses", "rest")
#: Float64 ufunc loops whose CPU target decides the kernels' speed (NumPy >= 2.1 reports it).
LOOPS = ("tanh", "exp", "expm1", "log", "logaddexp", "multiply", "divide", "sqrt")

DATA_MEAN, DATA_STD = 2.0, 0.5
LR, BETAS = 1e-3, (0.5, 0.999)


class NumpyGAN:
    """The reference GAN iteration with gantheory.nn (preallocated sample buffers)."""

    def __init__(self, hidden: int, batch: int, seed: int, tanh_kernel: str | None = None,
                 dtype: type = np.float64) -> None:
        self.rng = np.random.default_rng(seed)
        sizes = [1, hidden, hidden, 1]
        act = gnn.Tanh(kernel=tanh_kernel)  # None: the kernel chosen for this machine
        self.G = gnn.MLP(sizes, act, rng=self.rng, dtype=dtype)
        self.D = gnn.MLP(sizes, act, rng=self.rng, dtype=dtype)
        self.opt_G = gnn.Adam([self.G.flat_params], lr=LR, betas=BETAS)
        self.opt_D = gnn.Adam([self.D.flat_params], lr=LR, betas=BETAS)
        self.batch = batch
        self.d_input = np.empty((2 * batch, 1), dtype)  # [real; fake] stacked for one D pass
        self.dL_dlogits = np.empty((2 * batch, 1), dtype)
        self.z = np.empty((batch, 1), dtype)

    def step(self) -> tuple[float, float]:
        n, rng, G, D = self.batch, self.rng, self.G, self.D
        real = self.d_input[:n]
        rng.standard_normal(out=real, dtype=real.dtype)
        real *= DATA_STD
        real += DATA_MEAN
        # Discriminator step: minimise −V̂(D, G) on [real; G(z)].
        rng.standard_normal(out=self.z, dtype=self.z.dtype)
        self.d_input[n:] = G.forward(self.z)
        logits = D.forward(self.d_input)
        loss_D, self.dL_dlogits[:n], self.dL_dlogits[n:] = gnn.discriminator_loss(
            logits[:n], logits[n:]
        )
        D.backward(self.dL_dlogits, input_grad=False)
        self.opt_D.step([D.flat_grads])
        # Generator step: minimise −log D(G(z)); backprop through D (no D grads) into G.
        rng.standard_normal(out=self.z, dtype=self.z.dtype)
        loss_G, dL_dfake_logits = gnn.nonsaturating_generator_loss(D.forward(G.forward(self.z)))
        G.backward(D.backward(dL_dfake_logits, param_grads=False), input_grad=False)
        self.opt_G.step([G.flat_grads])
        return loss_D, loss_G


def kernel_floor(hidden: int, batch: int, seed: int) -> list:
    """The NumPy/BLAS kernels of one reference iteration, pre-bound, with no other Python.

    Exactly the array operations :class:`NumpyGAN` performs through gantheory.nn (the same
    shapes, layouts and calls: BLAS GEMMs on the feature-major arena with the bias row, the
    tanh kernel gantheory.nn chose on this machine and its three-operation backward, the
    rank-1 ``fill + ger`` of the output layer, the loss and Adam arithmetic, the noise draws)
    as a flat list of zero-argument callables, each tagged with its ``kind``.
    Timing the list gives the speed a NumPy implementation could reach if every line of Python
    around the kernels cost nothing: the ceiling of this approach on the machine.
    """
    from functools import partial

    from scipy.linalg.blas import dger
    from scipy.special import expit

    rng = np.random.default_rng(seed)
    h, ops = hidden, []
    tanh = _kernels._KERNELS[gnn.layers.tanh_kernel()]  # the kernel gantheory.nn uses here

    def op(kind: str, func, *args, **kwargs) -> None:
        call = partial(func, *args, **kwargs)
        call.kind = kind  # the group of the per-kernel breakdown (KERNEL_KINDS)
        ops.append(call)

    def net() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # scaled like Glorot's initialisation, so the activations are O(1) as in training
        return (rng.standard_normal((2, h)), rng.standard_normal((h + 1, h)) / np.sqrt(h),
                rng.standard_normal((h + 1, 1)) / np.sqrt(h))

    def forward(W: tuple, n: int) -> list[np.ndarray]:
        H = [np.ones((2, n)), np.ones((h + 1, n)), np.ones((h + 1, n)), np.empty((1, n))]
        H[0][0] = rng.standard_normal(n)
        for i, Wi in enumerate(W):
            out = H[i + 1][:-1] if i < 2 else H[3]
            op("gemm", np.matmul, Wi.T, H[i], out=out)
            if i < 2:
                op("tanh_forward", tanh, out, out)
        return H

    def tanh_backward(y: np.ndarray, g: np.ndarray) -> None:
        op("tanh_backward", np.multiply, y, y, out=y)
        op("tanh_backward", np.subtract, 1.0, y, out=y)
        op("tanh_backward", np.multiply, y, g, out=y)

    def backward(W: tuple, H: list, n: int, params: bool, input_grad: bool) -> None:
        g, dh = rng.standard_normal((1, n)), np.empty((h, n))
        y2, y1 = H[2][:-1], H[1][:-1]
        if params:
            op("gemm", np.matmul, H[2], g.T, out=np.empty((h + 1, 1)))
        op("gemm", dh.fill, 0.0)  # the rank-1 product: fill + BLAS ger
        op("gemm", dger, 1.0, g[0], W[2][:-1, 0], a=dh.T, overwrite_a=True)
        tanh_backward(y2, dh)
        if params:
            op("gemm", np.matmul, H[1], y2.T, out=np.empty((h + 1, h)))
        op("gemm", np.matmul, W[1][:-1], y2, out=dh)
        tanh_backward(y1, dh)
        if params:
            op("gemm", np.matmul, H[0], y1.T, out=np.empty((2, h)))
        if input_grad:
            op("gemm", np.matmul, W[0][:-1], y1, out=np.empty((1, n)))

    def loss(logits: np.ndarray) -> None:
        t = np.empty_like(logits)
        op("losses", np.logaddexp, 0.0, logits, out=t)
        op("losses", np.sum, t)
        op("losses", expit, logits, out=t)
        op("losses", np.divide, t, -logits.size, out=t)

    def adam(n_params: int) -> None:
        p, g, m, v, t = (rng.standard_normal(n_params) for _ in range(5))
        v = np.abs(v)
        for func, *args in [
            (np.subtract, g, m, t), (np.multiply, t, 0.5, t), (np.add, m, t, m),
            (np.multiply, g, g, t), (np.multiply, t, 1e-3, t), (np.multiply, v, 0.999, v),
            (np.add, v, t, v), (np.sqrt, v, t), (np.add, t, 1e-8, t), (np.divide, m, t, t),
            (np.multiply, t, 1e-3, t), (np.subtract, p, t, p),
        ]:
            op("adam", func, *args[:-1], out=args[-1])

    n, n_params = batch, (2 + h + 1) * h + h + 1
    G, D = net(), net()
    z = np.empty(n)
    op("rest", rng.standard_normal, out=z)  # data
    op("rest", rng.standard_normal, out=z)  # noise
    forward(G, n)
    H = forward(D, 2 * n)
    loss(H[3][:, :n])
    loss(H[3][:, n:])
    backward(D, H, 2 * n, params=True, input_grad=False)
    adam(n_params)
    op("rest", rng.standard_normal, out=z)
    H_G = forward(G, n)
    H = forward(D, n)
    loss(H[3])
    backward(D, H, n, params=False, input_grad=True)
    backward(G, H_G, n, params=True, input_grad=False)
    adam(n_params)
    return ops


def kernel_breakdown(kernels: list, steps: int, timer) -> dict[str, dict[str, float]]:
    """Microseconds per iteration in each group (:data:`KERNEL_KINDS`) and each function of
    :func:`kernel_floor`.

    Each call is timed on its own in the order of an iteration, ``steps`` times; a call's
    cost is the median of its times (so a preemption on a busy machine, which hits a few
    calls, is left out), and the costs are summed per group and per function.
    """
    times = np.empty((steps, len(kernels)))
    for i in range(steps):
        row = times[i]
        for j, op in enumerate(kernels):
            start = timer()
            op()
            row[j] = timer() - start
    cost = np.median(times, axis=0) * 1e6
    by_kind = dict.fromkeys(KERNEL_KINDS, 0.0)
    by_function: dict[str, float] = {}
    for op, us in zip(kernels, cost.tolist(), strict=True):
        name = getattr(op.func, "__name__", str(op.func))
        by_kind[op.kind] += us
        by_function[name] = by_function.get(name, 0.0) + us
    by_kind["total"] = sum(by_kind.values())
    return {
        "by_kind": {k: round(v, 1) for k, v in by_kind.items()},
        "by_function": {
            k: round(by_function[k], 1) for k in sorted(by_function, key=lambda k: -by_function[k])
        },
    }


def machine() -> dict:
    """The CPU and what NumPy made of it: its model, the SIMD features NumPy detected (and
    any it was told to ignore), the CPU target of the float64 loops, the BLAS, the tanh kernel."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(
                line.split(":", 1)[1].strip() for line in f if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_features__ as features
    simd = [k for k in ("SSE42", "AVX2", "FMA3", "AVX512F", "AVX512_SKX", "X86_V3", "X86_V4",
                        "AVX512_ICL", "ASIMD", "NEON") if features.get(k)]
    info: dict = {
        "cpu_model": model,
        "cpu_count": os.cpu_count(),
        "avx512": bool(features.get("AVX512F") and features.get("AVX512_SKX")),
        "numpy_simd_features": simd,
        "NPY_DISABLE_CPU_FEATURES": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""),
    }
    try:
        from numpy.lib.introspect import opt_func_info
    except ImportError:  # NumPy < 2.1: no per-loop report
        pass
    else:
        info["float64_loop_targets"] = {
            name: next(iter(opt_func_info(func_name=f"^{name}$", signature="float64")
                            .get(name, {}).values()), {}).get("current", "?")
            for name in LOOPS
        }
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
        info["blas"] = f"{blas['name']} {blas['version']}"
    except (AttributeError, KeyError, TypeError):
        pass
    info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    info["tanh_kernel"] = gnn.layers.tanh_kernel()
    info["tanh_kernel_us_per_16384"] = {
        k: round(v * 1e6, 1) for k, v in _kernels.measure_tanh_kernels().items()
    }
    return info


def make_torch_gan(torch, hidden: int, batch: int, seed: int, style: str,
                   dtype_name: str = "float64"):
    """The same iteration in PyTorch eager, ``style`` in {"plain", "tuned"}; returns step()."""
    nn, F = torch.nn, torch.nn.functional
    torch.manual_seed(seed)
    dtype = getattr(torch, dtype_name)

    def mlp():
        return nn.Sequential(
            nn.Linear(1, hidden),
            nn.Tanh(),
            nn.Linear(hidden, hidden),
            nn.Tanh(),
            nn.Linear(hidden, 1),
        ).to(dtype)

    G, D = mlp(), mlp()
    extra = {"fused": True} if style == "tuned" else {}
    opt_G = torch.optim.Adam(G.parameters(), lr=LR, betas=BETAS, **extra)
    opt_D = torch.optim.Adam(D.parameters(), lr=LR, betas=BETAS, **extra)
    ones = torch.ones(batch, 1, dtype=dtype)
    zeros = torch.zeros(batch, 1, dtype=dtype)
    targets = torch.cat([ones, zeros])

    def plain_step() -> None:
        real = torch.randn(batch, 1, dtype=dtype) * DATA_STD + DATA_MEAN
        fake = G(torch.randn(batch, 1, dtype=dtype)).detach()
        loss_D = F.binary_cross_entropy_with_logits(
            D(real), ones
        ) + F.binary_cross_entropy_with_logits(D(fake), zeros)
        opt_D.zero_grad()
        loss_D.backward()
        opt_D.step()
        loss_G = F.binary_cross_entropy_with_logits(D(G(torch.randn(batch, 1, dtype=dtype))), ones)
        opt_G.zero_grad()
        loss_G.backward()
        opt_G.step()

    def tuned_step() -> None:
        real = torch.randn(batch, 1, dtype=dtype) * DATA_STD + DATA_MEAN
        with torch.no_grad():
            fake = G(torch.randn(batch, 1, dtype=dtype))
        loss_D = 2 * F.binary_cross_entropy_with_logits(D(torch.cat([real, fake])), targets)
        opt_D.zero_grad(set_to_none=True)
        loss_D.backward()
        opt_D.step()
        D.requires_grad_(False)
        loss_G = F.binary_cross_entropy_with_logits(D(G(torch.randn(batch, 1, dtype=dtype))), ones)
        D.requires_grad_(True)
        opt_G.zero_grad(set_to_none=True)
        loss_G.backward()
        opt_G.step()

    return plain_step if style == "plain" else tuned_step


def steps_per_second(step, steps: int, timer) -> float:
    start = timer()
    for _ in range(steps):
        step()
    return steps / (timer() - start)


def profile(step, steps: int, top: int = 15) -> str:
    """cProfile ``steps`` iterations; the ``top`` functions by own time, as text."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def traced_growth(step, steps: int) -> dict:
    """Bytes of live Python/NumPy allocations after 200 and after ``steps`` more iterations."""
    tracemalloc.start()
    try:
        for _ in range(200):
            step()
        early, _ = tracemalloc.get_traced_memory()
        for _ in range(steps):
            step()
        late, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"after_200": early, "after_more": late, "more_steps": steps, "peak": peak}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, default=64, help="hidden width (default 64)")
    parser.add_argument("--batch", type=int, default=256, help="batch size (default 256)")
    parser.add_argument("--steps", type=int, default=2000, help="iterations per timing run")
    parser.add_argument("--warmup", type=int, default=200, help="untimed iterations first")
    parser.add_argument("--repeats", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--timer",
        choices=["wall", "cpu"],
        default="wall",
        help="wall clock (default) or this process's CPU time (steadier on a busy machine)",
    )
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument(
        "--profile", type=int, metavar="STEPS", help="also cProfile STEPS NumPy iterations (stderr)"
    )
    parser.add_argument(
        "--memory", type=int, metavar="STEPS", help="also trace allocations over STEPS iterations"
    )
    parser.add_argument(
        "--kernels", type=int, metavar="STEPS", default=500,
        help="time each kernel of the floor over STEPS iterations (us per iteration by kind; "
        "default 500, 0 to skip)",
    )
    parser.add_argument(
        "--tanh-kernel", choices=_kernels.TANH_KERNELS,
        help="force this tanh kernel (default: the one gantheory.nn chooses on this machine)",
    )
    parser.add_argument(
        "--float32", action="store_true",
        help="also run gantheory.nn and PyTorch in float32 (GANConfig(dtype='float32'))",
    )
    parser.add_argument(
        "--all-tanh-kernels", action="store_true",
        help="also run gantheory.nn with each tanh kernel forced, alternating with the rest",
    )
    args = parser.parse_args(argv)
    if args.tanh_kernel:
        gnn.layers.set_tanh_kernel(args.tanh_kernel)
    timer = time.perf_counter if args.timer == "wall" else time.process_time

    gan = NumpyGAN(args.hidden, args.batch, args.seed)
    kernels = kernel_floor(args.hidden, args.batch, args.seed)

    def kernels_only() -> None:
        for op in kernels:
            op()

    runners = {"numpy": gan.step, "kernel_floor": kernels_only}
    if args.all_tanh_kernels:
        for name in _kernels.TANH_KERNELS:
            runners[f"numpy_tanh_{name}"] = NumpyGAN(args.hidden, args.batch, args.seed, name).step
    if args.float32:
        runners["numpy_float32"] = NumpyGAN(args.hidden, args.batch, args.seed,
                                            dtype=np.float32).step
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
    if torch is not None:
        torch.set_num_threads(1)
        for style in ("plain", "tuned"):
            runners[f"torch_{style}"] = make_torch_gan(
                torch, args.hidden, args.batch, args.seed, style
            )
            if args.float32:
                runners[f"torch_{style}_float32"] = make_torch_gan(
                    torch, args.hidden, args.batch, args.seed, style, "float32")
    for step in runners.values():
        for _ in range(args.warmup):
            step()
    runs: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.repeats):  # alternate, so machine noise hits every runner alike
        for name, step in runners.items():
            runs[name].append(steps_per_second(step, args.steps, timer))
    result: dict = {
        "benchmark": "gan_step",
        "machine": machine(),
        "config": {
            "hidden": args.hidden,
            "batch": args.batch,
            "steps": args.steps,
            "repeats": args.repeats,
            "dtype": "float64",
            "threads": 1,
            "timer": args.timer,
        },
        "numpy_steps_per_s": round(statistics.median(runs["numpy"]), 1),
        "numpy_runs": [round(r, 1) for r in runs["numpy"]],
        "numpy_version": np.__version__,
        # the same NumPy/BLAS calls with no Python around them: the ceiling of this approach
        "kernel_floor_steps_per_s": round(statistics.median(runs["kernel_floor"]), 1),
        "kernel_calls_per_step": len(kernels),
    }
    result["numpy_share_of_ceiling"] = round(
        result["numpy_steps_per_s"] / result["kernel_floor_steps_per_s"], 3
    )
    if args.all_tanh_kernels:
        # speed with each kernel forced, and its paired ratio to the np.tanh kernel
        result["numpy_steps_per_s_by_tanh_kernel"] = {
            name: round(statistics.median(runs[f"numpy_tanh_{name}"]), 1)
            for name in _kernels.TANH_KERNELS
        }
        result["speedup_over_np_tanh_by_tanh_kernel"] = {
            name: round(statistics.median(
                a / b for a, b in zip(runs[f"numpy_tanh_{name}"], runs["numpy_tanh_numpy"],
                                      strict=True)
            ), 3)
            for name in _kernels.TANH_KERNELS
        }
    if torch is not None:
        result["torch_version"] = torch.__version__
        for style in ("plain", "tuned"):
            name = f"torch_{style}"
            result[f"{name}_steps_per_s"] = round(statistics.median(runs[name]), 1)
            result[f"{name}_runs"] = [round(r, 1) for r in runs[name]]
            # Paired: each repeat's ratio uses runs measured back to back, then the median.
            ratios = [a / b for a, b in zip(runs["numpy"], runs[name], strict=True)]
            result[f"ratio_vs_{name}"] = round(statistics.median(ratios), 2)
            ceiling = [a / b for a, b in zip(runs["kernel_floor"], runs[name], strict=True)]
            result[f"ceiling_ratio_vs_{name}"] = round(statistics.median(ceiling), 2)
        result["ratio_vs_best_torch"] = min(
            result["ratio_vs_torch_plain"], result["ratio_vs_torch_tuned"]
        )
        if args.float32:
            for style in ("plain", "tuned"):
                name = f"torch_{style}_float32"
                result[f"{name}_steps_per_s"] = round(statistics.median(runs[name]), 1)
                result[f"float32_ratio_vs_{name}"] = round(statistics.median(
                    a / b for a, b in zip(runs["numpy_float32"], runs[name], strict=True)), 2)
    else:
        result["torch"] = "not installed"
    if args.float32:
        result["numpy_float32_steps_per_s"] = round(statistics.median(runs["numpy_float32"]), 1)
        result["float32_speedup_over_float64"] = round(statistics.median(
            a / b for a, b in zip(runs["numpy_float32"], runs["numpy"], strict=True)), 2)
    if args.memory:
        result["numpy_traced_bytes"] = traced_growth(gan.step, args.memory)
    if args.kernels:
        # timed one call at a time with perf_counter (process_time is too coarse for 1 us calls)
        result["kernel_us_per_step"] = kernel_breakdown(kernels, args.kernels, time.perf_counter)
        result["kernel_us_per_step"]["steps"] = args.kernels
    if args.profile:
        print(profile(gan.step, args.profile), file=sys.stderr)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
