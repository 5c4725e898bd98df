"""Commands that change a canvas from the shell (`add`, `rm`, `mv`, `set`, `retitle`), make one
from Markdown, JSON or TOML (`import`), and serve the app to a web browser (`serve`).

Every change is read, applied and written through the store: the write is atomic and never
replaces a file that changed since it was read. When that happens (an editor saved at that
very moment), the command reads the file again and applies the change once more, provided the
item it acts on is still the same; otherwise it writes nothing and says so. An editor open on
the canvas notices the new file: it reloads, or asks when it has unsaved edits of its own.

None of these commands imports Textual (`serve` runs the editor in child processes).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    print_json,
)
from canvas_tui.model import STATUS_GLYPHS, STATUSES, Canvas, Item
from canvas_tui.safetext import visible

if TYPE_CHECKING:
    from canvas_tui.store import CanvasStore, Loaded
    from canvas_tui.template import BlockSpec, Template

IMPORT_FORMATS = ("markdown", "json", "toml")
FORMAT_OF_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".toml": "toml"}
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WEB_EXTRA_HINT = "pip install 'canvas-tui[web]'"


def register(add: AddCommand) -> dict[str, Handler]:
    def json_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")

    def canvas_and_item(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("ref", metavar="NAME", help="a canvas name (or the path of a file)")
        parser.add_argument("block", metavar="BLOCK", help="number, key or short label (e.g. KP)")
        parser.add_argument("number", metavar="N", type=int, help="the item's number (1 = first)")

    add_ = add("add", "add an item to a block (a canvas that does not exist is created)")
    add_.add_argument("ref", metavar="NAME", help="a canvas name (or the path of a file)")
    add_.add_argument("block", metavar="BLOCK", help="number, key or short label (e.g. KP)")
    add_.add_argument("text", metavar="TEXT")
    add_.add_argument("--at", type=int, metavar="N", help="its place in the block (default: last)")
    add_.add_argument("--status", type=str.lower, choices=STATUSES, help="its status")
    add_.add_argument("--tag", action="append", default=[], metavar="TAG", help="(repeatable)")
    add_.add_argument("--note", metavar="TEXT", help="a note (may span several lines)")
    add_.add_argument("--template", metavar="ID", help="for a new canvas: its template")
    json_option(add_)

    rm = add("rm", "remove an item")
    canvas_and_item(rm)
    json_option(rm)

    mv = add("mv", "move an item to a block (the same block reorders it)")
    canvas_and_item(mv)
    mv.add_argument("target", metavar="TO_BLOCK")
    mv.add_argument("--at", type=int, metavar="N", help="its place there (default: last)")
    json_option(mv)

    set_ = add("set", "change an item's text, status, tags or note")
    canvas_and_item(set_)
    set_.add_argument("--text", metavar="TEXT", help="the new text")
    set_.add_argument(
        "--status", type=str.lower, choices=(*STATUSES, "none"), help="the new status"
    )
    tags = set_.add_mutually_exclusive_group()
    tags.add_argument(
        "--tag", action="append", metavar="TAG", help="replaces the tags (repeatable)"
    )
    tags.add_argument("--no-tags", action="store_true", help="remove every tag")
    set_.add_argument("--note", metavar="TEXT", help="replaces the note ('' removes it)")
    json_option(set_)

    retitle = add("retitle", "change a canvas's title (its name stays)")
    retitle.add_argument("ref", metavar="NAME")
    retitle.add_argument("title", metavar="TITLE")
    json_option(retitle)

    import_ = add("import", "make a new canvas from Markdown, JSON or TOML; prints its name")
    import_.add_argument("file", metavar="FILE|-", help="the file to read ('-': standard input)")
    import_.add_argument(
        "--format", "-f", choices=IMPORT_FORMATS, help="default: from the file name or content"
    )
    import_.add_argument("--name", help="the new canvas's name (default: from its title)")
    import_.add_argument("--title", help="its title (default: the file's)")
    import_.add_argument("--template", metavar="ID", help="its template (default: the file's)")
    json_option(import_)

    serve = add("serve", "run canvas-tui in a web browser (needs canvas-tui[web])")
    serve.add_argument(
        "ref", metavar="NAME", nargs="?", help="open this canvas (default: the list)"
    )
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on ({DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on ({DEFAULT_PORT})"
    )
    serve.add_argument(
        "--public-url", metavar="URL", help="the address browsers use, if not http://HOST:PORT"
    )
    serve.add_argument(  # SUPPRESS: `canvas-tui --read-only serve` counts as well
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="nobody can change anything",
    )
    json_option(serve)

    return {
        "add": run_add,
        "rm": run_rm,
        "mv": run_mv,
        "set": lambda context: run_set(context, set_),
        "retitle": run_retitle,
        "import": run_import,
        "serve": run_serve,
    }


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535: {value}")
    return port


# -- changing a canvas through the store ---------------------------------------------------


# NamedTuple rather than dataclass: a plain command pays for every class it defines at start-up.
class Change(NamedTuple):
    """What a command makes of a canvas: the new canvas, and the item it is about (where it
    is now, or where it was for `rm`)."""

    canvas: Canvas
    block: BlockSpec | None = None
    item_index: int = 0
    item: Item | None = None


class Written(NamedTuple):
    loaded: Loaded  # the canvas as it is on disk now
    change: Change
    name: str | None  # None for a canvas given by path
    created: bool


Apply = Callable[["Loaded"], Change]


def write_change(
    context: Context, ref: str, apply: Apply, *, create: bool = False, template: str | None = None
) -> Written:
    """Load canvas `ref`, apply a change, save it; a canvas that changed on disk meanwhile is
    read again and the change applied once more (`apply` refuses when its item moved)."""
    from canvas_tui.store import CanvasFileError, ConflictError, save

    store = context.store
    if template is not None:
        installed_template(store, template)  # an unknown one: the error now, not later
    path, name = store.resolve(ref)
    for attempt in range(2):
        try:
            loaded = store.open(ref, template=template)
        except CanvasFileError as error:  # say which file: the command named a canvas
            raise CliError(f"{visible(path.name)}: {error}") from None
        if not loaded.exists and not create:
            raise CliError(f"no canvas {ref!r} (see '{PROG} list')")
        if template is not None and loaded.exists and loaded.canvas.template != template:
            raise CliError(
                f"{ref!r} is a {visible(loaded.canvas.template)} canvas, not {template!r}"
                " (leave out --template)"
            )
        change = apply(loaded)
        if loaded.exists and change.canvas == loaded.canvas:
            return Written(loaded, change, name, created=False)
        try:
            saved = save(loaded, change.canvas)
        except ConflictError:
            if attempt == 0:
                continue
            raise CliError(
                f"{visible(loaded.path.name)} kept changing on disk while this command ran:"
                " nothing written, try again"
            ) from None
        note_open_editor(store, saved.path)
        return Written(saved, change, name, created=not loaded.exists)
    raise AssertionError("unreachable")


def note_open_editor(store: CanvasStore, path: Path) -> None:
    """Say so on stderr when an editor has the canvas open: it reloads the change, or asks."""
    holder = editor_holding(store, path)
    if holder is not None:
        print(
            f"{PROG}: note: {visible(path.stem)} is open in an editor ({visible(holder)}):"
            " it reloads this change, or asks first if it has unsaved edits",
            file=sys.stderr,
        )


def editor_holding(store: CanvasStore, path: Path) -> str | None:
    """Who holds the editor lock of the canvas at `path` ("" if unknown), or None if no one.

    Looks with a shared, non-blocking lock that is dropped at once, so an editor that holds
    the lock is seen and one that is starting is not kept out."""
    if not store.locks_dir.is_dir():  # no editor has run here: skip importing the lock code
        return None
    import fcntl

    from canvas_tui.store.lock import CanvasLock

    lock = CanvasLock(store.locks_dir, path)
    try:
        descriptor = os.open(lock.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return lock.holder() or "another process"
    finally:
        os.close(descriptor)  # also drops the shared lock, if it was taken
    return None


class SameItem:
    """The item a command acts on, remembered at the first attempt: when a retry finds
    another item in its place, the command stops rather than act on the wrong one."""

    def __init__(self) -> None:
        self.seen: Item | None = None

    def check(self, spec: BlockSpec, number: int, item: Item) -> None:
        if self.seen is None:
            self.seen = item
        elif item != self.seen:
            raise CliError(
                f"item {number} of {key(spec)} changed on disk while this command ran:"
                " nothing written"
            )


# -- arguments -----------------------------------------------------------------------------


def installed_template(store: CanvasStore, template_id: str | None) -> Template:
    """An installed template (None: the default), or an error naming those installed."""
    from canvas_tui.template import TemplateError

    try:
        return store.template(template_id)
    except TemplateError as error:  # a ValueError, which the command line would not report
        raise CliError(str(error)) from None


def find_block(template: Template, ref: str) -> BlockSpec:
    spec = template.find_block(ref)
    if spec is None:
        shorts = visible(", ".join(block.short for block in template.blocks))
        raise CliError(
            f"no block {ref!r} in a {visible(template.id)} canvas: use 1-{len(template.blocks)},"
            f" a key such as {key(template.blocks[0])}, or a short label ({shorts})"
        )
    return spec


def key(spec: BlockSpec) -> str:
    """A block's key, safe to print (a canvas whose template is not installed names its
    blocks itself, with any text)."""
    return visible(spec.key)


def item_index(canvas: Canvas, spec: BlockSpec, number: int) -> int:
    """The index of item `number` (1-based) of a block, or an error saying what exists."""
    count = len(canvas.blocks[spec.index])
    if not 1 <= number <= count:
        if count == 0:
            raise CliError(f"no item {number} in {key(spec)}: it is empty")
        raise CliError(f"no item {number} in {key(spec)}: it has items 1 to {count}")
    return number - 1


def place_index(at: int | None, size: int, spec: BlockSpec) -> int:
    """Where `--at N` puts an item in a block of `size` items (None: at the end)."""
    if at is None:
        return size
    if not 1 <= at <= size + 1:
        raise CliError(f"--at {at}: {key(spec)} has room for 1 to {size + 1}")
    return at - 1


def item_text(text: str) -> str:
    """An item's text as the editor keeps it: one line, without surrounding white space."""
    text = text.strip()
    if not text:
        raise CliError("the text is empty (to remove an item, use 'rm')")
    if "\n" in text or "\r" in text:
        raise CliError("an item's text is one line (put more in --note)")
    return text


