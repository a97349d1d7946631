r"""f-divergences, the family of divergences the objectives of f-GAN minimise (Nowozin et al. 2016).

For a convex :math:`f: (0, \infty) \to \mathbb{R}` with :math:`f(1) = 0`,

.. math:: D_f(P \,\|\, Q) = \int q(x)\, f\!\left(\frac{p(x)}{q(x)}\right) dx
          \quad\text{or}\quad \sum_x q(x)\, f\!\left(\frac{p(x)}{q(x)}\right),

with the conventions of the perspective function: :math:`0 \cdot f(0/0) = 0`,
:math:`q f(0/q) = q\,f(0^+)` and :math:`0 \cdot f(p/0) = p \lim_{u \to \infty} f(u)/u`. By
Jensen's inequality :math:`D_f \ge 0`, with equality when :math:`P = Q`.

The named generators (:data:`F_DIVERGENCES`), with the normalisation of each:

* ``"kl"``: :math:`f(u) = u \log u`, :math:`D_f = \mathrm{KL}(P \| Q)`;
* ``"reverse_kl"``: :math:`f(u) = -\log u`, :math:`D_f = \mathrm{KL}(Q \| P)`;
* ``"js"``: :math:`f(u) = \tfrac12[u \log u - (u + 1)\log\tfrac{u+1}{2}]`,
  :math:`D_f = \mathrm{JSD}(P, Q)`;
* ``"gan"``: :math:`f(u) = u \log u - (u + 1) \log(u + 1)`,
  :math:`D_f = 2\,\mathrm{JSD}(P, Q) - \log 4`;
* ``"pearson"``: :math:`f(u) = (u - 1)^2`, :math:`D_f = \chi^2_{\mathrm{Pearson}}(P \| Q) =
  \int (p - q)^2 / q`;
* ``"squared_hellinger"``: :math:`f(u) = (\sqrt u - 1)^2`,
  :math:`D_f = \int (\sqrt p - \sqrt q)^2`;
* ``"total_variation"``: :math:`f(u) = \tfrac12 |u - 1|`, :math:`D_f = \mathrm{TV}(P, Q)`.

``"js"`` gives the Jensen-Shannon divergence itself (:func:`gantheory.jsd`, at most
:math:`\log 2`). Table 1 of Nowozin et al. (2016) lists the generator
:math:`-(u + 1) \log\frac{1 + u}{2} + u \log u`, twice this one: it gives :math:`2\,\mathrm{JSD}`,
although the table's divergence column writes :math:`\tfrac12` in front of the same integral.
The ``"gan"`` row is Goodfellow et al.'s virtual training criterion :math:`C(G)` (Theorem 1), not
:math:`\ge 0`: its :math:`f(1) = -\log 4`, and :math:`D_f + \log 4` is the f-divergence proper.
The squared Hellinger distance is without the factor :math:`\tfrac12` some texts put in front.

Every integrand is computed from the log-densities (:math:`u - 1 = \mathrm{expm1}(\log p -
\log q)` where it would cancel), on the error-bounded quadrature of :mod:`gantheory.quadrature`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gantheory._numerics import log_ratio, plog, rounding_bound, softplus
from gantheory._validation import check_tolerances, describe
from gantheory.distributions import coerce_pair
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = ["F_DIVERGENCES", "FDivergence", "f_divergence"]

_LOG2 = math.log(2.0)


@dataclass(frozen=True)
class FDivergence:
    r"""A named f-divergence: the generator f and the integrand :math:`q f(p/q)` from logs.

    Attributes
    ----------
    name : str
    f : callable
        :math:`f(u)` for arrays of :math:`u \ge 0` (``u = 0`` gives :math:`f(0^+)`).
    term : callable
        ``term(log p, log q)`` = :math:`q f(p/q)` for floats, with the perspective's conventions
        where a density vanishes, and written so that nothing cancels where ``p ≈ q``.
    divergence : str
        What :math:`D_f(P \| Q)` is, in words.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    term: Callable[[float, float], float]
    divergence: str


def _pearson(lp: float, lq: float) -> float:
    # q (p/q - 1)^2: for p/q > e, as exp(2 log p - log q + 2 log(1 - q/p)), which stays finite
    # where p/q itself overflows
    if lq == -math.inf:
        return 0.0 if lp == -math.inf else math.inf  # 0 f(p/0) = p lim f(u)/u = inf
    r = log_ratio(lp, lq)
    if r <= 1.0:
        d = math.expm1(r)
        return plog(lq, d * d)
    return plog(2 * lp - lq, 1.0) * (-math.expm1(-r)) ** 2


def _hellinger(lp: float, lq: float) -> float:
    # (sqrt p - sqrt q)^2 = q (expm1((log p - log q) / 2))^2, or p where q = 0
    if lq == -math.inf:
        return plog(lp, 1.0)
    if lp == -math.inf:
        return plog(lq, 1.0)
    h = log_ratio(lp, lq) / 2
    if h > 0:  # factor out the larger density: p (1 - sqrt(q/p))^2
        e = math.expm1(-h)
        return plog(lp, e * e)
    e = math.expm1(h)
    return plog(lq, e * e)


