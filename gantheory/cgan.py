r"""The conditional GAN of Mirza & Osindero (2014) on labelled 1-D data, by Algorithm 1.

The data are pairs :math:`(x, y)`, :math:`y \in \{0, \dots, K-1\}` with probabilities
:math:`p(y)` and :math:`x \mid y \sim p_{data}(\cdot \mid y)`
(:class:`~gantheory.conditional.ClassConditional`). Both players see the label as a one-hot
vector :math:`e_y` concatenated to their input: the generator maps :math:`[z, e_y]` to a point
and the discriminator maps :math:`[x, e_y]` to a logit. Generated pairs draw their labels from
the data's :math:`p(y)`, so the two joint laws share their label marginal and, for each label,
the game is the unconditional one between :math:`p_{data}(\cdot \mid y)` and
:math:`p_g(\cdot \mid y)`, the push-forward of the noise by :math:`G(\cdot, y)`:

.. math:: D^*(x, y) = \frac{p_{data}(x \mid y)}{p_{data}(x \mid y) + p_g(x \mid y)}, \qquad
          C(G) = -\log 4 + 2 \sum_y p(y)\, \mathrm{JSD}\bigl(p_{data}(\cdot \mid y) \,\|\,
          p_g(\cdot \mid y)\bigr)

(:mod:`gantheory.conditional`). With one-dimensional noise, :math:`G(\cdot, y)` is a 1-D map of
1-D noise for each label, whose exact push-forward :meth:`ConditionalGAN.pushforward` gives.
The training loop is :class:`gantheory.gan.Game`'s: only the two steps differ from
:class:`~gantheory.gan.GAN`'s.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory.conditional import ClassConditional, _check_labels
from gantheory.gan import Game, GANConfig, _dtype_override, _fill_noise, _float64, input_restricted
from gantheory.gan_config import _int_at_least
from gantheory.nn import MLP
from gantheory.pushforward import Generator1D

__all__ = ["ConditionalGAN", "TrainedConditionalDiscriminator"]


def _one_hot(labels: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Write the one-hot rows of ``labels`` (shape (n,)) into ``out`` (shape (n, K))."""
    out.fill(0.0)
    out[np.arange(labels.size), labels] = 1.0
    return out


