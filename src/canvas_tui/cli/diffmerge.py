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
    from canvas_tui.mergetext import MergeOutcome
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
    merge.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        help="the canvas's path in the repository (%%P): named in messages, finds its templates",
    )
    merge.add_argument(
        "--quiet",
        action="store_true",
        help="say nothing about conflicts (git's inner merge of a criss-cross's ancestors)",
    )
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


class _NotCanvases(_LineByLine):
    """None of the three versions is a canvas (another TOML file in the folder): git's line
    merge decides, as it would without canvas-tui."""


def run_merge(context: Context) -> int:
    from canvas_tui.safetext import visible
    from canvas_tui.template import templates_for_canvas

    args = context.args
    base, ours, theirs = Path(args.base), Path(args.ours), Path(args.theirs)
    # git's temp files have meaningless names: messages name the canvas by its path in the
    # repository (%P, relative to the root, where git runs the driver), which also says
    # which templates travel with it.
    name = visible(args.path or args.ours)
    if not args.path and Path(args.ours).name.startswith(".merge_file_"):
        name = f"a canvas (set up by an older {PROG}: run '{PROG} git-setup' to see its name)"
    templates = context.store.templates
    if args.path:
        templates = templates_for_canvas(templates, Path(args.path).absolute())
    try:
        try:
            outcome = _merge_files(templates, base, ours, theirs)
        except _NotCanvases as reason:
            print(f"{PROG} merge: {name}: {reason}: merged line by line", file=sys.stderr)
            return CONFLICTED if _line_merge(ours, base, theirs) else CLEAN
        except _LineByLine as reason:
            return _conflict_by_lines(name, str(reason), base, ours, theirs)
        except Exception as error:  # a bug must never leave a silent result: git's merge
            problem = f"canvas-tui failed ({type(error).__name__}: {error})"
            return _conflict_by_lines(name, problem, base, ours, theirs)
    except OSError as error:
        return fail(f"cannot merge {name}: {os_message(error)}", TROUBLE)
    if not args.quiet:
        for line in [*outcome.conflicts, *outcome.notes]:
            print(f"{PROG} merge: {name}: {line}", file=sys.stderr)
    return CONFLICTED if outcome.conflicts else CLEAN


def _conflict_by_lines(name: str, reason: str, base: Path, ours: Path, theirs: Path) -> int:
    """Git's line merge for versions the canvas merge cannot take, always reported to git as
    a conflict (a person looks at it), with one line naming the canvas and why."""
    from canvas_tui.safetext import visible

    if _line_merge(ours, base, theirs):
        advice = "resolve the <<<<<<< conflict markers in it, then 'git add' it"
    else:
        advice = "no lines conflicted, but check it, then 'git add' it"
    reason = " ".join(visible(reason).split())
    print(f"{PROG} merge: {name}: {reason}; merged line by line instead: {advice}", file=sys.stderr)
    return CONFLICTED


def _line_merge(ours: Path, base: Path, theirs: Path) -> bool:
    """Git's own line merge into OURS, with conflict markers; True when it conflicted."""
    from canvas_tui.store.git import GitError, merge_file

    try:
        return merge_file(ours, base, theirs)
    except GitError as error:
        raise OSError(str(error)) from None


def _merge_files(
    templates: Templates, base_path: Path, ours_path: Path, theirs_path: Path
) -> MergeOutcome:
    """Merge the three files (`mergetext.merge_files`: the items item by item, the rest of
    the text line by line, line endings kept) and write the result over OURS. Raises
    `_NotCanvases` when none of them is a canvas, and `_LineByLine` for versions it cannot
    merge so or a result that would not read back."""
    from canvas_tui.mergetext import merge_files
    from canvas_tui.store.atomic import atomic_write

    texts = [_read(path) for path in (base_path, ours_path, theirs_path)]
    if not any(is_canvas_text(text) for text in texts):
        raise _NotCanvases("not a canvas (no [blocks] table)")
    outcome = merge_files(texts[0], texts[1], texts[2], templates)
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
        raise _LineByLine(f"a version is not a canvas ({error})") from None
