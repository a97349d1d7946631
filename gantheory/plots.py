"""Figures of the empirical experiments, each a function returning a matplotlib Figure.

The functions take the results dataclasses of :mod:`gantheory.experiments` and
:mod:`gantheory.experiments_landscape` and draw on a new :class:`~matplotlib.figure.Figure`
(never on pyplot's global state, so they work under any backend and in threads); save them with
``fig.savefig(...)``. Notebooks and the PDF report use them.

* :func:`plot_discriminator` — a discriminator trained against a fixed generator: :math:`D_\\theta`
  against :math:`D^*` with both densities.
* :func:`plot_equilibrium` — after Algorithm 1: the trained :math:`D_\\theta` near ½, and both
  densities.
* :func:`plot_jsd_history` — Algorithm 1: the JSD between data and generator over training, per
  seed.
* :func:`plot_gradient_ratio` — saturation: the two generator gradients and their ratio.
* :func:`plot_saturation_training` — saturation in training: the mean of :math:`p_g` over
  training, per loss.
* :func:`plot_k_tracking` — discriminator steps per generator step: the distance of
  :math:`D_\\theta` to :math:`D^*` per ``k``.
* :func:`plot_jsd_vs_distance` — the flat JSD: JSD and its derivative against the distance of
  the means.
* :func:`plot_mode_coverage` — mode collapse: generator mass near each mode, per seed.
* :func:`plot_parallel_lines` — Example 1 of Arjovsky et al. (2017): JS, KL, TV and
  :math:`W_1` between two parallel lines against their offset θ.
* :func:`plot_generator_costs` — the three generator costs against :math:`D(G(z))` (Goodfellow
  2016, NIPS 2016 Tutorial, Figure 16).
* :func:`plot_conditional` — a conditional generator: :math:`p_g(x \\mid y)` against
  :math:`p_{data}(x \\mid y)`, per class.
* :func:`plot_conditional_discriminator` — :math:`D^*(x, y)` per class and the label and
  marginal terms of its logit (Miyato & Koyama 2018).
* :func:`plot_transports` — maps :math:`X \\to Y` (monotone, folded, trained) and their
  push-forwards against :math:`p_Y` (Zhu et al. 2017).
* :func:`plot_cycle_residuals` — :math:`F(G(x)) - x` and :math:`G(F(y)) - y` of pairs of maps.
* :func:`plot_digits` — grids of 8×8 images side by side (real digits against generated ones,
  one row per digit for a conditional generator), tiled by :func:`tile_images`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from scipy import special

from gantheory.experiments import E1Result, E2Run, E3Result, E4Result
from gantheory.experiments_landscape import E5Result, E6Result

__all__ = [
    "plot_conditional",
    "plot_conditional_discriminator",
    "plot_cycle_residuals",
    "plot_digits",
    "plot_discriminator",
    "plot_equilibrium",
    "plot_generator_costs",
    "plot_gradient_ratio",
    "plot_jsd_history",
    "plot_jsd_vs_distance",
    "plot_k_tracking",
    "plot_mode_coverage",
    "plot_parallel_lines",
    "plot_saturation_training",
    "plot_transports",
    "tile_images",
]


def _figure(ncols: int = 1, width: float = 6.0) -> tuple[Figure, list]:
    fig = Figure(figsize=(width * ncols, 4.0), layout="constrained")
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axes


def plot_discriminator(result: E1Result) -> Figure:
    """A discriminator trained against a fixed generator, against
    :math:`D^* = p_{data}/(p_{data} + p_g)`
    (:func:`gantheory.experiments.discriminator_convergence`).

    Left axis: :math:`D_\\theta` and :math:`D^*`; right axis: the two densities.
    """
    fig, (ax,) = _figure()
    ax.plot(result.x, result.d_star, "k-", lw=2, label=r"$D^*_G$ (exact)")
    ax.plot(result.x, result.d_theta, "C3--", lw=2, label=r"$D_\theta$ (trained)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("x")
    ax.set_ylabel("D(x)")
    twin = ax.twinx()
    twin.fill_between(result.x, result.p_data, color="C0", alpha=0.2, label=r"$p_{data}$")
    twin.fill_between(result.x, result.p_g, color="C1", alpha=0.2, label=r"$p_g$")
    twin.set_ylabel("density")
    lines = ax.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="upper right", fontsize="small")
    ax.set_title(
        f"Trained D (seed {result.seed}): sup|D_θ − D*| = {result.sup_error:.3f},"
        f" C(G) − V(G, D_θ) = {result.gap:.1e}"
    )
    return fig


def plot_equilibrium(run: E2Run, *, bound: float = 0.05) -> Figure:
    """After Algorithm 1 (:func:`gantheory.experiments.gan_convergence`): :math:`D_\\theta` and
    :math:`D^*_G` near ½ on the central 95% of :math:`p_{data}`, with the band ½ ± ``bound``,
    and the two densities; the title gives the supremum over the central 80% (``run.d_dev``)."""
    fig, (ax_d, ax_p) = _figure(2, 5.0)
    ax_d.axhspan(0.5 - bound, 0.5 + bound, color="0.9", label=f"½ ± {bound}")
    ax_d.plot(run.x, run.d_star, "k-", label=r"$D^*_G$ (exact $p_g$)")
    ax_d.plot(run.x, run.d_theta, "C3--", label=r"$D_\theta$")
    ax_d.set_xlabel("x")
    ax_d.set_ylabel("D(x)")
    ax_d.legend(fontsize="small")
    ax_d.set_title(
        f"After training (seed {run.seed}): max|D_θ − ½| = {run.d_dev:.3f} on the central 80%"
    )
    ax_p.plot(run.x, run.p_data, "C0-", label=r"$p_{data}$")
    ax_p.plot(run.x, run.p_g, "C1--", label=r"$p_g$ (push-forward)")
    ax_p.set_xlabel("x")
    ax_p.set_ylabel("density")
    ax_p.legend(fontsize="small")
    ax_p.set_title(f"JSD = {run.jsd:.2g} nats, {run.folds} fold(s) of G")
    return fig


def plot_jsd_history(runs: Sequence[E2Run], *, bound: float = 0.02) -> Figure:
    """:math:`\\mathrm{JSD}(p_{data}, p_g)` over the training of Algorithm 1 for each run of
    :func:`gantheory.experiments.gan_convergence` (``track_jsd=True``)."""
    fig, (ax,) = _figure()
    for run in runs:
        if run.jsd_history.size == 0:
            raise ValueError("`runs` must come from gan_convergence(..., track_jsd=True)")
        ax.semilogy(run.iterations, run.jsd_history, marker=".", label=f"seed {run.seed}")
    ax.axhline(bound, color="k", ls=":", label=f"bound {bound} nats")
    ax.axhline(math.log(2.0), color="0.5", ls="--", label="log 2")
    ax.set_xlabel("iteration (generator steps)")
    ax.set_ylabel("JSD (nats)")
    ax.legend(fontsize="small")
    ax.set_title("JSD between p_data and the trained p_g")
    return fig


def plot_gradient_ratio(result: E3Result, *, bound: float = 10.0) -> Figure:
    """Saturation (:func:`gantheory.experiments.saturation`): generator gradient norms of both
    losses (left) and their ratio (right) against the mean of :math:`p_g`, with a near-optimal
    D."""
    fig, (ax, ax_r) = _figure(2, 5.0)
    ax.semilogy(result.shifts, result.grad_nonsaturating, "C2o-", label=r"non-saturating $-\log D$")
    ax.semilogy(result.shifts, result.grad_minimax, "C3s-", label=r"minimax $\log(1 - D)$")
    ax.set_xlabel(r"mean of $p_g$ ($p_{data} = N(0, 1)$)")
    ax.set_ylabel(r"$\|\nabla_{\theta_g} L_G\|$")
    ax.legend(fontsize="small")
    ax_r.semilogy(result.shifts, result.ratio, "ko-", label="ratio")
    ax_r.semilogy(result.shifts, 1.0 / result.d_fake, "C0:", label=r"$1/\overline{D(G(z))}$")
    ax_r.axhline(bound, color="0.5", ls="--", label=f"{bound:g}×")
    ax_r.set_xlabel(r"mean of $p_g$")
    ax_r.set_ylabel("non-saturating / minimax")
    ax_r.legend(fontsize="small")
    ax_r.set_title("Saturation of the minimax loss")
    return fig


def plot_saturation_training(result: E3Result) -> Figure:
    """Saturation in training (:func:`gantheory.experiments.saturation`): the mean of
    :math:`p_g` over training from a poor G, per optimizer and loss."""
    opts = sorted({opt for opt, _ in result.mean_history})
    fig, axes = _figure(len(opts), 5.0)
    for ax, opt in zip(axes, opts, strict=True):
        for loss, color in (("minimax", "C3"), ("nonsaturating", "C2")):
            for i, mu in enumerate(result.mean_history[opt, loss]):
                ax.plot(result.iterations, mu, color=color, alpha=0.7,
                        label=loss if i == 0 else None)
        ax.axhline(0.0, color="k", ls=":")
        ax.set_xlabel("iteration")
        ax.set_ylabel(r"mean of $p_g$")
        ax.set_title(f"Training from a poor G with {opt}")
        ax.legend(fontsize="small")
    return fig


def plot_k_tracking(result: E4Result) -> Figure:
    """Discriminator steps per generator step (:func:`gantheory.experiments.k_tracking`):
    :math:`\\mathbb{E}|D_\\theta - D^*_G|` over training for each ``k`` (seed mean)."""
    fig, (ax,) = _figure()
    for i, k in enumerate(result.ks):
        ax.plot(result.iterations, result.distance[i].mean(axis=0),
                label=f"k = {k} (average {result.average[i]:.3f})")
    ax.set_xlabel("iteration (generator steps)")
    ax.set_ylabel(r"$\mathbb{E}_{(p_{data}+p_g)/2}|D_\theta - D^*_G|$")
    ax.legend(fontsize="small")
    ax.set_title(f"D tracks D* better with more steps k ({len(result.seeds)} seed(s))")
    return fig


def plot_jsd_vs_distance(result: E5Result) -> Figure:
    """The flat JSD (:func:`gantheory.experiments_landscape.jsd_vs_distance`):
    :math:`\\mathrm{JSD}(N(0,1)\\|N(d,1))` and its derivative against ``d`` (after Wang, She &
    Ward 2019, Fig. 4), with the values 0.336 and 0.693 quoted by the tutorial text "The Math
    Behind GANs" marked."""
    fig, (ax, ax_g) = _figure(2, 5.0)
    ax.plot(result.distances, result.jsd, "C0-")
    ax.axhline(math.log(2.0), color="0.5", ls="--", label="log 2")
    for v, d in ((0.336, result.d_at_0336), (0.693, result.d_at_0693)):
        if math.isfinite(d):
            ax.plot([d], [v], "ko")
            ax.annotate(f"{v} at d = {d:.2f}", (d, v), textcoords="offset points",
                        xytext=(8, -12))
    ax.set_xlabel("distance of the means d")
    ax.set_ylabel("JSD (nats)")
    ax.legend(fontsize="small")
    ax.set_title("The JSD saturates")
    ax_g.plot(result.distances, result.djsd, "C3-", label="quadrature")
    ax_g.plot(result.distances, result.djsd_fd, "k:", label="central differences")
    ax_g.set_xlabel("distance of the means d")
    ax_g.set_ylabel("dJSD/dd")
    ax_g.legend(fontsize="small")
    ax_g.set_title("Its gradient vanishes")
    return fig


