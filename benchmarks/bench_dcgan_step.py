"""Throughput of one DCGAN training iteration on 8 × 8 digits, optionally against PyTorch eager.

Reference configuration: :data:`gantheory.dcgan.DCGAN_CONFIG` (minibatch m = 64, Adam with
step size 2e-4 and betas (0.5, 0.999), 32-dimensional N(0, I) noise, the non-saturating
generator loss) and the networks of :class:`gantheory.dcgan.DCGAN` at width 32, float64, one
BLAS thread, on scikit-learn's 1,797 digits. One iteration is Algorithm 1 with k = 1 as
``DCGAN.train`` runs it: a discriminator step (m real images and m generated ones through D as
two separate batches, so that batch normalisation never mixes them) and a generator step (m
fresh generated images, the gradient through D into G), each under the training loop's
floating-point trap and divergence checks. The NumPy side is the library's own
``DCGAN.train``; nothing is re-implemented.

The NumPy DCGAN runs in float64 and, as ``GANConfig(dtype="float32")`` trains it, in float32
(``--numpy-dtype``). If PyTorch is importable, the same networks (the same layers, the weights
copied from the NumPy ones, batch normalisation in training mode), the same two-batch
discriminator step, losses and Adam run in PyTorch eager mode with ``torch.set_num_threads(1)``
in the same process, in float64 and float32, alternating with the NumPy runs. Before anything
is timed, one iteration from the same weights on the same minibatch and noise must give the
same parameters in float64 (relative difference below 1e-10, asserted); in float32 the
difference of the two float32 iterations is reported. The differences are in the JSON line.
PyTorch is never a dependency of gantheory.

Usage::

    python benchmarks/bench_dcgan_step.py                       # reference configuration
    python benchmarks/bench_dcgan_step.py --timer cpu           # process CPU time (busy machine)
    python benchmarks/bench_dcgan_step.py --profile 200 2>prof.txt   # + cProfile, per-layer times
    python benchmarks/bench_dcgan_step.py --conditional --dtype float64 --no-torch
    python benchmarks/bench_dcgan_step.py --numpy-dtype float32 --dtype float32

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import dataclasses
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one BLAS thread; must precede the first import of numpy

import numpy as np  # noqa: E402

try:
    import gantheory.nn as gnn
except ImportError:  # a fresh clone, not installed: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import gantheory.nn as gnn

from gantheory.dcgan import DCGAN, DCGAN_CONFIG  # noqa: E402
from gantheory.digits import N_CLASSES, Digits  # noqa: E402
from gantheory.nn.module import Elementwise  # noqa: E402

#: Largest normwise relative difference of the float64 parameters and gradients of one
#: iteration that counts as "the same": the two codes sum in different orders, so they differ
#: by rounding (measured 3e-16 to 1e-14); 1e-10 leaves four orders of magnitude for error
#: growth through the two networks, and a modelling difference (a slope, an epsilon, mixed
#: batch statistics, a missing term) changes the gradients by far more (1e-3 and up).
SAME_PARAMS_RTOL = 1e-10

#: The runners' names (and JSON keys) of the NumPy DCGAN in each precision.
_NUMPY = {"float64": "numpy", "float32": "numpy_float32"}


# -- data and the NumPy game ------------------------------------------------------------------

def load_data(seed: int = 0) -> tuple[Digits, str]:
    """scikit-learn's digits, or (without scikit-learn) random images of the same shape."""
    try:
        from gantheory.digits import load_digits

        return load_digits(), "sklearn digits (1797)"
    except ImportError:
        rng = np.random.default_rng(seed)
        images = np.round(rng.uniform(-1.0, 1.0, size=(1797, 1, 8, 8)) * 8) / 8
        return Digits(images, rng.integers(0, N_CLASSES, size=1797)), "synthetic (no sklearn)"


def make_numpy_gan(data: Digits, seed: int, conditional: bool,
                   dtype: str = "float64") -> DCGAN:
    """The library's DCGAN at the reference configuration, trained in ``dtype``."""
    return DCGAN(data, config=dataclasses.replace(DCGAN_CONFIG, dtype=dtype),
                 rng=np.random.default_rng(seed), conditional=conditional)