def tag_list(values: Sequence[str]) -> tuple[str, ...]:
    """Tags given as `--tag pricing --tag "b2b, #Growth"`, checked and lowercased."""
    from canvas_tui.model import parse_tags

    tags: list[str] = []
    for value in values:
        found, bad = parse_tags(value)
        if bad:
            raise CliError(f"bad tag {bad[0]!r}: tags are lowercase letters, digits and '-'")
        tags.extend(found)
    return tuple(dict.fromkeys(tags))


def note_text(note: str) -> str:
    return note.replace("\r\n", "\n").strip("\n")


# -- output --------------------------------------------------------------------------------


def item_line(spec: BlockSpec, index: int, item: Item) -> str:
    """`BLOCK N: TEXT`, with the status glyph and tags as the editor shows them."""
    parts = [STATUS_GLYPHS[item.status]] if item.status is not None else []
    parts.append(visible(item.text))
    parts.extend(f"#{tag}" for tag in item.tags)
    return f"{key(spec)} {index + 1}: {' '.join(parts)}"


def item_json(spec: BlockSpec, index: int, item: Item) -> dict[str, Any]:
    return {
        "block": spec.key,
        "block_number": spec.number,
        "item": index + 1,
        "text": item.text,
        "status": item.status,
        "tags": list(item.tags),
        "note": item.note,
    }


