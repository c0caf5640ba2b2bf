"""POST /api/export: a race as a self-contained HTML page or as CSV; POST
/api/network/export: a network scene as the same kind of page."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Request, Response

import gradscape.core as core
from gradscape import figures, netfigures
from gradscape.core.cancel import Check
from gradscape.server import cost, export, networks
from gradscape.server.answers import inline_script_policy
from gradscape.server.deps import StateDep
from gradscape.server.heavy import heavy
from gradscape.server.netschemas import NetExportRequest
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


@router.post("/network/export", response_class=Response, responses={
    200: {"content": {"text/html": {}}, "description": "the page, as an attachment"}, **HEAVY})
async def export_network(request: Request, state: StateDep, body: NetExportRequest) -> Response:
    """Train the network race and return it as a standalone page (plotly, opens offline):
    the loss-landscape slice on `plane` with every run's projected path, played step by step,
    beside the training and test loss."""
    from gradscape.server.routes.network import run_race  # noqa: PLC0415 - one module's helper

    s = state.settings
    networks.check_landscape(body, s)
    estimate = networks.landscape_cost(body, s)

    def work(check: Check) -> str:
        prob, race = networks.build_race(body, s)
        per_run = run_race(race, check)
        check()
        paths = [np.concatenate([c.thetas for c in chunks]) for chunks in per_run]
        sl = core.landscape(prob, paths, plane=body.plane, resolution=body.resolution,
                            seed=body.plane_seed)
        runs = [netfigures.NetRunCurves(
            name=f"{i}: {r.optimizer} (lr={r.params.get('lr', 'default')})",
            train_loss=np.concatenate([c.train_loss for c in chunks]),
            test_loss=np.concatenate([c.test_loss for c in chunks]))
            for i, (r, chunks) in enumerate(zip(body.runs, per_run, strict=True))]
        title = body.title or (f"gradscape: {', '.join(r.optimizer for r in body.runs)} "
                               f"training a {body.network.dataset} network ({body.steps} steps)")
        fig = netfigures.network_figure(sl, runs, title, plane_label=body.plane)
        return figures.page(fig, title)

    content = await heavy(request, state, estimate, work)
    name = export.filename(f"network-{body.network.dataset}", "html")
    return Response(content, media_type=MEDIA["html"], headers={
        "content-disposition": f'attachment; filename="{name}"',
        "content-security-policy": inline_script_policy(content)})
