"""The DCGAN: the architecture rules, the gradients of both steps, determinism, bad input, and
the referee's measures of a generator.

The wiring tests use synthetic 8x8 images and need only NumPy; the measures need scikit-learn
(the images extra) and are skipped without it.
"""

from __future__ import annotations

import copy
import dataclasses
import os

import numpy as np
import pytest

from gantheory.dcgan import (
    DCGAN,
    DCGAN_CONFIG,
    DCGANRules,
    dcgan_discriminator,
    dcgan_generator,
    evaluate,
)
from gantheory.digits import Digits
from gantheory.gan import DTYPE_ENV, GANConfig, TrainingDivergedError
from gantheory.nn import AvgPool2d, BatchNorm, Conv2d, ConvTranspose2d, LeakyReLU, ReLU, Upsample
from gantheory.nn.module import Elementwise

TINY = GANConfig(m=8, steps=3, lr_d=2e-4, lr_g=2e-4, noise_dim=4, log_every=1)
TINY32 = dataclasses.replace(TINY, dtype="float32")
EPS32 = float(np.finfo(np.float32).eps)  # 2**-23


def _synthetic(n: int = 40, seed: int = 0) -> Digits:
    rng = np.random.default_rng(seed)
    return Digits(np.tanh(rng.standard_normal((n, 1, 8, 8))), rng.integers(0, 10, size=n))


def _kinds(net: object) -> list[type]:
    out = []
    for layer in net.layers:
        out.append(type(layer.activation) if isinstance(layer, Elementwise) else type(layer))
    return out


# -- the rules ----------------------------------------------------------------------------------
def test_the_networks_follow_the_dcgan_rules() -> None:
    rng = np.random.default_rng(0)
    g, d = dcgan_generator(16, 8, rng=rng), dcgan_discriminator(8, rng=rng)
    gk, dk = _kinds(g), _kinds(d)
    assert ConvTranspose2d in gk and Conv2d not in gk  # G: transposed convolutions only
    assert ReLU in gk and gk[-1].__name__ == "Tanh"  # ReLU inside, tanh output
    assert gk[-2] is ConvTranspose2d  # no batch normalisation at G's output
    assert dk[0] is Conv2d and dk[1] is LeakyReLU  # no batch normalisation at D's input
    assert BatchNorm in gk and BatchNorm in dk and ReLU not in dk
    assert all(layer.stride == (2, 2) for layer in d.layers[:-2] if isinstance(layer, Conv2d))
    assert AvgPool2d not in dk  # no pooling
    assert g.forward(rng.standard_normal((5, 16))).shape == (5, 1, 8, 8)
    assert d.forward(rng.uniform(-1, 1, (5, 1, 8, 8))).shape == (5, 1)


def test_each_ablation_switches_one_rule_off() -> None:
    rng = np.random.default_rng(0)
    assert BatchNorm not in _kinds(dcgan_generator(4, 4, rules=DCGANRules(batch_norm=False),
                                                   rng=rng))
    pooled_d = _kinds(dcgan_discriminator(4, rules=DCGANRules(strided=False), rng=rng))
    pooled_g = _kinds(dcgan_generator(4, 4, rules=DCGANRules(strided=False), rng=rng))
    assert AvgPool2d in pooled_d and Upsample in pooled_g
    relu_d = _kinds(dcgan_discriminator(4, rules=DCGANRules(leaky_d=False), rng=rng))
    assert ReLU in relu_d and LeakyReLU not in relu_d
    for rules in (DCGANRules(strided=False), DCGANRules(batch_norm=False)):
        g = dcgan_generator(4, 4, rules=rules, rng=rng)
        d = dcgan_discriminator(4, rules=rules, rng=rng)
        assert d.forward(g.forward(rng.standard_normal((3, 4)))).shape == (3, 1)


# -- gradients of the two steps -------------------------------------------------------------------
def _central_difference_check(loss_and_grad, params: np.ndarray, seed: int) -> float:
    """max over 6 random directions of the relative error of <grad, t> against the central
    difference of the loss along t (step 1e-5)."""
    _, grad = loss_and_grad()
    base = params.copy()
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(6):
        t = rng.standard_normal(params.shape)
        t /= np.linalg.norm(t)
        h = 1e-5
        params[:] = base + h * t
        up = loss_and_grad()[0]
        params[:] = base - h * t
        down = loss_and_grad()[0]
        params[:] = base
        fd, an = (up - down) / (2 * h), float(grad @ t)
        worst = max(worst, abs(fd - an) / max(abs(fd), abs(an), 1e-12))
    return worst


