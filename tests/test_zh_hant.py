"""Traditional Chinese (zh-Hant): the committed conversions are current and complete, and the
server sends "zh-Hant" next to every "zh"."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import opencc
from fastapi.testclient import TestClient

from gradscape.server.app import create_app
from gradscape.server.hant import HANT, table

_SPEC = importlib.util.spec_from_file_location(
    "make_zh_hant", Path(__file__).resolve().parent.parent / "scripts/make_zh_hant.py")
assert _SPEC and _SPEC.loader
gen = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(gen)

# Characters that exist only in Simplified (their Traditional forms differ): none may be left.
SIMPLIFIED_ONLY = "习动点极优础应为这说们时过还发学简体图会数线运对于"


def test_browser_table_is_what_the_script_writes_today() -> None:
    expected = gen.js_module(gen.browser_tables(), gen.converter())
    assert gen.JS_OUT.read_text(encoding="utf-8") == expected, (
        "frontend/js/lib/i18n.zh_hant.js is stale: run .venv/bin/python scripts/make_zh_hant.py")


def test_server_table_is_what_the_script_writes_today() -> None:
    expected = gen.server_table(gen.converter())
    assert gen.SERVER_OUT.read_text(encoding="utf-8") == expected, (
        "server/zh_hant.json is stale: run .venv/bin/python scripts/make_zh_hant.py")


def test_course_terms_in_traditional() -> None:
    # Independent reference: the terms spelled out here, not taken from the converter.
    conv = opencc.OpenCC("s2tw")
    for simp, trad in [("梯度下降", "梯度下降"), ("学习率", "學習率"), ("动量", "動量"),
                       ("鞍点", "鞍點"), ("极小值", "極小值"), ("批量大小", "批量大小"),
                       ("反向传播", "反向傳播"), ("局部最小值", "局部最小值")]:
        assert conv.convert(simp) == trad
    text = gen.JS_OUT.read_text(encoding="utf-8")
    for term in ["學習率", "動量", "鞍點", "批量大小", "梯度下降", "反向傳播"]:
        assert term in text, term
    served = "".join(table().values())
    for term in ["學習率", "動量", "鞍點", "梯度下降"]:
        assert term in served, term


def test_no_simplified_only_character_left() -> None:
    pattern = re.compile(f"[{SIMPLIFIED_ONLY}]")
    text = gen.JS_OUT.read_text(encoding="utf-8")
    names, templates = text.split("export const TEMPLATES_HANT = ")
    leftovers = pattern.findall(names)  # (the templates' keys are the Simplified originals)
    leftovers += pattern.findall("".join(json.loads(templates.rstrip().rstrip(";")).values()))
    leftovers += pattern.findall("".join(table().values()))
    assert not leftovers, sorted(set(leftovers))


def test_server_sends_zh_hant_next_to_every_zh() -> None:
    client = TestClient(create_app())
    served: list[dict[str, str]] = []

    def walk(obj: object) -> None:
        if isinstance(obj, dict):
            if "zh" in obj and "en" in obj:
                served.append(obj)
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for path in ["/api/lessons", "/api/surfaces", "/api/datasets", "/api/lessons/saddle_point"]:
        r = client.get(path)
        assert r.status_code == 200, path
        walk(r.json())
    assert len(served) > 100
    for text in served:
        assert HANT in text, text["en"][:60]
        # a real conversion: differs from the Simplified wherever a character changes
        assert text[HANT] == opencc.OpenCC("s2tw").convert(text["zh"])
    changed = sum(text[HANT] != text["zh"] for text in served)
    assert changed > 0.9 * len(served)


def test_table_is_valid_json_of_strings() -> None:
    data = json.loads(gen.SERVER_OUT.read_text(encoding="utf-8"))
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data.items())
