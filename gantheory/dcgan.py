r"""The DCGAN of Radford et al. (2016) for 8×8 digits, conditional or not, trained by Algorithm 1.

The networks follow the paper's architecture guidelines, which the tutorial texts repeat:

- no pooling: strided convolutions in the discriminator, transposed (fractionally strided)
  convolutions in the generator;
- batch normalisation in both networks, except at the generator's output and the
  discriminator's input;
- no fully connected hidden layers;
- ReLU in the generator with a tanh output; LeakyReLU (slope 0.2) in the discriminator.

For 8×8 images (:func:`dcgan_generator`, :func:`dcgan_discriminator`, widths ``g`` and ``d``)::

    G: z (n, nz)  -> (nz, 1, 1) -ConvT k2 s1-> (2g, 2, 2) -BN, ReLU-> -ConvT k4 s2 p1-> (g, 4, 4)
                  -BN, ReLU-> -ConvT k4 s2 p1-> (1, 8, 8) -tanh->  image in [-1, 1]
    D: x (n, 1, 8, 8) -Conv k4 s2 p1-> (d, 4, 4) -LeakyReLU-> -Conv k4 s2 p1-> (2d, 2, 2)
                  -BN, LeakyReLU-> -Conv k2 s1-> (1, 1, 1) -> logit (n, 1)

A :class:`DCGANRules` switches single rules off for an ablation: no batch normalisation, pooling
and upsampling in place of the strides, ReLU in the discriminator.

The conditional version concatenates the one-hot label to the generator's noise and, as ten
constant channels, to the discriminator's input image (Mirza & Osindero 2014, as in the lecture).

Training is Algorithm 1 of Goodfellow et al. (2014) through :class:`gantheory.gan.Game` (the same
loop, floating-point trap and divergence criterion as the 1-D GANs): each discriminator step
draws m real images (with replacement, through ``rng``) and m generated ones and passes them to
D as two separate batches, so that batch normalisation never mixes real and generated
statistics; the generator step uses the loss of ``config`` (the non-saturating one by default)
through D. The paper's Adam with :math:`\beta_1 = 1/2` is :class:`GANConfig`'s default.

Precision: ``GANConfig(dtype="float32")`` (or ``GANTHEORY_GAN_DTYPE=float32``) trains both
networks in float32, as for the 1-D GANs: the initial weights and the noise are drawn in float64
and rounded, so a float32 run consumes ``rng`` as the float64 run of its seed does, and
:meth:`DCGAN.sample` runs an exact float64 copy of the generator.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import numpy.typing as npt

from gantheory.digits import (
    N_CLASSES,
    SIDE,
    Coverage,
    Digits,
    Referee,
    check_labels,
    class_coverage,
)
from gantheory.gan import Game, GANConfig, _dtype_override, _fill_noise, _float64
from gantheory.gan_config import _int_at_least
from gantheory.nn import (
    BatchNorm,
    Conv2d,
    ConvTranspose2d,
    Flatten,
    LeakyReLU,
    ReLU,
    Reshape,
    Sequential,
    Tanh,
)

__all__ = [
    "DCGAN", "DCGAN_CONFIG", "DCGANRules", "Evaluation", "dcgan_discriminator", "dcgan_generator",
    "evaluate",
]

#: LeakyReLU slope of the discriminator (Radford et al. 2016, section 3).
LEAKY_SLOPE = 0.2

#: The reference schedule: Radford et al.'s minibatch-SGD settings scaled to 8x8 digits (Adam
#: with step size 2e-4 and beta1 = 1/2, minibatches of 64, k = 1) for 3000 iterations, with a
#: 32-dimensional standard normal noise and the non-saturating generator loss.
DCGAN_CONFIG = GANConfig(m=64, steps=3000, lr_d=2e-4, lr_g=2e-4, noise_dim=32, log_every=300)


@dataclasses.dataclass(frozen=True)
class DCGANRules:
    """Which of the DCGAN architecture rules the networks follow (all of them by default).

    Attributes
    ----------
    batch_norm : bool
        Batch normalisation in both networks (not at G's output nor D's input).
    strided : bool
        Strided convolutions in D and transposed convolutions in G. ``False``: the design they
        replaced, stride-1 convolutions followed by 2×2 average pooling in D and nearest
        upsampling followed by a stride-1 convolution in G.
    leaky_d : bool
        LeakyReLU(0.2) in D; ``False``: ReLU.
    """

    batch_norm: bool = True
    strided: bool = True
    leaky_d: bool = True

    def __post_init__(self) -> None:
        for name in ("batch_norm", "strided", "leaky_d"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"`{name}` must be True or False (got {getattr(self, name)!r})")


def _positive(value: int, name: str) -> int:
    _int_at_least(value, name, 1)
    return int(value)


def _up(c_in: int, c_out: int, rules: DCGANRules, rng: np.random.Generator) -> list:
    """(c_in, h, h) -> (c_out, 2h, 2h)."""
    if rules.strided:
        return [ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1, rng=rng)]
    from gantheory.nn import Upsample

    return [Upsample(2), Conv2d(c_in, c_out, 3, stride=1, padding=1, rng=rng)]


def _down(c_in: int, c_out: int, rules: DCGANRules, rng: np.random.Generator) -> list:
    """(c_in, h, h) -> (c_out, h/2, h/2)."""
    if rules.strided:
        return [Conv2d(c_in, c_out, 4, stride=2, padding=1, rng=rng)]
    from gantheory.nn import AvgPool2d

    return [Conv2d(c_in, c_out, 3, stride=1, padding=1, rng=rng), AvgPool2d(2)]


def dcgan_generator(noise_dim: int, width: int = 32, *, n_classes: int = 0,
                    rules: DCGANRules = DCGANRules(), rng: np.random.Generator,
                    dtype: str | np.dtype = np.float64) -> Sequential:
    """The generator of the module docstring, input ``(n, noise_dim + n_classes)``, in the
    precision ``dtype`` (weights drawn in float64 and rounded)."""
    nz = _positive(noise_dim, "noise_dim") + int(n_classes)
    g = _positive(width, "width")
    norm = (lambda c: [BatchNorm(c)]) if rules.batch_norm else (lambda c: [])
    return Sequential(
        Reshape((nz, 1, 1)),
        ConvTranspose2d(nz, 2 * g, 2, stride=1, padding=0, rng=rng), *norm(2 * g), ReLU(),
        *_up(2 * g, g, rules, rng), *norm(g), ReLU(),
        *_up(g, 1, rules, rng), Tanh(),
    ).astype(dtype, copy=False)


def dcgan_discriminator(width: int = 32, *, n_classes: int = 0,
                        rules: DCGANRules = DCGANRules(), rng: np.random.Generator,
                        dtype: str | np.dtype = np.float64) -> Sequential:
    """The discriminator of the module docstring, input ``(n, 1 + n_classes, 8, 8)``, in the
    precision ``dtype`` (weights drawn in float64 and rounded)."""
    d = _positive(width, "width")
    act = (lambda: LeakyReLU(LEAKY_SLOPE)) if rules.leaky_d else ReLU
    norm = (lambda c: [BatchNorm(c)]) if rules.batch_norm else (lambda c: [])
    return Sequential(
        *_down(1 + int(n_classes), d, rules, rng), act(),
        *_down(d, 2 * d, rules, rng), *norm(2 * d), act(),
        Conv2d(2 * d, 1, 2, stride=1, padding=0, rng=rng), Flatten(),
    ).astype(dtype, copy=False)


class DCGAN(Game):
    """A DCGAN on 8×8 images, trained by Algorithm 1.

    Parameters
    ----------
    data : Digits
        The real images (and, for ``conditional=True``, their labels).
    config : GANConfig
        The training schedule and objective (``k``, ``m``, ``steps``, step sizes, Adam's
        ``betas``, ``objective``, ``loss``, ``noise``, ``noise_dim``, ``log_every``, the
        divergence criterion) and the precision ``dtype`` (or ``GANTHEORY_GAN_DTYPE``); its
        MLP fields (``g_hidden``, ``d_hidden``, ``activation``) are not used.
    rng : numpy.random.Generator
        The only source of randomness: initial weights, minibatches, noise, labels.
    conditional : bool
        One-hot labels concatenated to G's noise and to D's input (as constant channels).
    width : int
        ``g = d = width`` in the module docstring (default 32).
    rules : DCGANRules
        The architecture rules followed (default: all).

    Attributes
    ----------
    G, D : Sequential
    history : History
    iteration : int
    """

    def __init__(self, data: Digits, *, config: GANConfig, rng: np.random.Generator,
                 conditional: bool = False, width: int = 32,
                 rules: DCGANRules = DCGANRules()) -> None:
        if not isinstance(data, Digits):
            raise TypeError(f"`data` must be Digits (got {type(data).__name__})")
        if not isinstance(config, GANConfig):
            raise TypeError(f"`config` must be a GANConfig (got {type(config).__name__})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        if not isinstance(conditional, bool):
            raise ValueError(f"`conditional` must be True or False (got {conditional!r})")
        if not isinstance(rules, DCGANRules):
            raise TypeError(f"`rules` must be DCGANRules (got {type(rules).__name__})")
        c = self.config = _dtype_override(config)
        self.data, self.rng, self.conditional, self.rules = data, rng, conditional, rules
        k = N_CLASSES if conditional else 0
        self.n_classes = k
        dtype = np.dtype(c.dtype)
        self.G = dcgan_generator(c.noise_dim, width, n_classes=k, rules=rules, rng=rng,
                                 dtype=dtype)
        self.D = dcgan_discriminator(width, n_classes=k, rules=rules, rng=rng, dtype=dtype)
        self.d_nets, self.g_nets = (self.D,), (self.G,)
        self.opt_G = self._optimizer(self.g_nets, c.lr_g)
        self.opt_D = self._optimizer(self.d_nets, c.lr_d)
        obj = c.objective
        self._d_loss = obj.discriminator_loss
        self._g_loss = functools.partial(obj.generator_loss, which=c.generator_loss)
        self._images = data.images.astype(dtype, copy=False)  # the real images, in D's precision
        self._g_input = np.zeros((c.m, c.noise_dim + k), dtype)
        self._z = np.zeros((c.m, c.noise_dim), dtype)
        self._z64 = None if dtype == np.float64 else np.empty((c.m, c.noise_dim))  # the draws
        self._d_input = np.zeros((c.m, 1 + k, SIDE, SIDE), dtype)
        Game.__init__(self)

    # -- inputs ---------------------------------------------------------------------------------
    def _labels(self, n: int) -> np.ndarray:
        """n labels from the data's label frequencies (those of n random training images)."""
        return self.data.labels[self.rng.integers(0, len(self.data), size=n)]

    def _generator_input(self, labels: np.ndarray | None) -> np.ndarray:
        """Fresh noise in the first ``noise_dim`` columns, the one-hot ``labels`` after."""
        if not self.conditional:
            return _fill_noise(self.rng, self.config.noise, self._g_input, self._z64)
        nz = self.config.noise_dim
        self._g_input[:, :nz] = _fill_noise(self.rng, self.config.noise, self._z, self._z64)
        self._g_input[:, nz:] = np.eye(N_CLASSES)[labels]
        return self._g_input

    def _discriminator_input(self, images: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
        """``images`` with, when conditional, the one-hot labels as constant channels."""
        if not self.conditional:
            return images
        self._d_input[:, 0] = images[:, 0]
        self._d_input[:, 1:] = np.eye(N_CLASSES)[labels][:, :, None, None]
        return self._d_input

    def _fake(self) -> tuple[np.ndarray, np.ndarray | None]:
        labels = self._labels(self.config.m) if self.conditional else None
        return self.G.forward(self._generator_input(labels)), labels

    # -- the two steps of Algorithm 1 ------------------------------------------------------------
    def discriminator_step(self) -> float:
        """One ascent step of :math:`\\hat V` in D: m real images and m generated ones, as two
        batches (each normalised by its own statistics); returns D's loss."""
        m, D = self.config.m, self.D
        idx = self.rng.integers(0, len(self.data), size=m)
        real_labels = self.data.labels[idx] if self.conditional else None
        real = D.forward(self._discriminator_input(self._images[idx], real_labels)).copy()
        # The losses are sums of a term in the real outputs and one in the generated outputs,
        # so the gradient in the real outputs needs only those: backpropagate it now, while D
        # holds the real batch, and keep the parameter gradient.
        _, dL_dreal, _ = self._d_loss(real, real)
        D.backward(dL_dreal, input_grad=False)
        grads_real = D.flat_grads.copy()
        fake_images, fake_labels = self._fake()
        fake = D.forward(self._discriminator_input(fake_images, fake_labels))
        loss, _, dL_dfake = self._d_loss(real, fake)
        D.backward(dL_dfake, input_grad=False)
        D.flat_grads += grads_real
        self.opt_D.step([D.flat_grads])
        return loss

    def _generator_gradients(self) -> float:
        """The generator loss on m fresh generated images, its gradient left in
        ``G.flat_grads`` (D is not changed)."""
        fake_images, labels = self._fake()
        loss, dL_dlogits = self._g_loss(self.D.forward(self._discriminator_input(fake_images,
                                                                                  labels)))
        dL_dx = self.D.backward(dL_dlogits, param_grads=False)
        self.G.backward(dL_dx[:, :1] if self.conditional else dL_dx, input_grad=False)
        return loss

    def generator_step(self) -> float:
        """One descent step of the generator loss in G (D is not updated)."""
        loss = self._generator_gradients()
        self.opt_G.step([self.G.flat_grads])
        return loss

    # -- the trained generator -------------------------------------------------------------------
    def sample(self, n: int, *, rng: np.random.Generator,
               labels: npt.ArrayLike | None = None) -> np.ndarray:
        """``n`` generated images, shape ``(n, 1, 8, 8)``, with noise from ``rng`` (not the
        training generator); the conditional generator is asked for ``labels`` (default: ``n``
        labels from the data's frequencies, drawn by ``rng``). G runs in evaluation mode (batch
        normalisation by its running statistics, so a sample does not depend on its batch), in
        float64 (through an exact float64 copy of a G trained in float32)."""
        n = _positive(n, "n")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        if labels is not None and not self.conditional:
            raise ValueError("`labels` are for a conditional DCGAN (this one is not)")
        nz = self.config.noise_dim
        z = np.empty((n, nz + self.n_classes))
        z[:, :nz] = _fill_noise(rng, self.config.noise, np.empty((n, nz)))
        if self.conditional:
            y = (self.data.labels[rng.integers(0, len(self.data), size=n)] if labels is None
                 else check_labels(labels, n))
            z[:, nz:] = np.eye(N_CLASSES)[y]
        G = _float64(self.G)
        G.eval()
        try:
            return np.array(G.forward(z))
        finally:
            G.train()


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """What the referee measures of a trained generator (see :func:`evaluate`)."""

    frechet: float
    coverage: Coverage
    accuracy: float | None


def evaluate(gan: DCGAN, referee: Referee, reference: Digits, *, rng: np.random.Generator,
             n: int = 1000) -> Evaluation:
    """The referee's measures of ``n`` samples of ``gan`` (noise from ``rng``): the Fréchet
    distance of their features to those of the ``reference`` images, their class coverage and,
    for a conditional DCGAN, the fraction of ``n // 10`` samples asked for each digit that the
    referee classifies as that digit."""
    if not isinstance(referee, Referee):
        raise TypeError(f"`referee` must be a Referee (got {type(referee).__name__})")
    x = gan.sample(n, rng=rng)
    accuracy = None
    if gan.conditional:
        y = np.repeat(np.arange(N_CLASSES), max(n // N_CLASSES, 1))
        accuracy = float(np.mean(referee.predict(gan.sample(y.size, rng=rng, labels=y)) == y))
    return Evaluation(referee.frechet(x, reference.images), class_coverage(referee.predict(x)),
                      accuracy)
