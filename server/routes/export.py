"""POST /api/export: a race as a self-contained HTML page or as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from gradscape.core.cancel import Check
from gradscape.server import cost, export
from gradscape.server.answers import inline_script_policy
from gradscape.server.deps import StateDep
from gradscape.server.heavy import heavy
from gradscape.server.races import build_race
from gradscape.server.routes import ERRORS, HEAVY
from gradscape.server.schemas import ExportRequest
from gradscape.server.surfaces import describe

router = APIRouter(tags=["export"], responses=ERRORS)

MEDIA = {"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.post("/export", response_class=Response, responses={
    200: {"content": {"text/html": {}, "text/csv": {}},
          "description": "the file, as an attachment"}, **HEAVY})
async def export_race(request: Request, state: StateDep, body: ExportRequest) -> Response:
    """Run the race and return it as a file: `format` "html" (plotly, opens offline, with
    the animation and a play button) or "csv" (one row per run and step)."""
    name = describe(body.surface)

    def work(check: Check) -> str:
        surface, race = build_race(body, state.settings, state.resolver)
        trajectories = race.run(check)
        if body.format == "csv":
            return export.to_csv(trajectories)
        critical = state.resolver.critical_points(body.surface, surface, check)
        return export.to_html(surface, trajectories,
                              body.title or export.default_title(name, trajectories), critical)

    content = await heavy(request, state, cost.race(body, state.settings), work)
    disposition = f'attachment; filename="{export.filename(name, body.format)}"'
    headers = {"content-disposition": disposition}
    if body.format == "html":  # its scripts are inline: allowed by hash, nothing else
        headers["content-security-policy"] = inline_script_policy(content)
    return Response(content, media_type=MEDIA[body.format], headers=headers)
