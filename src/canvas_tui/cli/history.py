"""Commands for teams that share canvases through git: `diff`, `merge` (git's merge driver),
`git-setup`, `log`, and `textconv` (used by git to show a canvas in `git diff`).

None of them imports Textual: git runs `merge` and `textconv` once per file, so they start fast.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    from canvas_tui.canvasfile import Parsed
    from canvas_tui.merge import MergeResult
    from canvas_tui.store import Loaded
    from canvas_tui.store.git import FileHistory
    from canvas_tui.store.snapshots import Snapshot
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

    setup = add("git-setup", "make git merge and diff canvases item by item")
    setup.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        help="a data dir (holding canvases/) or a folder of *.toml canvases (default: data dir)",
    )

    log = add("log", "list a canvas's versions: git commits and local snapshots")
    log.add_argument("ref", metavar="NAME|PATH")
    log.add_argument("--json", action="store_true", help="print JSON instead of text")

    textconv = add("textconv", "used by git: print a canvas file as text for 'git diff'")
    textconv.add_argument("file", metavar="FILE")
    return {
        "diff": run_diff,
        "merge": run_merge,
        "git-setup": run_git_setup,
        "log": run_log,
        "textconv": run_textconv,
    }


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


# A canvas file has a [blocks] table (written as a table, or as dotted keys).
_BLOCKS_TABLE = re.compile(r"^[ \t]*(\[[ \t]*blocks[ \t]*\]|blocks[ \t]*[.=])", re.MULTILINE)


def is_canvas_text(text: str) -> bool:
    """Whether `text` looks like a canvas file (other TOML files may share its folder)."""
    return _BLOCKS_TABLE.search(text) is not None


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


# -- git-setup -----------------------------------------------------------------------------


def canvas_tui_command() -> list[str]:
    """The command that runs this very canvas-tui, by absolute path, for git's config: the
    `canvas-tui` script that is running, else the one beside this Python, else
    `python -m canvas_tui` with this Python (never another installation found on PATH)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == PROG and script.is_file():
        return [str(script.absolute())]
    beside = Path(sys.executable).parent / PROG
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-m", "canvas_tui"]


def run_git_setup(context: Context) -> int:
    from canvas_tui.safetext import visible
    from canvas_tui.store.git import setup

    folder = Path(context.args.dir).expanduser() if context.args.dir else context.store.data_dir
    report = setup(folder.absolute(), canvas_tui_command())
    where = f"{visible(str(report.repository))} ({visible(report.pattern)})"
    if not report.changes:
        print(f"git is set up already for the canvases in {where}")
        return 0
    print(f"Set up git for the canvases in {where}:")
    for change in report.changes:
        print(f"  {visible(change)}")
    print(
        "Commit .gitattributes so that everyone gets it; git config is not shared, so run"
        f" '{PROG} git-setup' once in each clone."
    )
    return 0


# -- log -----------------------------------------------------------------------------------


def run_log(context: Context) -> int:
    from canvas_tui.store.git import GitError, file_history
    from canvas_tui.store.snapshots import list_snapshots, snapshot_folder

    store = context.store
    path, _ = store.resolve(context.args.ref)
    snapshots = list_snapshots(snapshot_folder(store.snapshots_dir, path, store.canvases_dir))
    if not path.exists() and not snapshots:
        raise CliError(f"no canvas {context.args.ref!r} (see '{PROG} list')")
    history = None
    problem = ""
    try:
        history = file_history(path)
    except GitError as error:
        problem = str(error)
    if context.args.json:
        git: dict[str, Any] = {"error": problem}
        if history is not None:
            git = {
                "repository": str(history.repository.root),
                "path": history.path,
                "commits": [
                    {
                        "commit": commit.hash,
                        "date": commit.date.isoformat(),
                        "author": commit.author,
                        "subject": commit.subject,
                        "path": commit.path,
                    }
                    for commit in history.commits
                ],
                "notes": list(history.notes),
            }
        print_json(
            {
                "canvas": str(path),
                "git": git,
                "snapshots": [
                    {
                        "taken": snapshot.taken_local.isoformat(timespec="seconds"),
                        "label": snapshot.label,
                        "path": str(snapshot.path),
                    }
                    for snapshot in snapshots
                ],
            }
        )
        return 0
    _print_log(history, problem, snapshots)
    return 0


def _print_log(history: FileHistory | None, problem: str, snapshots: list[Snapshot]) -> None:
    from canvas_tui.safetext import visible

    if history is None:
        print(f"Git: {visible(problem)}")
    else:
        count = len(history.commits)
        print(
            f"Git: {visible(history.path)} in {visible(str(history.repository.root))},"
            f" {count} commit{'s' if count != 1 else ''}"
        )
        width = max((len(visible(commit.author)) for commit in history.commits), default=0)
        for commit in history.commits:
            when = commit.date.astimezone().strftime("%Y-%m-%d %H:%M")
            author = visible(commit.author)
            print(f"  {when}  {commit.short}  {author:<{width}}  {visible(commit.subject)}")
        for note in history.notes:
            print(f"  note: {visible(note)}")
    count = len(snapshots)
    print(f"Snapshots: {count}{' (local, newest first)' if count else ''}")
    for snapshot in snapshots:
        label = visible(snapshot.label) if snapshot.label else "(end of an editing session)"
        print(f"  {snapshot.time_text}  {label}")


# -- textconv ------------------------------------------------------------------------------


def run_textconv(context: Context) -> int:
    """Print the canvas file as items under block titles; a file that is not a canvas is
    printed as it is, so that `git diff` always shows something."""
    from canvas_tui import canvasfile
    from canvas_tui.render.diff_text import canvas_text
    from canvas_tui.store.atomic import read_with_fingerprint

    data, _ = read_with_fingerprint(Path(context.args.file))
    try:
        text = canvasfile.decode(data)
        if not is_canvas_text(text):
            raise canvasfile.CanvasFileError("not a canvas")
        parsed = canvasfile.parse(text, context.store.templates)
    except canvasfile.CanvasFileError:
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.buffer.write(canvas_text(parsed.canvas, parsed.template).encode("utf-8"))
    sys.stdout.flush()
    return 0
