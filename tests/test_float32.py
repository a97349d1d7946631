"""Training in float32 (``GANConfig(dtype="float32")``): what runs in float32, what stays float64.

A float32 GAN trains its networks, optimiser state, losses and minibatches in float32; every
measurement (snapshots of D, the exact push-forward density of G, samples, the experiments'
numbers) is made on exact float64 copies, and gradient checks refuse float32. The verdicts of
the fast empirical tests hold in float32 with the same bounds.
"""

from __future__ import annotations

import dataclasses
import tracemalloc

import numpy as np
import pytest
from scipy import stats

from gantheory.cgan import ConditionalGAN
from gantheory.checks import empirical as emp
from gantheory.checks.games_empirical import CGAN_DATA, CYCLE_WEIGHT, CYCLE_X, CYCLE_Y
from gantheory.cyclegan import CycleGAN
from gantheory.experiments import (
    E1_CONFIG,
    E3_D_CONFIG,
    _grad_norms,
    discriminator_convergence,
    gan_convergence,
    k_tracking,
    saturation,
)
from gantheory.gan import (
    DTYPE_ENV,
    GAN,
    Game,
    GANConfig,
    TrainedCritic,
    TrainedDiscriminator,
    TrainingDivergedError,
    input_restricted,
)
from gantheory.nn import MLP, Adam, check_module, check_param_vjp
from gantheory.objectives import OBJECTIVES, get_objective
from gantheory.pushforward import Generator1D

DATA = stats.norm(2.0, 0.5)
SMALL = GANConfig(steps=40, m=32, k=2, log_every=10, g_hidden=(8,), d_hidden=(8,))
SMALL32 = dataclasses.replace(SMALL, dtype="float32")
EPS32 = float(np.finfo(np.float32).eps)  # 2**-23


# -- the configuration ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "stored"),
    [("float32", "float32"), ("float64", "float64"), (np.float32, "float32"),
     (np.dtype("float32"), "float32"), (np.dtype(np.float64), "float64")],
)
def test_dtype_accepts_the_names_and_the_numpy_dtypes(given: object, stored: str) -> None:
    assert GANConfig(dtype=given).dtype == stored
    assert GANConfig().dtype == "float64"  # the default


@pytest.mark.parametrize(
    "bad", ["float16", "f4", "double", "Float32", "", None, 32, float, np.float16, np.int32,
            np.dtype("complex64"), [np.float32]],
)
def test_a_bad_dtype_raises_naming_dtype_and_the_value(bad: object) -> None:
    with pytest.raises(ValueError, match=r"`dtype` must be 'float32' or 'float64'") as e:
        GANConfig(dtype=bad)
    assert repr(bad) in str(e.value)
    with pytest.raises(ValueError, match="`dtype`"):
        MLP([1, 4, 1], rng=np.random.default_rng(0), dtype=bad)


def test_the_dtype_environment_variable_forces_every_gan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DTYPE_ENV, "float32")
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    assert gan.config.dtype == "float32" and gan.G.dtype == gan.D.dtype == np.float32
    monkeypatch.setenv(DTYPE_ENV, "float64")
    assert GAN(DATA, config=SMALL32, rng=np.random.default_rng(0)).D.dtype == np.float64
    monkeypatch.setenv(DTYPE_ENV, "half")
    with pytest.raises(ValueError, match=f"{DTYPE_ENV} must be 'float32' or 'float64'"):
        GAN(DATA, config=SMALL, rng=np.random.default_rng(0))


def test_a_game_whose_networks_are_float64_only_refuses_float32() -> None:
    class Float64Game(Game):  # a game that builds its networks in float64 whatever the config
        def __init__(self, config: GANConfig) -> None:
            self.config, self.rng = config, np.random.default_rng(0)
            self.G = MLP([1, 4, 1], rng=self.rng)
            self.d_nets, self.g_nets = (), (self.G,)
            Game.__init__(self)

    assert Float64Game(GANConfig(steps=3, m=8)).iteration == 0
    with pytest.raises(ValueError, match=r"`config.dtype` must be 'float64' for Float64Game"):
        Float64Game(GANConfig(steps=3, m=8, dtype="float32"))


