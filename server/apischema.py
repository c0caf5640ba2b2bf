"""The OpenAPI schema states the limits this server enforces, from the settings in force.

The request models (server/schemas.py) carry the widest bounds any configuration allows
(core's); the settings narrow them, and the server refuses above the setting with a 422.
A generated client reading core's bounds from the schema would send requests the server
then refuses, so the schema served at /openapi.json has the settings' numbers instead, and
a default above a lowered limit (500 steps, say, with GRADSCAPE_MAX_STEPS=200) is lowered
to it, in the schema and where the request is served (`limited_default`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from gradscape.server.config import Settings

# (schema component, property, JSON Schema keyword, the setting that bounds it)
LIMITS: list[tuple[str, str, str, str]] = [
    ("GridRequest", "resolution", "maximum", "max_grid_resolution"),
    ("BasinRequest", "resolution", "maximum", "max_basin_resolution"),
    ("BasinRequest", "steps", "maximum", "max_basin_steps"),
    ("RunRequest", "steps", "maximum", "max_steps"),
    ("RunRequest", "runs", "maxItems", "max_runs"),
    ("ExportRequest", "steps", "maximum", "max_steps"),
    ("ExportRequest", "runs", "maxItems", "max_runs"),
    ("FormulaSurface", "formula", "maxLength", "max_formula_length"),
    ("FormulaRequest", "formula", "maxLength", "max_formula_length"),
    ("NetworkSpec", "hidden", "maxItems", "max_net_layers"),
    ("NetworkSpec", "hidden", "items.maximum", "max_net_width"),
    ("NetworkSpec", "samples", "maximum", "max_net_samples"),
    ("NetworkSpec", "test_samples", "maximum", "max_net_samples"),
    ("NetTrainRequest", "steps", "maximum", "max_net_steps"),
    ("NetLandscapeRequest", "steps", "maximum", "max_net_steps"),
    ("NetLandscapeRequest", "resolution", "maximum", "max_slice_resolution"),
    ("NetSpectrumRequest", "steps", "maximum", "max_net_steps"),
    ("NetExportRequest", "steps", "maximum", "max_net_steps"),
    ("NetExportRequest", "resolution", "maximum", "max_slice_resolution"),
    ("NetRaceRequest", "steps", "maximum", "max_net_steps"),
]


def limited_default(body: BaseModel, name: str, limit: int) -> None:
    """A field left out takes its default, lowered to `limit` if the setting is lower."""
    if name not in body.model_fields_set and getattr(body, name) > limit:
        setattr(body, name, limit)


def apply_limits(schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    components = schema.get("components", {}).get("schemas", {})
    for model, prop, keyword, setting in LIMITS:
        field = components.get(model, {}).get("properties", {}).get(prop)
        if field is None:
            raise KeyError(f"the schema has no {model}.{prop}: update server/apischema.py")
        limit = getattr(settings, setting)
        if keyword == "items.maximum":  # a bound on each item of a list
            field, keyword = field["items"], "maximum"
        field[keyword] = limit
        if isinstance(field.get("default"), int) and field["default"] > limit:
            field["default"] = limit
        field["description"] = (field.get("description", "") + "; at most "
                                f"{limit} here (GRADSCAPE_{setting.upper()})").lstrip("; ")
    # GET /api/surfaces/{id}/grid?resolution=
    grid = schema["paths"]["/api/surfaces/{surface_id}/grid"]["get"]
    for param in grid["parameters"]:
        if param["name"] == "resolution":
            for option in param["schema"].get("anyOf", [param["schema"]]):
                if option.get("type") == "integer":
                    option["maximum"] = settings.max_grid_resolution
    return schema


def install(app: FastAPI, settings: Settings) -> None:
    """Serve the schema with this app's limits."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = apply_limits(build(), settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
