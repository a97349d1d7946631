"""Tests of the float64 tanh kernels: accuracy in ulps against mpmath, special values, no
floating-point warnings, in-place use, no allocation per call, how the kernel is chosen and
overridden, and the MLP gradient checks with each kernel forced."""

from __future__ import annotations

import tracemalloc

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from gantheory.nn import MLP, Tanh, _kernels, check_module
from gantheory.nn.layers import TANH_KERNELS, set_tanh_kernel, tanh_kernel


@pytest.fixture
def restore_choice():
    """Leave the process-wide kernel choice as it was (tests here force and reset it)."""
    before = _kernels._chosen
    yield
    _kernels._chosen = before


def _sample() -> np.ndarray:
    """A fixed sample: a grid of [-20, 20] (through ±0.5, where 1 − y² matters most), uniform
    values on [-20, 20], log-uniform magnitudes in [1e-300, 1e-8] of both signs, subnormals."""
    rng = np.random.default_rng(20261202)
    tiny = 10.0 ** rng.uniform(-300, -8, 300) * rng.choice([-1.0, 1.0], 300)
    subnormal = rng.uniform(-1.0, 1.0, 50) * np.finfo(np.float64).smallest_normal
    return np.concatenate(
        [np.linspace(-20.0, 20.0, 4001), rng.uniform(-20.0, 20.0, 3000), tiny, subnormal]
    )


SAMPLE = _sample()