def _games(dtype: str | None = None) -> list[ConditionalGAN | CycleGAN]:
    """A conditional GAN and a CycleGAN of ``SMALL`` (in ``dtype``, if given), trained."""
    cfg = SMALL if dtype is None else dataclasses.replace(SMALL, dtype=dtype)
    return [
        ConditionalGAN(CGAN_DATA, config=cfg, rng=np.random.default_rng(3)).train(),
        CycleGAN(CYCLE_X, CYCLE_Y, config=dataclasses.replace(cfg, objective="least_squares"),
                 rng=np.random.default_rng(3), cycle_weight=CYCLE_WEIGHT).train(),
    ]


def test_the_conditional_gan_and_cyclegan_train_in_float32_and_measure_in_float64() -> None:
    for game, ref in zip(_games("float32"), _games(), strict=True):
        nets = (*game.g_nets, *game.d_nets)
        assert len(nets) in (2, 4) and all(n.dtype == np.float32 for n in nets)
        assert all(s.dtype == np.float32 for opt in (game.opt_D, game.opt_G) for s in opt._m)
        assert np.isfinite(game.history["loss_d"][1:]).all()
        # float32 arithmetic: not the float64 run's parameters rounded ...
        for n32, n64 in zip(nets, (*ref.g_nets, *ref.d_nets), strict=True):
            assert not np.array_equal(n32.flat_params, n64.flat_params.astype(np.float32))
            # ... but near them: float32 rounding amplified by 40 iterations (as for GAN above)
            np.testing.assert_allclose(n32.flat_params, n64.flat_params, rtol=0, atol=1e-3)
        # every snapshot is float64 and computes with the exact float64 copy of the weights
        x = np.linspace(-2.0, 3.0, 7)
        if isinstance(game, ConditionalGAN):
            d, g = game.discriminator(), game.generator(1)
            wide = game.D.astype(np.float64)
            inp = np.zeros((7, 1 + game.n_classes))
            inp[:, 0], inp[:, 2] = x, 1.0  # [x, e_1]
            np.testing.assert_array_equal(d.logit(x, 1), wide.forward(inp)[:, 0])
            xs, labels = game.sample(5, rng=np.random.default_rng(1), y=0)
            ys = labels.astype(np.float64)  # (the labels are integers)
        else:
            g = game.generators()[0]
            np.testing.assert_array_equal(game.maps()[0](x),
                                          game.G.astype(np.float64).forward(x[:, None])[:, 0])
            xs, ys = game.sample(5, rng=np.random.default_rng(1))
            assert np.asarray(game.discriminators()[0](x)).dtype == np.float64
        assert g.net.dtype == np.float64 and xs.dtype == ys.dtype == np.float64
        assert g.pushforward().logpdf(np.array([0.5, 1.5])).dtype == np.float64


def test_the_dtype_environment_variable_forces_the_conditional_gan_and_cyclegan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DTYPE_ENV, "float32")
    cgan = ConditionalGAN(CGAN_DATA, config=SMALL, rng=np.random.default_rng(0))
    cycle = CycleGAN(CYCLE_X, CYCLE_Y, config=SMALL, rng=np.random.default_rng(0))
    assert cgan.config.dtype == cycle.config.dtype == "float32"
    assert cgan.D.dtype == cycle.F.dtype == np.float32


def test_the_conditional_gans_float32_noise_is_the_float64_noise_rounded() -> None:
    a = ConditionalGAN(CGAN_DATA, config=SMALL32, rng=np.random.default_rng(5))
    b = ConditionalGAN(CGAN_DATA, config=SMALL, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.G.flat_params, b.G.flat_params.astype(np.float32))
    a._draw_generator_input()
    b._draw_generator_input()
    assert a._g_input.dtype == np.float32
    np.testing.assert_array_equal(a._g_input, b._g_input.astype(np.float32))


# -- what trains in float32 ------------------------------------------------------------------------
def test_float32_training_runs_in_float32_throughout() -> None:
    gan = GAN(DATA, config=SMALL32, rng=np.random.default_rng(0)).train()
    for net in (gan.G, gan.D):
        assert net.dtype == np.float32
        assert all(a.dtype == np.float32 for a in (net.flat_params, net.flat_grads,
                                                    *net.params, *net.grads))
        arena = net._arena
        assert all(a.dtype == np.float32 for a in (*arena.H, arena.dL_dx, arena.dL_dh,
                                                    arena.dL_dy))
    for opt in (gan.opt_D, gan.opt_G):
        assert all(s.dtype == np.float32 for s in (*opt._m, *opt._v, *opt._scratch))
    assert gan._d_input.dtype == gan._dL_dlogits.dtype == gan._z.dtype == np.float32
    assert np.isfinite(gan.history["loss_d"][1:]).all()
    # Really float32 arithmetic, not float64 rounded at the end: the same seed in float64
    # starts from the same rounded weights (next test) but ends elsewhere.
    ref = GAN(DATA, config=SMALL, rng=np.random.default_rng(0)).train()
    assert not np.array_equal(gan.G.flat_params, ref.G.flat_params.astype(np.float32))
    # ... by about the rounding of float32 amplified by 40 iterations, not by a different run
    np.testing.assert_allclose(gan.G.flat_params, ref.G.flat_params, rtol=0, atol=1e-3)


