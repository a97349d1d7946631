r"""The exact distribution of a 1-D generator's output, :math:`p_g = G_\# p_z`.

For a differentiable :math:`G: \mathbb{R} \to \mathbb{R}` and noise :math:`z \sim p_z`, the
change-of-variables formula gives the density of :math:`x = G(z)` as a sum over the roots
:math:`z_i` of :math:`G(z) = x`,

.. math:: p_g(x) = \sum_{i:\ G(z_i) = x} \frac{p_z(z_i)}{|G'(z_i)|},

and its distribution function as the noise mass of :math:`\{z : G(z) \le x\}`. A trained
generator is often *not* monotone: it folds the noise line, and at a fold value
:math:`x_f = G(z_f)`, :math:`G'(z_f) = 0`, the density has an integrable singularity
:math:`\propto |x - x_f|^{-1/2}`.

:class:`Generator1D` evaluates :math:`G` and :math:`G'` together by forward-mode
differentiation of the :class:`~gantheory.nn.MLP`, tabulates them on a fine grid of the noise,
locates every fold :math:`z_f` (a sign change of :math:`G'`, refined by Brent's method) and so
splits the noise line into monotone *branches*. In each branch a root of :math:`G(z) = x` is
bracketed by a grid cell and refined by safeguarded Newton iteration to about 1e-16 relative, so
:math:`p_g` is exact to rounding. :meth:`Generator1D.pushforward` wraps it as a
:class:`~gantheory.distributions.Continuous` whose quadrature landmarks include the fold values,
so :func:`gantheory.jsd` integrates the singularities at piece ends and its ``abserr`` bounds the
error. Limits, stated: normal noise is tabulated on :math:`|z| \le 11.5` (the
:math:`2.4 \times 10^{-30}` of noise mass beyond is dropped), and a pair of folds closer than
one grid cell (:math:`2.8 \times 10^{-3}` in :math:`z`) would go unseen.
"""

from __future__ import annotations

import copy

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

from gantheory.distributions import Continuous
from gantheory.nn import MLP

__all__ = ["Generator1D", "PushForward"]

#: Half-width of the tabulated range of normal noise: 2 Φ(−11.5) ≈ 2.4e-30 of mass lies beyond.
Z_MAX_NORMAL = 11.5
#: Grid nodes of the tabulation (a cell of 2.8e-3 for normal noise).
GRID_SIZE = 8193
_NEWTON_ITERS = 60
_Z_RTOL = 1e-9  # stop after a Newton step this small (relative); the error is then ~1e-18
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
#: Noise quantiles whose images under G are quadrature landmarks (as for scipy distributions).
_LANDMARK_PROBS = np.array([1e-250, 1e-120, 1e-60, 1e-30, 1e-15, 1e-9, 1e-4, 0.01, 0.1, 0.5])


class _Branch:
    """A monotone piece of G: noise nodes ``z`` (increasing) and their images ``g``."""

    def __init__(
        self, z: np.ndarray, g: np.ndarray, dg: np.ndarray, z_lo: float, z_hi: float
    ) -> None:
        self.z, self.g = z, g
        self.z_lo, self.z_hi = z_lo, z_hi  # noise interval of the branch's mass (may be ±inf)
        self.up = bool(g[-1] >= g[0])
        self.g_sorted = g if self.up else g[::-1]
        self.z_sorted = z if self.up else z[::-1]
        self.dg_sorted = dg if self.up else dg[::-1]
        self.g_min, self.g_max = float(self.g_sorted[0]), float(self.g_sorted[-1])


