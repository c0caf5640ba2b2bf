"""The optimizers and learning-rate schedules the browser builds its controls from."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.params import Param
from gradscape.core.schedules import SCHEDULES, WARMUP, lr_curve
from gradscape.server import catalogtext as words
from gradscape.server.encode import rows
from gradscape.server.mathml import to_mathml
from gradscape.server.routes import ERRORS
from gradscape.server.schemas import (
    OptimizerInfo,
    ScheduleCurveRequest,
    ScheduleCurveResponse,
    ScheduleInfo,
)

router = APIRouter(tags=["optimizers"], responses=ERRORS)


def params_schema(params: dict[str, Param]) -> dict[str, Any]:
    """A JSON Schema object: one property per hyperparameter, with defaults and bounds."""
    return {"type": "object", "additionalProperties": False,
            "properties": {name: p.json_schema() for name, p in params.items()}}


@router.get("/optimizers", response_model=list[OptimizerInfo])
def list_optimizers() -> list[OptimizerInfo]:
    """Every optimizer: hyperparameters as JSON Schema and the update rule in LaTeX and as
    MathML (what the page shows)."""
    return [OptimizerInfo(id=o.id, name=o.name, names=words.name("optimizer", o.id, o.name),
                          family=o.family,
                          params=words.with_descriptions(o.id, params_schema(dict(o.params))),
                          rule=o.rule, rules=words.rule(o.rule),
                          rule_mathml=list(to_mathml(o.rule)),
                          rule_mathmls={lang: list(to_mathml(tex))
                                        for lang, tex in words.rule(o.rule).items()},
                          needs_hessian=o.needs_hessian, playground_lr=o.playground_lr)
            for o in OPTIMIZERS.values()]


@router.get("/schedules", response_model=list[ScheduleInfo])
def list_schedules() -> list[ScheduleInfo]:
    """Every learning-rate schedule (each may start with a linear warm-up)."""
    return [ScheduleInfo(id=s.id, name=s.name, names=words.name("schedule", s.id, s.name),
                         params=words.with_descriptions(
                             s.id, params_schema({**s.params, **WARMUP})),
                         formula=s.formula, formula_mathml=list(to_mathml(s.formula)),
                         torch=s.torch)
            for s in SCHEDULES.values()]


@router.post("/schedules/curve", response_model=ScheduleCurveResponse)
def schedule_curve(body: ScheduleCurveRequest) -> ScheduleCurveResponse:
    """η(t) for t = 1..steps: the schedule picker's small plot."""
    return ScheduleCurveResponse(lrs=rows(lr_curve(body.schedule, body.lr, body.steps,
                                                   body.params)))
