"""The FastAPI application: JSON/WebSocket API under /api, the static frontend at /."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def _version() -> str:
    # core owns the version once it defines one; until then fall back to pyproject's.
    try:
        import core
    except ImportError:
        return "0.1.0"
    return str(getattr(core, "__version__", "0.1.0"))


VERSION = _version()

# The frontend is plain files next to server/ in the repo (and in the Docker image's /app).
# GRADSCAPE_FRONTEND_DIR overrides it, e.g. when server/ is imported from site-packages.
FRONTEND_DIR = Path(
    os.environ.get("GRADSCAPE_FRONTEND_DIR", Path(__file__).resolve().parent.parent / "frontend")
)

app = FastAPI(title="gradscape", version=VERSION)


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": VERSION}


# Keep this mount LAST: a mount at "/" matches every path, so any route registered after it
# would be shadowed. html=True serves index.html for "/".
app.mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="frontend")