# -- the same game in PyTorch ------------------------------------------------------------------

def torch_network(torch, net: gnn.Sequential, dtype):  # type: ignore[no-untyped-def]
    """``net`` as a ``torch.nn.Sequential`` in ``dtype``: the same layers, parameters and batch
    normalisation running statistics."""
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
                     layer.padding, bias=layer.has_bias, dtype=dtype, **extra)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(np.ascontiguousarray(layer.weight)))
                if layer.has_bias:
                    t.bias.copy_(torch.from_numpy(layer.bias))
            return t
        if isinstance(layer, gnn.BatchNorm):
            t = nn.BatchNorm2d(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                               dtype=dtype)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.gamma))
                t.bias.copy_(torch.from_numpy(layer.beta))
                t.running_mean.copy_(torch.from_numpy(layer.running_mean))
                t.running_var.copy_(torch.from_numpy(layer.running_var))
            return t
        if isinstance(layer, Elementwise):
            act = layer.activation
            if isinstance(act, gnn.LeakyReLU):
                return nn.LeakyReLU(act.slope)
            if act.name in ("relu", "tanh"):
                return {"relu": nn.ReLU, "tanh": nn.Tanh}[act.name]()
        raise TypeError(f"no PyTorch counterpart for {layer!r} here")

    return nn.Sequential(*(convert(layer) for layer in net.layers)).train()


class TorchDCGAN:
    """The iteration of :class:`DCGAN` in PyTorch eager mode, starting from ``gan``'s state.

    The discriminator step passes the real and the generated batch through D separately (the
    generator under ``no_grad``) with the loss ``BCE(D(x), 1) + BCE(D(G(z)), 0)`` (means over
    the batch, as ``discriminator_loss``); the generator step minimises ``BCE(D(G(z)), 1)`` (the
    non-saturating loss) with D's parameters frozen, as ``backward(..., param_grads=False)``.
    Adam has the NumPy optimisers' step sizes, betas and epsilon. Minibatches and noise are
    drawn with PyTorch's generator unless :meth:`step` is given them.
    """

    def __init__(self, torch, gan: DCGAN, dtype, seed: int = 0) -> None:  # type: ignore[no-untyped-def]
        c = gan.config
        if c.generator_loss != "nonsaturating" or c.objective.name != "goodfellow":
            raise ValueError("the PyTorch iteration is written for the reference objective")
        self.torch, self.dtype, self.gan = torch, dtype, gan
        self.F = torch.nn.functional
        self.G = torch_network(torch, gan.G, dtype)
        self.D = torch_network(torch, gan.D, dtype)
        self.opt_G = torch.optim.Adam(self.G.parameters(), lr=gan.opt_G.config.lr,
                                      betas=gan.opt_G.config.betas, eps=gan.opt_G.config.eps)
        self.opt_D = torch.optim.Adam(self.D.parameters(), lr=gan.opt_D.config.lr,
                                      betas=gan.opt_D.config.betas, eps=gan.opt_D.config.eps)
        self.m, self.nz = gan.config.m, gan.config.noise_dim
        self.conditional = gan.conditional
        self.images = torch.from_numpy(gan.data.images).to(dtype)
        self.labels = torch.from_numpy(gan.data.labels.astype(np.int64))
        self.eye = torch.eye(N_CLASSES, dtype=dtype)
        self.ones = torch.ones(self.m, 1, dtype=dtype)
        self.zeros = torch.zeros(self.m, 1, dtype=dtype)
        self.gen = torch.Generator().manual_seed(seed)

    # draws, in the order DCGAN makes them (used only when step() is not given them)
    def _indices(self):  # type: ignore[no-untyped-def]
        return self.torch.randint(0, len(self.labels), (self.m,), generator=self.gen)

    def _noise(self):  # type: ignore[no-untyped-def]
        return self.torch.randn(self.m, self.nz, generator=self.gen, dtype=self.dtype)

    def _g_input(self, z, labels):  # type: ignore[no-untyped-def]
        return z if labels is None else self.torch.cat([z, self.eye[labels]], dim=1)

    def _d_input(self, images, labels):  # type: ignore[no-untyped-def]
        if labels is None:
            return images
        planes = self.eye[labels][:, :, None, None].expand(-1, -1, *images.shape[2:])
        return self.torch.cat([images, planes], dim=1)

    def step(self, batch: dict | None = None) -> tuple:
        """One iteration; ``batch`` (from :func:`replay_draws`) fixes the minibatch, noise and
        labels, else they are drawn here. Returns the two losses as tensors."""
        torch, F, G, D = self.torch, self.F, self.G, self.D
        if batch is None:
            idx = self._indices()
            cond = self.conditional
            fake_labels_d = self.labels[self._indices()] if cond else None
            z_d = self._noise()
            fake_labels_g = self.labels[self._indices()] if cond else None
            z_g = self._noise()
        else:
            idx, z_d, z_g = batch["idx"], batch["z_d"], batch["z_g"]
            fake_labels_d, fake_labels_g = batch["fake_labels_d"], batch["fake_labels_g"]
        real_labels = self.labels[idx] if self.conditional else None
        # discriminator step: two separate batches, G without a graph
        with torch.no_grad():
            fake = G(self._g_input(z_d, fake_labels_d))
        loss_d = (F.binary_cross_entropy_with_logits(
            D(self._d_input(self.images[idx], real_labels)), self.ones)
            + F.binary_cross_entropy_with_logits(D(self._d_input(fake, fake_labels_d)),
                                                 self.zeros))
        self.opt_D.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_D.step()
        # generator step: through D, whose parameters get no gradient
        D.requires_grad_(False)
        loss_g = F.binary_cross_entropy_with_logits(
            D(self._d_input(G(self._g_input(z_g, fake_labels_g)), fake_labels_g)), self.ones)
        D.requires_grad_(True)
        self.opt_G.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_G.step()
        return loss_d, loss_g

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()


