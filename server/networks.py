"""Network requests -> core problems and races, with this server's limits and cost model.

Shared by the REST routes (server/routes/network.py) and the WebSocket stream, so a network
spec means the same thing everywhere. Every limit a user controls is checked here before
anything is built, with a message that names the field and the setting.

Cost (units as in server/cost.py, ~5-20 ns each; measured on the reference machine a
full-batch gradient of an MLP costs ~1.8 ns per sample x parameter, a forward pass ~4x less):

    gradient      = samples x P / 4              forward (a loss) = samples x P / 16
    train step    = gradient(batch) + forward(test) (+ forward(train) with mini-batches)
    sharpness     = 2 x 30 HVPs per sample, an HVP = samples x P / 2 (plus the same again
                    for an adaptive method's preconditioned sharpness)
    slice         = resolution² x forward(train) + the training that makes the paths
    full Hessian  = P HVPs + P³ / 16 (the eigendecomposition)
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict

from gradscape.core.codegen import CompiledGraph
from gradscape.core.errors import InputError
from gradscape.core.netrace import NetRace, NetRunSpec
from gradscape.core.network import MAX_HESSIAN_PARAMS, NetworkProblem, network_problem
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.runs import BATCH_OVER
from gradscape.core.schedules import SCHEDULES
from gradscape.core.schedules import UNKNOWN as UNKNOWN_SCHEDULE
from gradscape.core.training import NOT_FOR_NETWORKS, network_optimizers, resolve_changes
from gradscape.server.apischema import limited_default
from gradscape.server.config import Settings
from gradscape.server.cost import Estimate
from gradscape.server.errorcodes import CodedError
from gradscape.server.netschemas import (
    NetLandscapeRequest,
    NetRaceRequest,
    NetRunConfig,
    NetworkSpec,
)

PROBLEM_CACHE = 32
LANCZOS_HVPS = 30
_problems: OrderedDict[str, NetworkProblem] = OrderedDict()
# Compiled loss/gradient/HVP programs depend on the architecture only (the data are run-time
# inputs), so problems of one architecture share them: a new data seed or sample count
# starts without compiling again (~0.3 s for a 2-32-32-2 network).
# (task, classes, fan-ins, hidden widths, activation, weight decay)
Arch = tuple[str, int, tuple[int, ...], tuple[int, ...], str, float]
_programs: dict[Arch, dict[str, CompiledGraph]] = {}
_lock = threading.Lock()


def check_network(spec: NetworkSpec, settings: Settings) -> None:
    """This server's limits (stricter than the schema's ceilings); ValueError naming them.
    A size left out takes its default, lowered to a lower limit (as the schema says)."""
    for name in ("samples", "test_samples"):
        limited_default(spec, name, settings.max_net_samples)
    if "hidden" not in spec.model_fields_set:
        spec.hidden = [min(w, settings.max_net_width)
                       for w in spec.hidden][:settings.max_net_layers]
    if len(spec.hidden) > settings.max_net_layers:
        raise CodedError("limit.net_layers", layers=len(spec.hidden),
                         limit=settings.max_net_layers)
    if any(w > settings.max_net_width for w in spec.hidden):
        raise CodedError("limit.net_width", width=max(spec.hidden),
                         limit=settings.max_net_width)
    for name in ("samples", "test_samples"):
        if getattr(spec, name) > settings.max_net_samples:
            raise CodedError("limit.over", field=f"network.{name}", value=getattr(spec, name),
                             setting="GRADSCAPE_MAX_NET_SAMPLES", limit=settings.max_net_samples)
    n = n_params(spec)
    if n > settings.max_net_params:
        raise CodedError("limit.net_params", hidden=str(spec.hidden), params=n,
                         limit=settings.max_net_params)


def _outputs(spec: NetworkSpec) -> int:
    if spec.dataset == "sine":
        return 1
    return spec.classes if spec.classes is not None else 2


def n_params(spec: NetworkSpec) -> int:
    """P from the architecture alone (no data built): what the limits and costs need."""
    sizes = [1 if spec.dataset == "sine" else 2, *spec.hidden, _outputs(spec)]
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def problem(spec: NetworkSpec, settings: Settings) -> NetworkProblem:
    """The network problem for a spec (cached; core raises ValueError naming a bad field)."""
    check_network(spec, settings)
    key = spec.model_dump_json()
    with _lock:
        prob = _problems.get(key)
        if prob is not None:
            _problems.move_to_end(key)
            return prob
    prob = network_problem(dataset=spec.dataset, hidden=tuple(spec.hidden),
                            activation=spec.activation, samples=spec.samples,
                            test_samples=spec.test_samples, noise=spec.noise,
                            seed=spec.seed, weight_decay=spec.weight_decay,
                            classes=spec.classes)
    arch: Arch = (prob.task, prob.classes, tuple(layer.fan_in for layer in prob.layers),
            prob.hidden, prob.activation, prob.weight_decay)
    with _lock:
        prob._fns = _programs.setdefault(arch, prob._fns)  # noqa: SLF001 - see _programs
        _problems[key] = prob
        while len(_problems) > PROBLEM_CACHE:
            _problems.popitem(last=False)
    return prob


def prepare(prob: NetworkProblem) -> None:
    """Compile the programs a race's first frames use (off the event loop)."""
    for kind in ("grad", "eval", "predict"):
        prob._fn(kind)  # noqa: SLF001 - compiling ahead is what this is for


def run_specs(runs: list[NetRunConfig]) -> list[NetRunSpec]:
    return [NetRunSpec(r.optimizer, dict(r.params), r.schedule, dict(r.schedule_params),
                       r.batch_size, [(c.step, dict(c.params)) for c in r.changes])
            for r in runs]


