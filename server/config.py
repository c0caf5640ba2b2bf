"""Server settings, read once from GRADSCAPE_* environment variables.

Every limit that protects the server from a request lives here with a sane default, e.g.

    GRADSCAPE_MAX_STEPS=20000 GRADSCAPE_MAX_STREAMS=500 gradscape serve

Values are validated at start-up: a typo (GRADSCAPE_MAX_STEPS=lots) stops the server with a
message naming the variable, instead of surfacing later as a confusing 500.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gradscape.core import runs as core_runs
from gradscape.core.formula import MAX_LENGTH as CORE_MAX_FORMULA_LENGTH
from gradscape.server.clients import trusted_networks

PREFIX = "GRADSCAPE_"

# Bounds that are not settings, served by GET /api/limits so the page keeps no copy of them.
MAX_SEED = core_runs.MAX_SEED
# The playback speed a link may ask for (sp=...), as a multiple of the normal pace.
MIN_SPEED, MAX_SPEED = 0.1, 10.0
REPO_FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


class Settings(BaseModel):
    """Limits and tuning knobs. Field `max_steps` is read from GRADSCAPE_MAX_STEPS, etc."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # --- request limits --------------------------------------------------------------------
    max_steps: int = Field(10_000, ge=1, le=core_runs.MAX_STEPS,
                           description="steps per run (REST and streams)")
    max_runs: int = Field(12, ge=1, le=core_runs.MAX_RUNS, description="runs per race")
    max_grid_resolution: int = Field(400, ge=2, le=2000, description="grid points per side")
    max_basin_resolution: int = Field(200, ge=2, le=400, description="basin map starts per side")
    max_basin_steps: int = Field(2_000, ge=1, le=core_runs.MAX_STEPS,
                                 description="steps per start of a basin map")
    max_formula_length: int = Field(500, ge=1, le=CORE_MAX_FORMULA_LENGTH,
                                    description="characters in a typed formula")
    max_message_bytes: int = Field(65_536, ge=1_024, le=16 * 1024 * 1024,
                                   description="largest accepted WebSocket message or body")
    max_streams: int = Field(256, ge=1, le=100_000,
                             description="concurrent WebSocket streams per process")
    max_samples: int = Field(1024, ge=2, le=4096,
                             description="data points of a data-set surface (option samples)")
    max_work: int = Field(1_000_000_000, ge=1_000, le=10**13,
                          description="work units one request may ask for (the cost model "
                                      "in server/cost.py: ~5-20 ns of CPU each)")
    # --- tiny networks (docs/networks.md, "Server API") ------------------------------------
    max_net_params: int = Field(5_000, ge=10, le=20_000,
                                description="parameters of a network problem")
    max_net_samples: int = Field(1024, ge=2, le=4096,
                                 description="training (and, separately, test) samples of a "
                                             "network problem")
    max_net_steps: int = Field(5_000, ge=1, le=20_000,
                               description="training steps per network run (REST and streams)")
    max_net_layers: int = Field(4, ge=0, le=4, description="hidden layers of a network")
    max_net_width: int = Field(64, ge=1, le=64, description="units per hidden layer")
    max_slice_resolution: int = Field(101, ge=3, le=201,
                                      description="points per side of a network loss slice")
    # 500,000 numbers = 4 MB a stream: the default network race keeps ~430,000, and 256
    # streams at the limit stay near 1 GB (issue 13's memory bound).
    max_kept_floats: int = Field(500_000, ge=0, le=100_000_000,
                                 description="numbers a streamed network race keeps of its "
                                             "runs' paths (parameters x (steps + 1) x runs; "
                                             "8 bytes each) so its loss slice needs no "
                                             "replay; a race above it has no streamed slice")
    # --- heavy work: a bounded queue with a fair share per client --------------------------
    work_threads: int = Field(1, ge=1, le=64,
                              description="threads running heavy REST work (grids, basin "
                                          "maps, critical points, runs, exports); one per "
                                          "process leaves the other cores to the streams "
                                          "(scale out with --workers)")
    queue_size: int = Field(16, ge=0, le=10_000,
                            description="heavy requests waiting for a thread, at most; "
                                        "beyond: 429 with Retry-After")
    client_share: int = Field(4, ge=1, le=1_000,
                              description="heavy requests (running or waiting) and heavy "
                                          "streamed races per client, at most; beyond: 429")
    light_work: int = Field(10_000_000, ge=0, le=10**12,
                            description="work units below which a request skips the queue")
    request_timeout: float = Field(30.0, gt=0.0, le=3600.0,
                                   description="wall-clock seconds a heavy request may run")
    # --- streaming -------------------------------------------------------------------------
    frame_steps: int = Field(50, ge=1, le=10_000, description="steps per streamed frame")
    first_frame_steps: int = Field(0, ge=0, le=10_000,
                                   description="steps in the first frame; 0: the starts "
                                               "only, the fastest first paint (one step "
                                               "where that cannot be: detail \"all\", "
                                               "mini-batches)")
    stream_buffer: int = Field(4, ge=1, le=1_000,
                               description="frames computed ahead of a slow client, at most")
    stream_digits: int = Field(7, ge=3, le=17,
                               description="significant digits of streamed numbers")
    compute_threads: int = Field(2, ge=1, le=64,
                                 description="threads stepping streamed races")
    drain_seconds: float = Field(3.0, ge=0, le=120,
                                 description="after SIGTERM: seconds of answering health with "
                                             "503 \"draining\" (streams already told to go "
                                             "elsewhere) before the process stops accepting")
    # --- who a client is ---------------------------------------------------------------------
    trusted_proxies: str = Field("", description="comma-separated proxy addresses or "
                                 "networks (CIDR) whose X-Forwarded-For names the client "
                                 "(empty: none; the peer address is the client)")

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        trusted_networks(value)  # a typo stops the server at start-up, naming the variable
        return value
    # --- streams under load (server/streamguard.py, server/fairshare.py) ----------------------
    allowed_origins: str = Field("", description="comma-separated origins (scheme://host"
                                 "[:port]) whose pages may open streams besides the server's "
                                 "own, e.g. for embeds served elsewhere; * allows any")
    max_streams_per_client: int = Field(32, ge=1, le=100_000,
                                        description="streams one client may hold open")
    stream_reserve: int = Field(32, ge=0, le=100_000,
                                description="the last streams, kept for clients holding "
                                            "fewer than stream_fair_share streams")
    stream_fair_share: int = Field(2, ge=1, le=100_000,
                                   description="streams a client may hold and still get a "
                                               "reserved one")
    stream_idle_seconds: float = Field(60.0, gt=0, le=86_400,
                                       description="a stream that starts no race this long "
                                                   "after opening is closed")
    stream_idle_credit: float = Field(0.2, ge=0, le=60,
                                      description="compute seconds of head start a client "
                                                  "returning from idle gets in the fair "
                                                  "share of the compute threads")
    embed_frame_ancestors: str = Field("*", description="who may show embed.html in a "
                                       "frame (a CSP frame-ancestors source list); every "
                                       "other page: only this server")
    # --- caches and files -----------------------------------------------------------------
    formula_cache_size: int = Field(256, ge=1, le=100_000,
                                    description="compiled formulas kept (LRU)")
    cache_bytes: int = Field(128 * 2**20, ge=2**20, le=2**40,
                             description="bytes each cache (compiled formulas, critical "
                                         "points) may hold, least recently used dropped first")
    frontend_dir: Path = Field(REPO_FRONTEND, description="static files served at /")


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from GRADSCAPE_<FIELD> variables; defaults for the rest."""
    env = os.environ if environ is None else environ
    given = {name: env[PREFIX + name.upper()] for name in Settings.model_fields
             if PREFIX + name.upper() in env}
    try:
        return Settings.model_validate(given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{PREFIX}{str(err['loc'][0]).upper()}: {err['msg']}" for err in exc.errors())
        raise SystemExit(f"gradscape: bad setting(s): {problems}") from None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once; tests build their own with `Settings(...)`)."""
    return from_env()
