"""Live races over a WebSocket: /api/stream.

Protocol (JSON text messages; the README has the full table):

client -> server
    {"type": "start", <the POST /api/run body>, "detail": "last", "frame_steps": 50}
        begins a race; a start while another race runs replaces it.
    {"type": "pause"} / {"type": "resume"}
    {"type": "step", "n": 10}       n more steps, then "paused" (pauses a running race)
    {"type": "set", "run": 0, "params": {"lr": 0.01}}
                                    new hyperparameters for one run from its next step on;
                                    optimizer state kept, the path continues
    {"type": "stop"}                ends the race ("done" with reason "stopped")
    {"type": "ping"}                answered by {"type": "pong"}
    {"type": "landscape", "plane": "pca", "resolution": 51, "seed": 0}
                                    a network race only: the loss on a plane through the
                                    paths so far, as "landscape" messages coarse then fine

A start naming a "network" instead of a "surface" runs a network race (server/netstream.py
has its frames; docs/networks.md, "Server API").

server -> client (every message of a race carries its number, "race")
    {"type": "started", "race": r, "steps": n, "bounds": [...], "runs": [{"optimizer",
     "params" (defaults filled in), "schedule", "start"}]}
    {"type": "frame", "race": r, "step": k, "runs": [{"points": [[x, y], ...],
     "values": [...], "status": ..., "stop_step": ..., <detail>}, ...]}
        `step` is the index along the path of the first point in this frame; a run that
        has stopped sends empty lists. detail "last" adds the last step's "lr", "grad" and
        "inspector" ({m, sigma, step}); "all" adds "grads", "lrs", "updates" and
        "inspector" for every step; "none" adds nothing.
    {"type": "paused" | "resumed", "race": r, "step": k}
    {"type": "set", "race": r, "run": i, "params": {...}, "step": k}
    {"type": "done", "race": r, "reason": "finished" | "stopped", "runs": [{"status",
     "stop_step"}]}
    {"type": "error", "message": ...}  the connection stays open and usable
    {"type": "error", "code": c, "message": ...}  a refusal, then the close: c is "origin"
        (close 1008: a page of another site), "busy" or "per_client" (1013: try again
        later), "idle" (4408: no race started in time); see server/streamguard.py

Flow. The first frame is computed at once on the event loop (the starts, without a step, by
default: tens of microseconds) so the browser paints immediately, and goes out with "started"
in one socket write (server/wsprotocol.py); later frames are stepped on a small pool
of compute threads, so no client's race blocks the loop, and they wait while other clients'
starts are being served (server/priority.py). At most `stream_buffer` frames wait
for a slow client: stepping pauses until the socket drains. A disconnect cancels the race
at once (a frame being stepped finishes, and nothing more is computed).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Literal, TypeVar

import anyio
import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

from gradscape.core.cancel import Cancelled
from gradscape.core.netrace import NetRace
from gradscape.core.optimizers import OPTIMIZERS
from gradscape.core.runs import Race, Trajectory
from gradscape.core.surface import Surface
from gradscape.server import cost
from gradscape.server.apischema import limited_default
from gradscape.server.clients import client_key
from gradscape.server.config import MAX_SEED, Settings
from gradscape.server.deps import AppState
from gradscape.server.drain import CLOSE_GOING_AWAY
from gradscape.server.encode import Rounding, dumps
from gradscape.server.errorcodes import (
    CodedError,
    InvalidMessageError,
    error_body,
    texts,
    validation_body,
)
from gradscape.server.errors import validation_message, where
from gradscape.server.jsondepth import MAX_DEPTH, too_deep
from gradscape.server.netstream import (
    Boundary,
    KeptPaths,
    NetFrames,
    NetStart,
    Plane,
    landscape_messages,
    paths_upto,
)
from gradscape.server.netstream import build as build_network
from gradscape.server.netstream import landscape_cost as network_landscape_cost
from gradscape.server.netstream import started as network_started
from gradscape.server.netstream import stream_cost as network_cost
from gradscape.server.races import build_race, resolved_params
from gradscape.server.schemas import Integral, RunRequest
from gradscape.server.streamguard import (
    CLOSE_IDLE,
    CLOSE_POLICY,
    CLOSE_TRY_AGAIN_LATER,
    origin_allowed,
)
from gradscape.server.surfaces import SurfaceResolver
from gradscape.server.workqueue import Busy
from gradscape.server.wsprotocol import MORE

log = logging.getLogger("gradscape.stream")
# A chunk's CPU time at most, when several clients share the compute threads: 12 runs with
# eigen-decompositions took 7-15 ms for 50 steps, and a light race's every chunk waited
# for one of them. Smaller frames cost the heavy race a little encoding per step, no more.
SHARED_CHUNK_SECONDS = 0.003
router = APIRouter(tags=["stream"])

NET_FRAME_WORK = 4_000_000  # cost units per network frame (~10-40 ms), see server/networks.py


# --- messages ---------------------------------------------------------------------------------
class Control(Integral):
    model_config = ConfigDict(extra="forbid")


class Start(RunRequest):
    type: Literal["start"]
    detail: Literal["none", "last", "all"] = "last"
    frame_steps: int | None = Field(None, ge=1, le=10_000, description="steps per frame")


class Pause(Control):
    type: Literal["pause"]


class Resume(Control):
    type: Literal["resume"]


class Step(Control):
    type: Literal["step"]
    n: int = Field(1, ge=1, le=100_000)


class Set(Control):
    type: Literal["set"]
    run: int = Field(ge=0)
    params: dict[str, Any]


class Stop(Control):
    type: Literal["stop"]


class Landscape(Control):
    """A network race's loss on a plane through its paths so far, coarse then fine."""

    type: Literal["landscape"]
    plane: Literal["pca", "random", "hessian", "interpolate"] = "pca"
    resolution: int = Field(51, ge=3, le=201)
    seed: int = Field(0, ge=0, le=MAX_SEED)


