"""Every error the server sends has a code, and reads in Chinese in the Chinese interface.

The registry (server/errorcodes.py) lists every code with its {en, zh} texts. Against a live
server, each error kind that input can cause is triggered: the REST ones through the
browser's own request code (frontend/js/net/api.js under node, fetching from the server),
the stream's by a WebSocket client; then the browser's errortext.js turns each into the
toast it shows, in zh, zh-Hant and en. The Chinese toast must be Chinese (no English words
but the user's own formula text, names and numbers), and every formula code core can raise
through the server, every refusal core declares (core/errors.py's Refusal) and each of the
server's limit and network refusals must have been seen, so a new code without a trigger
here fails. A plain `raise ValueError` added to core/ or server/ fails too (PLAIN, below).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from gradscape.core.formula import HINTS, PROBLEMS
from gradscape.server.errorcodes import CORE_EN, placeholders, registry, texts
from gradscape.server.hant import table as hant_table
from gradscape.server.spawn import spawned_server

ROOT = Path(__file__).resolve().parent.parent

# Formulas and the problem and hint codes they must give (wrong input, as people type it).
FORMULAS: dict[str, tuple[str, ...]] = {
    "2x": ("formula.missing_operator", "formula.hint.implicit"),
    "1..2": ("formula.malformed_number", "formula.hint.number_form"),
    "1e-": ("formula.malformed_number", "formula.hint.exponent_digits"),
    "x $ y": ("formula.unexpected_character", "formula.hint.usable"),
    "x − y": ("formula.unexpected_character", "formula.hint.ascii_minus"),
    "x × y": ("formula.unexpected_character", "formula.hint.times"),
    "x ÷ y": ("formula.unexpected_character", "formula.hint.divide"),
    "x²": ("formula.unexpected_character", "formula.hint.power"),
    "π*x": ("formula.unexpected_character", "formula.hint.pi"),
    "[x]": ("formula.unexpected_character", "formula.hint.brackets"),
    "z = x^2": ("formula.unexpected_character", "formula.hint.equals"),
    "(" * 70 + "x" + ")" * 70: ("formula.too_deep", "formula.hint.depth"),
    "1e999*x": ("formula.number_too_large", "formula.hint.finite"),
    "(x": ("formula.missing_close",),
    "sin + x": ("formula.needs_parentheses", "formula.hint.write"),
    "foo(x)": ("formula.unknown_function", "formula.hint.known"),
    "Sin(x)": ("formula.unknown_function", "formula.hint.did_you_mean", "formula.hint.known"),
    "ln(x)": ("formula.unknown_function", "formula.hint.ln", "formula.hint.known"),
    "pow(x, 2)": ("formula.unknown_function", "formula.hint.pow", "formula.hint.known"),
    "q": ("formula.unknown_name", "formula.hint.use_names"),
    "X": ("formula.unknown_name", "formula.hint.did_you_mean", "formula.hint.use_names"),
    "xy": ("formula.unknown_name", "formula.hint.multiply"),
    "sinx": ("formula.unknown_name", "formula.hint.write"),
    "max(1)": ("formula.arity", "formula.hint.write"),
    "x +": ("formula.ends_early", "formula.hint.operand_after"),
    "*x": ("formula.unexpected_token", "formula.hint.operand_first"),
    "x)": ("formula.unexpected_close", "formula.hint.no_opening"),
    "x, y": ("formula.unexpected_token", "formula.hint.comma"),
    "   ": ("formula.blank",),
    "x+" * 300 + "x": ("formula.over_length",),
}
# Core's codes the server cannot reach: it refuses first (blank, over its own length limit,
# not a string by the request model), and 2000 nodes do not fit in 1000 characters.
UNREACHABLE = {"formula.not_text", "formula.empty", "formula.hint.empty", "formula.too_long",
               "formula.hint.length", "formula.too_large", "formula.hint.nodes"}

# Parameters that are English prose: a Chinese text leaves them out (the English plural's
# ending, core's uncoded reason, the work estimate's `what` and `advice`).
PROSE = {"plural", "reason", "what", "advice"}

# Other REST requests: (path, body) -> the code.
REQUESTS: list[tuple[str, Any, str]] = [
    ("/grid", {"surface": "bowl", "resolution": 100000}, "request.invalid"),
    ("/grid", {"surface": "bowl", "resolution": "fine"}, "request.invalid"),
    ("/formula", {}, "request.invalid"),
    ("/export", {"surface": "bowl", "steps": 2, "runs": [{"optimizer": "sgd"}], "format": "pdf"},
     "request.invalid"),  # a literal: one of 'html', 'csv'
    ("/run", [1, 2], "request.invalid"),  # not an object at all
    ("/run", {"surface": "bowl", "steps": 2, "runs": [{"optimizer": "sgd", "params": {"lr": -1}}]},
     "param.out_of_range"),
    ("/run", {"surface": "bowl", "steps": 2, "runs": [{"optimizer": "sgd", "params": {"zz": 1}}]},
     "param.unknown"),
    ("/run", {"surface": "bowl", "steps": 2,
              "runs": [{"optimizer": "sgd", "params": {"nesterov": "yes"}}]}, "param.not_bool"),
    ("/run", {"surface": "bowl", "steps": 99999, "runs": [{"optimizer": "sgd"}]},
     "limit.steps"),
    ("/surfaces/nowhere/grid", None, "request.not_found"),  # a GET
    ("/formula", {"formula": "x" * 3000}, "request.too_large"),  # over the 2048-byte limit
]
# Core's refusals and the server's own limits, as a request meets them (the server below runs
# with GRADSCAPE_MAX_NET_PARAMS=4000, GRADSCAPE_MAX_NET_STEPS=8000, GRADSCAPE_MAX_NET_LAYERS=3,
# GRADSCAPE_MAX_NET_WIDTH=60, GRADSCAPE_MAX_WORK=10**8 and GRADSCAPE_MAX_KEPT_FLOATS=50).
NET = {"dataset": "moons", "hidden": [4], "samples": 20, "test_samples": 10}


def _run(surface: Any = "bowl", steps: int = 2, **run: Any) -> dict[str, Any]:
    return {"surface": surface, "steps": steps, "runs": [{"optimizer": "sgd", **run}]}


def _net(path: str = "/network/train", network: Any = None, **change: Any) -> tuple[str, Any]:
    body = {"network": {**NET, **(network or {})}, "steps": 3, "runs": [{"optimizer": "sgd"}]}
    return path, {**body, **change}


LR = {"dataset": "linear_regression"}
REFUSED: list[tuple[str, Any, str]] = [
    ("/run", _run(optimizer="nope"), "optimizer.unknown"),
    ("/run", {"surface": "bowl", "steps": 2, "runs": [{"optimizer": "sgd"}] * 16},
     "limit.runs"),
    ("/basins", {"surface": "bowl", "optimizer": "nope"}, "optimizer.unknown"),
    (*_net(runs=[{"optimizer": "newton"}]), "optimizer.network_choice"),
    (*_net(runs=[{"optimizer": "nope"}]), "optimizer.network_choice"),
    (*_net(runs=[{"optimizer": "sgd", "changes": [{"step": 9, "params": {"lr": 0.1}}]}]),
     "network.change_step"),
    ("/run", _run(schedule="zigzag"), "schedule.unknown"),
    ("/schedules/curve", {"schedule": "zigzag"}, "schedule.unknown"),
    ("/run", _run(batch_size=3), "run.batch_size_analytic"),
    ("/run", _run(LR, batch_size=65), "run.batch_size_over"),
    ("/run", _run(changes=[{"step": 3, "params": {}}, {"step": 2, "params": {}}]),
     "run.change_steps"),
    ("/run", _run(params={"nesterov": True}), "param.nesterov"),
    ("/run", _run("nowhere"), "surface.unknown"),
    ("/run", {"surface": "bowl", "steps": 2, "runs": [{"optimizer": "adam",
                                                       "params": {"betas": 1}}]},
     "param.not_pair"),
    ("/run", _run(schedule="step", schedule_params={"step_size": 1.5}), "param.not_integer"),
    ("/run", _run({"dataset": "nowhere"}), "dataset.unknown"),
    ("/run", _run({**LR, "options": {"colour": 1}}), "dataset.unknown_option"),
    ("/run", _run({**LR, "options": {"samples": "many"}}), "param.not_number"),
    ("/critical-points", {"surface": {**LR, "options": {"samples": 1}}}, "param.between"),
    ("/run", _run({"dataset": "single_neuron", "options": {"activation": "gelu"}}),
     "param.choice"),
    ("/grid", {"surface": {"formula": "x", "bounds": [1, 0, 0, 1]}}, "bounds.order"),
    ("/run", _run({"formula": "x", "bounds": [0, 1e7, 0, 1]}), "bounds.range"),
    ("/grid", {"surface": "bowl", "resolution": 1999}, "limit.over"),
    ("/basins", {"surface": "bowl", "optimizer": "sgd", "resolution": 400}, "limit.over"),
    ("/basins", {"surface": "bowl", "optimizer": "sgd", "steps": 100000}, "limit.over"),
    ("/grid", {"surface": {**LR, "options": {"samples": 4096}}}, "limit.over"),
    ("/run", {"surface": {**LR, "options": {"samples": 1024}}, "steps": 20000, "eigen": True,
              "runs": [{"optimizer": "newton"}] * 12}, "limit.work"),
    (*_net(network={"hidden": [60, 60, 10]}), "limit.net_params"),
    (*_net(network={"hidden": [4, 4, 4, 4]}), "limit.net_layers"),
    (*_net(network={"hidden": [62]}), "limit.net_width"),
    (*_net(steps=9000), "limit.over"),
    (*_net(network={"hidden": [56, 56], "samples": 2, "test_samples": 1}, steps=8000),
     "network.path_too_long"),
    (*_net(network={"samples": 4096}), "limit.over"),
    (*_net("/network/landscape", resolution=150), "limit.over"),
    (*_net(runs=[{"optimizer": "sgd", "schedule": "zigzag"}]), "schedule.unknown"),
    (*_net(runs=[{"optimizer": "sgd", "batch_size": 99}]), "run.batch_size_over"),
    (*_net(runs=[{"optimizer": "sgd", "params": {"lr": 0}}]), "param.out_of_range"),
    (*_net(network={"classes": 3}), "network.classes"),
    ("/network/spectrum", {"network": NET, "theta": [0.0, 1.0]}, "network.theta_length"),
    ("/network/spectrum", {"network": NET, "steps": 3}, "network.needs_run"),
    ("/network/spectrum", {"network": NET, "steps": 3,
                           "run": {"optimizer": "sgd", "schedule": ""}}, "schedule.unknown"),
    ("/network/spectrum", {"network": NET, "steps": 3,
                           "run": {"optimizer": "sgd", "batch_size": 50}},
     "run.batch_size_over"),
    ("/network/spectrum", {"network": {**NET, "hidden": [56, 56]}},
     "network.hessian_too_large"),
]
# Bodies the browser's code cannot send (JSON.stringify writes Infinity as null), sent raw.
RAW: list[tuple[str, str, str]] = [
    ("/run", '{"surface": "bowl", "steps": 2, "runs": [{"optimizer": "sgd", '
             '"params": {"lr": Infinity}}]}', "param.not_finite"),
    ("/formula", '{"formula": ' + "[" * 40 + "]" * 40 + "}", "request.too_deep"),
]
# The codes every one of which a case here must trigger: every refusal core declares, and
# the server's own about sizes and networks (its generic ones have their cases above).
MUST_TRIGGER = set(CORE_EN) | {c for c in registry() if c.split(".")[0] in (
    "limit", "network", "surface")} | {"request.too_deep", "stream.landscape_no_network",
                                       "stream.landscape_too_long"}

# The toast in Chinese may keep: the user's quoted text, function and variable names, numbers
# and symbols; never an English word of the server's.
CODE_WORDS = re.compile(r"'[^']*'|\"[^\"]*\"|\b(?:start|type|abs|cos|exp|leaky_relu|log|max|min|"
                        r"relu|sigmoid|sin|"
                        r"softplus|sqrt|tan|tanh|pi|resolution|formula|true|false|JSON|UTF|"
                        r"gradscape|ASCII|GRADSCAPE_\w+|xmin|xmax|ymin|ymax|[Nn]esterov|"
                        r"momentum|dampening|batch_size|noise|classes|steps|POST|api|network|"
                        r"landscape)\b")
ENGLISH = re.compile(r"[A-Za-z]{3,}")
FIELD = re.compile(r"[\w.\[\]]+(?=：)")
CJK = re.compile(r"[\u4e00-\u9fff]")

_NODE = """
import { request } from './frontend/js/net/api.js';
import { errorText } from './frontend/js/lib/errortext.js';
import { setLang } from './frontend/js/lib/i18n.js';
const { base, requests, frames } = JSON.parse(process.argv[1]);
const realFetch = globalThis.fetch;
globalThis.fetch = (url, init) => realFetch(base + url, init);
const toasts = (err) => Object.fromEntries(['en', 'zh', 'zh-Hant'].map((lang) => {
  setLang(lang);
  return [lang, errorText(err)];
}));
const out = { rest: [], stream: [] };
for (const [path, body] of requests) {
  try {
    await request(path, body === null ? {} : { body });
    out.rest.push({ path, body, ok: true });
  } catch (err) {
    out.rest.push({ path, body, code: err.code, params: err.params, toast: toasts(err) });
  }
}
for (const frame of frames) {
  out.stream.push({ code: frame.code, params: frame.params, toast: toasts(frame) });
}
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    env = {"GRADSCAPE_STREAM_IDLE_SECONDS": "1", "GRADSCAPE_MAX_STREAMS_PER_CLIENT": "1",
           "GRADSCAPE_MAX_MESSAGE_BYTES": "2048", "GRADSCAPE_MAX_NET_PARAMS": "4000",
           "GRADSCAPE_MAX_WORK": str(10**8), "GRADSCAPE_MAX_KEPT_FLOATS": "50",
           "GRADSCAPE_MAX_NET_STEPS": "8000", "GRADSCAPE_MAX_NET_LAYERS": "3",
           "GRADSCAPE_MAX_NET_WIDTH": "60"}
    with spawned_server(env) as url:
        yield url


