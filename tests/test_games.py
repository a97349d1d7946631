"""The conditional GAN and CycleGAN on Algorithm 1's shared loop: their gradients (central
differences of the whole minibatch loss), determinism, exact push-forwards and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from gantheory.cgan import ConditionalGAN, TrainedConditionalDiscriminator
from gantheory.conditional import ClassConditional
from gantheory.cyclegan import CycleGAN, TrainedMap, standard_input
from gantheory.gan import GAN, Game, GANConfig, TrainingDivergedError, input_restricted
from gantheory.nn import MLP, check_vjp
from gantheory.objectives import least_squares

LAW = ClassConditional([stats.norm(-2, 0.5), stats.norm(0.5, 1.0), stats.norm(3, 0.3)],
                       [0.3, 0.3, 0.4])
P_X, P_Y = stats.norm(0, 1), stats.norm(2, 0.5)
SMALL = GANConfig(steps=5, m=16, g_hidden=(8,), d_hidden=(8,), log_every=1)


def _flat_check(net_params: list[np.ndarray], grads: list[np.ndarray], loss, seed: int):
    """Central differences of ``loss()`` in the concatenated parameters of several networks
    against the concatenated gradients ``grads()`` (returned after a fresh ``loss()``)."""
    sizes = [p.size for p in net_params]
    x0 = np.concatenate([p.copy() for p in net_params])

    def assign(theta: np.ndarray) -> None:
        for p, part in zip(net_params, np.split(theta, np.cumsum(sizes)[:-1]), strict=True):
            p[...] = part

    def fun(theta: np.ndarray) -> float:
        assign(theta)
        return loss()

    def vjp(c: np.ndarray) -> np.ndarray:
        assign(x0)
        loss()
        return c * np.concatenate([g.copy() for g in grads])

    result = check_vjp(fun, vjp, x0, rng=np.random.default_rng(seed))
    assign(x0)
    return result


# -- the shared loop ----------------------------------------------------------------------------
def test_every_game_is_a_game_with_its_networks_listed() -> None:
    rng = np.random.default_rng(0)
    gan = GAN(P_Y, config=SMALL, rng=rng)
    cgan = ConditionalGAN(LAW, config=SMALL, rng=rng)
    cyc = CycleGAN(P_X, P_Y, config=SMALL, rng=rng)
    assert all(isinstance(g, Game) for g in (gan, cgan, cyc))
    assert gan.d_nets == (gan.D,) and gan.g_nets == (gan.G,)
    assert cgan.d_nets == (cgan.D,) and cgan.g_nets == (cgan.G,)
    assert cyc.d_nets == (cyc.D_Y, cyc.D_X) and cyc.g_nets == (cyc.G, cyc.F)


@pytest.mark.parametrize("kind", ["cgan", "cycle"])
def test_the_same_seed_gives_bit_identical_training(kind: str) -> None:
    def run(seed: int) -> Game:
        rng = np.random.default_rng(seed)
        if kind == "cgan":
            return ConditionalGAN(LAW, config=SMALL, rng=rng).train()
        return CycleGAN(P_X, P_Y, config=SMALL, rng=rng, cycle_weight=1.0).train()

    a, b, c = run(3), run(3), run(4)
    for na, nb, nc in zip(a.g_nets + a.d_nets, b.g_nets + b.d_nets, c.g_nets + c.d_nets,
                          strict=True):
        np.testing.assert_array_equal(na.flat_params, nb.flat_params)
        assert not np.array_equal(na.flat_params, nc.flat_params)
    assert a.history.loss_g == b.history.loss_g and len(a.history.iterations) == 6


def test_a_diverging_cycle_game_stops_with_a_clear_error() -> None:
    cfg = GANConfig(steps=200, m=16, g_hidden=(8,), d_hidden=(8,), lr_g=1e3, lr_d=1e3,
                    optimizer="sgd", max_param=1e3)
    with pytest.raises(TrainingDivergedError, match="iteration"):
        CycleGAN(P_X, P_Y, config=cfg, rng=np.random.default_rng(0)).train()


# -- gradients --------------------------------------------------------------------------------
@pytest.mark.parametrize("objective", ["goodfellow", "least_squares"])
def test_conditional_generator_gradient_through_the_discriminator(objective: str) -> None:
    cfg = GANConfig(m=12, g_hidden=(8,), d_hidden=(8,), objective=objective)
    gan = ConditionalGAN(LAW, config=cfg, rng=np.random.default_rng(5))
    gan._draw_generator_input()
    d_before = gan.D.flat_params.copy()
    result = _flat_check([gan.G.flat_params], [gan.G.flat_grads], gan._generator_gradients, 6)
    assert result.passed, result
    np.testing.assert_array_equal(gan.D.flat_params, d_before)


@pytest.mark.parametrize("lam", [0.0, 1.0, 10.0])
def test_cycle_generators_gradient_of_the_whole_loss(lam: float) -> None:
    cfg = GANConfig(m=10, g_hidden=(8,), d_hidden=(8,), objective=least_squares(a=0, b=1, c=1))
    game = CycleGAN(P_X, P_Y, config=cfg, rng=np.random.default_rng(7), cycle_weight=lam)
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal((10, 1)), 2 + 0.5 * rng.standard_normal((10, 1))

    def loss() -> float:
        return game._generator_gradients(x, y)

    # the absolute value's kinks: every |F(G(x)) - x| and |G(F(y)) - y| is far from 0 here
    loss()
    G, F = game.maps()
    assert min(np.abs(F(G(x)) - x).min(), np.abs(G(F(y)) - y).min()) > 1e-3
    result = _flat_check([game.G.flat_params, game.F.flat_params],
                         [game.G.flat_grads, game.F.flat_grads], loss, 9)
    assert result.passed, result


def test_the_cycle_term_is_what_lambda_weighs() -> None:
    cfg = GANConfig(m=10, g_hidden=(8,), d_hidden=(8,))
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal((10, 1)), rng.standard_normal((10, 1))
    losses = {}
    for lam in (0.0, 2.0):
        game = CycleGAN(P_X, P_Y, config=cfg, rng=np.random.default_rng(1), cycle_weight=lam)
        losses[lam] = game._generator_gradients(x, y)
        G, F = game.maps()
    cycle = np.mean(np.abs(F(G(x)) - x)) + np.mean(np.abs(G(F(y)) - y))
    assert losses[2.0] - losses[0.0] == pytest.approx(2.0 * cycle, rel=1e-12)


# -- exact push-forwards ------------------------------------------------------------------------
def test_input_restricted_holds_the_label_inputs_fixed() -> None:
    net = MLP([4, 6, 1], "tanh", rng=np.random.default_rng(0))
    g = input_restricted(net, fixed=[0.0, 1.0, 0.0])
    z = np.linspace(-2, 2, 7)[:, None]
    full = np.column_stack([z[:, 0], np.zeros(7), np.ones(7), np.zeros(7)])
    np.testing.assert_allclose(g.forward(z), net.forward(full), rtol=1e-14, atol=1e-15)
    with pytest.raises(ValueError, match="`fixed` must hold 3 value"):
        input_restricted(net, fixed=[1.0])
    with pytest.raises(ValueError, match="scale"):
        input_restricted(net, fixed=[0, 0, 1], scale=-1.0)


def test_affine_conditional_generator_pushes_the_noise_to_per_class_normals() -> None:
    cfg = GANConfig(g_hidden=(), d_hidden=(8,))
    gan = ConditionalGAN(LAW, config=cfg, rng=np.random.default_rng(0))
    W, b = gan.G.params  # G(z, y) = w z + v_y + b
    w, v = W[0, 0], W[1:, 0]
    pg = gan.pushforward()
    assert isinstance(pg, ClassConditional) and np.array_equal(pg.probs, LAW.probs)
    x = np.linspace(-4, 4, 9)
    for k in range(3):
        ref = stats.norm(v[k] + b[0], abs(w)).logpdf(x)
        np.testing.assert_allclose(pg.conditional_logpdf(x, k), ref, rtol=1e-12)


def test_affine_cycle_maps_push_normal_inputs_to_normals() -> None:
    cfg = GANConfig(g_hidden=(), d_hidden=(8,))
    game = CycleGAN(stats.norm(1.0, 2.0), stats.uniform(-1.0, 3.0), config=cfg,
                    rng=np.random.default_rng(0))
    (wg,), (bg,) = game.G.params[0][0], game.G.params[1]
    (wf,), (bf,) = game.F.params[0][0], game.F.params[1]
    pg, pf = game.pushforwards()
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(pg.logpdf(x), stats.norm(wg * 1.0 + bg, abs(wg) * 2.0).logpdf(x),
                               rtol=1e-12)
    lo, hi = sorted((wf * -1.0 + bf, wf * 2.0 + bf))
    inside = x[(x > lo + 1e-9) & (x < hi - 1e-9)]
    np.testing.assert_allclose(pf.logpdf(inside), -np.log(hi - lo), rtol=1e-12)


def test_snapshots_do_not_follow_later_training() -> None:
    game = CycleGAN(P_X, P_Y, config=SMALL, rng=np.random.default_rng(0))
    G, _ = game.maps()
    D = ConditionalGAN(LAW, config=SMALL, rng=np.random.default_rng(0))
    d = D.discriminator()
    before_g, before_d = G(np.array([0.3])), d(0.3, 1)
    game.train()
    D.train()
    assert G(np.array([0.3])) == before_g and d(0.3, 1) == before_d
    assert isinstance(d, TrainedConditionalDiscriminator) and isinstance(G, TrainedMap)


# -- bad input ----------------------------------------------------------------------------------
def test_bad_input_names_the_argument_and_the_value() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"`cycle_weight`.*-1"):
        CycleGAN(P_X, P_Y, config=SMALL, rng=rng, cycle_weight=-1.0)
    with pytest.raises(TypeError, match="`p_y`"):
        CycleGAN(P_X, [1.0, 2.0], config=SMALL, rng=rng)
    with pytest.raises(TypeError, match="ClassConditional"):
        ConditionalGAN(P_X, config=SMALL, rng=rng)
    gan = ConditionalGAN(LAW, config=SMALL, rng=rng)
    with pytest.raises(ValueError, match=r"`y`.*0\.\.2.*3"):
        gan.generator(3)
    with pytest.raises(ValueError, match=r"`y`"):
        gan.discriminator()(0.0, -1)
    with pytest.raises(ValueError, match=r"`y`"):
        gan.sample(5, rng=rng, y=7)
    wide = ConditionalGAN(LAW, config=GANConfig(noise_dim=2), rng=rng)
    with pytest.raises(ValueError, match="noise_dim"):
        wide.generator(0)
    with pytest.raises(ValueError, match="normal or uniform"):
        standard_input(stats.gamma(2.0), "p_x")
    game = CycleGAN(P_X, stats.gamma(2.0), config=SMALL, rng=rng)
    with pytest.raises(ValueError, match=r"`p_y`.*gamma"):
        game.pushforwards()


def test_conditional_samples_follow_the_labels_asked_for() -> None:
    gan = ConditionalGAN(LAW, config=SMALL, rng=np.random.default_rng(0))
    x, y = gan.sample(200, rng=np.random.default_rng(1), y=2)
    assert x.shape == y.shape == (200,) and set(y.tolist()) == {2}
    gen = gan.generator(2)
    z = np.random.default_rng(1).standard_normal((200, 1))
    np.testing.assert_allclose(x, gen(z[:, 0]), rtol=1e-13, atol=1e-14)
    _, labels = gan.sample(3000, rng=np.random.default_rng(2))
    # 3000 draws of p(y) = (0.3, 0.3, 0.4): each frequency within 5 standard errors
    # (sqrt(0.24 / 3000) = 0.009): a wrong label law fails, a right one passes w.p. > 1 - 1e-6
    np.testing.assert_allclose(np.bincount(labels, minlength=3) / 3000, LAW.probs, atol=0.045)
