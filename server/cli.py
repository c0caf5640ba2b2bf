"""Command line entry point (`gradscape` console script and `python -m server`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gradscape", description="gradscape optimization playground"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server")
    # Loopback by default: exposing the server is an explicit choice (the Dockerfile makes it).
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)

    args = parser.parse_args(argv)
    if args.command == "serve":
        # Imported here so `gradscape --help` stays fast and doesn't need the server stack.
        import uvicorn

        # An import string (not the app object) is required for workers > 1.
        uvicorn.run("server.app:app", host=args.host, port=args.port, workers=args.workers)
    return 0
