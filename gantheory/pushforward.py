r"""The exact distribution of a 1-D generator's output, :math:`p_g = G_\# p_z`.

For a differentiable :math:`G: \mathbb{R} \to \mathbb{R}` and noise :math:`z \sim p_z`, the
change-of-variables formula gives the density of :math:`x = G(z)` as a sum over the roots
:math:`z_i` of :math:`G(z) = x`,

.. math:: p_g(x) = \sum_{i:\ G(z_i) = x} \frac{p_z(z_i)}{|G'(z_i)|},

and its distribution function as the noise mass of :math:`\{z : G(z) \le x\}`. A trained
generator is often *not* monotone: it folds the noise line. At a fold :math:`z_f`,
:math:`G'(z_f) = 0`, the two branches that meet there both reach the fold image
:math:`x_f = G(z_f)` and the density is infinite, like :math:`|x - x_f|^{-1/2}` when
:math:`G''(z_f) \ne 0`:

.. math:: p_g(x_f \pm t) \approx \frac{2\,p_z(z_f)}{\sqrt{2\,|G''(z_f)|\,t}}.

How it is computed exactly
--------------------------
:class:`Generator1D` tabulates :math:`G, G'` on a fine grid of the noise, locates every fold
(a sign change of :math:`G'`, refined by Brent's method), and so splits the noise line into
monotone *branches*; the fold images are computed once and shared by the two branches that meet
there. Away from the folds, :math:`|G'|` is bounded below and a root of :math:`G(z) = x` is
found by safeguarded Newton iteration on G itself, from the tabulated cell that brackets it.
Within half a unit of noise of a fold :math:`z_f` (its *fold zone*) that is not accurate:
:math:`G(z_f + u) - x_f \approx \tfrac12 G''(z_f) u^2` is tiny while G itself is not, and
subtracting rounded values of G leaves an error of about :math:`\epsilon |x_f|` in it, a relative
error :math:`\epsilon |x_f| / t` in the density at distance t, which no quadrature can integrate
against a :math:`t^{-1/2}` singularity. There the root is found *from the fold*,

.. math:: \Delta(u) = G(z_f + u) - G(z_f) = T, \qquad T = (x_{near} - x_f) + t,

with the increment supplied by the map as a Taylor remainder, computed from u *without summing
first-order terms that cancel at the fold* (:meth:`Map1D.increments`; for an MLP by
propagating it through the layers), and the target T given as a distance to the fold image
that may lie far below its ulp. The density then keeps its relative accuracy down to any t,
which is why every fold image is a singular point that :mod:`gantheory.quadrature` anchors
exactly as it does a Beta end (:meth:`PushForward.singular_at`,
:meth:`PushForward.logpdf_near`). The single-point path the quadrature calls and the array path
are the same code.

Stated limits: normal noise is tabulated uniformly on :math:`|z| \le 11.5` (cells of
:math:`2.8 \times 10^{-3}`) and geometrically beyond, out to :math:`|z| = 10^{150}`; a pair of
folds closer than one cell would go unseen. A map that is constant on an interval has an atom,
not a density, and is refused — unless the interval lies so far out that its noise mass is below
:data:`DROP_MASS` (a saturated network), which is then dropped.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from gantheory.distributions import Continuous
from gantheory.nn import MLP
from gantheory.nn.layers import Identity, LeakyReLU, ReLU, Sigmoid, Tanh

__all__ = ["GRID_SIZE", "Z_MAX_NORMAL", "Generator1D", "Map1D", "Polynomial", "PushForward"]

#: Half-width of the uniformly tabulated range of normal noise; beyond it the grid goes on
#: geometrically (ratio ``_TAIL_RATIO``) out to ``_Z_FAR``.
Z_MAX_NORMAL = 11.5
#: Grid nodes of the uniform part of the tabulation (a cell of 2.8e-3 for normal noise).
GRID_SIZE = 8193
_NEWTON_ITERS = 60
#: Stop after a Newton step this small relative to |u|; quadratic convergence puts the error of
#: the step just taken near 1e-18 relative.
_U_RTOL = 1e-9
#: The geometric tails of the normal-noise grid: |z| from 11.5 out to 1e150 (log p_z = -z²/2 is
#: still finite there, and the noise mass beyond is exactly 0 in any floating-point sense).
_Z_FAR = 1e150
_TAIL_RATIO = 2.0**0.25
#: Half-width in noise of the zone around a fold where roots are found from the fold.
_FOLD_ZONE = 0.5
#: Noise mass that may be dropped where G is constant in float64 (a saturated tanh network far
#: out in the noise): dropping mass m moves a divergence by O(m |log m|), below 5e-19 here.
DROP_MASS = 1e-20
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
#: Noise quantiles whose images under G are quadrature landmarks (as for scipy distributions).
_LANDMARK_PROBS = np.array([1e-250, 1e-120, 1e-60, 1e-30, 1e-15, 1e-9, 1e-4, 0.01, 0.1, 0.5])


# -- maps -----------------------------------------------------------------------------------------
class Map1D:
    r"""A smooth map :math:`G: \mathbb{R} \to \mathbb{R}` whose push-forward can be computed.

    Subclasses implement :meth:`value_and_derivative` and :meth:`increments`, both elementwise
    over arrays. :class:`Generator1D` accepts a :class:`Map1D` or an
    :class:`~gantheory.nn.MLP` with sizes ``[1, ..., 1]`` (wrapped by an internal map that
    propagates increments through the layers). :class:`Polynomial` is a ready-made map.

    Attributes
    ----------
    smooth : bool
        Whether :math:`G'` is continuous, so that :math:`G'(z_f) = 0` exactly at a fold (for a
        piecewise-linear map, a sign change of :math:`G'` is a kink, not a zero).
    """

    smooth: bool = True

    def value_and_derivative(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:math:`G(z)` and :math:`G'(z)`, shapes of ``z``."""
        raise NotImplementedError

    def increments(
        self, z0: np.ndarray, u: np.ndarray, fold: np.ndarray | bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        r"""Increments of G and :math:`G'` from the base points :math:`z_0`, elementwise.

        .. math:: \Delta = G(z_0 + u) - G(z_0) \quad\text{or, at a fold,}\quad
                  \Delta = G(z_0 + u) - G(z_0) - u\,G'(z_0), \qquad
                  \Delta' = G'(z_0 + u) - G'(z_0),

        each to a few ulps of *its own size*, however small: computed from :math:`u`, never as
        a difference of rounded values of G or :math:`G'`; :math:`z_0 + u` is meant in exact
        arithmetic. Where ``fold`` is true, :math:`z_0` is a fold (:math:`G'(z_0) = 0` in exact
        arithmetic, a rounding-level number in float64) and the first-order term is left out
        rather than summed: what remains is the Taylor remainder, of order :math:`u^2`, which a
        sum of first-order terms that cancel would drown.
        """
        raise NotImplementedError

    def prepare(self, z0: np.ndarray) -> object:
        """Whatever :meth:`increments_at` needs about the base points ``z0`` (shape ``(k,)``),
        computed once; by default ``z0`` itself."""
        return np.asarray(z0, dtype=np.float64)

    def increments_at(
        self, state: object, index: np.ndarray, u: np.ndarray, fold: np.ndarray | bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`increments` from the base points ``z0[index]`` of a :meth:`prepare` state."""
        return self.increments(state[index], u, fold)  # type: ignore[index]

    def __call__(self, z: npt.ArrayLike) -> np.ndarray:
        """:math:`G(z)`, shape of ``z``."""
        return self.value_and_derivative(np.asarray(z, dtype=np.float64))[0]


class Polynomial(Map1D):
    r"""The polynomial map :math:`G(z) = \sum_k c_k z^k` (coefficients lowest degree first).

    Its increments come from the Taylor expansion at :math:`z_0`, which is finite and exact for
    a polynomial: :math:`\Delta = \sum_{k \ge 1} a_k u^k` with :math:`a_k = G^{(k)}(z_0)/k!`
    (Horner's shifts), and :math:`k \ge 2` at a fold.

    Examples
    --------
    :math:`G(z) = z^2` pushes :math:`N(0, 1)` to :math:`\chi^2_1`, infinite at the fold image 0:

    >>> from scipy import stats
    >>> g = Generator1D(Polynomial([0.0, 0.0, 1.0]))
    >>> g.fold_values.tolist()
    [0.0]
    >>> x = np.array([1e-12, 0.5, 3.0])
    >>> bool(np.allclose(g.logpdf(x), stats.chi2(1).logpdf(x), rtol=1e-14, atol=0))
    True
    """

    def __init__(self, coefficients: Sequence[float]) -> None:
        try:
            c = np.asarray(coefficients, dtype=np.float64)
        except (TypeError, ValueError):
            c = np.array([np.nan])
        if c.ndim != 1 or c.size < 2 or not np.isfinite(c).all():
            raise ValueError(
                f"`coefficients` must be a 1-D sequence of at least 2 finite numbers (got"
                f" {coefficients!r})"
            )
        c = np.trim_zeros(c, "b")
        if c.size < 2:
            raise ValueError(f"`coefficients` must describe a non-constant map (got {c.tolist()})")
        self.coefficients = c

    def _taylor(self, z0: np.ndarray) -> list[np.ndarray]:
        """:math:`a_k(z_0) = G^{(k)}(z_0)/k!` for k = 0..deg, by repeated synthetic division."""
        a = [np.full(z0.shape, ck) for ck in self.coefficients]  # lowest first
        n = len(a) - 1
        for k in range(n):  # shift: after pass k, a[k] is the k-th Taylor coefficient
            for j in range(n - 1, k - 1, -1):
                a[j] = a[j] + z0 * a[j + 1]
        return a

    def value_and_derivative(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = self._taylor(np.asarray(z, dtype=np.float64))
        return a[0], a[1]

    def increments(
        self, z0: np.ndarray, u: np.ndarray, fold: np.ndarray | bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        a = self._taylor(np.asarray(z0, dtype=np.float64))
        n = len(a) - 1
        r, d = np.zeros(np.shape(u)), np.zeros(np.shape(u))
        for k in range(n, 1, -1):  # Horner in u: sum_{k>=2} a_k u^k, sum_{k>=2} k a_k u^(k-1)
            r = (r + a[k]) * u
            d = (d + k * a[k]) * u
        return np.where(fold, r * u, (r + a[1]) * u), d

    def __repr__(self) -> str:
        return f"Polynomial({self.coefficients.tolist()})"


def _tanh_cf(d: np.ndarray) -> np.ndarray:
    r""":math:`K` in Lambert's continued fraction :math:`\tanh d = d / (1 + K)`,

    .. math:: K = \cfrac{d^2}{3 + \cfrac{d^2}{5 + \cfrac{d^2}{7 + \cdots}}},

    so that :math:`\tanh d - d = -d K / (1 + K)` without cancellation. Truncated at 15 for
    :math:`|d| \le 1/2`, where the truncation error is below 1e-17 relative.
    """
    d2 = d * d
    k = 15.0 + np.zeros_like(d2)
    for c in (13.0, 11.0, 9.0, 7.0, 5.0, 3.0):
        k = c + d2 / k
    return d2 / k


def _sech2(a: np.ndarray) -> np.ndarray:
    """:math:`1 - \\tanh^2 a` without cancellation: :math:`4e/(1 + e)^2`, :math:`e = e^{-2|a|}`."""
    e = np.exp(-2.0 * np.abs(a))
    return 4.0 * e / (1.0 + e) ** 2


class _Activation:
    r"""An activation's rule on increments: ``y = σ(a)``, ``s = σ'(a)`` at a base point, and for
    an increment ``d`` of ``a`` both :math:`\sigma(a + d) - \sigma(a)` and the Taylor remainder
    :math:`\rho = \sigma(a + d) - \sigma(a) - \sigma'(a) d`, each computed without cancellation
    (:meth:`increments`), and :math:`\sigma'(a + d) - \sigma'(a)` (:meth:`slope_increment`)."""

    smooth = True

    def base(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def increments(
        self, a: np.ndarray, y: np.ndarray, s: np.ndarray, d: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(σ(a + d) - σ(a), ρ)``."""
        raise NotImplementedError

    def slope_increment(self, a: np.ndarray, y: np.ndarray, s: np.ndarray, d: np.ndarray,
                        dy: np.ndarray) -> np.ndarray:
        """:math:`\\sigma'(a + d) - \\sigma'(a)`, given ``dy`` :math:`= \\sigma(a + d) -
        \\sigma(a)`."""
        raise NotImplementedError


class _TanhRule(_Activation):
    # tanh(a + d) - tanh a = s t / (1 + y t), t = tanh d, s = sech² a (addition theorem), so
    # ρ = s ((t - d) - y t d) / (1 + y t), with t = d/(1 + K) and t - d = -d K/(1 + K) from
    # Lambert's continued fraction: the denominator is >= 0.53 for |d| <= 1/2. Beyond, neither
    # is small and the plain difference tanh(a + d) - y serves (for the increment; ρ is then
    # that minus s d). sech²(a + d) - sech² a = -dy (2y + dy).
    def base(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.tanh(a), _sech2(a)

    def increments(self, a, y, s, d):
        small = np.abs(d) <= 0.5
        every = bool(small.all())
        ds = d if every else np.where(small, d, 0.0)
        k = _tanh_cf(ds)
        t = ds / (1.0 + k)
        rho = s * (-ds * k / (1.0 + k) - y * t * ds) / (1.0 + y * t)
        if every:
            return s * d + rho, rho
        plain = np.tanh(a + d) - y
        return np.where(small, s * d + rho, plain), np.where(small, rho, plain - s * d)

    def slope_increment(self, a, y, s, d, dy):
        return -dy * (2.0 * y + dy)


class _SigmoidRule(_Activation):
    # σ(a) = (1 + tanh(a/2))/2: both increments are half tanh's at (a/2, d/2), and
    # σ'(a + d) - σ'(a) = (σ1 - σ0)(1 - σ1 - σ0) = dy (1 - 2y - dy).
    _tanh = _TanhRule()

    def base(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return special.expit(a), special.expit(a) * special.expit(-a)

    def increments(self, a, y, s, d):
        h = 0.5 * a
        dy, rho = self._tanh.increments(h, np.tanh(h), _sech2(h), 0.5 * d)
        return 0.5 * dy, 0.5 * rho

    def slope_increment(self, a, y, s, d, dy):
        return dy * (1.0 - 2.0 * y - dy)


class _PiecewiseLinearRule(_Activation):
    # max(a, k a): while a and a + d lie on one side of the kink the increment is s d exactly and
    # there is no remainder; across it, the plain difference. σ' is piecewise constant.
    smooth = False

    def __init__(self, slope: float) -> None:
        self.slope = slope

    def _f(self, a: np.ndarray) -> np.ndarray:
        return np.maximum(a, self.slope * a)

    def base(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._f(a), np.where(a > 0, 1.0, self.slope)

    def increments(self, a, y, s, d):
        a1 = a + d
        same = (a > 0) == (a1 > 0)
        plain = self._f(a1) - y
        return np.where(same, s * d, plain), np.where(same, 0.0, plain - s * d)

    def slope_increment(self, a, y, s, d, dy):
        return np.where(a + d > 0, 1.0, self.slope) - s


class _IdentityRule(_Activation):
    def base(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return a, np.ones_like(a)

    def increments(self, a, y, s, d):
        return d, np.zeros_like(d)

    def slope_increment(self, a, y, s, d, dy):
        return np.zeros_like(d)


def _rule_of(act: object) -> _Activation:
    if isinstance(act, Tanh):
        return _TanhRule()
    if isinstance(act, Sigmoid):
        return _SigmoidRule()
    if isinstance(act, LeakyReLU):
        return _PiecewiseLinearRule(act.slope)
    if isinstance(act, ReLU):
        return _PiecewiseLinearRule(0.0)
    if isinstance(act, Identity):
        return _IdentityRule()
    raise ValueError(f"the push-forward has no increment rule for the activation {act!r}")


class _MLPMap(Map1D):
    r"""An :class:`~gantheory.nn.MLP` with sizes ``[1, ..., 1]`` as a :class:`Map1D`.

    Forward mode: :math:`a_l = W_l^\top h_{l-1} + b_l`, :math:`h_l = \sigma(a_l)` and the tangent
    :math:`\dot a_l = W_l^\top \dot h_{l-1}`, :math:`\dot h_l = \sigma'(a_l)\,\dot a_l` from
    :math:`h_0 = z`, :math:`\dot h_0 = 1`. Increments propagate exactly,
    :math:`\Delta h_l = \sigma'(a_l)\,W_l^\top \Delta h_{l-1} + \rho(a_l, \Delta a_l)` with
    :math:`\rho` the activation's Taylor remainder. From a fold they are split into a
    first-order part and the rest, :math:`\Delta a_l = u\,\dot a_l + W_l^\top q_{l-1}`,
    :math:`q_l = \sigma'(a_l)\,W_l^\top q_{l-1} + \rho(a_l, \Delta a_l)`, and the map returns
    :math:`q` at the output: the first-order parts, which cancel at a fold, are never summed.
    The tangent's increment is
    :math:`\Delta\dot h_l = (\sigma'_l + \Delta\sigma'_l)\,\Delta\dot a_l + \Delta\sigma'_l\,
    \dot a_l`.
    """

    def __init__(self, net: MLP) -> None:
        self.net = net.astype(np.float64)  # a copy; exact for a network trained in float32
        self.layers = [
            (np.array(layer.W), np.array(layer.b), _rule_of(act))
            for layer, act in zip(self.net.layers, self.net.activations, strict=True)
        ]
        self.smooth = all(rule.smooth for _, _, rule in self.layers)

    def value_and_derivative(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        z = np.asarray(z, dtype=np.float64)
        h, dh = z.reshape(-1, 1), np.ones((z.size, 1))
        for W, b, rule in self.layers:
            a = h @ W + b  # (n, i) @ (i, o) -> (n, o)
            h, s = rule.base(a)
            dh = s * (dh @ W)  # (n, i) @ (i, o) -> (n, o)
        return h.reshape(z.shape), dh.reshape(z.shape)

    def prepare(self, z0: np.ndarray) -> list[np.ndarray]:
        """Per layer, at the base points: pre-activation a, its tangent, output y and σ'(a),
        stacked as ``(k, 4, o)``."""
        z0 = np.asarray(z0, dtype=np.float64).reshape(-1, 1)
        h, th = z0, np.ones_like(z0)
        state = []
        for W, b, rule in self.layers:
            a, ta = h @ W + b, th @ W  # (k, i) @ (i, o) -> (k, o)
            h, s = rule.base(a)
            state.append(np.stack([a, ta, h, s], axis=1))  # (k, 4, o)
            th = s * ta
        return state

    def increments_at(
        self, state: list[np.ndarray], index: np.ndarray, u: np.ndarray,
        fold: np.ndarray | bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        u = np.asarray(u, dtype=np.float64)
        uc = u.reshape(-1, 1)
        f = np.broadcast_to(np.asarray(fold, dtype=bool).reshape(-1, 1), uc.shape)
        # X: the increment of h carried between layers: the whole increment, or at a fold its
        # part beyond first order (q), the first-order part u·ta being added to each a instead
        X = np.where(f, 0.0, uc)
        dth = np.zeros((u.size, 1))  # increment of the tangent of h_0 (none)
        for (W, _, rule), st in zip(self.layers, state, strict=True):
            a, ta, y, s = st[index].transpose(1, 0, 2)  # each (n, o)
            XW, dta = X @ W, dth @ W  # (n, i) @ (i, o) -> (n, o)
            da = np.where(f, uc * ta + XW, XW)  # the whole increment of a
            dy, rho = rule.increments(a, y, s, da)
            X = np.where(f, s * XW + rho, dy)
            ds = rule.slope_increment(a, y, s, da, dy)
            dth = (s + ds) * dta + ds * ta
        return X.reshape(u.shape), dth.reshape(u.shape)

    def increments(
        self, z0: np.ndarray, u: np.ndarray, fold: np.ndarray | bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        z0 = np.asarray(z0, dtype=np.float64)
        return self.increments_at(self.prepare(z0), np.arange(z0.size), u, fold)

    def __repr__(self) -> str:
        return repr(self.net)


# -- branches ---------------------------------------------------------------------------------
class _Branch:
    """A monotone piece of G between two ends, with the tables its roots are bracketed by.

    An end is a fold (shared with the neighbouring branch: same z, same image) or an end of the
    tabulated noise. ``table`` holds the nodes, their images and G' there in the order of rising
    image. Each fold end also has a *fold zone*, the nodes within ``_FOLD_ZONE`` of it in noise
    (at most half the branch), tabulated as offsets ``u`` from the fold with the increments
    :math:`\\Delta(u) = G(z_f + u) - G(z_f)` computed from the fold (:meth:`Map1D.increments`
    with ``fold=True``) and G' there, in the order of rising increment.
    """

    def __init__(
        self, gen: Generator1D, ends: tuple[tuple[float, float, float, bool], ...],
        z: np.ndarray, g: np.ndarray, dg: np.ndarray,
    ) -> None:
        (z_lo, x_lo, dg_lo, fold_lo), (z_hi, x_hi, dg_hi, fold_hi) = ends
        self.fold = (fold_lo, fold_hi)  # a fold of a smooth map: G' = 0 there, exactly
        self.z = (z_lo, z_hi)
        self.x = (x_lo, x_hi)
        self.dg = (dg_lo, dg_hi)
        self.up = x_hi >= x_lo  # G increases along the branch
        z = np.concatenate([[z_lo], z, [z_hi]])
        g = np.concatenate([[x_lo], g, [x_hi]])
        dg = np.concatenate([[dg_lo], dg, [dg_hi]])
        order = slice(None) if self.up else slice(None, None, -1)  # rising image
        self.table = (g[order], z[order], dg[order])
        half = 0.5 * (z_hi - z_lo)
        self.zones: list[tuple[np.ndarray, np.ndarray, np.ndarray] | None] = []
        self.zone_span = [0.0, 0.0]  # the increment at the zone's far node
        for k in (0, 1):
            if not self.fold[k]:
                self.zones.append(None)
                continue
            u = z - self.z[k]
            # within _FOLD_ZONE, and at most half the branch; but always the fold's neighbour
            # node too (far out on the geometric grid the cells are wider than the zone)
            reach = max(min(_FOLD_ZONE, abs(half)), float(np.sort(np.abs(u))[1]))
            near = np.abs(u) <= reach
            u = u[near]
            inc, dinc = gen.map.increments(np.full(u.shape, self.z[k]), u, True)
            inc[u == 0.0] = 0.0
            o = np.argsort(inc, kind="stable")
            self.zones.append((inc[o], u[o], self.dg[k] + dinc[o]))
            far = int(np.argmax(np.abs(u)))
            self.zone_span[k] = float(inc[far])

    @property
    def x_range(self) -> tuple[float, float]:
        """The image of the branch."""
        return (self.x[0], self.x[1]) if self.up else (self.x[1], self.x[0])


class _Tasks:
    """Roots found, one per (point, branch), ordered by point and then branch."""

    __slots__ = ("branch", "dg", "point", "z")

    def __init__(self, point: np.ndarray, branch: np.ndarray, z: np.ndarray,
                 dg: np.ndarray) -> None:
        self.point, self.branch, self.z, self.dg = point, branch, z, dg


# -- the generator ----------------------------------------------------------------------------
class Generator1D:
    r"""A snapshot of a generator :math:`G: \mathbb{R} \to \mathbb{R}` with its push-forward.

    Parameters
    ----------
    G : MLP or Map1D
        An :class:`~gantheory.nn.MLP` with sizes ``[1, ..., 1]`` (copied in float64, exactly for
        a float32 network: later training does not change it), or any :class:`Map1D` (e.g.
        :class:`Polynomial`).
    noise : {"normal", "uniform"}
        The prior :math:`p_z`: :math:`N(0, 1)` or :math:`U(-1, 1)`.

    Attributes
    ----------
    folds : ndarray
        The noise values :math:`z_f` where :math:`G'` changes sign (sorted).
    fold_values : ndarray
        Their images :math:`x_f = G(z_f)`, computed once: the singular points of :math:`p_g`.
    monotone : bool
        Whether G has no fold on the tabulated range.

    Raises
    ------
    ValueError
        For a network of the wrong shape, an unknown noise, or a map that is constant on an
        interval of the noise (its push-forward has an atom, not a density).

    Examples
    --------
    An affine generator :math:`G(z) = 2z + 1` pushes :math:`N(0, 1)` to :math:`N(1, 4)`, also far
    beyond the tabulated noise:

    >>> from scipy import stats
    >>> net = MLP([1, 1], rng=np.random.default_rng(0))
    >>> net.params[0][...] = 2.0; net.params[1][...] = 1.0
    >>> g = Generator1D(net)
    >>> x = np.array([-3.0, 1.0, 4.5, 60.0])
    >>> bool(np.allclose(g.logpdf(x), stats.norm(1, 2).logpdf(x), rtol=1e-13, atol=0))
    True
    >>> bool(np.allclose(g.cdf(x), stats.norm(1, 2).cdf(x), rtol=1e-13, atol=0))
    True
    """

    def __init__(self, G: MLP | Map1D, *, noise: str = "normal") -> None:
        if isinstance(G, MLP):
            if G.sizes[0] != 1 or G.sizes[-1] != 1:
                raise ValueError(f"`G` must be an MLP with sizes [1, ..., 1] (got {G!r})")
            self.map: Map1D = _MLPMap(G)
            self.net: MLP | None = self.map.net  # type: ignore[attr-defined]
        elif isinstance(G, Map1D):
            self.map, self.net = G, None
        else:
            raise TypeError(
                f"`G` must be an MLP with sizes [1, ..., 1] or a Map1D (got {type(G).__name__})"
            )
        if noise not in ("normal", "uniform"):
            raise ValueError(f"`noise` must be 'normal' or 'uniform' (got {noise!r})")
        self.noise = noise
        z, g, dg = self._tabulate()
        self.folds = self._find_folds(z, dg)
        self.monotone = self.folds.size == 0
        fg, fdg = self.map.value_and_derivative(self.folds)
        self.fold_values = np.asarray(fg, dtype=np.float64)
        self._fold_set = frozenset(self.fold_values.tolist())
        # ends: (z, image, G' there, fold); at a fold of a smooth map G' = 0 exactly
        smooth = self.map.smooth
        ends = [(float(z[0]), float(g[0]), float(dg[0]), False)]
        for zf, xf, dgf in zip(self.folds.tolist(), fg.tolist(), fdg.tolist(), strict=True):
            ends.append((zf, xf, 0.0 if smooth else dgf, smooth))
        ends.append((float(z[-1]), float(g[-1]), float(dg[-1]), False))
        self.branches = []
        for a, b in itertools.pairwise(ends):
            m = (z > a[0]) & (z < b[0])
            self.branches.append(_Branch(self, (a, b), z[m], g[m], dg[m]))
        # the ends as arrays (branch, end): images, noise values, G', folds, spans
        self._X = np.array([br.x for br in self.branches])  # (B, 2)
        self._Z = np.array([br.z for br in self.branches])  # (B, 2)
        self._DG = np.array([br.dg for br in self.branches])  # (B, 2)
        self._FOLD = np.array([br.fold for br in self.branches])  # (B, 2)
        self._ZONE = np.array([br.zone_span for br in self.branches])  # (B, 2) zone increments
        self._state = self.map.prepare(self._Z.reshape(-1))
        self._pushforward: PushForward | None = None

    def _tabulate(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The noise grid with G and G' on it.

        Uniform noise: 8193 nodes on [-1, 1]. Normal noise: 8193 nodes on [-11.5, 11.5], then
        geometric tails out to 1e150 (or to where G passes 1e300). Where G' underflows to 0
        towards an end (a saturated network), the grid stops at the first such node, dropping
        the noise mass beyond when that is below :data:`DROP_MASS`; G constant where the noise
        has more mass than that is an atom of the push-forward, and refused.
        """
        z_max = Z_MAX_NORMAL if self.noise == "normal" else 1.0
        z = np.linspace(-z_max, z_max, GRID_SIZE)
        if self.noise == "normal":
            k = math.ceil(math.log(_Z_FAR / z_max) / math.log(_TAIL_RATIO))
            tail = z_max * _TAIL_RATIO ** np.arange(1, k + 1)
            z = np.concatenate([-tail[::-1], z, tail])
        with np.errstate(over="ignore", invalid="ignore"):
            g, dg = self.map.value_and_derivative(z)
        # (images beyond 1e300 are dropped as well: sums and differences of points stay finite)
        finite = np.isfinite(g) & np.isfinite(dg) & (np.abs(g) <= 1e300)
        inner = np.abs(z) <= z_max
        if not finite[inner].all():
            bad = float(z[inner & ~finite][0])
            raise ValueError(
                f"`G` must be finite on the noise range (G or G' at z = {bad!r} is not)"
            )
        lo, hi = _finite_run(finite, int(np.argmin(np.abs(z))))
        z, g, dg = z[lo:hi], g[lo:hi], dg[lo:hi]
        # Far out, a saturated network stops changing in float64 (G equal at two nodes, or G'
        # underflowing to 0): the grid stops there on each side once the noise mass beyond is
        # negligible (below DROP_MASS), and that mass is dropped
        same = np.zeros(z.shape, dtype=bool)
        same[1:] |= g[1:] == g[:-1]  # towards +inf: no change from the node before
        same_left = np.zeros(z.shape, dtype=bool)
        same_left[:-1] |= g[:-1] == g[1:]  # towards -inf: no change from the node after
        right = (z > 0.0) & ((dg == 0.0) | same)
        right &= self._noise_mass(z, np.full(z.shape, math.inf)) <= DROP_MASS
        left = (z < 0.0) & ((dg == 0.0) | same_left)
        left &= self._noise_mass(np.full(z.shape, -math.inf), z) <= DROP_MASS
        keep_hi = int(np.flatnonzero(right)[0]) if right.any() else z.size
        keep_lo = int(np.flatnonzero(left)[-1]) + 1 if left.any() else 0
        z, g, dg = z[keep_lo:keep_hi], g[keep_lo:keep_hi], dg[keep_lo:keep_hi]
        flat = np.flatnonzero(g[:-1] == g[1:])
        if flat.size:  # constant (in float64) where the noise has mass: an atom
            k = int(flat[0])
            run = flat[flat - np.arange(flat.size) == k]  # the cells of the run starting at k
            left_z, right_z = float(z[k]), float(z[int(run[-1]) + 1])
            cell = float(self._noise_mass(np.array(left_z), np.array(right_z)))
            raise ValueError(
                f"`G` is constant on [{left_z!r}, {right_z!r}] of the noise (mass {cell:.3g}):"
                f" its push-forward has an atom at {float(g[k])!r} and no density"
            )
        # the image is unbounded on a side of normal noise unless G became constant there
        normal = self.noise == "normal"
        self._unbounded = (normal and keep_lo == 0, normal and not right.any())
        return z, g, dg

    # -- G and G' ---------------------------------------------------------------------------------
    def value_and_derivative(self, z: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """:math:`G(z)` and :math:`G'(z)` (forward-mode differentiation), shapes of ``z``."""
        return self.map.value_and_derivative(np.asarray(z, dtype=np.float64))

    def __call__(self, z: npt.ArrayLike) -> np.ndarray:
        """:math:`G(z)`, shape of ``z``."""
        return self.value_and_derivative(z)[0]

    def derivative(self, z: npt.ArrayLike) -> np.ndarray:
        """:math:`G'(z)`, shape of ``z``."""
        return self.value_and_derivative(z)[1]

    def _find_folds(self, z: np.ndarray, dg: np.ndarray) -> np.ndarray:
        folds = list(z[1:-1][dg[1:-1] == 0.0])
        for k in np.flatnonzero(np.sign(dg[:-1]) * np.sign(dg[1:]) < 0):
            folds.append(optimize.brentq(lambda t: float(self.derivative(np.array(t))), z[k],
                                         z[k + 1], xtol=1e-300, rtol=4 * np.finfo(float).eps))
        return np.unique(np.asarray(folds, dtype=np.float64))

    # -- roots of G(z) = x ------------------------------------------------------------------------
    def _solve(self, near: np.ndarray, t: np.ndarray) -> _Tasks:
        """Every root of :math:`G(z) = x` for the points ``x = near + t`` (exact arithmetic).

        ``near`` is a point (e.g. a fold image) and ``t`` a signed distance that may be far
        below an ulp of it. Within a fold zone, the root is found from the fold, for the target
        increment ``T = (near - x_f) + t``, which keeps the distance to the fold image exact
        (:meth:`_newton_fold`); elsewhere ``G'`` is bounded away from 0 and a plain Newton
        iteration on ``G(z) = near + t`` is accurate (:meth:`_newton_plain`).
        """
        # fold zones: (n, B, 2) targets from each fold end; a point in both zones of a short
        # branch goes to the nearer fold
        D = (near[:, None, None] - self._X[None]) + t[:, None, None]
        span = self._ZONE[None]
        in_zone = self._FOLD[None] & (np.sign(D) * np.sign(span) >= 0) & (np.abs(D) <= np.abs(span))
        both = in_zone[..., 0] & in_zone[..., 1]
        pick_hi = np.abs(D[..., 1]) < np.abs(D[..., 0])
        in_zone[..., 0] &= ~(both & pick_hi)
        in_zone[..., 1] &= ~(both & ~pick_hi)
        fp, fb, fk = np.nonzero(in_zone)
        # elsewhere in the branch's image: plain roots
        x = near + t
        zoned = in_zone.any(axis=2)
        # x lies in the branch's image iff it is not beyond both ends on one side: judged on the
        # exact distances D, since x itself may round onto a fold image it lies off
        inside = ~zoned & (np.sign(D[..., 0]) * np.sign(D[..., 1]) <= 0)
        pp, pb = np.nonzero(inside)
        point = np.concatenate([fp, pp])
        branch = np.concatenate([fb, pb])
        z = np.empty(point.size)
        dg = np.empty(point.size)
        nf = fp.size
        if nf:
            T = D[fp, fb, fk]
            cells = np.empty((6, nf))
            key = 2 * fb + fk
            for kk in np.unique(key).tolist():
                sel = np.flatnonzero(key == kk)
                cells[:, sel] = _cell(self.branches[kk // 2].zones[kk % 2], T[sel])
            u0, lo, hi, rising = _hermite_start(cells, from_end=True)
            sid = 2 * fb + fk
            u, dg[:nf] = self._newton_fold(sid, T, u0, lo, hi, rising)
            z[:nf] = self._Z.reshape(-1)[sid] + u
        if pp.size:
            xs = x[pp]
            cells = np.empty((6, pp.size))
            for bi in np.unique(pb).tolist():
                sel = np.flatnonzero(pb == bi)
                cells[:, sel] = _cell(self.branches[bi].table, xs[sel])
            z0, lo, hi, rising = _hermite_start(cells, from_end=False)
            z[nf:], dg[nf:] = self._newton_plain(xs, z0, lo, hi, rising)
        order = np.lexsort((branch, point))  # by point, then branch: one order for any batch
        return _Tasks(point[order], branch[order], z[order], dg[order])

    def _newton_fold(
        self, sid: np.ndarray, T: np.ndarray, u: np.ndarray, lo: np.ndarray, hi: np.ndarray,
        rising: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Safeguarded Newton for :math:`\\Delta_f(u) = T` from the folds ``sid`` (see
        :func:`_newton`); returns the offsets u and :math:`G'(z_f + u)`."""
        state = self._state

        def f(i: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            inc, dinc = self.map.increments_at(state, sid[i], u, True)
            return inc - T[i], dinc  # G'(z_f) = 0 at a fold of a smooth map

        return _newton(f, u, lo, hi, rising, zero=T == 0.0)

    def _newton_plain(
        self, x: np.ndarray, z: np.ndarray, lo: np.ndarray, hi: np.ndarray, rising: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Safeguarded Newton for :math:`G(z) = x` away from folds (see :func:`_newton`)."""

        def f(i: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            g, dg = self.map.value_and_derivative(z)
            return g - x[i], dg

        return _newton(f, z, lo, hi, rising, zero=np.zeros(x.shape, dtype=bool))

    def roots(self, x: float) -> np.ndarray:
        """All roots of :math:`G(z) = x` (sorted)."""
        xa = np.array([float(x)])
        return np.unique(self._solve(xa, np.zeros(1)).z)

    # -- the push-forward density and distribution function -------------------------------------
    def _log_pz(self, z: np.ndarray) -> np.ndarray:
        """Log-density of the noise at points of its support (all roots lie inside it)."""
        if self.noise == "normal":
            return -0.5 * z * z - _LOG_SQRT_2PI
        return np.full(z.shape, -math.log(2.0))

    def _logpdf_at(self, near: np.ndarray, t: np.ndarray) -> np.ndarray:
        tasks = self._solve(near, t)
        out = np.full(near.shape, -np.inf)
        with np.errstate(divide="ignore"):
            terms = self._log_pz(tasks.z) - np.log(np.abs(tasks.dg))
        np.logaddexp.at(out, tasks.point, terms)
        return out

    def logpdf(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`\\log p_g(x)`, shape of ``x`` (``-inf`` outside the range of G, ``+inf`` at a
        fold image)."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        return self._logpdf_at(flat, np.zeros(flat.shape)).reshape(x.shape)

    def logpdf_near(self, end: float, t: npt.ArrayLike) -> np.ndarray:
        """:math:`\\log p_g(\\text{end} + t)` for signed distances ``t`` that may be far below
        an ulp of ``end`` (exact next to a fold image ``end``)."""
        t = np.asarray(t, dtype=np.float64)
        flat = t.reshape(-1)
        return self._logpdf_at(np.full(flat.shape, float(end)), flat).reshape(t.shape)

    def pdf(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`p_g(x)`, shape of ``x``."""
        return np.exp(self.logpdf(x))

    def _noise_mass(self, z1: np.ndarray, z2: np.ndarray) -> np.ndarray:
        r""":math:`P_z(z_1 < z \le z_2)` for :math:`z_1 \le z_2` (``±inf`` allowed), to a few
        ulps of itself however small (a fold's branch below :math:`x_f + t` holds a noise mass
        of order :math:`\sqrt t`)."""
        z1, z2 = np.broadcast_arrays(np.asarray(z1, float), np.asarray(z2, float))
        if self.noise == "uniform":
            return np.clip(np.minimum(z2, 1.0) - np.maximum(z1, -1.0), 0.0, None) / 2.0
        return _normal_mass(z1, z2)

    def cdf(self, x: npt.ArrayLike) -> np.ndarray:
        r""":math:`F_g(x) = P_z\{G(z) \le x\}`, summed over the monotone branches."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        tasks = self._solve(flat, np.zeros(flat.shape))
        z_lo, z_hi = self._Z[:, 0].copy(), self._Z[:, 1].copy()  # (B,) noise ends
        # the mass past the grid (none in float64, or at most DROP_MASS where G is constant)
        # lies with the outer branches
        z_lo[0], z_hi[-1] = -np.inf, np.inf
        up = np.array([br.up for br in self.branches])
        x_max = np.where(up, self._X[:, 1], self._X[:, 0])
        has_root = np.zeros((flat.size, len(self.branches)), dtype=bool)
        has_root[tasks.point, tasks.branch] = True
        whole = ~has_root & (flat[:, None] >= x_max[None, :])  # a branch wholly below x
        out = np.sum(np.where(whole, self._noise_mass(z_lo, z_hi)[None, :], 0.0), axis=1)
        b, z = tasks.branch, tasks.z
        part = np.where(up[b], self._noise_mass(z_lo[b], np.maximum(z, z_lo[b])),
                        self._noise_mass(np.minimum(z, z_hi[b]), z_hi[b]))
        np.add.at(out, tasks.point, part)
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def sf(self, x: npt.ArrayLike) -> np.ndarray:
        r""":math:`S_g(x) = P_z\{G(z) > x\} = 1 - F_g(x)`, summed over the monotone branches
        like :meth:`cdf`, so that it keeps its relative accuracy in the upper tail."""
        x = np.asarray(x, dtype=np.float64)
        flat = x.reshape(-1)
        tasks = self._solve(flat, np.zeros(flat.shape))
        z_lo, z_hi = self._Z[:, 0].copy(), self._Z[:, 1].copy()  # (B,) noise ends
        z_lo[0], z_hi[-1] = -np.inf, np.inf
        up = np.array([br.up for br in self.branches])
        x_min = np.where(up, self._X[:, 0], self._X[:, 1])
        has_root = np.zeros((flat.size, len(self.branches)), dtype=bool)
        has_root[tasks.point, tasks.branch] = True
        whole = ~has_root & (flat[:, None] < x_min[None, :])  # a branch wholly above x
        out = np.sum(np.where(whole, self._noise_mass(z_lo, z_hi)[None, :], 0.0), axis=1)
        b, z = tasks.branch, tasks.z
        part = np.where(up[b], self._noise_mass(np.minimum(z, z_hi[b]), z_hi[b]),
                        self._noise_mass(z_lo[b], np.maximum(z, z_lo[b])))
        np.add.at(out, tasks.point, part)
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def mass(self, a: float, b: float) -> float:
        """:math:`P_g(a < x \\le b) = F_g(b) - F_g(a)`."""
        fa, fb = self.cdf(np.array([a, b]))
        return float(fb - fa)

    def support(self) -> tuple[float, float]:
        """Closed hull of the support: the image of G, infinite on a side of normal noise where
        the grid ends (at 1e150, or where G passes 1e300) with G still changing."""
        xs = [v for br in self.branches for v in br.x_range]
        lo, hi = min(xs), max(xs)
        for (br, k), unbounded in zip(((self.branches[0], 0), (self.branches[-1], 1)),
                                      self._unbounded, strict=True):
            if unbounded and br.x[k] != br.x[1 - k]:
                if br.x[k] < br.x[1 - k]:
                    lo = -math.inf
                else:
                    hi = math.inf
        return lo, hi

    def landmarks(self) -> np.ndarray:
        """Points where quadrature must split: images of noise quantiles, fold images, branch
        ends, and the midpoint between any two adjacent fold images (so that every piece has at
        most one singular end, where it is anchored)."""
        if self.noise == "normal":
            q = special.ndtri(_LANDMARK_PROBS)
        else:
            q = 2.0 * _LANDMARK_PROBS - 1.0
        q = np.concatenate([q, -q])
        pts = [self(q), self.fold_values]
        pts += [np.array(br.x_range) for br in self.branches]
        out = np.unique(np.concatenate(pts))
        out = out[np.isfinite(out)]
        sing = np.array([v in self._fold_set for v in out.tolist()], dtype=bool)
        both = sing[:-1] & sing[1:]
        mids = 0.5 * (out[:-1][both] + out[1:][both])
        return np.unique(np.concatenate([out, mids]))

    def singular_at(self, x: float) -> bool:
        """Whether ``x`` is a fold image (where :math:`p_g` is infinite)."""
        return x in self._fold_set

    def pushforward(self) -> PushForward:
        """:math:`p_g` as a continuous distribution for :func:`gantheory.jsd`, ``value``, ..."""
        if self._pushforward is None:
            self._pushforward = PushForward(self)
        return self._pushforward


_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(24)


def _normal_mass(z1: np.ndarray, z2: np.ndarray) -> np.ndarray:
    r""":math:`\Phi(z_2) - \Phi(z_1)` for :math:`z_1 \le z_2`, accurate relative to itself.

    On a short interval, :math:`\varphi(z_1) \int_0^w e^{-z_1 s - s^2/2} ds` (``w = z_2 - z_1``)
    by 24-point Gauss-Legendre, exact to rounding while the exponent changes by at most 8 over
    the interval; otherwise the difference of the two tail probabilities on the side of the
    interval away from 0, whose ratio is then below :math:`e^{-8}`, so nothing cancels.
    """
    w = z2 - z1
    out = np.empty(np.shape(z1))
    with np.errstate(invalid="ignore", over="ignore"):
        short = np.isfinite(w) & (w * (np.abs(z1) + w) <= 8.0)
    if short.any():
        a, ws = z1[short], w[short]
        s = 0.5 * ws[:, None] * (_GL_NODES[None, :] + 1.0)  # (n, 24) nodes on [0, w]
        f = np.exp(-a[:, None] * s - 0.5 * s * s)
        out[short] = np.exp(-0.5 * a * a - _LOG_SQRT_2PI) * 0.5 * ws * (f @ _GL_WEIGHTS)
    far = ~short
    if far.any():
        a, b = z1[far], z2[far]
        out[far] = np.where(a >= 0.0, special.ndtr(-a) - special.ndtr(-b),
                            special.ndtr(b) - special.ndtr(a))
    return out


def _split(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Bisection points of brackets ``[lo, hi]``: the midpoint, or the geometric mean when the
    bracket spans more than a decade on one side of 0 (a root 1e-150 from the end of a bracket
    [0, 1e-3] is then found in tens of steps, not hundreds); ``0`` as an end counts as 1e-3 of
    the other."""
    a, b = np.abs(lo), np.abs(hi)
    same = (np.sign(lo) * np.sign(hi) >= 0) & (np.maximum(a, b) > 10.0 * np.minimum(a, b))
    small = np.maximum(np.minimum(a, b), 1e-3 * np.maximum(a, b))
    geo = np.sign(lo + hi) * np.sqrt(small * np.maximum(a, b))
    return np.where(same, geo, 0.5 * (lo + hi))


def _newton(
    f: object, u: np.ndarray, lo: np.ndarray, hi: np.ndarray, rising: np.ndarray,
    zero: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Safeguarded Newton for ``f(i, u) = (phi, slope) = 0`` on brackets ``[lo, hi]``, all at
    once (``i`` indexes the roots still active).

    ``rising``: whether phi increases with u on the bracket; ``zero``: roots known to be at
    u = 0. A step that leaves the bracket falls back to bisection (:func:`_split`); a root is
    done after a step below 1e-9 relative to ``|u|`` (its error is then near 1e-18 relative, by
    quadratic convergence); then the slope is evaluated there.
    """
    u, lo, hi = u.copy(), lo.copy(), hi.copy()
    active = ~zero
    u[zero] = 0.0
    for _ in range(_NEWTON_ITERS):
        i = np.flatnonzero(active)
        if i.size == 0:
            break
        phi, slope = f(i, u[i])  # type: ignore[operator]
        right = (phi < 0) == rising[i]  # the root lies right of u
        lo[i] = np.where(right, u[i], lo[i])
        hi[i] = np.where(right, hi[i], u[i])
        with np.errstate(divide="ignore", invalid="ignore"):
            u_new = u[i] - phi / slope
        bad = ~np.isfinite(u_new) | (u_new < lo[i]) | (u_new > hi[i])
        u_new = np.where(phi == 0.0, u[i], np.where(bad, _split(lo[i], hi[i]), u_new))
        done = (phi == 0.0) | (~bad & (np.abs(u_new - u[i]) <= _U_RTOL * np.abs(u_new)))
        done |= hi[i] - lo[i] <= 4 * np.spacing(np.maximum(np.abs(lo[i]), np.abs(hi[i])))
        u[i] = u_new
        active[i[done]] = False
    _, slope = f(np.arange(u.size), u)  # type: ignore[operator]
    return u, slope


def _finite_run(finite: np.ndarray, centre: int) -> tuple[int, int]:
    """The slice ``[lo, hi)`` of the run of True around ``centre``."""
    bad_left = np.flatnonzero(~finite[:centre])
    bad_right = np.flatnonzero(~finite[centre:])
    lo = int(bad_left[-1]) + 1 if bad_left.size else 0
    hi = centre + int(bad_right[0]) if bad_right.size else finite.size
    return lo, hi


def _cell(table: tuple[np.ndarray, np.ndarray, np.ndarray], T: np.ndarray) -> np.ndarray:
    """The table's cell bracketing each target ``T``: rows ``u_a, u_b, Δ_a - T, Δ_b - T,
    w G'_a, w G'_b`` (``w = u_b - u_a``)."""
    inc, u, dg = table
    k = np.clip(np.searchsorted(inc, T, side="right") - 1, 0, inc.size - 2)
    w = u[k + 1] - u[k]
    return np.stack([u[k], u[k + 1], inc[k] - T, inc[k + 1] - T, dg[k] * w, dg[k + 1] * w])


def _hermite_start(cells: np.ndarray, *, from_end: bool) -> tuple[np.ndarray, ...]:
    r"""Start, bracket and direction of each root from its cell (see :func:`_cell`).

    The start is the root of the cubic Hermite interpolant
    :math:`H(s) = c_0 + c_1 s + c_2 s^2 + c_3 s^3` of :math:`\Delta_e - T` and :math:`G'` on the
    cell (error :math:`O(w^4)`), found by a few Newton steps on it in :math:`s \in [0, 1]`.
    """
    ua, ub, ga, gb, da, db = cells
    c2 = 3.0 * (gb - ga) - 2.0 * da - db
    c3 = 2.0 * (ga - gb) + da + db
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = np.where(ga != gb, ga / (ga - gb), 0.5)
        for _ in range(4):
            hs = ((c3 * s + c2) * s + da) * s + ga
            dhs = (3.0 * c3 * s + 2.0 * c2) * s + da
            step = hs / dhs
            s = np.clip(np.where(np.isfinite(step), s - step, s), 0.0, 1.0)
    u0 = ua + s * (ub - ua)
    # In the cell next to the end (u = 0) the increment is close to a power law |u|^p (p = 2 at
    # a fold, 1 at a regular end), with p = u G'/Δ measured at the cell's other node: start
    # from the power law, so a target far below the cell's first increment (1e-300 next to a
    # fold) is reached in a few Newton steps.
    at_end = (ua == 0.0) | (ub == 0.0)
    if from_end and at_end.any():
        u1 = np.where(ua == 0.0, ub, ua)
        g1 = np.where(ua == 0.0, gb, ga)  # Δ(u1) - T
        d1 = np.where(ua == 0.0, db, da) / (ub - ua)  # G'(u1)
        T = np.where(ua == 0.0, -ga, -gb)
        inc1 = g1 + T
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            p = u1 * d1 / inc1
            start = u1 * (T / inc1) ** (1.0 / p)
        good = at_end & np.isfinite(start) & (p >= 1.0) & (np.abs(start) <= np.abs(u1))
        u0 = np.where(good, start, u0)
    return u0, np.minimum(ua, ub), np.maximum(ua, ub), ub > ua


class PushForward(Continuous):
    """:math:`p_g = G_\\# p_z` in the interface :mod:`gantheory.quadrature` integrates.

    Accepted wherever gantheory takes a continuous distribution (:func:`gantheory.jsd`,
    :func:`gantheory.kl`, :func:`gantheory.value`, :func:`gantheory.optimal_discriminator`).
    Its landmarks are the images of the noise quantiles, the fold images and the branch ends;
    every fold image is a singular point, evaluated at a distance ``t`` from it exactly, so the
    quadrature anchors its pieces there and their error bounds hold.
    """

    __slots__ = ()

    def __init__(self, generator: Generator1D) -> None:
        super().__init__(generator)

    def _scalar_logpdf(self, x: float) -> float:
        return float(self.source.logpdf(np.array([x]))[0])

    def _array_logpdf(self, x: np.ndarray) -> np.ndarray:
        return self.source.logpdf(x)

    def support(self) -> tuple[float, float]:
        return self.source.support()

    def landmarks(self) -> np.ndarray:
        return self.source.landmarks()

    def singular_at(self, x: float) -> bool:
        return self.source.singular_at(x)

    def logpdf_near(self, end: float, side: int, t: float) -> float:
        if t == 0.0:
            return float(self.logpdf(float(end)))
        return float(self.source.logpdf_near(end, np.array([side * t]))[0])

    def __repr__(self) -> str:
        return f"PushForward({self.source.map!r}, noise={self.source.noise!r})"
