r"""GAN objectives: one description each, from which everything else is derived.

An objective is the discriminator's side of a GAN game,

.. math:: V(G, D) = \int p_{data}(x)\, u\bigl(D(x)\bigr) + p_g(x)\, w\bigl(D(x)\bigr)\,dx,

a *data term* :math:`u` and a *generated term* :math:`w` that the discriminator maximises, its
output domain (a probability in :math:`[0, 1]`, computed from a logit, or an unbounded critic),
and the generator's losses. An :class:`Objective` holds these once, as SymPy expressions
(:meth:`Objective.symbolic`) and as float64 functions; from it

* :meth:`Objective.derive` derives the pointwise maximiser :math:`D^*(p_{data}, p_g)`, proves
  it unique (strict concavity), handles the boundary cases and derives the value at the optimum
  (:func:`gantheory.symbolic.derive_pointwise`), never looking the answer up;
* :func:`gantheory.optimal_discriminator`, :func:`gantheory.value` and
  :func:`gantheory.optimal_value` compute :math:`D^*`, :math:`V(G, D)` and
  :math:`\max_D V(G, D)` for discrete and continuous pairs with ``objective=``;
* :meth:`Objective.discriminator_loss` and :meth:`Objective.generator_loss` are the matching
  minibatch losses of :mod:`gantheory.nn`, from the network's raw output, which Algorithm 1
  (:class:`gantheory.gan.GANConfig`) trains with.

The objectives (:data:`OBJECTIVES`, :func:`get_objective`):

* ``"goodfellow"`` (:data:`GOODFELLOW`, the default everywhere): :math:`u = \log D`,
  :math:`w = \log(1 - D)` (Goodfellow et al. 2014, eq. 1);
* ``"label_smoothing"`` (:func:`label_smoothing`): targets :math:`1 - \alpha` for data and
  :math:`\beta` for generated samples (Salimans et al. 2016; Goodfellow 2016, NIPS tutorial,
  Section 4.2), :math:`u = (1-\alpha)\log D + \alpha \log(1 - D)`,
  :math:`w = \beta \log D + (1 - \beta)\log(1 - D)`;
* ``"least_squares"`` (:func:`least_squares`): :math:`u = -\tfrac12 (D - b)^2`,
  :math:`w = -\tfrac12 (D - a)^2`, generator loss :math:`\tfrac12 (D - c)^2`
  (Mao et al. 2017, eq. 2);
* ``"hinge"`` (:data:`HINGE`): :math:`u = -\max(0, 1 - D)`, :math:`w = -\max(0, 1 + D)`,
  generator loss :math:`-D` (Lim & Ye 2017);
* ``"f_gan"`` (:func:`f_gan`): :math:`u = T`, :math:`w = -f^*(T)` with :math:`T = g_f(v)` on
  the domain of :math:`f^*`, for each divergence of Nowozin et al. (2016), Table 2;
* ``"wasserstein"`` (:data:`WASSERSTEIN`): :math:`u = D`, :math:`w = -D` over 1-Lipschitz
  critics, generator loss :math:`-D` (Arjovsky et al. 2017). Unconstrained, the supremum is
  :math:`+\infty` wherever :math:`p_{data} \ne p_g` (:meth:`Objective.derive` finds no
  maximiser); over 1-Lipschitz critics it is :math:`W_1(p_{data}, p_g)`, attained by
  :func:`gantheory.wasserstein_critic`, which :func:`gantheory.optimal_discriminator` returns.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import special

from gantheory._validation import describe

if TYPE_CHECKING:  # SymPy is imported only when a derivation is asked for
    import sympy as sp

    from gantheory.symbolic.pointwise import PointwiseOptimum

__all__ = [
    "GOODFELLOW",
    "HINGE",
    "OBJECTIVES",
    "WASSERSTEIN",
    "Objective",
    "SymbolicObjective",
    "f_gan",
    "get_objective",
    "label_smoothing",
    "least_squares",
]

Arrays = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class SymbolicObjective:
    r"""An objective in SymPy.

    Attributes
    ----------
    variable : sympy.Symbol
        :math:`y`, the discriminator's value :math:`D(x)` (a probability or a critic value).
    domain : sympy.Interval
        The output domain of :math:`y`.
    data_term, generated_term : sympy.Expr
        :math:`u(y)` and :math:`w(y)`, in ``variable`` and the parameter symbols.
    parameters : dict
        Each parameter symbol and its value in this objective.
    ranges : dict
        Each parameter symbol and a reparametrisation over non-negative symbols covering its
        admissible range (used to prove the derivation for every admissible parameter).
    generator_losses : dict
        Each generator loss by name: the per-sample loss the generator *minimises*, as a
        function of :math:`y = D(G(z))`.
    """

    variable: sp.Symbol
    domain: sp.Interval
    data_term: sp.Expr
    generated_term: sp.Expr
    parameters: dict
    ranges: dict
    generator_losses: dict


@dataclass(frozen=True, eq=False, kw_only=True)
class Objective:
    r"""One GAN objective: the discriminator's terms, its output domain, the generator losses.

    Build one with :func:`get_objective` (by name) or the constructors :func:`label_smoothing`
    and :func:`least_squares`; :data:`GOODFELLOW` and :data:`HINGE` are ready-made.

    Attributes
    ----------
    name : str
        The registry name (``"goodfellow"``, ``"label_smoothing"``, ...).
    title : str
        A one-line description with the parameters.
    output : {"probability", "critic"}
        ``"probability"``: :math:`D(x) \in [0, 1]`, the network outputs its logit and
        :math:`D = \sigma(\ell)`; ``"critic"``: :math:`D(x)` is the raw output itself.
    domain : tuple of float
        The closed hull of the output domain, e.g. ``(0.0, 1.0)`` or ``(-inf, inf)``.
    parameters : mapping of str to float
        The objective's parameters (e.g. ``{"alpha": 0.1, "beta": 0.0}``).
    generator_losses : tuple of str
        The generator losses this objective can train with; the first is the default.
    source, reference : str
        BibTeX key of the paper and where in it the objective is defined.
    """

    name: str
    title: str
    output: str
    domain: tuple[float, float]
    parameters: Mapping[str, float]
    generator_losses: tuple[str, ...]
    source: str
    reference: str
    _symbolic: Callable[[], SymbolicObjective] = field(repr=False)
    _terms: Callable[[np.ndarray, bool], Arrays] = field(repr=False)
    _maximiser: Callable[[np.ndarray, np.ndarray], np.ndarray] = field(repr=False)
    _optimum: Callable[[np.ndarray, np.ndarray], np.ndarray] = field(repr=False)
    #: bound on |J(D*)| / (p_data + p_g) at one point, for what an omitted tail can add
    optimum_scale: float = field(repr=False)
    _losses: Callable[[], tuple[Callable[..., Any], dict[str, Callable[..., Any]]]] = field(
        repr=False
    )
    #: for an objective without a pointwise optimum (the Wasserstein critic, whose optimum is
    #: over 1-Lipschitz functions): D* and max V of a whole pair
    _pair_dstar: Callable[..., Any] | None = field(default=None, repr=False)
    _pair_value: Callable[..., Any] | None = field(default=None, repr=False)
    #: the Lipschitz constant the critic is constrained to (None: unconstrained)
    lipschitz: float | None = None
    #: whether D* or the optimum has a kink or a jump where the densities cross (the hinge's
    #: sign and min): the quadrature then splits there, where its error estimate holds
    kinked_at_crossings: bool = False
    #: the output activation from the network's raw output to a critic value (f-GAN's g_f;
    #: None: the raw output is the critic value, or the logit of a probability)
    _activation: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"<Objective {self.title}>"

    def __eq__(self, other: object) -> bool:
        """Two objectives are equal when they have the same name and parameters."""
        if not isinstance(other, Objective):
            return NotImplemented
        return (self.name, dict(self.parameters)) == (other.name, dict(other.parameters))

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.parameters.items()))))

    # -- symbolic ---------------------------------------------------------------------------------
    def symbolic(self) -> SymbolicObjective:
        """The objective in SymPy (imports SymPy on first use)."""
        return self._symbolic()

    def derive(self, *, general: bool = True) -> PointwiseOptimum:
        r"""Derive the pointwise maximiser :math:`D^*`, its uniqueness, the boundary cases and
        the value at the optimum (:func:`gantheory.symbolic.derive_pointwise`).

        Parameters
        ----------
        general : bool
            True: with the parameters as symbols, proved for every admissible value. False: with
            this objective's parameter values substituted.
        """
        from gantheory.symbolic.pointwise import derive_pointwise

        s = self.symbolic()
        u, w = s.data_term, s.generated_term
        ranges = s.ranges
        if not general:
            u, w, ranges = u.subs(s.parameters), w.subs(s.parameters), {}
        return derive_pointwise(u, w, s.variable, s.domain, ranges=ranges)

    # -- numeric ----------------------------------------------------------------------------------
    @property
    def is_probability(self) -> bool:
        """Whether :math:`D(x)` is a probability (the network outputs its logit)."""
        return self.output == "probability"

    def terms(self, d: np.ndarray, *, logit: bool = False) -> Arrays:
        r"""The data and generated terms :math:`(u(D), w(D))` at the values ``d``.

        ``logit=True`` (probability objectives only): ``d`` holds logits :math:`\ell`, and the
        terms are computed from them exactly (:math:`\log D = -\zeta(-\ell)`).
        """
        d = np.asarray(d, dtype=np.float64)
        if logit and not self.is_probability:
            raise ValueError(
                f"`logit=True` needs a probability-valued objective; {self.name!r} has an"
                " unbounded critic, which is its own raw output"
            )
        return self._terms(d, bool(logit))

    def maximiser(self, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        r""":math:`D^*` from the log-densities: its logit for a probability objective, the critic
        value otherwise. Where both densities vanish (or both are infinite) it is the value at
        :math:`p_{data} = p_g`, the equilibrium (1/2 for Goodfellow et al.'s objective)."""
        return self._maximiser(np.asarray(log_p, float), np.asarray(log_q, float))

    def optimum(self, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        r"""The integrand at the optimum, :math:`p_{data} u(D^*) + p_g w(D^*)`, from the
        log-densities (0 where both vanish)."""
        return self._optimum(np.asarray(log_p, float), np.asarray(log_q, float))

    def activate(self, raw: np.ndarray) -> np.ndarray:
        r"""The critic value :math:`D` of a network's raw output: f-GAN's activation
        :math:`g_f(v)`, the raw output itself for the other critics, :math:`\sigma(\ell)` for a
        probability objective."""
        raw = np.asarray(raw, dtype=np.float64)
        if self.is_probability:
            return special.expit(raw)
        return raw if self._activation is None else self._activation(raw)

    def dstar(self, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        """:math:`D^*` itself (a probability or a critic value) from the log-densities."""
        m = self.maximiser(log_p, log_q)
        return special.expit(m) if self.is_probability else m

    # -- losses of gantheory.nn -------------------------------------------------------------------
    def discriminator_loss(self, real: np.ndarray, fake: np.ndarray) -> tuple[float, np.ndarray,
                                                                             np.ndarray]:
        r"""The discriminator's minibatch loss :math:`-\hat V` from its raw outputs on data and
        generated samples (logits for a probability objective), with both gradients."""
        return self._losses()[0](real, fake)

    def generator_loss(self, fake: np.ndarray, which: str | None = None) -> tuple[float,
                                                                                 np.ndarray]:
        """The generator's minibatch loss ``which`` (default: the first of
        :attr:`generator_losses`) from D's raw outputs on generated samples, with its gradient."""
        which = self.generator_losses[0] if which is None else which
        losses = self._losses()[1]
        if which not in losses:
            raise ValueError(
                f"`which` must be one of {', '.join(map(repr, self.generator_losses))} for the"
                f" objective {self.name!r} (got {which!r})"
            )
        return losses[which](fake)


# -- float64 building blocks -------------------------------------------------------------------
def _log_probs(d: np.ndarray, logit: bool) -> Arrays:
    """``(log D, log(1 - D))`` from probabilities or, exactly, from logits."""
    with np.errstate(divide="ignore"):
        if logit:
            return -np.logaddexp(0.0, -d), -np.logaddexp(0.0, d)
        return np.log(d), np.log1p(-d)


def _combine(c1: float, x1: np.ndarray, c2: float, x2: np.ndarray) -> np.ndarray:
    """``c1 x1 + c2 x2`` with ``0 * (-inf) = 0`` (a zero weight drops its term)."""
    out = np.zeros(np.broadcast(x1, x2).shape)
    if c1:
        out = out + c1 * x1
    if c2:
        out = out + c2 * x2
    return out


def _weigh(log_mass: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """``exp(log_mass) * factor`` with 0 where the mass is 0, whatever the factor."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(log_mass == -np.inf, 0.0, np.exp(log_mass) * factor)


def _equal_convention(log_p: np.ndarray, log_q: np.ndarray) -> Arrays:
    """Where both log-densities are equal and infinite (both 0 or both singular), replace them
    by 0: the maximiser there is its value at ``p_data = p_g``."""
    same = (log_p == log_q) & ~np.isfinite(log_p)
    return np.where(same, 0.0, log_p), np.where(same, 0.0, log_q)


def _gap(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """``log p - log q``, 0 where both are equal and infinite."""
    lp, lq = _equal_convention(log_p, log_q)
    with np.errstate(invalid="ignore"):
        return lp - lq


# -- Goodfellow et al. 2014 and label smoothing --------------------------------------------------
def _smoothed(alpha: float, beta: float) -> tuple[Callable[..., Arrays], Callable[..., np.ndarray],
                                                   Callable[..., np.ndarray]]:
    """Terms, maximiser (logit) and optimum of targets ``1 - alpha`` (data), ``beta`` (fake)."""
    la1, la = math.log1p(-alpha), (math.log(alpha) if alpha else -math.inf)
    lb1, lb = math.log1p(-beta), (math.log(beta) if beta else -math.inf)

    def terms(d: np.ndarray, logit: bool) -> Arrays:
        log_d, log_1md = _log_probs(d, logit)
        return (_combine(1 - alpha, log_d, alpha, log_1md),
                _combine(beta, log_d, 1 - beta, log_1md))

    def maximiser(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        # logit of ((1 - a) p + b q) / (a p + (1 - b) q), both sums in logs
        lp, lq = _equal_convention(log_p, log_q)
        if alpha == 0.0 and beta == 0.0:
            return _gap(log_p, log_q)
        with np.errstate(invalid="ignore"):
            return np.logaddexp(la1 + lp, lb + lq) - np.logaddexp(la + lp, lb1 + lq)

    def optimum(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        log_d, log_1md = _log_probs(maximiser(log_p, log_q), True)
        return (_weigh(log_p, _combine(1 - alpha, log_d, alpha, log_1md))
                + _weigh(log_q, _combine(beta, log_d, 1 - beta, log_1md)))

    return terms, maximiser, optimum


def _probability_losses(alpha: float, beta: float) -> Callable[[], tuple]:
    def build() -> tuple:
        from gantheory import nn

        if alpha == 0.0 and beta == 0.0:
            d_loss = nn.discriminator_loss
        else:
            def d_loss(real: np.ndarray, fake: np.ndarray) -> tuple:
                return nn.label_smoothing_discriminator_loss(real, fake, alpha=alpha, beta=beta)
        return d_loss, {
            "nonsaturating": nn.nonsaturating_generator_loss,
            "minimax": nn.minimax_generator_loss,
            "maximum_likelihood": nn.maximum_likelihood_generator_loss,
        }
    return build


def _probability_symbolic(alpha: float, beta: float, smoothing: bool) -> Callable[[],
                                                                                  SymbolicObjective]:
    def build() -> SymbolicObjective:
        import sympy as sp

        y = sp.Symbol("D", real=True)
        log_losses = {
            "nonsaturating": -sp.log(y),
            "minimax": sp.log(1 - y),
            # -1/2 exp(sigma^-1(D)), sigma^-1(D) = log(D / (1 - D))
            "maximum_likelihood": -sp.exp(sp.log(y / (1 - y))) / 2,
        }
        if not smoothing:
            return SymbolicObjective(y, sp.Interval.open(0, 1), sp.log(y), sp.log(1 - y), {}, {},
                                     log_losses)
        a, b = sp.symbols("alpha beta", nonnegative=True)
        ta, tb = sp.symbols("t_alpha t_beta", nonnegative=True)
        return SymbolicObjective(
            y, sp.Interval.open(0, 1),
            (1 - a) * sp.log(y) + a * sp.log(1 - y), b * sp.log(y) + (1 - b) * sp.log(1 - y),
            {a: sp.nsimplify(alpha), b: sp.nsimplify(beta)},
            {a: ta / (1 + ta), b: tb / (1 + tb)},  # [0, oo) onto [0, 1)
            log_losses,
        )
    return build


def _probability_objective(name: str, title: str, alpha: float, beta: float, source: str,
                           reference: str) -> Objective:
    terms, maximiser, optimum = _smoothed(alpha, beta)
    return Objective(
        name=name, title=title, output="probability", domain=(0.0, 1.0),
        parameters={} if name == "goodfellow" else {"alpha": alpha, "beta": beta},
        generator_losses=("nonsaturating", "minimax", "maximum_likelihood"),
        source=source, reference=reference,
        _symbolic=functools.cache(_probability_symbolic(alpha, beta, name != "goodfellow")),
        _terms=terms, _maximiser=maximiser, _optimum=optimum,
        # J(D*) lies between J(1/2) = -(p + q) log 2 and 0
        optimum_scale=math.log(2.0),
        _losses=functools.cache(_probability_losses(alpha, beta)),
    )


#: Goodfellow et al. (2014), eq. 1: the default objective everywhere.
GOODFELLOW = _probability_objective(
    "goodfellow", "Goodfellow et al. (2014): log D(x) + log(1 - D(G(z)))", 0.0, 0.0,
    "goodfellow2014generative", "Goodfellow et al. 2014, eq. 1",
)


def _unit_interval_open_right(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"`{name}` must be a real number in [0, 1) (got {describe(value)})")
    v = float(value)
    if not 0.0 <= v < 1.0:
        raise ValueError(f"`{name}` must lie in [0, 1) (got {value!r})")
    return v


def label_smoothing(*, alpha: float = 0.1, beta: float = 0.0) -> Objective:
    r"""Goodfellow et al.'s objective with smoothed labels: targets :math:`1 - \alpha` for data
    and :math:`\beta` for generated samples.

    .. math:: u(D) = (1 - \alpha)\log D + \alpha \log(1 - D), \qquad
              w(D) = \beta \log D + (1 - \beta) \log(1 - D)

    ``beta = 0`` is *one-sided* label smoothing (Salimans et al. 2016), which Goodfellow's NIPS
    2016 tutorial (Section 4.2) recommends; its optimal discriminator is

    .. math:: D^*(x) = \frac{(1 - \alpha)\, p_{data}(x) + \beta\, p_g(x)}{p_{data}(x) + p_g(x)},

    derived by :meth:`Objective.derive`: with :math:`\beta > 0` the generator's density appears
    in the numerator, so :math:`D^*` no longer vanishes where :math:`p_{data} = 0`.

    Parameters
    ----------
    alpha, beta : float
        In :math:`[0, 1)`, with :math:`\alpha + \beta < 1` (the data target above the generated
        one). ``alpha = beta = 0`` is Goodfellow et al.'s objective.

    Raises
    ------
    ValueError
        ``alpha`` or ``beta`` outside :math:`[0, 1)`, or :math:`\alpha + \beta \ge 1` (at
        equality :math:`D^* \equiv 1 - \alpha` tells nothing apart; beyond it the labels are
        swapped).

    Examples
    --------
    >>> obj = label_smoothing(alpha=0.1)
    >>> float(obj.dstar(np.log(0.5), np.log(0.5)))  # (1 - 0.1) / 2
    0.45
    >>> label_smoothing(alpha=1.0)
    Traceback (most recent call last):
    ...
    ValueError: `alpha` must lie in [0, 1) (got 1.0)
    """
    a = _unit_interval_open_right(alpha, "alpha")
    b = _unit_interval_open_right(beta, "beta")
    if a + b >= 1.0:
        raise ValueError(
            "`alpha` + `beta` must be less than 1, so that the data target 1 - alpha exceeds the"
            f" generated target beta (got alpha={alpha!r}, beta={beta!r})"
        )
    side = "one-sided" if b == 0.0 else "two-sided"
    return _probability_objective(
        "label_smoothing", f"label smoothing ({side}, alpha={a:g}, beta={b:g})", a, b,
        "goodfellow2016nips", "Goodfellow 2016, NIPS 2016 Tutorial, Section 4.2",
    )


# -- least squares (Mao et al. 2017) -----------------------------------------------------------
def least_squares(*, a: float = -1.0, b: float = 1.0, c: float = 0.0) -> Objective:
    r"""The least-squares objective of Mao et al. (2017, eq. 2) with targets ``(a, b, c)``.

    The discriminator minimises :math:`\tfrac12 \mathbb{E}_{p_{data}}(D - b)^2 +
    \tfrac12 \mathbb{E}_{p_g}(D - a)^2`, i.e. maximises :math:`u = -\tfrac12 (D - b)^2`,
    :math:`w = -\tfrac12 (D - a)^2` on an unbounded output; the generator minimises
    :math:`\tfrac12 \mathbb{E}_{p_g}(D - c)^2`. The optimum is

    .. math:: D^*(x) = \frac{b\, p_{data}(x) + a\, p_g(x)}{p_{data}(x) + p_g(x)}.

    The defaults :math:`(a, b, c) = (-1, 1, 0)` satisfy :math:`b - c = 1`, :math:`b - a = 2`,
    the choice under which the paper's Theorem 1 makes the generator minimise a
    :math:`\chi^2` divergence.

    Raises
    ------
    ValueError
        Non-finite targets, or ``b == a`` (the discriminator then has nothing to tell apart:
        :math:`D^* \equiv a` whatever the densities).

    Examples
    --------
    >>> obj = least_squares()
    >>> float(obj.dstar(np.log(0.75), np.log(0.25)))  # (1 * 0.75 - 1 * 0.25) / 1
    0.5
    >>> least_squares(a=1.0, b=1.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `a` and `b` must differ (got a=1.0, b=1.0): ...
    """
    for name, v in (("a", a), ("b", b), ("c", c)):
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            raise TypeError(f"`{name}` must be a real number (got {describe(v)})")
        if not math.isfinite(v):
            raise ValueError(f"`{name}` must be finite (got {v!r})")
    a, b, c = float(a), float(b), float(c)
    if a == b:
        raise ValueError(
            f"`a` and `b` must differ (got a={a!r}, b={b!r}): with equal targets D* = a everywhere"
            " and the discriminator tells nothing apart"
        )

    def terms(d: np.ndarray, logit: bool) -> Arrays:
        return -0.5 * (d - b) ** 2, -0.5 * (d - a) ** 2

    def maximiser(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        g = _gap(log_p, log_q)  # b sigma(g) + a sigma(-g): no cancellation in either weight
        return b * special.expit(g) + a * special.expit(-g)

    def optimum(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        # -(b - a)^2/2 * p q / (p + q) = -(b - a)^2/2 * p sigma(log q - log p)
        return _weigh(log_p, -0.5 * (b - a) ** 2 * special.expit(-_gap(log_p, log_q)))

    def symbolic() -> SymbolicObjective:
        import sympy as sp

        y = sp.Symbol("D", real=True)
        sa, sb, sc = sp.symbols("a b c", real=True)
        return SymbolicObjective(
            y, sp.Interval(-sp.oo, sp.oo), -(y - sb) ** 2 / 2, -(y - sa) ** 2 / 2,
            {sa: sp.nsimplify(a), sb: sp.nsimplify(b), sc: sp.nsimplify(c)}, {},
            {"least_squares": (y - sc) ** 2 / 2},
        )

    def losses() -> tuple:
        from gantheory import nn

        def d_loss(real: np.ndarray, fake: np.ndarray) -> tuple:
            return nn.lsgan_discriminator_loss(real, fake, a=a, b=b)

        def g_loss(fake: np.ndarray) -> tuple:
            return nn.lsgan_generator_loss(fake, c=c)

        return d_loss, {"least_squares": g_loss}

    return Objective(
        name="least_squares", title=f"least squares (a={a:g}, b={b:g}, c={c:g})",
        output="critic", domain=(-math.inf, math.inf), parameters={"a": a, "b": b, "c": c},
        generator_losses=("least_squares",), source="mao2017least",
        reference="Mao et al. 2017, eq. 2 and Theorem 1",
        _symbolic=functools.cache(symbolic), _terms=terms, _maximiser=maximiser,
        _optimum=optimum, optimum_scale=(b - a) ** 2 / 8,  # p q / (p + q) <= (p + q) / 4
        _losses=functools.cache(losses),
    )


# -- hinge (Lim & Ye 2017) -------------------------------------------------------------------
def _hinge() -> Objective:
    def terms(d: np.ndarray, logit: bool) -> Arrays:
        return -np.maximum(0.0, 1.0 - d), -np.maximum(0.0, 1.0 + d)

    def maximiser(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        return np.sign(_gap(log_p, log_q))

    def optimum(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        low = np.minimum(log_p, log_q)  # -2 min(p, q)
        return _weigh(low, np.full(np.shape(low), -2.0))

    def symbolic() -> SymbolicObjective:
        import sympy as sp

        y = sp.Symbol("D", real=True)
        return SymbolicObjective(y, sp.Interval(-sp.oo, sp.oo), -sp.Max(0, 1 - y),
                                 -sp.Max(0, 1 + y), {}, {}, {"hinge": -y})

    def losses() -> tuple:
        from gantheory import nn

        return nn.hinge_discriminator_loss, {"hinge": nn.hinge_generator_loss}

    return Objective(
        name="hinge", title="hinge loss (Lim & Ye 2017)", output="critic",
        domain=(-math.inf, math.inf), parameters={}, generator_losses=("hinge",),
        source="lim2017geometric", reference="Lim & Ye 2017, eq. 5-6",
        _symbolic=functools.cache(symbolic), _terms=terms, _maximiser=maximiser,
        _optimum=optimum, optimum_scale=1.0,  # 2 min(p, q) <= p + q
        _losses=functools.cache(losses), kinked_at_crossings=True,
    )


#: The hinge loss of Lim & Ye (2017), as used by Miyato et al. (2018).
HINGE = _hinge()

# -- Wasserstein (Arjovsky et al. 2017) ----------------------------------------------------------
def _wasserstein() -> Objective:
    def terms(d: np.ndarray, logit: bool) -> Arrays:
        return d.copy(), -d

    def no_pointwise(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        raise ValueError(
            "the Wasserstein objective has no pointwise optimum (E_P D - E_Q D is unbounded over"
            " all critics); its optimum is over 1-Lipschitz critics: see"
            " gantheory.wasserstein_critic and gantheory.wasserstein"
        )

    def pair_dstar(p_data: object, p_g: object) -> Any:
        from gantheory.wasserstein import wasserstein_critic

        return wasserstein_critic(p_data, p_g)

    def pair_value(p_data: object, p_g: object, **kw: Any) -> Any:
        from gantheory.wasserstein import wasserstein

        return wasserstein(p_data, p_g, **kw)

    def symbolic() -> SymbolicObjective:
        import sympy as sp

        y = sp.Symbol("D", real=True)
        return SymbolicObjective(y, sp.Interval(-sp.oo, sp.oo), y, -y, {}, {},
                                 {"wasserstein": -y})

    def losses() -> tuple:
        from gantheory import nn

        return nn.wasserstein_discriminator_loss, {"wasserstein": nn.wasserstein_generator_loss}

    return Objective(
        name="wasserstein", title="Wasserstein critic (Arjovsky et al. 2017)", output="critic",
        domain=(-math.inf, math.inf), parameters={}, generator_losses=("wasserstein",),
        source="arjovsky2017wasserstein", reference="Arjovsky et al. 2017, eq. 3 and Algorithm 1",
        _symbolic=functools.cache(symbolic), _terms=terms, _maximiser=no_pointwise,
        _optimum=no_pointwise, optimum_scale=math.inf, _losses=functools.cache(losses),
        _pair_dstar=pair_dstar, _pair_value=pair_value, lipschitz=1.0,
    )


#: The Wasserstein critic of Arjovsky et al. (2017): :math:`u = D`, :math:`w = -D` over
#: 1-Lipschitz critics, whose maximum is :math:`W_1(p_{data}, p_g)` (Kantorovich-Rubinstein).
WASSERSTEIN = _wasserstein()

# -- f-GAN (Nowozin et al. 2016) ---------------------------------------------------------------
#: Where each f-GAN conjugate is finite: (lower end, upper end, upper end included).
_FGAN_DOMAINS: dict[str, tuple[float, float, bool]] = {
    "kl": (-math.inf, math.inf, False),
    "reverse_kl": (-math.inf, 0.0, False),
    "js": (-math.inf, 0.5 * math.log(2.0), False),
    "gan": (-math.inf, 0.0, False),
    "pearson": (-math.inf, math.inf, False),
    "squared_hellinger": (-math.inf, 1.0, False),
    "total_variation": (-0.5, 0.5, True),
}


#: lim f*(t) as t -> -inf for the conjugates used (-f(0+) for those taken over u >= 0).
_FGAN_AT_MINUS_INF: dict[str, float] = {
    "kl": 0.0, "reverse_kl": -math.inf, "js": -0.5 * math.log(2.0), "gan": 0.0,
    "pearson": math.inf, "squared_hellinger": -1.0, "total_variation": math.inf,
}


def f_gan(f: str = "kl") -> Objective:
    r"""The f-GAN objective of Nowozin et al. (2016, eq. 6) for the f-divergence ``f``.

    .. math:: F(Q, T) = \mathbb{E}_{p_{data}}[T(x)] - \mathbb{E}_{p_g}[f^*(T(x))], \qquad
              T = g_f(v)

    so :math:`u = T`, :math:`w = -f^*(T)` on the domain of :math:`f^*`, with the conjugates and
    output activations :math:`g_f` of the paper's Table 2 (for ``"js"``, the JSD itself: half
    the paper's :math:`g_f`, and :math:`f^*(t) = -\tfrac12\log(2 - e^{2t})`). The maximiser is
    :math:`T^* = f'(p_{data}/p_g)` and the optimum :math:`D_f(p_{data} \| p_g) = \int p_g
    f(p_{data}/p_g)` (:func:`gantheory.f_divergence`). The generator losses are the saddle point
    ``"saddle"`` (:math:`-f^*(T)`, minimised) and the paper's alternative ``"alternative"``
    (:math:`-T`, Section 3.2).

    Parameters
    ----------
    f : str
        One of ``"kl"``, ``"reverse_kl"``, ``"js"``, ``"gan"``, ``"pearson"``,
        ``"squared_hellinger"``, ``"total_variation"``.

    Examples
    --------
    >>> obj = f_gan("pearson")
    >>> float(obj.dstar(np.log(0.75), np.log(0.25)))  # f'(3) = 2 (3 - 1)
    4.0
    """
    if not isinstance(f, str) or f not in _FGAN_DOMAINS:
        raise ValueError(
            f"`f` must be one of {', '.join(map(repr, _FGAN_DOMAINS))} (got {f!r})"
        )
    lo, hi, closed = _FGAN_DOMAINS[f]

    def conj(t: np.ndarray) -> np.ndarray:
        # f* on its domain, +inf outside it, and its limit at t = -inf where the domain reaches
        # it: lim f*(t) = -f(0+) for a conjugate over u >= 0 (+inf for Pearson's over all u)
        from gantheory.nn import fgan_conjugate

        t = np.asarray(t, dtype=np.float64)
        finite = np.isfinite(t) & (t >= lo) & ((t <= hi) if closed else (t < hi))
        out = np.full(t.shape, np.inf)
        if finite.any():
            out[finite] = fgan_conjugate(t[finite], f=f)
        if lo == -math.inf:
            out[t == -np.inf] = _FGAN_AT_MINUS_INF[f]
        return out

    def terms(d: np.ndarray, logit: bool) -> Arrays:
        return d.copy(), -conj(d)

    def maximiser(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        from gantheory.fdivergence import F_DIVERGENCES

        lp, lq = _equal_convention(log_p, log_q)
        with np.errstate(invalid="ignore"):
            r = np.where(lp == lq, 0.0, lp - lq)
        with np.errstate(over="ignore"):
            t = np.asarray(F_DIVERGENCES[f].critic(r), dtype=np.float64)  # type: ignore[misc]
        bad = ~np.isfinite(t) & np.isfinite(r)
        if bad.any():  # T* is finite wherever both densities are positive
            raise ValueError(
                f"the optimal critic f'(p/q) of {f!r} overflows float64 where log(p/q) ="
                f" {float(np.atleast_1d(r)[np.atleast_1d(bad)][0]):.6g}: pass the critic's values"
                " through gantheory.variational_bound, or use optimal_value"
            )
        return t

    def optimum(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        from gantheory.fdivergence import F_DIVERGENCES

        term = F_DIVERGENCES[f].term
        lp, lq = np.broadcast_arrays(np.asarray(log_p, float), np.asarray(log_q, float))
        return np.array([term(float(a), float(b)) for a, b in zip(lp.ravel(), lq.ravel(),
                                                                   strict=True)]).reshape(lp.shape)

    def symbolic() -> SymbolicObjective:
        import sympy as sp

        from gantheory.symbolic.fgan import fgan_row

        row = fgan_row(f)
        y = sp.Symbol("D", real=True)
        if row.conjugate_on_reals is not None:  # Pearson, TV: Table 2's conjugate, over all u
            conj_t, dom = row.table_conjugate, row.domain_on_reals
        else:  # the conjugate's finite branch, on its domain
            conj_t, dom = row.conjugate, row.domain
            if isinstance(conj_t, sp.Piecewise):
                conj_t = conj_t.args[0].expr
        fstar = conj_t.subs(row.t, y)
        return SymbolicObjective(y, dom, y, -fstar, {}, {},
                                 {"saddle": -fstar, "alternative": -y})

    def activation(v: np.ndarray) -> np.ndarray:
        from gantheory.nn import fgan_activation

        return fgan_activation(v, f=f)

    def losses() -> tuple:
        from gantheory import nn

        def d_loss(real: np.ndarray, fake: np.ndarray) -> tuple:
            return nn.fgan_discriminator_loss(real, fake, f=f)

        def saddle(fake: np.ndarray) -> tuple:
            return nn.fgan_generator_loss(fake, f=f, variant="saddle")

        def alternative(fake: np.ndarray) -> tuple:
            return nn.fgan_generator_loss(fake, f=f, variant="alternative")

        return d_loss, {"saddle": saddle, "alternative": alternative}

    return Objective(
        name="f_gan", title=f"f-GAN ({f})", output="critic", domain=(lo, hi),
        parameters={"f": f}, generator_losses=("saddle", "alternative"),
        source="nowozin2016fgan", reference="Nowozin et al. 2016, eq. 6 and Table 2",
        _symbolic=functools.cache(symbolic), _terms=terms, _maximiser=maximiser,
        _optimum=optimum, optimum_scale=math.inf, _losses=functools.cache(losses),
        kinked_at_crossings=f == "total_variation", _activation=activation,
    )


#: The objectives by name; a name gives its default parameters.
OBJECTIVES: dict[str, Callable[[], Objective]] = {
    "goodfellow": lambda: GOODFELLOW,
    "label_smoothing": label_smoothing,
    "least_squares": least_squares,
    "hinge": lambda: HINGE,
    "wasserstein": lambda: WASSERSTEIN,
    "f_gan": f_gan,
}


def get_objective(objective: object) -> Objective:
    """An :class:`Objective`, given as itself or by name (with default parameters).

    Raises
    ------
    ValueError
        For an unknown name, listing the valid ones.
    TypeError
        For anything that is neither a name nor an :class:`Objective`.

    Examples
    --------
    >>> get_objective("least_squares").parameters
    {'a': -1.0, 'b': 1.0, 'c': 0.0}
    >>> get_objective("wgan-gp")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `objective` must be an Objective or one of 'goodfellow', ... (got 'wgan-gp')
    """
    if isinstance(objective, Objective):
        return objective
    if isinstance(objective, str):
        if objective not in OBJECTIVES:
            raise ValueError(
                "`objective` must be an Objective or one of"
                f" {', '.join(map(repr, OBJECTIVES))} (got {objective!r})"
            )
        return OBJECTIVES[objective]()
    raise TypeError(f"`objective` must be an Objective or a name (got {describe(objective)})")