def _tv(lp: float, lq: float) -> float:
    if lq == -math.inf or lp == -math.inf:
        return 0.5 * (plog(lp, 1.0) + plog(lq, 1.0))
    r = log_ratio(lp, lq)
    # (1/2)|p - q| = (1/2) max(p, q) |expm1(-|log p - log q|)|
    return 0.5 * plog(max(lp, lq), -math.expm1(-abs(r)))


def _js(lp: float, lq: float) -> float:
    # (1/2)[p log(2p / (p + q)) + q log(2q / (p + q))], with
    # log(2p / (p + q)) = log 2 - softplus(log q - log p)
    return 0.5 * (plog(lp, _LOG2 - softplus(log_ratio(lq, lp)))
                  + plog(lq, _LOG2 - softplus(log_ratio(lp, lq))))


def _gan(lp: float, lq: float) -> float:
    # p log(p / (p + q)) + q log(q / (p + q)) = -p softplus(lq - lp) - q softplus(lp - lq)
    return -(plog(lp, softplus(log_ratio(lq, lp))) + plog(lq, softplus(log_ratio(lp, lq))))


def _xlogx(u: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(u > 0, u * np.log(np.where(u > 0, u, 1.0)), 0.0)


#: The named f-divergences, keyed by name (see the module's table for the normalisations).
F_DIVERGENCES: dict[str, FDivergence] = {
    d.name: d
    for d in (
        FDivergence("kl", _xlogx, lambda lp, lq: plog(lp, log_ratio(lp, lq)), "KL(P || Q)"),
        FDivergence(
            "reverse_kl", lambda u: -np.log(u), lambda lp, lq: plog(lq, log_ratio(lq, lp)),
            "KL(Q || P)",
        ),
        FDivergence(
            "js", lambda u: 0.5 * (_xlogx(u) - (u + 1) * np.log((u + 1) / 2)), _js,
            "JSD(P, Q), at most log 2",
        ),
        FDivergence(
            "gan", lambda u: _xlogx(u) - (u + 1) * np.log(u + 1), _gan,
            "2 JSD(P, Q) - log 4, Goodfellow et al.'s C(G)",
        ),
        FDivergence("pearson", lambda u: (u - 1) ** 2, _pearson, "Pearson chi^2(P || Q)"),
        FDivergence(
            "squared_hellinger", lambda u: (np.sqrt(u) - 1) ** 2, _hellinger,
            "integral of (sqrt p - sqrt q)^2, 2 - 2 (Bhattacharyya coefficient)",
        ),
        FDivergence(
            "total_variation", lambda u: 0.5 * np.abs(u - 1), _tv, "TV(P, Q), at most 1"
        ),
    )
}

#: Where a callable f is probed: its value at 1, and midpoint convexity on a log grid.
_PROBE = np.logspace(-6, 6, 49)
#: ``lim f(u)/u`` for a callable f is evaluated at this u (inf for f growing faster than u).
_U_FAR = 1e300


def _callable_divergence(f: Callable[..., object]) -> FDivergence:
    """An :class:`FDivergence` from a user's f, checked cheaply: finite, f(1) = 0 to rounding,
    and midpoint-convex on a logarithmic grid of u from 1e-6 to 1e6."""

    def fa(u: np.ndarray) -> np.ndarray:
        return np.asarray(f(np.asarray(u, dtype=np.float64)), dtype=np.float64)

    try:
        vals = fa(_PROBE)
        at1 = float(fa(np.array([1.0]))[0])
    except Exception as exc:  # a user function that cannot take arrays of u
        raise TypeError(
            f"`f` must be a function of an array of ratios u = p/q (got {describe(f)}: {exc})"
        ) from exc
    if vals.shape != _PROBE.shape or not np.isfinite(vals).all():
        raise ValueError(f"`f` must return one finite value per u > 0 (got {describe(vals)})")
    scale = max(1.0, float(np.max(np.abs(vals))))
    if abs(at1) > 64 * np.finfo(float).eps * scale:
        raise ValueError(
            f"`f` must vanish at 1, f(1) = 0, for an f-divergence (got f(1) = {at1!r})"
        )
    mid = fa(0.5 * (_PROBE[:-1] + _PROBE[1:]))
    chord = 0.5 * (vals[:-1] + vals[1:])
    bad = np.flatnonzero(mid > chord + 64 * np.finfo(float).eps * scale)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"`f` must be convex: f((a + b)/2) = {float(mid[i])!r} > (f(a) + f(b))/2 ="
            f" {float(chord[i])!r} at a = {_PROBE[i]:g}, b = {_PROBE[i + 1]:g}"
        )
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        f0 = float(fa(np.array([0.0]))[0])  # f(0+), may be inf (reverse KL)
        slope = float(fa(np.array([_U_FAR]))[0]) / _U_FAR  # lim f(u)/u

    def term(lp: float, lq: float) -> float:
        if lq == -math.inf:
            return plog(lp, slope if math.isfinite(slope) else math.inf)
        if lp == -math.inf:
            return plog(lq, f0)
        r = log_ratio(lp, lq)
        if abs(r) > 700.0:  # u = p/q is not a float64 where the weighting density has mass
            v = plog(lp, slope) if r > 0 else plog(lq, f0)
            if v != 0.0 and not math.isfinite(v):
                raise ValueError(
                    f"`f` cannot be evaluated where the densities' ratio is e^{r:.4g}, beyond"
                    " float64, and its limit there is infinite while both densities are"
                    " positive: use a named generator, whose integrand works in logarithms"
                )
            return v
        u = math.exp(r)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            fu = float(fa(np.array([u]))[0])
        # q f(u) for u <= 1; p f(u)/u above, which does not overflow where q f(u) is finite
        return plog(lq, fu) if u <= 1.0 else plog(lp, fu / u)

    return FDivergence(getattr(f, "__name__", "f"), fa, term, "D_f(P || Q) for the given f")


