"""Commands for canvases shared through git: `git-setup` (make git merge and diff canvases
item by item), `log` (a canvas's git commits and local snapshots) and `textconv` (git runs it
to show a canvas as text in `git diff`; the merge driver is `merge`, in `diffmerge`).

None of them imports Textual: git runs `textconv` once per file, so it starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    is_canvas_text,
    print_json,
)

if TYPE_CHECKING:
    from canvas_tui.store.git import FileHistory
    from canvas_tui.store.snapshots import Snapshot


def register(add: AddCommand) -> dict[str, Handler]:
    setup = add("git-setup", "make git merge and diff canvases item by item")
    setup.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        help="a data dir (holding canvases/) or a folder of *.toml canvases (default: data dir)",
    )
    setup.add_argument(
        "--copy-templates",
        action="store_true",
        help="copy your own templates that the canvases use into templates/ beside them",
    )

    log = add("log", "list a canvas's versions: git commits and local snapshots")
    log.add_argument("ref", metavar="NAME|PATH")
    log.add_argument("--json", action="store_true", help="print JSON instead of text")

    textconv = add("textconv", "used by git: print a canvas file as text for 'git diff'")
    textconv.add_argument("file", metavar="FILE")
    return {
        "git-setup": run_git_setup,
        "log": run_log,
        "textconv": run_textconv,
    }


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
    from canvas_tui.store.gitsetup import canvases_folder, setup

    folder = Path(context.args.dir).expanduser() if context.args.dir else context.store.data_dir
    report = setup(folder.absolute(), canvas_tui_command())
    where = f"{visible(str(report.repository))} ({visible(report.pattern)})"
    if not report.changes:
        print(f"git is set up already for the canvases in {where}")
    else:
        print(f"Set up git for the canvases in {where}:")
        for change in report.changes:
            print(f"  {visible(change)}")
        print(
            "If canvas-tui cannot be found when git merges a canvas, git merges it line by"
            " line instead, with conflict markers, and says so."
        )
        print(
            "Commit .gitattributes so that everyone gets it; git config is not shared, so run"
            f" '{PROG} git-setup' once in each clone."
        )
    _offer_templates(context, canvases_folder(folder.absolute()))
    return 0


def _offer_templates(context: Context, canvases: Path) -> None:
    """Say which of the user's own templates the canvases use, and copy them into the
    templates folder that travels with the canvases when asked (`--copy-templates`)."""
    from canvas_tui.safetext import visible
    from canvas_tui.store.templatecopy import copy_templates, own_templates_used

    wanted = own_templates_used(canvases, context.store.templates)
    if not wanted:
        return
    target = wanted[0][1]
    names = ", ".join(visible(template.id) for template, _ in wanted)
    if not context.args.copy_templates:
        print(
            f"The canvases use your own templates ({names}), which the others do not have:"
            f" '{PROG} git-setup --copy-templates' copies them into {visible(str(target))},"
            " where they travel with the canvases (commit that folder too)."
        )
        return
    for line in copy_templates(wanted):
        print(visible(line))


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
    from canvas_tui.template import FOLDER_TEMPLATES, templates_for_canvas, with_folder

    path = Path(context.args.file)
    data, _ = read_with_fingerprint(path)
    # git hands over a temp file for old versions, and runs this at the repository's root:
    # the templates that travel with the canvases are the file's own, else the root's.
    templates = with_folder(context.store.templates, Path.cwd() / FOLDER_TEMPLATES)
    templates = templates_for_canvas(templates, path.absolute())
    try:
        text = canvasfile.decode(data)
        if not is_canvas_text(text):
            raise canvasfile.CanvasFileError("not a canvas")
        parsed = canvasfile.parse(text, templates)
    except canvasfile.CanvasFileError:
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.buffer.write(canvas_text(parsed.canvas, parsed.template).encode("utf-8"))
    sys.stdout.flush()
    return 0
