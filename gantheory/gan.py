r"""Algorithm 1 of Goodfellow et al. (2014): minibatch stochastic gradient training of a GAN.

For each training iteration (one generator step):

1. ``k`` times: sample ``m`` noise vectors :math:`z^{(i)} \sim p_z` and ``m`` data points
   :math:`x^{(i)} \sim p_{data}`, and update the discriminator by *ascending*

   .. math:: \nabla_{\theta_d} \frac1m \sum_{i=1}^m \Bigl[\log D(x^{(i)})
             + \log\bigl(1 - D(G(z^{(i)}))\bigr)\Bigr];

2. sample ``m`` fresh noise vectors and update the generator by *descending*

   .. math:: \nabla_{\theta_g} \frac1m \sum_{i=1}^m \log\bigl(1 - D(G(z^{(i)}))\bigr)
             \quad \text{(minimax)} \qquad \text{or} \qquad
             \nabla_{\theta_g} \frac1m \sum_{i=1}^m -\log D(G(z^{(i)}))
             \quad \text{(non-saturating, Sec. 3)}.

Both networks are :class:`gantheory.nn.MLP` with hand-written backprop; the discriminator
outputs a logit :math:`\ell` and :math:`D = \sigma(\ell)`, so every loss is evaluated from logits.
The data are 1-D: any scipy.stats frozen continuous distribution or a :class:`~gantheory.Mixture`.

All randomness comes from the ``numpy.random.Generator`` passed in: the same seed gives
bit-identical parameters and history on the same machine. Each training step runs under
``np.errstate(over, invalid, divide = "raise")`` and every loss and parameter vector is checked,
so a diverging run raises :class:`TrainingDivergedError` naming the iteration and phase, never
a silent NaN or an absurd number. Monitors run between steps, outside that floating-point trap;
a monitor that fails raises :class:`MonitorError` naming the monitor and the iteration.

Verdicts must not depend on rounding: another CPU or BLAS build rounds differently, and a
training run is chaotic, so it follows another trajectory. To check that a result does not
depend on the exact trajectory, set the environment variable ``GANTHEORY_PERTURB_INIT`` to a
relative size (e.g. ``1e-15``): every :class:`GAN` then multiplies each initial parameter by
:math:`1 \pm \epsilon` (signs from a fixed generator of its own, so the training stream of
``rng`` is unchanged), which is what a different rounding of the first steps does.

Precision: ``GANConfig(dtype="float32")`` trains both networks in float32 (parameters,
optimiser state, losses, noise and data minibatches). The noise and the data are drawn in
float64 from ``rng`` exactly as in float64 training and then rounded to float32, and the
initial weights are the rounded float64 ones, so a float32 run consumes ``rng`` like the float64
run of the same seed and is as deterministic. Every measurement is float64:
:meth:`GAN.discriminator`, :meth:`GAN.generator` (the exact push-forward density) and
:meth:`GAN.sample` work on float64 copies of the trained networks, which are exact. To check
that a verdict does not depend on the precision, set the environment variable
``GANTHEORY_GAN_DTYPE`` to ``float32`` (or ``float64``): every :class:`GAN`,
:class:`~gantheory.cgan.ConditionalGAN`, :class:`~gantheory.cyclegan.CycleGAN` and
:class:`~gantheory.dcgan.DCGAN` then trains in that precision, whatever its configuration says.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory._threads import one_blas_thread
from gantheory._validation import check_positive
from gantheory.distributions import Mixture, is_continuous
from gantheory.gan_config import GANConfig, _int_at_least
from gantheory.nn import MLP, SGD, Adam, clip_weights
from gantheory.nn.module import Layer
from gantheory.pushforward import Generator1D

__all__ = [
    "DTYPE_ENV",
    "GAN",
    "PERTURB_ENV",
    "GANConfig",
    "Game",
    "History",
    "MonitorError",
    "TrainedCritic",
    "TrainedDiscriminator",
    "TrainingDivergedError",
    "input_restricted",
    "train",
]

#: Environment variable: relative size of a perturbation of every GAN's initial parameters.
PERTURB_ENV = "GANTHEORY_PERTURB_INIT"
#: Environment variable: the precision every GAN trains in ("float32" or "float64"), if set.
DTYPE_ENV = "GANTHEORY_GAN_DTYPE"

_Net = TypeVar("_Net", MLP, Layer)


class TrainingDivergedError(FloatingPointError):
    """Training diverged; ``iteration`` and ``phase`` say where.

    The criterion: a floating-point overflow or invalid operation in a step, a non-finite loss
    or parameter, a mean loss above ``config.max_loss`` nats (745: a probability below the
    smallest positive float64) or a parameter of magnitude above ``config.max_param`` (1e6):
    see :class:`GANConfig`; the same in float32 training, where an overflow comes sooner and is
    reported as a floating-point error. ``phase`` is
    ``"discriminator step j/k"`` or ``"generator step"``.
    """

    def __init__(self, iteration: int, phase: str, what: str) -> None:
        self.iteration, self.phase = iteration, phase
        super().__init__(f"training diverged at iteration {iteration} ({phase}): {what}")


class MonitorError(RuntimeError):
    """A monitor raised or returned something that is not a real number.

    ``name`` is the monitor's key and ``iteration`` the iteration it was measuring; the
    original exception is chained (``__cause__``).
    """

    def __init__(self, name: str, iteration: int, what: str) -> None:
        self.name, self.iteration = name, iteration
        super().__init__(f"monitor {name!r} failed at iteration {iteration}: {what}")


def _fill_noise(
    rng: np.random.Generator, kind: str, out: np.ndarray, scratch: np.ndarray | None = None
) -> np.ndarray:
    """Fill ``out`` with draws from the noise prior ``kind`` (N(0, I) or U(-1, 1)^d).

    The draws are float64; a float32 ``out`` receives them rounded, through the float64
    ``scratch`` of its shape (allocated when not given), so both precisions consume ``rng``
    alike."""
    if out.dtype != np.float64:
        if scratch is None or scratch.shape != out.shape:
            scratch = np.empty(out.shape)
        np.copyto(out, _fill_noise(rng, kind, scratch), casting="same_kind")
        return out
    if kind == "normal":
        rng.standard_normal(out=out)
    else:
        out[...] = rng.uniform(-1.0, 1.0, size=out.shape)
    return out


def _dtype_override(config: GANConfig) -> GANConfig:
    """``config`` in the precision ``GANTHEORY_GAN_DTYPE`` names, if that is set."""
    text = os.environ.get(DTYPE_ENV, "").strip()
    if not text:
        return config
    if text not in ("float32", "float64"):
        raise ValueError(f"{DTYPE_ENV} must be 'float32' or 'float64' (got {text!r})")
    return config if text == config.dtype else dataclasses.replace(config, dtype=text)


def _float64(net: _Net) -> _Net:
    """``net`` (an MLP or a layer) itself if float64, else its exact float64 copy: for
    measurements."""
    return net.astype(np.float64, copy=False)


def _perturb_initial(nets: tuple[MLP, ...]) -> None:
    """Multiply every parameter by 1 ± eps, eps from ``GANTHEORY_PERTURB_INIT`` (if set)."""
    text = os.environ.get(PERTURB_ENV, "").strip()
    if not text:
        return
    try:
        eps = float(text)
    except ValueError:
        raise ValueError(f"{PERTURB_ENV} must be a number (got {text!r})") from None
    if not (math.isfinite(eps) and 0.0 <= eps < 1e-3):
        raise ValueError(f"{PERTURB_ENV} must lie in [0, 1e-3) (got {text!r})")
    signs = np.random.default_rng(20261201)  # its own stream: the training rng is untouched
    for net in nets:
        flat = net.flat_params
        flat *= 1.0 + eps * signs.choice(np.array([-1.0, 1.0]), size=flat.shape)


@dataclass
class History:
    """Losses and monitored measurements, one entry per logged iteration.

    ``loss_d`` is the discriminator loss :math:`-\\hat V` of the last discriminator step of the
    iteration (``nan`` when the iteration had none); ``loss_g`` the generator loss of its
    generator step (``nan`` in :meth:`GAN.train_discriminator`). ``measurements[name]`` holds
    the monitor values.
    """

    iterations: list[int] = field(default_factory=list)
    loss_d: list[float] = field(default_factory=list)
    loss_g: list[float] = field(default_factory=list)
    measurements: dict[str, list[float]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        """``history["loss_d"]``, ``history["iterations"]`` or a monitor, as an array."""
        if name in ("iterations", "loss_d", "loss_g"):
            return np.asarray(getattr(self, name))
        return np.asarray(self.measurements[name])


class TrainedDiscriminator:
    """A snapshot of a discriminator as a vectorized callable for :func:`gantheory.value`.

    ``D(x)`` returns :math:`\\sigma(\\ell(x))` and ``D.logit(x)`` the logit :math:`\\ell(x)`, for
    ``x`` of any shape (each element is one 1-D point), so that :func:`gantheory.value`
    evaluates :math:`\\log D = -\\zeta(-\\ell)` and :math:`\\log(1 - D) = -\\zeta(\\ell)` exactly
    where :math:`D` rounds to 0 or 1. Later training does not change the snapshot, which is a
    float64 copy of the network (exact for a network trained in float32).
    """

    def __init__(self, net: MLP) -> None:
        self.net = net.astype(np.float64)

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """The logit :math:`\\ell(x)`, same shape as ``x``."""
        x = np.asarray(x, dtype=np.float64)
        if x.size == 0:
            return np.empty(x.shape)
        return self.net.forward(x.reshape(-1, 1)).reshape(x.shape)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        return special.expit(self.logit(x))


class TrainedCritic:
    """A snapshot of an unbounded critic (least squares, hinge, Wasserstein) as a vectorized
    callable: ``D(x)`` is the network's raw output, for ``x`` of any shape (a float64 copy of
    the network, as :class:`TrainedDiscriminator`)."""

    def __init__(self, net: MLP) -> None:
        self.net = net.astype(np.float64)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.size == 0:
            return np.empty(x.shape)
        return self.net.forward(x.reshape(-1, 1)).reshape(x.shape)


class _Sampler:
    """Draws i.i.d. data in chunks (one scipy call per chunk) and hands out minibatches."""

    def __init__(self, data: object, rng: np.random.Generator, chunk: int) -> None:
        self.data, self.rng, self.chunk = data, rng, chunk
        self.buffer, self.pos = np.empty(0), 0

    def draw(self, out: np.ndarray) -> None:
        n = out.shape[0]
        if self.pos + n > self.buffer.size:
            size = max(self.chunk, n)
            if isinstance(self.data, Mixture):
                self.buffer = self.data.rvs(size, rng=self.rng)
            else:
                self.buffer = np.asarray(self.data.rvs(size=size, random_state=self.rng), float)
            self.pos = 0
        out[:, 0] = self.buffer[self.pos : self.pos + n]
        self.pos += n


Monitor = Callable[["GAN"], float]


def input_restricted(
    net: MLP, *, loc: float = 0.0, scale: float = 1.0, fixed: npt.ArrayLike = ()
) -> MLP:
    r"""The map :math:`z \mapsto \text{net}([\,loc + scale \cdot z,\ \text{fixed}\,])` as a new
    :class:`~gantheory.nn.MLP` with one input.

    The first input of ``net`` becomes an affine function of :math:`z` and the others are held
    at ``fixed`` (e.g. a one-hot label), folded into the first layer:
    :math:`W_1' = scale \cdot W_1[0]`, :math:`b_1' = b_1 + loc \cdot W_1[0] + \text{fixed}
    \cdot W_1[1:]`; the later layers are copied. So the exact push-forward of
    :class:`~gantheory.pushforward.Generator1D` applies to a conditional generator
    :math:`G(\cdot, y)` and to a map of :math:`N(\mu, \sigma^2)` input.

    Raises
    ------
    ValueError
        If ``fixed`` does not hold one value for each input of ``net`` but the first, or
        ``scale`` is not a positive finite number.

    Examples
    --------
    >>> net = MLP([3, 4, 1], "tanh", rng=np.random.default_rng(0))
    >>> g = input_restricted(net, loc=1.0, scale=2.0, fixed=[0.0, 1.0])
    >>> z = np.array([[-0.5], [0.25]])
    >>> x = np.column_stack([1.0 + 2.0 * z[:, 0], np.zeros(2), np.ones(2)])
    >>> bool(np.allclose(g.forward(z), net.forward(x), rtol=1e-14, atol=1e-15))
    True
    """
    net = _float64(net)  # the folding in float64: exact copies of float32 weights
    fixed = np.asarray(fixed, dtype=np.float64).reshape(-1)
    if fixed.size != net.sizes[0] - 1:
        raise ValueError(
            f"`fixed` must hold {net.sizes[0] - 1} value(s), one for each input of the network"
            f" but the first (got {fixed.size})"
        )
    if not np.isfinite(fixed).all():
        raise ValueError(f"`fixed` must be finite (got {fixed.tolist()!r})")
    check_positive(scale, "scale")
    hidden = net.activations[0] if len(net.activations) > 1 else "identity"
    out = MLP([1, *net.sizes[1:]], hidden, rng=np.random.default_rng(0),
              output_activation=net.activations[-1])
    W1, b1 = net.params[0], net.params[1]
    out.params[0][...] = scale * W1[:1]
    out.params[1][...] = b1 + loc * W1[0] + fixed @ W1[1:]
    for mine, theirs in zip(out.params[2:], net.params[2:], strict=True):
        mine[...] = theirs
    return out


class Game:
    r"""Algorithm 1's loop for any adversarial game: the base of :class:`GAN` and its variants.

    A game has discriminator-side networks, improved by :meth:`discriminator_step`, and
    generator-side networks, improved by :meth:`generator_step`; :meth:`train` alternates
    ``config.k`` discriminator steps with one generator step, and :meth:`train_discriminator`
    runs discriminator steps alone. The loop, the floating-point trap, the divergence criterion
    of :class:`TrainingDivergedError`, the step-size decay, the history and the monitors are
    the same for every game: a subclass builds its networks and writes its two steps.

    A subclass sets, in its ``__init__``:

    - ``config`` (:class:`GANConfig`) and ``rng`` (``numpy.random.Generator``);
    - ``d_nets`` and ``g_nets``: tuples of the :class:`~gantheory.nn.MLP` networks each step
      updates (their parameters are checked after every step);
    - ``opt_D`` and ``opt_G``: one optimiser over all the networks of each side
      (:meth:`_optimizer`);

    and then calls ``Game.__init__(self)``, which checks that every network trains in
    ``config.dtype``, perturbs the initial parameters when ``GANTHEORY_PERTURB_INIT`` is set
    and starts the history.
    """

    config: GANConfig
    rng: np.random.Generator
    d_nets: tuple[MLP, ...]
    g_nets: tuple[MLP, ...]
    opt_D: Adam | SGD
    opt_G: Adam | SGD

    def __init__(self) -> None:
        for net in (*self.g_nets, *self.d_nets):
            if net.flat_params.dtype != np.dtype(self.config.dtype):
                raise ValueError(
                    f"`config.dtype` must be {net.flat_params.dtype.name!r} for"
                    f" {type(self).__name__}, whose networks train in that precision only"
                    f" (got {self.config.dtype!r})"
                )
        _perturb_initial((*self.g_nets, *self.d_nets))
        self.history = History()
        self.iteration = 0

    def _optimizer(self, nets: tuple[MLP, ...], lr: float) -> Adam | SGD:
        """One optimiser (``config.optimizer``) over the parameters of all of ``nets``."""
        c = self.config
        params = [net.flat_params for net in nets]
        if c.optimizer == "adam":
            return Adam(params, lr=lr, betas=tuple(c.betas))
        return SGD(params, lr=lr, momentum=c.momentum)

    def _set_lrs(self, fraction: float) -> None:
        for opt, lr in ((self.opt_D, self.config.lr_d), (self.opt_G, self.config.lr_g)):
            opt.config = dataclasses.replace(opt.config, lr=lr * fraction)

    def discriminator_step(self) -> float:
        """One step of the discriminator side; returns its minibatch loss."""
        raise NotImplementedError

    def generator_step(self) -> float:
        """One step of the generator side; returns its minibatch loss."""
        raise NotImplementedError

    def _discriminator_update(self) -> float:
        """The end of a discriminator step of a single-discriminator game, once ``_d_input``
        holds m data rows over m generated ones: D's loss on them, its gradient, one optimiser
        step (and the weight clipping of a clipped critic); returns the loss."""
        m, D = self.config.m, self.D
        logits = D.forward(self._d_input)
        loss, self._dL_dlogits[:m], self._dL_dlogits[m:] = self._d_loss(logits[:m], logits[m:])
        D.backward(self._dL_dlogits, input_grad=False)  # the input is data: no dL/dx
        self.opt_D.step([D.flat_grads])
        if self.config.clip is not None:
            clip_weights([D.flat_params], c=self.config.clip)
        return loss

    # -- training loops ---------------------------------------------------------------------------
    def train(
        self,
        steps: int | None = None,
        *,
        monitors: Mapping[str, Monitor] | None = None,
        progress: bool | Callable[[str], None] = False,
    ) -> Game:
        """Run ``steps`` iterations of Algorithm 1 (``config.steps`` by default); returns ``self``.

        ``monitors`` maps names to functions ``f(gan) -> float`` recorded in :attr:`history`
        every ``config.log_every`` iterations (and after the last one) next to the losses;
        they must not draw from ``gan.rng``. They run outside the floating-point trap of the
        steps; one that raises (or returns something ``float`` rejects) stops training with a
        :class:`MonitorError` naming it and the iteration. ``progress=True`` prints one line per
        log entry to stderr; a callable receives the line instead.

        Raises
        ------
        TrainingDivergedError
            When the run diverges (the criterion is :class:`TrainingDivergedError`'s).
        MonitorError
            When a monitor fails.
        """
        return self._run(steps, monitors, progress, train_g=True)

    def train_discriminator(
        self,
        steps: int,
        *,
        monitors: Mapping[str, Monitor] | None = None,
        progress: bool | Callable[[str], None] = False,
    ) -> Game:
        """Train D alone against the fixed current G for ``steps`` discriminator steps.

        The inner loop of Algorithm 1 run to convergence: with enough capacity and steps, D
        approaches :math:`D^*_G = p_{data} / (p_{data} + p_g)` (Goodfellow et al. 2014, Prop. 1).
        The step size decays by ``config.lr_decay`` over the ``steps``.
        """
        return self._run(steps, monitors, progress, train_g=False)

    @one_blas_thread
    def _run(
        self,
        steps: int | None,
        monitors: Mapping[str, Monitor] | None,
        progress: bool | Callable[[str], None],
        *,
        train_g: bool,
    ) -> Game:
        c = self.config
        steps = c.steps if steps is None else steps
        _int_at_least(steps, "steps", 0)
        monitors = dict(monitors or {})
        for name, f in monitors.items():
            if not callable(f):
                raise TypeError(f"`monitors[{name!r}]` must be callable (got {f!r})")
        say = None
        if progress is True:
            say = lambda line: print(line, file=sys.stderr)  # noqa: E731
        elif callable(progress):
            say = progress
        start = self.iteration
        if not self.history.iterations:
            self._log(math.nan, math.nan, monitors, say)
        inner = c.k if train_g else 1
        try:
            for t in range(steps):
                if c.lr_decay != 1.0:
                    self._set_lrs(c.lr_decay ** (t / max(steps - 1, 1)))
                self.iteration = it = start + t + 1
                loss_d = loss_g = math.nan
                for j in range(inner):
                    phase = f"discriminator step {j + 1}/{inner}"
                    loss_d = self._guard(
                        self.discriminator_step, self.d_nets, it, phase, "loss_d"
                    )
                if train_g:
                    loss_g = self._guard(
                        self.generator_step, self.g_nets, it, "generator step", "loss_g"
                    )
                if it % c.log_every == 0 or t == steps - 1:
                    self._log(loss_d, loss_g, monitors, say)
        finally:
            if c.lr_decay != 1.0:
                self._set_lrs(1.0)
        return self

    def _guard(
        self, step: Callable[[], float], nets: tuple[MLP, ...], it: int, phase: str, name: str
    ) -> float:
        """Run one step under the floating-point trap and apply the divergence criterion."""
        c = self.config
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
                loss = step()
        except FloatingPointError as exc:  # overflow / invalid operation, under np.errstate
            raise TrainingDivergedError(it, phase, f"floating-point error: {exc}") from exc
        except ValueError as exc:  # gantheory.nn rejects non-finite inputs and logits
            if "finite" not in str(exc) and "overflows" not in str(exc):
                raise
            raise TrainingDivergedError(it, phase, str(exc)) from exc
        if not math.isfinite(loss):
            raise TrainingDivergedError(it, phase, f"{name} = {loss!r}")
        flat = nets[0].flat_params if len(nets) == 1 else np.concatenate(
            [net.flat_params for net in nets]
        )
        if not np.isfinite(flat).all():
            bad = int(np.count_nonzero(~np.isfinite(flat)))
            raise TrainingDivergedError(it, phase, f"{bad} non-finite parameter(s) after update")
        if abs(loss) > c.max_loss:
            raise TrainingDivergedError(
                it, phase, f"{name} = {loss:.3g} exceeds max_loss = {c.max_loss:g} nats"
            )
        biggest = float(np.max(np.abs(flat)))
        if biggest > c.max_param:
            raise TrainingDivergedError(
                it, phase, f"a parameter of magnitude {biggest:.3g} exceeds max_param ="
                f" {c.max_param:g}"
            )
        return loss

    def _log(
        self,
        loss_d: float,
        loss_g: float,
        monitors: Mapping[str, Monitor],
        say: Callable[[str], None] | None,
    ) -> None:
        h = self.history
        h.iterations.append(self.iteration)
        h.loss_d.append(float(loss_d))
        h.loss_g.append(float(loss_g))
        for name, f in monitors.items():
            try:
                v = f(self)
                v = float(v)
            except Exception as exc:
                raise MonitorError(name, self.iteration, f"{type(exc).__name__}: {exc}") from exc
            h.measurements.setdefault(name, []).append(v)
        if say is not None:
            extra = "".join(f"  {n} {h.measurements[n][-1]:.4g}" for n in monitors)
            say(f"iteration {self.iteration}: loss_d {loss_d:.4f}  loss_g {loss_g:.4f}{extra}")


class GAN(Game):
    """A generator and a discriminator trained on 1-D data by Algorithm 1.

    Parameters
    ----------
    data : scipy.stats frozen continuous distribution or Mixture
        The data distribution :math:`p_{data}` (sampled through ``rng`` only).
    config : GANConfig
    rng : numpy.random.Generator
        The only source of randomness: initial weights, data, noise.

    Attributes
    ----------
    G, D : MLP
        Generator ``noise_dim -> 1`` and discriminator ``1 -> 1`` (a logit), in the precision
        ``config.dtype`` (or ``GANTHEORY_GAN_DTYPE``, see the module docstring).
    history : History
    iteration : int
        Generator steps taken so far.

    Examples
    --------
    >>> from scipy import stats
    >>> cfg = GANConfig(steps=3, m=8, log_every=1)
    >>> a = GAN(stats.norm(2, 0.5), config=cfg, rng=np.random.default_rng(0)).train()
    >>> b = GAN(stats.norm(2, 0.5), config=cfg, rng=np.random.default_rng(0)).train()
    >>> np.array_equal(a.G.flat_params, b.G.flat_params), len(a.history.iterations)
    (True, 4)
    """

    def __init__(self, data: object, *, config: GANConfig, rng: np.random.Generator) -> None:
        if not is_continuous(data):
            raise TypeError(
                "`data` must be a scipy.stats frozen 1-D continuous distribution or a Mixture"
                f" (got {type(data).__name__})"
            )
        if not isinstance(config, GANConfig):
            raise TypeError(f"`config` must be a GANConfig (got {type(config).__name__})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        c = self.config = _dtype_override(config)
        self.data, self.rng = data, rng
        dtype = np.dtype(c.dtype)
        self.G = MLP([c.noise_dim, *c.g_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.D = MLP([1, *c.d_hidden, 1], c.activation, rng=rng, dtype=dtype)
        self.d_nets, self.g_nets = (self.D,), (self.G,)
        self.opt_G = self._optimizer(self.g_nets, c.lr_g)
        self.opt_D = self._optimizer(self.d_nets, c.lr_d)
        self._sampler = _Sampler(data, rng, chunk=max(8192, 16 * c.m))
        self._d_input = np.empty((2 * c.m, 1), dtype)  # [real; fake] for one discriminator pass
        self._dL_dlogits = np.empty((2 * c.m, 1), dtype)
        self._z = np.empty((c.m, c.noise_dim), dtype)
        self._z64 = None if dtype == np.float64 else np.empty((c.m, c.noise_dim))  # draws
        obj = c.objective
        self._d_loss = obj.discriminator_loss
        self._g_loss = functools.partial(obj.generator_loss, which=c.generator_loss)
        Game.__init__(self)

    def sample_noise(self, out: np.ndarray) -> np.ndarray:
        """Fill ``out`` (shape ``(n, noise_dim)``) with draws from :math:`p_z` (drawn in float64,
        rounded for a float32 ``out``)."""
        return _fill_noise(self.rng, self.config.noise, out, self._z64)

    # -- the two steps of Algorithm 1 ------------------------------------------------------------
    def discriminator_step(self) -> float:
        """One ascent step of :math:`\\hat V` in :math:`\\theta_d`; returns :math:`-\\hat V`."""
        m = self.config.m
        self._sampler.draw(self._d_input[:m])
        self._d_input[m:] = self.G.forward(self.sample_noise(self._z))
        return self._discriminator_update()

    def generator_step(self) -> float:
        """One descent step of the generator loss in :math:`\\theta_g` (D is not updated)."""
        fake_logits = self.D.forward(self.G.forward(self.sample_noise(self._z)))
        loss, dL_dlogits = self._g_loss(fake_logits)
        dL_dfake = self.D.backward(dL_dlogits, param_grads=False)  # chain through D
        self.G.backward(dL_dfake, input_grad=False)  # the input is noise: no dL/dz
        self.opt_G.step([self.G.flat_grads])
        return loss

    # -- trained networks as functions ----------------------------------------------------------
    def discriminator(self) -> TrainedDiscriminator | TrainedCritic:
        """A snapshot of D usable with :func:`gantheory.value` (with an exact ``.logit``), or of
        the critic for an objective whose discriminator is an unbounded critic."""
        if self.config.objective.is_probability:
            return TrainedDiscriminator(self.D)
        return TrainedCritic(self.D)

    def generator(self) -> Generator1D:
        """A snapshot of G as a function of 1-D noise with its exact push-forward density (on
        a float64 copy of G, which :class:`~gantheory.pushforward.Generator1D` makes)."""
        return Generator1D(self.G, noise=self.config.noise)

    def sample(self, n: int, *, rng: np.random.Generator) -> np.ndarray:
        """``n`` generator samples, shape ``(n,)``, drawing the noise from ``rng`` (float64,
        through a float64 copy of a G trained in float32)."""
        _int_at_least(n, "n", 1)
        z = _fill_noise(rng, self.config.noise, np.empty((n, self.config.noise_dim)))
        return _float64(self.G).forward(z)[:, 0].copy()


def train(
    data: object,
    *,
    config: GANConfig | None = None,
    rng: np.random.Generator,
    monitors: Mapping[str, Monitor] | None = None,
    progress: bool | Callable[[str], None] = False,
) -> GAN:
    """Build a :class:`GAN` for ``data`` and train it for ``config.steps`` iterations.

    Examples
    --------
    >>> from scipy import stats
    >>> gan = train(stats.norm(0, 1), config=GANConfig(steps=50, m=16, log_every=25),
    ...             rng=np.random.default_rng(1))
    >>> gan.history.iterations
    [0, 25, 50]
    """
    gan = GAN(data, config=GANConfig() if config is None else config, rng=rng)
    return gan.train(monitors=monitors, progress=progress)
