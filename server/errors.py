"""Exception handlers: user input never produces a 500.

A ValueError from core (a bad formula, an unknown optimizer, a hyperparameter out of range)
and a request that fails validation both become 422 with a `detail` saying what to change;
a formula error also carries its 1-based `column`. Every error body also has a stable `code`,
its `params` and its `text` in English and Chinese (server/errorcodes.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gradscape.core.cancel import Cancelled
from gradscape.server.errorcodes import error_body, texts, validation_body
from gradscape.server.workqueue import Busy

log = logging.getLogger("gradscape")


def where(loc: Sequence[Any]) -> str:
    """('body', 'runs', 0, 'params') -> 'runs[0].params'."""
    text = ""
    for part in loc:
        if part in ("body", "query", "path") and not text:
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "request"


def validation_message(errors: Sequence[Any]) -> str:
    """One readable sentence per problem, e.g. 'steps: Input should be less than ...'."""
    parts = []
    for err in errors[:5]:
        parts.append(f"{where(err.get('loc', ()))}: {err.get('msg', 'invalid')}")
    if len(errors) > 5:
        parts.append(f"and {len(errors) - 5} more")
    return "; ".join(parts)


def value_error_body(exc: ValueError) -> dict[str, Any]:
    return {"detail": str(exc) or "invalid input", **error_body(exc)}


def coded(code: str, detail: str, **params: Any) -> dict[str, Any]:
    """A body with the English `detail` and the code's params and texts."""
    return {"detail": detail, "code": code, "params": params, "text": texts(code, params)}


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    clean = [{k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in errors]
    english = validation_message(errors)
    return JSONResponse(status_code=422, content={
        "detail": english, "errors": jsonable_encoder(clean),
        **jsonable_encoder(validation_body(errors, where, english))})


async def on_value_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValueError)
    return JSONResponse(status_code=422, content=value_error_body(exc))


async def on_arithmetic_error(request: Request, exc: Exception) -> JSONResponse:
    # core turns overflow into inf/nan; an ArithmeticError reaching here means a number in
    # the request was too large for some conversion. Still the user's input, still a 422.
    log.warning("arithmetic error on %s: %r", request.url.path, exc)
    return JSONResponse(status_code=422, content=coded(
        "request.out_of_range", f"a number in the request is out of range ({exc}); use smaller "
        "values", reason=str(exc)))


async def on_http_error(request: Request, exc: Exception) -> Response:
    """FastAPI answers a body it cannot decode (not UTF-8, say) with 400; that is the
    user's input too, so it gets the same 422 as any other invalid request."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        return JSONResponse(status_code=422, content=coded(
            "request.unreadable", "the request body could not be read: send UTF-8 encoded JSON"))
    if exc.status_code == 404 and isinstance(exc.detail, str):
        return JSONResponse(status_code=404, headers=exc.headers, content=coded(
            "request.not_found", exc.detail, reason=exc.detail))
    return await http_exception_handler(request, exc)


async def on_busy(request: Request, exc: Exception) -> JSONResponse:
    """Beyond the client's fair share or the queue's size: 429, and when to try again."""
    assert isinstance(exc, Busy)
    return busy_response(exc)


def busy_response(exc: Busy) -> JSONResponse:
    """The 429 for a refusal (also sent by server/quotagate.py before any route runs)."""
    return JSONResponse(status_code=429, headers={"Retry-After": str(exc.seconds)}, content={
        **coded("request.busy", f"{exc}; try again in {exc.seconds} s", reason=str(exc),
                seconds=exc.seconds), "retry_after": exc.seconds})


async def on_cancelled(request: Request, exc: Exception) -> JSONResponse:
    """Work stopped between two chunks: shutting down (503), or over its wall-clock limit
    (422: the request asked for too much; a client that disconnected reads nothing)."""
    if not isinstance(exc, Cancelled):
        raise exc
    reason = str(exc)
    if "shutting down" in reason:
        return JSONResponse(status_code=503, headers={"Retry-After": "5"}, content={
            **coded("request.shutting_down", f"stopped: {reason}; try again in a moment",
                    reason=reason), "retry_after": 5})
    return JSONResponse(status_code=422, content=coded(
        "request.too_much_work", f"stopped: {reason}; ask for less work (a lower resolution, "
        "fewer steps or samples)", reason=reason))


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ValueError, on_value_error)
    app.add_exception_handler(ArithmeticError, on_arithmetic_error)
    app.add_exception_handler(Busy, on_busy)
    app.add_exception_handler(Cancelled, on_cancelled)
