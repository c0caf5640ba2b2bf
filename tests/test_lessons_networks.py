"""The claims of the "real networks" lessons (lessons/networks.py), asserted through core.

Each scene's request is trained with core.train from the race's shared start (what the
server's race streams: checked below against POST /api/network/train), then each claim is
measured over several seeds (the scene's init_seed and batch seed replaced) or nearby
learning rates. Expected values come from math (updates per epoch = ceil(n/b), 2/η, the
eigenvalues of the Hessian from numpy's eigvalsh of core's exact Hessian) or from measuring,
never from numbers copied out of the code under test. Small nets and few steps keep the
file fast; the seed ranges are the ones the texts name.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

import gradscape.core as core
from gradscape.core.network import NetworkProblem
from gradscape.core.training import TrainResult
from gradscape.lessons import LESSONS, LESSONS_BY_ID, is_network, run_network_scene
from gradscape.lessons.networks import NETWORK_LESSONS
from gradscape.server.app import create_app
from gradscape.server.config import Settings
from gradscape.server.netschemas import NetRaceRequest

NETWORK_IDS = [lesson.id for lesson in NETWORK_LESSONS]
PLANES = {"pca", "random", "hessian", "interp"}


def scene_of(lesson_id: str, variant: bool = False) -> dict[str, Any]:
    lesson = LESSONS_BY_ID[lesson_id]
    return copy.deepcopy(lesson.variant["scene"] if variant else lesson.scene)


@functools.cache
def trained(lesson_id: str, init_seed: int | None = None, seed: int | None = None,
            lr_factor: float = 1.0) -> tuple[NetworkProblem, list[TrainResult]]:
    """The lesson's scene trained through core, with its seeds or learning rates replaced."""
    scene = scene_of(lesson_id)
    req = scene["request"]
    if init_seed is not None:
        req["init_seed"] = init_seed
    if seed is not None:
        req["seed"] = seed
    for r in req["runs"]:
        r["params"]["lr"] *= lr_factor
    return run_network_scene(scene)


# --- the scenes themselves --------------------------------------------------------------------
def test_network_lessons_are_the_real_networks_group() -> None:
    assert len(NETWORK_LESSONS) >= 5
    for lesson in NETWORK_LESSONS:
        assert lesson.concept == "9" and is_network(lesson), lesson.id
        assert set(lesson.scene) == {"mode", "request", "plane", "step"}, lesson.id
        assert lesson.scene["plane"] in PLANES
        step = lesson.scene["step"]
        assert step is None or 0 <= step <= lesson.scene["request"]["steps"]
    assert [x.id for x in LESSONS if is_network(x)] == NETWORK_IDS  # the gallery's last group


@pytest.mark.parametrize("lesson_id", NETWORK_IDS)
def test_request_is_exactly_what_the_race_endpoint_accepts(lesson_id: str) -> None:
    """The request validates against the server's model as it is (no field dropped or
    defaulted away), and POST /api/network/train trains it to the same losses as core."""
    lesson = LESSONS_BY_ID[lesson_id]
    scenes = [lesson.scene] + ([lesson.variant["scene"]] if lesson.variant else [])
    client = TestClient(create_app(Settings()))
    for scene in scenes:
        body = NetRaceRequest.model_validate(scene["request"])
        assert body.model_dump(exclude_unset=True) == scene["request"]
        r = client.post("/api/network/train", json=scene["request"])
        assert r.status_code == 200, r.text[:400]
        _, runs = run_network_scene(scene)
        for got, want in zip(r.json()["runs"], runs, strict=True):
            assert got["status"] == want.status
            np.testing.assert_allclose(got["train_loss"], want.train_loss, rtol=1e-9)


# --- net_saddles -------------------------------------------------------------------------------
SADDLE_SEEDS = range(10)


@functools.cache
def saddle_end(init_seed: int) -> tuple[TrainResult, np.ndarray]:
    prob, (tr,) = trained("net_saddles", init_seed)
    eigenvalues = np.linalg.eigvalsh(prob.hessian(tr.thetas[-1]))  # independently of core's
    return tr, eigenvalues