def test_float32_consumes_the_rng_like_float64() -> None:
    """Initial weights, noise and data are drawn in float64 and rounded: the float32 GAN of a
    seed starts from the rounded weights of the float64 GAN of that seed and draws the rounded
    minibatches."""
    a = GAN(DATA, config=SMALL32, rng=np.random.default_rng(5))
    b = GAN(DATA, config=SMALL, rng=np.random.default_rng(5))
    for n32, n64 in ((a.G, b.G), (a.D, b.D)):
        np.testing.assert_array_equal(n32.flat_params, n64.flat_params.astype(np.float32))
    z32, z64 = a.sample_noise(a._z), b.sample_noise(b._z)
    assert z32.dtype == np.float32
    np.testing.assert_array_equal(z32, z64.astype(np.float32))
    a._sampler.draw(a._d_input[:32])
    b._sampler.draw(b._d_input[:32])
    np.testing.assert_array_equal(a._d_input[:32], b._d_input[:32].astype(np.float32))


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "relu", "leaky_relu", "identity"])
@pytest.mark.parametrize("sizes", [[1, 16, 16, 1], [3, 8, 2], [1, 64, 64, 1]])
def test_float32_forward_and_backward_agree_with_the_float64_copy(act: str, sizes: list) -> None:
    # float32 rounding through three layers of sums of <= 65 terms: the worst deviation over
    # 20 seeds, these activations and shapes is 260 eps32 (3.1e-5) of the largest entry (the
    # identity network, where terms cancel); 1e-4 (840 eps32) leaves a factor 3. A wrong rule
    # (e.g. the float64 BLAS rank-1 update on float32 arrays, which writes into a converted
    # copy) is off by O(1).
    tol = 1e-4
    rng = np.random.default_rng(11)
    n32 = MLP(sizes, act, rng=rng, dtype="float32")
    n64 = n32.astype(np.float64)
    x = rng.standard_normal((32, sizes[0])).astype(np.float32)
    c = rng.standard_normal((32, sizes[-1])).astype(np.float32)
    pairs = [(n32.forward(x), n64.forward(x)), (n32.backward(c), n64.backward(c)),
             (n32.flat_grads, n64.flat_grads)]
    for got, want in pairs:
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=0, atol=tol * np.max(np.abs(want)))


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_every_loss_computes_in_float32_from_float32_outputs(name: str) -> None:
    obj = get_objective(name)
    rng = np.random.default_rng(2)
    real = (0.5 * rng.standard_normal((16, 1))).astype(np.float32)
    fake = (0.5 * rng.standard_normal((16, 1)) - 0.2).astype(np.float32)
    if name == "f_gan":  # KL: any real output; keep it off the boundaries of other rows
        real, fake = real - 1.0, fake - 1.0
    loss32, *grads32 = obj.discriminator_loss(real, fake)
    loss64, *grads64 = obj.discriminator_loss(real.astype(np.float64), fake.astype(np.float64))
    results = [(loss32, grads32, loss64, grads64)]
    for which in obj.generator_losses:
        l32, g32 = obj.generator_loss(fake, which)
        l64, g64 = obj.generator_loss(fake.astype(np.float64), which)
        results.append((l32, [g32], l64, [g64]))
    for l32, g32, l64, g64 in results:
        # a mean of 16 float32 terms: a few eps32 of the terms' scale (<= 2); 1e-5 = 84 eps32
        assert abs(l32 - l64) <= 1e-5 * max(1.0, abs(l64))
        for a, b in zip(g32, g64, strict=True):
            assert a.dtype == np.float32 and b.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_the_maximum_likelihood_cost_refuses_a_logit_beyond_float32_range() -> None:
    obj = get_objective("goodfellow")
    big = np.array([[90.0]], dtype=np.float32)  # e^90 > largest float32 (e^88.72)
    with pytest.raises(ValueError, match=r"log\(largest float32\) = 88\.72"):
        obj.generator_loss(big, "maximum_likelihood")
    assert np.isfinite(obj.generator_loss(big.astype(np.float64), "maximum_likelihood")[0])