class Ping(Control):
    type: Literal["ping"]


Message = Annotated[Start | Pause | Resume | Step | Set | Stop | Ping | Landscape,
                    Field(discriminator="type")]
MESSAGE = TypeAdapter(Message)
TYPES = ("start", "pause", "resume", "step", "set", "stop", "ping", "landscape")


Parsed = Start | NetStart | Pause | Resume | Step | Set | Stop | Ping | Landscape


def parse_message(text: str) -> Parsed:
    """The message, or ValueError with what to change. A start naming a `network` is a
    network race (server/netstream.py); any other start races on a surface."""
    problem = too_deep(text)
    if problem is not None:  # before parsing: the parser would recurse that deep
        raise CodedError("request.too_deep", limit=MAX_DEPTH)
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise CodedError("stream.not_json", reason=str(exc)) from None
    if not isinstance(raw, dict):
        raise CodedError("stream.not_object")
    kind = raw.get("type")
    if kind not in TYPES:
        raise CodedError("stream.unknown_type", kind=repr(kind), types=", ".join(TYPES))
    try:
        if kind == "start" and "network" in raw:
            return NetStart.model_validate(raw)
        return MESSAGE.validate_python(raw)
    except ValidationError as exc:
        english = validation_message(exc.errors())
        raise InvalidMessageError(f"invalid {kind} message: {english}",
                             validation_body(exc.errors(), where, english)) from None


# --- outgoing queue with a bound on frames ---------------------------------------------------
class Outbox:
    """Messages in order. Frames wait (`put_frame` blocks) while `limit` frames are queued:
    that is the backpressure. Replies and errors are never held back. Sending happens under
    one lock, from the sender task or from `flush` (a start sends its first frame at once,
    without waiting for the sender task's turn on a busy event loop).

    `send(text, more)` is told whether another message follows in the same flush, so the
    socket layer can write them together (server/wsprotocol.py): one socket write costs the
    loop more than framing and compressing a small message."""

    def __init__(self, limit: int, send: Callable[[str, bool], Awaitable[None]]) -> None:
        self.limit = limit
        self._send = send
        self._items: deque[tuple[int | None, str]] = deque()  # (race of a frame, text)
        self._frames = 0
        self._changed = asyncio.Condition()
        self._sending = asyncio.Lock()

    async def put_frame(self, race: int, text: str, wake: bool = True) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self._frames < self.limit)
            self._items.append((race, text))
            self._frames += 1
            if wake:
                self._changed.notify_all()

    async def put(self, text: str, wake: bool = True) -> None:
        """Queue a message. wake=False leaves the sender task asleep, for a caller that
        flushes at once itself (a start): waking it for nothing costs a task switch."""
        async with self._changed:
            self._items.append((None, text))
            if wake:
                self._changed.notify_all()

    async def drop_frames(self) -> None:
        """Forget queued frames (of a race that was stopped or replaced)."""
        async with self._changed:
            self._items = deque(item for item in self._items if item[0] is None)
            self._frames = 0
            self._changed.notify_all()

    def __len__(self) -> int:
        return len(self._items)

    async def wait(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self._items))

    async def _pop(self) -> str | None:
        async with self._changed:
            if not self._items:
                return None
            race, text = self._items.popleft()
            if race is not None:
                self._frames -= 1
            self._changed.notify_all()
            return text

    async def flush(self, at_most: int | None = None) -> None:
        """Send what is queued, in order: everything, or only the first `at_most` messages.

        A start sends just its own messages (`at_most`): flushing until the queue is empty
        would keep sending the frames its producer goes on computing, and the receive loop
        that called it would not read the client's next message (its pacing `step`, a
        `set`) until the race had run to the end."""
        async with self._sending:
            count = len(self._items) if at_most is None else at_most
            text = await self._pop() if count > 0 else None
            while text is not None:
                count = count - 1 if at_most is not None else len(self._items)
                # The next one is taken before this one is sent: a message said to have
                # more behind it always does, even if frames are dropped meanwhile.
                following = await self._pop() if count > 0 else None
                await self._send(text, following is not None)
                text = following


