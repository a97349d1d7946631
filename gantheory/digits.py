r"""Real handwritten digits, and an independent referee of generated ones.

The data are scikit-learn's bundled 8×8 digits (``sklearn.datasets.load_digits``: 1,797 images
of the digits 0–9 with pixel values 0–16, shipped inside the package, nothing downloaded),
scaled to :math:`[-1, 1]` (:math:`x/8 - 1`) as a generator with a tanh output produces them, in
the NCHW layout of convolutional networks: shape ``(n, 1, 8, 8)``. scikit-learn is the optional
``images`` extra (``pip install "gantheory[images]"``); nothing else in gantheory needs it.

Generated images are judged, not looked at, by a :class:`Referee`: a classifier fitted to real
digits (a multilayer perceptron with one hidden layer of 64 ReLU units, scikit-learn's
``MLPClassifier``), never trained on generated ones. It gives

- the class of each generated image, hence the **class coverage** of a sample
  (:func:`class_coverage`: how many of the 10 digits appear, and how far their frequencies are
  from 1/10 — mode collapse, measured on real data), and the accuracy of a conditional
  generator asked for digit y;
- the **Fréchet distance** between Gaussian fits of its hidden features on generated and on real
  images (:func:`frechet_distance`, the construction of the Fréchet Inception Distance of Heusel
  et al. 2017 with this small referee in place of Inception), to be read next to its noise floor
  (a held-out real split against the training split) and its ceiling (an untrained generator).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

__all__ = [
    "Coverage",
    "Digits",
    "Referee",
    "class_coverage",
    "frechet_distance",
    "gaussian_frechet_distance",
    "load_digits",
]

#: Side of the images, pixels.
SIDE = 8
#: Number of classes (the digits 0-9).
N_CLASSES = 10


def _sklearn() -> object:
    try:
        import sklearn
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        raise ImportError(
            'the digits and their referee need scikit-learn: pip install "gantheory[images]"'
        ) from exc
    return sklearn


def check_images(images: npt.ArrayLike, name: str = "images") -> np.ndarray:
    """``images`` as a float64 array of shape ``(n, 1, 8, 8)`` with values in [-1, 1];
    ``ValueError`` naming ``name`` otherwise (an array of shape ``(n, 8, 8)`` or ``(n, 64)`` is
    reshaped)."""
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == SIDE * SIDE:
        x = x.reshape(-1, 1, SIDE, SIDE)
    elif x.ndim == 3 and x.shape[1:] == (SIDE, SIDE):
        x = x[:, None]
    if x.ndim != 4 or x.shape[1:] != (1, SIDE, SIDE) or x.shape[0] < 1:
        raise ValueError(
            f"`{name}` must be a batch of 8x8 images, shape (n, 1, 8, 8), (n, 8, 8) or (n, 64)"
            f" with n >= 1 (got shape {np.shape(images)})"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(f"`{name}` must be finite (got {int(np.sum(~np.isfinite(x)))} values"
                         " that are not)")
    lo, hi = float(x.min()), float(x.max())
    if lo < -1.0 or hi > 1.0:
        raise ValueError(f"`{name}` must lie in [-1, 1] (got values from {lo:.4g} to {hi:.4g})")
    return x


def check_labels(labels: npt.ArrayLike, n: int | None = None, name: str = "labels") -> np.ndarray:
    """``labels`` as an int64 array of digits 0-9 (of length ``n`` if given); ``ValueError``
    naming ``name`` otherwise."""
    y = np.asarray(labels)
    if y.ndim != 1 or (n is not None and y.size != n):
        want = f"of length {n}" if n is not None else "one-dimensional"
        raise ValueError(f"`{name}` must be {want} (got shape {y.shape})")
    if y.size and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= N_CLASSES):
        bad = y[~np.isin(y, np.arange(N_CLASSES))] if np.issubdtype(y.dtype, np.number) else y
        raise ValueError(f"`{name}` must be digits 0 to 9 (got {bad[:5].tolist()!r})")
    return y.astype(np.int64)


@dataclasses.dataclass(frozen=True)
class Digits:
    """Images of shape ``(n, 1, 8, 8)`` in [-1, 1] and their labels 0–9."""

    images: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        images = check_images(self.images)
        object.__setattr__(self, "images", images)
        object.__setattr__(self, "labels", check_labels(self.labels, len(images)))

    def __len__(self) -> int:
        return len(self.labels)

    def split(self, test_fraction: float, *, rng: np.random.Generator) -> tuple[Digits, Digits]:
        """A stratified split into (train, test): ``test_fraction`` of each digit's images,
        chosen by ``rng``, go to the test part."""
        if not (isinstance(test_fraction, float | int) and 0 < test_fraction < 1):
            raise ValueError(f"`test_fraction` must lie in (0, 1) (got {test_fraction!r})")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator (got {type(rng).__name__})")
        test = np.zeros(len(self), dtype=bool)
        for digit in range(N_CLASSES):
            idx = np.flatnonzero(self.labels == digit)
            k = round(test_fraction * idx.size)
            test[rng.choice(idx, size=k, replace=False)] = True
        return (Digits(self.images[~test], self.labels[~test]),
                Digits(self.images[test], self.labels[test]))


def load_digits() -> Digits:
    """scikit-learn's 1,797 bundled 8×8 digits, scaled from 0–16 to [-1, 1] (:math:`x/8 - 1`).

    Needs the ``images`` extra: shape ``(1797, 1, 8, 8)``, values from -1 to 1 in steps of 1/8.
    """
    _sklearn()
    from sklearn.datasets import load_digits as _load

    raw = _load()
    return Digits(raw.images[:, None].astype(np.float64) / 8.0 - 1.0, raw.target)


@dataclasses.dataclass(frozen=True)
class Coverage:
    """Class coverage of a sample: ``counts[y]`` images classified as y, the number of
    ``classes_present`` (count > 0), and ``max_deviation`` = max_y |counts[y]/n - 1/10|."""

    counts: np.ndarray
    classes_present: int
    max_deviation: float


def class_coverage(labels: npt.ArrayLike) -> Coverage:
    """:class:`Coverage` of ``labels`` (digits 0–9, e.g. the referee's classes of a sample)."""
    y = check_labels(labels)
    if y.size == 0:
        raise ValueError("`labels` must not be empty")
    counts = np.bincount(y, minlength=N_CLASSES)
    return Coverage(counts, int(np.count_nonzero(counts)),
                    float(np.max(np.abs(counts / y.size - 1.0 / N_CLASSES))))


def _symmetric_sqrt(a: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def gaussian_frechet_distance(mu1: npt.ArrayLike, cov1: npt.ArrayLike, mu2: npt.ArrayLike,
                              cov2: npt.ArrayLike) -> float:
    r"""The Fréchet distance as the Fréchet Inception Distance reports it — the *squared*
    2-Wasserstein distance — between :math:`N(\mu_1, \Sigma_1)` and
    :math:`N(\mu_2, \Sigma_2)`,

    .. math:: d^2 = \lVert \mu_1 - \mu_2 \rVert^2 + \operatorname{tr}\bigl(\Sigma_1 + \Sigma_2
              - 2 (\Sigma_1^{1/2} \Sigma_2 \Sigma_1^{1/2})^{1/2}\bigr)

    (Dowson & Landau 1982), the trace of the square root computed from the eigenvalues of the
    symmetric positive semi-definite :math:`\Sigma_1^{1/2} \Sigma_2 \Sigma_1^{1/2}` (negative
    rounding noise clipped to 0), and the result clipped at 0.
    """
    m1, m2 = np.atleast_1d(np.asarray(mu1, float)), np.atleast_1d(np.asarray(mu2, float))
    s1, s2 = np.atleast_2d(np.asarray(cov1, float)), np.atleast_2d(np.asarray(cov2, float))
    d = m1.size
    for name, m in (("mu1", m1), ("mu2", m2)):
        if m.shape != (d,) or not np.all(np.isfinite(m)):
            raise ValueError(f"`{name}` must be a finite vector of length {d} (got {m.shape})")
    for name, s in (("cov1", s1), ("cov2", s2)):
        if s.shape != (d, d) or not np.all(np.isfinite(s)):
            raise ValueError(f"`{name}` must be a finite {d}x{d} matrix (got shape {s.shape})")
        if not np.allclose(s, s.T, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(s).max()))):
            raise ValueError(f"`{name}` must be symmetric")
        if np.linalg.eigvalsh(s)[0] < -1e-10 * max(1.0, float(np.abs(s).max())):
            raise ValueError(f"`{name}` must be positive semi-definite")
    r1 = _symmetric_sqrt(s1)
    middle = r1 @ s2 @ r1
    w = np.linalg.eigvalsh((middle + middle.T) / 2)
    trace_sqrt = float(np.sum(np.sqrt(np.clip(w, 0.0, None))))
    value = float(np.sum((m1 - m2) ** 2)) + float(np.trace(s1) + np.trace(s2)) - 2 * trace_sqrt
    return max(value, 0.0)


