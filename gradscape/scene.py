"""The playground's URL state (frontend/js/lib/state.js) in Python, both ways.

A link's hash holds only what differs from the app's defaults, e.g.
`#s=rosenbrock&r=adam,lr=0.05;sgd,lr=0.001,momentum=0.9&x=-1.2_1`. `to_hash` writes the hash
the app's `fromHash` reads back into the same scene, and `from_hash` reads what the app's
`toHash` writes; tests/test_python_api.py checks both against state.js itself (node) and
against the running app (chromium).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from gradscape.core.optimizers import default_runs
from gradscape.core.runs import MAX_SEED

# The app's defaults (state.js FIELDS; the runs and the seed's bound are core's, which the
# server serves to the page): a field equal to its default is left out of the hash, as
# toHash does.
DEFAULT_SURFACE = "himmelblau"
DEFAULT_RUNS: list[dict[str, Any]] = default_runs()
DEFAULT_START = (0.1994, 4.0)
DEFAULT_STEPS = 500
DEFAULT_SEED = 0
MAX_STEPS_IN_LINK = 10_000  # state.js clamps n to [1, 10000]


def js_number(x: float | int) -> str:
    """String(Number(x)) as JavaScript writes it: 300 not 300.0, 1e-7 not 1e-07, 0.00001 not
    1e-05. Both languages print the shortest digits that round-trip, only the layout differs."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"a link can only hold finite numbers, got {x!r}")
    if x == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    exponent = int(exponent) + len(digit_tuple) - len(digits)
    k, n = len(digits), int(exponent) + len(digits)  # n: position of the decimal point
    minus = "-" if sign else ""
    if k <= n <= 21:
        return minus + digits + "0" * (n - k)
    if 0 < n <= 21:
        return minus + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return minus + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{minus}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def encode_value(v: Any) -> str:
    """state.js encodeValue: 0.1, true, 0.9_0.999, cosine."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return js_number(v)
    if isinstance(v, (list, tuple)):
        return "_".join(js_number(float(p)) for p in v)
    text = str(v)
    if any(c in text for c in ",;=&"):
        raise ValueError(f"{text!r} cannot go into a link: it holds one of , ; = &")
    return text


def decode_value(text: str) -> Any:
    """state.js decodeValue."""
    if text in ("true", "false"):
        return text == "true"
    if "_" in text:
        parts = [_number(p) for p in text.split("_")]
        if all(p is not None for p in parts):
            return parts
    n = _number(text)
    return n if n is not None and text != "" else text


def _number(text: str) -> float | int | None:
    """JavaScript's Number(text) when finite, as an int when it is one (JSON-like)."""
    try:
        value = float(text.strip()) if text.strip() else 0.0
    except ValueError:
        return None
    if not math.isfinite(value) or text.strip().lower() in ("nan", "inf", "-inf", "infinity"):
        return None
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() \
        else value


def encode_run(run: Mapping[str, Any]) -> str:
    """state.js encodeRun: adam,lr=0.1,sch=cosine,sch.T_max=300,noise=0.5,bs=8,at=0.2_4."""
    parts = [str(run["optimizer"])]
    parts += [f"{k}={encode_value(v)}" for k, v in (run.get("params") or {}).items()]
    schedule = run.get("schedule") or "constant"
    if schedule != "constant":
        parts.append(f"sch={schedule}")
    parts += [f"sch.{k}={encode_value(v)}" for k, v in (run.get("schedule_params") or {}).items()]
    if run.get("noise"):
        parts.append(f"noise={encode_value(run['noise'])}")
    if run.get("batch_size"):
        parts.append(f"bs={int(run['batch_size'])}")
    if run.get("start") is not None:
        parts.append(f"at={encode_value(list(run['start']))}")
    return ",".join(parts)


def decode_run(text: str) -> dict[str, Any]:
    """state.js decodeRun (and makeRun's defaults)."""
    optimizer, *rest = text.split(",")
    run: dict[str, Any] = {"optimizer": optimizer or "sgd", "params": {},
                           "schedule": "constant", "schedule_params": {}, "noise": 0,
                           "batch_size": None, "start": None}
    for part in rest:
        key, eq, raw = part.partition("=")
        if not eq or not key:
            continue
        value = decode_value(raw)
        if key == "sch":
            run["schedule"] = str(value)
        elif key.startswith("sch."):
            run["schedule_params"][key[4:]] = value
        elif key == "noise" and isinstance(value, (int, float)) and not isinstance(value, bool):
            run["noise"] = value
        elif key == "bs" and isinstance(value, int) and not isinstance(value, bool):
            run["batch_size"] = value
        elif key == "at" and isinstance(value, list) and len(value) == 2:
            run["start"] = value
        else:
            run["params"][key] = value
    return run