def check_two_layers_of_8() -> None:
    net = scene_of("net_saddles")["request"]["network"]
    assert net["hidden"] == [8, 8]


def check_114_parameters() -> None:
    prob, _ = trained("net_saddles")
    sizes = [2, 8, 8, 2]  # inputs, two hidden layers, one logit per class
    expected = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    assert expected == 114 and prob.n_params == 114


def check_ratio_1_at_a_minimum() -> None:
    """A strict minimum has ratio 1: a network without hidden layers under MSE is linear
    least squares, its Hessian 2/n XᵀX-like and positive definite everywhere."""
    prob = core.network_problem(dataset="sine", hidden=(), samples=32, test_samples=8)
    theta = prob.init(0)
    assert (np.linalg.eigvalsh(prob.hessian(theta)) > 0).all()
    assert core.hessian_spectrum(prob, theta).min_ratio == 1.0


def check_stalls_over_last_100() -> None:
    for s in SADDLE_SEEDS:
        tr, _ = saddle_end(s)
        before, after = tr.train_loss[-101], tr.train_loss[-1]
        assert 0 <= before - after < 0.01 * after, s  # under 1% in the last 100 steps
        assert after > 0.5  # stalled, not solved: the spirals are far from fitted


def check_min_ratio_below_08() -> None:
    for s in SADDLE_SEEDS:
        _, lam = saddle_end(s)
        tol = len(lam) * np.finfo(float).eps * np.abs(lam).max()
        assert (lam > tol).mean() < 0.8, s
        assert (lam < -tol).mean() > 0.2, s  # more than a fifth negative, not merely flat
        assert core.hessian_spectrum(trained("net_saddles", s)[0],
                                     saddle_end(s)[0].thetas[-1]).min_ratio < 0.8


def check_up_to_seed_9() -> None:
    assert list(SADDLE_SEEDS) == list(range(10))


def test_saddle_negative_eigenvalues_are_small_next_to_lambda_max() -> None:
    for s in SADDLE_SEEDS:
        _, lam = saddle_end(s)
        assert lam[0] < 0 and abs(lam[0]) < 0.1 * lam[-1], s


# --- net_batch_size ----------------------------------------------------------------------------
BATCH_SEEDS = range(20)


def check_updates_per_epoch() -> None:
    _, runs = trained("net_batch_size")
    n = scene_of("net_batch_size")["request"]["network"]["samples"]
    for tr, size in zip(runs, (8, 64, n), strict=True):
        per_epoch = math.ceil(n / size)
        assert per_epoch == {8: 32, 64: 4, n: 1}[size]
        # the epochs counter: a whole epoch done after every `per_epoch` updates
        done = np.asarray(tr.epochs)[per_epoch::per_epoch]
        np.testing.assert_allclose(done, np.arange(1, len(done) + 1))


def check_32_times_the_work() -> None:
    n = scene_of("net_batch_size")["request"]["network"]["samples"]
    assert n / 8 == 32


def raised(tr: TrainResult) -> float:
    """The share of updates after which the loss over the whole training set went up."""
    return float(np.mean(np.diff(tr.train_loss) > 0))


def check_noise_every_seed() -> None:
    for s in BATCH_SEEDS:
        b8, b64, full = trained("net_batch_size", s, s)[1]
        assert raised(b8) > 0.4 and raised(b8) > raised(b64) > raised(full) == 0, s


