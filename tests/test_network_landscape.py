"""Loss-landscape slices: the plane's geometry, the projection error, explained variance,
filter normalization, coarse-to-fine passes, bad specs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import gradscape.core as core
from gradscape.core.slices import filter_normalized, landscape_passes, project
from tests.torch_mlp import loss_fn

PROB = core.network_problem("moons", hidden=(6, 6), samples=60, seed=3)
RUNS = [core.train(PROB, "sgd", steps=40, start=PROB.init(0), lr=0.5),
        core.train(PROB, "adam", steps=40, start=PROB.init(0), lr=0.03)]


@pytest.mark.parametrize("plane", ["pca", "random", "hessian", "interpolate"])
def test_grid_is_the_true_loss_on_the_plane(plane: str) -> None:
    sl = core.landscape(PROB, RUNS, plane=plane, resolution=7)
    f = loss_fn(PROB)
    for i, j in ((0, 0), (3, 5), (6, 2)):
        if sl.ys is None:
            theta = sl.origin + sl.xs[i] * sl.directions[0]
            value = sl.loss[i]
        else:
            theta = sl.origin + sl.xs[i] * sl.directions[0] + sl.ys[j] * sl.directions[1]
            value = sl.loss[j, i]
        assert value == pytest.approx(f(torch.tensor(theta)).item(), abs=1e-10)
    for path, run in zip(sl.paths, RUNS, strict=True):
        np.testing.assert_allclose(path.true_loss, run.train_loss, atol=1e-12)
        # the slice's loss at each projected point, recomputed from the coordinates
        proj = sl.origin + path.coords @ sl.directions
        np.testing.assert_allclose(path.slice_loss, PROB.loss(proj), atol=1e-12)
        np.testing.assert_allclose(path.distance, np.linalg.norm(run.thetas - proj, axis=1),
                                   atol=1e-10)


@pytest.mark.parametrize("plane", ["pca", "random", "hessian"])
def test_projection_error_is_zero_for_points_in_the_plane(plane: str) -> None:
    sl = core.landscape(PROB, RUNS, plane=plane, resolution=5)
    ab = np.random.default_rng(0).normal(size=(10, 2))
    inside = sl.origin + ab @ sl.directions
    ((coords, points),) = project([inside], sl.origin, sl.directions)
    np.testing.assert_allclose(coords, ab, atol=1e-9)  # its own coordinates back
    np.testing.assert_allclose(points, inside, atol=1e-12)
    np.testing.assert_allclose(PROB.loss(points), PROB.loss(inside), atol=1e-12)
    again = core.landscape(PROB, [inside], plane="pca", resolution=5)
    # a path lying in a plane: PCA finds a plane holding it, so nothing is hidden
    assert np.max(again.paths[0].error) < 1e-10
    assert np.max(again.paths[0].distance) < 1e-10
    assert float(np.sum(again.explained_variance)) == pytest.approx(1.0)


def test_pca_explained_variance_and_directions() -> None:
    sl = core.landscape(PROB, RUNS, plane="pca", resolution=5)
    ev = sl.explained_variance
    assert ev is not None and np.all((ev >= 0) & (ev <= 1)) and ev.sum() <= 1 + 1e-12
    assert ev[0] >= ev[1]
    np.testing.assert_allclose(sl.directions @ sl.directions.T, np.eye(2), atol=1e-12)
    # independent check: sklearn-style PCA of all iterates by eigen-decomposing the covariance
    M = np.concatenate([r.thetas for r in RUNS])
    C = np.cov(M.T)
    lam = np.linalg.eigvalsh(C)[::-1]
    np.testing.assert_allclose(ev, lam[:2] / lam.sum(), rtol=1e-8)
    np.testing.assert_array_equal(sl.origin, RUNS[0].thetas[-1])


@pytest.mark.parametrize("steps", [8, 60])  # 18 iterates < 74 parameters, and 122 > 74
def test_pca_directions_are_the_top_right_singular_vectors(steps: int) -> None:
    # both eigen routes (Gram n x n, scatter P x P) against numpy's SVD of the centred
    # iterates; a direction's sign is free
    runs = [core.train(PROB, opt, steps=steps, start=PROB.init(0), lr=lr)
            for opt, lr in (("sgd", 0.5), ("adam", 0.03))]
    sl = core.landscape(PROB, runs, plane="pca", resolution=5)
    M = np.concatenate([r.thetas for r in runs])
    _, s, vt = np.linalg.svd(M - M.mean(axis=0), full_matrices=False)
    for k in range(2):
        assert abs(float(sl.directions[k] @ vt[k])) == pytest.approx(1.0, abs=1e-9)
    assert sl.explained_variance is not None
    np.testing.assert_allclose(sl.explained_variance, s[:2] ** 2 / np.sum(s ** 2), rtol=1e-9)


def test_paths_off_a_random_plane_have_projection_error() -> None:
    sl = core.landscape(PROB, RUNS, plane="random", resolution=5)
    assert np.max(sl.paths[0].distance) > 0.1
    assert np.max(sl.paths[0].error) > 1e-3  # the picture would hide this


def test_filter_normalization() -> None:
    center = PROB.init(5)
    d = filter_normalized(PROB, center, np.random.default_rng(0))
    for layer in PROB.layers:
        w_end = layer.offset + layer.fan_in * layer.fan_out
        W = center[layer.offset:w_end].reshape(layer.fan_in, layer.fan_out)
        D = d[layer.offset:w_end].reshape(layer.fan_in, layer.fan_out)
        np.testing.assert_allclose(np.linalg.norm(D, axis=0), np.linalg.norm(W, axis=0))
        assert np.all(d[w_end:layer.offset + layer.size] == 0.0)  # biases ignored


def test_hessian_plane_is_the_top_two_eigenvectors() -> None:
    sl = core.landscape(PROB, RUNS, plane="hessian", resolution=5)
    H = torch.func.hessian(loss_fn(PROB))(torch.tensor(sl.origin)).numpy()
    lam = np.linalg.eigvalsh(H)
    for k, d in enumerate(sl.directions):
        np.testing.assert_allclose(H @ d, lam[-1 - k] * d, atol=1e-8)


def test_interpolation_runs_from_start_to_end_or_between_two_ends() -> None:
    one = core.landscape(PROB, RUNS[:1], plane="interpolate", resolution=61)
    assert one.ys is None and one.loss.shape == (61,)
    i0, i1 = np.argmin(np.abs(one.xs)), np.argmin(np.abs(one.xs - 1.0))
    assert one.xs[i0] == pytest.approx(0.0) and one.xs[i1] == pytest.approx(1.0)
    assert one.loss[i0] == pytest.approx(RUNS[0].train_loss[0])
    assert one.loss[i1] == pytest.approx(RUNS[0].train_loss[-1])
    two = core.landscape(PROB, RUNS, plane="interpolate", resolution=5)
    np.testing.assert_array_equal(two.origin, RUNS[0].thetas[-1])
    np.testing.assert_allclose(two.origin + two.directions[0], RUNS[1].thetas[-1])


def test_plane_through_a_chosen_center() -> None:
    c = PROB.init(9)
    sl = core.landscape(PROB, RUNS, plane="random", resolution=5, center=c)
    np.testing.assert_array_equal(sl.origin, c)
    assert sl.loss[2, 2] == pytest.approx(float(PROB.loss(c)[0]))  # the grid's middle is c


def test_coarse_then_fine() -> None:
    passes = list(landscape_passes(PROB, RUNS, "pca", 31))
    assert [p.resolution for p in passes] == [13, 31]
    assert passes[0].loss.shape == (13, 13) and passes[1].loss.shape == (31, 31)
    # same plane and range: the coarse grid's corners are the fine grid's
    assert passes[0].loss[0, 0] == pytest.approx(passes[1].loss[0, 0])
    assert passes[0].loss[-1, -1] == pytest.approx(passes[1].loss[-1, -1])


@pytest.mark.parametrize("plane", ["pca", "interpolate"])
def test_a_deferred_slice_loss_comes_with_the_fine_pass(plane: str) -> None:
    coarse, fine = landscape_passes(PROB, RUNS, plane, 31, defer_slice_loss=True)
    whole = core.landscape(PROB, RUNS, plane=plane, resolution=31)
    for c, f, w, run in zip(coarse.paths, fine.paths, whole.paths, RUNS, strict=True):
        # the fine pass: the loss at each projected iterate, recomputed here from the plane
        proj = whole.origin + w.coords @ whole.directions
        np.testing.assert_allclose(f.slice_loss, PROB.loss(proj), atol=1e-12)
        np.testing.assert_array_equal(f.slice_loss, w.slice_loss)
        np.testing.assert_array_equal(c.coords, w.coords)
        np.testing.assert_allclose(c.true_loss, run.train_loss, atol=1e-12)
        if plane == "pca":  # deferred: not yet computed, and not a made-up number
            assert np.all(np.isnan(c.slice_loss))
        else:  # a line's picture draws each run at its slice loss: never deferred
            np.testing.assert_array_equal(c.slice_loss, w.slice_loss)


@pytest.mark.parametrize(("args", "field"), [
    ({"plane": "tsne"}, "plane"), ({"resolution": 2}, "resolution"),
    ({"resolution": 1000}, "resolution"), ({"runs": []}, "runs"),
    ({"runs": [np.zeros((3, 4))]}, "runs"), ({"center": np.zeros(3)}, "center"),
    ({"plane": "interpolate", "ends": (np.zeros(2), np.zeros(2))}, "ends"),
])
def test_bad_landscape_specs(args: dict[str, object], field: str) -> None:
    kwargs = {"runs": RUNS, **args}
    with pytest.raises(ValueError, match=f"Invalid {field}"):
        core.landscape(PROB, **kwargs)