def test_optimisers_keep_their_state_in_the_parameters_precision() -> None:
    theta = np.array([1.0, -3.0], dtype=np.float32)
    opt = Adam([theta], lr=0.1)
    opt.step([2 * theta])
    assert theta.dtype == opt._m[0].dtype == opt._v[0].dtype == np.float32
    # the first bias-corrected step moves every coordinate by lr (to float32 rounding)
    np.testing.assert_allclose(theta, [0.9, -2.9], rtol=4 * EPS32)
    with pytest.raises(ValueError, match=r"`grads\[0\]` must be float32 like its parameter"):
        opt.step([np.ones(2)])


def test_the_hot_path_allocates_nothing_in_float32() -> None:
    # As tests/nn/test_mlp.py in float64: after warm-up the live allocations do not grow over
    # 200 more iterations (slack 4 KiB: the history entries of each call), and the float32
    # arena is the one reused from the first step on.
    # m = 8, k = 2: the 250 iterations use 4000 data points, within the sampler's first
    # chunk of 8192 (a new chunk, 64 KiB, is drawn once per 512 iterations here).
    cfg = dataclasses.replace(SMALL32, m=8, log_every=10**6, g_hidden=(16, 16),
                              d_hidden=(16, 16))
    gan = GAN(DATA, config=cfg, rng=np.random.default_rng(39)).train(20)
    arenas = (gan.G._arena, gan.D._arena)
    tracemalloc.start()
    try:
        gan.train(30)
        early, _ = tracemalloc.get_traced_memory()
        gan.train(200)
        late, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert late - early <= 4096, (early, late)
    assert gan.G._arena is arenas[0] and gan.D._arena is arenas[1]
    assert gan.D._arena.H[0].dtype == np.float32


# -- determinism and divergence ------------------------------------------------------------------
@pytest.mark.parametrize(
    "cfg",
    [SMALL32, dataclasses.replace(SMALL32, optimizer="sgd", momentum=0.5, noise="uniform",
                                  lr_decay=0.1, lr_d=1e-2, lr_g=1e-2)],
    ids=["adam-normal", "sgd-uniform-decay"],
)
def test_same_seed_gives_bit_identical_float32_runs(cfg: GANConfig) -> None:
    data = stats.norm(2.0, 0.5) if cfg.noise == "normal" else emp.E2_DATA[
        "0.5 N(-1, 0.5^2) + 0.5 N(1, 0.5^2)"]
    a = GAN(data, config=cfg, rng=np.random.default_rng(7)).train()
    b = GAN(data, config=cfg, rng=np.random.default_rng(7)).train()
    for x, y in ((a.G, b.G), (a.D, b.D)):
        assert x.flat_params.dtype == np.float32
        np.testing.assert_array_equal(x.flat_params, y.flat_params)
    assert a.history.loss_d[1:] == b.history.loss_d[1:]
    assert a.history.loss_g[1:] == b.history.loss_g[1:]
    other = GAN(data, config=cfg, rng=np.random.default_rng(8)).train()
    assert not np.array_equal(a.G.flat_params, other.G.flat_params)


@pytest.mark.parametrize(
    ("lr", "match"),
    [(1e3, r"exceeds max_loss = 745"), (1e10, r"exceeds max_param = 1e\+06"),
     # beyond float32's range the step size itself overflows: trapped as a floating-point error
     (1e100, r"floating-point error: overflow")],
)
def test_float32_divergence_stops_with_training_diverged_error(lr: float, match: str) -> None:
    cfg = GANConfig(lr_d=lr, lr_g=lr, steps=200, m=16, dtype="float32")
    with pytest.raises(TrainingDivergedError, match=r"training diverged at iteration \d+ ") as e:
        GAN(DATA, config=cfg, rng=np.random.default_rng(0)).train()
    assert e.match(match)
    assert 1 <= e.value.iteration <= 200


