"""Commands that change a canvas from the shell: `add`, `rm`, `mv`, `set`, `retitle`.

Each reads its arguments (`items`), makes its change of the canvas and writes it through the
store (`writing`: atomic, retried once when an editor saved at that very moment, refused when
the item moved meanwhile), then prints the item it acted on, or its JSON for scripts.

None of these commands imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    json_option,
    print_json,
)
from canvas_tui.cli.items import (
    find_block,
    item_json,
    item_line,
    item_text,
    note_text,
    place_index,
    tag_list,
)
from canvas_tui.cli.writing import Outcome, SameItem, Written, write_change
from canvas_tui.model import (
    STATUSES,
    Item,
    Pos,
    delete_item,
    insert_item,
    move_to_block,
    replace_item,
    retitle,
)
from canvas_tui.safetext import visible

if TYPE_CHECKING:
    from canvas_tui.store import Loaded
    from canvas_tui.template import BlockSpec


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


# -- what the item commands print ----------------------------------------------------------


def report(context: Context, written: Written, *, prefix: str = "", **extra: Any) -> int:
    outcome = written.outcome
    assert outcome.block is not None and outcome.item is not None
    if context.args.json:
        print_json(
            {
                "canvas": written.name,
                "path": str(written.loaded.path),
                **extra,
                **item_json(outcome.block, outcome.item_index, outcome.item),
            }
        )
    else:
        print(prefix + item_line(outcome.block, outcome.item_index, outcome.item))
    return 0


# -- the item commands ---------------------------------------------------------------------


def run_add(context: Context) -> int:
    args = context.args
    item = Item(item_text(args.text), args.status, tag_list(args.tag), note_text(args.note or ""))

    def apply(loaded: Loaded) -> Outcome:
        spec = find_block(loaded.template, args.block)
        index = place_index(args.at, len(loaded.canvas.blocks[spec.index]), spec)
        edit = insert_item(loaded.canvas, spec.index, index, item)
        return Outcome(edit.canvas, spec, edit.cursor.item, item)

    written = write_change(context, args.ref, apply, create=True, template=args.template)
    if written.created and not args.json:
        print(f"{PROG}: created the canvas {visible(written.loaded.path.stem)}", file=sys.stderr)
    return report(context, written, created=written.created)


def run_rm(context: Context) -> int:
    args = context.args
    same = SameItem(args.block, args.number)

    def apply(loaded: Loaded) -> Outcome:
        spec, index, item = same.find(loaded)
        edit = delete_item(loaded.canvas, Pos(spec.index, index))
        return Outcome(edit.canvas, spec, index, item)

    return report(context, write_change(context, args.ref, apply), prefix="removed ")


def run_mv(context: Context) -> int:
    args = context.args
    same = SameItem(args.block, args.number)
    origin: list[tuple[BlockSpec, int]] = []

    def apply(loaded: Loaded) -> Outcome:
        canvas = loaded.canvas
        spec, index, item = same.find(loaded)
        target = find_block(loaded.template, args.target)
        room = len(canvas.blocks[target.index]) - (1 if target is spec else 0)
        at = place_index(args.at, room, target)
        edit = move_to_block(canvas, Pos(spec.index, index), target.index, at)
        origin[:] = [(spec, index)]
        return Outcome(edit.canvas, target, edit.cursor.item, item)

    written = write_change(context, args.ref, apply)
    spec, index = origin[0]
    return report(
        context,
        written,
        moved_from={"block": spec.key, "block_number": spec.number, "item": index + 1},
    )


def run_set(context: Context, parser: argparse.ArgumentParser) -> int:
    from canvas_tui.records import replace

    args = context.args
    if (args.text, args.status, args.tag, args.note) == (None,) * 4 and not args.no_tags:
        parser.error("nothing to change: give --text, --status, --tag, --no-tags or --note")
    text = None if args.text is None else item_text(args.text)
    tags = () if args.no_tags else None if args.tag is None else tag_list(args.tag)
    same = SameItem(args.block, args.number)

    def apply(loaded: Loaded) -> Outcome:
        spec, index, item = same.find(loaded)
        if text is not None:
            item = replace(item, text=text)
        if args.status is not None:
            item = replace(item, status=None if args.status == "none" else args.status)
        if tags is not None:
            item = replace(item, tags=tags)
        if args.note is not None:
            item = replace(item, note=note_text(args.note))
        edit = replace_item(loaded.canvas, Pos(spec.index, index), item)
        return Outcome(edit.canvas, spec, index, item)

    return report(context, write_change(context, args.ref, apply))


def run_retitle(context: Context) -> int:
    args = context.args
    title = " ".join(args.title.split())
    if not title:
        raise CliError("the title is empty")
    before: list[str] = []

    def apply(loaded: Loaded) -> Outcome:
        before[:] = [loaded.canvas.title]
        return Outcome(retitle(loaded.canvas, title))

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
