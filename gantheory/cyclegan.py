r"""CycleGAN (Zhu et al. 2017) on 1-D laws: two generators, two discriminators, one loop.

Unpaired samples :math:`x \sim p_X` and :math:`y \sim p_Y` train a generator
:math:`G: X \to Y` against a discriminator :math:`D_Y` (real: :math:`y`; generated:
:math:`G(x)`) and a generator :math:`F: Y \to X` against :math:`D_X` (real: :math:`x`;
generated: :math:`F(y)`). The adversarial losses alone say nothing about *which* point of
:math:`Y` an :math:`x` goes to (every map with :math:`T_\# p_X = p_Y` wins the game, see
:mod:`gantheory.cycle`); the cycle-consistency loss ties the two generators together,

.. math:: \mathcal L_{cyc}(G, F) = \mathbb E_{p_X} \lvert F(G(x)) - x \rvert
          + \mathbb E_{p_Y} \lvert G(F(y)) - y \rvert,

and the generators minimise

.. math:: \mathcal L_{G}(G, D_Y) + \mathcal L_{G}(F, D_X) + \lambda\,\mathcal L_{cyc}(G, F),

with :math:`\lambda = 10` in the paper, whose adversarial terms are least squares
(``GANConfig(objective=least_squares(0, 1, 1))``: the discriminator's targets 1 for real and 0
for generated, the generator's 1). Both discriminators take one step on their own minibatches
of :math:`p_X` and :math:`p_Y`, then both generators take one step on fresh minibatches:
Algorithm 1's loop of :class:`gantheory.gan.Game`, with ``config.k`` discriminator steps per
generator step.

The gradient of the cycle term reaches each generator twice: :math:`G` through
:math:`F(G(x))`, where it is the inner map, and through :math:`G(F(y))`, where it is the outer
one. Each path is a forward pass followed at once by its backward pass (a network caches one
forward pass at a time), and the two gradients of each generator are summed. The absolute
value's derivative is taken as :math:`\operatorname{sign}(0) = 0` at 0 (a subgradient).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from gantheory._validation import check_positive, describe
from gantheory.distributions import _describe_scipy, is_continuous
from gantheory.gan import (
    Game,
    GANConfig,
    TrainedCritic,
    TrainedDiscriminator,
    _dtype_override,
    _float64,
    _Sampler,
    input_restricted,
)
from gantheory.gan_config import _int_at_least
from gantheory.nn import MLP, clip_weights
from gantheory.pushforward import Generator1D, PushForward

__all__ = ["CycleGAN", "TrainedMap", "standard_input"]


class TrainedMap:
    """A snapshot of a 1-D network :math:`\\mathbb R \\to \\mathbb R` as an elementwise function
    of arrays of any shape. Later training does not change the snapshot, which is float64 (an
    exact copy of a network trained in float32)."""

    def __init__(self, net: MLP) -> None:
        if net.sizes[0] != 1 or net.sizes[-1] != 1:
            raise ValueError(f"`net` must be an MLP with sizes [1, ..., 1] (got {net!r})")
        self.net = net.astype(np.float64)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.size == 0:
            return np.empty(x.shape)
        return self.net.forward(x.reshape(-1, 1)).reshape(x.shape)


def standard_input(law: object, name: str = "law") -> tuple[str, float, float]:
    r"""``(noise, loc, scale)`` with ``law`` the law of ``loc + scale * z``, ``z`` standard noise.

    The exact push-forward (:class:`~gantheory.pushforward.Generator1D`) is computed for
    standard normal or :math:`U(-1, 1)` noise; a map applied to :math:`N(\mu, \sigma^2)` or
    :math:`U(a, b)` is the map applied to :math:`\mu + \sigma z` or
    :math:`\tfrac{a+b}{2} + \tfrac{b-a}{2} z`.

    Raises
    ------
    ValueError
        For any other law (its push-forward is not computed exactly).

    Examples
    --------
    >>> from scipy import stats
    >>> standard_input(stats.norm(2, 0.5))
    ('normal', 2.0, 0.5)
    >>> standard_input(stats.uniform(1, 2))
    ('uniform', 2.0, 1.0)
    """
    dist = getattr(law, "dist", None)
    kind = getattr(dist, "name", None)
    if kind == "norm":
        return "normal", float(law.mean()), float(law.std())
    if kind == "uniform":
        a, b = (float(v) for v in law.support())
        return "uniform", 0.5 * (a + b), 0.5 * (b - a)
    raise ValueError(
        f"the exact push-forward of `{name}` needs a scipy.stats normal or uniform law"
        f" (got {_describe_scipy(law) if kind else describe(law)})"
    )


class CycleGAN(Game):
    r"""Two generators and two discriminators on 1-D laws :math:`p_X, p_Y`, trained jointly.

    Parameters
    ----------
    p_x, p_y : scipy.stats frozen continuous distribution or Mixture
        The two domains (sampled through ``rng`` only).
    config : GANConfig
        Networks (``g_hidden`` for G and F, ``d_hidden`` for :math:`D_X, D_Y`), objective,
        optimiser, schedule and precision (``dtype``; every snapshot is float64), as for
        :class:`~gantheory.gan.GAN`; ``noise`` and ``noise_dim`` are unused (the generators'
        inputs are the samples of the other domain).
    rng : numpy.random.Generator
        The only source of randomness: initial weights and samples.
    cycle_weight : float
        :math:`\lambda \ge 0`, the weight of the cycle-consistency loss (10 in the paper; 0
        trains two unrelated GANs).

    Attributes
    ----------
    G, F : MLP
        :math:`G: X \to Y` and :math:`F: Y \to X`, sizes ``[1, *g_hidden, 1]``.
    D_Y, D_X : MLP
        The discriminators of the two domains (raw outputs: logits for a probability
        objective).
    cycle_history : list of float
        The minibatch cycle loss :math:`\hat{\mathcal L}_{cyc}` of every generator step.

    Examples
    --------
    >>> from scipy import stats
    >>> cfg = GANConfig(steps=3, m=8, log_every=1, objective="least_squares")
    >>> a = CycleGAN(stats.norm(0, 1), stats.norm(2, 0.5), config=cfg,
    ...              rng=np.random.default_rng(0)).train()
    >>> b = CycleGAN(stats.norm(0, 1), stats.norm(2, 0.5), config=cfg,
    ...              rng=np.random.default_rng(0)).train()
    >>> np.array_equal(a.F.flat_params, b.F.flat_params), len(a.cycle_history)
    (True, 3)
    """

    def __init__(
        self,
        p_x: object,
        p_y: object,
        *,
        config: GANConfig,
        rng: np.random.Generator,
        cycle_weight: float = 10.0,
    ) -> None:
        for name, law in (("p_x", p_x), ("p_y", p_y)):
            if not is_continuous(law):
                raise TypeError(
                    f"`{name}` must be a scipy.stats frozen 1-D continuous distribution or a"
                    f" Mixture (got {type(law).__name__})"
                )
        if not isinstance(config, GANConfig):
            raise TypeError(f"`config` must be a GANConfig (got {type(config).__name__})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        self.cycle_weight = check_positive(cycle_weight, "cycle_weight", allow_zero=True)
        c = self.config = _dtype_override(config)
        self.p_x, self.p_y, self.rng = p_x, p_y, rng
        dtype = np.dtype(c.dtype)
        self.G = MLP([1, *c.g_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.F = MLP([1, *c.g_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.D_Y = MLP([1, *c.d_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.D_X = MLP([1, *c.d_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.g_nets, self.d_nets = (self.G, self.F), (self.D_Y, self.D_X)
        self.opt_G = self._optimizer(self.g_nets, c.lr_g)
        self.opt_D = self._optimizer(self.d_nets, c.lr_d)
        chunk = max(8192, 16 * c.m)
        self._sx, self._sy = _Sampler(p_x, rng, chunk), _Sampler(p_y, rng, chunk)
        m = c.m
        self._x, self._y = np.empty((m, 1), dtype), np.empty((m, 1), dtype)
        self._d_input = np.empty((2 * m, 1), dtype)
        self._dL_dlogits = np.empty((2 * m, 1), dtype)
        self._grad_G = np.empty(self.G.n_params, dtype)
        self._grad_F = np.empty(self.F.n_params, dtype)
        obj = c.objective
        self._d_loss = obj.discriminator_loss
        self._g_loss = functools.partial(obj.generator_loss, which=c.generator_loss)
        self.cycle_history: list[float] = []
        Game.__init__(self)

    # -- the two steps ---------------------------------------------------------------------------
    def discriminator_step(self) -> float:
        r"""One step of :math:`D_Y` (real :math:`y`, generated :math:`G(x)`) and of :math:`D_X`
        (real :math:`x`, generated :math:`F(y)`); returns the sum of their losses."""
        m, x, y = self.config.m, self._x, self._y
        self._sx.draw(x)
        self._sy.draw(y)
        loss = 0.0
        for D, real, source, gen in ((self.D_Y, y, x, self.G), (self.D_X, x, y, self.F)):
            self._d_input[:m] = real
            self._d_input[m:] = gen.forward(source)
            logits = D.forward(self._d_input)
            part, self._dL_dlogits[:m], self._dL_dlogits[m:] = self._d_loss(
                logits[:m], logits[m:]
            )
            D.backward(self._dL_dlogits, input_grad=False)  # the input is data: no dL/dx
            loss += part
        self.opt_D.step([self.D_Y.flat_grads, self.D_X.flat_grads])
        if self.config.clip is not None:
            clip_weights([self.D_Y.flat_params, self.D_X.flat_params], c=self.config.clip)
        return loss

    def _path(
        self, source: np.ndarray, first: MLP, critic: MLP, second: MLP, saved: np.ndarray | None
    ) -> tuple[float, float]:
        """One half of the generator step, e.g. x -> G(x) -> F(G(x)).

        Leaves in ``first.flat_grads`` the gradient of ``first``'s adversarial loss against
        ``critic`` plus λ × this half's cycle loss, and in ``second.flat_grads`` the gradient
        of λ × the cycle loss in ``second`` (the outer map here), copied to ``saved`` if given.
        Returns the adversarial loss and the minibatch cycle loss.
        """
        m, lam = source.shape[0], self.cycle_weight
        out = first.forward(source)  # (m, 1)
        adv, dL_dlogits = self._g_loss(critic.forward(out))
        dL_dout = critic.backward(dL_dlogits, param_grads=False)  # chain through the critic
        cyc = 0.0
        if lam > 0.0:
            diff = second.forward(out) - source  # e.g. F(G(x)) - x          (m, 1)
            cyc = float(np.mean(np.abs(diff)))
            dL_dout += second.backward(np.sign(diff) * (lam / m))  # of λ mean|diff|
            if saved is not None:
                saved[...] = second.flat_grads
        first.backward(dL_dout, input_grad=False)  # the input is data: no dL/dx
        return adv, cyc

    def generator_step(self) -> float:
        r"""One step of G and F on the adversarial losses plus :math:`\lambda` × the cycle
        loss, on fresh minibatches of both domains; returns the total minibatch loss."""
        self._sx.draw(self._x)
        self._sy.draw(self._y)
        loss = self._generator_gradients(self._x, self._y)
        self.opt_G.step([self.G.flat_grads, self.F.flat_grads])
        return loss

    def _generator_gradients(self, x: np.ndarray, y: np.ndarray) -> float:
        """The generators' total loss on the minibatches ``x`` and ``y`` (shapes (m, 1)), its
        gradients left in ``G.flat_grads`` and ``F.flat_grads`` (the discriminators are not
        changed); records the minibatch cycle loss in :attr:`cycle_history`."""
        # path x -> G(x) -> F(G(x)): G's whole x-path gradient; F's (outer) one saved
        adv_g, cyc_x = self._path(x, self.G, self.D_Y, self.F, self._grad_F)
        self._grad_G[...] = self.G.flat_grads
        # path y -> F(y) -> G(F(y)): F's whole y-path gradient; G's outer one stays in G
        adv_f, cyc_y = self._path(y, self.F, self.D_X, self.G, None)
        if self.cycle_weight > 0.0:  # each generator's two gradients summed
            self.G.flat_grads += self._grad_G
            self.F.flat_grads += self._grad_F
        cycle = cyc_x + cyc_y
        self.cycle_history.append(cycle)
        return adv_g + adv_f + self.cycle_weight * cycle

    # -- trained networks as functions ----------------------------------------------------------
    def maps(self) -> tuple[TrainedMap, TrainedMap]:
        """Snapshots of :math:`G` and :math:`F` as elementwise functions."""
        return TrainedMap(self.G), TrainedMap(self.F)

    def discriminators(self) -> tuple[object, object]:
        """Snapshots of :math:`D_Y` and :math:`D_X`, as
        :meth:`gantheory.gan.GAN.discriminator` gives them."""
        kind = TrainedDiscriminator if self.config.objective.is_probability else TrainedCritic
        return kind(self.D_Y), kind(self.D_X)

    def generators(self) -> tuple[Generator1D, Generator1D]:
        r""":math:`G` and :math:`F` with their exact push-forwards :math:`G_\# p_X` and
        :math:`F_\# p_Y`, as functions of *standard* noise (:func:`standard_input`): for
        :math:`p_X = N(\mu, \sigma^2)` the first is :math:`z \mapsto G(\mu + \sigma z)`.

        Raises
        ------
        ValueError
            Unless both laws are scipy.stats normal or uniform laws.
        """
        out = []
        for net, law, name in ((self.G, self.p_x, "p_x"), (self.F, self.p_y, "p_y")):
            noise, loc, scale = standard_input(law, name)
            out.append(Generator1D(input_restricted(net, loc=loc, scale=scale), noise=noise))
        return out[0], out[1]

    def pushforwards(self) -> tuple[PushForward, PushForward]:
        r"""The exact laws :math:`G_\# p_X` and :math:`F_\# p_Y` (see :meth:`generators`)."""
        g, f = self.generators()
        return g.pushforward(), f.pushforward()

    def translate(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`G(x)` for an array of points of :math:`X`, shape of ``x``."""
        return TrainedMap(self.G)(x)

    def sample(self, n: int, *, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """``n`` translations each way: :math:`G(x)` for :math:`x \\sim p_X` and :math:`F(y)`
        for :math:`y \\sim p_Y`, drawing from ``rng``; two arrays of shape ``(n,)``."""
        _int_at_least(n, "n", 1)
        x, y = np.empty((n, 1)), np.empty((n, 1))
        _Sampler(self.p_x, rng, n).draw(x)
        _Sampler(self.p_y, rng, n).draw(y)
        G, F = _float64(self.G), _float64(self.F)  # float64 copies of float32-trained maps
        return G.forward(x)[:, 0].copy(), F.forward(y)[:, 0].copy()

