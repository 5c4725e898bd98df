"""Comparing and combining canvases: `diff` (what changed between two, block by block) and
`merge` (git's merge driver: THEIRS merged into OURS item by item, falling back to git's
line-by-line merge for versions it cannot take).

Neither imports Textual: git runs `merge` once per file, so it starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    color_wanted,
    fail,
    os_message,
    print_json,
)
from canvas_tui.errors import CanvasError

if TYPE_CHECKING:
    from canvas_tui.mergetext import MergeOutcome
    from canvas_tui.store import Loaded

# Exit statuses of `diff` (as diff(1)) and `merge` (as git expects of a merge driver).
SAME, DIFFERENT, TROUBLE = 0, 1, 2
CLEAN, CONFLICTED = 0, 1


def register(add: AddCommand) -> dict[str, Handler]:
    diff = add("diff", "show what changed between two canvases, block by block")
    diff.add_argument("old", metavar="A", help="a canvas name or a .toml path")
    diff.add_argument("new", metavar="B", help="a canvas name or a .toml path")
    diff.add_argument("--json", action="store_true", help="print JSON instead of text")
    diff.epilog = "Exit status: 0 the same, 1 different, 2 trouble."

    merge = add("merge", "git merge driver: merge THEIRS into OURS item by item")
    merge.add_argument("base", metavar="BASE", help="the common ancestor's file (git's %%O)")
    merge.add_argument("ours", metavar="OURS", help="our file, overwritten with the result (%%A)")
    merge.add_argument("theirs", metavar="THEIRS", help="their file (%%B)")
    merge.epilog = (
        "Exit status: 0 merged cleanly, 1 conflicts (kept in the file as items tagged"
        " #conflict), 2 trouble. Set up by 'git-setup'."
    )
    return {"diff": run_diff, "merge": run_merge}


def _load(context: Context, ref: str) -> Loaded:
    from canvas_tui.store import load

    path, name = context.store.resolve(ref)
    try:
        return load(path, context.store.templates)
    except FileNotFoundError:
        if name is not None:
            raise CliError(f"no canvas {ref!r} (see '{PROG} list')") from None
        raise CliError(f"no such file: {path}") from None


# -- diff ----------------------------------------------------------------------------------


def run_diff(context: Context) -> int:
    args = context.args
    try:
        old, new = _load(context, args.old), _load(context, args.new)
    except CanvasError as error:
        return fail(str(error), TROUBLE)
    except OSError as error:
        return fail(os_message(error), TROUBLE)
    from canvas_tui.diff import diff

    changes = diff(old.canvas, new.canvas)
    if args.json:
        print_json(changes.as_json(new.template))
    else:
        from canvas_tui.render.diff_text import diff_lines, to_text

        sys.stdout.write(to_text(diff_lines(changes, new.template), color=color_wanted()))
    return SAME if changes.same else DIFFERENT


# -- merge ---------------------------------------------------------------------------------


class _LineByLine(Exception):
    """A version the canvas merge cannot take: git's line-by-line merge does it instead."""


def run_merge(context: Context) -> int:
    args = context.args
    base, ours, theirs = Path(args.base), Path(args.ours), Path(args.theirs)
    try:
        try:
            outcome = _merge_files(context, base, ours, theirs)
        except _LineByLine as reason:
            from canvas_tui.store.git import merge_file

            print(f"{PROG} merge: {reason}: merged line by line instead", file=sys.stderr)
            return CONFLICTED if merge_file(ours, base, theirs) else CLEAN
    except CanvasError as error:
        return fail(f"cannot merge {args.ours}: {error}", TROUBLE)
    except OSError as error:
        return fail(os_message(error), TROUBLE)
    for line in [*outcome.conflicts, *outcome.notes]:
        print(f"{PROG} merge: {line}", file=sys.stderr)
    return CONFLICTED if outcome.conflicts else CLEAN


def _merge_files(
    context: Context, base_path: Path, ours_path: Path, theirs_path: Path
) -> MergeOutcome:
    """Merge the three files (`mergetext.merge_files`: the items item by item, the rest of
    the text line by line) and write the result over OURS. Raises `_LineByLine` for versions
    it cannot merge so."""
    from canvas_tui.mergetext import merge_files
    from canvas_tui.store.atomic import atomic_write

    texts = [_read(path) for path in (base_path, ours_path, theirs_path)]
    outcome = merge_files(texts[0], texts[1], texts[2], context.store.templates)
    if not outcome.ok:
        raise _LineByLine("; ".join(outcome.conflicts))
    atomic_write(ours_path, outcome.text.encode("utf-8"), backup=False)
    return outcome


def _read(path: Path) -> str:
    from canvas_tui import canvasfile
    from canvas_tui.store.atomic import read_with_fingerprint

    data, _ = read_with_fingerprint(path)
    try:
        return canvasfile.decode(data)
    except canvasfile.CanvasFileError as error:
        raise _LineByLine(f"{path} is not a canvas: {error}") from None


THEIR_TITLE_COMMENT = "# canvas-tui merge: their title was "


def with_title_comment(text: str, theirs_title: str) -> str:
    """`text` with a comment holding THEIRS's title on the line above the title (once)."""
    from canvas_tui.canvasfile import toml_string

    comment = f"{THEIR_TITLE_COMMENT}{toml_string(theirs_title)}"
    lines = text.split("\n")
    index = 0
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("["):  # a table: the title is a top-level key, above it
            break
        if stripped.startswith("title") and stripped[5:].lstrip().startswith("="):
            index = number
            break
    if index > 0 and lines[index - 1] == comment:
        return text
    lines.insert(index, comment)
    return "\n".join(lines)