def stream_frames(base: str) -> list[dict[str, Any]]:
    """Error frames the stream sends for bad messages, and its refusals."""
    ws_url = base.replace("http://", "ws://") + "/api/stream"
    frames = []
    with connect(ws_url, origin=base) as ws:  # type: ignore[arg-type]
        ws.send(b"\x00binary")
        frames.append(json.loads(ws.recv(timeout=10)))
        ws.send(json.dumps({"type": "start", "pad": "x" * 4000}))
        frames.append(json.loads(ws.recv(timeout=10)))
        for bad in ("not json", "[1]", '{"type": "jump"}', '{"type": "pause"}',
                    '{"type": "step", "n": 0}'):
            ws.send(bad)
            frames.append(json.loads(ws.recv(timeout=10)))
        ws.send(json.dumps({"type": "start", "surface": {"formula": "2x"}, "steps": 5,
                            "runs": [{"optimizer": "sgd", "params": {"lr": 0.01}}]}))
        frames.append(json.loads(ws.recv(timeout=10)))
        with connect(ws_url, origin=base) as second:  # one stream per client here
            frames.append(json.loads(second.recv(timeout=10)))
        frames.append(json.loads(ws.recv(timeout=10)))  # idle for 1 s: refused, closed
    with connect(ws_url, origin="http://elsewhere.example") as ws:
        frames.append(json.loads(ws.recv(timeout=10)))
    return frames