# --- one race being streamed ---------------------------------------------------------------
Action = Callable[[], Awaitable[None]]


# The race a stream steps: one over a surface (core.runs) or one of networks (core.netrace).
RaceT = TypeVar("RaceT", Race, NetRace)


@dataclass
class Stepping(Generic[RaceT]):
    """A race and its stepping state. Only its producer task steps or retunes the race, so
    control messages are queued as actions the producer runs between two frames: replies
    then carry the exact step, and no frame of the old settings follows a "paused".
    Subclasses say how a race of their kind is encoded (`opening`, `advance`)."""

    number: int
    race: RaceT
    detail: str
    frame_steps: int
    digits: int
    paused: bool = False
    budget: int = 0  # steps still allowed while paused (from "step" messages)
    points_sent: int = 0  # path index of the next point to send
    lead: int = 0  # points the race's next chunk repeats (sent by the opening frame)
    step_cost: float = 0.0  # CPU seconds a step of this race took, at the last chunk
    actions: deque[Action] = field(default_factory=deque)
    cancelled: bool = False  # set when the race is stopped or replaced
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None

    @property
    def step(self) -> int:
        """Steps taken by the furthest run so far."""
        return max(r.step for r in self.race.runs)

    @property
    def producing(self) -> bool:
        return self.task is not None and not self.task.done()

    def next_chunk(self) -> int:
        """Steps to compute next (0: wait for resume or step)."""
        if not self.paused:
            return self.frame_steps
        return min(self.budget, self.frame_steps)

    def shared_chunk(self, n: int) -> int:
        """At most n steps, fewer if they would hold a compute thread longer than
        SHARED_CHUNK_SECONDS: used while other clients share the threads, so none of them
        waits long for one, however heavy this race's steps (more runs, eigen)."""
        if self.step_cost <= 0:
            return n
        return max(1, min(n, int(SHARED_CHUNK_SECONDS / self.step_cost)))

    def done_message(self, reason: str) -> str:
        return dumps({"type": "done", "race": self.number, "reason": reason,
                      "runs": [{"status": r.status, "stop_step": r.step}
                               for r in self.race.runs]})

    def opening(self) -> str | None:
        raise NotImplementedError

    def advance(self, n: int) -> str:
        raise NotImplementedError


