"""One APIRouter per resource; server.app includes them all under /api."""

from __future__ import annotations

from typing import Any

from gradscape.server.schemas import ErrorResponse

# Documented on every route that takes input: user mistakes are 422 with a message.
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "the input is invalid; `detail` says what "
                                                 "to change"},
}

# Routes whose work goes through the bounded queue (server/heavy.py) may also answer these.
HEAVY: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorResponse, "description": "beyond this client's fair share of heavy "
                                                 "work or the queue's size: Retry-After says "
                                                 "when to try again"},
    503: {"model": ErrorResponse, "description": "the server is shutting down"},
}
