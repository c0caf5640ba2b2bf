"""More lessons (same form as lessons/catalog.py); lessons/__init__.py joins both lists."""

from __future__ import annotations

from gradscape.lessons.catalog import Lesson

MORE_LESSONS: list[Lesson] = []