def plot_mode_coverage(result: E6Result) -> Figure:
    """Mode collapse (:func:`gantheory.experiments_landscape.mode_coverage`): generator mass
    within 3σ of each mode per seed, against half of each mode's weight (the coverage
    threshold)."""
    fig, (ax,) = _figure()
    n_seeds, n_modes = result.mode_mass.shape
    width = 0.8 / n_seeds
    idx = np.arange(n_modes)
    for s in range(n_seeds):
        ax.bar(idx + (s - (n_seeds - 1) / 2) * width, result.mode_mass[s], width,
               label=f"seed {result.seeds[s]}: {int(result.covered[s])}/{n_modes} covered")
    ax.scatter(idx, 0.5 * result.weights, marker="_", s=600, color="k", label="½ w_j")
    ax.set_xticks(idx, [f"μ = {m:g}" for m in result.means])
    ax.set_ylabel(r"$P_g(|x - \mu_j| \leq 3\sigma_j)$")
    ax.legend(fontsize="small")
    ax.set_title("Mode coverage")
    return fig


def plot_parallel_lines(thetas: Sequence[float] | np.ndarray) -> Figure:
    """Example 1 of Arjovsky, Chintala & Bottou (2017): JS, KL, TV and :math:`W_1` between
    :math:`P_0 = (0, Z)` and :math:`P_\\theta = (\\theta, Z)`, :math:`Z \\sim U[0, 1]`, against θ
    (:func:`gantheory.wasserstein.parallel_lines`).

    JS, TV and KL are drawn for θ < 0 and θ > 0 and, apart, at θ = 0 as a dot: they jump there
    (KL from 0 to ∞, drawn as triangles along the top edge). :math:`W_1 = |\\theta|` is one
    line through θ = 0. θ = 0 is added to ``thetas`` if it is missing.
    """
    from gantheory.wasserstein import parallel_lines

    th = np.unique(np.concatenate([np.asarray(thetas, dtype=np.float64).ravel(), [0.0]]))
    if not (np.isfinite(th).all() and (th < 0).any() and (th > 0).any()):
        raise ValueError(f"`thetas` must hold finite values on both sides of 0 (got {thetas!r})")
    rows = [parallel_lines(float(t)) for t in th]
    values = {
        "JS": np.array([r.jsd for r in rows]),
        "TV": np.array([r.tv for r in rows]),
        "W1": np.array([r.w1.value for r in rows]),
        "KL": np.array([r.kl_forward for r in rows]),
    }
    top = max(1.1, 1.1 * float(np.max(values["W1"])))
    fig, (ax,) = _figure()
    styles = {"JS": ("C0", "JS (nats)"), "TV": ("C1", "TV"), "W1": ("C3", r"$W_1$"),
              "KL": ("C2", r"KL (both ways)")}
    zero = th == 0.0
    for key, (color, label) in styles.items():
        v = values[key]
        if key == "W1":  # continuous: one line through theta = 0
            ax.plot(th, v, "-", color=color, lw=2, label=label)
            continue
        for side, lab in ((th < 0, label), (th > 0, None)):
            shown = np.where(np.isinf(v[side]), top, v[side])
            style = {"KL": "^", "TV": "--"}.get(key, "-")
            ax.plot(th[side], shown, style, color=color, lw=2, label=lab, clip_on=False)
        ax.plot(th[zero], v[zero], "o", color=color, ms=9 - 2 * list(styles).index(key))
    ax.annotate("KL = ∞ for θ ≠ 0", (float(th[-1]), top), xytext=(-4, -14),
                textcoords="offset points", ha="right", color="C2")
    ax.axhline(math.log(2.0), color="0.6", ls=":", lw=1)
    ax.set_ylim(-0.05, top * 1.02)
    ax.set_xlabel(r"offset $\theta$ of the second line")
    ax.set_ylabel(r"divergence between $P_0$ and $P_\theta$")
    ax.legend(fontsize="small", loc="center right")
    ax.set_title(r"Parallel lines: only $W_1 = |\theta|$ is continuous at $\theta = 0$")
    return fig


