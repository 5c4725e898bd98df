"""canvas-tui against a bare Textual app, on every budget in docs/performance.md.

    .venv/bin/python bench/run.py [--runs N] [--key-rounds N] [--json FILE]

Writes the benchmark canvases into a temporary data dir (45 items; 9,000 items, 1,000 per
block, of the default template, of the Lean template, and with every item carrying a status,
two tags and a note), byte-compiles canvas-tui as `pip install` would, then measures in one
run on this machine, starting canvas-tui as people do (the `canvas-tui` script beside the
venv's python, run by that python, as the bare app's script is):

- start-up: process start to first full screen in a real 120x40 pty, until the last block's
  title and first item and the key bar's last key are on screen, for the editor on each
  canvas and for a bare Textual app (one Static) started the same way, interleaved; also on
  the example canvas a first start creates (44 items): with the instant start, the canvas is
  painted before Textual starts, and these rows are its "process start to full canvas";
- peak memory (VmHWM) of those processes, half a second after their first screen;
- key to screen, in the same pty: from writing a key to reading the output that completes the
  screen it leads to. At the end of block 1 of each canvas: add an item (enter, its text typed
  before), delete it, move an item up and down (K, J), the cursor up and down (k, j); and the
  down/up keys of a bare Textual app with an OptionList of 1,000 options. An edit on 9,000
  items is compared with the same edit on 45 items of the same template and kind (also
  generated), a cursor move or J/K with the OptionList's;
- `list`, `show`, `export markdown`, `export --format pdf` and `png` (bench/printing.py), `add`
  and `diff` on 45 and 9,000 items and `merge` of two 9,000-item versions, and `list` and
  `show` on the example (44 items), each a fresh process, against the bare app's start-up
  taken again in the same rounds; plus `store.load`/`store.save` (no budget).

Prints a table of medians, ratios and budgets; exits 1 when a ratio is over its budget, 2 when
a measurement could not be made. Takes about five minutes on two cores (eleven with
`--key-rounds 24`).
"""

from __future__ import annotations

import argparse
import contextlib
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

import history
import printing
from ptyrun import (
    BARE_MARKER,
    OPTION_LIST_MARKERS,
    Launch,
    MarkerTimeout,
    ScreenTimeout,
    Step,
    Terminal,
    canvas_tui_command,
    launch,
    write_bare_app,
    write_option_list_app,
)
from report import BenchError, Row, median, table
from rows import command_rows, key_rows, startup_rows
from screen import ROWS
from workload import Workload, Workloads, write_example, write_workloads

from canvas_tui.model import Item
from canvas_tui.store import load, save

KEY_BAR_LAST = "Quit"  # the last key the editor's key bar shows
STATUS_ROW = ROWS - 2  # the editor's status bar: "saving…" comes and goes after an edit
MIN_SAMPLES = 3  # a command that took SLOW_COMMAND_SECONDS in all is not run more than this
SLOW_COMMAND_SECONDS = 12.0


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def rotated(items: Sequence[Any], turn: int) -> list[Any]:
    """`items` starting at a different one each turn, so no kind always runs first."""
    shift = turn % len(items)
    return [*items[shift:], *items[:shift]]


def editor_argv(python: str, workload: Workload) -> list[str]:
    return [*canvas_tui_command(python), "--data-dir", str(workload.data_dir), workload.name]


def editor_markers(workload: Workload) -> list[str]:
    """On screen once the editor is fully drawn: the last block's title ("9 Revenue Streams")
    and first item, and the key bar's last key."""
    return [workload.last_block_label, workload.first_item_of_last_block, KEY_BAR_LAST]


# -- process start to first full screen, and peak memory ----------------------------------


def measure_startup(
    python: str, bare_script: Path, workloads: Workloads, example: Workload, runs: int
) -> dict[str, list[Launch]]:
    kinds: dict[str, tuple[list[str], list[str]]] = {
        "bare": ([python, str(bare_script)], [BARE_MARKER])
    }
    for workload in (*workloads.all, example):
        kinds[workload.label] = (editor_argv(python, workload), editor_markers(workload))
    # Turn 0 warms the caches, not counted: the file system's, and the pre-paint's colours,
    # learnt at a data dir's first start (the small canvases and the 9,000 items compared).
    warmed = ("bare", workloads.small.label, workloads.big.label, example.label)
    results: dict[str, list[Launch]] = {kind: [] for kind in kinds}
    for turn in range(runs + 1):
        for kind in rotated(list(kinds), turn):
            if turn == 0 and kind not in warmed:
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


# -- key to screen: cursor moves and edits --------------------------------------------------

EDIT_GAP = 0.35  # after an edit: its autosave (0.25 s later) is done before the next key
NEW_ITEM = b"New benchmark item"


def editor_steps() -> list[Step]:
    """One round of keys at the end of block 1 (after G): add an item, delete it, move the
    last item up and down, the cursor up and down twice. It leaves the canvas as it was."""
    return [
        Step(b"a"),  # the item field opens
        Step(NEW_ITEM),
        Step(b"\r", "add", EDIT_GAP),
        Step(b"d", "delete", EDIT_GAP),  # the new item: the cursor is on it
        Step(b"K", "move", EDIT_GAP),
        Step(b"J", "move", EDIT_GAP),
        *[Step(b"k", "cursor"), Step(b"j", "cursor")] * 2,
    ]