def test_batch_size_full_batch_update_costs_about_one_small_one() -> None:
    """Measured, as the lesson says (its text claims no number): the gradient of the lesson's
    network on 256 samples against the same network's on 8 (what one update computes),
    timed alternately, the minimum of 100 single calls (this machine is shared). 32x the
    samples must cost far less than 32x the time (below 8x), so an epoch of the full batch
    (one update) finishes long before one of batch size 8 (32 updates)."""
    net = scene_of("net_batch_size")["request"]["network"]
    probs = {n: core.network_problem(dataset=net["dataset"], hidden=tuple(net["hidden"]),
                                     activation=net["activation"], samples=n, test_samples=8,
                                     seed=0) for n in (8, 64, net["samples"])}
    theta = probs[8].init(0)[None, :]
    times = {n: math.inf for n in probs}
    for p in probs.values():
        p.grad(theta)  # compiled before timing
    for _ in range(100):  # single calls, alternating: the minimum is the unpreempted cost
        for n, p in probs.items():
            t = time.perf_counter()
            p.grad(theta)
            times[n] = min(times[n], time.perf_counter() - t)
    full, small = times[net["samples"]], times[8]
    assert full < 8 * small, times
    assert 1 * full < 32 * small / 4  # an epoch each: 1 update against 32
    assert 1 * full < 4 * times[64]  # and against batch size 64's 4: the full batch is first


# --- net_sharp_flat ----------------------------------------------------------------------------
SHARP_SEEDS = range(10)


@functools.cache
def sharp_flat(seed: int) -> tuple[float, float, float, float]:
    """λmax at the end of batch size 8 and of the full batch, and their test-train gaps."""
    prob, (small, full) = trained("net_sharp_flat", seed, seed)
    lam = [float(np.linalg.eigvalsh(prob.hessian(t.thetas[-1]))[-1]) for t in (small, full)]
    gaps = [float(t.test_loss[-1] - t.train_loss[-1]) for t in (small, full)]
    return lam[0], lam[1], gaps[0], gaps[1]


def check_flatter_up_to_seed_9() -> None:
    assert list(SHARP_SEEDS) == list(range(10))
    for s in SHARP_SEEDS:
        small, full, _, _ = sharp_flat(s)
        assert small < full, s


def test_sharp_flat_gap_is_not_reliably_smaller() -> None:
    """"Which run has the smaller gap changes with the seed": both signs occur."""
    signs = {np.sign(sharp_flat(s)[2] - sharp_flat(s)[3]) for s in SHARP_SEEDS}
    assert {-1.0, 1.0} <= signs


# --- net_edge_of_stability ---------------------------------------------------------------------
EOS_SEEDS = range(20)


def edge(tr: TrainResult, lr: float) -> tuple[float, float, float]:
    """λmax at step 0, and the lowest and highest λmax / (2/η) from the first sample within
    5% of 2/η to the end."""
    limit = 2 / lr
    sharp = np.asarray(tr.sharpness)
    np.testing.assert_allclose(tr.threshold, limit)  # gradient descent's 2/η
    reached = np.flatnonzero(sharp >= 0.95 * limit)
    assert reached.size, "never came within 5% of 2/η"
    after = sharp[reached[0]:] / limit
    return float(sharp[0] / limit), float(after.min()), float(after.max())


def eos_runs() -> list[tuple[TrainResult, float]]:
    lr = scene_of("net_edge_of_stability")["request"]["runs"][0]["params"]["lr"]
    out = [(trained("net_edge_of_stability", s)[1][0], lr) for s in EOS_SEEDS]
    out += [(trained("net_edge_of_stability", lr_factor=f)[1][0], lr * f) for f in (0.9, 1.1)]
    return out


def check_within_5pct() -> None:
    for tr, lr in eos_runs():
        first, _, _ = edge(tr, lr)
        assert tr.status == "max_steps" and first < 1  # starts below 2/η, never diverges


def check_within_15pct() -> None:
    for tr, lr in eos_runs():
        _, low, high = edge(tr, lr)
        assert low > 0.85 and high < 1.15, (low, high)


def check_eos_seeds_19() -> None:
    assert list(EOS_SEEDS) == list(range(20))


def check_eos_lr_10pct() -> None:
    assert len(eos_runs()) == len(EOS_SEEDS) + 2  # 0.9x and 1.1x are in the runs checked


