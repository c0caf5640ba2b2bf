"""Exception handlers: user input never produces a 500.

A ValueError from core (a bad formula, an unknown optimizer, a hyperparameter out of range)
and a request that fails validation both become 422 with a `detail` saying what to change;
a formula error also carries its 1-based `column`.
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

from gradscape.core.formula import FormulaError

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
    body: dict[str, Any] = {"detail": str(exc) or "invalid input"}
    if isinstance(exc, FormulaError):
        body["column"] = exc.column
    return body


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    clean = [{k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in errors]
    return JSONResponse(status_code=422, content={
        "detail": validation_message(errors), "errors": jsonable_encoder(clean)})


async def on_value_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValueError)
    return JSONResponse(status_code=422, content=value_error_body(exc))


async def on_arithmetic_error(request: Request, exc: Exception) -> JSONResponse:
    # core turns overflow into inf/nan; an ArithmeticError reaching here means a number in
    # the request was too large for some conversion. Still the user's input, still a 422.
    log.warning("arithmetic error on %s: %r", request.url.path, exc)
    return JSONResponse(status_code=422, content={
        "detail": f"a number in the request is out of range ({exc}); use smaller values"})


async def on_http_error(request: Request, exc: Exception) -> Response:
    """FastAPI answers a body it cannot decode (not UTF-8, say) with 400; that is the
    user's input too, so it gets the same 422 as any other invalid request."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        return JSONResponse(status_code=422, content={
            "detail": "the request body could not be read: send UTF-8 encoded JSON"})
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ValueError, on_value_error)
    app.add_exception_handler(ArithmeticError, on_arithmetic_error)
