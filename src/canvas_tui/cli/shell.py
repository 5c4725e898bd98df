"""Commands that change a canvas from the shell: `add`, `rm`, `mv`, `set`, `retitle`.

Every change is read, applied and written through the store: the write is atomic and never
replaces a file that changed since it was read. When that happens (an editor saved at that
very moment), the command reads the file again and applies the change once more, provided the
item it acts on is still the same; otherwise it writes nothing and says so. An editor open on
the canvas notices the new file: it reloads, or asks when it has unsaved edits of its own.

None of these commands imports Textual.
"""

from __future__ import annotations

import argparse
import os
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


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")


def register(add: AddCommand) -> dict[str, Handler]:
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

    return {
        "add": run_add,
        "rm": run_rm,
        "mv": run_mv,
        "set": lambda context: run_set(context, set_),
        "retitle": run_retitle,
    }


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