def measure_keys(
    python: str, option_list_script: Path, workloads: Workloads, root: Path, rounds: int
) -> dict[str, dict[str, list[float]]]:
    """Seconds from key to screen, by workload label and step name; "bare" is the bare
    OptionList's cursor moves (down and up). Every program runs at once, each in its own pty,
    and the rounds are interleaved: one round on each in turn, `rounds` times, so that a
    change in the machine's load falls on an edit on 9,000 items and on its yardstick alike
    (the others wait, idle, while one is timed)."""
    cwd = option_list_script.parent
    canvases = (*workloads.all, workloads.small_lean, workloads.small_rich)
    copies = {w.label: w.copy_to(root / f"keys-{w.name}") for w in canvases}  # edits are saved
    cursor = [Step(b"\x1b[B", "cursor"), Step(b"\x1b[A", "cursor")] * 2  # as many as k j k j
    results: dict[str, dict[str, list[float]]] = {}
    try:
        with contextlib.ExitStack() as stack:
            bare = stack.enter_context(Terminal([python, str(option_list_script)], cwd=cwd))
            bare.wait_for(OPTION_LIST_MARKERS)
            cycles: list[tuple[str, Terminal, list[Step], tuple[int, ...]]] = [
                ("bare", bare, cursor, ())
            ]
            for label, copy in copies.items():
                editor = stack.enter_context(Terminal(editor_argv(python, copy), cwd=cwd))
                editor.wait_for(editor_markers(copy))
                editor.wait_live()  # the markers are on screen before Textual (pre-paint)
                editor.settle(0.5)  # the item field is mounted after the first screen
                editor.press(b"G")  # the last item of block 1
                cycles.append((label, editor, editor_steps(), (STATUS_ROW,)))
            targets = [
                terminal.learn_cycle(steps, ignore_rows=ignore)
                for _label, terminal, steps, ignore in cycles
            ]
            for round_ in range(rounds):
                for (label, terminal, steps, ignore), target in zip(cycles, targets, strict=True):
                    times = terminal.timed_cycle(steps, target, ignore_rows=ignore)
                    for name, samples in times.items():
                        results.setdefault(label, {}).setdefault(name, []).extend(samples)
                log(f"keys and edits: round {round_ + 1} of {rounds} on every canvas")
    except (MarkerTimeout, ScreenTimeout) as error:
        raise BenchError(str(error)) from None
    return results


# -- list, show, export markdown, add; diff and merge ---------------------------------------


def measure_commands(
    python: str, bare_script: Path, small: Workload, big: Workload, example: Workload, runs: int
) -> dict[tuple[str, str], list[float]]:
    """Seconds per run of each command, by (command, "small", "big" or "example"); ("bare",
    "") is the bare app's start to first screen, taken in the same rounds: the yardstick."""
    commands: dict[tuple[str, str], list[str]] = {("bare", ""): [python, str(bare_script)]}
    on_example = [*canvas_tui_command(python), "--data-dir", str(example.data_dir)]
    commands[("list", "example")] = [*on_example, "list"]
    commands[("show", "example")] = [*on_example, "show", example.name, "--width", "120"]
    for size, workload in (("small", small), ("big", big)):
        base = [*canvas_tui_command(python), "--data-dir", str(workload.data_dir)]
        commands[("list", size)] = [*base, "list"]
        commands[("show", size)] = [*base, "show", workload.name, "--width", "120"]
        commands[("export markdown", size)] = [
            *base, "export", workload.name, "--format", "markdown",
        ]  # fmt: skip
        commands[("add", size)] = [*base, "add", workload.name, "2", "One more benchmark item"]
        commands.update(printing.commands(base, workload, size))
        # import: the canvas's own Markdown export, into a data dir of its own (each run makes
        # a new canvas there, which `list` above must not see).
        markdown = workload.data_dir.parent / f"{workload.name}-export.md"
        exported = subprocess.run(
            [*base, "export", workload.name, "--format", "markdown", "-o", str(markdown)],
            capture_output=True,
            check=False,
        )
        if exported.returncode != 0:
            raise BenchError(f"export for import: {exported.stderr[-500:]!r}")
        imports = workload.data_dir.parent / f"{workload.name}-imports"
        commands[("import", size)] = [
            *canvas_tui_command(python), "--data-dir", str(imports), "import", str(markdown),
        ]  # fmt: skip
    results: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
    for turn in range(runs + 1):  # turn 0 warms up, on the small canvas only
        for key in rotated(list(commands), turn):
            done = results[key]
            if (turn == 0 and key[1] not in ("small", "example")) or (
                len(done) >= MIN_SAMPLES and sum(done) > SLOW_COMMAND_SECONDS
            ):
                continue
            if key[0] == "bare":
                try:
                    seconds = launch(commands[key], [BARE_MARKER], cwd=bare_script.parent).seconds
                except MarkerTimeout as error:
                    raise BenchError(str(error)) from None
            else:
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


