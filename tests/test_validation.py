"""Shared input checks: each names the argument and shows the offending value."""

from __future__ import annotations

import numpy as np
import pytest

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
