"""A small NumPy MLP with hand-written backprop, the empirical leg of gantheory.

Every gradient that trains the GAN is written by hand here, checked by :mod:`.gradcheck`, and
fast enough to train many small GANs inside a test run (``benchmarks/bench_gan_step.py``).

- :mod:`.layers`: activations and the affine layer, each backward rule beside its forward rule;
- :mod:`.mlp`: :class:`MLP`, the network used as generator and discriminator;
- :mod:`.losses`: GAN losses from logits (Goodfellow et al. 2014), each with its gradient;
- :mod:`.optim`: :class:`SGD` with momentum and :class:`Adam`, updating in place;
- :mod:`.gradcheck`: central-difference checks of vector-Jacobian products.
"""

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
from gantheory.nn.optim import SGD, Adam, AdamConfig, SGDConfig

__all__ = [
    "ACTIVATIONS",
    "FD_STEP",
    "GRADCHECK_RTOL",
    "MLP",
    "SGD",
    "Activation",
    "Adam",
    "AdamConfig",
    "GradCheckResult",
    "Identity",
    "LeakyReLU",
    "Linear",
    "ReLU",
    "SGDConfig",
    "Sigmoid",
    "Tanh",
    "bce_with_logits",
    "check_module",
    "check_param_vjp",
    "check_vjp",
    "discriminator_loss",
    "get_activation",
    "minimax_generator_loss",
    "nonsaturating_generator_loss",
]
