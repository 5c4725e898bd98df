"""canvas-tui against a bare Textual app, on the budgets of DESIGN.md ("Budgets").

    .venv/bin/python bench/run.py [--runs N] [--edit-reps N] [--json FILE]

Generates a 45-item and a 9,000-item canvas in a temporary data dir, then measures, in one
run on this machine: process start to first full screen in a real 120x40 pty (the editor on
each canvas and a bare Textual app with one Static, interleaved), peak memory, one edit
through Pilot on each canvas, and `list`/`show`/`export markdown`; it also reports load and
save of the 9,000-item canvas. Prints medians, ratios and budgets; exits 1 when a ratio is
over its budget, 2 when a measurement could not be made.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ptyrun import BARE_MARKER, Launch, MarkerTimeout, launch, write_bare_app
from report import Row, median, table
from workload import Workload, write_workloads

from canvas_tui.store import load, save

BENCH = Path(__file__).resolve().parent
EDITOR_FOOTER = "Quit"
LAST_BLOCK = "9 Revenue Streams"
MIN_SAMPLES = 3  # a command that took SLOW_COMMAND_SECONDS in all is not run more than this
SLOW_COMMAND_SECONDS = 12.0


class BenchError(Exception):
    """A measurement that could not be made; the message says why."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def rotated(items: Sequence[Any], turn: int) -> list[Any]:
    """`items` starting at a different one each turn, so no kind always runs first."""
    shift = turn % len(items)
    return [*items[shift:], *items[:shift]]


# -- process start to first full screen, and peak memory ----------------------------------


def editor_markers(workload: Workload) -> list[str]:
    # The last block's title and first item (the blocks are drawn) and the footer's "Quit".
    return [LAST_BLOCK, workload.first_revenue_item[:12], EDITOR_FOOTER]


def measure_startup(
    python: str, bare_script: Path, small: Workload, big: Workload, runs: int
) -> dict[str, list[Launch]]:
    kinds: dict[str, tuple[list[str], list[str]]] = {
        "bare": ([python, str(bare_script)], [BARE_MARKER]),
        "small": (
            [python, "-m", "canvas_tui", "--data-dir", str(small.data_dir), small.name],
            editor_markers(small),
        ),
        "big": (
            [python, "-m", "canvas_tui", "--data-dir", str(big.data_dir), big.name],
            editor_markers(big),
        ),
    }
    results: dict[str, list[Launch]] = {kind: [] for kind in kinds}
    for turn in range(runs + 1):  # turn 0 warms the caches (not the big canvas) and is not counted
        for kind in rotated(list(kinds), turn):
            if turn == 0 and kind == "big":
                continue
            argv, markers = kinds[kind]
            try:
                result = launch(argv, markers, cwd=bare_script.parent)
            except MarkerTimeout as error:
                raise BenchError(str(error)) from None
            if turn:
                results[kind].append(result)
        if turn:
            log(f"start-up run {turn}/{runs}")
    return results


# -- list, show, export markdown ----------------------------------------------------------


def measure_commands(
    python: str, small: Workload, big: Workload, runs: int
) -> dict[tuple[str, str], list[float]]:
    commands: dict[tuple[str, str], list[str]] = {}
    for size, workload in (("small", small), ("big", big)):
        base = [python, "-m", "canvas_tui", "--data-dir", str(workload.data_dir)]
        commands[("list", size)] = [*base, "list"]
        commands[("show", size)] = [*base, "show", workload.name, "--width", "120"]
        commands[("export markdown", size)] = [
            *base, "export", workload.name, "--format", "markdown",
        ]  # fmt: skip
    results: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    for turn in range(runs + 1):  # turn 0 warms up, on the small canvas only
        for key in rotated(list(commands), turn):
            done = results[key]
            if (turn == 0 and key[1] != "small") or (
                len(done) >= MIN_SAMPLES and sum(done) > SLOW_COMMAND_SECONDS
            ):
                continue
            seconds = run_command(commands[key])
            if turn:
                done.append(seconds)
    return results


def run_command(argv: Sequence[str], timeout: float = 60.0) -> float:
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(argv)}: no exit within {timeout:.0f} s") from None
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{' '.join(argv)}: exit status {done.returncode}: {done.stderr[-500:]!r}")
    return seconds


# -- one edit, through Pilot --------------------------------------------------------------


def measure_edits(python: str, workload: Workload, reps: int) -> dict[str, dict[str, list[float]]]:
    argv = [
        python, str(BENCH / "edits.py"), "--data-dir", str(workload.data_dir),
        "--canvas", workload.name, "--reps", str(reps),
    ]  # fmt: skip
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(argv)}: no exit within 300 s") from None
    if done.returncode != 0:
        raise BenchError(f"{' '.join(argv)}: exit status {done.returncode}: {done.stderr[-500:]}")
    times: dict[str, dict[str, list[float]]] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


# -- load and save ------------------------------------------------------------------------


def measure_load_save(workload: Workload, runs: int) -> tuple[list[float], list[float]]:
    """Seconds per `store.load` and per `store.save` (each save adds or removes one item)."""
    loads = [timed(lambda: load(workload.path))[0] for _ in range(runs)]
    base = load(workload.path)
    saves = []
    for turn in range(runs):
        canvas = base.canvas
        items = canvas.blocks[0]
        changed = canvas.with_block(0, items[:-1] if turn % 2 else (*items, "One more item"))
        start = time.perf_counter()
        base = save(base, changed)
        saves.append(time.perf_counter() - start)
    return loads, saves