def report(context: Context, written: Written, *, prefix: str = "", **extra: Any) -> int:
    change = written.change
    assert change.block is not None and change.item is not None
    if context.args.json:
        print_json(
            {
                "canvas": written.name,
                "path": str(written.loaded.path),
                **extra,
                **item_json(change.block, change.item_index, change.item),
            }
        )
    else:
        print(prefix + item_line(change.block, change.item_index, change.item))
    return 0


# -- the item commands ---------------------------------------------------------------------


def run_add(context: Context) -> int:
    from canvas_tui.model import insert_item

    args = context.args
    item = Item(item_text(args.text), args.status, tag_list(args.tag), note_text(args.note or ""))

    def apply(loaded: Loaded) -> Change:
        spec = find_block(loaded.template, args.block)
        index = place_index(args.at, len(loaded.canvas.blocks[spec.index]), spec)
        edit = insert_item(loaded.canvas, spec.index, index, item)
        return Change(edit.canvas, spec, edit.cursor.item, item)

    written = write_change(context, args.ref, apply, create=True, template=args.template)
    if written.created and not args.json:
        print(f"{PROG}: created the canvas {visible(written.loaded.path.stem)}", file=sys.stderr)
    return report(context, written, created=written.created)


def run_rm(context: Context) -> int:
    from canvas_tui.model import Pos, delete_item

    args = context.args
    same = SameItem()

    def apply(loaded: Loaded) -> Change:
        spec = find_block(loaded.template, args.block)
        index = item_index(loaded.canvas, spec, args.number)
        item = loaded.canvas.blocks[spec.index][index]
        same.check(spec, args.number, item)
        edit = delete_item(loaded.canvas, Pos(spec.index, index))
        return Change(edit.canvas, spec, index, item)

    return report(context, write_change(context, args.ref, apply), prefix="removed ")