def measure_history(
    python: str, small: Workload, big: Workload, runs: int
) -> dict[str, list[float]]:
    try:
        return history.measure(canvas_tui_command(python), small, big, runs)
    except history.HistoryBenchError as error:
        raise BenchError(str(error)) from None


# -- load and save ------------------------------------------------------------------------


def measure_load_save(workload: Workload, runs: int) -> tuple[list[float], list[float]]:
    """Seconds per `store.load` and per `store.save` (each save adds or removes one item)."""
    loads = [timed(lambda: load(workload.path))[0] for _ in range(runs)]
    base = load(workload.path)
    saves = []
    for turn in range(runs):
        canvas = base.canvas
        items = canvas.blocks[0]
        more = (*items, Item("One more item"))
        changed = canvas.with_block(0, items[:-1] if turn % 2 else more)
        start = time.perf_counter()
        base = save(base, changed)
        saves.append(time.perf_counter() - start)
    return loads, saves


T = TypeVar("T")


def timed(function: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


# -- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (7)")
    parser.add_argument(
        "--key-rounds", type=int, default=6, help="rounds of keys and edits per canvas (6)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results here")
    parser.add_argument("--python", default=sys.executable, help="the venv's python")
    args = parser.parse_args(argv)
    if min(args.runs, args.key_rounds) < 1:
        parser.error("--runs and --key-rounds must be at least 1")
    return args


def compile_package(python: str) -> None:
    """Byte-compile canvas-tui first, as `pip install` does: the bare app's Textual is
    compiled, and an editable install under PYTHONDONTWRITEBYTECODE would otherwise pay for
    compiling canvas-tui's source at every start."""
    import canvas_tui

    package = Path(canvas_tui.__file__).parent
    try:
        subprocess.run([python, "-m", "compileall", "-q", str(package)], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise BenchError(f"cannot byte-compile canvas-tui with {python}: {error}") from None


def bench(args: argparse.Namespace, root: Path) -> list[Row]:
    python: str = args.python
    compile_package(python)
    # Neither this user's config (a theme, keys, templates) nor their data in any measurement;
    # the config's place is still found the usual way (platformdirs), as for everyone.
    for variable in ("CANVAS_TUI_CONFIG", "CANVAS_TUI_DATA_DIR"):
        os.environ.pop(variable, None)
    os.environ["XDG_CONFIG_HOME"] = str(root / "xdg-config")
    os.environ["XDG_DATA_HOME"] = str(root / "xdg-data")
    workloads = write_workloads(root / "data")
    bare_script = write_bare_app(root)
    option_list_script = write_option_list_app(root)
    log("canvases written: " + ", ".join(w.label for w in workloads.all) + " items")

    example = write_example(root, canvas_tui_command(python))
    startup = measure_startup(python, bare_script, workloads, example, args.runs)
    rows = startup_rows(startup, workloads, example)

    log("key to screen: a bare OptionList, then keys and edits on each canvas")
    keys = measure_keys(python, option_list_script, workloads, root, args.key_rounds)
    rows += key_rows(keys, workloads)

    log("list / show / export markdown / add, then diff / merge")
    small_copy = workloads.small.copy_to(root / "commands-small")
    big_copy = workloads.big.copy_to(root / "commands-big")  # `add` changes them
    example_copy = example.copy_to(root / "commands-example")
    commands = measure_commands(python, bare_script, small_copy, big_copy, example_copy, args.runs)
    diffs = measure_history(python, workloads.small, workloads.big, args.runs)
    rows += command_rows(commands, diffs)

    log("store.load / store.save")
    for workload in (workloads.big, workloads.rich):
        loads, saves = measure_load_save(workload.copy_to(root / f"io-{workload.name}"), args.runs)
        rows.append(Row(f"store.load, {workload.label} items", median(loads), samples=tuple(loads)))
        rows.append(Row(f"store.save, {workload.label} items", median(saves), samples=tuple(saves)))
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
        "bare: a bare Textual app (one Static) started the same way, to its first screen (peak"
        " memory: its VmHWM); for key to screen, a bare OptionList of 1,000 options; for an"
        " edit, the same edit on 45 items of the same template and kind. Key-to-screen rows"
        " (key to screen, one add/move/delete) give the mean of the middle half of their"
        " samples, the others the median. info: no budget."
    )
    over = [row.name.strip() for row in rows if row.verdict == "OVER"]
    print(
        f"\n{len(over)} of {sum(row.budget is not None for row in rows)} budgets over;"
        f" medians of {args.runs} runs ({args.key_rounds} rounds of keys and edits);"
        f" {os.cpu_count()} CPUs, load average"
        f" {load_before:.2f} before and {os.getloadavg()[0]:.2f} after; took {elapsed:.0f} s."
    )
    if args.json:
        results = {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "runs": args.runs,
            "key_rounds": args.key_rounds,
            "seconds": elapsed,
            "load_average": [load_before, os.getloadavg()[0]],
            "rows": [row.as_json() for row in rows],
            "over": over,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
