"""Blocks and items as commands take them from their arguments and print them.

Reading: an installed template, a block named by number, key or short label, an item's
number, a place given by `--at`, an item's text, tags and note; each refuses what the editor
would not keep with a one-line error that says what is there instead. Printing: an item as a
line (`BLOCK N: TEXT`, as the editor shows it) or as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from canvas_tui.cli.common import CliError
from canvas_tui.model import STATUS_GLYPHS, parse_tags
from canvas_tui.safetext import visible

if TYPE_CHECKING:
    from canvas_tui.model import Canvas, Item
    from canvas_tui.store import CanvasStore
    from canvas_tui.template import BlockSpec, Template


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