def replay_draws(torch, gan: DCGAN, dtype) -> dict:  # type: ignore[no-untyped-def]
    """The minibatch indices, labels and noise of ``gan``'s next iteration, from a copy of its
    generator (the draws of ``DCGAN.discriminator_step`` and ``generator_step`` in order)."""
    rng = copy.deepcopy(gan.rng)
    m, nz, n = gan.config.m, gan.config.noise_dim, len(gan.data)
    labels = gan.data.labels
    out: dict = {"idx": rng.integers(0, n, size=m)}
    for phase in ("d", "g"):
        out[f"fake_labels_{phase}"] = (
            torch.from_numpy(labels[rng.integers(0, n, size=m)].astype(np.int64))
            if gan.conditional else None)
        out[f"z_{phase}"] = torch.from_numpy(rng.standard_normal((m, nz))).to(dtype)
    out["idx"] = torch.from_numpy(out["idx"])
    out["_rng_after"] = rng.bit_generator.state
    return out


def _flat(torch, net, what: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    tensors = [p if what == "params" else p.grad for p in net.parameters()]
    return torch.cat([t.detach().reshape(-1) for t in tensors]).double().numpy()


def _running(net) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The batch normalisation running statistics of a NumPy or PyTorch network, flat."""
    if isinstance(net, gnn.Sequential):
        parts = [a for layer in net.layers if isinstance(layer, gnn.BatchNorm)
                 for a in (layer.running_mean, layer.running_var)]
    else:
        parts = [b.detach().double().numpy() for name, b in net.named_buffers()
                 if name.endswith(("running_mean", "running_var"))]
    return np.concatenate(parts)


def _normwise(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def live_parameters(net: gnn.Sequential) -> np.ndarray:
    """A mask of ``net.flat_params``: False on the bias of a convolution followed by batch
    normalisation, which the normalisation cancels (its gradient is zero up to rounding, so
    Adam moves it by rounding noise: ``lr · g / (|g| + eps)`` with ``g`` ~ 1e-17)."""
    mask = np.ones(net.n_params, dtype=bool)
    offset = 0
    for layer, after in zip(net.layers, [*net.layers[1:], None], strict=True):
        offset += layer.n_params
        if (isinstance(layer, gnn.Conv2d | gnn.ConvTranspose2d) and layer.has_bias
                and isinstance(after, gnn.BatchNorm)):
            mask[offset - layer.out_channels : offset] = False  # params = [weight, bias]
    return mask


def compare_one_iteration(torch, data: Digits, seed: int, conditional: bool, dtype,
                          numpy_dtype: str = "float64") -> dict:  # type: ignore[no-untyped-def]
    """One iteration of the NumPy DCGAN (trained in ``numpy_dtype``) and of
    :class:`TorchDCGAN` (in ``dtype``) from the same weights on the same minibatch and noise;
    the largest differences (normwise relative, per network).

    ``params``: parameters after the iteration, relative to the largest parameter, and
    ``update``: the same difference relative to the largest change the iteration made (a much
    stricter scale: Adam's first step moves a parameter by about the step size), both over the
    parameters that a batch normalisation does not cancel (:func:`live_parameters`);
    ``cancelled_bias``: the absolute difference of those cancelled biases (both codes move
    them by ``lr · g / (|g| + eps)`` with ``g`` their rounding noise);
    ``grads``: the gradients of the iteration (D's from its step, G's from its step);
    ``running_stats``: batch normalisation's running means and variances; ``losses``: the two
    losses, absolute difference.
    """
    gan = make_numpy_gan(data, seed, conditional, numpy_dtype)
    tgan = TorchDCGAN(torch, gan, dtype, seed)
    batch = replay_draws(torch, gan, dtype)
    before = {"G": gan.G.flat_params.copy(), "D": gan.D.flat_params.copy()}
    gan.train(1)
    assert gan.rng.bit_generator.state == batch["_rng_after"], "replayed draws out of step"
    loss_d, loss_g = tgan.step(batch)
    out: dict[str, float] = {}
    for name, net, tnet in (("G", gan.G, tgan.G), ("D", gan.D, tgan.D)):
        theirs, live = _flat(torch, tnet, "params"), live_parameters(net)
        out[f"{name}_params"] = _normwise(net.flat_params[live], theirs[live])
        if not live.all():
            out[f"{name}_cancelled_bias"] = float(np.max(np.abs(net.flat_params - theirs)[~live]))
        out[f"{name}_update"] = _normwise((net.flat_params - before[name])[live],
                                          (theirs - before[name])[live])
        out[f"{name}_grads"] = _normwise(net.flat_grads, _flat(torch, tnet, "grads"))
        out[f"{name}_running_stats"] = _normwise(_running(net), _running(tnet))
    out["losses"] = max(abs(gan.history.loss_d[-1] - loss_d.item()),
                        abs(gan.history.loss_g[-1] - loss_g.item()))
    return {k: float(f"{v:.3g}") for k, v in out.items()}


# -- timing ------------------------------------------------------------------------------------

def steps_per_second(run: Callable[[int], None], steps: int, timer) -> float:  # type: ignore[no-untyped-def]
    start = timer()
    run(steps)
    return steps / (timer() - start)


#: Layer kinds of the per-layer breakdown (JSON ``us_per_step``), by class.
_KINDS = (
    (gnn.ConvTranspose2d, "conv_transpose"),
    (gnn.Conv2d, "conv"),
    (gnn.BatchNorm, "batch_norm"),
    (Elementwise, "activations"),
    (gnn.Reshape, "reshape_flatten"),
    (gnn.Flatten, "reshape_flatten"),
)


def layer_breakdown(gan: DCGAN, steps: int, timer=time.perf_counter) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Microseconds per iteration in each kind of layer (forward and backward apart), Adam and
    the losses, timed by wrapping those calls on ``gan`` (removed afterwards) with ``timer``
    over ``steps`` iterations of ``gan.train``; ``other`` is the rest: the training loop and
    its checks, ``Sequential``'s input check, minibatch gathering, noise."""
    totals: dict[str, float] = {}
    wrapped: list[tuple[object, str, object]] = []

    def wrap(obj: object, attr: str, key: str) -> None:
        inner = getattr(obj, attr)
        # an attribute of the instance (the losses) is put back; a method is un-shadowed
        wrapped.append((obj, attr, vars(obj).get(attr)))

        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = timer()
            try:
                return inner(*args, **kwargs)
            finally:
                totals[key] = totals.get(key, 0.0) + timer() - start

        setattr(obj, attr, timed)

    for net in (gan.G, gan.D):
        for layer in net.layers:
            kind = next(k for cls, k in _KINDS if isinstance(layer, cls))
            wrap(layer, "forward", f"{kind}_forward")
            wrap(layer, "backward", f"{kind}_backward")
    wrap(gan.opt_D, "step", "adam")
    wrap(gan.opt_G, "step", "adam")
    wrap(gan, "_d_loss", "losses")
    wrap(gan, "_g_loss", "losses")
    try:
        start = timer()
        gan.train(steps)
        total = timer() - start
    finally:
        for obj, attr, own in reversed(wrapped):
            if own is None:
                delattr(obj, attr)
            else:
                setattr(obj, attr, own)
    out = {k: v / steps * 1e6 for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["other"] = total / steps * 1e6 - sum(out.values())
    out["total"] = total / steps * 1e6
    return {k: round(v, 1) for k, v in out.items()}


def profile(gan: DCGAN, steps: int, top: int = 30) -> str:
    """cProfile of ``steps`` iterations of ``gan.train``: the ``top`` functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    gan.train(steps)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


# -- the machine -------------------------------------------------------------------------------

def machine(torch=None) -> dict:  # type: ignore[no-untyped-def]
    """CPU model, AVX-512, NumPy's SIMD dispatch in use, BLAS, PyTorch, load average."""
    info: dict = {"python": platform.python_version(), "numpy": np.__version__}
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in text.splitlines()
                           if line.startswith("model name"))
        info["cpu_avx512f"] = " avx512f" in text
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or platform.machine()
    info["cores"] = os.cpu_count()
    try:  # NumPy 2.x; the table np.show_runtime() prints its "SIMD Extensions" from
        from numpy._core._multiarray_umath import (
            __cpu_baseline__,
            __cpu_dispatch__,
            __cpu_features__,
        )
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import (  # type: ignore[no-redef]
            __cpu_baseline__,
            __cpu_dispatch__,
            __cpu_features__,
        )
    info["numpy_simd_baseline"] = list(__cpu_baseline__)
    info["numpy_simd_found"] = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    # AVX-512 in NumPy's own loops: the X86_V4 target (AVX512_SKX on NumPy 1.x) is enabled
    info["numpy_avx512"] = bool(__cpu_features__.get("X86_V4", __cpu_features__.get(
        "AVX512_SKX", False)))
    # instruction-set limits set by hand (NumPy's; PyTorch's own, MKL's and oneDNN's)
    info["isa_limits"] = {v: os.environ[v] for v in (
        "NPY_DISABLE_CPU_FEATURES", "ATEN_CPU_CAPABILITY", "MKL_ENABLE_INSTRUCTIONS",
        "ONEDNN_MAX_CPU_ISA", "OPENBLAS_CORETYPE") if v in os.environ}
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [  # NumPy's and (if loaded) SciPy's own copies
            {"library": Path(d["filepath"]).name, **{k: d.get(k) for k in (
                "internal_api", "version", "architecture", "num_threads")}}
            for d in threadpool_info() if d.get("user_api") == "blas"]
    except ImportError:
        deps = np.show_config(mode="dicts").get("Build Dependencies", {})
        info["blas"] = [{k: deps.get("blas", {}).get(k) for k in ("name", "version")}]
    if torch is not None:
        info["torch"] = torch.__version__
        info["torch_cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        info["torch_threads"] = torch.get_num_threads()
        # the libraries its CPU kernels call (float32 convolutions: oneDNN; BLAS: MKL)
        info["torch_libraries"] = [line.strip(" -") for line in torch.__config__.show().splitlines()
                                   if "Math Kernel Library" in line or "MKL-DNN" in line]
    info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return info


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conditional", action="store_true",
                        help="the conditional DCGAN (one-hot labels into G and D)")
    parser.add_argument("--dtype", choices=["both", "float64", "float32"], default="both",
                        help="PyTorch's precision(s)")
    parser.add_argument("--numpy-dtype", choices=["both", "float64", "float32"], default="both",
                        help="the NumPy DCGAN's precision(s)")
    parser.add_argument("--steps", type=int, default=100, help="iterations per timing run")
    parser.add_argument("--warmup", type=int, default=20, help="untimed iterations first")
    parser.add_argument("--repeats", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--timer", choices=["wall", "cpu"], default="wall",
        help="wall clock (default) or this process's CPU time (steadier on a busy machine)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument(
        "--profile", type=int, metavar="STEPS",
        help="also cProfile STEPS NumPy iterations (stderr) and time each kind of layer (JSON)")
    args = parser.parse_args(argv)
    timer = time.perf_counter if args.timer == "wall" else time.process_time

    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
    if torch is not None:
        torch.set_num_threads(1)
    data, data_name = load_data(args.seed)
    load_start = os.getloadavg()[0]
    np_dtypes = ["float64", "float32"] if args.numpy_dtype == "both" else [args.numpy_dtype]
    gans = {name: make_numpy_gan(data, args.seed, args.conditional, name) for name in np_dtypes}
    gan = gans[np_dtypes[0]]  # the one profiled
    runners: dict[str, Callable[[int], None]] = {_NUMPY[name]: g.train for name, g in gans.items()}
    dtypes = ["float64", "float32"] if args.dtype == "both" else [args.dtype]
    result: dict = {
        "benchmark": "dcgan_step",
        "config": {
            "conditional": args.conditional, "m": gan.config.m,
            "noise_dim": gan.config.noise_dim, "width": gan.D.layers[0].out_channels,
            "lr": gan.config.lr_d,
            "betas": list(gan.config.betas), "generator_loss": gan.config.generator_loss,
            "n_params": {"G": gan.G.n_params, "D": gan.D.n_params}, "data": data_name,
            "steps": args.steps, "repeats": args.repeats, "numpy_dtype": np_dtypes,
            "threads": 1, "timer": args.timer,
        },
    }
    if torch is not None:
        result["same_one_iteration"] = {}
        for name in dtypes:
            dtype = getattr(torch, name)
            # NumPy in the same precision where it runs in it (else float64)
            same = name if name in np_dtypes else "float64"
            diffs = compare_one_iteration(torch, data, args.seed, args.conditional, dtype, same)
            result["same_one_iteration"][name] = {"numpy_dtype": same, **diffs}
            if name == "float64":
                # the parameters, and the gradients (Adam's first step is nearly lr·sign(g),
                # so the parameters alone would hide a gradient wrong by a positive factor)
                worst = max(diffs[f"{n}_{w}"] for n in "GD" for w in ("params", "grads"))
                assert worst < SAME_PARAMS_RTOL, f"NumPy and PyTorch iterations differ: {diffs}"
            runners[f"torch_{name}"] = TorchDCGAN(torch, make_numpy_gan(
                data, args.seed, args.conditional), dtype, args.seed).run
    for run in runners.values():
        run(args.warmup)
    runs: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.repeats):  # alternate, so machine noise hits every runner alike
        for name, run in runners.items():
            runs[name].append(steps_per_second(run, args.steps, timer))
    for key in runs:
        result[f"{key}_steps_per_s"] = round(statistics.median(runs[key]), 2)
        result[f"{key}_runs"] = [round(r, 2) for r in runs[key]]
    if torch is None:
        result["torch"] = "not installed" if not args.no_torch else "skipped"
    # paired: each repeat's ratio uses runs measured back to back, then the median
    pairs = [(_NUMPY[n], f"torch_{t}") for n in np_dtypes for t in dtypes
             if n == "float64" or t == "float32"]  # not float32 NumPy against float64 PyTorch
    if len(np_dtypes) == 2:
        pairs.append(("numpy_float32", "numpy"))  # float32's speed-up over float64
    for a, b in pairs:
        if a in runs and b in runs:
            ratios = [x / y for x, y in zip(runs[a], runs[b], strict=True)]
            result[f"ratio_{a}_to_{b}"] = round(statistics.median(ratios), 3)
    if args.profile:
        result["us_per_step"] = layer_breakdown(gan, args.profile, timer)
        print(profile(gan, args.profile), file=sys.stderr)
    result["machine"] = machine(torch)
    result["machine"]["loadavg_at_start"] = round(load_start, 2)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
