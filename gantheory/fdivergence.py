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

The variational representation behind f-GAN (Nguyen et al. 2010; Nowozin et al. 2016, eq. 4):
for every critic :math:`T` with values in the domain of the convex conjugate
:math:`f^*(t) = \sup_{u \ge 0}\,(t u - f(u))`,

.. math:: D_f(P \,\|\, Q) \ge \mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)],

with equality at :math:`T^* = f'(p/q)`: :func:`variational_bound`, :func:`optimal_critic` and
:func:`conjugate`. The conjugates are taken over :math:`u \ge 0`, the domain of the generators;
Table 2 of Nowozin et al. lists, for Pearson's :math:`\chi^2` and total variation, the conjugates
of :math:`(u - 1)^2` and :math:`\tfrac12|u - 1|` over all real :math:`u`, which are larger below
:math:`t = -2` and below :math:`t = -\tfrac12` (so their bounds are lower, still valid, and
equal at :math:`T^*`). Those two conjugates here: :math:`f^*(t) = t^2/4 + t` for
:math:`t \ge -2` and :math:`-1` below (Pearson), and :math:`\max(t, -\tfrac12)` on
:math:`t \le \tfrac12`, :math:`+\infty` above (total variation). For ``"js"`` (normalised
to the JSD itself) :math:`f^*(t) = -\tfrac12 \log(2 - e^{2t})` on :math:`t < \tfrac12 \log 2`,
not Table 2's :math:`-\log(2 - e^t)`, which belongs to the table's generator (twice this one).

Every integrand is computed from the log-densities (:math:`u - 1 = \mathrm{expm1}(\log p -
\log q)` where it would cancel), on the error-bounded quadrature of :mod:`gantheory.quadrature`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gantheory._numerics import EPS, log_ratio, plog, rounding_bound, softplus
from gantheory._validation import check_tolerances, describe
from gantheory.distributions import coerce_pair
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = [
    "F_DIVERGENCES",
    "FDivergence",
    "conjugate",
    "f_divergence",
    "optimal_critic",
    "variational_bound",
]

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
    critic : callable or None
        ``critic(r)`` = :math:`f'(e^r)`, the optimal critic as a function of the log-ratio
        :math:`r = \log p - \log q` (arrays; ``r = ±inf`` give the limits :math:`f'(\infty)`
        and :math:`f'(0^+)`). None for a user's f.
    conjugate : callable or None
        ``conjugate(t)`` = :math:`f^*(t) = \sup_{u \ge 0}(t u - f(u))` for arrays of t,
        ``+inf`` outside its domain, the limits at ``t = ±inf``. None for a user's f.
    maximiser : callable or None
        ``maximiser(t)`` = the :math:`u \ge 0` attaining the supremum, :math:`(f')^{-1}(t)`
        (the slope of :math:`f^*`), used to bound the rounding of :math:`f^*(t)`.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    term: Callable[[float, float], float]
    divergence: str
    critic: Callable[[np.ndarray], np.ndarray] | None = None
    conjugate: Callable[[np.ndarray], np.ndarray] | None = None
    maximiser: Callable[[np.ndarray], np.ndarray] | None = None


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



def _f_gan(u: np.ndarray) -> np.ndarray:
    """u log u - (u + 1) log(u + 1) without the cancellation of two terms near u log u for
    large u: -u log1p(1/u) - log1p(u) there."""
    u = np.asarray(u, dtype=np.float64)
    big = u > 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        large = -u * np.log1p(1 / np.where(big, u, 1.0)) - np.log1p(u)
        return np.where(big, large, _xlogx(u) - (u + 1) * np.log1p(np.where(big, 0.0, u)))