#: The generator costs of Goodfellow (2016), Figure 16: loss name and legend label.
_COSTS = (
    ("minimax", r"minimax $\log(1 - D)$"),
    ("nonsaturating", r"non-saturating $-\log D$"),
    ("maximum_likelihood", r"maximum likelihood $-\frac{1}{2}\exp\sigma^{-1}(D)$"),
)


def plot_generator_costs(*, points: int = 400) -> Figure:
    r"""The three generator costs as functions of :math:`D(G(z))` (Goodfellow 2016, NIPS 2016
    Tutorial, Section 3.2.3 and Figure 16).

    .. math:: J_{MM} = \log(1 - D), \qquad J_{NS} = -\log D, \qquad
              J_{ML} = -\tfrac12 \exp \sigma^{-1}(D) = -\tfrac12 \frac{D}{1 - D}

    Each curve is the per-sample loss of :mod:`gantheory.nn` (the generator losses of
    :data:`gantheory.objectives.GOODFELLOW`) at the logit :math:`\sigma^{-1}(D)`, on ``points``
    values of :math:`D` spread evenly over the open interval (0, 1). On the left, where the
    discriminator rejects the generator's samples, the minimax and maximum-likelihood costs are
    flat (slopes -1 and -1/2) and the non-saturating cost is steep; the plot is cut at
    :math:`J = -20` as in the tutorial.

    Raises
    ------
    ValueError
        ``points`` below 10.
    """
    from gantheory.objectives import GOODFELLOW

    if isinstance(points, bool) or not isinstance(points, int | np.integer) or points < 10:
        raise ValueError(f"`points` must be an integer of at least 10 (got {points!r})")
    d = np.linspace(0.0, 1.0, int(points) + 2)[1:-1]
    logits = special.logit(d)
    fig, (ax,) = _figure()
    for name, label in _COSTS:
        cost = [GOODFELLOW.generator_loss(np.array([v]), name)[0] for v in logits]
        ax.plot(d, cost, label=label)
    ax.set_ylim(-20.0, 5.0)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("$D(G(z))$")
    ax.set_ylabel("$J^{(G)}$")
    ax.legend(fontsize="small")
    ax.set_title("Generator costs")
    return fig