class Generator1D:
    """A snapshot of a generator :math:`G: \\mathbb{R} \\to \\mathbb{R}` with its push-forward.

    Parameters
    ----------
    net : MLP
        A network with sizes ``[1, ..., 1]`` (copied: later training does not change it).
    noise : {"normal", "uniform"}
        The prior :math:`p_z`: :math:`N(0, 1)` or :math:`U(-1, 1)`.

    Attributes
    ----------
    folds : ndarray
        The noise values :math:`z_f` where :math:`G'(z_f) = 0` (sorted).
    monotone : bool
        Whether G has no fold on the tabulated range.

    Examples
    --------
    An affine generator :math:`G(z) = 2z + 1` pushes :math:`N(0, 1)` to :math:`N(1, 4)`:

    >>> net = MLP([1, 1], rng=np.random.default_rng(0))
    >>> net.params[0][...] = 2.0; net.params[1][...] = 1.0
    >>> g = Generator1D(net)
    >>> x = np.array([-3.0, 1.0, 4.5])
    >>> bool(np.allclose(g.logpdf(x), stats.norm(1, 2).logpdf(x), rtol=1e-13, atol=0))
    True
    >>> bool(np.allclose(g.cdf(x), stats.norm(1, 2).cdf(x), rtol=1e-13, atol=0))
    True
    """

    def __init__(self, net: MLP, *, noise: str = "normal") -> None:
        if not isinstance(net, MLP) or net.sizes[0] != 1 or net.sizes[-1] != 1:
            raise ValueError(f"`net` must be an MLP with sizes [1, ..., 1] (got {net!r})")
        if noise not in ("normal", "uniform"):
            raise ValueError(f"`noise` must be 'normal' or 'uniform' (got {noise!r})")
        self.net = copy.deepcopy(net)
        self.noise = noise
        self.p_z = stats.norm() if noise == "normal" else stats.uniform(-1.0, 2.0)
        z_max = Z_MAX_NORMAL if noise == "normal" else 1.0
        z = np.linspace(-z_max, z_max, GRID_SIZE)
        g, dg = self.value_and_derivative(z)
        self.folds = self._find_folds(z, dg)
        self.monotone = self.folds.size == 0
        self.branches = self._split(z, g, dg, z_max)
        self._layers = [
            (layer.W[0] if layer.fan_in == 1 else layer.W, layer.b, act)
            for layer, act in zip(self.net.layers, self.net.activations, strict=True)
        ]
        self._pushforward: PushForward | None = None

    # -- G and G' ---------------------------------------------------------------------------------
    def value_and_derivative(self, z: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """:math:`G(z)` and :math:`G'(z)` by forward-mode differentiation, shapes of ``z``.

        Layer by layer, :math:`a = W^\\top h + b` and :math:`\\dot a = W^\\top \\dot h`, then
        :math:`h = \\sigma(a)` and :math:`\\dot h = \\sigma'(a)\\,\\dot a` (the activation's own
        backward rule, which is elementwise), starting from :math:`h = z, \\dot h = 1`.
        """
        z = np.asarray(z, dtype=np.float64)
        h = z.reshape(-1, 1)
        dh = np.ones_like(h)
        for layer, act in zip(self.net.layers, self.net.activations, strict=True):
            a = h @ layer.W + layer.b  # (n, i) @ (i, o) -> (n, o)
            da = dh @ layer.W  # (n, i) @ (i, o) -> (n, o)
            h = act.forward(a)
            dh = act.backward(h, da)
        return h.reshape(z.shape), dh.reshape(z.shape)

    def __call__(self, z: npt.ArrayLike) -> np.ndarray:
        """:math:`G(z)`, shape of ``z``."""
        return self.value_and_derivative(z)[0]

    def derivative(self, z: npt.ArrayLike) -> np.ndarray:
        """:math:`G'(z)`, shape of ``z``."""
        return self.value_and_derivative(z)[1]

    def _find_folds(self, z: np.ndarray, dg: np.ndarray) -> np.ndarray:
        folds = list(z[dg == 0.0])
        for k in np.flatnonzero(dg[:-1] * dg[1:] < 0):
            folds.append(optimize.brentq(lambda t: float(self.derivative(t)), z[k], z[k + 1],
                                         xtol=1e-15, rtol=4 * np.finfo(float).eps))
        return np.unique(np.asarray(folds, dtype=np.float64))

    def _split(self, z: np.ndarray, g: np.ndarray, dg: np.ndarray, z_max: float) -> list[_Branch]:
        ends = np.concatenate([[z[0]], self.folds, [z[-1]]])
        tail = np.inf if self.noise == "normal" else z_max
        branches = []
        for i in range(ends.size - 1):
            a, b = ends[i], ends[i + 1]
            inner = (z > a) & (z < b)
            zb = np.concatenate([[a], z[inner], [b]])
            gb, dgb = self.value_and_derivative(zb)
            gb[1:-1], dgb[1:-1] = g[inner], dg[inner]  # the tabulated values, bit for bit
            z_lo = -tail if i == 0 else a
            z_hi = tail if i == ends.size - 2 else b
            branches.append(_Branch(zb, gb, dgb, z_lo, z_hi))
        return branches

    # -- roots of G(z) = x ------------------------------------------------------------------------
    def _refine(
        self, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, g_lo: np.ndarray, g_hi: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The root of :math:`G(z) = x` in each bracket ``[lo, hi]`` (with ``g_lo = G(lo) - x``
        and ``g_hi = G(hi) - x`` of opposite signs) and :math:`G'` there.

        Newton steps from the secant point, falling back to bisection when a step leaves the
        bracket; stops after a step below 1e-9 relative, whose successor would be below 1e-18
        by quadratic convergence, then evaluates :math:`G'` at the root.
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(g_hi != g_lo, g_lo / (g_lo - g_hi), 0.5)
        z = lo + np.clip(t, 0.0, 1.0) * (hi - lo)  # secant start
        lo, hi, up = lo.copy(), hi.copy(), g_hi >= g_lo  # up: G increases through the root
        for _ in range(_NEWTON_ITERS):
            g, dg = self.value_and_derivative(z)
            g = g - x
            right = (g < 0) == up  # the root lies right of z
            lo, hi = np.where(right, z, lo), np.where(right, hi, z)
            with np.errstate(divide="ignore", invalid="ignore"):
                z_new = z - g / dg
            bad = ~np.isfinite(z_new) | (z_new < lo) | (z_new > hi)
            z_new = np.where(bad | (g == 0), np.where(g == 0, z, 0.5 * (lo + hi)), z_new)
            done = (np.abs(z_new - z) <= _Z_RTOL * (1.0 + np.abs(z))) & ~bad
            z = z_new
            if done.all():
                break
        return z, self.derivative(z)

    def _branch_roots(
        self, br: _Branch, x: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Roots in branch ``br`` of :math:`G(z) = x` for the ``x`` in its range, :math:`G'`
        there, and the mask of those ``x``."""
        inside = (x >= br.g_min) & (x <= br.g_max)
        if not inside.any():
            return np.empty(0), np.empty(0), inside
        xi = x[inside]
        k = np.clip(np.searchsorted(br.g_sorted, xi, side="right") - 1, 0, br.g.size - 2)
        za, zb = br.z_sorted[k], br.z_sorted[k + 1]
        ga, gb = br.g_sorted[k] - xi, br.g_sorted[k + 1] - xi
        swap = za > zb  # a decreasing branch: sorted by g, so z runs backwards
        lo, hi = np.where(swap, zb, za), np.where(swap, za, zb)
        g_lo, g_hi = np.where(swap, gb, ga), np.where(swap, ga, gb)
        z, dg = self._refine(xi, lo, hi, g_lo, g_hi)
        return z, dg, inside

    def _value_and_derivative_1(self, z: float) -> tuple[float, float]:
        """:meth:`value_and_derivative` at one point, without the batch bookkeeping."""
        h, dh = None, None
        for W, b, act in self._layers:
            if h is None:  # first layer, W of shape (o,)
                a, da = W * z + b, W.copy()
            else:
                a, da = h @ W + b, dh @ W  # (i,) @ (i, o) -> (o,)
            h = act.forward(a)
            dh = act.backward(h, da)
        return float(h[0]), float(dh[0])

    def _root_1(self, br: _Branch, x: float) -> tuple[float, float] | None:
        """The root of :math:`G(z) = x` in branch ``br`` and :math:`G'` there (scalar path).

        Starts from the root of the cubic Hermite interpolant of the tabulated :math:`G, G'`
        on the bracketing cell (error :math:`O(h^4)`, about 1e-11), then takes Newton steps on
        the network itself, safeguarded by bisection, as :meth:`_refine` does.
        """
        if not br.g_min <= x <= br.g_max:
            return None
        n = br.g_sorted.size
        k = min(max(int(np.searchsorted(br.g_sorted, x, side="right")) - 1, 0), n - 2)
        za, zb = float(br.z_sorted[k]), float(br.z_sorted[k + 1])
        ga, gb = float(br.g_sorted[k]) - x, float(br.g_sorted[k + 1]) - x
        da, db = float(br.dg_sorted[k]), float(br.dg_sorted[k + 1])
        if za > zb:
            za, zb, ga, gb, da, db = zb, za, gb, ga, db, da
        w, up = zb - za, gb >= ga
        s = ga / (ga - gb) if ga != gb else 0.5
        for _ in range(4):  # Newton on the Hermite cubic H(s), s in [0, 1]
            s2, s3 = s * s, s * s * s
            hs = ((2 * s3 - 3 * s2 + 1) * ga + (s3 - 2 * s2 + s) * w * da
                  + (-2 * s3 + 3 * s2) * gb + (s3 - s2) * w * db)
            dhs = ((6 * s2 - 6 * s) * ga + (3 * s2 - 4 * s + 1) * w * da
                   + (-6 * s2 + 6 * s) * gb + (3 * s2 - 2 * s) * w * db)
            if dhs == 0.0:
                break
            s = min(max(s - hs / dhs, 0.0), 1.0)
        lo, hi, z = za, zb, za + s * w
        for _ in range(_NEWTON_ITERS):
            g, dg = self._value_and_derivative_1(z)
            g -= x
            if g == 0.0:
                return z, dg
            if (g < 0) == up:
                lo = z
            else:
                hi = z
            z_new = z - g / dg if dg != 0.0 else lo - 1.0
            if not lo <= z_new <= hi:
                z_new = 0.5 * (lo + hi)
            elif abs(z_new - z) <= _Z_RTOL * (1.0 + abs(z)):
                return z_new, self._value_and_derivative_1(z_new)[1]
            z = z_new
        return z, self._value_and_derivative_1(z)[1]

    def roots(self, x: float) -> np.ndarray:
        """All roots of :math:`G(z) = x` on the tabulated noise range, sorted."""
        x = np.array([float(x)])
        found = [self._branch_roots(br, x)[0] for br in self.branches]
        return np.unique(np.concatenate(found))

    # -- the push-forward density and distribution function -------------------------------------
    def logpdf(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`\\log p_g(x)`, shape of ``x`` (``-inf`` outside the range of G, ``+inf`` at a
        fold value)."""
        x = np.asarray(x, dtype=np.float64)
        if x.size == 1:  # the quadrature's scalar calls: a faster path
            total = -np.inf
            for br in self.branches:
                root = self._root_1(br, float(x.reshape(())))
                if root is not None:
                    z, dg = root
                    log_pz = float(self._log_pz(np.array(z)))
                    term = log_pz - np.log(abs(dg)) if dg != 0.0 else np.inf
                    total = float(np.logaddexp(total, term))
            return np.full(x.shape, total)
        flat = x.reshape(-1)
        out = np.full(flat.shape, -np.inf)
        for br in self.branches:
            z, dg, inside = self._branch_roots(br, flat)
            if z.size:
                with np.errstate(divide="ignore"):
                    term = self._log_pz(z) - np.log(np.abs(dg))
                out[inside] = np.logaddexp(out[inside], term)
        return out.reshape(x.shape)

    def _log_pz(self, z: np.ndarray) -> np.ndarray:
        """Log-density of the noise at points of its support (all roots lie inside it)."""
        if self.noise == "normal":
            return -0.5 * z * z - _LOG_SQRT_2PI
        return np.full(z.shape, -np.log(2.0))

    def pdf(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`p_g(x)`, shape of ``x``."""
        return np.exp(self.logpdf(x))

    def cdf(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`F_g(x) = P_z\\{G(z) \\le x\\}`, summed over the monotone branches."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        out = np.zeros(flat.shape)
        for br in self.branches:
            c_lo, c_hi = self.p_z.cdf(br.z_lo), self.p_z.cdf(br.z_hi)
            out[flat > br.g_max] += c_hi - c_lo  # the whole branch lies below x
            z, _, inside = self._branch_roots(br, flat)
            c = self.p_z.cdf(z)
            out[inside] += (c - c_lo) if br.up else (c_hi - c)
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def mass(self, a: float, b: float) -> float:
        """:math:`P_g(a < x \\le b) = F_g(b) - F_g(a)`."""
        fa, fb = self.cdf(np.array([a, b]))
        return float(fb - fa)

    def landmarks(self) -> np.ndarray:
        """Points where quadrature must split: images of noise quantiles, fold values, ends."""
        q = np.concatenate([self.p_z.ppf(_LANDMARK_PROBS), self.p_z.isf(_LANDMARK_PROBS)])
        pts = [self(q), self(self.folds)]
        pts += [np.array([br.g_min, br.g_max]) for br in self.branches]
        out = np.concatenate(pts)
        return np.unique(out[np.isfinite(out)])

    def pushforward(self) -> PushForward:
        """:math:`p_g` as a continuous distribution for :func:`gantheory.jsd`, ``value``, ..."""
        if self._pushforward is None:
            self._pushforward = PushForward(self)
        return self._pushforward


class PushForward(Continuous):
    """:math:`p_g = G_\\# p_z` in the interface :mod:`gantheory.quadrature` integrates.

    Accepted wherever gantheory takes a continuous distribution (:func:`gantheory.jsd`,
    :func:`gantheory.value`, :func:`gantheory.optimal_discriminator`). Its landmarks are the
    images of the noise quantiles, the fold values and the branch ends, so every singularity of
    the density sits at the end of a quadrature piece.
    """

    def __init__(self, generator: Generator1D) -> None:
        super().__init__(generator)

    def _scalar_logpdf(self, x: float) -> float:
        return float(self.source.logpdf(np.array([x]))[0])

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        return self.source.logpdf(x)

    def support(self) -> tuple[float, float]:
        if self.source.noise == "normal":
            return -np.inf, np.inf
        br = self.source.branches
        return min(b.g_min for b in br), max(b.g_max for b in br)

    def landmarks(self) -> np.ndarray:
        return self.source.landmarks()

    def __repr__(self) -> str:
        return f"PushForward({self.source.net!r}, noise={self.source.noise!r})"
