"""Traditional Chinese for the texts the server sends: "zh-Hant" next to every "zh".

The texts are written once, in Simplified Chinese; their Traditional form comes from a
committed table (server/zh_hant.json) that scripts/make_zh_hant.py generates with OpenCC, so
the server needs no converter at run time. tests/test_zh_hant.py checks the table is current
and covers every text served. A text missing from the table (an edit not yet regenerated)
is sent in Simplified rather than not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

TABLE_PATH = Path(__file__).with_name("zh_hant.json")
HANT = "zh-Hant"


@cache
def table() -> dict[str, str]:
    loaded: dict[str, str] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return loaded


def to_hant(zh: str) -> str:
    """The Traditional form of a served Simplified text (itself if the table lacks it)."""
    return table().get(zh, zh)


def with_hant(text: Mapping[str, str]) -> dict[str, str]:
    """An {en, zh} text with its zh-Hant added."""
    if "zh" not in text:
        return dict(text)
    return {**text, HANT: to_hant(text["zh"])}


def add_hant(obj: Any) -> Any:
    """A JSON tree (lists, dicts) with "zh-Hant" added to every {en, zh} text in it."""
    if isinstance(obj, dict):
        out = {k: add_hant(v) for k, v in obj.items()}
        if isinstance(out.get("zh"), str) and "en" in out:
            out[HANT] = to_hant(out["zh"])
        return out
    if isinstance(obj, list | tuple):
        return [add_hant(v) for v in obj]
    return obj