@pytest.mark.parametrize("conditional", [False, True])
def test_the_generator_gradient_through_d(conditional: bool) -> None:
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(1), conditional=conditional,
                width=4)
    state = copy.deepcopy(gan.rng.bit_generator.state)

    def loss_and_grad() -> tuple[float, np.ndarray]:
        gan.rng.bit_generator.state = copy.deepcopy(state)  # the same noise and labels each time
        loss = gan._generator_gradients()
        return loss, gan.G.flat_grads.copy()

    # float64 central differences through two networks: truncation ~h^2, rounding ~eps/h
    assert _central_difference_check(loss_and_grad, gan.G.flat_params, seed=2) <= 1e-6


@pytest.mark.parametrize("conditional", [False, True])
def test_the_discriminator_gradient_of_both_batches(conditional: bool) -> None:
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(3), conditional=conditional,
                width=4)
    state = copy.deepcopy(gan.rng.bit_generator.state)
    D = gan.D

    def loss_and_grad() -> tuple[float, np.ndarray]:
        gan.rng.bit_generator.state = copy.deepcopy(state)
        step = gan.opt_D.step
        gan.opt_D.step = lambda grads: None  # the gradient, not the update
        try:
            loss = gan.discriminator_step()
        finally:
            gan.opt_D.step = step
        return loss, D.flat_grads.copy()

    assert _central_difference_check(loss_and_grad, D.flat_params, seed=4) <= 1e-6


def test_a_broken_real_batch_gradient_is_caught() -> None:
    """The check above can fail: without the real batch's parameter gradient, D's gradient is
    far from the full one (and so from the central differences)."""
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(3), width=4)
    state = copy.deepcopy(gan.rng.bit_generator.state)
    gan.opt_D.step = lambda grads: None  # gradients only
    d_loss = gan._d_loss
    gan._d_loss = lambda r, f: (lambda out: (out[0], 0 * out[1], out[2]))(d_loss(r, f))
    gan.discriminator_step()
    broken = gan.D.flat_grads.copy()
    gan._d_loss = d_loss
    gan.rng.bit_generator.state = copy.deepcopy(state)
    gan.discriminator_step()
    full = gan.D.flat_grads.copy()
    assert np.linalg.norm(full - broken) > 0.1 * np.linalg.norm(full)


# -- training wiring ------------------------------------------------------------------------------
@pytest.mark.parametrize("conditional", [False, True])
def test_training_is_deterministic_and_samples_are_images(conditional: bool) -> None:
    a, b = (DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(5), width=4,
                  conditional=conditional).train() for _ in range(2))
    assert np.array_equal(a.G.flat_params, b.G.flat_params)
    assert np.array_equal(a.D.flat_params, b.D.flat_params)
    assert len(a.history.iterations) == 4
    x = a.sample(7, rng=np.random.default_rng(0))
    assert x.shape == (7, 1, 8, 8) and np.all(np.abs(x) <= 1)
    assert np.array_equal(x, a.sample(7, rng=np.random.default_rng(0)))  # eval mode: no drift
    assert a.G.training and a.D.training  # sampling leaves training mode on