def _escape(text: str) -> str:
    """encodeURIComponent, keeping , ; = : readable (state.js escape)."""
    return quote(text, safe="-_.!~*'(),;=:")


def to_hash(scene: Mapping[str, Any]) -> str:
    """The hash (without '#') for a scene: surface (an id), formula, bounds, options (a data
    set's), runs (dicts as in state.js makeRun), start, steps, seed. Defaults are left out."""
    parts: list[str] = []

    def put(key: str, text: str) -> None:
        parts.append(f"{key}={_escape(text)}")

    surface = scene.get("surface", DEFAULT_SURFACE)
    if surface != DEFAULT_SURFACE:
        put("s", surface)
    if scene.get("formula"):
        put("f", scene["formula"])
    if scene.get("bounds") is not None:
        put("b", "_".join(js_number(v) for v in scene["bounds"]))
    if scene.get("options"):
        put("o", ",".join(f"{k}={encode_value(v)}" for k, v in scene["options"].items()))
    runs = [dict(r) for r in scene.get("runs", DEFAULT_RUNS)]
    if [_canonical(r) for r in runs] != [_canonical(r) for r in DEFAULT_RUNS]:
        put("r", ";".join(encode_run(r) for r in runs))
    start = scene.get("start")
    if start is not None and [float(v) for v in start] != list(DEFAULT_START):
        put("x", "_".join(js_number(v) for v in start))
    steps = int(scene.get("steps", DEFAULT_STEPS))
    if steps != DEFAULT_STEPS:
        put("n", str(steps))
    seed = int(scene.get("seed", DEFAULT_SEED))
    if seed != DEFAULT_SEED:
        put("seed", str(seed))
    return "&".join(parts)


def _canonical(run: Mapping[str, Any]) -> str:
    return encode_run(run)


def from_hash(link: str) -> dict[str, Any]:
    """A scene from a link or its hash (state.js fromHash): missing or invalid fields take the
    app's defaults, numbers are clamped to the app's ranges."""
    text = urlsplit(link).fragment if "#" in link or "://" in link else link
    scene: dict[str, Any] = {"surface": DEFAULT_SURFACE, "formula": "", "bounds": None,
                             "options": {}, "runs": [decode_run(encode_run(r))
                                                     for r in DEFAULT_RUNS],
                             "start": list(DEFAULT_START), "steps": DEFAULT_STEPS,
                             "seed": DEFAULT_SEED}
    for part in text.lstrip("#").split("&"):
        key, eq, raw = part.partition("=")
        if not eq or not key:
            continue
        try:
            value = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            continue
        if key == "s":
            scene["surface"] = value
        elif key == "f":
            scene["formula"] = value
        elif key in ("b", "x"):
            numbers = [_number(p) for p in value.split("_")]
            if len(numbers) == (4 if key == "b" else 2) and None not in numbers:
                scene["bounds" if key == "b" else "start"] = [float(n or 0) for n in numbers]
        elif key == "o":
            scene["options"] = {k: decode_value(v) for k, eq2, v in
                                (p.partition("=") for p in value.split(",")) if eq2 and k}
        elif key == "r":
            runs = [decode_run(r) for r in value.split(";") if r]
            if runs:
                scene["runs"] = runs
        elif key in ("n", "seed"):
            n = _number(value)
            if isinstance(n, int):
                low, high = (1, MAX_STEPS_IN_LINK) if key == "n" else (0, MAX_SEED)
                scene["steps" if key == "n" else "seed"] = min(high, max(low, n))
    return scene


def scene_runs(runs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Runs for a link: only what the user chose (the app fills optimizer defaults)."""
    out = []
    for r in runs:
        run: dict[str, Any] = {"optimizer": r["optimizer"], "params": dict(r.get("params") or {})}
        for key in ("schedule", "schedule_params", "noise", "batch_size", "start"):
            if r.get(key) not in (None, "constant", {}, 0, 0.0):
                run[key] = list(r[key]) if key == "start" else r[key]
        out.append(run)
    return out
