"""Commands that open, create, list, print and export canvases, and show the templates and
keys in use. None of them imports Textual, except the editor."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    color_wanted,
    load_canvas,
    positive,
    print_json,
    terminal_columns,
    warn,
)
from canvas_tui.cli.printing import PAPERS, PRINT_FORMATS, run_print_export

if TYPE_CHECKING:
    from canvas_tui.prepaint.start import RawStart, Start
    from canvas_tui.store import Loaded

TEXT_FORMATS = ("markdown", "json", "toml", "html")


def register(add: AddCommand) -> dict[str, Handler]:
    open_ = add("open", "open a canvas in the editor (created at the first change)")
    open_.add_argument("ref", metavar="NAME|PATH")
    open_.add_argument("--read-only", action="store_true", help="open it read-only")
    open_.add_argument("--template", metavar="ID", help="for a new canvas: its template")

    view = add("view", "open a canvas read-only")
    view.add_argument("ref", metavar="NAME|PATH")

    new = add("new", "create an empty canvas and print its name")
    new.add_argument("title")
    new.add_argument("--name", help="file name to use (default: derived from the title)")
    new.add_argument("--template", metavar="ID", help="its template (see 'templates')")

    list_ = add("list", "list the canvases: name, title, template, items, modified")
    list_.add_argument("--json", action="store_true", help="print JSON instead of a table")

    show = add("show", "print a canvas laid out like the editor")
    show.add_argument("ref", metavar="NAME|PATH")
    show.add_argument("--guide", action="store_true", help="include each block's guidance")
    show.add_argument("--width", type=positive, help="columns to use (default: the terminal's)")

    export = add("export", "export a canvas to stdout or a file")
    export.add_argument("ref", metavar="NAME|PATH")
    export.add_argument("--format", "-f", required=True, choices=(*TEXT_FORMATS, *PRINT_FORMATS))
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    export.add_argument("--guide", action="store_true", help="include each block's guidance")
    export.add_argument(
        "--paper", choices=PAPERS, default="a4", help="pdf, png, svg: landscape paper (a4)"
    )
    export.add_argument(
        "--notes", action="store_true", help="pdf, png, svg: number the notes, print them after"
    )

    templates = add("templates", "list the templates: id, title, blocks, source")
    templates.add_argument("--json", action="store_true", help="print JSON instead of a table")

    add("keys", "print the keys in effect (with your config's [keys])")
    add("path", "print the data directory")
    return {
        "open": run_open,
        "view": run_open,
        "new": run_new,
        "list": run_list,
        "show": run_show,
        "export": run_export,
        "templates": run_templates,
        "keys": run_keys,
        "path": run_path,
    }


def run_path(context: Context) -> int:
    print(context.store.data_dir)
    return 0


def run_new(context: Context) -> int:
    args = context.args
    print(context.store.create(args.title, args.name, args.template))
    return 0


def run_list(context: Context) -> int:
    infos = context.store.list()
    if context.args.json:
        print_json(
            [
                {
                    "name": info.name,
                    "title": info.title,
                    "template": info.template,
                    "items": info.items,
                    "statuses": dict(info.statuses),
                    "modified": info.modified_iso,
                    "path": str(info.path),
                    **({"error": info.error} if info.error else {}),
                }
                for info in infos
            ]
        )
        return 0
    if not infos:
        print(f'No canvases yet. Create one with: {PROG} new "My idea"', file=sys.stderr)
        return 0
    from canvas_tui.safetext import visible

    rows = [
        (visible(info.name), visible((info.error and f"(unreadable: {info.error})") or info.title),
         visible(info.template), str(info.items), info.modified_text)
        for info in infos
    ]  # fmt: skip
    _table(("NAME", "TITLE", "TEMPLATE", "ITEMS", "MODIFIED"), rows, right=(3,))
    return 0


def _table(
    header: tuple[str, ...], rows: Sequence[tuple[str, ...]], right: tuple[int, ...] = ()
) -> None:
    cell_len: Callable[[str], int] = len  # printable ASCII: a cell per character
    if not all(cell.isascii() and cell.isprintable() for row in rows for cell in row):
        from rich.cells import cell_len  # 1.5 ms to import: only when a cell needs it

    widths = [max(cell_len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - cell_len(cell))
            cells.append(pad + cell if i in right else cell + pad)
        print("  ".join(cells).rstrip())


def _terminal_width() -> int:
    return terminal_columns(100)


def run_show(context: Context) -> int:
    from canvas_tui.render.layout import canvas_lines, to_ansi

    loaded = load_canvas(context, context.args.ref)
    width = context.args.width or _terminal_width()
    lines = canvas_lines(loaded.canvas, loaded.template, width, guide=context.args.guide)
    sys.stdout.write(to_ansi(lines, color=color_wanted()))
    return 0


def run_export(context: Context) -> int:
    args = context.args
    loaded = load_canvas(context, args.ref)
    canvas, template = loaded.canvas, loaded.template
    if args.format in PRINT_FORMATS:
        return run_print_export(context, loaded)
    from canvas_tui.render import export

    if args.format == "markdown":
        text = export.to_markdown(canvas, template, guide=args.guide)
    elif args.format == "json":
        text = export.to_json(canvas, template)
    elif args.format == "toml":
        text = export.to_toml(canvas, template)
    else:
        text = export.to_html(canvas, template, guide=args.guide)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def run_templates(context: Context) -> int:
    templates = context.store.templates
    if context.args.json:
        rows: list[dict[str, object]] = [
            {
                "id": template.id,
                "title": template.title,
                "blocks": [
                    {"number": b.number, "key": b.key, "title": b.title, "short": b.short}
                    for b in template.blocks
                ],
                "source": template.source,
                "attribution": template.attribution,
            }
            for template in templates
        ]
        rows += [{"source": b.source, "broken": b.problem} for b in templates.broken]
        print_json(rows)
        return 0
    from canvas_tui.safetext import visible

    table = [(t.id, visible(t.title), str(len(t.blocks)), visible(t.source)) for t in templates]
    table += [("(broken)", visible(b.problem), "-", visible(b.source)) for b in templates.broken]
    _table(("ID", "TITLE", "BLOCKS", "SOURCE"), table, right=(2,))
    return 0


def run_keys(context: Context) -> int:
    from canvas_tui.actions import configured, keys_label

    editor, browser = configured(context.config.keys)
    for problem in (*editor.problems, *browser.problems):
        warn(problem)
    for heading, keymap in (("Editor", editor), ("Canvas browser", browser)):
        print(heading)
        rows = [
            (action.id, keys_label(action.keys), action.description) for action in keymap.actions
        ]
        width = [max(len(row[i]) for row in rows) for i in range(2)]
        for action_id, keys, description in rows:
            print(f"  {action_id:<{width[0]}}  {keys:<{width[1]}}  {description}")
        print()
    print(f'Change them in {context.config.path} under [keys], e.g.  add = "a,+"')
    return 0


def run_open(context: Context) -> int:
    args = context.args
    read_only = args.command == "view" or args.read_only
    template = getattr(args, "template", None)
    if template is not None:
        context.store.template(template)  # an unknown template is an error now, not later
    loaded = context.store.open(args.ref, template=template)
    if not loaded.exists and read_only:
        raise CliError(f"no canvas {args.ref!r} (see '{PROG} list')")
    return run_editor(context, loaded, read_only)


def run_editor(context: Context, loaded: Loaded | None, read_only: bool) -> int:
    """The app: the editor on `loaded`, or the canvas browser (None)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get("CANVAS_TUI_FORCE"):
        raise CliError("the editor needs a terminal (use 'show' or 'export' to print a canvas)")
    start: Start | RawStart | None = None
    if context.early is not None:
        from canvas_tui.prepaint.start import RawStart, paint_editor

        if loaded is not None:
            start = paint_editor(context.early, context.store, loaded, context.config, read_only)
        start = start or RawStart(context.early)
    from canvas_tui.app import CanvasApp

    app = CanvasApp(
        store=context.store,
        canvas=None if loaded is None else loaded.path,
        read_only=read_only,
        loaded=loaded,
        config=context.config,
        lock=None if start is None else start.lock,
    )
    if start is not None:
        from canvas_tui.prepaint.driver import handover_driver

        app.driver_class = handover_driver(start)
    app.run()
    return app.return_code or 0
