"""Adding an optimizer is one registry entry (docs/extending.md, "Adding an optimizer").

A fresh Python process adds one entry to core's OPTIMIZERS, touching no other file, and then
asks the real server for it: the catalog lists it with its texts and learning rate, a REST
race and a streamed race run it, and its torch reference case, written as a row of
scripts/make_torch_golden.py's CASES table, passes tests/test_optimizers.py's own torch test.
The expected paths come from torch.optim (a test-only dependency), not from our code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Everything between the markers is what docs/extending.md tells a contributor to write.
SCRIPT = r'''
import json, sys
sys.path[:0] = ["tests", "scripts"]

from gradscape.core.optimizers import OPTIMIZERS, preset

# --- the entry (in core/optimizers.py it is one line in _SPECS) ---
OPTIMIZERS["heavy_ball"] = preset(OPTIMIZERS["sgd"], "heavy_ball", "Heavy ball",
                                  momentum=0.95, playground_lr=0.001)
# --- its torch reference case: one row of CASES in scripts/make_torch_golden.py ---
CASE = ("heavy_ball", "SGD", {"lr": 1e-3, "momentum": 0.95})
# ---

from fastapi.testclient import TestClient
from gradscape.server.app import create_app
import make_torch_golden as golden
import test_optimizers

ELONGATED = "0.5*(x^2 + 10*y^2)"  # golden.FUNCTIONS["elongated"], as a typed formula
client = TestClient(create_app())
out = {"catalog": client.get("/api/optimizers").json(), "limits": client.get("/api/limits").json()}

# torch.optim's path for the case, as make_torch_golden.py computes every golden run...
ours, cls, params = CASE
start = golden.STARTS[1]
torch_points = golden.trajectory(cls, params, "elongated", start)
out["torch"] = torch_points
# ...checked by the existing torch test, unchanged: the row is all the table needs.
test_optimizers.test_matches_torch_optim({"optimizer": ours, "params": params,
                                          "function": "elongated", "start": list(start),
                                          "points": torch_points})

# A race over REST with only the page's lr: the entry's momentum default applies.
race = {"surface": {"formula": ELONGATED}, "steps": golden.STEPS,
        "runs": [{"optimizer": "heavy_ball", "params": {"lr": 1e-3}, "start": list(start)}]}
r = client.post("/api/run", json=race)
out["run"] = [r.status_code, r.json()]

# And streamed, as the page races it.
with client.websocket_connect("/api/stream") as ws:
    ws.send_json({"type": "start", **race})
    messages = []
    while not messages or messages[-1]["type"] not in ("done", "error"):
        messages.append(ws.receive_json())
out["stream"] = messages

# The Network mode offers it too (a preset of SGD keeps SGD's network settings).
net = client.get("/api/network/datasets").json()
out["network"] = {"optimizers": net["optimizers"], "defaults": net["optimizer_defaults"]}
body = {**net["default_request"], "steps": 30, "sharpness_every": 0,
        "runs": [{"optimizer": "heavy_ball", "params": net["optimizer_defaults"]["heavy_ball"]}]}
r = client.post("/api/network/train", json=body)
out["network"]["train"] = [r.status_code, r.json()]
print(json.dumps(out))
'''
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def added() -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-4000:]
    out: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    return out


def test_the_served_catalog_lists_it_with_its_texts(added: dict[str, Any]) -> None:
    catalog = added["catalog"]
    entry = next(o for o in catalog if o["id"] == "heavy_ball")
    assert entry["family"] == "plain" and entry["playground_lr"] == 0.001
    # Its English name, sent in every language until catalogtext.ZH has its Chinese.
    assert entry["names"] == {"en": "Heavy ball", "zh": "Heavy ball", "zh-Hant": "Heavy ball"}
    # Its parameters: SGD's, with the new default and the docs in both languages.
    momentum = entry["params"]["properties"]["momentum"]
    assert momentum["default"] == 0.95
    assert CJK.search(momentum["descriptions"]["zh"]) and "μ" in momentum["descriptions"]["en"]
    assert all(CJK.search(p["descriptions"]["zh"])
               for p in entry["params"]["properties"].values())
    # Its rule, as MathML, with the words in Chinese in the Chinese page.
    assert entry["rule_mathml"] and "<math" in entry["rule_mathml"][0]
    assert CJK.search("".join(entry["rule_mathmls"]["zh"]))
    # Last in the catalog's order: "Add run" offers it after every earlier optimizer.
    assert catalog[-1]["id"] == "heavy_ball"
    # The default race is untouched.
    assert "heavy_ball" not in {r["optimizer"] for r in added["limits"]["default_runs"]}


def test_a_rest_race_runs_it_as_torch_does(added: dict[str, Any]) -> None:
    status, body = added["run"]
    assert status == 200, body
    run = body["runs"][0]
    assert run["optimizer"] == "heavy_ball" and run["params"]["momentum"] == 0.95
    np.testing.assert_allclose(run["points"], added["torch"], rtol=1e-9, atol=1e-12)


def test_a_streamed_race_runs_it_as_torch_does(added: dict[str, Any]) -> None:
    messages = added["stream"]
    assert messages[0]["type"] == "started" and messages[-1]["type"] == "done", messages[-1]
    assert messages[0]["runs"][0]["params"]["momentum"] == 0.95
    points = [p for m in messages if m["type"] == "frame" for p in m["runs"][0]["points"]]
    # (streamed numbers carry 7 significant digits: server/config.py stream_digits)
    np.testing.assert_allclose(points, added["torch"], rtol=1e-6, atol=1e-9)


def test_a_network_race_offers_and_trains_it(added: dict[str, Any]) -> None:
    net = added["network"]
    assert "heavy_ball" in net["optimizers"]
    # SGD's network settings, inherited by the preset (a default the test did not write)
    assert net["defaults"]["heavy_ball"] == net["defaults"]["sgd"]
    status, body = net["train"]
    assert status == 200, body
    run = body["runs"][0]
    assert run["optimizer"] == "heavy_ball" and run["params"]["momentum"] == 0.95
    assert run["train_loss"][-1] < run["train_loss"][0]
