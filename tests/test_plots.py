"""The figures of gantheory.plots: each returns a Figure with the expected axes and data.

The results are built by hand (no training) so the file runs in about a second; the Agg backend
is selected by a fixture, never globally in the package.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gantheory import plots
from gantheory.experiments import E1Result, E2Run, E3Result, E4Result
from gantheory.experiments_landscape import E5Result, E6Result


@pytest.fixture(autouse=True)
def _agg():
    import matplotlib

    matplotlib.use("Agg")


def _render(fig) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()  # layout and text rendering run without error


X = np.linspace(-2.0, 4.0, 50)


def _e2(seed: int = 0, history: bool = True) -> E2Run:
    its = np.array([0, 100, 200])
    return E2Run(seed, 0.01, 1e-9, 0.03, 0.02, 0.01, 1, its,
                 np.array([0.5, 0.05, 0.01]) if history else np.array([]),
                 X, 0.5 + 0.01 * np.sin(X), np.exp(-X**2), np.exp(-X**2), np.full(X.size, 0.5))


def test_discriminator_figure() -> None:
    r = E1Result(0, 100, (-2.0, 4.0), 0.02, -0.9, 1e-12, -0.899, 1e-12, X, 0.5 + 0 * X,
                 0.5 + 0 * X, np.exp(-X**2), np.exp(-(X - 1) ** 2))
    fig = plots.plot_discriminator(r)
    assert len(fig.axes) == 2  # D axis and the density twin
    assert len(fig.axes[0].get_lines()) == 2
    _render(fig)


def test_equilibrium_and_jsd_history_figures() -> None:
    fig = plots.plot_equilibrium(_e2())
    assert len(fig.axes) == 2
    _render(fig)
    fig = plots.plot_jsd_history([_e2(0), _e2(1)])
    lines = fig.axes[0].get_lines()
    assert len(lines) == 4  # two runs, the bound and log 2
    np.testing.assert_array_equal(lines[0].get_ydata(), [0.5, 0.05, 0.01])
    _render(fig)
    with pytest.raises(ValueError, match="track_jsd"):
        plots.plot_jsd_history([_e2(history=False)])


def test_saturation_figures() -> None:
    keys = [(o, loss) for o in ("sgd", "adam") for loss in ("minimax", "nonsaturating")]
    r = E3Result(np.array([-4.0, -2.0]), np.array([0.01, 0.2]), np.array([0.1, 1.0]),
                 np.array([3.0, 1.5]), (0,), {k: np.array([10.0]) for k in keys},
                 {k: np.array([0.01]) for k in keys},
                 {k: np.array([[-4.0, -2.0, 0.0]]) for k in keys}, np.array([0, 10, 20]))
    fig = plots.plot_gradient_ratio(r)
    np.testing.assert_allclose(fig.axes[1].get_lines()[0].get_ydata(), [30.0, 1.5])
    _render(fig)
    fig = plots.plot_saturation_training(r)
    assert [ax.get_title() for ax in fig.axes] == [
        "Training from a poor G with adam", "Training from a poor G with sgd"]
    _render(fig)


def test_k_tracking_figure() -> None:
    dist = np.random.default_rng(0).uniform(0.0, 0.3, (3, 2, 4))
    r = E4Result((1, 3, 5), (0, 1), dist.mean(axis=2), np.arange(4) * 20, dist)
    fig = plots.plot_k_tracking(r)
    assert len(fig.axes[0].get_lines()) == 3
    _render(fig)


def test_jsd_vs_distance_figure() -> None:
    d = np.linspace(0, 10, 5)
    r = E5Result(d, np.minimum(d / 10, math.log(2)), 0 * d, np.exp(-d), 0 * d, np.exp(-d),
                 2.0, 7.02)
    fig = plots.plot_jsd_vs_distance(r)
    assert len(fig.axes) == 2
    assert len(fig.axes[0].texts) == 2  # the seed's two values annotated
    _render(fig)


def test_mode_coverage_figure() -> None:
    r = E6Result(np.array([-1.0, 1.0]), np.array([0.2, 0.2]), np.array([0.5, 0.5]), (0, 1),
                 np.array([[0.4, 0.1], [0.45, 0.4]]), np.array([1, 2]), np.array([0.5, 0.85]),
                 np.array([0.2, 0.01]))
    fig = plots.plot_mode_coverage(r)
    assert len(fig.axes[0].patches) == 4  # 2 seeds x 2 modes
    _render(fig)


def test_parallel_lines_figure() -> None:
    """Example 1: W1 = |theta| drawn continuous through 0, JS and TV at log 2 and 1 off 0 and at
    0 (a dot) on it, KL drawn at the top edge off 0."""
    thetas = np.linspace(-1.0, 1.0, 9)
    fig = plots.plot_parallel_lines(thetas)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    w1 = lines["$W_1$"]
    np.testing.assert_allclose(w1.get_ydata(), np.abs(w1.get_xdata()), rtol=0, atol=1e-15)
    np.testing.assert_allclose(lines["JS (nats)"].get_ydata(), math.log(2), rtol=1e-15)
    np.testing.assert_array_equal(lines["TV"].get_ydata(), 1.0)
    assert 0.0 in w1.get_xdata()  # one line through theta = 0
    dots = [ln for ln in fig.axes[0].get_lines() if list(ln.get_xdata()) == [0.0]]
    assert [float(ln.get_ydata()[0]) for ln in dots] == [0.0, 0.0, 0.0]  # JS, TV, KL at 0
    assert fig.axes[0].texts[0].get_text() == "KL = ∞ for θ ≠ 0"
    _render(fig)
    with pytest.raises(ValueError, match="both sides of 0"):
        plots.plot_parallel_lines([0.5, 1.0])
def test_generator_costs_figure_draws_the_tutorials_three_curves() -> None:
    fig = plots.plot_generator_costs(points=200)
    lines = fig.axes[0].get_lines()
    assert [ln.get_label().split(" ")[0] for ln in lines] == [
        "minimax", "non-saturating", "maximum"]
    d = lines[0].get_xdata()
    assert d.size == 200 and 0.0 < d.min() and d.max() < 1.0
    # each line is the cost of Goodfellow (2016), Figure 16, written out here
    want = [np.log1p(-d), -np.log(d), -0.5 * d / (1 - d)]
    for ln, w in zip(lines, want, strict=True):
        np.testing.assert_allclose(ln.get_ydata(), w, rtol=1e-13, atol=1e-15)
    # the shapes the figure shows: flat on the left for minimax (slope -1) and maximum
    # likelihood (slope -1/2), steep for the non-saturating cost
    slopes = [np.diff(ln.get_ydata()[:2])[0] / np.diff(d[:2])[0] for ln in lines]
    assert slopes[0] == pytest.approx(-1.0, abs=0.02)
    assert slopes[2] == pytest.approx(-0.5, abs=0.02)
    assert slopes[1] < -50.0
    assert fig.axes[0].get_ylim() == (-20.0, 5.0)
    _render(fig)
    with pytest.raises(ValueError, match="`points` must be an integer of at least 10"):
        plots.plot_generator_costs(points=3)


# --- the conditional GAN and CycleGAN: exact laws, no training ----------------------------------
def _labelled():
    from scipy import stats

    from gantheory.conditional import ClassConditional

    data = ClassConditional([stats.norm(-2.0, 0.5), stats.norm(1.0, 1.0)], [0.4, 0.6])
    model = ClassConditional([stats.norm(-1.5, 0.8), stats.norm(1.0, 1.0)], [0.4, 0.6])
    return data, model


def test_conditional_figure_draws_each_class_of_the_model() -> None:
    from scipy import stats

    data, model = _labelled()
    x = np.linspace(-4.0, 4.0, 81)
    fig = plots.plot_conditional(data, model, x)
    assert len(fig.axes) == 2
    for k, (ax, want) in enumerate(zip(fig.axes, (stats.norm(-1.5, 0.8), stats.norm(1.0, 1.0)))):
        (line,) = ax.get_lines()
        np.testing.assert_allclose(line.get_ydata(), want.pdf(x), rtol=1e-12, atol=0)
        assert ax.get_title().startswith(f"y = {k}: p(y) = {data.probs[k]:.2f}")
    assert fig.axes[1].get_title().endswith("JSD = 0.0000")  # class 1: identical laws
    _render(fig)
    with pytest.raises(ValueError, match="`model` must be a ClassConditional"):
        plots.plot_conditional(data, [0.5, 0.5], x)
    with pytest.raises(ValueError, match="`x` must be a 1-D array"):
        plots.plot_conditional(data, model, [[0.0, 1.0]])
    given = plots.plot_conditional(data, model, x, jsds=[0.25, 0.5])
    assert given.axes[1].get_title().endswith("JSD = 0.5000")
    with pytest.raises(ValueError, match="one value per class"):
        plots.plot_conditional(data, model, x, jsds=[0.25])


def test_conditional_discriminator_figure_splits_the_logit() -> None:
    data, model = _labelled()
    x = np.linspace(-4.0, 4.0, 81)
    fig = plots.plot_conditional_discriminator(data, model, x, trained=lambda x, y: 0.5 + 0 * x)
    left, right = fig.axes
    assert len(left.get_lines()) == 2 * 2 + 1  # D* and trained D per class, the level 1/2
    lines = {ln.get_label(): ln for ln in right.get_lines()}
    marginal = lines["marginal term"].get_ydata()
    for k in range(2):
        logit = lines[f"logit $D^*(x, {k})$"].get_ydata()
        label = lines[f"label term, y = {k}"].get_ydata()
        np.testing.assert_allclose(logit, label + marginal, rtol=1e-12, atol=1e-12)
        direct = data.conditional_logpdf(x, k) - model.conditional_logpdf(x, k)  # shared p(y)
        np.testing.assert_allclose(logit, direct, rtol=1e-12, atol=1e-12)
        dstar = left.get_lines()[2 * k].get_ydata()
        np.testing.assert_allclose(dstar, 1.0 / (1.0 + np.exp(-direct)), rtol=1e-12, atol=1e-15)
    _render(fig)
    with pytest.raises(ValueError, match="`trained` must be a callable"):
        plots.plot_conditional_discriminator(data, model, x, trained=0.5)


def test_transports_figure_pushes_forward_and_breaks_at_jumps() -> None:
    from scipy import stats

    from gantheory.cycle import exchange_transport, folded_transport, monotone_transport

    px, py = stats.norm(0.0, 1.0), stats.norm(2.0, 0.5)
    maps = {"T+": monotone_transport(px, py), "T_c": folded_transport(px, py, c=0.5),
            "exchange": exchange_transport(px, py), "affine": lambda x: 2.0 + 0.5 * x}
    x = np.linspace(-3.0, 3.0, 61)  # holds the jump of the exchange at x = 0
    # 60 points: not the median 2.0 of p_Y, where the exchange's two image intervals meet
    # (its push-forward's density is twice p_Y at that single point)
    y = np.linspace(0.5, 3.5, 60)
    fig = plots.plot_transports(px, py, maps, x, y=y)
    left, right = fig.axes[0], fig.axes[1]
    drawn = {ln.get_label(): ln for ln in left.get_lines()}
    np.testing.assert_allclose(drawn["T+"].get_ydata(), 2.0 + 0.5 * x, rtol=1e-13)
    ex = drawn["exchange"].get_ydata()
    assert ex.size == x.size + 1 and np.isnan(ex).sum() == 2  # the break, and T(0) = -inf
    pushed = right.get_lines()
    assert len(pushed) == 3  # the three transports; the affine map has no push-forward given
    for ln in pushed:
        np.testing.assert_allclose(ln.get_ydata(), py.pdf(y), rtol=1e-9, atol=1e-12)
    _render(fig)
    with pytest.raises(ValueError, match="not in `maps`"):
        plots.plot_transports(px, py, {"T+": maps["T+"]}, x, pushforwards={"G": py})
    with pytest.raises(ValueError, match="must be callable"):
        plots.plot_transports(px, py, {"T+": 1.0}, x)


def test_cycle_residuals_figure_is_zero_for_an_inverse_pair_only() -> None:
    from scipy import stats

    from gantheory.cycle import folded_transport, min_cycle_loss, monotone_transport

    px, py = stats.norm(0.0, 1.0), stats.norm(2.0, 0.5)
    t, tc = monotone_transport(px, py), folded_transport(px, py, c=0.5)
    best = min_cycle_loss(tc, full_output=True).minimiser
    x, y = np.linspace(-3.0, 3.0, 61), np.linspace(0.5, 3.5, 61)
    fig = plots.plot_cycle_residuals({"T+": (t, t.inverse()), "T_c": (tc, best)}, x, y)
    left, right = fig.axes
    fwd = {ln.get_label(): ln.get_ydata() for ln in left.get_lines()}
    bwd = {ln.get_label(): ln.get_ydata() for ln in right.get_lines()}
    assert np.max(np.abs(fwd["T+"])) < 1e-12 and np.max(np.abs(bwd["T+"])) < 1e-12
    # the best F is a right inverse of the tent map (second term 0) that sends both preimages
    # -x and x to one of them: the residual is 0 on one side of the fold and -2x on the other
    assert np.max(np.abs(bwd["T_c"])) < 1e-12
    r = fwd["T_c"]
    assert np.max(np.minimum(np.abs(r), np.abs(r + 2 * x))) < 1e-9 and np.max(np.abs(r)) > 5
    _render(fig)
    with pytest.raises(ValueError, match="pair of callables"):
        plots.plot_cycle_residuals({"T+": t}, x, y)


def test_tile_images_places_each_image_row_by_row() -> None:
    x = np.arange(6 * 2 * 3, dtype=float).reshape(6, 1, 2, 3)
    t = plots.tile_images(x, 2)
    assert t.shape == (2 * 2 + 1, 3 * 3 + 2)
    for k in range(6):
        r, c = divmod(k, 3)
        assert np.array_equal(t[3 * r: 3 * r + 2, 4 * c: 4 * c + 3], x[k, 0])
    assert np.all(t[2, :] == x.min()) and np.all(t[:, 3] == x.min())  # the gaps
    assert np.array_equal(plots.tile_images(x[:, 0], 6, gap=0), x[:, 0].reshape(12, 3))
    with pytest.raises(ValueError, match=r"`rows` must be a positive integer dividing the 6"
                       r" images \(got 4\)"):
        plots.tile_images(x, 4)
    with pytest.raises(ValueError, match=r"`images` must have shape .* \(got shape \(6, 3\)\)"):
        plots.tile_images(np.zeros((6, 3)), 2)


def test_plot_digits_draws_one_panel_per_grid() -> None:
    rng = np.random.default_rng(0)
    grids = {"real": rng.uniform(-1, 1, (20, 1, 8, 8)),
             "generated": rng.uniform(-1, 1, (20, 1, 8, 8))}
    fig = plots.plot_digits(grids, rows=4)
    assert [ax.get_title() for ax in fig.axes] == ["real", "generated"]
    for ax, images in zip(fig.axes, grids.values()):
        assert np.array_equal(ax.get_images()[0].get_array(), plots.tile_images(images, 4))
    _render(fig)
    with pytest.raises(ValueError, match="`grids` must hold at least one batch"):
        plots.plot_digits({})
