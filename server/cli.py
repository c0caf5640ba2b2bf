"""Command line entry point (`gradscape` console script and `python -m gradscape`).

    gradscape serve --host 127.0.0.1 --port 8000 --workers 2
    gradscape export --surface himmelblau --run adam:lr=0.05 --run sgd:lr=0.01 \\
        --start -4 4 --steps 300 -o race.html -o race.csv
    gradscape export --request race.json -o race.html     # the POST /api/run body

`export` writes the same files as POST /api/export, without a server.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The server runs its own threads (stream compute, heavy work, uvicorn workers); a
# multi-threaded BLAS under each of them oversubscribes the cores. Measured on the 2-core VM
# under load: a training step of MLP 2-32-32-2 on 512 samples took 44 ms with OpenBLAS's
# default threads, 5.3 ms with one. Set before numpy is first imported (this module imports
# nothing that does); an operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

RUN_KEYS = ("schedule", "noise", "batch_size", "start")


def _value(text: str) -> Any:
    """A command-line value: JSON if it parses (numbers, true, [1, 2]), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _split(text: str) -> list[str]:
    """Split on commas that are not inside brackets: 'lr=0.1,betas=[0.9,0.99]'."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p for p in (p.strip() for p in parts) if p]


def parse_run(text: str) -> dict[str, Any]:
    """'adam:lr=0.05,schedule=cosine,schedule.T_max=300,start=[-4,4]' -> a run object."""
    optimizer, _, rest = text.partition(":")
    run: dict[str, Any] = {"optimizer": optimizer.strip(), "params": {}}
    for item in _split(rest):
        key, eq, raw = item.partition("=")
        if not eq:
            raise ValueError(f"expected key=value in --run {text!r}, got {item!r}")
        key, value = key.strip(), _value(raw.strip())
        if key.startswith("schedule."):
            run.setdefault("schedule_params", {})[key.split(".", 1)[1]] = value
        elif key in RUN_KEYS:
            run[key] = value
        else:
            run["params"][key] = value
    return run


def export_request(args: argparse.Namespace) -> dict[str, Any]:
    """The request body the flags describe (or the --request file, flags overriding)."""
    from gradscape.core.datasets import DATASETS  # noqa: PLC0415
    from gradscape.core.surfaces import SURFACES  # noqa: PLC0415

    body: dict[str, Any] = {}
    if args.request:
        source = sys.stdin.read() if args.request == "-" else Path(args.request).read_text()
        loaded = json.loads(source)
        if not isinstance(loaded, dict):
            raise ValueError("the request file must hold a JSON object (a POST /api/run body)")
        body = loaded
    if args.surface:
        name = args.surface.strip()
        options = dict(_pair(o) for o in args.option)
        if name in DATASETS and (options or args.bounds):
            body["surface"] = {"dataset": name, "options": options}
        elif (name in SURFACES and not args.bounds) or name in DATASETS:
            body["surface"] = name
        else:
            body["surface"] = {"formula": name}
        if args.bounds:
            body["surface"]["bounds"] = args.bounds
    if args.run:
        body["runs"] = [parse_run(r) for r in args.run]
    if args.start:
        for run in body.get("runs", []):
            run.setdefault("start", args.start)
    for key in ("steps", "seed", "title"):
        if getattr(args, key) is not None:
            body[key] = getattr(args, key)
    body.setdefault("runs", [{"optimizer": "adam"}])
    if "surface" not in body:
        raise ValueError("name a surface: --surface himmelblau (an id, a data set or a "
                         "formula), or --request FILE")
    return body


def _pair(text: str) -> tuple[str, Any]:
    key, eq, value = text.partition("=")
    if not eq:
        raise ValueError(f"expected key=value, got {text!r}")
    return key.strip(), _value(value.strip())


def export(args: argparse.Namespace) -> int:
    from pydantic import ValidationError  # noqa: PLC0415

    from gradscape.server import export as exporter  # noqa: PLC0415
    from gradscape.server.config import get_settings  # noqa: PLC0415
    from gradscape.server.errors import validation_message  # noqa: PLC0415
    from gradscape.server.races import build_race  # noqa: PLC0415
    from gradscape.server.schemas import ExportRequest  # noqa: PLC0415
    from gradscape.server.surfaces import SurfaceResolver, describe  # noqa: PLC0415

    try:
        raw = export_request(args)
        raw.pop("format", None)
        body = ExportRequest.model_validate(raw)
        settings = get_settings()
        resolver = SurfaceResolver(settings.formula_cache_size, settings.max_formula_length)
        surface, race = build_race(body, settings, resolver)
    except ValidationError as exc:
        print(f"gradscape export: {validation_message(exc.errors())}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"gradscape export: {exc}", file=sys.stderr)
        return 2
    trajectories = race.run()
    name = describe(body.surface)
    outputs = args.output or [exporter.filename(name, "html")]
    for out in outputs:
        path = Path(out)
        if path.suffix.lower() == ".csv":
            path.write_text(exporter.to_csv(trajectories), encoding="utf-8")
        else:
            title = body.title or exporter.default_title(name, trajectories)
            critical = resolver.critical_points(body.surface, surface)
            path.write_text(exporter.to_html(surface, trajectories, title, critical),
                            encoding="utf-8")
        print(f"wrote {path}")
    return 0


def serve(args: argparse.Namespace) -> int:
    # Imported here so `gradscape --help` stays fast and doesn't need the server stack.
    import uvicorn  # noqa: PLC0415

    from gradscape.server import workers  # noqa: PLC0415
    from gradscape.server.config import get_settings  # noqa: PLC0415
    from gradscape.server.drain import DrainingServer  # noqa: PLC0415
    from gradscape.server.wsprotocol import PROTOCOL  # noqa: PLC0415

    settings = get_settings()  # bad GRADSCAPE_* values stop here, before binding the port
    # A message a little over the limit gets the stream's own error reply (the connection
    # stays usable); only a far larger one is cut off by the WebSocket layer itself.
    ws_max_size = max(4 * settings.max_message_bytes, 1 << 20)
    # The WebSocket protocol: uvicorn's, compressing at zlib level 1 and corking writes
    # (server/wsprotocol.py).
    options = {"log_level": args.log_level, "ws_max_size": ws_max_size, "ws": PROTOCOL}
    if args.workers > 1 and workers.available():
        # A listening socket per process, so connections spread evenly (server/workers.py).
        return workers.run(args.host, args.port, args.workers, options)
    if args.workers > 1:
        # An import string (not the app object) is required for workers > 1.
        uvicorn.run(workers.APP, host=args.host, port=args.port, workers=args.workers,
                    **options)
        return 0
    config = uvicorn.Config(workers.APP, host=args.host, port=args.port, **options)
    DrainingServer(config, settings.drain_seconds).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gradscape", description="gradscape optimization playground")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the web server")
    # Loopback by default: exposing the server is an explicit choice (the Dockerfile makes it).
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1,
                   help="processes (the server keeps no state between connections)")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(handler=serve)

    p = sub.add_parser("export", help="run a race and write HTML and/or CSV, no server",
                       description="Run a race and write it as a self-contained HTML page "
                                   "(plotly, opens offline) and/or CSV. The file type follows "
                                   "each -o name's suffix.")
    p.add_argument("--request", metavar="FILE",
                   help="a JSON request (the POST /api/run body); '-' reads stdin")
    p.add_argument("--surface", help="a surface id, a data-set id, or a formula in x and y")
    p.add_argument("--bounds", type=float, nargs=4, metavar=("XMIN", "XMAX", "YMIN", "YMAX"))
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="a data-set option, e.g. standardize=true (repeatable)")
    p.add_argument("--run", action="append", metavar="OPT[:K=V,...]",
                   help="an optimizer and its settings, e.g. adam:lr=0.05 or "
                        "sgd:lr=0.01,momentum=0.9,schedule=cosine,schedule.T_max=300 "
                        "(repeatable; default adam)")
    p.add_argument("--start", type=float, nargs=2, metavar=("X", "Y"),
                   help="start point of every run that does not name its own")
    p.add_argument("--steps", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--title")
    p.add_argument("-o", "--output", action="append", metavar="FILE",
                   help="output file, .html or .csv (repeatable; default "
                        "gradscape-<surface>.html)")
    p.set_defaults(handler=export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result