def test_edge_of_stability_sharpness_is_the_hessians_and_loss_ends_far_below() -> None:
    prob, (tr,) = trained("net_edge_of_stability")
    k = tr.sharpness_steps[-1]
    assert tr.sharpness[-1] == pytest.approx(np.linalg.eigvalsh(prob.hessian(tr.thetas[k]))[-1],
                                             rel=1e-6)
    for run, _ in eos_runs():  # not at every step: it spikes at the edge
        loss = np.asarray(run.train_loss)
        assert loss[-1] < 0.2 * loss[0]


# --- net_warmup --------------------------------------------------------------------------------
WARMUP_SEEDS = range(20)


def warmup_runs() -> list[tuple[TrainResult, TrainResult, float]]:
    """(no warm-up, warm-up, η) for every initialization seed, and η within 10%."""
    lr = scene_of("net_warmup")["request"]["runs"][0]["params"]["lr"]
    out = [(*trained("net_warmup", s)[1], lr) for s in WARMUP_SEEDS]
    out += [(*trained("net_warmup", lr_factor=f)[1], lr * f) for f in (0.9, 1.1)]
    return out


@functools.cache
def lambda0(init_seed: int) -> float:
    prob, _ = trained("net_warmup", init_seed)
    return float(np.linalg.eigvalsh(prob.hessian(prob.init(init_seed)))[-1])


def check_lambda0_above_20() -> None:
    for s in WARMUP_SEEDS:
        assert lambda0(s) > 20, s
        assert 2 / lambda0(s) < 0.1 <= 0.5 * 0.2  # η is at least twice 2/λmax at the start


def check_warmup_schedule_1pct() -> None:
    warm = trained("net_warmup")[1][1]
    lr = 0.2
    # torch's LinearLR: 1% of η at the first update, rising by equal steps for 200 updates,
    # η itself from then on
    assert warm.lrs[0] == pytest.approx(0.01 * lr)
    assert warm.lrs[199] < lr and (np.asarray(warm.lrs[200:]) == lr).all()
    np.testing.assert_allclose(np.diff(warm.lrs[:200]), (lr - 0.01 * lr) / 200, rtol=1e-9)


def check_diverges_within_10() -> None:
    for cold, _, lr in warmup_runs():
        assert cold.status == "diverged" and len(cold.train_loss) <= 10 + 1, lr


def check_warm_below_005() -> None:
    for _, warm, lr in warmup_runs():
        assert warm.status == "max_steps" and warm.train_loss[-1] < 0.05, lr


def check_warm_ends_within_15pct() -> None:
    for _, warm, lr in warmup_runs():
        ratio = warm.sharpness[-1] / (2 / lr)
        assert warm.sharpness_steps[-1] == 600 and 0.85 < ratio < 1.15, (lr, ratio)


def check_warmup_seeds_19() -> None:
    assert list(WARMUP_SEEDS) == list(range(20))


def check_warmup_lr_10pct() -> None:
    assert len(warmup_runs()) == len(WARMUP_SEEDS) + 2


def test_warmup_lambda_falls_while_the_rate_is_small() -> None:
    """"λmax falls while η is still small": by the step the warm-up reaches η, λmax has
    dropped by a quarter or more from its start, to near 2/η (below 1.5x), so the full rate
    no longer blows up."""
    for _, warm, lr in warmup_runs():
        steps = list(warm.sharpness_steps)
        at_full = warm.sharpness[steps.index(200)]
        assert at_full < 0.75 * warm.sharpness[0] and at_full < 1.5 * (2 / lr), lr


# --- net_slice_planes --------------------------------------------------------------------------
SLICE_SEEDS, PLANE_SEEDS = range(10), range(5)


@functools.cache
def slice_of(init_seed: int, plane: str, plane_seed: int = 0) -> tuple[core.Landscape, float]:
    prob, (tr,) = trained("net_slice_planes", init_seed)
    sl = core.landscape(prob, [tr], plane=plane, resolution=5, seed=plane_seed)
    return sl, float(np.linalg.norm(tr.thetas[-1] - tr.thetas[0]))


def in_plane_share(sl: core.Landscape, length: float) -> float:
    """How much of the start-to-end length the plane keeps: its start's in-plane offset."""
    start_offset = math.sqrt(max(length ** 2 - sl.paths[0].distance[0] ** 2, 0.0))
    return start_offset / length


