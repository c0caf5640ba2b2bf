"""Response models of the lesson gallery (GET /api/lessons, /api/lessons/{id}).

A lesson (lessons/catalog.py) is a scene, the shape of a run request plus the view it opens
in, and its words as {en, zh, zh-Hant}. The models refuse a key they do not know, so a field
added to a lesson without a model here fails the route's tests instead of silently vanishing
from the answer; the routes send only the keys a lesson sets (`response_model_exclude_unset`),
exactly as the lesson writes them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from gradscape.server.schemas import Value


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextOut(Closed):
    """A text in English, Simplified Chinese and Traditional Chinese (generated)."""

    model_config = ConfigDict(populate_by_name=True)
    en: str
    zh: str
    zh_hant: str = Field(alias="zh-Hant")  # hant.HANT


class SceneFormula(Closed):
    formula: str = Field(description="f(x, y) as the surface box takes it")
    bounds: list[float] | None = Field(None, min_length=4, max_length=4,
                                       description="(xmin, xmax, ymin, ymax)")


class SceneDataset(Closed):
    dataset: str = Field(description="a data-set id from GET /api/datasets")
    options: dict[str, Value] = Field(default_factory=dict)
    bounds: list[float] | None = Field(None, min_length=4, max_length=4)


class SceneRun(Closed):
    """One contestant, as in a run request's `runs`."""

    optimizer: str
    start: list[float] = Field(min_length=2, max_length=2, description="(x, y)")
    params: dict[str, Value] = Field(default_factory=dict)
    schedule: str = "constant"
    schedule_params: dict[str, Value] = Field(default_factory=dict)
    noise: float = 0.0
    batch_size: int | None = None


class SceneOut(Closed):
    """What the playground shows: a run request's fields plus the view it opens in."""

    surface: str | SceneFormula | SceneDataset = Field(
        description="a surface or data-set id, a formula or a data set with options")
    runs: list[SceneRun]
    steps: int
    seed: int = 0
    view: str = Field(description="the view or panel the scene opens in (contour, basins, "
                                  "critical, graph, inspector, ...)")
    eigen: bool = Field(False, description="race with the Hessian's eigen-decomposition")
    critical: bool = Field(True, description="false: the critical points are not marked "
                                             "(a surface with hundreds of them)")
    taylor: bool = Field(False, description="draw the quadratic Taylor model")


class LessonExtras(Closed):
    point: list[float] | None = Field(None, min_length=2, max_length=2,
                                      description="the point the panel inspects")


class LessonVariant(Closed):
    """The "after" the panel offers once the answer is shown."""

    label: TextOut
    scene: SceneOut


class NoVariant(Closed):
    """{}: the lesson has no variant."""


class LessonOut(Closed):
    id: str
    concept: str = Field(description="the section of the course's concepts it teaches")
    scene: SceneOut
    title: TextOut
    explanation: TextOut
    watch: TextOut
    predict: TextOut
    claim: TextOut = Field(description="what happens, in words; asserted by the tests")
    extras: LessonExtras
    summary: TextOut = Field(description="one line for the gallery")
    variant: LessonVariant | NoVariant
    facts: list[str] = Field(description="the numbers the texts state beyond the scene's own")