def frechet_distance(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """:func:`gaussian_frechet_distance` between the Gaussian fits (sample mean and unbiased
    covariance) of two samples of feature vectors, arrays of shape ``(n, d)`` with n >= 2."""
    fits = []
    for name, x in (("a", a), ("b", b)):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] < 2:
            raise ValueError(f"`{name}` must be an array of shape (n, d) with n >= 2"
                             f" (got shape {x.shape})")
        fits.append((x.mean(axis=0), np.atleast_2d(np.cov(x, rowvar=False))))
    if fits[0][0].shape != fits[1][0].shape:
        raise ValueError(f"`a` and `b` must have the same number of features (got"
                         f" {fits[0][0].size} and {fits[1][0].size})")
    return gaussian_frechet_distance(*fits[0], *fits[1])


class Referee:
    """A classifier fitted to real digits, the judge of generated ones.

    scikit-learn's ``MLPClassifier`` with one hidden layer of ``hidden`` ReLU units (Adam,
    L2 penalty ``1e-3``, at most 400 epochs), fitted to the images of ``train`` flattened to 64
    pixels in [-1, 1]. Its :meth:`features` are the hidden layer's activations.

    Parameters
    ----------
    train : Digits
        Real digits to fit to (never generated ones).
    seed : int
        scikit-learn's ``random_state`` (initial weights and minibatch order).
    hidden : int
        Hidden units (default 64).
    """

    def __init__(self, train: Digits, *, seed: int = 0, hidden: int = 64) -> None:
        if not isinstance(train, Digits):
            raise TypeError(f"`train` must be Digits (got {type(train).__name__})")
        if not (isinstance(hidden, int) and hidden >= 1):
            raise ValueError(f"`hidden` must be a positive integer (got {hidden!r})")
        _sklearn()
        from sklearn.neural_network import MLPClassifier

        self.model = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=400,
                                   random_state=seed)
        self.model.fit(train.images.reshape(len(train), -1), train.labels)

    def predict(self, images: npt.ArrayLike) -> np.ndarray:
        """The referee's digit for each image."""
        x = check_images(images)
        return np.asarray(self.model.predict(x.reshape(len(x), -1)), dtype=np.int64)

    def accuracy(self, digits: Digits) -> float:
        """Fraction of ``digits`` whose label the referee predicts."""
        return float(np.mean(self.predict(digits.images) == digits.labels))

    def features(self, images: npt.ArrayLike) -> np.ndarray:
        """The hidden layer's activations, ``max(0, x W1 + b1)``, shape ``(n, hidden)``."""
        x = check_images(images)
        w, b = self.model.coefs_[0], self.model.intercepts_[0]
        return np.maximum(x.reshape(len(x), -1) @ w + b, 0.0)

    def frechet(self, images: npt.ArrayLike, reference: npt.ArrayLike) -> float:
        """:func:`frechet_distance` of the referee's features of ``images`` and ``reference``."""
        return frechet_distance(self.features(images), self.features(reference))

    def __repr__(self) -> str:
        return f"Referee(hidden={self.model.hidden_layer_sizes[0]})"
