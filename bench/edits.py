"""Time single edits in the editor through Textual's Pilot; run by `run.py` in its own process.

    python bench/edits.py --data-dir DIR --canvas NAME [--reps N] [--gap SECONDS]

prints `{"wall": {"add": [seconds, ...], "move": [...], "delete": [...]}, "cpu": {...}}` as
JSON. One edit is `await pilot.press(...)` plus `await pilot.pause()`: "wall" is its elapsed
time, "cpu" the CPU time of the main thread meanwhile (the app's event loop: key handling and
rendering, without the autosave thread or time spent waiting). The cursor is put in place beforehand
(untimed), and `--gap` seconds pass after each edit so the autosave, which writes on a thread
shortly after a change, does not overlap the next measured edit. One untimed round first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from textual.pilot import Pilot

from canvas_tui.app import CanvasApp
from canvas_tui.store import CanvasStore

KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    # kind: (untimed keys that place the cursor, timed keys, change in the item count)
    "add": ((), ("a", "n", "e", "w", "enter"), +1),
    "move": (("g",), ("J",), 0),
    "delete": (("g",), ("d",), -1),
}


def _item_count(app: CanvasApp) -> int | None:
    """The first block's item count, if the editor exposes its session (a sanity check)."""
    session = getattr(app.screen, "session", None)
    canvas = getattr(session, "canvas", None)
    blocks = getattr(canvas, "blocks", None)
    return None if blocks is None else len(blocks[0])


async def _timed(pilot: Pilot[None], keys: Sequence[str]) -> tuple[float, float]:
    """(wall, main-thread CPU) seconds of pressing `keys` and waiting for the app to settle."""
    start, start_cpu = time.perf_counter(), time.thread_time()
    await pilot.press(*keys)
    await pilot.pause()
    return time.perf_counter() - start, time.thread_time() - start_cpu


Times = dict[str, dict[str, list[float]]]


async def measure(data_dir: Path, canvas: str, reps: int, gap: float) -> Times:
    app = CanvasApp(store=CanvasStore(data_dir), canvas=canvas)
    times: Times = {clock: {kind: [] for kind in KINDS} for clock in ("wall", "cpu")}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(gap)
        for round_ in range(reps + 1):
            for kind, (prepare, keys, delta) in KINDS.items():
                if prepare:
                    await pilot.press(*prepare)
                    await pilot.pause()
                before = _item_count(app)
                wall, cpu = await _timed(pilot, keys)
                after = _item_count(app)
                if before is not None and after != before + delta:
                    raise RuntimeError(f"{kind}: block 1 went from {before} to {after} items")
                if round_ > 0:
                    times["wall"][kind].append(wall)
                    times["cpu"][kind].append(cpu)
                await asyncio.sleep(gap)
        await pilot.press("q")
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--canvas", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--gap", type=float, default=0.6)
    args = parser.parse_args(argv)
    times = asyncio.run(measure(args.data_dir, args.canvas, args.reps, args.gap))
    json.dump(times, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