# -- float32 training ------------------------------------------------------------------------------
@pytest.mark.parametrize("conditional", [False, True])
def test_a_float32_dcgan_trains_in_float32_and_samples_in_float64(conditional: bool) -> None:
    a = DCGAN(_synthetic(), config=TINY32, rng=np.random.default_rng(5), width=4,
              conditional=conditional)
    b = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(5), width=4,
              conditional=conditional)
    # the same seed starts from the float64 weights rounded (and consumes rng alike)
    for n32, n64 in ((a.G, b.G), (a.D, b.D)):
        np.testing.assert_array_equal(n32.flat_params, n64.flat_params.astype(np.float32))
    a.train()
    b.train()
    for net in (a.G, a.D):
        assert net.dtype == np.float32
        assert all(x.dtype == np.float32 for x in (net.flat_params, net.flat_grads, *net.params))
        assert all(layer.running_var.dtype == np.float32 for layer in net.layers
                   if isinstance(layer, BatchNorm))
    assert all(s.dtype == np.float32 for opt in (a.opt_D, a.opt_G) for s in (*opt._m, *opt._v))
    assert a._g_input.dtype == a._d_input.dtype == a._images.dtype == np.float32
    # float32 arithmetic, not the float64 run rounded ...
    assert not np.array_equal(a.G.flat_params, b.G.flat_params.astype(np.float32))
    # ... yet the first iteration's losses, on the same weights and minibatches, agree to float32
    # rounding: over seeds 100-119 and both kinds, within 1.8 eps32 relative; 16 eps32 allowed
    for key in ("loss_d", "loss_g"):
        assert abs(a.history[key][1] - b.history[key][1]) <= 16 * EPS32 * abs(b.history[key][1])
    # samples are float64, from the exact float64 copy of G in evaluation mode
    labels = [3, 1, 4, 1, 5] if conditional else None
    x = a.sample(5, rng=np.random.default_rng(0), labels=labels)
    assert x.dtype == np.float64 and a.G.training
    wide = a.G.astype(np.float64).eval()
    z = np.zeros((5, TINY.noise_dim + a.n_classes))
    z[:, :TINY.noise_dim] = np.random.default_rng(0).standard_normal((5, TINY.noise_dim))
    if conditional:
        z[:, TINY.noise_dim:] = np.eye(10)[labels]
    np.testing.assert_array_equal(x, wide.forward(z))


@pytest.mark.parametrize("conditional", [False, True])
def test_the_float32_dcgans_noise_is_the_float64_noise_rounded(conditional: bool) -> None:
    a = DCGAN(_synthetic(), config=TINY32, rng=np.random.default_rng(8), width=4,
              conditional=conditional)
    b = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(8), width=4,
              conditional=conditional)
    labels = np.array([3, 1, 4, 1, 5, 9, 2, 6]) if conditional else None
    z32, z64 = a._generator_input(labels), b._generator_input(labels)
    assert z32.dtype == np.float32
    np.testing.assert_array_equal(z32, z64.astype(np.float32))
    assert a.rng.bit_generator.state == b.rng.bit_generator.state  # the same draws consumed


def test_float32_dcgan_runs_are_bit_identical_for_a_seed() -> None:
    a, b = (DCGAN(_synthetic(), config=TINY32, rng=np.random.default_rng(7), width=4,
                  conditional=True).train() for _ in range(2))
    assert np.array_equal(a.G.flat_params, b.G.flat_params)
    assert np.array_equal(a.D.flat_params, b.D.flat_params)


def test_the_dtype_environment_variable_forces_the_dcgan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DTYPE_ENV, "float32")
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(0), width=4)
    assert gan.config.dtype == "float32" and gan.G.dtype == gan.D.dtype == np.float32
    monkeypatch.setenv(DTYPE_ENV, "float64")
    gan = DCGAN(_synthetic(), config=TINY32, rng=np.random.default_rng(0), width=4)
    assert gan.config.dtype == "float64" and gan.D.dtype == np.float64