# --- the conditional GAN and CycleGAN --------------------------------------------------------
def _check_grid(x: object, name: str = "x") -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a 1-D array of points (got {x!r})") from None
    if arr.ndim != 1 or arr.size < 2 or not np.isfinite(arr).all():
        raise ValueError(f"`{name}` must be a 1-D array of at least 2 finite points (got {x!r})")
    return np.sort(arr)


def _density(law: object, x: np.ndarray) -> np.ndarray:
    """The density of a 1-D law on ``x``, from its log-density (scipy.stats, Mixture or an exact
    push-forward)."""
    from gantheory.distributions import as_continuous

    return np.exp(np.asarray(as_continuous(law, "law").logpdf(x), dtype=np.float64))


def plot_conditional(
    data: object, model: object, x: Sequence[float] | np.ndarray, *,
    jsds: Sequence[float] | np.ndarray | None = None,
) -> Figure:
    r"""Per class :math:`y`, the data's conditional :math:`p_{data}(x \mid y)` (filled) against
    the generator's :math:`p_g(x \mid y)` (a line), one panel per class, each titled with its
    label probability and :math:`\mathrm{JSD}(p_{data}(\cdot \mid y) \,\|\, p_g(\cdot \mid y))`
    (:func:`gantheory.conditional.class_jsds`).

    Parameters
    ----------
    data, model : ClassConditional
        The labelled laws of the data and of the generator (with the same number of classes),
        for example :meth:`gantheory.cgan.ConditionalGAN.pushforward` for ``model``.
    x : array_like
        The points to draw on (at least 2, finite).
    jsds : sequence of float, optional
        The per-class JSDs for the titles, if already computed (one per class); by default
        computed by :func:`~gantheory.conditional.class_jsds`.

    Raises
    ------
    ValueError
        For laws with different numbers of classes, a bad ``x``, or ``jsds`` of another length.
    """
    from gantheory.conditional import ClassConditional, class_jsds

    for law, name in ((data, "data"), (model, "model")):
        if not isinstance(law, ClassConditional):
            raise ValueError(f"`{name}` must be a ClassConditional (got {type(law).__name__})")
    if data.n_classes != model.n_classes:  # type: ignore[union-attr]
        raise ValueError(
            f"`model` must have the classes of `data` (got {model.n_classes} classes for"  # type: ignore[union-attr]
            f" {data.n_classes})"  # type: ignore[union-attr]
        )
    xs = _check_grid(x)
    K = data.n_classes  # type: ignore[union-attr]
    if jsds is None:
        jsds = class_jsds(data, model)
    jsds = np.asarray(jsds, dtype=np.float64)
    if jsds.shape != (K,):
        raise ValueError(f"`jsds` must hold one value per class, {K} (got {jsds.shape})")
    fig, axes = _figure(K, width=4.0)
    for k, ax in enumerate(axes):
        p = np.exp(data.conditional_logpdf(xs, k))  # type: ignore[union-attr]
        q = np.exp(model.conditional_logpdf(xs, k))  # type: ignore[union-attr]
        ax.fill_between(xs, p, color=f"C{k}", alpha=0.25, label=r"$p_{data}(x \mid y)$")
        ax.plot(xs, q, color=f"C{k}", lw=2, label=r"$p_g(x \mid y)$")
        ax.set_title(f"y = {k}: p(y) = {data.probs[k]:.2f}, JSD = {jsds[k]:.4f}",  # type: ignore[union-attr]
                     fontsize="small")
        ax.set_xlabel("x")
        ax.legend(fontsize="small")
    axes[0].set_ylabel("density")
    return fig