def check_82_parameters() -> None:
    prob, _ = trained("net_slice_planes")
    assert prob.n_params == (2 + 1) * 16 + (16 + 1) * 2 == 82


def check_pca_90pct() -> None:
    for s in SLICE_SEEDS:
        sl, _ = slice_of(s, "pca")
        assert sl.explained_variance is not None and sl.explained_variance.sum() > 0.9, s


def check_slice_seeds_9() -> None:
    assert list(SLICE_SEEDS) == list(range(10))


def check_plane_seeds_4() -> None:
    assert list(PLANE_SEEDS) == list(range(5))


def check_pca_keeps_95pct() -> None:
    for s in SLICE_SEEDS:
        pca, length = slice_of(s, "pca")
        assert in_plane_share(pca, length) > 0.95, s


def random_shares() -> list[float]:
    return [in_plane_share(slice_of(s, "random", p)[0], slice_of(s, "pca")[1])
            for s in SLICE_SEEDS for p in PLANE_SEEDS]


def check_random_keeps_at_most_55pct() -> None:
    shares = random_shares()
    assert max(shares) <= 0.55
    assert 0.2 <= float(np.mean(shares)) <= 0.3  # "about a quarter on average"


def test_slice_pca_plane_holds_the_path_a_random_one_does_not() -> None:
    for s in SLICE_SEEDS:
        pca, _ = slice_of(s, "pca")
        for p in PLANE_SEEDS:
            rnd, _ = slice_of(s, "random", p)
            assert pca.paths[0].distance[0] <= 0.5 * rnd.paths[0].distance[0], (s, p)
        # the distance is the true one: the start minus its projection onto the plane
        _, (tr,) = trained("net_slice_planes", s)
        d = pca.directions
        offset = tr.thetas[0] - pca.origin
        resid = offset - d.T @ np.linalg.lstsq(d.T, offset, rcond=None)[0]
        assert pca.paths[0].distance[0] == pytest.approx(np.linalg.norm(resid), rel=1e-6)
        # not exact: somewhere along the path the slice's loss is off by over 5% of the start's
        assert pca.paths[0].error.max() > 0.05 * pca.paths[0].true_loss[0], s


def test_slice_variant_is_the_same_race_in_a_random_plane() -> None:
    lesson = LESSONS_BY_ID["net_slice_planes"]
    assert lesson.variant["scene"]["request"] == lesson.scene["request"]
    assert (lesson.scene["plane"], lesson.variant["scene"]["plane"]) == ("pca", "random")


FACT_CHECKS: dict[str, dict[str, Callable[[], None]]] = {
    "net_saddles": {"2": check_two_layers_of_8, "114": check_114_parameters,
                    "1": check_ratio_1_at_a_minimum,
                    "100": check_stalls_over_last_100, "0.8": check_min_ratio_below_08,
                    "9": check_up_to_seed_9},
    "net_batch_size": {"32": check_32_times_the_work, "4": check_updates_per_epoch,
                       "40%": check_noise_every_seed, "19": check_noise_every_seed},
    "net_sharp_flat": {"9": check_flatter_up_to_seed_9},
    "net_edge_of_stability": {"5%": check_within_5pct, "15%": check_within_15pct,
                              "19": check_eos_seeds_19, "10%": check_eos_lr_10pct},
    "net_warmup": {"20": check_lambda0_above_20, "0.1": check_lambda0_above_20,
                   "1%": check_warmup_schedule_1pct, "10": check_diverges_within_10,
                   "0.05": check_warm_below_005, "15%": check_warm_ends_within_15pct,
                   "19": check_warmup_seeds_19, "10%": check_warmup_lr_10pct},
    "net_slice_planes": {"82": check_82_parameters, "90%": check_pca_90pct,
                         "95%": check_pca_keeps_95pct, "55%": check_random_keeps_at_most_55pct,
                         "9": check_slice_seeds_9, "4": check_plane_seeds_4},
}