def test_float32_overflow_before_the_bounds_is_still_a_divergence() -> None:
    # With both bounds out of the way (1e300), float32 overflows (3.4e38) within a few steps
    # (Adam moves each weight by ~1e37 per step; 16 such terms make a logit, and a loss, that
    # pass 3.4e38) where float64 still has room: the trap names the step.
    cfg = GANConfig(lr_d=1e37, lr_g=1e37, steps=60, m=16, max_loss=1e300, max_param=1e300)
    wide = GAN(DATA, config=cfg, rng=np.random.default_rng(0)).train()
    assert np.isfinite(wide.history["loss_g"][-1])  # float64 gets through the 60 steps
    narrow = GAN(DATA, config=dataclasses.replace(cfg, dtype="float32"),
                 rng=np.random.default_rng(0))
    with pytest.raises(TrainingDivergedError, match=r"floating-point error: overflow") as e:
        narrow.train()
    assert 1 <= e.value.iteration < 60


# -- measurements in float64 ---------------------------------------------------------------------
def _float64_twin(net: MLP) -> MLP:
    """An independently built float64 MLP holding ``net``'s parameters (another code path
    than ``astype``)."""
    acts = [a.name for a in net.activations]
    twin = MLP(list(net.sizes), acts[0], rng=np.random.default_rng(0),
               output_activation=acts[-1])
    for mine, theirs in zip(twin.params, net.params, strict=True):
        mine[...] = theirs.astype(np.float64)
    return twin


def test_the_float64_copy_is_exact_and_independent() -> None:
    gan = GAN(DATA, config=SMALL32, rng=np.random.default_rng(3)).train()
    wide = gan.D.astype(np.float64)
    assert wide.dtype == np.float64 and wide.flat_params.dtype == np.float64
    np.testing.assert_array_equal(wide.flat_params, gan.D.flat_params)  # float32 ⊂ float64
    np.testing.assert_array_equal(wide.flat_grads, gan.D.flat_grads)
    np.testing.assert_array_equal(wide.astype(np.float32).flat_params, gan.D.flat_params)
    assert all(np.shares_memory(p, wide.flat_params) for p in wide.params)
    x = np.linspace(0.0, 4.0, 9)[:, None]
    np.testing.assert_array_equal(wide.forward(x), _float64_twin(gan.D).forward(x))
    before = gan.D.flat_params.copy()
    wide.params[0][...] = 0.0
    np.testing.assert_array_equal(gan.D.flat_params, before)  # a copy, not a view
    assert gan.D.astype("float32", copy=False) is gan.D
    assert gan.D.astype("float64", copy=False) is not gan.D
    same = gan.D.astype(np.float32)  # copy=True: a copy even in the same precision
    assert same is not gan.D and not np.shares_memory(same.flat_params, gan.D.flat_params)
    np.testing.assert_array_equal(same.flat_params, gan.D.flat_params)


def test_generator1d_of_a_float32_network_computes_in_float64() -> None:
    net = MLP([1, 6, 1], "tanh", rng=np.random.default_rng(8), dtype="float32")
    gen = Generator1D(net)
    assert gen.net.dtype == np.float64
    z = np.linspace(-3.0, 3.0, 13)
    value, slope = gen.value_and_derivative(z)
    assert value.dtype == slope.dtype == np.float64
    twin = Generator1D(_float64_twin(net))
    np.testing.assert_array_equal(value, twin.value_and_derivative(z)[0])
    np.testing.assert_array_equal(gen.pdf(z), twin.pdf(z))


def test_e3_gradient_norms_are_measured_in_float64() -> None:
    """_grad_norms of a float32 GAN is, bit for bit, that of the float64 GAN holding the same
    parameters (float32 arithmetic would differ from it at the 1e-7 level)."""
    cfg = dataclasses.replace(E3_D_CONFIG, dtype="float32")
    narrow = GAN(stats.norm(0.0, 1.0), config=cfg, rng=np.random.default_rng(0))
    narrow.train_discriminator(50)
    wide = GAN(stats.norm(0.0, 1.0), config=E3_D_CONFIG, rng=np.random.default_rng(0))
    for w, n in ((wide.G, narrow.G), (wide.D, narrow.D)):
        w.flat_params[...] = n.flat_params
    got = _grad_norms(narrow, 512, np.random.default_rng(1))
    assert got == _grad_norms(wide, 512, np.random.default_rng(1))
    assert narrow.G.dtype == np.float32  # the GAN itself is untouched


