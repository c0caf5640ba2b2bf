"""Synthetic data sets for the tiny networks: seeded, generated with numpy, with a test split.

Classification sets have 2D inputs and integer labels 0..C-1 (balanced: sample i has label
i mod C); the regression set (a noisy sine) has 1D inputs and float targets. The training
and test sets come from two independent random streams of the same seed, so the training set
does not change when only the number of test samples does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gradscape.core.errors import Refusal

Array = NDArray[np.float64]
Labels = NDArray[np.int64]
Generator = Callable[[np.random.Generator, int, float, int], tuple[Array, Array]]

MAX_SAMPLES = 4096
MAX_NOISE = 2.0
MAX_SEED = 2**32 - 1
CLASSES = Refusal("network.classes", "Invalid classes: {value} (the {dataset} data set takes "
                  "{classes} classes)")


@dataclass(frozen=True)
class NetData:
    """Inputs X (n, d) and targets y: labels (n,) int64, or values (n,) float64."""

    X: Array
    y: Array | Labels
    X_test: Array
    y_test: Array | Labels
    task: str  # "classification" | "regression"
    classes: int  # number of classes (1 for regression: one output)


def _labels(n: int, classes: int) -> Labels:
    return np.arange(n, dtype=np.int64) % classes


def _moons(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """Two interleaved half circles (scikit-learn's make_moons, with random angles)."""
    c = _labels(n, 2)
    t = rng.uniform(0.0, math.pi, n)
    x = np.where(c == 0, np.cos(t), 1.0 - np.cos(t))
    y = np.where(c == 0, np.sin(t), 0.5 - np.sin(t))
    pts = np.stack([x - 0.5, y - 0.25], axis=1)
    return pts + rng.normal(0.0, noise, (n, 2)), c.astype(np.float64)


def _circles(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """An inner circle of radius 0.5 (class 1) inside an outer one of radius 1 (class 0)."""
    c = _labels(n, 2)
    t = rng.uniform(0.0, 2.0 * math.pi, n)
    r = np.where(c == 0, 1.0, 0.5)
    pts = np.stack([r * np.cos(t), r * np.sin(t)], axis=1)
    return pts + rng.normal(0.0, noise, (n, 2)), c.astype(np.float64)


def _spirals(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """Two arms of a spiral, 1.75 turns each, the second rotated by half a turn."""
    c = _labels(n, 2)
    u = rng.uniform(0.0, 1.0, n)
    angle = 1.75 * 2.0 * math.pi * u + math.pi * c
    pts = np.stack([u * np.sin(angle), u * np.cos(angle)], axis=1)
    return pts + rng.normal(0.0, noise, (n, 2)), c.astype(np.float64)


def _xor(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """Points in [-1, 1]², class 1 where x·y < 0 (before the noise is added), balanced."""
    c = _labels(n, 2)
    mag = rng.uniform(0.0, 1.0, (n, 2))
    sx = rng.choice([-1.0, 1.0], n)
    sy = np.where(c == 0, sx, -sx)  # same signs: x·y > 0 (class 0); opposite: class 1
    pts = np.stack([sx * mag[:, 0], sy * mag[:, 1]], axis=1)
    return pts + rng.normal(0.0, noise, (n, 2)), c.astype(np.float64)


def _blobs(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """Gaussian blobs of standard deviation `noise` around centres on the unit circle."""
    c = _labels(n, classes)
    angle = math.pi / 2 + 2.0 * math.pi * c / classes
    centres = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return centres + rng.normal(0.0, noise, (n, 2)), c.astype(np.float64)


def _sine(rng: np.random.Generator, n: int, noise: float, classes: int) -> tuple[Array, Array]:
    """t = sin(u) + noise for u uniform in [-π, π]: a 1D regression."""
    u = rng.uniform(-math.pi, math.pi, (n, 1))
    return u, np.sin(u[:, 0]) + rng.normal(0.0, noise, n)


@dataclass(frozen=True)
class NetDataSpec:
    id: str
    generate: Generator
    task: str
    noise: float  # default noise
    classes: tuple[int, ...] = (2,)  # allowed class counts, the first is the default


NET_DATASETS: dict[str, NetDataSpec] = {s.id: s for s in [
    NetDataSpec("moons", _moons, "classification", 0.1),
    NetDataSpec("circles", _circles, "classification", 0.1),
    NetDataSpec("spirals", _spirals, "classification", 0.05),
    NetDataSpec("xor", _xor, "classification", 0.05),
    NetDataSpec("blobs", _blobs, "classification", 0.3, (2, 3)),
    NetDataSpec("sine", _sine, "regression", 0.1, (1,)),
]}


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"Invalid {name}: {value!r} (must be a whole number)")
    if not low <= int(value) <= high:
        raise ValueError(f"Invalid {name}: {value!r} (must be between {low} and {high})")
    return int(value)


def make_data(dataset: str, samples: int = 200, test_samples: int = 200,
              noise: float | None = None, seed: int = 0, classes: int | None = None) -> NetData:
    """The training and test sets of a named data set; ValueError naming any bad field."""
    spec = NET_DATASETS.get(dataset) if isinstance(dataset, str) else None
    if spec is None:
        raise ValueError(f"Invalid dataset: {dataset!r} (choose one of {sorted(NET_DATASETS)})")
    n = _whole("samples", samples, 2, MAX_SAMPLES)
    m = _whole("test_samples", test_samples, 1, MAX_SAMPLES)
    s = _whole("seed", seed, 0, MAX_SEED)
    if noise is None:
        noise = spec.noise
    if isinstance(noise, bool) or not isinstance(noise, int | float) \
            or not 0.0 <= noise <= MAX_NOISE:
        raise ValueError(f"Invalid noise: {noise!r} (must be a number between 0 and {MAX_NOISE})")
    k = spec.classes[0] if classes is None else classes
    if k not in spec.classes:
        raise CLASSES(value=repr(classes), dataset=dataset,
                      classes="/".join(map(str, spec.classes)))
    X, y = spec.generate(np.random.default_rng([s, 0]), n, float(noise), k)
    X_test, y_test = spec.generate(np.random.default_rng([s, 1]), m, float(noise), k)
    if spec.task == "classification":
        return NetData(X, y.astype(np.int64), X_test, y_test.astype(np.int64), spec.task, k)
    return NetData(X, y, X_test, y_test, spec.task, 1)
