"""`canvas-tui diff` and `canvas-tui merge` timed as processes, for run.py's table.

    .venv/bin/python bench/history.py [--runs N]      (standalone: prints the medians)

Measures, in the budgets' terms: `diff` of the 45-item canvas against a changed copy, `diff` of
two 9,000-item versions, and `merge` (git's merge driver) of two 9,000-item versions changed on
both sides in ways that merge cleanly. Each command is a fresh process, like `run_command` in
run.py; the files are written beside the workloads' data dirs, never into them.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.canvasfile import dump
from canvas_tui.model import Canvas, Item
from canvas_tui.template import built_in_templates

if TYPE_CHECKING:
    from workload import Workload

SEED = 20240917
# The rows' names and budgets (a ratio to the bare app's start-up), as run.py prints them.
DIFF_SMALL = "`diff`, 45 items"
DIFF_BIG = "`diff`, 9,000 items"
MERGE_BIG = "`merge`, 9,000 items"
BUDGETS = {DIFF_SMALL: 0.4, DIFF_BIG: 1.0, MERGE_BIG: 1.0}
TIMEOUT = 120.0


class HistoryBenchError(Exception):
    """A command that failed or hung; the message says which and how."""


def changed(canvas: Canvas, blocks: Sequence[int], share: float, seed: str) -> Canvas:
    """`canvas` with about `share` of the items of each of `blocks` edited, and as many again
    removed, added, moved inside the block and moved to the next block, plus one item appended
    (what a teammate's afternoon of work looks like)."""
    rng = random.Random(f"{SEED}-{seed}")
    lists = [list(items) for items in canvas.blocks]
    for block in blocks:
        items = lists[block]
        count = max(1, round(len(items) * share))
        for index in rng.sample(range(len(items)), min(count, len(items))):
            items[index] = items[index].with_text(f"{items[index].text} (revised {seed})")
        for _ in range(min(count, len(items) // 4)):
            del items[rng.randrange(len(items))]
        for number in range(count):
            items.insert(rng.randrange(len(items) + 1), Item(f"New idea {number} from {seed}"))
        for _ in range(min(count, len(items) // 4)):
            items.insert(rng.randrange(len(items)), items.pop(rng.randrange(len(items))))
        target = (block + 1) % len(lists)
        if target not in blocks:  # between blocks only where the other side does not edit
            for _ in range(min(count, len(items) // 4)):
                lists[target].append(items.pop(rng.randrange(len(items))))
        items.append(Item(f"Appended by {seed}", "testing", ("bench",)))
    return replace(canvas, blocks=tuple(tuple(items) for items in lists))


def write_versions(small: Workload, big: Workload, folder: Path) -> dict[str, list[str]]:
    """The files each measured command works on; returns the command lines' arguments."""
    keys = built_in_templates().default.keys
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, canvas: Canvas) -> str:
        path = folder / name
        path.write_text(dump(canvas, keys), encoding="utf-8")
        return str(path)

    small_changed = write("small-changed.toml", changed(small.canvas, range(9), 0.2, "ours"))
    big_changed = write("big-changed.toml", changed(big.canvas, range(9), 0.01, "ours"))
    base = write("big-base.toml", big.canvas)
    write("big-ours.toml", changed(big.canvas, range(5), 0.01, "ours"))
    theirs = write("big-theirs.toml", changed(big.canvas, range(5, 9), 0.01, "theirs"))
    return {
        DIFF_SMALL: ["diff", str(small.path), small_changed],
        DIFF_BIG: ["diff", str(big.path), big_changed],
        MERGE_BIG: ["merge", base, str(folder / "ours.toml"), theirs],
    }


def _timed(argv: Sequence[str], expected: int) -> float:
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise HistoryBenchError(f"{' '.join(argv)}: no exit within {TIMEOUT:.0f} s") from None
    seconds = time.perf_counter() - start
    if done.returncode != expected:
        raise HistoryBenchError(
            f"{' '.join(argv)}: exit status {done.returncode} (expected {expected}):"
            f" {done.stderr[-500:]!r}"
        )
    return seconds


def measure(
    program: Sequence[str], small: Workload, big: Workload, runs: int
) -> dict[str, list[float]]:
    """Seconds per run of each command, keyed by its row name (see BUDGETS); `program` is
    how canvas-tui is started (see `ptyrun.canvas_tui_command`). One untimed round first;
    the order rotates each round so no command always runs first."""
    folder = small.data_dir.parent / "history-bench"
    arguments = write_versions(small, big, folder)
    # diff exits 1 on different canvases; the merge must be clean (0).
    expected = {DIFF_SMALL: 1, DIFF_BIG: 1, MERGE_BIG: 0}
    results: dict[str, list[float]] = {name: [] for name in arguments}
    names = list(arguments)
    for turn in range(runs + 1):
        shift = turn % len(names)
        for name in [*names[shift:], *names[:shift]]:
            if name == MERGE_BIG:  # the merge overwrites OURS: start from the same one
                shutil.copyfile(folder / "big-ours.toml", folder / "ours.toml")
            seconds = _timed([*program, *arguments[name]], expected[name])
            if turn:
                results[name].append(seconds)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    from ptyrun import canvas_tui_command
    from workload import write_workloads

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (7)")
    parser.add_argument("--python", default=sys.executable, help="the venv's python")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="canvas-tui-bench-history-") as root:
        workloads = write_workloads(Path(root) / "data")
        try:
            program = canvas_tui_command(args.python)
            times = measure(program, workloads.small, workloads.big, args.runs)
        except HistoryBenchError as error:
            print(f"bench: error: {error}", file=sys.stderr)
            return 2
    for name, samples in times.items():
        print(
            f"{name:<24} median {statistics.median(samples) * 1000:7.1f} ms  (runs: {len(samples)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
