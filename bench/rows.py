"""Each measurement of a benchmark run as a row of its table: canvas-tui against its
reference, with its budget (the "Budgets" table of docs/performance.md)."""

from __future__ import annotations

import history
import printing
from ptyrun import Launch
from report import BenchError, Row, median, middle_mean
from workload import Workload, Workloads

# Budgets: the largest allowed ratio to the reference (the "Budgets" table of docs/performance.md).
START_SMALL, START_BIG = 1.25, 1.6
# The instant start: process start to the full canvas, on the example and on 9,000 items;
# `list` and `show` on the example.
INSTANT_SMALL, INSTANT_BIG = 0.5, 0.6
COMMAND_INSTANT = 0.25
EDIT = 1.2
KEY = 1.5
COMMAND_SMALL, COMMAND_BIG = 0.4, 1.0
MEMORY = 1.5


def startup_rows(
    startup: dict[str, list[Launch]], workloads: Workloads, example: Workload
) -> list[Row]:
    bare_times = [launch.seconds for launch in startup["bare"]]
    bare = median(bare_times)
    rows = []
    for workload, budget in ((example, INSTANT_SMALL), (workloads.big, INSTANT_BIG)):
        times = [launch.seconds for launch in startup[workload.label]]
        rows.append(
            Row(f"instant start: process start to full canvas, {workload.label} items",
                median(times), bare, budget, samples=tuple(times),
                reference_samples=tuple(bare_times))
        )  # fmt: skip
    for workload in workloads.all:
        budget = START_SMALL if workload is workloads.small else START_BIG
        times = [launch.seconds for launch in startup[workload.label]]
        rows.append(
            Row(f"editor start to full screen, {workload.label} items", median(times), bare,
                budget, samples=tuple(times), reference_samples=tuple(bare_times))
        )  # fmt: skip
    memory = {
        kind: [float(launch.peak_rss_kib) for launch in launches if launch.peak_rss_kib]
        for kind, launches in startup.items()
    }
    if not memory["bare"] or not all(memory[workload.label] for workload in workloads.all):
        raise BenchError("peak memory (VmHWM) could not be read from /proc")
    bare_memory = median(memory["bare"])
    for workload in workloads.all:
        limit = MEMORY if workload is workloads.big else None
        samples = memory[workload.label]
        rows.append(
            Row(f"peak memory (VmHWM), {workload.label} items", median(samples), bare_memory,
                limit, unit="KiB", samples=tuple(samples),
                reference_samples=tuple(memory["bare"]))
        )  # fmt: skip
    return rows


def key_rows(keys: dict[str, dict[str, list[float]]], workloads: Workloads) -> list[Row]:
    """Key to screen on 9,000 items against the bare OptionList; each edit on every 9,000-item
    canvas against the same edit on 45 items of the same template and kind."""
    bare = keys["bare"]["cursor"]
    big = keys[workloads.big.label]
    rows = [
        Row(f"key to screen, {keys_name}, {workloads.big.label} items (bare: OptionList ↓/↑)",
            middle_mean(big[step]), middle_mean(bare), KEY, samples=tuple(big[step]),
            reference_samples=tuple(bare))
        for keys_name, step in (("j/k", "cursor"), ("J/K", "move"))
    ]  # fmt: skip
    for workload in workloads.big_ones:
        times, small = keys[workload.label], workloads.small_of(workload)
        reference = keys[small.label]
        for step in ("add", "move", "delete"):
            rows.append(
                Row(f"one {step}, {workload.label} vs {small.label} items (key to screen)",
                    middle_mean(times[step]), middle_mean(reference[step]), EDIT,
                    samples=tuple(times[step]), reference_samples=tuple(reference[step]))
            )  # fmt: skip
    return rows


def command_rows(
    commands: dict[tuple[str, str], list[float]], diffs: dict[str, list[float]]
) -> list[Row]:
    bare_times = commands.pop(("bare", ""))
    bare = median(bare_times)
    rows = []
    for command in ("list", "show"):
        times = commands.pop((command, "example"))
        rows.append(
            Row(f"`{command}`, 44 items (the example)", median(times), bare, COMMAND_INSTANT,
                samples=tuple(times), reference_samples=tuple(bare_times))
        )  # fmt: skip
    for size, label, budget in (("small", "45", COMMAND_SMALL), ("big", "9,000", COMMAND_BIG)):
        named = [
            (f"`{command}`, {label} items", times, printing.BUDGETS.get((command, size), budget))
            for (command, command_size), times in commands.items()
            if command_size == size
        ]
        named += [
            (name, times, history.BUDGETS[name])
            for name, times in diffs.items()
            if ("45" in name) == (size == "small")
        ]
        for name, times, limit in named:
            rows.append(
                Row(name, median(times), bare, limit, samples=tuple(times),
                    reference_samples=tuple(bare_times))
            )  # fmt: skip
    return rows
