"""`export --format pdf|png|svg`: the canvas typeset for someone without a terminal.

A PDF is one file; PNG and SVG are a file per page (`canvas.png`, `canvas-2.png`, ...), as a
canvas too full for one page goes on over further pages. Binary output never goes to a
terminal: without `-o`, it goes to standard output only when that is a pipe or a file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.cli.common import CliError, Context

if TYPE_CHECKING:
    from canvas_tui.store import Loaded

PRINT_FORMATS = ("pdf", "png", "svg")
PAPERS = ("a4", "letter", "a3")  # render.printdoc.PAPERS, not imported for the parser


def canvas_date(loaded: Loaded) -> str:
    """The day the canvas was last changed (its file's time), as 2026-12-03."""
    from datetime import datetime  # here: `list` and `show` import this module, not it

    if loaded.fingerprint is not None:
        return datetime.fromtimestamp(loaded.fingerprint.mtime_ns / 1e9).date().isoformat()
    return datetime.now().date().isoformat()


def page_paths(output: Path, count: int) -> list[Path]:
    """Where each page goes: `output` first, then `NAME-2.EXT`, `NAME-3.EXT`, ..."""
    return [output] + [
        output.with_name(f"{output.stem}-{number}{output.suffix}") for number in range(2, count + 1)
    ]


def run_print_export(context: Context, loaded: Loaded) -> int:
    from canvas_tui.render.printdoc import print_document
    from canvas_tui.render.typeset import typeset

    args = context.args
    if args.output is None and sys.stdout.isatty():
        raise CliError(f"{args.format} is not for a terminal: write it to a file with -o FILE")
    document = print_document(
        loaded.canvas,
        loaded.template,
        date=canvas_date(loaded),
        paper=args.paper,
        notes=args.notes,
        guide=args.guide,
    )
    pages = typeset(document, args.format)
    if args.output is None:
        if len(pages) > 1:
            raise CliError(
                f"the canvas takes {len(pages)} pages, a file each in {args.format}:"
                " name the first with -o FILE"
            )
        sys.stdout.buffer.write(pages[0])
        sys.stdout.flush()
        return 0
    paths = page_paths(Path(args.output), len(pages))
    for path, data in zip(paths, pages, strict=True):
        path.write_bytes(data)
    if len(paths) > 1:
        print(f"{len(paths)} pages: " + " ".join(str(path) for path in paths), file=sys.stderr)
    return 0
