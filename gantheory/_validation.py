"""Shared input checks with clear messages.

Every public function validates its inputs through these helpers, so that bad input raises a
``ValueError`` (or ``TypeError``) that names the argument in backticks and shows the offending
value, instead of propagating a silent NaN or a wrong number.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import numpy.typing as npt

__all__ = [
    "SUM_ATOL",
    "as_probability_vector",
    "check_finite_array",
    "check_positive",
    "check_tolerances",
    "check_unit_interval",
    "describe",
]

#: Tolerance on ``|sum(p) - 1|`` for a probability vector: sqrt of float64 machine epsilon
#: (about 1.5e-8), the same criterion as ``numpy.random.Generator.choice``. It accepts vectors
#: typed by hand with rounding (``[0.1] * 10`` sums to 0.9999999999999999) and rejects real
#: mistakes; accepted vectors are then renormalised exactly (``p / p.sum()``).
SUM_ATOL: float = float(np.sqrt(np.finfo(np.float64).eps))


def describe(value: object, limit: int = 80) -> str:
    """A short ``repr`` of ``value`` for error messages."""
    text = repr(value)
    if isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=8, precision=6, separator=", ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_finite_array(x: npt.ArrayLike, name: str, *, ndim: int | None = None) -> np.ndarray:
    """``x`` as a float64 array, rejecting non-numeric, non-finite and wrongly shaped input.

    Booleans, complex numbers and strings are refused with a ``TypeError`` rather than cast:
    NumPy would turn ``[True, False]`` into ``[1.0, 0.0]``, ``0.5 + 0j`` into ``0.5`` with only a
    ``ComplexWarning`` and ``"0.5"`` into ``0.5``.
    """
    raw = x if isinstance(x, np.ndarray) else None
    if raw is None:
        try:
            raw = np.asarray(x)
        except (TypeError, ValueError) as exc:  # ragged nested sequences
            raise TypeError(
                f"`{name}` must be an array of real numbers (got {describe(x)})"
            ) from exc
    kind = raw.dtype.kind
    if kind == "O":
        kinds = {np.asarray(v).dtype.kind for v in raw.reshape(-1)}
        kind = next((k for k in "bcUSMm" if k in kinds), "O")
    if kind in _NOT_REAL:
        raise TypeError(
            f"`{name}` must be an array of real numbers, not of {_NOT_REAL[kind]}"
            f" (got {describe(x)})"
        )
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"`{name}` must be an array of real numbers (got {describe(x)})") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"`{name}` must be {ndim}-dimensional (got shape {arr.shape}: {describe(x)})"
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        index = where[0] if len(where) == 1 else where
        raise ValueError(
            f"`{name}` must be finite (got {float(arr[where])!r} at index {index}:"
            f" {describe(arr)})"
        )
    return arr


#: dtype kinds refused by :func:`check_finite_array`, with how the message names them.
_NOT_REAL = {
    "b": "booleans",
    "c": "complex numbers",
    "U": "strings",
    "S": "strings",
    "M": "dates",
    "m": "time differences",
}


def as_probability_vector(p: npt.ArrayLike, name: str) -> np.ndarray:
    """Validate a probability vector and return it renormalised, as a read-only float64 array.

    Raises ``ValueError`` for an empty, non-1-D, non-finite or negative vector, or one whose
    sum differs from 1 by more than :data:`SUM_ATOL`.
    """
    arr = check_finite_array(p, name, ndim=1)
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty")
    if (arr < 0).any():
        i = int(np.argmax(arr < 0))
        raise ValueError(
            f"`{name}` must be non-negative (got {float(arr[i])!r} at index {i}: {describe(arr)})"
        )
    total = float(arr.sum())
    if abs(total - 1.0) > SUM_ATOL:
        raise ValueError(
            f"`{name}` must sum to 1 within {SUM_ATOL:.1e} (got sum {total!r}: {describe(arr)});"
            " use Discrete.from_weights to normalise non-negative weights"
        )
    out = arr / total
    out.setflags(write=False)
    return out


def check_unit_interval(d: np.ndarray, name: str) -> np.ndarray:
    """Reject NaN and values outside [0, 1] in the discriminator output ``d``."""
    if np.isnan(d).any():
        i = tuple(int(k) for k in np.argwhere(np.isnan(d))[0])
        raise ValueError(f"`{name}` must not be NaN (got NaN at index {_index(i)})")
    out = (d < 0) | (d > 1)
    if out.any():
        i = tuple(int(k) for k in np.argwhere(out)[0])
        raise ValueError(
            f"`{name}` must lie in [0, 1] (got {float(d[i])!r} at index {_index(i)}:"
            f" {describe(d)})"
        )
    return d


def _index(i: tuple[int, ...]) -> int | tuple[int, ...]:
    return i[0] if len(i) == 1 else i


def check_positive(x: object, name: str, *, allow_zero: bool = False) -> float:
    """``x`` as a float, which must be finite and positive (or non-negative)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"`{name}` must be a real number (got {describe(x)})")
    v = float(x)
    ok = np.isfinite(v) and (v >= 0 if allow_zero else v > 0)
    if not ok:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"`{name}` must be finite and {kind} (got {v!r})")
    return v


def check_tolerances(atol: object, rtol: object) -> tuple[float, float]:
    """Validate the accuracy ``atol + rtol * |value|`` requested from a numerical function.

    Each must be a finite, non-negative real number, and they must not both be 0 (no float64
    computation meets an exact request). Checked for every input, also for exact sums where the
    tolerances go unused, so that a mistyped call fails the same way for every distribution.

    Raises
    ------
    TypeError
        If ``atol`` or ``rtol`` is not a real number (a string, a boolean, an array, None).
    ValueError
        If either is negative, NaN or infinite, or both are 0.

    Examples
    --------
    >>> check_tolerances(1e-10, 0)
    (1e-10, 0.0)
    >>> check_tolerances(-1, 1e-12)
    Traceback (most recent call last):
    ...
    ValueError: `atol` must be a finite number >= 0 (got -1); it bounds the absolute error
    """
    out = []
    for name, v, what in (("atol", atol, "absolute"), ("rtol", rtol, "relative")):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"`{name}` must be a real number (got {describe(v)})")
        f = float(v)
        if not (math.isfinite(f) and f >= 0):
            raise ValueError(
                f"`{name}` must be a finite number >= 0 (got {v!r}); it bounds the {what} error"
            )
        out.append(f)
    if out[0] == 0 and out[1] == 0:
        raise ValueError(
            "`atol` and `rtol` must not both be 0 (got atol=0, rtol=0): no float64 computation"
            " is exact; ask for an absolute accuracy (atol > 0), a relative one (rtol > 0), or"
            " both"
        )
    return out[0], out[1]
