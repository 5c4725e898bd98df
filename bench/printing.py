"""`export --format pdf` and `png` timed as processes, for run.py's table (and on their own).

    .venv/bin/python bench/printing.py [--runs N]      (standalone: these rows only)

Each export is a fresh process writing its file beside the workload's data dir, like
`run_command` in run.py; the budget (docs/performance.md): `export --format pdf` of the 45-item
canvas within one start-up of the bare Textual app, taken in the same rounds. The 9,000-item
canvas prints over many pages (1,000 items a block): those rows and PNG's are info.
Needs the print extra (`pip install -e '.[print]'`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workload import Workload

FORMATS = ("pdf", "png")
# (command, size) -> the largest allowed ratio to the bare app; None: info, no budget.
BUDGETS: dict[tuple[str, str], float | None] = {
    ("export pdf", "small"): 1.0,
    ("export pdf", "big"): None,
    ("export png", "small"): None,
    ("export png", "big"): None,
}


def commands(base: list[str], workload: Workload, size: str) -> dict[tuple[str, str], list[str]]:
    """The export commands on `workload`, by (command, size), as run.py's table keys them."""
    out = workload.data_dir.parent / f"{workload.name}-print"
    return {
        (f"export {fmt}", size): [
            *base,
            "export",
            workload.name,
            "--format",
            fmt,
            "-o",
            f"{out}.{fmt}",
        ]
        for fmt in FORMATS
    }


def main() -> int:
    import run
    from ptyrun import BARE_MARKER, canvas_tui_command, launch, write_bare_app
    from report import Row, median, table
    from workload import BIG_PER_BLOCK, SMALL_PER_BLOCK, write_workload

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (5)")
    args = parser.parse_args()
    python = sys.executable
    run.compile_package(python)
    with tempfile.TemporaryDirectory(prefix="canvas-tui-bench-print-") as folder:
        root = Path(folder)
        bare_script = write_bare_app(root)
        todo: dict[tuple[str, str], list[str]] = {}
        for size, per_block in (("small", SMALL_PER_BLOCK), ("big", BIG_PER_BLOCK)):
            workload = write_workload(root / "data", size, per_block)
            base = [*canvas_tui_command(python), "--data-dir", str(workload.data_dir)]
            todo.update(commands(base, workload, size))
        bare: list[float] = []
        times: dict[tuple[str, str], list[float]] = {key: [] for key in todo}
        for turn in range(args.runs + 1):  # turn 0 warms up
            seconds = launch([python, str(bare_script)], [BARE_MARKER], cwd=root).seconds
            if turn:
                bare.append(seconds)
            for key, argv in run.rotated(list(todo.items()), turn):
                seconds = run.run_command(argv, timeout=300)
                if turn:
                    times[key].append(seconds)
    rows = [Row("bare Textual app, start to first screen", median(bare), samples=tuple(bare))]
    for (command, size), samples in times.items():
        label = "45" if size == "small" else "9,000"
        rows.append(
            Row(f"`{command}`, {label} items", median(samples), median(bare),
                BUDGETS[(command, size)], samples=tuple(samples), reference_samples=tuple(bare))
        )  # fmt: skip
    print(table(rows))
    return 1 if any(row.verdict == "OVER" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
