"""Facts the browser takes from the server rather than keeping its own copy: the default start
(GridResponse.start), the gradient check's verdict (AnalyzeResponse.grad_check_passed), the
limits a link is bounded by (GET /api/limits) and the catalog's words in each language."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gradscape.core.runs import MAX_CHANGES
from gradscape.core.surfaces import SURFACES
from gradscape.server.app import create_app

ROOT = Path(__file__).resolve().parent.parent
client = TestClient(create_app())


def post(path: str, body: dict[str, Any]) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_default_start_of_a_typed_formula_is_a_fifth_across_and_four_fifths_up() -> None:
    # core.surfaces.default_start: the browser's long-standing rule (upper left, clear of a
    # bowl's centre), now the one rule for the grid, the REST run and the page.
    surface = {"formula": "x^2 + y^2", "bounds": [-2, 2, -1, 3]}
    body = post("/api/grid", {"surface": surface, "resolution": 5})
    assert body["start"] == pytest.approx([-2 + 0.2 * 4, -1 + 0.8 * 4])
    race = post("/api/run", {"surface": surface, "steps": 1,
                              "runs": [{"optimizer": "sgd", "params": {"lr": 0.001}}]})
    assert race["runs"][0]["points"][0] == pytest.approx(body["start"])


def test_default_start_of_a_registered_surface_is_its_own() -> None:
    body = post("/api/grid", {"surface": "himmelblau", "resolution": 5})
    assert body["start"] == pytest.approx(list(SURFACES["himmelblau"].start))
    # A race without a start begins there too (the same rule, on the server).
    race = post("/api/run", {"surface": "himmelblau", "steps": 1,
                              "runs": [{"optimizer": "sgd", "params": {"lr": 0.001}}]})
    assert race["runs"][0]["points"][0] == pytest.approx(body["start"])


def test_gradient_check_verdict_passes_smooth_and_fails_across_a_kink() -> None:
    ok = post("/api/analyze", {"surface": {"formula": "x^2 + 3*y^2"}, "point": [0.3, -0.2]})
    assert ok["grad_check_passed"] is True
    # 1e-9 right of relu's kink: the exact slope is 1, a central difference straddles the kink
    # and sees about 1/2, a relative error near 0.5 (far above any tolerance).
    bad = post("/api/analyze", {"surface": {"formula": "relu(x) + y^2"}, "point": [1e-9, 0.0]})
    assert bad["grad"][0] == pytest.approx(1.0)
    assert bad["grad_rel_error"] > 0.1
    assert bad["grad_check_passed"] is False


def test_limits_serve_the_changes_per_run() -> None:
    assert client.get("/api/limits").json()["max_changes"] == MAX_CHANGES


_NODE = """
import { readFileSync } from 'node:fs';
import { localizeCatalog, kindName, choiceLabel } from './frontend/js/lib/catalog_i18n.js';
const catalog = JSON.parse(readFileSync(0, 'utf8'));  // stdin: too long for an argument
const out = {};
for (const lang of ['zh', 'zh-Hant', 'en']) {
  localizeCatalog(catalog, lang);
  const texts = [];
  const add = (where, text) => texts.push([where, text]);
  for (const s of catalog.surfaces) {
    add(`surface ${s.id}`, s.name);
    add(`kind ${s.kind}`, kindName(s, lang));
  }
  for (const d of catalog.datasets) {
    add(`dataset ${d.id}`, d.name);
    for (const [key, o] of Object.entries(d.options)) {
      add(`option ${key}`, o.label); add(`option doc ${key}`, o.doc);
      for (const c of o.choices || []) add(`choice ${c}`, choiceLabel(o, c, lang));
    }
  }
  for (const group of ['optimizers', 'schedules']) {
    for (const e of catalog[group]) {
      add(`${group} ${e.id}`, e.name);
      if (e.rule) add(`rule ${e.id}`, e.rule);
      if (e.rule_mathml) add(`mathml ${e.id}`, e.rule_mathml.join(''));
      for (const [key, p] of Object.entries(e.params.properties)) {
        add(`param ${e.id}.${key}`, p.description);
      }
    }
  }
  out[lang] = texts;
}
console.log(JSON.stringify(out));
"""
# Not translated: people's names and acronyms; functions' names as written in formulas.
PROPER = re.compile(r"^(?:surface (?:rosenbrock|himmelblau|beale|booth|rastrigin|ackley|"
                    r"styblinski_tang)|optimizers (?:sgd|adagrad|rmsprop|adam|adamw)|"
                    r"choice (?:sigmoid|tanh|relu|leaky_relu|True|False|true|false)|"
                    r"rule (?:adagrad|rmsprop|adam|newton|saddle_free_newton))$")
CJK = re.compile(r"[\u4e00-\u9fff]")
WORDS = re.compile(r"\\text\{([^}]*)\}")


def test_the_live_catalog_reads_in_chinese_through_the_browser_code() -> None:
    """Every name and description the catalog serves, localized by the page's own
    catalog_i18n.js: Chinese in zh and zh-Hant (bar proper names), English in en."""
    catalog = {name: client.get(f"/api/{name}").json()
               for name in ("surfaces", "datasets", "optimizers", "schedules")}
    english = json.loads(json.dumps(catalog))
    run = subprocess.run(["node", "--input-type=module", "-e", _NODE], input=json.dumps(catalog),
                         cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(run.stdout)
    assert len(out["zh"]) > 100
    for lang in ("zh", "zh-Hant"):
        for where, text in out[lang]:
            if where.startswith("mathml "):  # what the page shows: the rule's words translated
                rule = next(o["rule"] for o in english["optimizers"]
                            if o["id"] == where.split()[1])
                assert "<math" in text and (CJK.search(text) or not WORDS.search(rule)), \
                    (lang, where, text)
                continue
            if PROPER.match(where):
                continue
            if where.startswith("rule "):  # the mathematics stays; its words are translated
                if WORDS.search(text):
                    assert all(CJK.search(w) for w in WORDS.findall(text)), (lang, where, text)
                continue
            assert text and CJK.search(text), (lang, where, text)
    # zh-Hant is really Traditional where the characters differ (学习率 -> 學習率).
    hant = dict(out["zh-Hant"])
    assert "學習率" in hant["param sgd.lr"], hant["param sgd.lr"]
    # And English is the server's English, untouched.
    en = dict(out["en"])
    assert en["optimizers momentum"] == next(o["name"] for o in english["optimizers"]
                                             if o["id"] == "momentum")
    assert not any(CJK.search(text or "") for _, text in out["en"])


# --- what the page used to keep: learning rates, the default runs, the seed and speed bounds ---
LIMITS = client.get("/api/limits").json()
OPTIMIZERS_SERVED = {o["id"]: o for o in client.get("/api/optimizers").json()}


def test_default_runs_are_what_a_link_without_runs_has_always_meant() -> None:
    # Links that name no runs (r=) were written against these runs; the node tests' copy
    # (tests/js/data/default_runs.json) is the same, so both sides test one meaning.
    historic = json.loads((ROOT / "tests" / "js" / "data" / "default_runs.json").read_text())
    assert LIMITS["default_runs"] == historic
    for run in LIMITS["default_runs"]:  # each at its optimizer's served playground rate
        assert run["params"] == {"lr": OPTIMIZERS_SERVED[run["optimizer"]]["playground_lr"]}


def test_playground_learning_rates_are_valid_settings_of_their_optimizers() -> None:
    with_lr = [o for o in OPTIMIZERS_SERVED.values() if o["playground_lr"] is not None]
    assert {o["id"] for o in with_lr} >= {"sgd", "momentum", "adam", "rmsprop", "adagrad"}
    for o in with_lr:
        lr = o["params"]["properties"]["lr"]
        assert lr["exclusiveMinimum"] < o["playground_lr"] <= lr["maximum"], o["id"]
        post("/api/run", {"surface": "himmelblau", "steps": 3,
                          "runs": [{"optimizer": o["id"], "params": {"lr": o["playground_lr"]}}]})


@pytest.mark.parametrize("path", ["/api/run", "/api/basins"])
def test_the_served_max_seed_is_the_largest_seed_a_request_may_use(path: str) -> None:
    top = LIMITS["max_seed"]
    assert top >= 2**32 - 1  # the bound links have been written against: they stay valid
    body: dict[str, Any] = {"surface": "himmelblau", "steps": 2,
                            "runs": [{"optimizer": "sgd", "params": {"lr": 0.01}}]}
    if path == "/api/basins":
        body = {"surface": "himmelblau", "optimizer": "random_local_search", "steps": 2,
                "resolution": 2}
    assert client.post(path, json={**body, "seed": top}).status_code == 200
    too_big = client.post(path, json={**body, "seed": top + 1})
    assert too_big.status_code == 422 and "seed" in too_big.text


def test_the_served_speeds_are_a_range_around_the_normal_pace() -> None:
    assert 0 < LIMITS["min_speed"] < 1 < LIMITS["max_speed"]