class TrainedConditionalDiscriminator:
    r"""A snapshot of a conditional discriminator as a vectorized callable ``D(x, y)``.

    ``D(x, y)`` returns :math:`\sigma(\ell(x, y))` and ``D.logit(x, y)`` the logit, for ``x`` and
    integer labels ``y`` broadcast against each other (the output of an unbounded critic is
    ``D.logit``'s, for objectives that are not probabilities). Later training does not change
    the snapshot, which is float64 (an exact copy of a network trained in float32).
    """

    def __init__(self, net: MLP, n_classes: int) -> None:
        self.net, self.n_classes = net.astype(np.float64), n_classes

    def logit(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        """The raw output :math:`\\ell(x, y)`, shape of ``x`` and ``y`` broadcast."""
        x = np.asarray(x, dtype=np.float64)
        labels = _check_labels(y, self.n_classes, "y")
        x, labels = np.broadcast_arrays(x, labels)
        if x.size == 0:
            return np.empty(x.shape)
        inp = np.empty((x.size, 1 + self.n_classes))
        inp[:, 0] = x.reshape(-1)
        _one_hot(labels.reshape(-1), inp[:, 1:])
        return self.net.forward(inp).reshape(x.shape)

    def __call__(self, x: npt.ArrayLike, y: npt.ArrayLike) -> np.ndarray:
        return special.expit(self.logit(x, y))


class _LabelledSampler:
    """Draws labelled data in chunks (one ``rvs`` call per chunk), hands out minibatches."""

    def __init__(self, data: ClassConditional, rng: np.random.Generator, chunk: int) -> None:
        self.data, self.rng, self.chunk = data, rng, chunk
        self.x, self.y, self.pos = np.empty(0), np.empty(0, dtype=np.int64), 0

    def draw(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if self.pos + n > self.x.size:
            self.x, self.y = self.data.rvs(max(self.chunk, n), rng=self.rng)
            # rvs draws the labels first and then each class in turn: shuffle the pairs so a
            # minibatch is an i.i.d. sample, not a run of one class
            order = self.rng.permutation(self.x.size)
            self.x, self.y, self.pos = self.x[order], self.y[order], 0
        sl = slice(self.pos, self.pos + n)
        self.pos += n
        return self.x[sl], self.y[sl]


class ConditionalGAN(Game):
    r"""A conditional generator :math:`G(z, y)` and discriminator :math:`D(x, y)` trained on
    labelled 1-D data by Algorithm 1, the label one-hot and concatenated to each input.

    Parameters
    ----------
    data : ClassConditional
        The labelled data law: label probabilities and one conditional per class.
    config : GANConfig
        As for :class:`~gantheory.gan.GAN`; the networks are ``noise_dim + K -> 1`` and
        ``1 + K -> 1``, trained in ``config.dtype`` (or ``GANTHEORY_GAN_DTYPE``) and measured
        in float64.
    rng : numpy.random.Generator
        The only source of randomness: initial weights, data, labels and noise.

    Attributes
    ----------
    G, D : MLP
    n_classes : int

    Examples
    --------
    >>> from scipy import stats
    >>> law = ClassConditional([stats.norm(-2, 0.5), stats.norm(1, 1)], [0.5, 0.5])
    >>> cfg = GANConfig(steps=3, m=8, log_every=1)
    >>> a = ConditionalGAN(law, config=cfg, rng=np.random.default_rng(0)).train()
    >>> b = ConditionalGAN(law, config=cfg, rng=np.random.default_rng(0)).train()
    >>> np.array_equal(a.G.flat_params, b.G.flat_params), a.G.sizes[0], a.D.sizes[0]
    (True, 3, 3)
    """

    def __init__(
        self, data: ClassConditional, *, config: GANConfig, rng: np.random.Generator
    ) -> None:
        if not isinstance(data, ClassConditional):
            raise TypeError(
                f"`data` must be a ClassConditional (labelled law) (got {type(data).__name__})"
            )
        if not isinstance(config, GANConfig):
            raise TypeError(f"`config` must be a GANConfig (got {type(config).__name__})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        c = self.config = _dtype_override(config)
        self.data, self.rng = data, rng
        K = self.n_classes = data.n_classes
        dtype = np.dtype(c.dtype)
        self.G = MLP([c.noise_dim + K, *c.g_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.D = MLP([1 + K, *c.d_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.d_nets, self.g_nets = (self.D,), (self.G,)
        self.opt_G = self._optimizer(self.g_nets, c.lr_g)
        self.opt_D = self._optimizer(self.d_nets, c.lr_d)
        m = c.m
        self._sampler = _LabelledSampler(data, rng, chunk=max(8192, 16 * m))
        self._cdf = np.cumsum(data.probs)  # labels of generated pairs: from the data's p(y)
        self._cdf[-1] = 1.0
        self._d_input = np.empty((2 * m, 1 + K), dtype)  # [x, e_y] for real; then fake
        self._g_input = np.empty((m, c.noise_dim + K), dtype)  # [z, e_y]
        self._z = np.empty((m, c.noise_dim), dtype)  # the noise is drawn into a contiguous array
        self._z64 = None if dtype == np.float64 else np.empty((m, c.noise_dim))  # float64 draws
        self._dL_dlogits = np.empty((2 * m, 1), dtype)
        obj = c.objective
        self._d_loss = obj.discriminator_loss
        self._g_loss = functools.partial(obj.generator_loss, which=c.generator_loss)
        Game.__init__(self)

    def _draw_generator_input(self) -> None:
        """Draw m labels y ~ p(y) and m noise vectors into the generator's input [z, e_y]."""
        c, K = self.config, self.n_classes
        labels = np.searchsorted(self._cdf, self.rng.random(c.m), side="right")
        np.minimum(labels, K - 1, out=labels)  # a draw of exactly 1.0 cannot happen; be safe
        self._g_input[:, : c.noise_dim] = _fill_noise(self.rng, c.noise, self._z, self._z64)
        _one_hot(labels, self._g_input[:, c.noise_dim :])

    def _generated_pairs(self, out: np.ndarray) -> None:
        """Fill ``out`` (shape (m, 1 + K)) with the pairs [G(z, e_y), e_y] of the generator's
        current input (G's forward pass is cached for its backward pass)."""
        out[:, 0] = self.G.forward(self._g_input)[:, 0]
        out[:, 1:] = self._g_input[:, self.config.noise_dim :]

    def discriminator_step(self) -> float:
        """One ascent step of :math:`\\hat V` in D on m labelled data and m generated pairs;
        returns the discriminator loss."""
        m = self.config.m
        x, y = self._sampler.draw(m)
        self._d_input[:m, 0] = x
        _one_hot(y, self._d_input[:m, 1:])
        self._draw_generator_input()
        self._generated_pairs(self._d_input[m:])
        return self._discriminator_update()

    def generator_step(self) -> float:
        """One descent step of the generator loss in G, on m fresh generated pairs."""
        self._draw_generator_input()
        loss = self._generator_gradients()
        self.opt_G.step([self.G.flat_grads])
        return loss

    def _generator_gradients(self) -> float:
        """The generator loss on the current generator input, its gradient left in
        ``G.flat_grads`` (D is not changed)."""
        pairs = self._d_input[self.config.m :]
        self._generated_pairs(pairs)
        loss, dL_dlogits = self._g_loss(self.D.forward(pairs))
        dL_dpairs = self.D.backward(dL_dlogits, param_grads=False)  # chain through D  (m, 1+K)
        self.G.backward(dL_dpairs[:, :1], input_grad=False)  # only x = G(z, y) depends on G
        return loss

    # -- trained networks as functions ----------------------------------------------------------
    def discriminator(self) -> TrainedConditionalDiscriminator:
        """A snapshot of D as a function of ``(x, y)``, with an exact ``.logit``."""
        return TrainedConditionalDiscriminator(self.D, self.n_classes)

    def generator(self, y: int) -> Generator1D:
        r""":math:`G(\cdot, y)` as a function of 1-D noise, with its exact push-forward
        :math:`p_g(\cdot \mid y)`.

        Raises
        ------
        ValueError
            For a label outside ``0..K-1``, or noise of more than one dimension.
        """
        label = int(_check_labels(y, self.n_classes, "y"))
        if self.config.noise_dim != 1:
            raise ValueError(
                "the exact push-forward needs 1-D noise (got `config.noise_dim` ="
                f" {self.config.noise_dim})"
            )
        fixed = np.zeros(self.n_classes)
        fixed[label] = 1.0
        return Generator1D(input_restricted(self.G, fixed=fixed), noise=self.config.noise)

    def pushforward(self) -> ClassConditional:
        r"""The generator's labelled law: :math:`p(y)` of the data and, for each label, the
        exact push-forward :math:`p_g(\cdot \mid y)` of :meth:`generator`."""
        return ClassConditional(
            [self.generator(k).pushforward() for k in range(self.n_classes)], self.data.probs
        )

    def sample(
        self, n: int, *, rng: np.random.Generator, y: npt.ArrayLike | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``n`` generated pairs ``(x, y)``, shapes ``(n,)``: labels drawn from :math:`p(y)`, or
        the labels ``y`` given (one label, or ``n`` of them); noise from ``rng`` (float64,
        through a float64 copy of a G trained in float32)."""
        _int_at_least(n, "n", 1)
        if y is None:
            labels = rng.choice(self.n_classes, size=n, p=self.data.probs)
        else:
            labels = np.broadcast_to(_check_labels(y, self.n_classes, "y"), (n,)).copy()
        c = self.config
        inp = np.empty((n, c.noise_dim + self.n_classes))
        inp[:, : c.noise_dim] = _fill_noise(rng, c.noise, np.empty((n, c.noise_dim)))
        _one_hot(labels, inp[:, c.noise_dim :])
        return _float64(self.G).forward(inp)[:, 0].copy(), labels