def error_of(ws: Any) -> dict[str, Any]:
    """The next error frame (a race's frames before it are skipped)."""
    for _ in range(500):
        frame = json.loads(ws.recv(timeout=30))
        if frame.get("type") == "error":
            return frame  # type: ignore[no-any-return]
    raise AssertionError("no error frame")


def refusal_frames(base: str) -> list[dict[str, Any]]:
    """The stream's own refusals of a race it cannot do, and core's about a network start."""
    ws_url = base.replace("http://", "ws://") + "/api/stream"
    net_start = {"type": "start", "network": NET, "steps": 9,
                 "runs": [{"optimizer": "sgd"}, {"optimizer": "adam"}]}
    frames = []
    with connect(ws_url, origin=base) as ws:  # type: ignore[arg-type]
        ws.send('{"type": "start", "pad": ' + "[" * 40 + "]" * 40 + "}")
        frames.append(error_of(ws))  # request.too_deep
        ws.send(json.dumps({**net_start, "runs": [{"optimizer": "sgd", "schedule": "zigzag"}]}))
        frames.append(error_of(ws))  # schedule.unknown, about runs[0]
        ws.send(json.dumps({"type": "start", "surface": "bowl", "steps": 3000,
                            "runs": [{"optimizer": "sgd"}]}))
        ws.send(json.dumps({"type": "landscape"}))
        frames.append(error_of(ws))  # stream.landscape_no_network
        ws.send(json.dumps(net_start))
        ws.send(json.dumps({"type": "landscape", "resolution": 150}))
        frames.append(error_of(ws))  # limit.over
        ws.send(json.dumps({"type": "landscape", "resolution": 5}))
        frames.append(error_of(ws))  # stream.landscape_too_long (50 numbers kept at most)
    return frames


