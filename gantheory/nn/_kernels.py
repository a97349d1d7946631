r"""Float64 kernels for the hyperbolic tangent, chosen once per process by measurement.

NumPy evaluates ``np.tanh`` in float64 with a SIMD loop on CPUs with AVX-512 (about 1 ns a
value) but with slower loops elsewhere; on NumPy's baseline x86-64 build (no AVX2 loop) it is
a scalar loop, several times slower than ``np.expm1``. Every kernel here computes
:math:`\tanh` in float64 to within a few units in the last place (ulps) *in relative terms*,
so the choice changes results only at that level.

Kernels
-------
``"numpy"``
    ``np.tanh``.
``"expm1"``
    With :math:`t = \operatorname{expm1}(2x)` (``x`` first clipped to :math:`[-20, 20]`,
    beyond which :math:`\tanh x` rounds to :math:`\pm 1`),

    .. math:: \tanh x = \frac{e^{2x} - 1}{e^{2x} + 1} = \frac{t}{t + 2}.

    The quotient's relative condition number is :math:`2/(t + 2) \le 2` for :math:`t > -1`,
    and :math:`\operatorname{expm1}` is accurate in relative terms near 0, so there is no
    cancellation anywhere (unlike :math:`1 - 2/(e^{2x} + 1)`, whose relative error grows like
    :math:`\epsilon/|x|` as :math:`x \to 0`). Five passes, one scratch array.

Stated bounds (:data:`TANH_ULP_BOUNDS`): 2.5 ulps for ``np.tanh`` (measured 1.15 with NumPy's
SIMD loops, 2.07 with its baseline loop) and 3 ulps for ``"expm1"`` (measured 2.50); the
measurements are tabulated in :mod:`gantheory.nn.layers`.

Both kernels give :math:`\tanh(\pm 0) = \pm 0` with its sign, :math:`\tanh(\pm\infty) = \pm 1`
and ``nan`` for ``nan``, and raise no floating-point warnings.

Choice
------
The first call of :func:`tanh` (or :func:`tanh_kernel`) fixes the kernel for the process: the
environment variable ``GANTHEORY_TANH_KERNEL`` if set (one of :data:`TANH_KERNELS`), else by
the loop NumPy dispatches float64 ``np.tanh`` to on this CPU (``numpy.lib.introspect``): a
SIMD loop (AVX2, AVX-512, ...) keeps ``np.tanh``; NumPy's baseline loop, which is scalar,
takes ``"expm1"``. The choice depends on the CPU and the NumPy build only, never on a timing,
so a run gives the same bits every time on the same machine. The measurements behind it, on
one AVX-512 CPU with its features switched off in turn (µs per 16,384 values, NumPy 2.4.6):
``np.tanh`` 14.8 (AVX-512 loop), 82 (AVX2 loop), 218 (baseline loop); ``"expm1"`` 30, 132,
143. :func:`measure_tanh_kernels` repeats the measurement on the running machine, and
:func:`set_tanh_kernel` forces a kernel, or resets the choice.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import numpy as np

__all__ = [
    "ENV_VAR",
    "TANH_KERNELS",
    "TANH_ULP_BOUNDS",
    "measure_tanh_kernels",
    "numpy_tanh_loop",
    "set_tanh_kernel",
    "tanh",
    "tanh_kernel",
]

#: Environment variable that forces a tanh kernel (one of :data:`TANH_KERNELS`).
ENV_VAR = "GANTHEORY_TANH_KERNEL"
#: Stated bound on the relative error of each kernel, in float64 ulps of the exact value.
TANH_ULP_BOUNDS = {"numpy": 2.5, "expm1": 3.0}

#: Beyond |x| = 19.06…, tanh x rounds to ±1 in float64; clipping there keeps e^{2x} finite.
_CLIP = 20.0

_scratch = threading.local()  # per thread: one flat float64 buffer, grown on demand


def _scratch_like(a: np.ndarray) -> np.ndarray:
    """A float64 array of ``a``'s shape from this thread's buffer (allocates only to grow)."""
    buf = getattr(_scratch, "buf", None)
    if buf is None or buf.size < a.size:
        buf = _scratch.buf = np.empty(max(a.size, 1), dtype=np.float64)
    return buf[: a.size].reshape(a.shape)


def _tanh_numpy(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    return np.tanh(a, out=out)


def _tanh_expm1(a: np.ndarray, out: np.ndarray) -> np.ndarray:
    scratch = _scratch_like(out)
    np.clip(a, -_CLIP, _CLIP, out=out)  # keeps nan, ±0; ±inf -> ±20
    np.multiply(out, 2.0, out=out)  # 2x, exact
    np.expm1(out, out=out)  # t = e^{2x} − 1, accurate near 0
    np.add(out, 2.0, out=scratch)  # t + 2
    return np.divide(out, scratch, out=out)  # t / (t + 2)


_KERNELS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "numpy": _tanh_numpy,
    "expm1": _tanh_expm1,
}
#: Names of the tanh kernels, in order of preference when they are equally fast.
TANH_KERNELS = tuple(_KERNELS)

_chosen: str | None = None


def _check_kernel(name: object, source: str) -> str:
    if name not in _KERNELS:
        known = ", ".join(map(repr, TANH_KERNELS))
        raise ValueError(f"{source} must be one of {known} (got {name!r})")
    return name  # type: ignore[return-value]


def measure_tanh_kernels(size: int = 16384, rounds: int = 5, calls: int = 4) -> dict[str, float]:
    """Seconds per call of each kernel on ``size`` values, the best of ``rounds``.

    The kernels alternate within each round, so a burst of load hits all of them alike.
    """
    x = np.random.default_rng(0).standard_normal(size) * 2.0
    out = np.empty_like(x)
    best = dict.fromkeys(_KERNELS, float("inf"))
    for _ in range(rounds):
        for name, kernel in _KERNELS.items():
            start = time.perf_counter()
            for _ in range(calls):
                kernel(x, out)
            best[name] = min(best[name], (time.perf_counter() - start) / calls)
    return best


def numpy_tanh_loop() -> str:
    """The loop NumPy dispatches float64 ``np.tanh`` to on this CPU (for example ``"X86_V4"``,
    ``"X86_V3"`` or ``"baseline(X86_V2)"``), or ``"unknown"`` if NumPy does not report it."""
    try:
        from numpy.lib.introspect import opt_func_info
    except ImportError:  # NumPy < 2.1
        return "unknown"
    info = opt_func_info(func_name="^tanh$", signature="float64").get("tanh", {})
    return next(iter(info.values()), {}).get("current", "unknown")


def _kernel_for_loop(loop: str) -> str:
    """The kernel for NumPy's float64 tanh loop ``loop``: ``"expm1"`` for the scalar baseline
    loop, ``"numpy"`` for a SIMD loop or when the loop is unknown."""
    return "expm1" if loop.startswith("baseline") else "numpy"


def _choose() -> str:
    forced = os.environ.get(ENV_VAR)
    if forced:
        return _check_kernel(forced, f"the environment variable {ENV_VAR}")
    return _kernel_for_loop(numpy_tanh_loop())


def tanh_kernel() -> str:
    """Name of the tanh kernel in use (chosen on the first call, see the module docstring).

    Examples
    --------
    >>> tanh_kernel() in TANH_KERNELS
    True
    """
    global _chosen
    if _chosen is None:
        _chosen = _choose()
    return _chosen


def set_tanh_kernel(name: str | None) -> None:
    """Force the tanh kernel ``name`` for this process, or with ``None`` choose afresh.

    Examples
    --------
    >>> previous = tanh_kernel()
    >>> set_tanh_kernel("expm1"); tanh_kernel()
    'expm1'
    >>> set_tanh_kernel(previous)
    """
    global _chosen
    _chosen = None if name is None else _check_kernel(name, "`name`")


def tanh(a: np.ndarray, out: np.ndarray | None = None, kernel: str | None = None) -> np.ndarray:
    """Float64 ``tanh(a)`` into ``out`` (which may be ``a``) with the kernel in use.

    Parameters
    ----------
    a : ndarray of float64
    out : ndarray of float64, optional
        Result array of ``a``'s shape; allocated if omitted.
    kernel : str, optional
        One of :data:`TANH_KERNELS`; by default the one :func:`tanh_kernel` names.

    Examples
    --------
    >>> x = np.array([-0.0, 1e-300, 0.5, np.inf])
    >>> bool(np.allclose(tanh(x, kernel="expm1"), np.tanh(x), rtol=1e-15, atol=0))
    True
    """
    if out is None:
        out = np.empty(np.shape(a), dtype=np.float64)
    name = tanh_kernel() if kernel is None else _check_kernel(kernel, "`kernel`")
    return _KERNELS[name](a, out)
