"""Looking at one surface: parse a formula, inspect a point, find critical points, and draw
the computational graph with its forward values and backward gradients."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter, Request

import gradscape.core as core
from gradscape.core.cancel import Check
from gradscape.core.critical import CriticalPoint, Tolerances, classify
from gradscape.core.formula import parse_ast, to_text
from gradscape.core.graph import topological_order
from gradscape.core.linalg2 import eigh2
from gradscape.server import catalogtext as words
from gradscape.server import cost
from gradscape.server.deps import StateDep
from gradscape.server.encode import num, rows
from gradscape.server.heavy import heavy
from gradscape.server.routes import ERRORS, HEAVY
from gradscape.server.schemas import (
    AnalyzeResponse,
    CriticalPointOut,
    CriticalRequest,
    CriticalResponse,
    FormulaRequest,
    FormulaResponse,
    GraphNodeOut,
    GraphResponse,
    PointRequest,
)

router = APIRouter(tags=["analysis"], responses=ERRORS)


@router.post("/formula", response_model=FormulaResponse)
def formula(state: StateDep, body: FormulaRequest) -> FormulaResponse:
    """Parse (and compile) a typed formula: 200, or 422 naming the problem and its column."""
    surface = state.resolver.formula(body.formula, body.bounds)
    text = body.formula.strip()
    nodes = len(topological_order([surface.expr]))
    return FormulaResponse(formula=text, canonical=to_text(parse_ast(text)),
                           bounds=list(surface.bounds), nodes=nodes)


@router.post("/analyze", response_model=AnalyzeResponse)
def analyze(state: StateDep, body: PointRequest) -> AnalyzeResponse:
    """Everything the step inspector shows about one point: value, exact and numerical
    gradient with their relative error, Hessian and its eigen-decomposition."""
    cost.samples(body.surface, state.settings)  # one point: only the data set's size counts
    surface = state.resolver.resolve(body.surface)
    P = np.array([body.point], dtype=np.float64)
    v, g, H = surface.value_grad_hessian(P)
    check = core.check_gradient(surface.value, surface.grad, P)
    with np.errstate(all="ignore"):
        lam, vec = eigh2(H)
    # core's classifier with the surface's own tolerances, as the critical-point search uses
    tol = state.resolver.tolerances(body.surface, surface) or Tolerances(0.0, 0.0)
    kind, curvature = classify(g[0], lam[0], tol)
    if not np.isfinite(v[0]):
        kind = "regular"
    return AnalyzeResponse(
        point=body.point, value=num(v[0]), grad=rows(g[0]), numeric_grad=rows(check.numeric[0]),
        grad_rel_error=num(check.relative_error[0]),
        grad_check_passed=bool(check.passed[0]), hessian=rows(H[0]),
        eigenvalues=rows(lam[0]), eigenvectors=rows(vec[0]), kind=kind, curvature=curvature)


def critical_out(cp: CriticalPoint) -> CriticalPointOut:
    return CriticalPointOut(point=rows(cp.point), kind=cp.kind, value=num(cp.value),
                            eigenvalues=rows(cp.eigenvalues), eigenvectors=rows(cp.eigenvectors),
                            isolated=cp.isolated)


@router.post("/critical-points", response_model=CriticalResponse, responses=HEAVY)
async def critical_points(request: Request, state: StateDep,
                          body: CriticalRequest) -> CriticalResponse:
    """Every stationary point inside the bounds, classified by the Hessian (cached)."""
    estimate = cost.critical(body.surface, state.settings)
    if state.resolver.critical_key(body.surface) in state.resolver.critical:
        estimate = cost.Estimate(0, estimate.what, estimate.advice)  # cached: no work

    def work(check: Check) -> CriticalResponse:
        surface = state.resolver.resolve(body.surface)
        found = state.resolver.critical_points(body.surface, surface, check)
        return CriticalResponse(critical_points=[critical_out(cp) for cp in found])

    return await heavy(request, state, estimate, work)


@router.post("/graph", response_model=GraphResponse)
def graph(state: StateDep, body: PointRequest) -> GraphResponse:
    """The formula's computational graph at a point: each gate's forward value and the
    gradient of f with respect to it (backprop, one node at a time)."""
    cost.samples(body.surface, state.settings)
    surface = state.resolver.resolve(body.surface)
    view = core.graph_view(surface, (body.point[0], body.point[1]))
    nodes = [GraphNodeOut(id=n.id, op=n.op, label=n.label,
                          value=None if n.value is None else num(n.value),
                          grad=None if n.grad is None else num(n.grad),
                          inputs=list(n.inputs), note=n.note,
                          notes=words.gate_note(n.op, n.note)) for n in view.nodes]
    return GraphResponse(nodes=nodes, edges=list(view.edges), output=view.output)