def _reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mpmath's tanh at 200 bits as a float64 pair hi + lo (independent of NumPy's tanh)."""
    hi, lo = np.empty_like(x), np.empty_like(x)
    with mpmath.workprec(200):
        for i, v in enumerate(x.tolist()):
            t = mpmath.tanh(mpmath.mpf(v))
            hi[i] = float(t)
            lo[i] = float(t - mpmath.mpf(hi[i]))
    return hi, lo


REF_HI, REF_LO = _reference(SAMPLE)


def _ulp_errors(y: np.ndarray) -> np.ndarray:
    # y − hi is exact (Sterbenz) for y within a factor 2 of hi, so this is |y − tanh x| / ulp.
    return np.abs((y - REF_HI) - REF_LO) / np.spacing(np.abs(REF_HI))


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_each_kernel_is_within_its_stated_ulp_bound(kernel: str) -> None:
    err = _ulp_errors(_kernels.tanh(SAMPLE, kernel=kernel))
    # The bound is the documented one (TANH_ULP_BOUNDS); the reference is correct to 2^-200.
    assert err.max() <= _kernels.TANH_ULP_BOUNDS[kernel], (kernel, err.max(), SAMPLE[err.argmax()])


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_tiny_and_subnormal_values_keep_their_relative_accuracy(kernel: str) -> None:
    # Where tanh x = x(1 − x²/3 + …) rounds to x (|x| < 1e-8 here), a kernel without
    # cancellation returns x to within one ulp, as a relative, not an absolute, error.
    small = np.abs(SAMPLE) < 1e-8
    y = _kernels.tanh(SAMPLE[small], kernel=kernel)
    assert np.all(np.abs(y - SAMPLE[small]) <= np.spacing(np.abs(SAMPLE[small])))


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_special_values_are_exact_and_raise_no_floating_point_error(kernel: str) -> None:
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e308, -1e308, 25.0, -25.0])
    expected = np.array([0.0, -0.0, 1.0, -1.0, np.nan, 1.0, -1.0, 1.0, -1.0])
    with np.errstate(all="raise"):  # overflow in e^{2x} or 2x, or inf/inf, would raise here
        y = _kernels.tanh(x, kernel=kernel)
    assert_array_equal(y, expected)
    assert_array_equal(np.signbit(y), np.signbit(expected))  # tanh(−0) = −0


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_in_place_and_strided_calls_match_a_fresh_result(kernel: str) -> None:
    a = np.random.default_rng(1).standard_normal((6, 40)) * 3
    fresh = _kernels.tanh(a, kernel=kernel)
    inplace = a.copy()
    assert _kernels.tanh(inplace, out=inplace, kernel=kernel) is inplace
    assert_array_equal(inplace, fresh)
    strided = a.T.copy().T[:, ::3]  # Fortran-ordered and strided
    assert_array_equal(_kernels.tanh(strided, kernel=kernel), fresh[:, ::3])


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_repeated_calls_allocate_nothing(kernel: str) -> None:
    # The scratch array is per thread and grows only for a larger input: after one call at
    # the largest size, calls at that size and below allocate no array (the peak stays below
    # one 8 KiB array of the 1024 values; a view is ~100 B) and live memory does not grow.
    a, out = np.linspace(-3, 3, 1024), np.empty(1024)
    _kernels.tanh(a, out=out, kernel=kernel)

    def calls(n: int) -> None:
        for _ in range(n):
            _kernels.tanh(a, out=out, kernel=kernel)
            _kernels.tanh(a[:512], out=out[:512], kernel=kernel)

    tracemalloc.start()
    try:
        calls(10)
        early, _ = tracemalloc.get_traced_memory()
        calls(200)
        late, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert late - early <= 256 and peak < 8192, (early, late, peak)


@pytest.mark.parametrize("kernel", TANH_KERNELS)
@pytest.mark.parametrize("sizes", [[1, 16, 16, 1], [2, 6, 6, 6, 2]])
def test_mlp_gradient_checks_pass_with_each_kernel_forced(
    kernel: str, sizes: list[int], restore_choice: None
) -> None:
    set_tanh_kernel(kernel)
    assert tanh_kernel() == kernel
    rng = np.random.default_rng(31)
    net = MLP(sizes, "tanh", rng=rng)
    assert all(act.kernel == kernel for act in net.activations[:-1])
    for b in net.params[1::2]:
        b[...] = 0.1 * rng.standard_normal(b.shape)
    x = 2 * rng.standard_normal((8, sizes[0]))
    wrt_x, wrt_params = check_module(net, x, rng=rng)  # relative tolerance GRADCHECK_RTOL = 1e-7
    assert wrt_x.passed, wrt_x
    assert wrt_params.passed, wrt_params


@pytest.mark.parametrize("kernel", TANH_KERNELS)
def test_a_layer_can_fix_its_kernel(kernel: str, restore_choice: None) -> None:
    other = next(k for k in TANH_KERNELS if k != kernel)
    set_tanh_kernel(other)
    layer = Tanh(kernel=kernel)
    assert layer.kernel == kernel and Tanh().kernel == other
    assert repr(layer) == f"Tanh(kernel={kernel!r})"
    a = np.linspace(-4, 4, 101)
    assert_array_equal(layer.forward(a), _kernels.tanh(a, kernel=kernel))
    # the kernels agree with each other to within their bounds (3 ulps near |y| ≤ 1)
    assert_allclose(layer.forward(a), np.tanh(a), rtol=4 * np.finfo(float).eps, atol=0)


def test_the_environment_variable_forces_a_kernel(monkeypatch, restore_choice: None) -> None:
    for kernel in TANH_KERNELS:
        monkeypatch.setenv(_kernels.ENV_VAR, kernel)
        set_tanh_kernel(None)
        assert tanh_kernel() == kernel
    monkeypatch.setenv(_kernels.ENV_VAR, "sleef")
    set_tanh_kernel(None)
    with pytest.raises(ValueError, match=r"GANTHEORY_TANH_KERNEL must be one of .*'sleef'"):
        tanh_kernel()


@pytest.mark.parametrize(
    ("loop", "chosen"),
    [
        ("X86_V4", "numpy"),  # AVX-512: np.tanh's SIMD loop, 14.8 µs against 30
        ("X86_V3", "numpy"),  # AVX2: 82 µs against 132
        ("baseline(X86_V2)", "expm1"),  # scalar: 218 µs against 143
        ("ASIMD", "numpy"),
        ("unknown", "numpy"),
    ],
)
def test_the_kernel_follows_numpys_tanh_loop(
    monkeypatch, restore_choice: None, loop: str, chosen: str
) -> None:
    """Chosen from the loop NumPy dispatches to, never from a timing: the same machine gives
    the same kernel, and so the same bits, in every run."""
    monkeypatch.delenv(_kernels.ENV_VAR, raising=False)
    monkeypatch.setattr(_kernels, "numpy_tanh_loop", lambda: loop)
    set_tanh_kernel(None)
    assert tanh_kernel() == chosen


def test_numpys_tanh_loop_is_reported() -> None:
    loop = _kernels.numpy_tanh_loop()
    assert loop == "unknown" or loop in {"X86_V4", "X86_V3"} or loop.startswith("baseline") \
        or loop.isupper(), loop


def test_the_micro_benchmark_times_every_kernel() -> None:
    timings = _kernels.measure_tanh_kernels(size=256, rounds=1, calls=1)
    assert set(timings) == set(TANH_KERNELS)
    assert all(0 < t < 1 for t in timings.values())  # seconds per call of 256 values


def test_bad_kernel_names_are_rejected(restore_choice: None) -> None:
    with pytest.raises(ValueError, match=r"`kernel` must be None or one of .*'fast'"):
        Tanh(kernel="fast")
    with pytest.raises(ValueError, match=r"`name` must be one of .*'fast'"):
        set_tanh_kernel("fast")
    with pytest.raises(ValueError, match=r"`kernel` must be one of .*'fast'"):
        _kernels.tanh(np.zeros(2), kernel="fast")