T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


# -- the table ----------------------------------------------------------------------------


def startup_rows(startup: dict[str, list[Launch]]) -> list[Row]:
    bare_times = [launch.seconds for launch in startup["bare"]]
    bare = median(bare_times)
    rows = []
    for kind, label, budget in (("small", "45", 1.3), ("big", "9,000", 2.0)):
        times = [launch.seconds for launch in startup[kind]]
        rows.append(
            Row(f"editor start, {label} items (full screen)", median(times), bare, budget,
                samples=tuple(times), reference_samples=tuple(bare_times))
        )  # fmt: skip
    for kind, label in (("small", "45"), ("big", "9,000")):
        painted = [launch.marks[LAST_BLOCK] for launch in startup[kind]]
        rows.append(
            Row(f"  blocks drawn, footer not yet, {label}", median(painted), bare,
                samples=tuple(painted))
        )  # fmt: skip
    memory = {
        kind: [float(launch.peak_rss_kib) for launch in startup[kind] if launch.peak_rss_kib]
        for kind in startup
    }
    if memory["big"] and memory["bare"]:
        memory_budgets: tuple[tuple[str, str, float | None], ...] = (
            ("small", "45", None),
            ("big", "9,000", 1.5),
        )
        for kind, label, limit in memory_budgets:
            rows.append(
                Row(f"peak memory (VmHWM), {label} items", median(memory[kind]),
                    median(memory["bare"]), limit, unit="KiB", samples=tuple(memory[kind]),
                    reference_samples=tuple(memory["bare"]))
            )  # fmt: skip
    return rows


def command_rows(commands: dict[tuple[str, str], list[float]], bare: float) -> list[Row]:
    rows = []
    for size, label, budget in (("small", "45", 0.4), ("big", "9,000", 1.0)):
        for (command, command_size), times in commands.items():
            if command_size == size:
                rows.append(
                    Row(f"`{command}`, {label} items", median(times), bare, budget,
                        samples=tuple(times))
                )  # fmt: skip
    return rows


def edit_rows(
    small: dict[str, dict[str, list[float]]], big: dict[str, dict[str, list[float]]]
) -> list[Row]:
    rows = []
    for clock, budget, note in (("wall", 1.2, "press+pause"), ("cpu", None, "UI-thread CPU")):
        for kind, times in big[clock].items():
            rows.append(
                Row(f"one {kind}, 9,000 vs 45 items ({note})", median(times),
                    median(small[clock][kind]), budget, samples=tuple(times),
                    reference_samples=tuple(small[clock][kind]))
            )  # fmt: skip
    return rows


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (7)")
    parser.add_argument("--edit-reps", type=int, default=5, help="edits of each kind (5)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results here")
    parser.add_argument("--python", default=sys.executable, help="the venv's python")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.edit_reps < 1:
        parser.error("--runs and --edit-reps must be at least 1")
    return args


def compile_package(python: str) -> None:
    """Byte-compile canvas-tui first, as `pip install` does: the bare app's Textual is
    compiled, and an editable install under PYTHONDONTWRITEBYTECODE would otherwise pay for
    compiling canvas-tui's source at every start."""
    import canvas_tui

    package = Path(canvas_tui.__file__).parent
    subprocess.run([python, "-m", "compileall", "-q", str(package)], check=True)


def bench(args: argparse.Namespace, root: Path) -> list[Row]:
    python: str = args.python
    compile_package(python)
    small, big = write_workloads(root / "data")
    bare_script = write_bare_app(root)
    log(f"canvases written: {small.canvas.item_count} and {big.canvas.item_count} items")

    startup = measure_startup(python, bare_script, small, big, args.runs)
    rows = startup_rows(startup)
    bare = rows[0].reference
    assert bare is not None

    log("list / show / export markdown")
    rows += command_rows(measure_commands(python, small, big, args.runs), bare)

    log("edits through Pilot (45 items, then 9,000)")
    small_edits = measure_edits(python, small.copy_to(root / "edit-small"), args.edit_reps)
    big_edits = measure_edits(python, big.copy_to(root / "edit-big"), args.edit_reps)
    rows += edit_rows(small_edits, big_edits)

    log("store.load / store.save")
    loads, saves = measure_load_save(big.copy_to(root / "load-save"), args.runs)
    rows.append(Row("store.load, 9,000 items", median(loads), samples=tuple(loads)))
    rows.append(Row("store.save, 9,000 items", median(saves), samples=tuple(saves)))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="canvas-tui-bench-") as folder:
            rows = bench(args, Path(folder))
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(table(rows))
    print(
        "bare: the bare Textual app's start to first screen (peak memory: its VmHWM);"
        " for the edit rows, the same edit on the 45-item canvas. info: no budget."
    )
    over = [row.name.strip() for row in rows if row.verdict == "OVER"]
    print(
        f"\n{len(over)} of {sum(row.budget is not None for row in rows)} budgets over;"
        f" medians of {args.runs} runs ({args.edit_reps} per edit kind);"
        f" {os.cpu_count()} CPUs, load average {load_before:.2f} before and"
        f" {os.getloadavg()[0]:.2f} after; took {elapsed:.0f} s."
    )
    if args.json:
        results = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "runs": args.runs,
            "edit_reps": args.edit_reps,
            "seconds": elapsed,
            "load_average": [load_before, os.getloadavg()[0]],
            "rows": [row.as_json() for row in rows],
            "over": over,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
