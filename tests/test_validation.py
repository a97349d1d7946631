"""Shared input checks: each names the argument and shows the offending value."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import gantheory as gt
from gantheory._validation import (
    as_probability_vector,
    check_finite_array,
    check_positive,
    check_unit_interval,
    describe,
)


def test_probability_vector_is_renormalised_and_read_only() -> None:
    p = as_probability_vector([0.2, 0.3, 0.5 + 1e-12], "p")
    assert p.sum() == pytest.approx(1.0, abs=2e-16) and not p.flags.writeable


def test_finite_array_reports_first_bad_index_in_2d() -> None:
    with pytest.raises(ValueError, match=r"`x` must be finite \(got inf at index \(1, 0\)"):
        check_finite_array([[1.0, 2.0], [np.inf, 0.0]], "x")


def test_unit_interval_reports_value_and_index() -> None:
    with pytest.raises(ValueError, match=r"`D` must lie in \[0, 1\] \(got 2.0 at index 2"):
        check_unit_interval(np.array([0.0, 1.0, 2.0]), "D")


@pytest.mark.parametrize(
    ("value", "allow_zero", "error", "match"),
    [
        (0.0, False, ValueError, r"`lr` must be finite and positive \(got 0.0\)"),
        (-1.0, True, ValueError, r"`lr` must be finite and non-negative \(got -1.0\)"),
        (np.nan, False, ValueError, r"`lr` must be finite and positive \(got nan\)"),
        ("1e-3", False, TypeError, r"`lr` must be a real number"),
        (True, False, TypeError, r"`lr` must be a real number"),
    ],
)
def test_check_positive_errors(value: object, allow_zero: bool, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        check_positive(value, "lr", allow_zero=allow_zero)


def test_check_positive_accepts() -> None:
    assert check_positive(3, "k") == 3.0
    assert check_positive(0.0, "w", allow_zero=True) == 0.0


def test_describe_truncates_long_values() -> None:
    text = describe(list(range(1000)))
    assert len(text) <= 80 and text.endswith("...")


# --- atol / rtol: validated by every public function that takes them ---------------------------
def _quad_functions() -> list[object]:
    half = [0.5, 0.5]
    n0, n1 = stats.norm(0, 1), stats.norm(1, 1)
    cases = []
    for kind, p, q, d in (("discrete", half, [0.2, 0.8], half),
                          ("continuous", n0, n1, lambda x: np.full(np.shape(x), 0.5))):
        cases += [
            pytest.param(lambda kw, p=p: gt.entropy(p, **kw), id=f"entropy-{kind}"),
            pytest.param(lambda kw, p=p, q=q: gt.cross_entropy(p, q, **kw), id=f"cross-{kind}"),
            pytest.param(lambda kw, p=p, q=q: gt.kl(p, q, **kw), id=f"kl-{kind}"),
            pytest.param(lambda kw, p=p, q=q: gt.jsd(p, q, **kw), id=f"jsd-{kind}"),
            pytest.param(lambda kw, p=p, q=q: gt.tv(p, q, **kw), id=f"tv-{kind}"),
            pytest.param(lambda kw, p=p, q=q, d=d: gt.value(p, q, d, **kw), id=f"value-{kind}"),
            pytest.param(lambda kw, p=p, q=q: gt.optimal_value(p, q, **kw), id=f"c-{kind}"),
            pytest.param(lambda kw, q=q, d=d: gt.generator_objective_minimax(q, d, **kw),
                         id=f"minimax-{kind}"),
            pytest.param(lambda kw, q=q, d=d: gt.generator_objective_nonsaturating(q, d, **kw),
                         id=f"nonsat-{kind}"),
        ]
    return cases


BAD_TOLERANCES = [
    ({"atol": -1.0}, ValueError,
     r"`atol` must be a finite number >= 0 \(got -1.0\); it bounds the absolute error"),
    ({"rtol": -1e-12}, ValueError,
     r"`rtol` must be a finite number >= 0 \(got -1e-12\); it bounds the relative error"),
    ({"atol": float("nan")}, ValueError, r"`atol` must be a finite number >= 0 \(got nan\)"),
    ({"rtol": float("inf")}, ValueError, r"`rtol` must be a finite number >= 0 \(got inf\)"),
    ({"atol": 0.0, "rtol": 0.0}, ValueError,
     r"`atol` and `rtol` must not both be 0 \(got atol=0, rtol=0\): no float64 computation is"
     r" exact; ask for an absolute accuracy \(atol > 0\), a relative one \(rtol > 0\), or both"),
    ({"atol": "1e-8"}, TypeError, r"`atol` must be a real number \(got '1e-8'\)"),
    ({"rtol": None}, TypeError, r"`rtol` must be a real number \(got None\)"),
    ({"atol": True}, TypeError, r"`atol` must be a real number \(got True\)"),
    ({"atol": np.array([1e-8])}, TypeError, r"`atol` must be a real number"),
]


@pytest.mark.parametrize("call", _quad_functions())
@pytest.mark.parametrize(("kw", "error", "match"), BAD_TOLERANCES)
def test_bad_tolerances_are_refused_everywhere(
    call: object, kw: dict, error: type, match: str
) -> None:
    """Formerly kl(N(0,1), N(1,1), atol=-1) returned inf; for discrete input the tolerances
    were ignored whatever they were."""
    with pytest.raises(error, match=match):
        call(kw)  # type: ignore[operator]


@pytest.mark.parametrize("call", _quad_functions())
def test_valid_tolerances_are_accepted(call: object) -> None:
    assert np.isfinite(call({"atol": 1e-8, "rtol": 0}))  # type: ignore[operator]
    assert np.isfinite(call({"atol": 0, "rtol": 1e-8}))  # type: ignore[operator]


# --- arrays NumPy would cast silently -----------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "what"),
    [
        ([True, False], "booleans"),
        (np.array([1, 0], dtype=bool), "booleans"),
        ([0.5 + 0j, 0.5], "complex numbers"),
        (np.array([0.5, 0.5], dtype=complex), "complex numbers"),
        (["0.5", "0.5"], "strings"),
        (np.array([0.5, True], dtype=object), "booleans"),
    ],
)
def test_non_real_arrays_are_refused(x: object, what: str) -> None:
    msg = r"`{}` must be an array of real numbers, not of " + what
    with pytest.raises(TypeError, match=msg.format("p")):
        as_probability_vector(x, "p")
    with pytest.raises(TypeError, match=msg.format("probs")):
        gt.Discrete(x)
    with pytest.raises(TypeError, match=msg.format("q")):
        gt.kl([0.5, 0.5], x)


def test_real_arrays_of_every_numeric_dtype_are_accepted() -> None:
    for x in (np.array([1, 0]), np.array([0.5, 0.5], dtype=np.float32), [np.int64(1)],
              np.array([0.5, 0.5], dtype=object)):
        assert check_finite_array(x, "p").dtype == np.float64
