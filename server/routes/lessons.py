"""The lesson gallery: ready-made classroom scenes (lessons/catalog.py), en, zh and zh-Hant."""

from __future__ import annotations

from dataclasses import asdict
from functools import cache

from fastapi import APIRouter, HTTPException

from gradscape.lessons import LESSONS, LESSONS_BY_ID
from gradscape.server.hant import add_hant
from gradscape.server.lessonschemas import LessonOut

router = APIRouter(tags=["lessons"])


@cache
def lesson_out(lesson_id: str) -> LessonOut:
    """A lesson as served (built once: lessons are constants)."""
    return LessonOut.model_validate(add_hant(asdict(LESSONS_BY_ID[lesson_id])))


@router.get("/lessons", response_model=list[LessonOut], response_model_exclude_unset=True)
async def list_lessons() -> list[LessonOut]:
    """Every lesson: its scene (the same shape as a run request) and its words."""
    return [lesson_out(lesson.id) for lesson in LESSONS]


@router.get("/lessons/{lesson_id}", response_model=LessonOut, response_model_exclude_unset=True,
            responses={404: {"description": "no lesson with that id; the message lists them"}})
async def get_lesson(lesson_id: str) -> LessonOut:
    if lesson_id not in LESSONS_BY_ID:
        raise HTTPException(404, f"no lesson {lesson_id!r}; known: {', '.join(LESSONS_BY_ID)}")
    return lesson_out(lesson_id)
