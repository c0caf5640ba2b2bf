"""The lesson gallery: ready-made classroom scenes (lessons/catalog.py), en, zh and zh-Hant."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException

from gradscape.lessons import LESSONS, LESSONS_BY_ID
from gradscape.server.hant import add_hant

router = APIRouter(tags=["lessons"])


@router.get("/lessons")
async def list_lessons() -> list[dict[str, Any]]:
    """Every lesson: its scene (the same shape as a run request) and its words."""
    return [add_hant(asdict(lesson)) for lesson in LESSONS]


@router.get("/lessons/{lesson_id}",
            responses={404: {"description": "no lesson with that id; the message lists them"}})
async def get_lesson(lesson_id: str) -> dict[str, Any]:
    lesson = LESSONS_BY_ID.get(lesson_id)
    if lesson is None:
        raise HTTPException(404, f"no lesson {lesson_id!r}; known: {', '.join(LESSONS_BY_ID)}")
    return dict(add_hant(asdict(lesson)))
