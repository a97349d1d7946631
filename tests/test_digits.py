"""The real digits, their referee, class coverage and the Fréchet distance.

The Fréchet distance needs only NumPy and is checked against closed forms and SciPy's matrix
square root; the data and the referee need the ``images`` extra (scikit-learn) and are skipped
without it. The referee's bounds are margins measured over seeds 100-119, which no test uses:
held-out accuracy 0.969-0.989 (bound 0.95); Fréchet noise floor (held-out real against the
training split) 0.40-0.72 (bound 1.5); uniform-noise ceiling 120-161 (bound 50); class
frequencies of the held-out split within 0.004-0.011 of 1/10 (bound 0.03).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from scipy import linalg

from gantheory.digits import (
    Digits,
    check_images,
    check_labels,
    class_coverage,
    frechet_distance,
    gaussian_frechet_distance,
)

EPS = float(np.finfo(np.float64).eps)


def _spd(rng: np.random.Generator, d: int) -> np.ndarray:
    a = rng.standard_normal((d, d))
    return a @ a.T + 0.1 * np.eye(d)


# -- the Fréchet distance ---------------------------------------------------------------------
def test_one_dimensional_closed_form() -> None:
    # N(m1, s1^2) and N(m2, s2^2): (m1 - m2)^2 + (s1 - s2)^2
    got = gaussian_frechet_distance([0.3], [[4.0]], [-1.2], [[0.25]])
    assert got == pytest.approx((0.3 + 1.2) ** 2 + (2.0 - 0.5) ** 2, rel=8 * EPS)


def test_diagonal_closed_form() -> None:
    a, b = np.array([1.0, 4.0, 0.5]), np.array([9.0, 1.0, 0.5])
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    want = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    got = gaussian_frechet_distance(mu1, np.diag(a), mu2, np.diag(b))
    assert got == pytest.approx(want, rel=32 * EPS)


@pytest.mark.parametrize("seed", range(5))
def test_general_covariances_against_scipy_sqrtm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = 6
    s1, s2 = _spd(rng, d), _spd(rng, d)
    mu1, mu2 = rng.standard_normal(d), rng.standard_normal(d)
    # the other form of the trace: tr sqrt(S1 S2), by SciPy's Schur-based sqrtm
    want = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2) - 2 * np.trace(linalg.sqrtm(s1 @ s2)).real
    got = gaussian_frechet_distance(mu1, s1, mu2, s2)
    # both square roots are backward stable: errors of a few hundred eps of the traces' size
    scale = np.trace(s1) + np.trace(s2)
    assert abs(got - want) <= 1e3 * EPS * scale
    assert gaussian_frechet_distance(mu2, s2, mu1, s1) == pytest.approx(got, abs=1e3 * EPS * scale)


def test_identical_gaussians_are_at_distance_zero() -> None:
    s = _spd(np.random.default_rng(7), 5)
    assert gaussian_frechet_distance(np.ones(5), s, np.ones(5), s) <= 1e3 * EPS * np.trace(s)


def test_sample_fits_shifted_by_a_constant_differ_by_its_square_norm() -> None:
    a = np.random.default_rng(0).standard_normal((500, 4))
    shift = np.array([0.5, -1.0, 0.0, 2.0])
    # equal sample covariances: the trace term is rounding only
    assert frechet_distance(a, a + shift) == pytest.approx(np.sum(shift**2), rel=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([0.0], [[1.0]], [0.0, 1.0], np.eye(2)), "`mu2`"),
        (([0.0, 0.0], [[1.0, 0.5], [0.0, 1.0]], [0.0, 0.0], np.eye(2)), "`cov1` must be symm"),
        (([0.0, 0.0], np.eye(2), [0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]]), "`cov2` must be pos"),
        (([np.nan], [[1.0]], [0.0], [[1.0]]), "`mu1`"),
    ],
)
def test_gaussian_frechet_bad_input(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        gaussian_frechet_distance(*args)


def test_frechet_bad_samples() -> None:
    with pytest.raises(ValueError, match="`a` must be an array of shape"):
        frechet_distance(np.ones((1, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="same number of features"):
        frechet_distance(np.ones((4, 3)), np.ones((4, 2)))


# -- coverage and validation ------------------------------------------------------------------
def test_class_coverage_counts_and_deviation() -> None:
    cov = class_coverage([0, 0, 1, 1, 1, 9])
    assert cov.counts.tolist() == [2, 3, 0, 0, 0, 0, 0, 0, 0, 1]
    assert cov.classes_present == 3
    assert cov.max_deviation == pytest.approx(3 / 6 - 0.1, rel=4 * EPS)
    assert class_coverage(np.arange(10)).max_deviation == 0.0


def test_images_and_labels_are_validated() -> None:
    assert check_images(np.zeros((3, 64))).shape == (3, 1, 8, 8)
    assert check_images(np.zeros((3, 8, 8))).shape == (3, 1, 8, 8)
    with pytest.raises(ValueError, match=r"`images` must be a batch of 8x8 images.*\(3, 7, 7\)"):
        check_images(np.zeros((3, 7, 7)))
    with pytest.raises(ValueError, match=r"`images` must lie in \[-1, 1\].*1\.5"):
        check_images(np.full((2, 1, 8, 8), 1.5))
    with pytest.raises(ValueError, match="`images` must be finite"):
        check_images(np.full((2, 1, 8, 8), np.nan))
    with pytest.raises(ValueError, match=r"`labels` must be digits 0 to 9 \(got \[10\]\)"):
        check_labels([1, 10])
    with pytest.raises(ValueError, match="`labels` must be digits"):
        check_labels([0.5])
    with pytest.raises(ValueError, match="`labels` must be of length 2"):
        Digits(np.zeros((2, 1, 8, 8)), [1, 2, 3])


# -- the data and the referee (the images extra) -----------------------------------------------
@pytest.fixture(scope="module")
def digits() -> object:
    if os.environ.get("GANTHEORY_REQUIRE_IMAGES"):  # CI: a missing extra fails, not skips
        import sklearn  # noqa: F401
    pytest.importorskip("sklearn", reason="needs the `images` extra")
    from gantheory.digits import load_digits

    return load_digits()


@pytest.fixture(scope="module")
def split(digits: Digits) -> tuple[Digits, Digits]:
    return digits.split(0.3, rng=np.random.default_rng(0))


@pytest.fixture(scope="module")
def referee(split: tuple[Digits, Digits]) -> object:
    from gantheory.digits import Referee

    return Referee(split[0], seed=0)


def test_the_bundled_digits_scaled_to_minus_one_one(digits: Digits) -> None:
    assert digits.images.shape == (1797, 1, 8, 8)
    assert digits.images.min() == -1.0 and digits.images.max() == 1.0
    # pixel values 0-16 map to x / 8 - 1: multiples of 1/8
    assert np.array_equal(digits.images * 8, np.round(digits.images * 8))
    assert np.bincount(digits.labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174,
                                                   180]


def test_the_split_is_stratified_disjoint_and_seeded(digits: Digits) -> None:
    train, test = digits.split(0.3, rng=np.random.default_rng(0))
    assert len(train) + len(test) == len(digits)
    per_class = np.bincount(test.labels) / np.bincount(digits.labels)
    assert np.all(np.abs(per_class - 0.3) <= 0.5 / 174)  # rounding of 0.3 n per class
    again = digits.split(0.3, rng=np.random.default_rng(0))[1]
    assert np.array_equal(test.images, again.images)
    flat = {row.tobytes() for row in train.images.reshape(len(train), -1)}
    overlap = sum(row.tobytes() in flat for row in test.images.reshape(len(test), -1))
    assert overlap <= 5  # a few digits are pixel-identical across the set, nothing more
    with pytest.raises(ValueError, match="`test_fraction`"):
        digits.split(1.0, rng=np.random.default_rng(0))


def test_the_referee_is_accurate_on_held_out_digits(referee: object, split: tuple) -> None:
    assert referee.accuracy(split[1]) >= 0.95  # 0.969-0.989 over 20 seeds no test uses


def test_held_out_real_digits_cover_every_class(referee: object, split: tuple) -> None:
    cov = class_coverage(referee.predict(split[1].images))
    assert cov.classes_present == 10
    assert cov.max_deviation <= 0.03  # 0.004-0.011 over 20 seeds


def test_frechet_floor_and_ceiling(referee: object, split: tuple) -> None:
    train, test = split
    floor = referee.frechet(test.images, train.images)
    noise = np.random.default_rng(0).uniform(-1, 1, size=(1000, 1, 8, 8))
    ceiling = referee.frechet(noise, train.images)
    assert floor <= 1.5  # 0.40-0.72 over 20 seeds
    assert ceiling >= 50.0  # 120-161 over 20 seeds
    assert referee.features(test.images).shape == (len(test), 64)


def test_the_referee_refuses_bad_images(referee: object) -> None:
    with pytest.raises(ValueError, match="`images`"):
        referee.predict(np.zeros((2, 1, 7, 7)))
