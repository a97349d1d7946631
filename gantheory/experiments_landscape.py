r"""Experiments E5 and E6: the flat JSD between distant Gaussians, and mode coverage.

* E5 :func:`jsd_vs_distance` — for :math:`p = N(0, 1)` and :math:`q = N(d, 1)`, the JSD tends
  to :math:`\log 2` and its derivative in :math:`d` to 0 as :math:`d` grows, so the generator of
  a GAN trained against an optimal discriminator gets no gradient when :math:`p_g` is far from
  :math:`p_{data}` (Arjovsky & Bottou 2017, Sec. 2; figure after Wang, She & Ward 2019, Fig. 4).
* E6 :func:`mode_coverage` — how many modes of a mixture of well-separated Gaussians trained
  generators cover, over seeds (mode collapse, Goodfellow 2016, Sec. 5.1.1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from gantheory.distributions import Mixture, as_continuous
from gantheory.divergences import jsd
from gantheory.gan import GAN, GANConfig
from gantheory.quadrature import integrate_pieces

__all__ = [
    "E6_CONFIG",
    "E6_DATA",
    "E5Result",
    "E6Result",
    "distance_for_jsd",
    "djsd_dd",
    "jsd_vs_distance",
    "mode_coverage",
]

_LOG2 = math.log(2.0)


# -- E5 -------------------------------------------------------------------------------------------
def djsd_dd(d: float, *, full_output: bool = False) -> float | tuple[float, float]:
    r""":math:`\frac{d}{dd}\mathrm{JSD}(N(0, 1) \| N(d, 1))` by quadrature.

    Differentiating under the integral, with :math:`m = (p + q)/2` and
    :math:`\partial_d q = (x - d)\,q`, the terms in :math:`\partial_d m` cancel
    (:math:`\int \partial_d q = 0`), leaving

    .. math:: \frac{d\,\mathrm{JSD}}{dd} = \frac12 \int (x - d)\, q(x) \log\frac{q(x)}{m(x)}\,dx.

    Examples
    --------
    >>> from gantheory.divergences import jsd
    >>> h = 1e-4
    >>> fd = (jsd(stats.norm(0, 1), stats.norm(2 + h, 1))
    ...       - jsd(stats.norm(0, 1), stats.norm(2 - h, 1))) / (2 * h)
    >>> bool(abs(djsd_dd(2.0) - fd) < 1e-7)
    True
    """
    p, q = as_continuous(stats.norm(0.0, 1.0), "p"), as_continuous(stats.norm(d, 1.0), "q")

    def integrand(x: float, logs: tuple[float, ...]) -> float:
        lp, lq = logs
        if lq == -math.inf:
            return 0.0
        lm = float(np.logaddexp(lp, lq)) - _LOG2
        return 0.5 * (x - d) * math.exp(lq) * (lq - lm)

    est = integrate_pieces(integrand, [p, q], what="dJSD/dd")
    return (est.value, est.abserr) if full_output else est.value


@dataclass(frozen=True)
class E5Result:
    """E5: JSD of two unit-variance Gaussians and its derivative against the mean distance."""

    distances: np.ndarray  # (n,) d
    jsd: np.ndarray  # (n,) JSD(N(0,1) || N(d,1)), nats, quadrature
    jsd_abserr: np.ndarray  # (n,) quadrature error bounds
    djsd: np.ndarray  # (n,) dJSD/dd by quadrature of the differentiated integrand
    djsd_abserr: np.ndarray  # (n,)
    djsd_fd: np.ndarray  # (n,) central differences of jsd with step 1e-4 (independent check)
    d_at_0336: float  # the distance with JSD = 0.336 (the seed's "closer" Gaussians)
    d_at_0693: float  # the smallest distance from which JSD rounds to 0.693 (>= 0.6925)


def _jsd_d(d: float) -> float:
    return float(jsd(stats.norm(0.0, 1.0), stats.norm(d, 1.0)))


def distance_for_jsd(target: float) -> float:
    r"""The distance :math:`d \ge 0` with :math:`\mathrm{JSD}(N(0,1) \| N(d,1)) =` ``target``.

    The JSD increases strictly from 0 to :math:`\log 2` in :math:`d`, so the root is unique;
    Brent's method to ``xtol = 1e-8`` (the JSD's slope is at most 0.233, so the JSD at the root
    is within 3e-9 of ``target``).
    """
    if not 0.0 < target < _LOG2:
        raise ValueError(f"`target` must lie in (0, log 2) (got {target!r})")
    return float(optimize.brentq(lambda t: _jsd_d(t) - target, 0.0, 40.0, xtol=1e-8))


def jsd_vs_distance(
    *, distances: np.ndarray | None = None, fd_step: float = 1e-4, solve: bool = True
) -> E5Result:
    r"""E5: :math:`\mathrm{JSD}(N(0,1) \| N(d,1))` and its derivative over ``distances``.

    Reproduces the figure of Wang, She & Ward (2019, Fig. 4) quoted by the tutorial "The Math
    Behind GANs" ("JS divergence and gradient change with the distance between Pr and Pg"), and
    solves for the distances behind the tutorial's numbers: JSD = 0.693 for the far-apart pairs
    and 0.336 for the closer one (``solve=False`` skips that, giving NaN).
    """
    d = np.linspace(0.0, 10.0, 41) if distances is None else np.asarray(distances, float)
    j, je, g, ge, fd = [], [], [], [], []
    for di in d:
        est = jsd(stats.norm(0.0, 1.0), stats.norm(di, 1.0), full_output=True)
        j.append(est.value)
        je.append(est.abserr)
        v, e = djsd_dd(float(di), full_output=True)
        g.append(v)
        ge.append(e)
        fd.append((_jsd_d(di + fd_step) - _jsd_d(di - fd_step)) / (2 * fd_step))
    d336 = distance_for_jsd(0.336) if solve else math.nan
    d693 = distance_for_jsd(0.6925) if solve else math.nan
    return E5Result(d, np.array(j), np.array(je), np.array(g), np.array(ge), np.array(fd),
                    float(d336), float(d693))


# -- E6 -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class E6Result:
    """E6: mode coverage of trained generators on a mixture of separated Gaussians."""

    means: np.ndarray  # (K,) mode centres μ_j
    sds: np.ndarray  # (K,) mode standard deviations σ_j
    weights: np.ndarray  # (K,) mode weights w_j
    seeds: tuple[int, ...]
    mode_mass: np.ndarray  # (n_seeds, K) P_g(|x - μ_j| <= 3σ_j), exact (push-forward cdf)
    covered: np.ndarray  # (n_seeds,) modes covered per seed (see mode_coverage)
    quality: np.ndarray  # (n_seeds,) P_g(within 3σ_j of some μ_j): mass not wasted in gaps
    jsd: np.ndarray  # (n_seeds,) JSD(p_data, p_g), nats


#: E6 trains with E2's configuration (gantheory.experiments.E2_CONFIG).
E6_CONFIG = GANConfig(k=3, m=256, steps=4000, lr_d=1e-3, lr_g=3e-4, lr_decay=0.1, log_every=4000)
E6_DATA = Mixture([stats.norm(mu, 0.25) for mu in (-4.5, -1.5, 1.5, 4.5)])


def mode_coverage(
    *, seeds: tuple[int, ...], data: Mixture = E6_DATA, config: GANConfig = E6_CONFIG
) -> E6Result:
    r"""E6: train a GAN per seed on a mixture of Gaussians and count the modes it covers.

    Coverage metric: mode :math:`j` (centre :math:`\mu_j`, scale :math:`\sigma_j`, weight
    :math:`w_j`) is *covered* when the generator puts at least half the mode's own weight
    within three of its standard deviations,

    .. math:: P_g(|x - \mu_j| \le 3\sigma_j) \ge \tfrac12 w_j,

    computed exactly from the push-forward distribution function
    (:meth:`gantheory.pushforward.Generator1D.mass`). ``quality`` is the generator's mass within
    :math:`3\sigma_j` of any mode (the rest falls in the gaps, which a continuous generator of
    connected noise must bridge).

    Measured on ``E6_DATA`` (four modes at ±1.5, ±4.5, scale 0.25) over seeds 0-4: every seed
    covers the two outer modes only (0.25 to 0.40 of the mass each) and leaves the inner ones
    with 0.04 to 0.07 (threshold 0.125); 66% to 82% of the mass lies near some mode.
    """
    means = np.array([c.mean() for c in data.components])
    sds = np.array([c.std() for c in data.components])
    w = np.asarray(data.weights)
    masses, quality, js = [], [], []
    for s in seeds:
        gan = GAN(data, config=config, rng=np.random.default_rng(s)).train()
        gen = gan.generator()
        m = np.array([gen.mass(mu - 3 * sd, mu + 3 * sd) for mu, sd in zip(means, sds)])
        masses.append(m)
        quality.append(float(m.sum()))
        js.append(float(jsd(data, gen.pushforward())))
    mass = np.array(masses)
    covered = (mass >= 0.5 * w).sum(axis=1)
    return E6Result(means, sds, w, tuple(seeds), mass, covered, np.array(quality), np.array(js))
