"""The FastAPI application: JSON/WebSocket API under /api, the static frontend at /.

Thin on purpose: settings, shared state, exception handlers, routers, static files.
Every route lives in server/routes/ (one module per resource); the stream in server/stream.py.
"""

from __future__ import annotations

import gc
import logging
import signal
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

from fastapi import APIRouter, FastAPI
from starlette.routing import Match, Mount
from starlette.types import Scope

from gradscape.core import __version__
from gradscape.server import apischema, errors, stream
from gradscape.server.answers import Answers
from gradscape.server.bodylimit import BodyLimit
from gradscape.server.config import Settings, get_settings
from gradscape.server.deps import AppState
from gradscape.server.jsondepth import JsonDepthLimit
from gradscape.server.quotagate import QuotaGate
from gradscape.server.routes import (
    analysis,
    export,
    lessons,
    meta,
    network,
    optimizers,
    runs,
    surfaces,
)
from gradscape.server.static import Frontend
from gradscape.server.workqueue import WorkQueue

VERSION = __version__
log = logging.getLogger("gradscape")


class FrontendMount(Mount):
    """The static frontend at /, which never answers for /api paths: a wrong method on an
    API route gets that route's 405 (Allow: POST) and an unknown API path a JSON 404,
    instead of the static files' "Allow: GET, HEAD"."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if path == "/api" or path.startswith("/api/"):
            return Match.NONE, {}
        return super().matches(scope)


GIL_SWITCH_SECONDS = 0.001


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Everything built so far (modules, schemas, registries, compiled surfaces) lives as
    # long as the process: frozen, the cyclic GC stops rescanning it. A full collection
    # then walks only what requests made, not ~80,000 startup objects, which otherwise
    # stalled the event loop for milliseconds in the middle of a burst of starts.
    gc.freeze()
    # Compute threads (stream chunks, heavy REST work) hold the interpreter lock for up to
    # the switch interval before the event loop may take it back: at Python's 5 ms, every
    # socket call of an honest stream's start waited behind a flood of basin maps. 1 ms
    # lets the loop in five times as often (measured: scripts/loadtest.py --abusers).
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    restore = _cancel_work_on_signals(app.state.gradscape.work)
    try:
        yield
    finally:
        app.state.gradscape.work.cancel_all()
        restore()


def _cancel_work_on_signals(work: WorkQueue) -> Callable[[], None]:
    """On SIGTERM or SIGINT, cancel the heavy work under way (it stops at its next chunk)
    before uvicorn's own handler starts the graceful shutdown, which waits for open
    requests: the process then exits within a few seconds, not after the longest basin
    map. Returns a function that puts the previous handlers back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signal handlers can only be set from the main thread
    previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        work.cancel_all()
        before = previous.get(signum)
        if callable(before):
            before(signum, frame)
        elif signum == signal.SIGINT:
            raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, before)

    return restore


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="gradscape", version=VERSION,
                  description="Optimization playground: surfaces, optimizers, live "
                              "trajectories. The WebSocket protocol of /api/stream is "
                              "described in the README.",
                  # Swagger UI and ReDoc load their scripts from a CDN; everything here must
                  # work offline, so the schema is served as plain JSON at /openapi.json.
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.gradscape = AppState.build(settings)
    apischema.install(app, settings)  # /openapi.json states this app's limits
    errors.install(app)
    # Innermost first. JSON nested too deeply gets a 422 before a route parses it; bodies
    # above GRADSCAPE_MAX_MESSAGE_BYTES get a JSON 413 before being read whole; every
    # answer gets the security and cache headers, large JSON gzip (server/answers.py).
    app.add_middleware(JsonDepthLimit)
    # a client at its heavy-work share re-sending a request already estimated as heavy:
    # the route's 429, before any parsing (the cheap path under a flood)
    app.add_middleware(QuotaGate, work=app.state.gradscape.work,
                       heavy=app.state.gradscape.heavy_requests,
                       trusted_proxies=settings.trusted_proxies)
    app.add_middleware(BodyLimit, limit=settings.max_message_bytes)
    app.add_middleware(Answers, embed_frame_ancestors=settings.embed_frame_ancestors)

    api = APIRouter(prefix="/api")
    for module in (meta, surfaces, analysis, optimizers, runs, export, lessons, network):
        api.include_router(module.router)
    api.include_router(stream.router)
    app.include_router(api)

    # Keep this mount LAST: a mount at "/" matches every path, so any route registered after
    # it would be shadowed. html=True serves index.html for "/".
    if settings.frontend_dir.is_dir():
        static = Frontend(settings.frontend_dir)  # versioned, cached, gzipped
        app.router.routes.append(FrontendMount("/", app=static, name="frontend"))
    else:
        log.warning("no frontend at %s (set GRADSCAPE_FRONTEND_DIR); serving the API only",
                    settings.frontend_dir)
    return app


app = create_app()