def _resolve(f: str | Callable[..., object]) -> FDivergence:
    if isinstance(f, str):
        if f not in F_DIVERGENCES:
            raise ValueError(
                f"`f` must be one of {', '.join(map(repr, F_DIVERGENCES))} or a convex function"
                f" with f(1) = 0 (got {f!r})"
            )
        return F_DIVERGENCES[f]
    if callable(f):
        return _callable_divergence(f)
    raise TypeError(f"`f` must be a name or a function (got {describe(f)})")


def f_divergence(
    p: object,
    q: object,
    f: str | Callable[..., object],
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The f-divergence :math:`D_f(P \,\|\, Q) = \int q\, f(p/q)` (Csiszár 1967; Nowozin et al.
    2016), in nats for the logarithmic generators.

    Parameters
    ----------
    p, q : Discrete, array_like, or continuous distributions
        Both discrete or both continuous (as for :func:`gantheory.kl`). scipy.stats discrete
        distributions are summed over their aligned points; one whose tail is cut with mass
        left (a heavy tail such as zipf's) is refused, since that tail is not bounded here.
    f : str or callable
        A name of :data:`F_DIVERGENCES` (``"kl"``, ``"reverse_kl"``, ``"js"``, ``"gan"``,
        ``"pearson"``, ``"squared_hellinger"``, ``"total_variation"``), or a convex ``f`` with
        ``f(1) = 0`` taking arrays of ratios (checked on a grid: refused if it is not convex
        there or does not vanish at 1). A callable sees the ratio u = p/q as a float: where
        :math:`|\log u| > 700` the term is taken from the limits :math:`f(0^+)` and
        :math:`\lim f(u)/u`, and refused if that limit is infinite where both densities are
        positive.
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` with the error bound.
    atol, rtol : float
        Accuracy requested from the quadrature.

    Returns
    -------
    float
        ``inf`` where the divergence is infinite (KL with mass where the other has none,
        Pearson's :math:`\chi^2` likewise); never NaN.

    Examples
    --------
    >>> from gantheory import jsd, kl, optimal_value
    >>> p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    >>> bool(np.isclose(f_divergence(p, q, "js"), jsd(p, q), rtol=1e-14, atol=0))
    True
    >>> bool(np.isclose(f_divergence(p, q, "gan"), optimal_value(p, q), rtol=1e-14, atol=0))
    True
    >>> bool(np.isclose(f_divergence(p, q, lambda u: u * np.log(u)), f_divergence(p, q, "kl"),
    ...                 rtol=1e-14, atol=0))
    True
    """
    atol, rtol = check_tolerances(atol, rtol)
    div = _resolve(f)
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        if any(m > 0 for m in getattr(pair, "omitted", (0.0, 0.0))):
            raise ValueError(
                "`p` and `q` leave mass beyond the points summed (a heavy tail), which f_divergence"
                " does not bound: use kl, jsd or tv, which do"
            )
        if pair.points is not None:  # scipy.stats distributions: their exact log-masses
            lp, lq = pair.logp, pair.logq
        else:
            with np.errstate(divide="ignore"):
                lp, lq = np.log(pv), np.log(qv)
        terms = np.array([div.term(float(a), float(b)) for a, b in zip(lp, lq, strict=True)])
        value = float(np.sum(terms))
        if not full_output:
            return value
        bound = rounding_bound(terms) if math.isfinite(value) else 0.0
        return Estimate(value, bound, 0, int(terms.size))
    kinks = None
    if div.name == "total_variation":
        def kinks(logs: tuple[float, ...]) -> float:  # |p - q| has a kink where they cross
            return 0.0 if logs[0] == logs[1] else logs[0] - logs[1]

    est = integrate_pieces(
        lambda x, lg: div.term(lg[0], lg[1]), [pv, qv], atol=atol, rtol=rtol,
        what=f"f-divergence ({div.name})", kinks=kinks,
    )
    return est if full_output else est.value
