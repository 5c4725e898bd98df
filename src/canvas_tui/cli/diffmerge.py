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
    is_canvas_text,
    os_message,
    print_json,
)
from canvas_tui.errors import CanvasError

if TYPE_CHECKING:
    from canvas_tui.canvasfile import Parsed
    from canvas_tui.merge import MergeResult
    from canvas_tui.store import Loaded
    from canvas_tui.template import Templates

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
            result = _merge_files(context, base, ours, theirs)
        except _LineByLine as reason:
            from canvas_tui.store.git import merge_file

            print(f"{PROG} merge: {reason}: merged line by line instead", file=sys.stderr)
            return CONFLICTED if merge_file(ours, base, theirs) else CLEAN
    except CanvasError as error:
        return fail(f"cannot merge {args.ours}: {error}", TROUBLE)
    except OSError as error:
        return fail(os_message(error), TROUBLE)
    for line in _conflict_lines(result, context):
        print(f"{PROG} merge: {line}", file=sys.stderr)
    return CONFLICTED if result.conflicted else CLEAN


def _merge_files(
    context: Context, base_path: Path, ours_path: Path, theirs_path: Path
) -> MergeResult:
    """Merge the three files and write the result over OURS, keeping OURS's comments, unknown
    keys and formatting. Raises `_LineByLine` for versions that are not canvases it can merge."""
    from canvas_tui import canvasfile
    from canvas_tui.merge import MergeError, merge
    from canvas_tui.model import Canvas
    from canvas_tui.store.atomic import atomic_write
    from canvas_tui.template import Templates

    templates = context.store.templates
    texts = [_read(path) for path in (base_path, ours_path, theirs_path)]
    ours = _parse(texts[1], templates, "OURS")
    theirs = _parse(texts[2], templates, "THEIRS")
    if texts[0].strip():
        base = _parse(texts[0], templates, "BASE")
    else:  # both sides added the file: git gives an empty ancestor
        empty = Canvas("", tuple(() for _ in ours.canvas.blocks), ours.canvas.template)
        base = canvasfile.Parsed(empty, canvasfile.PLAIN_SCHEMA, ours.template)
    if not base.template.keys == ours.template.keys == theirs.template.keys:
        raise _LineByLine("the versions have different blocks (different templates)")
    try:
        result = merge(base.canvas, ours.canvas, theirs.canvas)
    except MergeError as error:
        raise _LineByLine(str(error)) from None
    keys = ours.template.keys
    text, canonical = canvasfile.rewrite(texts[1], ours.canvas, result.canvas, keys)
    if result.theirs_title is not None:
        text = with_title_comment(text, result.theirs_title)
    # A file rewritten in place (its comments kept) is read back before it is written; the
    # canonical form (`canvasfile.dump`) reads back by construction, and re-reading 9,000
    # items would cost as much as the whole merge.
    if not canonical and canvasfile.parse(text, Templates([ours.template])).canvas != result.canvas:
        raise CliError("internal error: the merged text does not read back the same")
    atomic_write(ours_path, text.encode("utf-8"), backup=False)
    return result


def _read(path: Path) -> str:
    from canvas_tui import canvasfile
    from canvas_tui.store.atomic import read_with_fingerprint

    data, _ = read_with_fingerprint(path)
    try:
        return canvasfile.decode(data)
    except canvasfile.CanvasFileError as error:
        raise _LineByLine(f"{path} is not a canvas: {error}") from None


def _parse(text: str, templates: Templates, which: str) -> Parsed:
    from canvas_tui import canvasfile

    if not is_canvas_text(text):
        raise _LineByLine(f"{which} is not a canvas (it has no [blocks] table)")
    try:
        parsed = canvasfile.parse(text, templates)
    except canvasfile.CanvasFileError as error:
        raise _LineByLine(f"{which} is not a canvas ({error})") from None
    if parsed.schema > canvasfile.SCHEMA:
        raise _LineByLine(f"{which} was written by a newer canvas-tui (schema {parsed.schema})")
    return parsed


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


def _conflict_lines(result: MergeResult, context: Context) -> list[str]:
    from canvas_tui.render.diff_text import item_label
    from canvas_tui.safetext import visible

    template = context.store.templates.for_canvas(result.canvas.template)
    lines = []
    if result.theirs_title is not None:
        lines.append(
            f"conflict in the title: kept ours ({visible(result.canvas.title)!r}); theirs"
            f" ({visible(result.theirs_title)!r}) is in a comment above it"
        )
    for conflict in result.conflicts:
        spec = template.blocks[conflict.block] if conflict.block < len(template.blocks) else None
        where = visible(spec.label) if spec is not None else f"block {conflict.block + 1}"
        if conflict.ours is not None and conflict.theirs is not None:
            lines.append(
                f"conflict in {where}: both sides changed an item: kept"
                f" '{item_label(conflict.ours)}' and '{item_label(conflict.theirs)}', tagged"
                " #conflict"
            )
        else:
            kept = conflict.ours or conflict.theirs
            assert kept is not None
            side = "theirs" if conflict.ours is not None else "ours"
            lines.append(
                f"conflict in {where}: '{item_label(kept)}' was deleted in {side} but changed"
                " in the other: kept, tagged #conflict"
            )
    return lines