def plot_conditional_discriminator(
    data: object, model: object, x: Sequence[float] | np.ndarray, *, trained: object = None
) -> Figure:
    r"""The optimal conditional discriminator and the split of its logit.

    Left: :math:`D^*(x, y)` for every class
    (:func:`gantheory.conditional.conditional_optimal_discriminator`), and dashed a trained
    discriminator ``trained(x, y)`` if given. Right: :math:`\operatorname{logit} D^*(x, y)`
    per class (solid) as the sum of the label term
    :math:`\log p_{data}(y \mid x)/p_g(y \mid x)` (dotted, one per class) and the marginal
    term :math:`\log p_{data}(x)/p_g(x)` (black, the same for every class)
    (:func:`gantheory.conditional.projection_terms`, Miyato & Koyama 2018).

    Parameters
    ----------
    data, model : ClassConditional
        Labelled laws of the data and of the generator.
    x : array_like
        The points to draw on.
    trained : callable, optional
        A conditional discriminator ``D(x, y)`` to compare with :math:`D^*`.
    """
    from gantheory.conditional import conditional_optimal_discriminator, projection_terms

    xs = _check_grid(x)
    if trained is not None and not callable(trained):
        raise ValueError(f"`trained` must be a callable D(x, y) (got {type(trained).__name__})")
    d_star = conditional_optimal_discriminator(data, model)
    fig, (left, right) = _figure(2)
    for k in range(data.n_classes):  # type: ignore[union-attr]
        color = f"C{k}"
        left.plot(xs, d_star(xs, k), color=color, lw=2, label=f"$D^*(x, {k})$")
        if trained is not None:
            left.plot(xs, np.asarray(trained(xs, k)), color=color, ls="--", lw=1.5,
                      label=f"trained $D(x, {k})$")
        t = projection_terms(data, model, xs, k)
        right.plot(xs, t.logit, color=color, lw=2, label=rf"logit $D^*(x, {k})$")
        right.plot(xs, t.label, color=color, ls=":", lw=1.5, label=f"label term, y = {k}")
        if k == 0:
            right.plot(xs, t.marginal, color="k", lw=1.2, label="marginal term")
    left.axhline(0.5, color="0.6", ls=":", lw=1)
    left.set_ylim(-0.02, 1.02)
    left.set_ylabel("$D(x, y)$")
    left.set_title(r"$D^*(x, y) = p_{data}(x, y) / (p_{data}(x, y) + p_g(x, y))$",
                   fontsize="small")
    right.set_ylabel("logit")
    right.set_title(r"logit $D^*$ = $\log\frac{p_{data}(y|x)}{p_g(y|x)}$"
                    r" + $\log\frac{p_{data}(x)}{p_g(x)}$", fontsize="small")
    for ax in (left, right):
        ax.set_xlabel("x")
        ax.legend(fontsize="x-small", ncol=2)
    return fig


