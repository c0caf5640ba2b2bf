"""What server/wsprotocol.py's permessage-deflate settings save per race, against uvicorn's.

    .venv/bin/python -m benchmarks.bench_wsprotocol

The messages of one real race (the load test's: 6 optimizers x 1,000 steps on a typed
formula, streamed by the app in-process) are compressed frame by frame as a connection does,
once with StreamProtocol's settings (zlib level 1, memLevel 5) and once with uvicorn's own
(zlib's default level, memLevel 5), both with uvicorn's 4 KiB window and context takeover.
Repeats alternate the two, so a busy machine slows both alike; the medians are reported.
The other half of StreamProtocol, corked writes, saves socket writes (one per batch of
queued messages instead of one per message) and is measured end to end by scripts/loadtest.py.
"""

from __future__ import annotations

import random
import statistics
import time
import zlib

from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.frames import Frame, Opcode

from benchmarks.bench_stream import start_message
from gradscape.server.wsprotocol import COMPRESS_SETTINGS, WINDOW_BITS

SETTINGS = {"StreamProtocol": dict(COMPRESS_SETTINGS),
            "uvicorn": {"memLevel": 5, "level": zlib.Z_DEFAULT_COMPRESSION}}


def race_messages() -> list[bytes]:
    """Every message the server streams for one race, as sent."""
    from fastapi.testclient import TestClient

    from gradscape.server.app import create_app

    with TestClient(create_app()) as client, client.websocket_connect("/api/stream") as ws:
        ws.send_text(start_message(random.Random(0)))
        out: list[bytes] = []
        while not out or not out[-1].startswith(b'{"type":"done"'):
            out.append(ws.receive_text().encode())
    return out


def compress(messages: list[bytes], settings: dict[str, int]) -> tuple[float, int]:
    """Seconds and bytes to compress a race's messages on one connection."""
    deflate = PerMessageDeflate(False, False, WINDOW_BITS, WINDOW_BITS, dict(settings))
    start = time.perf_counter()
    size = sum(len(deflate.encode(Frame(Opcode.TEXT, m)).data) for m in messages)
    return time.perf_counter() - start, size


def main(repeats: int = 15) -> str:
    messages = race_messages()
    raw = sum(map(len, messages))
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    sizes: dict[str, int] = {}
    for i in range(repeats):
        for name in (list(SETTINGS) if i % 2 == 0 else list(reversed(SETTINGS))):
            seconds, sizes[name] = compress(messages, SETTINGS[name])
            times[name].append(seconds)
    lines = [f"one race: {len(messages)} messages, {raw / 1024:.1f} KiB of JSON"]
    for name in SETTINGS:
        lines.append(f"  {name:15s} compress {statistics.median(times[name]) * 1e3:6.2f} ms "
                     f"(best {min(times[name]) * 1e3:.2f}), {sizes[name] / 1024:.1f} KiB")
    ratio = statistics.median(times["uvicorn"]) / statistics.median(times["StreamProtocol"])
    lines.append(f"  uvicorn's level takes {ratio:.2f}x StreamProtocol's time, "
                 f"and sends {sizes['uvicorn'] / sizes['StreamProtocol']:.2f}x its bytes")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
