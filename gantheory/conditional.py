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

import numbers
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory._validation import check_finite_array, describe
from gantheory.distributions import Continuous, Mixture, as_continuous, is_continuous

__all__ = ["SUM_RTOL", "ClassConditional"]

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
