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
