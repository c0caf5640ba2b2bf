"""The Network mode in headless Chromium (issue 17's targets): a 4-optimizer network race
(MLP 2-16-16-2 tanh on 200 moons, sgd, momentum, adam, rmsprop, 300 steps, λmax every 10)
played at 1x:

- first frame: navigation start -> the race's first decision boundary painted;
- animation: frames per second from requestAnimationFrame while the race plays, and the longest
  renderer main-thread task from a Chrome trace (bench_browser's method);
- slice: the race's end -> the first landscape picture painted. The end is the frame that
  brings the race's last iterates (`net-race-end`); the stream's `done` follows it
  (`slice_after_done_ms` is measured from that too), and `slice_received_after_end_ms`
  says how much of the wait is the server's (the landscape message arriving).

Targets: >= 50 fps, no task over 50 ms, first frame <= 1.5 s, slice <= 0.5 s after the end.

    .venv/bin/python -m benchmarks.bench_network_browser [--seconds 5] [--loads 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from benchmarks.bench_browser import ARGS, CHROMIUM, OBSERVE, longest_main_thread_task
from gradscape.server.spawn import spawned_server

HASH = "mode=network"  # the mode's default scene is the 4-optimizer race above


def marks(page: Any) -> dict[str, float | None]:
    return page.evaluate("""() => Object.fromEntries(['gradscape:net-painted',
        'gradscape:net-race-done', 'gradscape:net-race-end', 'gradscape:net-slice-received',
        'gradscape:net-slice-painted'].map(n =>
        [n.split(':')[1], performance.getEntriesByName(n)[0]?.startTime ?? null]))""")


def load(browser: Any, url: str) -> dict[str, float | None]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{url}/#{HASH}")
    page.wait_for_function("() => performance.getEntriesByName('gradscape:net-slice-painted')"
                           ".length", timeout=120000)
    out = marks(page)
    context.close()
    return out


def animation(browser: Any, url: str, seconds: float) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(OBSERVE)
    page.goto(f"{url}/#{HASH}")
    page.wait_for_function("() => window.gradscape && window.gradscape.data "
                           "&& window.gradscape.playback.step > 5", timeout=30000)
    browser.start_tracing(page=page, categories=["toplevel", "devtools.timeline"])
    page.evaluate("() => { window.__bench.frames = []; window.__bench.longtasks = []; }")
    page.wait_for_timeout(int(seconds * 1000))
    stats = page.evaluate("""() => {
        const f = window.__bench.frames;
        return { frames: f.length, span: f[f.length - 1] - f[0],
                 longtasks: window.__bench.longtasks, step: window.gradscape.playback.step,
                 playing: window.gradscape.playback.playing };
    }""")
    trace = browser.stop_tracing()
    context.close()
    longest, over_50, cpu = longest_main_thread_task(trace)
    fps = (stats["frames"] - 1) / (stats["span"] / 1000) if stats["span"] else 0.0
    return {"fps": fps, "longest_task_ms": longest, "tasks_over_50ms": over_50,
            "longest_task_cpu_ms": cpu, "longtask_api": stats["longtasks"],
            "step_at_end": stats["step"], "still_playing": stats["playing"]}


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args(argv if argv is not None else [])
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with spawned_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        loads = [load(browser, url) for _ in range(args.loads)]
        anim = animation(browser, url, args.seconds)
        browser.close()
    first = [m["net-painted"] for m in loads if m["net-painted"] is not None]
    def after(mark: str, since: str) -> list[float]:
        return [round(m[mark] - m[since], 1) for m in loads
                if m.get(mark) is not None and m.get(since) is not None]

    slice_after = after("net-slice-painted", "net-race-end")
    result = {"first_frame_ms": first, "first_frame_p50_ms": statistics.median(first),
              "slice_after_end_ms": slice_after,
              "slice_after_end_p50_ms": statistics.median(slice_after),
              "slice_after_done_ms": after("net-slice-painted", "net-race-done"),
              "slice_received_after_end_ms": after("net-slice-received", "net-race-end"),
              **anim}
    return json.dumps(result, indent=1)


if __name__ == "__main__":
    import sys
    print(main(sys.argv[1:]))