# --- optimal critics f'(e^r) and conjugates f*(t), each in the form that neither overflows
# --- nor cancels; derived (and checked exactly) in gantheory.symbolic.fgan
def _log1mexp(x: np.ndarray) -> np.ndarray:
    """log(1 - e^x) for x <= 0 (Maechler 2012: expm1 near 0, log1p far from it)."""
    with np.errstate(divide="ignore"):
        return np.where(x > -_LOG2, np.log(-np.expm1(np.minimum(x, 0.0))),
                        np.log1p(-np.exp(np.minimum(x, -_LOG2))))


def _outside(t: np.ndarray, inside: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.where(inside, value, np.inf)


def _conj_kl(t: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.exp(t - 1.0)


def _conj_reverse_kl(t: np.ndarray) -> np.ndarray:
    inside = t < 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return _outside(t, inside, -1.0 - np.log(np.where(inside, -t, 1.0)))


#: log 2 - float(log 2): with it, 2t - log 2 is exact to rounding for t near (log 2)/2, where
#: float(log 2)/2 itself lies 1.2e-17 inside the domain t < (log 2)/2.
_LOG2_LO = 2.3190468138462996e-17


def _conj_js(t: np.ndarray) -> np.ndarray:
    # -1/2 log(2 - e^{2t}) = -1/2 [log 2 + log(1 - e^{2t - log 2})]
    with np.errstate(invalid="ignore"):
        x = (2 * t - _LOG2) - _LOG2_LO  # 2t - float(log 2) is exact near the end (Sterbenz)
    inside = x < 0
    x = np.where(inside, x, -1.0)
    with np.errstate(invalid="ignore"):
        return _outside(t, inside, -0.5 * (_LOG2 + _log1mexp(np.minimum(x, 0.0))))


def _conj_gan(t: np.ndarray) -> np.ndarray:
    inside = t < 0
    return _outside(t, inside, -_log1mexp(np.where(inside, t, -1.0)))


def _conj_pearson(t: np.ndarray) -> np.ndarray:
    # sup over u >= 0 of t u - (u - 1)^2: t^2/4 + t at u = 1 + t/2 >= 0, else -1 at u = 0
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(t >= -2, t * (t / 4 + 1), -1.0)


def _conj_hellinger(t: np.ndarray) -> np.ndarray:
    inside = t < 1
    with np.errstate(invalid="ignore"):
        return _outside(t, inside, np.where(t == -np.inf, -1.0, t / np.where(inside, 1 - t, 1.0)))


def _conj_tv(t: np.ndarray) -> np.ndarray:
    # sup over u >= 0 of t u - |u - 1|/2: t (at u = 1) on [-1/2, 1/2], -1/2 (at u = 0) below
    return _outside(t, t <= 0.5, np.maximum(t, -0.5))


def _critic_js(r: np.ndarray) -> np.ndarray:
    # (1/2) log(2u / (u + 1)) = (1/2) (log 2 - softplus(-r))
    return 0.5 * (_LOG2 - np.logaddexp(0.0, -r))


def _critic_reverse_kl(r: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return -np.exp(-r)


def _critic_hellinger(r: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return -np.expm1(-r / 2)


def _critic_pearson(r: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 2 * np.expm1(r)


def _argmax_u(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The maximiser u(t) = (f')^{-1}(t) of t u - f(u) over u >= 0 (inf outside dom f*)."""

    def u_of_t(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            out = {
                "kl": lambda: np.exp(t - 1.0),
                "reverse_kl": lambda: np.where(t < 0, -1.0 / np.where(t < 0, t, -1.0), np.inf),
                "js": lambda: np.where((2 * t - _LOG2) - _LOG2_LO < 0,
                                       1.0 / -np.expm1((2 * t - _LOG2) - _LOG2_LO)
                                       - 1.0, np.inf),
                "gan": lambda: np.where(t < 0, 1.0 / np.expm1(-np.minimum(t, 0.0)), np.inf),
                "pearson": lambda: np.maximum(t / 2 + 1, 0.0),
                "squared_hellinger": lambda: np.where(t < 1, 1.0 / (1 - np.minimum(t, 1.0)) ** 2,
                                                      np.inf),
                "total_variation": lambda: np.where(t <= 0.5, np.where(t >= -0.5, 1.0, 0.0),
                                                    np.inf),
            }[name]()
        return np.where(np.isnan(out), np.inf, out)

    return u_of_t


#: The named f-divergences, keyed by name (see the module's table for the normalisations).
F_DIVERGENCES: dict[str, FDivergence] = {
    d.name: d
    for d in (
        FDivergence(
            "kl", _xlogx, lambda lp, lq: plog(lp, log_ratio(lp, lq)), "KL(P || Q)",
            lambda r: r + 1.0, _conj_kl,
        ),
        FDivergence(
            "reverse_kl", lambda u: -np.log(u), lambda lp, lq: plog(lq, log_ratio(lq, lp)),
            "KL(Q || P)", _critic_reverse_kl, _conj_reverse_kl,
        ),
        FDivergence(
            "js", lambda u: 0.5 * (_f_gan(u) + (u + 1) * _LOG2), _js,
            "JSD(P, Q), at most log 2", _critic_js, _conj_js,
        ),
        FDivergence(
            "gan", _f_gan, _gan,
            "2 JSD(P, Q) - log 4, Goodfellow et al.'s C(G)", lambda r: -np.logaddexp(0.0, -r),
            _conj_gan,
        ),
        FDivergence(
            "pearson", lambda u: (u - 1) ** 2, _pearson, "Pearson chi^2(P || Q)",
            _critic_pearson, _conj_pearson,
        ),
        FDivergence(
            "squared_hellinger", lambda u: (np.sqrt(u) - 1) ** 2, _hellinger,
            "integral of (sqrt p - sqrt q)^2, 2 - 2 (Bhattacharyya coefficient)",
            _critic_hellinger, _conj_hellinger,
        ),
        FDivergence(
            "total_variation", lambda u: 0.5 * np.abs(u - 1), _tv, "TV(P, Q), at most 1",
            lambda r: 0.5 * np.sign(r), _conj_tv,
        ),
    )
}

for _name, _div in list(F_DIVERGENCES.items()):
    F_DIVERGENCES[_name] = FDivergence(**{**_div.__dict__, "maximiser": _argmax_u(_name)})

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


def _log_rounding(
    terms: np.ndarray, pv: np.ndarray, qv: np.ndarray, lp: np.ndarray, lq: np.ndarray
) -> float:
    r"""A bound on the rounding of terms computed from logarithms: a term such as
    :math:`e^{2\log p - \log q}` or :math:`p \log(p/q)` carries the absolute error
    :math:`\varepsilon(|\log p| + |\log q|)` of its exponent or log-ratio, relative to the term
    or to the masses: :math:`4\varepsilon \sum (|t_i| + p_i + q_i)(1 + |\log p_i| + |\log q_i|)`
    over the finite logarithms (for Pearson's :math:`\chi^2` with :math:`p/q = e^{470}` it is
    1e-13 of the term, beyond :func:`rounding_bound`)."""
    with np.errstate(invalid="ignore"):
        cond = 1 + np.where(np.isfinite(lp), np.abs(lp), 0.0) + np.where(
            np.isfinite(lq), np.abs(lq), 0.0)
    size = np.where(np.isfinite(terms), np.abs(terms), 0.0) + np.asarray(pv) + np.asarray(qv)
    return 4 * EPS * float(np.sum(size * cond))


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
        bound = 0.0
        if math.isfinite(value):
            bound = rounding_bound(terms) + _log_rounding(terms, pv, qv, lp, lq)
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


# --- the variational representation: conjugates, optimal critics, the lower bound ------------
def _named(f: object, what: str) -> FDivergence:
    """The named generator ``f``; ``what`` needs its conjugate, known for the names only."""
    if isinstance(f, str) and f in F_DIVERGENCES:
        return F_DIVERGENCES[f]
    names = ", ".join(map(repr, F_DIVERGENCES))
    if isinstance(f, str):
        raise ValueError(f"`f` must be one of {names} (got {f!r})")
    raise TypeError(
        f"`f` must be one of {names}: {what} is derived for the named generators only"
        f" (got {describe(f)})"
    )


def conjugate(t: object, f: str) -> np.ndarray | float:
    r"""The convex conjugate :math:`f^*(t) = \sup_{u \ge 0}\,(t u - f(u))` of a named generator.

    ========================= ========================================= ==========================
    ``f``                     :math:`f^*(t)`                            :math:`\mathrm{dom} f^*`
    ========================= ========================================= ==========================
    ``"kl"``                  :math:`e^{t - 1}`                         :math:`\mathbb{R}`
    ``"reverse_kl"``          :math:`-1 - \log(-t)`                     :math:`t < 0`
    ``"js"``                  :math:`-\tfrac12 \log(2 - e^{2t})`        :math:`t < \tfrac12 \log 2`
    ``"gan"``                 :math:`-\log(1 - e^t)`                    :math:`t < 0`
    ``"pearson"``             :math:`t^2/4 + t` (:math:`t \ge -2`),     :math:`\mathbb{R}`
                              :math:`-1` (:math:`t < -2`)
    ``"squared_hellinger"``   :math:`t / (1 - t)`                       :math:`t < 1`
    ``"total_variation"``     :math:`\max(t, -\tfrac12)`                :math:`t \le \tfrac12`
    ========================= ========================================= ==========================

    Derived in :func:`gantheory.symbolic.fgan_row` (Nowozin et al. 2016, Table 2, which lists
    the Pearson and total variation conjugates over all real u; see the module docstring).

    Parameters
    ----------
    t : array_like
        Points, ``±inf`` allowed (the limits: :math:`f^*(-\infty) = -f(0^+)`,
        :math:`f^*(+\infty) = +\infty`).
    f : str
        A name of :data:`F_DIVERGENCES`.

    Returns
    -------
    float or numpy.ndarray
        :math:`f^*(t)`, ``+inf`` outside :math:`\mathrm{dom} f^*`; never NaN.

    Examples
    --------
    >>> float(conjugate(0.0, "kl")) == math.exp(-1)
    True
    >>> conjugate(np.array([-3.0, 0.25, 0.5, 1.0]), "total_variation")
    array([-0.5 , 0.25, 0.5 ,  inf])
    """
    div = _named(f, "the convex conjugate f*")
    arr = np.asarray(t, dtype=np.float64) if not isinstance(t, str) else None
    if arr is None or np.isnan(arr).any():
        raise ValueError(f"`t` must be real numbers, ±inf allowed (got {describe(t)})")
    out = np.asarray(div.conjugate(arr), dtype=np.float64)  # type: ignore[misc]
    return float(out) if out.ndim == 0 else out


class _OptimalCritic:
    """Vectorized :math:`T^*(x) = f'(p(x)/q(x))` from two log-density (log-mass) functions."""

    def __init__(
        self, div: FDivergence, logp: Callable[..., object], logq: Callable[..., object],
        what: str, pair: tuple[object, object] | None = None,
    ) -> None:
        self.div, self._logp, self._logq, self._what, self.pair = div, logp, logq, what, pair
        self.__doc__ = f"Optimal critic T*(x) of {div.name!r} for p, q = {what}."

    def is_optimal_for(self, p: object, q: object, name: str) -> bool:
        """Whether this is T* of ``name`` for the continuous pair ``(p, q)``."""
        return self.pair is not None and self.div.name == name and (
            self.pair[0].source is p.source  # type: ignore[attr-defined]
        ) and self.pair[1].source is q.source  # type: ignore[attr-defined]

    def log_ratio(self, x: object) -> np.ndarray:
        """:math:`\\log p(x) - \\log q(x)`, 0 where both vanish (or are both infinite)."""
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore"):
            lp, lq = np.asarray(self._logp(x)), np.asarray(self._logq(x))
        with np.errstate(invalid="ignore"):
            return np.where(lp == lq, 0.0, lp - lq)

    def __call__(self, x: object) -> np.ndarray:
        return self.div.critic(self.log_ratio(x))  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"optimal_critic({self._what}, {self.div.name!r})"


def optimal_critic(p: object, q: object, f: str) -> np.ndarray | Callable[..., np.ndarray]:
    r"""The critic attaining the variational bound: :math:`T^*(x) = f'(p(x) / q(x))`.

    .. math:: T^* = \arg\max_T\; \mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)] = f'\!\left(\frac pq\right)

    (Nguyen et al. 2010; Nowozin et al. 2016, Section 2.2), computed from the log-ratio
    :math:`r = \log p - \log q`, never from the ratio itself: ``"kl"`` :math:`1 + r`,
    ``"reverse_kl"`` :math:`-e^{-r}`, ``"js"`` :math:`\tfrac12(\log 2 - \zeta(-r))`,
    ``"gan"`` :math:`-\zeta(-r)` (:math:`\zeta` the softplus), ``"pearson"``
    :math:`2\,\mathrm{expm1}(r)`, ``"squared_hellinger"`` :math:`-\mathrm{expm1}(-r/2)`,
    ``"total_variation"`` :math:`\tfrac12 \operatorname{sign} r` (at :math:`p = q` any value in
    :math:`[-\tfrac12, \tfrac12]` is optimal; 0 is returned).

    Where :math:`q = 0 < p` the critic is the limit :math:`f'(\infty)`: ``inf`` for KL and
    Pearson (whose divergences are then infinite), :math:`0` for reverse KL and GAN,
    :math:`\tfrac12 \log 2` for JS, 1 for squared Hellinger, :math:`\tfrac12` for TV — a point
    on the edge of (or outside) :math:`\mathrm{dom} f^*`, where :math:`Q` has no mass, so
    :func:`variational_bound` counts :math:`q f^*(T) = 0` there and the bound stays tight.
    Where :math:`p = 0 < q` it is :math:`f'(0^+)` (``-inf`` but for Pearson, :math:`-2`, and TV,
    :math:`-\tfrac12`); where both vanish, :math:`f'(1)`. For Pearson, :math:`2(p/q - 1)`
    overflows to ``inf`` only where :math:`p/q > e^{709}`.

    Parameters
    ----------
    p, q : Discrete, array_like, or continuous distributions
        Both discrete or both continuous.
    f : str
        A name of :data:`F_DIVERGENCES`.

    Returns
    -------
    numpy.ndarray or callable
        An array of shape ``(n,)`` for two probability vectors; otherwise a vectorized function
        of the points (``x`` for continuous distributions, the support points for scipy.stats
        discrete ones).

    Examples
    --------
    >>> optimal_critic([0.5, 0.5, 0.0], [0.25, 0.25, 0.5], "gan")
    array([-0.40546511, -0.40546511,        -inf])
    >>> from scipy import stats
    >>> t = optimal_critic(stats.norm(0, 1), stats.norm(1, 1), "kl")  # 1 + log p/q = 1.5 - x
    >>> t(np.array([0.0, 1.0, 100.0]))
    array([  1.5,   0.5, -98.5])
    """
    div = _named(f, "the optimal critic f'(p/q)")
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "continuous":
        return _OptimalCritic(div, pv.logpdf, qv.logpdf, f"{pv!r}, {qv!r}", pair=(pv, qv))
    if pair.points is not None:
        from gantheory.game import _log_mass

        src = pair.sources
        return _OptimalCritic(div, _log_mass(src[0]), _log_mass(src[1]), f"{src[0]!r}, {src[1]!r}")
    lp, lq = _logs(pv, qv)
    with np.errstate(invalid="ignore"):
        r = np.where(lp == lq, 0.0, lp - lq)
    return np.asarray(div.critic(r), dtype=np.float64)  # type: ignore[misc]


def _logs(pv: np.ndarray, qv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        return np.log(pv), np.log(qv)


def _q_conj(div: FDivergence, lq: float, t: float) -> float:
    """``q f*(t)`` for ``q = e^lq > 0`` in float64 and a finite ``t`` in the domain, beyond the
    overflow of ``f*(t)`` itself where ``q`` is small (``q e^{t - 1} = e^{lq + t - 1}``)."""
    if div.name == "kl" and math.isfinite(t):
        s = lq + t - 1.0
        return math.exp(s) if s < 709.0 else math.inf
    fs = float(div.conjugate(np.array(t)))  # type: ignore[misc]
    if math.isinf(fs) and div.name == "pearson" and t > 0:  # t (t/4 + 1) overflowed
        s = lq + math.log(t) + math.log(t / 4 + 1)
        return math.exp(s) if s < 709.0 else math.inf
    return plog(lq, fs)


def _bound_term(div: FDivergence, lp: float, lq: float, t: float) -> tuple[float, float, float]:
    r"""``(p t - q f*(t), |p t|, |q f*(t)|)`` at one point, with the limits of the convention:
    no term where the density vanishes; :math:`-\infty` where :math:`q > 0` and :math:`t \notin
    \mathrm{dom} f^*` (:math:`q f^*(t) = \infty`, and :math:`p t - q f^*(t) \to -\infty` also
    as :math:`t \to +\infty`, since :math:`f^*(t)/t \to \infty`), and where :math:`p > 0`
    and :math:`t = -\infty` (:math:`f^*(t)/t \to 0`)."""
    has_p, has_q = plog(lp, 1.0) > 0, plog(lq, 1.0) > 0
    a = plog(lp, t) if has_p else 0.0
    if has_p and t == -math.inf:
        return -math.inf, math.inf, 0.0
    if not has_q:
        return a, abs(a), 0.0
    if t == math.inf:
        return -math.inf, math.inf, math.inf
    b = _q_conj(div, lq, t)
    if b == math.inf:
        return -math.inf, abs(a), math.inf
    return a - b, abs(a), abs(b)


def _own_term(div: FDivergence, lp: float, lq: float, x: float) -> float:
    """``p T* - q f*(T*)`` at one point, ``T* = f'(p/q)`` from the log-ratio ``r``."""
    r = log_ratio(lp, lq)
    if div.name == "reverse_kl" and math.isfinite(r):
        # T* = -e^{-r} overflows where p << q (a Gaussian tail): from log(-T*) = -r exactly,
        # p T* = -e^{log p - r} = -e^{log q} (log p - r is log q, which float64 would round
        # away where |log p| is 1e60) and q f*(T*) = q (-1 - log(-T*)) = q (r - 1)
        return -plog(lq, 1.0) - plog(lq, r - 1.0)
    t = float(div.critic(np.array(r)))  # type: ignore[misc]
    has_p, has_q = plog(lp, 1.0) > 0, plog(lq, 1.0) > 0
    if math.isinf(t) and math.isfinite(r) and (has_p or (t > 0 and has_q)):
        # f'(p/q) overflowed while the density it multiplies is positive: p T* (t = -inf) or
        # p T* and q f*(T*) (t = inf) would be infinite where the true terms are finite
        raise ValueError(
            f"the optimal critic f'(p/q) of {div.name!r} overflows float64 at x = {x!r}, where"
            f" log(p/q) = {r:.6g}"
        )
    return _bound_term(div, lp, lq, t)[0]


def _critic_values(T: object, points: np.ndarray, n: int, from_points: bool) -> np.ndarray:
    """The critic at the points of a discrete pair (a callable, or an array for two vectors)."""
    if callable(T):
        y = np.asarray(T(points), dtype=np.float64).reshape(-1)
        if y.size != points.size:
            raise ValueError(
                f"`T` must return one value per input point (got {y.size} values for"
                f" {points.size} points)"
            )
    else:
        if from_points:
            raise TypeError(
                "`T` must be a vectorized callable of the support points when a scipy.stats"
                f" discrete distribution is involved (got {describe(T)})"
            )
        y = np.asarray(T, dtype=np.float64) if not isinstance(T, str) else np.array([])
        if y.shape != (n,):
            raise ValueError(f"`T` must be an array of shape ({n},) (got {describe(T)})")
    if np.isnan(y).any():
        i = int(np.flatnonzero(np.isnan(y))[0])
        raise ValueError(f"`T` must not be NaN (got NaN at the point {float(points[i])!r})")
    return y


def variational_bound(
    p: object,
    q: object,
    T: object,
    f: str,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The variational lower bound of f-GAN for a critic :math:`T` (Nowozin et al. 2016, eq. 4).

    .. math:: \mathbb{E}_P[T] - \mathbb{E}_Q[f^*(T)]
              = \int p(x)\,T(x) - q(x)\,f^*(T(x))\,dx \;\le\; D_f(P \,\|\, Q),

    with equality at :math:`T^* = f'(p/q)` (:func:`optimal_critic`); the inequality is
    Fenchel-Young's, :math:`t u - f(u) \le f^*(t)`, integrated against :math:`q` with
    :math:`u = p/q`. :math:`f^*` is :func:`conjugate`.

    Where :math:`T` leaves :math:`\mathrm{dom} f^*` at a point where :math:`q > 0`,
    :math:`f^*(T) = +\infty` and the bound is ``-inf`` (never NaN); so it is where ``T = inf``
    and :math:`q > 0`, or ``T = -inf`` and :math:`p > 0`. Where :math:`q = 0` the critic enters
    only through :math:`p\,T` (also at ``T = inf``, then ``+inf``: the optimal critic of KL or
    Pearson with mass of :math:`P` outside :math:`Q`'s support, where :math:`D_f = \infty`);
    where :math:`p = 0`, only through :math:`-q f^*(T)`. The inequality holds for critics with
    :math:`T \le \sup \mathrm{dom} f^* = f'(\infty)` where :math:`q = 0 < p` (as
    :math:`T = g_f(V)` is, Nowozin et al.'s output activation): there :math:`D_f`'s term is
    :math:`p f'(\infty)` and a larger :math:`T` makes the functional exceed :math:`D_f` (by
    :math:`\int_{q = 0} p\,(T - f'(\infty))`); the function returns the functional's value.

    Parameters
    ----------
    p, q : Discrete, array_like, or continuous distributions
        Both discrete or both continuous.
    T : array_like of shape (n,) or callable
        The critic, values in :math:`[-\infty, \infty]`: an array over the points of two
        probability vectors, or a vectorized callable of the points (continuous ``x``, or the
        support points of scipy.stats discrete distributions).
    f : str
        A name of :data:`F_DIVERGENCES`.
    full_output : bool
        Return an :class:`~gantheory.quadrature.Estimate` with the error bound (for sums, the
        rounding bound :math:`n\varepsilon\sum|\text{terms}| + 8\varepsilon\sum(|pT| +
        |q f^*(T)|)`).
    atol, rtol : float
        Accuracy requested from the quadrature.

    Returns
    -------
    float
        The bound, ``-inf`` as described above; never NaN.

    Raises
    ------
    ValueError
        For an unknown name, a critic of the wrong shape or returning NaN, invalid tolerances;
        where the terms are ``+inf`` at one point and ``-inf`` at another (a critic of reverse
        KL equal to ``-inf`` where only Q has mass, and outside the domain elsewhere), the bound
        is undefined and refused.
    TypeError
        For a callable ``f`` (its conjugate is not known) or an array critic with continuous
        distributions.

    Examples
    --------
    >>> p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    >>> t_star = optimal_critic(p, q, "js")
    >>> bool(np.isclose(variational_bound(p, q, t_star, "js"), f_divergence(p, q, "js"),
    ...                 rtol=1e-14, atol=0))
    True
    >>> bool(variational_bound(p, q, t_star + 0.1, "js") < f_divergence(p, q, "js"))
    True
    >>> variational_bound(p, q, [0.0, 1.0, 0.0], "js")  # 1 > log(2)/2: outside dom f*
    -inf
    """
    atol, rtol = check_tolerances(atol, rtol)
    div = _named(f, "the variational bound, with its convex conjugate f*,")
    pair = coerce_pair(p, q)
    kind, pv, qv = pair
    if kind == "discrete":
        if any(m > 0 for m in getattr(pair, "omitted", (0.0, 0.0))):
            raise ValueError(
                "`p` and `q` leave mass beyond the points summed (a heavy tail), which"
                " variational_bound does not bound"
            )
        n = pv.size
        points = np.arange(float(n)) if pair.points is None else pair.points
        t = _critic_values(T, points, n, pair.points is not None)
        lp, lq = (pair.logp, pair.logq) if pair.points is not None else _logs(pv, qv)
        rows = np.array([
            _bound_term(div, float(a), float(b), float(c))
            for a, b, c in zip(lp, lq, t, strict=True)
        ]).reshape(-1, 3)
        if np.isposinf(rows[:, 0]).any() and np.isneginf(rows[:, 0]).any():
            i, j = int(np.argmax(rows[:, 0])), int(np.argmin(rows[:, 0]))
            raise ValueError(
                f"`T` makes the bound undefined, inf - inf: its term p T - q f*(T) is +inf at the"
                f" point {float(points[i])!r} and -inf at the point {float(points[j])!r}"
            )
        value = float(np.sum(rows[:, 0]))
        if not full_output:
            return value
        bound = 0.0
        if math.isfinite(value):
            # the sum, the products, and f*(T) itself: its rounding through its slope u(T)
            with np.errstate(invalid="ignore"):
                slope = qv * div.maximiser(t) * (1 + np.abs(t))  # type: ignore[misc]
            slope = np.where((qv > 0) & np.isfinite(slope), slope, 0.0)
            bound = rounding_bound(rows[:, 0]) + 8 * EPS * float(
                np.sum(rows[:, 1] + rows[:, 2] + slope))
        return Estimate(value, bound, 0, n)
    if not callable(T):
        raise TypeError(
            f"`T` must be a vectorized callable for continuous distributions (got {describe(T)})"
        )
    own = isinstance(T, _OptimalCritic) and T.is_optimal_for(pv, qv, div.name)

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        if lp == -math.inf and lq == -math.inf:
            return 0.0
        if own:  # T* of this very pair from the log-densities the quadrature passes
            return _own_term(div, lp, lq, x)
        y = np.asarray(T(np.array([x])), dtype=np.float64)  # type: ignore[operator]
        if y.size != 1:
            raise ValueError(
                f"`T` must return one value per input point (got shape {y.shape} for 1 point)"
            )
        t = float(y.reshape(()))
        if math.isnan(t):
            raise ValueError(f"`T` returned NaN at x = {x!r}")
        return _bound_term(div, lp, lq, t)[0]

    kinks = None
    if own and div.name == "total_variation":
        def kinks(logs: tuple[float, ...]) -> float:  # T* = sign(p - q)/2 jumps where they cross
            return log_ratio(logs[0], logs[1])

    est = integrate_pieces(
        integrand, [pv, qv], atol=atol, rtol=rtol, what=f"variational bound ({div.name})",
        kinks=kinks,
    )
    return est if full_output else est.value
