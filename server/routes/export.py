"""POST /api/export: a race as a self-contained HTML page or as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Response

from gradscape.server import export
from gradscape.server.deps import StateDep
from gradscape.server.races import build_race
from gradscape.server.routes import ERRORS
from gradscape.server.schemas import ExportRequest
from gradscape.server.surfaces import describe

router = APIRouter(tags=["export"], responses=ERRORS)

MEDIA = {"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.post("/export", response_class=Response, responses={
    200: {"content": {"text/html": {}, "text/csv": {}},
          "description": "the file, as an attachment"}})
def export_race(state: StateDep, body: ExportRequest) -> Response:
    """Run the race and return it as a file: `format` "html" (plotly, opens offline, with
    the animation and a play button) or "csv" (one row per run and step)."""
    surface, race = build_race(body, state.settings, state.resolver)
    trajectories = race.run()
    name = describe(body.surface)
    if body.format == "csv":
        content = export.to_csv(trajectories)
    else:
        critical = state.resolver.critical_points(body.surface, surface)
        content = export.to_html(surface, trajectories,
                                 body.title or export.default_title(name, trajectories), critical)
    disposition = f'attachment; filename="{export.filename(name, body.format)}"'
    return Response(content, media_type=MEDIA[body.format],
                    headers={"content-disposition": disposition})
