"""Tests of gantheory.nn.gradcheck itself: it passes correct VJPs, flags wrong ones, restores
parameters, and rejects bad options."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from gantheory.nn import FD_STEP, GRADCHECK_RTOL, GradCheckResult, check_param_vjp, check_vjp

M = np.array([[2.0, -1.0, 0.5], [0.3, 0.0, 4.0]])


def fun(x: np.ndarray) -> np.ndarray:
    return np.exp(np.sin(M @ x))  # (3,) -> (2,)


def vjp_at(x: np.ndarray):  # type: ignore[no-untyped-def]
    def vjp(c: np.ndarray) -> np.ndarray:
        u = M @ x
        return M.T @ (np.exp(np.sin(u)) * np.cos(u) * c)

    return vjp


def test_correct_vjp_passes_with_small_error() -> None:
    x0 = np.array([0.2, -0.4, 0.9])
    result = check_vjp(fun, vjp_at(x0), x0, rng=np.random.default_rng(60), n_directions=5)
    assert len(result.rel_errors) == 5
    assert result.passed
    # Truncation error h²·|f'''|/6 with |M| ≤ 4 is ~1e-9 here, well inside the tolerance.
    assert result.max_rel_error < GRADCHECK_RTOL / 10


@pytest.mark.parametrize(
    "bug",
    [
        lambda g: -g,  # sign error
        lambda g: 0.999 * g,  # 0.1 % scale error
        lambda g: g + 1e-4,  # small additive slip
    ],
    ids=["sign", "scale", "offset"],
)
def test_wrong_vjps_are_detected(bug) -> None:  # type: ignore[no-untyped-def]
    x0 = np.array([0.2, -0.4, 0.9])
    good = vjp_at(x0)
    result = check_vjp(fun, lambda c: bug(good(c)), x0, rng=np.random.default_rng(61))
    assert not result.passed
    assert result.max_rel_error > 1e-6


def test_transposed_jacobian_is_detected() -> None:
    # For a square map a VJP that applies J instead of Jᵀ has the right shape but is wrong.
    B = np.array([[1.0, 2.0], [-3.0, 0.5]])
    x0 = np.array([0.1, 0.2])
    result = check_vjp(lambda x: B @ x, lambda c: B @ c, x0, rng=np.random.default_rng(62))
    assert not result.passed


def test_scalar_output_is_a_directional_derivative_check() -> None:
    x0 = np.array([1.0, 2.0])
    result = check_vjp(
        lambda x: float(np.sum(x**3)), lambda c: c * 3 * x0**2, x0, rng=np.random.default_rng(63)
    )
    assert result.passed, result


def test_kinks_break_finite_differences_which_is_why_tests_avoid_them() -> None:
    # At a = 0 ReLU's one-sided derivatives differ, so the central difference (slope 1/2)
    # disagrees with any choice of subgradient: the check fails, by design of the test points.
    x0 = np.zeros(4)
    result = check_vjp(
        lambda a: np.maximum(a, 0.0), lambda c: (x0 > 0) * c, x0, rng=np.random.default_rng(64)
    )
    assert not result.passed


def test_param_check_restores_parameters_bit_for_bit() -> None:
    rng = np.random.default_rng(65)
    w = rng.standard_normal(3)
    w0 = w.copy()
    x = rng.standard_normal((4, 3))
    result = check_param_vjp(
        lambda: np.tanh(x @ w),
        lambda c: [x.T @ ((1 - np.tanh(x @ w) ** 2) * c)],
        [w],
        rng=rng,
    )
    assert result.passed
    assert w.tobytes() == w0.tobytes()


def test_param_check_restores_parameters_when_vjp_raises() -> None:
    w = np.array([1.0, 2.0])
    w0 = w.copy()

    def failing_vjp(c: np.ndarray) -> list[np.ndarray]:
        w[:] = 99.0  # even if the callback scribbles on the parameters
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        check_param_vjp(lambda: w * 2, failing_vjp, [w], rng=np.random.default_rng(66))
    assert_array_equal(w, w0)


def test_param_check_rejects_wrong_number_of_gradients() -> None:
    w = np.ones(2)
    with pytest.raises(ValueError, match=r"`vjp` must return 1 arrays like `params` \(got 2\)"):
        check_param_vjp(lambda: w, lambda c: [c, c], [w], rng=np.random.default_rng(67))


def test_same_seed_same_errors() -> None:
    x0 = np.array([0.2, -0.4, 0.9])
    a = check_vjp(fun, vjp_at(x0), x0, rng=np.random.default_rng(68))
    b = check_vjp(fun, vjp_at(x0), x0, rng=np.random.default_rng(68))
    assert a == b


def test_result_semantics() -> None:
    r = GradCheckResult((1e-9, 3e-8), rtol=1e-7)
    assert r.max_rel_error == 3e-8 and r.passed
    assert not GradCheckResult((1e-9, 2e-7), rtol=1e-7).passed
    assert FD_STEP == 1e-5


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rng": 0}, TypeError, r"`rng` must be a numpy.random.Generator \(got int\)"),
        ({"n_directions": 0}, ValueError, r"`n_directions` must be a positive integer \(got 0\)"),
        ({"step": 0.0}, ValueError, r"`step` must be a positive finite number \(got 0.0\)"),
        (
            {"step": float("inf")},
            ValueError,
            r"`step` must be a positive finite number \(got inf\)",
        ),
    ],
)
def test_bad_options_are_rejected(kwargs: dict, error: type, match: str) -> None:
    x0 = np.array([0.2, -0.4, 0.9])
    args = {"rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=match):
        check_vjp(fun, vjp_at(x0), x0, **args)
    with pytest.raises(error, match=match):
        check_param_vjp(lambda: fun(x0), lambda c: [vjp_at(x0)(c)], [x0], **args)


def test_the_error_is_relative_to_the_size_of_the_terms_of_the_inner_product() -> None:
    # f = exp elementwise: the central difference of component i is exactly
    # e^{x_i} sinh(h t_i)/h, so the error of the check follows in closed form (sinh, not a
    # difference of f); its scale is max(|lhs|, |rhs|, sum_i |c_i (Jt)_i|), so a cotangent that
    # makes <Jt, c> small by cancellation does not inflate it.
    x0 = np.linspace(-1.0, 1.0, 6)
    h = 1e-3  # truncation ~ h² t_i²/6 ~ 1e-8: far above the rounding, ~eps/h = 2e-13
    for seed in range(5):
        result = check_vjp(np.exp, lambda c: np.exp(x0) * c, x0, rng=np.random.default_rng(seed),
                           n_directions=1, step=h)
        rng = np.random.default_rng(seed)  # the check's own draws, in its order
        t = rng.standard_normal(6)
        t /= np.linalg.norm(t)
        c = rng.standard_normal(6)
        lhs = float(np.sum(t * np.exp(x0) * c))
        terms = c * np.exp(x0) * np.sinh(h * t) / h
        rhs = float(np.sum(terms))
        want = abs(lhs - rhs) / max(abs(lhs), abs(rhs), float(np.sum(np.abs(terms))))
        # the check's differences carry rounding of ~eps e^1/h = 6e-13 absolute per term
        assert result.rel_errors[0] == pytest.approx(want, rel=1e-3)
        assert want < abs(lhs - rhs) / max(abs(lhs), abs(rhs))  # the terms' size is larger
