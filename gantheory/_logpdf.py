"""Log-densities of common scipy.stats families, written out: scalar (:mod:`math`) and array.

SciPy's QUADPACK calls the integrand with one float at a time, and a scalar call into a
scipy.stats frozen distribution's ``logpdf`` costs 30-60 us of argument checking and
broadcasting for well under 1 us of arithmetic: on the continuous property runs that overhead was
two thirds of the run time. :func:`scalar_logpdf` returns, for the families below, a plain
``float -> float`` function with the same formula SciPy uses (the same standardisation
``z = (x - loc) / scale`` and ``log f(z) - log scale``, the normalising constant computed once
with :mod:`scipy.special`), and falls back to the frozen distribution for any other family.

The written-out forms also avoid two defects of SciPy's: the Laplace and hyperbolic-secant
log-densities are ``log(pdf)`` there, ``-inf`` beyond about 745 scales although the density is
positive everywhere (KL(t_3 || Laplace) is finite, but log(0) made it inf); and Student's t
squares ``z``, overflowing beyond ``|z| = 1e154``. For arrays, :func:`array_logpdf` writes out
the first two the same way (NumPy) and leaves every other family to SciPy.
``tests/test_distributions.py`` compares every family with SciPy's ``logpdf`` on grids that
include the support ends, the outside and the far tails.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

ScalarLogpdf = Callable[[float], float]

_LOG_PI = math.log(math.pi)
_LOG_2 = math.log(2.0)
_HALF_LOG_2PI = math.log(math.sqrt(2.0 * math.pi))  # SciPy's _norm_pdf_logC, bit for bit
_NEG_INF = -math.inf


def _normal(_: tuple[float, ...]) -> ScalarLogpdf:
    return lambda z: -z * z / 2.0 - _HALF_LOG_2PI


def _laplace(_: tuple[float, ...]) -> ScalarLogpdf:
    return lambda z: -abs(z) - _LOG_2


def _log_cosh(z: float) -> float:
    a = abs(z)
    return a + math.log1p(math.exp(-2.0 * a)) - _LOG_2


def _hypsecant(_: tuple[float, ...]) -> ScalarLogpdf:
    return lambda z: -_LOG_PI - _log_cosh(z)


def _log_cosh_array(z: np.ndarray) -> np.ndarray:
    a = np.abs(z)
    return a + np.log1p(np.exp(-2.0 * a)) - _LOG_2


#: Standardized array log-densities of the families whose SciPy ``logpdf`` underflows.
_ARRAY_FORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "laplace": lambda z: -np.abs(z) - _LOG_2,
    "hypsecant": lambda z: -_LOG_PI - _log_cosh_array(z),
}


def array_logpdf(
    family: str, loc: float, scale: float, fallback: Callable[[npt.ArrayLike], np.ndarray]
) -> Callable[[npt.ArrayLike], np.ndarray]:
    """An array log-density of ``family(loc=loc, scale=scale)`` that does not underflow.

    Laplace and hypsecant are written out; every other family is ``fallback`` (the frozen
    distribution's own ``logpdf``).
    """
    standard = _ARRAY_FORMS.get(family)
    if standard is None:
        return fallback
    log_scale = math.log(scale)

    def logpdf(x: npt.ArrayLike) -> np.ndarray:
        return standard((np.asarray(x, dtype=np.float64) - loc) / scale) - log_scale

    return logpdf


def _logistic(_: tuple[float, ...]) -> ScalarLogpdf:
    def f(z: float) -> float:
        y = -abs(z)
        return y - 2.0 * math.log1p(math.exp(y))

    return f


def _cauchy(_: tuple[float, ...]) -> ScalarLogpdf:
    def f(z: float) -> float:
        a = abs(z)
        if a < 1.0:
            return -_LOG_PI - math.log1p(a * a)
        return -_LOG_PI - (2.0 * math.log(a) + math.log1p((1.0 / a) ** 2))

    return f


def _t(shapes: tuple[float, ...]) -> ScalarLogpdf:
    (df,) = shapes
    if math.isinf(df):
        return _normal(())
    const = float(math.log(special.poch(0.5 * df, 0.5)) - 0.5 * (math.log(df) + _LOG_PI))
    half = (df + 1.0) / 2.0
    log_df = math.log(df)

    def f(z: float) -> float:
        a = abs(z)
        if a < 1e150:
            return const - half * math.log1p(a * a / df)
        # z*z would overflow: log1p(z^2/df) = 2 log|z| - log df + log1p(df/z^2), last term < 1e-300
        return const - half * (2.0 * math.log(a) - log_df)

    return f


def _xlogy(c: float, y: float) -> float:
    """``c log y`` with ``0 log 0 = 0`` and ``c log 0 = -inf * sign(c)`` (SciPy's xlogy)."""
    if c == 0.0:
        return 0.0
    return c * math.log(y) if y > 0.0 else -math.copysign(math.inf, c)


def _xlog1py(c: float, y: float) -> float:
    """``c log(1 + y)`` with the same conventions at ``y = -1``."""
    if c == 0.0:
        return 0.0
    return c * math.log1p(y) if y > -1.0 else -math.copysign(math.inf, c)


def _beta(shapes: tuple[float, ...]) -> ScalarLogpdf:
    a, b = shapes
    log_b = float(special.betaln(a, b))

    def f(z: float) -> float:
        if not 0.0 <= z <= 1.0:
            return _NEG_INF
        return _xlog1py(b - 1.0, -z) + _xlogy(a - 1.0, z) - log_b

    return f


def _arcsine(_: tuple[float, ...]) -> ScalarLogpdf:
    def f(z: float) -> float:
        if not 0.0 <= z <= 1.0:
            return _NEG_INF
        if z == 0.0 or z == 1.0:
            return math.inf
        return -_LOG_PI - 0.5 * (math.log(z) + math.log1p(-z))

    return f


def _uniform(_: tuple[float, ...]) -> ScalarLogpdf:
    return lambda z: 0.0 if 0.0 <= z <= 1.0 else _NEG_INF


#: Standardized log-density factories by scipy.stats family name; shapes are the family's shape
#: parameters. Families with a bounded support return -inf outside it themselves.
_FAMILIES: dict[str, Callable[[tuple[float, ...]], ScalarLogpdf]] = {
    "norm": _normal,
    "laplace": _laplace,
    "hypsecant": _hypsecant,
    "logistic": _logistic,
    "cauchy": _cauchy,
    "t": _t,
    "beta": _beta,
    "arcsine": _arcsine,
    "uniform": _uniform,
}


def is_written_out(family: str) -> bool:
    """Whether :func:`scalar_logpdf` has a formula of its own for ``family``."""
    return family in _FAMILIES


def scalar_logpdf(
    family: str, shapes: tuple[float, ...], loc: float, scale: float,
    fallback: Callable[[float], object],
) -> ScalarLogpdf:
    """A ``float -> float`` log-density of ``family(*shapes, loc=loc, scale=scale)``.

    ``fallback`` is used for families not written out here: a ``float -> float`` function such
    as :func:`scipy_scalar_logpdf` or the frozen distribution's own ``logpdf``. A NaN argument
    gives NaN, as in SciPy.
    """
    factory = _FAMILIES.get(family)
    if factory is None:
        return lambda x: float(fallback(x))  # type: ignore[arg-type]
    standard = factory(shapes)
    log_scale = math.log(scale)

    def logpdf(x: float) -> float:
        z = (x - loc) / scale
        if z != z:  # NaN
            return math.nan
        return standard(z) - log_scale

    return logpdf


def scipy_scalar_logpdf(
    family: object, shapes: tuple[float, ...], loc: float, scale: float
) -> ScalarLogpdf:
    """SciPy's own log-density of ``family(*shapes, loc=loc, scale=scale)`` at one float, without
    the argument handling of ``rv_continuous.logpdf``.

    ``logpdf`` standardises ``z = (x - loc) / scale``, tests ``z`` against the support (open or
    closed at each end, as the family's ``_support_mask`` says) and returns
    ``_logpdf(z, *shapes) - log(scale)``; this does the same arithmetic on a float, in a
    quarter of the time (the median over scipy.stats's families is about 13 us against 50 us).
    ``family`` is the ``rv_continuous`` instance (``frozen.dist``).
    """
    fam = family
    a, b = (float(v) for v in fam._get_support(*shapes))  # type: ignore[attr-defined]

    def closed(end: float) -> bool:
        if not math.isfinite(end):
            return False
        mask = fam._support_mask(np.array([end]), *shapes)  # type: ignore[attr-defined]
        return bool(np.asarray(mask).reshape(-1)[0])

    closed_a, closed_b = closed(a), closed(b)
    args = tuple(np.float64(v) for v in shapes)
    log_scale = float(np.log(scale))
    standard = fam._logpdf  # type: ignore[attr-defined]

    def logpdf(x: float) -> float:
        z = (x - loc) / scale
        if not ((a < z or (closed_a and z == a)) and (z < b or (closed_b and z == b))):
            return math.nan if z != z else _NEG_INF
        with np.errstate(all="ignore"):
            r = standard(np.float64(z), *args)
        v = r if type(r) is float else float(np.asarray(r).reshape(-1)[0])
        return v - log_scale

    return logpdf