def run_mv(context: Context) -> int:
    from canvas_tui.model import Pos, move_to_block

    args = context.args
    same = SameItem()
    origin: list[tuple[BlockSpec, int]] = []

    def apply(loaded: Loaded) -> Change:
        template, canvas = loaded.template, loaded.canvas
        spec = find_block(template, args.block)
        target = find_block(template, args.target)
        index = item_index(canvas, spec, args.number)
        item = canvas.blocks[spec.index][index]
        same.check(spec, args.number, item)
        room = len(canvas.blocks[target.index]) - (1 if target is spec else 0)
        at = place_index(args.at, room, target)
        edit = move_to_block(canvas, Pos(spec.index, index), target.index, at)
        origin[:] = [(spec, index)]
        return Change(edit.canvas, target, edit.cursor.item, item)

    written = write_change(context, args.ref, apply)
    spec, index = origin[0]
    return report(
        context,
        written,
        moved_from={"block": spec.key, "block_number": spec.number, "item": index + 1},
    )


def run_set(context: Context, parser: argparse.ArgumentParser) -> int:
    from dataclasses import replace

    from canvas_tui.model import Pos, replace_item

    args = context.args
    if (args.text, args.status, args.tag, args.note) == (None,) * 4 and not args.no_tags:
        parser.error("nothing to change: give --text, --status, --tag, --no-tags or --note")
    text = None if args.text is None else item_text(args.text)
    tags = () if args.no_tags else None if args.tag is None else tag_list(args.tag)
    same = SameItem()

    def apply(loaded: Loaded) -> Change:
        spec = find_block(loaded.template, args.block)
        index = item_index(loaded.canvas, spec, args.number)
        item = loaded.canvas.blocks[spec.index][index]
        same.check(spec, args.number, item)
        if text is not None:
            item = replace(item, text=text)
        if args.status is not None:
            item = replace(item, status=None if args.status == "none" else args.status)
        if tags is not None:
            item = replace(item, tags=tags)
        if args.note is not None:
            item = replace(item, note=note_text(args.note))
        edit = replace_item(loaded.canvas, Pos(spec.index, index), item)
        return Change(edit.canvas, spec, index, item)

    return report(context, write_change(context, args.ref, apply))