@dataclass
class Running(Stepping[Race]):
    """A race over a surface: frames of points, values and the inspector's records."""

    def frame(self, chunks: list[Trajectory], first_index: int, lead: int = 0) -> str:
        """One frame as compact JSON: rounded numbers, non-finite as null. The chunks'
        first `lead` points were sent already (by the opening frame): their per-point
        records are left out, their steps' records kept."""
        batch = Rounding(self.digits)
        runs = []
        for t in chunks:
            run: dict[str, Any] = {"points": None, "values": None, "status": t.status,
                                   "stop_step": t.stop_step}
            inspector: dict[str, Any] = {}
            batch.put(run, "points", t.points[lead:])
            batch.put(run, "values", t.values[lead:])
            if self.detail == "last" and len(t.lrs):
                batch.put(run, "lr", t.lrs[-1])
                batch.put(run, "grad", t.grads[len(t.updates) - 1])
                run["inspector"] = inspector
                for k, v in t.inspector.items():
                    batch.put(inspector, k, v[-1])
            elif self.detail == "all":  # (never with a lead: see `opening`)
                batch.put(run, "grads", t.grads)
                batch.put(run, "lrs", t.lrs)
                batch.put(run, "updates", t.updates)
                run["inspector"] = inspector
                for k, v in t.inspector.items():
                    batch.put(inspector, k, v)
            if t.eigenvalues is not None and t.eigenvectors is not None:
                # One per point, like "points": the browser draws the eigen-arrows and the
                # curvature read-outs from these instead of asking /api/analyze each frame.
                batch.put(run, "eigenvalues", t.eigenvalues[lead:])
                batch.put(run, "eigenvectors", t.eigenvectors[lead:])
            runs.append(run)
        batch.fill()
        return dumps({"type": "frame", "race": self.number, "step": first_index, "runs": runs})

    def opening(self) -> str | None:
        """The first frame without a step: every run's start point, its value and (with
        eigen) its eigen-decomposition, a fraction of what a step costs to compute and to
        encode, so a burst of starts gets its first paints quickly. None where it cannot
        stand for the first step (detail "all" sends every step's records; mini-batches)."""
        if self.detail == "all" or self.points_sent:
            return None
        chunks = self.race.opening()
        if chunks is None:
            return None
        self.points_sent = self.lead = 1
        return self.frame(chunks, 0)

    def advance(self, n: int) -> str:
        """n more steps as one encoded frame (runs in a compute thread). After an opening
        frame the first chunk takes one step more: the frames then hold the same points
        and steps as if the first frame had taken the first step."""
        lead, self.lead = self.lead, 0
        first = self.points_sent
        began = time.thread_time()
        chunks = self.race.advance(n + lead)
        self.points_sent = max([first, *(first - lead + len(t.points) for t in chunks)])
        text = self.frame(chunks, first, lead)
        self.step_cost = (time.thread_time() - began) / (n + lead)
        return text


@dataclass
class NetRunning(Stepping[NetRace]):
    """A network race (core.netrace.NetRace) streamed with the same pacing as a surface's:
    only the frames differ (server/netstream.py says what they carry)."""

    frames: NetFrames | None = None
    start_msg: NetStart | None = None
    extra: set[asyncio.Task[None]] = field(default_factory=set)  # landscapes being computed
    kept: KeptPaths | None = None  # the runs' iterates so far, for a landscape

    def _check(self) -> None:
        if self.cancelled:
            raise Cancelled("the race was stopped or replaced")

    def opening(self) -> str | None:
        """Every run's start (iterate 0) and the first boundary grid, without a step."""
        if self.points_sent or self.frames is None:
            return None
        self.points_sent = 1
        chunks = self.race.opening()
        if self.kept is not None:
            self.kept.add(chunks)
        return self.frames.frame(self.number, chunks)

    def advance(self, n: int) -> str:
        assert self.frames is not None
        chunks = self.race.advance(n, self._check)
        if self.kept is not None:
            self.kept.add(chunks)
        self.points_sent = max([self.points_sent, *(c.first + len(c.thetas) for c in chunks)])
        return self.frames.frame(self.number, chunks)


# The race a session streams, of either kind.
Live = Running | NetRunning


