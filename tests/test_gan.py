"""Tests of Algorithm 1 (gantheory.gan) and the push-forward density (gantheory.pushforward)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from gantheory import Mixture, optimal_value, value
from gantheory.gan import (
    GAN,
    PERTURB_ENV,
    GANConfig,
    MonitorError,
    TrainedDiscriminator,
    TrainingDivergedError,
    train,
)

DATA = stats.norm(2.0, 0.5)
SMALL = GANConfig(steps=40, m=32, k=2, log_every=10, g_hidden=(8,), d_hidden=(8,))


# -- determinism ------------------------------------------------------------------------------
def test_same_seed_gives_bit_identical_parameters_and_history() -> None:
    runs = [GAN(DATA, config=SMALL, rng=np.random.default_rng(7)).train() for _ in range(2)]
    a, b = runs
    assert np.array_equal(a.G.flat_params, b.G.flat_params)
    assert np.array_equal(a.D.flat_params, b.D.flat_params)
    assert a.history.loss_d[1:] == b.history.loss_d[1:]
    assert a.history.loss_g[1:] == b.history.loss_g[1:]
    other = GAN(DATA, config=SMALL, rng=np.random.default_rng(8)).train()
    assert not np.array_equal(a.G.flat_params, other.G.flat_params)


def test_mixture_data_and_lr_decay_are_deterministic_too() -> None:
    data = Mixture([stats.norm(-1, 0.5), stats.norm(1, 0.5)])
    cfg = GANConfig(steps=30, m=16, lr_decay=0.1, optimizer="sgd", momentum=0.5, noise="uniform")
    a = train(data, config=cfg, rng=np.random.default_rng(3))
    b = train(data, config=cfg, rng=np.random.default_rng(3))
    assert np.array_equal(a.G.flat_params, b.G.flat_params)
    assert a.opt_D.config.lr == cfg.lr_d  # step sizes restored after the decayed run


# -- Algorithm 1's bookkeeping -------------------------------------------------------------------
def test_history_monitors_and_progress() -> None:
    lines: list[str] = []
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    def mean(g: GAN) -> float:
        return float(np.mean(g.sample(64, rng=np.random.default_rng(1))))

    gan.train(monitors={"mean": mean}, progress=lines.append)
    assert gan.history.iterations == [0, 10, 20, 30, 40]
    assert gan.iteration == 40
    assert len(gan.history["mean"]) == 5 and len(lines) == 5
    assert math.isnan(gan.history.loss_d[0]) and np.isfinite(gan.history["loss_d"][1:]).all()
    assert "iteration 40" in lines[-1] and "mean" in lines[-1]


def test_train_discriminator_leaves_the_generator_fixed() -> None:
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    g0, d0 = gan.G.flat_params.copy(), gan.D.flat_params.copy()
    gan.train_discriminator(25)
    assert np.array_equal(gan.G.flat_params, g0)
    assert not np.array_equal(gan.D.flat_params, d0)
    assert np.isnan(gan.history["loss_g"]).all()


def test_k_discriminator_steps_per_generator_step() -> None:
    gan = GAN(DATA, config=GANConfig(k=3, steps=5, m=8, log_every=5), rng=np.random.default_rng(0))
    gan.train()
    assert gan.opt_D.t == 15 and gan.opt_G.t == 5


def test_minimax_and_nonsaturating_losses_differ_in_the_generator_update() -> None:
    ends = []
    for loss in ("minimax", "nonsaturating"):
        cfg = GANConfig(loss=loss, steps=5, m=16, log_every=5)
        ends.append(train(DATA, config=cfg, rng=np.random.default_rng(0)).G.flat_params)
    assert not np.array_equal(*ends)


def test_trained_discriminator_snapshot_with_exact_logit() -> None:
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0)).train()
    d = gan.discriminator()
    assert isinstance(d, TrainedDiscriminator)
    x = np.linspace(-1.0, 4.0, 7)
    np.testing.assert_allclose(d.logit(x), gan.D.forward(x[:, None])[:, 0], rtol=1e-14, atol=0)
    np.testing.assert_allclose(d(x.reshape(7, 1)).ravel(), d(x), rtol=0, atol=0)
    before = d.logit(x).copy()
    gan.train(5)  # the snapshot does not follow later training
    np.testing.assert_array_equal(d.logit(x), before)
    assert not np.allclose(d.logit(x), gan.D.forward(x[:, None])[:, 0], rtol=1e-12, atol=0)
    p_g = gan.generator().pushforward()
    v = value(DATA, p_g, d, atol=1e-8)
    assert v <= optimal_value(DATA, p_g, atol=1e-8) + 1e-7  # Prop. 1 for any D


# -- configuration errors --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("k", 0), ("m", 0), ("m", 2.5), ("steps", -1), ("lr_d", 0.0), ("lr_g", math.inf),
        ("lr_decay", -0.5), ("optimizer", "rmsprop"), ("betas", (1.0, 0.9)),
        ("momentum", 1.0), ("loss", "wasserstein"), ("noise", "cauchy"), ("noise_dim", 0),
        ("g_hidden", (8, 0)), ("d_hidden", ()), ("activation", "swish"), ("log_every", 0),
        ("k", True),
    ],
)
def test_bad_config_raises_naming_the_argument_and_value(field: str, bad: object) -> None:
    with pytest.raises(ValueError, match=rf"`{field}`.*{__import__('re').escape(repr(bad))}"):
        GANConfig(**{field: bad})


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(TypeError, match="`data`"):
        GAN([1.0, 2.0], config=SMALL, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="`rng`"):
        GAN(DATA, config=SMALL, rng=np.random.RandomState(0))
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="`steps`"):
        gan.train(-3)
    with pytest.raises(TypeError, match="monitors"):
        gan.train(1, monitors={"x": 3.0})


# -- non-finite values -------------------------------------------------------------------------
def test_absurd_learning_rate_raises_naming_the_step() -> None:
    # Adam moves every weight by about lr per step: 1e306 overflows float64 within a few steps.
    cfg = GANConfig(lr_d=1e306, lr_g=1e306, steps=50, m=16)
    gan = GAN(DATA, config=cfg, rng=np.random.default_rng(0))
    with pytest.raises(TrainingDivergedError, match=r"training diverged at iteration \d+ \(") as e:
        gan.train()
    assert isinstance(e.value, FloatingPointError)
    assert 1 <= e.value.iteration <= 50 and e.value.phase
    assert ("discriminator step" in e.value.phase) or e.value.phase == "generator step"


@pytest.mark.parametrize("lr", [1e3, 1e10, 1e100])
def test_runaway_training_stops_with_the_divergence_criterion(lr: float) -> None:
    """Large finite step sizes do not overflow at once: the losses and weights grow without
    bound (such runs used to finish with loss_g = 2.45e100; at lr = 1e3 D's weights reach 1.7e4
    and loss_g 1e4 nats within 200 steps). The criterion of GANConfig (|loss| <= max_loss = 745
    nats, |θ| <= max_param) stops the run, naming the iteration."""
    cfg = GANConfig(lr_d=lr, lr_g=lr, steps=200, m=16)
    with pytest.raises(TrainingDivergedError, match=r"iteration \d+ .*exceeds max_") as e:
        GAN(DATA, config=cfg, rng=np.random.default_rng(0)).train()
    assert 1 <= e.value.iteration <= 200
    ok = GAN(DATA, config=GANConfig(steps=200, m=16), rng=np.random.default_rng(0)).train()
    assert np.max(np.abs(ok.D.flat_params)) < 1e2  # the default run stays far from the bound


def test_divergence_bounds_are_configurable_and_validated() -> None:
    with pytest.raises(TrainingDivergedError, match=r"max_param = 0\.5"):
        train(DATA, config=GANConfig(steps=5, m=8, max_param=0.5), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="`max_loss`"):
        GANConfig(max_loss=0.0)


def test_monitors_run_outside_the_floating_point_trap() -> None:
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    gan.train(monitors={"trapped": lambda g: float(np.geterr()["invalid"] == "raise")})
    assert gan.history["trapped"].tolist() == [0.0] * 5


def test_a_failing_monitor_is_named_with_its_iteration() -> None:
    def bad(g: GAN) -> float:
        if g.iteration >= 20:
            raise ArithmeticError("cannot measure")
        return 1.0

    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(0))
    with pytest.raises(MonitorError, match=r"monitor 'bad' failed at iteration 20: Arith") as e:
        gan.train(monitors={"bad": bad})
    assert e.value.name == "bad" and e.value.iteration == 20
    assert isinstance(e.value.__cause__, ArithmeticError)
    with pytest.raises(MonitorError, match="'text' failed at iteration 0: ValueError"):
        GAN(DATA, config=SMALL, rng=np.random.default_rng(0)).train(monitors={"text": str})


def test_initial_perturbation_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PERTURB_ENV, raising=False)
    plain = GAN(DATA, config=SMALL, rng=np.random.default_rng(3))
    monkeypatch.setenv(PERTURB_ENV, "1e-15")
    moved = GAN(DATA, config=SMALL, rng=np.random.default_rng(3))
    a, b = plain.G.flat_params, moved.G.flat_params
    nz = a != 0.0  # (zero biases stay zero)
    rel = np.abs(b[nz] / a[nz] - 1.0)
    # moved by 1e-15, up to the rounding of 1 ± 1e-15 and of the product (2 eps)
    assert 0 < rel.max() <= 1e-15 + 2 * np.finfo(float).eps and np.array_equal(a[~nz], b[~nz])
    again = GAN(DATA, config=SMALL, rng=np.random.default_rng(3))
    assert np.array_equal(again.D.flat_params, moved.D.flat_params)  # deterministic
    for bad in ("x", "-1e-15", "0.5"):
        monkeypatch.setenv(PERTURB_ENV, bad)
        with pytest.raises(ValueError, match=PERTURB_ENV):
            GAN(DATA, config=SMALL, rng=np.random.default_rng(3))


def test_non_finite_parameters_are_reported_at_the_first_step() -> None:
    gan = GAN(DATA, config=SMALL, rng=np.random.default_rng(1))
    gan.train(3)
    gan.D.flat_params[0] = np.nan  # e.g. corrupted from outside
    with pytest.raises(TrainingDivergedError, match=r"iteration 4 \(discriminator step 1/2\)"):
        gan.train(3)
