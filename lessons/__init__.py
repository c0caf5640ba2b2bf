"""Ready-made classroom scenes whose claims are tested facts (see lessons/catalog.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import gradscape.core as core
from gradscape.core.datasets import dataset_surface
from gradscape.core.network import NetworkProblem, network_problem
from gradscape.core.runs import Race, RunSpec, Trajectory
from gradscape.core.surface import Surface
from gradscape.core.training import TrainResult
from gradscape.lessons.catalog import LESSONS as CATALOG_LESSONS
from gradscape.lessons.catalog import (
    DatasetSpec,
    FormulaSpec,
    Lesson,
    Scene,
    SceneRun,
    SurfaceSpec,
)
from gradscape.lessons.more import MORE_LESSONS
from gradscape.lessons.networks import NETWORK_LESSONS

# Grouped by concept section (the gallery's order), catalog order kept within a section.
LESSONS: list[Lesson] = sorted([*CATALOG_LESSONS, *MORE_LESSONS, *NETWORK_LESSONS],
                             key=lambda x: int(x.concept))
LESSONS_BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}

__all__ = ["LESSONS", "LESSONS_BY_ID", "Lesson", "is_network", "network_problem_of",
           "run_network_scene", "run_scene", "scene_surface"]


def is_network(lesson_or_scene: Any) -> bool:
    """A real-network scene ({"mode": "network", "request": ...}), not a 2D surface's."""
    scene = getattr(lesson_or_scene, "scene", lesson_or_scene)
    return isinstance(scene, Mapping) and scene.get("mode") == "network"


def network_problem_of(request: Mapping[str, Any]) -> NetworkProblem:
    """The network a race request builds (server/networks.py problem(), without limits)."""
    net = dict(request["network"])
    return network_problem(dataset=net["dataset"], hidden=tuple(net.get("hidden", (16, 16))),
                                activation=net.get("activation", "tanh"),
                                samples=int(net.get("samples", 200)),
                                test_samples=int(net.get("test_samples", 200)),
                                noise=net.get("noise"), seed=int(net.get("seed", 0)),
                                weight_decay=float(net.get("weight_decay", 0.0)),
                                classes=net.get("classes"))


def run_network_scene(scene: Mapping[str, Any]) -> tuple[NetworkProblem, list[TrainResult]]:
    """Every run of a network scene trained through core from the race's shared start
    (prob.init(init_seed)), with the race's batch seed: what the network race streams."""
    req = scene["request"]
    prob = network_problem_of(req)
    start = prob.init(int(req.get("init_seed", 0)))
    out = [core.train(prob, r["optimizer"], int(req.get("steps", 300)), start=start,
                      batch_size=r.get("batch_size"), seed=int(req.get("seed", 0)),
                      schedule=r.get("schedule", "constant"),
                      schedule_params=dict(r.get("schedule_params", {})),
                      sharpness_every=int(req.get("sharpness_every", 0)),
                      **dict(r.get("params", {})))
           for r in req["runs"]]
    return prob, out


def scene_surface(spec: SurfaceSpec) -> Surface:
    """A scene's surface: a registered id, {"formula", "bounds"} or {"dataset", "options"}."""
    if isinstance(spec, str):
        return core.surface(spec)
    if isinstance(spec, Mapping) and "dataset" in spec:
        data = cast(DatasetSpec, spec)  # mypy does not narrow a TypedDict union by a key
        return dataset_surface(data["dataset"], data.get("options") or {})
    if isinstance(spec, Mapping) and "formula" in spec:
        formula = cast(FormulaSpec, spec)
        return core.surface(formula["formula"], formula.get("bounds"))
    raise ValueError(f"a surface is an id, a formula or a data set, got {spec!r}")


def run_spec(entry: SceneRun) -> RunSpec:
    x, y = entry["start"]
    return RunSpec(entry["optimizer"], (x, y), dict(entry.get("params", {})),
                   entry.get("schedule", "constant"), dict(entry.get("schedule_params", {})),
                   float(entry.get("noise", 0.0)), entry.get("batch_size"))


def run_scene(scene: Scene, surface: SurfaceSpec | None = None) -> list[Trajectory]:
    """Every run of a scene, raced to the end through core (what the browser would show)."""
    surf = scene_surface(surface if surface is not None else scene["surface"])
    race = Race(surf, [run_spec(r) for r in scene["runs"]], steps=int(scene["steps"]),
                seed=int(scene.get("seed", 0)), eigen=bool(scene.get("eigen", False)))
    return race.run()
