"""Refused user input with a stable code: the English message, and the code and parameters a
UI can say it in another language by (server/errorcodes.py holds the Chinese beside the
English templates that the modules raising these keep).

A module declares each kind of refusal once, next to where it raises it:

    UNKNOWN = Refusal("schedule.unknown", "unknown schedule {name}; known: {known}")
    ...
    raise UNKNOWN(name=repr(schedule_id), known=", ".join(SCHEDULES))

`REFUSALS` then lists every code with its English, for the server's registry and its test.
"""

from __future__ import annotations

from typing import Any

# Every Refusal's English template, by code (filled as modules declare them on import).
REFUSALS: dict[str, str] = {}


class InputError(ValueError):
    """A ValueError whose message is `template` filled with `params`, known by `code`.
    `field` names the part of a request it is about ("runs[0]") when a caller adds it."""

    def __init__(self, code: str, template: str, **params: Any) -> None:
        self.code, self.template, self.params = code, template, params
        self.field = ""
        super().__init__(template.format(**params))

    def at(self, field: str) -> InputError:
        """The same refusal said of `field`: "runs[0]: unknown schedule ..."."""
        out = InputError(self.code, self.template, **self.params)
        out.field = f"{field}.{self.field}" if self.field else field  # a path: runs[0].changes[1]
        out.args = (f"{field}: {self}",)
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable across worker processes (the default would pass only the message).
        return _rebuild, (self.code, self.template, self.params, self.field)


def _rebuild(code: str, template: str, params: dict[str, Any], field: str = "") -> InputError:
    out = InputError(code, template, **params)
    return out.at(field) if field else out


class Refusal:
    """One kind of refused input: a stable code and its English template. Calling it with
    the template's parameters gives the InputError to raise."""

    def __init__(self, code: str, template: str) -> None:
        known = REFUSALS.setdefault(code, template)
        if known != template:  # one code, one sentence: a second template is a mistake
            raise AssertionError(f"refusal {code} declared twice with different texts")
        self.code, self.template = code, template

    def __call__(self, **params: Any) -> InputError:
        return InputError(self.code, self.template, **params)
