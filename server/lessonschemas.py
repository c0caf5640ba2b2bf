"""Response models of the lesson gallery (GET /api/lessons, /api/lessons/{id}).

A lesson (lessons/catalog.py) is a scene, the shape of a run request plus the view it opens
in, and its words as {en, zh, zh-Hant}. The scene's types are the catalog's own TypedDicts
(one definition for the lessons and their answers). The routes send only the keys a lesson
sets (`response_model_exclude_unset`), as the lesson writes them; a key added to a lesson
without its type here or in the catalog would be dropped from the answer, which
tests/test_api_models.py (`test_lessons_are_served_as_written`) catches.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gradscape.lessons.catalog import Plane, Scene


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextOut(Closed):
    """A text in English, Simplified Chinese and Traditional Chinese (generated)."""

    model_config = ConfigDict(populate_by_name=True)
    en: str
    zh: str
    zh_hant: str = Field(alias="zh-Hant")  # hant.HANT


class NetworkSceneOut(Closed):
    """A real-network lesson's scene: the network race it opens, in the network lab."""

    mode: Literal["network"]
    # Free-form here, not NetRaceRequest: that schema carries this server's limits, and a
    # lesson is written once for every server (tests/test_lessons_networks.py validates each
    # request against NetRaceRequest at the default limits).
    request: dict[str, Any] = Field(description="the body of POST /api/network/train "
                                                "(NetRaceRequest)")
    plane: Plane = Field(description="the loss-landscape slice's plane")
    step: int | None = Field(description="the step it opens at (null: the end)")


class LessonExtras(Closed):
    point: list[float] | None = Field(None, min_length=2, max_length=2,
                                      description="the point the panel inspects")


class LessonVariant(Closed):
    """The "after" the panel offers once the answer is shown."""

    label: TextOut
    scene: Scene | NetworkSceneOut


class NoVariant(Closed):
    """{}: the lesson has no variant."""


class LessonOut(Closed):
    id: str
    concept: str = Field(description="the section of the course's concepts it teaches")
    scene: Scene | NetworkSceneOut
    title: TextOut
    explanation: TextOut
    watch: TextOut
    predict: TextOut
    claim: TextOut = Field(description="what happens, in words; asserted by the tests")
    extras: LessonExtras
    summary: TextOut = Field(description="one line for the gallery")
    variant: LessonVariant | NoVariant
    facts: list[str] = Field(description="the numbers the texts state beyond the scene's own")