def run_retitle(context: Context) -> int:
    from canvas_tui.model import retitle

    args = context.args
    title = " ".join(args.title.split())
    if not title:
        raise CliError("the title is empty")
    before: list[str] = []

    def apply(loaded: Loaded) -> Change:
        before[:] = [loaded.canvas.title]
        return Change(retitle(loaded.canvas, title))

    written = write_change(context, args.ref, apply)
    if args.json:
        print_json(
            {
                "canvas": written.name,
                "path": str(written.loaded.path),
                "title": title,
                "previous_title": before[0],
            }
        )
    else:
        print(visible(title))
    return 0


# -- import --------------------------------------------------------------------------------


class Imported(NamedTuple):
    canvas: Canvas
    titled: bool  # the document gave the canvas a title


def run_import(context: Context) -> int:
    from canvas_tui import canvasfile
    from canvas_tui.store import ConflictError, NameTakenError, save
    from canvas_tui.store.names import check_name, slugify, unique_name

    args = context.args
    store = context.store
    source = args.file
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = canvasfile.decode(data)
    form = args.format or guess_format(source, text)
    if form == "markdown":
        imported = import_markdown(store, text, args.template)
    else:
        imported = import_data(store, text, form, args.template)
    canvas = imported.canvas
    stem = "" if source == "-" else Path(source).stem
    known_as: str = args.name or stem  # what to call a canvas whose text gives no title
    if args.title is not None:
        canvas = Canvas(" ".join(args.title.split()), canvas.blocks, canvas.template)
    elif not imported.titled and known_as:
        canvas = Canvas(title_from_name(known_as), canvas.blocks, canvas.template)
    if args.name is not None:
        name = check_name(args.name)
        if store.exists(name):
            raise NameTakenError(f"a canvas named {name!r} already exists (choose another --name)")
    else:
        store.ensure()
        name = unique_name(slugify(canvas.title or stem), store.exists)
    loaded = store.open(name, template=canvas.template)
    if loaded.exists:
        raise NameTakenError(f"a canvas named {name!r} already exists (choose another --name)")
    try:
        saved = save(loaded, canvas)
    except ConflictError:  # the name was taken a moment ago
        raise NameTakenError(f"a canvas named {name!r} was just created elsewhere") from None
    if args.json:
        template = saved.template
        print_json(
            {
                "canvas": name,
                "path": str(saved.path),
                "title": canvas.title,
                "template": canvas.template,
                "format": form,
                "items": canvas.item_count,
                "blocks": {spec.key: len(canvas.blocks[spec.index]) for spec in template.blocks},
            }
        )
    else:
        print(name)
    return 0


def guess_format(source: str, text: str) -> str:
    """The format of a file to import: its suffix says, else its first characters do."""
    suffix = Path(source).suffix.lower() if source != "-" else ""
    if suffix in FORMAT_OF_SUFFIX:
        return FORMAT_OF_SUFFIX[suffix]
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return "json"
    if re.search(r"^[ \t]*(\[blocks\]|schema[ \t]*=|title[ \t]*=)", text, re.MULTILINE):
        return "toml"
    return "json" if start.startswith("[") else "markdown"


def title_from_name(name: str) -> str:
    """A title for a canvas known only by a name ("acme-robotics" -> "Acme Robotics"), as a
    new canvas opened by name gets."""
    return name.replace("-", " ").replace("_", " ").title()


def import_markdown(store: CanvasStore, text: str, template_id: str | None) -> Imported:
    from canvas_tui.render.markdown_import import named_template, parse_markdown

    template = installed_template(store, template_id or named_template(text))
    parsed = parse_markdown(text, template)
    return Imported(parsed.canvas, parsed.titled)


