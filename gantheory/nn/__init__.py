"""A small NumPy MLP with hand-written backprop, the empirical leg of gantheory.

Every gradient that trains the GAN is written by hand here, checked by :mod:`.gradcheck`, and
fast enough to train many small GANs inside a test run (``benchmarks/bench_gan_step.py``).

- :mod:`.layers`: activations and the affine layer, each backward rule beside its forward rule;
- :mod:`.mlp`: :class:`MLP`, the network used as generator and discriminator;
- :mod:`.losses`: GAN losses from logits (Goodfellow et al. 2014), each with its gradient;
- :mod:`.objective_losses`: label smoothing, the maximum-likelihood generator cost, least
  squares, hinge and Wasserstein losses from the discriminator's raw output;
- :mod:`.fgan_losses`: the f-GAN losses (Nowozin et al. 2016) for the named f-divergences;
- :mod:`.optim`: :class:`SGD` with momentum and :class:`Adam`, updating in place, and the WGAN
  weight clipping :func:`clip_weights`;
- :mod:`.gradcheck`: central-difference checks of vector-Jacobian products;
- :mod:`.module`: the :class:`Layer` interface of the image layers (parameters in one flat
  vector, ``train``/``eval``) and :class:`Elementwise`, the activations as layers;
- :mod:`.conv`: :class:`Conv2d` and its adjoint :class:`ConvTranspose2d` on NCHW batches;
- :mod:`.norm`: :class:`BatchNorm` (Ioffe & Szegedy 2015);
- :mod:`.pool`: :class:`AvgPool2d`, :class:`MaxPool2d` and nearest-neighbour :class:`Upsample`,
  the resampling layers that DCGAN's strided convolutions replace;
- :mod:`.reshape`: :class:`Flatten` and :class:`Reshape`;
- :mod:`.sequential`: :class:`Sequential`, a chain of layers with one flat parameter vector;
- :mod:`.textbook`: the same MLP in its textbook form (batch-major ``y = x W + b``, one
  allocation per step), against which the fast layers are tested to rounding.
"""

from gantheory.nn import textbook
from gantheory.nn.conv import (
    Conv2d,
    ConvTranspose2d,
    conv_output_size,
    conv_transpose_output_size,
)
from gantheory.nn.fgan_losses import (
    FGAN_DIVERGENCES,
    fgan_activation,
    fgan_conjugate,
    fgan_discriminator_loss,
    fgan_generator_loss,
)
from gantheory.nn.gradcheck import (
    FD_STEP,
    GRADCHECK_RTOL,
    GradCheckResult,
    check_module,
    check_param_vjp,
    check_vjp,
)
from gantheory.nn.layers import (
    ACTIVATIONS,
    Activation,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Tanh,
    get_activation,
)
from gantheory.nn.losses import (
    bce_with_logits,
    discriminator_loss,
    minimax_generator_loss,
    nonsaturating_generator_loss,
)
from gantheory.nn.mlp import MLP
from gantheory.nn.module import Elementwise, Layer
from gantheory.nn.norm import BatchNorm
from gantheory.nn.objective_losses import (
    hinge_discriminator_loss,
    hinge_generator_loss,
    label_smoothing_discriminator_loss,
    lsgan_discriminator_loss,
    lsgan_generator_loss,
    maximum_likelihood_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from gantheory.nn.optim import SGD, Adam, AdamConfig, SGDConfig, clip_weights
from gantheory.nn.pool import AvgPool2d, MaxPool2d, Upsample
from gantheory.nn.reshape import Flatten, Reshape
from gantheory.nn.sequential import Sequential

__all__ = [
    "ACTIVATIONS",
    "FD_STEP",
    "FGAN_DIVERGENCES",
    "GRADCHECK_RTOL",
    "MLP",
    "SGD",
    "Activation",
    "Adam",
    "AdamConfig",
    "AvgPool2d",
    "BatchNorm",
    "Conv2d",
    "ConvTranspose2d",
    "Elementwise",
    "Flatten",
    "GradCheckResult",
    "Identity",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MaxPool2d",
    "ReLU",
    "Reshape",
    "SGDConfig",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Upsample",
    "bce_with_logits",
    "check_module",
    "check_param_vjp",
    "check_vjp",
    "clip_weights",
    "conv_output_size",
    "conv_transpose_output_size",
    "discriminator_loss",
    "fgan_activation",
    "fgan_conjugate",
    "fgan_discriminator_loss",
    "fgan_generator_loss",
    "get_activation",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "label_smoothing_discriminator_loss",
    "lsgan_discriminator_loss",
    "lsgan_generator_loss",
    "maximum_likelihood_generator_loss",
    "minimax_generator_loss",
    "nonsaturating_generator_loss",
    "textbook",
    "wasserstein_discriminator_loss",
    "wasserstein_generator_loss",
]