def check_race(body: NetRaceRequest, settings: Settings) -> None:
    check_network(body.network, settings)
    limited_default(body, "steps", settings.max_net_steps)
    if body.steps > settings.max_net_steps:
        raise CodedError("limit.over", field="steps", value=body.steps,
                         setting="GRADSCAPE_MAX_NET_STEPS", limit=settings.max_net_steps)
    for i, r in enumerate(body.runs):
        check_run(r, body.network.samples, f"runs[{i}]", body.steps)


def check_landscape(body: NetLandscapeRequest, settings: Settings) -> None:
    """A slice's race and resolution (the landscape route and the network export)."""
    check_race(body, settings)
    limited_default(body, "resolution", settings.max_slice_resolution)
    if body.resolution > settings.max_slice_resolution:
        raise CodedError("limit.over", field="resolution", value=body.resolution,
                         setting="GRADSCAPE_MAX_SLICE_RESOLUTION",
                         limit=settings.max_slice_resolution)


def check_run(r: NetRunConfig, samples: int, field: str, steps: int) -> None:
    """One run's settings, checked before anything is built or queued; refusals say
    which run (`field`: "runs[1]")."""
    if r.batch_size is not None and r.batch_size > samples:
        raise BATCH_OVER(batch_size=r.batch_size, samples=samples).at(f"{field}.batch_size")
    known = network_optimizers()
    if r.optimizer not in known:
        raise NOT_FOR_NETWORKS(name=repr(r.optimizer), known=", ".join(known)).at(
            f"{field}.optimizer")
    try:
        opt = OPTIMIZERS[r.optimizer]
        opt.validate(r.params)
        resolve_changes(opt, dict(r.params), [(c.step, c.params) for c in r.changes], steps)
        schedule = SCHEDULES.get(r.schedule)
        if schedule is None:
            raise UNKNOWN_SCHEDULE(name=repr(r.schedule), known=", ".join(SCHEDULES))
        schedule.validate(r.schedule_params)
    except InputError as exc:
        raise exc.at(field) from None


def build_race(body: NetRaceRequest, settings: Settings) -> tuple[NetworkProblem, NetRace]:
    """A validated race for a request (ValueError saying what to change)."""
    check_race(body, settings)
    prob = problem(body.network, settings)
    try:
        race = NetRace(prob, run_specs(body.runs), steps=body.steps, seed=body.seed,
                       init_seed=body.init_seed, sharpness_every=body.sharpness_every)
    except InputError as exc:
        raise exc.at("runs") from None
    return prob, race


# --- cost ------------------------------------------------------------------------------------
def _forward(samples: int, p: int) -> int:
    return samples * p // 16


def _gradient(samples: int, p: int) -> int:
    return samples * p // 4


def _hvp(samples: int, p: int) -> int:
    return samples * p // 2


def race_cost(body: NetRaceRequest, settings: Settings) -> Estimate:
    net = body.network
    p, n, m = n_params(net), net.samples, net.test_samples
    per_step = 0
    for r in body.runs:
        batch = min(r.batch_size or n, n)
        per_step += _gradient(batch, p) + _forward(m, p) + (_forward(n, p) if batch < n else 0)
        if body.sharpness_every:
            adaptive = r.optimizer in ("adam", "adamw", "adagrad", "rmsprop")
            per_step += (1 + adaptive) * LANCZOS_HVPS * _hvp(n, p) // body.sharpness_every
    fits = settings.max_work // max(1, per_step)
    return Estimate(per_step * body.steps,
                    f"{len(body.runs)} network run(s) of {body.steps} steps over {n} samples "
                    f"with {p} parameters",
                    f"use at most {fits} steps, fewer runs, fewer samples or a smaller network"
                    + (", or sample the sharpness less often" if body.sharpness_every else ""))


def landscape_cost(body: NetLandscapeRequest, settings: Settings,
                   trained: bool = False) -> Estimate:
    """The slice; with the training that makes the paths unless they are `trained` already
    (a stream keeps its race's paths)."""
    train = race_cost(body, settings)
    if trained:
        train = Estimate(0, train.what, train.advice)
    net = body.network
    p, n = n_params(net), net.samples
    grid = body.resolution ** 2 * _forward(n, p)
    paths = 2 * len(body.runs) * (body.steps + 1) * _forward(n, p)
    plane = p * _hvp(n, p) + p ** 3 // 16 if body.plane == "hessian" else 0
    fits = int((max(0, settings.max_work - train.units - paths - plane)
                // max(1, _forward(n, p))) ** 0.5)
    return Estimate(train.units + grid + paths + plane,
                    f"a {body.resolution} x {body.resolution} slice of {p} parameters over "
                    f"{n} samples (after training {len(body.runs)} run(s) of {body.steps} "
                    "steps)",
                    f"use a resolution of at most {fits}, fewer steps, fewer samples or a "
                    "smaller network")


def spectrum_cost(spec: NetworkSpec, steps: int, settings: Settings) -> Estimate:
    p, n, m = n_params(spec), spec.samples, spec.test_samples
    if p > MAX_HESSIAN_PARAMS:
        raise CodedError("network.hessian_too_large", params=p, limit=MAX_HESSIAN_PARAMS)
    units = p * _hvp(n, p) + p ** 3 // 16 + steps * (_gradient(n, p) + _forward(m, p))
    return Estimate(units, f"a full {p} x {p} Hessian spectrum over {n} samples",
                    "use fewer samples or a smaller network")
