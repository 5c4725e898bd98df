"""The `canvas-tui` command line.

Plain commands (`new`, `list`, `show`, `export` to text formats, `path`) never import Textual,
so they start in a fraction of the editor's time; the editor is imported only when needed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui import __version__
from canvas_tui.store import CanvasFileError, CanvasStore, InvalidNameError, StoreError

if TYPE_CHECKING:
    from canvas_tui.store import Loaded

PROG = "canvas-tui"
TEXT_FORMATS = ("markdown", "json", "toml", "html")
SCREEN_FORMATS = ("svg",)
COMMANDS = ("open", "view", "new", "list", "show", "export", "path")


class CliError(Exception):
    """An error to report as one line on stderr, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where canvases live (default: $CANVAS_TUI_DATA_DIR, else the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        parents=[common],
        description="A keyboard-first terminal workspace for the Tech Business Model Canvas.",
        epilog=(
            f"With no command, {PROG} opens the canvas browser; {PROG} NAME|PATH opens a canvas"
            " in the editor."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--read-only", action="store_true", help="open canvases read-only (never written)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[common], help=help_text, description=help_text)

    open_ = command("open", "open a canvas in the editor (created at the first change)")
    open_.add_argument("ref", metavar="NAME|PATH")
    open_.add_argument("--read-only", action="store_true", help="open it read-only")

    view = command("view", "open a canvas read-only")
    view.add_argument("ref", metavar="NAME|PATH")

    new = command("new", "create an empty canvas and print its name")
    new.add_argument("title")
    new.add_argument("--name", help="file name to use (default: derived from the title)")

    list_ = command("list", "list the canvases: name, title, items, modified")
    list_.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = command("show", "print a canvas laid out like the editor")
    show.add_argument("ref", metavar="NAME|PATH")
    show.add_argument("--guide", action="store_true", help="include each block's guidance")
    show.add_argument("--width", type=_positive, help="columns to use (default: the terminal's)")

    export = command("export", "export a canvas to stdout or a file")
    export.add_argument("ref", metavar="NAME|PATH")
    export.add_argument("--format", "-f", required=True, choices=(*TEXT_FORMATS[:3], "svg", "html"))
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    export.add_argument("--guide", action="store_true", help="include guidance (markdown, html)")
    export.add_argument("--width", type=_positive, default=160, help="svg: columns (160)")
    export.add_argument("--height", type=_positive, default=50, help="svg: rows (50)")

    command("path", "print the data directory")
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _with_implicit_open(argv: list[str]) -> list[str]:
    """`canvas-tui NAME` means `canvas-tui open NAME`: insert `open` before a bare name."""
    skip_next = False
    for index, word in enumerate(argv):
        if skip_next:
            skip_next = False
        elif word == "--data-dir":
            skip_next = True
        elif word == "--":
            return [*argv[:index], "open", *argv[index + 1 :]] if index + 1 < len(argv) else argv
        elif word.startswith("-"):
            continue
        elif word in COMMANDS:
            return argv
        else:
            return [*argv[:index], "open", *argv[index:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(
        _with_implicit_open(list(sys.argv[1:] if argv is None else argv))
    )
    from canvas_tui.store import resolve_data_dir

    store = CanvasStore(resolve_data_dir(getattr(args, "data_dir", None)))
    try:
        return _run(args, store)
    except (CliError, StoreError, CanvasFileError, InvalidNameError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(_os_message(error))
    except KeyboardInterrupt:
        return 130


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


def _os_message(error: OSError) -> str:
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def _run(args: argparse.Namespace, store: CanvasStore) -> int:
    command = args.command
    if command == "path":
        print(store.data_dir)
        return 0
    if command == "new":
        print(store.create(args.title, args.name))
        return 0
    if command == "list":
        return _list(store, as_json=args.json)
    if command == "show":
        return _show(_load(store, args.ref), width=args.width, guide=args.guide)
    if command == "export":
        return _export(store, args)
    if command in ("open", "view"):
        read_only = command == "view" or args.read_only
        return _editor(store, _load(store, args.ref, allow_new=not read_only), read_only)
    return _editor(store, None, read_only=args.read_only)


def _load(store: CanvasStore, ref: str, *, allow_new: bool = False) -> Loaded:
    loaded = store.open(ref)
    if not loaded.exists and not allow_new:
        raise CliError(f"no canvas {ref!r} (see '{PROG} list')")
    return loaded


def _list(store: CanvasStore, *, as_json: bool) -> int:
    infos = store.list()
    if as_json:
        import json

        rows = [
            {
                "name": info.name,
                "title": info.title,
                "items": info.items,
                "modified": info.modified_iso,
                "path": str(info.path),
                **({"error": info.error} if info.error else {}),
            }
            for info in infos
        ]
        from canvas_tui.safetext import escape_unsafe

        print(escape_unsafe(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    if not infos:
        print(f'No canvases yet. Create one with: {PROG} new "My idea"', file=sys.stderr)
        return 0
    from canvas_tui.safetext import visible

    rows_text = [
        (visible(info.name), visible((info.error and f"(unreadable: {info.error})") or info.title),
         str(info.items), info.modified_text)
        for info in infos
    ]  # fmt: skip
    header = ("NAME", "TITLE", "ITEMS", "MODIFIED")
    widths = [max(len(row[i]) for row in [header, *rows_text]) for i in range(3)]
    for row in [header, *rows_text]:
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
    return 0


def _terminal_width() -> int:
    return shutil.get_terminal_size((100, 24)).columns


def _show(loaded: Loaded, *, width: int | None, guide: bool) -> int:
    from canvas_tui.render.layout import canvas_lines, to_ansi

    lines = canvas_lines(loaded.canvas, width or _terminal_width(), guide=guide)
    sys.stdout.write(to_ansi(lines, color=_color_wanted()))
    return 0


def _color_wanted() -> bool:
    """Styles on a terminal, unless NO_COLOR (no-color.org) or a dumb terminal says not."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _export(store: CanvasStore, args: argparse.Namespace) -> int:
    loaded = _load(store, args.ref)
    canvas = loaded.canvas
    if args.format == "svg":
        from canvas_tui.screenshot import editor_svg

        text = editor_svg(store, loaded, width=args.width, height=args.height)
    else:
        from canvas_tui.render import export

        renderers = {
            "markdown": lambda: export.to_markdown(canvas, guide=args.guide),
            "json": lambda: export.to_json(canvas),
            "toml": lambda: export.to_toml(canvas),
            "html": lambda: export.to_html(canvas, guide=args.guide),
        }
        text = renderers[args.format]()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _editor(store: CanvasStore, loaded: Loaded | None, read_only: bool) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("CANVAS_TUI_FORCE"):
        raise CliError("the editor needs a terminal (use 'show' or 'export' to print a canvas)")
    from canvas_tui.app import CanvasApp

    canvas = None if loaded is None else loaded.path
    app = CanvasApp(store=store, canvas=canvas, read_only=read_only, loaded=loaded)
    app.run()
    return app.return_code or 0
