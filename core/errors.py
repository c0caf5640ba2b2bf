"""Refused user input with a stable code: the English message, and the code and parameters a
UI can say it in another language by (server/errorcodes.py holds the Chinese beside the
English templates that the modules raising these keep)."""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """A ValueError whose message is `template` filled with `params`, known by `code`."""

    def __init__(self, code: str, template: str, **params: Any) -> None:
        self.code, self.template, self.params = code, template, params
        super().__init__(template.format(**params))

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable across worker processes (the default would pass only the message).
        return _rebuild, (self.code, self.template, self.params)


def _rebuild(code: str, template: str, params: dict[str, Any]) -> InputError:
    return InputError(code, template, **params)