def raw_bodies(base: str) -> list[dict[str, Any]]:
    """The 422 bodies of the RAW requests."""
    out = []
    for path, raw, _ in RAW:
        req = urllib.request.Request(base + "/api" + path, method="POST", data=raw.encode(),
                                     headers={"content-type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=30)
        assert caught.value.code == 422, (path, raw)
        out.append(json.loads(caught.value.read()))
    return out


def assert_chinese(text: str, where: str, params: dict[str, Any] | None = None) -> None:
    """Chinese but for the user's own words and the identifiers the error names: its params
    (a parameter's name, the known ones, message types), but never English prose (`reason`,
    `problems`: those must not reach a Chinese text)."""
    assert CJK.search(text), (where, text)
    for key, value in (params or {}).items():
        if isinstance(value, str) and value and key not in ("problems", *PROSE):
            text = text.replace(value, "")
    text = FIELD.sub("", text)  # a request field's path before its problem: "step.n："
    left = ENGLISH.findall(CODE_WORDS.sub("", text))
    assert not left, (where, text, left)


def test_registry_has_english_and_chinese_with_the_same_placeholders() -> None:
    codes = registry()
    assert set(PROBLEMS) | set(HINTS) <= set(codes)  # every code core raises
    for code, text in codes.items():
        assert text["en"].strip() and text["zh"].strip(), code
        # Chinese drops the English plural's ending and an English reason, nothing else.
        assert placeholders(text["zh"]) <= placeholders(text["en"]), code
        assert placeholders(text["en"]) - placeholders(text["zh"]) <= PROSE, code
        if code != "request.invalid":  # its Chinese is built from the problems' own
            zh = text["zh"].format(**{p: "7" for p in placeholders(text["zh"])})
            if code != "input.invalid":  # core's uncoded English inside a Chinese frame
                assert_chinese(zh, code)
            assert CJK.search(zh), code
        # Its Traditional form is in the committed table (scripts/make_zh_hant.py).
        assert text["zh"] in hant_table(), code
        filled = texts(code, {p: "7" for p in placeholders(text["en"])})
        assert set(filled) == {"en", "zh", "zh-Hant"}, code


def test_live_errors_read_in_chinese_through_the_browser_code(server: str) -> None:
    requests = [["/formula", {"formula": f}] for f in FORMULAS]
    requests += [[path, body] for path, body, _ in REQUESTS + REFUSED]
    frames = stream_frames(server)
    more = refusal_frames(server) + raw_bodies(server)
    frames += more
    payload = json.dumps({"base": server, "requests": requests, "frames": frames})
    run = subprocess.run(["node", "--input-type=module", "-e", _NODE, payload], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True)
    out = json.loads(run.stdout)
    seen: set[str] = set()
    for (formula, expected), got in zip(FORMULAS.items(), out["rest"], strict=False):
        assert got.get("code") == expected[0], (formula, got, got.get("toast"))
        seen.add(expected[0])
    for (_, _, code), got in zip(REQUESTS + REFUSED, out["rest"][len(FORMULAS):], strict=True):
        assert got["code"] == code, got
    for got in out["rest"]:
        where = got["path"] + json.dumps(got["body"])
        assert_chinese(got["toast"]["zh"], where, got["params"])
        assert got["toast"]["zh-Hant"] != got["toast"]["zh"] or not re.search(
            "[们请设为这个数]", got["toast"]["zh"]), got  # Traditional where it differs
        assert got["toast"]["en"].startswith("Server: "), got
    stream_codes = [f["code"] for f in out["stream"]]
    more_codes = stream_codes[len(stream_codes) - len(more):]
    assert more_codes == ["request.too_deep", "schedule.unknown", "stream.landscape_no_network",
                          "limit.over", "stream.landscape_too_long"] + [c for _, _, c in RAW]
    assert more[1]["field"] == "runs[0]" and more[1]["text"]["zh"].startswith("runs[0]：")
    stream_codes = stream_codes[:len(stream_codes) - len(more)]
    assert stream_codes == ["stream.binary", "stream.too_large", "stream.not_json",
                            "stream.not_object", "stream.unknown_type", "stream.no_race",
                            "request.invalid", "formula.missing_operator", "per_client", "idle",
                            "origin"], stream_codes
    for got in out["stream"]:
        assert_chinese(got["toast"]["zh"], got["code"], got["params"])
    # Every formula code but the unreachable ones has a case (whose hints the next test checks).
    for expected in FORMULAS.values():
        seen.update(expected)
    reachable = {c for c in registry() if c.startswith("formula.")} - UNREACHABLE
    assert reachable <= seen, sorted(reachable - seen)
    # Every refusal core declares, and each of the server's size and network refusals, has a
    # case here that the live app answered with it (a new code without a trigger fails).
    triggered = {got.get("code") for got in out["rest"]} | set(stream_codes) | set(more_codes)
    assert triggered >= MUST_TRIGGER, sorted(MUST_TRIGGER - triggered)
    # No bad input here reached the browser as core's uncoded English.
    assert "input.invalid" not in triggered


def test_formula_hints_are_the_ones_sent(server: str) -> None:
    """The hint codes of each case, as the server sent them (the REST body's `hints`)."""
    import urllib.request

    for formula, expected in FORMULAS.items():
        req = urllib.request.Request(server + "/api/formula", method="POST",
                                     data=json.dumps({"formula": formula}).encode(),
                                     headers={"content-type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=10)
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read())
        else:
            pytest.fail(f"{formula!r} was accepted")
        assert body["code"] == expected[0], (formula, body)
        assert [h["code"] for h in body.get("hints", [])] == list(expected[1:]), (formula, body)
        assert body["text"]["en"] == body["detail"], body  # the English is core's message


# The plain ValueErrors left in core/ and server/, per file, and why no request reaches them
# (each has a coded refusal or a schema check in front of it, or is not about user input).
# A new `raise ValueError(...)` fails here: give it a code (core/errors.py's Refusal, or
# server/errorcodes.py's SERVER) and a case above, or say here why a request cannot reach it.
PLAIN: dict[str, tuple[int, str]] = {
    "core/__init__.py": (1, "Python API only: the server passes a str"),
    "core/backprop_graph.py": (2, "one point by the schema; 500 characters make < 400 nodes"),
    "core/codegen.py": (1, "internal: a graph built by core"),
    "core/critical.py": (2, "the server passes fixed seeds and tolerances"),
    "core/formula.py": (1, "internal: the parser's own tree"),
    "core/graph.py": (4, "internal: primitives registered and called by core"),
    "core/netdata.py": (4, "the schema's NetworkSpec checks these first"),
    "core/netrace.py": (3, "the schema's NetRaceRequest and the stream's stream.no_run first"),
    "core/network.py": (13, "the schema checks the spec; shapes are core's own arrays; the "
                            "spectrum's size is network.hessian_too_large first"),
    "core/optimizers.py": (3, "internal: an optimizer's context and presets"),
    "core/rules.py": (4, "internal: shapes of graphs core builds (no user formula sums)"),
    "core/runs.py": (9, "the schemas (RunRequest, BasinRequest) and stream.no_run first"),
    "core/schedules.py": (2, "the schema's ScheduleCurveRequest.steps first"),
    "core/slices.py": (6, "the schema's NetLandscapeRequest; paths are core's own"),
    "core/surface.py": (7, "the schema's Bounds and the server's resolution limit first; "
                           "rule overrides are Python API only"),
    "core/surfaces.py": (1, "the server's surface.unknown first"),
    "core/training.py": (7, "server/networks.py's checks and the schema first (the schema "
                           "shapes and counts a run's changes)"),
    "server/cli.py": (4, "the command line's own messages"),
    "server/clients.py": (1, "a setting read at start-up"),
}


def test_a_refusal_keeps_its_code_about_a_field_and_across_processes() -> None:
    """`at` says which part of a request a refusal is about, in every language, and an
    InputError crossing to a worker process and back keeps its code, params and field."""
    import pickle

    from gradscape.core.errors import InputError, Refusal
    from gradscape.server.errorcodes import error_body

    exc = InputError("schedule.unknown", CORE_EN["schedule.unknown"], name="'x'", known="a, b")
    about = exc.at("runs[2]")
    assert str(about) == "runs[2]: unknown schedule 'x'; known: a, b"
    back = pickle.loads(pickle.dumps(about))
    assert (back.code, back.params, back.field, str(back)) == (
        "schedule.unknown", {"name": "'x'", "known": "a, b"}, "runs[2]", str(about))
    body = error_body(back)
    assert body["field"] == "runs[2]" and body["text"]["en"] == str(about)
    assert body["text"]["zh"] == "runs[2]：未知的学习率调度 'x'；已有的调度：a, b"
    with pytest.raises(AssertionError, match="twice"):  # one code, one English sentence
        Refusal("schedule.unknown", "another sentence")


def test_no_uncoded_value_error_but_the_listed_ones() -> None:
    counts: dict[str, int] = {}
    for path in sorted([*(ROOT / "core").glob("*.py"), *(ROOT / "server").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id == "ValueError":
                name = path.relative_to(ROOT).as_posix()
                counts[name] = counts.get(name, 0) + 1
    assert counts == {name: n for name, (n, _) in PLAIN.items()}