class Session:
    """One WebSocket connection: receives control messages, streams at most one race."""

    def __init__(self, websocket: WebSocket, state: AppState, client: str = "") -> None:
        self.ws, self.state, self.settings = websocket, state, state.settings
        self.client = client  # whose compute share this stream's chunks count against
        self.outbox = Outbox(self.settings.stream_buffer, self._write)
        self.current: Live | None = None
        self.races = 0
        self.heavy = False  # the current race holds a place in the client's fair share
        # Set by the drain: messages that cross the 1001 close are dropped, not answered
        # (a "step" arriving after the race was cancelled would otherwise get "no race").
        self.leaving = False

    async def serve(self) -> None:
        sender = asyncio.create_task(self._send_loop())
        # A socket that starts no race holds a slot for nothing: it gets this long to start
        # one (a browser starts its first race as it connects).
        idle_until = asyncio.get_running_loop().time() + self.settings.stream_idle_seconds
        try:
            while True:
                if self.races == 0:
                    left = idle_until - asyncio.get_running_loop().time()
                    try:
                        message = await asyncio.wait_for(self.ws.receive(), max(left, 0.0))
                    except TimeoutError:
                        await self.refuse("idle", CLOSE_IDLE,
                                          seconds=f"{self.settings.stream_idle_seconds:g}")
                        break
                else:
                    message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                text = message.get("text")
                if text is None:
                    await self.coded("stream.binary")
                    continue
                if len(text) > self.settings.max_message_bytes:
                    await self.coded("stream.too_large", size=len(text),
                                     limit=self.settings.max_message_bytes)
                    continue
                if self.leaving:
                    continue
                try:
                    await self.handle(parse_message(text))
                except Busy as exc:  # beyond the client's share of heavy work
                    params = {"reason": str(exc), "seconds": exc.seconds}
                    await self.outbox.put(dumps({
                        "type": "error", "message": f"{exc}; try again in {exc.seconds} s",
                        "code": "request.busy", "params": params,
                        "text": texts("request.busy", params), "retry_after": exc.seconds}))
                except ValueError as exc:  # user input (FormulaError included): say what to fix
                    await self.error(exc)
                except ArithmeticError as exc:
                    await self.coded("request.out_of_range", reason=str(exc))
                except Exception:  # a bug, not the user's fault: log it, keep the connection
                    log.exception("stream message failed")
                    await self.coded("stream.internal")
        except WebSocketDisconnect:
            pass
        finally:
            await self._cancel_race()
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def going_away(self) -> None:
        """The drain's close: stop computing, then 1001 so the browser resumes elsewhere."""
        self.leaving = True
        await self._cancel_race()
        with contextlib.suppress(Exception):
            await self.ws.close(code=CLOSE_GOING_AWAY, reason="server restarting")

    async def _write(self, text: str, more: bool) -> None:
        await self.ws.send({"type": "websocket.send", "text": text, MORE: more})

    async def _send_loop(self) -> None:
        try:
            while True:
                await self.outbox.wait()
                await self.outbox.flush()
        except (WebSocketDisconnect, RuntimeError, OSError):
            return  # the client went away; the receive loop notices and cleans up

    async def error(self, exc: ValueError) -> None:
        """A refused input: the English message with its code, params and texts."""
        await self.outbox.put(dumps({"type": "error", "message": str(exc), **error_body(exc)}))

    async def coded(self, code: str, **params: Any) -> None:
        await self.outbox.put(dumps(coded_frame(code, params)))

    async def refuse(self, code: str, close_code: int, **params: Any) -> None:
        """An error message with a `code` the browser translates, then the close."""
        await self.outbox.put(dumps(coded_frame(code, params)))
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await self.outbox.flush()
            await self.ws.close(code=close_code)

    async def reply(self, running: Live, kind: str, **extra: Any) -> None:
        await self.outbox.put(dumps({"type": kind, "race": running.number,
                                     "step": running.step, **extra}))

    # --- messages --------------------------------------------------------------------------
    async def handle(self, msg: Parsed) -> None:
        if isinstance(msg, Ping):
            await self.outbox.put(dumps({"type": "pong"}))
            return
        if isinstance(msg, Start | NetStart):
            await self.start(msg)
            return
        running = self.current
        if running is None:
            raise CodedError("stream.no_race", kind=msg.type)
        if isinstance(msg, Landscape):
            await self._landscape(running, msg)
            return
        if isinstance(msg, Stop):
            await self._cancel_race()
            await self.outbox.put(running.done_message("stopped"))
            return
        if isinstance(msg, Set):
            if running.race.done:
                raise CodedError("stream.finished")
            if msg.run >= len(running.race.runs):
                raise CodedError("stream.no_run", run=msg.run, last=len(running.race.runs) - 1)
        if isinstance(msg, Step) and running.race.done:
            raise CodedError("stream.finished")
        action = self._action(running, msg)
        if running.producing:  # between two frames, in order with them
            running.actions.append(action)
            running.wake.set()
        else:
            await action()

    def _action(self, running: Live, msg: Pause | Resume | Step | Set) -> Action:
        async def pause() -> None:
            running.paused, running.budget = True, 0
            await self.reply(running, "paused")

        async def resume() -> None:
            running.paused, running.budget = False, 0
            await self.reply(running, "resumed")

        async def step() -> None:
            assert isinstance(msg, Step)
            running.paused = True
            running.budget += msg.n

        async def retune() -> None:
            assert isinstance(msg, Set)
            try:
                running.race.retune(msg.run, msg.params)
            except ValueError as exc:
                await self.error(exc)
                return
            spec = running.race.runs[msg.run].spec
            await self.reply(running, "set", run=msg.run,
                             params=resolved_params(spec.optimizer, dict(spec.params)))

        actions: dict[str, Action] = {"pause": pause, "resume": resume, "step": step,
                                      "set": retune}
        return actions[msg.type]

    async def start(self, msg: Start | NetStart) -> None:
        self.state.gate.mark()  # hold the other streams' stepping while starts arrive
        # The cost model first (server/cost.py): over the budget is an error frame, and a
        # heavy race takes a place in the client's fair share (server/workqueue.py).
        estimate = cost.check(network_cost(msg, self.settings) if isinstance(msg, NetStart)
                              else cost.race(msg, self.settings), self.settings)
        heavy, holding = estimate.units > self.settings.light_work, self.heavy
        if heavy and not holding:
            self.state.work.hold_stream(self.client)  # Busy: an error frame, race kept
        try:
            # Build first: an invalid start gets an error and the running race carries on.
            if isinstance(msg, NetStart):
                # Built, and its first frame computed, on one thread that takes the
                # starts in turn (FIFO): in a burst of starts the first ones go out first,
                # instead of all of them sharing the cores and finishing together late.
                net_opening = await anyio.to_thread.run_sync(
                    self._prepare_network, msg, self.races + 1, limiter=self.state.compiler)
            else:
                surface, race = await self._build(msg)
        except BaseException:
            if heavy and not holding:
                self.state.work.release_stream(self.client)
            raise
        if heavy and holding:
            self.heavy = False  # the new race keeps the old one's place: not freed below
        await self._cancel_race()
        self.heavy = heavy
        self.races += 1
        frame_steps = min(msg.frame_steps or self.settings.frame_steps, self.settings.frame_steps)
        if isinstance(msg, NetStart):
            await self._start_network(*net_opening)
            return
        running = Running(self.races, race, msg.detail, frame_steps, self.settings.stream_digits)
        self.current = running
        await self.outbox.put(wake=False, text=dumps({
            "type": "started", "race": running.number, "steps": msg.steps,
            "bounds": list(surface.bounds),
            "runs": [{"optimizer": r.spec.optimizer, "schedule": r.spec.schedule,
                      "params": r.hp,  # validated, defaults filled in (dumps: tuples, numpy)
                      "start": list(r.spec.start)} for r in race.runs]}))
        # The first frame right away, on the loop, so the browser paints at once: the
        # starts without a step by default (tens of microseconds), else the first steps;
        # the rest is stepped off the loop.
        first = self.settings.first_frame_steps
        opening = running.opening() if first == 0 else None
        await self.outbox.put_frame(running.number, opening if opening is not None else
                                    running.advance(max(1, min(first, frame_steps))),
                                    wake=False)  # flushed below
        self.state.gate.mark()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            # Out now, and only these ("started", the first frame and any reply before them):
            # the next frames go through the sender task, so this returns to the receive
            # loop, which reads the client's pacing `step` or `set` at once.
            await self.outbox.flush(at_most=len(self.outbox))
        # Stepping begins after that: a pacing request sent right behind the start is
        # then applied before the second frame is computed.
        running.task = asyncio.create_task(self._produce(running))

    def _prepare_network(self, msg: NetStart, number: int) -> tuple[NetRunning, str, str]:
        """The network race, its "started" and its opening frame (every run's start point,
        losses and the first boundary grid), on a thread: evaluating a network takes
        milliseconds, not the microseconds of a surface's opening."""
        prob, race = build_network(msg, self.settings)
        digits = self.settings.stream_digits
        boundary = Boundary.around(prob, msg.boundary_resolution)
        frames = NetFrames(prob, Plane.random(prob, race.start, msg.plane_seed), boundary,
                           msg.boundary_every, digits)
        # A frame of a network race is bounded by its work too, not only by frame_steps, so
        # that a pause, set or stop waits at most a few tens of milliseconds.
        frame_steps = min(msg.frame_steps or self.settings.frame_steps, self.settings.frame_steps)
        per_step = max(1, network_cost(msg, self.settings).units // msg.steps)
        frame_steps = max(1, min(frame_steps, NET_FRAME_WORK // per_step))
        kept = KeptPaths(prob.n_params, msg.steps, len(race.runs), self.settings.max_kept_floats)
        running = NetRunning(number, race, "none", frame_steps, digits, frames=frames,
                             start_msg=msg, kept=kept)
        head = network_started(number, msg, prob, race, boundary)
        return running, head, running.opening() or ""

    async def _start_network(self, running: NetRunning, head: str, opening: str) -> None:
        self.current = running
        await self.outbox.put(head, wake=False)
        await self.outbox.put_frame(running.number, opening, wake=False)
        self.state.gate.mark()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await self.outbox.flush(at_most=len(self.outbox))
        running.task = asyncio.create_task(self._produce(running))

    async def _landscape(self, running: Live, msg: Landscape) -> None:
        """Check the request, then compute it in the background (the race goes on):
        "landscape" messages, coarse then fine (server/netstream.py)."""
        if not isinstance(running, NetRunning) or running.start_msg is None:
            raise CodedError("stream.landscape_no_network")
        s = self.settings
        limited_default(msg, "resolution", s.max_slice_resolution)
        if msg.resolution > s.max_slice_resolution:
            raise CodedError("limit.over", field="landscape.resolution", value=msg.resolution,
                             setting="GRADSCAPE_MAX_SLICE_RESOLUTION",
                             limit=s.max_slice_resolution)
        assert running.kept is not None
        refusal = running.kept.refusal()
        if refusal is not None:
            raise refusal
        # The iterates the stream already computed (no replay of the race): the chunks kept
        # so far, taken here on the event loop; a frame being computed meanwhile may add
        # iterates beyond `upto`, which paths_upto cuts off.
        upto, kept = running.kept.snapshot()
        cost.check(network_landscape_cost(running.start_msg, msg, max(1, upto), s), s)
        task = asyncio.create_task(self._send_landscape(running, msg, upto, kept))
        running.extra.add(task)
        task.add_done_callback(running.extra.discard)

    async def _send_landscape(self, running: NetRunning, msg: Landscape, upto: int,
                              kept: list[list[tuple[np.ndarray, np.ndarray]]]) -> None:
        try:
            def passes_of() -> Iterator[str]:
                yield from landscape_messages(running.number, running.race.prob,
                                              paths_upto(kept, upto), msg.plane,
                                              msg.resolution, msg.seed, upto, running._check,
                                              self.settings.stream_digits)

            passes = passes_of()
            while True:
                # On the compute threads, in this client's fair share (server/fairshare.py).
                text = await self.state.compute.run(self.client, next, passes, None)
                if text is None:
                    return
                await self.outbox.put(text)
        except (asyncio.CancelledError, Cancelled):
            return
        except ValueError as exc:
            await self.error(exc)
        except Exception:
            log.exception("landscape failed")
            await self.coded("stream.internal")

    async def _build(self, msg: Start) -> tuple[Surface, Race]:
        """Validate and build the race. A formula not yet parsed, or a program the first
        frame needs not yet compiled (the Hessian's, with eigen, takes ~0.1 s), is
        prepared off the loop: a start never blocks the loop for long."""
        resolver = self.state.resolver
        key = resolver.key(msg.surface)
        kinds = _programs(msg)
        if (key[0], key[1]) in resolver.surfaces:
            surface, race = build_race(msg, self.settings, resolver)
            if all(surface.compiled(k) for k in kinds):
                return surface, race
            await anyio.to_thread.run_sync(surface.prepare, *kinds,
                                           limiter=self.state.compiler)
            return surface, race
        return await anyio.to_thread.run_sync(_build_prepared, msg, self.settings, resolver,
                                              kinds, limiter=self.state.compiler)

    async def _produce(self, running: Live) -> None:
        try:
            while True:
                if running.actions and running.lead:
                    # A control message before the first step (an opening frame was sent):
                    # take that step now, so replies count it as taken, exactly as if the
                    # first frame had taken it.
                    await self._step(running, 0)
                while running.actions:
                    await running.actions.popleft()()
                if running.race.done:
                    break
                n = running.next_chunk()
                if n == 0:
                    running.wake.clear()
                    await running.wake.wait()
                    continue
                await self.state.gate.wait()  # starts first (server/priority.py)
                if running.actions:  # a pause or set came in meanwhile: apply it first
                    continue
                if self.state.compute.shared:
                    n = running.shared_chunk(n)
                await self._step(running, n)
                if running.paused:  # stepping: say when the steps asked for are done
                    running.budget = max(0, running.budget - n)
                    if running.budget == 0 and not running.race.done:
                        await self.reply(running, "paused")
            if isinstance(running, NetRunning) and running.start_msg is not None \
                    and running.start_msg.landscape is not None:
                # the slice the start asked for, begun at once on the last frame: no wait
                # for the browser to read "done" and ask (a round trip, and a main thread
                # busy animating the race)
                ask = running.start_msg.landscape
                try:
                    await self._landscape(running, Landscape.model_validate(
                        {"type": "landscape", **ask.model_dump(exclude_unset=True)}))
                except ValueError as exc:
                    await self.error(exc)
            await self.outbox.put(running.done_message("finished"))
            if self.current is running and self.heavy:  # its share is free again
                self.heavy = False
                self.state.work.release_stream(self.client)
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug, not user input: tell the client, keep the connection
            log.exception("stream race %d failed", running.number)
            await self.coded("stream.race_failed")

    async def _step(self, running: Live, n: int) -> None:
        """n more steps on a compute thread, queued as a frame (waits while the buffer is full)."""
        # On a compute thread when this client's fair turn comes (server/fairshare.py).
        text = await self.state.compute.run(self.client, running.advance, n)
        await self.outbox.put_frame(running.number, text)

    async def _cancel_race(self) -> None:
        if self.heavy:
            self.heavy = False
            self.state.work.release_stream(self.client)
        running, self.current = self.current, None
        if running is None:
            return
        running.cancelled = True  # a network chunk being stepped stops at its next update
        for task in getattr(running, "extra", ()):
            task.cancel()
        if running.task is not None:
            running.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running.task
        await self.outbox.drop_frames()


def _programs(msg: Start) -> tuple[str, ...]:
    """The compiled programs a race's first frames evaluate."""
    hessian = msg.eigen or any(OPTIMIZERS[r.optimizer].needs_hessian for r in msg.runs
                               if r.optimizer in OPTIMIZERS)
    batched = any(r.batch_size is not None for r in msg.runs)
    return ("hessian" if hessian else "value_grad",) + (("value",) if batched else ())


def _build_prepared(msg: Start, settings: Settings, resolver: SurfaceResolver,
                    kinds: tuple[str, ...]) -> tuple[Surface, Race]:
    surface, race = build_race(msg, settings, resolver)
    surface.prepare(*kinds)
    return surface, race


@router.websocket("/stream")
async def stream(websocket: WebSocket) -> None:
    """Live race streaming; see the module docstring (and the README) for the protocol."""
    state: AppState = websocket.app.state.gradscape
    if state.drain.draining:  # before the handshake, so a proxy retries another replica
        await websocket.send_denial_response(JSONResponse(
            {"detail": "this server is restarting; connect again"}, status_code=503))
        return
    settings = state.settings
    client = client_key(websocket.scope, settings.trusted_proxies)
    # Refusals are accepted first and then closed with an error message and a close code:
    # a handshake refused outright reaches a browser's page only as "closed (1006)".
    await websocket.accept()
    if not origin_allowed(websocket.scope, settings.allowed_origins, settings.trusted_proxies):
        await _refuse(websocket, "origin", CLOSE_POLICY)
        return
    refusal = state.slots.refusal(client)
    if refusal is not None:
        held = state.slots.held[client]
        await _refuse(websocket, refusal, CLOSE_TRY_AGAIN_LATER,
                      **({"held": held} if refusal == "per_client" else
                         {"total": state.slots.total}))
        return
    state.slots.take(client)
    session = Session(websocket, state, client)
    state.drain.track(session.going_away)
    try:
        await session.serve()
    finally:
        state.drain.untrack(session.going_away)
        state.slots.give_back(client)
        if not state.slots.held[client]:
            state.compute.forget(client)


def coded_frame(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """An error frame: the English `message`, and the code's params and texts."""
    text = texts(code, params)
    return {"type": "error", "code": code, "params": params, "message": text["en"],
            "text": text}


async def _refuse(websocket: WebSocket, code: str, close_code: int, **params: Any) -> None:
    with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
        await websocket.send_text(dumps(coded_frame(code, params)))
        await websocket.close(code=close_code)