def test_snapshots_samples_and_pushforward_are_float64() -> None:
    gan = GAN(DATA, config=SMALL32, rng=np.random.default_rng(4)).train()
    x = np.linspace(0.0, 4.0, 101)
    d = gan.discriminator()
    assert isinstance(d, TrainedDiscriminator) and d.net.dtype == np.float64
    twin_D = _float64_twin(gan.D)
    np.testing.assert_array_equal(d.logit(x), twin_D.forward(x[:, None])[:, 0])
    assert d(x).dtype == np.float64
    critic = GAN(DATA, config=dataclasses.replace(SMALL32, objective="hinge"),
                 rng=np.random.default_rng(4)).train().discriminator()
    assert isinstance(critic, TrainedCritic) and critic.net.dtype == np.float64
    gen = gan.generator()
    assert gen.net.dtype == np.float64
    ref = Generator1D(_float64_twin(gan.G))  # the exact density of the same map, independently
    np.testing.assert_array_equal(gen.pdf(x), ref.pdf(x))
    np.testing.assert_array_equal(gen.pushforward().logpdf(x), ref.pushforward().logpdf(x))
    s = gan.sample(50, rng=np.random.default_rng(9))
    assert s.dtype == np.float64
    z = np.random.default_rng(9).standard_normal((50, 1))
    np.testing.assert_array_equal(s, _float64_twin(gan.G).forward(z)[:, 0])


def test_gradient_checks_refuse_float32_and_pass_on_the_float64_copy() -> None:
    rng = np.random.default_rng(1)
    net = MLP([2, 5, 1], "tanh", rng=rng, dtype="float32")
    x = rng.standard_normal((4, 2))
    with pytest.raises(ValueError, match=r"`module.params\[0\]` must be float64.*astype"):
        check_module(net, x, rng=rng)
    with pytest.raises(ValueError, match=r"`params\[0\]` must be float64: gradient checks"):
        check_param_vjp(lambda: net.forward(x), lambda c: net.grads, net.params, rng=rng)
    wrt_x, wrt_params = check_module(net.astype(np.float64), x, rng=rng)
    assert wrt_x.passed and wrt_params.passed


# -- the fast verdicts, in both precisions -------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_e1_fast_verdict_holds_in_both_precisions(dtype: str) -> None:
    r = discriminator_convergence(seed=0, config=dataclasses.replace(E1_CONFIG, dtype=dtype))
    assert r.sup_error <= emp.E1_SUP_BOUND
    err = r.value_abserr + r.c_g_abserr
    assert -err <= r.gap <= emp.E1_GAP_BOUND


def test_e2_fast_verdict_holds_in_float32() -> None:
    """The float64 version is tests/test_experiments.py's, with the same bounds."""
    cfg = dataclasses.replace(emp.E2_FAST_CONFIG, dtype="float32")
    runs = [gan_convergence(emp.E2_DATA["N(1, 0.5^2)"], seed=s, config=cfg)
            for s in emp.E2_SEEDS]
    ok = [r.jsd + r.jsd_abserr <= emp.E2_JSD_BOUND for r in runs]
    assert sum(ok) >= emp.E2_MIN_SUCCESSES, [r.jsd for r in runs]
    assert all(r.jsd_abserr <= 1e-7 for r in runs)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_e3_fast_verdict_holds_in_both_precisions(
    dtype: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DTYPE_ENV, dtype)  # saturation() builds its GANs from fixed configs
    r = saturation(seed=0, shifts=(-4.0, -1.0))
    assert r.ratio[0] >= 10.0 and r.ratio[1] < 10.0
    assert r.d_fake[0] < 0.05 < r.d_fake[1]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_e4_fast_verdict_holds_in_both_precisions(dtype: str) -> None:
    r = k_tracking(seeds=(0,), config=dataclasses.replace(emp._E4_FAST, dtype=dtype))
    m = r.mean_distance
    assert float(np.max(m[1:] / m[:-1])) <= 1.0, r.average


def test_input_restricted_folds_a_float32_network_in_float64() -> None:
    """The folded first layer of a float32 network is that of its exact float64 copy, bit for
    bit (folded in float32, ``loc * W + b`` would round to float32)."""
    net = MLP([3, 8, 1], "tanh", rng=np.random.default_rng(2), dtype="float32")
    args = {"loc": 0.3, "scale": 1.7, "fixed": [0.0, 1.0]}
    folded, ref = input_restricted(net, **args), input_restricted(net.astype(np.float64), **args)
    assert folded.dtype == np.float64
    np.testing.assert_array_equal(folded.flat_params, ref.flat_params)
