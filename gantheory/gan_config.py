"""Hyper-parameters of Algorithm 1 (:mod:`gantheory.gan`): a commented, validated dataclass."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gantheory._validation import check_positive
from gantheory.nn import ACTIVATIONS
from gantheory.nn.layers import _float_dtype
from gantheory.objectives import Objective, get_objective

__all__ = ["LOSSES", "NOISES", "OPTIMIZERS", "GANConfig"]

#: The generator losses of Goodfellow et al.'s objective (the default).
LOSSES = ("nonsaturating", "minimax", "maximum_likelihood")
NOISES = ("normal", "uniform")
OPTIMIZERS = ("adam", "sgd")


def _int_at_least(value: object, name: str, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ValueError(f"`{name}` must be an integer >= {low} (got {value!r})")


def _one_of(value: object, name: str, options: tuple[str, ...]) -> None:
    if value not in options:
        raise ValueError(f"`{name}` must be one of {', '.join(map(repr, options))} (got {value!r})")


@dataclass(frozen=True)
class GANConfig:
    """Hyper-parameters of Algorithm 1, validated on construction (errors name the field).

    The defaults train a 1-D GAN in a few seconds: tanh MLPs 1-16-16-1, minibatch 128, Adam with
    :math:`\\beta_1 = 0.5` (Radford et al. 2016), Goodfellow et al.'s objective with the
    non-saturating generator loss. ``objective`` trains another game (an
    :class:`~gantheory.objectives.Objective` or its name, see :mod:`gantheory.objectives`);
    ``loss`` then names one of its generator losses, by default (``None``) the first of
    ``objective.generator_losses``; :attr:`generator_loss` is the one trained with. After
    construction ``objective`` is always an :class:`~gantheory.objectives.Objective`.

    ``dtype`` is the precision the networks train in: their parameters, activations and
    gradients, the optimiser's state, the losses and the noise and data minibatches
    (``"float64"``, the default, or ``"float32"``, about as accurate as the minibatch noise
    of the gradient allows and faster; a NumPy dtype is accepted and stored by name). Every
    measurement of a trained network is made in float64, on an exact float64 copy.

    Examples
    --------
    >>> GANConfig(k=5).k
    5
    >>> GANConfig().generator_loss, GANConfig(objective="hinge").generator_loss
    ('nonsaturating', 'hinge')
    >>> GANConfig(dtype=np.float32).dtype
    'float32'

    >>> GANConfig(loss="wgan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: `loss` must be one of 'nonsaturating', 'minimax', 'maximum_likelihood' for the...
    """

    k: int = 1  # discriminator steps per generator step (Algorithm 1's k; the paper used k = 1)
    m: int = 128  # minibatch size: m data points and m noise samples per discriminator step
    steps: int = 2000  # training iterations, i.e. generator steps
    lr_d: float = 1e-3  # discriminator step size
    lr_g: float = 1e-3  # generator step size
    lr_decay: float = 1.0  # final/initial step size; geometric decay over `steps` (1: constant)
    optimizer: str = "adam"  # "adam" (Kingma & Ba 2015) or "sgd" (with `momentum`)
    betas: tuple[float, float] = (0.5, 0.999)  # Adam's moment decay rates (β1, β2)
    momentum: float = 0.0  # SGD momentum μ in [0, 1) (Goodfellow et al. 2014 used momentum SGD)
    objective: str | Objective = "goodfellow"  # the game (gantheory.objectives), or its name
    #: generator loss, one of objective.generator_losses (None: its first; for Goodfellow et al.'s
    #: objective "nonsaturating" -log D(G(z)), "minimax" log(1 - D(G(z))), "maximum_likelihood")
    loss: str | None = None
    #: WGAN's weight clipping (Arjovsky et al. 2017, Algorithm 1): after every discriminator step
    #: each of D's parameters is clipped to [-clip, clip]; None: no clipping
    clip: float | None = None
    noise: str = "normal"  # noise prior p_z: "normal" N(0, I) or "uniform" U(−1, 1)^noise_dim
    noise_dim: int = 1  # dimension of z
    g_hidden: tuple[int, ...] = (16, 16)  # generator hidden widths; () gives an affine G(z)
    d_hidden: tuple[int, ...] = (16, 16)  # discriminator hidden widths
    activation: str = "tanh"  # hidden activation of both networks (a gantheory.nn name)
    log_every: int = 100  # record losses and monitors every `log_every` iterations (and last)
    #: Divergence criterion (see TrainingDivergedError): a mean loss above `max_loss` nats or
    #: a parameter of magnitude above `max_param` ends the run. Neither arises while training
    #: converges: a mean loss of 745 nats means D gives the typical sample a probability below
    #: exp(-745), under the smallest positive float64 (it starts near log 2 ≈ 0.69), and tanh
    #: units saturate to ±1 in float64 from |a| ≈ 19 on, so weights of 1e6 carry no signal.
    #: Both serve in float32 too: the losses are softplus terms of the logits, finite in
    #: float32 far beyond 745 nats (to ~3.4e38), and tanh saturates there from |a| ≈ 9 on. A
    #: run that overflows float32 before either bound is met raises TrainingDivergedError all
    #: the same, as a floating-point error of the step.
    max_loss: float = 745.0
    max_param: float = 1e6
    #: precision of training, "float64" or "float32" (measurements are float64 regardless)
    dtype: str = "float64"

    def __post_init__(self) -> None:
        _int_at_least(self.k, "k", 1)
        _int_at_least(self.m, "m", 1)
        _int_at_least(self.steps, "steps", 0)
        _int_at_least(self.noise_dim, "noise_dim", 1)
        _int_at_least(self.log_every, "log_every", 1)
        for name in ("lr_d", "lr_g", "lr_decay", "max_loss", "max_param"):
            check_positive(getattr(self, name), name)
        _one_of(self.optimizer, "optimizer", OPTIMIZERS)
        obj = get_objective(self.objective)
        object.__setattr__(self, "objective", obj)
        if self.loss is not None and self.loss not in obj.generator_losses:
            raise ValueError(
                f"`loss` must be one of {', '.join(map(repr, obj.generator_losses))} for the"
                f" objective {obj.name!r} (got {self.loss!r})"
            )
        if self.clip is not None:
            check_positive(self.clip, "clip")
        _one_of(self.noise, "noise", NOISES)
        _one_of(self.activation, "activation", tuple(ACTIVATIONS))
        object.__setattr__(self, "dtype", _float_dtype(self.dtype, "dtype").name)
        b = self.betas
        if not (
            isinstance(b, tuple | list)
            and len(b) == 2
            and all(isinstance(v, int | float) and 0.0 <= v < 1.0 for v in b)
        ):
            raise ValueError(f"`betas` must be two numbers in [0, 1) (got {b!r})")
        if not (isinstance(self.momentum, int | float) and 0.0 <= self.momentum < 1.0):
            raise ValueError(f"`momentum` must lie in [0, 1) (got {self.momentum!r})")
        for name in ("g_hidden", "d_hidden"):
            widths = getattr(self, name)
            if not isinstance(widths, tuple) or not all(
                isinstance(w, int | np.integer) and not isinstance(w, bool) and w >= 1
                for w in widths
            ):
                raise ValueError(f"`{name}` must be a tuple of positive integers (got {widths!r})")
        if not self.d_hidden:
            raise ValueError("`d_hidden` must have at least one hidden layer (got ())")

    @property
    def generator_loss(self) -> str:
        """The generator loss trained with: ``loss``, or the objective's first."""
        return self.loss if self.loss is not None else self.objective.generator_losses[0]
