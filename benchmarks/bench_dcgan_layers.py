"""Time of a forward and backward pass of a DCGAN-shaped generator and discriminator for 8 × 8
images with the hand-written convolution, transposed convolution and batch normalisation layers.

Reference configuration (Radford et al. 2016's pattern at the scale of 8 × 8 digits), batch 64,
float64, one BLAS thread:

- G: z (16) -> Reshape (16, 1, 1) -> ConvT 16→128, k2 (2 × 2) -> BN -> ReLU
  -> ConvT 128→64, k4 s2 p1 (4 × 4) -> BN -> ReLU -> ConvT 64→1, k4 s2 p1 (8 × 8) -> Tanh;
- D: Conv 1→64, k4 s2 p1 (4 × 4) -> LeakyReLU(0.2) -> Conv 64→128, k4 s2 p1 (2 × 2) -> BN
  -> LeakyReLU(0.2) -> Conv 128→1, k2 (1 × 1) -> Flatten (logits).

Convolutions followed by batch normalisation have no bias (it would be cancelled). One pass of
G is ``G.forward(z)`` then ``G.backward(g, input_grad=False)``; one pass of D is
``D.forward(x)`` then ``D.backward(g)`` (with the input gradient, as in a generator step).

If PyTorch is importable, the same models run in PyTorch eager mode (float64,
``torch.set_num_threads(1)``, the same weights) in the same process, alternating with the NumPy
runs; PyTorch is never a dependency of gantheory.

Usage::

    python benchmarks/bench_dcgan_layers.py                    # reference configuration
    python benchmarks/bench_dcgan_layers.py --profile 200 2>prof.txt   # + cProfile of 200 passes

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one BLAS thread; must precede the first import of numpy

import numpy as np  # noqa: E402

try:
    import gantheory.nn as gnn
except ImportError:  # a fresh clone, not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import gantheory.nn as gnn


def make_models(z_dim: int, width: int, rng: np.random.Generator) -> tuple:
    """The reference G and D; ``width`` is the channel count of the widest layer (128)."""
    half = width // 2
    G = gnn.Sequential(
        gnn.Reshape((z_dim, 1, 1)),
        gnn.ConvTranspose2d(z_dim, width, 2, rng=rng, bias=False),
        gnn.BatchNorm(width),
        gnn.ReLU(),
        gnn.ConvTranspose2d(width, half, 4, 2, 1, rng=rng, bias=False),
        gnn.BatchNorm(half),
        gnn.ReLU(),
        gnn.ConvTranspose2d(half, 1, 4, 2, 1, rng=rng),
        gnn.Tanh(),
    )
    D = gnn.Sequential(
        gnn.Conv2d(1, half, 4, 2, 1, rng=rng),
        gnn.LeakyReLU(0.2),
        gnn.Conv2d(half, width, 4, 2, 1, rng=rng, bias=False),
        gnn.BatchNorm(width),
        gnn.LeakyReLU(0.2),
        gnn.Conv2d(width, 1, 2, rng=rng),
        gnn.Flatten(),
    )
    return G, D


def torch_models(G, D):  # type: ignore[no-untyped-def]
    """The same networks in PyTorch (float64), with the weights copied from ``G`` and ``D``."""
    import torch
    from torch import nn

    def convert(layer):  # type: ignore[no-untyped-def]
        if isinstance(layer, gnn.Reshape):
            return nn.Unflatten(1, layer.shape)
        if isinstance(layer, gnn.Flatten):
            return nn.Flatten()
        if isinstance(layer, gnn.Conv2d | gnn.ConvTranspose2d):
            kind = nn.Conv2d if isinstance(layer, gnn.Conv2d) else nn.ConvTranspose2d
            extra = {} if kind is nn.Conv2d else {"output_padding": layer.output_padding}
            t = kind(layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride,
                     layer.padding, bias=layer.has_bias, dtype=torch.float64, **extra)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.weight)))
                if layer.has_bias:
                    t.bias.copy_(torch.from_numpy(layer.bias))
            return t
        if isinstance(layer, gnn.BatchNorm):
            return nn.BatchNorm2d(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                                  dtype=torch.float64)
        act = layer.activation
        if isinstance(act, gnn.LeakyReLU):
            return nn.LeakyReLU(act.slope)
        return {"relu": nn.ReLU, "tanh": nn.Tanh}[act.name]()

    return tuple(nn.Sequential(*(convert(layer) for layer in net.layers)) for net in (G, D))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--z-dim", type=int, default=16)
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--passes", type=int, default=200, help="passes per repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="also profile N passes of G and D; the table goes to stderr")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    G, D = make_models(args.z_dim, args.width, rng)
    z = rng.standard_normal((args.batch, args.z_dim))
    images = np.tanh(rng.standard_normal((args.batch, 1, 8, 8)))
    g_images = rng.standard_normal((args.batch, 1, 8, 8)) / args.batch
    g_logits = rng.standard_normal((args.batch, 1)) / args.batch

    def g_pass() -> None:
        G.forward(z)
        G.backward(g_images, input_grad=False)

    def d_pass() -> None:
        D.forward(images)
        D.backward(g_logits)

    def per_pass_us(fn, n: int) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - start) / n * 1e6

    passes = {"G": g_pass, "D": d_pass}
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            pass
    if torch is not None:
        torch.set_num_threads(1)
        tG, tD = torch_models(G, D)
        tz, timages = torch.from_numpy(z), torch.from_numpy(images)
        tg_images, tg_logits = torch.from_numpy(g_images), torch.from_numpy(g_logits)

        def torch_g_pass() -> None:
            tG.zero_grad(set_to_none=True)
            tG(tz).backward(tg_images)

        def torch_d_pass() -> None:
            tD.zero_grad(set_to_none=True)
            x = timages.clone().requires_grad_(True)  # with the input gradient, as for D above
            tD(x).backward(tg_logits)

        passes |= {"torch_G": torch_g_pass, "torch_D": torch_d_pass}
    for fn in passes.values():
        per_pass_us(fn, 10)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in passes}
    for _ in range(args.repeats):  # alternate, so that a burst of load hits all alike
        for name, fn in passes.items():
            times[name].append(per_pass_us(fn, args.passes))
    g_times, d_times = times["G"], times["D"]
    result = {
        "config": {"batch": args.batch, "z_dim": args.z_dim, "width": args.width,
                   "passes": args.passes, "repeats": args.repeats},
        "n_params": {"G": G.n_params, "D": D.n_params},
        "G_forward_backward_us": round(statistics.median(g_times), 1),
        "D_forward_backward_us": round(statistics.median(d_times), 1),
        "torch": "not installed" if torch is None else torch.__version__,
    }
    if torch is not None:
        for name in ("G", "D"):
            ratios = [a / b for a, b in zip(times[name], times[f"torch_{name}"], strict=True)]
            result[f"torch_{name}_forward_backward_us"] = round(
                statistics.median(times[f"torch_{name}"]), 1
            )
            result[f"{name}_ratio_to_torch"] = round(statistics.median(ratios), 2)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            g_pass()
            d_pass()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