def _broken_at_jumps(f: object, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x, f(x))`` with a NaN between two points that straddle a jump of ``f`` (its
    ``jumps`` attribute, for a transport), so a line plot does not join the two sides, and NaN
    for infinite values."""
    y = np.asarray(f(xs), dtype=np.float64)  # type: ignore[operator]
    # at a jump itself a transport may take an end of Y's support (the interval exchange maps
    # u = 1/2 to S(u) = 0, so T(x) = F_Y^{-1}(0) = -inf there): a single point, not drawn
    y = np.where(np.isfinite(y), y, np.nan)
    jumps = np.asarray(getattr(f, "jumps", np.empty(0)), dtype=np.float64)
    if jumps.size == 0:
        return xs, y
    at = np.searchsorted(xs, jumps)
    at = at[(at > 0) & (at < xs.size)]
    return np.insert(xs, at, np.nan), np.insert(y, at, np.nan)


def plot_transports(
    p_x: object, p_y: object, maps: dict[str, object], x: Sequence[float] | np.ndarray, *,
    pushforwards: dict[str, object] | None = None, y: Sequence[float] | np.ndarray | None = None,
) -> Figure:
    r"""Maps :math:`X \to Y` and their push-forwards: left, each map :math:`T(x)` over the
    density of :math:`p_X`; right, the density of each :math:`T_\# p_X` against :math:`p_Y`
    (filled).

    Parameters
    ----------
    p_x, p_y : continuous distributions
    maps : dict
        Legend label -> vectorized map (a :class:`gantheory.cycle.Transport`, a trained
        generator, ...). A discontinuous transport is drawn broken at its ``jumps``.
    x : array_like
        Points of X to draw the maps on.
    pushforwards : dict, optional
        Legend label -> the law :math:`T_\# p_X` (for example
        :meth:`gantheory.cyclegan.CycleGAN.pushforwards`). A :class:`~gantheory.cycle.Transport`
        missing here gives its own (:meth:`~gantheory.cycle.Transport.pushforward`); other maps
        without one are drawn on the left only.
    y : array_like, optional
        Points of Y for the right panel (default: the range of the maps on ``x``).
    """
    from gantheory.cycle import Transport

    xs = _check_grid(x)
    if not isinstance(maps, dict) or not maps:
        raise ValueError(f"`maps` must be a non-empty dict label -> map (got {maps!r})")
    pushes = dict(pushforwards or {})
    for label, f in maps.items():
        if not callable(f):
            raise ValueError(f"`maps[{label!r}]` must be callable (got {type(f).__name__})")
        if label not in pushes and isinstance(f, Transport):
            pushes[label] = f.pushforward()
    fig, (left, right) = _figure(2)
    colors = {label: f"C{i}" for i, label in enumerate(maps)}
    lo, hi = np.inf, -np.inf
    for label, f in maps.items():
        xx, tt = _broken_at_jumps(f, xs)
        left.plot(xx, tt, color=colors[label], lw=2, label=label)
        lo, hi = min(lo, float(np.nanmin(tt))), max(hi, float(np.nanmax(tt)))
    twin = left.twinx()
    twin.fill_between(xs, _density(p_x, xs), color="0.5", alpha=0.15)
    twin.set_yticks([])
    left.set_xlabel("x")
    left.set_ylabel("T(x)")
    left.set_title(r"maps $X \to Y$ (grey: $p_X$)", fontsize="small")
    left.legend(fontsize="x-small")
    ys = _check_grid(y, "y") if y is not None else np.linspace(lo, hi, 801)
    right.fill_between(ys, _density(p_y, ys), color="0.5", alpha=0.3, label="$p_Y$")
    for label, law in pushes.items():
        if label not in maps:
            raise ValueError(f"`pushforwards` has {label!r}, which is not in `maps`")
        right.plot(ys, _density(law, ys), color=colors[label], lw=1.5, label=rf"{label}$_\#\,p_X$")
    right.set_xlabel("y")
    right.set_ylabel("density")
    right.set_title(r"push-forwards $T_\# p_X$ against $p_Y$", fontsize="small")
    right.legend(fontsize="x-small")
    return fig


def plot_cycle_residuals(
    pairs: dict[str, tuple[object, object]], x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
) -> Figure:
    r"""The two cycle residuals of each pair :math:`(G, F)`: :math:`F(G(x)) - x` on the left,
    :math:`G(F(y)) - y` on the right (0 for an inverse pair). Their means under :math:`p_X`
    and :math:`p_Y` in absolute value are the two terms of the cycle loss
    (:func:`gantheory.cycle.cycle_loss`).

    Parameters
    ----------
    pairs : dict
        Legend label -> ``(G, F)``, vectorized maps :math:`X \to Y` and :math:`Y \to X`.
    x, y : array_like
        Points of X and of Y.
    """
    xs, ys = _check_grid(x), _check_grid(y, "y")
    if not isinstance(pairs, dict) or not pairs:
        raise ValueError(f"`pairs` must be a non-empty dict label -> (G, F) (got {pairs!r})")
    fig, (left, right) = _figure(2)
    for i, (label, pair) in enumerate(pairs.items()):
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(map(callable, pair))):
            raise ValueError(f"`pairs[{label!r}]` must be a pair of callables (G, F)")
        G, F = pair
        left.plot(xs, np.asarray(F(np.asarray(G(xs)))) - xs, color=f"C{i}", lw=1.5, label=label)
        right.plot(ys, np.asarray(G(np.asarray(F(ys)))) - ys, color=f"C{i}", lw=1.5, label=label)
    for ax, var, title in ((left, "x", "F(G(x)) - x"), (right, "y", "G(F(y)) - y")):
        ax.axhline(0.0, color="0.6", ls=":", lw=1)
        ax.set_xlabel(var)
        ax.set_title(title, fontsize="small")
        ax.legend(fontsize="x-small")
    left.set_ylabel("cycle residual")
    return fig


def tile_images(images: np.ndarray, rows: int, *, gap: int = 1) -> np.ndarray:
    """Tile a batch of single-channel images of shape ``(n, 1, h, w)`` (or ``(n, h, w)``) into
    one 2-D array of ``rows`` rows of ``n // rows`` images, row by row, ``gap`` pixels apart;
    the gaps hold the batch's minimum, so they read as background."""
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 3 or x.shape[0] == 0:
        raise ValueError(f"`images` must have shape (n, 1, h, w) or (n, h, w) with n >= 1"
                         f" (got shape {np.shape(images)})")
    n, h, w = x.shape
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1 or n % rows:
        raise ValueError(f"`rows` must be a positive integer dividing the {n} images"
                         f" (got {rows!r})")
    if isinstance(gap, bool) or not isinstance(gap, int) or gap < 0:
        raise ValueError(f"`gap` must be a non-negative integer (got {gap!r})")
    cols = n // rows
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), x.min())
    for k in range(n):
        r, c = divmod(k, cols)
        out[r * (h + gap): r * (h + gap) + h, c * (w + gap): c * (w + gap) + w] = x[k]
    return out


def plot_digits(grids: dict[str, np.ndarray], rows: int = 10) -> Figure:
    """Panels of 8×8 images side by side, one per entry of ``grids`` (title: its key), each
    tiled in ``rows`` rows by :func:`tile_images`, in grey from -1 (black) to 1 (white), the
    range of the digits and of a tanh generator."""
    if not grids:
        raise ValueError("`grids` must hold at least one batch of images")
    fig, axes = _figure(len(grids), width=3.6)
    fig.set_figheight(3.8)
    for ax, (title, images) in zip(axes, grids.items()):
        ax.imshow(tile_images(images, rows), cmap="gray", vmin=-1.0, vmax=1.0,
                  interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_axis_off()
    return fig