def test_the_conditional_generator_is_asked_for_digits() -> None:
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(6), width=4,
                conditional=True)
    x3 = gan.sample(4, rng=np.random.default_rng(0), labels=[3, 3, 3, 3])
    x5 = gan.sample(4, rng=np.random.default_rng(0), labels=[5, 5, 5, 5])
    assert not np.array_equal(x3, x5)  # the same noise, another label: another image
    with pytest.raises(ValueError, match=r"`labels` must be digits 0 to 9 \(got \[10\]\)"):
        gan.sample(2, rng=np.random.default_rng(0), labels=[1, 10])
    plain = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(6), width=4)
    with pytest.raises(ValueError, match="`labels` are for a conditional DCGAN"):
        plain.sample(2, rng=np.random.default_rng(0), labels=[1, 2])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_divergent_training_stops_with_a_clear_error(dtype: str) -> None:
    wild = GANConfig(m=8, steps=50, lr_d=1e6, lr_g=1e6, noise_dim=4, max_param=1e3, dtype=dtype)
    gan = DCGAN(_synthetic(), config=wild, rng=np.random.default_rng(0), width=4)
    with pytest.raises(TrainingDivergedError, match="iteration"):
        gan.train()


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="`data` must be Digits"):
        DCGAN(np.zeros((4, 1, 8, 8)), config=TINY, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"`width` must be an integer >= 1 \(got 0\)"):
        DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(0), width=0)
    with pytest.raises(ValueError, match="`conditional` must be True or False"):
        DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(0), conditional=1)
    with pytest.raises(ValueError, match="`batch_norm` must be True or False"):
        DCGANRules(batch_norm="yes")
    with pytest.raises(ValueError, match="`images` must lie in"):
        Digits(np.full((2, 1, 8, 8), 2.0), [0, 1])
    gan = DCGAN(_synthetic(), config=TINY, rng=np.random.default_rng(0), width=4)
    with pytest.raises(ValueError, match=r"`n` must be an integer >= 1 \(got 0\)"):
        gan.sample(0, rng=np.random.default_rng(0))


def test_the_reference_schedule_is_the_papers() -> None:
    assert DCGAN_CONFIG.betas[0] == 0.5 and DCGAN_CONFIG.lr_g == 2e-4 == DCGAN_CONFIG.lr_d
    assert DCGAN_CONFIG.generator_loss == "nonsaturating" and DCGAN_CONFIG.k == 1


# -- training runs on the real digits ----------------------------------------------------------
# The trained DCGAN, its conditional version and its batch-normalisation ablation are measured
# by the checks of the claims DCGAN16-DIGITS, DCGAN16-BN and CGAN14-DIGITS
# (gantheory/checks/dcgan16.py), which tests/test_claims.py runs as slow tests with the images
# extra; the margins over seeds no check uses are in docs/dcgan_margins.md.


@pytest.mark.parametrize("conditional", [False, True])
def test_evaluate_measures_the_samples_it_draws(conditional: bool) -> None:
    """The measures of :func:`evaluate`, recomputed from the same samples through the referee:
    the same noise gives the same images (evaluation mode), so the numbers agree exactly."""
    if os.environ.get("GANTHEORY_REQUIRE_IMAGES"):  # CI: a missing extra fails, not skips
        import sklearn  # noqa: F401
    pytest.importorskip("sklearn", reason="needs the `images` extra")
    from gantheory.digits import Referee, class_coverage, load_digits

    train, _ = load_digits().split(0.3, rng=np.random.default_rng(0))
    referee = Referee(train, seed=0)
    gan = DCGAN(train, config=TINY, rng=np.random.default_rng(3), width=4,
                conditional=conditional).train()
    got = evaluate(gan, referee, train, rng=np.random.default_rng(9), n=50)
    rng = np.random.default_rng(9)
    x = gan.sample(50, rng=rng)
    assert got.frechet == referee.frechet(x, train.images) > 0
    assert np.array_equal(got.coverage.counts, class_coverage(referee.predict(x)).counts)
    if conditional:
        y = np.repeat(np.arange(10), 5)
        asked = referee.predict(gan.sample(50, rng=rng, labels=y))
        assert got.accuracy == np.mean(asked == y)
    else:
        assert got.accuracy is None
    with pytest.raises(TypeError, match="`referee` must be a Referee"):
        evaluate(gan, object(), train, rng=np.random.default_rng(0))



def test_the_checks_of_a_claim_share_one_training_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The DCGAN checks cache their training run per (conditional, batch norm): the two checks
    of DCGAN16-DIGITS, whichever way they ask, train once (a tiny schedule stands in for the
    reference one here; the cache is cleared before and after)."""
    pytest.importorskip("sklearn", reason="needs the `images` extra")
    import gantheory.dcgan
    from gantheory.checks import dcgan16

    monkeypatch.setattr(gantheory.dcgan, "DCGAN_CONFIG", TINY)
    dcgan16._run.cache_clear()
    try:
        first = dcgan16._measured()
        assert dcgan16._measured(conditional=False, batch_norm=True) is first
        assert dcgan16._run.cache_info().misses == 1
        assert dcgan16._measured(batch_norm=False) is not first
    finally:
        dcgan16._run.cache_clear()
