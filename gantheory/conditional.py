r"""The conditional GAN of Mirza & Osindero (2014): labelled laws, D*(x, y) and C(G).

A conditional GAN conditions both players on a class label :math:`y`: the data are pairs
:math:`(x, y) \sim p_{data}(x, y)`, the generator draws :math:`y` from a label law and then
:math:`x \sim p_g(x \mid y)`. The game is Goodfellow et al.'s on the *joint* distributions,

.. math:: V(G, D) = \mathbb{E}_{(x, y) \sim p_{data}} \log D(x, y)
          + \mathbb{E}_{(x, y) \sim p_g} \log(1 - D(x, y))

(Mirza & Osindero 2014, eq. 2), so that its maximiser is
:math:`D^*(x, y) = p_{data}(x, y) / (p_{data}(x, y) + p_g(x, y))` and
:math:`C(G) = \max_D V = -\log 4 + 2\,\mathrm{JSD}(p_{data}(x, y) \,\|\, p_g(x, y))`. When data
and generator share the label law :math:`p(y)`, the chain rule gives
:math:`\mathrm{JSD}(\text{joint}) = \sum_y p(y)\,\mathrm{JSD}(p_{data}(\cdot \mid y) \,\|\,
p_g(\cdot \mid y))`; otherwise (:func:`jsd_decomposition`)

.. math:: \mathrm{JSD}(P \,\|\, Q) = \mathrm{JSD}(\pi \,\|\, \rho)
          + \sum_y \mu(y)\, \mathrm{JS}_{\alpha_y}(p_y \,\|\, q_y),
          \quad \mu = \tfrac12(\pi + \rho),\ \alpha_y = \frac{\pi(y)}{\pi(y) + \rho(y)},

with :math:`\pi, \rho` the label laws of data and generator, :math:`p_y, q_y` their class
conditionals and :math:`\mathrm{JS}_\alpha(p \| q) = \alpha\,\mathrm{KL}(p \| m_\alpha) + (1 -
\alpha)\,\mathrm{KL}(q \| m_\alpha)`, :math:`m_\alpha = \alpha p + (1 - \alpha) q`, the
Jensen-Shannon divergence with weights :math:`(\alpha, 1 - \alpha)` (Lin 1991). The logit of
:math:`D^*` splits into a label term and a marginal term (Miyato & Koyama 2018, eq. 3), the
form projection discriminators are built on:

.. math:: \operatorname{logit} D^*(x, y) = \log\frac{p_{data}(y \mid x)}{p_g(y \mid x)}
          + \log\frac{p_{data}(x)}{p_g(x)}.

Two kinds of labelled distributions are accepted everywhere:

* a **joint table**: a 2-D array ``P[y, x]`` of probabilities summing to 1, rows the labels
  ``0..K-1`` and columns the points ``0..N-1`` (exact sums);
* a :class:`ClassConditional`: a label law over ``0..K-1`` and one continuous 1-D conditional
  per class (quadrature on log-densities, one integral per class, error bounds summed).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory._numerics import EPS, log_ratio, plog, softplus
from gantheory._validation import check_finite_array, check_tolerances, describe
from gantheory.distributions import Continuous, Mixture, as_continuous, is_continuous
from gantheory.quadrature import DEFAULT_ATOL, DEFAULT_RTOL, Estimate, integrate_pieces

__all__ = [
    "SUM_RTOL",
    "ClassConditional",
    "JSDDecomposition",
    "ProjectionTerms",
    "class_jsds",
    "conditional_optimal_discriminator",
    "conditional_optimal_value",
    "conditional_value",
    "joint_jsd",
    "jsd_decomposition",
    "per_class_value",
    "projection_terms",
]

#: Relative tolerance per entry on the sum of label probabilities or of a joint table:
#: ``|sum - 1| <= SUM_RTOL * size``. A sum of ``n`` float64 numbers in [0, 1] is off by at most
#: about ``n eps`` (2.2e-16 n); 1e-12 per entry leaves room for values typed with 12-13 digits
#: (``[0.1] * 10`` sums to 0.9999999999999999) and refuses every real mistake.
SUM_RTOL: float = 1e-12

def _check_probs(probs: npt.ArrayLike, name: str) -> np.ndarray:
    """A label law: 1-D, finite, non-negative, summing to 1 within ``SUM_RTOL * K``."""
    arr = check_finite_array(probs, name, ndim=1)
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty (got {describe(probs)})")
    if (arr < 0).any():
        i = int(np.argmax(arr < 0))
        raise ValueError(
            f"`{name}` must be non-negative (got {float(arr[i])!r} at index {i}: {describe(arr)})"
        )
    total = float(arr.sum())
    tol = SUM_RTOL * arr.size
    if abs(total - 1.0) > tol:
        raise ValueError(
            f"`{name}` must sum to 1 within {tol:.1e} (1e-12 per class; got sum {total!r}:"
            f" {describe(arr)})"
        )
    out = arr / total
    out.setflags(write=False)
    return out


class ClassConditional:
    r"""A labelled 1-D law: label :math:`y \in \{0, \dots, K-1\}` with probabilities ``probs``,
    :math:`x \mid y \sim` ``conditionals[y]``.

    .. math:: p(x, y) = p(y)\, p(x \mid y), \qquad p(x) = \sum_y p(y)\, p(x \mid y)

    Parameters
    ----------
    conditionals : sequence of continuous distributions, length K
        One per class: a scipy.stats frozen 1-D continuous distribution, a
        :class:`~gantheory.Mixture`, or the exact push-forward of a 1-D generator
        (:meth:`gantheory.pushforward.Generator1D.pushforward`).
    probs : array_like, shape (K,)
        The label law: non-negative, summing to 1 within ``1e-12 * K``
        (:data:`SUM_RTOL`), renormalised exactly. A class of probability 0 is allowed: it
        carries no mass (``logpdf`` is ``-inf`` there, its posterior is 0), and its conditional
        is still validated and used where a conditional is asked for (a generator's
        conditional for a label its own label law never draws).

    Attributes
    ----------
    n_classes : int
        K.
    conditionals : tuple
        The conditionals as passed.
    probs : numpy.ndarray
        Read-only float64 array of shape (K,) summing to 1.

    Raises
    ------
    ValueError
        If ``probs`` is not a probability vector, or its length differs from the number of
        conditionals ("conditional densities missing for a class").
    TypeError
        If a conditional is not a continuous distribution gantheory accepts.

    Examples
    --------
    >>> from scipy import stats
    >>> law = ClassConditional([stats.norm(-2, 1), stats.norm(2, 1)], [0.25, 0.75])
    >>> law.n_classes
    2
    >>> bool(np.isclose(law.logpdf(2.0, 1), np.log(0.75) + stats.norm(2, 1).logpdf(2.0),
    ...                 rtol=1e-15, atol=0))
    True
    >>> x, y = law.rvs(4, rng=np.random.default_rng(0))
    >>> x.shape, y.dtype
    ((4,), dtype('int64'))
    """

    def __init__(self, conditionals: Sequence[object], probs: npt.ArrayLike) -> None:
        if isinstance(conditionals, (str, bytes)) or not isinstance(conditionals, Sequence):
            raise TypeError(
                "`conditionals` must be a sequence of continuous distributions, one per class"
                f" (got {describe(conditionals)})"
            )
        p = _check_probs(probs, "probs")
        if len(conditionals) != p.size:
            raise ValueError(
                f"`conditionals` must give one distribution per class: conditional densities"
                f" missing for a class (got {len(conditionals)} conditionals for {p.size}"
                f" label probabilities `probs` = {describe(p)})"
            )
        for i, c in enumerate(conditionals):
            if not is_continuous(c):
                # as_continuous raises the TypeError naming the argument and what is expected
                as_continuous(c, f"conditionals[{i}]")
        self._cont: tuple[Continuous, ...] = tuple(
            as_continuous(c, f"conditionals[{i}]") for i, c in enumerate(conditionals)
        )
        self.conditionals: tuple[object, ...] = tuple(conditionals)
        self.probs: np.ndarray = p
        self.n_classes: int = int(p.size)
        with np.errstate(divide="ignore"):
            self._logprobs = np.log(p)

    # -- labels ---------------------------------------------------------------------------------
    def _labels(self, y: npt.ArrayLike, name: str = "y") -> np.ndarray:
        """``y`` as an int64 array of class labels in ``0..K-1``, or a ValueError naming it."""
        return _check_labels(y, self.n_classes, name)

    # -- densities ------------------------------------------------------------------------------
    def conditional_logpdf(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        r""":math:`\log p(x \mid y)`, with ``x`` and ``y`` broadcast against each other.

        Examples
        --------
        >>> from scipy import stats
        >>> law = ClassConditional([stats.norm(0, 1), stats.norm(5, 1)], [0.5, 0.5])
        >>> law.conditional_logpdf([0.0, 5.0], 1) - stats.norm(5, 1).logpdf([0.0, 5.0])
        array([0., 0.])
        """
        xa = check_finite_array(x, "x")
        ya = self._labels(y)
        xb, yb = np.broadcast_arrays(xa, ya)
        out = np.empty(xb.shape, dtype=np.float64)
        for k in range(self.n_classes):
            m = yb == k
            if m.any():
                with np.errstate(divide="ignore"):
                    out[m] = np.asarray(self._cont[k].logpdf(xb[m]), dtype=np.float64)
        return out

    def logpdf(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        r"""The joint :math:`\log p(x, y) = \log p(y) + \log p(x \mid y)` (``-inf`` for a class
        of probability 0), ``x`` and ``y`` broadcast.

        Examples
        --------
        >>> from scipy import stats
        >>> law = ClassConditional([stats.norm(0, 1), stats.norm(5, 1)], [1.0, 0.0])
        >>> law.logpdf(0.0, 1)
        array(-inf)
        """
        ya = self._labels(y)
        return np.asarray(self._logprobs[ya] + self.conditional_logpdf(x, ya))

    def marginal_logpdf(self, x: npt.ArrayLike) -> np.ndarray:
        r""":math:`\log p(x) = \log \sum_y p(y)\, p(x \mid y)` by ``logsumexp`` (no underflow).

        Works for every kind of conditional, also where :meth:`marginal` cannot build a
        :class:`~gantheory.Mixture` (a push-forward conditional).

        Examples
        --------
        >>> from scipy import stats
        >>> law = ClassConditional([stats.norm(0, 1), stats.norm(5, 1)], [0.5, 0.5])
        >>> bool(np.isclose(law.marginal_logpdf(1.0), law.marginal().logpdf(1.0), rtol=1e-14))
        True
        """
        return special.logsumexp(self._joint_logs(x), axis=-1)

    def _joint_logs(self, x: npt.ArrayLike) -> np.ndarray:
        """``log p(x, y)`` for every class: shape ``x.shape + (K,)``."""
        xa = check_finite_array(x, "x")
        with np.errstate(divide="ignore"):
            cols = [
                self._logprobs[k] + np.asarray(self._cont[k].logpdf(xa), dtype=np.float64)
                if self.probs[k] > 0 else np.full(xa.shape, -np.inf)
                for k in range(self.n_classes)
            ]
        return np.stack(cols, axis=-1)

    def marginal(self) -> Mixture:
        r"""The marginal law :math:`p(x) = \sum_y p(y)\, p(x \mid y)` as a
        :class:`~gantheory.Mixture` (a Mixture conditional is flattened into its components).

        Raises
        ------
        TypeError
            If a conditional of positive probability is not a scipy.stats distribution or a
            Mixture (a push-forward): use :meth:`marginal_logpdf` for its log-density.

        Examples
        --------
        >>> from scipy import stats
        >>> law = ClassConditional([stats.norm(0, 1), stats.norm(5, 1)], [0.25, 0.75])
        >>> law.marginal().weights
        array([0.25, 0.75])
        """
        comps: list[object] = []
        weights: list[float] = []
        for k, c in enumerate(self.conditionals):
            if self.probs[k] == 0:
                continue
            if isinstance(c, Mixture):
                comps.extend(c.components)
                weights.extend(float(self.probs[k] * w) for w in c.weights)
            elif isinstance(c, Continuous):
                raise TypeError(
                    f"the marginal of `conditionals[{k}]` = {c!r} is not a Mixture of scipy.stats"
                    " distributions; use marginal_logpdf(x) for its log-density"
                )
            else:
                comps.append(c)
                weights.append(float(self.probs[k]))
        w = np.array(weights)
        return Mixture(comps, w / w.sum())

    def label_posterior(self, x: npt.ArrayLike) -> np.ndarray:
        r""":math:`p(y \mid x) = p(x, y) / p(x)`, computed from logs: shape ``x.shape + (K,)``.

        Where every class has log-density ``-inf`` (outside every support) the posterior is
        the prior ``probs`` (the convention of a point of no mass).

        Examples
        --------
        >>> from scipy import stats
        >>> law = ClassConditional([stats.norm(0, 1), stats.norm(0, 1)], [0.25, 0.75])
        >>> law.label_posterior([0.0, 3.0])
        array([[0.25, 0.75],
               [0.25, 0.75]])
        """
        logs = self._joint_logs(x)
        total = special.logsumexp(logs, axis=-1, keepdims=True)
        with np.errstate(invalid="ignore"):
            post = np.exp(logs - total)
        none = ~np.isfinite(total[..., 0])
        if none.any():
            post[none] = self.probs
        return post

    # -- sampling -------------------------------------------------------------------------------
    def rvs(self, n: int, *, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``n`` independent pairs ``(x, y)``: the labels are drawn first (``rng.choice``), then
        each class's ``x`` in class order, all from ``rng`` alone (deterministic for a seed).

        Returns
        -------
        x : numpy.ndarray of float64, shape (n,)
        y : numpy.ndarray of int64, shape (n,)
        """
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(f"`n` must be a non-negative integer (got {describe(n)})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {describe(rng)})")
        n = int(n)
        y = rng.choice(self.n_classes, size=n, p=self.probs).astype(np.int64)
        x = np.empty(n, dtype=np.float64)
        for k in range(self.n_classes):
            m = y == k
            if m.any():
                x[m] = _draw(self.conditionals[k], int(m.sum()), rng)
        return x, y

    def __repr__(self) -> str:
        comps = ", ".join(repr(c) if not hasattr(c, "dist") else _scipy_repr(c)
                          for c in self.conditionals)
        return f"ClassConditional([{comps}], probs={np.array2string(self.probs, separator=', ')})"


