"""How a run stands: the one list of run statuses (2D races, network training, basins).

A `StrEnum`, so a status is its name wherever text is needed (JSON, comparisons with
"converged" in tests and in the browser) and a typo is an AttributeError, not a new status.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    RUNNING = "running"  # still stepping
    CONVERGED = "converged"  # gradient norm and step both below the tolerance (2D runs)
    # the iterate or the loss became non-finite or too large: frozen at the last finite point
    DIVERGED = "diverged"
    MAX_STEPS = "max_steps"  # took every step it was given


# The statuses a finished run can have, in the order the basin map's codes use.
FINAL_STATUSES: tuple[RunStatus, ...] = (RunStatus.CONVERGED, RunStatus.DIVERGED,
                                         RunStatus.MAX_STEPS)