def import_data(store: CanvasStore, text: str, form: str, template_id: str | None) -> Imported:
    """A canvas from JSON as `export --format json` writes it, or from a canvas TOML file.

    Both become the same table as a canvas file holds; that is written out as TOML and read
    with the canvas file reader, so they are checked exactly as a canvas file is."""
    from canvas_tui import canvasfile

    if form == "json":
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CliError(f"not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise CliError("a canvas in JSON is an object with 'title' and 'blocks'")
    else:
        import tomllib

        canvasfile.parse(text, store.templates)  # bad TOML: its error, with line and column
        data = tomllib.loads(text.removeprefix("\ufeff"))
    blocks = data.get("blocks", {})
    if not isinstance(blocks, dict):
        raise CliError("'blocks' must be a table of block keys and their items")
    named = data.get("template")
    template = installed_template(store, template_id or (named if isinstance(named, str) else None))
    unknown = [key for key in blocks if key not in template.keys]
    if unknown:
        raise CliError(
            f"blocks that a {template.id} canvas does not have: {', '.join(map(repr, unknown))}"
            f" (its blocks: {', '.join(template.keys)})"
        )
    _refuse_null(data, "")
    document = {key: data[key] for key in ("schema", "title") if key in data}
    lines = [f"{key} = {canvasfile.toml_value(value)}" for key, value in document.items()]
    lines.append(f"template = {canvasfile.toml_string(template.id)}")
    lines.append("[blocks]")
    lines += [f"{key} = {canvasfile.toml_value(blocks[key])}" for key in blocks]
    parsed = canvasfile.parse("\n".join(lines) + "\n", store.templates)
    if parsed.schema > canvasfile.SCHEMA:
        raise CliError(f"written by a newer canvas-tui (schema {parsed.schema}): not imported")
    return Imported(parsed.canvas, isinstance(data.get("title"), str))


def _refuse_null(value: object, where: str) -> None:
    """JSON's null has no TOML equivalent: say where it is."""
    if value is None:
        raise CliError(f"{where or 'the document'} is null")
    if isinstance(value, dict):
        for key, inner in value.items():
            name = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else repr(key)  # safe to print
            _refuse_null(inner, f"{where}.{name}" if where else name)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _refuse_null(inner, f"{where}[{index}]")


# -- serve ---------------------------------------------------------------------------------

SHUTDOWN_SECONDS = 10.0  # how long ctrl+c waits for the editors in the browsers to save and quit


def run_serve(context: Context) -> int:
    from importlib.util import find_spec

    if find_spec("textual_serve") is None:
        raise CliError(f"serve needs textual-serve, which is not installed: {WEB_EXTRA_HINT}")
    args = context.args
    read_only = bool(getattr(args, "read_only", False))
    url = args.public_url or public_url(args.host, args.port)
    command = serve_command(context, read_only)
    # Each browser gets its own editor process, whose stdin and stdout are textual-serve's
    # pipes, not a terminal: tell the editor that this is intended.
    os.environ["CANVAS_TUI_FORCE"] = "1"

    def ready() -> None:
        what = f"the canvas {args.ref}" if args.ref else "the canvas browser"
        data_dir = visible(str(context.store.data_dir))
        if args.json:
            print_json(
                {
                    "url": url,
                    "host": args.host,
                    "port": args.port,
                    "canvas": args.ref,
                    "data_dir": str(context.store.data_dir),
                    "read_only": read_only,
                }
            )
        else:
            print(visible(f"Serving {what} at {url} - open it in a web browser; ctrl+c stops."))
        sys.stdout.flush()
        where = "this machine" if args.host in LOOPBACK_HOSTS else "the network"
        can = "see" if read_only else "open, edit and delete"
        print(
            f"{PROG}: warning: anyone who can reach port {args.port} on {visible(args.host)}"
            f" ({where}) can {can} the canvases in {data_dir}: there is no password",
            file=sys.stderr,
            flush=True,
        )

    try:
        run_web_server(command, args.host, args.port, url, ready)
    except OSError as error:
        where = visible(f"{args.host}:{args.port}")
        raise CliError(f"cannot serve on {where}: {error.strerror or error}") from None
    print(f"{PROG}: stopped", file=sys.stderr)
    return 0


def public_url(host: str, port: int) -> str:
    """The address a browser uses: HOST:PORT, or this machine's name when HOST means every
    interface (a browser elsewhere cannot connect to 0.0.0.0)."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve_command(context: Context, read_only: bool) -> str:
    """The shell command that runs one editor for one browser: this program, on the same
    data dir and config, ignoring ctrl+c typed at the server's terminal (the server stops
    the editors itself, so that each commits what it holds)."""
    import shlex

    args = context.args
    words = [
        sys.executable,
        "-m",
        "canvas_tui",
        "--data-dir",
        str(context.store.data_dir.resolve()),
    ]
    config = getattr(args, "config", None)
    if config:
        words += ["--config", str(Path(config).expanduser().resolve())]
    if args.ref is None:
        words += ["--read-only"] if read_only else []
    else:
        from canvas_tui.store import is_path_ref

        context.store.resolve(args.ref)  # a name that is not valid: the error now
        ref = str(Path(args.ref).expanduser().resolve()) if is_path_ref(args.ref) else args.ref
        words += ["open", *(["--read-only"] if read_only else []), "--", ref]
    return "trap '' INT; exec " + shlex.join(words)


def run_web_server(command: str, host: str, port: int, url: str, ready: Callable[[], None]) -> None:
    """Serve `command` to web browsers with textual-serve until SIGINT, SIGTERM or SIGHUP;
    then close every browser's connection, which quits its editor, and return."""
    import asyncio
    import contextlib
    import logging
    import signal

    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class CanvasServer(Server):
        """textual-serve's server, with our start-up message and a shutdown that lets every
        editor save and quit."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=PROG, public_url=url)
            self.sockets: set[web.WebSocketResponse] = set()
            self.editors: list[asyncio.subprocess.Process] = []

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format=f"{PROG}: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            pass  # `ready` speaks once the port is open

        async def on_shutdown(self, app: web.Application) -> None:
            for socket in list(self.sockets):
                await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

        async def _process_messages(
            self, websocket: web.WebSocketResponse, app_service: AppService
        ) -> None:
            self.sockets.add(websocket)
            # textual-serve keeps the editor's process to itself: look, so as to wait for it.
            editor = getattr(app_service, "_process", None)
            if isinstance(editor, asyncio.subprocess.Process):
                self.editors = [*(e for e in self.editors if e.returncode is None), editor]
            try:
                await super()._process_messages(websocket, app_service)
            finally:
                self.sockets.discard(websocket)

        async def run(self) -> None:
            self.initialize_logging()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, stop.set)
            runner = web.AppRunner(await self._make_app(), handle_signals=False)
            await runner.setup()
            try:
                site = web.TCPSite(runner, host, port, shutdown_timeout=SHUTDOWN_SECONDS)
                await site.start()
                ready()
                await stop.wait()
            finally:
                await runner.cleanup()  # closes the connections: each editor saves and quits
                await self.wait_for_editors()

        async def wait_for_editors(self) -> None:
            """Until every editor has exited (they save on the way out); those that take too
            long are asked again with SIGTERM, which also makes an editor save and quit."""
            running = [editor for editor in self.editors if editor.returncode is None]
            for attempt in range(2):
                if not running:
                    return
                waits = [asyncio.ensure_future(editor.wait()) for editor in running]
                await asyncio.wait(waits, timeout=SHUTDOWN_SECONDS)
                running = [editor for editor in running if editor.returncode is None]
                if attempt == 0:
                    for editor in running:
                        with contextlib.suppress(ProcessLookupError):
                            editor.terminate()

    asyncio.run(CanvasServer().run())
