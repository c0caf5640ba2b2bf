"""Cooperative cancellation for long computations, without any web types in core.

Long loops (a grid over a data set, a basin map, a race run to its end, a critical-point
search) take a `check` callable and call it between chunks of work. The caller decides what
it means: the server passes one that raises `Cancelled` when the client went away, the
request's wall-clock limit passed or the process is shutting down. The default, `never`,
does nothing, so the Python API behaves exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], None]


class Cancelled(Exception):  # noqa: N818 - it is an outcome, not an error of the caller
    """Raised by a `check` to stop the work between two chunks; the message says why."""


def never() -> None:
    """The check that never cancels."""
