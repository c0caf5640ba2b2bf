"""The network data sets: seeded, balanced, the shapes they promise, their geometry."""

from __future__ import annotations

import numpy as np
import pytest

from gradscape.core.netdata import NET_DATASETS, make_data


@pytest.mark.parametrize("name", sorted(NET_DATASETS))
def test_seeded_shapes_and_split(name: str) -> None:
    a = make_data(name, samples=101, test_samples=37, seed=4)
    b = make_data(name, samples=101, test_samples=37, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(make_data(name, samples=101, seed=5).X, a.X)
    # the training set does not depend on how many test samples are asked for
    np.testing.assert_array_equal(make_data(name, samples=101, test_samples=400, seed=4).X, a.X)
    assert not np.array_equal(a.X[:37], a.X_test)
    d = 1 if name == "sine" else 2
    assert a.X.shape == (101, d) and a.X_test.shape == (37, d)
    assert a.y.shape == (101,) and a.y_test.shape == (37,)
    if a.task == "classification":
        assert a.y.dtype == np.int64
        counts = np.bincount(a.y, minlength=a.classes)
        assert counts.max() - counts.min() <= 1  # balanced classes


def test_geometry_without_noise() -> None:
    c = make_data("circles", samples=200, noise=0.0)
    r = np.linalg.norm(c.X, axis=1)
    np.testing.assert_allclose(r[c.y == 0], 1.0)
    np.testing.assert_allclose(r[c.y == 1], 0.5)
    x = make_data("xor", samples=200, noise=0.0)
    np.testing.assert_array_equal(x.y, (x.X[:, 0] * x.X[:, 1] < 0).astype(np.int64))
    s = make_data("sine", samples=200, noise=0.0)
    np.testing.assert_allclose(s.y, np.sin(s.X[:, 0]))
    b = make_data("blobs", samples=300, classes=3, noise=0.01)
    for k in range(3):
        centre = b.X[b.y == k].mean(axis=0)
        assert abs(np.linalg.norm(centre) - 1.0) < 0.01
    m = make_data("moons", samples=200, noise=0.0)
    # each moon is a half circle of radius 1 around its own centre
    np.testing.assert_allclose(np.linalg.norm(m.X[m.y == 0] - [-0.5, -0.25], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(m.X[m.y == 1] - [0.5, 0.25], axis=1), 1.0)
    sp = make_data("spirals", samples=200, noise=0.0)
    # on arm c the angle (from the y axis) is 1.75 turns times the radius, plus c half turns
    r = np.linalg.norm(sp.X, axis=1)
    angle = np.arctan2(sp.X[:, 0], sp.X[:, 1])
    wrapped = np.angle(np.exp(1j * (angle - 3.5 * np.pi * r - np.pi * sp.y)))
    np.testing.assert_allclose(wrapped, 0.0, atol=1e-9)


def test_noise_spreads_the_points() -> None:
    quiet = make_data("circles", samples=500, noise=0.0, seed=1)
    loud = make_data("circles", samples=500, noise=0.2, seed=1)
    assert np.std(np.linalg.norm(loud.X, axis=1)[loud.y == 0]) > 0.1
    assert np.std(np.linalg.norm(quiet.X, axis=1)[quiet.y == 0]) < 1e-12


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"dataset": "iris"}, "dataset"), ({"samples": 1.5}, "samples"),
    ({"test_samples": 5000}, "test_samples"), ({"noise": True}, "noise"),
    ({"seed": 2**33}, "seed"), ({"dataset": "blobs", "classes": 4}, "classes"),
])
def test_bad_options(kwargs: dict[str, object], field: str) -> None:
    args = {"dataset": "moons", **kwargs}
    with pytest.raises(ValueError, match=f"Invalid {field}"):
        make_data(**args)  # type: ignore[arg-type]