def _scipy_repr(c: object) -> str:
    from gantheory.distributions import _describe_scipy

    return _describe_scipy(c)


def _draw(c: object, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of one conditional from ``rng``."""
    if isinstance(c, Mixture):
        return c.rvs(n, rng=rng)
    if isinstance(c, Continuous):  # the push-forward of a 1-D generator: G(z), z ~ its noise
        gen = c.source
        noise = getattr(gen, "noise", None)
        if noise == "normal":
            z = rng.standard_normal(n)
        elif noise == "uniform":
            z = rng.uniform(-1.0, 1.0, n)
        else:
            raise TypeError(f"cannot draw from {c!r}: no noise law to push forward")
        return np.asarray(gen.value_and_derivative(z)[0], dtype=np.float64)
    return np.asarray(c.rvs(size=n, random_state=rng), dtype=np.float64)  # type: ignore[attr-defined]


def _check_labels(y: npt.ArrayLike, n_classes: int, name: str) -> np.ndarray:
    """``y`` as an int64 array of labels in ``0..K-1``; non-integers and others raise."""
    raw = np.asarray(y)
    if raw.dtype.kind == "b" or raw.dtype.kind not in "iuf":
        raise ValueError(
            f"`{name}` must be integer class labels in 0..{n_classes - 1} (got {describe(y)})"
        )
    if raw.dtype.kind == "f":
        bad = ~np.isfinite(raw) | (raw != np.floor(raw))
        if bad.any():
            v = float(raw[bad].reshape(-1)[0])
            raise ValueError(
                f"`{name}` must be integer class labels in 0..{n_classes - 1} (got {v!r})"
            )
    out = raw.astype(np.int64)
    bad = (out < 0) | (out >= n_classes)
    if bad.any():
        v = int(out[bad].reshape(-1)[0])
        raise ValueError(f"`{name}` must be a class label in 0..{n_classes - 1} (got {v})")
    return out


# -- the conditional game ------------------------------------------------------------------------
_LOG2 = math.log(2.0)
_LOG4 = math.log(4.0)

#: A conditional discriminator: an array ``D[y, x]`` for joint tables, or a vectorized callable
#: ``D(x, y)`` for :class:`ClassConditional` laws.
ConditionalDiscriminator = npt.ArrayLike | Callable[[np.ndarray, np.ndarray], npt.ArrayLike]


def _check_table(t: object, name: str) -> np.ndarray:
    """A joint table ``P[y, x]``: 2-D, finite, non-negative, summing to 1 within
    ``SUM_RTOL * size``; returned renormalised and read-only."""
    arr = check_finite_array(t, name, ndim=2)
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty (got shape {arr.shape})")
    if (arr < 0).any():
        i = tuple(int(k) for k in np.argwhere(arr < 0)[0])
        raise ValueError(
            f"`{name}` must be non-negative (got {float(arr[i])!r} at index {i}: {describe(arr)})"
        )
    total = float(arr.sum())
    tol = SUM_RTOL * arr.size
    if abs(total - 1.0) > tol:
        raise ValueError(
            f"`{name}` must sum to 1 within {tol:.1e} (1e-12 per entry; got sum {total!r}:"
            f" {describe(arr)})"
        )
    out = arr / total
    out.setflags(write=False)
    return out


class _Joint(NamedTuple):
    """A validated pair: ``kind`` "table" (arrays ``(K, N)``) or "law" (ClassConditional)."""

    kind: str
    p: object
    q: object


def _coerce(p_data: object, p_g: object) -> _Joint:
    """Classify and validate a pair of labelled distributions (tables or laws)."""
    lp, lq = isinstance(p_data, ClassConditional), isinstance(p_g, ClassConditional)
    if lp and lq:
        if p_data.n_classes != p_g.n_classes:  # type: ignore[union-attr]
            raise ValueError(
                "`p_data` and `p_g` must have the same classes (got"
                f" {p_data.n_classes} and {p_g.n_classes} classes)"  # type: ignore[union-attr]
            )
        return _Joint("law", p_data, p_g)
    if lp != lq:
        raise TypeError(
            "`p_data` and `p_g` must both be joint tables (2-D arrays P[y, x]) or both"
            f" ClassConditional laws (got {type(p_data).__name__} and {type(p_g).__name__})"
        )
    for v, n in ((p_data, "p_data"), (p_g, "p_g")):
        if callable(v) or is_continuous(v) or v is None or isinstance(v, (str, bytes, dict)):
            raise TypeError(
                f"`{n}` must be a joint table (a 2-D array P[y, x] of probabilities) or a"
                f" ClassConditional (got {describe(v)})"
            )
    P, Q = _check_table(p_data, "p_data"), _check_table(p_g, "p_g")
    if P.shape != Q.shape:
        raise ValueError(
            f"`p_data` and `p_g` must have the same shape (classes, points) (got {P.shape} and"
            f" {Q.shape})"
        )
    return _Joint("table", P, Q)


def _label_laws(j: _Joint) -> tuple[np.ndarray, np.ndarray]:
    """The label marginals of data and generator."""
    if j.kind == "table":
        return j.p.sum(axis=1), j.q.sum(axis=1)  # type: ignore[union-attr]
    return j.p.probs, j.q.probs  # type: ignore[union-attr]


def _finish(est: Estimate, full_output: bool) -> float | Estimate:
    return est if full_output else est.value


def _sum_estimates(parts: Sequence[Estimate], offset: float = 0.0) -> Estimate:
    """``offset + sum`` of integrals, their error bounds summed plus the rounding of the sum."""
    value = offset + math.fsum(e.value for e in parts)
    if not math.isfinite(value):
        return Estimate(value, 0.0, sum(e.pieces for e in parts), sum(e.neval for e in parts))
    err = math.fsum(e.abserr for e in parts) + (len(parts) + 1) * EPS * (
        abs(offset) + math.fsum(abs(e.value) for e in parts)
    )
    return Estimate(value, err, sum(e.pieces for e in parts), sum(e.neval for e in parts))


def _per_class(
    j: _Joint, integrand: Callable[[int, float, float, float], float], what: str,
    atol: float, rtol: float,
) -> Estimate:
    r""":math:`\sum_y \int f(y, x, \log p_{data}(x, y), \log p_g(x, y))\,dx` for two laws, one
    quadrature per class of positive mass, each asked for ``atol / K`` so that the summed error
    bound meets ``atol + rtol |value|``."""
    P, Q = j.p, j.q
    lpi, lrho = P._logprobs, Q._logprobs  # type: ignore[union-attr]
    classes = [k for k in range(P.n_classes) if P.probs[k] > 0 or Q.probs[k] > 0]  # type: ignore[union-attr]
    parts = []
    for k in classes:
        a, b = float(lpi[k]), float(lrho[k])

        def f(x: float, logs: tuple[float, ...], k: int = k, a: float = a, b: float = b) -> float:
            return integrand(k, x, a + logs[0], b + logs[1])

        dists = [d for d, w in ((P._cont[k], a), (Q._cont[k], b)) if w > -math.inf]  # type: ignore[union-attr]
        pair = [P._cont[k], Q._cont[k]]  # type: ignore[union-attr]
        # the landmarks of a class of zero mass on one side would only add pieces
        est = integrate_pieces(
            f, pair, domain=_hull(dists), atol=atol / len(classes), rtol=rtol,
            what=f"{what} (class {k})",
        )
        parts.append(est)
    return _sum_estimates(parts)


def _hull(dists: Sequence[Continuous]) -> tuple[float, float]:
    sup = [d.support() for d in dists]
    return float(min(s[0] for s in sup)), float(max(s[1] for s in sup))


def _joint_logits(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """``log p - log q``, 0 where both are equal (both 0 or both infinite: D* = 1/2)."""
    with np.errstate(invalid="ignore"):
        return np.where(lp == lq, 0.0, lp - lq)


def _table_logs(t: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(t)


class _ConditionalDStar:
    """Vectorized :math:`D^*(x, y)` of two labelled laws, with its exact logit from logs."""

    def __init__(self, p: ClassConditional, q: ClassConditional) -> None:
        self.p_data, self.p_g = p, q

    def logit(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        r""":math:`\log p_{data}(x, y) - \log p_g(x, y)` (``±inf`` where one joint density
        vanishes, 0 where both vanish or both are infinite)."""
        return _joint_logits(self.p_data.logpdf(x, y), self.p_g.logpdf(x, y))

    def __call__(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        return special.expit(self.logit(x, y))

    def __repr__(self) -> str:
        return f"conditional_optimal_discriminator({self.p_data!r}, {self.p_g!r})"


def conditional_optimal_discriminator(
    p_data: object, p_g: object
) -> np.ndarray | Callable[..., np.ndarray]:
    r"""The optimal conditional discriminator (Mirza & Osindero 2014, with Goodfellow et al.
    2014, Prop. 1, on the joint distributions).

    .. math:: D^*(x, y) = \frac{p_{data}(x, y)}{p_{data}(x, y) + p_g(x, y)}
              = \frac{p_{data}(x \mid y)}{p_{data}(x \mid y) + p_g(x \mid y)}
              \ \text{when}\ p_{data}(y) = p_g(y)

    Where both joint densities vanish any value is optimal; the value returned there is 1/2.

    Parameters
    ----------
    p_data, p_g : joint tables of the same shape (K, N), or ClassConditional laws with the
        same number of classes.

    Returns
    -------
    numpy.ndarray or callable
        For tables, the read-only array ``D[y, x]`` of shape (K, N), carrying its exact logit
        ``log p_data(x, y) - log p_g(x, y)`` as ``.logit``. For laws, a vectorized function
        ``D(x, y)`` (``x`` and ``y`` broadcast) with the method ``.logit(x, y)``, exact from
        the log-densities where ``D`` rounds to 0 or 1.

    Examples
    --------
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> Q = np.array([[0.25, 0.5], [0.25, 0.0]])
    >>> conditional_optimal_discriminator(P, Q)
    array([[0.5       , 0.33333333],
           [0.66666667, 0.5       ]])
    >>> from scipy import stats
    >>> law = ClassConditional([stats.norm(0, 1), stats.norm(3, 1)], [0.5, 0.5])
    >>> d = conditional_optimal_discriminator(law, law)
    >>> d(np.array([0.0, 50.0]), 1)
    array([0.5, 0.5])
    """
    from gantheory.game import _DiscreteDStar

    j = _coerce(p_data, p_g)
    if j.kind == "law":
        return _ConditionalDStar(j.p, j.q)  # type: ignore[arg-type]
    P, Q = j.p, j.q
    total = P + Q  # type: ignore[operator]
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(total > 0, P / np.where(total > 0, total, 1.0), 0.5)
    logit = _joint_logits(_table_logs(P), _table_logs(Q))  # type: ignore[arg-type]
    logit.setflags(write=False)
    return _DiscreteDStar(d, logit)


def _table_d(D: object, shape: tuple[int, int], logit: bool) -> tuple[np.ndarray, bool]:
    """A table discriminator ``D[y, x]`` (values or logits) as flat arrays for the game."""
    fn = getattr(D, "logit", None)
    if isinstance(fn, np.ndarray) and not logit and fn.shape == shape:
        return np.asarray(fn, dtype=np.float64).reshape(-1), True
    if callable(D):
        raise TypeError(f"`D` must be an array D[y, x] for joint tables (got {describe(D)})")
    arr = check_finite_array(D, "D") if logit is False else np.asarray(D, dtype=np.float64)
    if arr.shape != shape:
        raise ValueError(f"`D` must be an array of shape {shape} (got shape {arr.shape})")
    if logit and np.isnan(arr).any():
        raise ValueError("`D` (logits) must not be NaN")
    return arr.reshape(-1), logit


def conditional_value(
    p_data: object,
    p_g: object,
    D: ConditionalDiscriminator,
    *,
    logit: bool = False,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The value :math:`V(G, D)` of the conditional game (Mirza & Osindero 2014, eq. 2).

    .. math:: V(G, D) = \sum_y \int p_{data}(x, y) \log D(x, y)
              + p_g(x, y) \log(1 - D(x, y))\,dx

    Parameters
    ----------
    p_data, p_g : joint tables (K, N) or ClassConditional laws
    D : array (K, N) or callable
        For tables, ``D[y, x]`` in [0, 1] (or the array of
        :func:`conditional_optimal_discriminator`, whose ``.logit`` is used); for laws, a
        vectorized ``D(x, y)`` with values in [0, 1], or with a ``.logit(x, y)`` method.
    logit : bool
        ``D`` gives logits :math:`\log(D / (1 - D))` (exact where D rounds to 0 or 1).
    full_output, atol, rtol
        As for :func:`gantheory.value`.

    Raises
    ------
    ValueError
        For a ``D`` of the wrong shape, NaN, values outside [0, 1], or exactly 0 (1) where the
        data (generator) has mass, and for the bad input of :func:`conditional_optimal_value`.

    Examples
    --------
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> bool(np.isclose(conditional_value(P, P, np.full((2, 2), 0.5)), -np.log(4),
    ...                 rtol=1e-15, atol=0))
    True
    """
    from gantheory.game import _log_d, _rounded, value

    atol, rtol = check_tolerances(atol, rtol)
    if not isinstance(logit, bool | np.bool_):
        raise TypeError(f"`logit` must be True or False (got {describe(logit)})")
    j = _coerce(p_data, p_g)
    if j.kind == "table":
        flat, is_logit = _table_d(D, j.p.shape, bool(logit))  # type: ignore[union-attr]
        return value(j.p.reshape(-1), j.q.reshape(-1), flat, logit=is_logit,  # type: ignore[union-attr]
                     full_output=full_output, atol=atol, rtol=rtol)
    if not callable(D):
        raise TypeError(f"`D` must be a vectorized callable D(x, y) for laws (got {describe(D)})")
    own = isinstance(D, _ConditionalDStar) and D.p_data is j.p and D.p_g is j.q and not logit
    fn_logit = getattr(D, "logit", None)
    fn, is_logit = (D, True) if logit else (fn_logit, True) if callable(fn_logit) else (D, False)

    def integrand(k: int, x: float, lp: float, lq: float) -> float:
        if lp == -math.inf and lq == -math.inf:
            return 0.0
        if own:
            l_d = log_ratio(lp, lq)
            return plog(lp, -softplus(-l_d)) + plog(lq, -softplus(l_d))
        out = np.asarray(fn(np.array([x]), np.array([k])), dtype=np.float64)  # type: ignore[misc]
        if out.size != 1:
            raise ValueError(f"`D` must return one value per point (got shape {out.shape})")
        dx = float(out.reshape(()))
        if math.isnan(dx):
            raise ValueError(f"`D` returned NaN at x = {x!r}, y = {k}")
        if not is_logit:
            if not 0.0 <= dx <= 1.0:
                raise ValueError(f"`D` must return values in [0, 1] (got {dx!r} at x = {x!r},"
                                 f" y = {k})")
            if dx == 0.0 and plog(lp, 1.0) > 0:
                raise _rounded(x, dx, lp, where="p_data", quantity="V(G, D)")
            if dx == 1.0 and plog(lq, 1.0) > 0:
                raise _rounded(x, dx, lq, where="p_g", quantity="V(G, D)")
        log_d, log_1md = _log_d(dx, is_logit)
        return plog(lp, log_d) + plog(lq, log_1md)

    return _finish(_per_class(j, integrand, "value V(G, D)", atol, rtol), full_output)


def conditional_optimal_value(
    p_data: object,
    p_g: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The virtual training criterion of the conditional game,
    :math:`C(G) = \max_D V(G, D) = V(G, D^*)`.

    .. math:: C(G) = \sum_y \int p_{data}(x, y) \log\frac{p_{data}(x, y)}{p_{data}(x, y)
              + p_g(x, y)} + p_g(x, y) \log\frac{p_g(x, y)}{p_{data}(x, y) + p_g(x, y)}\,dx
              = -\log 4 + 2\,\mathrm{JSD}(p_{data}(x, y) \,\|\, p_g(x, y))

    Computed from its definition with :math:`D^*` in log form, independently of
    :func:`joint_jsd` and :func:`per_class_value`, so that the identities are real checks.

    Examples
    --------
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> Q = np.array([[0.25, 0.5], [0.25, 0.0]])
    >>> bool(np.isclose(conditional_optimal_value(P, Q), -np.log(4) + 2 * joint_jsd(P, Q),
    ...                 rtol=1e-14, atol=0))
    True
    """
    from gantheory.game import optimal_value

    atol, rtol = check_tolerances(atol, rtol)
    j = _coerce(p_data, p_g)
    if j.kind == "table":
        return optimal_value(j.p.reshape(-1), j.q.reshape(-1), full_output=full_output,  # type: ignore[union-attr]
                             atol=atol, rtol=rtol)

    def integrand(k: int, x: float, lp: float, lq: float) -> float:
        return plog(lp, -softplus(log_ratio(lq, lp))) + plog(lq, -softplus(log_ratio(lp, lq)))

    return _finish(_per_class(j, integrand, "C(G)", atol, rtol), full_output)


def joint_jsd(
    p_data: object,
    p_g: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The Jensen-Shannon divergence of the joint distributions, in nats.

    .. math:: \mathrm{JSD}(p_{data}(x, y) \,\|\, p_g(x, y)) = \tfrac12 \sum_y \int
              p_{data} \log\frac{2 p_{data}}{p_{data} + p_g}
              + p_g \log\frac{2 p_g}{p_{data} + p_g}\,dx

    Examples
    --------
    >>> from scipy.spatial.distance import jensenshannon
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> Q = np.array([[0.25, 0.5], [0.25, 0.0]])
    >>> bool(np.isclose(joint_jsd(P, Q), jensenshannon(P.ravel(), Q.ravel()) ** 2,
    ...                 rtol=1e-12, atol=0))
    True
    """
    from gantheory.divergences import jsd

    atol, rtol = check_tolerances(atol, rtol)
    j = _coerce(p_data, p_g)
    if j.kind == "table":
        return jsd(j.p.reshape(-1), j.q.reshape(-1), full_output=full_output,  # type: ignore[union-attr]
                   atol=atol, rtol=rtol)

    def integrand(k: int, x: float, lp: float, lq: float) -> float:
        return 0.5 * (
            plog(lp, _LOG2 - softplus(log_ratio(lq, lp)))
            + plog(lq, _LOG2 - softplus(log_ratio(lp, lq)))
        )

    return _finish(_per_class(j, integrand, "joint JS divergence", atol, rtol), full_output)


def _table_conditionals(
    P: np.ndarray, Q: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``P[k] / P[k].sum()`` and ``Q[k] / Q[k].sum()``, refused where a label has no
    mass (the conditional is then undefined)."""
    out = []
    for t, name in ((P, "p_data"), (Q, "p_g")):
        mass = float(t[k].sum())
        if mass == 0:
            raise ValueError(
                f"the conditional `{name}`(x | y={k}) is undefined: label {k} has probability 0"
                f" in `{name}` (row {k} of the table is all zeros)"
            )
        out.append(t[k] / mass)
    return out[0], out[1]


def class_jsds(
    p_data: object,
    p_g: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> np.ndarray | tuple[Estimate, ...]:
    r"""The per-class divergences :math:`\mathrm{JSD}(p_{data}(\cdot \mid y) \,\|\,
    p_g(\cdot \mid y))`, one per label, in nats.

    Returns
    -------
    numpy.ndarray of shape (K,), or a tuple of K :class:`~gantheory.quadrature.Estimate` with
    ``full_output=True`` (each with its own error bound, as :func:`gantheory.jsd`).

    Raises
    ------
    ValueError
        For a table whose row ``y`` is all zeros in one of the two (the conditional of label
        ``y`` is then undefined); a :class:`ClassConditional` always has its conditionals.

    Examples
    --------
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> Q = np.array([[0.25, 0.25], [0.0, 0.5]])
    >>> class_jsds(P, Q) / np.log(2)
    array([0., 1.])
    """
    from gantheory.divergences import jsd

    atol, rtol = check_tolerances(atol, rtol)
    j = _coerce(p_data, p_g)
    K = j.p.shape[0] if j.kind == "table" else j.p.n_classes  # type: ignore[union-attr]
    ests = []
    for k in range(K):
        if j.kind == "table":
            a, b = _table_conditionals(j.p, j.q, k)  # type: ignore[arg-type]
        else:
            a, b = j.p.conditionals[k], j.q.conditionals[k]  # type: ignore[union-attr]
        ests.append(jsd(a, b, full_output=True, atol=atol, rtol=rtol))
    if full_output:
        return tuple(ests)
    return np.array([e.value for e in ests])


def per_class_value(
    p_data: object,
    p_g: object,
    *,
    full_output: bool = False,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> float | Estimate:
    r"""The per-class form of the criterion, with the data's label law :math:`p(y)`:

    .. math:: -\log 4 + 2 \sum_y p_{data}(y)\,\mathrm{JSD}(p_{data}(\cdot \mid y) \,\|\,
              p_g(\cdot \mid y))

    It equals :math:`C(G)` (:func:`conditional_optimal_value`) when the generator's label law
    is the data's. When the label laws differ it is *not* :math:`C(G)`: it misses the label
    term :math:`\mathrm{JSD}(p_{data}(y) \| p_g(y))` and weights the classes differently (see
    :func:`jsd_decomposition` for the exact form). Classes of zero data probability are left
    out (weight 0).

    Examples
    --------
    >>> P = np.array([[0.25, 0.25], [0.5, 0.0]])
    >>> Q = np.array([[0.5, 0.0], [0.25, 0.25]])  # the same label law (1/2, 1/2)
    >>> bool(np.isclose(per_class_value(P, Q), conditional_optimal_value(P, Q),
    ...                 rtol=1e-14, atol=0))
    True
    """
    from gantheory.divergences import jsd

    atol, rtol = check_tolerances(atol, rtol)
    j = _coerce(p_data, p_g)
    pi, _ = _label_laws(j)
    classes = [k for k in range(pi.size) if pi[k] > 0]
    parts = []
    for k in classes:
        if j.kind == "table":
            a, b = _table_conditionals(j.p, j.q, k)  # type: ignore[arg-type]
        else:
            a, b = j.p.conditionals[k], j.q.conditionals[k]  # type: ignore[union-attr]
        # 2 pi_k JSD_k: each asked for atol / (2 K) so that the weighted sum meets atol
        e = jsd(a, b, full_output=True, atol=atol / (2 * len(classes)), rtol=rtol)
        w = 2.0 * float(pi[k])
        parts.append(Estimate(w * e.value, w * e.abserr, e.pieces, e.neval))
    return _finish(_sum_estimates(parts, offset=-_LOG4), full_output)


class JSDDecomposition(NamedTuple):
    r"""The chain rule for the joint JSD (:func:`jsd_decomposition`).

    .. math:: \mathrm{JSD}(P \| Q) = \mathrm{label} + \sum_y \mathrm{weights}_y\,
              \mathrm{classes}_y

    Attributes
    ----------
    total : float
        ``label + sum(weights * classes)``.
    label : float
        :math:`\mathrm{JSD}(\pi \| \rho)` of the two label laws.
    classes : numpy.ndarray (K,)
        :math:`\mathrm{JS}_{\alpha_y}(p_y \| q_y)`, the JSD of the class conditionals with
        weights :math:`(\alpha_y, 1 - \alpha_y)`; 0 for a class where :math:`\alpha_y` is 0
        or 1 (the class is one side's alone) or where both label masses are 0.
    weights : numpy.ndarray (K,)
        :math:`\mu(y) = (\pi(y) + \rho(y)) / 2`.
    alphas : numpy.ndarray (K,)
        :math:`\alpha_y = \pi(y) / (\pi(y) + \rho(y))` (1/2 where both are 0).
    abserr : float
        Bound on the error of ``total``.
    """

    total: float
    label: float
    classes: np.ndarray
    weights: np.ndarray
    alphas: np.ndarray
    abserr: float


def _skew_terms(lp: float, lq: float, la: float, l1a: float) -> float:
    r""":math:`\alpha p \log(p/m) + (1-\alpha) q \log(q/m)` with :math:`m = \alpha p + (1-\alpha)
    q`, from logs: :math:`\log(p/m) = -\log(\alpha + (1-\alpha) e^{\log q - \log p})`."""
    lpm = -float(np.logaddexp(la, l1a + log_ratio(lq, lp))) if lp > -math.inf else 0.0
    lqm = -float(np.logaddexp(l1a, la + log_ratio(lp, lq))) if lq > -math.inf else 0.0
    return plog(la + lp, lpm) + plog(l1a + lq, lqm)


def jsd_decomposition(
    p_data: object,
    p_g: object,
    *,
    atol: float = DEFAULT_ATOL,
    rtol: float = DEFAULT_RTOL,
) -> JSDDecomposition:
    r"""The joint JSD split by the chain rule into a label term and weighted class terms.

    .. math:: \mathrm{JSD}(P \,\|\, Q) = \mathrm{JSD}(\pi \,\|\, \rho)
              + \sum_y \mu(y)\,\mathrm{JS}_{\alpha_y}(p_y \,\|\, q_y),
              \qquad \mu = \tfrac{\pi + \rho}{2},\ \alpha_y = \tfrac{\pi(y)}{\pi(y) + \rho(y)}

    with :math:`P(x, y) = \pi(y) p_y(x)` the data, :math:`Q(x, y) = \rho(y) q_y(x)` the
    generator and :math:`\mathrm{JS}_\alpha(p \| q) = \alpha\,\mathrm{KL}(p \| m_\alpha) + (1 -
    \alpha)\,\mathrm{KL}(q \| m_\alpha)`, :math:`m_\alpha = \alpha p + (1 - \alpha) q`. It is
    the chain rule of mutual information for the source bit :math:`S` (data or generator, 1/2
    each): :math:`\mathrm{JSD}(P \| Q) = I(S; (X, Y)) = I(S; Y) + I(S; X \mid Y)`. With shared
    labels (:math:`\pi = \rho`) the label term is 0, :math:`\mu = \pi`, every
    :math:`\alpha_y = 1/2` and the sum is :math:`\sum_y \pi(y)\,\mathrm{JSD}(p_y \| q_y)`. In
    general both parts are non-negative, so
    :math:`\mathrm{JSD}(P \| Q) \ge \mathrm{JSD}(\pi \| \rho)` and
    :math:`\mathrm{JSD}(P \| Q) \ge \sum_y \mu(y)\,\mathrm{JS}_{\alpha_y}(p_y \| q_y)`.

    Examples
    --------
    >>> P = np.array([[0.4, 0.2], [0.1, 0.3]])
    >>> Q = np.array([[0.1, 0.1], [0.5, 0.3]])
    >>> d = jsd_decomposition(P, Q)
    >>> bool(np.isclose(d.total, joint_jsd(P, Q), rtol=1e-13, atol=0))
    True
    """
    from gantheory.divergences import jsd

    atol, rtol = check_tolerances(atol, rtol)
    j = _coerce(p_data, p_g)
    pi, rho = _label_laws(j)
    K = pi.size
    mu = 0.5 * (pi + rho)
    s = pi + rho
    alphas = np.where(s > 0, pi / np.where(s > 0, s, 1.0), 0.5)
    label = jsd(pi / pi.sum(), rho / rho.sum(), full_output=True)
    classes = np.zeros(K)
    errs = [label.abserr]
    active = [k for k in range(K) if s[k] > 0 and 0.0 < alphas[k] < 1.0]
    for k in active:
        la, l1a = math.log(alphas[k]), math.log1p(-alphas[k])
        if j.kind == "table":
            a, b = _table_conditionals(j.p, j.q, k)  # type: ignore[arg-type]
            la_, lb_ = _table_logs(a), _table_logs(b)
            terms = np.array([_skew_terms(u, v, la, l1a) for u, v in zip(la_, lb_)])
            classes[k] = float(np.sum(terms))
            errs.append(mu[k] * (terms.size * EPS * float(np.sum(np.abs(terms))) + 4 * EPS))
        else:
            pc, qc = j.p._cont[k], j.q._cont[k]  # type: ignore[union-attr]
            est = integrate_pieces(
                lambda x, logs, la=la, l1a=l1a: _skew_terms(logs[0], logs[1], la, l1a),
                [pc, qc], atol=atol / max(len(active), 1), rtol=rtol,
                what=f"weighted JS divergence (class {k})",
            )
            classes[k] = est.value
            errs.append(mu[k] * est.abserr)
    total = label.value + math.fsum(mu * classes)
    err = math.fsum(errs) + (K + 1) * EPS * (abs(label.value) + math.fsum(mu * classes))
    for arr in (classes, mu, alphas):
        arr.setflags(write=False)
    return JSDDecomposition(total, label.value, classes, mu, alphas, err)


class ProjectionTerms(NamedTuple):
    r"""The two terms of :math:`\operatorname{logit} D^*` (:func:`projection_terms`).

    Attributes
    ----------
    label : numpy.ndarray
        :math:`\log p_{data}(y \mid x) - \log p_g(y \mid x)`.
    marginal : numpy.ndarray
        :math:`\log p_{data}(x) - \log p_g(x)`, broadcast to the shape of ``label``.
    """

    label: np.ndarray
    marginal: np.ndarray

    @property
    def logit(self) -> np.ndarray:
        """``label + marginal``: the logit of :math:`D^*`."""
        return self.label + self.marginal


def _projection(lP: np.ndarray, lQ: np.ndarray, lPm: np.ndarray, lQm: np.ndarray
                ) -> ProjectionTerms:
    """The label and marginal terms from the joint and marginal log-densities (broadcast)."""
    lP, lQ, lPm, lQm = np.broadcast_arrays(lP, lQ, lPm, lQm)
    inner = np.isfinite(lPm) & np.isfinite(lQm) & np.isfinite(lP) & np.isfinite(lQ)
    with np.errstate(invalid="ignore"):
        label = np.where(inner, (lP - lPm) - (lQ - lQm), 0.0)
        marginal = np.where(inner, lPm - lQm, 0.0)
    # off the common support a posterior or a marginal is 0 (or undefined): the label term is
    # 0 there and the marginal term carries the whole logit of D* (±inf, or 0 where both joint
    # densities vanish, the D* = 1/2 convention)
    edge = ~inner
    if edge.any():
        marginal = np.where(edge, _joint_logits(lP, lQ), marginal)
    return ProjectionTerms(label, marginal)


def projection_terms(
    p_data: object, p_g: object, x: npt.ArrayLike | None = None,
    y: npt.ArrayLike | None = None,
) -> ProjectionTerms:
    r"""The decomposition of the optimal conditional discriminator's logit used by projection
    discriminators (Miyato & Koyama 2018, eq. 3).

    .. math:: \operatorname{logit} D^*(x, y) = \log\frac{p_{data}(x, y)}{p_g(x, y)}
              = \underbrace{\log\frac{p_{data}(y \mid x)}{p_g(y \mid x)}}_{\text{label}}
              + \underbrace{\log\frac{p_{data}(x)}{p_g(x)}}_{\text{marginal}}

    Both terms from logs: the posteriors :math:`\log p(y \mid x) = \log p(x, y) - \log p(x)`
    with :math:`\log p(x)` by ``logsumexp`` over the labels. The identity holds where both
    marginals and both joint densities are positive; elsewhere the label term is 0 and the
    marginal term is the logit of :math:`D^*` itself (``±inf``, or 0 where both joint densities
    vanish), so that ``label + marginal`` is that logit everywhere.

    Parameters
    ----------
    p_data, p_g : joint tables (K, N) or ClassConditional laws
    x, y : array_like, for laws only
        Points and labels (broadcast); for tables the terms are given on the whole grid.

    Returns
    -------
    ProjectionTerms
        ``(label, marginal)``, of shape (K, N) for tables, the broadcast shape of ``x`` and
        ``y`` for laws.

    Examples
    --------
    >>> P = np.array([[0.4, 0.2], [0.1, 0.3]])
    >>> Q = np.array([[0.1, 0.1], [0.5, 0.3]])
    >>> t = projection_terms(P, Q)
    >>> bool(np.allclose(t.logit, np.log(P / Q), rtol=1e-14, atol=0))
    True
    """
    j = _coerce(p_data, p_g)
    if j.kind == "table":
        if x is not None or y is not None:
            raise ValueError("`x` and `y` are for ClassConditional laws; a table gives every cell")
        lP, lQ = _table_logs(j.p), _table_logs(j.q)  # type: ignore[arg-type]
        lPm = special.logsumexp(lP, axis=0, keepdims=True)
        lQm = special.logsumexp(lQ, axis=0, keepdims=True)
        return _projection(lP, lQ, lPm, lQm)
    if x is None or y is None:
        raise ValueError("`x` and `y` must be given for ClassConditional laws (got None)")
    P, Q = j.p, j.q
    ya = P._labels(y)  # type: ignore[union-attr]
    xa = check_finite_array(x, "x")
    xb, yb = np.broadcast_arrays(xa, ya)
    lP, lQ = P.logpdf(xb, yb), Q.logpdf(xb, yb)  # type: ignore[union-attr]
    lPm, lQm = P.marginal_logpdf(xb), Q.marginal_logpdf(xb)  # type: ignore[union-attr]
    return _projection(lP, lQ, lPm, lQm)
