r"""Where the GAN losses come from, and why the generator's loss is changed in practice.

* :func:`value_as_cross_entropy` — the value function :math:`V(G, D)` is the *negative binary
  cross-entropy* of a classifier :math:`D` with label 1 for data and 0 for generated samples
  (tutorial text "The Math Behind GANs", section 3; Goodfellow et al. 2014, Section 3), and
  minimising the balanced classification risk gives the Bayes-optimal classifier :math:`D^*`
  (the lecture "CS 182 Lecture 19, Part 2: GANs").
* :func:`generator_gradients` — the minimax generator loss :math:`\log(1 - D(G(z)))` saturates
  where the discriminator rejects the samples, the non-saturating :math:`-\log D(G(z))` does
  not (Goodfellow et al. 2014, Section 3; tutorial texts "The Math Behind GANs" section 6.1
  and "CS 182 Lecture 19, Part 2: GANs").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic._derivation import Derivation, eq, simplex, support_size

__all__ = [
    "CrossEntropyObjective",
    "GeneratorGradients",
    "binary_cross_entropy",
    "generator_gradients",
    "value_as_cross_entropy",
]


def binary_cross_entropy(label: sp.Expr, prediction: sp.Expr) -> sp.Expr:
    r"""Binary cross-entropy :math:`-[y \log \hat y + (1 - y) \log(1 - \hat y)]` in SymPy.

    Examples
    --------
    >>> y_hat = sp.Symbol("y_hat", positive=True)
    >>> binary_cross_entropy(1, y_hat)
    -log(y_hat)
    """
    return -(label * sp.log(prediction) + (1 - label) * sp.log(1 - prediction))


@dataclass(frozen=True, kw_only=True)
class CrossEntropyObjective(Derivation):
    r"""The GAN value function as a negative binary cross-entropy, on ``n`` points.

    Attributes
    ----------
    bce : sympy.Expr
        :math:`\mathrm{BCE}(y, \hat y)` in the symbols ``y`` and ``y_hat``.
    data_term : sympy.Expr
        :math:`-\mathrm{BCE}(1, D(x))` (a real sample, label 1).
    generated_term : sympy.Expr
        :math:`-\mathrm{BCE}(0, D(G(z)))` (a generated sample, label 0).
    p, q : tuple of sympy.Expr
        Data and generator distributions on ``n`` points (sum constraint substituted).
    d : tuple of sympy.Symbol
        The discriminator's outputs :math:`D_i \in (0, 1)` at the ``n`` points.
    symbols : tuple of sympy.Symbol
        Free symbols ``(p1..p{n-1}, q1..q{n-1}, D1..Dn)`` (for lambdify).
    value : sympy.Expr
        :math:`\mathbb{E}_{p}[-\mathrm{BCE}(1, D)] + \mathbb{E}_{q}[-\mathrm{BCE}(0, D)]`.
    risk : sympy.Expr
        Expected BCE of :math:`D` on the balanced labelled mixture
        :math:`\tfrac12 p \otimes \{1\} + \tfrac12 q \otimes \{0\}`.
    bayes_classifier : tuple of sympy.Expr
        The minimiser of ``risk``, solved from :math:`\partial \mathrm{risk} / \partial D_i = 0`.
    """

    bce: sp.Expr
    data_term: sp.Expr
    generated_term: sp.Expr
    p: tuple[sp.Expr, ...]
    q: tuple[sp.Expr, ...]
    d: tuple[sp.Symbol, ...]
    symbols: tuple[sp.Symbol, ...]
    value: sp.Expr
    risk: sp.Expr
    bayes_classifier: tuple[sp.Expr, ...]


def value_as_cross_entropy(n: int = 3) -> CrossEntropyObjective:
    r"""Derive :math:`V(G, D)` from the binary cross-entropy of the classifier :math:`D`.

    .. math::
        \mathrm{BCE}(y, \hat y) = -[y \log \hat y + (1 - y) \log(1 - \hat y)], \qquad
        V(G, D) = \mathbb{E}_{x \sim p_{data}}[-\mathrm{BCE}(1, D(x))]
                + \mathbb{E}_{z \sim p_z}[-\mathrm{BCE}(0, D(G(z)))]

    On the balanced labelled mixture (half data with label 1, half generated with label 0) the
    expected BCE is :math:`-V(G, D)/2`, so the discriminator maximising :math:`V` is the
    classifier minimising cross-entropy; solving the first-order conditions gives the
    Bayes-optimal :math:`D_i = p_i / (p_i + q_i)` (tutorial text "The Math Behind GANs",
    section 3, eq. 1-6; the lecture "CS 182 Lecture 19, Part 2: GANs"; Goodfellow et al. 2014,
    Section 3, eq. 1).

    Parameters
    ----------
    n : int
        Number of support points of the symbolic distributions, >= 2.

    Examples
    --------
    >>> r = value_as_cross_entropy(2)
    >>> r.data_term, r.generated_term
    (log(D(x)), log(1 - D(G(z))))
    >>> r.bayes_classifier
    (p1/(p1 + q1), (p1 - 1)/(p1 + q1 - 2))
    """
    return _value_as_cross_entropy(support_size(n))


@functools.cache
def _value_as_cross_entropy(n: int) -> CrossEntropyObjective:
    y, y_hat = sp.Symbol("y"), sp.Symbol("y_hat", positive=True)
    bce = binary_cross_entropy(y, y_hat)
    x, z = sp.symbols("x z", real=True)
    disc, gen = sp.Function("D"), sp.Function("G")
    data_term = -bce.subs({y: 1, y_hat: disc(x)})
    generated_term = -bce.subs({y: 0, y_hat: disc(gen(z))})
    p, p_free = simplex("p", n)
    q, q_free = simplex("q", n)
    d = tuple(sp.symbols(f"D1:{n + 1}", positive=True))
    value = sp.Add(*(pi * -bce.subs({y: 1, y_hat: di}) for pi, di in zip(p, d, strict=True)))
    value += sp.Add(*(qi * -bce.subs({y: 0, y_hat: di}) for qi, di in zip(q, d, strict=True)))
    # Balanced mixture: P(x_i, y=1) = p_i/2, P(x_i, y=0) = q_i/2.
    risk = sp.Add(*(
        pi / 2 * bce.subs({y: 1, y_hat: di}) + qi / 2 * bce.subs({y: 0, y_hat: di})
        for pi, qi, di in zip(p, q, d, strict=True)
    ))
    bayes = []
    for di in d:
        solutions = sp.solve(sp.diff(risk, di), di)
        if len(solutions) != 1:
            raise RuntimeError(f"expected one solution for {di}, got {solutions}")
        bayes.append(sp.factor(solutions[0]))
    v_sym, r_sym = sp.Function("V")(*sp.symbols("G D")), sp.Symbol(r"\mathcal{R}(D)")
    steps = (
        ("Binary cross-entropy of a prediction y_hat for a label y",
         eq(sp.Function("BCE")(y, y_hat), bce)),
        ("Real sample x, label 1, prediction D(x)", eq(-sp.Function("BCE")(1, disc(x)),
                                                        data_term)),
        ("Generated sample G(z), label 0, prediction D(G(z))",
         eq(-sp.Function("BCE")(0, disc(gen(z))), generated_term)),
        ("Sum of the two (one real and one generated sample)",
         eq(-sp.Function("BCE")(1, disc(x)) - sp.Function("BCE")(0, disc(gen(z))),
            data_term + generated_term)),
        (f"Expectations over data p and generator q on {n} points", eq(v_sym, value)),
        ("Expected BCE on the balanced labelled mixture (half real with label 1, half "
         "generated with label 0)", eq(r_sym, risk)),
        ("which is -V(G, D)/2: maximising V is minimising the classifier's cross-entropy",
         eq(r_sym, -v_sym / 2)),
        ("First-order conditions solved: the Bayes-optimal classifier",
         eq(sp.Tuple(*d), sp.Tuple(*bayes))),
    )
    return CrossEntropyObjective(
        steps=steps, bce=bce, data_term=data_term, generated_term=generated_term, p=p, q=q,
        d=d, symbols=p_free + q_free + d, value=value, risk=risk,
        bayes_classifier=tuple(bayes),
    )


@dataclass(frozen=True, kw_only=True)
class GeneratorGradients(Derivation):
    r"""Derivatives of the minimax and non-saturating generator losses.

    Attributes
    ----------
    d : sympy.Symbol
        :math:`D = D(G(z)) \in (0, 1)`.
    minimax_loss, non_saturating_loss : sympy.Expr
        :math:`\log(1 - D)` and :math:`-\log D` (both minimised by the generator).
    minimax_derivative, non_saturating_derivative : sympy.Expr
        Their derivatives with respect to :math:`D`.
    decreasing : bool
        Whether SymPy proved both derivatives negative on all of :math:`(0, 1)`.
    ratio : sympy.Expr
        :math:`|\text{minimax}'| / |\text{non-saturating}'|`.
    ratio_limit : sympy.Expr
        Its limit as :math:`D \to 0^+`.
    logit : sympy.Symbol
        The discriminator's logit :math:`\ell`, :math:`D = \sigma(\ell) = 1/(1 + e^{-\ell})`.
    minimax_logit_derivative, non_saturating_logit_derivative : sympy.Expr
        Derivatives of the two losses with respect to :math:`\ell`.
    minimax_logit_limit, non_saturating_logit_limit : sympy.Expr
        Their limits as :math:`\ell \to -\infty` (confident rejection of the sample).
    """

    d: sp.Symbol
    minimax_loss: sp.Expr
    non_saturating_loss: sp.Expr
    minimax_derivative: sp.Expr
    non_saturating_derivative: sp.Expr
    decreasing: bool
    ratio: sp.Expr
    ratio_limit: sp.Expr
    logit: sp.Symbol
    minimax_logit_derivative: sp.Expr
    non_saturating_logit_derivative: sp.Expr
    minimax_logit_limit: sp.Expr
    non_saturating_logit_limit: sp.Expr


@functools.cache
def _generator_gradients() -> GeneratorGradients:
    d = sp.Symbol("D", positive=True)
    s = sp.Symbol("s", positive=True)  # D = s/(1+s) covers (0, 1)
    ell = sp.Symbol("ell", real=True)
    minimax, non_sat = sp.log(1 - d), -sp.log(d)
    d_minimax, d_non_sat = sp.diff(minimax, d), sp.diff(non_sat, d)
    on_unit = {d: s / (1 + s)}
    signs = [sp.factor(sp.simplify(g.subs(on_unit))) for g in (d_minimax, d_non_sat)]
    decreasing = all(bool(g.is_negative) for g in signs)
    # Both derivatives are negative, so the ratio of magnitudes is the ratio of the values.
    ratio = sp.simplify(d_minimax / d_non_sat)
    ratio_limit = sp.limit(ratio, d, 0, "+")
    sigmoid = 1 / (1 + sp.exp(-ell))
    l_minimax = sp.simplify(sp.diff(minimax.subs(d, sigmoid), ell))
    l_non_sat = sp.simplify(sp.diff(non_sat.subs(d, sigmoid), ell))
    lim_minimax = sp.limit(l_minimax, ell, -sp.oo)
    lim_non_sat = sp.limit(l_non_sat, ell, -sp.oo)
    dd = sp.Derivative
    steps = (
        ("Generator losses for one sample, D = D(G(z)): minimax and non-saturating",
         eq(sp.Tuple(sp.Symbol("L_{mm}"), sp.Symbol("L_{ns}")), sp.Tuple(minimax, non_sat))),
        ("Derivatives with respect to D", eq(sp.Tuple(dd(sp.Symbol("L_{mm}"), d),
                                                      dd(sp.Symbol("L_{ns}"), d)),
                                             sp.Tuple(d_minimax, d_non_sat))),
        ("Both negative on (0, 1) (D = s/(1+s), s > 0): both push D(G(z)) up",
         eq(sp.Tuple(*(g.subs(on_unit) for g in (d_minimax, d_non_sat))), sp.Tuple(*signs))),
        ("Ratio of the magnitudes (minimax over non-saturating; both are negative)",
         eq(sp.Symbol(r"\rho(D)"), ratio)),
        ("As the discriminator rejects the sample (D -> 0+) the minimax gradient vanishes "
         "relative to the non-saturating one", eq(sp.Limit(ratio, d, 0, "+"), ratio_limit)),
        ("With D = sigmoid(ell), derivatives with respect to the logit ell",
         eq(sp.Tuple(sp.Symbol(r"\partial_\ell L_{mm}"), sp.Symbol(r"\partial_\ell L_{ns}")),
            sp.Tuple(l_minimax, l_non_sat))),
        ("As ell -> -oo the minimax gradient saturates to 0, the non-saturating one tends "
         "to -1", eq(sp.Tuple(sp.Limit(l_minimax, ell, -sp.oo), sp.Limit(l_non_sat, ell,
                                                                           -sp.oo)),
                     sp.Tuple(lim_minimax, lim_non_sat))),
    )
    return GeneratorGradients(
        steps=steps, d=d, minimax_loss=minimax, non_saturating_loss=non_sat,
        minimax_derivative=d_minimax, non_saturating_derivative=d_non_sat,
        decreasing=decreasing, ratio=ratio, ratio_limit=ratio_limit, logit=ell,
        minimax_logit_derivative=l_minimax, non_saturating_logit_derivative=l_non_sat,
        minimax_logit_limit=lim_minimax, non_saturating_logit_limit=lim_non_sat,
    )


def generator_gradients() -> GeneratorGradients:
    r"""Derive why :math:`\log(1 - D(G(z)))` saturates and :math:`-\log D(G(z))` does not.

    .. math::
        \frac{d}{dD}\log(1 - D) = -\frac{1}{1 - D}, \qquad \frac{d}{dD}(-\log D) = -\frac1D,
        \qquad \frac{|{-1/(1 - D)}|}{|{-1/D}|} = \frac{D}{1 - D} \xrightarrow[D \to 0^+]{} 0

    Both losses decrease in :math:`D`, so both push :math:`D(G(z))` up, but early in training,
    when the discriminator confidently rejects the samples (:math:`D \to 0`), the minimax
    gradient is vanishingly small relative to the non-saturating one. With respect to the
    discriminator's logit :math:`\ell` (:math:`D = \sigma(\ell)`) the gradients are
    :math:`-\sigma(\ell) \to 0` and :math:`-(1 - \sigma(\ell)) \to -1` as
    :math:`\ell \to -\infty` (Goodfellow et al. 2014, Section 3: "log(1 - D(G(z))) saturates";
    tutorial texts "The Math Behind GANs" section 6.1 and "CS 182 Lecture 19, Part 2: GANs").

    Examples
    --------
    >>> r = generator_gradients()
    >>> r.minimax_derivative, r.non_saturating_derivative
    (-1/(1 - D), -1/D)
    >>> r.ratio_limit, r.minimax_logit_limit, r.non_saturating_logit_limit
    (0, 0, -1)
    """
    return _generator_gradients()
